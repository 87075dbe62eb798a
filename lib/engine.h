/*
 * Private interface of the engine: the program registry and what a program may do during an
 * evaluation (read parameters in force and facts, record conditions, amounts and steps).
 * Programs know nothing of files, formats or faces (ARCHITECTURE.md).
 */
#ifndef FISC_LIB_ENGINE_H
#define FISC_LIB_ENGINE_H

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "decimal.h"
#include "facts.h"
#include "policy.h"
#include "result.h" /* fiscp_no_entry */

typedef struct fiscp_ctx fiscp_ctx;

/* What one item may hold: programs are ours, so exceeding one is a bug reported as FISC_ERANGE. */
#define FISCP_ITEM_MAX_CONDITIONS 24
#define FISCP_ITEM_MAX_PARAMS 24
#define FISCP_ITEM_MAX_AMOUNTS 16
#define FISCP_ITEM_MAX_MISSING FACT_COUNT
#define FISCP_ITEM_MAX_STEPS 48

/*
 * A program: a pure function of (parameters in force, facts, period) writing one item. It names
 * the parameters it reads once, in params; the policy resolves them when it is loaded (a policy
 * that lacks one fails to load), and the program reads them by index.
 */
typedef struct fiscp_program {
    const char *id;
    const char *const *params;
    size_t nparams;
    fisc_status (*evaluate)(fiscp_ctx *ctx);
    /*
     * Programs whose published results this one reads (NULL-terminated list, or NULL). When the
     * policy enables them they run first: the policy orders its programs at load.
     */
    const char *const *after;
    /*
     * The amounts of earlier programs this one reads with fiscp_prior_amount(), { program, amount }
     * pairs ending with { NULL, NULL } (or NULL for none). A summary evaluation (fisc_eval_options::
     * summary) records of an earlier program only its first amount, its counted ones and the ones
     * read this way. A read that finds no such amount and is not declared here fails the evaluation
     * (FISC_ENOTFOUND), in every mode, so that the tests catch a missing declaration.
     */
    const struct fiscp_read *reads;
} fiscp_program;

typedef struct fiscp_read {
    const char *program, *amount;
} fiscp_read;

extern const fiscp_program fiscp_program_cit;
extern const fiscp_program fiscp_program_beibu_cit_local_share;
extern const fiscp_program fiscp_program_yulin_hnte_reward;
extern const fiscp_program fiscp_program_rd_deduction;
extern const fiscp_program fiscp_program_incubator_tax;
extern const fiscp_program fiscp_program_individual_income_halving;
extern const fiscp_program fiscp_program_loan_interest_subsidy;
extern const fiscp_program fiscp_program_tech_loan_risk_compensation;
extern const fiscp_program fiscp_program_vat_small_scale;
extern const fiscp_program fiscp_program_six_taxes;
extern const fiscp_program fiscp_program_investment_reward;
extern const fiscp_program fiscp_program_land_supporting_facilities;
extern const fiscp_program fiscp_program_zone_approval_subsidy;
extern const fiscp_program fiscp_program_carrier_subsidy;
extern const fiscp_program fiscp_program_zone_assessment;
extern const fiscp_program fiscp_program_platform_subsidy;

/* The registry (programs.c): NULL when the id is unknown. */
const fiscp_program *fiscp_program_lookup(const char *id);

/*
 * What the inline functions below read of a context: a struct fiscp_ctx (evaluate.c) begins with
 * it. Programs call the functions and never name the members. The functions are always inline:
 * under LTO GCC otherwise keeps out-of-line copies (fiscp_amount, fiscp_round) and calls them.
 */
#define FISCP_VALUE_CACHE 32
typedef struct fiscp_ctx_head {
    const fisc_facts *f;
    int year, quarter, trace;
    /* a summary evaluation (fisc_eval_options::summary, never with trace): no conditions, and of the
       informative amounts only an item's first and those a later program reads (fiscp_amount_wanted) */
    int summary;
    fiscp_date date;
    fisc_item *item;          /* the current item, and where its conditions and amounts are written */
    fisc_condition *conds;
    fisc_amount *amounts;
    fisc_decimal *values;     /* the amounts' values, initialised: a value is set over the last one */
    uint32_t counted;         /* bit k: the item's amount k has a category (a total) */
    /*
     * Bit p set: param_values[p] is program parameter p's value in force on the period's last day,
     * and the item has recorded it. Read again, it costs a test; emptied when an item begins.
     */
    uint32_t values_ready;
    const fisc_decimal *param_values[FISCP_VALUE_CACHE];
    uint32_t read_mask; /* bit p: read[p] holds the entry the item last recorded of p (any day, any kind) */
    const fiscp_entry *read[FISCP_VALUE_CACHE];
    /*
     * values_in_force[p]: the entry of value parameter p in force on the period's last day, as an
     * earlier item of a reused result found it, or NULL (not read yet, not a value, not reused).
     * cited[n]: the entry the item's arrays' parameter n was copied from (an earlier item's), or NULL.
     */
    const fiscp_entry *const *values_in_force;
    const fiscp_entry *const *cited;
    /*
     * resolved[p]: the entry of program parameter p in force on the period's last day, as a reused
     * result remembers it (result.h: NULL not looked up yet, &fiscp_no_entry none), or NULL for a
     * context that remembers none.
     */
    const fiscp_entry *const *resolved;
    const fiscp_program_conf *conf; /* the current item's program: its id, parameters and rounding */
    fisc_error *err;
    /*
     * The current item's rounding unit is 10^-round_places (conf->round_places), or -1: a SMALL
     * value with no more decimals is its own rounding, a copy (fiscp_round, inline).
     */
    int round_places;
} fiscp_ctx_head;

static FISCP_ALWAYS_INLINE fiscp_ctx_head *fiscp_ctx_head_rw(fiscp_ctx *c)
{
    return (fiscp_ctx_head *)(void *)c;
}

static FISCP_ALWAYS_INLINE const fiscp_ctx_head *fiscp_ctx_head_of(const fiscp_ctx *c)
{
    return (const fiscp_ctx_head *)(const void *)c;
}

/* ---- the period */
static FISCP_ALWAYS_INLINE int fiscp_ctx_year(const fiscp_ctx *c)
{
    return fiscp_ctx_head_of(c)->year;
}

static FISCP_ALWAYS_INLINE int fiscp_ctx_quarter(const fiscp_ctx *c) /* 0 = whole year */
{
    return fiscp_ctx_head_of(c)->quarter;
}

static FISCP_ALWAYS_INLINE fiscp_date fiscp_ctx_date(const fiscp_ctx *c) /* the last day of the period */
{
    return fiscp_ctx_head_of(c)->date;
}

static FISCP_ALWAYS_INLINE int fiscp_ctx_tracing(const fiscp_ctx *c)
{
    return fiscp_ctx_head_of(c)->trace;
}

static FISCP_ALWAYS_INLINE const fisc_facts *fiscp_ctx_facts(const fiscp_ctx *c)
{
    return fiscp_ctx_head_of(c)->f;
}

/*
 * Parameters in force on the period's last day. Each use is recorded for the item (citation,
 * provisional status). The value is converted to the program's unit: 元 for 元 and 万元, a
 * fraction for rates and 百分点, the number itself otherwise. FISC_ENOTFOUND (with the id and
 * the date) when the policy lacks the parameter or has no value in force. A value the item has
 * read already comes from the context's cache, inline.
 */
fisc_status fiscp_param_value_read(fiscp_ctx *c, int param, const fisc_decimal **out); /* past the cache */

/* The engine's, not the programs': count the item's parameter n, e's citation (in place), and carry
   e's status to the item. */
static FISCP_ALWAYS_INLINE void fiscp_cite_count(fisc_item *item, size_t n, const fiscp_entry *e)
{
    item->param_count = n + 1;
    if (e->pub.evidence != FISC_EVIDENCE_CONFIRMED)
        item->provisional = 1;
}

/* The engine's: value parameter param (< FISCP_VALUE_CACHE) read on the period's last day, its entry e
   cited in place as the item's parameter n; its value, cached for the item's next reads. */
static FISCP_ALWAYS_INLINE const fisc_decimal *fiscp_param_record(fiscp_ctx_head *h, int param, size_t n,
                                                                  const fiscp_entry *e)
{
    uint32_t bit = (uint32_t)1 << param;

    h->read_mask |= bit;
    h->read[param] = e;
    fiscp_cite_count(h->item, n, e);
    h->values_ready |= bit;
    return h->param_values[param] = &e->in_unit;
}

/*
 * Inline, without a call: a value the item has read already, and in a reused result, the item's
 * first read of a value in force that the row before recorded at the same place in its citations
 * (a batch's rows mostly read alike): recorded as fiscp_param_value_read records it. The index is
 * mostly a constant: the tests on it compile away.
 */
static FISCP_ALWAYS_INLINE fisc_status fiscp_param_value(fiscp_ctx *c, int param, const fisc_decimal **out)
{
    fiscp_ctx_head *h = fiscp_ctx_head_rw(c);
    const fiscp_entry *e;
    uint32_t bit;
    size_t n;

    if ((unsigned)param >= FISCP_VALUE_CACHE)
        return fiscp_param_value_read(c, param, out);
    bit = (uint32_t)1 << param;
    if (h->values_ready & bit) {
        *out = h->param_values[param];
        return FISC_OK;
    }
    n = h->item->param_count;
    if ((h->read_mask & bit) || !(e = h->values_in_force[param]) || n == FISCP_ITEM_MAX_PARAMS ||
        h->cited[n] != e) /* fiscp_param_value_read copies the citation */
        return fiscp_param_value_read(c, param, out);
    *out = fiscp_param_record(h, param, n, e);
    return FISC_OK;
}

/*
 * Apply a scale parameter to a base: marginal (sum over brackets) or whole-amount. When tracing,
 * *detail (if not NULL) receives the terms, e.g. "1000000 × 25% + 1800000 × 50%".
 */
fisc_status fiscp_param_scale(fiscp_ctx *c, int param, const fisc_decimal *base, fisc_decimal *out,
                              const char **detail);
/*
 * 1 when the policy has a value of the parameter in force on the period's last day, else 0.
 * Nothing is recorded. A relief whose rule has not begun or has lapsed in the period tests this
 * first and reports "not eligible", where fiscp_param_value would fail the whole evaluation.
 */
int fiscp_param_in_force_read(const fiscp_ctx *c, int param); /* past what a reused result remembers */

static FISCP_ALWAYS_INLINE int fiscp_param_in_force(const fiscp_ctx *c, int param)
{
    const fiscp_ctx_head *h = fiscp_ctx_head_of(c);

    if ((unsigned)param < FISCP_VALUE_CACHE && h->values_in_force[param])
        return 1;
    if (h->resolved && h->resolved[param]) /* looked up already in the period: in force, or &fiscp_no_entry */
        return h->resolved[param] != &fiscp_no_entry;
    return fiscp_param_in_force_read(c, param);
}
/*
 * As fiscp_param_value, on another day of the period (not after its last day): for a program
 * whose own period is shorter than the evaluation's, such as a month of VAT in a quarter. Two
 * values of one parameter read on different days are both recorded for the item.
 */
fisc_status fiscp_param_value_on(fiscp_ctx *c, int param, fiscp_date date, const fisc_decimal **out);
/*
 * A table parameter's value in force on the period's last day for one combination of its keys
 * (keys[i]: a value of the table's i-th enumeration), converted as fiscp_param_value does. *out
 * is NULL when the table has no row for that combination. The entry is recorded as used.
 */
fisc_status fiscp_param_table(fiscp_ctx *c, int param, const char *const *keys, const fisc_decimal **out);
/* A rate as a percentage for steps and details ("25%", "12.5%"); "" on OOM. */
const char *fiscp_percent(fiscp_ctx *c, const fisc_decimal *rate);

/*
 * An amount published by a program that ran earlier in this evaluation (one named in the
 * program's `after` list; the amount declared in its `reads`). *out is NULL when that program is
 * not enabled, published no such amount, or was undetermined; *outcome (may be NULL) receives its
 * outcome, or -1 when it did not run. Reading it is recorded as a condition-free dependency: no
 * facts are asked for. An undeclared amount that is not there fails the evaluation (see `reads`).
 */
void fiscp_prior_amount(fiscp_ctx *c, const char *program, const char *amount, const fisc_decimal **out,
                        int *outcome);

/* ---- facts; a missing fact is recorded as missing for the item (fiscp_missing, out of line: rare) */
void fiscp_missing(fiscp_ctx *c, fiscp_fact id);
int fiscp_need_date(fiscp_ctx *c, fiscp_fact id, fiscp_date *out);

static FISCP_ALWAYS_INLINE const fisc_decimal *fiscp_need_decimal(fiscp_ctx *c, fiscp_fact id)
{
    const fisc_decimal *v = fiscp_fact_decimal(fiscp_ctx_head_of(c)->f, id);

    if (!v)
        fiscp_missing(c, id);
    return v;
}

static FISCP_ALWAYS_INLINE int fiscp_need_bool(fiscp_ctx *c, fiscp_fact id, int *out) /* 0 when missing */
{
    if (fiscp_fact_bool(fiscp_ctx_head_of(c)->f, id, out))
        return 1;
    fiscp_missing(c, id);
    return 0;
}

/* ---- what the item records */
void fiscp_outcome(fiscp_ctx *c, fisc_outcome outcome);
/* The option chosen (a static string). */
void fiscp_choice(fiscp_ctx *c, const char *choice);
fisc_status fiscp_summary(fiscp_ctx *c, const char *zh, const char *en);
/* FISC_ERANGE: "program <id> <verb> more than <most> <what>", beyond what an item may hold. */
fisc_status fiscp_item_full(fiscp_ctx *c, const char *verb, int most, const char *what);
/* fisc_decimal_set for a value that is not SMALL, failing with the context's error. */
fisc_status fiscp_item_value(fiscp_ctx *c, fisc_decimal *out, const fisc_decimal *v);

static FISCP_ALWAYS_INLINE fisc_status fiscp_condition(fiscp_ctx *c, const char *id, const char *zh,
                                                       const char *en, fisc_cond_state state, const char *detail)
{
    fiscp_ctx_head *h = fiscp_ctx_head_rw(c);
    size_t n = h->item->condition_count;

    if (h->summary) /* its state is the program's to act on; the summary keeps none */
        return FISC_OK;
    if (n == FISCP_ITEM_MAX_CONDITIONS)
        return fiscp_item_full(c, "checks", FISCP_ITEM_MAX_CONDITIONS, "conditions");
    h->conds[n] = (fisc_condition){ id, zh, en, (int)state, detail ? detail : "" };
    h->item->condition_count = n + 1;
    return FISC_OK;
}

/* fiscp_condition from a tri-state: state > 0 met, 0 not met, < 0 unknown. */
static FISCP_ALWAYS_INLINE fisc_status fiscp_check(fiscp_ctx *c, const char *id, const char *zh, const char *en,
                                                   int state, const char *detail)
{
    return fiscp_condition(c, id, zh, en, state < 0 ? FISC_COND_UNKNOWN : state ? FISC_COND_MET : FISC_COND_NOT_MET,
                           detail);
}
/* A decimal as text in the result arena (exact form), for details and steps; "" on OOM or when
 * not tracing. */
const char *fiscp_text(fiscp_ctx *c, const fisc_decimal *v);
/* Money as text for summaries: two decimals when it has no more ("140000.00"); "" on OOM. */
const char *fiscp_money(fiscp_ctx *c, const fisc_decimal *v);
/* fiscp_round when tracing: the residue and a step. */
fisc_status fiscp_round_traced(fiscp_ctx *c, const char *what, const fisc_decimal *v, fisc_decimal *out);
/*
 * Round v by the program's rounding rule into out, recording a step (when tracing). Untraced, a
 * value already to a unit 1, 0.1, 0.01 ... is copied inline, as fiscp_decimal_round_to_unit would
 * copy it (err reset, the value's own scale kept); every other value goes to that call, with no
 * residue (it is shown in the explanation only).
 */
static FISCP_ALWAYS_INLINE fisc_status fiscp_round(fiscp_ctx *c, const char *what, const fisc_decimal *v,
                                                   fisc_decimal *out)
{
    const fiscp_ctx_head *h = fiscp_ctx_head_of(c);

    if (h->trace)
        return fiscp_round_traced(c, what, v, out);
    if (fiscp_decimal_is_small(v) && v->scale_ <= h->round_places) /* scale_ >= 0: never for -1 */
        return fiscp_decimal_set(out, v, h->err);
    return fiscp_decimal_round_to_unit(out, v, &h->conf->unit, h->conf->rounding, h->err);
}
/* The engine's: 1 when a later program reads the current item's amount `name` (policy.c, at load). */
static FISCP_ALWAYS_INLINE int fiscp_conf_keeps(const fiscp_program_conf *conf, const char *name)
{
    size_t len;

    if (!conf->nkept)
        return 0;
    len = strlen(name); /* inline, with a literal name: a constant, as name[0] is */
    for (size_t k = 0; k < conf->nkept; k++)
        if (conf->kept[k].len == len && conf->kept[k].name[0] == name[0] && memcmp(conf->kept[k].name, name, len) == 0)
            return 1;
    return 0;
}

/*
 * Whether the current item records informative amount `name`: always, except in a summary
 * evaluation, which records an item's first amount, its amounts counted in a category, and those
 * a later program reads (its `reads`). A program tests it to skip working out one that is not.
 */
static FISCP_ALWAYS_INLINE int fiscp_amount_wanted(const fiscp_ctx *c, const char *name)
{
    const fiscp_ctx_head *h = fiscp_ctx_head_of(c);

    return !h->summary || h->item->amount_count == 0 || fiscp_conf_keeps(h->conf, name);
}

/*
 * Record a named amount (already rounded) in a category (-1: informative only). In a summary
 * evaluation an informative amount that is not wanted (fiscp_amount_wanted) is not recorded.
 */
static FISCP_ALWAYS_INLINE fisc_status fiscp_amount(fiscp_ctx *c, const char *name, const fisc_decimal *v, int category)
{
    fiscp_ctx_head *h = fiscp_ctx_head_rw(c);
    size_t n = h->item->amount_count;

    if (category < 0 && !fiscp_amount_wanted(c, name))
        return FISC_OK;
    if (n == FISCP_ITEM_MAX_AMOUNTS)
        return fiscp_item_full(c, "records", FISCP_ITEM_MAX_AMOUNTS, "amounts");
    h->amounts[n] = (fisc_amount){ name, &h->values[n], category };
    h->item->amount_count = n + 1;
    if (category >= 0 && category < FISC_CATEGORY_COUNT)
        h->counted |= (uint32_t)1 << n;
    if (fiscp_decimal_is_small(v)) /* cannot fail: no message to clear */
        return fiscp_decimal_set(&h->values[n], v, NULL);
    return fiscp_item_value(c, &h->values[n], v);
}
/* Set the rounding text of the current item's last step (when tracing; no-op otherwise). */
void fiscp_step_rounding(fiscp_ctx *c, const char *text);
/* Record a step; only when tracing (programs test fiscp_ctx_tracing first to skip formatting). */
fisc_status fiscp_step(fiscp_ctx *c, const char *id, const char *zh, const char *en, const char *formula,
                       const char *substituted, const fisc_decimal *result);
/* Fail the evaluation with a message (a policy value the program cannot use, say). */
fisc_status fiscp_fail(fiscp_ctx *c, fisc_status code, const char *fmt, ...) FISCP_PRINTF(3, 4);
/* printf into the result arena; "" when not tracing (texts belong to the explanation). */
const char *fiscp_ctx_printf(fiscp_ctx *c, const char *fmt, ...) FISCP_PRINTF(2, 3);

/*
 * ---- items built outside the registry (agreements: agreement_eval.c)
 *
 * A context over an existing result (from fiscp_result_new() or fisc_evaluate()), for the year
 * of that result. fiscp_item_begin() appends an item described by conf (its id, titles and
 * rounding rule; conf->params may be NULL) and makes it current; the recording functions above
 * then work on it; fiscp_item_end() closes it (missing inputs dropped when the outcome is decided,
 * amounts added to the result's totals, provisional status carried to the result).
 */
fisc_status fiscp_ctx_open(fiscp_ctx **out, fisc_result *r, const fisc_policy *p, int trace, fisc_error *err);
void fiscp_ctx_close(fiscp_ctx *c);
/* Room for `more` items in r. Call it before fiscp_item_begin(), never while an item is open. */
fisc_status fiscp_result_reserve(fisc_result *r, size_t more, fisc_error *err);
fisc_status fiscp_item_begin(fiscp_ctx *c, const fiscp_program_conf *conf);
fisc_status fiscp_item_end(fiscp_ctx *c);
/* The current item, to adjust what the recording functions cannot (its outcome is set by fiscp_outcome). */
fisc_item *fiscp_ctx_item(fiscp_ctx *c);
/*
 * Record a citation that is not a policy parameter (an agreement's clause) among the parameters
 * used; strings are borrowed and must live as long as the result (the agreement's arena, the
 * result's arena or static). A citation is recorded once per item, known by its id and from
 * pointers: make each citation once and pass the same strings. A status other than confirmed
 * makes the item provisional.
 */
fisc_status fiscp_cite(fiscp_ctx *c, const fisc_used_param *u);
/*
 * A policy parameter reached by pointer (not declared by a program), in force on `date`,
 * converted and recorded as fiscp_param_value does. FISC_ENOTFOUND when no value is in force.
 * The table form sets *out to NULL when the table has no row for the keys.
 */
fisc_status fiscp_policy_value_on(fiscp_ctx *c, const fisc_param *q, fiscp_date date, const fisc_decimal **out);
fisc_status fiscp_policy_table_on(fiscp_ctx *c, const fisc_param *q, fiscp_date date, const char *const *keys,
                                  const fisc_decimal **out);
/* A missing input that is not a fact (e.g. "actuals.2025.output"); the name is borrowed. */
fisc_status fiscp_missing_name(fiscp_ctx *c, const char *name);

#endif
