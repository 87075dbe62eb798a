/*
 * Program gx.loan_interest_subsidy: the interest subsidy (贴息) of a 桂惠贷 loan. Texts and URLs in
 * policies/23-guangxi-finance.yaml; policy-params.md §5.1 and §9 WE-17.
 *
 * Clauses implemented (《"桂惠贷—个体工商户贷"产品实施细则》, under 桂政办发〔2023〕50号; the only
 * scheme the facts can name, loan_subsidy_scheme = guihuidai_individual):
 * - the bank lends at a rate lowered by the subsidy and claims the difference: 2.5 percentage points
 *   of 利差 (rate gap), not a share of the interest paid;
 * - the loan's rate is at most the weighted-average rate of the same type of loan minus the
 *   subsidy (the reference rate is a fact, never a constant); a loan above that ceiling is not a
 *   桂惠贷 loan of the scheme;
 * - a loan shorter than a year is subsidized by the actual days used (subsidy period ≤ 1 year):
 *   subsidy = principal × subsidy pp × days used / D (formula DERIVED, policy-params.md §5.1);
 * - at most 25万元 per borrower per year and 75万元 per borrower across years: the subsidy is
 *   min(that, annual cap − already received this year, lifetime cap − already received in total),
 *   never below 0;
 * - the cost is split 自治区 : 所在地 = 4 : 6: region_share = round(subsidy × 40%), city_share =
 *   subsidy − region_share (so the two add up to the subsidy to the 分).
 * Rounding: the subsidy is computed exactly and rounded once by the program's rule (half_up to the
 * 分); §9 WE-17 states 12,329元 for D = 365, which is 12,328.767… rounded to the 元, 12,328.77 to the 分.
 *
 * UNCONFIRMED: the day-count basis D (360 in the policy, status unconfirmed: every result that
 * computes a subsidy is provisional). The exact first day of the scheme is not in the cited text
 * (the policy uses 2023-01-01). Outside the scheme's dates the program reports "not eligible"
 * and asks for no facts. Not modelled: a share-of-the-actual-rate design and an "LPR minus N basis
 * points" floor, since no Guangxi scheme with such numbers is cited in policy-params.md.
 */
#include "engine.h"

enum { P_PP, P_BASIS, P_ANNUAL_CAP, P_LIFETIME_CAP, P_REGION_SHARE, P_COUNT };

static const char *const PARAMS[P_COUNT] = {
    [P_PP] = "gx.guihuidai.individual.subsidy_pp",
    [P_BASIS] = "gx.guihuidai.individual.day_basis",
    [P_ANNUAL_CAP] = "gx.guihuidai.individual.annual_cap",
    [P_LIFETIME_CAP] = "gx.guihuidai.individual.lifetime_cap",
    [P_REGION_SHARE] = "gx.guihuidai.individual.region_share",
};

/* The enumeration values of loan_subsidy_scheme, in vocabulary order. */
enum { SCHEME_GUIHUIDAI_INDIVIDUAL };

typedef struct calc {
    fisc_decimal raw, ceiling, room_year, room_total, capped, subsidy, region, city, t;
} calc;

#define CALC_ALL(k) { &(k)->raw, &(k)->ceiling, &(k)->room_year, &(k)->room_total, &(k)->capped, \
                      &(k)->subsidy, &(k)->region, &(k)->city, &(k)->t }

static void calc_init(calc *k)
{
    fisc_decimal *all[] = CALC_ALL(k);

    for (size_t i = 0; i < FISCP_ARRAY_SIZE(all); i++)
        fisc_decimal_init(all[i]);
}

static void calc_clear(calc *k)
{
    fisc_decimal *all[] = CALC_ALL(k);

    for (size_t i = 0; i < FISCP_ARRAY_SIZE(all); i++)
        fisc_decimal_clear(all[i]);
}

/* room = max(0, cap − received), with a step. */
static fisc_status room(fiscp_ctx *c, const char *id, const char *zh, const char *en, const fisc_decimal *cap,
                        const fisc_decimal *received, fisc_decimal *out)
{
    fisc_status rc;

    if ((rc = fisc_decimal_sub(out, cap, received, NULL)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(out) < 0)
        fisc_decimal_set_int(out, 0);
    return fiscp_step(c, id, zh, en, "max(0, 上限 − 已获贴息) / max(0, cap − already received)",
                      fiscp_ctx_printf(c, "max(0, %s − %s)", fiscp_text(c, cap), fiscp_text(c, received)), out);
}

static fisc_status compute(fiscp_ctx *c, const fisc_decimal *const in[6], calc *k, int *above_ceiling)
{
    /* in: principal, days, actual rate, reference rate, received this year, received in total */
    const fisc_decimal *pp, *basis, *annual, *lifetime, *share;
    int ok;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_PP, &pp)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_BASIS, &basis)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_ANNUAL_CAP, &annual)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_LIFETIME_CAP, &lifetime)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_REGION_SHARE, &share)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(basis) <= 0)
        return fiscp_fail(c, FISC_EINVAL, "gx.guihuidai.individual.day_basis must be positive");
    /* the rate ceiling: actual rate ≤ reference rate − subsidy */
    if ((rc = fisc_decimal_sub(&k->ceiling, in[3], pp, NULL)) != FISC_OK)
        return rc;
    ok = fisc_decimal_cmp(in[2], &k->ceiling) <= 0;
    if ((rc = fiscp_check(c, "loan.rate_ceiling", "贷款利率不高于同类型贷款加权平均利率减贴息",
                          "Loan rate at most the same-type weighted-average rate minus the subsidy", ok,
                          fiscp_ctx_printf(c, "%s ≤ %s − %s", fiscp_percent(c, in[2]), fiscp_percent(c, in[3]),
                                           fiscp_percent(c, pp)))) != FISC_OK)
        return rc;
    if (!ok) {
        *above_ceiling = 1; /* not eligible: reported by the caller */
        return FISC_OK;
    }
    /* principal × pp × days / D */
    if ((rc = fisc_decimal_mul(&k->t, in[0], pp, NULL)) != FISC_OK ||
        (rc = fisc_decimal_mul(&k->t, &k->t, in[1], NULL)) != FISC_OK ||
        (rc = fisc_decimal_div(&k->raw, &k->t, basis, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "subsidy.days", "按实际用款天数计算的贴息", "Subsidy by the days used",
                         "本金 × 贴息百分点 × 用款天数 / 计息基数 / principal × subsidy pp × days used / day-count basis",
                         fiscp_ctx_printf(c, "%s × %s × %s / %s", fiscp_text(c, in[0]), fiscp_percent(c, pp),
                                          fiscp_text(c, in[1]), fiscp_text(c, basis)),
                         &k->raw)) != FISC_OK)
        return rc;
    if ((rc = room(c, "cap.year.room", "本年度贴息上限余额", "Room under the annual cap", annual, in[4],
                   &k->room_year)) != FISC_OK ||
        (rc = room(c, "cap.total.room", "累计贴息上限余额", "Room under the lifetime cap", lifetime, in[5],
                   &k->room_total)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_min(&k->capped, &k->raw, &k->room_year, NULL)) != FISC_OK ||
        (rc = fisc_decimal_min(&k->capped, &k->capped, &k->room_total, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "subsidy", "贴息", "Subsidy",
                         "min(按天数计算的贴息, 年度余额, 累计余额) / min(subsidy by days, annual room, lifetime room)",
                         fiscp_ctx_printf(c, "min(%s, %s, %s)", fiscp_text(c, &k->raw), fiscp_text(c, &k->room_year),
                                          fiscp_text(c, &k->room_total)),
                         &k->capped)) != FISC_OK ||
        (rc = fiscp_round(c, "subsidy", &k->capped, &k->subsidy)) != FISC_OK)
        return rc;
    /* the split: region = round(subsidy × share), city = subsidy − region */
    if ((rc = fisc_decimal_mul(&k->t, &k->subsidy, share, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "share.region", "自治区承担", "Borne by the region", "贴息 × 自治区比例 / subsidy × region share",
                         fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &k->subsidy), fiscp_percent(c, share)), &k->t)) !=
            FISC_OK ||
        (rc = fiscp_round(c, "region_share", &k->t, &k->region)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_sub(&k->t, &k->subsidy, &k->region, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "share.city", "所在地承担", "Borne by the city", "贴息 − 自治区承担 / subsidy − region share",
                         fiscp_ctx_printf(c, "%s − %s", fiscp_text(c, &k->subsidy), fiscp_text(c, &k->region)), &k->t)) !=
            FISC_OK ||
        (rc = fiscp_round(c, "city_share", &k->t, &k->city)) != FISC_OK)
        return rc;
    if ((rc = fiscp_amount(c, "subsidy", &k->subsidy, FISC_CATEGORY_SUBSIDY)) != FISC_OK ||
        (rc = fiscp_amount(c, "region_share", &k->region, -1)) != FISC_OK ||
        (rc = fiscp_amount(c, "city_share", &k->city, -1)) != FISC_OK)
        return rc;
    fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
    return fiscp_summary(c,
                         fiscp_ctx_printf(c, "桂惠贷—个体工商户贷贴息 %s 元（自治区 %s 元，所在地 %s 元）",
                                          fiscp_money(c, &k->subsidy), fiscp_money(c, &k->region),
                                          fiscp_money(c, &k->city)),
                         fiscp_ctx_printf(c, "桂惠贷 individual-business loan subsidy: %s yuan (region %s, city %s)",
                                          fiscp_money(c, &k->subsidy), fiscp_money(c, &k->region),
                                          fiscp_money(c, &k->city)));
}

static fisc_status evaluate(fiscp_ctx *c)
{
    static const fiscp_fact ids[6] = { FACT_LOAN_PRINCIPAL, FACT_LOAN_DAYS_USED, FACT_LOAN_ACTUAL_RATE,
                                       FACT_LOAN_REFERENCE_RATE, FACT_LOAN_SUBSIDY_RECEIVED_YEAR,
                                       FACT_LOAN_SUBSIDY_RECEIVED_TOTAL };
    const fisc_decimal *in[6];
    int in_force, scheme = -1, have_scheme, missing = 0, above_ceiling = 0, individual = 0, known = 0;
    calc k;
    fisc_status rc;

    in_force = fiscp_param_in_force(c, P_PP);
    if ((rc = fiscp_check(c, "guihuidai.in_force", "桂惠贷—个体工商户贷在期间内有效", "The 桂惠贷 scheme is in force in the period",
                          in_force,
                          in_force ? "" : fiscp_ctx_printf(c, "no value of %s in force on the period's last day",
                                                           PARAMS[P_PP]))) != FISC_OK)
        return rc;
    if (!in_force) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "期间内无桂惠贷—个体工商户贷贴息", "no 桂惠贷 individual-business subsidy in the period");
    }
    have_scheme = fiscp_fact_enum(fiscp_ctx_facts(c), FACT_LOAN_SUBSIDY_SCHEME, &scheme);
    if (!have_scheme && !fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_LOAN_PRINCIPAL)) {
        /* no loan described at all: the enterprise is not concerned, as with the other subsidies */
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_check(c, "loan.scheme", "贷款属于桂惠贷—个体工商户贷", "The loan is a 桂惠贷 individual-business loan", 0,
                              "no loan given (loan_subsidy_scheme, loan_principal)")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "未提供贴息贷款", "no subsidized loan given");
    }
    if (!have_scheme)
        fiscp_missing(c, FACT_LOAN_SUBSIDY_SCHEME);
    if ((rc = fiscp_check(c, "loan.scheme", "贷款属于桂惠贷—个体工商户贷", "The loan is a 桂惠贷 individual-business loan",
                          have_scheme ? scheme == SCHEME_GUIHUIDAI_INDIVIDUAL : -1,
                          have_scheme ? "guihuidai_individual" : "unknown")) != FISC_OK)
        return rc;
    if (have_scheme && scheme != SCHEME_GUIHUIDAI_INDIVIDUAL) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "贷款不属于桂惠贷—个体工商户贷", "not a 桂惠贷 individual-business loan");
    }
    {
        /* the scheme lends to individual businesses (个体工商户) only: a company's loan is not concerned */
        known = fiscp_need_bool(c, FACT_INDIVIDUAL_BUSINESS, &individual);
        if ((rc = fiscp_check(c, "borrower.individual_business", "借款人为个体工商户", "The borrower is an individual business",
                              known ? individual : -1, known ? (individual ? "yes" : "no") : "unknown")) != FISC_OK)
            return rc;
        if (known && !individual) {
            fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
            return fiscp_summary(c, "借款人不是个体工商户，不适用桂惠贷—个体工商户贷",
                                 "the borrower is not an individual business: the scheme does not apply");
        }
    }
    for (size_t i = 0; i < 6; i++)
        if (!(in[i] = fiscp_need_decimal(c, ids[i])))
            missing = 1;
    if (!have_scheme || missing || !known) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少计算贴息的事实", "facts needed for the subsidy are missing");
    }
    calc_init(&k);
    rc = compute(c, in, &k, &above_ceiling);
    calc_clear(&k);
    if (rc == FISC_OK && above_ceiling) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "贷款利率高于产品利率上限，不属于桂惠贷贴息范围",
                             "the loan rate is above the scheme's ceiling: no 桂惠贷 subsidy");
    }
    return rc;
}

const fiscp_program fiscp_program_loan_interest_subsidy = { "gx.loan_interest_subsidy", PARAMS, P_COUNT, evaluate,
                                                            NULL, NULL };
