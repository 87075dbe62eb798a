/*
 * The year-by-year evaluation of a one-matter-one-discussion (一事一议) agreement
 * (玉政办函〔2022〕41号 三(九), 六(二十); docs/agreement-format.md, "Evaluation").
 *
 * For each year one ordinary fisc_result: the general programs' items (fisc_evaluate on the
 * actuals' facts of that year, when given), then one item per term ("ID/TERM") and one for the
 * package ("ID"), written with the engine's recording functions (engine.h, "items built outside
 * the registry"), so they carry conditions, amounts, citations and steps like any program's.
 *
 * Per term and year: the awards of the covered years not yet decided are checked as of the year
 * (milestones: first met by then; annual conditions: in the award's year); a released award is
 * computed (amount, or rate × the base of its year; × late_share when a milestone was met late),
 * rounded once by the agreement's rule, limited by cap_per_year, the rest of cap_total and the rest
 * of the overall ceiling, and split into its instalments exactly (largest remainder at the
 * rounding unit, as fisc_apportion does); the instalments falling due are checked in their year
 * and paid on the year's pay_on date; the clawback's commitments are checked from the first
 * payment. Decisions the document leaves open are written into docs/agreement-format.md
 * ("Evaluation: details"); in short:
 * - what cannot be decided for want of a figure *waits* (an award, an instalment): it is shown as
 *   "waiting" (informative) with the missing input, never as paid, and never as withheld, so that
 *   "withheld" summed over the years counts what was kept back for good, once;
 * - a payment dated after a commitment's breach date is forfeited; one dated after the date of a
 *   breach that cannot be ruled out (a commitment whose figure is missing) waits;
 * - caps count what was awarded: an instalment forfeited later does not give its room back;
 * - higher_of: the general programs' amount G of the year is absorbed by the rule's terms in
 *   document order (each term's payments of the year, in instalment order), so the package pays
 *   max(A − G, 0) and the clawback repays what the term really paid.
 *
 * Speed (a 10-year, 10-term agreement in well under 50 µs, trace off): nothing is looked up by
 * name and nothing is parsed; the working state (per term: its awards, instalments and the
 * milestones' progress; per year: the metrics and their running sums) is one allocation per
 * evaluation; the cited values are formatted once per evaluation; every other text is built only
 * when tracing. The instalment split is done here rather than with fisc_apportion because the
 * latter allocates a dozen arrays per run: same rule (Hamilton, ties to the earlier instalment),
 * same guarantee (the parts add up exactly to the award), checked against it by the tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "decimal.h"
#include "engine.h"

__extension__ typedef __int128 i128;

/* The engine's room per item (engine.h). */
#define ITEM_CONDITIONS FISCP_ITEM_MAX_CONDITIONS
#define ITEM_MISSING FISCP_ITEM_MAX_MISSING

/* How a condition stands, in increasing order of weight: a list takes the heaviest. */
typedef enum check { CK_MET, CK_LATE, CK_WAIT, CK_UNKNOWN, CK_FAIL } check;

enum { AW_PENDING, AW_RELEASED, AW_FAILED };
enum { SL_NONE, SL_SCHEDULED, SL_PAYABLE, SL_PAID, SL_FORFEITED, SL_WAITING };

/* A milestone's progress, advanced once a year. */
typedef struct milestone {
    short met;       /* the first year it held (an event: the year it happened), or 0 */
    short unknown;   /* the first year, before that, whose figure is missing, or 0 */
} milestone;

/* One instalment of one covered year's award. */
typedef struct slot {
    unsigned char state;
    short due;              /* the year it falls due */
    fisc_decimal amount;    /* scheduled; once paid, what was paid */
    const char *why;        /* SL_WAITING: the missing input it waits for */
} slot;

/* The agreement's clauses a term cites (fiscp_ag_term::cite, built once at load). */
enum { C_BASE, C_CAP_YEAR, C_CAP_TOTAL, C_LATE, C_INSTALMENTS, C_CLAWBACK, C_COUNT };
_Static_assert(C_COUNT == FISCP_AG_TERM_CITES, "fiscp_ag_term::cite has one slot per C_*");

typedef struct term_state {
    const fiscp_ag_term *t;
    unsigned char *award;       /* per covered year: AW_* */
    slot *slots;                /* [covered year][instalment] */
    size_t used;                /* slots of released awards: the first `used` */
    size_t open;                /* slots before it are settled (paid or forfeited) */
    int pending;                /* covered years before first_year + pending are decided */
    milestone *ms;              /* the release conditions', then each instalment's, then the clawback's */
    size_t inst_ms[FISCP_AG_MAX_INSTALMENTS], claw_ms;
    fisc_decimal awarded, paid; /* to date */
    int ended;                  /* by a clawback */
    fiscp_date hold;            /* payments dated after it wait (a breach then cannot be ruled out), or 0 */
    const char *hold_why;
    unsigned rules;             /* bit i: combination rule i covers the term */
    int shares_small;           /* every share is p/q with 64-bit p and q: the split runs on integers */
    int64_t share_p[FISCP_AG_MAX_INSTALMENTS], share_q[FISCP_AG_MAX_INSTALMENTS];
} term_state;

/* What a term does in a year. */
enum { T_COMPUTED, T_AWARDED, T_DUE, T_OFFSET, T_WITHHELD, T_WAITING, T_REPAY, T_INTEREST, T_COUNT };
enum { CAP_YEAR, CAP_TOTAL, CAP_CEILING, CAP_COUNT };

typedef struct tally {
    fisc_decimal v[T_COUNT];
    unsigned has;               /* bit per T_* that applies this year */
    int released, unknown, failed, clawback;
    unsigned cited;             /* bit per C_*: the clauses this year's figures rest on */
    int show;                   /* the covered year whose release conditions are recorded, or 0 */
    unsigned checked, bound;    /* bit per CAP_*: applied to an award / cut one */
    const char *cap_detail[CAP_COUNT];   /* tracing */
    fiscp_date breach;
} tally;

/* The package's amounts (informative, but for what an exclusive rule takes out of the totals). */
enum { P_DUE, P_CONCESSION, P_WITHHELD, P_WAITING, P_REPAY, P_INTEREST, P_AWARDED, P_CEILING, P_CEILING_LEFT,
       P_GENERAL, P_TOP_UP, P_OFFSET, P_EXCLUDED, P_EXCLUDED_RELIEF, P_COUNT };

static const struct {
    const char *name;
    int category;
} PACKAGE_AMOUNT[P_COUNT] = {
    [P_DUE] = { "due", -1 },
    [P_CONCESSION] = { "concession", -1 },
    [P_WITHHELD] = { "withheld", -1 },
    [P_WAITING] = { "waiting", -1 },
    [P_REPAY] = { "repay", -1 },
    [P_INTEREST] = { "interest", -1 },
    [P_AWARDED] = { "awarded_to_date", -1 },
    [P_CEILING] = { "ceiling", -1 },
    [P_CEILING_LEFT] = { "ceiling_remaining", -1 },
    [P_GENERAL] = { "general", -1 },
    [P_TOP_UP] = { "top_up", -1 },
    [P_OFFSET] = { "offset", -1 },
    [P_EXCLUDED] = { "excluded", FISC_CATEGORY_SUBSIDY },
    [P_EXCLUDED_RELIEF] = { "excluded_relief", FISC_CATEGORY_TAX_RELIEF },
};

static const char *const TERM_AMOUNT[T_COUNT] = {
    [T_COMPUTED] = "computed", [T_AWARDED] = "awarded", [T_DUE] = "due", [T_OFFSET] = "offset",
    [T_WITHHELD] = "withheld", [T_WAITING] = "waiting", [T_REPAY] = "repay", [T_INTEREST] = "interest",
};

/* A combination rule in the year: the general programs' subsidy and tax relief, and G left to absorb. */
typedef struct rule_state {
    fisc_decimal sub, rel, left;
    int known;
    const char *why;            /* unknown: the missing input */
} rule_state;

typedef struct ev {
    const fisc_agreement *a;
    const fisc_actuals *act;
    fisc_agreement_result *out;
    fiscp_arena *arena;         /* where texts go: the result's (evaluation) or the agreement's (citations) */
    fisc_error *err;
    int schedule, trace;
    int first, last, span;      /* the years the metrics are kept for: the agreement's first .. the last evaluated */
    int year;                   /* being evaluated */
    fisc_result *r;
    fiscp_ctx *c;
    term_state *ts;
    void *block;                /* the working state, one allocation */
    const fisc_decimal **val;   /* [year - first][metric]: NULL when not reported */
    fisc_decimal *cum;          /* [year - first][metric]: the sum from the first year */
    short gap[AGM_COUNT];       /* the first year a metric is missing (its sums are unknown from then), or 0 */
    const char **names;         /* [year - first][metric, then the year's facts]: missing-input names */
    fisc_decimal awarded;       /* by the package to date */
    fisc_decimal ceiling;       /* in force this year */
    int ceiling_known, ceiling_gap, ceiling_bound;
    rule_state rule[FISCP_AG_MAX_COMBINE];
    fisc_decimal pkg[P_COUNT];
    tally tally;                /* the term being written (one, reused) */
    unsigned pkg_has;           /* bit per P_* recorded this year */
    int pkg_unknown, pkg_released;
    /* the package-wide clawback: its milestones, and its commitments checked once a year for every term it covers */
    milestone *pkg_ms;
    int claw_year;              /* the year last checked, or 0 */
    fiscp_date claw_breach, claw_unknown;
    const char *claw_why;
    const char *document;
} ev;

static const char *const MODE_NAME[] = { [AGX_ADDITIVE] = "additive", [AGX_HIGHER_OF] = "higher_of",
                                         [AGX_EXCLUSIVE] = "exclusive" };
static const char *const COMBINE_ID[FISCP_AG_MAX_COMBINE] = { "combine.1", "combine.2", "combine.3", "combine.4",
                                                              "combine.5", "combine.6", "combine.7", "combine.8" };

/* The clawback a term answers to is its own (checked and recorded in its item), or the package's (0). */
static int own_clawback(const fisc_agreement *a, const fiscp_ag_term *t)
{
    return t->clawback && t->clawback != a->package_clawback;
}

fisc_status fisc_agreement_options_init(fisc_agreement_options *o, unsigned int version)
{
    static const fisc_agreement_options init = FISC_AGREEMENT_OPTIONS_INIT;

    if (!o || version != FISC_AGREEMENT_OPTIONS_VERSION)
        return FISC_EINVAL;
    *o = init;
    return FISC_OK;
}

/* ------------------------------------------------------------------ texts (once per evaluation, or tracing) */

/* The concatenation of parts (NULL-terminated) in the results' arena, or NULL. */
static const char *join(ev *e, const char *const *parts)
{
    size_t n = 0, o = 0;
    char *s;

    for (size_t i = 0; parts[i]; i++)
        n += strlen(parts[i]);
    if (!(s = fiscp_arena_alloc_raw(e->arena, n + 1)))
        return NULL;
    for (size_t i = 0; parts[i]; i++) {
        size_t k = strlen(parts[i]);

        memcpy(s + o, parts[i], k);
        o += k;
    }
    s[o] = '\0';
    return s;
}

/* The digits of coef / 10^scale (coef >= 0, scale <= 18) into buf: the shortest exact form. */
static void write_scaled(char *buf, uint64_t coef, int scale)
{
    char digits[24];
    size_t nd = 0, o = 0;

    while (scale > 0 && coef % 10 == 0) {
        coef /= 10;
        scale--;
    }
    do {
        digits[nd++] = (char)('0' + (int)(coef % 10));
        coef /= 10;
    } while (coef);
    while ((int)nd <= scale)
        digits[nd++] = '0';
    for (size_t k = nd; k-- > 0;) {
        buf[o++] = digits[k];
        if ((int)k == scale && scale > 0)
            buf[o++] = '.';
    }
    buf[o] = '\0';
}

/* v as text in the results' arena ("5%" when percent: v is a fraction), or NULL. Once per evaluation. */
static const char *number_text(ev *e, const fisc_decimal *v, int percent)
{
    char buf[48], *big = NULL;
    fisc_decimal h;
    int64_t coef;
    int scale;
    const char *s = NULL;

    if (fiscp_decimal_small64(&coef, &scale, v) && coef >= 0 && coef < INT64_MAX / 100 && scale <= 18) {
        if (percent && scale >= 2)
            scale -= 2;
        else if (percent)
            coef *= scale ? 10 : 100, scale = 0;
        write_scaled(buf, (uint64_t)coef, scale);
        return join(e, (const char *const[]){ buf, percent ? "%" : "", NULL });
    }
    fisc_decimal_init(&h);
    fisc_decimal_set_int(&h, percent ? 100 : 1);
    if (fisc_decimal_mul(&h, &h, v, NULL) == FISC_OK && !fisc_decimal_is_terminating(&h))
        percent = 0; /* 1/30 rather than 10/3% */
    if (fisc_decimal_to_string(&big, percent ? &h : v, NULL, NULL, NULL) == FISC_OK)
        s = join(e, (const char *const[]){ big, percent ? "%" : "", NULL });
    fisc_string_free(big);
    fisc_decimal_clear(&h);
    return s;
}

/* A rate when tracing: "5%", or the fraction itself ("1/30") when its percentage does not terminate. */
static const char *rate_text(ev *e, const fisc_decimal *rate)
{
    fisc_decimal h;
    int percent;

    if (!e->trace)
        return "";
    fisc_decimal_init(&h);
    fisc_decimal_set_int(&h, 100);
    percent = fisc_decimal_mul(&h, &h, rate, NULL) == FISC_OK && fisc_decimal_is_terminating(&h);
    fisc_decimal_clear(&h);
    return percent ? fiscp_percent(e->c, rate) : fiscp_text(e->c, rate);
}

/* A decimal's text when tracing ("" otherwise). */
static const char *num(ev *e, const fisc_decimal *v)
{
    return fiscp_text(e->c, v);
}

/* The name of a missing input ("actuals.2025.output", "plan.2025.output", "actuals.2025.facts"), made once. */
static const char *missing_name(ev *e, int year, int metric)
{
    const char **cached;

    if (year < e->first || year > e->last)
        return fiscp_arena_printf(e->arena, "%s.%d.%s", e->schedule ? "plan" : "actuals", year,
                                  metric < 0 ? "facts" : fiscp_ag_metrics[metric].name);
    cached = &e->names[(size_t)(year - e->first) * (AGM_COUNT + 1) + (size_t)(metric < 0 ? AGM_COUNT : metric)];
    if (!*cached)
        *cached = fiscp_arena_printf(e->arena, "%s.%d.%s", e->schedule ? "plan" : "actuals", year,
                                   metric < 0 ? "facts" : fiscp_ag_metrics[metric].name);
    return *cached;
}

/* A text that may be NULL after an allocation failed, for an explanation (which then shows less). */
static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* Record a missing input for the current item (the engine keeps the first ITEM_MISSING). */
static fisc_status note_name(ev *e, const char *name)
{
    if (!name)
        return fiscp_error_nomem(e->err);
    if (fiscp_ctx_item(e->c)->missing_count >= ITEM_MISSING)
        return FISC_OK;
    return fiscp_missing_name(e->c, name);
}

static fisc_status note_missing(ev *e, int year, int metric)
{
    return note_name(e, missing_name(e, year, metric));
}

/* ------------------------------------------------------------------ citations, made once per evaluation */

static fisc_status cite_make(ev *e, fisc_used_param *u, const char *term, const char *what, const char *value,
                             const char *unit, const char *clause)
{
    u->id = join(e, (const char *const[]){ "agreement.", term, term[0] ? "." : "", what, NULL });
    u->value = value;
    u->from = e->a->signed_text;
    u->to = NULL;
    u->evidence = FISC_EVIDENCE_CONFIRMED;
    u->document = e->document;
    u->article = clause ? clause : "";
    u->url = "";
    u->unit = unit;
    return u->id && u->value ? FISC_OK : fiscp_error_nomem(e->err);
}

/* "40% / 30% / 30%", or "1/3 / 1/3 / 1/3" for shares that are not decimals (their p/q known already). */
static const char *shares_text(ev *e, const term_state *s)
{
    const fiscp_ag_term *t = s->t;
    const char *parts[2 * FISCP_AG_MAX_INSTALMENTS + 1];
    char frac[FISCP_AG_MAX_INSTALMENTS][48];
    size_t n = 0;

    for (size_t k = 0; k < t->ninstalments; k++) {
        if (k)
            parts[n++] = " / ";
        if (s->shares_small && !fisc_decimal_is_terminating(&t->instalments[k].share)) {
            snprintf(frac[k], sizeof(frac[k]), "%lld/%lld", (long long)s->share_p[k], (long long)s->share_q[k]);
            parts[n++] = frac[k];
        } else if (!(parts[n++] = number_text(e, &t->instalments[k].share, 1))) {
            return NULL;
        }
    }
    parts[n] = NULL;
    return join(e, parts);
}

/* "100%, 3.45% / 365" */
static const char *clawback_text(ev *e, const fiscp_ag_clawback *cb)
{
    const char *share = number_text(e, &cb->share, 1);
    const char *rate = cb->has_interest ? number_text(e, &cb->interest_rate, 1) : "";

    if (!share || !rate)
        return NULL;
    if (!cb->has_interest)
        return share;
    return join(e, (const char *const[]){ share, ", ", rate, cb->day_basis == 360 ? " / 360" : " / 365", NULL });
}

static fisc_status cite_conditions(ev *e, fiscp_ag_term *t)
{
    const fiscp_ag_conds *l = &t->release;
    fisc_status rc = FISC_OK;

    if (!l->n)
        return FISC_OK;
    if (!(t->cond_cite = fiscp_arena_alloc(e->arena, l->n * sizeof(*t->cond_cite))))
        return fiscp_error_nomem(e->err);
    for (size_t i = 0; i < l->n && rc == FISC_OK; i++) {
        const fiscp_ag_cond *k = &l->v[i];
        char day[11];
        const char *value, *unit;

        if (k->kind == AGC_METRIC) {
            value = number_text(e, &k->threshold, 0);
            unit = fiscp_ag_metrics[k->metric].count ? "count" : "元";
        } else {
            fiscp_date_format(day, k->date);
            value = join(e, (const char *const[]){ day, NULL });
            unit = "date";
        }
        rc = cite_make(e, &t->cond_cite[i], "", k->id, value, unit, k->clause[0] ? k->clause : t->clause);
    }
    return rc;
}

static fisc_status cite_term(ev *e, const term_state *s, fiscp_ag_term *t)
{
    fisc_used_param *u = t->cite;
    fisc_decimal one;
    fisc_status rc;

    fisc_decimal_init(&one);
    if (t->kind == AGT_FIXED)
        rc = cite_make(e, &u[C_BASE], t->id, "amount", number_text(e, &t->amount, 0), "元", t->clause);
    else
        rc = cite_make(e, &u[C_BASE], t->id, "rate", number_text(e, &t->rate, 1), "rate", t->clause);
    if (rc == FISC_OK && t->has_cap_year)
        rc = cite_make(e, &u[C_CAP_YEAR], t->id, "cap_per_year", number_text(e, &t->cap_year, 0), "元", t->clause);
    if (rc == FISC_OK && t->has_cap_total)
        rc = cite_make(e, &u[C_CAP_TOTAL], t->id, "cap_total", number_text(e, &t->cap_total, 0), "元", t->clause);
    fisc_decimal_set_int(&one, 1);
    if (rc == FISC_OK && t->release.n && fisc_decimal_cmp(&t->late_share, &one) != 0) /* 100% is the default */
        rc = cite_make(e, &u[C_LATE], t->id, "late_share", number_text(e, &t->late_share, 1), "rate", t->clause);
    if (rc == FISC_OK && t->ninstalments > 1)
        rc = cite_make(e, &u[C_INSTALMENTS], t->id, "instalments", shares_text(e, s), "rate",
                       t->instalments[0].clause && t->instalments[0].clause[0] ? t->instalments[0].clause : t->clause);
    if (rc == FISC_OK && own_clawback(e->a, t))
        rc = cite_make(e, &u[C_CLAWBACK], t->id, "clawback", clawback_text(e, t->clawback), "rate",
                       t->clawback->clause && t->clawback->clause[0] ? t->clawback->clause : t->clause);
    return rc == FISC_OK ? cite_conditions(e, t) : rc;
}

static void share_fractions(term_state *s);

static const char *ceiling_text(ev *e)
{
    const fisc_agreement *a = e->a;
    const char *amount = a->has_ceiling_amount ? number_text(e, &a->ceiling_amount, 0) : "";
    const char *share = a->has_ceiling_share ? number_text(e, &a->ceiling_share, 1) : "";

    if (!amount || !share)
        return NULL;
    if (a->has_ceiling_amount && a->has_ceiling_share)
        return join(e, (const char *const[]){ "min(", amount, ", ", share, " × 固定资产投资)", NULL });
    return a->has_ceiling_amount ? amount : join(e, (const char *const[]){ share, " × 固定资产投资", NULL });
}

static fisc_status cite_package(ev *e, fisc_agreement *m)
{
    fisc_status rc = FISC_OK;

    if (m->has_ceiling_amount || m->has_ceiling_share)
        rc = cite_make(e, &m->ceiling_cite, "", "ceiling", ceiling_text(e), m->has_ceiling_amount ? "元" : "rate",
                       m->ceiling_clause);
    if (rc == FISC_OK && m->package_clawback)
        rc = cite_make(e, &m->claw_cite, "", "clawback", clawback_text(e, m->package_clawback), "rate",
                       m->package_clawback->clause);
    for (size_t i = 0; i < m->ncombine && rc == FISC_OK; i++)
        rc = cite_make(e, &m->combine_cite[i], "", COMBINE_ID[i], MODE_NAME[m->combine[i].mode], "enum",
                       m->combine[i].clause);
    for (size_t i = 0; i < m->nterms && rc == FISC_OK; i++) {
        term_state s;

        memset(&s, 0, sizeof(s));
        s.t = &m->terms[i];
        share_fractions(&s);
        rc = cite_term(e, &s, &m->terms[i]);
    }
    return rc;
}

/* ------------------------------------------------------------------ metrics */

static const fisc_decimal *input_metric(const ev *e, int year, int m)
{
    const fisc_agreement *a = e->a;
    int i = year - a->first_year;

    if (!e->schedule)
        return fiscp_actuals_metric(e->act, year, m);
    if (!a->plan || i < 0 || year > a->last_year || !a->plan_set[i][m])
        return NULL;
    return &a->plan[i][m];
}

static unsigned summed_in(const fiscp_ag_conds *l)
{
    unsigned m = 0;

    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == AGC_METRIC && l->v[i].over == AGO_CUMULATIVE)
            m |= 1u << l->v[i].metric;
    return m;
}

/* The metrics some condition (or the ceiling) takes summed from the first year: only those are summed. */
static unsigned summed_metrics(const fisc_agreement *a)
{
    unsigned m = a->has_ceiling_share ? 1u << AGM_FIXED_ASSET_INVESTMENT : 0;

    for (size_t i = 0; i < a->nterms; i++) {
        const fiscp_ag_term *t = &a->terms[i];

        m |= summed_in(&t->release) | (t->clawback ? summed_in(&t->clawback->conds) : 0);
        for (size_t k = 0; k < t->ninstalments; k++)
            m |= summed_in(&t->instalments[k].conds);
    }
    return m;
}

/* The year's figures and the running sums from the first year of the metrics taken summed. */
static fisc_status load_metrics(ev *e)
{
    unsigned summed = summed_metrics(e->a);
    fisc_status rc = FISC_OK;

    for (int m = 0; m < AGM_COUNT; m++)
        for (int i = 0; i < e->span && rc == FISC_OK; i++) {
            const fisc_decimal *v = input_metric(e, e->first + i, m);
            fisc_decimal *total = &e->cum[(size_t)i * AGM_COUNT + (size_t)m];

            e->val[(size_t)i * AGM_COUNT + (size_t)m] = v;
            if (!v && !e->gap[m])
                e->gap[m] = (short)(e->first + i);
            if (!(summed & (1u << m)) || fiscp_ag_metrics[m].level || e->gap[m])
                continue;
            rc = i ? fisc_decimal_add(total, total - AGM_COUNT, v, e->err) : fisc_decimal_set(total, v, e->err);
        }
    return rc;
}

/*
 * Metric m over the year (or summed from the first year to it: only metrics summed_metrics() names are ever
 * asked for so); NULL when unknown, *miss then the year lacking.
 */
static const fisc_decimal *metric(const ev *e, int year, int m, fiscp_ag_over over, int *miss)
{
    size_t i = (size_t)(year - e->first) * AGM_COUNT + (size_t)m;

    *miss = year;
    if (year < e->first || year > e->last)
        return NULL;
    if (over == AGO_YEAR || fiscp_ag_metrics[m].level)
        return e->val[i];
    if (e->gap[m] && e->gap[m] <= year) {
        *miss = e->gap[m];
        return NULL;
    }
    return &e->cum[i];
}

static int holds(const fiscp_ag_cond *k, const fisc_decimal *v)
{
    int cmp = fisc_decimal_cmp(v, &k->threshold);

    return k->op == AGOP_AT_LEAST ? cmp >= 0 : cmp <= 0;
}

static fiscp_date event_date(const ev *e, int event)
{
    return e->schedule ? 0 : e->act->event[event];
}

/* ------------------------------------------------------------------ conditions */

/* How a condition stands, with what it compared (for the detail) or lacks (for the missing input). */
typedef struct verdict {
    check state;
    int year, metric;           /* CK_UNKNOWN: the input missing */
    const fisc_decimal *value;  /* the figure compared, or NULL */
    int at;                     /* the year of that figure; a milestone: the year it was met */
    fiscp_date date;            /* a commitment: the (possible) breach date */
} verdict;

/* Advance a milestone with year y's figures (or the event). */
static void advance(const ev *e, const fiscp_ag_cond *k, milestone *m, int y)
{
    const fisc_decimal *v;
    fiscp_date d;
    int miss;

    if (m->met || e->schedule)
        return;
    if (k->kind == AGC_EVENT_BY) {
        d = event_date(e, k->event);
        if (d && d / 10000 <= y)
            m->met = (short)(d / 10000);
        return;
    }
    if (k->kind != AGC_METRIC || !k->by_year)
        return;
    if (!(v = metric(e, y, k->metric, k->over, &miss))) {
        if (!m->unknown)
            m->unknown = (short)miss;
    } else if (holds(k, v)) {
        m->met = (short)y;
    }
}

static void advance_list(const ev *e, const fiscp_ag_conds *l, milestone *m)
{
    for (size_t i = 0; i < l->n; i++)
        advance(e, &l->v[i], &m[i], e->year);
}

static void advance_all(ev *e)
{
    for (size_t i = 0; i < e->a->nterms; i++) {
        term_state *s = &e->ts[i];
        const fiscp_ag_term *t = s->t;

        advance_list(e, &t->release, s->ms);
        for (size_t k = 0; k < t->ninstalments; k++)
            advance_list(e, &t->instalments[k].conds, s->ms + s->inst_ms[k]);
        if (own_clawback(e->a, t))
            advance_list(e, &t->clawback->conds, s->ms + s->claw_ms);
    }
    if (e->a->package_clawback)
        advance_list(e, &e->a->package_clawback->conds, e->pkg_ms);
}

/* A metric condition checked on the figure of year y. */
static verdict annual(const ev *e, const fiscp_ag_cond *k, int y)
{
    verdict v = { CK_MET, 0, k->metric, NULL, y, y * 10000 + 1231 };

    if (!(v.value = metric(e, y, k->metric, k->over, &v.year)))
        v.state = CK_UNKNOWN;
    else if (!holds(k, v.value))
        v.state = CK_FAIL;
    return v;
}

/* The figure a milestone was met with, for the detail. */
static const fisc_decimal *met_value(const ev *e, const fiscp_ag_cond *k, int year)
{
    int miss;

    return metric(e, year, k->metric, k->over, &miss);
}

/* A release milestone as of the year: met (on time or late), waiting, failed, or unknown. */
static verdict release_milestone(const ev *e, const fiscp_ag_term *t, const fiscp_ag_cond *k, const milestone *m)
{
    int forfeit = fisc_decimal_sign(&t->late_share) == 0;
    verdict v = { CK_MET, m->unknown, k->metric, NULL, m->met, 0 };

    if (m->met) {
        v.value = met_value(e, k, m->met);
        if (m->met <= k->by_year)
            return v;
        v.state = m->unknown && m->unknown <= k->by_year ? CK_UNKNOWN : forfeit ? CK_FAIL : CK_LATE;
        return v;
    }
    v.at = e->year;
    v.value = met_value(e, k, e->year);
    v.state = m->unknown ? CK_UNKNOWN : e->year <= k->by_year || !forfeit ? CK_WAIT : CK_FAIL;
    return v;
}

static verdict release_event(const ev *e, const fiscp_ag_term *t, const fiscp_ag_cond *k)
{
    int forfeit = fisc_decimal_sign(&t->late_share) == 0;
    fiscp_date d = event_date(e, k->event), end = e->year * 10000 + 1231;
    verdict v = { CK_WAIT, 0, -1, NULL, d / 10000, d };

    if (d && d <= end)
        v.state = d <= k->date ? CK_MET : forfeit ? CK_FAIL : CK_LATE;
    else if (k->date <= end && forfeit)
        v.state = CK_FAIL;
    return v;
}

/* An event that must not happen on or before its date, as of the end of year y. */
static verdict absent(const ev *e, const fiscp_ag_cond *k, int y)
{
    fiscp_date d = event_date(e, k->event);
    verdict v = { CK_MET, 0, -1, NULL, y, d };

    if (d && d <= k->date && d <= y * 10000 + 1231)
        v.state = CK_FAIL;
    return v;
}

/* A release condition of the award of year x, as of the year evaluated. */
static verdict release_cond(const ev *e, const term_state *s, size_t i, int x)
{
    const fiscp_ag_cond *k = &s->t->release.v[i];
    verdict met = { CK_MET, 0, -1, NULL, x, 0 };

    if (e->schedule)
        return met;
    switch (k->kind) {
    case AGC_METRIC:
        return k->by_year ? release_milestone(e, s->t, k, &s->ms[i]) : annual(e, k, x);
    case AGC_EVENT_BY:
        return release_event(e, s->t, k);
    case AGC_EVENT_ABSENT:
        return absent(e, k, e->year);
    }
    return met;
}

/* A condition of an instalment falling due in year d: it must hold then (a milestone: be met by then). */
static verdict instalment_cond(const ev *e, const fiscp_ag_cond *k, const milestone *m, int d)
{
    verdict v = { CK_MET, 0, k->metric, NULL, d, 0 };
    fiscp_date when;

    if (e->schedule)
        return v;
    switch (k->kind) {
    case AGC_METRIC:
        if (!k->by_year)
            return annual(e, k, d);
        v.at = m->met;
        v.value = m->met && m->met <= d ? met_value(e, k, m->met) : met_value(e, k, d);
        v.year = m->unknown;
        v.state = m->met && m->met <= d ? CK_MET : m->unknown && m->unknown <= d ? CK_UNKNOWN : CK_FAIL;
        return v;
    case AGC_EVENT_BY:
        when = event_date(e, k->event);
        v.at = when / 10000;
        v.date = when;
        v.state = when && when <= d * 10000 + 1231 ? CK_MET : CK_FAIL;
        return v;
    case AGC_EVENT_ABSENT:
        return absent(e, k, d);
    }
    return v;
}

/* A clawback commitment as of the year: holds (or not yet due), breached on v.date, or unknown. */
static verdict commitment(const ev *e, const fiscp_ag_cond *k, const milestone *m)
{
    int y = e->year;
    fiscp_date when, end = y * 10000 + 1231;
    verdict v = { CK_MET, 0, k->metric, NULL, m->met, 0 };

    if (e->schedule)
        return v;
    switch (k->kind) {
    case AGC_METRIC:
        if (!k->by_year)
            return annual(e, k, y);
        v.date = k->by_year * 10000 + 1231;
        v.value = m->met ? met_value(e, k, m->met) : met_value(e, k, y < k->by_year ? y : k->by_year);
        if ((m->met && m->met <= k->by_year) || y < k->by_year)
            return v;
        v.year = m->unknown;
        v.state = m->unknown && m->unknown <= k->by_year ? CK_UNKNOWN : CK_FAIL;
        return v;
    case AGC_EVENT_BY:
        when = event_date(e, k->event);
        v.at = when / 10000;
        v.date = k->date;
        if ((when && when <= k->date) || k->date > end)
            return v;
        v.state = CK_FAIL;
        return v;
    case AGC_EVENT_ABSENT:
        return absent(e, k, y);
    }
    return v;
}

/* ---- condition details (tracing only) */

static const char *op_text(const fiscp_ag_cond *k, int ok)
{
    return k->op == AGOP_AT_LEAST ? (ok ? "≥" : "<") : (ok ? "≤" : ">");
}

/* Details are read in either language: Chinese, then English after " / ". */
static const char *metric_detail(ev *e, const fiscp_ag_cond *k, const verdict *v, int y)
{
    int cumulative = k->over == AGO_CUMULATIVE && !fiscp_ag_metrics[k->metric].level;
    const char *cmp;

    if (v->state == CK_UNKNOWN || !v->value)
        return fiscp_ctx_printf(e->c, "缺少 / missing %s", text_or_empty(missing_name(e, v->year, k->metric)));
    cmp = fiscp_ctx_printf(e->c, "%s %s %s (%s%d年 / %s%d)", num(e, v->value), op_text(k, holds(k, v->value)),
                           num(e, &k->threshold), cumulative ? "累计至" : "", y, cumulative ? "cumulative to " : "",
                           y);
    if (!k->by_year)
        return cmp;
    if (v->state == CK_MET || v->state == CK_LATE || (v->at && v->at <= e->year && holds(k, v->value)))
        return fiscp_ctx_printf(e->c, "%s；%d年达成%s（期限%d年） / met in %d%s (deadline %d)", cmp, v->at,
                                v->at > k->by_year ? "，逾期" : "", k->by_year, v->at,
                                v->at > k->by_year ? ", late" : "", k->by_year);
    return fiscp_ctx_printf(e->c, "%s；尚未达成（期限%d年） / not met yet (deadline %d)", cmp, k->by_year, k->by_year);
}

/* An event condition as known at the end of year y (a later event is not known yet). */
static const char *event_detail(ev *e, const fiscp_ag_cond *k, int y)
{
    char day[11], limit[11];
    fiscp_date d = event_date(e, k->event);
    const fiscp_ag_event_info *name = &fiscp_ag_events[k->event];
    int by = k->kind == AGC_EVENT_BY;

    fiscp_date_format(limit, k->date);
    if (d > y * 10000 + 1231)
        d = 0;
    if (!d)
        return fiscp_ctx_printf(e->c, "%s未发生（%s %s） / %s: not happened (%s %s)", name->label_zh,
                                by ? "期限" : "至", limit, name->label_en, by ? "by" : "until", limit);
    fiscp_date_format(day, d);
    return fiscp_ctx_printf(e->c, "%s / %s %s %s %s", name->label_zh, name->label_en, day, d <= k->date ? "≤" : ">",
                            limit);
}

static const char *detail(ev *e, const fiscp_ag_cond *k, const verdict *v, int y)
{
    if (!e->trace)
        return "";
    if (e->schedule)
        return "计划：视为满足 / plan: taken as met";
    return k->kind == AGC_METRIC ? metric_detail(e, k, v, y) : event_detail(e, k, e->year);
}

static fisc_cond_state cond_state(check c)
{
    static const fisc_cond_state MAP[] = { [CK_MET] = FISC_COND_MET, [CK_LATE] = FISC_COND_MET,
                                           [CK_WAIT] = FISC_COND_NOT_MET, [CK_UNKNOWN] = FISC_COND_UNKNOWN,
                                           [CK_FAIL] = FISC_COND_NOT_MET };

    return MAP[c];
}

static fisc_status record(ev *e, const fiscp_ag_cond *k, const verdict *v, int y)
{
    return fiscp_condition(e->c, k->id, k->label_zh, k->label_en, cond_state(v->state), detail(e, k, v, y));
}

static fisc_status note_verdict(ev *e, const verdict *v)
{
    return v->state == CK_UNKNOWN && v->metric >= 0 ? note_missing(e, v->year, v->metric) : FISC_OK;
}

/* The release of the award of year x as of the year: the heaviest of its conditions' states. */
static check release_state(const ev *e, const term_state *s, int x)
{
    check worst = CK_MET;

    for (size_t i = 0; i < s->t->release.n; i++) {
        verdict v = release_cond(e, s, i, x);

        worst = v.state > worst ? v.state : worst;
    }
    return worst;
}

/* Note the inputs the release of the award of year x lacks. */
static fisc_status note_release(ev *e, const term_state *s, int x)
{
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < s->t->release.n && rc == FISC_OK; i++) {
        verdict v = release_cond(e, s, i, x);

        rc = note_verdict(e, &v);
    }
    return rc;
}

static fisc_status record_release(ev *e, const term_state *s, int x)
{
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < s->t->release.n && rc == FISC_OK; i++) {
        const fiscp_ag_cond *k = &s->t->release.v[i];
        verdict v = release_cond(e, s, i, x);

        rc = record(e, k, &v, k->by_year || k->kind != AGC_METRIC ? e->year : x);
    }
    return rc;
}

/* ------------------------------------------------------------------ awards */

/* Give the step just recorded its rounding text, as fiscp_round() does for its own steps (tracing only). */
static void step_rounding(ev *e, const char *text)
{
    fiscp_step_rounding(e->c, text);
}

/* Round once by the agreement's rule (the term's conf); *text describes it when tracing. */
static fisc_status round_money(ev *e, const fiscp_ag_term *t, const fisc_decimal *v, fisc_decimal *out,
                               const char **text)
{
    fisc_decimal residue;
    fisc_status rc;

    fisc_decimal_init(&residue);
    rc = fisc_decimal_round_unit(out, e->trace ? &residue : NULL, v, &t->conf.unit, t->conf.rounding, NULL, e->err);
    if (text)
        *text = rc == FISC_OK && e->trace
                    ? fiscp_ctx_printf(e->c, "%s to %s: %s → %s (residue %s)", t->conf.rounding_name,
                                       num(e, &t->conf.unit), num(e, v), num(e, out), num(e, &residue))
                    : "";
    fisc_decimal_clear(&residue);
    return rc;
}

/*
 * The award of covered year x before caps: the amount, or rate × the base of year x; × late_share when
 * late; never below zero; rounded once. *known = 0 (and the input noted when note) when the base is missing.
 */
static fisc_status award_amount(ev *e, const term_state *s, int x, int late, fisc_decimal *out, int *known,
                                const char **formula, const char **rounding)
{
    const fiscp_ag_term *t = s->t;
    const fisc_decimal *base = &t->amount;
    fisc_decimal exact;
    fisc_status rc = FISC_OK;
    int miss;

    *known = 1;
    if (t->kind != AGT_FIXED && !(base = metric(e, x, t->base, AGO_YEAR, &miss))) {
        *known = 0;
        return note_missing(e, miss, t->base);
    }
    fisc_decimal_init(&exact);
    if (t->kind == AGT_FIXED)
        rc = fisc_decimal_set(&exact, base, e->err);
    else
        rc = fisc_decimal_mul(&exact, base, &t->rate, e->err);
    if (rc == FISC_OK && late)
        rc = fisc_decimal_mul(&exact, &exact, &t->late_share, e->err);
    if (rc == FISC_OK && fisc_decimal_sign(&exact) < 0)
        fisc_decimal_set_int(&exact, 0);
    if (formula && e->trace)
        *formula = t->kind == AGT_FIXED && !late
                       ? num(e, base)
                       : fiscp_ctx_printf(e->c, "%s%s%s%s%s = %s", num(e, base), t->kind == AGT_FIXED ? "" : " × ",
                                          t->kind == AGT_FIXED ? "" : rate_text(e, &t->rate), late ? " × " : "",
                                          late ? rate_text(e, &t->late_share) : "", num(e, &exact));
    if (rc == FISC_OK)
        rc = round_money(e, t, &exact, out, rounding);
    fisc_decimal_clear(&exact);
    return rc;
}

/* Limit *a to limit (a cap, or the room left under one), floored to the rounding unit; 1 when it cut. */
static int limit_to(ev *e, const fiscp_ag_term *t, fisc_decimal *a, const fisc_decimal *limit, fisc_status *rc)
{
    if (fisc_decimal_cmp(a, limit) <= 0)
        return 0;
    if (fisc_decimal_sign(limit) <= 0) {
        fisc_decimal_set_int(a, 0);
        return 1;
    }
    *rc = fisc_decimal_round_unit(a, NULL, limit, &t->conf.unit, FISC_ROUND_DOWN, NULL, e->err);
    return 1;
}

static const char *const CAP_ID[CAP_COUNT] = { "cap_per_year", "cap_total", "ceiling" };

/* Apply one cap: the limit itself, or (room) the limit less what is already counted against it. */
/* Append one award's comparison with a cap to the cap's detail (tracing). */
static void cap_note(ev *e, tally *t, int cap, const char *text)
{
    const char *was = t->cap_detail[cap];

    t->cap_detail[cap] = was ? fiscp_ctx_printf(e->c, "%s; %s", was, text) : text;
}

static fisc_status cap_one(ev *e, const term_state *s, tally *t, int cap, fisc_decimal *a, const fisc_decimal *limit,
                           const fisc_decimal *counted)
{
    fisc_decimal room, before;
    const fisc_decimal *bound = limit;
    const char *room_text;
    fisc_status rc = FISC_OK;

    t->checked |= 1u << cap;
    fisc_decimal_init(&room);
    if (counted) {
        rc = fisc_decimal_sub(&room, limit, counted, e->err);
        bound = &room;
    }
    room_text = e->trace ? fiscp_ctx_printf(e->c, "%s%s", num(e, bound),
                                            counted ? fiscp_ctx_printf(e->c, " (%s − %s)", num(e, limit), num(e, counted))
                                                    : "")
                         : "";
    if (rc != FISC_OK || fisc_decimal_cmp(a, bound) <= 0) { /* within the cap: the common case */
        if (rc == FISC_OK && e->trace)
            cap_note(e, t, cap, fiscp_ctx_printf(e->c, "%s ≤ %s", num(e, a), room_text));
        fisc_decimal_clear(&room);
        return rc;
    }
    fisc_decimal_init(&before);
    rc = fisc_decimal_set(&before, a, e->err);
    if (rc == FISC_OK)
        limit_to(e, s->t, a, bound, &rc);
    t->bound |= 1u << cap;
    e->ceiling_bound |= cap == CAP_CEILING;
    if (rc == FISC_OK && e->trace)
        cap_note(e, t, cap, fiscp_ctx_printf(e->c, "%s > %s → %s", num(e, &before), room_text, num(e, a)));
    fisc_decimal_clear(&room);
    fisc_decimal_clear(&before);
    return rc;
}

/* cap_per_year, the rest of cap_total, the rest of the overall ceiling, in that order. */
static fisc_status apply_caps(ev *e, const term_state *s, tally *t, fisc_decimal *a)
{
    const fiscp_ag_term *term = s->t;
    fisc_status rc = FISC_OK;

    if (term->has_cap_year)
        rc = cap_one(e, s, t, CAP_YEAR, a, &term->cap_year, NULL);
    if (rc == FISC_OK && term->has_cap_total)
        rc = cap_one(e, s, t, CAP_TOTAL, a, &term->cap_total, &s->awarded);
    if (rc == FISC_OK && (e->a->has_ceiling_amount || e->a->has_ceiling_share))
        rc = cap_one(e, s, t, CAP_CEILING, a, &e->ceiling, &e->awarded);
    return rc;
}

/* A share as p/q with 64-bit integers (a decimal, or a fraction such as 1/3); 0 when it is not one. */
static int share_fraction(const fisc_decimal *v, int64_t *p, int64_t *q)
{
    static const int64_t P10[19] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                     10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
                                     100000000000000LL, 1000000000000000LL, 10000000000000000LL,
                                     100000000000000000LL, 1000000000000000000LL };
    char *text = NULL, *slash;
    int scale, ok;

    if (fiscp_decimal_small64(p, &scale, v))
        return scale <= 18 && *p >= 0 && (*q = P10[scale], 1);
    if (fisc_decimal_to_string(&text, v, NULL, NULL, NULL) != FISC_OK) /* "p/q" */
        return 0;
    slash = strchr(text, '/');
    ok = slash && slash - text <= 18 && strlen(slash + 1) <= 18 && text[0] != '-';
    if (ok) {
        *slash = '\0';
        *p = strtoll(text, NULL, 10);
        *q = strtoll(slash + 1, NULL, 10);
        ok = *q > 0;
    }
    fisc_string_free(text);
    return ok;
}

static void share_fractions(term_state *s)
{
    s->shares_small = 1;
    for (size_t k = 0; k < s->t->ninstalments && s->shares_small; k++)
        s->shares_small = share_fraction(&s->t->instalments[k].share, &s->share_p[k], &s->share_q[k]);
}

/* The award in rounding units, and the unit's coefficient and scale; 0 when they do not fit 64 bits. */
static int in_units(const fisc_decimal *total, const fisc_decimal *unit, int64_t *units, int64_t *cu, int *su)
{
    int64_t ct;
    int st;
    i128 num, den;

    if (!fiscp_decimal_small64(&ct, &st, total) || !fiscp_decimal_small64(cu, su, unit) || st > 18 || *su > 18 ||
        *cu <= 0 || ct < 0)
        return 0;
    num = (i128)ct;
    den = (i128)*cu;
    for (int i = 0; i < *su; i++)
        num *= 10;
    for (int i = 0; i < st; i++)
        den *= 10;
    if (num % den != 0 || num / den > INT64_MAX)
        return 0;
    *units = (int64_t)(num / den);
    return 1;
}

/*
 * The split on integers: units × p_k / q_k floored, then the units left one each to the largest dropped
 * fractions (ties: the earlier instalment). 0 (nothing written) when a value does not fit.
 */
static int split_units(term_state *s, slot *sl, const fisc_decimal *total, const fisc_decimal *unit)
{
    size_t n = s->t->ninstalments;
    int64_t units, cu, part[FISCP_AG_MAX_INSTALMENTS], left;
    i128 rem[FISCP_AG_MAX_INSTALMENTS];
    unsigned given = 0;
    int su;

    if (!s->shares_small || !in_units(total, unit, &units, &cu, &su))
        return 0;
    left = units;
    for (size_t k = 0; k < n; k++) {
        i128 x = (i128)units * s->share_p[k];

        part[k] = (int64_t)(x / s->share_q[k]);
        rem[k] = x % s->share_q[k];
        left -= part[k];
    }
    while (left > 0 && given != (1u << n) - 1) {
        size_t best = n;

        for (size_t k = 0; k < n; k++)
            if (!(given & (1u << k)) && (best == n || rem[k] * s->share_q[best] > rem[best] * s->share_q[k]))
                best = k;
        given |= 1u << best;
        part[best]++;
        left--;
    }
    for (size_t k = 0; k < n; k++)
        if (left != 0 || __builtin_mul_overflow(part[k], cu, &part[k]))
            return 0;
    for (size_t k = 0; k < n; k++)
        fiscp_decimal_set_scaled(&sl[k].amount, part[k], su);
    return 1;
}

/* The same split on exact decimals, for values beyond 64 bits. */
static fisc_status split_exact(ev *e, term_state *s, slot *sl, const fisc_decimal *total)
{
    const fiscp_ag_term *t = s->t;
    fisc_decimal drop[FISCP_AG_MAX_INSTALMENTS], left;
    unsigned given = 0;
    fisc_status rc;

    fisc_decimal_init(&left);
    for (size_t k = 0; k < t->ninstalments; k++)
        fisc_decimal_init(&drop[k]);
    rc = fisc_decimal_set(&left, total, e->err);
    for (size_t k = 0; k < t->ninstalments && rc == FISC_OK; k++) {
        rc = fisc_decimal_mul(&drop[k], total, &t->instalments[k].share, e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_round_unit(&sl[k].amount, &drop[k], &drop[k], &t->conf.unit, FISC_ROUND_DOWN, NULL,
                                         e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&left, &left, &sl[k].amount, e->err);
    }
    while (rc == FISC_OK && fisc_decimal_cmp(&left, &t->conf.unit) >= 0 && given != (1u << t->ninstalments) - 1) {
        size_t best = t->ninstalments;

        for (size_t k = 0; k < t->ninstalments; k++)
            if (!(given & (1u << k)) && (best == t->ninstalments || fisc_decimal_cmp(&drop[k], &drop[best]) > 0))
                best = k;
        given |= 1u << best;
        rc = fisc_decimal_add(&sl[best].amount, &sl[best].amount, &t->conf.unit, e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&left, &left, &t->conf.unit, e->err);
    }
    if (rc == FISC_OK && fisc_decimal_sign(&left) != 0)
        rc = fiscp_error_set(e->err, FISC_EINVAL, "the instalment shares of term %s do not add up to 100%%", t->id);
    fisc_decimal_clear(&left);
    for (size_t k = 0; k < t->ninstalments; k++)
        fisc_decimal_clear(&drop[k]);
    return rc;
}

/*
 * Split an award into its instalments exactly: each share floored to the rounding unit, then the units
 * left one each to the largest dropped fractions (ties: the earlier instalment). This is fisc_apportion's
 * largest-remainder rule with the shares as weights; the parts always add up to the award. Instalment k
 * falls due in the year of release + its `after`.
 */
static fisc_status split(ev *e, term_state *s, int xi, const fisc_decimal *total)
{
    const fiscp_ag_term *t = s->t;
    slot *sl = &s->slots[(size_t)xi * t->ninstalments];
    fisc_status rc = FISC_OK;

    if (!split_units(s, sl, total, &t->conf.unit))
        rc = split_exact(e, s, sl, total);
    for (size_t k = 0; k < t->ninstalments; k++) {
        sl[k].state = SL_SCHEDULED;
        sl[k].due = (short)(e->year + t->instalments[k].after);
    }
    if (s->used < (size_t)(xi + 1) * t->ninstalments)
        s->used = (size_t)(xi + 1) * t->ninstalments;
    return rc;
}

static const char *split_text(ev *e, const term_state *s, int xi)
{
    const fiscp_ag_term *t = s->t;
    const char *text = "";

    if (!e->trace || t->ninstalments < 2)
        return "";
    for (size_t k = 0; k < t->ninstalments; k++) {
        const slot *sl = &s->slots[(size_t)xi * t->ninstalments + k];

        text = fiscp_ctx_printf(e->c, "%s%s%s (%d)", text, k ? " + " : "; 分期 ", num(e, &sl->amount), sl->due);
    }
    return text;
}

/* The lowest bit of *m, taken out of it: to walk a set of bits (amounts that apply, clauses cited). */
static int next_bit(unsigned *m)
{
    int k = __builtin_ctz(*m);

    *m &= *m - 1;
    return k;
}

static fisc_status add(ev *e, tally *t, int which, const fisc_decimal *v)
{
    if ((which == T_WITHHELD || which == T_WAITING) && fisc_decimal_sign(v) == 0)
        return FISC_OK; /* nothing kept back, nothing waiting: not an amount that applies */
    t->has |= 1u << which;
    return fisc_decimal_add(&t->v[which], &t->v[which], v, e->err);
}

/* The step of a released award (tracing): its computation, rounding, caps and split. */
static fisc_status award_step(ev *e, const term_state *s, int x, const char *formula, const char *rounding,
                              const fisc_decimal *computed, const fisc_decimal *awarded)
{
    fisc_status rc;

    if (!e->trace)
        return FISC_OK;
    rc = fiscp_step(e->c, fiscp_ctx_printf(e->c, "award.%d", x), fiscp_ctx_printf(e->c, "%d年奖励", x),
                    fiscp_ctx_printf(e->c, "Award for %d", x),
                    s->t->kind == AGT_FIXED ? "金额，限额 / amount, capped"
                                            : "当年基数 × 比例 [× 逾期比例]，舍入，限额 / base of the year × rate "
                                              "[× late share], rounded, capped",
                    fiscp_ctx_printf(e->c, "%s → %s; 核定 %s%s", formula, fiscp_money(e->c, computed),
                                     fiscp_money(e->c, awarded), split_text(e, s, x - s->t->first_year)),
                    awarded);
    step_rounding(e, rounding);
    return rc;
}

/* Release the award of year x (its computed amount given): caps, split, running totals, the step. */
static fisc_status release(ev *e, term_state *s, tally *t, int x, const fisc_decimal *computed, const char *formula,
                           const char *rounding)
{
    int xi = x - s->t->first_year;
    fisc_decimal a, cut;
    fisc_status rc;

    fisc_decimal_init(&a);
    fisc_decimal_init(&cut);
    rc = fisc_decimal_set(&a, computed, e->err);
    if (rc == FISC_OK)
        rc = apply_caps(e, s, t, &a);
    if (rc == FISC_OK)
        rc = fisc_decimal_sub(&cut, computed, &a, e->err);
    if (rc == FISC_OK && fisc_decimal_sign(&cut) > 0)
        rc = add(e, t, T_WITHHELD, &cut);
    if (rc == FISC_OK)
        rc = add(e, t, T_COMPUTED, computed);
    if (rc == FISC_OK)
        rc = add(e, t, T_AWARDED, &a);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&s->awarded, &s->awarded, &a, e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&e->awarded, &e->awarded, &a, e->err);
    if (rc == FISC_OK)
        rc = split(e, s, xi, &a);
    t->cited |= 1u << C_INSTALMENTS;
    s->award[xi] = AW_RELEASED;
    t->released = 1;
    if (rc == FISC_OK)
        rc = award_step(e, s, x, formula, rounding, computed, &a);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&cut);
    return rc;
}

/* Whether a milestone of the release list is still unmet past its deadline: a release can then only be late. */
static int past_deadline(const ev *e, const term_state *s)
{
    for (size_t i = 0; i < s->t->release.n; i++) {
        const fiscp_ag_cond *k = &s->t->release.v[i];

        if (k->kind == AGC_METRIC && k->by_year && !s->ms[i].met && e->year > k->by_year)
            return 1;
        if (k->kind == AGC_EVENT_BY && !s->ms[i].met && e->year * 10000 + 1231 > k->date)
            return 1;
    }
    return 0;
}

/* An award that cannot be released this year: failed for good (withheld) or waiting. */
static fisc_status hold_award(ev *e, term_state *s, tally *t, int x, check st, int late)
{
    fisc_decimal amount;
    int known;
    fisc_status rc;

    if (st == CK_FAIL) {
        s->award[x - s->t->first_year] = AW_FAILED;
        t->failed = 1;
    } else {
        t->unknown |= st == CK_UNKNOWN;
    }
    if (st == CK_UNKNOWN && (rc = note_release(e, s, x)) != FISC_OK)
        return rc;
    late = late || (st != CK_FAIL && past_deadline(e, s));
    t->cited |= late || (st == CK_FAIL && fisc_decimal_sign(&s->t->late_share) == 0) ? 1u << C_LATE : 0;
    fisc_decimal_init(&amount);
    rc = award_amount(e, s, x, late, &amount, &known, NULL, NULL);
    if (rc == FISC_OK && known)
        rc = add(e, t, st == CK_FAIL ? T_WITHHELD : T_WAITING, &amount);
    t->unknown |= !known && st != CK_FAIL;
    fisc_decimal_clear(&amount);
    return rc;
}

/* The award of covered year x, not yet decided: release it, hold it, or let it wait. */
static fisc_status consider(ev *e, term_state *s, tally *t, int x)
{
    check st = release_state(e, s, x);
    fisc_decimal computed;
    const char *formula = "", *rounding = "";
    int known;
    fisc_status rc;

    if (st != CK_MET && st != CK_LATE)
        return hold_award(e, s, t, x, st, 0);
    if (!e->ceiling_known) { /* the room under the ceiling is unknown: the award waits */
        rc = note_missing(e, e->ceiling_gap, AGM_FIXED_ASSET_INVESTMENT);
        return rc == FISC_OK ? hold_award(e, s, t, x, CK_UNKNOWN, st == CK_LATE) : rc;
    }
    fisc_decimal_init(&computed);
    t->cited |= st == CK_LATE ? 1u << C_LATE : 0;
    rc = award_amount(e, s, x, st == CK_LATE, &computed, &known, &formula, &rounding);
    if (rc == FISC_OK && known)
        rc = release(e, s, t, x, &computed, formula, rounding);
    t->unknown |= !known;
    fisc_decimal_clear(&computed);
    return rc;
}

static fisc_status releases(ev *e, term_state *s, tally *t)
{
    const fiscp_ag_term *term = s->t;
    int upto = e->year < term->last_year ? e->year : term->last_year;
    fisc_status rc = FISC_OK;

    while (term->first_year + s->pending <= upto && s->award[s->pending] != AW_PENDING)
        s->pending++;
    for (int x = term->first_year + s->pending; x <= upto && rc == FISC_OK; x++) {
        if (s->award[x - term->first_year] != AW_PENDING)
            continue;
        t->show = x;
        rc = consider(e, s, t, x);
    }
    return rc;
}

static fisc_status record_caps(ev *e, const term_state *s, const tally *t)
{
    static const char *const ZH[CAP_COUNT] = { "不超过年度上限", "不超过累计上限", "不超过协议总额上限" };
    static const char *const EN[CAP_COUNT] = { "Within the cap per year", "Within the total cap",
                                               "Within the agreement's overall ceiling" };
    fisc_status rc = FISC_OK;

    (void)s;
    for (unsigned m = t->checked; m && rc == FISC_OK;) {
        int cap = next_bit(&m);

        rc = fiscp_condition(e->c, CAP_ID[cap], ZH[cap], EN[cap],
                             t->bound & (1u << cap) ? FISC_COND_NOT_MET : FISC_COND_MET,
                             t->cap_detail[cap] ? t->cap_detail[cap] : "");
    }
    return rc;
}

/* ------------------------------------------------------------------ instalments and clawback */

/* An instalment's conditions in year d: the heaviest state; *why the first input missing, if any. */
static check instalment_state(ev *e, const term_state *s, size_t k, int d, const char **why)
{
    const fiscp_ag_conds *l = &s->t->instalments[k].conds;
    check worst = CK_MET;

    *why = NULL;
    for (size_t j = 0; j < l->n; j++) {
        verdict v = instalment_cond(e, &l->v[j], s->ms + s->inst_ms[k] + j, d);

        if (v.state == CK_UNKNOWN && !*why && v.metric >= 0)
            *why = missing_name(e, v.year, v.metric);
        worst = v.state > worst ? v.state : worst;
    }
    return worst;
}

/* The slots falling due this year (indices into the term's slots), and those still waiting from before. */
typedef struct due_list {
    size_t n, nwaiting;
    unsigned short at[FISCP_AG_MAX_SPAN * FISCP_AG_MAX_INSTALMENTS];
    unsigned short waiting[FISCP_AG_MAX_SPAN * FISCP_AG_MAX_INSTALMENTS];
} due_list;

static void list_due(const ev *e, term_state *s, due_list *d)
{
    d->n = d->nwaiting = 0;
    while (s->open < s->used && (s->slots[s->open].state == SL_PAID || s->slots[s->open].state == SL_FORFEITED))
        s->open++; /* settled for good: never looked at again */
    for (size_t i = s->open; i < s->used; i++) {
        const slot *sl = &s->slots[i];

        if (sl->state == SL_SCHEDULED && sl->due == e->year)
            d->at[d->n++] = (unsigned short)i;
        else if (sl->state == SL_WAITING)
            d->waiting[d->nwaiting++] = (unsigned short)i;
    }
}

/* The instalments (indices k) among the slots falling due, as a bit set; *nconds their conditions. */
static unsigned due_set(const term_state *s, const due_list *d, size_t *nconds)
{
    size_t n = s->t->ninstalments, total = 0;
    unsigned set = 0;

    for (size_t j = 0; j < d->n; j++) {
        size_t k = d->at[j] % n;

        if (!(set & (1u << k))) {
            set |= 1u << k;
            total += s->t->instalments[k].conds.n;
        }
    }
    *nconds = total;
    return set;
}

/* The instalments' conditions: each one, or (when they would not fit in the item) one line for them all. */
static fisc_status record_instalments(ev *e, const term_state *s, unsigned set, size_t nconds, size_t reserve)
{
    size_t room = ITEM_CONDITIONS - fiscp_ctx_item(e->c)->condition_count - reserve;
    check worst = CK_MET;
    fisc_status rc = FISC_OK;

    for (size_t k = 0; k < s->t->ninstalments && rc == FISC_OK; k++) {
        const fiscp_ag_conds *l = &s->t->instalments[k].conds;

        if (!(set & (1u << k)))
            continue;
        for (size_t j = 0; j < l->n && rc == FISC_OK; j++) {
            verdict v = instalment_cond(e, &l->v[j], s->ms + s->inst_ms[k] + j, e->year);

            worst = v.state > worst ? v.state : worst;
            if (nconds <= room)
                rc = record(e, &l->v[j], &v, e->year);
        }
    }
    if (rc == FISC_OK && nconds > room)
        rc = fiscp_condition(e->c, "instalments", "分期付款条件", "Instalment conditions", cond_state(worst),
                             e->trace ? fiscp_ctx_printf(e->c, "%zu 项条件，见协议", nconds) : "");
    return rc;
}

/* Waiting: shown again each year with what it waits for (it concerns a past year, so it cannot change). */
static fisc_status wait(ev *e, tally *t, slot *sl, const char *why)
{
    fisc_status rc;

    sl->state = SL_WAITING;
    sl->why = why;
    t->unknown = 1;
    rc = note_name(e, why);
    return rc == FISC_OK ? add(e, t, T_WAITING, &sl->amount) : rc;
}

/* The instalments falling due: forfeited (a condition failed), waiting (unknown) or payable. */
static fisc_status instalments(ev *e, term_state *s, tally *t, due_list *d)
{
    const fiscp_ag_term *term = s->t;
    size_t nconds, reserve = own_clawback(e->a, term) ? term->clawback->conds.n : 1;
    unsigned set;
    fisc_status rc = FISC_OK;

    list_due(e, s, d);
    t->cited |= d->n || d->nwaiting ? 1u << C_INSTALMENTS : 0;
    for (size_t j = 0; j < d->nwaiting && rc == FISC_OK; j++)
        rc = wait(e, t, &s->slots[d->waiting[j]], s->slots[d->waiting[j]].why);
    set = due_set(s, d, &nconds);
    if (rc == FISC_OK && nconds)
        rc = record_instalments(e, s, set, nconds, reserve);
    for (size_t j = 0; j < d->n && rc == FISC_OK; j++) {
        slot *sl = &s->slots[d->at[j]];
        const char *why;
        check st = instalment_state(e, s, d->at[j] % term->ninstalments, e->year, &why);

        if (st == CK_FAIL) {
            sl->state = SL_FORFEITED;
            rc = add(e, t, T_WITHHELD, &sl->amount);
        } else if (st == CK_UNKNOWN) {
            rc = wait(e, t, sl, why);
        } else {
            sl->state = SL_PAYABLE;
        }
    }
    return rc;
}

/* The clawback's commitments as of the year: the earliest breach, and the earliest breach not ruled out. */
/*
 * A clawback's commitments as of the year (milestones in ms): the earliest breach, and the earliest breach not
 * ruled out (*why: the input it lacks). With record, each commitment is recorded as a condition of the item.
 */
static fisc_status commitments(ev *e, const fiscp_ag_clawback *cb, const milestone *ms, int record_them,
                               fiscp_date *breach, fiscp_date *unknown, const char **why)
{
    const fiscp_ag_conds *l = &cb->conds;
    fisc_status rc = FISC_OK;

    *breach = *unknown = 0;
    *why = NULL;
    for (size_t j = 0; j < l->n && rc == FISC_OK; j++) {
        const fiscp_ag_cond *k = &l->v[j];
        verdict v = commitment(e, k, ms + j);

        if (v.state == CK_FAIL && (!*breach || v.date < *breach))
            *breach = v.date;
        if (v.state == CK_UNKNOWN && (!*unknown || v.date < *unknown)) {
            *unknown = v.date;
            if (!(*why = missing_name(e, v.year, v.metric)))
                return fiscp_error_nomem(e->err);
        }
        if (record_them && (rc = note_verdict(e, &v)) == FISC_OK)
            rc = record(e, k, &v, k->by_year ? (e->year < k->by_year ? e->year : k->by_year) : e->year);
    }
    return rc;
}

/* The package-wide clawback's commitments: checked once a year, for every term it covers (recorded in the package). */
static fisc_status package_commitments(ev *e, fiscp_date *breach, fiscp_date *unknown, const char **why)
{
    fisc_status rc = FISC_OK;

    if (e->claw_year != e->year) {
        rc = commitments(e, e->a->package_clawback, e->pkg_ms, 0, &e->claw_breach, &e->claw_unknown, &e->claw_why);
        e->claw_year = e->year;
    }
    *breach = e->claw_breach;
    *unknown = e->claw_unknown;
    *why = e->claw_why;
    return rc != FISC_OK || !*why ? rc : note_name(e, *why);
}

/* The package-wide commitment that a term's clawback rests on, recorded in the term's item. */
static fisc_status record_breach(ev *e, fiscp_date breach)
{
    const fiscp_ag_conds *l = &e->a->package_clawback->conds;

    for (size_t j = 0; j < l->n; j++) {
        verdict v = commitment(e, &l->v[j], e->pkg_ms + j);

        if (v.state == CK_FAIL && v.date == breach)
            return record(e, &l->v[j], &v, l->v[j].by_year ? l->v[j].by_year : e->year);
    }
    return FISC_OK;
}

static int paying(const term_state *s, const due_list *d)
{
    if (fisc_decimal_sign(&s->paid) > 0)
        return 1;
    for (size_t j = 0; j < d->n; j++)
        if (s->slots[d->at[j]].state == SL_PAYABLE)
            return 1;
    return 0;
}

/* Pay the payable instalments on the year's pay_on date, unless a breach (or a possible one) came first. */
static fisc_status pay(ev *e, term_state *s, tally *t, const due_list *d, fiscp_date breach)
{
    fiscp_date on = e->year * 10000 + s->t->pay_on;
    fisc_status rc = FISC_OK;

    for (size_t j = 0; j < d->n && rc == FISC_OK; j++) {
        slot *sl = &s->slots[d->at[j]];

        if (sl->state != SL_PAYABLE)
            continue;
        if (breach && on > breach) {
            sl->state = SL_FORFEITED;
            rc = add(e, t, T_WITHHELD, &sl->amount);
        } else if (s->hold && on > s->hold) {
            rc = wait(e, t, sl, s->hold_why);
        } else {
            sl->state = SL_PAID;
        }
    }
    return rc;
}

/* Under a higher_of rule: the year's payments wait while G is unknown; else they absorb what is left of G. */
static fisc_status higher_of(ev *e, term_state *s, tally *t, const due_list *d, rule_state *g)
{
    fisc_decimal cut;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&cut);
    for (size_t j = 0; j < d->n && rc == FISC_OK; j++) {
        slot *sl = &s->slots[d->at[j]];

        if (sl->state != SL_PAID)
            continue;
        if (!g->known) {
            rc = wait(e, t, sl, g->why);
            continue;
        }
        rc = fisc_decimal_min(&cut, &sl->amount, &g->left, e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&sl->amount, &sl->amount, &cut, e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&g->left, &g->left, &cut, e->err);
        if (rc == FISC_OK)
            rc = add(e, t, T_OFFSET, &cut);
    }
    fisc_decimal_clear(&cut);
    return rc;
}

static fisc_status combine_term(ev *e, term_state *s, tally *t, const due_list *d)
{
    fisc_status rc = FISC_OK;

    if (e->schedule)
        return FISC_OK;
    for (size_t i = 0; i < e->a->ncombine && rc == FISC_OK; i++)
        if ((s->rules & (1u << i)) && e->a->combine[i].mode == AGX_HIGHER_OF)
            rc = higher_of(e, s, t, d, &e->rule[i]);
    return rc;
}

/* The year's due: what was paid (after any offset), added to what the term has paid. */
static fisc_status settle(ev *e, term_state *s, tally *t, const due_list *d)
{
    fisc_status rc = FISC_OK;

    for (size_t j = 0; j < d->n && rc == FISC_OK; j++)
        if (s->slots[d->at[j]].state == SL_PAID)
            rc = add(e, t, T_DUE, &s->slots[d->at[j]].amount);
    if (rc == FISC_OK && (t->has & (1u << T_DUE)))
        rc = fisc_decimal_add(&s->paid, &s->paid, &t->v[T_DUE], e->err);
    return rc;
}

/* Σ payment × days from its date to the breach, over what the term paid. */
static fisc_status payment_days(ev *e, const term_state *s, fiscp_date breach, fisc_decimal *out, const char **text)
{
    size_t nslots = s->used;
    fisc_decimal part, days;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&part);
    fisc_decimal_init(&days);
    fisc_decimal_set_int(out, 0);
    *text = "";
    for (size_t i = 0; i < nslots && rc == FISC_OK; i++) {
        const slot *sl = &s->slots[i];
        long d;

        if (sl->state != SL_PAID)
            continue;
        d = fiscp_date_days(breach) - fiscp_date_days(sl->due * 10000 + s->t->pay_on);
        fisc_decimal_set_int(&days, d > 0 ? d : 0);
        rc = fisc_decimal_mul(&part, &sl->amount, &days, e->err);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(out, out, &part, e->err);
        if (e->trace)
            *text = fiscp_ctx_printf(e->c, "%s%s%s × %ld", *text, (*text)[0] ? " + " : "", num(e, &sl->amount),
                                     d > 0 ? d : 0);
    }
    fisc_decimal_clear(&part);
    fisc_decimal_clear(&days);
    return rc;
}

/* interest = share × rate × Σ(payment × days) / basis, rounded once. */
static fisc_status interest(ev *e, const term_state *s, tally *t, fiscp_date breach)
{
    const fiscp_ag_clawback *cb = s->t->clawback;
    fisc_decimal sum, basis, exact, rounded;
    const char *terms = "", *rounding = "";
    fisc_status rc;

    fisc_decimal_init(&sum);
    fisc_decimal_init(&basis);
    fisc_decimal_init(&exact);
    fisc_decimal_init(&rounded);
    fisc_decimal_set_int(&basis, cb->day_basis);
    rc = payment_days(e, s, breach, &sum, &terms);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&exact, &sum, &cb->share, e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&exact, &exact, &cb->interest_rate, e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_div(&exact, &exact, &basis, e->err);
    if (rc == FISC_OK)
        rc = round_money(e, s->t, &exact, &rounded, &rounding);
    if (rc == FISC_OK)
        rc = add(e, t, T_INTEREST, &rounded);
    if (rc == FISC_OK && e->trace) {
        rc = fiscp_step(e->c, "clawback.interest", "追回利息", "Interest on the clawback",
                        "追回比例 × 年利率 × Σ(付款额 × 天数) / 计息基数 / share × rate × Σ(payment × days) / basis",
                        fiscp_ctx_printf(e->c, "%s × %s × (%s) / %d", fiscp_percent(e->c, &cb->share),
                                         fiscp_percent(e->c, &cb->interest_rate), terms, cb->day_basis),
                        &rounded);
        step_rounding(e, rounding);
    }
    fisc_decimal_clear(&sum);
    fisc_decimal_clear(&basis);
    fisc_decimal_clear(&exact);
    fisc_decimal_clear(&rounded);
    return rc;
}

/* The term ends: what it has not paid is forfeited, what it has not released never will be. */
static fisc_status end_term(ev *e, term_state *s, tally *t)
{
    size_t ncov = (size_t)(s->t->last_year - s->t->first_year + 1);
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < s->used && rc == FISC_OK; i++) {
        slot *sl = &s->slots[i];

        if (sl->state == SL_SCHEDULED || sl->state == SL_WAITING) {
            sl->state = SL_FORFEITED;
            rc = add(e, t, T_WITHHELD, &sl->amount);
        }
    }
    for (size_t x = 0; x < ncov; x++)
        if (s->award[x] == AW_PENDING)
            s->award[x] = AW_FAILED;
    s->ended = 1;
    return rc;
}

/* A breach: repay share × everything paid under the term, with interest when the clause adds it; the term ends. */
static fisc_status claw_back(ev *e, term_state *s, tally *t, fiscp_date breach)
{
    const fiscp_ag_clawback *cb = s->t->clawback;
    fisc_decimal exact, repay;
    const char *rounding = "";
    char day[11];
    fisc_status rc;

    t->clawback = 1;
    t->breach = breach;
    fisc_decimal_init(&exact);
    fisc_decimal_init(&repay);
    rc = fisc_decimal_mul(&exact, &cb->share, &s->paid, e->err);
    if (rc == FISC_OK)
        rc = round_money(e, s->t, &exact, &repay, &rounding);
    if (rc == FISC_OK)
        rc = add(e, t, T_REPAY, &repay);
    if (rc == FISC_OK && e->trace) {
        fiscp_date_format(day, breach);
        rc = fiscp_step(e->c, "clawback.repay", "追回已付款项", "Clawback of what was paid",
                        "追回比例 × 已付合计 / share × paid to date",
                        fiscp_ctx_printf(e->c, "%s × %s (违约日 %s)", fiscp_percent(e->c, &cb->share),
                                         num(e, &s->paid), day),
                        &repay);
        step_rounding(e, rounding);
    }
    if (rc == FISC_OK && cb->has_interest)
        rc = interest(e, s, t, breach);
    if (rc == FISC_OK)
        rc = end_term(e, s, t);
    fisc_decimal_clear(&exact);
    fisc_decimal_clear(&repay);
    return rc;
}

/* The year's instalments, the clawback check (from the first payment), the payments and any clawback. */
static fisc_status payments(ev *e, term_state *s, tally *t)
{
    fiscp_date breach = 0, unknown = 0;
    const char *why = NULL;
    due_list d;
    fisc_status rc = instalments(e, s, t, &d);

    if (rc == FISC_OK && own_clawback(e->a, s->t) && paying(s, &d)) {
        t->cited |= 1u << C_CLAWBACK;
        rc = commitments(e, s->t->clawback, s->ms + s->claw_ms, 1, &breach, &unknown, &why);
    } else if (rc == FISC_OK && s->t->clawback && paying(s, &d)) {
        rc = package_commitments(e, &breach, &unknown, &why);
        if (rc == FISC_OK && breach) {
            t->cited |= 1u << C_CLAWBACK;
            rc = record_breach(e, breach);
        }
    }
    if (rc == FISC_OK && unknown && (!breach || unknown < breach) && (!s->hold || unknown < s->hold)) {
        s->hold = unknown;
        s->hold_why = why;
    }
    if (rc == FISC_OK)
        rc = pay(e, s, t, &d, breach);
    if (rc == FISC_OK)
        rc = combine_term(e, s, t, &d);
    if (rc == FISC_OK)
        rc = settle(e, s, t, &d);
    if (rc == FISC_OK && breach)
        rc = claw_back(e, s, t, breach);
    return rc;
}

/* ------------------------------------------------------------------ the term's item */

static fisc_status cite_all(ev *e, const term_state *s, const tally *t)
{
    fisc_status rc = FISC_OK;

    unsigned cited = t->cited | (t->checked & (1u << CAP_YEAR) ? 1u << C_CAP_YEAR : 0) |
                     (t->checked & (1u << CAP_TOTAL) ? 1u << C_CAP_TOTAL : 0);

    if (!t->has && !t->show && !s->ended) /* a year with no figure under the term cites nothing */
        cited &= ~(1u << C_BASE);

    for (unsigned m = cited; m && rc == FISC_OK;) {
        int k = next_bit(&m);

        if (s->t->cite[k].id)
            rc = fiscp_cite(e->c, &s->t->cite[k]);
        else if (k == C_CLAWBACK && e->a->claw_cite.id) /* the package's clawback */
            rc = fiscp_cite(e->c, &e->a->claw_cite);
    }
    for (size_t i = 0; t->show && i < s->t->release.n && rc == FISC_OK; i++)
        rc = fiscp_cite(e->c, &s->t->cond_cite[i]);
    if (rc == FISC_OK && (t->checked & (1u << CAP_CEILING)))
        rc = fiscp_cite(e->c, &e->a->ceiling_cite);
    return rc;
}

static fisc_status record_amounts(ev *e, const term_state *s, tally *t)
{
    int concession = s->t->kind == AGT_CONCESSION;
    fisc_decimal left;
    fisc_status rc = FISC_OK;

    for (unsigned m = t->has; m && rc == FISC_OK;) {
        int k = next_bit(&m);
        int category = k == T_DUE ? FISC_CATEGORY_SUBSIDY
                     : k == T_REPAY || k == T_INTEREST ? FISC_CATEGORY_REPAYMENT : -1;

        rc = fiscp_amount(e->c, k == T_DUE && concession ? "concession" : TERM_AMOUNT[k], &t->v[k], category);
    }
    /* the informative running figures, in the years they bear on: a payment, a clawback check, a cap applied */
    if (rc == FISC_OK && ((t->has & (1u << T_DUE)) || (t->cited & (1u << C_CLAWBACK)) || s->ended))
        rc = fiscp_amount(e->c, "paid_to_date", &s->paid, -1);
    if (rc != FISC_OK || !(t->checked & (1u << CAP_TOTAL)))
        return rc;
    fisc_decimal_init(&left);
    rc = fisc_decimal_sub(&left, &s->t->cap_total, &s->awarded, e->err);
    if (rc == FISC_OK && fisc_decimal_sign(&left) < 0)
        fisc_decimal_set_int(&left, 0);
    if (rc == FISC_OK)
        rc = fiscp_amount(e->c, "cap_total_remaining", &left, -1);
    fisc_decimal_clear(&left);
    return rc;
}

static fisc_outcome term_outcome(const tally *t)
{
    if (t->clawback)
        return FISC_OUTCOME_NOT_ELIGIBLE;
    if (fisc_decimal_sign(&t->v[T_DUE]) > 0)
        return FISC_OUTCOME_ELIGIBLE;
    if (t->unknown) /* nothing paid, and something waits for a figure: say which */
        return FISC_OUTCOME_UNDETERMINED;
    return fisc_decimal_sign(&t->v[T_AWARDED]) > 0 ? FISC_OUTCOME_ELIGIBLE : FISC_OUTCOME_NOT_ELIGIBLE;
}

/* One line (tracing): what is due, withheld, waiting or repaid this year. */
static fisc_status term_summary(ev *e, const term_state *s, const tally *t, fisc_outcome outcome)
{
    fiscp_ctx *c = e->c;
    const char *zh, *en;

    if (!e->trace)
        return FISC_OK;
    if (t->clawback) {
        zh = fiscp_ctx_printf(c, "%d年触发追回：应退还 %s 元，利息 %s 元；本条款终止", e->year, fiscp_money(c, &t->v[T_REPAY]),
                              fiscp_money(c, &t->v[T_INTEREST]));
        en = fiscp_ctx_printf(c, "clawback in %d: repay %s yuan, interest %s yuan; the term ends", e->year,
                              fiscp_money(c, &t->v[T_REPAY]), fiscp_money(c, &t->v[T_INTEREST]));
    } else if (s->ended) {
        zh = "本条款已因追回终止";
        en = "the term ended with a clawback";
    } else if (!(t->has & ((1u << T_DUE) | (1u << T_WITHHELD) | (1u << T_WAITING) | (1u << T_AWARDED)))) {
        zh = fiscp_ctx_printf(c, "%d年本条款无应付、扣留或待定款项", e->year);
        en = fiscp_ctx_printf(c, "%d: nothing due, withheld or waiting under the term", e->year);
    } else {
        zh = fiscp_ctx_printf(c, "%d年应付 %s 元；扣留 %s 元；待定 %s 元%s", e->year, fiscp_money(c, &t->v[T_DUE]),
                              fiscp_money(c, &t->v[T_WITHHELD]), fiscp_money(c, &t->v[T_WAITING]),
                              outcome == FISC_OUTCOME_UNDETERMINED ? "（缺少实际数据）" : "");
        en = fiscp_ctx_printf(c, "%d: due %s yuan; withheld %s; waiting %s%s", e->year, fiscp_money(c, &t->v[T_DUE]),
                              fiscp_money(c, &t->v[T_WITHHELD]), fiscp_money(c, &t->v[T_WAITING]),
                              outcome == FISC_OUTCOME_UNDETERMINED ? " (actual figures missing)" : "");
    }
    return fiscp_summary(c, zh, en);
}

/* A term the legal gate forbids paying (公平竞争审查条例, agreement.fair_competition.restricted_base). */
static fisc_status gated(ev *e, const term_state *s)
{
    const fisc_param *q = e->a->params[AGP_RESTRICTED_BASE];
    const char *keys[1] = { fiscp_ag_metrics[s->t->base].name };
    const fisc_decimal *v;
    fisc_status rc;

    rc = fiscp_condition(e->c, "legal.fair_competition", "不以纳税额或地方财力贡献计算奖励（公平竞争审查）",
                         "Not computed from taxes paid or local fiscal contribution (fair competition review)",
                         FISC_COND_NOT_MET,
                         e->trace ? fiscp_ctx_printf(e->c, "签订于 %s，基数 %s：该条款不予兑付（见检查结果 legal.fair_competition）",
                                                     e->a->signed_text, keys[0])
                                  : "");
    if (rc == FISC_OK && q && fiscp_param_entry_on(q, e->a->signed_on))
        rc = fiscp_policy_table_on(e->c, q, e->a->signed_on, keys, &v);
    if (rc == FISC_OK)
        rc = fiscp_cite(e->c, &s->t->cite[C_BASE]);
    fiscp_outcome(e->c, FISC_OUTCOME_NOT_ELIGIBLE);
    if (rc == FISC_OK && e->trace)
        rc = fiscp_summary(e->c, "公平竞争审查：该条款不予兑付", "fair competition review: the term is never paid");
    return rc;
}

static fisc_status package_add(ev *e, int which, const fisc_decimal *v)
{
    e->pkg_has |= 1u << which;
    return fisc_decimal_add(&e->pkg[which], &e->pkg[which], v, e->err);
}

/* The term's share of the package's year. */
static fisc_status to_package(ev *e, const term_state *s, const tally *t, fisc_outcome outcome)
{
    static const int MAP[T_COUNT] = { [T_COMPUTED] = -1, [T_AWARDED] = -1, [T_DUE] = P_DUE, [T_OFFSET] = P_OFFSET,
                                      [T_WITHHELD] = P_WITHHELD, [T_WAITING] = P_WAITING, [T_REPAY] = P_REPAY,
                                      [T_INTEREST] = P_INTEREST };
    fisc_status rc = FISC_OK;

    for (unsigned m = t->has; m && rc == FISC_OK;) {
        int k = next_bit(&m);
        int p = k == T_DUE && s->t->kind == AGT_CONCESSION ? P_CONCESSION : MAP[k];

        if (p >= 0)
            rc = package_add(e, p, &t->v[k]);
    }
    for (unsigned m = s->rules; m && rc == FISC_OK && !e->schedule && (t->has & (1u << T_DUE));) {
        int i = next_bit(&m);

        if (e->a->combine[i].mode == AGX_HIGHER_OF)
            rc = package_add(e, P_TOP_UP, &t->v[T_DUE]);
    }
    e->pkg_unknown |= outcome == FISC_OUTCOME_UNDETERMINED;
    e->pkg_released |= t->released;
    return rc;
}

static fisc_status term_year(ev *e, term_state *s, tally *t)
{
    fisc_outcome outcome;
    fisc_status rc = FISC_OK;

    if (!s->ended)
        rc = releases(e, s, t);
    if (rc == FISC_OK && t->show)
        rc = record_release(e, s, t->show);
    if (rc == FISC_OK)
        rc = record_caps(e, s, t);
    if (rc == FISC_OK && !s->ended)
        rc = payments(e, s, t);
    if (rc == FISC_OK)
        rc = cite_all(e, s, t);
    if (rc == FISC_OK)
        rc = record_amounts(e, s, t);
    outcome = term_outcome(t);
    fiscp_outcome(e->c, outcome);
    if (rc == FISC_OK)
        rc = term_summary(e, s, t, outcome);
    return rc == FISC_OK ? to_package(e, s, t, outcome) : rc;
}

/* Ready for the next item: field by field (a memset of the whole is slower for this size). */
static void tally_reset(tally *t)
{
    for (unsigned m = t->has; m;) /* only what the last item touched (add() marks it) */
        fisc_decimal_set_int(&t->v[next_bit(&m)], 0);
    t->has = t->checked = t->bound = 0;
    t->cited = 1u << C_BASE;
    t->released = t->unknown = t->failed = t->clawback = t->show = 0;
    for (int k = 0; k < CAP_COUNT; k++)
        t->cap_detail[k] = NULL;
    t->breach = 0;
}

static fisc_status term_item(ev *e, term_state *s)
{
    tally *t = &e->tally;
    fisc_status rc;

    tally_reset(t);
    rc = fiscp_item_begin(e->c, &s->t->conf);
    if (rc == FISC_OK)
        rc = s->t->gated ? gated(e, s) : term_year(e, s, t);
    return rc == FISC_OK ? fiscp_item_end(e->c) : rc;
}

/* ------------------------------------------------------------------ the package */

/* The overall ceiling in force this year: the amount, and/or share × the fixed-asset investment to date. */
static fisc_status ceiling_now(ev *e)
{
    const fisc_agreement *a = e->a;
    const fisc_decimal *fai;
    fisc_decimal by_share;
    fisc_status rc = FISC_OK;

    e->ceiling_known = 1;
    e->ceiling_bound = 0;
    if (a->has_ceiling_amount)
        rc = fisc_decimal_set(&e->ceiling, &a->ceiling_amount, e->err);
    if (!a->has_ceiling_share || rc != FISC_OK)
        return rc;
    if (!(fai = metric(e, e->year, AGM_FIXED_ASSET_INVESTMENT, AGO_CUMULATIVE, &e->ceiling_gap))) {
        e->ceiling_known = 0;
        return FISC_OK;
    }
    fisc_decimal_init(&by_share);
    rc = fisc_decimal_mul(&by_share, fai, &a->ceiling_share, e->err);
    if (rc == FISC_OK)
        rc = a->has_ceiling_amount ? fisc_decimal_min(&e->ceiling, &e->ceiling, &by_share, e->err)
                                   : fisc_decimal_set(&e->ceiling, &by_share, e->err);
    fisc_decimal_clear(&by_share);
    return rc;
}

/* G of a rule: the subsidy and tax relief its general programs give this year (unknown without facts). */
static fisc_status general_amounts(ev *e, size_t ri, int have_facts)
{
    const fiscp_ag_combine *cb = &e->a->combine[ri];
    rule_state *g = &e->rule[ri];
    fisc_status rc = FISC_OK;

    fisc_decimal_set_int(&g->sub, 0);
    fisc_decimal_set_int(&g->rel, 0);
    g->known = have_facts;
    g->why = have_facts ? NULL : missing_name(e, e->year, -1);
    if (!have_facts)
        return g->why ? FISC_OK : fiscp_error_nomem(e->err);
    for (size_t p = 0; p < cb->nprograms && rc == FISC_OK; p++) {
        const fisc_item *it = fisc_result_find(e->r, cb->programs[p]);

        if (!it)
            continue; /* not enabled by the policy: it gives nothing */
        if (it->outcome == FISC_OUTCOME_UNDETERMINED) {
            g->known = 0;
            g->why = it->missing_count ? fiscp_arena_printf(e->arena, "actuals.%d.facts.%s", e->year, it->missing[0])
                                       : missing_name(e, e->year, -1);
            if (!g->why)
                return fiscp_error_nomem(e->err);
            continue;
        }
        for (size_t k = 0; k < it->amount_count && rc == FISC_OK; k++) {
            int cat = it->amounts[k].category;

            if (cat == FISC_CATEGORY_SUBSIDY || cat == FISC_CATEGORY_TAX_RELIEF)
                rc = fisc_decimal_add(cat == FISC_CATEGORY_SUBSIDY ? &g->sub : &g->rel,
                                      cat == FISC_CATEGORY_SUBSIDY ? &g->sub : &g->rel, it->amounts[k].value, e->err);
        }
    }
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&g->left, &g->sub, &g->rel, e->err);
    return rc;
}

static fisc_status combine_rule(ev *e, size_t ri)
{
    const fiscp_ag_combine *cb = &e->a->combine[ri];
    rule_state *g = &e->rule[ri];
    fisc_decimal total, neg;
    fisc_status rc;

    if (!g->known) {
        rc = fiscp_condition(e->c, COMBINE_ID[ri], "一般性政策当年金额已知", "The general programs' amount of the year is known",
                             FISC_COND_UNKNOWN,
                             e->trace ? fiscp_ctx_printf(e->c, "%s：缺少 %s", MODE_NAME[cb->mode], g->why) : "");
        if (rc == FISC_OK && cb->mode == AGX_HIGHER_OF)
            rc = note_name(e, g->why);
        return rc == FISC_OK ? fiscp_cite(e->c, &e->a->combine_cite[ri]) : rc;
    }
    fisc_decimal_init(&total);
    fisc_decimal_init(&neg);
    rc = fisc_decimal_add(&total, &g->sub, &g->rel, e->err);
    if (rc == FISC_OK)
        rc = package_add(e, P_GENERAL, &total);
    if (rc == FISC_OK && cb->mode == AGX_EXCLUSIVE && (rc = fisc_decimal_neg(&neg, &g->sub, e->err)) == FISC_OK)
        rc = package_add(e, P_EXCLUDED, &neg);
    if (rc == FISC_OK && cb->mode == AGX_EXCLUSIVE && fisc_decimal_sign(&g->rel) &&
        (rc = fisc_decimal_neg(&neg, &g->rel, e->err)) == FISC_OK)
        rc = package_add(e, P_EXCLUDED_RELIEF, &neg);
    if (rc == FISC_OK)
        rc = fiscp_condition(e->c, COMBINE_ID[ri], "一般性政策当年金额已知", "The general programs' amount of the year is known",
                             FISC_COND_MET,
                             e->trace ? fiscp_ctx_printf(e->c, "%s：G = %s%s", MODE_NAME[cb->mode], num(e, &total),
                                                         cb->mode == AGX_HIGHER_OF
                                                             ? fiscp_ctx_printf(e->c, "，冲抵后剩余 %s", num(e, &g->left))
                                                             : "")
                                     : "");
    if (rc == FISC_OK)
        rc = fiscp_cite(e->c, &e->a->combine_cite[ri]);
    fisc_decimal_clear(&total);
    fisc_decimal_clear(&neg);
    return rc;
}

static fisc_status package_ceiling(ev *e)
{
    const fisc_agreement *a = e->a;
    fisc_decimal left;
    fisc_status rc = FISC_OK;

    if (!a->has_ceiling_amount && !a->has_ceiling_share)
        return FISC_OK;
    if (!e->ceiling_known)
        return fiscp_condition(e->c, "ceiling", "不超过协议总额上限", "Within the agreement's overall ceiling",
                               FISC_COND_UNKNOWN,
                               e->trace ? fiscp_ctx_printf(e->c, "缺少 %s",
                                                           text_or_empty(missing_name(e, e->ceiling_gap,
                                                                                      AGM_FIXED_ASSET_INVESTMENT)))
                                        : "");
    fisc_decimal_init(&left);
    rc = fisc_decimal_sub(&left, &e->ceiling, &e->awarded, e->err);
    if (rc == FISC_OK && fisc_decimal_sign(&left) < 0)
        fisc_decimal_set_int(&left, 0);
    if (rc == FISC_OK)
        rc = package_add(e, P_CEILING, &e->ceiling);
    if (rc == FISC_OK)
        rc = package_add(e, P_CEILING_LEFT, &left);
    if (rc == FISC_OK)
        rc = fiscp_condition(e->c, "ceiling", "不超过协议总额上限", "Within the agreement's overall ceiling",
                             e->ceiling_bound ? FISC_COND_NOT_MET : FISC_COND_MET,
                             e->trace ? fiscp_ctx_printf(e->c, "累计核定 %s / 上限 %s%s", num(e, &e->awarded),
                                                         num(e, &e->ceiling), e->ceiling_bound ? "（本年已封顶）" : "")
                                      : "");
    if (rc == FISC_OK)
        rc = fiscp_cite(e->c, &e->a->ceiling_cite);
    fisc_decimal_clear(&left);
    return rc;
}

/* The package-wide clawback's commitments, checked this year for the terms that have paid. */
static fisc_status package_clawback(ev *e)
{
    fiscp_date breach, unknown;
    const char *why;
    fisc_status rc = commitments(e, e->a->package_clawback, e->pkg_ms, 1, &breach, &unknown, &why);

    return rc == FISC_OK ? fiscp_cite(e->c, &e->a->claw_cite) : rc;
}

/* The terms the legal gate holds, and the policy's basis for the package (cited on the signing date). */
static fisc_status package_basis(ev *e)
{
    const fisc_agreement *a = e->a;
    const fisc_param *q = a->params[AGP_CATEGORY];
    const char *keys[1] = { a->category };
    const char *terms = "";
    const fisc_decimal *v;
    int gated = 0;
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < a->nterms; i++)
        if (a->terms[i].gated) {
            gated = 1;
            terms = e->trace ? fiscp_ctx_printf(e->c, "%s%s%s", terms, terms[0] ? ", " : "", a->terms[i].id) : "";
        }
    if (gated)
        rc = fiscp_condition(e->c, "legal.fair_competition", "不以纳税额或地方财力贡献计算奖励（公平竞争审查）",
                             "Not computed from taxes paid or local fiscal contribution (fair competition review)",
                             FISC_COND_NOT_MET, e->trace ? fiscp_ctx_printf(e->c, "不予兑付的条款：%s", terms) : "");
    if (rc == FISC_OK && gated && a->params[AGP_RESTRICTED_BASE] &&
        fiscp_param_entry_on(a->params[AGP_RESTRICTED_BASE], a->signed_on)) {
        for (size_t i = 0; i < a->nterms && rc == FISC_OK; i++)
            if (a->terms[i].gated) {
                const char *base[1] = { fiscp_ag_metrics[a->terms[i].base].name };

                rc = fiscp_policy_table_on(e->c, a->params[AGP_RESTRICTED_BASE], a->signed_on, base, &v);
            }
    }
    if (rc == FISC_OK && q && a->category && fiscp_param_entry_on(q, a->signed_on))
        rc = fiscp_policy_table_on(e->c, q, a->signed_on, keys, &v);
    return rc;
}

static fisc_status package_amounts(ev *e)
{
    fisc_status rc = FISC_OK;

    e->pkg_has |= 1u << P_DUE; /* the year's due, and what the package has awarded to date, always */
    rc = fisc_decimal_set(&e->pkg[P_AWARDED], &e->awarded, e->err);
    e->pkg_has |= 1u << P_AWARDED;
    for (unsigned m = e->pkg_has; m && rc == FISC_OK;) {
        int k = next_bit(&m);

        rc = fiscp_amount(e->c, PACKAGE_AMOUNT[k].name, &e->pkg[k], PACKAGE_AMOUNT[k].category);
    }
    return rc;
}

static fisc_outcome package_outcome(const ev *e)
{
    if (fisc_decimal_sign(&e->pkg[P_DUE]) > 0 || fisc_decimal_sign(&e->pkg[P_CONCESSION]) > 0)
        return FISC_OUTCOME_ELIGIBLE;
    /* undetermined only when that takes nothing out of the totals: an exclusion always counts */
    if (e->pkg_unknown && !fisc_decimal_sign(&e->pkg[P_EXCLUDED]) && !fisc_decimal_sign(&e->pkg[P_EXCLUDED_RELIEF]))
        return FISC_OUTCOME_UNDETERMINED;
    return e->pkg_released ? FISC_OUTCOME_ELIGIBLE : FISC_OUTCOME_NOT_ELIGIBLE;
}

static fisc_status package_summary(ev *e, fisc_outcome outcome)
{
    fiscp_ctx *c = e->c;
    fisc_decimal due;
    fisc_status rc;

    if (!e->trace)
        return FISC_OK;
    fisc_decimal_init(&due);
    rc = fisc_decimal_add(&due, &e->pkg[P_DUE], &e->pkg[P_CONCESSION], e->err);
    if (rc == FISC_OK)
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "%d年协议应付 %s 元，扣留 %s 元，应退还 %s 元，利息 %s 元；累计核定 %s 元%s", e->year,
                                            fiscp_money(c, &due), fiscp_money(c, &e->pkg[P_WITHHELD]),
                                            fiscp_money(c, &e->pkg[P_REPAY]), fiscp_money(c, &e->pkg[P_INTEREST]),
                                            fiscp_money(c, &e->awarded),
                                            outcome == FISC_OUTCOME_UNDETERMINED ? "（缺少实际数据）" : ""),
                           fiscp_ctx_printf(c, "%d: the package pays %s yuan, withholds %s, asks back %s plus %s interest; "
                                               "%s awarded to date%s", e->year, fiscp_money(c, &due),
                                            fiscp_money(c, &e->pkg[P_WITHHELD]), fiscp_money(c, &e->pkg[P_REPAY]),
                                            fiscp_money(c, &e->pkg[P_INTEREST]), fiscp_money(c, &e->awarded),
                                            outcome == FISC_OUTCOME_UNDETERMINED ? " (actual figures missing)" : ""));
    fisc_decimal_clear(&due);
    return rc;
}

static fisc_status package_item(ev *e)
{
    fisc_outcome outcome;
    fisc_status rc = fiscp_item_begin(e->c, &e->a->package_conf);

    for (size_t i = 0; i < e->a->ncombine && rc == FISC_OK && !e->schedule; i++)
        rc = combine_rule(e, i);
    if (rc == FISC_OK)
        rc = package_ceiling(e);
    if (rc == FISC_OK && e->claw_year == e->year)
        rc = package_clawback(e);
    if (rc == FISC_OK)
        rc = package_basis(e);
    if (rc == FISC_OK)
        rc = package_amounts(e);
    outcome = package_outcome(e);
    fiscp_outcome(e->c, outcome);
    if (rc == FISC_OK)
        rc = package_summary(e, outcome);
    return rc == FISC_OK ? fiscp_item_end(e->c) : rc;
}

/* ------------------------------------------------------------------ the years */

static fisc_status year_result(ev *e, int y, fisc_result **out)
{
    const fisc_facts *facts = e->schedule ? NULL : fiscp_actuals_facts(e->act, y);
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    fisc_status rc;

    if (facts) {
        o.year = y;
        o.trace = e->trace;
        rc = fisc_evaluate(out, e->a->policy, facts, &o, e->err);
    } else if ((rc = fiscp_result_new(out, e->a->policy, y, 0, e->err)) == FISC_OK) {
        (*out)->date = y * 10000 + 1231;
    }
    if (rc == FISC_OK)
        rc = fiscp_result_reserve(*out, e->a->nterms + 1, e->err);
    return rc;
}

static void year_reset(ev *e)
{
    for (unsigned m = e->pkg_has; m;) /* what last year set */
        fisc_decimal_set_int(&e->pkg[next_bit(&m)], 0);
    e->pkg_has = 0;
    e->pkg_unknown = e->pkg_released = 0;
}

static fisc_status year(ev *e, size_t i)
{
    fisc_result *r = NULL;
    int have_facts;
    fisc_status rc;

    e->year = e->first + (int)i;
    rc = year_result(e, e->year, &r);
    if (r) { /* kept even when reserving room failed, so that it is freed with the rest */
        e->out->results[i] = r;
        e->out->years[i] = e->year;
        e->out->nyears = i + 1;
    }
    if (rc != FISC_OK)
        return rc;
    e->r = r;
    have_facts = !e->schedule && fiscp_actuals_facts(e->act, e->year) != NULL;
    if ((rc = fiscp_ctx_open(&e->c, r, e->a->policy, e->trace, e->err)) != FISC_OK)
        return rc;
    year_reset(e);
    advance_all(e);
    rc = ceiling_now(e);
    for (size_t k = 0; k < e->a->ncombine && rc == FISC_OK && !e->schedule; k++)
        rc = general_amounts(e, k, have_facts);
    for (size_t k = 0; k < e->a->nterms && rc == FISC_OK; k++)
        rc = term_item(e, &e->ts[k]);
    if (rc == FISC_OK)
        rc = package_item(e);
    fiscp_ctx_close(e->c);
    e->c = NULL;
    return rc;
}

/* The year's package amounts into the totals over every year. */
static fisc_status add_totals(ev *e)
{
    fisc_agreement_result *o = e->out;
    fisc_status rc;

    rc = fisc_decimal_add(&o->total_due, &o->total_due, &e->pkg[P_DUE], e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&o->total_due, &o->total_due, &e->pkg[P_CONCESSION], e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&o->total_concession, &o->total_concession, &e->pkg[P_CONCESSION], e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&o->total_withheld, &o->total_withheld, &e->pkg[P_WITHHELD], e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&o->total_repay, &o->total_repay, &e->pkg[P_REPAY], e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&o->total_interest, &o->total_interest, &e->pkg[P_INTEREST], e->err);
    o->provisional |= fisc_result_provisional(e->r);
    return rc;
}

/* ------------------------------------------------------------------ the working state */

static size_t carve(size_t *total, size_t n, size_t size)
{
    size_t align = sizeof(max_align_t), at = (*total + align - 1) / align * align;

    *total = at + n * size;
    return at;
}

/* Where each term's pieces go in the block. */
typedef struct layout {
    size_t ts, val, cum, names, award, slots, ms, pkg_ms;
    size_t nawards, nslots, nms;
} layout;

static size_t term_ms(const fisc_agreement *a, const fiscp_ag_term *t, size_t *inst_ms, size_t *claw_ms)
{
    size_t n = t->release.n;

    for (size_t k = 0; k < t->ninstalments; k++) {
        inst_ms[k] = n;
        n += t->instalments[k].conds.n;
    }
    *claw_ms = n;
    return n + (own_clawback(a, t) ? t->clawback->conds.n : 0);
}

static size_t plan_layout(const ev *e, layout *l)
{
    const fisc_agreement *a = e->a;
    size_t total = 0, inst[FISCP_AG_MAX_INSTALMENTS], claw;

    memset(l, 0, sizeof(*l));
    for (size_t i = 0; i < a->nterms; i++) {
        const fiscp_ag_term *t = &a->terms[i];
        size_t ncov = (size_t)(t->last_year - t->first_year + 1);

        l->nawards += ncov;
        l->nslots += ncov * t->ninstalments;
        l->nms += term_ms(a, t, inst, &claw);
    }
    l->ts = carve(&total, a->nterms, sizeof(term_state));
    l->val = carve(&total, (size_t)e->span * AGM_COUNT, sizeof(const fisc_decimal *));
    l->cum = carve(&total, (size_t)e->span * AGM_COUNT, sizeof(fisc_decimal));
    l->names = carve(&total, (size_t)e->span * (AGM_COUNT + 1), sizeof(const char *));
    l->slots = carve(&total, l->nslots, sizeof(slot));
    l->ms = carve(&total, l->nms, sizeof(milestone));
    l->pkg_ms = carve(&total, a->package_clawback ? a->package_clawback->conds.n : 0, sizeof(milestone));
    l->award = carve(&total, l->nawards, 1);
    return total;
}

static void init_terms(ev *e, char *base, const layout *l)
{
    const fisc_agreement *a = e->a;
    unsigned char *award = (unsigned char *)(base + l->award);
    slot *slots = (slot *)(void *)(base + l->slots);
    milestone *ms = (milestone *)(void *)(base + l->ms);

    for (size_t i = 0; i < a->nterms; i++) {
        term_state *s = &e->ts[i];
        const fiscp_ag_term *t = &a->terms[i];
        size_t ncov = (size_t)(t->last_year - t->first_year + 1);

        s->t = t;
        s->award = award;
        s->slots = slots;
        s->ms = ms;
        award += ncov;
        slots += ncov * t->ninstalments;
        ms += term_ms(a, t, s->inst_ms, &s->claw_ms);
        fisc_decimal_init(&s->awarded);
        fisc_decimal_init(&s->paid);
        share_fractions(s);
        for (size_t r = 0; r < a->ncombine; r++) {
            const fiscp_ag_combine *cb = &a->combine[r];
            int covers = cb->nterms == 0;

            for (size_t k = 0; k < cb->nterms && !covers; k++)
                covers = cb->terms[k] == (int)i;
            s->rules |= (unsigned)covers << r;
        }
    }
}

static fisc_status state_new(ev *e)
{
    layout l;
    size_t size = plan_layout(e, &l);
    char *base = fiscp_calloc(1, size ? size : 1);

    if (!base)
        return fiscp_error_nomem(e->err);
    e->block = base;
    e->ts = (term_state *)(void *)(base + l.ts);
    e->val = (const fisc_decimal **)(void *)(base + l.val);
    e->cum = (fisc_decimal *)(void *)(base + l.cum);
    e->names = (const char **)(void *)(base + l.names);
    e->pkg_ms = (milestone *)(void *)(base + l.pkg_ms);
    for (size_t i = 0; i < (size_t)e->span * AGM_COUNT; i++)
        fisc_decimal_init(&e->cum[i]);
    for (size_t i = 0; i < l.nslots; i++)
        fisc_decimal_init(&((slot *)(void *)(base + l.slots))[i].amount);
    init_terms(e, base, &l);
    return FISC_OK;
}

static void ev_init(ev *e)
{
    fisc_decimal_init(&e->awarded);
    fisc_decimal_init(&e->ceiling);
    for (int k = 0; k < P_COUNT; k++)
        fisc_decimal_init(&e->pkg[k]);
    for (int k = 0; k < T_COUNT; k++)
        fisc_decimal_init(&e->tally.v[k]);
    for (int r = 0; r < FISCP_AG_MAX_COMBINE; r++) {
        fisc_decimal_init(&e->rule[r].sub);
        fisc_decimal_init(&e->rule[r].rel);
        fisc_decimal_init(&e->rule[r].left);
    }
}

static void ev_clear(ev *e)
{
    fisc_decimal_clear(&e->awarded);
    fisc_decimal_clear(&e->ceiling);
    for (int k = 0; k < P_COUNT; k++)
        fisc_decimal_clear(&e->pkg[k]);
    for (int k = 0; k < T_COUNT; k++)
        fisc_decimal_clear(&e->tally.v[k]);
    for (int r = 0; r < FISCP_AG_MAX_COMBINE; r++) {
        fisc_decimal_clear(&e->rule[r].sub);
        fisc_decimal_clear(&e->rule[r].rel);
        fisc_decimal_clear(&e->rule[r].left);
    }
    if (!e->block)
        return;
    for (size_t i = 0; i < (size_t)e->span * AGM_COUNT; i++)
        fisc_decimal_clear(&e->cum[i]);
    for (size_t i = 0; i < e->a->nterms; i++) {
        term_state *s = &e->ts[i];
        size_t n = (size_t)(s->t->last_year - s->t->first_year + 1) * s->t->ninstalments;

        fisc_decimal_clear(&s->awarded);
        fisc_decimal_clear(&s->paid);
        for (size_t k = 0; k < n; k++)
            fisc_decimal_clear(&s->slots[k].amount);
    }
    fiscp_free(e->block);
}

/* ------------------------------------------------------------------ the entry point */

static fisc_status check_call(const fisc_agreement *a, const fisc_actuals *act, const fisc_agreement_options *o,
                              int *last, fisc_error *err)
{
    if (!a)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_evaluate: NULL agreement");
    if (o && o->version != FISC_AGREEMENT_OPTIONS_VERSION)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_options of another version (%u)", o->version);
    if (!act && !(o && o->schedule))
        return fiscp_error_set(err, FISC_EINVAL, "agreement %s: no actuals to evaluate against (or ask for the schedule)",
                               a->id);
    if (act && !(o && o->schedule) && act->agreement && strcmp(act->agreement, a->id) != 0)
        return fiscp_error_set(err, FISC_EINVAL, "the actuals are for agreement %s, not %s", act->agreement, a->id);
    *last = o && o->through_year ? o->through_year : a->last_year;
    if (*last < a->first_year)
        return fiscp_error_set(err, FISC_EINVAL, "through_year %d is before the agreement's first year %d", *last,
                               a->first_year);
    if (*last > a->last_year)
        *last = a->last_year; /* nothing happens after the last year */
    return FISC_OK;
}

static fisc_status result_new(fisc_agreement_result **out, const fisc_agreement *a, size_t nyears, int schedule,
                              fisc_error *err)
{
    fisc_agreement_result *r = fiscp_calloc(1, sizeof(*r));

    if (!r)
        return fiscp_error_nomem(err);
    fiscp_arena_init(&r->arena);
    fisc_decimal_init(&r->total_due);
    fisc_decimal_init(&r->total_withheld);
    fisc_decimal_init(&r->total_repay);
    fisc_decimal_init(&r->total_interest);
    fisc_decimal_init(&r->total_concession);
    fisc_decimal_init(&r->total_net);
    fiscp_agreement_ref(a);
    r->agreement = a;
    r->schedule = schedule;
    r->years = fiscp_arena_alloc(&r->arena, nyears * sizeof(*r->years));
    r->results = fiscp_arena_alloc(&r->arena, nyears * sizeof(*r->results));
    *out = r;
    return r->years && r->results ? FISC_OK : fiscp_error_nomem(err);
}

static fisc_status run(ev *e)
{
    fisc_agreement_result *o = e->out;
    fisc_status rc = state_new(e);

    if (rc == FISC_OK)
        rc = load_metrics(e);
    for (size_t i = 0; i < (size_t)e->span && rc == FISC_OK; i++) {
        rc = year(e, i);
        if (rc == FISC_OK)
            rc = add_totals(e);
    }
    if (rc == FISC_OK)
        rc = fisc_decimal_sub(&o->total_net, &o->total_due, &o->total_repay, e->err);
    if (rc == FISC_OK)
        rc = fisc_decimal_sub(&o->total_net, &o->total_net, &o->total_interest, e->err);
    return rc;
}

fisc_status fiscp_agreement_prepare_cites(fisc_agreement *a, fisc_error *err)
{
    char day[11];
    ev e;

    memset(&e, 0, sizeof(e));
    e.a = a;
    e.arena = &a->arena;
    e.err = err;
    e.document = a->number && a->number[0] ? a->number : a->title_zh;
    fiscp_date_format(day, a->signed_on);
    if (!(a->signed_text = fiscp_arena_strdup(&a->arena, day)))
        return fiscp_error_nomem(err);
    return cite_package(&e, a);
}

fisc_status fisc_agreement_evaluate(fisc_agreement_result **out, const fisc_agreement *a, const fisc_actuals *actuals,
                                    const fisc_agreement_options *opts, fisc_error *err)
{
    ev e;
    int last = 0;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_evaluate: NULL out");
    *out = NULL;
    if ((rc = check_call(a, actuals, opts, &last, err)) != FISC_OK)
        return rc;
    memset(&e, 0, sizeof(e));
    e.a = a;
    e.act = actuals;
    e.err = err;
    e.schedule = opts && opts->schedule;
    e.trace = opts && opts->trace;
    e.first = a->first_year;
    e.last = last;
    e.span = last - a->first_year + 1;
    ev_init(&e);
    rc = result_new(&e.out, a, (size_t)e.span, e.schedule, err);
    if (rc == FISC_OK) {
        e.arena = &e.out->arena;
        rc = run(&e);
    }
    ev_clear(&e);
    if (rc != FISC_OK) {
        fisc_agreement_result_free(e.out);
        return rc;
    }
    *out = e.out;
    return FISC_OK;
}
