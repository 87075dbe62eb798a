/*
 * Program gx.investment_reward: the project-owner reward of 《广西招商引资激励办法》(桂政发〔2019〕27号,
 * issued 2019-05-27; detailed rules 桂投促委办发〔2020〕4号), policy-params.md §3.5 and §9 WE-15:
 * - 高新技术企业 and 总部企业 招商引资 projects: a one-time reward to the 项目业主 of 1% of the project's
 *   当年招商引资实际到位资金, at most 3000万元 per project (CONFIRMED);
 * - foreign-invested projects with 合同外资 of 1500万美元 or more: a one-time reward of 1% of the year's
 *   实际到位资金 (CONFIRMED). The cited texts give the 3000万元 cap for the high-tech and headquarters
 *   projects only; whether it also bounds the foreign-project reward is UNCONFIRMED, and this program
 *   applies no cap there, as the texts read.
 * The 1500万美元 threshold is compared in US dollars with the contracted foreign capital in US dollars:
 * no exchange rate enters the test. fisc holds no exchange rate: when the caller gives one
 * (usd_cny_rate), the contracted capital is also stated in yuan, as an informative amount.
 * Not modelled: the other conditions of a "重大招商项目" (legal person registered in Guangxi, funds
 * forming fixed assets, recorded in the 招商 statistics, not real estate or mining) are the caller's
 * to check when choosing investment_project_kind; the 重大项目 / 瞪羚 / 独角兽 amounts (UNCONFIRMED) and
 * the intermediary reward. The policy before 2019-05-27 (桂政发〔2016〕28号) is not modelled.
 */
#include "engine.h"

static const char *const PARAMS[] = {
    "gx.investment_reward.rate",
    "gx.investment_reward.cap",
    "gx.investment_reward.foreign_rate",
    "gx.investment_reward.foreign_threshold_usd",
};
enum { P_RATE, P_CAP, P_FOREIGN_RATE, P_FOREIGN_THRESHOLD, P_COUNT };

/* investment_project_kind, in the order of its enumeration values */
enum { KIND_HNTE, KIND_HEADQUARTERS, KIND_FOREIGN, KIND_OTHER };

static fisc_status not_eligible(fiscp_ctx *c, const char *zh, const char *en)
{
    fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
    return fiscp_summary(c, zh, en);
}

/* The contracted foreign capital in yuan, when the caller gives an exchange rate: informative only. */
static fisc_status foreign_capital_in_yuan(fiscp_ctx *c, const fisc_decimal *usd)
{
    const fisc_decimal *rate = fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_USD_CNY_RATE);
    fisc_decimal cny, rounded;
    fisc_status rc;

    if (!rate || fisc_decimal_sign(rate) <= 0)
        return FISC_OK;
    fisc_decimal_init(&cny);
    fisc_decimal_init(&rounded);
    rc = fisc_decimal_mul(&cny, usd, rate, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "foreign_capital_cny", "合同外资折合人民币（仅供参考）",
                        "Contracted foreign capital in yuan (for information)", "合同外资（美元）× 汇率 / USD × rate",
                        fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, usd), fiscp_text(c, rate)), &cny);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "contracted_foreign_capital_cny", &cny, &rounded);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "contracted_foreign_capital_cny", &rounded, -1);
    fisc_decimal_clear(&cny);
    fisc_decimal_clear(&rounded);
    return rc;
}

/* Foreign project: 合同外资 ≥ 1500万美元. 1 met, 0 not met, -1 unknown (*rc set on failure). */
static int foreign_threshold(fiscp_ctx *c, fisc_status *rc)
{
    const fisc_decimal *usd = fiscp_need_decimal(c, FACT_CONTRACTED_FOREIGN_CAPITAL_USD);
    const fisc_decimal *threshold;
    int met;

    if (!usd) {
        *rc = fiscp_check(c, "foreign.contracted_capital", "合同外资达到门槛", "Contracted foreign capital at the threshold",
                          -1, "contracted_foreign_capital_usd not given");
        return -1;
    }
    if ((*rc = fiscp_param_value(c, P_FOREIGN_THRESHOLD, &threshold)) != FISC_OK)
        return -1;
    met = fisc_decimal_cmp(usd, threshold) >= 0;
    *rc = fiscp_check(c, "foreign.contracted_capital", "合同外资达到门槛", "Contracted foreign capital at the threshold", met,
                      fiscp_ctx_printf(c, "%s USD %s %s USD", fiscp_text(c, usd), met ? "≥" : "<",
                                       fiscp_text(c, threshold)));
    if (*rc == FISC_OK)
        *rc = foreign_capital_in_yuan(c, usd);
    return *rc == FISC_OK ? met : -1;
}

static fisc_status reward(fiscp_ctx *c, int kind, const fisc_decimal *funds)
{
    const fisc_decimal *rate, *cap = NULL;
    fisc_decimal exact, paid, rounded;
    int capped = 0;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, kind == KIND_FOREIGN ? P_FOREIGN_RATE : P_RATE, &rate)) != FISC_OK)
        return rc;
    if (kind != KIND_FOREIGN && (rc = fiscp_param_value(c, P_CAP, &cap)) != FISC_OK)
        return rc;
    fisc_decimal_init(&exact);
    fisc_decimal_init(&paid);
    fisc_decimal_init(&rounded);
    rc = fisc_decimal_mul(&exact, funds, rate, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "reward.exact", "按当年实际到位资金计算奖励", "Reward on the funds in place in the year",
                        "当年实际到位资金 × 奖励比例 / funds in place × rate",
                        fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, funds), fiscp_percent(c, rate)), &exact);
    if (rc == FISC_OK)
        rc = fisc_decimal_set(&paid, &exact, NULL);
    if (rc == FISC_OK && cap) {
        capped = fisc_decimal_cmp(&exact, cap) > 0;
        if (capped)
            rc = fisc_decimal_set(&paid, cap, NULL);
        if (rc == FISC_OK)
            rc = fiscp_check(c, "reward.within_cap", "奖励不超过单个项目上限", "Reward within the per-project cap", !capped,
                             fiscp_ctx_printf(c, "%s %s %s: %s", fiscp_text(c, &exact), capped ? ">" : "≤",
                                              fiscp_text(c, cap), capped ? "capped" : "not capped"));
        if (rc == FISC_OK && capped && fiscp_ctx_tracing(c))
            rc = fiscp_step(c, "reward.capped", "按单个项目上限封顶", "Capped at the per-project ceiling",
                            "min(奖励, 上限) / min(reward, cap)",
                            fiscp_ctx_printf(c, "min(%s, %s)", fiscp_text(c, &exact), fiscp_text(c, cap)), &paid);
    }
    if (rc == FISC_OK)
        rc = fiscp_round(c, "reward", &paid, &rounded);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "reward", &rounded, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "招商引资项目一次性奖励 %s 元%s", fiscp_money(c, &rounded),
                                            capped ? "（已按上限封顶）" : ""),
                           fiscp_ctx_printf(c, "one-time investment project reward of %s yuan%s",
                                            fiscp_money(c, &rounded), capped ? " (capped)" : ""));
    }
    fisc_decimal_clear(&exact);
    fisc_decimal_clear(&paid);
    fisc_decimal_clear(&rounded);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    static const char *const KINDS[] = { "hnte", "headquarters", "foreign", "other" };
    const fisc_decimal *funds;
    int kind, foreign = 1, positive;
    fisc_status rc;

    if (!fiscp_param_in_force(c, P_RATE)) {
        rc = fiscp_check(c, "gx.investment.in_force", "桂政发〔2019〕27号在本期有效", "桂政发〔2019〕27号 in force in the period",
                         0, "not in force on the period's last day (the earlier 桂政发〔2016〕28号 is not modelled)");
        return rc != FISC_OK ? rc
                             : not_eligible(c, "本期不适用桂政发〔2019〕27号", "桂政发〔2019〕27号 does not apply to this period");
    }
    /* an applicant that gives no project kind is not concerned: no fact is asked for */
    if (!fiscp_fact_enum(fiscp_ctx_facts(c), FACT_INVESTMENT_PROJECT_KIND, &kind)) {
        rc = fiscp_check(c, "project.kind", "高新技术企业、总部企业或外商投资项目",
                         "High-tech, headquarters or foreign-invested project", 0,
                         "investment_project_kind not given: no investment project concerned");
        return rc != FISC_OK ? rc : not_eligible(c, "未涉及招商引资项目", "no investment project concerned");
    }
    if (kind < KIND_HNTE || kind > KIND_OTHER)
        return fiscp_fail(c, FISC_EINVAL, "investment_project_kind: unexpected value %d", kind);
    rc = fiscp_check(c, "project.kind", "高新技术企业、总部企业或外商投资项目", "High-tech, headquarters or foreign-invested project",
                     kind != KIND_OTHER, fiscp_ctx_printf(c, "investment_project_kind = %s", KINDS[kind]));
    if (rc != FISC_OK)
        return rc;
    if (kind == KIND_OTHER)
        return not_eligible(c, "不属于高新技术企业、总部企业或外商投资项目",
                            "not a high-tech, headquarters or foreign-invested project");
    if (kind == KIND_FOREIGN && (foreign = foreign_threshold(c, &rc)) < 0 && rc != FISC_OK)
        return rc;
    if (foreign == 0) /* the answer is known: the funds are not asked for */
        return not_eligible(c, "合同外资未达到1500万美元", "contracted foreign capital below the threshold");
    funds = fiscp_need_decimal(c, FACT_INVESTMENT_FUNDS_IN_PLACE);
    positive = funds ? fisc_decimal_sign(funds) > 0 : -1;
    rc = fiscp_check(c, "funds.in_place", "当年有实际到位资金", "Funds in place in the year", positive,
                     funds ? fiscp_ctx_printf(c, "%s 元", fiscp_text(c, funds)) : "investment_funds_in_place not given");
    if (rc != FISC_OK)
        return rc;
    if (positive == 0)
        return not_eligible(c, "当年无实际到位资金", "no funds in place in the year");
    if (foreign < 0 || positive < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少事实，无法计算奖励", "facts are missing to compute the reward");
    }
    return reward(c, kind, funds);
}

const fiscp_program fiscp_program_investment_reward = { "gx.investment_reward", PARAMS, P_COUNT, evaluate, NULL, NULL };
