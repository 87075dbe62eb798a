/*
 * Golden tests of cn.six_taxes on the bundled policy (policy-params.md §4.6, §3.6): the halving by
 * period and taxpayer class, with each date boundary (2018-12-31 / 2019-01-01, 2021-12-31 /
 * 2022-01-01 when 小型微利企业 and 个体工商户 join, 2022-12-31 / 2023-01-01 when Guangxi's unconfirmed
 * ratio gives way to the national 50%, 2027-12-31 / 2028-01-01), the 小型微利 windows that follow
 * the annual settlement (2022年第3号 一: 30 June / 1 July), a newly set-up enterprise at exactly
 * 300 people and 5000万元 and one 分 above, stacking with other reductions (unconfirmed order, and
 * the other reading through an overlay), per-tax rounding, missing and inconsistent facts, and the
 * provisional flag wherever an unconfirmed parameter is used.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static const char *dir;

#define PROGRAM "cn.six_taxes"
/* 1350.50 of taxes before relief */
#define TAXES                                                                                                         \
    "\"city_maintenance_tax\": 700, \"education_surcharge\": 300, \"local_education_surcharge\": 200, "              \
    "\"stamp_duty\": \"150.50\""
#define SMALL_SCALE "\"vat_small_scale_taxpayer\": true"
#define GENERAL "\"vat_small_scale_taxpayer\": false, \"individual_business\": false"

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

/* The bundled policy, with the explanation; the program's item. */
#define evaluate(json, year, quarter) fisc_test_evaluate(bundle, (json), (year), (quarter), 1)
#define item_of(r) fisc_test_item((r), PROGRAM)

/* Outcome, choice, relief, payable and the provisional flag of one evaluation. */
static void check(const char *json, int year, int quarter, int outcome, const char *choice, const char *relief,
                  const char *payable, int provisional)
{
    fisc_result *r = evaluate(json, year, quarter);
    const fisc_item *it = item_of(r);

    if (it->outcome != outcome)
        fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome,
                 it->summary_en);
    assert_string_equal(it->choice, choice);
    assert_non_null(fisc_test_amount(it, "relief"));
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, relief);
    assert_decimal_places(fisc_test_amount(it, "payable"), 2, payable);
    if (it->provisional != provisional)
        fail_msg("%s in %d Q%d: provisional %d, expected %d", json, year, quarter, it->provisional, provisional);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/* The national 50% (2023-2027), per tax and in total. */
static void halving_2023_to_2027(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    for (int year = 2023; year <= 2027; year++)
        check("{" SMALL_SCALE ", " TAXES "}", year, 2, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 0);
    r = evaluate("{" SMALL_SCALE ", " TAXES "}", 2024, 1);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "relief_city_maintenance_tax"), 2, "350.00");
    assert_decimal_places(fisc_test_amount(it, "relief_education_surcharge"), 2, "150.00");
    assert_decimal_places(fisc_test_amount(it, "relief_local_education_surcharge"), 2, "100.00");
    assert_decimal_places(fisc_test_amount(it, "relief_stamp_duty"), 2, "75.25");
    assert_null(fisc_test_amount(it, "relief_resource_tax")); /* not given: no component */
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "675.25");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), 2, "675.25");
    assert_string_equal(fisc_test_param(it, "six_taxes.ratio.national")->value, "50%");
    assert_null(fisc_test_find_param(it, "six_taxes.ratio.province"));
    assert_false(fisc_result_provisional(r));
    fisc_result_free(r);
}

/* Guangxi's ratio of 2019-2022 is unconfirmed: every result using it is provisional. */
static void guangxi_ratio_is_provisional(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{" SMALL_SCALE ", " TAXES "}", 2021, 4);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "675.25");
    assert_true(it->provisional);
    assert_true(fisc_result_provisional(r));
    assert_int_equal(fisc_test_param(it, "six_taxes.ratio.province")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_int_equal(fisc_test_param(it, "six_taxes.ratio.ceiling")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_string_equal(it->steps[0].id, "ratio");
    assert_string_equal(it->steps[0].substituted, "50% ≤ 50%");
    fisc_result_free(r);
    /* not eligible: the ratio is not used, the result is not provisional */
    check("{" GENERAL ", " TAXES "}", 2021, 4, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
}

/* 2018-12-31 / 2019-01-01 and 2027-12-31 / 2028-01-01: outside the relief, nothing is relieved. */
static void start_and_end(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("{" SMALL_SCALE ", " TAXES "}", 2018, 4, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    check("{" SMALL_SCALE ", " TAXES "}", 2019, 1, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 1);
    check("{" SMALL_SCALE ", " TAXES "}", 2027, 4, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 0);
    check("{" SMALL_SCALE ", " TAXES "}", 2028, 1, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    r = evaluate("{" TAXES "}", 2028, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE); /* no class fact needed then */
    assert_int_equal(fisc_test_condition(it, "six_taxes.in_force")->state, FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "six_taxes.in_force")->detail, "no rule in force on 2028-03-31");
    fisc_result_free(r);
}

/* 2021-12-31 / 2022-01-01: 个体工商户 and 小型微利企业 join the 小规模纳税人. */
static void classes_from_2022(void **state)
{
    fisc_result *r;

    (void)state;
    check("{\"vat_small_scale_taxpayer\": false, \"individual_business\": true, " TAXES "}", 2021, 4,
          FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    check("{\"vat_small_scale_taxpayer\": false, \"individual_business\": true, " TAXES "}", 2022, 1,
          FISC_OUTCOME_ELIGIBLE, "individual_business", "675.25", "675.25", 1);
    check("{" GENERAL ", \"small_micro_settled_two_years_ago\": true, " TAXES "}", 2021, 4, FISC_OUTCOME_NOT_ELIGIBLE,
          "", "0.00", "1350.50", 0);
    check("{" GENERAL ", \"small_micro_settled_two_years_ago\": true, " TAXES "}", 2022, 1, FISC_OUTCOME_ELIGIBLE,
          "small_micro", "675.25", "675.25", 1);
    r = evaluate("{" GENERAL ", " TAXES "}", 2021, 4);
    assert_int_equal(fisc_test_condition(item_of(r), "six_taxes.classes")->state, FISC_COND_NOT_MET);
    assert_null(fisc_test_find_condition(item_of(r), "six_taxes.individual_business")); /* not asked in 2021 */
    fisc_result_free(r);
    /* a 小规模纳税人 qualifies whatever else it is: nothing more is asked */
    r = evaluate("{" SMALL_SCALE ", " TAXES "}", 2022, 3);
    assert_null(fisc_test_find_condition(item_of(r), "six_taxes.individual_business"));
    assert_string_equal(item_of(r)->choice, "small_scale");
    fisc_result_free(r);
}

/* 2022-12-31 / 2023-01-01: from Guangxi's (unconfirmed) ratio to the national 50%. */
static void boundary_2023(void **state)
{
    (void)state;
    check("{" SMALL_SCALE ", " TAXES "}", 2022, 4, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 1);
    check("{" SMALL_SCALE ", " TAXES "}", 2023, 1, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 0);
    check("{" SMALL_SCALE ", " TAXES "}", 2022, 0, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 1);
    check("{" SMALL_SCALE ", " TAXES "}", 2023, 0, FISC_OUTCOME_ELIGIBLE, "small_scale", "675.25", "675.25", 0);
}

/* The settlement filed in year Y decides from 1 July of Y to 30 June of Y+1 (2022年第3号 一(一)). */
static void settlement_windows(void **state)
{
    static const char *const changed = "{" GENERAL ", \"small_micro_settled_two_years_ago\": false, "
                                       "\"small_micro_settled_last_year\": true, " TAXES "}";
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 30 June: the 2021 settlement (filed in 2022) still decides; 1 July: the 2022 one */
    check(changed, 2023, 2, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    check(changed, 2023, 3, FISC_OUTCOME_ELIGIBLE, "small_micro", "675.25", "675.25", 0);
    r = evaluate(changed, 2023, 2);
    it = item_of(r);
    assert_string_equal(fisc_test_condition(it, "six_taxes.small_micro")->detail,
                        "by the annual settlement of tax year 2021 (in force 2022-07-01 to 2023-06-30): no");
    fisc_result_free(r);
    r = evaluate(changed, 2023, 3);
    assert_string_equal(fisc_test_condition(item_of(r), "six_taxes.small_micro")->detail,
                        "by the annual settlement of tax year 2022 (in force 2023-07-01 to 2024-06-30): yes");
    fisc_result_free(r);
    /* the year as a whole: the halves differ, so it is undetermined */
    r = evaluate(changed, 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 0);
    assert_null(fisc_test_amount(it, "relief"));
    fisc_result_free(r);
    check("{" GENERAL ", \"small_micro_settled_two_years_ago\": true, \"small_micro_settled_last_year\": true, " TAXES
          "}",
          2023, 0, FISC_OUTCOME_ELIGIBLE, "small_micro", "675.25", "675.25", 0);
    /* only the settlement that decides is asked for */
    r = evaluate("{" GENERAL ", " TAXES "}", 2023, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "small_micro_settled_two_years_ago");
    fisc_result_free(r);
    r = evaluate("{" TAXES "}", 2023, 4);
    it = item_of(r);
    assert_int_equal(it->missing_count, 3);
    assert_string_equal(it->missing[0], "vat_small_scale_taxpayer");
    assert_string_equal(it->missing[1], "individual_business");
    assert_string_equal(it->missing[2], "small_micro_settled_last_year");
    fisc_result_free(r);
    /* a newly set-up enterprise whose first settlement is filed: it decides at once */
    check("{" GENERAL ", \"small_micro_settlement_stage\": \"after_first\", \"small_micro_settled_last_year\": true, "
          TAXES "}",
          2023, 2, FISC_OUTCOME_ELIGIBLE, "small_micro", "675.25", "675.25", 0);
}

/* Before its first settlement: 300 people and 5000万元 at the end of the month before the declaration. */
static void new_enterprise_limits(void **state)
{
    static const char *const base = "{" GENERAL ", \"small_micro_settlement_stage\": \"before_first\", "
                                    "\"industry_restricted\": false, " TAXES;
    char json[1024];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    snprintf(json, sizeof(json), "%s, \"employees_before_declaration\": 300, \"assets_before_declaration\": 50000000}",
             base);
    check(json, 2024, 1, FISC_OUTCOME_ELIGIBLE, "small_micro", "675.25", "675.25", 0);
    r = evaluate(json, 2024, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_condition(it, "small_micro.assets")->detail, "50000000 ≤ 50000000");
    assert_string_equal(fisc_test_condition(it, "small_micro.employees")->detail, "300 ≤ 300");
    fisc_result_free(r);
    snprintf(json, sizeof(json),
             "%s, \"employees_before_declaration\": 300, \"assets_before_declaration\": \"50000000.01\"}", base);
    check(json, 2024, 1, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    snprintf(json, sizeof(json), "%s, \"employees_before_declaration\": 301, \"assets_before_declaration\": 50000000}",
             base);
    check(json, 2024, 1, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    check("{" GENERAL ", \"small_micro_settlement_stage\": \"before_first\", \"industry_restricted\": true, "
          "\"employees_before_declaration\": 10, \"assets_before_declaration\": 10, " TAXES "}",
          2024, 1, FISC_OUTCOME_NOT_ELIGIBLE, "", "0.00", "1350.50", 0);
    snprintf(json, sizeof(json), "%s, \"employees_before_declaration\": 300}", base);
    r = evaluate(json, 2024, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "assets_before_declaration");
    fisc_result_free(r);
}

/* Other reductions first, then 50% of what remains (order unconfirmed: provisional). */
static void stacking(void **state)
{
    static const char overlay[] =
        "fisc_policy: 1\nid: scenario.gross\ntitle: {zh: 按应纳税额计算减征, en: Ratio on the gross tax}\n"
        "overlay: true\nparameters:\n  - id: six_taxes.after_other_reductions\n    values:\n"
        "      - {from: 2023-01-01, to: 2027-12-31, value: no, status: unconfirmed, citation: {document: 假设方案}}\n";
    static const char *const facts = "{" SMALL_SCALE ", \"property_tax\": 1000, \"property_tax_other_relief\": 700}";
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_result *r;
    const fisc_item *it;
    char path[64];
    FILE *f;

    (void)state;
    check(facts, 2023, 1, FISC_OUTCOME_ELIGIBLE, "small_scale", "150.00", "150.00", 1); /* (1000 − 700) × 50% */
    r = evaluate(facts, 2023, 1);
    it = item_of(r);
    assert_int_equal(fisc_test_param(it, "six_taxes.after_other_reductions")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_string_equal(it->steps[0].id, "ratio");
    assert_string_equal(it->steps[1].substituted, "300 × 50%");
    fisc_result_free(r);
    /* an other reduction of 0 changes nothing and asks for no unconfirmed parameter */
    check("{" SMALL_SCALE ", \"property_tax\": 1000, \"property_tax_other_relief\": 0}", 2023, 1,
          FISC_OUTCOME_ELIGIBLE, "small_scale", "500.00", "500.00", 0);
    /* the other reading: 50% of the tax, at most what the other reduction leaves */
    snprintf(path, sizeof(path), "overlay-six-%d.yaml", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(overlay, f);
    fclose(f);
    assert_int_equal(setenv("FISC_POLICY_DIR", dir, 1), 0);
    assert_int_equal(fisc_policy_load_default(&p, path, &err), FISC_OK);
    remove(path);
    r = fisc_test_evaluate(p, facts, 2023, 1, 1);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "300.00"); /* min(500, 300) */
    assert_decimal_places(fisc_test_amount(it, "payable"), 2, "0.00");
    fisc_result_free(r);
    r = fisc_test_evaluate(p, "{" SMALL_SCALE ", \"property_tax\": 1000, \"property_tax_other_relief\": 400}", 2023, 1,
                           1);
    assert_decimal_places(fisc_test_amount(item_of(r), "relief"), 2, "500.00"); /* min(500, 600) */
    assert_decimal_places(fisc_test_amount(item_of(r), "payable"), 2, "100.00");
    fisc_result_free(r);
    fisc_policy_free(p);
}

/* Each tax's relief is rounded on its own, as each is declared on its own. */
static void per_tax_rounding(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("{" SMALL_SCALE ", \"stamp_duty\": \"0.05\", \"education_surcharge\": \"0.05\"}", 2023, 1,
          FISC_OUTCOME_ELIGIBLE, "small_scale", "0.06", "0.04", 0);
    r = evaluate("{" SMALL_SCALE ", \"stamp_duty\": \"0.05\", \"education_surcharge\": \"0.05\"}", 2023, 1);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "relief_stamp_duty"), 2, "0.03"); /* 0.025 half up */
    assert_decimal_places(fisc_test_amount(it, "relief_education_surcharge"), 2, "0.03");
    fisc_result_free(r);
    /* every one of the eight */
    check("{" SMALL_SCALE ", \"resource_tax\": 10, \"city_maintenance_tax\": 20, \"property_tax\": 30, "
          "\"urban_land_use_tax\": 40, \"stamp_duty\": 50, \"farmland_occupation_tax\": 60, "
          "\"education_surcharge\": 70, \"local_education_surcharge\": \"80.01\"}",
          2025, 3, FISC_OUTCOME_ELIGIBLE, "small_scale", "180.01", "180.00", 0); /* 40.005 → 40.01 */
}

static void missing_and_inconsistent(void **state)
{
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_item *it;

    (void)state;
    r = evaluate("{" SMALL_SCALE "}", 2023, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 8);
    assert_string_equal(it->missing[0], "resource_tax");
    assert_string_equal(it->missing[7], "local_education_surcharge");
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
    r = NULL;
    assert_int_equal(fisc_test_try_evaluate(&r, bundle,
                                            "{" SMALL_SCALE ", \"stamp_duty\": 10, \"stamp_duty_other_relief\": 11}",
                                            2023, 1, 1, &err),
                     FISC_EINVAL);
    assert_null(r);
    assert_non_null(strstr(err.text, "stamp_duty_other_relief is above stamp_duty"));
    assert_int_equal(fisc_test_try_evaluate(&r, bundle,
                                            "{" SMALL_SCALE ", \"stamp_duty\": 10, \"property_tax_other_relief\": 1}",
                                            2023, 1, 1, &err),
                     FISC_EINVAL);
}

/* The national layer needs a province's ratio for 2019-2022. */
static void needs_a_province_layer(void **state)
{
    char a[600], b[600];
    const char *files[2] = { a, b };
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    snprintf(a, sizeof(a), "%s/10-national.yaml", dir);
    snprintf(b, sizeof(b), "%s/13-national-six-taxes.yaml", dir);
    assert_int_equal(fisc_policy_load_files(&p, files, 2, NULL, &err), FISC_EPARSE);
    assert_non_null(strstr(err.text, "six_taxes.ratio.province"));
    assert_null(p);
}

/* Every allocation of an evaluation (with the explanation), its JSON and text fails once: FISC_ENOMEM, no leak. */
static void oom_sweep(void **state)
{
    static const char json[] = "{" GENERAL ", \"small_micro_settled_two_years_ago\": true, \"property_tax\": 1000, \"property_tax_other_relief\": 400, " TAXES "}";

    (void)state;
    fisc_result_free(fisc_test_oom_sweep(bundle, json, 2022, 2, 1));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(halving_2023_to_2027), cmocka_unit_test(guangxi_ratio_is_provisional),
        cmocka_unit_test(start_and_end),        cmocka_unit_test(classes_from_2022),
        cmocka_unit_test(boundary_2023),        cmocka_unit_test(settlement_windows),
        cmocka_unit_test(new_enterprise_limits), cmocka_unit_test(stacking),
        cmocka_unit_test(per_tax_rounding),     cmocka_unit_test(missing_and_inconsistent),
        cmocka_unit_test(needs_a_province_layer), cmocka_unit_test(oom_sweep),
    };

    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("six_taxes", tests, group_setup, group_teardown);
}
