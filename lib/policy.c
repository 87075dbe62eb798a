/*
 * Policy files: YAML layers and an overlay, read with libfyaml into immutable structures.
 *
 * docs/policy-format.md is the reference for the format. The loader is strict: unknown and
 * duplicate keys, missing citations, dates out of order or overlapping, values that do not fit
 * their unit, unparsable numbers and float-typed (unquoted decimal) numbers are errors with the
 * file, line, column and parameter id. Numbers are read from the scalar text by fisc's own
 * parser, never through a double.
 */
#include <stdatomic.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "engine.h"
#include "policy.h"
#include "sha256.h"
#include "yaml_read.h"

#define MAX_FILE_BYTES (4u << 20)
#define OPEN_END 99991231

typedef struct loader {
    fisc_policy *p;
    const char *file;
    fisc_error *err;
    fisc_layer_info *layer;
    int overlay;
    const char *param_id;     /* the parameter being read, for messages */
} loader;

/* ------------------------------------------------------------------ errors and positions */

static fisc_status fail(loader *L, struct fy_node *at, fisc_status code, const char *fmt, ...)
    FISCP_PRINTF(4, 5);

static fisc_status fail(loader *L, struct fy_node *at, fisc_status code, const char *fmt, ...)
{
    char text[FISC_ERROR_TEXT_SIZE];
    va_list ap;
    int line, col;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fiscp_yaml_node_pos(NULL, at, &line, &col); /* an empty value: at its key */
    if (L->param_id)
        return fiscp_error_set_pos(L->err, code, L->file, line, col, "parameter \"%s\": %s", L->param_id, text);
    return fiscp_error_set_pos(L->err, code, L->file, line, col, "%s", text);
}

static fisc_status nomem(loader *L)
{
    return fiscp_error_nomem(L->err);
}

/* Make room for one more element in a growing array (doubling; first size 8). */
#define RESERVE(L, arr, n, alloc)                                                 \
    do {                                                                          \
        if ((n) == (alloc)) {                                                     \
            size_t want_ = (alloc) ? (alloc) * 2 : 8;                             \
            void *grown_ = fiscp_realloc_array((arr), want_, sizeof(*(arr)));     \
                                                                                  \
            if (!grown_)                                                          \
                return nomem(L);                                                  \
            (arr) = grown_;                                                       \
            (alloc) = want_;                                                      \
        }                                                                         \
    } while (0)

/* ------------------------------------------------------------------ YAML helpers */

/* The scalar text of n (NUL-terminated copy in the arena), or NULL if n is not a scalar. */
static const char *text_of(loader *L, struct fy_node *n)
{
    size_t len;
    const char *s;

    if (!n || !fy_node_is_scalar(n) || fy_node_is_alias(n))
        return NULL;
    s = fy_node_get_scalar(n, &len);
    return s ? fiscp_arena_strndup(&L->p->arena, s, len) : NULL;
}

static int key_in(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(key, *allowed) == 0)
            return 1;
    return 0;
}

/* Every key of map must be a scalar in allowed. */
static fisc_status check_keys(loader *L, struct fy_node *map, const char *what, const char *const *allowed)
{
    void *it = NULL;
    struct fy_node_pair *pr;

    if (!fy_node_is_mapping(map))
        return fail(L, map, FISC_EPARSE, "%s must be a mapping", what);
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pr);
        const char *key = text_of(L, k);

        if (!key)
            return fail(L, k, FISC_EPARSE, "keys in %s must be plain text", what);
        if (!key_in(key, allowed))
            return fail(L, k, FISC_EPARSE, "unknown key \"%s\" in %s", key, what);
    }
    return FISC_OK;
}

/* The value of key in map, or NULL (a short name for the many lookups below). */
#define get(map, key) fiscp_yaml_get((map), (key))

/* A required (or optional, with required = 0) scalar; *out NULL when absent and optional. */
static fisc_status get_text(loader *L, struct fy_node *map, const char *key, int required, const char **out)
{
    struct fy_node *n = get(map, key);

    *out = NULL;
    if (!n) {
        if (required)
            return fail(L, map, FISC_EPARSE, "\"%s\" is missing", key);
        return FISC_OK;
    }
    if (!(*out = text_of(L, n)))
        return fy_node_is_scalar(n) && !fy_node_is_alias(n) ? nomem(L)
                                                            : fail(L, n, FISC_EPARSE, "\"%s\" must be text", key);
    if (required && (*out)[0] == '\0')
        return fail(L, n, FISC_EPARSE, "\"%s\" is empty", key);
    return FISC_OK;
}

/* {zh: ..., en: ...}, both required. */
static fisc_status get_label(loader *L, struct fy_node *map, const char *key, const char **zh, const char **en)
{
    static const char *const keys[] = { "zh", "en", NULL };
    struct fy_node *n = get(map, key);
    fisc_status rc;

    if (!n)
        return fail(L, map, FISC_EPARSE, "\"%s\" is missing (give {zh: ..., en: ...})", key);
    if ((rc = check_keys(L, n, key, keys)) != FISC_OK || (rc = get_text(L, n, "zh", 1, zh)) != FISC_OK)
        return rc;
    return get_text(L, n, "en", 1, en);
}

static fisc_status get_date(loader *L, struct fy_node *map, const char *key, int required, fiscp_date *out)
{
    const char *s;
    fisc_status rc = get_text(L, map, key, required, &s);

    if (rc != FISC_OK || !s)
        return rc;
    if (!fiscp_date_parse(out, s, strlen(s)))
        return fail(L, get(map, key), FISC_EPARSE, "\"%s\" is not a date (YYYY-MM-DD): \"%s\"", key, s);
    return FISC_OK;
}

/* ------------------------------------------------------------------ units and values */

static const struct {
    const char *name;
    fiscp_unit unit;
} UNITS[] = {
    { "元", UNIT_YUAN }, { "万元", UNIT_WAN }, { "rate", UNIT_RATE }, { "百分点", UNIT_POINTS },
    { "days", UNIT_DAYS }, { "count", UNIT_COUNT }, { "year", UNIT_YEARS }, { "yes/no", UNIT_BOOL },
};

static fisc_status parse_unit(loader *L, struct fy_node *at, const char *name, fiscp_unit *out)
{
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(UNITS); i++)
        if (strcmp(name, UNITS[i].name) == 0) {
            *out = UNITS[i].unit;
            return FISC_OK;
        }
    if (strncmp(name, "enum:", 5) == 0) {
        *out = UNIT_ENUM;
        return FISC_OK;
    }
    return fail(L, at, FISC_EPARSE,
                "unknown unit \"%s\" (元, 万元, rate, 百分点, days, count, year, yes/no or enum:NAME)", name);
}

const fiscp_enum *fiscp_policy_find_enum(const fisc_policy *p, const char *name)
{
    for (size_t i = 0; i < p->nenums; i++)
        if (strcmp(p->enums[i].name, name) == 0)
            return &p->enums[i];
    return NULL;
}

int fiscp_enum_index(const fiscp_enum *e, const char *v)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->values[i], v) == 0)
            return (int)i;
    return -1;
}

/*
 * Read a value node for a unit into out (exact) and its text into *text. A float-typed plain
 * scalar (0.25 without quotes) is refused: YAML would read it as a binary float elsewhere.
 */
static fisc_status read_value(loader *L, struct fy_node *n, fiscp_unit unit, const char *unit_name,
                              fisc_decimal *out, const char **text)
{
    const char *s = text_of(L, n);
    fisc_error perr = FISC_ERROR_INIT;
    unsigned flags = unit == UNIT_RATE ? FISC_PARSE_RATE : FISC_PARSE_PLAIN;

    if (!s)
        return fail(L, n, FISC_EPARSE, "a value must be a scalar");
    *text = s;
    if (unit == UNIT_BOOL) {
        int yes = strcmp(s, "yes") == 0 || strcmp(s, "true") == 0;

        if (!yes && strcmp(s, "no") != 0 && strcmp(s, "false") != 0)
            return fail(L, n, FISC_EPARSE, "\"%s\" is not yes or no", s);
        fisc_decimal_set_int(out, yes);
        return FISC_OK;
    }
    if (unit == UNIT_ENUM) {
        const fiscp_enum *e = fiscp_policy_find_enum(L->p, unit_name + 5);
        int i = e ? fiscp_enum_index(e, s) : -1;

        if (i < 0)
            return fail(L, n, FISC_EPARSE, "\"%s\" is not a value of enumeration %s", s, unit_name + 5);
        fisc_decimal_set_int(out, i);
        return FISC_OK;
    }
    if (fy_node_get_style(n) == FYNS_PLAIN && fiscp_yaml_looks_float(s))
        return fail(L, n, FISC_EPARSE,
                    "float-typed number %s: write it as a string (\"%s\") so that it is read exactly", s, s);
    if (unit != UNIT_RATE && strpbrk(s, "%/"))
        return fail(L, n, FISC_EPARSE, "unit mismatch: \"%s\" is a rate, but the unit is %s", s, unit_name);
    if (fisc_decimal_parse(out, s, flags, &perr) != FISC_OK)
        return fail(L, n, FISC_EPARSE, "%s", perr.text);
    if ((unit == UNIT_DAYS || unit == UNIT_COUNT || unit == UNIT_YEARS) && !fisc_decimal_is_integer(out))
        return fail(L, n, FISC_EPARSE, "unit mismatch: %s must be a whole number of %s", s, unit_name);
    return FISC_OK;
}

/* ------------------------------------------------------------------ entries */

static const struct {
    const char *name;
    fisc_evidence evidence;
} EVIDENCE[] = {
    { "confirmed", FISC_EVIDENCE_CONFIRMED },
    { "unconfirmed", FISC_EVIDENCE_UNCONFIRMED },
    { "placeholder", FISC_EVIDENCE_PLACEHOLDER },
};

static fisc_status read_citation(loader *L, struct fy_node *entry, fiscp_entry *e)
{
    static const char *const keys[] = { "document", "article", "url", NULL };
    struct fy_node *c = get(entry, "citation");
    fisc_status rc;

    if (!c)
        return fail(L, entry, FISC_EPARSE, "the value has no citation (give citation: {document, article, url})");
    if ((rc = check_keys(L, c, "citation", keys)) != FISC_OK ||
        (rc = get_text(L, c, "document", 1, &e->pub.document)) != FISC_OK ||
        (rc = get_text(L, c, "article", 0, &e->pub.article)) != FISC_OK ||
        (rc = get_text(L, c, "url", 0, &e->pub.url)) != FISC_OK)
        return rc;
    if (!e->pub.article)
        e->pub.article = "";
    if (!e->pub.url)
        e->pub.url = "";
    return FISC_OK;
}

static fisc_status read_status(loader *L, struct fy_node *entry, fiscp_entry *e)
{
    const char *s;
    fisc_status rc = get_text(L, entry, "status", 1, &s);

    if (rc != FISC_OK)
        return rc;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(EVIDENCE); i++)
        if (strcmp(s, EVIDENCE[i].name) == 0) {
            e->pub.evidence = EVIDENCE[i].evidence;
            return FISC_OK;
        }
    return fail(L, get(entry, "status"), FISC_EPARSE, "status \"%s\" is not confirmed, unconfirmed or placeholder", s);
}

static fisc_status read_brackets(loader *L, struct fy_node *list, const fisc_param *q, fiscp_entry *e)
{
    static const char *const keys[] = { "up_to", "rate", NULL };
    fiscp_unit basis = UNIT_YUAN;
    size_t n = fy_node_sequence_item_count(list), k = 0;
    void *it = NULL;
    struct fy_node *b;
    char *summary;
    fisc_status rc;

    if (!fy_node_is_sequence(list) || n == 0)
        return fail(L, list, FISC_EPARSE, "brackets must be a non-empty list");
    if ((rc = parse_unit(L, list, q->basis, &basis)) != FISC_OK)
        return rc;
    e->brackets = fiscp_arena_alloc(&L->p->arena, n * sizeof(*e->brackets));
    summary = fiscp_arena_alloc(&L->p->arena, 64 * n + 1);
    if (!e->brackets || !summary)
        return nomem(L);
    while ((b = fy_node_sequence_iterate(list, &it)) != NULL) {
        fiscp_bracket *br = &e->brackets[k];
        struct fy_node *up = NULL;
        const char *up_text = NULL, *rate_text = NULL;

        fisc_decimal_init(&br->up_to);
        fisc_decimal_init(&br->rate);
        e->nbrackets = ++k;
        if ((rc = check_keys(L, b, "a bracket", keys)) != FISC_OK)
            return rc;
        if (!get(b, "rate"))
            return fail(L, b, FISC_EPARSE, "a bracket needs a rate");
        if ((rc = read_value(L, get(b, "rate"), UNIT_RATE, "rate", &br->rate, &rate_text)) != FISC_OK)
            return rc;
        up = get(b, "up_to");
        br->open = up == NULL;
        if (br->open && k != n)
            return fail(L, b, FISC_EPARSE, "only the last bracket may omit up_to");
        if (up && (rc = read_value(L, up, basis, q->basis, &br->up_to, &up_text)) != FISC_OK)
            return rc;
        if (up && k > 1 && fisc_decimal_cmp(&br->up_to, &e->brackets[k - 2].up_to) <= 0)
            return fail(L, up, FISC_EPARSE, "bracket bounds must increase");
        snprintf(summary + strlen(summary), 64, "%s%s%.24s: %.16s", k > 1 ? "; " : "", up ? "≤" : "above ",
                 up ? up_text : "", rate_text);
    }
    e->pub.value = summary;
    return FISC_OK;
}

static fisc_status read_rows(loader *L, struct fy_node *list, const fisc_param *q, fiscp_entry *e)
{
    size_t n = fy_node_sequence_item_count(list), k = 0;
    void *it = NULL;
    struct fy_node *row;
    const char **allowed;
    fisc_status rc;

    if (!fy_node_is_sequence(list) || n == 0)
        return fail(L, list, FISC_EPARSE, "rows must be a non-empty list");
    allowed = fiscp_arena_alloc(&L->p->arena, (q->nkeys + 2) * sizeof(*allowed));
    e->rows = fiscp_arena_alloc(&L->p->arena, n * sizeof(*e->rows));
    if (!allowed || !e->rows)
        return nomem(L);
    memcpy(allowed, q->keys, q->nkeys * sizeof(*allowed));
    allowed[q->nkeys] = "value";
    while ((row = fy_node_sequence_iterate(list, &it)) != NULL) {
        fiscp_row *r = &e->rows[k];
        const char *vt;

        fisc_decimal_init(&r->value);
        e->nrows = ++k;
        if ((rc = check_keys(L, row, "a table row", allowed)) != FISC_OK)
            return rc;
        if (!(r->keys = fiscp_arena_alloc(&L->p->arena, q->nkeys * sizeof(*r->keys))))
            return nomem(L);
        for (size_t j = 0; j < q->nkeys; j++) {
            const fiscp_enum *en = fiscp_policy_find_enum(L->p, q->keys[j]);

            if ((rc = get_text(L, row, q->keys[j], 1, &r->keys[j])) != FISC_OK)
                return rc;
            if (fiscp_enum_index(en, r->keys[j]) < 0)
                return fail(L, get(row, q->keys[j]), FISC_EPARSE, "\"%s\" is not a value of enumeration %s",
                            r->keys[j], q->keys[j]);
        }
        for (size_t o = 0; o + 1 < k; o++) {
            size_t j = 0;

            while (j < q->nkeys && strcmp(e->rows[o].keys[j], r->keys[j]) == 0)
                j++;
            if (j == q->nkeys)
                return fail(L, row, FISC_EPARSE, "two rows have the same keys");
        }
        if (!get(row, "value"))
            return fail(L, row, FISC_EPARSE, "a table row needs a value");
        if ((rc = read_value(L, get(row, "value"), q->unit, q->unit_name, &r->value, &vt)) != FISC_OK)
            return rc;
    }
    e->pub.value = fiscp_arena_printf(&L->p->arena, "table of %zu rows", n);
    return e->pub.value ? FISC_OK : nomem(L);
}

static fisc_status add_entry(loader *L, fisc_param *q, fiscp_entry **out)
{
    RESERVE(L, q->entries, q->nentries, q->alloc);
    *out = &q->entries[q->nentries++];
    memset(*out, 0, sizeof(**out));
    fisc_decimal_init(&(*out)->value);
    return FISC_OK;
}

static fisc_status read_entry(loader *L, struct fy_node *en, fisc_param *q, fiscp_entry *e)
{
    static const char *const keys[] = { "from", "to", "value", "brackets", "rows", "status", "citation", "note", NULL };
    static const char *const need[] = { "value", "brackets", "rows" };
    fisc_status rc;

    if ((rc = check_keys(L, en, "a dated value", keys)) != FISC_OK)
        return rc;
    e->to = OPEN_END;
    if ((rc = get_date(L, en, "from", 1, &e->from)) != FISC_OK || (rc = get_date(L, en, "to", 0, &e->to)) != FISC_OK)
        return rc;
    if (e->to < e->from)
        return fail(L, get(en, "to"), FISC_EPARSE, "\"to\" is before \"from\"");
    if ((rc = get_text(L, en, "from", 1, &e->pub.from)) != FISC_OK || (rc = get_text(L, en, "to", 0, &e->pub.to)) != FISC_OK)
        return rc;
    if ((rc = read_status(L, en, e)) != FISC_OK || (rc = read_citation(L, en, e)) != FISC_OK)
        return rc;
    e->pub.layer = L->layer->id;
    if (!get(en, need[q->kind]))
        return fail(L, en, FISC_EPARSE, "a %s parameter needs \"%s\" in each dated value",
                    q->kind == FISC_PARAM_VALUE ? "value" : q->kind == FISC_PARAM_SCALE ? "scale" : "table",
                    need[q->kind]);
    for (int k = 0; k < 3; k++)
        if (k != q->kind && get(en, need[k]))
            return fail(L, get(en, need[k]), FISC_EPARSE, "\"%s\" does not belong in a %s parameter", need[k],
                        q->kind == FISC_PARAM_VALUE ? "value" : q->kind == FISC_PARAM_SCALE ? "scale" : "table");
    if (q->kind == FISC_PARAM_SCALE)
        return read_brackets(L, get(en, "brackets"), q, e);
    if (q->kind == FISC_PARAM_TABLE)
        return read_rows(L, get(en, "rows"), q, e);
    return read_value(L, get(en, "value"), q->unit, q->unit_name, &e->value, &e->pub.value);
}

/* Entries in date order, none overlapping; an entry without "to" runs until the next one starts. */
static fisc_status check_dates(loader *L, struct fy_node *values, fisc_param *q, size_t first)
{
    for (size_t i = first; i + 1 < q->nentries; i++) {
        fiscp_entry *e = &q->entries[i], *next = &q->entries[i + 1];
        struct fy_node *at = fy_node_sequence_get_by_index(values, (int)(i + 1 - first));

        if (next->from <= e->from)
            return fail(L, get(at, "from"), FISC_EPARSE, "dated values are not in order: %s comes after %s",
                        next->pub.from, e->pub.from);
        if (e->pub.to && e->to >= next->from)
            return fail(L, get(at, "from"), FISC_EPARSE, "dated values overlap: %s..%s and one from %s",
                        e->pub.from, e->pub.to, next->pub.from);
        if (!e->pub.to)
            e->to = fiscp_date_from_days(fiscp_date_days(next->from) - 1);
    }
    return FISC_OK;
}

static fisc_status tidy_entries(loader *L, fisc_param *q);

static fisc_status read_values(loader *L, struct fy_node *values, fisc_param *q)
{
    void *it = NULL;
    struct fy_node *en;
    size_t first = q->nentries;
    fisc_status rc;

    if (!values || !fy_node_is_sequence(values) || fy_node_sequence_item_count(values) == 0)
        return fail(L, values, FISC_EPARSE, "\"values\" must be a non-empty list of dated values");
    while ((en = fy_node_sequence_iterate(values, &it)) != NULL) {
        fiscp_entry *e;

        if ((rc = add_entry(L, q, &e)) != FISC_OK || (rc = read_entry(L, en, q, e)) != FISC_OK)
            return rc;
    }
    if ((rc = check_dates(L, values, q, first)) != FISC_OK)
        return rc;
    return tidy_entries(L, q); /* dates as texts, with implied ends written out */
}

/* ------------------------------------------------------------------ parameters */

static fisc_param *find_param(const fisc_policy *p, const char *id)
{
    for (size_t i = 0; i < p->nparams; i++)
        if (strcmp(p->params[i]->id, id) == 0)
            return p->params[i];
    return NULL;
}

static int valid_id(const char *s)
{
    if (!*s || *s == '.')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

static fisc_status read_kind(loader *L, struct fy_node *pn, fisc_param *q)
{
    static const char *const kinds[] = { "value", "scale", "table" };
    const char *s, *sem;
    fisc_status rc;

    if ((rc = get_text(L, pn, "kind", 0, &s)) != FISC_OK)
        return rc;
    q->kind = FISC_PARAM_VALUE;
    for (int k = 0; s && k < 3; k++)
        if (strcmp(s, kinds[k]) == 0)
            q->kind = k;
    if (s && strcmp(s, kinds[q->kind]) != 0)
        return fail(L, get(pn, "kind"), FISC_EPARSE, "kind \"%s\" is not value, scale or table", s);
    if (q->kind == FISC_PARAM_SCALE) {
        if ((rc = get_text(L, pn, "semantics", 1, &sem)) != FISC_OK || (rc = get_text(L, pn, "basis", 1, &q->basis)) != FISC_OK)
            return rc;
        if (strcmp(sem, "marginal") != 0 && strcmp(sem, "whole") != 0)
            return fail(L, get(pn, "semantics"), FISC_EPARSE, "semantics \"%s\" is not marginal or whole", sem);
        q->semantics = strcmp(sem, "marginal") == 0 ? SCALE_MARGINAL : SCALE_WHOLE;
        if (q->unit != UNIT_RATE)
            return fail(L, get(pn, "unit"), FISC_EPARSE, "unit mismatch: a scale's unit is rate");
    } else if (get(pn, "semantics") || get(pn, "basis")) {
        return fail(L, pn, FISC_EPARSE, "semantics and basis belong to scales only");
    }
    return FISC_OK;
}

static fisc_status read_keys(loader *L, struct fy_node *pn, fisc_param *q)
{
    struct fy_node *keys = get(pn, "keys"), *k;
    void *it = NULL;

    if (q->kind != FISC_PARAM_TABLE) {
        if (keys)
            return fail(L, keys, FISC_EPARSE, "keys belong to tables only");
        return FISC_OK;
    }
    if (!keys || !fy_node_is_sequence(keys) || fy_node_sequence_item_count(keys) == 0)
        return fail(L, keys ? keys : pn, FISC_EPARSE, "a table needs \"keys\": a list of enumeration names");
    q->nkeys = (size_t)fy_node_sequence_item_count(keys);
    if (!(q->keys = fiscp_arena_alloc(&L->p->arena, q->nkeys * sizeof(*q->keys))))
        return nomem(L);
    for (size_t j = 0; (k = fy_node_sequence_iterate(keys, &it)) != NULL; j++) {
        if (!(q->keys[j] = text_of(L, k)) || !fiscp_policy_find_enum(L->p, q->keys[j]))
            return fail(L, k, FISC_EPARSE, "table key \"%s\" is not a declared enumeration",
                        q->keys[j] ? q->keys[j] : "?");
    }
    return FISC_OK;
}

static fisc_status push_param(loader *L, fisc_param *q)
{
    RESERVE(L, L->p->params, L->p->nparams, L->p->params_alloc);
    L->p->params[L->p->nparams++] = q;
    return FISC_OK;
}

static fisc_status read_param(loader *L, struct fy_node *pn)
{
    static const char *const keys[] = { "id", "label", "unit", "kind", "semantics", "basis", "keys", "values", "notes", NULL };
    fisc_param *q;
    const char *id;
    fisc_status rc;

    L->param_id = NULL;
    if ((rc = get_text(L, pn, "id", 1, &id)) != FISC_OK)
        return rc;
    L->param_id = id;
    if (!valid_id(id))
        return fail(L, get(pn, "id"), FISC_EPARSE, "an id is lower-case letters, digits, '_' and '.'");
    if ((rc = check_keys(L, pn, "a parameter", keys)) != FISC_OK)
        return rc;
    if (find_param(L->p, id))
        return fail(L, get(pn, "id"), FISC_EPARSE, "defined twice (a later layer may not redefine a parameter; "
                                                   "use an overlay)");
    if (!(q = fiscp_arena_alloc(&L->p->arena, sizeof(*q))))
        return nomem(L);
    q->id = id;
    q->layer = L->layer->id;
    if ((rc = push_param(L, q)) != FISC_OK || (rc = get_label(L, pn, "label", &q->label_zh, &q->label_en)) != FISC_OK ||
        (rc = get_text(L, pn, "unit", 1, &q->unit_name)) != FISC_OK ||
        (rc = parse_unit(L, get(pn, "unit"), q->unit_name, &q->unit)) != FISC_OK)
        return rc;
    if (q->unit == UNIT_ENUM && !fiscp_policy_find_enum(L->p, q->unit_name + 5))
        return fail(L, get(pn, "unit"), FISC_EPARSE, "enumeration %s is not declared", q->unit_name + 5);
    if ((rc = read_kind(L, pn, q)) != FISC_OK || (rc = read_keys(L, pn, q)) != FISC_OK)
        return rc;
    rc = read_values(L, get(pn, "values"), q);
    L->param_id = NULL;
    return rc;
}

/* ------------------------------------------------------------------ overlay */

/* Remove [from, to] from the base entries of q, splitting where needed. */
static fisc_status clip(loader *L, fisc_param *q, fiscp_date from, fiscp_date to)
{
    for (size_t i = 0; i < q->nentries; i++) {
        fiscp_entry *e = &q->entries[i];

        if (e->to < from || e->from > to)
            continue;
        if (e->from < from && e->to > to) { /* split in two */
            fiscp_entry *tail;
            fiscp_entry copy = *e;
            fisc_status rc;

            fisc_decimal_init(&copy.value);
            if (fisc_decimal_set(&copy.value, &e->value, L->err) != FISC_OK || (rc = add_entry(L, q, &tail)) != FISC_OK) {
                fisc_decimal_clear(&copy.value);
                return nomem(L);
            }
            *tail = copy;
            e = &q->entries[i];
            tail->from = fiscp_date_from_days(fiscp_date_days(to) + 1);
            e->to = fiscp_date_from_days(fiscp_date_days(from) - 1);
        } else if (e->from < from) {
            e->to = fiscp_date_from_days(fiscp_date_days(from) - 1);
        } else if (e->to > to) {
            e->from = fiscp_date_from_days(fiscp_date_days(to) + 1);
        } else {
            e->from = 1, e->to = 0; /* emptied: dropped below */
        }
    }
    return FISC_OK;
}

static int entry_cmp(const void *a, const void *b)
{
    const fiscp_entry *x = a, *y = b;

    return (x->from > y->from) - (x->from < y->from);
}

/* Keep non-empty entries in date order and refresh their date texts. */
static fisc_status tidy_entries(loader *L, fisc_param *q)
{
    size_t k = 0;

    for (size_t i = 0; i < q->nentries; i++) {
        if (q->entries[i].from > q->entries[i].to) {
            fisc_decimal_clear(&q->entries[i].value);
            continue;
        }
        q->entries[k++] = q->entries[i];
    }
    q->nentries = k;
    if (k > 1)
        qsort(q->entries, q->nentries, sizeof(*q->entries), entry_cmp);
    for (size_t i = 0; i < q->nentries; i++) {
        char buf[11];
        fiscp_entry *e = &q->entries[i];

        fiscp_date_format(buf, e->from);
        e->pub.from = fiscp_arena_strdup(&L->p->arena, buf);
        if (e->to != OPEN_END) {
            fiscp_date_format(buf, e->to);
            e->pub.to = fiscp_arena_strdup(&L->p->arena, buf);
        } else {
            e->pub.to = NULL;
        }
        if (!e->pub.from || (e->to != OPEN_END && !e->pub.to))
            return nomem(L);
    }
    return FISC_OK;
}

static fisc_status read_overlay_param(loader *L, struct fy_node *pn)
{
    static const char *const keys[] = { "id", "values", "notes", NULL };
    fisc_param *q, shadow;
    const char *id;
    fisc_status rc;

    L->param_id = NULL;
    if ((rc = get_text(L, pn, "id", 1, &id)) != FISC_OK)
        return rc;
    L->param_id = id;
    if ((rc = check_keys(L, pn, "an overlay parameter", keys)) != FISC_OK)
        return rc;
    if (!(q = find_param(L->p, id)))
        return fail(L, get(pn, "id"), FISC_EPARSE, "an overlay may only override a parameter of the base policy");
    /* read into a shadow with the base's unit and kind, so units are checked the same way */
    shadow = *q;
    shadow.entries = NULL;
    shadow.nentries = shadow.alloc = 0;
    rc = read_values(L, get(pn, "values"), &shadow);
    for (size_t i = 0; rc == FISC_OK && i < shadow.nentries; i++)
        rc = clip(L, q, shadow.entries[i].from, shadow.entries[i].to);
    for (size_t i = 0; rc == FISC_OK && i < shadow.nentries; i++) {
        fiscp_entry *e;

        if ((rc = add_entry(L, q, &e)) == FISC_OK) {
            *e = shadow.entries[i];
            fisc_decimal_init(&shadow.entries[i].value); /* moved */
        }
    }
    for (size_t i = 0; i < shadow.nentries; i++)
        fisc_decimal_clear(&shadow.entries[i].value);
    fiscp_free(shadow.entries);
    if (rc == FISC_OK)
        rc = tidy_entries(L, q);
    L->param_id = NULL;
    return rc;
}

/* ------------------------------------------------------------------ programs, enumerations */

/* k when unit is 10^-k (coefficient 1: 1, 0.1, 0.01 ...), else -1 (0.05, 100, 0.010). */
static int unit_places(const fisc_decimal *unit)
{
    int64_t coef;
    int scale;

    return fiscp_decimal_small64(&coef, &scale, unit) && coef == 1 ? scale : -1;
}

static fisc_status read_program(loader *L, struct fy_node *pn)
{
    static const char *const keys[] = { "id", "title", "rounding", NULL };
    static const char *const rkeys[] = { "mode", "unit", NULL };
    static const char *const modes[] = { "half_up", "half_even", "half_down", "down", "up", "ceiling", "floor" };
    fiscp_program_conf *c;
    struct fy_node *r;
    const char *id, *mode, *unit;
    fisc_error perr = FISC_ERROR_INIT;
    fisc_status rc;

    if ((rc = get_text(L, pn, "id", 1, &id)) != FISC_OK || (rc = check_keys(L, pn, "a program", keys)) != FISC_OK)
        return rc;
    if (!fiscp_program_lookup(id))
        return fail(L, get(pn, "id"), FISC_EPARSE, "unknown program \"%s\"", id);
    for (size_t i = 0; i < L->p->nprograms; i++)
        if (strcmp(L->p->programs[i].id, id) == 0)
            return fail(L, get(pn, "id"), FISC_EPARSE, "program \"%s\" is enabled twice", id);
    RESERVE(L, L->p->programs, L->p->nprograms, L->p->programs_alloc);
    c = &L->p->programs[L->p->nprograms++];
    memset(c, 0, sizeof(*c));
    fisc_decimal_init(&c->unit);
    c->id = id;
    c->program = fiscp_program_lookup(id);
    c->layer = L->layer->id;
    if ((rc = get_label(L, pn, "title", &c->title_zh, &c->title_en)) != FISC_OK)
        return rc;
    if (!(r = get(pn, "rounding")))
        return fail(L, pn, FISC_EPARSE, "program \"%s\" needs a rounding rule {mode, unit}", id);
    if ((rc = check_keys(L, r, "rounding", rkeys)) != FISC_OK || (rc = get_text(L, r, "mode", 1, &mode)) != FISC_OK ||
        (rc = get_text(L, r, "unit", 1, &unit)) != FISC_OK)
        return rc;
    c->rounding = (fisc_round)-1;
    for (int m = 0; m < 7; m++)
        if (strcmp(mode, modes[m]) == 0)
            c->rounding = (fisc_round)m;
    if ((int)c->rounding < 0)
        return fail(L, get(r, "mode"), FISC_EPARSE, "unknown rounding mode \"%s\"", mode);
    c->rounding_name = mode;
    if (fy_node_get_style(get(r, "unit")) == FYNS_PLAIN && fiscp_yaml_looks_float(unit))
        return fail(L, get(r, "unit"), FISC_EPARSE, "float-typed number %s: write it as a string (\"%s\")", unit, unit);
    if (fisc_decimal_parse(&c->unit, unit, 0, &perr) != FISC_OK || fisc_decimal_sign(&c->unit) <= 0)
        return fail(L, get(r, "unit"), FISC_EPARSE, "the rounding unit must be a positive decimal: %s", unit);
    c->round_places = unit_places(&c->unit);
    return FISC_OK;
}

static fisc_status read_enums(loader *L, struct fy_node *map)
{
    void *it = NULL;
    struct fy_node_pair *pr;

    if (!map)
        return FISC_OK;
    if (!fy_node_is_mapping(map))
        return fail(L, map, FISC_EPARSE, "enumerations must map names to lists of values");
    while ((pr = fy_node_mapping_iterate(map, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr), *item;
        fiscp_enum *e;
        void *it2 = NULL;
        size_t n;

        if (!text_of(L, k) || !fy_node_is_sequence(v) || (n = (size_t)fy_node_sequence_item_count(v)) == 0)
            return fail(L, k, FISC_EPARSE, "an enumeration is a name and a non-empty list of values");
        if (fiscp_policy_find_enum(L->p, text_of(L, k)))
            return fail(L, k, FISC_EPARSE, "enumeration %s is declared twice", text_of(L, k));
        RESERVE(L, L->p->enums, L->p->nenums, L->p->enums_alloc);
        e = &L->p->enums[L->p->nenums++];
        e->name = text_of(L, k);
        e->n = 0;
        if (!e->name || !(e->values = fiscp_arena_alloc(&L->p->arena, n * sizeof(*e->values))))
            return nomem(L);
        while ((item = fy_node_sequence_iterate(v, &it2)) != NULL) {
            if (!(e->values[e->n] = text_of(L, item)))
                return fail(L, item, FISC_EPARSE, "enumeration values are plain text");
            if (fiscp_enum_index(e, e->values[e->n]) >= 0) /* among the values read so far */
                return fail(L, item, FISC_EPARSE, "value %s appears twice in enumeration %s", e->values[e->n], e->name);
            e->n++;
        }
    }
    return FISC_OK;
}

/* ------------------------------------------------------------------ a file */

static fisc_status read_header(loader *L, struct fy_node *root)
{
    static const char *const keys[] = { "fisc_policy", "id", "title", "issuer", "document", "published", "effective",
                                        "expires", "url", "overlay", "notes", "enumerations", "parameters",
                                        "programs", NULL };
    const char *version, *overlay;
    fiscp_date d;
    fisc_status rc;

    if ((rc = check_keys(L, root, "a policy file", keys)) != FISC_OK || (rc = get_text(L, root, "fisc_policy", 1, &version)) != FISC_OK)
        return rc;
    if (strcmp(version, "1") != 0)
        return fail(L, get(root, "fisc_policy"), FISC_EPARSE, "format version %s is not 1", version);
    if ((rc = get_text(L, root, "id", 1, &L->layer->id)) != FISC_OK ||
        (rc = get_label(L, root, "title", &L->layer->title_zh, &L->layer->title_en)) != FISC_OK ||
        (rc = get_text(L, root, "document", !L->overlay, &L->layer->document)) != FISC_OK ||
        (rc = get_text(L, root, "overlay", 0, &overlay)) != FISC_OK)
        return rc;
    if (!L->layer->document)
        L->layer->document = "";
    if ((overlay && (strcmp(overlay, "true") == 0 || strcmp(overlay, "yes") == 0)) != L->overlay)
        return fail(L, root, FISC_EPARSE, L->overlay ? "an overlay file must say overlay: true"
                                                     : "an overlay file (overlay: true) cannot be a layer");
    if ((rc = get_date(L, root, "published", 0, &d)) != FISC_OK || (rc = get_date(L, root, "effective", 0, &d)) != FISC_OK ||
        (rc = get_date(L, root, "expires", 0, &d)) != FISC_OK)
        return rc;
    if (L->overlay && (get(root, "programs") || get(root, "enumerations")))
        return fail(L, root, FISC_EPARSE, "an overlay only overrides parameter values");
    return FISC_OK;
}

static fisc_status read_list(loader *L, struct fy_node *list, const char *what,
                             fisc_status (*one)(loader *, struct fy_node *))
{
    void *it = NULL;
    struct fy_node *n;
    fisc_status rc;

    if (!list)
        return FISC_OK;
    if (!fy_node_is_sequence(list))
        return fail(L, list, FISC_EPARSE, "\"%s\" must be a list", what);
    while ((n = fy_node_sequence_iterate(list, &it)) != NULL)
        if ((rc = one(L, n)) != FISC_OK)
            return rc;
    return FISC_OK;
}

static fisc_status read_document(loader *L, struct fy_node *root)
{
    fisc_status rc;

    if (!root || !fy_node_is_mapping(root))
        return fiscp_error_set_pos(L->err, FISC_EPARSE, L->file, 1, 1, "a policy file is a YAML mapping");
    if ((rc = read_header(L, root)) != FISC_OK || (rc = read_enums(L, get(root, "enumerations"))) != FISC_OK)
        return rc;
    if ((rc = read_list(L, get(root, "parameters"), "parameters", L->overlay ? read_overlay_param : read_param)) != FISC_OK)
        return rc;
    return read_list(L, get(root, "programs"), "programs", read_program);
}

static fisc_status read_root(struct fy_node *root, void *payload)
{
    return read_document(payload, root);
}

/* Parse text with libfyaml, reporting its own errors (syntax, duplicate keys) with positions. */
static fisc_status parse_text(loader *L, const char *text, size_t len)
{
    static const fiscp_yaml_opts opts = { "policy files", 0, "the file could not be parsed", NULL };
    fiscp_yaml_src src = { L->file, text, len, L->err };

    return fiscp_yaml_parse(&src, &opts, read_root, L);
}

static fisc_status load_one(fisc_policy *p, fisc_layer_info *layer, const char *name, const char *text, size_t len,
                            int overlay, fisc_error *err)
{
    loader L = { p, name, err, layer, overlay, NULL };
    fiscp_sha256 h;
    char hex[65];

    fiscp_sha256_init(&h);
    fiscp_sha256_update(&h, text, len);
    fiscp_sha256_hex(&h, hex);
    layer->path = fiscp_arena_strdup(&p->arena, name);
    layer->sha256 = fiscp_arena_strdup(&p->arena, hex);
    layer->is_overlay = overlay;
    if (!layer->path || !layer->sha256)
        return fiscp_error_nomem(err);
    return parse_text(&L, text, len);
}

/* ------------------------------------------------------------------ public */

static int param_cmp(const void *a, const void *b)
{
    return strcmp((*(fisc_param *const *)a)->id, (*(fisc_param *const *)b)->id);
}

/* Index of an enabled program, or -1. */
static long program_index(const fisc_policy *p, const char *id)
{
    for (size_t i = 0; i < p->nprograms; i++)
        if (strcmp(p->programs[i].id, id) == 0)
            return (long)i;
    return -1;
}

/*
 * Order the programs so that each runs after the enabled programs it reads (its `after` list),
 * keeping the files' order otherwise. A cycle is a policy error.
 */
static fisc_status order_programs(fisc_policy *p, fisc_error *err)
{
    fiscp_program_conf *sorted;
    unsigned char *placed;
    size_t done = 0;

    if (p->nprograms < 2)
        return FISC_OK;
    sorted = fiscp_arena_alloc(&p->arena, p->nprograms * sizeof(*sorted));
    placed = fiscp_arena_alloc(&p->arena, p->nprograms);
    if (!sorted || !placed)
        return fiscp_error_nomem(err);
    while (done < p->nprograms) {
        size_t before = done;

        for (size_t i = 0; i < p->nprograms; i++) {
            const char *const *dep = p->programs[i].program->after;
            int ready = !placed[i];

            for (; ready && dep && *dep; dep++) {
                long k = program_index(p, *dep);

                ready = k < 0 || placed[k];
            }
            if (ready) {
                sorted[done++] = p->programs[i];
                placed[i] = 1;
            }
        }
        if (done == before)
            return fiscp_error_set(err, FISC_EPARSE, "the programs depend on each other in a cycle");
    }
    memcpy(p->programs, sorted, p->nprograms * sizeof(*sorted));
    return FISC_OK;
}

/* Add `amount` to the amounts of program `id` (when enabled) that a summary evaluation keeps, once. */
static fisc_status keep_amount(fisc_policy *p, const char *id, const char *amount, fisc_error *err)
{
    long k = program_index(p, id);
    fiscp_program_conf *c;
    fiscp_kept *kept;

    if (k < 0)
        return FISC_OK;
    c = &p->programs[k];
    for (size_t i = 0; i < c->nkept; i++)
        if (strcmp(c->kept[i].name, amount) == 0)
            return FISC_OK;
    if (!(kept = fiscp_arena_alloc(&p->arena, (c->nkept + 1) * sizeof(*kept))))
        return fiscp_error_nomem(err);
    if (c->nkept)
        memcpy(kept, c->kept, c->nkept * sizeof(*kept));
    kept[c->nkept] = (fiscp_kept){ amount, strlen(amount) };
    c->kept = kept;
    c->nkept++;
    return FISC_OK;
}

/* The informative amounts each program must record in a summary evaluation: those that the programs
   enabled with it read (their `reads`; fiscp_amount_wanted). */
static fisc_status mark_kept(fisc_policy *p, fisc_error *err)
{
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < p->nprograms; i++) {
        p->programs[i].kept = NULL;
        p->programs[i].nkept = 0;
    }
    for (size_t i = 0; i < p->nprograms && rc == FISC_OK; i++)
        for (const fiscp_read *r = p->programs[i].program->reads; rc == FISC_OK && r && r->program; r++)
            rc = keep_amount(p, r->program, r->amount, err);
    return rc;
}

/* Resolve each program's parameters once, so evaluation works with pointers, not names. */
static fisc_status resolve_programs(fisc_policy *p, fisc_error *err)
{
    for (size_t i = 0; i < p->nprograms; i++) {
        fiscp_program_conf *c = &p->programs[i];
        const fiscp_program *prog = c->program;

        if (!(c->params = fiscp_arena_alloc(&p->arena, (prog->nparams + 1) * sizeof(*c->params))))
            return fiscp_error_nomem(err);
        for (size_t k = 0; k < prog->nparams; k++)
            if (!(c->params[k] = fisc_policy_find_param(p, prog->params[k])))
                return fiscp_error_set_pos(err, FISC_EPARSE, c->layer, -1, -1,
                                           "program %s needs parameter %s, which no layer defines", c->id,
                                           prog->params[k]);
    }
    return FISC_OK;
}

/* A value in the programs' unit: 万元 → 元, 百分点 → a fraction, anything else as it is. */
static fisc_status in_unit(fisc_decimal *out, const fisc_decimal *v, fiscp_unit unit, fisc_error *err)
{
    fisc_decimal k;

    if (unit != UNIT_WAN && unit != UNIT_POINTS)
        return fisc_decimal_set(out, v, err);
    fisc_decimal_init(&k);
    if (unit == UNIT_WAN)
        fisc_decimal_set_int(&k, 10000);
    else
        fiscp_decimal_set_scaled(&k, 1, 2);
    return fisc_decimal_mul(out, v, &k, err);
}

/*
 * Every value, table cell and bracket bound converted once, after the layers are merged, and each
 * entry's citation made: programs read values in their own unit on every evaluation, and a loaded
 * policy is shared by threads.
 */
static fisc_status convert_units(fisc_policy *p, fisc_error *err)
{
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < p->nparams && rc == FISC_OK; i++) {
        const fisc_param *q = p->params[i];
        fiscp_unit basis = q->basis && strcmp(q->basis, "万元") == 0 ? UNIT_WAN : UNIT_YUAN;

        for (size_t j = 0; j < q->nentries && rc == FISC_OK; j++) {
            fiscp_entry *e = &q->entries[j];

            e->used = (fisc_used_param){ q->id, e->pub.value, e->pub.from, e->pub.to, e->pub.evidence,
                                         e->pub.document, e->pub.article, e->pub.url, q->unit_name };
            rc = in_unit(&e->in_unit, &e->value, q->unit, err);
            for (size_t b = 0; b < e->nbrackets && rc == FISC_OK; b++)
                rc = in_unit(&e->brackets[b].up_to_in_unit, &e->brackets[b].up_to, basis, err);
            for (size_t r = 0; r < e->nrows && rc == FISC_OK; r++)
                rc = in_unit(&e->rows[r].in_unit, &e->rows[r].value, q->unit, err);
        }
    }
    return rc;
}

static fisc_status finish(fisc_policy *p, fisc_error *err)
{
    fiscp_sha256 h;
    fisc_status rc;

    if (p->nparams > 1)
        qsort(p->params, p->nparams, sizeof(*p->params), param_cmp);
    fiscp_sha256_init(&h);
    for (size_t i = 0; i < p->nlayers; i++)
        fiscp_sha256_update(&h, p->layers[i].sha256, 64);
    fiscp_sha256_hex(&h, p->hash);
    if ((rc = convert_units(p, err)) != FISC_OK || (rc = order_programs(p, err)) != FISC_OK ||
        (rc = mark_kept(p, err)) != FISC_OK)
        return rc;
    return resolve_programs(p, err);
}

fisc_status fiscp_policy_load_texts(fisc_policy **out, const char *const *names, const char *const *texts,
                                    const size_t *lens, size_t n, const char *overlay_name,
                                    const char *overlay_text, size_t overlay_len, fisc_error *err)
{
    fisc_policy *p;
    fisc_status rc = FISC_OK;

    fiscp_error_reset(err);
    if (!out || (n && (!names || !texts || !lens)))
        return fiscp_error_set(err, FISC_EINVAL, "policy load: NULL argument");
    *out = NULL;
    if (n == 0)
        return fiscp_error_set(err, FISC_EINVAL, "a policy needs at least one file");
    if (!(p = fiscp_calloc(1, sizeof(*p))))
        return fiscp_error_nomem(err);
    atomic_init(&p->refs, 1);
    fiscp_arena_init(&p->arena);
    if (!(p->layers = fiscp_arena_alloc(&p->arena, (n + 1) * sizeof(*p->layers)))) {
        fisc_policy_free(p);
        return fiscp_error_nomem(err);
    }
    for (size_t i = 0; i < n && rc == FISC_OK; i++)
        rc = load_one(p, &p->layers[p->nlayers++], names[i], texts[i], lens[i], 0, err);
    if (rc == FISC_OK && overlay_text)
        rc = load_one(p, &p->layers[p->nlayers++], overlay_name ? overlay_name : "overlay", overlay_text,
                      overlay_len, 1, err);
    if (rc == FISC_OK)
        rc = finish(p, err);
    if (rc != FISC_OK) {
        fisc_policy_free(p);
        return rc;
    }
    *out = p;
    return FISC_OK;
}

fisc_status fisc_policy_load_files(fisc_policy **out, const char *const *paths, size_t n, const char *overlay,
                                   fisc_error *err)
{
    char **texts;
    size_t *lens, ov_len = 0;
    char *ov_text = NULL;
    fisc_status rc = FISC_OK;

    fiscp_error_reset(err);
    if (!out || !paths || n == 0 || n > 256)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_policy_load_files: give 1 to 256 paths");
    texts = fiscp_calloc(n, sizeof(*texts));
    lens = fiscp_calloc(n, sizeof(*lens));
    if (!texts || !lens)
        rc = fiscp_error_nomem(err);
    for (size_t i = 0; i < n && rc == FISC_OK; i++)
        rc = fiscp_read_file(&texts[i], &lens[i], paths[i], MAX_FILE_BYTES, err);
    if (rc == FISC_OK && overlay)
        rc = fiscp_read_file(&ov_text, &ov_len, overlay, MAX_FILE_BYTES, err);
    if (rc == FISC_OK)
        rc = fiscp_policy_load_texts(out, paths, (const char *const *)texts, lens, n, overlay, ov_text, ov_len, err);
    for (size_t i = 0; texts && i < n; i++)
        fiscp_free(texts[i]);
    fiscp_free(texts);
    fiscp_free(lens);
    fiscp_free(ov_text);
    return rc;
}

fisc_status fisc_policy_load(fisc_policy **out, const char *path, fisc_error *err)
{
    return fisc_policy_load_files(out, &path, 1, NULL, err);
}

void fiscp_policy_ref(const fisc_policy *p)
{
    atomic_fetch_add(&((fisc_policy *)p)->refs, 1);
}

void fisc_policy_free(fisc_policy *p)
{
    fiscp_policy_unref(p);
}

/* Destroy when the last reference goes: results may outlive the caller's fisc_policy_free. */
void fiscp_policy_unref(const fisc_policy *cp)
{
    fisc_policy *p = (fisc_policy *)cp;

    if (!p || atomic_fetch_sub(&p->refs, 1) != 1)
        return;
    for (size_t i = 0; i < p->nparams; i++) {
        fisc_param *q = p->params[i];

        for (size_t j = 0; j < q->nentries; j++) {
            fiscp_entry *e = &q->entries[j];

            fisc_decimal_clear(&e->value);
            fisc_decimal_clear(&e->in_unit);
            for (size_t b = 0; b < e->nbrackets; b++) {
                fisc_decimal_clear(&e->brackets[b].up_to);
                fisc_decimal_clear(&e->brackets[b].up_to_in_unit);
                fisc_decimal_clear(&e->brackets[b].rate);
            }
            for (size_t r = 0; r < e->nrows; r++) {
                fisc_decimal_clear(&e->rows[r].value);
                fisc_decimal_clear(&e->rows[r].in_unit);
            }
        }
        fiscp_free(q->entries);
    }
    for (size_t i = 0; i < p->nprograms; i++)
        fisc_decimal_clear(&p->programs[i].unit);
    fiscp_free(p->params);
    fiscp_free(p->programs);
    fiscp_free(p->enums);
    fiscp_arena_clear(&p->arena);
    fiscp_free(p);
}

size_t fisc_policy_layer_count(const fisc_policy *p)
{
    return p ? p->nlayers : 0;
}

const char *fisc_policy_hash(const fisc_policy *p)
{
    return p ? p->hash : "";
}

const fisc_layer_info *fisc_policy_layer(const fisc_policy *p, size_t i)
{
    return p && i < p->nlayers ? &p->layers[i] : NULL;
}

size_t fisc_policy_param_count(const fisc_policy *p)
{
    return p ? p->nparams : 0;
}

const fisc_param *fisc_policy_param(const fisc_policy *p, size_t i)
{
    return p && i < p->nparams ? p->params[i] : NULL;
}

const fisc_param *fisc_policy_find_param(const fisc_policy *p, const char *id)
{
    size_t lo = 0, hi = p && id ? p->nparams : 0;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->params[mid]->id, id);

        if (c == 0)
            return p->params[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *fisc_param_id(const fisc_param *q)
{
    return q ? q->id : NULL;
}

const char *fisc_param_label(const fisc_param *q, const char *lang)
{
    if (!q)
        return NULL;
    return lang && strcmp(lang, "en") == 0 ? q->label_en : q->label_zh;
}

const char *fisc_param_unit(const fisc_param *q)
{
    return q ? q->unit_name : NULL;
}

int fisc_param_kind_of(const fisc_param *q)
{
    return q ? q->kind : -1;
}

size_t fisc_param_entry_count(const fisc_param *q)
{
    return q ? q->nentries : 0;
}

const fisc_param_entry *fisc_param_entry_at(const fisc_param *q, size_t i)
{
    return q && i < q->nentries ? &q->entries[i].pub : NULL;
}

const fiscp_entry *fiscp_param_entry_on(const fisc_param *q, fiscp_date date)
{
    for (size_t i = 0; i < q->nentries; i++)
        if (q->entries[i].from <= date && date <= q->entries[i].to)
            return &q->entries[i];
    return NULL;
}

size_t fisc_policy_program_count(const fisc_policy *p)
{
    return p ? p->nprograms : 0;
}

const char *fisc_policy_program_id(const fisc_policy *p, size_t i)
{
    return p && i < p->nprograms ? p->programs[i].id : NULL;
}
