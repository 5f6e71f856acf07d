/* One dst_key shared by several threads, each signing and verifying its own tokens, while
 * each thread's last-error message stays its own. */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <pthread.h>
#include <stdint.h>

enum { THREADS = 8, ROUNDS = 2000 };

static const dst_key *shared_key;

struct result {
    int failures;
    int own_error_ok;
};

static void *worker(void *arg) {
    struct result *r = arg;
    char user[32], buf[512];
    dst_claims *c = dst_claims_new();
    if (c == NULL) { r->failures++; return NULL; }
    r->failures += dst_claims_set_team_id(c, "team") != DST_OK;
    r->failures += dst_claims_set_room(c, "room") != DST_OK;
    r->failures += dst_claims_set_expires_at(c, 4102444800) != DST_OK;
    for (int i = 0; i < ROUNDS; i++) {
        snprintf(user, sizeof user, "user-%p-%06d", (void *)r, i);
        size_t len = 0;
        dst_claims *back = NULL;
        char *ud = NULL;
        r->failures += dst_claims_set_user_id(c, user) != DST_OK;
        r->failures += dst_sign_into(c, shared_key, buf, sizeof buf, &len) != DST_OK;
        r->failures += dst_verify(buf, shared_key, 1767225600, 0, &back) != DST_OK;
        r->failures += dst_claims_get_string(back, "ud", &ud) != DST_OK;
        r->failures += ud == NULL || strcmp(ud, user) != 0;
        dst_string_free(ud);
        dst_claims_free(back);
    }
    /* A failure on this thread sets this thread's message only. */
    r->failures += dst_claims_remove(c, (const char *)user) != DST_ERR_NOT_FOUND;
    r->own_error_ok = strstr(dst_last_error_message(), user) != NULL;
    dst_claims_free(c);
    return NULL;
}

int main(void) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"shared-key", 10, &k), DST_OK);
    shared_key = k;
    pthread_t t[THREADS];
    struct result r[THREADS];
    memset(r, 0, sizeof r);
    for (int i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, worker, &r[i]) == 0);
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(r[i].failures == 0);
        CHECK(r[i].own_error_ok);
    }
    CHECK_STR(dst_last_error_message(), "");
    dst_key_free(k);
    return check_report("test_threads");
}
