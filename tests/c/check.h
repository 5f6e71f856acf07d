/* Minimal test harness for dstoken's C tests: counts failures, prints where and why. */
#ifndef DSTOKEN_TEST_CHECK_H
#define DSTOKEN_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "dstoken.h"

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        check_count++;                                                                \
        if (!(cond)) {                                                                \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);  \
        }                                                                             \
    } while (0)

/* Checks a status and, for errors, that the last-error message mentions `needle`. */
#define CHECK_STATUS(call, want)                                                      \
    do {                                                                              \
        dst_status got_ = (call);                                                     \
        check_count++;                                                                \
        if (got_ != (want)) {                                                         \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: %s returned %s, want %s (last error: %s)\n",      \
                    __FILE__, __LINE__, #call, dst_status_name((int)got_),            \
                    dst_status_name((int)(want)), dst_last_error_message());          \
        }                                                                             \
    } while (0)

#define CHECK_ERROR(call, want, needle)                                               \
    do {                                                                              \
        CHECK_STATUS(call, want);                                                     \
        if (strstr(dst_last_error_message(), (needle)) == NULL) {                     \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: last error \"%s\" lacks \"%s\"\n", __FILE__,     \
                    __LINE__, dst_last_error_message(), (needle));                    \
        }                                                                             \
    } while (0)

#define CHECK_STR(actual, expected)                                                   \
    do {                                                                              \
        const char *a_ = (actual), *e_ = (expected);                                  \
        check_count++;                                                                \
        if (a_ == NULL || strcmp(a_, e_) != 0) {                                      \
            check_failures++;                                                         \
            fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,   \
                    a_ ? a_ : "(null)", e_);                                          \
        }                                                                             \
    } while (0)

static int check_report(const char *name) {
    printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
