/*
 * Formatting decimals as text: exact (shortest form, or p/q), fixed places, thousands
 * grouping, and 万元. Digits come from fisc's own conversion (or mpz_get_str on a scaled
 * integer) with the point inserted here: locale-proof, no printf of floating values
 * (conventions.md §12).
 */
#include <gmp.h>
#include <string.h>

#include "decimal.h"

fisc_status fisc_format_init(fisc_format *fmt, unsigned int version)
{
    static const fisc_format init = FISC_FORMAT_INIT;

    if (!fmt || version != FISC_FORMAT_VERSION)
        return FISC_EINVAL;
    *fmt = init;
    return FISC_OK;
}

/*
 * Write the sign and value = digits / 10^scale, with `places` decimals (places >= scale: the
 * value is already rounded), or with places < 0 exactly, trailing zeros stripped. Optional
 * thousands grouping of the integer part.
 */
static char *layout(int negative, const char *digits, int scale, int places, int grouping)
{
    size_t nd = strlen(digits), sc = (size_t)scale;
    size_t nint = nd > sc ? nd - sc : 0;          /* integer digits taken from digits */
    size_t lead = nd < sc ? sc - nd : 0;          /* zeros between the point and digits */
    size_t nfrac = sc, want, o = 0;
    int zero = strspn(digits, "0") == nd;
    char *out;

    if (places < 0)
        while (nfrac > 0 && (nfrac <= lead || digits[nint + nfrac - lead - 1] == '0'))
            nfrac--;
    want = places < 0 ? nfrac : (size_t)places;
    out = fiscp_malloc(2 + (nint ? nint + nint / 3 : 1) + 1 + want + 1);
    if (!out)
        return NULL;
    if (negative && !zero)
        out[o++] = '-';
    if (nint == 0)
        out[o++] = '0';
    for (size_t k = 0; k < nint; k++) {
        if (grouping && k > 0 && (nint - k) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[k];
    }
    if (want)
        out[o++] = '.';
    for (size_t k = 0; k < want; k++)
        out[o++] = k < lead || k >= sc ? '0' : digits[nint + k - lead];
    out[o] = '\0';
    return out;
}

/* Exact "p/q" for a value that is not a terminating decimal (only the exact form allows it). */
static fisc_status fraction_text(char **out, const fisc_decimal *v, fisc_error *err)
{
    mpq_t q;
    size_t n;

    /* v is BIG here (every SMALL value terminates); its rational is canonical. */
    mpq_init(q);
    mpq_set(q, (mpq_srcptr)v->big_);
    n = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
    *out = fiscp_malloc(n);
    if (*out)
        mpq_get_str(*out, 10, q);
    mpq_clear(q);
    return *out ? FISC_OK : fiscp_error_nomem(err);
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

        fisc_decimal_init(&wan);
        fisc_decimal_set_int(&wan, 10000);
        rc = fisc_decimal_div(x, v, &wan, err);
        fisc_decimal_clear(&wan);
    } else {
        rc = fisc_decimal_set(x, v, err);
    }
    if (rc == FISC_OK && fmt->places != FISC_PLACES_EXACT)
        rc = fisc_decimal_round(x, NULL, x, fmt->places, (fisc_round)fmt->rounding, status, err);
    return rc;
}

fisc_status fisc_decimal_to_string(char **out, const fisc_decimal *v, const fisc_format *fmt,
                                   uint32_t *status, fisc_error *err)
{
    static const fisc_format exact = FISC_FORMAT_INIT;
    fisc_decimal x;
    char *digits = NULL;
    int negative = 0, scale = 0;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !v)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_decimal_to_string: NULL argument");
    *out = NULL;
    if (!fmt)
        fmt = &exact;
    if ((rc = check_format(fmt, err)) != FISC_OK)
        return rc;
    fisc_decimal_init(&x);
    rc = prepare(&x, v, fmt, status, err);
    if (rc == FISC_OK && !fisc_decimal_is_terminating(&x)) {
        rc = fraction_text(out, &x, err);
        fisc_decimal_clear(&x);
        return rc;
    }
    if (rc == FISC_OK)
        rc = fiscp_decimal_digits(&digits, &negative, &scale, &x, err);
    if (rc == FISC_OK) {
        *out = layout(negative, digits, scale, fmt->places, fmt->grouping);
        if (!*out)
            rc = fiscp_error_nomem(err);
    }
    fiscp_free(digits);
    fisc_decimal_clear(&x);
    return rc;
}

char *fiscp_decimal_money(const fisc_decimal *v, int grouping)
{
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_decimal t;
    uint32_t st = 0;
    char *s = NULL;

    fisc_decimal_init(&t);
    if (fisc_decimal_round(&t, NULL, v, 2, FISC_ROUND_DOWN, &st, NULL) == FISC_OK && !(st & FISC_STATUS_INEXACT))
        fmt.places = 2;
    fisc_decimal_clear(&t);
    fmt.grouping = grouping;
    return fisc_decimal_to_string(&s, v, &fmt, NULL, NULL) == FISC_OK ? s : NULL;
}
