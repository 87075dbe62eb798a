/*
 * What `fisc batch` and `fisc whatif` share: see cli_batch.h. Public API only; no floating point.
 */
#include "cli_batch.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t cli_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void cli_progress(const char *cmd, int64_t t0, size_t rows, int final)
{
    int64_t ns = cli_now_ns() - t0;
    unsigned long long rate = ns > 0 ? (unsigned long long)rows * 1000000000ull / (unsigned long long)ns : 0;

    fprintf(stderr, "\r\033[K%s: %zu rows, %llu rows/s%s", cmd, rows, rate, final ? "\n" : "");
    fflush(stderr);
}

int cli_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cli_eq_ci(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return *a == *b;
}

int cli_is_fatal(int rc)
{
    return rc == FISC_ENOMEM;
}

/*
 * How much of ".00" gives the exact text @p s (@p n bytes: -?d+(.d+)? or -?d+/d+) two decimals:
 * 3 (".00") after an integer, 1 ("0") after one decimal, 0 after two or more or after a
 * fraction. Read back from the end over the last digits only; an amount (two decimals) is seen
 * at once.
 */
static size_t two_decimals(const char *s, size_t n)
{
    size_t k = n;

    if (n >= 3 && s[n - 3] == '.')
        return 0;
    while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
        k--;
    if (k == 0 || s[k - 1] == '-')
        return 3;
    return s[k - 1] == '.' && n - k == 1 ? 1 : 0;
}

/* Pad the exact text @p s of @p n bytes to two decimals in place (room for 3 more bytes, and no
 * NUL written). @return its end. */
static char *pad_two_decimals(char *s, size_t n)
{
    size_t z = two_decimals(s, n);

    if (z == 3)
        memcpy(s + n, ".00", 3);
    else if (z == 1)
        s[n] = '0';
    return s + n + z;
}

/*
 * Two decimals, rounded toward zero. A value that this leaves exact (no status INEXACT) has at
 * most two decimals that are not zero: its exact text padded to two (see two_decimals()) is this
 * text, which the library writes at once for an amount (no trailing zeros dropped and put back).
 */
static const fisc_format TWO_PLACES = { FISC_FORMAT_VERSION, 2, FISC_ROUND_DOWN, 0, FISC_UNIT_YUAN };

/* cli_amount_at() for a value with more decimals, or a fraction: the exact text, padded. Out of
 * line, so that the common case saves no registers for it. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static char *exact_amount_at(char *out, const fisc_decimal *v)
{
    size_t n = 0;

    if (fisc_decimal_format(out, FISC_DECIMAL_TEXT_SIZE, &n, v, NULL, NULL, NULL) != FISC_OK)
        return NULL;
    return pad_two_decimals(out, n);
}

char *cli_amount_at(char *out, const fisc_decimal *v)
{
    uint32_t status = 0;
    size_t n = 0;

    if (fisc_decimal_format(out, FISC_DECIMAL_TEXT_SIZE, &n, v, &TWO_PLACES, &status, NULL) == FISC_OK
        && !(status & FISC_STATUS_INEXACT))
        return out + n;
    return exact_amount_at(out, v);
}

int cli_put_amount(cli_buf *b, const fisc_decimal *v, fisc_error *err)
{
    char *s = NULL, *o = cli_buf_room(b, CLI_AMOUNT_ROOM), *end;
    size_t n;
    int rc;

    if (o && (end = cli_amount_at(o, v)) != NULL) {
        cli_buf_commit(b, end);
        return FISC_OK;
    }
    /* Out of memory (the buffer reports it), a text too long for the room, or a real error,
     * which this path reports in err as before: through a text on the heap. */
    rc = fisc_decimal_to_string(&s, v, NULL, NULL, err);
    if (rc != FISC_OK)
        return rc;
    n = strlen(s);
    if ((o = cli_buf_room(b, n + 3)) != NULL) {
        memcpy(o, s, n);
        cli_buf_commit(b, pad_two_decimals(o, n));
    }
    fisc_string_free(s);
    return FISC_OK;
}

int cli_program_ids(const fisc_policy *policy, const fisc_eval_options *opts, fisc_result **probe,
                    const char ***ids, size_t *n, fisc_error *err)
{
    fisc_facts *facts = NULL;
    size_t i;
    int rc;

    *probe = NULL;
    *ids = NULL;
    *n = 0;
    if ((rc = fisc_facts_new(&facts, err)) != FISC_OK)
        return rc;
    rc = fisc_evaluate(probe, policy, facts, opts, err);
    fisc_facts_free(facts);
    if (rc != FISC_OK)
        return rc;
    *n = fisc_result_item_count(*probe);
    *ids = calloc(*n + 1, sizeof(**ids));
    if (!*ids) {
        cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return FISC_ENOMEM;
    }
    for (i = 0; i < *n; i++)
        (*ids)[i] = fisc_result_item(*probe, i)->program;
    return FISC_OK;
}

const fisc_decimal *cli_main_value(fisc_decimal *sum, const fisc_item *it, const fisc_amount *main,
                                   fisc_error *err)
{
    const fisc_amount *x, *end = it->amounts + it->amount_count;

    if (!cli_main_has_parts(it, main))
        return main->value;
    if (fisc_decimal_set(sum, main->value, err) != FISC_OK)
        return NULL;
    for (x = main + 1; x < end; x++)
        if (x->category == main->category && fisc_decimal_add(sum, sum, x->value, err) != FISC_OK)
            return NULL;
    return sum;
}

void cli_main_name_json(cli_buf *b, const fisc_item *it, const fisc_amount *main)
{
    const fisc_amount *x, *end = it->amounts + it->amount_count;
    cli_buf names;

    if (!cli_main_has_parts(it, main)) {
        cli_buf_json_string(b, main->name);
        return;
    }
    cli_buf_init(&names);
    cli_buf_puts(&names, main->name);
    for (x = main + 1; x < end; x++)
        if (x->category == main->category) {
            cli_buf_put(&names, "+", 1);
            cli_buf_puts(&names, x->name);
        }
    if (names.failed)
        b->failed = 1;
    else
        cli_buf_json_string(b, names.data);
    cli_buf_free(&names);
}

/* ---------------------------------------------------------------------------------------- */
/* Rows */

/* The vocabulary index of a header text: a fact name, a zh label or an en label; or -1. */
static long header_fact(const char *h)
{
    size_t i, n = fisc_fact_vocab_count();
    long idx = fisc_fact_vocab_index(h);

    if (idx >= 0)
        return idx;
    for (i = 0; i < n; i++) {
        const fisc_fact_info *fi = fisc_fact_vocab_at(i);

        if (fi && ((fi->label_zh && strcmp(fi->label_zh, h) == 0)
                   || (fi->label_en && fi->label_en[0] && cli_eq_ci(fi->label_en, h))))
            return (long)i;
    }
    return -1;
}

/* Copy @p s without leading and trailing spaces and tabs. */
static char *trimmed_dup(const char *s)
{
    size_t n;
    char *d;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Map the header's columns to facts and find the key column (see cli_rows_begin()). */
static int map_header(cli_rows *R, const cli_block *hb, const char *key_opt, int *usage, fisc_error *err)
{
    size_t i, j;

    R->ncols = hb->recs[0].nfields;
    R->col_names = calloc(R->ncols, sizeof(*R->col_names));
    R->col_fact = calloc(R->ncols, sizeof(*R->col_fact));
    if (!R->col_names || !R->col_fact) {
        cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return FISC_ENOMEM;
    }
    for (i = 0; i < R->ncols; i++) {
        size_t len;

        R->col_names[i] = trimmed_dup(cli_block_field(hb, 0, i, &len));
        if (!R->col_names[i]) {
            cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
            return FISC_ENOMEM;
        }
        R->col_fact[i] = header_fact(R->col_names[i]);
        for (j = 0; j < i && R->col_fact[i] >= 0; j++)
            if (R->col_fact[j] == R->col_fact[i]) {
                cli_error_set(err, FISC_EINVAL, R->source, 1, (int)(i + 1),
                              "row 1: columns %zu (%s) and %zu (%s) both give the fact %s",
                              j + 1, R->col_names[j], i + 1, R->col_names[i],
                              fisc_fact_vocab_at((size_t)R->col_fact[i])->name);
                return FISC_EINVAL;
            }
    }
    R->key_col = -1;
    for (i = 0; i < R->ncols && R->key_col < 0; i++) {
        const char *fact = R->col_fact[i] >= 0 ? fisc_fact_vocab_at((size_t)R->col_fact[i])->name : "";

        if (key_opt ? strcmp(R->col_names[i], key_opt) == 0 || strcmp(fact, key_opt) == 0
                    : strcmp(fact, "uscc") == 0)
            R->key_col = (long)i;
    }
    for (i = 0; !key_opt && i < R->ncols && R->key_col < 0; i++)
        if (strcmp(R->col_names[i], "id") == 0)
            R->key_col = (long)i;
    if (key_opt && R->key_col < 0) {
        *usage = 1;
        cli_error_set(err, FISC_EINVAL, R->source, -1, -1, "--key %s: no such column in the header",
                      key_opt);
        return FISC_EINVAL;
    }
    for (i = 0; i < R->ncols; i++)
        if (R->col_fact[i] < 0 && (long)i != R->key_col)
            fprintf(stderr, "%s: %s: warning: column %zu (%s) is not a fact; ignored\n",
                    R->cmd, R->source, i + 1, R->col_names[i]);
    return FISC_OK;
}

const char *const cli_category_keys[FISC_CATEGORY_COUNT] = {
    "tax_payable", "tax_relief", "subsidy", "repayment"
};

int cli_rows_open(cli_rows *R, cli_stream *in, cli_block *hb, const char *input, const char *key_opt,
                  int *usage, fisc_error *err)
{
    int rc;

    *usage = 0;
    if ((rc = cli_stream_open(in, input, R->source, err)) != FISC_OK)
        return rc;
    if ((rc = cli_rows_begin(R, in, hb, key_opt, usage, err)) != FISC_OK)
        cli_stream_close(in);
    return rc;
}

int cli_rows_read_block(const cli_rows *R, cli_stream *in, cli_block *b, fisc_error *err)
{
    return R->jsonl_in ? cli_stream_line_block(in, b, CLI_BATCH_BLOCK_ROWS, err)
                       : cli_stream_csv_block(in, b, CLI_BATCH_BLOCK_ROWS, err);
}

int cli_rows_begin(cli_rows *R, cli_stream *in, cli_block *hb, const char *key_opt, int *usage,
                   fisc_error *err)
{
    int rc;

    *usage = 0;
    if (R->jsonl_in) {
        R->key_col = -1;
        if (!key_opt) {
            R->key_fact = "uscc";
            return FISC_OK;
        }
        {
            const fisc_fact_info *fi = fisc_fact_vocab_find(key_opt);

            if (!fi) {
                *usage = 1;
                cli_error_set(err, FISC_EINVAL, R->source, -1, -1, "--key %s: JSON Lines keys are "
                              "facts, and there is no such fact", key_opt);
                return FISC_EINVAL;
            }
            R->key_fact = fi->name;
        }
        return FISC_OK;
    }
    rc = cli_stream_csv_block(in, hb, 1, err);
    if (rc == FISC_OK && hb->nrecs == 0) {
        cli_error_set(err, FISC_EPARSE, R->source, -1, -1,
                      "the input is empty: a header row naming the facts is expected");
        rc = FISC_EPARSE;
    }
    if (rc == FISC_OK && (hb->recs[0].bad || hb->recs[0].row != 1)) {
        cli_error_set(err, FISC_EPARSE, R->source, 1, -1, "row 1: %s",
                      hb->recs[0].bad ? hb->recs[0].bad : "the header must be the first row");
        rc = FISC_EPARSE;
    }
    if (rc == FISC_OK)
        rc = map_header(R, hb, key_opt, usage, err);
    return rc;
}

void cli_rows_free(cli_rows *R)
{
    size_t i;

    for (i = 0; R->col_names && i < R->ncols; i++)
        free(R->col_names[i]);
    free(R->col_names);
    free(R->col_fact);
    R->col_names = NULL;
    R->col_fact = NULL;
}

/*
 * Set the facts of a CSV record's cells (a row already checked to have no more fields than the
 * header) into @p scratch, cleared first: one fisc_facts_set_row() call, which skips the columns
 * that are no fact and the empty cells. @return FISC_OK; a fatal error in @p fatal; or
 * FISC_EINVAL with row->why set (a value the facts refuse).
 */
static int read_cells(const cli_rows *R, const cli_rec *rec, fisc_facts *scratch, cli_row *row,
                      fisc_error *fatal)
{
    const fisc_fact_span *cells = R->blk->fields + rec->first;
    fisc_error e;
    size_t i;
    int rc;

    fisc_facts_clear(scratch);
    rc = fisc_facts_set_row(&i, scratch, R->col_fact, R->blk->text, cells, rec->nfields, &e);
    if (rc == FISC_OK)
        return FISC_OK;
    if (cli_is_fatal(rc)) {
        *fatal = e;
        return rc;
    }
    snprintf(row->why, sizeof(row->why), "column %zu (%s): %s", i + 1, R->col_names[i], e.text);
    return FISC_EINVAL;
}

/*
 * Why record @p r holds a byte that is not valid in the input's encoding (rec->bad is CLI_BAD_UTF8 or
 * CLI_BAD_GB18030): its column (CSV) or place in the line (JSON Lines), and the byte, into row->why.
 */
static void bad_text_why(const cli_rows *R, size_t r, cli_row *row)
{
    const cli_rec *rec = &R->blk->recs[r];
    const char *enc = rec->bad == CLI_BAD_GB18030 ? "GB18030" : "UTF-8";
    size_t i, len;

    for (i = 0; i < rec->nfields; i++) {
        const char *t = cli_block_field(R->blk, r, i, &len);
        size_t at = cli_utf8_valid_prefix(t, len);
        unsigned byte = (unsigned char)t[at];

        if (at == len)
            continue;
        if (R->jsonl_in) {
            size_t column = 1, k;

            for (k = 0; k < at; k++) /* characters, as a JSON error counts them */
                column += ((unsigned char)t[k] & 0xC0) != 0x80;
            snprintf(row->why, sizeof(row->why), "column %zu: invalid %s (byte 0x%02X) in a file read as "
                     "%s: save it as UTF-8 or as GBK/GB18030", column, enc, byte, enc);
        } else
            snprintf(row->why, sizeof(row->why), "column %zu (%s): invalid %s (byte 0x%02X) in a file read "
                     "as %s: save it as CSV UTF-8 or as GBK/GB18030", i + 1,
                     i < R->ncols ? R->col_names[i] : "past the header", enc, byte, enc);
        return;
    }
    snprintf(row->why, sizeof(row->why), "%s", rec->bad);
}

int cli_rows_read(const cli_rows *R, size_t r, fisc_facts *scratch, cli_row *row, fisc_error *fatal)
{
    const cli_rec *rec = &R->blk->recs[r];
    fisc_error e; /* each call resets it */
    size_t len = 0;
    int rc;

    row->row = rec->row;
    row->key = NULL;
    row->facts = NULL;
    row->why[0] = '\0';
    row->jfacts = NULL;
    row->keybuf = NULL;
    if (!R->jsonl_in && R->key_col >= 0) {
        row->key = cli_block_field(R->blk, r, (size_t)R->key_col, &len);
        if (row->key && len == 0)
            row->key = NULL;
    }
    if (rec->bad) {
        /* a bad record's key may hold a byte that is not valid (only a bad record's may) */
        if (row->key && cli_utf8_valid_prefix(row->key, len) < len)
            row->key = NULL; /* not text: the row number is its key */
        if (rec->bad == CLI_BAD_UTF8 || rec->bad == CLI_BAD_GB18030)
            bad_text_why(R, r, row);
        else
            snprintf(row->why, sizeof(row->why), "%s", rec->bad);
    } else if (!R->jsonl_in) {
        if (rec->nfields > R->ncols) {
            snprintf(row->why, sizeof(row->why), "the row has %zu fields, the header %zu",
                     rec->nfields, R->ncols);
            return FISC_OK;
        }
        rc = read_cells(R, rec, scratch, row, fatal);
        if (rc == FISC_OK)
            row->facts = scratch;
        else if (cli_is_fatal(rc))
            return rc;
    } else {
        const char *line = cli_block_field(R->blk, r, 0, &len);

        rc = fisc_facts_from_json(&row->jfacts, line, len, NULL, &e);
        if (rc != FISC_OK) {
            if (cli_is_fatal(rc)) {
                *fatal = e;
                return rc;
            }
            if (e.column > 0)
                snprintf(row->why, sizeof(row->why), "column %d: %s", e.column, e.text);
            else
                snprintf(row->why, sizeof(row->why), "%s", e.text);
        } else {
            row->facts = row->jfacts;
            if (R->key_fact && fisc_facts_has(row->jfacts, R->key_fact)
                && fisc_facts_get(&row->keybuf, row->jfacts, R->key_fact, &e) == FISC_OK)
                row->key = row->keybuf;
        }
    }
    return FISC_OK;
}

void cli_row_done(cli_row *row)
{
    if (row->jfacts) { /* JSON Lines only: a CSV row owns nothing */
        fisc_facts_free(row->jfacts);
        row->jfacts = NULL;
    }
    if (row->keybuf) {
        fisc_string_free(row->keybuf);
        row->keybuf = NULL;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Threads: the relay */

/* Zeroed memory for @p n objects of @p size bytes, on cache lines of its own: what one thread
 * writes row after row shares no line with another's. @return it (free() releases it), or NULL. */
void *cli_lines_calloc(size_t n, size_t size)
{
    size_t bytes;
    void *p;

    if (size && n > (SIZE_MAX - 63) / size)
        return NULL;
    bytes = (n * size + 63) / 64 * 64;
    p = aligned_alloc(64, bytes ? bytes : 64);
    if (p)
        memset(p, 0, bytes ? bytes : 64);
    return p;
}

void cli_relay_unit_init(cli_relay_unit *u, void *arg)
{
    memset(u, 0, sizeof(*u));
    u->arg = arg;
    cli_block_init(&u->blk);
    cli_buf_init(&u->out);
    cli_buf_init(&u->msgs);
    cli_block_init(&u->parked.blk);
    cli_buf_init(&u->parked.out);
    cli_buf_init(&u->parked.msgs);
    fisc_error_clear(&u->fatal);
}

void cli_relay_unit_free(cli_relay_unit *u)
{
    cli_block_free(&u->blk);
    cli_buf_free(&u->out);
    cli_buf_free(&u->msgs);
    cli_block_free(&u->parked.blk);
    cli_buf_free(&u->parked.out);
    cli_buf_free(&u->parked.msgs);
}

void cli_relay_init(cli_relay *L, const cli_rows *R, cli_stream *in, cli_relay_eval_fn eval,
                    cli_relay_write_fn write_fn, void *sink, const char *sink_name,
                    const char *write_failed, int tty, int64_t t0)
{
    memset(L, 0, sizeof(*L));
    L->R = R;
    L->in = in;
    L->eval = eval;
    L->write = write_fn;
    L->sink = sink;
    L->sink_name = sink_name;
    L->write_failed = write_failed;
    L->tty = tty;
    L->t0 = t0;
    L->reading = 1;
    L->in_rc = FISC_OK;
    fisc_error_clear(&L->in_err);
    fisc_error_clear(&L->fatal);
    pthread_mutex_init(&L->read_mu, NULL);
    pthread_mutex_init(&L->write_mu, NULL);
    pthread_cond_init(&L->turn, NULL);
}

static void stop_reading(cli_relay *L)
{
    pthread_mutex_lock(&L->read_mu);
    L->reading = 0;
    pthread_mutex_unlock(&L->read_mu);
}

/* Read the next block into u->blk and number it in *seq. @return 0 when there is none. */
static int read_block(cli_relay *L, cli_relay_unit *u, size_t *seq)
{
    fisc_error e;
    int rc, got = 0;

    pthread_mutex_lock(&L->read_mu);
    if (L->reading) {
        rc = cli_rows_read_block(L->R, L->in, &u->blk, &e);
        if (rc != FISC_OK) {
            /* The rows read before the error are still computed and written. */
            L->reading = 0;
            L->in_rc = rc;
            L->in_err = e;
        }
        if (u->blk.nrecs == 0)
            L->reading = 0;
        else
            got = 1, *seq = L->next++;
    }
    pthread_mutex_unlock(&L->read_mu);
    return got;
}

/*
 * Write, in order, the blocks handed over from the first one not written yet, up to the first
 * that is not ready; a block whose worker failed stops the run there. Under write_mu.
 */
static void write_ready(cli_relay *L)
{
    size_t from = L->written;
    cli_relay_unit *v;

    while (!L->stopped && (v = L->done[L->written % CLI_RELAY_RING]) != NULL) {
        cli_relay_parked *p = &v->parked;

        L->done[L->written % CLI_RELAY_RING] = NULL;
        if (p->failed) {
            L->fatal = v->fatal;
            L->stopped = 1;
        } else {
            if (p->msgs.len)
                fputs(p->msgs.data, stderr);
            if (p->out.len && L->write(p->out.data, p->out.len, L->sink) != 0) {
                cli_error_set(&L->fatal, CLI_EOUTPUT, L->sink_name, -1, -1, "%s", L->write_failed);
                L->stopped = 1;
            }
            L->rows += p->blk.nrecs;
            if (L->tty)
                cli_progress(L->R->cmd, L->t0, L->rows, 0);
        }
        p->pending = 0;
        L->written++;
    }
    if (L->written != from || L->stopped) /* what a worker in hand_over() waits for */
        pthread_cond_broadcast(&L->turn);
}

/*
 * Hand over u's evaluated block, numbered @p seq: park it (its buffers swapped with the parked
 * ones, once the block parked before is written) and write what is ready. @return 0 when the
 * run stopped or u failed.
 */
static int hand_over(cli_relay *L, cli_relay_unit *u, size_t seq)
{
    cli_relay_parked *p = &u->parked;
    cli_block b;
    cli_buf o, m;
    int stopped;

    pthread_mutex_lock(&L->write_mu);
    while (p->pending && !L->stopped)
        pthread_cond_wait(&L->turn, &L->write_mu);
    if (!L->stopped) {
        b = p->blk, p->blk = u->blk, u->blk = b; /* u->blk stays where the command's rows point */
        o = p->out, p->out = u->out, u->out = o;
        m = p->msgs, p->msgs = u->msgs, u->msgs = m;
        p->pending = 1;
        p->failed = u->fatal.code != FISC_OK;
        assert(L->done[seq % CLI_RELAY_RING] == NULL);
        L->done[seq % CLI_RELAY_RING] = u;
        write_ready(L);
    }
    stopped = L->stopped;
    pthread_mutex_unlock(&L->write_mu);
    if (stopped)
        stop_reading(L);
    return !stopped && u->fatal.code == FISC_OK;
}

/* A worker: blocks read, evaluated and handed over, until the input ends or the run stops. */
static void *work(void *arg)
{
    cli_relay_unit *u = arg;
    cli_relay *L = u->relay;
    size_t seq;
    int go;

    pthread_mutex_lock(&L->write_mu);
    while (!L->go)
        pthread_cond_wait(&L->turn, &L->write_mu);
    go = L->go > 0;
    pthread_mutex_unlock(&L->write_mu);
    while (go && read_block(L, u, &seq)) {
        u->out.len = 0;
        u->msgs.len = 0;
        if (u->out.data)
            u->out.data[0] = '\0';
        L->eval(u);
        if ((u->out.failed || u->msgs.failed) && u->fatal.code == FISC_OK)
            cli_error_set(&u->fatal, FISC_ENOMEM, "", -1, -1, "out of memory building the output");
        if (!hand_over(L, u, seq))
            break;
    }
    return NULL;
}

static cli_relay_unit *unit(const cli_relay *L, size_t t)
{
    return (cli_relay_unit *)(void *)((char *)L->first + t * L->stride);
}

/* Let the workers begin (@p go 1) or not (-1). */
static void relay_go(cli_relay *L, int go)
{
    pthread_mutex_lock(&L->write_mu);
    L->go = go;
    pthread_cond_broadcast(&L->turn);
    pthread_mutex_unlock(&L->write_mu);
}

static void join(cli_relay *L)
{
    for (size_t t = 0; t < L->nthreads; t++)
        pthread_join(L->tids[t], NULL);
    L->nthreads = 0;
}

int cli_relay_start(cli_relay *L, cli_relay_unit *first, size_t stride, size_t n, fisc_error *err)
{
    assert(n >= 1 && n <= CLI_BATCH_MAX_JOBS);
    L->first = first;
    L->stride = stride;
    for (size_t t = 0; t < n; t++)
        unit(L, t)->relay = L;
    if (n > 1 && !(L->tids = calloc(n - 1, sizeof(*L->tids)))) {
        cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return FISC_ENOMEM;
    }
    for (size_t t = 1; t < n; t++) {
        if (pthread_create(&L->tids[t - 1], NULL, work, unit(L, t)) != 0) {
            cli_error_set(err, FISC_ENOMEM, "", -1, -1, "cannot start a thread");
            return FISC_ENOMEM;
        }
        L->nthreads++;
    }
    return FISC_OK;
}

void cli_relay_run(cli_relay *L)
{
    relay_go(L, 1);
    (void)work(unit(L, 0));
    join(L);
}

void cli_relay_end(cli_relay *L)
{
    if (L->nthreads > 0) { /* not begun: let them end */
        relay_go(L, -1);
        join(L);
    }
    free(L->tids);
    L->tids = NULL;
    pthread_cond_destroy(&L->turn);
    pthread_mutex_destroy(&L->write_mu);
    pthread_mutex_destroy(&L->read_mu);
}
