/*
 * Program cn.incubator_tax: the 房产税, 城镇土地使用税 and VAT exemptions of technology business
 * incubators (科技企业孵化器), university science parks (大学科技园) and maker spaces (众创空间).
 * Texts and URLs in policies/14-national-incubators.yaml; policy-params.md §4.8 and §9 WE-14.
 *
 * Clauses implemented: 财政部 税务总局 科技部 教育部公告2023年第42号 (2024-01-01 to 2027-12-31),
 * which continues the same terms of 财税〔2018〕120号 (2019-01-01 to 2021-12-31, extended to
 * 2023-12-31 by 财政部 税务总局公告2022年第4号):
 * - 42号 一: 国家级 and 省级 incubators and university science parks, and 国家备案 maker spaces, are
 *   exempt from 房产税 and 城镇土地使用税 on the buildings and land they use themselves or provide,
 *   free or by lease, to incubatees (在孵对象), and from VAT on 孵化服务 income from incubatees.
 *   省级 maker spaces and carriers recognized by a city or county do not qualify.
 * - 42号 二: the carrier accounts for its 孵化服务 income separately; this program applies it to the
 *   VAT exemption (the income it is about).
 * - 42号 四, second paragraph (120号 in the same terms from 2019): 国家级 incubators and university
 *   science parks recognized on or before 2018-12-31 are exempt from 2019-01-01
 *   (incubator.transition_year); the texts name no other carrier recognized then, so no other
 *   one is covered (policy-params.md §4.8 says "国家级 carriers"; the cited texts name only these
 *   two). A carrier recognized (备案) from 2019-01-01 is exempt from the month after its
 *   recognition; a carrier whose status is cancelled stops from the month after the cancellation.
 * Each exemption is a share of the tax (100%: 免征) dated by document, so an overlay can change it.
 *
 * The period: a tax year, or with opts.quarter the quarter alone (房产税 and 城镇土地使用税 are
 * declared by quarter, not cumulatively; WE-14). The yearly 房产税 and 城镇土地使用税 otherwise due
 * are exempt for the months of the period within the exemption: yearly amount × share × months / 12
 * (DERIVED: the start and stop rules count whole months). The VAT fact is already the VAT of
 * those months (VAT is not spread evenly over a year).
 *
 * Not modelled: the 房产税 rates (on the property value or on rent) are not in policy-params.md, so
 * the program takes the tax amounts rather than the property value;
 * the 2016-2018 rules (财税〔2016〕89号) before 2019, which have no parameters in the policy.
 * Outside the dates of the exemptions (no value in force on the period's last day) the program
 * reports "not eligible" and asks for no facts.
 */
#include "decimal.h"
#include "engine.h"

enum { P_PROPERTY, P_LAND, P_VAT, P_TRANSITION, P_COUNT };

static const char *const PARAMS[P_COUNT] = {
    [P_PROPERTY] = "incubator.exemption.property_tax",
    [P_LAND] = "incubator.exemption.land_use_tax",
    [P_VAT] = "incubator.exemption.vat",
    [P_TRANSITION] = "incubator.transition_year",
};

/* The values of the enum facts, in the order of lib/vocab/incubator.def. */
enum { CARRIER_INCUBATOR, CARRIER_PARK, CARRIER_MAKER_SPACE, CARRIER_NONE };
enum { LEVEL_NATIONAL, LEVEL_PROVINCIAL, LEVEL_CITY, LEVEL_COUNTY };
static const char *const CARRIER_NAME[] = { "incubator", "university_science_park", "maker_space" };
static const char *const LEVEL_NAME[] = { "national", "provincial", "city", "county" };

enum { TAX_PROPERTY, TAX_LAND, TAX_VAT, TAXES };

static const struct {
    const char *id, *zh, *en, *amount;
    int param;
} TAX[TAXES] = {
    [TAX_PROPERTY] = { "property_tax", "房产税", "property tax", "relief_property_tax", P_PROPERTY },
    [TAX_LAND] = { "land_use_tax", "城镇土地使用税", "land-use tax", "relief_land_use_tax", P_LAND },
    [TAX_VAT] = { "vat", "增值税", "VAT", "relief_vat", P_VAT },
};

/* Months as year × 12 + month − 1, so that they order and subtract. */
typedef struct window {
    int start;   /* first month of the exemption (from the start rules) */
    int stop;    /* last month: the month of cancellation, else the period's last */
    int first, last, n; /* the months of the period within it; n = 0 when none */
} window;

static fisc_cond_state state_of(int s)
{
    return s < 0 ? FISC_COND_UNKNOWN : s ? FISC_COND_MET : FISC_COND_NOT_MET;
}

static int month_of(fiscp_date d)
{
    return d / 10000 * 12 + d / 100 % 100 - 1;
}

static const char *month_text(fiscp_ctx *c, int m)
{
    return fiscp_ctx_printf(c, "%04d-%02d", m / 12, m % 12 + 1);
}

static const char *date_text(fiscp_ctx *c, fiscp_date d)
{
    return fiscp_ctx_printf(c, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

/* 1 qualifies, 0 does not, -1 unknown (article 一: the kind and level of carrier). */
static int qualifies(int carrier, int level)
{
    if (level == LEVEL_CITY || level == LEVEL_COUNTY)
        return 0;
    if (level == LEVEL_NATIONAL)
        return 1;
    if (level == LEVEL_PROVINCIAL)
        return carrier < 0 ? -1 : carrier != CARRIER_MAKER_SPACE;
    return -1;
}

static fisc_status carrier_condition(fiscp_ctx *c, int *carrier, int *level, int *q)
{
    const fisc_facts *f = fiscp_ctx_facts(c);

    if (!fiscp_fact_enum(f, FACT_INCUBATOR_CARRIER, carrier))
        *carrier = -1;
    if (!fiscp_fact_enum(f, FACT_INCUBATOR_LEVEL, level))
        *level = -1;
    *q = qualifies(*carrier, *level);
    if (*level < 0)
        fiscp_missing(c, FACT_INCUBATOR_LEVEL);
    if (*carrier < 0 && (*level < 0 || *level == LEVEL_PROVINCIAL))
        fiscp_missing(c, FACT_INCUBATOR_CARRIER);
    return fiscp_condition(c, "incubator.carrier", "国家级、省级科技企业孵化器或大学科技园，或国家备案众创空间",
                           "A national or provincial incubator or university science park, or a nationally "
                           "recorded maker space",
                           state_of(*q),
                           fiscp_ctx_printf(c, "%s, %s", *carrier < 0 ? "kind unknown" : CARRIER_NAME[*carrier],
                                            *level < 0 ? "level unknown" : LEVEL_NAME[*level]));
}

/*
 * The start rules (article 五): *covered 1 when the recognition date is covered, 0 when not,
 * -1 when the kind of carrier (unknown) decides; w->start set when covered.
 */
static fisc_status start_condition(fiscp_ctx *c, int carrier, int level, fiscp_date rec, window *w, int *covered)
{
    const fisc_decimal *v;
    int64_t y0 = 0;
    const char *detail;
    fisc_status rc;

    w->start = month_of(rec) + 1;
    *covered = 1;
    if (fiscp_param_in_force(c, P_TRANSITION)) {
        if ((rc = fiscp_param_value(c, P_TRANSITION, &v)) != FISC_OK)
            return rc;
        if (!fiscp_decimal_get_int64(&y0, v) || y0 < 1900 || y0 > 2199)
            return fiscp_fail(c, FISC_EINVAL, "%s is not a year", PARAMS[P_TRANSITION]);
    }
    if (y0 && rec < (fiscp_date)y0 * 10000 + 101) {
        /* only 国家级 incubators and university science parks recognized before then are covered */
        if (level != LEVEL_NATIONAL)
            *covered = 0;
        else if (carrier < 0) {
            *covered = -1;
            fiscp_missing(c, FACT_INCUBATOR_CARRIER);
        } else
            *covered = carrier != CARRIER_MAKER_SPACE;
        w->start = (int)y0 * 12;
        detail = fiscp_ctx_printf(c, "recognized %s, before %d-01-01: %s", date_text(c, rec), (int)y0,
                                  *covered > 0   ? fiscp_ctx_printf(c, "exempt from %s", month_text(c, w->start))
                                  : *covered < 0 ? "the kind of carrier decides"
                                                 : "only national incubators and university science parks "
                                                   "recognized then are covered");
    } else
        detail = fiscp_ctx_printf(c, "recognized %s: exempt from the month after, %s", date_text(c, rec),
                                  month_text(c, w->start));
    return fiscp_condition(c, "incubator.start", "认定（备案）日期在享受起始规定之内",
                           "The recognition date is covered by the start rules", state_of(*covered), detail);
}

/* The months of the period within the exemption. */
static fisc_status months_condition(fiscp_ctx *c, window *w)
{
    int y = fiscp_ctx_year(c), q = fiscp_ctx_quarter(c), p1, p2;
    fiscp_date end;
    int has_end = fiscp_fact_date(fiscp_ctx_facts(c), FACT_INCUBATOR_STATUS_END_DATE, &end);

    p1 = y * 12 + (q ? 3 * (q - 1) : 0);
    p2 = y * 12 + (q ? 3 * q - 1 : 11);
    w->stop = has_end ? month_of(end) : p2;
    w->first = w->start > p1 ? w->start : p1;
    w->last = w->stop < p2 ? w->stop : p2;
    w->n = w->last >= w->first ? w->last - w->first + 1 : 0;
    return fiscp_condition(
        c, "incubator.months", "本期有享受免税的月份", "Months of the period within the exemption", state_of(w->n > 0),
        fiscp_ctx_printf(c, "%s%s; period %s to %s: %s", fiscp_ctx_printf(c, "exempt from %s", month_text(c, w->start)),
                         has_end ? fiscp_ctx_printf(c, " to %s (status cancelled %s)", month_text(c, w->stop),
                                                    date_text(c, end))
                                 : "",
                         month_text(c, p1), month_text(c, p2),
                         w->n ? fiscp_ctx_printf(c, "%s to %s, %d month(s)", month_text(c, w->first),
                                                 month_text(c, w->last), w->n)
                              : "none"));
}

/* The tax otherwise due from the facts (yearly for 房产税 and 城镇土地使用税); *given 0 when absent. */
static fisc_status base_amount(fiscp_ctx *c, int tax, fisc_decimal *out, int *given)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *area, *per, *v;
    fisc_status rc;

    *given = 0;
    switch (tax) {
    case TAX_LAND:
        area = fiscp_fact_decimal(f, FACT_INCUBATOR_LAND_AREA);
        per = fiscp_fact_decimal(f, FACT_INCUBATOR_LAND_TAX_PER_SQM);
        if (area && per) {
            *given = 1;
            if ((rc = fisc_decimal_mul(out, area, per, NULL)) != FISC_OK)
                return rc;
            return fiscp_step(c, "land_use_tax.yearly", "城镇土地使用税年应纳税额", "Yearly land-use tax otherwise due",
                              "土地面积 × 单位税额 / area × tax per square metre",
                              fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, area), fiscp_text(c, per)), out);
        }
        v = fiscp_fact_decimal(f, FACT_INCUBATOR_LAND_TAX);
        break;
    case TAX_PROPERTY:
        v = fiscp_fact_decimal(f, FACT_INCUBATOR_PROPERTY_TAX);
        break;
    default:
        v = fiscp_fact_decimal(f, FACT_INCUBATOR_SERVICE_VAT);
        break;
    }
    if (!v)
        return FISC_OK;
    *given = 1;
    return fisc_decimal_set(out, v, NULL);
}

/*
 * One tax's relief (exact) into *relief; *granted 1 when exempt, 0 when not, -1 unknown (the
 * separate-accounting fact decides).
 */
static fisc_status tax_relief(fiscp_ctx *c, int tax, const fisc_decimal *base, const window *w, fisc_decimal *relief,
                              int *granted)
{
    const fisc_decimal *share;
    fisc_decimal k;
    int separate;
    fisc_status rc;

    fisc_decimal_set_int(relief, 0);
    *granted = 1;
    if (!fiscp_param_in_force(c, TAX[tax].param)) {
        *granted = 0;
        return fiscp_condition(c, TAX[tax].id, TAX[tax].zh, TAX[tax].en, FISC_COND_NOT_MET,
                               fiscp_ctx_printf(c, "%s has no value in force", PARAMS[TAX[tax].param]));
    }
    if (tax == TAX_VAT && fisc_decimal_sign(base) != 0) {
        *granted = fiscp_need_bool(c, FACT_INCUBATOR_SEPARATE_ACCOUNTING, &separate) ? separate : -1;
        if ((rc = fiscp_condition(c, "incubator.separate_accounting", "单独核算孵化服务收入",
                                  "Incubation-service income accounted for separately", state_of(*granted),
                                  *granted < 0 ? "unknown" : *granted ? "yes" : "no")) != FISC_OK ||
            *granted <= 0)
            return rc;
    }
    if ((rc = fiscp_param_value(c, TAX[tax].param, &share)) != FISC_OK ||
        (rc = fisc_decimal_mul(relief, base, share, NULL)) != FISC_OK)
        return rc;
    if (tax == TAX_VAT)
        return fiscp_step(c, "vat.relief", "免征增值税", "VAT exempt",
                          "孵化服务收入应纳增值税 × 免征比例 / VAT on incubation-service income × exempt share",
                          fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, base), fiscp_percent(c, share)), relief);
    fisc_decimal_init(&k);
    fisc_decimal_set_int(&k, w->n);
    rc = fisc_decimal_mul(relief, relief, &k, NULL);
    fisc_decimal_set_int(&k, 12);
    if (rc == FISC_OK)
        rc = fisc_decimal_div(relief, relief, &k, NULL);
    fisc_decimal_clear(&k);
    if (rc == FISC_OK)
        rc = fiscp_step(c, tax == TAX_LAND ? "land_use_tax.relief" : "property_tax.relief",
                        tax == TAX_LAND ? "免征城镇土地使用税" : "免征房产税",
                        tax == TAX_LAND ? "Land-use tax exempt" : "Property tax exempt",
                        "年应纳税额 × 免征比例 × 本期免税月数 / 12 / yearly tax × exempt share × exempt months / 12",
                        fiscp_ctx_printf(c, "%s × %s × %d / 12", fiscp_text(c, base), fiscp_percent(c, share), w->n),
                        relief);
    return rc;
}

/* Every tax given: its relief, rounded; the total; the outcome. */
static fisc_status taxes(fiscp_ctx *c, const window *w)
{
    fisc_decimal base[TAXES], relief[TAXES], rounded[TAXES], total;
    int given[TAXES], granted[TAXES], any_given = 0, any_granted = 0, unknown = 0;
    const char *zh = "", *en = "";
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&total);
    for (int t = 0; t < TAXES; t++) {
        fisc_decimal_init(&base[t]);
        fisc_decimal_init(&relief[t]);
        fisc_decimal_init(&rounded[t]);
        given[t] = granted[t] = 0;
    }
    for (int t = 0; t < TAXES && rc == FISC_OK; t++) {
        if ((rc = base_amount(c, t, &base[t], &given[t])) != FISC_OK || !given[t])
            continue;
        any_given = 1;
        if ((rc = tax_relief(c, t, &base[t], w, &relief[t], &granted[t])) != FISC_OK || granted[t] < 0) {
            unknown |= granted[t] < 0;
            continue;
        }
        any_granted |= granted[t];
        if ((rc = fiscp_round(c, TAX[t].amount, &relief[t], &rounded[t])) == FISC_OK &&
            (rc = fiscp_amount(c, TAX[t].amount, &rounded[t], -1)) == FISC_OK)
            rc = fisc_decimal_add(&total, &total, &rounded[t], NULL);
        if (rc == FISC_OK && fiscp_ctx_tracing(c) && granted[t]) {
            zh = fiscp_ctx_printf(c, "%s%s%s %s 元", zh, *zh ? "、" : "", TAX[t].zh, fiscp_money(c, &rounded[t]));
            en = fiscp_ctx_printf(c, "%s%s%s %s yuan", en, *en ? ", " : "", TAX[t].en, fiscp_money(c, &rounded[t]));
        }
    }
    if (rc != FISC_OK)
        goto out;
    if (!any_given) {
        fiscp_missing(c, FACT_INCUBATOR_PROPERTY_TAX);
        fiscp_missing(c, FACT_INCUBATOR_LAND_TAX);
        fiscp_missing(c, FACT_INCUBATOR_SERVICE_VAT);
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        rc = fiscp_summary(c, "缺少房产税、城镇土地使用税或增值税的应纳税额", "no tax amount is given to exempt");
    } else if (unknown) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        rc = fiscp_summary(c, "缺少是否单独核算孵化服务收入的事实",
                           "whether the incubation-service income is accounted for separately is missing");
    } else if (!any_granted) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        rc = fiscp_summary(c, "所给税种本期均不能免征", "none of the taxes given is exempt in the period");
    } else {
        rc = fiscp_step(c, "relief", "免税合计", "Total exempt", "各税种免征额之和 / sum of the taxes exempt", "",
                        &total);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, "relief", &total, FISC_CATEGORY_TAX_RELIEF);
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        if (rc == FISC_OK)
            rc = fiscp_summary(
                c, fiscp_ctx_printf(c, "免征%s，合计 %s 元（本期免税 %d 个月）", zh, fiscp_money(c, &total), w->n),
                fiscp_ctx_printf(c, "exempt: %s; total %s yuan (%d month(s) of the period)", en, fiscp_money(c, &total),
                                 w->n));
    }
out:
    for (int t = 0; t < TAXES; t++) {
        fisc_decimal_clear(&base[t]);
        fisc_decimal_clear(&relief[t]);
        fisc_decimal_clear(&rounded[t]);
    }
    fisc_decimal_clear(&total);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    int in_force = 0, carrier, level, q, covered, has_rec;
    fiscp_date rec;
    window w;
    fisc_status rc;

    /* an enterprise that runs no incubation carrier (incubator_carrier = none) is simply not concerned */
    if (fiscp_fact_enum(fiscp_ctx_facts(c), FACT_INCUBATOR_CARRIER, &carrier) && carrier == CARRIER_NONE) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_condition(c, "incubator.carrier", "国家级、省级科技企业孵化器或大学科技园，或国家备案众创空间",
                                  "A national or provincial incubator or university science park, or a nationally "
                                  "recorded maker space",
                                  FISC_COND_NOT_MET, "incubator_carrier = none")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "不经营孵化载体", "the enterprise runs no incubation carrier");
    }
    for (int t = 0; t < TAXES; t++)
        in_force |= fiscp_param_in_force(c, TAX[t].param);
    rc = fiscp_condition(c, "incubator.in_force", "孵化器等税收优惠政策在本期有效",
                         "The incubator exemptions are in force in the period", state_of(in_force),
                         in_force ? "" : "no exemption has a value in force on the period's last day");
    if (rc != FISC_OK)
        return rc;
    if (!in_force) { /* no facts matter */
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "本期不在孵化器等税收优惠政策执行期内", "the incubator exemptions are not in force in the period");
    }
    if ((rc = carrier_condition(c, &carrier, &level, &q)) != FISC_OK)
        return rc;
    if (q == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "省级众创空间及市、县级载体不享受", "provincial maker spaces and city or county carriers do not qualify");
    }
    has_rec = fiscp_need_date(c, FACT_INCUBATOR_RECOGNITION_DATE, &rec);
    if (q < 0 || !has_rec) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少载体类型、级别或认定日期", "the kind, level or recognition date of the carrier is missing");
    }
    if ((rc = start_condition(c, carrier, level, rec, &w, &covered)) != FISC_OK)
        return rc;
    if (covered < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少载体类型", "the kind of carrier is missing");
    }
    if (!covered) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "认定日期不在享受起始规定之内", "the recognition date is not covered by the start rules");
    }
    if ((rc = months_condition(c, &w)) != FISC_OK)
        return rc;
    if (w.n == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "本期没有享受免税的月份", "no month of the period is within the exemption");
    }
    return taxes(c, &w);
}

const fiscp_program fiscp_program_incubator_tax = { "cn.incubator_tax", PARAMS, P_COUNT, evaluate, NULL, NULL };
