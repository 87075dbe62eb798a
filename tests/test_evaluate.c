/*
 * Golden tests of the engine and the two programs on the bundled policy: the worked examples of
 * policy-params.md §9 (WE-7 quarterly prepayment 2019, WE-8, WE-9 across 2019-2027, WE-10), the
 * 300万 cliff, high-tech vs small-micro, Yulin's reward, undetermined and provisional results,
 * exact numbers from JSON into the result, and the JSON and text forms; white-box, the engine's
 * inline paths (fiscp_round's copy, first reads of values in a reused result, fiscp_param_scale's first
 * bracket) against the general ones.
 */
#include <pthread.h>
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

#include "decimal.h"
#include "engine.h"
#include "policy.h"
#include "result.h"

static fisc_policy *policy;
static const char *dir;

static int group_setup(void **state)
{
    (void)state;
    policy = fisc_test_load_files(dir, "10-national.yaml", "20-guangxi.yaml", "30-yulin.yaml");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(policy);
    return 0;
}

/* The three layers, with the explanation. */
#define evaluate(json, year, quarter) fisc_test_evaluate(policy, (json), (year), (quarter), 1)

/* The CIT item of a result: its outcome, choice, tax and relief. */
static void check_cit(const char *json, int year, int quarter, int outcome, const char *choice, const char *tax,
                      const char *relief)
{
    fisc_result *r = evaluate(json, year, quarter);
    const fisc_item *it = fisc_result_find(r, "cn.cit");

    assert_non_null(it);
    if (it->outcome != outcome)
        fail_msg("%s in %d Q%d: outcome %d, expected %d (%s)", json, year, quarter, it->outcome, outcome, it->summary_en);
    assert_string_equal(it->choice, choice);
    if (tax) {
        assert_non_null(fisc_test_amount(it, "tax"));
        assert_decimal_places(fisc_test_amount(it, "tax"), 2, tax);
        assert_decimal_places(fisc_test_amount(it, "relief"), 2, relief);
    }
    assert_false(it->provisional);
    fisc_result_free(r);
}

#define SIZE_OK "\"employees_average\": 100, \"assets_average\": 10000000, \"industry_restricted\": false"

/* WE-9: 应纳税所得额 280万 of an eligible size, year by year. */
static void we9_same_income_across_years(void **state)
{
    static const struct {
        int year;
        const char *tax, *relief;
    } cases[] = {
        { 2019, "230000.00", "470000.00" }, { 2020, "230000.00", "470000.00" }, { 2021, "205000.00", "495000.00" },
        { 2022, "115000.00", "585000.00" }, { 2023, "140000.00", "560000.00" }, { 2024, "140000.00", "560000.00" },
        { 2025, "140000.00", "560000.00" }, { 2026, "140000.00", "560000.00" }, { 2027, "140000.00", "560000.00" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check_cit("{\"taxable_income\": 2800000, " SIZE_OK "}", cases[i].year, 0, FISC_OUTCOME_ELIGIBLE, "small_micro",
                  cases[i].tax, cases[i].relief);
}

/* WE-9 cliff: above 300万 the enterprise is not 小型微利 at all; at exactly 300万 it is. */
static void the_300_wan_cliff(void **state)
{
    (void)state;
    check_cit("{\"taxable_income\": 3000000, " SIZE_OK "}", 2023, 0, FISC_OUTCOME_ELIGIBLE, "small_micro", "150000.00",
              "600000.00");
    check_cit("{\"taxable_income\": 3000100, " SIZE_OK "}", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "standard",
              "750025.00", "0.00");
    check_cit("{\"taxable_income\": \"3000000.01\", " SIZE_OK "}", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "standard",
              "750000.00", "0.00"); /* 750000.0025 rounds half-up to 分 */
    check_cit("{\"taxable_income\": 3000100, " SIZE_OK ", \"hnte_certificate_date\": \"2022-11-30\"}", 2023, 0,
              FISC_OUTCOME_ELIGIBLE, "hnte", "450015.00", "300010.00"); /* WE-9: 45.0015万 if HNTE */
    /* the headcount and asset limits are inclusive ("不超过") */
    check_cit("{\"taxable_income\": 1000000, \"employees_average\": 300, \"assets_average\": 50000000, "
              "\"industry_restricted\": false}",
              2023, 0, FISC_OUTCOME_ELIGIBLE, "small_micro", "50000.00", "200000.00");
    check_cit("{\"taxable_income\": 1000000, \"employees_average\": \"300.25\", \"assets_average\": 50000000, "
              "\"industry_restricted\": false}",
              2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "250000.00", "0.00");
}

/* WE-10: a high-tech enterprise of small-micro size takes the better route, never both. */
static void we10_hnte_versus_small_micro(void **state)
{
    (void)state;
    check_cit("{\"taxable_income\": 2000000, " SIZE_OK ", \"hnte_certificate_date\": \"2023-03-01\"}", 2023, 0,
              FISC_OUTCOME_ELIGIBLE, "small_micro", "100000.00", "400000.00");
    /* too big for small-micro: 15% */
    check_cit("{\"taxable_income\": 2000000, \"employees_average\": 500, \"assets_average\": 10000000, "
              "\"industry_restricted\": false, \"hnte_certificate_date\": \"2023-03-01\"}",
              2023, 0, FISC_OUTCOME_ELIGIBLE, "hnte", "300000.00", "200000.00");
    /* the certificate is valid for three tax years counting the year of issue */
    check_cit("{\"taxable_income\": 5000000, " SIZE_OK ", \"hnte_certificate_date\": \"2021-12-15\"}", 2023, 0,
              FISC_OUTCOME_ELIGIBLE, "hnte", "750000.00", "500000.00");
    check_cit("{\"taxable_income\": 5000000, " SIZE_OK ", \"hnte_certificate_date\": \"2021-12-15\"}", 2024, 0,
              FISC_OUTCOME_NOT_ELIGIBLE, "standard", "1250000.00", "0.00");
    /* a certificate issued after the quarter does not count for that quarter's prepayment */
    check_cit("{\"taxable_income\": 5000000, " SIZE_OK ", \"hnte_certificate_date\": \"2023-10-20\"}", 2023, 2,
              FISC_OUTCOME_NOT_ELIGIBLE, "standard", "1250000.00", "0.00");
}

/* WE-7: quarterly prepayment in 2019, cumulative tests (国家税务总局公告2019年第2号 format). */
static void we7_quarterly_prepayment_2019(void **state)
{
    static const char *const quarters[] = {
        "\"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}}, "
        "\"assets\": {\"Q1\": {\"start\": 20000000, \"end\": 40000000}}, \"taxable_income\": 1500000",
        "\"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, \"Q2\": {\"start\": 400, \"end\": 500}}, "
        "\"assets\": {\"Q1\": {\"start\": 20000000, \"end\": 40000000}, \"Q2\": {\"start\": 40000000, \"end\": 66000000}}, "
        "\"taxable_income\": 2000000",
        "\"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, \"Q2\": {\"start\": 400, \"end\": 500}, "
        "\"Q3\": {\"start\": 350, \"end\": 200}}, "
        "\"assets\": {\"Q1\": {\"start\": 20000000, \"end\": 40000000}, \"Q2\": {\"start\": 40000000, \"end\": 66000000}, "
        "\"Q3\": {\"start\": 66000000, \"end\": 70000000}}, \"taxable_income\": 2800000",
        "\"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, \"Q2\": {\"start\": 400, \"end\": 500}, "
        "\"Q3\": {\"start\": 350, \"end\": 200}, \"Q4\": {\"start\": 220, \"end\": 210}}, "
        "\"assets\": {\"Q1\": {\"start\": 20000000, \"end\": 40000000}, \"Q2\": {\"start\": 40000000, \"end\": 66000000}, "
        "\"Q3\": {\"start\": 66000000, \"end\": 70000000}, \"Q4\": {\"start\": 70000000, \"end\": 25000000}}, "
        "\"taxable_income\": 3000000",
    };
    static const struct {
        int outcome;
        const char *choice, *tax, *relief, *employees, *assets;
    } want[] = {
        { FISC_OUTCOME_ELIGIBLE, "small_micro", "100000.00", "275000.00", "160", "30000000" },
        { FISC_OUTCOME_NOT_ELIGIBLE, "standard", "500000.00", "0.00", "305", "41500000" },
        { FISC_OUTCOME_NOT_ELIGIBLE, "standard", "700000.00", "0.00", "295", "151000000/3" },
        { FISC_OUTCOME_ELIGIBLE, "small_micro", "250000.00", "500000.00", "275", "49625000" },
    };
    (void)state;
    for (int q = 0; q < 4; q++) {
        char json[1024];
        fisc_result *r;
        const fisc_item *it;

        snprintf(json, sizeof(json), "{%s, \"industry_restricted\": false}", quarters[q]);
        check_cit(json, 2019, q + 1, want[q].outcome, want[q].choice, want[q].tax, want[q].relief);
        /* the averages compared are shown in the conditions */
        r = evaluate(json, 2019, q + 1);
        it = fisc_result_find(r, "cn.cit");
        for (size_t k = 0; k < it->condition_count; k++) {
            const fisc_condition *c = &it->conditions[k];
            const char *expect = strcmp(c->id, "small_micro.employees") == 0 ? want[q].employees
                               : strcmp(c->id, "small_micro.assets") == 0    ? want[q].assets
                                                                             : NULL;

            if (expect && strncmp(c->detail, expect, strlen(expect)) != 0)
                fail_msg("Q%d %s: detail \"%s\" does not start with %s", q + 1, c->id, c->detail, expect);
        }
        fisc_result_free(r);
    }
}

/* WE-8: whole-year textbook answers. */
static void we8_textbook_years(void **state)
{
    (void)state;
    check_cit("{\"taxable_income\": 400000, \"employees_average\": 75, \"assets_average\": 9600000, "
              "\"industry_restricted\": false}",
              2019, 0, FISC_OUTCOME_ELIGIBLE, "small_micro", "20000.00", "80000.00");
    check_cit("{\"taxable_income\": 800000, \"employees_average\": 75, \"assets_average\": 9600000, "
              "\"industry_restricted\": false}",
              2020, 0, FISC_OUTCOME_ELIGIBLE, "small_micro", "40000.00", "160000.00");
    /* a loss owes nothing */
    check_cit("{\"taxable_income\": -500000, " SIZE_OK "}", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "0.00",
              "0.00");
}

static void missing_facts_are_named(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* the restricted-industry test decides: undetermined, and it says which fact */
    r = evaluate("{\"taxable_income\": 2800000, \"employees_average\": 100, \"assets_average\": 10000000}", 2023, 0);
    it = fisc_result_find(r, "cn.cit");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 1);
    assert_string_equal(it->missing[0], "industry_restricted");
    assert_null(fisc_test_amount(it, "tax"));
    assert_decimal_places(fisc_test_amount(it, "tax_standard"), 2, "700000.00");
    /* undetermined items do not count in the totals */
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), "0");
    fisc_result_free(r);
    /* but when the answer cannot change, missing facts do not matter */
    check_cit("{\"taxable_income\": 3000100}", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "standard", "750025.00", "0.00");
    /* no income at all */
    r = evaluate("{}", 2023, 0);
    it = fisc_result_find(r, "cn.cit");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_string_equal(it->missing[0], "taxable_income");
    fisc_result_free(r);
}

static void yulin_reward(void **state)
{
    static const char *const yes = "{\"hnte_certificate_date\": \"2023-06-01\", \"registered_in_yulin\": true, "
                                   "\"tax_registered_in_yulin\": true}";
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate(yes, 2023, 0);
    it = fisc_result_find(r, "yulin.hnte_reward");
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_decimal_places(fisc_test_amount(it, "reward"), 2, "50000.00");
    assert_decimal_places(fisc_result_total(r, FISC_CATEGORY_SUBSIDY), 2, "50000.00");
    assert_string_equal(it->params[0].id, "yulin.hnte_reward.amount");
    assert_string_equal(it->params[0].article, "第四条");
    fisc_result_free(r);
    /* not in the year of recognition */
    r = evaluate(yes, 2024, 0);
    it = fisc_result_find(r, "yulin.hnte_reward");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
    /* tax relationship elsewhere; or unknown */
    r = evaluate("{\"hnte_certificate_date\": \"2023-06-01\", \"registered_in_yulin\": true, "
                 "\"tax_registered_in_yulin\": false}",
                 2023, 0);
    assert_int_equal(fisc_result_find(r, "yulin.hnte_reward")->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    fisc_result_free(r);
    r = evaluate("{\"hnte_certificate_date\": \"2023-06-01\", \"registered_in_yulin\": true}", 2023, 0);
    it = fisc_result_find(r, "yulin.hnte_reward");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_string_equal(it->missing[0], "tax_registered_in_yulin");
    fisc_result_free(r);
}

/* An overlay with an unconfirmed value makes the results that use it provisional. */
static void overlay_makes_results_provisional(void **state)
{
    static const char overlay[] =
        "fisc_policy: 1\nid: scenario.reward\ntitle: {zh: 假设, en: Scenario}\noverlay: true\n"
        "parameters:\n  - id: yulin.hnte_reward.amount\n    values:\n"
        "      - {from: 2024-01-01, value: \"8\", status: unconfirmed, citation: {document: 假设方案}}\n";
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_result *r;
    char path[600], *json = NULL;
    const char *files[3];
    char a[512], b[512], c[512];
    FILE *f;

    (void)state;
    snprintf(a, sizeof(a), "%s/10-national.yaml", dir);
    snprintf(b, sizeof(b), "%s/20-guangxi.yaml", dir);
    snprintf(c, sizeof(c), "%s/30-yulin.yaml", dir);
    files[0] = a, files[1] = b, files[2] = c;
    snprintf(path, sizeof(path), "overlay-%d.yaml", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(overlay, f);
    fclose(f);
    assert_int_equal(fisc_policy_load_files(&p, files, 3, path, &err), FISC_OK);
    remove(path);
    r = fisc_test_evaluate(p, "{\"hnte_certificate_date\": \"2024-06-01\", \"registered_in_yulin\": true, "
                              "\"tax_registered_in_yulin\": true, \"taxable_income\": 100, " SIZE_OK "}",
                           2024, 0, 1);
    assert_true(fisc_result_provisional(r));
    assert_true(fisc_result_find(r, "yulin.hnte_reward")->provisional);
    assert_false(fisc_result_find(r, "cn.cit")->provisional);
    assert_decimal_places(fisc_test_amount(fisc_result_find(r, "yulin.hnte_reward"), "reward"), 2, "80000.00");
    assert_int_equal(fisc_result_to_json(&json, r, 0, &err), FISC_OK);
    assert_non_null(strstr(json, "\"provisional\":true"));
    assert_non_null(strstr(json, "\"id\":\"scenario.reward\""));
    assert_non_null(strstr(json, "\"overlay\":true"));
    assert_non_null(strstr(json, "\"status\":\"unconfirmed\""));
    fisc_string_free(json);
    fisc_result_free(r);
    /* the base years are untouched */
    r = fisc_test_evaluate(p, "{\"hnte_certificate_date\": \"2023-06-01\", \"registered_in_yulin\": true, "
                              "\"tax_registered_in_yulin\": true}",
                           2023, 0, 1);
    assert_false(fisc_result_provisional(r));
    fisc_result_free(r);
    /* row after row into a reused result (first reads inline, citations left in place by the row
       before, or not): the same citations, in the same order, and the same provisional status */
    for (int pass = 0; pass < 3; pass++) {
        fisc_test_same_untraced(p, "{\"hnte_certificate_date\": \"2024-06-01\", \"registered_in_yulin\": true, "
                                   "\"tax_registered_in_yulin\": true, \"taxable_income\": 100, " SIZE_OK "}",
                                2024, 0);
        fisc_test_same_untraced(p, "{\"taxable_income\": 100, " SIZE_OK "}", 2024, 0);
        fisc_test_same_untraced(p, "{\"hnte_certificate_date\": \"2023-06-01\", \"registered_in_yulin\": true, "
                                   "\"tax_registered_in_yulin\": true}",
                                2023, 0);
        fisc_test_same_untraced(p, "{\"employees_average\": 100}", 2024, 0);
    }
    fisc_test_reused_free(); /* it holds p */
    fisc_policy_free(p);
}

/* A bare JSON number keeps its exact text all the way into the result. */
static void exact_numbers_round_trip(void **state)
{
    fisc_result *r;
    char *json = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_item *it;

    (void)state;
    r = evaluate("{\"taxable_income\": 12345678901234567.89, " SIZE_OK "}", 2023, 0);
    it = fisc_result_find(r, "cn.cit");
    assert_decimal_equal(fisc_test_amount(it, "tax"), "3086419725308641.97"); /* 3086419725308641.9725 half-up */
    assert_string_equal(it->steps[0].substituted, "12345678901234567.89 × 25%");
    assert_string_equal(it->steps[0].result, "3086419725308641.9725");
    assert_int_equal(fisc_result_to_json(&json, r, FISC_JSON_TRACE, &err), FISC_OK);
    assert_non_null(strstr(json, "\"substituted\":\"12345678901234567.89 × 25%\""));
    assert_non_null(strstr(json, "\"tax\":\"3086419725308641.97\""));
    fisc_string_free(json);
    fisc_result_free(r);
}

static void json_and_text(void **state)
{
    fisc_result *r;
    char *json = NULL, *text = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    r = evaluate("{\"taxable_income\": 2800000, " SIZE_OK "}", 2023, 0);
    assert_int_equal(fisc_result_to_json(&json, r, FISC_JSON_PRETTY, &err), FISC_OK);
    assert_non_null(strstr(json, "\"schema\": \"fisc-result/1\""));
    assert_non_null(strstr(json, "\"tax_payable\": \"140000.00\""));
    assert_non_null(strstr(json, "\"tax_relief\": \"560000.00\""));
    assert_non_null(strstr(json, "\"choice\": \"small_micro\""));
    assert_non_null(strstr(json, "\"detail\": \"2800000 ≤ 3000000\""));
    assert_null(strstr(json, "\"trace\"")); /* steps only when asked */
    fisc_string_free(json);
    assert_int_equal(fisc_result_to_text(&text, r, "en", 1, &err), FISC_OK);
    assert_non_null(strstr(text, "small and micro enterprise relief applies: tax 140000.00 yuan"));
    assert_non_null(strstr(text, "(2800000 × 25%) × 20%"));
    assert_non_null(strstr(text, "财政部 税务总局公告2023年第12号"));
    fisc_string_free(text);
    assert_int_equal(fisc_result_to_text(&text, r, "zh", 0, &err), FISC_OK);
    assert_non_null(strstr(text, "适用小型微利企业优惠：应纳税额 140000.00 元"));
    fisc_string_free(text);
    fisc_result_free(r);
}

/* One policy and one set of facts shared by threads that evaluate at once (results are per call). */
static void *evaluate_many(void *arg)
{
    const fisc_facts *f = arg;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    long bad = 0;

    o.year = 2023;
    for (int i = 0; i < 2000; i++) {
        fisc_result *r = NULL;
        const fisc_item *it;

        if (fisc_evaluate(&r, policy, f, &o, NULL) != FISC_OK) {
            bad++;
            continue;
        }
        it = fisc_result_find(r, "cn.cit");
        if (!it || strcmp(it->choice, "small_micro") != 0)
            bad++;
        fisc_result_free(r);
    }
    return (void *)bad;
}

static void shared_between_threads(void **state)
{
    static const char json[] = "{\"taxable_income\": 2800000, " SIZE_OK "}";
    pthread_t t[4];
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_from_json(&f, json, strlen(json), "threads", &err), FISC_OK);
    for (int k = 0; k < 4; k++)
        assert_int_equal(pthread_create(&t[k], NULL, evaluate_many, f), 0);
    for (int k = 0; k < 4; k++) {
        void *bad;

        assert_int_equal(pthread_join(t[k], &bad), 0);
        assert_int_equal((long)bad, 0);
    }
    fisc_facts_free(f);
}

/* Every allocation failure in an evaluation (with the explanation on), and in its JSON and text, gives
 * FISC_ENOMEM, cleanly. */
static void oom_sweep(void **state)
{
    static const char json[] = "{\"taxable_income\": 2800000, " SIZE_OK ", \"hnte_certificate_date\": \"2023-03-01\", "
                               "\"registered_in_yulin\": true, \"tax_registered_in_yulin\": true}";

    (void)state;
    fisc_result_free(fisc_test_oom_sweep(policy, json, 2023, 0, 1));
}

static void errors_and_limits(void **state)
{
    fisc_facts *f = NULL;
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "taxable_income", "100", &err), FISC_OK);
    o.year = 1800;
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_EINVAL);
    o.year = 2023;
    o.quarter = 5;
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_EINVAL);
    /* a year the bundled rules do not cover says which parameter and date */
    o.quarter = 0;
    o.year = 2018;
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_ENOTFOUND);
    assert_non_null(strstr(err.text, "2018-12-31"));
    assert_null(r);
    o.version = 9;
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_EINVAL);
    assert_int_equal(fisc_eval_options_init(&o, FISC_EVAL_OPTIONS_VERSION + 1), FISC_EINVAL);
    assert_int_equal(fisc_eval_options_init(&o, 0), FISC_EINVAL);
    fisc_facts_free(f);
}

/*
 * Options of version 1 (a caller built before fisc_eval_options::summary): accepted, and the field
 * past their end is not read, so a summary set there (as if by the stack) asks for nothing.
 */
static void options_version_1(void **state)
{
    fisc_eval_options o;
    fisc_result *r = NULL;
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const char *json = "{\"taxable_income\": 2800000, " SIZE_OK "}";

    (void)state;
    memset(&o, 0x5a, sizeof(o));
    assert_int_equal(fisc_eval_options_init(&o, 1), FISC_OK);
    assert_int_equal(o.version, 1);
    assert_int_equal(o.trace, 0);
    assert_int_equal(o.summary, 0x5a5a5a5a); /* not written: a version 1 struct ends before it */
    o.year = 2023;
    assert_int_equal(fisc_facts_from_json(&f, json, strlen(json), "row", &err), FISC_OK);
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_OK);
    assert_true(fisc_test_item(r, "cn.cit")->condition_count > 0);
    fisc_result_free(r);
    r = NULL;
    assert_int_equal(fisc_eval_options_init(&o, 2), FISC_OK);
    o.year = 2023;
    o.summary = 1;
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_OK);
    assert_int_equal(fisc_test_item(r, "cn.cit")->condition_count, 0);
    assert_item_amount(fisc_test_item(r, "cn.cit"), "tax", "140000.00");
    fisc_result_free(r);
    r = NULL;
    o.trace = 1; /* the explanation needs everything: the summary is ignored */
    assert_int_equal(fisc_evaluate(&r, policy, f, &o, &err), FISC_OK);
    assert_true(fisc_test_item(r, "cn.cit")->condition_count > 0);
    fisc_result_free(r);
    fisc_facts_free(f);
}

/* The JSON (with steps) of a result, for comparisons; the caller frees it. */
static char *json_of(const fisc_result *r)
{
    char *json = NULL;
    fisc_error err = FISC_ERROR_INIT;

    assert_int_equal(fisc_result_to_json(&json, r, FISC_JSON_TRACE, &err), FISC_OK);
    return json;
}

/*
 * fisc_evaluate_into gives what fisc_evaluate gives, row after row in one result (with and without
 * the explanation, a result that outgrew its first block included), and allocates nothing once warm.
 */
static void evaluate_into_reuses_a_result(void **state)
{
    static const char *const rows[] = {
        "{\"taxable_income\": 2800000, " SIZE_OK "}",
        "{\"taxable_income\": 12345678901234567.89, " SIZE_OK ", \"hnte_certificate_date\": \"2023-03-01\"}",
        "{\"employees_average\": 100}",
        "{\"taxable_income\": 2800000, " SIZE_OK ", \"registered_in_yulin\": true, \"tax_registered_in_yulin\": true}",
    };
    fisc_result *reused = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;

    (void)state;
    o.year = 2023;
    for (int pass = 0; pass < 5; pass++)
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            fisc_facts *f = NULL;
            fisc_result *fresh = NULL;
            char *a, *b;

            o.trace = pass == 1;
            /* passes 3 and 4: the period changes from row to row (parameters in force change with it) */
            o.year = pass < 3 ? 2023 : 2019 + (int)((i + (size_t)pass) % 5);
            o.quarter = pass < 3 ? 0 : (int)((i + (size_t)pass) % 5);
            assert_int_equal(fisc_facts_from_json(&f, rows[i], strlen(rows[i]), "row", &err), FISC_OK);
            assert_int_equal(fisc_evaluate(&fresh, policy, f, &o, &err), FISC_OK);
            fiscp_alloc_count = 0;
            assert_int_equal(fisc_evaluate_into(&reused, policy, f, &o, &err), FISC_OK);
            if (pass == 2) /* the same rows again without the explanation: the memory is there */
                assert_int_equal(fiscp_alloc_count, 0);
            a = json_of(fresh);
            b = json_of(reused);
            assert_string_equal(a, b);
            fisc_string_free(a);
            fisc_string_free(b);
            fisc_result_free(fresh);
            fisc_facts_free(f);
        }
    fisc_result_free(reused);
}

/* A failed evaluation leaves an empty result to reuse; bad arguments leave it as it was. */
static void evaluate_into_failures(void **state)
{
    fisc_facts *f = NULL;
    fisc_result *r = NULL;
    fisc_policy *other = fisc_test_load_files(dir, "10-national.yaml");
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    static const char json[] = "{\"taxable_income\": 2800000, " SIZE_OK "}";
    size_t n;

    (void)state;
    assert_int_equal(fisc_facts_from_json(&f, json, strlen(json), "row", &err), FISC_OK);
    o.year = 2023;
    assert_int_equal(fisc_evaluate_into(NULL, policy, f, &o, &err), FISC_EINVAL);
    assert_int_equal(fisc_evaluate_into(&r, policy, f, &o, &err), FISC_OK);
    assert_int_equal(fisc_result_item_count(r), fisc_policy_program_count(policy));
    o.year = 1800;
    assert_int_equal(fisc_evaluate_into(&r, policy, f, &o, &err), FISC_EINVAL);
    assert_int_equal(fisc_result_item_count(r), fisc_policy_program_count(policy));
    o.year = 2018; /* a year the bundled rules do not cover */
    assert_int_equal(fisc_evaluate_into(&r, policy, f, &o, &err), FISC_ENOTFOUND);
    assert_non_null(strstr(err.text, "2018-12-31"));
    assert_non_null(r);
    assert_int_equal(fisc_result_item_count(r), 0);
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), "0");
    assert_int_equal(fisc_result_provisional(r), 0);
    /* reused with another policy, which the result keeps alive after the caller frees it */
    o.year = 2023;
    assert_int_equal(fisc_evaluate_into(&r, other, f, &o, &err), FISC_OK);
    n = fisc_policy_program_count(other);
    fisc_policy_free(other);
    assert_int_equal(fisc_result_item_count(r), n);
    assert_string_equal(fisc_result_item(r, n - 1)->program, "cn.cit");
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), "140000"); /* as json_and_text */
    /* and back: what the result remembered of the other policy's parameters is gone with it */
    assert_int_equal(fisc_evaluate_into(&r, policy, f, &o, &err), FISC_OK);
    assert_int_equal(fisc_result_item_count(r), fisc_policy_program_count(policy));
    assert_decimal_equal(fisc_result_total(r, FISC_CATEGORY_TAX_PAYABLE), "140000");
    fisc_result_free(r);
    fisc_facts_free(f);
}

/* A row of the batch benchmark: both programs run, cn.cit from the components. */
#define BATCH_ROW                                                                                                   \
    "\"income_before_rd_extra_and_losses\": 636595.43, \"employees_average\": 103, \"assets_average\": "      \
    "6035578.82, \"industry_restricted\": false, \"industry_revenue_1_code\": \"C34\", "                        \
    "\"industry_revenue_1_amount\": 4142844.12, \"income_total\": 4967439.00, \"income_non_taxable\": 0, "   \
    "\"income_investment\": 0, \"rd_ic_or_machine_tool\": false, \"rd_project_count\": 1, "                   \
    "\"rd_p1_personnel\": 42645.46, \"rd_p1_direct\": 20942.72, \"rd_p1_depreciation\": 8191.30, "             \
    "\"rd_p1_amortisation\": 1520.03, \"rd_p1_design\": 675.57, \"rd_p1_other\": 6509.80, "                    \
    "\"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, \"rd_contracted_overseas\": 0, "            \
    "\"rd_intangible_amortisation\": 0"

/*
 * One result reused across policies whose programs differ in number and order, and a policy freed
 * and loaded again (its parameters may come back at the addresses the result last cited): every
 * row is what a new result gives, with and without the explanation.
 */
static void evaluate_into_across_policies(void **state)
{
    static const char *const rows[] = {
        "{" BATCH_ROW "}",
        "{" BATCH_ROW ", \"loss_y1\": 100000.5, \"loss_y7\": 20000, \"hnte_certificate_date\": \"2022-05-01\"}",
        "{\"taxable_income\": 2800000, " SIZE_OK "}",
        "{\"employees_average\": 100}",
    };
    fisc_policy *national = fisc_test_load_files(dir, "10-national.yaml"), *rd = NULL;
    fisc_result *reused = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;

    (void)state;
    for (int pass = 0; pass < 12; pass++) {
        const fisc_policy *p = pass % 3 == 0 ? policy : pass % 3 == 1 ? national : NULL;

        if (!p) { /* a new one each time, the last one freed once the result has left it */
            fisc_policy_free(rd);
            p = rd = fisc_test_load_files(dir, "10-national.yaml", "11-national-rd.yaml");
        }
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
            fisc_facts *f = NULL;
            fisc_result *fresh = NULL;

            o.year = pass < 6 ? 2023 : 2021 + (int)i;
            o.quarter = pass < 6 ? 0 : (int)(i + (size_t)pass) % 5;
            o.trace = (int)(i + (size_t)pass) % 2;
            assert_int_equal(fisc_facts_from_json(&f, rows[i], strlen(rows[i]), "row", &err), FISC_OK);
            assert_int_equal(fisc_evaluate(&fresh, p, f, &o, &err), FISC_OK);
            assert_int_equal(fisc_evaluate_into(&reused, p, f, &o, &err), FISC_OK);
            fisc_test_same_result(fresh, reused, rows[i], o.year, o.quarter);
            fisc_result_free(fresh);
            fisc_facts_free(f);
        }
    }
    fisc_result_free(reused);
    fisc_policy_free(rd);
    fisc_policy_free(national);
}

/*
 * fisc_evaluate_into with allocation N failing, for N = 0, 1, ...: FISC_ENOMEM, or a result (its
 * reused arrays may be the one allocation that failed) that is what a new result gives, and stays so
 * row after row once allocations succeed again.
 */
static void evaluate_into_oom(void **state)
{
    static const char json[] = "{" BATCH_ROW ", \"loss_y1\": 100000.5}";
    fisc_policy *p = fisc_test_load_files(dir, "10-national.yaml", "11-national-rd.yaml");
    fisc_facts *f = NULL;
    fisc_result *fresh = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    int reached = 1;

    (void)state;
    o.year = 2023;
    assert_int_equal(fisc_facts_from_json(&f, json, strlen(json), "row", &err), FISC_OK);
    assert_int_equal(fisc_evaluate(&fresh, p, f, &o, &err), FISC_OK);
    for (long n = 0; reached; n++) {
        fisc_result *r = NULL;
        fisc_status rc;

        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_evaluate_into(&r, p, f, &o, &err);
        fiscp_alloc_fail_at = -1;
        reached = fiscp_alloc_count > n;
        if (rc == FISC_OK) {
            fisc_test_same_result(fresh, r, json, o.year, 0);
            for (int row = 0; row < 2; row++) {
                assert_int_equal(fisc_evaluate_into(&r, p, f, &o, &err), FISC_OK);
                fisc_test_same_result(fresh, r, json, o.year, 0);
            }
        } else {
            assert_true(reached);
            assert_int_equal(rc, FISC_ENOMEM);
        }
        fisc_result_free(r);
    }
    fisc_result_free(fresh);
    fisc_facts_free(f);
    fisc_policy_free(p);
}

/* ---- fiscp_round's inline path (engine.h) against the rounding it stands for */

/* 10-national.yaml with cn.cit rounded to unit (its rule is half_up to "0.01"), loaded from memory. */
static fisc_policy *national_rounded_to(const char *unit)
{
    static const char rule[] = "rounding: {mode: half_up, unit: \"0.01\"}";
    char path[600], *text, *at;
    const char *name = "10-national.yaml", *t;
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    FILE *fp;
    long n;
    size_t len;

    snprintf(path, sizeof(path), "%s/10-national.yaml", dir);
    assert_non_null(fp = fopen(path, "rb"));
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    assert_true((n = ftell(fp)) > 0);
    rewind(fp);
    assert_non_null(text = malloc((size_t)n + 64));
    assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    text[n] = '\0';
    assert_non_null(at = strstr(text, rule));
    at += strlen(rule) - strlen("0.01\"}");
    memmove(at + strlen(unit), at + strlen("0.01"), strlen(at + strlen("0.01")) + 1);
    memcpy(at, unit, strlen(unit));
    t = text;
    len = strlen(text);
    if (fiscp_policy_load_texts(&p, &name, &t, &len, 1, NULL, NULL, 0, &err) != FISC_OK)
        fail_msg("unit %s: %s", unit, err.text);
    free(text);
    return p;
}

/* The same value in the same form (kind, coefficient, scale), or equal for a GMP rational. */
static void assert_same_form(const fisc_decimal *x, const fisc_decimal *y, const char *what)
{
    if (x->kind_ != y->kind_ || (x->kind_ != FISCP_DEC_BIG && (x->lo_ != y->lo_ || x->hi_ != y->hi_ ||
                                                               x->scale_ != y->scale_)) ||
        fisc_decimal_cmp(x, y) != 0)
        fail_msg("%s: not the general rounding's value", what);
}

/*
 * Untraced and traced fiscp_round give what fisc_decimal_round_unit gives for every unit the loader
 * sees (10^-k: the inline copy; 0.05, 100, 0.010: the call), every mode, and values on both sides
 * of the unit's scale: negative, zero, 64-bit and 128-bit coefficients, beyond 18 decimals,
 * rationals and GMP values; in place too. The copy resets err as the call does.
 */
static void round_inline_matches_general(void **state)
{
    static const struct {
        const char *unit;
        int places; /* what the loader decides */
    } units[] = { { "1", 0 }, { "0.1", 1 }, { "0.01", 2 }, { "0.001", 3 }, { "0.05", -1 }, { "100", -1 },
                  { "0.010", -1 }, { "2.5", -1 } };
    static const char *const values[] = {
        "0", "0.00", "1", "-1", "123", "-123", "0.5", "-0.5", "1.25", "-1.25", "1.255", "-1.255", "0.015",
        "-0.015", "99.995", "1234567.891", "9223372036854775807", "-9223372036854775808", "92233720368547758.07",
        "-92233720368547758.08", "123456789012345678901234567890.12", "-0.00000000000000000012",
        "0.1234567890123456789", "170141183460469231731687303715884105727", "1/3", "-2/3", "7/9", "1e40", "-1.5e-30",
        "1234567890123456789012345678901234567890.005",
    };
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        fisc_policy *p = national_rounded_to(units[u].unit);
        const fiscp_program_conf *cit = NULL;

        for (size_t i = 0; i < p->nprograms; i++)
            if (strcmp(p->programs[i].id, "cn.cit") == 0)
                cit = &p->programs[i];
        assert_non_null(cit);
        assert_int_equal(cit->round_places, units[u].places);
        for (int mode = FISC_ROUND_HALF_UP; mode <= FISC_ROUND_FLOOR; mode++)
            for (int trace = 0; trace < 2; trace++) {
                fiscp_program_conf conf = *cit;
                fisc_result *r = NULL;
                fiscp_ctx *c = NULL;

                conf.rounding = (fisc_round)mode;
                assert_int_equal(fiscp_result_new(&r, p, 2023, 0, &err), FISC_OK);
                assert_int_equal(fiscp_ctx_open(&c, r, p, trace, &err), FISC_OK);
                for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
                    fisc_decimal v, want, got, same;
                    fisc_status rc_want, rc_got;
                    char what[200];

                    snprintf(what, sizeof(what), "%s to %s mode %d trace %d", values[k], units[u].unit, mode, trace);
                    fisc_decimal_init(&v);
                    fisc_decimal_init(&want);
                    fisc_decimal_init(&got);
                    fisc_decimal_init(&same);
                    if (strchr(values[k], 'e')) { /* beyond 128 bits, or tiny: through a division */
                        fisc_decimal ten;
                        int e = atoi(strchr(values[k], 'e') + 1);

                        fisc_decimal_init(&ten);
                        parse_ok(&v, values[k][0] == '-' ? "-1" : "1");
                        if (strstr(values[k], "1.5"))
                            parse_ok(&v, values[k][0] == '-' ? "-1.5" : "1.5");
                        parse_ok(&ten, "10");
                        for (int j = 0; j < (e < 0 ? -e : e); j++)
                            assert_int_equal((e < 0 ? fisc_decimal_div : fisc_decimal_mul)(&v, &v, &ten, &err),
                                             FISC_OK);
                        fisc_decimal_clear(&ten);
                    } else {
                        parse_ok(&v, values[k]);
                    }
                    rc_want = fisc_decimal_round_unit(&want, NULL, &v, &conf.unit, (fisc_round)mode, NULL, &err);
                    assert_int_equal(fiscp_result_reserve(r, 1, &err), FISC_OK); /* an item per value: steps */
                    assert_int_equal(fiscp_item_begin(c, &conf), FISC_OK);
                    fiscp_error_set(&err, FISC_EINVAL, "stale"); /* the rounding resets it, fast or not */
                    rc_got = fiscp_round(c, "x", &v, &got);
                    if (rc_got != rc_want)
                        fail_msg("%s: status %d, not %d (%s)", what, rc_got, rc_want, err.text);
                    if (err.code != FISC_OK || err.text[0])
                        fail_msg("%s: err not reset (%s)", what, err.text);
                    assert_same_form(&got, &want, what);
                    assert_int_equal(fisc_decimal_set(&same, &v, &err), FISC_OK); /* in place */
                    assert_int_equal(fiscp_round(c, "x", &same, &same), rc_want);
                    assert_same_form(&same, &want, what);
                    assert_int_equal(fiscp_item_end(c), FISC_OK);
                    fisc_decimal_clear(&v);
                    fisc_decimal_clear(&want);
                    fisc_decimal_clear(&got);
                    fisc_decimal_clear(&same);
                }
                fiscp_ctx_close(c);
                fisc_result_free(r);
            }
        fisc_policy_free(p);
    }
}

/* An agreement's conf does not say its unit's places: its items take the call, whatever the unit. */
static void round_inline_not_for_agreements(void **state)
{
    fiscp_program_conf conf;
    fisc_error err = FISC_ERROR_INIT;
    fisc_result *r = NULL;
    fiscp_ctx *c = NULL;
    fisc_decimal v, got;

    (void)state;
    memset(&conf, 0, sizeof(conf)); /* round_places 0, as a conf built without it: must not be read */
    conf.id = "agreement/term";
    conf.rounding = FISC_ROUND_HALF_UP;
    fisc_decimal_init(&conf.unit);
    parse_ok(&conf.unit, "100");
    fisc_decimal_init(&v);
    fisc_decimal_init(&got);
    parse_ok(&v, "150");
    assert_int_equal(fiscp_result_new(&r, policy, 2023, 0, &err), FISC_OK);
    assert_int_equal(fiscp_result_reserve(r, 1, &err), FISC_OK);
    assert_int_equal(fiscp_ctx_open(&c, r, policy, 0, &err), FISC_OK);
    assert_int_equal(fiscp_item_begin(c, &conf), FISC_OK);
    assert_int_equal(fiscp_round(c, "x", &v, &got), FISC_OK);
    assert_decimal_equal(&got, "200");
    assert_int_equal(fiscp_item_end(c), FISC_OK);
    fiscp_ctx_close(c);
    fisc_result_free(r);
    fisc_decimal_clear(&conf.unit);
}

/* Whole evaluations under units the inline path does and does not take: traced, untraced and reused agree. */
static void round_units_same_untraced(void **state)
{
    static const char *const units[] = { "1", "0.1", "0.05", "100", "0.010" };
    static const char *const rows[] = {
        "{\"taxable_income\": 2800000, " SIZE_OK "}",
        "{\"taxable_income\": 1234567.891, " SIZE_OK "}",
        "{\"taxable_income\": 3000100, " SIZE_OK ", \"hnte_certificate_date\": \"2023-03-01\"}",
        "{\"taxable_income\": -5000.5, " SIZE_OK "}",
        "{\"taxable_income\": 0, " SIZE_OK "}",
        "{\"taxable_income\": 12345678901234567.89, " SIZE_OK "}",
    };

    (void)state;
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        fisc_policy *p = national_rounded_to(units[u]);

        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
            for (int q = 0; q <= 4; q += 2)
                fisc_test_same_untraced(p, rows[i], q ? 2023 : 2019 + (int)i, q);
        fisc_test_reused_free(); /* it holds p */
        fisc_policy_free(p);
    }
}

/* ---- fiscp_param_scale's inline first bracket against the bracket loop (traced, it always loops) */

/* One scale of cn.cit's share parameter (index P_SHARE of prog_cit.c: 3) in a context, traced or not. */
static fisc_status scale_once(const fisc_policy *p, const fiscp_program_conf *cit, int year, int trace,
                              const fisc_decimal *base, fisc_decimal *out, fisc_error *err, size_t *cited)
{
    fisc_result *r = NULL;
    fiscp_ctx *c = NULL;
    const char *detail = "stale";
    fisc_status rc;

    assert_int_equal(fiscp_result_new(&r, p, year, 0, err), FISC_OK);
    assert_int_equal(fiscp_ctx_open(&c, r, p, trace, err), FISC_OK);
    assert_int_equal(fiscp_result_reserve(r, 1, err), FISC_OK);
    assert_int_equal(fiscp_item_begin(c, cit), FISC_OK);
    fiscp_error_set(err, FISC_EINVAL, "stale"); /* reset by both paths, or set to the same message */
    rc = fiscp_param_scale(c, 3, base, out, &detail);
    assert_true(trace || detail[0] == '\0');
    *cited = fiscp_ctx_item(c)->param_count;
    fiscp_ctx_close(c);
    fisc_result_free(r);
    return rc;
}

/*
 * Marginal and whole-amount scales (2021: brackets to 100万 and 300万; 2023: one to 300万), bases at and
 * around the bounds, 0, negative, 64-bit and 128-bit coefficients, rationals, and above the last bracket:
 * untraced (the inline first bracket where it applies) gives the traced loop's status, error text,
 * value in the same form, and citation.
 */
static void scale_first_bracket_matches_loop(void **state)
{
    static const char *const bases[] = {
        "0", "0.00", "-1", "-5000.5", "1", "0.5", "999999.99", "1000000", "1000000.00", "1000000.01",
        "1234567.891", "2999999.999", "3000000", "3000000.000", "3000000.01", "9223372036854775807",
        "-9223372036854775808", "92233.72036854775807", "0.12345678901234567890", "-0.98765432109876543210",
        "999999.12345678901234567890", "2999999.1234567890123456789", "123456789012345678901234567890", "1/3",
        "-2/3", "3000001/3",
    };
    static const int years[] = { 2021, 2023 };
    fisc_error err_fast = FISC_ERROR_INIT, err_loop = FISC_ERROR_INIT;

    (void)state;
    for (int whole = 0; whole < 2; whole++) {
        fisc_policy *p = national_rounded_to("0.01");
        const fiscp_program_conf *cit = NULL;

        for (size_t i = 0; i < p->nprograms; i++)
            if (strcmp(p->programs[i].id, "cn.cit") == 0)
                cit = &p->programs[i];
        assert_non_null(cit);
        assert_string_equal(cit->params[3]->id, "cit.small_micro.taxable_share");
        if (whole) /* the same brackets read whole-amount: this policy is the test's own */
            ((fisc_param *)cit->params[3])->semantics = SCALE_WHOLE;
        for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++)
            for (size_t k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
                fisc_decimal base, fast, loop;
                fisc_status rc_fast, rc_loop;
                size_t cited_fast, cited_loop;
                char what[200];

                snprintf(what, sizeof(what), "%s in %d, %s", bases[k], years[y], whole ? "whole" : "marginal");
                fisc_decimal_init(&base);
                fisc_decimal_init(&fast);
                fisc_decimal_init(&loop);
                parse_ok(&base, bases[k]);
                rc_fast = scale_once(p, cit, years[y], 0, &base, &fast, &err_fast, &cited_fast);
                rc_loop = scale_once(p, cit, years[y], 1, &base, &loop, &err_loop, &cited_loop);
                if (rc_fast != rc_loop || err_fast.code != err_loop.code || strcmp(err_fast.text, err_loop.text) != 0)
                    fail_msg("%s: status %d (%s), not %d (%s)", what, rc_fast, err_fast.text, rc_loop, err_loop.text);
                assert_int_equal(cited_fast, 1);
                assert_int_equal(cited_loop, 1);
                if (rc_fast == FISC_OK)
                    assert_same_form(&fast, &loop, what);
                else
                    assert_int_equal(rc_fast, FISC_ERANGE); /* above the last bracket */
                fisc_decimal_clear(&base);
                fisc_decimal_clear(&fast);
                fisc_decimal_clear(&loop);
            }
        fisc_policy_free(p);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we9_same_income_across_years),
        cmocka_unit_test(the_300_wan_cliff),
        cmocka_unit_test(we10_hnte_versus_small_micro),
        cmocka_unit_test(we7_quarterly_prepayment_2019),
        cmocka_unit_test(we8_textbook_years),
        cmocka_unit_test(missing_facts_are_named),
        cmocka_unit_test(yulin_reward),
        cmocka_unit_test(overlay_makes_results_provisional),
        cmocka_unit_test(exact_numbers_round_trip),
        cmocka_unit_test(json_and_text),
        cmocka_unit_test(errors_and_limits),
        cmocka_unit_test(options_version_1),
        cmocka_unit_test(shared_between_threads),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(evaluate_into_reuses_a_result),
        cmocka_unit_test(evaluate_into_failures),
        cmocka_unit_test(evaluate_into_across_policies),
        cmocka_unit_test(evaluate_into_oom),
        cmocka_unit_test(round_inline_matches_general),
        cmocka_unit_test(round_inline_not_for_agreements),
        cmocka_unit_test(round_units_same_untraced),
        cmocka_unit_test(scale_first_bracket_matches_loop),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("evaluate", tests, group_setup, group_teardown);
}
