/*
 * Streaming input for `fisc batch`: a file (or standard input) read in chunks, decoded to UTF-8
 * as it comes, and split into CSV records or JSON Lines a block at a time, so that memory stays
 * flat whatever the input size. Not part of the library API.
 *
 * Encoding (conventions.md §5, as cli_csv.c decides it for a whole file): a UTF-8 BOM means
 * UTF-8 (the mark is dropped); a UTF-16 BOM or a NUL byte is refused; otherwise the input is
 * ASCII until its first non-ASCII byte, and the chunk holding that byte decides (with the next
 * one too when fewer than 256 bytes follow that byte in it): strict UTF-8 if it is valid UTF-8
 * from there on; else GB18030 through iconv when it has fewer bad places as GB18030 than as
 * UTF-8 (a GBK file has none), else UTF-8 (choose_encoding()). A multibyte sequence split
 * across two chunks is carried over, in either encoding. A byte that is not valid in the
 * encoding chosen makes its record bad (cli_rec::bad is CLI_BAD_UTF8 or CLI_BAD_GB18030, and
 * the byte stays in the record's text, for the message) and the records after it are read: a
 * stray byte is one bad row, as a bad number is.
 *
 * CSV: RFC 4180 records (quoted fields, doubled quotes, quoted line breaks, CRLF, LF or CR
 * line ends), numbered as Excel shows them (the first record, the header, is row 1; a record
 * with a quoted line break is one row). A quote inside an unquoted field, or text after a
 * closing quote, makes that record bad (it is kept, with the reason) rather than stopping the
 * input; a quoted field still open at the end of the input stops it.
 */
#ifndef FISC_CLI_STREAM_H
#define FISC_CLI_STREAM_H

#include <stddef.h>
#include <stdio.h>

#include <fisc/fisc.h>

#include "cli_common.h"

/* Largest JSON line accepted (the library reads facts documents of at most 16 MiB). */
#define CLI_STREAM_MAX_LINE ((size_t)16 * 1024 * 1024)
/* Largest CSV record accepted, in bytes (a test build may make it tiny). */
#ifndef CLI_STREAM_MAX_RECORD
#define CLI_STREAM_MAX_RECORD ((size_t)16 * 1024 * 1024)
#endif

typedef struct cli_stream {
    FILE *f;
    int is_stdin;
    const char *source;   /* name for messages */
    unsigned char *raw;   /* scratch for converting from GB18030, raw_cap bytes */
    size_t raw_cap;
    size_t raw_len;       /* bytes read and not decoded yet (a split sequence), at buf[len..] */
    char *buf;            /* decoded UTF-8 text, buf[pos..len) not yet consumed; then raw bytes */
    size_t pos, len, cap;
    int eof;              /* the file is exhausted (buf may still hold text) */
    int started;          /* the BOM check is done */
    int enc;              /* 0 ASCII so far, 1 UTF-8, 2 GB18030 */
    void *cd;             /* iconv_t for GB18030, or NULL */
    fisc_error pending;   /* a decoding error met after the text in buf */
    unsigned long bad_bytes; /* bytes not valid in the encoding, passed into the text so far */
    int skip_lf;          /* the last record ended with CR: drop an LF that follows */
    long row;             /* number of the next record (CSV) or line (JSON Lines), 1-based */
} cli_stream;

/* Open @p path ("-": standard input). @return FISC_OK or CLI_EIO. */
int cli_stream_open(cli_stream *s, const char *path, const char *source, fisc_error *err);
void cli_stream_close(cli_stream *s);
/* "UTF-8", "UTF-8 with BOM", "GB18030", or "ASCII" (so far). Static storage. */
const char *cli_stream_encoding(const cli_stream *s);
/* "; the input was read as GBK/GB18030" when it was, else "": for a summary's first line, since a
 * file with no BOM can be read so by mistake (a Latin-1 file, say). Static storage. */
const char *cli_stream_encoding_note(const cli_stream *s);

/*
 * cli_rec::bad of a record holding a byte that is not valid in the input's encoding (UTF-8 or
 * GB18030, as detected). The byte is left in the record's text, so that the reader of the
 * record can name it and its column (cli_rows_read()); a key holding it is not a key.
 */
extern const char CLI_BAD_UTF8[];
extern const char CLI_BAD_GB18030[];

/* One record (CSV) or line (JSON Lines) of a block. */
typedef struct cli_rec {
    size_t first;     /* its first field in cli_block::fields */
    size_t nfields;   /* CSV: its fields; JSON Lines: 1 (the line) */
    long row;         /* row number (CSV: Excel's; JSON Lines: the line number) */
    const char *bad;  /* NULL, or why the record is malformed (static text) */
} cli_rec;

/*
 * One field of a block: where its text begins in cli_block::text (off), and its length (len). The
 * library's cell span, so that a record's fields go to fisc_facts_set_row() as they are.
 */
typedef fisc_fact_span cli_field;

/*
 * A block of records; its fields are NUL-terminated strings in text. For CSV, text is the
 * decoded input itself, split in place (an unquoted field is not copied): at the end of a block
 * the block takes the stream's buffer and the stream a copy of what follows, or, for a short
 * block such as the header, the block takes a copy of its records.
 */
typedef struct cli_block {
    char *text;
    size_t tlen, tcap;
    cli_field *fields;
    size_t nfields, fcap;
    cli_rec *recs;
    size_t nrecs, rcap;
} cli_block;

void cli_block_init(cli_block *b);
void cli_block_free(cli_block *b);

/* Field @p i of record @p r (NULL past its end) and its length. Inline: it is read per cell. */
static inline const char *cli_block_field(const cli_block *b, size_t r, size_t i, size_t *len)
{
    const cli_rec *rec = &b->recs[r];
    const cli_field *f;

    if (i >= rec->nfields) {
        *len = 0;
        return NULL;
    }
    f = &b->fields[rec->first + i];
    *len = f->len;
    return b->text + f->off;
}

/*
 * Read up to @p max CSV records into @p b (emptied first). A blank line (a record of one empty
 * field) is skipped. The records stay valid until the next call with @p b; reading into another
 * block does not touch them (the next block can be read while this one is evaluated).
 * @return FISC_OK (b->nrecs == 0 at the end of the input); FISC_EPARSE (a NUL byte, UTF-16, or a
 * quoted field open at the end), with the row; CLI_EIO; FISC_ERANGE (a record over
 * CLI_STREAM_MAX_RECORD); FISC_ENOMEM. After an error, b holds the records read before it.
 */
int cli_stream_csv_block(cli_stream *s, cli_block *b, size_t max, fisc_error *err);

/*
 * Read up to @p max non-blank lines into @p b (emptied first), each one record of one field
 * without its line end. @return as cli_stream_csv_block(); FISC_ERANGE for a line over
 * CLI_STREAM_MAX_LINE.
 */
int cli_stream_line_block(cli_stream *s, cli_block *b, size_t max, fisc_error *err);

#endif
