/* Status names and messages from one table (libuv UV_ERRNO_MAP pattern), and error recording. */
#include <stdio.h>
#include <string.h>

#include "fisc_private.h"

#define FISCP_STATUS_MAP(XX)                                  \
    XX(OK, "success")                                         \
    XX(EINVAL, "invalid argument")                            \
    XX(ENOMEM, "out of memory")                               \
    XX(ENOTFOUND, "not found")                                \
    XX(EPARSE, "text could not be parsed")                    \
    XX(ERANGE, "value out of range")                          \
    XX(EMISUSE, "library misuse")                             \
    XX(EDIVZERO, "division by zero")

const char *fisc_strerror(int code)
{
    switch (code) {
#define XX(name, msg) case FISC_##name: return msg;
        FISCP_STATUS_MAP(XX)
#undef XX
    }
    return "unknown error";
}

const char *fisc_err_name(int code)
{
    switch (code) {
#define XX(name, msg) case FISC_##name: return "FISC_" #name;
        FISCP_STATUS_MAP(XX)
#undef XX
    }
    return "FISC_EUNKNOWN";
}

size_t fisc_error_size(void)
{
    return sizeof(fisc_error);
}

size_t fisc_error_text_size(void)
{
    return FISC_ERROR_TEXT_SIZE;
}

size_t fisc_error_source_size(void)
{
    return FISC_ERROR_SOURCE_SIZE;
}

void fisc_error_clear(fisc_error *err)
{
    fiscp_error_reset(err);
}

static fisc_status vset(fisc_error *err, fisc_status code, int column, const char *fmt, va_list ap)
    FISCP_PRINTF(4, 0);

static fisc_status vset(fisc_error *err, fisc_status code, int column, const char *fmt, va_list ap)
{
    if (!err || err->code != FISC_OK)
        return code;
    err->code = code;
    if (column > 0) {
        err->line = 1;
        err->column = column;
    }
    vsnprintf(err->text, sizeof(err->text), fmt, ap);
    return code;
}

fisc_status fiscp_error_set(fisc_error *err, fisc_status code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vset(err, code, -1, fmt, ap);
    va_end(ap);
    return code;
}

fisc_status fiscp_error_set_at(fisc_error *err, fisc_status code, int column, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vset(err, code, column, fmt, ap);
    va_end(ap);
    return code;
}

fisc_status fiscp_error_set_pos(fisc_error *err, fisc_status code, const char *source, int line, int column,
                                const char *fmt, ...)
{
    va_list ap;
    size_t n;

    if (!err || err->code != FISC_OK)
        return code;
    va_start(ap, fmt);
    vset(err, code, -1, fmt, ap);
    va_end(ap);
    err->line = line;
    err->column = column;
    if (source) {
        n = strlen(source);
        if (n >= sizeof(err->source))
            source += n - (sizeof(err->source) - 1);
        snprintf(err->source, sizeof(err->source), "%s", source);
    }
    return code;
}

fisc_status fiscp_error_nomem(fisc_error *err)
{
    static const char text[] = "out of memory";

    if (err && err->code == FISC_OK) {
        err->code = FISC_ENOMEM;
        memcpy(err->text, text, sizeof(text));
    }
    return FISC_ENOMEM;
}

void fiscp_quote(char *buf, size_t size, const char *text, size_t len)
{
    size_t n = 0, i = 0;

    if (size == 0)
        return;
    while (i < len && n + 4 + 3 < size) {
        unsigned char c = (unsigned char)text[i];
        size_t clen = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;

        if (i + clen > len)
            clen = 1;
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && clen == 1)) {
            buf[n++] = '?';
            i++;
            continue;
        }
        memcpy(buf + n, text + i, clen);
        n += clen;
        i += clen;
    }
    if (i < len) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
}
