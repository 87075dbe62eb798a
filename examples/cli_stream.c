/* Streaming, decoding CSV and JSON Lines input for `fisc batch`: see cli_stream.h. */
#include "cli_stream.h"

#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read at a time. */
#define CHUNK ((size_t)1 << 20)

int cli_stream_open(cli_stream *s, const char *path, const char *source, fisc_error *err)
{
    memset(s, 0, sizeof(*s));
    s->source = source;
    s->row = 1;
    fisc_error_clear(&s->pending);
    s->is_stdin = strcmp(path, "-") == 0;
    s->f = s->is_stdin ? stdin : fopen(path, "rb");
    if (!s->f) {
        cli_error_set(err, CLI_EIO, source, -1, -1, "cannot open the file: %s", strerror(errno));
        return CLI_EIO;
    }
    return FISC_OK;
}

void cli_stream_close(cli_stream *s)
{
    if (s->f && !s->is_stdin)
        fclose(s->f);
    if (s->cd)
        iconv_close((iconv_t)s->cd);
    free(s->raw);
    free(s->buf);
    memset(s, 0, sizeof(*s));
}

const char *cli_stream_encoding(const cli_stream *s)
{
    switch (s->enc) {
    case 1: return s->started == 2 ? "UTF-8 with BOM" : "UTF-8";
    case 2: return "GB18030";
    default: return "ASCII";
    }
}

/* Room for @p more bytes after buf[len]. @return 0, or -1 when out of memory. */
static int buf_room(cli_stream *s, size_t more)
{
    size_t need = s->len + more + 1;
    char *p;

    if (need <= s->cap)
        return 0;
    if (need < 2 * s->cap)
        need = 2 * s->cap;
    p = realloc(s->buf, need);
    if (!p)
        return -1;
    s->buf = p;
    s->cap = need;
    return 0;
}

/* 1 if the @p n bytes at @p q (n < 4) begin a UTF-8 sequence that more bytes could complete. */
static int incomplete_utf8(const unsigned char *q, size_t n)
{
    size_t need, i;

    if (n == 0 || n >= 4)
        return 0;
    if (q[0] >= 0xC2 && q[0] <= 0xDF)
        need = 2;
    else if (q[0] >= 0xE0 && q[0] <= 0xEF)
        need = 3;
    else if (q[0] >= 0xF0 && q[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if (n >= need)
        return 0;
    for (i = 1; i < n; i++)
        if (q[i] < 0x80 || q[i] > 0xBF)
            return 0;
    return 1;
}

static void set_pending(cli_stream *s, int code, const char *fmt, ...) CLI_PRINTF(3, 4);

static void set_pending(cli_stream *s, int code, const char *fmt, ...)
{
    char msg[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cli_error_set(&s->pending, code, s->source, -1, -1, "%s", msg);
}

/*
 * Decode s->raw into s->buf as far as possible; keep an incomplete trailing sequence in raw.
 * A bad byte ends decoding: the text before it is kept and the error waits in s->pending.
 * @return 0, or -1 when out of memory.
 */
static int decode(cli_stream *s)
{
    unsigned char *p = s->raw;
    size_t n = s->raw_len, i = 0, k, v;
    unsigned char *nul;
    int nul_at_end = 0;

    if (!s->started) {
        if (n < 3 && !s->eof)
            return 0; /* wait for the bytes of a possible BOM */
        s->started = 1;
        if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
            set_pending(s, FISC_EPARSE, "the input is UTF-16, which is not supported; save it as "
                                        "CSV UTF-8 (or GBK/GB18030)");
            s->raw_len = 0;
            return 0;
        }
        if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
            i = 3;
            s->enc = 1;
            s->started = 2;
        }
    }
    nul = memchr(p + i, '\0', n - i);
    if (nul) {
        n = (size_t)(nul - p);
        nul_at_end = 1;
    }
    if (s->enc == 0) {
        for (k = i; k < n && p[k] < 0x80; k++)
            ;
        if (k < n) {
            /* The first non-ASCII byte: strict UTF-8 first, GB18030 only if that fails. */
            v = k + cli_utf8_valid_prefix((const char *)p + k, n - k);
            if (v == n)
                s->enc = 1;
            else if (!s->eof && !nul_at_end && incomplete_utf8(p + v, n - v))
                s->enc = v > k ? 1 : 0; /* only a cut sequence: decide with the next chunk */
            else
                s->enc = 2;
        }
    }
    if (s->enc == 2) {
        char *ip = (char *)p + i, *op;
        size_t inleft = n - i, outleft;

        if (!s->cd) {
            iconv_t cd = iconv_open("UTF-8", "GB18030");
            if (cd == (iconv_t)-1) {
                set_pending(s, FISC_EPARSE, "the input is not UTF-8, and this system's iconv has "
                                            "no GB18030 converter");
                s->raw_len = 0;
                return 0;
            }
            s->cd = cd;
        }
        if (buf_room(s, inleft + inleft / 2 + 16) != 0)
            return -1;
        op = s->buf + s->len;
        outleft = s->cap - s->len - 1;
        if (iconv((iconv_t)s->cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
            if (errno == EINVAL && !s->eof && !nul_at_end) {
                /* A sequence split across chunks: keep its first bytes for the next one. */
            } else {
                set_pending(s, FISC_EPARSE, "the input is neither UTF-8 nor GB18030 (bad byte "
                                            "0x%02X); save the file as CSV UTF-8 or as GBK/GB18030",
                            inleft ? (unsigned)(unsigned char)*ip : 0u);
                s->len = (size_t)(op - s->buf);
                s->raw_len = 0;
                return 0;
            }
        }
        s->len = (size_t)(op - s->buf);
        i = (size_t)((unsigned char *)ip - p);
    } else {
        v = i + cli_utf8_valid_prefix((const char *)p + i, n - i);
        if (buf_room(s, v - i) != 0)
            return -1;
        memcpy(s->buf + s->len, p + i, v - i);
        s->len += v - i;
        if (v < n && !(s->eof == 0 && !nul_at_end && incomplete_utf8(p + v, n - v))) {
            set_pending(s, FISC_EPARSE, "invalid UTF-8 (byte 0x%02X) in a file read as UTF-8: "
                                        "save it as CSV UTF-8 or as GBK/GB18030",
                        (unsigned)p[v]);
            s->raw_len = 0;
            return 0;
        }
        i = v;
    }
    if (nul_at_end && s->pending.code == FISC_OK && i >= n) {
        set_pending(s, FISC_EPARSE, "the input holds a NUL byte: it is not a text file");
        s->raw_len = 0;
        return 0;
    }
    memmove(s->raw, s->raw + i, s->raw_len - i);
    s->raw_len -= i;
    return 0;
}

/*
 * More decoded text after buf[len] (the consumed part is dropped first).
 * @return 1 when there is more, 0 at the end of the input, else an error code (err set; the
 * caller adds the row).
 */
static int fill(cli_stream *s, fisc_error *err)
{
    size_t before;

    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    before = s->len;
    for (;;) {
        size_t n;

        if (s->pending.code != FISC_OK) {
            if (s->len > before)
                return 1;
            *err = s->pending;
            return s->pending.code;
        }
        if (s->eof) {
            if (s->raw_len > 0 && decode(s) != 0)
                goto nomem;
            if (s->len > before)
                return 1;
            if (s->raw_len > 0 && s->pending.code == FISC_OK)
                set_pending(s, FISC_EPARSE, "the input ends inside a multibyte character "
                                            "(byte 0x%02X)", s->raw[0]);
            if (s->pending.code != FISC_OK)
                continue;
            return 0;
        }
        if (!s->raw) {
            s->raw = malloc(CHUNK + 8);
            if (!s->raw)
                goto nomem;
        }
        n = fread(s->raw + s->raw_len, 1, CHUNK, s->f);
        if (n < CHUNK) {
            if (ferror(s->f)) {
                cli_error_set(err, CLI_EIO, s->source, -1, -1, "reading the input failed: %s",
                              strerror(errno));
                return CLI_EIO;
            }
            s->eof = 1;
        }
        s->raw_len += n;
        if (decode(s) != 0)
            goto nomem;
        if (s->len > before)
            return 1;
    }
nomem:
    cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
    return FISC_ENOMEM;
}

/* Add the row to a decoding error of fill(). */
static int row_error(cli_stream *s, int rc, fisc_error *err)
{
    if (rc == FISC_EPARSE) {
        char text[FISC_ERROR_TEXT_SIZE];

        memcpy(text, err->text, sizeof(text));
        cli_error_set(err, rc, s->source, (int)(s->row > 0x7fffffffL ? -1 : s->row), -1,
                      "row %ld: %s", s->row, text);
    }
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Blocks */

void cli_block_init(cli_block *b)
{
    memset(b, 0, sizeof(*b));
}

void cli_block_free(cli_block *b)
{
    free(b->text);
    free(b->fields);
    free(b->flens);
    free(b->recs);
    cli_block_init(b);
}

const char *cli_block_field(const cli_block *b, size_t r, size_t i, size_t *len)
{
    const cli_rec *rec = &b->recs[r];

    if (i >= rec->nfields) {
        *len = 0;
        return NULL;
    }
    *len = b->flens[rec->first + i];
    return b->text + b->fields[rec->first + i];
}

static int text_put(cli_block *b, const char *s, size_t n)
{
    if (b->tlen + n + 1 > b->tcap) {
        size_t ncap = b->tcap ? b->tcap : 65536;
        char *p;

        while (ncap < b->tlen + n + 1)
            ncap *= 2;
        p = realloc(b->text, ncap);
        if (!p)
            return -1;
        b->text = p;
        b->tcap = ncap;
    }
    memcpy(b->text + b->tlen, s, n);
    b->tlen += n;
    return 0;
}

/* End the field that began at text offset @p start. */
static int field_end(cli_block *b, size_t start)
{
    if (b->nfields == b->fcap) {
        size_t ncap = b->fcap ? b->fcap * 2 : 1024;
        size_t *f = realloc(b->fields, ncap * sizeof(*f)), *l;

        if (!f)
            return -1;
        b->fields = f;
        l = realloc(b->flens, ncap * sizeof(*l));
        if (!l)
            return -1;
        b->flens = l;
        b->fcap = ncap;
    }
    b->fields[b->nfields] = start;
    b->flens[b->nfields] = b->tlen - start;
    b->nfields++;
    return text_put(b, "", 1) == 0 ? 0 : -1;
}

static int rec_push(cli_block *b, size_t first, long row, const char *bad)
{
    if (b->nrecs == b->rcap) {
        size_t ncap = b->rcap ? b->rcap * 2 : 256;
        cli_rec *p = realloc(b->recs, ncap * sizeof(*p));

        if (!p)
            return -1;
        b->recs = p;
        b->rcap = ncap;
    }
    b->recs[b->nrecs].first = first;
    b->recs[b->nrecs].nfields = b->nfields - first;
    b->recs[b->nrecs].row = row;
    b->recs[b->nrecs].bad = bad;
    b->nrecs++;
    return 0;
}

static void block_reset(cli_block *b)
{
    b->tlen = 0;
    b->nfields = 0;
    b->nrecs = 0;
}

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE };

/* One CSV record into @p b. @return 1 read (or blank and skipped), 0 end of input, else an error. */
static int csv_record(cli_stream *s, cli_block *b, fisc_error *err)
{
    size_t first = b->nfields, rec_start = b->tlen, fstart = b->tlen;
    const char *bad = NULL;
    int st = ST_START, any = 0, rc;

    for (;;) {
        const char *p, *end;

        if (s->pos == s->len) {
            rc = fill(s, err);
            if (rc < 0)
                return row_error(s, rc, err);
            if (rc == 0)
                break;
        }
        if (s->skip_lf) {
            s->skip_lf = 0;
            if (s->buf[s->pos] == '\n') {
                s->pos++;
                continue;
            }
        }
        if (b->tlen - rec_start > CLI_STREAM_MAX_RECORD) {
            cli_error_set(err, FISC_ERANGE, s->source, (int)s->row, -1,
                          "row %ld is longer than %zu bytes", s->row, CLI_STREAM_MAX_RECORD);
            return FISC_ERANGE;
        }
        any = 1;
        p = s->buf + s->pos;
        end = s->buf + s->len;
        switch (st) {
        case ST_START:
            fstart = b->tlen;
            if (*p == '"') {
                s->pos++;
                st = ST_QUOTED;
            } else {
                st = ST_UNQUOTED;
            }
            continue;
        case ST_UNQUOTED: {
            const char *q = p;
            char c;

            while (q < end && *q != ',' && *q != '\n' && *q != '\r' && *q != '"')
                q++;
            if (q > p && text_put(b, p, (size_t)(q - p)) != 0)
                goto nomem;
            s->pos += (size_t)(q - p);
            if (q == end)
                continue;
            c = *q;
            s->pos++;
            if (c == '"') {
                if (!bad)
                    bad = "a quote inside an unquoted field (quote the whole field and double "
                          "the quote: \"a\"\"b\")";
                if (text_put(b, "\"", 1) != 0)
                    goto nomem;
                continue;
            }
            if (field_end(b, fstart) != 0)
                goto nomem;
            if (c == ',') {
                st = ST_START;
                fstart = b->tlen;
                continue;
            }
            s->skip_lf = c == '\r';
            goto record_end;
        }
        case ST_QUOTED: {
            const char *q = memchr(p, '"', (size_t)(end - p));

            if (!q)
                q = end;
            if (q > p && text_put(b, p, (size_t)(q - p)) != 0)
                goto nomem;
            s->pos += (size_t)(q - p);
            if (q < end) {
                s->pos++;
                st = ST_QUOTE;
            }
            continue;
        }
        case ST_QUOTE: {
            char c = *p;

            if (c == '"') {
                s->pos++;
                if (text_put(b, "\"", 1) != 0)
                    goto nomem;
                st = ST_QUOTED;
                continue;
            }
            if (c == ',' || c == '\r' || c == '\n') {
                s->pos++;
                if (field_end(b, fstart) != 0)
                    goto nomem;
                if (c == ',') {
                    st = ST_START;
                    fstart = b->tlen;
                    continue;
                }
                s->skip_lf = c == '\r';
                goto record_end;
            }
            if (!bad)
                bad = "unexpected text after a closing quote (a quote inside a quoted field must "
                      "be doubled: \"\")";
            st = ST_UNQUOTED;
            continue;
        }
        default:
            break;
        }
    }
    /* The end of the input. */
    if (!any && st == ST_START && b->nfields == first)
        return 0;
    if (st == ST_QUOTED) {
        cli_error_set(err, FISC_EPARSE, s->source, (int)s->row, (int)(b->nfields - first + 1),
                      "row %ld, column %zu: a quoted field is not closed (a '\"' is missing before "
                      "the end of the file)", s->row, b->nfields - first + 1);
        return FISC_EPARSE;
    }
    if (field_end(b, fstart) != 0)
        goto nomem;
record_end:
    if (b->nfields - first == 1 && b->flens[first] == 0 && !bad) {
        /* A blank line: not a row of data (Excel still counts it). */
        b->nfields = first;
        b->tlen = rec_start;
    } else if (rec_push(b, first, s->row, bad) != 0) {
        goto nomem;
    }
    s->row++;
    return 1;
nomem:
    cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
    return FISC_ENOMEM;
}

int cli_stream_csv_block(cli_stream *s, cli_block *b, size_t max, fisc_error *err)
{
    block_reset(b);
    while (b->nrecs < max) {
        int rc = csv_record(s, b, err);

        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
    }
    return FISC_OK;
}

/* 1 if the @p n bytes at @p p are only spaces, tabs and CRs. */
static int blank(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

int cli_stream_line_block(cli_stream *s, cli_block *b, size_t max, fisc_error *err)
{
    block_reset(b);
    while (b->nrecs < max) {
        size_t start = b->tlen, first = b->nfields;
        int rc, got = 0, ended = 0;

        while (!ended) {
            const char *p, *q;

            if (s->pos == s->len) {
                rc = fill(s, err);
                if (rc < 0)
                    return row_error(s, rc, err);
                if (rc == 0)
                    break;
            }
            got = 1;
            p = s->buf + s->pos;
            q = memchr(p, '\n', s->len - s->pos);
            if (q)
                ended = 1;
            else
                q = s->buf + s->len;
            if (text_put(b, p, (size_t)(q - p)) != 0)
                goto nomem;
            s->pos += (size_t)(q - p) + (size_t)ended;
            if (b->tlen - start > CLI_STREAM_MAX_LINE) {
                cli_error_set(err, FISC_ERANGE, s->source, (int)s->row, -1,
                              "line %ld is longer than %zu bytes", s->row, CLI_STREAM_MAX_LINE);
                return FISC_ERANGE;
            }
        }
        if (!got)
            break;
        if (b->tlen > start && b->text[b->tlen - 1] == '\r')
            b->tlen--;
        if (blank(b->text + start, b->tlen - start)) {
            b->tlen = start;
        } else {
            if (field_end(b, start) != 0 || rec_push(b, first, s->row, NULL) != 0)
                goto nomem;
        }
        s->row++;
    }
    return FISC_OK;
nomem:
    cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
    return FISC_ENOMEM;
}
