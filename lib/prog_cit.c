/*
 * Program cn.cit: corporate income tax — the taxable income, then the choice among the rate routes.
 *
 * Clauses implemented (values, dates and URLs in policies/10-national.yaml; policy-params.md §4.2-§4.4):
 *
 * 应纳税所得额 (taxable income), the first of these that the facts give:
 * - the fact taxable_income: used as it is (it already counts every deduction and every loss made up);
 * - 核定征收 (cit_deemed_profit): 国税发〔2008〕30号 第六条 — 应纳税所得额 = 应税收入额 × 应税所得率, or
 *   成本（费用）支出额 ÷ (1 − 应税所得率) × 应税所得率 (text reproduced at
 *   http://canet.com.cn/tax/nsfd/qysdsfd/200904/17-98869.html). The rate is the one the tax authority set
 *   for the enterprise (a fact, not a policy value). Nothing is deducted from the deemed income: no R&D
 *   extra deduction, no loss of an earlier year (the formula has no place for them).
 * - 查账征收, from its components: 企业所得税法 第五条 (收入总额 − … − 各项扣除 − 允许弥补的以前年度亏损), in the
 *   order of the annual return A100000 (加计扣除 on line 17 comes before 弥补以前年度亏损 on line 21):
 *   income_before_rd_extra_and_losses − the R&D extra deduction that cn.rd_deduction publishes
 *   ("extra_deduction", read through the engine) − the losses of earlier years made up, oldest first
 *   (先亏先补, policy-params WE-12 "offset in order"). A year whose income after the extra deduction is
 *   negative makes up no loss and has a loss of its own (published as loss_this_year).
 *
 * Loss carry-forward (policy-params §4.3):
 * - 企业所得税法 第十八条: a loss is made up by the income of the following years, for at most 5 years
 *   (cit.loss.carry_years): the loss of year N-k is usable in year N when k ≤ 5.
 * - 财税〔2018〕76号 一, from tax year 2018 (cit.loss.qualified_first_year): when an enterprise holds
 *   高新技术企业 or 科技型中小企业 status in a year Q, the losses of the 5 years before Q
 *   (cit.loss.qualified_prior_years) still unused are carried forward for up to 10 years
 *   (cit.loss.carry_years_qualified), whatever its status in those earlier years (国家税务总局公告2018年第45号,
 *   as policy-params §4.3 and WE-12 read it). So the loss of year L reaches 10 years when the status is held in
 *   some year Q with max(2018, L+1) ≤ Q ≤ L+5. The loss of the qualifying year itself is extended only through a
 *   later qualifying year. A status year is read from hnte_or_tech_sme_y<j>, or from the current HNTE
 *   certificate (hnte_certificate_date and hnte.validity_years) when the year is one it covers.
 * - Not modelled: the 8-year limit for 2020 losses of hard-hit industries (2020年第8号); losses carried in
 *   or out by mergers and divisions.
 *
 * Rate routes, each computed exactly on max(taxable income, 0):
 * - 《中华人民共和国企业所得税法》第四条: the standard rate, 25%.
 * - 同法 第二十八条 第二款: 15% for a 高新技术企业 (HNTE) whose certificate is valid in the year
 *   (国科发火〔2016〕32号: valid for three years; the year of issue is the first).
 * - 同法 第二十八条 第一款 and 财税〔2019〕13号 二: 小型微利企业 — not in a restricted or prohibited
 *   industry, 应纳税所得额 ≤ 300万元, 从业人数 ≤ 300, 资产总额 ≤ 5000万元, headcount and assets
 *   as the average of quarterly averages ((start + end) / 2); the income counted at a share by
 *   bracket (13号; 2021年第12号; 2022年第13号; 2023年第6号; 2023年第12号, to 2027-12-31), taxed at 20%.
 *   Not marginal relief above 300万: the enterprise is then simply not 小型微利 (a cliff). Both 查账 and
 *   核定征收 enterprises may use it (policy-params §4.4).
 * - 西部大开发: 15% for an enterprise established in the western region (广西 included) whose main business
 *   is listed in 《西部地区鼓励类产业目录》 and brings at least the share of 收入总额 in force ("以上" includes
 *   the bound): 70% under 财税〔2011〕58号 二 (2011-2020), 60% under 财政部 税务总局 国家发展改革委公告2020年
 *   第23号 一 (2021-2030). Whether the main business is in the catalogue (the 2020 catalogue applies from
 *   2021-03-01) is the user's to say: the fact is the share of revenue from a listed main business.
 * - Quarterly prepayment: the tests run on the position cumulative to the end of the quarter
 *   (income to date; headcount and assets averaged over the quarters so far).
 *
 * No stacking: HNTE 15%, 西部大开发 15% and 小型微利 are 减低税率 routes; the enterprise takes the most
 * favourable one, never two (国发〔2007〕39号 第三条; 财税〔2009〕69号 第二条; HNTE vs 小型微利: policy-params
 * §4.2). That HNTE 15% and 西部大开发 15% do not combine is UNCONFIRMED as explicit text (inferred from the
 * principle, policy-params §4.2); both are 15%, so the tax is the same either way; on a tie the HNTE route is
 * reported. The R&D extra deduction and the loss carry-forward are of other types and do combine with any
 * rate route.
 *
 * 核定征收 and the reduced rates: 国税发〔2008〕30号 第三条 with 国税函〔2009〕377号 (as amended by 国家税务总局
 * 公告2016年第88号): an enterprise that enjoys CIT preferences other than exempt income and 小型微利 is not
 * levied on deemed profit. Parameter cit.deemed_profit.reduced_rates ("no"): UNCONFIRMED (not researched in
 * policy-params; read from a third-party copy), so a deemed-profit enterprise gets neither the HNTE nor the
 * 西部大开发 rate, and the result is provisional whenever that rule decides.
 *
 * Published amounts: tax_<route> for each route that applies (tax_standard always), "tax" (the route
 * chosen, TAX_PAYABLE) and "relief" (tax_standard − tax, TAX_RELIEF); when the income was derived here,
 * also taxable_income, losses_used and loss_this_year (informative). Every reported amount is rounded
 * once by the program's rounding rule; every intermediate value stays exact.
 */
#include "decimal.h"
#include "engine.h"

/* The parameters this program reads, resolved by the policy at load. */
enum {
    P_RATE_STANDARD,
    P_RATE_HNTE,
    P_RATE_SMALL_MICRO,
    P_SHARE,
    P_MAX_INCOME,
    P_MAX_EMPLOYEES,
    P_MAX_ASSETS,
    P_HNTE_YEARS,
    P_RATE_WEST,
    P_WEST_MIN_SHARE,
    P_LOSS_YEARS,
    P_LOSS_YEARS_QUALIFIED,
    P_LOSS_QUALIFIED_PRIOR,
    P_LOSS_QUALIFIED_FIRST_YEAR,
    P_DEEMED_REDUCED_RATES,
    P_COUNT
};

static const char *const PARAMS[P_COUNT] = {
    [P_RATE_STANDARD] = "cit.rate.standard",
    [P_RATE_HNTE] = "cit.rate.hnte",
    [P_RATE_SMALL_MICRO] = "cit.rate.small_micro",
    [P_SHARE] = "cit.small_micro.taxable_share",
    [P_MAX_INCOME] = "cit.small_micro.max_taxable_income",
    [P_MAX_EMPLOYEES] = "cit.small_micro.max_employees",
    [P_MAX_ASSETS] = "cit.small_micro.max_assets",
    [P_HNTE_YEARS] = "hnte.validity_years",
    [P_RATE_WEST] = "cit.rate.west",
    [P_WEST_MIN_SHARE] = "cit.west.min_catalogue_revenue_share",
    [P_LOSS_YEARS] = "cit.loss.carry_years",
    [P_LOSS_YEARS_QUALIFIED] = "cit.loss.carry_years_qualified",
    [P_LOSS_QUALIFIED_PRIOR] = "cit.loss.qualified_prior_years",
    [P_LOSS_QUALIFIED_FIRST_YEAR] = "cit.loss.qualified_first_year",
    [P_DEEMED_REDUCED_RATES] = "cit.deemed_profit.reduced_rates",
};

/*
 * Texts that only the explanation shows (a condition's values compared, a step): without it they
 * are not made, and their arguments are not even evaluated (fiscp_ctx_printf and fiscp_step would
 * return "" and FISC_OK, but only after every fiscp_text and fiscp_percent of the call had run).
 */
#define SHOWN(c, text) (fiscp_ctx_tracing(c) ? (text) : "")
#define STEP(c, ...) (fiscp_ctx_tracing(c) ? fiscp_step((c), __VA_ARGS__) : FISC_OK)

/* Programs whose published amounts this one reads. */
static const char *const AFTER[] = { "cn.rd_deduction", NULL };
static const fiscp_read READS[] = { { "cn.rd_deduction", "extra_deduction" }, { NULL, NULL } };

typedef struct route {
    int known;          /* 1: applies; 0: does not; -1: unknown (facts missing) */
    fisc_decimal *tax;  /* exact; in evaluate()'s values */
} route;

enum { STANDARD, HNTE, SMALL_MICRO, WEST, ROUTES };

static const char *const ROUTE_ID[ROUTES] = { "standard", "hnte", "small_micro", "west" };

/* The taxable income and how it was found. */
typedef struct cit_income {
    int known;                 /* 1: known; 0: not (the item is undetermined) */
    int derived;               /* 1: computed here from other facts */
    int losses;                /* 1: the loss schedule was applied */
    const char *why_zh, *why_en; /* when not known */
    fisc_decimal *value;       /* exact; negative for a loss */
    fisc_decimal *used;        /* losses of earlier years made up */
    fisc_decimal *own_loss;    /* this year's loss (0 when none) */
} cit_income;                  /* the values are evaluate()'s */

/* evaluate()'s exact values, in one array: initialised together and cleared with one test at the end. */
enum { V_BASE, V_INCOME, V_USED, V_OWN_LOSS, V_TAX, V_COUNT = V_TAX + ROUTES };

/* The losses of tax years N-1 .. N-10, and the status facts of years N-1 .. N-9. */
#define LOSS_YEARS 10
static const fiscp_fact LOSS[LOSS_YEARS] = { FACT_LOSS_Y1, FACT_LOSS_Y2, FACT_LOSS_Y3, FACT_LOSS_Y4, FACT_LOSS_Y5,
                                             FACT_LOSS_Y6, FACT_LOSS_Y7, FACT_LOSS_Y8, FACT_LOSS_Y9, FACT_LOSS_Y10 };
static const fiscp_fact STATUS[LOSS_YEARS - 1] = { FACT_HNTE_OR_TECH_SME_Y1, FACT_HNTE_OR_TECH_SME_Y2,
                                                   FACT_HNTE_OR_TECH_SME_Y3, FACT_HNTE_OR_TECH_SME_Y4,
                                                   FACT_HNTE_OR_TECH_SME_Y5, FACT_HNTE_OR_TECH_SME_Y6,
                                                   FACT_HNTE_OR_TECH_SME_Y7, FACT_HNTE_OR_TECH_SME_Y8,
                                                   FACT_HNTE_OR_TECH_SME_Y9 };
/* Condition ids (static: they are kept without the explanation too), index k-1 for loss_y<k>. */
static const char *const LOSS_COND[LOSS_YEARS] = { "losses.y1", "losses.y2", "losses.y3", "losses.y4",
                                                   "losses.y5", "losses.y6", "losses.y7", "losses.y8",
                                                   "losses.y9", "losses.y10" };

/* A whole-number parameter (years, a year) as an int. */
static fisc_status param_int(fiscp_ctx *c, int param, int *out)
{
    const fisc_decimal *v;
    int64_t n;
    fisc_status rc = fiscp_param_value(c, param, &v);

    if (rc != FISC_OK)
        return rc;
    if (!fiscp_decimal_get_int64(&n, v) || n < 0 || n > 9999)
        return fiscp_fail(c, FISC_EINVAL, "%s is not a whole number of years", PARAMS[param]);
    *out = (int)n;
    return FISC_OK;
}

/* ------------------------------------------------------------------ the HNTE certificate */

typedef struct cert_years {
    int has;            /* a certificate date is given */
    fiscp_date date;
    int from, to;       /* the tax years it covers */
} cert_years;

static fisc_status read_cert(fiscp_ctx *c, cert_years *h)
{
    const fisc_decimal *years;
    int64_t validity;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_HNTE_YEARS, &years)) != FISC_OK)
        return rc;
    h->has = fiscp_fact_date(fiscp_ctx_facts(c), FACT_HNTE_CERTIFICATE_DATE, &h->date);
    if (!h->has)
        return FISC_OK;
    if (!fiscp_decimal_get_int64(&validity, years) || validity < 1 || validity > 100)
        return fiscp_fail(c, FISC_EINVAL, "hnte.validity_years is not a whole number of years");
    h->from = h->date / 10000;
    h->to = h->from + (int)validity - 1;
    return FISC_OK;
}

/* ------------------------------------------------------------------ the loss carry-forward */

/* HNTE or 科技型中小企业 status in tax year N-j (1 ≤ j ≤ 9): 1, 0, or -1 when not known. */
static int status_in(fiscp_ctx *c, int j, const cert_years *h)
{
    int v, q = fiscp_ctx_year(c) - j;

    if (fiscp_fact_bool(fiscp_ctx_facts(c), STATUS[j - 1], &v))
        return v != 0;
    if (h->has && h->from <= q && q <= h->to)
        return 1;
    return -1;
}

/*
 * Whether the loss of tax year N-k (k above the general limit) reaches the longer limit of 财税〔2018〕76号:
 * *state 1, 0, or -1 (status facts missing, recorded). *detail explains.
 */
static fisc_status extended(fiscp_ctx *c, int k, int *state, const char **detail)
{
    cert_years h = { 0 };
    int n = fiscp_ctx_year(c), loss_year = n - k, limit = 0, prior = 0, first = 0, lo, hi;
    fisc_status rc = FISC_OK;

    *state = 0;
    if (!fiscp_param_in_force(c, P_LOSS_YEARS_QUALIFIED)) {
        *detail = SHOWN(c, fiscp_ctx_printf(c, "older than the limit, and no longer limit is in force in %d", n));
        return FISC_OK;
    }
    if ((rc = param_int(c, P_LOSS_YEARS_QUALIFIED, &limit)) != FISC_OK ||
        (rc = param_int(c, P_LOSS_QUALIFIED_PRIOR, &prior)) != FISC_OK ||
        (rc = param_int(c, P_LOSS_QUALIFIED_FIRST_YEAR, &first)) != FISC_OK)
        return rc;
    if (k > limit) {
        *detail = SHOWN(c, fiscp_ctx_printf(c, "older than %d years", limit));
        return FISC_OK;
    }
    lo = loss_year + 1 > first ? loss_year + 1 : first;
    hi = loss_year + prior < n - 1 ? loss_year + prior : n - 1;
    if (lo > hi) {
        *detail = SHOWN(c, fiscp_ctx_printf(c, "no year from %d within the %d years after it", first, prior));
        return FISC_OK;
    }
    if ((rc = read_cert(c, &h)) != FISC_OK)
        return rc;
    for (int q = lo; q <= hi; q++)
        if (status_in(c, n - q, &h) == 1) {
            *state = 1;
            *detail = SHOWN(c, fiscp_ctx_printf(c, "高新技术企业/科技型中小企业 status in %d → usable for %d years, to %d",
                                                q, limit, loss_year + limit));
            return FISC_OK;
        }
    for (int q = lo; q <= hi; q++)
        if (status_in(c, n - q, &h) < 0) {
            fiscp_missing(c, STATUS[n - q - 1]);
            *state = -1;
        }
    *detail = SHOWN(c, fiscp_ctx_printf(c, "%s 高新技术企业/科技型中小企业 status in %d-%d",
                                        *state < 0 ? "unknown" : "no", lo, hi));
    return FISC_OK;
}

/* Make up the losses of earlier years, oldest first, from income > 0: inc->used, inc->value. */
static fisc_status make_up_losses(fiscp_ctx *c, const fisc_decimal *income_in, cit_income *inc)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *losses[LOSS_YEARS], *loss; /* loss_y<k> at k-1, or NULL */
    fisc_decimal left, take;
    int general = 0, n = fiscp_ctx_year(c), any = 0, unknown = 0;
    fisc_status rc = FISC_OK;

    for (int k = 1; k <= LOSS_YEARS; k++)
        any |= (losses[k - 1] = fiscp_fact_decimal(f, LOSS[k - 1])) != NULL;
    if (!any) {
        inc->losses = 0;
        return fiscp_decimal_set(inc->value, income_in, NULL);
    }
    inc->losses = 1;
    if ((rc = param_int(c, P_LOSS_YEARS, &general)) != FISC_OK)
        return rc;
    fiscp_decimal_init(&left);
    fiscp_decimal_init(&take);
    rc = fiscp_decimal_set(&left, income_in, NULL);
    for (int k = LOSS_YEARS; k >= 1 && rc == FISC_OK; k--) {
        int usable = 1;
        const char *detail = "";

        if (!(loss = losses[k - 1]) || fiscp_decimal_sign(loss) <= 0)
            continue;
        if (k > general) {
            if ((rc = extended(c, k, &usable, &detail)) != FISC_OK ||
                (rc = fiscp_check(c, LOSS_COND[k - 1], "以前年度亏损仍在结转年限内", "Loss of an earlier year still within its carry-forward limit",
                                  usable,
                                  SHOWN(c, fiscp_ctx_printf(c, "loss of %d (unused %s): %s", n - k, fiscp_text(c, loss),
                                                            detail)))) !=
                    FISC_OK)
                break;
        }
        if (usable < 0 && fiscp_decimal_sign(&left) > 0)
            unknown = 1; /* it matters only while income is left to make it up from */
        if (usable <= 0 || unknown) /* a loss of unknown use blocks the younger ones (oldest first) */
            continue;
        if ((rc = fisc_decimal_min(&take, loss, &left, NULL)) != FISC_OK)
            break;
        if (fiscp_ctx_tracing(c) &&
            (rc = fiscp_step(c, fiscp_ctx_printf(c, "losses.%d", n - k), "弥补以前年度亏损", "Loss of an earlier year made up",
                             "min(该年度尚未弥补的亏损, 尚余所得) / min(the year's unused loss, the income left)",
                             fiscp_ctx_printf(c, "%d: min(%s, %s)", n - k, fiscp_text(c, loss), fiscp_text(c, &left)),
                             &take)) != FISC_OK)
            break;
        if ((rc = fisc_decimal_sub(&left, &left, &take, NULL)) != FISC_OK ||
            (rc = fisc_decimal_add(inc->used, inc->used, &take, NULL)) != FISC_OK)
            break;
    }
    if (rc == FISC_OK && unknown) {
        inc->known = 0;
        inc->why_zh = "缺少以前年度高新技术企业或科技型中小企业资格的事实，无法确定可弥补的亏损";
        inc->why_en = "the status of earlier years is missing, so the losses that may be made up are not known";
    }
    if (rc == FISC_OK)
        rc = fiscp_decimal_set(inc->value, &left, NULL);
    fiscp_decimal_clear(&left);
    fiscp_decimal_clear(&take);
    return rc;
}

/* ------------------------------------------------------------------ the taxable income */

/*
 * The R&D extra deduction published by cn.rd_deduction (borrowed from the result), *x NULL when there
 * is none to subtract; *known 0 when that program is undetermined.
 */
static fisc_status rd_extra(fiscp_ctx *c, const fisc_decimal **x, int *known)
{
    static const char ZH[] = "研发费用加计扣除额已确定", EN[] = "R&D extra deduction known";
    int outcome;

    *known = 1;
    fiscp_prior_amount(c, "cn.rd_deduction", "extra_deduction", x, &outcome);
    if (outcome < 0) /* then *x is NULL */
        return fiscp_check(c, "rd.extra_deduction", ZH, EN, 0,
                           "cn.rd_deduction is not enabled in this policy: no R&D extra deduction is subtracted");
    if (outcome == FISC_OUTCOME_UNDETERMINED) {
        *known = 0;
        return fiscp_check(c, "rd.extra_deduction", ZH, EN, -1,
                           "cn.rd_deduction is undetermined (see the facts it misses): the extra deduction is not known");
    }
    return fiscp_check(c, "rd.extra_deduction", ZH, EN, 1,
                       SHOWN(c, fiscp_ctx_printf(c, "cn.rd_deduction: extra deduction %s%s", *x ? fiscp_text(c, *x) : "0",
                                                 *x ? "" : " (none published)")));
}

/* 核定征收: 应税收入额 × 应税所得率, or 成本（费用）支出额 ÷ (1 − 应税所得率) × 应税所得率. */
static fisc_status deemed_income(fiscp_ctx *c, cit_income *inc)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *rate = fiscp_need_decimal(c, FACT_CIT_DEEMED_PROFIT_RATE);
    const fisc_decimal *revenue = fiscp_fact_decimal(f, FACT_CIT_DEEMED_REVENUE);
    const fisc_decimal *costs = fiscp_fact_decimal(f, FACT_CIT_DEEMED_COSTS);
    fisc_decimal one, t;
    fisc_status rc;
    int any = 0;

    if (!revenue && !costs)
        fiscp_missing(c, FACT_CIT_DEEMED_REVENUE);
    if (!rate || (!revenue && !costs)) {
        inc->known = 0;
        inc->why_zh = "核定征收：缺少应税所得率或应税收入额（成本费用支出额）";
        inc->why_en = "deemed profit: the deemed profit rate or the revenue (or costs) assessed is missing";
        return FISC_OK;
    }
    inc->derived = 1;
    if (revenue) {
        rc = fisc_decimal_mul(inc->value, revenue, rate, NULL);
        if (rc == FISC_OK)
            rc = STEP(c, "deemed.taxable_income", "核定征收应纳税所得额", "Deemed taxable income",
                      "应税收入额 × 应税所得率 / revenue assessed × deemed profit rate",
                      fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, revenue), fiscp_percent(c, rate)), inc->value);
    } else {
        fiscp_decimal_init(&one);
        fiscp_decimal_init(&t);
        fiscp_decimal_set_int(&one, 1);
        rc = fisc_decimal_sub(&t, &one, rate, NULL);
        if (rc == FISC_OK && fiscp_decimal_sign(&t) <= 0)
            rc = fiscp_fail(c, FISC_EINVAL, "cit_deemed_profit_rate must be below 100%% to be used with cit_deemed_costs");
        if (rc == FISC_OK)
            rc = fisc_decimal_div(&t, costs, &t, NULL);
        if (rc == FISC_OK)
            rc = fisc_decimal_mul(inc->value, &t, rate, NULL);
        if (rc == FISC_OK)
            rc = STEP(c, "deemed.taxable_income", "核定征收应纳税所得额", "Deemed taxable income",
                      "成本（费用）支出额 ÷ (1 − 应税所得率) × 应税所得率 / costs assessed ÷ (1 − rate) × rate",
                      fiscp_ctx_printf(c, "%s ÷ (1 − %s) × %s", fiscp_text(c, costs), fiscp_percent(c, rate),
                                       fiscp_percent(c, rate)),
                      inc->value);
        fiscp_decimal_clear(&one);
        fiscp_decimal_clear(&t);
    }
    for (int k = 0; k < LOSS_YEARS; k++)
        any |= fiscp_fact_decimal(f, LOSS[k]) != NULL;
    if (rc == FISC_OK && any)
        rc = fiscp_check(c, "losses.deemed_profit", "弥补以前年度亏损", "Losses of earlier years made up", 0,
                         "核定征收: 应纳税所得额 = 应税收入额 × 应税所得率; no loss of an earlier year is subtracted");
    return rc;
}

/* 查账征收 from the components: before − R&D extra deduction − losses made up (oldest first). */
static fisc_status component_income(fiscp_ctx *c, const fisc_decimal *before, cit_income *inc)
{
    const fisc_decimal *extra = NULL;
    fisc_decimal after;
    int known;
    fisc_status rc;

    fiscp_decimal_init(&after);
    inc->derived = 1;
    rc = rd_extra(c, &extra, &known);
    if (rc == FISC_OK && !known) {
        inc->known = 0;
        inc->why_zh = "研发费用加计扣除额未确定，无法计算应纳税所得额";
        inc->why_en = "the R&D extra deduction is undetermined, so the taxable income is not known";
        goto out;
    }
    if (rc == FISC_OK) /* none published: 0 is subtracted (fiscp_text shows a zero as "0") */
        rc = extra ? fiscp_decimal_sub(&after, before, extra) : fiscp_decimal_set(&after, before, NULL);
    if (rc == FISC_OK)
        rc = STEP(c, "rd.after_extra_deduction", "减除研发费用加计扣除后的所得", "Income after the R&D extra deduction",
                  "加计扣除及弥补亏损前的所得 − 研发费用加计扣除额 / income before both − R&D extra deduction",
                  fiscp_ctx_printf(c, "%s − %s", fiscp_text(c, before), extra ? fiscp_text(c, extra) : "0"), &after);
    if (rc != FISC_OK)
        goto out;
    if (fiscp_decimal_sign(&after) > 0) {
        rc = make_up_losses(c, &after, inc);
    } else {
        /* no income to make losses up from; a negative result is this year's own loss */
        rc = fiscp_decimal_set(inc->value, &after, NULL);
        if (rc == FISC_OK && fiscp_decimal_sign(&after) < 0)
            rc = fisc_decimal_neg(inc->own_loss, &after, NULL);
    }
    if (rc == FISC_OK && inc->known && inc->losses)
        rc = STEP(c, "taxable_income", "应纳税所得额", "Taxable income",
                  "减除加计扣除后的所得 − 弥补以前年度亏损 / income after the extra deduction − losses made up",
                  fiscp_ctx_printf(c, "%s − %s", fiscp_text(c, &after), fiscp_text(c, inc->used)), inc->value);
out:
    fiscp_decimal_clear(&after);
    return rc;
}

static fisc_status taxable_income(fiscp_ctx *c, cit_income *inc)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *given = fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), *before;
    int deemed = 0;

    inc->known = 1;
    if (given) /* 应纳税所得额 as given: nothing to derive, no step */
        return fiscp_decimal_set(inc->value, given, NULL);
    if (fiscp_fact_bool(f, FACT_CIT_DEEMED_PROFIT, &deemed) && deemed)
        return deemed_income(c, inc);
    if ((before = fiscp_fact_decimal(f, FACT_INCOME_BEFORE_RD_EXTRA_AND_LOSSES)) != NULL)
        return component_income(c, before, inc);
    fiscp_missing(c, FACT_TAXABLE_INCOME);
    inc->known = 0;
    inc->why_zh = "缺少应纳税所得额";
    inc->why_en = "taxable income is missing";
    return FISC_OK;
}

/* ------------------------------------------------------------------ the rate routes */

/* v <= limit as a condition; state -1 when v is unknown. */
static FISCP_ALWAYS_INLINE fisc_status limit_cond(fiscp_ctx *c, const char *id, const char *zh, const char *en,
                                                  int known, const fisc_decimal *v, const fisc_decimal *limit,
                                                  int *state)
{
    *state = known < 0 ? -1 : fiscp_decimal_cmp(v, limit) <= 0;
    return fiscp_check(c, id, zh, en, *state,
                       *state < 0 ? "unknown"
                                  : SHOWN(c, fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, v), *state ? "≤" : ">",
                                                              fiscp_text(c, limit))));
}

/*
 * A deemed-profit enterprise and a reduced rate: *allowed 0 when cit_deemed_profit is true and the
 * policy says such an enterprise takes no reduced rate (recorded as a condition); 1 otherwise.
 */
static fisc_status deemed_allows(fiscp_ctx *c, const char *id, int *allowed)
{
    const fisc_decimal *v;
    int deemed = 0;
    fisc_status rc;

    *allowed = 1;
    if (!fiscp_fact_bool(fiscp_ctx_facts(c), FACT_CIT_DEEMED_PROFIT, &deemed) || !deemed)
        return FISC_OK;
    if ((rc = fiscp_param_value(c, P_DEEMED_REDUCED_RATES, &v)) != FISC_OK)
        return rc;
    *allowed = fiscp_decimal_sign(v) != 0;
    return fiscp_check(c, id, "核定征收企业可否适用减低税率", "Reduced rate open to a deemed-profit enterprise", *allowed,
                       *allowed ? "核定征收; the policy allows the reduced rate"
                         : "核定征收: an enterprise enjoying this preference is not levied on deemed profit "
                           "(国税发〔2008〕30号 第三条, 国税函〔2009〕377号)");
}

/* The fallback fact, when no quarter of the series is given: 1, or -1 when it is missing too. */
static int fallback_average(fiscp_ctx *c, fiscp_fact series, fiscp_fact fallback, const fisc_decimal **out)
{
    if ((*out = fiscp_fact_decimal(fiscp_ctx_facts(c), fallback)) != NULL)
        return 1;
    fiscp_missing(c, series);
    return -1;
}

/* quarterly_average when some quarter of the series may be given. */
static int series_average(fiscp_ctx *c, fiscp_fact series, fiscp_fact fallback, fisc_decimal *avg,
                          const fisc_decimal **out)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    int last = fiscp_ctx_quarter(c) ? fiscp_ctx_quarter(c) : 4;
    int n = 0, ok;
    fisc_decimal k;

    for (int q = 1; q <= last; q++) {
        const fisc_decimal *s = fiscp_fact_quarter(f, series, q, 0), *e = fiscp_fact_quarter(f, series, q, 1);

        if (!s && !e)
            continue;
        if (!s || !e || fisc_decimal_add(avg, avg, s, NULL) != FISC_OK ||
            fisc_decimal_add(avg, avg, e, NULL) != FISC_OK) {
            n = -1;
            break;
        }
        n++;
    }
    if (n > 0) {
        fiscp_decimal_init(&k);
        fiscp_decimal_set_int(&k, 2 * n); /* Σ (start + end) / 2 / n */
        ok = fisc_decimal_div(avg, avg, &k, NULL) == FISC_OK;
        fiscp_decimal_clear(&k);
        *out = avg;
        return ok ? 1 : -1;
    }
    return fallback_average(c, series, fallback, out);
}

/*
 * Average of quarterly averages over the quarters given (1..last), made in *avg (a zero on entry), or
 * else the fallback fact itself (no quarter given, or one given in part): *out points to the value
 * that applies. 1, or -1 when unknown.
 */
static FISCP_ALWAYS_INLINE int quarterly_average(fiscp_ctx *c, fiscp_fact series, fiscp_fact fallback,
                                                 fisc_decimal *avg, const fisc_decimal **out)
{
    const fisc_facts *f = fiscp_ctx_facts(c);

    /* the series unset (the batch gives the averages): no quarter to look up one by one */
    if (!fiscp_fact_quarters_known(f, series))
        return fallback_average(c, series, fallback, out);
    return series_average(c, series, fallback, avg, out);
}

static fisc_status hnte_route(fiscp_ctx *c, const fisc_decimal *base, route *r)
{
    const fisc_decimal *rate;
    cert_years h = { 0 };
    int y = fiscp_ctx_year(c), allowed;
    fisc_status rc;

    if ((rc = read_cert(c, &h)) != FISC_OK)
        return rc;
    if (!h.has) {
        r->known = 0;
        return fiscp_check(c, "hnte.valid", "高新技术企业资格在有效期内", "High-tech enterprise status valid in the year", 0,
                           "no certificate (hnte_certificate_date not given)");
    }
    r->known = h.from <= y && y <= h.to && h.date <= fiscp_ctx_date(c);
    if ((rc = fiscp_check(c, "hnte.valid", "高新技术企业资格在有效期内", "High-tech enterprise status valid in the year", r->known,
                          SHOWN(c, fiscp_ctx_printf(c, "certificate %04d-%02d-%02d, valid for tax years %d-%d", h.from,
                                                    h.date / 100 % 100, h.date % 100, h.from, h.to)))) != FISC_OK ||
        !r->known)
        return rc;
    if ((rc = deemed_allows(c, "hnte.collection", &allowed)) != FISC_OK || !(r->known = allowed))
        return rc;
    if ((rc = fiscp_param_value(c, P_RATE_HNTE, &rate)) != FISC_OK ||
        (rc = fisc_decimal_mul(r->tax, base, rate, NULL)) != FISC_OK)
        return rc;
    return STEP(c, "hnte.tax", "高新技术企业税额", "High-tech enterprise route",
                "应纳税所得额 × 高新技术企业税率 / taxable income × HNTE rate",
                fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, base), fiscp_percent(c, rate)), r->tax);
}

/* The 小型微利 tests; *state 1 eligible, 0 not, -1 unknown. */
static fisc_status small_micro_tests(fiscp_ctx *c, const fisc_decimal *income, int *state)
{
    const fisc_decimal *max_income, *max_emp, *max_assets, *emp_avg = NULL, *assets_avg = NULL;
    fisc_decimal emp, assets;
    int restricted, s1, s2, s3, s4, ke, ka;
    fisc_status rc;

    fiscp_decimal_init(&emp);
    fiscp_decimal_init(&assets);
    if ((rc = fiscp_param_value(c, P_MAX_INCOME, &max_income)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_MAX_EMPLOYEES, &max_emp)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_MAX_ASSETS, &max_assets)) != FISC_OK)
        goto out;
    s1 = fiscp_need_bool(c, FACT_INDUSTRY_RESTRICTED, &restricted) ? !restricted : -1;
    if ((rc = fiscp_check(c, "small_micro.industry", "不属于国家限制或禁止行业", "Not in a restricted or prohibited industry",
                          s1, s1 < 0 ? "unknown" : restricted ? "restricted" : "not restricted")) != FISC_OK)
        goto out;
    if ((rc = limit_cond(c, "small_micro.taxable_income", "应纳税所得额不超过上限", "Taxable income within the limit",
                         1, income, max_income, &s2)) != FISC_OK)
        goto out;
    ke = quarterly_average(c, FACT_EMPLOYEES, FACT_EMPLOYEES_AVERAGE, &emp, &emp_avg);
    if ((rc = limit_cond(c, "small_micro.employees", "从业人数季度平均值不超过上限", "Average employees within the limit",
                         ke, emp_avg, max_emp, &s3)) != FISC_OK)
        goto out;
    ka = quarterly_average(c, FACT_ASSETS, FACT_ASSETS_AVERAGE, &assets, &assets_avg);
    if ((rc = limit_cond(c, "small_micro.assets", "资产总额季度平均值不超过上限", "Average total assets within the limit",
                         ka, assets_avg, max_assets, &s4)) != FISC_OK)
        goto out;
    *state = (s1 == 0 || s2 == 0 || s3 == 0 || s4 == 0) ? 0 : (s1 < 0 || s3 < 0 || s4 < 0) ? -1 : 1;
out:
    fiscp_decimal_clear(&emp);
    fiscp_decimal_clear(&assets);
    return rc;
}

static fisc_status small_micro_route(fiscp_ctx *c, const fisc_decimal *income, route *r)
{
    const fisc_decimal *rate;
    const char *terms = "";
    fisc_decimal counted;
    fisc_status rc;

    if ((rc = small_micro_tests(c, income, &r->known)) != FISC_OK || r->known == 0)
        return rc;
    fiscp_decimal_init(&counted);
    /* computed even when a fact is missing: it tells whether the missing fact matters */
    rc = fiscp_param_scale(c, P_SHARE, income, &counted, &terms);
    if (rc == FISC_OK)
        rc = fiscp_param_value(c, P_RATE_SMALL_MICRO, &rate);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(r->tax, &counted, rate, NULL);
    if (rc == FISC_OK)
        rc = STEP(c, "small_micro.tax", "小型微利企业税额", "Small and micro enterprise route",
                  "分段计入应纳税所得额的部分 × 小型微利企业税率 / the share of income counted, by bracket, × the small and "
                  "micro enterprise rate",
                  fiscp_ctx_printf(c, "(%s) × %s", terms, fiscp_percent(c, rate)), r->tax);
    fiscp_decimal_clear(&counted);
    return rc;
}

static fisc_status west_route(fiscp_ctx *c, const fisc_decimal *base, route *r)
{
    static const char CAT_ZH[] = "主营业务属《西部地区鼓励类产业目录》且其收入占收入总额的比例达标",
                      CAT_EN[] = "Main business in the western catalogue, with enough of total revenue";
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *share = fiscp_fact_decimal(f, FACT_WEST_CATALOGUE_REVENUE_SHARE), *min, *rate;
    int s1, s2, v, allowed;
    const char *region = "unknown";
    fisc_status rc;

    r->known = 0;
    if (!share)
        return fiscp_check(c, "west.catalogue", CAT_ZH, CAT_EN, 0, "not claimed (west_catalogue_revenue_share not given)");
    if (!fiscp_param_in_force(c, P_RATE_WEST))
        return fiscp_check(c, "west.catalogue", CAT_ZH, CAT_EN, 0,
                           SHOWN(c, fiscp_ctx_printf(c, "no 西部大开发 rate in force in %d", fiscp_ctx_year(c))));
    if ((rc = fiscp_param_value(c, P_WEST_MIN_SHARE, &min)) != FISC_OK)
        return rc;
    s1 = fiscp_decimal_cmp(share, min) >= 0;
    if ((rc = fiscp_check(c, "west.catalogue", CAT_ZH, CAT_EN, s1,
                          SHOWN(c, fiscp_ctx_printf(c, "%s %s %s", fiscp_percent(c, share), s1 ? "≥" : "<",
                                                    fiscp_percent(c, min))))) != FISC_OK)
        return rc;
    if (fiscp_fact_bool(f, FACT_WEST_REGION, &v)) {
        s2 = v != 0;
        region = v ? "yes" : "no";
    } else if (fiscp_fact_bool(f, FACT_REGISTERED_IN_YULIN, &v) && v) {
        s2 = 1;
        region = "registered in 玉林 (广西)";
    } else {
        fiscp_missing(c, FACT_WEST_REGION);
        s2 = -1;
    }
    if ((rc = fiscp_check(c, "west.region", "设在西部地区", "Established in the western region", s2, region)) != FISC_OK ||
        s1 == 0 || s2 == 0)
        return rc;
    if ((rc = deemed_allows(c, "west.collection", &allowed)) != FISC_OK || !allowed)
        return rc;
    r->known = s2;
    if ((rc = fiscp_param_value(c, P_RATE_WEST, &rate)) != FISC_OK ||
        (rc = fisc_decimal_mul(r->tax, base, rate, NULL)) != FISC_OK)
        return rc;
    return STEP(c, "west.tax", "西部大开发税额", "Western development route",
                "应纳税所得额 × 西部大开发税率 / taxable income × western development rate",
                fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, base), fiscp_percent(c, rate)), r->tax);
}

/* The cheapest route that applies; -1 when a route with unknown eligibility would be cheaper. */
static int choose(const route *r)
{
    int best = STANDARD, unknown = 0;

    for (int k = HNTE; k < ROUTES; k++) {
        if (r[k].known == 1 && fiscp_decimal_cmp(r[k].tax, r[best].tax) < 0)
            best = k;
        unknown |= r[k].known < 0;
    }
    for (int k = HNTE; k < ROUTES && unknown; k++) /* most rows know every route */
        if (r[k].known < 0 && fiscp_decimal_cmp(r[k].tax, r[best].tax) < 0)
            return -1;
    return best;
}

/* ------------------------------------------------------------------ the result */

/* Round an informative amount into t and publish it (unless a summary evaluation does not record it). */
static fisc_status informative(fiscp_ctx *c, const char *name, const fisc_decimal *v, fisc_decimal *t)
{
    fisc_status rc;

    if (!fiscp_amount_wanted(c, name))
        return FISC_OK;
    rc = fiscp_round(c, name, v, t);
    return rc != FISC_OK ? rc : fiscp_amount(c, name, t, -1);
}

static fisc_status income_amounts(fiscp_ctx *c, const cit_income *inc, fisc_decimal *t)
{
    fisc_status rc = FISC_OK;

    if (!inc->derived)
        return FISC_OK;
    rc = informative(c, "taxable_income", inc->value, t);
    if (rc == FISC_OK && inc->losses)
        rc = informative(c, "losses_used", inc->used, t);
    if (rc == FISC_OK && fiscp_decimal_sign(inc->own_loss) > 0)
        rc = informative(c, "loss_this_year", inc->own_loss, t);
    return rc;
}

static fisc_status report(fiscp_ctx *c, route *r, int best, const cit_income *inc)
{
    static const char *const NAME_ZH[ROUTES] = { "基本税率", "高新技术企业15%税率", "小型微利企业优惠",
                                                 "西部大开发15%税率" };
    static const char *const NAME_EN[ROUTES] = { "standard rate", "high-tech enterprise 15% rate",
                                                 "small and micro enterprise relief", "western development 15% rate" };
    static const char *const AMOUNT[ROUTES] = { "tax_standard", "tax_hnte", "tax_small_micro", "tax_west" };
    fisc_decimal rounded[ROUTES + 1], *relief = &rounded[ROUTES]; /* one array: cleared with one test */
    fisc_status rc;

    for (int k = 0; k <= ROUTES; k++)
        fiscp_decimal_init(&rounded[k]);
    rc = income_amounts(c, inc, relief); /* relief is made below, after these */
    /* a route's tax is published when the route applies (tax_standard always); the relief below
       needs the standard and the chosen route's roundings even when a summary records neither */
    for (int k = 0; k < ROUTES && rc == FISC_OK; k++)
        if (r[k].known == 1 && (k == STANDARD || k == best || fiscp_amount_wanted(c, AMOUNT[k])) &&
            (rc = fiscp_round(c, AMOUNT[k], r[k].tax, &rounded[k])) == FISC_OK)
            rc = fiscp_amount(c, AMOUNT[k], &rounded[k], -1);
    if (rc == FISC_OK && best >= 0) {
        const char *pre_zh = "", *pre_en = "";

        rc = fiscp_decimal_sub(relief, &rounded[STANDARD], &rounded[best]);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, "tax", &rounded[best], FISC_CATEGORY_TAX_PAYABLE);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, "relief", relief, FISC_CATEGORY_TAX_RELIEF);
        fiscp_choice(c, ROUTE_ID[best]);
        fiscp_outcome(c, best == STANDARD ? FISC_OUTCOME_NOT_ELIGIBLE : FISC_OUTCOME_ELIGIBLE);
        if (inc->derived && fiscp_ctx_tracing(c)) {
            pre_zh = fiscp_ctx_printf(c, "应纳税所得额 %s 元；", fiscp_money(c, inc->value));
            pre_en = fiscp_ctx_printf(c, "taxable income %s yuan; ", fiscp_money(c, inc->value));
        }
        fiscp_summary(c,
                      SHOWN(c, fiscp_ctx_printf(c, "%s适用%s：应纳税额 %s 元，较基本税率少缴 %s 元", pre_zh, NAME_ZH[best],
                                                fiscp_money(c, &rounded[best]), fiscp_money(c, relief))),
                      SHOWN(c, fiscp_ctx_printf(c, "%s%s applies: tax %s yuan, %s less than at the standard rate",
                                                pre_en, NAME_EN[best], fiscp_money(c, &rounded[best]),
                                                fiscp_money(c, relief))));
    } else if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        fiscp_summary(c, "缺少事实，无法确定适用哪一税率优惠", "facts are missing to decide which reduced rate applies");
    }
    fiscp_decimal_clear_n(rounded, ROUTES + 1);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *rate;
    fisc_decimal v[V_COUNT], *base = &v[V_BASE];
    cit_income inc;
    route r[ROUTES];
    fisc_status rc;

    for (int k = 0; k < V_COUNT; k++)
        fiscp_decimal_init(&v[k]);
    inc.known = inc.derived = inc.losses = 0;
    inc.why_zh = inc.why_en = NULL;
    inc.value = &v[V_INCOME];
    inc.used = &v[V_USED];
    inc.own_loss = &v[V_OWN_LOSS];
    for (int k = 0; k < ROUTES; k++) {
        r[k].tax = &v[V_TAX + k];
        r[k].known = 0;
    }
    if ((rc = taxable_income(c, &inc)) != FISC_OK)
        goto out;
    if (!inc.known) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        rc = fiscp_summary(c, inc.why_zh, inc.why_en);
        goto out;
    }
    /* a loss owes no tax: every route works on max(income, 0) */
    if (fiscp_decimal_sign(inc.value) > 0)
        rc = fiscp_decimal_set(base, inc.value, NULL);
    r[STANDARD].known = 1;
    if (rc == FISC_OK)
        rc = fiscp_param_value(c, P_RATE_STANDARD, &rate);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(r[STANDARD].tax, base, rate, NULL);
    if (rc == FISC_OK)
        rc = STEP(c, "standard.tax", "基本税率税额", "Standard route",
                  "应纳税所得额 × 基本税率 / taxable income × standard rate",
                  fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, base), fiscp_percent(c, rate)), r[STANDARD].tax);
    if (rc == FISC_OK)
        rc = hnte_route(c, base, &r[HNTE]);
    if (rc == FISC_OK)
        rc = small_micro_route(c, base, &r[SMALL_MICRO]);
    if (rc == FISC_OK)
        rc = west_route(c, base, &r[WEST]);
    if (rc == FISC_OK)
        rc = report(c, r, choose(r), &inc);
out:
    fiscp_decimal_clear_n(v, V_COUNT);
    return rc;
}

const fiscp_program fiscp_program_cit = { "cn.cit", PARAMS, P_COUNT, evaluate, AFTER, READS };
