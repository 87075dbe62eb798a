/**
 * @file fisc/apportion.h
 * @brief Split a total into parts exactly: by weights, or pro rata when requests exceed a budget.
 * @defgroup fisc_apportion Apportionment
 * @{
 *
 * Two uses:
 * - FISC_APPORTION_WEIGHTS: the whole total is split in proportion to the weights.
 * - FISC_APPORTION_PRORATA: each part is a request. If the requests fit in the total (a
 *   budget), each part gets its request and the rest of the budget is unallocated; if they
 *   exceed it, every request is scaled down by the same ratio (同比例核减).
 *
 * Parts are multiples of a unit (0.01, i.e. 分, by default). A part may have a cap; what a
 * capped part cannot take goes to the others in proportion to their weights (caps below the
 * unit are floored to it). Each part first gets its exact share rounded down to the unit; the
 * units left over then go out by the remainder rule:
 * - FISC_REMAINDER_LARGEST (default): one unit each, largest dropped fraction first;
 * - FISC_REMAINDER_FIRST: all to the first part in tie order that has room;
 * - FISC_REMAINDER_SEPARATE: not allocated; reported by fisc_apportion_remainder().
 * Ties go by the caller's order (fisc_apportion_options::order), else by insertion order.
 *
 * The parts, the remainder and the unallocated amount always add up exactly to the total.
 * The unallocated amount is non-zero only when the caps (or, pro rata, the requests) cannot
 * absorb the total. With the largest-remainder rule each part is within one unit of its exact
 * share unless a cap holds it.
 */
#ifndef FISC_APPORTION_H
#define FISC_APPORTION_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"

FISC_BEGIN_DECL

/** What the parts mean. Values pinned. */
typedef enum fisc_apportion_mode {
    FISC_APPORTION_WEIGHTS = 0,  /**< split the whole total by weight */
    FISC_APPORTION_PRORATA = 1   /**< parts are requests; scale them down only when over budget */
} fisc_apportion_mode;

/** Where units left after rounding down go. Values pinned. */
typedef enum fisc_remainder {
    FISC_REMAINDER_LARGEST = 0,  /**< largest remainder method (Hamilton) */
    FISC_REMAINDER_FIRST = 1,    /**< all to the first part in tie order */
    FISC_REMAINDER_SEPARATE = 2  /**< kept out of the parts and reported */
} fisc_remainder;

/** Version of ::fisc_apportion_options this header describes. */
#define FISC_APPORTION_OPTIONS_VERSION 1

/** Options. Transparent and versioned: only fields are ever appended. */
typedef struct fisc_apportion_options {
    unsigned int version;      /**< FISC_APPORTION_OPTIONS_VERSION */
    int mode;                  /**< a ::fisc_apportion_mode */
    int remainder;             /**< a ::fisc_remainder */
    const fisc_decimal *unit;  /**< positive; NULL means 0.01 (分). Borrowed for the call. */
    const size_t *order;       /**< tie order: a permutation of 0..n-1, first = first served; or NULL */
    size_t order_len;          /**< entries in order (must equal the number of parts) */
} fisc_apportion_options;

/** Static initializer: by weights, largest remainder, unit 0.01, insertion order. */
#define FISC_APPORTION_OPTIONS_INIT \
    { FISC_APPORTION_OPTIONS_VERSION, FISC_APPORTION_WEIGHTS, FISC_REMAINDER_LARGEST, NULL, NULL, 0 }

/** Initialise @p opts to FISC_APPORTION_OPTIONS_INIT. @return FISC_OK or FISC_EINVAL (version). */
FISC_API FISC_NODISCARD fisc_status fisc_apportion_options_init(fisc_apportion_options *opts,
                                                                unsigned int version);

/** An apportionment: parts added, then run, then read. */
typedef struct fisc_apportion fisc_apportion;

/**
 * Create an empty apportionment.
 * @param[out] out  the caller owns the result and must release it with fisc_apportion_free().
 * @return FISC_OK, FISC_EINVAL (out NULL) or FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_apportion_new(fisc_apportion **out, fisc_error *err);

/** Release an apportionment. Accepts NULL. */
FISC_API void fisc_apportion_free(fisc_apportion *ap);

/**
 * Add a part (its index is the number of parts added before it).
 * @param weight  a weight, or a request in pro-rata mode; not negative. Copied.
 * @param cap     the most this part may receive, not negative; NULL for no cap. Copied.
 * @return FISC_OK; FISC_EINVAL (negative weight or cap, with the part index in the text);
 *         FISC_ERANGE (more than 10 million parts); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_apportion_add(fisc_apportion *ap, const fisc_decimal *weight,
                                                       const fisc_decimal *cap, fisc_error *err);

/**
 * Apportion @p total over the parts added so far. May be called again (e.g. with other
 * options); each run replaces the previous results.
 * @param total  not negative; a multiple of the unit.
 * @param opts   options, or NULL for FISC_APPORTION_OPTIONS_INIT.
 * @return FISC_OK; FISC_EINVAL (no parts, negative total, total not a multiple of the unit,
 *         all weights zero with a positive total in weights mode, a bad option or order);
 *         FISC_ERANGE; FISC_ENOMEM. On error no results are readable.
 */
FISC_API FISC_NODISCARD fisc_status fisc_apportion_run(fisc_apportion *ap, const fisc_decimal *total,
                                                       const fisc_apportion_options *opts,
                                                       fisc_error *err);

/** Number of parts added. */
FISC_API size_t fisc_apportion_count(const fisc_apportion *ap);

/**
 * The amount allocated to part @p i by the last successful run.
 * @param[out] flags  optional: FISC_STATUS_CAPPED if the caller's cap held the part
 *                    (pro rata, receiving the whole request is not capping);
 *                    FISC_STATUS_INEXACT if the part differs from its exact share.
 * @return Borrowed: valid until @p ap is run again or freed. NULL when @p i is out of range
 *         or there is no successful run.
 */
FISC_API const fisc_decimal *fisc_apportion_part(const fisc_apportion *ap, size_t i,
                                                 uint32_t *flags);

/**
 * The exact (unrounded, possibly non-terminating) share of part @p i in the last run.
 * @return Borrowed, as fisc_apportion_part().
 */
FISC_API const fisc_decimal *fisc_apportion_exact_share(const fisc_apportion *ap, size_t i);

/**
 * What the caps (or, pro rata, the requests) could not absorb in the last run.
 * @return Borrowed, as fisc_apportion_part(); NULL when there is no successful run.
 */
FISC_API const fisc_decimal *fisc_apportion_unallocated(const fisc_apportion *ap);

/**
 * Units kept out of the parts by FISC_REMAINDER_SEPARATE (zero for the other rules).
 * @return Borrowed, as fisc_apportion_part(); NULL when there is no successful run.
 */
FISC_API const fisc_decimal *fisc_apportion_remainder(const fisc_apportion *ap);

FISC_END_DECL

/** @} */
#endif
