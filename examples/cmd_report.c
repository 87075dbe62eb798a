/*
 * fisc report FACTS.json -o report.html: one enterprise's evaluation as one self-contained,
 * offline HTML file (issue 7, "Reports"), in Chinese or English.
 *
 * Nothing in the page loads anything: the style is inline (<style>), the chart is inline SVG,
 * there is no script, no font, no image and no stylesheet link; a citation's URL is written as
 * text and, when it is an http(s) address, as an <a href> the reader may follow (nothing is
 * fetched to show the page). Every text that comes from a file (fact values inside the
 * conditions, citations, policy titles, the enterprise's name) is HTML-escaped (cli_html.h).
 *
 * Contents: the enterprise (enterprise_name, uscc when the facts give them), the period, the
 * generation date (--date, default today: tests pass one so the output is reproducible), the
 * policy hash and every layer with its SHA-256, and a provisional banner when any item is
 * provisional; the summary table (each program's outcome, main amounts in figures and in
 * 人民币大写, provisional mark, clause) and the totals per category in figures and in 大写; a bar
 * chart of each program's subsidy and tax relief; then per program the condition checklist
 * with the values compared, the parameters used with their citations, the steps with the
 * numbers substituted and the rounding, and the missing facts.
 *
 * The main amounts and clauses are chosen as in the text report (cli_report.c). Only amounts
 * that count in a total (tax payable, tax relief, subsidy, repayment) are written in 大写: an
 * informative amount may be something other than 元 (zone evaluation points), and the result
 * does not say its unit. The policy hash comes from fisc_policy_hash().
 *
 * Public API only; no floating point: amounts are printed with fisc_decimal_to_string() and a
 * bar's length is floor(amount in 分 × full length / largest amount in 分), exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <getopt.h>

#include <fisc/fisc.h>

#include "cli_cmds.h"
#include "cli_common.h"
#include "cli_html.h"
#include "cli_policy.h"
#include "cli_report.h"

/* The largest facts document fisc_facts_from_json() accepts (<fisc/facts.h>). */

/* The chart: the longest bar, in SVG user units (px), and the geometry of a row. */
#define BAR_FULL 560L
#define CHART_WIDTH 760
#define CHART_X 8
#define CHART_ROW 46
#define CHART_TOP 34

static const char report_usage[] =
    "Usage: fisc report FACTS.json|- (--year Y | --quarter YYYYQn) [-o FILE]\n"
    "                   [--policy FILE]... [--overlay FILE] [--lang zh|en] [--date YYYY-MM-DD]\n"
    "\n"
    "Evaluate every program of a policy for one enterprise, as 'fisc estimate' does, and write\n"
    "the result as one self-contained HTML file that needs no network: inline style, an inline\n"
    "SVG chart, no script, font, image or external stylesheet.\n"
    "\n"
    "  -o, --output FILE     write the HTML to FILE (default, or -, standard output)\n"
    "  -y, --year Y          the tax year, 1990..2100\n"
    "  -q, --quarter YYYYQn  prepayment cumulative to quarter n of year YYYY, e.g. 2019Q2\n"
    "                        (one of --year and --quarter is required)\n"
    "  -p, --policy FILE     a policy layer (YAML); repeat it for several layers, national first.\n"
    "                        Default: the bundled policy\n"
    "      --overlay FILE    an overlay that overrides chosen parameters, for a what-if\n"
    "  -l, --lang LANG       zh (default) or en\n"
    "      --date DATE       the generation date printed in the header, YYYY-MM-DD (default:\n"
    "                        today); give it to make the file reproducible\n"
    "  -h, --help            show this help\n"
    "\n"
    "The page: the enterprise (enterprise_name and uscc, when the facts give them), the period,\n"
    "the date, the policy hash and each layer's SHA-256, a provisional banner when a result uses\n"
    "a parameter that is not confirmed; the summary (each program's outcome, main amounts in\n"
    "figures and in 人民币大写, provisional mark and clause, then the totals per category); a\n"
    "bar chart of each program's subsidy and tax relief; then each program's conditions (met,\n"
    "not met, unknown, with the values compared), the parameters used with their citations,\n"
    "the steps with the numbers substituted and every rounding, and the facts missing.\n"
    "Text from the facts and the policy files is HTML-escaped.\n"
    "\n"
    "Example:\n"
    "  fisc report company.json --year 2023 -o report.html --lang en\n"
    "\n"
    "Exit status: 0 written, 1 invalid facts, 2 usage error, 4 policy error (a policy file that\n"
    "does not load, or no value of a parameter for the period), 70 internal error (including an\n"
    "output file that could not be written).\n";

typedef struct words {
    const char *lang, *title, *enterprise, *uscc, *period, *generated, *engine, *policy_hash,
        *banner, *layers, *col_layer, *col_title, *col_document, *col_file, *col_sha, *overlay,
        *summary, *col_program, *col_outcome, *col_amount, *col_figures, *col_upper,
        *col_provisional, *col_clause, *yes, *no, *total, *informative, *chart, *chart_none,
        *details, *amounts, *conditions, *col_state, *col_condition, *col_values, *parameters,
        *col_param, *col_value, *col_in_force, *col_status, *col_citation, *steps, *missing,
        *onward, *prov_mark, *footer;
    const char *outcome[3], *state[3], *evidence[3], *category[FISC_CATEGORY_COUNT];
} words;

static const words ZH = {
    "zh-CN", "税收优惠与财政补贴测算报告", "企业名称", "统一社会信用代码", "期间", "生成日期",
    "计算程序", "政策哈希", "【暂定】结果用到了未经证实或占位的参数，仅供参考",
    "政策版本", "层", "标题", "文件依据", "文件", "SHA-256", "（覆盖）",
    "概要", "项目", "结果", "金额项目", "金额（元）", "大写", "暂定", "依据", "是", "否", "合计",
    "（仅供参考，不计入合计）", "各项目的补贴与减免税额（元）", "没有补贴或减免税额。",
    "各项目明细", "金额", "条件", "状态", "条件", "比较的数值", "参数及出处", "参数", "取值",
    "有效期", "证实情况", "出处", "计算步骤", "缺少的事实", " 起", "（暂定）",
    "金额精确计算，无二进制浮点；本页不加载任何外部资源。",
    { "符合", "不符合", "无法确定" }, { "满足", "不满足", "无法判断" },
    { "已证实", "未证实", "占位" }, { "应纳税额", "减免税额", "补贴", "应退还" },
};

static const words EN = {
    "en", "Tax incentives and subsidies report", "Enterprise", "Unified social credit code",
    "Period", "Generated", "Computed by", "Policy hash",
    "[PROVISIONAL] the result uses parameters that are unconfirmed or placeholders; indicative only",
    "Policy versions", "Layer", "Title", "Document", "File", "SHA-256", " (overlay)",
    "Summary", "Program", "Outcome", "Amount", "Yuan", "In words (大写)", "Provisional", "Clause",
    "yes", "no", "Total", " (informative, not in the totals)",
    "Subsidy and tax relief per program (yuan)", "No subsidy or tax relief.",
    "Programs in detail", "Amounts", "Conditions", "State", "Condition", "Values compared",
    "Parameters and sources", "Parameter", "Value", "In force", "Status", "Source", "Steps",
    "Missing facts", " onward", " (provisional)",
    "Amounts computed exactly, with no binary floating point; this page loads nothing from "
    "outside.",
    { "eligible", "not eligible", "undetermined" }, { "met", "not met", "unknown" },
    { "confirmed", "unconfirmed", "placeholder" },
    { "tax payable", "tax relief", "subsidy", "repayment" },
};

static const char STYLE[] =
    "body{font-family:\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"Source Han Sans SC\","
    "sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1a1a1a;line-height:1.5}\n"
    "h1{font-size:1.6em;margin-bottom:.3em}h2{border-bottom:2px solid #345;padding-bottom:.2em;"
    "margin-top:2em}h3{margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top;text-align:left}"
    "th{background:#eef1f5}\n"
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "td.upper{white-space:nowrap}\n"
    "table.meta th{width:12em}code,.hash{font-family:monospace;word-break:break-all}\n"
    ".banner{border:2px solid #c60;background:#fff4e5;color:#8a3b00;padding:.6em 1em;"
    "font-weight:bold;margin:1em 0}\n"
    ".prov{color:#c60;font-weight:bold}.met{color:#17692f}.not_met{color:#a11}"
    ".unknown{color:#8a6d00}\n"
    "tfoot td,tfoot th{font-weight:bold;background:#f6f6f6}\n"
    "ol.steps li{margin-bottom:.4em}.formula{color:#444}.subst{font-family:monospace}"
    ".rounding{color:#555;font-size:.9em}\n"
    "svg text{font-size:13px;fill:#1a1a1a}\n"
    "footer{margin-top:3em;color:#666;font-size:.85em}\n"
    "@media print{body{max-width:none}a{color:inherit;text-decoration:none}"
    "section.program{page-break-inside:avoid}}\n";

static const char *str(const char *s)
{
    return s ? s : "";
}

static const char *pick(const words *w, const char *zh, const char *en)
{
    return w == &ZH ? str(zh) : str(en);
}

static int valid_category(int c)
{
    return c >= 0 && c < FISC_CATEGORY_COUNT;
}

static const char *outcome_word(const words *w, int o)
{
    return o >= 0 && o < 3 ? w->outcome[o] : "?";
}

static const char *state_class(int s)
{
    static const char *const names[3] = { "met", "not_met", "unknown" };

    return s >= 0 && s < 3 ? names[s] : "unknown";
}

/* 1 if @p s is a real calendar date written YYYY-MM-DD (years 1900..2199). */
static int valid_date(const char *s)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int i, y = 0, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    for (i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* Today's local date, YYYY-MM-DD. */
static void today(char out[16])
{
    time_t now = time(NULL);
    struct tm tm;

    if (now == (time_t)-1 || !localtime_r(&now, &tm)) {
        snprintf(out, 16, "%s", "1970-01-01");
        return;
    }
    snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

/* ---------------------------------------------------------------------------------------- */
/* Pieces of the page. */

/* A parameter's value with its unit, as the text report writes it ("5 万元", "25%"). */
static void put_value(cli_buf *b, const fisc_used_param *u)
{
    const char *unit = str(u->unit);

    cli_html_text(b, str(u->value));
    if (unit[0] && strcmp(unit, "rate") != 0 && strcmp(unit, "count") != 0
        && strcmp(unit, "yes/no") != 0 && strncmp(unit, "enum:", 5) != 0) {
        cli_buf_puts(b, " ");
        cli_html_text(b, unit);
    }
}

static void put_period(cli_buf *b, int year, int quarter, const words *w)
{
    static const char *const ends[5] = { "12-31", "03-31", "06-30", "09-30", "12-31" };
    const char *end = ends[quarter >= 1 && quarter <= 4 ? quarter : 0];

    if (quarter && w == &ZH)
        cli_buf_printf(b, "%d 年第 %d 季度预缴（累计至 %04d-%s）", year, quarter, year, end);
    else if (quarter)
        cli_buf_printf(b, "prepayment for %d Q%d (cumulative to %04d-%s)", year, quarter, year, end);
    else if (w == &ZH)
        cli_buf_printf(b, "%d 年度（截至 %04d-%s）", year, year, end);
    else
        cli_buf_printf(b, "tax year %d (to %04d-%s)", year, year, end);
}

/* A fact given as text (enterprise_name, uscc) as a row of the header table, if set. */
static void meta_fact(cli_buf *b, const fisc_facts *facts, const char *name, const char *label)
{
    char *v = NULL;

    if (!fisc_facts_has(facts, name) || fisc_facts_get(&v, facts, name, NULL) != FISC_OK)
        return;
    cli_buf_puts(b, "<tr>");
    cli_html_elem(b, "th", NULL, label);
    cli_html_elem(b, "td", NULL, v);
    cli_buf_puts(b, "</tr>\n");
    fisc_string_free(v);
}

static void put_header(cli_buf *b, const fisc_facts *facts, const fisc_result *r, const char *hash,
                       int year, int quarter, const char *date, const words *w)
{
    cli_buf_puts(b, "<header>\n");
    cli_html_elem(b, "h1", NULL, w->title);
    cli_buf_puts(b, "\n<table class=\"meta\">\n");
    meta_fact(b, facts, "enterprise_name", w->enterprise);
    meta_fact(b, facts, "uscc", w->uscc);
    cli_buf_puts(b, "<tr>");
    cli_html_elem(b, "th", NULL, w->period);
    cli_buf_puts(b, "<td>");
    put_period(b, year, quarter, w);
    cli_buf_puts(b, "</td></tr>\n<tr>");
    cli_html_elem(b, "th", NULL, w->generated);
    cli_html_elem(b, "td", NULL, date);
    cli_buf_puts(b, "</tr>\n<tr>");
    cli_html_elem(b, "th", NULL, w->engine);
    cli_buf_printf(b, "<td>fisc %d.%d.%d (libfisc ", FISC_VERSION_MAJOR, FISC_VERSION_MINOR,
                   FISC_VERSION_PATCH);
    cli_html_text(b, fisc_version_string());
    cli_buf_puts(b, ")</td></tr>\n<tr>");
    cli_html_elem(b, "th", NULL, w->policy_hash);
    cli_buf_puts(b, "<td><code id=\"policy-hash\">");
    cli_html_text(b, hash);
    cli_buf_puts(b, "</code></td></tr>\n</table>\n");
    if (fisc_result_provisional(r)) {
        cli_buf_puts(b, "<div class=\"banner\" id=\"provisional-banner\" role=\"alert\">");
        cli_html_text(b, w->banner);
        cli_buf_puts(b, "</div>\n");
    }
    cli_buf_puts(b, "</header>\n");
}

static void put_layers(cli_buf *b, const fisc_policy *policy, const words *w)
{
    const char *const head[5] = { w->col_layer, w->col_title, w->col_document, w->col_file, w->col_sha };

    cli_buf_puts(b, "<section id=\"policy\">\n");
    cli_html_elem(b, "h2", NULL, w->layers);
    cli_buf_puts(b, "\n");
    cli_html_layers(b, policy, w != &ZH, head, w->overlay);
    cli_buf_puts(b, "</section>\n");
}

/* The label of a main amount: its category's word, with its name when the category repeats. */
static void put_amount_label(cli_buf *b, const fisc_item *it, const size_t *idx, size_t na, size_t i,
                             const words *w)
{
    const fisc_amount *a = &it->amounts[idx[i]];
    size_t j;
    int shared = 0;

    if (!valid_category(a->category)) {
        cli_html_text(b, a->name);
        cli_html_text(b, w->informative);
        return;
    }
    for (j = 0; j < na; j++)
        shared |= j != i && it->amounts[idx[j]].category == a->category;
    cli_html_text(b, w->category[a->category]);
    if (shared) {
        cli_buf_puts(b, " (");
        cli_html_text(b, a->name);
        cli_buf_puts(b, ")");
    }
}

static void summary_item(cli_buf *b, const fisc_item *it, size_t index, const words *w)
{
    size_t *idx = malloc((it->amount_count + 1) * sizeof(*idx));
    cli_buf *clauses = malloc((it->param_count + 1) * sizeof(*clauses));
    size_t na, nc, rows, i;

    if (!idx || !clauses) {
        free(idx);
        free(clauses);
        b->failed = 1;
        return;
    }
    na = cli_report_main_amounts(it, idx);
    nc = cli_report_clauses(it, clauses);
    rows = na ? na : 1;
    for (i = 0; i < rows; i++) {
        cli_buf_puts(b, "<tr>");
        if (i == 0) {
            size_t k;

            cli_buf_printf(b, "<td rowspan=\"%zu\"><a href=\"#prog-%zu\">", rows, index + 1);
            cli_html_text(b, pick(w, it->title_zh, it->title_en));
            cli_buf_printf(b, "</a></td><td rowspan=\"%zu\">", rows);
            cli_html_text(b, outcome_word(w, it->outcome));
            cli_buf_puts(b, "</td>");
            if (na == 0)
                cli_buf_puts(b, "<td>-</td><td class=\"num\">-</td><td>-</td>");
            else {
                cli_buf_puts(b, "<td>");
                put_amount_label(b, it, idx, na, 0, w);
                cli_buf_puts(b, "</td><td class=\"num amount\">");
                cli_html_money(b, it->amounts[idx[0]].value);
                cli_buf_puts(b, "</td><td class=\"upper\">");
                if (valid_category(it->amounts[idx[0]].category))
                    cli_html_upper(b, it->amounts[idx[0]].value);
                else
                    cli_buf_puts(b, "—");
                cli_buf_puts(b, "</td>");
            }
            cli_buf_printf(b, "<td rowspan=\"%zu\"%s>", rows, it->provisional ? " class=\"prov\"" : "");
            cli_html_text(b, it->provisional ? w->yes : w->no);
            cli_buf_printf(b, "</td><td rowspan=\"%zu\">", rows);
            if (nc == 0)
                cli_buf_puts(b, "-");
            for (k = 0; k < nc; k++) {
                if (clauses[k].failed)
                    b->failed = 1;
                cli_buf_puts(b, "<div>");
                cli_html_text(b, clauses[k].data);
                cli_buf_puts(b, "</div>");
            }
            cli_buf_puts(b, "</td>");
        } else {
            cli_buf_puts(b, "<td>");
            put_amount_label(b, it, idx, na, i, w);
            cli_buf_puts(b, "</td><td class=\"num amount\">");
            cli_html_money(b, it->amounts[idx[i]].value);
            cli_buf_puts(b, "</td><td class=\"upper\">");
            if (valid_category(it->amounts[idx[i]].category))
                cli_html_upper(b, it->amounts[idx[i]].value);
            else
                cli_buf_puts(b, "—");
            cli_buf_puts(b, "</td>");
        }
        cli_buf_puts(b, "</tr>\n");
    }
    for (i = 0; i < nc; i++)
        cli_buf_free(&clauses[i]);
    free(clauses);
    free(idx);
}

static void put_summary(cli_buf *b, const fisc_result *r, const words *w)
{
    size_t i, n = fisc_result_item_count(r);
    int k, first = 1;

    cli_buf_puts(b, "<section id=\"summary\">\n");
    cli_html_elem(b, "h2", NULL, w->summary);
    cli_buf_puts(b, "\n<table>\n<thead><tr>");
    cli_html_elem(b, "th", NULL, w->col_program);
    cli_html_elem(b, "th", NULL, w->col_outcome);
    cli_html_elem(b, "th", NULL, w->col_amount);
    cli_html_elem(b, "th", NULL, w->col_figures);
    cli_html_elem(b, "th", NULL, w->col_upper);
    cli_html_elem(b, "th", NULL, w->col_provisional);
    cli_html_elem(b, "th", NULL, w->col_clause);
    cli_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < n; i++) {
        const fisc_item *it = fisc_result_item(r, i);

        if (it)
            summary_item(b, it, i, w);
    }
    cli_buf_puts(b, "</tbody>\n<tfoot>\n");
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        const fisc_decimal *v = fisc_result_total(r, k);

        if (!v || (k == FISC_CATEGORY_REPAYMENT && fisc_decimal_sign(v) == 0))
            continue; /* only agreements ask for money back: no row of zeros elsewhere */
        cli_buf_printf(b, "<tr class=\"total\" id=\"total-%d\">", k);
        cli_buf_puts(b, "<th colspan=\"2\">");
        if (first)
            cli_html_text(b, w->total);
        first = 0;
        cli_buf_puts(b, "</th>");
        cli_html_elem(b, "td", NULL, w->category[k]);
        cli_buf_puts(b, "<td class=\"num amount\">");
        cli_html_money(b, v);
        cli_buf_puts(b, "</td><td class=\"upper\">");
        cli_html_upper(b, v);
        cli_buf_puts(b, "</td><td colspan=\"2\"></td></tr>\n");
    }
    cli_buf_puts(b, "</tfoot>\n</table>\n</section>\n");
}

/* ---------------------------------------------------------------------------------------- */
/* The chart: one bar per program and category (subsidy, tax relief) with a non-zero amount. */

typedef struct bar {
    const fisc_item *item;
    int category;
    fisc_decimal yuan; /* the item's amounts of that category, added */
    fisc_decimal fen;  /* the same in 分, an integer */
} bar;

static void put_chart(cli_buf *b, const fisc_result *r, const words *w, fisc_error *err, int *rc)
{
    static const int cats[2] = { FISC_CATEGORY_SUBSIDY, FISC_CATEGORY_TAX_RELIEF };
    static const char *const colors[2] = { "#2e8b57", "#3465a4" };
    size_t n = fisc_result_item_count(r), nbars = 0, i, k;
    bar *bars = calloc(2 * n + 1, sizeof(*bars));
    fisc_decimal max_fen;
    int c, height;

    fisc_decimal_init(&max_fen);
    cli_buf_puts(b, "<section id=\"chart\">\n");
    cli_html_elem(b, "h2", NULL, w->chart);
    cli_buf_puts(b, "\n");
    if (!bars) {
        b->failed = 1;
        goto out;
    }
    for (i = 0; i < n && *rc == FISC_OK; i++) {
        const fisc_item *it = fisc_result_item(r, i);

        if (!it || it->outcome == FISC_OUTCOME_UNDETERMINED) /* as the totals count them */
            continue;
        for (c = 0; c < 2 && *rc == FISC_OK; c++) {
            bar *br = &bars[nbars];
            int any = 0;

            fisc_decimal_init(&br->yuan);
            fisc_decimal_init(&br->fen);
            for (k = 0; k < it->amount_count && *rc == FISC_OK; k++) {
                if (it->amounts[k].category != cats[c])
                    continue;
                any = 1;
                *rc = fisc_decimal_add(&br->yuan, &br->yuan, it->amounts[k].value, err);
            }
            if (*rc == FISC_OK && any && fisc_decimal_sign(&br->yuan) != 0)
                *rc = cli_fen(&br->fen, &br->yuan, err);
            if (*rc != FISC_OK || !any || fisc_decimal_sign(&br->yuan) == 0) {
                fisc_decimal_clear(&br->yuan);
                fisc_decimal_clear(&br->fen);
                continue;
            }
            br->item = it;
            br->category = cats[c];
            if (fisc_decimal_cmp(&br->fen, &max_fen) > 0)
                *rc = fisc_decimal_set(&max_fen, &br->fen, err);
            nbars++;
        }
    }
    if (*rc != FISC_OK)
        goto out;
    if (nbars == 0) {
        cli_html_elem(b, "p", NULL, w->chart_none);
        cli_buf_puts(b, "\n");
        goto out;
    }
    height = CHART_TOP + (int)nbars * CHART_ROW + 8;
    {
        char *max_text = NULL;

        *rc = fisc_decimal_to_string(&max_text, &max_fen, NULL, NULL, err);
        if (*rc != FISC_OK)
            goto out;
        cli_buf_printf(b, "<svg role=\"img\" width=\"%d\" "
                          "height=\"%d\" viewBox=\"0 0 %d %d\" data-full=\"%ld\" data-max-fen=\"%s\">\n",
                       CHART_WIDTH, height, CHART_WIDTH, height, BAR_FULL, max_text);
        fisc_string_free(max_text);
    }
    cli_buf_puts(b, "<title>");
    cli_html_text(b, w->chart);
    cli_buf_puts(b, "</title>\n");
    /* Legend. */
    for (c = 0; c < 2; c++) {
        int x = CHART_X + c * 160;

        cli_buf_printf(b, "<rect x=\"%d\" y=\"6\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"18\">", x, colors[c], x + 20);
        cli_html_text(b, w->category[cats[c]]);
        cli_buf_puts(b, "</text>\n");
    }
    for (i = 0; i < nbars && *rc == FISC_OK; i++) {
        const bar *br = &bars[i];
        int y = CHART_TOP + (int)i * CHART_ROW, ci = br->category == cats[0] ? 0 : 1;
        char *fen_text = NULL;
        long len = 0;

        *rc = cli_bar_length(&len, &br->fen, &max_fen, BAR_FULL, err);
        if (*rc == FISC_OK)
            *rc = fisc_decimal_to_string(&fen_text, &br->fen, NULL, NULL, err);
        if (*rc != FISC_OK)
            break;
        cli_buf_printf(b, "<g class=\"bar\"><text x=\"%d\" y=\"%d\">", CHART_X, y + 14);
        cli_html_text(b, pick(w, br->item->title_zh, br->item->title_en));
        cli_buf_puts(b, " · ");
        cli_html_text(b, w->category[br->category]);
        cli_buf_puts(b, " ");
        cli_html_money(b, &br->yuan);
        cli_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%ld\" height=\"16\" fill=\"%s\" "
                          "data-fen=\"%s\"/></g>\n", CHART_X, y + 20, len, colors[ci], fen_text);
        fisc_string_free(fen_text);
    }
    cli_buf_puts(b, "</svg>\n");
out:
    cli_buf_puts(b, "</section>\n");
    for (i = 0; i < nbars; i++) {
        fisc_decimal_clear(&bars[i].yuan);
        fisc_decimal_clear(&bars[i].fen);
    }
    free(bars);
    fisc_decimal_clear(&max_fen);
}

/* ---------------------------------------------------------------------------------------- */
/* Each program in detail. */

static void detail_amounts(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->amount_count)
        return;
    cli_html_elem(b, "h4", NULL, w->amounts);
    cli_buf_puts(b, "\n<table class=\"amounts\">\n<tbody>\n");
    for (k = 0; k < it->amount_count; k++) {
        const fisc_amount *a = &it->amounts[k];

        cli_buf_puts(b, "<tr><td><code>");
        cli_html_text(b, a->name);
        cli_buf_puts(b, "</code></td><td class=\"num amount\">");
        cli_html_money(b, a->value);
        cli_buf_puts(b, "</td><td>");
        if (valid_category(a->category))
            cli_html_text(b, w->category[a->category]);
        cli_buf_puts(b, "</td><td class=\"upper\">");
        if (valid_category(a->category))
            cli_html_upper(b, a->value);
        cli_buf_puts(b, "</td></tr>\n");
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
}

static void detail_missing(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->missing_count)
        return;
    cli_html_elem(b, "h4", NULL, w->missing);
    cli_buf_puts(b, "\n<ul class=\"missing\">\n");
    for (k = 0; k < it->missing_count; k++) {
        const fisc_fact_info *f = fisc_fact_vocab_find(str(it->missing[k]));

        cli_buf_puts(b, "<li><code>");
        cli_html_text(b, it->missing[k]);
        cli_buf_puts(b, "</code>");
        if (f) {
            cli_buf_puts(b, w == &ZH ? "（" : " (");
            cli_html_text(b, pick(w, f->label_zh, f->label_en));
            cli_buf_puts(b, w == &ZH ? "）" : ")");
        }
        cli_buf_puts(b, "</li>\n");
    }
    cli_buf_puts(b, "</ul>\n");
}

static void detail_conditions(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->condition_count)
        return;
    cli_html_elem(b, "h4", NULL, w->conditions);
    cli_buf_puts(b, "\n<table class=\"conditions\">\n<thead><tr>");
    cli_html_elem(b, "th", NULL, w->col_state);
    cli_html_elem(b, "th", NULL, w->col_condition);
    cli_html_elem(b, "th", NULL, w->col_values);
    cli_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (k = 0; k < it->condition_count; k++) {
        const fisc_condition *c = &it->conditions[k];
        int s = c->state >= 0 && c->state < 3 ? c->state : FISC_COND_UNKNOWN;
        static const char *const marks[3] = { "✓", "✗", "?" };

        cli_buf_printf(b, "<tr><td class=\"%s\">%s ", state_class(s), marks[s]);
        cli_html_text(b, w->state[s]);
        cli_buf_puts(b, "</td><td>");
        cli_html_text(b, pick(w, c->label_zh, c->label_en));
        cli_buf_puts(b, " <code>");
        cli_html_text(b, c->id);
        cli_buf_puts(b, "</code></td>");
        cli_html_elem(b, "td", NULL, c->detail);
        cli_buf_puts(b, "</tr>\n");
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
}

static void detail_params(cli_buf *b, const fisc_policy *policy, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->param_count)
        return;
    cli_html_elem(b, "h4", NULL, w->parameters);
    cli_buf_puts(b, "\n<table class=\"parameters\">\n<thead><tr>");
    cli_html_elem(b, "th", NULL, w->col_param);
    cli_html_elem(b, "th", NULL, w->col_value);
    cli_html_elem(b, "th", NULL, w->col_in_force);
    cli_html_elem(b, "th", NULL, w->col_status);
    cli_html_elem(b, "th", NULL, w->col_citation);
    cli_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (k = 0; k < it->param_count; k++) {
        const fisc_used_param *u = &it->params[k];
        const fisc_param *q = fisc_policy_find_param(policy, str(u->id));
        int e = u->evidence >= 0 && u->evidence < 3 ? u->evidence : FISC_EVIDENCE_UNCONFIRMED;

        cli_buf_puts(b, "<tr><td><code>");
        cli_html_text(b, u->id);
        cli_buf_puts(b, "</code>");
        if (q) {
            cli_buf_puts(b, "<div>");
            cli_html_text(b, fisc_param_label(q, w->lang[0] == 'e' ? "en" : "zh"));
            cli_buf_puts(b, "</div>");
        }
        cli_buf_puts(b, "</td><td>");
        put_value(b, u);
        cli_buf_puts(b, "</td><td>");
        cli_html_text(b, u->from);
        if (u->to) {
            cli_buf_puts(b, " – ");
            cli_html_text(b, u->to);
        } else {
            cli_html_text(b, w->onward);
        }
        cli_buf_printf(b, "</td><td%s>", e != FISC_EVIDENCE_CONFIRMED ? " class=\"prov\"" : "");
        cli_html_text(b, w->evidence[e]);
        cli_buf_puts(b, "</td><td>");
        cli_html_text(b, u->document);
        if (str(u->article)[0]) {
            cli_buf_puts(b, " ");
            cli_html_text(b, u->article);
        }
        if (str(u->url)[0]) {
            cli_buf_puts(b, "<div class=\"url\">");
            if (cli_html_linkable(u->url)) {
                cli_buf_puts(b, "<a href=\"");
                cli_html_text(b, u->url);
                cli_buf_puts(b, "\" rel=\"noreferrer noopener\">");
                cli_html_text(b, u->url);
                cli_buf_puts(b, "</a>");
            } else {
                cli_html_text(b, u->url);
            }
            cli_buf_puts(b, "</div>");
        }
        cli_buf_puts(b, "</td></tr>\n");
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
}

static void detail_steps(cli_buf *b, const fisc_item *it, const words *w)
{
    size_t k;

    if (!it->step_count)
        return;
    cli_html_elem(b, "h4", NULL, w->steps);
    cli_buf_puts(b, "\n<ol class=\"steps\">\n");
    for (k = 0; k < it->step_count; k++) {
        const fisc_step *s = &it->steps[k];

        cli_buf_puts(b, "<li><strong>");
        cli_html_text(b, pick(w, s->label_zh, s->label_en));
        cli_buf_puts(b, "</strong>");
        if (str(s->formula)[0]) {
            cli_buf_puts(b, "<div class=\"formula\">");
            cli_html_text(b, s->formula);
            cli_buf_puts(b, "</div>");
        }
        cli_buf_puts(b, "<div class=\"subst\">");
        cli_html_text(b, s->substituted);
        if (str(s->result)[0] && !str(s->rounding)[0]) {
            cli_buf_puts(b, " = ");
            cli_html_text(b, s->result);
        }
        cli_buf_puts(b, "</div>");
        if (str(s->rounding)[0] && strcmp(s->rounding, str(s->substituted)) != 0) {
            cli_buf_puts(b, "<div class=\"rounding\">");
            cli_html_text(b, s->rounding);
            cli_buf_puts(b, "</div>");
        }
        cli_buf_puts(b, "</li>\n");
    }
    cli_buf_puts(b, "</ol>\n");
}

static void put_details(cli_buf *b, const fisc_policy *policy, const fisc_result *r, const words *w)
{
    size_t i, n = fisc_result_item_count(r);

    cli_buf_puts(b, "<section id=\"programs\">\n");
    cli_html_elem(b, "h2", NULL, w->details);
    cli_buf_puts(b, "\n");
    for (i = 0; i < n; i++) {
        const fisc_item *it = fisc_result_item(r, i);
        const char *summary;

        if (!it)
            continue;
        summary = pick(w, it->summary_zh, it->summary_en);
        cli_buf_printf(b, "<section class=\"program\" id=\"prog-%zu\" data-program=\"", i + 1);
        cli_html_text(b, it->program);
        cli_buf_puts(b, "\">\n<h3>");
        cli_html_text(b, pick(w, it->title_zh, it->title_en));
        cli_buf_puts(b, " <code>");
        cli_html_text(b, it->program);
        cli_buf_puts(b, "</code>: ");
        cli_html_text(b, outcome_word(w, it->outcome));
        if (it->provisional) {
            cli_buf_puts(b, "<span class=\"prov\">");
            cli_html_text(b, w->prov_mark);
            cli_buf_puts(b, "</span>");
        }
        cli_buf_puts(b, "</h3>\n");
        if (summary[0]) {
            cli_html_elem(b, "p", "summary", summary);
            cli_buf_puts(b, "\n");
        }
        detail_amounts(b, it, w);
        detail_missing(b, it, w);
        detail_conditions(b, it, w);
        detail_params(b, policy, it, w);
        detail_steps(b, it, w);
        cli_buf_puts(b, "</section>\n");
    }
    cli_buf_puts(b, "</section>\n");
}

/* The whole page into @p b. @return FISC_OK, or a library error in @p err. */
static int render(cli_buf *b, const fisc_policy *policy, const fisc_facts *facts, const fisc_result *r,
                  int year, int quarter, const char *date, const words *w, fisc_error *err)
{
    const char *hash = cli_policy_hash(policy);
    int rc = FISC_OK;
    char *name = NULL;

    cli_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"fisc %d.%d.%d\">\n<title>",
                   w->lang, FISC_VERSION_MAJOR, FISC_VERSION_MINOR, FISC_VERSION_PATCH);
    cli_html_text(b, w->title);
    if (fisc_facts_has(facts, "enterprise_name")
        && fisc_facts_get(&name, facts, "enterprise_name", NULL) == FISC_OK) {
        cli_buf_puts(b, " — ");
        cli_html_text(b, name);
    }
    fisc_string_free(name);
    cli_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", STYLE);
    put_header(b, facts, r, hash, year, quarter, date, w);
    cli_buf_puts(b, "<main>\n");
    put_summary(b, r, w);
    put_chart(b, r, w, err, &rc);
    if (rc != FISC_OK)
        return rc;
    put_layers(b, policy, w);
    put_details(b, policy, r, w);
    cli_buf_puts(b, "</main>\n<footer>");
    cli_html_text(b, w->footer);
    cli_buf_puts(b, "</footer>\n</body>\n</html>\n");
    return FISC_OK;
}

/* Write the finished page to @p path ("-": standard output). @return the exit status. */
static int write_out(const cli_ctx *ctx, cli_buf *b, const char *path)
{
    fisc_error err = FISC_ERROR_INIT;
    FILE *f;
    int bad;

    if (b->failed) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory building the report");
        return cli_report(ctx, &err);
    }
    if (strcmp(path, "-") == 0)
        return put_buf(ctx, b);
    f = fopen(path, "wb");
    if (!f) {
        cli_error_set(&err, CLI_EOUTPUT, path, -1, -1, "cannot open the output file for writing");
        return cli_report(ctx, &err);
    }
    bad = cli_buf_write(b, f) != 0;
    bad |= fclose(f) != 0;
    if (bad) {
        cli_error_set(&err, CLI_EOUTPUT, path, -1, -1, "writing the report failed");
        return cli_report(ctx, &err);
    }
    return CLI_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000, OPT_DATE };
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "year", required_argument, NULL, 'y' },
        { "quarter", required_argument, NULL, 'q' },
        { "policy", required_argument, NULL, 'p' },
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "lang", required_argument, NULL, 'l' },
        { "date", required_argument, NULL, OPT_DATE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc report", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options opts = FISC_EVAL_OPTIONS_INIT;
    fisc_policy *policy = NULL;
    fisc_facts *facts = NULL;
    fisc_result *result = NULL;
    const char *lang = "zh", *facts_path, *output = "-", *date = NULL;
    char day[16];
    cli_buf page;
    int help = 0, year = 0, quarter = 0, by_year = 0, by_quarter = 0, c, rc, ret;

    cli_buf_init(&page);
    if (policy_args_init(&pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, "+:o:y:q:p:l:h", longopts) != 0) {
        policy_args_free(&pa);
        return CLI_EXIT_INTERNAL;
    }
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'y': by_year = 1; cli_option_year(&a, optarg, &year); break;
        case 'q': by_quarter = 1; cli_option_quarter(&a, optarg, &year, &quarter); break;
        case 'p': pa.paths[pa.npaths++] = optarg; break;
        case OPT_OVERLAY:
            if (pa.overlay)
                cli_args_fail(&a, "give --overlay once");
            pa.overlay = optarg;
            break;
        case 'l':
            if (parse_lang(optarg, &lang) != 0)
                cli_args_fail(&a, "unknown --lang '%s' (zh, en)", optarg);
            break;
        case OPT_DATE:
            date = optarg;
            if (!valid_date(optarg))
                cli_args_fail(&a, "--date needs a date YYYY-MM-DD, not '%s'", optarg);
            break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(report_usage, stdout);
        return CLI_EXIT_OK;
    }
    cli_args_period_and_file(&a, by_year, by_quarter, "FACTS");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    facts_path = a.av[optind];
    if (!date) {
        today(day);
        date = day;
    }

    rc = policy_load(&policy, &pa, &err);
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }
    rc = cli_load_facts(&facts, facts_path, &err);
    if (rc != FISC_OK) {
        ret = cli_report_source(&ctx, &err, full_source(err.source, &facts_path, 1, NULL));
        goto done;
    }
    opts.year = year;
    opts.quarter = quarter;
    opts.trace = 1; /* the report shows the steps and the values each condition compared */
    rc = fisc_evaluate(&result, policy, facts, &opts, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        if (rc == FISC_ENOTFOUND) /* the policy has no value of a parameter for the period */
            ret = CLI_EXIT_CONFIG;
        goto done;
    }
    rc = render(&page, policy, facts, result, year, quarter, date, strcmp(lang, "en") == 0 ? &EN : &ZH,
                &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }
    ret = write_out(&ctx, &page, output);

done:
    cli_buf_free(&page);
    fisc_result_free(result);
    fisc_facts_free(facts);
    fisc_policy_free(policy);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}
