/*
 * Golden tests of gx.zone_approval_subsidy on the bundled policy: the Guangxi 1000万 for a national
 * zone, the 500万 for a regional zone selected on merit (择优) and nothing when not selected, the
 * placeholder Yulin amounts stacked (bundled) or not (an overlay setting yulin.zone_subsidy.stacks
 * to no: the higher amount only), provisional marking, the approval-date boundaries (12-31 / 01-01 of
 * the next year, quarter ends), 81号 coming into force (2020 / 2021), missing facts and OOM.
 */
#include <stdio.h>
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *nostack; /* the same with an overlay: yulin.zone_subsidy.stacks = no */
static fisc_policy *own;    /* 20-guangxi.yaml and 31-yulin-zones.yaml alone */
static const char *dir;

#define PROGRAM "gx.zone_approval_subsidy"

static const char OVERLAY[] = "fisc_policy: 1\nid: test.no_stacking\ntitle: {zh: 不叠加, en: No stacking}\n"
                              "overlay: true\nparameters:\n  - id: yulin.zone_subsidy.stacks\n    values:\n"
                              "      - {from: 2017-01-01, value: \"no\", status: placeholder, citation: {document: test}}\n";

static int group_setup(void **state)
{
    char path[] = "/tmp/fisc-zone-overlay-XXXXXX";
    fisc_error err = FISC_ERROR_INIT;
    int fd;
    FILE *fp;

    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "20-guangxi.yaml", "31-yulin-zones.yaml");
    if ((fd = mkstemp(path)) < 0 || !(fp = fdopen(fd, "w")))
        return -1;
    fputs(OVERLAY, fp);
    fclose(fp);
    if (fisc_policy_load_default(&nostack, path, &err) != FISC_OK) { /* FISC_POLICY_DIR is set by now */
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
    fisc_policy_free(nostack);
    fisc_policy_free(own);
    return 0;
}

#define item_of(r) fisc_test_item((r), PROGRAM)

/* An eligible evaluation with its three amounts to the 分 and its choice, traced and not. */
static void check(const fisc_policy *p, const char *json, int year, int quarter, const char *gx, const char *yl,
                  const char *total, const char *choice)
{
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, year, quarter, trace);
        const fisc_item *it = item_of(r);

        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
        assert_item_amount(it, "guangxi", gx);
        assert_item_amount(it, "yulin", yl);
        assert_item_amount(it, "total", total);
        assert_int_equal(it->amounts[0].category, FISC_CATEGORY_SUBSIDY);
        assert_int_equal(it->amounts[1].category, FISC_CATEGORY_SUBSIDY);
        assert_int_equal(it->amounts[2].category, -1);
        assert_string_equal(it->choice, choice);
        assert_true(it->provisional); /* the Yulin amount and the stacking switch are placeholders */
        assert_int_equal(fisc_test_param(it, "yulin.zone_subsidy.stacks")->evidence, FISC_EVIDENCE_PLACEHOLDER);
        assert_int_equal(it->missing_count, 0);
        fisc_result_free(r);
    }
}

/* Not eligible: no amount. */
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
#define REGIONAL(date, sel) \
    "{\"zone_approval_level\": \"regional\", \"zone_approval_date\": \"" date "\", \"zone_regional_selected\": " sel "}"

/* 桂政办发〔2021〕81号 (一): 1000万 for a newly approved national zone, plus the placeholder Yulin 100万. */
static void national_1000_wan(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check(bundle, NATIONAL("2023-06-01"), 2023, 0, "10000000.00", "1000000.00", "11000000.00", "stacked");
    r = fisc_test_evaluate(bundle, NATIONAL("2023-06-01"), 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(fisc_test_param(it, "gx.zone_subsidy.national")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(fisc_test_param(it, "yulin.zone_subsidy.national")->evidence, FISC_EVIDENCE_PLACEHOLDER);
    assert_null(fisc_test_find_param(it, "gx.zone_subsidy.regional"));
    assert_null(fisc_test_find_condition(it, "gx.selected")); /* the national subsidy is not merit-selected */
    assert_int_equal(fisc_test_condition(it, "zone.new_in_year")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_step(it, "guangxi")->substituted, "10000000 元");
    assert_string_equal(fisc_test_step(it, "total")->substituted, "10000000 + 1000000");
    fisc_result_free(r);
}

/* (二): 500万 at most, for a regional zone selected on merit (择优); nothing from Guangxi otherwise. */
static void regional_selected_or_not(void **state)
{
    fisc_result *r;
    const fisc_condition *sel;

    (void)state;
    check(bundle, REGIONAL("2023-06-01", "true"), 2023, 0, "5000000.00", "500000.00", "5500000.00", "stacked");
    check(bundle, REGIONAL("2023-06-01", "false"), 2023, 0, "0.00", "500000.00", "500000.00", "stacked");
    r = fisc_test_evaluate(bundle, REGIONAL("2023-06-01", "true"), 2023, 0, 1);
    sel = fisc_test_condition(item_of(r), "gx.selected");
    assert_int_equal(sel->state, FISC_COND_MET);
    assert_non_null(strstr(sel->label_zh, "择优"));
    assert_non_null(strstr(sel->label_en, "selected (择优)"));
    assert_int_equal(fisc_test_param(item_of(r), "gx.zone_subsidy.regional")->evidence, FISC_EVIDENCE_CONFIRMED);
    fisc_result_free(r);
    r = fisc_test_evaluate(bundle, REGIONAL("2023-06-01", "false"), 2023, 0, 1);
    assert_int_equal(fisc_test_condition(item_of(r), "gx.selected")->state, FISC_COND_NOT_MET);
    assert_null(fisc_test_find_param(item_of(r), "gx.zone_subsidy.regional")); /* not read: nothing paid */
    fisc_result_free(r);
}

/* Selection unknown: undetermined, the fact is missing. */
static void regional_selection_unknown(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle, "{\"zone_approval_level\": \"regional\", \"zone_approval_date\": \"2023-06-01\"}",
                           2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "zone_regional_selected"));
    assert_int_equal(fisc_test_condition(it, "gx.selected")->state, FISC_COND_UNKNOWN);
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
}

/* Stacking off (overlay): only the higher of the Guangxi and Yulin amounts, still provisional. */
static void stacking_off(void **state)
{
    fisc_result *r;

    (void)state;
    check(nostack, NATIONAL("2023-06-01"), 2023, 0, "10000000.00", "0.00", "10000000.00", "guangxi");
    check(nostack, REGIONAL("2023-06-01", "true"), 2023, 0, "5000000.00", "0.00", "5000000.00", "guangxi");
    check(nostack, REGIONAL("2023-06-01", "false"), 2023, 0, "0.00", "500000.00", "500000.00", "yulin");
    r = fisc_test_evaluate(nostack, NATIONAL("2023-06-01"), 2023, 0, 1);
    assert_string_equal(fisc_test_step(item_of(r), "total")->substituted, "max(10000000, 1000000)");
    fisc_result_free(r);
}

/* New in the year: approved 12-31 counts in that year only, 01-01 in the next; quarters cut at their end. */
static void approval_date_boundaries(void **state)
{
    fisc_result *r;

    (void)state;
    check(bundle, NATIONAL("2023-12-31"), 2023, 0, "10000000.00", "1000000.00", "11000000.00", "stacked");
    r = check_not(bundle, NATIONAL("2023-12-31"), 2024, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "zone.new_in_year")->state, FISC_COND_NOT_MET);
    assert_int_equal(item_of(r)->param_count, 0);
    assert_false(item_of(r)->provisional);
    fisc_result_free(r);
    fisc_result_free(check_not(bundle, NATIONAL("2024-01-01"), 2023, 0));
    check(bundle, NATIONAL("2024-01-01"), 2024, 0, "10000000.00", "1000000.00", "11000000.00", "stacked");
    check(bundle, NATIONAL("2024-03-31"), 2024, 1, "10000000.00", "1000000.00", "11000000.00", "stacked");
    fisc_result_free(check_not(bundle, NATIONAL("2024-04-01"), 2024, 1));
    check(bundle, NATIONAL("2024-04-01"), 2024, 2, "10000000.00", "1000000.00", "11000000.00", "stacked");
    check(bundle, REGIONAL("2024-01-01", "true"), 2024, 0, "5000000.00", "500000.00", "5500000.00", "stacked");
    fisc_result_free(check_not(bundle, REGIONAL("2023-12-31", "true"), 2024, 0));
}

/* 81号 is in force from 2021-08-04: in 2020 only the Yulin placeholder is paid. */
static void guangxi_in_force(void **state)
{
    fisc_result *r;

    (void)state;
    check(bundle, NATIONAL("2020-05-01"), 2020, 0, "0.00", "1000000.00", "1000000.00", "stacked");
    r = fisc_test_evaluate(bundle, NATIONAL("2020-05-01"), 2020, 0, 1);
    assert_int_equal(fisc_test_condition(item_of(r), "gx.in_force")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    check(bundle, NATIONAL("2021-09-01"), 2021, 0, "10000000.00", "1000000.00", "11000000.00", "stacked");
    check(nostack, NATIONAL("2020-05-01"), 2020, 0, "0.00", "1000000.00", "1000000.00", "yulin");
}

/* No zone concerns the applicant: not eligible, nothing asked or used; the date missing: undetermined. */
static void not_concerned_and_missing(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = check_not(bundle, "{}", 2023, 0);
    assert_int_equal(item_of(r)->param_count, 0);
    assert_false(item_of(r)->provisional);
    assert_int_equal(fisc_test_condition(item_of(r), "zone.approved")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    fisc_result_free(check_not(bundle, "{\"zone_approval_level\": \"none\", \"zone_approval_date\": \"2023-06-01\"}", 2023, 0));
    r = fisc_test_evaluate(bundle, "{\"zone_approval_level\": \"national\"}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "zone_approval_date"));
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own, REGIONAL("2023-06-01", "true"), 2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(national_1000_wan),
        cmocka_unit_test(regional_selected_or_not),
        cmocka_unit_test(regional_selection_unknown),
        cmocka_unit_test(stacking_off),
        cmocka_unit_test(approval_date_boundaries),
        cmocka_unit_test(guangxi_in_force),
        cmocka_unit_test(not_concerned_and_missing),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("zone_approval_subsidy", tests, group_setup, group_teardown);
}
