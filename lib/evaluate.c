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
#define READ_CACHE 32

struct fiscp_ctx {
    fisc_result *r;
    const fisc_policy *p;
    const fisc_facts *f;
    const fiscp_program_conf *conf;
    fisc_item *item;
    fisc_error *err;
    int year, quarter, trace;
    fiscp_date date;
    /*
     * The current item's arrays are written here, at their largest, and copied into the result's
     * arena at their real sizes when the item closes: a result holds only what it uses.
     */
    fisc_condition conds[MAX_CONDITIONS];
    fisc_used_param params[MAX_PARAMS];
    fisc_amount amounts[MAX_AMOUNTS];
    fisc_decimal values[MAX_AMOUNTS];   /* the amounts' values, moved into the result with them */
    const char *missing[MAX_MISSING];
    fisc_step steps[MAX_STEPS];
    unsigned char missing_seen[FACT_COUNT];
    const fiscp_entry *read[READ_CACHE]; /* per program parameter: the entry last read for this item */
    const fiscp_entry **resolved;        /* the current program's part of r->resolved, or NULL */
};

fisc_status fisc_eval_options_init(fisc_eval_options *o, unsigned int version)
{
    static const fisc_eval_options init = FISC_EVAL_OPTIONS_INIT;

    if (!o || version != FISC_EVAL_OPTIONS_VERSION)
        return FISC_EINVAL;
    *o = init;
    return FISC_OK;
}

/* ------------------------------------------------------------------ the period */

int fiscp_ctx_year(const fiscp_ctx *c)
{
    return c->year;
}

int fiscp_ctx_quarter(const fiscp_ctx *c)
{
    return c->quarter;
}

fiscp_date fiscp_ctx_date(const fiscp_ctx *c)
{
    return c->date;
}

int fiscp_ctx_tracing(const fiscp_ctx *c)
{
    return c->trace;
}

const fisc_facts *fiscp_ctx_facts(const fiscp_ctx *c)
{
    return c->f;
}

fisc_status fiscp_fail(fiscp_ctx *c, fisc_status code, const char *fmt, ...)
{
    char buf[FISC_ERROR_TEXT_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return fiscp_error_set(c->err, code, "program %s: %s", c->conf->id, buf);
}

const char *fiscp_ctx_printf(fiscp_ctx *c, const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    if (!c->trace) /* texts are part of the explanation: none when batch work turns it off */
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

    if (!c->trace)
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

    if (!c->trace || !(text = fiscp_decimal_money(v, 0)))
        return "";
    s = fiscp_arena_strdup(&c->r->arena, text);
    fisc_string_free(text);
    return s ? s : "";
}

/* ------------------------------------------------------------------ parameters */

/* Record an entry read for the item, once; `unseen`: the item has read nothing of q yet. */
static inline fisc_status record_param(fiscp_ctx *c, const fisc_param *q, const fiscp_entry *e, int unseen)
{
    for (size_t i = 0; !unseen && i < c->item->param_count; i++)
        if (c->params[i].id == q->id && c->params[i].from == e->pub.from) /* one value per entry read */
            return FISC_OK;
    if (c->item->param_count == MAX_PARAMS)
        return fiscp_error_set(c->err, FISC_ERANGE, "program %s uses more than %d parameters", c->conf->id, MAX_PARAMS);
    c->params[c->item->param_count++] = e->used;
    if (e->pub.evidence != FISC_EVIDENCE_CONFIRMED)
        c->item->provisional = 1;
    return FISC_OK;
}

static fisc_status entry_of(fiscp_ctx *c, const fisc_param *q, int kind, fiscp_date date, const fiscp_entry **e_out,
                            int unseen)
{
    const fiscp_entry *e;
    char day[11];

    if (q->kind != kind)
        return fiscp_error_set(c->err, FISC_EINVAL, "parameter %s is not a %s", q->id,
                               kind == FISC_PARAM_SCALE ? "scale" : kind == FISC_PARAM_TABLE ? "table" : "value");
    if (!(e = fiscp_param_entry_on(q, date))) {
        fiscp_date_format(day, date);
        return fiscp_error_set(c->err, FISC_ENOTFOUND, "parameter %s has no value in force on %s (%s)", q->id,
                               day, c->conf ? c->conf->id : "agreement");
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

    if (!c->resolved || c->date != c->r->date)
        return fiscp_param_entry_on(c->conf->params[param], c->date);
    slot = &c->resolved[param];
    if (!*slot) {
        const fiscp_entry *e = fiscp_param_entry_on(c->conf->params[param], c->date);

        *slot = e ? e : &fiscp_no_entry;
    }
    return *slot == &fiscp_no_entry ? NULL : *slot;
}

/*
 * A program's parameter by index, found and recorded for the item. c->read remembers the entry the
 * item last recorded of each parameter: read again, it is not recorded again; never read, it needs
 * no duplicate scan (entries never overlap, and each index is its own parameter).
 */
static fisc_status entry_for(fiscp_ctx *c, int param, int kind, const fisc_param **q_out, const fiscp_entry **e_out)
{
    const fisc_param *q = *q_out = c->conf->params[param];
    const fiscp_entry *e = in_force(c, param);
    int unseen;

    if (!e || q->kind != kind) /* the message */
        return entry_of(c, q, kind, c->date, e_out, 0);
    *e_out = e;
    if (param >= READ_CACHE)
        return record_param(c, q, e, 0);
    if (c->read[param] == e)
        return FISC_OK;
    unseen = c->read[param] == NULL;
    c->read[param] = e;
    return record_param(c, q, e, unseen);
}

fisc_status fiscp_param_value(fiscp_ctx *c, int param, const fisc_decimal **out)
{
    const fisc_param *q;
    const fiscp_entry *e;
    fisc_status rc = entry_for(c, param, FISC_PARAM_VALUE, &q, &e);

    if (rc == FISC_OK)
        *out = &e->in_unit;
    return rc;
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
    const fiscp_entry *e;
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

int fiscp_param_in_force(const fiscp_ctx *c, int param)
{
    return in_force(c, param) != NULL;
}

fisc_status fiscp_param_value_on(fiscp_ctx *c, int param, fiscp_date date, const fisc_decimal **out)
{
    fiscp_date last = c->date;
    fisc_status rc;

    if (date > last)
        return fiscp_error_set(c->err, FISC_EINVAL, "program %s reads a parameter after the period's last day",
                               c->conf->id);
    c->date = date; /* entry_for reads the day from the context */
    rc = fiscp_param_value(c, param, out);
    c->date = last;
    return rc;
}

const char *fiscp_percent(fiscp_ctx *c, const fisc_decimal *rate)
{
    fisc_decimal hundred, p;
    const char *s;

    if (!c->trace)
        return "";
    fisc_decimal_init(&hundred);
    fisc_decimal_init(&p);
    fisc_decimal_set_int(&hundred, 100);
    s = fisc_decimal_mul(&p, rate, &hundred, NULL) == FISC_OK ? fiscp_ctx_printf(c, "%s%%", fiscp_text(c, &p)) : "";
    fisc_decimal_clear(&p);
    return s;
}

/* Append one "slice × rate" term to a scale's detail text. */
static void scale_term(fiscp_ctx *c, const char **detail, const fisc_decimal *slice, const fisc_decimal *rate)
{
    if (!c->trace || !detail)
        return;
    *detail = fiscp_ctx_printf(c, "%s%s%s × %s", *detail, (*detail)[0] ? " + " : "", fiscp_text(c, slice),
                               fiscp_percent(c, rate));
}

fisc_status fiscp_param_scale(fiscp_ctx *c, int param, const fisc_decimal *base, fisc_decimal *out,
                              const char **detail)
{
    const fisc_param *q = NULL;
    const fiscp_entry *e = NULL;
    fisc_decimal prev, slice, part;
    const fisc_decimal *up;
    fisc_status rc = entry_for(c, param, FISC_PARAM_SCALE, &q, &e);

    if (rc != FISC_OK)
        return rc;
    if (detail)
        *detail = "";
    fisc_decimal_init(&prev);
    fisc_decimal_init(&slice);
    fisc_decimal_init(&part);
    fisc_decimal_set_int(out, 0);
    for (size_t b = 0; b < e->nbrackets && rc == FISC_OK; b++) {
        const fiscp_bracket *br = &e->brackets[b];
        int last = b + 1 == e->nbrackets;

        up = br->open ? NULL : &br->up_to_in_unit;
        if (q->semantics == SCALE_WHOLE) {
            if (!up || fisc_decimal_cmp(base, up) <= 0) {
                rc = fisc_decimal_mul(out, base, &br->rate, c->err);
                scale_term(c, detail, base, &br->rate);
                break;
            }
        } else {
            /* marginal: the slice of base in (prev, up] at this rate */
            rc = fisc_decimal_min(&slice, base, up ? up : base, c->err);
            if (rc == FISC_OK)
                rc = fisc_decimal_sub(&slice, &slice, &prev, c->err);
            if (rc == FISC_OK && fisc_decimal_sign(&slice) > 0 &&
                (rc = fisc_decimal_mul(&part, &slice, &br->rate, c->err)) == FISC_OK) {
                rc = fisc_decimal_add(out, out, &part, c->err);
                scale_term(c, detail, &slice, &br->rate);
            }
            if (rc == FISC_OK && up)
                rc = fisc_decimal_set(&prev, up, c->err);
            if (!up || fisc_decimal_cmp(base, up) <= 0)
                break;
        }
        if (last && up && rc == FISC_OK)
            rc = fiscp_error_set(c->err, FISC_ERANGE, "the base is above the last bracket of scale %s", q->id);
    }
    fisc_decimal_clear(&prev);
    fisc_decimal_clear(&slice);
    fisc_decimal_clear(&part);
    return rc;
}

/* Names are static strings: the linker merges equal literals, so pointers usually decide. */
static int same_name(const char *a, const char *b)
{
    return a == b || strcmp(a, b) == 0;
}

void fiscp_prior_amount(fiscp_ctx *c, const char *program, const char *amount, const fisc_decimal **out,
                        int *outcome)
{
    *out = NULL;
    if (outcome)
        *outcome = -1;
    for (size_t i = 0; i < c->r->nitems; i++) {
        const fisc_item *it = &c->r->items[i];

        if (it == c->item || strcmp(it->program, program) != 0)
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
        return;
    }
}

/* ------------------------------------------------------------------ facts */

void fiscp_missing(fiscp_ctx *c, fiscp_fact id)
{
    if (c->missing_seen[id])
        return;
    c->missing_seen[id] = 1;
    c->missing[c->item->missing_count++] = fiscp_vocab_table[id].info.name;
}

const fisc_decimal *fiscp_need_decimal(fiscp_ctx *c, fiscp_fact id)
{
    const fisc_decimal *v = fiscp_fact_decimal(c->f, id);

    if (!v)
        fiscp_missing(c, id);
    return v;
}

int fiscp_need_bool(fiscp_ctx *c, fiscp_fact id, int *out)
{
    if (fiscp_fact_bool(c->f, id, out))
        return 1;
    fiscp_missing(c, id);
    return 0;
}

int fiscp_need_date(fiscp_ctx *c, fiscp_fact id, fiscp_date *out)
{
    if (fiscp_fact_date(c->f, id, out))
        return 1;
    fiscp_missing(c, id);
    return 0;
}

/* ------------------------------------------------------------------ recording */

void fiscp_outcome(fiscp_ctx *c, fisc_outcome outcome)
{
    c->item->outcome = outcome;
}

void fiscp_choice(fiscp_ctx *c, const char *choice)
{
    c->item->choice = choice;
}

fisc_status fiscp_summary(fiscp_ctx *c, const char *zh, const char *en)
{
    c->item->summary_zh = zh;
    c->item->summary_en = en;
    return FISC_OK;
}

fisc_status fiscp_condition(fiscp_ctx *c, const char *id, const char *zh, const char *en, fisc_cond_state state,
                            const char *detail)
{
    fisc_condition *k;

    if (c->item->condition_count == MAX_CONDITIONS)
        return fiscp_error_set(c->err, FISC_ERANGE, "program %s checks more than %d conditions", c->conf->id,
                               MAX_CONDITIONS);
    k = &c->conds[c->item->condition_count++];
    k->id = id;
    k->label_zh = zh;
    k->label_en = en;
    k->state = state;
    k->detail = detail ? detail : "";
    return FISC_OK;
}

fisc_status fiscp_check(fiscp_ctx *c, const char *id, const char *zh, const char *en, int state, const char *detail)
{
    return fiscp_condition(c, id, zh, en, state < 0 ? FISC_COND_UNKNOWN : state ? FISC_COND_MET : FISC_COND_NOT_MET,
                           detail);
}

fisc_status fiscp_amount(fiscp_ctx *c, const char *name, const fisc_decimal *v, int category)
{
    fisc_amount *a;
    fisc_decimal *copy;

    if (c->item->amount_count == MAX_AMOUNTS)
        return fiscp_error_set(c->err, FISC_ERANGE, "program %s records more than %d amounts", c->conf->id,
                               MAX_AMOUNTS);
    copy = &c->values[c->item->amount_count];
    fiscp_decimal_init(copy);
    a = &c->amounts[c->item->amount_count++];
    a->name = name;
    a->value = copy;
    a->category = category;
    return fiscp_decimal_set(copy, v, c->err);
}

fisc_status fiscp_step(fiscp_ctx *c, const char *id, const char *zh, const char *en, const char *formula,
                       const char *substituted, const fisc_decimal *result)
{
    fisc_step *s;

    if (!c->trace)
        return FISC_OK;
    if (c->item->step_count == MAX_STEPS)
        return fiscp_error_set(c->err, FISC_ERANGE, "program %s records more than %d steps", c->conf->id, MAX_STEPS);
    s = &c->steps[c->item->step_count++];
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
    if (c->trace && c->item && c->item->step_count)
        c->steps[c->item->step_count - 1].rounding = text;
}

fisc_status fiscp_round(fiscp_ctx *c, const char *what, const fisc_decimal *v, fisc_decimal *out)
{
    fisc_decimal residue;
    fisc_status rc;

    fiscp_decimal_init(&residue);
    /* the residue is shown in the explanation only: not computed without it */
    rc = fisc_decimal_round_unit(out, c->trace ? &residue : NULL, v, &c->conf->unit, c->conf->rounding, NULL,
                                 c->err);
    if (rc == FISC_OK && c->trace) {
        const char *text = fiscp_ctx_printf(c, "%s to %s: %s → %s (residue %s)", c->conf->rounding_name,
                                            fiscp_text(c, &c->conf->unit), fiscp_text(c, v), fiscp_text(c, out),
                                            fiscp_text(c, &residue));

        rc = fiscp_step(c, fiscp_ctx_printf(c, "%s.rounded", what), "舍入", "Rounding",
                        fiscp_ctx_printf(c, "%s 按规定舍入 / %s rounded by the program's rule", what, what), text, out);
        if (rc == FISC_OK)
            c->steps[c->item->step_count - 1].rounding = text;
    }
    fiscp_decimal_clear(&residue);
    return rc;
}

/* ------------------------------------------------------------------ evaluation */

static fisc_status check_options(const fisc_eval_options *o, fisc_error *err)
{
    if (!o || o->version != FISC_EVAL_OPTIONS_VERSION)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_eval_options missing or of another version");
    if (o->year < 1990 || o->year > 2100)
        return fiscp_error_set(err, FISC_EINVAL, "the tax year %d is outside 1990..2100", o->year);
    if (o->quarter < 0 || o->quarter > 4)
        return fiscp_error_set(err, FISC_EINVAL, "the quarter %d is outside 1..4 (or 0 for the year)", o->quarter);
    return FISC_OK;
}

static fisc_status start_item(fiscp_ctx *c, const fiscp_program_conf *conf, fisc_item *item)
{
    c->conf = conf;
    c->item = item;
    item->program = conf->id;
    item->title_zh = conf->title_zh;
    item->title_en = conf->title_en;
    item->outcome = FISC_OUTCOME_UNDETERMINED;
    item->summary_zh = item->summary_en = "";
    item->choice = "";
    memset(c->missing_seen, 0, sizeof(c->missing_seen));
    memset(c->read, 0, sizeof(c->read));
    c->resolved = NULL;
    item->conditions = c->conds;
    item->params = c->params;
    item->amounts = c->amounts;
    item->missing = c->missing;
    item->steps = c->steps;
    return FISC_OK;
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
        fisc_decimal_clear((fisc_decimal *)c->amounts[k].value);
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
 * amounts' values follow their amounts, moved bitwise (a value owns its memory, if any).
 */
static fisc_status keep_arrays(fiscp_ctx *c, fisc_item *item)
{
    size_t na = item->amount_count;
    size_t total = span(item->condition_count, sizeof(*c->conds)) + span(item->param_count, sizeof(*c->params)) +
                   span(na, sizeof(*c->amounts)) + span(na, sizeof(*c->values)) +
                   span(item->missing_count, sizeof(*c->missing)) + span(item->step_count, sizeof(*c->steps));
    fisc_amount *a;
    fisc_decimal *v;
    char *at = NULL;

    if (total && !(at = fiscp_arena_alloc_raw(&c->r->arena, total))) {
        drop_item(c, item);
        return fiscp_error_nomem(c->err);
    }
    item->conditions = place(&at, c->conds, item->condition_count, sizeof(*c->conds));
    item->params = place(&at, c->params, item->param_count, sizeof(*c->params));
    item->missing = place(&at, c->missing, item->missing_count, sizeof(*c->missing));
    item->steps = place(&at, c->steps, item->step_count, sizeof(*c->steps));
    a = place(&at, c->amounts, na, sizeof(*c->amounts));
    v = place(&at, c->values, na, sizeof(*c->values));
    for (size_t k = 0; k < na; k++)
        a[k].value = &v[k];
    item->amounts = a;
    return FISC_OK;
}

static fisc_status add_totals(fisc_result *r, const fisc_item *item, fisc_error *err)
{
    fisc_status rc = FISC_OK;

    if (item->outcome == FISC_OUTCOME_UNDETERMINED)
        return FISC_OK;
    for (size_t i = 0; i < item->amount_count && rc == FISC_OK; i++) {
        int cat = item->amounts[i].category;

        if (cat >= 0 && cat < FISC_CATEGORY_COUNT)
            rc = fisc_decimal_add(&r->totals[cat], &r->totals[cat], item->amounts[i].value, err);
    }
    return rc;
}

/* Close the current item: rc is how its program ended. */
static fisc_status end_item(fiscp_ctx *c, fisc_status rc)
{
    fisc_item *item = c->item;

    if (rc != FISC_OK && c->err && c->err->code == FISC_OK) /* a program that failed without saying why */
        fiscp_error_set(c->err, rc, "program %s: %s", item->program, fisc_strerror(rc));
    if (item->outcome != FISC_OUTCOME_UNDETERMINED)
        item->missing_count = 0; /* the answer did not depend on them: the conditions still show "unknown" */
    if (rc == FISC_OK)
        rc = add_totals(c->r, item, c->err);
    if (rc == FISC_OK)
        rc = keep_arrays(c, item);
    else
        drop_item(c, item);
    c->r->provisional |= item->provisional;
    c->item = NULL;
    return rc;
}

/* ------------------------------------------------------------------ items outside the registry */

fisc_status fiscp_ctx_open(fiscp_ctx **out, fisc_result *r, const fisc_policy *p, int trace, fisc_error *err)
{
    fiscp_ctx *c = fiscp_malloc(sizeof(*c)); /* ~8 KB of arrays written before they are read: not zeroed */

    *out = NULL;
    if (!c)
        return fiscp_error_nomem(err);
    c->conf = NULL;
    c->item = NULL;
    c->f = NULL;
    c->r = r;
    c->p = p;
    c->err = err;
    c->year = r->year;
    c->quarter = r->quarter;
    c->trace = trace != 0;
    c->date = r->date ? r->date : r->year * 10000 + 1231;
    *out = c;
    return FISC_OK;
}

void fiscp_ctx_close(fiscp_ctx *c)
{
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
    fisc_item *item;

    if (c->r->nitems == c->r->items_alloc)
        return fiscp_error_set(c->err, FISC_EINVAL, "fiscp_item_begin: no room reserved for item %s", conf->id);
    item = &c->r->items[c->r->nitems++];
    memset(item, 0, sizeof(*item));
    return start_item(c, conf, item);
}

fisc_status fiscp_item_end(fiscp_ctx *c)
{
    return end_item(c, FISC_OK);
}

fisc_item *fiscp_ctx_item(fiscp_ctx *c)
{
    return c->item;
}

fisc_status fiscp_cite(fiscp_ctx *c, const fisc_used_param *u)
{
    for (size_t i = 0; i < c->item->param_count; i++)
        if (c->params[i].id == u->id && c->params[i].from == u->from) /* the same citation, as made once */
            return FISC_OK;
    if (c->item->param_count == MAX_PARAMS)
        return fiscp_error_set(c->err, FISC_ERANGE, "item %s cites more than %d parameters", c->conf->id, MAX_PARAMS);
    c->params[c->item->param_count++] = *u;
    if (u->evidence != FISC_EVIDENCE_CONFIRMED)
        c->item->provisional = 1;
    return FISC_OK;
}

fisc_status fiscp_missing_name(fiscp_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->item->missing_count; i++)
        if (strcmp(c->missing[i], name) == 0)
            return FISC_OK;
    if (c->item->missing_count == MAX_MISSING)
        return fiscp_error_set(c->err, FISC_ERANGE, "item %s misses more than %d inputs", c->conf->id, MAX_MISSING);
    c->missing[c->item->missing_count++] = name;
    return FISC_OK;
}

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

/* Run every program the policy enables, in its order, into the empty result r (reused: kept from an
 * earlier evaluation by fisc_evaluate_into). */
static fisc_status run(fisc_result *r, const fisc_policy *policy, const fisc_facts *facts,
                       const fisc_eval_options *opts, int reused, fisc_error *err)
{
    const fiscp_entry **resolved;
    static const int quarter_end[5] = { 1231, 331, 630, 930, 1231 };
    size_t n = policy->nprograms ? policy->nprograms : 1;
    fisc_status rc = FISC_OK;
    fiscp_ctx c;

    /* the arrays are written before they are read: only the scalars need a value */
    c.conf = NULL;
    c.item = NULL;
    c.r = r;
    c.p = policy;
    c.f = facts;
    c.err = err;
    c.year = opts->year;
    c.quarter = opts->quarter;
    c.trace = opts->trace != 0;
    c.date = opts->year * 10000 + quarter_end[opts->quarter];
    r->date = c.date;
    if (!(r->items = fiscp_arena_alloc(&r->arena, n * sizeof(*r->items))))
        return fiscp_error_nomem(err);
    r->items_alloc = n;
    resolved = reused ? resolved_table(r, policy) : NULL;
    for (size_t i = 0; i < policy->nprograms && rc == FISC_OK; i++) {
        const fiscp_program *prog = policy->programs[i].program;
        fisc_item *item = &r->items[r->nitems++];

        rc = start_item(&c, &policy->programs[i], item);
        c.resolved = resolved;
        if (resolved)
            resolved += prog->nparams;
        if (rc == FISC_OK)
            rc = prog->evaluate(&c);
        rc = end_item(&c, rc);
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
