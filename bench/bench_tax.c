/*
 * Tax benchmark (the cross-cutting issue: "evaluating all tax programs for one enterprise with
 * trace off stays under 10 microseconds"). Loads the tax layers of the bundled policy in DIR
 * (national and Guangxi tax rules, and the Yulin reward; not the subsidy and finance layers),
 * parses the facts of one realistic enterprise once, and evaluates every program those layers
 * enable for tax year 2023 with the explanation off,
 * N times per run; prints the time per evaluation of the best of 5 runs, in microseconds.
 *
 * The enterprise gives every fact the programs ask for, so each program runs its full
 * computation rather than stopping at a missing fact: before timing, one evaluation is checked
 * and the benchmark fails (exit 1) if any program comes out "undetermined", naming the facts
 * missing. When a program is added, add its facts below.
 *
 * Usage: bench_tax DIR [N]. No floating point: times are integer nanoseconds.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <fisc/fisc.h>

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A manufacturer of general equipment (GB/T 4754-2017 C3491) in the Yulin high-tech zone (玉林市,
 * 北部湾经济区, 西部大开发 region), registered in 2021: a 小型微利企业 recognized as a 高新技术企业 in
 * 2023 (so the standard, HNTE, 西部大开发 and small-micro routes of cn.cit are all computed and the
 * Yulin reward applies), with R&D of its own and contracted out (cn.rd_deduction, whose extra
 * deduction cn.cit subtracts, then a loss of 2021 made up), a small-scale VAT taxpayer filing
 * monthly (cn.vat_small_scale: November, 1% rate), paying the six local taxes (cn.six_taxes),
 * operating a provincial incubator on its land (cn.incubator_tax), and exempt from the local share
 * of its corporate income tax (gx.beibu_cit_local_share). The facts of an individual business
 * (cn.individual_income_halving) are given too, although one taxpayer is not both a company and a
 * 个体工商户: the benchmark wants every program to compute in full, the worst case.
 */
static const char FACTS[] =
    "{\n"
    "  \"enterprise_name\": \"玉林某某智能装备有限公司\",\n"
    "  \"uscc\": \"91450900MA5K3Q706K\",\n"
    "  \"registration_date\": \"2021-03-15\",\n"
    "  \"registered_in_yulin\": true,\n"
    "  \"tax_registered_in_yulin\": true,\n"
    "  \"registered_in_beibu_zone\": true,\n"
    "  \"west_region\": true,\n"
    /* cn.cit: income before the R&D extra deduction and the losses; the size tests */
    "  \"income_before_rd_extra_and_losses\": \"1900000.00\",\n"
    "  \"loss_y2\": \"50000.00\",\n"
    "  \"employees\": {\"Q1\": {\"start\": 86, \"end\": 92}, \"Q2\": {\"start\": 92, \"end\": 101},\n"
    "                \"Q3\": {\"start\": 101, \"end\": 108}, \"Q4\": {\"start\": 108, \"end\": 112}},\n"
    "  \"assets\": {\"Q1\": {\"start\": 21500000, \"end\": 22800000},\n"
    "             \"Q2\": {\"start\": 22800000, \"end\": 24100000},\n"
    "             \"Q3\": {\"start\": 24100000, \"end\": 25600000},\n"
    "             \"Q4\": {\"start\": 25600000, \"end\": 26300000}},\n"
    "  \"industry_restricted\": false,\n"
    "  \"hnte_certificate_date\": \"2023-11-20\",\n"
    "  \"west_catalogue_revenue_share\": \"65%\",\n"
    /* cn.rd_deduction: revenue by industry, one slot of expensed projects, contracted R&D */
    "  \"industry_code_version\": \"2017\",\n"
    "  \"industry_revenue_1_code\": \"C3491\",\n"
    "  \"industry_revenue_1_amount\": \"4650000.00\",\n"
    "  \"income_total\": \"4800000.00\",\n"
    "  \"income_non_taxable\": 0,\n"
    "  \"income_investment\": \"30000.00\",\n"
    "  \"rd_tech_sme\": true,\n"
    "  \"rd_ic_or_machine_tool\": false,\n"
    "  \"rd_project_count\": 1,\n"
    "  \"rd_p1_personnel\": \"500000.00\",\n"
    "  \"rd_p1_direct\": \"150000.00\",\n"
    "  \"rd_p1_depreciation\": \"60000.00\",\n"
    "  \"rd_p1_amortisation\": \"10000.00\",\n"
    "  \"rd_p1_design\": \"20000.00\",\n"
    "  \"rd_p1_other\": \"30000.00\",\n"
    "  \"rd_contracted_domestic\": \"100000.00\",\n"
    "  \"rd_contracted_related\": 0,\n"
    "  \"rd_contracted_overseas\": 0,\n"
    "  \"rd_intangible_amortisation\": 0,\n"
    /* cn.vat_small_scale: November's sales at the 3% levy rate, tax included */
    "  \"vat_small_scale_taxpayer\": true,\n"
    "  \"vat_filing_period\": \"monthly\",\n"
    "  \"vat_month\": 11,\n"
    "  \"vat_sales_3pct_incl_tax\": \"404000.00\",\n"
    /* cn.six_taxes: the year's taxes before relief */
    "  \"resource_tax\": 0,\n"
    "  \"city_maintenance_tax\": \"2800.00\",\n"
    "  \"property_tax\": \"36000.00\",\n"
    "  \"urban_land_use_tax\": \"12000.00\",\n"
    "  \"stamp_duty\": \"3000.00\",\n"
    "  \"farmland_occupation_tax\": 0,\n"
    "  \"education_surcharge\": \"1200.00\",\n"
    "  \"local_education_surcharge\": \"800.00\",\n"
    "  \"individual_business\": false,\n"
    "  \"small_micro_settled_last_year\": true,\n"
    "  \"small_micro_settled_two_years_ago\": true,\n"
    /* cn.incubator_tax */
    "  \"incubator_carrier\": \"incubator\",\n"
    "  \"incubator_level\": \"provincial\",\n"
    "  \"incubator_recognition_date\": \"2021-06-01\",\n"
    "  \"incubator_land_area\": 5000,\n"
    "  \"incubator_land_tax_per_sqm\": 6,\n"
    "  \"incubator_property_tax\": \"24000.00\",\n"
    "  \"incubator_service_vat\": \"6000.00\",\n"
    "  \"incubator_separate_accounting\": true,\n"
    /* cn.individual_income_halving (see above) */
    "  \"individual_business_taxable_income\": \"180000.00\",\n"
    "  \"individual_business_other_relief\": 0,\n"
    /* gx.beibu_cit_local_share */
    "  \"first_main_business_revenue_year\": 2021,\n"
    "  \"first_revenue_year\": 2021,\n"
    "  \"beibu_designated_industrial\": true,\n"
    "  \"beibu_industrial_start_year\": 2021\n"
    "}\n";

static int check_programs(const fisc_policy *policy, const fisc_facts *facts, const fisc_eval_options *o)
{
    fisc_error err = FISC_ERROR_INIT;
    fisc_result *r = NULL;
    size_t i, k, n;
    int bad = 0;

    if (fisc_evaluate(&r, policy, facts, o, &err) != FISC_OK) {
        fprintf(stderr, "bench_tax: %s\n", err.text);
        return -1;
    }
    n = fisc_result_item_count(r);
    printf("%zu programs, tax year %d:\n", n, o->year);
    for (i = 0; i < n; i++) {
        const fisc_item *it = fisc_result_item(r, i);
        static const char *const outcome[] = { "eligible", "not eligible", "undetermined" };

        printf("  %-30s %s%s\n", it->program, it->outcome >= 0 && it->outcome < 3 ? outcome[it->outcome] : "?",
               it->provisional ? " (provisional)" : "");
        if (it->outcome == FISC_OUTCOME_UNDETERMINED) {
            bad = 1;
            fprintf(stderr, "bench_tax: %s is undetermined; the benchmark enterprise lacks:", it->program);
            for (k = 0; k < it->missing_count; k++)
                fprintf(stderr, " %s", it->missing[k]);
            fprintf(stderr, "\n");
        }
    }
    fisc_result_free(r);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "policies";
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
    fisc_policy *policy = NULL;
    fisc_facts *facts = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options o = FISC_EVAL_OPTIONS_INIT;
    uint64_t best = UINT64_MAX, per;

    if (n <= 0) {
        fprintf(stderr, "usage: bench_tax DIR [N > 0]\n");
        return 2;
    }
    /*
     * The layers of the tax programs (issue 4's target is "all tax programs"): national and
     * Guangxi tax rules, and the Yulin reward measured with them since issue 3. The subsidy and
     * finance layers (23-, 24-, 31-, 32-) are left out.
     */
    static const char *const layers[] = { "10-national.yaml", "11-national-rd.yaml", "12-national-vat.yaml",
                                          "13-national-six-taxes.yaml", "14-national-incubators.yaml",
                                          "15-national-individual.yaml", "20-guangxi.yaml", "21-guangxi-beibu.yaml",
                                          "22-guangxi-six-taxes.yaml", "30-yulin.yaml" };
    char paths[sizeof(layers) / sizeof(layers[0])][512];
    const char *p[sizeof(layers) / sizeof(layers[0])];

    for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, layers[i]);
        p[i] = paths[i];
    }
    if (fisc_policy_load_files(&policy, p, sizeof(layers) / sizeof(layers[0]), NULL, &err) != FISC_OK
        || fisc_facts_from_json(&facts, FACTS, strlen(FACTS), "bench_tax", &err) != FISC_OK) {
        fprintf(stderr, "bench_tax: %s%s%s\n", err.source, err.source[0] ? ": " : "", err.text);
        fisc_policy_free(policy);
        return 1;
    }
    o.year = 2023;
    o.trace = 0;
    if (check_programs(policy, facts, &o) != 0) {
        fisc_facts_free(facts);
        fisc_policy_free(policy);
        return 1;
    }
    for (int run = 0; run < 5; run++) {
        uint64_t t = now_ns();

        for (long i = 0; i < n; i++) {
            fisc_result *r = NULL;

            if (fisc_evaluate(&r, policy, facts, &o, &err) != FISC_OK) {
                fprintf(stderr, "bench_tax: %s\n", err.text);
                return 1;
            }
            fisc_result_free(r);
        }
        t = now_ns() - t;
        best = t < best ? t : best;
    }
    per = best / (uint64_t)n; /* nanoseconds per evaluation */
    printf("evaluate all tax programs for one enterprise, facts parsed, trace off: %llu.%03llu us per "
           "evaluation (%ld evaluations, best of 5 runs, one core; target: under 10 us)\n",
           (unsigned long long)(per / 1000u), (unsigned long long)(per % 1000u), n);
    fisc_facts_free(facts);
    fisc_policy_free(policy);
    return 0;
}
