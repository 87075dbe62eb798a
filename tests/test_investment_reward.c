/*
 * Golden tests of gx.investment_reward on the bundled policy: policy-params.md §9 WE-15 (a high-tech
 * project with 5亿 in place → 500万; 40亿 → 4000万 capped at 3000万), the cap exactly and one 分
 * beyond, the 1500万美元 threshold of a foreign project exactly and one cent below (with an exchange
 * rate given by the caller, which only states the capital in yuan), the start of 桂政发〔2019〕27号
 * (2019-05-27: 2019 Q1 and 2018 are outside, 2019 Q2 inside), other projects, and missing facts.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle; /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;    /* 24-guangxi-investment.yaml alone */
static const char *dir;

#define PROGRAM "gx.investment_reward"
#define item_of(r) fisc_test_item((r), PROGRAM)

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = fisc_test_load_files(dir, "24-guangxi-investment.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    return 0;
}

/*
 * The outcome and, when reward is not NULL, the reward to the 分 (also as the result's subsidy
 * total), with and without the explanation; capped: the state of the cap condition expected (-1: none).
 */
static void check(const char *facts, int year, int quarter, int outcome, const char *reward, int capped)
{
    char json[1024];

    snprintf(json, sizeof(json), "{%s}", facts);
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(bundle, json, year, quarter, trace);
        const fisc_item *it = item_of(r);
        const fisc_condition *cap = fisc_test_find_condition(it, "reward.within_cap");

        if (it->outcome != outcome)
            fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome,
                     it->summary_en);
        if (reward) {
            assert_item_amount(it, "reward", reward);
            assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_SUBSIDY), 2, reward);
        } else
            assert_null(fisc_test_amount(it, "reward"));
        if (capped < 0)
            assert_null(cap);
        else {
            assert_non_null(cap);
            assert_int_equal(cap->state, capped ? FISC_COND_NOT_MET : FISC_COND_MET);
        }
        assert_false(it->provisional);
        fisc_result_free(r);
    }
}

/* WE-15: 5亿 in place → 1% = 500万, below the cap; 40亿 → 4000万, capped at 3000万. */
static void we15_hnte_project(void **state)
{
    (void)state;
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "5000000.00", 0);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 4000000000", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "30000000.00", 1);
    /* a headquarters project is rewarded alike */
    check("\"investment_project_kind\": \"headquarters\", \"investment_funds_in_place\": 4000000000", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "30000000.00", 1);
}

/* The cap: 30亿 gives exactly 3000万 (not capped); one 分 more of reward is capped; one 分 less is paid. */
static void cap_boundary(void **state)
{
    (void)state;
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 3000000000", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "30000000.00", 0);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 3000000001", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "30000000.00", 1);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 2999999999", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "29999999.99", 0);
    /* 0.0001 元 of reward above the cap is capped too (rounding alone would have given the same 分) */
    check("\"investment_project_kind\": \"headquarters\", \"investment_funds_in_place\": 3000000000.01", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "30000000.00", 1);
    /* rounding to the 分, half up: 1% of 1234.50 = 12.345 → 12.35 */
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 1234.50", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "12.35", 0);
}

/* The 1500万美元 threshold, exactly and one cent below, with an exchange rate of 7.1234 元/美元. */
static void foreign_threshold(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 15000000, "
          "\"usd_cny_rate\": 7.1234, \"investment_funds_in_place\": 200000000",
          2023, 0, FISC_OUTCOME_ELIGIBLE, "2000000.00", -1);
    check("\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 14999999.99, "
          "\"usd_cny_rate\": 7.1234, \"investment_funds_in_place\": 200000000",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, NULL, -1);
    /* the rate states the capital in yuan and changes nothing else: 15000000 × 7.1234 = 106851000 */
    r = fisc_test_evaluate(bundle,
                           "{\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 15000000, "
                           "\"usd_cny_rate\": 7.1234, \"investment_funds_in_place\": 200000000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_item_amount(it, "contracted_foreign_capital_cny", "106851000.00");
    assert_int_equal(fisc_test_condition(it, "foreign.contracted_capital")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_condition(it, "foreign.contracted_capital")->detail, "15000000 USD ≥ 15000000 USD");
    fisc_result_free(r);
    r = fisc_test_evaluate(bundle,
                           "{\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 14999999.99, "
                           "\"usd_cny_rate\": 7.1234, \"investment_funds_in_place\": 200000000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_int_equal(fisc_test_condition(it, "foreign.contracted_capital")->state, FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "foreign.contracted_capital")->detail,
                        "14999999.99 USD < 15000000 USD");
    assert_item_amount(it, "contracted_foreign_capital_cny", "106850999.93"); /* 106850999.928766 */
    fisc_result_free(r);
    /* without a rate: the same reward, no amount in yuan; no cap is applied to a foreign project */
    r = fisc_test_evaluate(bundle,
                           "{\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 20000000, "
                           "\"investment_funds_in_place\": 4000000000}",
                           2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "reward", "40000000.00");
    assert_null(fisc_test_amount(it, "contracted_foreign_capital_cny"));
    assert_int_equal(it->missing_count, 0);
    fisc_result_free(r);
}

/* 桂政发〔2019〕27号 from 2019-05-27: the periods ending 2018-12-31 and 2019-03-31 are outside, 2019-06-30 inside. */
static void start_of_the_rules(void **state)
{
    fisc_result *r;

    (void)state;
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000", 2018, 0,
          FISC_OUTCOME_NOT_ELIGIBLE, NULL, -1);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000", 2019, 1,
          FISC_OUTCOME_NOT_ELIGIBLE, NULL, -1);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000", 2019, 2,
          FISC_OUTCOME_ELIGIBLE, "5000000.00", 0);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000", 2019, 0,
          FISC_OUTCOME_ELIGIBLE, "5000000.00", 0);
    r = fisc_test_evaluate(own, "{}", 2018, 0, 1);
    assert_int_equal(item_of(r)->missing_count, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "gx.investment.in_force")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
}

/* Other projects get nothing, and no funds in place means no reward. */
static void not_rewarded(void **state)
{
    (void)state;
    check("\"investment_project_kind\": \"other\", \"investment_funds_in_place\": 500000000", 2023, 0,
          FISC_OUTCOME_NOT_ELIGIBLE, NULL, -1);
    check("\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 0", 2023, 0,
          FISC_OUTCOME_NOT_ELIGIBLE, NULL, -1);
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* no project kind: not concerned, nothing asked for */
    r = fisc_test_evaluate(own, "{}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(fisc_test_condition(it, "project.kind")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    r = fisc_test_evaluate(own, "{\"investment_project_kind\": \"foreign\"}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 2);
    assert_true(fisc_test_is_missing(it, "contracted_foreign_capital_usd"));
    assert_true(fisc_test_is_missing(it, "investment_funds_in_place"));
    fisc_result_free(r);
    /* below the threshold the answer is known without the funds */
    r = fisc_test_evaluate(own, "{\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 1}",
                           2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
    r = fisc_test_evaluate(own, "{\"investment_project_kind\": \"hnte\"}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "investment_funds_in_place");
    fisc_result_free(r);
}

/* The parameters used carry their citation, and the trace shows the cap applied. */
static void explanation(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(bundle, "{\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 4000000000}",
                           2023, 0, 1);
    it = item_of(r);
    assert_non_null(fisc_test_param(it, "gx.investment_reward.rate"));
    assert_non_null(fisc_test_param(it, "gx.investment_reward.cap"));
    assert_string_equal(fisc_test_step(it, "reward.exact")->result, "40000000");
    assert_string_equal(fisc_test_step(it, "reward.capped")->result, "30000000");
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(own,
                            "{\"investment_project_kind\": \"foreign\", \"contracted_foreign_capital_usd\": 15000000, "
                            "\"usd_cny_rate\": 7.1234, \"investment_funds_in_place\": 200000000}",
                            2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we15_hnte_project),
        cmocka_unit_test(cap_boundary),
        cmocka_unit_test(foreign_threshold),
        cmocka_unit_test(start_of_the_rules),
        cmocka_unit_test(not_rewarded),
        cmocka_unit_test(missing_facts),
        cmocka_unit_test(explanation),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("investment_reward", tests, group_setup, group_teardown);
}
