/*
 * HTML and SVG helpers of the fisc command-line tool (`fisc report`): escaping of text that
 * comes from user files (fact values, citations, policy titles) and the integer scaling of the
 * bars of a chart. No floating point: a bar's length is computed from the amounts in 分 with
 * exact integer arithmetic. Not part of the library API.
 */
#ifndef FISC_CLI_HTML_H
#define FISC_CLI_HTML_H

#include <fisc/fisc.h>

#include "cli_common.h"

/*
 * Append @p s to @p b escaped for HTML text and attribute values: & < > " ' become entities;
 * bytes that are not valid UTF-8 and control characters other than tab, line feed and carriage
 * return (which HTML does not allow) become U+FFFD. NULL appends nothing.
 */
void cli_html_text(cli_buf *b, const char *s);

/* Append <TAG[ class="CLS"]>escaped text</TAG>; @p cls may be NULL. */
void cli_html_elem(cli_buf *b, const char *tag, const char *cls, const char *text);

/*
 * 1 if @p url may be written as a link: it starts with "http://" or "https://" (ASCII letters in
 * either case) and holds no space or control character. Anything else (javascript:, data:, a
 * relative path) is shown as text only.
 */
int cli_html_linkable(const char *url);

/*
 * The amount @p yuan in 分, as an exact integer, into @p fen: yuan × 100, rounded toward zero
 * when the amount has more than two decimals (a chart needs no finer unit).
 * @return FISC_OK or the library's error.
 */
int cli_fen(fisc_decimal *fen, const fisc_decimal *yuan, fisc_error *err);

/*
 * The length of a bar for @p fen against the longest, @p max_fen (both integers in 分):
 * floor(fen × full / max_fen) in whole units, computed exactly (no overflow whatever the
 * amounts); 0 when fen <= 0 or max_fen <= 0.
 * @return FISC_OK or the library's error; *out in 0..full.
 */
int cli_bar_length(long *out, const fisc_decimal *fen, const fisc_decimal *max_fen, long full,
                   fisc_error *err);

/* Append @p v as money ("1,234,567.80", or the exact value when it has more decimals: the text
 * report's cli_report_money()), escaped. Out of memory sets b->failed. */
void cli_html_money(cli_buf *b, const fisc_decimal *v);

/* Append the 人民币大写 of @p v (fisc_upper_format() with FISC_UPPER_RMB_PREFIX, as `fisc upper
 * AMOUNT --rmb`), or "—" when it has more than two decimals. */
void cli_html_upper(cli_buf *b, const fisc_decimal *v);

/* The policy hash (64 hexadecimal digits) shown on the pages. Borrowed from @p p. */
const char *cli_policy_hash(const fisc_policy *p);

/*
 * The table of a policy's layers: #, id (with @p overlay_mark after an overlay's id), title (English
 * when @p en and the layer has one), document, file, SHA-256. @p head: the five column headings.
 */
void cli_html_layers(cli_buf *b, const fisc_policy *p, int en, const char *const head[5], const char *overlay_mark);

#endif
