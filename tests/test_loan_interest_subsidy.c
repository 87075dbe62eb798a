/*
 * Golden tests of gx.loan_interest_subsidy on the bundled policy: policy-params.md §9 WE-17 (100万,
 * 2.5pp, 180 days: 12,500.00元 split 5,000.00 / 7,500.00 with D = 360; 12,328.77元 with D = 365,
 * an overlay, where WE-17's 12,329 is the same number rounded to the 元), the annual and lifetime
 * caps (binding, exactly at the cap, one 分 beyond, used up), the rate ceiling (exactly at it and
 * above), the scheme's first year (2022/2023 by year and quarter), missing facts, the provisional
 * flag of the unconfirmed day-count basis, and an allocation-failure sweep.
 */
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle;
static const char *dir;

#define PROGRAM "gx.loan_interest_subsidy"

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    return 0;
}

/* The facts of one loan (rates as fractions). */
static void facts_json(char *buf, size_t size, const char *principal, const char *days, const char *rate,
                       const char *reference, const char *year, const char *total)
{
    snprintf(buf, size,
             "{\"individual_business\": true, \"loan_subsidy_scheme\": \"guihuidai_individual\", \"loan_principal\": "
             "\"%s\", \"loan_days_used\": "
             "\"%s\", \"loan_actual_rate\": \"%s\", \"loan_reference_rate\": \"%s\", "
             "\"loan_subsidy_received_year\": \"%s\", \"loan_subsidy_received_total\": \"%s\"}",
             principal, days, rate, reference, year, total);
}

/* An eligible evaluation on p, traced and not: subsidy, region and city shares to the 分. */
static void check_on(const fisc_policy *p, const char *principal, const char *days, const char *year_received,
                     const char *total_received, const char *subsidy, const char *region, const char *city)
{
    char json[512];

    facts_json(json, sizeof(json), principal, days, "0.03", "0.06", year_received, total_received);
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, 2024, 0, trace);
        const fisc_item *it = fisc_test_item(r, PROGRAM);

        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s: outcome %d (%s)", json, it->outcome, it->summary_en);
        assert_item_amount(it, "subsidy", subsidy);
        assert_item_amount(it, "region_share", region);
        assert_item_amount(it, "city_share", city);
        assert_int_equal(it->amounts[0].category, FISC_CATEGORY_SUBSIDY);
        assert_int_equal(it->amounts[1].category, -1);
        assert_int_equal(it->amounts[2].category, -1);
        assert_true(it->provisional); /* the day-count basis is unconfirmed */
        fisc_result_free(r);
    }
}

#define check(...) check_on(bundle, __VA_ARGS__)

/* WE-17 with D = 360: 1000000 × 2.5% × 180 / 360 = 12500; 40% / 60%. */
static void we17_basis_360(void **state)
{
    char json[512];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("1000000", "180", "0", "0", "12500.00", "5000.00", "7500.00");
    facts_json(json, sizeof(json), "1000000", "180", "0.03", "0.06", "0", "0");
    r = fisc_test_evaluate(bundle, json, 2024, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_string_equal(fisc_test_step(it, "subsidy.days")->substituted, "1000000 × 2.5% × 180 / 360");
    assert_string_equal(fisc_test_step(it, "subsidy.days")->result, "12500");
    assert_int_equal(fisc_test_param(it, "gx.guihuidai.individual.day_basis")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_int_equal(fisc_test_param(it, "gx.guihuidai.individual.subsidy_pp")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(fisc_test_param(it, "gx.guihuidai.individual.region_share")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(fisc_test_condition(it, "loan.rate_ceiling")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_condition(it, "loan.scheme")->state, FISC_COND_MET);
    fisc_result_free(r);
}

/* WE-17 with D = 365 (an overlay): 4500000 / 365 = 12328.767… → 12328.77 to the 分 (WE-17: 12,329 to
 * the 元); region round(12328.77 × 40%) = round(4931.508) = 4931.51, city 12328.77 − 4931.51 = 7397.26. */
static void we17_basis_365(void **state)
{
    static const char overlay[] =
        "fisc_policy: 1\nid: scenario.basis365\ntitle: {zh: 按365天计息, en: Day-count basis 365}\noverlay: true\n"
        "parameters:\n  - id: gx.guihuidai.individual.day_basis\n    values:\n"
        "      - {from: 2023-01-01, value: 365, status: unconfirmed, citation: {document: 假设方案}}\n";
    char path[64];
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    FILE *f;

    (void)state;
    snprintf(path, sizeof(path), "overlay-loan-%d.yaml", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(overlay, f);
    fclose(f);
    setenv("FISC_POLICY_DIR", dir, 1);
    assert_int_equal(fisc_policy_load_default(&p, path, &err), FISC_OK);
    remove(path);
    check_on(p, "1000000", "180", "0", "0", "12328.77", "4931.51", "7397.26");
    fisc_policy_free(p);
}

/* The annual cap 25万: room 250000 − received this year. */
static void annual_cap(void **state)
{
    (void)state;
    check("1000000", "180", "200000", "200000", "12500.00", "5000.00", "7500.00");  /* not binding */
    check("1000000", "180", "237500", "237500", "12500.00", "5000.00", "7500.00");  /* exactly at the cap */
    check("1000000", "180", "237500.01", "237500.01", "12499.99", "5000.00", "7499.99"); /* one 分 beyond */
    check("1000000", "180", "240000", "240000", "10000.00", "4000.00", "6000.00");  /* binding */
    check("1000000", "180", "250000", "250000", "0.00", "0.00", "0.00");            /* used up */
    check("1000000", "180", "260000", "260000", "0.00", "0.00", "0.00");            /* beyond: never below 0 */
    /* the cap reached by one loan alone: 20,000,000 × 2.5% × 180 / 360 = 250,000 exactly; 1分 more is capped */
    check("20000000", "180", "0", "0", "250000.00", "100000.00", "150000.00");
    check("20000000.01", "180", "0", "0", "250000.00", "100000.00", "150000.00");
    check("30000000", "360", "0", "0", "250000.00", "100000.00", "150000.00");
}

/* The lifetime cap 75万: room 750000 − received in total. */
static void lifetime_cap(void **state)
{
    (void)state;
    check("1000000", "180", "0", "700000", "12500.00", "5000.00", "7500.00");
    check("1000000", "180", "0", "737500", "12500.00", "5000.00", "7500.00");
    check("1000000", "180", "0", "737500.01", "12499.99", "5000.00", "7499.99");
    check("1000000", "180", "0", "745000", "5000.00", "2000.00", "3000.00");
    check("1000000", "180", "0", "750000", "0.00", "0.00", "0.00");
    /* both caps: the smaller room binds */
    check("1000000", "180", "245000", "747000", "3000.00", "1200.00", "1800.00");
    check("1000000", "180", "247000", "745000", "3000.00", "1200.00", "1800.00");
}

/* Rounding once to the 分: 12345.67 × 2.5% × 7 / 360 = 6.0013680…; 33,333.33 × 2.5% × 100 / 360 =
 * 231.48145… (region 92.592 → 92.59); 144 × 2.5% × 1 / 360 = 0.01 (region 0.004 → 0.00, city 0.01). */
static void rounding(void **state)
{
    (void)state;
    check("12345.67", "7", "0", "0", "6.00", "2.40", "3.60");
    check("144", "1", "0", "0", "0.01", "0.00", "0.01");
    check("33333.33", "100", "0", "0", "231.48", "92.59", "138.89");
    check("1000000", "0", "0", "0", "0.00", "0.00", "0.00");
}

/* The rate ceiling: actual rate ≤ reference rate − 2.5pp. */
static void rate_ceiling(void **state)
{
    char json[512];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    facts_json(json, sizeof(json), "1000000", "180", "0.035", "0.06", "0", "0"); /* exactly at the ceiling */
    r = fisc_test_evaluate(bundle, json, 2024, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "subsidy", "12500.00");
    fisc_result_free(r);
    facts_json(json, sizeof(json), "1000000", "180", "0.0350001", "0.06", "0", "0"); /* above */
    r = fisc_test_evaluate(bundle, json, 2024, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(fisc_test_condition(it, "loan.rate_ceiling")->state, FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "loan.rate_ceiling")->detail, "3.50001% ≤ 6% − 2.5%");
    fisc_result_free(r);
}

/* The scheme starts in 2023: 2022 (year and Q4) not eligible, no facts asked; 2023 (Q1 and year) eligible. */
static void first_year(void **state)
{
    char json[512];
    static const int periods[][3] = { { 2022, 0, 0 }, { 2022, 4, 0 }, { 2023, 1, 1 }, { 2023, 0, 1 } };

    (void)state;
    facts_json(json, sizeof(json), "1000000", "180", "0.03", "0.06", "0", "0");
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(periods); i++) {
        fisc_result *r = fisc_test_evaluate(bundle, json, periods[i][0], periods[i][1], 1);
        const fisc_item *it = fisc_test_item(r, PROGRAM);

        if (periods[i][2]) {
            assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
            assert_item_amount(it, "subsidy", "12500.00");
        } else {
            assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
            assert_int_equal(it->amount_count, 0);
            assert_int_equal(it->param_count, 0);
            assert_int_equal(it->missing_count, 0);
            assert_int_equal(fisc_test_condition(it, "guihuidai.in_force")->state, FISC_COND_NOT_MET);
        }
        fisc_result_free(r);
    }
    /* nothing asked of an enterprise with no loan facts outside the scheme's years */
    {
        fisc_result *r = fisc_test_evaluate(bundle, "{}", 2022, 0, 0);

        assert_int_equal(fisc_test_item(r, PROGRAM)->missing_count, 0);
        fisc_result_free(r);
    }
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle, "{\"loan_principal\": 1000000, \"loan_days_used\": 180}", 2024, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 6);
    assert_true(fisc_test_is_missing(it, "individual_business"));
    assert_true(fisc_test_is_missing(it, "loan_subsidy_scheme"));
    assert_true(fisc_test_is_missing(it, "loan_actual_rate"));
    assert_true(fisc_test_is_missing(it, "loan_reference_rate"));
    assert_true(fisc_test_is_missing(it, "loan_subsidy_received_year"));
    assert_true(fisc_test_is_missing(it, "loan_subsidy_received_total"));
    assert_false(fisc_test_is_missing(it, "loan_principal"));
    assert_int_equal(fisc_test_condition(it, "loan.scheme")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
}

/* The scheme lends to individual businesses only: a company's loan is not eligible, and says why. */
static void a_company_is_not_eligible(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle,
                           "{\"individual_business\": false, \"loan_subsidy_scheme\": \"guihuidai_individual\", "
                           "\"loan_principal\": \"1000000\", \"loan_days_used\": \"180\"}",
                           2024, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(fisc_test_condition(it, "borrower.individual_business")->state, FISC_COND_NOT_MET);
    assert_null(fisc_test_amount(it, "subsidy"));
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    char json[512];
    fisc_result *r;

    (void)state;
    facts_json(json, sizeof(json), "1000000", "180", "0.03", "0.06", "0", "0");
    r = fisc_test_oom_sweep(bundle, json, 2024, 0, 1);
    assert_int_equal(fisc_result_find(r, PROGRAM)->outcome, FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we17_basis_360), cmocka_unit_test(we17_basis_365), cmocka_unit_test(annual_cap),
        cmocka_unit_test(lifetime_cap),   cmocka_unit_test(rounding),       cmocka_unit_test(rate_ceiling),
        cmocka_unit_test(first_year),     cmocka_unit_test(missing_facts),  cmocka_unit_test(oom_sweep),
        cmocka_unit_test(a_company_is_not_eligible),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("loan_interest_subsidy", tests, group_setup, group_teardown);
}
