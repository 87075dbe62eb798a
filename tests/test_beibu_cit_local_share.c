/*
 * Golden tests of gx.beibu_cit_local_share (桂政发〔2020〕42号 items 79, 80, 82; 桂财税〔2023〕5号): WE-16
 * of shared/reference/policy-params.md §9 (应纳税所得额 1000万, HNTE tax 150万, 60万 exempt, 90万 paid),
 * the totals (tax payable = the tax actually paid), the five-year windows at their last and first
 * years, the registration-year boundary 2020-12-31 / 2021-01-01 (an UNCONFIRMED parameter: provisional),
 * the transitional rules, tax years before the rule, and undetermined inputs.
 *
 * "policy" is policies/10-national.yaml with policies/21-guangxi-beibu.yaml (cn.cit and this program
 * only, so the totals are theirs alone); "bundled" is every *.yaml of the directory in name order.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *policy, *bundled;
static const char *dir;

static int group_setup(void **state)
{
    (void)state;
    policy = fisc_test_load_files(dir, "10-national.yaml", "21-guangxi-beibu.yaml");
    bundled = fisc_test_load_policy(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(policy);
    fisc_policy_free(bundled);
    return 0;
}

/* cn.cit and this program, for a year, with the explanation; the program's item. */
#define run(json, year) fisc_test_evaluate(policy, (json), (year), 0, 1)
#define beibu(r) fisc_test_item((r), "gx.beibu_cit_local_share")

/* The exemption: outcome eligible, the relief, the tax paid, the adjustment. */
static void check_exempt(const fisc_result *r, const char *relief, const char *paid, const char *adjustment)
{
    const fisc_item *it = beibu(r);

    if (it->outcome != FISC_OUTCOME_ELIGIBLE)
        fail_msg("outcome %d, expected eligible (%s)", it->outcome, it->summary_en);
    assert_item_amount(it, "relief", relief);
    assert_item_amount(it, "tax_after_relief", paid);
    assert_item_amount(it, "tax_payable_adjustment", adjustment);
}

static void check_not_exempt(const fisc_result *r, int outcome)
{
    const fisc_item *it = beibu(r);

    if (it->outcome != outcome)
        fail_msg("outcome %d, expected %d (%s)", it->outcome, outcome, it->summary_en);
    assert_int_equal(it->amount_count, 0);
}

#define LARGE "\"employees_average\": 500, \"assets_average\": 100000000, \"industry_restricted\": false"
#define SIZE_OK "\"employees_average\": 100, \"assets_average\": 10000000, \"industry_restricted\": false"
/* a new HNTE in Yulin: registered 2022, first main-business revenue 2022, certificate 2023 */
#define NEW_HNTE                                                                                                     \
    "\"registered_in_yulin\": true, \"registration_date\": \"2022-05-01\", \"first_main_business_revenue_year\": " \
    "2022, \"hnte_certificate_date\": \"2023-03-01\", " LARGE

/* WE-16: 应纳税所得额 1000万; HNTE tax 150万; local share 40% → 60万 exempt; 90万 paid. */
static void we16_new_hnte_in_yulin(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"taxable_income\": 10000000, " NEW_HNTE "}", 2023);
    it = beibu(r);
    check_exempt(r, "600000.00", "900000.00", "-600000.00");
    assert_decimal_places(fisc_test_amount(fisc_result_find(r, "cn.cit"), "tax"), 2, "1500000.00");
    /* the totals count the tax actually paid, and both reliefs (100万 against 25%, 60万 local share) */
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "900000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "1600000.00");
    assert_string_equal(it->steps[0].substituted, "1500000 × 40%");
    assert_non_null(strstr(fisc_test_condition(it, "beibu.item79")->detail, "exempt in 2022-2026"));
    assert_string_equal(fisc_test_condition(it, "beibu.zone")->detail, "registered in 玉林");
    assert_non_null(strstr(it->summary_zh, "免征企业所得税地方分享部分 600000.00 元，实际缴纳 900000.00 元"));
    /* "newly registered from 2021" is UNCONFIRMED: the result says it is provisional */
    assert_true(it->provisional);
    assert_true(fisc_result_provisional(r));
    assert_false(fisc_result_find(r, "cn.cit")->provisional);
    fisc_result_free(r);
}

/* Five years from the first main-business revenue: 2021-2025; 2025 is the last, 2026 is out. */
static void five_year_window(void **state)
{
    static const char json[] = "{\"taxable_income\": 10000000, \"registered_in_yulin\": true, "
                               "\"registration_date\": \"2021-01-01\", \"first_main_business_revenue_year\": 2021, "
                               "\"hnte_certificate_date\": \"2024-03-01\", \"beibu_designated_industrial\": false, " LARGE
                               "}";
    fisc_result *r;

    (void)state;
    r = run(json, 2025);
    check_exempt(r, "600000.00", "900000.00", "-600000.00");
    fisc_result_free(r);
    r = run(json, 2026);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(fisc_test_condition(beibu(r), "beibu.item79")->state, FISC_COND_NOT_MET);
    /* nothing deducted: the totals are cn.cit's */
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "1500000.00");
    fisc_result_free(r);
    /* the year before the first revenue is not in the window either */
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2023-01-01\", "
            "\"first_main_business_revenue_year\": 2024, \"hnte_certificate_date\": \"2023-03-01\", "
            "\"beibu_designated_industrial\": false, " LARGE "}",
            2023);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
}

/* Registered on 2020-12-31: not new (transitional rules); on 2021-01-01: new. */
static void registration_2020_2021(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2020-12-31\", "
            "\"first_main_business_revenue_year\": 2021, \"hnte_certificate_date\": \"2023-03-01\", "
            "\"beibu_exempt_years_used_earlier\": 0, " LARGE "}",
            2023);
    it = beibu(r);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_non_null(strstr(fisc_test_condition(it, "beibu.registration")->detail, "2014-2020 (transitional rules)"));
    assert_int_equal(fisc_test_condition(it, "beibu.transition")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2021-01-01\", "
            "\"first_main_business_revenue_year\": 2021, \"hnte_certificate_date\": \"2023-03-01\", " LARGE "}",
            2023);
    check_exempt(r, "600000.00", "900000.00", "-600000.00");
    assert_non_null(
        strstr(fisc_test_condition(beibu(r), "beibu.registration")->detail, "newly registered (from 2021)"));
    fisc_result_free(r);
}

/* 桂政发〔2020〕42号 applies from tax year 2021: 2020 is not eligible under this program (no facts asked). */
static void not_before_2021(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"taxable_income\": 10000000, " NEW_HNTE "}", 2020);
    it = beibu(r);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(fisc_test_condition(it, "beibu.in_force")->state, FISC_COND_NOT_MET);
    assert_false(it->provisional);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/* Item 82: a new 小型微利企业, five years from its first revenue. */
static void small_micro_item_82(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 200万 at 5% = 10万; 40% = 4万 exempt; 6万 paid */
    r = run("{\"taxable_income\": 2000000, \"registered_in_beibu_zone\": true, \"registration_date\": \"2021-06-01\", "
            "\"first_revenue_year\": 2021, " SIZE_OK "}",
            2023);
    it = beibu(r);
    check_exempt(r, "40000.00", "60000.00", "-40000.00");
    assert_int_equal(fisc_test_condition(it, "beibu.item82")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_condition(it, "beibu.item79")->state, FISC_COND_NOT_MET);
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "60000.00");
    fisc_result_free(r);
    /* WE-10: an HNTE of small size pays the 小型微利 tax; the local share of that tax is exempted */
    r = run("{\"taxable_income\": 2000000, \"registered_in_beibu_zone\": true, \"registration_date\": \"2021-06-01\", "
            "\"first_main_business_revenue_year\": 2022, \"first_revenue_year\": 2021, "
            "\"hnte_certificate_date\": \"2023-03-01\", " SIZE_OK "}",
            2023);
    check_exempt(r, "40000.00", "60000.00", "-40000.00");
    fisc_result_free(r);
}

/* Item 80: a designated industrial enterprise, five years from main business first at 60% of revenue. */
static void industrial_item_80(void **state)
{
    fisc_result *r;

    (void)state;
    /* standard rate: 1000万 × 25% = 250万; 40% = 100万 */
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2021-03-01\", "
            "\"beibu_designated_industrial\": true, \"beibu_industrial_start_year\": 2022, " LARGE "}",
            2026);
    check_exempt(r, "1000000.00", "1500000.00", "-1000000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "1500000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "1000000.00");
    fisc_result_free(r);
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2021-03-01\", "
            "\"beibu_designated_industrial\": true, \"beibu_industrial_start_year\": 2022, " LARGE "}",
            2027);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
}

/* 桂财税〔2023〕5号: unfinished earlier exemptions continue from 2021; 三(一) for 西部大开发 in 2021-2025. */
static void transitional_rules(void **state)
{
    static const char used3[] = "{\"taxable_income\": 10000000, \"registered_in_yulin\": true, "
                                "\"registration_date\": \"2016-04-01\", \"beibu_exempt_years_used_earlier\": 3, " LARGE
                                "}";
    static const char west[] = "{\"taxable_income\": 10000000, \"registered_in_yulin\": true, "
                               "\"registration_date\": \"2018-04-01\", \"beibu_exempt_years_used_earlier\": 0, "
                               "\"west_catalogue_revenue_share\": \"60%\", \"west_first_qualifying_year\": 2021, " LARGE
                               "}";
    fisc_result *r;

    (void)state;
    /* three years used before 2021: two more, 2021 and 2022 (standard rate: 250万 × 40%) */
    r = run(used3, 2022);
    check_exempt(r, "1000000.00", "1500000.00", "-1000000.00");
    assert_string_equal(fisc_test_condition(beibu(r), "beibu.transition")->detail,
                        "3 years used before; exempt in 2021-2022; 2022 is within");
    assert_false(beibu(r)->provisional); /* the UNCONFIRMED new-registration year did not decide: not read */
    fisc_result_free(r);
    r = run(used3, 2023);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
    /* set up in 2018, never exempted, 西部大开发 from 2021: 2021-2025 (西部大开发 tax 150万 × 40%) */
    r = run(west, 2025);
    check_exempt(r, "600000.00", "900000.00", "-600000.00");
    fisc_result_free(r);
    r = run(west, 2026);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
    /* set up in 2013: neither new nor transitional */
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2013-12-31\", "
            LARGE "}",
            2023);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
}

/* The relief is rounded once (half up to 分), and the tax paid is the rest. */
static void rounding_and_quarters(void **state)
{
    fisc_result *r;

    (void)state;
    /* 8230.47 × 15% = 1234.5705 → 1234.57; × 40% = 493.828 → 493.83; 1234.57 − 493.83 = 740.74 */
    r = run("{\"taxable_income\": \"8230.47\", " NEW_HNTE "}", 2023);
    check_exempt(r, "493.83", "740.74", "-493.83");
    fisc_result_free(r);
    /* prepayment to the second quarter: cumulative 500万 → 75万 → 30万 exempt */
    r = fisc_test_evaluate(policy, "{\"taxable_income\": 5000000, " NEW_HNTE "}", 2023, 2, 1);
    check_exempt(r, "300000.00", "450000.00", "-300000.00");
    fisc_result_free(r);
}

/* Outside the zone, unknown facts, and an undetermined cn.cit. */
static void not_in_zone_and_unknowns(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run("{\"taxable_income\": 10000000, \"registered_in_beibu_zone\": false, \"hnte_certificate_date\": "
            "\"2023-03-01\", " LARGE "}",
            2023);
    it = beibu(r);
    check_not_exempt(r, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
    /* zone known, registration date not */
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"hnte_certificate_date\": \"2023-03-01\", "
            LARGE "}",
            2023);
    it = beibu(r);
    check_not_exempt(r, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "registration_date");
    fisc_result_free(r);
    /* an HNTE newly registered, first revenue unknown; not industrial */
    r = run("{\"taxable_income\": 10000000, \"registered_in_yulin\": true, \"registration_date\": \"2022-01-01\", "
            "\"hnte_certificate_date\": \"2023-03-01\", \"beibu_designated_industrial\": false, " LARGE "}",
            2023);
    it = beibu(r);
    check_not_exempt(r, FISC_OUTCOME_UNDETERMINED);
    assert_string_equal(it->missing[0], "first_main_business_revenue_year");
    fisc_result_free(r);
    /* cn.cit undetermined (industry_restricted missing): so is the exemption, and it counts in no total */
    r = run("{\"taxable_income\": 2000000, \"employees_average\": 100, \"assets_average\": 10000000, "
            "\"registered_in_yulin\": true, \"registration_date\": \"2022-05-01\", "
            "\"first_main_business_revenue_year\": 2022, \"hnte_certificate_date\": \"2023-03-01\"}",
            2023);
    assert_int_equal(fisc_result_find(r, "cn.cit")->outcome, FISC_OUTCOME_UNDETERMINED);
    check_not_exempt(r, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(fisc_test_condition(beibu(r), "cit.tax")->state, FISC_COND_UNKNOWN);
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "0.00");
    fisc_result_free(r);
}

/* The bundled policy gives the same exemption. */
static void bundled_policy(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_evaluate(bundled, "{\"taxable_income\": 10000000, " NEW_HNTE "}", 2023, 0, 1);
    check_exempt(r, "600000.00", "900000.00", "-600000.00");
    fisc_result_free(r);
}

/*
 * A summary evaluation (what fisc batch asks for) still records the cn.cit amounts this program
 * reads (tax, tax_hnte ...), so its exemption is the same; a policy without it records of cn.cit's
 * route taxes only the first it publishes (tax_standard), and tax.
 */
static void summary_keeps_what_it_reads(void **state)
{
    static const char *const rows[] = {
        "{\"taxable_income\": 10000000, " NEW_HNTE "}",
        "{\"taxable_income\": \"8230.47\", " NEW_HNTE "}",
        "{\"taxable_income\": 2800000, \"registered_in_yulin\": true, \"registration_date\": \"2022-05-01\", "
        "\"first_main_business_revenue_year\": 2022, " SIZE_OK "}",
        "{\"taxable_income\": 10000000, \"west_catalogue_revenue_share\": \"75%\", \"west_region\": true, " NEW_HNTE "}",
        "{\"income_before_rd_extra_and_losses\": 10000000, \"loss_y1\": 2500000.5, " NEW_HNTE "}",
    };
    fisc_policy *national = fisc_test_load_files(dir, "10-national.yaml");
    fisc_result *r;

    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        for (int quarter = 0; quarter <= 4; quarter += 2) {
            fisc_test_same_untraced(policy, rows[i], 2023, quarter);
            fisc_test_same_untraced(bundled, rows[i], 2023, quarter);
            fisc_test_same_untraced(national, rows[i], 2023, quarter);
        }
    r = fisc_test_evaluate(policy, rows[0], 2023, 0, FISC_TEST_SUMMARY);
    assert_int_equal(beibu(r)->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(beibu(r), "relief", "600000.00"); /* counted: recorded */
    assert_item_amount(beibu(r), "tax_payable_adjustment", "-600000.00");
    assert_item_amount(fisc_test_item(r, "cn.cit"), "tax_hnte", "1500000.00");
    assert_int_equal(beibu(r)->condition_count, 0);
    fisc_result_free(r);
    r = fisc_test_evaluate(national, rows[0], 2023, 0, FISC_TEST_SUMMARY);
    assert_item_amount(fisc_test_item(r, "cn.cit"), "tax", "1500000.00");
    assert_null(fisc_test_amount_named(fisc_test_item(r, "cn.cit"), "tax_hnte"));
    fisc_result_free(r);
    fisc_policy_free(national);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we16_new_hnte_in_yulin),   cmocka_unit_test(five_year_window),
        cmocka_unit_test(registration_2020_2021),   cmocka_unit_test(not_before_2021),
        cmocka_unit_test(small_micro_item_82),      cmocka_unit_test(industrial_item_80),
        cmocka_unit_test(transitional_rules),       cmocka_unit_test(rounding_and_quarters),
        cmocka_unit_test(not_in_zone_and_unknowns), cmocka_unit_test(bundled_policy),
        cmocka_unit_test(summary_keeps_what_it_reads),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("beibu_cit_local_share", tests, group_setup, group_teardown);
}
