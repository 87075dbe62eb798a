/*
 * Budget benchmark (issue 5): a program budget of N applicants (default 1 million) with
 * requests in 分, scaled down pro rata (同比例核减) because they exceed the budget, some with
 * caps; allocate exactly to the 分 and check that the parts, the remainder and the unallocated
 * amount add up to the budget. Prints the time of the allocation (fisc_apportion_run).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

static uint64_t now_ns(void) /* timing only */
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    fisc_apportion *ap = NULL;
    fisc_apportion_options o = FISC_APPORTION_OPTIONS_INIT;
    fisc_decimal w, cap, budget, sum;
    fisc_error err = FISC_ERROR_INIT;
    unsigned long long x = 88172645463325252ULL, requested = 0;
    uint64_t t;
    char buf[64], *text = NULL;
    int ok;

    if (n <= 0 || fisc_apportion_new(&ap, &err) != FISC_OK)
        return 2;
    fisc_decimal_init(&w);
    fisc_decimal_init(&cap);
    fisc_decimal_init(&budget);
    fisc_decimal_init(&sum);
    for (long i = 0; i < n; i++) {
        unsigned long long cents;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        cents = 100000 + x % 50000000; /* 1000 to 501000 元 */
        requested += cents;
        snprintf(buf, sizeof(buf), "%llu.%02llu", cents / 100, cents % 100);
        if (fisc_decimal_parse(&w, buf, 0, &err) != FISC_OK)
            return 1;
        if (i % 10 == 0) /* one applicant in ten has a cap of 200000 元 */
            fisc_decimal_set_int(&cap, 200000);
        if (fisc_apportion_add(ap, &w, i % 10 == 0 ? &cap : NULL, &err) != FISC_OK)
            return 1;
    }
    snprintf(buf, sizeof(buf), "%llu.%02llu", requested / 300, requested / 3 % 100); /* ~1/3 of the requests */
    if (fisc_decimal_parse(&budget, buf, 0, &err) != FISC_OK)
        return 1;
    o.mode = FISC_APPORTION_PRORATA;
    t = now_ns();
    if (fisc_apportion_run(ap, &budget, &o, &err) != FISC_OK) {
        fprintf(stderr, "%s\n", err.text);
        return 1;
    }
    t = now_ns() - t;
    ok = fisc_decimal_add(&sum, fisc_apportion_unallocated(ap), fisc_apportion_remainder(ap), NULL) == FISC_OK;
    for (long i = 0; ok && i < n; i++)
        ok = fisc_decimal_add(&sum, &sum, fisc_apportion_part(ap, (size_t)i, NULL), NULL) == FISC_OK;
    ok = ok && fisc_decimal_cmp(&sum, &budget) == 0;
    if (fisc_decimal_to_string(&text, &budget, NULL, NULL, NULL) != FISC_OK)
        return 1;
    printf("apportion %ld applicants, budget %s yuan, pro rata with caps: %llu.%03llu s; parts + unallocated "
           "= budget exactly: %s\n",
           n, text, (unsigned long long)(t / 1000000000u), (unsigned long long)(t / 1000000u % 1000u), ok ? "yes" : "NO");
    fisc_string_free(text);
    fisc_apportion_free(ap);
    fisc_decimal_clear(&w);
    fisc_decimal_clear(&cap);
    fisc_decimal_clear(&budget);
    fisc_decimal_clear(&sum);
    return ok ? 0 : 1;
}
