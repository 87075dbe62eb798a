/*
 * Program gx.beibu_cit_local_share: 北部湾经济区 — the local share of corporate income tax exempted.
 *
 * Clauses implemented (values, dates and URLs in policies/21-guangxi-beibu.yaml; policy-params.md §3.4, WE-16):
 * - 国发〔2003〕26号: from 2004 income-tax revenue is shared 60% central / 40% local; the "地方分享部分" is
 *   40% of the tax (gx.beibu.local_share). 企业所得税法 第二十九条 and 民族区域自治法 第三十四条 let the
 *   autonomous region waive that share. How Guangxi splits the 40% again between region and city is
 *   UNCONFIRMED and does not matter here: the whole 40% is exempted.
 * - 桂政发〔2020〕42号 (items 79, 80 and 82 of the Guangxi compendium): an enterprise newly registered in the
 *   经济区 (南宁, 北海, 防城港, 钦州, 玉林 and 崇左) has the local share exempted for 5 years
 *   (gx.beibu.exempt_years):
 *   79 recognised as a 高新技术企业 or qualifying for the 西部大开发 rate: from the tax year of its first
 *      主营业务收入;
 *   80 an industrial enterprise whose main business is an industry designated for the zone: from the tax
 *      year in which its main-business revenue first reached 60% (inclusive) of total revenue (the user
 *      gives that year: beibu_industrial_start_year);
 *   82 a 小型微利企业 other than 国家限制和淘汰类: from the tax year of its first revenue.
 *   Not modelled: 81 (IC and software enterprises, during the national reduced period) and 83 (processing
 *   enterprises near the border).
 * - "Newly registered" means registered from 2021 (gx.beibu.new_registration_first_year): UNCONFIRMED — the
 *   cited text does not say from when; inferred from 桂财税〔2023〕5号 三, which treats enterprises set up in
 *   2014-2020 as earlier ones. The exemption is taken to apply from tax year 2021 (the dates of
 *   gx.beibu.exempt_years; the predecessor 桂政发〔2014〕5号, 2014-2020, is not modelled: earlier years are
 *   "not eligible" under this program).
 * - 桂财税〔2023〕5号 (transitional rules):
 *   一、二 an enterprise that had the exemption under 桂政发〔2014〕5号 第六条(一)(二) or 桂政发〔2016〕70号
 *   第三条(四)1 for fewer than 5 years continues year after year from 2021 until the total reaches 5
 *   (gx.beibu.transition.continue_from_year);
 *   三(一) an enterprise set up in the 北部湾经济区 in 2014-2020 (gx.beibu.transition.registered_from_year,
 *   _to_year) that never had the exemption and qualifies for 西部大开发 in 2021-2025
 *   (gx.beibu.transition.west_from_year, _to_year): 5 years from the first tax year it qualifies.
 *   三(二) and what follows are not in the cited copy: not modelled.
 * - Reading (no text says otherwise; UNCONFIRMED): the exemption is of the tax computed under the enterprise's
 *   status in each year, so items 79, 80, 82 and 三(一) need that status in the year evaluated, and the five
 *   years run from the start year whether or not every one of them qualifies. The continuation of 一、二 needs
 *   nothing beyond what its text states.
 *
 * The status in the year comes from cn.cit's published amounts, read through the engine: tax_hnte (the HNTE
 * 15% route applies), tax_west (西部大开发), tax_small_micro (小型微利, which already excludes restricted
 * industries); the tax is cn.cit's "tax".
 *
 * Published amounts: relief = tax × 40%, rounded once (TAX_RELIEF); tax_payable_adjustment = −relief
 * (TAX_PAYABLE), so that the TAX_PAYABLE total over the items (cn.cit's tax plus this adjustment) is the tax
 * actually paid; tax_after_relief = tax − relief (informative). Not eligible: no amounts.
 */
#include "decimal.h"
#include "engine.h"

enum {
    P_LOCAL_SHARE,
    P_YEARS,
    P_NEW_FIRST_YEAR,
    P_CONTINUE_FROM,
    P_OLD_FROM,
    P_OLD_TO,
    P_WEST_FROM,
    P_WEST_TO,
    P_COUNT
};

static const char *const PARAMS[P_COUNT] = {
    [P_LOCAL_SHARE] = "gx.beibu.local_share",
    [P_YEARS] = "gx.beibu.exempt_years",
    [P_NEW_FIRST_YEAR] = "gx.beibu.new_registration_first_year",
    [P_CONTINUE_FROM] = "gx.beibu.transition.continue_from_year",
    [P_OLD_FROM] = "gx.beibu.transition.registered_from_year",
    [P_OLD_TO] = "gx.beibu.transition.registered_to_year",
    [P_WEST_FROM] = "gx.beibu.transition.west_from_year",
    [P_WEST_TO] = "gx.beibu.transition.west_to_year",
};

static const char *const AFTER[] = { "cn.cit", NULL };
static const fiscp_read READS[] = { { "cn.cit", "tax" }, { "cn.cit", "tax_hnte" }, { "cn.cit", "tax_west" },
                                    { "cn.cit", "tax_small_micro" }, { NULL, NULL } };

/* Three-valued and / or: 1 yes, 0 no, -1 unknown. */
static int and3(int a, int b)
{
    return (a == 0 || b == 0) ? 0 : (a < 0 || b < 0) ? -1 : 1;
}

static int or3(int a, int b)
{
    return (a == 1 || b == 1) ? 1 : (a < 0 || b < 0) ? -1 : 0;
}

static fisc_status param_int(fiscp_ctx *c, int param, int *out)
{
    const fisc_decimal *v;
    int64_t n;
    fisc_status rc = fiscp_param_value(c, param, &v);

    if (rc != FISC_OK)
        return rc;
    if (!fiscp_decimal_get_int64(&n, v) || n < 0 || n > 9999)
        return fiscp_fail(c, FISC_EINVAL, "%s is not a whole number", PARAMS[param]);
    *out = (int)n;
    return FISC_OK;
}

/* A year fact: 1 and *out, or -1 (recorded as missing). */
static int need_year(fiscp_ctx *c, fiscp_fact id, int *out)
{
    const fisc_decimal *v = fiscp_need_decimal(c, id);
    int64_t y;

    if (!v || !fiscp_decimal_get_int64(&y, v) || y < 0 || y > 9999)
        return -1;
    *out = (int)y;
    return 1;
}

/* What the evaluation knows: the year, cn.cit's statuses, the exemption years. */
typedef struct beibu {
    fiscp_ctx *c;
    int year, years;
    int hnte, west, small_micro;   /* cn.cit published the route's tax: the status holds in the year */
} beibu;

/* "start ≤ year ≤ start + years − 1" as a condition; *state -1 when the start is unknown. */
static fisc_status window(beibu *b, const char *id, const char *zh, const char *en, int known, int start,
                          const char *what, int *state)
{
    int last = start + b->years - 1;

    *state = known < 0 ? -1 : start <= b->year && b->year <= last;
    return fiscp_check(b->c, id, zh, en, *state,
                       *state < 0 ? fiscp_ctx_printf(b->c, "%s unknown", what)
                           : fiscp_ctx_printf(b->c, "%s %d: exempt in %d-%d; %d %s", what, start, start, last, b->year,
                                              *state ? "is within" : "is outside"));
}

/* 桂政发〔2020〕42号 items 79, 82 and 80 for a newly registered enterprise. */
static fisc_status newly_registered(beibu *b, int *state)
{
    fiscp_ctx *c = b->c;
    int start = 0, known, s79 = 0, s82 = 0, s80 = 0, designated, sd;
    fisc_status rc = FISC_OK;

    static const char Z79[] = "高新技术企业或西部大开发企业：自取得第一笔主营业务收入所属纳税年度起5年",
                      E79[] = "High-tech or western-development enterprise: 5 years from the first main-business revenue",
                      Z82[] = "小型微利企业：自取得第一笔收入所属纳税年度起5年",
                      E82[] = "Small and micro enterprise: 5 years from the first revenue";

    if (b->hnte || b->west) {
        known = need_year(c, FACT_FIRST_MAIN_BUSINESS_REVENUE_YEAR, &start);
        rc = window(b, "beibu.item79", Z79, E79, known, start,
                    b->hnte ? "高新技术企业 (cn.cit tax_hnte); first main-business revenue"
                            : "西部大开发 (cn.cit tax_west); first main-business revenue",
                    &s79);
    } else {
        rc = fiscp_check(c, "beibu.item79", Z79, E79, 0, "neither the HNTE nor the 西部大开发 rate applies in the year (cn.cit)");
    }
    if (rc == FISC_OK && b->small_micro) {
        known = need_year(c, FACT_FIRST_REVENUE_YEAR, &start);
        rc = window(b, "beibu.item82", Z82, E82, known, start, "小型微利企业 (cn.cit tax_small_micro); first revenue",
                    &s82);
    } else if (rc == FISC_OK) {
        rc = fiscp_check(c, "beibu.item82", Z82, E82, 0, "not a 小型微利企业 in the year (cn.cit)");
    }
    if (rc == FISC_OK && s79 != 1 && s82 != 1) {
        sd = fiscp_need_bool(c, FACT_BEIBU_DESIGNATED_INDUSTRIAL, &designated) ? designated != 0 : -1;
        if (sd == 1) {
            known = need_year(c, FACT_BEIBU_INDUSTRIAL_START_YEAR, &start);
            rc = window(b, "beibu.item80", "规定产业工业企业：自主营业务收入首次达到总收入60%的纳税年度起5年",
                        "Designated industrial enterprise: 5 years from main-business revenue first at 60%", known,
                        start, "main business first at 60% of revenue", &s80);
        } else {
            s80 = sd;
            rc = fiscp_check(c, "beibu.item80", "以经济区规定产业为主营业务的工业企业",
                             "Industrial enterprise in a designated zone industry", sd, sd < 0 ? "unknown" : "no");
        }
    }
    *state = or3(or3(s79, s82), s80);
    return rc;
}

/* 桂财税〔2023〕5号 一、二 and 三(一), for an enterprise set up in 2014-2020. */
static fisc_status transitional(beibu *b, int *state)
{
    fiscp_ctx *c = b->c;
    int used = 0, known, from, first = 0, west_from, west_to, in_range;
    fisc_status rc;

    *state = 0;
    known = need_year(c, FACT_BEIBU_EXEMPT_YEARS_USED_EARLIER, &used);
    if (known < 0) {
        *state = -1;
        return fiscp_check(c, "beibu.transition", "过渡期：已享受免征年数", "Transition: exemption years already used", -1,
                           "beibu_exempt_years_used_earlier unknown");
    }
    if (used >= b->years)
        return fiscp_check(c, "beibu.transition", "过渡期：已享受免征年数", "Transition: exemption years already used", 0,
                           fiscp_ctx_printf(c, "%d years already used (of %d)", used, b->years));
    if (used > 0) { /* 一、二: year after year from 2021 until the total reaches five */
        if ((rc = param_int(c, P_CONTINUE_FROM, &from)) != FISC_OK)
            return rc;
        *state = from <= b->year && b->year <= from + (b->years - used) - 1;
        return fiscp_check(c, "beibu.transition", "过渡期：继续免征至合计5年", "Transition: continued until five years in all",
                           *state,
                           fiscp_ctx_printf(c, "%d years used before; exempt in %d-%d; %d %s", used, from,
                                     from + (b->years - used) - 1, b->year, *state ? "is within" : "is outside"));
    }
    /* 三(一): never exempted; qualifies for 西部大开发 in 2021-2025 */
    if (!b->west)
        return fiscp_check(c, "beibu.transition", "过渡期：首次符合西部大开发条件起5年",
                           "Transition: 5 years from first qualifying for western development", 0,
                           "not on the 西部大开发 rate in the year (cn.cit tax_west)");
    if ((rc = param_int(c, P_WEST_FROM, &west_from)) != FISC_OK || (rc = param_int(c, P_WEST_TO, &west_to)) != FISC_OK)
        return rc;
    known = need_year(c, FACT_WEST_FIRST_QUALIFYING_YEAR, &first);
    in_range = known < 0 ? -1 : west_from <= first && first <= west_to;
    *state = known < 0 ? -1 : in_range && first <= b->year && b->year <= first + b->years - 1;
    return fiscp_check(c, "beibu.transition", "过渡期：首次符合西部大开发条件起5年",
                       "Transition: 5 years from first qualifying for western development", *state,
                       known < 0 ? "west_first_qualifying_year unknown"
                          : fiscp_ctx_printf(c, "first qualified %d (%s %d-%d); exempt in %d-%d; %d", first,
                                             in_range ? "within" : "outside", west_from, west_to, first,
                                             first + b->years - 1, b->year));
}

/* Registration in the zone, then the path that applies to the registration year. */
static fisc_status eligibility(beibu *b, int *state)
{
    fiscp_ctx *c = b->c;
    const fisc_facts *f = fiscp_ctx_facts(c);
    fiscp_date reg;
    int zone, v, ry, new_first, old_from, old_to, path = 0;
    const char *zone_detail = "unknown";
    fisc_status rc;

    if (fiscp_fact_bool(f, FACT_REGISTERED_IN_BEIBU_ZONE, &v)) {
        zone = v != 0;
        zone_detail = v ? "yes" : "no";
    } else if (fiscp_fact_bool(f, FACT_REGISTERED_IN_YULIN, &v) && v) {
        zone = 1;
        zone_detail = "registered in 玉林";
    } else {
        fiscp_missing(c, FACT_REGISTERED_IN_BEIBU_ZONE);
        zone = -1;
    }
    if ((rc = fiscp_check(c, "beibu.zone", "在北部湾经济区注册开办", "Registered in the Beibu Gulf Economic Zone", zone,
                          zone_detail)) != FISC_OK)
        return rc;
    *state = zone;
    if (zone == 0)
        return FISC_OK;
    if (!fiscp_need_date(c, FACT_REGISTRATION_DATE, &reg)) {
        *state = and3(zone, -1);
        return fiscp_check(c, "beibu.registration", "新注册开办（或适用过渡期规定）", "Newly registered (or under the transitional rules)",
                           -1, "registration_date unknown");
    }
    ry = reg / 10000;
    /* the confirmed transitional years first: the UNCONFIRMED "new from" year is read only when it decides */
    if ((rc = param_int(c, P_OLD_FROM, &old_from)) != FISC_OK || (rc = param_int(c, P_OLD_TO, &old_to)) != FISC_OK)
        return rc;
    new_first = 0;
    if (old_from <= ry && ry <= old_to)
        path = 2;
    else if ((rc = param_int(c, P_NEW_FIRST_YEAR, &new_first)) != FISC_OK)
        return rc;
    else
        path = ry >= new_first ? 1 : 0;
    if ((rc = fiscp_check(c, "beibu.registration", "新注册开办（或适用过渡期规定）", "Newly registered (or under the transitional rules)",
                          path != 0,
                          fiscp_ctx_printf(c, "registered %04d-%02d-%02d: %s", ry, reg / 100 % 100, reg % 100,
                                    path == 1   ? fiscp_ctx_printf(c, "newly registered (from %d)", new_first)
                                    : path == 2 ? fiscp_ctx_printf(c, "set up in %d-%d (transitional rules)", old_from,
                                                                   old_to)
                                                : "neither newly registered nor under the transitional rules"))) !=
        FISC_OK)
        return rc;
    if (path == 0) {
        *state = 0;
        return FISC_OK;
    }
    rc = path == 1 ? newly_registered(b, &v) : transitional(b, &v);
    *state = and3(zone, v);
    return rc;
}

static fisc_status exempt(beibu *b, const fisc_decimal *tax)
{
    fiscp_ctx *c = b->c;
    const fisc_decimal *share;
    fisc_decimal exact, relief, after, adjust;
    fisc_status rc;

    fisc_decimal_init(&exact);
    fisc_decimal_init(&relief);
    fisc_decimal_init(&after);
    fisc_decimal_init(&adjust);
    rc = fiscp_param_value(c, P_LOCAL_SHARE, &share);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&exact, tax, share, NULL);
    if (rc == FISC_OK)
        rc = fiscp_step(c, "local_share", "免征的地方分享部分", "Local share exempted",
                        "企业所得税应纳税额 × 地方分享比例 / corporate income tax × local share",
                        fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, tax), fiscp_percent(c, share)), &exact);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "relief", &exact, &relief);
    if (rc == FISC_OK)
        rc = fisc_decimal_sub(&after, tax, &relief, NULL);
    if (rc == FISC_OK)
        rc = fiscp_step(c, "tax_after_relief", "免征后实际缴纳的企业所得税", "Corporate income tax paid after the exemption",
                        "应纳税额 − 免征额 / tax − exemption",
                        fiscp_ctx_printf(c, "%s − %s", fiscp_text(c, tax), fiscp_text(c, &relief)), &after);
    if (rc == FISC_OK)
        rc = fisc_decimal_neg(&adjust, &relief, NULL);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "relief", &relief, FISC_CATEGORY_TAX_RELIEF);
    if (rc == FISC_OK) /* the tax paid is cn.cit's tax plus this (negative) adjustment */
        rc = fiscp_amount(c, "tax_payable_adjustment", &adjust, FISC_CATEGORY_TAX_PAYABLE);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "tax_after_relief", &after, -1);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "免征企业所得税地方分享部分 %s 元，实际缴纳 %s 元",
                                            fiscp_money(c, &relief), fiscp_money(c, &after)),
                           fiscp_ctx_printf(c, "local share of corporate income tax exempted: %s yuan; %s yuan paid",
                                            fiscp_money(c, &relief), fiscp_money(c, &after)));
    }
    fisc_decimal_clear(&exact);
    fisc_decimal_clear(&relief);
    fisc_decimal_clear(&after);
    fisc_decimal_clear(&adjust);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *tax, *route;
    beibu b = { c, fiscp_ctx_year(c), 0, 0, 0, 0 };
    int outcome, state;
    fisc_status rc;

    if (!fiscp_param_in_force(c, P_YEARS)) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        rc = fiscp_check(c, "beibu.in_force", "桂政发〔2020〕42号免征政策在本年度有效", "The 桂政发〔2020〕42号 exemption in force in the year",
                         0, fiscp_ctx_printf(c, "not in force in %d (the earlier 桂政发〔2014〕5号 is not modelled)", b.year));
        return rc != FISC_OK ? rc
                             : fiscp_summary(c, "本年度不适用桂政发〔2020〕42号", "桂政发〔2020〕42号 does not apply to this year");
    }
    if ((rc = param_int(c, P_YEARS, &b.years)) != FISC_OK)
        return rc;
    fiscp_prior_amount(c, "cn.cit", "tax", &tax, &outcome);
    if ((rc = fiscp_check(c, "cit.tax", "企业所得税应纳税额已确定", "Corporate income tax determined", tax ? 1 : -1,
                          outcome < 0                               ? "cn.cit is not enabled in this policy"
                          : outcome == FISC_OUTCOME_UNDETERMINED ? "cn.cit is undetermined (see the facts it misses)"
                          : tax                                  ? fiscp_ctx_printf(c, "cn.cit tax %s", fiscp_text(c, tax))
                                                          : "cn.cit published no tax")) != FISC_OK)
        return rc;
    if (!tax) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "企业所得税未确定，无法计算免征的地方分享部分",
                             "the corporate income tax is not determined, so the local share cannot be computed");
    }
    fiscp_prior_amount(c, "cn.cit", "tax_hnte", &route, NULL);
    b.hnte = route != NULL;
    fiscp_prior_amount(c, "cn.cit", "tax_west", &route, NULL);
    b.west = route != NULL;
    fiscp_prior_amount(c, "cn.cit", "tax_small_micro", &route, NULL);
    b.small_micro = route != NULL;
    if ((rc = eligibility(&b, &state)) != FISC_OK)
        return rc;
    if (state == 1)
        return exempt(&b, tax);
    if (state < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少事实，无法确定是否免征地方分享部分",
                             "facts are missing to decide the local-share exemption");
    }
    fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
    return fiscp_summary(c, "不免征企业所得税地方分享部分（见未满足的条件）",
                         "the local share is not exempted (see the conditions not met)");
}

const fiscp_program fiscp_program_beibu_cit_local_share = { "gx.beibu_cit_local_share", PARAMS, P_COUNT, evaluate,
                                                            AFTER, READS };
