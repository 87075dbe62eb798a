/*
 * Text tables for a terminal, for the fisc command-line tool: the display width of UTF-8 text
 * (East Asian Wide and Fullwidth characters take two columns), and a small table that pads its
 * cells to that width. No locale calls (wcwidth() depends on the locale and on the C library's
 * tables): a short list of Unicode ranges decides. Not part of the library API.
 */
#ifndef FISC_CLI_TABLE_H
#define FISC_CLI_TABLE_H

#include <stddef.h>

#include "cli_common.h"

/*
 * The number of terminal columns @p s takes: 2 for an East Asian Wide or Fullwidth character
 * (CJK ideographs, kana, hangul, fullwidth forms such as （ and ，, CJK punctuation such as 〔 and
 * 】), 0 for a combining mark, a zero-width or control character, 1 for anything else, including
 * East Asian Ambiguous characters (≤, ×, —, ✓), which terminals outside a CJK locale show
 * narrow. A byte that is not valid UTF-8 counts as one column.
 */
size_t cli_display_width(const char *s);

/* Append @p s to @p b, padded with spaces to @p width columns on the right (or, with @p right,
 * on the left). Text wider than @p width is appended whole. */
void cli_buf_pad(cli_buf *b, const char *s, size_t width, int right);

/*
 * A table of text cells, rendered with each column as wide as its widest cell, columns two
 * spaces apart, no trailing spaces. Rows are added one at a time; a rule is a row of dashes
 * under every column. Allocation failures are sticky (failed), like cli_buf.
 */
typedef struct cli_table {
    size_t ncols;
    int *right;                     /* per column, non-zero: right-aligned (amounts) */
    char **cells;                   /* nrows * ncols, each malloc()ed or NULL (empty) */
    unsigned char *is_rule;         /* per row */
    size_t nrows, cap;
    int failed;
} cli_table;

/* An empty table of @p ncols columns (at least 1), all left-aligned. */
void cli_table_init(cli_table *t, size_t ncols);
void cli_table_free(cli_table *t);
/* Start a new row of empty cells. */
void cli_table_row(cli_table *t);
/* Add a rule (a row of dashes). */
void cli_table_rule(cli_table *t);
/* Set cell @p col of the current row to a copy of @p s (NULL: empty). */
void cli_table_set(cli_table *t, size_t col, const char *s);
/* As cli_table_set(), with printf formatting. */
void cli_table_setf(cli_table *t, size_t col, const char *fmt, ...) CLI_PRINTF(3, 4);
/* Append the table to @p b, each line starting with @p indent spaces. */
void cli_table_render(const cli_table *t, cli_buf *b, size_t indent);

#endif
