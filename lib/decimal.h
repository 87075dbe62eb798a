/*
 * Private interface of the decimal module, shared with format, upper and apportion, and the
 * inline fast paths of the library's hottest decimal calls (init, clear, set, set_int, sign):
 * lib/ code on a per-row path calls fiscp_decimal_x() where it would call fisc_decimal_x(). They
 * are always inline: under LTO GCC otherwise keeps out-of-line copies of some (fiscp_decimal_sign,
 * fiscp_decimal_add_small64) and calls them.
 */
#ifndef FISC_LIB_DECIMAL_H
#define FISC_LIB_DECIMAL_H

#include "fisc_private.h"

/*
 * The kinds of value in fisc_decimal::kind_ (lib/decimal.c explains them). Only decimal.c and
 * the inline helpers below read the private members.
 */
/* The pointer arguments at these positions are never NULL: checks of them compile away. */
#if defined(__GNUC__)
# define FISCP_NONNULL(...) __attribute__((nonnull(__VA_ARGS__)))
#else
# define FISCP_NONNULL(...)
#endif

enum { FISCP_DEC_SMALL = 0, FISCP_DEC_BIG = 1, FISCP_DEC_RATIO = 2 };

/* fisc_decimal_init() inlined, for the library's own hot paths: no call, and one assignment of
   the whole value (stored as two or three wide zero writes). */
static FISCP_ALWAYS_INLINE void fiscp_decimal_init(fisc_decimal *d)
{
    *d = (fisc_decimal){ .kind_ = FISCP_DEC_SMALL, .big_ = NULL };
}

/* fisc_decimal_clear() inlined (d not NULL): only a value that once held a GMP rational makes a call. */
static FISCP_ALWAYS_INLINE void fiscp_decimal_clear(fisc_decimal *d)
{
    if (d->big_)
        fisc_decimal_clear(d);
    else
        fiscp_decimal_init(d);
}

/*
 * Clear n values about to be discarded (a program's scratch values, at its end): one test of all
 * their big_ pointers, and a call only for a value that once held a GMP rational. Unlike
 * fiscp_decimal_clear, the others are left as they are (not re-initialised): nothing reads them again.
 */
static FISCP_ALWAYS_INLINE void fiscp_decimal_clear_n(fisc_decimal *d, size_t n)
{
    uintptr_t any = 0;

#if defined(__GNUC__)
# pragma GCC unroll 32 /* n is a constant: straight loads and ors, no loop counter */
#endif
    for (size_t k = 0; k < n; k++)
        any |= (uintptr_t)d[k].big_;
    if (FISCP_LIKELY(!any))
        return;
    for (size_t k = 0; k < n; k++)
        if (d[k].big_)
            fisc_decimal_clear(&d[k]);
}

/* fisc_decimal_sign() inlined: only a GMP rational makes a call. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_sign(const fisc_decimal *d)
{
    if (d->kind_ == FISCP_DEC_SMALL) /* the coefficient: hi_ holds its sign */
        return (int64_t)d->hi_ < 0 ? -1 : (d->hi_ | d->lo_) != 0;
    if (d->kind_ == FISCP_DEC_RATIO) /* the numerator (never zero) */
        return (int64_t)d->lo_ < 0 ? -1 : 1;
    return fisc_decimal_sign(d);
}

/* fisc_decimal_set() inlined: a SMALL or RATIO value is all in its fields (out keeps its own
   rational, if any, for later); only a GMP rational makes a call. */
static FISCP_ALWAYS_INLINE fisc_status fiscp_decimal_set(fisc_decimal *out, const fisc_decimal *v, fisc_error *err)
{
    if (v->kind_ == FISCP_DEC_BIG)
        return fisc_decimal_set(out, v, err);
    fiscp_error_reset(err);
    out->lo_ = v->lo_;
    out->hi_ = v->hi_;
    out->scale_ = v->scale_;
    out->kind_ = v->kind_;
    return FISC_OK;
}

/*
 * fisc_decimal_cmp() with its commonest case inline: two SMALL values at the same scale (amounts,
 * rates read alike, their products) compare as their 128-bit coefficients, high word signed then
 * low word unsigned; any other pair makes the call.
 */
static FISCP_ALWAYS_INLINE int fiscp_decimal_cmp(const fisc_decimal *a, const fisc_decimal *b)
{
    if ((a->kind_ | b->kind_) != FISCP_DEC_SMALL || a->scale_ != b->scale_)
        return fisc_decimal_cmp(a, b);
    if (a->hi_ != b->hi_)
        return (int64_t)a->hi_ < (int64_t)b->hi_ ? -1 : 1;
    return (a->lo_ > b->lo_) - (a->lo_ < b->lo_);
}

/* 1 when d is SMALL: coef / 10^scale, no rational, no GMP. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_is_small(const fisc_decimal *d)
{
    return d->kind_ == FISCP_DEC_SMALL;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight digits at a time (SWAR, Lemire's digit parsing), the text in order from the lowest byte of
 * a word: the fast paths of fisc_decimal_parse_n() (decimal.c) and of fisc_facts_set_index()
 * (facts.c) read the integer digits of an amount this way. Shared here so that both read them alike.
 */
# define FISCP_SWAR_DIGITS 1

/* Bits in the high nibble of every byte of w that is not an ASCII digit; 0 for a digit. */
static FISCP_ALWAYS_INLINE uint64_t fiscp_non_digits8(uint64_t w)
{
    uint64_t x = w ^ 0x3030303030303030u; /* a digit's byte becomes 0..9 */

    return (x | ((x & 0x0F0F0F0F0F0F0F0Fu) + 0x0606060606060606u)) & 0xF0F0F0F0F0F0F0F0u;
}

/* The value of the 8 digits of w, its lowest byte the most significant; 0 bytes are leading zeros. */
static FISCP_ALWAYS_INLINE uint64_t fiscp_eight_digits(uint64_t w)
{
    w = (w & 0x0F0F0F0F0F0F0F0Fu) * 2561 >> 8;
    w = (w & 0x00FF00FF00FF00FFu) * 6553601 >> 16;
    return (w & 0x0000FFFF0000FFFFu) * 42949672960001u >> 32;
}
#else
# define FISCP_SWAR_DIGITS 0
#endif

/* fisc_decimal_parse_n() without its fast path (err not reset): tests compare the two. */
fisc_status fiscp_decimal_parse_general(fisc_decimal *out, const char *text, size_t len, unsigned flags,
                                        fisc_error *err);

/*
 * The public arithmetic, comparison and rounding without their 64-bit fast paths: the general
 * paths they fall back on, with the same contracts (tests compare the two on the edges). One
 * difference: fiscp_decimal_div_general gives a terminating quotient with the fewest decimals, where
 * fisc_decimal_div gives a/b at the scale ca/cb's own reduction implies (1.00 / 1 = 1.00).
 */
fisc_status fiscp_decimal_add_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err);
fisc_status fiscp_decimal_sub_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err);
fisc_status fiscp_decimal_mul_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err);
fisc_status fiscp_decimal_div_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err);
int fiscp_decimal_cmp_general(const fisc_decimal *a, const fisc_decimal *b);
fisc_status fiscp_decimal_round_unit_general(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                                             const fisc_decimal *unit, fisc_round mode, uint32_t *status,
                                             fisc_error *err);

/*
 * fisc_decimal_round_unit(r, NULL, v, unit, mode, NULL, err) for r, v and unit not NULL: the
 * engine's rounding of every published amount, its arguments all in registers (a caller with four
 * or five arguments of its own reaches it by a jump) and no NULL checks but err's.
 */
fisc_status fiscp_decimal_round_to_unit(fisc_decimal *r, const fisc_decimal *v, const fisc_decimal *unit,
                                        fisc_round mode, fisc_error *err) FISCP_NONNULL(1, 2, 3);

/*
 * The digits of |v| as an ASCII string (no sign, no point, no leading zeros, "0" for zero)
 * and a scale such that v = sign * digits / 10^scale. Fails with FISC_EINVAL when v is not a
 * terminating decimal. The caller frees *digits with fiscp_free.
 */
fisc_status fiscp_decimal_digits(char **digits, int *negative, int *scale,
                                 const fisc_decimal *v, fisc_error *err);

/* Most digits of a SMALL coefficient (|coef| < 2^127), with room for a NUL. */
#define FISCP_COEF_DIGITS 40

/*
 * The same for a SMALL v, without allocating: the digits of |coef| into digits (NUL-terminated),
 * its sign and scale. Returns the number of digits, or 0 when v is not SMALL.
 */
int fiscp_decimal_small_digits(char digits[FISCP_COEF_DIGITS], int *negative, int *scale,
                               const fisc_decimal *v);

/*
 * The text of a SMALL v with a 64-bit coefficient and at most 18 decimals (every amount), with
 * `places` decimals (places >= its scale), or with places < 0 exactly in the shortest form; no
 * grouping. Written into out (FISC_DECIMAL_TEXT_SIZE bytes) with its NUL, without allocating.
 * Returns the length, or 0 for any other value (use fiscp_decimal_small_digits).
 */
size_t fiscp_decimal_small_text(char *out, const fisc_decimal *v, int places);

/* 1 when v's coefficient (of a SMALL value) fits 64 bits: its high word is the low word's sign. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_fits64(const fisc_decimal *v)
{
    return (uint64_t)((int64_t)v->lo_ >> 63) == v->hi_;
}

/* 1 when fiscp_decimal_small_text() writes v: SMALL, with a 64-bit coefficient other than
   INT64_MIN and at most 18 decimals. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_has_small_text(const fisc_decimal *v)
{
    return v->kind_ == FISCP_DEC_SMALL && fiscp_decimal_fits64(v) && v->scale_ <= 18 && v->lo_ != (uint64_t)1 << 63;
}

/* 1 and v = num / den (reduced, den > 1) when v is a RATIO, else 0. */
int fiscp_decimal_ratio64(int64_t *num, uint64_t *den, const fisc_decimal *v);

/* The decimal digits of v into out (20 bytes at least), no NUL; returns their number. */
size_t fiscp_u64_digits(char *out, uint64_t v);

/*
 * Write the exact shortest text of v ("1234.5", "-1/3") into buf without allocating, as
 * fisc_decimal_to_string() would with no format. Returns the length, or -1 when v is BIG or buf
 * is too small (use fisc_decimal_to_string; nothing is written then).
 */
int fiscp_decimal_write(char *buf, size_t size, const fisc_decimal *v);
/* Money as results show it: exactly two decimals when the value has no more (it was rounded to
 * the 分), else exact; grouped by thousands when asked. Free with fisc_string_free(); NULL on OOM. */
char *fiscp_decimal_money(const fisc_decimal *v, int grouping);

/* 1 and the coefficient and scale when v is SMALL with a 64-bit coefficient (v = coef / 10^scale). */
static FISCP_ALWAYS_INLINE int fiscp_decimal_small64(int64_t *coef, int *scale, const fisc_decimal *v)
{
    if (v->kind_ != FISCP_DEC_SMALL || !fiscp_decimal_fits64(v))
        return 0;
    *coef = (int64_t)v->lo_;
    *scale = v->scale_;
    return 1;
}

/* fiscp_decimal_get_int64 past its inline case (a 64-bit coefficient at scale 0). */
int fiscp_decimal_get_int64_general(int64_t *out, const fisc_decimal *v);

/* 1 and *out set when v is an integer that fits in int64_t, else 0. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_get_int64(int64_t *out, const fisc_decimal *v)
{
    int64_t coef;
    int scale;

    if (fiscp_decimal_small64(&coef, &scale, v) && scale == 0) {
        *out = coef;
        return 1;
    }
    return fiscp_decimal_get_int64_general(out, v);
}

/* Swap two values (both initialised): a cheap move. */
static FISCP_ALWAYS_INLINE void fiscp_decimal_swap(fisc_decimal *a, fisc_decimal *b)
{
    fisc_decimal t = *a;

    *a = *b;
    *b = t;
}

/* Set out to coef / 10^scale for a small coefficient (scale 0..18): a SMALL value, inline. */
static FISCP_ALWAYS_INLINE void fiscp_decimal_set_scaled(fisc_decimal *out, int64_t coef, int scale)
{
    out->lo_ = (uint64_t)coef;
    out->hi_ = coef < 0 ? UINT64_MAX : 0; /* the sign extended to 128 bits */
    out->scale_ = scale;
    out->kind_ = FISCP_DEC_SMALL;
}

/* fisc_decimal_set_int() inlined. */
static FISCP_ALWAYS_INLINE void fiscp_decimal_set_int(fisc_decimal *out, int64_t v)
{
    fiscp_decimal_set_scaled(out, v, 0);
}

/* Both SMALL at one scale with 64-bit coefficients: the case of the inline sums below. */
static FISCP_ALWAYS_INLINE int fiscp_decimal_pair64(const fisc_decimal *a, const fisc_decimal *b)
{
    return (a->kind_ | b->kind_) == FISCP_DEC_SMALL && a->scale_ == b->scale_ && fiscp_decimal_fits64(a) &&
           fiscp_decimal_fits64(b);
}

/*
 * sum += v without a call in the common case of sums of amounts: both values at the same scale with
 * 64-bit coefficients, and a sum that fits 64 bits. 1 and sum updated (exactly what
 * fisc_decimal_add stores); 0 and sum unchanged otherwise, for the general addition.
 */
static FISCP_ALWAYS_INLINE int fiscp_decimal_add_small64(fisc_decimal *sum, const fisc_decimal *v)
{
    int64_t z;

    if (!fiscp_decimal_pair64(sum, v) || __builtin_add_overflow((int64_t)sum->lo_, (int64_t)v->lo_, &z))
        return 0;
    fiscp_decimal_set_scaled(sum, z, sum->scale_);
    return 1;
}

/*
 * r = a - b without a call in the same case (two amounts at one scale, a 64-bit difference): 1 and
 * r set (exactly what fisc_decimal_sub stores); 0 and r unchanged otherwise, for the general
 * subtraction. r may be a or b.
 */
static FISCP_ALWAYS_INLINE int fiscp_decimal_sub_small64(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    int64_t z;

    if (!fiscp_decimal_pair64(a, b) || __builtin_sub_overflow((int64_t)a->lo_, (int64_t)b->lo_, &z))
        return 0;
    fiscp_decimal_set_scaled(r, z, a->scale_);
    return 1;
}

/* r = a - b (fisc_decimal_sub with no error text), its commonest case inline: fiscp_decimal_sub_small64. */
static FISCP_ALWAYS_INLINE fisc_status fiscp_decimal_sub(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b)
{
    return fiscp_decimal_sub_small64(r, a, b) ? FISC_OK : fisc_decimal_sub(r, a, b, NULL);
}

#endif
