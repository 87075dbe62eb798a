/*
 * Golden tests of cn.individual_income_halving on the bundled policy: the official worked examples
 * of policy-params.md §9 WE-11 (李某 2,250元; 吴某 314,750元 under the 200万 rule and 139,750元 under
 * the 100万 rule), the period boundaries (2020/2021, 2022/2023, the end after 2027, by year and by
 * quarter), the 100万 and 200万 thresholds (exactly, and one 分 above), a non-terminating share
 * rounded once, the floors at zero, missing facts, and the provisional flag of the unconfirmed scale.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 15-national-individual.yaml alone: years no other program covers */
static const char *dir;

#define PROGRAM "cn.individual_income_halving"

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "15-national-individual.yaml");
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

static void facts_json(char *buf, size_t size, const char *income, const char *other)
{
    snprintf(buf, size, "{\"individual_business_taxable_income\": \"%s\", \"individual_business_other_relief\": \"%s\"}",
             income, other);
}

/* An eligible evaluation: relief, tax before relief and tax after relief, to the 分. */
static void check(const fisc_policy *p, const char *income, const char *other, int year, int quarter,
                  const char *relief, const char *before, const char *tax)
{
    char json[256];
    fisc_result *r;
    const fisc_item *it;

    facts_json(json, sizeof(json), income, other);
    for (int trace = 0; trace <= 1; trace++) { /* the batch path (no explanation) gives the same amounts */
        r = fisc_test_evaluate(p, json, year, quarter, trace);
        it = item_of(r);
        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s / %s in %d Q%d: outcome %d (%s)", income, other, year, quarter, it->outcome, it->summary_en);
        assert_decimal_places(fisc_test_amount(it, "relief"), 2, relief);
        assert_decimal_places(fisc_test_amount(it, "tax_before_relief"), 2, before);
        assert_decimal_places(fisc_test_amount(it, "tax"), 2, tax);
        assert_int_equal(it->amounts[1].category, FISC_CATEGORY_TAX_RELIEF);
        assert_int_equal(it->amounts[2].category, FISC_CATEGORY_TAX_PAYABLE);
        assert_int_equal(it->amounts[0].category, -1);
        assert_true(it->provisional); /* the scale is unconfirmed */
        fisc_result_free(r);
    }
}

/* A year or quarter outside the halving: not eligible, no facts asked, nothing used. */
static void check_not_in_force(const fisc_policy *p, int year, int quarter)
{
    fisc_result *r = fisc_test_evaluate(p, "{\"individual_business_taxable_income\": 2400000}", year, quarter, 1);
    const fisc_item *it = item_of(r);

    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(it->param_count, 0);
    assert_false(it->provisional);
    assert_int_equal(fisc_test_condition(it, "halving.in_force")->state, FISC_COND_NOT_MET);
    assert_non_null(strstr(fisc_test_condition(it, "halving.in_force")->detail, "iit.business.halving.rate"));
    fisc_result_free(r);
}

/* WE-11 李某: [(80,000 × 10% − 1,500) − 2,000] × 50% = 2,250元, under both rules. */
/* A company (individual_business false) is not eligible, and no income facts are asked for. */
static void a_company_is_not_concerned(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_evaluate(bundle, "{\"individual_business\": false}", 2023, 0, 1);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(item_of(r)->missing_count, 0);
    assert_null(fisc_test_amount(item_of(r), "relief"));
    fisc_result_free(r);
}

static void we11_li(void **state)
{
    (void)state;
    check(bundle, "80000", "2000", 2021, 0, "2250.00", "6500.00", "2250.00");
    check(bundle, "80000", "2000", 2022, 0, "2250.00", "6500.00", "2250.00");
    check(bundle, "80000", "2000", 2023, 0, "2250.00", "6500.00", "2250.00");
    check(bundle, "80000", "2000", 2027, 0, "2250.00", "6500.00", "2250.00");
}

/*
 * WE-11 吴某, 200万 rule: [(2,000,000 × 35% − 65,500) − 6,000 × 2,000,000 / 2,400,000] × 50%
 * = (634,500 − 5,000) × 50% = 314,750元; the tax on 240万 is 774,500, so 774,500 − 6,000 − 314,750.
 */
static void we11_wu_200_wan(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check(bundle, "2400000", "6000", 2023, 0, "314750.00", "774500.00", "453750.00");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": 2400000, "
                                   "\"individual_business_other_relief\": 6000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "part")->result, "2000000");
    assert_string_equal(fisc_test_step(it, "tax.part")->result, "634500");
    assert_string_equal(fisc_test_step(it, "other.share")->result, "5000");
    assert_string_equal(fisc_test_step(it, "other.share")->substituted, "6000 × 2000000 / 2400000");
    assert_string_equal(fisc_test_step(it, "relief")->substituted, "(634500 − 5000) × 50%");
    assert_string_equal(fisc_test_step(it, "relief")->result, "314750");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), 2, "314750.00");
    assert_string_equal(fisc_test_param(it, "iit.business.halving.cap")->document,
                        "财政部 税务总局公告2023年第12号（征管：国家税务总局公告2023年第12号）");
    assert_string_equal(fisc_test_param(it, "iit.business.halving.cap")->from, "2023-01-01");
    fisc_result_free(r);
}

/* WE-11 吴某, 100万 rule (2021-2022): (284,500 − 6,000 × 1,000,000 / 1,200,000) × 50% = 139,750元. */
static void we11_wu_100_wan(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check(bundle, "1200000", "6000", 2021, 0, "139750.00", "354500.00", "208750.00");
    check(bundle, "1200000", "6000", 2022, 0, "139750.00", "354500.00", "208750.00");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": 1200000, "
                                   "\"individual_business_other_relief\": 6000}",
                           2022, 0, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "other.share")->result, "5000");
    assert_string_equal(fisc_test_step(it, "tax.part")->result, "284500");
    assert_string_equal(fisc_test_param(it, "iit.business.halving.cap")->article, "二");
    fisc_result_free(r);
    /* the same facts under the 200万 rule: the whole 120万 is halved */
    check(bundle, "1200000", "6000", 2023, 0, "174250.00", "354500.00", "174250.00");
}

/* 2020-12-31 / 2021-01-01; 2022-12-31 / 2023-01-01; the end after 2027-12-31. */
static void period_boundaries(void **state)
{
    (void)state;
    check_not_in_force(bundle, 2020, 0);
    check_not_in_force(bundle, 2020, 4);
    check(bundle, "2400000", "6000", 2021, 1, "141000.00", "774500.00", "627500.00"); /* 100万 from 2021-01-01 */
    check(bundle, "2400000", "6000", 2021, 0, "141000.00", "774500.00", "627500.00");
    check(bundle, "2400000", "6000", 2022, 4, "141000.00", "774500.00", "627500.00"); /* 100万 to 2022-12-31 */
    check(bundle, "2400000", "6000", 2023, 1, "314750.00", "774500.00", "453750.00"); /* 200万 from 2023-01-01 */
    check(bundle, "2400000", "6000", 2027, 4, "314750.00", "774500.00", "453750.00"); /* 200万 to 2027-12-31 */
    check(bundle, "2400000", "6000", 2027, 0, "314750.00", "774500.00", "453750.00");
    check_not_in_force(own, 2028, 1);
    check_not_in_force(own, 2028, 0);
    check_not_in_force(own, 2018, 0); /* before even the scale */
}

/* Exactly at the 100万 / 200万 caps, and one 分 above: the part halved stops at the cap. */
static void thresholds(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 2022, 100万: (284,500 − 6,000) × 50% = 139,250 */
    check(bundle, "1000000", "6000", 2022, 0, "139250.00", "284500.00", "139250.00");
    /* one 分 above: tax 284,500.0035; the share 6000 × 1000000 / 1000000.01 → relief 139,250.00003… */
    check(bundle, "1000000.01", "6000", 2022, 0, "139250.00", "284500.00", "139250.00");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": \"1000000.01\", "
                                   "\"individual_business_other_relief\": 0}",
                           2022, 0, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "part")->result, "1000000");
    assert_string_equal(fisc_test_step(it, "tax.full")->result, "284500.0035");
    assert_string_equal(fisc_test_step(it, "tax.part")->result, "284500");
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "142250.00");
    fisc_result_free(r);
    /* 2023, 200万: 634,500 × 50% = 317,250 */
    check(bundle, "2000000", "0", 2023, 0, "317250.00", "634500.00", "317250.00");
    check(bundle, "2000000.01", "0", 2023, 0, "317250.00", "634500.00", "317250.00");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": \"2000000.01\", "
                                   "\"individual_business_other_relief\": 0}",
                           2023, 0, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "part")->result, "2000000");
    assert_string_equal(fisc_test_step(it, "tax.full")->result, "634500.0035");
    fisc_result_free(r);
    /* 200万 under the 100万 rule: only 100万 is halved */
    check(bundle, "2000000", "0", 2022, 0, "142250.00", "634500.00", "492250.00");
}

/* The share of the other relief need not terminate: exact until the relief is rounded once. */
static void exact_share_rounded_once(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* 1000 × 2,000,000 / 2,100,000 = 952.38095…; (634,500 − 952.38095…) × 50% = 316,773.80952… */
    check(bundle, "2100000", "1000", 2023, 0, "316773.81", "669500.00", "351726.19");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": 2100000, "
                                   "\"individual_business_other_relief\": 1000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "other.share")->result, "20000/21");
    assert_string_equal(fisc_test_step(it, "relief")->result, "6652250/21");
    fisc_result_free(r);
}

/* Reliefs never go below zero; a loss has nothing to halve. */
static void floors_and_losses(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* other relief 7,000 above the 6,500 of tax: relief 0, tax 0 */
    check(bundle, "80000", "7000", 2023, 0, "0.00", "6500.00", "0.00");
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": -5000}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->missing_count, 0); /* the other relief does not matter then */
    assert_decimal_places(fisc_test_amount(it, "relief"), 2, "0.00");
    assert_decimal_places(fisc_test_amount(it, "tax"), 2, "0.00");
    assert_int_equal(fisc_test_condition(it, "income.positive")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle, "{}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 2);
    assert_string_equal(it->missing[0], "individual_business_taxable_income");
    assert_string_equal(it->missing[1], "individual_business_other_relief");
    assert_int_equal(it->amount_count, 0);
    assert_false(it->provisional); /* nothing was computed */
    fisc_result_free(r);
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": 80000}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "individual_business_other_relief");
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_RELIEF), "0");
    fisc_result_free(r);
}

/* The unconfirmed scale makes the result provisional; the halving's own numbers are confirmed. */
static void unconfirmed_scale_is_provisional(void **state)
{
    fisc_result *r;
    const fisc_item *it;
    char *json = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    r = fisc_test_evaluate(bundle, "{\"individual_business_taxable_income\": 80000, "
                                   "\"individual_business_other_relief\": 2000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_true(it->provisional);
    assert_true(fisc_result_provisional(r));
    assert_int_equal(fisc_test_param(it, "iit.business.scale")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_string_equal(fisc_test_param(it, "iit.business.scale")->document, "中华人民共和国个人所得税法（2018年修正）");
    assert_int_equal(fisc_test_param(it, "iit.business.halving.rate")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(fisc_test_param(it, "iit.business.halving.cap")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_string_equal(fisc_test_step(it, "tax.full")->substituted, "30000 × 5% + 50000 × 10%");
    assert_int_equal(fisc_result_to_json(&json, r, 0, &err), FISC_OK);
    assert_non_null(strstr(json, "\"status\":\"unconfirmed\""));
    assert_non_null(strstr(json, "\"relief\":\"2250.00\""));
    fisc_string_free(json);
    fisc_result_free(r);
}

/* Every allocation failure in an evaluation of this program alone, explained, and in its JSON and text,
 * gives FISC_ENOMEM cleanly. */
static void oom_sweep(void **state)
{
    static const char json[] = "{\"individual_business_taxable_income\": 2100000, \"individual_business_other_relief\": 1000}";
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own, json, 2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we11_li),
        cmocka_unit_test(we11_wu_200_wan),
        cmocka_unit_test(we11_wu_100_wan),
        cmocka_unit_test(period_boundaries),
        cmocka_unit_test(thresholds),
        cmocka_unit_test(exact_share_rounded_once),
        cmocka_unit_test(floors_and_losses),
        cmocka_unit_test(missing_facts),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(a_company_is_not_concerned),
        cmocka_unit_test(unconfirmed_scale_is_provisional),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("individual_income_halving", tests, group_setup, group_teardown);
}
