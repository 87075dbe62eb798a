/*
 * Program gx.zone_approval_subsidy: the subsidy for a newly approved high-tech zone (高新区).
 *
 * - 桂政办发〔2021〕81号 (一): a newly approved national high-tech zone gets 1000万元 of Guangxi funds;
 *   (二): a newly approved autonomous-region zone gets 500万元, awarded on merit (择优): the amount is
 *   paid only to a zone selected, which the fact zone_regional_selected states (policy-params.md §3.1).
 * - 玉政办函〔2022〕41号 一(二): Yulin's own 经费补助 for a newly approved national or regional zone under
 *   玉政办规〔2017〕5号. UNCONFIRMED: the amounts (placeholder parameters yulin.zone_subsidy.national /
 *   .regional) and whether the two levels stack (placeholder yulin.zone_subsidy.stacks; when they do
 *   not, only the higher amount is paid, 就高, which is also UNCONFIRMED). Every result that reads them
 *   is provisional.
 * "Newly approved" (新获批) is read as approved in the evaluated year, up to the period's last day. The
 * parameters are those in force on the period's last day; a zone approved in 2021 before 81号 was issued
 * (2021-08-04) is not told apart (the text does not say whether it applies).
 */
#include "engine.h"

static const char *const PARAMS[] = { "gx.zone_subsidy.national", "gx.zone_subsidy.regional",
                                      "yulin.zone_subsidy.national", "yulin.zone_subsidy.regional",
                                      "yulin.zone_subsidy.stacks" };
enum { P_GX_NATIONAL, P_GX_REGIONAL, P_YL_NATIONAL, P_YL_REGIONAL, P_STACKS, P_COUNT };
enum { LEVEL_NATIONAL, LEVEL_REGIONAL, LEVEL_NONE };

static const char *date_text(fiscp_ctx *c, fiscp_date d)
{
    return fiscp_ctx_printf(c, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

/* Record, round and publish one amount. */
static fisc_status publish(fiscp_ctx *c, const char *name, const fisc_decimal *v, int category)
{
    fisc_decimal r;
    fisc_status rc;

    fisc_decimal_init(&r);
    rc = fiscp_round(c, name, v, &r);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, name, &r, category);
    fisc_decimal_clear(&r);
    return rc;
}

/* The Guangxi part: *gx is the amount (0 when the zone was not selected or 81号 is not in force);
 * *known is 0 when selection is unknown. */
static fisc_status guangxi_part(fiscp_ctx *c, int level, fisc_decimal *gx, int *known)
{
    int param = level == LEVEL_NATIONAL ? P_GX_NATIONAL : P_GX_REGIONAL;
    int in_force = fiscp_param_in_force(c, param), selected = 1, s_sel;
    const fisc_decimal *amount;
    fisc_status rc;

    *known = 1;
    fisc_decimal_set_int(gx, 0);
    rc = fiscp_check(c, "gx.in_force", "桂政办发〔2021〕81号高新区补助在本期有效",
                     "The Guangxi zone subsidy (桂政办发〔2021〕81号) is in force in the period", in_force,
                     in_force ? "" : fiscp_ctx_printf(c, "%s has no value in force", PARAMS[param]));
    if (rc != FISC_OK || !in_force)
        return rc;
    if (level == LEVEL_REGIONAL) {
        s_sel = fiscp_need_bool(c, FACT_ZONE_REGIONAL_SELECTED, &selected) ? selected : -1;
        rc = fiscp_check(c, "gx.selected", "自治区级高新区经择优入选（500万元为择优补助额）",
                         "Regional zone selected (择优) for the Guangxi subsidy (500万 at most, on merit, not automatic)",
                         s_sel, s_sel < 0 ? "zone_regional_selected not given" : s_sel ? "selected" : "not selected");
        if (rc != FISC_OK)
            return rc;
        if (s_sel < 0) {
            *known = 0;
            return FISC_OK;
        }
        if (!s_sel)
            return FISC_OK;
    }
    if ((rc = fiscp_param_value(c, param, &amount)) != FISC_OK)
        return rc;
    if ((rc = fisc_decimal_set(gx, amount, NULL)) != FISC_OK)
        return rc;
    if (fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "guangxi", "自治区补助", "Guangxi subsidy", "桂政办发〔2021〕81号补助额（万元折合元）",
                        fiscp_ctx_printf(c, "%s 元", fiscp_text(c, gx)), gx);
    return rc;
}

static fisc_status pay(fiscp_ctx *c, int level, const fisc_decimal *gx)
{
    const fisc_decimal *yl, *stacks;
    fisc_decimal pay_gx, pay_yl, total;
    int stack;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, level == LEVEL_NATIONAL ? P_YL_NATIONAL : P_YL_REGIONAL, &yl)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_STACKS, &stacks)) != FISC_OK)
        return rc;
    stack = fisc_decimal_sign(stacks) != 0;
    fisc_decimal_init(&pay_gx);
    fisc_decimal_init(&pay_yl);
    fisc_decimal_init(&total);
    if (stack || fisc_decimal_cmp(gx, yl) >= 0)
        rc = fisc_decimal_set(&pay_gx, gx, NULL);
    else
        fisc_decimal_set_int(&pay_gx, 0);
    if (rc == FISC_OK) {
        if (stack || fisc_decimal_cmp(gx, yl) < 0)
            rc = fisc_decimal_set(&pay_yl, yl, NULL);
        else
            fisc_decimal_set_int(&pay_yl, 0);
    }
    fiscp_choice(c, stack ? "stacked" : fisc_decimal_cmp(gx, yl) >= 0 ? "guangxi" : "yulin");
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&total, &pay_gx, &pay_yl, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c)) {
        rc = fiscp_step(c, "yulin", "玉林市补助（占位值，未核实）", "Yulin subsidy (placeholder, unconfirmed)",
                        "玉政办规〔2017〕5号补助额（万元折合元）", fiscp_ctx_printf(c, "%s 元", fiscp_text(c, yl)), yl);
        if (rc == FISC_OK)
            rc = fiscp_step(c, "total", stack ? "两级补助叠加" : "两级补助就高", stack ? "Both levels stack" : "The higher level only",
                            stack ? "自治区补助 + 玉林市补助" : "max(自治区补助, 玉林市补助)",
                            fiscp_ctx_printf(c, stack ? "%s + %s" : "max(%s, %s)", fiscp_text(c, gx), fiscp_text(c, yl)),
                            &total);
    }
    if (rc == FISC_OK)
        rc = publish(c, "guangxi", &pay_gx, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK)
        rc = publish(c, "yulin", &pay_yl, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK)
        rc = publish(c, "total", &total, -1);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "新获批%s高新区：自治区补助 %s 元，玉林市补助 %s 元（暂定），合计 %s 元",
                                            level == LEVEL_NATIONAL ? "国家" : "自治区级", fiscp_money(c, &pay_gx),
                                            fiscp_money(c, &pay_yl), fiscp_money(c, &total)),
                           fiscp_ctx_printf(c, "newly approved %s zone: Guangxi %s yuan, Yulin %s yuan (provisional), total %s yuan",
                                            level == LEVEL_NATIONAL ? "national" : "regional", fiscp_money(c, &pay_gx),
                                            fiscp_money(c, &pay_yl), fiscp_money(c, &total)));
    }
    fisc_decimal_clear(&pay_gx);
    fisc_decimal_clear(&pay_yl);
    fisc_decimal_clear(&total);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    fiscp_date approved;
    fisc_decimal gx;
    int level = -1, in_year, known;
    fisc_status rc;

    if (!fiscp_fact_enum(fiscp_ctx_facts(c), FACT_ZONE_APPROVAL_LEVEL, &level) || level == LEVEL_NONE) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_condition(c, "zone.approved", "新获批国家或自治区级高新区", "A newly approved national or regional high-tech zone",
                                  FISC_COND_NOT_MET,
                                  level == LEVEL_NONE ? "zone_approval_level = none" : "zone_approval_level not given")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "不涉及新获批高新区", "no high-tech zone approval concerns the applicant");
    }
    if (level != LEVEL_NATIONAL && level != LEVEL_REGIONAL)
        return fiscp_fail(c, FISC_EINVAL, "zone_approval_level: unexpected value %d", level);
    if (!fiscp_need_date(c, FACT_ZONE_APPROVAL_DATE, &approved)) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        if ((rc = fiscp_condition(c, "zone.new_in_year", "高新区于本期内新获批", "The zone was approved in the period",
                                  FISC_COND_UNKNOWN, "zone_approval_date not given")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "缺少高新区获批日期", "the zone's approval date is missing");
    }
    in_year = approved / 10000 == fiscp_ctx_year(c) && approved <= fiscp_ctx_date(c);
    rc = fiscp_check(c, "zone.new_in_year", "高新区于本期内新获批", "The zone was approved in the period", in_year,
                     fiscp_ctx_printf(c, "approved %s, period %d-01-01 to %s", date_text(c, approved), fiscp_ctx_year(c),
                                      date_text(c, fiscp_ctx_date(c))));
    if (rc != FISC_OK)
        return rc;
    if (!in_year) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "高新区不是本期新获批", "the zone was not newly approved in the period");
    }
    fisc_decimal_init(&gx);
    rc = guangxi_part(c, level, &gx, &known);
    if (rc == FISC_OK && !known) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        rc = fiscp_summary(c, "未知是否经择优入选自治区补助", "whether the regional zone was selected (择优) is unknown");
    } else if (rc == FISC_OK)
        rc = pay(c, level, &gx);
    fisc_decimal_clear(&gx);
    return rc;
}

const fiscp_program fiscp_program_zone_approval_subsidy = { "gx.zone_approval_subsidy", PARAMS, P_COUNT, evaluate, NULL, NULL };
