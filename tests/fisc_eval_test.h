/*
 * Shared helpers of the cmocka programs that evaluate a policy (test_evaluate, test_cit and one per
 * program): load the policy, evaluate facts given as JSON, find what an item holds, and sweep an
 * evaluation for allocation failures. Include after fisc_test.h. The programs link the library
 * objects (fisc_internal_dep) for the allocation hook. The helpers that can fail the test are
 * macros passing the caller's file and line, as in fisc_test.h.
 */
#ifndef FISC_EVAL_TEST_H
#define FISC_EVAL_TEST_H

#include <stdlib.h>

#include "fisc_test.h"

#include "fisc_private.h" /* white-box: the allocation hook */

/* Every *.yaml of dir in name order (fisc_policy_load_default, FISC_POLICY_DIR=dir), or fail with the position. */
static inline fisc_policy *fisc_test_load_policy_at(const char *dir, const char *file, int line)
{
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (setenv("FISC_POLICY_DIR", dir, 1) != 0 || fisc_policy_load_default(&p, NULL, &err) != FISC_OK) {
        print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
        _fail(file, line);
    }
    return p;
}
#define fisc_test_load_policy(dir) fisc_test_load_policy_at((dir), __FILE__, __LINE__)

/* The files names[0..n-1] of dir as layers in that order, no overlay, or fail with the position. */
static inline fisc_policy *fisc_test_load_files_at(const char *dir, const char *const *names, size_t n,
                                                   const char *file, int line)
{
    char buf[16][600];
    const char *paths[16];
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (n > 16) {
        print_error("%s:%d: %zu policy files, at most 16\n", file, line, n);
        _fail(file, line);
    }
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, names[i]);

        if (len < 0 || (size_t)len >= sizeof(buf[i])) {
            print_error("%s:%d: policy path %s/%s too long\n", file, line, dir, names[i]);
            _fail(file, line);
        }
        paths[i] = buf[i];
    }
    if (fisc_policy_load_files(&p, paths, n, NULL, &err) != FISC_OK) {
        print_error("%s:%d:%d: %s\n", err.source, err.line, err.column, err.text);
        _fail(file, line);
    }
    return p;
}
#define fisc_test_load_files(dir, ...)                                                                   \
    fisc_test_load_files_at((dir), (const char *const[]){ __VA_ARGS__ },                                 \
                            sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), __FILE__, \
                            __LINE__)

/* A `trace` argument of the helpers below: no explanation, a summary (fisc_eval_options::summary). */
#define FISC_TEST_SUMMARY 2

/* fisc_evaluate of facts given as JSON (quarter 0: the year) on p; fails only when the JSON is not facts. */
static inline fisc_status fisc_test_try_evaluate_at(fisc_result **r, const fisc_policy *p, const char *json,
                                                    int year, int quarter, int trace, fisc_error *err,
                                                    const char *file, int line)
{
    fisc_facts *f = NULL;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    fisc_status rc;

    if (fisc_facts_from_json(&f, json, strlen(json), "test", err) != FISC_OK) {
        print_error("%s:%d: facts: %s (line %d column %d)\n", file, line, err->text, err->line, err->column);
        _fail(file, line);
    }
    o.year = year;
    o.quarter = quarter;
    o.trace = trace == FISC_TEST_SUMMARY ? 0 : trace;
    o.summary = trace == FISC_TEST_SUMMARY;
    rc = fisc_evaluate(r, p, f, &o, err);
    fisc_facts_free(f);
    return rc;
}
#define fisc_test_try_evaluate(r, p, json, year, quarter, trace, err) \
    fisc_test_try_evaluate_at((r), (p), (json), (year), (quarter), (trace), (err), __FILE__, __LINE__)

/* The result of evaluating facts given as JSON on p (the caller frees it), or fail with the message. */
static inline fisc_result *fisc_test_evaluate_at(const fisc_policy *p, const char *json, int year, int quarter,
                                                 int trace, const char *file, int line)
{
    fisc_result *r = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_test_try_evaluate_at(&r, p, json, year, quarter, trace, &err, file, line) != FISC_OK) {
        print_error("%s:%d: evaluate %s in %d Q%d: %s\n", file, line, json, year, quarter, err.text);
        _fail(file, line);
    }
    return r;
}
#define fisc_test_evaluate(p, json, year, quarter, trace) \
    fisc_test_evaluate_at((p), (json), (year), (quarter), (trace), __FILE__, __LINE__)

/* The item of program id in r, or fail. */
static inline const fisc_item *fisc_test_item_at(const fisc_result *r, const char *id, const char *file, int line)
{
    const fisc_item *it = fisc_result_find(r, id);

    if (!it) {
        print_error("%s:%d: no item %s in the result\n", file, line, id);
        _fail(file, line);
    }
    return it;
}
#define fisc_test_item(r, id) fisc_test_item_at((r), (id), __FILE__, __LINE__)

/* The amount of it called name, or NULL. */
static inline const fisc_decimal *fisc_test_amount(const fisc_item *it, const char *name)
{
    for (size_t k = 0; k < it->amount_count; k++)
        if (strcmp(it->amounts[k].name, name) == 0)
            return it->amounts[k].value;
    return NULL;
}

/* Assert that it has an amount called name and that it is want to two places. */
static inline void fisc_test_item_amount(const fisc_item *it, const char *name, const char *want, const char *file,
                                         int line)
{
    const fisc_decimal *v = fisc_test_amount(it, name);

    if (!v) {
        print_error("%s:%d: %s: no amount \"%s\" (outcome %d: %s)\n", file, line, it->program, name, it->outcome,
                    it->summary_en);
        _fail(file, line);
    }
    fisc_test_decimal_equal(v, 2, want, file, line);
}
#define assert_item_amount(it, name, want) fisc_test_item_amount((it), (name), (want), __FILE__, __LINE__)

/* The condition of it called id, or NULL. */
static inline const fisc_condition *fisc_test_find_condition(const fisc_item *it, const char *id)
{
    for (size_t k = 0; k < it->condition_count; k++)
        if (strcmp(it->conditions[k].id, id) == 0)
            return &it->conditions[k];
    return NULL;
}

/* The condition of it called id, or fail. */
static inline const fisc_condition *fisc_test_condition_at(const fisc_item *it, const char *id, const char *file,
                                                           int line)
{
    const fisc_condition *c = fisc_test_find_condition(it, id);

    if (!c) {
        print_error("%s:%d: %s: no condition \"%s\"\n", file, line, it->program, id);
        _fail(file, line);
    }
    return c;
}
#define fisc_test_condition(it, id) fisc_test_condition_at((it), (id), __FILE__, __LINE__)

/* The parameter of it called id, or NULL when the item did not use it. */
static inline const fisc_used_param *fisc_test_find_param(const fisc_item *it, const char *id)
{
    for (size_t k = 0; k < it->param_count; k++)
        if (strcmp(it->params[k].id, id) == 0)
            return &it->params[k];
    return NULL;
}

/* The parameter of it called id, or fail. */
static inline const fisc_used_param *fisc_test_param_at(const fisc_item *it, const char *id, const char *file,
                                                        int line)
{
    const fisc_used_param *u = fisc_test_find_param(it, id);

    if (!u) {
        print_error("%s:%d: %s: parameter \"%s\" not used\n", file, line, it->program, id);
        _fail(file, line);
    }
    return u;
}
#define fisc_test_param(it, id) fisc_test_param_at((it), (id), __FILE__, __LINE__)

/* The step of it called id, or fail. */
static inline const fisc_step *fisc_test_step_at(const fisc_item *it, const char *id, const char *file, int line)
{
    for (size_t k = 0; k < it->step_count; k++)
        if (strcmp(it->steps[k].id, id) == 0)
            return &it->steps[k];
    print_error("%s:%d: %s: no step \"%s\"\n", file, line, it->program, id);
    _fail(file, line);
    return NULL;
}
#define fisc_test_step(it, id) fisc_test_step_at((it), (id), __FILE__, __LINE__)

/* Whether name is among the facts it says are missing. */
static inline int fisc_test_is_missing(const fisc_item *it, const char *name)
{
    for (size_t k = 0; k < it->missing_count; k++)
        if (strcmp(it->missing[k], name) == 0)
            return 1;
    return 0;
}

/*
 * OOM sweep: fail fisc allocation N = 0, 1, 2, ... of evaluating json on p, then of its JSON (with the
 * steps) and its explained text, until a run makes fewer than N + 1 allocations. A run that meets its
 * failure gives FISC_ENOMEM, or FISC_OK where the library does without that allocation (an explanation
 * text left empty); the first run must fail. Returns the result of the last run, which no failure reached
 * (the caller frees it). Leaks are for valgrind.
 */
static inline fisc_result *fisc_test_oom_sweep_at(const fisc_policy *p, const char *json, int year, int quarter,
                                                  int trace, const char *file, int line)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;

    if (fisc_facts_from_json(&f, json, strlen(json), "oom", &err) != FISC_OK) {
        print_error("%s:%d: facts: %s (line %d column %d)\n", file, line, err.text, err.line, err.column);
        _fail(file, line);
    }
    o.year = year;
    o.quarter = quarter;
    o.trace = trace;
    for (long n = 0; n < 100000; n++) {
        fisc_result *r = NULL;
        char *json_out = NULL, *text = NULL;
        int rc, reached;

        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_evaluate(&r, p, f, &o, &err);
        if (rc == FISC_OK)
            rc = fisc_result_to_json(&json_out, r, FISC_JSON_TRACE, &err);
        if (rc == FISC_OK)
            rc = fisc_result_to_text(&text, r, "zh", 1, &err);
        fiscp_alloc_fail_at = -1;
        reached = fiscp_alloc_count > n; /* allocation n was made, and failed */
        fisc_string_free(json_out);
        fisc_string_free(text);
        if (rc == FISC_OK && !reached) {
            fisc_facts_free(f);
            return r;
        }
        fisc_result_free(r);
        if (rc != FISC_OK && !reached) {
            print_error("%s:%d: %s with no allocation failed: %s\n", file, line, fisc_err_name(rc), err.text);
            _fail(file, line);
        }
        if (rc != FISC_OK)
            fisc_test_error(&err, rc, FISC_ENOMEM, 0, file, line);
        else if (n == 0) {
            print_error("%s:%d: failing the first allocation did not fail the run\n", file, line);
            _fail(file, line);
        }
    }
    print_error("%s:%d: more than 100000 allocations\n", file, line);
    _fail(file, line);
    return NULL;
}
#define fisc_test_oom_sweep(p, json, year, quarter, trace) \
    fisc_test_oom_sweep_at((p), (json), (year), (quarter), (trace), __FILE__, __LINE__)

/* Two results agree in everything the explanation does not add; x traced, y not. */
static inline void fisc_test_same_but_texts(const fisc_result *x, const fisc_result *y, const char *json, int year, int quarter)
{
    assert_int_equal(fisc_result_item_count(x), fisc_result_item_count(y));
    for (size_t i = 0; i < fisc_result_item_count(x); i++) {
        const fisc_item *a = fisc_result_item(x, i), *b = fisc_result_item(y, i);

        if (a->outcome != b->outcome || a->provisional != b->provisional || strcmp(a->choice, b->choice) != 0 ||
            a->amount_count != b->amount_count || a->condition_count != b->condition_count ||
            a->missing_count != b->missing_count || a->param_count != b->param_count || b->step_count != 0 ||
            (*b->summary_en && strcmp(a->summary_en, b->summary_en) != 0))
            fail_msg("%s %d Q%d %s: the untraced item differs", a->program, year, quarter, json);
        for (size_t k = 0; k < a->amount_count; k++)
            if (strcmp(a->amounts[k].name, b->amounts[k].name) != 0 || a->amounts[k].category != b->amounts[k].category ||
                fisc_decimal_cmp(a->amounts[k].value, b->amounts[k].value) != 0)
                fail_msg("%s %d Q%d %s: amount %s differs untraced", a->program, year, quarter, json, a->amounts[k].name);
        for (size_t k = 0; k < a->condition_count; k++) /* a detail is the traced one, or "" untraced */
            if (strcmp(a->conditions[k].id, b->conditions[k].id) != 0 || a->conditions[k].state != b->conditions[k].state ||
                (*b->conditions[k].detail && strcmp(a->conditions[k].detail, b->conditions[k].detail) != 0))
                fail_msg("%s %d Q%d %s: condition %s differs untraced", a->program, year, quarter, json,
                         a->conditions[k].id);
        for (size_t k = 0; k < a->missing_count; k++)
            assert_string_equal(a->missing[k], b->missing[k]);
        for (size_t k = 0; k < a->param_count; k++)
            assert_string_equal(a->params[k].id, b->params[k].id);
    }
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++)
        assert_int_equal(fisc_decimal_cmp(fisc_result_total(x, k), fisc_result_total(y, k)), 0);
}

/* Two texts of a result, both NULL or equal. */
static inline int fisc_test_same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/*
 * Two values equal, in the same form: white-box, the scale and kind a later operation would see
 * (a result's value that printed the same but had another scale would differ here).
 */
static inline int fisc_test_same_value(const fisc_decimal *a, const fisc_decimal *b)
{
    return fisc_decimal_cmp(a, b) == 0 && a->scale_ == b->scale_ && a->kind_ == b->kind_;
}

/* Two results alike in everything, texts included: x made by fisc_evaluate, y another way. */
static inline void fisc_test_same_result(const fisc_result *x, const fisc_result *y, const char *json, int year,
                                         int quarter)
{
    const char *what = NULL;

    assert_int_equal(fisc_result_item_count(x), fisc_result_item_count(y));
    assert_int_equal(fisc_result_provisional(x), fisc_result_provisional(y));
    for (size_t i = 0; i < fisc_result_item_count(x) && !what; i++) {
        const fisc_item *a = fisc_result_item(x, i), *b = fisc_result_item(y, i);

        if (strcmp(a->program, b->program) != 0 || strcmp(a->title_zh, b->title_zh) != 0 ||
            strcmp(a->title_en, b->title_en) != 0 || a->outcome != b->outcome || a->provisional != b->provisional ||
            strcmp(a->summary_zh, b->summary_zh) != 0 || strcmp(a->summary_en, b->summary_en) != 0 ||
            strcmp(a->choice, b->choice) != 0 || a->amount_count != b->amount_count ||
            a->condition_count != b->condition_count || a->missing_count != b->missing_count ||
            a->param_count != b->param_count || a->step_count != b->step_count)
            what = "the item";
        for (size_t k = 0; k < a->amount_count && !what; k++)
            if (strcmp(a->amounts[k].name, b->amounts[k].name) != 0 || a->amounts[k].category != b->amounts[k].category ||
                !fisc_test_same_value(a->amounts[k].value, b->amounts[k].value))
                what = a->amounts[k].name;
        for (size_t k = 0; k < a->condition_count && !what; k++) {
            const fisc_condition *u = &a->conditions[k], *v = &b->conditions[k];

            if (strcmp(u->id, v->id) != 0 || strcmp(u->label_zh, v->label_zh) != 0 ||
                strcmp(u->label_en, v->label_en) != 0 || u->state != v->state || strcmp(u->detail, v->detail) != 0)
                what = u->id;
        }
        for (size_t k = 0; k < a->missing_count && !what; k++)
            if (strcmp(a->missing[k], b->missing[k]) != 0)
                what = a->missing[k];
        for (size_t k = 0; k < a->param_count && !what; k++) {
            const fisc_used_param *u = &a->params[k], *v = &b->params[k];

            if (!fisc_test_same_text(u->id, v->id) || !fisc_test_same_text(u->value, v->value) ||
                !fisc_test_same_text(u->from, v->from) || !fisc_test_same_text(u->to, v->to) ||
                u->evidence != v->evidence || !fisc_test_same_text(u->document, v->document) ||
                !fisc_test_same_text(u->article, v->article) || !fisc_test_same_text(u->url, v->url) ||
                !fisc_test_same_text(u->unit, v->unit))
                what = u->id;
        }
        for (size_t k = 0; k < a->step_count && !what; k++) {
            const fisc_step *u = &a->steps[k], *v = &b->steps[k];

            if (strcmp(u->id, v->id) != 0 || strcmp(u->label_zh, v->label_zh) != 0 ||
                strcmp(u->label_en, v->label_en) != 0 || strcmp(u->formula, v->formula) != 0 ||
                strcmp(u->substituted, v->substituted) != 0 || strcmp(u->result, v->result) != 0 ||
                strcmp(u->rounding, v->rounding) != 0)
                what = u->id;
        }
        if (what)
            fail_msg("%s %d Q%d %s: %s differs (%s)", a->program, year, quarter, json, what,
                     "the result made another way");
    }
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++)
        if (!fisc_test_same_value(fisc_result_total(x, k), fisc_result_total(y, k)))
            fail_msg("%d Q%d %s: total %d differs in the result made another way", year, quarter, json, k);
}

/*
 * The result that fisc_test_same_untraced evaluates into, row after row, across the tests of a
 * program and the policies they load (a batch's worker keeps one so): the rows before must leave
 * nothing behind. Freed by fisc_test_reused_free(), or left to the end of the program.
 */
static fisc_result *fisc_test_reused;

static inline void fisc_test_reused_free(void)
{
    fisc_result_free(fisc_test_reused);
    fisc_test_reused = NULL;
}

/* Evaluate json into fisc_test_reused (fisc_evaluate_into), or fail with the message. */
static inline void fisc_test_evaluate_reused_at(const fisc_policy *p, const char *json, int year, int quarter,
                                                int trace, const char *file, int line)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;

    if (fisc_facts_from_json(&f, json, strlen(json), "test", &err) != FISC_OK) {
        print_error("%s:%d: facts: %s\n", file, line, err.text);
        _fail(file, line);
    }
    o.year = year;
    o.quarter = quarter;
    o.trace = trace == FISC_TEST_SUMMARY ? 0 : trace;
    o.summary = trace == FISC_TEST_SUMMARY;
    if (fisc_evaluate_into(&fisc_test_reused, p, f, &o, &err) != FISC_OK) {
        print_error("%s:%d: evaluate into %s in %d Q%d: %s\n", file, line, json, year, quarter, err.text);
        _fail(file, line);
    }
    fisc_facts_free(f);
}

/* The amount of item `it` named `name`, or NULL. */
static inline const fisc_amount *fisc_test_amount_named(const fisc_item *it, const char *name)
{
    for (size_t k = 0; k < it->amount_count; k++)
        if (strcmp(it->amounts[k].name, name) == 0)
            return &it->amounts[k];
    return NULL;
}

/*
 * y, a summary (fisc_eval_options::summary), against x, the same evaluation untraced: everything
 * but the conditions and some informative amounts is the same; each amount y has is x's, in the
 * same form; y has x's first amount and every amount x counts in a category.
 */
static inline void fisc_test_same_summary(const fisc_result *x, const fisc_result *y, const char *json, int year,
                                          int quarter)
{
    assert_int_equal(fisc_result_item_count(x), fisc_result_item_count(y));
    assert_int_equal(fisc_result_provisional(x), fisc_result_provisional(y));
    for (size_t i = 0; i < fisc_result_item_count(x); i++) {
        const fisc_item *a = fisc_result_item(x, i), *b = fisc_result_item(y, i);

        if (strcmp(a->program, b->program) != 0 || a->outcome != b->outcome || a->provisional != b->provisional ||
            strcmp(a->choice, b->choice) != 0 || b->condition_count != 0 || b->step_count != 0 ||
            a->missing_count != b->missing_count || a->param_count != b->param_count)
            fail_msg("%s %d Q%d %s: the summary item differs", a->program, year, quarter, json);
        for (size_t k = 0; k < b->amount_count; k++) {
            const fisc_amount *u = fisc_test_amount_named(a, b->amounts[k].name);

            if (!u || u->category != b->amounts[k].category || !fisc_test_same_value(u->value, b->amounts[k].value))
                fail_msg("%s %d Q%d %s: summary amount %s differs", a->program, year, quarter, json,
                         b->amounts[k].name);
        }
        for (size_t k = 0; k < a->amount_count; k++)
            if ((k == 0 || a->amounts[k].category >= 0) && !fisc_test_amount_named(b, a->amounts[k].name))
                fail_msg("%s %d Q%d %s: the summary lacks amount %s", a->program, year, quarter, json,
                         a->amounts[k].name);
        for (size_t k = 0; k < a->missing_count; k++)
            assert_string_equal(a->missing[k], b->missing[k]);
        for (size_t k = 0; k < a->param_count; k++)
            assert_string_equal(a->params[k].id, b->params[k].id);
    }
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++)
        if (!fisc_test_same_value(fisc_result_total(x, k), fisc_result_total(y, k)))
            fail_msg("%d Q%d %s: total %d differs in the summary", year, quarter, json, k);
}

/*
 * Evaluate json both ways (the policy p) and compare: what the batch path computes untraced. Both
 * ways are also evaluated into a result reused from call to call, as the batch does, and must be
 * exactly what a new result holds. A summary (as fisc batch asks for), new and reused, must agree
 * with the untraced result (fisc_test_same_summary).
 */
static inline void fisc_test_same_untraced(const fisc_policy *p, const char *json, int year, int quarter)
{
    fisc_result *x = fisc_test_evaluate(p, json, year, quarter, 1), *y = fisc_test_evaluate(p, json, year, quarter, 0);
    fisc_result *z = fisc_test_evaluate(p, json, year, quarter, FISC_TEST_SUMMARY);

    fisc_test_same_summary(y, z, json, year, quarter);
    fisc_test_evaluate_reused_at(p, json, year, quarter, FISC_TEST_SUMMARY, __FILE__, __LINE__);
    fisc_test_same_result(z, fisc_test_reused, json, year, quarter);
    fisc_result_free(z);
    fisc_test_same_but_texts(x, y, json, year, quarter);
    fisc_test_evaluate_reused_at(p, json, year, quarter, 0, __FILE__, __LINE__);
    fisc_test_same_result(y, fisc_test_reused, json, year, quarter);
    fisc_test_evaluate_reused_at(p, json, year, quarter, 1, __FILE__, __LINE__);
    fisc_test_same_result(x, fisc_test_reused, json, year, quarter);
    fisc_test_evaluate_reused_at(p, json, year, quarter, 0, __FILE__, __LINE__);
    fisc_test_same_result(y, fisc_test_reused, json, year, quarter);
    fisc_result_free(x);
    fisc_result_free(y);
}

#endif
