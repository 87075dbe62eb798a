/*
 * Decimal benchmark (issue 2): parse a decimal amount, multiply it by a rate, round half-up
 * to 分, for N values (default 1 million), on one core.
 *
 * Runs the loop through fisc's public C API, and the same loop written directly on GMP
 * rationals (mpq_t) as a baseline, checks that both give identical results, and prints
 * values per second for each (best of 5 runs).
 *
 * `bench_decimal ops [N]` (issue 7) times the single operations the batch path makes per row
 * (parse a CSV cell, add, multiply, divide by 9, round a rational, compare, format, clear), each
 * in its own function: under `valgrind --tool=callgrind`, a function's inclusive cost divided by
 * N, less that of the loop alone (op_nothing, the first row), is the instructions per call.
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


/* ------------------------------------------------------------------ single operations (issue 7) */

#define K 1024 /* distinct operands, cycled */

typedef struct {
    char *text[K];       /* CSV-like amounts: "636595.43", "0.00", "103" */
    size_t len[K];
    fisc_decimal amount[K], ninth[K], wide[K], whole[K]; /* amounts; amount / 9; at scale 4; at scale 0 */
    fisc_decimal rate, one_ninth, cent, nine, r, t;
    volatile int sink;
} operands;

static int make_operands(operands *o)
{
    unsigned long long x = 0x9E3779B97F4A7C15ULL;
    int bad = 0;

    fisc_decimal_init(&o->nine);
    fisc_decimal_set_int(&o->nine, 9);
    fisc_decimal_init(&o->rate);
    fisc_decimal_init(&o->one_ninth);
    fisc_decimal_init(&o->cent);
    fisc_decimal_init(&o->r);
    fisc_decimal_init(&o->t);
    bad |= fisc_decimal_parse(&o->rate, "0.25", 0, NULL);
    bad |= fisc_decimal_parse(&o->one_ninth, "1/9", FISC_PARSE_RATE, NULL);
    bad |= fisc_decimal_parse(&o->cent, "0.01", 0, NULL);
    for (int i = 0; i < K; i++) {
        unsigned long long cents;

        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        cents = i % 8 == 0 ? 0 : x % (i % 3 ? 100000000ULL : 100000000000ULL);
        o->text[i] = malloc(32);
        if (!o->text[i])
            return 1;
        if (i % 8 == 1)
            snprintf(o->text[i], 32, "%llu", cents / 100);
        else
            snprintf(o->text[i], 32, "%llu.%02llu", cents / 100, cents % 100);
        o->len[i] = strlen(o->text[i]);
        fisc_decimal_init(&o->amount[i]);
        fisc_decimal_init(&o->ninth[i]);
        fisc_decimal_init(&o->wide[i]);
        fisc_decimal_init(&o->whole[i]);
        fisc_decimal_set_int(&o->whole[i], (int64_t)(cents / 100));
        bad |= fisc_decimal_parse(&o->amount[i], o->text[i], 0, NULL);
        bad |= fisc_decimal_div(&o->ninth[i], &o->amount[i], &o->nine, NULL);
        bad |= fisc_decimal_mul(&o->wide[i], &o->amount[i], &o->rate, NULL);
    }
    return bad != 0;
}

static void free_operands(operands *o)
{
    for (int i = 0; i < K; i++) {
        free(o->text[i]);
        fisc_decimal_clear(&o->amount[i]);
        fisc_decimal_clear(&o->ninth[i]);
        fisc_decimal_clear(&o->wide[i]);
        fisc_decimal_clear(&o->whole[i]);
    }
    fisc_decimal_clear(&o->rate);
    fisc_decimal_clear(&o->one_ninth);
    fisc_decimal_clear(&o->cent);
    fisc_decimal_clear(&o->nine);
    fisc_decimal_clear(&o->r);
    fisc_decimal_clear(&o->t);
}

#define OP(name, body)                                                                             \
    static __attribute__((noinline)) int op_##name(operands *o, size_t n)                          \
    {                                                                                              \
        int bad = 0;                                                                               \
        for (size_t k = 0; k < n; k++) {                                                           \
            size_t i = k % K;                                                                      \
            (void)i;                                                                               \
            body;                                                                                  \
        }                                                                                          \
        return bad;                                                                                \
    }

OP(nothing, o->sink += (int)i)
OP(parse_cell, bad |= fisc_decimal_parse_n(&o->r, o->text[i], o->len[i], FISC_PARSE_RATE, NULL))
OP(add_same_scale, bad |= fisc_decimal_add(&o->r, &o->amount[i], &o->amount[(i + 1) % K], NULL))
OP(add_other_scale, bad |= fisc_decimal_add(&o->r, &o->amount[i], &o->wide[(i + 1) % K], NULL))
OP(sub_same_scale, bad |= fisc_decimal_sub(&o->r, &o->amount[i], &o->amount[(i + 1) % K], NULL))
OP(mul_rate, bad |= fisc_decimal_mul(&o->r, &o->amount[i], &o->rate, NULL))
OP(div_nine, bad |= fisc_decimal_div(&o->r, &o->amount[i], &o->nine, NULL))
OP(mul_ninth, bad |= fisc_decimal_mul(&o->r, &o->amount[i], &o->one_ninth, NULL))
OP(mul_ratio_rate, bad |= fisc_decimal_mul(&o->r, &o->ninth[i], &o->rate, NULL))
OP(add_ratios, bad |= fisc_decimal_add(&o->r, &o->ninth[i], &o->ninth[(i + 1) % K], NULL))
OP(add_ratio_amount, bad |= fisc_decimal_add(&o->r, &o->ninth[i], &o->amount[(i + 1) % K], NULL))
OP(round_ratio, bad |= fisc_decimal_round_unit(&o->r, NULL, &o->ninth[i], &o->cent, FISC_ROUND_HALF_UP, NULL, NULL))
OP(round_wide, bad |= fisc_decimal_round_unit(&o->r, NULL, &o->wide[i], &o->cent, FISC_ROUND_HALF_UP, NULL, NULL))
OP(round_wide_even,
   bad |= fisc_decimal_round_unit(&o->r, NULL, &o->wide[i], &o->cent, FISC_ROUND_HALF_EVEN, NULL, NULL))
OP(round_copy, bad |= fisc_decimal_round_unit(&o->r, NULL, &o->amount[i], &o->cent, FISC_ROUND_HALF_UP, NULL, NULL))
OP(cmp_small, o->sink += fisc_decimal_cmp(&o->amount[i], &o->wide[i]))
OP(cmp_same_scale, o->sink += fisc_decimal_cmp(&o->amount[i], &o->amount[(i + 1) % K]))
OP(cmp_whole, o->sink += fisc_decimal_cmp(&o->amount[i], &o->whole[(i + 1) % K]))
OP(cmp_ratio, o->sink += fisc_decimal_cmp(&o->amount[i], &o->ninth[i]))
OP(min_ratio, bad |= fisc_decimal_min(&o->r, &o->amount[i], &o->ninth[i], NULL))
OP(sign, o->sink += fisc_decimal_sign(&o->amount[i]))
OP(set_ratio, bad |= fisc_decimal_set(&o->r, &o->ninth[i], NULL))
OP(init_clear, fisc_decimal_init(&o->t); fisc_decimal_clear(&o->t))
OP(div_clear, bad |= fisc_decimal_div(&o->t, &o->amount[i], &o->nine, NULL); fisc_decimal_clear(&o->t))
OP(to_string, {
    char *s = NULL;
    bad |= fisc_decimal_to_string(&s, &o->amount[i], NULL, NULL, NULL);
    fisc_string_free(s);
})
#ifdef FISC_DECIMAL_TEXT_SIZE
OP(format, {
    char buf[FISC_DECIMAL_TEXT_SIZE];
    bad |= fisc_decimal_format(buf, sizeof(buf), NULL, &o->amount[i], NULL, NULL, NULL);
    o->sink += buf[0];
})
OP(format_ratio, {
    char buf[FISC_DECIMAL_TEXT_SIZE];
    bad |= fisc_decimal_format(buf, sizeof(buf), NULL, &o->ninth[i], NULL, NULL, NULL);
    o->sink += buf[0];
})
#endif

static const struct {
    const char *name;
    int (*run)(operands *, size_t);
} OPS[] = {
    { "the loop alone (subtract it)", op_nothing },
    { "parse a CSV cell", op_parse_cell },
    { "add, same scale", op_add_same_scale },
    { "add, other scale", op_add_other_scale },
    { "subtract, same scale", op_sub_same_scale },
    { "multiply by a rate", op_mul_rate },
    { "divide by 9 (a rational)", op_div_nine },
    { "multiply by 1/9", op_mul_ninth },
    { "multiply a rational by 0.25", op_mul_ratio_rate },
    { "add two rationals", op_add_ratios },
    { "add a rational and an amount", op_add_ratio_amount },
    { "round a rational to 0.01", op_round_ratio },
    { "round a 4-place value to 0.01", op_round_wide },
    { "the same, half-even", op_round_wide_even },
    { "round a 2-place value to 0.01", op_round_copy },
    { "compare two amounts (2 and 4 places)", op_cmp_small },
    { "compare two amounts (2 places)", op_cmp_same_scale },
    { "compare an amount and a whole number", op_cmp_whole },
    { "compare an amount and a rational", op_cmp_ratio },
    { "min of an amount and a rational", op_min_ratio },
    { "sign", op_sign },
    { "copy a rational", op_set_ratio },
    { "init + clear", op_init_clear },
    { "divide by 9 + clear", op_div_clear },
    { "to_string (allocating)", op_to_string },
#ifdef FISC_DECIMAL_TEXT_SIZE
    { "format into a buffer", op_format },
    { "format a rational into a buffer", op_format_ratio },
#endif
};

static int run_ops(size_t n)
{
    operands o;
    double t;

    if (make_operands(&o) != 0)
        return fprintf(stderr, "bench_decimal ops: setup failed\n"), 1;
    printf("single operations, %zu calls each, one core (ns per call; Ir per call: callgrind)\n", n);
    for (size_t k = 0; k < sizeof(OPS) / sizeof(OPS[0]); k++) {
        t = now();
        if (OPS[k].run(&o, n) != 0)
            return fprintf(stderr, "bench_decimal ops: %s failed\n", OPS[k].name), 1;
        t = now() - t;
        printf("  %-36s %7.1f ns\n", OPS[k].name, t / (double)n * 1e9);
    }
    free_operands(&o);
    return 0;
}

int main(int argc, char **argv)
{
    size_t n;
    char **amounts, **text;
    mpz_t *cents;
    double best_fisc = 1e9, best_gmp = 1e9, t;
    int ok;

    if (argc > 1 && strcmp(argv[1], "ops") == 0)
        return run_ops(argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 1000000);
    n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 1000000;
    amounts = make_amounts(n);
    text = calloc(n, sizeof(char *));
    cents = malloc(n * sizeof(mpz_t));
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
