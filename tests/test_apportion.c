/* Tests of apportionment: worked cases, rejections, and properties over many random cases. */
#include "fisc_test.h"

#include "fisc_private.h" /* white-box: the allocation hook */

#define NO_CAP NULL

typedef struct expect {
    const char *total;
    int mode, remainder;
    const char *unit;
    size_t n;
    const char *weight[8];
    const char *cap[8];
    const size_t *order;
    const char *part[8];
    const char *unallocated, *remainder_amount;
} expect;

static fisc_apportion *build(size_t n, const char *const *weight, const char *const *cap)
{
    fisc_apportion *ap = NULL;
    fisc_error err = FISC_ERROR_INIT;

    assert_int_equal(fisc_apportion_new(&ap, &err), FISC_OK);
    for (size_t i = 0; i < n; i++) {
        fisc_decimal w, c;

        fisc_decimal_init(&w);
        fisc_decimal_init(&c);
        parse_ok(&w, weight[i]);
        if (cap && cap[i])
            parse_ok(&c, cap[i]);
        assert_int_equal(fisc_apportion_add(ap, &w, cap && cap[i] ? &c : NULL, &err), FISC_OK);
        fisc_decimal_clear(&w);
        fisc_decimal_clear(&c);
    }
    return ap;
}

static void check(const expect *e)
{
    fisc_apportion *ap = build(e->n, e->weight, e->cap);
    fisc_apportion_options o = FISC_APPORTION_OPTIONS_INIT;
    fisc_decimal total, unit;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&total);
    fisc_decimal_init(&unit);
    parse_ok(&total, e->total);
    o.mode = e->mode;
    o.remainder = e->remainder;
    if (e->unit) {
        parse_ok(&unit, e->unit);
        o.unit = &unit;
    }
    if (e->order) {
        o.order = e->order;
        o.order_len = e->n;
    }
    if (fisc_apportion_run(ap, &total, &o, &err) != FISC_OK)
        fail_msg("run failed: %s", err.text);
    for (size_t i = 0; i < e->n; i++)
        assert_decimal_equal(fisc_apportion_part(ap, i, NULL), e->part[i]);
    assert_decimal_equal(fisc_apportion_unallocated(ap), e->unallocated ? e->unallocated : "0");
    assert_decimal_equal(fisc_apportion_remainder(ap), e->remainder_amount ? e->remainder_amount : "0");
    fisc_decimal_clear(&total);
    fisc_decimal_clear(&unit);
    fisc_apportion_free(ap);
}

static void worked_cases(void **state)
{
    static const size_t reverse[3] = { 2, 1, 0 };
    const expect cases[] = {
        /* thirds: the odd 分 goes to the first in tie order */
        { "100", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 3, { "1", "1", "1" }, { 0 }, NULL,
          { "33.34", "33.33", "33.33" }, NULL, NULL },
        { "100", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 3, { "1", "1", "1" }, { 0 }, reverse,
          { "33.33", "33.33", "33.34" }, NULL, NULL },
        /* largest remainder: 0.05 over six equal parts gives 0.01 to five of them */
        { "0.05", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 6, { "1", "1", "1", "1", "1", "1" },
          { 0 }, NULL, { "0.01", "0.01", "0.01", "0.01", "0.01", "0" }, NULL, NULL },
        { "0.05", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_FIRST, NULL, 6, { "1", "1", "1", "1", "1", "1" },
          { 0 }, NULL, { "0.05", "0", "0", "0", "0", "0" }, NULL, NULL },
        { "0.05", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_SEPARATE, NULL, 6, { "1", "1", "1", "1", "1", "1" },
          { 0 }, NULL, { "0", "0", "0", "0", "0", "0" }, NULL, "0.05" },
        /* largest fraction first, not first in order: 10 by 1:2:3 = 1.666.., 3.333.., 5 */
        { "10", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, "1", 3, { "1", "2", "3" }, { 0 }, NULL,
          { "2", "3", "5" }, NULL, NULL },
        /* a capped part's excess goes to the others by weight */
        { "1000", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 4, { "1", "1", "1", "1" },
          { "100", NO_CAP, NO_CAP, NO_CAP }, NULL, { "100", "300", "300", "300" }, NULL, NULL },
        /* capping cascades: 5 (cap), then 21.1 > 10 (cap), then the rest */
        { "100", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 3, { "1", "2", "7" },
          { "5", "10", NO_CAP }, NULL, { "5", "10", "85" }, NULL, NULL },
        /* caps cannot absorb the total */
        { "100", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 2, { "1", "3" }, { "30", "30" }, NULL,
          { "30", "30" }, "40", NULL },
        /* a cap below the unit is floored to it */
        { "1", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 2, { "1", "1" }, { "0.109", NO_CAP },
          NULL, { "0.1", "0.9" }, NULL, NULL },
        /* pro rata, within budget: everyone gets the request */
        { "1000", FISC_APPORTION_PRORATA, FISC_REMAINDER_LARGEST, NULL, 2, { "200", "300" }, { 0 }, NULL,
          { "200", "300" }, "500", NULL },
        /* pro rata, over budget: 同比例核减 */
        { "1000", FISC_APPORTION_PRORATA, FISC_REMAINDER_LARGEST, NULL, 2, { "600", "900" }, { 0 }, NULL,
          { "400", "600" }, NULL, NULL },
        { "500", FISC_APPORTION_PRORATA, FISC_REMAINDER_LARGEST, NULL, 3, { "333.33", "333.33", "333.34" },
          { 0 }, NULL, { "166.67", "166.66", "166.67" }, NULL, NULL },
        /* pro rata with a cap under the scaled request */
        { "1000", FISC_APPORTION_PRORATA, FISC_REMAINDER_LARGEST, NULL, 3, { "1000", "500", "500" },
          { "100", NO_CAP, NO_CAP }, NULL, { "100", "450", "450" }, NULL, NULL },
        /* nobody asks: the budget stays unallocated */
        { "1000", FISC_APPORTION_PRORATA, FISC_REMAINDER_LARGEST, NULL, 2, { "0", "0" }, { 0 }, NULL,
          { "0", "0" }, "1000", NULL },
        /* in 万元 units */
        { "50000", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, "10000", 3, { "1", "1", "1" }, { 0 }, NULL,
          { "20000", "20000", "10000" }, NULL, NULL },
        /* zero weights take nothing, even the remainder */
        { "0.03", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_FIRST, NULL, 3, { "0", "1", "1" }, { 0 }, NULL,
          { "0", "0.02", "0.01" }, NULL, NULL },
        { "0", FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, 2, { "0", "0" }, { 0 }, NULL,
          { "0", "0" }, NULL, NULL },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check(&cases[i]);
}

static void exact_shares_and_flags(void **state)
{
    static const char *const w[] = { "1", "1", "1" };
    static const char *const caps[] = { "10", NULL, NULL };
    fisc_apportion *ap = build(3, w, caps);
    fisc_decimal total;
    fisc_error err = FISC_ERROR_INIT;
    uint32_t flags = 0;

    (void)state;
    fisc_decimal_init(&total);
    parse_ok(&total, "100");
    assert_null(fisc_apportion_part(ap, 0, NULL)); /* not run yet */
    assert_int_equal(fisc_apportion_run(ap, &total, NULL, &err), FISC_OK);
    assert_decimal_equal(fisc_apportion_exact_share(ap, 0), "10");
    assert_decimal_equal(fisc_apportion_exact_share(ap, 1), "45");
    assert_non_null(fisc_apportion_part(ap, 0, &flags));
    assert_int_equal(flags, FISC_STATUS_CAPPED);
    assert_non_null(fisc_apportion_part(ap, 1, &flags));
    assert_int_equal(flags, 0);
    parse_ok(&total, "100.01");
    assert_int_equal(fisc_apportion_run(ap, &total, NULL, &err), FISC_OK);
    assert_decimal_equal(fisc_apportion_exact_share(ap, 1), "45.005");
    assert_non_null(fisc_apportion_part(ap, 1, &flags));
    assert_int_equal(flags, FISC_STATUS_INEXACT);
    assert_null(fisc_apportion_part(ap, 3, NULL));
    assert_int_equal(fisc_apportion_count(ap), 3);
    /* the FIRST rule: parts that got no extra unit still differ from their exact share (found by review) */
    {
        static const char *const w3[] = { "1", "1", "1" };
        fisc_apportion *ap3 = build(3, w3, NULL);
        fisc_apportion_options o3 = FISC_APPORTION_OPTIONS_INIT;
        fisc_decimal one;

        fisc_decimal_init(&one);
        parse_ok(&one, "1");
        o3.remainder = FISC_REMAINDER_FIRST;
        assert_int_equal(fisc_apportion_run(ap3, &one, &o3, &err), FISC_OK);
        for (size_t i = 0; i < 3; i++) {
            assert_non_null(fisc_apportion_part(ap3, i, &flags));
            assert_int_equal(flags, FISC_STATUS_INEXACT);
        }
        assert_decimal_equal(fisc_apportion_part(ap3, 0, NULL), "0.34");
        fisc_decimal_clear(&one);
        fisc_apportion_free(ap3);
    }
    /* pro rata within budget: every part gets its request, and none counts as capped */
    {
        fisc_apportion_options o = FISC_APPORTION_OPTIONS_INIT;

        o.mode = FISC_APPORTION_PRORATA;
        parse_ok(&total, "1000");
        assert_int_equal(fisc_apportion_run(ap, &total, &o, &err), FISC_OK);
        for (size_t i = 0; i < 3; i++) {
            assert_non_null(fisc_apportion_part(ap, i, &flags));
            assert_int_equal(flags, 0);
        }
        assert_decimal_equal(fisc_apportion_unallocated(ap), "997");
    }
    fisc_decimal_clear(&total);
    fisc_apportion_free(ap);
    fisc_apportion_free(NULL);
}

static void rejections(void **state)
{
    static const char *const w[] = { "1", "2" };
    static const char *const zero[] = { "0", "0" };
    fisc_apportion *ap = build(2, w, NULL), *empty = NULL, *zeros = build(2, zero, NULL);
    fisc_apportion_options o = FISC_APPORTION_OPTIONS_INIT;
    fisc_decimal d, total;
    fisc_error err = FISC_ERROR_INIT;
    size_t bad_order[2] = { 0, 0 };

    (void)state;
    fisc_decimal_init(&d);
    fisc_decimal_init(&total);
    parse_ok(&d, "-1");
    assert_fisc_error(&err, fisc_apportion_add(ap, &d, NULL, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "part 2"));
    parse_ok(&total, "1");
    assert_fisc_error(&err, fisc_apportion_add(ap, &total, &d, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "cap is negative"));
    assert_int_equal(fisc_apportion_count(ap), 2);

    parse_ok(&total, "100.005");
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, NULL, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "multiple of the unit"));
    assert_null(fisc_apportion_unallocated(ap));
    parse_ok(&total, "-100");
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, NULL, &err), FISC_EINVAL, -1);
    parse_ok(&total, "100");
    assert_fisc_error(&err, fisc_apportion_run(zeros, &total, NULL, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "weights are zero"));
    o.order = bad_order;
    o.order_len = 2;
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "permutation"));
    o.order_len = 1;
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    o.order = NULL;
    o.remainder = 3;
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    o.remainder = FISC_REMAINDER_LARGEST;
    o.mode = 2;
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    o.mode = FISC_APPORTION_WEIGHTS;
    o.unit = &d; /* -1 */
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    o.unit = NULL;
    o.version = 7;
    assert_fisc_error(&err, fisc_apportion_run(ap, &total, &o, &err), FISC_EINVAL, -1);
    assert_int_equal(fisc_apportion_new(&empty, &err), FISC_OK);
    assert_fisc_error(&err, fisc_apportion_run(empty, &total, NULL, &err), FISC_EINVAL, -1);
    assert_int_equal(fisc_apportion_options_init(&o, 1), FISC_OK);
    assert_int_equal(fisc_apportion_options_init(&o, 2), FISC_EINVAL);
    fisc_apportion_free(empty);
    fisc_apportion_free(zeros);
    fisc_apportion_free(ap);
    fisc_decimal_clear(&d);
    fisc_decimal_clear(&total);
}

/* ------------------------------------------------------------------ properties */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void random_amount(fisc_decimal *d, uint64_t max_cents)
{
    char buf[48];
    uint64_t c = next_rand() % (max_cents + 1);

    snprintf(buf, sizeof(buf), "%llu.%02llu", (unsigned long long)(c / 100), (unsigned long long)(c % 100));
    parse_ok(d, buf);
}

/*
 * An independent oracle for the exact shares: cap every part whose share exceeds its cap,
 * recompute, repeat until nothing changes (the textbook iteration, not the library's sort).
 */
static void oracle_shares(fisc_decimal *share, size_t n, const fisc_decimal *w, const fisc_decimal *ecap,
                          const int *bounded, const fisc_decimal *total)
{
    int capped[16] = { 0 }, changed = 1;
    fisc_decimal left, pool, t;

    fisc_decimal_init(&left);
    fisc_decimal_init(&pool);
    fisc_decimal_init(&t);
    while (changed) {
        changed = 0;
        assert_int_equal(fisc_decimal_set(&left, total, NULL), FISC_OK);
        fisc_decimal_set_int(&pool, 0);
        for (size_t i = 0; i < n; i++) {
            if (capped[i])
                assert_int_equal(fisc_decimal_sub(&left, &left, &ecap[i], NULL), FISC_OK);
            else
                assert_int_equal(fisc_decimal_add(&pool, &pool, &w[i], NULL), FISC_OK);
        }
        for (size_t i = 0; i < n; i++) {
            if (capped[i]) {
                assert_int_equal(fisc_decimal_set(&share[i], &ecap[i], NULL), FISC_OK);
                continue;
            }
            if (fisc_decimal_sign(&pool) == 0 || fisc_decimal_sign(&w[i]) == 0) {
                fisc_decimal_set_int(&share[i], 0);
                continue;
            }
            assert_int_equal(fisc_decimal_mul(&t, &left, &w[i], NULL), FISC_OK);
            assert_int_equal(fisc_decimal_div(&share[i], &t, &pool, NULL), FISC_OK);
            if (bounded[i] && fisc_decimal_cmp(&share[i], &ecap[i]) > 0)
                capped[i] = changed = 1;
        }
    }
    fisc_decimal_clear(&left);
    fisc_decimal_clear(&pool);
    fisc_decimal_clear(&t);
}

static void one_random_case(int mode, int rule, const char *unit_text)
{
    size_t n = 1 + next_rand() % 12;
    fisc_decimal w[16], cap[16], ecap[16], share[16], unit, total, sum, diff;
    int has_cap[16], bounded[16];
    fisc_apportion *ap = NULL;
    fisc_apportion_options o = FISC_APPORTION_OPTIONS_INIT;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&unit);
    fisc_decimal_init(&total);
    fisc_decimal_init(&sum);
    fisc_decimal_init(&diff);
    parse_ok(&unit, unit_text);
    assert_int_equal(fisc_apportion_new(&ap, &err), FISC_OK);
    for (size_t i = 0; i < n; i++) {
        fisc_decimal_init(&w[i]);
        fisc_decimal_init(&cap[i]);
        fisc_decimal_init(&ecap[i]);
        fisc_decimal_init(&share[i]);
        if (next_rand() % 8)
            random_amount(&w[i], 100000000);
        has_cap[i] = next_rand() % 3 == 0;
        if (has_cap[i])
            random_amount(&cap[i], 50000000);
        assert_int_equal(fisc_apportion_add(ap, &w[i], has_cap[i] ? &cap[i] : NULL, &err), FISC_OK);
        /* effective cap, for the checks */
        bounded[i] = has_cap[i] || mode == FISC_APPORTION_PRORATA;
        if (has_cap[i])
            assert_int_equal(fisc_decimal_round_unit(&ecap[i], NULL, &cap[i], &unit, FISC_ROUND_DOWN, NULL, NULL),
                             FISC_OK);
        if (mode == FISC_APPORTION_PRORATA) {
            fisc_decimal r;

            fisc_decimal_init(&r);
            assert_int_equal(fisc_decimal_round_unit(&r, NULL, &w[i], &unit, FISC_ROUND_DOWN, NULL, NULL), FISC_OK);
            if (!has_cap[i] || fisc_decimal_cmp(&r, &ecap[i]) < 0)
                assert_int_equal(fisc_decimal_set(&ecap[i], &r, NULL), FISC_OK);
            fisc_decimal_clear(&r);
        }
    }
    random_amount(&total, 200000000);
    assert_int_equal(fisc_decimal_round_unit(&total, NULL, &total, &unit, FISC_ROUND_DOWN, NULL, NULL), FISC_OK);
    o.mode = mode;
    o.remainder = rule;
    o.unit = &unit;
    {
        int rc = fisc_apportion_run(ap, &total, &o, &err);
        int any = 0;

        for (size_t i = 0; i < n; i++)
            any |= fisc_decimal_sign(&w[i]) > 0;
        if (!any && mode == FISC_APPORTION_WEIGHTS && fisc_decimal_sign(&total) > 0) {
            assert_int_equal(rc, FISC_EINVAL);
            goto done;
        }
        if (rc != FISC_OK)
            fail_msg("run failed: %s", err.text);
    }
    oracle_shares(share, n, w, ecap, bounded, &total);
    assert_int_equal(fisc_decimal_add(&sum, fisc_apportion_unallocated(ap), fisc_apportion_remainder(ap), NULL),
                     FISC_OK);
    for (size_t i = 0; i < n; i++) {
        const fisc_decimal *p = fisc_apportion_part(ap, i, NULL);
        uint32_t st = 0;
        fisc_decimal t;

        /* the exact shares agree with the oracle, and INEXACT says whether the part differs from it */
        assert_int_equal(fisc_decimal_cmp(fisc_apportion_exact_share(ap, i), &share[i]), 0);
        {
            uint32_t fl = 0;

            assert_non_null(fisc_apportion_part(ap, i, &fl));
            assert_int_equal((fl & FISC_STATUS_INEXACT) != 0, fisc_decimal_cmp(p, &share[i]) != 0);
        }
        /* every part is a non-negative multiple of the unit, within its cap */
        assert_true(fisc_decimal_sign(p) >= 0);
        fisc_decimal_init(&t);
        assert_int_equal(fisc_decimal_round_unit(&t, NULL, p, &unit, FISC_ROUND_DOWN, &st, NULL), FISC_OK);
        assert_false(st & FISC_STATUS_INEXACT);
        fisc_decimal_clear(&t);
        if (bounded[i])
            assert_true(fisc_decimal_cmp(p, &ecap[i]) <= 0);
        /* largest remainder: within one unit of the exact share */
        if (rule == FISC_REMAINDER_LARGEST) {
            assert_int_equal(fisc_decimal_sub(&diff, p, &share[i], NULL), FISC_OK);
            assert_int_equal(fisc_decimal_abs(&diff, &diff, NULL), FISC_OK);
            assert_true(fisc_decimal_cmp(&diff, &unit) < 0);
        }
        assert_int_equal(fisc_decimal_add(&sum, &sum, p, NULL), FISC_OK);
    }
    /* the parts, the remainder and the unallocated amount add up exactly to the total */
    assert_int_equal(fisc_decimal_cmp(&sum, &total), 0);
    /* something is unallocated only when every part that could take it is full */
    if (fisc_decimal_sign(fisc_apportion_unallocated(ap)) > 0)
        for (size_t i = 0; i < n; i++)
            if (fisc_decimal_sign(&w[i]) > 0)
                assert_true(bounded[i] && fisc_decimal_cmp(fisc_apportion_part(ap, i, NULL), &ecap[i]) == 0);
done:
    for (size_t i = 0; i < n; i++) {
        fisc_decimal_clear(&w[i]);
        fisc_decimal_clear(&cap[i]);
        fisc_decimal_clear(&ecap[i]);
        fisc_decimal_clear(&share[i]);
    }
    fisc_decimal_clear(&unit);
    fisc_decimal_clear(&total);
    fisc_decimal_clear(&sum);
    fisc_decimal_clear(&diff);
    fisc_apportion_free(ap);
}

static void properties_over_random_cases(void **state)
{
    static const char *const units[] = { "0.01", "0.05", "1", "100" };

    (void)state;
    for (int k = 0; k < 2000; k++)
        one_random_case(k % 2 ? FISC_APPORTION_PRORATA : FISC_APPORTION_WEIGHTS, (k / 2) % 3, units[(k / 6) % 4]);
}

/* Every allocation failure during add and run gives FISC_ENOMEM and leaks nothing. */
static void oom_sweep(void **state)
{
    static const char *const w[] = { "1", "1/3", "2" };
    int rc;
    long n = 0;

    (void)state;
    do {
        fisc_apportion *ap = NULL;
        fisc_decimal d, total;
        fisc_error err = FISC_ERROR_INIT;

        fisc_decimal_init(&d);
        fisc_decimal_init(&total);
        parse_ok(&total, "100");
        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_apportion_new(&ap, &err);
        for (size_t i = 0; i < 3 && rc == FISC_OK; i++) {
            rc = fisc_decimal_parse(&d, w[i], FISC_PARSE_RATE, &err);
            if (rc == FISC_OK)
                rc = fisc_apportion_add(ap, &d, i == 0 ? &total : NULL, &err);
        }
        if (rc == FISC_OK)
            rc = fisc_apportion_run(ap, &total, NULL, &err);
        fiscp_alloc_fail_at = -1;
        if (rc != FISC_OK)
            assert_fisc_error(&err, rc, FISC_ENOMEM, -1);
        else
            assert_decimal_equal(fisc_apportion_part(ap, 1, NULL), "10");
        fisc_apportion_free(ap);
        fisc_decimal_clear(&d);
        fisc_decimal_clear(&total);
        n++;
    } while (rc != FISC_OK && n < 500);
    assert_int_equal(rc, FISC_OK);
    assert_true(n > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_cases),
        cmocka_unit_test(exact_shares_and_flags),
        cmocka_unit_test(rejections),
        cmocka_unit_test(properties_over_random_cases),
        cmocka_unit_test(oom_sweep),
    };
    return cmocka_run_group_tests_name("apportion", tests, NULL, NULL);
}
