/**
 * @file fisc/facts.h
 * @brief Facts about an enterprise (or applicant, project, loan): typed values by name.
 * @defgroup fisc_facts Facts
 * @{
 *
 * The vocabulary (names, types, units, zh/en labels) is fixed by the library and listed by
 * fisc_fact_vocab_count() / fisc_fact_vocab_at(); docs/facts.md documents it. Facts come from
 * JSON (a bare JSON number is read from its exact text, never through a double) or are set one
 * by one. A fact that is not set is *unknown*: programs that need it say so.
 */
#ifndef FISC_FACTS_H
#define FISC_FACTS_H

#include "fisc/common.h"
#include "fisc/errors.h"

FISC_BEGIN_DECL

/** A set of facts. */
typedef struct fisc_facts fisc_facts;

/** Fact types. Values pinned. */
typedef enum fisc_fact_type {
    FISC_FACT_DECIMAL = 0,  /**< an exact decimal: a JSON number or a string ("1234.56", "15%") */
    FISC_FACT_INTEGER = 1,  /**< a whole number */
    FISC_FACT_BOOL = 2,     /**< true / false */
    FISC_FACT_DATE = 3,     /**< "YYYY-MM-DD" */
    FISC_FACT_ENUM = 4,     /**< one of a named set of values */
    FISC_FACT_TEXT = 5,     /**< UTF-8 text */
    FISC_FACT_QUARTERS = 6  /**< per quarter of the tax year: the value at quarter start and end */
} fisc_fact_type;

/** One vocabulary entry. Static storage. */
typedef struct fisc_fact_info {
    const char *name;       /**< e.g. "taxable_income" */
    int type;               /**< a ::fisc_fact_type */
    const char *unit;       /**< "元", "人", "" ... */
    const char *label_zh;   /**< e.g. "应纳税所得额" */
    const char *label_en;   /**< e.g. "Taxable income" */
    const char *values;     /**< for FISC_FACT_ENUM: the allowed values, '|'-separated; else "" */
    const char *help_en;    /**< one sentence: meaning, sign, period */
} fisc_fact_info;

/** Number of facts in the vocabulary. */
FISC_API size_t fisc_fact_vocab_count(void);
/** Vocabulary entry @p i, or NULL. Static storage. */
FISC_API const fisc_fact_info *fisc_fact_vocab_at(size_t i);
/** The vocabulary entry named @p name, or NULL. Static storage. */
FISC_API const fisc_fact_info *fisc_fact_vocab_find(const char *name);
/** The index (for fisc_fact_vocab_at() and fisc_facts_set_index()) of the fact named @p name, or -1. */
FISC_API long fisc_fact_vocab_index(const char *name);

/**
 * Create an empty set of facts.
 * @param[out] out  the caller owns the result and must release it with fisc_facts_free().
 * @return FISC_OK, FISC_EINVAL or FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_new(fisc_facts **out, fisc_error *err);

/** Release a set of facts. Accepts NULL. */
FISC_API void fisc_facts_free(fisc_facts *f);

/**
 * Read facts from a JSON object of @p len bytes (at most 16 MiB).
 *
 * Keys are vocabulary names. Numbers may be bare JSON numbers (read from their exact text; an
 * exponent such as 1e5 is refused) or strings (a decimal fact's string may also be "15%" or
 * "1/3"); booleans are bare JSON true/false; dates are "YYYY-MM-DD" strings (real dates, years
 * 1900 to 2199); quarters are an object {"Q1": {"start": N, "end": N}, ...}, where a missing
 * quarter or value is unknown; null means unknown. A key starting with "_" is a comment and is
 * ignored, at any level. The top level must be an object. A UTF-8 BOM is skipped; CRLF line
 * ends are fine. Positions are 1-based and count characters; a string is located at its
 * opening quote, an object or array value at its key. The "uscc" fact is checked (GB 32100)
 * and kept in its normalised form.
 *
 * @param[out] out    the caller owns the result and must release it with fisc_facts_free().
 * @param source      a name for messages (usually the file name), or NULL.
 * @param[out] err    on error: the source, line and column, the field in the text, and what is
 *                    wrong: a duplicate key, an unknown fact (with a "did you mean" suggestion),
 *                    a wrong type, or a value out of range.
 * @return FISC_OK; FISC_EPARSE (not JSON, empty, duplicate key); FISC_EINVAL (not an object,
 *         unknown fact, wrong type, out of range; also a NULL argument); FISC_ERANGE (more than
 *         16 MiB); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_from_json(fisc_facts **out, const char *json, size_t len,
                                                         const char *source, fisc_error *err);

/**
 * As fisc_facts_from_json() for a file, with @p path as the source. FISC_ENOTFOUND when it
 * cannot be opened or read (the message gives the path and the system's reason); FISC_ERANGE
 * when it is larger than 16 MiB.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_load_file(fisc_facts **out, const char *path,
                                                         fisc_error *err);

/**
 * Set one fact from text, as JSON would give it: a decimal ("2800000", "-1234.5", "15%", "1/3"),
 * an integer ("12"), a boolean ("true"/"false"), a date ("2023-05-01"), an enumeration value,
 * text, or for a per-quarter fact the form fisc_facts_get() writes ("Q1=120/200;Q3=?/5", which
 * replaces all four quarters; "" leaves all unknown). On error the fact is unchanged.
 * @p value may not be NULL: fisc_facts_unset() forgets a fact.
 * @return FISC_OK; FISC_EINVAL (unknown name, wrong type or out of range, named in the message);
 *         FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_set(fisc_facts *f, const char *name, const char *value,
                                                   fisc_error *err);

/**
 * Set one quarter of a FISC_FACT_QUARTERS fact: the values at its start and its end, as plain
 * decimals ("120", "32000000.50"), or NULL for unknown. Both replace the quarter's previous
 * values; the other quarters are kept. On error the fact is unchanged.
 * @param quarter  1 to 4.
 * @return as fisc_facts_set().
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_set_quarter(fisc_facts *f, const char *name, int quarter,
                                                           const char *start, const char *end,
                                                           fisc_error *err);

/**
 * As fisc_facts_set(), for the fact at vocabulary index @p index (fisc_fact_vocab_index()), from
 * @p len bytes of @p value (need not be NUL-terminated): a batch resolves its columns once and
 * sets each row's cells without looking names up.
 * @return as fisc_facts_set(); FISC_EINVAL also for an index outside the vocabulary.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_set_index(fisc_facts *f, size_t index, const char *value,
                                                         size_t len, fisc_error *err);

/** Where one cell of a row lies in the row's text (fisc_facts_set_row()). */
typedef struct fisc_fact_span {
    size_t off;  /**< its first byte is text[off] */
    size_t len;  /**< its length in bytes; 0 for an empty cell */
} fisc_fact_span;

/**
 * Set the cells of one row (a CSV record, say), as fisc_facts_set_index() would set them one by one,
 * in order: cell i, the @p cells[i].len bytes at @p text + @p cells[i].off (need not be
 * NUL-terminated), is the value of the fact at vocabulary index @p index[i]. A cell whose index is
 * negative (a column that is no fact) or whose length is 0 (an empty cell: the fact stays unknown) is
 * skipped. A batch resolves its columns to indexes once (fisc_fact_vocab_index()) and makes one call
 * per row, so that the checks are made once a row, not once a cell. The set is not cleared first
 * (fisc_facts_clear()). Stops at the first cell refused: the cells before it are set, the others not
 * (a fact refused keeps its previous value, as with fisc_facts_set_index()).
 * @param[out] failed_out  if not NULL: the position (0 to @p n - 1) of the cell refused; @p n when
 *                         every cell is set; 0 for a NULL argument.
 * @param index  @p n vocabulary indexes (negative: skip the cell); borrowed for the call.
 * @param text   the row's text; may be NULL when @p n is 0.
 * @param cells  @p n spans in @p text; borrowed for the call.
 * @param[out] err  for the cell refused, the error fisc_facts_set_index() gives for it.
 * @return FISC_OK; else as fisc_facts_set_index() for the cell refused; FISC_EINVAL also for a NULL
 *         argument or an index outside the vocabulary.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_set_row(size_t *failed_out, fisc_facts *f, const long *index,
                                                       const char *text, const fisc_fact_span *cells, size_t n,
                                                       fisc_error *err);

/** Forget every fact: the set is as new, its memory kept for the next row. Accepts NULL. */
FISC_API void fisc_facts_clear(fisc_facts *f);

/** Forget a fact (it becomes unknown). @return FISC_OK or FISC_EINVAL (unknown name). */
FISC_API FISC_NODISCARD fisc_status fisc_facts_unset(fisc_facts *f, const char *name, fisc_error *err);

/**
 * 1 if the fact is set, else 0 (also for names not in the vocabulary). A per-quarter fact is
 * set when at least one of its eight values is known.
 */
FISC_API int fisc_facts_has(const fisc_facts *f, const char *name);

/**
 * The value of a fact as canonical text, which fisc_facts_set() accepts back: decimals and
 * integers exact in the shortest form ("2800000", "1234.5", "0.15" for "15%", "1/3" for a value
 * that does not terminate); "true" / "false"; "2023-05-01"; the enumeration value; the text;
 * quarters as "Q1=120/200;Q3=?/5": the quarters with a known value, in order, separated by ';',
 * each "Q<n>=<start>/<end>" with "?" for an unknown value.
 * @param[out] out  the caller owns the result and must release it with fisc_string_free().
 * @return FISC_OK; FISC_ENOTFOUND (not set); FISC_EINVAL (unknown name); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_facts_get(char **out, const fisc_facts *f, const char *name,
                                                   fisc_error *err);

FISC_END_DECL

/** @} */
#endif
