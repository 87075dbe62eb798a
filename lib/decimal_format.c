/*
 * Formatting decimals as text: exact (shortest form, or p/q), fixed places, thousands
 * grouping, and 万元. Digits come from fisc's own conversion (or mpz_get_str on a scaled
 * integer) with the point inserted here: locale-proof, no printf of floating values
 * (conventions.md §12). A SMALL or RATIO value is written into a caller's buffer without
 * allocating (fisc_decimal_format: every amount of every batch row); only a BIG one goes through
 * a text on the heap.
 */
#include <gmp.h>
#include <string.h>

#include "decimal.h"

#if defined(__GNUC__) /* keeps the slow path out of the fast one's frame */
# define NOINLINE __attribute__((noinline))
#else
# define NOINLINE
#endif

/* Any SMALL or RATIO text fits: '-', 39 digits, 12 commas, '.', 36 places and the NUL; or "-n/d". */
_Static_assert(FISC_DECIMAL_TEXT_SIZE >= 1 + 39 + 12 + 1 + 36 + 1, "FISC_DECIMAL_TEXT_SIZE is too small");

fisc_status fisc_format_init(fisc_format *fmt, unsigned int version)
{
    static const fisc_format init = FISC_FORMAT_INIT;

    if (!fmt || version != FISC_FORMAT_VERSION)
        return FISC_EINVAL;
    *fmt = init;
    return FISC_OK;
}

/*
 * The layout of sign and value = digits / 10^scale (digits without leading zeros, "0" for zero),
 * with `places` decimals (places >= scale: the value is already rounded), or with places < 0
 * exactly, trailing zeros dropped. Computed once for the length and for the writing.
 */
typedef struct {
    size_t nint;  /* integer digits taken from digits (none: a lone '0') */
    size_t lead;  /* zeros between the point and the digits */
    size_t want;  /* decimals written */
    int minus;
} shape;

static shape shape_of(int negative, const char *digits, size_t nd, int scale, int places)
{
    size_t sc = (size_t)scale, nfrac = sc;
    shape s;

    s.nint = nd > sc ? nd - sc : 0;
    s.lead = nd < sc ? sc - nd : 0;
    if (places < 0)
        while (nfrac > 0 && (nfrac <= s.lead || digits[s.nint + nfrac - s.lead - 1] == '0'))
            nfrac--;
    s.want = places < 0 ? nfrac : (size_t)places;
    s.minus = negative && !(nd == 1 && digits[0] == '0');
    return s;
}

static size_t shape_length(const shape *s, int grouping)
{
    size_t n = (size_t)s->minus + (s->nint ? s->nint + (grouping ? (s->nint - 1) / 3 : 0) : 1);

    return n + (s->want ? 1 + s->want : 0);
}

/* Write the text laid out by s (shape_length + 1 bytes); returns its length. */
static size_t layout(char *out, const shape *s, const char *digits, int scale, int grouping)
{
    size_t o = 0, sc = (size_t)scale;

    if (s->minus)
        out[o++] = '-';
    if (s->nint == 0)
        out[o++] = '0';
    for (size_t k = 0; k < s->nint; k++) {
        if (grouping && k > 0 && (s->nint - k) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[k];
    }
    if (s->want)
        out[o++] = '.';
    for (size_t k = 0; k < s->want; k++)
        out[o++] = k < s->lead || k >= sc ? '0' : digits[s->nint + k - s->lead];
    out[o] = '\0';
    return o;
}

/*
 * The text of x into out (FISC_DECIMAL_TEXT_SIZE bytes) when x is SMALL, or a non-terminating
 * RATIO ("-1/3": only the exact form has one; places round to SMALL); returns its length, or 0
 * (a text is never empty) for any other value.
 */
static size_t text_small(char *out, const fisc_decimal *x, int places, int grouping)
{
    char digits[FISCP_COEF_DIGITS];
    int negative, scale, nd;
    int64_t num;
    uint64_t den;
    size_t o = 0;
    shape s;

    if (!grouping && (o = fiscp_decimal_small_text(out, x, places)) > 0)
        return o;
    if ((nd = fiscp_decimal_small_digits(digits, &negative, &scale, x)) > 0) {
        s = shape_of(negative, digits, (size_t)nd, scale, places);
        return layout(out, &s, digits, scale, grouping);
    }
    if (!fiscp_decimal_ratio64(&num, &den, x) || fisc_decimal_is_terminating(x))
        return 0;
    if (num < 0)
        out[o++] = '-';
    o += fiscp_u64_digits(out + o, num < 0 ? (uint64_t)0 - (uint64_t)num : (uint64_t)num);
    out[o++] = '/';
    o += fiscp_u64_digits(out + o, den);
    out[o] = '\0';
    return o;
}

/* The text of any other x on the heap: exact "p/q" for a value that does not terminate, else digits. */
static fisc_status text_heap(char **out, size_t *len, const fisc_decimal *x, int places, int grouping,
                             fisc_error *err)
{
    char *digits = NULL;
    int negative = 0, scale = 0;
    fisc_status rc;
    shape s;

    if (!fisc_decimal_is_terminating(x)) { /* BIG here; only the exact form leaves one unrounded */
        mpq_srcptr q = (mpq_srcptr)x->big_;

        *out = fiscp_malloc(mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3);
        if (!*out)
            return fiscp_error_nomem(err);
        mpq_get_str(*out, 10, q);
        *len = strlen(*out);
        return FISC_OK;
    }
    rc = fiscp_decimal_digits(&digits, &negative, &scale, x, err);
    if (rc == FISC_OK) {
        s = shape_of(negative, digits, strlen(digits), scale, places);
        *len = shape_length(&s, grouping);
        *out = fiscp_malloc(*len + 1);
        if (*out)
            layout(*out, &s, digits, scale, grouping);
        else
            rc = fiscp_error_nomem(err);
    }
    fiscp_free(digits);
    return rc;
}

static fisc_status check_format(const fisc_format *fmt, fisc_error *err)
{
    if (fmt->version != FISC_FORMAT_VERSION)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_format version %u is not %d", fmt->version,
                               FISC_FORMAT_VERSION);
    if (fmt->places != FISC_PLACES_EXACT && (fmt->places < 0 || fmt->places > 36))
        return fiscp_error_set(err, FISC_EINVAL, "places %d is outside 0..36", fmt->places);
    if (fmt->rounding < FISC_ROUND_HALF_UP || fmt->rounding > FISC_ROUND_FLOOR)
        return fiscp_error_set(err, FISC_EINVAL, "unknown rounding mode %d", fmt->rounding);
    if (fmt->unit != FISC_UNIT_YUAN && fmt->unit != FISC_UNIT_WAN)
        return fiscp_error_set(err, FISC_EINVAL, "unknown unit %d", fmt->unit);
    return FISC_OK;
}

/* x = v, or v / 10000 for 万元, rounded to places when asked. */
static fisc_status prepare(fisc_decimal *x, const fisc_decimal *v, const fisc_format *fmt,
                           uint32_t *status, fisc_error *err)
{
    fisc_status rc;

    if (fmt->unit == FISC_UNIT_WAN) {
        fisc_decimal wan;

        fiscp_decimal_init(&wan);
        fisc_decimal_set_int(&wan, 10000);
        rc = fisc_decimal_div(x, v, &wan, err);
        fiscp_decimal_clear(&wan);
    } else {
        rc = fisc_decimal_set(x, v, err);
    }
    if (rc == FISC_OK && fmt->places != FISC_PLACES_EXACT)
        rc = fisc_decimal_round(x, NULL, x, fmt->places, (fisc_round)fmt->rounding, status, err);
    return rc;
}

/*
 * The text of v as fmt asks (fmt checked): into small (FISC_DECIMAL_TEXT_SIZE bytes) for a SMALL
 * or RATIO result, with *heap NULL; else in *heap, which the caller frees. *len is its length.
 */
static fisc_status render(char *small, char **heap, size_t *len, const fisc_decimal *v,
                          const fisc_format *fmt, uint32_t *status, fisc_error *err)
{
    fisc_decimal x;
    fisc_status rc;

    *heap = NULL;
    /* the common case, the exact value in 元: nothing to prepare */
    if (fmt->places == FISC_PLACES_EXACT && fmt->unit == FISC_UNIT_YUAN &&
        (*len = text_small(small, v, FISC_PLACES_EXACT, fmt->grouping)) > 0)
        return FISC_OK;
    fiscp_decimal_init(&x);
    rc = prepare(&x, v, fmt, status, err);
    if (rc == FISC_OK && (*len = text_small(small, &x, fmt->places, fmt->grouping)) == 0)
        rc = text_heap(heap, len, &x, fmt->places, fmt->grouping, err);
    fiscp_decimal_clear(&x);
    return rc;
}

/* fisc_decimal_format past its common case: checks, options, BIG values, short buffers. */
static NOINLINE fisc_status format_general(char *buf, size_t size, size_t *len, const fisc_decimal *v,
                                           const fisc_format *fmt, uint32_t *status, fisc_error *err)
{
    static const fisc_format exact = FISC_FORMAT_INIT;
    char tmp[FISC_DECIMAL_TEXT_SIZE], *heap, *text;
    size_t n = 0;
    fisc_status rc;

    if (len)
        *len = 0;
    if (buf && size > 0)
        buf[0] = '\0';
    if (!v || (!buf && size > 0))
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_format: NULL argument");
    if (!fmt)
        fmt = &exact;
    if ((rc = check_format(fmt, err)) != FISC_OK)
        return rc;
    /* a buffer that holds any SMALL text is written directly; a smaller one through tmp */
    text = size >= FISC_DECIMAL_TEXT_SIZE ? buf : tmp;
    if ((rc = render(text, &heap, &n, v, fmt, status, err)) != FISC_OK)
        return rc;
    if (heap)
        text = heap;
    if (len)
        *len = n;
    if (n >= size) {
        fiscp_free(heap);
        if (size > 0)
            buf[0] = '\0';
        return fiscp_error_set(err, FISC_ERANGE, "the text needs %zu bytes, the buffer has %zu", n + 1, size);
    }
    if (text != buf)
        memcpy(buf, text, n + 1);
    fiscp_free(heap);
    return FISC_OK;
}

/*
 * 1 when fmt asks v for no more than its digits padded with zeros: places (a valid format's,
 * 0..36) at least v's decimals, in 元, no grouping. Rounding then keeps v as it is and reports
 * nothing (fisc_decimal_round), so the text is fiscp_decimal_small_text()'s with those places:
 * a batch's amount (two decimals) written with two.
 */
static inline int padded_only(const fisc_format *fmt, const fisc_decimal *v)
{
    return fmt->places >= v->scale_ && fmt->places <= 36 && fmt->version == FISC_FORMAT_VERSION
           && fmt->unit == FISC_UNIT_YUAN && !fmt->grouping
           && (unsigned)fmt->rounding <= (unsigned)FISC_ROUND_FLOOR;
}

/*
 * The text of v (as fiscp_decimal_small_text() writes, at most two decimals) with two decimals:
 * its value in 分 (cents) written by the shared digit writer, the point put in before the last two
 * digits; a value under 1 as 100 more, its '1' made a '0' ("0.05"). A batch amount so takes
 * ~120 instructions, against ~150 through the general layout. Returns the length, or 0 when the
 * value in 分 does not fit 64 bits.
 */
static size_t cents_text(char *out, const fisc_decimal *v)
{
    static const uint64_t TO_CENTS[3] = { 100, 10, 1 };
    const int neg = (int64_t)v->lo_ < 0;
    const uint64_t m = neg ? (uint64_t)0 - v->lo_ : v->lo_;
    uint64_t c;
    char *p = out + neg;
    size_t n;

    if (m > UINT64_MAX / 100)
        return 0;
    c = m * TO_CENTS[v->scale_];
    out[0] = '-';
    n = fiscp_u64_digits(p, c < 100 ? c + 100 : c);
    if (c < 100)
        p[0] = '0';
    p[n] = p[n - 1];
    p[n - 1] = p[n - 2];
    p[n - 2] = '.';
    p[n + 1] = '\0';
    return (size_t)neg + n + 1;
}

/* The batch case: an amount, exactly or padded to places (FISC_PLACES_EXACT, or as padded_only()
   allows), into a buffer that holds any SMALL text. Out of line, so that fisc_decimal_format
   saves no registers: it jumps here. */
static NOINLINE fisc_status format_amount(char *buf, size_t *len, const fisc_decimal *v, int places)
{
    size_t n = places == 2 ? cents_text(buf, v) : 0;

    if (n == 0)
        n = fiscp_decimal_small_text(buf, v, places);

    if (len)
        *len = n;
    return FISC_OK;
}

fisc_status fisc_decimal_format(char *buf, size_t size, size_t *len, const fisc_decimal *v,
                                const fisc_format *fmt, uint32_t *status, fisc_error *err)
{
    fiscp_error_reset(err);
    if (FISCP_LIKELY(v && buf && size >= FISC_DECIMAL_TEXT_SIZE) && fiscp_decimal_has_small_text(v)) {
        if (!fmt)
            return format_amount(buf, len, v, FISC_PLACES_EXACT);
        if (padded_only(fmt, v))
            return format_amount(buf, len, v, fmt->places);
    }
    return format_general(buf, size, len, v, fmt, status, err);
}

fisc_status fisc_decimal_to_string(char **out, const fisc_decimal *v, const fisc_format *fmt,
                                   uint32_t *status, fisc_error *err)
{
    static const fisc_format exact = FISC_FORMAT_INIT;
    char small[FISC_DECIMAL_TEXT_SIZE], *heap;
    size_t n;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !v)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_to_string: NULL argument");
    *out = NULL;
    if (!fmt)
        fmt = &exact;
    if ((rc = check_format(fmt, err)) != FISC_OK)
        return rc;
    if ((rc = render(small, &heap, &n, v, fmt, status, err)) != FISC_OK)
        return rc;
    *out = heap ? heap : fiscp_strndup(small, n);
    return *out ? FISC_OK : fiscp_error_nomem(err);
}

int fiscp_decimal_write(char *buf, size_t size, const fisc_decimal *v)
{
    char tmp[FISC_DECIMAL_TEXT_SIZE];
    size_t n = text_small(tmp, v, FISC_PLACES_EXACT, 0);

    if (n == 0 || n >= size)
        return -1;
    memcpy(buf, tmp, n + 1);
    return (int)n;
}

char *fiscp_decimal_money(const fisc_decimal *v, int grouping)
{
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_decimal t;
    uint32_t st = 0;
    char *s = NULL;

    fiscp_decimal_init(&t);
    if (fisc_decimal_round(&t, NULL, v, 2, FISC_ROUND_DOWN, &st, NULL) == FISC_OK && !(st & FISC_STATUS_INEXACT))
        fmt.places = 2;
    fiscp_decimal_clear(&t);
    fmt.grouping = grouping;
    return fisc_decimal_to_string(&s, v, &fmt, NULL, NULL) == FISC_OK ? s : NULL;
}
