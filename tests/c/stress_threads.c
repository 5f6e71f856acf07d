/* Concurrency stress: THREADS threads x ROUNDS sign+verify each on one shared dst_key, every
 * token verified and its claims checked. Run plain, with ASan+UBSan and with TSan by ctest.
 *   stress_threads [rounds-per-thread (default 100000)] [threads (default 8)] */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dstoken.h"

static const dst_key *shared_key;
static long rounds = 100000;

typedef struct {
    int id;
    long ok;
    long failures;
} worker_t;

static void *worker(void *arg) {
    worker_t *w = arg;
    char ud[32], buf[512];
    dst_claims *c = dst_claims_new();
    if (c == NULL || dst_claims_set_team_id(c, "team") != DST_OK || dst_claims_set_room(c, "room") != DST_OK ||
        dst_claims_set_expires_at(c, 4102444800) != DST_OK) {
        w->failures++;
        dst_claims_free(c);
        return NULL;
    }
    for (long i = 0; i < rounds; i++) {
        snprintf(ud, sizeof ud, "t%02d-%08ld", w->id, i);
        size_t len = 0;
        dst_claims *back = NULL;
        char *got = NULL;
        int good = dst_claims_set_user_id(c, ud) == DST_OK &&
                   dst_sign_into(c, shared_key, buf, sizeof buf, &len) == DST_OK &&
                   dst_verify(buf, shared_key, 1767225600, 0, &back) == DST_OK &&
                   dst_claims_get_string(back, "ud", &got) == DST_OK && strcmp(got, ud) == 0;
        if (good) w->ok++;
        else w->failures++;
        dst_string_free(got);
        dst_claims_free(back);
    }
    dst_claims_free(c);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 8;
    if (argc > 1) rounds = strtol(argv[1], NULL, 10);
    if (argc > 2) threads = (int)strtol(argv[2], NULL, 10);
    if (threads < 1 || threads > 64 || rounds < 1) return 2;
    dst_key *key = NULL;
    const char secret[] = "shared-stress-key-0123456789abcdef";
    if (dst_key_new((const uint8_t *)secret, strlen(secret), &key) != DST_OK) return 1;
    shared_key = key;
    pthread_t t[64];
    worker_t w[64];
    memset(w, 0, sizeof w);
    for (int i = 0; i < threads; i++) {
        w[i].id = i;
        if (pthread_create(&t[i], NULL, worker, &w[i]) != 0) return 1;
    }
    long ok = 0, failures = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        ok += w[i].ok;
        failures += w[i].failures;
    }
    dst_key_free(key);
    printf("stress_threads: %d threads x %ld sign+verify: %ld verified, %ld failed\n", threads, rounds, ok, failures);
    return failures == 0 && ok == (long)threads * rounds ? 0 : 1;
}
