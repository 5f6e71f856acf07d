/* dst_key_* and dst_sign / dst_sign_into: known answers, size protocol, bad input. */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

static const char KEY[] = "0123456789abcdef0123456789abcdef";

/* Computed independently (Python's hmac/hashlib/base64) for the fixed benchmark workload. */
static const char KAT_TOKEN[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJ0ZCI6ImIxYTdjMmQ0LTEyMzQtNGNkZS05ZjAwLTBhMWIyYzNkNGU1ZiIsInJkIjoiZGFpbHktc3RhbmR1cCIsInUi"
    "OiJKb2huIFNtaXRoIiwidWQiOiJ1c2VyLTAwMDA0MiIsInJvbGUiOiJtb2RlcmF0b3IiLCJpYXQiOjE3NjcyMjU2MDAs"
    "ImV4cCI6MTc2NzIyOTIwMH0.Wn0Cr5LETjwImX91BCJGPVuho_HGq-VKV4IobwvIesU";

static dst_key *make_key(const char *secret) {
    dst_key *k = NULL;
    CHECK_STATUS(dst_key_new((const uint8_t *)secret, strlen(secret), &k), DST_OK);
    CHECK(k != NULL);
    return k;
}

static dst_claims *workload_claims(void) {
    dst_claims *c = dst_claims_new();
    /* Set in a scrambled order: the payload order is fixed regardless. */
    CHECK_STATUS(dst_claims_set_expires_at(c, 1767229200), DST_OK);
    CHECK_STATUS(dst_claims_set_role(c, "moderator"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_id(c, "user-000042"), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, 1767225600), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(c, "John Smith"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "daily-standup"), DST_OK);
    CHECK_STATUS(dst_claims_set_team_id(c, "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f"), DST_OK);
    return c;
}

static void test_known_answer(void) {
    dst_key *k = make_key(KEY);
    dst_claims *c = workload_claims();
    char *token = NULL;
    CHECK_STATUS(dst_sign(c, k, &token), DST_OK);
    CHECK_STR(token, KAT_TOKEN);
    CHECK(token != NULL && strlen(token) == 288);
    dst_string_free(token);

    char buf[289];
    size_t len = 0;
    memset(buf, 'x', sizeof buf);
    CHECK_STATUS(dst_sign_into(c, k, buf, sizeof buf, &len), DST_OK);
    CHECK(len == 288);
    CHECK_STR(buf, KAT_TOKEN);
    dst_claims_free(c);
    dst_key_free(k);
}

static void test_size_protocol(void) {
    dst_key *k = make_key(KEY);
    dst_claims *c = workload_claims();
    size_t need = 0;
    CHECK_ERROR(dst_sign_into(c, k, NULL, 0, &need), DST_ERR_BUFFER_TOO_SMALL, "289");
    CHECK(need == 288);
    char small[288];
    size_t got = 0;
    memset(small, '#', sizeof small);
    CHECK_STATUS(dst_sign_into(c, k, small, sizeof small, &got), DST_ERR_BUFFER_TOO_SMALL);
    CHECK(got == 288);
    int untouched = 1;
    for (size_t i = 0; i < sizeof small; i++) untouched &= small[i] == '#';
    CHECK(untouched);
    char *buf = malloc(need + 1);
    CHECK_STATUS(dst_sign_into(c, k, buf, need + 1, &got), DST_OK);
    CHECK(got == need && buf[need] == '\0');
    CHECK_STR(buf, KAT_TOKEN);
    free(buf);
    CHECK_ERROR(dst_sign_into(c, k, NULL, 16, &got), DST_ERR_NULL_ARGUMENT, "`buf`");
    /* No buffer is larger than PTRDIFF_MAX: such a `cap` is refused, nothing is written. */
    memset(small, '#', sizeof small);
    got = 7;
    CHECK_ERROR(dst_sign_into(c, k, small, SIZE_MAX, &got), DST_ERR_INVALID_ARGUMENT, "PTRDIFF_MAX");
    CHECK_ERROR(dst_sign_into(c, k, small, (size_t)PTRDIFF_MAX + 1, &got), DST_ERR_INVALID_ARGUMENT,
                "`cap`");
    CHECK(got == 7 && small[0] == '#');
    CHECK_ERROR(dst_sign_into(c, k, small, sizeof small, NULL), DST_ERR_NULL_ARGUMENT, "`len_out`");
    CHECK_STATUS(dst_sign_into(NULL, k, small, sizeof small, &got), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_sign_into(c, NULL, small, sizeof small, &got), DST_ERR_NULL_ARGUMENT);
    dst_claims_free(c);
    dst_key_free(k);
}

static void test_keys(void) {
    dst_key *k = NULL;
    uint8_t zero = 0;
    CHECK_ERROR(dst_key_new(&zero, 0, &k), DST_ERR_INVALID_ARGUMENT, "empty");
    CHECK(k == NULL);
    CHECK_ERROR(dst_key_new(NULL, 0, &k), DST_ERR_NULL_ARGUMENT, "`secret`");
    CHECK_ERROR(dst_key_new(NULL, 32, &k), DST_ERR_NULL_ARGUMENT, "`secret`");
    CHECK_ERROR(dst_key_new((const uint8_t *)KEY, 32, NULL), DST_ERR_NULL_ARGUMENT, "`out`");
    dst_key_free(NULL);

    /* Binary keys (with NUL bytes) and keys longer than the 64-byte block work. */
    uint8_t big[100];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
    CHECK_STATUS(dst_key_new(big, sizeof big, &k), DST_OK);
    dst_claims *c = workload_claims();
    char *token = NULL;
    CHECK_STATUS(dst_sign(c, k, &token), DST_OK);
    dst_claims *back = NULL;
    CHECK_STATUS(dst_verify(token, k, 1767225600, 0, &back), DST_OK);
    dst_claims_free(back);
    back = NULL;
    /* A key differing only in its last byte does not verify it. */
    big[99] ^= 1;
    dst_key *k2 = NULL;
    CHECK_STATUS(dst_key_new(big, sizeof big, &k2), DST_OK);
    CHECK_STATUS(dst_verify(token, k2, 1767225600, 0, &back), DST_ERR_BAD_SIGNATURE);
    CHECK(back == NULL);
    dst_string_free(token);
    dst_claims_free(c);
    dst_key_free(k);
    dst_key_free(k2);
}

static void test_unsignable(void) {
    dst_key *k = make_key(KEY);
    dst_claims *c = dst_claims_new();
    char *token = NULL;
    CHECK_ERROR(dst_sign(c, k, &token), DST_ERR_MISSING_CLAIM, "\"td\"");
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    CHECK_ERROR(dst_sign(c, k, &token), DST_ERR_MISSING_CLAIM, "\"rd\"");
    size_t n = 0;
    CHECK_STATUS(dst_sign_into(c, k, NULL, 0, &n), DST_ERR_MISSING_CLAIM);
    CHECK_STATUS(dst_claims_set_room(c, "room"), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, 1000), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, 999), DST_OK);
    CHECK_ERROR(dst_sign(c, k, &token), DST_ERR_INVALID_ARGUMENT, "\"iat\"");
    CHECK_STATUS(dst_claims_remove(c, "iat"), DST_OK);
    CHECK_STATUS(dst_claims_set_not_before(c, 1000), DST_OK);
    CHECK_ERROR(dst_sign(c, k, &token), DST_ERR_INVALID_ARGUMENT, "\"nbf\"");
    CHECK(token == NULL);
    CHECK_STATUS(dst_claims_set_expires_at(c, 1000), DST_OK);
    CHECK_STATUS(dst_sign(c, k, &token), DST_OK);
    dst_string_free(token);
    CHECK_STATUS(dst_sign(NULL, k, &token), DST_ERR_NULL_ARGUMENT);
    CHECK_ERROR(dst_sign(c, NULL, &token), DST_ERR_NULL_ARGUMENT, "`key`");
    CHECK_ERROR(dst_sign(c, k, NULL), DST_ERR_NULL_ARGUMENT, "`token_out`");
    dst_claims_free(c);
    dst_key_free(k);
}

static void test_messages_never_hold_the_key(void) {
    dst_key *k = make_key(KEY);
    dst_claims *c = dst_claims_new();
    char *token = NULL;
    CHECK_STATUS(dst_sign(c, k, &token), DST_ERR_MISSING_CLAIM);
    CHECK(strstr(dst_last_error_message(), "0123456789") == NULL);
    dst_claims *out = NULL;
    CHECK_STATUS(dst_verify(KAT_TOKEN, k, 1, 0, &out), DST_ERR_NOT_YET_VALID);
    CHECK(strstr(dst_last_error_message(), "0123456789") == NULL);
    dst_claims_free(c);
    dst_key_free(k);
}

int main(void) {
    test_known_answer();
    test_size_protocol();
    test_keys();
    test_unsignable();
    test_messages_never_hold_the_key();
    return check_report("test_sign");
}
