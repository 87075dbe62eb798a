/*
 * Program cn.cit: corporate income tax with the rate choice.
 *
 * Clauses implemented (texts and URLs in policies/cn-cit.yaml, policy-params.md §4.2, §4.4):
 * - 《中华人民共和国企业所得税法》第四条: the standard rate, 25%.
 * - 同法 第二十八条 第二款: 15% for a 高新技术企业 (HNTE) whose certificate is valid in the year
 *   (国科发火〔2016〕32号: valid for three years; the year of issue is the first).
 * - 同法 第二十八条 第一款 and 财税〔2019〕13号 二: 小型微利企业 — not in a restricted or prohibited
 *   industry, 应纳税所得额 ≤ 300万元, 从业人数 ≤ 300, 资产总额 ≤ 5000万元, headcount and assets
 *   as the average of quarterly averages ((start + end) / 2); the income counted at a share by
 *   bracket (13号; 2021年第12号; 2022年第13号; 2023年第6号; 2023年第12号, to 2027-12-31), taxed at 20%.
 *   Not marginal relief above 300万: the enterprise is then simply not 小型微利 (a cliff).
 * - Quarterly prepayment: the tests run on the position cumulative to the end of the quarter
 *   (income to date; headcount and assets averaged over the quarters so far).
 * - HNTE 15% and 小型微利 are never stacked; the more favourable applies (policy-params §4.2).
 *
 * Every route is computed exactly; the choice is made on exact amounts; each reported amount is
 * rounded once by the program's rounding rule.
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
};

typedef struct route {
    int known;          /* 1: applies; 0: does not; -1: unknown (facts missing) */
    fisc_decimal tax;   /* exact */
} route;

enum { STANDARD, HNTE, SMALL_MICRO, ROUTES };

static const char *const ROUTE_ID[ROUTES] = { "standard", "hnte", "small_micro" };

static fisc_status cond(fiscp_ctx *c, const char *id, const char *zh, const char *en, int state, const char *detail)
{
    return fiscp_condition(c, id, zh, en, state < 0 ? FISC_COND_UNKNOWN : state ? FISC_COND_MET : FISC_COND_NOT_MET,
                           detail);
}

/* Average of quarterly averages over the quarters given (1..last); -1 unknown. */
static int quarterly_average(fiscp_ctx *c, fiscp_fact series, fiscp_fact fallback, fisc_decimal *avg, int *nq)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    int last = fiscp_ctx_quarter(c) ? fiscp_ctx_quarter(c) : 4, n = 0;
    fisc_decimal sum, k;
    const fisc_decimal *v;

    fisc_decimal_init(&sum);
    fisc_decimal_init(&k);
    for (int q = 1; q <= last; q++) {
        const fisc_decimal *s = fiscp_fact_quarter(f, series, q, 0), *e = fiscp_fact_quarter(f, series, q, 1);

        if (!s && !e)
            continue;
        if (!s || !e) {
            n = -1;
            break;
        }
        if (fisc_decimal_add(&sum, &sum, s, NULL) != FISC_OK || fisc_decimal_add(&sum, &sum, e, NULL) != FISC_OK) {
            n = -1;
            break;
        }
        n++;
    }
    *nq = n;
    if (n > 0) {
        fisc_decimal_set_int(&k, 2 * n); /* Σ (start + end) / 2 / n */
        n = fisc_decimal_div(avg, &sum, &k, NULL) == FISC_OK;
    } else if ((v = fiscp_fact_decimal(f, fallback)) != NULL) {
        n = fisc_decimal_set(avg, v, NULL) == FISC_OK;
        *nq = 0;
    } else {
        fiscp_missing(c, series);
        n = -1;
    }
    fisc_decimal_clear(&sum);
    fisc_decimal_clear(&k);
    return n > 0 ? 1 : -1;
}

/* v <= limit as a condition; state -1 when v is unknown. */
static fisc_status limit_cond(fiscp_ctx *c, const char *id, const char *zh, const char *en, int known,
                              const fisc_decimal *v, const fisc_decimal *limit, int *state)
{
    *state = known < 0 ? -1 : fisc_decimal_cmp(v, limit) <= 0;
    return cond(c, id, zh, en, *state,
                *state < 0 ? "unknown" : fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, v), *state ? "≤" : ">",
                                                          fiscp_text(c, limit)));
}

static fisc_status hnte_route(fiscp_ctx *c, const fisc_decimal *base, route *r)
{
    const fisc_decimal *years, *rate;
    fiscp_date cert;
    int64_t validity;
    int y = fiscp_ctx_year(c), from, to;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_HNTE_YEARS, &years)) != FISC_OK)
        return rc;
    if (!fiscp_fact_date(fiscp_ctx_facts(c), FACT_HNTE_CERTIFICATE_DATE, &cert)) {
        r->known = 0;
        return cond(c, "hnte.valid", "高新技术企业资格在有效期内", "High-tech enterprise status valid in the year", 0,
                    "no certificate (hnte_certificate_date not given)");
    }
    from = cert / 10000;
    if (!fiscp_decimal_get_int64(&validity, years) || validity < 1 || validity > 100)
        return fiscp_fail(c, FISC_EINVAL, "hnte.validity_years is not a whole number of years");
    to = from + (int)validity - 1;
    r->known = from <= y && y <= to && cert <= fiscp_ctx_date(c);
    if ((rc = cond(c, "hnte.valid", "高新技术企业资格在有效期内", "High-tech enterprise status valid in the year", r->known,
                   fiscp_ctx_printf(c, "certificate %04d-%02d-%02d, valid for tax years %d-%d", from, cert / 100 % 100,
                                    cert % 100, from, to))) != FISC_OK ||
        !r->known)
        return rc;
    if ((rc = fiscp_param_value(c, P_RATE_HNTE, &rate)) != FISC_OK ||
        (rc = fisc_decimal_mul(&r->tax, base, rate, NULL)) != FISC_OK)
        return rc;
    return fiscp_step(c, "hnte.tax", "高新技术企业税额", "High-tech enterprise route",
                      "应纳税所得额 × 高新技术企业税率 / taxable income × HNTE rate",
                      fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, base), fiscp_percent(c, rate)), &r->tax);
}

/* The 小型微利 tests; *state 1 eligible, 0 not, -1 unknown. */
static fisc_status small_micro_tests(fiscp_ctx *c, const fisc_decimal *income, int *state)
{
    const fisc_decimal *max_income, *max_emp, *max_assets;
    fisc_decimal emp, assets;
    int restricted, s1, s2, s3, s4, ke, ka, nq;
    fisc_status rc;

    fisc_decimal_init(&emp);
    fisc_decimal_init(&assets);
    if ((rc = fiscp_param_value(c, P_MAX_INCOME, &max_income)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_MAX_EMPLOYEES, &max_emp)) != FISC_OK ||
        (rc = fiscp_param_value(c, P_MAX_ASSETS, &max_assets)) != FISC_OK)
        goto out;
    s1 = fiscp_need_bool(c, FACT_INDUSTRY_RESTRICTED, &restricted) ? !restricted : -1;
    if ((rc = cond(c, "small_micro.industry", "不属于国家限制或禁止行业", "Not in a restricted or prohibited industry",
                   s1, s1 < 0 ? "unknown" : restricted ? "restricted" : "not restricted")) != FISC_OK)
        goto out;
    if ((rc = limit_cond(c, "small_micro.taxable_income", "应纳税所得额不超过上限", "Taxable income within the limit",
                         1, income, max_income, &s2)) != FISC_OK)
        goto out;
    ke = quarterly_average(c, FACT_EMPLOYEES, FACT_EMPLOYEES_AVERAGE, &emp, &nq);
    if ((rc = limit_cond(c, "small_micro.employees", "从业人数季度平均值不超过上限", "Average employees within the limit",
                         ke, &emp, max_emp, &s3)) != FISC_OK)
        goto out;
    ka = quarterly_average(c, FACT_ASSETS, FACT_ASSETS_AVERAGE, &assets, &nq);
    if ((rc = limit_cond(c, "small_micro.assets", "资产总额季度平均值不超过上限", "Average total assets within the limit",
                         ka, &assets, max_assets, &s4)) != FISC_OK)
        goto out;
    *state = (s1 == 0 || s2 == 0 || s3 == 0 || s4 == 0) ? 0 : (s1 < 0 || s3 < 0 || s4 < 0) ? -1 : 1;
out:
    fisc_decimal_clear(&emp);
    fisc_decimal_clear(&assets);
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
    fisc_decimal_init(&counted);
    /* computed even when a fact is missing: it tells whether the missing fact matters */
    rc = fiscp_param_scale(c, P_SHARE, income, &counted, &terms);
    if (rc == FISC_OK)
        rc = fiscp_param_value(c, P_RATE_SMALL_MICRO, &rate);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&r->tax, &counted, rate, NULL);
    if (rc == FISC_OK)
        rc = fiscp_step(c, "small_micro.tax", "小型微利企业税额", "Small and micro enterprise route",
                        "分段计入应纳税所得额的部分 × 小型微利企业税率 / the share of income counted, by bracket, × the small and micro enterprise rate",
                        fiscp_ctx_printf(c, "(%s) × %s", terms, fiscp_percent(c, rate)), &r->tax);
    fisc_decimal_clear(&counted);
    return rc;
}

/* The cheapest route that applies; -1 when a route with unknown eligibility would be cheaper. */
static int choose(const route *r)
{
    int best = STANDARD;

    for (int k = HNTE; k < ROUTES; k++)
        if (r[k].known == 1 && fisc_decimal_cmp(&r[k].tax, &r[best].tax) < 0)
            best = k;
    for (int k = HNTE; k < ROUTES; k++)
        if (r[k].known < 0 && fisc_decimal_cmp(&r[k].tax, &r[best].tax) < 0)
            return -1;
    return best;
}

static fisc_status report(fiscp_ctx *c, route *r, int best)
{
    static const char *const NAME_ZH[ROUTES] = { "基本税率", "高新技术企业15%税率", "小型微利企业优惠" };
    static const char *const NAME_EN[ROUTES] = { "standard rate", "high-tech enterprise 15% rate",
                                                 "small and micro enterprise relief" };
    static const char *const AMOUNT[ROUTES] = { "tax_standard", "tax_hnte", "tax_small_micro" };
    fisc_decimal rounded[ROUTES], relief;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&relief);
    for (int k = 0; k < ROUTES; k++)
        fisc_decimal_init(&rounded[k]);
    for (int k = 0; k < ROUTES && rc == FISC_OK; k++)
        if (r[k].known != 0 && (rc = fiscp_round(c, AMOUNT[k], &r[k].tax, &rounded[k])) == FISC_OK)
            rc = fiscp_amount(c, AMOUNT[k], &rounded[k], -1);
    if (rc == FISC_OK && best >= 0) {
        rc = fisc_decimal_sub(&relief, &rounded[STANDARD], &rounded[best], NULL);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, "tax", &rounded[best], FISC_CATEGORY_TAX_PAYABLE);
        if (rc == FISC_OK)
            rc = fiscp_amount(c, "relief", &relief, FISC_CATEGORY_TAX_RELIEF);
        fiscp_choice(c, ROUTE_ID[best]);
        fiscp_outcome(c, best == STANDARD ? FISC_OUTCOME_NOT_ELIGIBLE : FISC_OUTCOME_ELIGIBLE);
        fiscp_summary(c,
                      fiscp_ctx_printf(c, "适用%s：应纳税额 %s 元，较基本税率少缴 %s 元", NAME_ZH[best],
                                       fiscp_money(c, &rounded[best]), fiscp_money(c, &relief)),
                      fiscp_ctx_printf(c, "%s applies: tax %s yuan, %s less than at the standard rate", NAME_EN[best],
                                       fiscp_money(c, &rounded[best]), fiscp_money(c, &relief)));
    } else if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        fiscp_summary(c, "缺少事实，无法确定是否适用小型微利企业优惠",
                      "facts are missing to decide the small and micro enterprise relief");
    }
    for (int k = 0; k < ROUTES; k++)
        fisc_decimal_clear(&rounded[k]);
    fisc_decimal_clear(&relief);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *income = fiscp_need_decimal(c, FACT_TAXABLE_INCOME), *rate;
    fisc_decimal base;
    route r[ROUTES];
    fisc_status rc;

    if (!income) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少应纳税所得额", "taxable income is missing");
    }
    fisc_decimal_init(&base);
    for (int k = 0; k < ROUTES; k++) {
        fisc_decimal_init(&r[k].tax);
        r[k].known = 0;
    }
    /* a loss owes no tax: every route works on max(income, 0) */
    if (fisc_decimal_sign(income) > 0)
        rc = fisc_decimal_set(&base, income, NULL);
    else
        rc = FISC_OK;
    r[STANDARD].known = 1;
    if (rc == FISC_OK)
        rc = fiscp_param_value(c, P_RATE_STANDARD, &rate);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&r[STANDARD].tax, &base, rate, NULL);
    if (rc == FISC_OK)
        rc = fiscp_step(c, "standard.tax", "基本税率税额", "Standard route", "应纳税所得额 × 基本税率 / taxable income × standard rate",
                        fiscp_ctx_printf(c, "%s × %s", fiscp_text(c, &base), fiscp_percent(c, rate)), &r[STANDARD].tax);
    if (rc == FISC_OK)
        rc = hnte_route(c, &base, &r[HNTE]);
    if (rc == FISC_OK)
        rc = small_micro_route(c, &base, &r[SMALL_MICRO]);
    if (rc == FISC_OK)
        rc = report(c, r, choose(r));
    for (int k = 0; k < ROUTES; k++)
        fisc_decimal_clear(&r[k].tax);
    fisc_decimal_clear(&base);
    return rc;
}

const fiscp_program fiscp_program_cit = { "cn.cit", PARAMS, P_COUNT, evaluate, NULL };
