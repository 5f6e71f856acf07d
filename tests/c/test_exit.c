/* Failing dstoken calls after the calling thread's thread-locals are gone:
 * from a pthread key destructor (run after the thread's C++/Rust thread-local destructors) and
 * from an atexit handler (run after the main thread's). Each call must return its status, and
 * dst_last_error_message() must still return a string (the message itself may be unavailable);
 * before the fix the process aborted ("cannot access a Thread Local Storage value during or
 * after destruction"). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Every failing call the destructors make; 0 when all returned what they should. */
static int failing_calls(const char *where) {
    int bad = 0;
    dst_claims *c = dst_claims_new();
    if (c == NULL) {
        fprintf(stderr, "%s: dst_claims_new returned NULL\n", where);
        return 1;
    }
    dst_status s = dst_claims_set_int(c, "u", 1);
    bad += s != DST_ERR_INVALID_ARGUMENT;
    const char *msg = dst_last_error_message();
    /* The message, or the documented text saying it is unavailable; never NULL. */
    bad += msg == NULL ||
           (strstr(msg, "dst_claims_set_int") == NULL && strstr(msg, "unavailable") == NULL);
    printf("%s: dst_claims_set_int -> %s, message \"%s\"\n", where, dst_status_name((int)s),
           msg != NULL ? msg : "(NULL)");
    dst_key *k = NULL;
    s = dst_key_new((const uint8_t *)"", 0, &k);
    bad += s != DST_ERR_INVALID_ARGUMENT || k != NULL;
    char *token = NULL;
    s = dst_sign(c, NULL, &token);
    bad += s != DST_ERR_NULL_ARGUMENT || token != NULL;
    size_t len = 0;
    s = dst_sign_into(c, NULL, NULL, 0, &len);
    bad += s != DST_ERR_NULL_ARGUMENT;
    dst_claims *out = NULL;
    s = dst_verify("not a token", NULL, 0, 0, &out);
    bad += s != DST_ERR_NULL_ARGUMENT || out != NULL;
    bad += dst_last_error_message() == NULL;
    /* Success still works, and the message pointer stays usable. */
    s = dst_claims_set_user_name(c, "still works");
    bad += s != DST_OK;
    dst_claims_free(c);
    if (bad != 0) fprintf(stderr, "%s: %d calls misbehaved\n", where, bad);
    return bad;
}

static pthread_key_t tls_key;
static int destructor_bad = -1;

static void key_destructor(void *value) {
    (void)value;
    destructor_bad = failing_calls("pthread key destructor");
}

/* `touch` makes the thread use (and so initialise) dstoken's thread-local state first. */
static void *thread_main(void *touch) {
    if (touch != NULL) {
        dst_claims *c = dst_claims_new();
        (void)dst_claims_remove(c, "absent"); /* fails: records a message */
        dst_claims_free(c);
    }
    pthread_setspecific(tls_key, &tls_key);
    return NULL;
}

static void run_thread(int touch) {
    pthread_t t;
    destructor_bad = -1;
    CHECK(pthread_create(&t, NULL, thread_main, touch ? &tls_key : NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    check_count++;
    if (destructor_bad != 0) {
        check_failures++;
        fprintf(stderr, "%s:%d: pthread key destructor (touch=%d): %d\n", __FILE__, __LINE__,
                touch, destructor_bad);
    }
}

static void at_exit(void) {
    int bad = failing_calls("atexit handler");
    fflush(stdout);
    if (bad != 0) _exit(1);
    printf("atexit handler: all calls returned their status\n");
    fflush(stdout);
}

int main(void) {
    CHECK(pthread_key_create(&tls_key, key_destructor) == 0);
    run_thread(1);
    run_thread(0);
    CHECK(pthread_key_delete(tls_key) == 0);

    /* The main thread uses dstoken's thread-local state before exit() destroys it. */
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_remove(c, "absent"), DST_ERR_NOT_FOUND);
    dst_claims_free(c);
    CHECK(atexit(at_exit) == 0);
    return check_report("test_exit");
}
