/*
 * Evaluation benchmark (issue 3): evaluate the bundled policy's two programs (cn.cit and
 * yulin.hnte_reward) for one enterprise whose facts are already parsed, trace off; report the
 * time per evaluation (best of 5 runs of N evaluations, one core). Usage: bench_evaluate DIR [N].
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

static double now(void) /* timing only */
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
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
    double best = 1e9;

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
        double t = now();

        for (long i = 0; i < n; i++) {
            fisc_result *r = NULL;

            if (fisc_evaluate(&r, policy, facts, &o, &err) != FISC_OK) {
                fprintf(stderr, "%s\n", err.text);
                return 1;
            }
            fisc_result_free(r);
        }
        t = now() - t;
        best = t < best ? t : best;
    }
    printf("evaluate cn.cit + yulin.hnte_reward, facts parsed, trace off: %.2f us per evaluation "
           "(%ld evaluations, best of 5 runs, one core)\n",
           best / (double)n * 1e6, n);
    fisc_facts_free(facts);
    fisc_policy_free(policy);
    return 0;
}
