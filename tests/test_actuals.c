/*
 * Actuals (docs/agreement-format.md, "Actuals"): metrics by year read from each number's exact
 * text, unknown versus zero, events, each year's facts with errors placed in the whole document,
 * the setters, malformed JSON with line and column, and an allocation-failure sweep.
 */
#include <stdlib.h>

#include "fisc_test.h"

#include "agreement.h"

static fisc_actuals *load_at(const char *json, const char *file, int line)
{
    fisc_actuals *a = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_actuals_load_string(&a, "a.json", json, strlen(json), &err) != FISC_OK) {
        print_error("%s:%d: load failed: %s:%d:%d: %s\n", file, line, err.source, err.line, err.column, err.text);
        _fail(file, line);
    }
    return a;
}
#define load(json) load_at((json), __FILE__, __LINE__)

static void load_fails_at(const char *json, int code, int line, int column, const char *want, const char *file, int at)
{
    fisc_actuals *a = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_status rc = fisc_actuals_load_string(&a, "a.json", json, strlen(json), &err);

    if (rc != code || err.code != code || err.line != line || err.column != column || !strstr(err.text, want) ||
        strcmp(err.source, "a.json") != 0 || a) {
        print_error("%s:%d: got %s at %s:%d:%d \"%s\"; expected %s at %d:%d containing \"%s\"\n", file, at,
                    fisc_err_name(rc), err.source, err.line, err.column, err.text, fisc_err_name(code), line, column,
                    want);
        fisc_actuals_free(a);
        _fail(file, at);
    }
}
#define load_fails(json, code, line, column, want) \
    load_fails_at((json), (code), (line), (column), (want), __FILE__, __LINE__)

static void assert_metric(const fisc_actuals *a, int year, int m, const char *want)
{
    const fisc_decimal *v = fiscp_actuals_metric(a, year, m);

    if (!want) {
        if (v)
            fail_msg("%d %s is set, expected unknown", year, fiscp_ag_metrics[m].name);
        return;
    }
    if (!v)
        fail_msg("%d %s is unknown, expected %s", year, fiscp_ag_metrics[m].name, want);
    assert_decimal_equal(v, want);
}

static const char SAMPLE[] =
    "{\n"
    "  \"fisc_actuals\": 1,\n"
    "  \"agreement\": \"yl-hq-2023-007\",\n"
    "  \"_note\": \"comments start with an underscore\",\n"
    "  \"years\": {\n"
    "    \"2023\": {\"funds_in_place\": 123456789012345678901.25, \"equipment_investment\": \"60000000\",\n"
    "             \"headcount\": 150, \"output\": 0, \"revenue\": null},\n"
    "    \"2025\": {\"output\": \"0.000000000000000001\",\n"
    "             \"local_fiscal_contribution\": \"99999999999999999999999999999999999999.99\"}\n"
    "  },\n"
    "  \"events\": {\"production_started\": \"2024-05-20\", \"relocated_out\": null},\n"
    "  \"facts\": {\n"
    "    \"2024\": {\"taxable_income\": \"2800000.10\", \"industry_restricted\": false}\n"
    "  }\n"
    "}\n";

/* Values exactly as written; a metric not given (or null) is unknown, 0 is a value. */
static void exact_values(void **state)
{
    fisc_actuals *a = load(SAMPLE);
    const fisc_facts *f;

    (void)state;
    assert_string_equal(a->agreement, "yl-hq-2023-007");
    assert_int_equal(a->first_year, 2023);
    assert_int_equal(a->last_year, 2025);
    assert_metric(a, 2023, AGM_FUNDS_IN_PLACE, "123456789012345678901.25");
    assert_metric(a, 2023, AGM_EQUIPMENT_INVESTMENT, "60000000");
    assert_metric(a, 2023, AGM_HEADCOUNT, "150");
    assert_metric(a, 2023, AGM_OUTPUT, "0");
    assert_metric(a, 2023, AGM_REVENUE, NULL);
    assert_metric(a, 2023, AGM_RENT, NULL);
    assert_metric(a, 2024, AGM_OUTPUT, NULL);
    assert_metric(a, 2025, AGM_OUTPUT, "0.000000000000000001");
    assert_metric(a, 2025, AGM_LOCAL_FISCAL_CONTRIBUTION, "99999999999999999999999999999999999999.99");
    assert_metric(a, 2022, AGM_OUTPUT, NULL);
    assert_metric(a, 2026, AGM_OUTPUT, NULL);
    assert_null(fiscp_actuals_metric(a, 2023, -1));
    assert_null(fiscp_actuals_metric(a, 2023, AGM_COUNT));
    assert_int_equal(a->event[AGE_PRODUCTION_STARTED], 20240520);
    assert_int_equal(a->event[AGE_RELOCATED_OUT], 0);
    assert_int_equal(a->event[AGE_COMPLETED], 0);
    assert_null(fiscp_actuals_facts(a, 2023));
    assert_null(fiscp_actuals_facts(a, 2030));
    f = fiscp_actuals_facts(a, 2024);
    assert_non_null(f);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), "2800000.1");
    assert_true(fisc_facts_has(f, "industry_restricted"));
    fisc_actuals_free(a);
    fisc_actuals_free(NULL);
    assert_null(fiscp_actuals_metric(NULL, 2023, 0));
    assert_null(fiscp_actuals_facts(NULL, 2023));
}

/* CRLF line ends and a byte-order mark read the same, with the same positions. */
static void crlf_and_bom(void **state)
{
    fisc_actuals *a = load("\xEF\xBB\xBF{\"fisc_actuals\": 1,\r\n\"years\": {\"2024\": {\"output\": \"12.5\"}}}\r\n");

    (void)state;
    assert_metric(a, 2024, AGM_OUTPUT, "12.5");
    fisc_actuals_free(a);
    load_fails("{\"fisc_actuals\": 1,\r\n\"years\": {\"2024\": {\"outptu\": 1}}}", FISC_EINVAL, 2, 20,
               "years.2024: unknown metric \"outptu\"; did you mean \"output\"?");
}

static void value_errors(void **state)
{
    (void)state;
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": -5}}}", FISC_EINVAL, 2, 31,
               "years.2024.output: -5 is negative: a figure is at least 0");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"headcount\": 150.5}}}", FISC_EINVAL, 2, 34,
               "years.2024.headcount: 150.5 is not a whole number (headcount is a count)");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": 1e5}}}", FISC_EINVAL, 2, 31,
               "years.2024.output: 1e5 has an exponent");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": \"5%\"}}}", FISC_EINVAL, 2, 31,
               "years.2024.output: \"5%\" is not a decimal number");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": true}}}", FISC_EINVAL, 2, 31,
               "years.2024.output: expected a number (such as 1234.56 or \"1234.56\"), got true");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": [1]}}}", FISC_EINVAL, 2, 21,
               "years.2024.output: expected a number");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": 1, \"output\": 2}}}", FISC_EPARSE, 2, 34,
               "years.2024.output: duplicate key");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {\"output\": "
               "\"10000000000000000000000000000000000000000\"}}}",
               FISC_EINVAL, 2, 31, "years.2024.output: \"10000000000000000000000000000000000000000\" is not a decimal");
}

static void key_errors(void **state)
{
    (void)state;
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"24\": {}}}", FISC_EINVAL, 2, 12,
               "years: \"24\" is not a year");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"1999\": {}}}", FISC_EINVAL, 2, 12,
               "years: the year 1999 is not from 2000 to 2100");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": {}, \"2024\": {}}}", FISC_EPARSE, 2, 24,
               "years: duplicate key \"2024\"");
    load_fails("{\"fisc_actuals\": 1,\n \"years\": {\"2024\": 5}}", FISC_EINVAL, 2, 20,
               "years.2024: expected an object of metrics, got a number");
    load_fails("{\"fisc_actuals\": 1,\n \"event\": {}}", FISC_EINVAL, 2, 2,
               "unknown member \"event\"; did you mean \"events\"?");
    load_fails("{\"fisc_actuals\": 1, \"years\": {}, \"years\": {}}", FISC_EPARSE, 1, 34, "duplicate key \"years\"");
    load_fails("{\"years\": {}}", FISC_EINVAL, 1, 1, "\"fisc_actuals\": 1 is missing");
    load_fails("{\"fisc_actuals\": 2}", FISC_EINVAL, 1, 18, "fisc_actuals: the format version must be 1");
    load_fails("{\"fisc_actuals\": 1, \"agreement\": 5}", FISC_EINVAL, 1, 34, "agreement: expected the agreement's id");
}

static void event_errors(void **state)
{
    (void)state;
    load_fails("{\"fisc_actuals\": 1,\n \"events\": {\"production_start\": \"2024-05-20\"}}", FISC_EINVAL, 2, 13,
               "events: unknown event \"production_start\"; did you mean \"production_started\"?");
    load_fails("{\"fisc_actuals\": 1,\n \"events\": {\"completed\": \"2024-02-30\"}}", FISC_EINVAL, 2, 26,
               "events.completed: \"2024-02-30\" is not a date YYYY-MM-DD");
    load_fails("{\"fisc_actuals\": 1,\n \"events\": {\"completed\": 20240101}}", FISC_EINVAL, 2, 26,
               "events.completed: expected a date \"YYYY-MM-DD\", got a number");
    load_fails("{\"fisc_actuals\": 1,\n \"events\": {\"completed\": \"1999-12-31\"}}", FISC_EINVAL, 2, 26,
               "from 2000 to 2100");
}

static void json_errors(void **state)
{
    (void)state;
    load_fails("{\"fisc_actuals\": 1} x", FISC_EPARSE, 1, 21, "invalid JSON");
    load_fails("{\"fisc_actuals\": 1,\n  years: {}}", FISC_EPARSE, 2, 3, "invalid JSON");
    load_fails("[1]", FISC_EINVAL, 1, 1, "actuals are a JSON object");
    load_fails(" \n", FISC_EPARSE, 1, 1, "the actuals are empty");
}

/* An error inside a year's facts is placed in the whole document and names the year. */
static void facts_errors(void **state)
{
    (void)state;
    /* "taxable_incom" on line 3, column 13 (the opening quote) */
    load_fails("{\"fisc_actuals\": 1,\n \"facts\": {\"2024\": {\"taxable_income\": 1,\n"
               "            \"taxable_incom\": 2}}}", FISC_EINVAL, 3, 13,
               "facts.2024: field \"taxable_incom\": unknown fact; did you mean \"taxable_income\"?");
    /* on the line of the "2024" key: the column counts from the start of that line, 39 = the value */
    load_fails("{\"fisc_actuals\": 1,\n \"facts\": {\"2024\": {\"taxable_income\": true}}}", FISC_EINVAL, 2, 39,
               "facts.2024: field \"taxable_income\": expected a number");
    load_fails("{\"fisc_actuals\": 1,\n \"facts\": {\"2024\": [1]}}", FISC_EINVAL, 2, 12,
               "facts.2024: expected a facts object (docs/facts.md), got an array");
    load_fails("{\"fisc_actuals\": 1,\n \"facts\": {\"2024\": {\"uscc\": \"a\\\"}\"}}}", FISC_EINVAL, 2, 29,
               "facts.2024: field \"uscc\"");
}

static void setters(void **state)
{
    fisc_actuals *a = NULL;
    fisc_facts *f = NULL, *g = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_actuals_new(&a, &err), FISC_OK);
    assert_int_equal(a->first_year, 0);
    assert_null(fiscp_actuals_metric(a, 2024, AGM_OUTPUT));
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "output", "100.5", &err), FISC_OK);
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "output", "200.25", &err), FISC_OK); /* replaces */
    /* a year before the first: the rows move, the values stay */
    assert_int_equal(fisc_actuals_set_metric(a, 2021, "headcount", "12", &err), FISC_OK);
    assert_int_equal(fisc_actuals_set_metric(a, 2026, "rent", "1/4", &err), FISC_EINVAL);
    assert_non_null(strstr(err.text, "rent: \"1/4\" is not a decimal number"));
    assert_int_equal(a->first_year, 2021);
    assert_int_equal(a->last_year, 2024);
    assert_metric(a, 2024, AGM_OUTPUT, "200.25");
    assert_metric(a, 2021, AGM_HEADCOUNT, "12");
    assert_metric(a, 2022, AGM_HEADCOUNT, NULL);
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "outpt", "1", &err), FISC_EINVAL);
    assert_non_null(strstr(err.text, "did you mean \"output\"?"));
    assert_int_equal(fisc_actuals_set_metric(a, 2101, "output", "1", &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "headcount", "1.5", &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "output", "-1", &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_set_metric(a, 2024, "output", NULL, &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_set_event(a, "completed", "2024-02-29", &err), FISC_OK);
    assert_int_equal(a->event[AGE_COMPLETED], 20240229);
    assert_int_equal(fisc_actuals_set_event(a, "completed", "2023-02-29", &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_set_event(a, "complete", "2024-01-01", &err), FISC_EINVAL);
    assert_non_null(strstr(err.text, "did you mean \"completed\"?"));
    assert_int_equal(fisc_facts_from_json(&f, "{\"taxable_income\": 5}", 21, "f", &err), FISC_OK);
    assert_int_equal(fisc_facts_from_json(&g, "{\"taxable_income\": 6}", 21, "g", &err), FISC_OK);
    assert_int_equal(fisc_actuals_adopt_facts(a, 2030, f, &err), FISC_OK);
    assert_int_equal(fisc_actuals_adopt_facts(a, 2030, g, &err), FISC_OK); /* replaces f, frees it */
    assert_decimal_equal(fiscp_fact_decimal(fiscp_actuals_facts(a, 2030), FACT_TAXABLE_INCOME), "6");
    assert_int_equal(a->last_year, 2030);
    assert_metric(a, 2024, AGM_OUTPUT, "200.25");
    assert_int_equal(fisc_actuals_adopt_facts(a, 1999, NULL, &err), FISC_EINVAL);
    assert_int_equal(fisc_facts_from_json(&f, "{}", 2, "f", &err), FISC_OK);
    assert_int_equal(fisc_actuals_adopt_facts(a, 1999, f, &err), FISC_EINVAL); /* still the caller's */
    fisc_facts_free(f);
    fisc_actuals_free(a);
    assert_int_equal(fisc_actuals_new(NULL, &err), FISC_EINVAL);
    assert_int_equal(fisc_actuals_load(&a, "/nonexistent/a.json", &err), FISC_ENOTFOUND);
    assert_null(a);
}

/* Fail allocation N = 0, 1, 2 ... of loading SAMPLE: each run gives FISC_ENOMEM, then one succeeds. */
static void oom_sweep(void **state)
{
    long n;

    (void)state;
    for (n = 0; n < 100000; n++) {
        fisc_actuals *a = NULL;
        fisc_error err = FISC_ERROR_INIT;
        int rc, reached;

        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_actuals_load_string(&a, "oom.json", SAMPLE, strlen(SAMPLE), &err);
        fiscp_alloc_fail_at = -1;
        reached = fiscp_alloc_count > n;
        if (rc == FISC_OK)
            assert_metric(a, 2023, AGM_FUNDS_IN_PLACE, "123456789012345678901.25");
        fisc_actuals_free(a);
        if (!reached) {
            assert_int_equal(rc, FISC_OK);
            break;
        }
        if (rc != FISC_ENOMEM || err.code != FISC_ENOMEM)
            fail_msg("allocation %ld: %s \"%s\", expected FISC_ENOMEM", n, fisc_err_name(rc), err.text);
    }
    assert_true(n > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_values),
        cmocka_unit_test(crlf_and_bom),
        cmocka_unit_test(value_errors),
        cmocka_unit_test(key_errors),
        cmocka_unit_test(event_errors),
        cmocka_unit_test(json_errors),
        cmocka_unit_test(facts_errors),
        cmocka_unit_test(setters),
        cmocka_unit_test(oom_sweep),
    };
    return cmocka_run_group_tests_name("actuals", tests, NULL, NULL);
}
