/*
 * Facts: typed values held in an array indexed by the vocabulary (enum fiscp_fact), read from
 * JSON or set one by one through the API.
 *
 * JSON is read with libfyaml in JSON mode, which keeps every scalar's exact text, so a bare
 * number such as 12345678901234567.89 reaches fisc_decimal_parse_n() as written and never
 * passes through a double (conventions.md §10). libfyaml's diagnostics are collected, never
 * printed, and the first one becomes the fisc_error. libfyaml allocates with malloc(), so the
 * OOM test hook reaches only fisc's own allocations.
 *
 * Positions are 1-based; the column counts characters (a tab is one). A string value is located
 * at its opening quote, a bad character inside a number at that character, and an object or
 * array value (which libfyaml 0.7 gives no position) at its key. Syntax errors are where
 * libfyaml puts them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "decimal.h"
#include "facts.h"
#include "json_read.h"
#include "suggest.h"

#define MAX_INPUT ((size_t)16 * 1024 * 1024)
#define KEY_QUOTE 48         /* bytes of an unknown key quoted in a message */
#define VALUE_QUOTE 48       /* bytes of a value quoted in a message */
#define FIELD_SIZE 96

/* One fact. For QUARTERS, `set` says that at least one of the eight values is known. */
typedef struct slot {
    unsigned char set;
    unsigned char qset[4][2];   /* QUARTERS: [quarter - 1][0 = start, 1 = end] known */
    int64_t i;                  /* BOOL 0/1, DATE YYYYMMDD, ENUM index */
    char *text;                 /* TEXT, owned */
    fisc_decimal dec;           /* DECIMAL and INTEGER */
    fisc_decimal q[4][2];       /* QUARTERS */
} slot;

struct fisc_facts {
    const fiscp_vocab *vocab;
    size_t n;
    slot s[];
};

/* ---------------------------------------------------------------- errors */

/* Where a value came from, for messages. */
typedef struct ectx {
    fisc_error *err;
    const char *source;  /* file or source name, or NULL */
    int line, column;    /* 1-based, or -1 */
    const char *field;   /* "taxable_income", "employees.Q2.end", or NULL */
    int text_column;     /* column of the value's first character if verbatim in the input, or 0 */
} ectx;

static fisc_status fail(const ectx *c, fisc_status code, const char *fmt, ...) FISCP_PRINTF(3, 4);

static fisc_status fail(const ectx *c, fisc_status code, const char *fmt, ...)
{
    char msg[FISC_ERROR_TEXT_SIZE];
    va_list ap;

    if (!c->err || c->err->code != FISC_OK)
        return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->field)
        return fiscp_error_set_pos(c->err, code, c->source, c->line, c->column, "field \"%s\": %s",
                                   c->field, msg);
    return fiscp_error_set_pos(c->err, code, c->source, c->line, c->column, "%s", msg);
}

/* ---------------------------------------------------------------- vocabulary */

size_t fisc_fact_vocab_count(void)
{
    return FACT_COUNT;
}

const fisc_fact_info *fisc_fact_vocab_at(size_t i)
{
    return i < FACT_COUNT ? &fiscp_vocab_table[i].info : NULL;
}

const fisc_fact_info *fisc_fact_vocab_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < FACT_COUNT; i++)
        if (strcmp(fiscp_vocab_table[i].info.name, name) == 0)
            return &fiscp_vocab_table[i].info;
    return NULL;
}

long fisc_fact_vocab_index(const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < FACT_COUNT; i++)
        if (strcmp(fiscp_vocab_table[i].info.name, name) == 0)
            return (long)i;
    return -1;
}

/* Index of the entry named by len bytes of text (which may hold a NUL), or -1. */
static long find_n(const fisc_facts *f, const char *text, size_t len)
{
    for (size_t i = 0; i < f->n; i++) {
        const char *name = f->vocab[i].info.name;

        if (strlen(name) == len && memcmp(name, text, len) == 0)
            return (long)i;
    }
    return -1;
}

/*
 * The closest vocabulary name within FISCP_SUGGEST_DISTANCE edits, and fewer edits than the key
 * has characters (so that "x" suggests nothing), or NULL. Ties go to the first in the table.
 */
static const char *suggest(const fisc_facts *f, const char *text, size_t len)
{
    const char *best = NULL;
    size_t best_d = FISCP_SUGGEST_DISTANCE + 1;

    for (size_t i = 0; i < f->n; i++) {
        size_t d = fiscp_edit_distance(text, len, f->vocab[i].info.name);

        if (d < best_d && d < len) {
            best_d = d;
            best = f->vocab[i].info.name;
        }
    }
    return best;
}

static fisc_status unknown_fact(const ectx *c, const fisc_facts *f, const char *text, size_t len)
{
    char key[KEY_QUOTE];
    const char *s = suggest(f, text, len);
    ectx k = *c;

    fiscp_quote(key, sizeof(key), text, len);
    k.field = key;
    if (s)
        return fail(&k, FISC_EINVAL, "unknown fact; did you mean \"%s\"?", s);
    return fail(&k, FISC_EINVAL,
                "unknown fact (not in the vocabulary; keys starting with \"_\" are comments)");
}

/* Look a name up for the API: the index, or -1 with FISC_EINVAL set. */
static long api_lookup(const fisc_facts *f, const char *name, fisc_error *err)
{
    ectx c = { err, NULL, -1, -1, NULL, 0 };
    long i;

    if (!f || !name) {
        fiscp_error_set(err, FISC_EINVAL, "fisc_facts: NULL argument");
        return -1;
    }
    i = find_n(f, name, strlen(name));
    if (i < 0)
        unknown_fact(&c, f, name, strlen(name));
    return i;
}

/* ---------------------------------------------------------------- dates */

static const char *const MONTHS[12] = { "January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December" };

static int days_in_month(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

typedef enum date_why { DATE_OK, DATE_FORM, DATE_YEAR, DATE_MONTH, DATE_DAY } date_why;

static date_why date_check(fiscp_date *out, const char *t, size_t len, int *y_out, int *m_out)
{
    int y, m, d;

    if (len != 10 || t[4] != '-' || t[7] != '-')
        return DATE_FORM;
    for (size_t k = 0; k < 10; k++)
        if (k != 4 && k != 7 && (t[k] < '0' || t[k] > '9'))
            return DATE_FORM;
    y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    m = (t[5] - '0') * 10 + (t[6] - '0');
    d = (t[8] - '0') * 10 + (t[9] - '0');
    *y_out = y;
    *m_out = m;
    if (y < 1900 || y > 2199)
        return DATE_YEAR;
    if (m < 1 || m > 12)
        return DATE_MONTH;
    if (d < 1 || d > days_in_month(y, m))
        return DATE_DAY;
    *out = (fiscp_date)(y * 10000 + m * 100 + d);
    return DATE_OK;
}

int fiscp_date_parse(fiscp_date *out, const char *text, size_t len)
{
    fiscp_date d;
    int y, m;

    if (!out || !text || date_check(&d, text, len, &y, &m) != DATE_OK)
        return 0;
    *out = d;
    return 1;
}

void fiscp_date_format(char *buf, fiscp_date d)
{
    int v[3] = { (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100) };
    int w[3] = { 4, 2, 2 };
    size_t n = 0;

    for (int k = 0; k < 3; k++) {
        int x = v[k] < 0 ? 0 : v[k];

        if (k > 0)
            buf[n++] = '-';
        for (int j = w[k] - 1; j >= 0; j--) {
            buf[n + (size_t)j] = (char)('0' + x % 10);
            x /= 10;
        }
        n += (size_t)w[k];
    }
    buf[n] = '\0';
}

/* ---------------------------------------------------------------- values */

/* A value to convert, as JSON gave it or as text from the API. */
typedef enum vkind { V_API, V_STRING, V_NUMBER, V_TRUE, V_FALSE, V_NULL, V_OBJECT, V_ARRAY } vkind;

typedef struct value {
    vkind kind;
    const char *text;  /* V_API, V_STRING, V_NUMBER */
    size_t len;
} value;

/* A converted value, before it is stored. */
typedef struct conv {
    fisc_decimal dec;
    int64_t i;
    char *text;
} conv;

static const char *expected(const fiscp_vocab *v)
{
    switch ((fisc_fact_type)v->info.type) {
    case FISC_FACT_DECIMAL:
        return "a number (such as 1234.56 or \"1234.56\")";
    case FISC_FACT_INTEGER:
        return "a whole number";
    case FISC_FACT_BOOL:
        return "true or false";
    case FISC_FACT_DATE:
        return "a date \"YYYY-MM-DD\"";
    case FISC_FACT_ENUM:
        return "a string";
    case FISC_FACT_TEXT:
        return "a string";
    case FISC_FACT_QUARTERS:
        return "an object {\"Q1\": {\"start\": N, \"end\": N}, ...}";
    }
    return "a value";
}

/* "a string (\"x\")", "the number 12", "true", "an object" ... */
static void describe(char *buf, size_t size, const value *val)
{
    char q[VALUE_QUOTE];

    switch (val->kind) {
    case V_API:
    case V_STRING:
        fiscp_quote(q, sizeof(q), val->text, val->len);
        snprintf(buf, size, "the string \"%s\"", q);
        return;
    case V_NUMBER:
        fiscp_quote(q, sizeof(q), val->text, val->len);
        snprintf(buf, size, "the number %s", q);
        return;
    case V_TRUE:
        snprintf(buf, size, "true");
        return;
    case V_FALSE:
        snprintf(buf, size, "false");
        return;
    case V_NULL:
        snprintf(buf, size, "null");
        return;
    case V_OBJECT:
        snprintf(buf, size, "an object");
        return;
    case V_ARRAY:
        snprintf(buf, size, "an array");
        return;
    }
    snprintf(buf, size, "a value");
}

static fisc_status wrong_type(const ectx *c, const char *want, const value *val)
{
    char got[VALUE_QUOTE + 16];

    describe(got, sizeof(got), val);
    return fail(c, FISC_EINVAL, "expected %s, got %s", want, got);
}

static fisc_status range_check(const ectx *c, const fiscp_vocab *v, const fisc_decimal *d, const value *val)
{
    const char *bound[2] = { v->min, v->max };

    for (int k = 0; k < 2; k++) {
        fisc_decimal b;
        int cmp;

        if (!bound[k])
            continue;
        if (strcmp(bound[k], "0") == 0) { /* the usual bound: no parse (batch rows check every cell) */
            cmp = fisc_decimal_sign(d);
        } else {
            fisc_decimal_init(&b);
            if (fisc_decimal_parse(&b, bound[k], FISC_PARSE_RATE, NULL) != FISC_OK) {
                fisc_decimal_clear(&b);
                return fail(c, FISC_EINVAL, "the vocabulary bound \"%s\" is not a number", bound[k]);
            }
            cmp = fisc_decimal_cmp(d, &b);
            fisc_decimal_clear(&b);
        }
        if (k == 0 ? cmp < 0 : cmp > 0) {
            char q[VALUE_QUOTE];

            fiscp_quote(q, sizeof(q), val->text, val->len);
            return fail(c, FISC_EINVAL, "%s is %s the %s %s%s%s", q, k == 0 ? "below" : "above",
                        k == 0 ? "minimum" : "maximum", bound[k], *v->info.unit ? " " : "", v->info.unit);
        }
    }
    return FISC_OK;
}

/*
 * A number into out (initialised): a bare JSON number (plain grammar, no exponent), or a string
 * or API text parsed with str_flags. With whole set the value must be an integer.
 */
static fisc_status read_number(fisc_decimal *out, const fiscp_vocab *v, const value *val, unsigned str_flags,
                               int whole, const ectx *c)
{
    fisc_error derr; /* reset by the parser: not zeroed here (every cell of a batch comes through) */
    unsigned flags = str_flags;
    fisc_status rc;
    char q[VALUE_QUOTE];

    switch (val->kind) {
    case V_NUMBER:
        if (memchr(val->text, 'e', val->len) || memchr(val->text, 'E', val->len)) {
            fiscp_quote(q, sizeof(q), val->text, val->len);
            return fail(c, FISC_EINVAL, "%s has an exponent: write the number without an exponent", q);
        }
        flags = FISC_PARSE_PLAIN;
        break;
    case V_API:
    case V_STRING:
        break;
    case V_TRUE:
    case V_FALSE:
    case V_NULL:
    case V_OBJECT:
    case V_ARRAY:
        return wrong_type(c, whole ? "a whole number" : "a number (such as 1234.56 or \"1234.56\")", val);
    }
    rc = fisc_decimal_parse_n(out, val->text, val->len, flags, &derr);
    if (rc == FISC_ENOMEM)
        return fiscp_error_nomem(c->err);
    if (rc != FISC_OK) {
        char *col = strstr(derr.text, " (column ");
        ectx at = *c;

        /* locate the bad character in the input rather than in the number */
        if (c->text_column > 0 && derr.column > 0 && col) {
            at.column = c->text_column + derr.column - 1;
            *col = '\0';
        }
        return fail(&at, FISC_EINVAL, "%s", derr.text);
    }
    if (whole && !fisc_decimal_is_integer(out)) {
        fiscp_quote(q, sizeof(q), val->text, val->len);
        return fail(c, FISC_EINVAL, "%s is not a whole number", q);
    }
    return range_check(c, v, out, val);
}

static fisc_status read_date(conv *out, const value *val, const ectx *c)
{
    fiscp_date d = 0;
    int y = 0, m = 0;
    char q[VALUE_QUOTE];

    if (val->kind != V_STRING && val->kind != V_API)
        return wrong_type(c, "a date string \"YYYY-MM-DD\"", val);
    fiscp_quote(q, sizeof(q), val->text, val->len);
    switch (date_check(&d, val->text, val->len, &y, &m)) {
    case DATE_OK:
        out->i = d;
        return FISC_OK;
    case DATE_FORM:
        return fail(c, FISC_EINVAL, "expected a date \"YYYY-MM-DD\", got \"%s\"", q);
    case DATE_YEAR:
        return fail(c, FISC_EINVAL, "\"%s\": the year must be from 1900 to 2199", q);
    case DATE_MONTH:
        return fail(c, FISC_EINVAL, "\"%s\" is not a date: there is no month %d", q, m);
    case DATE_DAY:
        return fail(c, FISC_EINVAL, "\"%s\" is not a date: %s %d has %d days", q, MONTHS[m - 1], y,
                    days_in_month(y, m));
    }
    return fail(c, FISC_EINVAL, "\"%s\" is not a date", q);
}

static fisc_status read_bool(conv *out, const value *val, const ectx *c)
{
    switch (val->kind) {
    case V_TRUE:
        out->i = 1;
        return FISC_OK;
    case V_FALSE:
        out->i = 0;
        return FISC_OK;
    case V_API:
        if (val->len == 4 && memcmp(val->text, "true", 4) == 0) {
            out->i = 1;
            return FISC_OK;
        }
        if (val->len == 5 && memcmp(val->text, "false", 5) == 0) {
            out->i = 0;
            return FISC_OK;
        }
        return wrong_type(c, "\"true\" or \"false\"", val);
    case V_STRING:
        if ((val->len == 4 && memcmp(val->text, "true", 4) == 0) ||
            (val->len == 5 && memcmp(val->text, "false", 5) == 0))
            return fail(c, FISC_EINVAL, "expected true or false without quotes, got the string \"%.*s\"",
                        (int)val->len, val->text);
        return wrong_type(c, "true or false", val);
    case V_NUMBER:
    case V_NULL:
    case V_OBJECT:
    case V_ARRAY:
        break;
    }
    return wrong_type(c, "true or false", val);
}


/* The allowed value ('|'-separated list) closest to val, into out; 0 when none is close. */
static int closest_value(char *out, size_t size, const char *values, const value *val)
{
    size_t best = (size_t)-1;
    const char *p = values;

    while (*p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        char name[FISCP_SUGGEST_MAX_NAME + 1];
        size_t d;

        if (len < sizeof(name)) {
            memcpy(name, p, len);
            name[len] = '\0';
            d = fiscp_edit_distance(val->text, val->len, name);
            if (d < best && d < val->len && len < size) {
                best = d;
                memcpy(out, name, len + 1);
            }
        }
        p = bar ? bar + 1 : p + len;
    }
    return best != (size_t)-1;
}
static fisc_status read_enum(conv *out, const fiscp_vocab *v, const value *val, const ectx *c)
{
    const char *p = v->info.values;
    char q[VALUE_QUOTE], list[128], near_buf[FISCP_SUGGEST_MAX_NAME + 1];
    size_t n = 0;
    int near;

    if (val->kind != V_STRING && val->kind != V_API)
        return wrong_type(c, "a string", val);
    for (int64_t idx = 0; p && *p; idx++) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);

        if (len == val->len && memcmp(p, val->text, len) == 0) {
            out->i = idx;
            return FISC_OK;
        }
        p = bar ? bar + 1 : p + len;
    }
    fiscp_quote(q, sizeof(q), val->text, val->len);
    near = closest_value(near_buf, sizeof(near_buf), v->info.values, val);
    /* the allowed values, '|' shown as ", "; a list too long for a message ends with "..." */
    for (p = v->info.values; *p && n + 4 < sizeof(list); p++) {
        if (*p == '|') {
            list[n++] = ',';
            list[n++] = ' ';
        } else {
            list[n++] = *p;
        }
    }
    list[n] = '\0';
    if (*p && near) /* the list does not fit: the suggestion says more */
        return fail(c, FISC_EINVAL, "\"%s\" is not one of its values: did you mean \"%s\"?", q, near_buf);
    if (*p)
        memcpy(list + n - 3, "...", 3);
    return fail(c, FISC_EINVAL, "\"%s\" is not one of: %s%s%s%s", q, list, near ? " (did you mean \"" : "",
                near ? near_buf : "", near ? "\"?)" : "");
}

static fisc_status read_text(conv *out, const fiscp_vocab *v, const value *val, const ectx *c)
{
    if (val->kind != V_STRING && val->kind != V_API)
        return wrong_type(c, "a string", val);
    if (memchr(val->text, '\0', val->len))
        return fail(c, FISC_EINVAL, "the text contains a NUL character (\\u0000)");
    if (v == &fiscp_vocab_table[FACT_USCC]) {
        fisc_uscc u;
        fisc_error uerr = FISC_ERROR_INIT;
        char *tmp = fiscp_strndup(val->text, val->len);
        fisc_status rc;

        if (!tmp)
            return fiscp_error_nomem(c->err);
        rc = fisc_uscc_check(&u, tmp, &uerr);
        fiscp_free(tmp);
        if (rc != FISC_OK)
            return fail(c, rc, "%s", uerr.text);
        out->text = fiscp_strndup(u.code, strlen(u.code));
    } else {
        out->text = fiscp_strndup(val->text, val->len);
    }
    return out->text ? FISC_OK : fiscp_error_nomem(c->err);
}

/* Convert a value of any type but QUARTERS. */
static fisc_status convert(conv *out, const fiscp_vocab *v, const value *val, const ectx *c)
{
    switch ((fisc_fact_type)v->info.type) {
    case FISC_FACT_DECIMAL:
        return read_number(&out->dec, v, val, FISC_PARSE_RATE, 0, c);
    case FISC_FACT_INTEGER:
        return read_number(&out->dec, v, val, FISC_PARSE_PLAIN, 1, c);
    case FISC_FACT_BOOL:
        return read_bool(out, val, c);
    case FISC_FACT_DATE:
        return read_date(out, val, c);
    case FISC_FACT_ENUM:
        return read_enum(out, v, val, c);
    case FISC_FACT_TEXT:
        return read_text(out, v, val, c);
    case FISC_FACT_QUARTERS:
        break;
    }
    return fail(c, FISC_EINVAL, "the vocabulary entry has type %d, which cannot be read here", v->info.type);
}

/* Store a converted value (moved, so this cannot fail). */
static void commit(fisc_facts *f, size_t idx, conv *cv)
{
    slot *s = &f->s[idx];

    switch ((fisc_fact_type)f->vocab[idx].info.type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        fiscp_decimal_swap(&s->dec, &cv->dec);
        break;
    case FISC_FACT_BOOL:
    case FISC_FACT_DATE:
    case FISC_FACT_ENUM:
        s->i = cv->i;
        break;
    case FISC_FACT_TEXT:
        fiscp_free(s->text);
        s->text = cv->text;
        cv->text = NULL;
        break;
    case FISC_FACT_QUARTERS:
        return;
    }
    s->set = 1;
}

static void slot_clear(slot *s)
{
    fiscp_free(s->text);
    s->text = NULL;
    fisc_decimal_clear(&s->dec);
    fisc_decimal_init(&s->dec);
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++) {
            if (!s->qset[q][e])
                continue; /* never set since the last clear: still initialised and zero */
            fisc_decimal_clear(&s->q[q][e]);
            fisc_decimal_init(&s->q[q][e]);
            s->qset[q][e] = 0;
        }
    s->i = 0;
    s->set = 0;
}

/* Convert and store one value of a non-QUARTERS fact. */
static fisc_status set_value(fisc_facts *f, size_t idx, const value *val, const ectx *c)
{
    conv cv;
    fisc_status rc;

    fisc_decimal_init(&cv.dec);
    cv.i = 0;
    cv.text = NULL;
    rc = convert(&cv, &f->vocab[idx], val, c);
    if (rc == FISC_OK)
        commit(f, idx, &cv);
    fisc_decimal_clear(&cv.dec);
    fiscp_free(cv.text);
    return rc;
}

/* ---------------------------------------------------------------- quarters */

/* Eight values being read, stored only when all are good. */
typedef struct qtmp {
    fisc_decimal q[4][2];
    unsigned char set[4][2];
} qtmp;

static const char *const ENDS[2] = { "start", "end" };

static void qtmp_init(qtmp *t)
{
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++) {
            fisc_decimal_init(&t->q[q][e]);
            t->set[q][e] = 0;
        }
}

static void qtmp_clear(qtmp *t)
{
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++)
            fisc_decimal_clear(&t->q[q][e]);
}

/* Replace quarters q0..q1 (0-based, inclusive) of the fact by t's values. */
static void qcommit(fisc_facts *f, size_t idx, qtmp *t, int q0, int q1)
{
    slot *s = &f->s[idx];

    for (int q = q0; q <= q1; q++)
        for (int e = 0; e < 2; e++) {
            fiscp_decimal_swap(&s->q[q][e], &t->q[q][e]);
            s->qset[q][e] = t->set[q][e];
        }
    s->set = 0;
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++)
            s->set |= s->qset[q][e];
}

/* One quarter value: NULL or "?" (API) / null (JSON) leaves it unknown. */
static fisc_status read_qvalue(qtmp *t, int q, int e, const fiscp_vocab *v, const value *val, ectx *c)
{
    char field[FIELD_SIZE];
    fisc_status rc;

    if (val->kind == V_NULL)
        return FISC_OK;
    snprintf(field, sizeof(field), "%s.Q%d.%s", v->info.name, q + 1, ENDS[e]);
    c->field = field;
    rc = read_number(&t->q[q][e], v, val, FISC_PARSE_PLAIN, 0, c);
    c->field = NULL;
    if (rc == FISC_OK)
        t->set[q][e] = 1;
    return rc;
}

/* The text form "Q1=120/200;Q3=?/5" (fisc_facts_get's output), for fisc_facts_set. */
static fisc_status parse_quarters_text(qtmp *t, const fiscp_vocab *v, const char *text, ectx *c)
{
    size_t len = strlen(text), pos = 0;
    int seen[4] = { 0, 0, 0, 0 };
    char q[VALUE_QUOTE];

    if (len > 0 && text[len - 1] == ';')
        goto bad;
    while (pos < len) {
        const char *seg = text + pos, *semi = memchr(seg, ';', len - pos), *slash;
        size_t seg_len = semi ? (size_t)(semi - seg) : len - pos;
        int qi;

        if (seg_len < 6 || seg[0] != 'Q' || seg[1] < '1' || seg[1] > '4' || seg[2] != '=')
            goto bad;
        qi = seg[1] - '1';
        if (seen[qi]++)
            return fail(c, FISC_EINVAL, "quarter Q%d is given twice", qi + 1);
        slash = memchr(seg + 3, '/', seg_len - 3);
        if (!slash)
            goto bad;
        for (int e = 0; e < 2; e++) {
            const char *p = e == 0 ? seg + 3 : slash + 1;
            size_t n = e == 0 ? (size_t)(slash - p) : (size_t)(seg + seg_len - p);
            value val = { V_API, p, n };
            fisc_status rc;

            if (n == 1 && p[0] == '?')
                continue;
            if ((rc = read_qvalue(t, qi, e, v, &val, c)) != FISC_OK)
                return rc;
        }
        pos += seg_len + 1;
    }
    return FISC_OK;
bad:
    fiscp_quote(q, sizeof(q), text, len);
    return fail(c, FISC_EINVAL,
                "\"%s\" is not of the form \"Q1=START/END;Q2=START/END...\" (\"?\" for unknown)", q);
}

/* ---------------------------------------------------------------- handles */

fisc_status fiscp_facts_new_vocab(fisc_facts **out, const fiscp_vocab *table, size_t n, fisc_error *err)
{
    fisc_facts *f;

    if (!out || !table)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_new: NULL argument");
    *out = NULL;
    f = fiscp_calloc(1, sizeof(*f) + n * sizeof(slot));
    if (!f)
        return fiscp_error_nomem(err);
    f->vocab = table;
    f->n = n;
    for (size_t i = 0; i < n; i++) {
        fisc_decimal_init(&f->s[i].dec);
        for (int q = 0; q < 4; q++)
            for (int e = 0; e < 2; e++)
                fisc_decimal_init(&f->s[i].q[q][e]);
    }
    *out = f;
    return FISC_OK;
}

fisc_status fisc_facts_new(fisc_facts **out, fisc_error *err)
{
    fiscp_error_reset(err);
    return fiscp_facts_new_vocab(out, fiscp_vocab_table, FACT_COUNT, err);
}

void fisc_facts_free(fisc_facts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        slot *s = &f->s[i];

        fiscp_free(s->text);
        fisc_decimal_clear(&s->dec);
        for (int q = 0; q < 4; q++)
            for (int e = 0; e < 2; e++)
                fisc_decimal_clear(&s->q[q][e]);
    }
    fiscp_free(f);
}

/* ---------------------------------------------------------------- JSON */

typedef struct reader {
    fisc_facts *f;
    const char *json;  /* what libfyaml reads (after any BOM) */
    size_t len;
    const char *source;
    fisc_error *err;
} reader;

/* The position of a value: its own for a scalar, else that of its key. */
static void node_pos(const reader *r, struct fy_node *n, struct fy_node *key, int *line, int *col)
{
    struct fy_node *at = n && fy_node_get_type(n) == FYNT_SCALAR ? n : key;

    fiscp_json_token_pos(r->json, r->len, at ? fy_node_get_scalar_token(at) : NULL, line, col);
}

/*
 * The position of a value into c: as node_pos(), and for a scalar whose text stands verbatim in
 * the input (a number, or a string without escapes) the column of its first character, so that
 * a bad character inside it can be located exactly.
 */
static void value_pos(const reader *r, struct fy_node *n, struct fy_node *key, ectx *c)
{
    struct fy_token *t = n && fy_node_get_type(n) == FYNT_SCALAR ? fy_node_get_scalar_token(n) : NULL;
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    const char *text;
    size_t len = 0;

    node_pos(r, n, key, &c->line, &c->column);
    c->text_column = 0;
    if (!m || !(text = fy_node_get_scalar(n, &len)))
        return;
    if (m->input_pos <= r->len && len <= r->len - m->input_pos &&
        memcmp(r->json + m->input_pos, text, len) == 0)
        c->text_column = m->column + 1;
}

static fisc_status classify(value *out, struct fy_node *n, const reader *r)
{
    out->text = NULL;
    out->len = 0;
    if (!n) {
        out->kind = V_NULL;
        return FISC_OK;
    }
    switch (fy_node_get_type(n)) {
    case FYNT_MAPPING:
        out->kind = V_OBJECT;
        return FISC_OK;
    case FYNT_SEQUENCE:
        out->kind = V_ARRAY;
        return FISC_OK;
    case FYNT_SCALAR:
        break;
    }
    out->text = fy_node_get_scalar(n, &out->len);
    if (!out->text)
        return fiscp_error_nomem(r->err);
    if (fy_node_get_style(n) != FYNS_PLAIN)
        out->kind = V_STRING;
    else if (out->len == 4 && memcmp(out->text, "true", 4) == 0)
        out->kind = V_TRUE;
    else if (out->len == 5 && memcmp(out->text, "false", 5) == 0)
        out->kind = V_FALSE;
    else if (out->len == 4 && memcmp(out->text, "null", 4) == 0)
        out->kind = V_NULL;
    else
        out->kind = V_NUMBER;
    return FISC_OK;
}

/* A key's text; FISC_EPARSE if the key is not a string (JSON mode should not let one through). */
static fisc_status key_text(const reader *r, struct fy_node *k, struct fy_node *in, const char **text,
                            size_t *len)
{
    ectx c = { r->err, r->source, -1, -1, NULL, 0 };

    if (!k || fy_node_get_type(k) != FYNT_SCALAR) {
        node_pos(r, in, NULL, &c.line, &c.column);
        return fail(&c, FISC_EPARSE, "invalid JSON: an object key must be a string");
    }
    *text = fy_node_get_scalar(k, len);
    return *text ? FISC_OK : fiscp_error_nomem(r->err);
}

/* A key of an object, for the duplicate check. */
typedef struct keyref {
    const char *text;
    size_t len;
    size_t pos;            /* byte offset in the input */
    struct fy_token *token;
} keyref;

static int keyref_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    int c;

    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if ((c = memcmp(a->text, b->text, a->len)) != 0)
        return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/*
 * FISC_EPARSE at the first key, in input order, that repeats an earlier key of object map.
 * Sorting makes this O(n log n) where libfyaml's own check is quadratic.
 */
static fisc_status check_unique(const reader *r, struct fy_node *map)
{
    ectx c = { r->err, r->source, -1, -1, NULL, 0 };
    keyref local[32], *keys = local;
    int count = fy_node_mapping_item_count(map);
    size_t n = 0, dup = (size_t)-1;
    struct fy_node_pair *p;
    void *it = NULL;
    fisc_status rc = FISC_OK;

    if (count < 2)
        return FISC_OK;
    if ((size_t)count > FISCP_ARRAY_SIZE(local) && !(keys = fiscp_malloc((size_t)count * sizeof(*keys))))
        return fiscp_error_nomem(r->err);
    while (rc == FISC_OK && n < (size_t)count && (p = fy_node_mapping_iterate(map, &it))) {
        struct fy_node *k = fy_node_pair_key(p);
        struct fy_token *t = k && fy_node_get_type(k) == FYNT_SCALAR ? fy_node_get_scalar_token(k) : NULL;
        const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

        if ((rc = key_text(r, k, map, &keys[n].text, &keys[n].len)) != FISC_OK)
            break;
        keys[n].pos = m ? m->input_pos : 0;
        keys[n].token = t;
        n++;
    }
    if (rc == FISC_OK) {
        qsort(keys, n, sizeof(*keys), keyref_cmp);
        for (size_t i = 1; i < n; i++)
            if (keys[i].len == keys[i - 1].len && memcmp(keys[i].text, keys[i - 1].text, keys[i].len) == 0 &&
                (dup == (size_t)-1 || keys[i].pos < keys[dup].pos))
                dup = i;
        if (dup != (size_t)-1) {
            char key[KEY_QUOTE];

            fiscp_quote(key, sizeof(key), keys[dup].text, keys[dup].len);
            fiscp_json_token_pos(r->json, r->len, keys[dup].token, &c.line, &c.column);
            rc = fail(&c, FISC_EPARSE, "duplicate key \"%s\" (a key may appear only once in an object)", key);
        }
    }
    if (keys != local)
        fiscp_free(keys);
    return rc;
}

static int is_comment(const char *text, size_t len)
{
    return len > 0 && text[0] == '_';
}

static fisc_status read_quarters_json(reader *r, size_t idx, struct fy_node *key, struct fy_node *node)
{
    const fiscp_vocab *v = &r->f->vocab[idx];
    ectx c = { r->err, r->source, -1, -1, v->info.name, 0 };
    struct fy_node_pair *p;
    void *it = NULL;
    value val;
    qtmp t;
    fisc_status rc;

    if ((rc = classify(&val, node, r)) != FISC_OK)
        return rc;
    if (val.kind == V_NULL) {
        slot_clear(&r->f->s[idx]);
        return FISC_OK;
    }
    if (val.kind != V_OBJECT) {
        node_pos(r, node, key, &c.line, &c.column);
        return wrong_type(&c, expected(v), &val);
    }
    if ((rc = check_unique(r, node)) != FISC_OK)
        return rc;
    qtmp_init(&t);
    while (rc == FISC_OK && (p = fy_node_mapping_iterate(node, &it))) {
        struct fy_node *qk = fy_node_pair_key(p), *qv = fy_node_pair_value(p);
        struct fy_node_pair *mp;
        void *mit = NULL;
        const char *kt;
        size_t kl;
        value qval;
        char field[FIELD_SIZE], kq[KEY_QUOTE];
        int qi;

        if ((rc = key_text(r, qk, node, &kt, &kl)) != FISC_OK)
            break;
        if (is_comment(kt, kl))
            continue;
        if (kl != 2 || kt[0] != 'Q' || kt[1] < '1' || kt[1] > '4') {
            fiscp_quote(kq, sizeof(kq), kt, kl);
            snprintf(field, sizeof(field), "%s.%s", v->info.name, kq);
            c.field = field;
            node_pos(r, qk, NULL, &c.line, &c.column);
            rc = fail(&c, FISC_EINVAL, "unknown quarter; the keys are \"Q1\", \"Q2\", \"Q3\" and \"Q4\"");
            break;
        }
        qi = kt[1] - '1';
        if ((rc = classify(&qval, qv, r)) != FISC_OK)
            break;
        if (qval.kind == V_NULL)
            continue;
        if (qval.kind != V_OBJECT) {
            snprintf(field, sizeof(field), "%s.Q%d", v->info.name, qi + 1);
            c.field = field;
            node_pos(r, qv, qk, &c.line, &c.column);
            rc = wrong_type(&c, "an object {\"start\": N, \"end\": N}", &qval);
            break;
        }
        if ((rc = check_unique(r, qv)) != FISC_OK)
            break;
        while (rc == FISC_OK && (mp = fy_node_mapping_iterate(qv, &mit))) {
            struct fy_node *mk = fy_node_pair_key(mp), *mv = fy_node_pair_value(mp);
            const char *mt;
            size_t ml;
            value mval;
            int e;

            if ((rc = key_text(r, mk, qv, &mt, &ml)) != FISC_OK)
                break;
            if (is_comment(mt, ml))
                continue;
            if (ml == 5 && memcmp(mt, "start", 5) == 0) {
                e = 0;
            } else if (ml == 3 && memcmp(mt, "end", 3) == 0) {
                e = 1;
            } else {
                fiscp_quote(kq, sizeof(kq), mt, ml);
                snprintf(field, sizeof(field), "%s.Q%d.%s", v->info.name, qi + 1, kq);
                c.field = field;
                node_pos(r, mk, NULL, &c.line, &c.column);
                rc = fail(&c, FISC_EINVAL, "unknown member; the members are \"start\" and \"end\"");
                break;
            }
            if ((rc = classify(&mval, mv, r)) != FISC_OK)
                break;
            value_pos(r, mv, mk, &c);
            rc = read_qvalue(&t, qi, e, v, &mval, &c);
        }
    }
    if (rc == FISC_OK)
        qcommit(r->f, idx, &t, 0, 3);
    qtmp_clear(&t);
    return rc;
}

static fisc_status read_fact(reader *r, size_t idx, struct fy_node *key, struct fy_node *node)
{
    const fiscp_vocab *v = &r->f->vocab[idx];
    ectx c = { r->err, r->source, -1, -1, v->info.name, 0 };
    value val;
    fisc_status rc;

    if (v->info.type == FISC_FACT_QUARTERS)
        return read_quarters_json(r, idx, key, node);
    if ((rc = classify(&val, node, r)) != FISC_OK)
        return rc;
    if (val.kind == V_NULL) {
        slot_clear(&r->f->s[idx]);
        return FISC_OK;
    }
    value_pos(r, node, key, &c);
    if (val.kind == V_OBJECT || val.kind == V_ARRAY)
        return wrong_type(&c, expected(v), &val);
    return set_value(r->f, idx, &val, &c);
}

/* The offset of the first byte that is not JSON white space. */
static size_t skip_ws(const char *json, size_t len)
{
    size_t k = 0;

    while (k < len && (json[k] == ' ' || json[k] == '\t' || json[k] == '\r' || json[k] == '\n'))
        k++;
    return k;
}

/* The 1-based position of byte `at` of the input. */
static void byte_pos(const reader *r, size_t at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < at && i < r->len; i++) {
        unsigned char ch = (unsigned char)r->json[i];

        if (ch == '\n') {
            (*line)++;
            *col = 1;
        } else if ((ch & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static fisc_status read_root(struct fy_node *root, void *payload)
{
    reader *r = payload;
    ectx c = { r->err, r->source, -1, -1, NULL, 0 };
    struct fy_node_pair *p;
    void *it = NULL;
    fisc_status rc;
    value val;

    if ((rc = classify(&val, root, r)) != FISC_OK)
        return rc;
    if (val.kind != V_OBJECT) {
        char got[VALUE_QUOTE + 16];

        byte_pos(r, skip_ws(r->json, r->len), &c.line, &c.column);
        describe(got, sizeof(got), &val);
        return fail(&c, FISC_EINVAL, "the facts must be a JSON object {\"name\": value, ...}, got %s", got);
    }
    if ((rc = check_unique(r, root)) != FISC_OK)
        return rc;
    while ((p = fy_node_mapping_iterate(root, &it))) {
        struct fy_node *k = fy_node_pair_key(p);
        const char *kt;
        size_t kl;
        long idx;

        if ((rc = key_text(r, k, root, &kt, &kl)) != FISC_OK)
            return rc;
        if (is_comment(kt, kl))
            continue;
        idx = find_n(r->f, kt, kl);
        if (idx < 0) {
            node_pos(r, k, NULL, &c.line, &c.column);
            return unknown_fact(&c, r->f, kt, kl);
        }
        if ((rc = read_fact(r, (size_t)idx, k, fy_node_pair_value(p))) != FISC_OK)
            return rc;
    }
    return FISC_OK;
}

/* Turn libfyaml's first collected error into a fisc_error. */
static fisc_status parse_failure(const struct fy_diag_error *first, int trailing, void *payload)
{
    const reader *r = payload;
    ectx c = { r->err, r->source, -1, -1, NULL, 0 };

    if (!first)
        return fail(&c, FISC_EPARSE, "invalid JSON (the parser gave no reason)");
    if (first->line > 0 && first->column > 0) {
        c.line = first->line;
        c.column = first->column;
    }
    if (first->fyt) {
        const struct fy_mark *m = fy_token_start_mark(first->fyt);

        /* the error is at a token: locate it as every other position (a string at its quote) */
        if (m && m->line + 1 == c.line && m->column + 1 == c.column)
            fiscp_json_token_pos(r->json, r->len, first->fyt, &c.line, &c.column);
    }
    if (trailing)
        return fail(&c, FISC_EPARSE, "invalid JSON: text after the end of the top-level value");
    {
        int eline, ecol;

        byte_pos(r, r->len, &eline, &ecol);
        if (c.line > eline || (c.line == eline && c.column >= ecol)) {
            c.line = eline;
            c.column = ecol;
            return fail(&c, FISC_EPARSE,
                        "invalid JSON: the text ends before the top-level value is complete");
        }
    }
    if (!first->msg)
        return fail(&c, FISC_EPARSE, "invalid JSON");
    if (strcmp(first->msg, "Invalid JSON plain scalar") == 0)
        return fail(&c, FISC_EPARSE,
                    "invalid JSON: text without quotes must be a JSON number, true, false or null "
                    "(keys and strings need double quotes; numbers have no leading zeros or '+')");
    if (strncmp(first->msg, "Invalid JSON ", 13) == 0)
        return fail(&c, FISC_EPARSE, "invalid JSON: %s", first->msg + 13);
    return fail(&c, FISC_EPARSE, "invalid JSON: %s", first->msg);
}

fisc_status fiscp_facts_from_json_vocab(fisc_facts **out, const fiscp_vocab *table, size_t n,
                                        const char *json, size_t len, const char *source, fisc_error *err)
{
    ectx c = { err, source, -1, -1, NULL, 0 };
    char *copy = NULL;
    reader r;
    fisc_status rc;

    if (!out || !json)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_from_json: NULL argument");
    *out = NULL;
    if (len > MAX_INPUT)
        return fail(&c, FISC_ERANGE, "the facts are %zu bytes; at most 16 MiB (%zu bytes) are read", len,
                    MAX_INPUT);
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3;
        len -= 3;
    }
    r.f = NULL;
    r.json = json;
    r.len = len;
    r.source = source;
    r.err = err;
    if (skip_ws(json, len) == len) {
        c.line = 1;
        c.column = 1;
        return fail(&c, FISC_EPARSE, "the facts are empty: expected a JSON object {\"name\": value, ...}");
    }
    if (memchr(json, '\r', len)) {
        /*
         * libfyaml 0.7.12 counts some CRLF line ends twice. JSON allows CR only as white space
         * (inside a string it must be escaped), so CRLF and CR become LF without changing a value.
         */
        size_t k = 0;

        if (!(copy = fiscp_malloc(len)))
            return fiscp_error_nomem(err);
        for (size_t i = 0; i < len; i++) {
            if (json[i] != '\r')
                copy[k++] = json[i];
            else if (i + 1 == len || json[i + 1] != '\n')
                copy[k++] = '\n';
        }
        r.json = copy;
        r.len = k;
    }
    if ((rc = fiscp_facts_new_vocab(&r.f, table, n, err)) == FISC_OK)
        rc = fiscp_json_parse(r.json, r.len, r.err, read_root, parse_failure, &r);
    if (rc == FISC_OK)
        *out = r.f;
    else
        fisc_facts_free(r.f);
    fiscp_free(copy);
    return rc;
}

fisc_status fisc_facts_from_json(fisc_facts **out, const char *json, size_t len, const char *source,
                                 fisc_error *err)
{
    fiscp_error_reset(err);
    return fiscp_facts_from_json_vocab(out, fiscp_vocab_table, FACT_COUNT, json, len, source, err);
}

fisc_status fisc_facts_load_file(fisc_facts **out, const char *path, fisc_error *err)
{
    ectx c = { err, path, -1, -1, NULL, 0 };
    char *buf = NULL, why[128];
    size_t cap = 0, len = 0;
    FILE *fp;
    fisc_status rc;
    int e;

    fiscp_error_reset(err);
    if (!out || !path)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_load_file: NULL argument");
    *out = NULL;
    fp = fopen(path, "rb");
    if (!fp) {
        e = errno;
        if (strerror_r(e, why, sizeof(why)) != 0)
            snprintf(why, sizeof(why), "error %d", e);
        return fail(&c, FISC_ENOTFOUND, "cannot open \"%s\": %s", path, why);
    }
    for (;;) {
        size_t got;

        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *nbuf;

            if (cap > MAX_INPUT)
                break;
            if (ncap > MAX_INPUT + 1)
                ncap = MAX_INPUT + 1;
            nbuf = fiscp_realloc_array(buf, ncap, 1);
            if (!nbuf) {
                rc = fiscp_error_nomem(err);
                goto out;
            }
            buf = nbuf;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        e = errno;
        if (strerror_r(e, why, sizeof(why)) != 0)
            snprintf(why, sizeof(why), "error %d", e);
        rc = fail(&c, FISC_ENOTFOUND, "cannot read \"%s\": %s", path, why);
        goto out;
    }
    if (len > MAX_INPUT) {
        rc = fail(&c, FISC_ERANGE, "\"%s\" is larger than 16 MiB (%zu bytes), the most that is read", path,
                  MAX_INPUT);
        goto out;
    }
    rc = fiscp_facts_from_json_vocab(out, fiscp_vocab_table, FACT_COUNT, buf ? buf : "", len, path, err);
out:
    fclose(fp);
    fiscp_free(buf);
    return rc;
}

/* ---------------------------------------------------------------- API */

/* Set fact idx from len bytes of text (terminated: text[len] is its NUL, so no copy is needed). */
static fisc_status set_text(fisc_facts *f, size_t idx, const char *text, size_t len, int terminated, ectx *c)
{
    const fiscp_vocab *v = &f->vocab[idx];

    if (v->info.type == FISC_FACT_QUARTERS) { /* parsed from its text form */
        char *copy = terminated ? NULL : fiscp_strndup(text, len);
        fisc_status rc;
        qtmp t;

        if (!terminated && !copy)
            return fiscp_error_nomem(c->err);
        qtmp_init(&t);
        rc = parse_quarters_text(&t, v, terminated ? text : copy, c);
        if (rc == FISC_OK)
            qcommit(f, idx, &t, 0, 3);
        qtmp_clear(&t);
        fiscp_free(copy);
        return rc;
    }
    {
        value val = { V_API, text, len };

        return set_value(f, idx, &val, c);
    }
}

fisc_status fisc_facts_set(fisc_facts *f, const char *name, const char *value_text, fisc_error *err)
{
    ectx c = { err, NULL, -1, -1, NULL, 0 };
    long idx;

    fiscp_error_reset(err);
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    c.field = f->vocab[idx].info.name;
    if (!value_text)
        return fail(&c, FISC_EINVAL, "the value is NULL (fisc_facts_unset() forgets a fact)");
    return set_text(f, (size_t)idx, value_text, strlen(value_text), 1, &c);
}

fisc_status fisc_facts_set_quarter(fisc_facts *f, const char *name, int quarter, const char *start,
                                   const char *end, fisc_error *err)
{
    ectx c = { err, NULL, -1, -1, NULL, 0 };
    const char *text[2] = { start, end };
    const fiscp_vocab *v;
    long idx;
    qtmp t;
    fisc_status rc = FISC_OK;

    fiscp_error_reset(err);
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    v = &f->vocab[idx];
    c.field = v->info.name;
    if (v->info.type != FISC_FACT_QUARTERS)
        return fail(&c, FISC_EINVAL, "not a per-quarter fact (use fisc_facts_set())");
    if (quarter < 1 || quarter > 4)
        return fail(&c, FISC_EINVAL, "quarter %d is not 1, 2, 3 or 4", quarter);
    qtmp_init(&t);
    for (int e = 0; e < 2 && rc == FISC_OK; e++) {
        if (text[e]) {
            value val = { V_API, text[e], strlen(text[e]) };

            rc = read_qvalue(&t, quarter - 1, e, v, &val, &c);
        }
    }
    if (rc == FISC_OK)
        qcommit(f, (size_t)idx, &t, quarter - 1, quarter - 1);
    qtmp_clear(&t);
    return rc;
}

fisc_status fisc_facts_set_index(fisc_facts *f, size_t index, const char *value_text, size_t len,
                                 fisc_error *err)
{
    ectx c = { err, NULL, -1, -1, NULL, 0 };

    fiscp_error_reset(err);
    if (!f || index >= f->n)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_index: no fact at index %zu", index);
    if (!value_text)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_index: the value is NULL");
    c.field = f->vocab[index].info.name;
    return set_text(f, index, value_text, len, 0, &c);
}

void fisc_facts_clear(fisc_facts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (f->s[i].set)
            slot_clear(&f->s[i]);
}

fisc_status fisc_facts_unset(fisc_facts *f, const char *name, fisc_error *err)
{
    long idx;

    fiscp_error_reset(err);
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    slot_clear(&f->s[idx]);
    return FISC_OK;
}

int fisc_facts_has(const fisc_facts *f, const char *name)
{
    long idx;

    if (!f || !name)
        return 0;
    idx = find_n(f, name, strlen(name));
    return idx >= 0 && f->s[idx].set;
}

static fisc_status dup_out(char **out, const char *text, size_t len, fisc_error *err)
{
    *out = fiscp_strndup(text, len);
    return *out ? FISC_OK : fiscp_error_nomem(err);
}

static fisc_status get_quarters(char **out, const slot *s, fisc_error *err)
{
    char *part[4][2] = { { NULL, NULL }, { NULL, NULL }, { NULL, NULL }, { NULL, NULL } };
    size_t total = 1, n = 0;
    fisc_status rc = FISC_OK;
    char *buf = NULL;

    for (int q = 0; q < 4 && rc == FISC_OK; q++)
        for (int e = 0; e < 2 && rc == FISC_OK; e++) {
            if (!s->qset[q][0] && !s->qset[q][1])
                continue;
            total += 5; /* "Qn=" ";" or "/" */
            if (!s->qset[q][e]) {
                total += 1;
                continue;
            }
            rc = fisc_decimal_to_string(&part[q][e], &s->q[q][e], NULL, NULL, err);
            if (rc == FISC_OK)
                total += strlen(part[q][e]);
        }
    if (rc == FISC_OK && !(buf = fiscp_malloc(total)))
        rc = fiscp_error_nomem(err);
    if (rc == FISC_OK) {
        for (int q = 0; q < 4; q++) {
            if (!s->qset[q][0] && !s->qset[q][1])
                continue;
            n += (size_t)snprintf(buf + n, total - n, "%sQ%d=%s/%s", n ? ";" : "", q + 1,
                                  part[q][0] ? part[q][0] : "?", part[q][1] ? part[q][1] : "?");
        }
        *out = buf;
    }
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++)
            fisc_string_free(part[q][e]);
    return rc;
}

fisc_status fisc_facts_get(char **out, const fisc_facts *f, const char *name, fisc_error *err)
{
    ectx c = { err, NULL, -1, -1, NULL, 0 };
    const fiscp_vocab *v;
    const slot *s;
    long idx;

    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_get: out is NULL");
    *out = NULL;
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    v = &f->vocab[idx];
    s = &f->s[idx];
    c.field = v->info.name;
    if (!s->set)
        return fail(&c, FISC_ENOTFOUND, "the fact is not set (unknown)");
    switch ((fisc_fact_type)v->info.type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        return fisc_decimal_to_string(out, &s->dec, NULL, NULL, err);
    case FISC_FACT_BOOL:
        return s->i ? dup_out(out, "true", 4, err) : dup_out(out, "false", 5, err);
    case FISC_FACT_DATE: {
        char buf[16];

        fiscp_date_format(buf, (fiscp_date)s->i);
        return dup_out(out, buf, strlen(buf), err);
    }
    case FISC_FACT_ENUM: {
        const char *p = v->info.values;

        for (int64_t k = 0; k < s->i && p; k++) {
            p = strchr(p, '|');
            p = p ? p + 1 : NULL;
        }
        if (!p)
            break;
        return dup_out(out, p, strcspn(p, "|"), err);
    }
    case FISC_FACT_TEXT:
        return dup_out(out, s->text, strlen(s->text), err);
    case FISC_FACT_QUARTERS:
        return get_quarters(out, s, err);
    }
    return fail(&c, FISC_EINVAL, "the fact's type cannot be shown");
}

/* ---------------------------------------------------------------- accessors for programs */

static const slot *typed(const fisc_facts *f, fiscp_fact id, int type)
{
    if (!f || (size_t)id >= f->n || f->vocab[id].info.type != type || !f->s[id].set)
        return NULL;
    return &f->s[id];
}

const fisc_decimal *fiscp_fact_decimal(const fisc_facts *f, fiscp_fact id)
{
    const slot *s = typed(f, id, FISC_FACT_DECIMAL);

    if (!s)
        s = typed(f, id, FISC_FACT_INTEGER);
    return s ? &s->dec : NULL;
}

int fiscp_fact_bool(const fisc_facts *f, fiscp_fact id, int *out)
{
    const slot *s = typed(f, id, FISC_FACT_BOOL);

    if (!s)
        return 0;
    if (out)
        *out = s->i != 0;
    return 1;
}

int fiscp_fact_date(const fisc_facts *f, fiscp_fact id, fiscp_date *out)
{
    const slot *s = typed(f, id, FISC_FACT_DATE);

    if (!s)
        return 0;
    if (out)
        *out = (fiscp_date)s->i;
    return 1;
}

int fiscp_fact_enum(const fisc_facts *f, fiscp_fact id, int *index_out)
{
    const slot *s = typed(f, id, FISC_FACT_ENUM);

    if (!s)
        return 0;
    if (index_out)
        *index_out = (int)s->i;
    return 1;
}

const char *fiscp_fact_text(const fisc_facts *f, fiscp_fact id)
{
    const slot *s = typed(f, id, FISC_FACT_TEXT);

    return s ? s->text : NULL;
}

const fisc_decimal *fiscp_fact_quarter(const fisc_facts *f, fiscp_fact id, int q, int end)
{
    const slot *s = typed(f, id, FISC_FACT_QUARTERS);

    if (!s || q < 1 || q > 4 || end < 0 || end > 1 || !s->qset[q - 1][end])
        return NULL;
    return &s->q[q - 1][end];
}
