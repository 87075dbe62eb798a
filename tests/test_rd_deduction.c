/*
 * Golden tests of cn.rd_deduction (研发费用加计扣除) on the bundled policy: the worked examples of
 * policy-params.md §9 WE-1 (per-project limit, 2016: 98.89万), WE-2 (pooled, 2023: 200万), WE-3
 * (德新科技, 科技型中小企业 2017: 150万; 200万 in 2023), WE-4 (limit 11.56万, base 115.56万), WE-5 (overseas
 * 200万) and WE-6 (the fourth quarter of 2022: 975万 against 900万); the date boundaries (per project to
 * 2020-12-31, pooled from 2021-01-01; 75% in 2022, 100% in 2023; manufacturing 2020/2021; 科技型中小企业
 * 2021/2022; IC 2027/2028; overseas 2017/2018; the prepayment claim points), the thresholds (negative-list
 * revenue exactly 50% and one 分 above; manufacturing exactly 50% and one 分 below), the GB/T 4754 edition,
 * capitalised projects, contracted-out R&D, deemed profit, missing facts and provisional results; and the
 * shortcuts of the batch path (without the explanation) on their edges, each the same traced and untraced.
 */
#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *policy; /* every *.yaml of the policy directory, in name order */
static const char *dir;

#define PROGRAM "cn.rd_deduction"

/* An enterprise in software (section I), not 科技型中小, not IC: the general rate. */
#define SOFTWARE "\"industry_revenue_1_code\": \"I6510\", \"industry_revenue_1_amount\": 10000000, " \
                 "\"income_total\": 10000000, \"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false"
/* Nothing contracted out, no R&D intangibles amortised. */
#define NO_OTHER "\"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, \"rd_contracted_overseas\": 0, " \
                 "\"rd_intangible_amortisation\": 0"
/* Project slot k with its six categories (元). */
#define PROJECT(k, personnel, direct, depreciation, amortisation, design, other)                                  \
    "\"rd_p" #k "_personnel\": " #personnel ", \"rd_p" #k "_direct\": " #direct ", \"rd_p" #k "_depreciation\": " \
    #depreciation ", \"rd_p" #k "_amortisation\": " #amortisation ", \"rd_p" #k "_design\": " #design          \
    ", \"rd_p" #k "_other\": " #other
/* WE-1 / WE-2: project A 100万 of which other costs 12万, project B 100万 of which 8万. */
#define WE1_PROJECTS "\"rd_project_count\": 2, " PROJECT(1, 880000, 0, 0, 0, 0, 120000) ", " \
                     PROJECT(2, 920000, 0, 0, 0, 0, 80000)

static int group_setup(void **state)
{
    (void)state;
    policy = fisc_test_load_policy(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(policy);
    return 0;
}

/* The bundled policy, with the explanation; the program's item. */
#define evaluate(json, year, quarter) fisc_test_evaluate(policy, (json), (year), (quarter), 1)
#define item_of(r) fisc_test_item((r), PROGRAM)

/* The outcome and the total extra deduction ("extra_deduction") of one evaluation, and provisional. */
static void check(const char *json, int year, int quarter, int outcome, const char *extra, int provisional)
{
    fisc_result *r = evaluate(json, year, quarter);
    const fisc_item *it = item_of(r);

    if (it->outcome != outcome)
        fail_msg("%d Q%d: outcome %d, expected %d (%s)", year, quarter, it->outcome, outcome, it->summary_en);
    if (extra)
        assert_item_amount(it, "extra_deduction", extra);
    else
        assert_null(fisc_test_amount(it, "extra_deduction"));
    if (!it->provisional != !provisional)
        fail_msg("%d Q%d: provisional %d, expected %d", year, quarter, it->provisional, provisional);
    fisc_result_free(r);
}

/* ------------------------------------------------------------------ worked examples */

/* WE-1: 2016, 50%, other costs limited per project: A 97.78万 + B 100万, × 50% = 98.89万. */
static void we1_per_project_2016(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2016, 0);
    const fisc_item *it = item_of(r);
    fisc_format wan = FISC_FORMAT_INIT;
    char *s = NULL;

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "extra_deduction", "988888.89"); /* (880000 + 880000/9 + 1000000) × 50%, once rounded */
    assert_item_amount(it, "extra_expensed", "988888.89");
    assert_item_amount(it, "expensed_base", "1977777.78");
    assert_item_amount(it, "other_costs_cap", "200000.00");     /* 97777.78 + 102222.22 */
    assert_item_amount(it, "other_costs_allowed", "177777.78"); /* 97777.78 + 80000 */
    assert_item_amount(it, "extra_contracted", "0.00");
    assert_item_amount(it, "tax_effect_standard", "247222.22");
    assert_null(fisc_test_amount(it, "capitalised_base"));
    /* the example's own figure, in 万元 to two places */
    wan.places = 2;
    wan.unit = FISC_UNIT_WAN;
    assert_int_equal(fisc_decimal_to_string(&s, fisc_test_amount(it, "extra_deduction"), &wan, NULL, NULL), FISC_OK);
    assert_string_equal(s, "98.89");
    fisc_string_free(s);
    /* project A: 880000 + min(120000, 880000 × 10% / (1 − 10%)) */
    assert_string_equal(fisc_test_step(it, "project1.base")->result, "8800000/9");
    assert_string_equal(fisc_test_step(it, "project2.base")->result, "1000000");
    /* the 2016 start of 财税〔2015〕119号 is unconfirmed */
    assert_true(it->provisional);
    assert_int_equal(fisc_test_param(it, "rd.extra_rate.general")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_string_equal(fisc_test_param(it, "rd.other_costs.pooled")->document, "国家税务总局公告2015年第97号");
    for (size_t k = 0; k < it->amount_count; k++) /* informative: not a tax, not a relief */
        assert_int_equal(it->amounts[k].category, -1);
    fisc_result_free(r);
}

/* WE-2: the same projects pooled (2021+) at the 2023 rate: limit 20万, base 200万, extra 200万. */
static void we2_pooled_2023(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2023, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "extra_deduction", "2000000.00");
    assert_item_amount(it, "expensed_base", "2000000.00");
    assert_item_amount(it, "other_costs_cap", "200000.00");
    assert_item_amount(it, "other_costs_allowed", "200000.00");
    assert_item_amount(it, "tax_effect_standard", "500000.00");
    assert_string_equal(fisc_test_step(it, "other_costs.limit")->result, "200000");
    assert_false(it->provisional);
    assert_string_equal(it->choice, "");
    assert_non_null(strstr(it->summary_zh, "2000000.00"));
    assert_string_equal(fisc_test_param(it, "rd.extra_rate.general")->article, "一");
    fisc_result_free(r);
}

/* WE-3: 德新科技, one project, 科技型中小企业: limit 20万, base 200万; 75% in 2017, 100% in 2023. */
#define WE3 "\"rd_project_count\": 1, " PROJECT(1, 900000, 750000, 0, 0, 150000, 240000)

static void we3_tech_sme(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{\"industry_revenue_1_code\": \"I6510\", \"industry_revenue_1_amount\": 10000000, "
                 "\"income_total\": 10000000, \"rd_tech_sme\": true, \"rd_ic_or_machine_tool\": false, " NO_OTHER
                 ", " WE3 "}",
                 2017, 0);
    it = item_of(r);
    assert_item_amount(it, "other_costs_cap", "200000.00");
    assert_item_amount(it, "expensed_base", "2000000.00");
    assert_item_amount(it, "extra_deduction", "1500000.00");
    assert_int_equal(fisc_test_condition(it, "rd.class.tech_sme")->state, FISC_COND_MET);
    assert_true(it->provisional); /* 财税〔2017〕34号: number and dates unconfirmed */
    assert_int_equal(fisc_test_param(it, "rd.extra_rate.tech_sme")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    fisc_result_free(r);
    /* not 科技型中小 in 2017: 50% */
    check("{" SOFTWARE ", " NO_OTHER ", " WE3 "}", 2017, 0, FISC_OUTCOME_ELIGIBLE, "1000000.00", 1);
    /* 2023: 100% for all */
    check("{" SOFTWARE ", " NO_OTHER ", " WE3 "}", 2023, 0, FISC_OUTCOME_ELIGIBLE, "2000000.00", 0);
}

/* WE-4: 126万 of which other costs 22万: limit 11.56万, base 115.56万. */
static void we4_limit_from_the_total(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", \"rd_project_count\": 1, "
                              PROJECT(1, 400000, 300000, 200000, 100000, 40000, 220000) "}",
                              2019, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_item_amount(it, "other_costs_cap", "115555.56");     /* 1040000 × 10% / 90% */
    assert_item_amount(it, "other_costs_allowed", "115555.56");
    assert_item_amount(it, "expensed_base", "1155555.56");
    assert_item_amount(it, "extra_deduction", "866666.67");     /* × 75% in 2019 */
    assert_false(it->provisional);
    fisc_result_free(r);
}

/* WE-5: overseas 300万 against domestic 300万 (2023): 80% = 240, capped at 2/3 × 300 = 200. */
#define DOMESTIC_300 "\"rd_project_count\": 1, " PROJECT(1, 3000000, 0, 0, 0, 0, 0)
#define WITH_OVERSEAS(amount) \
    "\"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, \"rd_contracted_overseas\": " #amount ", " \
    "\"rd_overseas_contract_registered\": true, \"rd_intangible_amortisation\": 0"

static void we5_overseas(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(3000000) "}", 2023, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_item_amount(it, "extra_overseas", "2000000.00");
    assert_item_amount(it, "extra_expensed", "3000000.00");
    assert_item_amount(it, "extra_deduction", "5000000.00");
    assert_int_equal(fisc_test_condition(it, "rd.overseas.registered")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_step(it, "overseas")->result, "2000000");
    assert_false(it->provisional);
    fisc_result_free(r);
    /* below the cap: 80% of 100万 */
    r = evaluate("{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(1000000) "}", 2023, 0);
    assert_item_amount(item_of(r), "extra_overseas", "800000.00");
    fisc_result_free(r);
    /* the contract not registered: nothing counts */
    r = evaluate("{" SOFTWARE ", " DOMESTIC_300 ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, "
                 "\"rd_contracted_overseas\": 3000000, \"rd_overseas_contract_registered\": false, "
                 "\"rd_intangible_amortisation\": 0}",
                 2023, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_overseas", "0.00");
    assert_item_amount(it, "extra_deduction", "3000000.00");
    assert_int_equal(fisc_test_condition(it, "rd.overseas.registered")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    /* 2017 and 2018: no rule for overseas R&D before 财税〔2018〕64号 */
    r = evaluate("{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(3000000) "}", 2017, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_overseas", "0.00");
    assert_item_amount(it, "extra_deduction", "1500000.00");
    assert_int_equal(fisc_test_condition(it, "rd.overseas.rule")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    check("{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(3000000) "}", 2018, 0, FISC_OUTCOME_ELIGIBLE,
          "3750000.00", 0); /* (300 + 200) × 75% */
}

/* WE-6: 2022, an enterprise on 75%, 1200万 expensed, 12 months: Q4 300万 at 100%: 975万, not 900万. */
#define WE6 "\"rd_project_count\": 1, " PROJECT(1, 12000000, 0, 0, 0, 0, 0)
#define MONTHS "\"rd_operating_months\": 12, \"rd_operating_months_q4\": 3"

static void we6_fourth_quarter_2022(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS "}", 2022, 0);
    const fisc_item *it = item_of(r);
    const fisc_used_param *q4;

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "extra_deduction", "9750000.00");
    assert_item_amount(it, "extra_expensed", "9000000.00");
    assert_item_amount(it, "extra_q4_raise", "750000.00");
    assert_string_equal(it->choice, "q4_proportional");
    assert_string_equal(fisc_test_step(it, "q4.proportional")->result, "3000000");
    q4 = fisc_test_param(it, "rd.extra_rate.q4_raise");
    assert_non_null(q4);
    assert_string_equal(q4->document, "财政部 税务总局 科技部公告2022年第28号");
    assert_string_equal(q4->article, "二");
    assert_false(it->provisional);
    fisc_result_free(r);
    /* as actually incurred, when larger: 400万 in the fourth quarter */
    check("{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS ", \"rd_q4_qualifying\": 4000000}", 2022, 0,
          FISC_OUTCOME_ELIGIBLE, "10000000.00", 0);
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE6 ", \"rd_q4_qualifying\": 2000000}", 2022, 0);
    assert_string_equal(item_of(r)->choice, "q4_actual");
    assert_item_amount(item_of(r), "extra_deduction", "9500000.00");
    fisc_result_free(r);
    /* an enterprise started in October: all its R&D is of the fourth quarter */
    check("{" SOFTWARE ", " NO_OTHER ", " WE6 ", \"rd_operating_months\": 3, \"rd_operating_months_q4\": 3}", 2022,
          0, FISC_OUTCOME_ELIGIBLE, "12000000.00", 0);
    /* neither method's facts: undetermined, the months are asked for */
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE6 "}", 2022, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "rd_operating_months"));
    assert_true(fisc_test_is_missing(it, "rd_operating_months_q4"));
    assert_null(fisc_test_amount(it, "extra_deduction"));
    fisc_result_free(r);
    /* a manufacturer is on 100% all year: no split, no months needed */
    check("{\"industry_revenue_1_code\": \"C3911\", \"industry_revenue_1_amount\": 10000000, "
          "\"income_total\": 10000000, \"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " NO_OTHER
          ", " WE6 "}",
          2022, 0, FISC_OUTCOME_ELIGIBLE, "12000000.00", 0);
}

/* ------------------------------------------------------------------ date boundaries */

/* The other-cost limit: per project to 2020-12-31, pooled from 2021-01-01 (both at 75%). */
static void per_project_to_2020_pooled_from_2021(void **state)
{
    fisc_result *r;

    (void)state;
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2020, 0);
    assert_item_amount(item_of(r), "extra_deduction", "1483333.33"); /* 1977777.77… × 75% */
    assert_item_amount(item_of(r), "other_costs_allowed", "177777.78");
    assert_false(item_of(r)->provisional);
    fisc_result_free(r);
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2021, 0);
    assert_item_amount(item_of(r), "extra_deduction", "1500000.00"); /* 2000000 × 75% */
    assert_item_amount(item_of(r), "other_costs_allowed", "200000.00");
    fisc_result_free(r);
}

/* The general rate: 50% 2017, 75% 2018 and 2022 (January to September), 100% from 2023. */
static void general_rate_by_year(void **state)
{
    static const struct {
        int year;
        const char *extra;
        int provisional;
    } cases[] = {
        { 2017, "600000.00", 1 }, { 2018, "900000.00", 0 }, { 2021, "900000.00", 0 },
        { 2023, "1200000.00", 0 }, { 2030, "1200000.00", 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check("{" SOFTWARE ", " NO_OTHER ", \"rd_project_count\": 1, " PROJECT(1, 1200000, 0, 0, 0, 0, 0) "}",
              cases[i].year, 0, FISC_OUTCOME_ELIGIBLE, cases[i].extra, cases[i].provisional);
    /* 2022: 75% with the fourth quarter at 100% (WE-6 scaled) */
    check("{" SOFTWARE ", " NO_OTHER ", \"rd_project_count\": 1, " PROJECT(1, 1200000, 0, 0, 0, 0, 0) ", " MONTHS "}",
          2022, 0, FISC_OUTCOME_ELIGIBLE, "975000.00", 0);
}

/* Classes: manufacturing 2020 (75%) / 2021 (100%); 科技型中小 2021 / 2022; IC 2022 / 2023 / 2027 / 2028. */
#define MANUFACTURER "\"industry_revenue_1_code\": \"C3911\", \"industry_revenue_1_amount\": 10000000, " \
                     "\"income_total\": 10000000, \"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false"
#define ONE_MILLION "\"rd_project_count\": 1, " PROJECT(1, 1000000, 0, 0, 0, 0, 0)

static void class_rates_by_year(void **state)
{
    fisc_result *r;

    (void)state;
    check("{" MANUFACTURER ", " NO_OTHER ", " ONE_MILLION "}", 2020, 0, FISC_OUTCOME_ELIGIBLE, "750000.00", 0);
    r = evaluate("{" MANUFACTURER ", " NO_OTHER ", " ONE_MILLION "}", 2021, 0);
    assert_item_amount(item_of(r), "extra_deduction", "1000000.00");
    assert_int_equal(fisc_test_condition(item_of(r), "rd.class.manufacturing")->state, FISC_COND_MET);
    assert_non_null(strstr(item_of(r)->summary_zh, "制造业企业"));
    fisc_result_free(r);
    /* 科技型中小企业 */
    check("{\"industry_revenue_1_code\": \"I6510\", \"industry_revenue_1_amount\": 10000000, \"income_total\": 10000000, "
          "\"rd_tech_sme\": true, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
          2021, 0, FISC_OUTCOME_ELIGIBLE, "750000.00", 0);
    check("{\"industry_revenue_1_code\": \"I6510\", \"industry_revenue_1_amount\": 10000000, \"income_total\": 10000000, "
          "\"rd_tech_sme\": true, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
          2022, 0, FISC_OUTCOME_ELIGIBLE, "1000000.00", 0);
    /* 集成电路 / 工业母机: 120% in 2023-2027 (expensed and amortisation: 220%) */
#define IC "\"industry_revenue_1_code\": \"C3973\", \"industry_revenue_1_amount\": 10000000, " \
           "\"income_total\": 10000000, \"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": true, "      \
           "\"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, \"rd_contracted_overseas\": 0, "  \
           "\"rd_intangible_amortisation\": 100000, " ONE_MILLION
    check("{" IC "}", 2022, 0, FISC_OUTCOME_ELIGIBLE, "1100000.00", 0); /* a manufacturer: 100% */
    r = evaluate("{" IC "}", 2023, 0);
    assert_item_amount(item_of(r), "extra_expensed", "1200000.00");
    assert_item_amount(item_of(r), "extra_amortisation", "120000.00");
    assert_item_amount(item_of(r), "extra_deduction", "1320000.00");
    assert_int_equal(fisc_test_condition(item_of(r), "rd.class.ic_machine_tool")->state, FISC_COND_MET);
    fisc_result_free(r);
    check("{" IC "}", 2027, 0, FISC_OUTCOME_ELIGIBLE, "1320000.00", 0);
    check("{" IC "}", 2028, 0, FISC_OUTCOME_ELIGIBLE, "1100000.00", 0);
#undef IC
}

/* Amortisation of R&D intangibles at 175% in 2019: the extra is 75% of the year's amortisation. */
static void amortisation(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, "
                              "\"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": 100000, "
                              "\"rd_project_count\": 0}",
                              2019, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "extra_amortisation", "75000.00");
    assert_item_amount(it, "extra_deduction", "75000.00");
    assert_item_amount(it, "expensed_base", "0.00");
    fisc_result_free(r);
}

/* Prepayments: the July claim from 2023, the October claim from 2021 (unconfirmed for 2021-2022); never Q1, Q4. */
static void prepayment_claim_points(void **state)
{
    static const struct {
        int year, quarter, outcome;
        const char *extra;
        int provisional;
    } cases[] = {
        { 2023, 1, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0 },     { 2023, 2, FISC_OUTCOME_ELIGIBLE, "2000000.00", 0 },
        { 2023, 3, FISC_OUTCOME_ELIGIBLE, "2000000.00", 0 },   { 2023, 4, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0 },
        { 2022, 2, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0 },     { 2022, 3, FISC_OUTCOME_ELIGIBLE, "1500000.00", 1 },
        { 2020, 3, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0 },     { 2021, 3, FISC_OUTCOME_ELIGIBLE, "1500000.00", 1 },
    };
    fisc_result *r;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        check("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", cases[i].year, cases[i].quarter, cases[i].outcome,
              cases[i].extra, cases[i].provisional);
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2023, 4);
    assert_int_equal(fisc_test_condition(item_of(r), "rd.claim_time")->state, FISC_COND_NOT_MET);
    assert_int_equal(item_of(r)->missing_count, 0);
    fisc_result_free(r);
    /* not claimable: no facts are needed at all */
    check("{}", 2023, 1, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
    /* the fourth-quarter split is for the annual filing only */
    check("{" SOFTWARE ", " NO_OTHER ", " WE6 "}", 2022, 3, FISC_OUTCOME_ELIGIBLE, "9000000.00", 1);
}

/* Before the policy's first year (2016): no rule, undetermined, and the other programs still run. */
static void before_2016(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2015, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_int_equal(it->missing_count, 0);
    assert_int_equal(it->param_count, 0);
    fisc_result_free(r);
}

/* ------------------------------------------------------------------ thresholds */

/* Negative list: listed revenue exactly 50% of (收入总额 − 不征税收入 − 投资收益) is allowed; one 分 above is not. */
static void negative_list_at_fifty_percent(void **state)
{
#define MIXED(wholesale, software)                                                                               \
    "\"industry_revenue_1_code\": \"F5211\", \"industry_revenue_1_amount\": " wholesale ", "                    \
    "\"industry_revenue_2_code\": \"I6510\", \"industry_revenue_2_amount\": " software ", "                     \
    "\"income_total\": 12000000, \"income_non_taxable\": 1000000, \"income_investment\": 1000000, "            \
    "\"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{" MIXED("5000000", "5000000") "}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_int_equal(fisc_test_condition(it, "rd.negative_list")->state, FISC_COND_MET);
    assert_string_equal(fisc_test_condition(it, "rd.negative_list")->detail,
                        "5000000 (F5211 批发和零售业) ≤ 50% × (12000000 − 1000000 − 1000000) = 5000000");
    assert_item_amount(it, "extra_deduction", "1000000.00");
    fisc_result_free(r);
    r = evaluate("{" MIXED("\"5000000.01\"", "\"4999999.99\"") "}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(fisc_test_condition(it, "rd.negative_list")->state, FISC_COND_NOT_MET);
    assert_item_amount(it, "extra_deduction", "0.00");
    assert_int_equal(it->amount_count, 1);
    fisc_result_free(r);
#undef MIXED
    /* several listed industries are added together: 30% wholesale + 30% catering */
    check("{\"industry_revenue_1_code\": \"F52\", \"industry_revenue_1_amount\": 3000000, "
          "\"industry_revenue_2_code\": \"H6210\", \"industry_revenue_2_amount\": 3000000, "
          "\"industry_revenue_3_code\": \"I6510\", \"industry_revenue_3_amount\": 4000000, "
          "\"income_total\": 10000000, \"income_non_taxable\": 0, \"income_investment\": 0, " NO_OTHER ", " ONE_MILLION
          "}",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
}

/* Manufacturing: section C revenue at least 50% of 收入总额 (2021): exactly 50% is; one 分 below is not. */
static void manufacturing_at_fifty_percent(void **state)
{
#define SPLIT(manufacturing, software)                                                                           \
    "\"industry_revenue_1_code\": \"C3911\", \"industry_revenue_1_amount\": " manufacturing ", "                \
    "\"industry_revenue_2_code\": \"I6510\", \"industry_revenue_2_amount\": " software ", "                     \
    "\"income_total\": 10000000, \"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION
    (void)state;
    check("{" SPLIT("5000000", "5000000") "}", 2021, 0, FISC_OUTCOME_ELIGIBLE, "1000000.00", 0);
    check("{" SPLIT("\"4999999.99\"", "\"5000000.01\"") "}", 2021, 0, FISC_OUTCOME_ELIGIBLE, "750000.00", 0);
#undef SPLIT
}

/* ------------------------------------------------------------------ GB/T 4754 codes */

/* 娱乐业 is R89 in GB/T 4754-2011 and R90 in 2017; R89 in 2017 is 体育, not listed. */
static void code_editions(void **state)
{
#define R89(edition)                                                                                             \
    "\"industry_revenue_1_code\": \"R8910\", \"industry_revenue_1_amount\": 8000000, " edition                  \
    "\"income_total\": 10000000, \"income_non_taxable\": 0, \"income_investment\": 0, \"rd_tech_sme\": false, " \
    "\"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    check("{" R89("\"industry_code_version\": \"2011\", ") "}", 2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
    check("{" R89("\"industry_code_version\": \"2017\", ") "}", 2023, 0, FISC_OUTCOME_ELIGIBLE, "1000000.00", 0);
    r = evaluate("{" R89("") "}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "industry_code_version"));
    assert_int_equal(fisc_test_condition(it, "rd.negative_list")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
#undef R89
    /* the edition is not needed where both agree */
    check("{\"industry_revenue_1_code\": \"K7010\", \"industry_revenue_1_amount\": 8000000, \"income_total\": 10000000, "
          "\"income_non_taxable\": 0, \"income_investment\": 0, " NO_OTHER ", " ONE_MILLION "}",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
    /* a section letter alone cannot tell tobacco (C16) from other manufacturing */
    r = evaluate("{\"industry_revenue_1_code\": \"C\", \"industry_revenue_1_amount\": 8000000, \"income_total\": 10000000, "
                 "\"income_non_taxable\": 0, \"income_investment\": 0, \"rd_tech_sme\": false, "
                 "\"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
                 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "industry_revenue_1_code"));
    fisc_result_free(r);
    /* not a code: undetermined, not a crash */
    r = evaluate("{\"industry_revenue_1_code\": \"c39\", \"industry_revenue_1_amount\": 8000000, " NO_OTHER ", "
                 ONE_MILLION "}",
                 2023, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(item_of(r), "industry_revenue_1_code"));
    fisc_result_free(r);
    /* tobacco is listed: C1610 */
    check("{\"industry_revenue_1_code\": \"C1610\", \"industry_revenue_1_amount\": 8000000, \"income_total\": 10000000, "
          "\"income_non_taxable\": 0, \"income_investment\": 0, " NO_OTHER ", " ONE_MILLION "}",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
}

/* ------------------------------------------------------------------ capitalised projects, contracted-out R&D */

/*
 * Pooled (2023): expensed 90万 + other 20万, capitalised 90万 + other 10万. Limit 20万 of 30万 actual: share 2/3.
 * Expensed base 90 + 13.33… = 103.33…万; capitalised 90 + 6.66… = 96.66…万.
 */
#define CAPITALISED "\"rd_project_count\": 2, " PROJECT(1, 900000, 0, 0, 0, 0, 200000) ", " \
                    PROJECT(2, 500000, 200000, 100000, 50000, 50000, 100000) ", \"rd_p2_capitalised\": true"

static void capitalised_projects(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " CAPITALISED "}", 2023, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_item_amount(it, "other_costs_cap", "200000.00");
    assert_item_amount(it, "other_costs_allowed", "200000.00");
    assert_item_amount(it, "expensed_base", "1033333.33");
    assert_item_amount(it, "capitalised_base", "966666.67");
    assert_item_amount(it, "extra_expensed", "1033333.33");
    assert_item_amount(it, "extra_deduction", "1033333.33"); /* the capitalised part comes through amortisation */
    assert_string_equal(fisc_test_step(it, "other_costs.ratio")->result, "2/3");
    fisc_result_free(r);
    /* to 2020, per project: each 10万 limit; the expensed one allowed 10万 of 20万 */
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", " CAPITALISED "}", 2020, 0);
    it = item_of(r);
    assert_item_amount(it, "expensed_base", "1000000.00");
    assert_item_amount(it, "capitalised_base", "1000000.00");
    assert_item_amount(it, "other_costs_allowed", "200000.00");
    assert_item_amount(it, "extra_deduction", "750000.00");
    fisc_result_free(r);
}

/* Domestic contracted-out R&D counts at 80%; a related party's only with the cost breakdown. */
static void contracted_out(void **state)
{
#define CONTRACTED(related, breakdown)                                                                           \
    "\"rd_project_count\": 0, \"rd_contracted_domestic\": 1000000, \"rd_contracted_related\": " related ", "   \
    breakdown "\"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": 0"
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{" SOFTWARE ", " CONTRACTED("500000", "\"rd_contracted_related_breakdown\": true, ") "}", 2023, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_contracted", "1200000.00"); /* (100 + 50)万 × 80% × 100% */
    assert_item_amount(it, "extra_deduction", "1200000.00");
    assert_int_equal(fisc_test_condition(it, "rd.contracted.related_breakdown")->state, FISC_COND_MET);
    fisc_result_free(r);
    r = evaluate("{" SOFTWARE ", " CONTRACTED("500000", "\"rd_contracted_related_breakdown\": false, ") "}", 2023, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_contracted", "800000.00");
    assert_int_equal(fisc_test_condition(it, "rd.contracted.related_breakdown")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    r = evaluate("{" SOFTWARE ", " CONTRACTED("500000", "") "}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "rd_contracted_related_breakdown"));
    fisc_result_free(r);
    /* 2016: 80% with 119号's unconfirmed start, at 50% */
    check("{" SOFTWARE ", " CONTRACTED("0", "") "}", 2016, 0, FISC_OUTCOME_ELIGIBLE, "400000.00", 1);
#undef CONTRACTED
}

/* ------------------------------------------------------------------ exclusions, missing facts */

/* 核定征收: excluded (the exclusion itself is unconfirmed: provisional). */
static void deemed_profit_excluded(void **state)
{
    fisc_result *r = evaluate("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS ", \"cit_deemed_profit\": true}", 2023, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_int_equal(fisc_test_condition(it, "rd.audited")->state, FISC_COND_NOT_MET);
    assert_item_amount(it, "extra_deduction", "0.00");
    assert_true(it->provisional);
    assert_int_equal(fisc_test_param(it, "rd.deemed_profit.excluded")->evidence, FISC_EVIDENCE_UNCONFIRMED);
    fisc_result_free(r);
    check("{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS ", \"cit_deemed_profit\": false}", 2023, 0,
          FISC_OUTCOME_ELIGIBLE, "2000000.00", 0);
}

static void missing_facts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = evaluate("{}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "rd_project_count"));
    assert_true(fisc_test_is_missing(it, "industry_revenue_1_code"));
    assert_true(fisc_test_is_missing(it, "rd_ic_or_machine_tool")); /* it could raise the rate to 120% */
    assert_false(fisc_test_is_missing(it, "rd_tech_sme"));          /* it could not (100% as for all) */
    assert_null(fisc_test_amount(it, "extra_deduction"));
    fisc_result_free(r);
    /* a project's category missing */
    r = evaluate("{" SOFTWARE ", " NO_OTHER ", \"rd_project_count\": 1, \"rd_p1_personnel\": 100}", 2023, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "rd_p1_other"));
    assert_false(fisc_test_is_missing(it, "rd_p1_personnel"));
    fisc_result_free(r);
    /* 科技型中小 unknown in 2022 matters (100% against 75%) */
    r = evaluate("{\"industry_revenue_1_code\": \"I6510\", \"industry_revenue_1_amount\": 10000000, "
                 "\"income_total\": 10000000, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
                 2022, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "rd_tech_sme"));
    fisc_result_free(r);
    /* no R&D at all: nothing to deduct, whatever is unknown */
    check("{\"rd_project_count\": 0, " NO_OTHER ", \"industry_revenue_1_code\": \"I6510\", "
          "\"industry_revenue_1_amount\": 10000000}",
          2023, 0, FISC_OUTCOME_NOT_ELIGIBLE, "0.00", 0);
}

/* Without the explanation the amounts are the same and the texts empty. */
static void without_trace(void **state)
{
    fisc_result *r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}", 2016, 0, 0);
    const fisc_item *it = item_of(r);

    (void)state;
    assert_item_amount(it, "extra_deduction", "988888.89");
    assert_int_equal(it->step_count, 0);
    assert_string_equal(it->summary_en, "");
    fisc_result_free(r);
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS "}", 2022, 0, 0);
    assert_item_amount(item_of(r), "extra_deduction", "9750000.00");
    fisc_result_free(r);
}

/* ------------------------------------------------------------------ without the explanation (batch work) */

/* R&D of one project, the six categories as JSON strings (any decimal, or a fraction such as 1000000/3). */
#define ONE_PROJECT(personnel, direct, depreciation, amortisation, design, other)                                \
    "\"rd_project_count\": 1, \"rd_p1_personnel\": \"" #personnel "\", \"rd_p1_direct\": \"" #direct "\", "      \
    "\"rd_p1_depreciation\": \"" #depreciation "\", \"rd_p1_amortisation\": \"" #amortisation "\", "              \
    "\"rd_p1_design\": \"" #design "\", \"rd_p1_other\": \"" #other "\""
/* WE-4 (2019: per project; from 2021: pooled): other costs 22万 above the limit of 11.56万. */
#define ABOVE_LIMIT ONE_PROJECT(400000, 300000, 200000, 100000, 40000, 220000)

/*
 * Without the explanation the program skips the texts and the steps, and the work that only they show:
 * the ratio of allowed to actual other costs when it need not share them between expensed and
 * capitalised projects, the roundings of zeros and of amounts that copy one already rounded. Every
 * path, both ways, gives the same outcomes, amounts (exactly), conditions, missing facts and parameters.
 */
static void untraced_same_on_every_path(void **state)
{
    static const char *const facts[] = {
        "{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS "}",
        "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT "}",
        "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT ", \"rd_p1_capitalised\": true}",
        "{" SOFTWARE ", " NO_OTHER ", " CAPITALISED "}",
        "{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS ", \"rd_p2_capitalised\": true}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(1000000, 0, 0, 0, 0, 0) "}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(0, 0, 0, 0, 0, 0) "}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(0.001, 0.003, 0, 0, 0, 0.0049) "}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(1000000/3, 0, 0, 0, 0, 100000/7) "}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(92233720368547758.07, 92233720368547758.08, 0, 0, 0.01,
                                                    9223372036854775807) "}",
        "{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(3000000) "}",
        "{" SOFTWARE ", " ONE_PROJECT(3000000, 0, 0, 0, 0, 400000) ", " WITH_OVERSEAS(1000000) "}",
        "{" SOFTWARE ", " DOMESTIC_300 ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, "
        "\"rd_contracted_overseas\": 3000000, \"rd_overseas_contract_registered\": false, "
        "\"rd_intangible_amortisation\": 0}",
        "{" SOFTWARE ", \"rd_project_count\": 0, \"rd_contracted_domestic\": 1000000, \"rd_contracted_related\": 500000, "
        "\"rd_contracted_related_breakdown\": true, \"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": 0}",
        "{" SOFTWARE ", \"rd_project_count\": 0, \"rd_contracted_domestic\": 1000000, \"rd_contracted_related\": 500000, "
        "\"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": 0}",
        "{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS "}",
        "{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS ", \"rd_q4_qualifying\": 4000000}",
        "{" SOFTWARE ", " NO_OTHER ", " CAPITALISED ", " MONTHS ", \"rd_q4_qualifying\": 1}",
        "{" MANUFACTURER ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, \"rd_contracted_overseas\": 0, "
        "\"rd_intangible_amortisation\": 100000, " ABOVE_LIMIT "}",
        "{\"industry_revenue_1_code\": \"F5211\", \"industry_revenue_1_amount\": \"5000000.01\", "
        "\"industry_revenue_2_code\": \"C\", \"industry_revenue_2_amount\": 100, \"income_total\": 12000000, "
        "\"income_non_taxable\": 1000000, \"income_investment\": -1000000, " NO_OTHER ", " ONE_MILLION "}",
        "{\"industry_revenue_1_code\": \"R8910\", \"industry_revenue_1_amount\": 8000000, \"income_total\": 10000000, "
        "\"income_non_taxable\": 0, \"income_investment\": 0, " NO_OTHER ", " ONE_MILLION "}",
        "{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS ", \"cit_deemed_profit\": true}",
        "{\"rd_project_count\": 2, \"rd_p1_personnel\": 100}",
        "{}",
    };
    static const int years[] = { 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023, 2028 };

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++) {
        for (size_t y = 0; y < FISCP_ARRAY_SIZE(years); y++)
            fisc_test_same_untraced(policy, facts[i], years[y], 0);
        for (int q = 1; q <= 4; q++)
            fisc_test_same_untraced(policy, facts[i], 2023, q);
    }
}

/*
 * The shortcuts, untraced, on their edges: a binding pooled limit with no capitalised project (the
 * expensed share is all that is allowed, no ratio made; the allowed other costs are the cap, rounded
 * once; the total is the expensed extra, rounded once); the same with an amortisation extra (the total
 * is rounded on its own); a limit that does not bind, with a capitalised project (each kind keeps its
 * own other costs); a total below half a 分 (rounded to zero: not eligible) and at it.
 */
static void untraced_shortcuts(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT "}", 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(it, "other_costs_cap", "115555.56");     /* 1040000 / 9 */
    assert_item_amount(it, "other_costs_allowed", "115555.56");
    assert_item_amount(it, "expensed_base", "1155555.56");
    assert_item_amount(it, "extra_expensed", "1155555.56");
    assert_item_amount(it, "extra_deduction", "1155555.56");
    assert_item_amount(it, "extra_contracted", "0.00");
    assert_item_amount(it, "tax_effect_standard", "288888.89");
    assert_int_equal(it->step_count, 0);
    fisc_result_free(r);
    r = fisc_test_evaluate(policy, "{" MANUFACTURER ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, "
                                   "\"rd_contracted_overseas\": 0, \"rd_intangible_amortisation\": \"0.01\", " ABOVE_LIMIT "}",
                           2023, 0, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_expensed", "1155555.56");
    assert_item_amount(it, "extra_amortisation", "0.01");
    assert_item_amount(it, "extra_deduction", "1155555.57"); /* 1155555.5555… + 0.01, rounded once */
    fisc_result_free(r);
    /* WE-1's projects pooled, the second capitalised: other costs 20万 at the limit of 20万 */
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " WE1_PROJECTS ", \"rd_p2_capitalised\": true}", 2023,
                           0, 0);
    it = item_of(r);
    assert_item_amount(it, "other_costs_allowed", "200000.00");
    assert_item_amount(it, "expensed_base", "1000000.00");
    assert_item_amount(it, "capitalised_base", "1000000.00");
    assert_item_amount(it, "extra_deduction", "1000000.00");
    fisc_result_free(r);
    /* 0.001 + 0.003: 0.004 rounds to 0.00, not eligible; 0.005 rounds to 0.01 */
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(0.001, 0.003, 0, 0, 0, 0) "}",
                           2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(item_of(r), "extra_deduction", "0.00");
    fisc_result_free(r);
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(0.002, 0.003, 0, 0, 0, 0) "}",
                           2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_ELIGIBLE);
    assert_item_amount(item_of(r), "extra_deduction", "0.01");
    fisc_result_free(r);
    /* beyond 64-bit coefficients: 2^63 − 1 and 2^63 分, and 2^63 − 1 元 of other costs against a limit of 2^62/225 */
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", "
                           ONE_PROJECT(92233720368547758.07, 92233720368547758.08, 0, 0, 0.01, 9223372036854775807) "}",
                           2023, 0, 0);
    it = item_of(r);
    assert_item_amount(it, "other_costs_cap", "20496382304121724.02");
    assert_item_amount(it, "other_costs_allowed", "20496382304121724.02");
    assert_item_amount(it, "extra_deduction", "204963823041217240.18"); /* 2^63 / 45 */
    assert_item_amount(it, "tax_effect_standard", "51240955760304310.04");
    fisc_result_free(r);
    /* rationals in: one third of 100万 and 10万 / 7 of other costs, within the limit */
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", "
                           ONE_PROJECT(1000000/3, 0, 0, 0, 0, 100000/7) "}", 2023, 0, 0);
    it = item_of(r);
    assert_item_amount(it, "other_costs_cap", "37037.04");
    assert_item_amount(it, "other_costs_allowed", "14285.71");
    assert_item_amount(it, "extra_deduction", "347619.05"); /* 7300000/21 */
    fisc_result_free(r);
}

/*
 * The sums of costs add two amounts of one scale with 64-bit coefficients inline, and take the general
 * addition for anything else: a sum of exactly 2^63 − 1 分 (inline), one 分 more (64 bits overflow), a
 * 128-bit sum added to again, scales that differ (元, 角, 分, 厘), an integer and a decimal, and a
 * fraction. Each sum is checked against fisc_decimal_add (the general path) and both ways.
 */
static void cost_sums_at_64_bits(void **state)
{
    static const struct {
        const char *facts, *terms[5], *base;
    } cases[] = {
        { ONE_PROJECT(92233720368547758.06, 0.01, 0, 0, 0, 0), { "92233720368547758.06", "0.01" },
          "92233720368547758.07" },
        { ONE_PROJECT(92233720368547758.07, 0.01, 0, 0, 0, 0), { "92233720368547758.07", "0.01" },
          "92233720368547758.08" },
        { ONE_PROJECT(92233720368547758.07, 92233720368547758.07, 0.01, 0.01, 0, 0),
          { "92233720368547758.07", "92233720368547758.07", "0.01", "0.01" }, "184467440737095516.16" },
        { ONE_PROJECT(1000000, 0.5, 0.25, 0.125, 0.01, 0), { "1000000", "0.5", "0.25", "0.125", "0.01" },
          "1000000.89" }, /* 1000000.885, half up */
        { ONE_PROJECT(1000000, 0.50, 0, 0, 0, 0), { "1000000", "0.50" }, "1000000.50" },
        { ONE_PROJECT(1000000/3, 0.01, 0, 0, 0, 0), { "1000000/3", "0.01" }, "333333.34" },
        { "\"rd_project_count\": 2, " PROJECT(1, 4611686018427387.90, 0, 0, 0, 0, 0) ", "
          PROJECT(2, 4611686018427387.90, 1, 0, 0, 0, 0), { "4611686018427387.90", "4611686018427387.90", "1" },
          "9223372036854776.80" },
    };
    char json[1024];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        fisc_decimal sum, term;
        fisc_result *r;

        fisc_decimal_init(&sum);
        fisc_decimal_init(&term);
        for (size_t k = 0; k < 5 && cases[i].terms[k]; k++) { /* the general path's sum */
            assert_int_equal(fisc_decimal_parse(&term, cases[i].terms[k], FISC_PARSE_FRACTION, NULL), FISC_OK);
            assert_int_equal(fisc_decimal_add(&sum, &sum, &term, NULL), FISC_OK);
        }
        assert_int_equal(fisc_decimal_round(&sum, NULL, &sum, 2, FISC_ROUND_HALF_UP, NULL, NULL), FISC_OK);
        snprintf(json, sizeof(json), "{" SOFTWARE ", " NO_OTHER ", %s}", cases[i].facts);
        for (int trace = 0; trace <= 1; trace++) {
            r = fisc_test_evaluate(policy, json, 2023, 0, trace);
            assert_item_amount(item_of(r), "expensed_base", cases[i].base);
            assert_int_equal(fisc_decimal_cmp(fisc_test_amount(item_of(r), "expensed_base"), &sum), 0);
            fisc_result_free(r);
        }
        fisc_test_same_untraced(policy, json, 2023, 0);
        fisc_test_same_untraced(policy, json, 2020, 0); /* per project */
        fisc_decimal_clear(&term);
        fisc_decimal_clear(&sum);
    }
}

/* A policy with one parameter's value changed from a date by an overlay (a what-if). */
static fisc_policy *with_value(const char *param, const char *from, const char *value)
{
    char path[] = "/tmp/fisc-rd-limit-XXXXXX";
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int fd = mkstemp(path);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;

    assert_non_null(out);
    fprintf(out, "fisc_policy: 1\nid: test.rd_limit\ntitle: {zh: 假设, en: Scenario}\noverlay: true\nparameters:\n"
                 "  - id: %s\n    values:\n"
                 "      - {from: %s, value: \"%s\", status: confirmed, citation: {document: 假设方案}}\n",
            param, from, value);
    assert_int_equal(fclose(out), 0);
    if (fisc_policy_load_default(&p, path, &err) != FISC_OK)
        fail_msg("%s", err.text);
    remove(path);
    return p;
}

/* The other-cost limit rate changed from 2021. */
static fisc_policy *with_limit_rate(const char *rate)
{
    return with_value("rd.other_costs.limit_rate", "2021-01-01", rate);
}

/*
 * Limit rates a policy could set: 100% leaves no limit to compute (division by zero: the evaluation
 * fails, as it always did, with and without the explanation); 150% makes the limit negative, so it
 * binds even over no other costs, where nothing is shared; 50% makes it categories 1-5 themselves.
 */
static void other_cost_limit_rates(void **state)
{
    static const char *const facts[] = {
        "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT "}",
        "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(1000000, 0, 0, 0, 0, 0) "}",
        "{" SOFTWARE ", " NO_OTHER ", " CAPITALISED "}",
    };
    fisc_policy *p = with_limit_rate("100%");
    fisc_error err = FISC_ERROR_INIT;
    fisc_result *r = NULL;
    const fisc_item *it;

    (void)state;
    for (int trace = 0; trace <= 1; trace++) {
        assert_int_equal(fisc_test_try_evaluate(&r, p, facts[0], 2023, 0, trace, &err), FISC_EDIVZERO);
        assert_string_equal(err.text, "program cn.rd_deduction: exact arithmetic failed: division by zero");
        fisc_result_free(r);
        r = NULL;
    }
    fisc_test_same_untraced(p, facts[0], 2020, 0); /* per project, at the 10% still in force */
    fisc_policy_free(p);

    p = with_limit_rate("150%");
    r = fisc_test_evaluate(p, facts[0], 2023, 0, 0);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_NOT_ELIGIBLE);
    assert_item_amount(it, "other_costs_cap", "-3120000.00"); /* 1040000 × 150% / (1 − 150%) */
    assert_item_amount(it, "other_costs_allowed", "-3120000.00");
    assert_item_amount(it, "extra_deduction", "-2080000.00");
    fisc_result_free(r);
    r = fisc_test_evaluate(p, facts[1], 2023, 0, 1);
    it = item_of(r);
    assert_item_amount(it, "other_costs_allowed", "-3000000.00");
    assert_item_amount(it, "expensed_base", "1000000.00"); /* no other costs: none to share the negative limit */
    assert_string_equal(fisc_test_step(it, "expensed_base")->substituted, "1000000 + 0 × 0");
    fisc_result_free(r);
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++)
        fisc_test_same_untraced(p, facts[i], 2023, 0);
    fisc_policy_free(p);

    p = with_limit_rate("50%");
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++)
        fisc_test_same_untraced(p, facts[i], 2023, 0);
    r = fisc_test_evaluate(p, facts[0], 2023, 0, 0);
    assert_item_amount(item_of(r), "other_costs_cap", "1040000.00");
    assert_item_amount(item_of(r), "extra_deduction", "1260000.00");
    fisc_result_free(r);
    fisc_policy_free(p);
}

/* The amounts of it named in names[] and their values (two places) in want[], or fail. */
static void check_amounts(const fisc_item *it, const char *const *names, const char *const *want, size_t n)
{
    for (size_t k = 0; k < n; k++)
        assert_item_amount(it, names[k], want[k]);
}

/*
 * At 100% (the general rate from 2023) an extra is its base, with no multiplication, and without the
 * explanation the expensed base takes the expensed extra's rounding (that of the total when the expensed
 * extra is all of it). The edges: a base of 1000000.885 (rounded half up), with contracted-out R&D and
 * amortisation of three decimals (the expensed extra rounded on its own), 75% (2019) and 120% (IC, 2023)
 * multiplied, a policy giving 100% as "100.0%" (still exactly 1) or "100.01%" (not 1), and a limit rate
 * of 150% that makes the base and the total negative. Each case traced and untraced, and both ways the same.
 */
#define THOUSANDTHS ONE_PROJECT(1000000, 0.5, 0.25, 0.125, 0.01, 0) /* 1000000.885 */
#define OTHERS(domestic, amortisation)                                                                     \
    "\"rd_contracted_domestic\": \"" domestic "\", \"rd_contracted_related\": \"0.00\", "                  \
    "\"rd_contracted_overseas\": \"0.00\", \"rd_intangible_amortisation\": \"" amortisation "\""

static void rate_of_one_shortcuts(void **state)
{
    static const char *const names[] = { "extra_deduction", "extra_expensed", "expensed_base",
                                         "extra_contracted", "extra_amortisation", "tax_effect_standard" };
    static const struct {
        const char *facts;
        int year;
        const char *want[6];
    } cases[] = {
        { "{" SOFTWARE ", " NO_OTHER ", " THOUSANDTHS "}", 2023,
          { "1000000.89", "1000000.89", "1000000.89", "0.00", "0.00", "250000.22" } },
        /* 1000000.885 + 333.335 × 80% + 0.005 = 1000267.558 */
        { "{" SOFTWARE ", " OTHERS("333.335", "0.005") ", " THOUSANDTHS "}", 2023,
          { "1000267.56", "1000000.89", "1000000.89", "266.67", "0.01", "250066.89" } },
        /* related parties with the breakdown: (0.005 + 0.004) × 80% = 0.0072 */
        { "{" SOFTWARE ", \"rd_contracted_domestic\": \"0.005\", \"rd_contracted_related\": \"0.004\", "
          "\"rd_contracted_related_breakdown\": true, \"rd_contracted_overseas\": 0, "
          "\"rd_intangible_amortisation\": 0, "
          THOUSANDTHS "}", 2023,
          { "1000000.89", "1000000.89", "1000000.89", "0.01", "0.00", "250000.22" } },
        /* 75%: 750000.66375 */
        { "{" SOFTWARE ", " NO_OTHER ", " THOUSANDTHS "}", 2019,
          { "750000.66", "750000.66", "1000000.89", "0.00", "0.00", "187500.17" } },
        /* IC at 120%: 1200001.062 + 0.005 × 120% */
        { "{\"industry_revenue_1_code\": \"C3973\", \"industry_revenue_1_amount\": 10000000, "
          "\"income_total\": 10000000, "
          "\"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": true, " OTHERS("0", "0.005") ", " THOUSANDTHS "}",
          2023, { "1200001.07", "1200001.06", "1000000.89", "0.00", "0.01", "300000.27" } },
    };
    static const struct {
        const char *rate, *want[6];
    } rates[] = {
        { "100.0%", { "1000000.89", "1000000.89", "1000000.89", "0.00", "0.00", "250000.22" } },
        { "100.01%", { "1000100.89", "1000100.89", "1000000.89", "0.00", "0.00", "250025.22" } }, /* 1000100.8850885 */
    };

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        for (int trace = 0; trace <= 1; trace++) {
            fisc_result *r = fisc_test_evaluate(policy, cases[i].facts, cases[i].year, 0, trace);

            assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_ELIGIBLE);
            check_amounts(item_of(r), names, cases[i].want, FISCP_ARRAY_SIZE(names));
            fisc_result_free(r);
        }
        fisc_test_same_untraced(policy, cases[i].facts, cases[i].year, 0);
        fisc_test_same_untraced(policy, cases[i].facts, cases[i].year, 3);
    }
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(rates); i++) {
        fisc_policy *p = with_value("rd.extra_rate.general", "2023-01-01", rates[i].rate);

        for (int trace = 0; trace <= 1; trace++) {
            fisc_result *r = fisc_test_evaluate(p, cases[0].facts, 2023, 0, trace);

            check_amounts(item_of(r), names, rates[i].want, FISCP_ARRAY_SIZE(names));
            fisc_result_free(r);
        }
        for (size_t k = 0; k < 3; k++)
            fisc_test_same_untraced(p, cases[k].facts, 2023, 0);
        fisc_policy_free(p);
    }
    /* 150%: the limit −1040000 × 3 binds, the base is 1040000 − 3120000, and so is the total */
    {
        static const char *const negative[] = { "-2080000.00", "-2080000.00", "-2080000.00", "0.00", "0.00",
                                                "-520000.00" };
        fisc_policy *p = with_limit_rate("150%");
        static const char facts[] = "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT "}";

        for (int trace = 0; trace <= 1; trace++) {
            fisc_result *r = fisc_test_evaluate(p, facts, 2023, 0, trace);

            check_amounts(item_of(r), names, negative, FISCP_ARRAY_SIZE(names));
            assert_item_amount(item_of(r), "other_costs_allowed", "-3120000.00");
            fisc_result_free(r);
        }
        fisc_policy_free(p);
    }
}

/*
 * The negative list by section: a code of a section before, between or after the listed ones is not listed
 * (the search stops at the first section after the code's); C16 (tobacco) is; C and C1 are too coarse
 * to tell; R89 and R90 need the edition, read only for them. Listed revenue is 80% of income here.
 */
static void negative_list_by_section(void **state)
{
    static const struct {
        const char *code, *edition;
        int state;
        const char *missing; /* the fact the item then lacks, or NULL */
    } cases[] = {
        { "A0111", "", FISC_COND_MET, NULL },          { "B06", "", FISC_COND_MET, NULL },
        { "C3911", "", FISC_COND_MET, NULL },          { "C1610", "", FISC_COND_NOT_MET, NULL },
        { "C16", "2011", FISC_COND_NOT_MET, NULL },    { "C1", "", FISC_COND_UNKNOWN, "industry_revenue_1_code" },
        { "C", "", FISC_COND_UNKNOWN, "industry_revenue_1_code" },
        { "D4411", "", FISC_COND_MET, NULL },          { "E47", "", FISC_COND_MET, NULL },
        { "F5211", "", FISC_COND_NOT_MET, NULL },      { "F", "", FISC_COND_NOT_MET, NULL },
        { "G5411", "", FISC_COND_MET, NULL },          { "H6110", "", FISC_COND_NOT_MET, NULL },
        { "I6510", "", FISC_COND_MET, NULL },          { "J66", "", FISC_COND_MET, NULL },
        { "K7010", "", FISC_COND_NOT_MET, NULL },      { "L7211", "2017", FISC_COND_NOT_MET, NULL },
        { "M7310", "", FISC_COND_MET, NULL },          { "Q83", "", FISC_COND_MET, NULL },
        { "R86", "", FISC_COND_MET, NULL },            { "R8910", "2011", FISC_COND_NOT_MET, NULL },
        { "R8910", "2017", FISC_COND_MET, NULL },      { "R8910", "", FISC_COND_UNKNOWN, "industry_code_version" },
        { "R9011", "2017", FISC_COND_NOT_MET, NULL },  { "R9011", "2011", FISC_COND_MET, NULL },
        { "R9011", "", FISC_COND_UNKNOWN, "industry_code_version" },
        { "R", "2017", FISC_COND_UNKNOWN, "industry_revenue_1_code" },
        { "S94", "", FISC_COND_MET, NULL },            { "T97", "", FISC_COND_MET, NULL },
    };
    char json[1024], edition[64];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        const fisc_item *it;
        fisc_result *r;

        snprintf(edition, sizeof(edition), *cases[i].edition ? "\"industry_code_version\": \"%s\", " : "%s",
                 cases[i].edition);
        snprintf(json, sizeof(json),
                 "{\"industry_revenue_1_code\": \"%s\", \"industry_revenue_1_amount\": 8000000, %s"
                 "\"income_total\": 10000000, \"income_non_taxable\": 0, \"income_investment\": 0, "
                 "\"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
                 cases[i].code, edition);
        r = fisc_test_evaluate(policy, json, 2023, 0, 0);
        it = item_of(r);
        if ((int)fisc_test_condition(it, "rd.negative_list")->state != cases[i].state)
            fail_msg("%s (edition \"%s\"): state %d, expected %d", cases[i].code, cases[i].edition,
                     fisc_test_condition(it, "rd.negative_list")->state, cases[i].state);
        assert_int_equal(it->missing_count, cases[i].missing ? 1 : 0);
        if (cases[i].missing)
            assert_string_equal(it->missing[0], cases[i].missing);
        assert_int_equal(it->outcome, cases[i].state == FISC_COND_MET       ? FISC_OUTCOME_ELIGIBLE
                                      : cases[i].state == FISC_COND_NOT_MET ? FISC_OUTCOME_NOT_ELIGIBLE
                                                                            : FISC_OUTCOME_UNDETERMINED);
        fisc_result_free(r);
        fisc_test_same_untraced(policy, json, 2023, 0);
    }
}

/*
 * The lines of revenue by industry are read where the negative list needs them: what an unusable line
 * lacks is recorded in the order of the lines, and with no line at all the first line's code and amount,
 * in that order. A line need not follow another (line 3 alone).
 */
static void industry_lines_missing_in_order(void **state)
{
    static const struct {
        const char *lines;
        int state;
        const char *missing[4];
    } cases[] = {
        { "", FISC_COND_UNKNOWN, { "industry_revenue_1_code", "industry_revenue_1_amount" } },
        { "\"industry_revenue_3_code\": \"I6510\", \"industry_revenue_3_amount\": \"0.00\", ", FISC_COND_MET,
          { NULL } },
        { "\"industry_revenue_2_code\": \"c39\", \"industry_revenue_2_amount\": 100, "
          "\"industry_revenue_4_code\": \"F52\", \"industry_revenue_5_amount\": 100, "
          "\"industry_revenue_3_code\": \"I6510\", \"industry_revenue_3_amount\": 100, ",
          FISC_COND_UNKNOWN, { "industry_revenue_2_code", "industry_revenue_4_amount", "industry_revenue_5_code" } },
        { "\"industry_revenue_1_code\": \"C1\", \"industry_revenue_1_amount\": 100, "
          "\"industry_revenue_5_code\": \"R8910\", \"industry_revenue_5_amount\": 100, ",
          FISC_COND_UNKNOWN, { "industry_revenue_1_code", "industry_code_version" } },
    };
    char json[1024];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        const fisc_item *it;
        fisc_result *r;
        size_t n = 0;

        snprintf(json, sizeof(json),
                 "{%s\"income_total\": 10000000, \"income_non_taxable\": 0, \"income_investment\": 0, "
                 "\"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " NO_OTHER ", " ONE_MILLION "}",
                 cases[i].lines);
        for (int trace = 0; trace <= 1; trace++) {
            r = fisc_test_evaluate(policy, json, 2023, 0, trace);
            it = item_of(r);
            assert_int_equal(fisc_test_condition(it, "rd.negative_list")->state, cases[i].state);
            for (n = 0; n < 4 && cases[i].missing[n]; n++)
                ;
            assert_int_equal(it->missing_count, n);
            for (size_t k = 0; k < n; k++)
                assert_string_equal(it->missing[k], cases[i].missing[k]);
            fisc_result_free(r);
        }
        fisc_test_same_untraced(policy, json, 2023, 0);
    }
}

/*
 * The shortcuts (blocks skipped when their inputs are zero, the rate of 100%, the roundings taken from an
 * equal amount, the negative list, the checks made before the overseas and fourth-quarter blocks) on their
 * edges, each traced and untraced the same in the years of each rule and at the prepayments: zeros written
 * "0.00", a negative investment income, a missing fact, five projects of which two capitalised, the fourth
 * quarter of 2022, and the overseas cap binding and not. (Costs cannot be negative: the vocabulary's minimum
 * is 0; a negative limit is in other_cost_limit_rates and rate_of_one_shortcuts.)
 */
#define ZEROS_AS_TEXT OTHERS("0.00", "0.00")
#define FIVE_PROJECTS                                                                                         \
    "\"rd_project_count\": 5, " PROJECT(1, 100000, 0, 0, 0, 0, 20000) ", " PROJECT(2, 100000, 0, 0, 0, 0, 20000) \
    ", " PROJECT(3, 100000, 0, 0, 0, 0, 20000) ", " PROJECT(4, 100000, 0, 0, 0, 0, 20000) ", "                 \
    PROJECT(5, 100000, 0, 0, 0, 0, 20000) ", \"rd_p2_capitalised\": true, \"rd_p4_capitalised\": true"

static void shortcut_edges(void **state)
{
    static const char *const facts[] = {
        "{" SOFTWARE ", " ZEROS_AS_TEXT ", " ONE_MILLION "}",
        "{" SOFTWARE ", " ZEROS_AS_TEXT ", " ONE_PROJECT(0.00, 0.00, 0.00, 0.00, 0.00, 0.00) "}",
        "{" SOFTWARE ", " OTHERS("1000", "0.01") ", " ONE_MILLION "}",
        "{\"industry_revenue_1_code\": \"F5211\", \"industry_revenue_1_amount\": \"5000000.01\", "
        "\"income_total\": 12000000, \"income_non_taxable\": 1000000, \"income_investment\": \"-1000000.00\", "
        "\"rd_tech_sme\": false, \"rd_ic_or_machine_tool\": false, " ZEROS_AS_TEXT ", " ONE_MILLION "}",
        "{" SOFTWARE ", \"rd_contracted_domestic\": 0, \"rd_contracted_related\": 0, "
        "\"rd_intangible_amortisation\": 0, " ONE_MILLION "}", /* rd_contracted_overseas missing */
        "{" SOFTWARE ", " ZEROS_AS_TEXT ", " FIVE_PROJECTS "}",
        "{" SOFTWARE ", " OTHERS("1000", "500") ", " FIVE_PROJECTS "}",
        "{" SOFTWARE ", " ZEROS_AS_TEXT ", " CAPITALISED "}",
        "{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS "}",
        "{" SOFTWARE ", " NO_OTHER ", " WE6 ", " MONTHS ", \"rd_q4_qualifying\": \"0.00\"}",
        "{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS(3000000) "}",
        "{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS("2249999.99") "}",
        "{" SOFTWARE ", " DOMESTIC_300 ", " WITH_OVERSEAS("0.00") "}",
    };
    static const int years[] = { 2016, 2019, 2021, 2022, 2023, 2028 };
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(facts); i++) {
        for (size_t y = 0; y < FISCP_ARRAY_SIZE(years); y++)
            fisc_test_same_untraced(policy, facts[i], years[y], 0);
        for (int q = 2; q <= 3; q++) {
            fisc_test_same_untraced(policy, facts[i], 2022, q);
            fisc_test_same_untraced(policy, facts[i], 2023, q);
        }
    }
    /* "0.00" is zero: nothing contracted, the expensed extra is the total */
    r = fisc_test_evaluate(policy, facts[0], 2023, 0, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_deduction", "1000000.00");
    assert_item_amount(it, "extra_contracted", "0.00");
    assert_item_amount(it, "extra_amortisation", "0.00");
    fisc_result_free(r);
    /* the blocks of contracted R&D and amortisation when they are not zero: 1000000 + 800 + 0.01 */
    r = fisc_test_evaluate(policy, facts[2], 2023, 0, 0);
    it = item_of(r);
    assert_item_amount(it, "extra_contracted", "800.00");
    assert_item_amount(it, "extra_amortisation", "0.01");
    assert_item_amount(it, "extra_deduction", "1000800.01");
    assert_item_amount(it, "expensed_base", "1000000.00");
    fisc_result_free(r);
    /* wholesale 5000000.01 within 50% × (12000000 − 1000000 + 1000000) */
    r = fisc_test_evaluate(policy, facts[3], 2023, 0, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "rd.negative_list")->state, FISC_COND_MET);
    assert_item_amount(item_of(r), "extra_deduction", "1000000.00");
    fisc_result_free(r);
    /* a missing fact: undetermined, and said */
    r = fisc_test_evaluate(policy, facts[4], 2023, 0, 0);
    assert_int_equal(item_of(r)->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(item_of(r), "rd_contracted_overseas"));
    fisc_result_free(r);
    /* five projects pooled, p2 and p4 capitalised: limit 500000/9 binds over 100000 (share 5/9) */
    for (int trace = 0; trace <= 1; trace++) {
        r = fisc_test_evaluate(policy, facts[5], 2023, 0, trace);
        it = item_of(r);
        assert_item_amount(it, "other_costs_cap", "55555.56");
        assert_item_amount(it, "other_costs_allowed", "55555.56");
        assert_item_amount(it, "expensed_base", "333333.33");   /* 300000 + 60000 × 5/9 */
        assert_item_amount(it, "capitalised_base", "222222.22"); /* 200000 + 40000 × 5/9 */
        assert_item_amount(it, "extra_deduction", "333333.33");
        fisc_result_free(r);
    }
    /* the overseas cap: 2/3 × 300万 = 200万 binds over 80% of 300万; 80% of 2249999.99 is below it */
    r = fisc_test_evaluate(policy, facts[10], 2023, 0, 0);
    assert_item_amount(item_of(r), "extra_overseas", "2000000.00");
    fisc_result_free(r);
    r = fisc_test_evaluate(policy, facts[11], 2023, 0, 0);
    assert_item_amount(item_of(r), "extra_overseas", "1799999.99");
    assert_item_amount(item_of(r), "extra_deduction", "4799999.99");
    fisc_result_free(r);
    /* the fourth quarter of 2022: 300万 by months against 0 incurred, the larger */
    r = fisc_test_evaluate(policy, facts[9], 2022, 0, 0);
    assert_item_amount(item_of(r), "extra_q4_raise", "750000.00");
    assert_string_equal(item_of(r)->choice, "q4_proportional");
    fisc_result_free(r);
}
#undef FIVE_PROJECTS
#undef ZEROS_AS_TEXT
#undef OTHERS
#undef THOUSANDTHS

/* Every allocation failure in an evaluation with the explanation on, and in its JSON and text, gives
 * FISC_ENOMEM, cleanly. */
static void oom_sweep(void **state)
{
    static const char json[] = "{" SOFTWARE ", " NO_OTHER ", " CAPITALISED ", " MONTHS ", \"rd_q4_qualifying\": 1}";
    fisc_result *r;

    (void)state;
    r = fisc_test_oom_sweep(policy, json, 2022, 0, 1);
    assert_item_amount(item_of(r), "extra_deduction", "839583.33"); /* 1033333.33… × 75% + ¼ of it × 25% */
    fisc_result_free(r);
}

/*
 * The pool of one expensed project, untraced, is the project itself (no sums, no shares made): against
 * the general path (traced) at the limit's edges (other costs at the limit, a 分 above it, no categories
 * 1-5, no other costs), with fractions and beyond 64 bits, at other limit rates (a negative limit at
 * -10%), and where it does not apply (a capitalised project, two projects: the general path both ways).
 */
static void pooled_one_expensed_project(void **state)
{
    static const char *const projects[] = {
        ONE_PROJECT(900000, 0, 0, 0, 0, 100000),       /* at the limit: 900000 / 9 */
        ONE_PROJECT(900000, 0, 0, 0, 0, 100000.01),    /* a 分 above it */
        ONE_PROJECT(0, 0, 0, 0, 0, 5000),              /* a limit of 0 binds */
        ONE_PROJECT(0.00, 0.00, 0, 0, 0, 0.00),        /* zeros at scale 2 */
        ONE_PROJECT(990000, 0, 0, 0, 0, 0),            /* no other costs (a negative limit at -10%) */
        ONE_PROJECT(1000000/3, 1/7, 0, 0, 0, 200000/3),
        ONE_PROJECT(92233720368547758.07, 92233720368547758.07, 0.01, 0, 0, 92233720368547758.07),
        ONE_PROJECT(400000, 300000, 200000, 100000, 40000, 220000) ", \"rd_p1_capitalised\": true",
        ONE_PROJECT(400000, 300000, 200000, 100000, 40000, 220000) ", \"rd_p1_capitalised\": false",
        "\"rd_project_count\": 2, " PROJECT(1, 900000, 0, 0, 0, 0, 100000.01) ", " PROJECT(2, 0, 0, 0, 0, 0, 0),
    };
    static const char *const rates[] = { "20%", "0%", "-10%", "1/3" };
    fisc_policy *p;
    fisc_result *r;
    char json[1024];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(projects); i++) {
        snprintf(json, sizeof(json), "{" SOFTWARE ", " NO_OTHER ", %s}", projects[i]);
        fisc_test_same_untraced(policy, json, 2023, 0);
        fisc_test_same_untraced(policy, json, 2021, 3);
        for (size_t k = 0; k < FISCP_ARRAY_SIZE(rates); k++) {
            p = with_limit_rate(rates[k]);
            fisc_test_same_untraced(p, json, 2023, 0);
            fisc_policy_free(p);
        }
    }
    r = fisc_test_evaluate(policy, "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(900000, 0, 0, 0, 0, 100000) "}", 2023,
                           0, 0);
    assert_item_amount(item_of(r), "other_costs_cap", "100000.00");
    assert_item_amount(item_of(r), "other_costs_allowed", "100000.00");
    assert_item_amount(item_of(r), "extra_deduction", "1000000.00");
    fisc_result_free(r);
    p = with_limit_rate("-10%");
    r = fisc_test_evaluate(p, "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(990000, 0, 0, 0, 0, 0) "}", 2023, 0, 0);
    assert_item_amount(item_of(r), "other_costs_cap", "-90000.00");
    assert_item_amount(item_of(r), "other_costs_allowed", "-90000.00");
    assert_item_amount(item_of(r), "expensed_base", "990000.00"); /* a negative limit over no other costs: not shared */
    fisc_result_free(r);
    fisc_policy_free(p);
}

/*
 * The project count and the 100% rate are read in place when they are plain (a SMALL whole number at
 * scale 0; a SMALL exactly 1 at any scale up to 18), through the general reader otherwise. The edges:
 * counts 0 and 5 (the facts refuse one out of 0..5), as a JSON number, as a string and as "1.0"; the
 * rate 100% written at scale 0 ("1"), at 18, 19 and 20 places (exactly 1; past the table: not taken as
 * 1, which only loses the shortcut), and 1 − 10^-18. Each traced and untraced, the same.
 */
static void plain_reads_in_place(void **state)
{
    static const struct {
        const char *count;
        int outcome;
        const char *extra;
    } counts[] = {
        { "0", FISC_OUTCOME_NOT_ELIGIBLE, "0.00" },
        { "1", FISC_OUTCOME_ELIGIBLE, "1000000.89" },
        { "\"1\"", FISC_OUTCOME_ELIGIBLE, "1000000.89" },
        { "\"1.0\"", FISC_OUTCOME_ELIGIBLE, "1000000.89" },
        { "5", FISC_OUTCOME_UNDETERMINED, NULL }, /* projects 2-5 are missing */
    };
    static const struct {
        const char *rate, *extra;
    } rates[] = {
        { "1", "1000000.89" },
        { "1.000000000000000000", "1000000.89" },
        { "1.0000000000000000000", "1000000.89" },  /* a coefficient of 10^19: past 63 bits, in 64 */
        { "1.00000000000000000000", "1000000.89" }, /* 10^20: past 64 bits */
        { "0.999999999999999999", "1000000.88" }, /* 1000000.884999...: below the half */
    };
    static const char FRACTIONS[] = "{" SOFTWARE ", " NO_OTHER ", " ONE_PROJECT(1000000, 0.5, 0.25, 0.125, 0.01, 0) "}";
    char json[1024];

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(counts); i++) {
        snprintf(json, sizeof(json),
                 "{" SOFTWARE ", " NO_OTHER ", \"rd_project_count\": %s, \"rd_p1_personnel\": \"1000000\", "
                 "\"rd_p1_direct\": \"0.5\", \"rd_p1_depreciation\": \"0.25\", \"rd_p1_amortisation\": \"0.125\", "
                 "\"rd_p1_design\": \"0.01\", \"rd_p1_other\": \"0\"}",
                 counts[i].count);
        for (int trace = 0; trace <= 1; trace++) {
            fisc_result *r = fisc_test_evaluate(policy, json, 2023, 0, trace);

            assert_int_equal(item_of(r)->outcome, counts[i].outcome);
            if (counts[i].extra)
                assert_item_amount(item_of(r), "extra_deduction", counts[i].extra);
            fisc_result_free(r);
        }
        fisc_test_same_untraced(policy, json, 2023, 0);
    }
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(rates); i++) {
        fisc_policy *p = with_value("rd.extra_rate.general", "2023-01-01", rates[i].rate);

        for (int trace = 0; trace <= 1; trace++) {
            fisc_result *r = fisc_test_evaluate(p, FRACTIONS, 2023, 0, trace);

            assert_item_amount(item_of(r), "extra_deduction", rates[i].extra);
            assert_item_amount(item_of(r), "expensed_base", "1000000.89");
            fisc_result_free(r);
        }
        fisc_test_same_untraced(p, FRACTIONS, 2023, 0);
        fisc_test_same_untraced(p, "{" SOFTWARE ", " NO_OTHER ", " ABOVE_LIMIT "}", 2023, 0);
        fisc_policy_free(p);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(we1_per_project_2016),
        cmocka_unit_test(we2_pooled_2023),
        cmocka_unit_test(we3_tech_sme),
        cmocka_unit_test(we4_limit_from_the_total),
        cmocka_unit_test(we5_overseas),
        cmocka_unit_test(we6_fourth_quarter_2022),
        cmocka_unit_test(per_project_to_2020_pooled_from_2021),
        cmocka_unit_test(general_rate_by_year),
        cmocka_unit_test(class_rates_by_year),
        cmocka_unit_test(amortisation),
        cmocka_unit_test(prepayment_claim_points),
        cmocka_unit_test(before_2016),
        cmocka_unit_test(negative_list_at_fifty_percent),
        cmocka_unit_test(manufacturing_at_fifty_percent),
        cmocka_unit_test(code_editions),
        cmocka_unit_test(capitalised_projects),
        cmocka_unit_test(contracted_out),
        cmocka_unit_test(deemed_profit_excluded),
        cmocka_unit_test(missing_facts),
        cmocka_unit_test(without_trace),
        cmocka_unit_test(untraced_same_on_every_path),
        cmocka_unit_test(untraced_shortcuts),
        cmocka_unit_test(cost_sums_at_64_bits),
        cmocka_unit_test(other_cost_limit_rates),
        cmocka_unit_test(rate_of_one_shortcuts),
        cmocka_unit_test(negative_list_by_section),
        cmocka_unit_test(industry_lines_missing_in_order),
        cmocka_unit_test(shortcut_edges),
        cmocka_unit_test(pooled_one_expensed_project),
        cmocka_unit_test(plain_reads_in_place),
        cmocka_unit_test(oom_sweep),
    };

    if (argc < 2) {
        fprintf(stderr, "usage: %s POLICY_DIR\n", argv[0]);
        return 2;
    }
    dir = argv[1];
    return cmocka_run_group_tests_name("rd_deduction", tests, group_setup, group_teardown);
}
