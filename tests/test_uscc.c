/* Tests of 统一社会信用代码 validation (GB 32100-2015), vectors from conventions.md §6. */
#include "fisc_test.h"

static void valid_codes(void **state)
{
    static const char *const codes[] = { "91440300708461136T", "91330100716105852F", "91110000802100433B",
                                         "91350100M000100Y43" };
    (void)state;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        fisc_uscc u;
        fisc_error err = FISC_ERROR_INIT;

        assert_int_equal(fisc_uscc_check(&u, codes[i], &err), FISC_OK);
        assert_string_equal(u.code, codes[i]);
        assert_int_equal(u.warnings & (FISC_USCC_WARN_NORMALIZED | FISC_USCC_WARN_CATEGORY), 0);
    }
}

static void wrong_check_character(void **state)
{
    static const char *const codes[][2] = { { "91440300708461136A", "T" }, { "91330100716105852G", "F" },
                                            { "91110000802100433C", "B" }, { "91350100M000100Y44", "3" } };
    (void)state;
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        fisc_error err = FISC_ERROR_INIT;
        char want[64];

        assert_fisc_error(&err, fisc_uscc_check(NULL, codes[i][0], &err), FISC_EINVAL, 18);
        snprintf(want, sizeof(want), "should be '%s'", codes[i][1]);
        if (!strstr(err.text, want))
            fail_msg("message \"%s\" lacks \"%s\"", err.text, want);
    }
}

static void bad_characters_are_located(void **state)
{
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_fisc_error(&err, fisc_uscc_check(NULL, "9144O300708461136T", &err), FISC_EINVAL, 5);
    assert_non_null(strstr(err.text, "'O'"));
    assert_fisc_error(&err, fisc_uscc_check(NULL, "91440300708461I36T", &err), FISC_EINVAL, 15);
    /* columns count the input as typed: a leading space shifts them */
    assert_fisc_error(&err, fisc_uscc_check(NULL, " 9144030070846113ST", &err), FISC_EINVAL, 18);
    assert_fisc_error(&err, fisc_uscc_check(NULL, "914403007084611中6T", &err), FISC_EINVAL, 16);
}

static void normalisation(void **state)
{
    fisc_uscc u;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_uscc_check(&u, " 9144 0300-7084 61136t ", &err), FISC_OK);
    assert_string_equal(u.code, "91440300708461136T");
    assert_true(u.warnings & FISC_USCC_WARN_NORMALIZED);
    /* full-width ９１４４… with an ideographic space */
    assert_int_equal(fisc_uscc_check(&u, "\xef\xbc\x99\xef\xbc\x91" "440300708461136T\xe3\x80\x80", &err), FISC_OK);
    assert_string_equal(u.code, "91440300708461136T");
}

static void legacy_and_excel_forms(void **state)
{
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_fisc_error(&err, fisc_uscc_check(NULL, "440301103017654", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "15-digit"));
    assert_fisc_error(&err, fisc_uscc_check(NULL, "70846113-6", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "组织机构代码"));
    assert_fisc_error(&err, fisc_uscc_check(NULL, "9.14403E+17", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "scientific"));
    assert_fisc_error(&err, fisc_uscc_check(NULL, "9144030070846113", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "16 characters"));
    assert_fisc_error(&err, fisc_uscc_check(NULL, "", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_uscc_check(NULL, NULL, &err), FISC_EINVAL, -1);
}

static void warnings_do_not_fail(void **state)
{
    fisc_uscc u;
    fisc_error err = FISC_ERROR_INIT;
    const char *cs = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
    char code[19] = "Q1440300708461136";
    int sum = 0;

    (void)state;
    /* an unknown category pair, with a correct check character */
    for (int k = 0; k < 17; k++)
        sum += (int)(strchr(cs, code[k]) - cs) * w[k];
    code[17] = cs[(31 - sum % 31) % 31];
    code[18] = '\0';
    assert_int_equal(fisc_uscc_check(&u, code, &err), FISC_OK);
    assert_true(u.warnings & FISC_USCC_WARN_CATEGORY);
    /* the GB 11714 sub-check: 70846113-6 is right, so the vectors have no ORG_CODE warning */
    assert_int_equal(fisc_uscc_check(&u, "91440300708461136T", &err), FISC_OK);
    assert_false(u.warnings & FISC_USCC_WARN_ORG_CODE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_codes),
        cmocka_unit_test(wrong_check_character),
        cmocka_unit_test(bad_characters_are_located),
        cmocka_unit_test(normalisation),
        cmocka_unit_test(legacy_and_excel_forms),
        cmocka_unit_test(warnings_do_not_fail),
    };
    return cmocka_run_group_tests_name("uscc", tests, NULL, NULL);
}
