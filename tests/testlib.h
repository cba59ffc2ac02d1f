/*
 * testlib.h — the project's minimal test harness. Each test binary defines test functions, runs
 * them with RUN(fn), and ends with TEST_SUMMARY(), which prints "N passed, N failed" and returns
 * the exit status. CHECK records a failure with file:line and goes on.
 */
#ifndef ETLPORT_TESTS_TESTLIB_H
#define ETLPORT_TESTS_TESTLIB_H

#include <stdio.h>
#include <string.h>

static int tl_failed_checks, tl_passed, tl_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            tl_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                                   \
            fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, #got,       \
                    g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                       \
            tl_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

#define RUN(fn)                                                                                    \
    do {                                                                                           \
        int before_ = tl_failed_checks;                                                            \
        fn();                                                                                      \
        if (tl_failed_checks == before_) {                                                         \
            tl_passed++;                                                                           \
        } else {                                                                                   \
            tl_failed++;                                                                           \
            fprintf(stderr, "FAIL %s\n", #fn);                                                     \
        }                                                                                          \
    } while (0)

#define TEST_SUMMARY()                                                                             \
    (printf("%d passed, %d failed\n", tl_passed, tl_failed), tl_failed ? 1 : 0)

#endif
