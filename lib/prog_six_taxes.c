/*
 * Program cn.six_taxes: the "六税两费" relief — 资源税 (水资源税 excluded), 城市维护建设税, 房产税,
 * 城镇土地使用税, 印花税 (证券交易印花税 excluded), 耕地占用税, 教育费附加 and 地方教育附加.
 *
 * Clauses implemented (texts and URLs in policies/13-national-six-taxes.yaml and, for Guangxi's
 * ratio, 22-guangxi-six-taxes.yaml; policy-params.md §4.6, §3.6):
 * - 财税〔2019〕13号 三, 四 (2019-01-01 to 2021-12-31): for 增值税小规模纳税人 only, a reduction of up to
 *   50% whose ratio the province sets.
 * - 财政部 税务总局公告2022年第10号 一, 二, 三 (from 2022-01-01): also 小型微利企业 and 个体工商户, the
 *   province still setting a ratio of up to 50%.
 * - 财政部 税务总局公告2023年第12号 二, 四 (2023-01-01 to 2027-12-31): 减半 (50%) nationwide for the same
 *   three classes.
 * - The relief stacks with other reductions of the same taxes (13号 四; 2022年第10号 二; 2023年第12号 四).
 *   The order is UNCONFIRMED (policy-params §4.6): parameter six_taxes.after_other_reductions, status
 *   unconfirmed, says "other reductions first, then the ratio on what remains" (no: the ratio on the
 *   tax, at most what the other reductions leave), so a result with other reductions is provisional.
 * - Guangxi's ratio for 2019-2022 is UNCONFIRMED (policy-params §3.6): six_taxes.ratio.province has
 *   status unconfirmed, so every Guangxi result of 2019-2022 is provisional.
 * - 小型微利企业 for this relief (国家税务总局公告2022年第3号 一, the 征管 notice cited in policy-params
 *   §4.6; text at http://m.seoys.cn/article/content/202203/19758/1.html): the corporate income tax
 *   annual settlement decides. A settlement filed in year Y decides from 1 July of Y to 30 June of
 *   Y+1, so for periods January-June of the year evaluated the settlement of two years before
 *   decides, for July-December that of the year before (fact small_micro_settled_two_years_ago /
 *   small_micro_settled_last_year). A newly set-up enterprise that declares before its first
 *   settlement is tested on its industry (not restricted or prohibited) and on its headcount (≤ 300)
 *   and total assets (≤ 5000万元) at the end of the month before the declaration (申报期上月末);
 *   one that declares after filing its first settlement follows that settlement. The limits are the
 *   小型微利 limits of cn.cit (cit.small_micro.max_employees, .max_assets; 2022年第10号 三 restates them).
 *   The windows are read as periods of tax (税款所属期), as 2022年第10号 dates its own period.
 *   The program takes the settlements' results as facts rather than reading cn.cit: the cn.cit of
 *   an evaluation is the settlement of the year evaluated, which decides only from 1 July of the
 *   year after, never the period evaluated.
 *
 * Periods: a quarter evaluated is that quarter alone (the amounts are the taxes of those three
 * months, not cumulative); a whole year is the year. A 小型微利 status that differs between the two
 * halves of a year evaluated is undetermined (evaluate by quarter). Outside the dates of the relief
 * (before 2019, after 2027) the program reports "not eligible": the payable amount is then the taxes
 * less the other reductions.
 *
 * Amounts: per tax "relief_<tax>" (informative), "relief" (their sum) and "payable" (the eight less
 * the other reductions and the relief). Each per-tax relief is rounded once, as each tax is declared
 * on its own; "relief" adds the rounded figures.
 */
#include "decimal.h"
#include "engine.h"

enum {
    P_PROVINCE_DECIDES,
    P_CEILING,
    P_RATIO_PROVINCE,
    P_RATIO_NATIONAL,
    P_CLASSES,
    P_STACKING,
    P_MAX_EMPLOYEES,
    P_MAX_ASSETS,
    P_COUNT
};

static const char *const PARAMS[P_COUNT] = {
    [P_PROVINCE_DECIDES] = "six_taxes.province_decides",
    [P_CEILING] = "six_taxes.ratio.ceiling",
    [P_RATIO_PROVINCE] = "six_taxes.ratio.province",
    [P_RATIO_NATIONAL] = "six_taxes.ratio.national",
    [P_CLASSES] = "six_taxes.small_micro_and_individual_business",
    [P_STACKING] = "six_taxes.after_other_reductions",
    [P_MAX_EMPLOYEES] = "cit.small_micro.max_employees",
    [P_MAX_ASSETS] = "cit.small_micro.max_assets",
};

/* the values of the fact small_micro_settlement_stage */
enum { SETTLED, BEFORE_FIRST, AFTER_FIRST };

#define NTAXES 8

static const struct tax {
    fiscp_fact amount, other;
    const char *relief, *zh, *en;
} TAXES[NTAXES] = {
    { FACT_RESOURCE_TAX, FACT_RESOURCE_TAX_OTHER_RELIEF, "relief_resource_tax", "资源税", "resource tax" },
    { FACT_CITY_MAINTENANCE_TAX, FACT_CITY_MAINTENANCE_TAX_OTHER_RELIEF, "relief_city_maintenance_tax", "城市维护建设税",
      "city maintenance and construction tax" },
    { FACT_PROPERTY_TAX, FACT_PROPERTY_TAX_OTHER_RELIEF, "relief_property_tax", "房产税", "property tax" },
    { FACT_URBAN_LAND_USE_TAX, FACT_URBAN_LAND_USE_TAX_OTHER_RELIEF, "relief_urban_land_use_tax", "城镇土地使用税",
      "urban land use tax" },
    { FACT_STAMP_DUTY, FACT_STAMP_DUTY_OTHER_RELIEF, "relief_stamp_duty", "印花税", "stamp duty" },
    { FACT_FARMLAND_OCCUPATION_TAX, FACT_FARMLAND_OCCUPATION_TAX_OTHER_RELIEF, "relief_farmland_occupation_tax",
      "耕地占用税", "farmland occupation tax" },
    { FACT_EDUCATION_SURCHARGE, FACT_EDUCATION_SURCHARGE_OTHER_RELIEF, "relief_education_surcharge", "教育费附加",
      "education surcharge" },
    { FACT_LOCAL_EDUCATION_SURCHARGE, FACT_LOCAL_EDUCATION_SURCHARGE_OTHER_RELIEF, "relief_local_education_surcharge",
      "地方教育附加", "local education surcharge" },
};

/* The period's amounts, exact. */
typedef struct amounts {
    int given[NTAXES];           /* the tax was given */
    int any_other;               /* some other reduction above 0 */
    fisc_decimal base[NTAXES];   /* tax − other reductions */
    fisc_decimal total;          /* Σ base */
} amounts;

static const char *yes_no(int state)
{
    return state < 0 ? "unknown" : state ? "yes" : "no";
}

/* Read the eight taxes and their other reductions; *any 0 when none was given. */
static fisc_status read_amounts(fiscp_ctx *c, amounts *a, int *any)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    fisc_status rc = FISC_OK;

    *any = 0;
    a->any_other = 0;
    fisc_decimal_set_int(&a->total, 0);
    for (int i = 0; i < NTAXES && rc == FISC_OK; i++) {
        const fisc_decimal *t = fiscp_fact_decimal(f, TAXES[i].amount), *o = fiscp_fact_decimal(f, TAXES[i].other);

        a->given[i] = t != NULL;
        *any |= a->given[i];
        fisc_decimal_set_int(&a->base[i], 0);
        if (t)
            rc = fisc_decimal_set(&a->base[i], t, NULL);
        if (rc == FISC_OK && o && fisc_decimal_sign(o) > 0) {
            a->any_other = 1;
            rc = fisc_decimal_sub(&a->base[i], &a->base[i], o, NULL);
            if (rc == FISC_OK && fisc_decimal_sign(&a->base[i]) < 0) {
                const char *name = fiscp_vocab_table[TAXES[i].amount].info.name;

                return fiscp_fail(c, FISC_EINVAL, "%s_other_relief is above %s", name, name);
            }
        }
        if (rc == FISC_OK)
            rc = fisc_decimal_add(&a->total, &a->total, &a->base[i], NULL);
    }
    if (!*any)
        for (int i = 0; i < NTAXES; i++)
            fiscp_missing(c, TAXES[i].amount);
    return rc;
}

/* v <= limit as a condition; *state -1 when v is unknown. */
static fisc_status limit_cond(fiscp_ctx *c, const char *id, const char *zh, const char *en, const fisc_decimal *v,
                              const fisc_decimal *limit, int *state)
{
    *state = !v ? -1 : fisc_decimal_cmp(v, limit) <= 0;
    return fiscp_check(c, id, zh, en, *state,
                       *state < 0 ? "unknown"
                           : fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, v), *state ? "≤" : ">",
                                              fiscp_text(c, limit)));
}

/* A newly set-up enterprise before its first settlement (2022年第3号 一(二)). */
static fisc_status new_enterprise_test(fiscp_ctx *c, int *state)
{
    const fisc_decimal *max_emp, *max_assets, *emp, *assets;
    int restricted, s1, s2, s3;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_MAX_EMPLOYEES, &max_emp)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_MAX_ASSETS, &max_assets)) != FISC_OK)
        return rc;
    s1 = fiscp_need_bool(c, FACT_INDUSTRY_RESTRICTED, &restricted) ? !restricted : -1;
    if ((rc = fiscp_check(c, "small_micro.industry", "不属于国家限制或禁止行业", "Not in a restricted or prohibited industry", s1,
                          s1 < 0 ? "unknown" : restricted ? "restricted" : "not restricted")) != FISC_OK)
        return rc;
    emp = fiscp_need_decimal(c, FACT_EMPLOYEES_BEFORE_DECLARATION);
    if ((rc = limit_cond(c, "small_micro.employees", "申报期上月末从业人数不超过上限",
                         "Employees at the end of the month before the declaration within the limit", emp, max_emp,
                         &s2)) != FISC_OK)
        return rc;
    assets = fiscp_need_decimal(c, FACT_ASSETS_BEFORE_DECLARATION);
    if ((rc = limit_cond(c, "small_micro.assets", "申报期上月末资产总额不超过上限",
                         "Total assets at the end of the month before the declaration within the limit", assets,
                         max_assets, &s3)) != FISC_OK)
        return rc;
    *state = (s1 == 0 || s2 == 0 || s3 == 0) ? 0 : (s1 < 0 || s2 < 0 || s3 < 0) ? -1 : 1;
    return FISC_OK;
}

/*
 * 小型微利企业 for the period (2022年第3号 一): 1, 0, -1 unknown, -2 when the two halves of a year
 * evaluated differ.
 */
static fisc_status small_micro(fiscp_ctx *c, int *state)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    int y = fiscp_ctx_year(c), q = fiscp_ctx_quarter(c), stage = SETTLED, h1 = -1, h2 = -1, v;
    fisc_status rc;

    if (!fiscp_fact_enum(f, FACT_SMALL_MICRO_SETTLEMENT_STAGE, &stage))
        stage = SETTLED; /* absent: not a newly set-up enterprise (lib/vocab/six_taxes.def) */
    if (stage == BEFORE_FIRST) {
        if ((rc = new_enterprise_test(c, state)) != FISC_OK)
            return rc;
        return fiscp_check(c, "six_taxes.small_micro", "小型微利企业", "Small and micro enterprise", *state,
                           fiscp_ctx_printf(c, "newly set up, before its first annual settlement: tested at the end of the "
                                        "month before the declaration: %s",
                                     yes_no(*state)));
    }
    if (stage == AFTER_FIRST) {
        *state = fiscp_need_bool(c, FACT_SMALL_MICRO_SETTLED_LAST_YEAR, &v) ? v : -1;
        return fiscp_check(c, "six_taxes.small_micro", "小型微利企业", "Small and micro enterprise", *state,
                           fiscp_ctx_printf(c, "newly set up: its first annual settlement (tax year %d) decides: %s", y - 1,
                                     yes_no(*state)));
    }
    if (q == 0 || q <= 2)
        h1 = fiscp_need_bool(c, FACT_SMALL_MICRO_SETTLED_TWO_YEARS_AGO, &v) ? v : -1;
    if (q == 0 || q >= 3)
        h2 = fiscp_need_bool(c, FACT_SMALL_MICRO_SETTLED_LAST_YEAR, &v) ? v : -1;
    if (q)
        *state = q <= 2 ? h1 : h2;
    else
        *state = h1 >= 0 && h2 >= 0 && h1 != h2 ? -2 : h1 == 0 || h2 == 0 ? 0 : h1 < 0 || h2 < 0 ? -1 : 1;
    if (q && q <= 2)
        return fiscp_check(c, "six_taxes.small_micro", "小型微利企业", "Small and micro enterprise", *state,
                           fiscp_ctx_printf(c, "by the annual settlement of tax year %d (in force %d-07-01 to %d-06-30): %s",
                                     y - 2, y - 1, y, yes_no(*state)));
    if (q)
        return fiscp_check(c, "six_taxes.small_micro", "小型微利企业", "Small and micro enterprise", *state,
                           fiscp_ctx_printf(c, "by the annual settlement of tax year %d (in force %d-07-01 to %d-06-30): %s",
                                     y - 1, y, y + 1, yes_no(*state)));
    return fiscp_check(c, "six_taxes.small_micro", "小型微利企业", "Small and micro enterprise", *state < -1 ? -1 : *state,
                       fiscp_ctx_printf(c,
                                 "January-June by the settlement of tax year %d: %s; "
                                 "July-December by that of %d: %s%s",
                                 y - 2, yes_no(h1), y - 1, yes_no(h2),
                                 *state < -1 ? " (they differ: evaluate each quarter)" : ""));
}

/* The taxpayer classes; *state 1 eligible, 0 not, -1 unknown, -2 undetermined by the year's halves. */
static fisc_status eligibility(fiscp_ctx *c, int *state, const char **choice)
{
    const fisc_decimal *extended;
    int v, s_ss, s_ib, s_sm;
    fisc_status rc;

    *choice = "";
    s_ss = fiscp_need_bool(c, FACT_VAT_SMALL_SCALE_TAXPAYER, &v) ? v : -1;
    if ((rc = fiscp_check(c, "six_taxes.small_scale", "增值税小规模纳税人", "Small-scale VAT taxpayer", s_ss, yes_no(s_ss))) !=
            FISC_OK ||
        (rc = fiscp_param_value(c, P_CLASSES, &extended)) != FISC_OK)
        return rc;
    *state = s_ss;
    if (s_ss == 1) {
        *choice = "small_scale";
        return FISC_OK;
    }
    if (fisc_decimal_sign(extended) == 0)
        return fiscp_check(c, "six_taxes.classes", "小型微利企业和个体工商户适用", "Small and micro enterprises and individual "
                           "businesses qualify", 0, "not in this period: small-scale VAT taxpayers only");
    s_ib = fiscp_need_bool(c, FACT_INDIVIDUAL_BUSINESS, &v) ? v : -1;
    if ((rc = fiscp_check(c, "six_taxes.individual_business", "个体工商户", "Individual business", s_ib, yes_no(s_ib))) !=
        FISC_OK)
        return rc;
    if (s_ib == 1) {
        *state = 1;
        *choice = "individual_business";
        return FISC_OK;
    }
    if ((rc = small_micro(c, &s_sm)) != FISC_OK)
        return rc;
    if (s_sm == 1) {
        *state = 1;
        *choice = "small_micro";
    } else
        *state = s_sm == -2 ? -2 : (s_ss == 0 && s_ib == 0 && s_sm == 0) ? 0 : -1;
    return FISC_OK;
}

/* The reduction ratio in force: the nation's, or the province's within the national ceiling. */
static fisc_status ratio(fiscp_ctx *c, const fisc_decimal **out)
{
    const fisc_decimal *by_province, *ceiling;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_PROVINCE_DECIDES, &by_province)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(by_province) == 0) {
        if ((rc = fiscp_param_value(c, P_RATIO_NATIONAL, out)) != FISC_OK)
            return rc;
        return fiscp_step(c, "ratio", "减征比例", "Reduction ratio", "全国统一减征比例 / the ratio set nationally",
                          fiscp_percent(c, *out), *out);
    }
    if ((rc = fiscp_param_value(c, P_RATIO_PROVINCE, out)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_CEILING, &ceiling)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(*out) < 0 || fisc_decimal_cmp(*out, ceiling) > 0)
        return fiscp_fail(c, FISC_EINVAL, "six_taxes.ratio.province is not between 0 and six_taxes.ratio.ceiling");
    return fiscp_step(c, "ratio", "减征比例", "Reduction ratio",
                      "省级确定的减征比例（不超过上限）/ the ratio the province set, within the national ceiling",
                      fiscp_ctx_printf(c, "%s ≤ %s", fiscp_percent(c, *out), fiscp_percent(c, ceiling)), *out);
}

/* Each tax's relief, rounded; their sum into *relief. */
static fisc_status reliefs(fiscp_ctx *c, const amounts *a, const fisc_decimal *r, fisc_decimal *relief)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *mode = NULL;
    fisc_decimal exact, gross, rounded;
    fisc_status rc = FISC_OK;
    int on_gross;

    if (a->any_other && (rc = fiscp_param_value(c, P_STACKING, &mode)) != FISC_OK)
        return rc;
    on_gross = mode && fisc_decimal_sign(mode) == 0; /* six_taxes.after_other_reductions: no */
    fisc_decimal_init(&exact);
    fisc_decimal_init(&gross);
    fisc_decimal_init(&rounded);
    fisc_decimal_set_int(relief, 0);
    for (int i = 0; i < NTAXES && rc == FISC_OK; i++) {
        const fisc_decimal *tax = fiscp_fact_decimal(f, TAXES[i].amount);

        if (!tax)
            continue;
        if (on_gross) { /* tax × ratio, at most what the other reductions leave */
            rc = fisc_decimal_mul(&gross, tax, r, NULL);
            if (rc == FISC_OK)
                rc = fisc_decimal_min(&exact, &gross, &a->base[i], NULL);
            if (rc == FISC_OK)
                rc = fiscp_step(c, TAXES[i].relief, fiscp_ctx_printf(c, "%s减征额", TAXES[i].zh),
                                fiscp_ctx_printf(c, "Relief of the %s", TAXES[i].en),
                                "min(应纳税额 × 减征比例, 应纳税额 − 其他减免) / min(tax × ratio, tax − other relief)",
                                fiscp_ctx_printf(c, "min(%s × %s, %s)", fiscp_text(c, tax), fiscp_percent(c, r),
                                                 fiscp_text(c, &a->base[i])),
                                &exact);
        } else { /* (tax − other reductions) × ratio */
            rc = fisc_decimal_mul(&exact, &a->base[i], r, NULL);
            if (rc == FISC_OK)
                rc = fiscp_step(c, TAXES[i].relief, fiscp_ctx_printf(c, "%s减征额", TAXES[i].zh),
                                fiscp_ctx_printf(c, "Relief of the %s", TAXES[i].en),
                                "(应纳税额 − 其他减免税额) × 减征比例 / (tax − other relief) × ratio",
                                fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &a->base[i]), fiscp_percent(c, r)),
                                &exact);
        }
        if (rc == FISC_OK)
            rc = fiscp_round(c, TAXES[i].relief, &exact, &rounded);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, TAXES[i].relief, &rounded, -1);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(relief, relief, &rounded, NULL);
    }
    fisc_decimal_clear(&exact);
    fisc_decimal_clear(&gross);
    fisc_decimal_clear(&rounded);
    return rc;
}

/* Publish relief and payable = Σ(tax − other) − relief. */
static fisc_status publish(fiscp_ctx *c, const amounts *a, const fisc_decimal *relief, int eligible)
{
    fisc_decimal payable, rounded;
    fisc_status rc;

    fisc_decimal_init(&payable);
    fisc_decimal_init(&rounded);
    rc = fisc_decimal_sub(&payable, &a->total, relief, NULL);
    if (rc == FISC_OK)
        rc = fiscp_step(c, "payable", "减免后应纳税费额", "Payable after relief",
                        "Σ(应纳税额 − 其他减免税额) − 本项减征额 / Σ(tax − other relief) − this relief",
                        fiscp_ctx_printf(c, "%s − %s", fiscp_text(c, &a->total), fiscp_text(c, relief)), &payable);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "payable", &payable, &rounded);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "relief", relief, FISC_CATEGORY_TAX_RELIEF);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "payable", &rounded, FISC_CATEGORY_TAX_PAYABLE);
    if (rc == FISC_OK && eligible)
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "“六税两费”减征 %s 元，减免后应纳 %s 元", fiscp_money(c, relief),
                                            fiscp_money(c, &rounded)),
                           fiscp_ctx_printf(c, "six taxes and two surcharges: relief %s yuan, payable %s yuan",
                                            fiscp_money(c, relief), fiscp_money(c, &rounded)));
    else if (rc == FISC_OK)
        rc = fiscp_summary(c, fiscp_ctx_printf(c, "不适用“六税两费”减免，应纳 %s 元", fiscp_money(c, &rounded)),
                           fiscp_ctx_printf(c, "the relief does not apply: payable %s yuan", fiscp_money(c, &rounded)));
    fisc_decimal_clear(&payable);
    fisc_decimal_clear(&rounded);
    return rc;
}

static fisc_status run(fiscp_ctx *c)
{
    amounts a;
    fisc_decimal relief;
    const fisc_decimal *r;
    const char *choice = "";
    int any, state;
    fisc_status rc;

    fisc_decimal_init(&relief);
    fisc_decimal_init(&a.total);
    for (int i = 0; i < NTAXES; i++)
        fisc_decimal_init(&a.base[i]);
    rc = read_amounts(c, &a, &any);
    if (rc != FISC_OK || !any) {
        if (rc == FISC_OK) {
            fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
            fiscp_summary(c, "缺少“六税两费”税额", "the amounts of the six taxes and two surcharges are missing");
        }
        goto out;
    }
    if (!fiscp_param_in_force(c, P_PROVINCE_DECIDES)) {
        rc = fiscp_check(c, "six_taxes.in_force", "“六税两费”减免政策在本期有效", "The relief is in force in the period", 0,
                         fiscp_ctx_printf(c, "no rule in force on %d-%02d-%02d", fiscp_ctx_date(c) / 10000,
                                   fiscp_ctx_date(c) / 100 % 100, fiscp_ctx_date(c) % 100));
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if (rc == FISC_OK)
            rc = publish(c, &a, &relief, 0);
        goto out;
    }
    if ((rc = fiscp_check(c, "six_taxes.in_force", "“六税两费”减免政策在本期有效", "The relief is in force in the period", 1,
                          "")) != FISC_OK ||
        (rc = eligibility(c, &state, &choice)) != FISC_OK)
        goto out;
    if (state < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        fiscp_summary(c, state == -2 ? "小型微利企业身份于7月1日变化，请按季度计算" : "缺少判断纳税人类型的事实",
                      state == -2 ? "the small and micro status changes on 1 July: evaluate each quarter"
                                  : "facts are missing to tell whether the taxpayer qualifies");
        goto out;
    }
    if (state == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        rc = publish(c, &a, &relief, 0);
        goto out;
    }
    if ((rc = ratio(c, &r)) != FISC_OK || (rc = reliefs(c, &a, r, &relief)) != FISC_OK)
        goto out;
    fiscp_choice(c, choice);
    fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
    rc = publish(c, &a, &relief, 1);
out:
    for (int i = 0; i < NTAXES; i++)
        fisc_decimal_clear(&a.base[i]);
    fisc_decimal_clear(&a.total);
    fisc_decimal_clear(&relief);
    return rc;
}

/*
 * Decimal arithmetic reports no text (it is given no fisc_error): name the code. An error already
 * recorded (a parameter not in force, say) is kept: the first one wins.
 */
static fisc_status evaluate(fiscp_ctx *c)
{
    fisc_status rc = run(c);

    return rc == FISC_OK ? rc : fiscp_fail(c, rc, "%s", fisc_strerror(rc));
}

const fiscp_program fiscp_program_six_taxes = { "cn.six_taxes", PARAMS, P_COUNT, evaluate, NULL, NULL };
