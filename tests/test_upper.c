/* Tests of 人民币大写: every vector of conventions.md §2, the options, and the rejections. */
#include "fisc_test.h"

static void check_upper(const char *amount, unsigned flags, const char *want)
{
    fisc_decimal d;
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;

    fisc_decimal_init(&d);
    parse_ok(&d, amount);
    assert_int_equal(fisc_upper_format(&s, &d, flags, &err), FISC_OK);
    if (strcmp(s, want) != 0)
        fail_msg("大写 of %s: got %s, expected %s", amount, s, want);
    fisc_string_free(s);
    fisc_decimal_clear(&d);
}

/* The vectors of conventions.md §2, from tests/data/upper-vectors.tsv (shared with Python and CLI tests). */
static const char *vector_file;

static void conventions_vectors(void **state)
{
    char line[512];
    int count = 0;
    FILE *f = fopen(vector_file, "r");

    (void)state;
    if (!f)
        fail_msg("cannot open the vector file %s", vector_file ? vector_file : "(none given)");
    while (fgets(line, sizeof(line), f)) {
        char *tab = strchr(line, '\t'), *nl;

        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        if ((nl = strchr(tab + 1, '\n')) != NULL)
            *nl = '\0';
        check_upper(line, 0, tab + 1);
        count++;
    }
    fclose(f);
    assert_int_equal(count, 18);
}

static void more_zero_cases(void **state)
{
    (void)state;
    check_upper("0.55", 0, "伍角伍分");
    check_upper("0.5", 0, "伍角整");
    check_upper("1", 0, "壹元整");
    check_upper("15", 0, "壹拾伍元整");
    check_upper("110", 0, "壹佰壹拾元整");
    check_upper("1001", 0, "壹仟零壹元整");
    check_upper("10001", 0, "壹万零壹元整");
    check_upper("100000001", 0, "壹亿零壹元整");
    check_upper("100010000", 0, "壹亿零壹万元整");
    check_upper("110000000", 0, "壹亿壹仟万元整");
    check_upper("1010101010.10", 0, "壹拾亿壹仟零壹拾万壹仟零壹拾元零壹角整");
    check_upper("1000000000000000", 0, "壹仟万亿元整");
    check_upper("10000000000000000", 0, "壹亿亿元整");
    check_upper("-0.00", 0, "零元整");
    check_upper("-0.05", 0, "负伍分");
    check_upper("1.2000", 0, "壹元贰角整"); /* trailing zeros are not decimals */
}

static void options(void **state)
{
    (void)state;
    check_upper("1409.50", FISC_UPPER_NO_ZHENG_AFTER_JIAO, "壹仟肆佰零玖元伍角");
    check_upper("1409", FISC_UPPER_NO_ZHENG_AFTER_JIAO, "壹仟肆佰零玖元整");
    check_upper("1409.55", FISC_UPPER_NO_ZHENG_AFTER_JIAO, "壹仟肆佰零玖元伍角伍分");
    check_upper("1409.50", FISC_UPPER_RMB_PREFIX, "人民币壹仟肆佰零玖元伍角整");
    check_upper("-3", FISC_UPPER_RMB_PREFIX, "人民币负叁元整");
}

static void rejections(void **state)
{
    fisc_decimal d;
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;

    (void)state;
    fisc_decimal_init(&d);
    parse_ok(&d, "1.005");
    assert_fisc_error(&err, fisc_upper_format(&s, &d, 0, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "分"));
    parse_ok(&d, "1/3");
    assert_fisc_error(&err, fisc_upper_format(&s, &d, 0, &err), FISC_EINVAL, -1);
    parse_ok(&d, "1");
    assert_fisc_error(&err, fisc_upper_format(&s, &d, 0x100, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_upper_format(NULL, &d, 0, &err), FISC_EINVAL, -1);
    /* 41 integer digits */
    parse_ok(&d, "9999999999999999999999999999999999999999");
    {
        fisc_decimal ten;

        fisc_decimal_init(&ten);
        fisc_decimal_set_int(&ten, 10);
        assert_int_equal(fisc_decimal_mul(&d, &d, &ten, &err), FISC_OK);
        fisc_decimal_clear(&ten);
    }
    assert_fisc_error(&err, fisc_upper_format(&s, &d, 0, &err), FISC_ERANGE, -1);
    assert_null(s);
    /* 40 digits are fine */
    check_upper("9999999999999999999999999999999999999999.99", 0,
                "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿"
                "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
    fisc_decimal_clear(&d);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conventions_vectors),
        cmocka_unit_test(more_zero_cases),
        cmocka_unit_test(options),
        cmocka_unit_test(rejections),
    };
    vector_file = argc > 1 ? argv[1] : NULL;
    return cmocka_run_group_tests_name("upper", tests, NULL, NULL);
}
