/*
 * Private interface of the facts module: the vocabulary as an enum (so programs reach a fact
 * by index, not by name) and typed accessors. Programs use these through the engine.
 */
#ifndef FISC_LIB_FACTS_H
#define FISC_LIB_FACTS_H

#include "fisc_private.h"

/*
 * The vocabulary, one section per domain in lib/vocab/<domain>.def (each FACT(...) line gives the id,
 * name, type, unit, labels, enumeration values, help and range). The same lists build this enum
 * and fiscp_vocab_table (facts_vocab.c), so they cannot disagree.
 */
typedef enum fiscp_fact {
#define FACT(id, name, type, unit, zh, en, values, help, min, max) id,
#include "vocab/core.def"
#include "vocab/cit.def"
#include "vocab/rd.def"
#include "vocab/vat.def"
#include "vocab/six_taxes.def"
#include "vocab/incubator.def"
#include "vocab/individual.def"
#include "vocab/invest_land.def"
#include "vocab/finance.def"
#include "vocab/subsidy_zone.def"
#include "vocab/assessment.def"
#include "vocab/platform.def"
#undef FACT
    FACT_COUNT
} fiscp_fact;

typedef struct fiscp_vocab {
    fisc_fact_info info;
    const char *min;   /* smallest allowed value (decimal text), or NULL */
    const char *max;   /* largest allowed value (decimal text), or NULL */
} fiscp_vocab;

extern const fiscp_vocab fiscp_vocab_table[FACT_COUNT];

/* A date as the integer YYYYMMDD (ordered like the dates). */
typedef int32_t fiscp_date;

/* Accessors: NULL / 0 when the fact is not set. */
const fisc_decimal *fiscp_fact_decimal(const fisc_facts *f, fiscp_fact id); /* DECIMAL and INTEGER */
int fiscp_fact_bool(const fisc_facts *f, fiscp_fact id, int *out);
int fiscp_fact_date(const fisc_facts *f, fiscp_fact id, fiscp_date *out);
int fiscp_fact_enum(const fisc_facts *f, fiscp_fact id, int *index_out);
const char *fiscp_fact_text(const fisc_facts *f, fiscp_fact id);
/* Quarter q (1..4), its start (end = 0) or end (end = 1) value, or NULL when not set. */
const fisc_decimal *fiscp_fact_quarter(const fisc_facts *f, fiscp_fact id, int q, int end);
/* 1 when the QUARTERS fact id is set (some quarter may have a value), else 0: one test where a loop
   over fiscp_fact_quarter() would make eight calls to find nothing. */
int fiscp_fact_quarters_known(const fisc_facts *f, fiscp_fact id);

/*
 * A set of facts over another vocabulary table of n entries, and JSON read with it: what
 * fisc_facts_new() and fisc_facts_from_json() do with fiscp_vocab_table. Tests use a table
 * with the types the built-in vocabulary does not use yet (INTEGER, ENUM).
 */
fisc_status fiscp_facts_new_vocab(fisc_facts **out, const fiscp_vocab *table, size_t n, fisc_error *err);
fisc_status fiscp_facts_from_json_vocab(fisc_facts **out, const fiscp_vocab *table, size_t n,
                                        const char *json, size_t len, const char *source, fisc_error *err);

/* Parse "YYYY-MM-DD" (a real calendar date, 1900..2199). 1 on success. */
int fiscp_date_parse(fiscp_date *out, const char *text, size_t len);
/* Write "YYYY-MM-DD" into buf (at least 11 bytes). */
void fiscp_date_format(char *buf, fiscp_date d);
/* Days since 1970-01-01 and back, for date arithmetic (dates.c). */
long fiscp_date_days(fiscp_date d);
fiscp_date fiscp_date_from_days(long days);

#endif
