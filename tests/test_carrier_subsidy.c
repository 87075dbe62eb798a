/*
 * Golden tests of yulin.carrier_subsidy on the bundled policy: every cell of the placeholder table
 * (carrier kind × level) to the 分, provisional marking with the placeholder evidence, the
 * recognition-date boundaries (12-31 / 01-01 of the next year, quarter ends), the table's start
 * (2016 / 2017), an applicant not concerned, missing facts and OOM.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 31-yulin-zones.yaml with 20-guangxi.yaml */
static const char *dir;

#define PROGRAM "yulin.carrier_subsidy"

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "20-guangxi.yaml", "31-yulin-zones.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    return 0;
}

#define item_of(r) fisc_test_item((r), PROGRAM)

static void facts(char *buf, size_t size, const char *kind, const char *level, const char *date)
{
    snprintf(buf, size, "{\"carrier_kind\": \"%s\", \"carrier_level\": \"%s\", \"carrier_recognition_date\": \"%s\"}",
             kind, level, date);
}

/* Eligible, with the subsidy to the 分, provisional, traced and not. */
static void check(const fisc_policy *p, const char *kind, const char *level, const char *date, int year, int quarter,
                  const char *want)
{
    char json[256];

    facts(json, sizeof(json), kind, level, date);
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, year, quarter, trace);
        const fisc_item *it = item_of(r);

        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
        assert_int_equal(it->amount_count, 1);
        assert_item_amount(it, "subsidy", want);
        assert_int_equal(it->amounts[0].category, FISC_CATEGORY_SUBSIDY);
        assert_true(it->provisional);
        assert_int_equal(fisc_test_param(it, "yulin.carrier_subsidy")->evidence, FISC_EVIDENCE_PLACEHOLDER);
        assert_int_equal(it->missing_count, 0);
        fisc_result_free(r);
    }
}

static fisc_result *check_not(const fisc_policy *p, const char *json, int year, int quarter)
{
    fisc_result *r = fisc_test_evaluate(p, json, year, quarter, 1);
    const fisc_item *it = item_of(r);

    if (it->outcome != FISC_OUTCOME_NOT_ELIGIBLE)
        fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(it->param_count, 0);
    assert_false(it->provisional);
    return r;
}

/* Every cell of the placeholder table (31-yulin-zones.yaml), in 元. */
static void every_cell(void **state)
{
    static const struct { const char *kind, *level, *want; } cells[] = {
        { "incubator", "national", "1000000.00" },
        { "incubator", "regional", "500000.00" },
        { "incubator", "city", "200000.00" },
        { "maker_space", "national", "500000.00" },
        { "maker_space", "regional", "300000.00" },
        { "maker_space", "city", "100000.00" },
        { "engineering_center", "national", "1000000.00" },
        { "engineering_center", "regional", "500000.00" },
        { "engineering_center", "city", "200000.00" },
        { "university_science_park", "national", "1000000.00" },
        { "university_science_park", "regional", "500000.00" },
        { "university_science_park", "city", "200000.00" },
    };
    fisc_result *r;

    (void)state;
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++)
        check(bundle, cells[i].kind, cells[i].level, "2023-05-10", 2023, 0, cells[i].want);
    r = fisc_test_evaluate(bundle,
                           "{\"carrier_kind\": \"maker_space\", \"carrier_level\": \"regional\", "
                           "\"carrier_recognition_date\": \"2023-05-10\"}",
                           2023, 0, 1);
    assert_string_equal(fisc_test_step(item_of(r), "subsidy")->substituted, "[maker_space, regional] = 300000 元");
    assert_string_equal(fisc_test_param(item_of(r), "yulin.carrier_subsidy")->value, "table of 12 rows");
    assert_int_equal(fisc_test_condition(item_of(r), "carrier.new_in_year")->state, FISC_COND_MET);
    fisc_result_free(r);
}

/* Newly recognized in the year: 12-31 counts in that year only, 01-01 in the next; quarters. */
static void recognition_date_boundaries(void **state)
{
    char json[256];
    fisc_result *r;

    (void)state;
    check(bundle, "incubator", "city", "2023-12-31", 2023, 0, "200000.00");
    facts(json, sizeof(json), "incubator", "city", "2023-12-31");
    r = check_not(bundle, json, 2024, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "carrier.new_in_year")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    facts(json, sizeof(json), "incubator", "city", "2024-01-01");
    fisc_result_free(check_not(bundle, json, 2023, 0));
    check(bundle, "incubator", "city", "2024-01-01", 2024, 0, "200000.00");
    check(bundle, "incubator", "city", "2024-06-30", 2024, 2, "200000.00");
    facts(json, sizeof(json), "incubator", "city", "2024-07-01");
    fisc_result_free(check_not(bundle, json, 2024, 2));
    check(bundle, "incubator", "city", "2024-07-01", 2024, 3, "200000.00");
}

/* The table is in force from 2017-01-01. */
static void table_in_force(void **state)
{
    char json[256];
    fisc_result *r;

    (void)state;
    facts(json, sizeof(json), "maker_space", "national", "2016-12-31");
    r = check_not(bundle, json, 2016, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "carrier.in_force")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    check(bundle, "maker_space", "national", "2017-01-01", 2017, 0, "500000.00");
}

/* Not concerned (no carrier, or none); the level or the date missing: undetermined. */
static void not_concerned_and_missing(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = check_not(bundle, "{}", 2023, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "carrier.kind")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    fisc_result_free(check_not(bundle, "{\"carrier_kind\": \"none\", \"carrier_level\": \"city\"}", 2023, 0));
    r = fisc_test_evaluate(bundle, "{\"carrier_kind\": \"incubator\"}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "carrier_level"));
    assert_true(fisc_test_is_missing(it, "carrier_recognition_date"));
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
    r = fisc_test_evaluate(bundle, "{\"carrier_kind\": \"incubator\", \"carrier_recognition_date\": \"2023-02-01\"}",
                           2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_true(fisc_test_is_missing(it, "carrier_level"));
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    static const char json[] = "{\"carrier_kind\": \"engineering_center\", \"carrier_level\": \"national\", "
                               "\"carrier_recognition_date\": \"2023-05-10\"}";
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own, json, 2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cell),
        cmocka_unit_test(recognition_date_boundaries),
        cmocka_unit_test(table_in_force),
        cmocka_unit_test(not_concerned_and_missing),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("carrier_subsidy", tests, group_setup, group_teardown);
}
