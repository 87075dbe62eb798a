/*
 * Results: lifetime, access, and the two serializations: JSON (schema fisc-result/1,
 * docs/result-schema.md; amounts as decimal strings) and a readable report in Chinese or English.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "policy.h"
#include "result.h"
#include "textbuf.h"

/* ------------------------------------------------------------------ lifetime and access */

/* The result and the first block of its arena in one allocation: most results need no other. */
#define FIRST_BLOCK 8192
#define RESULT_SIZE ((sizeof(fisc_result) + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t))

fisc_status fiscp_result_new(fisc_result **out, const fisc_policy *p, int year, int quarter, fisc_error *err)
{
    fisc_result *r = fiscp_malloc(RESULT_SIZE + FIRST_BLOCK);

    if (!r)
        return fiscp_error_nomem(err);
    memset(r, 0, sizeof(*r));
    fiscp_arena_init_buffer(&r->arena, (char *)r + RESULT_SIZE, FIRST_BLOCK);
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++)
        fisc_decimal_init(&r->totals[k]);
    r->year = year;
    r->quarter = quarter;
    fiscp_policy_ref(p); /* the result names its rules: keep them alive as long as it lives */
    r->policy = p;
    *out = r;
    return FISC_OK;
}

/* Release what the amounts and totals own (values beyond 128 bits); r->arrays keep theirs. */
static void clear_values(fisc_result *r)
{
    for (size_t i = r->kept_items; i < r->nitems; i++)
        for (size_t k = 0; k < r->items[i].amount_count; k++)
            fiscp_decimal_clear((fisc_decimal *)r->items[i].amounts[k].value);
    for (unsigned left = r->totals_set; left; left &= left - 1) /* the others are still 0, as initialised */
        fiscp_decimal_clear(&r->totals[__builtin_ctz(left)]);
    r->totals_set = 0;
}

const fiscp_entry fiscp_no_entry;

void fiscp_result_reset(fisc_result *r, const fisc_policy *p, int year, int quarter)
{
    clear_values(r);
    fiscp_arena_reset(&r->arena);
    r->nitems = r->items_alloc = r->kept_items = 0;
    r->items = NULL;
    r->provisional = 0;
    r->date = 0;
    r->year = year;
    r->quarter = quarter;
    if (p != r->policy) {
        fiscp_policy_ref(p);
        fiscp_policy_unref(r->policy);
        r->policy = p;
        r->resolved_date = 0; /* another policy: nothing resolved holds */
        /* nor the arrays, which cite its entries: once freed, a later policy may reuse their addresses */
        fiscp_result_drop_arrays(r);
    }
}

void fisc_result_free(fisc_result *r)
{
    if (!r)
        return;
    clear_values(r);
    fiscp_result_drop_arrays(r);
    fiscp_arena_clear(&r->arena);
    fiscp_policy_unref(r->policy);
    fiscp_free(r->resolved);
    fiscp_free(r);
}

size_t fisc_result_item_count(const fisc_result *r)
{
    return r ? r->nitems : 0;
}

const fisc_item *fisc_result_item(const fisc_result *r, size_t i)
{
    return r && i < r->nitems ? &r->items[i] : NULL;
}

const fisc_item *fisc_result_find(const fisc_result *r, const char *program)
{
    for (size_t i = 0; r && program && i < r->nitems; i++)
        if (strcmp(r->items[i].program, program) == 0)
            return &r->items[i];
    return NULL;
}

const fisc_decimal *fisc_result_total(const fisc_result *r, int category)
{
    return r && category >= 0 && category < FISC_CATEGORY_COUNT ? &r->totals[category] : NULL;
}

int fisc_result_provisional(const fisc_result *r)
{
    return r ? r->provisional : 0;
}

/* ------------------------------------------------------------------ a growing text buffer */

typedef fiscp_buf buf;

/* ------------------------------------------------------------------ JSON */

static const char *const OUTCOME[] = { "eligible", "not_eligible", "undetermined" };
static const char *const STATE[] = { "met", "not_met", "unknown" };
static const char *const EVIDENCE[] = { "confirmed", "unconfirmed", "placeholder" };
static const char *const CATEGORY[] = { "tax_payable", "tax_relief", "subsidy", "repayment" };

typedef fiscp_buf json;  /* with its indentation state */

static void kv_str(json *j, const char *k, const char *v, int first)
{
    fiscp_json_key(j, k, first);
    if (v)
        fiscp_buf_json_string(j, v);
    else
        fiscp_buf_put(j, "null");
}

static void kv_label(json *j, const char *k, const char *zh, const char *en, int first)
{
    fiscp_json_key(j, k, first);
    fiscp_json_open(j, "{");
    kv_str(j, "zh", zh, 1);
    kv_str(j, "en", en, 0);
    fiscp_json_close(j, "}");
}

static void json_layers(json *j, const fisc_result *r)
{
    fiscp_json_key(j, "policy", 0);
    fiscp_json_open(j, "{");
    kv_str(j, "hash", r->policy->hash, 1);
    fiscp_json_key(j, "layers", 0);
    fiscp_json_open(j, "[");
    for (size_t i = 0; i < r->policy->nlayers; i++) {
        const fisc_layer_info *l = &r->policy->layers[i];

        if (i)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        fiscp_json_open(j, "{");
        kv_str(j, "id", l->id, 1);
        kv_str(j, "path", l->path, 0);
        kv_str(j, "sha256", l->sha256, 0);
        kv_str(j, "document", l->document, 0);
        fiscp_json_key(j, "overlay", 0);
        fiscp_buf_put(j, l->is_overlay ? "true" : "false");
        fiscp_json_close(j, "}");
    }
    fiscp_json_close(j, "]");
    fiscp_json_close(j, "}");
}

static void json_amounts(json *j, const fisc_item *it)
{
    fiscp_json_key(j, "amounts", 0);
    fiscp_json_open(j, "{");
    for (size_t k = 0; k < it->amount_count; k++) {
        fiscp_json_key(j, it->amounts[k].name, k == 0);
        fiscp_buf_put(j, "\"");
        fiscp_buf_money(j, it->amounts[k].value, 0, 0);
        fiscp_buf_put(j, "\"");
    }
    fiscp_json_close(j, "}");
    fiscp_json_key(j, "categories", 0);
    fiscp_json_open(j, "{");
    for (size_t k = 0, first = 1; k < it->amount_count; k++) {
        int cat = it->amounts[k].category;

        if (cat < 0 || cat >= FISC_CATEGORY_COUNT)
            continue;
        kv_str(j, it->amounts[k].name, CATEGORY[cat], (int)first);
        first = 0;
    }
    fiscp_json_close(j, "}");
}

static void json_conditions(json *j, const fisc_item *it)
{
    fiscp_json_key(j, "conditions", 0);
    fiscp_json_open(j, "[");
    for (size_t k = 0; k < it->condition_count; k++) {
        const fisc_condition *c = &it->conditions[k];

        if (k)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        fiscp_json_open(j, "{");
        kv_str(j, "id", c->id, 1);
        kv_label(j, "label", c->label_zh, c->label_en, 0);
        kv_str(j, "state", STATE[c->state], 0);
        kv_str(j, "detail", c->detail, 0);
        fiscp_json_close(j, "}");
    }
    fiscp_json_close(j, "]");
}

static void json_params(json *j, const fisc_item *it)
{
    fiscp_json_key(j, "parameters", 0);
    fiscp_json_open(j, "[");
    for (size_t k = 0; k < it->param_count; k++) {
        const fisc_used_param *u = &it->params[k];

        if (k)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        fiscp_json_open(j, "{");
        kv_str(j, "id", u->id, 1);
        kv_str(j, "value", u->value, 0);
        kv_str(j, "unit", u->unit, 0);
        kv_str(j, "from", u->from, 0);
        kv_str(j, "to", u->to, 0);
        kv_str(j, "status", EVIDENCE[u->evidence], 0);
        fiscp_json_key(j, "citation", 0);
        fiscp_json_open(j, "{");
        kv_str(j, "document", u->document, 1);
        kv_str(j, "article", u->article, 0);
        kv_str(j, "url", u->url, 0);
        fiscp_json_close(j, "}");
        fiscp_json_close(j, "}");
    }
    fiscp_json_close(j, "]");
}

static void json_steps(json *j, const fisc_item *it)
{
    fiscp_json_key(j, "trace", 0);
    fiscp_json_open(j, "[");
    for (size_t k = 0; k < it->step_count; k++) {
        const fisc_step *s = &it->steps[k];

        if (k)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        fiscp_json_open(j, "{");
        kv_str(j, "id", s->id, 1);
        kv_label(j, "label", s->label_zh, s->label_en, 0);
        kv_str(j, "formula", s->formula, 0);
        kv_str(j, "substituted", s->substituted, 0);
        kv_str(j, "result", s->result, 0);
        kv_str(j, "rounding", s->rounding, 0);
        fiscp_json_close(j, "}");
    }
    fiscp_json_close(j, "]");
}

static void json_item(json *j, const fisc_item *it, int trace)
{
    fiscp_json_open(j, "{");
    kv_str(j, "program", it->program, 1);
    kv_label(j, "title", it->title_zh, it->title_en, 0);
    kv_str(j, "outcome", OUTCOME[it->outcome], 0);
    fiscp_json_key(j, "provisional", 0);
    fiscp_buf_put(j, it->provisional ? "true" : "false");
    kv_label(j, "summary", it->summary_zh, it->summary_en, 0);
    kv_str(j, "choice", it->choice, 0);
    json_amounts(j, it);
    fiscp_json_key(j, "missing_facts", 0);
    fiscp_json_open(j, "[");
    for (size_t k = 0; k < it->missing_count; k++) {
        if (k)
            fiscp_buf_put(j, ",");
        fiscp_buf_json_string(j, it->missing[k]);
    }
    j->depth--;
    fiscp_buf_put(j, "]");
    json_conditions(j, it);
    json_params(j, it);
    if (trace)
        json_steps(j, it);
    fiscp_json_close(j, "}");
}

fisc_status fisc_result_to_json(char **out, const fisc_result *r, unsigned flags, fisc_error *err)
{
    json j = { NULL, 0, 0, 0, (flags & FISC_JSON_PRETTY) != 0, 0 };
    char day[11];

    fiscp_error_reset(err);
    if (!out || !r)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_result_to_json: NULL argument");
    *out = NULL;
    fiscp_date_format(day, r->date);
    fiscp_json_open(&j, "{");
    kv_str(&j, "schema", "fisc-result/1", 1);
    kv_str(&j, "fisc_version", fisc_version_string(), 0);
    fiscp_json_key(&j, "period", 0);
    fiscp_json_open(&j, "{");
    fiscp_json_key(&j, "year", 1);
    fiscp_buf_printf(&j, "%d", r->year);
    fiscp_json_key(&j, "quarter", 0);
    if (r->quarter)
        fiscp_buf_printf(&j, "%d", r->quarter);
    else
        fiscp_buf_put(&j, "null");
    kv_str(&j, "date", day, 0);
    fiscp_json_close(&j, "}");
    json_layers(&j, r);
    kv_str(&j, "currency", "CNY", 0);
    kv_str(&j, "unit", "yuan", 0);
    fiscp_json_key(&j, "provisional", 0);
    fiscp_buf_put(&j, r->provisional ? "true" : "false");
    fiscp_json_key(&j, "totals", 0);
    fiscp_json_open(&j, "{");
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++) {
        fiscp_json_key(&j, CATEGORY[k], k == 0);
        fiscp_buf_put(&j, "\"");
        fiscp_buf_money(&j, &r->totals[k], 0, 0);
        fiscp_buf_put(&j, "\"");
    }
    fiscp_json_close(&j, "}");
    fiscp_json_key(&j, "items", 0);
    fiscp_json_open(&j, "[");
    for (size_t i = 0; i < r->nitems; i++) {
        if (i)
            fiscp_buf_put(&j, ",");
        fiscp_json_nl(&j);
        json_item(&j, &r->items[i], (flags & FISC_JSON_TRACE) != 0);
    }
    fiscp_json_close(&j, "]");
    fiscp_json_close(&j, "}");
    fiscp_buf_put(&j, "\n");
    if (j.failed) {
        fiscp_free(j.p);
        return fiscp_error_nomem(err);
    }
    *out = j.p;
    return FISC_OK;
}

/* ------------------------------------------------------------------ text */

typedef struct words {
    const char *policy, *provisional, *totals, *missing, *conditions, *parameters,
        *steps, *yuan;
    const char *outcome[3], *state[3], *evidence[3], *category[FISC_CATEGORY_COUNT];
} words;

static const words ZH = {
    "政策", "【暂定】结果用到了未经证实的参数，仅供参考",
    "合计", "缺少的事实", "条件", "参数及出处", "计算步骤", "元",
    { "符合", "不符合", "无法确定" }, { "✓", "✗", "?" }, { "已证实", "未证实", "占位" },
    { "应纳税额", "减免税额", "补贴", "应退还" },
};

static const words EN = {
    "Policy",
    "[PROVISIONAL] the result uses unconfirmed parameters; indicative only", "Totals", "Missing facts",
    "Conditions", "Parameters and sources", "Steps", "yuan",
    { "eligible", "not eligible", "undetermined" }, { "✓", "✗", "?" }, { "confirmed", "unconfirmed", "placeholder" },
    { "tax payable", "tax relief", "subsidy", "repayment" },
};

static void text_explain(buf *b, const fisc_item *it, const words *w, int zh)
{
    if (it->condition_count)
        fiscp_buf_printf(b, "  %s:\n", w->conditions);
    for (size_t k = 0; k < it->condition_count; k++) {
        const fisc_condition *c = &it->conditions[k];

        fiscp_buf_printf(b, "    %s ", w->state[c->state]);
        fiscp_buf_put(b, zh ? c->label_zh : c->label_en);
        if (c->detail[0]) {
            fiscp_buf_put(b, " (");
            fiscp_buf_put(b, c->detail);
            fiscp_buf_put(b, ")");
        }
        fiscp_buf_put(b, "\n");
    }
    if (it->param_count)
        fiscp_buf_printf(b, "  %s:\n", w->parameters);
    for (size_t k = 0; k < it->param_count; k++) {
        const fisc_used_param *u = &it->params[k];

        fiscp_buf_printf(b, "    %s = ", u->id);
        fiscp_buf_put(b, u->value);
        if (strcmp(u->unit, "rate") != 0) {
            fiscp_buf_put(b, " ");
            fiscp_buf_put(b, u->unit);
        }
        fiscp_buf_printf(b, " [%s, %s..%s] ", w->evidence[u->evidence], u->from, u->to ? u->to : "");
        fiscp_buf_put(b, u->document);
        if (u->article[0]) {
            fiscp_buf_put(b, " ");
            fiscp_buf_put(b, u->article);
        }
        if (u->url[0]) {
            fiscp_buf_put(b, " ");
            fiscp_buf_put(b, u->url);
        }
        fiscp_buf_put(b, "\n");
    }
    if (it->step_count)
        fiscp_buf_printf(b, "  %s:\n", w->steps);
    for (size_t k = 0; k < it->step_count; k++) {
        const fisc_step *s = &it->steps[k];

        fiscp_buf_printf(b, "    %zu. ", k + 1);
        fiscp_buf_put(b, zh ? s->label_zh : s->label_en);
        fiscp_buf_put(b, ": ");
        fiscp_buf_put(b, s->formula);
        fiscp_buf_put(b, "\n       ");
        fiscp_buf_put(b, s->substituted);
        if (s->result[0] && !s->rounding[0]) {
            fiscp_buf_put(b, " = ");
            fiscp_buf_put(b, s->result);
        }
        fiscp_buf_put(b, "\n");
    }
}

static void text_item(buf *b, const fisc_item *it, const words *w, int zh, int explain)
{
    fiscp_buf_put(b, "\n");
    fiscp_buf_put(b, zh ? it->title_zh : it->title_en);
    fiscp_buf_printf(b, " [%s]: %s%s\n", it->program, w->outcome[it->outcome],
         it->provisional ? (zh ? "（暂定）" : " (provisional)") : "");
    if ((zh ? it->summary_zh : it->summary_en)[0]) {
        fiscp_buf_put(b, "  ");
        fiscp_buf_put(b, zh ? it->summary_zh : it->summary_en);
        fiscp_buf_put(b, "\n");
    }
    for (size_t k = 0; k < it->amount_count; k++) {
        fiscp_buf_printf(b, "  %-16s ", it->amounts[k].name);
        fiscp_buf_money(b, it->amounts[k].value, 1, 0);
        fiscp_buf_printf(b, " %s\n", w->yuan);
    }
    if (it->missing_count) {
        fiscp_buf_printf(b, "  %s:", w->missing);
        for (size_t k = 0; k < it->missing_count; k++)
            fiscp_buf_printf(b, " %s", it->missing[k]);
        fiscp_buf_put(b, "\n");
    }
    if (explain)
        text_explain(b, it, w, zh);
}

fisc_status fisc_result_to_text(char **out, const fisc_result *r, const char *lang, int explain, fisc_error *err)
{
    int zh = !(lang && strcmp(lang, "en") == 0);
    const words *w = zh ? &ZH : &EN;
    buf b = { NULL, 0, 0, 0, 0, 0 };
    char day[11];

    fiscp_error_reset(err);
    if (!out || !r)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_result_to_text: NULL argument");
    *out = NULL;
    fiscp_date_format(day, r->date);
    if (r->quarter && zh)
        fiscp_buf_printf(&b, "%d 年第 %d 季度预缴（累计至 %s）", r->year, r->quarter, day);
    else if (r->quarter)
        fiscp_buf_printf(&b, "prepayment for %d Q%d (cumulative to %s)", r->year, r->quarter, day);
    else if (zh)
        fiscp_buf_printf(&b, "%d 年度（截至 %s）", r->year, day);
    else
        fiscp_buf_printf(&b, "tax year %d (to %s)", r->year, day);
    fiscp_buf_printf(&b, "\n%s:", w->policy);
    for (size_t i = 0; i < r->policy->nlayers; i++) {
        const fisc_layer_info *l = &r->policy->layers[i];

        fiscp_buf_printf(&b, " %s (%.12s)%s", l->id, l->sha256, l->is_overlay ? "*" : "");
    }
    fiscp_buf_put(&b, "\n");
    if (r->provisional) {
        fiscp_buf_put(&b, w->provisional);
        fiscp_buf_put(&b, "\n");
    }
    for (size_t i = 0; i < r->nitems; i++)
        text_item(&b, &r->items[i], w, zh, explain);
    fiscp_buf_printf(&b, "\n%s:\n", w->totals);
    for (int k = 0; k < FISC_CATEGORY_COUNT; k++) {
        if (k == FISC_CATEGORY_REPAYMENT && fisc_decimal_sign(&r->totals[k]) == 0)
            continue; /* only agreements ask for money back */
        fiscp_buf_printf(&b, "  %-16s ", w->category[k]);
        fiscp_buf_money(&b, &r->totals[k], 1, 0);
        fiscp_buf_printf(&b, " %s\n", w->yuan);
    }
    if (b.failed) {
        fiscp_free(b.p);
        return fiscp_error_nomem(err);
    }
    *out = b.p;
    return FISC_OK;
}
