/*
 * What `fisc batch` and `fisc whatif` share: see cli_batch.h. Public API only; no floating point.
 */
#include "cli_batch.h"

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

int cli_rows_read(const cli_rows *R, size_t r, fisc_facts *scratch, cli_row *row, fisc_error *fatal)
{
    const cli_rec *rec = &R->blk->recs[r];
    fisc_error e; /* each call resets it */
    size_t len;
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
/* Threads */

static void *thread_main(void *arg)
{
    cli_pool_slot *s = arg;
    cli_pool *P = s->pool;
    size_t t = (size_t)(s - P->slots);
    unsigned long seen = 0;

    for (;;) {
        int mine;

        pthread_mutex_lock(&P->mu);
        while (P->gen == seen && !P->quit)
            pthread_cond_wait(&P->go, &P->mu);
        if (P->quit) {
            pthread_mutex_unlock(&P->mu);
            return NULL;
        }
        seen = P->gen;
        mine = t < P->active; /* else no records for this slot this time */
        pthread_mutex_unlock(&P->mu);
        if (!mine)
            continue;
        P->fn(s->arg, s->from, s->to);
        pthread_mutex_lock(&P->mu);
        if (--P->pending == 0)
            pthread_cond_signal(&P->done);
        pthread_mutex_unlock(&P->mu);
    }
}

int cli_pool_start(cli_pool *P, size_t n, int caller_works, cli_slice_fn fn, void *workers,
                   size_t size, fisc_error *err)
{
    size_t t;

    memset(P, 0, sizeof(*P));
    P->slots = calloc(n ? n : 1, sizeof(*P->slots));
    if (!P->slots) {
        cli_error_set(err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return FISC_ENOMEM;
    }
    pthread_mutex_init(&P->mu, NULL);
    pthread_cond_init(&P->go, NULL);
    pthread_cond_init(&P->done, NULL);
    P->ready = 1;
    P->n = n;
    P->first = caller_works ? 1 : 0;
    P->fn = fn;
    for (t = 0; t < n; t++) {
        P->slots[t].pool = P;
        P->slots[t].arg = (char *)workers + t * size;
    }
    for (t = P->first; t < n; t++) {
        if (pthread_create(&P->slots[t].tid, NULL, thread_main, &P->slots[t]) != 0) {
            cli_error_set(err, FISC_ENOMEM, "", -1, -1, "cannot start a thread");
            return FISC_ENOMEM;
        }
        P->slots[t].started = 1;
    }
    return FISC_OK;
}

void cli_pool_begin(cli_pool *P, size_t n, size_t nrecs)
{
    size_t t;

    for (t = 0; t < n; t++) {
        P->slots[t].from = nrecs * t / n;
        P->slots[t].to = nrecs * (t + 1) / n;
    }
    /* Written before the broadcast, under the mutex the threads take when they wake. */
    pthread_mutex_lock(&P->mu);
    P->active = n;
    if (n > P->first) {
        P->pending = n - P->first;
        P->gen++;
        pthread_cond_broadcast(&P->go);
    }
    pthread_mutex_unlock(&P->mu);
}

void cli_pool_wait(cli_pool *P)
{
    if (P->first == 1 && P->active > 0)
        P->fn(P->slots[0].arg, P->slots[0].from, P->slots[0].to);
    if (P->active > P->first) {
        pthread_mutex_lock(&P->mu);
        while (P->pending > 0)
            pthread_cond_wait(&P->done, &P->mu);
        pthread_mutex_unlock(&P->mu);
    }
}

void cli_pool_run(cli_pool *P, size_t n, size_t nrecs)
{
    cli_pool_begin(P, n, nrecs);
    cli_pool_wait(P);
}

void cli_pool_stop(cli_pool *P)
{
    size_t t;

    if (!P->ready) {
        free(P->slots);
        P->slots = NULL;
        return;
    }
    pthread_mutex_lock(&P->mu);
    P->quit = 1;
    pthread_cond_broadcast(&P->go);
    pthread_mutex_unlock(&P->mu);
    for (t = 0; t < P->n; t++)
        if (P->slots[t].started)
            pthread_join(P->slots[t].tid, NULL);
    pthread_mutex_destroy(&P->mu);
    pthread_cond_destroy(&P->go);
    pthread_cond_destroy(&P->done);
    free(P->slots);
    P->slots = NULL;
    P->ready = 0;
}
