/*
 * The README's C example, built and run by the test suite so that the README stays true.
 * Prints: 185,185.18 人民币壹拾捌万伍仟壹佰捌拾伍元壹角捌分
 */
#include <stdio.h>

#include <fisc/fisc.h>

int main(void)
{
    fisc_decimal amount, rate, tax;
    fisc_error err = FISC_ERROR_INIT;
    char *text = NULL, *upper = NULL;
    fisc_format fmt = FISC_FORMAT_INIT;
    int rc = 0;

    fisc_decimal_init(&amount);
    fisc_decimal_init(&rate);
    fisc_decimal_init(&tax);
    if (fisc_decimal_parse(&amount, "1234567.89", FISC_PARSE_PLAIN, &err) != FISC_OK ||
        fisc_decimal_parse(&rate, "15%", FISC_PARSE_RATE, &err) != FISC_OK ||
        fisc_decimal_mul(&tax, &amount, &rate, &err) != FISC_OK ||
        fisc_decimal_round(&tax, NULL, &tax, 2, FISC_ROUND_HALF_UP, NULL, &err) != FISC_OK) {
        fprintf(stderr, "%s: %s\n", fisc_err_name(err.code), err.text);
        rc = 1;
    }
    fmt.places = 2;
    fmt.grouping = 1;
    if (rc == 0 && fisc_decimal_to_string(&text, &tax, &fmt, NULL, &err) == FISC_OK &&
        fisc_upper_format(&upper, &tax, FISC_UPPER_RMB_PREFIX, &err) == FISC_OK)
        printf("%s %s\n", text, upper);
    else
        rc = 1;
    fisc_string_free(text);
    fisc_string_free(upper);
    fisc_decimal_clear(&amount);
    fisc_decimal_clear(&rate);
    fisc_decimal_clear(&tax);
    return rc;
}
