/*
 * dstoken C benchmark: the fixed workload through the shared library, one table.
 *
 *   dstoken_bench [N [ROUNDS]]   N tokens per timed run (default 200000), ROUNDS interleaved
 *                                rounds (default 7: each round times every row once, in turn);
 *                                medians reported
 *   DSTOKEN_BENCH_JSON=FILE     also writes every row and its rounds to FILE in the format of
 *                                bench/README.md (bench/run.sh collects them)
 *
 * Workload: key "0123456789abcdef0123456789abcdef"; td, rd "daily-standup", u "John Smith",
 * ud "user-%06d" (a new value every token, prepared before timing), role "moderator",
 * iat 1767225600, exp 1767229200 -> 288-byte tokens. Rows: HMAC-SHA256 alone over the same
 * 244-byte signing input (OpenSSL, precomputed key state) when OpenSSL is available;
 * dst_mint_into (the one-call mint with fresh values every token: a new ud, iat and exp);
 * dst_mint; the builder path with fresh claims every token (dst_claims_new, 7 setters,
 * dst_sign_into, dst_claims_free); dst_sign_into; dst_sign; dst_verify; hand-written code
 * (snprintf JSON + base64url + OpenSSL HMAC, when OpenSSL is available); libjwt (encode and
 * decode) when it is installed. Then the threads table: HMAC alone, dst_mint_into,
 * dst_sign_into and dst_verify on 1 and 2 threads sharing one key.
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

#define MAX_RUNS 101
#define IDS 4096
static int RUNS = 7;

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

typedef void (*body_fn)(long n, void *ctx);

/* A row of the single-thread table: what bench/report.py reads (id, implementation, kind, op),
 * what it runs, and its times per round. */
typedef struct {
    const char *name, *id, *impl, *kind, *op;
    body_fn body;
    void *ctx;
    double rounds[MAX_RUNS]; /* ns per token, in round order */
    double ns;               /* their median */
} row;

static row rows[16];
static int n_rows = 0;

static void add_row(const char *name, const char *id, const char *impl, const char *kind, const char *op, body_fn body,
                    void *ctx) {
    row *r = &rows[n_rows++];
    r->name = name, r->id = id, r->impl = impl, r->kind = kind, r->op = op, r->body = body, r->ctx = ctx;
}

static double median_of(const double *v, int n) {
    double s[MAX_RUNS];
    memcpy(s, v, (size_t)n * sizeof s[0]);
    qsort(s, (size_t)n, sizeof s[0], cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* Every row warmed up, then RUNS rounds, each timing every row once in turn (interleaved: a
 * change in the machine's load hits every row alike); the median per row. */
static void measure_all(void) {
    for (int k = 0; k < n_rows; k++) rows[k].body(n_tokens / 10 + 1, rows[k].ctx);
    for (int r = 0; r < RUNS; r++) {
        for (int k = 0; k < n_rows; k++) {
            double start = now_ns();
            rows[k].body(n_tokens, rows[k].ctx);
            rows[k].rounds[r] = (now_ns() - start) / (double)n_tokens;
        }
    }
    for (int k = 0; k < n_rows; k++) rows[k].ns = median_of(rows[k].rounds, RUNS);
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

#ifdef HAVE_OPENSSL
/* base64url without padding of in[0..n) into out; returns the length written. */
static size_t b64url(const unsigned char *in, size_t n, char *out) {
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        out[o++] = A[v >> 18], out[o++] = A[(v >> 12) & 63], out[o++] = A[(v >> 6) & 63], out[o++] = A[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        out[o++] = A[v >> 18], out[o++] = A[(v >> 12) & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        out[o++] = A[v >> 18], out[o++] = A[(v >> 12) & 63], out[o++] = A[(v >> 6) & 63];
    }
    return o;
}

/* Hand-written code: the token as a C programmer writes it with OpenSSL alone (snprintf for the
 * JSON, without escaping: these values need none, which a server could not assume; base64url;
 * HMAC from the key's precomputed state). Writes the token for i into out (>= 400 bytes). */
static size_t hand_written_token(const hmac_ctx *h, long i, char *out) {
    static const char header[] = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.";
    char payload[256];
    unsigned char tag[32];
    size_t tag_len = 0;
    long iat = 1767225600 + (i & 1023);
    int len = snprintf(payload, sizeof payload,
                       "{\"td\":\"%s\",\"rd\":\"%s\",\"u\":\"%s\",\"ud\":\"%s\",\"role\":\"%s\",\"iat\":%ld,\"exp\":%ld}",
                       "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "daily-standup", "John Smith", ids[i & (IDS - 1)],
                       "moderator", iat, iat + 3600);
    if (len < 0 || (size_t)len >= sizeof payload) die("snprintf", DST_ERR_INTERNAL);
    size_t m = sizeof header - 1;
    memcpy(out, header, m);
    m += b64url((const unsigned char *)payload, (size_t)len, out + m);
    EVP_MAC_CTX *c = EVP_MAC_CTX_dup(h->keyed);
    if (c == NULL || !EVP_MAC_update(c, (const unsigned char *)out, m) || !EVP_MAC_final(c, tag, &tag_len, sizeof tag))
        die("OpenSSL HMAC", DST_ERR_INTERNAL);
    EVP_MAC_CTX_free(c);
    out[m++] = '.';
    m += b64url(tag, tag_len, out + m);
    out[m] = '\0';
    return m;
}

static void body_hand_written(long n, void *p) {
    hmac_ctx *h = p;
    char token[512];
    for (long i = 0; i < n; i++) h->sink ^= (unsigned char)token[hand_written_token(h, i, token) - 1];
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

/* A row of the threads table, per round: tokens/s and CPU ns per token on 1 and 2 threads. */
typedef struct {
    const char *name, *id, *impl, *kind, *op;
    double one[MAX_RUNS], two[MAX_RUNS], cpu1[MAX_RUNS], cpu2[MAX_RUNS];
} scale_row;

static scale_row scale_rows[8];
static int n_scale_rows = 0;

/* One row: RUNS rounds, each running 1 thread then 2 threads (interleaved); medians. The CPU
 * time per token does not depend on what else the machine runs, and stays the same on 2
 * threads unless they contend. */
static void scaling_row(const char *name, const char *id, const char *impl, const char *kind, const char *op,
                        scale_arg proto) {
    scale_row *s = &scale_rows[n_scale_rows++];
    s->name = name, s->id = id, s->impl = impl, s->kind = kind, s->op = op;
    double ratio[MAX_RUNS];
    for (int r = 0; r < RUNS; r++) {
        s->one[r] = rate(1, proto, &s->cpu1[r]);
        s->two[r] = rate(2, proto, &s->cpu2[r]);
        ratio[r] = s->two[r] / s->one[r];
    }
    printf("%-38s %14.0f %14.0f %8.2f %11.1f %11.1f\n", name, median_of(s->one, RUNS), median_of(s->two, RUNS),
           median_of(ratio, RUNS), median_of(s->cpu1, RUNS), median_of(s->cpu2, RUNS));
}

/* ---- the results as data (bench/README.md) ------------------------------------------------ */
static void json_result(FILE *f, int *first, const char *id_prefix, const char *id, const char *name, const char *impl,
                        const char *kind, const char *op, int threads, const char *unit, const char *clock,
                        const double *v) {
    fprintf(f, "%s  {\"id\": \"%s%s\", \"name\": \"%s\", \"impl\": \"%s\", \"kind\": \"%s\", \"op\": \"%s\", "
               "\"threads\": %d, \"unit\": \"%s\", \"clock\": \"%s\", \"median\": %.2f, \"rounds\": [",
            *first ? "" : ",\n", id_prefix, id, name, impl, kind, op, threads, unit, clock, median_of(v, RUNS));
    for (int r = 0; r < RUNS; r++) fprintf(f, "%s%.1f", r ? ", " : "", v[r]);
    fprintf(f, "]}");
    *first = 0;
}

static void write_json(const char *path) {
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    int len = (int)strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".json") == 0) len -= 5;
    fprintf(f, "{\"schema\": 1, \"benchmark\": \"%.*s\", \"language\": \"C\", \"program\": \"bench/c/bench.c "
               "(build/dstoken_bench)\",\n \"settings\": {\"n\": %ld, \"rounds\": %d},\n \"runtime\": \"libdstoken %s\",\n"
               " \"results\": [\n",
            len, base, n_tokens, RUNS, dst_version());
    int first = 1;
    for (int k = 0; k < n_rows; k++) {
        row *r = &rows[k];
        json_result(f, &first, "", r->id, r->name, r->impl, r->kind, r->op, 1, "ns/token", "wall", r->rounds);
    }
    for (int k = 0; k < n_scale_rows; k++) {
        scale_row *s = &scale_rows[k];
        json_result(f, &first, "threads:", s->id, s->name, s->impl, s->kind, s->op, 1, "tokens/s", "wall", s->one);
        json_result(f, &first, "threads:", s->id, s->name, s->impl, s->kind, s->op, 2, "tokens/s", "wall", s->two);
        json_result(f, &first, "threads:", s->id, s->name, s->impl, s->kind, s->op, 1, "ns/token", "cpu", s->cpu1);
        json_result(f, &first, "threads:", s->id, s->name, s->impl, s->kind, s->op, 2, "ns/token", "cpu", s->cpu2);
    }
    fprintf(f, "\n ]}\n");
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc > 1) n_tokens = strtol(argv[1], NULL, 10);
    if (n_tokens < 2) n_tokens = 2;
    if (argc > 2) RUNS = (int)strtol(argv[2], NULL, 10);
    if (RUNS < 1 || RUNS > MAX_RUNS) {
        fprintf(stderr, "dstoken_bench: ROUNDS must be 1..%d\n", MAX_RUNS);
        return 2;
    }
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
    add_row("HMAC-SHA256 alone (OpenSSL, 244 B)", "hmac", "OpenSSL", "reference", "hmac", body_hmac, &h);
    {
        char a[512], b[512];
        size_t len = 0;
        dst_room_token t = DST_ROOM_TOKEN_INIT;
        fill_token(&t, 5);
        if ((s = dst_mint_into(&t, key, b, sizeof b, &len)) != DST_OK) die("dst_mint_into", s);
        b[len] = '\0';
        hand_written_token(&h, 5, a);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "dstoken_bench: the hand-written token differs:\n%s\n%s\n", a, b);
            return 1;
        }
    }
#endif
    add_row("dst_mint_into (fresh values)", "mint_into", "dstoken", "dstoken", "mint", body_mint_into, &x);
    add_row("dst_mint (fresh values + free)", "mint", "dstoken", "dstoken", "mint", body_mint, &x);
    add_row("builder, fresh claims + sign_into", "builder", "dstoken", "dstoken", "mint", body_builder_fresh, &x);
    add_row("dst_sign_into (set ud + sign)", "sign_into", "dstoken", "dstoken", "sign", body_sign_into, &x);
    add_row("dst_sign (set ud + sign + free)", "sign", "dstoken", "dstoken", "sign", body_sign, &x);
    add_row("dst_verify (+ dst_claims_free)", "verify", "dstoken", "dstoken", "verify", body_verify, &x);
#ifdef HAVE_OPENSSL
    add_row("hand-written (snprintf, base64, OpenSSL)", "hand_written", "hand-written", "hand-written", "mint",
            body_hand_written, &h);
#endif
#ifdef HAVE_LIBJWT
    volatile size_t jwt_sink = 0;
    add_row("libjwt jwt_encode_str", "libjwt_encode", "libjwt", "library", "mint", body_libjwt_encode, (void *)&jwt_sink);
    add_row("libjwt jwt_decode", "libjwt_decode", "libjwt", "library", "verify", body_libjwt_decode, (void *)token);
#endif
    measure_all();

    double base = rows[0].ns;
    double sign_into = 0;
    for (int i = 0; i < n_rows; i++)
        if (strncmp(rows[i].name, "dst_sign_into (", 15) == 0) sign_into = rows[i].ns;
    printf("dstoken %s C benchmark: %ld tokens x %d interleaved rounds (median), 288-byte tokens\n", dst_version(),
           n_tokens, RUNS);
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
    scaling_row("HMAC-SHA256 alone (OpenSSL)", "hmac", "OpenSSL", "reference", "hmac",
                (scale_arg){body_hmac, 0, key, token, &h, 0});
#endif
    scaling_row("dst_mint_into (fresh values)", "mint_into", "dstoken", "dstoken", "mint",
                (scale_arg){body_mint_into, 0, key, token, NULL, 0});
    scaling_row("dst_sign_into (set ud + sign)", "sign_into", "dstoken", "dstoken", "sign",
                (scale_arg){body_sign_into, 0, key, token, NULL, 0});
    scaling_row("dst_verify (+ dst_claims_free)", "verify", "dstoken", "dstoken", "verify",
                (scale_arg){body_verify, 0, key, token, NULL, 0});
    const char *json = getenv("DSTOKEN_BENCH_JSON");
    if (json != NULL && *json != '\0') write_json(json);
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
