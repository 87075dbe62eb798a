/*
 * Tests of yulin.land_supporting_facilities (plan 玉政办函〔2022〕41号 五(十八), policy-params.md §7) on the
 * bundled policy: the 7% land limit exactly and 0.01㎡ beyond; the 15% limit with the city's consent,
 * exactly and beyond, with the extra land "mainly" (more than 50%, UNCONFIRMED: provisional) for
 * dormitory-type rental housing, at 50% and just above; the 30% building limit exactly and beyond;
 * banned uses; the shares and headrooms (rounded half up to 0.0001); the plan's date (2022-04-25: 2021
 * and 2022 Q1 outside, 2022 Q2 inside); missing facts; input errors.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 32-yulin-land.yaml alone */
static const char *dir;

#define PROGRAM "yulin.land_supporting_facilities"
#define item_of(r) fisc_test_item((r), PROGRAM)

/* facts: land total 100000㎡, building total 50000㎡, then the parts and the rest */
#define AREAS(land, building) \
    "\"land_total_area\": 100000, \"land_supporting_area\": " land ", \"building_total_area\": 50000, " \
    "\"building_supporting_area\": " building

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "32-yulin-land.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    return 0;
}

/* Evaluate {facts} in 2023 (with the explanation when trace), check the outcome and the provisional flag. */
static fisc_result *run(const char *facts, int year, int quarter, int trace, int outcome, int provisional)
{
    char json[1024];
    fisc_result *r;
    const fisc_item *it;

    snprintf(json, sizeof(json), "{%s}", facts);
    r = fisc_test_evaluate(bundle, json, year, quarter, trace);
    it = item_of(r);
    if (it->outcome != outcome)
        fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome, it->summary_en);
    assert_int_equal(it->provisional != 0, provisional);
    /* a check publishes no money */
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_SUBSIDY), "0");
    return r;
}

static void amount_is(const fisc_item *it, const char *name, const char *want)
{
    const fisc_decimal *v = fisc_test_amount(it, name);

    if (!v)
        fail_msg("no amount %s", name);
    assert_decimal_equal(v, want);
}

static void state_is(const fisc_item *it, const char *id, int state)
{
    assert_int_equal(fisc_test_condition(it, id)->state, state);
}

/* 7% of the land and 30% of the building exactly: compliant, no headroom left. */
static void at_the_base_limits(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run(AREAS("7000", "15000") ", \"land_banned_uses\": false", 2023, 0, 1, FISC_OUTCOME_ELIGIBLE, 0);
    it = item_of(r);
    amount_is(it, "land_share", "0.07");
    amount_is(it, "land_headroom_area", "0");
    amount_is(it, "building_share", "0.3");
    amount_is(it, "building_headroom_area", "0");
    assert_string_equal(fisc_test_condition(it, "land.share_within_limit")->detail, "0.07 ≤ 7%");
    assert_string_equal(fisc_test_condition(it, "building.share_within_limit")->detail, "0.3 ≤ 30%");
    assert_null(fisc_test_find_condition(it, "land.city_consent")); /* not asked within 7% */
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/* 0.01㎡ above 7% without consent: exceeded by 0.01㎡; with no answer on consent: undetermined. */
static void above_the_base_land_limit(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run(AREAS("7000.01", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": false", 2023, 0, 1,
            FISC_OUTCOME_NOT_ELIGIBLE, 0);
    it = item_of(r);
    amount_is(it, "land_share", "0.07"); /* 0.0700001 rounded */
    amount_is(it, "land_headroom_area", "-0.01");
    state_is(it, "land.city_consent", FISC_COND_NOT_MET);
    state_is(it, "land.share_within_limit", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "land.share_within_limit")->detail, "0.0700001 > 7%");
    state_is(it, "building.share_within_limit", FISC_COND_MET);
    fisc_result_free(r);
    r = run(AREAS("7000.01", "15000") ", \"land_banned_uses\": false", 2023, 0, 0, FISC_OUTCOME_UNDETERMINED, 0);
    it = item_of(r);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "land_city_consent");
    fisc_result_free(r);
}

/* With consent: up to 15%, the extra mainly (more than 50%, provisional) for dormitory-type rental housing. */
static void raised_land_limit(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run(AREAS("15000", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true, "
            "\"land_extra_dormitory_share\": 0.6", 2023, 0, 1, FISC_OUTCOME_ELIGIBLE, 1);
    it = item_of(r);
    amount_is(it, "land_share", "0.15");
    amount_is(it, "land_headroom_area", "0");
    state_is(it, "land.extra_mainly_dormitory", FISC_COND_MET);
    assert_string_equal(fisc_test_condition(it, "land.extra_mainly_dormitory")->detail, "0.6 > 0.5");
    assert_int_equal(fisc_test_param(it, "yulin.land.raised_dormitory_share")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    fisc_result_free(r);
    /* 0.01㎡ beyond 15%: exceeded, whatever the consent and the dormitories */
    r = run(AREAS("15000.01", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true, "
            "\"land_extra_dormitory_share\": 1", 2023, 0, 0, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    amount_is(item_of(r), "land_headroom_area", "-0.01");
    fisc_result_free(r);
    r = run(AREAS("15000.01", "15000") ", \"land_banned_uses\": false", 2023, 0, 0, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    fisc_result_free(r);
    /* exactly half is not "mainly"; just above is */
    r = run(AREAS("10000", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true, "
            "\"land_extra_dormitory_share\": 0.5", 2023, 0, 1, FISC_OUTCOME_NOT_ELIGIBLE, 1);
    it = item_of(r);
    state_is(it, "land.share_within_limit", FISC_COND_MET);
    state_is(it, "land.extra_mainly_dormitory", FISC_COND_NOT_MET);
    amount_is(it, "land_headroom_area", "5000");
    fisc_result_free(r);
    r = run(AREAS("10000", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true, "
            "\"land_extra_dormitory_share\": 0.5001", 2023, 0, 0, FISC_OUTCOME_ELIGIBLE, 1);
    fisc_result_free(r);
    /* with consent but no share given: undetermined, the share is asked for */
    r = run(AREAS("10000", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true", 2023, 0, 0,
            FISC_OUTCOME_UNDETERMINED, 1);
    assert_true(fisc_test_is_missing(item_of(r), "land_extra_dormitory_share"));
    fisc_result_free(r);
}

/* 100亩 (66667㎡) with 6000㎡ of supporting land: 0.08999955 → 0.09; headroom at 15% 4000.05㎡, at 7% −1333.31㎡. */
static void shares_and_headroom_rounded(void **state)
{
    fisc_result *r;

    (void)state;
    r = run("\"land_total_area\": 66667, \"land_supporting_area\": 6000, \"building_total_area\": 40000, "
            "\"building_supporting_area\": 4321, \"land_banned_uses\": false, \"land_city_consent\": true, "
            "\"land_extra_dormitory_share\": 0.8",
            2023, 0, 0, FISC_OUTCOME_ELIGIBLE, 1);
    amount_is(item_of(r), "land_share", "0.09");
    amount_is(item_of(r), "land_headroom_area", "4000.05");
    amount_is(item_of(r), "building_share", "0.108"); /* 4321 / 40000 = 0.108025 */
    amount_is(item_of(r), "building_headroom_area", "7679");
    fisc_result_free(r);
    r = run("\"land_total_area\": 66667, \"land_supporting_area\": 6000, \"building_total_area\": 40000, "
            "\"building_supporting_area\": 4321, \"land_banned_uses\": false, \"land_city_consent\": false",
            2023, 0, 0, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    amount_is(item_of(r), "land_headroom_area", "-1333.31");
    fisc_result_free(r);
}

/* 30% of the building exactly is compliant; 0.01㎡ more is not. */
static void building_limit(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = run(AREAS("5000", "15000.01") ", \"land_banned_uses\": false", 2023, 0, 1, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    it = item_of(r);
    state_is(it, "land.share_within_limit", FISC_COND_MET);
    state_is(it, "building.share_within_limit", FISC_COND_NOT_MET);
    amount_is(it, "building_share", "0.3"); /* 0.3000002 rounded */
    amount_is(it, "building_headroom_area", "-0.01");
    amount_is(it, "land_headroom_area", "2000");
    fisc_result_free(r);
}

static void banned_uses(void **state)
{
    fisc_result *r;

    (void)state;
    r = run(AREAS("5000", "10000") ", \"land_banned_uses\": true", 2023, 0, 1, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    state_is(item_of(r), "uses.none_banned", FISC_COND_NOT_MET);
    state_is(item_of(r), "land.share_within_limit", FISC_COND_MET);
    fisc_result_free(r);
}

/* The plan's date, 2022-04-25: periods ending 2021-12-31 and 2022-03-31 are not checked; 2022-06-30 is. */
static void plan_date(void **state)
{
    fisc_result *r;

    (void)state;
    r = run(AREAS("5000", "10000") ", \"land_banned_uses\": false", 2021, 0, 1, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    state_is(item_of(r), "plan.in_force", FISC_COND_NOT_MET);
    assert_int_equal(item_of(r)->amount_count, 0);
    fisc_result_free(r);
    r = run(AREAS("5000", "10000") ", \"land_banned_uses\": false", 2022, 1, 0, FISC_OUTCOME_NOT_ELIGIBLE, 0);
    fisc_result_free(r);
    r = run(AREAS("5000", "10000") ", \"land_banned_uses\": false", 2022, 2, 0, FISC_OUTCOME_ELIGIBLE, 0);
    amount_is(item_of(r), "land_share", "0.05");
    fisc_result_free(r);
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* no area given: not concerned, nothing asked for */
    r = fisc_test_evaluate(own, "{}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
    r = fisc_test_evaluate(own, "{\"land_total_area\": 100}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 4);
    assert_true(fisc_test_is_missing(it, "land_supporting_area"));
    assert_true(fisc_test_is_missing(it, "building_total_area"));
    assert_true(fisc_test_is_missing(it, "building_supporting_area"));
    assert_true(fisc_test_is_missing(it, "land_banned_uses"));
    fisc_result_free(r);
    /* a limit known to be exceeded decides, whatever is missing */
    r = fisc_test_evaluate(own, "{\"land_total_area\": 100, \"land_supporting_area\": 20}", 2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
}

/* A supporting area larger than the total, or a zero total, is bad input. */
static void input_errors(void **state)
{
    static const char *const bad[] = {
        "{\"land_total_area\": 100, \"land_supporting_area\": 101}",
        "{\"land_total_area\": 0, \"land_supporting_area\": 0}",
        "{\"building_total_area\": 0, \"building_supporting_area\": 0}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fisc_result *r = NULL;
        fisc_error err = FISC_ERROR_INIT;
        fisc_status rc = fisc_test_try_evaluate(&r, own, bad[i], 2023, 0, 0, &err);

        assert_int_equal(rc, FISC_EINVAL);
        assert_non_null(strstr(err.text, "area"));
        fisc_result_free(r);
    }
}

static void oom_sweep(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own,
                            "{" AREAS("10000", "15000") ", \"land_banned_uses\": false, \"land_city_consent\": true, "
                            "\"land_extra_dormitory_share\": 0.6}",
                            2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(at_the_base_limits),
        cmocka_unit_test(above_the_base_land_limit),
        cmocka_unit_test(raised_land_limit),
        cmocka_unit_test(shares_and_headroom_rounded),
        cmocka_unit_test(building_limit),
        cmocka_unit_test(banned_uses),
        cmocka_unit_test(plan_date),
        cmocka_unit_test(missing_facts),
        cmocka_unit_test(input_errors),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("land_supporting_facilities", tests, group_setup, group_teardown);
}
