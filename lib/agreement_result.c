/*
 * The year-by-year evaluation of an agreement (agreement_eval.c): lifetime, access and totals, and
 * its two serializations: JSON (schema fisc-agreement/1, docs/result-schema.md) embedding each
 * year's fisc-result/1 object, and a readable report in Chinese or English (a year-by-year table,
 * then, when asked, each year's result explained).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "textbuf.h"

/* ------------------------------------------------------------------ lifetime and access */

void fisc_agreement_result_free(fisc_agreement_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->results && i < r->nyears; i++)
        fisc_result_free(r->results[i]);
    fisc_decimal_clear(&r->total_due);
    fisc_decimal_clear(&r->total_withheld);
    fisc_decimal_clear(&r->total_repay);
    fisc_decimal_clear(&r->total_interest);
    fisc_decimal_clear(&r->total_concession);
    fisc_decimal_clear(&r->total_net);
    fiscp_arena_clear(&r->arena);
    if (r->agreement)
        fiscp_agreement_unref(r->agreement);
    fiscp_free(r);
}

size_t fisc_agreement_result_year_count(const fisc_agreement_result *r)
{
    return r ? r->nyears : 0;
}

int fisc_agreement_result_year(const fisc_agreement_result *r, size_t i)
{
    return r && i < r->nyears ? r->years[i] : 0;
}

const fisc_result *fisc_agreement_result_at(const fisc_agreement_result *r, size_t i)
{
    return r && i < r->nyears ? r->results[i] : NULL;
}

/* The totals by name, in the order the JSON writes them. */
static const struct {
    const char *name;
    size_t offset;
} TOTALS[] = {
    { "due", offsetof(fisc_agreement_result, total_due) },
    { "withheld", offsetof(fisc_agreement_result, total_withheld) },
    { "repay", offsetof(fisc_agreement_result, total_repay) },
    { "interest", offsetof(fisc_agreement_result, total_interest) },
    { "concession", offsetof(fisc_agreement_result, total_concession) },
    { "net", offsetof(fisc_agreement_result, total_net) },
};

static const fisc_decimal *total_at(const fisc_agreement_result *r, size_t k)
{
    return (const fisc_decimal *)(const void *)((const char *)r + TOTALS[k].offset);
}

const fisc_decimal *fisc_agreement_result_total(const fisc_agreement_result *r, const char *name)
{
    for (size_t k = 0; r && name && k < FISCP_ARRAY_SIZE(TOTALS); k++)
        if (strcmp(TOTALS[k].name, name) == 0)
            return total_at(r, k);
    return NULL;
}

int fisc_agreement_result_provisional(const fisc_agreement_result *r)
{
    return r ? r->provisional : 0;
}

/* ------------------------------------------------------------------ a growing text buffer */

typedef fiscp_buf buf;

static fisc_status finish(buf *b, char **out, fisc_error *err)
{
    if (b->failed) {
        fiscp_free(b->p);
        return fiscp_error_nomem(err);
    }
    *out = b->p;
    return FISC_OK;
}

/* ------------------------------------------------------------------ JSON */

/* Embed a serialized JSON value written at depth 0: indented to the current depth, its last newline dropped. */
static void embed(buf *b, const char *text)
{
    size_t len = strlen(text);

    while (len && text[len - 1] == '\n')
        len--;
    for (size_t i = 0; i < len; i++) {
        fiscp_buf_put_n(b, &text[i], 1);
        /* raw newlines are the pretty printer's own: strings escape theirs */
        for (int k = 0; b->pretty && text[i] == '\n' && k < b->depth; k++)
            fiscp_buf_put(b, "  ");
    }
}

static void json_years(buf *b, const fisc_agreement_result *r, unsigned flags, fisc_error *err)
{
    fiscp_json_key(b, "years", 0);
    fiscp_json_open(b, "[");
    for (size_t i = 0; i < r->nyears && !b->failed; i++) {
        char *text = NULL;

        if (i)
            fiscp_buf_put(b, ",");
        fiscp_json_nl(b);
        fiscp_json_open(b, "{");
        fiscp_json_key(b, "year", 1);
        fiscp_buf_printf(b, "%d", r->years[i]);
        fiscp_json_key(b, "result", 0);
        if (fisc_result_to_json(&text, r->results[i], flags, err) != FISC_OK)
            b->failed = 1;
        else
            embed(b, text);
        fisc_string_free(text);
        fiscp_json_close(b, "}");
    }
    fiscp_json_close(b, "]");
}

static void json_totals(buf *b, const fisc_agreement_result *r)
{
    fiscp_json_key(b, "totals", 0);
    fiscp_json_open(b, "{");
    for (size_t k = 0; k < FISCP_ARRAY_SIZE(TOTALS); k++) {
        fiscp_json_key(b, TOTALS[k].name, k == 0);
        fiscp_buf_money(b, total_at(r, k), 0, 1);
    }
    fiscp_json_close(b, "}");
}

fisc_status fisc_agreement_result_to_json(char **out, const fisc_agreement_result *r, unsigned flags,
                                          fisc_error *err)
{
    buf b = { NULL, 0, 0, 0, (flags & FISC_JSON_PRETTY) != 0, 0 };
    char *outline = NULL, *findings = NULL;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !r)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_result_to_json: NULL argument");
    *out = NULL;
    if ((rc = fiscp_agreement_outline_json(&outline, &findings, r->agreement, b.pretty, 1, err)) != FISC_OK)
        return rc;
    fiscp_json_open(&b, "{");
    fiscp_json_key(&b, "schema", 1);
    fiscp_buf_put(&b, "\"fisc-agreement/1\"");
    fiscp_json_key(&b, "fisc_version", 0);
    fiscp_buf_printf(&b, "\"%s\"", fisc_version_string());
    fiscp_json_key(&b, "agreement", 0);
    fiscp_buf_put(&b, outline);
    fiscp_json_key(&b, "findings", 0);
    fiscp_buf_put(&b, findings);
    fiscp_json_key(&b, "schedule", 0);
    fiscp_buf_put(&b, r->schedule ? "true" : "false");
    json_years(&b, r, flags & (FISC_JSON_TRACE | FISC_JSON_PRETTY), err);
    json_totals(&b, r);
    fiscp_json_key(&b, "provisional", 0);
    fiscp_buf_put(&b, r->provisional ? "true" : "false");
    fiscp_json_close(&b, "}");
    fiscp_buf_put(&b, "\n");
    fiscp_free(outline);
    fiscp_free(findings);
    return finish(&b, out, err);
}

/* ------------------------------------------------------------------ text */

typedef struct words {
    const char *agreement, *enterprise, *schedule, *provisional, *findings, *year, *total, *none;
    const char *column[6];
    const char *severity[3];
} words;

static const words ZH = {
    "协议", "企业", "【计划】假定全部条件如期满足，按协议计划数测算", "【暂定】结果用到了未经证实的参数，仅供参考",
    "检查发现", "年度", "合计", "—",
    { "应付", "扣留", "应退还", "利息", "累计已付", "总额上限余额" },
    { "错误", "警告", "提示" },
};

static const words EN = {
    "Agreement", "Enterprise", "[SCHEDULE] every condition taken as met on time, with the planned figures",
    "[PROVISIONAL] the result uses unconfirmed parameters; indicative only", "Findings", "Year", "Total", "-",
    { "due", "withheld", "repay", "interest", "paid to date", "ceiling left" },
    { "error", "warning", "note" },
};

/* Display width of UTF-8 text: CJK and full-width forms (3-byte sequences here) count two columns. */
static size_t width_of(const char *s)
{
    size_t w = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += (*p & 0xF0) == 0xE0 ? 2 : 1;
    return w;
}

/* s right-aligned in a column of w display columns (left-aligned when left). */
static void cell(buf *b, const char *s, size_t w, int left)
{
    size_t n = width_of(s);

    if (left)
        fiscp_buf_put(b, s);
    for (; n < w; n++)
        fiscp_buf_put(b, " ");
    if (!left)
        fiscp_buf_put(b, s);
}

/* v as grouped money into tmp (a small buffer owned by the caller), or "—" when absent. */
static const char *money_text(buf *scratch, const fisc_decimal *v, const char *none)
{
    scratch->n = 0;
    if (!v)
        return none;
    fiscp_buf_money(scratch, v, 1, 0);
    return scratch->failed ? "" : scratch->p;
}

/* The package item of a year's result: its amount called name, or NULL. */
static const fisc_decimal *package_amount(const fisc_agreement_result *r, size_t i, const char *name)
{
    const fisc_item *it = fisc_result_find(r->results[i], r->agreement->id);

    for (size_t k = 0; it && k < it->amount_count; k++)
        if (strcmp(it->amounts[k].name, name) == 0)
            return it->amounts[k].value;
    return NULL;
}

/* An amount the package did not record (none withheld, nothing repaid) is zero. */
static const fisc_decimal *or_zero(const fisc_decimal *v, const fisc_decimal *zero)
{
    return v ? v : zero;
}

static void text_row(buf *b, buf *scratch, const char *label, const fisc_decimal *const *v, const words *w)
{
    cell(b, label, 6, 1);
    for (int k = 0; k < 6; k++) {
        fiscp_buf_put(b, "  ");
        cell(b, money_text(scratch, v[k], w->none), 16, 0);
    }
    fiscp_buf_put(b, "\n");
}

/* One row per year: due (with concessions), withheld, repay, interest, paid to date, ceiling left. */
static void text_table(buf *b, const fisc_agreement_result *r, const words *w)
{
    buf scratch = { NULL, 0, 0, 0, 0, 0 };
    fisc_decimal due, paid, zero;
    const fisc_decimal *row[6];
    char year[16];

    fisc_decimal_init(&due);
    fisc_decimal_init(&paid);
    fisc_decimal_init(&zero);
    cell(b, w->year, 6, 1);
    for (int k = 0; k < 6; k++) {
        fiscp_buf_put(b, "  ");
        cell(b, w->column[k], 16, 0);
    }
    fiscp_buf_put(b, "\n");
    for (size_t i = 0; i < r->nyears && !b->failed; i++) {
        const fisc_decimal *d = package_amount(r, i, "due"), *c = package_amount(r, i, "concession");

        fisc_decimal_set_int(&due, 0);
        if ((d && fisc_decimal_add(&due, &due, d, NULL) != FISC_OK) ||
            (c && fisc_decimal_add(&due, &due, c, NULL) != FISC_OK) || fisc_decimal_add(&paid, &paid, &due, NULL) != FISC_OK)
            b->failed = 1;
        row[0] = &due;
        row[1] = or_zero(package_amount(r, i, "withheld"), &zero);
        row[2] = or_zero(package_amount(r, i, "repay"), &zero);
        row[3] = or_zero(package_amount(r, i, "interest"), &zero);
        row[4] = &paid;
        row[5] = package_amount(r, i, "ceiling_remaining");
        snprintf(year, sizeof(year), "%d", r->years[i]);
        text_row(b, &scratch, year, row, w);
    }
    row[0] = &r->total_due;
    row[1] = &r->total_withheld;
    row[2] = &r->total_repay;
    row[3] = &r->total_interest;
    row[4] = row[5] = NULL;
    text_row(b, &scratch, w->total, row, w);
    b->failed |= scratch.failed;
    fiscp_free(scratch.p);
    fisc_decimal_clear(&due);
    fisc_decimal_clear(&paid);
}

static void text_head(buf *b, const fisc_agreement *a, const fisc_agreement_result *r, const words *w, int zh)
{
    fiscp_buf_printf(b, "%s %s", w->agreement, a->id);
    if (a->number && a->number[0]) {
        fiscp_buf_put(b, " ");
        fiscp_buf_put(b, a->number);
    }
    fiscp_buf_put(b, zh ? "：" : ": ");
    fiscp_buf_put(b, zh ? a->title_zh : a->title_en);
    fiscp_buf_printf(b, "\n%s%s", w->enterprise, zh ? "：" : ": ");
    fiscp_buf_put(b, a->enterprise);
    fiscp_buf_printf(b, " (%s)\n", a->uscc);
    if (r->schedule)
        fiscp_buf_printf(b, "%s\n", w->schedule);
    if (r->provisional)
        fiscp_buf_printf(b, "%s\n", w->provisional);
    if (a->nfindings)
        fiscp_buf_printf(b, "%s%s\n", w->findings, zh ? "：" : ":");
    for (size_t i = 0; i < a->nfindings; i++) {
        const fisc_finding *f = &a->findings[i];

        fiscp_buf_printf(b, "  [%s] %s: ", w->severity[f->severity >= 0 && f->severity < 3 ? f->severity : 2], f->id);
        fiscp_buf_put(b, zh ? f->message_zh : f->message_en);
        fiscp_buf_put(b, "\n");
    }
    fiscp_buf_put(b, "\n");
}

fisc_status fisc_agreement_result_to_text(char **out, const fisc_agreement_result *r, const char *lang, int explain,
                                          fisc_error *err)
{
    int zh = !(lang && strcmp(lang, "en") == 0);
    const words *w = zh ? &ZH : &EN;
    buf b = { NULL, 0, 0, 0, 0, 0 };

    fiscp_error_reset(err);
    if (!out || !r)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_result_to_text: NULL argument");
    *out = NULL;
    text_head(&b, r->agreement, r, w, zh);
    text_table(&b, r, w);
    for (size_t i = 0; explain && i < r->nyears && !b.failed; i++) {
        char *text = NULL;

        fiscp_buf_printf(&b, "\n==== %d ====\n", r->years[i]);
        if (fisc_result_to_text(&text, r->results[i], zh ? "zh" : "en", 1, err) != FISC_OK)
            b.failed = 1;
        else
            fiscp_buf_put(&b, text);
        fisc_string_free(text);
    }
    return finish(&b, out, err);
}
