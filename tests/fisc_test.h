/*
 * Shared assertions for fisc's cmocka tests (apk-tools apk_test.h pattern): each prints both
 * operands and reports the caller's file and line.
 */
#ifndef FISC_TEST_H
#define FISC_TEST_H

#ifdef NDEBUG
# error "fisc tests rely on assertions: do not build them with NDEBUG"
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <fisc/fisc.h>

/* Parse text (rates allowed) into an initialised d, failing the test on error. */
static inline void fisc_test_parse(fisc_decimal *d, const char *text, const char *file, int line)
{
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_decimal_parse(d, text, FISC_PARSE_RATE, &err) != FISC_OK) {
        print_error("%s:%d: parsing \"%s\" failed: %s\n", file, line, text, err.text);
        _fail(file, line);
    }
}
#define parse_ok(d, text) fisc_test_parse((d), (text), __FILE__, __LINE__)

/* Compare the exact text of d (or with fixed places when places >= 0) with want. */
static inline void fisc_test_decimal_equal(const fisc_decimal *d, int places, const char *want,
                                           const char *file, int line)
{
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_error err = FISC_ERROR_INIT;
    char *got = NULL;

    fmt.places = places;
    if (fisc_decimal_to_string(&got, d, &fmt, NULL, &err) != FISC_OK) {
        print_error("%s:%d: fisc_decimal_to_string failed: %s\n", file, line, err.text);
        _fail(file, line);
    }
    if (strcmp(got, want) != 0) {
        print_error("%s:%d: decimal is \"%s\", expected \"%s\"\n", file, line, got, want);
        fisc_string_free(got);
        _fail(file, line);
    }
    fisc_string_free(got);
}
#define assert_decimal_equal(d, want) fisc_test_decimal_equal((d), FISC_PLACES_EXACT, (want), __FILE__, __LINE__)
#define assert_decimal_places(d, places, want) fisc_test_decimal_equal((d), (places), (want), __FILE__, __LINE__)

/* Assert an error code, and when column > 0 its column, printing the message on mismatch. */
static inline void fisc_test_error(const fisc_error *err, int rc, int code, int column,
                                   const char *file, int line)
{
    if (rc != code || err->code != code || (column > 0 && err->column != column)) {
        print_error("%s:%d: got %s (err %s, column %d: \"%s\"), expected %s column %d\n", file, line,
                    fisc_err_name(rc), fisc_err_name(err->code), err->column, err->text,
                    fisc_err_name(code), column);
        _fail(file, line);
    }
}
#define assert_fisc_error(err, rc, code, column) fisc_test_error((err), (rc), (code), (column), __FILE__, __LINE__)

#endif
