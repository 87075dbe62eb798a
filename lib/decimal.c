/*
 * Exact decimals and rationals.
 *
 * A value is one of three kinds:
 *   SMALL  coef / 10^scale, a signed 128-bit coef with |coef| < 2^127, and 0 <= scale <= 38;
 *   RATIO  n / d, reduced, with 0 < |n| <= INT64_MAX in lo_ and 1 < d <= INT64_MAX in hi_, for a
 *          value that is not SMALL: in practice a non-terminating share such as x/9;
 *   BIG    any other value: a canonical GMP rational held in big_.
 * The kind follows from the value (SMALL when it can be, else RATIO when it can be, else BIG), so
 * one value has one form and one text whichever path computed it. Every operation tries a 64-bit
 * path first (the operands of almost every call, in registers), then the 128-bit path, then the
 * 64-bit rational path, and falls back to GMP exactly when a step would overflow; a GMP result
 * that fits moves back (store_q), so the common case (amounts, rates, their products, shares such
 * as x/9 and their roundings) never touches GMP nor allocates. big_ stays allocated while a value
 * is SMALL or RATIO, so a value that went BIG once does not allocate again.
 *
 * Rounding follows conventions.md §4: 四舍五入 = HALF_UP, symmetric on negatives, is the
 * default; HALF_EVEN is GB/T 8170-2008's 四舍六入五成双. One rounding, where the caller asks.
 */
#include <gmp.h>
#include <string.h>

#include "decimal.h"

/* GCC and Clang provide 128-bit integers on 64-bit targets; __extension__ keeps -pedantic quiet. */
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* Keeps a slow path out of the fast one's frame (no register saves on the common case). */
#define NOINLINE __attribute__((noinline))
/* The same, with the arguments as written: an out-of-line fast path whose callers jump to it. */
#define OUT_OF_LINE __attribute__((noipa))

/* mpz_get_i128 and mpz_set_i128 move 64-bit limbs. */
_Static_assert(GMP_LIMB_BITS == 64, "the decimal core expects 64-bit GMP limbs");

enum { SMALL = FISCP_DEC_SMALL, BIG = FISCP_DEC_BIG, RATIO = FISCP_DEC_RATIO };
#define MAX_SCALE 38
#define I128_MIN ((i128)((u128)1 << 127)) /* never a SMALL coefficient: |coef| < 2^127 */

#define E19 ((u128)10000000000000000000ULL)
static const u128 pow10_tab[MAX_SCALE + 1] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
    1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL, 10000000000000ULL,
    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
    1000000000000000000ULL, E19, E19 * 10, E19 * 100, E19 * 1000, E19 * 10000, E19 * 100000,
    E19 * 1000000, E19 * 10000000, E19 * 100000000, E19 * 1000000000, E19 * 10000000000ULL,
    E19 * 100000000000ULL, E19 * 1000000000000ULL, E19 * 10000000000000ULL,
    E19 * 100000000000000ULL, E19 * 1000000000000000ULL, E19 * 10000000000000000ULL,
    E19 * 100000000000000000ULL, E19 * 1000000000000000000ULL, E19 * E19,
};

static inline i128 coef_of(const fisc_decimal *d)
{
    return (i128)(((u128)d->hi_ << 64) | d->lo_);
}

static inline void set_small(fisc_decimal *d, i128 c, int scale)
{
    u128 u = (u128)c;

    d->lo_ = (uint64_t)u;
    d->hi_ = (uint64_t)(u >> 64);
    d->scale_ = scale;
    d->kind_ = SMALL;
}

/* d = n / den as a RATIO: reduced, 0 < |n| <= INT64_MAX, 1 < den <= INT64_MAX, not SMALL. */
static inline void set_ratio(fisc_decimal *d, int64_t n, uint64_t den)
{
    d->lo_ = (uint64_t)n;
    d->hi_ = den;
    d->scale_ = 0;
    d->kind_ = RATIO;
}

static inline int64_t num_of(const fisc_decimal *d) /* of a RATIO */
{
    return (int64_t)d->lo_;
}

static inline uint64_t den_of(const fisc_decimal *d) /* of a RATIO */
{
    return d->hi_;
}

/* out = v for a SMALL or RATIO v (the value is all in the fields); out keeps its own rational. */
static inline void copy_fields(fisc_decimal *out, const fisc_decimal *v)
{
    out->lo_ = v->lo_;
    out->hi_ = v->hi_;
    out->scale_ = v->scale_;
    out->kind_ = v->kind_;
}

/* The coefficient fits in 64 bits: products of two such never overflow 128 bits. */
static inline int fits64(const fisc_decimal *d)
{
    return fiscp_decimal_fits64(d);
}

static inline mpq_ptr big_of(const fisc_decimal *d)
{
    return (mpq_ptr)d->big_;
}

/*
 * The 64-bit fast paths. Almost every operand (an amount to the 分, a rate, a whole number) is
 * SMALL with a 64-bit coefficient and at most 18 decimals, so each public function first tries
 * such operands in 64-bit registers (overflow checked with __builtin_*_overflow) and hands every
 * other case to its general path (NOINLINE, so that the fast one saves no registers). The general
 * paths are complete on their own; the tests compare the two on the edges.
 */

/* Both SMALL with 64-bit coefficients. */
static FISCP_ALWAYS_INLINE int small64_pair(const fisc_decimal *a, const fisc_decimal *b)
{
    return (a->kind_ | b->kind_) == SMALL && fits64(a) && fits64(b);
}

/* The powers of ten that fit 64 bits (8-byte entries: indexed for free). */
static const uint64_t POW10_64[20] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u,
};

/* 10^k for 0 <= k <= 18, as a signed coefficient. */
static inline int64_t pow10_64(int k)
{
    return (int64_t)POW10_64[k];
}

/*
 * Two such coefficients brought to the larger scale in 64 bits: 1 and *x, *y, *scale; 0 when an
 * operand is not SMALL with a 64-bit coefficient, or the scales are more than 18 apart, or a
 * coefficient would overflow (the 128-bit path then).
 */
static FISCP_ALWAYS_INLINE int align_small64(int64_t *x, int64_t *y, int *scale, const fisc_decimal *a,
                                             const fisc_decimal *b)
{
    int sa = a->scale_, sb = b->scale_;

    if (!small64_pair(a, b))
        return 0;
    *x = (int64_t)a->lo_;
    *y = (int64_t)b->lo_;
    *scale = sa > sb ? sa : sb;
    if (sa < sb)
        return sb - sa <= 18 && !__builtin_mul_overflow(*x, pow10_64(sb - sa), x);
    if (sb < sa)
        return sa - sb <= 18 && !__builtin_mul_overflow(*y, pow10_64(sa - sb), y);
    return 1;
}

/* ---------------------------------------------------------------- lifecycle */

void fisc_decimal_init(fisc_decimal *d)
{
    if (d)
        fiscp_decimal_init(d);
}

void fisc_decimal_clear(fisc_decimal *d)
{
    if (!d)
        return;
    if (d->big_) {
        mpq_clear(big_of(d));
        fiscp_free(d->big_);
    }
    fiscp_decimal_init(d);
}

fisc_status fisc_decimal_new(fisc_decimal **out, fisc_error *err)
{
    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_new: out is NULL");
    *out = fiscp_malloc(sizeof(**out));
    if (!*out)
        return fiscp_error_nomem(err);
    fiscp_decimal_init(*out);
    return FISC_OK;
}

void fisc_decimal_free(fisc_decimal *d)
{
    fisc_decimal_clear(d);
    fiscp_free(d);
}

size_t fisc_decimal_size(void)
{
    return sizeof(fisc_decimal);
}

void fisc_decimal_set_int(fisc_decimal *out, int64_t v)
{
    set_small(out, v, 0);
}

/* ---------------------------------------------------------------- GMP bridge */

static void mpz_set_i128(mpz_ptr z, i128 c)
{
    u128 m = c < 0 ? -(u128)c : (u128)c;

    mpz_set_ui(z, (unsigned long)(uint64_t)(m >> 64));
    mpz_mul_2exp(z, z, 64);
    mpz_add_ui(z, z, (unsigned long)(uint64_t)m);
    if (c < 0)
        mpz_neg(z, z);
}

/* 1 and *out set if |z| < 2^127, so that the value and its negation fit in i128. No allocation. */
static int mpz_get_i128(i128 *out, mpz_srcptr z)
{
    u128 m;

    if (mpz_sizeinbase(z, 2) > 127)
        return 0;
    m = (u128)mpz_getlimbn(z, 0); /* limbs of |z| */
    if (mpz_size(z) > 1)
        m |= (u128)mpz_getlimbn(z, 1) << 64;
    *out = mpz_sgn(z) < 0 ? -(i128)m : (i128)m;
    return 1;
}

static void mpz_set_pow10(mpz_ptr z, unsigned long n)
{
    if (n < (sizeof(unsigned long) >= 8 ? 20u : 10u)) /* from the table: computed only past an unsigned long */
        mpz_set_ui(z, (unsigned long)pow10_tab[n]);
    else
        mpz_ui_pow_ui(z, 10, n);
}

/* Load any value into q (a scratch rational). */
static void load_mpq(mpq_ptr q, const fisc_decimal *d)
{
    if (d->kind_ == BIG) {
        mpq_set(q, big_of(d));
        return;
    }
    if (d->kind_ == RATIO) { /* already reduced, the denominator positive */
        mpz_set_i128(mpq_numref(q), num_of(d));
        mpz_set_i128(mpq_denref(q), (i128)den_of(d));
        return;
    }
    mpz_set_i128(mpq_numref(q), coef_of(d));
    mpz_set_pow10(mpq_denref(q), (unsigned long)d->scale_);
    mpq_canonicalize(q);
}

/* A read-only view: the value's own rational when BIG, else q filled in. */
static mpq_srcptr view_mpq(mpq_ptr q, const fisc_decimal *d)
{
    if (d->kind_ == BIG)
        return big_of(d);
    load_mpq(q, d);
    return q;
}

static int too_big(mpq_srcptr q)
{
    return mpz_sizeinbase(mpq_numref(q), 2) > FISC_DECIMAL_MAX_BITS ||
           mpz_sizeinbase(mpq_denref(q), 2) > FISC_DECIMAL_MAX_BITS;
}

/*
 * If den = 2^i 5^j, set *scale = max(i, j) (the fewest decimals that express 1/den) and
 * return 1; else return 0. Scales above limit are reported as not found.
 */
static int terminating_scale(int *scale, mpz_srcptr den, unsigned long limit)
{
    mp_bitcnt_t twos = mpz_scan1(den, 0);
    unsigned long fives = 0;
    mpz_t t;
    int ok;

    if (twos > limit)
        return 0;
    mpz_init(t);
    mpz_tdiv_q_2exp(t, den, twos);
    while (fives <= limit && mpz_divisible_ui_p(t, 5)) {
        mpz_divexact_ui(t, t, 5);
        fives++;
    }
    ok = mpz_cmp_ui(t, 1) == 0 && fives <= limit;
    mpz_clear(t);
    if (ok)
        *scale = (int)(twos > fives ? twos : fives);
    return ok;
}

/* Set t = |num| * 10^scale / den: the coefficient of q at that scale (exact). */
static void scaled_coef(mpz_ptr t, mpq_srcptr q, int scale)
{
    mpz_set_pow10(t, (unsigned long)scale);
    mpz_divexact(t, t, mpq_denref(q));
    mpz_mul(t, t, mpq_numref(q));
}

/* Try to express canonical q as coef / 10^scale with |coef| < 2^127. */
static int demote(i128 *coef, int *scale, mpq_srcptr q)
{
    mpz_t t;
    int ok;

    if (!terminating_scale(scale, mpq_denref(q), MAX_SCALE))
        return 0;
    mpz_init(t);
    scaled_coef(t, q, *scale);
    ok = mpz_get_i128(coef, t);
    mpz_clear(t);
    return ok;
}

/* |n| <= INT64_MAX and d <= INT64_MAX: a RATIO's range (INT64_MIN is left out so that -n fits too). */
static inline int ratio_fits(i128 n, u128 d)
{
    return n >= -(i128)INT64_MAX && n <= (i128)INT64_MAX && d <= (u128)INT64_MAX;
}

/* d's own rational, allocated at its first use (and kept while d lives); NULL when out of memory. */
static mpq_ptr own_big(fisc_decimal *d, fisc_error *err)
{
    if (!d->big_) {
        d->big_ = fiscp_malloc(sizeof(mpq_t));
        if (!d->big_) {
            fiscp_error_nomem(err);
            return NULL;
        }
        mpq_init(big_of(d));
    }
    return big_of(d);
}

/*
 * Store canonical q into d: SMALL when it fits, else RATIO when it fits, else BIG. With take, d
 * takes q's value (q is left holding d's old rational, or 0): no copy of the limbs of a temporary.
 */
static fisc_status store_q(fisc_decimal *d, mpq_ptr q, int take, fisc_error *err)
{
    mpq_ptr own;
    i128 c, den;
    int s;

    if (too_big(q))
        return fiscp_error_set(err, FISC_ERANGE,
                               "result exceeds %d bits (FISC_DECIMAL_MAX_BITS)",
                               FISC_DECIMAL_MAX_BITS);
    if (demote(&c, &s, q)) {
        set_small(d, c, s);
        return FISC_OK;
    }
    if (mpz_get_i128(&c, mpq_numref(q)) && mpz_get_i128(&den, mpq_denref(q)) && ratio_fits(c, (u128)den)) {
        set_ratio(d, (int64_t)c, (uint64_t)den);
        return FISC_OK;
    }
    if (!(own = own_big(d, err)))
        return FISC_ENOMEM;
    if (take)
        mpq_swap(own, q);
    else
        mpq_set(own, q);
    d->scale_ = 0; /* unused by a BIG value: set, so that its form never depends on what d held before */
    d->kind_ = BIG;
    return FISC_OK;
}

static fisc_status store_mpq(fisc_decimal *d, mpq_srcptr q, fisc_error *err)
{
    return store_q(d, (mpq_ptr)q, 0, err); /* only read: not taken */
}

static fisc_status store_mpq_take(fisc_decimal *d, mpq_ptr q, fisc_error *err)
{
    return store_q(d, q, 1, err);
}

/* d = 10^n for n > 38, past the 128-bit table. */
static fisc_status store_pow10(fisc_decimal *d, int n, fisc_error *err)
{
    mpq_t q;
    fisc_status rc;

    mpq_init(q);
    mpz_set_pow10(mpq_numref(q), (unsigned long)n);
    rc = store_mpq(d, q, err);
    mpq_clear(q);
    return rc;
}

/* ---------------------------------------------------------------- 64-bit rationals */

static inline int ctz128(u128 x)
{
    uint64_t lo = (uint64_t)x;

    return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(x >> 64));
}

/* Greatest common divisor of a > 0 and b > 0 by the binary method. */
static FISCP_ALWAYS_INLINE uint64_t binary_gcd(uint64_t a, uint64_t b)
{
    int k = __builtin_ctzll(a | b);

    a >>= __builtin_ctzll(a);
    do {
        b >>= __builtin_ctzll(b);
        if (a > b) {
            uint64_t t = a;

            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << k;
}

/*
 * Greatest common divisor of a and b, not both 0: one Euclid step brings the larger down to the
 * size of the smaller (an amount and a denominator such as 900: a handful of steps after it), then
 * the binary method.
 */
static FISCP_ALWAYS_INLINE uint64_t gcd64_inline(uint64_t a, uint64_t b)
{
    if (a < b) {
        uint64_t t = a;

        a = b;
        b = t;
    }
    if (b == 0)
        return a;
    a %= b;
    if (a == 0)
        return b;
    return binary_gcd(a, b);
}

/* gcd64_inline out of line, for all but division's fast path (which keeps it inline: no call). */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
    return gcd64_inline(a, b);
}

/* The same on 128 bits: 64-bit arithmetic as soon as the smaller fits. */
static u128 gcd128(u128 a, u128 b)
{
    int k;

    if (a < b) {
        u128 t = a;

        a = b;
        b = t;
    }
    if ((uint64_t)(a >> 64) == 0)
        return gcd64((uint64_t)a, (uint64_t)b);
    if (b == 0)
        return a;
    if ((uint64_t)(b >> 64) == 0)
        return gcd64((uint64_t)b, (uint64_t)(a % b));
    k = ctz128(a | b);
    a >>= ctz128(a);
    do {
        b >>= ctz128(b);
        if (a > b) {
            u128 t = a;

            a = b;
            b = t;
        }
        b -= a;
    } while (b);
    return a << k;
}

/* a / g for a divisor g of a (or of 0): a 64-bit division when both fit. */
static inline u128 divide_out(u128 a, u128 g)
{
    if ((uint64_t)(a >> 64) == 0 && (uint64_t)(g >> 64) == 0)
        return (uint64_t)a / (uint64_t)g;
    return a / g;
}

/*
 * 5^k by its bit length, with k (each power of five below 2^64 has a bit length of its own), else
 * 0: whether an odd number is a power of five is one comparison.
 */
static const struct {
    uint64_t pow;
    int k;
} POW5_BY_BITS[65] = {
    { 0u, 0 }, { 1u, 0 }, { 0u, 0 }, { 5u, 1 }, { 0u, 0 }, { 25u, 2 }, { 0u, 0 }, { 125u, 3 }, { 0u, 0 },
    { 0u, 0 }, { 625u, 4 }, { 0u, 0 }, { 3125u, 5 }, { 0u, 0 }, { 15625u, 6 }, { 0u, 0 }, { 0u, 0 },
    { 78125u, 7 }, { 0u, 0 }, { 390625u, 8 }, { 0u, 0 }, { 1953125u, 9 }, { 0u, 0 }, { 0u, 0 },
    { 9765625u, 10 }, { 0u, 0 }, { 48828125u, 11 }, { 0u, 0 }, { 244140625u, 12 }, { 0u, 0 }, { 0u, 0 },
    { 1220703125u, 13 }, { 0u, 0 }, { 6103515625u, 14 }, { 0u, 0 }, { 30517578125u, 15 }, { 0u, 0 },
    { 0u, 0 }, { 152587890625u, 16 }, { 0u, 0 }, { 762939453125u, 17 }, { 0u, 0 }, { 3814697265625u, 18 },
    { 0u, 0 }, { 0u, 0 }, { 19073486328125u, 19 }, { 0u, 0 }, { 95367431640625u, 20 }, { 0u, 0 },
    { 476837158203125u, 21 }, { 0u, 0 }, { 0u, 0 }, { 2384185791015625u, 22 }, { 0u, 0 },
    { 11920928955078125u, 23 }, { 0u, 0 }, { 59604644775390625u, 24 }, { 0u, 0 }, { 0u, 0 },
    { 298023223876953125u, 25 }, { 0u, 0 }, { 1490116119384765625u, 26 }, { 0u, 0 },
    { 7450580596923828125u, 27 }, { 0u, 0 },
};

/* 1 and the k of rest = 5^k, else 0 (rest odd). */
static inline int power_of_five(int *k, uint64_t rest)
{
    int bits = 64 - __builtin_clzll(rest);

    *k = POW5_BY_BITS[bits].k;
    return POW5_BY_BITS[bits].pow == rest;
}

/* d > 0 is 2^i 5^j: n / d terminates. */
static inline int terminates64(uint64_t d)
{
    int k;

    return power_of_five(&k, d >> __builtin_ctzll(d));
}

/* 1 and d = 2^twos 5^fives, else 0: a terminating n / d. */
static int split_ten(int *twos, int *fives, u128 d)
{
    u128 rest;
    int f = 0;

    *twos = ctz128(d);
    rest = d >> *twos;
    if ((uint64_t)(rest >> 64) == 0)
        return power_of_five(fives, (uint64_t)rest);
    while (rest % 5 == 0) {
        rest /= 5;
        f++;
    }
    *fives = f;
    return rest == 1;
}

/*
 * If d = 2^i 5^j with max(i, j) <= 38, set *scale = max(i, j) and *m = 10^scale / d and return 1
 * (n / d = n·m / 10^scale); else return 0.
 */
static int decimal_denominator(int *scale, u128 *m, u128 d)
{
    int twos, fives;
    unsigned k;

    if (!split_ten(&twos, &fives, d))
        return 0;
    /* 10^scale / (2^twos 5^fives) = 5^(scale - fives) 2^(scale - twos), one exponent 0, the other k */
    k = (unsigned)(twos >= fives ? twos - fives : fives - twos);
    *scale = twos > fives ? twos : fives;
    if (*scale > MAX_SCALE || k > MAX_SCALE) /* k <= scale: the second test only informs the compiler */
        return 0;
    *m = twos >= fives ? pow10_tab[k] >> k : (u128)1 << k; /* 5^k = 10^k / 2^k */
    return 1;
}

/* Store the reduced n / d (d > 0) in its canonical form, as store_q stores a rational. */
static fisc_status store_ratio(fisc_decimal *r, i128 n, u128 d, fisc_error *err)
{
    mpq_ptr own;
    u128 m;
    i128 coef;
    int scale;

    if (decimal_denominator(&scale, &m, d) && !__builtin_mul_overflow(n, (i128)m, &coef) && coef != I128_MIN) {
        set_small(r, coef, scale); /* as demote: |coef| < 2^127 */
        return FISC_OK;
    }
    if (ratio_fits(n, d)) {
        set_ratio(r, (int64_t)n, (uint64_t)d);
        return FISC_OK;
    }
    if (!(own = own_big(r, err)))
        return FISC_ENOMEM;
    mpz_set_i128(mpq_numref(own), n);
    mpz_set_i128(mpq_denref(own), (i128)d);
    r->scale_ = 0; /* as store_q */
    r->kind_ = BIG;
    return FISC_OK;
}

/* Store ±a / b (reduced, b > 0) in its canonical form: a RATIO when it is one (most often), else store_ratio. */
static inline fisc_status store_reduced64(fisc_decimal *r, int negative, uint64_t a, uint64_t b, fisc_error *err)
{
    if (a <= INT64_MAX && b <= INT64_MAX && !terminates64(b)) {
        set_ratio(r, negative ? -(int64_t)a : (int64_t)a, b);
        return FISC_OK;
    }
    return store_ratio(r, negative ? -(i128)a : (i128)a, b, err);
}

/* 5 · INV5 = 1 modulo 2^64: x is a multiple of 5 iff x · INV5 <= UINT64_MAX / 5, and x / 5 is then x · INV5. */
#define INV5 UINT64_C(0xCCCCCCCCCCCCCCCD)

/* Cancel the factors 2 and 5 that n > 0 and d > 0 have in common. */
static inline void cancel_tens(uint64_t *n, uint64_t *d)
{
    uint64_t a = *n, b = *d;
    int twos = __builtin_ctzll(a) < __builtin_ctzll(b) ? __builtin_ctzll(a) : __builtin_ctzll(b);

    a >>= twos;
    b >>= twos;
    while (a * INV5 <= UINT64_MAX / 5 && b * INV5 <= UINT64_MAX / 5) {
        a *= INV5;
        b *= INV5;
    }
    *n = a;
    *d = b;
}

/* Store n / d (d > 0) once reduced. */
static fisc_status store_fraction(fisc_decimal *r, i128 n, u128 d, fisc_error *err)
{
    u128 an = n < 0 ? -(u128)n : (u128)n, g;
    uint64_t a, b, g64;

    if ((uint64_t)(an >> 64) == 0 && (uint64_t)(d >> 64) == 0) { /* most often: 64 bits */
        a = (uint64_t)an;
        b = (uint64_t)d;
        g64 = gcd64(a, b);
        if (g64 != 1) {
            a /= g64;
            b /= g64;
        }
        return store_reduced64(r, n < 0, a, b, err);
    }
    g = gcd128(an, d);
    if (g != 1) {
        an = divide_out(an, g);
        d = divide_out(d, g);
    }
    return store_ratio(r, n < 0 ? -(i128)an : (i128)an, d, err);
}

/*
 * store_fraction for an n and d (d > 0) that share no prime factor but 2 and 5 (the sum of an
 * amount c/10^s and a reduced fraction): those are cancelled without a gcd.
 */
static fisc_status store_fraction_tens(fisc_decimal *r, i128 n, u128 d, fisc_error *err)
{
    u128 an = n < 0 ? -(u128)n : (u128)n;
    uint64_t a = (uint64_t)an, b = (uint64_t)d;

    if ((uint64_t)(an >> 64) != 0 || (uint64_t)(d >> 64) != 0 || a == 0)
        return store_fraction(r, n, d, err);
    cancel_tens(&a, &b);
    return store_reduced64(r, n < 0, a, b, err);
}

/* ---------------------------------------------------------------- parse */

static int column_of(const char *text, size_t byte)
{
    int col = 1;

    for (size_t i = 0; i < byte; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    return col;
}

static fisc_status parse_error(fisc_error *err, fisc_status code, const char *text, size_t len,
                               size_t at, const char *why)
{
    char q[72];

    if (!err)
        return code;
    fiscp_quote(q, sizeof(q), text, len);
    return fiscp_error_set_at(err, code, column_of(text, at),
                              "invalid number \"%s\": %s (at character %d)", q, why, column_of(text, at));
}

static const char *why_bad_char(const char *text, size_t len, size_t i, unsigned flags)
{
    unsigned char c = (unsigned char)text[i];

    if (c >= 0x80)
        return "non-ASCII character (full-width digits and currency signs are not accepted)";
    switch (c) {
    case ',':
        return "thousands separators are not allowed";
    case ' ':
    case '\t':
    case '\n':
    case '\r':
        return "spaces are not allowed";
    case 'e':
    case 'E':
        return i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9' ? "exponents are not allowed"
                                                                    : "not a number";
    case '+':
        return "a '+' sign is not allowed";
    case '-':
        return "a sign is only allowed at the start";
    case '%':
        return (flags & FISC_PARSE_PERCENT) ? "'%' must end the number" : "a percentage is not accepted here";
    case '/':
        return (flags & FISC_PARSE_FRACTION) ? "a fraction takes integers, as in 2/3"
                                             : "a fraction is not accepted here";
    case '.':
        return "a second decimal point";
    default:
        break;
    }
    (void)len;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return "not a number (NaN, infinity and letters are not accepted)";
    return "unexpected character";
}

/*
 * The index of the first non-digit at or after i, accumulating the digits into *acc. *acc
 * is exact while 18 digits or fewer were read in all (it wraps harmlessly beyond).
 */
static inline size_t skip_digits(const char *text, size_t len, size_t i, uint64_t *acc)
{
    uint64_t a = *acc;

    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)text[i] - '0';

        if (d > 9)
            break;
        a = a * 10 + d;
    }
    *acc = a;
    return i;
}

/* Accumulate up to 38 digits into coef: 64-bit steps while they fit, 128-bit after. */
static i128 digits_value(const char *p, size_t n, i128 acc)
{
    while (n > 0) {
        size_t k = n < 18 ? n : 18;
        uint64_t chunk = 0;

        for (size_t j = 0; j < k; j++)
            chunk = chunk * 10 + (uint64_t)(p[j] - '0');
        acc = acc == 0 ? (i128)chunk : acc * (i128)pow10_tab[k] + (i128)chunk;
        p += k;
        n -= k;
    }
    return acc;
}

/* Slow path: digits beyond 38, or a fraction. Builds the rational with GMP. */
static fisc_status parse_big(fisc_decimal *out, int neg, const char *ip, size_t ni, const char *fp,
                             size_t nf, const char *dp, size_t nd, int extra_scale, fisc_error *err)
{
    char buf[FISC_DECIMAL_MAX_INT_DIGITS + FISC_DECIMAL_MAX_FRAC_DIGITS + 2];
    mpq_t q;
    fisc_status rc;

    mpq_init(q);
    memcpy(buf, ip, ni);
    memcpy(buf + ni, fp, nf);
    buf[ni + nf] = '\0';
    mpz_set_str(mpq_numref(q), buf, 10); /* validated digits only */
    if (nd) {
        memcpy(buf, dp, nd);
        buf[nd] = '\0';
        mpz_set_str(mpq_denref(q), buf, 10);
    } else {
        mpz_set_pow10(mpq_denref(q), (unsigned long)(nf + (size_t)extra_scale));
    }
    if (neg)
        mpz_neg(mpq_numref(q), mpq_numref(q));
    mpq_canonicalize(q);
    rc = store_mpq(out, q, err);
    mpq_clear(q);
    return rc;
}

#if FISCP_SWAR_DIGITS
/*
 * Eight digits at a time (SWAR, decimal.h) for the shape of most amounts in a batch, "I.FF" with 5
 * to 16 integer digits: the integer digits are read as one or two (overlapping) 8-byte words.
 * Shorter cells ("0.00", "103") cost less one character at a time.
 */

/* 1 and *value when the ni bytes at s (5 <= ni <= 16, 8 of them readable) are all digits. */
static inline int int_digits(uint64_t *value, const unsigned char *s, size_t ni)
{
    uint64_t w0, w1;

    memcpy(&w0, s, 8);
    if (ni <= 8) {
        if (fiscp_non_digits8(w0) << (64 - 8 * ni)) /* the bytes past the integer digits shifted out */
            return 0;
        *value = fiscp_eight_digits(w0 << (64 - 8 * ni));
        return 1;
    }
    memcpy(&w1, s + ni - 8, 8); /* the last 8 integer digits, overlapping w0 */
    if (fiscp_non_digits8(w0) | fiscp_non_digits8(w1))
        return 0;
    *value = fiscp_eight_digits(w0 << (8 * (16 - ni))) * 100000000u + fiscp_eight_digits(w1);
    return 1;
}
#endif

/*
 * The fast path of parsing (a CSV cell, a JSON number): the plain form -?(0|[1-9][0-9]*)(\.[0-9]+)?
 * in at most 19 characters (so at most 19 digits, exact in 64 bits). It returns 0 (nothing
 * written) for anything else, which fiscp_decimal_parse_general then accepts or rejects with its
 * message and column: the two paths accept the same texts with the same values, whatever the
 * flags (which only add forms with '%' or '/').
 */
static inline int parse_plain(fisc_decimal *out, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len, *start, *dot = NULL;
    uint64_t acc = 0;
    size_t n;

    if (len - 1 >= 19) /* empty, or more than 19 characters */
        return 0;
    start = p + (*p == '-');
    n = (size_t)(end - start);
    if (n >= 4 && end[-3] == '.') { /* I.FF, the shape of an amount: the integer digits, then two */
        unsigned f1 = (unsigned)end[-2] - '0', f2 = (unsigned)end[-1] - '0';

        if (f1 > 9 || f2 > 9 || (*start == '0' && n > 4))
            return 0; /* not digits, or a leading zero */
#if FISCP_SWAR_DIGITS
        if (n >= 8) {
            if (!int_digits(&acc, start, n - 3))
                return 0;
        } else
#endif
        {
            for (p = start; p < end - 3; p++) {
                unsigned d = (unsigned)*p - '0';

                if (d > 9)
                    return 0;
                acc = acc * 10 + d;
            }
        }
        acc = acc * 100 + f1 * 10 + f2;
        set_small(out, start != (const unsigned char *)text ? -(i128)acc : (i128)acc, 2);
        return 1;
    }
    if (n == 0 || (*start == '0' && n > 1 && start[1] != '.'))
        return 0; /* nothing after '-', or a leading zero */
    for (p = start; p < end; p++) {
        unsigned d = (unsigned)*p - '0';

        if (d <= 9)
            acc = acc * 10 + d;
        else if (*p == '.' && !dot)
            dot = p;
        else
            return 0;
    }
    if (dot == start || dot == end - 1)
        return 0; /* ".5", "1." */
    set_small(out, start != (const unsigned char *)text ? -(i128)acc : (i128)acc, dot ? (int)(end - dot - 1) : 0);
    return 1;
}

fisc_status fisc_decimal_parse_n(fisc_decimal *out, const char *text, size_t len, unsigned flags,
                                 fisc_error *err)
{
    fiscp_error_reset(err);
    if (FISCP_LIKELY(out && text && !(flags & ~(unsigned)FISC_PARSE_RATE)) && parse_plain(out, text, len))
        return FISC_OK;
    return fiscp_decimal_parse_general(out, text, len, flags, err);
}

/* Every form and every error, with its column. */
NOINLINE fisc_status fiscp_decimal_parse_general(fisc_decimal *out, const char *text, size_t len, unsigned flags,
                                                 fisc_error *err)
{
    size_t i = 0, ni, nf = 0, nd = 0, istart, fstart = 0, dstart = 0;
    int neg = 0, extra = 0;
    uint64_t acc = 0, dacc = 0;

    if (!out || !text)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_parse: NULL argument");
    if (flags & ~(unsigned)FISC_PARSE_RATE)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_parse: unknown flags 0x%x", flags);
    if (len == 0)
        return parse_error(err, FISC_EPARSE, text, len, 0, "empty");
    if (text[0] == '-')
        neg = i = 1;
    istart = i;
    i = skip_digits(text, len, i, &acc);
    ni = i - istart;
    if (ni == 0)
        return parse_error(err, FISC_EPARSE, text, len, i,
                           i < len ? why_bad_char(text, len, i, flags) : "digits expected");
    if (ni > 1 && text[istart] == '0')
        return parse_error(err, FISC_EPARSE, text, len, istart, "leading zeros are not allowed");
    if (ni > FISC_DECIMAL_MAX_INT_DIGITS)
        return parse_error(err, FISC_ERANGE, text, len, istart + FISC_DECIMAL_MAX_INT_DIGITS,
                           "more than 40 integer digits");
    if (i < len && text[i] == '.') {
        fstart = ++i;
        i = skip_digits(text, len, i, &acc);
        nf = i - fstart;
        if (nf == 0)
            return parse_error(err, FISC_EPARSE, text, len, i, "a digit must follow the decimal point");
        if (nf > FISC_DECIMAL_MAX_FRAC_DIGITS)
            return parse_error(err, FISC_ERANGE, text, len, fstart + FISC_DECIMAL_MAX_FRAC_DIGITS,
                               "more than 20 decimal digits");
    }
    if (i < len && text[i] == '%' && (flags & FISC_PARSE_PERCENT)) {
        extra = 2;
        i++;
    } else if (i < len && text[i] == '/' && (flags & FISC_PARSE_FRACTION) && nf == 0) {
        dstart = ++i;
        i = skip_digits(text, len, i, &dacc);
        nd = i - dstart;
        if (nd == 0)
            return parse_error(err, FISC_EPARSE, text, len, i, "a denominator must follow '/'");
        if (nd > 1 && text[dstart] == '0')
            return parse_error(err, FISC_EPARSE, text, len, dstart, "leading zeros are not allowed");
        if (nd > FISC_DECIMAL_MAX_INT_DIGITS)
            return parse_error(err, FISC_ERANGE, text, len, dstart + FISC_DECIMAL_MAX_INT_DIGITS,
                               "more than 40 digits in the denominator");
        if (nd == 1 && text[dstart] == '0')
            return parse_error(err, FISC_EPARSE, text, len, dstart, "zero denominator");
    }
    if (i < len)
        return parse_error(err, FISC_EPARSE, text, len, i, why_bad_char(text, len, i, flags));
    if (nd == 0 && ni + nf <= 18) {
        set_small(out, neg ? -(i128)acc : (i128)acc, (int)nf + extra);
        return FISC_OK;
    }
    if (nd != 0 && ni <= 18 && nd <= 18) /* a/b without GMP: acc is a (no decimals), dacc is b > 0 */
        return store_fraction(out, neg ? -(i128)acc : (i128)acc, dacc, err);
    if (nd == 0 && ni + nf <= MAX_SCALE) {
        i128 c = digits_value(text + fstart, nf, digits_value(text + istart, ni, 0));

        set_small(out, neg ? -c : c, (int)nf + extra);
        return FISC_OK;
    }
    return parse_big(out, neg, text + istart, ni, text + fstart, nf, text + dstart, nd, extra, err);
}

fisc_status fisc_decimal_parse(fisc_decimal *out, const char *text, unsigned flags, fisc_error *err)
{
    if (!text) {
        fiscp_error_reset(err);
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_parse: NULL argument");
    }
    return fisc_decimal_parse_n(out, text, strlen(text), flags, err);
}

/* ---------------------------------------------------------------- copy, sign, compare */

fisc_status fisc_decimal_set(fisc_decimal *out, const fisc_decimal *v, fisc_error *err)
{
    fiscp_error_reset(err);
    if (out == v)
        return FISC_OK;
    if (v->kind_ != BIG) {
        copy_fields(out, v);
        return FISC_OK;
    }
    return store_mpq(out, big_of(v), err);
}

/* Bring two SMALL coefficients to one scale; 0 on overflow. Inlined: its i128 results would
 * otherwise go through memory on every add, subtract and compare (measured: 6-10% of an agreement's
 * evaluation). */
static FISCP_ALWAYS_INLINE int align(i128 *ca, i128 *cb, int *scale, const fisc_decimal *a, const fisc_decimal *b)
{
    i128 x = coef_of(a), y = coef_of(b);
    int sa = a->scale_, sb = b->scale_;

    /* 64-bit coefficient times 10^k, k <= 18: below 2^123, no overflow check needed */
    if (sa < sb && sb - sa <= 18 && fits64(a)) {
        x = (i128)(int64_t)a->lo_ * pow10_64(sb - sa);
        sa = sb;
    } else if (sb < sa && sa - sb <= 18 && fits64(b)) {
        y = (i128)(int64_t)b->lo_ * pow10_64(sa - sb);
    } else if (sa < sb) {
        if (__builtin_mul_overflow(x, (i128)pow10_tab[sb - sa], &x))
            return 0;
        sa = sb;
    } else if (sb < sa) {
        if (__builtin_mul_overflow(y, (i128)pow10_tab[sa - sb], &y))
            return 0;
    }
    *ca = x;
    *cb = y;
    *scale = sa;
    return 1;
}

/*
 * Rationals with 64-bit numerator and denominator, before GMP: a RATIO, or a SMALL value with a
 * 64-bit coefficient and at most 18 decimals (coef / 10^scale, not reduced). A BIG value never
 * is one (it would be a RATIO or SMALL).
 */
static inline int ratio_of(int64_t *n, int64_t *d, const fisc_decimal *x)
{
    if (x->kind_ == RATIO) {
        *n = num_of(x);
        *d = (int64_t)den_of(x);
        return 1;
    }
    if (x->kind_ != SMALL || !fits64(x) || x->scale_ > 18)
        return 0;
    *n = (int64_t)x->lo_;
    *d = pow10_64(x->scale_);
    return 1;
}

/* -1, 0 or 1: the sign of any value. */
static inline int sign_of(const fisc_decimal *d)
{
    return d->kind_ == BIG ? mpq_sgn(big_of(d)) : fiscp_decimal_sign(d);
}

int fisc_decimal_sign(const fisc_decimal *a)
{
    if (FISCP_LIKELY(a->kind_ == SMALL)) /* the coefficient: hi_ holds its sign */
        return (int64_t)a->hi_ < 0 ? -1 : (a->hi_ | a->lo_) != 0;
    return sign_of(a);
}

/* 1 and *r = cmp(a, b) when both are 64-bit rationals (ratio_of): cross-multiplied, denominators positive. */
static FISCP_ALWAYS_INLINE int cmp_ratio64(int *r, const fisc_decimal *a, const fisc_decimal *b)
{
    int64_t n1, d1, n2, d2;
    i128 x, y;

    if (!ratio_of(&n1, &d1, a) || !ratio_of(&n2, &d2, b))
        return 0;
    x = (i128)n1 * d2;
    y = (i128)n2 * d1;
    *r = (x > y) - (x < y);
    return 1;
}

/* Every comparison: aligned 128-bit coefficients, cross-multiplied 64-bit rationals, signs, else GMP. */
NOINLINE int fiscp_decimal_cmp_general(const fisc_decimal *a, const fisc_decimal *b)
{
    i128 x, y;
    int r, s;
    mpq_t qa, qb;

    if (a->kind_ == SMALL && b->kind_ == SMALL && align(&x, &y, &s, a, b))
        return (x > y) - (x < y);
    if (cmp_ratio64(&r, a, b))
        return r;
    if ((r = sign_of(a)) != (s = sign_of(b))) /* no GMP */
        return r > s ? 1 : -1;
    if (a->kind_ == BIG && b->kind_ == BIG) { /* no temporaries: GMP compares canonical rationals */
        r = mpq_cmp(big_of(a), big_of(b));
        return (r > 0) - (r < 0);
    }
    mpq_init(qa);
    mpq_init(qb);
    r = mpq_cmp(view_mpq(qa, a), view_mpq(qb, b));
    mpq_clear(qa);
    mpq_clear(qb);
    return (r > 0) - (r < 0);
}

/*
 * The fast path of comparison: 64-bit coefficients compared as they are when the scales are equal
 * or the signs differ, else one of them scaled in 128 bits (never overflows: 2^63 · 10^18 < 2^123);
 * a RATIO (a limit x/9) against such a value or another RATIO, cross-multiplied.
 */
static FISCP_ALWAYS_INLINE int cmp_fast(const fisc_decimal *a, const fisc_decimal *b)
{
    int64_t x = (int64_t)a->lo_, y = (int64_t)b->lo_;
    int sa = a->scale_, sb = b->scale_, r;
    i128 xs, ys;

    if (FISCP_LIKELY(small64_pair(a, b))) {
        if (sa == sb || (x ^ y) < 0) /* scales equal, or one value negative and the other not */
            return (x > y) - (x < y);
        if (sa < sb && sb - sa <= 18) {
            xs = (i128)x * pow10_64(sb - sa);
            return (xs > y) - (xs < y);
        }
        if (sb < sa && sa - sb <= 18) {
            ys = (i128)y * pow10_64(sa - sb);
            return (x > ys) - (x < ys);
        }
    } else if ((a->kind_ | b->kind_) == RATIO && cmp_ratio64(&r, a, b)) { /* SMALL or RATIO, one RATIO */
        return r;
    }
    return fiscp_decimal_cmp_general(a, b);
}

int fisc_decimal_cmp(const fisc_decimal *a, const fisc_decimal *b)
{
    return cmp_fast(a, b);
}

int fisc_decimal_is_integer(const fisc_decimal *a)
{
    if (a->kind_ == BIG)
        return mpz_cmp_ui(mpq_denref(big_of(a)), 1) == 0;
    if (a->kind_ == RATIO) /* its denominator is > 1 */
        return 0;
    if (a->scale_ == 0)
        return 1;
    if (fits64(a) && a->scale_ <= 18)
        return (int64_t)a->lo_ % pow10_64(a->scale_) == 0;
    return coef_of(a) % (i128)pow10_tab[a->scale_] == 0;
}

int fisc_decimal_is_terminating(const fisc_decimal *a)
{
    int scale;

    if (a->kind_ == RATIO) /* yes only past 38 decimals: 1/2^40 is a RATIO */
        return terminates64(den_of(a));
    return a->kind_ == SMALL ||
           terminating_scale(&scale, mpq_denref(big_of(a)), FISC_DECIMAL_MAX_BITS);
}

/* ---------------------------------------------------------------- arithmetic */

enum op { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

/*
 * r = n/d × c/ten for a RATIO n/d and an amount c/ten (ten = 10^s): the amount reduced to c'/t
 * (t = 2^i 5^j), t cancelled against n (2s and 5s only) and c' against d (a gcd, none when c' = 1:
 * x/9 × 1.00, × 0.25), so the product needs no gcd of its own. 1 (and *rc) when done, 0 (nothing
 * written) when the product would not fit 64 bits.
 */
static int mul_ratio_amount(fisc_decimal *r, int64_t n, uint64_t d, int64_t c, uint64_t ten, fisc_status *rc,
                            fisc_error *err)
{
    uint64_t an = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    uint64_t ac = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c, g, num, den;

    *rc = FISC_OK;
    if (ac == 0) {
        set_small(r, 0, 0); /* as store_fraction stores 0 */
        return 1;
    }
    if (ac == ten) { /* times ±1 (a rate of 100%) */
        set_ratio(r, (c < 0) ? -n : n, d);
        return 1;
    }
    cancel_tens(&ac, &ten);
    cancel_tens(&an, &ten);
    if (ac != 1 && (g = gcd64(ac, d)) != 1) {
        ac /= g;
        d /= g;
    }
    if (__builtin_mul_overflow(an, ac, &num) || __builtin_mul_overflow(d, ten, &den))
        return 0;
    *rc = store_reduced64(r, (n < 0) != (c < 0), num, den, err);
    return 1;
}

/*
 * a op b on 64-bit rationals: 1 (and *rc) when done, 0 when the operands are too large for it.
 * The R&D other-cost limit (five × 1/9) and the shares made from it are such rationals for
 * almost every enterprise: no GMP, no allocation. The result is reduced and stored in the form
 * GMP's canonical rational would be stored in.
 */
static int ratio_binop(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, enum op op,
                       fisc_status *rc, fisc_error *err)
{
    int64_t n1, d1, n2, d2;
    i128 n, d;

    if (!ratio_of(&n1, &d1, a) || !ratio_of(&n2, &d2, b))
        return 0;
    *rc = FISC_OK;
    if ((op == OP_ADD || op == OP_SUB) && n1 == 0 && b->kind_ == RATIO) { /* sums of shares start at 0 */
        set_ratio(r, op == OP_ADD ? n2 : -n2, (uint64_t)d2);
        return 1;
    }
    if ((op == OP_ADD || op == OP_SUB) && n2 == 0 && a->kind_ == RATIO) {
        copy_fields(r, a);
        return 1;
    }
    /*
     * |n1|, |n2| <= 2^63 and 0 < d1, d2 < 2^63: every product and sum below fits 127 bits. A prime
     * other than 2 and 5 that divided both the sum's denominator d1·d2 and its numerator would
     * divide a RATIO's denominator and numerator (it is reduced) unless both operands are RATIOs:
     * a sum with an amount needs no gcd.
     */
    switch (op) {
    case OP_ADD:
    case OP_SUB:
        n = op == OP_ADD ? (i128)n1 * d2 + (i128)n2 * d1 : (i128)n1 * d2 - (i128)n2 * d1;
        d = (i128)d1 * d2;
        *rc = a->kind_ == RATIO && b->kind_ == RATIO ? store_fraction(r, n, (u128)d, err)
                                                      : store_fraction_tens(r, n, (u128)d, err);
        return 1;
    case OP_MUL:
        if (a->kind_ == RATIO && b->kind_ != RATIO && mul_ratio_amount(r, n1, (uint64_t)d1, n2, (uint64_t)d2, rc, err))
            return 1;
        if (b->kind_ == RATIO && a->kind_ != RATIO && mul_ratio_amount(r, n2, (uint64_t)d2, n1, (uint64_t)d1, rc, err))
            return 1;
        n = (i128)n1 * n2;
        d = (i128)d1 * d2;
        break;
    case OP_DIV:
        if (n2 == 0)
            return 0;
        n = (i128)n1 * d2;
        d = (i128)d1 * n2;
        if (d < 0) {
            n = -n;
            d = -d;
        }
        break;
    }
    *rc = store_fraction(r, n, (u128)d, err);
    return 1;
}

/* a op b on GMP rationals, exactly: past every 64- and 128-bit path. */
static NOINLINE fisc_status gmp_binop(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, enum op op,
                                      fisc_error *err)
{
    mpq_t qa, qb, qr;
    fisc_status rc;

    mpq_init(qa);
    mpq_init(qb);
    mpq_init(qr);
    switch (op) {
    case OP_ADD:
        mpq_add(qr, view_mpq(qa, a), view_mpq(qb, b));
        break;
    case OP_SUB:
        mpq_sub(qr, view_mpq(qa, a), view_mpq(qb, b));
        break;
    case OP_MUL:
        mpq_mul(qr, view_mpq(qa, a), view_mpq(qb, b));
        break;
    case OP_DIV:
        mpq_div(qr, view_mpq(qa, a), view_mpq(qb, b));
        break;
    }
    rc = store_mpq_take(r, qr, err);
    mpq_clear(qa);
    mpq_clear(qb);
    mpq_clear(qr);
    return rc;
}

/*
 * The general path of the four operations: 64-bit rationals (ratio_binop: a RATIO operand such as
 * x/9, or a non-terminating quotient), else GMP. No GMP is reached while the numerators and
 * denominators fit 63 bits.
 */
static NOINLINE fisc_status binop_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                                          enum op op, fisc_error *err)
{
    fisc_status rc;

    if (ratio_binop(r, a, b, op, &rc, err))
        return rc;
    return gmp_binop(r, a, b, op, err);
}

/* a ± b past the 64-bit case: aligned 128-bit coefficients, else binop_general. */
static NOINLINE fisc_status add_sub(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                                    enum op op, fisc_error *err)
{
    i128 x, y, z;
    int s;

    fiscp_error_reset(err);
    if (a->kind_ == SMALL && b->kind_ == SMALL && align(&x, &y, &s, a, b)) {
        int over = op == OP_ADD ? __builtin_add_overflow(x, y, &z) : __builtin_sub_overflow(x, y, &z);

        if (!over && z != I128_MIN) {
            set_small(r, z, s);
            return FISC_OK;
        }
    }
    return binop_general(r, a, b, op, err);
}

fisc_status fisc_decimal_add(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    int64_t x, y, z;
    int s;

    if (FISCP_LIKELY(align_small64(&x, &y, &s, a, b) && !__builtin_add_overflow(x, y, &z))) {
        fiscp_error_reset(err);
        fiscp_decimal_set_scaled(r, z, s);
        return FISC_OK;
    }
    return add_sub(r, a, b, OP_ADD, err);
}

fisc_status fisc_decimal_sub(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    int64_t x, y, z;
    int s;

    if (FISCP_LIKELY(align_small64(&x, &y, &s, a, b) && !__builtin_sub_overflow(x, y, &z))) {
        fiscp_error_reset(err);
        fiscp_decimal_set_scaled(r, z, s);
        return FISC_OK;
    }
    return add_sub(r, a, b, OP_SUB, err);
}

fisc_status fiscp_decimal_add_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err)
{
    return add_sub(r, a, b, OP_ADD, err);
}

fisc_status fiscp_decimal_sub_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b, fisc_error *err)
{
    return add_sub(r, a, b, OP_SUB, err);
}

/* a × b past the 64-bit case: a 128-bit product, else binop_general. */
NOINLINE fisc_status fiscp_decimal_mul_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                                             fisc_error *err)
{
    i128 z;

    fiscp_error_reset(err);
    if (a->kind_ == SMALL && b->kind_ == SMALL && a->scale_ + b->scale_ <= MAX_SCALE &&
        !__builtin_mul_overflow(coef_of(a), coef_of(b), &z) && z != I128_MIN) {
        set_small(r, z, a->scale_ + b->scale_);
        return FISC_OK;
    }
    return binop_general(r, a, b, OP_MUL, err);
}

fisc_status fisc_decimal_mul(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    /* |product| <= 2^126: never overflows, and the scales add */
    if (FISCP_LIKELY(small64_pair(a, b) && a->scale_ + b->scale_ <= MAX_SCALE)) {
        fiscp_error_reset(err);
        set_small(r, (i128)(int64_t)a->lo_ * (int64_t)b->lo_, a->scale_ + b->scale_);
        return FISC_OK;
    }
    return fiscp_decimal_mul_general(r, a, b, err);
}

/* a / b past the 64-bit case: 64-bit rationals, else GMP; or division by zero. */
NOINLINE fisc_status fiscp_decimal_div_general(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                                             fisc_error *err)
{
    fiscp_error_reset(err);
    if (fiscp_decimal_sign(b) == 0)
        return fiscp_error_set(err, FISC_EDIVZERO, "division by zero");
    return binop_general(r, a, b, OP_DIV, err);
}

/*
 * The terminating quotient of fisc_decimal_div's fast path, a/b = (na/d)·10^(sb−sa) with na/d
 * reduced and d = 2^t2 5^t5: na·m / 10^(k+sa−sb) with k = max(t2, t5) and m = 10^k / d, else the
 * general path when a step would overflow. Out of line: its 128-bit steps would make the fast path
 * save registers; it jumps here.
 */
static OUT_OF_LINE fisc_status div_terminating(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                                               uint64_t na, uint64_t d, fisc_error *err)
{
    int k, scale;
    u128 m, coef;

    if (!decimal_denominator(&k, &m, d) || __builtin_mul_overflow((u128)na, m, &coef)) /* k > 38 */
        return fiscp_decimal_div_general(r, a, b, err);
    scale = k + a->scale_ - b->scale_;
    if (scale < 0) {
        if (-scale > MAX_SCALE || __builtin_mul_overflow(coef, pow10_tab[-scale], &coef))
            return fiscp_decimal_div_general(r, a, b, err);
        scale = 0;
    }
    if (scale > MAX_SCALE || coef >> 126)
        return fiscp_decimal_div_general(r, a, b, err);
    fiscp_error_reset(err);
    set_small(r, ((int64_t)a->lo_ < 0) != ((int64_t)b->lo_ < 0) ? -(i128)coef : (i128)coef, scale);
    return FISC_OK;
}

/*
 * The fast path of division, on 64-bit coefficients: a/b = ca/cb × 10^(sb−sa). With g = gcd(|ca|, |cb|)
 * and d = |cb|/g = 2^t2 5^t5 r (r prime to 10), the quotient terminates when r = 1
 * (div_terminating); else it is the RATIO n / d' = (|ca|/g)·10^(sb−sa) / d (x / 0.9, the R&D
 * limit), where n and d' can share only the 2s and 5s of the power of ten, cancelled without a
 * second gcd. Every other case (operands not such, b = 0, a step that would overflow) takes the
 * general path; each way out is a jump.
 */
fisc_status fisc_decimal_div(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    int64_t ca = (int64_t)a->lo_, cb = (int64_t)b->lo_;
    uint64_t n, g, d;
    int e = b->scale_ - a->scale_;

    if (!small64_pair(a, b) || ca == INT64_MIN || cb == INT64_MIN || cb == 0)
        return fiscp_decimal_div_general(r, a, b, err);
    if (ca == 0) {
        fiscp_error_reset(err);
        set_small(r, 0, 0);
        return FISC_OK;
    }
    n = (uint64_t)(ca < 0 ? -ca : ca);
    d = (uint64_t)(cb < 0 ? -cb : cb);
    g = gcd64_inline(n, d);
    if (g != 1) {
        n /= g;
        d /= g;
    }
    if (terminates64(d))
        return div_terminating(r, a, b, n, d, err);
    if (e > 18 || e < -18 || (e > 0 && __builtin_mul_overflow(n, (uint64_t)pow10_64(e), &n)) ||
        (e < 0 && __builtin_mul_overflow(d, (uint64_t)pow10_64(-e), &d)))
        return fiscp_decimal_div_general(r, a, b, err);
    cancel_tens(&n, &d);
    if (n > INT64_MAX || d > INT64_MAX)
        return fiscp_decimal_div_general(r, a, b, err);
    fiscp_error_reset(err);
    set_ratio(r, (ca < 0) != (cb < 0) ? -(int64_t)n : (int64_t)n, d);
    return FISC_OK;
}

fisc_status fisc_decimal_neg(fisc_decimal *r, const fisc_decimal *a, fisc_error *err)
{
    fisc_status rc;

    fiscp_error_reset(err);
    if (a->kind_ == SMALL) {
        set_small(r, -coef_of(a), a->scale_); /* |coef| < 2^127: cannot overflow */
        return FISC_OK;
    }
    if (a->kind_ == RATIO) {
        set_ratio(r, -num_of(a), den_of(a)); /* |n| <= INT64_MAX: cannot overflow */
        return FISC_OK;
    }
    /* BIG: so is -a (each kind's range is symmetric, and the kind follows the value) */
    rc = fisc_decimal_set(r, a, err);
    if (rc == FISC_OK)
        mpq_neg(big_of(r), big_of(r));
    return rc;
}

fisc_status fisc_decimal_abs(fisc_decimal *r, const fisc_decimal *a, fisc_error *err)
{
    if (fiscp_decimal_sign(a) < 0)
        return fisc_decimal_neg(r, a, err);
    return fisc_decimal_set(r, a, err);
}

fisc_status fisc_decimal_min(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    return fiscp_decimal_set(r, cmp_fast(a, b) <= 0 ? a : b, err);
}

fisc_status fisc_decimal_max(fisc_decimal *r, const fisc_decimal *a, const fisc_decimal *b,
                             fisc_error *err)
{
    return fiscp_decimal_set(r, cmp_fast(a, b) >= 0 ? a : b, err);
}

/* ---------------------------------------------------------------- rounding */

/*
 * Whether to move the truncated quotient one unit away from zero, when the dropped part is not
 * zero. half: sign of (dropped part - half a unit) in magnitude; odd: the truncated quotient is
 * odd; sign: the sign of the value (-1 or 1). Each mode's answers to the 12 cases are the bits of
 * AWAY[mode], at (half + 1)·4 + odd·2 + (sign < 0): no branch. mode is valid (every caller checks).
 */
static inline int round_away(fisc_round mode, int half, int odd, int sign)
{
    static const uint16_t AWAY[FISC_ROUND_FLOOR + 1] = {
        [FISC_ROUND_HALF_UP] = 0xFF0,   /* half >= 0 */
        [FISC_ROUND_HALF_EVEN] = 0xFC0, /* half > 0, or half = 0 and odd */
        [FISC_ROUND_HALF_DOWN] = 0xF00, /* half > 0 */
        [FISC_ROUND_DOWN] = 0x000,      /* never */
        [FISC_ROUND_UP] = 0xFFF,        /* always */
        [FISC_ROUND_CEILING] = 0x555,   /* the value is positive */
        [FISC_ROUND_FLOOR] = 0xAAA,     /* the value is negative */
    };

    return (AWAY[mode] >> ((half + 1) * 4 + !!odd * 2 + (sign < 0))) & 1;
}

/*
 * round_away for the remainder 0 <= rem < d of |x| / d = q: 1 to move q one unit away from zero.
 * Where the mode is known to be HALF_UP (the engine's 四舍五入, inlined), one comparison: no
 * branch on rem, which is 0 only when rem < d - rem.
 */
static FISCP_ALWAYS_INLINE uint64_t rem_away(fisc_round mode, uint64_t rem, uint64_t d, uint64_t q, int negative)
{
    if (__builtin_constant_p(mode) && mode == FISC_ROUND_HALF_UP)
        return rem >= d - rem;
    return rem != 0 && round_away(mode, (rem > d - rem) - (rem < d - rem), (int)(q & 1), negative ? -1 : 1);
}

static int valid_mode(int mode)
{
    return mode >= FISC_ROUND_HALF_UP && mode <= FISC_ROUND_FLOOR;
}

/*
 * x / u (u > 0) rounded to an integer quotient; *inexact when the remainder is not zero. One
 * 64-bit division when both fit (a RATIO rounded to the 分, most amounts), else 128-bit.
 */
static i128 small_quotient(i128 x, i128 u, fisc_round mode, int *inexact)
{
    i128 q, rem;

    if ((i128)(int64_t)x == x && (i128)(int64_t)u == u) {
        int64_t q64 = (int64_t)x / (int64_t)u, r64 = (int64_t)x % (int64_t)u;

        *inexact = r64 != 0;
        if (r64 != 0) { /* |r64| < u <= INT64_MAX */
            uint64_t ar = (uint64_t)(r64 < 0 ? -r64 : r64), other = (uint64_t)u - ar;

            if (round_away(mode, (ar > other) - (ar < other), (int)(q64 & 1), x < 0 ? -1 : 1))
                q64 += x < 0 ? -1 : 1;
        }
        return q64;
    }
    q = x / u;
    rem = x % u;
    *inexact = rem != 0;
    if (rem != 0) {
        i128 ar = rem < 0 ? -rem : rem, other = u - ar;
        int half = (ar > other) - (ar < other);

        if (round_away(mode, half, (int)(q & 1), x < 0 ? -1 : 1))
            q += x < 0 ? -1 : 1;
    }
    return q;
}

/*
 * x / 10^k for 0 <= x < 2^63 and 1 <= k <= 18 without a division instruction (Granlund and
 * Montgomery, "Division by invariant integers using multiplication", 1994, theorem 4.2 with
 * N = 63: m = floor(2^(63+l) / d) + 1, l = ceil(log2 d), gives floor(x / d) = floor(m x / 2^(63+l))
 * exactly for every 63-bit x). 63 + l >= 64: the high word of m x, shifted right by l − 1 (the
 * table's shift). Checked against division by the tests.
 */
static const struct {
    uint64_t m;
    int shift;
} RECIP10[19] = {
    { 0, 0 },
    { 14757395258967641293u, 3 }, /* 10^1 */
    { 11805916207174113035u, 6 }, /* 10^2 */
    { 9444732965739290428u, 9 }, /* 10^3 */
    { 15111572745182864684u, 13 }, /* 10^4 */
    { 12089258196146291748u, 16 }, /* 10^5 */
    { 9671406556917033398u, 19 }, /* 10^6 */
    { 15474250491067253437u, 23 }, /* 10^7 */
    { 12379400392853802749u, 26 }, /* 10^8 */
    { 9903520314283042200u, 29 }, /* 10^9 */
    { 15845632502852867519u, 33 }, /* 10^10 */
    { 12676506002282294015u, 36 }, /* 10^11 */
    { 10141204801825835212u, 39 }, /* 10^12 */
    { 16225927682921336340u, 43 }, /* 10^13 */
    { 12980742146337069072u, 46 }, /* 10^14 */
    { 10384593717069655258u, 49 }, /* 10^15 */
    { 16615349947311448412u, 53 }, /* 10^16 */
    { 13292279957849158730u, 56 }, /* 10^17 */
    { 10633823966279326984u, 59 }, /* 10^18 */
};

/* x / 10^k for x < 2^63, 1 <= k <= 18, by the multiplicative inverse (see RECIP10). */
static inline uint64_t div_pow10(uint64_t x, int k)
{
    return (uint64_t)(((u128)x * RECIP10[k].m) >> 64) >> RECIP10[k].shift;
}

/* small_quotient for |x| < 2^63 and d = 10^k, 1 <= k <= 18. */
static FISCP_ALWAYS_INLINE int64_t quotient_pow10(int64_t x, int k, fisc_round mode, int *inexact)
{
    uint64_t ax = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    uint64_t d = (uint64_t)pow10_64(k), q = div_pow10(ax, k), rem = ax - q * d;

    *inexact = rem != 0;
    q += rem_away(mode, rem, d, q, x < 0);
    return x < 0 ? -(int64_t)q : (int64_t)q;
}

/* x / d (d > 0) rounded to an integer with one 64-bit division: a RATIO's numerator times 10^k
   over its denominator (round_ratio64). */
static FISCP_ALWAYS_INLINE int64_t quotient_ratio64(int64_t x, uint64_t d, fisc_round mode, int *inexact)
{
    uint64_t ax = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x, q = ax / d, rem = ax % d;

    *inexact = rem != 0;
    q += rem_away(mode, rem, d, q, x < 0);
    return x < 0 ? -(int64_t)q : (int64_t)q;
}

/* Big path: r = round(v / unit) * unit. */
static fisc_status big_round(fisc_decimal *r, const fisc_decimal *v, const fisc_decimal *unit,
                             fisc_round mode, int *inexact, fisc_error *err)
{
    mpq_t qv, qu, x;
    mpz_t q, rem, twice;
    fisc_status rc;
    int half;

    mpq_init(qv);
    mpq_init(qu);
    mpq_init(x);
    mpz_init(q);
    mpz_init(rem);
    mpz_init(twice);
    mpq_div(x, view_mpq(qv, v), view_mpq(qu, unit));
    mpz_tdiv_qr(q, rem, mpq_numref(x), mpq_denref(x));
    *inexact = mpz_sgn(rem) != 0;
    if (*inexact) {
        mpz_abs(twice, rem);
        mpz_mul_2exp(twice, twice, 1);
        half = mpz_cmp(twice, mpq_denref(x));
        if (round_away(mode, (half > 0) - (half < 0), mpz_odd_p(q), mpq_sgn(x)))
        {
            if (mpq_sgn(x) > 0)
                mpz_add_ui(q, q, 1);
            else
                mpz_sub_ui(q, q, 1);
        }
    }
    mpq_set_z(x, q);
    mpq_mul(x, x, view_mpq(qu, unit));
    rc = store_mpq(r, x, err);
    mpq_clear(qv);
    mpq_clear(qu);
    mpq_clear(x);
    mpz_clear(q);
    mpz_clear(rem);
    mpz_clear(twice);
    return rc;
}

/*
 * A RATIO n/d, or a BIG value whose numerator and denominator fit 127 bits, rounded to a SMALL
 * unit cu/10^su on 128-bit integers (no GMP): q = round(n·10^su / (d·cu)), the result q·cu at
 * scale su. Returns 0 (nothing written) when an intermediate would not fit.
 */
static int round_fraction(fisc_decimal *res, const fisc_decimal *v, const fisc_decimal *unit,
                          fisc_round mode, int *inexact)
{
    i128 n, d, x, u, q, z;

    if (unit->kind_ != SMALL)
        return 0;
    if (v->kind_ == RATIO && unit->scale_ <= 18 && fits64(unit)) {
        /* |n|, d < 2^63, 10^su <= 10^18, |cu| < 2^63: nothing overflows, and |q·cu| <= |x|/d + cu < 2^124 */
        x = (i128)num_of(v) * pow10_64(unit->scale_);
        u = (i128)(int64_t)den_of(v) * (int64_t)unit->lo_;
        q = small_quotient(x, u, mode, inexact);
        set_small(res, q * (int64_t)unit->lo_, unit->scale_);
        return 1;
    }
    if (v->kind_ == RATIO) {
        n = num_of(v);
        d = (i128)den_of(v);
    } else if (v->kind_ != BIG || !mpz_get_i128(&n, mpq_numref(big_of(v))) ||
               !mpz_get_i128(&d, mpq_denref(big_of(v)))) {
        return 0;
    }
    if (__builtin_mul_overflow(n, (i128)pow10_tab[unit->scale_], &x) || __builtin_mul_overflow(d, coef_of(unit), &u))
        return 0;
    q = small_quotient(x, u, mode, inexact);
    if (__builtin_mul_overflow(q, coef_of(unit), &z) || z == I128_MIN)
        return 0;
    set_small(res, z, unit->scale_);
    return 1;
}

/* Round into a fresh value res; the public functions then compute the residue and move. */
static fisc_status round_into(fisc_decimal *res, const fisc_decimal *v, const fisc_decimal *unit,
                              fisc_round mode, uint32_t *status, fisc_error *err)
{
    int inexact = 0;
    fisc_status rc = FISC_OK;
    i128 x, u, q, z;
    int s;

    if (v->kind_ == SMALL && unit->kind_ == SMALL && align(&x, &u, &s, v, unit)) {
        q = small_quotient(x, u, mode, &inexact);
        if (!__builtin_mul_overflow(q, u, &z) && z != I128_MIN)
            set_small(res, z, s);
        else
            rc = big_round(res, v, unit, mode, &inexact, err);
    } else if (!round_fraction(res, v, unit, mode, &inexact)) {
        rc = big_round(res, v, unit, mode, &inexact, err);
    }
    if (rc == FISC_OK && status) {
        if (inexact || (v->kind_ == SMALL && unit->kind_ == SMALL && v->scale_ > unit->scale_))
            *status |= FISC_STATUS_ROUNDED;
        if (inexact)
            *status |= FISC_STATUS_INEXACT;
    }
    return rc;
}

static fisc_status finish_round(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                                fisc_decimal *res, fisc_error *err)
{
    fisc_status rc = FISC_OK;

    if (residue)
        rc = fisc_decimal_sub(residue, v, res, err);
    if (rc == FISC_OK && !res->big_)
        copy_fields(r, res); /* SMALL or RATIO: r keeps its own rational, if any */
    else if (rc == FISC_OK)
        fiscp_decimal_swap(r, res);
    fiscp_decimal_clear(res);
    return rc;
}

/*
 * A SMALL v with no more decimals than it is rounded to: a copy, with no status, as nothing was
 * dropped (the general path reports nothing either; its copy carries the unit's decimals).
 */
static inline void round_copy(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v)
{
    if (r != v)
        copy_fields(r, v);
    if (residue)
        set_small(residue, 0, 0);
}

/* v (SMALL) rounded to places below its scale is round_small64's case. */
static inline int small64_roundable(const fisc_decimal *v, int places)
{
    return fits64(v) && v->scale_ - places <= 18 && (int64_t)v->lo_ != INT64_MIN;
}

/*
 * v (SMALL, small64_roundable) rounded to places < its scale, by the inverse of 10^(scale−places)
 * (quotient_pow10). Out of line, so that its callers' fast paths save no registers: they jump here.
 */
static OUT_OF_LINE fisc_status round_small64(fisc_decimal *r, const fisc_decimal *v, int places, fisc_round mode,
                                             uint32_t *status)
{
    int inexact;
    int64_t q = quotient_pow10((int64_t)v->lo_, v->scale_ - places, mode, &inexact);

    fiscp_decimal_set_scaled(r, q, places);
    if (status)
        *status |= FISC_STATUS_ROUNDED | (inexact ? FISC_STATUS_INEXACT : 0u);
    return FISC_OK;
}

/*
 * x / d rounded to an integer, at scale k: a RATIO n/d rounded to 10^-k (k <= 18) when x = n·10^k
 * fits 64 bits, with one 64-bit division, as round_fraction does it. Out of line as round_small64.
 */
static OUT_OF_LINE fisc_status round_ratio64(fisc_decimal *r, int64_t x, uint64_t d, int k, fisc_round mode,
                                             uint32_t *status)
{
    int inexact;

    fiscp_decimal_set_scaled(r, quotient_ratio64(x, d, mode, &inexact), k);
    if (inexact && status) /* always inexact, in fact: d is not 2^i 5^j */
        *status |= FISC_STATUS_ROUNDED | FISC_STATUS_INEXACT;
    return FISC_OK;
}

/*
 * SMALL value, places >= 0. No GMP, no allocation. Returns 0 (nothing written) when q * 10^k
 * would overflow, which only a 39-digit coefficient can cause.
 */
static int round_places_small(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                              int places, fisc_round mode, uint32_t *status)
{
    int s = v->scale_, k = s - places, inexact;
    i128 c, d, q, qd;

    if (s <= places) {
        round_copy(r, residue, v);
        return 1;
    }
    c = coef_of(v);
    if (small64_roundable(v, places)) {
        /* the residue c − q·10^k is below 10^k in magnitude: 64-bit (wrapping) arithmetic is exact */
        (void)round_small64(r, v, places, mode, status);
        if (residue)
            fiscp_decimal_set_scaled(residue, (int64_t)((uint64_t)c - r->lo_ * (uint64_t)pow10_64(k)), s);
        return 1;
    }
    d = (i128)pow10_tab[k];
    q = small_quotient(c, d, mode, &inexact);
    if (__builtin_mul_overflow(q, d, &qd))
        return 0;
    set_small(r, q, places);
    if (residue)
        set_small(residue, c - qd, s);
    if (status)
        *status |= FISC_STATUS_ROUNDED | (inexact ? FISC_STATUS_INEXACT : 0u);
    return 1;
}

/* fisc_decimal_round_unit past its fast path: every check, every kind, every unit. */
NOINLINE fisc_status fiscp_decimal_round_unit_general(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                                                      const fisc_decimal *unit, fisc_round mode, uint32_t *status,
                                                      fisc_error *err)
{
    fisc_decimal res;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!r || !v || !unit)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_round_unit: NULL argument");
    if (!valid_mode((int)mode))
        return fiscp_error_set(err, FISC_EINVAL, "unknown rounding mode %d", (int)mode);
    /* 1, 0.1, 0.01 ... (positive): the result carries the unit's decimals, as fisc_decimal_round */
    if (unit->kind_ == SMALL && unit->lo_ == 1 && unit->hi_ == 0 && v->kind_ == SMALL &&
        round_places_small(r, residue, v, unit->scale_, mode, status))
        return FISC_OK;
    if (fiscp_decimal_sign(unit) <= 0)
        return fiscp_error_set(err, FISC_EINVAL, "the rounding unit must be positive");
    fiscp_decimal_init(&res);
    rc = round_into(&res, v, unit, mode, status, err);
    if (rc != FISC_OK) {
        fiscp_decimal_clear(&res);
        return rc;
    }
    return finish_round(r, residue, v, &res, err);
}

/* fisc_decimal_round_unit's fast path, inlined into it and into fiscp_decimal_round_to_unit. */
static inline fisc_status round_unit_fast(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                                          const fisc_decimal *unit, fisc_round mode, uint32_t *status,
                                          fisc_error *err)
{
    int64_t x;
    int k;

    fiscp_error_reset(err);
    /* a unit 1, 0.1, 0.01 ... (SMALL, coefficient 1) and a value as every amount is: a SMALL one
       already to the unit (a copy), or with at most 18 more decimals (a product, a rate), or a
       RATIO (a share x/9) */
    if (FISCP_UNLIKELY(!r || !v || !unit) || ((unit->lo_ ^ 1) | unit->hi_ | unit->kind_) != 0 ||
        !valid_mode((int)mode))
        return fiscp_decimal_round_unit_general(r, residue, v, unit, mode, status, err);
    k = unit->scale_;
    if (v->kind_ == SMALL) {
        if (v->scale_ <= k) {
            round_copy(r, residue, v);
            return FISC_OK;
        }
        if (!residue && small64_roundable(v, k))
            return round_small64(r, v, k, mode, status);
    } else if (v->kind_ == RATIO && !residue && k <= 18 && !__builtin_mul_overflow(num_of(v), pow10_64(k), &x)) {
        return round_ratio64(r, x, den_of(v), k, mode, status);
    }
    return fiscp_decimal_round_unit_general(r, residue, v, unit, mode, status, err);
}

fisc_status fisc_decimal_round_unit(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                                    const fisc_decimal *unit, fisc_round mode, uint32_t *status,
                                    fisc_error *err)
{
    return round_unit_fast(r, residue, v, unit, mode, status, err);
}

/* fiscp_decimal_round_to_unit past its inline case, out of line: the inline case saves no register. */
static OUT_OF_LINE fisc_status round_to_unit_rest(fisc_decimal *r, const fisc_decimal *v, const fisc_decimal *unit,
                                                  fisc_round mode, fisc_error *err)
{
    return round_unit_fast(r, NULL, v, unit, mode, NULL, err);
}

/*
 * The engine's common case is HALF_UP (四舍五入) to 0.01 of an amount times a rate or of a share
 * x/9: round_small64's and round_ratio64's quotients inline, with the mode known (one comparison
 * decides the rounding) and no status to report. Anything else takes round_unit_fast.
 */
fisc_status fiscp_decimal_round_to_unit(fisc_decimal *r, const fisc_decimal *v, const fisc_decimal *unit,
                                        fisc_round mode, fisc_error *err)
{
    int k = unit->scale_, inexact;
    int64_t x;

    if (FISCP_LIKELY(mode == FISC_ROUND_HALF_UP) && ((unit->lo_ ^ 1) | unit->hi_ | unit->kind_) == 0) {
        fiscp_error_reset(err);
        if (v->kind_ == SMALL && v->scale_ > k && small64_roundable(v, k)) {
            x = quotient_pow10((int64_t)v->lo_, v->scale_ - k, FISC_ROUND_HALF_UP, &inexact);
            fiscp_decimal_set_scaled(r, x, k);
            return FISC_OK;
        }
        if (v->kind_ == RATIO && k <= 18 && !__builtin_mul_overflow(num_of(v), pow10_64(k), &x)) {
            fiscp_decimal_set_scaled(r, quotient_ratio64(x, den_of(v), FISC_ROUND_HALF_UP, &inexact), k);
            return FISC_OK;
        }
    }
    return round_to_unit_rest(r, v, unit, mode, err);
}

/* fisc_decimal_round past its fast path: every check, every kind, every number of places. */
static NOINLINE fisc_status round_general(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v, int places,
                                          fisc_round mode, uint32_t *status, fisc_error *err)
{
    fisc_decimal unit;
    fisc_status rc;

    if (FISCP_UNLIKELY(!r || !v))
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_round: NULL argument");
    if (FISCP_UNLIKELY(!valid_mode((int)mode)))
        return fiscp_error_set(err, FISC_EINVAL, "unknown rounding mode %d", (int)mode);
    if (FISCP_UNLIKELY(places > 36 || places < -FISC_DECIMAL_MAX_INT_DIGITS))
        return fiscp_error_set(err, FISC_EINVAL, "places %d is outside -%d..36", places,
                               FISC_DECIMAL_MAX_INT_DIGITS);
    if (v->kind_ == SMALL && places >= 0 && round_places_small(r, residue, v, places, mode, status))
        return FISC_OK;
    fiscp_decimal_init(&unit);
    rc = FISC_OK;
    if (places >= 0)
        set_small(&unit, 1, places);
    else if (places >= -MAX_SCALE)
        set_small(&unit, (i128)pow10_tab[-places], 0);
    else
        rc = store_pow10(&unit, -places, err);
    if (rc == FISC_OK)
        rc = fisc_decimal_round_unit(r, residue, v, &unit, mode, status, err);
    fiscp_decimal_clear(&unit);
    return rc;
}

fisc_status fisc_decimal_round(fisc_decimal *r, fisc_decimal *residue, const fisc_decimal *v,
                               int places, fisc_round mode, uint32_t *status, fisc_error *err)
{
    fiscp_error_reset(err);
    /* a SMALL value (every amount) to 0..36 places: already there (a copy), or round_small64 */
    if (FISCP_LIKELY(r && v) && v->kind_ == SMALL && places >= 0 && places <= 36 && valid_mode((int)mode)) {
        if (v->scale_ <= places) {
            round_copy(r, residue, v);
            return FISC_OK;
        }
        if (!residue && small64_roundable(v, places))
            return round_small64(r, v, places, mode, status);
    }
    return round_general(r, residue, v, places, mode, status, err);
}

/* ---------------------------------------------------------------- digits (for formatting) */

static const char DIGIT_PAIRS[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                  "8081828384858687888990919293949596979899";

/* Two digits of k < 100 at p: one 16-bit copy from the table. */
static inline void put_pair(char *p, unsigned k)
{
    memcpy(p, DIGIT_PAIRS + 2 * k, 2);
}

/* The number of decimal digits of v (1 for 0): from the bit length (log10 2 ~ 1233 / 4096),
   corrected by one comparison. */
static inline size_t digit_count(uint64_t v)
{
    int t = ((64 - __builtin_clzll(v | 1)) * 1233) >> 12;

    return (size_t)t + 1 - ((v | 1) < POW10_64[t]);
}

/*
 * Exactly n digits (1 <= n <= 8) of v < 10^n at p, as a fixed-point fraction (James Anhalt's
 * itoa, jeaiii): t = v·ceil(2^48 / 10^j) holds v / 10^j with its 1 or 2 leading digits above bit
 * 48, and each multiplication of the fraction below by 100 brings up the next pair. The error,
 * below v / 2^48 of a unit, grows 100-fold a step to below 10^(n+j) / 2^48 < 0.36 (n + j <= 14):
 * every digit is exact (checked once for every n and v < 10^n; the tests check each length against
 * printf). n is a constant where it is inlined: straight code.
 */
static FISCP_ALWAYS_INLINE void put_upto8(char *p, uint32_t v, int n)
{
    static const uint64_t FIX[7] = { (uint64_t)1 << 48, 0, 2814749767107u, 0, 28147497672u, 0, 281474977u };
    const uint64_t mask = ((uint64_t)1 << 48) - 1;
    int j = (n - 1) & ~1; /* the digits after the leading 1 or 2 */
    uint64_t t = (uint64_t)v * FIX[j];

    if (n & 1) {
        *p++ = (char)('0' + (t >> 48));
    } else {
        put_pair(p, (unsigned)(t >> 48));
        p += 2;
    }
#if defined(__GNUC__)
# pragma GCC unroll 3
#endif
    for (int i = 0; i < j; i += 2, p += 2) {
        t = (t & mask) * 100;
        put_pair(p, (unsigned)(t >> 48));
    }
}

/* Exactly n digits of v < 10^n at p, zero-padded (n a constant where inlined): 8-digit groups, the first
   shortest. */
static FISCP_ALWAYS_INLINE void put_u64(char *p, uint64_t v, int n)
{
    uint64_t hi;

    if (n > 16) {
        hi = v / 10000000000000000u;
        put_upto8(p, (uint32_t)hi, n - 16);
        p += n - 16;
        v -= hi * 10000000000000000u;
        n = 16;
    }
    if (n > 8) {
        hi = v / 100000000u;
        put_upto8(p, (uint32_t)hi, n - 8);
        p += n - 8;
        v -= hi * 100000000u;
        n = 8;
    }
    put_upto8(p, (uint32_t)v, n);
}

size_t fiscp_u64_digits(char *out, uint64_t v)
{
    size_t n = digit_count(v);

    switch (n) { /* one straight path per length */
#define CASE(k)                                                                                                \
    case k:                                                                                                    \
        put_u64(out, v, k);                                                                                    \
        break;
        CASE(1) CASE(2) CASE(3) CASE(4) CASE(5) CASE(6) CASE(7) CASE(8) CASE(9) CASE(10)
        CASE(11) CASE(12) CASE(13) CASE(14) CASE(15) CASE(16) CASE(17) CASE(18) CASE(19) CASE(20)
#undef CASE
    default:
        break;
    }
    return n;
}

/* The digits of m < 2^127 into out; returns their number (at most 39). */
static size_t u128_digits(char *out, u128 m)
{
    uint64_t hi;
    size_t n;

    if ((uint64_t)(m >> 64) == 0)
        return fiscp_u64_digits(out, (uint64_t)m);
    hi = (uint64_t)(m / E19); /* m < 2^127: the quotient fits 64 bits */
    n = fiscp_u64_digits(out, hi);
    put_u64(out + n, (uint64_t)(m - (u128)hi * E19), 19); /* zero-padded: the remainder is below 10^19 */
    return n + 19;
}

/*
 * The 8 digits of v < 10^8 in ASCII as a word whose lowest byte is the first digit (SWAR): split
 * into 4 + 4 digits, then 2-digit and 1-digit lanes, each by a multiplicative inverse that is exact
 * on its lane's range (y / 100 = y·10486 >> 20 for y < 10^4, y / 10 = y·103 >> 10 for y < 100).
 */
static inline uint64_t ascii8(uint32_t v)
{
    uint64_t x = v / 10000 | (uint64_t)(v % 10000) << 32, h;

    h = (x * 10486 >> 20) & 0x0000007F0000007Fu;
    x = h | (x - h * 100) << 16;
    h = (x * 103 >> 10) & 0x000F000F000F000Fu;
    x = h | (x - h * 10) << 8;
    return x | 0x3030303030303030u;
}

/*
 * The last n digits (1 <= n <= 8) of ascii8(v) at p, with one 8-byte store: 8 − n zero bytes
 * follow them, which the rest of the text overwrites (or leaves after its NUL). Returns p + n.
 */
static inline char *put_ascii8(char *p, uint32_t v, int n)
{
    uint64_t w = ascii8(v) >> (8 * (8 - n));

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, 8);
    return p + n;
}

/* Exactly n digits (1 <= n <= 19) of v < 10^n, zero-padded, at p, as put_ascii8. Returns p + n. */
static FISCP_ALWAYS_INLINE char *put_digits(char *p, uint64_t v, int n)
{
    if (n <= 2) { /* the 分 of an amount: one copy from the table */
        if (n == 2)
            put_pair(p, (unsigned)v);
        else
            *p = (char)('0' + v);
        return p + n;
    }
    if (n > 16) {
        p = put_ascii8(p, (uint32_t)(v / 10000000000000000u), n - 16);
        v %= 10000000000000000u;
        n = 16;
    }
    if (n > 8) {
        p = put_ascii8(p, (uint32_t)(v / 100000000u), n - 8);
        v %= 100000000u;
        n = 8;
    }
    return put_ascii8(p, (uint32_t)v, n);
}

size_t fiscp_decimal_small_text(char *out, const fisc_decimal *v, int places)
{
    uint64_t m, q;
    int s, pad, neg;
    char *p = out;

    if (!fiscp_decimal_has_small_text(v))
        return 0;
    /* a 64-bit coefficient with at most 18 decimals (every amount): written from the left, 8
       digits a store; out has FISC_DECIMAL_TEXT_SIZE bytes, more than the text and the 7 bytes
       a store may write past it */
    neg = (int64_t)v->lo_ < 0;
    m = neg ? (uint64_t)0 - v->lo_ : v->lo_;
    s = v->scale_;
    if (places < 0)
        while (s > 0 && m % 10 == 0) { /* the shortest form: trailing zeros dropped */
            m /= 10;
            s--;
        }
    pad = places > s ? places - s : 0;
    q = s > 0 ? div_pow10(m, s) : m; /* the integer part */
    *p = '-';
    p = put_digits(p + neg, q, (int)digit_count(q));
    if (s + pad > 0) {
        *p++ = '.';
        if (s > 0)
            p = put_digits(p, m - q * POW10_64[s], s);
        for (; pad > 0; pad--)
            *p++ = '0';
    }
    *p = '\0';
    return (size_t)(p - out);
}

int fiscp_decimal_small_digits(char digits[FISCP_COEF_DIGITS], int *negative, int *scale,
                               const fisc_decimal *v)
{
    i128 c;
    size_t n;

    if (v->kind_ != SMALL)
        return 0;
    c = coef_of(v);
    n = u128_digits(digits, c < 0 ? -(u128)c : (u128)c);
    digits[n] = '\0';
    *negative = c < 0;
    *scale = v->scale_;
    return (int)n;
}

int fiscp_decimal_ratio64(int64_t *num, uint64_t *den, const fisc_decimal *v)
{
    if (v->kind_ != RATIO)
        return 0;
    *num = num_of(v);
    *den = den_of(v);
    return 1;
}

fisc_status fiscp_decimal_digits(char **digits, int *negative, int *scale, const fisc_decimal *v,
                                 fisc_error *err)
{
    char small[FISCP_COEF_DIGITS];
    mpz_t t;
    mpq_t tmp;
    mpq_srcptr q;
    int s, n;

    if ((n = fiscp_decimal_small_digits(small, negative, scale, v)) > 0) {
        *digits = fiscp_strndup(small, (size_t)n);
        return *digits ? FISC_OK : fiscp_error_nomem(err);
    }
    mpq_init(tmp);
    q = view_mpq(tmp, v); /* a RATIO is terminating only past 38 decimals: GMP then */
    if (!terminating_scale(&s, mpq_denref(q), FISC_DECIMAL_MAX_BITS)) {
        mpq_clear(tmp);
        return fiscp_error_set(err, FISC_EINVAL, "the value is not a terminating decimal");
    }
    mpz_init(t);
    scaled_coef(t, q, s);
    *negative = mpz_sgn(mpq_numref(q)) < 0;
    mpz_abs(t, t);
    *digits = fiscp_malloc(mpz_sizeinbase(t, 10) + 2);
    if (*digits)
        mpz_get_str(*digits, 10, t);
    mpz_clear(t);
    mpq_clear(tmp);
    *scale = s;
    return *digits ? FISC_OK : fiscp_error_nomem(err);
}

int fiscp_decimal_get_int64_general(int64_t *out, const fisc_decimal *v)
{
    i128 c, d, q;

    if (v->kind_ != SMALL) /* a 64-bit integer was fiscp_decimal_get_int64's */
        return 0;
    c = coef_of(v);
    d = (i128)pow10_tab[v->scale_];
    if (c % d != 0)
        return 0;
    q = c / d;
    if (q > INT64_MAX || q < INT64_MIN)
        return 0;
    *out = (int64_t)q;
    return 1;
}

