/*
 * Program yulin.hnte_reward: Yulin's one-time reward for a newly recognized high-tech enterprise.
 *
 * 《玉林市高新技术企业认定奖励办法》(under 玉政发〔2017〕9号), policy-params.md §2.2:
 * - 第三条: a 高新技术企业 recognized under 国科发火〔2016〕32号, registered in 玉林市 and with its
 *   tax relationship in 玉林市;
 * - 第四条: recognized in the current year → a one-time reward of 5万元 from 市财政.
 * Whether a re-recognition (重新认定) also earns the reward is not stated in the cited text
 * (UNCONFIRMED); this program counts the certificate issued in the year, as the text reads.
 */
#include "engine.h"

static const char *const PARAMS[] = { "yulin.hnte_reward.amount" };
enum { P_AMOUNT };

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *amount;
    fisc_decimal reward;
    fiscp_date cert;
    int has_cert, in_year, reg, tax_reg, s_reg, s_tax, eligible;
    fisc_status rc;

    has_cert = fiscp_fact_date(fiscp_ctx_facts(c), FACT_HNTE_CERTIFICATE_DATE, &cert);
    in_year = has_cert && cert / 10000 == fiscp_ctx_year(c);
    rc = fiscp_check(c, "hnte.recognized_in_year", "当年认定为高新技术企业", "Recognized as a high-tech enterprise in the year",
                     in_year,
                     has_cert ? fiscp_ctx_printf(c, "certificate %04d-%02d-%02d, year %d", cert / 10000, cert / 100 % 100,
                                               cert % 100, fiscp_ctx_year(c))
                            : "no certificate (hnte_certificate_date not given)");
    if (rc != FISC_OK)
        return rc;
    if (!in_year) { /* the place tests do not matter then: no facts are asked for */
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "当年未新认定为高新技术企业", "not newly recognized as a high-tech enterprise in the year");
    }
    s_reg = fiscp_need_bool(c, FACT_REGISTERED_IN_YULIN, &reg) ? reg : -1;
    s_tax = fiscp_need_bool(c, FACT_TAX_REGISTERED_IN_YULIN, &tax_reg) ? tax_reg : -1;
    if ((rc = fiscp_check(c, "yulin.registered", "在玉林市注册", "Registered in Yulin", s_reg,
                          s_reg < 0 ? "unknown" : s_reg ? "yes" : "no")) != FISC_OK ||
        (rc = fiscp_check(c, "yulin.tax_registered", "税务关系在玉林市", "Tax relationship in Yulin", s_tax,
                          s_tax < 0 ? "unknown" : s_tax ? "yes" : "no")) != FISC_OK)
        return rc;
    eligible = (s_reg == 0 || s_tax == 0) ? 0 : (s_reg < 0 || s_tax < 0) ? -1 : 1;
    if (eligible < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少注册地或税务关系的事实", "facts on registration or tax relationship are missing");
    }
    if (!eligible) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "注册地或税务关系不在玉林市", "not registered, or not paying tax, in Yulin");
    }
    if ((rc = fiscp_param_value(c, P_AMOUNT, &amount)) != FISC_OK)
        return rc;
    fisc_decimal_init(&reward);
    rc = fiscp_step(c, "reward", "一次性奖励", "One-time reward", "奖励额（万元折合元）/ the reward (万元 in yuan)",
                    fiscp_ctx_printf(c, "%s 元", fiscp_text(c, amount)), amount);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "reward", amount, &reward);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "reward", &reward, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c, fiscp_ctx_printf(c, "当年新认定高新技术企业，一次性奖励 %s 元", fiscp_money(c, &reward)),
                           fiscp_ctx_printf(c, "newly recognized high-tech enterprise: one-time reward of %s yuan",
                                            fiscp_money(c, &reward)));
    }
    fisc_decimal_clear(&reward);
    return rc;
}

const fiscp_program fiscp_program_yulin_hnte_reward = { "yulin.hnte_reward", PARAMS, 1, evaluate, NULL, NULL };
