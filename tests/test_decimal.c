/* Tests of the exact decimal core: parse, arithmetic, the GMP fallback, rounding, formatting. */
#include "fisc_test.h"

#include <gmp.h>
#include <limits.h>
#include <stdlib.h>

#include "decimal.h" /* white-box: the allocation hook, fiscp_decimal_set_scaled */

/* ------------------------------------------------------------------ parse */

static void parse_round_trips(void **state)
{
    static const char *const cases[][2] = {
        { "0", "0" },
        { "-0", "0" },
        { "-0.00", "0" },
        { "1234.56", "1234.56" },
        { "1234.50", "1234.5" },
        { "0.001", "0.001" },
        { "-12.5", "-12.5" },
        { "12345678901234567.89", "12345678901234567.89" },
        /* 38 digits: the largest that stays on the 128-bit path when parsed */
        { "99999999999999999999999999999999999999", "99999999999999999999999999999999999999" },
        /* 40 + 20 digits: parsed through GMP */
        { "1234567890123456789012345678901234567890.12345678901234567890",
          "1234567890123456789012345678901234567890.1234567890123456789" },
        { "-9999999999999999999999999999999999999999.99999999999999999999",
          "-9999999999999999999999999999999999999999.99999999999999999999" },
        { "12.5%", "0.125" },
        { "100%", "1" },
        { "2/3", "2/3" },
        { "4/8", "0.5" },
        { "-1/3", "-1/3" },
        { "10/4", "2.5" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fisc_decimal d;

        fisc_decimal_init(&d);
        parse_ok(&d, cases[i][0]);
        assert_decimal_equal(&d, cases[i][1]);
        fisc_decimal_clear(&d);
    }
}

static void parse_rejects_with_position(void **state)
{
    static const struct {
        const char *text;
        unsigned flags;
        int code, column;
    } cases[] = {
        { "", 0, FISC_EPARSE, 1 },
        { " 1", 0, FISC_EPARSE, 1 },
        { "1 ", 0, FISC_EPARSE, 2 },
        { "1 000", 0, FISC_EPARSE, 2 },
        { "+1", 0, FISC_EPARSE, 1 },
        { "1-", 0, FISC_EPARSE, 2 },
        { "--1", 0, FISC_EPARSE, 2 },
        { "-", 0, FISC_EPARSE, 2 },
        { "1e5", 0, FISC_EPARSE, 2 },
        { "1.5E-3", 0, FISC_EPARSE, 4 },
        { "1,234.50", 0, FISC_EPARSE, 2 },
        { "NaN", 0, FISC_EPARSE, 1 },
        { "nan", 0, FISC_EPARSE, 1 },
        { "Inf", 0, FISC_EPARSE, 1 },
        { "-Infinity", 0, FISC_EPARSE, 2 },
        { "\xef\xbc\x91\xef\xbc\x92", 0, FISC_EPARSE, 1 },      /* full-width １２ */
        { "1\xef\xbc\x92", 0, FISC_EPARSE, 2 },                  /* 1２ */
        { "\xef\xbf\xa5" "12", 0, FISC_EPARSE, 1 },              /* ￥12 */
        { "01", 0, FISC_EPARSE, 1 },
        { "-007.5", 0, FISC_EPARSE, 2 },
        { "1.", 0, FISC_EPARSE, 3 },
        { ".5", 0, FISC_EPARSE, 1 },
        { "1.2.3", 0, FISC_EPARSE, 4 },
        { "0x10", 0, FISC_EPARSE, 2 },
        { "12%", 0, FISC_EPARSE, 3 },
        { "2/3", 0, FISC_EPARSE, 2 },
        { "12%%", FISC_PARSE_PERCENT, FISC_EPARSE, 4 },
        { "1/0", FISC_PARSE_FRACTION, FISC_EPARSE, 3 },
        { "1/", FISC_PARSE_FRACTION, FISC_EPARSE, 3 },
        { "1.5/2", FISC_PARSE_FRACTION, FISC_EPARSE, 4 },
        { "1/03", FISC_PARSE_FRACTION, FISC_EPARSE, 3 },
        /* 41 integer digits, 21 decimals, 41-digit denominator */
        { "12345678901234567890123456789012345678901", 0, FISC_ERANGE, 41 },
        { "0.123456789012345678901", 0, FISC_ERANGE, 23 },
        { "1/12345678901234567890123456789012345678901", FISC_PARSE_FRACTION, FISC_ERANGE, 43 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fisc_decimal d;
        fisc_error err = FISC_ERROR_INIT;
        int rc;

        fisc_decimal_init(&d);
        fisc_decimal_set_int(&d, 7);
        rc = fisc_decimal_parse(&d, cases[i].text, cases[i].flags, &err);
        assert_fisc_error(&err, rc, cases[i].code, cases[i].column);
        assert_non_null(strstr(err.text, "invalid number"));
        assert_decimal_equal(&d, "7"); /* unchanged on error */
        fisc_decimal_clear(&d);
    }
}

static void parse_messages_name_the_problem(void **state)
{
    static const char *const cases[][2] = {
        { "1,234", "thousands separators" },
        { "1e5", "exponents" },
        { " 5", "spaces" },
        { "NaN", "not a number" },
        { "\xef\xbc\x91", "non-ASCII" },
        { "+1", "'+'" },
        { "01", "leading zeros" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fisc_decimal d;
        fisc_error err = FISC_ERROR_INIT;

        fisc_decimal_init(&d);
        assert_int_not_equal(fisc_decimal_parse(&d, cases[i][0], 0, &err), FISC_OK);
        if (!strstr(err.text, cases[i][1]))
            fail_msg("message for \"%s\" is \"%s\"", cases[i][0], err.text);
        fisc_decimal_clear(&d);
    }
}

static void parse_n_needs_no_terminator(void **state)
{
    fisc_decimal d;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    fisc_decimal_init(&d);
    assert_int_equal(fisc_decimal_parse_n(&d, "12.345xyz", 6, 0, &err), FISC_OK);
    assert_decimal_equal(&d, "12.345");
    assert_int_equal(fisc_decimal_parse_n(&d, NULL, 0, 0, &err), FISC_EINVAL);
    assert_int_equal(fisc_decimal_parse(&d, "1", 0x80, &err), FISC_EINVAL);
    fisc_decimal_clear(&d);
}

/* parse_n (fast path first) and the general parser alone agree on text: code, column, message, value. */
static void parse_both_ways(const char *text, size_t len, unsigned flags)
{
    fisc_decimal a, b;
    fisc_error ea = FISC_ERROR_INIT, eb = FISC_ERROR_INIT;
    int ra, rb;

    fisc_decimal_init(&a);
    fisc_decimal_init(&b);
    fisc_decimal_set_int(&a, 7);
    fisc_decimal_set_int(&b, 7);
    ra = fisc_decimal_parse_n(&a, text, len, flags, &ea);
    rb = fiscp_decimal_parse_general(&b, text, len, flags, &eb);
    if (ra != rb || ea.code != eb.code || ea.column != eb.column || strcmp(ea.text, eb.text) != 0 ||
        a.lo_ != b.lo_ || a.hi_ != b.hi_ || a.scale_ != b.scale_ || a.kind_ != b.kind_ ||
        fisc_decimal_cmp(&a, &b) != 0)
        fail_msg("\"%.*s\" (flags %u): %d \"%s\" against the general path's %d \"%s\"", (int)len, text, flags, ra,
                 ea.text, rb, eb.text);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&b);
}

/*
 * The fast path of parsing (plain numbers of up to 19 characters) against the general parser:
 * the grammar's edges (leading zeros, "-0", a point first or last, 19 and 20 characters, 19
 * nines, every position of the point, bytes next to '0'..'9' and '.', a NUL inside the length)
 * and random texts, with and without the rate forms.
 */
static void parse_fast_path_matches_general(void **state)
{
    static const char *const edges[] = {
        "", "-", "0", "-0", "00", "-00", "01", "-01", "0.0", "-0.0", "0.", "-0.", ".0", "-.5", ".", "-.",
        "0.00", "10", "100.00", "1.2.3", "1..2", "1.-2", "--1", "1-", "1e5", "1,5", "1 5", "1/5", "1%", "1:5",
        "1/", "0/1", "1.5%", "12.5%", "9/0", " 1", "1 ", "+1", "1234567890123456", "-1234567890123456",
        "12345678901234567", "123456789012345678", "1234567890123456789", "999999999999999.9",
        "9999999999999999", "0.000000000000001", "0.0000000000000001", "1.000000000000000",
        "123456789.1234567", "12345678.12345678", "1234567.123456789", "00000000.00000001",
        "99999999", "999999999", "9999999.9", "99999999.9", "1.23456789012345", "-9.99999999999999",
        "\xef\xbc\x91", "1\xef\xbc\x92", "0x10", "1.5E-3", "NaN",
        "9999999999999999999", "-999999999999999999", "999999999999999999.9", "18446744073709551615",
        "18446744073709551616", "-18446744073709551616", "99999999999999999999", "0.000000000000000001",
        "0.0000000000000000001", "-0.00000000000000001",
        /* the amount shape I.FF, read eight digits at a time from 5 to 16 integer digits */
        "12345.67", "-12345.67", "01234.56", "99999.99", "10000.00", "12345678.90", "123456789.01",
        "1234567890123456.78", "-9999999999999999.99", "12345678901234567.89", "1234a.56", "12345.6a",
        "12345.a6", "1234.5.67", "1.234.56", "-.234.56", "12345. 6", "123456 .78", "1234567/.89",
        "12345\x00.67", "1234567:.00", "12345.6:", "-0000.00", "-1234.567", "12345..6", "123456.7.",
        "1234567890123\xb0.00", "\xb0" "1234567.00", "12345678.\xb0" "1",
    };
    const char alphabet[] = "0123456789012345678901234567890123456789.-.-/% ,e:+\xb0\xff\x2f\x3a\x1f";
    uint64_t x = 0x3C6EF372FE94F82Bu;

    (void)state;
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        for (unsigned flags = 0; flags <= FISC_PARSE_RATE; flags++)
            parse_both_ways(edges[i], strlen(edges[i]), flags);
    /* the point at every place of 16 and 17 characters, and a NUL inside */
    for (size_t len = 1; len <= 21; len++)
        for (size_t k = 0; k <= len; k++) {
            char t[24];

            for (size_t j = 0; j < len; j++)
                t[j] = (char)('1' + (j * 7 + len) % 9);
            if (k < len)
                t[k] = '.';
            parse_both_ways(t, len, 0);
            t[0] = '-';
            parse_both_ways(t, len, 0);
            if (k < len) {
                t[k] = '\0';
                parse_both_ways(t, len, FISC_PARSE_RATE);
            }
        }
    for (int n = 0; n < 300000; n++) {
        char t[24];
        size_t len;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        len = (size_t)(x % 23);
        if (x & 0x100000) { /* a number, maybe mutated; a third of them amounts "I.FF" */
            size_t nint = len ? 1 + (size_t)((x >> 8) % len) : 0;

            if (len > 3 && x % 3 == 0)
                nint = len - 3;

            for (size_t j = 0; j < len; j++)
                t[j] = (char)('0' + (x >> (j * 3 % 60)) % 10);
            if (nint > 0 && nint < len)
                t[nint] = '.';
            if (len > 1 && t[0] == '0' && (x & 0x200000))
                t[0] = (char)('1' + (x >> 22) % 9);
            if (len > 0 && (x & 0x400000))
                t[0] = '-';
            if (len > 0 && (x & 0x3000000) == 0)
                t[(x >> 30) % len] = alphabet[(x >> 36) % (sizeof(alphabet) - 1)];
        } else {
            for (size_t j = 0; j < len; j++)
                t[j] = alphabet[(x >> (j * 5 % 58)) % (sizeof(alphabet) - 1)];
        }
        parse_both_ways(t, len, (unsigned)(x >> 62) & FISC_PARSE_RATE);
    }
}

/* ------------------------------------------------------------------ arithmetic */

typedef fisc_status (*binop)(fisc_decimal *, const fisc_decimal *, const fisc_decimal *, fisc_error *);

static void check_binop(binop f, const char *a, const char *b, const char *want)
{
    fisc_decimal x, y, r;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&x);
    fisc_decimal_init(&y);
    fisc_decimal_init(&r);
    parse_ok(&x, a);
    parse_ok(&y, b);
    assert_int_equal(f(&r, &x, &y, &err), FISC_OK);
    assert_decimal_equal(&r, want);
    fisc_decimal_clear(&x);
    fisc_decimal_clear(&y);
    fisc_decimal_clear(&r);
}

static void arithmetic_is_exact(void **state)
{
    (void)state;
    check_binop(fisc_decimal_add, "0.1", "0.2", "0.3");
    check_binop(fisc_decimal_add, "1/3", "2/3", "1");
    check_binop(fisc_decimal_sub, "0.3", "0.1", "0.2");
    check_binop(fisc_decimal_sub, "1.05", "2.1", "-1.05");
    check_binop(fisc_decimal_mul, "12345678.90", "0.15", "1851851.835");
    check_binop(fisc_decimal_mul, "1234.56", "75%", "925.92");
    check_binop(fisc_decimal_mul, "-2/3", "3", "-2");
    check_binop(fisc_decimal_div, "1", "3", "1/3");
    check_binop(fisc_decimal_div, "10", "4", "2.5");
    check_binop(fisc_decimal_div, "2800000", "0.25", "11200000");
    check_binop(fisc_decimal_min, "2.50", "2.5", "2.5");
    check_binop(fisc_decimal_min, "-1", "1/3", "-1");
    check_binop(fisc_decimal_max, "-1", "1/3", "1/3");
}

static void overflow_falls_back_to_gmp(void **state)
{
    static const char *const nines38 = "99999999999999999999999999999999999999";

    (void)state;
    /* (10^38 - 1)^2 = 10^76 - 2*10^38 + 1 */
    check_binop(fisc_decimal_mul, nines38, nines38,
                "9999999999999999999999999999999999999800000000000000000000000000000000000001");
    check_binop(fisc_decimal_add, nines38, nines38, "199999999999999999999999999999999999998");
    check_binop(fisc_decimal_sub, "-99999999999999999999999999999999999999", nines38,
                "-199999999999999999999999999999999999998");
    /* scale overflow: 20 + 20 decimals */
    check_binop(fisc_decimal_mul, "0.00000000000000000001", "0.00000000000000000001",
                "0.0000000000000000000000000000000000000001");
    /* aligning scales overflows: 38 integer digits plus a 10-decimal value */
    check_binop(fisc_decimal_add, nines38, "0.0000000001",
                "99999999999999999999999999999999999999.0000000001");
    /* the way back: a big result that fits again is SMALL (no allocation on later use) */
    {
        fisc_decimal a, b, r;
        fisc_error err = FISC_ERROR_INIT;

        fisc_decimal_init(&a);
        fisc_decimal_init(&b);
        fisc_decimal_init(&r);
        parse_ok(&a, nines38);
        assert_int_equal(fisc_decimal_mul(&r, &a, &a, &err), FISC_OK);
        assert_int_equal(r.kind_, FISCP_DEC_BIG);
        assert_int_equal(fisc_decimal_div(&r, &r, &a, &err), FISC_OK);
        assert_int_equal(r.kind_, FISCP_DEC_SMALL);
        assert_decimal_equal(&r, nines38);
        assert_int_equal(fisc_decimal_cmp(&r, &a), 0);
        parse_ok(&b, "1/3");
        assert_int_equal(b.kind_, FISCP_DEC_RATIO); /* a small rational: no GMP, no allocation */
        assert_null(b.big_);
        assert_int_equal(fisc_decimal_is_terminating(&b), 0);
        assert_int_equal(fisc_decimal_mul(&b, &b, &b, &err), FISC_OK); /* aliasing */
        assert_decimal_equal(&b, "1/9");
        fisc_decimal_clear(&a);
        fisc_decimal_clear(&b);
        fisc_decimal_clear(&r);
    }
}

static void results_are_bounded(void **state)
{
    fisc_decimal x;
    fisc_error err = FISC_ERROR_INIT;
    int rc = FISC_OK, steps = 0;

    (void)state;
    fisc_decimal_init(&x);
    parse_ok(&x, "1234567890123456789012345678901234567890.12345678901234567891");
    while (rc == FISC_OK && steps < 100) {
        rc = fisc_decimal_mul(&x, &x, &x, &err);
        steps++;
    }
    assert_fisc_error(&err, rc, FISC_ERANGE, -1);
    assert_in_range(steps, 4, 8); /* 200 bits doubles past 4096 in about five squarings */
    fisc_decimal_clear(&x);
}

static void division_by_zero_is_an_error(void **state)
{
    fisc_decimal a, z, r;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    fisc_decimal_init(&a);
    fisc_decimal_init(&z);
    fisc_decimal_init(&r);
    parse_ok(&a, "5");
    parse_ok(&z, "-0.000");
    fisc_decimal_set_int(&r, 42);
    assert_fisc_error(&err, fisc_decimal_div(&r, &a, &z, &err), FISC_EDIVZERO, -1);
    assert_decimal_equal(&r, "42");
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&z);
    fisc_decimal_clear(&r);
}

static void compare_sign_neg_abs(void **state)
{
    fisc_decimal a, b;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    fisc_decimal_init(&a);
    fisc_decimal_init(&b);
    parse_ok(&a, "1.50");
    parse_ok(&b, "1.5");
    assert_int_equal(fisc_decimal_cmp(&a, &b), 0);
    parse_ok(&b, "1234567890123456789012345678901234567890");
    assert_int_equal(fisc_decimal_cmp(&a, &b), -1);
    assert_int_equal(fisc_decimal_cmp(&b, &a), 1);
    assert_int_equal(fisc_decimal_neg(&b, &b, &err), FISC_OK);
    assert_decimal_equal(&b, "-1234567890123456789012345678901234567890");
    assert_int_equal(fisc_decimal_sign(&b), -1);
    assert_int_equal(fisc_decimal_abs(&b, &b, &err), FISC_OK);
    assert_int_equal(fisc_decimal_sign(&b), 1);
    assert_int_equal(fisc_decimal_is_integer(&b), 1);
    assert_int_equal(fisc_decimal_is_integer(&a), 0);
    parse_ok(&a, "-1/7");
    assert_int_equal(fisc_decimal_abs(&a, &a, &err), FISC_OK);
    assert_decimal_equal(&a, "1/7");
    fisc_decimal_set_int(&a, 0);
    assert_int_equal(fisc_decimal_sign(&a), 0);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&b);
}

/* ------------------------------------------------------------------ rounding */

static void round_case(const char *value, int places, fisc_round mode, const char *want)
{
    fisc_decimal v, r, residue, back;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&v);
    fisc_decimal_init(&r);
    fisc_decimal_init(&residue);
    fisc_decimal_init(&back);
    parse_ok(&v, value);
    assert_int_equal(fisc_decimal_round(&r, &residue, &v, places, mode, NULL, &err), FISC_OK);
    if (places >= 0)
        assert_decimal_places(&r, places, want);
    else
        assert_decimal_equal(&r, want);
    /* the residue is exactly what was dropped */
    assert_int_equal(fisc_decimal_add(&back, &r, &residue, &err), FISC_OK);
    assert_int_equal(fisc_decimal_cmp(&back, &v), 0);
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&r);
    fisc_decimal_clear(&residue);
    fisc_decimal_clear(&back);
}

static void rounding_modes_on_ties(void **state)
{
    static const struct {
        const char *value;
        fisc_round mode;
        const char *want;
    } cases[] = {
        { "2.665", FISC_ROUND_HALF_UP, "2.67" },       { "-2.665", FISC_ROUND_HALF_UP, "-2.67" },
        { "2.675", FISC_ROUND_HALF_UP, "2.68" },       { "-2.675", FISC_ROUND_HALF_UP, "-2.68" },
        { "2.6649", FISC_ROUND_HALF_UP, "2.66" },      { "-2.6651", FISC_ROUND_HALF_UP, "-2.67" },
        { "2.665", FISC_ROUND_HALF_EVEN, "2.66" },     { "-2.665", FISC_ROUND_HALF_EVEN, "-2.66" },
        { "2.675", FISC_ROUND_HALF_EVEN, "2.68" },     { "-2.675", FISC_ROUND_HALF_EVEN, "-2.68" },
        { "2.6651", FISC_ROUND_HALF_EVEN, "2.67" },    { "-2.6649", FISC_ROUND_HALF_EVEN, "-2.66" },
        { "2.665", FISC_ROUND_HALF_DOWN, "2.66" },     { "-2.665", FISC_ROUND_HALF_DOWN, "-2.66" },
        { "2.6651", FISC_ROUND_HALF_DOWN, "2.67" },    { "-2.6651", FISC_ROUND_HALF_DOWN, "-2.67" },
        { "2.669", FISC_ROUND_DOWN, "2.66" },          { "-2.669", FISC_ROUND_DOWN, "-2.66" },
        { "2.665", FISC_ROUND_DOWN, "2.66" },          { "-2.665", FISC_ROUND_DOWN, "-2.66" },
        { "2.661", FISC_ROUND_UP, "2.67" },            { "-2.661", FISC_ROUND_UP, "-2.67" },
        { "2.665", FISC_ROUND_UP, "2.67" },            { "-2.665", FISC_ROUND_UP, "-2.67" },
        { "2.661", FISC_ROUND_CEILING, "2.67" },       { "-2.661", FISC_ROUND_CEILING, "-2.66" },
        { "2.665", FISC_ROUND_CEILING, "2.67" },       { "-2.665", FISC_ROUND_CEILING, "-2.66" },
        { "2.669", FISC_ROUND_FLOOR, "2.66" },         { "-2.661", FISC_ROUND_FLOOR, "-2.67" },
        { "2.665", FISC_ROUND_FLOOR, "2.66" },         { "-2.665", FISC_ROUND_FLOOR, "-2.67" },
        { "2.66", FISC_ROUND_UP, "2.66" },             { "-2.66", FISC_ROUND_FLOOR, "-2.66" },
        { "0.005", FISC_ROUND_HALF_UP, "0.01" },       { "-0.005", FISC_ROUND_HALF_UP, "-0.01" },
        { "-0.004", FISC_ROUND_HALF_UP, "0.00" },      { "0.005", FISC_ROUND_HALF_EVEN, "0.00" },
        { "0.015", FISC_ROUND_HALF_EVEN, "0.02" },     { "1.2", FISC_ROUND_HALF_UP, "1.20" },
        /* non-terminating values go through GMP */
        { "2/3", FISC_ROUND_HALF_UP, "0.67" },         { "-2/3", FISC_ROUND_HALF_UP, "-0.67" },
        { "2/3", FISC_ROUND_DOWN, "0.66" },            { "-2/3", FISC_ROUND_CEILING, "-0.66" },
        { "-2/3", FISC_ROUND_FLOOR, "-0.67" },         { "1/6", FISC_ROUND_HALF_EVEN, "0.17" },
        { "1/3", FISC_ROUND_UP, "0.34" },              { "1/3", FISC_ROUND_HALF_DOWN, "0.33" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        round_case(cases[i].value, 2, cases[i].mode, cases[i].want);
}

static void rounding_ties_on_the_gmp_path(void **state)
{
    /* 40 digits: beyond the 128-bit path */
    static const char *const pos = "1234567890123456789012345678901234567890.5";
    static const char *const neg = "-1234567890123456789012345678901234567890.5";
    static const char *const up = "1234567890123456789012345678901234567891";
    static const char *const down = "1234567890123456789012345678901234567890";

    (void)state;
    round_case(pos, 0, FISC_ROUND_HALF_UP, up);
    round_case(pos, 0, FISC_ROUND_HALF_EVEN, down); /* ...890 is even */
    round_case(pos, 0, FISC_ROUND_HALF_DOWN, down);
    round_case(pos, 0, FISC_ROUND_DOWN, down);
    round_case(pos, 0, FISC_ROUND_UP, up);
    round_case(pos, 0, FISC_ROUND_CEILING, up);
    round_case(pos, 0, FISC_ROUND_FLOOR, down);
    round_case(neg, 0, FISC_ROUND_HALF_UP, "-1234567890123456789012345678901234567891");
    round_case(neg, 0, FISC_ROUND_HALF_EVEN, "-1234567890123456789012345678901234567890");
    round_case(neg, 0, FISC_ROUND_HALF_DOWN, "-1234567890123456789012345678901234567890");
    round_case(neg, 0, FISC_ROUND_CEILING, "-1234567890123456789012345678901234567890");
    round_case(neg, 0, FISC_ROUND_FLOOR, "-1234567890123456789012345678901234567891");
    round_case("1234567890123456789012345678901234567891.5", 0, FISC_ROUND_HALF_EVEN,
               "1234567890123456789012345678901234567892");
    /* a 39-digit coefficient at the edge of the 128-bit path */
    round_case("169999999999999999999999999999999999.999", 2, FISC_ROUND_HALF_UP,
               "170000000000000000000000000000000000.00");
    /* q * 10 passes 2^127 - 1: the fast path must hand over to GMP */
    round_case("17014118346046923173168730371588410572.7", 0, FISC_ROUND_HALF_UP,
               "17014118346046923173168730371588410573");
    /* negative places: to tens and 万 */
    round_case("12345", -1, FISC_ROUND_HALF_UP, "12350");
    round_case("-12345", -1, FISC_ROUND_HALF_EVEN, "-12340");
    round_case("15000", -4, FISC_ROUND_HALF_UP, "20000");
    round_case("5000000000000000000000000000000000000000", -40, FISC_ROUND_HALF_UP,
               "10000000000000000000000000000000000000000");
    round_case("4999999999999999999999999999999999999999", -40, FISC_ROUND_HALF_UP, "0");
    round_case("1", -39, FISC_ROUND_UP, "1000000000000000000000000000000000000000");
}

/*
 * The fast path (division by 10^k through a multiplicative inverse) against the general path
 * (round_unit, a plain 128-bit division) on many values and every mode.
 */
static void fast_rounding_matches_division(void **state)
{
    uint64_t x = 0x2545F4914F6CDD1Du;
    static const char *const edges[] = { "9223372036854775807", "-9223372036854775807",
                                         "-9223372036854775808", "999999999999999999.5",
                                         "0.000000000000000005", "4611686018427387904.5" };
    (void)state;
    for (int n = 0; n < 200000 + 6; n++) {
        fisc_decimal v, u, a, b;
        char text[48];
        int places, scale;
        fisc_round mode = (fisc_round)(n % 7);
        uint32_t sa = 0, sb = 0;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        fisc_decimal_init(&v);
        fisc_decimal_init(&u);
        fisc_decimal_init(&a);
        fisc_decimal_init(&b);
        if (n < 6) {
            parse_ok(&v, edges[n]);
            places = 0;
        } else {
            scale = (int)(x % 19);
            int64_t m = (int64_t)((x >> 1) >> (x % 60));

            fiscp_decimal_set_scaled(&v, x & 1 ? -m : m, scale);
            places = (int)((x >> 8) % 19);
        }
        if (places == 0)
            snprintf(text, sizeof(text), "1");
        else
            snprintf(text, sizeof(text), "0.%0*d", places, 1); /* 10^-places */
        parse_ok(&u, text);
        assert_int_equal(fisc_decimal_round(&a, NULL, &v, places, mode, &sa, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_round_unit(&b, NULL, &v, &u, mode, &sb, NULL), FISC_OK);
        if (fisc_decimal_cmp(&a, &b) != 0 || (sa & FISC_STATUS_INEXACT) != (sb & FISC_STATUS_INEXACT))
            fail_msg("case %d places %d mode %d differs", n, places, (int)mode);
        fisc_decimal_clear(&v);
        fisc_decimal_clear(&u);
        fisc_decimal_clear(&a);
        fisc_decimal_clear(&b);
    }
}

/* x as an exact GMP rational, from its text ("-12.5" or "1/3"). */
static void to_mpq(mpq_t q, const fisc_decimal *x)
{
    char *text = NULL, *dot;
    size_t frac = 0;

    assert_int_equal(fisc_decimal_to_string(&text, x, NULL, NULL, NULL), FISC_OK);
    if (strchr(text, '/')) {
        assert_int_equal(mpq_set_str(q, text, 10), 0);
    } else {
        if ((dot = strchr(text, '.')) != NULL) {
            frac = strlen(dot + 1);
            memmove(dot, dot + 1, frac + 1);
        }
        assert_int_equal(mpz_set_str(mpq_numref(q), text, 10), 0);
        mpz_ui_pow_ui(mpq_denref(q), 10, frac);
    }
    mpq_canonicalize(q);
    fisc_string_free(text);
}

/* GMP's allocations, counted: a value that fits must never reach GMP (mp_set_memory_functions). */
static long gmp_allocations;

static void *counting_alloc(size_t n)
{
    gmp_allocations++;
    return malloc(n);
}

static void *counting_realloc(void *p, size_t old, size_t n)
{
    (void)old;
    gmp_allocations++;
    return realloc(p, n);
}

static void counting_free(void *p, size_t n)
{
    (void)n;
    free(p);
}

/* The form a value must have (lib/decimal.c): SMALL when it can, else RATIO when it can, else BIG. */
static int expected_kind(mpq_srcptr q)
{
    mp_bitcnt_t twos = mpz_scan1(mpq_denref(q), 0);
    unsigned long fives = 0;
    int kind = -1;
    mpz_t t;

    mpz_init(t);
    mpz_tdiv_q_2exp(t, mpq_denref(q), twos);
    while (mpz_divisible_ui_p(t, 5)) {
        mpz_divexact_ui(t, t, 5);
        fives++;
    }
    if (mpz_cmp_ui(t, 1) == 0) {
        unsigned long scale = twos > fives ? twos : fives;

        if (scale <= 38) { /* |num| * 10^scale / den < 2^127 */
            mpz_ui_pow_ui(t, 10, scale);
            mpz_divexact(t, t, mpq_denref(q));
            mpz_mul(t, t, mpq_numref(q));
            if (mpz_sizeinbase(t, 2) <= 127)
                kind = FISCP_DEC_SMALL;
        }
    }
    if (kind < 0)
        kind = mpz_sizeinbase(mpq_numref(q), 2) <= 63 && mpz_sizeinbase(mpq_denref(q), 2) <= 63 ? FISCP_DEC_RATIO
                                                                                               : FISCP_DEC_BIG;
    mpz_clear(t);
    return kind;
}

/* d equals q exactly, has the form the value must have, and the same text whether formatted
   into a buffer or onto the heap. */
static void check_value(const fisc_decimal *d, mpq_srcptr q, int n, const char *what)
{
    char buf[FISC_DECIMAL_TEXT_SIZE], *text = NULL;
    size_t len = 0;
    mpq_t got;
    int rc;

    mpq_init(got);
    to_mpq(got, d);
    if (!mpq_equal(got, q))
        fail_msg("case %d, %s: the value differs from GMP's", n, what);
    if ((int)d->kind_ != expected_kind(q))
        fail_msg("case %d, %s: kind %u, expected %d", n, what, d->kind_, expected_kind(q));
    assert_int_equal(fisc_decimal_to_string(&text, d, NULL, NULL, NULL), FISC_OK);
    rc = fisc_decimal_format(buf, sizeof(buf), &len, d, NULL, NULL, NULL);
    if (rc == FISC_OK) {
        if (strcmp(buf, text) != 0 || len != strlen(text))
            fail_msg("case %d, %s: format gives %s, to_string %s", n, what, buf, text);
    } else if (rc != FISC_ERANGE || len != strlen(text) || d->kind_ != FISCP_DEC_BIG) {
        fail_msg("case %d, %s: format fails with %d for %s", n, what, rc, text);
    }
    fisc_string_free(text);
    mpq_clear(got);
}

/* GMP reference of rounding: q to a multiple of u by the rules of `mode`. */
static void ref_round(mpq_t out, int *inexact, mpq_srcptr q, mpq_srcptr u, fisc_round mode)
{
    mpq_t x;
    mpz_t t, rem, twice;
    int sign, half, away = 0;

    mpq_init(x);
    mpz_inits(t, rem, twice, NULL);
    mpq_div(x, q, u);
    sign = mpq_sgn(x);
    mpz_tdiv_qr(t, rem, mpq_numref(x), mpq_denref(x));
    *inexact = mpz_sgn(rem) != 0;
    if (*inexact) {
        mpz_abs(twice, rem);
        mpz_mul_2exp(twice, twice, 1);
        half = mpz_cmp(twice, mpq_denref(x)); /* the dropped part against half a unit */
        switch (mode) {
        case FISC_ROUND_HALF_UP:
            away = half >= 0;
            break;
        case FISC_ROUND_HALF_EVEN:
            away = half > 0 || (half == 0 && mpz_odd_p(t));
            break;
        case FISC_ROUND_HALF_DOWN:
            away = half > 0;
            break;
        case FISC_ROUND_DOWN:
            away = 0;
            break;
        case FISC_ROUND_UP:
            away = 1;
            break;
        case FISC_ROUND_CEILING:
            away = sign > 0;
            break;
        case FISC_ROUND_FLOOR:
            away = sign < 0;
            break;
        }
        if (away && sign > 0)
            mpz_add_ui(t, t, 1);
        else if (away)
            mpz_sub_ui(t, t, 1);
    }
    mpq_set_z(out, t);
    mpq_mul(out, out, u);
    mpq_clear(x);
    mpz_clears(t, rem, twice, NULL);
}

/* round_unit(v, unit) against ref_round: the value, the residue, the status. */
static void check_round(const fisc_decimal *v, mpq_srcptr q, const char *unit_text, fisc_round mode, int n)
{
    fisc_decimal unit, r, residue;
    mpq_t qu, want, back;
    uint32_t st = 0;
    int inexact;

    fisc_decimal_init(&unit);
    fisc_decimal_init(&r);
    fisc_decimal_init(&residue);
    mpq_inits(qu, want, back, NULL);
    parse_ok(&unit, unit_text);
    to_mpq(qu, &unit);
    ref_round(want, &inexact, q, qu, mode);
    assert_int_equal(fisc_decimal_round_unit(&r, &residue, v, &unit, mode, &st, NULL), FISC_OK);
    check_value(&r, want, n, unit_text);
    mpq_sub(back, q, want);
    check_value(&residue, back, n, "residue");
    if (!!(st & FISC_STATUS_INEXACT) != inexact || (inexact && !(st & FISC_STATUS_ROUNDED)) ||
        (v->kind_ != FISCP_DEC_SMALL && st != (inexact ? FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT : 0u)))
        fail_msg("case %d: rounding to %s in mode %d gives status %u (inexact %d)", n, unit_text, (int)mode, st,
                 inexact);
    fisc_decimal_clear(&unit);
    fisc_decimal_clear(&r);
    fisc_decimal_clear(&residue);
    mpq_clears(qu, want, back, NULL);
}

/* Every unary operation, comparison and rounding of v (= q) against GMP. */
static void check_unary(const fisc_decimal *v, mpq_srcptr q, int n)
{
    static const char *const UNITS[] = { "0.01", "0.05", "1", "10", "1/3", "0.0001", "7/9", "10000" };
    static const char *const POW10[] = { "1", "0.1", "0.01", "0.001", "0.0001" };
    fisc_decimal r, s;
    fisc_round mode = (fisc_round)(n % 7);
    mpq_t want;
    uint32_t sa = 0, sb = 0;
    int places = n % 5, twos_fives;
    mpz_t den;

    fisc_decimal_init(&r);
    fisc_decimal_init(&s);
    mpq_init(want);
    mpz_init_set(den, mpq_denref(q));
    assert_int_equal(fisc_decimal_sign(v), mpq_sgn(q));
    assert_int_equal(fiscp_decimal_sign(v), mpq_sgn(q));
    assert_int_equal(fisc_decimal_is_integer(v), mpz_cmp_ui(den, 1) == 0);
    {
        mpz_t two, five;

        mpz_init_set_ui(two, 2);
        mpz_init_set_ui(five, 5);
        mpz_remove(den, den, two);
        mpz_remove(den, den, five);
        twos_fives = mpz_cmp_ui(den, 1) == 0;
        mpz_clears(two, five, NULL);
    }
    assert_int_equal(fisc_decimal_is_terminating(v), twos_fives);
    assert_int_equal(fisc_decimal_neg(&r, v, NULL), FISC_OK);
    mpq_neg(want, q);
    check_value(&r, want, n, "neg");
    assert_int_equal(fisc_decimal_abs(&r, v, NULL), FISC_OK);
    mpq_abs(want, q);
    check_value(&r, want, n, "abs");
    assert_int_equal(fisc_decimal_set(&r, v, NULL), FISC_OK);
    check_value(&r, q, n, "set");
    assert_int_equal(fisc_decimal_neg(&r, &r, NULL), FISC_OK); /* in place, twice */
    assert_int_equal(fisc_decimal_neg(&r, &r, NULL), FISC_OK);
    check_value(&r, q, n, "neg neg");
    check_round(v, q, UNITS[(n / 7) % 8], mode, n);
    check_round(v, q, POW10[places], mode, n);
    /* round to places is round_unit to 10^-places (the fast paths against the general one) */
    assert_int_equal(fisc_decimal_round(&r, NULL, v, places, mode, &sa, NULL), FISC_OK);
    parse_ok(&s, POW10[places]);
    assert_int_equal(fisc_decimal_round_unit(&s, NULL, v, &s, mode, &sb, NULL), FISC_OK);
    if (fisc_decimal_cmp(&r, &s) != 0 || sa != sb)
        fail_msg("case %d: round to %d places and to its unit differ", n, places);
    fisc_decimal_clear(&r);
    fisc_decimal_clear(&s);
    mpq_clear(want);
    mpz_clear(den);
}

/*
 * Mixed decimal and rational arithmetic and comparison on 64-bit numerators and denominators
 * (before GMP) against GMP itself: the value, and the form (decimal when it terminates, else the
 * reduced fraction); the kind each result must have (SMALL, RATIO, BIG: the 64-bit rationals stay
 * inline); min, max, neg, abs, sign, round and round_unit in every mode, and format against
 * to_string on every operand and result.
 */
/* want = q0 op q1 in GMP, op: 0 add, 1 sub, 2 mul, 3 div (q1 not 0). */
static void mpq_op(mpq_t want, int op, const mpq_t q0, const mpq_t q1)
{
    if (op == 0)
        mpq_add(want, q0, q1);
    else if (op == 1)
        mpq_sub(want, q0, q1);
    else if (op == 2)
        mpq_mul(want, q0, q1);
    else
        mpq_div(want, q0, q1);
}

static void small_rationals_match_gmp(void **state)
{
    static const binop OPS[4] = { fisc_decimal_add, fisc_decimal_sub, fisc_decimal_mul, fisc_decimal_div };
    static const int64_t DIVISORS[] = { 1, 3, 7, 9, 12, 90, 97, 1000003, 4294967311,
                                        /* past the 64-bit rationals' limits, and terminating ones past 38 places */
                                        3037000493, INT64_C(9223372036854775783), INT64_C(1) << 40,
                                        INT64_C(3) << 40, INT64_C(7450580596923828125) /* 5^27 */ };
    uint64_t x = 0x243F6A8885A308D3u;

    (void)state;
    for (int n = 0; n < 60000; n++) {
        fisc_decimal v[2], r, want_d;
        mpq_t q[2], want, got;
        char *want_text = NULL, *got_text = NULL;
        int op, rc;

        mpq_init(want);
        mpq_init(got);
        for (int k = 0; k < 2; k++) {
            fisc_decimal den;

            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            fisc_decimal_init(&v[k]);
            fisc_decimal_init(&den);
            /* up to 63 bits of numerator: both sides of the 64-bit limit */
            fiscp_decimal_set_scaled(&v[k], (int64_t)(x >> (x % 63 + 1)) * (x & 1 ? -1 : 1), (int)(x % 8));
            fisc_decimal_set_int(&den, DIVISORS[(x >> 40) % (sizeof(DIVISORS) / sizeof(DIVISORS[0]))]);
            assert_int_equal(fisc_decimal_div(&v[k], &v[k], &den, NULL), FISC_OK);
            fisc_decimal_clear(&den);
            mpq_init(q[k]);
            to_mpq(q[k], &v[k]);
            check_value(&v[k], q[k], n, "operand");
        }
        {
            int c = mpq_cmp(q[0], q[1]);

            if (fisc_decimal_cmp(&v[0], &v[1]) != (c > 0) - (c < 0))
                fail_msg("case %d: the comparison differs from GMP's", n);
            if (fisc_decimal_cmp(&v[1], &v[0]) != (c < 0) - (c > 0))
                fail_msg("case %d: the reversed comparison differs from GMP's", n);
            fisc_decimal_init(&r);
            assert_int_equal(fisc_decimal_min(&r, &v[0], &v[1], NULL), FISC_OK);
            check_value(&r, c <= 0 ? q[0] : q[1], n, "min");
            assert_int_equal(fisc_decimal_max(&r, &v[0], &v[1], NULL), FISC_OK);
            check_value(&r, c >= 0 ? q[0] : q[1], n, "max");
            fisc_decimal_clear(&r);
        }
        check_unary(&v[0], q[0], n);
        op = (int)(x >> 60) % 4;
        if (op == 3 && mpq_sgn(q[1]) == 0)
            op = 2;
        mpq_op(want, op, q[0], q[1]);
        fisc_decimal_init(&r);
        fisc_decimal_init(&want_d);
        assert_int_equal(OPS[op](&r, &v[0], &v[1], NULL), FISC_OK);
        to_mpq(got, &r);
        if (!mpq_equal(got, want))
            fail_msg("case %d, op %d: the value differs from GMP's", n, op);
        check_value(&r, want, n, "result");
        /* the same form as a value built from GMP's canonical fraction (when the parser takes
           its text: up to 40 digits a side) */
        want_text = mpq_get_str(NULL, 10, want);
        rc = fisc_decimal_parse(&want_d, want_text, FISC_PARSE_RATE, NULL);
        if (rc == FISC_ERANGE && strlen(want_text) > FISC_DECIMAL_MAX_INT_DIGITS)
            rc = FISC_OK; /* the value and form were checked above */
        else if (rc != FISC_OK)
            fail_msg("case %d, op %d: cannot parse %s", n, op, want_text);
        else {
            char *expect_text = NULL;

            assert_int_equal(fisc_decimal_to_string(&got_text, &r, NULL, NULL, NULL), FISC_OK);
            assert_int_equal(fisc_decimal_to_string(&expect_text, &want_d, NULL, NULL, NULL), FISC_OK);
            if (strcmp(got_text, expect_text) != 0)
                fail_msg("case %d, op %d: %s, GMP gives %s", n, op, got_text, expect_text);
            /* one value, one representation: a RATIO from any path has the same fields */
            if (r.kind_ == FISCP_DEC_RATIO && (want_d.kind_ != r.kind_ || r.lo_ != want_d.lo_ || r.hi_ != want_d.hi_))
                fail_msg("case %d, op %d: two forms of %s", n, op, got_text);
            fisc_string_free(expect_text);
            fisc_string_free(got_text);
        }
        {
            void (*gmp_free)(void *, size_t);

            mp_get_memory_functions(NULL, NULL, &gmp_free);
            gmp_free(want_text, strlen(want_text) + 1);
        }
        for (int k = 0; k < 2; k++) {
            fisc_decimal_clear(&v[k]);
            mpq_clear(q[k]);
        }
        fisc_decimal_clear(&r);
        fisc_decimal_clear(&want_d);
        mpq_clear(want);
        mpq_clear(got);
    }
}

/* The fields of a value that is not BIG: its whole value. */
static int same_fields(const fisc_decimal *a, const fisc_decimal *b)
{
    return a->kind_ == b->kind_ && a->lo_ == b->lo_ && a->hi_ == b->hi_ && a->scale_ == b->scale_;
}

/*
 * Small rationals (RATIO) are held inline: x / 9 and everything the batch does with it (add,
 * subtract, multiply, divide, compare, min, max, neg, abs, round, round_unit, format) touches
 * neither GMP nor the heap; one value has one form whichever path made it; the limits of the
 * form (|n| and d up to 2^63 - 1; INT64_MIN, 2^63 and beyond go to GMP, and come back).
 */
static void small_rationals_stay_inline(void **state)
{
    fisc_decimal a, b, c, r, unit;
    void *(*gmp_alloc)(size_t);
    void *(*gmp_realloc)(void *, size_t, size_t);
    void (*gmp_free)(void *, size_t);
    char buf[FISC_DECIMAL_TEXT_SIZE];
    uint32_t st = 0;
    int64_t i64;

    (void)state;
    fisc_decimal_init(&a);
    fisc_decimal_init(&b);
    fisc_decimal_init(&c);
    fisc_decimal_init(&r);
    fisc_decimal_init(&unit);
    parse_ok(&a, "636595.43");
    parse_ok(&b, "9");
    parse_ok(&unit, "0.01");
    mp_get_memory_functions(&gmp_alloc, &gmp_realloc, &gmp_free);
    mp_set_memory_functions(counting_alloc, counting_realloc, counting_free);
    gmp_allocations = 0;
    fiscp_alloc_count = 0;
    fiscp_alloc_fail_at = LONG_MAX; /* count fisc's allocations, fail none */
    assert_int_equal(fisc_decimal_div(&c, &a, &b, NULL), FISC_OK); /* 63659543/900 */
    assert_int_equal(c.kind_, FISCP_DEC_RATIO);
    assert_int_equal(fisc_decimal_mul(&r, &c, &c, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_add(&r, &r, &c, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_sub(&r, &r, &a, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_div(&r, &c, &a, NULL), FISC_OK); /* 1/9 */
    assert_int_equal(fisc_decimal_mul(&r, &r, &b, NULL), FISC_OK); /* 1 */
    assert_int_equal(fisc_decimal_cmp(&r, &b), -1);
    assert_int_equal(fisc_decimal_cmp(&c, &a), -1);
    assert_int_equal(fisc_decimal_min(&r, &a, &c, NULL), FISC_OK);
    assert_true(same_fields(&r, &c));
    assert_int_equal(fisc_decimal_max(&r, &c, &a, NULL), FISC_OK);
    assert_true(same_fields(&r, &a));
    assert_int_equal(fisc_decimal_neg(&r, &c, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_sign(&r), -1);
    assert_int_equal(fisc_decimal_abs(&r, &r, NULL), FISC_OK);
    assert_true(same_fields(&r, &c));
    assert_int_equal(fisc_decimal_round(&r, NULL, &c, 2, FISC_ROUND_HALF_UP, &st, NULL), FISC_OK);
    assert_int_equal(st, FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT);
    assert_int_equal(fisc_decimal_round_unit(&r, &a, &c, &unit, FISC_ROUND_DOWN, NULL, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_format(buf, sizeof(buf), NULL, &c, NULL, NULL, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_is_integer(&c), 0);
    assert_int_equal(fisc_decimal_is_terminating(&c), 0);
    assert_int_equal(fiscp_decimal_get_int64(&i64, &c), 0);
    fiscp_alloc_fail_at = -1;
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
    assert_int_equal(gmp_allocations, 0);
    assert_int_equal(fiscp_alloc_count, 0);
    assert_null(c.big_);
    assert_null(r.big_);
    assert_string_equal(buf, "63659543/900");
    assert_decimal_equal(&r, "70732.82");
    assert_decimal_equal(&a, "1/180"); /* the residue: 63659543/900 - 70732.82 */

    /* one value, one form: 1/3 parsed, divided, from 2/6, and through GMP */
    parse_ok(&a, "1/3");
    parse_ok(&b, "2/6");
    assert_true(same_fields(&a, &b));
    fisc_decimal_set_int(&b, 1);
    fisc_decimal_set_int(&c, 3);
    assert_int_equal(fisc_decimal_div(&b, &b, &c, NULL), FISC_OK);
    assert_true(same_fields(&a, &b));
    parse_ok(&b, "1000000000000000000000000000000000000000/3000000000000000000000000000000000000000");
    assert_true(same_fields(&a, &b));
    parse_ok(&c, "1000000000000000000000000000000000000000");
    assert_int_equal(fisc_decimal_mul(&b, &a, &c, NULL), FISC_OK); /* BIG */
    assert_int_equal(b.kind_, FISCP_DEC_BIG);
    assert_int_equal(fisc_decimal_div(&b, &b, &c, NULL), FISC_OK); /* back through GMP */
    assert_true(same_fields(&a, &b));

    /* the limits: |n| <= 2^63 - 1 and d <= 2^63 - 1 inline, else GMP */
    parse_ok(&a, "9223372036854775807/9223372036854775806");
    assert_int_equal(a.kind_, FISCP_DEC_RATIO);
    assert_int_equal(fisc_decimal_neg(&a, &a, NULL), FISC_OK);
    assert_int_equal(a.kind_, FISCP_DEC_RATIO);
    assert_decimal_equal(&a, "-9223372036854775807/9223372036854775806");
    parse_ok(&a, "-9223372036854775808/3"); /* n = INT64_MIN: -n would not fit */
    assert_int_equal(a.kind_, FISCP_DEC_BIG);
    assert_int_equal(fisc_decimal_neg(&a, &a, NULL), FISC_OK);
    assert_int_equal(a.kind_, FISCP_DEC_BIG);
    assert_decimal_equal(&a, "9223372036854775808/3");
    parse_ok(&a, "1/9223372036854775808"); /* d = 2^63 */
    assert_int_equal(a.kind_, FISCP_DEC_BIG);
    assert_int_equal(fisc_decimal_is_terminating(&a), 1);
    parse_ok(&a, "1/9223372036854775809");
    assert_int_equal(a.kind_, FISCP_DEC_BIG);
    parse_ok(&b, "3");
    assert_int_equal(fisc_decimal_mul(&a, &a, &b, NULL), FISC_OK); /* 3/(2^63 + 1) = 1/3074457345618258603 */
    assert_int_equal(a.kind_, FISCP_DEC_RATIO);
    assert_decimal_equal(&a, "1/3074457345618258603");
    /* a RATIO times a RATIO past 64 bits, and back */
    parse_ok(&a, "4611686018427387903/7");
    assert_int_equal(fisc_decimal_mul(&b, &a, &a, NULL), FISC_OK);
    assert_int_equal(b.kind_, FISCP_DEC_BIG);
    assert_int_equal(fisc_decimal_div(&b, &b, &a, NULL), FISC_OK);
    assert_true(same_fields(&a, &b));
    /* terminating, but past 38 places: a RATIO whose text is decimal */
    parse_ok(&a, "3/1099511627776");
    assert_int_equal(a.kind_, FISCP_DEC_RATIO);
    assert_int_equal(fisc_decimal_is_terminating(&a), 1);
    assert_decimal_equal(&a, "0.0000000000027284841053187847137451171875");
    assert_int_equal(fisc_decimal_round(&r, NULL, &a, 13, FISC_ROUND_HALF_EVEN, NULL, NULL), FISC_OK);
    assert_decimal_equal(&r, "0.0000000000027");
    /* sums and products that terminate or are integers become SMALL again */
    parse_ok(&a, "1/3");
    parse_ok(&b, "2/3");
    assert_int_equal(fisc_decimal_add(&r, &a, &b, NULL), FISC_OK);
    assert_int_equal(r.kind_, FISCP_DEC_SMALL);
    assert_decimal_equal(&r, "1");
    parse_ok(&b, "1/6");
    assert_int_equal(fisc_decimal_add(&r, &a, &b, NULL), FISC_OK);
    assert_int_equal(r.kind_, FISCP_DEC_SMALL);
    assert_decimal_equal(&r, "0.5");
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&b);
    fisc_decimal_clear(&c);
    fisc_decimal_clear(&r);
    fisc_decimal_clear(&unit);
}

/*
 * round_unit's fast path (a unit 10^-k written with coefficient 1: 0.01, 1) against its general
 * path (the same unit written 0.010, 1.0): the value, the residue and the status, also when the
 * value has no more decimals than the unit (a copy: nothing rounded, no status).
 */
static void round_unit_fast_path_matches_general(void **state)
{
    uint64_t x = 0xA54FF53A5F1D36F1u;

    (void)state;
    for (int n = 0; n < 100000; n++) {
        fisc_decimal v, fast_unit, slow_unit, a, b, ra, rb;
        char text[48];
        fisc_round mode = (fisc_round)(n % 7);
        uint32_t sa = 0, sb = 0;
        int k;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        fisc_decimal_init(&v);
        fisc_decimal_init(&fast_unit);
        fisc_decimal_init(&slow_unit);
        fisc_decimal_init(&a);
        fisc_decimal_init(&b);
        fisc_decimal_init(&ra);
        fisc_decimal_init(&rb);
        fiscp_decimal_set_scaled(&v, (int64_t)(x >> (x % 64)) * (x & 1 ? -1 : 1), (int)((x >> 8) % 21));
        k = (int)((x >> 16) % 20);
        if (k == 0) {
            parse_ok(&fast_unit, "1");
            parse_ok(&slow_unit, "1.0");
        } else {
            snprintf(text, sizeof(text), "0.%0*d", k, 1);
            parse_ok(&fast_unit, text);
            snprintf(text, sizeof(text), "0.%0*d0", k, 1);
            parse_ok(&slow_unit, text);
        }
        assert_int_equal(fisc_decimal_round_unit(&a, &ra, &v, &fast_unit, mode, &sa, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_round_unit(&b, &rb, &v, &slow_unit, mode, &sb, NULL), FISC_OK);
        /* ROUNDED also says that digits finer than the unit were dropped, zeros included: finer
           than 0.01 for the one, than 0.010 for the other */
        if (fisc_decimal_cmp(&a, &b) != 0 || fisc_decimal_cmp(&ra, &rb) != 0 ||
            (sa & FISC_STATUS_INEXACT) != (sb & FISC_STATUS_INEXACT) ||
            sa != ((sb & FISC_STATUS_INEXACT) || v.scale_ > k ? sb | FISC_STATUS_ROUNDED : sb))
            fail_msg("case %d: scale %d to 10^-%d, mode %d: status %u and %u", n, v.scale_, k, (int)mode, sa, sb);
        if (v.scale_ <= k && (sa != 0 || fisc_decimal_cmp(&a, &v) != 0 || fisc_decimal_sign(&ra) != 0))
            fail_msg("case %d: a value of %d places rounded to %d changed", n, v.scale_, k);
        fisc_decimal_clear(&v);
        fisc_decimal_clear(&fast_unit);
        fisc_decimal_clear(&slow_unit);
        fisc_decimal_clear(&a);
        fisc_decimal_clear(&b);
        fisc_decimal_clear(&ra);
        fisc_decimal_clear(&rb);
    }
}

/*
 * fiscp_decimal_round_to_unit (the engine's rounding) against fisc_decimal_round_unit without a
 * residue or a status: the same result field for field (kind, scale, coefficient) and the same
 * status code, in every mode (and an invalid one), on every kind (64- and 128-bit, negative, zero,
 * RATIO, BIG), for units the fast path takes (1, 0.1 ... 10^-38) and others (0.010, 0.05, 10, 5),
 * also in place (r == v).
 */
static void round_to_unit_matches_round_unit(void **state)
{
    static const char *const values[] = { "0", "-0.00", "7", "-7", "0.1", "-0.01", "123.45", "-123.456", "0.005",
                                          "-0.015", "9223372036854775807", "-9223372036854775808",
                                          "92233720368547758.08", "-92233720368547758.09", "18446744073709551616.5",
                                          "-170141183460469231731687303715884105727", "1/3", "-2/7",
                                          "1/12345678901234567890123", "0.00000000000000000001",
                                          "-1701411834604692317316873037158841057.27",
                                          "-1701411834604692317316873037158841057280" };
    static const char *const units[] = { "1", "0.1", "0.01", "0.001", "0.00000000000000000001", "1.0", "0.010",
                                         "0.05", "10", "5", "0.000000000000000001" };
    static const int more[] = { 36, 37, 38 }; /* units 10^-k past what a text may write */
    enum { UNITS = sizeof(units) / sizeof(units[0]) };

    (void)state;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        for (size_t j = 0; j < UNITS + sizeof(more) / sizeof(more[0]); j++) {
            for (int mode = FISC_ROUND_HALF_UP; mode <= FISC_ROUND_FLOOR + 1; mode++) {
                fisc_decimal v, unit, a, b;
                fisc_error ea = FISC_ERROR_INIT, eb = FISC_ERROR_INIT;
                fisc_status ra, rb;

                fiscp_decimal_init(&v);
                fiscp_decimal_init(&unit);
                fiscp_decimal_init(&a);
                fiscp_decimal_init(&b);
                parse_ok(&v, values[i]);
                if (j < UNITS)
                    parse_ok(&unit, units[j]);
                else
                    fiscp_decimal_set_scaled(&unit, 1, more[j - UNITS]);
                ra = fiscp_decimal_round_to_unit(&a, &v, &unit, (fisc_round)mode, &ea);
                rb = fisc_decimal_round_unit(&b, NULL, &v, &unit, (fisc_round)mode, NULL, &eb);
                if (ra != rb || strcmp(ea.text, eb.text) != 0 ||
                    (ra == FISC_OK && (a.kind_ != b.kind_ || fisc_decimal_cmp(&a, &b) != 0 ||
                                       (a.kind_ == FISCP_DEC_SMALL &&
                                        (a.scale_ != b.scale_ || a.lo_ != b.lo_ || a.hi_ != b.hi_)))))
                    fail_msg("%s to %s, mode %d: %d %s and %d %s", values[i], j < UNITS ? units[j] : "10^-k", mode,
                             (int)ra, ea.text, (int)rb, eb.text);
                ra = fiscp_decimal_round_to_unit(&v, &v, &unit, (fisc_round)mode, NULL); /* in place */
                assert_int_equal(ra, rb);
                if (ra == FISC_OK && fisc_decimal_cmp(&v, &b) != 0)
                    fail_msg("%s to %s, mode %d: in place differs", values[i], j < UNITS ? units[j] : "10^-k", mode);
                fisc_decimal_clear(&v);
                fisc_decimal_clear(&unit);
                fisc_decimal_clear(&a);
                fisc_decimal_clear(&b);
            }
        }
    }
}

#if FISCP_SWAR_DIGITS
/* The shared eight-digits-at-a-time helpers on every byte at every position, and on digit runs. */
static void swar_digits(void **state)
{
    uint64_t x = 0x2545F4914F6CDD1Du;

    (void)state;
    for (int pos = 0; pos < 8; pos++)
        for (int b = 0; b < 256; b++) {
            unsigned char text[8];
            uint64_t w;

            memcpy(text, "12345678", 8);
            text[pos] = (unsigned char)b;
            memcpy(&w, text, 8);
            if ((fiscp_non_digits8(w) != 0) != (b < '0' || b > '9'))
                fail_msg("byte %d at %d", b, pos);
        }
    for (int n = 0; n < 10000; n++) {
        char text[9];
        uint64_t w, v;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        v = n < 2 ? (n ? 99999999u : 0u) : x % 100000000u;
        snprintf(text, sizeof(text), "%08llu", (unsigned long long)v);
        memcpy(&w, text, 8);
        assert_int_equal(fiscp_non_digits8(w), 0);
        assert_int_equal(fiscp_eight_digits(w), v);
        /* k zero bytes shifted in at the low end: leading zeros, the last k digits dropped */
        for (int k = 0; k < 8; k++) {
            uint64_t p10 = 1;

            for (int e = 0; e < k; e++)
                p10 *= 10;
            assert_int_equal(fiscp_eight_digits(w << 8 * k), v / p10);
        }
    }
}
#endif

/* The inline helpers of lib/decimal.h agree with the functions, on every kind. */
static void inline_helpers_match(void **state)
{
    static const char *const values[] = { "0", "-0.00", "5", "-5", "0.001", "-0.001",
                                          "-170141183460469231731687303715884105727",
                                          "-18446744073709551616", "18446744073709551616", "1/3", "-1/3",
                                          "1/12345678901234567890123", "-1/12345678901234567890123" };
    fisc_decimal d, e;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        fiscp_decimal_init(&d);
        fiscp_decimal_init(&e);
        assert_int_equal(fiscp_decimal_is_small(&d), 1);
        parse_ok(&d, values[i]);
        assert_int_equal(fiscp_decimal_sign(&d), fisc_decimal_sign(&d));
        assert_int_equal(fiscp_decimal_is_small(&d), d.kind_ == FISCP_DEC_SMALL);
        err.code = FISC_EINVAL; /* reset on success, as the function does */
        assert_int_equal(fiscp_decimal_set(&e, &d, &err), FISC_OK);
        assert_int_equal(err.code, FISC_OK);
        assert_int_equal(fisc_decimal_cmp(&e, &d), 0);
        assert_int_equal(fiscp_decimal_set(&e, &e, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_cmp(&e, &d), 0);
        fiscp_decimal_set_int(&e, -(int64_t)i);
        assert_int_equal(fisc_decimal_sign(&e), i ? -1 : 0);
        fiscp_decimal_set_int(&e, INT64_MIN);
        assert_decimal_equal(&e, "-9223372036854775808");
        fisc_decimal_clear(&e);
        fiscp_decimal_clear(&d); /* frees GMP's rational when there is one (valgrind checks) */
        assert_null(d.big_);
        assert_decimal_equal(&d, "0");
    }
}

/*
 * fiscp_decimal_cmp (inline for two SMALL values at one scale) against fisc_decimal_cmp and the
 * general comparison on every pair: 128-bit coefficients that differ in the high word only or in the
 * low word only (unsigned: 2^64 − 1 against 1, 2^64 against 2^64 − 1), signs, zeros, the 64-bit
 * limits, scales that differ, RATIO and BIG operands (the call).
 */
static void inline_compare_matches(void **state)
{
    static const char *const values[] = { "0", "-0", "0.00", "1", "-1", "0.01", "-0.01", "9223372036854775807",
                                          "-9223372036854775808", "9223372036854775808", "18446744073709551615",
                                          "18446744073709551616", "18446744073709551617", "-18446744073709551615",
                                          "-18446744073709551616", "-18446744073709551617",
                                          "184467440737095516.15", "184467440737095516.16", "-184467440737095516.16",
                                          "170141183460469231731687303715884105727",
                                          "-170141183460469231731687303715884105727", "1/3", "-1/3", "2/7",
                                          "1234567890123456789012345678901234567890", "-1/12345678901234567890123" };
    enum { N = sizeof(values) / sizeof(values[0]) };
    fisc_decimal v[N];

    (void)state;
    for (int i = 0; i < N; i++) {
        fiscp_decimal_init(&v[i]);
        parse_ok(&v[i], values[i]);
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            int c = fiscp_decimal_cmp_general(&v[i], &v[j]);

            if (fiscp_decimal_cmp(&v[i], &v[j]) != c || fisc_decimal_cmp(&v[i], &v[j]) != c)
                fail_msg("%s against %s: %d, %d and the general %d", values[i], values[j],
                         fiscp_decimal_cmp(&v[i], &v[j]), fisc_decimal_cmp(&v[i], &v[j]), c);
        }
    for (int i = 0; i < N; i++)
        fisc_decimal_clear(&v[i]);
}

/*
 * fiscp_decimal_clear_n frees the rational of every value that holds one, wherever it is in the array
 * (valgrind checks), and leaves the others as they are.
 */
static void clear_n_frees_rationals(void **state)
{
    fisc_decimal d[5];

    (void)state;
    for (int big = -1; big < 5; big++) { /* -1: none holds a rational */
        for (int k = 0; k < 5; k++) {
            fiscp_decimal_init(&d[k]);
            parse_ok(&d[k], k == big ? "1234567890123456789012345678901234567890" : "12.34");
        }
        if (big == 4)
            parse_ok(&d[4], "0.5"); /* a value that went BIG once keeps its rational */
        fiscp_decimal_clear_n(d, 5);
        for (int k = 0; k < 5; k++) {
            assert_null(d[k].big_);
            if (k != big)
                assert_decimal_equal(&d[k], "12.34");
        }
    }
    fiscp_decimal_clear_n(d, 0);
}

/* Division: the 64-bit fast path (terminating quotients) and GMP agree: (a / b) × b == a exactly. */
static void division_round_trips(void **state)
{
    uint64_t x = 0x9E3779B97F4A7C15u;

    (void)state;
    for (int n = 0; n < 100000; n++) {
        fisc_decimal a, b, q, back;
        int64_t ca, cb;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        ca = (int64_t)(x >> (x % 40 + 1)) * (x & 1 ? -1 : 1);
        cb = (int64_t)((x >> 20) % 100000) + 1;
        if (x & 2)
            cb *= (int64_t)(1u << (x >> 50) % 20); /* powers of two: terminating */
        if (x & 4)
            cb = -cb;
        fisc_decimal_init(&a);
        fisc_decimal_init(&b);
        fisc_decimal_init(&q);
        fisc_decimal_init(&back);
        fiscp_decimal_set_scaled(&a, ca, (int)(x % 12));
        fiscp_decimal_set_scaled(&b, cb, (int)((x >> 8) % 9));
        assert_int_equal(fisc_decimal_div(&q, &a, &b, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_mul(&back, &q, &b, NULL), FISC_OK);
        if (fisc_decimal_cmp(&back, &a) != 0)
            fail_msg("case %d: (a / b) * b != a", n);
        fisc_decimal_clear(&a);
        fisc_decimal_clear(&b);
        fisc_decimal_clear(&q);
        fisc_decimal_clear(&back);
    }
    /* exact values through the fast path */
    check_binop(fisc_decimal_div, "1", "8", "0.125");
    check_binop(fisc_decimal_div, "-7.5", "0.025", "-300");
    check_binop(fisc_decimal_div, "0", "-3", "0");
    check_binop(fisc_decimal_div, "123.45", "1000000", "0.00012345");
}

static void unit_case(const char *value, const char *unit, fisc_round mode, const char *want,
                      const char *want_residue)
{
    fisc_decimal v, u, r, residue;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&v);
    fisc_decimal_init(&u);
    fisc_decimal_init(&r);
    fisc_decimal_init(&residue);
    parse_ok(&v, value);
    parse_ok(&u, unit);
    assert_int_equal(fisc_decimal_round_unit(&r, &residue, &v, &u, mode, NULL, &err), FISC_OK);
    assert_decimal_equal(&r, want);
    assert_decimal_equal(&residue, want_residue);
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&u);
    fisc_decimal_clear(&r);
    fisc_decimal_clear(&residue);
}

static void rounding_to_units(void **state)
{
    (void)state;
    unit_case("1.23", "0.05", FISC_ROUND_HALF_UP, "1.25", "-0.02");
    unit_case("1.225", "0.05", FISC_ROUND_HALF_UP, "1.25", "-0.025");
    unit_case("1.225", "0.05", FISC_ROUND_HALF_EVEN, "1.2", "0.025");
    unit_case("1.275", "0.05", FISC_ROUND_HALF_EVEN, "1.3", "-0.025");
    unit_case("-1.225", "0.05", FISC_ROUND_HALF_UP, "-1.25", "0.025");
    unit_case("12345", "10", FISC_ROUND_HALF_UP, "12350", "-5");
    unit_case("12345", "10", FISC_ROUND_DOWN, "12340", "5");
    unit_case("12345", "10000", FISC_ROUND_HALF_UP, "10000", "2345");
    unit_case("15000", "10000", FISC_ROUND_HALF_EVEN, "20000", "-5000");
    unit_case("25000", "10000", FISC_ROUND_HALF_EVEN, "20000", "5000");
    unit_case("25000", "10000", FISC_ROUND_CEILING, "30000", "-5000");
    unit_case("-25000", "10000", FISC_ROUND_FLOOR, "-30000", "5000");
    unit_case("1", "1/3", FISC_ROUND_HALF_UP, "1", "0");
    unit_case("0.5", "1/3", FISC_ROUND_HALF_UP, "2/3", "-1/6");
    unit_case("100", "0.01", FISC_ROUND_HALF_UP, "100", "0");
}

static void rounding_rejects_bad_arguments(void **state)
{
    fisc_decimal v, u;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    fisc_decimal_init(&v);
    fisc_decimal_init(&u);
    parse_ok(&v, "1.5");
    assert_fisc_error(&err, fisc_decimal_round_unit(&v, NULL, &v, &u, FISC_ROUND_HALF_UP, NULL, &err),
                      FISC_EINVAL, -1);
    parse_ok(&u, "-0.05");
    assert_fisc_error(&err, fisc_decimal_round_unit(&v, NULL, &v, &u, FISC_ROUND_HALF_UP, NULL, &err),
                      FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_decimal_round(&v, NULL, &v, 2, (fisc_round)7, NULL, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_decimal_round(&v, NULL, &v, 37, FISC_ROUND_HALF_UP, NULL, &err), FISC_EINVAL,
                      -1);
    assert_fisc_error(&err, fisc_decimal_round(&v, NULL, &v, -41, FISC_ROUND_HALF_UP, NULL, &err), FISC_EINVAL,
                      -1);
    assert_decimal_equal(&v, "1.5");
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&u);
}

static void rounding_reports_status(void **state)
{
    fisc_decimal v, r;
    fisc_error err = FISC_ERROR_INIT;
    uint32_t st;

    (void)state;
    fisc_decimal_init(&v);
    fisc_decimal_init(&r);
    parse_ok(&v, "1.50");
    st = 0;
    assert_int_equal(fisc_decimal_round(&r, NULL, &v, 1, FISC_ROUND_HALF_UP, &st, &err), FISC_OK);
    assert_int_equal(st, FISC_STATUS_ROUNDED); /* only zeros dropped */
    st = 0;
    assert_int_equal(fisc_decimal_round(&r, NULL, &v, 2, FISC_ROUND_HALF_UP, &st, &err), FISC_OK);
    assert_int_equal(st, 0);
    parse_ok(&v, "1.55");
    st = 0;
    assert_int_equal(fisc_decimal_round(&r, NULL, &v, 1, FISC_ROUND_HALF_UP, &st, &err), FISC_OK);
    assert_int_equal(st, FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT);
    assert_decimal_equal(&r, "1.6");
    parse_ok(&v, "2/3");
    st = 0;
    assert_int_equal(fisc_decimal_round(&r, NULL, &v, 2, FISC_ROUND_HALF_UP, &st, &err), FISC_OK);
    assert_int_equal(st, FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT);
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&r);
}

/* ------------------------------------------------------------------ formatting */

/*
 * fisc_decimal_format gives want (the text fisc_decimal_to_string gives) in a buffer of
 * FISC_DECIMAL_TEXT_SIZE, of exactly its length + 1, and of its length + 1 plus one byte; a buffer
 * one byte short, or of size 0, is FISC_ERANGE with the length in *len and "" in the buffer; the
 * status is the same as to_string's.
 */
static void format_into(const fisc_decimal *v, const fisc_format *fmt, const char *want)
{
    size_t need = strlen(want) + 1, len = 0;
    char *buf = malloc(need + 1 > FISC_DECIMAL_TEXT_SIZE ? need + 1 : FISC_DECIMAL_TEXT_SIZE), *s = NULL;
    const size_t sizes[] = { FISC_DECIMAL_TEXT_SIZE, need, need + 1 };
    fisc_error err = FISC_ERROR_INIT;
    uint32_t st1 = 0, st2 = 0;

    assert_non_null(buf);
    for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        if (sizes[k] < need)
            continue;
        memset(buf, 'x', sizes[k]);
        len = 0;
        assert_int_equal(fisc_decimal_format(buf, sizes[k], &len, v, fmt, NULL, &err), FISC_OK);
        if (strcmp(buf, want) != 0 || len != need - 1)
            fail_msg("fisc_decimal_format into %zu bytes: \"%s\" (%zu), expected \"%s\"", sizes[k], buf, len, want);
    }
    assert_int_equal(fisc_decimal_format(buf, need, NULL, v, fmt, NULL, NULL), FISC_OK); /* len optional */
    assert_string_equal(buf, want);
    memset(buf, 'x', need);
    len = 0;
    assert_fisc_error(&err, fisc_decimal_format(buf, need - 1, &len, v, fmt, NULL, &err), FISC_ERANGE, -1);
    assert_int_equal(len, need - 1);
    assert_int_equal(buf[0], '\0');
    len = 0;
    assert_fisc_error(&err, fisc_decimal_format(NULL, 0, &len, v, fmt, NULL, &err), FISC_ERANGE, -1);
    assert_int_equal(len, need - 1);
    /* the same status as to_string (rounding is reported also when the buffer is short) */
    assert_int_equal(fisc_decimal_to_string(&s, v, fmt, &st1, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_format(buf, need, NULL, v, fmt, &st2, NULL), FISC_OK);
    assert_int_equal(st1, st2);
    st2 = 0;
    assert_int_equal(fisc_decimal_format(buf, need - 1, NULL, v, fmt, &st2, NULL), FISC_ERANGE);
    assert_int_equal(st1, st2);
    fisc_string_free(s);
    free(buf);
}

static void format_case(const char *value, int places, int grouping, int unit, const char *want)
{
    fisc_decimal v;
    fisc_format fmt;
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;

    assert_int_equal(fisc_format_init(&fmt, FISC_FORMAT_VERSION), FISC_OK);
    fmt.places = places;
    fmt.grouping = grouping;
    fmt.unit = unit;
    fisc_decimal_init(&v);
    parse_ok(&v, value);
    assert_int_equal(fisc_decimal_to_string(&s, &v, &fmt, NULL, &err), FISC_OK);
    if (strcmp(s, want) != 0)
        fail_msg("format \"%s\" places %d grouping %d unit %d: got \"%s\", expected \"%s\"", value, places,
                 grouping, unit, s, want);
    fisc_string_free(s);
    format_into(&v, &fmt, want);
    fisc_decimal_clear(&v);
}

static void formatting(void **state)
{
    (void)state;
    format_case("1234.5", 2, 0, FISC_UNIT_YUAN, "1234.50");
    format_case("1234.5", 0, 0, FISC_UNIT_YUAN, "1235");
    format_case("1234567.891", 2, 1, FISC_UNIT_YUAN, "1,234,567.89");
    format_case("-1234.5", 2, 1, FISC_UNIT_YUAN, "-1,234.50");
    format_case("123", 2, 1, FISC_UNIT_YUAN, "123.00");
    format_case("123456", FISC_PLACES_EXACT, 1, FISC_UNIT_YUAN, "123,456");
    format_case("0.05", 2, 0, FISC_UNIT_YUAN, "0.05");
    format_case("-0.004", 2, 0, FISC_UNIT_YUAN, "0.00");
    format_case("0.000100", FISC_PLACES_EXACT, 0, FISC_UNIT_YUAN, "0.0001");
    format_case("12345678.9", 6, 0, FISC_UNIT_WAN, "1234.567890");
    format_case("12345678.9", 2, 1, FISC_UNIT_WAN, "1,234.57");
    format_case("50000", 2, 0, FISC_UNIT_WAN, "5.00");
    format_case("1/3", 4, 0, FISC_UNIT_YUAN, "0.3333");
    format_case("2/3", FISC_PLACES_EXACT, 0, FISC_UNIT_YUAN, "2/3");
    format_case("1", FISC_PLACES_EXACT, 0, FISC_UNIT_WAN, "0.0001");
    format_case("1234567890123456789012345678901234567890.5", 2, 1, FISC_UNIT_YUAN,
                "1,234,567,890,123,456,789,012,345,678,901,234,567,890.50");
    format_case("-1234567890123456789012345678901234567890.005", 2, 0, FISC_UNIT_YUAN,
                "-1234567890123456789012345678901234567890.01");
}

static void format_rejects_bad_options(void **state)
{
    fisc_decimal v;
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;

    (void)state;
    fisc_decimal_init(&v);
    fmt.places = 37;
    assert_fisc_error(&err, fisc_decimal_to_string(&s, &v, &fmt, NULL, &err), FISC_EINVAL, -1);
    fmt.places = 2;
    fmt.unit = 9;
    assert_fisc_error(&err, fisc_decimal_to_string(&s, &v, &fmt, NULL, &err), FISC_EINVAL, -1);
    fmt.unit = FISC_UNIT_YUAN;
    fmt.version = 99;
    assert_fisc_error(&err, fisc_decimal_to_string(&s, &v, &fmt, NULL, &err), FISC_EINVAL, -1);
    assert_null(s);
    assert_int_equal(fisc_format_init(&fmt, 2), FISC_EINVAL);
    fisc_decimal_clear(&v);
}

/*
 * fisc_decimal_format's fast paths (a buffer of FISC_DECIMAL_TEXT_SIZE: a value padded to its places, or
 * in 分 for two) against its general path (the same call into a buffer one byte smaller, or
 * fisc_decimal_to_string for a text longer than that): the same status, text, length, status bits and
 * error, for values at the 64-bit and 分 edges, scales 0..20, fractions and big values, under every
 * option, and for the options the fast paths must refuse.
 */
static void format_same_both_ways(const fisc_decimal *v, const fisc_format *fmt)
{
    char a[FISC_DECIMAL_TEXT_SIZE], b[FISC_DECIMAL_TEXT_SIZE - 1], *s = NULL;
    size_t na = 777, nb = 777;
    uint32_t sa = 0, sb = 0;
    fisc_error ea = FISC_ERROR_INIT, eb = FISC_ERROR_INIT;
    int ra = fisc_decimal_format(a, sizeof(a), &na, v, fmt, &sa, &ea);
    int rb = fisc_decimal_format(b, sizeof(b), &nb, v, fmt, &sb, &eb);

    if (rb == FISC_ERANGE) { /* too long for the smaller buffer */
        sb = 0;
        rb = fisc_decimal_to_string(&s, v, fmt, &sb, NULL);
        assert_int_equal(ra, rb);
        if (ra == FISC_OK) {
            assert_string_equal(a, s);
            assert_int_equal(na, strlen(s));
        }
        fisc_string_free(s);
    } else {
        assert_int_equal(ra, rb);
        assert_int_equal(na, nb);
        if (ra == FISC_OK)
            assert_string_equal(a, b);
        else
            assert_string_equal(ea.text, eb.text);
    }
    assert_int_equal(sa, sb);
}

static void format_fast_paths_match_general(void **state)
{
    static const char *const values[] = {
        "0", "1", "-1", "0.01", "-0.01", "0.05", "-0.05", "0.1", "-0.1", "0.99", "1.5", "-1.50", "12.5", "100",
        "100.00", "80484.80", "41162084.27", "-41162084.27", "0.125", "-0.125", "1.500", "0.1250", "1.001", "0.001",
        "0.000", "2.5000000000000000000", "184467440737095516", "184467440737095517", "-184467440737095516",
        "-184467440737095517", "1844674407370955.16", "1844674407370955.17", "-1844674407370955.16",
        "18446744073709551.6", "18446744073709551.7", "9223372036854775807", "-9223372036854775807",
        "-9223372036854775808", "92233720368547758.07", "-92233720368547758.07", "92233720368547758.08",
        "9223372036854775.808", "0.000000000000000001", "0.0000000000000000001", "123456789.123456789012345678",
        "1/3", "-1/3", "2/3", "1/7", "-5/6", "99999999999999999999999999999999999999",
        "999999999999999999999999999999999999999", "-999999999999999999999999999999999999999.75",
        "170141183460469231731687303715884105727", "170141183460469231731687303715884105728.5", "99", "9.99",
        "999999.99", "99999999.99", "9999999999.99", "10000", "10000.01",
    };
    static const int places[] = { 0, 1, 2, 3, 4, 17, 18, 19, 20, 36 };
    fisc_decimal v;
    fisc_format f;

    (void)state;
    fisc_decimal_init(&v);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        parse_ok(&v, values[i]);
        format_same_both_ways(&v, NULL);
        for (size_t k = 0; k < sizeof(places) / sizeof(places[0]); k++)
            for (int r = FISC_ROUND_HALF_UP; r <= FISC_ROUND_FLOOR; r++)
                for (int g = 0; g < 2; g++)
                    for (int u = FISC_UNIT_YUAN; u <= FISC_UNIT_WAN; u++) {
                        assert_int_equal(fisc_format_init(&f, FISC_FORMAT_VERSION), FISC_OK);
                        f.places = places[k];
                        f.rounding = r;
                        f.grouping = g;
                        f.unit = u;
                        format_same_both_ways(&v, &f);
                    }
        for (int bad = 0; bad < 5; bad++) { /* refused, with the general path's message */
            assert_int_equal(fisc_format_init(&f, FISC_FORMAT_VERSION), FISC_OK);
            f.places = bad == 4 ? 37 : 2;
            f.version = bad == 0 ? FISC_FORMAT_VERSION + 1 : FISC_FORMAT_VERSION;
            f.rounding = bad == 1 ? 7 : bad == 2 ? -1 : FISC_ROUND_HALF_UP;
            f.unit = bad == 3 ? 9 : FISC_UNIT_YUAN;
            format_same_both_ways(&v, &f);
        }
    }
    fisc_decimal_clear(&v);
}

/* The arguments and buffers of fisc_decimal_format; values too long for the stack buffer. */
static void format_into_buffers(void **state)
{
    static const char *const long_values[] = {
        "1234567890123456789012345678901234567890.12345678901234567891", /* BIG, fits 96 bytes */
        "-1/12345678901234567890123456789",                              /* BIG "p/q" */
        "12345678901234567890123456789012345678/12345678901234567890123456789012345677",
    };
    fisc_decimal v, big;
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_error err = FISC_ERROR_INIT;
    char buf[FISC_DECIMAL_TEXT_SIZE], *s = NULL, *heap;
    size_t len = 7;

    (void)state;
    fisc_decimal_init(&v);
    fisc_decimal_init(&big);
    parse_ok(&v, "1234.5");
    /* arguments */
    strcpy(buf, "junk");
    assert_fisc_error(&err, fisc_decimal_format(buf, sizeof(buf), &len, NULL, NULL, NULL, &err), FISC_EINVAL, -1);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    assert_fisc_error(&err, fisc_decimal_format(NULL, 1, &len, &v, NULL, NULL, &err), FISC_EINVAL, -1);
    fmt.places = 37;
    strcpy(buf, "junk");
    assert_fisc_error(&err, fisc_decimal_format(buf, sizeof(buf), &len, &v, &fmt, NULL, &err), FISC_EINVAL, -1);
    assert_string_equal(buf, "");
    fmt.places = 2;
    fmt.version = 99;
    assert_fisc_error(&err, fisc_decimal_format(buf, sizeof(buf), &len, &v, &fmt, NULL, &err), FISC_EINVAL, -1);
    fmt.version = FISC_FORMAT_VERSION;
    /* size 0: nothing written, the length told (buf may then be NULL) */
    buf[0] = 'x';
    assert_fisc_error(&err, fisc_decimal_format(buf, 0, &len, &v, NULL, NULL, &err), FISC_ERANGE, -1);
    assert_int_equal(len, 6);
    assert_int_equal(buf[0], 'x');
    assert_non_null(strstr(err.text, "7 bytes"));
    /* the error of a call is reset by the next */
    assert_int_equal(fisc_decimal_format(buf, sizeof(buf), &len, &v, &fmt, NULL, &err), FISC_OK);
    assert_int_equal(err.code, FISC_OK);
    assert_string_equal(buf, "1234.50");
    /* values through the heap: the same text as to_string, retried with the length told */
    for (size_t i = 0; i < sizeof(long_values) / sizeof(long_values[0]); i++) {
        parse_ok(&big, long_values[i]);
        assert_int_equal(big.kind_, FISCP_DEC_BIG);
        assert_int_equal(fisc_decimal_to_string(&s, &big, NULL, NULL, NULL), FISC_OK);
        format_into(&big, NULL, s);
        fisc_string_free(s);
    }
    /* past FISC_DECIMAL_TEXT_SIZE: ERANGE, then the size asked for */
    parse_ok(&big, "1234567890123456789012345678901234567890.12345678901234567891");
    assert_int_equal(fisc_decimal_mul(&big, &big, &big, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_to_string(&s, &big, NULL, NULL, NULL), FISC_OK);
    assert_true(strlen(s) >= FISC_DECIMAL_TEXT_SIZE);
    assert_fisc_error(&err, fisc_decimal_format(buf, sizeof(buf), &len, &big, NULL, NULL, &err), FISC_ERANGE, -1);
    assert_int_equal(len, strlen(s));
    assert_string_equal(buf, "");
    heap = malloc(len + 1);
    assert_non_null(heap);
    assert_int_equal(fisc_decimal_format(heap, len + 1, &len, &big, NULL, NULL, &err), FISC_OK);
    assert_string_equal(heap, s);
    format_into(&big, NULL, s);
    free(heap);
    fisc_string_free(s);
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&big);
}

/* The exact text of coef / 10^scale from GMP's digits (the point put in, trailing zeros dropped),
   or with `places` decimals (places >= scale). */
static void ref_text(char *out, mpz_srcptr coef, int scale, int places)
{
    char digits[64];
    size_t nd, o = 0;
    int frac;

    mpz_get_str(digits, 10, coef);
    if (digits[0] == '-') {
        memmove(digits, digits + 1, strlen(digits));
        if (strcmp(digits, "0") != 0)
            out[o++] = '-';
    }
    nd = strlen(digits);
    while ((int)nd <= scale) { /* at least one digit before the point */
        memmove(digits + 1, digits, nd + 1);
        digits[0] = '0';
        nd++;
    }
    memcpy(out + o, digits, nd - (size_t)scale);
    o += nd - (size_t)scale;
    frac = scale;
    if (places < 0)
        while (frac > 0 && digits[nd - (size_t)scale + (size_t)frac - 1] == '0')
            frac--;
    if (frac > 0 || places > 0)
        out[o++] = '.';
    memcpy(out + o, digits + nd - (size_t)scale, (size_t)frac);
    o += (size_t)frac;
    for (int k = frac; k < places; k++)
        out[o++] = '0';
    out[o] = '\0';
    if (o > 1 && out[0] == '-' && strspn(out + 1, "0.") == o - 1) /* -0.00: no sign */
        memmove(out, out + 1, o);
}

/* A SMALL value with any coefficient below 2^127 in magnitude (white-box). */
static void set_coef(fisc_decimal *d, mpz_t z, uint64_t hi, uint64_t lo, int negative, int scale)
{
    mpz_set_ui(z, (unsigned long)hi);
    mpz_mul_2exp(z, z, 64);
    mpz_add_ui(z, z, (unsigned long)lo);
    if (negative)
        mpz_neg(z, z);
    if (negative) { /* two's complement of hi:lo */
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    d->lo_ = lo;
    d->hi_ = hi;
    d->scale_ = scale;
    d->kind_ = FISCP_DEC_SMALL;
}

/*
 * Formatting SMALL values: the in-place writer of 64-bit coefficients (fisc_decimal_format with
 * no options, fiscp_decimal_write, to_string) and the string layout (128-bit coefficients,
 * grouping) against GMP's digits, at every scale, exactly and with places; the grouped text
 * is the plain one with commas every three integer digits.
 */
static void format_matches_gmp_digits(void **state)
{
    uint64_t x = 0x6A09E667F3BCC908u;
    mpz_t z;

    (void)state;
    mpz_init(z);
    for (int n = 0; n < 40000; n++) {
        fisc_decimal d;
        fisc_format fmt = FISC_FORMAT_INIT;
        char want[128], got[FISC_DECIMAL_TEXT_SIZE], plain[FISC_DECIMAL_TEXT_SIZE], *s = NULL;
        uint64_t hi = 0, lo;
        int scale, places, bits;
        size_t len = 0;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        bits = (int)(x % 128); /* the coefficient's bit length, 0 to 127 */
        lo = x * 0x9E3779B97F4A7C15u;
        if (bits < 64) {
            lo = bits ? lo >> (64 - bits) : 0;
        } else if (bits > 64) {
            hi = (x ^ (x >> 29)) >> (128 - bits);
        }
        if (n % 11 == 0)
            lo = (lo / 1000) * 1000; /* trailing zeros */
        scale = (int)((x >> 40) % 39);
        fiscp_decimal_init(&d);
        set_coef(&d, z, hi, lo, (x >> 61) & 1, scale);
        ref_text(want, z, scale, -1);
        assert_int_equal(fisc_decimal_format(got, sizeof(got), &len, &d, NULL, NULL, NULL), FISC_OK);
        if (strcmp(got, want) != 0 || len != strlen(want))
            fail_msg("case %d (scale %d): \"%s\", expected \"%s\"", n, scale, got, want);
        assert_int_equal(fiscp_decimal_write(got, sizeof(got), &d), (int)strlen(want));
        assert_string_equal(got, want);
        assert_int_equal(fisc_decimal_to_string(&s, &d, NULL, NULL, NULL), FISC_OK);
        assert_string_equal(s, want);
        fisc_string_free(s);
        /* with places (>= scale: nothing rounded) */
        places = scale + (int)((x >> 50) % 3);
        if (places <= 36) {
            fmt.places = places;
            ref_text(want, z, scale, places);
            assert_int_equal(fisc_decimal_format(plain, sizeof(plain), NULL, &d, &fmt, NULL, NULL), FISC_OK);
            if (strcmp(plain, want) != 0)
                fail_msg("case %d (scale %d, places %d): \"%s\", expected \"%s\"", n, scale, places, plain, want);
            /* grouped: the same digits, a comma before every third integer digit from the point */
            fmt.grouping = 1;
            assert_int_equal(fisc_decimal_format(got, sizeof(got), NULL, &d, &fmt, NULL, NULL), FISC_OK);
            {
                const char *p = plain, *g = got;
                size_t nint = strcspn(plain, "."), o = plain[0] == '-';

                for (; *p; p++, g++) {
                    size_t k = (size_t)(p - plain);

                    if (k > o && k < nint && (nint - k) % 3 == 0 && *g++ != ',')
                        fail_msg("case %d: \"%s\" grouped is \"%s\"", n, plain, got);
                    if (*g != *p)
                        fail_msg("case %d: \"%s\" grouped is \"%s\"", n, plain, got);
                }
                assert_int_equal(*g, '\0');
            }
        }
    }
    mpz_clear(z);
}

/* fiscp_u64_digits against printf, at every power of ten and around it. */
static void u64_digits_match_printf(void **state)
{
    uint64_t x = 0xBB67AE8584CAA73Bu, p = 1;

    (void)state;
    for (int n = 0; n < 200000; n++) {
        char got[24], want[24];
        uint64_t v;
        size_t len;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (n < 20 * 3) { /* 10^k - 1, 10^k, 10^k + 1 */
            if (n % 3 == 0 && n > 0)
                p *= 10;
            v = p + (uint64_t)(n % 3) - 1;
        } else if (n < 20 * 3 + 4) {
            static const uint64_t EDGES[] = { 0, UINT64_MAX, UINT64_MAX - 1, (uint64_t)INT64_MAX + 1 };

            v = EDGES[n - 60];
        } else {
            v = x >> (x % 64);
        }
        len = fiscp_u64_digits(got, v);
        got[len] = '\0';
        snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
        if (strcmp(got, want) != 0)
            fail_msg("%s printed as %s", want, got);
    }
}

/*
 * fiscp_u64_digits at every length 1..20 (each its own straight path): every value of 1 to 3
 * digits, else the first and last 1000 values of the length and 1000 between, against printf, with
 * nothing written past the digits.
 */
static void u64_digits_every_length(void **state)
{
    uint64_t x = 0x6A09E667F3BCC909u, lo = 0, hi = 9;

    (void)state;
    for (int len = 1; len <= 20; len++) {
        for (int i = 0; i < 3000; i++) {
            char got[24], want[24];
            uint64_t v;
            size_t n;

            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (hi - lo < 3000) /* lengths 1 to 3: every value */
                v = lo + (uint64_t)i % (hi - lo + 1);
            else
                v = i < 1000 ? lo + (uint64_t)i : i < 2000 ? hi - (uint64_t)(i - 1000) : lo + x % (hi - lo + 1);
            memset(got, 'x', sizeof(got));
            n = fiscp_u64_digits(got, v);
            snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
            if (n != (size_t)len || n != strlen(want) || memcmp(got, want, n) != 0)
                fail_msg("%s written as %.*s", want, (int)n, got);
            for (size_t k = n; k < sizeof(got); k++)
                if (got[k] != 'x')
                    fail_msg("%s: byte %zu past the digits written", want, k);
        }
        lo = hi + 1;
        hi = len < 19 ? hi * 10 + 9 : UINT64_MAX;
    }
}

/* The exact text without allocating: SMALL and RATIO values, not BIG ones, not in a short buffer. */
static void write_small_values(void **state)
{
    static const char *const cases[][2] = {
        { "-1/3", "-1/3" },
        { "9223372036854775807/9223372036854775806", "9223372036854775807/9223372036854775806" },
        { "1234.50", "1234.5" },
        { "-0.000", "0" },
        { "170141183460469231731687303715884105727", "170141183460469231731687303715884105727" },
        { "-17014118346046923173168730371588410.5727", "-17014118346046923173168730371588410.5727" },
    };
    fisc_decimal d;
    char buf[64];

    (void)state;
    fisc_decimal_init(&d);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = strlen(cases[i][1]);

        parse_ok(&d, cases[i][0]);
        assert_int_equal(fiscp_decimal_write(buf, sizeof(buf), &d), (int)n);
        assert_string_equal(buf, cases[i][1]);
        assert_int_equal(fiscp_decimal_write(buf, n + 1, &d), (int)n);
        strcpy(buf, "unchanged");
        assert_int_equal(fiscp_decimal_write(buf, n, &d), -1);
        assert_string_equal(buf, "unchanged");
    }
    parse_ok(&d, "1/12345678901234567890123"); /* BIG */
    assert_int_equal(fiscp_decimal_write(buf, sizeof(buf), &d), -1);
    parse_ok(&d, "1/1099511627776"); /* 2^-40: a RATIO that terminates past 38 places */
    assert_int_equal(d.kind_, FISCP_DEC_RATIO);
    assert_int_equal(fiscp_decimal_write(buf, sizeof(buf), &d), -1);
    assert_decimal_equal(&d, "0.0000000000009094947017729282379150390625");
    fisc_decimal_clear(&d);
}

/* ------------------------------------------------------------------ the 64-bit fast paths */

/*
 * An operand for the fast paths' edges, from the random x: mostly SMALL with a 64-bit coefficient
 * at or next to a limit (0, ±1, 10^18, 2^62, √2^63, INT64_MAX, INT64_MIN) or of a random length,
 * at a scale from 0 to 38 (so scales up to 38 apart); else a coefficient past 64 bits, a RATIO
 * (x/9, x/90 and other shares, as the R&D limit makes them) or a BIG value.
 */
static void edge_value(fisc_decimal *d, uint64_t x, mpz_t z)
{
    static const int64_t EDGES[] = { 0, 1, -1, 2, 5, 9, 10, 25, 99, 100, -100,
                                     INT64_C(999999999999999999), INT64_C(1000000000000000000),
                                     INT64_C(-1000000000000000000), INT64_C(1000000000000000001),
                                     INT64_C(3037000499), INT64_C(3037000500), INT64_C(-3037000500),
                                     INT64_C(4611686018427387904), INT64_C(922337203685477580),
                                     INT64_C(922337203685477581), INT64_C(92233720368547758),
                                     INT64_MAX, INT64_MAX - 1, -INT64_MAX, INT64_MIN, INT64_MIN + 1 };
    static const int SCALES[] = { 0, 0, 0, 1, 2, 2, 2, 2, 3, 4, 4, 6, 8, 12, 17, 18, 18, 19, 20, 30, 36, 37, 38 };
    static const int64_t DIVISORS[] = { 3, 7, 9, 9, 90, 97, 1000003, 2147483647 };
    int scale = SCALES[(x >> 7) % (sizeof(SCALES) / sizeof(SCALES[0]))];
    int64_t c;

    if ((x >> 12) % 3 == 0)
        c = EDGES[(x >> 14) % (sizeof(EDGES) / sizeof(EDGES[0]))];
    else
        c = (int64_t)((x >> 1) >> ((x >> 20) % 63)) * ((x >> 30) & 1 ? -1 : 1);
    fiscp_decimal_init(d);
    fiscp_decimal_set_scaled(d, c, scale);
    switch (x % 16) {
    case 0: /* past 64 bits: the 128-bit paths */
        set_coef(d, z, (x >> 33) % 1000 + 1, x * 0x9E3779B97F4A7C15u, (x >> 43) & 1, scale);
        break;
    case 1:
    case 2:
    case 3: { /* a share: a RATIO unless the divisor divides it */
        fisc_decimal den;

        fiscp_decimal_init(&den);
        fisc_decimal_set_int(&den, DIVISORS[(x >> 50) % (sizeof(DIVISORS) / sizeof(DIVISORS[0]))]);
        assert_int_equal(fisc_decimal_div(d, d, &den, NULL), FISC_OK);
        fisc_decimal_clear(&den);
        break;
    }
    case 4:
        if ((x >> 52) % 4 == 0) /* 2^127 and a fraction past 64 bits: GMP */
            parse_ok(d, (x >> 54) & 1 ? "-170141183460469231731687303715884105728" : "1/12345678901234567890123");
        break;
    default:
        break;
    }
}

/* The same value in the same form: the same fields (SMALL, RATIO), or equal rationals (BIG). */
static int same_form(const fisc_decimal *a, const fisc_decimal *b)
{
    if (a->kind_ == FISCP_DEC_BIG || b->kind_ == FISCP_DEC_BIG)
        return a->kind_ == b->kind_ && fisc_decimal_cmp(a, b) == 0;
    return a->kind_ == b->kind_ && a->lo_ == b->lo_ && a->hi_ == b->hi_ && a->scale_ == b->scale_;
}

/*
 * The scale fisc_decimal_div gives the terminating quotient of two 64-bit coefficients,
 * (ca / 10^sa) / (cb / 10^sb): with d = |cb| / gcd(|ca|, |cb|) = 2^t2 5^t5, k = max(t2, t5), the
 * scale is k + sa - sb (0 when negative). 0 when that rule does not apply (not such operands, or a
 * quotient that does not terminate).
 */
static int div_scale(int *scale, const fisc_decimal *a, const fisc_decimal *b)
{
    int64_t ca, cb;
    uint64_t g, h, d;
    int sa, sb, t2 = 0, t5 = 0;

    if (!fiscp_decimal_small64(&ca, &sa, a) || !fiscp_decimal_small64(&cb, &sb, b) || ca == INT64_MIN ||
        cb == INT64_MIN || cb == 0)
        return 0;
    if (ca == 0) {
        *scale = 0;
        return 1;
    }
    g = (uint64_t)(ca < 0 ? -ca : ca);
    d = h = (uint64_t)(cb < 0 ? -cb : cb);
    while (h != 0) { /* Euclid: g = gcd(|ca|, |cb|) */
        uint64_t t = g % h;

        g = h;
        h = t;
    }
    for (d /= g; d % 2 == 0; d /= 2)
        t2++;
    for (; d % 5 == 0; d /= 5)
        t5++;
    if (d != 1)
        return 0;
    *scale = (t2 > t5 ? t2 : t5) + sa - sb;
    if (*scale < 0)
        *scale = 0;
    return 1;
}

/* The fewest decimals of a terminating q: max(i, j) for its denominator 2^i 5^j. */
static int least_scale(mpq_srcptr q)
{
    mpz_t d;
    int twos = (int)mpz_scan1(mpq_denref(q), 0), fives = 0;

    mpz_init(d);
    mpz_tdiv_q_2exp(d, mpq_denref(q), (mp_bitcnt_t)twos);
    while (mpz_divisible_ui_p(d, 5)) {
        mpz_divexact_ui(d, d, 5);
        fives++;
    }
    mpz_clear(d);
    return twos > fives ? twos : fives;
}

/* r (= want) of a binary operation in its one form: a RATIO reduced, a SMALL made from a RATIO
   operand with the fewest decimals, a SMALL quotient at div_scale's scale when it fits. */
static void check_form(const fisc_decimal *r, mpq_srcptr want, const fisc_decimal *a, const fisc_decimal *b, int op,
                       int n)
{
    int scale;

    if (r->kind_ == FISCP_DEC_RATIO &&
        ((int64_t)r->lo_ != mpz_get_si(mpq_numref(want)) || r->hi_ != mpz_get_ui(mpq_denref(want))))
        fail_msg("case %d, op %d: a RATIO not in its reduced form", n, op);
    if (r->kind_ != FISCP_DEC_SMALL)
        return;
    if ((a->kind_ == FISCP_DEC_RATIO || b->kind_ == FISCP_DEC_RATIO) && r->scale_ != least_scale(want))
        fail_msg("case %d, op %d: scale %d, not the fewest decimals", n, op, r->scale_);
    if (op == 3 && div_scale(&scale, a, b) && scale <= 38) {
        mpz_t t;
        int fits;

        mpz_init(t);
        mpz_ui_pow_ui(t, 10, (unsigned long)scale);
        mpz_mul(t, t, mpq_numref(want));
        mpz_divexact(t, t, mpq_denref(want)); /* the coefficient at that scale */
        fits = mpz_sizeinbase(t, 2) <= 125;
        mpz_clear(t);
        if (fits && r->scale_ != scale)
            fail_msg("case %d: the quotient has scale %d, expected %d", n, r->scale_, scale);
    }
}

/*
 * fiscp_decimal_add_small64 (sum += v) and fiscp_decimal_sub_small64 (r = a − b, also in place)
 * against fisc_decimal_add/sub's result `want`: when they write, the same fields; when they do
 * not (another kind, scales that differ, a coefficient past 64 bits, a 64-bit overflow), nothing
 * written, and only in those cases.
 */
static void check_inline_sum(const fisc_decimal *a, const fisc_decimal *b, int op, const fisc_decimal *want, int n)
{
    fisc_decimal t, u;
    int64_t z;
    int covered = a->kind_ == FISCP_DEC_SMALL && b->kind_ == FISCP_DEC_SMALL && a->scale_ == b->scale_ &&
                  (uint64_t)((int64_t)a->lo_ >> 63) == a->hi_ && (uint64_t)((int64_t)b->lo_ >> 63) == b->hi_ &&
                  !(op == 0 ? __builtin_add_overflow((int64_t)a->lo_, (int64_t)b->lo_, &z)
                            : __builtin_sub_overflow((int64_t)a->lo_, (int64_t)b->lo_, &z));
    int done;

    if (a->kind_ == FISCP_DEC_BIG) /* t below is a copy of the fields only */
        return;
    t = *a;
    u = *a;
    done = op == 0 ? fiscp_decimal_add_small64(&t, b) : fiscp_decimal_sub_small64(&t, &u, b);
    if (done != covered || (done ? !same_form(&t, want) : memcmp(&t, a, sizeof(t)) != 0))
        fail_msg("case %d, op %d: the inline sum gives %d (expected %d) or another value", n, op, done, covered);
    if (op == 1) {
        done = fiscp_decimal_sub_small64(&u, &u, b); /* in place */
        if (done != covered || (done && !same_form(&u, want)))
            fail_msg("case %d: the inline difference in place differs", n);
    }
}

/*
 * Each public operation's 64-bit fast path (add, sub, mul, div, cmp, min, max, round_unit to 10^-k
 * and round to k places, in every mode, with and without residue and status) against its general
 * path (fiscp_decimal_*_general: the same fields, status and return code) and against GMP (the
 * value, the form), on operands at the 64-bit edges, scales up to 38 apart, negative values, zero,
 * 128-bit coefficients, RATIO and BIG operands; also with the result in place of an operand.
 */
static void fast_paths_match_general(void **state)
{
    static const binop FAST[4] = { fisc_decimal_add, fisc_decimal_sub, fisc_decimal_mul, fisc_decimal_div };
    static const binop GENERAL[4] = { fiscp_decimal_add_general, fiscp_decimal_sub_general,
                                      fiscp_decimal_mul_general, fiscp_decimal_div_general };
    static const int PLACES[] = { 0, 1, 2, 2, 2, 3, 4, 6, 17, 18, 19, 20, 36, 38 };
    uint64_t x = 0x452821E638D01377u;
    mpz_t z;

    (void)state;
    mpz_init(z);
    for (int n = 0; n < 12000; n++) {
        fisc_decimal v[2], f, g, t, unit, fres, gres;
        mpq_t q[2], want, got, qu;
        int c, k;

        mpq_inits(q[0], q[1], want, got, qu, NULL);
        for (int i = 0; i < 2; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            edge_value(&v[i], x, z);
            to_mpq(q[i], &v[i]);
        }
        fiscp_decimal_init(&f);
        fiscp_decimal_init(&g);
        fiscp_decimal_init(&t);
        fiscp_decimal_init(&unit);
        fiscp_decimal_init(&fres);
        fiscp_decimal_init(&gres);

        c = mpq_cmp(q[0], q[1]);
        c = (c > 0) - (c < 0);
        if (fisc_decimal_cmp(&v[0], &v[1]) != c || fiscp_decimal_cmp_general(&v[0], &v[1]) != c ||
            fisc_decimal_cmp(&v[1], &v[0]) != -c || fiscp_decimal_cmp_general(&v[1], &v[0]) != -c ||
            fiscp_decimal_cmp(&v[0], &v[1]) != c || fiscp_decimal_cmp(&v[1], &v[0]) != -c)
            fail_msg("case %d: the comparison differs from GMP's (%d)", n, c);
        assert_int_equal(fisc_decimal_min(&f, &v[0], &v[1], NULL), FISC_OK);
        assert_true(same_form(&f, c <= 0 ? &v[0] : &v[1]));
        assert_int_equal(fisc_decimal_max(&f, &v[0], &v[1], NULL), FISC_OK);
        assert_true(same_form(&f, c >= 0 ? &v[0] : &v[1]));

        for (int op = 0; op < 4; op++) {
            fisc_status rf, rg;

            rf = FAST[op](&f, &v[0], &v[1], NULL);
            rg = GENERAL[op](&g, &v[0], &v[1], NULL);
            if (rf != rg)
                fail_msg("case %d, op %d: %d and the general path's %d", n, op, rf, rg);
            if (op == 3 && mpq_sgn(q[1]) == 0) {
                assert_int_equal(rf, FISC_EDIVZERO);
                continue;
            }
            assert_int_equal(rf, FISC_OK);
            mpq_op(want, op, q[0], q[1]);
            check_value(&f, want, n, "fast path");
            check_form(&f, want, &v[0], &v[1], op, n);
            if (op < 3 ? !same_form(&f, &g) : f.kind_ != g.kind_ || fisc_decimal_cmp(&f, &g) != 0 ||
                                                   (f.kind_ == FISCP_DEC_RATIO && !same_form(&f, &g)))
                fail_msg("case %d, op %d: the fast and general paths differ", n, op);
            /* in place: the result over the first operand */
            assert_int_equal(fisc_decimal_set(&t, &v[0], NULL), FISC_OK);
            assert_int_equal(FAST[op](&t, &t, &v[1], NULL), FISC_OK);
            assert_true(same_form(&t, &f));
            if (op < 2) /* the inline sums of decimal.h: the same, or nothing written */
                check_inline_sum(&v[0], &v[1], op, &f, n);
        }

        /* round v[0] to 10^-k, in every mode, fast and general, against GMP's rounding */
        k = PLACES[(x >> 24) % (sizeof(PLACES) / sizeof(PLACES[0]))];
        fiscp_decimal_set_scaled(&unit, 1, k);
        to_mpq(qu, &unit);
        for (int mode = 0; mode <= FISC_ROUND_FLOOR; mode++) {
            fisc_decimal *fr = (n + mode) % 3 == 0 ? &fres : NULL, *gr = fr ? &gres : NULL;
            uint32_t sf = 0, sg = 0, *psf = (n + mode) % 2 ? &sf : NULL, *psg = psf ? &sg : NULL;
            int inexact;

            assert_int_equal(fisc_decimal_round_unit(&f, fr, &v[0], &unit, (fisc_round)mode, psf, NULL), FISC_OK);
            assert_int_equal(fiscp_decimal_round_unit_general(&g, gr, &v[0], &unit, (fisc_round)mode, psg, NULL),
                             FISC_OK);
            if (!same_form(&f, &g) || (fr && !same_form(fr, gr)) || sf != sg)
                fail_msg("case %d: rounding to 10^-%d in mode %d: the fast and general paths differ", n, k, mode);
            ref_round(want, &inexact, q[0], qu, (fisc_round)mode);
            check_value(&f, want, n, "rounded");
            if (f.kind_ == FISCP_DEC_SMALL && v[0].kind_ == FISCP_DEC_SMALL &&
                f.scale_ != (v[0].scale_ > k ? k : v[0].scale_))
                fail_msg("case %d: %d places rounded to %d give scale %d", n, v[0].scale_, k, f.scale_);
            if (fr) {
                mpq_sub(got, q[0], want);
                check_value(fr, got, n, "residue");
            }
            if (psf && (!!(sf & FISC_STATUS_INEXACT) != inexact || (inexact && !(sf & FISC_STATUS_ROUNDED))))
                fail_msg("case %d: rounding in mode %d gives status %u (inexact %d)", n, mode, sf, inexact);
            if (k <= 36) { /* to places: the same value, form, residue and status */
                uint32_t sp = 0;

                assert_int_equal(fisc_decimal_round(&t, fr ? &gres : NULL, &v[0], k, (fisc_round)mode,
                                                    psf ? &sp : NULL, NULL), FISC_OK);
                if (!same_form(&t, &f) || (fr && !same_form(&gres, fr)) || sp != sf)
                    fail_msg("case %d: rounding to %d places in mode %d differs from the unit's", n, k, mode);
            }
            /* in place */
            assert_int_equal(fisc_decimal_set(&t, &v[0], NULL), FISC_OK);
            assert_int_equal(fisc_decimal_round_unit(&t, NULL, &t, &unit, (fisc_round)mode, NULL, NULL), FISC_OK);
            assert_true(same_form(&t, &f));
            /* the engine's rounding (its HALF_UP inline): the general path's fields */
            assert_int_equal(fiscp_decimal_round_to_unit(&t, &v[0], &unit, (fisc_round)mode, NULL), FISC_OK);
            if (!same_form(&t, &g))
                fail_msg("case %d: round_to_unit to 10^-%d in mode %d differs from the general path", n, k, mode);
        }

        for (int i = 0; i < 2; i++)
            fisc_decimal_clear(&v[i]);
        fisc_decimal_clear(&f);
        fisc_decimal_clear(&g);
        fisc_decimal_clear(&t);
        fisc_decimal_clear(&unit);
        fisc_decimal_clear(&fres);
        fisc_decimal_clear(&gres);
        mpq_clears(q[0], q[1], want, got, qu, NULL);
    }
    mpz_clear(z);
}

/*
 * fiscp_decimal_round_to_unit's inline HALF_UP on its edges, in every mode (the others take the
 * general path): exact ties and their neighbours (±1 in the last place) of positive and negative
 * values at every distance 1..18 between the value's scale and the unit's, coefficients at the
 * 64-bit limits (±INT64_MAX, INT64_MIN: the general path), zero, shares n/9, n/90 and -n/7 with
 * numerators near the limit where n·10^k overflows; against the general path (the same fields) and
 * GMP's rounding (the value).
 */
static void round_to_unit_ties_and_limits(void **state)
{
    static const int64_t TAILS[] = { 0, 1, -1, 2, 12345, -12345, INT64_C(922337203685477), INT64_MAX / 100,
                                     INT64_MIN / 100 };
    static const int64_t LIMITS[] = { INT64_MAX, -INT64_MAX, INT64_MIN, INT64_MAX - 5, INT64_MIN + 5, 0 };
    static const int64_t DENS[] = { 9, 90, -7, 3 };
    fisc_decimal v, unit, a, b, den;
    mpq_t q, qu, want;
    int inexact, n = 0;

    (void)state;
    mpq_inits(q, qu, want, NULL);
    fiscp_decimal_init(&v);
    fiscp_decimal_init(&unit);
    fiscp_decimal_init(&a);
    fiscp_decimal_init(&b);
    fiscp_decimal_init(&den);
    for (int k = 0; k <= 4; k += 2) {
        fiscp_decimal_set_scaled(&unit, 1, k);
        to_mpq(qu, &unit);
        for (int dist = 1; dist <= 20; dist++) {
            int64_t p = 1, half; /* p = 10^(dist-1): half a unit is 5p at the value's scale k + dist */

            for (int i = 1; i < dist && i <= 18; i++)
                p *= 10;
            half = 5 * p;
            for (size_t t = 0; t < sizeof(TAILS) / sizeof(TAILS[0]) + sizeof(LIMITS) / sizeof(LIMITS[0]); t++) {
                for (int delta = -1; delta <= 1; delta++) {
                    int64_t c;

                    if (t < sizeof(TAILS) / sizeof(TAILS[0])) { /* q units and a half, ± 1 in the last place */
                        int64_t units = TAILS[t], base;

                        if (dist > 18 || __builtin_mul_overflow(units, p * 10, &base) ||
                            __builtin_add_overflow(base, units < 0 ? -half : half, &c) ||
                            __builtin_add_overflow(c, (int64_t)delta, &c))
                            continue;
                    } else {
                        c = LIMITS[t - sizeof(TAILS) / sizeof(TAILS[0])];
                        if (delta != 0)
                            continue;
                    }
                    if (k + dist > 38)
                        continue;
                    fiscp_decimal_set_scaled(&v, c, 0);
                    v.scale_ = k + dist;
                    to_mpq(q, &v);
                    for (int mode = FISC_ROUND_HALF_UP; mode <= FISC_ROUND_FLOOR; mode++, n++) {
                        assert_int_equal(fiscp_decimal_round_to_unit(&a, &v, &unit, (fisc_round)mode, NULL), FISC_OK);
                        assert_int_equal(fiscp_decimal_round_unit_general(&b, NULL, &v, &unit, (fisc_round)mode,
                                                                          NULL, NULL), FISC_OK);
                        if (!same_form(&a, &b))
                            fail_msg("case %d: %lld at scale %d to 10^-%d, mode %d: not the general path's", n,
                                     (long long)c, k + dist, k, mode);
                        ref_round(want, &inexact, q, qu, (fisc_round)mode);
                        check_value(&a, want, n, "round_to_unit");
                    }
                }
            }
        }
        for (size_t i = 0; i < sizeof(DENS) / sizeof(DENS[0]); i++) { /* shares n/den */
            for (size_t t = 0; t < sizeof(LIMITS) / sizeof(LIMITS[0]) + sizeof(TAILS) / sizeof(TAILS[0]); t++) {
                int64_t c = t < sizeof(LIMITS) / sizeof(LIMITS[0]) ? LIMITS[t]
                                                                    : TAILS[t - sizeof(LIMITS) / sizeof(LIMITS[0])];

                if (c == INT64_MIN)
                    c = INT64_MIN + 1;
                fiscp_decimal_set_scaled(&v, c, 0);
                fiscp_decimal_set_int(&den, DENS[i]);
                assert_int_equal(fisc_decimal_div(&v, &v, &den, NULL), FISC_OK);
                to_mpq(q, &v);
                for (int mode = FISC_ROUND_HALF_UP; mode <= FISC_ROUND_FLOOR; mode++, n++) {
                    assert_int_equal(fiscp_decimal_round_to_unit(&a, &v, &unit, (fisc_round)mode, NULL), FISC_OK);
                    assert_int_equal(fiscp_decimal_round_unit_general(&b, NULL, &v, &unit, (fisc_round)mode, NULL,
                                                                      NULL), FISC_OK);
                    if (!same_form(&a, &b))
                        fail_msg("case %d: %lld/%lld to 10^-%d, mode %d: not the general path's", n, (long long)c,
                                 (long long)DENS[i], k, mode);
                    ref_round(want, &inexact, q, qu, (fisc_round)mode);
                    check_value(&a, want, n, "round_to_unit of a share");
                }
            }
        }
    }
    fisc_decimal_clear(&v);
    fisc_decimal_clear(&unit);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&b);
    fisc_decimal_clear(&den);
    mpq_clears(q, qu, want, NULL);
}

/*
 * The R&D limit's quotient, five × 10% / 90% (and at other scales, signs, and rates 0.1, 0.25,
 * 0.9, 0.75, 0.3): fisc_decimal_div against its general path (the same value and kind) and GMP,
 * for amounts with factors 2, 3, 5 and 9 in common with the rate and none.
 */
static void rd_limit_quotients_match_gmp(void **state)
{
    static const char *const RATES[][2] = { { "0.10", "0.90" }, { "0.1", "0.9" }, { "0.25", "0.75" },
                                            { "0.3", "0.70" }, { "0.100", "0.9000" } };
    uint64_t x = 0x9E3779B97F4A7C15u;
    fisc_decimal five, rate, rest, a, f, g;
    mpq_t qa, qb, want;

    (void)state;
    mpq_inits(qa, qb, want, NULL);
    fiscp_decimal_init(&five);
    fiscp_decimal_init(&rate);
    fiscp_decimal_init(&rest);
    fiscp_decimal_init(&a);
    fiscp_decimal_init(&f);
    fiscp_decimal_init(&g);
    for (int n = 0; n < 4000; n++) {
        static const int64_t FACTORS[] = { 1, 2, 3, 5, 9, 10, 45, 90, 1000, 81 };
        int64_t c;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        c = (int64_t)((x >> 20) % 100000000000u) * FACTORS[(x >> 8) % 10] * ((x & 1) ? -1 : 1);
        fiscp_decimal_set_scaled(&five, c, (int)((x >> 4) % 3) * 2);
        parse_ok(&rate, RATES[n % 5][0]);
        parse_ok(&rest, RATES[n % 5][1]);
        assert_int_equal(fisc_decimal_mul(&a, &five, &rate, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_div(&f, &a, &rest, NULL), FISC_OK);
        assert_int_equal(fiscp_decimal_div_general(&g, &a, &rest, NULL), FISC_OK);
        to_mpq(qa, &a);
        to_mpq(qb, &rest);
        mpq_div(want, qa, qb);
        check_value(&f, want, n, "the R&D limit");
        if (f.kind_ != g.kind_ || fisc_decimal_cmp(&f, &g) != 0 || (f.kind_ == FISCP_DEC_RATIO && !same_form(&f, &g)))
            fail_msg("case %d: the fast and general quotients differ", n);
    }
    fisc_decimal_clear(&five);
    fisc_decimal_clear(&rate);
    fisc_decimal_clear(&rest);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&f);
    fisc_decimal_clear(&g);
    mpq_clears(qa, qb, want, NULL);
}

/*
 * The fast paths at their edges, by hand: the 64-bit sum and product that overflow into 128 bits,
 * scales more than 18 apart, comparisons decided by the signs or by a 128-bit product, rounding
 * ties of negative values and of INT64_MAX, quotients x / 0.9 (a RATIO), products and sums of one.
 */
static void fast_path_edges(void **state)
{
    static const struct {
        binop f;
        const char *a, *b, *want;
    } OPS[] = {
        { fisc_decimal_add, "9223372036854775807", "1", "9223372036854775808" },
        { fisc_decimal_add, "-9223372036854775807", "-2", "-9223372036854775809" },
        { fisc_decimal_sub, "-9223372036854775807", "2", "-9223372036854775809" },
        { fisc_decimal_sub, "0.1", "0.00000000000000000001", "0.09999999999999999999" }, /* 19 apart */
        { fisc_decimal_add, "922337203685477580.7", "0.01", "922337203685477580.71" }, /* x·10 overflows 64 bits */
        { fisc_decimal_add, "-1", "0.00000000000000000001", "-0.99999999999999999999" },
        { fisc_decimal_mul, "9223372036854775807", "9223372036854775807", "85070591730234615847396907784232501249" },
        { fisc_decimal_mul, "-9223372036854775807", "0.25", "-2305843009213693951.75" },
        { fisc_decimal_div, "636595.4300", "0.90", "63659543/90" },
        { fisc_decimal_div, "-636595.4300", "0.90", "-63659543/90" },
        { fisc_decimal_div, "9223372036854775807", "0.3", "92233720368547758070/3" }, /* past 64 bits: GMP */
        { fisc_decimal_mul, "63659543/90", "1.00", "63659543/90" },
        { fisc_decimal_mul, "63659543/90", "-0.25", "-63659543/360" },
        { fisc_decimal_mul, "7/9", "0.90", "0.7" },
        { fisc_decimal_add, "63659543/90", "0.01", "636595439/900" },
        { fisc_decimal_sub, "1/3", "0.333", "1/3000" },
    };
    static const struct {
        const char *a, *b;
        int want;
    } CMP[] = {
        { "-0.01", "0", -1 },
        { "0", "-0.00000000000000000001", 1 },
        { "-9223372036854775807", "0.000000000000000001", -1 },
        { "922337203685477580.7", "922337203685477580.69", 1 },
        { "9223372036854775807", "9223372036854775807.000000000000000000", 0 },
        { "9223372036854775807", "9223372036854775806.999999999999999999", 1 },
        { "-1", "-1.00000000000000000001", 1 },
        { "63659543/90", "707328.25", 1 },
    };
    static const struct {
        const char *v, *unit;
        fisc_round mode;
        const char *want;
        uint32_t status;
    } ROUND[] = {
        { "-0.005", "0.01", FISC_ROUND_HALF_UP, "-0.01", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-0.005", "0.01", FISC_ROUND_HALF_EVEN, "0", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-0.015", "0.01", FISC_ROUND_HALF_EVEN, "-0.02", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-0.015", "0.01", FISC_ROUND_HALF_DOWN, "-0.01", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-0.011", "0.01", FISC_ROUND_CEILING, "-0.01", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-0.011", "0.01", FISC_ROUND_FLOOR, "-0.02", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "12345.6789", "0.01", FISC_ROUND_HALF_UP, "12345.68", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "12345.6700", "0.01", FISC_ROUND_UP, "12345.67", FISC_STATUS_ROUNDED },
        { "922337203685477580.7", "1", FISC_ROUND_HALF_UP, "922337203685477581",
          FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "9223372036854775807", "1", FISC_ROUND_UP, "9223372036854775807", 0 },
        { "0.9223372036854775807", "0.1", FISC_ROUND_UP, "1", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-9.223372036854775807", "0.000000000000000001", FISC_ROUND_FLOOR, "-9.223372036854775807", 0 },
        { "63659543/90", "0.01", FISC_ROUND_HALF_UP, "707328.26", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "-63659543/90", "0.01", FISC_ROUND_DOWN, "-707328.25", FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
        { "9223372036854775807/9223372036854775806", "0.01", FISC_ROUND_HALF_UP, "1",
          FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT },
    };
    fisc_decimal a, b, r;
    uint32_t st;

    (void)state;
    fisc_decimal_init(&a);
    fisc_decimal_init(&b);
    fisc_decimal_init(&r);
    for (size_t i = 0; i < sizeof(OPS) / sizeof(OPS[0]); i++)
        check_binop(OPS[i].f, OPS[i].a, OPS[i].b, OPS[i].want);
    for (size_t i = 0; i < sizeof(CMP) / sizeof(CMP[0]); i++) {
        parse_ok(&a, CMP[i].a);
        parse_ok(&b, CMP[i].b);
        if (fisc_decimal_cmp(&a, &b) != CMP[i].want || fisc_decimal_cmp(&b, &a) != -CMP[i].want)
            fail_msg("%s against %s: not %d", CMP[i].a, CMP[i].b, CMP[i].want);
    }
    for (size_t i = 0; i < sizeof(ROUND) / sizeof(ROUND[0]); i++) {
        st = 0;
        parse_ok(&a, ROUND[i].v);
        parse_ok(&b, ROUND[i].unit);
        assert_int_equal(fisc_decimal_round_unit(&r, NULL, &a, &b, ROUND[i].mode, &st, NULL), FISC_OK);
        assert_decimal_equal(&r, ROUND[i].want);
        assert_int_equal(st, ROUND[i].status);
    }
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&b);
    fisc_decimal_clear(&r);
}

/*
 * The text of a 64-bit coefficient at every scale up to 18 (8 digits a store) against printf's
 * digits: every digit count from 1 to 19 at and next to each power of ten, the limits, and random
 * values; exactly and with places. The buffer past the text's NUL holds only zeros or its old bytes.
 */
static void small_text_matches_printf(void **state)
{
    uint64_t x = 0x13198A2E03707344u, p = 1;

    (void)state;
    for (int n = 0; n < 20000; n++) {
        char got[FISC_DECIMAL_TEXT_SIZE], want[80], digits[24];
        fisc_decimal d;
        uint64_t m;
        int scale = n % 19, places = n % 5 == 0 ? scale + (n / 5) % 4 : FISC_PLACES_EXACT, neg, nd, nint;
        size_t len, o = 0;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (n < 19 * 3 * 19) { /* 10^k - 1, 10^k, 10^k + 1 at every scale */
            int k = n / (3 * 19);

            for (p = 1; k > 0; k--)
                p *= 10;
            m = p + (uint64_t)((n / 19) % 3) - 1;
        } else {
            m = (x >> 1) >> (x % 63);
        }
        if (m > (uint64_t)INT64_MAX)
            m = (uint64_t)INT64_MAX;
        neg = (x >> 62) & 1;
        fiscp_decimal_set_scaled(&d, neg ? -(int64_t)m : (int64_t)m, scale);
        /* the reference: printf's digits, the point inserted, trailing zeros dropped or padded */
        nd = snprintf(digits, sizeof(digits), "%0*llu", scale + 1, (unsigned long long)m);
        nint = nd - scale;
        if (neg && m != 0)
            want[o++] = '-';
        memcpy(want + o, digits, (size_t)nint);
        o += (size_t)nint;
        {
            int frac = scale;

            if (places < 0)
                while (frac > 0 && digits[nint + frac - 1] == '0')
                    frac--;
            if (frac > 0 || places > 0)
                want[o++] = '.';
            memcpy(want + o, digits + nint, (size_t)frac);
            o += (size_t)frac;
            for (; frac < places; frac++)
                want[o++] = '0';
        }
        want[o] = '\0';
        memset(got, 'x', sizeof(got));
        len = fiscp_decimal_small_text(got, &d, places);
        if (len != o || strcmp(got, want) != 0)
            fail_msg("%s at scale %d, places %d: \"%s\", expected \"%s\"", digits, scale, places, got, want);
        for (size_t i = len + 1; i < sizeof(got); i++)
            if (got[i] != '\0' && got[i] != 'x')
                fail_msg("\"%s\": byte %zu past the text is %d", want, i, got[i]);
    }
}

/* ------------------------------------------------------------------ memory */

/* Every allocation failure inside a GMP-path operation gives FISC_ENOMEM and leaks nothing. */
static void oom_sweep(void **state)
{
    int rc;
    long n = 0;

    (void)state;
    do {
        fisc_decimal a, r, *h = NULL;
        fisc_error err = FISC_ERROR_INIT;
        char *s = NULL, buf[FISC_DECIMAL_TEXT_SIZE] = "";

        fisc_decimal_init(&a);
        fisc_decimal_init(&r);
        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_decimal_new(&h, &err);
        if (rc == FISC_OK)
            rc = fisc_decimal_parse(&a, "1234567890123456789012345678901234567890.5", 0, &err);
        if (rc == FISC_OK)
            rc = fisc_decimal_mul(&r, &a, &a, &err);
        if (rc == FISC_OK)
            rc = fisc_decimal_to_string(&s, &r, NULL, NULL, &err);
        if (rc == FISC_OK) /* a BIG value's text goes through the heap */
            rc = fisc_decimal_format(buf, sizeof(buf), NULL, &r, NULL, NULL, &err);
        fiscp_alloc_fail_at = -1;
        if (rc != FISC_OK) {
            assert_fisc_error(&err, rc, FISC_ENOMEM, -1);
        } else {
            assert_string_equal(s, "15241578753238836750495351562566681945017680236526596555765142508787"
                                   "76253619990.25");
            assert_string_equal(buf, s);
        }
        fisc_string_free(s);
        fisc_decimal_free(h);
        fisc_decimal_clear(&a);
        fisc_decimal_clear(&r);
        n++;
    } while (rc != FISC_OK && n < 100);
    assert_int_equal(rc, FISC_OK);
    assert_true(n > 2);
}

static void heap_values_and_sizes(void **state)
{
    fisc_decimal *d = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_decimal_size(), sizeof(fisc_decimal));
    assert_int_equal(fisc_decimal_new(&d, &err), FISC_OK);
    assert_decimal_equal(d, "0");
    parse_ok(d, "1/7");
    fisc_decimal_free(d);
    fisc_decimal_free(NULL);
    fisc_decimal_clear(NULL);
    assert_int_equal(fisc_decimal_new(NULL, &err), FISC_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_round_trips),
        cmocka_unit_test(parse_rejects_with_position),
        cmocka_unit_test(parse_messages_name_the_problem),
        cmocka_unit_test(parse_n_needs_no_terminator),
        cmocka_unit_test(parse_fast_path_matches_general),
        cmocka_unit_test(arithmetic_is_exact),
        cmocka_unit_test(overflow_falls_back_to_gmp),
        cmocka_unit_test(results_are_bounded),
        cmocka_unit_test(division_by_zero_is_an_error),
        cmocka_unit_test(compare_sign_neg_abs),
        cmocka_unit_test(rounding_modes_on_ties),
        cmocka_unit_test(rounding_ties_on_the_gmp_path),
        cmocka_unit_test(rounding_to_units),
        cmocka_unit_test(fast_rounding_matches_division),
        cmocka_unit_test(small_rationals_match_gmp),
        cmocka_unit_test(small_rationals_stay_inline),
        cmocka_unit_test(round_unit_fast_path_matches_general),
        cmocka_unit_test(round_to_unit_matches_round_unit),
#if FISCP_SWAR_DIGITS
        cmocka_unit_test(swar_digits),
#endif
        cmocka_unit_test(inline_helpers_match),
        cmocka_unit_test(inline_compare_matches),
        cmocka_unit_test(clear_n_frees_rationals),
        cmocka_unit_test(division_round_trips),
        cmocka_unit_test(rounding_rejects_bad_arguments),
        cmocka_unit_test(rounding_reports_status),
        cmocka_unit_test(formatting),
        cmocka_unit_test(format_rejects_bad_options),
        cmocka_unit_test(format_into_buffers),
        cmocka_unit_test(format_fast_paths_match_general),
        cmocka_unit_test(format_matches_gmp_digits),
        cmocka_unit_test(fast_paths_match_general),
        cmocka_unit_test(fast_path_edges),
        cmocka_unit_test(round_to_unit_ties_and_limits),
        cmocka_unit_test(rd_limit_quotients_match_gmp),
        cmocka_unit_test(small_text_matches_printf),
        cmocka_unit_test(u64_digits_match_printf),
        cmocka_unit_test(u64_digits_every_length),
        cmocka_unit_test(write_small_values),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(heap_values_and_sizes),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
