/* Small thread stacks: every exported function, with the worst inputs the
 * limits allow, on a thread whose stack is PTHREAD_STACK_MIN (16 KiB, of which glibc keeps the
 * thread's TLS and descriptor). Inputs: a 100 000-byte key (hashed), every claim setter with
 * long strings full of escapes, a claim value nested DST_MAX_JSON_DEPTH (128) deep as arrays
 * and as objects (and one level more, refused), a token whose payload nests that deep, a token
 * of the maximum length, malformed and forged tokens, every error path that builds a message.
 *
 * Each group of calls also runs once on a thread whose stack is a buffer painted with a known
 * byte, to measure the stack it used (the lowest byte no longer painted, minus what an empty
 * operation uses); the test fails when a group uses more than the header's "Stack:" lines
 * promise (STACK_PROMISE, VERIFY_PROMISE). DSTOKEN_SKIP_SMALL_STACK=1 skips the 16 KiB run (to
 * measure a library that crashes there); DSTOKEN_NO_STACK_MEASURE=1 skips the measurement
 * (valgrind and ASan runs, whose frames differ). */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

/* What the header promises: "Stack: at most 4 KiB" (dst_verify: 8 KiB). */
enum { STACK_PROMISE = 4096, VERIFY_PROMISE = 8192, SMALL_STACK = 16384, MEASURE_STACK = 256 * 1024, PAINT = 0xa5 };

/* ---- inputs, made on the main thread --------------------------------------------------- */
static unsigned char *big_key;
enum { BIG_KEY_LEN = 100000 };
static char *deep_array, *deep_object, *too_deep;
static char wide_object[2048]; /* 100 members: the duplicate check sorts their names */
static char *long_text; /* escapes, controls, non-ASCII, U+202E */
static char *deep_token, *big_token, *too_deep_token, *forged_token;
static dst_key *key;

static char *nest(int depth, int objects) {
    size_t cap = (size_t)depth * 8 + 16, n = 0;
    char *s = malloc(cap);
    if (s == NULL) exit(2);
    for (int i = 0; i < depth; i++) n += (size_t)sprintf(s + n, objects ? "{\"a\":" : "[");
    n += (size_t)sprintf(s + n, "1");
    for (int i = 0; i < depth; i++) s[n++] = objects ? '}' : ']';
    s[n] = '\0';
    return s;
}

static void make_inputs(void) {
    big_key = malloc(BIG_KEY_LEN);
    if (big_key == NULL) exit(2);
    for (int i = 0; i < BIG_KEY_LEN; i++) big_key[i] = (unsigned char)(i * 7 + 3);
    size_t w = (size_t)sprintf(wide_object, "{");
    for (int i = 0; i < 100; i++) w += (size_t)sprintf(wide_object + w, "%s\"m%d\":%d", i ? "," : "", i, i);
    sprintf(wide_object + w, "}");
    deep_array = nest(DST_MAX_JSON_DEPTH, 0);
    deep_object = nest(DST_MAX_JSON_DEPTH, 1);
    too_deep = nest(DST_MAX_JSON_DEPTH + 1, 1);
    static const char piece[] = "caf\xc3\xa9 \"q\" \\ \t\x01 \xe2\x80\xae \xf0\x9f\x98\x80 ";
    size_t reps = 200, plen = sizeof piece - 1;
    long_text = malloc(reps * plen + 1);
    if (long_text == NULL) exit(2);
    for (size_t i = 0; i < reps; i++) memcpy(long_text + i * plen, piece, plen);
    long_text[reps * plen] = '\0';

    CHECK_STATUS(dst_key_new((const uint8_t *)"0123456789abcdef0123456789abcdef", 32, &key), DST_OK);
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, 4102444800), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "deep", deep_object), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "deeper", deep_array), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "wide", wide_object), DST_OK);
    for (int i = 0; i < 100; i++) {
        char name[16];
        sprintf(name, "c%d", i);
        CHECK_STATUS(dst_claims_set_int(c, name, i), DST_OK);
    }
    CHECK_STATUS(dst_sign(c, key, &deep_token), DST_OK);
    /* The longest token: a padding claim grown until the token reaches the limit. */
    dst_claims_free(c);
    c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, 4102444800), DST_OK);
    size_t pad = (DST_MAX_TOKEN_LENGTH / 4) * 3 - 200;
    char *padding = malloc(DST_MAX_TOKEN_LENGTH);
    if (padding == NULL) exit(2);
    for (;; pad++) {
        memset(padding, 'x', pad);
        padding[pad] = '\0';
        CHECK_STATUS(dst_claims_set_string(c, "pad", padding), DST_OK);
        char *t = NULL;
        if (dst_sign(c, key, &t) != DST_OK) break;
        dst_string_free(big_token);
        big_token = t;
    }
    CHECK(big_token != NULL && strlen(big_token) > DST_MAX_TOKEN_LENGTH - 4);
    free(padding);
    dst_claims_free(c);
    /* A payload one level too deep, under a made-up signature. */
    const char *dot = strchr(deep_token, '.');
    size_t head = dot != NULL ? (size_t)(dot - deep_token) : 0;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char json[4096];
    snprintf(json, sizeof json, "{\"td\":\"t\",\"rd\":\"r\",\"x\":%s}", too_deep);
    size_t jl = strlen(json), o = 0;
    too_deep_token = malloc(head + 1 + jl * 2 + 64);
    if (too_deep_token == NULL) exit(2);
    memcpy(too_deep_token, deep_token, head + 1);
    o = head + 1;
    for (size_t i = 0; i < jl; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)json[i] << 16;
        if (i + 1 < jl) v |= (uint32_t)(unsigned char)json[i + 1] << 8;
        if (i + 2 < jl) v |= (unsigned char)json[i + 2];
        too_deep_token[o++] = b64[v >> 18];
        too_deep_token[o++] = b64[(v >> 12) & 63];
        if (i + 1 < jl) too_deep_token[o++] = b64[(v >> 6) & 63];
        if (i + 2 < jl) too_deep_token[o++] = b64[v & 63];
    }
    strcpy(too_deep_token + o, ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    forged_token = malloc(strlen(deep_token) + 1);
    if (forged_token == NULL) exit(2);
    strcpy(forged_token, deep_token);
    forged_token[strlen(forged_token) - 2] ^= 1;
}

/* ---- the operations (each a group of calls; failures counted, not printed, off-thread) -- */
static int op_failures, first_failed_line;
#define EXPECT(cond) \
    ((cond) ? (void)0 : (void)(op_failures++, first_failed_line = first_failed_line ? first_failed_line : __LINE__))

static void op_nothing(void) {}

static void op_keys(void) {
    dst_key *k = NULL;
    EXPECT(dst_key_new(big_key, BIG_KEY_LEN, &k) == DST_OK);
    dst_key_free(k);
    k = NULL;
    EXPECT(dst_key_new(big_key, 32, &k) == DST_OK);
    dst_key_free(k);
    EXPECT(dst_key_new(big_key, 0, &k) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_key_new(NULL, 1, &k) == DST_ERR_NULL_ARGUMENT);
    dst_key_free(NULL);
}

static void op_claims(void) {
    dst_claims *c = dst_claims_new();
    EXPECT(c != NULL);
    EXPECT(dst_claims_set_team_id(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_room(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_user_name(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_user_id(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_initials(c, "AB") == DST_OK);
    EXPECT(dst_claims_set_role(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_breakout_id(c, long_text) == DST_OK);
    EXPECT(dst_claims_set_avatar(c, "https://example.com/a.png") == DST_OK);
    EXPECT(dst_claims_set_issued_at(c, 1767225600) == DST_OK);
    EXPECT(dst_claims_set_not_before(c, 1767225600) == DST_OK);
    EXPECT(dst_claims_set_expires_at(c, 1767229200) == DST_OK);
    EXPECT(dst_claims_set_expires_in(c, 3600) == DST_OK);
    EXPECT(dst_claims_set_validity(c, 30, 3600) == DST_OK);
    EXPECT(dst_claims_set_expires_at(c, INT64_MAX) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_claims_set_string(c, long_text, long_text) == DST_OK);
    EXPECT(dst_claims_set_int(c, "n", INT64_MIN) == DST_OK);
    EXPECT(dst_claims_set_bool(c, "b", true) == DST_OK);
    EXPECT(dst_claims_set_string(c, "bad", "\xff\xfe") == DST_ERR_INVALID_UTF8);
    EXPECT(dst_claims_set_string(c, NULL, "x") == DST_ERR_NULL_ARGUMENT);
    char *s = NULL;
    EXPECT(dst_claims_get_string(c, long_text, &s) == DST_OK);
    dst_string_free(s);
    int64_t n = 0;
    EXPECT(dst_claims_get_int(c, "n", &n) == DST_OK && n == INT64_MIN);
    bool b = false;
    EXPECT(dst_claims_get_bool(c, "b", &b) == DST_OK && b);
    EXPECT(dst_claims_get_int(c, "b", &n) == DST_ERR_WRONG_TYPE);
    EXPECT(dst_claims_get_bool(c, "missing", &b) == DST_ERR_NOT_FOUND);
    EXPECT(dst_claims_remove(c, "b") == DST_OK);
    EXPECT(dst_claims_remove(c, "b") == DST_ERR_NOT_FOUND);
    dst_claims *copy = dst_claims_clone(c);
    EXPECT(copy != NULL);
    EXPECT(dst_claims_to_json(copy, &s) == DST_OK);
    dst_string_free(s);
    dst_claims_free(copy);
    dst_claims_free(c);
    EXPECT(dst_claims_clone(NULL) == NULL);
}

static void op_claims_json(void) {
    dst_claims *c = dst_claims_new();
    EXPECT(dst_claims_set_json(c, "arrays", deep_array) == DST_OK);
    EXPECT(dst_claims_set_json(c, "objects", deep_object) == DST_OK);
    EXPECT(dst_claims_set_json(c, "wide", wide_object) == DST_OK);
    EXPECT(dst_claims_set_json(c, "more", too_deep) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_claims_set_json(c, "bad", "{\"a\":1,\"a\":2}") == DST_ERR_INVALID_ARGUMENT);
    char *s = NULL;
    EXPECT(dst_claims_get_json(c, "objects", &s) == DST_OK && s != NULL && strcmp(s, deep_object) == 0);
    dst_string_free(s);
    EXPECT(dst_claims_to_json(c, &s) == DST_OK);
    dst_string_free(s);
    dst_claims_free(c);
}

/* "c<i>" without the C library's printf: the measured operations call only dstoken (and
 * malloc/free), since musl's printf alone reserves about 7 KiB of stack for its
 * floating-point formatter, whatever the format, where libdstoken.a is linked statically. */
static void claim_name(char *out, int i) {
    char digits[12];
    int n = 0;
    do digits[n++] = (char)('0' + i % 10); while ((i /= 10) > 0);
    *out++ = 'c';
    while (n > 0) *out++ = digits[--n];
    *out = '\0';
}

static void op_sign(void) {
    dst_claims *c = dst_claims_new();
    EXPECT(dst_claims_set_team_id(c, "team") == DST_OK);
    EXPECT(dst_claims_set_room(c, "room") == DST_OK);
    EXPECT(dst_claims_set_expires_at(c, 4102444800) == DST_OK);
    EXPECT(dst_claims_set_json(c, "deep", deep_object) == DST_OK);
    EXPECT(dst_claims_set_json(c, "deeper", deep_array) == DST_OK);
    EXPECT(dst_claims_set_json(c, "wide", wide_object) == DST_OK);
    for (int i = 0; i < 100; i++) {
        char name[16];
        claim_name(name, i);
        EXPECT(dst_claims_set_int(c, name, i) == DST_OK);
    }
    char *t = NULL;
    EXPECT(dst_sign(c, key, &t) == DST_OK && t != NULL && strcmp(t, deep_token) == 0);
    char small[16];
    size_t len = 0;
    EXPECT(dst_sign_into(c, key, small, sizeof small, &len) == DST_ERR_BUFFER_TOO_SMALL);
    char *buf = malloc(len + 1);
    EXPECT(buf != NULL && dst_sign_into(c, key, buf, len + 1, &len) == DST_OK);
    EXPECT(buf != NULL && t != NULL && strcmp(buf, t) == 0);
    free(buf);
    dst_string_free(t);
    dst_claims *empty = dst_claims_new();
    EXPECT(dst_sign(empty, key, &t) == DST_ERR_MISSING_CLAIM);
    dst_claims_free(empty);
    dst_claims_free(c);
}

static void fill_token(dst_room_token *t) {
    t->team_id = long_text;
    t->room = "room";
    t->user_name = long_text;
    t->user_id = long_text;
    t->initials = "AB";
    t->role = long_text;
    t->breakout_id = long_text;
    t->avatar = "https://example.com/a.png";
    t->issued_at = 1767225600;
    t->not_before = 1767225600;
    t->expires_at = 4102444800;
}

static void op_mint(void) {
    dst_room_token t;
    EXPECT(dst_room_token_init(&t) == DST_OK);
    fill_token(&t);
    char *tok = NULL, *url = NULL;
    EXPECT(dst_mint(&t, key, &tok) == DST_OK);
    size_t len = 0;
    char small[8];
    EXPECT(dst_mint_into(&t, key, small, sizeof small, &len) == DST_ERR_BUFFER_TOO_SMALL);
    char *buf = malloc(len + 1);
    EXPECT(buf != NULL && dst_mint_into(&t, key, buf, len + 1, &len) == DST_OK);
    EXPECT(buf != NULL && tok != NULL && strcmp(buf, tok) == 0);
    free(buf);
    EXPECT(dst_mint_url(&t, key, "meet.example.com", &url) == DST_OK);
    dst_string_free(url);
    dst_string_free(tok);
    t.room = NULL;
    EXPECT(dst_mint(&t, key, &tok) == DST_ERR_MISSING_CLAIM);
    t.room = "room";
    t.lifetime_seconds = -1;
    EXPECT(dst_mint(&t, key, &tok) == DST_ERR_INVALID_ARGUMENT);
}

static void op_verify(void) {
    dst_claims *back = NULL;
    EXPECT(dst_verify(deep_token, key, 1767225600, 0, &back) == DST_OK);
    char *s = NULL;
    EXPECT(dst_claims_get_json(back, "deep", &s) == DST_OK && s != NULL && strcmp(s, deep_object) == 0);
    dst_string_free(s);
    dst_claims_free(back);
    back = NULL;
}

static void op_verify_longest(void) {
    dst_claims *back = NULL;
    EXPECT(dst_verify(big_token, key, 1767225600, 0, &back) == DST_OK);
    dst_claims_free(back);
}

static void op_verify_errors(void) {
    dst_claims *back = NULL;
    /* The signature is checked before the payload is parsed (the parser's refusal at depth
     * 129 runs in op_claims_json). */
    EXPECT(dst_verify(too_deep_token, key, 1767225600, 0, &back) == DST_ERR_BAD_SIGNATURE);
    EXPECT(dst_verify(forged_token, key, 1767225600, 0, &back) == DST_ERR_BAD_SIGNATURE);
    EXPECT(dst_verify(deep_token, key, 4102444800, 0, &back) == DST_ERR_EXPIRED);
    EXPECT(dst_verify("https://team.digitalsamba.com/room?token=a.b.c", key, 0, 0, &back) ==
           DST_ERR_MALFORMED_TOKEN);
    EXPECT(dst_verify("not a token", key, 0, 0, &back) == DST_ERR_MALFORMED_TOKEN);
}

static void op_misc(void) {
    char *url = NULL;
    EXPECT(dst_join_url("team", long_text, "a.b.c", &url) == DST_OK);
    dst_string_free(url);
    EXPECT(dst_join_url("not a host!", "room", NULL, &url) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_last_error_message()[0] != '\0');
    EXPECT(dst_join_url_opts("meet.example.com:8443", long_text, "a.b.c", DST_URL_ALLOW_PORT, &url) == DST_OK);
    dst_string_free(url);
    EXPECT(dst_join_url_opts("10.0.0.1:8443", "room", NULL, DST_URL_ALLOW_PORT, &url) == DST_ERR_INVALID_ARGUMENT);
    for (int s = -1; s <= 20; s++) EXPECT(dst_status_name(s) != NULL);
    EXPECT(strcmp(dst_version(), DSTOKEN_VERSION_STRING) == 0);
    dst_string_free(NULL);
}

/* The functions that report errors as data and their companions. */
static void op_error_data(void) {
    dst_key *k = NULL;
    EXPECT(dst_key_new_text(big_key, 32, &k) == DST_OK);
    dst_key_free(k);
    k = NULL;
    EXPECT(dst_key_new_text((const uint8_t *)"key\n", 4, &k) == DST_ERR_INVALID_ARGUMENT);
    dst_error e = DST_ERROR_INIT;
    EXPECT(dst_last_error(&e) && e.reason == DST_REASON_KEY_WHITESPACE);
    dst_last_error_restore(&e);
    dst_claims *c = dst_claims_new();
    EXPECT(dst_claims_set_custom_string(c, long_text, long_text) == DST_OK);
    EXPECT(dst_claims_set_custom_int(c, "n", INT64_MIN) == DST_OK);
    EXPECT(dst_claims_set_custom_bool(c, "b", true) == DST_OK);
    EXPECT(dst_claims_set_custom_json(c, "deep", deep_object) == DST_OK);
    EXPECT(dst_claims_set_custom_json(c, "more", too_deep) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_claims_set_custom_string(c, "breakoutId", long_text) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_last_error(&e) && e.reason == DST_REASON_REGISTERED_NAME);
    EXPECT(dst_claims_set_lifetime(c, 1767225600, 3600, 0, 0) == DST_OK);
    EXPECT(dst_claims_set_lifetime(c, 1767225600, 3600000, 0, 0) == DST_ERR_INVALID_ARGUMENT);
    EXPECT(dst_claims_set_lifetime(c, 1767225600, 1, 1, 0) == DST_ERR_INVALID_ARGUMENT);
    dst_claims_free(c);
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    fill_token(&t);
    t.issued_at = t.not_before = t.expires_at = 0;
    t.now = 1767225600;
    t.lifetime_seconds = 3600000;
    t.max_lifetime_seconds = 3600000;
    char *tok = NULL;
    EXPECT(dst_mint(&t, key, &tok) == DST_OK);
    dst_string_free(tok);
    t.lifetime_nanos = 1;
    EXPECT(dst_mint(&t, key, &tok) == DST_ERR_INVALID_ARGUMENT);
}

static void op_verify_opts(void) {
    dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
    static const char *const required[] = {"deep", "deeper", "wide", "c99"};
    o.now = 1767225600;
    o.team_id = "team";
    o.room = "room";
    o.required = required;
    o.required_len = 4;
    dst_claims *back = NULL;
    EXPECT(dst_verify_opts(deep_token, key, &o, &back) == DST_OK);
    dst_claims_free(back);
    back = NULL;
    o.room = long_text;
    EXPECT(dst_verify_opts(deep_token, key, &o, &back) == DST_ERR_CLAIM_MISMATCH);
    EXPECT(dst_verify_opts(forged_token, key, &o, &back) == DST_ERR_BAD_SIGNATURE);
    EXPECT(dst_verify_opts(big_token, key, NULL, &back) == DST_OK);
    dst_claims_free(back);
    back = NULL;
    char *header = NULL;
    EXPECT(dst_decode_unverified(deep_token, &header, &back) == DST_OK);
    dst_string_free(header);
    dst_claims_free(back);
    back = NULL;
    EXPECT(dst_decode_unverified(too_deep_token, NULL, &back) == DST_ERR_MALFORMED_TOKEN);
    EXPECT(dst_decode_unverified(big_token, NULL, &back) == DST_OK);
    dst_claims_free(back);
}

struct op {
    void (*run)(void);
    const char *name;
    size_t promise; /* the "Stack:" line of the header for these functions */
};
static const struct op ops[] = {
    {op_keys, "dst_key_new, dst_key_free", STACK_PROMISE},
    {op_claims, "dst_claims_* (new, clone, free, setters, getters, remove, to_json)", STACK_PROMISE},
    {op_claims_json, "dst_claims_set_json, dst_claims_get_json (128 deep)", STACK_PROMISE},
    {op_sign, "dst_sign, dst_sign_into (128-deep claims)", STACK_PROMISE},
    {op_mint, "dst_room_token_init, dst_mint, dst_mint_into, dst_mint_url", STACK_PROMISE},
    {op_verify, "dst_verify (128-deep payload)", VERIFY_PROMISE},
    {op_verify_longest, "dst_verify (the longest token)", VERIFY_PROMISE},
    {op_verify_errors, "dst_verify (errors)", VERIFY_PROMISE},
    {op_error_data, "dst_key_new_text, dst_last_error, dst_last_error_restore, dst_claims_set_custom_*, dst_claims_set_lifetime, dst_mint (version 3)", STACK_PROMISE},
    {op_verify_opts, "dst_verify_opts, dst_decode_unverified (128-deep payload, the longest token)", VERIFY_PROMISE},
    {op_misc, "dst_join_url, dst_join_url_opts, dst_string_free, dst_last_error_message, dst_status_name, dst_version", STACK_PROMISE},
};

/* ---- running them ------------------------------------------------------------------------ */
/* 16 KiB, or the platform's minimum where that is larger (64 KiB pages, for instance). */
static size_t small_stack(void) {
#ifdef PTHREAD_STACK_MIN
    if ((size_t)PTHREAD_STACK_MIN > (size_t)SMALL_STACK) return (size_t)PTHREAD_STACK_MIN;
#endif
    return SMALL_STACK;
}

static void *worker(void *arg) {
    ((const struct op *)arg)->run();
    return NULL;
}

static void *all_ops(void *arg) {
    (void)arg;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) ops[i].run();
    return NULL;
}

/* Runs `op` on a painted stack buffer; returns the bytes of it that were used. */
static size_t measure(const struct op *op) {
    unsigned char *mem = NULL;
    if (posix_memalign((void **)&mem, 4096, MEASURE_STACK) != 0) exit(2);
    memset(mem, PAINT, MEASURE_STACK);
    pthread_attr_t attr;
    pthread_t thread;
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstack(&attr, mem, MEASURE_STACK) == 0);
    CHECK(pthread_create(&thread, &attr, worker, (void *)op) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    pthread_attr_destroy(&attr);
    size_t i = 0;
    while (i < MEASURE_STACK && mem[i] == PAINT) i++;
    free(mem);
    return MEASURE_STACK - i;
}

int main(void) {
    make_inputs();

    /* Everything, one after the other, on a 16 KiB stack (PTHREAD_STACK_MIN on x86-64). */
    pthread_attr_t attr;
    pthread_t thread;
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstacksize(&attr, small_stack()) == 0);
    for (int round = 0; round < 2 && getenv("DSTOKEN_SKIP_SMALL_STACK") == NULL; round++) {
        CHECK(pthread_create(&thread, &attr, all_ops, NULL) == 0);
        CHECK(pthread_join(thread, NULL) == 0);
    }
    pthread_attr_destroy(&attr);
    CHECK(op_failures == 0);
    if (op_failures != 0) fprintf(stderr, "first failed expectation: line %d\n", first_failed_line);

    /* The stack each group needs, against the header's promise. Valgrind runs the code it
     * measures differently (no SHA-NI, its own frames): measured in the plain run only. */
    if (getenv("DSTOKEN_NO_STACK_MEASURE") == NULL) {
        size_t base = measure(&(struct op){op_nothing, "nothing", 0});
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            size_t used = measure(&ops[i]) - base;
            printf("%6zu bytes of stack: %s\n", used, ops[i].name);
            check_count++;
            if (used > ops[i].promise) {
                check_failures++;
                fprintf(stderr, "%s:%d: %s used %zu bytes of stack, over the %zu promised\n",
                        __FILE__, __LINE__, ops[i].name, used, ops[i].promise);
            }
        }
        CHECK(op_failures == 0);
    }

    free(big_key);
    free(deep_array);
    free(deep_object);
    free(too_deep);
    free(long_text);
    free(too_deep_token);
    free(forged_token);
    dst_string_free(deep_token);
    dst_string_free(big_token);
    dst_key_free(key);
    return check_report("test_small_stack");
}
