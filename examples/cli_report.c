/*
 * The reports of `fisc estimate`: see cli_report.h. Public API only: the CLI shows what any
 * application linking libfisc could show.
 *
 * The summary's "main amounts" of a program are those that count in a total (category tax
 * payable, tax relief or subsidy); a program that is eligible and publishes none (its amounts
 * only inform, e.g. the R&D extra deduction) shows its first amount, the one programs publish
 * as their headline. Its "clause" is the citation
 * (document and article) of the parameters it used; where the program chose an option (cn.cit:
 * standard, hnte, small_micro), only those of the parameters that belong to the option (the
 * option's name is one of the dotted segments of the parameter id, e.g. cit.small_micro.* and
 * cit.rate.small_micro), if there are any. Articles of one document are merged, documents in
 * the order first used. The explanation lists every parameter with its own citation.
 */
#include "cli_report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_table.h"

typedef struct words {
    const char *policy, *banner, *summary, *col_program,
        *col_outcome, *col_amount, *col_yuan, *col_provisional, *col_clause, *yes, *no, *total,
        *prov_mark, *not_met, *undecided, *missing, *conditions, *parameters, *steps, *yuan,
        *no_rules, *result_row, *years_title, *legend_prov, *changes, *no_change, *param,
        *param_new, *param_gone, *from, *sep, *colon;
    const char *outcome[3], *state[3], *evidence[3], *category[FISC_CATEGORY_COUNT];
} words;

static const words ZH = {
    "政策",
    "【暂定】结果用到了未经证实的参数，仅供参考", "概要（金额单位：元）", "项目", "结果", "金额",
    "元", "暂定", "依据", "是", "否", "合计", "（暂定）", "未满足的条件", "无法判断的条件",
    "缺少的事实", "条件", "参数及出处", "计算步骤", "元", "无规则", "结果",
    "逐年对比：同一企业事实，按各年度规则（金额单位：元）",
    "* 暂定：用到了未经证实的参数", "与上一年度相比的变化", "无变化", "参数", "新用到参数",
    "不再用到参数", "起", "；", "：",
    { "符合", "不符合", "无法确定" }, { "✓", "✗", "?" }, { "已证实", "未证实", "占位" },
    { "应纳税额", "减免税额", "补贴", "应退还" },
};

static const words EN = {
    "Policy",
    "[PROVISIONAL] the result uses unconfirmed parameters; indicative only",
    "Summary (amounts in yuan)", "Program", "Outcome", "Amount", "yuan", "Provisional", "Clause",
    "yes", "no", "Total", " (provisional)", "Conditions not met", "Conditions not decided",
    "Missing facts", "Conditions", "Parameters and sources", "Steps", "yuan", "no rules",
    "outcome", "Year by year: the same facts under each year's rules (amounts in yuan)",
    "* provisional: uses unconfirmed parameters", "Changes from the year before", "no change",
    "parameter", "new parameter", "parameter no longer used", "from", "; ", ": ",
    { "eligible", "not eligible", "undetermined" }, { "✓", "✗", "?" },
    { "confirmed", "unconfirmed", "placeholder" }, { "tax payable", "tax relief", "subsidy", "repayment" },
};

static const char *str(const char *s)
{
    return s ? s : "";
}

static const char *pick(const words *w, const char *zh, const char *en)
{
    return w == &ZH ? str(zh) : str(en);
}

static const char *outcome_word(const words *w, int o)
{
    return o >= 0 && o < 3 ? w->outcome[o] : "?";
}

static const char *state_mark(const words *w, int s)
{
    return s >= 0 && s < 3 ? w->state[s] : "?";
}

static int valid_category(int c)
{
    return c >= 0 && c < FISC_CATEGORY_COUNT;
}

/*
 * Money for a report: thousands separated, two decimals when the value has no more (programs
 * round their amounts to 分), else the exact value. Never rounds. NULL when out of memory;
 * release with fisc_string_free().
 */
static char *money(const fisc_decimal *v)
{
    fisc_format fmt = FISC_FORMAT_INIT;
    uint32_t st = 0;
    char *s = NULL;

    fmt.places = 2;
    fmt.grouping = 1;
    if (fisc_decimal_to_string(&s, v, &fmt, &st, NULL) != FISC_OK)
        return NULL;
    if (!(st & FISC_STATUS_INEXACT))
        return s;
    fisc_string_free(s);
    s = NULL;
    fmt.places = FISC_PLACES_EXACT;
    if (fisc_decimal_to_string(&s, v, &fmt, NULL, NULL) != FISC_OK)
        return NULL;
    return s;
}

static void put_money(cli_buf *b, const fisc_decimal *v)
{
    char *s = money(v);

    if (!s) {
        b->failed = 1;
        return;
    }
    cli_buf_puts(b, s);
    fisc_string_free(s);
}

/*
 * A parameter's value with its unit ("5 万元", "30 days", "25%"); the units that say nothing
 * beside the value ("rate", "count", "yes/no", an enumeration) are left out.
 */
static void put_value(cli_buf *b, const fisc_used_param *u)
{
    const char *unit = str(u->unit);

    cli_buf_puts(b, str(u->value));
    if (unit[0] && strcmp(unit, "rate") != 0 && strcmp(unit, "count") != 0 && strcmp(unit, "yes/no") != 0
        && strncmp(unit, "enum:", 5) != 0)
        cli_buf_printf(b, " %s", unit);
}

static void table_money(cli_table *t, size_t col, const fisc_decimal *v)
{
    char *s = money(v);

    if (!s) {
        t->failed = 1;
        return;
    }
    cli_table_set(t, col, s);
    fisc_string_free(s);
}

/* The last day of the period, YYYY-MM-DD. */
static void period_end(char day[24], int year, int quarter)
{
    static const char *const ends[5] = { "12-31", "03-31", "06-30", "09-30", "12-31" };

    snprintf(day, 24, "%04d-%s", year, ends[quarter >= 1 && quarter <= 4 ? quarter : 0]);
}

static void put_header(cli_buf *b, const fisc_policy *policy, int year, int quarter, const words *w)
{
    char day[24];
    size_t i, n = fisc_policy_layer_count(policy);

    period_end(day, year, quarter);
    if (quarter && w == &ZH)
        cli_buf_printf(b, "%d 年第 %d 季度预缴（累计至 %s）", year, quarter, day);
    else if (quarter)
        cli_buf_printf(b, "prepayment for %d Q%d (cumulative to %s)", year, quarter, day);
    else if (w == &ZH)
        cli_buf_printf(b, "%d 年度（截至 %s）", year, day);
    else
        cli_buf_printf(b, "tax year %d (to %s)", year, day);
    cli_buf_printf(b, "\n%s:", w->policy);
    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(policy, i);

        if (l)
            cli_buf_printf(b, " %s (%.12s)%s", str(l->id), str(l->sha256), l->is_overlay ? "*" : "");
    }
    cli_buf_puts(b, "\n");
}

/* ---------------------------------------------------------------------------------------- */
/* Main amounts and clauses of an item. */

/* The indices of the item's main amounts into @p idx (room for amount_count); their number. */
static size_t main_amounts(const fisc_item *it, size_t *idx)
{
    size_t k, n = 0;

    for (k = 0; k < it->amount_count; k++)
        if (valid_category(it->amounts[k].category))
            idx[n++] = k;
    if (n == 0 && it->outcome == FISC_OUTCOME_ELIGIBLE && it->amount_count > 0)
        idx[n++] = 0;
    return n;
}

/*
 * The label of a main amount: its category's name ("应纳税额"), or its own name when it has no
 * category; both when two main amounts share a category.
 */
static void amount_label(char *out, size_t size, const words *w, const char *name, int category,
                         int shared)
{
    if (!valid_category(category))
        snprintf(out, size, "%s", str(name));
    else if (shared)
        snprintf(out, size, "%s (%s)", w->category[category], str(name));
    else
        snprintf(out, size, "%s", w->category[category]);
}

/* 1 if @p seg is one of the dot-separated segments of @p id. */
static int has_segment(const char *id, const char *seg)
{
    size_t n = strlen(seg);

    while (id) {
        const char *dot = strchr(id, '.');
        size_t len = dot ? (size_t)(dot - id) : strlen(id);

        if (len == n && memcmp(id, seg, n) == 0)
            return 1;
        id = dot ? dot + 1 : NULL;
    }
    return 0;
}

/* Whether parameter @p k counts for the item's clause (see the comment at the top). */
static int clause_param(const fisc_item *it, size_t k, int by_choice)
{
    return !by_choice || has_segment(str(it->params[k].id), it->choice);
}

/*
 * The item's clauses, one string per document ("财政部 税务总局公告2023年第12号 三"), into
 * @p lines (cli_buf each, room for param_count). @return their number.
 */
static size_t item_clauses(const fisc_item *it, cli_buf *lines)
{
    size_t k, j, n = 0;
    int by_choice = 0;

    if (it->choice && it->choice[0])
        for (k = 0; k < it->param_count && !by_choice; k++)
            by_choice = has_segment(str(it->params[k].id), it->choice);
    for (k = 0; k < it->param_count; k++) {
        const char *doc = str(it->params[k].document);
        int seen = 0;

        if (!doc[0] || !clause_param(it, k, by_choice))
            continue;
        for (j = 0; j < k && !seen; j++)
            seen = clause_param(it, j, by_choice) && strcmp(str(it->params[j].document), doc) == 0;
        if (seen)
            continue;
        /* A new document: its articles, from this parameter on, each once. */
        cli_buf_init(&lines[n]);
        cli_buf_puts(&lines[n], doc);
        for (j = k; j < it->param_count; j++) {
            const char *art = str(it->params[j].article);
            size_t i;
            int dup = 0;

            if (!art[0] || !clause_param(it, j, by_choice) || strcmp(str(it->params[j].document), doc) != 0)
                continue;
            for (i = k; i < j && !dup; i++)
                dup = clause_param(it, i, by_choice) && strcmp(str(it->params[i].document), doc) == 0
                      && strcmp(str(it->params[i].article), art) == 0;
            if (dup)
                continue;
            cli_buf_puts(&lines[n], lines[n].len > strlen(doc) ? "、" : " ");
            cli_buf_puts(&lines[n], art);
        }
        n++;
    }
    return n;
}

/* ---------------------------------------------------------------------------------------- */
/* One period. */

enum { S_PROGRAM, S_OUTCOME, S_LABEL, S_AMOUNT, S_PROVISIONAL, S_CLAUSE, S_COLS };

static void summary_item(cli_table *t, const fisc_item *it, const words *w)
{
    size_t *idx = malloc((it->amount_count + 1) * sizeof(*idx));
    cli_buf *clauses = malloc((it->param_count + 1) * sizeof(*clauses));
    size_t na, nc, lines, i, j;

    if (!idx || !clauses) {
        free(idx);
        free(clauses);
        t->failed = 1;
        return;
    }
    na = main_amounts(it, idx);
    nc = item_clauses(it, clauses);
    lines = na > nc ? na : nc;
    if (lines == 0)
        lines = 1;
    for (i = 0; i < lines; i++) {
        cli_table_row(t);
        if (i == 0) {
            cli_table_set(t, S_PROGRAM, pick(w, it->title_zh, it->title_en));
            cli_table_set(t, S_OUTCOME, outcome_word(w, it->outcome));
            cli_table_set(t, S_PROVISIONAL, it->provisional ? w->yes : w->no);
            if (na == 0)
                cli_table_set(t, S_AMOUNT, "-");
            if (nc == 0)
                cli_table_set(t, S_CLAUSE, "-");
        }
        if (i < na) {
            const fisc_amount *a = &it->amounts[idx[i]];
            char label[160];
            int shared = 0;

            for (j = 0; j < na; j++)
                shared |= j != i && valid_category(a->category) && it->amounts[idx[j]].category == a->category;
            amount_label(label, sizeof(label), w, a->name, a->category, shared);
            cli_table_set(t, S_LABEL, label);
            table_money(t, S_AMOUNT, a->value);
        }
        if (i < nc) {
            if (clauses[i].failed)
                t->failed = 1;
            cli_table_set(t, S_CLAUSE, clauses[i].data);
        }
    }
    for (i = 0; i < nc; i++)
        cli_buf_free(&clauses[i]);
    free(clauses);
    free(idx);
}

static void summary_table(cli_buf *b, const fisc_result *r, const words *w)
{
    size_t i, n = fisc_result_item_count(r);
    cli_table t;
    int k;

    cli_table_init(&t, S_COLS);
    if (t.right)
        t.right[S_AMOUNT] = 1;
    cli_table_row(&t);
    cli_table_set(&t, S_PROGRAM, w->col_program);
    cli_table_set(&t, S_OUTCOME, w->col_outcome);
    cli_table_set(&t, S_LABEL, w->col_amount);
    cli_table_set(&t, S_AMOUNT, w->col_yuan);
    cli_table_set(&t, S_PROVISIONAL, w->col_provisional);
    cli_table_set(&t, S_CLAUSE, w->col_clause);
    cli_table_rule(&t);
    for (i = 0; i < n; i++) {
        const fisc_item *it = fisc_result_item(r, i);

        if (it)
            summary_item(&t, it, w);
    }
    cli_table_rule(&t);
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        const fisc_decimal *v = fisc_result_total(r, k);

        if (k == FISC_CATEGORY_REPAYMENT && (!v || fisc_decimal_sign(v) == 0))
            continue; /* only agreements ask for money back: no row of zeros elsewhere */
        cli_table_row(&t);
        if (k == 0)
            cli_table_set(&t, S_PROGRAM, w->total);
        cli_table_set(&t, S_LABEL, w->category[k]);
        if (v)
            table_money(&t, S_AMOUNT, v);
    }
    cli_buf_printf(b, "\n%s\n", w->summary);
    cli_table_render(&t, b, 0);
    cli_table_free(&t);
}

static void put_condition(cli_buf *b, const fisc_condition *c, const words *w)
{
    const char *detail = str(c->detail);

    cli_buf_printf(b, "    %s %s", state_mark(w, c->state), pick(w, c->label_zh, c->label_en));
    if (detail[0])
        cli_buf_printf(b, " (%s)", detail);
    cli_buf_puts(b, "\n");
}

static void put_conditions_in(cli_buf *b, const fisc_item *it, int state, const char *heading,
                              const words *w)
{
    size_t k, shown = 0;

    for (k = 0; k < it->condition_count; k++) {
        if (it->conditions[k].state != state)
            continue;
        if (!shown++)
            cli_buf_printf(b, "  %s:\n", heading);
        put_condition(b, &it->conditions[k], w);
    }
}

static void put_missing(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->missing_count)
        return;
    cli_buf_printf(b, "  %s:\n", w->missing);
    for (k = 0; k < it->missing_count; k++) {
        const fisc_fact_info *f = fisc_fact_vocab_find(str(it->missing[k]));
        const char *label = f ? pick(w, f->label_zh, f->label_en) : "";

        cli_buf_printf(b, "    %s", str(it->missing[k]));
        if (label[0])
            cli_buf_printf(b, w == &ZH ? "（%s）" : " (%s)", label);
        cli_buf_puts(b, "\n");
    }
}

static void put_explain(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (it->condition_count)
        cli_buf_printf(b, "  %s:\n", w->conditions);
    for (k = 0; k < it->condition_count; k++)
        put_condition(b, &it->conditions[k], w);
    if (it->param_count)
        cli_buf_printf(b, "  %s:\n", w->parameters);
    for (k = 0; k < it->param_count; k++) {
        const fisc_used_param *u = &it->params[k];

        cli_buf_printf(b, "    %s = ", str(u->id));
        put_value(b, u);
        cli_buf_printf(b, " [%s, %s..%s] %s",
                       u->evidence >= 0 && u->evidence < 3 ? w->evidence[u->evidence] : "?",
                       str(u->from), str(u->to), str(u->document));
        if (str(u->article)[0])
            cli_buf_printf(b, " %s", u->article);
        if (str(u->url)[0])
            cli_buf_printf(b, " %s", u->url);
        cli_buf_puts(b, "\n");
    }
    if (it->step_count)
        cli_buf_printf(b, "  %s:\n", w->steps);
    for (k = 0; k < it->step_count; k++) {
        const fisc_step *s = &it->steps[k];

        cli_buf_printf(b, "    %zu. %s: %s\n       %s", k + 1, pick(w, s->label_zh, s->label_en),
                       str(s->formula), str(s->substituted));
        if (str(s->result)[0] && !str(s->rounding)[0])
            cli_buf_printf(b, " = %s", s->result);
        cli_buf_puts(b, "\n");
    }
}

static void detail_item(cli_buf *b, const fisc_item *it, const words *w, int explain)
{
    const char *summary = pick(w, it->summary_zh, it->summary_en);
    size_t k;

    cli_buf_printf(b, "\n%s [%s]: %s%s\n", pick(w, it->title_zh, it->title_en), str(it->program),
                   outcome_word(w, it->outcome), it->provisional ? w->prov_mark : "");
    if (summary[0])
        cli_buf_printf(b, "  %s\n", summary);
    if (it->amount_count) {
        /* Every amount, names and figures in two aligned columns. */
        cli_table t;

        cli_table_init(&t, 3);
        if (t.right)
            t.right[1] = 1;
        for (k = 0; k < it->amount_count; k++) {
            cli_table_row(&t);
            cli_table_set(&t, 0, it->amounts[k].name);
            table_money(&t, 1, it->amounts[k].value);
            cli_table_set(&t, 2, w->yuan);
        }
        cli_table_render(&t, b, 2);
        cli_table_free(&t);
    }
    if (explain) {
        put_missing(b, it, w);
        put_explain(b, it, w);
        return;
    }
    /* Why not, or what is missing: the conditions that decided it, with the values compared. */
    if (it->outcome == FISC_OUTCOME_NOT_ELIGIBLE || it->outcome == FISC_OUTCOME_UNDETERMINED)
        put_conditions_in(b, it, FISC_COND_NOT_MET, w->not_met, w);
    if (it->outcome == FISC_OUTCOME_UNDETERMINED)
        put_conditions_in(b, it, FISC_COND_UNKNOWN, w->undecided, w);
    put_missing(b, it, w);
}

void cli_report_text(cli_buf *b, const fisc_policy *policy, const fisc_result *r, int year,
                     int quarter, const char *lang, int explain)
{
    const words *w = lang && strcmp(lang, "en") == 0 ? &EN : &ZH;
    size_t i, n = fisc_result_item_count(r);

    put_header(b, policy, year, quarter, w);
    if (fisc_result_provisional(r))
        cli_buf_printf(b, "%s\n", w->banner);
    summary_table(b, r, w);
    for (i = 0; i < n; i++) {
        const fisc_item *it = fisc_result_item(r, i);

        if (it)
            detail_item(b, it, w, explain);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Year by year. */

typedef struct yamount {
    const char *name;  /* borrowed from a result */
    int category;
} yamount;

typedef struct yprog {
    const char *program, *title;  /* borrowed from a result */
    yamount *amounts;
    size_t namounts;
} yprog;

typedef struct yview {
    yprog *progs;
    size_t nprogs;
    int failed;
} yview;

static yprog *view_prog(yview *v, const fisc_item *it, const words *w)
{
    size_t i;

    for (i = 0; i < v->nprogs; i++)
        if (strcmp(v->progs[i].program, str(it->program)) == 0)
            return &v->progs[i];
    /* progs has room for every item of every run (view_build). */
    v->progs[v->nprogs].program = str(it->program);
    v->progs[v->nprogs].title = pick(w, it->title_zh, it->title_en);
    v->progs[v->nprogs].amounts = NULL;
    v->progs[v->nprogs].namounts = 0;
    return &v->progs[v->nprogs++];
}

static void view_amount(yview *v, yprog *p, const fisc_amount *a)
{
    size_t i;
    yamount *grown;

    for (i = 0; i < p->namounts; i++)
        if (strcmp(p->amounts[i].name, str(a->name)) == 0)
            return;
    grown = realloc(p->amounts, (p->namounts + 1) * sizeof(*grown));
    if (!grown) {
        v->failed = 1;
        return;
    }
    p->amounts = grown;
    p->amounts[p->namounts].name = str(a->name);
    p->amounts[p->namounts].category = a->category;
    p->namounts++;
}

/* The programs of all years in order, each with the union of its main amounts. */
static void view_build(yview *v, const cli_year_run *runs, size_t n, const words *w)
{
    size_t total = 0, j, i, k, p;

    memset(v, 0, sizeof(*v));
    for (j = 0; j < n; j++)
        if (runs[j].result)
            total += fisc_result_item_count(runs[j].result);
    v->progs = calloc(total + 1, sizeof(*v->progs));
    if (!v->progs) {
        v->failed = 1;
        return;
    }
    /* Amounts that count in a total first, then, for a program with none in any year, its
     * first amount in the years it was eligible (as main_amounts() does for one year). */
    for (j = 0; j < n; j++) {
        for (i = 0; runs[j].result && i < fisc_result_item_count(runs[j].result); i++) {
            const fisc_item *it = fisc_result_item(runs[j].result, i);
            yprog *pr;

            if (!it)
                continue;
            pr = view_prog(v, it, w);
            for (k = 0; k < it->amount_count; k++)
                if (valid_category(it->amounts[k].category))
                    view_amount(v, pr, &it->amounts[k]);
        }
    }
    for (p = 0; p < v->nprogs; p++) {
        if (v->progs[p].namounts)
            continue;
        for (j = 0; j < n; j++) {
            const fisc_item *it = runs[j].result ? fisc_result_find(runs[j].result, v->progs[p].program)
                                                 : NULL;

            if (it && it->outcome == FISC_OUTCOME_ELIGIBLE && it->amount_count > 0)
                view_amount(v, &v->progs[p], &it->amounts[0]);
        }
    }
}

static void view_free(yview *v)
{
    size_t p;

    for (p = 0; v->progs && p < v->nprogs; p++)
        free(v->progs[p].amounts);
    free(v->progs);
    v->progs = NULL;
}

static const fisc_amount *find_amount(const fisc_item *it, const char *name)
{
    size_t k;

    for (k = 0; it && k < it->amount_count; k++)
        if (strcmp(str(it->amounts[k].name), name) == 0)
            return &it->amounts[k];
    return NULL;
}

static int shared_category(const yprog *p, size_t a)
{
    size_t i;

    for (i = 0; i < p->namounts; i++)
        if (i != a && valid_category(p->amounts[a].category) && p->amounts[i].category == p->amounts[a].category)
            return 1;
    return 0;
}

static void years_table(cli_buf *b, const yview *v, const cli_year_run *runs, size_t n,
                        const words *w, int *any_provisional)
{
    cli_table t;
    size_t p, a, j;
    int k;

    cli_table_init(&t, n + 2);
    for (j = 2; j < t.ncols; j++)
        t.right[j] = 1;
    cli_table_row(&t);
    cli_table_set(&t, 0, w->col_program);
    for (j = 0; j < n; j++)
        cli_table_setf(&t, j + 2, "%d", runs[j].year);
    cli_table_rule(&t);
    for (p = 0; p < v->nprogs; p++) {
        const yprog *pr = &v->progs[p];

        cli_table_row(&t);
        cli_table_set(&t, 0, pr->title);
        cli_table_set(&t, 1, w->result_row);
        for (j = 0; j < n; j++) {
            const fisc_item *it = runs[j].result ? fisc_result_find(runs[j].result, pr->program) : NULL;

            if (!runs[j].result)
                cli_table_set(&t, j + 2, w->no_rules);
            else if (!it)
                cli_table_set(&t, j + 2, "-");
            else
                cli_table_setf(&t, j + 2, "%s%s", outcome_word(w, it->outcome), it->provisional ? "*" : "");
            if (it && it->provisional)
                *any_provisional = 1;
        }
        for (a = 0; a < pr->namounts; a++) {
            char label[160];

            cli_table_row(&t);
            amount_label(label, sizeof(label), w, pr->amounts[a].name, pr->amounts[a].category,
                         shared_category(pr, a));
            cli_table_set(&t, 1, label);
            for (j = 0; j < n; j++) {
                const fisc_item *it = runs[j].result ? fisc_result_find(runs[j].result, pr->program) : NULL;
                const fisc_amount *am = find_amount(it, pr->amounts[a].name);

                if (am)
                    table_money(&t, j + 2, am->value);
                else
                    cli_table_set(&t, j + 2, "-");
            }
        }
    }
    cli_table_rule(&t);
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        cli_table_row(&t);
        if (k == 0)
            cli_table_set(&t, 0, w->total);
        cli_table_set(&t, 1, w->category[k]);
        for (j = 0; j < n; j++) {
            const fisc_decimal *tot = runs[j].result ? fisc_result_total(runs[j].result, k) : NULL;

            if (tot)
                table_money(&t, j + 2, tot);
            else
                cli_table_set(&t, j + 2, "-");
        }
    }
    cli_table_render(&t, b, 0);
    cli_table_free(&t);
}

/* 1 when two amounts differ for the enterprise: an absent amount counts as zero. */
static int amounts_differ(const fisc_amount *x, const fisc_amount *y)
{
    if (x && y)
        return fisc_decimal_cmp(x->value, y->value) != 0;
    if (x)
        return fisc_decimal_sign(x->value) != 0;
    if (y)
        return fisc_decimal_sign(y->value) != 0;
    return 0;
}

/* "A → B" for an amount that may be absent ("-"). */
static void put_from_to(cli_buf *b, const fisc_amount *x, const fisc_amount *y)
{
    if (x)
        put_money(b, x->value);
    else
        cli_buf_puts(b, "-");
    cli_buf_puts(b, " → ");
    if (y)
        put_money(b, y->value);
    else
        cli_buf_puts(b, "-");
}

static const fisc_used_param *find_param(const fisc_item *it, const char *id)
{
    size_t k;

    for (k = 0; k < it->param_count; k++)
        if (strcmp(str(it->params[k].id), id) == 0)
            return &it->params[k];
    return NULL;
}

static void put_citation(cli_buf *b, const fisc_used_param *u, const words *w, int with_from)
{
    cli_buf_printf(b, w == &ZH ? "（%s" : " (%s", str(u->document));
    if (str(u->article)[0])
        cli_buf_printf(b, " %s", u->article);
    if (with_from)
        cli_buf_printf(b, w == &ZH ? "，%s %s" : ", %s %s", w == &ZH ? str(u->from) : w->from,
                       w == &ZH ? w->from : str(u->from));
    cli_buf_puts(b, w == &ZH ? "）" : ")");
}

/* The parameters behind a change: values that differ, parameters used in one year only. */
static void param_changes(cli_buf *b, const fisc_item *x, const fisc_item *y, const words *w)
{
    size_t k;

    for (k = 0; k < y->param_count; k++) {
        const fisc_used_param *u = &y->params[k], *old = find_param(x, str(u->id));

        if (old && strcmp(str(old->value), str(u->value)) == 0)
            continue;
        if (old) {
            cli_buf_printf(b, "      %s %s%s", w->param, str(u->id), w->colon);
            put_value(b, old);
            cli_buf_puts(b, " → ");
        } else {
            cli_buf_printf(b, "      %s %s = ", w->param_new, str(u->id));
        }
        put_value(b, u);
        put_citation(b, u, w, 1);
        cli_buf_puts(b, "\n");
    }
    for (k = 0; k < x->param_count; k++) {
        const fisc_used_param *u = &x->params[k];

        if (find_param(y, str(u->id)))
            continue;
        cli_buf_printf(b, "      %s %s = ", w->param_gone, str(u->id));
        put_value(b, u);
        cli_buf_puts(b, "\n");
    }
}

/* What changed for the enterprise from one computed year to the next one listed. */
static void years_changes(cli_buf *b, const yview *v, const cli_year_run *runs, size_t n, const words *w)
{
    size_t j, p, a, shown = 0;

    cli_buf_printf(b, "\n%s:\n", w->changes);
    for (j = 1; j < n; j++) {
        if (!runs[j - 1].result || !runs[j].result)
            continue;
        for (p = 0; p < v->nprogs; p++) {
            const yprog *pr = &v->progs[p];
            const fisc_item *x = fisc_result_find(runs[j - 1].result, pr->program);
            const fisc_item *y = fisc_result_find(runs[j].result, pr->program);
            int changed = 0, parts = 0;

            if (!x || !y)
                continue;
            changed = x->outcome != y->outcome;
            for (a = 0; a < pr->namounts && !changed; a++) {
                const fisc_amount *ax = find_amount(x, pr->amounts[a].name);
                const fisc_amount *ay = find_amount(y, pr->amounts[a].name);

                changed = amounts_differ(ax, ay);
            }
            if (!changed)
                continue;
            shown++;
            cli_buf_printf(b, "  %d → %d  %s%s", runs[j - 1].year, runs[j].year, pr->title, w->colon);
            if (x->outcome != y->outcome) {
                cli_buf_printf(b, "%s → %s", outcome_word(w, x->outcome), outcome_word(w, y->outcome));
                parts++;
            }
            for (a = 0; a < pr->namounts; a++) {
                const fisc_amount *ax = find_amount(x, pr->amounts[a].name);
                const fisc_amount *ay = find_amount(y, pr->amounts[a].name);
                char label[160];

                if (!amounts_differ(ax, ay))
                    continue;
                amount_label(label, sizeof(label), w, pr->amounts[a].name, pr->amounts[a].category,
                             shared_category(pr, a));
                cli_buf_printf(b, "%s%s ", parts++ ? w->sep : "", label);
                put_from_to(b, ax, ay);
            }
            cli_buf_puts(b, "\n");
            param_changes(b, x, y, w);
        }
    }
    if (!shown)
        cli_buf_printf(b, "  %s\n", w->no_change);
}

void cli_report_years_text(cli_buf *b, const fisc_policy *policy, const cli_year_run *runs,
                           size_t n, const char *lang, int explain)
{
    const words *w = lang && strcmp(lang, "en") == 0 ? &EN : &ZH;
    size_t i, j;
    yview v;
    int any_provisional = 0;

    cli_buf_printf(b, "%s\n%s:", w->years_title, w->policy);
    for (i = 0; i < fisc_policy_layer_count(policy); i++) {
        const fisc_layer_info *l = fisc_policy_layer(policy, i);

        if (l)
            cli_buf_printf(b, " %s (%.12s)%s", str(l->id), str(l->sha256), l->is_overlay ? "*" : "");
    }
    cli_buf_puts(b, "\n\n");
    view_build(&v, runs, n, w);
    if (v.failed) {
        b->failed = 1;
        view_free(&v);
        return;
    }
    years_table(b, &v, runs, n, w, &any_provisional);
    /* Below the table, after a blank line: the legend, and why a year has no figures. */
    for (j = 0; j < n && runs[j].result; j++)
        ;
    if (any_provisional || j < n)
        cli_buf_puts(b, "\n");
    if (any_provisional)
        cli_buf_printf(b, "%s\n", w->legend_prov);
    for (j = 0; j < n; j++)
        if (!runs[j].result)
            cli_buf_printf(b, "%d%s%s%s%s\n", runs[j].year, w->colon, w->no_rules, w->colon,
                           runs[j].err.text[0] ? runs[j].err.text : fisc_strerror(runs[j].err.code));
    years_changes(b, &v, runs, n, w);
    view_free(&v);
    if (!explain)
        return;
    for (j = 0; j < n; j++) {
        if (!runs[j].result)
            continue;
        cli_buf_puts(b, "\n========================================\n");
        cli_report_text(b, policy, runs[j].result, runs[j].year, 0, lang, 1);
    }
}

int cli_report_years_json(cli_buf *b, const cli_year_run *runs, size_t n, int trace, fisc_error *err)
{
    size_t j;

    cli_buf_puts(b, "{\"schema\":\"fisc-years/1\",\"years\":[");
    for (j = 0; j < n; j++) {
        cli_buf_printf(b, "%s\n{\"year\":%d,", j ? "," : "", runs[j].year);
        if (runs[j].result) {
            char *doc = NULL;
            size_t len;
            int rc = fisc_result_to_json(&doc, runs[j].result, trace ? FISC_JSON_TRACE : 0u, err);

            if (rc != FISC_OK)
                return rc;
            len = strlen(doc);
            while (len > 0 && doc[len - 1] == '\n')
                len--;
            cli_buf_puts(b, "\"result\":");
            cli_buf_put(b, doc, len);
            fisc_string_free(doc);
        } else {
            cli_buf_puts(b, "\"error\":{\"code\":");
            cli_buf_json_string(b, cli_err_name(runs[j].err.code));
            cli_buf_puts(b, ",\"message\":");
            cli_buf_json_string(b, runs[j].err.text[0] ? runs[j].err.text : cli_strerror(runs[j].err.code));
            cli_buf_puts(b, "}");
        }
        cli_buf_puts(b, "}");
    }
    cli_buf_puts(b, "\n]}");
    return FISC_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* Shared with the HTML report (cmd_report.c), so that both reports choose alike. */

size_t cli_report_main_amounts(const fisc_item *it, size_t *idx)
{
    return main_amounts(it, idx);
}

size_t cli_report_clauses(const fisc_item *it, cli_buf *lines)
{
    return item_clauses(it, lines);
}

char *cli_report_money(const fisc_decimal *v)
{
    return money(v);
}
