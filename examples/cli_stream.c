/* Streaming, decoding CSV and JSON Lines input for `fisc batch`: see cli_stream.h. */
#include "cli_stream.h"

#include <errno.h>
#include <stdarg.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Bytes read at a time (a test build may make it tiny, to put every byte at a chunk's edge).
 * 256 KiB: the stream's and the blocks' buffers grow to about a chunk each, and on the virtual
 * machines fisc is measured on, the first touch of a page of memory costs about 11 us (a page
 * fault): 1 MiB chunks and blocks of 8192 rows made 4330 page faults in the batch benchmark, this
 * and blocks of 2048 rows make about 1060 (bench/batch; the chunk size decides the encoding too:
 * Python's _CHUNK in bindings/python/fisc/policy.py is the same).
 */
#ifndef CLI_STREAM_CHUNK
#define CLI_STREAM_CHUNK ((size_t)1 << 18)
#endif
#define CHUNK ((size_t)(CLI_STREAM_CHUNK))
/* Bytes of non-ASCII text (from the first non-ASCII byte) that decide the encoding, unless the
 * input ends first: fewer, at the end of a chunk, wait for the next. Python's _detect_encoding
 * waits alike. */
#define DECIDE_BYTES 256

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

const char *cli_stream_encoding_note(const cli_stream *s)
{
    return s->enc == 2 ? "; the input was read as GBK/GB18030" : "";
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
    /* no overlong form, surrogate or code point above U+10FFFF can be completed either */
    if (n >= 2 && ((q[0] == 0xE0 && q[1] < 0xA0) || (q[0] == 0xED && q[1] > 0x9F)
                   || (q[0] == 0xF0 && q[1] < 0x90) || (q[0] == 0xF4 && q[1] > 0x8F)))
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

/* Convert the raw bytes at buf[len..len + raw_len) (n of them before a NUL) from GB18030,
 * through the scratch s->raw. A byte iconv refuses goes into the text as it is (counted in
 * s->bad_bytes): its record is then bad (mark_bad_text()), and the records after it are read.
 * @return the raw bytes consumed, or -1 when out of memory. */
static long decode_gb18030(cli_stream *s, size_t n, int nul_at_end)
{
    char *ip, *op;
    size_t inleft = n, outleft, used;

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
    if (s->raw_cap < s->raw_len) { /* a chunk, and what waited for it (DECIDE_BYTES, a cut one) */
        unsigned char *r = realloc(s->raw, s->raw_len + DECIDE_BYTES);

        if (!r)
            return -1;
        s->raw = r;
        s->raw_cap = s->raw_len + DECIDE_BYTES;
    }
    /* The output takes the place of the input: convert from a copy. */
    memcpy(s->raw, s->buf + s->len, s->raw_len);
    /* The text converted from `used` bytes is at most twice as long (glibc makes 4-byte UTF-8 of
     * a few 2-byte codes, FE51 among them; a refused byte stays 1), and the raw_len - used bytes
     * not converted (those after a NUL too) go back after it: raw_len + n bytes at most, and 16
     * more. Should iconv still want more room, the loop below makes it. */
    if (buf_room(s, s->raw_len + n + 16) != 0)
        return -1;
    ip = (char *)s->raw;
    op = s->buf + s->len;
    outleft = s->cap - s->len - 1;
    while (inleft > 0 && iconv((iconv_t)s->cd, &ip, &inleft, &op, &outleft) == (size_t)-1) {
        int e = errno;

        if (e == EINVAL && !s->eof && !nul_at_end)
            break; /* a sequence split across chunks: keep its first bytes for the next one */
        if (e == E2BIG || outleft < 2 * inleft + (s->raw_len - n) + 1) {
            /* Never, by the bound above; should a converter write more, make the room. */
            size_t at = (size_t)(op - s->buf), start = s->len;

            s->len = at; /* room after the text converted so far */
            if (buf_room(s, 2 * inleft + (s->raw_len - n) + 16) != 0) {
                s->len = start;
                return -1;
            }
            s->len = start;
            op = s->buf + at;
            outleft = s->cap - at - 1;
            if (e == E2BIG)
                continue;
        }
        if (e != EILSEQ && e != EINVAL) {
            set_pending(s, FISC_EPARSE, "converting the input from GB18030 failed: %s",
                        strerror(e));
            s->len = (size_t)(op - s->buf);
            s->raw_len = 0;
            return 0;
        }
        /* A byte that begins no GB18030 character (or a cut one at the end) */
        *op++ = *ip++;
        inleft--;
        outleft--;
        s->bad_bytes++;
    }
    s->len = (size_t)(op - s->buf);
    used = (size_t)((unsigned char *)ip - s->raw);
    /* The bytes not converted go back after the text (room: see buf_room() above). */
    memcpy(s->buf + s->len, s->raw + used, s->raw_len - used);
    return (long)used;
}

/* 1 if the @p n bytes at @p q (n < 4) begin a GB18030 character that more bytes could complete. */
static int incomplete_gb18030(const unsigned char *q, size_t n)
{
    if (n == 0 || n >= 4 || q[0] < 0x81 || q[0] > 0xFE)
        return 0;
    return n == 1 || (q[1] >= 0x30 && q[1] <= 0x39 && (n == 2 || (q[2] >= 0x81 && q[2] <= 0xFE)));
}

/*
 * The places in the @p n bytes at @p p where a decoder of the encoding meets bytes that are
 * not a character of it, stopping once more than @p most are found: in UTF-8, a byte that
 * begins no character and the continuation bytes right after it are one place (a character cut
 * short is one mistake, as a stray byte is); in GB18030, each byte that begins no character, by
 * the byte structure (1 byte up to 0x7F; 0x81-0xFE then 0x40-0x7E or 0x80-0xFE; 0x81-0xFE,
 * 0x30-0x39, 0x81-0xFE, 0x30-0x39), which iconv's tables refine. A character cut by the end is
 * not counted when @p cut (more input follows). The Python binding counts alike
 * (bindings/python/fisc/policy.py, _choose_encoding).
 */
static size_t bad_utf8_places(const unsigned char *p, size_t n, size_t most, int cut)
{
    size_t i = cli_utf8_valid_prefix((const char *)p, n), bad = 0;

    while (i < n && bad <= most && !(cut && incomplete_utf8(p + i, n - i))) {
        bad++;
        for (i++; i < n && p[i] >= 0x80 && p[i] <= 0xBF; i++)
            ;
        i += cli_utf8_valid_prefix((const char *)p + i, n - i);
    }
    return bad;
}

static size_t bad_gb18030_places(const unsigned char *p, size_t n, int cut)
{
    size_t i = 0, bad = 0;

    while (i < n) {
        unsigned c = p[i];

        if (c < 0x80) {
            i++;
        } else if (cut && incomplete_gb18030(p + i, n - i)) {
            break;
        } else if (c == 0x80 || c == 0xFF || i + 1 == n) {
            bad++;
            i++;
        } else if ((p[i + 1] >= 0x40 && p[i + 1] <= 0x7E)
                   || (p[i + 1] >= 0x80 && p[i + 1] <= 0xFE)) {
            i += 2;
        } else if (i + 3 < n && p[i + 1] >= 0x30 && p[i + 1] <= 0x39 && p[i + 2] >= 0x81
                   && p[i + 2] <= 0xFE && p[i + 3] >= 0x30 && p[i + 3] <= 0x39) {
            i += 4;
        } else {
            bad++;
            i++;
        }
    }
    return bad;
}

/*
 * The encoding of a file whose first non-ASCII text, p[0..n), is not valid UTF-8 (@p cut: more
 * input follows): GB18030 when it has fewer bad places as GB18030 than as UTF-8 (a GBK file has
 * none), else UTF-8. A UTF-8 file with a stray byte is then still UTF-8: its bad bytes make
 * their rows bad, loudly, where as GB18030 its rows would be read with their text garbled, in
 * silence. (A Latin-1 letter before an ASCII one is a GBK character: a file whose only
 * non-ASCII text is such is read as GBK.)
 */
static int choose_encoding(const unsigned char *p, size_t n, int cut)
{
    size_t gb = bad_gb18030_places(p, n, cut);

    return gb == 0 || gb < bad_utf8_places(p, n, gb, cut) ? 2 : 1;
}

/*
 * Decode the raw bytes at buf[len..len + raw_len) as far as possible: UTF-8 (and ASCII) in
 * place, GB18030 through iconv; an incomplete trailing sequence stays raw, right after the
 * text. A byte that begins no character of the encoding stays in the text as it is, counted
 * in s->bad_bytes (its record is bad: mark_bad_text()). A NUL byte or a UTF-16 mark ends
 * decoding: the text before it is kept and the error waits in s->pending. @return 0, or -1
 * when out of memory.
 */
static int decode(cli_stream *s)
{
    unsigned char *p = (unsigned char *)s->buf + s->len;
    size_t n = s->raw_len, i, k, v = 0;
    unsigned char *nul;
    int nul_at_end = 0, checked = 0;

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
            memmove(p, p + 3, n - 3); /* once: the mark is dropped */
            n -= 3;
            s->raw_len = n;
            s->enc = 1;
            s->started = 2;
        }
    }
    nul = memchr(p, '\0', n);
    if (nul) {
        n = (size_t)(nul - p);
        nul_at_end = 1;
    }
    if (s->enc == 0) {
        k = cli_ascii_prefix((const char *)p, n);
        v = k;
        checked = 1; /* v is the valid prefix of p[0..n): the UTF-8 branch goes on from there */
        if (k < n && n - k < DECIDE_BYTES && !s->eof && !nul_at_end) {
            /* Too little non-ASCII text to judge: the ASCII before it is text; the rest waits. */
            s->len += k;
            s->raw_len -= k;
            return 0;
        }
        if (k < n) {
            /* The first non-ASCII byte: UTF-8 if valid from there on (a character cut by the
               chunk's end aside: DECIDE_BYTES before it are), else see choose_encoding(). */
            v = k + cli_utf8_valid_prefix((const char *)p + k, n - k);
            if (v == n || (!s->eof && !nul_at_end && incomplete_utf8(p + v, n - v)))
                s->enc = 1;
            else
                s->enc = choose_encoding(p + k, n - k, !s->eof && !nul_at_end);
        }
    }
    if (s->enc == 2) {
        long used = decode_gb18030(s, n, nul_at_end);

        if (used < 0)
            return -1;
        if (s->pending.code != FISC_OK)
            return 0;
        i = (size_t)used;
    } else {
        /* UTF-8: the text as it lies, bad bytes too; a sequence cut by the chunk's end waits. */
        if (!checked)
            v = cli_utf8_valid_prefix((const char *)p, n);
        while (v < n && (s->eof || nul_at_end || !incomplete_utf8(p + v, n - v))) {
            s->bad_bytes++;
            v++;
            v += cli_utf8_valid_prefix((const char *)p + v, n - v);
        }
        s->len += v;
        i = v;
    }
    if (nul_at_end && s->pending.code == FISC_OK && i >= n) {
        set_pending(s, FISC_EPARSE, "the input holds a NUL byte: it is not a text file");
        s->raw_len = 0;
        return 0;
    }
    s->raw_len -= i; /* the rest is already at buf[len] */
    return 0;
}

/* Drop the consumed text buf[0..pos) (the raw bytes after the text move with it). */
static void drop_consumed(cli_stream *s)
{
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos + s->raw_len);
        s->len -= s->pos;
        s->pos = 0;
    }
}

/*
 * More decoded text after buf[len]; what is there stays where it is (a CSV block's fields point
 * into it). buf may move: hold offsets, not pointers. Bytes are read straight into buf, after
 * the text and the raw bytes not decoded yet.
 * @return 1 when there is more, 0 at the end of the input, else an error code (err set; the
 * caller adds the row).
 */
static int fill(cli_stream *s, fisc_error *err)
{
    size_t before = s->len;

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
            /* decode() took every byte at the end (a cut character is bad bytes of the last row) */
            if (s->pending.code != FISC_OK)
                continue;
            return 0;
        }
        if (buf_room(s, s->raw_len + CHUNK) != 0)
            goto nomem;
        n = fread(s->buf + s->len + s->raw_len, 1, CHUNK, s->f);
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

const char CLI_BAD_UTF8[] = "invalid UTF-8 in a file read as UTF-8: save it as CSV UTF-8 or as "
                            "GBK/GB18030";
const char CLI_BAD_GB18030[] = "invalid GB18030 in a file read as GB18030: save it as CSV UTF-8 "
                               "or as GBK/GB18030";

/*
 * Once the decoder has passed a bad byte into the text (s->bad_bytes), mark the records of
 * @p b that hold one: the text of a record is valid UTF-8 unless it holds such a byte (decoded
 * text always is; a refused byte never completes a character, as it begins none and iconv's
 * output begins with none of its continuation bytes).
 */
static void mark_bad_text(const cli_stream *s, cli_block *b)
{
    size_t r, i;

    if (s->bad_bytes == 0)
        return;
    for (r = 0; r < b->nrecs; r++) {
        cli_rec *rec = &b->recs[r];

        for (i = 0; !rec->bad && i < rec->nfields; i++) {
            const cli_field *f = &b->fields[rec->first + i];

            if (cli_utf8_valid_prefix(b->text + f->off, f->len) < f->len)
                rec->bad = s->enc == 2 ? CLI_BAD_GB18030 : CLI_BAD_UTF8;
        }
    }
}

void cli_block_init(cli_block *b)
{
    memset(b, 0, sizeof(*b));
}

void cli_block_free(cli_block *b)
{
    free(b->text);
    free(b->fields);
    free(b->recs);
    cli_block_init(b);
}

/* Room for @p n more bytes of text and a NUL. @return 0, or -1 when out of memory. */
static int text_room(cli_block *b, size_t n)
{
    size_t ncap;
    char *p;

    if (b->tlen + n + 1 <= b->tcap)
        return 0;
    ncap = b->tcap ? b->tcap : 65536;
    while (ncap < b->tlen + n + 1)
        ncap *= 2;
    p = realloc(b->text, ncap);
    if (!p)
        return -1;
    b->text = p;
    b->tcap = ncap;
    return 0;
}

static int text_put(cli_block *b, const char *s, size_t n)
{
    if (text_room(b, n) != 0)
        return -1;
    memcpy(b->text + b->tlen, s, n);
    b->tlen += n;
    return 0;
}

static int fields_grow(cli_block *b)
{
    size_t ncap = b->fcap ? b->fcap * 2 : 1024;
    cli_field *f = realloc(b->fields, ncap * sizeof(*f));

    if (!f)
        return -1;
    b->fields = f;
    b->fcap = ncap;
    return 0;
}

/* Add the field of @p len bytes at text offset @p off. @return 0, or -1 when out of memory. */
static inline int field_push(cli_block *b, size_t off, size_t len)
{
    if (b->nfields == b->fcap && fields_grow(b) != 0)
        return -1;
    b->fields[b->nfields].off = off;
    b->fields[b->nfields].len = len;
    b->nfields++;
    return 0;
}

static int recs_grow(cli_block *b)
{
    size_t ncap = b->rcap ? b->rcap * 2 : 256;
    cli_rec *p = realloc(b->recs, ncap * sizeof(*p));

    if (!p)
        return -1;
    b->recs = p;
    b->rcap = ncap;
    return 0;
}

/* Add the record of the fields from @p first on. @return 0, or -1 when out of memory. */
static inline int rec_push(cli_block *b, size_t first, long row, const char *bad)
{
    if (b->nrecs == b->rcap && recs_grow(b) != 0)
        return -1;
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

/* ---------------------------------------------------------------------------------------- */
/* CSV */

/*
 * How CSV is scanned, many bytes at a time: a window of 32 bytes with SSE2 (every x86-64 has
 * it; two 16-byte loads, for fewer turns of the loops than one), else of 8 bytes in a 64-bit word
 * (little-endian GCC or Clang), else of one byte. A test build can turn the first two off
 * (-DCLI_STREAM_NO_SIMD, -DCLI_STREAM_NO_WORDS) to check the others. window_masks() has one bit
 * for each byte of the window that is special in an unquoted field (, " LF CR), and gives those
 * of its commas alone in *commas; MASK_INDEX() turns the lowest bit of a mask into the byte's
 * offset. Bytes of UTF-8 sequences (0x80 and up) are never special.
 */
/* A special byte other than the comma: one that ends an unquoted run of fields. */
static inline int csv_ends_run(char c)
{
    return c == '"' || c == '\n' || c == '\r';
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ \
    && !defined(CLI_STREAM_NO_WORDS)
# if defined(__SSE2__) && !defined(CLI_STREAM_NO_SIMD)
#  include <emmintrin.h>
#  define CSV_WINDOW 32
typedef uint32_t csv_mask;
#  define MASK_INDEX(m) ((size_t)(unsigned)__builtin_ctzll(m))

/* window_masks() for the 16 bytes at @p p. */
static inline csv_mask half_masks(const char *p, csv_mask *commas)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i comma = _mm_cmpeq_epi8(v, _mm_set1_epi8(','));
    const __m128i hit = _mm_or_si128(_mm_or_si128(comma, _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
                                     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));

    *commas = (csv_mask)_mm_movemask_epi8(comma);
    return (csv_mask)_mm_movemask_epi8(hit);
}

static inline csv_mask window_masks(const char *p, csv_mask *commas)
{
    csv_mask c0, c1, m = half_masks(p, &c0) | half_masks(p + 16, &c1) << 16;

    *commas = c0 | c1 << 16;
    return m;
}

/* window_low() for the 16 bytes at @p p. */
static inline csv_mask half_low(const char *p, csv_mask *commas)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8('"')), v);

    *commas = (csv_mask)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
    return (csv_mask)_mm_movemask_epi8(low);
}

/*
 * The commas of the window (*commas), and a mask whose lowest bit is its first other special byte
 * (" LF CR), or 0: first a bit for each byte up to '"' (0x22), in fewer steps than window_masks(),
 * which tells the special ones apart from the space, '!' and the control characters only when the
 * first such byte is not special.
 */
static inline csv_mask window_low(const char *p, csv_mask *commas)
{
    csv_mask c0, c1, m = half_low(p, &c0) | half_low(p + 16, &c1) << 16;

    *commas = c0 | c1 << 16;
    if (m && !csv_ends_run(p[MASK_INDEX(m)])) /* a space, say: look closer */
        m = window_masks(p, commas) & ~*commas;
    return m;
}
# else
#  define CSV_WINDOW 8
typedef uint64_t csv_mask;
#  define MASK_INDEX(m) ((size_t)__builtin_ctzll(m) >> 3)
#  define LOWS UINT64_C(0x7F7F7F7F7F7F7F7F)
/* The high bit of every zero byte of x, exactly (no carry crosses a byte). */
#  define ZERO_BYTES(x) (~((((x) & LOWS) + LOWS) | (x)) & ~LOWS)
#  define BYTES(c) (UINT64_C(0x0101010101010101) * (unsigned char)(c))

static inline csv_mask window_masks(const char *p, csv_mask *commas)
{
    uint64_t w;

    memcpy(&w, p, 8);
    *commas = ZERO_BYTES(w ^ BYTES(','));
    return *commas | ZERO_BYTES(w ^ BYTES('"')) | ZERO_BYTES(w ^ BYTES('\n'))
           | ZERO_BYTES(w ^ BYTES('\r'));
}
# endif
#else
# define CSV_WINDOW 1
typedef unsigned csv_mask;
# define MASK_INDEX(m) ((size_t)0)

static inline csv_mask window_masks(const char *p, csv_mask *commas)
{
    *commas = *p == ',';
    return *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
}
#endif

#if CSV_WINDOW != 32
/* The commas of the window (*commas) and its other special bytes (" LF CR). */
static inline csv_mask window_low(const char *p, csv_mask *commas)
{
    return window_masks(p, commas) & ~*commas;
}
#endif

static inline csv_mask window_mask(const char *p)
{
    csv_mask commas;

    return window_masks(p, &commas);
}

/* 1 when @p c is special in an unquoted field other than a comma: " LF CR. */
/* The first byte at or after @p p that ends an unquoted run (, " LF CR), or @p end. */
static const char *csv_special(const char *p, const char *end)
{
    while (end - p >= CSV_WINDOW) {
        csv_mask m = window_mask(p);

        if (m)
            return p + MASK_INDEX(m);
        p += CSV_WINDOW;
    }
    while (p < end && *p != ',' && *p != '"' && *p != '\n' && *p != '\r')
        p++;
    return p;
}

/* End the field buf[start..end) of the record being read: a NUL over the byte that ended it. */
static inline int field_end(char *buf, cli_block *b, size_t start, size_t end)
{
    if (field_push(b, start, end - start) != 0)
        return -1;
    buf[end] = '\0';
    return 0;
}

/*
 * The fast path for a field whose text has not moved: whole windows of bytes from
 * buf[*pos], ending in place (as csv_record() does) each field that a comma ends, while a
 * byte that is no quote follows the comma and the record stays within CLI_STREAM_MAX_RECORD.
 * Any other special byte, or such a comma, is left at *pos for csv_record(); so are the last
 * bytes of the text (less than a window and one). *fstart and *done as in csv_record().
 * @return 0, or -1 when out of memory.
 */
static int csv_windows(char *buf, size_t len, cli_block *b, size_t *pos, size_t *fstart,
                       size_t *done)
{
    size_t p = *pos, fs = *fstart;
    /* done - fstart does not change as fields end here (each adds its length and comma to
     * both), and done <= fstart; so the record stays within the limit while at <= last. */
    const size_t gap = *fstart - *done, last = CLI_STREAM_MAX_RECORD - 1 + gap;
    cli_field *f = b->fields + b->nfields, *fend = b->fields + b->fcap;
    int rc = 0;

    while (len - p > CSV_WINDOW) {
        csv_mask m;

        for (m = window_mask(buf + p); m; m &= m - 1) {
            size_t at = p + MASK_INDEX(m);

            if (buf[at] != ',' || buf[at + 1] == '"' || at > last) {
                p = at;
                goto out;
            }
            if (f == fend) {
                b->nfields = (size_t)(f - b->fields);
                if (fields_grow(b) != 0) {
                    rc = -1;
                    goto out;
                }
                f = b->fields + b->nfields;
                fend = b->fields + b->fcap;
            }
            f->off = fs;
            f->len = at - fs;
            f++;
            buf[at] = '\0';
            fs = at + 1;
        }
        p += CSV_WINDOW;
    }
out:
    b->nfields = (size_t)(f - b->fields);
    *pos = p;
    *fstart = fs;
    *done = fs - gap;
    return rc;
}

/* Why csv_fast_records() stopped. */
enum {
    FAST_GENERAL,   /* at a record that csv_record() must read (a quote, the length limit) */
    FAST_TEXT_END,  /* the text read so far has less than a window and a byte left */
    FAST_FULL       /* the block has its records */
};

/*
 * Where windows may start for the record that starts at @p rec: before @p text_end, and early
 * enough that their bytes stay within CLI_STREAM_MAX_RECORD - 1 of the record's start (where
 * csv_windows() stops too).
 */
static inline size_t windows_end(size_t rec, size_t text_end)
{
    const size_t room =
        CLI_STREAM_MAX_RECORD >= CSV_WINDOW ? CLI_STREAM_MAX_RECORD - CSV_WINDOW + 1 : 0;

    return rec < text_end && text_end - rec > room ? rec + room : text_end;
}

/* Undo the split of the unfinished record whose fields are b->fields[first..]: each of them
 * ended at a comma. */
static void csv_unsplit(char *buf, cli_block *b, size_t first)
{
    size_t i;

    for (i = first; i < b->nfields; i++)
        buf[b->fields[i].off + b->fields[i].len] = ',';
    b->nfields = first;
}

/*
 * The fast path for whole records, from s->pos (the start of a record): records of unquoted
 * fields ended by LF, CR or CRLF, split in place as csv_record() splits them, a window of text
 * at a time while a window and a byte remain after the window's start (so that a CR can look at
 * the byte after it). A record that holds a quote, or whose bytes could pass
 * CLI_STREAM_MAX_RECORD - 1 past its start, is put back as it was and left at s->pos for
 * csv_record(); so is one that runs into the last bytes of the text. Blank lines are skipped,
 * rows counted, and the LF after a CR that ended csv_record()'s last record dropped, as
 * csv_record() does. @return a FAST_ reason, or -1 when out of memory.
 */
static int csv_fast_records(cli_stream *s, cli_block *b, size_t max)
{
    char *buf = s->buf;
    const size_t text_end = s->len > CSV_WINDOW ? s->len - CSV_WINDOW : 0;
    size_t p = s->pos, rec = p, fs = p; /* window, record and field starts */
    size_t first = b->nfields, lim = windows_end(rec, text_end);
    /* A window ends at most one field per byte: one begins with room for all of them. */
    cli_field *f = b->fields + b->nfields;
    cli_field *room = b->fcap > CSV_WINDOW ? b->fields + b->fcap - CSV_WINDOW - 1 : NULL;
    int why = FAST_TEXT_END;

    if (b->nrecs >= max)
        return FAST_FULL;
    if (s->skip_lf) {
        /* The LF of a CRLF that csv_record() ended at its CR, as csv_record() would drop it. */
        if (p == s->len)
            return FAST_GENERAL; /* csv_record() reads more first */
        s->skip_lf = 0;
        if (buf[p] == '\n')
            p = rec = fs = s->pos = p + 1;
        lim = windows_end(rec, text_end);
    }
    while (p < lim) {
        csv_mask commas, other;
        size_t at;
        char c;

        if (!room || f > room) {
            b->nfields = (size_t)(f - b->fields);
            if (fields_grow(b) != 0)
                goto nomem;
            f = b->fields + b->nfields;
            room = b->fields + b->fcap - CSV_WINDOW - 1; /* fcap >= 1024 */
        }
        other = window_low(buf + p, &commas);
        if (other) /* only the commas before the first other special byte */
            commas &= (other & (0 - other)) - 1;
        for (; commas; commas &= commas - 1) {
            at = p + MASK_INDEX(commas);
            f->off = fs;
            f->len = at - fs;
            f++;
            buf[at] = '\0';
            fs = at + 1;
        }
        if (!other) {
            p += CSV_WINDOW;
            continue;
        }
        at = p + MASK_INDEX(other);
        c = buf[at];
        if (c == '"') {
            why = FAST_GENERAL;
            goto stop;
        }
        /* The end of a record (LF, CR, or the CR of a CRLF). */
        f->off = fs;
        f->len = at - fs;
        f++;
        buf[at] = '\0';
        b->nfields = (size_t)(f - b->fields);
        if (b->nfields - first == 1 && f[-1].len == 0) {
            b->nfields = first; /* a blank line: not a row of data (Excel still counts it) */
            f--;
        } else if (rec_push(b, first, s->row, NULL) != 0) {
            buf[at] = c; /* its last field did not end at a comma */
            f--;
            goto nomem;
        }
        s->row++;
        first = b->nfields;
        p = rec = fs = at + 1 + (c == '\r' && buf[at + 1] == '\n');
        if (b->nrecs >= max) {
            why = FAST_FULL;
            goto stop;
        }
        lim = windows_end(rec, text_end);
    }
    if (p < text_end)
        why = FAST_GENERAL; /* stopped by the record's limit */
stop:
    b->nfields = (size_t)(f - b->fields);
    csv_unsplit(buf, b, first);
    s->pos = rec;
    return why;
nomem:
    b->nfields = (size_t)(f - b->fields);
    csv_unsplit(buf, b, first);
    s->pos = rec;
    return -1;
}

enum { ST_START, ST_UNQUOTED, ST_QUOTED, ST_QUOTE };

#define BAD_QUOTE "a quote inside an unquoted field (quote the whole field and double the quote: " \
                  "\"a\"\"b\")"
#define BAD_AFTER_QUOTE "unexpected text after a closing quote (a quote inside a quoted field " \
                        "must be doubled: \"\")"

/*
 * One CSV record into @p b, split in place in s->buf (offsets, as fill() may move it): a
 * field's text stays where it is (unquoted) or moves down over its quotes (quoted, or after a
 * stray closing quote), and a NUL is written over the byte that ended it; the write end w
 * never passes the read position. done is the record's text as a copy would hold it (each
 * finished field and its NUL), checked against CLI_STREAM_MAX_RECORD at the same points as
 * ever. @return 1 read (or blank and skipped), 0 end of input, else an error.
 */
static int csv_record(cli_stream *s, cli_block *b, fisc_error *err)
{
    size_t first = b->nfields, done = 0;
    size_t fstart = 0, w = 0; /* the current field is buf[fstart..w); w == fstart between fields */
    const char *bad = NULL;
    int st = ST_START, any = 0, rc;

    for (;;) {
        const char *p, *end;
        char c;

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
        if (done + (w - fstart) > CLI_STREAM_MAX_RECORD) {
            cli_error_set(err, FISC_ERANGE, s->source, (int)s->row, -1,
                          "row %ld is longer than %zu bytes", s->row, CLI_STREAM_MAX_RECORD);
            return FISC_ERANGE;
        }
        any = 1;
        p = s->buf + s->pos;
        end = s->buf + s->len;
        switch (st) {
        case ST_START:
            if (*p == '"') {
                s->pos++;
                fstart = w = s->pos;
                st = ST_QUOTED;
                continue;
            }
            /* On to the unquoted field: the loop top would find nothing to do. */
            fstart = w = s->pos;
            st = ST_UNQUOTED;
            /* fall through */
        case ST_UNQUOTED: {
            /* The fast path: unquoted fields one after another, none of them copied (locals,
             * which the stores into b->fields cannot alias). */
            char *buf = s->buf;
            size_t pos = s->pos, len = s->len;

            for (;;) {
                size_t n;

                if (w == pos) {
                    if (csv_windows(buf, len, b, &pos, &fstart, &done) != 0)
                        goto nomem;
                    w = pos;
                }
                n = (size_t)(csv_special(buf + pos, end) - (buf + pos));

                if (w != pos) /* after a closing quote: the field moved down */
                    memmove(buf + w, buf + pos, n);
                w += n;
                pos += n;
                if (pos == len)
                    break; /* the loop top reads more */
                c = buf[pos++];
                if (c == '"') {
                    if (!bad)
                        bad = BAD_QUOTE;
                    buf[w++] = '"';
                    break;
                }
                if (field_end(buf, b, fstart, w) != 0)
                    goto nomem;
                done += w - fstart + 1;
                fstart = w = pos;
                if (c != ',') {
                    s->pos = pos;
                    s->skip_lf = c == '\r';
                    goto record_end;
                }
                /* The next field, on here unless the loop top has something to do. */
                st = ST_START;
                if (pos == len || done > CLI_STREAM_MAX_RECORD || buf[pos] == '"')
                    break;
                st = ST_UNQUOTED;
            }
            s->pos = pos;
            continue;
        }
        case ST_QUOTED: {
            const char *q = memchr(p, '"', (size_t)(end - p));
            size_t n;

            if (!q)
                q = end;
            n = (size_t)(q - p);
            if (w != s->pos)
                memmove(s->buf + w, p, n); /* after a doubled quote */
            w += n;
            s->pos += n;
            if (q < end) {
                s->pos++;
                st = ST_QUOTE;
            }
            continue;
        }
        case ST_QUOTE:
            c = *p;
            if (c == '"') {
                s->pos++;
                s->buf[w++] = '"';
                st = ST_QUOTED;
                continue;
            }
            if (c == ',' || c == '\r' || c == '\n') {
                s->pos++;
                if (field_end(s->buf, b, fstart, w) != 0)
                    goto nomem;
                done += w - fstart + 1;
                fstart = w = s->pos;
                if (c == ',') {
                    st = ST_START;
                    continue;
                }
                s->skip_lf = c == '\r';
                goto record_end;
            }
            if (!bad)
                bad = BAD_AFTER_QUOTE;
            st = ST_UNQUOTED;
            continue;
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
    if (field_end(s->buf, b, fstart, w) != 0) /* w <= len: buf has room for a NUL after its text */
        goto nomem;
record_end:
    if (b->nfields - first == 1 && b->fields[first].len == 0 && !bad) {
        /* A blank line: not a row of data (Excel still counts it). */
        b->nfields = first;
    } else if (rec_push(b, first, s->row, bad) != 0) {
        goto nomem;
    }
    s->row++;
    return 1;
nomem:
    cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
    return FISC_ENOMEM;
}

/*
 * Give @p b the text its fields point into, buf[base..pos] (buf[pos] may be the NUL of a last
 * field without a line end), copying the shorter of it and what follows it (text, and raw bytes
 * not decoded yet): a long block swaps buffers with the stream, which keeps a copy of that rest;
 * a short one (the header) is copied out. @return 0, or -1 when out of memory.
 */
static int hand_over(cli_stream *s, cli_block *b, size_t base)
{
    size_t span = s->pos - base, rest = s->len - s->pos + s->raw_len, cap, i;
    char *t;

    if (!s->buf)
        return 0; /* nothing was read */
    if (span <= rest) {
        if (text_room(b, span) != 0)
            return -1;
        memcpy(b->text, s->buf + base, span + 1);
        for (i = 0; i < b->nfields; i++)
            b->fields[i].off -= base;
        b->tlen = span;
        return 0;
    }
    if (text_room(b, rest) != 0)
        return -1;
    memcpy(b->text, s->buf + s->pos, rest);
    t = b->text;
    cap = b->tcap;
    b->text = s->buf;
    b->tcap = s->cap;
    b->tlen = s->pos;
    s->buf = t;
    s->cap = cap;
    s->len -= s->pos;
    s->pos = 0;
    return 0;
}

int cli_stream_csv_block(cli_stream *s, cli_block *b, size_t max, fisc_error *err)
{
    size_t base = s->pos; /* the block's text begins here */
    int rc = FISC_OK;

    block_reset(b);
    if (base > s->len + s->raw_len - base) {
        /* More consumed text than text to come (after short blocks): drop it, so that the
         * buffer stays about a chunk and a block long; each byte moves at most once this way. */
        drop_consumed(s);
        base = 0;
    }
    while (b->nrecs < max) {
        int why = csv_fast_records(s, b, max);

        if (why < 0) {
            cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
            rc = FISC_ENOMEM;
            break;
        }
        /* A block also ends with the text read so far: then the stream keeps only the record
         * that runs past it, and need not copy the text after the block. */
        if (why == FAST_FULL || (why == FAST_TEXT_END && b->nrecs > 0))
            break;
        rc = csv_record(s, b, err);
        if (rc <= 0)
            break;
        rc = FISC_OK;
    }
    /* Also after an error: the records read before it are still evaluated. */
    if (hand_over(s, b, base) != 0) {
        block_reset(b);
        cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
        return FISC_ENOMEM;
    }
    mark_bad_text(s, b);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* JSON Lines */

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
                drop_consumed(s); /* lines are copied into the block */
                rc = fill(s, err);
                if (rc < 0) {
                    mark_bad_text(s, b);
                    return row_error(s, rc, err);
                }
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
                mark_bad_text(s, b);
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
            if (field_push(b, start, b->tlen - start) != 0 || text_put(b, "", 1) != 0
                || rec_push(b, first, s->row, NULL) != 0)
                goto nomem;
        }
        s->row++;
    }
    mark_bad_text(s, b);
    return FISC_OK;
nomem:
    cli_error_set(err, FISC_ENOMEM, s->source, -1, -1, "out of memory reading the input");
    return FISC_ENOMEM;
}
