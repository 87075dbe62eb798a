/* Shared helpers of the fisc command-line tool: see cli_common.h. */
#include "cli_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
# include <emmintrin.h>
#endif

const char *cli_err_name(int code)
{
    switch (code) {
    case CLI_EUSAGE:
        return "FISC_CLI_USAGE";
    case CLI_EIO:
        return "FISC_CLI_IO";
    case CLI_EOUTPUT:
        return "FISC_CLI_OUTPUT";
    case CLI_EINTERNAL:
        return "FISC_CLI_INTERNAL";
    default:
        return fisc_err_name(code);
    }
}

const char *cli_strerror(int code)
{
    switch (code) {
    case CLI_EUSAGE:
        return "usage error";
    case CLI_EIO:
        return "input could not be read";
    case CLI_EOUTPUT:
        return "output could not be written";
    case CLI_EINTERNAL:
        return "internal error";
    default:
        return fisc_strerror(code);
    }
}

int cli_exit_status(int code)
{
    switch (code) {
    case FISC_OK:
        return CLI_EXIT_OK;
    case CLI_EUSAGE:
        return CLI_EXIT_USAGE;
    case FISC_ENOMEM:
    case FISC_EMISUSE:
    case CLI_EOUTPUT:
    case CLI_EINTERNAL:
        return CLI_EXIT_INTERNAL;
    default:
        /* FISC_EINVAL, FISC_EPARSE, FISC_ERANGE, FISC_EDIVZERO, FISC_ENOTFOUND, CLI_EIO. */
        return CLI_EXIT_DATA;
    }
}

/* Length of the longest prefix of s[0..len) that ends on a UTF-8 character boundary. */
static size_t utf8_cut(const char *s, size_t len)
{
    size_t i = len;

    /* Step back over continuation bytes, then check the lead byte's sequence fits. */
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0u) == 0x80u)
        i--;
    if (i > 0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead < 0x80u ? 1 : lead >= 0xF0u ? 4 : lead >= 0xE0u ? 3 : lead >= 0xC0u ? 2 : 1;
        if (len - (i - 1) >= need)
            return len;
        return i - 1;
    }
    return len;
}

void cli_strlcpy_utf8(char *dst, size_t size, const char *src)
{
    size_t n;

    if (size == 0)
        return;
    n = strlen(src);
    if (n >= size)
        n = utf8_cut(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void cli_error_set(fisc_error *err, int code, const char *source, int line, int column,
                   const char *fmt, ...)
{
    char text[FISC_ERROR_TEXT_SIZE * 2];
    va_list ap;

    if (!err)
        return;
    fisc_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    cli_strlcpy_utf8(err->source, sizeof(err->source), source ? source : "");
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    cli_strlcpy_utf8(err->text, sizeof(err->text), text);
}

/* The envelope's inner members, without braces: "code":...,"message":...,... */
static void json_error_members(cli_buf *b, const fisc_error *err, const char *message,
                               const char *source)
{
    if (!source)
        source = err->source;
    cli_buf_puts(b, "\"code\":");
    cli_buf_json_string(b, cli_err_name(err->code));
    cli_buf_puts(b, ",\"message\":");
    cli_buf_json_string(b, message ? message : err->text[0] ? err->text : cli_strerror(err->code));
    cli_buf_puts(b, ",\"field\":");
    cli_buf_json_string(b, source[0] ? source : NULL);
    if (err->line > 0)
        cli_buf_printf(b, ",\"line\":%d", err->line);
    else
        cli_buf_puts(b, ",\"line\":null");
    if (err->column > 0)
        cli_buf_printf(b, ",\"column\":%d", err->column);
    else
        cli_buf_puts(b, ",\"column\":null");
}

static void print_text_error(const cli_ctx *ctx, const fisc_error *err, const char *source)
{
    if (!source)
        source = err->source;
    fprintf(stderr, "%s: ", ctx->cmd);
    if (source[0]) {
        fputs(source, stderr);
        if (err->line > 0) {
            fprintf(stderr, ":%d", err->line);
            if (err->column > 0)
                fprintf(stderr, ":%d", err->column);
        }
        fputs(": ", stderr);
    }
    fputs(cli_strerror(err->code), stderr);
    if (err->text[0])
        fprintf(stderr, ": %s", err->text);
    fputc('\n', stderr);
}

/* Write a finished error envelope to stdout; a failed buffer prints nothing (valid JSON or nothing). */
static void emit_envelope(cli_buf *b)
{
    cli_buf_put(b, "\n", 1);
    if (b->failed)
        fprintf(stderr, "fisc: out of memory while writing the JSON error\n");
    else
        (void)cli_buf_write(b, stdout);
}

int cli_report(const cli_ctx *ctx, const fisc_error *err)
{
    return cli_report_source(ctx, err, NULL);
}

int cli_report_source(const cli_ctx *ctx, const fisc_error *err, const char *source)
{
    if (ctx->json) {
        cli_buf b;

        cli_buf_init(&b);
        cli_buf_puts(&b, "{\"error\":{");
        json_error_members(&b, err, NULL, source);
        cli_buf_puts(&b, "}}");
        emit_envelope(&b);
        cli_buf_free(&b);
    } else {
        print_text_error(ctx, err, source);
    }
    return cli_exit_status(err->code);
}

int cli_report_many(const cli_ctx *ctx, const fisc_error *errs, size_t n, size_t total,
                    const char *summary)
{
    size_t i;

    if (n == 0)
        return CLI_EXIT_OK;
    if (ctx->json) {
        cli_buf b;

        cli_buf_init(&b);
        cli_buf_puts(&b, "{\"error\":{");
        json_error_members(&b, &errs[0], summary, NULL);
        cli_buf_printf(&b, ",\"count\":%zu,\"errors\":[", total);
        for (i = 0; i < n; i++) {
            cli_buf_puts(&b, i ? ",{" : "{");
            json_error_members(&b, &errs[i], NULL, NULL);
            cli_buf_puts(&b, "}");
        }
        cli_buf_puts(&b, "]}}");
        emit_envelope(&b);
        cli_buf_free(&b);
    } else {
        for (i = 0; i < n; i++)
            print_text_error(ctx, &errs[i], NULL);
        if (total > n)
            fprintf(stderr, "%s: ... and %zu more\n", ctx->cmd, total - n);
        if (summary)
            fprintf(stderr, "%s: %s\n", ctx->cmd, summary);
    }
    return cli_exit_status(errs[0].code);
}

int cli_usage_error(const cli_ctx *ctx, const char *fmt, ...)
{
    fisc_error err = FISC_ERROR_INIT;
    char text[FISC_ERROR_TEXT_SIZE];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    cli_error_set(&err, CLI_EUSAGE, "", -1, -1, "%s", text);
    (void)cli_report(ctx, &err);
    if (!ctx->json)
        fprintf(stderr, "Try '%s --help'.\n", ctx->cmd);
    return CLI_EXIT_USAGE;
}

void cli_buf_init(cli_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void cli_buf_free(cli_buf *b)
{
    free(b->data);
    cli_buf_init(b);
}

static int buf_reserve(cli_buf *b, size_t extra)
{
    size_t want, cap;
    char *p;

    if (b->failed)
        return -1;
    if (extra > SIZE_MAX - 1 - b->len) {
        b->failed = 1;
        return -1;
    }
    want = b->len + extra + 1;
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 256;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

char *cli_buf_grow(cli_buf *b, size_t n)
{
    return buf_reserve(b, n) == 0 ? b->data + b->len : NULL;
}

void cli_buf_append(cli_buf *b, const char *s, size_t len)
{
    if (buf_reserve(b, len) != 0)
        return;
    memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (buf_reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (at most len bytes), or 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n, i;
    uint32_t cp;

    if (c < 0x80u)
        return 1;
    if (c >= 0xC2u && c <= 0xDFu) {
        n = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0u && c <= 0xEFu) {
        n = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0u && c <= 0xF4u) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800u) || (n == 4 && cp < 0x10000u) || cp > 0x10FFFFu
        || (cp >= 0xD800u && cp <= 0xDFFFu))
        return 0;
    return n;
}

size_t cli_ascii_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

#if defined(__SSE2__)
    /* 64, then 16 bytes at a time where SSE2 is (every x86-64): no high bit, all ASCII. */
    for (; len - i >= 64; i += 64) {
        const __m128i *q = (const __m128i *)(const void *)(p + i);
        __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                   _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));

        if (_mm_movemask_epi8(any) != 0)
            break;
    }
    for (; len - i >= 16; i += 16)
        if (_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i))) != 0)
            break;
#endif
    /* Eight bytes at a time: a word without a high bit set is eight ASCII bytes. */
    for (; len - i >= 8; i += 8) {
        uint64_t w;

        memcpy(&w, p + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            break;
    }
    while (i < len && p[i] < 0x80u)
        i++;
    return i;
}

size_t cli_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (p[i] < 0x80u) {
            i += cli_ascii_prefix(s + i, len - i); /* ASCII runs are valid as they are */
            continue;
        }
        n = utf8_seq(p + i, len - i);
        if (n == 0)
            break;
        i += n;
    }
    return i;
}

void cli_buf_json_string(cli_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len, i = 0, run = 0;

    if (!s) {
        cli_buf_puts(b, "null");
        return;
    }
    len = strlen(s);
    cli_buf_put(b, "\"", 1);
    while (i < len) {
        unsigned char c = p[i];
        size_t n = utf8_seq(p + i, len - i);
        const char *esc = NULL;
        char u[8];

        if (n == 1 && c >= 0x20u && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        if (n > 1) {
            i += n;
            run += n;
            continue;
        }
        /* Flush the plain run before an escape. */
        cli_buf_put(b, s + i - run, run);
        run = 0;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (n == 0) {
                esc = "\\ufffd"; /* invalid UTF-8 byte */
            } else {
                snprintf(u, sizeof(u), "\\u%04x", (unsigned)c);
                esc = u;
            }
            break;
        }
        cli_buf_puts(b, esc);
        i++;
    }
    cli_buf_put(b, s + i - run, run);
    cli_buf_put(b, "\"", 1);
}

int cli_buf_write(const cli_buf *b, FILE *f)
{
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return -1;
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* 1 if short option c takes an argument according to optstring. */
static int short_takes_arg(const char *optstring, char c)
{
    const char *p;

    while (*optstring == '+' || *optstring == '-' || *optstring == ':')
        optstring++;
    if (c == ':')
        return 0;
    p = strchr(optstring, c);
    return p && p[1] == ':' && p[2] != ':';
}

/* 1 if long option text (after "--", without "=value") takes a separate argument. */
static int long_takes_arg(const struct option *longopts, const char *name, size_t len)
{
    const struct option *o, *found = NULL;
    int matches = 0;

    for (o = longopts; o->name; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (strlen(o->name) == len)
            return o->has_arg == required_argument;
        found = o;
        matches++;
    }
    return matches == 1 && found->has_arg == required_argument;
}

static int looks_negative(const char *a)
{
    return a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || a[1] == '.');
}

int cli_args_reorder(int argc, char **argv, const char *optstring, const struct option *longopts,
                     char ***out, const char **missing)
{
    static char dashdash[] = "--";
    char **opts, **ops;
    int nopts = 0, nops = 0, i, k;

    *out = NULL;
    *missing = NULL;
    opts = malloc(((size_t)argc + 2) * sizeof(*opts));
    ops = malloc(((size_t)argc + 1) * sizeof(*ops));
    if (!opts || !ops) {
        free(opts);
        free(ops);
        return -1;
    }
    opts[nopts++] = argv[0];
    for (i = 1; i < argc; i++) {
        char *a = argv[i];

        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                ops[nops++] = argv[i];
            break;
        }
        if (a[0] != '-' || a[1] == '\0' || looks_negative(a)) {
            ops[nops++] = a;
        } else if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            if (!eq && long_takes_arg(longopts, a + 2, strlen(a + 2))) {
                if (i + 1 < argc) {
                    opts[nopts++] = a;
                    opts[nopts++] = argv[++i];
                } else if (!*missing) {
                    *missing = a; /* dropped, so getopt cannot take the "--" below for its value */
                }
            } else {
                opts[nopts++] = a;
            }
        } else {
            const char *c;
            int drop = 0;
            for (c = a + 1; *c; c++) {
                if (short_takes_arg(optstring, *c)) {
                    if (c[1] == '\0' && i + 1 >= argc) {
                        drop = 1;
                        if (!*missing)
                            *missing = a;
                    }
                    break;
                }
            }
            if (!drop) {
                opts[nopts++] = a;
                if (*c && c[1] == '\0')
                    opts[nopts++] = argv[++i];
            }
        }
    }
    opts[nopts++] = dashdash;
    for (k = 0; k < nops; k++)
        opts[nopts++] = ops[k];
    opts[nopts] = NULL;
    free(ops);
    *out = opts;
    return nopts;
}

int cli_parse_int(const char *s, int lo, int hi, int *out)
{
    long v = 0;
    int neg = 0, digits = 0;

    if (*s == '-') {
        neg = 1;
        s++;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || ++digits > 6)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (digits == 0)
        return -1;
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

void cli_args_fail(cli_args *a, const char *fmt, ...)
{
    va_list ap;

    if (a->error[0])
        return;
    va_start(ap, fmt);
    vsnprintf(a->error, sizeof(a->error), fmt, ap);
    va_end(ap);
}

int cli_args_begin(cli_args *a, int argc, char **argv, const char *optstring,
                   const struct option *longopts)
{
    const char *missing;

    a->error[0] = '\0';
    a->optstring = optstring;
    a->longopts = longopts;
    a->ac = cli_args_reorder(argc, argv, optstring, longopts, &a->av, &missing);
    if (a->ac < 0)
        return -1;
    if (missing)
        cli_args_fail(a, "option '%s' needs a value", missing);
    optind = 0; /* glibc: 0 also resets getopt's internal state between parses */
    opterr = 0;
    return 0;
}

int cli_args_next(cli_args *a)
{
    for (;;) {
        int c = getopt_long(a->ac, a->av, a->optstring, a->longopts, NULL);

        if (c == '?') {
            if (optopt && optopt != '?')
                cli_args_fail(a, "unknown option '-%c'", optopt);
            else
                cli_args_fail(a, "unknown or ambiguous option '%s'", a->av[optind - 1]);
        } else if (c == ':') {
            cli_args_fail(a, "option '%s' needs a value", a->av[optind - 1]);
        } else {
            return c;
        }
    }
}

void cli_args_end(cli_args *a)
{
    free(a->av);
    a->av = NULL;
}

int cli_emit_json(const cli_ctx *ctx, cli_buf *b, FILE *f)
{
    fisc_error err = FISC_ERROR_INIT;

    cli_buf_put(b, "\n", 1);
    if (b->failed) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory building the JSON output");
        return cli_report(ctx, &err);
    }
    if (cli_buf_write(b, f) != 0) {
        cli_error_set(&err, CLI_EOUTPUT, "", -1, -1, "writing the result failed");
        return cli_report(ctx, &err);
    }
    return CLI_EXIT_OK;
}

int cli_read_input(const char *path, const char *source, size_t max, char **out, size_t *out_len,
                   fisc_error *err)
{
    FILE *f;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int is_stdin = strcmp(path, "-") == 0;

    *out = NULL;
    *out_len = 0;
    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        cli_error_set(err, CLI_EIO, source, -1, -1, "cannot open the file: %s", strerror(errno));
        return CLI_EIO;
    }
    for (;;) {
        size_t want, n;

        if (len == cap) {
            /* Grow to at most one byte past the limit, so an oversized input is detected. */
            size_t ncap = cap ? cap * 2 : 65536;
            char *p;
            if (ncap > max + 1)
                ncap = max + 1;
            if (ncap == cap)
                break;
            p = realloc(buf, ncap + 1); /* + 1: room for the NUL parsers need */
            if (!p) {
                free(buf);
                if (!is_stdin)
                    fclose(f);
                cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory reading the input");
                return FISC_ENOMEM;
            }
            buf = p;
            cap = ncap;
        }
        want = cap - len;
        n = fread(buf + len, 1, want, f);
        len += n;
        if (n < want)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        if (!is_stdin)
            fclose(f);
        cli_error_set(err, CLI_EIO, source, -1, -1, "cannot read the file: %s", strerror(e));
        return CLI_EIO;
    }
    if (!is_stdin)
        fclose(f);
    if (len > max) {
        free(buf);
        cli_error_set(err, FISC_ERANGE, source, -1, -1,
                      "the input is larger than %zu MiB; split it into smaller files",
                      max / (1024 * 1024));
        return FISC_ERANGE;
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory reading the input");
            return FISC_ENOMEM;
        }
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return FISC_OK;
}
