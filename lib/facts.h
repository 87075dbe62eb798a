/*
 * Private interface of the facts module: the vocabulary as an enum (so programs reach a fact
 * by index, not by name) and typed accessors, inline (a batch row reads ~55 facts). Programs use
 * these through the engine.
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

/*
 * The layout of a set of facts, here only so that the readers below are inline (a program reads ~55
 * facts a batch row); facts.c alone writes it. One fact is a slot holding a value of its type; its
 * memory outlives a clear (which only resets known[]), so a batch that sets the same facts row after
 * row allocates nothing once the buffers have grown. A QUARTERS slot's q->set means something only
 * while the fact is known.
 */
typedef struct fiscp_quarters {
    unsigned char set[4][2];    /* [quarter - 1][0 = start, 1 = end] known */
    fisc_decimal v[4][2];
} fiscp_quarters;

typedef struct fiscp_slot {
    unsigned char type;         /* the vocabulary entry's fisc_fact_type, or 0xFF (none: refused when set) */
    unsigned char range;        /* what its bounds ask of a value (facts.c: R_NONE ...) */
    unsigned char quick;        /* what fisc_facts_set_index() tries first (facts.c: Q_AMOUNT ...) */
    union {
        int64_t i;              /* BOOL 0/1, DATE YYYYMMDD, ENUM index */
        struct {
            char *text;         /* TEXT: owned, NUL-terminated, in a buffer of cap bytes */
            size_t cap;
        };
        fisc_decimal dec;       /* DECIMAL and INTEGER */
        fiscp_quarters *q;      /* QUARTERS: in the facts' own allocation */
    };
} fiscp_slot;

/* A vocabulary bound (fiscp_vocab.min or .max), parsed once. */
typedef struct fiscp_bound {
    int kind;            /* facts.c: B_NONE ... */
    int small;           /* 1: B_NONE, or coef / 10^scale is the value (B_ZERO, B_VALUE) */
    int64_t coef;        /* with small: the value in the quick path's form (scale 0..18) */
    int scale;
    fisc_decimal value;  /* B_VALUE */
} fiscp_bound;

struct fisc_facts {
    const fiscp_vocab *vocab;
    const fiscp_bound (*bounds)[2]; /* [i][0 = min, 1 = max]: the built-in table's (shared) or own */
    fiscp_bound (*own)[2];     /* bounds of another table, parsed when the set was made, or NULL */
    size_t n;
    unsigned char *known;      /* [n]: FISCP_KNOWN(type) for a fact set (QUARTERS: one of its values is), else 0 */
    fiscp_slot s[];
};

/* The bit of a type in fisc_facts.known: a typed read is one test. */
#define FISCP_KNOWN(type) (1u << (type))

/* The slot of fact id if it is known with one of the types in bits, else NULL: one index, one test. */
static FISCP_ALWAYS_INLINE const fiscp_slot *fiscp_known_as(const fisc_facts *f, fiscp_fact id, unsigned bits)
{
    if (!f || (size_t)id >= f->n || !(f->known[id] & bits))
        return NULL;
    return &f->s[id];
}

/* Readers, inline: NULL / 0 when the fact is not set (or f is NULL, or id is not in its vocabulary). */
static FISCP_ALWAYS_INLINE const fisc_decimal *fiscp_fact_decimal(const fisc_facts *f, fiscp_fact id)
{
    const fiscp_slot *s = fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_DECIMAL) | FISCP_KNOWN(FISC_FACT_INTEGER));

    return s ? &s->dec : NULL; /* DECIMAL and INTEGER */
}

static FISCP_ALWAYS_INLINE int fiscp_fact_bool(const fisc_facts *f, fiscp_fact id, int *out)
{
    const fiscp_slot *s = fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_BOOL));

    if (s && out)
        *out = s->i != 0;
    return s != NULL;
}

static FISCP_ALWAYS_INLINE int fiscp_fact_date(const fisc_facts *f, fiscp_fact id, fiscp_date *out)
{
    const fiscp_slot *s = fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_DATE));

    if (s && out)
        *out = (fiscp_date)s->i;
    return s != NULL;
}

static FISCP_ALWAYS_INLINE int fiscp_fact_enum(const fisc_facts *f, fiscp_fact id, int *index_out)
{
    const fiscp_slot *s = fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_ENUM));

    if (s && index_out)
        *index_out = (int)s->i;
    return s != NULL;
}

static FISCP_ALWAYS_INLINE const char *fiscp_fact_text(const fisc_facts *f, fiscp_fact id)
{
    const fiscp_slot *s = fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_TEXT));

    return s ? s->text : NULL;
}

/* 1 when the QUARTERS fact id is set (some quarter may have a value), else 0: one test where a loop
   over fiscp_fact_quarter() would make eight calls to find nothing. */
static FISCP_ALWAYS_INLINE int fiscp_fact_quarters_known(const fisc_facts *f, fiscp_fact id)
{
    return fiscp_known_as(f, id, FISCP_KNOWN(FISC_FACT_QUARTERS)) != NULL;
}

/* Quarter q (1..4), its start (end = 0) or end (end = 1) value, or NULL when not set. */
const fisc_decimal *fiscp_fact_quarter(const fisc_facts *f, fiscp_fact id, int q, int end);

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
