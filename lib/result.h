/* Private interface of results: the structure the engine fills and the serializers read. */
#ifndef FISC_LIB_RESULT_H
#define FISC_LIB_RESULT_H

#include "arena.h"
#include "facts.h"
#include "fisc_private.h"

typedef struct fiscp_item_arrays fiscp_item_arrays;

struct fisc_result {
    fiscp_arena arena;
    size_t nitems, items_alloc;
    fisc_item *items;
    fisc_decimal totals[FISC_CATEGORY_COUNT];
    int provisional;
    int year, quarter;
    fiscp_date date;
    const fisc_policy *policy;       /* a reference is held: the layers and hash are borrowed */
    /*
     * A reused result (fisc_evaluate_into) remembers which entry of each program's parameters is in
     * force on resolved_date, by program then parameter index: NULL not looked up yet,
     * fiscp_no_entry none in force. Emptied when the policy or the date changes.
     */
    const struct fiscp_entry **resolved;
    size_t nresolved;
    fiscp_date resolved_date;
    /*
     * A reused result's arrays for the items of its policy's programs, one set per program (about
     * 8 KB each, evaluate.c), kept from evaluation to evaluation: the first kept_items items write
     * there and nothing is copied. Dropped when the policy changes.
     */
    fiscp_item_arrays *arrays;
    size_t narrays, kept_items;
    /* bit k: totals[k] has had an amount added since the result was emptied; the others hold 0 as
       initialised, with nothing to clear */
    unsigned totals_set;
};

extern const struct fiscp_entry fiscp_no_entry;

/* Free r->arrays and what their values hold (evaluate.c). */
void fiscp_result_drop_arrays(fisc_result *r);

fisc_status fiscp_result_new(fisc_result **out, const fisc_policy *p, int year, int quarter, fisc_error *err);
/* Empty r for another evaluation (of p, year, quarter), keeping its memory. Never fails. */
void fiscp_result_reset(fisc_result *r, const fisc_policy *p, int year, int quarter);

#endif
