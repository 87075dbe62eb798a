/* Tests of the exact decimal core: parse, arithmetic, the GMP fallback, rounding, formatting. */
#include "fisc_test.h"

#include <gmp.h>

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
        assert_int_equal(r.kind_, 1);
        assert_int_equal(fisc_decimal_div(&r, &r, &a, &err), FISC_OK);
        assert_int_equal(r.kind_, 0);
        assert_decimal_equal(&r, nines38);
        assert_int_equal(fisc_decimal_cmp(&r, &a), 0);
        parse_ok(&b, "1/3");
        assert_int_equal(b.kind_, 1);
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

/*
 * Mixed decimal and rational arithmetic and comparison on 64-bit numerators and denominators
 * (before GMP) against GMP itself: the value, and the form (decimal when it terminates, else the
 * reduced fraction).
 */
static void small_rationals_match_gmp(void **state)
{
    static const binop OPS[4] = { fisc_decimal_add, fisc_decimal_sub, fisc_decimal_mul, fisc_decimal_div };
    static const int64_t DIVISORS[] = { 1, 3, 7, 9, 12, 90, 97, 1000003, 4294967311 };
    uint64_t x = 0x243F6A8885A308D3u;

    (void)state;
    for (int n = 0; n < 60000; n++) {
        fisc_decimal v[2], r, want_d;
        mpq_t q[2], want, got;
        char *want_text = NULL, *got_text = NULL;
        int op;

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
        }
        {
            int c = mpq_cmp(q[0], q[1]);

            if (fisc_decimal_cmp(&v[0], &v[1]) != (c > 0) - (c < 0))
                fail_msg("case %d: the comparison differs from GMP's", n);
        }
        op = (int)(x >> 60) % 4;
        if (op == 3 && mpq_sgn(q[1]) == 0)
            op = 2;
        if (op == 0)
            mpq_add(want, q[0], q[1]);
        else if (op == 1)
            mpq_sub(want, q[0], q[1]);
        else if (op == 2)
            mpq_mul(want, q[0], q[1]);
        else
            mpq_div(want, q[0], q[1]);
        fisc_decimal_init(&r);
        fisc_decimal_init(&want_d);
        assert_int_equal(OPS[op](&r, &v[0], &v[1], NULL), FISC_OK);
        to_mpq(got, &r);
        if (!mpq_equal(got, want))
            fail_msg("case %d, op %d: the value differs from GMP's", n, op);
        /* the same form as a value built from GMP's canonical fraction */
        want_text = mpq_get_str(NULL, 10, want);
        assert_int_equal(fisc_decimal_parse(&want_d, want_text, FISC_PARSE_RATE, NULL), FISC_OK);
        assert_int_equal(fisc_decimal_to_string(&got_text, &r, NULL, NULL, NULL), FISC_OK);
        {
            char *expect_text = NULL;

            assert_int_equal(fisc_decimal_to_string(&expect_text, &want_d, NULL, NULL, NULL), FISC_OK);
            if (strcmp(got_text, expect_text) != 0)
                fail_msg("case %d, op %d: %s, GMP gives %s", n, op, got_text, expect_text);
            fisc_string_free(expect_text);
        }
        fisc_string_free(got_text);
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
        char *s = NULL;

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
        fiscp_alloc_fail_at = -1;
        if (rc != FISC_OK)
            assert_fisc_error(&err, rc, FISC_ENOMEM, -1);
        else
            assert_string_equal(s, "15241578753238836750495351562566681945017680236526596555765142508787"
                                   "76253619990.25");
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
        cmocka_unit_test(division_round_trips),
        cmocka_unit_test(rounding_rejects_bad_arguments),
        cmocka_unit_test(rounding_reports_status),
        cmocka_unit_test(formatting),
        cmocka_unit_test(format_rejects_bad_options),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(heap_values_and_sizes),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
