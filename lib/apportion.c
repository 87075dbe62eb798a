/*
 * Apportionment: split a total exactly into parts at a unit.
 *
 * 1. Effective caps: a cap is floored to the unit; pro rata, the request is a cap too
 *    (同比例核减 never gives a part more than it asked for).
 * 2. Exact shares by water-filling: parts sorted by cap / weight; while the lowest ratio is
 *    below remaining / remaining weight, that part is held at its cap and leaves the pool.
 *    The rest share what remains in proportion to their weights. If every part is capped,
 *    what is left is unallocated.
 * 3. Each part gets its exact share rounded down to the unit; the units left over go out by
 *    the remainder rule (largest remainder, first in tie order, or kept separate).
 * Everything is exact (fisc_decimal); ties follow the caller's order, so results are
 * deterministic.
 */
#include <string.h>

#include "decimal.h"

#define MAX_PARTS 10000000u

__extension__ typedef __int128 i128;

/* What sets a part's effective cap. */
enum { UNBOUNDED = 0, BY_CAP = 1, BY_REQUEST = 2 };

struct fisc_apportion {
    size_t n, alloc;
    fisc_decimal *weight;
    fisc_decimal *cap;
    unsigned char *has_cap;
    fisc_decimal *part;
    fisc_decimal *share;
    uint32_t *flags;
    unsigned char *held;        /* held at its effective cap by the last run */
    fisc_decimal unallocated;
    fisc_decimal remainder;
    int ran;
    /* exact shares are computed on the first request after an integer-path run */
    int shares_ready;
    fisc_decimal share_left;    /* what the parts not held share */
    fisc_decimal share_pool;    /* the sum of their weights */
};

/* Scratch space for one run. */
typedef struct run {
    const fisc_apportion *ap;
    fisc_decimal unit;
    fisc_decimal *ecap;     /* effective caps */
    fisc_decimal *key;      /* sort key: cap/weight, then the dropped fraction */
    unsigned char *bounded; /* has an effective cap: BY_CAP or BY_REQUEST */
    unsigned char *capped;  /* held at its cap by water-filling */
    size_t *rank;           /* tie order: lower first */
    size_t *idx, *tmp;
    int descending;
    /* the integer path: weights at one scale, caps and amounts in units, remainders */
    int key_mode;         /* KEY_DECIMAL, KEY_RATIO (cap / weight ascending), KEY_REM (descending) */
    int64_t *w, *e;
    i128 *rem;
} run;

enum { KEY_DECIMAL, KEY_RATIO, KEY_REM };

fisc_status fisc_apportion_options_init(fisc_apportion_options *opts, unsigned int version)
{
    static const fisc_apportion_options init = FISC_APPORTION_OPTIONS_INIT;

    if (!opts || version != FISC_APPORTION_OPTIONS_VERSION)
        return FISC_EINVAL;
    *opts = init;
    return FISC_OK;
}

fisc_status fisc_apportion_new(fisc_apportion **out, fisc_error *err)
{
    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_apportion_new: out is NULL");
    *out = fiscp_calloc(1, sizeof(**out));
    if (!*out)
        return fiscp_error_nomem(err);
    fisc_decimal_init(&(*out)->unallocated);
    fisc_decimal_init(&(*out)->remainder);
    fisc_decimal_init(&(*out)->share_left);
    fisc_decimal_init(&(*out)->share_pool);
    return FISC_OK;
}

static void clear_array(fisc_decimal *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        fisc_decimal_clear(&a[i]);
}

void fisc_apportion_free(fisc_apportion *ap)
{
    if (!ap)
        return;
    clear_array(ap->weight, ap->n);
    clear_array(ap->cap, ap->n);
    clear_array(ap->part, ap->n);
    clear_array(ap->share, ap->n);
    fiscp_free(ap->weight);
    fiscp_free(ap->cap);
    fiscp_free(ap->part);
    fiscp_free(ap->share);
    fiscp_free(ap->has_cap);
    fiscp_free(ap->flags);
    fisc_decimal_clear(&ap->unallocated);
    fisc_decimal_clear(&ap->remainder);
    fisc_decimal_clear(&ap->share_left);
    fisc_decimal_clear(&ap->share_pool);
    fiscp_free(ap->held);
    fiscp_free(ap);
}

/* Grow every per-part array to hold at least n + 1 parts. */
static fisc_status grow(fisc_apportion *ap, fisc_error *err)
{
    size_t want = ap->alloc ? ap->alloc * 2 : 16;
    void *p;

    if (ap->n < ap->alloc)
        return FISC_OK;
#define GROW(field)                                                        \
    do {                                                                   \
        p = fiscp_realloc_array(ap->field, want, sizeof(*ap->field));      \
        if (!p)                                                            \
            return fiscp_error_nomem(err);                                 \
        ap->field = p;                                                     \
    } while (0)
    GROW(weight);
    GROW(cap);
    GROW(part);
    GROW(share);
    GROW(has_cap);
    GROW(flags);
    GROW(held);
#undef GROW
    ap->alloc = want;
    return FISC_OK;
}

fisc_status fisc_apportion_add(fisc_apportion *ap, const fisc_decimal *weight, const fisc_decimal *cap,
                               fisc_error *err)
{
    size_t i;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!ap || !weight)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_apportion_add: NULL argument");
    i = ap->n;
    if (fisc_decimal_sign(weight) < 0)
        return fiscp_error_set(err, FISC_EINVAL, "part %zu: the weight (or request) is negative", i);
    if (cap && fisc_decimal_sign(cap) < 0)
        return fiscp_error_set(err, FISC_EINVAL, "part %zu: the cap is negative", i);
    if (i >= MAX_PARTS)
        return fiscp_error_set(err, FISC_ERANGE, "more than %u parts", MAX_PARTS);
    if ((rc = grow(ap, err)) != FISC_OK)
        return rc;
    fisc_decimal_init(&ap->weight[i]);
    fisc_decimal_init(&ap->cap[i]);
    fisc_decimal_init(&ap->part[i]);
    fisc_decimal_init(&ap->share[i]);
    ap->has_cap[i] = cap != NULL;
    ap->flags[i] = 0;
    ap->n++;
    ap->ran = 0;
    if ((rc = fisc_decimal_set(&ap->weight[i], weight, err)) != FISC_OK ||
        (cap && (rc = fisc_decimal_set(&ap->cap[i], cap, err)) != FISC_OK)) {
        ap->n--; /* not added: leave the handle as it was */
        fisc_decimal_clear(&ap->weight[i]);
        fisc_decimal_clear(&ap->cap[i]);
    }
    return rc;
}

/* ------------------------------------------------------------------ sorting */

/* Order by key (ascending, or descending), then by rank. */
static int before(const run *r, size_t a, size_t b)
{
    int c;

    if (r->key_mode == KEY_RATIO) { /* e_a / w_a against e_b / w_b, by cross products */
        i128 x = (i128)r->e[a] * r->w[b], y = (i128)r->e[b] * r->w[a];

        c = (x > y) - (x < y);
    } else if (r->key_mode == KEY_REM) {
        c = (r->rem[a] < r->rem[b]) - (r->rem[a] > r->rem[b]);
    } else {
        c = fisc_decimal_cmp(&r->key[a], &r->key[b]);
        if (r->descending)
            c = -c;
    }
    return c != 0 ? c < 0 : r->rank[a] < r->rank[b];
}

/* Stable merge sort of r->idx[0..n) (qsort has no context argument). */
static void sort_idx(run *r, size_t *a, size_t n, size_t *t)
{
    size_t h = n / 2, i = 0, j = h, k = 0;

    if (n < 2)
        return;
    sort_idx(r, a, h, t);
    sort_idx(r, a + h, n - h, t);
    while (i < h && j < n)
        t[k++] = before(r, a[j], a[i]) ? a[j++] : a[i++];
    while (i < h)
        t[k++] = a[i++];
    while (j < n)
        t[k++] = a[j++];
    memcpy(a, t, n * sizeof(*a));
}

/* ------------------------------------------------------------------ the run */

static fisc_status check_options(run *r, const fisc_apportion_options *o, fisc_error *err)
{
    size_t n = r->ap->n;

    if (o->version != FISC_APPORTION_OPTIONS_VERSION)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_apportion_options version %u is not %d",
                               o->version, FISC_APPORTION_OPTIONS_VERSION);
    if (o->mode != FISC_APPORTION_WEIGHTS && o->mode != FISC_APPORTION_PRORATA)
        return fiscp_error_set(err, FISC_EINVAL, "unknown apportion mode %d", o->mode);
    if (o->remainder < FISC_REMAINDER_LARGEST || o->remainder > FISC_REMAINDER_SEPARATE)
        return fiscp_error_set(err, FISC_EINVAL, "unknown remainder rule %d", o->remainder);
    if (o->unit && fisc_decimal_sign(o->unit) <= 0)
        return fiscp_error_set(err, FISC_EINVAL, "the unit must be positive");
    for (size_t i = 0; i < n; i++)
        r->rank[i] = n; /* "not seen" */
    if (o->order) {
        if (o->order_len != n)
            return fiscp_error_set(err, FISC_EINVAL, "the tie order has %zu entries for %zu parts",
                                   o->order_len, n);
        for (size_t k = 0; k < n; k++) {
            if (o->order[k] >= n || r->rank[o->order[k]] != n)
                return fiscp_error_set(err, FISC_EINVAL,
                                       "the tie order is not a permutation of 0..%zu (entry %zu)", n - 1, k);
            r->rank[o->order[k]] = k;
        }
    } else {
        for (size_t i = 0; i < n; i++)
            r->rank[i] = i;
    }
    return FISC_OK;
}

static int is_multiple(const fisc_decimal *v, const fisc_decimal *unit)
{
    fisc_decimal t;
    uint32_t st = 0;
    fisc_status rc;

    fisc_decimal_init(&t);
    rc = fisc_decimal_round_unit(&t, NULL, v, unit, FISC_ROUND_DOWN, &st, NULL);
    fisc_decimal_clear(&t);
    return rc == FISC_OK && !(st & FISC_STATUS_INEXACT);
}

/* Effective caps: caps floored to the unit; pro rata the floored request caps too. */
static fisc_status effective_caps(run *r, int prorata, fisc_error *err)
{
    const fisc_apportion *ap = r->ap;
    fisc_status rc = FISC_OK;

    for (size_t i = 0; i < ap->n && rc == FISC_OK; i++) {
        r->bounded[i] = ap->has_cap[i] ? BY_CAP : prorata ? BY_REQUEST : UNBOUNDED;
        if (ap->has_cap[i])
            rc = fisc_decimal_round_unit(&r->ecap[i], NULL, &ap->cap[i], &r->unit, FISC_ROUND_DOWN,
                                         NULL, err);
        if (rc == FISC_OK && prorata) {
            fisc_decimal req;

            fisc_decimal_init(&req);
            rc = fisc_decimal_round_unit(&req, NULL, &ap->weight[i], &r->unit, FISC_ROUND_DOWN, NULL, err);
            if (rc == FISC_OK && (!ap->has_cap[i] || fisc_decimal_cmp(&req, &r->ecap[i]) < 0)) {
                r->bounded[i] = BY_REQUEST;
                rc = fisc_decimal_set(&r->ecap[i], &req, err);
            }
            fisc_decimal_clear(&req);
        }
    }
    return rc;
}

/*
 * Water-filling (step 2). On return ap->share holds the exact shares and *left what no part
 * could take.
 */
static fisc_status water_fill(run *r, fisc_apportion *ap, const fisc_decimal *total, fisc_decimal *left,
                              fisc_error *err)
{
    fisc_decimal pool_w, lhs, rhs;
    size_t m = 0, k, uncapped = 0;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&pool_w);
    fisc_decimal_init(&lhs);
    fisc_decimal_init(&rhs);
    rc = fisc_decimal_set(left, total, err);
    for (size_t i = 0; i < ap->n && rc == FISC_OK; i++) {
        r->capped[i] = 0;
        fisc_decimal_set_int(&ap->share[i], 0);
        if (fisc_decimal_sign(&ap->weight[i]) == 0)
            continue;
        uncapped++;
        rc = fisc_decimal_add(&pool_w, &pool_w, &ap->weight[i], err);
        if (rc == FISC_OK && r->bounded[i]) {
            r->idx[m++] = i;
            rc = fisc_decimal_div(&r->key[i], &r->ecap[i], &ap->weight[i], err);
        }
    }
    r->descending = 0;
    if (rc == FISC_OK)
        sort_idx(r, r->idx, m, r->tmp);
    for (k = 0; k < m && rc == FISC_OK; k++) {
        size_t i = r->idx[k];

        /* held at the cap iff left * w_i / pool_w > ecap_i */
        if ((rc = fisc_decimal_mul(&lhs, left, &ap->weight[i], err)) != FISC_OK ||
            (rc = fisc_decimal_mul(&rhs, &r->ecap[i], &pool_w, err)) != FISC_OK)
            break;
        if (fisc_decimal_cmp(&lhs, &rhs) <= 0)
            break;
        r->capped[i] = 1;
        uncapped--;
        if ((rc = fisc_decimal_set(&ap->share[i], &r->ecap[i], err)) != FISC_OK ||
            (rc = fisc_decimal_sub(left, left, &r->ecap[i], err)) != FISC_OK)
            break;
        rc = fisc_decimal_sub(&pool_w, &pool_w, &ap->weight[i], err);
    }
    for (size_t i = 0; i < ap->n && rc == FISC_OK && uncapped > 0; i++) {
        if (r->capped[i] || fisc_decimal_sign(&ap->weight[i]) == 0)
            continue;
        if ((rc = fisc_decimal_mul(&lhs, left, &ap->weight[i], err)) == FISC_OK)
            rc = fisc_decimal_div(&ap->share[i], &lhs, &pool_w, err);
    }
    if (rc == FISC_OK && uncapped > 0)
        fisc_decimal_set_int(left, 0);
    fisc_decimal_clear(&pool_w);
    fisc_decimal_clear(&lhs);
    fisc_decimal_clear(&rhs);
    return rc;
}

/* Room part i has left below its effective cap, into room; 0 if unbounded. */
static int room_of(fisc_decimal *room, run *r, size_t i, fisc_error *err, fisc_status *rc)
{
    if (!r->bounded[i])
        return 0;
    *rc = fisc_decimal_sub(room, &r->ecap[i], &r->ap->part[i], err);
    return 1;
}

/* Give up to *left to parts in order idx[0..m), each at most `step` (NULL: as much as fits). */
static fisc_status give(run *r, fisc_apportion *ap, size_t m, const fisc_decimal *step, fisc_decimal *left,
                        fisc_error *err)
{
    fisc_decimal room, amount;
    fisc_status rc = FISC_OK;

    fisc_decimal_init(&room);
    fisc_decimal_init(&amount);
    for (size_t k = 0; k < m && rc == FISC_OK && fisc_decimal_sign(left) > 0; k++) {
        size_t i = r->idx[k];

        rc = fisc_decimal_min(&amount, left, step ? step : left, err);
        if (rc == FISC_OK && room_of(&room, r, i, err, &rc) && rc == FISC_OK)
            rc = fisc_decimal_min(&amount, &amount, &room, err);
        if (rc == FISC_OK && fisc_decimal_sign(&amount) > 0 &&
            (rc = fisc_decimal_add(&ap->part[i], &ap->part[i], &amount, err)) == FISC_OK)
            rc = fisc_decimal_sub(left, left, &amount, err);
    }
    fisc_decimal_clear(&room);
    fisc_decimal_clear(&amount);
    return rc;
}

/* Step 3: floor every share, then hand out the units left over. */
static fisc_status distribute(run *r, fisc_apportion *ap, const fisc_decimal *total, int rule,
                              fisc_error *err)
{
    fisc_decimal left;
    size_t m = 0;
    fisc_status rc;

    fisc_decimal_init(&left);
    rc = fisc_decimal_sub(&left, total, &ap->unallocated, err);
    for (size_t i = 0; i < ap->n && rc == FISC_OK; i++) {
        rc = fisc_decimal_round_unit(&ap->part[i], &r->key[i], &ap->share[i], &r->unit,
                                     FISC_ROUND_DOWN, NULL, err);
        if (rc == FISC_OK)
            rc = fisc_decimal_sub(&left, &left, &ap->part[i], err);
        if (fisc_decimal_sign(&ap->weight[i]) > 0)
            r->idx[m++] = i;
    }
    if (rc == FISC_OK && rule == FISC_REMAINDER_SEPARATE) {
        rc = fisc_decimal_set(&ap->remainder, &left, err);
        fisc_decimal_set_int(&left, 0);
    }
    if (rc == FISC_OK && rule == FISC_REMAINDER_LARGEST) {
        r->descending = 1; /* the keys hold the dropped fractions */
        sort_idx(r, r->idx, m, r->tmp);
        r->descending = 0;
        rc = give(r, ap, m, &r->unit, &left, err);
    }
    if (rc == FISC_OK && fisc_decimal_sign(&left) > 0) {
        /* FIRST, or what LARGEST could not place: in tie order, as much as fits. */
        for (size_t k = 0; k < m; k++)
            fisc_decimal_set_int(&r->key[r->idx[k]], 0);
        sort_idx(r, r->idx, m, r->tmp);
        rc = give(r, ap, m, NULL, &left, err);
    }
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&ap->unallocated, &ap->unallocated, &left, err);
    fisc_decimal_clear(&left);
    return rc;
}

/* ------------------------------------------------------------------ the integer path */

static const int64_t P10[19] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
                                 10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
                                 100000000000000LL, 1000000000000000LL, 10000000000000000LL,
                                 100000000000000000LL, 1000000000000000000LL };

/* v at scale k as an int64 (v must be exact there); 0 when it is not. */
static int at_scale(int64_t *out, const fisc_decimal *v, int k)
{
    int64_t c;
    int s;

    if (!fiscp_decimal_small64(&c, &s, v) || s > 18 || k > 18)
        return 0;
    if (s > k) {
        if (c % P10[s - k] != 0)
            return 0;
        *out = c / P10[s - k];
        return 1;
    }
    return !__builtin_mul_overflow(c, P10[k - s], out);
}

/* Load the integer view: weights at one scale, effective caps and the total in units. 0: not possible. */
static int load_ints(run *r, const fisc_apportion *ap, const fisc_decimal *total, int k, int64_t *t, i128 *pool)
{
    int64_t c;
    int s, sw = 0;

    if (!at_scale(t, total, k))
        return 0;
    for (size_t i = 0; i < ap->n; i++) {
        if (!fiscp_decimal_small64(&c, &s, &ap->weight[i]) || s > 18)
            return 0;
        sw = s > sw ? s : sw;
    }
    *pool = 0;
    for (size_t i = 0; i < ap->n; i++) {
        if (!at_scale(&r->w[i], &ap->weight[i], sw) || (r->bounded[i] && !at_scale(&r->e[i], &r->ecap[i], k)))
            return 0;
        *pool += r->w[i];
        if (*pool > INT64_MAX) /* keeps every cross product within 126 bits */
            return 0;
    }
    return 1;
}

/* Water-filling on integers: held parts at their caps, the rest share L in proportion to w. */
static void fill_ints(run *r, fisc_apportion *ap, i128 *left, i128 *pool, size_t *uncapped)
{
    size_t m = 0;

    *uncapped = 0;
    for (size_t i = 0; i < ap->n; i++) {
        ap->held[i] = 0;
        if (r->w[i] > 0) {
            (*uncapped)++;
            if (r->bounded[i])
                r->idx[m++] = i;
        }
    }
    r->key_mode = KEY_RATIO;
    sort_idx(r, r->idx, m, r->tmp);
    for (size_t k = 0; k < m; k++) {
        size_t i = r->idx[k];

        if (*left * r->w[i] <= (i128)r->e[i] * *pool) /* share ≤ cap: so are all after it */
            break;
        ap->held[i] = 1;
        *left -= r->e[i];
        *pool -= r->w[i];
        (*uncapped)--;
    }
}

/* Hand out the units left, by the rule; parts in units in r->rem's companion array pu. */
static i128 hand_out(run *r, fisc_apportion *ap, int64_t *pu, i128 left, int rule, i128 *kept)
{
    size_t m = 0;

    for (size_t i = 0; i < ap->n; i++)
        if (r->w[i] > 0)
            r->idx[m++] = i;
    *kept = 0;
    if (rule == FISC_REMAINDER_SEPARATE) {
        *kept = left;
        return 0;
    }
    if (rule == FISC_REMAINDER_LARGEST) {
        r->key_mode = KEY_REM;
        sort_idx(r, r->idx, m, r->tmp);
        for (size_t k = 0; k < m && left > 0; k++) {
            size_t i = r->idx[k];

            if (!r->bounded[i] || pu[i] < r->e[i]) {
                pu[i]++;
                left--;
            }
        }
    }
    if (left > 0) { /* FIRST, or what the largest remainders could not place: in tie order */
        for (size_t k = 0; k < m; k++)
            r->rem[r->idx[k]] = 0;
        r->key_mode = KEY_REM; /* all remainders equal: the tie order decides */
        sort_idx(r, r->idx, m, r->tmp);
        for (size_t k = 0; k < m && left > 0; k++) {
            size_t i = r->idx[k];
            i128 room = r->bounded[i] ? (i128)r->e[i] - pu[i] : left;
            i128 give = room < left ? room : left;

            if (give > 0) {
                pu[i] += (int64_t)give;
                left -= give;
            }
        }
    }
    return left;
}

/*
 * The common case on integers, without a rational per part: a unit 10^-k, and weights, caps and
 * the total with 64-bit coefficients. Exact shares are then computed only when asked for.
 * Returns 0 (nothing done) when the values do not fit; *rc otherwise.
 */
static int run_ints(run *r, fisc_apportion *ap, const fisc_decimal *total, int rule, fisc_status *rc,
                    fisc_error *err)
{
    int64_t c, t, *pu;
    int k;
    i128 left, pool, kept, rest, unalloc, sum = 0;
    size_t uncapped;

    if (!fiscp_decimal_small64(&c, &k, &r->unit) || c != 1 || k > 18 || !(pu = fiscp_calloc(ap->n, sizeof(*pu))))
        return 0;
    if (!load_ints(r, ap, total, k, &t, &pool)) {
        fiscp_free(pu);
        return 0;
    }
    left = t;
    fill_ints(r, ap, &left, &pool, &uncapped);
    unalloc = uncapped ? 0 : left;
    for (size_t i = 0; i < ap->n; i++) {
        i128 x = uncapped && !ap->held[i] && r->w[i] > 0 ? left * r->w[i] : 0;

        pu[i] = ap->held[i] ? r->e[i] : pool > 0 ? (int64_t)(x / pool) : 0;
        r->rem[i] = pool > 0 ? x % pool : 0;
        sum += pu[i];
    }
    rest = hand_out(r, ap, pu, t - unalloc - sum, rule, &kept);
    for (size_t i = 0; i < ap->n; i++) {
        /* recomputed here: hand_out may have cleared the remainders to sort by tie order */
        int shared = uncapped && !ap->held[i] && r->w[i] > 0 && pool > 0;
        i128 q = shared ? left * r->w[i] / pool : pu[i];
        int exact = !shared || ((left * r->w[i]) % pool == 0 && pu[i] == q);

        fiscp_decimal_set_scaled(&ap->part[i], pu[i], k);
        ap->flags[i] = (ap->held[i] && r->bounded[i] == BY_CAP ? FISC_STATUS_CAPPED : 0u) |
                       (exact ? 0u : FISC_STATUS_INEXACT);
    }
    fiscp_decimal_set_scaled(&ap->unallocated, (int64_t)(unalloc + rest), k);
    fiscp_decimal_set_scaled(&ap->remainder, (int64_t)kept, k);
    fiscp_decimal_set_scaled(&ap->share_left, (int64_t)left, k);
    fisc_decimal_set_int(&ap->share_pool, 0);
    *rc = FISC_OK;
    for (size_t i = 0; i < ap->n && *rc == FISC_OK; i++) /* the weights of the parts not held, exactly */
        if (!ap->held[i] && fisc_decimal_sign(&ap->weight[i]) > 0)
            *rc = fisc_decimal_add(&ap->share_pool, &ap->share_pool, &ap->weight[i], err);
    ap->shares_ready = 0;
    fiscp_free(pu);
    return 1;
}

/* Exact shares after an integer-path run: held parts at their caps, the rest left × w / pool. */
static fisc_status compute_shares(fisc_apportion *ap)
{
    fisc_decimal t;
    fisc_status rc = FISC_OK;
    int any = fisc_decimal_sign(&ap->share_pool) > 0;

    fisc_decimal_init(&t);
    for (size_t i = 0; i < ap->n && rc == FISC_OK; i++) {
        if (ap->held[i])
            rc = fisc_decimal_set(&ap->share[i], &ap->part[i], NULL);
        else if (!any || fisc_decimal_sign(&ap->weight[i]) == 0)
            fisc_decimal_set_int(&ap->share[i], 0);
        else if ((rc = fisc_decimal_mul(&t, &ap->share_left, &ap->weight[i], NULL)) == FISC_OK)
            rc = fisc_decimal_div(&ap->share[i], &t, &ap->share_pool, NULL);
    }
    fisc_decimal_clear(&t);
    if (rc == FISC_OK)
        ap->shares_ready = 1;
    return rc;
}

static void set_flags(run *r, fisc_apportion *ap)
{
    for (size_t i = 0; i < ap->n; i++)
        ap->flags[i] = (r->capped[i] && r->bounded[i] == BY_CAP ? FISC_STATUS_CAPPED : 0u) |
                       (fisc_decimal_cmp(&ap->part[i], &ap->share[i]) ? FISC_STATUS_INEXACT : 0u);
}

static fisc_status run_alloc(run *r, size_t n)
{
    r->ecap = fiscp_calloc(n, sizeof(*r->ecap));
    r->key = fiscp_calloc(n, sizeof(*r->key));
    r->bounded = fiscp_calloc(n, 1);
    r->capped = fiscp_calloc(n, 1);
    r->rank = fiscp_calloc(n, sizeof(size_t));
    r->idx = fiscp_calloc(n, sizeof(size_t));
    r->tmp = fiscp_calloc(n, sizeof(size_t));
    r->w = fiscp_calloc(n, sizeof(*r->w));
    r->e = fiscp_calloc(n, sizeof(*r->e));
    r->rem = fiscp_calloc(n, sizeof(*r->rem));
    if (!r->ecap || !r->key || !r->bounded || !r->capped || !r->rank || !r->idx || !r->tmp || !r->w || !r->e ||
        !r->rem)
        return FISC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        fisc_decimal_init(&r->ecap[i]);
        fisc_decimal_init(&r->key[i]);
    }
    return FISC_OK;
}

static void run_free(run *r, size_t n)
{
    clear_array(r->ecap, n);
    clear_array(r->key, n);
    fiscp_free(r->ecap);
    fiscp_free(r->key);
    fiscp_free(r->bounded);
    fiscp_free(r->capped);
    fiscp_free(r->rank);
    fiscp_free(r->idx);
    fiscp_free(r->tmp);
    fiscp_free(r->w);
    fiscp_free(r->e);
    fiscp_free(r->rem);
    fisc_decimal_clear(&r->unit);
}

static fisc_status check_total(run *r, const fisc_decimal *total, int mode, fisc_error *err)
{
    const fisc_apportion *ap = r->ap;
    int any = 0;

    if (fisc_decimal_sign(total) < 0)
        return fiscp_error_set(err, FISC_EINVAL, "the total to apportion is negative");
    if (!is_multiple(total, &r->unit))
        return fiscp_error_set(err, FISC_EINVAL, "the total is not a multiple of the unit");
    for (size_t i = 0; i < ap->n && !any; i++)
        any = fisc_decimal_sign(&ap->weight[i]) > 0;
    if (!any && mode == FISC_APPORTION_WEIGHTS && fisc_decimal_sign(total) > 0)
        return fiscp_error_set(err, FISC_EINVAL,
                               "all %zu weights are zero, so a positive total cannot be apportioned", ap->n);
    return FISC_OK;
}

fisc_status fisc_apportion_run(fisc_apportion *ap, const fisc_decimal *total,
                               const fisc_apportion_options *opts, fisc_error *err)
{
    static const fisc_apportion_options defaults = FISC_APPORTION_OPTIONS_INIT;
    run r;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!ap || !total)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_apportion_run: NULL argument");
    if (ap->n == 0)
        return fiscp_error_set(err, FISC_EINVAL, "there are no parts to apportion to");
    if (!opts)
        opts = &defaults;
    ap->ran = 0;
    memset(&r, 0, sizeof(r));
    r.ap = ap;
    fisc_decimal_init(&r.unit);
    if (run_alloc(&r, ap->n) != FISC_OK) {
        run_free(&r, ap->n);
        return fiscp_error_nomem(err);
    }
    fiscp_decimal_set_scaled(&r.unit, 1, 2); /* 0.01 元 = 1 分 */
    rc = check_options(&r, opts, err);
    if (rc == FISC_OK && opts->unit)
        rc = fisc_decimal_set(&r.unit, opts->unit, err);
    if (rc == FISC_OK)
        rc = check_total(&r, total, opts->mode, err);
    if (rc == FISC_OK)
        rc = effective_caps(&r, opts->mode == FISC_APPORTION_PRORATA, err);
    fisc_decimal_set_int(&ap->remainder, 0);
    if (rc == FISC_OK && !run_ints(&r, ap, total, opts->remainder, &rc, err)) {
        /* exact rationals throughout: values beyond 64-bit coefficients, or any other unit */
        rc = water_fill(&r, ap, total, &ap->unallocated, err);
        if (rc == FISC_OK)
            rc = distribute(&r, ap, total, opts->remainder, err);
        if (rc == FISC_OK) {
            set_flags(&r, ap);
            for (size_t i = 0; i < ap->n; i++)
                ap->held[i] = r.capped[i];
            ap->shares_ready = 1;
        }
    }
    if (rc == FISC_OK)
        ap->ran = 1;
    run_free(&r, ap->n);
    return rc;
}

size_t fisc_apportion_count(const fisc_apportion *ap)
{
    return ap ? ap->n : 0;
}

const fisc_decimal *fisc_apportion_part(const fisc_apportion *ap, size_t i, uint32_t *flags)
{
    if (!ap || !ap->ran || i >= ap->n)
        return NULL;
    if (flags)
        *flags = ap->flags[i];
    return &ap->part[i];
}

const fisc_decimal *fisc_apportion_exact_share(const fisc_apportion *ap, size_t i)
{
    if (!ap || !ap->ran || i >= ap->n)
        return NULL;
    /* computed on the first request (the handle is not meant for concurrent use) */
    if (!ap->shares_ready && compute_shares((fisc_apportion *)ap) != FISC_OK)
        return NULL;
    return &ap->share[i];
}

const fisc_decimal *fisc_apportion_unallocated(const fisc_apportion *ap)
{
    return ap && ap->ran ? &ap->unallocated : NULL;
}

const fisc_decimal *fisc_apportion_remainder(const fisc_apportion *ap)
{
    return ap && ap->ran ? &ap->remainder : NULL;
}
