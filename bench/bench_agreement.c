/*
 * Agreement benchmark (issue 6): evaluate a 10-year agreement (2023-2032) with 10 terms of every kind
 * (fixed, rate, concession), with caps per year and in total, an overall ceiling, milestone, annual and
 * event conditions, instalments, and a clawback whose commitments hold, against ten years of actuals
 * already parsed; trace off. Reports the time per evaluation (best of 5 runs of N evaluations, one
 * core). Target: under 50 microseconds. Usage: bench_agreement POLICY-DIR [N].
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

/* Integer nanoseconds: no floating point, not even for timing. */
static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char AGREEMENT[] =
    "fisc_agreement: 1\n"
    "id: bench-2023-001\n"
    "number: 玉高管协〔2023〕1号\n"
    "title: {zh: 基准测试协议, en: Benchmark agreement}\n"
    "parties:\n"
    "  enterprise: {name: 广西某某新材料有限公司, uscc: 91450900MA5L800091}\n"
    "  government: {name: 玉林高新技术产业开发区管理委员会}\n"
    "project: {name: 年产5万吨新材料项目}\n"
    "signed: 2023-03-15\n"
    "approval: {authority: city_government_executive_meeting}\n"
    "basis:\n"
    "  category: fortune_global_500\n"
    "  evidence: {fortune_global_500_rank: 123, located_in_high_tech_zone: yes}\n"
    "ceiling: {amount_wan: \"20000\", share_of_fixed_asset_investment: \"20%\", clause: 第九条}\n"
    "clawback:\n"
    "  clause: 第十条\n"
    "  commitments:\n"
    "    - {event: relocated_out, absent_until: 2032-12-31}\n"
    "    - {metric: output, over: cumulative, at_least: \"500000000\", by: 2026}\n"
    "  share: \"100%\"\n"
    "  interest: {rate: \"3.45%\", basis: 365}\n"
    "terms:\n"
    "  - id: equipment\n"
    "    clause: 第五条\n"
    "    kind: rate\n"
    "    base: equipment_investment\n"
    "    rate: \"5%\"\n"
    "    years: [2023, 2027]\n"
    "    cap_per_year: \"5000000\"\n"
    "    cap_total_wan: \"1500\"\n"
    "    release: [{metric: funds_in_place, over: cumulative, at_least: \"300000000\", by: 2024}]\n"
    "    late_share: \"50%\"\n"
    "    instalments: [{share: \"40%\"}, {share: \"30%\", after: 1}, {share: \"30%\", after: 2}]\n"
    "    pay_on: 06-30\n"
    "  - id: output\n"
    "    clause: 第六条\n"
    "    kind: rate\n"
    "    base: output\n"
    "    rate: \"1%\"\n"
    "    years: [2024, 2032]\n"
    "    cap_total_wan: \"3000\"\n"
    "    release: [{metric: headcount, at_least: 200}]\n"
    "  - {id: fixed, clause: 第七条, kind: fixed, amount_wan: \"100\", years: [2023, 2032], cap_total_wan: \"800\"}\n"
    "  - {id: rent, clause: 第八条, kind: concession, base: rent, rate: \"50%\", years: [2023, 2027]}\n"
    "  - id: land\n"
    "    clause: 第八条第二款\n"
    "    kind: concession\n"
    "    base: land_price\n"
    "    rate: \"30%\"\n"
    "    years: [2023, 2023]\n"
    "    instalments: [{share: \"50%\"}, {share: \"50%\", after: 1}]\n"
    "  - id: revenue\n"
    "    clause: 第十一条\n"
    "    kind: rate\n"
    "    base: revenue\n"
    "    rate: \"0.5%\"\n"
    "    years: [2025, 2032]\n"
    "    release: [{event: production_started, by: 2024-06-30}]\n"
    "  - {id: investment, clause: 第十二条, kind: rate, base: fixed_asset_investment, rate: \"2%\", years: [2023, 2026],"
    " cap_per_year: \"3000000\"}\n"
    "  - id: hq\n"
    "    clause: 第十三条\n"
    "    kind: fixed\n"
    "    amount_wan: \"200\"\n"
    "    years: [2023, 2025]\n"
    "    instalments: [{share: \"1/3\"}, {share: \"1/3\", after: 1}, {share: \"1/3\", after: 2, conditions: [{metric: "
    "headcount, at_least: 250}]}]\n"
    "  - {id: funds, clause: 第十四条, kind: rate, base: funds_in_place, rate: \"1%\", years: [2023, 2025]}\n"
    "  - id: staff\n"
    "    clause: 第十五条\n"
    "    kind: fixed\n"
    "    amount_wan: \"50\"\n"
    "    years: [2026, 2032]\n"
    "    release: [{metric: headcount, at_least: 300}]\n"
    "    cap_per_year_wan: \"40\"\n";

/* Ten years of figures: the milestone met in 2024, the event in time, headcount growing. */
static const char ACTUALS[] =
    "{\"fisc_actuals\": 1, \"agreement\": \"bench-2023-001\", \"events\": {\"production_started\": \"2024-05-20\"},"
    " \"years\": {"
    "\"2023\": {\"funds_in_place\": \"180000000\", \"fixed_asset_investment\": \"150000000\", \"equipment_investment\": "
    "\"60000000\", \"output\": \"0\", \"revenue\": \"0\", \"rent\": \"1200000\", \"land_price\": \"30000000\", "
    "\"headcount\": 120},"
    "\"2024\": {\"funds_in_place\": \"140000000\", \"fixed_asset_investment\": \"120000000\", \"equipment_investment\": "
    "\"40000000\", \"output\": \"150000000\", \"revenue\": \"140000000\", \"rent\": \"1200000\", \"headcount\": 230},"
    "\"2025\": {\"funds_in_place\": \"20000000\", \"fixed_asset_investment\": \"30000000\", \"equipment_investment\": "
    "\"20000000\", \"output\": \"260000000\", \"revenue\": \"250000000\", \"rent\": \"1200000\", \"headcount\": 260},"
    "\"2026\": {\"fixed_asset_investment\": \"10000000\", \"equipment_investment\": \"5000000\", \"output\": "
    "\"320000000\", \"revenue\": \"300000000\", \"rent\": \"1300000\", \"headcount\": 310},"
    "\"2027\": {\"fixed_asset_investment\": \"0\", \"equipment_investment\": \"2000000\", \"output\": \"350000000\", "
    "\"revenue\": \"330000000\", \"rent\": \"1300000\", \"headcount\": 320},"
    "\"2028\": {\"fixed_asset_investment\": \"0\", \"output\": \"380000000\", \"revenue\": \"360000000\", \"headcount\": 330},"
    "\"2029\": {\"fixed_asset_investment\": \"0\", \"output\": \"400000000\", \"revenue\": \"380000000\", \"headcount\": 330},"
    "\"2030\": {\"fixed_asset_investment\": \"0\", \"output\": \"420000000\", \"revenue\": \"400000000\", \"headcount\": 340},"
    "\"2031\": {\"fixed_asset_investment\": \"0\", \"output\": \"430000000\", \"revenue\": \"410000000\", \"headcount\": 340},"
    "\"2032\": {\"fixed_asset_investment\": \"0\", \"output\": \"450000000\", \"revenue\": \"420000000\", \"headcount\": 350}"
    "}}";

static int fail(const char *what, const fisc_error *err)
{
    fprintf(stderr, "%s: %s:%d:%d: %s\n", what, err->source, err->line, err->column, err->text);
    return 1;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "policies";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 20000;
    fisc_policy *policy = NULL;
    fisc_agreement *a = NULL;
    fisc_actuals *act = NULL;
    fisc_agreement_result *r = NULL;
    fisc_agreement_options o = FISC_AGREEMENT_OPTIONS_INIT;
    fisc_error err = FISC_ERROR_INIT;
    uint64_t best = UINT64_MAX, per;

    if (n <= 0) {
        fprintf(stderr, "usage: bench_agreement POLICY-DIR [N > 0]\n");
        return 2;
    }
    if (setenv("FISC_POLICY_DIR", dir, 1) != 0 || fisc_policy_load_default(&policy, NULL, &err) != FISC_OK)
        return fail("policy", &err);
    if (fisc_agreement_load_string(&a, policy, "bench.yaml", AGREEMENT, strlen(AGREEMENT), &err) != FISC_OK)
        return fail("agreement", &err);
    if (fisc_actuals_load_string(&act, "bench.json", ACTUALS, strlen(ACTUALS), &err) != FISC_OK)
        return fail("actuals", &err);
    /* one evaluation first, to check the shape: ten years, a payment, no clawback */
    if (fisc_agreement_evaluate(&r, a, act, &o, &err) != FISC_OK)
        return fail("evaluate", &err);
    if (fisc_agreement_result_year_count(r) != 10 || fisc_decimal_sign(fisc_agreement_result_total(r, "due")) <= 0 ||
        fisc_decimal_sign(fisc_agreement_result_total(r, "repay")) != 0) {
        fprintf(stderr, "unexpected result: %zu years\n", fisc_agreement_result_year_count(r));
        return 1;
    }
    fisc_agreement_result_free(r);
    for (int run = 0; run < 5; run++) {
        uint64_t t = now_ns();

        for (long i = 0; i < n; i++) {
            if (fisc_agreement_evaluate(&r, a, act, &o, &err) != FISC_OK)
                return fail("evaluate", &err);
            fisc_agreement_result_free(r);
        }
        t = now_ns() - t;
        best = t < best ? t : best;
    }
    per = best / (uint64_t)n;
    printf("evaluate a 10-year agreement with 10 terms, actuals parsed, trace off: %llu.%03llu us per evaluation "
           "(%ld evaluations, best of 5 runs, one core)\n",
           (unsigned long long)(per / 1000u), (unsigned long long)(per % 1000u), n);
    fisc_actuals_free(act);
    fisc_agreement_free(a);
    fisc_policy_free(policy);
    return 0;
}
