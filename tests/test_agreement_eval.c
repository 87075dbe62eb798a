/*
 * Agreements (一事一议): the year-by-year evaluation (docs/agreement-format.md, "Evaluation") on the
 * bundled policy. Each golden test writes a small agreement and its actuals, evaluates them and
 * asserts every amount of every year to the 分, with the arithmetic in the comments: milestones met
 * on time, met late (late_share 50% and 0%), never met; an annual condition; cap_per_year, cap_total
 * and the overall ceiling (an amount, a share of the fixed-asset investment, and both) binding; an
 * instalment split 40/30/30 that does not divide evenly (checked against fisc_apportion); an
 * instalment whose condition fails, and one whose figure is missing; a clawback after payment
 * without interest, and with interest on 360 and 365 days from 06-30 payments to an event's date;
 * higher_of against gx.investment_reward both ways, exclusive and additive, and with G unknown;
 * the legal gate on each side of 2024-08-01; the schedule; trace on and off alike; the JSON and
 * text; an allocation-failure sweep over evaluate, to_json and to_text.
 */
#include <stdlib.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *policy;
static const char *dir;

static int group_setup(void **state)
{
    (void)state;
    policy = fisc_test_load_policy(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(policy);
    return 0;
}

/* ------------------------------------------------------------------ helpers */

/* A valid head (signed on DATE), to which each test appends its terms. */
#define HEAD_SIGNED(date)                                                          \
    "fisc_agreement: 1\n"                                                          \
    "id: t-1\n"                                                                    \
    "number: 玉高管协〔2023〕1号\n"                                                \
    "title: {zh: 测试协议, en: Test agreement}\n"                                  \
    "parties:\n"                                                                   \
    "  enterprise: {name: 某公司, uscc: 91450900MA5L800091}\n"                     \
    "  government: {name: 玉林高新区管委会}\n"                                     \
    "project: {name: 项目}\n"                                                      \
    "signed: " date "\n"                                                           \
    "approval: {authority: city_government_executive_meeting}\n"                   \
    "basis:\n"                                                                     \
    "  category: fortune_global_500\n"                                             \
    "  evidence: {fortune_global_500_rank: 123, located_in_high_tech_zone: yes}\n"
#define HEAD HEAD_SIGNED("2023-03-15")

/* Actuals for t-1 with the given members (years, events, facts). */
#define ACTUALS(members) "{\"fisc_actuals\": 1, \"agreement\": \"t-1\"" members "}"

static fisc_agreement *load_agreement(const char *yaml, const char *file, int line)
{
    fisc_agreement *a = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_agreement_load_string(&a, policy, "t.yaml", yaml, strlen(yaml), &err) != FISC_OK) {
        print_error("%s:%d: agreement: %s:%d:%d: %s\n", file, line, err.source, err.line, err.column, err.text);
        _fail(file, line);
    }
    return a;
}

static fisc_actuals *load_actuals(const char *json, const char *file, int line)
{
    fisc_actuals *act = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_actuals_load_string(&act, "a.json", json, strlen(json), &err) != FISC_OK) {
        print_error("%s:%d: actuals: %d:%d: %s\n", file, line, err.line, err.column, err.text);
        _fail(file, line);
    }
    return act;
}

/* Evaluate yaml against json (NULL with schedule); the result holds the agreement. */
static fisc_agreement_result *evaluate_at(const char *yaml, const char *json, int trace, int schedule,
                                          const char *file, int line)
{
    fisc_agreement *a = load_agreement(yaml, file, line);
    fisc_actuals *act = json ? load_actuals(json, file, line) : NULL;
    fisc_agreement_options o = FISC_AGREEMENT_OPTIONS_INIT;
    fisc_agreement_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_status rc;

    o.trace = trace;
    o.schedule = schedule;
    rc = fisc_agreement_evaluate(&r, a, act, &o, &err);
    fisc_agreement_free(a);
    fisc_actuals_free(act);
    if (rc != FISC_OK) {
        print_error("%s:%d: evaluate: %s: %s\n", file, line, fisc_err_name(rc), err.text);
        _fail(file, line);
    }
    return r;
}
#define evaluate(yaml, json) evaluate_at((yaml), (json), 1, 0, __FILE__, __LINE__)
#define evaluate_untraced(yaml, json) evaluate_at((yaml), (json), 0, 0, __FILE__, __LINE__)
#define schedule_of(yaml) evaluate_at((yaml), NULL, 1, 1, __FILE__, __LINE__)

static const fisc_result *year_at(const fisc_agreement_result *r, int year, const char *file, int line)
{
    for (size_t i = 0; i < fisc_agreement_result_year_count(r); i++)
        if (fisc_agreement_result_year(r, i) == year)
            return fisc_agreement_result_at(r, i);
    print_error("%s:%d: no year %d in the result\n", file, line, year);
    _fail(file, line);
    return NULL;
}
#define year_of(r, y) year_at((r), (y), __FILE__, __LINE__)

/* Term TERM's item ("t-1/TERM"), or the package's ("t-1") with term NULL, in year y. */
static const fisc_item *item_at(const fisc_agreement_result *r, int y, const char *term, const char *file, int line)
{
    char id[64];

    snprintf(id, sizeof(id), term ? "t-1/%s" : "t-1", term);
    return fisc_test_item_at(year_at(r, y, file, line), id, file, line);
}
#define term_of(r, y, t) item_at((r), (y), (t), __FILE__, __LINE__)
#define package_of(r, y) item_at((r), (y), NULL, __FILE__, __LINE__)

/* The amount name of it is absent. */
#define assert_no_amount(it, name) assert_null(fisc_test_amount((it), (name)))

static void assert_total_at(const fisc_agreement_result *r, const char *name, const char *want, const char *file,
                            int line)
{
    const fisc_decimal *v = fisc_agreement_result_total(r, name);

    if (!v) {
        print_error("%s:%d: no total %s\n", file, line, name);
        _fail(file, line);
    }
    fisc_test_decimal_equal(v, 2, want, file, line);
}
#define assert_total(r, name, want) assert_total_at((r), (name), (want), __FILE__, __LINE__)

static void assert_state_at(const fisc_item *it, const char *id, int state, const char *file, int line)
{
    const fisc_condition *c = fisc_test_condition_at(it, id, file, line);

    if (c->state != state) {
        print_error("%s:%d: %s: condition %s is %d (%s), expected %d\n", file, line, it->program, id, c->state,
                    c->detail, state);
        _fail(file, line);
    }
}
#define assert_state(it, id, state) assert_state_at((it), (id), (state), __FILE__, __LINE__)

/* ------------------------------------------------------------------ release conditions */

/* 5% of the year's equipment investment, 2023-2025, released once 3亿 of funds are in place (cumulative). */
#define EQUIPMENT_TERM(by, late)                                                                       \
    "terms:\n"                                                                                         \
    "  - id: equip\n"                                                                                  \
    "    clause: 第五条\n"                                                                             \
    "    kind: rate\n"                                                                                 \
    "    base: equipment_investment\n"                                                                 \
    "    rate: \"5%\"\n"                                                                               \
    "    years: [2023, 2025]\n"                                                                        \
    "    release:\n"                                                                                   \
    "      - {metric: funds_in_place, over: cumulative, at_least: \"300000000\", by: " by ", clause: 第六条}\n" \
    late

/* Funds in place 1.8亿 + 1.4亿 = 3.2亿 by 2024; equipment 6000万, 4000万, 2000万. */
static const char FUNDS_MET_2024[] = ACTUALS(
    ", \"years\": {\"2023\": {\"funds_in_place\": \"180000000\", \"equipment_investment\": \"60000000\"},"
    " \"2024\": {\"funds_in_place\": \"140000000\", \"equipment_investment\": \"40000000\"},"
    " \"2025\": {\"funds_in_place\": \"0\", \"equipment_investment\": \"20000000\"}}");

/*
 * Met on time (deadline 2024). 2023: 1.8亿 < 3亿, the award of 2023 (6000万 × 5% = 300万) waits. 2024: 1.8亿 +
 * 1.4亿 = 3.2亿 ≥ 3亿, met in 2024: the awards of 2023 (300万) and 2024 (4000万 × 5% = 200万) are released and
 * paid, 500万. 2025: 2000万 × 5% = 100万. In all 600万.
 */
static void met_on_time(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD EQUIPMENT_TERM("2024", ""), FUNDS_MET_2024);
    const fisc_item *it;

    (void)state;
    assert_int_equal(fisc_agreement_result_year_count(r), 3);
    it = term_of(r, 2023, "equip");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "waiting", "3000000.00");
    assert_no_amount(it, "due");
    assert_state(it, "equip.release.1", FISC_COND_NOT_MET);
    it = term_of(r, 2024, "equip");
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "computed", "5000000.00");
    assert_item_amount(it, "awarded", "5000000.00");
    assert_item_amount(it, "due", "5000000.00");
    assert_item_amount(it, "paid_to_date", "5000000.00");
    assert_no_amount(it, "withheld");
    assert_no_amount(it, "waiting");
    assert_state(it, "equip.release.1", FISC_COND_MET);
    assert_string_equal(fisc_test_condition(it, "equip.release.1")->detail,
                        "320000000 ≥ 300000000 (累计至2024年 / cumulative to 2024)；2024年达成（期限2024年） / met in 2024 (deadline 2024)");
    /* the agreement's clauses cited: the rate and the condition's threshold */
    assert_string_equal(fisc_test_param(it, "agreement.equip.rate")->value, "5%");
    assert_string_equal(fisc_test_param(it, "agreement.equip.rate")->from, "2023-03-15");
    assert_string_equal(fisc_test_param(it, "agreement.equip.rate")->document, "玉高管协〔2023〕1号");
    assert_string_equal(fisc_test_param(it, "agreement.equip.rate")->article, "第五条");
    assert_string_equal(fisc_test_param(it, "agreement.equip.release.1")->value, "300000000");
    assert_string_equal(fisc_test_param(it, "agreement.equip.release.1")->article, "第六条");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "5000000.00");
    assert_item_amount(package_of(r, 2024), "due", "5000000.00");
    assert_item_amount(package_of(r, 2024), "awarded_to_date", "5000000.00");
    assert_item_amount(term_of(r, 2025, "equip"), "due", "1000000.00");
    assert_item_amount(term_of(r, 2025, "equip"), "paid_to_date", "6000000.00");
    assert_total(r, "due", "6000000.00");
    assert_total(r, "withheld", "0.00");
    assert_total(r, "net", "6000000.00");
    assert_false(fisc_agreement_result_provisional(r));
    fisc_agreement_result_free(r);
}

/*
 * Met late with late_share 50% (deadline 2023, met in 2024). 2023: waiting 300万. 2024: released late, each award
 * × 50%: 6000万 × 5% × 50% = 150万 and 4000万 × 5% × 50% = 100万: 250万. 2025: 2000万 × 5% × 50% = 50万.
 * In all 300万.
 */
static void met_late_half(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD EQUIPMENT_TERM("2023", "    late_share: \"50%\"\n"), FUNDS_MET_2024);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "equip"), "waiting", "3000000.00");
    it = term_of(r, 2024, "equip");
    assert_item_amount(it, "computed", "2500000.00");
    assert_item_amount(it, "due", "2500000.00");
    assert_state(it, "equip.release.1", FISC_COND_MET);
    assert_string_equal(fisc_test_condition(it, "equip.release.1")->detail,
                        "320000000 ≥ 300000000 (累计至2024年 / cumulative to 2024)；2024年达成，逾期（期限2023年） / met in 2024, late (deadline 2023)");
    assert_string_equal(fisc_test_param(it, "agreement.equip.late_share")->value, "50%");
    assert_item_amount(term_of(r, 2025, "equip"), "due", "500000.00");
    assert_total(r, "due", "3000000.00");
    assert_total(r, "withheld", "0.00");
    fisc_agreement_result_free(r);
}

/* late_share 0%: met late forfeits. 2024: the awards of 2023 and 2024 fail, 300万 + 200万 withheld; 2025: 100万. */
static void met_late_forfeits(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD EQUIPMENT_TERM("2023", "    late_share: \"0%\"\n"), FUNDS_MET_2024);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "equip"), "waiting", "3000000.00");
    it = term_of(r, 2024, "equip");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "withheld", "5000000.00");
    assert_no_amount(it, "due");
    assert_state(it, "equip.release.1", FISC_COND_NOT_MET);
    assert_item_amount(term_of(r, 2025, "equip"), "withheld", "1000000.00");
    assert_total(r, "due", "0.00");
    assert_total(r, "withheld", "6000000.00");
    fisc_agreement_result_free(r);
}

/*
 * Never met: 1亿 + 1亿 + 0.5亿 = 2.5亿 < 3亿. With the default late_share (100%) the awards keep waiting: 300万,
 * then 500万, then 600万 (never withheld, never paid).
 */
static void never_met(void **state)
{
    static const char json[] = ACTUALS(
        ", \"years\": {\"2023\": {\"funds_in_place\": \"100000000\", \"equipment_investment\": \"60000000\"},"
        " \"2024\": {\"funds_in_place\": \"100000000\", \"equipment_investment\": \"40000000\"},"
        " \"2025\": {\"funds_in_place\": \"50000000\", \"equipment_investment\": \"20000000\"}}");
    fisc_agreement_result *r = evaluate(HEAD EQUIPMENT_TERM("2024", ""), json);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "equip"), "waiting", "3000000.00");
    assert_item_amount(term_of(r, 2024, "equip"), "waiting", "5000000.00");
    it = term_of(r, 2025, "equip");
    assert_item_amount(it, "waiting", "6000000.00");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_string_equal(fisc_test_condition(it, "equip.release.1")->detail,
                        "250000000 < 300000000 (累计至2025年 / cumulative to 2025)；尚未达成（期限2024年） / not met yet (deadline 2024)");
    assert_total(r, "due", "0.00");
    assert_total(r, "withheld", "0.00");
    fisc_agreement_result_free(r);
}

/*
 * An annual condition (headcount ≥ 200 in the award's year) and a missing figure. 2023: 150 < 200, the award of
 * 2023 (100万) fails for good. 2024: 230, paid 100万. 2025: no headcount given: the award waits, undetermined.
 */
static void annual_condition(void **state)
{
    static const char yaml[] = HEAD
        "terms:\n"
        "  - id: staff\n"
        "    clause: 第七条\n"
        "    kind: fixed\n"
        "    amount_wan: \"100\"\n"
        "    years: [2023, 2025]\n"
        "    release:\n"
        "      - {metric: headcount, at_least: 200}\n";
    static const char json[] = ACTUALS(", \"years\": {\"2023\": {\"headcount\": 150}, \"2024\": {\"headcount\": 230}}");
    fisc_agreement_result *r = evaluate(yaml, json);
    const fisc_item *it;

    (void)state;
    it = term_of(r, 2023, "staff");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "withheld", "1000000.00");
    assert_string_equal(fisc_test_condition(it, "staff.release.1")->detail, "150 < 200 (2023年 / 2023)");
    assert_item_amount(term_of(r, 2024, "staff"), "due", "1000000.00");
    it = term_of(r, 2025, "staff");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_item_amount(it, "waiting", "1000000.00");
    assert_state(it, "staff.release.1", FISC_COND_UNKNOWN);
    assert_true(fisc_test_is_missing(it, "actuals.2025.headcount"));
    assert_int_equal(package_of(r, 2025)->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_total(r, "due", "1000000.00");
    assert_total(r, "withheld", "1000000.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ caps and the ceiling */

/* cap_per_year 100万 on 150万 a year: 100万 paid and 50万 withheld each year. */
static void cap_per_year_binds(void **state)
{
    static const char yaml[] = HEAD
        "terms:\n"
        "  - id: fixed\n"
        "    clause: 第三条\n"
        "    kind: fixed\n"
        "    amount: \"1500000\"\n"
        "    years: [2023, 2024]\n"
        "    cap_per_year: \"1000000\"\n";
    fisc_agreement_result *r = evaluate(yaml, ACTUALS(""));

    (void)state;
    for (int y = 2023; y <= 2024; y++) {
        const fisc_item *it = term_of(r, y, "fixed");

        assert_item_amount(it, "computed", "1500000.00");
        assert_item_amount(it, "awarded", "1000000.00");
        assert_item_amount(it, "due", "1000000.00");
        assert_item_amount(it, "withheld", "500000.00");
        assert_state(it, "cap_per_year", FISC_COND_NOT_MET);
        assert_string_equal(fisc_test_condition(it, "cap_per_year")->detail, "1500000 > 1000000 → 1000000");
        assert_string_equal(fisc_test_param(it, "agreement.fixed.cap_per_year")->value, "1000000");
    }
    assert_total(r, "due", "2000000.00");
    assert_total(r, "withheld", "1000000.00");
    fisc_agreement_result_free(r);
}

/*
 * cap_total 250万 on 10% of an output of 1000万 a year: 100万 (150万 left), 100万 (50万 left), then 100万 computed,
 * 50万 awarded, 50万 withheld, nothing left.
 */
static void cap_total_binds(void **state)
{
    static const char yaml[] = HEAD
        "terms:\n"
        "  - id: output\n"
        "    clause: 第四条\n"
        "    kind: rate\n"
        "    base: output\n"
        "    rate: \"10%\"\n"
        "    years: [2023, 2025]\n"
        "    cap_total_wan: \"250\"\n";
    static const char json[] = ACTUALS(", \"years\": {\"2023\": {\"output\": 10000000}, \"2024\": {\"output\": 10000000},"
                                       " \"2025\": {\"output\": 10000000}}");
    fisc_agreement_result *r = evaluate(yaml, json);
    const fisc_item *it;

    (void)state;
    it = term_of(r, 2023, "output");
    assert_item_amount(it, "due", "1000000.00");
    assert_item_amount(it, "cap_total_remaining", "1500000.00");
    assert_state(it, "cap_total", FISC_COND_MET);
    assert_item_amount(term_of(r, 2024, "output"), "cap_total_remaining", "500000.00");
    it = term_of(r, 2025, "output");
    assert_item_amount(it, "computed", "1000000.00");
    assert_item_amount(it, "awarded", "500000.00");
    assert_item_amount(it, "due", "500000.00");
    assert_item_amount(it, "withheld", "500000.00");
    assert_item_amount(it, "cap_total_remaining", "0.00");
    assert_state(it, "cap_total", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "cap_total")->detail, "1000000 > 500000 (2500000 − 2000000) → 500000");
    assert_total(r, "due", "2500000.00");
    assert_total(r, "withheld", "500000.00");
    fisc_agreement_result_free(r);
}

/* Two terms of 200万 in 2023 under a ceiling of 300万: the first is paid, the second gets the 100万 left. */
static void ceiling_amount_binds(void **state)
{
    static const char yaml[] = HEAD
        "ceiling: {amount: \"3000000\", clause: 第九条}\n"
        "terms:\n"
        "  - {id: a, clause: 第二条, kind: fixed, amount: \"2000000\", years: [2023, 2023]}\n"
        "  - {id: b, clause: 第三条, kind: fixed, amount: \"2000000\", years: [2023, 2023]}\n";
    fisc_agreement_result *r = evaluate(yaml, ACTUALS(""));
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "a"), "due", "2000000.00");
    assert_no_amount(term_of(r, 2023, "a"), "withheld");
    it = term_of(r, 2023, "b");
    assert_item_amount(it, "computed", "2000000.00");
    assert_item_amount(it, "awarded", "1000000.00");
    assert_item_amount(it, "due", "1000000.00");
    assert_item_amount(it, "withheld", "1000000.00");
    assert_state(it, "ceiling", FISC_COND_NOT_MET);
    it = package_of(r, 2023);
    assert_item_amount(it, "due", "3000000.00");
    assert_item_amount(it, "withheld", "1000000.00");
    assert_item_amount(it, "ceiling", "3000000.00");
    assert_item_amount(it, "ceiling_remaining", "0.00");
    assert_state(it, "ceiling", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_param(it, "agreement.ceiling")->article, "第九条");
    fisc_agreement_result_free(r);
}

#define SHARE_TERM "terms:\n  - {id: f, clause: 第二条, kind: fixed, amount: \"1000000\", years: [2023, 2024]}\n"
static const char FAI[] = ACTUALS(", \"years\": {\"2023\": {\"fixed_asset_investment\": \"6000000\"},"
                                  " \"2024\": {\"fixed_asset_investment\": \"8000000\"}}");

/*
 * The ceiling as 10% of the cumulative fixed-asset investment. 2023: 600万 × 10% = 60万: 60万 awarded, 40万 withheld.
 * 2024: (600万 + 800万) × 10% = 140万, 60万 used: 80万 awarded, 20万 withheld. With an amount of 120万 as well, 2024's
 * ceiling is min(120万, 140万) = 120万: 60万 awarded, 40万 withheld. Without the 2024 figure the award waits.
 */
static void ceiling_share_binds(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD "ceiling: {share_of_fixed_asset_investment: \"10%\"}\n" SHARE_TERM, FAI);
    const fisc_item *it;

    (void)state;
    it = term_of(r, 2023, "f");
    assert_item_amount(it, "awarded", "600000.00");
    assert_item_amount(it, "withheld", "400000.00");
    it = term_of(r, 2024, "f");
    assert_item_amount(it, "awarded", "800000.00");
    assert_item_amount(it, "withheld", "200000.00");
    assert_string_equal(fisc_test_condition(it, "ceiling")->detail, "1000000 > 800000 (1400000 − 600000) → 800000");
    assert_item_amount(package_of(r, 2024), "ceiling", "1400000.00");
    assert_item_amount(package_of(r, 2024), "ceiling_remaining", "0.00");
    assert_total(r, "due", "1400000.00");
    assert_total(r, "withheld", "600000.00");
    fisc_agreement_result_free(r);

    r = evaluate(HEAD "ceiling: {amount_wan: \"120\", share_of_fixed_asset_investment: \"10%\"}\n" SHARE_TERM, FAI);
    assert_item_amount(term_of(r, 2023, "f"), "awarded", "600000.00");
    assert_item_amount(term_of(r, 2024, "f"), "awarded", "600000.00");
    assert_item_amount(term_of(r, 2024, "f"), "withheld", "400000.00");
    assert_item_amount(package_of(r, 2024), "ceiling", "1200000.00");
    fisc_agreement_result_free(r);

    r = evaluate(HEAD "ceiling: {share_of_fixed_asset_investment: \"10%\"}\n" SHARE_TERM,
                 ACTUALS(", \"years\": {\"2023\": {\"fixed_asset_investment\": \"6000000\"}}"));
    it = term_of(r, 2024, "f");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_item_amount(it, "waiting", "1000000.00");
    assert_true(fisc_test_is_missing(it, "actuals.2024.fixed_asset_investment"));
    assert_state(package_of(r, 2024), "ceiling", FISC_COND_UNKNOWN);
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ instalments */

#define INSTALMENT_HEAD                         \
    "terms:\n"                                  \
    "  - id: t\n"                               \
    "    clause: 第五条\n"                      \
    "    kind: fixed\n"                         \
    "    amount: \""
#define INSTALMENT_TAIL(third)                  \
    "\"\n"                                      \
    "    years: [2023, 2023]\n"                 \
    "    instalments:\n"                        \
    "      - {share: \"40%\"}\n"                \
    "      - {share: \"30%\", after: 1}\n"      \
    "      - {share: \"30%\", after: 2" third "}\n"
#define INSTALMENT_TERM(amount, third) INSTALMENT_HEAD amount INSTALMENT_TAIL(third)

/* The parts fisc_apportion gives total by the weights 40/30/30 (largest remainder, 0.01), as text. */
static void apportioned(const char *total, char parts[3][32])
{
    static const char *const w[3] = { "0.4", "0.3", "0.3" };
    fisc_apportion *ap = NULL;
    fisc_decimal t, d;
    fisc_error err = FISC_ERROR_INIT;

    fisc_decimal_init(&t);
    fisc_decimal_init(&d);
    assert_int_equal(fisc_apportion_new(&ap, &err), FISC_OK);
    for (int k = 0; k < 3; k++) {
        parse_ok(&d, w[k]);
        assert_int_equal(fisc_apportion_add(ap, &d, NULL, &err), FISC_OK);
    }
    parse_ok(&t, total);
    assert_int_equal(fisc_apportion_run(ap, &t, NULL, &err), FISC_OK);
    for (int k = 0; k < 3; k++) {
        fisc_format f = FISC_FORMAT_INIT;
        char *s = NULL;

        f.places = 2;
        assert_int_equal(fisc_decimal_to_string(&s, fisc_apportion_part(ap, (size_t)k, NULL), &f, NULL, &err), FISC_OK);
        snprintf(parts[k], 32, "%s", s);
        fisc_string_free(s);
    }
    fisc_apportion_free(ap);
    fisc_decimal_clear(&t);
    fisc_decimal_clear(&d);
}

/* The three instalments of an award of total, released in 2023, and their agreement with fisc_apportion. */
static void check_split(const char *total, const char *p1, const char *p2, const char *p3)
{
    char yaml[2048], parts[3][32];
    fisc_agreement_result *r;

    snprintf(yaml, sizeof(yaml), "%s%s%s", HEAD INSTALMENT_HEAD, total, INSTALMENT_TAIL(""));
    r = evaluate(yaml, ACTUALS(""));
    assert_item_amount(term_of(r, 2023, "t"), "awarded", total);
    assert_item_amount(term_of(r, 2023, "t"), "due", p1);
    assert_item_amount(term_of(r, 2024, "t"), "due", p2);
    assert_item_amount(term_of(r, 2025, "t"), "due", p3);
    assert_item_amount(term_of(r, 2025, "t"), "paid_to_date", total);
    assert_total(r, "due", total);
    apportioned(total, parts);
    assert_string_equal(parts[0], p1);
    assert_string_equal(parts[1], p2);
    assert_string_equal(parts[2], p3);
    fisc_agreement_result_free(r);
}

/*
 * 40/30/30 of 1234567.89: exact shares 493827.156, 370370.367, 370370.367; floored 493827.15 + 370370.36 +
 * 370370.36 = 1234567.87, two 分 left: they go to the largest dropped fractions (0.007, 0.007 against 0.006),
 * the two 30% parts: 493827.15 + 370370.37 + 370370.37 = 1234567.89. Of 1000000.01: 400000.004, 300000.003 twice;
 * one 分 left, to the largest fraction (the 40% part): 400000.01 + 300000.00 + 300000.00. Of 0.05: 0.02, 0.015,
 * 0.015; one 分 left, the tie between the 30% parts going to the earlier: 0.02 + 0.02 + 0.01.
 */
static void instalments_split_exactly(void **state)
{
    (void)state;
    check_split("1234567.89", "493827.15", "370370.37", "370370.37");
    check_split("1000000.01", "400000.01", "300000.00", "300000.00");
    check_split("0.05", "0.02", "0.02", "0.01");
}

/*
 * The third instalment (370370.37, 2025) requires an output of 2亿 in 2025: 1.5亿 forfeits it (withheld); with no
 * 2025 output it waits (undetermined).
 */
static void instalment_condition_fails(void **state)
{
    static const char yaml[] = HEAD INSTALMENT_TERM("1234567.89", ", conditions: [{metric: output, at_least: \"200000000\"}]");
    fisc_agreement_result *r = evaluate(yaml, ACTUALS(", \"years\": {\"2025\": {\"output\": \"150000000\"}}"));
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2024, "t"), "due", "370370.37");
    it = term_of(r, 2025, "t");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_no_amount(it, "due");
    assert_item_amount(it, "withheld", "370370.37");
    assert_state(it, "t.instalment.3.1", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_condition(it, "t.instalment.3.1")->detail, "150000000 < 200000000 (2025年 / 2025)");
    assert_total(r, "due", "864197.52");
    assert_total(r, "withheld", "370370.37");
    fisc_agreement_result_free(r);

    r = evaluate(yaml, ACTUALS(""));
    it = term_of(r, 2025, "t");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_item_amount(it, "waiting", "370370.37");
    assert_state(it, "t.instalment.3.1", FISC_COND_UNKNOWN);
    assert_true(fisc_test_is_missing(it, "actuals.2025.output"));
    assert_total(r, "withheld", "0.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ clawback */

/*
 * 100万 a year in 2023 and 2024; the enterprise committed to an output of 3亿 in a year by 2025 and reached 1亿, 2亿,
 * 2.5亿: the commitment fails at the end of 2025 and 50% of the 200万 paid is asked back, 100万, without interest.
 */
static void clawback_without_interest(void **state)
{
    static const char yaml[] = HEAD
        "terms:\n"
        "  - id: t\n"
        "    clause: 第五条\n"
        "    kind: fixed\n"
        "    amount: \"1000000\"\n"
        "    years: [2023, 2024]\n"
        "    clawback:\n"
        "      clause: 第十条\n"
        "      commitments: [{metric: output, at_least: \"300000000\", by: 2025}]\n"
        "      share: \"50%\"\n";
    static const char json[] = ACTUALS(", \"years\": {\"2023\": {\"output\": \"100000000\"}, \"2024\": {\"output\": "
                                       "\"200000000\"}, \"2025\": {\"output\": \"250000000\"}}");
    fisc_agreement_result *r = evaluate(yaml, json);
    const fisc_item *it;

    (void)state;
    it = term_of(r, 2023, "t");
    assert_item_amount(it, "due", "1000000.00");
    assert_state(it, "t.clawback.1", FISC_COND_MET); /* not yet due */
    assert_item_amount(term_of(r, 2024, "t"), "paid_to_date", "2000000.00");
    it = term_of(r, 2025, "t");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_state(it, "t.clawback.1", FISC_COND_NOT_MET);
    assert_item_amount(it, "repay", "1000000.00");
    assert_no_amount(it, "interest");
    assert_string_equal(fisc_test_param(it, "agreement.t.clawback")->value, "50%");
    assert_string_equal(fisc_test_param(it, "agreement.t.clawback")->article, "第十条");
    assert_decimal_places(fisc_result_total(year_of(r, 2025), FISC_CATEGORY_REPAYMENT), 2, "1000000.00");
    assert_total(r, "due", "2000000.00");
    assert_total(r, "repay", "1000000.00");
    assert_total(r, "interest", "0.00");
    assert_total(r, "net", "1000000.00");
    fisc_agreement_result_free(r);
}

#define INTEREST_TERM(basis)                                                   \
    "terms:\n"                                                                 \
    "  - id: t\n"                                                              \
    "    clause: 第五条\n"                                                     \
    "    kind: fixed\n"                                                        \
    "    amount: \"1000000\"\n"                                                \
    "    years: [2023, 2025]\n"                                                \
    "    pay_on: 06-30\n"                                                      \
    "    clawback:\n"                                                          \
    "      clause: 第十条\n"                                                   \
    "      commitments: [{event: relocated_out, absent_until: 2030-12-31}]\n" \
    "      share: \"100%\"\n"                                                  \
    "      interest: {rate: \"3.45%\", basis: " basis "}\n"

/*
 * Paid 100万 on 2023-06-30 and 100万 on 2024-06-30; relocated out on 2025-03-01, before the 2025 payment (06-30),
 * which is forfeited. Repay 100% × 200万. Days to 2025-03-01: 610 (366 to 2024-06-30, 2024 being a leap year, then
 * 184 + 60) and 244. Interest = 3.45% × (1000000 × 610 + 1000000 × 244) / 365 = 29463000 / 365 = 80720.547… →
 * 80720.55; on 360 days 29463000 / 360 = 81841.666… → 81841.67. The term then ends.
 */
static void clawback_with_interest(void **state)
{
    static const char json[] = ACTUALS(", \"events\": {\"relocated_out\": \"2025-03-01\"}");
    fisc_agreement_result *r = evaluate(HEAD INTEREST_TERM("365"), json);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "t"), "due", "1000000.00");
    assert_item_amount(term_of(r, 2024, "t"), "due", "1000000.00");
    it = term_of(r, 2025, "t");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_no_amount(it, "due");
    assert_item_amount(it, "withheld", "1000000.00");
    assert_item_amount(it, "repay", "2000000.00");
    assert_item_amount(it, "interest", "80720.55");
    assert_string_equal(fisc_test_step(it, "clawback.interest")->substituted,
                        "100% × 3.45% × (1000000 × 610 + 1000000 × 244) / 365");
    assert_string_equal(fisc_test_condition(it, "t.clawback.1")->detail, "迁出 / Relocated out 2025-03-01 ≤ 2030-12-31");
    assert_string_equal(fisc_test_param(it, "agreement.t.clawback")->value, "100%, 3.45% / 365");
    it = term_of(r, 2026, "t");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "paid_to_date", "2000000.00");
    assert_no_amount(it, "due");
    assert_int_equal(fisc_agreement_result_year(r, fisc_agreement_result_year_count(r) - 1), 2030);
    assert_total(r, "due", "2000000.00");
    assert_total(r, "withheld", "1000000.00");
    assert_total(r, "repay", "2000000.00");
    assert_total(r, "interest", "80720.55");
    assert_total(r, "net", "-80720.55");
    fisc_agreement_result_free(r);

    r = evaluate(HEAD INTEREST_TERM("360"), json);
    assert_item_amount(term_of(r, 2025, "t"), "interest", "81841.67");
    assert_total(r, "interest", "81841.67");
    fisc_agreement_result_free(r);

    /* never relocated: nothing asked back, 300万 paid */
    r = evaluate(HEAD INTEREST_TERM("365"), ACTUALS(""));
    assert_total(r, "due", "3000000.00");
    assert_total(r, "repay", "0.00");
    assert_state(term_of(r, 2030, "t"), "t.clawback.1", FISC_COND_MET);
    fisc_agreement_result_free(r);
}

/*
 * A package-wide clawback covers every term without its own: checked once a year and recorded in the package's
 * item. a pays 100万 (2023, 2024), b 50万 (2024); relocated out on 2025-03-01, before the 2025 payments (12-31),
 * which are forfeited (100万 + 50万 withheld): a repays 200万, b 50万.
 */
static void package_clawback(void **state)
{
    static const char yaml[] = HEAD
        "clawback:\n"
        "  clause: 第十条\n"
        "  commitments: [{event: relocated_out, absent_until: 2030-12-31}]\n"
        "  share: \"100%\"\n"
        "terms:\n"
        "  - {id: a, clause: 第二条, kind: fixed, amount: \"1000000\", years: [2023, 2025]}\n"
        "  - {id: b, clause: 第三条, kind: fixed, amount: \"500000\", years: [2024, 2025]}\n";
    fisc_agreement_result *r = evaluate(yaml, ACTUALS(", \"events\": {\"relocated_out\": \"2025-03-01\"}"));
    const fisc_item *it;

    (void)state;
    it = package_of(r, 2023);
    assert_state(it, "clawback.1", FISC_COND_MET);
    assert_string_equal(fisc_test_param(it, "agreement.clawback")->article, "第十条");
    assert_null(fisc_test_find_condition(term_of(r, 2023, "a"), "clawback.1"));
    assert_item_amount(term_of(r, 2024, "b"), "due", "500000.00");
    it = term_of(r, 2025, "a");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "repay", "2000000.00");
    assert_item_amount(it, "withheld", "1000000.00");
    assert_state(it, "clawback.1", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_param(it, "agreement.clawback")->value, "100%");
    it = term_of(r, 2025, "b");
    assert_item_amount(it, "repay", "500000.00");
    assert_item_amount(it, "withheld", "500000.00");
    it = package_of(r, 2025);
    assert_state(it, "clawback.1", FISC_COND_NOT_MET);
    assert_item_amount(it, "repay", "2500000.00");
    assert_total(r, "due", "2500000.00");
    assert_total(r, "withheld", "1500000.00");
    assert_total(r, "repay", "2500000.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ the general programs */

#define COMBINED_TERM(mode, amount)                                             \
    "combine: [{mode: " mode ", programs: [gx.investment_reward], clause: 第八条}]\n" \
    "terms:\n"                                                                 \
    "  - {id: hq, clause: 第五条, kind: fixed, amount: \"" amount "\", years: [2024, 2024]}\n"

/* gx.investment_reward: a high-tech project with 5亿 in place in 2024 gets 1% = 500万 (WE-15). */
static const char INVESTMENT_FACTS[] = ACTUALS(
    ", \"facts\": {\"2024\": {\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000}}");

/*
 * higher_of: the general program pays G = 500万. A = 300万 < G: the term pays max(300万 − 500万, 0) = 0 and the
 * year's subsidy is 500万. A = 800万 > G: the term tops up 800万 − 500万 = 300万, the year's subsidy 800万.
 */
static void higher_of_general(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD COMBINED_TERM("higher_of", "3000000"), INVESTMENT_FACTS);
    const fisc_item *it;

    (void)state;
    assert_item_amount(fisc_test_item(year_of(r, 2024), "gx.investment_reward"), "reward", "5000000.00");
    it = term_of(r, 2024, "hq");
    assert_item_amount(it, "awarded", "3000000.00");
    assert_item_amount(it, "due", "0.00");
    assert_item_amount(it, "offset", "3000000.00");
    it = package_of(r, 2024);
    assert_item_amount(it, "general", "5000000.00");
    assert_item_amount(it, "top_up", "0.00");
    assert_state(it, "combine.1", FISC_COND_MET);
    assert_string_equal(fisc_test_param(it, "agreement.combine.1")->value, "higher_of");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "5000000.00");
    assert_total(r, "due", "0.00");
    fisc_agreement_result_free(r);

    r = evaluate(HEAD COMBINED_TERM("higher_of", "8000000"), INVESTMENT_FACTS);
    it = term_of(r, 2024, "hq");
    assert_item_amount(it, "due", "3000000.00");
    assert_item_amount(it, "offset", "5000000.00");
    assert_item_amount(package_of(r, 2024), "top_up", "3000000.00");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "8000000.00");
    assert_total(r, "due", "3000000.00");
    fisc_agreement_result_free(r);

    /* without the year's facts G is unknown: the term waits */
    r = evaluate(HEAD COMBINED_TERM("higher_of", "8000000"), ACTUALS(""));
    it = term_of(r, 2024, "hq");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED); /* released, but nothing paid until G is known */
    assert_item_amount(it, "awarded", "8000000.00");
    assert_no_amount(it, "due");
    assert_item_amount(it, "waiting", "8000000.00");
    assert_true(fisc_test_is_missing(it, "actuals.2024.facts"));
    assert_state(package_of(r, 2024), "combine.1", FISC_COND_UNKNOWN);
    assert_total(r, "due", "0.00");
    fisc_agreement_result_free(r);
}

/*
 * exclusive: the term pays 300万 and the package takes the general program's 500万 out of the year's subsidy:
 * 500万 + 300万 − 500万 = 300万. additive: both, 800万.
 */
static void exclusive_and_additive(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD COMBINED_TERM("exclusive", "3000000"), INVESTMENT_FACTS);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2024, "hq"), "due", "3000000.00");
    it = package_of(r, 2024);
    assert_item_amount(it, "excluded", "-5000000.00");
    assert_item_amount(it, "general", "5000000.00");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "3000000.00");
    fisc_agreement_result_free(r);

    r = evaluate(HEAD COMBINED_TERM("additive", "3000000"), INVESTMENT_FACTS);
    assert_item_amount(term_of(r, 2024, "hq"), "due", "3000000.00");
    assert_item_amount(package_of(r, 2024), "general", "5000000.00");
    assert_no_amount(package_of(r, 2024), "excluded");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "8000000.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ the legal gate */

#define TAX_TERM "terms:\n  - {id: tax, clause: 第六条, kind: rate, base: taxes_paid, rate: \"5%\", years: [2024, 2024]}\n"
static const char TAXES[] = ACTUALS(", \"years\": {\"2024\": {\"taxes_paid\": \"10000000\"}}");

/* 5% of 1000万 of taxes paid: signed 2024-07-31 it is paid (50万); signed 2024-08-01 the gate forbids it. */
static void legal_gate(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD_SIGNED("2024-07-31") TAX_TERM, TAXES);
    const fisc_item *it;

    (void)state;
    it = term_of(r, 2024, "tax");
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "due", "500000.00");
    assert_null(fisc_test_find_condition(it, "legal.fair_competition"));
    fisc_agreement_result_free(r);

    r = evaluate(HEAD_SIGNED("2024-08-01") TAX_TERM, TAXES);
    it = term_of(r, 2024, "tax");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_no_amount(it, "due");
    assert_state(it, "legal.fair_competition", FISC_COND_NOT_MET);
    assert_string_equal(fisc_test_param(it, "agreement.fair_competition.restricted_base")->from, "2024-08-01");
    assert_string_equal(fisc_test_param(it, "agreement.fair_competition.restricted_base")->article, "第十条");
    assert_state(package_of(r, 2024), "legal.fair_competition", FISC_COND_NOT_MET);
    assert_total(r, "due", "0.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ the schedule */

/*
 * The payment plan: every condition taken as met on time, the plan's figures as the metrics, no general program.
 * Equipment 6000万, 4000万, 2000万 planned: 300万, 200万, 100万, whatever the actuals say. A year the plan leaves
 * out waits, undetermined.
 */
static void schedule_plan(void **state)
{
    static const char yaml[] = HEAD
        "plan:\n"
        "  2023: {equipment_investment: \"60000000\"}\n"
        "  2024: {equipment_investment: \"40000000\"}\n"
        "  2025: {equipment_investment: \"20000000\"}\n" EQUIPMENT_TERM("2023", "    late_share: \"0%\"\n");
    static const char partial[] = HEAD
        "plan:\n"
        "  2023: {equipment_investment: \"60000000\"}\n" EQUIPMENT_TERM("2023", "");
    fisc_agreement_result *r = schedule_of(yaml);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "equip"), "due", "3000000.00");
    assert_item_amount(term_of(r, 2024, "equip"), "due", "2000000.00");
    it = term_of(r, 2025, "equip");
    assert_item_amount(it, "due", "1000000.00");
    assert_state(it, "equip.release.1", FISC_COND_MET);
    assert_total(r, "due", "6000000.00");
    fisc_agreement_result_free(r);

    r = schedule_of(partial);
    it = term_of(r, 2024, "equip");
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "plan.2024.equipment_investment"));
    assert_total(r, "due", "3000000.00");
    fisc_agreement_result_free(r);
}

/* ------------------------------------------------------------------ the whole: trace, JSON, text, OOM */

/* A package that uses most of the machinery: instalments, a clawback with interest, caps, a ceiling, higher_of. */
static const char BIG[] = HEAD
    "ceiling: {amount: \"9000000\", share_of_fixed_asset_investment: \"20%\", clause: 第九条}\n"
    "combine: [{mode: higher_of, programs: [gx.investment_reward], terms: [hq], clause: 第八条}]\n"
    "terms:\n"
    "  - id: equip\n"
    "    clause: 第五条\n"
    "    kind: rate\n"
    "    base: equipment_investment\n"
    "    rate: \"1/30\"\n"
    "    years: [2023, 2025]\n"
    "    cap_per_year: \"1500000\"\n"
    "    release: [{metric: funds_in_place, over: cumulative, at_least: \"300000000\", by: 2023}]\n"
    "    late_share: \"50%\"\n"
    "    instalments: [{share: \"40%\"}, {share: \"30%\", after: 1}, {share: \"30%\", after: 2}]\n"
    "    pay_on: 06-30\n"
    "    clawback:\n"
    "      commitments: [{event: relocated_out, absent_until: 2026-12-31}]\n"
    "      share: \"100%\"\n"
    "      interest: {rate: \"3.45%\", basis: 365}\n"
    "  - {id: hq, clause: 第六条, kind: fixed, amount: \"8000000\", years: [2024, 2024], cap_total: \"7000000\"}\n"
    "  - {id: rent, clause: 第七条, kind: concession, base: rent, rate: \"50%\", years: [2023, 2024]}\n";
static const char BIG_ACTUALS[] = ACTUALS(
    ", \"years\": {\"2023\": {\"funds_in_place\": \"180000000\", \"equipment_investment\": \"60000000\","
    " \"fixed_asset_investment\": \"30000000\", \"rent\": \"1200000\"},"
    " \"2024\": {\"funds_in_place\": \"140000000\", \"equipment_investment\": \"40000000\","
    " \"fixed_asset_investment\": \"20000000\", \"rent\": \"1200000\"},"
    " \"2025\": {\"equipment_investment\": \"20000000\", \"fixed_asset_investment\": \"0\"}},"
    " \"events\": {\"relocated_out\": \"2026-09-01\"},"
    " \"facts\": {\"2024\": {\"investment_project_kind\": \"hnte\", \"investment_funds_in_place\": 500000000}}");

static void same_amounts(const fisc_item *a, const fisc_item *b)
{
    assert_string_equal(a->program, b->program);
    assert_int_equal(a->outcome, b->outcome);
    assert_int_equal(a->amount_count, b->amount_count);
    for (size_t k = 0; k < a->amount_count; k++) {
        assert_string_equal(a->amounts[k].name, b->amounts[k].name);
        assert_int_equal(fisc_decimal_cmp(a->amounts[k].value, b->amounts[k].value), 0);
    }
    assert_int_equal(a->condition_count, b->condition_count);
    for (size_t k = 0; k < a->condition_count; k++)
        assert_int_equal(a->conditions[k].state, b->conditions[k].state);
    assert_int_equal(a->param_count, b->param_count);
    assert_int_equal(b->step_count, 0);
    assert_string_equal(b->summary_en, "");
}

/* With and without the explanation: the same items, outcomes, amounts, conditions and citations. */
static void trace_changes_nothing(void **state)
{
    fisc_agreement_result *on = evaluate(HEAD EQUIPMENT_TERM("2024", "") , FUNDS_MET_2024), *off;

    (void)state;
    fisc_agreement_result_free(on);
    on = evaluate(BIG, BIG_ACTUALS);
    off = evaluate_untraced(BIG, BIG_ACTUALS);
    assert_int_equal(fisc_agreement_result_year_count(on), fisc_agreement_result_year_count(off));
    for (size_t i = 0; i < fisc_agreement_result_year_count(on); i++) {
        const fisc_result *a = fisc_agreement_result_at(on, i), *b = fisc_agreement_result_at(off, i);

        assert_int_equal(fisc_result_item_count(a), fisc_result_item_count(b));
        for (size_t k = 0; k < fisc_result_item_count(a); k++)
            if (strncmp(fisc_result_item(a, k)->program, "t-1", 3) == 0)
                same_amounts(fisc_result_item(a, k), fisc_result_item(b, k));
    }
    for (size_t k = 0; k < 6; k++) {
        static const char *const names[] = { "due", "withheld", "repay", "interest", "concession", "net" };

        assert_int_equal(fisc_decimal_cmp(fisc_agreement_result_total(on, names[k]),
                                          fisc_agreement_result_total(off, names[k])), 0);
    }
    fisc_agreement_result_free(on);
    fisc_agreement_result_free(off);
}

/*
 * The package above, by hand (rounding half_up to 0.01; equipment 1/30 of the year's investment; its milestone,
 * 3亿 by 2023, is met in 2024: late, 50%). Terms are served in document order under the caps and the ceiling.
 * 2023: ceiling min(900万, 20% × 3000万 = 600万) = 600万. Equipment waits (6000万 / 30 = 200万); rent 50% × 120万 =
 *       60万, a concession.
 * 2024: ceiling min(900万, 20% × (3000万 + 2000万) = 1000万) = 900万, 60万 used. Equipment released late: 2023's
 *       6000万 / 30 × 50% = 100万, 2024's 4000万 / 30 × 50% = 666666.666… → 666666.67 (each under the 150万 cap).
 *       Instalments (paid 2024, 2025, 2026): 100万 → 40万, 30万, 30万; 666666.67 → 266666.668 → 266666.66 (.008),
 *       200000.001 → 200000.00 (.001) twice, the 分 left to the largest fraction: 266666.67, 200000.00, 200000.00.
 *       Paid now: 40万 + 266666.67 = 666666.67. hq: 800万, cap_total 700万 (100万 withheld), then the ceiling:
 *       900万 − 60万 − 1666666.67 = 6733333.33 (266666.67 more withheld: 1266666.67); higher_of G = 500万: hq pays
 *       6733333.33 − 500万 = 1733333.33. Rent: 60万 computed, nothing left under the ceiling: withheld. The package
 *       pays 666666.67 + 1733333.33 = 240万.
 * 2025: equipment 2025: 2000万 / 30 × 50% = 333333.333… → 333333.33, no room under the ceiling: withheld (its
 *       instalments are 0). Paid: 30万 + 200000.00 = 50万.
 * 2026: paid on 06-30: 30万 + 200000.00 = 50万; relocated out on 2026-09-01: repay 100% × (666666.67 + 50万 + 50万)
 *       = 1666666.67; interest 3.45% × (666666.67 × 793 + 500000 × 428 + 500000 × 63) / 365 (days from 2024-06-30,
 *       2025-06-30 and 2026-06-30 to 2026-09-01) = 3.45% × 774166669.31 / 365 = 73174.657… → 73174.66.
 * Totals: due 60万 + 240万 + 50万 + 50万 = 400万 (concession 60万); withheld 1266666.67 + 60万 + 333333.33 =
 * 220万; net 400万 − 1666666.67 − 73174.66 = 2260158.67.
 */
static void package_by_hand(void **state)
{
    fisc_agreement_result *r = evaluate(BIG, BIG_ACTUALS);
    const fisc_item *it;

    (void)state;
    assert_item_amount(term_of(r, 2023, "equip"), "waiting", "2000000.00");
    it = term_of(r, 2023, "rent");
    assert_item_amount(it, "concession", "600000.00");
    assert_no_amount(it, "due");
    assert_item_amount(package_of(r, 2023), "concession", "600000.00");
    assert_item_amount(package_of(r, 2023), "ceiling", "6000000.00");
    assert_item_amount(package_of(r, 2023), "ceiling_remaining", "5400000.00");
    assert_decimal_places(fisc_result_total(year_of(r, 2023), FISC_CATEGORY_SUBSIDY), 2, "600000.00");
    it = term_of(r, 2024, "equip");
    assert_item_amount(it, "computed", "1666666.67");
    assert_item_amount(it, "awarded", "1666666.67");
    assert_item_amount(it, "due", "666666.67");
    it = term_of(r, 2024, "hq");
    assert_item_amount(it, "computed", "8000000.00");
    assert_item_amount(it, "awarded", "6733333.33");
    assert_item_amount(it, "withheld", "1266666.67");
    assert_item_amount(it, "offset", "5000000.00");
    assert_item_amount(it, "due", "1733333.33");
    assert_state(it, "cap_total", FISC_COND_NOT_MET);
    assert_state(it, "ceiling", FISC_COND_NOT_MET);
    it = term_of(r, 2024, "rent");
    assert_item_amount(it, "withheld", "600000.00");
    assert_item_amount(it, "concession", "0.00");
    it = package_of(r, 2024);
    assert_item_amount(it, "due", "2400000.00");
    assert_item_amount(it, "awarded_to_date", "9000000.00");
    assert_item_amount(it, "ceiling_remaining", "0.00");
    assert_item_amount(it, "top_up", "1733333.33");
    assert_decimal_places(fisc_result_total(year_of(r, 2024), FISC_CATEGORY_SUBSIDY), 2, "7400000.00");
    it = term_of(r, 2025, "equip");
    assert_item_amount(it, "withheld", "333333.33");
    assert_item_amount(it, "due", "500000.00");
    it = term_of(r, 2026, "equip");
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "due", "500000.00");
    assert_item_amount(it, "repay", "1666666.67");
    assert_item_amount(it, "interest", "73174.66");
    assert_total(r, "due", "4000000.00");
    assert_total(r, "concession", "600000.00");
    assert_total(r, "withheld", "2200000.00");
    assert_total(r, "repay", "1666666.67");
    assert_total(r, "interest", "73174.66");
    assert_total(r, "net", "2260158.67");
    fisc_agreement_result_free(r);
}

static void json_and_text(void **state)
{
    fisc_agreement_result *r = evaluate(HEAD EQUIPMENT_TERM("2024", ""), FUNDS_MET_2024);
    fisc_error err = FISC_ERROR_INIT;
    char *json = NULL, *text = NULL;

    (void)state;
    assert_int_equal(fisc_agreement_result_to_json(&json, r, 0, &err), FISC_OK);
    assert_true(strncmp(json, "{\"schema\":\"fisc-agreement/1\"", 28) == 0);
    assert_non_null(strstr(json, "\"years\":[{\"year\":2023,\"result\":{\"schema\":\"fisc-result/1\""));
    assert_non_null(strstr(json, "\"totals\":{\"due\":\"6000000.00\",\"withheld\":\"0.00\",\"repay\":\"0.00\","
                                 "\"interest\":\"0.00\",\"concession\":\"0.00\",\"net\":\"6000000.00\"}"));
    assert_non_null(strstr(json, "\"schedule\":false"));
    assert_non_null(strstr(json, "\"agreement\":{\"id\":\"t-1\""));
    fisc_string_free(json);
    assert_int_equal(fisc_agreement_result_to_json(&json, r, FISC_JSON_PRETTY | FISC_JSON_TRACE, &err), FISC_OK);
    assert_non_null(strstr(json, "\n  \"years\": [\n    {\n      \"year\": 2023,\n      \"result\": {\n"
                                 "        \"schema\": \"fisc-result/1\""));
    assert_non_null(strstr(json, "\"trace\": ["));
    fisc_string_free(json);
    assert_int_equal(fisc_agreement_result_to_text(&text, r, "zh", 0, &err), FISC_OK);
    assert_non_null(strstr(text, "协议 t-1 玉高管协〔2023〕1号：测试协议\n"));
    assert_non_null(strstr(text, "2024        5,000,000.00"));
    assert_null(strstr(text, "===="));
    fisc_string_free(text);
    assert_int_equal(fisc_agreement_result_to_text(&text, r, "en", 1, &err), FISC_OK);
    assert_non_null(strstr(text, "Year                 due          withheld"));
    assert_non_null(strstr(text, "2025        1,000,000.00              0.00              0.00              0.00      "
                                 "6,000,000.00                 -\n"));
    assert_non_null(strstr(text, "==== 2024 ===="));
    fisc_string_free(text);
    fisc_agreement_result_free(r);
}

/* Bad calls: options of another version, no actuals, actuals of another agreement, a year before the first. */
static void bad_calls(void **state)
{
    fisc_agreement *a = load_agreement(HEAD EQUIPMENT_TERM("2024", ""), __FILE__, __LINE__);
    fisc_actuals *other = load_actuals("{\"fisc_actuals\": 1, \"agreement\": \"t-2\"}", __FILE__, __LINE__);
    fisc_agreement_options o = FISC_AGREEMENT_OPTIONS_INIT;
    fisc_agreement_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_agreement_options_init(&o, 99), FISC_EINVAL);
    assert_int_equal(fisc_agreement_options_init(&o, FISC_AGREEMENT_OPTIONS_VERSION), FISC_OK);
    assert_fisc_error(&err, fisc_agreement_evaluate(&r, a, NULL, &o, &err), FISC_EINVAL, 0);
    assert_fisc_error(&err, fisc_agreement_evaluate(&r, a, other, &o, &err), FISC_EINVAL, 0);
    assert_non_null(strstr(err.text, "t-2"));
    o.through_year = 2020;
    o.schedule = 1;
    assert_fisc_error(&err, fisc_agreement_evaluate(&r, a, NULL, &o, &err), FISC_EINVAL, 0);
    o.through_year = 2024;
    assert_int_equal(fisc_agreement_evaluate(&r, a, NULL, &o, &err), FISC_OK);
    assert_int_equal(fisc_agreement_result_year_count(r), 2);
    assert_null(fisc_agreement_result_total(r, "nope"));
    assert_null(fisc_agreement_result_at(r, 2));
    fisc_agreement_result_free(r);
    fisc_agreement_result_free(NULL);
    fisc_actuals_free(other);
    fisc_agreement_free(a);
}

/* Fail allocation N = 0, 1, 2, ... of evaluate + to_json + to_text until a run goes through; each fails cleanly. */
static void oom_sweep(void **state)
{
    fisc_agreement *a = load_agreement(BIG, __FILE__, __LINE__);
    fisc_actuals *act = load_actuals(BIG_ACTUALS, __FILE__, __LINE__);
    fisc_agreement_options o = FISC_AGREEMENT_OPTIONS_INIT;
    long n;

    (void)state;
    o.trace = 1;
    for (n = 0; n < 200000; n++) {
        fisc_agreement_result *r = NULL;
        fisc_error err = FISC_ERROR_INIT;
        char *json = NULL, *text = NULL;
        fisc_status rc;
        int reached;

        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_agreement_evaluate(&r, a, act, &o, &err);
        if (rc == FISC_OK)
            rc = fisc_agreement_result_to_json(&json, r, FISC_JSON_TRACE | FISC_JSON_PRETTY, &err);
        if (rc == FISC_OK)
            rc = fisc_agreement_result_to_text(&text, r, "zh", 1, &err);
        fiscp_alloc_fail_at = -1;
        reached = fiscp_alloc_count > n;
        fisc_string_free(json);
        fisc_string_free(text);
        fisc_agreement_result_free(r);
        if (!reached) {
            assert_int_equal(rc, FISC_OK);
            break;
        }
        if (rc != FISC_OK)
            assert_fisc_error(&err, rc, FISC_ENOMEM, 0);
    }
    assert_true(n > 100);
    fisc_actuals_free(act);
    fisc_agreement_free(a);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(met_on_time),
        cmocka_unit_test(met_late_half),
        cmocka_unit_test(met_late_forfeits),
        cmocka_unit_test(never_met),
        cmocka_unit_test(annual_condition),
        cmocka_unit_test(cap_per_year_binds),
        cmocka_unit_test(cap_total_binds),
        cmocka_unit_test(ceiling_amount_binds),
        cmocka_unit_test(ceiling_share_binds),
        cmocka_unit_test(instalments_split_exactly),
        cmocka_unit_test(instalment_condition_fails),
        cmocka_unit_test(clawback_without_interest),
        cmocka_unit_test(clawback_with_interest),
        cmocka_unit_test(package_clawback),
        cmocka_unit_test(higher_of_general),
        cmocka_unit_test(exclusive_and_additive),
        cmocka_unit_test(legal_gate),
        cmocka_unit_test(schedule_plan),
        cmocka_unit_test(trace_changes_nothing),
        cmocka_unit_test(package_by_hand),
        cmocka_unit_test(json_and_text),
        cmocka_unit_test(bad_calls),
        cmocka_unit_test(oom_sweep),
    };

    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("agreement_eval", tests, group_setup, group_teardown);
}
