/* Errors as data and the functions that came with them: dst_last_error (the parts of each
 * kind of refusal, its struct_size rule, that a successful call leaves it alone),
 * dst_last_error_restore (a signal handler that makes dstoken calls while another call's error
 * is still to be read), dst_verify_opts, dst_decode_unverified, dst_key_new_text, the
 * dst_claims_set_custom_* family, dst_claims_set_lifetime, and dst_room_token's version 3
 * (max_lifetime_seconds, lifetime_nanos) beside a version-2-sized struct. */
#include "check.h"

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static const char KEY[] = "a-team-developer-key-of-32-bytes";
static const int64_t NOW = 1767225600; /* 2026-01-01T00:00:00Z */

/* The calling thread's last error; a failed CHECK when dst_last_error() refuses. */
static dst_error last(void) {
    dst_error e = DST_ERROR_INIT;
    CHECK(dst_last_error(&e));
    return e;
}

/* Checks the parts every refusal has: status, reason, argument. */
#define CHECK_PARTS(e, want_status, want_reason, want_arg)                                         \
    do {                                                                                           \
        check_count++;                                                                             \
        if ((e).status != (int32_t)(want_status) || (e).reason != (uint32_t)(want_reason) ||       \
            (e).argument != (uint32_t)(want_arg)) {                                                \
            check_failures++;                                                                      \
            fprintf(stderr, "%s:%d: parts status %d reason %u argument %u, want %d %u %u (%s)\n", \
                    __FILE__, __LINE__, (int)(e).status, (unsigned)(e).reason,                     \
                    (unsigned)(e).argument, (int)(want_status), (unsigned)(want_reason),           \
                    (unsigned)(want_arg), dst_last_error_message());                               \
        }                                                                                          \
    } while (0)

static dst_key *make_key(void) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)KEY, strlen(KEY), &k), DST_OK);
    return k;
}

/* A token for team "team", room "room", iat NOW, exp NOW + 3600 (or none), and `extra` as a
 * custom string claim "extra" when not NULL. */
static char *token_for(const dst_key *k, bool with_exp, const char *extra) {
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, NOW), DST_OK);
    if (with_exp) CHECK_STATUS(dst_claims_set_expires_at(c, NOW + 3600), DST_OK);
    if (extra != NULL) CHECK_STATUS(dst_claims_set_custom_string(c, "extra", extra), DST_OK);
    char *t = NULL;
    CHECK_STATUS(dst_sign(c, k, &t), DST_OK);
    dst_claims_free(c);
    return t;
}

/* ---- dst_last_error: the parts of each kind of refusal ----------------------------------- */
static void test_parts(void) {
    dst_key *k = make_key();
    dst_claims *c = dst_claims_new();
    dst_error e;

    CHECK_STATUS(dst_claims_set_team_id(NULL, "x"), DST_ERR_NULL_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_NULL_ARGUMENT, DST_REASON_NULL, DST_ARG_CLAIMS);

    CHECK_STATUS(dst_claims_set_room(c, "ab\xff"), DST_ERR_INVALID_UTF8);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_UTF8, DST_REASON_NOT_UTF8, DST_ARG_ROOM);
    CHECK(e.value == 2);

    dst_key *k2 = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)KEY, 0, &k2), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_EMPTY, DST_ARG_KEY);
    CHECK(k2 == NULL);

    /* A time in milliseconds: the value and the value in seconds. */
    CHECK_STATUS(dst_claims_set_expires_at(c, NOW * 1000), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_MILLISECONDS, DST_ARG_EXPIRES_AT);
    CHECK(e.value == NOW * 1000 && e.suggested == NOW);

    CHECK_STATUS(dst_claims_set_issued_at(c, -1), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_OUT_OF_RANGE, DST_ARG_ISSUED_AT);
    CHECK(e.value == -1 && e.limit == DST_MAX_SIGN_TIME);

    /* A claim of another type: the type numbers. */
    CHECK_STATUS(dst_claims_set_custom_string(c, "s", "text"), DST_OK);
    int64_t n = 0;
    CHECK_STATUS(dst_claims_get_int(c, "s", &n), DST_ERR_WRONG_TYPE);
    e = last();
    CHECK(e.status == DST_ERR_WRONG_TYPE && e.reason == DST_REASON_WRONG_TYPE);
    CHECK_STR(e.name, "s");
    CHECK(e.value == DST_TYPE_STRING && e.limit == DST_TYPE_INTEGER);

    CHECK_STATUS(dst_claims_get_int(c, "absent", &n), DST_ERR_NOT_FOUND);
    e = last();
    CHECK(e.status == DST_ERR_NOT_FOUND && e.reason == DST_REASON_NOT_FOUND);
    CHECK_STR(e.name, "absent");

    /* The buffer's size and the bytes needed. */
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, NOW + 60), DST_OK);
    char small[10];
    size_t needed = 0;
    CHECK_STATUS(dst_sign_into(c, k, small, sizeof small, &needed), DST_ERR_BUFFER_TOO_SMALL);
    e = last();
    CHECK(e.status == DST_ERR_BUFFER_TOO_SMALL && e.reason == DST_REASON_BUFFER_TOO_SMALL);
    CHECK(e.value == (int64_t)sizeof small && e.limit > (int64_t)sizeof small);

    /* Verification: expired (exp and how long ago), not yet valid, bad signature, URL. */
    char *tok = token_for(k, true, NULL);
    dst_claims *out = NULL;
    CHECK_STATUS(dst_verify(tok, k, NOW + 3600 + 90, 5, &out), DST_ERR_EXPIRED);
    e = last();
    CHECK(e.status == DST_ERR_EXPIRED && e.reason == DST_REASON_EXPIRED);
    CHECK(e.time == NOW + 3600 && e.value == 90 && e.limit == 5);
    CHECK(out == NULL);

    CHECK_STATUS(dst_verify(tok, k, NOW - 100, 0, &out), DST_ERR_NOT_YET_VALID);
    e = last();
    CHECK(e.status == DST_ERR_NOT_YET_VALID && e.reason == DST_REASON_ISSUED_IN_FUTURE);
    CHECK(e.time == NOW && e.value == 100);

    dst_key *other = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"another key", 11, &other), DST_OK);
    CHECK_STATUS(dst_verify(tok, other, NOW, 0, &out), DST_ERR_BAD_SIGNATURE);
    e = last();
    CHECK(e.status == DST_ERR_BAD_SIGNATURE && e.reason == DST_REASON_SIGNATURE_MISMATCH);
    dst_key_free(other);

    CHECK_STATUS(dst_verify("https://team.digitalsamba.com/room?token=a.b.c", k, NOW, 0, &out),
                 DST_ERR_MALFORMED_TOKEN);
    e = last();
    CHECK(e.status == DST_ERR_MALFORMED_TOKEN && e.reason == DST_REASON_IS_URL);

    /* alg "none": the token's alg in `text`. {"alg":"none"}.{}.sig */
    CHECK_STATUS(dst_verify("eyJhbGciOiJub25lIn0.e30.AAAA", k, NOW, 0, &out), DST_ERR_UNSUPPORTED_ALGORITHM);
    e = last();
    CHECK(e.status == DST_ERR_UNSUPPORTED_ALGORITHM && e.reason == DST_REASON_ALGORITHM);
    CHECK_STR(e.text, "none");

    /* A host: the host given in `text`. */
    char *url = NULL;
    CHECK_STATUS(dst_join_url("10.0.0.1", "room", NULL, &url), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_IP_ADDRESS, DST_ARG_TEAM);
    CHECK_STR(e.text, "10.0.0.1");
    CHECK(url == NULL);

    /* The core's English message is there too, for C programs. */
    CHECK(strstr(dst_last_error_message(), "10.0.0.1") != NULL);

    dst_string_free(tok);
    dst_claims_free(c);
    dst_key_free(k);
}

/* ---- dst_last_error: its own contract ------------------------------------------------------ */
static void test_last_error_contract(void) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new(NULL, 3, &k), DST_ERR_NULL_ARGUMENT);

    /* NULL out, a zero or too-small struct_size: false, nothing written, no error recorded. */
    CHECK(!dst_last_error(NULL));
    dst_error e;
    memset(&e, 0x5a, sizeof e);
    e.struct_size = 0;
    CHECK(!dst_last_error(&e));
    CHECK(e.struct_size == 0 && e.status == 0x5a5a5a5a);
    e.struct_size = sizeof e - 1;
    CHECK(!dst_last_error(&e));
    CHECK(e.struct_size == sizeof e - 1 && e.status == 0x5a5a5a5a && (unsigned char)e.text[0] == 0x5a);
    e.struct_size = offsetof(dst_error, name);
    CHECK(!dst_last_error(&e));
    /* The refusals above recorded nothing: the key_new error is still the last one. */
    e = last();
    CHECK_PARTS(e, DST_ERR_NULL_ARGUMENT, DST_REASON_NULL, DST_ARG_KEY);

    /* A later, larger struct is filled up to this version's size; its tail is not touched. */
    union {
        dst_error e;
        unsigned char bytes[sizeof(dst_error) + 64];
    } big;
    memset(&big, 0x77, sizeof big);
    big.e.struct_size = sizeof big;
    CHECK(dst_last_error(&big.e));
    CHECK(big.e.status == DST_ERR_NULL_ARGUMENT && big.e.argument == DST_ARG_KEY);
    CHECK(big.e.struct_size == sizeof big);
    CHECK(big.bytes[sizeof(dst_error)] == 0x77 && big.bytes[sizeof big - 1] == 0x77);

    /* Successful calls leave it as it was. */
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_custom_int(c, "n", 1), DST_OK);
    CHECK_STATUS(dst_key_new((const uint8_t *)KEY, strlen(KEY), &k), DST_OK);
    char *json = NULL;
    CHECK_STATUS(dst_claims_to_json(c, &json), DST_OK);
    dst_string_free(json);
    dst_error after = last();
    CHECK_PARTS(after, DST_ERR_NULL_ARGUMENT, DST_REASON_NULL, DST_ARG_KEY);
    CHECK(after.value == e.value && after.limit == e.limit && strcmp(after.name, e.name) == 0);

    /* Unused parts are zero / empty. */
    CHECK(after.other == DST_ARG_NONE && after.time == 0 && after.suggested == 0);
    CHECK(after.name[0] == '\0' && after.text[0] == '\0');

    /* A name is cut to fit its capacity, NUL-terminated. */
    char long_name[300];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    char *s = NULL;
    CHECK_STATUS(dst_claims_get_string(c, long_name, &s), DST_ERR_NOT_FOUND);
    e = last();
    CHECK(strlen(e.name) == DST_ERROR_NAME_CAPACITY - 1 && e.name[0] == 'n');

    dst_claims_free(c);
    dst_key_free(k);
}

/* ---- dst_last_error_restore in a signal handler -------------------------------------------- */
static volatile sig_atomic_t handler_ran;
static dst_error in_handler; /* what the handler's own failing call recorded */

static void on_alarm(int sig) {
    (void)sig;
    dst_error saved = DST_ERROR_INIT;
    bool have = dst_last_error(&saved);
    /* The handler's own work fails, replacing the thread's last error... */
    dst_key *k = NULL;
    (void)dst_key_new_text((const uint8_t *)" padded", 7, &k);
    in_handler.struct_size = sizeof in_handler;
    (void)dst_last_error(&in_handler);
    /* ...and puts back the error the interrupted code has still to read. */
    if (have) dst_last_error_restore(&saved);
    handler_ran = 1;
}

static void test_restore_in_signal_handler(void) {
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_expires_at(c, NOW * 1000), DST_ERR_INVALID_ARGUMENT);
    dst_error before = last();

    CHECK(signal(SIGALRM, on_alarm) != SIG_ERR);
    handler_ran = 0;
    CHECK(raise(SIGALRM) == 0);
    CHECK(handler_ran == 1);
    CHECK(signal(SIGALRM, SIG_DFL) != SIG_ERR);

    /* The handler saw its own error... */
    CHECK_PARTS(in_handler, DST_ERR_INVALID_ARGUMENT, DST_REASON_KEY_WHITESPACE, DST_ARG_KEY);
    CHECK(in_handler.value == 0);
    /* ...and the interrupted code still reads its own, every part. */
    dst_error after = last();
    CHECK_PARTS(after, DST_ERR_INVALID_ARGUMENT, DST_REASON_MILLISECONDS, DST_ARG_EXPIRES_AT);
    CHECK(after.value == before.value && after.limit == before.limit && after.time == before.time &&
          after.suggested == before.suggested && after.other == before.other);
    CHECK(strcmp(after.name, before.name) == 0 && strcmp(after.text, before.text) == 0);
    /* The English message is not kept in a dst_error; the restored one names the status. */
    CHECK(strstr(dst_last_error_message(), "DST_ERR_INVALID_ARGUMENT") != NULL);
    CHECK(strstr(dst_last_error_message(), "whitespace") == NULL);

    /* Restoring ignores NULL and a too-small struct: the last error stays. */
    dst_last_error_restore(NULL);
    dst_error small = in_handler;
    small.struct_size = sizeof small - 1;
    dst_last_error_restore(&small);
    after = last();
    CHECK_PARTS(after, DST_ERR_INVALID_ARGUMENT, DST_REASON_MILLISECONDS, DST_ARG_EXPIRES_AT);

    /* Restoring a cleared struct (DST_ERROR_INIT, nothing failed) clears the last error. */
    dst_error none = DST_ERROR_INIT;
    dst_last_error_restore(&none);
    after = last();
    CHECK(after.status == DST_OK && after.reason == DST_REASON_NONE);
    dst_claims_free(c);
}

/* ---- dst_verify_opts ----------------------------------------------------------------------- */
static void test_verify_opts(void) {
    dst_key *k = make_key();
    char *tok = token_for(k, true, "x");
    char *no_exp = token_for(k, false, NULL);
    dst_claims *out = NULL;
    dst_error e;

    /* NULL options are the defaults: exp required (checked after the signature and times,
     * which this token without exp, issued 2026-01-01, passes). */
    CHECK_STATUS(dst_verify_opts(no_exp, k, NULL, &out), DST_ERR_MISSING_CLAIM);
    e = last();
    CHECK(e.status == DST_ERR_MISSING_CLAIM && e.reason == DST_REASON_MISSING);
    CHECK_STR(e.name, "exp");
    CHECK(out == NULL);

    dst_verify_options o = DST_VERIFY_OPTIONS_INIT;
    o.now = NOW;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    CHECK(out != NULL);
    dst_claims_free(out);
    out = NULL;
    /* The defaults require exp; exp_optional lifts that. */
    CHECK_STATUS(dst_verify_opts(no_exp, k, &o, &out), DST_ERR_MISSING_CLAIM);
    o.exp_optional = true;
    CHECK_STATUS(dst_verify_opts(no_exp, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    o.exp_optional = false;

    /* now and leeway. */
    o.now = NOW + 3600;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_EXPIRED);
    o.leeway_seconds = 1;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    o.now = NOW;
    o.leeway_seconds = 0;

    /* Expected team and room: equal passes; another value is a mismatch naming the claim
     * and carrying the token's value. */
    o.team_id = "team";
    o.room = "room";
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    o.team_id = "other-team";
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_CLAIM_MISMATCH);
    e = last();
    CHECK_PARTS(e, DST_ERR_CLAIM_MISMATCH, DST_REASON_CLAIM_MISMATCH, DST_ARG_TEAM_ID);
    CHECK_STR(e.name, "td");
    CHECK_STR(e.text, "team");
    CHECK(out == NULL);
    o.team_id = "team";
    o.room = "other-room";
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_CLAIM_MISMATCH);
    e = last();
    CHECK_PARTS(e, DST_ERR_CLAIM_MISMATCH, DST_REASON_CLAIM_MISMATCH, DST_ARG_ROOM);
    CHECK_STR(e.name, "rd");
    CHECK_STR(e.text, "room");
    o.room = NULL;
    /* The signature is checked first: a mismatch is never reported for a forged token. */
    dst_key *other = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"another key", 11, &other), DST_OK);
    o.team_id = "other-team";
    CHECK_STATUS(dst_verify_opts(tok, other, &o, &out), DST_ERR_BAD_SIGNATURE);
    dst_key_free(other);
    o.team_id = NULL;
    /* Bad UTF-8 in an expected value. */
    o.room = "r\xff";
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_INVALID_UTF8);
    o.room = NULL;

    /* Required claims: present passes, absent is named. */
    const char *req_ok[] = {"extra", "td", "iat"};
    o.required = req_ok;
    o.required_len = 3;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    const char *req_missing[] = {"extra", "role"};
    o.required = req_missing;
    o.required_len = 2;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_MISSING_CLAIM);
    e = last();
    CHECK(e.status == DST_ERR_MISSING_CLAIM && e.reason == DST_REASON_MISSING);
    CHECK_STR(e.name, "role");
    /* Only `required_len` names are read. */
    o.required_len = 1;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    /* A NULL entry, a NULL list with a length, a name that is not UTF-8: refused, not read. */
    const char *req_null[] = {"extra", NULL};
    o.required = req_null;
    o.required_len = 2;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_NULL_ARGUMENT);
    e = last();
    CHECK(e.status == DST_ERR_NULL_ARGUMENT && e.argument == DST_ARG_REQUIRED);
    CHECK(out == NULL);
    o.required = NULL;
    o.required_len = 1;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_NULL_ARGUMENT);
    e = last();
    CHECK(e.argument == DST_ARG_REQUIRED);
    const char *req_bad[] = {"\xc3"};
    o.required = req_bad;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_INVALID_UTF8);
    o.required = NULL;
    o.required_len = 0;
    CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;

    /* struct_size: 0 and short sizes refused; a later version with a zero tail accepted, with
     * a set tail refused. */
    size_t bad_sizes[] = {0, 1, sizeof(size_t), sizeof o - 1};
    for (size_t i = 0; i < sizeof bad_sizes / sizeof bad_sizes[0]; i++) {
        o.struct_size = bad_sizes[i];
        CHECK_STATUS(dst_verify_opts(tok, k, &o, &out), DST_ERR_INVALID_ARGUMENT);
        e = last();
        CHECK(e.reason == DST_REASON_BAD_STRUCT_SIZE && e.value == (int64_t)bad_sizes[i]);
        CHECK(out == NULL);
    }
    union {
        dst_verify_options o;
        unsigned char bytes[sizeof(dst_verify_options) + 16];
    } big;
    memset(&big, 0, sizeof big);
    big.o = o;
    big.o.struct_size = sizeof big;
    CHECK_STATUS(dst_verify_opts(tok, k, &big.o, &out), DST_OK);
    dst_claims_free(out);
    out = NULL;
    big.bytes[sizeof(dst_verify_options) + 3] = 1;
    CHECK_STATUS(dst_verify_opts(tok, k, &big.o, &out), DST_ERR_INVALID_ARGUMENT);
    o.struct_size = sizeof o;

    /* NULL arguments. */
    CHECK_STATUS(dst_verify_opts(NULL, k, &o, &out), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_TOKEN);
    CHECK_STATUS(dst_verify_opts(tok, NULL, &o, &out), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_KEY);
    CHECK_STATUS(dst_verify_opts(tok, k, &o, NULL), DST_ERR_NULL_ARGUMENT);

    dst_string_free(tok);
    dst_string_free(no_exp);
    dst_key_free(k);
}

/* ---- dst_decode_unverified ----------------------------------------------------------------- */
static void test_decode_unverified(void) {
    dst_key *k = make_key();
    char *tok = token_for(k, true, "x");
    char *header = NULL;
    dst_claims *c = NULL;
    CHECK_STATUS(dst_decode_unverified(tok, &header, &c), DST_OK);
    CHECK(header != NULL && strstr(header, "\"alg\":\"HS256\"") != NULL);
    char *s = NULL;
    CHECK_STATUS(dst_claims_get_string(c, "extra", &s), DST_OK);
    CHECK_STR(s, "x");
    dst_string_free(s);
    dst_string_free(header);
    dst_claims_free(c);
    c = NULL;
    header = NULL;

    /* Without the header. */
    CHECK_STATUS(dst_decode_unverified(tok, NULL, &c), DST_OK);
    CHECK(c != NULL);
    dst_claims_free(c);
    c = NULL;

    /* Nothing is verified: a wrong signature, an expired token, alg "none" all decode. */
    char *forged = malloc(strlen(tok) + 1);
    CHECK(forged != NULL);
    if (forged != NULL) {
        strcpy(forged, tok);
        char *sig = strrchr(forged, '.') + 1;
        sig[0] = sig[0] == 'A' ? 'B' : 'A';
        CHECK_STATUS(dst_decode_unverified(forged, NULL, &c), DST_OK);
        dst_claims_free(c);
        c = NULL;
        free(forged);
    }
    /* {"alg":"none"} . {"td":"t"} . (empty signature) */
    CHECK_STATUS(dst_decode_unverified("eyJhbGciOiJub25lIn0.eyJ0ZCI6InQifQ.", &header, &c), DST_OK);
    CHECK_STR(header, "{\"alg\":\"none\"}");
    CHECK_STATUS(dst_claims_get_string(c, "td", &s), DST_OK);
    CHECK_STR(s, "t");
    dst_string_free(s);
    dst_string_free(header);
    dst_claims_free(c);
    c = NULL;
    header = NULL;

    /* Malformed tokens and URLs are refused; the outputs are not written. */
    CHECK_STATUS(dst_decode_unverified("not a token", &header, &c), DST_ERR_MALFORMED_TOKEN);
    CHECK(header == NULL && c == NULL);
    CHECK_STATUS(dst_decode_unverified("a.b", &header, &c), DST_ERR_MALFORMED_TOKEN);
    CHECK(last().reason == DST_REASON_NOT_THREE_PARTS);
    CHECK_STATUS(dst_decode_unverified("https://team.digitalsamba.com/room?token=a.b.c", &header, &c),
                 DST_ERR_MALFORMED_TOKEN);
    CHECK(last().reason == DST_REASON_IS_URL);
    CHECK(header == NULL && c == NULL);
    CHECK_STATUS(dst_decode_unverified(NULL, &header, &c), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_TOKEN);
    CHECK_STATUS(dst_decode_unverified(tok, &header, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK(header == NULL);
    CHECK_STATUS(dst_decode_unverified("\xff.b.c", &header, &c), DST_ERR_INVALID_UTF8);

    dst_string_free(tok);
    dst_key_free(k);
}

/* ---- dst_key_new_text ---------------------------------------------------------------------- */
static void test_key_new_text(void) {
    /* The same bytes make the same key as dst_key_new. */
    dst_key *bytes_key = make_key(), *text_key = NULL;
    CHECK_STATUS(dst_key_new_text((const uint8_t *)KEY, strlen(KEY), &text_key), DST_OK);
    char *a = token_for(bytes_key, true, NULL), *b = token_for(text_key, true, NULL);
    CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
    dst_string_free(a);
    dst_string_free(b);
    dst_key_free(text_key);
    text_key = NULL;

    /* Whitespace at either end is refused with its offset; inside it is part of the key. */
    static const char ws[] = {' ', '\t', '\n', '\r', '\v', '\f'};
    for (size_t i = 0; i < sizeof ws; i++) {
        char buf[8] = "key";
        buf[3] = ws[i];
        CHECK_STATUS(dst_key_new_text((const uint8_t *)buf, 4, &text_key), DST_ERR_INVALID_ARGUMENT);
        dst_error e = last();
        CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_KEY_WHITESPACE, DST_ARG_KEY);
        CHECK(e.value == 3);
        buf[0] = ws[i];
        buf[1] = 'k';
        CHECK_STATUS(dst_key_new_text((const uint8_t *)buf, 2, &text_key), DST_ERR_INVALID_ARGUMENT);
        CHECK(last().value == 0);
        CHECK(text_key == NULL);
        /* The same bytes as bytes are a key. */
        CHECK_STATUS(dst_key_new((const uint8_t *)buf, 2, &text_key), DST_OK);
        dst_key_free(text_key);
        text_key = NULL;
    }
    CHECK_STATUS(dst_key_new_text((const uint8_t *)"a key", 5, &text_key), DST_OK);
    dst_key_free(text_key);
    text_key = NULL;

    CHECK_STATUS(dst_key_new_text((const uint8_t *)"", 0, &text_key), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().reason == DST_REASON_EMPTY);
    CHECK_STATUS(dst_key_new_text(NULL, 0, &text_key), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_KEY);
    CHECK_STATUS(dst_key_new_text((const uint8_t *)"k", 1, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK(text_key == NULL);
    dst_key_free(bytes_key);
}

/* ---- dst_claims_set_custom_* ---------------------------------------------------------------- */
static void test_custom_setters(void) {
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_custom_string(c, "s", "v"), DST_OK);
    CHECK_STATUS(dst_claims_set_custom_int(c, "i", INT64_MIN), DST_OK);
    CHECK_STATUS(dst_claims_set_custom_bool(c, "b", true), DST_OK);
    CHECK_STATUS(dst_claims_set_custom_json(c, "j", "[1,{\"a\":null}]"), DST_OK);
    char *json = NULL;
    CHECK_STATUS(dst_claims_to_json(c, &json), DST_OK);
    CHECK_STR(json, "{\"s\":\"v\",\"i\":-9223372036854775808,\"b\":true,\"j\":[1,{\"a\":null}]}");
    dst_string_free(json);

    /* Every registered name is refused by each setter, naming the claim and its argument. */
    static const struct {
        const char *name;
        uint32_t arg;
    } registered[] = {
        {"td", DST_ARG_TEAM_ID},     {"rd", DST_ARG_ROOM},       {"u", DST_ARG_USER_NAME},
        {"ud", DST_ARG_USER_ID},     {"initials", DST_ARG_INITIALS}, {"role", DST_ARG_ROLE},
        {"breakoutId", DST_ARG_BREAKOUT_ID}, {"avatar", DST_ARG_AVATAR}, {"iat", DST_ARG_ISSUED_AT},
        {"nbf", DST_ARG_NOT_BEFORE}, {"exp", DST_ARG_EXPIRES_AT},
    };
    for (size_t i = 0; i < sizeof registered / sizeof registered[0]; i++) {
        const char *n = registered[i].name;
        for (int setter = 0; setter < 4; setter++) {
            dst_status s = setter == 0   ? dst_claims_set_custom_string(c, n, "x")
                           : setter == 1 ? dst_claims_set_custom_int(c, n, 1)
                           : setter == 2 ? dst_claims_set_custom_bool(c, n, false)
                                         : dst_claims_set_custom_json(c, n, "1");
            CHECK(s == DST_ERR_INVALID_ARGUMENT);
            dst_error e = last();
            CHECK(e.reason == DST_REASON_REGISTERED_NAME && e.other == registered[i].arg);
            CHECK_STR(e.name, n);
            CHECK_STR(e.text, "");
        }
    }
    /* Nothing registered was set; the custom claims are unchanged. */
    CHECK_STATUS(dst_claims_to_json(c, &json), DST_OK);
    CHECK_STR(json, "{\"s\":\"v\",\"i\":-9223372036854775808,\"b\":true,\"j\":[1,{\"a\":null}]}");
    dst_string_free(json);
    /* Names are compared exactly: another case is a custom claim. */
    CHECK_STATUS(dst_claims_set_custom_string(c, "TD", "x"), DST_OK);
    CHECK_STATUS(dst_claims_set_custom_string(c, "breakoutid", "x"), DST_OK);

    /* Empty, NULL, bad UTF-8, bad JSON, too deep. */
    CHECK_STATUS(dst_claims_set_custom_string(c, "", "x"), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().reason == DST_REASON_EMPTY && last().argument == DST_ARG_CLAIM_NAME);
    CHECK_STATUS(dst_claims_set_custom_int(c, NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_CLAIM_NAME);
    CHECK_STATUS(dst_claims_set_custom_bool(NULL, "b", true), DST_ERR_NULL_ARGUMENT);
    CHECK(last().argument == DST_ARG_CLAIMS);
    CHECK_STATUS(dst_claims_set_custom_string(c, "s", NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_custom_string(c, "s", "\xe2\x82"), DST_ERR_INVALID_UTF8);
    CHECK_STATUS(dst_claims_set_custom_string(c, "\xff", "x"), DST_ERR_INVALID_UTF8);
    CHECK_STATUS(dst_claims_set_custom_json(c, "j", "[1,"), DST_ERR_INVALID_ARGUMENT);
    dst_error e = last();
    CHECK(e.reason == DST_REASON_BAD_JSON && e.argument == DST_ARG_JSON_TEXT);
    CHECK_STR(e.name, "j");
    char deep[2 * (DST_MAX_JSON_DEPTH + 1) + 1];
    for (int i = 0; i <= DST_MAX_JSON_DEPTH; i++) {
        deep[i] = '[';
        deep[2 * (DST_MAX_JSON_DEPTH + 1) - 1 - i] = ']';
    }
    deep[2 * (DST_MAX_JSON_DEPTH + 1)] = '\0';
    CHECK_STATUS(dst_claims_set_custom_json(c, "j", deep), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK(e.reason == DST_REASON_TOO_DEEP && e.limit == DST_MAX_JSON_DEPTH);
    /* The failed calls left "j" as it was. */
    CHECK_STATUS(dst_claims_get_json(c, "j", &json), DST_OK);
    CHECK_STR(json, "[1,{\"a\":null}]");
    dst_string_free(json);
    dst_claims_free(c);
}

/* ---- dst_claims_set_lifetime ---------------------------------------------------------------- */
static void test_set_lifetime(void) {
    dst_claims *c = dst_claims_new();
    int64_t iat = 0, exp = 0;
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 3600, 0, 0), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "iat", &iat), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(iat == NOW && exp == NOW + 3600);
    /* The default maximum is 30 days, inclusive. */
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, DEFAULT_MAX_LIFETIME, 0, 0), DST_OK);
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, DEFAULT_MAX_LIFETIME + 1, 0, 0), DST_ERR_INVALID_ARGUMENT);
    /* An hour in milliseconds: refused, with the value read as milliseconds suggested. */
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 3600000, 0, 0), DST_ERR_INVALID_ARGUMENT);
    dst_error e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_LIFETIME_TOO_LONG, DST_ARG_LIFETIME);
    CHECK(e.other == DST_ARG_MAX_LIFETIME && e.value == 3600000 && e.limit == DEFAULT_MAX_LIFETIME &&
          e.suggested == 3600);
    /* The refusals left the claims of the last success. */
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(exp == NOW + DEFAULT_MAX_LIFETIME);
    /* A raised maximum allows it; a lowered one refuses less. */
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 3600000, 0, 3600000), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(exp == NOW + 3600000);
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 61, 0, 60), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().limit == 60);
    /* A part below one second. */
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 1, 500000000, 0), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_SUB_SECOND, DST_ARG_LIFETIME);
    CHECK(e.value == 1 && e.limit == 500000000);
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 0, 1, 0), DST_ERR_INVALID_ARGUMENT);
    /* Zero, negative lifetimes; a negative maximum. */
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 0, 0, 0), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().reason == DST_REASON_NOT_POSITIVE && last().argument == DST_ARG_LIFETIME);
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, -5, 0, 0), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().value == -5);
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW, 60, 0, -1), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().argument == DST_ARG_MAX_LIFETIME && last().value == -1);
    /* now: 0 is the system clock; a time in milliseconds is refused. */
    int64_t before = (int64_t)time(NULL);
    CHECK_STATUS(dst_claims_set_lifetime(c, 0, 60, 0, 0), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "iat", &iat), DST_OK);
    CHECK(iat >= before && iat <= (int64_t)time(NULL));
    CHECK_STATUS(dst_claims_set_lifetime(c, NOW * 1000, 60, 0, 0), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().argument == DST_ARG_NOW);
    CHECK_STATUS(dst_claims_set_lifetime(NULL, NOW, 60, 0, 0), DST_ERR_NULL_ARGUMENT);
    dst_claims_free(c);
}

/* ---- dst_room_token version 3, and a version-2-sized struct ---------------------------------- */
static void test_room_token_v3(void) {
    dst_key *k = make_key();
    char *out = NULL;
    dst_room_token t = DST_ROOM_TOKEN_INIT;
    t.team_id = "team";
    t.room = "room";
    t.now = NOW;
    t.lifetime_seconds = 3600000;
    CHECK_STATUS(dst_mint(&t, k, &out), DST_ERR_INVALID_ARGUMENT);
    dst_error e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_LIFETIME_TOO_LONG, DST_ARG_LIFETIME);
    CHECK(e.other == DST_ARG_MAX_LIFETIME && e.suggested == 3600 && e.limit == DEFAULT_MAX_LIFETIME);
    CHECK(out == NULL);
    t.max_lifetime_seconds = 3600000;
    CHECK_STATUS(dst_mint(&t, k, &out), DST_OK);
    dst_claims *v = NULL;
    CHECK_STATUS(dst_verify(out, k, NOW, 0, &v), DST_OK);
    int64_t exp = 0;
    CHECK_STATUS(dst_claims_get_int(v, "exp", &exp), DST_OK);
    CHECK(exp == NOW + 3600000);
    dst_claims_free(v);
    dst_string_free(out);
    out = NULL;
    t.max_lifetime_seconds = -1;
    CHECK_STATUS(dst_mint(&t, k, &out), DST_ERR_INVALID_ARGUMENT);
    CHECK(last().argument == DST_ARG_MAX_LIFETIME && last().value == -1);
    t.max_lifetime_seconds = 0;
    t.lifetime_seconds = 3600;
    t.lifetime_nanos = 1;
    CHECK_STATUS(dst_mint(&t, k, &out), DST_ERR_INVALID_ARGUMENT);
    e = last();
    CHECK_PARTS(e, DST_ERR_INVALID_ARGUMENT, DST_REASON_SUB_SECOND, DST_ARG_LIFETIME);
    CHECK(e.value == 3600 && e.limit == 1);
    t.lifetime_nanos = 0;
    CHECK_STATUS(dst_mint(&t, k, &out), DST_OK);
    char *v3_token = out;
    out = NULL;

    /* A program compiled against version 2's header passes a struct that ends after
     * `no_expiry`: the library reads nothing past it (the copy below is exactly that long,
     * so valgrind and ASan see a read beyond it), and the new fields read as 0. */
    const size_t align = _Alignof(dst_room_token);
    const size_t v2 = (offsetof(dst_room_token, no_expiry) + sizeof(bool) + align - 1) / align * align;
    CHECK(v2 <= offsetof(dst_room_token, max_lifetime_seconds));
    dst_room_token full = t;
    full.max_lifetime_seconds = -7; /* garbage past a version-2 struct: must not be read */
    full.lifetime_nanos = 99;
    full.struct_size = v2;
    unsigned char *mem = malloc(v2);
    CHECK(mem != NULL);
    if (mem != NULL) {
        memcpy(mem, &full, v2);
        const dst_room_token *old = (const dst_room_token *)(void *)mem;
        CHECK_STATUS(dst_mint(old, k, &out), DST_OK);
        CHECK_STR(out, v3_token);
        dst_string_free(out);
        out = NULL;
        /* ...and gets the default maximum. */
        int64_t lifetime = 3600000;
        memcpy(mem + offsetof(dst_room_token, lifetime_seconds), &lifetime, sizeof lifetime);
        CHECK_STATUS(dst_mint(old, k, &out), DST_ERR_INVALID_ARGUMENT);
        CHECK(last().reason == DST_REASON_LIFETIME_TOO_LONG);
        lifetime = 3600;
        memcpy(mem + offsetof(dst_room_token, lifetime_seconds), &lifetime, sizeof lifetime);
        char buf[512];
        size_t len = 0;
        CHECK_STATUS(dst_mint_into(old, k, buf, sizeof buf, &len), DST_OK);
        CHECK_STR(buf, v3_token);
        CHECK_STATUS(dst_mint_url(old, k, "team", &out), DST_OK);
        CHECK(out != NULL && strstr(out, v3_token) != NULL);
        dst_string_free(out);
        out = NULL;
        free(mem);
    }
    /* A size between version 2's and version 3's is no version. */
    for (size_t size = v2 + 1; size < sizeof(dst_room_token); size++) {
        t.struct_size = size;
        CHECK_STATUS(dst_mint(&t, k, &out), DST_ERR_INVALID_ARGUMENT);
        CHECK(last().reason == DST_REASON_BAD_STRUCT_SIZE && last().value == (int64_t)size);
    }
    /* dst_room_token_init_size for this header's size initialises version 3. */
    dst_room_token i3;
    memset(&i3, 0xee, sizeof i3);
    CHECK_STATUS(dst_room_token_init_size(&i3, sizeof i3), DST_OK);
    CHECK(i3.struct_size == sizeof i3 && i3.max_lifetime_seconds == 0 && i3.lifetime_nanos == 0);
    dst_string_free(v3_token);
    dst_key_free(k);
}

int main(void) {
    test_parts();
    test_last_error_contract();
    test_restore_in_signal_handler();
    test_verify_opts();
    test_decode_unverified();
    test_key_new_text();
    test_custom_setters();
    test_set_lifetime();
    test_room_token_v3();
    return check_report("test_errors");
}
