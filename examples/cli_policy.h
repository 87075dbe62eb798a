/*
 * The policy options every policy-based command of the fisc tool shares (--policy FILE...,
 * --overlay FILE, --lang), and writing a finished output: defined in cmd_policy.c, used by
 * `fisc estimate`, `fisc params`, `fisc policy check` and `fisc agreement`. Not part of the
 * library API.
 */
#ifndef FISC_CLI_POLICY_H
#define FISC_CLI_POLICY_H

#include <stddef.h>

#include <fisc/fisc.h>

#include "cli_common.h"

/* The paths given on the command line (borrowed from argv), for the loader and for messages. */
typedef struct policy_args {
    const char **paths;   /* --policy FILE, in order */
    size_t npaths;
    const char *overlay;  /* --overlay FILE, or NULL */
} policy_args;

/* Room for every --policy of a command line of @p argc arguments. @return 0, or -1 when out of memory. */
int policy_args_init(policy_args *pa, int argc);
void policy_args_free(policy_args *pa);

/* The layers given, or the bundled policy (FISC_POLICY_DIR, the build tree, the data directory). */
int policy_load(fisc_policy **out, const policy_args *pa, fisc_error *err);

/*
 * The full name of the file an error is about, when fisc_error::source arrived cut: one of
 * @p paths (or @p extra), or NULL to keep the library's text.
 */
const char *full_source(const char *source, const char *const *paths, size_t n, const char *extra);

/* Report a policy that did not load: FILE:LINE:COLUMN: message; exit 4 (70 when out of memory). */
int report_policy_error(const cli_ctx *ctx, const fisc_error *err, const policy_args *pa);

/* "zh" or "en" into *out. @return 0, or -1 for any other language. */
int parse_lang(const char *s, const char **out);
/* "YYYYQn" (q or Q), year 1990..2100, n 1..4, into *year and *quarter. @return 0, or -1. */
int cli_parse_quarter(const char *s, int *year, int *quarter);
/* Facts from a JSON file, or from standard input ("-") read whole first (16 MiB at most). */
int cli_load_facts(fisc_facts **out, const char *path, fisc_error *err);
/* The --year and --quarter options of estimate, report, batch and whatif: a bad value fails a. */
void cli_option_year(cli_args *a, const char *arg, int *year);
void cli_option_quarter(cli_args *a, const char *arg, int *year, int *quarter);
/* After the options of report, batch and whatif: one of --year and --quarter, and exactly one file
 * operand called @p name ("INPUT", "FACTS") left at optind. */
void cli_args_period_and_file(cli_args *a, int by_year, int by_quarter, const char *name);

/* Write a library-made document (ending it with a newline) or a finished buffer to stdout. */
int put_document(const cli_ctx *ctx, const char *s);
int put_buf(const cli_ctx *ctx, cli_buf *b);

#endif
