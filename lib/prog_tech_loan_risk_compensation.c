/*
 * Program gx.tech_loan_risk_compensation: the compensation a cooperating bank receives for a
 * non-performing tech loan. Texts and URLs in policies/23-guangxi-finance.yaml; policy-params.md §5.2.
 *
 * Clauses implemented (《广西科技贷款风险补偿实施办法》, news dated 2026-01-16):
 * - the loss basis is the 不良贷款净损失: the loss after all legal recovery steps,
 *   net loss = max(0, principal lost − recovered);
 * - first-time borrowers (首贷户) and firms at most 2 years old at the loan get a higher ratio; the
 *   uplift is also given to credit loans (the comparable Anhui design); one uplift at most;
 * - the 自治区本级 budget is at most 1亿元 a year, allocated among the banks by their share of new
 *   tech loans: the bank's room = max(0, budget × bank's share − already compensated to the bank
 *   this year);
 * - compensation = min(ratio × net loss, per-loan cap × net loss, bank's room, pool remaining),
 *   the shape policy-params.md §5.2 suggests (DERIVED), rounded once by the program's rule.
 *
 * UNCONFIRMED (not in the cited text; the policy marks them so and every result that computes a
 * compensation is provisional): the ratio (30%, Anhui's ratio for direct loans), the uplift (+5
 * percentage points, Anhui), the per-loan cap (50% of the loss, Guangzhou's per-enterprise cap),
 * and the first day of the 办法 (the policy uses 2026-01-01). Outside the 办法's dates the program
 * reports "not eligible" and asks for no facts. The borrower's eligibility (科技型企业 confirmed by
 * 科技厅 / 工信厅) is for the bank's claim, not a fact here.
 */
#include "engine.h"

enum { P_RATIO, P_UPLIFT, P_LOAN_CAP, P_BUDGET, P_COUNT };

static const char *const PARAMS[P_COUNT] = {
    [P_RATIO] = "gx.tech_loan_risk.ratio",
    [P_UPLIFT] = "gx.tech_loan_risk.uplift",
    [P_LOAN_CAP] = "gx.tech_loan_risk.per_loan_cap_ratio",
    [P_BUDGET] = "gx.tech_loan_risk.annual_budget",
};

typedef struct calc {
    fisc_decimal net, ratio, raw, loan_cap, bank_room, comp, comp_r, net_r, t;
} calc;

#define CALC_ALL(k) { &(k)->net, &(k)->ratio, &(k)->raw, &(k)->loan_cap, &(k)->bank_room, &(k)->comp, \
                      &(k)->comp_r, &(k)->net_r, &(k)->t }

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

/* in: loss, recovered, bank share, compensated to the bank this year, pool remaining */
static fisc_status compute(fiscp_ctx *c, const fisc_decimal *const in[5], int uplift, calc *k)
{
    const fisc_decimal *ratio, *up = NULL, *loan_cap, *budget;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_RATIO, &ratio)) != FISC_OK ||
        (uplift && (rc = fiscp_param_value(c, P_UPLIFT, &up)) != FISC_OK) ||
        (rc = fiscp_param_value(c, P_LOAN_CAP, &loan_cap)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_BUDGET, &budget)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_sub(&k->net, in[0], in[1], NULL)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(&k->net) < 0)
        fisc_decimal_set_int(&k->net, 0);
    if ((rc = fiscp_step(c, "net_loss", "不良贷款净损失", "Net loss after recovery",
                         "max(0, 本金损失 − 追偿所得) / max(0, principal lost − recovered)",
                         fiscp_ctx_printf(c, "max(0, %s − %s)", fiscp_text(c, in[0]), fiscp_text(c, in[1])), &k->net)) !=
        FISC_OK)
        return rc;
    if (up) {
        if ((rc = fisc_decimal_add(&k->ratio, ratio, up, NULL)) != FISC_OK ||
            (rc = fiscp_step(c, "ratio", "补偿比例（含上浮）", "Compensation ratio with the uplift",
                             "基础比例 + 上浮 / base ratio + uplift",
                             fiscp_ctx_printf(c, "%s + %s", fiscp_percent(c, ratio), fiscp_percent(c, up)), &k->ratio)) !=
                FISC_OK)
            return rc;
    } else if ((rc = fisc_decimal_set(&k->ratio, ratio, NULL)) != FISC_OK) {
        return rc;
    }
    if ((rc = fisc_decimal_mul(&k->raw, &k->net, &k->ratio, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "by_ratio", "按比例计算的补偿", "Compensation by the ratio", "净损失 × 补偿比例 / net loss × ratio",
                         fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &k->net), fiscp_percent(c, &k->ratio)), &k->raw)) !=
            FISC_OK)
        return rc;
    if ((rc = fisc_decimal_mul(&k->loan_cap, &k->net, loan_cap, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "cap.loan", "单笔补偿上限", "Cap per loan", "净损失 × 单笔上限比例 / net loss × per-loan cap ratio",
                         fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &k->net), fiscp_percent(c, loan_cap)),
                         &k->loan_cap)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_mul(&k->t, budget, in[2], NULL)) != FISC_OK ||
        (rc = fisc_decimal_sub(&k->bank_room, &k->t, in[3], NULL)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(&k->bank_room) < 0)
        fisc_decimal_set_int(&k->bank_room, 0);
    if ((rc = fiscp_step(c, "cap.bank", "合作银行年度额度余额", "Room in the bank's allocation for the year",
                         "max(0, 年度资金 × 银行新增科技贷款占比 − 本年已获补偿) / "
                         "max(0, annual budget × bank's share − already compensated this year)",
                         fiscp_ctx_printf(c, "max(0, %s × %s − %s)", fiscp_text(c, budget), fiscp_percent(c, in[2]),
                                          fiscp_text(c, in[3])),
                         &k->bank_room)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_min(&k->comp, &k->raw, &k->loan_cap, NULL)) != FISC_OK ||
        (rc = fisc_decimal_min(&k->comp, &k->comp, &k->bank_room, NULL)) != FISC_OK ||
        (rc = fisc_decimal_min(&k->comp, &k->comp, in[4], NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "compensation", "风险补偿", "Risk compensation",
                         "min(按比例补偿, 单笔上限, 银行额度余额, 资金池余额) / "
                         "min(by ratio, per-loan cap, bank's room, pool remaining)",
                         fiscp_ctx_printf(c, "min(%s, %s, %s, %s)", fiscp_text(c, &k->raw), fiscp_text(c, &k->loan_cap),
                                          fiscp_text(c, &k->bank_room), fiscp_text(c, in[4])),
                         &k->comp)) != FISC_OK)
        return rc;
    if ((rc = fiscp_round(c, "net_loss", &k->net, &k->net_r)) != FISC_OK ||
        (rc = fiscp_round(c, "compensation", &k->comp, &k->comp_r)) != FISC_OK ||
        (rc = fiscp_amount(c, "net_loss", &k->net_r, -1)) != FISC_OK ||
        (rc = fiscp_amount(c, "compensation", &k->comp_r, FISC_CATEGORY_SUBSIDY)) != FISC_OK)
        return rc;
    fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
    return fiscp_summary(c,
                         fiscp_ctx_printf(c, "科技贷款风险补偿 %s 元（净损失 %s 元）", fiscp_money(c, &k->comp_r),
                                          fiscp_money(c, &k->net_r)),
                         fiscp_ctx_printf(c, "tech-loan risk compensation: %s yuan (net loss %s yuan)",
                                          fiscp_money(c, &k->comp_r), fiscp_money(c, &k->net_r)));
}

static fisc_status evaluate(fiscp_ctx *c)
{
    static const fiscp_fact ids[5] = { FACT_TECH_LOAN_LOSS, FACT_TECH_LOAN_RECOVERED, FACT_TECH_LOAN_BANK_SHARE,
                                       FACT_TECH_LOAN_BANK_COMPENSATED_YEAR, FACT_TECH_LOAN_POOL_REMAINING };
    static const fiscp_fact flags[3] = { FACT_TECH_LOAN_FIRST_LOAN, FACT_TECH_LOAN_CREDIT_LOAN,
                                         FACT_TECH_LOAN_YOUNG_FIRM };
    const fisc_decimal *in[5];
    int in_force, missing = 0, uplift = 0, v;
    calc k;
    fisc_status rc;

    in_force = fiscp_param_in_force(c, P_RATIO);
    if ((rc = fiscp_check(c, "tech_loan_risk.in_force", "科技贷款风险补偿办法在期间内有效",
                          "The tech-loan risk compensation rules are in force in the period", in_force,
                          in_force ? "" : fiscp_ctx_printf(c, "no value of %s in force on the period's last day",
                                                           PARAMS[P_RATIO]))) != FISC_OK)
        return rc;
    if (!in_force) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "期间内无科技贷款风险补偿", "no tech-loan risk compensation in the period");
    }
    for (size_t i = 0; i < 5; i++)
        if (!(in[i] = fiscp_need_decimal(c, ids[i])))
            missing = 1;
    /* the uplift: met as soon as one flag is true; unknown when none is true and one is missing */
    for (size_t i = 0; i < 3 && uplift <= 0; i++) {
        if (!fiscp_need_bool(c, flags[i], &v))
            uplift = -1;
        else if (v)
            uplift = 1;
    }
    if ((rc = fiscp_check(c, "tech_loan_risk.uplift", "首贷户、信用贷款或贷款时成立不满2年（比例上浮）",
                          "First-time borrower, credit loan or firm at most 2 years old (higher ratio)", uplift,
                          uplift > 0 ? "yes" : uplift == 0 ? "no" : "unknown")) != FISC_OK)
        return rc;
    if (missing || uplift < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少计算风险补偿的事实", "facts needed for the compensation are missing");
    }
    calc_init(&k);
    rc = compute(c, in, uplift, &k);
    calc_clear(&k);
    return rc;
}

const fiscp_program fiscp_program_tech_loan_risk_compensation = { "gx.tech_loan_risk_compensation", PARAMS, P_COUNT,
                                                                  evaluate, NULL, NULL };
