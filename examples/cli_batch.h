/*
 * What `fisc batch` and `fisc whatif` share: the rows of a streamed input turned into facts (a
 * CSV header mapped to facts by name or label, the key column; JSON Lines facts objects), a
 * relay of threads that evaluate blocks and write them in order, and the amount helpers
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

/* Most rows of a block: read and evaluated together by one thread, and written together. A CSV
 * block also ends with the text read so far (a chunk of 256 KiB), so that rows of 128 bytes or
 * more make a block of about one chunk each. Small enough that the few blocks in flight (two a
 * thread) fit in memory touched once (see CLI_STREAM_CHUNK in cli_stream.c), large enough that
 * a block's locks and write are nothing beside its rows. A test build may make it tiny, to put
 * every row at a block's edge. */
#ifndef CLI_BATCH_BLOCK_ROWS
#define CLI_BATCH_BLOCK_ROWS 2048
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

/* 1 when an amount after @p main (one of it->amounts) counts in main's category too. */
static inline int cli_main_has_parts(const fisc_item *it, const fisc_amount *main)
{
    const fisc_amount *x, *end = it->amounts + it->amount_count;

    if (!cli_has_category(main))
        return 0;
    for (x = main + 1; x < end; x++)
        if (x->category == main->category)
            return 1;
    return 0;
}

/*
 * The value of the item's column (fisc batch, fisc whatif): its main amount @p main's, or, when
 * later amounts of the item count in the same category (gx.zone_approval_subsidy's guangxi and
 * yulin parts, both subsidy), the sum of them all, written to @p sum (initialised). @return the
 * value, or NULL with @p err set (out of memory).
 */
const fisc_decimal *cli_main_value(fisc_decimal *sum, const fisc_item *it, const fisc_amount *main,
                                   fisc_error *err);
/* Append the name of the item's column value: main's, or the names of the parts summed joined
 * with '+' ("guangxi+yulin"), as a JSON string. */
void cli_main_name_json(cli_buf *b, const fisc_item *it, const fisc_amount *main);

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
/* Threads: the relay */

/*
 * How the workers of a command share the input and the output. Each worker reads a block (one
 * worker at a time), evaluates it and hands it over; the blocks are written in the order they
 * were read, each by the worker that hands over the first block not yet written, together with
 * the blocks after it that are ready: the output is in the input's order for any number of
 * workers. A worker does not wait for its turn to write: it parks its block in a second set of
 * buffers and goes on with the next, and waits only if the block it parked before is still not
 * written. No thread is idle while a block remains (a block split between threads would leave
 * the one that finishes first waiting for the other).
 */
struct cli_relay;

/* A block a worker has evaluated and handed over, until it is written. Under the relay's write_mu. */
typedef struct cli_relay_parked {
    cli_block blk;
    cli_buf out, msgs;
    int pending;             /* handed over, not written yet */
    int failed;              /* the worker's fatal error happened in this block */
} cli_relay_parked;

/* A worker's part of the relay, inside the command's own worker (arg). */
typedef struct cli_relay_unit {
    struct cli_relay *relay;
    void *arg;               /* the command's worker */
    cli_block blk;           /* the block this worker reads, evaluates and hands over: its address stays */
    cli_buf out;             /* the block's output */
    cli_buf msgs;            /* the block's bad-row messages, for standard error */
    fisc_error fatal;        /* an error that stops the run (out of memory, an internal error) */
    cli_relay_parked parked; /* the block before, until it is written */
} cli_relay_unit;

/* Evaluate u->blk into u->out and u->msgs (emptied before); a fatal error in u->fatal. */
typedef void (*cli_relay_eval_fn)(cli_relay_unit *u);
/* Write @p len bytes of output to @p sink. @return 0, or -1. */
typedef int (*cli_relay_write_fn)(const char *s, size_t len, void *sink);

/* Blocks read and not written yet are at most two a worker (one parked, one being evaluated or
 * waiting to be parked), so their numbers are fewer than this apart and never share a place. */
#define CLI_RELAY_RING (2 * CLI_BATCH_MAX_JOBS)

typedef struct cli_relay {
    /* set by cli_relay_init(), read by the workers */
    const cli_rows *R;        /* the input's format and the command's name */
    cli_relay_eval_fn eval;
    cli_relay_write_fn write;
    void *sink;
    const char *sink_name, *write_failed; /* for the error: the file, "writing the result failed" */
    int tty;                  /* a progress line on standard error */
    int64_t t0;
    /* the input */
    pthread_mutex_t read_mu;
    cli_stream *in;
    size_t next;              /* the number of the next block read */
    int reading;              /* 0 once the input ended or failed, or the run stopped */
    int in_rc;                /* the input's error, or FISC_OK: read once cli_relay_run() returns */
    fisc_error in_err;
    /* the output, and the rest */
    pthread_mutex_t write_mu;
    pthread_cond_t turn;
    int go;                   /* 1: the workers begin; -1: they do not */
    size_t written;           /* blocks written */
    cli_relay_unit *done[CLI_RELAY_RING]; /* done[seq % CLI_RELAY_RING]: the unit that parked block seq */
    size_t rows;              /* rows written, for the progress line */
    int stopped;              /* a fatal error, in fatal: nothing more is read or written */
    fisc_error fatal;
    /* the threads */
    pthread_t *tids;
    size_t nthreads;          /* started, not joined */
    cli_relay_unit *first;    /* unit t at (char *)first + t * stride */
    size_t stride;
} cli_relay;

/* Zeroed memory for @p n objects of @p size bytes, on cache lines of its own (a worker array):
 * what one thread writes row after row shares no line with another's. @return it (free() releases
 * it), or NULL. */
void *cli_lines_calloc(size_t n, size_t size);
/* Prepare @p u, inside the command's worker @p arg; cli_relay_unit_free() releases it, and is
 * also safe on a unit that is all zeroes (a worker array that failed before its init). */
void cli_relay_unit_init(cli_relay_unit *u, void *arg);
void cli_relay_unit_free(cli_relay_unit *u);
/*
 * Prepare @p L to read the rows of @p in (as @p R says), evaluate them with @p eval and write
 * them with @p write_fn to @p sink (an error names @p sink_name and says @p write_failed).
 * cli_relay_end() in every case.
 */
void cli_relay_init(cli_relay *L, const cli_rows *R, cli_stream *in, cli_relay_eval_fn eval,
                    cli_relay_write_fn write_fn, void *sink, const char *sink_name,
                    const char *write_failed, int tty, int64_t t0);
/*
 * Start the threads of units 1 to @p n - 1 (n <= CLI_BATCH_MAX_JOBS), unit t at
 * (char *)@p first + t * @p stride; they wait for cli_relay_run(). Unit 0 is the calling thread.
 * @return FISC_OK; FISC_ENOMEM (also a thread that cannot start).
 */
int cli_relay_start(cli_relay *L, cli_relay_unit *first, size_t stride, size_t n, fisc_error *err);
/* Run the workers until the input ends or a fatal error stops them, and join them. Then
 * L->stopped and L->fatal say whether one did; L->in_rc and L->in_err, whether the input failed. */
void cli_relay_run(cli_relay *L);
/* Let threads that did not run end and join them, and release @p L. */
void cli_relay_end(cli_relay *L);

#endif
