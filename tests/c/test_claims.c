/* dst_claims_*: every setter and getter, ordering, types, ownership and bad input. */
#include "check.h"

#include <stdint.h>
#include <stdlib.h>

static char *json_of(const dst_claims *c) {
    char *out = NULL;
    CHECK_STATUS(dst_claims_to_json(c, &out), DST_OK);
    return out;
}

static void test_typed_setters_and_order(void) {
    dst_claims *c = dst_claims_new();
    CHECK(c != NULL);
    CHECK_STATUS(dst_claims_set_string(c, "custom", "last"), DST_OK);
    CHECK_STATUS(dst_claims_set_expires_at(c, 300), DST_OK);
    CHECK_STATUS(dst_claims_set_not_before(c, 100), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, 200), DST_OK);
    CHECK_STATUS(dst_claims_set_avatar(c, "https://example.com/a.png"), DST_OK);
    CHECK_STATUS(dst_claims_set_breakout_id(c, "b1"), DST_OK);
    CHECK_STATUS(dst_claims_set_role(c, "moderator"), DST_OK);
    CHECK_STATUS(dst_claims_set_initials(c, "JS"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_id(c, "u-42"), DST_OK);
    CHECK_STATUS(dst_claims_set_user_name(c, "John Smith"), DST_OK);
    CHECK_STATUS(dst_claims_set_room(c, "daily"), DST_OK);
    CHECK_STATUS(dst_claims_set_team_id(c, "team"), DST_OK);
    char *json = json_of(c);
    CHECK_STR(json, "{\"td\":\"team\",\"rd\":\"daily\",\"u\":\"John Smith\",\"ud\":\"u-42\","
                    "\"initials\":\"JS\",\"role\":\"moderator\",\"breakoutId\":\"b1\","
                    "\"avatar\":\"https://example.com/a.png\",\"iat\":200,\"nbf\":100,"
                    "\"exp\":300,\"custom\":\"last\"}");
    dst_string_free(json);
    /* Setting again replaces in place. */
    CHECK_STATUS(dst_claims_set_room(c, "weekly"), DST_OK);
    CHECK_STATUS(dst_claims_set_string(c, "custom", "again"), DST_OK);
    char *room = NULL;
    CHECK_STATUS(dst_claims_get_string(c, "rd", &room), DST_OK);
    CHECK_STR(room, "weekly");
    dst_string_free(room);
    dst_claims_free(c);
}

static void test_custom_claims(void) {
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_int(c, "n", -7), DST_OK);
    CHECK_STATUS(dst_claims_set_bool(c, "flag", true), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "obj", " { \"z\" : [1, 2.5, null], \"a\" : {} } "), DST_OK);
    CHECK_STATUS(dst_claims_set_string(c, "s", "q\"b\\c\n\x01"), DST_OK);
    char *json = json_of(c);
    CHECK_STR(json, "{\"n\":-7,\"flag\":true,\"obj\":{\"z\":[1,2.5,null],\"a\":{}},"
                    "\"s\":\"q\\\"b\\\\c\\n\\u0001\"}");
    dst_string_free(json);

    int64_t n = 0;
    bool flag = false;
    char *text = NULL;
    CHECK_STATUS(dst_claims_get_int(c, "n", &n), DST_OK);
    CHECK(n == -7);
    CHECK_STATUS(dst_claims_get_bool(c, "flag", &flag), DST_OK);
    CHECK(flag);
    CHECK_STATUS(dst_claims_get_json(c, "obj", &text), DST_OK);
    CHECK_STR(text, "{\"z\":[1,2.5,null],\"a\":{}}");
    dst_string_free(text);

    /* Wrong types and absent claims; out-pointers untouched on failure. */
    text = NULL;
    n = 99;
    CHECK_ERROR(dst_claims_get_string(c, "n", &text), DST_ERR_WRONG_TYPE, "\"n\"");
    CHECK(text == NULL);
    CHECK_ERROR(dst_claims_get_int(c, "flag", &n), DST_ERR_WRONG_TYPE, "\"flag\"");
    CHECK(n == 99);
    CHECK_STATUS(dst_claims_get_bool(c, "s", &flag), DST_ERR_WRONG_TYPE);
    CHECK_ERROR(dst_claims_get_int(c, "missing", &n), DST_ERR_NOT_FOUND, "\"missing\"");
    CHECK_STATUS(dst_claims_get_json(c, "missing", &text), DST_ERR_NOT_FOUND);
    CHECK_STATUS(dst_claims_get_bool(c, "missing", &flag), DST_ERR_NOT_FOUND);

    /* Remove keeps the order of the rest. */
    CHECK_STATUS(dst_claims_remove(c, "flag"), DST_OK);
    CHECK_ERROR(dst_claims_remove(c, "flag"), DST_ERR_NOT_FOUND, "\"flag\"");
    CHECK_STATUS(dst_claims_set_bool(c, "flag", false), DST_OK);
    json = json_of(c);
    CHECK(strstr(json, "\"s\":") < strstr(json, "\"flag\":false"));
    dst_string_free(json);
    dst_claims_free(c);
}

static void test_registered_claim_types(void) {
    dst_claims *c = dst_claims_new();
    CHECK_ERROR(dst_claims_set_int(c, "u", 5), DST_ERR_INVALID_ARGUMENT, "\"u\"");
    CHECK_ERROR(dst_claims_set_string(c, "exp", "soon"), DST_ERR_INVALID_ARGUMENT, "\"exp\"");
    CHECK_ERROR(dst_claims_set_bool(c, "role", true), DST_ERR_INVALID_ARGUMENT, "\"role\"");
    CHECK_ERROR(dst_claims_set_json(c, "iat", "\"1.5\""), DST_ERR_INVALID_ARGUMENT, "\"iat\"");
    /* Times: any JSON number (kept exactly) in [0, DST_MAX_SIGN_TIME]. */
    CHECK_ERROR(dst_claims_set_json(c, "iat", "9007199254740992"), DST_ERR_INVALID_ARGUMENT, "\"iat\"");
    CHECK_ERROR(dst_claims_set_issued_at(c, DST_MAX_TIME_SECONDS + 1), DST_ERR_INVALID_ARGUMENT, "\"iat\"");
    CHECK_ERROR(dst_claims_set_issued_at(c, -DST_MAX_TIME_SECONDS), DST_ERR_INVALID_ARGUMENT, "before 1970");
    CHECK_ERROR(dst_claims_set_issued_at(c, DST_MAX_SIGN_TIME + 1), DST_ERR_INVALID_ARGUMENT, "milliseconds");
    CHECK_ERROR(dst_claims_set_json(c, "nbf", "1767225600000.5"), DST_ERR_INVALID_ARGUMENT, "milliseconds");
    CHECK_ERROR(dst_claims_set_json(c, "nbf", "-0.5"), DST_ERR_INVALID_ARGUMENT, "before 1970");
    CHECK_STATUS(dst_claims_set_issued_at(c, DST_MAX_SIGN_TIME), DST_OK);
    CHECK_STATUS(dst_claims_set_issued_at(c, 0), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "iat", "1.5"), DST_OK);
    {
        int64_t t = 0;
        char *exact = NULL;
        CHECK_ERROR(dst_claims_get_int(c, "iat", &t), DST_ERR_WRONG_TYPE, "\"iat\"");
        CHECK_STATUS(dst_claims_get_json(c, "iat", &exact), DST_OK);
        CHECK(exact != NULL && strcmp(exact, "1.5") == 0);
        dst_string_free(exact);
        CHECK_STATUS(dst_claims_remove(c, "iat"), DST_OK);
    }
    CHECK_ERROR(dst_claims_set_json(c, "td", "42"), DST_ERR_INVALID_ARGUMENT, "\"td\"");
    CHECK_ERROR(dst_claims_set_team_id(c, ""), DST_ERR_INVALID_ARGUMENT, "\"td\"");
    CHECK_ERROR(dst_claims_set_room(c, ""), DST_ERR_INVALID_ARGUMENT, "\"rd\"");
    CHECK_ERROR(dst_claims_set_string(c, "", "x"), DST_ERR_INVALID_ARGUMENT, "name");
    CHECK_ERROR(dst_claims_set_json(c, "x", "{\"a\":1,\"a\":2}"), DST_ERR_INVALID_ARGUMENT, "json_text");
    CHECK_ERROR(dst_claims_set_json(c, "x", "[1,"), DST_ERR_INVALID_ARGUMENT, "json_text");
    CHECK_STATUS(dst_claims_set_json(c, "exp", "4102444800"), DST_OK);
    CHECK_STATUS(dst_claims_set_json(c, "u", "\"Zo\\u00eb\""), DST_OK);
    char *u = NULL;
    CHECK_STATUS(dst_claims_get_string(c, "u", &u), DST_OK);
    CHECK_STR(u, "Zo\xc3\xab");
    dst_string_free(u);
    /* Time claims stay within [0, DST_MAX_SIGN_TIME]; other integers use all of int64. */
    CHECK_ERROR(dst_claims_set_int(c, "iat", INT64_MIN), DST_ERR_INVALID_ARGUMENT, "\"iat\"");
    CHECK_STATUS(dst_claims_set_int(c, "count", INT64_MIN), DST_OK);
    int64_t t = 0;
    CHECK_STATUS(dst_claims_get_int(c, "count", &t), DST_OK);
    CHECK(t == INT64_MIN);
    dst_claims_free(c);
}

static void test_relative_times(void) {
    dst_claims *c = dst_claims_new();
    int64_t iat = 0, nbf = 0, exp = 0;
    CHECK_STATUS(dst_claims_set_expires_in(c, 3600), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "iat", &iat), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(exp - iat == 3600 && iat > 1700000000);
    CHECK_STATUS(dst_claims_set_validity(c, 30, 600), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "iat", &iat), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "nbf", &nbf), DST_OK);
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp), DST_OK);
    CHECK(iat - nbf == 30 && exp - iat == 600);
    CHECK_ERROR(dst_claims_set_expires_in(c, 0), DST_ERR_INVALID_ARGUMENT, "seconds");
    /* A lifetime past the maximum (30 days by default) is refused before any overflow. */
    CHECK_ERROR(dst_claims_set_expires_in(c, INT64_MAX), DST_ERR_INVALID_ARGUMENT, "longer than");
    dst_error e = DST_ERROR_INIT;
    CHECK(dst_last_error(&e) && e.reason == DST_REASON_LIFETIME_TOO_LONG && e.value == INT64_MAX);
    CHECK_ERROR(dst_claims_set_validity(c, -1, 60), DST_ERR_INVALID_ARGUMENT, "skew_seconds");
    CHECK_ERROR(dst_claims_set_validity(c, 0, -5), DST_ERR_INVALID_ARGUMENT, "lifetime_seconds");
    /* Failed calls changed nothing. */
    int64_t exp2 = 0;
    CHECK_STATUS(dst_claims_get_int(c, "exp", &exp2), DST_OK);
    CHECK(exp2 == exp);
    dst_claims_free(c);
}

static void test_clone_is_deep(void) {
    dst_claims *a = dst_claims_new();
    CHECK_STATUS(dst_claims_set_user_name(a, "original"), DST_OK);
    dst_claims *b = dst_claims_clone(a);
    CHECK(b != NULL && b != a);
    CHECK_STATUS(dst_claims_set_user_name(b, "changed"), DST_OK);
    dst_claims_free(a);
    char *u = NULL;
    CHECK_STATUS(dst_claims_get_string(b, "u", &u), DST_OK);
    CHECK_STR(u, "changed");
    dst_string_free(u);
    dst_claims_free(b);
}

static void test_null_and_utf8(void) {
    dst_claims *c = dst_claims_new();
    char *s = NULL;
    int64_t i = 0;
    bool b = false;
    const char bad[] = {'a', (char)0xc3, (char)0x28, 0}; /* invalid 2-byte sequence */
    CHECK(dst_claims_clone(NULL) == NULL);
    CHECK(strstr(dst_last_error_message(), "dst_claims_clone") != NULL);
    dst_claims_free(NULL);
    dst_string_free(NULL);

    CHECK_ERROR(dst_claims_set_team_id(NULL, "x"), DST_ERR_NULL_ARGUMENT, "`claims`");
    CHECK_ERROR(dst_claims_set_team_id(c, NULL), DST_ERR_NULL_ARGUMENT, "`value`");
    CHECK_ERROR(dst_claims_set_room(c, NULL), DST_ERR_NULL_ARGUMENT, "dst_claims_set_room");
    CHECK_STATUS(dst_claims_set_user_name(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_user_id(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_initials(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_role(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_breakout_id(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_avatar(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_issued_at(NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_not_before(NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_expires_at(NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_expires_in(NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_validity(NULL, 1, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_ERROR(dst_claims_set_string(c, NULL, "v"), DST_ERR_NULL_ARGUMENT, "`name`");
    CHECK_STATUS(dst_claims_set_string(c, "n", NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_int(NULL, "n", 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_int(c, NULL, 1), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_set_bool(c, NULL, true), DST_ERR_NULL_ARGUMENT);
    CHECK_ERROR(dst_claims_set_json(c, "n", NULL), DST_ERR_NULL_ARGUMENT, "`json_text`");
    CHECK_STATUS(dst_claims_remove(NULL, "n"), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_remove(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_string(NULL, "n", &s), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_string(c, NULL, &s), DST_ERR_NULL_ARGUMENT);
    CHECK_ERROR(dst_claims_get_string(c, "n", NULL), DST_ERR_NULL_ARGUMENT, "`out`");
    CHECK_STATUS(dst_claims_get_int(c, "n", NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_int(NULL, "n", &i), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_bool(c, "n", NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_bool(c, NULL, &b), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_json(c, "n", NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_get_json(NULL, "n", &s), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_to_json(c, NULL), DST_ERR_NULL_ARGUMENT);
    CHECK_STATUS(dst_claims_to_json(NULL, &s), DST_ERR_NULL_ARGUMENT);
    CHECK(s == NULL);

    CHECK_ERROR(dst_claims_set_user_name(c, bad), DST_ERR_INVALID_UTF8, "`value` is not valid UTF-8");
    CHECK_ERROR(dst_claims_set_string(c, bad, "v"), DST_ERR_INVALID_UTF8, "`name`");
    CHECK_STATUS(dst_claims_set_json(c, "n", bad), DST_ERR_INVALID_UTF8);
    CHECK_STATUS(dst_claims_get_int(c, bad, &i), DST_ERR_INVALID_UTF8);
    CHECK_STATUS(dst_claims_remove(c, bad), DST_ERR_INVALID_UTF8);
    /* Nothing was set by the failed calls. */
    char *json = json_of(c);
    CHECK_STR(json, "{}");
    dst_string_free(json);
    dst_claims_free(c);
}

int main(void) {
    test_typed_setters_and_order();
    test_custom_claims();
    test_registered_claim_types();
    test_relative_times();
    test_clone_is_deep();
    test_null_and_utf8();
    return check_report("test_claims");
}
