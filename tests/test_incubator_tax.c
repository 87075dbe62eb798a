/*
 * Golden tests of cn.incubator_tax on the bundled policy: policy-params.md §9 WE-14 (a provincial
 * university science park's land-use tax, 15,000元 for 2023 Q3), the recognition-level gating,
 * the start rules (recognized on or before 2018-12-31 / from 2019-01-01; the month after
 * recognition), the last day of a recognition (the month after a cancellation), the documents'
 * boundaries (2021/2022, 2023/2024, the end after 2027-12-31), the three taxes with the
 * separate-accounting condition of the VAT exemption, rounding by months, and missing facts.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 14-national-incubators.yaml alone: years no other program covers */
static const char *dir;

#define PROGRAM "cn.incubator_tax"

/* WE-14: a provincial university science park, 3000㎡ at 20元/㎡ a year. */
#define WE14 "\"incubator_carrier\": \"university_science_park\", \"incubator_level\": \"provincial\", " \
             "\"incubator_land_area\": 3000, \"incubator_land_tax_per_sqm\": 20"

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "14-national-incubators.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    return 0;
}

/* The program's item. */
#define item_of(r) fisc_test_item((r), PROGRAM)

/* The outcome, and when eligible the total relief to the 分 (with and without the explanation). */
static void check_with(const fisc_policy *p, const char *facts, int year, int quarter, int outcome, const char *relief)
{
    char json[1024];

    snprintf(json, sizeof(json), "{%s}", facts);
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, year, quarter, trace);
        const fisc_item *it = item_of(r);

        if (it->outcome != outcome)
            fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome,
                     it->summary_en);
        if (relief) {
            assert_non_null(fisc_test_amount(it, "relief"));
            assert_decimal_places(fisc_test_amount(it, "relief"), 2, relief);
            assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, relief);
        } else
            assert_null(fisc_test_amount(it, "relief"));
        assert_false(it->provisional);
        fisc_result_free(r);
    }
}

static void check(const char *facts, int year, int quarter, int outcome, const char *relief)
{
    check_with(bundle, facts, year, quarter, outcome, relief);
}

/* An enterprise that runs no carrier is not concerned: not eligible, and no facts are asked for. */
static void no_carrier_is_not_concerned(void **state)
{
    fisc_result *r;

    (void)state;
    check("\"incubator_carrier\": \"none\"", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    r = fisc_test_evaluate(bundle, "{\"incubator_carrier\": \"none\"}", 2023, 0, 1);
    assert_int_equal(item_of(r)->missing_count, 0);
    assert_string_equal(item_of(r)->conditions[0].detail, "incubator_carrier = none");
    fisc_result_free(r);
}

/* WE-14: 3000 × 20 / 4 = 15,000元 for 2023 Q3; the year is 60,000. */
static void we14_science_park_land(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\"", 2023, 3, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\"", 2023, 0, FISC_OUTCOME_ELIGIBLE, "60000.00");
    r = fisc_test_evaluate(bundle, "{" WE14 ", \"incubator_recognition_date\": \"2020-05-10\"}", 2023, 3, 1);
    it = item_of(r);
    assert_decimal_places(fisc_test_amount(it, "relief_land_use_tax"), 2, "15000.00");
    assert_null(fisc_test_amount(it, "relief_property_tax")); /* not given: not computed */
    assert_string_equal(it->steps[0].result, "60000");
    assert_string_equal(it->steps[0].substituted, "3000 × 20");
    assert_string_equal(it->steps[1].substituted, "60000 × 100% × 3 / 12");
    assert_string_equal(it->steps[1].result, "15000");
    assert_string_equal(fisc_test_param(it, "incubator.exemption.land_use_tax")->document,
                        "财政部 税务总局公告2022年第4号（财税〔2018〕120号执行期限延长至2023年12月31日）");
    assert_int_equal(fisc_test_condition(it, "incubator.carrier")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_condition(it, "incubator.months")->state, FISC_COND_MET);
    assert_non_null(strstr(it->summary_zh, "15000.00"));
    fisc_result_free(r);
    /* the yearly land-use tax may be given as an amount instead */
    check("\"incubator_carrier\": \"university_science_park\", \"incubator_level\": \"provincial\", "
          "\"incubator_recognition_date\": \"2020-05-10\", \"incubator_land_tax\": 60000",
          2023, 3, FISC_OUTCOME_ELIGIBLE, "15000.00");
}

/* 国家级/省级 incubators and parks, 国家备案 maker spaces; not 省级 maker spaces nor city or county. */
static void recognition_levels(void **state)
{
    static const struct {
        const char *carrier, *level;
        int outcome;
    } cases[] = {
        { "incubator", "national", FISC_OUTCOME_ELIGIBLE },
        { "incubator", "provincial", FISC_OUTCOME_ELIGIBLE },
        { "incubator", "city", FISC_OUTCOME_NOT_ELIGIBLE },
        { "university_science_park", "national", FISC_OUTCOME_ELIGIBLE },
        { "university_science_park", "provincial", FISC_OUTCOME_ELIGIBLE },
        { "university_science_park", "county", FISC_OUTCOME_NOT_ELIGIBLE },
        { "maker_space", "national", FISC_OUTCOME_ELIGIBLE },
        { "maker_space", "provincial", FISC_OUTCOME_NOT_ELIGIBLE },
        { "maker_space", "city", FISC_OUTCOME_NOT_ELIGIBLE },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char facts[512];

        snprintf(facts, sizeof(facts),
                 "\"incubator_carrier\": \"%s\", \"incubator_level\": \"%s\", "
                 "\"incubator_recognition_date\": \"2021-03-15\", \"incubator_property_tax\": 120000",
                 cases[i].carrier, cases[i].level);
        check(facts, 2023, 0, cases[i].outcome, cases[i].outcome == FISC_OUTCOME_ELIGIBLE ? "120000.00" : NULL);
    }
    /* a city carrier is out whatever its kind: its kind is not asked for */
    check("\"incubator_level\": \"city\"", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
}

/* From the month after recognition: recognized on a quarter's last day or the next quarter's first. */
static void month_after_recognition(void **state)
{
    (void)state;
    check(WE14 ", \"incubator_recognition_date\": \"2023-06-30\"", 2023, 2, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    check(WE14 ", \"incubator_recognition_date\": \"2023-06-30\"", 2023, 3, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2023-07-01\"", 2023, 3, FISC_OUTCOME_ELIGIBLE, "10000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2023-09-30\"", 2023, 3, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    check(WE14 ", \"incubator_recognition_date\": \"2023-09-30\"", 2023, 4, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2023-09-30\"", 2023, 0, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2023-12-31\"", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    /* recognized after the period: nothing yet */
    check(WE14 ", \"incubator_recognition_date\": \"2024-02-01\"", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
}

/*
 * On or before 2018-12-31 only national incubators and university science parks are covered, from
 * 2019-01-01; from 2019-01-01 every qualifying carrier, from the month after.
 */
static void recognized_before_2019(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2018-12-31\", \"incubator_land_tax\": 60000",
          2019, 0, FISC_OUTCOME_ELIGIBLE, "60000.00");
    check("\"incubator_carrier\": \"university_science_park\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2010-06-01\", \"incubator_land_tax\": 60000",
          2019, 1, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2019-01-01\", \"incubator_land_tax\": 60000",
          2019, 0, FISC_OUTCOME_ELIGIBLE, "55000.00");
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"provincial\", "
          "\"incubator_recognition_date\": \"2018-12-31\", \"incubator_land_tax\": 60000",
          2019, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"provincial\", "
          "\"incubator_recognition_date\": \"2019-01-01\", \"incubator_land_tax\": 60000",
          2019, 0, FISC_OUTCOME_ELIGIBLE, "55000.00");
    check("\"incubator_carrier\": \"maker_space\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2018-12-31\", \"incubator_land_tax\": 60000",
          2024, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    check("\"incubator_carrier\": \"maker_space\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2019-01-01\", \"incubator_land_tax\": 60000",
          2024, 0, FISC_OUTCOME_ELIGIBLE, "60000.00");
    /* still covered under 2023年第42号 */
    r = fisc_test_evaluate(bundle,
                           "{\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
                           "\"incubator_recognition_date\": \"2018-12-31\", \"incubator_land_tax\": 60000}",
                           2024, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_string_equal(fisc_test_param(it, "incubator.transition_year")->article, "四（第二款）");
    assert_string_equal(fisc_test_condition(it, "incubator.start")->detail,
                        "recognized 2018-12-31, before 2019-01-01: exempt from 2019-01");
    fisc_result_free(r);
    /* national and recognized before 2019: the kind decides, so it is asked for */
    r = fisc_test_evaluate(bundle,
                           "{\"incubator_level\": \"national\", \"incubator_recognition_date\": \"2018-12-31\", "
                           "\"incubator_land_tax\": 60000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "incubator_carrier");
    fisc_result_free(r);
    /* national and recognized later: any kind qualifies, the kind is not needed */
    check("\"incubator_level\": \"national\", \"incubator_recognition_date\": \"2021-12-31\", "
          "\"incubator_land_tax\": 60000",
          2022, 0, FISC_OUTCOME_ELIGIBLE, "60000.00");
}

/* The last day of a recognition: exempt to the month of the cancellation, not after. */
static void last_day_of_recognition(void **state)
{
    (void)state;
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\", \"incubator_status_end_date\": \"2023-06-30\"", 2023,
          2, FISC_OUTCOME_ELIGIBLE, "15000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\", \"incubator_status_end_date\": \"2023-06-30\"", 2023,
          3, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\", \"incubator_status_end_date\": \"2023-06-30\"", 2023,
          0, FISC_OUTCOME_ELIGIBLE, "30000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\", \"incubator_status_end_date\": \"2023-07-01\"", 2023,
          3, FISC_OUTCOME_ELIGIBLE, "5000.00");
    check(WE14 ", \"incubator_recognition_date\": \"2020-05-10\", \"incubator_status_end_date\": \"2022-12-31\"", 2023,
          0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    /* recognized and cancelled within one quarter: July to August */
    check(WE14 ", \"incubator_recognition_date\": \"2023-06-15\", \"incubator_status_end_date\": \"2023-08-31\"", 2023,
          3, FISC_OUTCOME_ELIGIBLE, "10000.00");
}

/* 2021-12-31 / 2022-01-01 and 2023-12-31 / 2024-01-01 change the document; the rules end 2027-12-31. */
static void document_boundaries(void **state)
{
    static const struct {
        int year, quarter;
        const char *document;
    } cases[] = {
        { 2019, 1, "财税〔2018〕120号" },
        { 2021, 4, "财税〔2018〕120号" },
        { 2022, 1, "财政部 税务总局公告2022年第4号（财税〔2018〕120号执行期限延长至2023年12月31日）" },
        { 2023, 4, "财政部 税务总局公告2022年第4号（财税〔2018〕120号执行期限延长至2023年12月31日）" },
        { 2024, 1, "财政部 税务总局 科技部 教育部公告2023年第42号" },
        { 2027, 4, "财政部 税务总局 科技部 教育部公告2023年第42号" },
    };
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r = fisc_test_evaluate(bundle, "{\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
                                       "\"incubator_recognition_date\": \"2018-05-10\", \"incubator_land_area\": 3000, "
                                       "\"incubator_land_tax_per_sqm\": 20, \"incubator_property_tax\": 120000, "
                                       "\"incubator_service_vat\": 1000, \"incubator_separate_accounting\": true}",
                               cases[i].year, cases[i].quarter, 1);
        it = item_of(r);
        assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
        assert_decimal_places(fisc_test_amount(it, "relief_land_use_tax"), 2, "15000.00");
        assert_decimal_places(fisc_test_amount(it, "relief_property_tax"), 2, "30000.00");
        assert_decimal_places(fisc_test_amount(it, "relief_vat"), 2, "1000.00");
        assert_decimal_places(fisc_test_amount(it, "relief"), 2, "46000.00");
        assert_string_equal(fisc_test_param(it, "incubator.exemption.land_use_tax")->document, cases[i].document);
        assert_string_equal(fisc_test_param(it, "incubator.exemption.property_tax")->document, cases[i].document);
        assert_string_equal(fisc_test_param(it, "incubator.exemption.vat")->document, cases[i].document);
        assert_int_equal(fisc_test_param(it, "incubator.exemption.vat")->evidence, FISC_EVIDENCE_CONFIRMED);
        fisc_result_free(r);
    }
    check_with(own, WE14 ", \"incubator_recognition_date\": \"2020-05-10\"", 2027, 0, FISC_OUTCOME_ELIGIBLE,
               "60000.00");
    /* after 2027-12-31 and before 2019-01-01: no rule in force, no facts asked */
    for (int year = 2018; year <= 2028; year += 10) {
        r = fisc_test_evaluate(own, "{}", year, year == 2028 ? 1 : 0, 1);
        it = item_of(r);
        assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
        assert_int_equal(it->missing_count, 0);
        assert_int_equal(it->param_count, 0);
        assert_int_equal(fisc_test_condition(it, "incubator.in_force")->state, FISC_COND_NOT_MET);
        fisc_result_free(r);
    }
}

/* All three taxes; VAT only with separate accounting. */
static void three_taxes_and_separate_accounting(void **state)
{
    static const char base[] = "\"incubator_carrier\": \"incubator\", \"incubator_level\": \"provincial\", "
                               "\"incubator_recognition_date\": \"2020-05-10\", \"incubator_property_tax\": 120000, "
                               "\"incubator_land_area\": 3000, \"incubator_land_tax_per_sqm\": 20, "
                               "\"incubator_service_vat\": \"8000.50\"";
    char facts[1024];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    snprintf(facts, sizeof(facts), "{%s, \"incubator_separate_accounting\": true}", base);
    r = fisc_test_evaluate(bundle, facts, 2024, 3, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_decimal_places(fisc_test_amount(it, "relief_property_tax"), 2, "30000.00");
    assert_decimal_places(fisc_test_amount(it, "relief_land_use_tax"), 2, "15000.00");
    assert_decimal_places(fisc_test_amount(it, "relief_vat"), 2, "8000.50");
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "53000.50");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "53000.50"); /* components inform */
    assert_int_equal(fisc_test_condition(it, "incubator.separate_accounting")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_param(it, "incubator.exemption.vat")->article, "一");
    fisc_result_free(r);
    /* not accounted for separately: the VAT stays due, the property taxes are still exempt */
    snprintf(facts, sizeof(facts), "%s, \"incubator_separate_accounting\": false", base);
    check(facts, 2024, 3, FISC_OUTCOME_ELIGIBLE, "45000.00");
    /* unknown: the answer depends on it */
    snprintf(facts, sizeof(facts), "{%s}", base);
    r = fisc_test_evaluate(bundle, facts, 2024, 3, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "incubator_separate_accounting");
    assert_null(fisc_test_amount(it, "relief"));
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), "0");
    fisc_result_free(r);
    /* VAT alone, not accounted for separately: nothing is exempt */
    check("\"incubator_carrier\": \"maker_space\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2020-05-10\", \"incubator_service_vat\": 900, "
          "\"incubator_separate_accounting\": false",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL);
    /* no VAT due: separate accounting does not matter */
    check("\"incubator_carrier\": \"maker_space\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2020-05-10\", \"incubator_service_vat\": 0",
          2023, 0, FISC_OUTCOME_ELIGIBLE, "0.00");
}

/* Months of a yearly amount that does not divide: each tax rounded once, half up, then added. */
static void rounding_by_months(void **state)
{
    (void)state;
    /* 1000 × 1 / 12 = 83.333…; 1000 × 2 / 12 = 166.666… */
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2023-08-20\", \"incubator_land_tax\": 1000",
          2023, 3, FISC_OUTCOME_ELIGIBLE, "83.33");
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2023-07-20\", \"incubator_land_tax\": 1000",
          2023, 3, FISC_OUTCOME_ELIGIBLE, "166.67");
    /* 166.67 + 166.67, not 333.333… → 333.33 */
    check("\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
          "\"incubator_recognition_date\": \"2023-07-20\", \"incubator_land_tax\": 1000, "
          "\"incubator_property_tax\": 1000",
          2023, 3, FISC_OUTCOME_ELIGIBLE, "333.34");
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle, "{}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 3);
    assert_string_equal(it->missing[0], "incubator_level");
    assert_string_equal(it->missing[1], "incubator_carrier");
    assert_string_equal(it->missing[2], "incubator_recognition_date");
    assert_int_equal(fisc_test_condition(it, "incubator.carrier")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
    /* qualifying and in the period, but no tax amount to exempt */
    r = fisc_test_evaluate(bundle, "{\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
                                   "\"incubator_recognition_date\": \"2020-05-10\"}",
                           2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 3);
    assert_string_equal(it->missing[0], "incubator_property_tax");
    assert_string_equal(it->missing[1], "incubator_land_tax");
    assert_string_equal(it->missing[2], "incubator_service_vat");
    fisc_result_free(r);
    /* an area without the amount per ㎡ is not a land-use tax */
    r = fisc_test_evaluate(bundle, "{\"incubator_carrier\": \"incubator\", \"incubator_level\": \"national\", "
                                   "\"incubator_recognition_date\": \"2020-05-10\", \"incubator_land_area\": 3000}",
                           2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_UNDETERMINED);
    fisc_result_free(r);
}

/* Every allocation failure in an evaluation of this program alone, explained, and in its JSON and text,
 * gives FISC_ENOMEM cleanly. */
static void oom_sweep(void **state)
{
    static const char json[] = "{\"incubator_carrier\": \"incubator\", \"incubator_level\": \"provincial\", "
        "\"incubator_recognition_date\": \"2023-07-20\", \"incubator_property_tax\": 120000, "
        "\"incubator_land_area\": 3000, \"incubator_land_tax_per_sqm\": 20, \"incubator_service_vat\": 1000, "
        "\"incubator_separate_accounting\": true}";
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own, json, 2023, 3, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we14_science_park_land),
        cmocka_unit_test(recognition_levels),
        cmocka_unit_test(month_after_recognition),
        cmocka_unit_test(recognized_before_2019),
        cmocka_unit_test(last_day_of_recognition),
        cmocka_unit_test(document_boundaries),
        cmocka_unit_test(three_taxes_and_separate_accounting),
        cmocka_unit_test(rounding_by_months),
        cmocka_unit_test(missing_facts),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(no_carrier_is_not_concerned),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("incubator_tax", tests, group_setup, group_teardown);
}
