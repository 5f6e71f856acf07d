/* dst_verify: round trips, the RFC 7515 example, hostile and expired tokens. */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

/* RFC 7515 Appendix A.1: the HS256 example (key given there as base64url; raw bytes here). */
static const uint8_t RFC_KEY[] = {
    3,   35,  53,  75,  43,  15,  165, 188, 131, 126, 6,   101, 119, 123, 166, 143,
    90,  179, 40,  230, 240, 84,  201, 40,  169, 15,  132, 178, 210, 80,  46,  191,
    211, 251, 90,  146, 210, 6,   71,  239, 150, 138, 180, 195, 119, 98,  61,  34,
    61,  46,  33,  114, 5,   46,  79,  8,   192, 205, 154, 245, 103, 208, 128, 163};
static const char RFC_TOKEN[] =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

static const char KEY[] = "a-team-developer-key-of-32-bytes";
static const int64_t T2040 = 2208988800; /* 2040-01-01, past the 32-bit limit */

static dst_key *make_key(void) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)KEY, strlen(KEY), &k), DST_OK);
    return k;
}

static char *mint(const dst_key *k, int64_t iat, int64_t nbf, int64_t exp) {
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(c, "Zo\xc3\xab \xf0\x9f\x8e\x89 \xe6\x9d\x8e"), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, iat), DST_OK);
    CHECK_STATUS(dst_claims_set_not_before(c, nbf), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, exp), DST_OK);
    char *token = NULL;
    CHECK_STATUS(dst_sign(c, k, &token), DST_OK);
    dst_claims_free(c);
    return token;
}

static void test_rfc7515_example(void) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new(RFC_KEY, sizeof RFC_KEY, &k), DST_OK);
    dst_claims *c = NULL;
    CHECK_STATUS(dst_verify(RFC_TOKEN, k, 1300819000, 0, &c), DST_OK);
    char *iss = NULL;
    int64_t exp = 0;
    bool root = false;
    CHECK_STATUS(dst_claims_get_string(c, "iss", &iss), DST_OK);
    CHECK_STR(iss, "joe");
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(exp == 1300819380);
    CHECK_STATUS(dst_claims_get_bool(c, "http://example.com/is_root", &root), DST_OK);
    CHECK(root);
    CHECK_STATUS(dst_claims_get_string(c, "td", &iss), DST_ERR_NOT_FOUND);
    dst_string_free(iss);
    dst_claims_free(c);
    c = NULL;
    CHECK_STATUS(dst_verify(RFC_TOKEN, k, 1300819380, 0, &c), DST_ERR_EXPIRED);
    CHECK(c == NULL);
    dst_key_free(k);
}

static void test_round_trip_and_times(void) {
    dst_key *k = make_key();
    char *token = mint(k, T2040, T2040 - 30, T2040 + 3600);
    dst_claims *c = NULL;
    CHECK_STATUS(dst_verify(token, k, T2040, 0, &c), DST_OK);
    char *u = NULL;
    CHECK_STATUS(dst_claims_get_string(c, "u", &u), DST_OK);
    CHECK_STR(u, "Zo\xc3\xab \xf0\x9f\x8e\x89 \xe6\x9d\x8e");
    dst_string_free(u);
    dst_claims_free(c);
    c = NULL;

    CHECK_ERROR(dst_verify(token, k, T2040 + 3600, 0, &c), DST_ERR_EXPIRED, "expired");
    CHECK_STATUS(dst_verify(token, k, T2040 + 3600, 1, &c), DST_OK);
    dst_claims_free(c);
    c = NULL;
    CHECK_ERROR(dst_verify(token, k, T2040 - 1, 0, &c), DST_ERR_NOT_YET_VALID, "iat");
    CHECK_STATUS(dst_verify(token, k, T2040 - 30, 30, &c), DST_OK);
    dst_claims_free(c);
    c = NULL;
    CHECK_ERROR(dst_verify(token, k, T2040 - 61, 30, &c), DST_ERR_NOT_YET_VALID, "before");
    CHECK(c == NULL);
    dst_string_free(token);
    dst_key_free(k);
}

static void expect(const char *token, const dst_key *k, dst_status want) {
    dst_claims *c = NULL;
    CHECK_STATUS(dst_verify(token, k, T2040, 0, &c), want);
    CHECK(c == NULL);
}

static void test_hostile_tokens(void) {
    dst_key *k = make_key();
    char *token = mint(k, T2040, T2040, T2040 + 60);
    size_t n = strlen(token);
    char *copy = malloc(n + 2);

    /* Truncated anywhere: never accepted. */
    for (size_t cut = 0; cut < n; cut++) {
        memcpy(copy, token, cut);
        copy[cut] = '\0';
        dst_claims *c = NULL;
        dst_status s = dst_verify(copy, k, T2040, 0, &c);
        CHECK(s == DST_ERR_MALFORMED_TOKEN || s == DST_ERR_BAD_SIGNATURE);
        CHECK(c == NULL);
    }
    /* Tampered: every single byte changed. */
    for (size_t i = 0; i < n; i++) {
        memcpy(copy, token, n + 1);
        copy[i] = copy[i] == 'A' ? 'B' : 'A';
        dst_claims *c = NULL;
        CHECK(dst_verify(copy, k, T2040, 0, &c) != DST_OK);
        CHECK(c == NULL);
    }
    /* Padding, whitespace, extra parts. */
    memcpy(copy, token, n + 1);
    strcat(copy, "=");
    expect(copy, k, DST_ERR_MALFORMED_TOKEN);
    memcpy(copy, token, n + 1);
    strcat(copy, ".");
    expect(copy, k, DST_ERR_MALFORMED_TOKEN);
    memcpy(copy, token, n + 1);
    copy[5] = ' ';
    expect(copy, k, DST_ERR_MALFORMED_TOKEN);
    expect("", k, DST_ERR_MALFORMED_TOKEN);
    expect("..", k, DST_ERR_MALFORMED_TOKEN);
    expect("not a token", k, DST_ERR_MALFORMED_TOKEN);

    /* alg: none with the real payload and an empty signature. */
    const char *payload = strchr(token, '.') + 1;
    const char *payload_end = strchr(payload, '.');
    char none[1024];
    snprintf(none, sizeof none, "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.%.*s.", (int)(payload_end - payload), payload);
    CHECK_ERROR(dst_verify(none, k, T2040, 0, &(dst_claims *){NULL}), DST_ERR_UNSUPPORTED_ALGORITHM, "HS256");
    /* alg: HS512 header in front of the HS256 signature. */
    snprintf(none, sizeof none, "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.%s", payload);
    expect(none, k, DST_ERR_UNSUPPORTED_ALGORITHM);

    /* Wrong key. */
    dst_key *other = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)"other", 5, &other), DST_OK);
    expect(token, other, DST_ERR_BAD_SIGNATURE);
    /* The message lists the usual causes. */
    CHECK_ERROR(dst_verify(token, other, T2040, 0, &(dst_claims *){NULL}), DST_ERR_BAD_SIGNATURE, "trailing newline");
    CHECK_ERROR(dst_verify(token, other, T2040, 0, &(dst_claims *){NULL}), DST_ERR_BAD_SIGNATURE, "base64-decoded");
    CHECK_ERROR(dst_verify(token, other, T2040, 0, &(dst_claims *){NULL}), DST_ERR_BAD_SIGNATURE, "another team's key");
    dst_key_free(other);

    /* A whole join URL: MALFORMED_TOKEN, saying to pass the token alone. */
    {
        char url[1200];
        snprintf(url, sizeof url, "https://acme.digitalsamba.com/room?token=%s", token);
        CHECK_ERROR(dst_verify(url, k, T2040, 0, &(dst_claims *){NULL}), DST_ERR_MALFORMED_TOKEN, "pass the token alone");
        snprintf(url, sizeof url, "meet.example.com/room?token=%s", token);
        CHECK_ERROR(dst_verify(url, k, T2040, 0, &(dst_claims *){NULL}), DST_ERR_MALFORMED_TOKEN, "pass the token alone");
        CHECK_ERROR(dst_verify("http://x", k, T2040, 0, &(dst_claims *){NULL}), DST_ERR_MALFORMED_TOKEN, "not a token");
    }

    /* Over the length limit. */
    char *huge = malloc(DST_MAX_TOKEN_LENGTH + 2);
    memset(huge, 'a', DST_MAX_TOKEN_LENGTH + 1);
    huge[DST_MAX_TOKEN_LENGTH + 1] = '\0';
    dst_claims *c = NULL;
    CHECK_ERROR(dst_verify(huge, k, T2040, 0, &c), DST_ERR_MALFORMED_TOKEN, "limit");
    free(huge);

    /* Bad arguments. */
    const char bad_utf8[] = {(char)0xff, 0};
    CHECK_ERROR(dst_verify(NULL, k, 0, 0, &c), DST_ERR_NULL_ARGUMENT, "`token`");
    CHECK_ERROR(dst_verify(token, NULL, 0, 0, &c), DST_ERR_NULL_ARGUMENT, "`key`");
    CHECK_ERROR(dst_verify(token, k, 0, 0, NULL), DST_ERR_NULL_ARGUMENT, "`claims_out`");
    CHECK_ERROR(dst_verify(bad_utf8, k, 0, 0, &c), DST_ERR_INVALID_UTF8, "`token`");
    CHECK(c == NULL);
    free(copy);
    dst_string_free(token);
    dst_key_free(k);
}

int main(void) {
    test_rfc7515_example();
    test_round_trip_and_times();
    test_hostile_tokens();
    return check_report("test_verify");
}
