/*
 * dstoken C benchmark: the fixed workload through the shared library, one table.
 *
 *   dstoken_bench [N]        N tokens per timed run (default 200000); 7 runs, median reported
 *
 * Workload: key "0123456789abcdef0123456789abcdef"; td, rd "daily-standup", u "John Smith",
 * ud "user-%06d" (a new value every token, prepared before timing), role "moderator",
 * iat 1767225600, exp 1767229200 -> 288-byte tokens. Rows: HMAC-SHA256 alone over the same
 * 244-byte signing input (OpenSSL, precomputed key state) when OpenSSL is available;
 * dst_mint_into (the one-call mint with fresh values every token: a new ud, iat and exp);
 * dst_mint; the builder path with fresh claims every token (dst_claims_new, 7 setters,
 * dst_sign_into, dst_claims_free); dst_sign_into; dst_sign; dst_verify; dst_sign_into on 2
 * threads sharing one key; libjwt (encode and decode) when it is installed.
 *
 * Heap allocations per token are counted (glibc: malloc/calloc/realloc/posix_memalign are
 * wrapped in this program, so calls from the library are counted too) for the mint and sign
 * rows, and printed after the table with the one-call mint's ratio to HMAC alone.
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

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCS 1
/* glibc's own entry points; these wrappers replace malloc & co. for the whole process. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
static unsigned long allocs; /* atomically incremented */
void *malloc(size_t n) {
    __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    return __libc_malloc(n);
}
void *calloc(size_t n, size_t m) {
    __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    return __libc_calloc(n, m);
}
void *realloc(void *p, size_t n) {
    __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    return __libc_realloc(p, n);
}
int posix_memalign(void **out, size_t align, size_t n) {
    __atomic_add_fetch(&allocs, 1, __ATOMIC_RELAXED);
    void *p = __libc_memalign(align, n);
    if (p == NULL) return 12; /* ENOMEM */
    *out = p;
    return 0;
}
static unsigned long alloc_count(void) { return __atomic_load_n(&allocs, __ATOMIC_RELAXED); }
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

/* The benchmark workload as a one-call mint, with fresh values every token. */
static void fill_token(dst_room_token *t, long i) {
    t->team_id = "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f";
    t->room = "daily-standup";
    t->user_name = "John Smith";
    t->user_id = ids[i & (IDS - 1)];
    t->role = "moderator";
    t->issued_at = 1767225600 + (i & 1023);
    t->expires_at = t->issued_at + 3600;
    t->now = t->issued_at; /* not the clock: these times are in the past */
}

static void body_mint_into(long n, void *p) {
    ctx_t *x = p;
    char buf[512];
    size_t len = 0;
    for (long i = 0; i < n; i++) {
        dst_room_token t = DST_ROOM_TOKEN_INIT;
        fill_token(&t, i);
        dst_status s = dst_mint_into(&t, x->key, buf, sizeof buf, &len);
        if (s != DST_OK) die("dst_mint_into", s);
        x->sink += (size_t)buf[len - 1];
    }
}

static void body_mint(long n, void *p) {
    ctx_t *x = p;
    for (long i = 0; i < n; i++) {
        dst_room_token t = DST_ROOM_TOKEN_INIT;
        char *token = NULL;
        fill_token(&t, i);
        dst_status s = dst_mint(&t, x->key, &token);
        if (s != DST_OK) die("dst_mint", s);
        x->sink += (size_t)token[0];
        dst_string_free(token);
    }
}

/* The builder path with fresh claims every token (the README's C code before the mint). */
static void body_builder_fresh(long n, void *p) {
    ctx_t *x = p;
    char buf[512];
    size_t len = 0;
    for (long i = 0; i < n; i++) {
        dst_room_token t = DST_ROOM_TOKEN_INIT;
        fill_token(&t, i);
        dst_claims *c = dst_claims_new();
        if (c == NULL) die("dst_claims_new", DST_ERR_INTERNAL);
        dst_status s = dst_claims_set_team_id(c, t.team_id);
        if (s == DST_OK) s = dst_claims_set_room(c, t.room);
        if (s == DST_OK) s = dst_claims_set_user_name(c, t.user_name);
        if (s == DST_OK) s = dst_claims_set_user_id(c, t.user_id);
        if (s == DST_OK) s = dst_claims_set_role(c, t.role);
        if (s == DST_OK) s = dst_claims_set_issued_at(c, t.issued_at);
        if (s == DST_OK) s = dst_claims_set_expires_at(c, t.expires_at);
        if (s == DST_OK) s = dst_sign_into(c, x->key, buf, sizeof buf, &len);
        if (s != DST_OK) die("builder", s);
        dst_claims_free(c);
        x->sink += (size_t)buf[len - 1];
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

/* ---- the threads column: 1 and 2 threads sharing one key (as servers do) ----------------- */
typedef struct {
    body_fn body;
    long n;
    const dst_key *key;
    const char *token;
    const void *hmac; /* a hmac_ctx to copy (the HMAC row), else NULL */
    double cpu_ns;    /* out: the CPU time the thread ran */
} scale_arg;

static double thread_cpu_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void *scale_main(void *p) {
    scale_arg *a = p;
#ifdef HAVE_OPENSSL
    if (a->hmac != NULL) {
        hmac_ctx h = *(const hmac_ctx *)a->hmac; /* its own sink; the keyed state is only read */
        double start = thread_cpu_ns();
        a->body(a->n, &h);
        a->cpu_ns = thread_cpu_ns() - start;
        return NULL;
    }
#endif
    ctx_t x = {workload_claims(), a->key, a->token, 0};
    double start = thread_cpu_ns();
    a->body(a->n, &x);
    a->cpu_ns = thread_cpu_ns() - start;
    dst_claims_free(x.claims);
    return NULL;
}

/* `body` run on `threads` threads at once, each doing n_tokens / 2: tokens per second, and the
 * CPU time per token in *cpu_ns. */
static double rate(int threads, scale_arg proto, double *cpu_ns) {
    pthread_t t[2];
    scale_arg a[2] = {proto, proto};
    a[0].n = a[1].n = n_tokens / 2 + 1;
    double start = now_ns();
    for (int i = 0; i < threads; i++)
        if (pthread_create(&t[i], NULL, scale_main, &a[i]) != 0) die("pthread_create", DST_ERR_INTERNAL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double tokens = (double)threads * (double)a[0].n;
    *cpu_ns = (a[0].cpu_ns + (threads > 1 ? a[1].cpu_ns : 0)) / tokens;
    return tokens / ((now_ns() - start) / 1e9);
}

/* One row: RUNS rounds, each running 1 thread then 2 threads (interleaved); medians. The CPU
 * time per token does not depend on what else the machine runs, and stays the same on 2
 * threads unless they contend. */
static void scaling_row(const char *name, scale_arg proto) {
    double one[RUNS], two[RUNS], cpu1[RUNS], cpu2[RUNS];
    for (int r = 0; r < RUNS; r++) {
        one[r] = rate(1, proto, &cpu1[r]);
        two[r] = rate(2, proto, &cpu2[r]);
    }
    qsort(one, RUNS, sizeof one[0], cmp_double);
    qsort(two, RUNS, sizeof two[0], cmp_double);
    qsort(cpu1, RUNS, sizeof cpu1[0], cmp_double);
    qsort(cpu2, RUNS, sizeof cpu2[0], cmp_double);
    printf("%-38s %14.0f %14.0f %8.2f %11.1f %11.1f\n", name, one[RUNS / 2], two[RUNS / 2],
           two[RUNS / 2] / one[RUNS / 2], cpu1[RUNS / 2], cpu2[RUNS / 2]);
}

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
    measure("dst_mint_into (fresh values)", body_mint_into, &x);
    measure("dst_mint (fresh values + free)", body_mint, &x);
    measure("builder, fresh claims + sign_into", body_builder_fresh, &x);
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
    double mint_into = 0;
    for (int i = 0; i < n_rows; i++)
        if (strncmp(rows[i].name, "dst_mint_into (", 15) == 0) mint_into = rows[i].ns;
#ifdef HAVE_OPENSSL
    printf("one-call mint (dst_mint_into, fresh values) = %.2fx HMAC alone (target <= 1.6), %.2fx dst_sign_into\n",
           mint_into / base, mint_into / sign_into);
#else
    printf("one-call mint (dst_mint_into, fresh values) = %.2fx dst_sign_into (no OpenSSL: no HMAC-alone row)\n",
           mint_into / sign_into);
#endif
    printf("threads: tokens/s on 1 and 2 threads sharing one key (%ld tokens per round, %d rounds, "
           "median; 2 threads >= 1.8x one is the target on 2 idle cores)\n",
           n_tokens, RUNS);
    printf("%-38s %14s %14s %8s %11s %11s\n", "operation", "1 thread", "2 threads", "2t / 1t", "CPU ns 1t",
           "CPU ns 2t");
#ifdef HAVE_OPENSSL
    scaling_row("HMAC-SHA256 alone (OpenSSL)", (scale_arg){body_hmac, 0, key, token, &h, 0});
#endif
    scaling_row("dst_mint_into (fresh values)", (scale_arg){body_mint_into, 0, key, token, NULL, 0});
    scaling_row("dst_sign_into (set ud + sign)", (scale_arg){body_sign_into, 0, key, token, NULL, 0});
    scaling_row("dst_verify (+ dst_claims_free)", (scale_arg){body_verify, 0, key, token, NULL, 0});
#ifdef COUNT_ALLOCS
    {
        static const struct {
            const char *name;
            body_fn body;
        } counted[] = {{"dst_mint_into (fresh values)", body_mint_into},
                       {"dst_mint (fresh values + free)", body_mint},
                       {"builder, fresh claims + sign_into", body_builder_fresh},
                       {"dst_sign_into (set ud + sign)", body_sign_into},
                       {"dst_sign (set ud + sign + free)", body_sign}};
        const long n = 1000;
        printf("%-38s %12s\n", "heap allocations", "per token");
        for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
            counted[i].body(1, &x); /* warm (claims storage already sized) */
            unsigned long before = alloc_count();
            counted[i].body(n, &x);
            printf("%-38s %12.2f\n", counted[i].name, (double)(alloc_count() - before) / (double)n);
        }
    }
#else
    printf("(heap allocations are counted only with glibc and without ASan)\n");
#endif
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
