// Tiny C++ test harness: counts failures and reports them with file:line.
#pragma once
#include <cstdio>
#include <string>

inline int cpp_failures = 0;
inline int cpp_checks = 0;

#define CHECK(cond)                                                                          \
    do {                                                                                     \
        ++cpp_checks;                                                                        \
        if (!(cond)) {                                                                       \
            ++cpp_failures;                                                                  \
            std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);    \
        }                                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                                       \
    do {                                                                                     \
        ++cpp_checks;                                                                        \
        auto a_ = (a);                                                                       \
        auto b_ = (b);                                                                       \
        if (!(a_ == b_)) {                                                                   \
            ++cpp_failures;                                                                  \
            std::fprintf(stderr, "%s:%d: %s != %s\n", __FILE__, __LINE__, #a, #b);           \
        }                                                                                    \
    } while (0)

inline int cpp_report(const char *name) {
    std::printf("%s: %d checks, %d failed\n", name, cpp_checks, cpp_failures);
    return cpp_failures == 0 ? 0 : 1;
}
