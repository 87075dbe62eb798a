/* The serializers' growing text buffer (textbuf.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "textbuf.h"

void fiscp_buf_put_n(fiscp_buf *b, const char *s, size_t k)
{
    if (b->failed)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t want = b->cap ? b->cap : 1024;
        char *q;

        while (want < b->n + k + 1)
            want *= 2;
        if (!(q = fiscp_realloc_array(b->p, want, 1))) {
            b->failed = 1;
            return;
        }
        b->p = q;
        b->cap = want;
    }
    memcpy(b->p + b->n, s, k);
    b->n += k;
    b->p[b->n] = '\0';
}

void fiscp_buf_put(fiscp_buf *b, const char *s)
{
    fiscp_buf_put_n(b, s, strlen(s));
}

void fiscp_buf_printf(fiscp_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int k;

    va_start(ap, fmt);
    k = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    fiscp_buf_put_n(b, tmp, k < 0 ? 0 : (size_t)k < sizeof(tmp) ? (size_t)k : sizeof(tmp) - 1);
}

void fiscp_buf_json_string(fiscp_buf *b, const char *s)
{
    fiscp_buf_put(b, "\"");
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\') {
            char esc[3] = { '\\', (char)c, 0 };

            fiscp_buf_put(b, esc);
        } else if (c < 0x20) {
            fiscp_buf_printf(b, "\\u%04x", c);
        } else {
            fiscp_buf_put_n(b, s, 1);
        }
    }
    fiscp_buf_put(b, "\"");
}

void fiscp_json_nl(fiscp_buf *b)
{
    if (b->pretty) {
        fiscp_buf_put(b, "\n");
        for (int k = 0; k < b->depth; k++)
            fiscp_buf_put(b, "  ");
    }
}

void fiscp_json_key(fiscp_buf *b, const char *k, int first)
{
    if (!first)
        fiscp_buf_put(b, ",");
    fiscp_json_nl(b);
    fiscp_buf_json_string(b, k);
    fiscp_buf_put(b, b->pretty ? ": " : ":");
}

void fiscp_json_open(fiscp_buf *b, const char *c)
{
    fiscp_buf_put(b, c);
    b->depth++;
}

void fiscp_json_close(fiscp_buf *b, const char *c)
{
    b->depth--;
    fiscp_json_nl(b);
    fiscp_buf_put(b, c);
}

void fiscp_buf_money(fiscp_buf *b, const fisc_decimal *v, int grouping, int quote)
{
    char *s = b->failed ? NULL : fiscp_decimal_money(v, grouping);

    if (!s) {
        b->failed = 1;
        return;
    }
    if (quote)
        fiscp_buf_json_string(b, s);
    else
        fiscp_buf_put(b, s);
    fisc_string_free(s);
}
