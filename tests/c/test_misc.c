/* Version, status names, the last-error message and dst_join_url. */
#include "check.h"

#include <stdint.h>

static void test_version(void) {
    CHECK_STR(dst_version(), DSTOKEN_VERSION_STRING);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", DSTOKEN_VERSION_MAJOR, DSTOKEN_VERSION_MINOR,
             DSTOKEN_VERSION_PATCH);
    CHECK_STR(dst_version(), expect);
}

static void test_status_names(void) {
    static const char *const names[] = {
        "DST_OK", "DST_ERR_NULL_ARGUMENT", "DST_ERR_INVALID_UTF8", "DST_ERR_INVALID_ARGUMENT",
        "DST_ERR_MISSING_CLAIM", "DST_ERR_BUFFER_TOO_SMALL", "DST_ERR_MALFORMED_TOKEN",
        "DST_ERR_UNSUPPORTED_ALGORITHM", "DST_ERR_BAD_SIGNATURE", "DST_ERR_EXPIRED",
        "DST_ERR_NOT_YET_VALID", "DST_ERR_NOT_FOUND", "DST_ERR_WRONG_TYPE", "DST_ERR_INTERNAL",
        "DST_ERR_CLAIM_MISMATCH"};
    /* The numbers are a frozen contract. */
    CHECK(DST_OK == 0 && DST_ERR_NULL_ARGUMENT == 1 && DST_ERR_INVALID_UTF8 == 2);
    CHECK(DST_ERR_INVALID_ARGUMENT == 3 && DST_ERR_MISSING_CLAIM == 4);
    CHECK(DST_ERR_BUFFER_TOO_SMALL == 5 && DST_ERR_MALFORMED_TOKEN == 6);
    CHECK(DST_ERR_UNSUPPORTED_ALGORITHM == 7 && DST_ERR_BAD_SIGNATURE == 8);
    CHECK(DST_ERR_EXPIRED == 9 && DST_ERR_NOT_YET_VALID == 10 && DST_ERR_NOT_FOUND == 11);
    CHECK(DST_ERR_WRONG_TYPE == 12 && DST_ERR_INTERNAL == 13 && DST_ERR_CLAIM_MISMATCH == 14);
    for (int i = 0; i < 15; i++) CHECK_STR(dst_status_name(i), names[i]);
    CHECK_STR(dst_status_name(-1), "unknown status");
    CHECK_STR(dst_status_name(15), "unknown status");
    CHECK_STR(dst_status_name(INT32_MAX), "unknown status");
}

static void test_last_error(void) {
    /* Nothing has failed yet on this thread. */
    CHECK_STR(dst_last_error_message(), "");
    dst_claims *c = dst_claims_new();
    CHECK_STATUS(dst_claims_set_int(c, "u", 1), DST_ERR_INVALID_ARGUMENT);
    CHECK_STR(dst_last_error_message(),
              "dst_claims_set_int: claim \"u\" is a string, not an integer");
    /* Success leaves the message alone (errno-like); the next failure replaces it. */
    CHECK_STATUS(dst_claims_set_int(c, "n", 1), DST_OK);
    CHECK(strstr(dst_last_error_message(), "dst_claims_set_int") != NULL);
    CHECK_STATUS(dst_claims_remove(c, "zz"), DST_ERR_NOT_FOUND);
    CHECK_STR(dst_last_error_message(), "dst_claims_remove: claim \"zz\" is not present");
    dst_claims_free(c);
}

static void test_join_url(void) {
    char *url = NULL;
    CHECK_STATUS(dst_join_url("acme", "daily-standup", "aa.bb.cc", &url), DST_OK);
    CHECK_STR(url, "https://acme.digitalsamba.com/daily-standup?token=aa.bb.cc");
    dst_string_free(url);
    CHECK_STATUS(dst_join_url("meet.example.com", "Team Sync/Q&A", NULL, &url), DST_OK);
    CHECK_STR(url, "https://meet.example.com/Team%20Sync%2FQ%26A");
    dst_string_free(url);
    CHECK_STATUS(dst_join_url("acme", "caf\xc3\xa9", NULL, &url), DST_OK);
    CHECK_STR(url, "https://acme.digitalsamba.com/caf%C3%A9");
    dst_string_free(url);
    url = NULL;
    CHECK_ERROR(dst_join_url("ac me", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");

    /* Custom domains: team subdomain or full domain, lowercased; a port only
     * with DST_URL_ALLOW_PORT; IP literals never. */
    CHECK_STATUS(dst_join_url("ACME", "r", NULL, &url), DST_OK);
    CHECK_STR(url, "https://acme.digitalsamba.com/r");
    dst_string_free(url);
    CHECK_STATUS(dst_join_url("Meet.Example.COM", "r", "aa.bb.cc", &url), DST_OK);
    CHECK_STR(url, "https://meet.example.com/r?token=aa.bb.cc");
    dst_string_free(url);
    url = NULL;
    CHECK_ERROR(dst_join_url("127.0.0.1:8080", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "port");
    CHECK_ERROR(dst_join_url_opts("127.0.0.1:8080", "r", NULL, DST_URL_ALLOW_PORT, &url), DST_ERR_INVALID_ARGUMENT,
                "IP address");
    CHECK_ERROR(dst_join_url("10.0.0.1", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "IP address");
    CHECK_ERROR(dst_join_url("[::1]", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");
    /* What a browser's URL parser reads as IPv4 (hex, octal, 0x-prefixed: 127.0.0.1 and the
     * cloud metadata address 169.254.169.254) or refuses outright, and xn-- labels that are not
     * valid IDNA (xn--a decodes to U+0080). */
    {
        static const char *const ipv4[] = {"127.0.0.0x1", "0x7f.0x0.0x0.0x1", "169.254.169.0xfe", "a.0x",
                                           "b.0x10",      "a.0177",           "1.2.3.4"};
        for (size_t i = 0; i < sizeof ipv4 / sizeof ipv4[0]; i++) {
            CHECK_ERROR(dst_join_url_opts(ipv4[i], "r", NULL, DST_URL_ALLOW_PORT, &url), DST_ERR_INVALID_ARGUMENT,
                        "IP address");
        }
        static const char *const bad_idna[] = {"xn--a.com", "xn--a", "meet.xn--.com", "xn--999999999.example"};
        for (size_t i = 0; i < sizeof bad_idna / sizeof bad_idna[0]; i++) {
            CHECK_ERROR(dst_join_url(bad_idna[i], "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");
        }
        CHECK(url == NULL);
        /* A team id (UUID) given where the subdomain belongs. */
        CHECK_ERROR(dst_join_url("b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT,
                    "team id");
        CHECK(url == NULL);
        CHECK_STATUS(dst_join_url("a.0x1z", "r", NULL, &url), DST_OK);
        CHECK_STR(url, "https://a.0x1z/r");
        dst_string_free(url);
        CHECK_STATUS(dst_join_url("XN--BCHER-KVA.example", "r", NULL, &url), DST_OK);
        CHECK_STR(url, "https://xn--bcher-kva.example/r");
        dst_string_free(url);
        url = NULL;
    }
    CHECK_ERROR(dst_join_url("meet.example.com:8443", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT,
                "DST_URL_ALLOW_PORT");
    CHECK_ERROR(dst_join_url("meet.example.com.", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "trailing dot");
    CHECK_ERROR(dst_join_url("acme:8080", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");
    CHECK(url == NULL);
    CHECK_STATUS(dst_join_url_opts("Meet.Example.com:8443", "r", NULL, DST_URL_ALLOW_PORT, &url), DST_OK);
    CHECK_STR(url, "https://meet.example.com:8443/r");
    dst_string_free(url);
    CHECK_STATUS(dst_join_url_opts("acme", "r", NULL, 0, &url), DST_OK);
    CHECK_STR(url, "https://acme.digitalsamba.com/r");
    dst_string_free(url);
    url = NULL;
    CHECK_ERROR(dst_join_url_opts("acme", "r", NULL, 2, &url), DST_ERR_INVALID_ARGUMENT, "flags");
    CHECK_ERROR(dst_join_url_opts("acme", "r", NULL, DST_URL_ALLOW_PORT, NULL), DST_ERR_NULL_ARGUMENT, "`url_out`");
    CHECK_ERROR(dst_join_url_opts(NULL, "r", NULL, 0, &url), DST_ERR_NULL_ARGUMENT, "`team`");
    CHECK_ERROR(dst_join_url_opts("acme", NULL, NULL, 0, &url), DST_ERR_NULL_ARGUMENT, "`room`");
    CHECK_ERROR(dst_join_url_opts("ac\xc3\x28me", "r", NULL, 0, &url), DST_ERR_INVALID_UTF8, "team");
    CHECK_ERROR(dst_join_url_opts("acme", "r", "a.b\xff", 0, &url), DST_ERR_INVALID_UTF8, "token");
    CHECK(url == NULL);
    CHECK_ERROR(dst_join_url("evil.com/x", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");
    CHECK_ERROR(dst_join_url("a@b.com", "r", NULL, &url), DST_ERR_INVALID_ARGUMENT, "team");
    CHECK_ERROR(dst_join_url("acme", "", NULL, &url), DST_ERR_INVALID_ARGUMENT, "room");
    CHECK_ERROR(dst_join_url("acme", "..", NULL, &url), DST_ERR_INVALID_ARGUMENT, "room");
    CHECK_ERROR(dst_join_url("acme", "r", "x&admin=1", &url), DST_ERR_INVALID_ARGUMENT, "token");
    CHECK_ERROR(dst_join_url(NULL, "r", NULL, &url), DST_ERR_NULL_ARGUMENT, "`team`");
    CHECK_ERROR(dst_join_url("acme", NULL, NULL, &url), DST_ERR_NULL_ARGUMENT, "`room`");
    CHECK_ERROR(dst_join_url("acme", "r", NULL, NULL), DST_ERR_NULL_ARGUMENT, "`url_out`");
    const char bad[] = {'r', (char)0x80, 0};
    CHECK_ERROR(dst_join_url("acme", bad, NULL, &url), DST_ERR_INVALID_UTF8, "`room`");
    CHECK(url == NULL);
}

int main(void) {
    test_last_error(); /* first: checks the fresh-thread state */
    test_version();
    test_status_names();
    test_join_url();
    return check_report("test_misc");
}
