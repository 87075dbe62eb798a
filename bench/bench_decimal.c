/*
 * Decimal benchmark (issue 2): parse a decimal amount, multiply it by a rate, round half-up
 * to 分, for N values (default 1 million), on one core.
 *
 * Runs the loop through fisc's public C API, and the same loop written directly on GMP
 * rationals (mpq_t) as a baseline, checks that both give identical results, and prints
 * values per second for each (best of 5 runs).
 */
#define _POSIX_C_SOURCE 200809L
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

#define RUNS 5
#define RATE "0.0725"

static double now(void) /* timing only: never part of a computation */
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char **make_amounts(size_t n)
{
    char **v = malloc(n * sizeof(*v));
    unsigned long long x = 88172645463325252ULL;

    for (size_t i = 0; v && i < n; i++) {
        unsigned long long cents;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        cents = x % 10000000000ULL; /* up to 1 亿元 */
        v[i] = malloc(24);
        snprintf(v[i], 24, "%llu.%02llu", cents / 100, cents % 100);
    }
    return v;
}

/* fisc: parse, multiply, round; the results' cents go to out (as text, checked later). */
static int run_fisc(char **amounts, size_t n, char **out)
{
    fisc_decimal rate, a, p, r;
    int bad = 0;

    fisc_decimal_init(&rate);
    fisc_decimal_init(&a);
    fisc_decimal_init(&p);
    fisc_decimal_init(&r);
    if (fisc_decimal_parse(&rate, RATE, FISC_PARSE_RATE, NULL) != FISC_OK)
        return 1;
    for (size_t i = 0; i < n; i++) {
        bad |= fisc_decimal_parse(&a, amounts[i], FISC_PARSE_PLAIN, NULL);
        bad |= fisc_decimal_mul(&p, &a, &rate, NULL);
        bad |= fisc_decimal_round(&r, NULL, &p, 2, FISC_ROUND_HALF_UP, NULL, NULL);
        if (out && fisc_decimal_to_string(&out[i], &r, NULL, NULL, NULL) != FISC_OK)
            bad = 1;
    }
    fisc_decimal_clear(&rate);
    fisc_decimal_clear(&a);
    fisc_decimal_clear(&p);
    fisc_decimal_clear(&r);
    return bad != 0;
}

/* "1234.56" -> 123456/100 (GMP reads no decimal point, conventions.md §12). */
static void mpq_from_decimal(mpq_t q, const char *s, char *buf)
{
    const char *dot = strchr(s, '.');
    size_t ni = dot ? (size_t)(dot - s) : strlen(s), nf = dot ? strlen(dot + 1) : 0;

    memcpy(buf, s, ni);
    memcpy(buf + ni, dot ? dot + 1 : "", nf);
    buf[ni + nf] = '\0';
    mpz_set_str(mpq_numref(q), buf, 10);
    mpz_ui_pow_ui(mpq_denref(q), 10, nf);
    mpq_canonicalize(q);
}

/* The same loop on GMP rationals; half-up to cents of a non-negative value. */
static void run_gmp(char **amounts, size_t n, mpz_t *cents_out)
{
    mpq_t rate, a, p;
    mpz_t num, q, rem;
    char buf[64];

    mpq_inits(rate, a, p, NULL);
    mpz_inits(num, q, rem, NULL);
    mpq_from_decimal(rate, RATE, buf);
    for (size_t i = 0; i < n; i++) {
        mpq_from_decimal(a, amounts[i], buf);
        mpq_mul(p, a, rate);
        mpz_mul_ui(num, mpq_numref(p), 100);
        mpz_fdiv_qr(q, rem, num, mpq_denref(p));
        mpz_mul_2exp(rem, rem, 1);
        if (mpz_cmp(rem, mpq_denref(p)) >= 0)
            mpz_add_ui(q, q, 1);
        if (cents_out)
            mpz_set(cents_out[i], q);
    }
    mpq_clears(rate, a, p, NULL);
    mpz_clears(num, q, rem, NULL);
}

static int same_results(char **fisc_text, mpz_t *cents, size_t n)
{
    char buf[64], want[64];

    for (size_t i = 0; i < n; i++) {
        size_t len;

        mpz_get_str(buf, 10, cents[i]);
        len = strlen(buf);
        if (len < 3) {
            snprintf(want, sizeof(want), "0.%02lu", mpz_get_ui(cents[i]));
        } else {
            memcpy(want, buf, len - 2);
            snprintf(want + len - 2, sizeof(want) - (len - 2), ".%s", buf + len - 2);
        }
        /* fisc prints the exact shortest form: compare numerically via its parser */
        {
            fisc_decimal x, y;
            int eq;

            fisc_decimal_init(&x);
            fisc_decimal_init(&y);
            eq = fisc_decimal_parse(&x, fisc_text[i], 0, NULL) == FISC_OK &&
                 fisc_decimal_parse(&y, want, 0, NULL) == FISC_OK && fisc_decimal_cmp(&x, &y) == 0;
            fisc_decimal_clear(&x);
            fisc_decimal_clear(&y);
            if (!eq) {
                fprintf(stderr, "mismatch at %zu: fisc %s, gmp %s\n", i, fisc_text[i], want);
                return 0;
            }
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
    char **amounts = make_amounts(n), **text = calloc(n, sizeof(char *));
    mpz_t *cents = malloc(n * sizeof(mpz_t));
    double best_fisc = 1e9, best_gmp = 1e9, t;
    int ok;

    if (!amounts || !text || !cents || n == 0)
        return 2;
    for (size_t i = 0; i < n; i++)
        mpz_init(cents[i]);
    /* correctness first, outside the timing */
    if (run_fisc(amounts, n, text) != 0)
        return fprintf(stderr, "fisc failed\n"), 1;
    run_gmp(amounts, n, cents);
    ok = same_results(text, cents, n);
    for (int k = 0; k < RUNS; k++) {
        t = now();
        if (run_fisc(amounts, n, NULL) != 0)
            return 1;
        t = now() - t;
        best_fisc = t < best_fisc ? t : best_fisc;
        t = now();
        run_gmp(amounts, n, NULL);
        t = now() - t;
        best_gmp = t < best_gmp ? t : best_gmp;
    }
    printf("parse + multiply by %s + round half-up to 0.01, %zu values, best of %d runs, one core\n", RATE, n,
           RUNS);
    printf("  fisc public C API:      %6.1f million values/s (%.1f ns each)\n", n / best_fisc / 1e6,
           best_fisc / n * 1e9);
    printf("  GMP rational baseline:  %6.1f million values/s (%.1f ns each)\n", n / best_gmp / 1e6,
           best_gmp / n * 1e9);
    printf("  results identical: %s\n", ok ? "yes" : "NO");
    for (size_t i = 0; i < n; i++) {
        free(amounts[i]);
        fisc_string_free(text[i]);
        mpz_clear(cents[i]);
    }
    free(amounts);
    free(text);
    free(cents);
    return ok ? 0 : 1;
}
