/*
 * Golden tests of gx.tech_loan_risk_compensation on the bundled policy (policy-params.md §5.2; no
 * official worked example exists): the base ratio on the net loss after recovery, the uplift for
 * first-time borrowers, credit loans and young firms (one uplift at most), the per-loan cap (an
 * overlay raises the ratio so that it binds), the bank's allocation (budget 1亿 × the bank's share
 * − already compensated) and the pool remaining, each exactly at the cap, one 分 beyond and used
 * up; the first year (2025/2026), missing facts, the provisional flag and an allocation sweep.
 */
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle;
static const char *dir;

#define PROGRAM "gx.tech_loan_risk_compensation"

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

/* flags: "first credit young" as three 0/1 characters, e.g. "100". */
static void facts_json(char *buf, size_t size, const char *loss, const char *recovered, const char *flags,
                       const char *share, const char *compensated, const char *pool)
{
    snprintf(buf, size,
             "{\"tech_loan_loss\": \"%s\", \"tech_loan_recovered\": \"%s\", \"tech_loan_first_loan\": %s, "
             "\"tech_loan_credit_loan\": %s, \"tech_loan_young_firm\": %s, \"tech_loan_bank_share\": \"%s\", "
             "\"tech_loan_bank_compensated_year\": \"%s\", \"tech_loan_pool_remaining\": \"%s\"}",
             loss, recovered, flags[0] == '1' ? "true" : "false", flags[1] == '1' ? "true" : "false",
             flags[2] == '1' ? "true" : "false", share, compensated, pool);
}

static void check_on(const fisc_policy *p, const char *loss, const char *recovered, const char *flags,
                     const char *share, const char *compensated, const char *pool, const char *net,
                     const char *compensation)
{
    char json[600];

    facts_json(json, sizeof(json), loss, recovered, flags, share, compensated, pool);
    for (int trace = 0; trace <= 1; trace++) {
        fisc_result *r = fisc_test_evaluate(p, json, 2026, 0, trace);
        const fisc_item *it = fisc_test_item(r, PROGRAM);

        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s: outcome %d (%s)", json, it->outcome, it->summary_en);
        assert_item_amount(it, "net_loss", net);
        assert_item_amount(it, "compensation", compensation);
        assert_int_equal(it->amounts[0].category, -1);
        assert_int_equal(it->amounts[1].category, FISC_CATEGORY_SUBSIDY);
        assert_true(it->provisional); /* the ratios are unconfirmed */
        fisc_result_free(r);
    }
}

#define check(...) check_on(bundle, __VA_ARGS__)

/* 30% of the net loss: (1,000,000 − 200,000) × 30% = 240,000; with recoveries ≥ the loss, 0. */
static void base_ratio(void **state)
{
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("1000000", "200000", "000", "0.1", "0", "50000000", "800000.00", "240000.00");
    check("1000000", "0", "000", "0.1", "0", "50000000", "1000000.00", "300000.00");
    check("1000000", "1000000", "000", "0.1", "0", "50000000", "0.00", "0.00");
    check("1000000", "1200000", "000", "0.1", "0", "50000000", "0.00", "0.00");
    /* rounded once: 333,333.33 × 30% = 99,999.999 → 100,000.00 */
    check("333333.33", "0", "000", "0.1", "0", "50000000", "333333.33", "100000.00");
    facts_json(json, sizeof(json), "1000000", "200000", "000", "0.1", "0", "50000000");
    r = fisc_test_evaluate(bundle, json, 2026, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(fisc_test_condition(it, "tech_loan_risk.uplift")->state, FISC_COND_NOT_MET);
    assert_null(fisc_test_find_param(it, "gx.tech_loan_risk.uplift"));
    assert_int_equal(fisc_test_param(it, "gx.tech_loan_risk.ratio")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_int_equal(fisc_test_param(it, "gx.tech_loan_risk.annual_budget")->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_string_equal(fisc_test_step(it, "by_ratio")->substituted, "800000 × 30%");
    assert_string_equal(fisc_test_step(it, "cap.bank")->substituted, "max(0, 100000000 × 10% − 0)");
    fisc_result_free(r);
}

/* +5pp for a first-time borrower, a credit loan or a young firm, once: 800,000 × 35% = 280,000. */
static void uplift(void **state)
{
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("1000000", "200000", "100", "0.1", "0", "50000000", "800000.00", "280000.00");
    check("1000000", "200000", "010", "0.1", "0", "50000000", "800000.00", "280000.00");
    check("1000000", "200000", "001", "0.1", "0", "50000000", "800000.00", "280000.00");
    check("1000000", "200000", "111", "0.1", "0", "50000000", "800000.00", "280000.00");
    facts_json(json, sizeof(json), "1000000", "200000", "110", "0.1", "0", "50000000");
    r = fisc_test_evaluate(bundle, json, 2026, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(fisc_test_condition(it, "tech_loan_risk.uplift")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_param(it, "gx.tech_loan_risk.uplift")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_string_equal(fisc_test_step(it, "ratio")->substituted, "30% + 5%");
    fisc_result_free(r);
}

/* The per-loan cap, 50% of the net loss, binds only above a 50% ratio: an overlay sets 60%. */
static void per_loan_cap(void **state)
{
    static const char overlay[] =
        "fisc_policy: 1\nid: scenario.ratio60\ntitle: {zh: 补偿比例60%, en: Ratio 60%}\noverlay: true\n"
        "parameters:\n  - id: gx.tech_loan_risk.ratio\n    values:\n"
        "      - {from: 2026-01-01, value: \"60%\", status: unconfirmed, citation: {document: 假设方案}}\n"
        "  - id: gx.tech_loan_risk.uplift\n    values:\n"
        "      - {from: 2026-01-01, value: \"-10\", status: unconfirmed, citation: {document: 假设方案}}\n";
    char path[64];
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    FILE *f;

    (void)state;
    /* not binding with the bundled 30% / 35% (above) */
    snprintf(path, sizeof(path), "overlay-techloan-%d.yaml", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(overlay, f);
    fclose(f);
    setenv("FISC_POLICY_DIR", dir, 1);
    assert_int_equal(fisc_policy_load_default(&p, path, &err), FISC_OK);
    remove(path);
    check_on(p, "1000000", "200000", "000", "0.1", "0", "50000000", "800000.00", "400000.00"); /* 60% → cap 50% */
    check_on(p, "1000000", "200000", "100", "0.1", "0", "50000000", "800000.00", "400000.00"); /* 50%: at the cap */
    fisc_policy_free(p);
}

/* The bank's allocation: 1亿 × 10% = 10,000,000, less what the bank has had this year. */
static void bank_cap(void **state)
{
    (void)state;
    check("1000000", "200000", "000", "0.1", "9000000", "50000000", "800000.00", "240000.00");  /* not binding */
    check("1000000", "200000", "000", "0.1", "9760000", "50000000", "800000.00", "240000.00");  /* exactly */
    check("1000000", "200000", "000", "0.1", "9760000.01", "50000000", "800000.00", "239999.99"); /* 1分 beyond */
    check("1000000", "200000", "000", "0.1", "9800000", "50000000", "800000.00", "200000.00");  /* binding */
    check("1000000", "200000", "000", "0.1", "10000000", "50000000", "800000.00", "0.00");      /* used up */
    check("1000000", "200000", "000", "0.1", "12000000", "50000000", "800000.00", "0.00");
    check("1000000", "200000", "000", "0.0024", "0", "50000000", "800000.00", "240000.00");     /* 1亿 × 0.24% */
    check("1000000", "200000", "000", "0", "0", "50000000", "800000.00", "0.00");               /* no new loans */
}

/* The year's pool remaining. */
static void pool(void **state)
{
    (void)state;
    check("1000000", "200000", "000", "0.1", "0", "240000.01", "800000.00", "240000.00");
    check("1000000", "200000", "000", "0.1", "0", "240000", "800000.00", "240000.00");
    check("1000000", "200000", "000", "0.1", "0", "239999.99", "800000.00", "239999.99");
    check("1000000", "200000", "000", "0.1", "0", "100000", "800000.00", "100000.00");
    check("1000000", "200000", "000", "0.1", "0", "0", "800000.00", "0.00"); /* exhausted */
}

/* The 办法 starts in 2026: 2025 (year, Q4) not eligible and nothing asked; 2026 Q1 eligible. */
static void first_year(void **state)
{
    char json[600];
    static const int periods[][3] = { { 2025, 0, 0 }, { 2025, 4, 0 }, { 2026, 1, 1 }, { 2026, 0, 1 } };

    (void)state;
    facts_json(json, sizeof(json), "1000000", "200000", "000", "0.1", "0", "50000000");
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(periods); i++) {
        fisc_result *r = fisc_test_evaluate(bundle, json, periods[i][0], periods[i][1], 1);
        const fisc_item *it = fisc_test_item(r, PROGRAM);

        if (periods[i][2]) {
            assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
            assert_item_amount(it, "compensation", "240000.00");
        } else {
            assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
            assert_int_equal(it->amount_count, 0);
            assert_int_equal(it->param_count, 0);
            assert_int_equal(it->missing_count, 0);
            assert_int_equal(fisc_test_condition(it, "tech_loan_risk.in_force")->state, FISC_COND_NOT_MET);
        }
        fisc_result_free(r);
    }
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* no flag true and two missing (each could still be true): the uplift is unknown */
    r = fisc_test_evaluate(bundle,
                           "{\"tech_loan_loss\": 1000000, \"tech_loan_recovered\": 0, \"tech_loan_first_loan\": false, "
                           "\"tech_loan_bank_share\": \"0.1\", \"tech_loan_bank_compensated_year\": 0, "
                           "\"tech_loan_pool_remaining\": 50000000}",
                           2026, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 2);
    assert_string_equal(it->missing[0], "tech_loan_credit_loan");
    assert_string_equal(it->missing[1], "tech_loan_young_firm");
    assert_int_equal(fisc_test_condition(it, "tech_loan_risk.uplift")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
    /* a first-time borrower: the other flags are not needed */
    r = fisc_test_evaluate(bundle,
                           "{\"tech_loan_loss\": 1000000, \"tech_loan_recovered\": 0, \"tech_loan_first_loan\": true, "
                           "\"tech_loan_bank_share\": \"0.1\", \"tech_loan_bank_compensated_year\": 0, "
                           "\"tech_loan_pool_remaining\": 50000000}",
                           2026, 0, 1);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_int_equal(it->missing_count, 0);
    assert_item_amount(it, "compensation", "350000.00");
    fisc_result_free(r);
    r = fisc_test_evaluate(bundle, "{\"tech_loan_loss\": 1000000}", 2026, 0, 0);
    it = fisc_test_item(r, PROGRAM);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 7);
    assert_true(fisc_test_is_missing(it, "tech_loan_recovered"));
    assert_true(fisc_test_is_missing(it, "tech_loan_first_loan"));
    assert_true(fisc_test_is_missing(it, "tech_loan_credit_loan"));
    assert_true(fisc_test_is_missing(it, "tech_loan_young_firm"));
    assert_true(fisc_test_is_missing(it, "tech_loan_bank_share"));
    assert_true(fisc_test_is_missing(it, "tech_loan_bank_compensated_year"));
    assert_true(fisc_test_is_missing(it, "tech_loan_pool_remaining"));
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    char json[600];
    fisc_result *r;

    (void)state;
    facts_json(json, sizeof(json), "1000000", "200000", "100", "0.1", "0", "50000000");
    r = fisc_test_oom_sweep(bundle, json, 2026, 0, 1);
    assert_int_equal(fisc_result_find(r, PROGRAM)->outcome, FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base_ratio), cmocka_unit_test(uplift),        cmocka_unit_test(per_loan_cap),
        cmocka_unit_test(bank_cap),   cmocka_unit_test(pool),          cmocka_unit_test(first_year),
        cmocka_unit_test(missing_facts), cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("tech_loan_risk_compensation", tests, group_setup, group_teardown);
}
