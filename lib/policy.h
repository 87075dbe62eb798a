/*
 * Private interface of the policy module: the loaded structures the engine and programs read.
 */
#ifndef FISC_LIB_POLICY_H
#define FISC_LIB_POLICY_H

#include <stdatomic.h>

#include "arena.h"
#include "facts.h"
#include "fisc_private.h"

/* What a parameter's unit means for its values. */
typedef enum fiscp_unit {
    UNIT_YUAN,     /* 元: plain decimal */
    UNIT_WAN,      /* 万元: plain decimal, ×10000 to 元 */
    UNIT_RATE,     /* a fraction: "25%", "1/4" or "0.25" */
    UNIT_POINTS,   /* 百分点: plain decimal, /100 to a rate */
    UNIT_DAYS,     /* whole number */
    UNIT_COUNT,    /* whole number */
    UNIT_YEARS,    /* whole number */
    UNIT_BOOL,     /* yes / no */
    UNIT_ENUM      /* a value of a named enumeration */
} fiscp_unit;

enum { SCALE_MARGINAL, SCALE_WHOLE };

typedef struct fiscp_bracket {
    fisc_decimal up_to;   /* inclusive upper bound of the bracket */
    fisc_decimal up_to_in_unit; /* up_to in 元 when the basis is 万元, else equal to up_to (set at load) */
    int open;             /* the last bracket: no upper bound */
    fisc_decimal rate;
} fiscp_bracket;

typedef struct fiscp_row {
    const char **keys;    /* one value per table key */
    fisc_decimal value;
    fisc_decimal in_unit; /* value in the programs' unit (fiscp_policy_in_unit), set at load */
} fiscp_row;

typedef struct fiscp_entry {
    fisc_param_entry pub;  /* strings in the policy arena */
    fiscp_date from, to;   /* to = 99991231 when open-ended */
    fisc_decimal value;    /* FISC_PARAM_VALUE */
    fisc_decimal in_unit;  /* value in the programs' unit (fiscp_policy_in_unit), set at load */
    fisc_used_param used;  /* what an item that reads this entry records (set at load) */
    size_t nbrackets;      /* FISC_PARAM_SCALE */
    fiscp_bracket *brackets;
    size_t nrows;          /* FISC_PARAM_TABLE */
    fiscp_row *rows;
} fiscp_entry;

struct fisc_param {
    const char *id;
    const char *label_zh, *label_en;
    const char *unit_name;
    fiscp_unit unit;
    int kind;              /* fisc_param_kind */
    int semantics;         /* scales: SCALE_MARGINAL or SCALE_WHOLE */
    const char *basis;     /* scales: unit name of the thresholds */
    size_t nkeys;          /* tables: the enumeration names of the keys */
    const char **keys;
    size_t nentries, alloc;
    fiscp_entry *entries;
    const char *layer;     /* id of the layer that defined it */
};

typedef struct fiscp_program_conf {
    const char *id;
    const struct fiscp_program *program;   /* from the registry */
    const fisc_param **params;             /* the program's parameters, resolved at load */
    const char *title_zh, *title_en;
    fisc_round rounding;
    fisc_decimal unit;     /* rounding unit, e.g. 0.01 */
    /* k when unit is 10^-k (0.01: 2), else -1, decided at load; fiscp_round reads it for registry
       programs only (an agreement's conf does not set it) */
    int round_places;
    const char *rounding_name;
    const char *layer;
    /* the informative amounts of this program that later enabled programs read (their `reads`),
       which a summary evaluation records: set at load (policy.c); none for an agreement */
    const struct fiscp_kept *kept;
    size_t nkept;
} fiscp_program_conf;

typedef struct fiscp_kept {
    const char *name;
    size_t len;
} fiscp_kept;

typedef struct fiscp_enum {
    const char *name;
    size_t n;
    const char **values;
} fiscp_enum;

struct fisc_policy {
    _Atomic long refs;      /* the caller's reference and one per live result */
    fiscp_arena arena;
    size_t nlayers;
    fisc_layer_info *layers;
    size_t nparams, params_alloc;
    fisc_param **params;   /* sorted by id once loading is done */
    size_t nprograms, programs_alloc;
    fiscp_program_conf *programs;
    size_t nenums, enums_alloc;
    fiscp_enum *enums;
    char hash[65];         /* SHA-256 over the layers' hashes, in order */
};

/* Take and drop a reference (a result keeps its policy alive). */
void fiscp_policy_ref(const fisc_policy *p);
void fiscp_policy_unref(const fisc_policy *p);

/* The enumeration named name, or NULL. */
const fiscp_enum *fiscp_policy_find_enum(const fisc_policy *p, const char *name);
/* The index of value v in enumeration e, or -1. */
int fiscp_enum_index(const fiscp_enum *e, const char *v);

/* The entry of a parameter in force on a date, or NULL. */
const fiscp_entry *fiscp_param_entry_on(const fisc_param *q, fiscp_date date);

/* The loader on an in-memory text (tests and the fuzz harness). */
fisc_status fiscp_policy_load_texts(fisc_policy **out, const char *const *names, const char *const *texts,
                                    const size_t *lens, size_t n, const char *overlay_name,
                                    const char *overlay_text, size_t overlay_len, fisc_error *err);

#endif
