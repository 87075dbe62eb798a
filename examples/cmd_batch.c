/*
 * fisc batch INPUT: evaluate a policy for every row of a CSV or JSON Lines file, streaming.
 *
 * The input is read a block of at most CLI_BATCH_BLOCK_ROWS rows at a time (cli_stream.c: chunked
 * reading and decoding, so memory stays flat whatever the input size). Each of --jobs workers
 * (this thread and jobs - 1 more) reads a block, evaluates it with its own facts and result (the
 * policy is immutable and shared; the result is evaluated into row after row, so a row allocates
 * nothing) and hands it over to be written after the blocks before it, going on with its next
 * block meanwhile in a second set of buffers, so that a worker holds at most two blocks
 * (cli_relay). The output is the same for any number of threads, and a block's text and fields
 * stay in the cache of the thread that evaluates them. Totals are added exactly (fisc_decimal_add) per worker and
 * merged at the end; exact addition does not depend on the order, so a category's total is added
 * amount by amount, as fisc_result_total() adds them, rather than from the result's totals.
 *
 * Public API only. No floating point: rates of progress are integer rows per second from
 * integer nanoseconds.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
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
#include "cli_policy.h"
#include "cli_stream.h"

/* Most threads --jobs accepts. */
#define MAX_JOBS CLI_BATCH_MAX_JOBS
/* Exit status when some rows were bad (the output is still complete). */
#define EXIT_BAD_ROWS CLI_EXIT_BATCH

static const char batch_usage[] =
    "Usage: fisc batch INPUT|- (--year Y | --quarter YYYYQn) [--policy FILE]...\n"
    "                  [--overlay FILE] [-o OUTPUT] [--format csv|jsonl]\n"
    "                  [--encoding utf-8|gb18030] [--input-format csv|jsonl] [--key COLUMN]\n"
    "                  [--jobs N] [--summary-json FILE]\n"
    "\n"
    "Evaluate every program of a policy for each row of INPUT (one enterprise a row), exactly,\n"
    "streaming: the input is read and the output written a block of rows at a time, so memory\n"
    "stays flat whatever the size of the input.\n"
    "\n"
    "Input: CSV (the default; JSON Lines when INPUT ends in .jsonl or .ndjson, or with\n"
    "--input-format jsonl); - reads standard input. A CSV header names the facts of its columns\n"
    "by their names (taxable_income) or their Chinese or English labels (应纳税所得额, Taxable\n"
    "income: docs/facts.md); other columns are ignored with a warning. UTF-8 with or without a\n"
    "BOM, or GBK/GB18030 as Excel saves it (detected from the first non-ASCII text; a byte not\n"
    "valid in the encoding detected makes its row bad). An empty cell is a fact not given: a\n"
    "program that needs it is undetermined. Blank lines are skipped; rows are numbered as Excel\n"
    "shows them (the header is row 1). JSON Lines: one facts object a line (as for 'fisc\n"
    "estimate'), numbered by line.\n"
    "\n"
    "  -y, --year Y          the tax year, 1990..2100\n"
    "  -q, --quarter YYYYQn  prepayment cumulative to quarter n of year YYYY, e.g. 2019Q2\n"
    "  -p, --policy FILE     a policy layer (YAML), repeatable, national first (default: the\n"
    "                        bundled policy)\n"
    "      --overlay FILE    an overlay that overrides chosen parameters, for a what-if\n"
    "  -o, --output FILE     write the results to FILE (default: standard output)\n"
    "      --format F        csv (default) or jsonl; default from the extension of --output\n"
    "      --encoding E      of CSV output: utf-8 (default, with a BOM, as Excel wants it) or\n"
    "                        gb18030 (no BOM)\n"
    "      --input-format F  csv or jsonl (default: from the extension of INPUT)\n"
    "  -k, --key COLUMN      the column (its header text or fact name) that identifies a row\n"
    "                        in the output; default uscc if there is such a column, else id,\n"
    "                        else the row number. JSON Lines: a fact (default uscc)\n"
    "      --jobs N          evaluate with N threads (default 1; 0: one per CPU); the output\n"
    "                        is the same for any N\n"
    "      --summary-json F  also write the closing summary as JSON to F\n"
    "  -h, --help            show this help\n"
    "\n";

static const char batch_usage_output[] =
    "Output: one row per input row, in input order: row (the input's row number), key, then for\n"
    "each program the policy enables, in the policy's order, PROGRAM.outcome (eligible,\n"
    "not_eligible, undetermined), PROGRAM.amount and PROGRAM.provisional (yes / no), then\n"
    "error. The amount is the program's main amount: the first of its amounts that counts in a\n"
    "category (tax payable, tax relief, subsidy, repayment; for cn.cit the tax, also when no\n"
    "relief applies and the outcome is not_eligible), with the amounts after it in the same\n"
    "category added (gx.zone_approval_subsidy: its guangxi and yulin parts; in JSON Lines\n"
    "amount_name is then \"guangxi+yulin\"), or, when none counts and the program is eligible,\n"
    "its first amount (for cn.rd_deduction the extra deduction); else it is empty.\n"
    "Amounts are exact, in 元, with at least two decimals. A key that a spreadsheet would run\n"
    "as a formula (it begins with = + @, or with - and is not a number) is written with a\n"
    "leading ' in CSV, so that it stays text. JSON Lines:\n"
    "  {\"row\":2,\"key\":\"...\",\"programs\":{\"cn.cit\":{\"outcome\":\"eligible\",\"amount\":\"140000.00\",\n"
    "   \"amount_name\":\"tax\",\"provisional\":false},...},\"error\":null}\n"
    "\n"
    "A bad row (a number that does not parse, an unknown enumeration value, a value the facts\n"
    "refuse, a malformed CSV record) is reported on standard error with its row number and\n"
    "reason, and still appears in the output with its error column filled and no results;\n"
    "every other row is computed. A fact that is missing is not an error: the programs that\n"
    "need it are undetermined.\n"
    "\n"
    "Summary (standard error, and --summary-json): rows read, computed and bad; for each\n"
    "program the numbers eligible, not eligible and undetermined and the exact total of the\n"
    "main amounts in its column; the totals of every category over all programs, as 'fisc\n"
    "estimate' totals them (every amount in the category of every program that is not\n"
    "undetermined). When the input stops early (an unclosed quote, a NUL byte), the\n"
    "summary is of the rows before it and says so: INCOMPLETE on standard error, and\n"
    "\"complete\":false with the error as \"stopped\" in the JSON (else true and null). The\n"
    "encoding the input was read as is \"encoding\" in the JSON (UTF-8, UTF-8 with BOM,\n"
    "GB18030 or ASCII), and said on standard error when it is GB18030. With standard error\n"
    "on a terminal, a progress line shows rows and rows per second.\n"
    "\n"
    "Examples:\n"
    "  fisc batch enterprises.csv --year 2023 -o results.csv\n"
    "  fisc batch enterprises.csv --year 2023 --policy policies/10-national.yaml \\\n"
    "       --policy policies/11-national-rd.yaml --jobs 2 -o results.csv\n"
    "  fisc batch rows.jsonl --quarter 2023Q2 --format jsonl --summary-json summary.json\n"
    "\n"
    "Exit status: 0 every row computed, 3 some rows bad (the output is still complete), 1 an\n"
    "input that cannot be read or decoded, 2 usage error, 4 policy error, 70 internal error\n"
    "(out of memory, output not writable).\n";

static const char *const CATEGORY_TEXT[FISC_CATEGORY_COUNT] = {
    "tax payable", "tax relief", "subsidy", "repayment"
};
static const char *const OUTCOME_NAMES[3] = { "eligible", "not_eligible", "undetermined" };
/* An outcome between its CSV commas, and its length: written per program per row, 16 bytes
 * at a time (a copy of constant size is a pair of moves). */
static const char OUTCOME_CELLS[3][16] = { ",eligible,", ",not_eligible,", ",undetermined," };
static const unsigned char OUTCOME_CELL_LEN[3] = { 10, 14, 14 };

/*
 * Counts and exact totals of one program's main amount. A worker adds a row's main amount once,
 * to main[c] when it also counts in category c (add_item()), else to main[FISC_CATEGORY_COUNT];
 * stats_merge() adds them into the program's total and main[c] into category c's: the same sums
 * (exact addition does not depend on the order), with one add a row fewer. total is the merged
 * statistics' only.
 */
typedef struct prog_stats {
    size_t n[3];  /* by fisc_outcome */
    fisc_decimal main[FISC_CATEGORY_COUNT + 1];
    fisc_decimal total;
} prog_stats;

typedef struct stats {
    size_t rows, computed, bad;
    prog_stats *progs;
    fisc_decimal cat[FISC_CATEGORY_COUNT];
} stats;

/* What every thread reads and no thread writes while a block is evaluated. */
typedef struct batch {
    cli_rows R;              /* the input: source, format, header mapping, the block */
    const fisc_policy *policy;
    fisc_eval_options opts;
    size_t nprog;
    const char **prog_ids;
    int jsonl_out;
} batch;

/* A row number's digits, kept from row to row: the next row's are counted on from them. */
typedef struct row_text {
    long row;                /* 0: none yet */
    size_t len;
    char digits[24];
} row_text;

/*
 * One thread's state. Workers are allocated apart, a cache line each at least (the alignment
 * rounds the size up), and each reads its own copy of the batch: no line that one thread writes
 * row after row is read by another.
 */
typedef struct worker {
    _Alignas(64) batch B;    /* the batch, copied; B.R.blk is u.blk */
    cli_relay_unit u;        /* the block, its output and messages, the fatal error */
    fisc_facts *facts;       /* made in the worker's thread, from its own heap */
    fisc_result *res;        /* evaluated into row after row (fisc_evaluate_into) */
    stats st;                /* st.progs: whole cache lines of their own */
    row_text rt;
    fisc_decimal sum;        /* a column's value made of several amounts (cli_main_value()) */
} worker;

/* ---------------------------------------------------------------------------------------- */
/* Small helpers */

static void stats_init(stats *st, size_t nprog)
{
    size_t i;
    int k;

    st->rows = st->computed = st->bad = 0;
    for (i = 0; i < nprog; i++) {
        memset(st->progs[i].n, 0, sizeof(st->progs[i].n));
        for (k = 0; k <= FISC_CATEGORY_COUNT; k++)
            fisc_decimal_init(&st->progs[i].main[k]);
        fisc_decimal_init(&st->progs[i].total);
    }
    for (k = 0; k < FISC_CATEGORY_COUNT; k++)
        fisc_decimal_init(&st->cat[k]);
}

static void stats_clear(stats *st, size_t nprog)
{
    size_t i;
    int k;

    if (!st->progs)
        return;
    for (i = 0; i < nprog; i++) {
        for (k = 0; k <= FISC_CATEGORY_COUNT; k++)
            fisc_decimal_clear(&st->progs[i].main[k]);
        fisc_decimal_clear(&st->progs[i].total);
    }
    for (k = 0; k < FISC_CATEGORY_COUNT; k++)
        fisc_decimal_clear(&st->cat[k]);
    free(st->progs);
    st->progs = NULL;
}


/* ---------------------------------------------------------------------------------------- */
/* One row */

/* The decimal digits of @p v (with its '-') into @p out, NUL-terminated; @return their length. */
static size_t long_text(char out[24], long v)
{
    char tmp[24];
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    size_t n = 0, k = 0;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = '\0';
    return k;
}

/* The digits of row @p row (NUL-terminated, in @p t). Rows mostly come one after another: then
 * the last row's digits are counted on by one, as on paper. */
static const char *row_digits(row_text *t, long row, size_t *len)
{
    size_t i = t->len;

    if (t->row <= 0 || row != t->row + 1) {
        t->len = long_text(t->digits, row);
    } else {
        while (i > 0 && t->digits[i - 1] == '9')
            t->digits[--i] = '0';
        if (i > 0) {
            t->digits[i - 1]++;
        } else { /* 99 + 1: one digit more */
            memmove(t->digits + 1, t->digits, t->len + 1);
            t->digits[0] = '1';
            t->len++;
        }
    }
    t->row = row;
    *len = t->len;
    return t->digits;
}

static void put_key_and_row(worker *w, long row, const char *key)
{
    size_t n;
    const char *num = row_digits(&w->rt, row, &n);
    char *o;

    if (w->B.jsonl_out) {
        cli_buf_puts(&w->u.out, "{\"row\":");
        cli_buf_put(&w->u.out, num, n);
        cli_buf_puts(&w->u.out, ",\"key\":");
        cli_buf_json_string(&w->u.out, key ? key : num);
    } else if (key) {
        /* A row number is a CSV field as it is (digits: nothing to quote). */
        cli_buf_put(&w->u.out, num, n);
        cli_csv_put_field(&w->u.out, key, 0);
    } else if ((o = cli_buf_room(&w->u.out, n + 1 + sizeof(w->rt.digits))) != NULL) {
        /* The whole digits array each time: a copy of constant size is a few moves. */
        memcpy(o, num, sizeof(w->rt.digits));
        o[n] = ',';
        memcpy(o + n + 1, num, sizeof(w->rt.digits));
        cli_buf_commit(&w->u.out, o + 2 * n + 1);
    }
}

static void put_bad_row(worker *w, long row, const char *key, const char *why)
{
    size_t i;

    put_key_and_row(w, row, key);
    if (w->B.jsonl_out) {
        cli_buf_puts(&w->u.out, ",\"programs\":null,\"error\":");
        cli_buf_json_string(&w->u.out, why);
        cli_buf_puts(&w->u.out, "}\n");
    } else {
        for (i = 0; i < w->B.nprog; i++)
            cli_buf_put(&w->u.out, ",,,", 3);
        cli_csv_put_field(&w->u.out, why, 0);
        cli_csv_end_row(&w->u.out);
    }
    cli_buf_printf(&w->u.msgs, "fisc batch: %s: row %ld: %s\n", w->B.R.source, row, why);
    w->st.bad++;
}

/*
 * Program @p i's item of @p res, counted in the statistics: its outcome (*outcome, an index of
 * OUTCOME_NAMES) and its main amount (*a, or NULL), which add_item() adds to the totals.
 * @return the item, or NULL with w->u.fatal set. Inline: it runs per program per row.
 */
static inline const fisc_item *count_item(worker *w, const fisc_result *res, size_t i,
                                          int *outcome, const fisc_amount **a)
{
    const batch *B = &w->B;
    const fisc_item *it = fisc_result_item(res, i);

    if (!it || (it->program != B->prog_ids[i] && strcmp(it->program, B->prog_ids[i]) != 0))
        it = fisc_result_find(res, B->prog_ids[i]);
    if (!it) {
        cli_error_set(&w->u.fatal, CLI_EINTERNAL, "", -1, -1,
                      "the result has no item for program %s", B->prog_ids[i]);
        return NULL;
    }
    *outcome = it->outcome >= 0 && it->outcome <= 2 ? it->outcome : FISC_OUTCOME_UNDETERMINED;
    w->st.progs[i].n[*outcome]++;
    *a = cli_main_amount(it);
    return it;
}

/*
 * Add item @p it of program @p i to the totals: its main amount @p a (or NULL), whose column value
 * is @p v (cli_main_value(): with the later amounts of its category), to the program's,
 * and with @p by_items, unless the item is undetermined, each of its amounts that has a category
 * to that category's total, as fisc_result_total() adds them (see put_result()); the main amount
 * both at once (prog_stats). The main amount is the first amount with a category when there is
 * one (cli_main_amount()), so an item whose main amount has none (cn.rd_deduction) has none,
 * and the others follow it: the amounts before it are not looked at. @return FISC_OK or a fatal
 * error in w->u.fatal.
 */
static inline int add_item(worker *w, size_t i, const fisc_item *it, const fisc_amount *a,
                           const fisc_decimal *v, int by_items)
{
    stats *st = &w->st;
    const fisc_amount *x, *end;
    unsigned cat;
    int rc;

    if (!a)
        return FISC_OK;
    cat = (unsigned)a->category; /* -1: none */
    if (!by_items || cat >= FISC_CATEGORY_COUNT || it->outcome == FISC_OUTCOME_UNDETERMINED)
        cat = FISC_CATEGORY_COUNT; /* the program's total only */
    rc = fisc_decimal_add(&st->progs[i].main[cat], &st->progs[i].main[cat], v, &w->u.fatal);
    if (rc != FISC_OK || cat == FISC_CATEGORY_COUNT)
        return rc;
    for (x = a + 1, end = it->amounts + it->amount_count; x < end; x++) {
        cat = (unsigned)x->category;
        /* The other amounts are mostly zero (no relief): a sign costs less than an add. Those in
           the main amount's category are in v (cli_main_value()). */
        if (cat < FISC_CATEGORY_COUNT && x->category != a->category && fisc_decimal_sign(x->value) != 0
            && (rc = fisc_decimal_add(&st->cat[cat], &st->cat[cat], x->value, &w->u.fatal))
                   != FISC_OK)
            return rc;
    }
    return FISC_OK;
}

/*
 * The programs of a computed row, as CSV, added to the totals (add_item()): one room for the
 * whole row, into which each piece is stored without a check of its own. @return FISC_OK or a
 * fatal error.
 */
static int put_programs_csv(worker *w, const fisc_result *res, int by_items)
{
    const size_t cell = sizeof(OUTCOME_CELLS[0]) + CLI_AMOUNT_ROOM + 4;
    const size_t nprog = w->B.nprog;
    char *o = cli_buf_room(&w->u.out, nprog * cell + 3);
    size_t i;

    if (!o)
        return FISC_OK; /* out of memory: the buffer tells (eval_block()) */
    for (i = 0; i < nprog; i++) {
        const fisc_amount *a;
        const fisc_decimal *v = NULL;
        const fisc_item *it;
        char *end;
        int outcome, rc;

        if (!(it = count_item(w, res, i, &outcome, &a)))
            return w->u.fatal.code;
        if (a && !(v = cli_main_value(&w->sum, it, a, &w->u.fatal)))
            return w->u.fatal.code;
        if ((rc = add_item(w, i, it, a, v, by_items)) != FISC_OK)
            return rc;
        memcpy(o, OUTCOME_CELLS[outcome], sizeof(OUTCOME_CELLS[0]));
        end = o + OUTCOME_CELL_LEN[outcome];
        if (a && !(end = cli_amount_at(end, v))) {
            /* A text for the heap, or an error that cli_put_amount() tells; then room again. */
            cli_buf_commit(&w->u.out, o + OUTCOME_CELL_LEN[outcome]);
            if ((rc = cli_put_amount(&w->u.out, v, &w->u.fatal)) != FISC_OK)
                return rc;
            if (!(end = cli_buf_room(&w->u.out, (nprog - i) * cell + 3)))
                return FISC_OK;
        }
        memcpy(end, it->provisional ? ",yes" : ",no", 4);
        o = end + (it->provisional ? 4 : 3);
    }
    memcpy(o, ",\r\n", 3);
    cli_buf_commit(&w->u.out, o + 3);
    return FISC_OK;
}

/* The programs of a computed row, as JSON. @return FISC_OK or a fatal error. */
static int put_programs_json(worker *w, const fisc_result *res, int by_items)
{
    size_t i;
    int rc;

    cli_buf_puts(&w->u.out, ",\"programs\":{");
    for (i = 0; i < w->B.nprog; i++) {
        const fisc_amount *a;
        const fisc_decimal *v = NULL;
        const fisc_item *it;
        int outcome;

        if (!(it = count_item(w, res, i, &outcome, &a)))
            return w->u.fatal.code;
        if (a && !(v = cli_main_value(&w->sum, it, a, &w->u.fatal)))
            return w->u.fatal.code;
        if ((rc = add_item(w, i, it, a, v, by_items)) != FISC_OK)
            return rc;
        if (i > 0)
            cli_buf_put(&w->u.out, ",", 1);
        cli_buf_json_string(&w->u.out, w->B.prog_ids[i]);
        cli_buf_printf(&w->u.out, ":{\"outcome\":\"%s\",\"amount\":", OUTCOME_NAMES[outcome]);
        if (a) {
            cli_buf_put(&w->u.out, "\"", 1);
            if ((rc = cli_put_amount(&w->u.out, v, &w->u.fatal)) != FISC_OK)
                return rc;
            cli_buf_puts(&w->u.out, "\",\"amount_name\":");
            cli_main_name_json(&w->u.out, it, a);
        } else {
            cli_buf_puts(&w->u.out, "null,\"amount_name\":null");
        }
        cli_buf_printf(&w->u.out, ",\"provisional\":%s}", it->provisional ? "true" : "false");
    }
    cli_buf_puts(&w->u.out, "},\"error\":null}\n");
    return FISC_OK;
}

/* Write a computed row and add it to the totals. @return FISC_OK or a fatal error. */
static int put_result(worker *w, long row, const char *key, const fisc_result *res)
{
    /* The category totals are added item by item (add_item()) when the items are the
     * policy's programs, one each, as they always are; else from the result's totals. */
    const int by_items = fisc_result_item_count(res) == w->B.nprog;
    int k, rc;

    put_key_and_row(w, row, key);
    rc = w->B.jsonl_out ? put_programs_json(w, res, by_items) : put_programs_csv(w, res, by_items);
    if (rc != FISC_OK)
        return rc;
    for (k = 0; k < FISC_CATEGORY_COUNT && !by_items; k++) {
        const fisc_decimal *t = fisc_result_total(res, k);

        if (t && fisc_decimal_sign(t) != 0
            && (rc = fisc_decimal_add(&w->st.cat[k], &w->st.cat[k], t, &w->u.fatal)) != FISC_OK)
            return rc;
    }
    w->st.computed++;
    return FISC_OK;
}


/* Evaluate record @p r of the block. @return FISC_OK, or a fatal error in w->u.fatal. */
static int eval_row(worker *w, size_t r)
{
    const batch *B = &w->B;
    fisc_error e; /* each call resets it */
    cli_row row;
    int rc;

    w->st.rows++;
    rc = cli_rows_read(&B->R, r, w->facts, &row, &w->u.fatal);
    if (rc != FISC_OK) {
        cli_row_done(&row);
        return rc;
    }
    if (!row.why[0]) {
        rc = fisc_evaluate_into(&w->res, B->policy, row.facts, &B->opts, &e);
        if (rc != FISC_OK) {
            if (cli_is_fatal(rc)) {
                w->u.fatal = e;
                cli_row_done(&row);
                return rc;
            }
            snprintf(row.why, sizeof(row.why), "%s", e.text);
        }
    }
    rc = FISC_OK;
    if (row.why[0])
        put_bad_row(w, row.row, row.key, row.why);
    else
        rc = put_result(w, row.row, row.key, w->res);
    cli_row_done(&row);
    return rc;
}

/* Evaluate the worker's block into its output (cli_relay_eval_fn); a fatal error lands in w->u.fatal. */
static void eval_block(cli_relay_unit *u)
{
    worker *w = u->arg;
    size_t r, to = u->blk.nrecs;

    /* Made here, by the thread that uses it, for its first block. */
    if (!w->facts && u->fatal.code == FISC_OK && fisc_facts_new(&w->facts, &u->fatal) != FISC_OK)
        return;
    for (r = 0; r < to && u->fatal.code == FISC_OK; r++)
        if (eval_row(w, r) != FISC_OK && u->fatal.code == FISC_OK)
            cli_error_set(&u->fatal, FISC_ENOMEM, "", -1, -1, "out of memory");
}

/* ---------------------------------------------------------------------------------------- */
/* Output */

typedef struct sink {
    FILE *f;
    const char *name;
    iconv_t cd;       /* UTF-8 → GB18030, or (iconv_t)-1 */
    char *conv;
    size_t conv_cap;
    int failed;
} sink;

/* Write @p len bytes of UTF-8 text, converted when asked. @return 0, or -1. */
static int sink_write(const char *s, size_t len, void *to)
{
    sink *k = to;

    if (len == 0 || k->failed)
        return k->failed ? -1 : 0;
    if (k->cd != (iconv_t)-1) {
        char *ip = (char *)(uintptr_t)s, *op;
        size_t inleft = len, outleft;

        if (k->conv_cap < len * 2 + 16) {
            char *p = realloc(k->conv, len * 2 + 16);
            if (!p) {
                k->failed = 1;
                return -1;
            }
            k->conv = p;
            k->conv_cap = len * 2 + 16;
        }
        op = k->conv;
        outleft = k->conv_cap;
        if (iconv(k->cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
            k->failed = 1;
            return -1;
        }
        s = k->conv;
        len = (size_t)(op - k->conv);
    }
    if (fwrite(s, 1, len, k->f) != len) {
        k->failed = 1;
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* The summary */

/* @p complete: 0 when the input stopped early (its error reported before): the counts and totals
 * are of the rows before it. @p note: cli_stream_encoding_note(). */
static void summary_text(cli_buf *b, const batch *B, const stats *st, int complete, const char *note)
{
    size_t i;
    int k;

    cli_buf_printf(b, "fisc batch: %zu rows read, %zu computed, %zu bad%s%s\n", st->rows, st->computed,
                   st->bad, complete ? "" : " (INCOMPLETE: the input stopped early, see above)", note);
    for (i = 0; i < B->nprog; i++) {
        cli_buf_printf(b, "  %s: eligible %zu, not eligible %zu, undetermined %zu, total ",
                       B->prog_ids[i], st->progs[i].n[0], st->progs[i].n[1], st->progs[i].n[2]);
        (void)cli_put_amount(b, &st->progs[i].total, NULL);
        cli_buf_puts(b, "\n");
    }
    cli_buf_puts(b, "  totals:");
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        cli_buf_printf(b, "%s %s ", k ? "," : "", CATEGORY_TEXT[k]);
        (void)cli_put_amount(b, &st->cat[k], NULL);
    }
    cli_buf_puts(b, "\n");
}

/* @p stopped: the input's error when it stopped early, else NULL; @p encoding: cli_stream_encoding(). */
static void summary_json(cli_buf *b, const batch *B, const stats *st, const fisc_error *stopped,
                         const char *encoding)
{
    size_t i;
    int k;

    cli_buf_puts(b, "{\"schema\":\"fisc-batch-summary/1\",\"source\":");
    cli_buf_json_string(b, B->R.source);
    cli_buf_puts(b, ",\"encoding\":");
    cli_buf_json_string(b, encoding);
    cli_buf_printf(b, ",\"complete\":%s,\"stopped\":", stopped ? "false" : "true");
    if (stopped)
        cli_buf_json_string(b, stopped->text);
    else
        cli_buf_puts(b, "null");
    cli_buf_printf(b, ",\"year\":%d,\"quarter\":%d,\"rows\":%zu,\"computed\":%zu,\"bad\":%zu,"
                      "\"programs\":[", B->opts.year, B->opts.quarter, st->rows, st->computed,
                   st->bad);
    for (i = 0; i < B->nprog; i++) {
        cli_buf_puts(b, i ? ",{\"program\":" : "{\"program\":");
        cli_buf_json_string(b, B->prog_ids[i]);
        cli_buf_printf(b, ",\"eligible\":%zu,\"not_eligible\":%zu,\"undetermined\":%zu,\"total\":\"",
                       st->progs[i].n[0], st->progs[i].n[1], st->progs[i].n[2]);
        (void)cli_put_amount(b, &st->progs[i].total, NULL);
        cli_buf_puts(b, "\"}");
    }
    cli_buf_puts(b, "],\"totals\":{");
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        cli_buf_printf(b, "%s\"%s\":\"", k ? "," : "", cli_category_keys[k]);
        (void)cli_put_amount(b, &st->cat[k], NULL);
        cli_buf_puts(b, "\"");
    }
    cli_buf_puts(b, "}}\n");
}

/* Add a worker's statistics @p from into @p into, its main amounts into the programs' and the
 * categories' totals (prog_stats). */
static int stats_merge(stats *into, const stats *from, size_t nprog, fisc_error *err)
{
    size_t i;
    int k, rc;

    into->rows += from->rows;
    into->computed += from->computed;
    into->bad += from->bad;
    for (i = 0; i < nprog; i++) {
        const prog_stats *p = &from->progs[i];

        for (k = 0; k < 3; k++)
            into->progs[i].n[k] += p->n[k];
        for (k = 0; k <= FISC_CATEGORY_COUNT; k++) {
            rc = fisc_decimal_add(&into->progs[i].total, &into->progs[i].total, &p->main[k], err);
            if (rc == FISC_OK && k < FISC_CATEGORY_COUNT)
                rc = fisc_decimal_add(&into->cat[k], &into->cat[k], &p->main[k], err);
            if (rc != FISC_OK)
                return rc;
        }
    }
    for (k = 0; k < FISC_CATEGORY_COUNT; k++) {
        rc = fisc_decimal_add(&into->cat[k], &into->cat[k], &from->cat[k], err);
        if (rc != FISC_OK)
            return rc;
    }
    return FISC_OK;
}

/* ---------------------------------------------------------------------------------------- */

int cmd_batch(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000, OPT_FORMAT, OPT_ENCODING, OPT_INPUT_FORMAT, OPT_JOBS, OPT_SUMMARY };
    static const struct option longopts[] = {
        { "year", required_argument, NULL, 'y' },
        { "quarter", required_argument, NULL, 'q' },
        { "policy", required_argument, NULL, 'p' },
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "output", required_argument, NULL, 'o' },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "encoding", required_argument, NULL, OPT_ENCODING },
        { "input-format", required_argument, NULL, OPT_INPUT_FORMAT },
        { "key", required_argument, NULL, 'k' },
        { "jobs", required_argument, NULL, OPT_JOBS },
        { "summary-json", required_argument, NULL, OPT_SUMMARY },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc batch", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT, in_err = FISC_ERROR_INIT;
    fisc_policy *policy = NULL;
    fisc_result *probe = NULL;
    cli_stream in;
    cli_block hb;
    batch B;
    cli_relay L;
    worker *ws = NULL;
    stats total;
    sink out = { NULL, NULL, (iconv_t)-1, NULL, 0, 0 };
    const char *output = NULL, *format = NULL, *encoding = "utf-8", *in_format = NULL;
    const char *key_opt = NULL, *summary_path = NULL, *input;
    int help = 0, year = 0, quarter = 0, by_year = 0, by_quarter = 0, jobs = 1;
    int c, rc, ret = CLI_EXIT_OK, in_open = 0, relay_ready = 0, tty = isatty(STDERR_FILENO);
    size_t njobs = 1, t, i;
    int64_t t0 = cli_now_ns();

    memset(&B, 0, sizeof(B));
    B.R.cmd = ctx.cmd;
    memset(&total, 0, sizeof(total));
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
            if (pa.overlay)
                cli_args_fail(&a, "give --overlay once");
            pa.overlay = optarg;
            break;
        case 'o': output = optarg; break;
        case OPT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
                cli_args_fail(&a, "unknown --format '%s' (csv, jsonl)", optarg);
            format = optarg;
            break;
        case OPT_ENCODING:
            if (cli_eq_ci(optarg, "utf-8") || cli_eq_ci(optarg, "utf8"))
                encoding = "utf-8";
            else if (cli_eq_ci(optarg, "gb18030") || cli_eq_ci(optarg, "gbk"))
                encoding = "gb18030";
            else
                cli_args_fail(&a, "unknown --encoding '%s' (utf-8, gb18030)", optarg);
            break;
        case OPT_INPUT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "jsonl") != 0)
                cli_args_fail(&a, "unknown --input-format '%s' (csv, jsonl)", optarg);
            in_format = optarg;
            break;
        case 'k': key_opt = optarg; break;
        case OPT_JOBS:
            if (cli_parse_int(optarg, 0, MAX_JOBS, &jobs) != 0)
                cli_args_fail(&a, "--jobs needs a number of threads from 0 (one per CPU) to %d, "
                                  "not '%s'", MAX_JOBS, optarg);
            break;
        case OPT_SUMMARY: summary_path = optarg; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(batch_usage, stdout);
        fputs(batch_usage_output, stdout);
        return CLI_EXIT_OK;
    }
    cli_args_period_and_file(&a, by_year, by_quarter, "INPUT");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    input = a.av[optind];
    if (!format)
        format = output && (cli_ends_with(output, ".jsonl") || cli_ends_with(output, ".ndjson"))
                     ? "jsonl" : "csv";
    if (!in_format)
        in_format = cli_ends_with(input, ".jsonl") || cli_ends_with(input, ".ndjson") ? "jsonl" : "csv";
    B.jsonl_out = strcmp(format, "jsonl") == 0;
    B.R.jsonl_in = strcmp(in_format, "jsonl") == 0;
    if (B.jsonl_out && strcmp(encoding, "utf-8") != 0) {
        ret = cli_usage_error(&ctx, "--encoding gb18030 is for CSV output (JSON Lines are UTF-8)");
        goto done;
    }
    if (jobs == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
    }
    njobs = (size_t)jobs;
    B.R.source = strcmp(input, "-") == 0 ? "<stdin>" : input;

    /* The policy, and one evaluation to learn its programs' order (and that it has rules). */
    rc = policy_load(&policy, &pa, &err);
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }
    B.policy = policy;
    B.opts.version = FISC_EVAL_OPTIONS_VERSION;
    B.opts.year = year;
    B.opts.quarter = quarter;
    B.opts.trace = 0;
    B.opts.summary = 1; /* outcomes, main amounts and totals: what the rows and the summary show */
    rc = cli_program_ids(policy, &B.opts, &probe, &B.prog_ids, &B.nprog, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        if (rc == FISC_ENOTFOUND)
            ret = CLI_EXIT_CONFIG;
        goto done;
    }

    /* The input, and for CSV its header. */
    {
        int usage;

        rc = cli_rows_open(&B.R, &in, &hb, input, key_opt, &usage, &err);
        if (rc != FISC_OK) {
            ret = usage ? cli_usage_error(&ctx, "%s", err.text) : cli_report(&ctx, &err);
            goto done;
        }
    }
    in_open = 1;

    /* The output. */
    out.f = stdout;
    out.name = "<stdout>";
    if (output && strcmp(output, "-") != 0) {
        out.f = fopen(output, "wb");
        out.name = output;
        if (!out.f) {
            cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "cannot create the file: %s",
                          strerror(errno));
            ret = cli_report(&ctx, &err);
            goto done;
        }
    }
    if (!B.jsonl_out && strcmp(encoding, "gb18030") == 0) {
        out.cd = iconv_open("GB18030", "UTF-8");
        if (out.cd == (iconv_t)-1) {
            cli_error_set(&err, CLI_EOUTPUT, out.name, -1, -1, "this system's iconv has no GB18030 converter");
            ret = cli_report(&ctx, &err);
            goto done;
        }
    }

    /* Workers. */
    ws = cli_lines_calloc(njobs, sizeof(*ws));
    total.progs = calloc(B.nprog + 1, sizeof(*total.progs));
    if (!ws || !total.progs) {
        ret = CLI_EXIT_INTERNAL;
        goto done;
    }
    stats_init(&total, B.nprog);
    for (t = 0; t < njobs; t++) {
        worker *w = &ws[t];

        w->B = B;
        w->B.R.blk = &w->u.blk;
        cli_relay_unit_init(&w->u, w);
        fisc_decimal_init(&w->sum);
        w->st.progs = cli_lines_calloc(B.nprog + 1, sizeof(*w->st.progs));
        if (!w->st.progs) {
            ret = CLI_EXIT_INTERNAL;
            goto done;
        }
        stats_init(&w->st, B.nprog);
    }
    /* This thread is worker 0; the others wait for the header line to be written. */
    cli_relay_init(&L, &B.R, &in, eval_block, sink_write, &out, out.name, "writing the result failed",
                   tty, t0);
    relay_ready = 1;
    if (cli_relay_start(&L, &ws[0].u, sizeof(*ws), njobs, &err) != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }

    /* The header line. */
    {
        cli_buf h;

        cli_buf_init(&h);
        if (!B.jsonl_out) {
            if (out.cd == (iconv_t)-1)
                cli_buf_put(&h, "\xEF\xBB\xBF", 3);
            cli_csv_put_field(&h, "row", 1);
            cli_csv_put_field(&h, "key", 0);
            for (i = 0; i < B.nprog; i++) {
                cli_buf_printf(&h, ",%s.outcome,%s.amount,%s.provisional", B.prog_ids[i],
                               B.prog_ids[i], B.prog_ids[i]);
            }
            cli_csv_put_field(&h, "error", 0);
            cli_csv_end_row(&h);
        }
        if (h.failed || sink_write(h.data ? h.data : "", h.len, &out) != 0) {
            cli_buf_free(&h);
            cli_error_set(&err, CLI_EOUTPUT, out.name, -1, -1, "writing the result failed");
            ret = cli_report(&ctx, &err);
            goto done;
        }
        cli_buf_free(&h);
    }

    /* The rows, a block at a time: see cli_relay. */
    cli_relay_run(&L);
    if (L.stopped) {
        ret = cli_report(&ctx, &L.fatal);
        goto done;
    }
    rc = L.in_rc;
    in_err = L.in_err;
    if (fflush(out.f) != 0 || ferror(out.f)) {
        cli_error_set(&err, CLI_EOUTPUT, out.name, -1, -1, "writing the result failed");
        ret = cli_report(&ctx, &err);
        goto done;
    }
    for (t = 0; t < njobs; t++) {
        if (stats_merge(&total, &ws[t].st, B.nprog, &err) != FISC_OK) {
            ret = cli_report(&ctx, &err);
            goto done;
        }
    }
    if (tty)
        cli_progress(ctx.cmd, t0, total.rows, 1);
    if (rc != FISC_OK) {
        /* The input stopped (bad encoding, an unclosed quote): what came before is written. */
        ret = cli_report(&ctx, &in_err);
    } else {
        ret = total.bad ? EXIT_BAD_ROWS : CLI_EXIT_OK;
    }
    {
        cli_buf sb;

        cli_buf_init(&sb);
        summary_text(&sb, &B, &total, rc == FISC_OK, cli_stream_encoding_note(&in));
        if (!sb.failed)
            fputs(sb.data, stderr);
        cli_buf_free(&sb);
        if (summary_path) {
            FILE *sf = fopen(summary_path, "wb");

            cli_buf_init(&sb);
            summary_json(&sb, &B, &total, rc == FISC_OK ? NULL : &in_err, cli_stream_encoding(&in));
            if (!sf || sb.failed || cli_buf_write(&sb, sf) != 0) {
                cli_error_set(&err, CLI_EOUTPUT, summary_path, -1, -1, "writing the summary failed");
                ret = cli_report(&ctx, &err);
            }
            if (sf && fclose(sf) != 0 && ret == CLI_EXIT_OK) {
                cli_error_set(&err, CLI_EOUTPUT, summary_path, -1, -1, "writing the summary failed");
                ret = cli_report(&ctx, &err);
            }
            cli_buf_free(&sb);
        }
    }

done:
    if (relay_ready)
        cli_relay_end(&L);
    for (t = 0; ws && t < njobs; t++) {
        cli_relay_unit_free(&ws[t].u);
        fisc_decimal_clear(&ws[t].sum);
        fisc_facts_free(ws[t].facts);
        fisc_result_free(ws[t].res);
        stats_clear(&ws[t].st, B.nprog);
    }
    free(ws);
    stats_clear(&total, B.nprog);
    if (out.f && out.f != stdout && fclose(out.f) != 0 && ret == CLI_EXIT_OK) {
        cli_error_set(&err, CLI_EOUTPUT, out.name, -1, -1, "writing the result failed");
        ret = cli_report(&ctx, &err);
    }
    if (out.cd != (iconv_t)-1)
        iconv_close(out.cd);
    free(out.conv);
    if (in_open)
        cli_stream_close(&in);
    cli_block_free(&hb);
    cli_rows_free(&B.R);
    free(B.prog_ids);
    fisc_result_free(probe);
    fisc_policy_free(policy);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}
