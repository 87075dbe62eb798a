/*
 * Golden tests of cn.vat_small_scale on the bundled policy: policy-params.md §9 WE-13 (50.5万 of
 * quarterly sales at 1% → 0.5万; within 30万 → 0), the thresholds (exactly 30万 / 45万 a quarter,
 * 10万 / 15万 a month, and one 分 above), each date boundary (2020-02-29 / 03-01, 2021-03-31 / 04-01,
 * 2022-03-31 / 04-01, 2022-12-31 / 2023-01-01, 2027-12-31 / 2028-01-01, and 2019-01-01), the
 * 2020 Q1 quarter with two rates, real estate left out of the test, monthly filers evaluated by
 * quarter and by year, missing and inconsistent facts, and results that are not provisional (every
 * VAT parameter is confirmed).
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 12-national-vat.yaml alone */
static const char *dir;

#define PROGRAM "cn.vat_small_scale"
#define QUARTERLY "\"vat_small_scale_taxpayer\": true, \"vat_filing_period\": \"quarterly\""
#define MONTHLY "\"vat_small_scale_taxpayer\": true, \"vat_filing_period\": \"monthly\""

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "12-national-vat.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    return 0;
}

/* The bundled policy, with the explanation; the program's item. */
#define evaluate(json, year, quarter) fisc_test_evaluate(bundle, (json), (year), (quarter), 1)
#define item_of(r) fisc_test_item((r), PROGRAM)

/* The item's outcome, choice, VAT, relief and statutory VAT (NULL: not checked), never provisional. */
static void check(const char *json, int year, int quarter, int outcome, const char *choice, const char *vat,
                  const char *relief, const char *statutory)
{
    fisc_result *r = evaluate(json, year, quarter);
    const fisc_item *it = item_of(r);

    if (it->outcome != outcome)
        fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome,
                 it->summary_en);
    assert_string_equal(it->choice, choice);
    assert_non_null(fisc_test_amount(it, "vat"));
    assert_decimal_places(fisc_test_amount(it, "vat"), 2, vat);
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, relief);
    if (statutory)
        assert_decimal_places(fisc_test_amount(it, "vat_statutory"), 2, statutory);
    assert_int_equal(it->amounts[0].category, FISC_CATEGORY_TAX_PAYABLE);
    assert_int_equal(it->amounts[1].category, FISC_CATEGORY_TAX_RELIEF);
    assert_false(it->provisional);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/* WE-13: 50.5万 including tax at 1% is 50万 of sales, VAT 0.5万; within 30万 nothing is due. */
static void we13_one_percent(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    for (int year = 2023; year <= 2027; year++)
        for (int q = 1; q <= 4; q++)
            check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", year, q, FISC_OUTCOME_ELIGIBLE,
                  "reduced_rate", "5000.00", "10000.00", "15000.00");
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2023, 3);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "sales_3pct"), 2, "500000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "5000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "10000.00");
    assert_string_equal(it->steps[0].id, "sales_3pct");
    assert_string_equal(it->steps[0].substituted, "505000 ÷ (1 + 1%)");
    assert_string_equal(it->steps[0].result, "500000");
    assert_string_equal(fisc_test_condition(it, "vat.threshold")->detail, "500000 > 300000 (real estate 0 excluded)");
    assert_int_equal(fisc_test_condition(it, "vat.rate_3pct")->state, FISC_COND_MET);
    fisc_result_free(r);
    /* within 30万: exempt; the relief is the 3% the same sales would bear */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 300000}", 2023, 1, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "8910.89", "8910.89"); /* 300000 / 1.01 × 3% */
}

/* Exactly at each threshold, and one 分 of sales above it. */
static void thresholds(void **state)
{
    (void)state;
    /* 30万 a quarter (2023-2027): 30.3万 including 1% is 30万 exactly */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 303000}", 2024, 2, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "9000.00", "9000.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": \"303000.0101\"}", 2024, 2, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "3000.00", "6000.00", "9000.00"); /* 300000.01 × 1% */
    /* 45万 a quarter (2021-04-01 to 2022-03-31 at 1%) */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 454500}", 2021, 3, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "13500.00", "13500.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": \"454500.0101\"}", 2021, 3, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "4500.00", "9000.00", "13500.00");
    /* 10万 and 15万 a month */
    check("{" MONTHLY ", \"vat_month\": 5, \"vat_sales_3pct_incl_tax\": 101000}", 2023, 2, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "3000.00", "3000.00");
    check("{" MONTHLY ", \"vat_month\": 5, \"vat_sales_3pct_incl_tax\": \"101000.0101\"}", 2023, 2,
          FISC_OUTCOME_ELIGIBLE, "reduced_rate", "1000.00", "2000.00", "3000.00");
    check("{" MONTHLY ", \"vat_month\": 11, \"vat_sales_3pct_incl_tax\": 151500}", 2021, 4, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "4500.00", "4500.00");
    check("{" MONTHLY ", \"vat_month\": 11, \"vat_sales_3pct_incl_tax\": \"151500.0101\"}", 2021, 4,
          FISC_OUTCOME_ELIGIBLE, "reduced_rate", "1500.00", "3000.00", "4500.00");
    /* sales at other levy rates count too: exactly 30万 exempt, one 分 above taxed (no 3% sales: no relief) */
    check("{" QUARTERLY ", \"vat_sales_other_rates\": 300000, \"vat_tax_other_rates\": 15000}", 2023, 1,
          FISC_OUTCOME_ELIGIBLE, "threshold_exemption", "0.00", "15000.00", "15000.00");
    check("{" QUARTERLY ", \"vat_sales_other_rates\": \"300000.01\", \"vat_tax_other_rates\": \"15000.00\"}", 2023, 1,
          FISC_OUTCOME_NOT_ELIGIBLE, "statutory", "15000.00", "0.00", "15000.00");
    /* both kinds together: 20万 + 10万 = 30万 exempt; 20万 + 10.0001万 taxed, the 3% part at 1% */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 202000, \"vat_sales_other_rates\": 100000, "
          "\"vat_tax_other_rates\": 5000}",
          2023, 1, FISC_OUTCOME_ELIGIBLE, "threshold_exemption", "0.00", "11000.00", "11000.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 202000, \"vat_sales_other_rates\": \"100000.01\", "
          "\"vat_tax_other_rates\": \"5000.00\"}",
          2023, 1, FISC_OUTCOME_ELIGIBLE, "reduced_rate", "7000.00", "4000.00", "11000.00");
}

/* 2020-02-29 / 2020-03-01: 3% → 1%; the quarterly filer's 2020 Q1 has both. */
static void boundary_2020_march(void **state)
{
    fisc_result *r;
    const fisc_item *it;
    int rate_values = 0;

    (void)state;
    /* February: no relief (200000 / 1.03 = 194174.757..., × 3% = 5825.24) */
    check("{" MONTHLY ", \"vat_month\": 2, \"vat_sales_3pct_incl_tax\": 200000}", 2020, 1, FISC_OUTCOME_NOT_ELIGIBLE,
          "statutory", "5825.24", "0.00", "5825.24");
    /* March: 200000 / 1.01 = 198019.80..., × 1% = 1980.20; × 3% = 5940.59 */
    check("{" MONTHLY ", \"vat_month\": 3, \"vat_sales_3pct_incl_tax\": 200000}", 2020, 1, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "1980.20", "3960.39", "5940.59");
    /* the quarter: 40万 in January-February at 3%, 20万 in March at 1% */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 600000, \"vat_sales_3pct_incl_tax_before_change\": 400000}",
          2020, 1, FISC_OUTCOME_ELIGIBLE, "reduced_rate", "13630.68", "3960.40", "17591.08");
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 600000, \"vat_sales_3pct_incl_tax_before_change\": "
                 "400000}",
                 2020, 1);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "sales_3pct"), 2, "586369.32");
    assert_string_equal(fisc_test_condition(it, "vat.rate_3pct")->detail,
                        "3% before the change, then 1% (levy rate 3%)");
    for (size_t k = 0; k < it->param_count; k++)
        if (strcmp(it->params[k].id, "vat.small_scale.rate_3pct_sales") == 0)
            rate_values++;
    assert_int_equal(rate_values, 2); /* both values used, each with its citation */
    fisc_result_free(r);
    /* without the split the quarter is undetermined */
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 600000}", 2020, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "vat_sales_3pct_incl_tax_before_change");
    fisc_result_free(r);
    /* the next quarter has one rate: the split is not asked for */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2020, 2, FISC_OUTCOME_ELIGIBLE, "reduced_rate",
          "5000.00", "10000.00", "15000.00");
    /* 2019 Q4, before any rate relief: 3% */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 515000}", 2019, 4, FISC_OUTCOME_NOT_ELIGIBLE, "statutory",
          "15000.00", "0.00", "15000.00");
}

/* 2021-03-31 / 2021-04-01: 10万 → 15万 a month, 30万 → 45万 a quarter. */
static void boundary_2021_april(void **state)
{
    (void)state;
    check("{" MONTHLY ", \"vat_month\": 3, \"vat_sales_3pct_incl_tax\": 121200}", 2021, 1, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "1200.00", "2400.00", "3600.00");
    check("{" MONTHLY ", \"vat_month\": 4, \"vat_sales_3pct_incl_tax\": 121200}", 2021, 2, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "3600.00", "3600.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 404000}", 2021, 1, FISC_OUTCOME_ELIGIBLE, "reduced_rate",
          "4000.00", "8000.00", "12000.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 404000}", 2021, 2, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "12000.00", "12000.00");
}

/* 2022-03-31 / 2022-04-01: 1% → exempt for sales at 3%. */
static void boundary_2022_april(void **state)
{
    fisc_result *r;

    (void)state;
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2022, 1, FISC_OUTCOME_ELIGIBLE, "reduced_rate",
          "5000.00", "10000.00", "15000.00");
    /* exempt sales carry no tax: 销售额 = 505000 (> 45万, but the 3% sales are exempt anyway) */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2022, 2, FISC_OUTCOME_ELIGIBLE,
          "3pct_sales_exemption", "0.00", "15150.00", "15150.00");
    /* the exemption is for 3% sales only: above 45万, sales at 5% are taxed */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 400000, \"vat_sales_other_rates\": 100000, "
          "\"vat_tax_other_rates\": 5000}",
          2022, 3, FISC_OUTCOME_ELIGIBLE, "3pct_sales_exemption", "5000.00", "12000.00", "17000.00");
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2022, 2);
    assert_decimal_places(fisc_test_amount(item_of(r), "sales_3pct"), 2, "505000.00");
    assert_int_equal(fisc_test_condition(item_of(r), "vat.threshold")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
}

/* 2022-12-31 / 2023-01-01: exempt and 45万 → 1% and 30万. */
static void boundary_2023_january(void **state)
{
    (void)state;
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 404000}", 2022, 4, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "12120.00", "12120.00");
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 404000}", 2023, 1, FISC_OUTCOME_ELIGIBLE, "reduced_rate",
          "4000.00", "8000.00", "12000.00");
    check("{" MONTHLY ", \"vat_month\": 12, \"vat_sales_3pct_incl_tax\": 121200}", 2022, 4, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "3636.00", "3636.00");
    check("{" MONTHLY ", \"vat_month\": 1, \"vat_sales_3pct_incl_tax\": 121200}", 2023, 1, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "1200.00", "2400.00", "3600.00");
}

/* 2027-12-31 is the last day; 2028 has no rule; 2019-01-01 is the first day. */
static void boundary_end_and_start(void **state)
{
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const char *facts = "{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}";

    (void)state;
    check(facts, 2027, 4, FISC_OUTCOME_ELIGIBLE, "reduced_rate", "5000.00", "10000.00", "15000.00");
    check("{" MONTHLY ", \"vat_month\": 12, \"vat_sales_3pct_incl_tax\": 101000}", 2027, 4, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "3000.00", "3000.00");
    assert_int_equal(fisc_test_try_evaluate(&r, own, facts, 2028, 1, 1, &err), FISC_ENOTFOUND);
    assert_null(r);
    assert_non_null(strstr(err.text, "2028-03-31"));
    assert_non_null(strstr(err.text, "vat.small_scale."));
    assert_int_equal(fisc_test_try_evaluate(&r, bundle, facts, 2028, 1, 1, &err), FISC_ENOTFOUND);
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 309000}", 2019, 1, FISC_OUTCOME_ELIGIBLE,
          "threshold_exemption", "0.00", "9000.00", "9000.00"); /* 309000 / 1.03 = 30万 */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": \"309000.0103\"}", 2019, 1, FISC_OUTCOME_NOT_ELIGIBLE,
          "statutory", "9000.00", "0.00", "9000.00");
    assert_int_equal(fisc_test_try_evaluate(&r, own, facts, 2018, 4, 1, &err), FISC_ENOTFOUND);
    assert_non_null(strstr(err.text, "2018-12-31"));
}

/* Sales of real estate are left out of the test and never exempted. */
static void real_estate(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 20万 of other sales + 50万 of real estate: exempt, the real estate's VAT still due */
    check("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 202000, \"vat_sales_real_estate\": 500000, "
          "\"vat_tax_real_estate\": 25000}",
          2023, 2, FISC_OUTCOME_ELIGIBLE, "threshold_exemption", "25000.00", "6000.00", "31000.00");
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 202000, \"vat_sales_real_estate\": 500000, "
                 "\"vat_tax_real_estate\": 25000}",
                 2023, 2);
    it = item_of(r);
    assert_string_equal(fisc_test_condition(it, "vat.threshold")->detail,
                        "200000 ≤ 300000 (real estate 500000 excluded)");
    assert_decimal_places(fisc_test_amount(it, "sales_tested"), 2, "200000.00");
    fisc_result_free(r);
    /* its VAT is needed */
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 202000, \"vat_sales_real_estate\": 500000}", 2023, 2);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "vat_tax_real_estate");
    assert_null(fisc_test_amount(it, "vat"));
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), "0");
    fisc_result_free(r);
}

/* A monthly filer: the month's own rules, by quarter or by year. */
static void monthly_filers(void **state)
{
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    /* February 2021 evaluated as the year: the 10万 of February applies, not the 15万 of December */
    check("{" MONTHLY ", \"vat_month\": 2, \"vat_sales_3pct_incl_tax\": 121200}", 2021, 0, FISC_OUTCOME_ELIGIBLE,
          "reduced_rate", "1200.00", "2400.00", "3600.00");
    check("{" MONTHLY ", \"vat_month\": 2, \"vat_sales_3pct_incl_tax\": 200000}", 2020, 0, FISC_OUTCOME_NOT_ELIGIBLE,
          "statutory", "5825.24", "0.00", "5825.24");
    /* a month outside the quarter evaluated is an error */
    assert_int_equal(fisc_test_try_evaluate(&r, bundle,
                                            "{" MONTHLY ", \"vat_month\": 5, \"vat_sales_3pct_incl_tax\": 1}", 2023, 1,
                                            0, &err),
                     FISC_EINVAL);
    assert_non_null(strstr(err.text, "vat_month 5 is not in quarter 1"));
    assert_null(r);
}

static void missing_and_not_small_scale(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{}", 2023, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 3);
    assert_string_equal(it->missing[0], "vat_small_scale_taxpayer");
    assert_string_equal(it->missing[1], "vat_filing_period");
    assert_string_equal(it->missing[2], "vat_sales_3pct_incl_tax");
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
    r = evaluate("{\"vat_small_scale_taxpayer\": true, \"vat_filing_period\": \"monthly\", "
                 "\"vat_sales_3pct_incl_tax\": 1000}",
                 2023, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "vat_month");
    fisc_result_free(r);
    /* sales at other rates need their tax */
    r = evaluate("{" QUARTERLY ", \"vat_sales_other_rates\": 1000}", 2023, 1);
    assert_string_equal(item_of(r)->missing[0], "vat_tax_other_rates");
    fisc_result_free(r);
    /* a general taxpayer: not this program's business, no other fact asked for */
    r = evaluate("{\"vat_small_scale_taxpayer\": false}", 2023, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(fisc_test_condition(it, "vat.small_scale")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    /* a quarterly filer evaluated for a whole year */
    r = evaluate("{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 505000}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(fisc_test_condition(it, "vat.filing_period")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
    /* the part before the change cannot exceed the whole */
    {
        fisc_error err = FISC_ERROR_INIT;

        r = NULL;
        assert_int_equal(fisc_test_try_evaluate(&r, bundle,
                                                "{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 100, "
                                                "\"vat_sales_3pct_incl_tax_before_change\": 101}",
                                                2020, 1, 0, &err),
                         FISC_EINVAL);
        assert_null(r);
    }
}

/* Without the explanation the amounts are the same. */
static void untraced_same_amounts(void **state)
{
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_item *it;

    (void)state;
    assert_int_equal(fisc_test_try_evaluate(&r, bundle,
                                            "{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 600000, "
                                            "\"vat_sales_3pct_incl_tax_before_change\": 400000}",
                                            2020, 1, 0, &err),
                     FISC_OK);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "vat"), 2, "13630.68");
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "3960.40");
    assert_int_equal(it->step_count, 0);
    assert_string_equal(it->summary_en, "");
    fisc_result_free(r);
}

/* Every allocation of an evaluation (with the explanation), its JSON and text fails once: FISC_ENOMEM, no leak. */
static void oom_sweep(void **state)
{
    static const char json[] = "{" QUARTERLY ", \"vat_sales_3pct_incl_tax\": 600000, \"vat_sales_3pct_incl_tax_before_change\": 400000}";

    (void)state;
    fisc_result_free(fisc_test_oom_sweep(bundle, json, 2020, 1, 1));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we13_one_percent),      cmocka_unit_test(thresholds),
        cmocka_unit_test(boundary_2020_march),   cmocka_unit_test(boundary_2021_april),
        cmocka_unit_test(boundary_2022_april),   cmocka_unit_test(boundary_2023_january),
        cmocka_unit_test(boundary_end_and_start), cmocka_unit_test(real_estate),
        cmocka_unit_test(monthly_filers),        cmocka_unit_test(missing_and_not_small_scale),
        cmocka_unit_test(untraced_same_amounts), cmocka_unit_test(oom_sweep),
    };

    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("vat_small_scale", tests, group_setup, group_teardown);
}
