/**
 * @file fisc/decimal.h
 * @brief Exact decimals and rationals: parse, arithmetic, rounding and formatting.
 * @defgroup fisc_decimal Exact decimals
 * @{
 *
 * A ::fisc_decimal holds an exact rational number. Values that fit are kept as a 128-bit
 * integer coefficient with a decimal scale, and a value that is not a terminating decimal
 * (2/3) as a fraction whose numerator and denominator fit 63 bits, so the common case (amounts,
 * rates, products, shares, roundings) never allocates; anything larger moves to GMP exactly and
 * moves back when it fits again.
 *
 * No binary floating point is used anywhere. Values cross the API as decimal strings.
 *
 * Lifecycle: a ::fisc_decimal is a caller-owned value. Initialise it once with
 * fisc_decimal_init(), clear it once with fisc_decimal_clear(). Never copy the structure
 * with `=` or memcpy (it may own memory): use fisc_decimal_set(). Any output argument may
 * also be an input argument (fisc_decimal_add(&x, &x, &y) is fine). Bindings that cannot
 * embed the structure use fisc_decimal_new() / fisc_decimal_free().
 *
 * Memory: fisc's own allocations fail with FISC_ENOMEM. GMP, used for values outside the
 * 128-bit fast path, terminates the process when its own allocation fails (GMP manual,
 * "Custom Allocation"); the size limits below keep such allocations small.
 *
 * Thread safety: functions touch only their arguments; distinct values may be used from
 * distinct threads at once.
 */
#ifndef FISC_DECIMAL_H
#define FISC_DECIMAL_H

#include "fisc/common.h"
#include "fisc/errors.h"

FISC_BEGIN_DECL

/** Most digits accepted before the decimal point (or in either side of a fraction). */
#define FISC_DECIMAL_MAX_INT_DIGITS 40
/** Most digits accepted after the decimal point. */
#define FISC_DECIMAL_MAX_FRAC_DIGITS 20
/**
 * Most bits in the numerator or denominator of any result. An operation whose exact result
 * would be larger fails with FISC_ERANGE, so hostile input cannot make GMP allocate without bound.
 */
#define FISC_DECIMAL_MAX_BITS 4096

/**
 * An exact rational number. The members are private: their meaning may change between
 * versions. Initialise with fisc_decimal_init() before any other use.
 */
typedef struct fisc_decimal {
    uint64_t lo_;     /**< private */
    uint64_t hi_;     /**< private */
    int32_t scale_;   /**< private */
    uint32_t kind_;   /**< private */
    void *big_;       /**< private */
} fisc_decimal;

/** Rounding modes. Values are pinned. */
typedef enum fisc_round {
    FISC_ROUND_HALF_UP = 0,   /**< 四舍五入: nearest, ties away from zero (symmetric); the money default */
    FISC_ROUND_HALF_EVEN = 1, /**< 四舍六入五成双 (GB/T 8170): nearest, ties to the even neighbour */
    FISC_ROUND_HALF_DOWN = 2, /**< nearest, ties toward zero */
    FISC_ROUND_DOWN = 3,      /**< 截位: toward zero */
    FISC_ROUND_UP = 4,        /**< away from zero */
    FISC_ROUND_CEILING = 5,   /**< toward positive infinity */
    FISC_ROUND_FLOOR = 6      /**< toward negative infinity */
} fisc_round;

/**
 * Status bits, OR-ed into a `uint32_t *status` argument. They are not errors: they tell an
 * auditor *that* something happened to a value.
 */
#define FISC_STATUS_ROUNDED 0x1u  /**< digits finer than the rounding unit were removed (maybe zeros) */
#define FISC_STATUS_INEXACT 0x2u  /**< the result differs from the exact value (a non-zero residue) */
#define FISC_STATUS_CAPPED 0x4u   /**< a ceiling (cap) limited the value */

/** Parse flags for fisc_decimal_parse(). */
#define FISC_PARSE_PLAIN 0x0u     /**< only `-?(0|[1-9][0-9]*)(\.[0-9]+)?` */
#define FISC_PARSE_PERCENT 0x1u   /**< also `N%`, meaning N/100 (N plain) */
#define FISC_PARSE_FRACTION 0x2u  /**< also `-?a/b` with integers a and b, b not zero */
#define FISC_PARSE_RATE (FISC_PARSE_PERCENT | FISC_PARSE_FRACTION) /**< where a rate is expected */

/** Set @p d to zero. Never fails and never allocates. */
FISC_API void fisc_decimal_init(fisc_decimal *d);

/** Release what @p d owns. @p d may be re-initialised afterwards. Accepts NULL. */
FISC_API void fisc_decimal_clear(fisc_decimal *d);

/**
 * Allocate a decimal on the heap, set to zero.
 * @param[out] out  the caller owns the result and must release it with fisc_decimal_free().
 * @return FISC_OK, FISC_EINVAL (out is NULL) or FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_new(fisc_decimal **out, fisc_error *err);

/** Clear and release a decimal from fisc_decimal_new(). Accepts NULL. */
FISC_API void fisc_decimal_free(fisc_decimal *d);

/** sizeof(fisc_decimal), for bindings. */
FISC_API size_t fisc_decimal_size(void);

/**
 * Parse a NUL-terminated decimal string.
 *
 * The grammar is `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, ASCII only: no spaces, no '+', no exponent,
 * no thousands separators, no leading zeros, no NaN or infinity. @p flags may add the forms
 * `N%` and `a/b`. At most FISC_DECIMAL_MAX_INT_DIGITS digits before the point (and in each
 * side of a fraction) and FISC_DECIMAL_MAX_FRAC_DIGITS after it.
 *
 * @param[out] out  receives the value; unchanged on error.
 * @param text      the text (UTF-8); may not be NULL.
 * @param flags     FISC_PARSE_* flags.
 * @param[out] err  on error: the text, and the 1-based column of the first bad character.
 * @return FISC_OK; FISC_EPARSE (not in the grammar; also a zero denominator);
 *         FISC_ERANGE (too many digits); FISC_EINVAL (NULL argument); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_parse(fisc_decimal *out, const char *text,
                                                       unsigned flags, fisc_error *err);

/** As fisc_decimal_parse(), for @p len bytes that need not be NUL-terminated. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_parse_n(fisc_decimal *out, const char *text,
                                                         size_t len, unsigned flags,
                                                         fisc_error *err);

/** Copy @p v into @p out. @return FISC_OK or FISC_ENOMEM. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_set(fisc_decimal *out, const fisc_decimal *v,
                                                     fisc_error *err);

/** Set @p out to the integer @p v. Never fails. */
FISC_API void fisc_decimal_set_int(fisc_decimal *out, int64_t v);

/**
 * r = a + b, exactly.
 * @return FISC_OK; FISC_ERANGE (result beyond FISC_DECIMAL_MAX_BITS); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_add(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);
/** r = a - b, exactly. Returns as fisc_decimal_add(). */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_sub(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);
/** r = a * b, exactly. Returns as fisc_decimal_add(). */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_mul(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);
/**
 * r = a / b, exactly (the result may be a non-terminating rational such as 2/3).
 * @return as fisc_decimal_add(), or FISC_EDIVZERO when b is zero (r unchanged).
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_div(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);
/** r = -a. @return FISC_OK or FISC_ENOMEM. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_neg(fisc_decimal *r, const fisc_decimal *a,
                                                     fisc_error *err);
/** r = |a|. @return FISC_OK or FISC_ENOMEM. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_abs(fisc_decimal *r, const fisc_decimal *a,
                                                     fisc_error *err);
/** r = the smaller of a and b. @return FISC_OK or FISC_ENOMEM. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_min(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);
/** r = the larger of a and b. @return FISC_OK or FISC_ENOMEM. */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_max(fisc_decimal *r, const fisc_decimal *a,
                                                     const fisc_decimal *b, fisc_error *err);

/** Compare exactly: negative, zero or positive as a <, =, > b. */
FISC_API int fisc_decimal_cmp(const fisc_decimal *a, const fisc_decimal *b);
/** -1, 0 or 1 as @p a is negative, zero or positive. */
FISC_API int fisc_decimal_sign(const fisc_decimal *a);
/** 1 if @p a is an integer, else 0. */
FISC_API int fisc_decimal_is_integer(const fisc_decimal *a);
/** 1 if @p a is a terminating decimal (denominator of the form 2^i 5^j), else 0. */
FISC_API int fisc_decimal_is_terminating(const fisc_decimal *a);

/**
 * Round @p v to @p places decimal places (negative places round to tens, hundreds, ...).
 *
 * @param[out] r        the rounded value.
 * @param[out] residue  optional (may be NULL): v - r, exactly, what the rounding dropped.
 * @param v             the value.
 * @param places        from -FISC_DECIMAL_MAX_INT_DIGITS (-40) to 36.
 * @param mode          a ::fisc_round mode.
 * @param[out] status   optional: FISC_STATUS_ROUNDED and FISC_STATUS_INEXACT are OR-ed in.
 * @return FISC_OK; FISC_EINVAL (bad mode or places); FISC_ERANGE; FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_round(fisc_decimal *r, fisc_decimal *residue,
                                                       const fisc_decimal *v, int places,
                                                       fisc_round mode, uint32_t *status,
                                                       fisc_error *err);

/**
 * Round @p v to a multiple of @p unit (0.01, 0.05, 1, 10, 10000, or any positive value).
 * Parameters and returns as fisc_decimal_round(); FISC_EINVAL when @p unit is not positive.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_round_unit(fisc_decimal *r, fisc_decimal *residue,
                                                            const fisc_decimal *v,
                                                            const fisc_decimal *unit,
                                                            fisc_round mode, uint32_t *status,
                                                            fisc_error *err);

/** fisc_format::places value asking for the exact value, with no rounding. */
#define FISC_PLACES_EXACT (-1)

/** fisc_format::unit values. */
typedef enum fisc_unit {
    FISC_UNIT_YUAN = 0,   /**< the value as it is (元) */
    FISC_UNIT_WAN = 1     /**< the value divided by 10000 (万元) */
} fisc_unit;

/** Version of ::fisc_format this header describes. */
#define FISC_FORMAT_VERSION 1

/** Formatting options. Transparent and versioned: only fields are ever appended. */
typedef struct fisc_format {
    unsigned int version;  /**< FISC_FORMAT_VERSION */
    int places;            /**< decimals to show, 0..36, or FISC_PLACES_EXACT */
    int rounding;          /**< a ::fisc_round, used when the value has more decimals than places */
    int grouping;          /**< non-zero: separate thousands with ',' */
    int unit;              /**< a ::fisc_unit */
} fisc_format;

/** Static initializer: exact value, no grouping, in 元. */
#define FISC_FORMAT_INIT { FISC_FORMAT_VERSION, FISC_PLACES_EXACT, FISC_ROUND_HALF_UP, 0, FISC_UNIT_YUAN }

/**
 * Initialise @p fmt to FISC_FORMAT_INIT.
 * @return FISC_OK, or FISC_EINVAL when @p version is not one this library knows.
 */
FISC_API FISC_NODISCARD fisc_status fisc_format_init(fisc_format *fmt, unsigned int version);

/**
 * Format a value as text.
 *
 * With @p fmt NULL, or places FISC_PLACES_EXACT, the text is the exact value in the shortest
 * form: "1234.5", "-0.125", "0", and "p/q" for a value that is not a terminating decimal.
 * With places >= 0 the text has exactly that many decimals ("1234.50"), rounded with
 * fmt->rounding if the value has more (reported in @p status). Grouping gives "1,234.50".
 * FISC_UNIT_WAN divides by 10000 exactly before formatting (amounts in 万元).
 *
 * @param[out] out     the caller owns the result and must release it with fisc_string_free().
 * @param v            the value.
 * @param fmt          options, or NULL for the exact form.
 * @param[out] status  optional; FISC_STATUS_ROUNDED / FISC_STATUS_INEXACT when rounded.
 * @return FISC_OK; FISC_EINVAL (bad option); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_to_string(char **out, const fisc_decimal *v,
                                                           const fisc_format *fmt,
                                                           uint32_t *status, fisc_error *err);

/**
 * Format a value into the caller's buffer: the same text, options and status as
 * fisc_decimal_to_string(), without allocating for a terminating value of up to 38 digits or a
 * fraction whose numerator and denominator fit 63 bits (the batch path formats every amount of
 * every row this way).
 *
 * @param[out] buf   receives the text and its NUL; on an error, "" (when @p size > 0). May be
 *                   NULL when @p size is 0 (to learn the length).
 * @param size       bytes available at @p buf. FISC_DECIMAL_TEXT_SIZE holds any such value in
 *                   the exact form or with places, grouping included. Bytes of @p buf past the
 *                   NUL may be overwritten too (never beyond @p size).
 * @param[out] len   optional: the length of the whole text, without its NUL (also on FISC_ERANGE,
 *                   so a caller can retry with len + 1 bytes; 0 on other errors).
 * @param[out] status optional; as fisc_decimal_to_string(), also on FISC_ERANGE.
 * @return FISC_OK; FISC_ERANGE (the text needs more than @p size - 1 bytes: nothing is truncated);
 *         FISC_EINVAL (NULL argument or bad option); FISC_ENOMEM (a value beyond 128 bits).
 */
FISC_API FISC_NODISCARD fisc_status fisc_decimal_format(char *buf, size_t size, size_t *len,
                                                        const fisc_decimal *v, const fisc_format *fmt,
                                                        uint32_t *status, fisc_error *err);

/** A buffer size for fisc_decimal_format() that holds every value of up to 38 digits. */
#define FISC_DECIMAL_TEXT_SIZE 96

FISC_END_DECL

/** @} */
#endif
