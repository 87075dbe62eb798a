/*
 * Shared helpers of the fisc command-line tool: the one error helper (STYLE.md §9), exit
 * statuses, a growable output buffer with JSON string escaping, and argument helpers.
 * Not part of the library API.
 */
#ifndef FISC_CLI_COMMON_H
#define FISC_CLI_COMMON_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <getopt.h>

#include <fisc/fisc.h>

#define CLI_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
# define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
# define CLI_PRINTF(f, a)
#endif

/* Exit statuses (conventions.md §13); `fisc --help` documents them. */
enum {
    CLI_EXIT_OK = 0,        /* computed */
    CLI_EXIT_DATA = 1,      /* invalid input data (including an unreadable input file) */
    CLI_EXIT_USAGE = 2,     /* usage error */
    CLI_EXIT_BATCH = 3,     /* batch finished with some rows bad */
    CLI_EXIT_CONFIG = 4,    /* policy or configuration error (reserved) */
    CLI_EXIT_INTERNAL = 70  /* internal error: out of memory, output not writable, library fault */
};

/*
 * Codes of the tool's own failures, kept outside the library's range (fisc_status values are
 * small negatives) so that a fisc_error can carry them too.
 */
#define CLI_EUSAGE (-1000)  /* the command line is wrong: "FISC_CLI_USAGE", exit 2 */
#define CLI_EIO (-1001)     /* an input file could not be read: "FISC_CLI_IO", exit 1 */
#define CLI_EOUTPUT (-1002) /* the output could not be written: "FISC_CLI_OUTPUT", exit 70 */
#define CLI_EINTERNAL (-1003) /* a result broke an invariant: "FISC_CLI_INTERNAL", exit 70 */

/* How errors are reported: the command name for stderr, and --json (envelope on stdout). */
typedef struct cli_ctx {
    const char *cmd;  /* e.g. "fisc apportion" */
    int json;         /* non-zero: errors go to stdout as a JSON envelope */
} cli_ctx;

/* The stable name of a fisc or CLI code ("FISC_EINVAL", "FISC_CLI_USAGE"). */
const char *cli_err_name(int code);
/* A short lower-case phrase for a fisc or CLI code. */
const char *cli_strerror(int code);
/* The exit status for a failure with @p code. */
int cli_exit_status(int code);

/*
 * Fill @p err (reset first) with a code, source ("" for none), 1-based line and column (or -1)
 * and a message. Text and source are cut on a UTF-8 boundary when too long.
 */
void cli_error_set(fisc_error *err, int code, const char *source, int line, int column,
                   const char *fmt, ...) CLI_PRINTF(6, 7);

/* Copy at most size-1 bytes of @p src into @p dst, cut on a UTF-8 boundary, NUL-terminated. */
void cli_strlcpy_utf8(char *dst, size_t size, const char *src);

/*
 * The one error helper. Prints `cmd: [source[:line[:column]]: ]strerror: text` on stderr, or in
 * JSON mode the envelope {"error":{"code","message","field","line","column"}} on stdout.
 * @return the exit status for err->code.
 */
int cli_report(const cli_ctx *ctx, const fisc_error *err);

/*
 * As cli_report(), naming @p source instead of err->source when it is not NULL: the full path
 * of a file whose name the library had to cut to fit fisc_error::source.
 */
int cli_report_source(const cli_ctx *ctx, const fisc_error *err, const char *source);

/*
 * Report several errors found in one input (e.g. bad CSV rows). @p total may exceed @p n when
 * only the first @p n were kept. Text mode prints each, then @p summary; JSON mode prints one
 * envelope whose top level is the first error with `message` = @p summary and an "errors" array.
 * @return the exit status for errs[0].code.
 */
int cli_report_many(const cli_ctx *ctx, const fisc_error *errs, size_t n, size_t total,
                    const char *summary);

/* Report a usage error (exit 2): the message, then "Try 'CMD --help'." on stderr (or the envelope). */
int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...) CLI_PRINTF(2, 3);

/* A growable byte buffer. Errors are sticky: after a failed allocation every call is a no-op. */
typedef struct cli_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;  /* non-zero once an allocation failed */
} cli_buf;

void cli_buf_init(cli_buf *b);
void cli_buf_free(cli_buf *b);
/* Append, growing the buffer: what cli_buf_put() does when the bytes do not fit. */
void cli_buf_append(cli_buf *b, const char *s, size_t len);

/* Append @p len bytes. Inline: a batch writes several pieces per row, nearly always with room. */
static inline void cli_buf_put(cli_buf *b, const char *s, size_t len)
{
    if (b->cap - b->len > len && !b->failed) {
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    cli_buf_append(b, s, len);
}

static inline void cli_buf_puts(cli_buf *b, const char *s)
{
    cli_buf_put(b, s, strlen(s));
}

/* Grow the buffer for @p n more bytes: what cli_buf_room() does when they do not fit. */
char *cli_buf_grow(cli_buf *b, size_t n);

/*
 * Where to write up to @p n bytes at the end of the buffer (it has room for them and a NUL), or
 * NULL when out of memory; cli_buf_commit() then takes what was written. For a writer of many
 * small pieces, which need not check the room of each.
 */
static inline char *cli_buf_room(cli_buf *b, size_t n)
{
    if (b->cap - b->len > n && !b->failed)
        return b->data + b->len;
    return cli_buf_grow(b, n);
}

/* Take the bytes written at cli_buf_room() up to @p end into the buffer. */
static inline void cli_buf_commit(cli_buf *b, char *end)
{
    b->len = (size_t)(end - b->data);
    *end = '\0';
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Append @p s as a JSON string (quoted, escaped; invalid UTF-8 becomes U+FFFD); NULL gives null. */
void cli_buf_json_string(cli_buf *b, const char *s);
/* Write the buffer to @p f and flush. @return 0, or -1 on a write error. */
int cli_buf_write(const cli_buf *b, FILE *f);

/*
 * The length of the longest strictly valid UTF-8 prefix of @p s (no overlongs, surrogates or
 * values above U+10FFFF): @p len when all of it is valid, else the offset of the first bad byte.
 */
size_t cli_utf8_valid_prefix(const char *s, size_t len);

/* The length of the longest ASCII prefix of @p s (bytes below 0x80), read many bytes at a time. */
size_t cli_ascii_prefix(const char *s, size_t len);

/*
 * Reorder arguments for getopt_long so that operands that look like negative numbers ("-1.5")
 * are not taken for options: *out receives [argv[0], options..., "--", operands...]. Option
 * arguments (e.g. `--places -1`) stay with their options. An option that needs a value but ends
 * the command line is left out and named in *missing (else NULL). @p optstring and @p longopts
 * are those later given to getopt_long. The caller frees *out with free() (the strings are
 * borrowed). @return the new argument count, or -1 when out of memory.
 */
int cli_args_reorder(int argc, char **argv, const char *optstring, const struct option *longopts,
                     char ***out, const char **missing);

/*
 * Option parsing for one command: getopt_long over reordered arguments (see
 * cli_args_reorder), errors collected rather than printed. Usage:
 *   cli_args_begin(); while ((c = cli_args_next()) != -1) ...; operands in av[optind..ac);
 *   cli_args_end().
 */
typedef struct cli_args {
    char **av;
    int ac;
    const char *optstring;
    const struct option *longopts;
    char error[160];  /* the first usage error, or "" */
} cli_args;

/* Start parsing. @return 0, or -1 when out of memory. */
int cli_args_begin(cli_args *a, int argc, char **argv, const char *optstring,
                   const struct option *longopts);
/* The next option (as getopt_long), never '?' or ':': those become a->error. */
int cli_args_next(cli_args *a);
/* Record a usage error; only the first one is kept. */
void cli_args_fail(cli_args *a, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Release what cli_args_begin() allocated. */
void cli_args_end(cli_args *a);

/*
 * Print a finished JSON document in @p b, with a final newline, to @p f (or, when building it
 * ran out of memory, nothing but an error). @return the exit status.
 */
int cli_emit_json(const cli_ctx *ctx, cli_buf *b, FILE *f);

/*
 * Read a whole file, or standard input when @p path is "-", into a new malloc() block *out of
 * *out_len bytes plus a terminating NUL. @p source names the input in errors; @p max is the
 * largest size accepted.
 * @return FISC_OK; CLI_EIO (cannot open or read); FISC_ERANGE (larger than max); FISC_ENOMEM.
 */
int cli_read_input(const char *path, const char *source, size_t max, char **out, size_t *out_len,
                   fisc_error *err);

/*
 * Parse a small decimal integer option value ("-2", "36") strictly into @p out.
 * @return 0, or -1 if it is not an integer in [lo, hi].
 */
int cli_parse_int(const char *s, int lo, int hi, int *out);

#endif
