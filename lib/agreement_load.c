/*
 * Agreement documents (一事一议, docs/agreement-format.md): YAML read with libfyaml into the
 * immutable structure of lib/agreement.h, then checked against the policy (agreement_check.c).
 *
 * As strict as policy files: unknown keys (with a suggestion), duplicate keys, missing required
 * keys, wrong types, float-typed numbers, bad dates, ids and ranges, and the bounds of
 * lib/agreement.h are errors naming the file, line, column and the key path
 * ("terms[2].release[0].at_least"). Numbers are read from the scalar text by fisc's own parser,
 * never through a double; money in 万元 (KEY_wan) is converted to 元 when read. Everything the
 * evaluation needs is resolved here once: metric and event indices, program ids and their confs,
 * condition ids and labels, the span of years, the plan as an array by year.
 *
 * Duplicate keys are found here, not by libfyaml (whose check is quadratic): every mapping of the
 * format has keys from a small known set, so a bit mask per mapping finds them in linear time.
 */
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "decimal.h"
#include "engine.h"
#include "sha256.h"
#include "suggest.h"
#include "yaml_read.h"

#define MAX_DOC_BYTES ((size_t)1 << 20)
#define PATH_SIZE 160
#define MAX_AFTER 10
#define MAX_ID 64
#define MAX_TERM_ID 32
#define MAX_RANK 100000

typedef struct loader {
    fisc_agreement *a;
    fiscp_yaml_src src;    /* file, text (for positions of quoted scalars), len, err */
    char path[PATH_SIZE];  /* the key path being read, e.g. "terms[2].release[0]" */
    size_t plen;
} loader;

/* ------------------------------------------------------------------ key paths and errors */

static size_t path_key(loader *L, const char *key)
{
    size_t mark = L->plen;
    int k = snprintf(L->path + L->plen, sizeof(L->path) - L->plen, "%s%s", L->plen ? "." : "", key);

    if (k > 0)
        L->plen = strlen(L->path);
    return mark;
}

static size_t path_index(loader *L, size_t i)
{
    size_t mark = L->plen;
    int k = snprintf(L->path + L->plen, sizeof(L->path) - L->plen, "[%zu]", i);

    if (k > 0)
        L->plen = strlen(L->path);
    return mark;
}

static void path_pop(loader *L, size_t mark)
{
    L->plen = mark;
    L->path[mark] = '\0';
}

/* 1-based position of n (an empty value: of its key; a quoted scalar: of its opening quote), or 0. */
static fiscp_ag_pos node_pos(const loader *L, struct fy_node *n)
{
    int line, col;

    fiscp_yaml_node_pos(&L->src, n, &line, &col);
    return line < 0 ? (fiscp_ag_pos){ 0, 0 } : (fiscp_ag_pos){ line, col };
}

static fisc_status fail(loader *L, struct fy_node *at, fisc_status code, const char *fmt, ...) FISCP_PRINTF(4, 5);

static fisc_status fail(loader *L, struct fy_node *at, fisc_status code, const char *fmt, ...)
{
    char text[FISC_ERROR_TEXT_SIZE];
    va_list ap;
    int line, col;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fiscp_yaml_node_pos(&L->src, at, &line, &col);
    if (L->plen)
        return fiscp_error_set_pos(L->src.err, code, L->src.file, line, col, "%s: %s", L->path, text);
    return fiscp_error_set_pos(L->src.err, code, L->src.file, line, col, "%s", text);
}

/* As fail(), with key appended to the path for the message. */
static fisc_status fail_key(loader *L, struct fy_node *at, const char *key, fisc_status code, const char *fmt, ...)
    FISCP_PRINTF(5, 6);

static fisc_status fail_key(loader *L, struct fy_node *at, const char *key, fisc_status code, const char *fmt, ...)
{
    char text[FISC_ERROR_TEXT_SIZE];
    size_t mark = path_key(L, key);
    va_list ap;
    fisc_status rc;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    rc = fail(L, at, code, "%s", text);
    path_pop(L, mark);
    return rc;
}

static fisc_status nomem(loader *L)
{
    return fiscp_error_nomem(L->src.err);
}

/* Text from the document for a message: at most 48 bytes, cut on a character boundary. */
static const char *clip(loader *L, const char *s)
{
    char buf[48];

    fiscp_quote(buf, sizeof(buf), s, strlen(s));
    s = fiscp_arena_strdup(&L->a->arena, buf);
    return s ? s : "?";
}

/* ------------------------------------------------------------------ YAML helpers */

/* The value of key in map, or NULL (a short name for the many lookups below). */
#define get(map, key) fiscp_yaml_get((map), (key))

/* The scalar text of n copied into the arena; FISC_EPARSE when n is not a plain scalar. */
static fisc_status scalar(loader *L, struct fy_node *n, const char **out)
{
    size_t len;
    const char *s;

    *out = NULL;
    if (!n || !fy_node_is_scalar(n) || fy_node_is_alias(n))
        return fail(L, n, FISC_EPARSE, "must be text, not %s", !n ? "null" : fy_node_is_mapping(n) ? "a mapping"
                                                             : fy_node_is_sequence(n) ? "a list" : "an alias");
    if (!(s = fy_node_get_scalar(n, &len)) || !(*out = fiscp_arena_strndup(&L->a->arena, s, len)))
        return nomem(L);
    return FISC_OK;
}

static int key_index(const char *key, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (strcmp(key, allowed[i]) == 0)
            return i;
    return -1;
}

/*
 * map must be a mapping whose keys are plain text from allowed (at most 32 names, NULL-terminated),
 * each at most once. An unknown key gets a suggestion.
 */
static fisc_status check_keys(loader *L, struct fy_node *map, const char *what, const char *const *allowed)
{
    void *it = NULL;
    struct fy_node_pair *pr;
    unsigned long seen = 0;
    size_t n = 0;

    if (!map || !fy_node_is_mapping(map))
        return fail(L, map, FISC_EPARSE, "%s must be a mapping", what);
    while (allowed[n])
        n++;
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pr);
        const char *key, *near;
        fisc_status rc;
        int i;

        if ((rc = scalar(L, k, &key)) != FISC_OK)
            return rc;
        if ((i = key_index(key, allowed)) < 0) {
            near = fiscp_closest(key, strlen(key), allowed, n);
            if (near)
                return fail(L, k, FISC_EPARSE, "unknown key \"%s\" in %s; did you mean \"%s\"?", clip(L, key), what,
                            near);
            return fail(L, k, FISC_EPARSE, "unknown key \"%s\" in %s", clip(L, key), what);
        }
        if (seen & (1ul << i))
            return fail(L, k, FISC_EPARSE, "duplicate key \"%s\" in %s", key, what);
        seen |= 1ul << i;
    }
    return FISC_OK;
}

/* A scalar value of map: *out NULL when absent and optional; required ones may not be empty. */
static fisc_status get_text(loader *L, struct fy_node *map, const char *key, int required, const char **out)
{
    struct fy_node *n = get(map, key);
    size_t mark;
    fisc_status rc;

    *out = NULL;
    if (!n) {
        if (required)
            return fail(L, map, FISC_EPARSE, "\"%s\" is missing", key);
        return FISC_OK;
    }
    mark = path_key(L, key);
    rc = scalar(L, n, out);
    if (rc == FISC_OK && (*out)[0] == '\0')
        rc = fail(L, n, FISC_EPARSE, "is empty");
    path_pop(L, mark);
    return rc;
}

/* An optional text: "" when absent. */
static fisc_status get_opt(loader *L, struct fy_node *map, const char *key, const char **out)
{
    fisc_status rc = get_text(L, map, key, 0, out);

    if (rc == FISC_OK && !*out)
        *out = "";
    return rc;
}

/* {zh: ..., en: ...}, both required; *zh and *en stay NULL when the label is absent and optional. */
static fisc_status get_label(loader *L, struct fy_node *map, const char *key, int required, const char **zh,
                             const char **en)
{
    static const char *const keys[] = { "zh", "en", NULL };
    struct fy_node *n = get(map, key);
    size_t mark;
    fisc_status rc;

    *zh = *en = NULL;
    if (!n)
        return required ? fail(L, map, FISC_EPARSE, "\"%s\" is missing (give {zh: ..., en: ...})", key) : FISC_OK;
    mark = path_key(L, key);
    if ((rc = check_keys(L, n, "a label {zh, en}", keys)) == FISC_OK && (rc = get_text(L, n, "zh", 1, zh)) == FISC_OK)
        rc = get_text(L, n, "en", 1, en);
    path_pop(L, mark);
    return rc;
}

/* A plain scalar written like a float (0.05) would be a binary float to YAML: refuse it. */
static fisc_status not_float(loader *L, struct fy_node *n, const char *s)
{
    if (fy_node_get_style(n) == FYNS_PLAIN && fiscp_yaml_looks_float(s))
        return fail(L, n, FISC_EPARSE, "float-typed number %s: write it as a string (\"%s\") so that it is read "
                                       "exactly", clip(L, s), clip(L, s));
    return FISC_OK;
}

/* A date "YYYY-MM-DD" from 2000 to 2100. */
static fisc_status get_date(loader *L, struct fy_node *map, const char *key, int required, fiscp_date *out)
{
    const char *s;
    fisc_status rc = get_text(L, map, key, required, &s);

    if (rc != FISC_OK || !s)
        return rc;
    if (!fiscp_date_parse(out, s, strlen(s)) || *out / 10000 < FISCP_AG_MIN_YEAR || *out / 10000 > FISCP_AG_MAX_YEAR)
        return fail_key(L, get(map, key), key, FISC_EPARSE, "\"%s\" is not a date YYYY-MM-DD from %d to %d", clip(L, s),
                        FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR);
    return FISC_OK;
}

/* 1 when s is -?(0|[1-9][0-9]*) with at most 9 digits: the one way to write a whole number. */
static int canonical_int(const char *s)
{
    size_t digits;

    if (*s == '-')
        s++;
    digits = strspn(s, "0123456789");
    return digits > 0 && digits <= 9 && !s[digits] && (s[0] != '0' || digits == 1);
}

/* A whole number in [min, max] from the text of n (plain or quoted). */
static fisc_status read_int(loader *L, struct fy_node *n, long min, long max, int *out)
{
    const char *s;
    long v;
    fisc_status rc;

    if ((rc = scalar(L, n, &s)) != FISC_OK || (rc = not_float(L, n, s)) != FISC_OK)
        return rc;
    v = canonical_int(s) ? strtol(s, NULL, 10) : min - 1;
    if (v < min || v > max)
        return fail(L, n, FISC_EPARSE, "\"%s\" is not a whole number from %ld to %ld", clip(L, s), min, max);
    *out = (int)v;
    return FISC_OK;
}

static fisc_status get_int(loader *L, struct fy_node *map, const char *key, int required, long min, long max,
                           int *out)
{
    struct fy_node *n = get(map, key);
    size_t mark;
    fisc_status rc;

    if (!n)
        return required ? fail(L, map, FISC_EPARSE, "\"%s\" is missing", key) : FISC_OK;
    mark = path_key(L, key);
    rc = read_int(L, n, min, max, out);
    path_pop(L, mark);
    return rc;
}

/* A decimal from the text of n: with rate set "5%", "1/20" or "0.05"; else a plain decimal. */
static fisc_status read_decimal(loader *L, struct fy_node *n, int rate, fisc_decimal *out)
{
    fisc_error perr = FISC_ERROR_INIT;
    const char *s;
    fisc_status rc;

    if ((rc = scalar(L, n, &s)) != FISC_OK || (rc = not_float(L, n, s)) != FISC_OK)
        return rc;
    if (!rate && strpbrk(s, "%/"))
        return fail(L, n, FISC_EPARSE, "\"%s\" is a rate, but an amount is expected here", clip(L, s));
    rc = fisc_decimal_parse(out, s, rate ? FISC_PARSE_RATE : FISC_PARSE_PLAIN, &perr);
    if (rc == FISC_ENOMEM)
        return nomem(L);
    if (rc != FISC_OK)
        return fail(L, n, FISC_EPARSE, "%s", perr.text);
    return FISC_OK;
}

/* A rate in [0, 1] (above 0 with positive set). */
static fisc_status get_rate(loader *L, struct fy_node *map, const char *key, int required, int positive,
                           fisc_decimal *out, int *has)
{
    struct fy_node *n = get(map, key);
    size_t mark;
    fisc_decimal one;
    fisc_status rc;

    if (has)
        *has = n != NULL;
    if (!n)
        return required ? fail(L, map, FISC_EPARSE, "\"%s\" is missing", key) : FISC_OK;
    mark = path_key(L, key);
    fisc_decimal_set_int(&one, 1);
    rc = read_decimal(L, n, 1, out);
    if (rc == FISC_OK && (fisc_decimal_sign(out) < 0 || (positive && fisc_decimal_sign(out) == 0) ||
                          fisc_decimal_cmp(out, &one) > 0))
        rc = fail(L, n, FISC_EPARSE, "a share or rate must be %s 0%% and at most 100%%",
                  positive ? "above" : "at least");
    path_pop(L, mark);
    return rc;
}

/*
 * Money under key (元) or key_wan (万元, converted): at least 0, above 0 with positive set.
 * *has (may be NULL) says whether either was written.
 */
static fisc_status get_money(loader *L, struct fy_node *map, const char *key, int required, int positive,
                            fisc_decimal *out, int *has)
{
    char wan_key[48];
    struct fy_node *n = get(map, key), *w;
    fisc_decimal tenk;
    const char *name = key;
    size_t mark;
    fisc_status rc;

    snprintf(wan_key, sizeof(wan_key), "%s_wan", key);
    w = get(map, wan_key);
    if (has)
        *has = n || w;
    if (n && w)
        return fail_key(L, w, wan_key, FISC_EPARSE, "give \"%s\" (元) or \"%s\" (万元), not both", key, wan_key);
    if (!n && !w)
        return required ? fail(L, map, FISC_EPARSE, "\"%s\" (or \"%s\") is missing", key, wan_key) : FISC_OK;
    if (w) {
        n = w;
        name = wan_key;
    }
    mark = path_key(L, name);
    rc = read_decimal(L, n, 0, out);
    if (rc == FISC_OK && (fisc_decimal_sign(out) < 0 || (positive && fisc_decimal_sign(out) == 0)))
        rc = fail(L, n, FISC_EPARSE, "an amount must be %s 0", positive ? "above" : "at least");
    if (rc == FISC_OK && w) {
        fisc_decimal_set_int(&tenk, 10000);
        rc = fisc_decimal_mul(out, out, &tenk, L->src.err);
        if (rc != FISC_OK)
            rc = rc == FISC_ENOMEM ? nomem(L) : fail(L, n, rc, "the amount in 万元 is too large");
    }
    path_pop(L, mark);
    return rc;
}

static int id_char(char c, int lower_only)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
        return 1;
    return !lower_only && ((c >= 'A' && c <= 'Z') || c == '.' || c == '-');
}

/* An id: [A-Za-z0-9_.-]{1,max}, or [a-z0-9_]{1,max} with lower_only. */
static fisc_status get_id(loader *L, struct fy_node *map, const char *key, int required, int lower_only, size_t max,
                          const char **out)
{
    fisc_status rc = get_text(L, map, key, required, out);
    size_t n = 0;

    if (rc != FISC_OK || !*out)
        return rc;
    while ((*out)[n] && id_char((*out)[n], lower_only))
        n++;
    if ((*out)[n] || n > max)
        return fail_key(L, get(map, key), key, FISC_EPARSE, "\"%s\" is not an id: 1 to %zu characters of %s",
                        clip(L, *out), max, lower_only ? "a-z, 0-9 and _" : "A-Z, a-z, 0-9, _, . and -");
    return FISC_OK;
}

/* A list node with 0..max items (absent: *list NULL). */
static fisc_status get_list(loader *L, struct fy_node *map, const char *key, size_t min, size_t max,
                            struct fy_node **list, size_t *count)
{
    struct fy_node *n = get(map, key);
    int k;

    *list = NULL;
    *count = 0;
    if (!n)
        return min ? fail(L, map, FISC_EPARSE, "\"%s\" is missing", key) : FISC_OK;
    if (!fy_node_is_sequence(n))
        return fail_key(L, n, key, FISC_EPARSE, "must be a list");
    k = fy_node_sequence_item_count(n);
    if (k < 0 || (size_t)k < min || (size_t)k > max)
        return fail_key(L, n, key, FISC_ERANGE, "has %d items; from %zu to %zu are allowed", k, min, max);
    *list = n;
    *count = (size_t)k;
    return FISC_OK;
}

static void *alloc(loader *L, size_t n, size_t size)
{
    return n ? fiscp_arena_alloc(&L->a->arena, n * size) : NULL;
}

/* The exact text of v in the arena ("300000000", "1/3"), or NULL when out of memory. */
static const char *dec_text(loader *L, const fisc_decimal *v)
{
    char buf[64];
    char *s = NULL;
    const char *t;

    if (fiscp_decimal_write(buf, sizeof(buf), v) >= 0)
        return fiscp_arena_strdup(&L->a->arena, buf);
    if (fisc_decimal_to_string(&s, v, NULL, NULL, NULL) != FISC_OK)
        return NULL;
    t = fiscp_arena_strdup(&L->a->arena, s);
    fisc_string_free(s);
    return t;
}

/* ------------------------------------------------------------------ conditions */

typedef enum { LIST_RELEASE, LIST_INSTALMENT, LIST_CLAWBACK } list_kind;

static const char *const COND_KEYS[] = { "id", "metric", "event", "over", "at_least", "at_least_wan", "at_most",
                                         "at_most_wan", "by", "absent_until", "clause", "label", NULL };

static fisc_status cond_metric_name(loader *L, struct fy_node *n, fiscp_ag_cond *c)
{
    const char *name, *near;
    fisc_status rc = get_text(L, n, "metric", 1, &name);

    if (rc != FISC_OK)
        return rc;
    if ((c->metric = fiscp_ag_metric_find(name)) >= 0)
        return FISC_OK;
    near = fiscp_ag_metric_suggest(name, strlen(name));
    if (near)
        return fail_key(L, get(n, "metric"), "metric", FISC_EPARSE, "unknown metric \"%s\"; did you mean \"%s\"?",
                        clip(L, name), near);
    return fail_key(L, get(n, "metric"), "metric", FISC_EPARSE, "unknown metric \"%s\" (see docs/agreement-format.md, "
                    "\"Metrics and events\")", clip(L, name));
}

static fisc_status cond_threshold(loader *L, struct fy_node *n, fiscp_ag_cond *c)
{
    int count = fiscp_ag_metrics[c->metric].count, least, most;
    const char *key;
    struct fy_node *v;
    fisc_status rc;

    least = get(n, "at_least") || get(n, "at_least_wan");
    most = get(n, "at_most") || get(n, "at_most_wan");
    if (least == most)
        return fail(L, n, FISC_EPARSE, "a metric condition needs one of \"at_least\" and \"at_most\"");
    c->op = least ? AGOP_AT_LEAST : AGOP_AT_MOST;
    key = least ? "at_least" : "at_most";
    if (count && (v = get(n, least ? "at_least_wan" : "at_most_wan")) != NULL)
        return fail_key(L, v, least ? "at_least_wan" : "at_most_wan", FISC_EPARSE, "%s is a count, not money",
                        fiscp_ag_metrics[c->metric].name);
    if ((rc = get_money(L, n, key, 1, 0, &c->threshold, NULL)) != FISC_OK)
        return rc;
    if (count && !fisc_decimal_is_integer(&c->threshold))
        return fail_key(L, get(n, key), key, FISC_EPARSE, "%s is a count: give a whole number",
                        fiscp_ag_metrics[c->metric].name);
    return FISC_OK;
}

static fisc_status cond_over(loader *L, struct fy_node *n, fiscp_ag_cond *c)
{
    const char *over;
    fisc_status rc = get_text(L, n, "over", 0, &over);

    c->over = AGO_YEAR;
    if (rc != FISC_OK || !over)
        return rc;
    if (strcmp(over, "cumulative") == 0)
        c->over = AGO_CUMULATIVE;
    else if (strcmp(over, "year") != 0)
        return fail_key(L, get(n, "over"), "over", FISC_EPARSE, "\"%s\" is not year or cumulative", clip(L, over));
    if (c->over == AGO_CUMULATIVE && fiscp_ag_metrics[c->metric].level)
        return fail_key(L, get(n, "over"), "over", FISC_EPARSE, "%s is a level at the year's end: it has no "
                        "cumulative figure", fiscp_ag_metrics[c->metric].name);
    return FISC_OK;
}

static fisc_status read_metric_cond(loader *L, struct fy_node *n, fiscp_ag_cond *c, list_kind kind)
{
    fisc_status rc;

    c->kind = AGC_METRIC;
    if (get(n, "absent_until"))
        return fail_key(L, get(n, "absent_until"), "absent_until", FISC_EPARSE, "belongs to event conditions");
    if ((rc = cond_metric_name(L, n, c)) != FISC_OK || (rc = cond_over(L, n, c)) != FISC_OK ||
        (rc = cond_threshold(L, n, c)) != FISC_OK)
        return rc;
    if (kind == LIST_INSTALMENT && get(n, "by"))
        return fail_key(L, get(n, "by"), "by", FISC_EPARSE, "an instalment's conditions are checked in its payment "
                        "year: they have no deadline");
    return get_int(L, n, "by", 0, FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR, &c->by_year);
}

static fisc_status read_event_cond(loader *L, struct fy_node *n, fiscp_ag_cond *c)
{
    static const char *const metric_only[] = { "over", "at_least", "at_least_wan", "at_most", "at_most_wan", NULL };
    const char *name, *near;
    int by = get(n, "by") != NULL;
    fisc_status rc;

    for (int k = 0; metric_only[k]; k++)
        if (get(n, metric_only[k]))
            return fail_key(L, get(n, metric_only[k]), metric_only[k], FISC_EPARSE, "belongs to metric conditions");
    if ((rc = get_text(L, n, "event", 1, &name)) != FISC_OK)
        return rc;
    if ((c->event = fiscp_ag_event_find(name)) < 0) {
        near = fiscp_ag_event_suggest(name, strlen(name));
        return fail_key(L, get(n, "event"), "event", FISC_EPARSE, "unknown event \"%s\"%s%s%s", clip(L, name),
                        near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
    }
    if (by == (get(n, "absent_until") != NULL))
        return fail(L, n, FISC_EPARSE, "an event condition needs one of \"by\" and \"absent_until\" (a date)");
    c->kind = by ? AGC_EVENT_BY : AGC_EVENT_ABSENT;
    return get_date(L, n, by ? "by" : "absent_until", 1, &c->date);
}

static int ends_with_bracket(const char *s)
{
    size_t n = strlen(s);

    return n >= 3 && strcmp(s + n - 3, "）") == 0;
}

/* "实际到位资金（累计）≥ 300000000 元（2024年底前）" and its English. */
static fisc_status metric_label(loader *L, fiscp_ag_cond *c)
{
    const fiscp_ag_metric_info *m = &fiscp_ag_metrics[c->metric];
    const char *v = dec_text(L, &c->threshold), *op = c->op == AGOP_AT_LEAST ? "≥" : "≤";
    int cum = c->over == AGO_CUMULATIVE;
    char by_zh[32] = "", by_en[40] = "";

    if (!v)
        return nomem(L);
    if (c->by_year) {
        snprintf(by_zh, sizeof(by_zh), "（%d年底前）", c->by_year);
        snprintf(by_en, sizeof(by_en), " (by the end of %d)", c->by_year);
    }
    /* no space after a full-width bracket: "从业人数（年末）≥ 200", "产值 ≥ 300000000 元" */
    c->label_zh = fiscp_arena_printf(&L->a->arena, "%s%s%s%s %s%s%s", m->label_zh, cum ? "（累计）" : "",
                                     cum || ends_with_bracket(m->label_zh) ? "" : " ", op, v,
                                     m->count ? "" : " 元", by_zh);
    c->label_en = fiscp_arena_printf(&L->a->arena, "%s%s %s %s%s%s", m->label_en, cum ? " (cumulative)" : "", op, v,
                                     m->count ? "" : " yuan", by_en);
    return c->label_zh && c->label_en ? FISC_OK : nomem(L);
}

/* "投产（不晚于2024-06-30）", "迁出：2032-12-31前（含）未发生" and their English. */
static fisc_status event_label(loader *L, fiscp_ag_cond *c)
{
    const fiscp_ag_event_info *e = &fiscp_ag_events[c->event];
    char day[11];

    fiscp_date_format(day, c->date);
    if (c->kind == AGC_EVENT_BY) {
        c->label_zh = fiscp_arena_printf(&L->a->arena, "%s（不晚于%s）", e->label_zh, day);
        c->label_en = fiscp_arena_printf(&L->a->arena, "%s (by %s)", e->label_en, day);
    } else {
        c->label_zh = fiscp_arena_printf(&L->a->arena, "%s：%s前（含）未发生", e->label_zh, day);
        c->label_en = fiscp_arena_printf(&L->a->arena, "%s: not on or before %s", e->label_en, day);
    }
    return c->label_zh && c->label_en ? FISC_OK : nomem(L);
}

static fisc_status read_cond(loader *L, struct fy_node *n, fiscp_ag_cond *c, list_kind kind, const char *id)
{
    int metric = get(n, "metric") != NULL;
    fisc_status rc;

    fisc_decimal_init(&c->threshold);
    c->pos = node_pos(L, n);
    if ((rc = check_keys(L, n, "a condition", COND_KEYS)) != FISC_OK)
        return rc;
    if (metric == (get(n, "event") != NULL))
        return fail(L, n, FISC_EPARSE, "a condition needs one of \"metric\" and \"event\"");
    rc = metric ? read_metric_cond(L, n, c, kind) : read_event_cond(L, n, c);
    if (rc != FISC_OK || (rc = get_id(L, n, "id", 0, 0, MAX_ID, &c->id)) != FISC_OK ||
        (rc = get_opt(L, n, "clause", &c->clause)) != FISC_OK ||
        (rc = get_label(L, n, "label", 0, &c->label_zh, &c->label_en)) != FISC_OK)
        return rc;
    if (!c->id && !(c->id = fiscp_arena_strdup(&L->a->arena, id)))
        return nomem(L);
    if (c->label_zh)
        return FISC_OK;
    return metric ? metric_label(L, c) : event_label(L, c);
}

/* A list of conditions under key of map; ids "PREFIX.N" (N from 1) unless the document names them. */
static fisc_status read_conds(loader *L, struct fy_node *map, const char *key, int required, list_kind kind,
                              const char *prefix, fiscp_ag_conds *out)
{
    struct fy_node *list, *n;
    size_t count, mark;
    void *it = NULL;
    fisc_status rc = get_list(L, map, key, required ? 1 : 0, FISCP_AG_MAX_CONDS, &list, &count);

    out->n = 0;
    out->v = NULL;
    if (rc != FISC_OK || !list)
        return rc;
    if (!(out->v = alloc(L, count, sizeof(*out->v))) && count)
        return nomem(L);
    mark = path_key(L, key);
    for (size_t i = 0; rc == FISC_OK && (n = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        char id[MAX_ID + MAX_TERM_ID + 32];
        size_t m2 = path_index(L, i);

        snprintf(id, sizeof(id), "%s.%zu", prefix, i + 1);
        out->n = i + 1;
        rc = read_cond(L, n, &out->v[i], kind, id);
        for (size_t j = 0; rc == FISC_OK && j < i; j++)
            if (strcmp(out->v[j].id, out->v[i].id) == 0)
                rc = fail_key(L, get(n, "id"), "id", FISC_EPARSE, "two conditions of the list have the id \"%s\"",
                              clip(L, out->v[i].id));
        if (rc == FISC_OK)
            path_pop(L, m2);
    }
    if (rc == FISC_OK)
        path_pop(L, mark);
    return rc;
}

/* ------------------------------------------------------------------ clawback, instalments */

static fisc_status read_clawback(loader *L, struct fy_node *n, const char *prefix, fiscp_ag_clawback **out)
{
    static const char *const keys[] = { "clause", "commitments", "share", "interest", NULL };
    static const char *const ikeys[] = { "rate", "basis", NULL };
    fiscp_ag_clawback *cb = alloc(L, 1, sizeof(*cb));
    struct fy_node *in;
    size_t mark;
    fisc_status rc;

    if (!(*out = cb))
        return nomem(L);
    cb->pos = node_pos(L, n);
    if ((rc = check_keys(L, n, "a clawback", keys)) != FISC_OK ||
        (rc = get_opt(L, n, "clause", &cb->clause)) != FISC_OK ||
        (rc = read_conds(L, n, "commitments", 1, LIST_CLAWBACK, prefix, &cb->conds)) != FISC_OK ||
        (rc = get_rate(L, n, "share", 1, 1, &cb->share, NULL)) != FISC_OK)
        return rc;
    if (!(in = get(n, "interest")))
        return FISC_OK;
    cb->has_interest = 1;
    mark = path_key(L, "interest");
    if ((rc = check_keys(L, in, "interest", ikeys)) == FISC_OK &&
        (rc = get_rate(L, in, "rate", 1, 1, &cb->interest_rate, NULL)) == FISC_OK &&
        (rc = get_int(L, in, "basis", 1, 360, 365, &cb->day_basis)) == FISC_OK && cb->day_basis != 360 &&
        cb->day_basis != 365)
        rc = fail_key(L, get(in, "basis"), "basis", FISC_EPARSE, "the day basis is 360 or 365");
    if (rc == FISC_OK)
        path_pop(L, mark);
    return rc;
}

static fisc_status read_instalment(loader *L, struct fy_node *n, fiscp_ag_instalment *in, const char *term, size_t k)
{
    static const char *const keys[] = { "share", "after", "conditions", "clause", NULL };
    char prefix[MAX_TERM_ID + 32];
    fisc_status rc;

    fisc_decimal_init(&in->share);
    in->pos = node_pos(L, n);
    snprintf(prefix, sizeof(prefix), "%s.instalment.%zu", term, k + 1);
    if ((rc = check_keys(L, n, "an instalment", keys)) != FISC_OK ||
        (rc = get_rate(L, n, "share", 1, 1, &in->share, NULL)) != FISC_OK ||
        (rc = get_int(L, n, "after", 0, 0, MAX_AFTER, &in->after)) != FISC_OK ||
        (rc = read_conds(L, n, "conditions", 0, LIST_INSTALMENT, prefix, &in->conds)) != FISC_OK)
        return rc;
    return get_opt(L, n, "clause", &in->clause);
}

/* The shares must add up to exactly 1. */
static fisc_status check_shares(loader *L, struct fy_node *list, const fiscp_ag_term *t)
{
    fisc_decimal sum, one, hundred;
    const char *text;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&sum);
    fisc_decimal_set_int(&one, 1);
    fisc_decimal_set_int(&hundred, 100);
    for (size_t k = 0; k < t->ninstalments && rc == FISC_OK; k++)
        rc = fisc_decimal_add(&sum, &sum, &t->instalments[k].share, L->src.err);
    if (rc == FISC_OK && fisc_decimal_cmp(&sum, &one) != 0) {
        if ((rc = fisc_decimal_mul(&sum, &sum, &hundred, L->src.err)) == FISC_OK && !(text = dec_text(L, &sum)))
            rc = nomem(L);
        if (rc == FISC_OK)
            rc = fail_key(L, list, "instalments", FISC_EPARSE, "the shares add up to %s%%, not 100%%", clip(L, text));
    }
    fisc_decimal_clear(&sum);
    return rc == FISC_ENOMEM ? nomem(L) : rc;
}

static fisc_status read_instalments(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    struct fy_node *list, *in;
    void *it = NULL;
    size_t count, mark;
    fisc_status rc = get_list(L, n, "instalments", 0, FISCP_AG_MAX_INSTALMENTS, &list, &count);

    if (rc != FISC_OK)
        return rc;
    if (list && count == 0)
        return fail_key(L, list, "instalments", FISC_ERANGE, "is empty: omit it for one payment of 100%%");
    t->ninstalments = list ? count : 1;
    if (!(t->instalments = alloc(L, t->ninstalments, sizeof(*t->instalments))))
        return nomem(L);
    if (!list) {
        fisc_decimal_set_int(&t->instalments[0].share, 1);
        t->instalments[0].clause = "";
        t->instalments[0].pos = t->pos;
        return FISC_OK;
    }
    mark = path_key(L, "instalments");
    for (size_t k = 0; (in = fy_node_sequence_iterate(list, &it)) != NULL; k++) {
        size_t m2 = path_index(L, k);

        if ((rc = read_instalment(L, in, &t->instalments[k], t->id, k)) != FISC_OK)
            return rc;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return check_shares(L, list, t);
}

/* ------------------------------------------------------------------ terms */

static const char *const TERM_KEYS[] = { "id", "clause", "title", "kind", "base", "rate", "amount", "amount_wan",
                                         "years", "cap_per_year", "cap_per_year_wan", "cap_total", "cap_total_wan",
                                         "release", "late_share", "instalments", "pay_on", "clawback", "legal_basis",
                                         NULL };

static const char *const KINDS[] = { [AGT_FIXED] = "fixed", [AGT_RATE] = "rate", [AGT_CONCESSION] = "concession" };

static fisc_status read_years(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    struct fy_node *y = get(n, "years");
    size_t mark;
    fisc_status rc;

    if (!y)
        return fail(L, n, FISC_EPARSE, "\"years\" is missing (give [first, last])");
    mark = path_key(L, "years");
    if (!fy_node_is_sequence(y) || fy_node_sequence_item_count(y) != 2)
        return fail(L, y, FISC_EPARSE, "must be a list [first, last] of two years");
    if ((rc = read_int(L, fy_node_sequence_get_by_index(y, 0), FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR, &t->first_year)) !=
            FISC_OK ||
        (rc = read_int(L, fy_node_sequence_get_by_index(y, 1), FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR, &t->last_year)) !=
            FISC_OK)
        return rc;
    if (t->last_year < t->first_year)
        return fail(L, y, FISC_EPARSE, "the last year %d is before the first %d", t->last_year, t->first_year);
    if (t->last_year - t->first_year + 1 > FISCP_AG_MAX_SPAN)
        return fail(L, y, FISC_ERANGE, "covers %d years; at most %d", t->last_year - t->first_year + 1,
                    FISCP_AG_MAX_SPAN);
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_kind(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    const char *kind, *base;
    fisc_status rc;
    int k;

    if ((rc = get_text(L, n, "kind", 1, &kind)) != FISC_OK)
        return rc;
    for (k = 0; k < 3 && strcmp(kind, KINDS[k]) != 0; k++)
        ;
    if (k == 3)
        return fail_key(L, get(n, "kind"), "kind", FISC_EPARSE, "\"%s\" is not fixed, rate or concession",
                        clip(L, kind));
    t->kind = (fiscp_ag_term_kind)k;
    t->base = -1;
    if (t->kind == AGT_FIXED) {
        static const char *const not_fixed[] = { "base", "rate", NULL };

        for (int j = 0; not_fixed[j]; j++)
            if (get(n, not_fixed[j]))
                return fail_key(L, get(n, not_fixed[j]), not_fixed[j], FISC_EPARSE, "a fixed term has no %s",
                                not_fixed[j]);
        return get_money(L, n, "amount", 1, 1, &t->amount, NULL);
    }
    if (get(n, "amount") || get(n, "amount_wan"))
        return fail_key(L, get(n, "amount") ? get(n, "amount") : get(n, "amount_wan"), "amount", FISC_EPARSE,
                        "only a fixed term has an amount");
    if ((rc = get_text(L, n, "base", 1, &base)) != FISC_OK)
        return rc;
    t->base = fiscp_ag_metric_find(base);
    if (t->base < 0) {
        const char *near = fiscp_ag_metric_suggest(base, strlen(base));

        return fail_key(L, get(n, "base"), "base", FISC_EPARSE, "unknown metric \"%s\"%s%s%s", clip(L, base),
                        near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
    }
    if (fiscp_ag_metrics[t->base].count)
        return fail_key(L, get(n, "base"), "base", FISC_EPARSE, "%s is a count: a rate of it is not money", base);
    if (t->kind == AGT_CONCESSION && t->base != AGM_RENT && t->base != AGM_LAND_PRICE)
        return fail_key(L, get(n, "base"), "base", FISC_EPARSE, "a concession's base is rent or land_price");
    return get_rate(L, n, "rate", 1, 1, &t->rate, NULL);
}

/* pay_on: "MM-DD", a day every year has (not 02-29); default 12-31. */
static fisc_status read_pay_on(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    const char *s;
    char day[16];
    fiscp_date d;
    fisc_status rc = get_text(L, n, "pay_on", 0, &s);

    t->pay_on = 1231;
    if (rc != FISC_OK || !s)
        return rc;
    snprintf(day, sizeof(day), "2001-%.5s", s);
    if (strlen(s) != 5 || !fiscp_date_parse(&d, day, strlen(day)))
        return fail_key(L, get(n, "pay_on"), "pay_on", FISC_EPARSE, "\"%s\" is not a day of every year MM-DD",
                        clip(L, s));
    t->pay_on = d % 10000;
    return FISC_OK;
}

static fisc_status read_legal_basis(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    static const char *const keys[] = { "document", "article", NULL };
    struct fy_node *b = get(n, "legal_basis");
    size_t mark;
    fisc_status rc;

    if (!b)
        return FISC_OK;
    mark = path_key(L, "legal_basis");
    t->legal_basis_pos = node_pos(L, b);
    if ((rc = check_keys(L, b, "legal_basis", keys)) == FISC_OK &&
        (rc = get_text(L, b, "document", 1, &t->legal_basis_document)) == FISC_OK)
        rc = get_opt(L, b, "article", &t->legal_basis_article);
    if (rc == FISC_OK)
        path_pop(L, mark);
    return rc;
}

/* A title made from the kind and base when the document gives none: "设备投资奖励" / "Equipment investment reward". */
static fisc_status default_title(loader *L, fiscp_ag_term *t)
{
    const char *zh = t->kind == AGT_CONCESSION ? "优惠" : "奖励", *en = t->kind == AGT_CONCESSION ? "concession" : "reward";

    if (t->kind == AGT_FIXED) {
        t->title_zh = "定额奖励";
        t->title_en = "Fixed reward";
        return FISC_OK;
    }
    t->title_zh = fiscp_arena_printf(&L->a->arena, "%s%s", fiscp_ag_metrics[t->base].label_zh, zh);
    t->title_en = fiscp_arena_printf(&L->a->arena, "%s %s", fiscp_ag_metrics[t->base].label_en, en);
    return t->title_zh && t->title_en ? FISC_OK : nomem(L);
}

static fisc_status read_term_money(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    fisc_status rc;

    if ((rc = get_money(L, n, "cap_per_year", 0, 1, &t->cap_year, &t->has_cap_year)) != FISC_OK ||
        (rc = get_money(L, n, "cap_total", 0, 1, &t->cap_total, &t->has_cap_total)) != FISC_OK)
        return rc;
    fisc_decimal_set_int(&t->late_share, 1);
    return get_rate(L, n, "late_share", 0, 0, &t->late_share, NULL);
}

static fisc_status read_term(loader *L, struct fy_node *n, fiscp_ag_term *t)
{
    char prefix[MAX_TERM_ID + 16];
    struct fy_node *cb;
    fisc_status rc;

    t->pos = node_pos(L, n);
    if ((rc = check_keys(L, n, "a term", TERM_KEYS)) != FISC_OK ||
        (rc = get_id(L, n, "id", 1, 1, MAX_TERM_ID, &t->id)) != FISC_OK ||
        (rc = get_text(L, n, "clause", 1, &t->clause)) != FISC_OK ||
        (rc = get_label(L, n, "title", 0, &t->title_zh, &t->title_en)) != FISC_OK ||
        (rc = read_kind(L, n, t)) != FISC_OK ||
        (rc = read_years(L, n, t)) != FISC_OK || (rc = read_term_money(L, n, t)) != FISC_OK)
        return rc;
    snprintf(prefix, sizeof(prefix), "%s.release", t->id);
    if ((rc = read_conds(L, n, "release", 0, LIST_RELEASE, prefix, &t->release)) != FISC_OK ||
        (rc = read_instalments(L, n, t)) != FISC_OK || (rc = read_pay_on(L, n, t)) != FISC_OK ||
        (rc = read_legal_basis(L, n, t)) != FISC_OK)
        return rc;
    if (!t->title_zh && (rc = default_title(L, t)) != FISC_OK)
        return rc;
    if ((cb = get(n, "clawback")) != NULL) {
        size_t mark = path_key(L, "clawback");
        fiscp_ag_clawback *own = NULL;

        snprintf(prefix, sizeof(prefix), "%s.clawback", t->id);
        rc = read_clawback(L, cb, prefix, &own);
        t->clawback = own;
        if (rc != FISC_OK)
            return rc;
        path_pop(L, mark);
    }
    return FISC_OK;
}

static fisc_status read_terms(loader *L, struct fy_node *root)
{
    fisc_agreement *a = L->a;
    struct fy_node *list, *n;
    void *it = NULL;
    size_t count, mark;
    fisc_status rc = get_list(L, root, "terms", 1, FISCP_AG_MAX_TERMS, &list, &count);

    if (rc != FISC_OK)
        return rc;
    if (!(a->terms = alloc(L, count, sizeof(*a->terms))))
        return nomem(L);
    mark = path_key(L, "terms");
    for (size_t i = 0; (n = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        size_t m2 = path_index(L, i);

        a->nterms = i + 1;
        if ((rc = read_term(L, n, &a->terms[i])) != FISC_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(a->terms[j].id, a->terms[i].id) == 0)
                return fail_key(L, get(n, "id"), "id", FISC_EPARSE, "two terms have the id \"%s\"", a->terms[i].id);
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

/* ------------------------------------------------------------------ combine, ceiling */

static const char *const MODES[] = { [AGX_ADDITIVE] = "additive", [AGX_HIGHER_OF] = "higher_of",
                                     [AGX_EXCLUSIVE] = "exclusive" };

static int term_index(const fisc_agreement *a, const char *id)
{
    for (size_t i = 0; i < a->nterms; i++)
        if (strcmp(a->terms[i].id, id) == 0)
            return (int)i;
    return -1;
}

static fisc_status read_combine_programs(loader *L, struct fy_node *n, fiscp_ag_combine *c)
{
    struct fy_node *list, *p;
    void *it = NULL;
    size_t count, mark;
    fisc_status rc = get_list(L, n, "programs", 1, FISCP_AG_MAX_PROGRAMS, &list, &count);

    if (rc != FISC_OK)
        return rc;
    if (!(c->programs = alloc(L, count, sizeof(*c->programs))))
        return nomem(L);
    mark = path_key(L, "programs");
    for (size_t i = 0; (p = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        size_t m2 = path_index(L, i);

        if ((rc = scalar(L, p, &c->programs[i])) != FISC_OK)
            return rc;
        if (!fiscp_program_lookup(c->programs[i]))
            return fail(L, p, FISC_EPARSE, "\"%s\" is not a program fisc knows", clip(L, c->programs[i]));
        c->nprograms = i + 1;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

/* The terms a rule names (all when it names none); a term may belong to one rule only. */
static fisc_status read_combine_terms(loader *L, struct fy_node *n, fiscp_ag_combine *c, int *owner, int rule)
{
    struct fy_node *list, *p;
    void *it = NULL;
    size_t count, mark;
    fisc_status rc = get_list(L, n, "terms", 0, FISCP_AG_MAX_TERMS, &list, &count);

    if (rc != FISC_OK)
        return rc;
    c->nterms = list && count ? count : L->a->nterms;
    if (!(c->terms = alloc(L, c->nterms, sizeof(*c->terms))))
        return nomem(L);
    mark = path_key(L, "terms");
    for (size_t i = 0; i < c->nterms; i++) {
        const char *id = L->a->terms[i].id;
        size_t m2 = path_index(L, i);

        p = list && count ? fy_node_sequence_iterate(list, &it) : n;
        if (list && count && (rc = scalar(L, p, &id)) != FISC_OK)
            return rc;
        if ((c->terms[i] = term_index(L->a, id)) < 0)
            return fail(L, p, FISC_EPARSE, "no term has the id \"%s\"", clip(L, id));
        if (owner[c->terms[i]] >= 0)
            return fail(L, p, FISC_EPARSE, "term \"%s\" is already combined by combine[%d]: a term belongs to one "
                                           "rule", id, owner[c->terms[i]]);
        owner[c->terms[i]] = rule;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_combine_rule(loader *L, struct fy_node *n, fiscp_ag_combine *c, int *owner, int rule)
{
    static const char *const keys[] = { "mode", "programs", "terms", "clause", NULL };
    const char *mode;
    fisc_status rc;
    int m;

    c->pos = node_pos(L, n);
    if ((rc = check_keys(L, n, "a combination rule", keys)) != FISC_OK ||
        (rc = get_text(L, n, "mode", 1, &mode)) != FISC_OK)
        return rc;
    for (m = 0; m < 3 && strcmp(mode, MODES[m]) != 0; m++)
        ;
    if (m == 3)
        return fail_key(L, get(n, "mode"), "mode", FISC_EPARSE, "\"%s\" is not additive, higher_of or exclusive",
                        clip(L, mode));
    c->mode = (fiscp_ag_combine_mode)m;
    if ((rc = read_combine_programs(L, n, c)) != FISC_OK || (rc = read_combine_terms(L, n, c, owner, rule)) != FISC_OK)
        return rc;
    return get_opt(L, n, "clause", &c->clause);
}

static fisc_status read_combine(loader *L, struct fy_node *root)
{
    fisc_agreement *a = L->a;
    struct fy_node *list, *n;
    void *it = NULL;
    int owner[FISCP_AG_MAX_TERMS];
    size_t count, mark;
    fisc_status rc = get_list(L, root, "combine", 0, FISCP_AG_MAX_COMBINE, &list, &count);

    if (rc != FISC_OK || !list || count == 0)
        return rc;
    for (size_t i = 0; i < FISCP_AG_MAX_TERMS; i++)
        owner[i] = -1;
    if (!(a->combine = alloc(L, count, sizeof(*a->combine))))
        return nomem(L);
    mark = path_key(L, "combine");
    for (size_t i = 0; (n = fy_node_sequence_iterate(list, &it)) != NULL; i++) {
        size_t m2 = path_index(L, i);

        a->ncombine = i + 1;
        if ((rc = read_combine_rule(L, n, &a->combine[i], owner, (int)i)) != FISC_OK)
            return rc;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_ceiling(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "amount", "amount_wan", "share_of_fixed_asset_investment", "clause", NULL };
    fisc_agreement *a = L->a;
    struct fy_node *n = get(root, "ceiling");
    size_t mark;
    fisc_status rc;

    if (!n)
        return FISC_OK;
    mark = path_key(L, "ceiling");
    a->ceiling_pos = node_pos(L, n);
    if ((rc = check_keys(L, n, "the ceiling", keys)) != FISC_OK ||
        (rc = get_money(L, n, "amount", 0, 1, &a->ceiling_amount, &a->has_ceiling_amount)) != FISC_OK ||
        (rc = get_rate(L, n, "share_of_fixed_asset_investment", 0, 1, &a->ceiling_share,
                       &a->has_ceiling_share)) != FISC_OK ||
        (rc = get_opt(L, n, "clause", &a->ceiling_clause)) != FISC_OK)
        return rc;
    if (!a->has_ceiling_amount && !a->has_ceiling_share)
        return fail(L, n, FISC_EPARSE,
                    "give \"amount\" (or \"amount_wan\"), \"share_of_fixed_asset_investment\" or both");
    path_pop(L, mark);
    return FISC_OK;
}

/* ------------------------------------------------------------------ parties, basis, header */

static fisc_status read_parties(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "enterprise", "government", NULL };
    static const char *const ekeys[] = { "name", "uscc", NULL };
    static const char *const gkeys[] = { "name", NULL };
    fisc_agreement *a = L->a;
    struct fy_node *p = get(root, "parties"), *e, *g;
    size_t mark;
    fisc_status rc;

    if (!p)
        return fail(L, root, FISC_EPARSE, "\"parties\" is missing");
    mark = path_key(L, "parties");
    if ((rc = check_keys(L, p, "parties", keys)) != FISC_OK)
        return rc;
    if (!(e = get(p, "enterprise")) || !(g = get(p, "government")))
        return fail(L, p, FISC_EPARSE, "\"%s\" is missing", e ? "government" : "enterprise");
    path_key(L, "enterprise");
    if ((rc = check_keys(L, e, "the enterprise", ekeys)) != FISC_OK ||
        (rc = get_text(L, e, "name", 1, &a->enterprise)) != FISC_OK ||
        (rc = get_text(L, e, "uscc", 1, &a->uscc)) != FISC_OK)
        return rc;
    a->pos_uscc = node_pos(L, get(e, "uscc"));
    path_pop(L, mark);
    path_key(L, "parties.government");
    if ((rc = check_keys(L, g, "the government", gkeys)) != FISC_OK ||
        (rc = get_text(L, g, "name", 1, &a->government)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_project(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "name", "location", NULL };
    struct fy_node *p = get(root, "project");
    size_t mark;
    fisc_status rc;

    if (!p)
        return fail(L, root, FISC_EPARSE, "\"project\" is missing");
    mark = path_key(L, "project");
    if ((rc = check_keys(L, p, "the project", keys)) != FISC_OK ||
        (rc = get_text(L, p, "name", 1, &L->a->project)) != FISC_OK ||
        (rc = get_opt(L, p, "location", &L->a->location)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    return FISC_OK;
}

/* value must be one of the policy's enumeration of the table param's first key. */
static fisc_status enum_value(loader *L, struct fy_node *at, const fisc_param *q, const char *value)
{
    const fiscp_enum *e = q->nkeys ? fiscp_policy_find_enum(L->a->policy, q->keys[0]) : NULL;
    const char *near;

    if (e && fiscp_enum_index(e, value) >= 0)
        return FISC_OK;
    near = e ? fiscp_closest(value, strlen(value), e->values, e->n) : NULL;
    return fail(L, at, FISC_EPARSE, "\"%s\" is not a value of the policy's enumeration %s%s%s%s", clip(L, value),
                e ? e->name : q->id, near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

static fisc_status read_approval(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "authority", "date", "document", NULL };
    fisc_agreement *a = L->a;
    struct fy_node *n = get(root, "approval");
    size_t mark;
    fisc_status rc;

    if (!n)
        return fail(L, root, FISC_EPARSE, "\"approval\" is missing");
    mark = path_key(L, "approval");
    if ((rc = check_keys(L, n, "approval", keys)) != FISC_OK ||
        (rc = get_text(L, n, "authority", 1, &a->authority)) != FISC_OK ||
        (rc = get_date(L, n, "date", 0, &a->approved_on)) != FISC_OK ||
        (rc = get_opt(L, n, "document", &a->approval_document)) != FISC_OK)
        return rc;
    a->pos_authority = node_pos(L, get(n, "authority"));
    path_key(L, "authority");
    if ((rc = enum_value(L, get(n, "authority"), a->params[AGP_APPROVAL_LIMIT], a->authority)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    return FISC_OK;
}

typedef enum { EV_RANK, EV_YEAR, EV_TEXT, EV_BOOL } evidence_type;

static const struct {
    const char *name;
    evidence_type type;
} EVIDENCE[] = {
    { "fortune_global_500_rank", EV_RANK }, { "china_500_rank", EV_RANK },
    { "list_year", EV_YEAR }, { "headquarters_city", EV_TEXT },
    { "strategic_emerging_industry_code", EV_TEXT }, { "located_in_high_tech_zone", EV_BOOL },
};

static fisc_status read_evidence_value(loader *L, struct fy_node *v, evidence_type type, fiscp_ag_evidence *e)
{
    int n;
    fisc_status rc;

    switch (type) {
    case EV_RANK:
        if ((rc = read_int(L, v, 1, MAX_RANK, &n)) != FISC_OK)
            return rc;
        break;
    case EV_YEAR:
        if ((rc = read_int(L, v, FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR, &n)) != FISC_OK)
            return rc;
        break;
    case EV_BOOL:
        if ((rc = scalar(L, v, &e->value)) != FISC_OK)
            return rc;
        if (strcmp(e->value, "yes") == 0 || strcmp(e->value, "true") == 0)
            e->value = "yes";
        else if (strcmp(e->value, "no") == 0 || strcmp(e->value, "false") == 0)
            e->value = "no";
        else
            return fail(L, v, FISC_EPARSE, "\"%s\" is not yes or no", clip(L, e->value));
        return FISC_OK;
    case EV_TEXT:
        break;
    }
    if ((rc = scalar(L, v, &e->value)) != FISC_OK)
        return rc;
    return e->value[0] ? FISC_OK : fail(L, v, FISC_EPARSE, "is empty");
}

static fisc_status read_evidence(loader *L, struct fy_node *basis)
{
    const char *names[FISCP_ARRAY_SIZE(EVIDENCE) + 1];
    fisc_agreement *a = L->a;
    struct fy_node *ev = get(basis, "evidence");
    struct fy_node_pair *pr;
    void *it = NULL;
    size_t mark;
    fisc_status rc;

    if (!ev)
        return FISC_OK;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(EVIDENCE); i++)
        names[i] = EVIDENCE[i].name;
    names[FISCP_ARRAY_SIZE(EVIDENCE)] = NULL;
    mark = path_key(L, "evidence");
    if ((rc = check_keys(L, ev, "the evidence", names)) != FISC_OK)
        return rc;
    if (!(a->evidence = alloc(L, FISCP_ARRAY_SIZE(EVIDENCE), sizeof(*a->evidence))))
        return nomem(L);
    while ((pr = fy_node_mapping_iterate(ev, &it)) != NULL) {
        fiscp_ag_evidence *e = &a->evidence[a->nevidence++];
        struct fy_node *v = fy_node_pair_value(pr);
        size_t m2;

        if ((rc = scalar(L, fy_node_pair_key(pr), &e->name)) != FISC_OK)
            return rc;
        m2 = path_key(L, e->name);
        e->pos = node_pos(L, v);
        if ((rc = read_evidence_value(L, v, EVIDENCE[key_index(e->name, names)].type, e)) != FISC_OK)
            return rc;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_basis(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "category", "clause", "evidence", NULL };
    fisc_agreement *a = L->a;
    struct fy_node *n = get(root, "basis");
    size_t mark;
    fisc_status rc;

    if (!n)
        return fail(L, root, FISC_EPARSE, "\"basis\" is missing");
    mark = path_key(L, "basis");
    if ((rc = check_keys(L, n, "the basis", keys)) != FISC_OK ||
        (rc = get_text(L, n, "category", 1, &a->category)) != FISC_OK ||
        (rc = get_opt(L, n, "clause", &a->basis_clause)) != FISC_OK)
        return rc;
    a->pos_category = node_pos(L, get(n, "category"));
    path_key(L, "category");
    if ((rc = enum_value(L, get(n, "category"), a->params[AGP_CATEGORY], a->category)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    path_key(L, "basis");
    if ((rc = read_evidence(L, n)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    return FISC_OK;
}

static const char *const ROUND_MODES[] = { "half_up", "half_even", "half_down", "down", "up", "ceiling", "floor" };

static fisc_status read_rounding(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "mode", "unit", NULL };
    fisc_agreement *a = L->a;
    struct fy_node *r = get(root, "rounding");
    const char *mode;
    size_t mark;
    fisc_status rc;
    int m;

    a->rounding = FISC_ROUND_HALF_UP;
    a->rounding_name = ROUND_MODES[0];
    fiscp_decimal_set_scaled(&a->rounding_unit, 1, 2);
    if (!r)
        return FISC_OK;
    mark = path_key(L, "rounding");
    if ((rc = check_keys(L, r, "rounding", keys)) != FISC_OK || (rc = get_text(L, r, "mode", 1, &mode)) != FISC_OK)
        return rc;
    for (m = 0; m < 7 && strcmp(mode, ROUND_MODES[m]) != 0; m++)
        ;
    if (m == 7)
        return fail_key(L, get(r, "mode"), "mode", FISC_EPARSE, "unknown rounding mode \"%s\"", clip(L, mode));
    a->rounding = (fisc_round)m;
    a->rounding_name = ROUND_MODES[m];
    if (!get(r, "unit"))
        return fail(L, r, FISC_EPARSE, "\"unit\" is missing");
    path_key(L, "unit");
    if ((rc = read_decimal(L, get(r, "unit"), 0, &a->rounding_unit)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(&a->rounding_unit) <= 0)
        return fail(L, get(r, "unit"), FISC_EPARSE, "the rounding unit must be above 0");
    path_pop(L, mark);
    return FISC_OK;
}

static const char *const TOP_KEYS[] = { "fisc_agreement", "id", "number", "title", "parties", "project", "signed",
                                        "approval", "basis", "rounding", "plan", "terms", "combine", "ceiling",
                                        "clawback", NULL };

static fisc_status read_header(loader *L, struct fy_node *root)
{
    fisc_agreement *a = L->a;
    const char *version;
    fisc_status rc;

    if ((rc = check_keys(L, root, "an agreement", TOP_KEYS)) != FISC_OK ||
        (rc = get_text(L, root, "fisc_agreement", 1, &version)) != FISC_OK)
        return rc;
    if (strcmp(version, "1") != 0)
        return fail_key(L, get(root, "fisc_agreement"), "fisc_agreement", FISC_EPARSE, "format version %s is not 1",
                        clip(L, version));
    if ((rc = get_id(L, root, "id", 1, 0, MAX_ID, &a->id)) != FISC_OK ||
        (rc = get_opt(L, root, "number", &a->number)) != FISC_OK ||
        (rc = get_label(L, root, "title", 1, &a->title_zh, &a->title_en)) != FISC_OK)
        return rc;
    if ((rc = get_date(L, root, "signed", 1, &a->signed_on)) != FISC_OK)
        return rc;
    a->pos_signed = node_pos(L, get(root, "signed"));
    return FISC_OK;
}

/* ------------------------------------------------------------------ years, plan, confs */

static int max_after(const fiscp_ag_term *t)
{
    int m = 0;

    for (size_t k = 0; k < t->ninstalments; k++)
        if (t->instalments[k].after > m)
            m = t->instalments[k].after;
    return m;
}

/* The latest year a list of conditions names (a metric's deadline, an event's date), or 0. */
static int conds_last_year(const fiscp_ag_conds *cs)
{
    int y = 0;

    for (size_t i = 0; cs && i < cs->n; i++) {
        const fiscp_ag_cond *c = &cs->v[i];
        int cy = c->kind == AGC_METRIC ? c->by_year : c->date / 10000;

        if (cy > y)
            y = cy;
    }
    return y;
}

/*
 * first_year: the earliest year a term covers. last_year: the latest of each term's last covered
 * year (or its release deadline, when later) plus its longest instalment delay, and of the
 * clawback commitments' deadlines; clamped to first_year + FISCP_AG_MAX_SPAN - 1 and 2100.
 */
static fisc_status span_years(loader *L, struct fy_node *root)
{
    fisc_agreement *a = L->a;
    int first = FISCP_AG_MAX_YEAR, last_cover = 0, last = 0;

    for (size_t i = 0; i < a->nterms; i++) {
        const fiscp_ag_term *t = &a->terms[i];
        int release = t->last_year > conds_last_year(&t->release) ? t->last_year : conds_last_year(&t->release);
        int y = release + max_after(t), c = t->clawback ? conds_last_year(&t->clawback->conds) : 0;

        first = t->first_year < first ? t->first_year : first;
        last_cover = t->last_year > last_cover ? t->last_year : last_cover;
        last = y > last ? y : last;
        last = c > last ? c : last;
    }
    if (a->package_clawback && conds_last_year(&a->package_clawback->conds) > last)
        last = conds_last_year(&a->package_clawback->conds);
    if (last_cover - first + 1 > FISCP_AG_MAX_SPAN)
        return fail_key(L, get(root, "terms"), "terms", FISC_ERANGE, "the terms cover %d..%d, %d years; at most %d",
                        first, last_cover, last_cover - first + 1, FISCP_AG_MAX_SPAN);
    if (last > first + FISCP_AG_MAX_SPAN - 1)
        last = first + FISCP_AG_MAX_SPAN - 1;
    a->first_year = first;
    a->last_year = last > FISCP_AG_MAX_YEAR ? FISCP_AG_MAX_YEAR : last;
    return FISC_OK;
}

static fisc_status read_plan_year(loader *L, struct fy_node *map, int year)
{
    fisc_agreement *a = L->a;
    size_t row = (size_t)(year - a->first_year);
    struct fy_node_pair *pr;
    void *it = NULL;
    fisc_status rc;

    if (!fy_node_is_mapping(map))
        return fail(L, map, FISC_EPARSE, "must be a mapping of metrics to figures");
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pr);
        const char *name;
        size_t len;
        int m;

        if ((rc = scalar(L, k, &name)) != FISC_OK)
            return rc;
        len = strlen(name);
        m = fiscp_ag_metric_find(name);
        if (m < 0 && len > 4 && strcmp(name + len - 4, "_wan") == 0) {
            char base[64];

            snprintf(base, sizeof(base), "%.*s", (int)(len - 4), name);
            m = fiscp_ag_metric_find(base);
            if (m >= 0 && fiscp_ag_metrics[m].count)
                return fail(L, k, FISC_EPARSE, "%s is a count, not money", base);
            name = m >= 0 ? fiscp_ag_metrics[m].name : name;
        }
        if (m < 0) {
            const char *near = fiscp_ag_metric_suggest(name, len);

            return fail(L, k, FISC_EPARSE, "unknown metric \"%s\"%s%s%s", clip(L, name),
                        near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
        }
        if (a->plan_set[row][m])
            return fail(L, k, FISC_EPARSE, "%s is given twice", name);
        a->plan_set[row][m] = 1;
        if ((rc = get_money(L, map, name, 1, 0, &a->plan[row][m], NULL)) != FISC_OK)
            return rc;
        if (fiscp_ag_metrics[m].count && !fisc_decimal_is_integer(&a->plan[row][m]))
            return fail_key(L, fy_node_pair_value(pr), name, FISC_EPARSE, "%s is a count: give a whole number", name);
    }
    return FISC_OK;
}

static fisc_status read_plan(loader *L, struct fy_node *root)
{
    fisc_agreement *a = L->a;
    size_t nyears = (size_t)(a->last_year - a->first_year + 1), mark;
    struct fy_node *plan = get(root, "plan");
    struct fy_node_pair *pr;
    unsigned char seen[FISCP_AG_MAX_YEAR - FISCP_AG_MIN_YEAR + 1] = { 0 };
    void *it = NULL;
    fisc_status rc;

    a->plan = alloc(L, nyears, sizeof(*a->plan));
    a->plan_set = alloc(L, nyears, sizeof(*a->plan_set));
    if (!a->plan || !a->plan_set)
        return nomem(L);
    if (!plan)
        return FISC_OK;
    mark = path_key(L, "plan");
    if (!fy_node_is_mapping(plan))
        return fail(L, plan, FISC_EPARSE, "must be a mapping of years to figures");
    while ((pr = fy_node_mapping_iterate(plan, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pr);
        const char *ytext;
        int year;
        size_t m2;

        if ((rc = read_int(L, k, FISCP_AG_MIN_YEAR, FISCP_AG_MAX_YEAR, &year)) != FISC_OK ||
            (rc = scalar(L, k, &ytext)) != FISC_OK)
            return rc;
        if (year < a->first_year || year > a->last_year)
            return fail(L, k, FISC_EPARSE, "%d is outside the agreement's years %d..%d", year, a->first_year,
                        a->last_year);
        if (seen[year - FISCP_AG_MIN_YEAR]++)
            return fail(L, k, FISC_EPARSE, "duplicate key \"%s\" in the plan", ytext);
        m2 = path_key(L, ytext);
        if ((rc = read_plan_year(L, fy_node_pair_value(pr), year)) != FISC_OK)
            return rc;
        path_pop(L, m2);
    }
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status make_conf(loader *L, fiscp_program_conf *c, const char *id, const char *zh, const char *en)
{
    fisc_agreement *a = L->a;

    c->id = id;
    c->program = NULL;
    c->params = NULL;
    c->title_zh = zh;
    c->title_en = en;
    c->rounding = a->rounding;
    c->rounding_name = a->rounding_name;
    c->layer = "agreement";
    c->kept = NULL; /* no program reads an agreement's amounts */
    c->nkept = 0;
    return fisc_decimal_set(&c->unit, &a->rounding_unit, L->src.err) == FISC_OK ? FISC_OK : nomem(L);
}

/* Program ids "ID/TERM", the confs, and each term's clawback (its own, else the package's). */
static fisc_status finish_terms(loader *L)
{
    fisc_agreement *a = L->a;
    fisc_status rc = make_conf(L, &a->package_conf, a->id, a->title_zh, a->title_en);

    if (!a->ceiling_clause)
        a->ceiling_clause = "";
    for (size_t i = 0; rc == FISC_OK && i < a->nterms; i++) {
        fiscp_ag_term *t = &a->terms[i];

        if (!(t->program_id = fiscp_arena_printf(&a->arena, "%s/%s", a->id, t->id)))
            return nomem(L);
        if (!t->clawback)
            t->clawback = a->package_clawback;
        if (!t->legal_basis_article)
            t->legal_basis_article = "";
        rc = make_conf(L, &t->conf, t->program_id, t->title_zh, t->title_en);
    }
    return rc;
}

/* ------------------------------------------------------------------ the document */

static fisc_status read_package_clawback(loader *L, struct fy_node *root)
{
    struct fy_node *n = get(root, "clawback");
    size_t mark;
    fisc_status rc;

    if (!n)
        return FISC_OK;
    mark = path_key(L, "clawback");
    if ((rc = read_clawback(L, n, "clawback", &L->a->package_clawback)) != FISC_OK)
        return rc;
    path_pop(L, mark);
    return FISC_OK;
}

static fisc_status read_document(loader *L, struct fy_node *root)
{
    fisc_status rc;

    if (!root || !fy_node_is_mapping(root))
        return fiscp_error_set_pos(L->src.err, FISC_EPARSE, L->src.file, 1, 1,
                                   "an agreement document is a YAML mapping");
    if ((rc = read_header(L, root)) != FISC_OK || (rc = read_parties(L, root)) != FISC_OK ||
        (rc = read_project(L, root)) != FISC_OK || (rc = read_approval(L, root)) != FISC_OK ||
        (rc = read_basis(L, root)) != FISC_OK || (rc = read_rounding(L, root)) != FISC_OK ||
        (rc = read_terms(L, root)) != FISC_OK || (rc = read_combine(L, root)) != FISC_OK ||
        (rc = read_ceiling(L, root)) != FISC_OK || (rc = read_package_clawback(L, root)) != FISC_OK ||
        (rc = span_years(L, root)) != FISC_OK || (rc = read_plan(L, root)) != FISC_OK)
        return rc;
    return finish_terms(L);
}

static fisc_status read_root(struct fy_node *root, void *payload)
{
    return read_document(payload, root);
}

static fisc_status parse_text(loader *L)
{
    /* duplicate keys are found by check_keys() in linear time */
    static const fiscp_yaml_opts opts = { "agreements", 1, "the document could not be parsed",
                                          "an agreement document is a YAML mapping" };

    return fiscp_yaml_parse(&L->src, &opts, read_root, L);
}

/* ------------------------------------------------------------------ lifetime */

static void clear_conds(fiscp_ag_conds *cs)
{
    for (size_t i = 0; i < cs->n; i++)
        fisc_decimal_clear(&cs->v[i].threshold);
}

static void clear_clawback(fiscp_ag_clawback *cb)
{
    if (!cb)
        return;
    clear_conds(&cb->conds);
    fisc_decimal_clear(&cb->share);
    fisc_decimal_clear(&cb->interest_rate);
}

static void clear_term(fiscp_ag_term *t, const fiscp_ag_clawback *package)
{
    fisc_decimal *d[] = { &t->amount, &t->rate, &t->cap_year, &t->cap_total, &t->late_share, &t->conf.unit };

    for (size_t k = 0; k < FISCP_ARRAY_SIZE(d); k++)
        fisc_decimal_clear(d[k]);
    clear_conds(&t->release);
    for (size_t k = 0; t->instalments && k < t->ninstalments; k++) {
        fisc_decimal_clear(&t->instalments[k].share);
        clear_conds(&t->instalments[k].conds);
    }
    if (t->clawback != package)
        clear_clawback((fiscp_ag_clawback *)t->clawback);
}

/* Release every value that may hold memory outside the arena (a decimal too large or not terminating). */
static void destroy(fisc_agreement *a)
{
    for (size_t i = 0; a->terms && i < a->nterms; i++)
        clear_term(&a->terms[i], a->package_clawback);
    clear_clawback(a->package_clawback);
    fisc_decimal_clear(&a->ceiling_amount);
    fisc_decimal_clear(&a->ceiling_share);
    fisc_decimal_clear(&a->rounding_unit);
    fisc_decimal_clear(&a->package_conf.unit);
    for (int y = 0; a->plan && y <= a->last_year - a->first_year; y++)
        for (int m = 0; m < AGM_COUNT; m++)
            fisc_decimal_clear(&a->plan[y][m]);
    fiscp_free(a->findings);
    fiscp_policy_unref(a->policy);
    fiscp_arena_clear(&a->arena);
    fiscp_free(a);
}

void fiscp_agreement_ref(const fisc_agreement *a)
{
    atomic_fetch_add(&((fisc_agreement *)a)->refs, 1);
}

void fiscp_agreement_unref(const fisc_agreement *ca)
{
    fisc_agreement *a = (fisc_agreement *)ca;

    if (a && atomic_fetch_sub(&a->refs, 1) == 1)
        destroy(a);
}

void fisc_agreement_free(fisc_agreement *a)
{
    fiscp_agreement_unref(a);
}

/* ------------------------------------------------------------------ loading */

static fisc_status new_agreement(fisc_agreement **out, const fisc_policy *policy, const char *name, const char *text,
                                 size_t len, fisc_error *err)
{
    fisc_agreement *a = fiscp_calloc(1, sizeof(*a));
    fiscp_sha256 h;

    *out = a;
    if (!a)
        return fiscp_error_nomem(err);
    atomic_init(&a->refs, 1);
    fiscp_arena_init(&a->arena);
    fiscp_policy_ref(policy);
    a->policy = policy;
    a->first_year = a->last_year = 0;
    fiscp_sha256_init(&h);
    fiscp_sha256_update(&h, text, len);
    fiscp_sha256_hex(&h, a->hash);
    if (!(a->source = fiscp_arena_strdup(&a->arena, name)))
        return fiscp_error_nomem(err);
    return FISC_OK;
}

fisc_status fisc_agreement_load_string(fisc_agreement **out, const fisc_policy *policy, const char *name,
                                       const char *text, size_t len, fisc_error *err)
{
    fisc_agreement *a = NULL;
    loader L;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !policy || (!text && len))
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_load_string: NULL argument");
    *out = NULL;
    if (!name)
        name = "agreement";
    if (len > MAX_DOC_BYTES)
        return fiscp_error_set_pos(err, FISC_ERANGE, name, -1, -1, "the agreement is %zu bytes; at most %zu are read",
                                   len, MAX_DOC_BYTES);
    rc = new_agreement(&a, policy, name, text ? text : "", len, err);
    memset(&L, 0, sizeof(L));
    L.a = a;
    L.src.file = name;
    L.src.text = text ? text : "";
    L.src.len = len;
    L.src.err = err;
    if (rc == FISC_OK)
        rc = fiscp_agreement_resolve(a, err);
    if (rc == FISC_OK)
        rc = parse_text(&L);
    if (rc == FISC_OK)
        rc = fiscp_agreement_check(a, err);
    if (rc == FISC_OK)
        rc = fiscp_agreement_prepare_cites(a, err);
    if (rc != FISC_OK) {
        if (a)
            destroy(a);
        return rc;
    }
    *out = a;
    return FISC_OK;
}

fisc_status fisc_agreement_load(fisc_agreement **out, const fisc_policy *policy, const char *path, fisc_error *err)
{
    char *text = NULL;
    size_t len = 0;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !policy || !path)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_load: NULL argument");
    *out = NULL;
    if ((rc = fiscp_read_file(&text, &len, path, MAX_DOC_BYTES, err)) != FISC_OK)
        return rc;
    rc = fisc_agreement_load_string(out, policy, path, text, len, err);
    fiscp_free(text);
    return rc;
}

/* ------------------------------------------------------------------ accessors */

const char *fisc_agreement_id(const fisc_agreement *a)
{
    return a ? a->id : NULL;
}

const char *fisc_agreement_title(const fisc_agreement *a, const char *lang)
{
    if (!a)
        return NULL;
    return lang && strcmp(lang, "en") == 0 ? a->title_en : a->title_zh;
}

const char *fisc_agreement_hash(const fisc_agreement *a)
{
    return a ? a->hash : NULL;
}

int fisc_agreement_first_year(const fisc_agreement *a)
{
    return a ? a->first_year : 0;
}

int fisc_agreement_last_year(const fisc_agreement *a)
{
    return a ? a->last_year : 0;
}

size_t fisc_agreement_finding_count(const fisc_agreement *a)
{
    return a ? a->nfindings : 0;
}

const fisc_finding *fisc_agreement_finding(const fisc_agreement *a, size_t i)
{
    return a && i < a->nfindings ? &a->findings[i] : NULL;
}

size_t fisc_agreement_error_count(const fisc_agreement *a)
{
    return a ? a->nerrors : 0;
}
