/* RFC 4180 CSV reading (with encoding detection) and writing: see cli_csv.h. */
#include "cli_csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_csv_init(cli_csv *csv)
{
    memset(csv, 0, sizeof(*csv));
    csv->encoding = "UTF-8";
}

void cli_csv_free(cli_csv *csv)
{
    free(csv->text);
    free(csv->fields);
    free(csv->rows);
    cli_csv_init(csv);
}

const char *cli_csv_field(const cli_csv *csv, size_t r, size_t i)
{
    if (r >= csv->nrows || i >= csv->rows[r].nfields)
        return NULL;
    return csv->text + csv->fields[csv->rows[r].first + i];
}

int cli_csv_row_blank(const cli_csv *csv, size_t r)
{
    return csv->rows[r].nfields == 1 && cli_csv_field(csv, r, 0)[0] == '\0';
}

/*
 * The Excel row holding byte @p off: records end at a line break outside quotes. Safe on raw
 * GB18030 bytes too, whose multibyte characters never contain '"', CR or LF (conventions.md §5).
 */
static long row_at(const char *data, size_t len, size_t off)
{
    long row = 1;
    int quoted = 0;
    size_t i;

    for (i = 0; i < off && i < len; i++) {
        char c = data[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || (c == '\r' && (i + 1 >= len || data[i + 1] != '\n'))))
            row++;
    }
    return row;
}

/*
 * Convert GB18030 bytes to UTF-8 with glibc iconv into a new malloc() block *out (NUL-terminated).
 * @p in is not modified; it is not const only because POSIX iconv() takes a char **.
 */
static int gb18030_to_utf8(char *in, size_t len, char **out, size_t *out_len,
                           const char *source, fisc_error *err)
{
    iconv_t cd;
    size_t cap = len + len / 2 + 16, inleft = len, outleft;
    char *buf, *ip = in, *op;

    cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        cli_error_set(err, FISC_EPARSE, source, -1, -1,
                      "the input is not UTF-8, and this system's iconv has no GB18030 converter");
        return FISC_EPARSE;
    }
    buf = malloc(cap + 1);
    if (!buf) {
        iconv_close(cd);
        cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory decoding the input");
        return FISC_ENOMEM;
    }
    op = buf;
    outleft = cap;
    while (inleft > 0) {
        if (iconv(cd, &ip, &inleft, &op, &outleft) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            /* Cannot happen with cap >= 1.5 * len, but grow rather than fail. */
            size_t used = (size_t)(op - buf);
            char *p = cap < CLI_CSV_MAX_BYTES * 4 ? realloc(buf, cap * 2 + 1) : NULL;
            if (!p) {
                free(buf);
                iconv_close(cd);
                cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory decoding the input");
                return FISC_ENOMEM;
            }
            buf = p;
            cap *= 2;
            op = buf + used;
            outleft = cap - used;
            continue;
        }
        {
            size_t off = (size_t)(ip - in);
            free(buf);
            iconv_close(cd);
            cli_error_set(err, FISC_EPARSE, source, (int)row_at(in, len, off), -1,
                          "row %ld: the input is neither UTF-8 nor GB18030 (bad byte 0x%02X at "
                          "offset %zu); save the file as CSV UTF-8 or as GBK/GB18030",
                          row_at(in, len, off), (unsigned)(unsigned char)in[off], off);
            return FISC_EPARSE;
        }
    }
    iconv_close(cd);
    *op = '\0';
    *out = buf;
    *out_len = (size_t)(op - buf);
    return FISC_OK;
}

static int push_field(cli_csv *csv, size_t off, const char *source, fisc_error *err)
{
    if (csv->nfields == csv->fields_cap) {
        size_t ncap = csv->fields_cap ? csv->fields_cap * 2 : 64;
        size_t *p;
        if (csv->nfields >= CLI_CSV_MAX_FIELDS) {
            cli_error_set(err, FISC_ERANGE, source, -1, -1,
                          "the input has more than %zu fields in all", CLI_CSV_MAX_FIELDS);
            return FISC_ERANGE;
        }
        if (ncap > CLI_CSV_MAX_FIELDS)
            ncap = CLI_CSV_MAX_FIELDS;
        p = realloc(csv->fields, ncap * sizeof(*p));
        if (!p) {
            cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory parsing the input");
            return FISC_ENOMEM;
        }
        csv->fields = p;
        csv->fields_cap = ncap;
    }
    csv->fields[csv->nfields++] = off;
    return FISC_OK;
}

static int push_row(cli_csv *csv, size_t first, long row, const char *source, fisc_error *err)
{
    if (csv->nrows == csv->rows_cap) {
        size_t ncap = csv->rows_cap ? csv->rows_cap * 2 : 64;
        cli_csv_row *p;
        if (csv->nrows >= CLI_CSV_MAX_ROWS) {
            cli_error_set(err, FISC_ERANGE, source, (int)row, -1,
                          "the input has more than %zu rows; split it into smaller files",
                          CLI_CSV_MAX_ROWS);
            return FISC_ERANGE;
        }
        if (ncap > CLI_CSV_MAX_ROWS)
            ncap = CLI_CSV_MAX_ROWS;
        p = realloc(csv->rows, ncap * sizeof(*p));
        if (!p) {
            cli_error_set(err, FISC_ENOMEM, source, -1, -1, "out of memory parsing the input");
            return FISC_ENOMEM;
        }
        csv->rows = p;
        csv->rows_cap = ncap;
    }
    csv->rows[csv->nrows].first = first;
    csv->rows[csv->nrows].nfields = csv->nfields - first;
    csv->rows[csv->nrows].row = row;
    csv->nrows++;
    return FISC_OK;
}

/*
 * Split csv->text (len bytes, NUL after them) into records in place: a field's unquoted
 * content is written from its first byte on and ends with a NUL where its delimiter was, so
 * the write position never passes the read position.
 */
static int parse_records(cli_csv *csv, size_t len, const char *source, fisc_error *err)
{
    char *t = csv->text;
    size_t i = 0, w = 0;
    long row = 1;
    int rc;

    while (i < len) {
        size_t first = csv->nfields;
        int col = 0;

        for (;;) { /* one field per iteration */
            size_t start = w;
            col++;
            if (t[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        cli_error_set(err, FISC_EPARSE, source, (int)row, col,
                                      "row %ld, column %d: a quoted field is not closed (a '\"' is "
                                      "missing before the end of the file)", row, col);
                        return FISC_EPARSE;
                    }
                    if (t[i] == '"') {
                        if (i + 1 < len && t[i + 1] == '"') {
                            t[w++] = '"';
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    t[w++] = t[i++];
                }
                if (i < len && t[i] != ',' && t[i] != '\r' && t[i] != '\n') {
                    cli_error_set(err, FISC_EPARSE, source, (int)row, col,
                                  "row %ld, column %d: unexpected text after a closing quote (a "
                                  "quote inside a quoted field must be doubled: \"\")", row, col);
                    return FISC_EPARSE;
                }
            } else {
                while (i < len && t[i] != ',' && t[i] != '\r' && t[i] != '\n') {
                    if (t[i] == '"') {
                        cli_error_set(err, FISC_EPARSE, source, (int)row, col,
                                      "row %ld, column %d: a quote inside an unquoted field (quote "
                                      "the whole field and double the quote: \"a\"\"b\")", row, col);
                        return FISC_EPARSE;
                    }
                    t[w++] = t[i++];
                }
            }
            /* w <= i here, and t[i] (or the NUL at t[len]) is the delimiter we overwrite. */
            rc = push_field(csv, start, source, err);
            if (rc != FISC_OK)
                return rc;
            if (i < len && t[i] == ',') {
                t[w++] = '\0';
                i++;
                if (i >= len) { /* "a,b," at the very end: one more, empty field */
                    t[w] = '\0';
                    rc = push_field(csv, w, source, err);
                    if (rc != FISC_OK)
                        return rc;
                    w++;
                    break;
                }
                continue;
            }
            {
                /* Read the line end before the NUL goes in: w may equal i. */
                char d = i < len ? t[i] : '\0';
                t[w++] = '\0';
                if (d == '\r') {
                    i++;
                    if (i < len && t[i] == '\n')
                        i++;
                } else if (d == '\n') {
                    i++;
                }
            }
            break;
        }
        rc = push_row(csv, first, row, source, err);
        if (rc != FISC_OK)
            return rc;
        row++;
    }
    return FISC_OK;
}

int cli_csv_parse_bytes(cli_csv *csv, char *data, size_t len, const char *source, fisc_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t off;
    char *nul;

    csv->encoding = "UTF-8";
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        free(data);
        cli_error_set(err, FISC_EPARSE, source, -1, -1,
                      "the input is UTF-16, which is not supported; save it as CSV UTF-8 "
                      "(or GBK/GB18030)");
        return FISC_EPARSE;
    }
    nul = memchr(data, '\0', len);
    if (nul) {
        off = (size_t)(nul - data);
        cli_error_set(err, FISC_EPARSE, source, (int)row_at(data, len, off), -1,
                      "row %ld: the input holds a NUL byte (offset %zu): it is not a text CSV file",
                      row_at(data, len, off), off);
        free(data);
        return FISC_EPARSE;
    }
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        /* An explicit BOM wins (conventions.md §5); the text must then be UTF-8. */
        memmove(data, data + 3, len - 3 + 1);
        len -= 3;
        csv->encoding = "UTF-8 with BOM";
        off = cli_utf8_valid_prefix(data, len);
        if (off < len) {
            cli_error_set(err, FISC_EPARSE, source, (int)row_at(data, len, off), -1,
                          "row %ld: the file starts with a UTF-8 byte order mark but holds invalid "
                          "UTF-8 (byte 0x%02X at offset %zu after the mark)",
                          row_at(data, len, off), (unsigned)(unsigned char)data[off], off);
            free(data);
            return FISC_EPARSE;
        }
    } else if (cli_utf8_valid_prefix(data, len) < len) {
        /* Trying GB18030 only after strict UTF-8 fails: it decodes almost any bytes. */
        char *dec;
        size_t dlen;
        int rc = gb18030_to_utf8(data, len, &dec, &dlen, source, err);
        free(data);
        if (rc != FISC_OK)
            return rc;
        data = dec;
        len = dlen;
        csv->encoding = "GB18030";
    }
    csv->text = data;
    return parse_records(csv, len, source, err);
}

int cli_csv_read(cli_csv *csv, const char *path, const char *source, fisc_error *err)
{
    char *data;
    size_t len;
    int rc = cli_read_input(path, source, CLI_CSV_MAX_BYTES, &data, &len, err);

    if (rc != FISC_OK)
        return rc;
    return cli_csv_parse_bytes(csv, data, len, source, err);
}

/* 1 when a spreadsheet would read @p s as a formula: it begins with = + @ TAB CR, or with - and is
 * not a number ("-12.50" stays a number). */
static int formula_like(const char *s)
{
    const char *p;

    if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')
        return 1;
    if (s[0] != '-' || s[1] == '\0')
        return 0;
    for (p = s + 1; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return 1;
    return 0;
}

void cli_csv_put_field(cli_buf *b, const char *s, int first_in_row)
{
    size_t len = strlen(s);
    int quote = len > 0 && (s[0] == ' ' || s[len - 1] == ' ');
    int guard = formula_like(s);

    if (!first_in_row)
        cli_buf_put(b, ",", 1);
    if (!quote && strpbrk(s, ",\"\r\n") == NULL) {
        if (guard)
            cli_buf_put(b, "'", 1);
        cli_buf_put(b, s, len);
        return;
    }
    cli_buf_put(b, "\"", 1);
    if (guard)
        cli_buf_put(b, "'", 1);
    for (;;) {
        const char *q = strchr(s, '"');
        if (!q) {
            cli_buf_puts(b, s);
            break;
        }
        cli_buf_put(b, s, (size_t)(q - s) + 1);
        cli_buf_put(b, "\"", 1);
        s = q + 1;
    }
    cli_buf_put(b, "\"", 1);
}

void cli_csv_end_row(cli_buf *b)
{
    cli_buf_put(b, "\r\n", 2);
}
