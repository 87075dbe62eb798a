/* Tests of the error model: pinned codes, names and messages, the error struct, versions. */
#include "fisc_test.h"

static void codes_are_pinned(void **state)
{
    (void)state;
    assert_int_equal(FISC_OK, 0);
    assert_int_equal(FISC_EINVAL, -1);
    assert_int_equal(FISC_ENOMEM, -2);
    assert_int_equal(FISC_ENOTFOUND, -3);
    assert_int_equal(FISC_EPARSE, -4);
    assert_int_equal(FISC_ERANGE, -5);
    assert_int_equal(FISC_EMISUSE, -6);
    assert_int_equal(FISC_EDIVZERO, -7);
}

static void names_and_messages(void **state)
{
    static const struct {
        int code;
        const char *name, *message;
    } table[] = {
        { FISC_OK, "FISC_OK", "success" },
        { FISC_EINVAL, "FISC_EINVAL", "invalid argument" },
        { FISC_ENOMEM, "FISC_ENOMEM", "out of memory" },
        { FISC_ENOTFOUND, "FISC_ENOTFOUND", "not found" },
        { FISC_EPARSE, "FISC_EPARSE", "text could not be parsed" },
        { FISC_ERANGE, "FISC_ERANGE", "value out of range" },
        { FISC_EMISUSE, "FISC_EMISUSE", "library misuse" },
        { FISC_EDIVZERO, "FISC_EDIVZERO", "division by zero" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        assert_string_equal(fisc_err_name(table[i].code), table[i].name);
        assert_string_equal(fisc_strerror(table[i].code), table[i].message);
    }
    assert_string_equal(fisc_err_name(-999), "FISC_EUNKNOWN");
    assert_string_equal(fisc_strerror(12345), "unknown error");
}

static void error_struct(void **state)
{
    fisc_error err = FISC_ERROR_INIT;
    fisc_decimal d;

    (void)state;
    assert_int_equal(fisc_error_size(), sizeof(fisc_error));
    assert_int_equal(fisc_error_text_size(), FISC_ERROR_TEXT_SIZE);
    assert_int_equal(fisc_error_source_size(), FISC_ERROR_SOURCE_SIZE);
    fisc_decimal_init(&d);
    assert_int_equal(fisc_decimal_parse(&d, "x", 0, &err), FISC_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    /* a later success resets it */
    assert_int_equal(fisc_decimal_parse(&d, "1", 0, &err), FISC_OK);
    assert_int_equal(err.code, FISC_OK);
    assert_string_equal(err.text, "");
    assert_int_equal(err.column, -1);
    fisc_error_clear(&err);
    fisc_error_clear(NULL);
    /* every function accepts a NULL error */
    assert_int_equal(fisc_decimal_parse(&d, "x", 0, NULL), FISC_EPARSE);
    fisc_decimal_clear(&d);
}

static void long_input_is_quoted_safely(void **state)
{
    char text[600];
    fisc_error err = FISC_ERROR_INIT;
    fisc_decimal d;

    (void)state;
    memset(text, '7', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    text[3] = 'x';
    fisc_decimal_init(&d);
    assert_int_equal(fisc_decimal_parse(&d, text, 0, &err), FISC_EPARSE);
    assert_true(strlen(err.text) < FISC_ERROR_TEXT_SIZE);
    assert_non_null(strstr(err.text, "..."));
    fisc_decimal_clear(&d);
}

static void version(void **state)
{
    (void)state;
    assert_int_equal(fisc_version_number(), FISC_VERSION_NUMBER);
    assert_string_equal(fisc_version_string(), "0.1.0");
    fisc_string_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_pinned),
        cmocka_unit_test(names_and_messages),
        cmocka_unit_test(error_struct),
        cmocka_unit_test(long_input_is_quoted_safely),
        cmocka_unit_test(version),
    };
    return cmocka_run_group_tests_name("errors", tests, NULL, NULL);
}
