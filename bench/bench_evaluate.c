/*
 * Evaluation benchmark (issue 3): evaluate the bundled policy's two programs (cn.cit and
 * yulin.hnte_reward) for one enterprise whose facts are already parsed, trace off; report the
 * time per evaluation (best of 5 runs of N evaluations, one core). Usage: bench_evaluate DIR [N].
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

/* Integer nanoseconds: no floating point, not even for timing. */
static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char FACTS[] =
    "{\"taxable_income\": 2800000, \"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, "
    "\"Q2\": {\"start\": 200, \"end\": 210}, \"Q3\": {\"start\": 210, \"end\": 190}, \"Q4\": {\"start\": 190, \"end\": 180}}, "
    "\"assets_average\": 30000000, \"industry_restricted\": false, \"hnte_certificate_date\": \"2023-03-01\", "
    "\"registered_in_yulin\": true, \"tax_registered_in_yulin\": true}";

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "policies";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
    char paths[3][512];
    const char *p3[3] = { paths[0], paths[1], paths[2] };
    fisc_policy *policy = NULL;
    fisc_facts *facts = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    uint64_t best = UINT64_MAX, per;

    if (n <= 0) {
        fprintf(stderr, "usage: bench_evaluate DIR [N > 0]\n");
        return 2;
    }
    snprintf(paths[0], sizeof(paths[0]), "%s/10-national.yaml", dir);
    snprintf(paths[1], sizeof(paths[1]), "%s/20-guangxi.yaml", dir);
    snprintf(paths[2], sizeof(paths[2]), "%s/30-yulin.yaml", dir);
    if (fisc_policy_load_files(&policy, p3, 3, NULL, &err) != FISC_OK ||
        fisc_facts_from_json(&facts, FACTS, strlen(FACTS), "bench", &err) != FISC_OK) {
        fprintf(stderr, "%s: %s\n", err.source, err.text);
        return 1;
    }
    o.year = 2023;
    for (int run = 0; run < 5; run++) {
        uint64_t t = now_ns();

        for (long i = 0; i < n; i++) {
            fisc_result *r = NULL;

            if (fisc_evaluate(&r, policy, facts, &o, &err) != FISC_OK) {
                fprintf(stderr, "%s\n", err.text);
                return 1;
            }
            fisc_result_free(r);
        }
        t = now_ns() - t;
        best = t < best ? t : best;
    }
    per = best / (uint64_t)n;
    printf("evaluate cn.cit + yulin.hnte_reward, facts parsed, trace off: %llu.%03llu us per evaluation "
           "(%ld evaluations, best of 5 runs, one core)\n",
           (unsigned long long)(per / 1000u), (unsigned long long)(per % 1000u), n);
    fisc_facts_free(facts);
    fisc_policy_free(policy);
    return 0;
}
