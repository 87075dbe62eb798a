/*
 * Program cn.vat_small_scale: the VAT of a small-scale taxpayer (增值税小规模纳税人) for one filing
 * period, with the threshold exemption and the relief of the 3% levy rate.
 *
 * Clauses implemented (texts and URLs in policies/12-national-vat.yaml; policy-params.md §4.7, §9 WE-13):
 * - Threshold exemption (a cliff on the whole filing period's sales, "未超过" includes the threshold):
 *   monthly ≤ 10万元 / quarterly ≤ 30万元 (财税〔2019〕13号 一, 征管 国家税务总局公告2019年第4号,
 *   2019-01-01 to 2021-03-31); 15万 / 45万 (财政部 税务总局公告2021年第11号, 征管 2021年第5号,
 *   2021-04-01 to 2022-12-31); 10万 / 30万 (2023年第1号 一, then 2023年第19号 一, 2023-01-01 to
 *   2027-12-31). Sales of real estate (不动产) are left out of the test and are never exempted by it
 *   (征管公告 2019年第4号 and its successors); every other sale, at any levy rate, is exempted with it.
 * - The 3% levy rate (增值税暂行条例 第十二条): reduced to 1% 2020-03-01 to 2020-12-31 (2020年第13号,
 *   2020年第24号; outside Hubei) and 2021-01-01 to 2022-03-31 (2021年第7号, 2022年第15号); exempt
 *   2022-04-01 to 2022-12-31 (2022年第15号); 1% again 2023-01-01 to 2027-12-31 (2023年第1号 二,
 *   2023年第19号 二). The sales (销售额) of tax-inclusive receipts are 含税销售额 / (1 + the rate
 *   applied) (policy-params §4.7: "销售额 = 含税销售额 / (1 + 1%)"); exempt sales carry no tax.
 *
 * Periods. VAT is filed per month or per quarter (fact vat_filing_period), never for a year: a
 * quarterly filer is assessed for the quarter evaluated (fisc_eval_options.quarter; that quarter
 * alone, not cumulative), a monthly filer for the month in the fact vat_month, which must lie in
 * the quarter evaluated (any month of a year evaluated). Parameters are read on the last day of
 * each month of the filing period (fiscp_param_value_on), so a month is taxed under the rules in
 * force in it; when the rate changes inside a quarterly filer's quarter (2020 Q1: 3% in January and
 * February, 1% from 1 March) the program asks for the part of the sales made before the change.
 * A quarterly filer evaluated for a whole year is undetermined (evaluate each quarter).
 *
 * Amounts: "vat" (payable: the tax on the 3% sales and on sales at other levy rates after the
 * relief, plus the VAT on real estate, which is given as a fact and never relieved here) and
 * "relief" against the statutory treatment of the same sales (the 3% levy rate on the same 销售额,
 * other levy rates as given): the 减征额 / 免税额 of the VAT return. Each reported amount is
 * rounded once; relief = statutory (rounded) − vat (rounded).
 *
 * Not modelled, because policy-params.md has no clause for them: the 2020 Hubei treatment
 * (UNCONFIRMED there), sales invoiced on special VAT invoices (专用发票), the 3% prepayment rate,
 * and the rules after 2027-12-31 (no parameter value is in force then: the evaluation fails with
 * FISC_ENOTFOUND, as for any rule without a value in force).
 */
#include "decimal.h"
#include "engine.h"

enum { P_LEVY_RATE, P_RATE_3PCT, P_THRESHOLD_MONTHLY, P_THRESHOLD_QUARTERLY, P_COUNT };

static const char *const PARAMS[P_COUNT] = {
    [P_LEVY_RATE] = "vat.small_scale.levy_rate",
    [P_RATE_3PCT] = "vat.small_scale.rate_3pct_sales",
    [P_THRESHOLD_MONTHLY] = "vat.small_scale.threshold.monthly",
    [P_THRESHOLD_QUARTERLY] = "vat.small_scale.threshold.quarterly",
};

/* vat_filing_period's values, in the order of lib/vocab/vat.def */
enum { MONTHLY, QUARTERLY };

/* The exact numbers of one evaluation. */
enum {
    X_EARLY,  /* 3% sales, tax included, made before a change of rate inside the period */
    X_LATE,   /* the rest */
    S_EARLY,  /* their 销售额 */
    S_LATE,
    S,        /* 销售额 of the 3% sales */
    TESTED,   /* sales counted in the threshold test */
    TAX3,     /* VAT on the 3% sales */
    STAT3,    /* the same at the statutory levy rate */
    VAT,      /* VAT payable */
    STAT,     /* VAT payable under the statutory treatment */
    VAT_R,    /* rounded */
    STAT_R,
    RELIEF,
    S_R,
    TESTED_R,
    ONE_PLUS, /* 1 + rate */
    TMP,
    NV
};

/* The rates of the months of the filing period: one rate, or an early and a late one. */
typedef struct rates {
    const fisc_decimal *early, *late;  /* early: NULL when the rate did not change inside the period */
} rates;

static fiscp_date month_end(int year, int month)
{
    fiscp_date next = month == 12 ? (year + 1) * 10000 + 101 : year * 10000 + (month + 1) * 100 + 1;

    return fiscp_date_from_days(fiscp_date_days(next) - 1);
}

/* An amount fact that may be absent, meaning none: zero then; *given set when present. */
static const fisc_decimal *amount_or_zero(const fisc_facts *f, fiscp_fact id, const fisc_decimal *zero, int *given)
{
    const fisc_decimal *v = fiscp_fact_decimal(f, id);

    if (v)
        *given = 1;
    return v ? v : zero;
}

/*
 * The rate applied to 3% sales in each month first..last: one rate, or an early rate for the
 * months before a change and a late one after it. Fails when it changed twice in the period.
 */
static fisc_status read_rates(fiscp_ctx *c, int first, int last, rates *r)
{
    const fisc_decimal *m[3] = { NULL, NULL, NULL };
    int y = fiscp_ctx_year(c);
    fisc_status rc;

    for (int k = last; k >= first; k--) /* the last day first: a rule not in force is named by it */
        if ((rc = fiscp_param_value_on(c, P_RATE_3PCT, month_end(y, k), &m[k - first])) != FISC_OK)
            return rc;
    r->late = m[last - first];
    r->early = NULL;
    for (int k = 0; k < last - first; k++) {
        if (fisc_decimal_cmp(m[k], r->late) == 0)
            continue;
        if (r->early && fisc_decimal_cmp(m[k], r->early) != 0)
            return fiscp_fail(c, FISC_EINVAL, "the rate of 3%% sales changes twice in the filing period");
        if (k > 0 && fisc_decimal_cmp(m[k - 1], r->late) == 0)
            return fiscp_fail(c, FISC_EINVAL, "the rate of 3%% sales changes back within the filing period");
        r->early = m[k];
    }
    return FISC_OK;
}

/* s = x / (1 + rate), with a step. */
static fisc_status net_sales(fiscp_ctx *c, fisc_decimal *v, int s, int x, const fisc_decimal *rate, const char *id)
{
    fisc_status rc;

    fisc_decimal_set_int(&v[ONE_PLUS], 1);
    if ((rc = fisc_decimal_add(&v[ONE_PLUS], &v[ONE_PLUS], rate, NULL)) != FISC_OK ||
        (rc = fisc_decimal_div(&v[s], &v[x], &v[ONE_PLUS], NULL)) != FISC_OK)
        return rc;
    return fiscp_step(c, id, "不含税销售额", "Sales excluding tax",
                      "含税销售额 ÷ (1 + 征收率) / sales including tax ÷ (1 + rate applied)",
                      fiscp_ctx_printf(c, "%s ÷ (1 + %s)", fiscp_text(c, &v[x]), fiscp_percent(c, rate)), &v[s]);
}

/* The facts of the filing period. */
typedef struct inputs {
    int period;                          /* MONTHLY or QUARTERLY, -1 unknown */
    int first, last;                     /* months of the filing period */
    const fisc_decimal *x, *x_early, *o, *to, *r, *tr;
} inputs;

/*
 * Read the facts: 1 when all that are needed are given, 0 when some are missing (recorded) or on
 * an error (*rc: vat_month outside the quarter evaluated, say).
 */
static int gather(fiscp_ctx *c, inputs *in, const fisc_decimal *zero, fisc_status *rc)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *mv;
    int ok = 1, any = 0, q = fiscp_ctx_quarter(c);
    int64_t month;

    *rc = FISC_OK;
    in->period = -1;
    in->first = in->last = 0; /* set below whenever the inputs are complete (ok) */
    if (!fiscp_fact_enum(f, FACT_VAT_FILING_PERIOD, &in->period)) {
        fiscp_missing(c, FACT_VAT_FILING_PERIOD);
        in->period = -1;
        ok = 0;
    } else if (in->period == MONTHLY) {
        if (!(mv = fiscp_need_decimal(c, FACT_VAT_MONTH)))
            ok = 0;
        else if (!fiscp_decimal_get_int64(&month, mv) || month < 1 || month > 12) {
            *rc = fiscp_fail(c, FISC_EINVAL, "vat_month is not a month 1..12");
            return 0;
        } else if (q && (month < 3 * q - 2 || month > 3 * q)) {
            *rc = fiscp_fail(c, FISC_EINVAL, "vat_month %d is not in quarter %d, the quarter evaluated", (int)month, q);
            return 0;
        } else
            in->first = in->last = (int)month;
    } else {
        in->first = 3 * q - 2;
        in->last = 3 * q;
    }
    in->x = amount_or_zero(f, FACT_VAT_SALES_3PCT_INCL_TAX, zero, &any);
    in->o = amount_or_zero(f, FACT_VAT_SALES_OTHER_RATES, zero, &any);
    in->r = amount_or_zero(f, FACT_VAT_SALES_REAL_ESTATE, zero, &any);
    in->x_early = NULL;
    if (!any) {
        fiscp_missing(c, FACT_VAT_SALES_3PCT_INCL_TAX);
        ok = 0;
    }
    in->to = fiscp_fact_decimal(f, FACT_VAT_TAX_OTHER_RATES);
    if (!in->to && fisc_decimal_sign(in->o) > 0) {
        fiscp_missing(c, FACT_VAT_TAX_OTHER_RATES);
        ok = 0;
    }
    in->tr = fiscp_fact_decimal(f, FACT_VAT_TAX_REAL_ESTATE);
    if (!in->tr && fisc_decimal_sign(in->r) > 0) {
        fiscp_missing(c, FACT_VAT_TAX_REAL_ESTATE);
        ok = 0;
    }
    if (!in->to)
        in->to = zero;
    if (!in->tr)
        in->tr = zero;
    return ok;
}

static fisc_status undetermined(fiscp_ctx *c, const char *zh, const char *en)
{
    fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
    return fiscp_summary(c, zh, en);
}

static fisc_status compute(fiscp_ctx *c, const inputs *in, const rates *rt, fisc_decimal *v)
{
    static const char *const CHOICE_ZH[] = { "免征增值税（未超过免税标准）", "适用3%征收率的销售额免征增值税",
                                             "适用3%征收率的销售额减按征收率征收", "按征收率征收" };
    static const char *const CHOICE_EN[] = { "exempt (sales within the threshold)", "sales at the 3% levy rate exempt",
                                             "sales at the 3% levy rate taxed at a reduced rate",
                                             "taxed at the statutory levy rates" };
    static const char *const CHOICE[] = { "threshold_exemption", "3pct_sales_exemption", "reduced_rate", "statutory" };
    const fisc_decimal *levy, *threshold;
    int quarterly = in->period == QUARTERLY, exempt, reduced, choice;
    fiscp_date end = month_end(fiscp_ctx_year(c), in->last);
    fisc_status rc;

    if ((rc = fiscp_param_value_on(c, P_LEVY_RATE, end, &levy)) != FISC_OK ||
        (rc = fiscp_param_value_on(c, quarterly ? P_THRESHOLD_QUARTERLY : P_THRESHOLD_MONTHLY, end, &threshold)) !=
            FISC_OK)
        return rc;
    /* the 3% sales in 销售额, by the rate applied to them */
    if (rt->early) {
        if ((rc = fisc_decimal_set(&v[X_EARLY], in->x_early, NULL)) != FISC_OK ||
            (rc = fisc_decimal_sub(&v[X_LATE], in->x, in->x_early, NULL)) != FISC_OK)
            return rc;
        if (fisc_decimal_sign(&v[X_LATE]) < 0)
            return fiscp_fail(c, FISC_EINVAL, "vat_sales_3pct_incl_tax_before_change is above vat_sales_3pct_incl_tax");
        if ((rc = net_sales(c, v, S_EARLY, X_EARLY, rt->early, "sales_3pct.before_change")) != FISC_OK)
            return rc;
    } else if ((rc = fisc_decimal_set(&v[X_LATE], in->x, NULL)) != FISC_OK)
        return rc;
    if ((rc = net_sales(c, v, S_LATE, X_LATE, rt->late, "sales_3pct")) != FISC_OK ||
        (rc = fisc_decimal_add(&v[S], &v[S_EARLY], &v[S_LATE], NULL)) != FISC_OK ||
        (rc = fisc_decimal_add(&v[TESTED], &v[S], in->o, NULL)) != FISC_OK)
        return rc;
    if ((rc = fiscp_step(c, "sales_tested", "计算免税标准的销售额", "Sales counted in the threshold test",
                         "适用3%征收率的销售额 + 其他征收率销售额（不含销售不动产）/ sales at 3% + sales at other rates "
                         "(real estate excluded)",
                         fiscp_ctx_printf(c, "%s + %s", fiscp_text(c, &v[S]), fiscp_text(c, in->o)), &v[TESTED])) !=
        FISC_OK)
        return rc;
    exempt = fisc_decimal_cmp(&v[TESTED], threshold) <= 0;
    if ((rc = fiscp_check(c, "vat.threshold", quarterly ? "季度销售额未超过免税标准" : "月销售额未超过免税标准",
                          quarterly ? "Quarterly sales within the exemption threshold"
                             : "Monthly sales within the exemption threshold",
                          exempt,
                          fiscp_ctx_printf(c, "%s %s %s (real estate %s excluded)", fiscp_text(c, &v[TESTED]),
                                    exempt ? "≤" : ">", fiscp_text(c, threshold), fiscp_text(c, in->r)))) != FISC_OK)
        return rc;
    reduced = fisc_decimal_cmp(rt->late, levy) < 0 || (rt->early && fisc_decimal_cmp(rt->early, levy) < 0);
    if ((rc = fiscp_check(c, "vat.rate_3pct", "适用3%征收率的销售额减按较低征收率或免征", "Sales at the 3% levy rate relieved",
                          reduced,
                          rt->early ? fiscp_ctx_printf(c, "%s before the change, then %s (levy rate %s)",
                                                fiscp_percent(c, rt->early), fiscp_percent(c, rt->late),
                                                fiscp_percent(c, levy))
                             : fiscp_ctx_printf(c, "%s (levy rate %s)", fiscp_percent(c, rt->late),
                                                fiscp_percent(c, levy)))) != FISC_OK)
        return rc;
    /* the tax on the 3% sales: none when exempt by the threshold */
    fisc_decimal_set_int(&v[TAX3], 0);
    if (!exempt) {
        if ((rc = fisc_decimal_mul(&v[TAX3], &v[S_LATE], rt->late, NULL)) != FISC_OK)
            return rc;
        if (rt->early && ((rc = fisc_decimal_mul(&v[TMP], &v[S_EARLY], rt->early, NULL)) != FISC_OK ||
                          (rc = fisc_decimal_add(&v[TAX3], &v[TAX3], &v[TMP], NULL)) != FISC_OK))
            return rc;
        rc = fiscp_step(c, "vat_3pct", "适用3%征收率的销售额应纳税额", "VAT on the sales at the 3% levy rate",
                        "不含税销售额 × 征收率 / sales × rate applied",
                        rt->early ? fiscp_ctx_printf(c, "%s × %s + %s × %s", fiscp_text(c, &v[S_EARLY]),
                                                     fiscp_percent(c, rt->early), fiscp_text(c, &v[S_LATE]),
                                                     fiscp_percent(c, rt->late))
                                  : fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &v[S_LATE]),
                                                     fiscp_percent(c, rt->late)),
                        &v[TAX3]);
        if (rc != FISC_OK)
            return rc;
    }
    /* payable: the 3% sales' tax, other rates unless exempt, real estate always */
    if ((rc = fisc_decimal_add(&v[VAT], &v[TAX3], in->tr, NULL)) != FISC_OK)
        return rc;
    if (!exempt && (rc = fisc_decimal_add(&v[VAT], &v[VAT], in->to, NULL)) != FISC_OK)
        return rc;
    if ((rc = fiscp_step(c, "vat", "应纳增值税额", "VAT payable",
                         "3%征收率销售额税额 + 其他征收率税额（免税时为0）+ 销售不动产税额 / VAT on 3% sales + VAT at other "
                         "rates (0 when exempt) + VAT on real estate",
                         fiscp_ctx_printf(c, "%s + %s + %s", fiscp_text(c, &v[TAX3]),
                                          exempt ? "0" : fiscp_text(c, in->to), fiscp_text(c, in->tr)),
                         &v[VAT])) != FISC_OK)
        return rc;
    /* the statutory treatment of the same sales */
    if ((rc = fisc_decimal_mul(&v[STAT3], &v[S], levy, NULL)) != FISC_OK ||
        (rc = fisc_decimal_add(&v[STAT], &v[STAT3], in->to, NULL)) != FISC_OK ||
        (rc = fisc_decimal_add(&v[STAT], &v[STAT], in->tr, NULL)) != FISC_OK ||
        (rc = fiscp_step(c, "vat_statutory", "按法定征收率计算的增值税额", "VAT under the statutory treatment",
                         "不含税销售额 × 法定征收率 + 其他征收率税额 + 销售不动产税额 / sales × statutory levy rate + "
                         "VAT at other rates + VAT on real estate",
                         fiscp_ctx_printf(c, "%s × %s + %s + %s", fiscp_text(c, &v[S]), fiscp_percent(c, levy),
                                          fiscp_text(c, in->to), fiscp_text(c, in->tr)),
                         &v[STAT])) != FISC_OK)
        return rc;
    if ((rc = fiscp_round(c, "vat", &v[VAT], &v[VAT_R])) != FISC_OK ||
        (rc = fiscp_round(c, "vat_statutory", &v[STAT], &v[STAT_R])) != FISC_OK ||
        (rc = fiscp_round(c, "sales_3pct", &v[S], &v[S_R])) != FISC_OK ||
        (rc = fiscp_round(c, "sales_tested", &v[TESTED], &v[TESTED_R])) != FISC_OK ||
        (rc = fisc_decimal_sub(&v[RELIEF], &v[STAT_R], &v[VAT_R], NULL)) != FISC_OK)
        return rc;
    if ((rc = fiscp_amount(c, "vat", &v[VAT_R], FISC_CATEGORY_TAX_PAYABLE)) != FISC_OK ||
        (rc = fiscp_amount(c, "relief", &v[RELIEF], FISC_CATEGORY_TAX_RELIEF)) != FISC_OK ||
        (rc = fiscp_amount(c, "vat_statutory", &v[STAT_R], -1)) != FISC_OK ||
        (rc = fiscp_amount(c, "sales_3pct", &v[S_R], -1)) != FISC_OK ||
        (rc = fiscp_amount(c, "sales_tested", &v[TESTED_R], -1)) != FISC_OK)
        return rc;
    choice = exempt ? 0 : !reduced || fisc_decimal_sign(&v[S]) == 0 ? 3 : fisc_decimal_sign(rt->late) == 0 ? 1 : 2;
    fiscp_choice(c, CHOICE[choice]);
    fiscp_outcome(c, choice == 3 ? FISC_OUTCOME_NOT_ELIGIBLE : FISC_OUTCOME_ELIGIBLE);
    return fiscp_summary(c,
                         fiscp_ctx_printf(c, "%s：应纳增值税 %s 元，较法定征收率少缴 %s 元", CHOICE_ZH[choice],
                                          fiscp_money(c, &v[VAT_R]), fiscp_money(c, &v[RELIEF])),
                         fiscp_ctx_printf(c, "%s: VAT %s yuan, %s less than under the statutory treatment",
                                          CHOICE_EN[choice], fiscp_money(c, &v[VAT_R]), fiscp_money(c, &v[RELIEF])));
}

static fisc_status run(fiscp_ctx *c)
{
    fisc_decimal v[NV], zero;
    inputs in;
    rates rt;
    int small, s_small, ok;
    fisc_status rc;

    s_small = fiscp_need_bool(c, FACT_VAT_SMALL_SCALE_TAXPAYER, &small) ? small : -1;
    if ((rc = fiscp_check(c, "vat.small_scale", "增值税小规模纳税人", "Small-scale VAT taxpayer", s_small,
                          s_small < 0 ? "unknown" : small ? "yes" : "no")) != FISC_OK)
        return rc;
    if (s_small == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "一般纳税人，不适用小规模纳税人增值税减免",
                             "a general VAT taxpayer: the small-scale relief does not apply");
    }
    fisc_decimal_init(&zero);
    ok = gather(c, &in, &zero, &rc);
    if (rc != FISC_OK || !ok || s_small < 0) {
        fisc_decimal_clear(&zero);
        return rc != FISC_OK ? rc
                             : undetermined(c, "缺少增值税事实", "facts are missing for the small-scale VAT relief");
    }
    if (in.period == QUARTERLY && fiscp_ctx_quarter(c) == 0) {
        fisc_decimal_clear(&zero);
        if ((rc = fiscp_check(c, "vat.filing_period", "按季申报：按季度计算", "Quarterly filer: assessed by quarter", -1,
                              "a whole year was evaluated: evaluate each quarter (quarter 1..4)")) != FISC_OK)
            return rc;
        return undetermined(c, "按季申报的增值税须按季度计算", "a quarterly filer's VAT is assessed by quarter");
    }
    for (int k = 0; k < NV; k++)
        fisc_decimal_init(&v[k]);
    rc = read_rates(c, in.first, in.last, &rt);
    if (rc == FISC_OK && rt.early && fisc_decimal_sign(in.x) > 0 &&
        !(in.x_early = fiscp_need_decimal(c, FACT_VAT_SALES_3PCT_INCL_TAX_BEFORE_CHANGE)))
        rc = undetermined(c, "本季度征收率调整，缺少调整前的销售额",
                          "the rate changed in the quarter: the sales before the change are missing");
    else if (rc == FISC_OK) {
        if (rt.early && !in.x_early) /* no 3% sales: nothing to split */
            in.x_early = &zero;
        rc = compute(c, &in, &rt, v);
    }
    for (int k = 0; k < NV; k++)
        fisc_decimal_clear(&v[k]);
    fisc_decimal_clear(&zero);
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

const fiscp_program fiscp_program_vat_small_scale = { "cn.vat_small_scale", PARAMS, P_COUNT, evaluate, NULL, NULL };
