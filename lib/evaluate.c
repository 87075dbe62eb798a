/*
 * The engine: runs the programs a policy enables, through the registry, for one set of facts
 * and one period, and builds the result (items, conditions, parameters used, steps, totals).
 * The engine never names a program; programs reach parameters and facts only through the
 * functions in engine.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "engine.h"
#include "result.h"

#define MAX_CONDITIONS FISCP_ITEM_MAX_CONDITIONS
#define MAX_PARAMS FISCP_ITEM_MAX_PARAMS
#define MAX_AMOUNTS FISCP_ITEM_MAX_AMOUNTS
#define MAX_MISSING FISCP_ITEM_MAX_MISSING
#define MAX_STEPS FISCP_ITEM_MAX_STEPS
#define READ_CACHE FISCP_VALUE_CACHE /* per-item caches of program parameters, as bit masks of 32 */

#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/*
 * An item's arrays at their largest. An item is written into a context's own arrays, copied into
 * the result's arena at their real sizes when it closes (a result holds only what it uses); or,
 * in a result reused row after row (fisc_evaluate_into), into the arrays that result keeps for
 * the program, which nothing copies and the next row overwrites.
 */
struct fiscp_item_arrays {
    fisc_condition conds[MAX_CONDITIONS];
    fisc_used_param params[MAX_PARAMS];
    const fiscp_entry *cited[MAX_PARAMS]; /* the entry params[i] was copied from, or NULL: an equal copy is skipped */
    fisc_amount amounts[MAX_AMOUNTS];
    fisc_decimal values[MAX_AMOUNTS];     /* the amounts' values, always initialised */
    const char *missing[MAX_MISSING];
    fisc_step steps[MAX_STEPS];
    /* a reused result's: the program's value parameters in force on values_date, once read (or NULL) */
    const fiscp_entry *values_in_force[READ_CACHE];
    fiscp_date values_date;
};

/* The values in force of a context that keeps none: every first read goes the long way. */
static const fiscp_entry *const no_values[READ_CACHE];

struct fiscp_ctx {
    fiscp_ctx_head h; /* first: what engine.h's inline functions read */
    fisc_result *r;
    const fisc_policy *p;
    fiscp_item_arrays *a;  /* the current item's arrays: &own, or the reused result's for the program */
    uint64_t missing_seen[(FACT_COUNT + 63) / 64];
    const fiscp_entry **resolved;        /* the current program's part of r->resolved, or NULL */
    /* the current program's values in force in a reused result's arrays (h.values_in_force), or NULL */
    const fiscp_entry **values_kept;
    fisc_status failed; /* a failure the program could not be told of (fiscp_prior_amount): end_item reports it */
    fiscp_item_arrays own;
};

fisc_status fisc_eval_options_init(fisc_eval_options *o, unsigned int version)
{
    static const fisc_eval_options init = FISC_EVAL_OPTIONS_INIT;

    if (!o || version < 1 || version > FISC_EVAL_OPTIONS_VERSION)
        return FISC_EINVAL;
    if (version == 1) { /* a caller built against version 1: its struct ends after trace */
        o->version = 1;
        o->year = init.year;
        o->quarter = init.quarter;
        o->trace = init.trace;
        return FISC_OK;
    }
    *o = init;
    return FISC_OK;
}

fisc_status fiscp_fail(fiscp_ctx *c, fisc_status code, const char *fmt, ...)
{
    char buf[FISC_ERROR_TEXT_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return fiscp_error_set(c->h.err, code, "program %s: %s", c->h.conf->id, buf);
}

const char *fiscp_ctx_printf(fiscp_ctx *c, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    if (!c->h.trace) /* texts are part of the explanation: none when batch work turns it off */
        return "";
    va_start(ap, fmt); /* measured first, so a long text is never cut inside a UTF-8 character */
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = fiscp_arena_alloc_raw(&c->r->arena, (size_t)n + 1)))
        return "";
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

const char *fiscp_text(fiscp_ctx *c, const fisc_decimal *v)
{
    char buf[64], *big = NULL;
    const char *s;

    if (!c->h.trace)
        return "";
    if (fiscp_decimal_write(buf, sizeof(buf), v) >= 0) {
        s = fiscp_arena_strdup(&c->r->arena, buf);
        return s ? s : "";
    }
    if (fisc_decimal_to_string(&big, v, NULL, NULL, NULL) != FISC_OK)
        return "";
    s = fiscp_arena_strdup(&c->r->arena, big);
    fisc_string_free(big);
    return s ? s : "";
}

const char *fiscp_money(fiscp_ctx *c, const fisc_decimal *v)
{
    char *text;
    const char *s;

    if (!c->h.trace || !(text = fiscp_decimal_money(v, 0)))
        return "";
    s = fiscp_arena_strdup(&c->r->arena, text);
    fisc_string_free(text);
    return s ? s : "";
}

/* ------------------------------------------------------------------ parameters */

/* e's citation into the item's arrays at n (< MAX_PARAMS); a copy an earlier item left in place is kept. */
static inline void cite_copy(fiscp_ctx *c, size_t n, const fiscp_entry *e)
{
    if (c->a->cited[n] != e) {
        c->a->params[n] = e->used;
        c->a->cited[n] = e;
    }
}

/* Append e's citation to the item's parameters. */
static inline fisc_status cite_entry(fiscp_ctx *c, const fiscp_entry *e)
{
    size_t n = c->h.item->param_count;

    if (n == MAX_PARAMS)
        return fiscp_error_set(c->h.err, FISC_ERANGE, "program %s uses more than %d parameters", c->h.conf->id,
                               MAX_PARAMS);
    cite_copy(c, n, e);
    fiscp_cite_count(c->h.item, n, e);
    return FISC_OK;
}

/* Record an entry read for the item, once; `unseen`: the item has read nothing of q yet. */
static inline fisc_status record_param(fiscp_ctx *c, const fisc_param *q, const fiscp_entry *e, int unseen)
{
    for (size_t i = 0; !unseen && i < c->h.item->param_count; i++)
        if (c->a->params[i].id == q->id && c->a->params[i].from == e->pub.from) /* one value per entry read */
            return FISC_OK;
    return cite_entry(c, e);
}

static fisc_status entry_of(fiscp_ctx *c, const fisc_param *q, int kind, fiscp_date date, const fiscp_entry **e_out,
                            int unseen)
{
    const fiscp_entry *e;
    char day[11];

    if (q->kind != kind)
        return fiscp_error_set(c->h.err, FISC_EINVAL, "parameter %s is not a %s", q->id,
                               kind == FISC_PARAM_SCALE ? "scale" : kind == FISC_PARAM_TABLE ? "table" : "value");
    if (!(e = fiscp_param_entry_on(q, date))) {
        fiscp_date_format(day, date);
        return fiscp_error_set(c->h.err, FISC_ENOTFOUND, "parameter %s has no value in force on %s (%s)", q->id,
                               day, c->h.conf ? c->h.conf->id : "agreement");
    }
    *e_out = e;
    return record_param(c, q, e, unseen);
}

/*
 * The entry of a program's parameter in force on the context's day, or NULL. A reused result
 * remembers it for its period (c->resolved), so a batch searches each parameter once per thread.
 */
static inline const fiscp_entry *in_force(const fiscp_ctx *c, int param)
{
    const fiscp_entry **slot;

    if (!c->resolved || c->h.date != c->r->date)
        return fiscp_param_entry_on(c->h.conf->params[param], c->h.date);
    slot = &c->resolved[param];
    if (!*slot) {
        const fiscp_entry *e = fiscp_param_entry_on(c->h.conf->params[param], c->h.date);

        *slot = e ? e : &fiscp_no_entry;
    }
    return *slot == &fiscp_no_entry ? NULL : *slot;
}

/*
 * A program's parameter by index, found and recorded for the item. c->read remembers the entry the
 * item last recorded of each parameter: read again, it is not recorded again; never read, it needs
 * no duplicate scan (entries never overlap, and each index is its own parameter).
 */
static FISCP_ALWAYS_INLINE fisc_status entry_for(fiscp_ctx *c, int param, int kind, const fisc_param **q_out,
                                                 const fiscp_entry **e_out)
{
    const fisc_param *q = *q_out = c->h.conf->params[param];
    const fiscp_entry *e = in_force(c, param);
    uint32_t bit;

    if (!e || q->kind != kind) /* the message */
        return entry_of(c, q, kind, c->h.date, e_out, 0);
    *e_out = e;
    if (param >= READ_CACHE)
        return record_param(c, q, e, 0);
    bit = (uint32_t)1 << param;
    if (!(c->h.read_mask & bit)) {
        c->h.read_mask |= bit;
        c->h.read[param] = e;
        return record_param(c, q, e, 1);
    }
    if (c->h.read[param] == e)
        return FISC_OK;
    c->h.read[param] = e;
    return record_param(c, q, e, 0);
}

/* Remember a value read on the period's last day for the item's next reads (engine.h). */
static inline void cache_value(fiscp_ctx *c, int param, const fisc_decimal *v)
{
    if ((unsigned)param < FISCP_VALUE_CACHE) {
        c->h.param_values[param] = v;
        c->h.values_ready |= (uint32_t)1 << param;
    }
}

static NOINLINE fisc_status value_read_general(fiscp_ctx *c, int param, const fisc_decimal **out)
{
    const fisc_param *q;
    const fiscp_entry *e;
    fisc_status rc = entry_for(c, param, FISC_PARAM_VALUE, &q, &e);

    if (rc != FISC_OK)
        return rc;
    cache_value(c, param, *out = &e->in_unit);
    if (c->values_kept && (unsigned)param < READ_CACHE) /* a value, in force on the last day */
        c->values_kept[param] = e;
    return FISC_OK;
}

/*
 * The item's first read of a value, or an error. Its common case first (fiscp_param_value takes it
 * inline when the citation is in place already): a value the item has not read in any way, which
 * an earlier item of a reused result found in force for the period (c->h.values_in_force), with
 * room to record it, is recorded as value_read_general would record it.
 */
fisc_status fiscp_param_value_read(fiscp_ctx *c, int param, const fisc_decimal **out)
{
    size_t n = c->h.item->param_count;
    const fiscp_entry *e;

    if ((unsigned)param >= READ_CACHE || (c->h.read_mask >> param & 1u) || !(e = c->h.values_in_force[param]) ||
        n == MAX_PARAMS)
        return value_read_general(c, param, out);
    cite_copy(c, n, e);
    *out = fiscp_param_record(&c->h, param, n, e);
    return FISC_OK;
}

static fisc_status table_row(const fisc_param *q, const fiscp_entry *e, const char *const *keys,
                             const fisc_decimal **out)
{
    for (size_t i = 0; i < e->nrows; i++) {
        size_t k = 0;

        while (k < q->nkeys && strcmp(e->rows[i].keys[k], keys[k]) == 0)
            k++;
        if (k == q->nkeys) {
            *out = &e->rows[i].in_unit;
            return FISC_OK;
        }
    }
    return FISC_OK;
}

fisc_status fiscp_param_table(fiscp_ctx *c, int param, const char *const *keys, const fisc_decimal **out)
{
    const fisc_param *q;
    const fiscp_entry *e;
    fisc_status rc = entry_for(c, param, FISC_PARAM_TABLE, &q, &e);

    *out = NULL;
    return rc != FISC_OK ? rc : table_row(q, e, keys, out);
}

fisc_status fiscp_policy_value_on(fiscp_ctx *c, const fisc_param *q, fiscp_date date, const fisc_decimal **out)
{
    const fiscp_entry *e = NULL;
    fisc_status rc = entry_of(c, q, FISC_PARAM_VALUE, date, &e, 0);

    *out = rc == FISC_OK ? &e->in_unit : NULL;
    return rc;
}

fisc_status fiscp_policy_table_on(fiscp_ctx *c, const fisc_param *q, fiscp_date date, const char *const *keys,
                                  const fisc_decimal **out)
{
    const fiscp_entry *e;
    fisc_status rc = entry_of(c, q, FISC_PARAM_TABLE, date, &e, 0);

    *out = NULL;
    return rc != FISC_OK ? rc : table_row(q, e, keys, out);
}

int fiscp_param_in_force_read(const fiscp_ctx *c, int param)
{
    return in_force(c, param) != NULL;
}

fisc_status fiscp_param_value_on(fiscp_ctx *c, int param, fiscp_date date, const fisc_decimal **out)
{
    fiscp_date last = c->h.date;
    const fisc_param *q;
    const fiscp_entry *e;
    fisc_status rc;

    if (date > last)
        return fiscp_error_set(c->h.err, FISC_EINVAL, "program %s reads a parameter after the period's last day",
                               c->h.conf->id);
    /* entry_for reads the day from the context; the caches hold the last day's entries */
    c->h.date = date;
    rc = entry_for(c, param, FISC_PARAM_VALUE, &q, &e);
    c->h.date = last;
    if (rc == FISC_OK)
        *out = &e->in_unit;
    return rc;
}

const char *fiscp_percent(fiscp_ctx *c, const fisc_decimal *rate)
{
    fisc_decimal hundred, p;
    const char *s;

    if (!c->h.trace)
        return "";
    fisc_decimal_init(&hundred);
    fisc_decimal_init(&p);
    fisc_decimal_set_int(&hundred, 100);
    s = fisc_decimal_mul(&p, rate, &hundred, NULL) == FISC_OK ? fiscp_ctx_printf(c, "%s%%", fiscp_text(c, &p)) : "";
    fisc_decimal_clear(&p);
    return s;
}

/* Append one "slice × rate" term to a scale's detail text (tracing: callers test it, untraced rows make no call). */
static NOINLINE void scale_term(fiscp_ctx *c, const char **detail, const fisc_decimal *slice,
                                const fisc_decimal *rate)
{
    if (!detail)
        return;
    *detail = fiscp_ctx_printf(c, "%s%s%s × %s", *detail, (*detail)[0] ? " + " : "", fiscp_text(c, slice),
                               fiscp_percent(c, rate));
}

/* r = a - b, b NULL for a zero: a SMALL a is then a copy (a − 0 keeps a's coefficient and scale). */
static fisc_status less(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err)
{
    fisc_decimal zero;

    if (b)
        return fisc_decimal_sub(r, a, b, err);
    if (fiscp_decimal_is_small(a))
        return fiscp_decimal_set(r, a, err);
    fiscp_decimal_init(&zero);
    return fisc_decimal_sub(r, a, &zero, err);
}

/* sum += v, where `first` says sum is still the 0 it was set to: 0 + v is v, in the same form. */
static FISCP_ALWAYS_INLINE fisc_status add_to(fisc_decimal *sum, const fisc_decimal *v, int first, fisc_error *err)
{
    if (first && fiscp_decimal_is_small(v))
        return fiscp_decimal_set(sum, v, err);
    return fisc_decimal_add(sum, sum, v, err);
}

/* Scale q's entry e applied to base, bracket by bracket: every case, and the terms of a traced detail. */
static NOINLINE fisc_status scale_brackets(fiscp_ctx *c, const fisc_param *q, const fiscp_entry *e,
                                           const fisc_decimal *base, fisc_decimal *out, const char **detail)
{
    const fisc_decimal *prev = NULL; /* the bracket's lower bound; NULL for the first one's 0 */
    fisc_decimal slice, part;
    int first = 1;
    fisc_status rc = FISC_OK;

    fiscp_decimal_init(&slice);
    fiscp_decimal_init(&part);
    fiscp_decimal_set_int(out, 0);
    for (size_t b = 0; b < e->nbrackets && rc == FISC_OK; b++) {
        const fiscp_bracket *br = &e->brackets[b];
        const fisc_decimal *up = br->open ? NULL : &br->up_to_in_unit;
        int within = !up || fiscp_decimal_cmp(base, up) <= 0; /* base ends in this bracket */

        if (q->semantics == SCALE_WHOLE) {
            if (within) {
                rc = fisc_decimal_mul(out, base, &br->rate, c->h.err);
                if (c->h.trace)
                    scale_term(c, detail, base, &br->rate);
                break;
            }
        } else {
            /* marginal: the slice of base in (prev, up] at this rate, min(base, up) − prev */
            rc = less(&slice, within ? base : up, prev, c->h.err);
            if (rc == FISC_OK && fiscp_decimal_sign(&slice) > 0 &&
                (rc = fisc_decimal_mul(&part, &slice, &br->rate, c->h.err)) == FISC_OK) {
                rc = add_to(out, &part, first, c->h.err);
                first = 0;
                if (c->h.trace)
                    scale_term(c, detail, &slice, &br->rate);
            }
            if (within)
                break;
            prev = up;
        }
        if (b + 1 == e->nbrackets && rc == FISC_OK) /* base above the last (closed) bracket */
            rc = fiscp_error_set(c->h.err, FISC_ERANGE, "the base is above the last bracket of scale %s", q->id);
    }
    fiscp_decimal_clear(&slice);
    fiscp_decimal_clear(&part);
    return rc;
}

/*
 * The commonest case, untraced, without the loop's scratch values: a SMALL base that ends in the first
 * bracket. Whole-amount or marginal, out is then base × the bracket's rate, or for a marginal scale 0
 * when base <= 0 (its slice is empty), as scale_brackets computes them (a marginal product that is not
 * SMALL, or a failure: scale_brackets, which adds it to 0, or leaves out 0). 1 and *rc set, or 0 for
 * scale_brackets.
 */
static FISCP_ALWAYS_INLINE int scale_first(fiscp_ctx *c, const fisc_param *q, const fiscp_entry *e,
                                           const fisc_decimal *base, fisc_decimal *out, fisc_status *rc)
{
    const fiscp_bracket *br = e->brackets;

    if (c->h.trace || e->nbrackets == 0 || !fiscp_decimal_is_small(base) ||
        (!br->open && fiscp_decimal_cmp(base, &br->up_to_in_unit) > 0))
        return 0;
    if (q->semantics != SCALE_WHOLE && fiscp_decimal_sign(base) <= 0) {
        fiscp_error_reset(c->h.err);
        fiscp_decimal_set_int(out, 0);
        *rc = FISC_OK;
        return 1;
    }
    *rc = fisc_decimal_mul(out, base, &br->rate, c->h.err);
    return q->semantics == SCALE_WHOLE || (*rc == FISC_OK && fiscp_decimal_is_small(out));
}

fisc_status fiscp_param_scale(fiscp_ctx *c, int param, const fisc_decimal *base, fisc_decimal *out,
                              const char **detail)
{
    const fisc_param *q = NULL;
    const fiscp_entry *e = NULL;
    fisc_status rc = entry_for(c, param, FISC_PARAM_SCALE, &q, &e);

    if (rc != FISC_OK)
        return rc;
    if (detail)
        *detail = "";
    if (scale_first(c, q, e, base, out, &rc))
        return rc;
    return scale_brackets(c, q, e, base, out, detail);
}

/* Names are static strings: the linker merges equal literals, so pointers usually decide. */
static int same_name(const char *a, const char *b)
{
    return a == b || strcmp(a, b) == 0;
}

/* Whether the current program declares that it reads `amount` of `program` (fiscp_program::reads). */
static int declared(const fiscp_ctx *c, const char *program, const char *amount)
{
    const fiscp_program *prog = c->h.conf->program;

    for (const fiscp_read *r = prog ? prog->reads : NULL; r && r->program; r++)
        if (strcmp(r->program, program) == 0 && strcmp(r->amount, amount) == 0)
            return 1;
    return 0;
}

void fiscp_prior_amount(fiscp_ctx *c, const char *program, const char *amount, const fisc_decimal **out,
                        int *outcome)
{
    *out = NULL;
    if (outcome)
        *outcome = -1;
    for (size_t i = 0; i < c->r->nitems; i++) {
        const fisc_item *it = &c->r->items[i];

        if (it == c->h.item || !same_name(it->program, program))
            continue;
        if (outcome)
            *outcome = it->outcome;
        if (it->outcome == FISC_OUTCOME_UNDETERMINED)
            return;
        for (size_t k = 0; k < it->amount_count; k++)
            if (same_name(it->amounts[k].name, amount)) {
                *out = it->amounts[k].value; /* a program records each amount once */
                return;
            }
        if (!declared(c, program, amount)) /* in every mode, so that the tests find it */
            c->failed = fiscp_fail(c, FISC_ENOTFOUND, "reads amount %s of %s, which it does not declare (a summary "
                                   "may not have recorded it)", amount, program);
        return;
    }
}

/* ------------------------------------------------------------------ facts */

void fiscp_missing(fiscp_ctx *c, fiscp_fact id)
{
    uint64_t bit = (uint64_t)1 << (id % 64);

    if (c->missing_seen[id / 64] & bit)
        return;
    c->missing_seen[id / 64] |= bit;
    c->a->missing[c->h.item->missing_count++] = fiscp_vocab_table[id].info.name;
}

int fiscp_need_date(fiscp_ctx *c, fiscp_fact id, fiscp_date *out)
{
    if (fiscp_fact_date(c->h.f, id, out))
        return 1;
    fiscp_missing(c, id);
    return 0;
}

/* ------------------------------------------------------------------ recording */

void fiscp_outcome(fiscp_ctx *c, fisc_outcome outcome)
{
    c->h.item->outcome = outcome;
}

void fiscp_choice(fiscp_ctx *c, const char *choice)
{
    c->h.item->choice = choice;
}

fisc_status fiscp_summary(fiscp_ctx *c, const char *zh, const char *en)
{
    c->h.item->summary_zh = zh;
    c->h.item->summary_en = en;
    return FISC_OK;
}

fisc_status fiscp_item_full(fiscp_ctx *c, const char *verb, int most, const char *what)
{
    return fiscp_error_set(c->h.err, FISC_ERANGE, "program %s %s more than %d %s", c->h.conf->id, verb, most, what);
}

fisc_status fiscp_item_value(fiscp_ctx *c, fisc_decimal *out, const fisc_decimal *v)
{
    return fisc_decimal_set(out, v, c->h.err);
}

fisc_status fiscp_step(fiscp_ctx *c, const char *id, const char *zh, const char *en, const char *formula,
                       const char *substituted, const fisc_decimal *result)
{
    fisc_step *s;

    if (!c->h.trace)
        return FISC_OK;
    if (c->h.item->step_count == MAX_STEPS)
        return fiscp_error_set(c->h.err, FISC_ERANGE, "program %s records more than %d steps", c->h.conf->id,
                               MAX_STEPS);
    s = &c->a->steps[c->h.item->step_count++];
    s->id = id;
    s->label_zh = zh;
    s->label_en = en;
    s->formula = formula ? formula : "";
    s->substituted = substituted ? substituted : "";
    s->result = result ? fiscp_text(c, result) : "";
    s->rounding = "";
    return FISC_OK;
}

void fiscp_step_rounding(fiscp_ctx *c, const char *text)
{
    if (c->h.trace && c->h.item && c->h.item->step_count)
        c->a->steps[c->h.item->step_count - 1].rounding = text;
}

fisc_status fiscp_round_traced(fiscp_ctx *c, const char *what, const fisc_decimal *v, fisc_decimal *out)
{
    fisc_decimal residue;
    fisc_status rc;

    fiscp_decimal_init(&residue);
    rc = fisc_decimal_round_unit(out, &residue, v, &c->h.conf->unit, c->h.conf->rounding, NULL, c->h.err);
    if (rc == FISC_OK) {
        const char *text = fiscp_ctx_printf(c, "%s to %s: %s → %s (residue %s)", c->h.conf->rounding_name,
                                            fiscp_text(c, &c->h.conf->unit), fiscp_text(c, v), fiscp_text(c, out),
                                            fiscp_text(c, &residue));

        rc = fiscp_step(c, fiscp_ctx_printf(c, "%s.rounded", what), "舍入", "Rounding",
                        fiscp_ctx_printf(c, "%s 按规定舍入 / %s rounded by the program's rule", what, what), text, out);
        if (rc == FISC_OK)
            c->a->steps[c->h.item->step_count - 1].rounding = text;
    }
    fiscp_decimal_clear(&residue);
    return rc;
}

/* ------------------------------------------------------------------ evaluation */

static fisc_status check_options(const fisc_eval_options *o, fisc_error *err)
{
    if (!o || o->version < 1 || o->version > FISC_EVAL_OPTIONS_VERSION)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_eval_options missing or of another version");
    if (o->year < 1990 || o->year > 2100)
        return fiscp_error_set(err, FISC_EINVAL, "the tax year %d is outside 1990..2100", o->year);
    if (o->quarter < 0 || o->quarter > 4)
        return fiscp_error_set(err, FISC_EINVAL, "the quarter %d is outside 1..4 (or 0 for the year)", o->quarter);
    return FISC_OK;
}

/*
 * Begin item with the arrays a (the context's own, or a reused result's for the program) and the
 * program's part of a reused result's parameters in force (or NULL). Nothing the last item left in
 * the context counts: its caches are emptied by their masks.
 */
static void start_item(fiscp_ctx *c, const fiscp_program_conf *conf, fisc_item *item, fiscp_item_arrays *a,
                       const fiscp_entry **resolved)
{
    c->h.conf = conf;
    c->h.round_places = conf->program ? conf->round_places : -1; /* agreements' confs do not say */
    c->h.item = item;
    c->a = a;
    c->h.cited = a->cited;
    c->h.conds = a->conds;
    c->h.amounts = a->amounts;
    c->h.values = a->values;
    c->resolved = resolved;
    /* in_force's test of the day, once: the inline fiscp_param_in_force reads the table only for the period's day */
    c->h.resolved = c->h.date == c->r->date ? resolved : NULL;
    c->h.values_ready = 0;
    c->h.read_mask = c->h.counted = 0;
    c->values_kept = NULL;
    c->h.values_in_force = no_values;
    if (resolved && a != &c->own) { /* a reused result: what earlier rows found in force, if the same period */
        if (a->values_date != c->r->date) {
            memset(a->values_in_force, 0, sizeof(a->values_in_force));
            a->values_date = c->r->date;
        }
        c->h.values_in_force = c->values_kept = a->values_in_force;
    }
    memset(c->missing_seen, 0, sizeof(c->missing_seen));
    /* every member (an item is not zeroed first); a program's id as the registry spells it, which
       fiscp_prior_amount then matches by pointer */
    item->program = conf->program ? conf->program->id : conf->id;
    item->title_zh = conf->title_zh;
    item->title_en = conf->title_en;
    item->outcome = FISC_OUTCOME_UNDETERMINED;
    item->provisional = 0;
    item->summary_zh = item->summary_en = item->choice = "";
    item->amount_count = item->condition_count = item->missing_count = item->param_count = item->step_count = 0;
    item->amounts = a->amounts;
    item->conditions = a->conds;
    item->missing = a->missing;
    item->params = a->params;
    item->steps = a->steps;
}

/* Bytes of n elements of `size`, rounded up to keep the next array aligned for any object. */
static size_t span(size_t n, size_t size)
{
    return (n * size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
}

/* Copy n elements to *at and move *at past them; NULL when n is 0. */
static void *place(char **at, const void *from, size_t n, size_t size)
{
    void *to = *at;

    if (n == 0)
        return NULL;
    memcpy(to, from, n * size);
    *at += span(n, size);
    return to;
}

/* Empty an item that failed: nothing of the context may stay referenced, no amount keeps memory. */
static void drop_item(fiscp_ctx *c, fisc_item *item)
{
    for (size_t k = 0; k < item->amount_count; k++)
        fiscp_decimal_clear(&c->a->values[k]);
    item->condition_count = item->param_count = item->amount_count = item->missing_count = 0;
    item->step_count = 0;
    item->conditions = NULL;
    item->params = NULL;
    item->amounts = NULL;
    item->missing = NULL;
    item->steps = NULL;
}

/*
 * Move the current item's arrays from the context into the result, in one block of its arena. The
 * amounts' values follow their amounts, moved bitwise (a value owns its memory, if any); the
 * context's values are then fresh ones.
 */
static fisc_status move_arrays(fiscp_ctx *c, fisc_item *item)
{
    size_t na = item->amount_count;
    fiscp_item_arrays *from = c->a;
    size_t total = span(item->condition_count, sizeof(*from->conds)) + span(item->param_count, sizeof(*from->params)) +
                   span(na, sizeof(*from->amounts)) + span(na, sizeof(*from->values)) +
                   span(item->missing_count, sizeof(*from->missing)) + span(item->step_count, sizeof(*from->steps));
    fisc_amount *a;
    fisc_decimal *v;
    char *at = NULL;

    if (total && !(at = fiscp_arena_alloc_raw(&c->r->arena, total))) {
        drop_item(c, item);
        return fiscp_error_nomem(c->h.err);
    }
    item->conditions = place(&at, from->conds, item->condition_count, sizeof(*from->conds));
    item->params = place(&at, from->params, item->param_count, sizeof(*from->params));
    item->missing = place(&at, from->missing, item->missing_count, sizeof(*from->missing));
    item->steps = place(&at, from->steps, item->step_count, sizeof(*from->steps));
    a = place(&at, from->amounts, na, sizeof(*from->amounts));
    v = place(&at, from->values, na, sizeof(*from->values));
    for (size_t k = 0; k < na; k++) {
        a[k].value = &v[k];
        fiscp_decimal_init(&from->values[k]);
    }
    item->amounts = a;
    return FISC_OK;
}

/*
 * Keep the current item's arrays: in a reused result's arrays they stay where they are (an empty
 * one is NULL, as a moved one would be); the context's own are moved into the result.
 */
static fisc_status keep_arrays(fiscp_ctx *c, fisc_item *item)
{
    if (c->a == &c->own)
        return move_arrays(c, item);
    if (!item->condition_count)
        item->conditions = NULL;
    if (!item->param_count)
        item->params = NULL;
    if (!item->amount_count)
        item->amounts = NULL;
    if (!item->missing_count)
        item->missing = NULL;
    if (!item->step_count)
        item->steps = NULL;
    return FISC_OK;
}

/* Add the item's amounts that have a category (c->h.counted) to the result's totals. */
static fisc_status add_totals(fiscp_ctx *c, const fisc_item *item)
{
    fisc_result *r = c->r;
    fisc_status rc = FISC_OK;

    if (item->outcome == FISC_OUTCOME_UNDETERMINED)
        return FISC_OK;
    for (uint32_t left = c->h.counted; left && rc == FISC_OK; left &= left - 1) {
        const fisc_amount *a = &item->amounts[__builtin_ctz(left)];

        /* the first amount of a category: 0 + v is v */
        rc = add_to(&r->totals[a->category], a->value, !(r->totals_set & 1u << a->category), c->h.err);
        r->totals_set |= 1u << a->category;
    }
    return rc;
}

/* Close the current item: rc is how its program ended. */
static fisc_status end_item(fiscp_ctx *c, fisc_status rc)
{
    fisc_item *item = c->h.item;

    if (rc == FISC_OK && c->failed != FISC_OK)
        rc = c->failed; /* its message is in err already */
    if (rc != FISC_OK && c->h.err && c->h.err->code == FISC_OK) /* a program that failed without saying why */
        fiscp_error_set(c->h.err, rc, "program %s: %s", item->program, fisc_strerror(rc));
    if (item->outcome != FISC_OUTCOME_UNDETERMINED)
        item->missing_count = 0; /* the answer did not depend on them: the conditions still show "unknown" */
    if (rc == FISC_OK)
        rc = add_totals(c, item);
    if (rc == FISC_OK)
        rc = keep_arrays(c, item);
    else
        drop_item(c, item);
    c->r->provisional |= item->provisional;
    c->h.item = NULL;
    return rc;
}

/* A context over r for p; its own arrays are not made ready (arrays_init) until they are used. */
static void ctx_init(fiscp_ctx *c, fisc_result *r, const fisc_policy *p, const fisc_facts *f, int year,
                     int quarter, int trace, fiscp_date date, fisc_error *err)
{
    c->h.f = f;
    c->h.year = year;
    c->h.quarter = quarter;
    c->h.trace = trace != 0;
    c->h.summary = 0;
    c->failed = FISC_OK;
    c->h.date = date;
    c->h.values_ready = 0;
    c->r = r;
    c->p = p;
    c->h.conf = NULL;
    c->h.round_places = -1;
    c->h.item = NULL;
    c->h.err = err;
    c->a = &c->own;
    c->resolved = NULL;
    c->h.resolved = NULL;
    c->values_kept = NULL;
    c->h.values_in_force = no_values;
}

/* Make arrays ready for their first item: values initialised, nothing cited. */
static void arrays_init(fiscp_item_arrays *a)
{
    for (size_t i = 0; i < MAX_AMOUNTS; i++)
        fiscp_decimal_init(&a->values[i]);
    for (size_t i = 0; i < MAX_PARAMS; i++)
        a->cited[i] = NULL;
    a->values_date = 0;
}

/* ------------------------------------------------------------------ items outside the registry */

fisc_status fiscp_ctx_open(fiscp_ctx **out, fisc_result *r, const fisc_policy *p, int trace, fisc_error *err)
{
    fiscp_ctx *c = fiscp_malloc(sizeof(*c)); /* ~8 KB of arrays written before they are read: not zeroed */

    *out = NULL;
    if (!c)
        return fiscp_error_nomem(err);
    ctx_init(c, r, p, NULL, r->year, r->quarter, trace, r->date ? r->date : r->year * 10000 + 1231, err);
    arrays_init(&c->own);
    *out = c;
    return FISC_OK;
}

void fiscp_ctx_close(fiscp_ctx *c)
{
    for (size_t k = 0; k < MAX_AMOUNTS; k++) /* moved into the result or cleared, unless an item was left open */
        fiscp_decimal_clear(&c->own.values[k]);
    fiscp_free(c);
}

fisc_status fiscp_result_reserve(fisc_result *r, size_t more, fisc_error *err)
{
    fisc_item *items;

    if (r->items_alloc - r->nitems >= more)
        return FISC_OK;
    if (!(items = fiscp_arena_alloc(&r->arena, (r->nitems + more) * sizeof(*items))))
        return fiscp_error_nomem(err);
    if (r->nitems)
        memcpy(items, r->items, r->nitems * sizeof(*items));
    r->items = items;
    r->items_alloc = r->nitems + more;
    return FISC_OK;
}

fisc_status fiscp_item_begin(fiscp_ctx *c, const fiscp_program_conf *conf)
{
    if (c->r->nitems == c->r->items_alloc)
        return fiscp_error_set(c->h.err, FISC_EINVAL, "fiscp_item_begin: no room reserved for item %s", conf->id);
    start_item(c, conf, &c->r->items[c->r->nitems++], &c->own, NULL);
    return FISC_OK;
}

fisc_status fiscp_item_end(fiscp_ctx *c)
{
    return end_item(c, FISC_OK);
}

fisc_item *fiscp_ctx_item(fiscp_ctx *c)
{
    return c->h.item;
}

fisc_status fiscp_cite(fiscp_ctx *c, const fisc_used_param *u)
{
    size_t n = c->h.item->param_count;

    for (size_t i = 0; i < n; i++)
        if (c->a->params[i].id == u->id && c->a->params[i].from == u->from) /* the same citation, as made once */
            return FISC_OK;
    if (n == MAX_PARAMS)
        return fiscp_error_set(c->h.err, FISC_ERANGE, "item %s cites more than %d parameters", c->h.conf->id, MAX_PARAMS);
    c->a->params[n] = *u;
    c->a->cited[n] = NULL;
    c->h.item->param_count = n + 1;
    if (u->evidence != FISC_EVIDENCE_CONFIRMED)
        c->h.item->provisional = 1;
    return FISC_OK;
}

fisc_status fiscp_missing_name(fiscp_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->h.item->missing_count; i++)
        if (strcmp(c->a->missing[i], name) == 0)
            return FISC_OK;
    if (c->h.item->missing_count == MAX_MISSING)
        return fiscp_error_set(c->h.err, FISC_ERANGE, "item %s misses more than %d inputs", c->h.conf->id, MAX_MISSING);
    c->a->missing[c->h.item->missing_count++] = name;
    return FISC_OK;
}

/* ------------------------------------------------------------------ a reused result */

/*
 * A reused result's table of the parameters in force in its period (see result.h), emptied when the
 * period changed; NULL without memory for it, and then every read searches (the same answers).
 */
static const fiscp_entry **resolved_table(fisc_result *r, const fisc_policy *policy)
{
    size_t n = 0;
    void *t;

    if (r->resolved && r->resolved_date == r->date)
        return r->resolved;
    for (size_t i = 0; i < policy->nprograms; i++)
        n += policy->programs[i].program->nparams;
    if (n > r->nresolved) {
        if (!(t = fiscp_realloc_array(r->resolved, n, sizeof(*r->resolved))))
            return NULL;
        r->resolved = t;
        r->nresolved = n;
    }
    if (n)
        memset(r->resolved, 0, n * sizeof(*r->resolved));
    r->resolved_date = r->date;
    return r->resolved;
}

void fiscp_result_drop_arrays(fisc_result *r)
{
    for (size_t i = 0; i < r->narrays; i++)
        for (size_t k = 0; k < MAX_AMOUNTS; k++)
            fiscp_decimal_clear(&r->arrays[i].values[k]);
    fiscp_free(r->arrays);
    r->arrays = NULL;
    r->narrays = 0;
}

/*
 * A reused result's arrays for the items of the policy's programs, made the first time (values
 * initialised, nothing cited); NULL without memory for them, and then items are moved as in a new
 * result (the same answers). They cite the policy's entries: a result drops them when it changes
 * policy.
 */
static fiscp_item_arrays *kept_arrays(fisc_result *r, const fisc_policy *policy)
{
    size_t n = policy->nprograms;

    if (r->narrays >= n)
        return r->arrays;
    fiscp_result_drop_arrays(r);
    if (!(r->arrays = fiscp_malloc(n * sizeof(*r->arrays))))
        return NULL;
    r->narrays = n;
    for (size_t i = 0; i < n; i++)
        arrays_init(&r->arrays[i]);
    return r->arrays;
}

/* ------------------------------------------------------------------ evaluation */

/* Run every program the policy enables, in its order, into the empty result r (reused: kept from an
 * earlier evaluation by fisc_evaluate_into). */
static fisc_status run(fisc_result *r, const fisc_policy *policy, const fisc_facts *facts,
                       const fisc_eval_options *opts, int reused, fisc_error *err)
{
    static const int quarter_end[5] = { 1231, 331, 630, 930, 1231 };
    const fiscp_entry **resolved = NULL;
    fiscp_item_arrays *kept = NULL;
    size_t n = policy->nprograms ? policy->nprograms : 1;
    fisc_status rc = FISC_OK;
    fiscp_ctx c;

    /* the context's arrays are written before they are read: ctx_init gives the rest a value */
    ctx_init(&c, r, policy, facts, opts->year, opts->quarter, opts->trace, opts->year * 10000 + quarter_end[opts->quarter],
             err);
    /* version 1 of the options ends after trace; the explanation needs everything */
    c.h.summary = opts->version >= 2 && opts->summary && !opts->trace;
    r->date = c.h.date;
    if (!(r->items = fiscp_arena_alloc_raw(&r->arena, n * sizeof(*r->items)))) /* start_item fills them */
        return fiscp_error_nomem(err);
    r->items_alloc = n;
    if (reused) {
        resolved = resolved_table(r, policy);
        kept = kept_arrays(r, policy);
    }
    if (!kept)
        arrays_init(&c.own);
    for (size_t i = 0; i < policy->nprograms && rc == FISC_OK; i++) {
        const fiscp_program *prog = policy->programs[i].program;

        start_item(&c, &policy->programs[i], &r->items[r->nitems++], kept ? &kept[i] : &c.own, resolved);
        r->kept_items = kept ? r->nitems : 0;
        if (resolved)
            resolved += prog->nparams;
        rc = end_item(&c, prog->evaluate(&c));
    }
    return rc;
}

fisc_status fisc_evaluate(fisc_result **out, const fisc_policy *policy, const fisc_facts *facts,
                          const fisc_eval_options *opts, fisc_error *err)
{
    fisc_result *r;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !policy || !facts)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_evaluate: NULL argument");
    *out = NULL;
    if ((rc = check_options(opts, err)) != FISC_OK)
        return rc;
    if ((rc = fiscp_result_new(&r, policy, opts->year, opts->quarter, err)) != FISC_OK)
        return rc;
    if ((rc = run(r, policy, facts, opts, 0, err)) != FISC_OK) {
        fisc_result_free(r);
        return rc;
    }
    *out = r;
    return FISC_OK;
}

fisc_status fisc_evaluate_into(fisc_result **r, const fisc_policy *policy, const fisc_facts *facts,
                               const fisc_eval_options *opts, fisc_error *err)
{
    fisc_status rc;

    fiscp_error_reset(err);
    if (!r || !policy || !facts)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_evaluate_into: NULL argument");
    if ((rc = check_options(opts, err)) != FISC_OK)
        return rc;
    if (!*r)
        rc = fiscp_result_new(r, policy, opts->year, opts->quarter, err);
    else
        fiscp_result_reset(*r, policy, opts->year, opts->quarter);
    if (rc == FISC_OK && (rc = run(*r, policy, facts, opts, 1, err)) != FISC_OK)
        fiscp_result_reset(*r, policy, opts->year, opts->quarter);
    return rc;
}
