/*
 * A growing text buffer for the serializers (results, agreements, checks): appends never fail
 * loudly; the first allocation failure sets `failed` and later appends do nothing, so a writer
 * checks once at the end. `pretty` and `depth` are the JSON writers' indentation state.
 */
#ifndef FISC_LIB_TEXTBUF_H
#define FISC_LIB_TEXTBUF_H

#include <stddef.h>

#include "fisc_private.h"

typedef struct fiscp_buf {
    char *p;            /* NUL-terminated once anything was appended; fiscp_malloc'd */
    size_t n, cap;
    int failed;
    int pretty, depth;
} fiscp_buf;

void fiscp_buf_put_n(fiscp_buf *b, const char *s, size_t k);
void fiscp_buf_put(fiscp_buf *b, const char *s);
/* printf; a text longer than 255 bytes is cut (use fiscp_buf_put for long texts). */
void fiscp_buf_printf(fiscp_buf *b, const char *fmt, ...) FISCP_PRINTF(2, 3);
/* s as a JSON string literal (quotes, backslashes and control characters escaped); NULL as "". */
void fiscp_buf_json_string(fiscp_buf *b, const char *s);

/* Money as fiscp_decimal_money() writes it; with quote, as a JSON string. */
void fiscp_buf_money(fiscp_buf *b, const fisc_decimal *v, int grouping, int quote);

/* JSON structure: a newline and indentation (pretty only); `,` unless first, then "k": ; { or [ in and out. */
void fiscp_json_nl(fiscp_buf *b);
void fiscp_json_key(fiscp_buf *b, const char *k, int first);
void fiscp_json_open(fiscp_buf *b, const char *c);
void fiscp_json_close(fiscp_buf *b, const char *c);

#endif
