/*
 * dstoken C benchmark: the fixed workload through the shared library, one table.
 *
 *   dstoken_bench [N]        N tokens per timed run (default 200000); 7 runs, median reported
 *
 * Workload: key "0123456789abcdef0123456789abcdef"; td, rd "daily-standup", u "John Smith",
 * ud "user-%06d" (a new value every token, prepared before timing), role "moderator",
 * iat 1767225600, exp 1767229200 -> 288-byte tokens. Rows: HMAC-SHA256 alone over the same
 * 244-byte signing input (OpenSSL, precomputed key state) when OpenSSL is available;
 * dst_sign_into; dst_sign; dst_verify; dst_sign_into on 2 threads sharing one key; libjwt
 * (encode and decode) when it is installed.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dstoken.h"

#ifdef HAVE_OPENSSL
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#endif
#ifdef HAVE_LIBJWT
#include <jwt.h>
#endif

#define RUNS 7
#define IDS 4096

static const char KEY[] = "0123456789abcdef0123456789abcdef";
static char ids[IDS][12];
static long n_tokens = 200000;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void die(const char *what, dst_status s) {
    fprintf(stderr, "dstoken_bench: %s: %s: %s\n", what, dst_status_name((int)s), dst_last_error_message());
    exit(1);
}

static dst_claims *workload_claims(void) {
    dst_claims *c = dst_claims_new();
    dst_status s = dst_claims_set_team_id(c, "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f");
    if (s == DST_OK) s = dst_claims_set_room(c, "daily-standup");
    if (s == DST_OK) s = dst_claims_set_user_name(c, "John Smith");
    if (s == DST_OK) s = dst_claims_set_user_id(c, ids[0]);
    if (s == DST_OK) s = dst_claims_set_role(c, "moderator");
    if (s == DST_OK) s = dst_claims_set_issued_at(c, 1767225600);
    if (s == DST_OK) s = dst_claims_set_expires_at(c, 1767229200);
    if (s != DST_OK) die("claims", s);
    return c;
}

typedef struct {
    const char *name;
    double ns; /* median ns per token */
} row;

static row rows[16];
static int n_rows = 0;

typedef void (*body_fn)(long n, void *ctx);

static void measure(const char *name, body_fn body, void *ctx) {
    double t[RUNS];
    body(n_tokens / 10 + 1, ctx); /* warm-up */
    for (int r = 0; r < RUNS; r++) {
        double start = now_ns();
        body(n_tokens, ctx);
        t[r] = (now_ns() - start) / (double)n_tokens;
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    rows[n_rows].name = name;
    rows[n_rows].ns = t[RUNS / 2];
    n_rows++;
}

typedef struct {
    dst_claims *claims;
    const dst_key *key;
    const char *token;
    volatile size_t sink;
} ctx_t;

static void body_sign_into(long n, void *p) {
    ctx_t *x = p;
    char buf[512];
    size_t len = 0;
    for (long i = 0; i < n; i++) {
        if (dst_claims_set_user_id(x->claims, ids[i & (IDS - 1)]) != DST_OK) die("set_user_id", DST_ERR_INTERNAL);
        dst_status s = dst_sign_into(x->claims, x->key, buf, sizeof buf, &len);
        if (s != DST_OK) die("dst_sign_into", s);
        x->sink += (size_t)buf[len - 1];
    }
}

static void body_sign(long n, void *p) {
    ctx_t *x = p;
    for (long i = 0; i < n; i++) {
        char *token = NULL;
        if (dst_claims_set_user_id(x->claims, ids[i & (IDS - 1)]) != DST_OK) die("set_user_id", DST_ERR_INTERNAL);
        dst_status s = dst_sign(x->claims, x->key, &token);
        if (s != DST_OK) die("dst_sign", s);
        x->sink += (size_t)token[0];
        dst_string_free(token);
    }
}

static void body_verify(long n, void *p) {
    ctx_t *x = p;
    for (long i = 0; i < n; i++) {
        dst_claims *out = NULL;
        dst_status s = dst_verify(x->token, x->key, 1767225600, 0, &out);
        if (s != DST_OK) die("dst_verify", s);
        dst_claims_free(out);
    }
}

typedef struct {
    const dst_key *key;
    long n;
} thread_arg;

static void *thread_main(void *p) {
    thread_arg *a = p;
    ctx_t x = {workload_claims(), a->key, NULL, 0};
    body_sign_into(a->n, &x);
    dst_claims_free(x.claims);
    return NULL;
}

static const dst_key *threads_key;

static void body_two_threads(long n, void *p) {
    (void)p;
    pthread_t t[2];
    thread_arg a[2] = {{threads_key, n / 2}, {threads_key, n - n / 2}};
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, thread_main, &a[i]) != 0) die("pthread_create", DST_ERR_INTERNAL);
    for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
}

#ifdef HAVE_OPENSSL
typedef struct {
    EVP_MAC_CTX *keyed;
    const unsigned char *input;
    size_t len;
    volatile unsigned char sink;
} hmac_ctx;

static void body_hmac(long n, void *p) {
    hmac_ctx *h = p;
    unsigned char tag[32];
    size_t tag_len = 0;
    for (long i = 0; i < n; i++) {
        EVP_MAC_CTX *c = EVP_MAC_CTX_dup(h->keyed); /* the precomputed key state */
        if (c == NULL || !EVP_MAC_update(c, h->input, h->len) || !EVP_MAC_final(c, tag, &tag_len, sizeof tag))
            die("OpenSSL HMAC", DST_ERR_INTERNAL);
        EVP_MAC_CTX_free(c);
        h->sink ^= tag[0];
    }
}
#endif

#ifdef HAVE_LIBJWT
static void body_libjwt_encode(long n, void *p) {
    volatile size_t *sink = p;
    for (long i = 0; i < n; i++) {
        jwt_t *jwt = NULL;
        if (jwt_new(&jwt) != 0) die("jwt_new", DST_ERR_INTERNAL);
        jwt_add_grant(jwt, "td", "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f");
        jwt_add_grant(jwt, "rd", "daily-standup");
        jwt_add_grant(jwt, "u", "John Smith");
        jwt_add_grant(jwt, "ud", ids[i & (IDS - 1)]);
        jwt_add_grant(jwt, "role", "moderator");
        jwt_add_grant_int(jwt, "iat", 1767225600);
        jwt_add_grant_int(jwt, "exp", 1767229200);
        if (jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)KEY, (int)strlen(KEY)) != 0) die("jwt_set_alg", DST_ERR_INTERNAL);
        char *s = jwt_encode_str(jwt);
        if (s == NULL) die("jwt_encode_str", DST_ERR_INTERNAL);
        *sink += (size_t)s[0];
        free(s);
        jwt_free(jwt);
    }
}

static void body_libjwt_decode(long n, void *p) {
    const char *token = p;
    for (long i = 0; i < n; i++) {
        jwt_t *jwt = NULL;
        if (jwt_decode(&jwt, token, (const unsigned char *)KEY, (int)strlen(KEY)) != 0) die("jwt_decode", DST_ERR_INTERNAL);
        jwt_free(jwt);
    }
}
#endif

int main(int argc, char **argv) {
    if (argc > 1) n_tokens = strtol(argv[1], NULL, 10);
    if (n_tokens < 2) n_tokens = 2;
    for (int i = 0; i < IDS; i++) snprintf(ids[i], sizeof ids[i], "user-%06d", i);

    dst_key *key = NULL;
    dst_status s = dst_key_new((const uint8_t *)KEY, strlen(KEY), &key);
    if (s != DST_OK) die("dst_key_new", s);
    ctx_t x = {workload_claims(), key, NULL, 0};
    char *token = NULL;
    if ((s = dst_sign(x.claims, key, &token)) != DST_OK) die("dst_sign", s);
    x.token = token;
    if (strlen(token) != 288) {
        fprintf(stderr, "dstoken_bench: workload token is %zu bytes, expected 288\n", strlen(token));
        return 1;
    }

#ifdef HAVE_OPENSSL
    hmac_ctx h = {NULL, (const unsigned char *)token, (size_t)(strrchr(token, '.') - token), 0};
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    h.keyed = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
                           OSSL_PARAM_construct_end()};
    if (h.keyed == NULL || !EVP_MAC_init(h.keyed, (const unsigned char *)KEY, strlen(KEY), params))
        die("OpenSSL HMAC init", DST_ERR_INTERNAL);
    measure("HMAC-SHA256 alone (OpenSSL, 244 B)", body_hmac, &h);
#endif
    measure("dst_sign_into (set ud + sign)", body_sign_into, &x);
    measure("dst_sign (set ud + sign + free)", body_sign, &x);
    measure("dst_verify (+ dst_claims_free)", body_verify, &x);
    threads_key = key;
    measure("dst_sign_into, 2 threads, 1 key", body_two_threads, NULL);
#ifdef HAVE_LIBJWT
    volatile size_t jwt_sink = 0;
    measure("libjwt jwt_encode_str", body_libjwt_encode, (void *)&jwt_sink);
    measure("libjwt jwt_decode", body_libjwt_decode, (void *)token);
#endif

    double base = rows[0].ns;
    double sign_into = 0;
    for (int i = 0; i < n_rows; i++)
        if (strncmp(rows[i].name, "dst_sign_into (", 15) == 0) sign_into = rows[i].ns;
    printf("dstoken %s C benchmark: %ld tokens x %d runs (median), 288-byte tokens\n", dst_version(), n_tokens, RUNS);
    printf("%-38s %12s %14s %10s %14s\n", "operation", "ns/token", "tokens/s", "x row 1", "x sign_into");
    for (int i = 0; i < n_rows; i++)
        printf("%-38s %12.1f %14.0f %10.2f %14.2f\n", rows[i].name, rows[i].ns, 1e9 / rows[i].ns, rows[i].ns / base,
               rows[i].ns / sign_into);
#ifndef HAVE_LIBJWT
    printf("(libjwt not found at build time: install libjwt-dev for its rows)\n");
#endif
#ifdef HAVE_OPENSSL
    EVP_MAC_CTX_free(h.keyed);
    EVP_MAC_free(mac);
#endif
    dst_string_free(token);
    dst_claims_free(x.claims);
    dst_key_free(key);
    return 0;
}
