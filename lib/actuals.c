/*
 * Actuals: an enterprise's metrics by year, the dates of its project's events, and each year's
 * facts for the general programs (docs/agreement-format.md, "Actuals"), read from JSON or set one
 * by one.
 *
 * JSON is read with libfyaml in JSON mode, which keeps every scalar's exact text: a number such as
 * 123456789012345678901.25 reaches fisc_decimal_parse_n() as written, never through a double. A
 * metric not given (or null) is unknown, not zero. Each year's "facts" object is read by
 * fisc_facts_from_json() on its own bytes of the document, and the position of an error there is
 * moved back to the whole document, so it names the file, line and column like every other.
 * Duplicate keys are found here (libfyaml's own check is quadratic): every object of the format
 * has keys from a small known set. Keys starting with "_" are comments, as in facts.
 */
#include <errno.h>
#include <libfyaml.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "json_read.h"
#include "suggest.h"

#define MAX_INPUT ((size_t)16 * 1024 * 1024)
#define NYEARS (FISCP_AG_MAX_YEAR - FISCP_AG_MIN_YEAR + 1)
#define QUOTE 48

/* ------------------------------------------------------------------ the structure */

fisc_status fisc_actuals_new(fisc_actuals **out, fisc_error *err)
{
    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_new: NULL argument");
    if (!(*out = fiscp_calloc(1, sizeof(**out))))
        return fiscp_error_nomem(err);
    return FISC_OK;
}

void fisc_actuals_free(fisc_actuals *a)
{
    if (!a)
        return;
    for (size_t y = 0; y < a->years_alloc; y++) {
        for (int m = 0; m < AGM_COUNT; m++)
            fisc_decimal_clear(&a->metric[y][m]);
        fisc_facts_free(a->facts[y]);
    }
    fiscp_free(a->metric);
    fiscp_free(a->metric_set);
    fiscp_free(a->facts);
    fiscp_free(a->agreement);
    fiscp_free(a);
}

/* Make the rows span year (new rows empty; rows move, values keep their memory). */
static fisc_status ensure_year(fisc_actuals *a, int year, fisc_error *err)
{
    int first = a->years_alloc && a->first_year < year ? a->first_year : year;
    int last = a->years_alloc && a->last_year > year ? a->last_year : year;
    size_t n = (size_t)(last - first + 1), at = a->years_alloc ? (size_t)(a->first_year - first) : 0;
    fisc_decimal (*metric)[AGM_COUNT];
    unsigned char (*set)[AGM_COUNT];
    fisc_facts **facts;

    if (a->years_alloc && first == a->first_year && last == a->last_year)
        return FISC_OK;
    metric = fiscp_calloc(n, sizeof(*metric));
    set = fiscp_calloc(n, sizeof(*set));
    facts = fiscp_calloc(n, sizeof(*facts));
    if (!metric || !set || !facts) {
        fiscp_free(metric);
        fiscp_free(set);
        fiscp_free(facts);
        return fiscp_error_nomem(err);
    }
    if (a->years_alloc) {
        memcpy(metric + at, a->metric, a->years_alloc * sizeof(*metric));
        memcpy(set + at, a->metric_set, a->years_alloc * sizeof(*set));
        memcpy(facts + at, a->facts, a->years_alloc * sizeof(*facts));
    }
    fiscp_free(a->metric);
    fiscp_free(a->metric_set);
    fiscp_free(a->facts);
    a->metric = metric;
    a->metric_set = set;
    a->facts = facts;
    a->years_alloc = n;
    a->first_year = first;
    a->last_year = last;
    return FISC_OK;
}

static int year_row(const fisc_actuals *a, int year)
{
    return a && a->years_alloc && year >= a->first_year && year <= a->last_year ? year - a->first_year : -1;
}

const fisc_decimal *fiscp_actuals_metric(const fisc_actuals *a, int year, int metric)
{
    int row = year_row(a, year);

    return row >= 0 && metric >= 0 && metric < AGM_COUNT && a->metric_set[row][metric] ? &a->metric[row][metric]
                                                                                        : NULL;
}

const fisc_facts *fiscp_actuals_facts(const fisc_actuals *a, int year)
{
    int row = year_row(a, year);

    return row >= 0 ? a->facts[row] : NULL;
}

/* Store v (moved) as metric m of year. */
static fisc_status store(fisc_actuals *a, int year, int m, fisc_decimal *v, fisc_error *err)
{
    fisc_status rc = ensure_year(a, year, err);
    int row;

    if (rc != FISC_OK)
        return rc;
    row = year - a->first_year;
    fisc_decimal_clear(&a->metric[row][m]);
    a->metric[row][m] = *v;
    fisc_decimal_init(v);
    a->metric_set[row][m] = 1;
    return FISC_OK;
}

/* ------------------------------------------------------------------ values */

/* Where a value is, for messages. */
typedef struct where {
    fisc_error *err;
    const char *source;
    int line, column;
    const char *field;    /* "years.2024.output" */
} where;

static fisc_status fail(const where *w, fisc_status code, const char *fmt, ...) FISCP_PRINTF(3, 4);

static fisc_status fail(const where *w, fisc_status code, const char *fmt, ...)
{
    char text[FISC_ERROR_TEXT_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (w->field)
        return fiscp_error_set_pos(w->err, code, w->source, w->line, w->column, "%s: %s", w->field, text);
    return fiscp_error_set_pos(w->err, code, w->source, w->line, w->column, "%s", text);
}

/*
 * A metric's value from len bytes of text (a JSON number's or a string's): a plain decimal, at
 * least 0, a whole number for a count. number: the text is a bare JSON number (no exponent).
 */
static fisc_status parse_value(fisc_decimal *out, int m, const char *text, size_t len, int number, const where *w)
{
    fisc_error perr = FISC_ERROR_INIT;
    char q[QUOTE];
    fisc_status rc;

    fiscp_quote(q, sizeof(q), text, len);
    if (number && (memchr(text, 'e', len) || memchr(text, 'E', len)))
        return fail(w, FISC_EINVAL, "%s has an exponent: write the number without one", q);
    rc = fisc_decimal_parse_n(out, text, len, FISC_PARSE_PLAIN, &perr);
    if (rc == FISC_ENOMEM)
        return fiscp_error_nomem(w->err);
    if (rc != FISC_OK)
        return fail(w, FISC_EINVAL, "\"%s\" is not a decimal number: %s", q, perr.text);
    if (fisc_decimal_sign(out) < 0)
        return fail(w, FISC_EINVAL, "%s is negative: a figure is at least 0", q);
    if (fiscp_ag_metrics[m].count && !fisc_decimal_is_integer(out))
        return fail(w, FISC_EINVAL, "%s is not a whole number (%s is a count)", q, fiscp_ag_metrics[m].name);
    return FISC_OK;
}

static fisc_status check_year(int year, const where *w)
{
    if (year < FISCP_AG_MIN_YEAR || year > FISCP_AG_MAX_YEAR)
        return fail(w, FISC_EINVAL, "the year %d is not from %d to %d", year, FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR);
    return FISC_OK;
}

static fisc_status parse_date(fiscp_date *out, const char *text, size_t len, const where *w)
{
    char q[QUOTE];

    if (!fiscp_date_parse(out, text, len) || *out / 10000 < FISCP_AG_MIN_YEAR || *out / 10000 > FISCP_AG_MAX_YEAR) {
        fiscp_quote(q, sizeof(q), text, len);
        return fail(w, FISC_EINVAL, "\"%s\" is not a date YYYY-MM-DD from %d to %d", q, FISCP_AG_MIN_YEAR,
                    FISCP_AG_MAX_YEAR);
    }
    return FISC_OK;
}

/* A metric's index, or FISC_EINVAL with a suggestion. */
static fisc_status find_metric(int *m, const char *text, size_t len, const where *w)
{
    char q[QUOTE];
    const char *near;

    for (*m = 0; *m < AGM_COUNT; (*m)++)
        if (strlen(fiscp_ag_metrics[*m].name) == len && memcmp(fiscp_ag_metrics[*m].name, text, len) == 0)
            return FISC_OK;
    fiscp_quote(q, sizeof(q), text, len);
    if ((near = fiscp_ag_metric_suggest(text, len)) != NULL)
        return fail(w, FISC_EINVAL, "unknown metric \"%s\"; did you mean \"%s\"?", q, near);
    return fail(w, FISC_EINVAL, "unknown metric \"%s\" (see docs/agreement-format.md, \"Metrics and events\")", q);
}

static fisc_status find_event(int *e, const char *text, size_t len, const where *w)
{
    char q[QUOTE];
    const char *near;

    for (*e = 0; *e < AGE_COUNT; (*e)++)
        if (strlen(fiscp_ag_events[*e].name) == len && memcmp(fiscp_ag_events[*e].name, text, len) == 0)
            return FISC_OK;
    fiscp_quote(q, sizeof(q), text, len);
    if ((near = fiscp_ag_event_suggest(text, len)) != NULL)
        return fail(w, FISC_EINVAL, "unknown event \"%s\"; did you mean \"%s\"?", q, near);
    return fail(w, FISC_EINVAL, "unknown event \"%s\" (see docs/agreement-format.md, \"Metrics and events\")", q);
}

/* ------------------------------------------------------------------ setters */

fisc_status fisc_actuals_set_metric(fisc_actuals *a, int year, const char *metric, const char *value, fisc_error *err)
{
    where w = { err, NULL, -1, -1, metric };
    fisc_decimal v;
    fisc_status rc;
    int m;

    fiscp_error_reset(err);
    if (!a || !metric || !value)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_set_metric: NULL argument");
    if ((rc = check_year(year, &w)) != FISC_OK || (rc = find_metric(&m, metric, strlen(metric), &w)) != FISC_OK)
        return rc;
    fisc_decimal_init(&v);
    if ((rc = parse_value(&v, m, value, strlen(value), 0, &w)) == FISC_OK)
        rc = store(a, year, m, &v, err);
    fisc_decimal_clear(&v);
    return rc;
}

fisc_status fisc_actuals_set_event(fisc_actuals *a, const char *event, const char *date, fisc_error *err)
{
    where w = { err, NULL, -1, -1, event };
    fiscp_date d;
    fisc_status rc;
    int e;

    fiscp_error_reset(err);
    if (!a || !event || !date)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_set_event: NULL argument");
    if ((rc = find_event(&e, event, strlen(event), &w)) != FISC_OK ||
        (rc = parse_date(&d, date, strlen(date), &w)) != FISC_OK)
        return rc;
    a->event[e] = d;
    return FISC_OK;
}

fisc_status fisc_actuals_adopt_facts(fisc_actuals *a, int year, fisc_facts *facts, fisc_error *err)
{
    where w = { err, NULL, -1, -1, "facts" };
    fisc_status rc;
    int row;

    fiscp_error_reset(err);
    if (!a || !facts)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_adopt_facts: NULL argument");
    if ((rc = check_year(year, &w)) != FISC_OK || (rc = ensure_year(a, year, err)) != FISC_OK)
        return rc;
    row = year - a->first_year;
    if (a->facts[row] != facts)
        fisc_facts_free(a->facts[row]);
    a->facts[row] = facts;
    return FISC_OK;
}

/* ------------------------------------------------------------------ JSON */

typedef struct reader {
    fisc_actuals *a;
    const char *json;   /* what libfyaml reads: no BOM, line ends as LF */
    size_t len;
    const char *source;
    fisc_error *err;
    char field[96];
} reader;

/* A context for a message about node n (a scalar: its own position; else its key's). */
static where at(reader *r, struct fy_node *n, struct fy_node *key, const char *fmt, ...) FISCP_PRINTF(4, 5);

static where at(reader *r, struct fy_node *n, struct fy_node *key, const char *fmt, ...)
{
    where w = { r->err, r->source, -1, -1, NULL };
    struct fy_node *pos = n && fy_node_is_scalar(n) ? n : key;
    va_list ap;

    fiscp_json_token_pos(r->json, r->len, pos ? fy_node_get_scalar_token(pos) : NULL, &w.line, &w.column);
    if (fmt) {
        va_start(ap, fmt);
        vsnprintf(r->field, sizeof(r->field), fmt, ap);
        va_end(ap);
        w.field = r->field;
    }
    return w;
}

typedef enum { J_STRING, J_NUMBER, J_TRUE, J_FALSE, J_NULL, J_OBJECT, J_ARRAY } jkind;

static jkind kind_of(struct fy_node *n, const char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    if (!n)
        return J_NULL;
    if (fy_node_is_mapping(n))
        return J_OBJECT;
    if (fy_node_is_sequence(n))
        return J_ARRAY;
    *text = fy_node_get_scalar(n, len);
    if (!*text)
        *len = 0;
    if (fy_node_get_style(n) != FYNS_PLAIN)
        return J_STRING;
    if (*len == 4 && memcmp(*text, "true", 4) == 0)
        return J_TRUE;
    if (*len == 5 && memcmp(*text, "false", 5) == 0)
        return J_FALSE;
    if (*len == 4 && memcmp(*text, "null", 4) == 0)
        return J_NULL;
    return J_NUMBER;
}

static const char *const KIND_NAMES[] = { "a string", "a number", "true", "false", "null", "an object", "an array" };

static int is_comment(const char *k, size_t len)
{
    return len > 0 && k[0] == '_';
}

static const char *key_text(struct fy_node *k, size_t *len)
{
    const char *s = k && fy_node_is_scalar(k) ? fy_node_get_scalar(k, len) : NULL;

    if (!s)
        *len = 0;
    return s ? s : "";
}

/* A key starting with "_": a comment. */
static int comment_key(struct fy_node *k)
{
    size_t len;
    const char *s = key_text(k, &len);

    return is_comment(s, len);
}

/* "2024" (four digits) into *year, checked. */
static fisc_status year_key(reader *r, struct fy_node *k, const char *what, int *year, unsigned char *seen)
{
    size_t len;
    const char *s = key_text(k, &len);
    where w = at(r, k, NULL, "%s", what);
    char q[QUOTE];

    *year = 0;
    for (size_t i = 0; len == 4 && i < 4 && s[i] >= '0' && s[i] <= '9'; i++)
        *year = *year * 10 + (s[i] - '0');
    if (len != 4 || *year < 1000) {
        fiscp_quote(q, sizeof(q), s, len);
        return fail(&w, FISC_EINVAL, "\"%s\" is not a year: the keys are years such as \"2024\"", q);
    }
    if (check_year(*year, &w) != FISC_OK)
        return FISC_EINVAL;
    if (seen[*year - FISCP_AG_MIN_YEAR]++)
        return fail(&w, FISC_EPARSE, "duplicate key \"%d\" (a key may appear only once in an object)", *year);
    return FISC_OK;
}

static fisc_status read_metric(reader *r, int year, struct fy_node *k, struct fy_node *v, unsigned *seen)
{
    size_t klen, len;
    const char *ks = key_text(k, &klen), *text;
    where w = at(r, k, NULL, "years.%d", year);
    fisc_decimal d;
    jkind kind;
    fisc_status rc;
    int m;

    if ((rc = find_metric(&m, ks, klen, &w)) != FISC_OK)
        return rc;
    w = at(r, k, NULL, "years.%d.%s", year, fiscp_ag_metrics[m].name);
    if (*seen & (1u << m))
        return fail(&w, FISC_EPARSE, "duplicate key (a key may appear only once in an object)");
    *seen |= 1u << m;
    kind = kind_of(v, &text, &len);
    w = at(r, v, k, "years.%d.%s", year, fiscp_ag_metrics[m].name);
    if (kind == J_NULL)
        return FISC_OK;
    if (kind != J_NUMBER && kind != J_STRING)
        return fail(&w, FISC_EINVAL, "expected a number (such as 1234.56 or \"1234.56\"), got %s", KIND_NAMES[kind]);
    fisc_decimal_init(&d);
    if ((rc = parse_value(&d, m, text, len, kind == J_NUMBER, &w)) == FISC_OK)
        rc = store(r->a, year, m, &d, r->err);
    fisc_decimal_clear(&d);
    return rc;
}

static fisc_status read_years(reader *r, struct fy_node *key, struct fy_node *years)
{
    unsigned char seen[NYEARS] = { 0 };
    struct fy_node_pair *p, *q;
    void *it = NULL;
    fisc_status rc;

    if (!fy_node_is_mapping(years)) {
        where w = at(r, years, key, "years");
        const char *t;
        size_t l;

        return kind_of(years, &t, &l) == J_NULL ? FISC_OK
                                                : fail(&w, FISC_EINVAL, "expected an object {\"2024\": {...}, ...}");
    }
    while ((p = fy_node_mapping_iterate(years, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        void *it2 = NULL;
        unsigned mseen = 0;
        int year;

        if (comment_key(k))
            continue;
        if ((rc = year_key(r, k, "years", &year, seen)) != FISC_OK)
            return rc;
        if (!v || !fy_node_is_mapping(v)) {
            where w = at(r, v, k, "years.%d", year);
            const char *t;
            size_t l;
            jkind kind = kind_of(v, &t, &l);

            if (kind == J_NULL)
                continue;
            return fail(&w, FISC_EINVAL, "expected an object of metrics, got %s", KIND_NAMES[kind]);
        }
        while ((q = fy_node_mapping_iterate(v, &it2)) != NULL) {
            if (comment_key(fy_node_pair_key(q)))
                continue;
            if ((rc = read_metric(r, year, fy_node_pair_key(q), fy_node_pair_value(q), &mseen)) != FISC_OK)
                return rc;
        }
    }
    return FISC_OK;
}

static fisc_status read_events(reader *r, struct fy_node *key, struct fy_node *events)
{
    struct fy_node_pair *p;
    void *it = NULL;
    unsigned seen = 0;
    fisc_status rc;

    if (!fy_node_is_mapping(events)) {
        where w = at(r, events, key, "events");
        const char *t;
        size_t l;

        return kind_of(events, &t, &l) == J_NULL ? FISC_OK
                                                 : fail(&w, FISC_EINVAL,
                                                        "expected an object {\"event\": \"YYYY-MM-DD\"}");
    }
    while ((p = fy_node_mapping_iterate(events, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        size_t klen, len;
        const char *ks = key_text(k, &klen), *text;
        where w = at(r, k, NULL, "events");
        fiscp_date d;
        jkind kind;
        int e;

        if (is_comment(ks, klen))
            continue;
        if ((rc = find_event(&e, ks, klen, &w)) != FISC_OK)
            return rc;
        w = at(r, k, NULL, "events.%s", fiscp_ag_events[e].name);
        if (seen & (1u << e))
            return fail(&w, FISC_EPARSE, "duplicate key (a key may appear only once in an object)");
        seen |= 1u << e;
        kind = kind_of(v, &text, &len);
        w = at(r, v, k, "events.%s", fiscp_ag_events[e].name);
        if (kind == J_NULL)
            continue;
        if (kind != J_STRING)
            return fail(&w, FISC_EINVAL, "expected a date \"YYYY-MM-DD\", got %s", KIND_NAMES[kind]);
        if ((rc = parse_date(&d, text, len, &w)) != FISC_OK)
            return rc;
        r->a->event[e] = d;
    }
    return FISC_OK;
}

/*
 * The bytes of the object that is the value of key k: from the '{' after the key to its matching
 * '}', with the 1-based line and column of the '{'. The document is valid JSON (libfyaml read it),
 * so counting braces outside strings finds the end.
 */
static int object_span(const reader *r, struct fy_node *k, size_t *start, size_t *end, int *line, int *col)
{
    struct fy_token *t = fy_node_get_scalar_token(k);
    const struct fy_mark *m = t ? fy_token_end_mark(t) : NULL;
    size_t i;
    int depth = 0, in_string = 0;

    if (!m || m->input_pos > r->len)
        return 0;
    *line = m->line + 1;
    *col = m->column + 1;
    for (i = m->input_pos; i < r->len && r->json[i] != '{'; i++) {
        if (r->json[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
    if (i == r->len)
        return 0;
    *start = i;
    for (; i < r->len; i++) {
        char c = r->json[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            *end = i + 1;
            return 1;
        }
    }
    return 0;
}

/* Year's facts from the object after key k, errors placed in the whole document. */
static fisc_status read_year_facts(reader *r, int year, struct fy_node *k)
{
    fisc_error ferr = FISC_ERROR_INIT;
    fisc_facts *f = NULL;
    size_t start = 0, end = 0;
    int line = -1, col = -1;
    where w = at(r, k, NULL, "facts.%d", year);
    fisc_status rc;

    if (!object_span(r, k, &start, &end, &line, &col))
        return fail(&w, FISC_EPARSE, "the facts object could not be located");
    rc = fisc_facts_from_json(&f, r->json + start, end - start, r->source, &ferr);
    if (rc == FISC_ENOMEM)
        return fiscp_error_nomem(r->err);
    if (rc != FISC_OK) {
        w.line = ferr.line > 0 ? line + ferr.line - 1 : line;
        w.column = ferr.line == 1 ? col + ferr.column - 1 : ferr.line > 1 ? ferr.column : col;
        return fail(&w, rc, "%s", ferr.text);
    }
    if ((rc = fisc_actuals_adopt_facts(r->a, year, f, r->err)) != FISC_OK)
        fisc_facts_free(f);
    return rc;
}

static fisc_status read_facts(reader *r, struct fy_node *key, struct fy_node *facts)
{
    unsigned char seen[NYEARS] = { 0 };
    struct fy_node_pair *p;
    void *it = NULL;
    fisc_status rc;

    if (!fy_node_is_mapping(facts)) {
        where w = at(r, facts, key, "facts");
        const char *t;
        size_t l;

        return kind_of(facts, &t, &l) == J_NULL ? FISC_OK
                                                : fail(&w, FISC_EINVAL, "expected an object {\"2024\": {facts}, ...}");
    }
    while ((p = fy_node_mapping_iterate(facts, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *t;
        size_t l;
        jkind kind;
        int year;

        if (comment_key(k))
            continue;
        if ((rc = year_key(r, k, "facts", &year, seen)) != FISC_OK)
            return rc;
        kind = kind_of(v, &t, &l);
        if (kind == J_NULL)
            continue;
        if (kind != J_OBJECT) {
            where w = at(r, v, k, "facts.%d", year);

            return fail(&w, FISC_EINVAL, "expected a facts object (docs/facts.md), got %s", KIND_NAMES[kind]);
        }
        if ((rc = read_year_facts(r, year, k)) != FISC_OK)
            return rc;
    }
    return FISC_OK;
}

static fisc_status read_version(reader *r, struct fy_node *k, struct fy_node *v)
{
    const char *text;
    size_t len;
    jkind kind = kind_of(v, &text, &len);
    where w = at(r, v, k, "fisc_actuals");

    if ((kind != J_NUMBER && kind != J_STRING) || len != 1 || text[0] != '1')
        return fail(&w, FISC_EINVAL, "the format version must be 1");
    return FISC_OK;
}

static fisc_status read_agreement_id(reader *r, struct fy_node *k, struct fy_node *v)
{
    const char *text;
    size_t len;
    jkind kind = kind_of(v, &text, &len);
    where w = at(r, v, k, "agreement");

    if (kind != J_STRING || len == 0)
        return fail(&w, FISC_EINVAL, "expected the agreement's id, a non-empty string");
    fiscp_free(r->a->agreement);
    if (!(r->a->agreement = fiscp_strndup(text, len)))
        return fiscp_error_nomem(r->err);
    return FISC_OK;
}

static const char *const TOP_KEYS[] = { "fisc_actuals", "agreement", "years", "events", "facts" };

static fisc_status read_member(reader *r, int which, struct fy_node *k, struct fy_node *v)
{
    switch (which) {
    case 0:
        return read_version(r, k, v);
    case 1:
        return read_agreement_id(r, k, v);
    case 2:
        return read_years(r, k, v);
    case 3:
        return read_events(r, k, v);
    default:
        return read_facts(r, k, v);
    }
}

static int top_index(const char *s, size_t len)
{
    for (int i = 0; i < (int)FISCP_ARRAY_SIZE(TOP_KEYS); i++)
        if (strlen(TOP_KEYS[i]) == len && memcmp(TOP_KEYS[i], s, len) == 0)
            return i;
    return -1;
}

static fisc_status read_root(struct fy_node *root, void *payload)
{
    reader *r = payload;
    struct fy_node_pair *p;
    void *it = NULL;
    unsigned seen = 0;
    fisc_status rc;

    if (!root || !fy_node_is_mapping(root)) {
        where w = { r->err, r->source, 1, 1, NULL };

        return fail(&w, FISC_EINVAL, "actuals are a JSON object {\"fisc_actuals\": 1, \"years\": {...}, ...}");
    }
    while ((p = fy_node_mapping_iterate(root, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p);
        size_t len;
        const char *s = key_text(k, &len);
        int i = top_index(s, len);
        where w = at(r, k, NULL, NULL);
        char q[QUOTE];

        if (is_comment(s, len))
            continue;
        fiscp_quote(q, sizeof(q), s, len);
        if (i < 0) {
            const char *near = fiscp_closest(s, len, TOP_KEYS, FISCP_ARRAY_SIZE(TOP_KEYS));

            return fail(&w, FISC_EINVAL, "unknown member \"%s\"%s%s%s", q, near ? "; did you mean \"" : "",
                        near ? near : "", near ? "\"?" : "");
        }
        if (seen & (1u << i))
            return fail(&w, FISC_EPARSE, "duplicate key \"%s\" (a key may appear only once in an object)", q);
        seen |= 1u << i;
        if ((rc = read_member(r, i, k, fy_node_pair_value(p))) != FISC_OK)
            return rc;
    }
    if (!(seen & 1u)) {
        where w = { r->err, r->source, 1, 1, NULL };

        return fail(&w, FISC_EINVAL, "\"fisc_actuals\": 1 is missing");
    }
    return FISC_OK;
}

static fisc_status parse_failure(const struct fy_diag_error *first, int trailing, void *payload)
{
    const reader *r = payload;
    where w = { r->err, r->source, -1, -1, NULL };

    if (first && first->line > 0) {
        w.line = first->line;
        w.column = first->column;
    }
    if (trailing)
        return fail(&w, FISC_EPARSE, "invalid JSON: text after the end of the top-level value");
    return fail(&w, FISC_EPARSE, "invalid JSON: %s", first && first->msg ? first->msg : "the text could not be parsed");
}

/* The text as libfyaml should read it: no BOM, CRLF and CR as LF (libfyaml 0.7.12 miscounts CRLF lines). */
static fisc_status normalise(const char **json, size_t *len, char **copy, fisc_error *err)
{
    *copy = NULL;
    if (*len >= 3 && memcmp(*json, "\xEF\xBB\xBF", 3) == 0) {
        *json += 3;
        *len -= 3;
    }
    if (memchr(*json, '\r', *len)) {
        size_t k = 0;

        if (!(*copy = fiscp_malloc(*len)))
            return fiscp_error_nomem(err);
        for (size_t i = 0; i < *len; i++) {
            if ((*json)[i] != '\r')
                (*copy)[k++] = (*json)[i];
            else if (i + 1 == *len || (*json)[i + 1] != '\n')
                (*copy)[k++] = '\n';
        }
        *json = *copy;
        *len = k;
    }
    return FISC_OK;
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n')
            return 0;
    return 1;
}

fisc_status fisc_actuals_load_string(fisc_actuals **out, const char *name, const char *json, size_t len,
                                     fisc_error *err)
{
    reader r;
    char *copy = NULL;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !json)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_load_string: NULL argument");
    *out = NULL;
    memset(&r, 0, sizeof(r));
    r.source = name ? name : "actuals";
    r.err = err;
    if (len > MAX_INPUT)
        return fiscp_error_set_pos(err, FISC_ERANGE, r.source, -1, -1,
                                   "the actuals are %zu bytes; at most %zu are read",
                                   len, MAX_INPUT);
    if ((rc = normalise(&json, &len, &copy, err)) != FISC_OK)
        return rc;
    r.json = json;
    r.len = len;
    if (blank(json, len)) {
        fiscp_free(copy);
        return fiscp_error_set_pos(err, FISC_EPARSE, r.source, 1, 1, "the actuals are empty: expected a JSON object "
                                   "{\"fisc_actuals\": 1, ...}");
    }
    if ((rc = fisc_actuals_new(&r.a, err)) == FISC_OK)
        rc = fiscp_json_parse(r.json, r.len, r.err, read_root, parse_failure, &r);
    fiscp_free(copy);
    if (rc != FISC_OK) {
        fisc_actuals_free(r.a);
        return rc;
    }
    *out = r.a;
    return FISC_OK;
}

fisc_status fisc_actuals_load(fisc_actuals **out, const char *path, fisc_error *err)
{
    FILE *f;
    char *buf;
    size_t n;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !path)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_actuals_load: NULL argument");
    *out = NULL;
    if (!(f = fopen(path, "rb")))
        return fiscp_error_set_pos(err, FISC_ENOTFOUND, path, -1, -1, "cannot open %s: %s", path, strerror(errno));
    if (!(buf = fiscp_malloc(MAX_INPUT + 1))) {
        fclose(f);
        return fiscp_error_nomem(err);
    }
    n = fread(buf, 1, MAX_INPUT + 1, f);
    if (ferror(f) || n > MAX_INPUT) {
        rc = ferror(f) ? fiscp_error_set_pos(err, FISC_ENOTFOUND, path, -1, -1, "cannot read %s", path)
                       : fiscp_error_set_pos(err, FISC_ERANGE, path, -1, -1, "%s is larger than %zu bytes", path,
                                             MAX_INPUT);
    } else {
        rc = fisc_actuals_load_string(out, path, buf, n, err);
    }
    fclose(f);
    fiscp_free(buf);
    return rc;
}
