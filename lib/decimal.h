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

/* Swap two values (both initialised): a cheap move. */
void fiscp_decimal_swap(fisc_decimal *a, fisc_decimal *b);

/* Set out to coef / 10^scale for a small coefficient (scale 0..18). */
void fiscp_decimal_set_scaled(fisc_decimal *out, int64_t coef, int scale);

#endif
