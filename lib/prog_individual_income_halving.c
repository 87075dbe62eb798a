/*
 * Program cn.individual_income_halving: the halving of the individual income tax on the 经营所得
 * of an individual business (个体工商户). Texts and URLs in policies/15-national-individual.yaml;
 * policy-params.md §4.5 and §9 WE-11.
 *
 * Clauses implemented:
 * - 财政部 税务总局公告2021年第12号 二 (征管: 国家税务总局公告2021年第8号), 2021-01-01 to 2022-12-31:
 *   the part of a 个体工商户's yearly 经营所得应纳税所得额 not above 100万元 is taxed at half, on top
 *   of the other preferences in force.
 * - 财政部 税务总局公告2023年第12号 一 (征管: 国家税务总局公告2023年第12号), 2023-01-01 to
 *   2027-12-31: the same for the part not above 200万元. (2023年第6号 二 had set 100万 for
 *   2023-2024; 2023年第12号 superseded it from 2023-01-01.)
 * - The relief (征管公告): 减免税额 = (应纳税所得额中不超过N部分的应纳税额 − 其他政策减免税额 ×
 *   不超过N部分 / 经营所得应纳税所得额) × 50%, where the tax of the part not above N is the 经营所得
 *   progressive scale applied to that part itself.
 * - Quarterly prepayment: the relief is taken at prepayment on the position cumulative to the end
 *   of the quarter, and settled by the year (征管 2021年第8号); the facts are then cumulative.
 *
 * The scale iit.business.scale (《中华人民共和国个人所得税法》附表二 经营所得, 5%-35%) is marginal, so
 * "income × rate − 速算扣除数" is the same number. policy-params.md does not list the scale with a
 * citation: the policy marks it UNCONFIRMED (only its 10% / 1,500 and 35% / 65,500 rows appear, in
 * the official WE-11 examples), so every result that computes a relief is provisional.
 *
 * Outside the halving's dates (no value of iit.business.halving.rate in force on the period's
 * last day) the program reports "not eligible" and asks for no facts. A relief below zero (other
 * relief above the tax of the part) is 0; the tax after relief is never below zero.
 */
#include "decimal.h"
#include "engine.h"

enum { P_RATE, P_CAP, P_SCALE, P_COUNT };

static const char *const PARAMS[P_COUNT] = {
    [P_RATE] = "iit.business.halving.rate",
    [P_CAP] = "iit.business.halving.cap",
    [P_SCALE] = "iit.business.scale",
};

/* The numbers of one evaluation, all exact until reported. */
typedef struct calc {
    fisc_decimal part;        /* min(income, cap) */
    fisc_decimal tax_full;    /* the scale applied to the whole income */
    fisc_decimal tax_part;    /* the scale applied to the part */
    fisc_decimal other_share; /* other relief × part / income */
    fisc_decimal relief;      /* (tax_part − other_share) × rate, at least 0 */
    fisc_decimal tax_full_r, relief_r, tax_r, t;
} calc;

static void calc_init(calc *k)
{
    fisc_decimal *all[] = { &k->part, &k->tax_full, &k->tax_part, &k->other_share, &k->relief,
                            &k->tax_full_r, &k->relief_r, &k->tax_r, &k->t };

    for (size_t i = 0; i < FISCP_ARRAY_SIZE(all); i++)
        fisc_decimal_init(all[i]);
}

static void calc_clear(calc *k)
{
    fisc_decimal *all[] = { &k->part, &k->tax_full, &k->tax_part, &k->other_share, &k->relief,
                            &k->tax_full_r, &k->relief_r, &k->tax_r, &k->t };

    for (size_t i = 0; i < FISCP_ARRAY_SIZE(all); i++)
        fisc_decimal_clear(all[i]);
}

static fisc_status compute(fiscp_ctx *c, const fisc_decimal *income, const fisc_decimal *other, calc *k)
{
    const fisc_decimal *rate, *cap;
    const char *terms_full = "", *terms_part = "";
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_RATE, &rate)) != FISC_OK || (rc = fiscp_param_value(c, P_CAP, &cap)) != FISC_OK)
        return rc;
    if ((rc = fiscp_param_scale(c, P_SCALE, income, &k->tax_full, &terms_full)) != FISC_OK ||
        (rc = fiscp_step(c, "tax.full", "经营所得应纳税额（减免前）", "Tax on the whole income, before relief",
                         "按经营所得税率表计算 / the 经营所得 scale applied to the taxable income", terms_full,
                         &k->tax_full)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_min(&k->part, income, cap, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "part", "不超过减半上限的部分", "The part not above the halving cap",
                         "min(应纳税所得额, 上限) / min(taxable income, cap)",
                         fiscp_ctx_printf(c, "min(%s, %s)", fiscp_text(c, income), fiscp_text(c, cap)), &k->part)) !=
            FISC_OK)
        return rc;
    if ((rc = fiscp_param_scale(c, P_SCALE, &k->part, &k->tax_part, &terms_part)) != FISC_OK ||
        (rc = fiscp_step(c, "tax.part", "不超过上限部分的应纳税额", "Tax of the part, by the scale applied to the part",
                         "按经营所得税率表计算 / the 经营所得 scale applied to the part", terms_part, &k->tax_part)) !=
            FISC_OK)
        return rc;
    /* other relief × part / income: the share of the other relief that falls on the part */
    if ((rc = fisc_decimal_mul(&k->t, other, &k->part, NULL)) != FISC_OK ||
        (rc = fisc_decimal_div(&k->other_share, &k->t, income, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "other.share", "其他政策减免税额中属于该部分的份额", "Share of the other relief on the part",
                         "其他政策减免税额 × 不超过上限部分 / 应纳税所得额 / other relief × part / taxable income",
                         fiscp_ctx_printf(c, "%s × %s / %s", fiscp_text(c, other), fiscp_text(c, &k->part),
                                          fiscp_text(c, income)),
                         &k->other_share)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_sub(&k->t, &k->tax_part, &k->other_share, NULL)) != FISC_OK ||
        (rc = fisc_decimal_mul(&k->relief, &k->t, rate, NULL)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(&k->relief) < 0)
        fisc_decimal_set_int(&k->relief, 0);
    return fiscp_step(c, "relief", "减免税额", "Relief",
                      "max(0, (不超过上限部分的应纳税额 − 其他政策减免份额) × 减半比例) / "
                      "max(0, (tax of the part − other relief share) × halving rate)",
                      fiscp_ctx_printf(c, "(%s − %s) × %s", fiscp_text(c, &k->tax_part), fiscp_text(c, &k->other_share),
                                       fiscp_percent(c, rate)),
                      &k->relief);
}

/* Round and report: tax before relief (informative), relief, and tax after all relief. */
static fisc_status report(fiscp_ctx *c, const fisc_decimal *other, calc *k)
{
    fisc_status rc;

    if ((rc = fiscp_round(c, "tax_before_relief", &k->tax_full, &k->tax_full_r)) != FISC_OK ||
        (rc = fiscp_round(c, "relief", &k->relief, &k->relief_r)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_sub(&k->t, &k->tax_full_r, other, NULL)) != FISC_OK ||
        (rc = fisc_decimal_sub(&k->t, &k->t, &k->relief_r, NULL)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(&k->t) < 0)
        fisc_decimal_set_int(&k->t, 0);
    if ((rc = fiscp_step(c, "tax", "减免后应纳税额", "Tax after relief",
                         "max(0, 减免前应纳税额 − 其他政策减免税额 − 减免税额) / "
                         "max(0, tax before relief − other relief − relief)",
                         fiscp_ctx_printf(c, "%s − %s − %s", fiscp_text(c, &k->tax_full_r), fiscp_text(c, other),
                                          fiscp_text(c, &k->relief_r)),
                         &k->t)) != FISC_OK ||
        (rc = fiscp_round(c, "tax", &k->t, &k->tax_r)) != FISC_OK)
        return rc;
    if ((rc = fiscp_amount(c, "tax_before_relief", &k->tax_full_r, -1)) != FISC_OK ||
        (rc = fiscp_amount(c, "relief", &k->relief_r, FISC_CATEGORY_TAX_RELIEF)) != FISC_OK ||
        (rc = fiscp_amount(c, "tax", &k->tax_r, FISC_CATEGORY_TAX_PAYABLE)) != FISC_OK)
        return rc;
    fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
    return fiscp_summary(c,
                         fiscp_ctx_printf(c, "个体工商户经营所得减半征收：减免税额 %s 元，减免后应纳税额 %s 元",
                                          fiscp_money(c, &k->relief_r), fiscp_money(c, &k->tax_r)),
                         fiscp_ctx_printf(c, "individual business income tax halved: relief %s yuan, tax after relief %s yuan",
                                          fiscp_money(c, &k->relief_r), fiscp_money(c, &k->tax_r)));
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *income, *other = NULL;
    fisc_decimal zero;
    calc k;
    fisc_status rc;
    char day[11] = "";

    if (!fiscp_param_in_force(c, P_RATE)) { /* the halving does not exist in the period: no facts matter */
        if (fiscp_ctx_tracing(c))
            fiscp_date_format(day, fiscp_ctx_date(c));
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_condition(c, "halving.in_force", "个体工商户减半征收政策在本期有效",
                                  "The halving is in force in the period", FISC_COND_NOT_MET,
                                  fiscp_ctx_printf(c, "%s has no value in force on %s", PARAMS[P_RATE], day))) !=
            FISC_OK)
            return rc;
        return fiscp_summary(c, "本期不在个体工商户减半征收政策执行期内",
                             "the individual business halving is not in force in the period");
    }
    if ((rc = fiscp_condition(c, "halving.in_force", "个体工商户减半征收政策在本期有效",
                              "The halving is in force in the period", FISC_COND_MET, "")) != FISC_OK)
        return rc;
    {
        /* a company (individual_business false) is not eligible, whatever its other facts */
        int is_individual;

        if (fiscp_fact_bool(fiscp_ctx_facts(c), FACT_INDIVIDUAL_BUSINESS, &is_individual) && !is_individual) {
            fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
            if ((rc = fiscp_condition(c, "individual_business", "纳税人为个体工商户", "The taxpayer is an individual business",
                                      FISC_COND_NOT_MET, "individual_business = false")) != FISC_OK)
                return rc;
            return fiscp_summary(c, "纳税人不是个体工商户", "the taxpayer is not an individual business");
        }
    }
    income = fiscp_need_decimal(c, FACT_INDIVIDUAL_BUSINESS_TAXABLE_INCOME);
    if (!income || fisc_decimal_sign(income) > 0)
        other = fiscp_need_decimal(c, FACT_INDIVIDUAL_BUSINESS_OTHER_RELIEF);
    if (income && fisc_decimal_sign(income) <= 0) { /* a loss or nothing: no tax to halve */
        fisc_decimal_init(&zero);
        rc = fiscp_condition(c, "income.positive", "经营所得应纳税所得额大于零", "Taxable business income above zero",
                             FISC_COND_NOT_MET, fiscp_ctx_printf(c, "%s ≤ 0", fiscp_text(c, income)));
        if (rc == FISC_OK && (rc = fiscp_amount(c, "relief", &zero, FISC_CATEGORY_TAX_RELIEF)) == FISC_OK)
            rc = fiscp_amount(c, "tax", &zero, FISC_CATEGORY_TAX_PAYABLE);
        fisc_decimal_clear(&zero);
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if (rc == FISC_OK)
            rc = fiscp_summary(c, "经营所得应纳税所得额不大于零，无税可减", "no taxable business income: nothing to halve");
        return rc;
    }
    if (!income || !other) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少经营所得应纳税所得额或其他政策减免税额",
                             "the taxable business income or the other relief is missing");
    }
    if ((rc = fiscp_condition(c, "income.positive", "经营所得应纳税所得额大于零", "Taxable business income above zero",
                              FISC_COND_MET, fiscp_ctx_printf(c, "%s > 0", fiscp_text(c, income)))) != FISC_OK)
        return rc;
    calc_init(&k);
    rc = compute(c, income, other, &k);
    if (rc == FISC_OK)
        rc = report(c, other, &k);
    calc_clear(&k);
    return rc;
}

const fiscp_program fiscp_program_individual_income_halving = { "cn.individual_income_halving", PARAMS, P_COUNT,
                                                               evaluate, NULL, NULL };
