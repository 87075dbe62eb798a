/*
 * Golden tests of cn.cit beyond tests/test_evaluate.c: the taxable income derived from its components
 * (the R&D extra deduction, the losses of earlier years made up oldest first, with the 5 / 10-year
 * limits of 企业所得税法 第十八条 and 财税〔2018〕76号), deemed profit (核定征收), the 西部大开发 rate and
 * the choice among all the rate routes. Worked examples from shared/reference/policy-params.md §9:
 * WE-12 (loss carry-forward of an HNTE), WE-9 and WE-10 through the derived income. Boundaries: the
 * 2017/2018 qualifying years, the 70% → 60% catalogue share on 2020-12-31 / 2021-01-01, exactly 60%
 * and just below, more losses than income.
 *
 * Two policies: "national" is policies/10-national.yaml alone (cn.cit without cn.rd_deduction, so the
 * R&D condition reads "not enabled"); "bundled" is every *.yaml of the policy directory in name order.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *national, *bundled;
static const char *dir;

static int group_setup(void **state)
{
    (void)state;
    national = fisc_test_load_files(dir, "10-national.yaml");
    bundled = fisc_test_load_policy(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_test_reused_free();
    fisc_policy_free(national);
    fisc_policy_free(bundled);
    return 0;
}

/* The national layer alone, for a year, with the explanation; the cn.cit item. */
#define run(json, year) fisc_test_evaluate(national, (json), (year), 0, 1)
#define cit(r) fisc_test_item((r), "cn.cit")

/* outcome, choice, tax and relief of cn.cit, and (when not NULL) the taxable income it derived */
static void check_cit(const fisc_item *it, int outcome, const char *choice, const char *tax, const char *relief,
                      const char *taxable)
{
    if (it->outcome != outcome)
        fail_msg("outcome %d, expected %d (%s)", it->outcome, outcome, it->summary_en);
    assert_string_equal(it->choice, choice);
    assert_item_amount(it, "tax", tax);
    assert_item_amount(it, "relief", relief);
    if (taxable)
        assert_item_amount(it, "taxable_income", taxable);
}

#define LARGE "\"employees_average\": 500, \"assets_average\": 100000000, \"industry_restricted\": false"
#define SIZE_OK "\"employees_average\": 100, \"assets_average\": 10000000, \"industry_restricted\": false"

/*
 * WE-12 (财税〔2018〕76号, textbook example): HNTE from 2019. At the start of 2020 the 2014 loss has
 * 50万 left (300万 less 200万 used in 2018 and 50万 in 2019); the 2015 loss of 200万 and the 2016 loss
 * of 100万 are whole. 2014 is six years back: usable only under the 10-year limit, which the 2019 status
 * gives (2019 is within the five years after 2014, and from 2018). Oldest first.
 */
static void we12_hnte_loss_carry_forward(void **state)
{
    static const char losses[] = "\"income_before_rd_extra_and_losses\": 4000000, \"loss_y6\": 500000, "
                                 "\"loss_y5\": 2000000, \"loss_y4\": 1000000, " LARGE;
    char json[512];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    snprintf(json, sizeof(json), "{%s, \"hnte_certificate_date\": \"2019-06-01\"}", losses);
    r = run(json, 2020);
    it = cit(r);
    /* 400万 − 50万 (2014) − 200万 (2015) − 100万 (2016) = 50万; HNTE 15% */
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "hnte", "75000.00", "50000.00", "500000.00");
    assert_item_amount(it, "losses_used", "3500000.00");
    assert_item_amount(it, "tax_standard", "125000.00");
    assert_int_equal(fisc_test_condition(it, "losses.y6")->state, FISC_COND_MET);
    assert_non_null(strstr(fisc_test_condition(it, "losses.y6")->detail, "status in 2019"));
    assert_string_equal(fisc_test_step(it, "losses.2014")->substituted, "2014: min(500000, 4000000)");
    assert_string_equal(fisc_test_step(it, "losses.2015")->substituted, "2015: min(2000000, 3500000)");
    assert_string_equal(fisc_test_step(it, "losses.2016")->substituted, "2016: min(1000000, 1500000)");
    assert_string_equal(fisc_test_step(it, "taxable_income")->result, "500000");
    assert_false(it->provisional);
    fisc_result_free(r);

    /* the same losses without any status in 2018-2019: the 2014 loss has expired (5 years) */
    snprintf(json, sizeof(json), "{%s, \"hnte_or_tech_sme_y1\": false, \"hnte_or_tech_sme_y2\": false}", losses);
    r = run(json, 2020);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "250000.00", "0.00", "1000000.00");
    assert_item_amount(it, "losses_used", "3000000.00");
    assert_int_equal(fisc_test_condition(it, "losses.y6")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);

    /* status unknown: the years that could extend the 2014 loss (2018, 2019) are asked for */
    snprintf(json, sizeof(json), "{%s}", losses);
    r = run(json, 2020);
    it = cit(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 2);
    assert_true(fisc_test_is_missing(it, "hnte_or_tech_sme_y1") && fisc_test_is_missing(it, "hnte_or_tech_sme_y2"));
    assert_null(fisc_test_amount(it, "tax"));
    assert_int_equal(fisc_test_condition(it, "losses.y6")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
}

/* WE-12 continued: the 2014 remainder is usable to 2024, the 2015 loss to 2025, the 2016 loss to 2026. */
static void we12_ten_year_limits(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 2024: 2014 is ten years back; 2019 (y5) had the status; the current certificate is a 2022 one */
    r = run("{\"income_before_rd_extra_and_losses\": 1000000, \"loss_y10\": 500000, \"hnte_or_tech_sme_y5\": true, "
            "\"hnte_certificate_date\": \"2022-10-01\", " LARGE "}",
            2024);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "hnte", "75000.00", "50000.00", "500000.00");
    assert_non_null(
        strstr(fisc_test_condition(it, "losses.y10")->detail, "status in 2019 → usable for 10 years, to 2024"));
    fisc_result_free(r);
    /* 2025: the 2015 loss (y10), status in 2019 (y6) */
    r = run("{\"income_before_rd_extra_and_losses\": 3000000, \"loss_y10\": 2000000, \"hnte_or_tech_sme_y6\": true, " LARGE
            "}",
            2025);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "250000.00", "0.00", "1000000.00");
    fisc_result_free(r);
    /* 2026: the 2016 loss (y10), status in 2019 (y7) */
    r = run("{\"income_before_rd_extra_and_losses\": 3000000, \"loss_y10\": 1000000, \"hnte_or_tech_sme_y7\": true, " LARGE
            "}",
            2026);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "500000.00", "0.00", "2000000.00");
    fisc_result_free(r);
    /*
     * 2027: the 2017 loss (y10) is extended by the status of 2018 (y9) and takes all the income; the status
     * that would decide the 2021 loss (y6: 2022-2026) is unknown, but nothing is left for it: determined.
     */
    r = run("{\"income_before_rd_extra_and_losses\": 1000000, \"loss_y10\": 2000000, \"loss_y6\": 700000, "
            "\"hnte_or_tech_sme_y9\": true, " LARGE "}",
            2027);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "0.00");
    assert_item_amount(it, "losses_used", "1000000.00");
    assert_int_equal(fisc_test_condition(it, "losses.y6")->state, FISC_COND_UNKNOWN);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/*
 * 财税〔2018〕76号 counts a status year from 2018 on: in 2023 the 2014 loss (nine years back) is extended
 * by a status in 2018 or 2019 (the five years after 2014, from 2018), not by one in 2017.
 */
static void qualifying_years_2017_2018(void **state)
{
    static const char base[] = "\"income_before_rd_extra_and_losses\": 3000000, \"loss_y9\": 1000000, " LARGE;
    char json[512];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    snprintf(json, sizeof(json),
             "{%s, \"hnte_or_tech_sme_y6\": true, \"hnte_or_tech_sme_y5\": false, \"hnte_or_tech_sme_y4\": false}", base);
    r = run(json, 2023); /* status in 2017 only */
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "750000.00", "0.00", "3000000.00");
    assert_string_equal(fisc_test_condition(it, "losses.y9")->detail,
                        "loss of 2014 (unused 1000000): no 高新技术企业/科技型中小企业 status in 2018-2019");
    fisc_result_free(r);
    snprintf(json, sizeof(json),
             "{%s, \"hnte_or_tech_sme_y6\": false, \"hnte_or_tech_sme_y5\": true, \"hnte_or_tech_sme_y4\": false}", base);
    r = run(json, 2023); /* status in 2018 */
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "500000.00", "0.00", "2000000.00");
    fisc_result_free(r);
    /* the first year that can extend anything: in 2019 the 2013 loss needs the status in 2018 exactly */
    r = run("{\"income_before_rd_extra_and_losses\": 3000000, \"loss_y6\": 1000000, \"hnte_or_tech_sme_y1\": true, " LARGE
            "}",
            2019);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "500000.00", "0.00", "2000000.00");
    fisc_result_free(r);
    r = run("{\"income_before_rd_extra_and_losses\": 3000000, \"loss_y6\": 1000000, \"hnte_or_tech_sme_y1\": false, "
            "\"hnte_or_tech_sme_y2\": true, " LARGE "}",
            2019);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "750000.00", "0.00", "3000000.00");
    /* only 2018 was asked about: 2017 is before the rule */
    assert_string_equal(fisc_test_condition(it, "losses.y6")->detail,
                        "loss of 2013 (unused 1000000): no 高新技术企业/科技型中小企业 status in 2018-2018");
    fisc_result_free(r);
}

/* More losses than income: oldest first, until the income is used up; what is left stays for later. */
static void more_losses_than_income(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"income_before_rd_extra_and_losses\": 1000000, \"loss_y1\": 800000, \"loss_y3\": 500000, " SIZE_OK "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "0.00");
    assert_item_amount(it, "losses_used", "1000000.00");
    assert_string_equal(fisc_test_step(it, "losses.2020")->substituted, "2020: min(500000, 1000000)");
    assert_string_equal(fisc_test_step(it, "losses.2022")->substituted, "2022: min(800000, 500000)");
    assert_string_equal(fisc_test_step(it, "losses.2022")->result, "500000");
    assert_null(fisc_test_amount(it, "loss_this_year"));
    fisc_result_free(r);
    /* a loss year makes up nothing and carries its own loss */
    r = run("{\"income_before_rd_extra_and_losses\": -300000, \"loss_y1\": 800000, " SIZE_OK "}", 2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "-300000.00");
    assert_item_amount(it, "loss_this_year", "300000.00");
    assert_null(fisc_test_amount(it, "losses_used"));
    fisc_result_free(r);
    /* exactly enough income: taxable income 0 */
    r = run("{\"income_before_rd_extra_and_losses\": 1300000, \"loss_y1\": 800000, \"loss_y3\": 500000, " SIZE_OK "}",
            2023);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "0.00");
    fisc_result_free(r);
    /* one 分 more: 0.01 taxable, 5% of it under 小型微利 (2023) is 0.0005 → 0.00 */
    r = run("{\"income_before_rd_extra_and_losses\": \"1300000.01\", \"loss_y1\": 800000, \"loss_y3\": 500000, " SIZE_OK
            "}",
            2023);
    it = cit(r);
    assert_item_amount(it, "taxable_income", "0.01");
    assert_item_amount(it, "tax_standard", "0.00"); /* 0.0025 */
    fisc_result_free(r);
}

/* WE-9 and WE-10 hold when the taxable income is derived (no R&D program, no losses). */
static void we9_we10_through_components(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"income_before_rd_extra_and_losses\": 2800000, " SIZE_OK "}", 2022);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "115000.00", "585000.00", "2800000.00");
    /* cn.rd_deduction is not enabled in this policy: said so, and nothing subtracted */
    assert_int_equal(fisc_test_condition(it, "rd.extra_deduction")->state, FISC_COND_NOT_MET);
    assert_non_null(strstr(fisc_test_condition(it, "rd.extra_deduction")->detail, "not enabled"));
    assert_string_equal(fisc_test_step(it, "rd.after_extra_deduction")->substituted, "2800000 − 0");
    assert_null(fisc_test_amount(it, "losses_used"));
    assert_non_null(strstr(it->summary_en, "taxable income 2800000.00 yuan; small and micro enterprise relief"));
    fisc_result_free(r);
    r = run("{\"income_before_rd_extra_and_losses\": 2000000, " SIZE_OK ", \"hnte_certificate_date\": \"2023-03-01\"}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "100000.00", "400000.00", "2000000.00");
    assert_item_amount(it, "tax_hnte", "300000.00");
    fisc_result_free(r);
    /* taxable_income given wins: used as it is, nothing derived */
    r = run("{\"taxable_income\": 2800000, \"income_before_rd_extra_and_losses\": 9000000, \"loss_y1\": 1, " SIZE_OK
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "140000.00", "560000.00", NULL);
    assert_null(fisc_test_amount(it, "taxable_income"));
    assert_string_equal(it->steps[0].id, "standard.tax");
    fisc_result_free(r);
    /* nothing at all: taxable_income is what is missing */
    r = run("{" SIZE_OK "}", 2023);
    it = cit(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "taxable_income");
    fisc_result_free(r);
}

/* Prepayment: the losses of earlier years are made up from the income cumulative to the quarter. */
static void quarter_with_losses(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_evaluate(national, "{\"income_before_rd_extra_and_losses\": 1500000, \"loss_y1\": 500000, " SIZE_OK
                                     "}",
                           2023, 2, 1);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "small_micro", "50000.00", "200000.00", "1000000.00");
    fisc_result_free(r);
}

/* 核定征收 (国税发〔2008〕30号 第六条): on revenue, or on costs; no loss is made up. */
static void deemed_profit(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"10%\", \"cit_deemed_revenue\": 10000000, " SIZE_OK
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "50000.00", "200000.00", "1000000.00");
    assert_string_equal(fisc_test_step(it, "deemed.taxable_income")->substituted, "10000000 × 10%");
    assert_false(it->provisional);
    fisc_result_free(r);
    /* on costs: 900万 ÷ (1 − 10%) × 10% = 100万 */
    r = run("{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"10%\", \"cit_deemed_costs\": 9000000, " SIZE_OK
            "}",
            2023);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "small_micro", "50000.00", "200000.00", "1000000.00");
    fisc_result_free(r);
    /* a quotient that does not terminate stays exact until each amount is rounded once:
       100万 ÷ 70% × 30% = 428571.428571…; × 25% = 107142.857142… */
    r = run("{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"30%\", \"cit_deemed_costs\": 1000000, " LARGE
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "107142.86", "0.00", "428571.43");
    assert_string_equal(fisc_test_step(it, "standard.tax")->result, "750000/7");
    fisc_result_free(r);
    /* losses are not made up under 核定征收 */
    r = run("{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"10%\", \"cit_deemed_revenue\": 10000000, "
            "\"loss_y1\": 500000, " SIZE_OK "}",
            2023);
    it = cit(r);
    assert_item_amount(it, "taxable_income", "1000000.00");
    assert_int_equal(fisc_test_condition(it, "losses.deemed_profit")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    /* the facts it needs */
    r = run("{\"cit_deemed_profit\": true, " SIZE_OK "}", 2023);
    it = cit(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "cit_deemed_profit_rate") && fisc_test_is_missing(it, "cit_deemed_revenue"));
    fisc_result_free(r);
    /* a given taxable_income is used as it is, deemed or not */
    r = run("{\"cit_deemed_profit\": true, \"taxable_income\": 1000000, " SIZE_OK "}", 2023);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "small_micro", "50000.00", "200000.00", NULL);
    fisc_result_free(r);
}

/*
 * A deemed-profit enterprise takes no reduced rate (国税函〔2009〕377号): that parameter is UNCONFIRMED, so
 * the result is provisional when it decides, and only then.
 */
static void deemed_profit_and_reduced_rates_are_provisional(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"cit_deemed_profit\": true, \"taxable_income\": 10000000, \"hnte_certificate_date\": \"2023-03-01\", " LARGE
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "2500000.00", "0.00", NULL);
    assert_int_equal(fisc_test_condition(it, "hnte.collection")->state, FISC_COND_NOT_MET);
    assert_null(fisc_test_amount(it, "tax_hnte"));
    assert_true(it->provisional);
    assert_true(fisc_result_provisional(r));
    fisc_result_free(r);
    /* 查账征收: the HNTE rate, confirmed values only */
    r = run("{\"cit_deemed_profit\": false, \"taxable_income\": 10000000, \"hnte_certificate_date\": \"2023-03-01\", " LARGE
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "hnte", "1500000.00", "1000000.00", NULL);
    assert_false(it->provisional);
    fisc_result_free(r);
}

#define WEST_YULIN "\"registered_in_yulin\": true, " LARGE

/* 西部大开发 (财政部公告2020年第23号): the catalogue share at exactly 60% qualifies, just below does not. */
static void west_at_and_below_60_percent(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"60%\", " WEST_YULIN "}", 2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "west", "1500000.00", "1000000.00", NULL);
    assert_item_amount(it, "tax_west", "1500000.00");
    assert_item_amount(it, "tax_standard", "2500000.00");
    assert_null(fisc_test_amount(it, "tax_hnte"));
    assert_string_equal(fisc_test_condition(it, "west.catalogue")->detail, "60% ≥ 60%");
    assert_string_equal(fisc_test_condition(it, "west.region")->detail, "registered in 玉林 (广西)");
    assert_string_equal(fisc_test_step(it, "west.tax")->substituted, "10000000 × 15%");
    assert_non_null(strstr(it->summary_zh, "适用西部大开发15%税率"));
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"59.99%\", " WEST_YULIN "}", 2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "2500000.00", "0.00", NULL);
    assert_string_equal(fisc_test_condition(it, "west.catalogue")->detail, "59.99% < 60%");
    assert_null(fisc_test_amount(it, "tax_west"));
    fisc_result_free(r);
    /* not claimed: the route is not there, and no fact is asked for */
    r = run("{\"taxable_income\": 10000000, " LARGE "}", 2023);
    it = cit(r);
    assert_int_equal(fisc_test_condition(it, "west.catalogue")->state, FISC_COND_NOT_MET);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
    /* the region decides when it is not known (Yulin is not said) */
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"75%\", " LARGE "}", 2023);
    it = cit(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "west_region");
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"75%\", \"west_region\": false, " LARGE
            "}",
            2023);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "2500000.00", "0.00", NULL);
    fisc_result_free(r);
}

/* 财税〔2011〕58号 asked for 70% to 2020-12-31; 财政部公告2020年第23号 for 60% from 2021-01-01. */
static void west_70_to_60_percent_in_2021(void **state)
{
    fisc_result *r;

    (void)state;
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"65%\", " WEST_YULIN "}", 2020);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "2500000.00", "0.00", NULL);
    assert_string_equal(fisc_test_condition(cit(r), "west.catalogue")->detail, "65% < 70%");
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"65%\", " WEST_YULIN "}", 2021);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "1500000.00", "1000000.00", NULL);
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"70%\", " WEST_YULIN "}", 2020);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "1500000.00", "1000000.00", NULL);
    fisc_result_free(r);
    /* the fourth-quarter prepayment of 2020 still reads 70%; the first of 2021 reads 60% */
    r = fisc_test_evaluate(national,
                           "{\"taxable_income\": 8000000, \"west_catalogue_revenue_share\": \"60%\", " WEST_YULIN "}",
                           2020, 4, 1);
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "2000000.00", "0.00", NULL);
    fisc_result_free(r);
    r = fisc_test_evaluate(national,
                           "{\"taxable_income\": 2000000, \"west_catalogue_revenue_share\": \"60%\", " WEST_YULIN "}",
                           2021, 1, 1);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "300000.00", "200000.00", NULL);
    fisc_result_free(r);
}

/* All the routes at once, never stacked: the cheapest one applies. */
static void routes_do_not_stack(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* HNTE and 西部大开发 are both 15%: one of them (reported: HNTE), never 15% of 15% */
    r = run("{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"80%\", "
            "\"hnte_certificate_date\": \"2023-03-01\", " WEST_YULIN "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "hnte", "1500000.00", "1000000.00", NULL);
    assert_item_amount(it, "tax_west", "1500000.00");
    assert_item_amount(it, "tax_hnte", "1500000.00");
    fisc_result_free(r);
    /* 小型微利 (5%) beats 西部大开发 (15%) at 200万, and is not combined with it */
    r = run("{\"taxable_income\": 2000000, \"west_catalogue_revenue_share\": \"80%\", \"registered_in_yulin\": true, " SIZE_OK
            "}",
            2023);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "100000.00", "400000.00", NULL);
    assert_item_amount(it, "tax_west", "300000.00");
    assert_item_amount(it, "tax_small_micro", "100000.00");
    fisc_result_free(r);
    /* the R&D deduction and the losses combine with the rate route chosen: 900万 − 100万 = 800万 at 15% */
    r = run("{\"income_before_rd_extra_and_losses\": 9000000, \"loss_y2\": 1000000, "
            "\"west_catalogue_revenue_share\": \"80%\", " WEST_YULIN "}",
            2023);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "1200000.00", "800000.00", "8000000.00");
    fisc_result_free(r);
}

/* Without the explanation the same outcomes, amounts and condition ids (only the texts are empty). */
static void untraced_is_the_same(void **state)
{
    static const char json[] = "{\"income_before_rd_extra_and_losses\": 4000000, \"loss_y6\": 500000, "
                               "\"loss_y5\": 2000000, \"loss_y4\": 1000000, \"hnte_certificate_date\": \"2019-06-01\", "
                               "\"west_catalogue_revenue_share\": \"75%\", " WEST_YULIN "}";
    fisc_result *a = fisc_test_evaluate(national, json, 2020, 0, 1);
    fisc_result *b = fisc_test_evaluate(national, json, 2020, 0, 0);
    const fisc_item *x = cit(a), *y = cit(b);

    (void)state;
    assert_int_equal(x->outcome, y->outcome);
    assert_string_equal(x->choice, y->choice);
    assert_int_equal(x->amount_count, y->amount_count);
    for (size_t k = 0; k < x->amount_count; k++) {
        assert_string_equal(x->amounts[k].name, y->amounts[k].name);
        assert_int_equal(fisc_decimal_cmp(x->amounts[k].value, y->amounts[k].value), 0);
    }
    assert_int_equal(x->condition_count, y->condition_count);
    for (size_t k = 0; k < x->condition_count; k++) {
        assert_string_equal(x->conditions[k].id, y->conditions[k].id);
        assert_int_equal(x->conditions[k].state, y->conditions[k].state);
    }
    assert_int_equal(y->step_count, 0);
    assert_item_amount(x, "tax", "75000.00"); /* HNTE, 15% of 50万 (西部大开发 ties) */
    fisc_result_free(a);
    fisc_result_free(b);
}

/* R&D of one project, 100万 of staff costs, in a manufacturer (GB/T 4754 C) with no negative-list revenue. */
#define RD_FACTS                                                                                                     \
    "\"rd_project_count\": 1, \"rd_p1_personnel\": 1000000, \"rd_p1_direct\": 0, \"rd_p1_depreciation\": 0, "        \
    "\"rd_p1_amortisation\": 0, \"rd_p1_design\": 0, \"rd_p1_other\": 0, \"rd_contracted_domestic\": 0, "          \
    "\"rd_contracted_related\": 0, \"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": 0, "              \
    "\"rd_ic_or_machine_tool\": false, \"income_total\": 20000000, \"income_non_taxable\": 0, "                     \
    "\"income_investment\": 0, \"industry_code_version\": \"2017\", \"industry_revenue_1_code\": \"C3911\", "     \
    "\"industry_revenue_1_amount\": 20000000"

/*
 * The bundled policy (every layer): cn.cit gives the same answers when taxable_income is given, and
 * with cn.rd_deduction enabled it subtracts the extra deduction that program publishes (2023: 100%),
 * before the losses of earlier years.
 */
static void bundled_policy(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundled,
                           "{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"60%\", " WEST_YULIN "}",
                           2023, 0, 1);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "1500000.00", "1000000.00", NULL);
    fisc_result_free(r);
    /* 500万 − 100万 (R&D extra deduction) − 50万 (loss of 2022) = 350万, at 25% */
    r = fisc_test_evaluate(bundled, "{\"income_before_rd_extra_and_losses\": 5000000, \"loss_y1\": 500000, " RD_FACTS
                                    ", " LARGE "}",
                           2023, 0, 1);
    it = cit(r);
    assert_decimal_places(fisc_test_amount(fisc_result_find(r, "cn.rd_deduction"), "extra_deduction"), 2, "1000000.00");
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "875000.00", "0.00", "3500000.00");
    assert_item_amount(it, "losses_used", "500000.00");
    assert_int_equal(fisc_test_condition(it, "rd.extra_deduction")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_step(it, "rd.after_extra_deduction")->substituted, "5000000 − 1000000");
    fisc_result_free(r);
    /* the extra deduction turns the year into a loss: 80万 − 100万 = −20万, carried as this year's loss */
    r = fisc_test_evaluate(bundled, "{\"income_before_rd_extra_and_losses\": 800000, \"loss_y1\": 500000, " RD_FACTS
                                    ", " LARGE "}",
                           2023, 0, 1);
    it = cit(r);
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "-200000.00");
    assert_item_amount(it, "loss_this_year", "200000.00");
    fisc_result_free(r);
    /* cn.rd_deduction undetermined (no R&D facts): the taxable income is not known, and the item says why */
    r = fisc_test_evaluate(bundled, "{\"income_before_rd_extra_and_losses\": 5000000, " LARGE "}", 2023, 0, 1);
    it = cit(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(fisc_test_condition(it, "rd.extra_deduction")->state, FISC_COND_UNKNOWN);
    assert_null(fisc_test_amount(it, "tax"));
    fisc_result_free(r);
}

/* ------------------------------------------------------------------ without the explanation (batch work) */

/* 从业人数 by quarter, 2023: (100 + 120 + 120 + 130 + 130 + 150 + 150 + 161) / 8 = 132.625. */
#define EMPLOYEES_BY_QUARTER                                                                                       \
    "\"employees\": {\"Q1\": {\"start\": 100, \"end\": 120}, \"Q2\": {\"start\": 120, \"end\": 130}, "            \
    "\"Q3\": {\"start\": 130, \"end\": 150}, \"Q4\": {\"start\": 150, \"end\": 161}}"

/*
 * Without the explanation cn.cit makes no texts and no steps, and reads the R&D extra deduction and
 * an average given without copying them; every path, both ways, gives the same outcomes, amounts
 * (exactly), conditions, missing facts and parameters.
 */
static void untraced_same_on_every_path(void **state)
{
    static const char *const facts[] = {
        "{\"taxable_income\": 2800000, " SIZE_OK "}",
        "{\"taxable_income\": \"-1.5\", " SIZE_OK "}",
        "{\"taxable_income\": \"3000000.01\", " SIZE_OK ", \"hnte_certificate_date\": \"2021-10-01\"}",
        "{\"income_before_rd_extra_and_losses\": 4000000, \"loss_y6\": 500000, \"loss_y5\": 2000000, "
        "\"loss_y4\": 1000000, \"hnte_certificate_date\": \"2019-06-01\", \"west_catalogue_revenue_share\": \"75%\", "
        WEST_YULIN "}",
        "{\"income_before_rd_extra_and_losses\": 4000000, \"loss_y6\": 500000, \"loss_y5\": 2000000, "
        "\"loss_y4\": 1000000, " LARGE "}",
        "{\"income_before_rd_extra_and_losses\": 1300000, \"loss_y1\": 800000, \"loss_y3\": 500000, "
        "\"loss_y8\": 100, \"hnte_or_tech_sme_y2\": true, " SIZE_OK "}",
        "{\"income_before_rd_extra_and_losses\": -300000, \"loss_y1\": 800000, " SIZE_OK "}",
        "{\"income_before_rd_extra_and_losses\": 5000000, \"loss_y1\": 500000, " RD_FACTS ", " LARGE "}",
        "{\"income_before_rd_extra_and_losses\": 800000, " RD_FACTS ", " SIZE_OK "}",
        "{\"income_before_rd_extra_and_losses\": 5000000, " LARGE "}",
        "{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"10%\", \"cit_deemed_revenue\": 10000000, "
        "\"loss_y1\": 5, " SIZE_OK "}",
        "{\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"10%\", \"cit_deemed_costs\": 9000000, "
        "\"hnte_certificate_date\": \"2022-01-01\", \"west_catalogue_revenue_share\": \"65%\", " WEST_YULIN "}",
        "{\"taxable_income\": 2000000, " EMPLOYEES_BY_QUARTER ", \"assets_average\": 1000000, "
        "\"industry_restricted\": false}",
        "{\"taxable_income\": 2000000, \"employees\": {\"Q2\": {\"start\": 100}}, \"employees_average\": 200, "
        "\"assets\": {\"Q1\": {\"start\": \"1000000.01\", \"end\": \"666666.667\"}}, \"industry_restricted\": false}",
        "{\"taxable_income\": 2000000, \"employees\": {\"Q2\": {\"start\": 100}}, \"assets_average\": 1000000}",
        "{\"taxable_income\": \"92233720368547758.08\", \"west_catalogue_revenue_share\": \"60%\", "
        "\"west_region\": true, " SIZE_OK "}",
        "{}",
    };
    static const int years[] = { 2019, 2020, 2021, 2023, 2027 };

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++) {
        for (size_t y = 0; y < FISCP_ARRAY_SIZE(years); y++) {
            fisc_test_same_untraced(national, facts[i], years[y], 0);
            fisc_test_same_untraced(bundled, facts[i], years[y], 0);
        }
        for (int q = 1; q <= 4; q++)
            fisc_test_same_untraced(bundled, facts[i], 2023, q);
    }
}

/*
 * 从业人数 as the average of quarterly averages over the quarters to date, or the average given when
 * no quarter is given whole: all four quarters (132.625), the first two at the July prepayment
 * ((100 + 120 + 120 + 130) / 4 = 117.5), a quarter given in part (then the average given, 200; without
 * it the fact is missing and the test unknown).
 */
static void quarterly_averages(void **state)
{
    static const struct {
        const char *facts;
        int quarter, state;
        const char *detail;
    } cases[] = {
        { EMPLOYEES_BY_QUARTER, 0, FISC_COND_MET, "132.625 ≤ 300" },
        { EMPLOYEES_BY_QUARTER, 2, FISC_COND_MET, "117.5 ≤ 300" },
        { "\"employees\": {\"Q2\": {\"start\": 100}}, \"employees_average\": 200", 0, FISC_COND_MET, "200 ≤ 300" },
        { "\"employees\": {\"Q2\": {\"start\": 100}}", 0, FISC_COND_UNKNOWN, "unknown" },
        { "\"employees_average\": \"300.01\"", 0, FISC_COND_NOT_MET, "300.01 > 300" },
    };
    char json[512];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        fisc_result *r;
        const fisc_item *it;

        snprintf(json, sizeof(json), "{\"taxable_income\": 2000000, %s, \"assets_average\": 1000000, "
                                     "\"industry_restricted\": false}", cases[i].facts);
        r = fisc_test_evaluate(national, json, 2023, cases[i].quarter, 1);
        it = cit(r);
        assert_int_equal(fisc_test_condition(it, "small_micro.employees")->state, cases[i].state);
        assert_string_equal(fisc_test_condition(it, "small_micro.employees")->detail, cases[i].detail);
        assert_int_equal(fisc_test_is_missing(it, "employees"), cases[i].state == FISC_COND_UNKNOWN);
        if (cases[i].state == FISC_COND_MET)
            check_cit(it, FISC_OUTCOME_ELIGIBLE, "small_micro", "100000.00", "400000.00", NULL);
        fisc_result_free(r);
        fisc_test_same_untraced(national, json, 2023, cases[i].quarter);
    }
}

/*
 * The quarters are looked up only when the series is given at all: neither the series nor the average
 * (missing, unknown), the average alone, and a series whose only quarter lies after the prepayment's
 * quarters (the average given is used then, as when no quarter is given whole).
 */
static void quarterly_average_without_series(void **state)
{
    static const struct {
        const char *facts;
        int quarter, state;
        const char *detail;
    } cases[] = {
        { "\"taxable_income\": 2000000", 0, FISC_COND_UNKNOWN, "unknown" },
        { "\"taxable_income\": 2000000", 1, FISC_COND_UNKNOWN, "unknown" },
        { "\"employees_average\": 250", 3, FISC_COND_MET, "250 ≤ 300" },
        { "\"employees\": {\"Q4\": {\"start\": 100, \"end\": 120}}, \"employees_average\": 301", 3,
          FISC_COND_NOT_MET, "301 > 300" },
        { "\"employees\": {\"Q4\": {\"start\": 100, \"end\": 120}}, \"employees_average\": 301", 0,
          FISC_COND_MET, "110 ≤ 300" },
    };
    char json[512];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        fisc_result *r;
        const fisc_item *it;

        snprintf(json, sizeof(json), "{\"taxable_income\": 2000000, %s, \"assets_average\": 1000000, "
                                     "\"industry_restricted\": false}", cases[i].facts);
        if (strncmp(cases[i].facts, "\"taxable_income\"", 16) == 0) /* no employees fact at all */
            snprintf(json, sizeof(json), "{%s, \"assets_average\": 1000000, \"industry_restricted\": false}",
                     cases[i].facts);
        r = fisc_test_evaluate(national, json, 2023, cases[i].quarter, 1);
        it = cit(r);
        assert_int_equal(fisc_test_condition(it, "small_micro.employees")->state, cases[i].state);
        assert_string_equal(fisc_test_condition(it, "small_micro.employees")->detail, cases[i].detail);
        assert_int_equal(fisc_test_is_missing(it, "employees"), cases[i].state == FISC_COND_UNKNOWN);
        fisc_result_free(r);
        fisc_test_same_untraced(national, json, 2023, cases[i].quarter);
    }
}

/* Without cn.rd_deduction in the policy the extra deduction subtracted is 0 (the step says so). */
static void no_rd_program_subtracts_zero(void **state)
{
    fisc_result *r = run("{\"income_before_rd_extra_and_losses\": 5000000, " LARGE "}", 2023);
    const fisc_item *it = cit(r);

    (void)state;
    check_cit(it, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "1250000.00", "0.00", "5000000.00");
    assert_int_equal(fisc_test_condition(it, "rd.extra_deduction")->state, FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_step(it, "rd.after_extra_deduction")->substituted, "5000000 − 0");
    assert_string_equal(fisc_test_step(it, "rd.after_extra_deduction")->result, "5000000");
    fisc_result_free(r);
}

/*
 * The 小型微利 share by bracket (a marginal scale), exactly, at and around its bounds: 2019 counts 25% up
 * to 100万 and 50% up to 300万, 2023 25% up to 300万 in one bracket. The base is max(income, 0), SMALL
 * or a fraction (核定征收 on costs: 成本 ÷ (1 − 30%) × 30%); a slice from 0 is the base itself, and the
 * first term is the sum. Each case also both ways and into a reused result.
 */
static void small_micro_brackets(void **state)
{
    static const struct {
        int year;
        const char *income;  /* the facts that give it */
        const char *counted; /* the terms of the share, as the step shows them */
        const char *tax;     /* tax_small_micro, exact */
    } cases[] = {
        { 2019, "\"taxable_income\": 1000000", "(1000000 × 25%) × 20%", "50000" },
        { 2019, "\"taxable_income\": \"1000000.01\"", "(1000000 × 25% + 0.01 × 50%) × 20%", "50000.001" },
        { 2019, "\"taxable_income\": \"999999.99\"", "(999999.99 × 25%) × 20%", "49999.9995" },
        { 2019, "\"taxable_income\": 3000000", "(1000000 × 25% + 2000000 × 50%) × 20%", "250000" },
        { 2019, "\"taxable_income\": \"3000000.00\"", "(1000000 × 25% + 2000000 × 50%) × 20%", "250000" },
        { 2019, "\"taxable_income\": 0", "() × 20%", "0" },
        { 2019, "\"taxable_income\": \"-5000.5\"", "() × 20%", "0" },
        { 2019, "\"taxable_income\": \"0.001\"", "(0.001 × 25%) × 20%", "0.00005" },
        { 2023, "\"taxable_income\": 3000000", "(3000000 × 25%) × 20%", "150000" },
        { 2023, "\"taxable_income\": \"2999999.999\"", "(2999999.999 × 25%) × 20%", "149999.99995" },
        /* 100万 ÷ 70% × 30% = 3000000/7, within the first bracket */
        { 2019, "\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"30%\", \"cit_deemed_costs\": 1000000",
          "(3000000/7 × 25%) × 20%", "150000/7" },
        /* 500万 ÷ 70% × 30% = 15000000/7: 100万 × 25% + 8000000/7 × 50% */
        { 2019, "\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"30%\", \"cit_deemed_costs\": 5000000",
          "(1000000 × 25% + 8000000/7 × 50%) × 20%", "1150000/7" },
        { 2023, "\"cit_deemed_profit\": true, \"cit_deemed_profit_rate\": \"30%\", \"cit_deemed_costs\": 5000000",
          "(15000000/7 × 25%) × 20%", "750000/7" },
    };
    char json[512];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        fisc_result *r;
        const fisc_item *it;

        snprintf(json, sizeof(json), "{%s, " SIZE_OK "}", cases[i].income);
        r = run(json, cases[i].year);
        it = cit(r);
        assert_string_equal(fisc_test_step(it, "small_micro.tax")->substituted, cases[i].counted);
        assert_string_equal(fisc_test_step(it, "small_micro.tax")->result, cases[i].tax);
        fisc_result_free(r);
        fisc_test_same_untraced(national, json, cases[i].year, 0);
        fisc_test_same_untraced(bundled, json, cases[i].year, 0);
    }
}

/*
 * The choice when a route's eligibility is unknown (西部大开发 with the region not given): undetermined
 * when that route would be cheaper than the best known one, decided when it would not (a tie with the
 * HNTE route's 15%); and, with every route known, the cheapest. Both ways.
 */
static void choice_with_an_unknown_route(void **state)
{
    static const char *const facts[] = {
        "{\"taxable_income\": 1000000, \"west_catalogue_revenue_share\": \"60%\", " LARGE "}",
        "{\"taxable_income\": 1000000, \"west_catalogue_revenue_share\": \"60%\", "
        "\"hnte_certificate_date\": \"2022-01-01\", " LARGE "}",
        "{\"taxable_income\": 1000000, \"west_catalogue_revenue_share\": \"60%\", \"west_region\": true, " LARGE "}",
    };
    fisc_result *r;

    (void)state;
    r = run(facts[0], 2023); /* west 15% unknown, below the standard 25% */
    assert_int_equal(cit(r)->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_null(fisc_test_amount(cit(r), "tax"));
    fisc_result_free(r);
    r = run(facts[1], 2023); /* west 15% unknown, not below the HNTE 15% */
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "hnte", "150000.00", "100000.00", NULL);
    fisc_result_free(r);
    r = run(facts[2], 2023);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "west", "150000.00", "100000.00", NULL);
    fisc_result_free(r);
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++)
        fisc_test_same_untraced(national, facts[i], 2023, 0);
}

/*
 * evaluate() keeps its exact values (the income, the losses made up, this year's loss, the routes' taxes)
 * in one array cleared with one test: values past 128 bits (GMP rationals) in each of them are freed
 * (valgrind), traced and untraced the same. 3 × 10^38 is past 2^128; losses are made up from it.
 */
#define HUGE "300000000000000000000000000000000000000"
static void values_past_128_bits(void **state)
{
    static const char *const facts[] = {
        "{\"taxable_income\": \"" HUGE ".01\", " SIZE_OK "}",
        "{\"income_before_rd_extra_and_losses\": \"" HUGE ".01\", \"loss_y1\": \"" HUGE "\", "
        "\"loss_y2\": \"5.5\", " SIZE_OK "}",
        "{\"income_before_rd_extra_and_losses\": \"-" HUGE ".01\", \"loss_y1\": 5, " SIZE_OK "}",
        "{\"taxable_income\": \"" HUGE "\", \"hnte_certificate_date\": \"2022-01-01\", "
        "\"west_catalogue_revenue_share\": \"75%\", \"west_region\": true, " SIZE_OK "}",
    };
    fisc_result *r;

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++) {
        fisc_test_same_untraced(national, facts[i], 2023, 0);
        fisc_test_same_untraced(bundled, facts[i], 2023, 0);
    }
    r = run(facts[1], 2023);
    assert_item_amount(cit(r), "taxable_income", "0.00"); /* 5.5 first (older), then the rest of the income */
    assert_item_amount(cit(r), "losses_used", HUGE ".01");
    fisc_result_free(r);
    r = run(facts[2], 2023);
    assert_item_amount(cit(r), "loss_this_year", HUGE ".01");
    check_cit(cit(r), FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00", "0.00", "-" HUGE ".01");
    fisc_result_free(r);
    r = run(facts[3], 2023);
    check_cit(cit(r), FISC_OUTCOME_ELIGIBLE, "hnte", "45000000000000000000000000000000000000.00",
              "30000000000000000000000000000000000000.00", NULL);
    fisc_result_free(r);
}
#undef HUGE

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we12_hnte_loss_carry_forward),
        cmocka_unit_test(we12_ten_year_limits),
        cmocka_unit_test(qualifying_years_2017_2018),
        cmocka_unit_test(more_losses_than_income),
        cmocka_unit_test(we9_we10_through_components),
        cmocka_unit_test(quarter_with_losses),
        cmocka_unit_test(deemed_profit),
        cmocka_unit_test(deemed_profit_and_reduced_rates_are_provisional),
        cmocka_unit_test(west_at_and_below_60_percent),
        cmocka_unit_test(west_70_to_60_percent_in_2021),
        cmocka_unit_test(routes_do_not_stack),
        cmocka_unit_test(untraced_is_the_same),
        cmocka_unit_test(bundled_policy),
        cmocka_unit_test(untraced_same_on_every_path),
        cmocka_unit_test(quarterly_averages),
        cmocka_unit_test(quarterly_average_without_series),
        cmocka_unit_test(no_rd_program_subtracts_zero),
        cmocka_unit_test(small_micro_brackets),
        cmocka_unit_test(choice_with_an_unknown_route),
        cmocka_unit_test(values_past_128_bits),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("cit", tests, group_setup, group_teardown);
}
