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
 *
 * A batch sets ~20 facts per row into one set and clears it for the next row, so that path is
 * lean: a slot keeps its memory (decimal, text buffer, quarters) across clears, which fact is
 * known is one byte per fact in an array of its own, so that a clear is one memset, and the vocabulary
 * bounds are parsed once (the built-in table's on first use, shared by every thread), also in a
 * 64-bit form. fisc_facts_set_index() and fisc_facts_set_row() (a row's cells in one call: the checks
 * and the error reset once a row) first try a quick path for the cells of a batch: an amount
 * "I.FF" or an integer, read straight into the slot as a 64-bit coefficient and checked against
 * those 64-bit bounds; true / false; a date; a text that fits the slot's buffer. It only ever
 * accepts: any other text, and every error, goes to the general path, which is the specification
 * and writes the messages.
 */
#include <errno.h>
#include <threads.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>
#if defined(__SSE2__) && defined(__x86_64__)
# include <emmintrin.h>
#endif

#include "decimal.h"
#include "facts.h"
#include "json_read.h"
#include "suggest.h"

#if defined(__GNUC__)
# define NOINLINE __attribute__((noinline))
#else
# define NOINLINE
#endif

#define MAX_INPUT ((size_t)16 * 1024 * 1024)
#define KEY_QUOTE 48         /* bytes of an unknown key quoted in a message */
#define VALUE_QUOTE 48       /* bytes of a value quoted in a message */
#define FIELD_SIZE 96

#define KNOWN(type) FISCP_KNOWN(type)
/* slot.type of a vocabulary entry whose type is none of fisc_fact_type (refused when set). */
#define TYPE_OTHER 0xFF

/* The layout (facts.h, for the inline readers) under its short names here. */
typedef fiscp_quarters quarters;
typedef fiscp_slot slot;
typedef fiscp_bound bound;

/* bound.kind */
typedef enum bkind {
    B_NONE,   /* no bound */
    B_ZERO,   /* zero: a sign test */
    B_VALUE,  /* value */
    B_TEXT    /* not parsed (not a number, or no memory): read again where it is used */
} bkind;

/* A fact's bounds in short (slot.range): most facts have none, or only the minimum 0. */
enum { R_NONE, R_NONNEG, R_BOUNDS };

/*
 * What fisc_facts_set_index()'s quick path reads into a slot (slot.quick): Q_AMOUNT a decimal with
 * no bound but the minimum 0 (most amounts: read inline), Q_NUMBER another decimal, Q_WHOLE an
 * integer (both with bounds in the 64-bit form); Q_NONE: only the general path.
 */
enum { Q_AMOUNT, Q_NUMBER, Q_WHOLE, Q_BOOL, Q_DATE, Q_TEXT, Q_NONE };

/* ---------------------------------------------------------------- errors */

/* Where a value came from, for messages. */
typedef struct ectx {
    fisc_error *err;
    const char *source;  /* file or source name, or NULL */
    int line, column;    /* 1-based, or -1 */
    const char *field;   /* "taxable_income", "employees.Q2", or NULL */
    int text_column;     /* column of the value's first character if verbatim in the input, or 0 */
    int quarter, end;    /* 1..4 and 0 = start, 1 = end: the field is "<field>.Q<quarter>.<end>" */
} ectx;

#define ECTX(err, source, field) { (err), (source), -1, -1, (field), 0, 0, 0 }

static const char *const ENDS[2] = { "start", "end" };

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
    if (c->field && c->quarter) { /* named here, not for every value read */
        char field[FIELD_SIZE];

        snprintf(field, sizeof(field), "%s.Q%d.%s", c->field, c->quarter, ENDS[c->end]);
        return fiscp_error_set_pos(c->err, code, c->source, c->line, c->column, "field \"%s\": %s",
                                   field, msg);
    }
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
    if (len == 0) /* no name is empty */
        return -1;
    for (size_t i = 0; i < f->n; i++) {
        const char *name = f->vocab[i].info.name;

        if (name[0] == text[0] && strlen(name) == len && memcmp(name, text, len) == 0)
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
    ectx c = ECTX(err, NULL, NULL);
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

/* ---------------------------------------------------------------- bounds */

/* One bound's text (NULL: none) into b (its value initialised). */
static void bound_parse(bound *b, const char *text)
{
    fisc_decimal_init(&b->value);
    b->small = 0;
    b->coef = 0;
    b->scale = 0;
    if (!text) {
        b->kind = B_NONE;
        b->small = 1;
    } else if (fisc_decimal_parse(&b->value, text, FISC_PARSE_RATE, NULL) != FISC_OK) {
        b->kind = B_TEXT; /* reported (or parsed, after an out-of-memory) where it is used */
    } else {
        b->kind = fisc_decimal_sign(&b->value) == 0 ? B_ZERO : B_VALUE;
        b->small = fiscp_decimal_small64(&b->coef, &b->scale, &b->value) && b->scale >= 0 && b->scale <= 18;
    }
}

static void bounds_parse(bound (*b)[2], const fiscp_vocab *table, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bound_parse(&b[i][0], table[i].min);
        bound_parse(&b[i][1], table[i].max);
    }
}

static void bounds_clear(bound (*b)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fisc_decimal_clear(&b[i][0].value);
        fisc_decimal_clear(&b[i][1].value);
    }
}

/*
 * The built-in vocabulary's bounds, parsed by the first set made and then only read (by every
 * thread): C11 call_once, so a thread arriving meanwhile waits without spinning. They live as
 * long as the process, like the table.
 */
static bound builtin_bounds[FACT_COUNT][2];
static once_flag builtin_once = ONCE_FLAG_INIT;

static void build_builtin(void)
{
    bounds_parse(builtin_bounds, fiscp_vocab_table, FACT_COUNT);
}

static const bound (*builtin(void))[2]
{
    call_once(&builtin_once, build_builtin);
    return (const bound (*)[2])builtin_bounds;
}

/* d compared with bound b (B_ZERO or B_VALUE). */
static int bound_cmp(const fisc_decimal *d, const bound *b)
{
    return b->kind == B_ZERO ? fisc_decimal_sign(d) : fisc_decimal_cmp(d, &b->value);
}

/* The range rule of bounds b. */
static unsigned char range_of(const bound *b)
{
    if (b[1].kind == B_NONE && (b[0].kind == B_NONE || b[0].kind == B_ZERO))
        return b[0].kind == B_NONE ? R_NONE : R_NONNEG;
    return R_BOUNDS;
}

/* The quick path of a slot of type type (TYPE_OTHER included), vocabulary entry v, bounds b. */
static unsigned char quick_of(const fiscp_vocab *v, unsigned char type, const bound *b)
{
    switch (type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        if (!b[0].small || !b[1].small) /* a bound only the general path compares */
            return Q_NONE;
        if (type == FISC_FACT_INTEGER)
            return Q_WHOLE;
        return range_of(b) == R_BOUNDS ? Q_NUMBER : Q_AMOUNT;
    case FISC_FACT_BOOL:
        return Q_BOOL;
    case FISC_FACT_DATE:
        return Q_DATE;
    case FISC_FACT_TEXT: /* the uscc is checked and normalised */
        return v == &fiscp_vocab_table[FACT_USCC] ? Q_NONE : Q_TEXT;
    default:
        return Q_NONE;
    }
}

/*
 * 1 when d, read from text, lies within bounds b[0] (min) and b[1] (max) (range: range_of(b));
 * 0 when it does not, or when a bound is B_TEXT: range_check() says which and why.
 */
static inline int within(unsigned char range, const bound *b, const fisc_decimal *d, const char *text)
{
    if (FISCP_LIKELY(range == R_NONE))
        return 1;
    if (range == R_NONNEG) /* in the number grammar only a leading '-' makes a value negative */
        return text[0] != '-' || fisc_decimal_sign(d) >= 0;
    if (b[0].kind == B_TEXT || b[1].kind == B_TEXT)
        return 0;
    return (b[0].kind == B_NONE || bound_cmp(d, &b[0]) >= 0) &&
           (b[1].kind == B_NONE || bound_cmp(d, &b[1]) <= 0);
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

/* d against bounds b of vocabulary entry v: FISC_OK, or the error that names the bound passed. */
static fisc_status range_check(const ectx *c, const fiscp_vocab *v, const bound *b, const fisc_decimal *d,
                               const value *val)
{
    const char *text[2] = { v->min, v->max };

    for (int k = 0; k < 2; k++) {
        int cmp;

        if (b[k].kind == B_NONE)
            continue;
        if (b[k].kind == B_TEXT) {
            fisc_decimal x;

            fisc_decimal_init(&x);
            if (fisc_decimal_parse(&x, text[k], FISC_PARSE_RATE, NULL) != FISC_OK) {
                fisc_decimal_clear(&x);
                return fail(c, FISC_EINVAL, "the vocabulary bound \"%s\" is not a number", text[k]);
            }
            cmp = fisc_decimal_cmp(d, &x);
            fisc_decimal_clear(&x);
        } else {
            cmp = bound_cmp(d, &b[k]);
        }
        if (k == 0 ? cmp < 0 : cmp > 0) {
            char q[VALUE_QUOTE];

            fiscp_quote(q, sizeof(q), val->text, val->len);
            return fail(c, FISC_EINVAL, "%s is %s the %s %s%s%s", q, k == 0 ? "below" : "above",
                        k == 0 ? "minimum" : "maximum", text[k], *v->info.unit ? " " : "", v->info.unit);
        }
    }
    return FISC_OK;
}

/* Why a number could not be read: the value read again with error detail, for the message. */
static fisc_status number_failure(fisc_decimal *out, const fiscp_vocab *v, const bound *b, const value *val,
                                  unsigned flags, int whole, const ectx *c)
{
    fisc_error derr;
    fisc_status rc;
    char q[VALUE_QUOTE];

    if (val->kind == V_NUMBER && (memchr(val->text, 'e', val->len) || memchr(val->text, 'E', val->len))) {
        fiscp_quote(q, sizeof(q), val->text, val->len);
        return fail(c, FISC_EINVAL, "%s has an exponent: write the number without an exponent", q);
    }
    rc = fisc_decimal_parse_n(out, val->text, val->len, flags, &derr);
    if (rc == FISC_ENOMEM)
        return fiscp_error_nomem(c->err);
    if (rc != FISC_OK) {
        char *col = strstr(derr.text, " (at character ");
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
    return range_check(c, v, b, out, val);
}

/*
 * A number into out (initialised): a bare JSON number (plain grammar, no exponent), or a string
 * or API text parsed with str_flags. With whole set the value must be an integer. Within bounds
 * b of v. The parse gives no detail: a failure goes to number_failure() for the message.
 */
static fisc_status read_number(fisc_decimal *out, const fiscp_vocab *v, const bound *b, const value *val,
                               unsigned str_flags, int whole, const ectx *c)
{
    unsigned flags = val->kind == V_NUMBER ? FISC_PARSE_PLAIN : str_flags;
    fisc_status rc;

    switch (val->kind) {
    case V_NUMBER: /* the plain grammar has no exponent: one that parses has none */
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
    rc = fisc_decimal_parse_n(out, val->text, val->len, flags, NULL);
    if (FISCP_LIKELY(rc == FISC_OK) && (!whole || fisc_decimal_is_integer(out)) &&
        within(range_of(b), b, out, val->text))
        return FISC_OK;
    if (rc == FISC_ENOMEM) /* not read again: an out-of-memory test fails each allocation once */
        return fiscp_error_nomem(c->err);
    return number_failure(out, v, b, val, flags, whole, c);
}

static fisc_status read_date(int64_t *out, const value *val, const ectx *c)
{
    fiscp_date d = 0;
    int y = 0, m = 0;
    date_why why;
    char q[VALUE_QUOTE];

    if (val->kind != V_STRING && val->kind != V_API)
        return wrong_type(c, "a date string \"YYYY-MM-DD\"", val);
    if ((why = date_check(&d, val->text, val->len, &y, &m)) == DATE_OK) {
        *out = d;
        return FISC_OK;
    }
    fiscp_quote(q, sizeof(q), val->text, val->len);
    switch (why) {
    case DATE_OK:
        break;
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

static fisc_status read_bool(int64_t *out, const value *val, const ectx *c)
{
    switch (val->kind) {
    case V_TRUE:
        *out = 1;
        return FISC_OK;
    case V_FALSE:
        *out = 0;
        return FISC_OK;
    case V_API:
        if (val->len == 4 && memcmp(val->text, "true", 4) == 0) {
            *out = 1;
            return FISC_OK;
        }
        if (val->len == 5 && memcmp(val->text, "false", 5) == 0) {
            *out = 0;
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
static fisc_status read_enum(int64_t *out, const fiscp_vocab *v, const value *val, const ectx *c)
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
            *out = idx;
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

/* Mark fact idx (not QUARTERS) known. */
static inline void know(fisc_facts *f, size_t idx)
{
    f->known[idx] = (unsigned char)KNOWN(f->s[idx].type);
}

/* Forget a fact; its memory stays for the next value (a QUARTERS slot's q->set is reset when it is
   next set: unknown, it is not read). */
static void forget(fisc_facts *f, size_t idx)
{
    f->known[idx] = 0;
}

/* Text into a TEXT slot's buffer, grown when too small (on failure the fact is unchanged). */
static fisc_status store_text(fisc_facts *f, size_t idx, const char *text, size_t len, const ectx *c)
{
    slot *s = &f->s[idx];

    if (len >= s->cap) {
        size_t cap = len < 32 ? 32 : len + 1;
        char *buf = fiscp_malloc(cap);

        if (!buf)
            return fiscp_error_nomem(c->err);
        fiscp_free(s->text);
        s->text = buf;
        s->cap = cap;
    }
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    know(f, idx);
    return FISC_OK;
}

/* The "uscc" fact in its normalised form (GB 32100), into u. */
static fisc_status read_uscc(fisc_uscc *u, const value *val, const ectx *c)
{
    char local[128], *tmp = local;
    fisc_error uerr = FISC_ERROR_INIT;
    fisc_status rc;

    if (val->len < sizeof(local)) {
        memcpy(local, val->text, val->len);
        local[val->len] = '\0';
    } else if (!(tmp = fiscp_strndup(val->text, val->len))) {
        return fiscp_error_nomem(c->err);
    }
    rc = fisc_uscc_check(u, tmp, &uerr);
    if (tmp != local)
        fiscp_free(tmp);
    return rc == FISC_OK ? FISC_OK : fail(c, rc, "%s", uerr.text);
}

static fisc_status set_text_value(fisc_facts *f, size_t idx, const value *val, const ectx *c)
{
    fisc_uscc u;
    fisc_status rc;

    if (val->kind != V_STRING && val->kind != V_API)
        return wrong_type(c, "a string", val);
    if (memchr(val->text, '\0', val->len))
        return fail(c, FISC_EINVAL, "the text contains a NUL character (\\u0000)");
    if (&f->vocab[idx] != &fiscp_vocab_table[FACT_USCC])
        return store_text(f, idx, val->text, val->len, c);
    if ((rc = read_uscc(&u, val, c)) != FISC_OK)
        return rc;
    return store_text(f, idx, u.code, strlen(u.code), c);
}

/*
 * A DECIMAL or INTEGER fact: every amount cell of a batch comes through here. A slot not known is
 * read into directly (its value is not visible, so a failure changes nothing), a known one through
 * a copy, so that on failure it keeps its value.
 */
static fisc_status set_number(fisc_facts *f, size_t idx, const value *val, const ectx *c)
{
    slot *s = &f->s[idx];
    int whole = s->type == FISC_FACT_INTEGER;
    unsigned flags = whole ? FISC_PARSE_PLAIN : FISC_PARSE_RATE;
    fisc_decimal tmp;
    fisc_status rc;

    if (!f->known[idx]) {
        rc = read_number(&s->dec, &f->vocab[idx], f->bounds[idx], val, flags, whole, c);
    } else {
        fisc_decimal_init(&tmp);
        rc = read_number(&tmp, &f->vocab[idx], f->bounds[idx], val, flags, whole, c);
        if (rc == FISC_OK)
            fiscp_decimal_swap(&s->dec, &tmp);
        fisc_decimal_clear(&tmp);
    }
    if (rc == FISC_OK)
        know(f, idx);
    return rc;
}

/* Read and store one value of a non-QUARTERS fact; on failure the fact is unchanged. */
static fisc_status set_value(fisc_facts *f, size_t idx, const value *val, const ectx *c)
{
    const fiscp_vocab *v = &f->vocab[idx];
    slot *s = &f->s[idx];
    int64_t i = 0;
    fisc_status rc;

    switch (s->type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        return set_number(f, idx, val, c);
    case FISC_FACT_TEXT:
        return set_text_value(f, idx, val, c);
    case FISC_FACT_BOOL:
        rc = read_bool(&i, val, c);
        break;
    case FISC_FACT_DATE:
        rc = read_date(&i, val, c);
        break;
    case FISC_FACT_ENUM:
        rc = read_enum(&i, v, val, c);
        break;
    default: /* QUARTERS is read by its own functions */
        return fail(c, FISC_EINVAL, "the vocabulary entry has type %d, which cannot be read here",
                    v->info.type);
    }
    if (rc == FISC_OK) {
        s->i = i;
        know(f, idx);
    }
    return rc;
}

/* ---------------------------------------------------------------- quarters */

/* Eight values being read, stored only when all are good. */
typedef struct qtmp {
    fisc_decimal q[4][2];
    unsigned char set[4][2];
} qtmp;

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
    quarters *qs = s->q;
    int any = 0;

    if (!f->known[idx]) /* what it held before it was forgotten or cleared */
        memset(qs->set, 0, sizeof(qs->set));
    for (int q = q0; q <= q1; q++)
        for (int e = 0; e < 2; e++) {
            fiscp_decimal_swap(&qs->v[q][e], &t->q[q][e]);
            qs->set[q][e] = t->set[q][e];
        }
    for (int q = 0; q < 4; q++)
        for (int e = 0; e < 2; e++)
            any |= qs->set[q][e];
    f->known[idx] = any ? (unsigned char)KNOWN(FISC_FACT_QUARTERS) : 0;
}

/*
 * One quarter value: NULL or "?" (API) / null (JSON) leaves it unknown. The field is named
 * "<fact>.Q<q>.<end>" by fail() when there is an error; afterwards c names no field.
 */
static fisc_status read_qvalue(qtmp *t, int q, int e, const fiscp_vocab *v, const bound *b, const value *val,
                               ectx *c)
{
    fisc_status rc;

    if (val->kind == V_NULL)
        return FISC_OK;
    c->field = v->info.name;
    c->quarter = q + 1;
    c->end = e;
    rc = read_number(&t->q[q][e], v, b, val, FISC_PARSE_PLAIN, 0, c);
    c->field = NULL;
    c->quarter = 0;
    if (rc == FISC_OK)
        t->set[q][e] = 1;
    return rc;
}

/* The text form "Q1=120/200;Q3=?/5" (fisc_facts_get's output) of len bytes, for fisc_facts_set. */
static fisc_status parse_quarters_text(qtmp *t, const fiscp_vocab *v, const bound *b, const char *text,
                                       size_t len, ectx *c)
{
    size_t pos = 0;
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
            if ((rc = read_qvalue(t, qi, e, v, b, &val, c)) != FISC_OK)
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

/* x rounded up to a multiple of a (a power of two). */
static size_t align_up(size_t x, size_t a)
{
    return (x + a - 1) & ~(a - 1);
}

/* One allocation holds the facts, their slots, the quarters, their own bounds and the known bytes. */
typedef struct layout {
    size_t quarters, own, known, size;  /* byte offsets of each part, and the total */
} layout;

static layout layout_of(const fiscp_vocab *table, size_t n, int own_bounds)
{
    size_t nq = 0;
    layout l;

    for (size_t i = 0; i < n; i++)
        nq += table[i].info.type == FISC_FACT_QUARTERS;
    l.quarters = align_up(sizeof(fisc_facts) + n * sizeof(slot), _Alignof(quarters));
    l.own = align_up(l.quarters + nq * sizeof(quarters), _Alignof(bound));
    l.known = l.own + (own_bounds ? n : 0) * sizeof(bound[2]);
    l.size = l.known + n;
    return l;
}

/* A slot of type type, its value initialised (quarters: taken from *next). */
static void slot_init(slot *s, int type, quarters **next)
{
    s->type = type >= FISC_FACT_DECIMAL && type <= FISC_FACT_QUARTERS ? (unsigned char)type : TYPE_OTHER;
    switch (s->type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        fisc_decimal_init(&s->dec);
        break;
    case FISC_FACT_QUARTERS:
        s->q = (*next)++;
        for (int q = 0; q < 4; q++)
            for (int e = 0; e < 2; e++)
                fisc_decimal_init(&s->q->v[q][e]);
        break;
    default: /* zeroed by calloc: no text, no buffer */
        break;
    }
}

fisc_status fiscp_facts_new_vocab(fisc_facts **out, const fiscp_vocab *table, size_t n, fisc_error *err)
{
    int shared;
    layout l;
    fisc_facts *f;
    quarters *next;

    if (!out || !table)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_new: NULL argument");
    *out = NULL;
    shared = table == fiscp_vocab_table && n <= FACT_COUNT;
    l = layout_of(table, n, !shared);
    f = fiscp_calloc(1, l.size);
    if (!f)
        return fiscp_error_nomem(err);
    f->vocab = table;
    f->n = n;
    f->known = (unsigned char *)f + l.known;
    if (shared) {
        f->bounds = builtin();
    } else {
        f->own = (bound (*)[2])(void *)((char *)f + l.own);
        bounds_parse(f->own, table, n);
        f->bounds = (const bound (*)[2])f->own;
    }
    next = (quarters *)(void *)((char *)f + l.quarters);
    for (size_t i = 0; i < n; i++) {
        slot_init(&f->s[i], table[i].info.type, &next);
        f->s[i].range = range_of(f->bounds[i]);
        f->s[i].quick = quick_of(&table[i], f->s[i].type, f->bounds[i]);
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

        switch (s->type) {
        case FISC_FACT_DECIMAL:
        case FISC_FACT_INTEGER:
            fisc_decimal_clear(&s->dec);
            break;
        case FISC_FACT_TEXT:
            fiscp_free(s->text);
            break;
        case FISC_FACT_QUARTERS:
            for (int q = 0; q < 4; q++)
                for (int e = 0; e < 2; e++)
                    fisc_decimal_clear(&s->q->v[q][e]);
            break;
        default:
            break;
        }
    }
    if (f->own)
        bounds_clear(f->own, f->n);
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
    ectx c = ECTX(r->err, r->source, NULL);

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
    ectx c = ECTX(r->err, r->source, NULL);
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
    ectx c = ECTX(r->err, r->source, v->info.name);
    struct fy_node_pair *p;
    void *it = NULL;
    value val;
    qtmp t;
    fisc_status rc;

    if ((rc = classify(&val, node, r)) != FISC_OK)
        return rc;
    if (val.kind == V_NULL) {
        forget(r->f, idx);
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
            rc = read_qvalue(&t, qi, e, v, r->f->bounds[idx], &mval, &c);
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
    ectx c = ECTX(r->err, r->source, v->info.name);
    value val;
    fisc_status rc;

    if (v->info.type == FISC_FACT_QUARTERS)
        return read_quarters_json(r, idx, key, node);
    if ((rc = classify(&val, node, r)) != FISC_OK)
        return rc;
    if (val.kind == V_NULL) {
        forget(r->f, idx);
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
    ectx c = ECTX(r->err, r->source, NULL);
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
    ectx c = ECTX(r->err, r->source, NULL);

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
    ectx c = ECTX(err, source, NULL);
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
    ectx c = ECTX(err, path, NULL);
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

/* Set fact idx from len bytes of text (which need not be NUL-terminated). */
static fisc_status set_text(fisc_facts *f, size_t idx, const char *text, size_t len, ectx *c)
{
    if (f->s[idx].type == FISC_FACT_QUARTERS) { /* parsed from its text form, up to a NUL */
        const char *nul = memchr(text, '\0', len);
        fisc_status rc;
        qtmp t;

        if (nul)
            len = (size_t)(nul - text);
        qtmp_init(&t);
        rc = parse_quarters_text(&t, &f->vocab[idx], f->bounds[idx], text, len, c);
        if (rc == FISC_OK)
            qcommit(f, idx, &t, 0, 3);
        qtmp_clear(&t);
        return rc;
    }
    {
        value val = { V_API, text, len };

        return set_value(f, idx, &val, c);
    }
}

fisc_status fisc_facts_set(fisc_facts *f, const char *name, const char *value_text, fisc_error *err)
{
    ectx c = ECTX(err, NULL, NULL);
    long idx;

    fiscp_error_reset(err);
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    c.field = f->vocab[idx].info.name;
    if (!value_text)
        return fail(&c, FISC_EINVAL, "the value is NULL (fisc_facts_unset() forgets a fact)");
    return set_text(f, (size_t)idx, value_text, strlen(value_text), &c);
}

fisc_status fisc_facts_set_quarter(fisc_facts *f, const char *name, int quarter, const char *start,
                                   const char *end, fisc_error *err)
{
    ectx c = ECTX(err, NULL, NULL);
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

            rc = read_qvalue(&t, quarter - 1, e, v, f->bounds[idx], &val, &c);
        }
    }
    if (rc == FISC_OK)
        qcommit(f, (size_t)idx, &t, quarter - 1, quarter - 1);
    qtmp_clear(&t);
    return rc;
}

/* ---------------------------------------------------------------- the batch's quick path */

/* 10^k, k = 0..18: a number of at most 18 digits and a bound brought to one scale. */
static const int64_t POW10[19] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000,
    100000000000, 1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000,
    100000000000000000, 1000000000000000000,
};

/* n digits, one byte at a time, into *out (no overflow for n <= 19): 1, or 0 at a non-digit. */
static inline int plain_digits(uint64_t *out, const unsigned char *p, size_t n)
{
    uint64_t acc = 0;

    for (size_t k = 0; k < n; k++) {
        unsigned d = (unsigned)p[k] - '0';

        if (d > 9)
            return 0;
        acc = acc * 10 + d;
    }
    *out = acc;
    return 1;
}

/*
 * The value of the n digits (1 <= n <= max, max 8 or 16) at p into *out: 1, or 0 when one is not a
 * digit. At least 4 bytes at p may be read, and 8 when n > 4 (the integer digits of an amount
 * "I.FF"): one word for up to 8 digits, two for more, read eight digits at a time as
 * fisc_decimal_parse_n() reads them (decimal.h).
 */
static inline int int_digits(uint64_t *out, const unsigned char *p, size_t n, size_t max)
{
#if FISCP_SWAR_DIGITS
    uint64_t w0, w1;

    if (n <= 8) {
        if (n > 4) {
            memcpy(&w0, p, 8);
        } else {
            uint32_t w;

            memcpy(&w, p, 4);
            w0 = w;
        }
        if (fiscp_non_digits8(w0) << (64 - 8 * n)) /* the bytes past the digits shifted out */
            return 0;
        *out = fiscp_eight_digits(w0 << (64 - 8 * n));
        return 1;
    }
    if (max <= 8)
        return 0;
    memcpy(&w0, p, 8);
    memcpy(&w1, p + n - 8, 8); /* the last 8 digits, overlapping w0 */
    if (fiscp_non_digits8(w0) | fiscp_non_digits8(w1))
        return 0;
    *out = fiscp_eight_digits(w0 << (8 * (16 - n))) * 100000000u + fiscp_eight_digits(w1);
    return 1;
#else
    (void)max;
    return plain_digits(out, p, n);
#endif
}

/*
 * An amount as a batch writes it, "-?(0|[1-9][0-9]*)\.[0-9][0-9]" with at most max (8 or 16)
 * integer digits, into *coef (the value in fen: fisc_decimal_parse_n() reads it as *coef / 10^2):
 * 1, or 0 for any other text.
 */
static inline int scan_amount(int64_t *coef, const char *text, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    size_t neg, ni;
    unsigned f1, f2;
    uint64_t v;

    if (len < 4 || len > max + 4 || end[-3] != '.') /* "0.00" to '-', max + 2 digits and the point */
        return 0;
    neg = *p == '-';
    ni = len - neg - 3;
    p += neg;
    if (ni == 0 || ni > max || (ni > 1 && *p == '0') || !int_digits(&v, p, ni, max))
        return 0; /* no integer digit, too many, a leading zero or not a digit */
    f1 = (unsigned)end[-2] - '0';
    f2 = (unsigned)end[-1] - '0';
    if (f1 > 9 || f2 > 9)
        return 0;
    v = v * 100 + f1 * 10 + f2;
    *coef = neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

#if FISCP_SWAR_DIGITS && defined(__SSE2__) && defined(__x86_64__)
# define SSE2_DIGITS 1
/*
 * The value of the 16 digits in hi (the first 8, its lowest byte the most significant) and lo (the
 * next 8), or -1 when a byte is not a digit. In SSE2 registers: the scalar form's masks and
 * multipliers would take the general registers a row's loop needs (it spilled).
 */
static FISCP_ALWAYS_INLINE int64_t sixteen_digits(uint64_t hi, uint64_t lo)
{
    __m128i x = _mm_sub_epi8(_mm_set_epi64x((long long)lo, (long long)hi), _mm_set1_epi8('0'));
    uint64_t r;

    if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x)) != 0xFFFF)
        return -1; /* a byte that was below '0' or above '9' */
    x = _mm_add_epi16(_mm_mullo_epi16(_mm_and_si128(x, _mm_set1_epi16(0xFF)), _mm_set1_epi16(10)),
                      _mm_srli_epi16(x, 8));              /* 2 digits a 16-bit lane */
    x = _mm_madd_epi16(x, _mm_set1_epi32(0x00010064));     /* x 100 + y: 4 digits a 32-bit lane */
    x = _mm_packs_epi32(x, x);                             /* each below 10^4: a 16-bit lane */
    x = _mm_madd_epi16(x, _mm_set1_epi32(0x00012710));     /* x 10^4 + y: hi's value, then lo's */
    r = (uint64_t)_mm_cvtsi128_si64(x);
    return (int64_t)((r & 0xFFFFFFFFu) * 100000000u + (r >> 32));
}
#else
# define SSE2_DIGITS 0
#endif

/*
 * scan_amount() for at most 14 integer digits (max 14), the amounts of a batch, inline: at most 16
 * digits once the point is left out, read as two words of 8, the last 8 digits (the point taken out)
 * and the first (filled with leading '0' bytes). Where SSE2 is not there, scan_amount() itself.
 */
static FISCP_ALWAYS_INLINE int scan_amount14(int64_t *coef, const char *text, size_t len)
{
#if SSE2_DIGITS
    /* '0' in the low 6 - ni bytes: the places before ni integer digits and two decimals */
    static const uint64_t FILL[7] = { 0x3030303030303030u >> 16, 0x3030303030303030u >> 24,
                                      0x3030303030303030u >> 32, 0x3030303030303030u >> 40,
                                      0x3030303030303030u >> 48, 0x3030303030303030u >> 56, 0 };
    const uint64_t ZEROS = 0x3030303030303030u;
    const unsigned char *p = (const unsigned char *)text;
    size_t neg, ni;
    uint64_t hi, lo;
    int64_t v;

    if (len < 4)
        return 0;
    neg = *p == '-';
    ni = len - neg - 3;
    p += neg;
    if (ni - 1 > 13 || p[ni] != '.' || (ni > 1 && *p == '0'))
        return 0; /* not 1 to 14 integer digits and the point, or a leading zero */
    if (ni <= 6) { /* lo: '0' bytes, the ni digits, the two decimals */
        uint16_t dec;

        if (ni > 4) { /* 8 bytes: the digits, the point and at least 4 more */
            memcpy(&lo, p, 8);
        } else {
            uint32_t w4;

            memcpy(&w4, p, 4);
            lo = w4;
        }
        memcpy(&dec, p + ni + 1, 2);
        lo = (lo << (64 - 8 * ni)) >> 16 | (uint64_t)dec << 48 | FILL[ni];
        hi = ZEROS;
    } else { /* lo: the last 6 integer digits and the decimals; hi: '0' bytes and the first ni - 6 */
        unsigned shift = (unsigned)(8 * (14 - ni));

        memcpy(&lo, p + ni - 5, 8); /* the last 5 integer digits, the point, the decimals */
        lo = (lo & 0xFFFFFFFFFFu) << 8 | (lo & 0xFFFF000000000000u) | p[ni - 6];
        memcpy(&hi, p, 8);
        hi = hi << shift | (ZEROS & ~(UINT64_MAX << shift));
    }
    if ((v = sixteen_digits(hi, lo)) < 0)
        return 0;
    *coef = neg ? -v : v;
    return 1;
#else
    return scan_amount(coef, text, len, 16);
#endif
}

/*
 * An integer "-?(0|[1-9][0-9]*)" of at most 18 digits (a count in a batch: short, one byte at a
 * time) into *coef, as fisc_decimal_parse_n() reads it: 1, or 0 for any other text.
 */
static inline int scan_integer(int64_t *coef, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t neg, n;
    uint64_t v;

    if (len < 1 || len > 19)
        return 0;
    neg = *p == '-';
    n = len - neg;
    p += neg;
    if (n < 1 || n > 18 || (n > 1 && *p == '0'))
        return 0; /* no digit, more than 18, or a leading zero */
    if (!plain_digits(&v, p, n))
        return 0;
    *coef = neg ? -(int64_t)v : (int64_t)v;
    return 1;
}

/* coef / 10^scale (scale 0..18) compared with bound b (small, not B_NONE): <0, 0, >0. Exact: a
   coefficient brought to the other's scale that overflows is the larger in magnitude. */
static inline int cmp_bound(int64_t coef, int scale, const bound *b)
{
    int64_t x = coef, y = b->coef;

    if (scale > b->scale) {
        if (__builtin_mul_overflow(y, POW10[scale - b->scale], &y))
            return b->coef < 0 ? 1 : -1;
    } else if (scale < b->scale) {
        if (__builtin_mul_overflow(x, POW10[b->scale - scale], &x))
            return coef < 0 ? -1 : 1;
    }
    return (x > y) - (x < y);
}

/* within() for coef / 10^scale and bounds b that are small (slot.quick Q_AMOUNT, Q_NUMBER, Q_WHOLE). */
static inline int within_small(unsigned char range, const bound *b, int64_t coef, int scale)
{
    if (FISCP_LIKELY(range == R_NONE))
        return 1;
    if (range == R_NONNEG) /* "-0" is 0 */
        return coef >= 0;
    return (b[0].kind == B_NONE || cmp_bound(coef, scale, &b[0]) >= 0) &&
           (b[1].kind == B_NONE || cmp_bound(coef, scale, &b[1]) <= 0);
}

/* true or false, as the API writes them. */
static inline int quick_bool(slot *s, const char *text, size_t len)
{
    if (len == 4 && memcmp(text, "true", 4) == 0)
        s->i = 1;
    else if (len == 5 && memcmp(text, "false", 5) == 0)
        s->i = 0;
    else
        return 0;
    return 1;
}

/* 1 when one of the 8 bytes of w is 0 (exact: a borrow reaches only bytes above a 0 byte). */
static inline int has_nul8(uint64_t w)
{
    return ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u) != 0;
}

/* A text without NUL that fits the buffer the slot kept (the first one goes the general way). The
   slot is not known, so a text refused half-copied changes nothing visible. A name or code of 8 to
   16 bytes (a batch's commonest) is two overlapping words. */
static inline int quick_text(slot *s, const char *text, size_t len)
{
    if (len >= s->cap)
        return 0;
    if (len - 8 <= 8) {
        uint64_t a, b;

        memcpy(&a, text, 8);
        memcpy(&b, text + len - 8, 8);
        if (has_nul8(a) || has_nul8(b))
            return 0;
        memcpy(s->text, &a, 8);
        memcpy(s->text + len - 8, &b, 8);
    } else {
        for (size_t k = 0; k < len; k++) {
            if (text[k] == '\0')
                return 0;
            s->text[k] = text[k];
        }
    }
    s->text[len] = '\0';
    return 1;
}

/* within_small() for bounds R_BOUNDS (apart: an integer cell's quick path then stays small). */
static NOINLINE int within_bounds(const bound *b, int64_t coef, int scale)
{
    return within_small(R_BOUNDS, b, coef, scale);
}

/* within_bounds() for an integer (scale 0), inline where both bounds are whole numbers (a count's 0 and
   its maximum): then each is one comparison. */
static FISCP_ALWAYS_INLINE int within_whole(const bound *b, int64_t coef)
{
    if (b[0].scale != 0 || b[1].scale != 0)
        return within_bounds(b, coef, 0);
    return (b[0].kind == B_NONE || coef >= b[0].coef) && (b[1].kind == B_NONE || coef <= b[1].coef);
}

/*
 * fisc_facts_set_index() once the quick path has declined the value: every type, every message.
 * Not inlined, so that the quick path saves no registers for it.
 */
static NOINLINE fisc_status set_index_general(fisc_facts *f, size_t index, const char *value_text, size_t len,
                                              fisc_error *err)
{
    ectx c = ECTX(err, NULL, f->vocab[index].info.name);

    return set_text(f, index, value_text, len, &c);
}

/*
 * A number (its bounds small: slot.quick Q_AMOUNT or Q_NUMBER; known only for Q_AMOUNT, which it then
 * overwrites as the general path would): an amount or an integer within its bounds, else the general
 * path. (An integer fact's cell that set_cell() declined goes to the general path: nothing here could
 * take it.)
 */
static NOINLINE fisc_status set_index_number(fisc_facts *f, size_t index, const char *value_text, size_t len,
                                             fisc_error *err)
{
    slot *s = &f->s[index];
    int64_t coef;
    int scale = 2;

    if (!scan_amount(&coef, value_text, len, 16)) {
        if (!scan_integer(&coef, value_text, len))
            return set_index_general(f, index, value_text, len, err);
        scale = 0;
    }
    if (!within_small(s->range, f->bounds[index], coef, scale))
        return set_index_general(f, index, value_text, len, err);
    fiscp_decimal_set_scaled(&s->dec, coef, scale);
    know(f, index);
    return FISC_OK;
}

/* A date (slot not known), or the general path. Apart: its call needs a stack frame. */
static NOINLINE fisc_status set_index_date(fisc_facts *f, size_t index, const char *value_text, size_t len,
                                           fisc_error *err)
{
    fiscp_date d;

    if (!fiscp_date_parse(&d, value_text, len))
        return set_index_general(f, index, value_text, len, err);
    f->s[index].i = d;
    know(f, index);
    return FISC_OK;
}

/*
 * One cell (index within the vocabulary, value_text not NULL; err reset): what fisc_facts_set_index()
 * and fisc_facts_set_row() do after their checks. Inline, the commonest cells of a batch: amounts of up
 * to 14 integer digits with no bound but the minimum 0, integers (whole bounds compared inline), true /
 * false, short texts; larger amounts, dates, bounds with decimals and every error in functions of their own, so that this path
 * saves only the registers it needs (in a row's loop, more would spill).
 */
static FISCP_ALWAYS_INLINE fisc_status set_cell(fisc_facts *f, size_t index, const char *value_text,
                                                size_t len, fisc_error *err)
{
    slot *s = &f->s[index];
    int64_t coef;

    if (FISCP_LIKELY(s->quick == Q_AMOUNT)) {
        /* no test of known[]: the slot is written only once the amount is read, so a fact set before is
           overwritten as the general path would, and every error still goes there */
        if (len == 4 && memcmp(value_text, "0.00", 4) == 0) /* the commonest of all */
            coef = 0;
        else if (!scan_amount14(&coef, value_text, len) || (coef < 0 && s->range != R_NONE))
            return set_index_number(f, index, value_text, len, err);
        fiscp_decimal_set_scaled(&s->dec, coef, 2);
        f->known[index] = (unsigned char)KNOWN(FISC_FACT_DECIMAL);
        return FISC_OK;
    }
    if (f->known[index]) /* on an error it keeps its value: the general path sees to that */
        return set_index_general(f, index, value_text, len, err);
    if (s->quick == Q_BOOL && quick_bool(s, value_text, len)) {
        f->known[index] = (unsigned char)KNOWN(FISC_FACT_BOOL);
        return FISC_OK;
    }
    if (s->quick == Q_TEXT && quick_text(s, value_text, len)) {
        f->known[index] = (unsigned char)KNOWN(FISC_FACT_TEXT);
        return FISC_OK;
    }
    if (s->quick <= Q_WHOLE && scan_integer(&coef, value_text, len) &&
        (s->range != R_BOUNDS ? within_small(s->range, f->bounds[index], coef, 0)
                              : within_whole(f->bounds[index], coef))) {
        fiscp_decimal_set_scaled(&s->dec, coef, 0);
        know(f, index);
        return FISC_OK;
    }
    /* what the quick tests above declined, none of them would take again */
    if (s->quick == Q_DATE)
        return set_index_date(f, index, value_text, len, err);
    return s->quick < Q_WHOLE ? set_index_number(f, index, value_text, len, err)
                              : set_index_general(f, index, value_text, len, err);
}

fisc_status fisc_facts_set_index(fisc_facts *f, size_t index, const char *value_text, size_t len,
                                 fisc_error *err)
{
    fiscp_error_reset(err);
    if (!f || index >= f->n)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_index: no fact at index %zu", index);
    if (!value_text)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_index: the value is NULL");
    return set_cell(f, index, value_text, len, err);
}

/* The checks and the error reset once for the row, then each cell as fisc_facts_set_index() sets it. */
fisc_status fisc_facts_set_row(size_t *failed_out, fisc_facts *f, const long *index, const char *text,
                               const fisc_fact_span *cells, size_t n, fisc_error *err)
{
    size_t i;

    fiscp_error_reset(err);
    if (failed_out)
        *failed_out = 0;
    if (!f || (n > 0 && (!index || !text || !cells)))
        return fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_row: NULL argument");
    for (i = 0; i < n; i++) {
        size_t at = (size_t)index[i], len = cells[i].len; /* a negative index is above f->n */
        fisc_status rc;

        if (FISCP_UNLIKELY(at >= f->n || len == 0)) {
            if (index[i] < 0 || len == 0) /* not a fact, or an empty cell: unknown */
                continue;
            rc = fiscp_error_set(err, FISC_EINVAL, "fisc_facts_set_row: no fact at index %ld (cell %zu)",
                                 index[i], i);
        } else {
            rc = set_cell(f, at, text + cells[i].off, len, err);
        }
        if (rc != FISC_OK) {
            if (failed_out)
                *failed_out = i;
            return rc;
        }
    }
    if (failed_out)
        *failed_out = n;
    return FISC_OK;
}

/* One byte per fact: cheaper than a list of the facts set for a batch row's ~20 of ~200. */
void fisc_facts_clear(fisc_facts *f)
{
    if (f)
        memset(f->known, 0, f->n);
}

fisc_status fisc_facts_unset(fisc_facts *f, const char *name, fisc_error *err)
{
    long idx;

    fiscp_error_reset(err);
    if ((idx = api_lookup(f, name, err)) < 0)
        return FISC_EINVAL;
    forget(f, (size_t)idx);
    return FISC_OK;
}

int fisc_facts_has(const fisc_facts *f, const char *name)
{
    long idx;

    if (!f || !name)
        return 0;
    idx = find_n(f, name, strlen(name));
    return idx >= 0 && f->known[idx];
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
    const quarters *qs = s->q;

    for (int q = 0; q < 4 && rc == FISC_OK; q++)
        for (int e = 0; e < 2 && rc == FISC_OK; e++) {
            if (!qs->set[q][0] && !qs->set[q][1])
                continue;
            total += 5; /* "Qn=" ";" or "/" */
            if (!qs->set[q][e]) {
                total += 1;
                continue;
            }
            rc = fisc_decimal_to_string(&part[q][e], &qs->v[q][e], NULL, NULL, err);
            if (rc == FISC_OK)
                total += strlen(part[q][e]);
        }
    if (rc == FISC_OK && !(buf = fiscp_malloc(total)))
        rc = fiscp_error_nomem(err);
    if (rc == FISC_OK) {
        for (int q = 0; q < 4; q++) {
            if (!qs->set[q][0] && !qs->set[q][1])
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
    ectx c = ECTX(err, NULL, NULL);
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
    if (!f->known[idx])
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

/* The typed readers are inline (facts.h); the quarters of a fact are read here. */
const fisc_decimal *fiscp_fact_quarter(const fisc_facts *f, fiscp_fact id, int q, int end)
{
    const slot *s = fiscp_known_as(f, id, KNOWN(FISC_FACT_QUARTERS));

    if (!s || q < 1 || q > 4 || end < 0 || end > 1 || !s->q->set[q - 1][end])
        return NULL;
    return &s->q->v[q - 1][end];
}
