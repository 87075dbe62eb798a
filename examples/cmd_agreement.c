/*
 * One-matter-one-discussion (一事一议) agreements in the fisc command-line tool:
 *
 *   fisc agreement check FILE                      read the document and check it against the policy
 *   fisc agreement evaluate FILE --actuals FILE    year by year: due, withheld, repaid, interest
 *   fisc agreement schedule FILE                   the payment plan if every condition is met
 *
 * Public API only (<fisc/agreement.h>), no floating point: amounts come from the library as
 * exact decimals and are printed with fisc_decimal_to_string(). The policy options are those of
 * `fisc estimate` (cli_policy.h). Streams, --json and exit statuses follow conventions.md §13; a
 * check that finds an error (a term the law forbids, a bad credit code, a category the policy does
 * not allow) exits with status 1, like any other invalid input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <fisc/fisc.h>

#include "cli_cmds.h"
#include "cli_common.h"
#include "cli_policy.h"
#include "cli_table.h"

/* The largest agreement or actuals document read from standard input. */
#define INPUT_MAX_BYTES ((size_t)16 * 1024 * 1024)

/* The years an agreement may span (docs/agreement-format.md). */
#define YEAR_MIN 2000
#define YEAR_MAX 2100

static const char agreement_usage[] =
    "Usage: fisc agreement check FILE [--policy FILE]... [--overlay FILE] [--lang zh|en] [--json]\n"
    "       fisc agreement evaluate FILE --actuals ACTUALS.json [--through YEAR] [--explain] ...\n"
    "       fisc agreement schedule FILE [--through YEAR] ...\n"
    "\n"
    "One-matter-one-discussion (一事一议) agreements: the incentive package signed for one\n"
    "enterprise's project (玉政办函〔2022〕41号 三(九), 六(二十)), written as YAML\n"
    "(docs/agreement-format.md; samples in examples/agreements/).\n"
    "\n"
    "  check FILE      read the document strictly and check it against the policy: the\n"
    "                  enterprise's 统一社会信用代码, the eligibility category and its evidence,\n"
    "                  the legal gate on tax-linked rewards (公平竞争审查条例, from 2024-08-01)\n"
    "                  and the approval authority the package's value needs\n"
    "  evaluate FILE   year by year against the enterprise's actual figures: what falls due,\n"
    "                  what is withheld and why, what a clawback takes back with its interest,\n"
    "                  and how the package combines with the general programs\n"
    "  schedule FILE   the payment plan if every condition is met, from the agreement's\n"
    "                  planned figures\n"
    "\n"
    "Run 'fisc agreement SUBCOMMAND --help' for the options of each.\n"
    "\n"
    "Exit status: 0 checked or computed, 1 invalid input data (an agreement or actuals file\n"
    "that cannot be read) or, for check, findings of severity error, 2 usage error, 4 policy\n"
    "error, 70 internal error.\n";

static const char check_usage[] =
    "Usage: fisc agreement check FILE|- [--policy FILE]... [--overlay FILE] [--lang zh|en]\n"
    "                            [--json]\n"
    "\n"
    "Read an agreement (YAML, docs/agreement-format.md) as strictly as a policy file, then check\n"
    "it against the policy (policies/35-yulin-agreements.yaml). A document that cannot be read\n"
    "(a YAML error, an unknown or duplicate key, a missing required key, a float-typed number, a\n"
    "bad date or value) is reported as FILE:LINE:COLUMN: message, and nothing else is checked.\n"
    "A document that loads is printed with its id, title, SHA-256 and years, then each finding:\n"
    "  FILE:LINE:COLUMN: SEVERITY: message [ID, term TERM]\n"
    "      the policy's citation (document, article, URL) and the parameter relied on\n"
    "SEVERITY is error (the agreement, or a term, cannot be paid as written; evaluation withholds\n"
    "it), warning (someone must look: a provisional rule, a value that cannot be checked) or note.\n"
    "The checks:\n"
    "  party.uscc              the enterprise's 统一社会信用代码 (GB 32100-2015 check character)\n"
    "  basis.category          the category (世界500强, 中国500强, 粤港澳大湾区, 战略性新兴产业)\n"
    "                          is one the policy allows on the signing date\n"
    "  basis.evidence          its evidence: a rank within the limit, a Greater Bay Area city,\n"
    "                          the industry code, the project located in the high-tech zone\n"
    "  legal.fair_competition  a reward computed from taxes paid or local fiscal contribution in\n"
    "                          an agreement signed on or after 2024-08-01 (公平竞争审查条例): an\n"
    "                          error, and the term is never paid; before that date, a note\n"
    "  approval.authority      the package's value against what the approving authority may\n"
    "                          grant (the limits are placeholders: provisional)\n"
    "\n"
    "  -p, --policy FILE   a policy layer (YAML); repeat it for several layers, national first.\n"
    "                      Default: the bundled policy\n"
    "      --overlay FILE  an overlay that overrides chosen parameters, for a what-if\n"
    "  -l, --lang LANG     the language of the messages: zh (default) or en\n"
    "  -j, --json          print the outline and the findings as JSON (schema\n"
    "                      fisc-agreement-check/1, docs/agreement-format.md)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Example:\n"
    "  fisc agreement check examples/agreements/manufacturing.yaml --lang en\n"
    "\n"
    "Exit status: 0 no finding of severity error (warnings and notes may remain), 1 findings of\n"
    "severity error, or a document that cannot be read, 2 usage error, 4 policy error (a policy\n"
    "file that does not load), 70 internal error.\n";

static const char evaluate_usage[] =
    "Usage: fisc agreement evaluate FILE --actuals ACTUALS.json|- [--through YEAR]\n"
    "                               [--policy FILE]... [--overlay FILE] [--explain]\n"
    "                               [--lang zh|en] [--json]\n"
    "\n"
    "Evaluate an agreement year by year, from its first year to its last (the latest year a\n"
    "term, an instalment or a commitment can reach) or to --through, against the enterprise's\n"
    "actual figures: metrics by year (funds in place, equipment investment, output, headcount,\n"
    "...), events with their dates (production started, relocated out, ...) and, for the years\n"
    "that have them, the facts the general programs need (docs/agreement-format.md, \"Actuals\").\n"
    "Numbers are read from their exact text; a metric not given for a year is unknown, not zero.\n"
    "\n"
    "  -a, --actuals FILE  the actual figures (JSON); - reads them from standard input. Required\n"
    "  -t, --through YEAR  the last year to evaluate, from the agreement's first year to its last\n"
    "  -p, --policy FILE   a policy layer (YAML); repeat it for several layers, national first.\n"
    "                      Default: the bundled policy\n"
    "      --overlay FILE  an overlay that overrides chosen parameters, for a what-if\n"
    "  -e, --explain       also show each year's items: every condition with the values compared,\n"
    "                      the agreement's clauses and the policy's parameters with their\n"
    "                      citations, and every step with its rounding\n"
    "  -l, --lang LANG     zh (default) or en\n"
    "  -j, --json          print the result as JSON (schema fisc-agreement/1,\n"
    "                      docs/result-schema.md): the outline and findings, each year's\n"
    "                      fisc-result/1 document and the totals; with --explain the steps\n"
    "  -h, --help          show this help\n"
    "\n";

static const char evaluate_usage_output[] =
    "Text output: the findings, if any (a finding of severity error does not stop the\n"
    "evaluation: what it forbids is withheld), then one row per year: what falls due, what is\n"
    "withheld (a condition not met or not yet met, a binding cap, the ceiling), what a clawback\n"
    "takes back and its interest, and what has been paid so far against the caps and the\n"
    "ceiling; amounts in 元, a year whose result uses a parameter no cited text confirms marked\n"
    "provisional. With --explain, each year's items follow.\n"
    "\n"
    "Examples:\n"
    "  fisc agreement evaluate examples/agreements/manufacturing.yaml \\\n"
    "      --actuals examples/agreements/manufacturing.actuals.json --through 2027\n"
    "  fisc agreement evaluate examples/agreements/headquarters.yaml \\\n"
    "      --actuals examples/agreements/headquarters.actuals.json --explain --lang en\n"
    "\n"
    "Exit status: 0 computed (whatever was paid or withheld), 1 invalid input data (an agreement\n"
    "or actuals file that cannot be read), 2 usage error, 4 policy error (a policy file that does\n"
    "not load, or no value of a parameter a general program needs), 70 internal error.\n";

static const char schedule_usage[] =
    "Usage: fisc agreement schedule FILE|- [--through YEAR] [--policy FILE]... [--overlay FILE]\n"
    "                               [--lang zh|en] [--json]\n"
    "\n"
    "The payment plan if every condition is met: the agreement evaluated with its planned\n"
    "figures (`plan:`) as each year's metrics, every release condition, instalment condition and\n"
    "commitment taken as met on time, and no general program. One row per year with, for each\n"
    "term, the amount it pays that year (a rent or land-price concession counts as paid), the\n"
    "year's total and the total so far; amounts in 元. A term whose rate applies to a metric the\n"
    "plan does not give pays nothing in that year.\n"
    "\n"
    "  -t, --through YEAR  the last year shown, from the agreement's first year to its last\n"
    "  -p, --policy FILE   a policy layer (YAML); repeat it for several layers, national first.\n"
    "                      Default: the bundled policy\n"
    "      --overlay FILE  an overlay that overrides chosen parameters, for a what-if\n"
    "  -l, --lang LANG     zh (default) or en\n"
    "  -j, --json          print the plan as JSON (schema fisc-agreement/1, as evaluate)\n"
    "  -h, --help          show this help\n"
    "\n"
    "Example:\n"
    "  fisc agreement schedule examples/agreements/manufacturing.yaml --through 2027\n"
    "\n"
    "Exit status: 0 computed, 1 invalid input data (an agreement that cannot be read), 2 usage\n"
    "error, 4 policy error, 70 internal error.\n";

/* ---------------------------------------------------------------------------------------- */
/* Words of the text output. */

typedef struct words {
    const char *agreement, *file, *years, *policy, *findings, *none, *basis, *param, *provisional,
        *ok, *not_ok, *plan_title, *col_year, *col_total, *col_cumulative, *total,
        *legend_prov, *colon, *comma;
    const char *severity[3];
} words;

static const words ZH = {
    "协议", "文件", "年度", "政策", "检查结果", "无", "依据", "参数", "暂定",
    "通过：没有错误", "不通过：协议或其条款不能按原文兑现",
    "付款计划：各项条件均按期满足时（金额单位：元）", "年度", "当年合计", "累计", "合计",
    "* 暂定：用到了未经证实的参数", "：", "，",
    { "错误", "警告", "提示" },
};

static const words EN = {
    "Agreement", "File", "Years", "Policy", "Findings", "none", "source", "parameter", "provisional",
    "OK: no errors", "NOT OK: the agreement, or a term, cannot be paid as written",
    "Payment plan if every condition is met on time (amounts in yuan)", "Year", "Year total",
    "Cumulative", "Total", "* provisional: uses unconfirmed parameters", ": ", ", ",
    { "error", "warning", "note" },
};

static const words *words_for(const char *lang)
{
    return strcmp(lang, "en") == 0 ? &EN : &ZH;
}

static const char *str(const char *s)
{
    return s ? s : "";
}

/* ---------------------------------------------------------------------------------------- */
/* One run of a subcommand. */

typedef struct ag_run {
    cli_ctx ctx;
    policy_args pa;
    const char *path;           /* the agreement, or "-" */
    const char *actuals;        /* --actuals, or NULL */
    const char *lang;
    int through;                /* --through, or 0 */
    int explain;
    fisc_policy *policy;
    fisc_agreement *agreement;
} ag_run;

/* The name of an input in messages: "<stdin>" for "-". */
static const char *input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Read standard input whole (for "-"). */
static int read_stdin(char **data, size_t *len, fisc_error *err)
{
    return cli_read_input("-", "<stdin>", INPUT_MAX_BYTES, data, len, err);
}

static int load_agreement(fisc_agreement **out, const fisc_policy *policy, const char *path,
                          fisc_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (strcmp(path, "-") != 0)
        return fisc_agreement_load(out, policy, path, err);
    rc = read_stdin(&data, &len, err);
    if (rc == FISC_OK)
        rc = fisc_agreement_load_string(out, policy, "<stdin>", data, len, err);
    free(data);
    return rc;
}

static int load_actuals(fisc_actuals **out, const char *path, fisc_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (strcmp(path, "-") != 0)
        return fisc_actuals_load(out, path, err);
    rc = read_stdin(&data, &len, err);
    if (rc == FISC_OK)
        rc = fisc_actuals_load_string(out, "<stdin>", data, len, err);
    free(data);
    return rc;
}

/* The policy (exit 4 when it does not load), then the agreement (exit 1 when it cannot be read). */
static int load_inputs(ag_run *r)
{
    fisc_error err = FISC_ERROR_INIT;
    int rc = policy_load(&r->policy, &r->pa, &err);

    if (rc != FISC_OK)
        return report_policy_error(&r->ctx, &err, &r->pa);
    rc = load_agreement(&r->agreement, r->policy, r->path, &err);
    if (rc != FISC_OK)
        return cli_report_source(&r->ctx, &err, full_source(err.source, &r->path, 1, NULL));
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The outline and the findings. */

/* The agreement: its id, title and years. */
static void put_identity(cli_buf *b, const ag_run *r, const words *w)
{
    const fisc_agreement *a = r->agreement;

    cli_buf_printf(b, "%s%s%s  %s\n", w->agreement, w->colon, str(fisc_agreement_id(a)),
                   str(fisc_agreement_title(a, w == &EN ? "en" : "zh")));
    cli_buf_printf(b, "%s%s%d–%d\n", w->years, w->colon, fisc_agreement_first_year(a),
                   fisc_agreement_last_year(a));
}

/* What the answer rests on: the document (with its SHA-256) and the policy's layers. */
static void put_sources(cli_buf *b, const ag_run *r, const words *w)
{
    size_t i, n = fisc_policy_layer_count(r->policy);

    cli_buf_printf(b, "%s%s%s  SHA-256 %s\n", w->file, w->colon, input_name(r->path),
                   str(fisc_agreement_hash(r->agreement)));
    cli_buf_printf(b, "%s%s", w->policy, w->colon);
    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(r->policy, i);

        if (l)
            cli_buf_printf(b, "%s%s (%.12s)%s", i ? " " : "", str(l->id), str(l->sha256),
                           l->is_overlay ? "*" : "");
    }
    cli_buf_puts(b, "\n");
}

static const char *severity_word(const words *w, int s)
{
    return s >= FISC_SEVERITY_ERROR && s <= FISC_SEVERITY_NOTE ? w->severity[s] : "?";
}

/* One finding: FILE:LINE:COLUMN: SEVERITY: message [ID, term TERM], then its citation. */
static void put_finding(cli_buf *b, const fisc_finding *f, const char *path, const words *w)
{
    const char *source = f->source && f->source[0] ? f->source : input_name(path);
    int prov = f->evidence > FISC_EVIDENCE_CONFIRMED;

    cli_buf_printf(b, "  %s", source);
    if (f->line > 0) {
        cli_buf_printf(b, ":%d", f->line);
        if (f->column > 0)
            cli_buf_printf(b, ":%d", f->column);
    }
    cli_buf_printf(b, ": %s: %s [%s", severity_word(w, f->severity),
                   str(w == &EN ? f->message_en : f->message_zh), str(f->id));
    if (str(f->term)[0])
        cli_buf_printf(b, w == &EN ? ", term %s" : "，条款 %s", f->term);
    cli_buf_puts(b, "]\n");
    if (!str(f->document)[0] && !str(f->param)[0])
        return;
    cli_buf_printf(b, "      %s%s%s", w->basis, w->colon, str(f->document));
    if (str(f->article)[0])
        cli_buf_printf(b, " %s", f->article);
    if (str(f->url)[0])
        cli_buf_printf(b, "  %s", f->url);
    if (str(f->param)[0])   /* a rule no cited text confirms makes the finding provisional */
        cli_buf_printf(b, w == &EN ? " (%s %s%s%s)" : "（%s %s%s%s）", w->param, f->param,
                       prov ? w->comma : "", prov ? w->provisional : "");
    cli_buf_puts(b, "\n");
}

/* The findings under a heading; @p always: say "none" when there are none. */
static void put_findings(cli_buf *b, const ag_run *r, const words *w, int always)
{
    size_t i, n = fisc_agreement_finding_count(r->agreement);

    if (n == 0 && !always)
        return;
    cli_buf_printf(b, "\n%s%s\n", w->findings, w == &EN ? ":" : "：");
    if (n == 0)
        cli_buf_printf(b, "  %s\n", w->none);
    for (i = 0; i < n; i++) {
        const fisc_finding *f = fisc_agreement_finding(r->agreement, i);

        if (f)
            put_finding(b, f, r->path, w);
    }
}

/* "OK: no errors (0 error(s), 1 warning(s), 0 note(s))" or NOT OK. */
static void put_verdict(cli_buf *b, const fisc_agreement *a, const words *w)
{
    size_t i, n = fisc_agreement_finding_count(a), count[3] = { 0, 0, 0 };

    for (i = 0; i < n; i++) {
        const fisc_finding *f = fisc_agreement_finding(a, i);

        if (f && f->severity >= FISC_SEVERITY_ERROR && f->severity <= FISC_SEVERITY_NOTE)
            count[f->severity]++;
    }
    cli_buf_printf(b, "\n%s", count[FISC_SEVERITY_ERROR] ? w->not_ok : w->ok);
    if (w == &EN)
        cli_buf_printf(b, " (%zu error(s), %zu warning(s), %zu note(s))\n", count[FISC_SEVERITY_ERROR],
                       count[FISC_SEVERITY_WARNING], count[FISC_SEVERITY_NOTE]);
    else
        cli_buf_printf(b, "（%zu 个错误，%zu 个警告，%zu 个提示）\n", count[FISC_SEVERITY_ERROR],
                       count[FISC_SEVERITY_WARNING], count[FISC_SEVERITY_NOTE]);
}

/* ---------------------------------------------------------------------------------------- */
/* fisc agreement check */

static int run_check(ag_run *r)
{
    const words *w = words_for(r->lang);
    fisc_error err = FISC_ERROR_INIT;
    char *out = NULL;
    cli_buf b;
    int ret;

    if (r->ctx.json) {
        if (fisc_agreement_check_to_json(&out, r->agreement, FISC_JSON_PRETTY, &err) != FISC_OK)
            return cli_report(&r->ctx, &err);
        ret = put_document(&r->ctx, out);
        fisc_string_free(out);
    } else {
        cli_buf_init(&b);
        put_identity(&b, r, w);
        put_sources(&b, r, w);
        put_findings(&b, r, w, 1);
        put_verdict(&b, r->agreement, w);
        ret = put_buf(&r->ctx, &b);
        cli_buf_free(&b);
    }
    /* A finding of severity error is invalid input data: the agreement cannot be paid as written. */
    if (ret == CLI_EXIT_OK && fisc_agreement_error_count(r->agreement) > 0)
        ret = CLI_EXIT_DATA;
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc agreement schedule: the text table (the JSON is the library's). */

/*
 * Money for the table, with @p suffix: thousands separated, two decimals, or the exact value
 * when it has more (nothing is rounded here).
 */
static void table_money(cli_table *t, size_t col, const fisc_decimal *v, const char *suffix)
{
    fisc_format fmt = FISC_FORMAT_INIT;
    uint32_t st = 0;
    char *s = NULL;

    fmt.places = 2;
    fmt.grouping = 1;
    if (fisc_decimal_to_string(&s, v, &fmt, &st, NULL) == FISC_OK && (st & FISC_STATUS_INEXACT)) {
        fisc_string_free(s);
        s = NULL;
        fmt.places = FISC_PLACES_EXACT;
        if (fisc_decimal_to_string(&s, v, &fmt, NULL, NULL) != FISC_OK)
            s = NULL;
    }
    if (!s) {
        t->failed = 1;
        return;
    }
    cli_table_setf(t, col, "%s%s", s, suffix);
    fisc_string_free(s);
}

/* What a term's item pays in its year: its "due" amount (a concession term's may be "concession"). */
static const fisc_decimal *term_due(const fisc_item *it)
{
    static const char *const names[] = { "due", "concession" };
    size_t n, k;

    for (n = 0; it && n < CLI_ARRAY_SIZE(names); n++)
        for (k = 0; k < it->amount_count; k++)
            if (strcmp(str(it->amounts[k].name), names[n]) == 0)
                return it->amounts[k].value;
    return NULL;
}

/* The terms' program ids ("AGREEMENT-ID/TERM-ID"), in document order, from the first year's items. */
static size_t term_items(const fisc_result *first, const char *id, const fisc_item **terms,
                         size_t room)
{
    size_t i, n = 0, len = strlen(id);

    for (i = 0; first && i < fisc_result_item_count(first) && n < room; i++) {
        const fisc_item *it = fisc_result_item(first, i);

        if (it && strncmp(str(it->program), id, len) == 0 && it->program[len] == '/')
            terms[n++] = it;
    }
    return n;
}

typedef struct plan_sums {
    fisc_decimal *term;     /* per term, over the years */
    fisc_decimal year, cumulative;
    size_t nterms;
    int provisional;
} plan_sums;

/* One year's row: each term's due, the year's total and the cumulative total. */
static int plan_row(cli_table *t, plan_sums *s, const fisc_result *res, int year,
                    const fisc_item *const *terms, fisc_error *err)
{
    size_t k;
    int rc = FISC_OK;

    cli_table_row(t);
    cli_table_setf(t, 0, "%d", year);
    fisc_decimal_set_int(&s->year, 0);
    for (k = 0; k < s->nterms && rc == FISC_OK; k++) {
        const fisc_item *it = fisc_result_find(res, terms[k]->program);
        const fisc_decimal *due = term_due(it);

        if (!due || fisc_decimal_sign(due) == 0) {
            cli_table_set(t, k + 1, "-");   /* nothing paid under the term that year */
            continue;
        }
        table_money(t, k + 1, due, it->provisional ? "*" : "");
        s->provisional |= it->provisional != 0;
        rc = fisc_decimal_add(&s->year, &s->year, due, err);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(&s->term[k], &s->term[k], due, err);
    }
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&s->cumulative, &s->cumulative, &s->year, err);
    table_money(t, s->nterms + 1, &s->year, "");
    table_money(t, s->nterms + 2, &s->cumulative, "");
    return rc;
}

static int plan_table(cli_buf *b, const fisc_agreement_result *res, const char *id, const words *w,
                      fisc_error *err)
{
    size_t ny = fisc_agreement_result_year_count(res), j, k;
    const fisc_item *terms[64];
    plan_sums s;
    cli_table t;
    int rc = FISC_OK;

    memset(&s, 0, sizeof(s));
    s.nterms = term_items(ny ? fisc_agreement_result_at(res, 0) : NULL, id, terms, CLI_ARRAY_SIZE(terms));
    s.term = calloc(s.nterms + 1, sizeof(*s.term));
    if (!s.term) {
        cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return FISC_ENOMEM;
    }
    for (k = 0; k < s.nterms; k++)
        fisc_decimal_init(&s.term[k]);
    fisc_decimal_init(&s.year);
    fisc_decimal_init(&s.cumulative);
    cli_table_init(&t, s.nterms + 3);
    for (k = 1; k < t.ncols && t.right; k++)
        t.right[k] = 1;
    cli_table_row(&t);
    cli_table_set(&t, 0, w->col_year);
    for (k = 0; k < s.nterms; k++)
        cli_table_set(&t, k + 1, str(w == &EN ? terms[k]->title_en : terms[k]->title_zh));
    cli_table_set(&t, s.nterms + 1, w->col_total);
    cli_table_set(&t, s.nterms + 2, w->col_cumulative);
    cli_table_rule(&t);
    for (j = 0; j < ny && rc == FISC_OK; j++)
        rc = plan_row(&t, &s, fisc_agreement_result_at(res, j), fisc_agreement_result_year(res, j),
                      terms, err);
    cli_table_rule(&t);
    cli_table_row(&t);
    cli_table_set(&t, 0, w->total);
    for (k = 0; k < s.nterms; k++)
        table_money(&t, k + 1, &s.term[k], "");
    table_money(&t, s.nterms + 1, &s.cumulative, "");
    if (rc == FISC_OK) {
        cli_buf_printf(b, "\n%s\n", w->plan_title);
        cli_table_render(&t, b, 0);
        if (s.provisional)
            cli_buf_printf(b, "\n%s\n", w->legend_prov);
    }
    cli_table_free(&t);
    for (k = 0; k < s.nterms; k++)
        fisc_decimal_clear(&s.term[k]);
    free(s.term);
    fisc_decimal_clear(&s.year);
    fisc_decimal_clear(&s.cumulative);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc agreement evaluate and schedule */

/* --through within the agreement's years. @return CLI_EXIT_OK or the usage error's status. */
static int check_through(const ag_run *r)
{
    int first = fisc_agreement_first_year(r->agreement), last = fisc_agreement_last_year(r->agreement);

    if (r->through == 0 || (r->through >= first && r->through <= last))
        return CLI_EXIT_OK;
    return cli_usage_error(&r->ctx, "--through %d is outside the agreement's years %d–%d", r->through,
                           first, last);
}

/*
 * The text report: the document and the policy it was checked against, then the library's report
 * (the agreement, its findings and the year-by-year table), or the agreement, its findings and
 * the plan.
 */
static int put_text(ag_run *r, const fisc_agreement_result *res, int schedule, fisc_error *err)
{
    const words *w = words_for(r->lang);
    char *text = NULL;
    cli_buf b;
    int rc = FISC_OK, ret;

    cli_buf_init(&b);
    if (schedule) {
        put_identity(&b, r, w);
        put_sources(&b, r, w);
        put_findings(&b, r, w, 0);
        rc = plan_table(&b, res, str(fisc_agreement_id(r->agreement)), w, err);
    } else {
        put_sources(&b, r, w);
        rc = fisc_agreement_result_to_text(&text, res, r->lang, r->explain, err);
        if (rc == FISC_OK) {
            cli_buf_puts(&b, "\n");
            cli_buf_puts(&b, text);
        }
        fisc_string_free(text);
    }
    ret = rc == FISC_OK ? put_buf(&r->ctx, &b) : cli_report(&r->ctx, err);
    cli_buf_free(&b);
    return ret;
}

static int evaluate_and_print(ag_run *r, const fisc_actuals *actuals, int schedule)
{
    fisc_agreement_options opts = FISC_AGREEMENT_OPTIONS_INIT;
    fisc_agreement_result *res = NULL;
    fisc_error err = FISC_ERROR_INIT;
    char *out = NULL;
    int rc, ret = check_through(r);

    if (ret != CLI_EXIT_OK)
        return ret;
    /* Always traced: the texts (summaries, the values compared) appear even without --explain. */
    opts.trace = 1;
    opts.through_year = r->through;
    opts.schedule = schedule;
    rc = fisc_agreement_evaluate(&res, r->agreement, actuals, &opts, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&r->ctx, &err);
        /* The policy has no value of a parameter a general program needs for a year. */
        if (rc == FISC_ENOTFOUND)
            ret = CLI_EXIT_CONFIG;
    } else if (r->ctx.json) {
        rc = fisc_agreement_result_to_json(&out, res, FISC_JSON_PRETTY | (r->explain ? FISC_JSON_TRACE : 0u),
                                           &err);
        ret = rc == FISC_OK ? put_document(&r->ctx, out) : cli_report(&r->ctx, &err);
    } else {
        ret = put_text(r, res, schedule, &err);
    }
    fisc_string_free(out);
    fisc_agreement_result_free(res);
    return ret;
}

static int run_evaluate(ag_run *r)
{
    fisc_actuals *actuals = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int ret;

    if (load_actuals(&actuals, r->actuals, &err) != FISC_OK)
        return cli_report_source(&r->ctx, &err, full_source(err.source, &r->actuals, 1, NULL));
    ret = evaluate_and_print(r, actuals, 0);
    fisc_actuals_free(actuals);
    return ret;
}

static int run_schedule(ag_run *r)
{
    return evaluate_and_print(r, NULL, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* Options and dispatch. */

enum { OPT_OVERLAY = 1000 };

static const struct option check_longopts[] = {
    { "policy", required_argument, NULL, 'p' },
    { "overlay", required_argument, NULL, OPT_OVERLAY },
    { "lang", required_argument, NULL, 'l' },
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static const struct option evaluate_longopts[] = {
    { "actuals", required_argument, NULL, 'a' },
    { "through", required_argument, NULL, 't' },
    { "policy", required_argument, NULL, 'p' },
    { "overlay", required_argument, NULL, OPT_OVERLAY },
    { "explain", no_argument, NULL, 'e' },
    { "lang", required_argument, NULL, 'l' },
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static const struct option schedule_longopts[] = {
    { "through", required_argument, NULL, 't' },
    { "policy", required_argument, NULL, 'p' },
    { "overlay", required_argument, NULL, OPT_OVERLAY },
    { "lang", required_argument, NULL, 'l' },
    { "json", no_argument, NULL, 'j' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

typedef struct ag_cmd {
    const char *name;           /* "check" */
    const char *ctx_name;       /* "fisc agreement check" */
    const char *optstring;
    const struct option *longopts;
    const char *usage, *usage_more;
    int needs_actuals;
    int (*run)(ag_run *r);
} ag_cmd;

static const ag_cmd SUBCOMMANDS[] = {
    { "check", "fisc agreement check", "+:p:l:jh", check_longopts, check_usage, "", 0, run_check },
    { "evaluate", "fisc agreement evaluate", "+:a:t:p:el:jh", evaluate_longopts, evaluate_usage,
      evaluate_usage_output, 1, run_evaluate },
    { "schedule", "fisc agreement schedule", "+:t:p:l:jh", schedule_longopts, schedule_usage, "", 0,
      run_schedule },
};

/* One option of a subcommand into @p r (usage errors into @p a). */
static void take_option(ag_run *r, cli_args *a, int c, int *help)
{
    switch (c) {
    case 'p': r->pa.paths[r->pa.npaths++] = optarg; break;
    case OPT_OVERLAY:
        if (r->pa.overlay)
            cli_args_fail(a, "give --overlay once");
        r->pa.overlay = optarg;
        break;
    case 'a':
        if (r->actuals)
            cli_args_fail(a, "give --actuals once");
        r->actuals = optarg;
        break;
    case 't':
        if (cli_parse_int(optarg, YEAR_MIN, YEAR_MAX, &r->through) != 0)
            cli_args_fail(a, "--through needs a year from %d to %d, not '%s'", YEAR_MIN, YEAR_MAX, optarg);
        break;
    case 'e': r->explain = 1; break;
    case 'l':
        if (parse_lang(optarg, &r->lang) != 0)
            cli_args_fail(a, "unknown --lang '%s' (zh, en)", optarg);
        break;
    case 'j': r->ctx.json = 1; break;
    case 'h': *help = 1; break;
    default: break;
    }
}

static int run_subcommand(const ag_cmd *cmd, int argc, char **argv)
{
    ag_run r;
    cli_args a;
    int c, help = 0, ret;

    memset(&r, 0, sizeof(r));
    r.ctx.cmd = cmd->ctx_name;
    r.lang = "zh";
    if (policy_args_init(&r.pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, cmd->optstring, cmd->longopts) != 0) {
        policy_args_free(&r.pa);
        return CLI_EXIT_INTERNAL;
    }
    while ((c = cli_args_next(&a)) != -1)
        take_option(&r, &a, c, &help);
    if (help) {
        fputs(cmd->usage, stdout);
        fputs(cmd->usage_more, stdout);
        ret = CLI_EXIT_OK;
        goto done;
    }
    if (!a.error[0] && a.ac - optind != 1)
        cli_args_fail(&a, "%s", a.ac > optind
                                    ? "one agreement FILE expected"
                                    : "FILE is missing (the agreement, YAML; - for standard input)");
    if (!a.error[0] && cmd->needs_actuals && !r.actuals)
        cli_args_fail(&a, "--actuals is required (the enterprise's actual figures, JSON)");
    if (!a.error[0] && r.actuals && strcmp(r.actuals, "-") == 0 && strcmp(a.av[optind], "-") == 0)
        cli_args_fail(&a, "only one of FILE and --actuals can be - (standard input)");
    if (a.error[0]) {
        ret = cli_usage_error(&r.ctx, "%s", a.error);
        goto done;
    }
    r.path = a.av[optind];
    ret = load_inputs(&r);
    if (ret == CLI_EXIT_OK)
        ret = cmd->run(&r);
done:
    fisc_agreement_free(r.agreement);
    fisc_policy_free(r.policy);
    cli_args_end(&a);
    policy_args_free(&r.pa);
    return ret;
}

int cmd_agreement(int argc, char **argv)
{
    cli_ctx ctx = { "fisc agreement", 0 };
    size_t i;
    int k;

    for (i = 0; argc >= 2 && i < CLI_ARRAY_SIZE(SUBCOMMANDS); i++)
        if (strcmp(argv[1], SUBCOMMANDS[i].name) == 0)
            return run_subcommand(&SUBCOMMANDS[i], argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(agreement_usage, stdout);
        return CLI_EXIT_OK;
    }
    for (k = 1; k < argc; k++)
        if (strcmp(argv[k], "--json") == 0 || strcmp(argv[k], "-j") == 0)
            ctx.json = 1;
    if (argc < 2)
        return cli_usage_error(&ctx, "SUBCOMMAND is missing (check, evaluate, schedule)");
    return cli_usage_error(&ctx, "unknown subcommand '%s' (check, evaluate, schedule)", argv[1]);
}
