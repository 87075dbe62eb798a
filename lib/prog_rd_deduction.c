/*
 * Program cn.rd_deduction: 研发费用加计扣除, the R&D super-deduction of corporate income tax.
 *
 * Clauses implemented (values, dates, citations and statuses in policies/11-national-rd.yaml; policy-params.md
 * §4.1, conventions.md §7):
 * - Rule shape (企业所得税法实施条例 第九十五条 with the rules below): expensed R&D is deducted as incurred plus
 *   an extra X%; an intangible asset formed by R&D is amortised at (100 + X)%, so the extra is X% of the year's
 *   amortisation (at least 10 years, 第六十七条). X by tax year and class, the highest rate in force among the classes that apply (a class
 *   rate is a parameter in force only in the years of its own rule, tested with fiscp_param_in_force):
 *   财税〔2015〕119号 一(一) 50% (2016-2017; the 2016 start UNCONFIRMED); 财税〔2017〕34号 75% for 科技型中小企业
 *   (2017-2019; UNCONFIRMED);
 *   财税〔2018〕99号 and 2021年第6号 75% (2018-2022); 2021年第13号 第一条 100% for manufacturing (2021-2022);
 *   2022年第16号 一 100% for 科技型中小企业 (2022); 2023年第7号 一 100% for all (from 2023, permanent);
 *   2023年第44号 一 120% for 集成电路 and 工业母机 enterprises (2023-2027). Classes never stack.
 * - 2022年第28号 二: R&D of 2022-10-01..12-31 of an enterprise on 75% gets 100%; at the annual filing the Q4
 *   part is either the amount actually incurred or annual R&D × months operated from October / months
 *   operated in the year; this program computes both when the facts allow and takes the larger. The raise is
 *   applied to expensed R&D (in-house and contracted out), not to amortisation (28号 does not say: UNCONFIRMED).
 * - 国家税务总局公告2015年第97号 二(三) (to 2020): 其他相关费用 per project may not exceed
 *   (categories 1-5) × 10% / (1 - 10%); 国家税务总局公告2021年第28号 (from 2021): the same limit over all
 *   projects pooled. Capitalised projects that form an intangible asset in the year join the pool, and each
 *   project's allowed other costs are its actual other costs × (allowed / actual, over the pool) (所得税司
 *   阳民, 2021-09-18). policy-params §4.1 step (3) divides by the other costs "of all capitalized projects";
 *   this program divides by those of the whole pool, which is the same when every project is capitalised and
 *   does not hand the expensed projects' allowance to the capitalised ones otherwise (reading UNCONFIRMED).
 * - 财税〔2015〕119号, 财税〔2018〕64号: R&D contracted out in China counts at 80% (a related-party contractor
 *   must give the cost breakdown); contracted out to overseas organisations (from 2018: no rule is in force
 *   before, and nothing counts; the contract registered as a 技术开发合同) at 80%, up to 2/3 of the qualifying domestic R&D, taken here as the in-house expensed
 *   R&D after the 10% limit plus the domestic contracted-out R&D at 80% (UNCONFIRMED composition and order).
 * - 财税〔2015〕119号 第四条 and 97号 第四条: no deduction when the revenue of the negative-list industries
 *   (烟草制造业, 住宿和餐饮业, 批发和零售业, 房地产业, 租赁和商务服务业, 娱乐业, by GB/T 4754) together is above
 *   50% (不含) of 收入总额 − 不征税收入 − 投资收益. The industries are matched by code prefix in the edition of
 *   GB/T 4754 the facts name: 娱乐业 is R89 in 2011 and R90 in 2017 (NEGATIVE below: the codes are the
 *   standard's, not numbers of the policy; the policy format has no list parameter a program could read).
 * - 2021年第13号: a manufacturing enterprise has revenue of GB/T 4754 section C of at least 50% of 收入总额.
 * - 核定征收 (deemed-profit) enterprises are excluded (rd.deemed_profit.excluded, UNCONFIRMED), read through the
 *   fact cit_deemed_profit that lib/vocab/cit.def defines (absent: 查账征收).
 * - When to claim (the cited page of 2023): at the July prepayment (first half), the October prepayment (first
 *   three quarters) or the annual filing; never at the first- or fourth-quarter prepayment. A prepayment whose
 *   parameter is not in force is no claim point: the October claim of 2021-2022 (2021年第28号 一) is
 *   UNCONFIRMED, and before 2021 (October) or 2023 (July) none is in force (rd.claim.*).
 * - Years before the policy's first rate (2016) are undetermined, not failed: the other programs still run.
 *
 * Facts: the vocabulary has no list type, so up to five projects have fixed slots (rd_p1_* .. rd_p5_*: the six
 * cost categories and whether the project was capitalised) and rd_project_count says how many are used; the
 * same slots serve both rules (pooled = summed over the slots), and docs/facts.md says how to fit more projects.
 * Revenue by industry comes as up to five lines (industry_revenue_N_code / _amount) with the GB/T 4754
 * edition. Amounts are for the tax year, or at a prepayment cumulative from January.
 *
 * Published amounts (all informative, category -1; rounded once each): extra_deduction (the total, read by
 * cn.cit), extra_expensed, extra_contracted, extra_overseas, extra_amortisation, extra_q4_raise (2022),
 * expensed_base, capitalised_base, other_costs_cap, other_costs_allowed and tax_effect_standard, an estimate
 * of the tax saved at the standard rate (cn.cit computes the exact effect on the route it chooses).
 */
#include <stddef.h>
#include <string.h>

#include "decimal.h"
#include "engine.h"

enum {
    P_RATE_GENERAL,
    P_RATE_Q4_RAISE,
    P_RATE_TECH_SME,
    P_RATE_MANUFACTURING,
    P_RATE_IC,
    P_OTHER_LIMIT,
    P_OTHER_POOLED,
    P_CONTRACTED_SHARE,
    P_OVERSEAS_SHARE,
    P_OVERSEAS_CAP,
    P_NEGATIVE_SHARE,
    P_MANUFACTURING_SHARE,
    P_DEEMED_EXCLUDED,
    P_CLAIM_HALF_YEAR,
    P_CLAIM_THREE_QUARTERS,
    P_CIT_RATE,
    P_COUNT
};

static const char *const PARAMS[P_COUNT] = {
    [P_RATE_GENERAL] = "rd.extra_rate.general",
    [P_RATE_Q4_RAISE] = "rd.extra_rate.q4_raise",
    [P_RATE_TECH_SME] = "rd.extra_rate.tech_sme",
    [P_RATE_MANUFACTURING] = "rd.extra_rate.manufacturing",
    [P_RATE_IC] = "rd.extra_rate.ic_machine_tool",
    [P_OTHER_LIMIT] = "rd.other_costs.limit_rate",
    [P_OTHER_POOLED] = "rd.other_costs.pooled",
    [P_CONTRACTED_SHARE] = "rd.contracted.eligible_share",
    [P_OVERSEAS_SHARE] = "rd.overseas.eligible_share",
    [P_OVERSEAS_CAP] = "rd.overseas.cap_share",
    [P_NEGATIVE_SHARE] = "rd.negative_list.main_business_share",
    [P_MANUFACTURING_SHARE] = "rd.manufacturing.main_business_share",
    [P_DEEMED_EXCLUDED] = "rd.deemed_profit.excluded",
    [P_CLAIM_HALF_YEAR] = "rd.claim.half_year_prepayment",
    [P_CLAIM_THREE_QUARTERS] = "rd.claim.three_quarter_prepayment",
    [P_CIT_RATE] = "cit.rate.standard",
};

/* ------------------------------------------------------------------ the facts' slots */

#define PROJECTS 5
#define LINES 5

enum { CAT_PERSONNEL, CAT_DIRECT, CAT_DEPRECIATION, CAT_AMORTISATION, CAT_DESIGN, CAT_OTHER, CATEGORIES };

#define PROJECT_ROW(k)                                                                                        \
    { FACT_RD_P##k##_PERSONNEL, FACT_RD_P##k##_DIRECT, FACT_RD_P##k##_DEPRECIATION, FACT_RD_P##k##_AMORTISATION, \
      FACT_RD_P##k##_DESIGN, FACT_RD_P##k##_OTHER }
static const fiscp_fact PROJECT_COST[PROJECTS][CATEGORIES] = {
    PROJECT_ROW(1), PROJECT_ROW(2), PROJECT_ROW(3), PROJECT_ROW(4), PROJECT_ROW(5),
};
#undef PROJECT_ROW
static const fiscp_fact PROJECT_CAPITALISED[PROJECTS] = {
    FACT_RD_P1_CAPITALISED, FACT_RD_P2_CAPITALISED, FACT_RD_P3_CAPITALISED,
    FACT_RD_P4_CAPITALISED, FACT_RD_P5_CAPITALISED,
};
static const char *const PROJECT_STEP[PROJECTS] = {
    "project1.base", "project2.base", "project3.base", "project4.base", "project5.base",
};
static const fiscp_fact LINE_CODE[LINES] = {
    FACT_INDUSTRY_REVENUE_1_CODE, FACT_INDUSTRY_REVENUE_2_CODE, FACT_INDUSTRY_REVENUE_3_CODE,
    FACT_INDUSTRY_REVENUE_4_CODE, FACT_INDUSTRY_REVENUE_5_CODE,
};
static const fiscp_fact LINE_AMOUNT[LINES] = {
    FACT_INDUSTRY_REVENUE_1_AMOUNT, FACT_INDUSTRY_REVENUE_2_AMOUNT, FACT_INDUSTRY_REVENUE_3_AMOUNT,
    FACT_INDUSTRY_REVENUE_4_AMOUNT, FACT_INDUSTRY_REVENUE_5_AMOUNT,
};

/*
 * The negative list of 财税〔2015〕119号 第四条 as GB/T 4754 code prefixes, per edition (conventions.md §7):
 * a code starting with a prefix is in the industry. Section K is 房地产业 (division 70) alone in both editions.
 * In the order of the sections: a search stops at the first section after the code's.
 */
enum { EDITION_2011, EDITION_2017, EDITIONS };

static const struct {
    const char *prefix[EDITIONS];
    char section; /* the letter both prefixes begin with: a code of another section is not in the industry */
    const char *zh;
} NEGATIVE[] = {
    { { "C16", "C16" }, 'C', "烟草制品业" },
    { { "F", "F" }, 'F', "批发和零售业" },
    { { "H", "H" }, 'H', "住宿和餐饮业" },
    { { "K", "K" }, 'K', "房地产业" },
    { { "L", "L" }, 'L', "租赁和商务服务业" },
    { { "R89", "R90" }, 'R', "娱乐业" },
};

/* 制造业 is section C of GB/T 4754 (2011 and 2017). */
#define MANUFACTURING_SECTION 'C'

/* ------------------------------------------------------------------ the enterprise classes */

enum { CLASS_GENERAL, CLASS_IC, CLASS_MANUFACTURING, CLASS_TECH_SME, CLASSES };

static const struct {
    const char *zh, *en;
} CLASS_NAME[CLASSES] = {
    [CLASS_GENERAL] = { "一般企业", "eligible enterprises generally" },
    [CLASS_IC] = { "集成电路企业或工业母机企业", "integrated-circuit or machine-tool enterprise" },
    [CLASS_MANUFACTURING] = { "制造业企业", "manufacturing enterprise" },
    [CLASS_TECH_SME] = { "科技型中小企业", "technology-based SME" },
};

/* ------------------------------------------------------------------ the evaluation's state */

/* Exact values, by index (all initialised and cleared together). */
enum {
    D_ONE_MINUS,   /* 1 − the other-cost limit rate: the limit is categories 1-5 × rate / (1 − rate) */
    D_LIMIT,       /* the limit on other related costs: pooled, or the sum of the per-project limits */
    D_ALLOWED,     /* other related costs allowed, all projects */
    D_EXP_BASE,    /* expensed in-house R&D that qualifies: categories 1-5 + other costs allowed */
    D_CAP_BASE,    /* the same for projects capitalised in the period: the asset's super-amortised cost */
    D_DOMESTIC,    /* R&D contracted out in China, as counted (80%) */
    D_OVERSEAS,    /* R&D contracted out overseas, as counted (80%, capped) */
    D_RAISE,       /* the extra for October-December at the higher rate (2022) */
    D_EXTRA_EXP,
    D_EXTRA_CON,
    D_EXTRA_OVS,
    D_EXTRA_AMORT,
    D_TOTAL,
    D_A, D_B, D_C, D_E, D_F, D_G, /* scratch */
    D_COUNT
};

enum { LINE_EMPTY, LINE_OK, LINE_INCOMPLETE, LINE_BAD };

typedef struct line {
    const char *code;
    const fisc_decimal *amount;
    int state;
} line;

typedef struct rd {
    fiscp_ctx *c;
    const fisc_facts *f;
    int trace;           /* the explanation is recorded: texts and steps are made */
    fisc_status arith;   /* the first failure of exact arithmetic (sticky) */
    const fisc_decimal *rate; /* the extra-deduction rate for the year (a parameter's value) */
    int rate_is_one;     /* the rate is exactly 100%: an extra is its base */
    int nprojects, costs_known;
    int any_capitalised;
    const fisc_decimal *contracted, *related, *overseas, *amortisation;
    int nlines;
    int excluded;        /* a condition that excludes the enterprise is not met */
    int unknown;         /* a condition that could change the amount is unknown */
    int klass;           /* CLASS_* giving the rate */
    int raised;          /* the October-December raise applies */
    int allowed_is_cap;  /* the pooled limit binds: the other costs allowed are a copy of it */
    const char *q4_method;
    fisc_decimal d[D_COUNT]; /* evaluate() zeroes what comes before these, and initialises them */
    /* Written before they are read (the lines all, the projects up to nprojects): not zeroed. */
    line lines[LINES];
    const fisc_decimal *cost[PROJECTS][CATEGORIES];
    int capitalised[PROJECTS];
} rd;

#define D(s, k) (&(s)->d[k])

/*
 * Texts that only the explanation shows (a condition's values compared, a step): without it they
 * are not made, and their arguments are not even evaluated (fiscp_ctx_printf and fiscp_step would
 * return "" and FISC_OK, but only after every fiscp_text and fiscp_percent of the call had run).
 */
#define SHOWN(s, text) ((s)->trace ? (text) : "")
#define STEP(s, ...) ((s)->trace ? fiscp_step((s)->c, __VA_ARGS__) : FISC_OK)

/* Exact arithmetic with a sticky status: after a failure the others do nothing. */
static void add(rd *s, fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    if (s->arith == FISC_OK)
        s->arith = fisc_decimal_add(r, a, b, NULL);
}

static void sub(rd *s, fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    if (s->arith == FISC_OK)
        s->arith = fisc_decimal_sub(r, a, b, NULL);
}

static void mul(rd *s, fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    if (s->arith == FISC_OK)
        s->arith = fisc_decimal_mul(r, a, b, NULL);
}

static void quot(rd *s, fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    if (s->arith == FISC_OK)
        s->arith = fisc_decimal_div(r, a, b, NULL);
}

static void lesser(rd *s, fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    if (s->arith == FISC_OK)
        s->arith = fisc_decimal_min(r, a, b, NULL);
}

static void copy(rd *s, fisc_decimal *r, const fisc_decimal *a)
{
    if (s->arith == FISC_OK)
        s->arith = fiscp_decimal_set(r, a, NULL);
}

/*
 * sum += v, for the sums of costs: most terms are zero (a cost category, a kind of project, a kind
 * of extra), and the first term is the sum. 0 + v and sum + 0 are exact without an addition.
 */
static FISCP_ALWAYS_INLINE void add_to(rd *s, fisc_decimal *sum, const fisc_decimal *v)
{
    if (fiscp_decimal_sign(v) == 0 || s->arith != FISC_OK)
        return;
    if (fiscp_decimal_sign(sum) == 0)
        copy(s, sum, v);
    else if (!fiscp_decimal_add_small64(sum, v))
        add(s, sum, sum, v);
}

/* A decimal fact the evaluation needs: recorded as missing when absent (fiscp_need_decimal, inline). */
static inline const fisc_decimal *need_decimal(rd *s, fiscp_fact id)
{
    const fisc_decimal *v = fiscp_fact_decimal(s->f, id);

    if (!v)
        fiscp_missing(s->c, id);
    return v;
}

static FISCP_ALWAYS_INLINE int is_zero(const fisc_decimal *v)
{
    return !v || fiscp_decimal_sign(v) == 0;
}

/* 1 when v is exactly 1, at any scale ("100%" is 100 at scale 2). */
static int is_one(const fisc_decimal *v)
{
    static const int64_t POW10[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                     10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
                                     1000000000000000, 10000000000000000, 100000000000000000,
                                     1000000000000000000 };
    int64_t coef;
    int scale;

    /* not SMALL at 64 bits (a fraction, or a 1 held otherwise): not taken as 1, which only loses a shortcut */
    return fiscp_decimal_small64(&coef, &scale, v) && scale >= 0 && (size_t)scale < FISCP_ARRAY_SIZE(POW10) &&
           coef == POW10[scale];
}

static FISCP_ALWAYS_INLINE fisc_status cond(rd *s, const char *id, const char *zh, const char *en, int state,
                                            const char *detail)
{
    return fiscp_condition(s->c, id, zh, en,
                           state < 0 ? FISC_COND_UNKNOWN : state ? FISC_COND_MET : FISC_COND_NOT_MET, detail);
}

static const char *text(rd *s, const fisc_decimal *v)
{
    return fiscp_text(s->c, v);
}

/* ------------------------------------------------------------------ who may claim, and when */

static fisc_status claim_time(rd *s)
{
    int q = fiscp_ctx_quarter(s->c), allowed = 0;
    const fisc_decimal *v;
    fisc_status rc;

    if (q == 0)
        return FISC_OK; /* the annual filing */
    if (q == 2 || q == 3) { /* no rule in force: not yet a claim point */
        int param = q == 2 ? P_CLAIM_HALF_YEAR : P_CLAIM_THREE_QUARTERS;

        if (fiscp_param_in_force(s->c, param)) {
            if ((rc = fiscp_param_value(s->c, param, &v)) != FISC_OK)
                return rc;
            allowed = fiscp_decimal_sign(v) > 0;
        }
    }
    s->excluded |= !allowed;
    return cond(s, "rd.claim_time", "本期预缴申报可享受加计扣除", "Claimable at this prepayment", allowed,
                SHOWN(s, allowed ? fiscp_ctx_printf(s->c, "prepayment for Q%d: claimable on the R&D from January", q)
                                 : fiscp_ctx_printf(s->c, "prepayment for Q%d: not a claim point (claimed at the %s)",
                                                    q, q == 1 || q == 4 ? "July or October prepayment or the annual filing"
                                                                        : "annual filing or a later prepayment")));
}

static fisc_status deemed_profit(rd *s)
{
    int deemed = 0, known = fiscp_fact_bool(s->f, FACT_CIT_DEEMED_PROFIT, &deemed), excluded = 0;
    const fisc_decimal *v;
    fisc_status rc;

    if (known && deemed) {
        if ((rc = fiscp_param_value(s->c, P_DEEMED_EXCLUDED, &v)) != FISC_OK)
            return rc;
        excluded = fiscp_decimal_sign(v) > 0;
    }
    s->excluded |= excluded;
    return cond(s, "rd.audited", "查账征收（非核定征收）", "Tax levied on the books, not on deemed profit", !excluded,
                !known   ? "cit_deemed_profit not given: 查账征收"
                : deemed ? (excluded ? "核定征收 (cit_deemed_profit true)" : "核定征收, not excluded by the policy")
                         : "查账征收 (cit_deemed_profit false)");
}

/* ------------------------------------------------------------------ revenue by industry */

/* A GB/T 4754 code as this program reads it: a section letter A-T and 0, 2, 3 or 4 digits. */
static int valid_code(const char *code)
{
    size_t n;

    if (code[0] < 'A' || code[0] > 'T')
        return 0;
    for (n = 1; code[n]; n++)
        if (n == 5 || code[n] < '0' || code[n] > '9')
            return 0;
    return n != 2; /* n characters */
}

/* Line k of revenue by industry, read once (the negative list reads them; the manufacturing test after it). */
static inline void read_line(rd *s, int k)
{
    line *l = &s->lines[k];

    l->code = fiscp_fact_text(s->f, LINE_CODE[k]);
    l->amount = fiscp_fact_decimal(s->f, LINE_AMOUNT[k]);
    l->state = !l->code && !l->amount        ? LINE_EMPTY
             : l->code && !valid_code(l->code) ? LINE_BAD
             : l->code && l->amount            ? LINE_OK
                                               : LINE_INCOMPLETE;
}

/* Record what an incomplete or bad line lacks. */
static void lacking(rd *s, int k)
{
    const line *l = &s->lines[k];

    if (!l->code || l->state == LINE_BAD)
        fiscp_missing(s->c, LINE_CODE[k]); /* a code that is not one is as good as none */
    if (!l->amount)
        fiscp_missing(s->c, LINE_AMOUNT[k]);
}

/* A line that cannot be used: record what it lacks. 1 when the line is unusable. */
static inline int unusable(rd *s, int k)
{
    const line *l = &s->lines[k];

    if (l->state == LINE_OK || l->state == LINE_EMPTY)
        return 0;
    lacking(s, k);
    return 1;
}

/* 1: code is within prefix; -1: code is coarser and covers it (C for C16); 0: unrelated. */
static int within(const char *code, const char *prefix)
{
    for (size_t i = 0; prefix[i]; i++) {
        if (!code[i]) /* code is a proper prefix of prefix */
            return -1;
        if (code[i] != prefix[i])
            return 0;
    }
    return 1;
}

/* The GB/T 4754 edition the facts name (EDITION_*), or -1. */
static int edition_of(const fisc_facts *f)
{
    int edition = -1;

    if (fiscp_fact_enum(f, FACT_INDUSTRY_CODE_VERSION, &edition) && (edition < 0 || edition >= EDITIONS))
        edition = -1;
    return edition;
}

/*
 * Is a code in the negative list? 1 yes, 0 no, -1 too coarse to tell (a section that is listed in part),
 * -2 it depends on the edition, which is not known. *industry receives the listed industry's name. The
 * edition is read only for a code the two editions place differently.
 */
static int negative(const fisc_facts *f, const char *code, const char **industry)
{
    int r = 0, edition;

    for (size_t i = 0; i < FISCP_ARRAY_SIZE(NEGATIVE); i++) {
        const char *p11 = NEGATIVE[i].prefix[EDITION_2011], *p17 = NEGATIVE[i].prefix[EDITION_2017];
        int a, b, m;

        if (code[0] != NEGATIVE[i].section) { /* another section: within() is 0 for both editions */
            if (code[0] < NEGATIVE[i].section)
                break;
            continue;
        }
        a = within(code, p11);
        b = p17 == p11 ? a : within(code, p17); /* one literal for both editions (the linker merges equal ones) */
        m = a == b ? a : (edition = edition_of(f)) < 0 ? -2 : edition == EDITION_2011 ? a : b;

        if (m == 1) {
            *industry = NEGATIVE[i].zh;
            return 1;
        }
        if (m < 0 && r == 0)
            r = m;
    }
    return r;
}

static fisc_status negative_list(rd *s)
{
    const fisc_decimal *total, *non_taxable, *investment, *share;
    fisc_decimal *listed = D(s, D_A), *base = D(s, D_B), *limit = D(s, D_C);
    const char *names = "";
    int unresolved = 0, nlines = 0, state;
    fisc_status rc;

    fiscp_decimal_set_int(listed, 0);
    for (int k = 0; k < LINES; k++) {
        const char *industry = NULL;
        int m;

        read_line(s, k);
        if (s->lines[k].state == LINE_EMPTY)
            continue;
        nlines++;
        if (s->lines[k].state != LINE_OK) {
            lacking(s, k);
            unresolved = 1;
            continue;
        }
        m = negative(s->f, s->lines[k].code, &industry);
        if (m == 1) {
            add(s, listed, listed, s->lines[k].amount);
            names = SHOWN(s, fiscp_ctx_printf(s->c, "%s%s%s %s", names, *names ? ", " : "", s->lines[k].code,
                                              industry));
        } else if (m == -2) {
            fiscp_missing(s->c, FACT_INDUSTRY_CODE_VERSION);
            unresolved = 1;
        } else if (m == -1) {
            fiscp_missing(s->c, LINE_CODE[k]);
            unresolved = 1;
        }
    }
    s->nlines = nlines;
    if (nlines == 0) { /* nothing is known of the industry (and nothing recorded above) */
        fiscp_missing(s->c, LINE_CODE[0]);
        fiscp_missing(s->c, LINE_AMOUNT[0]);
        unresolved = 1;
    }
    if (is_zero(listed) && !unresolved)
        return cond(s, "rd.negative_list", "不属于负面清单行业", "Not in a negative-list industry", 1,
                    "no revenue from the negative-list industries");
    total = need_decimal(s, FACT_INCOME_TOTAL);
    non_taxable = need_decimal(s, FACT_INCOME_NON_TAXABLE);
    investment = need_decimal(s, FACT_INCOME_INVESTMENT);
    if (!total || !non_taxable || !investment) {
        s->unknown = 1;
        return cond(s, "rd.negative_list", "不属于负面清单行业", "Not in a negative-list industry", -1,
                    SHOWN(s, fiscp_ctx_printf(s->c, "negative-list revenue %s (%s); income facts missing",
                                              text(s, listed), *names ? names : "none known")));
    }
    if ((rc = fiscp_param_value(s->c, P_NEGATIVE_SHARE, &share)) != FISC_OK)
        return rc;
    sub(s, base, total, non_taxable);
    sub(s, base, base, investment);
    mul(s, limit, base, share);
    if (s->arith != FISC_OK)
        return FISC_OK;
    /* strictly above the share (不含) excludes; more lines could only add listed revenue */
    state = fiscp_decimal_sign(listed) > 0 && fiscp_decimal_cmp(listed, limit) > 0 ? 0 : unresolved ? -1 : 1;
    s->excluded |= state == 0;
    s->unknown |= state < 0;
    return cond(s, "rd.negative_list", "不属于负面清单行业（其收入占比未超过规定比例）",
                "Not in a negative-list industry (their revenue not above the share)", state,
                SHOWN(s, fiscp_ctx_printf(s->c, "%s (%s) %s %s × (%s − %s − %s) = %s%s", text(s, listed),
                                          *names ? names : "none", state == 0 ? ">" : "≤", fiscp_percent(s->c, share),
                                          text(s, total), text(s, non_taxable), text(s, investment), text(s, limit),
                                          state < 0 ? "; some lines unknown" : "")));
}

/* ------------------------------------------------------------------ the rate */

/* The parameter's value is the policy's, valid for the whole evaluation: borrowed, not copied. */
static void raise_to(rd *s, int klass, const fisc_decimal *rate)
{
    s->klass = klass;
    s->rate = rate;
}

/* A class given by a bool fact (集成电路/工业母机, 科技型中小企业). */
static FISCP_ALWAYS_INLINE fisc_status class_by_fact(rd *s, int klass, int param, fiscp_fact fact, const char *id,
                                                     const char *zh, const char *en)
{
    int member = 0, known = fiscp_fact_bool(s->f, fact, &member), higher;
    const fisc_decimal *rate;
    fisc_status rc;

    if (known && !member)
        return cond(s, id, zh, en, 0, "no");
    if (!fiscp_param_in_force(s->c, param)) /* no rate of its own in the year: the fact does not matter */
        return known ? cond(s, id, zh, en, 1, "yes; no rate of its own in the year") : FISC_OK;
    if ((rc = fiscp_param_value(s->c, param, &rate)) != FISC_OK)
        return rc;
    higher = fiscp_decimal_cmp(rate, s->rate) > 0;
    if (higher && !known) { /* it would raise the rate: the fact is needed */
        fiscp_missing(s->c, fact);
        s->unknown = 1;
    }
    if (higher && known)
        raise_to(s, klass, rate);
    return cond(s, id, zh, en, known ? 1 : -1,
                SHOWN(s, fiscp_ctx_printf(s->c, "%s; its rate %s%s", known ? "yes" : "unknown",
                                          fiscp_percent(s->c, rate),
                                          higher ? "" : " is not above the rate otherwise applying")));
}

/* 2021年第13号: section C revenue at least the share of 收入总额. Tested only when it could raise the rate. */
static fisc_status manufacturing(rd *s)
{
    const fisc_decimal *rate, *share, *total;
    fisc_decimal *manuf = D(s, D_A), *need = D(s, D_B);
    int unresolved = s->nlines == 0, state;
    fisc_status rc;

    if (!fiscp_param_in_force(s->c, P_RATE_MANUFACTURING))
        return FISC_OK;
    if ((rc = fiscp_param_value(s->c, P_RATE_MANUFACTURING, &rate)) != FISC_OK)
        return rc;
    if (fiscp_decimal_cmp(rate, s->rate) <= 0)
        return FISC_OK;
    if ((rc = fiscp_param_value(s->c, P_MANUFACTURING_SHARE, &share)) != FISC_OK)
        return rc;
    total = need_decimal(s, FACT_INCOME_TOTAL);
    if (s->nlines == 0) {
        fiscp_missing(s->c, LINE_CODE[0]);
        fiscp_missing(s->c, LINE_AMOUNT[0]);
    }
    fiscp_decimal_set_int(manuf, 0);
    for (int k = 0; k < LINES; k++) {
        if (unusable(s, k))
            unresolved = 1;
        else if (s->lines[k].state == LINE_OK && s->lines[k].code[0] == MANUFACTURING_SECTION)
            add(s, manuf, manuf, s->lines[k].amount);
    }
    if (total)
        mul(s, need, total, share);
    if (s->arith != FISC_OK)
        return FISC_OK;
    state = !total                               ? -1
          : fiscp_decimal_sign(total) <= 0       ? 0
          : fiscp_decimal_cmp(manuf, need) >= 0  ? 1
          : unresolved                           ? -1
                                                 : 0;
    if (state == 1)
        raise_to(s, CLASS_MANUFACTURING, rate);
    s->unknown |= state < 0;
    return cond(s, "rd.class.manufacturing", "制造业企业（制造业收入占收入总额达到规定比例）",
                "Manufacturing enterprise (section C revenue at least the share of total income)", state,
                !total ? "income_total unknown"
                       : SHOWN(s, fiscp_ctx_printf(s->c, "%s %s %s × %s = %s%s; its rate %s", text(s, manuf),
                                                   state == 1 ? "≥" : "<", fiscp_percent(s->c, share),
                                                   text(s, total), text(s, need),
                                                   state < 0 ? "; some lines unknown" : "", fiscp_percent(s->c, rate))));
}

static fisc_status choose_rate(rd *s)
{
    const fisc_decimal *general;
    fisc_status rc;

    if ((rc = fiscp_param_value(s->c, P_RATE_GENERAL, &general)) != FISC_OK)
        return rc;
    raise_to(s, CLASS_GENERAL, general);
    if ((rc = class_by_fact(s, CLASS_IC, P_RATE_IC, FACT_RD_IC_OR_MACHINE_TOOL, "rd.class.ic_machine_tool",
                            "集成电路企业或工业母机企业", "Integrated-circuit or machine-tool enterprise")) != FISC_OK ||
        (rc = manufacturing(s)) != FISC_OK ||
        (rc = class_by_fact(s, CLASS_TECH_SME, P_RATE_TECH_SME, FACT_RD_TECH_SME, "rd.class.tech_sme",
                            "科技型中小企业", "Technology-based SME")) != FISC_OK)
        return rc;
    s->rate_is_one = is_one(s->rate);
    return STEP(s, "rate", "加计扣除比例", "Extra-deduction rate",
                "适用类别中最高的加计扣除比例 / the highest rate among the classes that apply",
                fiscp_ctx_printf(s->c, "%s: %s", CLASS_NAME[s->klass].zh, fiscp_percent(s->c, s->rate)), s->rate);
}

/* ------------------------------------------------------------------ the costs */

static void read_costs(rd *s)
{
    const fisc_decimal *n = need_decimal(s, FACT_RD_PROJECT_COUNT);
    int64_t count = 0;

    s->costs_known = n && fiscp_decimal_get_int64(&count, n) && count >= 0 && count <= PROJECTS;
    s->nprojects = s->costs_known ? (int)count : 0;
    for (int p = 0; p < s->nprojects; p++) {
        for (int k = 0; k < CATEGORIES; k++)
            if (!(s->cost[p][k] = need_decimal(s, PROJECT_COST[p][k])))
                s->costs_known = 0;
        /* absent means expensed (docs/facts.md) */
        if (!fiscp_fact_bool(s->f, PROJECT_CAPITALISED[p], &s->capitalised[p]))
            s->capitalised[p] = 0;
        s->any_capitalised |= s->capitalised[p];
    }
    s->contracted = need_decimal(s, FACT_RD_CONTRACTED_DOMESTIC);
    s->related = need_decimal(s, FACT_RD_CONTRACTED_RELATED);
    s->overseas = need_decimal(s, FACT_RD_CONTRACTED_OVERSEAS);
    s->amortisation = need_decimal(s, FACT_RD_INTANGIBLE_AMORTISATION);
    if (!s->contracted || !s->related || !s->overseas || !s->amortisation)
        s->costs_known = 0;
}

/* Categories 1-5 of project p into out. */
static FISCP_ALWAYS_INLINE void first_five(rd *s, int p, fisc_decimal *out)
{
    copy(s, out, s->cost[p][0]);
    for (int k = 1; k < CAT_OTHER; k++)
        add_to(s, out, s->cost[p][k]);
}

/* The limit on the other related costs of categories 1-5 `five`: five × r / (1 − r) (97号 二(三)). */
static void other_limit(rd *s, fisc_decimal *out, const fisc_decimal *five, const fisc_decimal *limit_rate)
{
    mul(s, out, five, limit_rate);
    quot(s, out, out, D(s, D_ONE_MINUS));
}

/* 97号 二(三), to 2020: each project's other costs limited by its own categories 1-5. */
static fisc_status per_project(rd *s, const fisc_decimal *limit_rate)
{
    fisc_decimal *five = D(s, D_A), *limit = D(s, D_B), *allowed = D(s, D_C), *base = D(s, D_E);
    fisc_status rc = FISC_OK;

    for (int p = 0; p < s->nprojects && rc == FISC_OK; p++) {
        const fisc_decimal *other = s->cost[p][CAT_OTHER];
        int k = s->capitalised[p] ? D_CAP_BASE : D_EXP_BASE;

        first_five(s, p, five);
        other_limit(s, limit, five, limit_rate);
        lesser(s, allowed, other, limit);
        add(s, base, five, allowed);
        add_to(s, D(s, D_LIMIT), limit);
        add_to(s, D(s, D_ALLOWED), allowed);
        add_to(s, D(s, k), base);
        if (s->arith == FISC_OK)
            rc = STEP(s, PROJECT_STEP[p], "项目可加计扣除的研发费用（按项目计算其他相关费用限额）",
                      "Project's qualifying R&D (other-cost limit per project)",
                      "前五类 + min(其他相关费用, 前五类 × 限额比例 / (1 − 限额比例)) / categories 1-5 + "
                      "min(other costs, categories 1-5 × limit rate / (1 − limit rate))",
                      fiscp_ctx_printf(s->c, "project %d: %s + min(%s, %s × %s / (1 − %s)) = %s + min(%s, %s)%s",
                                       p + 1, text(s, five), text(s, other), text(s, five),
                                       fiscp_percent(s->c, limit_rate), fiscp_percent(s->c, limit_rate),
                                       text(s, five), text(s, other), text(s, limit),
                                       s->capitalised[p] ? " (capitalised)" : ""),
                      base);
    }
    return rc;
}

/*
 * The pooled other costs allowed, shared among the projects in proportion to their actual other costs:
 * base += other × allowed / actual. When the limit does not bind the share is the actual amount; when
 * no project is capitalised the expensed projects' share is all that is allowed, with no ratio to make
 * (the explanation shows the ratio, so it is made then).
 */
static void share_allowed(rd *s, int binds, const fisc_decimal *other_exp, const fisc_decimal *other_cap,
                          const fisc_decimal *other_all, fisc_decimal *ratio, fisc_decimal *t)
{
    if (!binds) {
        fiscp_decimal_set_int(ratio, 1); /* allowed / actual is exactly 1 */
        add_to(s, D(s, D_EXP_BASE), other_exp);
        add_to(s, D(s, D_CAP_BASE), other_cap);
    } else if (is_zero(other_all)) {
        return; /* a negative limit over no other costs: nothing to share (the ratio stays 0) */
    } else if (!s->trace && !s->any_capitalised) {
        add_to(s, D(s, D_EXP_BASE), D(s, D_ALLOWED)); /* other_exp is other_all */
    } else {
        quot(s, ratio, D(s, D_ALLOWED), other_all);
        mul(s, t, ratio, other_exp);
        add_to(s, D(s, D_EXP_BASE), t);
        mul(s, t, ratio, other_cap);
        add_to(s, D(s, D_CAP_BASE), t);
    }
}

/*
 * pooled() for the common batch row: untraced, one project, expensed. The pool is the project, so
 * its sums are its own values (no scratch sums, no shares): categories 1-5 and the other costs are
 * read where they are. The values are those pooled() makes; zeros may differ in scale only, which
 * nothing shows without the explanation (a zero is published as 0 and adds nothing).
 */
static void pooled_one_expensed(rd *s, const fisc_decimal *limit_rate)
{
    fisc_decimal *five = D(s, D_A);
    const fisc_decimal *other = s->cost[0][CAT_OTHER];
    int binds;

    first_five(s, 0, five);
    add_to(s, D(s, D_EXP_BASE), five);
    other_limit(s, D(s, D_LIMIT), five, limit_rate);
    binds = s->arith == FISC_OK && fiscp_decimal_cmp(other, D(s, D_LIMIT)) > 0;
    copy(s, D(s, D_ALLOWED), binds ? D(s, D_LIMIT) : other); /* min(other, limit) */
    s->allowed_is_cap = binds;
    if (!binds || !is_zero(other)) /* share_allowed(): a negative limit over no other costs shares nothing */
        add_to(s, D(s, D_EXP_BASE), D(s, D_ALLOWED));
}

/* 2021年第28号, from 2021: one limit over all projects; allowed other costs shared in proportion. */
static fisc_status pooled(rd *s, const fisc_decimal *limit_rate)
{
    fisc_decimal *five = D(s, D_A), *other_exp = D(s, D_B), *other_all = D(s, D_C), *t = D(s, D_E);
    fisc_decimal *other_cap = D(s, D_F), *ratio = D(s, D_G);
    const char *five_exp = "", *five_cap = "";
    int binds;
    fisc_status rc;

    if (!s->trace && s->nprojects == 1 && !s->capitalised[0]) {
        pooled_one_expensed(s, limit_rate);
        return s->arith;
    }
    fiscp_decimal_set_int(five, 0); /* the scratch values may hold an earlier test's */
    fiscp_decimal_set_int(other_exp, 0);
    fiscp_decimal_set_int(other_all, 0);
    fiscp_decimal_set_int(other_cap, 0);
    fiscp_decimal_set_int(ratio, 0);
    for (int p = 0; p < s->nprojects; p++) {
        int k = s->capitalised[p] ? D_CAP_BASE : D_EXP_BASE;

        first_five(s, p, t);
        add_to(s, five, t);
        add_to(s, D(s, k), t);
        add_to(s, other_all, s->cost[p][CAT_OTHER]);
        add_to(s, s->capitalised[p] ? other_cap : other_exp, s->cost[p][CAT_OTHER]);
    }
    other_limit(s, D(s, D_LIMIT), five, limit_rate);
    binds = s->arith == FISC_OK && fiscp_decimal_cmp(other_all, D(s, D_LIMIT)) > 0;
    copy(s, D(s, D_ALLOWED), binds ? D(s, D_LIMIT) : other_all); /* min(other_all, limit) */
    s->allowed_is_cap = binds;
    if (s->trace) { /* for the steps, before the shares are added */
        five_exp = text(s, D(s, D_EXP_BASE));
        five_cap = text(s, D(s, D_CAP_BASE));
    }
    share_allowed(s, binds, other_exp, other_cap, other_all, ratio, t);
    rc = s->arith;
    if (rc == FISC_OK)
        rc = STEP(s, "other_costs.limit", "其他相关费用限额（全部项目统一计算）",
                  "Limit on other related costs (all projects pooled)",
                  "前五类合计 × 限额比例 / (1 − 限额比例) / categories 1-5 of all projects × limit rate / "
                  "(1 − limit rate)",
                  fiscp_ctx_printf(s->c, "%s × %s / (1 − %s)", text(s, five), fiscp_percent(s->c, limit_rate),
                                   fiscp_percent(s->c, limit_rate)),
                  D(s, D_LIMIT));
    if (rc == FISC_OK)
        rc = STEP(s, "other_costs.allowed", "可加计扣除的其他相关费用", "Other related costs allowed",
                  "min(其他相关费用合计, 限额) / min(other costs of all projects, limit)",
                  fiscp_ctx_printf(s->c, "min(%s, %s)", text(s, other_all), text(s, D(s, D_LIMIT))),
                  D(s, D_ALLOWED));
    if (rc == FISC_OK && s->any_capitalised)
        rc = STEP(s, "other_costs.ratio", "其他相关费用可加计扣除比例（分配至资本化项目）",
                  "Share of other costs allowed (allocated to capitalised projects)",
                  "可加计扣除的其他相关费用 / 实际其他相关费用 / allowed / actual other costs",
                  fiscp_ctx_printf(s->c, "%s / %s", text(s, D(s, D_ALLOWED)), text(s, other_all)), ratio);
    if (rc == FISC_OK)
        rc = STEP(s, "expensed_base", "费用化研发费用可加计扣除基数", "Qualifying expensed in-house R&D",
                  "费用化项目前五类 + 其他相关费用 × 比例 / expensed categories 1-5 + their other costs × share",
                  fiscp_ctx_printf(s->c, "%s + %s × %s", five_exp, text(s, other_exp), text(s, ratio)),
                  D(s, D_EXP_BASE));
    if (rc == FISC_OK && s->any_capitalised)
        rc = STEP(s, "capitalised_base", "资本化项目可加计摊销的成本", "Qualifying cost of capitalised projects",
                  "资本化项目前五类 + 其他相关费用 × 比例 / capitalised categories 1-5 + their other costs × share",
                  fiscp_ctx_printf(s->c, "%s + %s × %s", five_cap, text(s, other_cap), text(s, ratio)),
                  D(s, D_CAP_BASE));
    return rc;
}

static fisc_status in_house(rd *s)
{
    const fisc_decimal *limit_rate, *pool;
    fisc_decimal *one_minus = D(s, D_ONE_MINUS);
    fisc_status rc;

    if (s->nprojects == 0)
        return FISC_OK;
    if ((rc = fiscp_param_value(s->c, P_OTHER_LIMIT, &limit_rate)) != FISC_OK ||
        (rc = fiscp_param_value(s->c, P_OTHER_POOLED, &pool)) != FISC_OK)
        return rc;
    fiscp_decimal_set_int(one_minus, 1);
    sub(s, one_minus, one_minus, limit_rate);
    if (s->arith == FISC_OK && is_zero(one_minus))
        s->arith = FISC_EDIVZERO; /* a limit rate of 100%: the limit's division fails, before any project */
    return s->arith != FISC_OK             ? FISC_OK
         : fiscp_decimal_sign(pool) > 0 ? pooled(s, limit_rate)
                                         : per_project(s, limit_rate);
}

static fisc_status contracted_out(rd *s)
{
    const fisc_decimal *share, *amount = s->contracted;
    int breakdown = 0, known;
    fisc_status rc;

    if (!is_zero(s->related)) {
        known = fiscp_need_bool(s->c, FACT_RD_CONTRACTED_RELATED_BREAKDOWN, &breakdown);
        s->unknown |= !known;
        if ((rc = cond(s, "rd.contracted.related_breakdown", "关联方受托方提供研发费用支出明细",
                       "Related contractors gave the cost breakdown", known ? breakdown : -1,
                       SHOWN(s, fiscp_ctx_printf(s->c, "related-party amount %s %s", text(s, s->related),
                                                 !known      ? "(unknown whether it counts)"
                                                 : breakdown ? "counts"
                                                             : "does not count"))))
            != FISC_OK)
            return rc;
        if (breakdown) {
            add(s, D(s, D_A), s->contracted, s->related);
            amount = D(s, D_A);
        }
    }
    if (is_zero(amount))
        return FISC_OK;
    if ((rc = fiscp_param_value(s->c, P_CONTRACTED_SHARE, &share)) != FISC_OK)
        return rc;
    mul(s, D(s, D_DOMESTIC), amount, share);
    return s->arith != FISC_OK ? FISC_OK
                               : STEP(s, "contracted", "委托境内研发费用计入部分", "Domestic contracted-out R&D counted",
                                      "实际发生额 × 计入比例 / amount paid × share counted",
                                      fiscp_ctx_printf(s->c, "%s × %s", text(s, amount), fiscp_percent(s->c, share)),
                                      D(s, D_DOMESTIC));
}

/* Called when R&D was contracted out overseas. */
static fisc_status contracted_overseas(rd *s)
{
    const fisc_decimal *share, *cap_share;
    fisc_decimal *counted = D(s, D_A), *domestic = D(s, D_B), *cap = D(s, D_C);
    int registered = 0, known;
    fisc_status rc;

    if (!fiscp_param_in_force(s->c, P_OVERSEAS_SHARE)) /* before 财税〔2018〕64号 */
        return cond(s, "rd.overseas.rule", "委托境外研发费用可加计扣除", "R&D contracted out overseas qualifies", 0,
                    SHOWN(s, fiscp_ctx_printf(s->c, "no rule in force in %d: %s does not count",
                                              fiscp_ctx_year(s->c), text(s, s->overseas))));
    if ((rc = fiscp_param_value(s->c, P_OVERSEAS_SHARE, &share)) != FISC_OK)
        return rc;
    known = fiscp_need_bool(s->c, FACT_RD_OVERSEAS_CONTRACT_REGISTERED, &registered);
    s->unknown |= !known;
    if ((rc = cond(s, "rd.overseas.registered", "委托境外研发合同已登记", "Overseas R&D contracts registered",
                   known ? registered : -1, !known ? "unknown" : registered ? "yes" : "no: the overseas amount does not count"))
        != FISC_OK)
        return rc;
    if (!registered)
        return FISC_OK;
    if ((rc = fiscp_param_value(s->c, P_OVERSEAS_CAP, &cap_share)) != FISC_OK)
        return rc;
    mul(s, counted, s->overseas, share);
    add(s, domestic, D(s, D_EXP_BASE), D(s, D_DOMESTIC));
    mul(s, cap, domestic, cap_share);
    lesser(s, D(s, D_OVERSEAS), counted, cap);
    return s->arith != FISC_OK
             ? FISC_OK
             : STEP(s, "overseas", "委托境外研发费用计入部分", "Overseas contracted-out R&D counted",
                    "min(实际发生额 × 计入比例, 境内符合条件的研发费用 × 上限比例) / min(amount paid × share, "
                    "qualifying domestic R&D × cap share)",
                    fiscp_ctx_printf(s->c, "min(%s × %s, (%s + %s) × %s) = min(%s, %s)", text(s, s->overseas),
                                     fiscp_percent(s->c, share), text(s, D(s, D_EXP_BASE)), text(s, D(s, D_DOMESTIC)),
                                     text(s, cap_share), text(s, counted), text(s, cap)),
                    D(s, D_OVERSEAS));
}

/* ------------------------------------------------------------------ the extra deduction */

/* The extra on one base: base × rate; base itself at 100% (exactly the product, without the multiplication). */
static FISCP_ALWAYS_INLINE fisc_status extra(rd *s, int out, const fisc_decimal *base, const char *id, const char *zh,
                                const char *en)
{
    if (!is_zero(base)) { /* else D(s, out) stays 0 */
        if (s->rate_is_one)
            copy(s, D(s, out), base);
        else
            mul(s, D(s, out), base, s->rate);
    }
    if (!s->trace || s->arith != FISC_OK)
        return FISC_OK;
    return fiscp_step(s->c, id, zh, en, "基数 × 加计扣除比例 / base × extra-deduction rate",
                      fiscp_ctx_printf(s->c, "%s × %s", text(s, base), fiscp_percent(s->c, s->rate)), D(s, out));
}

/*
 * 2022年第28号 二: October-December R&D at the higher rate, as incurred or by months; the larger. Called at
 * the annual filing (the prepayments cover January to June or September only) when the rate is in force.
 */
static fisc_status q4_raise(rd *s)
{
    const fisc_decimal *q4_rate, *actual, *months, *months_q4;
    fisc_decimal *qualifying = D(s, D_A), *by_months = D(s, D_B), *q4 = D(s, D_C), *diff = D(s, D_E);
    int prop;
    fisc_status rc;

    if ((rc = fiscp_param_value(s->c, P_RATE_Q4_RAISE, &q4_rate)) != FISC_OK)
        return rc;
    if (fiscp_decimal_cmp(q4_rate, s->rate) <= 0)
        return FISC_OK;
    add(s, qualifying, D(s, D_EXP_BASE), D(s, D_DOMESTIC));
    add(s, qualifying, qualifying, D(s, D_OVERSEAS));
    actual = fiscp_fact_decimal(s->f, FACT_RD_Q4_QUALIFYING);
    months = fiscp_fact_decimal(s->f, FACT_RD_OPERATING_MONTHS);
    months_q4 = fiscp_fact_decimal(s->f, FACT_RD_OPERATING_MONTHS_Q4);
    prop = months && months_q4;
    if (!actual && !prop) { /* one method or the other: the months are what most enterprises have */
        if (!months)
            fiscp_missing(s->c, FACT_RD_OPERATING_MONTHS);
        if (!months_q4)
            fiscp_missing(s->c, FACT_RD_OPERATING_MONTHS_Q4);
        s->unknown = 1;
        return FISC_OK;
    }
    if (s->arith != FISC_OK) /* the amounts compared below would not be the real ones */
        return FISC_OK;
    if (prop && fiscp_decimal_cmp(months_q4, months) > 0)
        return fiscp_fail(s->c, FISC_EINVAL, "rd_operating_months_q4 (%s) is more than rd_operating_months (%s)",
                          fiscp_text(s->c, months_q4), fiscp_text(s->c, months));
    if (actual && fiscp_decimal_cmp(actual, qualifying) > 0)
        return fiscp_fail(s->c, FISC_EINVAL, "rd_q4_qualifying is more than the qualifying expensed R&D of the year");
    if (prop) {
        mul(s, by_months, qualifying, months_q4);
        quot(s, by_months, by_months, months);
    }
    if (s->arith != FISC_OK)
        return FISC_OK;
    if (prop && (!actual || fiscp_decimal_cmp(by_months, actual) >= 0)) {
        copy(s, q4, by_months);
        s->q4_method = "q4_proportional";
    } else {
        copy(s, q4, actual);
        s->q4_method = "q4_actual";
    }
    sub(s, diff, q4_rate, s->rate);
    mul(s, D(s, D_RAISE), q4, diff);
    s->raised = 1;
    if (s->arith != FISC_OK)
        return FISC_OK;
    if (prop && (rc = STEP(s, "q4.proportional", "第四季度研发费用（按实际经营月份比例）",
                           "R&D of October-December, in proportion to the months of operation",
                           "本年可加计扣除的研发费用 × 10月起经营月份 / 本年经营月份 / qualifying R&D × months "
                           "from October / months in the year",
                           fiscp_ctx_printf(s->c, "%s × %s / %s", text(s, qualifying), text(s, months_q4),
                                            text(s, months)),
                           by_months)) != FISC_OK)
        return rc;
    return STEP(s, "q4.raise", "第四季度提高的加计扣除", "Extra for October-December at the higher rate",
                "第四季度研发费用 × (第四季度比例 − 全年比例) / R&D of October-December × (its rate − the "
                "year's rate)",
                fiscp_ctx_printf(s->c, "%s (%s) × (%s − %s)", text(s, q4),
                                 strcmp(s->q4_method, "q4_actual") == 0 ? "as incurred" : "by months",
                                 fiscp_percent(s->c, q4_rate), fiscp_percent(s->c, s->rate)),
                D(s, D_RAISE));
}

static fisc_status compute(rd *s)
{
    fisc_status rc;

    if ((rc = in_house(s)) != FISC_OK || (rc = contracted_out(s)) != FISC_OK ||
        (!is_zero(s->overseas) && (rc = contracted_overseas(s)) != FISC_OK) ||
        (rc = extra(s, D_EXTRA_EXP, D(s, D_EXP_BASE), "extra.expensed", "费用化研发费用加计扣除",
                    "Extra on expensed in-house R&D")) != FISC_OK ||
        (rc = extra(s, D_EXTRA_CON, D(s, D_DOMESTIC), "extra.contracted", "委托境内研发费用加计扣除",
                    "Extra on domestic contracted-out R&D")) != FISC_OK ||
        (rc = extra(s, D_EXTRA_OVS, D(s, D_OVERSEAS), "extra.overseas", "委托境外研发费用加计扣除",
                    "Extra on overseas contracted-out R&D")) != FISC_OK ||
        (rc = extra(s, D_EXTRA_AMORT, s->amortisation, "extra.amortisation", "无形资产加计摊销",
                    "Extra amortisation of intangibles formed by R&D")) != FISC_OK ||
        (fiscp_ctx_quarter(s->c) == 0 && fiscp_param_in_force(s->c, P_RATE_Q4_RAISE) && (rc = q4_raise(s)) != FISC_OK))
        return rc;
    for (int k = D_EXTRA_EXP; k <= D_EXTRA_AMORT; k++)
        add_to(s, D(s, D_TOTAL), D(s, k));
    add_to(s, D(s, D_TOTAL), D(s, D_RAISE));
    if (s->arith != FISC_OK)
        return FISC_OK;
    return STEP(s, "extra_deduction", "研发费用加计扣除额合计", "Total extra deduction",
                "费用化 + 委托境内 + 委托境外 + 加计摊销 + 第四季度提高部分 / expensed + contracted + overseas + "
                "amortisation + October-December raise",
                fiscp_ctx_printf(s->c, "%s + %s + %s + %s + %s", text(s, D(s, D_EXTRA_EXP)), text(s, D(s, D_EXTRA_CON)),
                                 text(s, D(s, D_EXTRA_OVS)), text(s, D(s, D_EXTRA_AMORT)), text(s, D(s, D_RAISE))),
                D(s, D_TOTAL));
}

/* ------------------------------------------------------------------ the result */

/*
 * Round and publish one informative amount into *room, or publish `twin`: without the explanation, the
 * rounding of an amount of the same value published before it (the caller passes NULL with the
 * explanation, where each rounding is a step of its own). Zero rounds to zero under any rule: without the
 * explanation it is not rounded. Nothing is done after a failure (*rc sticky), nor for an amount a summary
 * evaluation does not record (fiscp_amount_wanted). @return the amount published, or NULL.
 */
static FISCP_ALWAYS_INLINE const fisc_decimal *publish(rd *s, fisc_status *rc, const char *name,
                                                       const fisc_decimal *v, const fisc_decimal *twin,
                                                       fisc_decimal *room)
{
    if (*rc != FISC_OK || !fiscp_amount_wanted(s->c, name))
        return NULL;
    if (!twin) {
        if (!s->trace && is_zero(v))
            fiscp_decimal_set_int(room, 0);
        else if ((*rc = fiscp_round(s->c, name, v, room)) != FISC_OK)
            return NULL;
        twin = room;
    }
    *rc = fiscp_amount(s->c, name, twin, -1);
    return twin;
}

static fisc_status not_eligible(rd *s)
{
    fisc_decimal zero;
    fisc_status rc;

    fiscp_decimal_init(&zero);
    rc = fiscp_amount(s->c, "extra_deduction", &zero, -1); /* cn.cit reads 0: nothing to deduct */
    fiscp_outcome(s->c, FISC_OUTCOME_NOT_ELIGIBLE);
    if (rc == FISC_OK)
        rc = fiscp_summary(s->c, "不适用研发费用加计扣除（见未满足的条件）",
                           "the R&D super-deduction does not apply (see the conditions not met)");
    return rc;
}

/* The total is the expensed extra alone. */
static int only_expensed(const rd *s)
{
    return is_zero(D(s, D_EXTRA_CON)) && is_zero(D(s, D_EXTRA_OVS)) && is_zero(D(s, D_EXTRA_AMORT)) &&
           is_zero(D(s, D_RAISE));
}

static fisc_status report(rd *s)
{
    /* the scratch is free: the roundings go there */
    fisc_decimal *total = D(s, D_A), *tax = D(s, D_B), *r = D(s, D_C), *cap = D(s, D_E), *own = D(s, D_F);
    fisc_decimal *saved = D(s, D_G); /* the tax saved, before its rounding into tax */
    int quick = !s->trace; /* without the explanation an amount equal to one rounded before takes its rounding */
    const fisc_decimal *rounded, *expensed, *limit, *cit_rate;
    fisc_status rc = FISC_OK;

    /* first, so always published: cn.cit reads it; its rounding goes to total */
    rounded = publish(s, &rc, "extra_deduction", D(s, D_TOTAL), NULL, total);
    /* the expensed extra's rounding: the total's when the total is that extra alone, else its own */
    expensed = publish(s, &rc, "extra_expensed", D(s, D_EXTRA_EXP), quick && only_expensed(s) ? rounded : NULL, own);
    publish(s, &rc, "extra_contracted", D(s, D_EXTRA_CON), NULL, r);
    publish(s, &rc, "extra_overseas", D(s, D_EXTRA_OVS), NULL, r);
    publish(s, &rc, "extra_amortisation", D(s, D_EXTRA_AMORT), NULL, r);
    if (s->raised)
        publish(s, &rc, "extra_q4_raise", D(s, D_RAISE), NULL, r);
    /* at 100% the expensed extra is its base. (A twin a summary did not publish is NULL: the amount is
       then rounded here, which gives the same value in the same form, the rounding being the same.) */
    publish(s, &rc, "expensed_base", D(s, D_EXP_BASE), quick && s->rate_is_one ? expensed : NULL, r);
    if (s->any_capitalised)
        publish(s, &rc, "capitalised_base", D(s, D_CAP_BASE), NULL, r);
    limit = publish(s, &rc, "other_costs_cap", D(s, D_LIMIT), NULL, cap);
    /* the other costs allowed are the cap when it binds */
    publish(s, &rc, "other_costs_allowed", D(s, D_ALLOWED), quick && s->allowed_is_cap ? limit : NULL, r);
    /* read even when the estimate is not wanted: the item cites the same parameters either way */
    if (rc == FISC_OK)
        rc = fiscp_param_value(s->c, P_CIT_RATE, &cit_rate);
    if (rc == FISC_OK && fiscp_amount_wanted(s->c, "tax_effect_standard")) {
        mul(s, saved, D(s, D_TOTAL), cit_rate);
        rc = s->arith;
    }
    if (rc == FISC_OK)
        rc = STEP(s, "tax_effect_standard", "按基本税率估算的减税额", "Tax saved at the standard rate (estimate)",
                  "加计扣除额 × 基本税率 / extra deduction × standard rate",
                  fiscp_ctx_printf(s->c, "%s × %s", text(s, D(s, D_TOTAL)), fiscp_percent(s->c, cit_rate)),
                  saved);
    publish(s, &rc, "tax_effect_standard", saved, NULL, tax);
    if (rc == FISC_OK) {
        int positive = fiscp_decimal_sign(total) > 0;

        fiscp_outcome(s->c, positive ? FISC_OUTCOME_ELIGIBLE : FISC_OUTCOME_NOT_ELIGIBLE);
        fiscp_choice(s->c, s->q4_method ? s->q4_method : "");
        if (positive)
            rc = fiscp_summary(
                s->c,
                SHOWN(s, fiscp_ctx_printf(s->c, "研发费用加计扣除 %s 元（%s，加计扣除比例 %s）；按基本税率 %s 估算少缴企业所得税 %s 元，"
                                                "实际影响见企业所得税项目",
                                          fiscp_money(s->c, total), CLASS_NAME[s->klass].zh, fiscp_percent(s->c, s->rate),
                                          fiscp_percent(s->c, cit_rate), fiscp_money(s->c, tax))),
                SHOWN(s, fiscp_ctx_printf(s->c, "extra deduction of %s yuan (%s, rate %s); about %s yuan less tax at the "
                                                "standard rate of %s (the corporate income tax item gives the exact effect)",
                                          fiscp_money(s->c, total), CLASS_NAME[s->klass].en, fiscp_percent(s->c, s->rate),
                                          fiscp_money(s->c, tax), fiscp_percent(s->c, cit_rate))));
        else
            rc = fiscp_summary(s->c, "没有可加计扣除的研发费用", "no qualifying R&D expenses");
    }
    return rc;
}

/* Nothing at all to deduct, whatever the unknown conditions say. */
static int no_rd(const rd *s)
{
    return is_zero(D(s, D_EXP_BASE)) && is_zero(D(s, D_CAP_BASE)) && is_zero(s->contracted) &&
           is_zero(s->related) && is_zero(s->overseas) && is_zero(s->amortisation);
}

static fisc_status run(rd *s)
{
    fisc_status rc;

    if (!fiscp_param_in_force(s->c, P_RATE_GENERAL)) { /* the policy's rules start later (2016) */
        fiscp_outcome(s->c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(s->c, "政策文件中没有该年度的研发费用加计扣除规则",
                             "the policy has no R&D super-deduction rule for the year");
    }
    if ((rc = claim_time(s)) != FISC_OK || s->excluded)
        return rc != FISC_OK ? rc : not_eligible(s);
    if ((rc = deemed_profit(s)) != FISC_OK || s->excluded)
        return rc != FISC_OK ? rc : not_eligible(s);
    if ((rc = negative_list(s)) != FISC_OK || s->arith != FISC_OK || s->excluded)
        return rc != FISC_OK || s->arith != FISC_OK ? rc : not_eligible(s);
    read_costs(s);
    if ((rc = choose_rate(s)) != FISC_OK || s->arith != FISC_OK)
        return rc;
    if (!s->costs_known) {
        fiscp_outcome(s->c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(s->c, "缺少研发费用的事实", "facts on the R&D expenses are missing");
    }
    if ((rc = compute(s)) != FISC_OK || s->arith != FISC_OK)
        return rc;
    if (s->unknown && !no_rd(s)) {
        fiscp_outcome(s->c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(s->c, "缺少事实，无法确定研发费用加计扣除额",
                             "facts are missing to determine the R&D super-deduction");
    }
    return report(s);
}

static fisc_status evaluate(fiscp_ctx *c)
{
    rd s;
    fisc_status rc;

    memset(&s, 0, offsetof(rd, d));
    s.c = c;
    s.f = fiscp_ctx_facts(c);
    s.trace = fiscp_ctx_tracing(c);
    s.arith = FISC_OK;
    s.klass = CLASS_GENERAL;
    for (int k = 0; k < D_COUNT; k++)
        fiscp_decimal_init(&s.d[k]);
    rc = run(&s);
    if (rc == FISC_OK && s.arith != FISC_OK)
        rc = fiscp_fail(c, s.arith, "exact arithmetic failed: %s", fisc_strerror(s.arith));
    fiscp_decimal_clear_n(s.d, D_COUNT);
    return rc;
}

const fiscp_program fiscp_program_rd_deduction = { "cn.rd_deduction", PARAMS, P_COUNT, evaluate, NULL, NULL };
