/*
 * fisc whatif INPUT --overlay O: the fiscal cost of a policy change over a population (issue 7,
 * "What-if over a population"). Every row of INPUT (one enterprise a row, read as `fisc batch`
 * reads it: cli_batch.c, cli_stream.c) is evaluated twice, under the base policy and under the
 * base policy with the overlay; both policies are loaded once and shared by the threads.
 *
 * Per program: the exact totals of its column's amount (cli_main_value(), the amount `fisc batch`
 * writes) under each policy and their difference; how many enterprises gain, lose, are
 * unchanged or undetermined, and the exact sums gained and lost, by size band. Per category
 * (tax payable, tax relief, subsidy, repayment: what a fiscal-cost estimate adds up), the sums of
 * the rows' result totals (every amount in the category, as `fisc batch` adds them: cn.cit's
 * relief counts beside its tax). Optionally a
 * per-enterprise difference file (CSV with a BOM, or JSON Lines) and one self-contained offline
 * HTML page (cli_html.c) with the totals in figures and 大写, the gains and losses per band as
 * inline SVG bars, and both policies' layers with their hashes.
 *
 * The size band is a reporting choice of this command, not policy: it is taken from the fact
 * employees_average (从业人数季度平均值) with the fixed table BAND_RULE below.
 *
 * Rows are read a block at a time; each of --jobs workers evaluates whole blocks, written in the
 * input's order (cli_relay), so every output is the same for any number of threads; sums are
 * exact (fisc_decimal_add), so their order does not matter. With standard error on a terminal,
 * the progress line of `fisc batch` (cli_progress()). Public API only; no floating point
 * (a bar's length is integer arithmetic on 分: cli_bar_length()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <getopt.h>

#include <fisc/fisc.h>
#include <fisc/policy.h>
#include <fisc/facts.h>
#include <fisc/evaluate.h>

#include "cli_batch.h"
#include "cli_cmds.h"
#include "cli_common.h"
#include "cli_csv.h"
#include "cli_html.h"
#include "cli_policy.h"
#include "cli_stream.h"
#include "cli_table.h"

/* The chart of one program: the longest bar, in SVG user units (px), and a band's rows. */
#define BAR_FULL 480L
#define CHART_X 150
#define CHART_WIDTH 800
#define CHART_BAND 44
#define CHART_TOP 30

/* Size bands by employees_average (persons, the fact's quarterly average). */
enum { BAND_LT20, BAND_20_99, BAND_100_299, BAND_GE300, BAND_UNKNOWN, NBANDS };
static const char *const BAND_KEYS[NBANDS] = { "lt20", "20-99", "100-299", "ge300", "unknown" };
static const char *const BAND_EN[NBANDS] = {
    "under 20 employees", "20 to 99 employees", "100 to 299 employees", "300 employees or more",
    "employees unknown"
};
static const char *const BAND_ZH[NBANDS] = {
    "不足20人", "20至99人", "100至299人", "300人及以上", "从业人数未知"
};
#define BAND_RULE \
    "Size bands (a reporting choice of this command, not policy), by the fact employees_average\n" \
    "(从业人数季度平均值): lt20 under 20; 20-99 from 20 to under 100; 100-299 from 100 to under\n" \
    "300; ge300 300 or more; unknown when the row does not give it.\n"

/* The labels of the library's categories (keys: cli_category_keys), by value. */
static const char *const CAT_EN[FISC_CATEGORY_COUNT] = {
    "Tax payable", "Tax relief", "Subsidy", "Repayment"
};
static const char *const CAT_ZH[FISC_CATEGORY_COUNT] = { "应纳税额", "减免税额", "补贴", "应退还" };

/* How a row's program changed for the enterprise. */
enum { CH_GAIN, CH_LOSE, CH_SAME, CH_UNDET, NCH };
static const char *const CH_KEYS[NCH] = { "gain", "lose", "unchanged", "undetermined" };

static const char whatif_usage[] =
    "Usage: fisc whatif INPUT|- --overlay FILE (--year Y | --quarter YYYYQn) [--policy FILE]...\n"
    "                   [-o DIFF.csv|DIFF.jsonl] [--html FILE] [--lang zh|en] [--json]\n"
    "                   [--input-format csv|jsonl] [--key COLUMN] [--jobs N]\n"
    "\n"
    "What a policy change costs, and to whom: every row of INPUT (one enterprise a row) is\n"
    "evaluated under the base policy (the bundled one, or the --policy layers) and under the same\n"
    "policy with the overlay; per program the exact totals, the difference, and how many\n"
    "enterprises gain, lose or are unchanged and by how much, by size band. Streaming: memory\n"
    "stays flat whatever the size of the input.\n"
    "\n"
    "INPUT is read as 'fisc batch' reads it: CSV whose header names facts by name or zh/en\n"
    "label (UTF-8 with or without a BOM, or GB18030, detected), or JSON Lines (.jsonl, .ndjson);\n"
    "- reads standard input; rows are numbered as Excel shows them (the header is row 1).\n"
    "\n"
    "  -y, --year Y          the tax year, 1990..2100\n"
    "  -q, --quarter YYYYQn  prepayment cumulative to quarter n of year YYYY, e.g. 2019Q2\n"
    "      --overlay FILE    the change: an overlay that overrides chosen parameters (required)\n"
    "  -p, --policy FILE     a base policy layer (YAML), repeatable, national first (default:\n"
    "                        the bundled policy)\n"
    "  -o, --output FILE     write the per-enterprise differences to FILE: CSV (UTF-8 with a\n"
    "                        BOM), or JSON Lines when FILE ends in .jsonl or .ndjson\n"
    "      --html FILE       also write the summary as one self-contained offline HTML page\n"
    "      --lang zh|en      the language of the HTML page (default zh)\n"
    "      --json            the summary as a JSON document (fisc-whatif/1) instead of a table\n"
    "      --input-format F  csv or jsonl (default: from the extension of INPUT)\n"
    "  -k, --key COLUMN      the column (header text or fact name) identifying a row; default\n"
    "                        uscc, else id, else the row number. JSON Lines: a fact (uscc)\n"
    "      --jobs N          evaluate with N threads (default 1; 0: one per CPU); every output\n"
    "                        is the same for any N\n"
    "  -h, --help            show this help\n"
    "\n";

static const char whatif_usage_more[] =
    "Amounts: a program's amount for a row is its amount as 'fisc batch' writes it (the first\n"
    "amount that counts in a category, with the amounts after it in the same category added,\n"
    "else an eligible item's first amount), 0 when it has none. The difference is overlay minus base. An enterprise gains when the change is in\n"
    "its favour: the amount rises, except for tax payable and repayment, where it gains when the\n"
    "amount falls; it is undetermined when the amount is unchanged and the program is\n"
    "undetermined under either policy. Gains and losses are the exact sums of what gaining and\n"
    "losing enterprises gain and lose (both positive). The totals by category (tax_payable,\n"
    "tax_relief, subsidy, repayment) add every amount of the category in each row's result, as\n"
    "fisc batch does (cn.cit's relief counts beside its tax; an amount in no category, such as\n"
    "cn.rd_deduction's extra deduction, counts in none); the difference is overlay minus base.\n"
    "\n"
    BAND_RULE
    "\n"
    "Output: the summary on standard output (a table; --json: {\"schema\":\"fisc-whatif/1\",...}\n"
    "with both policies' hashes and layers, per program the totals, counts and bands, and\n"
    "\"categories\":{\"tax_payable\":{\"base\":\"...\",\"overlay\":\"...\",\"difference\":\"...\"},...});\n"
    "with -o, one line per input row, in input order: row, key, band, then for each program\n"
    "PROGRAM.base, PROGRAM.overlay (empty: no amount), PROGRAM.difference, then error. JSON\n"
    "Lines: {\"row\":2,\"key\":\"...\",\"band\":\"lt20\",\"programs\":{\"ID\":{\"base\":\"...\",\n"
    "\"overlay\":\"...\",\"difference\":\"...\"},...},\"error\":null}. With --html, the totals in\n"
    "figures and in 人民币大写 (per program and per category), the gains and losses per band as\n"
    "bars, the provisional marks and the layers and hashes of both policies, with no script and\n"
    "nothing loaded from a network. With standard error on a terminal, a progress line shows\n"
    "rows and rows per second.\n"
    "\n"
    "A bad row (a number that does not parse, an unknown enumeration value, a malformed CSV\n"
    "record) is reported on standard error with its row number and reason, kept in the\n"
    "difference file with its error, and left out of the totals.\n"
    "\n"
    "Examples:\n"
    "  fisc whatif enterprises.csv --year 2023 --overlay examples/data/yulin-amounts.overlay.yaml\n"
    "  fisc whatif enterprises.csv --year 2023 --overlay raise.yaml -o diff.csv --html cost.html\n"
    "\n"
    "Exit status: 0 every row computed, 3 some rows bad (the outputs are still complete), 1 an\n"
    "input that cannot be read or decoded, 2 usage error, 4 policy error, 70 internal error.\n";

typedef struct band_stats {
    size_t n[NCH];
    fisc_decimal gains, losses;
} band_stats;

typedef struct prog_stats {
    fisc_decimal base, over;          /* totals of the main amounts */
    size_t prov_base, prov_over;      /* rows where the item is provisional */
    /* its amounts: money (some row's counts in a category), informative (some row's counts in
       none: points, a deduction); the page writes 大写 only for money */
    int money, informative;
    band_stats band[NBANDS];
} prog_stats;

typedef struct stats {
    size_t rows, computed, bad;
    size_t band_rows[NBANDS];         /* computed rows per band */
    prog_stats *progs;
    /* Per category, the sums of the rows' result totals (fisc_result_total) under each policy. */
    fisc_decimal cat_base[FISC_CATEGORY_COUNT], cat_over[FISC_CATEGORY_COUNT];
} stats;

/* What every thread reads and no thread writes while a block is evaluated. */
typedef struct whatif {
    cli_rows R;
    const fisc_policy *base, *over;
    fisc_eval_options opts;
    size_t nprog;
    const char **prog_ids;            /* the base's programs, then those only the overlay has */
    const char **titles_zh, **titles_en;
    int want_out, jsonl_out;
    const char *encoding, *encoding_note; /* the input's, once read (cli_stream_encoding...()) */
} whatif;

/* One thread's state: workers are a cache line apart at least (cli_lines_calloc()). */
typedef struct worker {
    _Alignas(64) whatif *W;
    cli_rows R;                       /* W->R, its block u.blk */
    cli_relay_unit u;                 /* the block, its output and messages, the fatal error */
    fisc_facts *facts;
    fisc_result *rb, *ro;             /* base and overlay, evaluated into row after row */
    stats st;
    fisc_decimal diff, benefit, emp, limits[3], zero;
    fisc_decimal sum_base, sum_over;  /* a column's value made of several amounts */
} worker;

/* ---------------------------------------------------------------------------------------- */
/* Statistics */

static void stats_init(stats *st, size_t nprog)
{
    size_t i;
    int b;

    st->rows = st->computed = st->bad = 0;
    memset(st->band_rows, 0, sizeof(st->band_rows));
    for (b = 0; b < FISC_CATEGORY_COUNT; b++) {
        fisc_decimal_init(&st->cat_base[b]);
        fisc_decimal_init(&st->cat_over[b]);
    }
    for (i = 0; i < nprog; i++) {
        prog_stats *p = &st->progs[i];

        fisc_decimal_init(&p->base);
        fisc_decimal_init(&p->over);
        p->prov_base = p->prov_over = 0;
        for (b = 0; b < NBANDS; b++) {
            memset(p->band[b].n, 0, sizeof(p->band[b].n));
            fisc_decimal_init(&p->band[b].gains);
            fisc_decimal_init(&p->band[b].losses);
        }
    }
}

static void stats_clear(stats *st, size_t nprog)
{
    size_t i;
    int b;

    if (!st->progs)
        return;
    for (b = 0; b < FISC_CATEGORY_COUNT; b++) {
        fisc_decimal_clear(&st->cat_base[b]);
        fisc_decimal_clear(&st->cat_over[b]);
    }
    for (i = 0; i < nprog; i++) {
        fisc_decimal_clear(&st->progs[i].base);
        fisc_decimal_clear(&st->progs[i].over);
        for (b = 0; b < NBANDS; b++) {
            fisc_decimal_clear(&st->progs[i].band[b].gains);
            fisc_decimal_clear(&st->progs[i].band[b].losses);
        }
    }
    free(st->progs);
    st->progs = NULL;
}

static int stats_merge(stats *into, const stats *from, size_t nprog, fisc_error *err)
{
    size_t i;
    int b, k, rc = FISC_OK;

    into->rows += from->rows;
    into->computed += from->computed;
    into->bad += from->bad;
    for (b = 0; b < NBANDS; b++)
        into->band_rows[b] += from->band_rows[b];
    for (k = 0; k < FISC_CATEGORY_COUNT && rc == FISC_OK; k++) {
        rc = fisc_decimal_add(&into->cat_base[k], &into->cat_base[k], &from->cat_base[k], err);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(&into->cat_over[k], &into->cat_over[k], &from->cat_over[k], err);
    }
    for (i = 0; i < nprog && rc == FISC_OK; i++) {
        prog_stats *p = &into->progs[i];
        const prog_stats *q = &from->progs[i];

        p->prov_base += q->prov_base;
        p->prov_over += q->prov_over;
        p->money |= q->money;
        p->informative |= q->informative;
        rc = fisc_decimal_add(&p->base, &p->base, &q->base, err);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(&p->over, &p->over, &q->over, err);
        for (b = 0; b < NBANDS && rc == FISC_OK; b++) {
            for (k = 0; k < NCH; k++)
                p->band[b].n[k] += q->band[b].n[k];
            rc = fisc_decimal_add(&p->band[b].gains, &p->band[b].gains, &q->band[b].gains, err);
            if (rc == FISC_OK)
                rc = fisc_decimal_add(&p->band[b].losses, &p->band[b].losses, &q->band[b].losses, err);
        }
    }
    return rc;
}

/* The counts of program @p p over every band. */
static size_t count_all(const prog_stats *p, int ch)
{
    size_t n = 0;
    int b;

    for (b = 0; b < NBANDS; b++)
        n += p->band[b].n[ch];
    return n;
}

/* The sums gained (@p losses 0) or lost over every band, into @p out. */
static int sum_all(fisc_decimal *out, const prog_stats *p, int losses, fisc_error *err)
{
    int b, rc = FISC_OK;

    fisc_decimal_set_int(out, 0);
    for (b = 0; b < NBANDS && rc == FISC_OK; b++)
        rc = fisc_decimal_add(out, out, losses ? &p->band[b].losses : &p->band[b].gains, err);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* One row */

/* The row's size band, from employees_average (see BAND_RULE). */
static int row_band(worker *w, const fisc_facts *facts)
{
    char *s = NULL;
    int band = BAND_UNKNOWN, i;

    if (!fisc_facts_has(facts, "employees_average")
        || fisc_facts_get(&s, facts, "employees_average", NULL) != FISC_OK)
        return BAND_UNKNOWN;
    if (fisc_decimal_parse(&w->emp, s, 0u, NULL) == FISC_OK) {
        for (i = 0; i < 3 && fisc_decimal_cmp(&w->emp, &w->limits[i]) >= 0; i++)
            ;
        band = i; /* BAND_LT20 + the limits reached */
    }
    fisc_string_free(s);
    return band;
}

static const fisc_item *find_item(const fisc_result *res, size_t i, const char *id)
{
    const fisc_item *it = i < fisc_result_item_count(res) ? fisc_result_item(res, i) : NULL;

    if (!it || strcmp(it->program, id) != 0)
        it = fisc_result_find(res, id);
    return it;
}

static void put_key_and_row(worker *w, long row, const char *key, int band)
{
    char num[32];

    snprintf(num, sizeof(num), "%ld", row);
    if (w->W->jsonl_out) {
        cli_buf_printf(&w->u.out, "{\"row\":%ld,\"key\":", row);
        cli_buf_json_string(&w->u.out, key ? key : num);
        if (band >= 0)
            cli_buf_printf(&w->u.out, ",\"band\":\"%s\"", BAND_KEYS[band]);
        else
            cli_buf_puts(&w->u.out, ",\"band\":null");
    } else {
        cli_csv_put_field(&w->u.out, num, 1);
        cli_csv_put_field(&w->u.out, key ? key : num, 0);
        cli_buf_put(&w->u.out, ",", 1);
        if (band >= 0)
            cli_buf_puts(&w->u.out, BAND_KEYS[band]);
    }
}

static void put_bad_row(worker *w, const cli_row *row)
{
    size_t i;

    if (w->W->want_out) {
        put_key_and_row(w, row->row, row->key, -1);
        if (w->W->jsonl_out) {
            cli_buf_puts(&w->u.out, ",\"programs\":null,\"error\":");
            cli_buf_json_string(&w->u.out, row->why);
            cli_buf_puts(&w->u.out, "}\n");
        } else {
            for (i = 0; i < w->W->nprog; i++)
                cli_buf_put(&w->u.out, ",,,", 3);
            cli_csv_put_field(&w->u.out, row->why, 0);
            cli_csv_end_row(&w->u.out);
        }
    }
    cli_buf_printf(&w->u.msgs, "fisc whatif: %s: row %ld: %s\n", w->W->R.source, row->row, row->why);
    w->st.bad++;
}

/* Append an amount (a JSON string when @p json), or nothing / null for none. */
static int put_opt_amount(worker *w, const fisc_decimal *v, int json)
{
    int rc = FISC_OK;

    if (!v) {
        if (json)
            cli_buf_puts(&w->u.out, "null");
        return FISC_OK;
    }
    if (json)
        cli_buf_put(&w->u.out, "\"", 1);
    rc = cli_put_amount(&w->u.out, v, &w->u.fatal);
    if (json)
        cli_buf_put(&w->u.out, "\"", 1);
    return rc;
}

/*
 * Add a row's results to the category totals: each result's own totals (fisc_result_total: every
 * amount of a decided item in that category), the figures `fisc batch` and a linking application
 * add up, so a bureau's tax relief includes cn.cit's relief beside the tax it reports.
 */
static int add_categories(stats *st, const fisc_result *rb, const fisc_result *ro, fisc_error *err)
{
    int rc = FISC_OK;

    for (int k = 0; k < FISC_CATEGORY_COUNT && rc == FISC_OK; k++) {
        rc = fisc_decimal_add(&st->cat_base[k], &st->cat_base[k], fisc_result_total(rb, k), err);
        if (rc == FISC_OK)
            rc = fisc_decimal_add(&st->cat_over[k], &st->cat_over[k], fisc_result_total(ro, k), err);
    }
    return rc;
}

/* Count and write a computed row. @return FISC_OK or a fatal error in w->u.fatal. */
static int put_result(worker *w, const cli_row *row, const fisc_result *rb, const fisc_result *ro)
{
    const whatif *W = w->W;
    int band = row_band(w, row->facts), rc = FISC_OK;
    size_t i;

    if ((rc = add_categories(&w->st, rb, ro, &w->u.fatal)) != FISC_OK)
        return rc;
    if (W->want_out) {
        put_key_and_row(w, row->row, row->key, band);
        if (W->jsonl_out)
            cli_buf_puts(&w->u.out, ",\"programs\":{");
    }
    for (i = 0; i < W->nprog && rc == FISC_OK; i++) {
        const fisc_item *ib = find_item(rb, i, W->prog_ids[i]), *io = find_item(ro, i, W->prog_ids[i]);
        const fisc_amount *ab = ib ? cli_main_amount(ib) : NULL, *ao = io ? cli_main_amount(io) : NULL;
        const fisc_amount *cat_from = ab && ab->category >= 0 ? ab : ao;
        const fisc_decimal *vb = NULL, *vo = NULL; /* their column values (cli_main_value()) */
        prog_stats *p = &w->st.progs[i];
        band_stats *bs = &p->band[band];
        int against = 0, sign, undet;

        if ((ab && !(vb = cli_main_value(&w->sum_base, ib, ab, &w->u.fatal)))
            || (ao && !(vo = cli_main_value(&w->sum_over, io, ao, &w->u.fatal))))
            return w->u.fatal.code;
        if ((ab && cli_has_category(ab)) || (ao && cli_has_category(ao)))
            p->money = 1;
        else if (ab || ao)
            p->informative = 1;
        if (ib && ib->provisional)
            p->prov_base++;
        if (io && io->provisional)
            p->prov_over++;
        if (vb)
            rc = fisc_decimal_add(&p->base, &p->base, vb, &w->u.fatal);
        if (rc == FISC_OK && vo)
            rc = fisc_decimal_add(&p->over, &p->over, vo, &w->u.fatal);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&w->diff, vo ? vo : &w->zero, vb ? vb : &w->zero, &w->u.fatal);
        if (rc != FISC_OK)
            break;
        /* Tax payable and repayment: a rise is against the enterprise. */
        if (cat_from && (cat_from->category == FISC_CATEGORY_TAX_PAYABLE
                         || cat_from->category == FISC_CATEGORY_REPAYMENT))
            against = 1;
        sign = fisc_decimal_sign(&w->diff) * (against ? -1 : 1);
        undet = (!ib || ib->outcome == FISC_OUTCOME_UNDETERMINED)
                || (!io || io->outcome == FISC_OUTCOME_UNDETERMINED);
        if (sign > 0) {
            bs->n[CH_GAIN]++;
            rc = fisc_decimal_abs(&w->benefit, &w->diff, &w->u.fatal);
            if (rc == FISC_OK)
                rc = fisc_decimal_add(&bs->gains, &bs->gains, &w->benefit, &w->u.fatal);
        } else if (sign < 0) {
            bs->n[CH_LOSE]++;
            rc = fisc_decimal_abs(&w->benefit, &w->diff, &w->u.fatal);
            if (rc == FISC_OK)
                rc = fisc_decimal_add(&bs->losses, &bs->losses, &w->benefit, &w->u.fatal);
        } else {
            bs->n[undet ? CH_UNDET : CH_SAME]++;
        }
        if (rc != FISC_OK || !W->want_out)
            continue;
        if (W->jsonl_out) {
            if (i > 0)
                cli_buf_put(&w->u.out, ",", 1);
            cli_buf_json_string(&w->u.out, W->prog_ids[i]);
            cli_buf_puts(&w->u.out, ":{\"base\":");
            rc = put_opt_amount(w, vb, 1);
            cli_buf_puts(&w->u.out, ",\"overlay\":");
            if (rc == FISC_OK)
                rc = put_opt_amount(w, vo, 1);
            cli_buf_puts(&w->u.out, ",\"difference\":\"");
            if (rc == FISC_OK)
                rc = cli_put_amount(&w->u.out, &w->diff, &w->u.fatal);
            cli_buf_puts(&w->u.out, "\"}");
        } else {
            cli_buf_put(&w->u.out, ",", 1);
            rc = put_opt_amount(w, vb, 0);
            cli_buf_put(&w->u.out, ",", 1);
            if (rc == FISC_OK)
                rc = put_opt_amount(w, vo, 0);
            cli_buf_put(&w->u.out, ",", 1);
            if (rc == FISC_OK)
                rc = cli_put_amount(&w->u.out, &w->diff, &w->u.fatal);
        }
    }
    if (rc != FISC_OK)
        return rc;
    if (W->want_out) {
        if (W->jsonl_out)
            cli_buf_puts(&w->u.out, "},\"error\":null}\n");
        else
            cli_buf_put(&w->u.out, ",\r\n", 3);
    }
    w->st.band_rows[band]++;
    w->st.computed++;
    return FISC_OK;
}

/* Evaluate record @p r under both policies. @return FISC_OK, or a fatal error in w->u.fatal. */
static int eval_row(worker *w, size_t r)
{
    const whatif *W = w->W;
    fisc_error e;
    cli_row row;
    int rc, pass;

    fisc_error_clear(&e); /* cheaper than an initializer that zeroes all of it, per row */
    w->st.rows++;
    rc = cli_rows_read(&w->R, r, w->facts, &row, &w->u.fatal);
    for (pass = 0; pass < 2 && rc == FISC_OK && !row.why[0]; pass++) {
        rc = fisc_evaluate_into(pass ? &w->ro : &w->rb, pass ? W->over : W->base, row.facts,
                                &W->opts, &e);
        if (rc != FISC_OK && cli_is_fatal(rc)) {
            w->u.fatal = e;
        } else if (rc != FISC_OK) {
            snprintf(row.why, sizeof(row.why), "%s%s", pass ? "with the overlay: " : "", e.text);
            rc = FISC_OK;
        }
    }
    if (rc == FISC_OK) {
        if (row.why[0])
            put_bad_row(w, &row);
        else
            rc = put_result(w, &row, w->rb, w->ro);
    }
    cli_row_done(&row);
    return rc;
}

/* Evaluate the worker's block into its output (cli_relay_eval_fn); a fatal error lands in w->u.fatal. */
static void eval_block(cli_relay_unit *u)
{
    worker *w = u->arg;
    size_t r;

    /* Made here, by the thread that uses it, for its first block. */
    if (!w->facts && u->fatal.code == FISC_OK && fisc_facts_new(&w->facts, &u->fatal) != FISC_OK)
        return;
    for (r = 0; r < u->blk.nrecs && u->fatal.code == FISC_OK; r++)
        if (eval_row(w, r) != FISC_OK && u->fatal.code == FISC_OK)
            cli_error_set(&u->fatal, FISC_ENOMEM, "", -1, -1, "out of memory");
}

/* Write the differences to the file (cli_relay_write_fn), if there is one. */
static int write_out(const char *s, size_t len, void *f)
{
    return !f || fwrite(s, 1, len, f) == len ? 0 : -1;
}

/* ---------------------------------------------------------------------------------------- */
/* The summary: a table, JSON */

static char *amount_text(const fisc_decimal *v)
{
    cli_buf b;

    cli_buf_init(&b);
    if (cli_put_amount(&b, v, NULL) != FISC_OK || b.failed) {
        cli_buf_free(&b);
        return NULL;
    }
    return b.data;
}

static void table_amount(cli_table *t, size_t col, const fisc_decimal *v)
{
    char *s = amount_text(v);

    if (!s)
        t->failed = 1;
    cli_table_set(t, col, s);
    free(s);
}

/* The totals per category: base, overlay and their difference, exact. */
static int category_table(cli_buf *b, const stats *st, fisc_error *err)
{
    static const char *const head[] = { "Category", "Base", "Overlay", "Difference" };
    cli_table t;
    fisc_decimal d;
    size_t c;
    int k, rc = FISC_OK;

    fisc_decimal_init(&d);
    cli_table_init(&t, 4);
    for (c = 1; c < 4; c++)
        t.right[c] = 1;
    cli_table_row(&t);
    for (c = 0; c < 4; c++)
        cli_table_set(&t, c, head[c]);
    cli_table_rule(&t);
    for (k = 0; k < FISC_CATEGORY_COUNT && rc == FISC_OK; k++) {
        rc = fisc_decimal_sub(&d, &st->cat_over[k], &st->cat_base[k], err);
        cli_table_row(&t);
        cli_table_set(&t, 0, cli_category_keys[k]);
        table_amount(&t, 1, &st->cat_base[k]);
        table_amount(&t, 2, &st->cat_over[k]);
        table_amount(&t, 3, &d);
    }
    if (rc == FISC_OK) {
        cli_buf_puts(b, "By category (every amount of each result in the category):\n");
        cli_table_render(&t, b, 0);
        cli_buf_puts(b, "\n");
        if (t.failed)
            b->failed = 1;
    }
    cli_table_free(&t);
    fisc_decimal_clear(&d);
    return rc;
}

static int summary_text(cli_buf *b, const whatif *W, const stats *st, fisc_error *err)
{
    static const char *const head[] = { "Program", "Base", "Overlay", "Difference", "Gain",
                                        "Lose", "Unchanged", "Undetermined", "Gains", "Losses" };
    static const char *const bhead[] = { "Program", "Band", "Rows", "Gain", "Lose", "Unchanged",
                                         "Undetermined", "Gains", "Losses" };
    cli_table t, bt;
    fisc_decimal d;
    size_t i, c;
    int bnd, rc = FISC_OK, any_change = 0;

    fisc_decimal_init(&d);
    cli_table_init(&t, 10);
    cli_table_init(&bt, 9);
    for (c = 1; c < 10; c++)
        t.right[c] = 1;
    for (c = 2; c < 9; c++)
        bt.right[c] = 1;
    cli_buf_printf(b, "fisc whatif: %s, ", W->R.source);
    if (W->opts.quarter)
        cli_buf_printf(b, "%dQ%d", W->opts.year, W->opts.quarter);
    else
        cli_buf_printf(b, "tax year %d", W->opts.year);
    cli_buf_printf(b, ": %zu rows read, %zu computed, %zu bad%s\n\n", st->rows, st->computed, st->bad,
                   W->encoding_note ? W->encoding_note : "");
    cli_table_row(&t);
    for (c = 0; c < 10; c++)
        cli_table_set(&t, c, head[c]);
    cli_table_rule(&t);
    cli_table_row(&bt);
    for (c = 0; c < 9; c++)
        cli_table_set(&bt, c, bhead[c]);
    cli_table_rule(&bt);
    for (i = 0; i < W->nprog && rc == FISC_OK; i++) {
        const prog_stats *p = &st->progs[i];
        int changed = count_all(p, CH_GAIN) + count_all(p, CH_LOSE) > 0;

        cli_table_row(&t);
        cli_table_setf(&t, 0, "%s%s", W->prog_ids[i], p->prov_base || p->prov_over ? " *" : "");
        table_amount(&t, 1, &p->base);
        table_amount(&t, 2, &p->over);
        rc = fisc_decimal_sub(&d, &p->over, &p->base, err);
        if (rc != FISC_OK)
            break;
        table_amount(&t, 3, &d);
        for (c = 0; c < NCH; c++)
            cli_table_setf(&t, 4 + c, "%zu", count_all(p, (int)c));
        if ((rc = sum_all(&d, p, 0, err)) != FISC_OK)
            break;
        table_amount(&t, 8, &d);
        if ((rc = sum_all(&d, p, 1, err)) != FISC_OK)
            break;
        table_amount(&t, 9, &d);
        if (!changed)
            continue;
        any_change = 1;
        for (bnd = 0; bnd < NBANDS; bnd++) {
            const band_stats *bs = &p->band[bnd];

            if (st->band_rows[bnd] == 0)
                continue;
            cli_table_row(&bt);
            cli_table_set(&bt, 0, W->prog_ids[i]);
            cli_table_set(&bt, 1, BAND_KEYS[bnd]);
            cli_table_setf(&bt, 2, "%zu", st->band_rows[bnd]);
            for (c = 0; c < NCH; c++)
                cli_table_setf(&bt, 3 + c, "%zu", bs->n[c]);
            table_amount(&bt, 7, &bs->gains);
            table_amount(&bt, 8, &bs->losses);
        }
    }
    if (rc == FISC_OK) {
        cli_table_render(&t, b, 0);
        cli_buf_puts(b, "(* provisional: a parameter used is not confirmed, in some rows)\n\n");
        rc = category_table(b, st, err);
    }
    if (rc == FISC_OK) {
        if (any_change) {
            cli_buf_puts(b, "By size band (employees_average: lt20, 20-99, 100-299, ge300, unknown), "
                            "programs that changed:\n");
            cli_table_render(&bt, b, 0);
        } else {
            cli_buf_puts(b, "No enterprise gains or loses under any program.\n");
        }
        if (t.failed || bt.failed)
            b->failed = 1;
    }
    cli_table_free(&t);
    cli_table_free(&bt);
    fisc_decimal_clear(&d);
    return rc;
}

static void json_amount(cli_buf *b, const char *name, const fisc_decimal *v)
{
    cli_buf_printf(b, ",\"%s\":\"", name);
    if (cli_put_amount(b, v, NULL) != FISC_OK)
        b->failed = 1;
    cli_buf_puts(b, "\"");
}

static void json_policy(cli_buf *b, const fisc_policy *pol, const char *hash)
{
    size_t i, n = fisc_policy_layer_count(pol);

    cli_buf_puts(b, "{\"hash\":");
    cli_buf_json_string(b, hash);
    cli_buf_puts(b, ",\"layers\":[");
    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(pol, i);

        if (!l)
            continue;
        cli_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        cli_buf_json_string(b, l->id);
        cli_buf_puts(b, ",\"path\":");
        cli_buf_json_string(b, l->path);
        cli_buf_puts(b, ",\"sha256\":");
        cli_buf_json_string(b, l->sha256);
        cli_buf_printf(b, ",\"overlay\":%s}", l->is_overlay ? "true" : "false");
    }
    cli_buf_puts(b, "]}");
}

static int summary_json(cli_buf *b, const whatif *W, const stats *st, const char *hash_base,
                        const char *hash_over, fisc_error *err)
{
    fisc_decimal d;
    size_t i;
    int bnd, c, rc = FISC_OK;

    fisc_decimal_init(&d);
    cli_buf_puts(b, "{\"schema\":\"fisc-whatif/1\",\"source\":");
    cli_buf_json_string(b, W->R.source);
    cli_buf_puts(b, ",\"encoding\":");
    cli_buf_json_string(b, W->encoding ? W->encoding : "");
    cli_buf_printf(b, ",\"year\":%d,\"quarter\":", W->opts.year);
    if (W->opts.quarter)
        cli_buf_printf(b, "%d", W->opts.quarter);
    else
        cli_buf_puts(b, "null");
    cli_buf_puts(b, ",\"base\":");
    json_policy(b, W->base, hash_base);
    cli_buf_puts(b, ",\"overlay\":");
    json_policy(b, W->over, hash_over);
    cli_buf_printf(b, ",\"rows\":%zu,\"computed\":%zu,\"bad\":%zu,\"bands\":[", st->rows,
                   st->computed, st->bad);
    for (bnd = 0; bnd < NBANDS; bnd++)
        cli_buf_printf(b, "%s{\"band\":\"%s\",\"rows\":%zu}", bnd ? "," : "", BAND_KEYS[bnd],
                       st->band_rows[bnd]);
    cli_buf_puts(b, "],\"programs\":[");
    for (i = 0; i < W->nprog && rc == FISC_OK; i++) {
        const prog_stats *p = &st->progs[i];

        cli_buf_puts(b, i ? ",{\"program\":" : "{\"program\":");
        cli_buf_json_string(b, W->prog_ids[i]);
        json_amount(b, "base", &p->base);
        json_amount(b, "overlay", &p->over);
        if ((rc = fisc_decimal_sub(&d, &p->over, &p->base, err)) != FISC_OK)
            break;
        json_amount(b, "difference", &d);
        cli_buf_printf(b, ",\"provisional_rows_base\":%zu,\"provisional_rows_overlay\":%zu",
                       p->prov_base, p->prov_over);
        for (c = 0; c < NCH; c++)
            cli_buf_printf(b, ",\"%s\":%zu", CH_KEYS[c], count_all(p, c));
        if ((rc = sum_all(&d, p, 0, err)) != FISC_OK)
            break;
        json_amount(b, "gains", &d);
        if ((rc = sum_all(&d, p, 1, err)) != FISC_OK)
            break;
        json_amount(b, "losses", &d);
        cli_buf_puts(b, ",\"bands\":{");
        for (bnd = 0; bnd < NBANDS; bnd++) {
            const band_stats *bs = &p->band[bnd];

            cli_buf_printf(b, "%s\"%s\":{", bnd ? "," : "", BAND_KEYS[bnd]);
            for (c = 0; c < NCH; c++)
                cli_buf_printf(b, "%s\"%s\":%zu", c ? "," : "", CH_KEYS[c], bs->n[c]);
            json_amount(b, "gains", &bs->gains);
            json_amount(b, "losses", &bs->losses);
            cli_buf_puts(b, "}");
        }
        cli_buf_puts(b, "}}");
    }
    cli_buf_puts(b, "],\"categories\":{");
    for (c = 0; c < FISC_CATEGORY_COUNT && rc == FISC_OK; c++) {
        if ((rc = fisc_decimal_sub(&d, &st->cat_over[c], &st->cat_base[c], err)) != FISC_OK)
            break;
        cli_buf_printf(b, "%s\"%s\":{\"base\":\"", c ? "," : "", cli_category_keys[c]);
        if (cli_put_amount(b, &st->cat_base[c], NULL) != FISC_OK)
            b->failed = 1;
        cli_buf_puts(b, "\"");
        json_amount(b, "overlay", &st->cat_over[c]);
        json_amount(b, "difference", &d);
        cli_buf_puts(b, "}");
    }
    cli_buf_puts(b, "}}\n");
    fisc_decimal_clear(&d);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* The HTML page */

typedef struct words {
    const char *lang, *title, *source, *period, *rows, *provisional_banner, *totals, *program,
        *base, *overlay, *difference, *figures, *upper, *gain, *lose, *same, *undet, *gains,
        *losses, *provisional, *distribution, *none_changed, *band, *policies, *policy_base,
        *policy_over, *hash, *layer, *title_col, *document, *file, *sha, *is_overlay, *yes, *no,
        *band_rule, *footer, *categories, *category, *informative, *rows_what;
    const char *const *bands, *const *cats;
} words;

static const words ZH = {
    "zh", "政策调整测算（What-if）", "输入", "期间", "行数", "部分结果为暂定：所用参数尚未确认（见“暂定”列）。",
    "合计", "项目", "现行政策", "调整后", "差额", "小写", "大写", "受益", "受损", "不变", "待定",
    "受益金额", "受损金额", "暂定（行数）", "按规模分组的受益与受损", "没有企业受益或受损。", "规模",
    "政策版本", "现行政策", "调整后政策", "政策哈希", "层", "标题", "文件号", "文件", "SHA-256",
    "（覆盖层）", "是", "否",
    "规模分组（本命令的统计口径，并非政策）按从业人数季度平均值：不足20人；20至99人；100至299人；300人及以上；未填写为未知。",
    "由 fisc 计算：金额精确，无二进制浮点。",
    "按类别合计", "类别", "（仅供参考，不是金额或不计入合计）",
    "（读取 / 计算 / 有误）", BAND_ZH, CAT_ZH,
};
static const words EN = {
    "en", "Policy change estimate (what-if)", "Input", "Period", "Rows",
    "Some results are provisional: a parameter used is not confirmed (see the Provisional column).",
    "Totals", "Program", "Base", "With the overlay", "Difference", "Figures", "In words (大写)",
    "Gain", "Lose", "Unchanged", "Undetermined", "Gains", "Losses", "Provisional (rows)",
    "Gains and losses by size band", "No enterprise gains or loses.", "Band", "Policy versions",
    "Base policy", "Policy with the overlay", "Policy hash", "Layer", "Title", "Document", "File",
    "SHA-256", " (overlay)", "yes", "no",
    "Size bands (a reporting choice of this command, not policy), by employees_average: under 20; "
    "20 to 99; 100 to 299; 300 or more; unknown when not given.",
    "Computed by fisc: exact amounts, no binary floating point.",
    "Totals by category", "Category", "(informative: not money, or in no total)",
    " (read / computed / bad)", BAND_EN, CAT_EN,
};

static const char STYLE[] =
    "body{font-family:\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;"
    "margin:2em auto;max-width:1200px;padding:0 1em;color:#1a1a1a;line-height:1.5}\n"
    "h2{border-bottom:2px solid #345;padding-bottom:.2em;margin-top:2em}\n"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.9em}"
    "th,td{border:1px solid #bbb;padding:.25em .5em;vertical-align:top;text-align:left}"
    "th{background:#eef1f5}\n"
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "td.upper{white-space:nowrap}\n"
    "code,.hash{font-family:monospace;word-break:break-all}\n"
    ".banner{border:2px solid #c60;background:#fff4e5;color:#8a3b00;padding:.6em 1em;"
    "font-weight:bold;margin:1em 0}.prov{color:#c60;font-weight:bold}\n"
    "svg text{font-size:13px;fill:#1a1a1a}\n"
    "footer{margin-top:3em;color:#666;font-size:.85em}\n";

static const char *str(const char *s)
{
    return s ? s : "";
}

/* A cell with an amount in figures, then one with it in 大写. */
/* @p informative: not money (points, a deduction): no 大写, the note @p note instead. */
static void html_amount_cells(cli_buf *b, const fisc_decimal *v, const char *id, const char *note)
{
    cli_buf_printf(b, "<td class=\"num\" id=\"%s\">", id);
    cli_html_money(b, v);
    cli_buf_puts(b, "</td><td class=\"upper\">");
    if (note)
        cli_html_text(b, note);
    else
        cli_html_upper(b, v);
    cli_buf_puts(b, "</td>");
}

static void html_layers(cli_buf *b, const fisc_policy *pol, const char *hash, const char *heading,
                        const char *id, const words *w)
{
    const char *const head[5] = { w->layer, w->title_col, w->document, w->file, w->sha };

    cli_buf_printf(b, "<h3>");
    cli_html_text(b, heading);
    cli_buf_printf(b, "</h3>\n<p>");
    cli_html_text(b, w->hash);
    cli_buf_printf(b, ": <code id=\"%s-hash\">", id);
    cli_html_text(b, hash);
    cli_buf_puts(b, "</code></p>\n");
    cli_html_layers(b, pol, strcmp(w->lang, "en") == 0, head, w->is_overlay);
}

/*
 * The head of a table of amounts: @p first, then base, overlay and difference in figures and 大写,
 * then @p nextra more columns.
 */
static void html_amounts_head(cli_buf *b, const char *first, const char *const *extra, int nextra,
                              const words *w)
{
    int c;

    cli_buf_puts(b, "<thead><tr><th rowspan=\"2\">");
    cli_html_text(b, first);
    cli_buf_puts(b, "</th><th colspan=\"2\">");
    cli_html_text(b, w->base);
    cli_buf_puts(b, "</th><th colspan=\"2\">");
    cli_html_text(b, w->overlay);
    cli_buf_puts(b, "</th><th colspan=\"2\">");
    cli_html_text(b, w->difference);
    cli_buf_puts(b, "</th>");
    for (c = 0; c < nextra; c++) {
        cli_buf_puts(b, "<th rowspan=\"2\">");
        cli_html_text(b, extra[c]);
        cli_buf_puts(b, "</th>");
    }
    cli_buf_puts(b, "</tr>\n<tr>");
    for (c = 0; c < 3; c++) {
        cli_html_elem(b, "th", NULL, w->figures);
        cli_html_elem(b, "th", NULL, w->upper);
    }
    cli_buf_puts(b, "</tr></thead>\n");
}

/* The totals per category (base, overlay, difference), in figures and 大写. */
static int html_categories(cli_buf *b, const stats *st, const words *w, fisc_error *err)
{
    fisc_decimal d;
    char id[48];
    int k, rc = FISC_OK;

    fisc_decimal_init(&d);
    cli_html_elem(b, "h3", NULL, w->categories);
    cli_buf_puts(b, "\n<table id=\"categories\">\n");
    html_amounts_head(b, w->category, NULL, 0, w);
    cli_buf_puts(b, "<tbody>\n");
    for (k = 0; k < FISC_CATEGORY_COUNT && rc == FISC_OK; k++) {
        if ((rc = fisc_decimal_sub(&d, &st->cat_over[k], &st->cat_base[k], err)) != FISC_OK)
            break;
        cli_buf_printf(b, "<tr data-category=\"%s\"><td>", cli_category_keys[k]);
        cli_html_text(b, w->cats[k]);
        cli_buf_puts(b, "</td>");
        snprintf(id, sizeof(id), "category-base-%s", cli_category_keys[k]);
        html_amount_cells(b, &st->cat_base[k], id, NULL);
        snprintf(id, sizeof(id), "category-overlay-%s", cli_category_keys[k]);
        html_amount_cells(b, &st->cat_over[k], id, NULL);
        snprintf(id, sizeof(id), "category-difference-%s", cli_category_keys[k]);
        html_amount_cells(b, &d, id, NULL);
        cli_buf_puts(b, "</tr>\n");
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
    fisc_decimal_clear(&d);
    return rc;
}

/* One program's gains and losses per band as SVG bars (lengths exact in 分). */
static int html_chart(cli_buf *b, const whatif *W, const stats *st, size_t i, const words *w,
                      fisc_error *err)
{
    static const char *const colors[2] = { "#2e8b57", "#b22222" };
    const prog_stats *p = &st->progs[i];
    fisc_decimal fen[NBANDS][2], max_fen;
    int bnd, k, rc = FISC_OK, nb = 0, y, height;

    fisc_decimal_init(&max_fen);
    for (bnd = 0; bnd < NBANDS; bnd++)
        for (k = 0; k < 2; k++)
            fisc_decimal_init(&fen[bnd][k]);
    for (bnd = 0; bnd < NBANDS && rc == FISC_OK; bnd++) {
        if (st->band_rows[bnd] == 0)
            continue;
        nb++;
        for (k = 0; k < 2 && rc == FISC_OK; k++) {
            rc = cli_fen(&fen[bnd][k], k ? &p->band[bnd].losses : &p->band[bnd].gains, err);
            if (rc == FISC_OK && fisc_decimal_cmp(&fen[bnd][k], &max_fen) > 0)
                rc = fisc_decimal_set(&max_fen, &fen[bnd][k], err);
        }
    }
    if (rc != FISC_OK)
        goto out;
    height = CHART_TOP + nb * CHART_BAND + 8;
    cli_buf_printf(b, "<figure id=\"chart-%zu\"><figcaption><code>", i + 1);
    cli_html_text(b, W->prog_ids[i]);
    cli_buf_puts(b, "</code> ");
    cli_html_text(b, strcmp(w->lang, "en") == 0 ? W->titles_en[i] : W->titles_zh[i]);
    cli_buf_printf(b, "</figcaption>\n<svg role=\"img\" width=\"%d\" height=\"%d\" "
                      "viewBox=\"0 0 %d %d\" data-full=\"%ld\">\n<title>",
                   CHART_WIDTH, height, CHART_WIDTH, height, BAR_FULL);
    cli_html_text(b, w->distribution);
    cli_buf_puts(b, "</title>\n");
    for (k = 0; k < 2; k++) {
        int x = CHART_X + k * 160;

        cli_buf_printf(b, "<rect x=\"%d\" y=\"6\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                          "<text x=\"%d\" y=\"18\">", x, colors[k], x + 20);
        cli_html_text(b, k ? w->losses : w->gains);
        cli_buf_puts(b, "</text>\n");
    }
    y = CHART_TOP;
    for (bnd = 0; bnd < NBANDS && rc == FISC_OK; bnd++) {
        if (st->band_rows[bnd] == 0)
            continue;
        cli_buf_printf(b, "<g class=\"band\" data-band=\"%s\"><text x=\"4\" y=\"%d\">", BAND_KEYS[bnd],
                       y + 24);
        cli_html_text(b, w->bands[bnd]);
        cli_buf_puts(b, "</text>");
        for (k = 0; k < 2 && rc == FISC_OK; k++) {
            long len = 0;
            char *ft = NULL;
            const band_stats *bs = &p->band[bnd];

            rc = cli_bar_length(&len, &fen[bnd][k], &max_fen, BAR_FULL, err);
            if (rc == FISC_OK)
                rc = fisc_decimal_to_string(&ft, &fen[bnd][k], NULL, NULL, err);
            if (rc != FISC_OK)
                break;
            cli_buf_printf(b, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%ld\" height=\"16\" "
                              "fill=\"%s\" data-fen=\"%s\"/><text x=\"%ld\" y=\"%d\">",
                           k ? "loss" : "gain", CHART_X, y + 4 + k * 18, len, colors[k], ft,
                           CHART_X + len + 6, y + 17 + k * 18);
            cli_html_money(b, k ? &bs->losses : &bs->gains);
            cli_buf_printf(b, " (%zu)</text>", bs->n[k ? CH_LOSE : CH_GAIN]);
            fisc_string_free(ft);
        }
        cli_buf_puts(b, "</g>\n");
        y += CHART_BAND;
    }
    cli_buf_puts(b, "</svg></figure>\n");
out:
    for (bnd = 0; bnd < NBANDS; bnd++)
        for (k = 0; k < 2; k++)
            fisc_decimal_clear(&fen[bnd][k]);
    fisc_decimal_clear(&max_fen);
    return rc;
}

static int render_html(cli_buf *b, const whatif *W, const stats *st, const char *hash_base,
                       const char *hash_over, const words *w, fisc_error *err)
{
    fisc_decimal d;
    size_t i;
    int c, rc = FISC_OK, any_prov = 0, any_change = 0;

    for (i = 0; i < W->nprog; i++)
        if (st->progs[i].prov_base || st->progs[i].prov_over)
            any_prov = 1;
    fisc_decimal_init(&d);
    cli_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"fisc %d.%d.%d\">\n<title>",
                   w->lang, FISC_VERSION_MAJOR, FISC_VERSION_MINOR, FISC_VERSION_PATCH);
    cli_html_text(b, w->title);
    cli_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", STYLE);
    cli_html_text(b, w->title);
    cli_buf_puts(b, "</h1>\n<table class=\"meta\">\n<tr>");
    cli_html_elem(b, "th", NULL, w->source);
    cli_html_elem(b, "td", NULL, W->R.source);
    cli_buf_puts(b, "</tr>\n<tr>");
    cli_html_elem(b, "th", NULL, w->period);
    if (W->opts.quarter)
        cli_buf_printf(b, "<td>%dQ%d</td>", W->opts.year, W->opts.quarter);
    else
        cli_buf_printf(b, "<td>%d</td>", W->opts.year);
    cli_buf_puts(b, "</tr>\n<tr>");
    cli_html_elem(b, "th", NULL, w->rows);
    cli_buf_printf(b, "<td id=\"rows\">%zu / %zu / %zu%s</td></tr>\n</table>\n", st->rows,
                   st->computed, st->bad, w->rows_what);
    if (any_prov) {
        cli_buf_puts(b, "<div class=\"banner\" id=\"provisional-banner\" role=\"alert\">");
        cli_html_text(b, w->provisional_banner);
        cli_buf_puts(b, "</div>\n");
    }
    cli_buf_puts(b, "</header>\n<main>\n<section id=\"totals\">\n");
    cli_html_elem(b, "h2", NULL, w->totals);
    cli_buf_puts(b, "\n<table>\n");
    {
        const char *const rest[] = { w->gain, w->lose, w->same, w->undet, w->gains, w->losses,
                                     w->provisional };

        html_amounts_head(b, w->program, rest, 7, w);
    }
    cli_buf_puts(b, "<tbody>\n");
    for (i = 0; i < W->nprog && rc == FISC_OK; i++) {
        const prog_stats *p = &st->progs[i];
        const char *note = p->informative && !p->money ? w->informative : NULL;
        char id[48];

        if (count_all(p, CH_GAIN) + count_all(p, CH_LOSE) > 0)
            any_change = 1;
        cli_buf_printf(b, "<tr data-program=\"");
        cli_html_text(b, W->prog_ids[i]);
        cli_buf_puts(b, "\"><td><code>");
        cli_html_text(b, W->prog_ids[i]);
        cli_buf_puts(b, "</code><br>");
        cli_html_text(b, strcmp(w->lang, "en") == 0 ? W->titles_en[i] : W->titles_zh[i]);
        cli_buf_puts(b, "</td>");
        snprintf(id, sizeof(id), "base-%zu", i + 1);
        html_amount_cells(b, &p->base, id, note);
        snprintf(id, sizeof(id), "overlay-%zu", i + 1);
        html_amount_cells(b, &p->over, id, note);
        if ((rc = fisc_decimal_sub(&d, &p->over, &p->base, err)) != FISC_OK)
            break;
        snprintf(id, sizeof(id), "difference-%zu", i + 1);
        html_amount_cells(b, &d, id, note);
        for (c = 0; c < NCH; c++)
            cli_buf_printf(b, "<td class=\"num\">%zu</td>", count_all(p, c));
        for (c = 0; c < 2 && rc == FISC_OK; c++) {
            if ((rc = sum_all(&d, p, c, err)) != FISC_OK)
                break;
            cli_buf_puts(b, "<td class=\"num\">");
            cli_html_money(b, &d);
            cli_buf_puts(b, "</td>");
        }
        cli_buf_printf(b, "<td%s>%s %zu / %s %zu</td></tr>\n",
                       p->prov_base || p->prov_over ? " class=\"prov\"" : "",
                       strcmp(w->lang, "en") == 0 ? "base" : "现行", p->prov_base,
                       strcmp(w->lang, "en") == 0 ? "overlay" : "调整后", p->prov_over);
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
    if (rc == FISC_OK)
        rc = html_categories(b, st, w, err);
    cli_buf_puts(b, "</section>\n<section id=\"distribution\">\n");
    cli_html_elem(b, "h2", NULL, w->distribution);
    cli_buf_puts(b, "\n");
    cli_html_elem(b, "p", NULL, w->band_rule);
    cli_buf_puts(b, "\n");
    if (!any_change) {
        cli_html_elem(b, "p", NULL, w->none_changed);
        cli_buf_puts(b, "\n");
    }
    for (i = 0; i < W->nprog && rc == FISC_OK; i++)
        if (count_all(&st->progs[i], CH_GAIN) + count_all(&st->progs[i], CH_LOSE) > 0)
            rc = html_chart(b, W, st, i, w, err);
    cli_buf_puts(b, "</section>\n<section id=\"policy\">\n");
    cli_html_elem(b, "h2", NULL, w->policies);
    cli_buf_puts(b, "\n");
    html_layers(b, W->base, hash_base, w->policy_base, "base", w);
    html_layers(b, W->over, hash_over, w->policy_over, "overlay", w);
    cli_buf_puts(b, "</section>\n</main>\n<footer>");
    cli_html_text(b, w->footer);
    cli_buf_puts(b, "</footer>\n</body>\n</html>\n");
    fisc_decimal_clear(&d);
    return rc;
}

/* Write @p b to the file @p path. @return 0, or -1. */
static int write_file(const char *path, const cli_buf *b)
{
    FILE *f = fopen(path, "wb");
    int bad;

    if (!f)
        return -1;
    bad = cli_buf_write(b, f) != 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------- */

/* The programs of @p rb, then those of @p ro that @p rb lacks, with their titles. */
static int union_programs(whatif *W, const fisc_result *rb, const fisc_result *ro)
{
    size_t nb = fisc_result_item_count(rb), no = fisc_result_item_count(ro), i, n = 0;

    W->prog_ids = calloc(nb + no + 1, sizeof(*W->prog_ids));
    W->titles_zh = calloc(nb + no + 1, sizeof(*W->titles_zh));
    W->titles_en = calloc(nb + no + 1, sizeof(*W->titles_en));
    if (!W->prog_ids || !W->titles_zh || !W->titles_en)
        return FISC_ENOMEM;
    for (i = 0; i < nb + no; i++) {
        const fisc_item *it = i < nb ? fisc_result_item(rb, i) : fisc_result_item(ro, i - nb);

        if (!it || (i >= nb && fisc_result_find(rb, it->program)))
            continue;
        W->prog_ids[n] = it->program;
        W->titles_zh[n] = str(it->title_zh);
        W->titles_en[n] = it->title_en && it->title_en[0] ? it->title_en : str(it->title_zh);
        n++;
    }
    W->nprog = n;
    return FISC_OK;
}

int cmd_whatif(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000, OPT_HTML, OPT_LANG, OPT_JSON, OPT_INPUT_FORMAT, OPT_JOBS };
    static const struct option longopts[] = {
        { "year", required_argument, NULL, 'y' },
        { "quarter", required_argument, NULL, 'q' },
        { "policy", required_argument, NULL, 'p' },
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "output", required_argument, NULL, 'o' },
        { "html", required_argument, NULL, OPT_HTML },
        { "lang", required_argument, NULL, OPT_LANG },
        { "json", no_argument, NULL, OPT_JSON },
        { "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
        { "key", required_argument, NULL, 'k' },
        { "jobs", required_argument, NULL, OPT_JOBS },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc whatif", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT, in_err = FISC_ERROR_INIT;
    fisc_policy *base = NULL, *over = NULL;
    fisc_result *probe_b = NULL, *probe_o = NULL;
    const char **ids_b = NULL, **ids_o = NULL;
    size_t nb = 0, no = 0;
    const char *hash_b = NULL, *hash_o = NULL;
    cli_stream in;
    cli_block hb;
    whatif W;
    cli_relay L;
    worker *ws = NULL;
    stats total;
    FILE *out = NULL;
    const char *output = NULL, *html = NULL, *lang = "zh", *in_format = NULL, *key_opt = NULL;
    const char *overlay = NULL, *input;
    int help = 0, year = 0, quarter = 0, by_year = 0, by_quarter = 0, jobs = 1, json = 0;
    int c, rc, ret = CLI_EXIT_OK, in_open = 0, relay_ready = 0, tty = isatty(STDERR_FILENO);
    size_t njobs = 1, t, i;
    int64_t t0 = cli_now_ns();

    memset(&W, 0, sizeof(W));
    memset(&total, 0, sizeof(total));
    W.R.cmd = ctx.cmd;
    cli_block_init(&hb);
    if (policy_args_init(&pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, "+:y:q:p:o:k:h", longopts) != 0) {
        policy_args_free(&pa);
        return CLI_EXIT_INTERNAL;
    }
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'y': by_year = 1; cli_option_year(&a, optarg, &year); break;
        case 'q': by_quarter = 1; cli_option_quarter(&a, optarg, &year, &quarter); break;
        case 'p': pa.paths[pa.npaths++] = optarg; break;
        case OPT_OVERLAY:
            if (overlay)
                cli_args_fail(&a, "give --overlay once");
            overlay = optarg;
            break;
        case 'o': output = optarg; break;
        case OPT_HTML: html = optarg; break;
        case OPT_LANG:
            if (parse_lang(optarg, &lang) != 0)
                cli_args_fail(&a, "unknown --lang '%s' (zh, en)", optarg);
            break;
        case OPT_JSON: json = 1; ctx.json = 1; break;
        case OPT_INPUT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
                cli_args_fail(&a, "unknown --input-format '%s' (csv, jsonl)", optarg);
            in_format = optarg;
            break;
        case 'k': key_opt = optarg; break;
        case OPT_JOBS:
            if (cli_parse_int(optarg, 0, CLI_BATCH_MAX_JOBS, &jobs) != 0)
                cli_args_fail(&a, "--jobs needs a number of threads from 0 (one per CPU) to %d, "
                                  "not '%s'", CLI_BATCH_MAX_JOBS, optarg);
            break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(whatif_usage, stdout);
        fputs(whatif_usage_more, stdout);
        return CLI_EXIT_OK;
    }
    cli_args_period_and_file(&a, by_year, by_quarter, "INPUT");
    if (!overlay)
        cli_args_fail(&a, "--overlay FILE is required: the change to estimate");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    input = a.av[optind];
    if (output && strcmp(output, "-") == 0) {
        ret = cli_usage_error(&ctx, "-o needs a file: the summary goes to standard output");
        goto done;
    }
    if (!in_format)
        in_format = cli_ends_with(input, ".jsonl") || cli_ends_with(input, ".ndjson") ? "jsonl" : "csv";
    W.R.jsonl_in = strcmp(in_format, "jsonl") == 0;
    W.want_out = output != NULL;
    W.jsonl_out = output && (cli_ends_with(output, ".jsonl") || cli_ends_with(output, ".ndjson"));
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > CLI_BATCH_MAX_JOBS ? CLI_BATCH_MAX_JOBS : (int)n;
    }
    njobs = (size_t)jobs;
    W.R.source = strcmp(input, "-") == 0 ? "<stdin>" : input;

    /* Both policies, once; their programs, hashes and that they have rules for the period. */
    rc = policy_load(&base, &pa, &err);
    if (rc == FISC_OK) {
        pa.overlay = overlay;
        rc = policy_load(&over, &pa, &err);
    }
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }
    W.base = base;
    W.over = over;
    W.opts.version = FISC_EVAL_OPTIONS_VERSION;
    W.opts.year = year;
    W.opts.quarter = quarter;
    W.opts.trace = 0;
    W.opts.summary = 1; /* outcomes, main amounts and totals: what the rows and the summary show */
    rc = cli_program_ids(base, &W.opts, &probe_b, &ids_b, &nb, &err);
    if (rc == FISC_OK)
        rc = cli_program_ids(over, &W.opts, &probe_o, &ids_o, &no, &err);
    hash_b = cli_policy_hash(base);
    hash_o = cli_policy_hash(over);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        if (rc == FISC_ENOTFOUND)
            ret = CLI_EXIT_CONFIG;
        goto done;
    }
    if (union_programs(&W, probe_b, probe_o) != FISC_OK) {
        ret = CLI_EXIT_INTERNAL;
        goto done;
    }

    /* The input and its header. */
    {
        int usage;

        rc = cli_rows_open(&W.R, &in, &hb, input, key_opt, &usage, &err);
        if (rc != FISC_OK) {
            ret = usage ? cli_usage_error(&ctx, "%s", err.text) : cli_report(&ctx, &err);
            goto done;
        }
    }
    in_open = 1;

    /* The difference file and its header. */
    if (output) {
        cli_buf h;

        out = fopen(output, "wb");
        if (!out) {
            cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "cannot create the file: %s",
                          strerror(errno));
            ret = cli_report(&ctx, &err);
            goto done;
        }
        cli_buf_init(&h);
        if (!W.jsonl_out) {
            cli_buf_put(&h, "\xEF\xBB\xBF", 3);
            cli_buf_puts(&h, "row,key,band");
            for (i = 0; i < W.nprog; i++)
                cli_buf_printf(&h, ",%s.base,%s.overlay,%s.difference", W.prog_ids[i],
                               W.prog_ids[i], W.prog_ids[i]);
            cli_buf_puts(&h, ",error\r\n");
        }
        rc = h.failed || (h.len && fwrite(h.data, 1, h.len, out) != h.len);
        cli_buf_free(&h);
        if (rc) {
            cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "writing the differences failed");
            ret = cli_report(&ctx, &err);
            goto done;
        }
    }

    /* Workers. */
    ws = cli_lines_calloc(njobs, sizeof(*ws));
    total.progs = calloc(W.nprog + 1, sizeof(*total.progs));
    if (!ws || !total.progs) {
        ret = CLI_EXIT_INTERNAL;
        goto done;
    }
    stats_init(&total, W.nprog);
    for (t = 0; t < njobs; t++) {
        worker *w = &ws[t];
        int k;

        w->W = &W;
        w->R = W.R;
        w->R.blk = &w->u.blk;
        cli_relay_unit_init(&w->u, w);
        fisc_decimal_init(&w->diff);
        fisc_decimal_init(&w->benefit);
        fisc_decimal_init(&w->emp);
        fisc_decimal_init(&w->zero);
        fisc_decimal_init(&w->sum_base);
        fisc_decimal_init(&w->sum_over);
        for (k = 0; k < 3; k++)
            fisc_decimal_init(&w->limits[k]);
        fisc_decimal_set_int(&w->limits[0], 20);
        fisc_decimal_set_int(&w->limits[1], 100);
        fisc_decimal_set_int(&w->limits[2], 300);
        w->st.progs = cli_lines_calloc(W.nprog + 1, sizeof(*w->st.progs));
        if (!w->st.progs) {
            ret = CLI_EXIT_INTERNAL;
            goto done;
        }
        stats_init(&w->st, W.nprog);
    }
    cli_relay_init(&L, &W.R, &in, eval_block, write_out, out, output, "writing the differences failed",
                   tty, t0);
    relay_ready = 1;
    if (cli_relay_start(&L, &ws[0].u, sizeof(*ws), njobs, &err) != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }

    /* The rows, a block at a time: see cli_relay. */
    cli_relay_run(&L);
    if (L.stopped) {
        ret = cli_report(&ctx, &L.fatal);
        goto done;
    }
    rc = L.in_rc;
    in_err = L.in_err;
    if (out && (fflush(out) != 0 || ferror(out))) {
        cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "writing the differences failed");
        ret = cli_report(&ctx, &err);
        goto done;
    }
    for (t = 0; t < njobs; t++) {
        if (stats_merge(&total, &ws[t].st, W.nprog, &err) != FISC_OK) {
            ret = cli_report(&ctx, &err);
            goto done;
        }
    }
    if (tty)
        cli_progress(ctx.cmd, t0, total.rows, 1);
    if (rc != FISC_OK) {
        /* The input stopped (an unclosed quote, a NUL byte): no summary of a partial input. */
        ret = cli_report(&ctx, &in_err);
        goto done;
    }
    ret = total.bad ? CLI_EXIT_BATCH : CLI_EXIT_OK;
    W.encoding = cli_stream_encoding(&in);
    W.encoding_note = cli_stream_encoding_note(&in);
    {
        cli_buf sb;

        cli_buf_init(&sb);
        rc = json ? summary_json(&sb, &W, &total, hash_b, hash_o, &err)
                  : summary_text(&sb, &W, &total, &err);
        if (rc == FISC_OK && sb.failed) {
            cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory building the summary");
            rc = FISC_ENOMEM;
        }
        if (rc != FISC_OK)
            ret = cli_report(&ctx, &err);
        else if ((c = put_buf(&ctx, &sb)) != CLI_EXIT_OK)
            ret = c;
        cli_buf_free(&sb);
        if (rc == FISC_OK && html) {
            cli_buf_init(&sb);
            rc = render_html(&sb, &W, &total, hash_b, hash_o, strcmp(lang, "en") == 0 ? &EN : &ZH,
                             &err);
            if (rc == FISC_OK && (sb.failed || write_file(html, &sb) != 0)) {
                cli_error_set(&err, CLI_EOUTPUT, html, -1, -1, "writing the HTML page failed");
                rc = CLI_EOUTPUT;
            }
            if (rc != FISC_OK)
                ret = cli_report(&ctx, &err);
            cli_buf_free(&sb);
        }
    }

done:
    if (relay_ready)
        cli_relay_end(&L);
    for (t = 0; ws && t < njobs; t++) {
        int k;

        fisc_facts_free(ws[t].facts);
        fisc_result_free(ws[t].rb);
        fisc_result_free(ws[t].ro);
        cli_relay_unit_free(&ws[t].u);
        stats_clear(&ws[t].st, W.nprog);
        fisc_decimal_clear(&ws[t].diff);
        fisc_decimal_clear(&ws[t].benefit);
        fisc_decimal_clear(&ws[t].emp);
        fisc_decimal_clear(&ws[t].zero);
        fisc_decimal_clear(&ws[t].sum_base);
        fisc_decimal_clear(&ws[t].sum_over);
        for (k = 0; k < 3; k++)
            fisc_decimal_clear(&ws[t].limits[k]);
    }
    free(ws);
    stats_clear(&total, W.nprog);
    if (out && out != stdout && fclose(out) != 0 && ret == CLI_EXIT_OK) {
        cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "writing the differences failed");
        ret = cli_report(&ctx, &err);
    }
    if (in_open)
        cli_stream_close(&in);
    cli_block_free(&hb);
    cli_rows_free(&W.R);
    free(W.prog_ids);
    free(W.titles_zh);
    free(W.titles_en);
    free(ids_b);
    free(ids_o);
    fisc_result_free(probe_b);
    fisc_result_free(probe_o);
    fisc_policy_free(base);
    fisc_policy_free(over);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}
