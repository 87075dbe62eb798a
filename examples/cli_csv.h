/*
 * An in-house RFC 4180 CSV reader and writer for the fisc command-line tool.
 *
 * Reading: the whole input is read (bounded by CLI_CSV_MAX_BYTES), decoded to UTF-8 in the
 * order of conventions.md §5 (UTF-8 BOM, then strict UTF-8, then GB18030 through iconv, else
 * an error; UTF-16 is refused), and split into records: quoted fields, doubled quotes, quoted
 * line breaks, and CRLF, LF or CR line ends. Rows are numbered as Excel shows them: the first
 * record (usually the header) is row 1, and a record with a quoted line break is one row.
 * Not part of the library API.
 */
#ifndef FISC_CLI_CSV_H
#define FISC_CLI_CSV_H

#include <stddef.h>

#include <fisc/fisc.h>

#include "cli_common.h"

/* Largest input accepted, in bytes. */
#define CLI_CSV_MAX_BYTES ((size_t)64 * 1024 * 1024)
/* Most records (rows, including the header and blank rows) accepted. */
#define CLI_CSV_MAX_ROWS ((size_t)1000000)
/* Most fields accepted in all rows together. */
#define CLI_CSV_MAX_FIELDS ((size_t)10000000)

/* One record. */
typedef struct cli_csv_row {
    size_t first;    /* index of its first field in cli_csv::fields */
    size_t nfields;  /* at least 1 (a blank line is one empty field) */
    long row;        /* Excel-style row number, 1-based */
} cli_csv_row;

/* A parsed CSV file. All strings are UTF-8 and NUL-terminated, owned by the structure. */
typedef struct cli_csv {
    char *text;            /* the decoded input, split in place into fields */
    size_t *fields;        /* offsets of the fields in text */
    size_t nfields, fields_cap;
    cli_csv_row *rows;
    size_t nrows, rows_cap;
    const char *encoding;  /* "UTF-8", "UTF-8 with BOM" or "GB18030" (static storage) */
} cli_csv;

void cli_csv_init(cli_csv *csv);
void cli_csv_free(cli_csv *csv);

/*
 * Read, decode and parse a CSV file; @p path "-" reads standard input.
 * @param source  the name used in error messages (err->source).
 * @return FISC_OK; CLI_EIO (cannot open or read); FISC_ERANGE (a size limit);
 *         FISC_EPARSE (bad encoding or CSV syntax, with row and column); FISC_ENOMEM.
 */
int cli_csv_read(cli_csv *csv, const char *path, const char *source, fisc_error *err);

/*
 * Decode @p len bytes in @p data (which has room for a NUL after them) to UTF-8 and parse them.
 * Takes ownership of @p data (a malloc() block) whatever the result.
 * @return as cli_csv_read().
 */
int cli_csv_parse_bytes(cli_csv *csv, char *data, size_t len, const char *source, fisc_error *err);

/* Field @p i of row @p r, or NULL when the row has fewer fields. */
const char *cli_csv_field(const cli_csv *csv, size_t r, size_t i);

/* 1 if row @p r is blank (a single empty field). */
int cli_csv_row_blank(const cli_csv *csv, size_t r);

/* Append one field to @p b, quoted when it holds a comma, quote, line break or edge space. A text
 * that a spreadsheet would run as a formula (it begins with = + @ TAB CR, or with - and is not a
 * number: an input's key such as =HYPERLINK(...)) is written with a leading ' so that it stays
 * text (the CSV outputs carry a BOM for Excel). */
void cli_csv_put_field(cli_buf *b, const char *s, int first_in_row);
/* End a row (CRLF, as RFC 4180 writes it). */
void cli_csv_end_row(cli_buf *b);

#endif
