/*
 * What `fisc batch` and `fisc whatif` share: the rows of a streamed input turned into facts (a
 * CSV header mapped to facts by name or label, the key column; JSON Lines facts objects), a
 * small pool of threads that evaluates contiguous slices of a block, and the amount helpers
 * (the main amount of an item, an amount written exactly with at least two decimals). Not part
 * of the library API. No floating point.
 */
#ifndef FISC_CLI_BATCH_H
#define FISC_CLI_BATCH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <fisc/fisc.h>
#include <fisc/evaluate.h>
#include <fisc/facts.h>

#include "cli_common.h"
#include "cli_stream.h"

/* Most rows of a block: read, evaluated and written together (fisc batch: by one thread;
 * fisc whatif: split between the threads). A CSV block also ends with the text read so far (a
 * chunk of 1 MiB), so that rows of 128 bytes or more make a block of about one chunk each. A
 * test build may make it tiny, to put every row at a block's edge. */
#ifndef CLI_BATCH_BLOCK_ROWS
#define CLI_BATCH_BLOCK_ROWS 8192
#endif
/* Most threads --jobs accepts. */
#define CLI_BATCH_MAX_JOBS 64

/* Monotonic time in integer nanoseconds. */
int64_t cli_now_ns(void);
/*
 * The progress line of `fisc batch` and `fisc whatif` on standard error: "CMD: N rows, R rows/s",
 * written over itself ("\r", erase to the end of the line) and ended with a newline when
 * @p final. The rate is integer rows per second from the integer nanoseconds since @p t0
 * (cli_now_ns()). The caller shows it only when standard error is a terminal, so that a
 * redirected standard error (a log, a test) stays free of it.
 */
void cli_progress(const char *cmd, int64_t t0, size_t rows, int final);
/* 1 if @p s ends with @p suffix. */
int cli_ends_with(const char *s, const char *suffix);
/* 1 if @p a equals @p b ignoring ASCII case. */
int cli_eq_ci(const char *a, const char *b);
/* A library failure that no row can cause (out of memory): it stops the command. */
int cli_is_fatal(int rc);

/*
 * Append @p v exactly, with at least two decimals ("140000" → "140000.00", "0.125" as it is,
 * "1/3" as it is). @return FISC_OK or the error of fisc_decimal_to_string().
 */
int cli_put_amount(cli_buf *b, const fisc_decimal *v, fisc_error *err);

/* Bytes cli_amount_at() may write: any text fisc_decimal_format() writes without the heap, and
 * ".00". */
#define CLI_AMOUNT_ROOM (FISC_DECIMAL_TEXT_SIZE + 3)

/*
 * Write @p v as cli_put_amount() does at @p out, which has CLI_AMOUNT_ROOM bytes (no NUL is
 * written after the text): for a writer that keeps room for a row. @return the end of the
 * text, or NULL for a value whose text needs the heap (or an error): cli_put_amount() writes it.
 */
char *cli_amount_at(char *out, const fisc_decimal *v);

/* 1 if amount @p a counts in a category. */
static inline int cli_has_category(const fisc_amount *a)
{
    return (unsigned)a->category < FISC_CATEGORY_COUNT; /* also not -1 */
}

/*
 * The item's main amount, or NULL: the first of its amounts that counts in a category, whatever
 * the outcome (cn.cit not eligible for any relief still has its tax payable), else the first
 * amount of an eligible item (cn.rd_deduction's extra deduction).
 */
static inline const fisc_amount *cli_main_amount(const fisc_item *it) /* per program per row */
{
    const fisc_amount *a = it->amounts, *end = it->amounts + it->amount_count;

    for (; a < end; a++)
        if (cli_has_category(a))
            return a;
    return it->outcome == FISC_OUTCOME_ELIGIBLE && it->amount_count > 0 ? it->amounts : NULL;
}

/*
 * The ids of the programs @p policy enables, in its order, learnt from one evaluation of empty
 * facts (which also checks that the policy has rules for the period). *ids (calloc()ed, n + 1)
 * borrows from *probe, which the caller frees with fisc_result_free() after the ids' last use.
 * @return FISC_OK or the library's error (FISC_ENOTFOUND: no rules for the period).
 */
int cli_program_ids(const fisc_policy *policy, const fisc_eval_options *opts, fisc_result **probe,
                    const char ***ids, size_t *n, fisc_error *err);

/* ---------------------------------------------------------------------------------------- */
/* Rows of an input */

/* The library's categories (fisc_category), by value, as JSON keys and table cells. */
extern const char *const cli_category_keys[FISC_CATEGORY_COUNT];

typedef struct cli_rows {
    const char *cmd;         /* "fisc batch": the prefix of warnings and bad-row messages */
    const char *source;      /* the input's name for messages */
    int jsonl_in;
    size_t ncols;            /* CSV header fields */
    char **col_names;        /* the header's texts (for messages) */
    long *col_fact;          /* vocabulary index of each column, or -1 */
    long key_col;            /* CSV: the key column, or -1 for the row number */
    const char *key_fact;    /* JSON Lines: the key fact, or NULL */
    const cli_block *blk;    /* the block being evaluated */
} cli_rows;

/*
 * Begin reading @p in (opened with cli_stream_open()): for CSV, read its header into @p hb and
 * map its columns to facts (a fact name, or its zh or en label; other columns are warned about
 * on standard error and ignored) and find the key column (@p key_opt: a header text or fact
 * name; default uscc, else a column named id, else none); for JSON Lines, the key fact
 * (@p key_opt or uscc). R->cmd, R->source and R->jsonl_in are set by the caller first.
 * @return FISC_OK; FISC_EPARSE (empty input, a bad header); FISC_EINVAL (two columns for one
 * fact, an unknown --key: then *usage is set); an input error; FISC_ENOMEM.
 */
int cli_rows_begin(cli_rows *R, cli_stream *in, cli_block *hb, const char *key_opt, int *usage,
                   fisc_error *err);
/*
 * Open @p input (cli_stream_open(), messages naming R->source) and begin reading it
 * (cli_rows_begin()). On failure the stream is closed again. @return as those two.
 */
int cli_rows_open(cli_rows *R, cli_stream *in, cli_block *hb, const char *input, const char *key_opt,
                  int *usage, fisc_error *err);
/* The next block of at most CLI_BATCH_BLOCK_ROWS rows, CSV or JSON Lines.
 * @return as cli_stream_csv_block(). */
int cli_rows_read_block(const cli_rows *R, cli_stream *in, cli_block *b, fisc_error *err);
void cli_rows_free(cli_rows *R);

/* One record of the block, as facts. */
typedef struct cli_row {
    long row;                /* its row number */
    const char *key;         /* its key, or NULL (then the row number is the key) */
    const fisc_facts *facts; /* its facts when why is empty */
    char why[FISC_ERROR_TEXT_SIZE + 160]; /* why the row is bad, or "" */
    fisc_facts *jfacts;      /* owned: JSON Lines facts */
    char *keybuf;            /* owned: a key from JSON facts */
} cli_row;

/*
 * Read record @p r of R->blk into @p row, filling @p scratch (cleared first) for CSV. A row that
 * is bad (a malformed record, a value the facts refuse) has row->why set; it is not an error.
 * @return FISC_OK, or a fatal error (out of memory) in @p fatal. Release with cli_row_done().
 */
int cli_rows_read(const cli_rows *R, size_t r, fisc_facts *scratch, cli_row *row, fisc_error *fatal);
void cli_row_done(cli_row *row);

/* ---------------------------------------------------------------------------------------- */
/* Threads */

/* Evaluate records [from, to) of the current block with worker state @p arg. */
typedef void (*cli_slice_fn)(void *arg, size_t from, size_t to);

struct cli_pool;
typedef struct cli_pool_slot {
    struct cli_pool *pool;
    void *arg;
    size_t from, to;
    pthread_t tid;
    int started;
} cli_pool_slot;

typedef struct cli_pool {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned long gen;
    size_t pending;
    int quit, ready;
    size_t n;
    size_t first;            /* the first slot with a thread: 1 when slot 0 is the caller, else 0 */
    size_t active;           /* the slots given records by the last cli_pool_begin() */
    cli_pool_slot *slots;
    cli_slice_fn fn;
} cli_pool;

/*
 * Start the threads of @p n slots running @p fn, slot t on the t-th of the @p n workers at
 * @p workers, each @p size bytes. With @p caller_works, slot 0 is the calling thread (it
 * evaluates in cli_pool_wait()) and n - 1 threads start; else n threads start, and the caller is
 * free between cli_pool_begin() and cli_pool_wait() (to read the next block).
 * @return FISC_OK; FISC_ENOMEM (also a thread that cannot start). cli_pool_stop() in every case.
 */
int cli_pool_start(cli_pool *P, size_t n, int caller_works, cli_slice_fn fn, void *workers,
                   size_t size, fisc_error *err);
/* Split @p nrecs records between the first @p n slots (n <= P->n) in order, and start them. */
void cli_pool_begin(cli_pool *P, size_t n, size_t nrecs);
/* Run slot 0 when it is the caller's, and wait for every slot of the last cli_pool_begin(). */
void cli_pool_wait(cli_pool *P);
/* cli_pool_begin(), then cli_pool_wait(). */
void cli_pool_run(cli_pool *P, size_t n, size_t nrecs);
/* Stop and join the threads. Safe on a pool that failed to start or was zeroed. */
void cli_pool_stop(cli_pool *P);

#endif
