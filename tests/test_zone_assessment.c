/*
 * Golden tests of yulin.zone_assessment (玉政办函〔2022〕41号 六(二十一)) on the bundled policy: the
 * placeholder points of each event (new national zone +10, new regional zone +5, yellow card 0,
 * delisting -10) published as the informative amount "points" and marked provisional, events summed
 * in one year, negative totals, the date boundaries (12-31 / 01-01, quarter ends), the table coming
 * into force on the plan's date (2021 / 2022), nothing scored, a missing approval date, an overlay
 * with negative whole points, and OOM. Every point value is a PLACEHOLDER (policy-params.md §1).
 */
#include <stdio.h>
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle;
static fisc_policy *overlaid; /* with an overlay: confirmed yellow_card -3, delisting -20 */
static fisc_policy *own;      /* 34-yulin-assessment.yaml alone */
static const char *dir;

#define PROGRAM "yulin.zone_assessment"

static const char OVERLAY[] =
    "fisc_policy: 1\nid: test.assessment\ntitle: {zh: 测试分值, en: Test points}\noverlay: true\n"
    "parameters:\n  - id: yulin.zone_assessment.points\n    values:\n      - from: 2023-01-01\n"
    "        rows:\n          - {assessment_event: new_national_zone, value: \"8\"}\n"
    "          - {assessment_event: new_regional_zone, value: \"4\"}\n"
    "          - {assessment_event: yellow_card, value: \"-3\"}\n"
    "          - {assessment_event: delisting, value: -20}\n"
    "        status: confirmed\n        citation: {document: test, article: test}\n";

static int group_setup(void **state)
{
    char path[] = "/tmp/fisc-assess-overlay-XXXXXX";
    fisc_error err = FISC_ERROR_INIT;
    int fd;
    FILE *fp;

    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "34-yulin-assessment.yaml");
    if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "w")))
        return -1;
    fputs(OVERLAY, fp);
    fclose(fp);
    if (fisc_policy_load_default(&overlaid, path, &err) != FISC_OK) {
        print_error("overlay: %s\n", err.text);
        unlink(path);
        return -1;
    }
    unlink(path);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(overlaid);
    fisc_policy_free(own);
    return 0;
}

#define item_of(r) fisc_test_item((r), PROGRAM)

/* Eligible with the given points (informative), traced and not; provisional as given. */
static void check(const fisc_policy *p, const char *json, int year, int quarter, const char *points, int provisional)
{
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, year, quarter, trace);
        const fisc_item *it = item_of(r);

        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
        assert_int_equal(it->amount_count, 1);
        assert_non_null(fisc_test_amount(it, "points"));
        fisc_test_decimal_equal(fisc_test_amount(it, "points"), -1, points, __FILE__, __LINE__); /* exact: whole points */
        assert_int_equal(it->amounts[0].category, -1); /* points, not money */
        assert_int_equal(it->provisional, provisional);
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
    return r;
}

#define NATIONAL(date) "{\"zone_approval_level\": \"national\", \"zone_approval_date\": \"" date "\"}"
#define REGIONAL(date) "{\"zone_approval_level\": \"regional\", \"zone_approval_date\": \"" date "\"}"
#define YELLOW(date) "{\"zone_yellow_card_date\": \"" date "\"}"
#define DELISTED(date) "{\"zone_delisting_date\": \"" date "\"}"

/* 加分: a new national zone +10, a new regional zone +5 (placeholders), provisional. */
static void bonus_for_new_zone(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check(bundle, NATIONAL("2023-06-01"), 2023, 0, "10", 1);
    check(bundle, REGIONAL("2023-06-01"), 2023, 0, "5", 1);
    r = fisc_test_evaluate(bundle, NATIONAL("2023-06-01"), 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(fisc_test_param(it, "yulin.zone_assessment.points")->evidence, FISC_EVIDENCE_PLACEHOLDER);
    assert_int_equal(fisc_test_condition(it, "zone.new_in_year")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_condition(it, "zone.yellow_card")->state, FISC_COND_NOT_MET);
    assert_int_equal(fisc_test_condition(it, "zone.delisted")->state, FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_step(it, "new_national_zone")->substituted, "[new_national_zone] = 10");
    assert_non_null(strstr(it->summary_en, "points, not money"));
    fisc_result_free(r);
}

/* 扣减分: a delisting -10; a yellow card 0 points with the 约谈 noted; events of one year are summed. */
static void deductions_and_sums(void **state)
{
    fisc_result *r;

    (void)state;
    check(bundle, DELISTED("2023-03-15"), 2023, 0, "-10", 1);
    check(bundle, YELLOW("2023-03-15"), 2023, 0, "0", 1);
    r = fisc_test_evaluate(bundle, YELLOW("2023-03-15"), 2023, 0, 1);
    assert_non_null(strstr(item_of(r)->summary_zh, "约谈主要负责人"));
    fisc_result_free(r);
    check(bundle, "{\"zone_yellow_card_date\": \"2023-02-01\", \"zone_delisting_date\": \"2023-09-01\"}", 2023, 0, "-10",
          1);
    check(bundle,
          "{\"zone_approval_level\": \"regional\", \"zone_approval_date\": \"2023-06-01\", "
          "\"zone_delisting_date\": \"2023-09-01\"}",
          2023, 0, "-5", 1);
}

/* An event counts in its year only, up to the period's last day. */
static void date_boundaries(void **state)
{
    (void)state;
    check(bundle, NATIONAL("2023-12-31"), 2023, 0, "10", 1);
    fisc_result_free(check_not(bundle, NATIONAL("2023-12-31"), 2024, 0));
    fisc_result_free(check_not(bundle, NATIONAL("2024-01-01"), 2023, 0));
    check(bundle, DELISTED("2024-03-31"), 2024, 1, "-10", 1);
    fisc_result_free(check_not(bundle, DELISTED("2024-04-01"), 2024, 1));
    check(bundle, DELISTED("2024-04-01"), 2024, 2, "-10", 1);
    check(bundle, YELLOW("2024-12-31"), 2024, 0, "0", 1);
    fisc_result_free(check_not(bundle, YELLOW("2024-12-31"), 2025, 0));
}

/* The table is in force from the plan's date 2022-04-25: a 2021 event is not scored, a 2022 one is. */
static void in_force(void **state)
{
    fisc_result *r;

    (void)state;
    r = check_not(bundle, NATIONAL("2021-06-01"), 2021, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "assessment.in_force")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    check(bundle, NATIONAL("2022-06-01"), 2022, 0, "10", 1);
}

/* Nothing scored: not eligible, nothing used, not provisional; a zone without its date: undetermined. */
static void nothing_and_missing(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = check_not(bundle, "{}", 2023, 0);
    assert_int_equal(item_of(r)->param_count, 0);
    assert_false(item_of(r)->provisional);
    fisc_result_free(r);
    fisc_result_free(check_not(bundle, "{\"zone_approval_level\": \"none\"}", 2023, 0));
    r = fisc_test_evaluate(bundle, "{\"zone_approval_level\": \"national\", \"zone_delisting_date\": \"2023-01-05\"}",
                           2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "zone_approval_date"));
    assert_int_equal(fisc_test_condition(it, "zone.new_in_year")->state, FISC_COND_UNKNOWN);
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
}

/* An overlay with negative whole points ("-3" quoted, -20 plain) loads; confirmed values: not provisional. */
static void overlay_negative_points(void **state)
{
    (void)state;
    check(overlaid, YELLOW("2023-05-05"), 2023, 0, "-3", 0);
    check(overlaid, "{\"zone_yellow_card_date\": \"2023-02-01\", \"zone_delisting_date\": \"2023-09-01\"}", 2023, 0,
          "-23", 0);
    check(overlaid, NATIONAL("2023-06-01"), 2023, 0, "8", 0);
    check(overlaid, NATIONAL("2022-06-01"), 2022, 0, "10", 1); /* before the overlay's date: the placeholder */
}

static void oom_sweep(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own, "{\"zone_approval_level\": \"national\", \"zone_approval_date\": \"2023-06-01\", "
                                 "\"zone_yellow_card_date\": \"2023-02-01\", \"zone_delisting_date\": \"2023-09-01\"}",
                            2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_test_decimal_equal(fisc_test_amount(fisc_result_find(r, PROGRAM), "points"), -1, "0", __FILE__, __LINE__);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bonus_for_new_zone),
        cmocka_unit_test(deductions_and_sums),
        cmocka_unit_test(date_boundaries),
        cmocka_unit_test(in_force),
        cmocka_unit_test(nothing_and_missing),
        cmocka_unit_test(overlay_negative_points),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("zone_assessment", tests, group_setup, group_teardown);
}
