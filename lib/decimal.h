/*
 * Private interface of the decimal module, shared with format, upper and apportion.
 */
#ifndef FISC_LIB_DECIMAL_H
#define FISC_LIB_DECIMAL_H

#include "fisc_private.h"

/*
 * The digits of |v| as an ASCII string (no sign, no point, no leading zeros, "0" for zero)
 * and a scale such that v = sign * digits / 10^scale. Fails with FISC_EINVAL when v is not a
 * terminating decimal. The caller frees *digits with fiscp_free.
 */
fisc_status fiscp_decimal_digits(char **digits, int *negative, int *scale,
                                 const fisc_decimal *v, fisc_error *err);

/*
 * Write the exact shortest text of a SMALL, terminating v into buf without allocating.
 * Returns the length, or -1 when v is BIG or buf is too small (use fisc_decimal_to_string).
 */
int fiscp_decimal_write(char *buf, size_t size, const fisc_decimal *v);
/* Money as results show it: exactly two decimals when the value has no more (it was rounded to
 * the 分), else exact; grouped by thousands when asked. Free with fisc_string_free(); NULL on OOM. */
char *fiscp_decimal_money(const fisc_decimal *v, int grouping);

/* 1 and *out set when v is an integer that fits in int64_t, else 0. */
int fiscp_decimal_get_int64(int64_t *out, const fisc_decimal *v);

/* 1 and the coefficient and scale when v is SMALL with a 64-bit coefficient (v = coef / 10^scale). */
int fiscp_decimal_small64(int64_t *coef, int *scale, const fisc_decimal *v);

/* Swap two values (both initialised): a cheap move. */
void fiscp_decimal_swap(fisc_decimal *a, fisc_decimal *b);

/* Set out to coef / 10^scale for a small coefficient (scale 0..18). */
void fiscp_decimal_set_scaled(fisc_decimal *out, int64_t coef, int scale);

#endif
