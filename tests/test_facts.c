/* Tests of facts: the vocabulary, JSON reading (exact numbers, every rejection located), the API (its quick path
   against the general one), dates. */
#include "fisc_test.h"

#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "facts.h"        /* white-box: typed accessors, dates, vocabulary hooks */
#include "fisc_private.h" /* white-box: the allocation hook */

/* Every fact of the built-in vocabulary, as in docs/facts.md. */
static const char FULL[] =
    "{\n"
    "  \"_comment\": \"2024 prepayment, Q2\",\n"
    "  \"enterprise_name\": \"玉林市某某科技有限公司\",\n"
    "  \"uscc\": \"91440300708461136T\",\n"
    "  \"taxable_income\": 12345678901234567.89,\n"
    "  \"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, \"Q2\": {\"start\": \"200\", \"end\": 210}},\n"
    "  \"employees_average\": 182.5,\n"
    "  \"assets\": {\"Q1\": {\"start\": 30000000, \"end\": 32000000.50}},\n"
    "  \"assets_average\": \"31000000\",\n"
    "  \"industry_restricted\": false,\n"
    "  \"hnte_certificate_date\": \"2024-02-29\",\n"
    "  \"registered_in_yulin\": true,\n"
    "  \"tax_registered_in_yulin\": null\n"
    "}\n";

static const char *const FULL_GET[][2] = {
    { "enterprise_name", "玉林市某某科技有限公司" },
    { "uscc", "91440300708461136T" },
    { "taxable_income", "12345678901234567.89" },
    { "employees", "Q1=120/200;Q2=200/210" },
    { "employees_average", "182.5" },
    { "assets", "Q1=30000000/32000000.5" },
    { "assets_average", "31000000" },
    { "industry_restricted", "false" },
    { "hnte_certificate_date", "2024-02-29" },
    { "registered_in_yulin", "true" },
};

/* A vocabulary with the types the built-in one does not use yet. */
static const fiscp_vocab TEST_VOCAB[] = {
    { { "count", FISC_FACT_INTEGER, "人", "人数", "Count", "", "A whole number." }, "-5", "1000" },
    { { "kind", FISC_FACT_ENUM, "", "类型", "Kind", "alpha|beta|gamma", "An enumeration." }, NULL, NULL },
    { { "rate", FISC_FACT_DECIMAL, "", "比率", "Rate", "", "A rate." }, "0", "1" },
};

static void expect_get(const fisc_facts *f, const char *name, const char *want)
{
    fisc_error err = FISC_ERROR_INIT;
    char *got = NULL;

    if (fisc_facts_get(&got, f, name, &err) != FISC_OK)
        fail_msg("get %s: %s", name, err.text);
    if (strcmp(got, want) != 0) {
        print_error("fact %s is \"%s\", expected \"%s\"\n", name, got, want);
        fisc_string_free(got);
        fail();
    }
    fisc_string_free(got);
}

static fisc_facts *json_ok(const char *json)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_facts_from_json(&f, json, strlen(json), "t.json", &err) != FISC_OK)
        fail_msg("from_json failed: %s:%d:%d: %s", err.source, err.line, err.column, err.text);
    return f;
}

typedef struct bad {
    const char *json;
    int code, line, column;
    const char *text; /* a substring of the message */
} bad;

static void check_bad(const bad *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fisc_facts *f = (fisc_facts *)1;
        fisc_error err = FISC_ERROR_INIT;
        int rc = fisc_facts_from_json(&f, b[i].json, strlen(b[i].json), "bad.json", &err);

        if (rc != b[i].code || err.code != b[i].code || err.line != b[i].line || err.column != b[i].column ||
            !strstr(err.text, b[i].text) || strcmp(err.source, "bad.json") != 0) {
            print_error("case %zu %s\n  got %s %d:%d \"%s\" (source \"%s\")\n  expected %s %d:%d containing \"%s\"\n",
                        i, b[i].json, fisc_err_name(rc), err.line, err.column, err.text, err.source,
                        fisc_err_name(b[i].code), b[i].line, b[i].column, b[i].text);
            fail();
        }
        assert_null(f);
    }
}

/* ---------------------------------------------------------------- vocabulary */

static void vocabulary(void **state)
{
    (void)state;
    assert_int_equal(fisc_fact_vocab_count(), FACT_COUNT);
    for (size_t i = 0; i < fisc_fact_vocab_count(); i++) {
        const fisc_fact_info *info = fisc_fact_vocab_at(i);

        assert_non_null(info);
        assert_ptr_equal(fisc_fact_vocab_find(info->name), info);
        assert_ptr_equal(info, &fiscp_vocab_table[i].info);
        assert_true(info->type >= FISC_FACT_DECIMAL && info->type <= FISC_FACT_QUARTERS);
        assert_non_null(info->unit);
        assert_true(*info->label_zh && *info->label_en && *info->help_en);
        assert_true((info->type == FISC_FACT_ENUM) == (*info->values != '\0'));
    }
    assert_null(fisc_fact_vocab_at(FACT_COUNT));
    assert_null(fisc_fact_vocab_find("no_such_fact"));
    assert_null(fisc_fact_vocab_find(NULL));
    assert_string_equal(fisc_fact_vocab_at(FACT_TAXABLE_INCOME)->name, "taxable_income");
    assert_string_equal(fisc_fact_vocab_at(FACT_TAXABLE_INCOME)->unit, "元");
    assert_int_equal(fisc_fact_vocab_find("employees")->type, FISC_FACT_QUARTERS);
}

/* A CSV header names a fact by its name or either label (fisc batch, Python evaluate_file): no two
   facts may share a label (the English ones in any case), and no label may be another fact's name. */
static void labels_name_one_fact(void **state)
{
    size_t n = fisc_fact_vocab_count();

    (void)state;
    for (size_t i = 0; i < n; i++) {
        const fisc_fact_info *a = fisc_fact_vocab_at(i);
        const fisc_fact_info *by_zh = fisc_fact_vocab_find(a->label_zh), *by_en = fisc_fact_vocab_find(a->label_en);

        if (by_zh && by_zh != a)
            fail_msg("the zh label of %s is the name of %s", a->name, by_zh->name);
        if (by_en && by_en != a)
            fail_msg("the en label of %s is the name of %s", a->name, by_en->name);
        for (size_t j = i + 1; j < n; j++) {
            const fisc_fact_info *b = fisc_fact_vocab_at(j);

            if (strcmp(a->label_zh, b->label_zh) == 0)
                fail_msg("%s and %s share the zh label %s", a->name, b->name, a->label_zh);
            if (strcasecmp(a->label_en, b->label_en) == 0)
                fail_msg("%s and %s share the en label %s", a->name, b->name, a->label_en);
        }
    }
}

/* ---------------------------------------------------------------- JSON */

static void json_every_type(void **state)
{
    fisc_facts *f = json_ok(FULL);
    fiscp_date d = 0;
    int b = -1;

    (void)state;
    for (size_t i = 0; i < sizeof(FULL_GET) / sizeof(FULL_GET[0]); i++)
        expect_get(f, FULL_GET[i][0], FULL_GET[i][1]);
    assert_false(fisc_facts_has(f, "tax_registered_in_yulin"));
    assert_true(fisc_facts_has(f, "employees"));
    /* the typed accessors programs use */
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), "12345678901234567.89");
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_EMPLOYEES_AVERAGE), "182.5");
    assert_true(fiscp_fact_bool(f, FACT_REGISTERED_IN_YULIN, &b));
    assert_int_equal(b, 1);
    assert_true(fiscp_fact_bool(f, FACT_INDUSTRY_RESTRICTED, &b));
    assert_int_equal(b, 0);
    assert_false(fiscp_fact_bool(f, FACT_TAX_REGISTERED_IN_YULIN, &b));
    assert_true(fiscp_fact_date(f, FACT_HNTE_CERTIFICATE_DATE, &d));
    assert_int_equal(d, 20240229);
    assert_string_equal(fiscp_fact_text(f, FACT_USCC), "91440300708461136T");
    assert_decimal_equal(fiscp_fact_quarter(f, FACT_EMPLOYEES, 1, 0), "120");
    assert_decimal_equal(fiscp_fact_quarter(f, FACT_EMPLOYEES, 2, 1), "210");
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 3, 0));
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 0, 0));
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 5, 0));
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 1, 2));
    assert_decimal_equal(fiscp_fact_quarter(f, FACT_ASSETS, 1, 1), "32000000.5");
    /* an accessor of the wrong type finds nothing */
    assert_null(fiscp_fact_decimal(f, FACT_USCC));
    assert_null(fiscp_fact_text(f, FACT_TAXABLE_INCOME));
    assert_false(fiscp_fact_date(f, FACT_TAXABLE_INCOME, &d));
    assert_false(fiscp_fact_enum(f, FACT_TAXABLE_INCOME, &b));
    assert_null(fiscp_fact_quarter(f, FACT_TAXABLE_INCOME, 1, 0));
    assert_null(fiscp_fact_decimal(f, FACT_COUNT));
    assert_null(fiscp_fact_decimal(NULL, FACT_TAXABLE_INCOME));
    fisc_facts_free(f);
}

/* The inline readers (facts.h): each type, its out-parameter optional and left alone when the fact is
   absent, a fact of another type, an id past a smaller vocabulary, no set at all. */
static void inline_readers(void **state)
{
    fisc_facts *f = NULL, *small = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int b = 7, e = 7;
    fiscp_date d = 7;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "industry_restricted", "false", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "hnte_certificate_date", "2021-12-31", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "enterprise_name", "甲公司", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "rd_project_count", "3", &err), FISC_OK);
    assert_true(fiscp_fact_bool(f, FACT_INDUSTRY_RESTRICTED, &b));
    assert_int_equal(b, 0);
    assert_true(fiscp_fact_bool(f, FACT_INDUSTRY_RESTRICTED, NULL));
    assert_true(fiscp_fact_date(f, FACT_HNTE_CERTIFICATE_DATE, &d));
    assert_int_equal(d, 20211231);
    assert_true(fiscp_fact_date(f, FACT_HNTE_CERTIFICATE_DATE, NULL));
    assert_string_equal(fiscp_fact_text(f, FACT_ENTERPRISE_NAME), "甲公司");
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_RD_PROJECT_COUNT), "3"); /* an INTEGER fact too */
    b = 7, d = 7;
    assert_false(fiscp_fact_bool(f, FACT_CIT_DEEMED_PROFIT, &b));
    assert_false(fiscp_fact_bool(f, FACT_ENTERPRISE_NAME, &b));
    assert_false(fiscp_fact_date(f, FACT_INDUSTRY_RESTRICTED, &d));
    assert_false(fiscp_fact_enum(f, FACT_RD_PROJECT_COUNT, &e));
    assert_int_equal(b, 7);
    assert_int_equal(d, 7);
    assert_int_equal(e, 7);
    assert_null(fiscp_fact_text(f, FACT_HNTE_CERTIFICATE_DATE));
    assert_false(fiscp_fact_quarters_known(f, FACT_EMPLOYEES));
    assert_int_equal(fisc_facts_set(f, "employees", "Q2=1/2", &err), FISC_OK);
    assert_true(fiscp_fact_quarters_known(f, FACT_EMPLOYEES));
    assert_false(fiscp_fact_quarters_known(f, FACT_ENTERPRISE_NAME));
    fisc_facts_clear(f);
    assert_false(fiscp_fact_bool(f, FACT_INDUSTRY_RESTRICTED, &b));
    assert_null(fiscp_fact_text(f, FACT_ENTERPRISE_NAME));
    assert_null(fiscp_fact_decimal(f, FACT_RD_PROJECT_COUNT));
    assert_false(fiscp_fact_quarters_known(f, FACT_EMPLOYEES));
    /* a set over a vocabulary of 3: an id past it is not there, whatever is set */
    assert_int_equal(fiscp_facts_new_vocab(&small, TEST_VOCAB, 3, &err), FISC_OK);
    assert_int_equal(fisc_facts_set(small, "kind", "beta", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(small, "count", "4", &err), FISC_OK);
    assert_true(fiscp_fact_enum(small, (fiscp_fact)1, &e));
    assert_int_equal(e, 1);
    assert_true(fiscp_fact_enum(small, (fiscp_fact)1, NULL));
    assert_decimal_equal(fiscp_fact_decimal(small, (fiscp_fact)0), "4");
    assert_null(fiscp_fact_decimal(small, (fiscp_fact)3));
    assert_false(fiscp_fact_enum(small, (fiscp_fact)3, &e));
    assert_null(fiscp_fact_text(NULL, FACT_ENTERPRISE_NAME));
    assert_false(fiscp_fact_bool(NULL, FACT_INDUSTRY_RESTRICTED, &b));
    assert_false(fiscp_fact_enum(NULL, (fiscp_fact)1, &e));
    assert_false(fiscp_fact_quarters_known(NULL, FACT_EMPLOYEES));
    fisc_facts_free(small);
    fisc_facts_free(f);
}

static void json_exact_numbers(void **state)
{
    static const char *const cases[][2] = {
        { "{\"taxable_income\": 12345678901234567.89}", "12345678901234567.89" },
        { "{\"taxable_income\": 0.1}", "0.1" },
        { "{\"taxable_income\": 1234567.895}", "1234567.895" },
        { "{\"taxable_income\": 10000000000000001}", "10000000000000001" },
        /* beyond 128 bits: held by GMP, still exact */
        { "{\"taxable_income\": 1234567890123456789012345678901234567890.12345678901234567890}",
          "1234567890123456789012345678901234567890.1234567890123456789" },
        { "{\"taxable_income\": -0}", "0" },
        { "{\"taxable_income\": -1500.00}", "-1500" },
        { "{\"taxable_income\": \"2800000\"}", "2800000" },
        { "{\"taxable_income\": \"15%\"}", "0.15" },
        { "{\"taxable_income\": \"1/3\"}", "1/3" },
        { "{\"assets_average\": 50000000.00}", "50000000" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fisc_facts *f = json_ok(cases[i][0]);
        const char *name = strstr(cases[i][0], "assets_average") ? "assets_average" : "taxable_income";

        expect_get(f, name, cases[i][1]);
        fisc_facts_free(f);
    }
}

static void json_comments_and_null(void **state)
{
    fisc_facts *f;
    fisc_error err = FISC_ERROR_INIT;
    char *s = (char *)1;

    (void)state;
    f = json_ok("{\"_comment\": \"ignored\", \"_x\": [1, {\"nested\": {\"taxable_incom\": true}}], \"_\": null,\n"
                " \"taxable_income\": null, \"uscc\": null, \"hnte_certificate_date\": null,\n"
                " \"employees\": {\"_note\": \"季初/季末\", \"Q1\": null,\n"
                "                \"Q2\": {\"_c\": 0, \"start\": null, \"end\": 5}},\n"
                " \"assets\": {\"Q1\": {\"start\": null, \"end\": null}, \"Q4\": {}}}");
    assert_false(fisc_facts_has(f, "taxable_income"));
    assert_false(fisc_facts_has(f, "uscc"));
    assert_false(fisc_facts_has(f, "hnte_certificate_date"));
    assert_false(fiscp_fact_date(f, FACT_HNTE_CERTIFICATE_DATE, NULL));
    assert_false(fisc_facts_has(f, "_comment"));
    assert_true(fisc_facts_has(f, "employees"));
    expect_get(f, "employees", "Q2=?/5");
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 2, 0));
    /* all eight values unknown: the fact is unknown */
    assert_false(fisc_facts_has(f, "assets"));
    assert_fisc_error(&err, fisc_facts_get(&s, f, "assets", &err), FISC_ENOTFOUND, -1);
    assert_null(s);
    assert_non_null(strstr(err.text, "\"assets\""));
    fisc_facts_free(f);
    /* an empty object is no facts at all */
    f = json_ok(" {\n} ");
    for (size_t i = 0; i < fisc_fact_vocab_count(); i++)
        assert_false(fisc_facts_has(f, fisc_fact_vocab_at(i)->name));
    fisc_facts_free(f);
}

static void json_bom_and_whitespace(void **state)
{
    static const char with_bom[] = "\xEF\xBB\xBF{\"taxable_income\": 1}";
    static const char bad_after_bom[] = "\xEF\xBB\xBF{\"taxable_income\": x}";
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_from_json(&f, with_bom, strlen(with_bom), NULL, &err), FISC_OK);
    expect_get(f, "taxable_income", "1");
    fisc_facts_free(f);
    f = json_ok("\r\n\t {\"taxable_income\":1}\r\n");
    fisc_facts_free(f);
    /* positions do not count the BOM */
    assert_fisc_error(&err, fisc_facts_from_json(&f, bad_after_bom, strlen(bad_after_bom), NULL, &err),
                      FISC_EPARSE, 20);
    assert_int_equal(err.line, 1);
    assert_string_equal(err.source, "");
    /* only len bytes are read */
    assert_int_equal(fisc_facts_from_json(&f, "{\"taxable_income\": 12}garbage", 22, NULL, &err), FISC_OK);
    expect_get(f, "taxable_income", "12");
    fisc_facts_free(f);
}

static void json_rejections(void **state)
{
    static const bad cases[] = {
        /* not JSON: EPARSE, located */
        { "", FISC_EPARSE, 1, 1, "empty" },
        { " \n\t ", FISC_EPARSE, 1, 1, "empty" },
        { "\r\n \r", FISC_EPARSE, 1, 1, "empty" }, /* fuzz/fuzz_facts: this once leaked the CRLF copy */
        { "{\"taxable_income\": 1,}", FISC_EPARSE, 1, 21, "invalid JSON" },
        { "{taxable_income: 1}", FISC_EPARSE, 1, 2, "double quotes" },
        { "{\"taxable_income\": 1", FISC_EPARSE, 1, 21, "ends before the top-level value is complete" },
        { "{\"employees\": {\"Q1\": {\"start\": 1}\n", FISC_EPARSE, 2, 1, "ends before" },
        { "{\"enterprise_name\": \"abc", FISC_EPARSE, 1, 22, "without closing quote" },
        { "{\"taxable_income\": 1} x", FISC_EPARSE, 1, 23, "invalid JSON" },
        { "{\"taxable_income\": 1}\n{\"uscc\": null}", FISC_EPARSE, 2, 1, "after the end of the top-level value" },
        { "{\"taxable_income\": 1}\n\"x\"", FISC_EPARSE, 2, 1, "after the end of the top-level value" },
        { "{\"taxable_income\": NaN}", FISC_EPARSE, 1, 20, "invalid JSON" },
        { "{\"taxable_income\": 'x'}", FISC_EPARSE, 1, 20, "invalid JSON" },
        { "{\"enterprise_name\": \"a\tb\"}", FISC_EPARSE, 1, 23, "invalid JSON" },
        { "{\"enterprise_name\": \"\xff\"}", FISC_EPARSE, 1, 22, "malformed UTF8" },
        /* duplicate keys: EPARSE at the second one */
        { "{\n  \"taxable_income\": 1,\n  \"taxable_income\": 2\n}", FISC_EPARSE, 3, 3,
          "duplicate key \"taxable_income\"" },
        { "{\"_c\": 1, \"_c\": 2}", FISC_EPARSE, 1, 11, "duplicate key \"_c\"" },
        { "{\"employees\": {\"Q1\": {\"start\": 1, \"start\": 2}}}", FISC_EPARSE, 1, 35, "duplicate key \"start\"" },
        { "{\"employees\": {\"Q1\": {}, \"Q2\": null, \"Q1\": {}}}", FISC_EPARSE, 1, 38, "duplicate key \"Q1\"" },
        /* the first repeat in input order, whatever the keys' sort order */
        { "{\"uscc\": null, \"b\": 1, \"a\": 1, \"uscc\": null, \"a\": 2, \"b\": 2}", FISC_EPARSE, 1, 32,
          "duplicate key \"uscc\"" },
        /* keys compare by value: an escape does not make a key different */
        { "{\"_a\": 1, \"_\\u0061\": 2}", FISC_EPARSE, 1, 11, "duplicate key \"_a\"" },
        /* a duplicate is found before an unknown key or a bad value */
        { "{\"profit\": true, \"taxable_income\": \"x\", \"profit\": 2}", FISC_EPARSE, 1, 41,
          "duplicate key \"profit\"" },
        /* the top level */
        { "[1, 2]", FISC_EINVAL, 1, 1, "must be a JSON object" },
        { "  \n  \"taxable_income\"", FISC_EINVAL, 2, 3, "got the string \"taxable_income\"" },
        { "42", FISC_EINVAL, 1, 1, "got the number 42" },
        { "null", FISC_EINVAL, 1, 1, "got null" },
        /* unknown facts, with a suggestion when one is close */
        { "{\"taxable_incom\": 1}", FISC_EINVAL, 1, 2,
          "field \"taxable_incom\": unknown fact; did you mean \"taxable_income\"?" },
        { "{\"Taxable_Income\": 1}", FISC_EINVAL, 1, 2, "did you mean \"taxable_income\"?" },
        { "{\"uscc\": null,\n \"employes\": {}}", FISC_EINVAL, 2, 2, "did you mean \"employees\"?" },
        { "{\"registered_in_yulin\": true, \"tax_registered_in_yulinn\": true}", FISC_EINVAL, 1, 31,
          "did you mean \"tax_registered_in_yulin\"?" },
        { "{\"profit\": 1}", FISC_EINVAL, 1, 2, "field \"profit\": unknown fact (not in the vocabulary" },
        { "{\"\": 1}", FISC_EINVAL, 1, 2, "field \"\": unknown fact" },
        /* wrong types */
        { "{\"taxable_income\": true}", FISC_EINVAL, 1, 20, "field \"taxable_income\": expected a number" },
        { "{\"taxable_income\": {\"a\": 1}}", FISC_EINVAL, 1, 2, "got an object" },
        { "{\"taxable_income\": [1]}", FISC_EINVAL, 1, 2, "got an array" },
        { "{\"taxable_income\": \"12,345\"}", FISC_EINVAL, 1, 23, "invalid number \"12,345\": thousands separators" },
        { "{\"taxable_income\": \" 12\"}", FISC_EINVAL, 1, 21, "invalid number" },
        /* an escape makes the text differ from the input: the value's start is given */
        { "{\"taxable_income\": \"1\\u002c5\"}", FISC_EINVAL, 1, 20, "invalid number \"1,5\"" },
        { "{\"taxable_income\": \"\"}", FISC_EINVAL, 1, 21, "invalid number" },
        { "{\"taxable_income\": 01}", FISC_EPARSE, 1, 20, "no leading zeros" },
        { "{\"taxable_income\": +1}", FISC_EPARSE, 1, 20, "invalid JSON" },
        { "{\"taxable_income\": .5}", FISC_EPARSE, 1, 20, "invalid JSON" },
        { "{\"taxable_income\": 1e5}", FISC_EINVAL, 1, 20, "write the number without an exponent" },
        { "{\"taxable_income\": -1.5E-3}", FISC_EINVAL, 1, 20, "write the number without an exponent" },
        { "{\"taxable_income\": 12345678901234567890123456789012345678901}", FISC_EINVAL, 1, 60,
          "more than 40 integer digits" },
        { "{\"industry_restricted\": \"true\"}", FISC_EINVAL, 1, 25, "true or false without quotes" },
        { "{\"industry_restricted\": 1}", FISC_EINVAL, 1, 25, "expected true or false, got the number 1" },
        { "{\"industry_restricted\": \"yes\"}", FISC_EINVAL, 1, 25, "got the string \"yes\"" },
        { "{\"enterprise_name\": 12}", FISC_EINVAL, 1, 21, "expected a string, got the number 12" },
        { "{\"enterprise_name\": false}", FISC_EINVAL, 1, 21, "expected a string, got false" },
        { "{\"enterprise_name\": \"a\\u0000b\"}", FISC_EINVAL, 1, 21, "NUL" },
        { "{\"uscc\": 914403007084611360}", FISC_EINVAL, 1, 10, "expected a string" },
        { "{\"uscc\": \"91440300708461136A\"}", FISC_EINVAL, 1, 10, "should be 'T'" },
        /* dates */
        { "{\"hnte_certificate_date\": \"2023-02-29\"}", FISC_EINVAL, 1, 27, "February 2023 has 28 days" },
        { "{\"hnte_certificate_date\": \"2100-02-29\"}", FISC_EINVAL, 1, 27, "February 2100 has 28 days" },
        { "{\"hnte_certificate_date\": \"2023-04-31\"}", FISC_EINVAL, 1, 27, "April 2023 has 30 days" },
        { "{\"hnte_certificate_date\": \"2023-13-01\"}", FISC_EINVAL, 1, 27, "no month 13" },
        { "{\"hnte_certificate_date\": \"2023-00-10\"}", FISC_EINVAL, 1, 27, "no month 0" },
        { "{\"hnte_certificate_date\": \"2023-01-00\"}", FISC_EINVAL, 1, 27, "January 2023 has 31 days" },
        { "{\"hnte_certificate_date\": \"1899-12-31\"}", FISC_EINVAL, 1, 27, "from 1900 to 2199" },
        { "{\"hnte_certificate_date\": \"2200-01-01\"}", FISC_EINVAL, 1, 27, "from 1900 to 2199" },
        { "{\"hnte_certificate_date\": \"2023-5-1\"}", FISC_EINVAL, 1, 27, "expected a date \"YYYY-MM-DD\"" },
        { "{\"hnte_certificate_date\": \"2023/05/01\"}", FISC_EINVAL, 1, 27, "expected a date" },
        { "{\"hnte_certificate_date\": 20230501}", FISC_EINVAL, 1, 27, "got the number 20230501" },
        /* ranges */
        { "{\"employees_average\": -1}", FISC_EINVAL, 1, 23,
          "field \"employees_average\": -1 is below the minimum 0 人" },
        { "{\"employees_average\": 100000000.01}", FISC_EINVAL, 1, 23, "above the maximum 100000000 人" },
        { "{\"assets_average\": \"-0.01\"}", FISC_EINVAL, 1, 20, "-0.01 is below the minimum 0 元" },
        /* quarters */
        { "{\"employees\": 5}", FISC_EINVAL, 1, 15, "field \"employees\": expected an object {\"Q1\"" },
        { "{\"employees\": [1, 2]}", FISC_EINVAL, 1, 2, "got an array" },
        { "{\"employees\": {\"Q5\": {}}}", FISC_EINVAL, 1, 16, "field \"employees.Q5\": unknown quarter" },
        { "{\"employees\": {\"q1\": {}}}", FISC_EINVAL, 1, 16, "\"Q1\", \"Q2\", \"Q3\" and \"Q4\"" },
        { "{\"employees\": {\"Q1\": 3}}", FISC_EINVAL, 1, 22, "field \"employees.Q1\": expected an object {\"start\"" },
        { "{\"employees\": {\"Q1\": [3]}}", FISC_EINVAL, 1, 16, "field \"employees.Q1\": expected an object" },
        { "{\"employees\": {\"Q1\": {\"middle\": 1}}}", FISC_EINVAL, 1, 23,
          "field \"employees.Q1.middle\": unknown member; the members are \"start\" and \"end\"" },
        { "{\"employees\": {\"Q1\": {\"start\": \"abc\"}}}", FISC_EINVAL, 1, 33,
          "field \"employees.Q1.start\": invalid number" },
        { "{\"employees\": {\"Q1\": {\"start\": \"5%\"}}}", FISC_EINVAL, 1, 34, "a percentage is not accepted" },
        { "{\"employees\": {\"Q1\": {\"start\": true}}}", FISC_EINVAL, 1, 32,
          "field \"employees.Q1.start\": expected a number" },
        { "{\"employees\": {\"Q1\": {\"start\": {}}}}", FISC_EINVAL, 1, 23, "got an object" },
        { "{\n \"employees\": {\n  \"Q2\": {\"start\": 1,\n         \"end\": -3}}}", FISC_EINVAL, 4, 17,
          "field \"employees.Q2.end\": -3 is below the minimum 0" },
        { "{\"employees\": {\"Q3\": {\"end\": 1e3}}}", FISC_EINVAL, 1, 30, "without an exponent" },
        { "{\"assets\": {\"Q4\": {\"start\": -1}}}", FISC_EINVAL, 1, 29, "field \"assets.Q4.start\": -1 is below" },
        /* Windows and old Mac line ends count once */
        { "{\r\n  \"taxable_income\": 1,\r\n\r\n  \"profit\": 2\r\n}", FISC_EINVAL, 4, 3, "field \"profit\"" },
        { "\r\n{\"taxable_income\": 1,\r  \"taxable_income\": 2}", FISC_EPARSE, 3, 3, "duplicate key" },
        { "{\"enterprise_name\": \"a\r\nb\"}", FISC_EPARSE, 1, 22, "Multi line" },
        /* tabs are one column; columns count characters, not bytes */
        { "{\t\t\"profit\": 1}", FISC_EINVAL, 1, 4, "field \"profit\"" },
        { "{\"enterprise_name\": \"名字\", \"uscc\": 1}", FISC_EINVAL, 1, 35, "field \"uscc\"" },
    };
    (void)state;
    check_bad(cases, sizeof(cases) / sizeof(cases[0]));
}

static void json_misuse_and_limits(void **state)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    static const char small[] = "{}";
    char longname[200];

    (void)state;
    assert_fisc_error(&err, fisc_facts_from_json(NULL, small, 2, NULL, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_from_json(&f, NULL, 2, NULL, &err), FISC_EINVAL, -1);
    /* the length is checked before any byte is read */
    assert_fisc_error(&err, fisc_facts_from_json(&f, small, (size_t)16 * 1024 * 1024 + 1, "big.json", &err),
                      FISC_ERANGE, -1);
    assert_non_null(strstr(err.text, "16 MiB"));
    assert_string_equal(err.source, "big.json");
    assert_null(f);
    /* NULL err is fine */
    assert_int_equal(fisc_facts_from_json(&f, "[", 1, NULL, NULL), FISC_EPARSE);
    assert_null(f);
    /* a long source keeps its end (the file name) */
    memset(longname, 'd', sizeof(longname));
    memcpy(longname + sizeof(longname) - 12, "/facts.json", 12);
    assert_int_equal(fisc_facts_from_json(&f, "[]", 2, longname, &err), FISC_EINVAL);
    assert_int_equal(strlen(err.source), sizeof(err.source) - 1);
    assert_non_null(strstr(err.source, "dd/facts.json"));
}

/* Objects with many keys: duplicates are found in O(n log n) (libfyaml's own check is quadratic). */
static void json_many_keys(void **state)
{
    const size_t n = 20000;
    size_t cap = n * 24 + 64, len = 0;
    char *json = malloc(cap);
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int line = 0;

    (void)state;
    assert_non_null(json);
    len += (size_t)snprintf(json + len, cap - len, "{\"taxable_income\": 7");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(json + len, cap - len, ",\n\"_k%zu\": %zu", i, i);
    len += (size_t)snprintf(json + len, cap - len, "}");
    assert_int_equal(fisc_facts_from_json(&f, json, len, NULL, &err), FISC_OK);
    expect_get(f, "taxable_income", "7");
    fisc_facts_free(f);
    /* repeat key 123 at the end */
    len -= 1;
    len += (size_t)snprintf(json + len, cap - len, ",\n\"_k123\": 0}");
    assert_fisc_error(&err, fisc_facts_from_json(&f, json, len, NULL, &err), FISC_EPARSE, 1);
    line = (int)n + 2;
    assert_int_equal(err.line, line);
    assert_non_null(strstr(err.text, "duplicate key \"_k123\""));
    assert_null(f);
    free(json);
}

/* Nothing reaches stderr, whatever the input. */
static void json_is_silent(void **state)
{
    static const char *const inputs[] = { "{\"a\": 1, \"a\": 2}", "{x}", "[", "{\"uscc\": 1}", "\xff\xfe",
                                          "{\"taxable_income\": 1}}" };
    char path[] = "/tmp/fisc-test-stderr-XXXXXX";
    int fd = mkstemp(path), saved = dup(2);
    struct stat st;

    (void)state;
    assert_true(fd >= 0 && saved >= 0);
    fflush(stderr);
    assert_true(dup2(fd, 2) >= 0);
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        fisc_facts *f = NULL;
        fisc_error err = FISC_ERROR_INIT;

        assert_true(fisc_facts_from_json(&f, inputs[i], strlen(inputs[i]), NULL, &err) != FISC_OK);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(fstat(fd, &st), 0);
    close(fd);
    unlink(path);
    assert_int_equal(st.st_size, 0);
}

/* ---------------------------------------------------------------- files */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void load_file(void **state)
{
    static const char bad_json[] = "\xEF\xBB\xBF{\n  \"taxable_income\": 1,\n  \"employees_average\": -2\n}\n";
    char dir[] = "/tmp/fisc-test-facts-XXXXXX", path[128], big[128];
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int fd;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/facts.json", dir);
    /* with a BOM, as Windows editors write it */
    write_file(path, "\xEF\xBB\xBF", 3);
    {
        FILE *fp = fopen(path, "ab");

        assert_non_null(fp);
        assert_int_equal(fwrite(FULL, 1, strlen(FULL), fp), strlen(FULL));
        assert_int_equal(fclose(fp), 0);
    }
    assert_int_equal(fisc_facts_load_file(&f, path, &err), FISC_OK);
    for (size_t i = 0; i < sizeof(FULL_GET) / sizeof(FULL_GET[0]); i++)
        expect_get(f, FULL_GET[i][0], FULL_GET[i][1]);
    fisc_facts_free(f);
    f = NULL;
    /* errors name the file */
    write_file(path, bad_json, strlen(bad_json));
    assert_fisc_error(&err, fisc_facts_load_file(&f, path, &err), FISC_EINVAL, 24);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.source, path);
    assert_non_null(strstr(err.text, "employees_average"));
    assert_null(f);
    /* missing, a directory, too large */
    assert_int_equal(unlink(path), 0);
    assert_fisc_error(&err, fisc_facts_load_file(&f, path, &err), FISC_ENOTFOUND, -1);
    assert_non_null(strstr(err.text, "facts.json"));
    assert_non_null(strstr(err.text, "No such file"));
    assert_string_equal(err.source, path);
    assert_fisc_error(&err, fisc_facts_load_file(&f, dir, &err), FISC_ENOTFOUND, -1);
    assert_non_null(strstr(err.text, "cannot read"));
    snprintf(big, sizeof(big), "%s/big.json", dir);
    fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)16 * 1024 * 1024 + 1), 0);
    close(fd);
    assert_fisc_error(&err, fisc_facts_load_file(&f, big, &err), FISC_ERANGE, -1);
    assert_null(f);
    /* exactly 16 MiB is read (and found not to be JSON) */
    fd = open(big, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)16 * 1024 * 1024), 0);
    close(fd);
    assert_fisc_error(&err, fisc_facts_load_file(&f, big, &err), FISC_EPARSE, -1);
    assert_int_equal(unlink(big), 0);
    assert_int_equal(rmdir(dir), 0);
    assert_fisc_error(&err, fisc_facts_load_file(NULL, "x", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_load_file(&f, NULL, &err), FISC_EINVAL, -1);
}

/* ---------------------------------------------------------------- API */

static void api_set_every_type(void **state)
{
    static const char *const cases[][3] = {
        /* name, value, canonical */
        { "enterprise_name", "某某公司", "某某公司" },
        { "enterprise_name", "", "" },
        { "uscc", " 9144 0300-7084 61136t ", "91440300708461136T" },
        { "taxable_income", "2800000", "2800000" },
        { "taxable_income", "-1234.50", "-1234.5" },
        { "taxable_income", "15%", "0.15" },
        { "taxable_income", "2/3", "2/3" },
        { "employees_average", "300", "300" },
        { "industry_restricted", "true", "true" },
        { "industry_restricted", "false", "false" },
        { "hnte_certificate_date", "2000-02-29", "2000-02-29" },
        { "hnte_certificate_date", "1900-01-01", "1900-01-01" },
        { "hnte_certificate_date", "2199-12-31", "2199-12-31" },
        { "employees", "Q1=120/200;Q3=?/5", "Q1=120/200;Q3=?/5" },
        { "employees", "Q4=1/2;Q2=3/?", "Q2=3/?;Q4=1/2" },
        { "assets", "Q1=0.50/1.00", "Q1=0.5/1" },
    };
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (fisc_facts_set(f, cases[i][0], cases[i][1], &err) != FISC_OK)
            fail_msg("set %s=%s: %s", cases[i][0], cases[i][1], err.text);
        assert_true(fisc_facts_has(f, cases[i][0]));
        expect_get(f, cases[i][0], cases[i][2]);
    }
    /* an empty quarters text leaves nothing known */
    assert_int_equal(fisc_facts_set(f, "employees", "", &err), FISC_OK);
    assert_false(fisc_facts_has(f, "employees"));
    /* unset, has */
    assert_int_equal(fisc_facts_unset(f, "taxable_income", &err), FISC_OK);
    assert_false(fisc_facts_has(f, "taxable_income"));
    assert_int_equal(fisc_facts_unset(f, "taxable_income", &err), FISC_OK);
    assert_false(fisc_facts_has(f, "no_such"));
    assert_false(fisc_facts_has(NULL, "uscc"));
    assert_false(fisc_facts_has(f, NULL));
    fisc_facts_free(f);
    fisc_facts_free(NULL);
}

/* A batch row: cells by vocabulary index from a larger buffer (not NUL-terminated), then cleared. */
static void api_set_index_and_clear(void **state)
{
    static const char row[] = "2800000.50,true,2023-05-01,Q1=120/200,3O0";
    long income = fisc_fact_vocab_index("taxable_income");
    long restricted = fisc_fact_vocab_index("industry_restricted");
    long date = fisc_fact_vocab_index("hnte_certificate_date");
    long employees = fisc_fact_vocab_index("employees");
    long average = fisc_fact_vocab_index("employees_average");
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_true(income >= 0 && restricted >= 0 && date >= 0 && employees >= 0 && average >= 0);
    assert_string_equal(fisc_fact_vocab_at((size_t)income)->name, "taxable_income");
    assert_int_equal(fisc_fact_vocab_index("no_such"), -1);
    assert_int_equal(fisc_fact_vocab_index(NULL), -1);
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_index(f, (size_t)income, row, 10, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_index(f, (size_t)restricted, row + 11, 4, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_index(f, (size_t)date, row + 16, 10, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_index(f, (size_t)employees, row + 27, 10, &err), FISC_OK);
    expect_get(f, "taxable_income", "2800000.5");
    expect_get(f, "industry_restricted", "true");
    expect_get(f, "hnte_certificate_date", "2023-05-01");
    expect_get(f, "employees", "Q1=120/200");
    /* a bad cell names the fact and leaves it unset */
    assert_fisc_error(&err, fisc_facts_set_index(f, (size_t)average, row + 38, 3, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "employees_average"));
    assert_false(fisc_facts_has(f, "employees_average"));
    assert_fisc_error(&err, fisc_facts_set_index(f, fisc_fact_vocab_count(), "1", 1, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set_index(f, (size_t)income, NULL, 0, &err), FISC_EINVAL, -1);
    fisc_facts_clear(f);
    assert_false(fisc_facts_has(f, "taxable_income"));
    assert_false(fisc_facts_has(f, "employees"));
    /* the cleared set takes new values as a new one would */
    assert_int_equal(fisc_facts_set_index(f, (size_t)income, "-1", 2, &err), FISC_OK);
    expect_get(f, "taxable_income", "-1");
    fisc_facts_clear(f);
    fisc_facts_clear(NULL);
    fisc_facts_free(f);
}

/* A row in one call: skipped columns and empty cells, the cell refused (its position, the message
   fisc_facts_set_index() gives, the cells before it set and those after it not), the argument checks. */
static void api_set_row(void **state)
{
    static const char row[] = "E1,2800000.50,,true,3,x,0.00";
    const long index[7] = { -1, fisc_fact_vocab_index("taxable_income"), fisc_fact_vocab_index("hnte_certificate_date"),
                            fisc_fact_vocab_index("industry_restricted"), fisc_fact_vocab_index("rd_project_count"),
                            fisc_fact_vocab_index("employees_average"), fisc_fact_vocab_index("income_total") };
    const fisc_fact_span cells[7] = { { 0, 2 }, { 3, 10 }, { 14, 0 }, { 15, 4 }, { 20, 1 }, { 22, 1 }, { 24, 4 } };
    const long bad_index[2] = { index[3], (long)fisc_fact_vocab_count() };
    fisc_error err = FISC_ERROR_INIT, one = FISC_ERROR_INIT;
    fisc_facts *f = NULL;
    size_t failed = 99;

    (void)state;
    for (size_t k = 1; k < 7; k++)
        assert_true(index[k] >= 0);
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    /* every cell before the bad one, as cells of their own */
    assert_int_equal(fisc_facts_set_row(&failed, f, index, row, cells, 5, &err), FISC_OK);
    assert_int_equal(failed, 5);
    assert_int_equal(err.code, FISC_OK);
    expect_get(f, "taxable_income", "2800000.5");
    expect_get(f, "industry_restricted", "true");
    expect_get(f, "rd_project_count", "3");
    assert_false(fisc_facts_has(f, "hnte_certificate_date")); /* an empty cell */
    /* the whole row: stops at cell 5 with the message fisc_facts_set_index() gives */
    fisc_facts_clear(f);
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, index, row, cells, 7, &err), FISC_EINVAL, -1);
    assert_int_equal(failed, 5);
    assert_fisc_error(&one, fisc_facts_set_index(f, (size_t)index[5], row + 22, 1, &one), FISC_EINVAL, -1);
    assert_string_equal(err.text, one.text);
    assert_non_null(strstr(err.text, "employees_average"));
    expect_get(f, "rd_project_count", "3");
    assert_false(fisc_facts_has(f, "employees_average"));
    assert_false(fisc_facts_has(f, "income_total"));
    /* a fact set again (the general path) */
    assert_int_equal(fisc_facts_set_row(NULL, f, index, row, cells, 2, &err), FISC_OK);
    expect_get(f, "taxable_income", "2800000.5");
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, index + 1, row, cells + 5, 1, &err), FISC_EINVAL, -1);
    assert_int_equal(failed, 0);
    expect_get(f, "taxable_income", "2800000.5"); /* refused: the value stays */
    /* arguments */
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, bad_index, row, cells + 3, 2, &err), FISC_EINVAL, -1);
    assert_int_equal(failed, 1);
    assert_non_null(strstr(err.text, "no fact at index"));
    assert_fisc_error(&err, fisc_facts_set_row(&failed, NULL, index, row, cells, 1, &err), FISC_EINVAL, -1);
    assert_int_equal(failed, 0);
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, NULL, row, cells, 1, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, index, NULL, cells, 1, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, index, row, NULL, 1, &err), FISC_EINVAL, -1);
    assert_int_equal(fisc_facts_set_row(&failed, f, NULL, NULL, NULL, 0, &err), FISC_OK);
    assert_int_equal(failed, 0);
    fisc_facts_free(f);
}

/* An amount set again in a row (its quick path reads it before the slot is touched, without the test of
   known[]): the new value replaces the old, a 20-digit one (the general path) included; a refused one
   leaves the old with the message fisc_facts_set() gives. */
static void api_set_amount_again(void **state)
{
    static const char row[] = "12345678901234567890.12,0.00,2800000.50,-1.00,7.5";
    const long at = fisc_fact_vocab_index("income_total");
    const long index[5] = { at, at, at, at, at };
    const fisc_fact_span cells[5] = { { 0, 23 }, { 24, 4 }, { 29, 10 }, { 40, 5 }, { 46, 3 } };
    fisc_error err = FISC_ERROR_INIT, one = FISC_ERROR_INIT;
    fisc_facts *f = NULL;
    size_t failed = 99;

    (void)state;
    assert_true(at >= 0);
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_row(&failed, f, index, row, cells, 1, &err), FISC_OK);
    expect_get(f, "income_total", "12345678901234567890.12");
    assert_int_equal(fisc_facts_set_row(&failed, f, index + 1, row, cells + 1, 1, &err), FISC_OK);
    expect_get(f, "income_total", "0");
    assert_int_equal(fisc_facts_set_index(f, (size_t)at, row + 29, 10, &err), FISC_OK);
    expect_get(f, "income_total", "2800000.5");
    /* a negative amount for a fact whose minimum is 0: refused, the value stays */
    assert_fisc_error(&err, fisc_facts_set_row(&failed, f, index + 3, row, cells + 3, 1, &err), FISC_EINVAL, -1);
    assert_int_equal(failed, 0);
    assert_fisc_error(&one, fisc_facts_set(f, "income_total", "-1.00", &one), FISC_EINVAL, -1);
    assert_string_equal(err.text, one.text);
    expect_get(f, "income_total", "2800000.5");
    /* not the form of the quick path ("7.5"): the general path sets it */
    assert_int_equal(fisc_facts_set_row(&failed, f, index + 4, row, cells + 4, 1, &err), FISC_OK);
    expect_get(f, "income_total", "7.5");
    assert_int_equal(fisc_facts_set_row(&failed, f, index, row, cells, 3, &err), FISC_OK);
    assert_int_equal(failed, 3);
    expect_get(f, "income_total", "2800000.5");
    fisc_facts_free(f);
}

static void api_set_quarter(void **state)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 2, "100", NULL, &err), FISC_OK);
    expect_get(f, "employees", "Q2=100/?");
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 4, "1.5", "2", &err), FISC_OK);
    expect_get(f, "employees", "Q2=100/?;Q4=1.5/2");
    /* a quarter is replaced as a whole */
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 2, NULL, "7", &err), FISC_OK);
    expect_get(f, "employees", "Q2=?/7;Q4=1.5/2");
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 2, NULL, NULL, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 4, NULL, NULL, &err), FISC_OK);
    assert_false(fisc_facts_has(f, "employees"));
    /* errors leave the fact as it was */
    assert_int_equal(fisc_facts_set_quarter(f, "assets", 1, "10", "20", &err), FISC_OK);
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "assets", 1, "30", "-1", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "field \"assets.Q1.end\": -1 is below the minimum 0"));
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "assets", 1, "1e3", NULL, &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "assets", 1, "5%", NULL, &err), FISC_EINVAL, -1);
    expect_get(f, "assets", "Q1=10/20");
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "assets", 0, "1", "2", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "quarter 0"));
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "assets", 5, "1", "2", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "taxable_income", 1, "1", "2", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "not a per-quarter fact"));
    assert_fisc_error(&err, fisc_facts_set_quarter(f, "asets", 1, "1", "2", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "did you mean \"assets\"?"));
    assert_fisc_error(&err, fisc_facts_set_quarter(NULL, "assets", 1, "1", "2", &err), FISC_EINVAL, -1);
    fisc_facts_free(f);
}

static void api_rejections(void **state)
{
    static const char *const cases[][3] = {
        /* name, value, part of the message */
        { "taxable_incme", "1", "did you mean \"taxable_income\"?" },
        { "nothing_like_it", "1", "unknown fact" },
        { "taxable_income", "1e5", "invalid number" },
        { "taxable_income", "1,000", "invalid number" },
        { "taxable_income", "true", "invalid number" },
        { "employees_average", "-3", "below the minimum 0" },
        { "employees_average", "100000001", "above the maximum 100000000" },
        { "industry_restricted", "yes", "expected \"true\" or \"false\"" },
        { "industry_restricted", "TRUE", "expected \"true\" or \"false\"" },
        { "hnte_certificate_date", "2023-02-29", "February 2023 has 28 days" },
        { "hnte_certificate_date", "1900-02-29", "February 1900 has 28 days" },
        { "hnte_certificate_date", "2023-05-01T00:00", "expected a date" },
        { "uscc", "9144030070846113", "16 characters" },
        { "employees", "Q1=1", "is not of the form" },
        { "employees", "Q5=1/2", "is not of the form" },
        { "employees", "Q1=1/2;", "is not of the form" },
        { "employees", "Q1=1/2;;Q2=1/2", "is not of the form" },
        { "employees", "Q1=1/2;Q1=3/4", "quarter Q1 is given twice" },
        { "employees", "Q1=a/2", "field \"employees.Q1.start\": invalid number" },
        { "employees", "Q1=1/-2", "field \"employees.Q1.end\": -2 is below" },
        { "employees", "Q1=1/2/3", "field \"employees.Q1.end\": invalid number" },
    };
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "taxable_income", "100", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "employees_average", "5", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "industry_restricted", "true", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "hnte_certificate_date", "2022-12-01", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "uscc", "91330100716105852F", &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "employees", "Q1=1/2", &err), FISC_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = fisc_facts_set(f, cases[i][0], cases[i][1], &err);

        if (rc != FISC_EINVAL || err.code != FISC_EINVAL || !strstr(err.text, cases[i][2]) || err.line != -1 ||
            err.column != -1 || err.source[0] != '\0')
            fail_msg("set %s=%s: got %s \"%s\" (%d:%d), expected EINVAL with \"%s\"", cases[i][0], cases[i][1],
                     fisc_err_name(rc), err.text, err.line, err.column, cases[i][2]);
    }
    /* the facts are unchanged */
    expect_get(f, "taxable_income", "100");
    expect_get(f, "employees_average", "5");
    expect_get(f, "industry_restricted", "true");
    expect_get(f, "hnte_certificate_date", "2022-12-01");
    expect_get(f, "uscc", "91330100716105852F");
    expect_get(f, "employees", "Q1=1/2");
    /* misuse */
    assert_fisc_error(&err, fisc_facts_set(f, "taxable_income", NULL, &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "fisc_facts_unset"));
    assert_fisc_error(&err, fisc_facts_set(NULL, "taxable_income", "1", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set(f, NULL, "1", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_unset(f, "taxable_incomes", &err), FISC_EINVAL, -1);
    assert_non_null(strstr(err.text, "did you mean \"taxable_income\"?"));
    assert_fisc_error(&err, fisc_facts_new(NULL, &err), FISC_EINVAL, -1);
    assert_int_equal(fisc_facts_set(f, "nope", "1", NULL), FISC_EINVAL);
    fisc_facts_free(f);
}

static void api_get(void **state)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    char *s = (char *)1;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_fisc_error(&err, fisc_facts_get(&s, f, "taxable_income", &err), FISC_ENOTFOUND, -1);
    assert_null(s);
    assert_string_equal(err.text, "field \"taxable_income\": the fact is not set (unknown)");
    assert_fisc_error(&err, fisc_facts_get(&s, f, "taxable", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_get(NULL, f, "uscc", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_get(&s, NULL, "uscc", &err), FISC_EINVAL, -1);
    fisc_facts_free(f);
}

/* get → set → get gives the same text, for every fact of the full example. */
static void round_trips(void **state)
{
    fisc_facts *a = json_ok(FULL), *b = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&b, &err), FISC_OK);
    for (size_t i = 0; i < fisc_fact_vocab_count(); i++) {
        const char *name = fisc_fact_vocab_at(i)->name;
        char *s = NULL;

        if (!fisc_facts_has(a, name))
            continue;
        assert_int_equal(fisc_facts_get(&s, a, name, &err), FISC_OK);
        if (fisc_facts_set(b, name, s, &err) != FISC_OK)
            fail_msg("set %s=%s: %s", name, s, err.text);
        expect_get(b, name, s);
        fisc_string_free(s);
    }
    assert_false(fisc_facts_has(b, "tax_registered_in_yulin"));
    fisc_facts_free(a);
    fisc_facts_free(b);
}

/* ---------------------------------------------------------------- other types */

static void integer_and_enum(void **state)
{
    static const bad cases[] = {
        { "{\"count\": 12.5}", FISC_EINVAL, 1, 11, "field \"count\": 12.5 is not a whole number" },
        { "{\"count\": \"1/2\"}", FISC_EINVAL, 1, 13, "a fraction is not accepted" },
        { "{\"count\": -6}", FISC_EINVAL, 1, 11, "-6 is below the minimum -5 人" },
        { "{\"count\": true}", FISC_EINVAL, 1, 11, "expected a whole number, got true" },
        { "{\"kind\": \"delta\"}", FISC_EINVAL, 1, 10, "\"delta\" is not one of: alpha, beta, gamma" },
        { "{\"kind\": \"gamm\"}", FISC_EINVAL, 1, 10, "is not one of: alpha, beta, gamma (did you mean \"gamma\"?)" },
        { "{\"kind\": \"alph\"}", FISC_EINVAL, 1, 10, "not one of" },
        { "{\"kind\": 1}", FISC_EINVAL, 1, 10, "expected a string" },
        { "{\"rate\": \"101%\"}", FISC_EINVAL, 1, 10, "101% is above the maximum 1" },
        { "{\"kinds\": \"beta\"}", FISC_EINVAL, 1, 2, "did you mean \"kind\"?" },
    };
    const size_t n = sizeof(TEST_VOCAB) / sizeof(TEST_VOCAB[0]);
    static const char json[] = "{\"count\": 12, \"kind\": \"gamma\", \"rate\": \"15%\"}";
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int idx = -1;

    (void)state;
    assert_int_equal(fiscp_facts_from_json_vocab(&f, TEST_VOCAB, n, json, strlen(json), NULL, &err), FISC_OK);
    expect_get(f, "count", "12");
    expect_get(f, "kind", "gamma");
    expect_get(f, "rate", "0.15");
    assert_true(fiscp_fact_enum(f, (fiscp_fact)1, &idx));
    assert_int_equal(idx, 2);
    assert_decimal_equal(fiscp_fact_decimal(f, (fiscp_fact)0), "12");
    assert_int_equal(fisc_facts_set(f, "count", "\x31\x30\x30\x30", &err), FISC_OK);
    expect_get(f, "count", "1000");
    assert_int_equal(fisc_facts_set(f, "count", "7.0", &err), FISC_OK);
    expect_get(f, "count", "7");
    assert_fisc_error(&err, fisc_facts_set(f, "count", "7.5", &err), FISC_EINVAL, -1);
    assert_fisc_error(&err, fisc_facts_set(f, "count", "1001", &err), FISC_EINVAL, -1);
    assert_int_equal(fisc_facts_set(f, "kind", "alpha", &err), FISC_OK);
    expect_get(f, "kind", "alpha");
    assert_true(fiscp_fact_enum(f, (fiscp_fact)1, &idx));
    assert_int_equal(idx, 0);
    assert_int_equal(fisc_facts_set(f, "kind", "beta", &err), FISC_OK);
    expect_get(f, "kind", "beta");
    assert_fisc_error(&err, fisc_facts_set(f, "kind", "Beta", &err), FISC_EINVAL, -1);
    expect_get(f, "kind", "beta");
    fisc_facts_free(f);
    /* rejections */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fisc_error e = FISC_ERROR_INIT;
        int rc;

        f = NULL;
        rc = fiscp_facts_from_json_vocab(&f, TEST_VOCAB, n, cases[i].json, strlen(cases[i].json), NULL, &e);
        if (rc != cases[i].code || e.line != cases[i].line || e.column != cases[i].column ||
            !strstr(e.text, cases[i].text))
            fail_msg("%s: got %s %d:%d \"%s\"", cases[i].json, fisc_err_name(rc), e.line, e.column, e.text);
        assert_null(f);
    }
}

/* ---------------------------------------------------------------- dates */

static void dates(void **state)
{
    static const struct {
        const char *text;
        fiscp_date want; /* 0: rejected */
    } cases[] = {
        { "2024-02-29", 20240229 }, { "2000-02-29", 20000229 }, { "1900-02-28", 19000228 },
        { "1900-02-29", 0 },        { "2100-02-29", 0 },        { "2023-02-29", 0 },
        { "1900-01-01", 19000101 }, { "2199-12-31", 21991231 }, { "1899-12-31", 0 },
        { "2200-01-01", 0 },        { "2023-12-31", 20231231 }, { "2023-12-32", 0 },
        { "2023-06-31", 0 },        { "2023-11-30", 20231130 }, { "2023-1-01", 0 },
        { "2023-01-1", 0 },         { "20230101", 0 },          { "2023-01-01 ", 0 },
        { "2023_01_01", 0 },        { "+023-01-01", 0 },        { "2023-0a-01", 0 },
        { "", 0 },
    };
    char buf[16];
    fiscp_date d;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        d = 1;
        if (fiscp_date_parse(&d, cases[i].text, strlen(cases[i].text)) != (cases[i].want != 0))
            fail_msg("date \"%s\": wrong verdict", cases[i].text);
        if (cases[i].want) {
            assert_int_equal(d, cases[i].want);
            fiscp_date_format(buf, d);
            assert_string_equal(buf, cases[i].text);
        } else {
            assert_int_equal(d, 1); /* untouched */
        }
    }
    /* every day of a leap and a common year round-trips */
    for (int y = 2023; y <= 2024; y++) {
        int days = 0;

        for (int m = 1; m <= 12; m++)
            for (int dd = 1; dd <= 31; dd++) {
                char t[16];

                snprintf(t, sizeof(t), "%04d-%02d-%02d", y, m, dd);
                if (fiscp_date_parse(&d, t, 10)) {
                    days++;
                    fiscp_date_format(buf, d);
                    assert_string_equal(buf, t);
                }
            }
        assert_int_equal(days, y == 2024 ? 366 : 365);
    }
    /* only len bytes are read */
    assert_true(fiscp_date_parse(&d, "2023-05-01garbage", 10));
    assert_int_equal(d, 20230501);
    assert_false(fiscp_date_parse(NULL, "2023-05-01", 10));
    assert_false(fiscp_date_parse(&d, NULL, 10));
}

/* ---------------------------------------------------------------- batch reuse and bounds */

/* A valid value for every fact of the built-in vocabulary (within its bounds). */
static const char *valid_value(const fiscp_vocab *v, char *buf, size_t size)
{
    switch ((fisc_fact_type)v->info.type) {
    case FISC_FACT_DECIMAL:
    case FISC_FACT_INTEGER:
        return v->min ? v->min : v->max ? v->max : "1";
    case FISC_FACT_BOOL:
        return "true";
    case FISC_FACT_DATE:
        return "2023-05-01";
    case FISC_FACT_ENUM:
        snprintf(buf, size, "%.*s", (int)strcspn(v->info.values, "|"), v->info.values);
        return buf;
    case FISC_FACT_TEXT:
        return v == &fiscp_vocab_table[FACT_USCC] ? "91440300708461136T" : "某某公司";
    case FISC_FACT_QUARTERS:
        snprintf(buf, size, "Q1=%s/%s;Q4=?/%s", v->min ? v->min : "1", v->min ? v->min : "1", v->min ? v->min : "1");
        return buf;
    }
    return "";
}

/* Nothing of fact i is visible: not through the API, not through the typed accessors. */
static void expect_unknown(const fisc_facts *f, size_t i)
{
    const char *name = fiscp_vocab_table[i].info.name;
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;
    fiscp_date d;
    int b;

    if (fisc_facts_has(f, name))
        fail_msg("fact %s is still known", name);
    assert_fisc_error(&err, fisc_facts_get(&s, f, name, &err), FISC_ENOTFOUND, -1);
    assert_null(s);
    assert_null(fiscp_fact_decimal(f, (fiscp_fact)i));
    assert_false(fiscp_fact_bool(f, (fiscp_fact)i, &b));
    assert_false(fiscp_fact_date(f, (fiscp_fact)i, &d));
    assert_false(fiscp_fact_enum(f, (fiscp_fact)i, &b));
    assert_null(fiscp_fact_text(f, (fiscp_fact)i));
    for (int q = 1; q <= 4; q++)
        for (int e = 0; e < 2; e++)
            assert_null(fiscp_fact_quarter(f, (fiscp_fact)i, q, e));
}

/* Rows of a batch: what one row set never shows in the next, whatever its type. */
static void clear_then_reuse(void **state)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    char buf[128];

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    for (int row = 0; row < 3; row++) {
        /* set A and B (every fact, twice: a slot is listed once however often it is set) */
        for (size_t i = 0; i < FACT_COUNT; i++) {
            const char *value = valid_value(&fiscp_vocab_table[i], buf, sizeof(buf));

            for (int again = 0; again < 2; again++)
                if (fisc_facts_set_index(f, i, value, strlen(value), &err) != FISC_OK)
                    fail_msg("row %d: set %s=%s: %s", row, fiscp_vocab_table[i].info.name, value, err.text);
            assert_true(fisc_facts_has(f, fiscp_vocab_table[i].info.name));
        }
        fisc_facts_clear(f);
        for (size_t i = 0; i < FACT_COUNT; i++)
            expect_unknown(f, i);
        /* set A only: B reads unknown */
        assert_int_equal(fisc_facts_set_index(f, FACT_TAXABLE_INCOME, "-7.5", 4, &err), FISC_OK);
        assert_decimal_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), "-7.5");
        for (size_t i = 0; i < FACT_COUNT; i++)
            if (i != FACT_TAXABLE_INCOME)
                expect_unknown(f, i);
        fisc_facts_clear(f);
    }
    /* unset and a JSON-less clear of an unset fact: still unknown, and settable again */
    assert_int_equal(fisc_facts_set(f, "employees_average", "3", &err), FISC_OK);
    assert_int_equal(fisc_facts_unset(f, "employees_average", &err), FISC_OK);
    expect_unknown(f, FACT_EMPLOYEES_AVERAGE);
    fisc_facts_clear(f);
    expect_unknown(f, FACT_EMPLOYEES_AVERAGE);
    assert_int_equal(fisc_facts_set(f, "employees_average", "4", &err), FISC_OK);
    expect_get(f, "employees_average", "4");
    fisc_facts_free(f);
}

/* Quarters after a clear: none of the eight values of the last row is left. */
static void quarters_after_clear(void **state)
{
    static const char row[] = "Q1=120/200;Q2=200/210;Q3=?/5;Q4=7/8";
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set_index(f, FACT_EMPLOYEES, row, strlen(row), &err), FISC_OK);
    assert_int_equal(fisc_facts_set_quarter(f, "assets", 2, "30000000", "32000000.50", &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_quarter(f, FACT_EMPLOYEES, 4, 1), "8");
    fisc_facts_clear(f);
    expect_unknown(f, FACT_EMPLOYEES);
    expect_unknown(f, FACT_ASSETS);
    /* one quarter of the next row: the others stay unknown */
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 2, "3", NULL, &err), FISC_OK);
    expect_get(f, "employees", "Q2=3/?");
    assert_decimal_equal(fiscp_fact_quarter(f, FACT_EMPLOYEES, 2, 0), "3");
    for (int q = 1; q <= 4; q++)
        for (int e = 0; e < 2; e++)
            if (q != 2 || e != 0)
                assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, q, e));
    expect_unknown(f, FACT_ASSETS);
    /* the text form replaces all four; an empty one leaves none */
    fisc_facts_clear(f);
    assert_int_equal(fisc_facts_set(f, "employees", "Q3=1/2", &err), FISC_OK);
    expect_get(f, "employees", "Q3=1/2");
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 2, 0));
    assert_int_equal(fisc_facts_set(f, "employees", "", &err), FISC_OK);
    expect_unknown(f, FACT_EMPLOYEES);
    fisc_facts_free(f);
}

/* A text fact keeps its buffer across rows; a longer text grows it, and without memory the fact is kept. */
static void text_buffer_kept(void **state)
{
    char longer[301];
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const char *before;

    (void)state;
    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    assert_int_equal(fisc_facts_set(f, "enterprise_name", "某某有限公司", &err), FISC_OK);
    before = fiscp_fact_text(f, FACT_ENTERPRISE_NAME);
    fisc_facts_clear(f);
    assert_null(fiscp_fact_text(f, FACT_ENTERPRISE_NAME));
    /* a shorter name of the next row: no allocation, the same buffer */
    fiscp_alloc_count = 0;
    fiscp_alloc_fail_at = 0;
    assert_int_equal(fisc_facts_set_index(f, FACT_ENTERPRISE_NAME, "甲公司,rest", 9, &err), FISC_OK);
    fiscp_alloc_fail_at = -1;
    assert_ptr_equal(fiscp_fact_text(f, FACT_ENTERPRISE_NAME), before);
    expect_get(f, "enterprise_name", "甲公司");
    /* a longer one needs memory: without it the fact keeps its value */
    fiscp_alloc_count = 0;
    fiscp_alloc_fail_at = 0;
    assert_fisc_error(&err, fisc_facts_set(f, "enterprise_name", longer, &err), FISC_ENOMEM, -1);
    fiscp_alloc_fail_at = -1;
    assert_string_equal(err.text, "out of memory");
    expect_get(f, "enterprise_name", "甲公司");
    assert_int_equal(fisc_facts_set(f, "enterprise_name", longer, &err), FISC_OK);
    expect_get(f, "enterprise_name", longer);
    assert_int_equal(fisc_facts_set(f, "enterprise_name", "", &err), FISC_OK);
    expect_get(f, "enterprise_name", "");
    fisc_facts_free(f);
}

/* The quick path out of memory (a number beyond 128 bits allocates): reported, the fact left unknown. */
static void quick_path_out_of_memory(void **state)
{
    static const char big[] = "1234567890123456789012345678901234567890.5";
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_new(&f, &err), FISC_OK);
    fiscp_alloc_count = 0;
    fiscp_alloc_fail_at = 0;
    assert_fisc_error(&err, fisc_facts_set_index(f, FACT_TAXABLE_INCOME, big, strlen(big), &err), FISC_ENOMEM, -1);
    fiscp_alloc_fail_at = -1;
    assert_string_equal(err.text, "out of memory");
    expect_unknown(f, FACT_TAXABLE_INCOME);
    assert_int_equal(fisc_facts_set_index(f, FACT_TAXABLE_INCOME, big, strlen(big), &err), FISC_OK);
    expect_get(f, "taxable_income", big);
    /* the next row's small value reuses it */
    fisc_facts_clear(f);
    assert_int_equal(fisc_facts_set_index(f, FACT_TAXABLE_INCOME, "1.25", 4, &err), FISC_OK);
    expect_get(f, "taxable_income", "1.25");
    fisc_facts_free(f);
}

/* How a value reaches a fact. */
typedef enum route { BY_NAME, BY_INDEX, OVER_KNOWN, BY_JSON, ROUTES } route;

/*
 * Set fact i of f's vocabulary to text by route r (a QUARTERS fact: as the start of Q2). For
 * OVER_KNOWN the fact first holds known (a valid value), which an error must leave in place.
 */
static int set_by(fisc_facts *f, const fiscp_vocab *table, size_t i, const char *text, route r, const char *known,
                  fisc_error *err)
{
    const fiscp_vocab *v = &table[i];
    int quarters = v->info.type == FISC_FACT_QUARTERS;
    char buf[256];
    int rc;

    switch (r) {
    case BY_NAME:
        return quarters ? fisc_facts_set_quarter(f, v->info.name, 2, text, NULL, err)
                        : fisc_facts_set(f, v->info.name, text, err);
    case BY_INDEX:
        snprintf(buf, sizeof(buf), quarters ? "Q2=%s/?,junk" : "%s,junk", text);
        return fisc_facts_set_index(f, i, buf, strlen(buf) - 5, err);
    case OVER_KNOWN: {
        char *before = NULL, *after = NULL;

        if (!known) /* no value is valid */
            return set_by(f, table, i, text, BY_INDEX, known, err);

        snprintf(buf, sizeof(buf), quarters ? "Q2=%s/?" : "%s", known);
        if (fisc_facts_set_index(f, i, buf, strlen(buf), err) != FISC_OK)
            fail_msg("set %s=%s: %s", v->info.name, buf, err->text);
        assert_int_equal(fisc_facts_get(&before, f, v->info.name, err), FISC_OK);
        snprintf(buf, sizeof(buf), quarters ? "Q2=%s/?" : "%s", text);
        rc = fisc_facts_set_index(f, i, buf, strlen(buf), err);
        if (rc != FISC_OK) { /* on error the fact is unchanged */
            assert_int_equal(fisc_facts_get(&after, f, v->info.name, NULL), FISC_OK);
            assert_string_equal(after, before);
        }
        fisc_string_free(before);
        fisc_string_free(after);
        return rc;
    }
    case BY_JSON:
    case ROUTES:
        break;
    }
    return -100;
}

/* The outcome of setting text by route r on a new set over table: the code, message and value. */
static void outcome(char *out, size_t size, const fiscp_vocab *table, size_t n, size_t i, const char *text,
                    route r, const char *known)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;
    char *value = NULL;
    int rc;

    if (r == BY_JSON) { /* a bare number */
        char json[256];

        snprintf(json, sizeof(json),
                 table[i].info.type == FISC_FACT_QUARTERS ? "{\"%s\": {\"Q2\": {\"start\": %s}}}" : "{\"%s\": %s}",
                 table[i].info.name, text);
        rc = fiscp_facts_from_json_vocab(&f, table, n, json, strlen(json), NULL, &err);
    } else {
        assert_int_equal(fiscp_facts_new_vocab(&f, table, n, &err), FISC_OK);
        rc = set_by(f, table, i, text, r, known, &err);
    }
    if (rc == FISC_OK)
        assert_int_equal(fisc_facts_get(&value, f, table[i].info.name, &err), FISC_OK);
    snprintf(out, size, "%s %s", fisc_err_name(rc), rc == FISC_OK ? value : err.text);
    fisc_string_free(value);
    fisc_facts_free(f);
}

/* JSON reads a plain number as the API does, and has other messages for anything else. */
static int json_comparable(const char *text, const char *api_outcome)
{
    if (!*text || strspn(text, "-.0123456789") != strlen(text))
        return 0;
    return strncmp(api_outcome, "FISC_OK", 7) == 0 || strstr(api_outcome, " the minimum ") ||
           strstr(api_outcome, " the maximum ");
}

/*
 * Every route gives the same result: the batch's quick path, the general path, a copy over a known
 * value, and for a plain number JSON.
 */
static void expect_routes(const fiscp_vocab *table, size_t n, size_t i, const char *text, const char *known,
                          const char *want)
{
    char first[512], got[512];

    outcome(first, sizeof(first), table, n, i, text, BY_NAME, known);
    for (route r = BY_INDEX; r < ROUTES; r++) {
        if (r == BY_JSON && !json_comparable(text, first))
            break;
        if (r != BY_JSON && table[i].info.type == FISC_FACT_QUARTERS && (!*text || strpbrk(text, "/;?")))
            continue; /* not a value of the text form "Q2=START/END" */
        outcome(got, sizeof(got), table, n, i, text, r, known);
        if (strcmp(got, first) != 0)
            fail_msg("%s = \"%s\": route %d gives \"%s\", the API \"%s\"", table[i].info.name, text, (int)r, got,
                     first);
    }
    if (want && strcmp(first, want) != 0)
        fail_msg("%s = \"%s\": \"%s\", expected \"%s\"", table[i].info.name, text, first, want);
}

/* The message for text outside bound (minimum or maximum) of fact v. */
static void bound_message(char *out, size_t size, const fiscp_vocab *v, const char *text, int max)
{
    char field[128], q[48];

    snprintf(field, sizeof(field), v->info.type == FISC_FACT_QUARTERS ? "%s.Q2.start" : "%s", v->info.name);
    fiscp_quote(q, sizeof(q), text, strlen(text)); /* a long value is cut */
    snprintf(out, size, "FISC_EINVAL field \"%s\": %s is %s the %s %s%s%s", field, q, max ? "above" : "below",
             max ? "maximum" : "minimum", max ? v->max : v->min, *v->info.unit ? " " : "", v->info.unit);
}

/* text = bound + k * step, in the canonical form. */
static void offset(char *out, size_t size, const char *bound, const char *step, int k)
{
    fisc_decimal b, s, r;
    char *text = NULL;

    fisc_decimal_init(&b);
    fisc_decimal_init(&s);
    fisc_decimal_init(&r);
    assert_int_equal(fisc_decimal_parse(&b, bound, FISC_PARSE_RATE, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_parse(&s, step, 0, NULL), FISC_OK);
    assert_int_equal(k < 0 ? fisc_decimal_sub(&r, &b, &s, NULL) : k > 0 ? fisc_decimal_add(&r, &b, &s, NULL)
                           : fisc_decimal_set(&r, &b, NULL), FISC_OK);
    assert_int_equal(fisc_decimal_to_string(&text, &r, NULL, NULL, NULL), FISC_OK);
    snprintf(out, size, "%s", text);
    fisc_string_free(text);
    fisc_decimal_clear(&b);
    fisc_decimal_clear(&s);
    fisc_decimal_clear(&r);
}

static int is_number(const char *text)
{
    fisc_decimal d;
    int ok;

    fisc_decimal_init(&d);
    ok = fisc_decimal_parse(&d, text, FISC_PARSE_RATE, NULL) == FISC_OK;
    fisc_decimal_clear(&d);
    return ok;
}

/* Just below, at and just above each bound of a table, by every route. */
static void check_bounds(const fiscp_vocab *table, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const fiscp_vocab *v = &table[i];
        int type = v->info.type;
        const char *steps[2] = { type == FISC_FACT_INTEGER ? "1" : "0.01",
                                 type == FISC_FACT_INTEGER ? "1" : "0.00000000000000000001" };

        if (type != FISC_FACT_DECIMAL && type != FISC_FACT_INTEGER && type != FISC_FACT_QUARTERS)
            continue;
        for (int max = 0; max < 2; max++) {
            const char *bound = max ? v->max : v->min;

            if (!bound || !is_number(bound))
                continue; /* none, or not a number (bounds_other_table) */
            for (int st = 0; st < 2; st++) {
                char text[128], want[512];

                offset(text, sizeof(text), bound, steps[st], max ? 1 : -1); /* outside */
                bound_message(want, sizeof(want), v, text, max);
                expect_routes(table, n, i, text, bound, want);
                offset(text, sizeof(text), bound, "0", 0); /* at */
                snprintf(want, sizeof(want), "FISC_OK %s", type == FISC_FACT_QUARTERS ? "" : text);
                if (type == FISC_FACT_QUARTERS)
                    snprintf(want, sizeof(want), "FISC_OK Q2=%s/?", text);
                expect_routes(table, n, i, text, bound, want);
                offset(text, sizeof(text), bound, steps[st], max ? -1 : 1); /* inside */
                expect_routes(table, n, i, text, bound, NULL);
                if (strncmp(want, "FISC_OK", 7) != 0)
                    fail_msg("%s", want);
            }
        }
    }
}

static void bounds_builtin(void **state)
{
    (void)state;
    check_bounds(fiscp_vocab_table, FACT_COUNT);
}

/* Values whose sign the text does not tell at once, and texts the quick path declines. */
static void bounds_zero_and_paths(void **state)
{
    static const char *const texts[] = {
        "-0", "-0.00", "-0%", "-0/7", "0/7", "-0.01", "-1/3", "-1%", "0", "", "-", "01", "-01", "1e5", "1.",
        ".5", "+1", "1,5", "abc", "\xef\xbc\x91", "1.5", "15%", "1/3", "2/0",
        "1234567890123456789012345678901234567890.25", "-1234567890123456789012345678901234567890.25",
        "0.123456789012345678901", "12345678901234567890123456789012345678901",
    };
    static const size_t facts[] = { FACT_TAXABLE_INCOME, FACT_EMPLOYEES_AVERAGE, FACT_ASSETS_AVERAGE,
                                    FACT_RD_PROJECT_COUNT, FACT_EMPLOYEES, FACT_ASSETS };

    (void)state;
    for (size_t k = 0; k < sizeof(facts) / sizeof(facts[0]); k++)
        for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++)
            expect_routes(fiscp_vocab_table, FACT_COUNT, facts[k], texts[t], "1", NULL);
    expect_routes(fiscp_vocab_table, FACT_COUNT, FACT_ASSETS_AVERAGE, "-0", "1", "FISC_OK 0");
    expect_routes(fiscp_vocab_table, FACT_COUNT, FACT_ASSETS_AVERAGE, "-0.00", "1", "FISC_OK 0");
    expect_routes(fiscp_vocab_table, FACT_COUNT, FACT_ASSETS_AVERAGE, "-0/7", "1", "FISC_OK 0");
    expect_routes(fiscp_vocab_table, FACT_COUNT, FACT_ASSETS_AVERAGE, "-1/3", "1",
                  "FISC_EINVAL field \"assets_average\": -1/3 is below the minimum 0 元");
    expect_routes(fiscp_vocab_table, FACT_COUNT, FACT_RD_PROJECT_COUNT, "6", "1",
                  "FISC_EINVAL field \"rd_project_count\": 6 is above the maximum 5 个");
}

/* Bounds of every kind in another table: a fraction, beyond 128 bits, negative, a maximum 0, not a number. */
static const fiscp_vocab BOUND_VOCAB[] = {
    { { "third", FISC_FACT_DECIMAL, "", "三分之一", "Third", "", "Within 1/3." }, "-1/3", "1/3" },
    { { "huge", FISC_FACT_DECIMAL, "元", "大", "Huge", "", "Bounds beyond 128 bits." },
      "-1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890.5" },
    { { "negative", FISC_FACT_INTEGER, "", "负", "Negative", "", "At most -1." }, NULL, "-1" },
    { { "nonpositive", FISC_FACT_DECIMAL, "", "非正", "Non-positive", "", "At most 0." }, NULL, "0" },
    { { "broken", FISC_FACT_DECIMAL, "", "坏", "Broken", "", "A bound that is not a number." }, "abc", NULL },
    { { "quarterly", FISC_FACT_QUARTERS, "人", "季度", "Quarterly", "", "From 1 to 10." }, "1", "10" },
    { { "rate", FISC_FACT_DECIMAL, "", "比率", "Rate", "", "From 0 to 1." }, "0", "1" },
};

static void bounds_other_table(void **state)
{
    const size_t n = sizeof(BOUND_VOCAB) / sizeof(BOUND_VOCAB[0]);
    static const struct {
        size_t i;
        const char *text, *known, *want;
    } cases[] = {
        { 0, "1/3", "0", "FISC_OK 1/3" },
        { 0, "0.33333333333333333333", "0", "FISC_OK 0.33333333333333333333" },
        { 0, "0.33333333333333333334", "0",
          "FISC_EINVAL field \"third\": 0.33333333333333333334 is above the maximum 1/3" },
        { 0, "34%", "0", "FISC_EINVAL field \"third\": 34% is above the maximum 1/3" },
        { 0, "-0.34", "0", "FISC_EINVAL field \"third\": -0.34 is below the minimum -1/3" },
        { 0, "-1/3", "0", "FISC_OK -1/3" },
        { 2, "-1", "-2", "FISC_OK -1" },
        { 2, "-0", "-2", "FISC_EINVAL field \"negative\": -0 is above the maximum -1" },
        { 2, "0", "-2", "FISC_EINVAL field \"negative\": 0 is above the maximum -1" },
        { 3, "-0", "-1", "FISC_OK 0" },
        { 3, "-5", "-1", "FISC_OK -5" },
        { 3, "0.00000000000000000001", "-1",
          "FISC_EINVAL field \"nonpositive\": 0.00000000000000000001 is above the maximum 0" },
        { 4, "1", NULL, "FISC_EINVAL field \"broken\": the vocabulary bound \"abc\" is not a number" },
        { 4, "-1", NULL, "FISC_EINVAL field \"broken\": the vocabulary bound \"abc\" is not a number" },
        { 4, "x", NULL,
          "FISC_EINVAL field \"broken\": invalid number \"x\": not a number (NaN, infinity and letters are not "
          "accepted) (at character 1)" },
        { 5, "0", "5", "FISC_EINVAL field \"quarterly.Q2.start\": 0 is below the minimum 1 人" },
        { 5, "10.00", "5", "FISC_OK Q2=10/?" },
        { 6, "-0%", "1", "FISC_OK 0" },
        { 6, "100%", "1", "FISC_OK 1" },
        { 6, "101%", "1", "FISC_EINVAL field \"rate\": 101% is above the maximum 1" },
    };

    (void)state;
    check_bounds(BOUND_VOCAB, n);
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        expect_routes(BOUND_VOCAB, n, cases[k].i, cases[k].text, cases[k].known, cases[k].want);
}

/* ---------------------------------------------------------------- the quick path against the general one */

/* Bounds the quick path compares in 64 bits (with decimals, at the limits, negative) and some it leaves to the
   general path (19 decimals, not a number), and every type it reads. */
static const fiscp_vocab QUICK_VOCAB[] = {
    { { "free", FISC_FACT_DECIMAL, "元", "任意", "Free", "", "Any value." }, NULL, NULL },
    { { "amount", FISC_FACT_DECIMAL, "元", "额", "Amount", "", "At least 0." }, "0", NULL },
    { { "scaled", FISC_FACT_DECIMAL, "元", "小数界", "Scaled", "", "Bounds with decimals." }, "-12.5", "99999999.99" },
    { { "fine", FISC_FACT_DECIMAL, "", "细", "Fine", "", "A bound of 18 decimals." }, "0.000000000000000001", "0.5" },
    { { "wide", FISC_FACT_DECIMAL, "", "宽", "Wide", "", "The 64-bit limits." }, "-9223372036854775808",
      "9223372036854775807" },
    { { "deep", FISC_FACT_DECIMAL, "", "深", "Deep", "", "At most INT64_MIN." }, NULL, "-9223372036854775808" },
    { { "high", FISC_FACT_DECIMAL, "", "高", "High", "", "At least INT64_MAX." }, "9223372036854775807", NULL },
    { { "nineteen", FISC_FACT_DECIMAL, "", "十九", "Nineteen", "", "19 decimals." }, "-0.0000000000000000001", NULL },
    { { "broken", FISC_FACT_DECIMAL, "", "坏", "Broken", "", "Not a number." }, NULL, "abc" },
    { { "whole", FISC_FACT_INTEGER, "个", "整", "Whole", "", "From -5 to 5." }, "-5", "5" },
    { { "below", FISC_FACT_INTEGER, "", "负", "Below", "", "At most -1." }, NULL, "-1" },
    { { "count", FISC_FACT_INTEGER, "", "数", "Count", "", "Any whole number." }, NULL, NULL },
    { { "flag", FISC_FACT_BOOL, "", "标志", "Flag", "", "true or false." }, NULL, NULL },
    { { "day", FISC_FACT_DATE, "", "日", "Day", "", "A date." }, NULL, NULL },
    { { "name", FISC_FACT_TEXT, "", "名", "Name", "", "A text." }, NULL, NULL },
};

/* What a set shows of fact i after a set that returned rc: the outcome, its message, the value as text and as
   the typed accessors give it, a decimal's representation (coefficient and scale) included. */
static void snapshot(char *out, size_t size, const fisc_facts *f, const fiscp_vocab *table, size_t i, int rc,
                     const fisc_error *err)
{
    const fisc_decimal *d = fiscp_fact_decimal(f, (fiscp_fact)i);
    const char *text = fiscp_fact_text(f, (fiscp_fact)i);
    char *value = NULL;
    fiscp_date day = 0;
    int b = -1;

    if (fisc_facts_has(f, table[i].info.name))
        assert_int_equal(fisc_facts_get(&value, f, table[i].info.name, NULL), FISC_OK);
    (void)fiscp_fact_bool(f, (fiscp_fact)i, &b);
    (void)fiscp_fact_date(f, (fiscp_fact)i, &day);
    snprintf(out, size, "%s %d/%d/%d \"%s\" value %s raw %llx:%llx/%d/%u bool %d date %ld text %s", fisc_err_name(rc),
             err->code, err->line, err->column, err->text, value ? value : "-",
             d ? (unsigned long long)d->hi_ : 0ull, d ? (unsigned long long)d->lo_ : 0ull, d ? (int)d->scale_ : -1,
             d ? (unsigned)d->kind_ : 0u, b, (long)day, text ? text : "-");
    fisc_string_free(value);
}

/* A set over table n whose text slots have grown buffers: the quick path's case in a batch from its second row. */
static fisc_facts *warm_set(const fiscp_vocab *table, size_t n)
{
    static const char long_text[] = "a text long enough for every text of the table below: 63 bytes.";
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    assert_int_equal(fiscp_facts_new_vocab(&f, table, n, &err), FISC_OK);
    for (size_t i = 0; i < n; i++)
        if (table[i].info.type == FISC_FACT_TEXT && &table[i] != &fiscp_vocab_table[FACT_USCC])
            assert_int_equal(fisc_facts_set_index(f, i, long_text, strlen(long_text), &err), FISC_OK);
    fisc_facts_clear(f);
    return f;
}

/*
 * Every text of a table of edges, into every fact of both vocabularies: fisc_facts_set_index() (its quick path
 * where it applies: on a set whose text buffers have grown, the text followed by more bytes than len says) gives
 * what fisc_facts_set() (the general path) gives: the code, the message, the value and its representation.
 */
static void quick_path_matches_general(void **state)
{
    static const char *const texts[] = {
        "0", "-0", "0.00", "-0.00", "00", "01", "-01", "00.00", "01.00", "-01.00", "0.0", "1.", "1.0", "1.00",
        "1.000", ".5", "-.5", ".50", "-", "", "-.", ".", "--1", "1-", "1.-1", "1.2.3", "1e3", "1E3", "1.00e2",
        "+1", "+1.00", " 1", "1 ", "1.00 ", " 1.00", "1,000.00", "0x10", "a0.00", "0.0a", "1.5", "12.34", "-12.34",
        "-12.50", "-12.51", "-12.49", "99999999.99", "100000000.00", "99999999.999", "5", "6", "-5", "-6", "5.00",
        "5.01", "-5.00", "-1", "-1.00", "1000", "0.5", "0.50", "0.51", "0.01", "0.001", "0.000000000000000001",
        "15%", "1/3", "-0%", "1234567", "12345678", "123456789", "1234.56", "12345.67", "1234567.89", "12345678.90",
        "123456789.01", "1234567890.12", "123456789012345678", "1234567890123456789", "12345678901234567890",
        "-123456789012345678", "999999999999999999", "-999999999999999999", "9999999999999999.99",
        "-9999999999999999.99", "99999999999999999.99", "1234567890123456.78", "92233720368547758.07",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551615",
        "\xef\xbc\x91", "1.5\xef\xbc\x91", "true", "false", "True", "TRUE", "tru", "falsey", "2024-02-29",
        "2023-02-29", "1899-12-31", "2024-13-01", "2024-1-01", "C34", "甲公司",
        /* amounts of up to 6 integer digits (read as one word), their edges and the bytes next to '0'..'9' */
        "9.99", "-0.01", "999999.99", "-999999.99", "100000.00", "123456.78", "1234567.80", "12345.6a", "1234a.00",
        "1 .00", "1.-0", "-1.0-", "0.0/", "0.0:", "/.00", ":.00", "1.:0", "1./0", "12/45.00", "12:45.00", "1.00.",
        "123456.7", "-.00", "--0.00", "-00.00", "1\x80.00",
        /* amounts of 7 to 14 integer digits (two words: the last 6 with the decimals, the first ones), the
           bytes next to '0'..'9' in each word and at its edges, and 15 digits (the general path) */
        "1000000.00", "9999999.99", "-9999999.99", "-1234567.89", "12345678901.23", "123456789012.34",
        "1234567890123.45", "12345678901234.56", "99999999999999.99", "-99999999999999.99", "10000000000000.00",
        "123456789012345.67", "-123456789012345.67", "1/34567.00", "1:34567.00", "123/567890.12", "1234:67890.12",
        "12345678/01234.56", "1234567890123:.56", "/234567.00", ":2345678901234.00", "1234567.0/", "1234567./0",
        "1234567.:0", "1234567.0", "1234567.000", "01234567.00", "-01234567.00", "12345678901234.5a", "-1234567-00",
        "1234567\x80" "0.00", "1\x80" "34567.00",
        /* texts of 8 to 16 bytes (two words), and 7 and 17 */
        "E0000001", "E000000", "enterprise", "a name of 16 byt", "a name of 17 byte",
        "a text of 40 bytes, shorter than the one", /* then as long as the warm buffer (64), and longer */
        "a text of 64 bytes, as long as the buffer that the warm one has.",
        "a text of 65 bytes, longer than the buffer that the warm one has.",
    };
    static const size_t builtin[] = { FACT_TAXABLE_INCOME, FACT_EMPLOYEES_AVERAGE, FACT_ASSETS_AVERAGE,
                                      FACT_INCOME_TOTAL, FACT_RD_PROJECT_COUNT, FACT_INDUSTRY_RESTRICTED,
                                      FACT_HNTE_CERTIFICATE_DATE, FACT_ENTERPRISE_NAME, FACT_USCC, FACT_EMPLOYEES };
    const size_t nq = sizeof(QUICK_VOCAB) / sizeof(QUICK_VOCAB[0]);
    fisc_facts *ref[2], *quick[2];

    (void)state;
    assert_int_equal(fiscp_facts_new_vocab(&ref[0], QUICK_VOCAB, nq, NULL), FISC_OK);
    assert_int_equal(fisc_facts_new(&ref[1], NULL), FISC_OK);
    quick[0] = warm_set(QUICK_VOCAB, nq);
    quick[1] = warm_set(fiscp_vocab_table, FACT_COUNT);
    for (int t = 0; t < 2; t++) {
        const fiscp_vocab *table = t == 0 ? QUICK_VOCAB : fiscp_vocab_table;
        size_t nfacts = t == 0 ? nq : sizeof(builtin) / sizeof(builtin[0]);

        for (size_t k = 0; k < nfacts; k++) {
            size_t i = t == 0 ? k : builtin[k];

            for (size_t x = 0; x < sizeof(texts) / sizeof(texts[0]); x++) {
                char want[512], got[512], buf[160];
                fisc_error err = FISC_ERROR_INIT;
                int rc;

                fisc_facts_clear(ref[t]);
                rc = fisc_facts_set(ref[t], table[i].info.name, texts[x], &err);
                snapshot(want, sizeof(want), ref[t], table, i, rc, &err);
                for (int exact = 0; exact < 2; exact++) {
                    size_t len = strlen(texts[x]);
                    char *cell = exact ? malloc(len + !len) : buf; /* nothing to read past len (valgrind) */

                    assert_non_null(cell);
                    if (exact)
                        memcpy(cell, texts[x], len);
                    else /* bytes past len that would read as digits */
                        snprintf(buf, sizeof(buf), "%s00,junk", texts[x]);
                    fisc_facts_clear(quick[t]);
                    rc = fisc_facts_set_index(quick[t], i, cell, len, &err);
                    snapshot(got, sizeof(got), quick[t], table, i, rc, &err);
                    if (len > 0 && strcmp(got, want) == 0) { /* and as the middle cell of a row (an empty one is skipped) */
                        const long index[3] = { -1, (long)i, 0 };
                        const fisc_fact_span cells[3] = { { 0, len }, { 0, len }, { 0, 0 } };
                        size_t failed = 99;

                        fisc_facts_clear(quick[t]);
                        rc = fisc_facts_set_row(&failed, quick[t], index, cell, cells, 3, &err);
                        snapshot(got, sizeof(got), quick[t], table, i, rc, &err);
                        assert_int_equal(failed, rc == FISC_OK ? 3 : 1);
                    }
                    if (exact)
                        free(cell);
                    if (strcmp(got, want) != 0)
                        fail_msg("%s = \"%s\": set_index or set_row gives\n  %s\nset gives\n  %s", table[i].info.name,
                                 texts[x], got, want);
                }
            }
        }
    }
    for (int t = 0; t < 2; t++) {
        fisc_facts_free(ref[t]);
        fisc_facts_free(quick[t]);
    }
}

/* The quick path on the cells a batch has most (the same values the general path gives, checked above),
   a NUL in a cell, and a fact set twice in a row (the second one general: on an error the first one stays). */
static void quick_path_cells(void **state)
{
    static const char nul_text[] = "ab\0cd";
    static const char nul_number[] = "12\0.00";
    /* a NUL in each word of a text of 8 to 16 bytes (read as two words), and in both */
    static const char *const nul_words[] = { "\0bcdefgh", "abcdefg\0", "abcdefgh\0jkl", "abc\0efghijklmnop",
                                             "abcdefghijklmno\0", "\0bcdefghijklmno\0" };
    static const size_t nul_len[] = { 8, 8, 13, 16, 16, 17 };
    fisc_facts *f = warm_set(fiscp_vocab_table, FACT_COUNT);
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_facts_set_index(f, FACT_INCOME_TOTAL, "636595.43", 9, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_INCOME_TOTAL), "636595.43");
    assert_int_equal(fiscp_fact_decimal(f, FACT_INCOME_TOTAL)->scale_, 2);
    assert_int_equal(fisc_facts_set_index(f, FACT_ASSETS_AVERAGE, "-0.00", 5, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_ASSETS_AVERAGE), "0");
    assert_int_equal(fiscp_fact_decimal(f, FACT_ASSETS_AVERAGE)->hi_, 0);
    assert_int_equal(fisc_facts_set_index(f, FACT_RD_PROJECT_COUNT, "5", 1, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_RD_PROJECT_COUNT), "5");
    assert_int_equal(fisc_facts_set_index(f, FACT_ENTERPRISE_NAME, nul_text, sizeof(nul_text) - 1, &err),
                     FISC_EINVAL);
    assert_string_equal(err.text, "field \"enterprise_name\": the text contains a NUL character (\\u0000)");
    assert_null(fiscp_fact_text(f, FACT_ENTERPRISE_NAME));
    for (size_t k = 0; k < sizeof(nul_len) / sizeof(nul_len[0]); k++) {
        assert_int_equal(fisc_facts_set_index(f, FACT_ENTERPRISE_NAME, nul_words[k], nul_len[k], &err), FISC_EINVAL);
        assert_string_equal(err.text, "field \"enterprise_name\": the text contains a NUL character (\\u0000)");
        assert_null(fiscp_fact_text(f, FACT_ENTERPRISE_NAME));
    }
    assert_int_equal(fisc_facts_set_index(f, FACT_INCOME_TOTAL, nul_number, sizeof(nul_number) - 1, &err),
                     FISC_EINVAL);
    assert_non_null(strstr(err.text, "field \"income_total\": invalid number"));
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_INCOME_TOTAL), "636595.43"); /* kept */
    assert_int_equal(fisc_facts_set_index(f, FACT_TAXABLE_INCOME, "-1.50", 5, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), "-1.5");
    assert_int_equal(fisc_facts_set_index(f, FACT_ASSETS_AVERAGE, "-1.00", 5, &err), FISC_EINVAL);
    assert_string_equal(err.text, "field \"assets_average\": -1.00 is below the minimum 0 元");
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_ASSETS_AVERAGE), "0"); /* kept */
    assert_int_equal(fisc_facts_set_index(f, FACT_RD_PROJECT_COUNT, "1.00", 4, &err), FISC_OK); /* general */
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_RD_PROJECT_COUNT), "1");
    fisc_facts_clear(f); /* amounts of two words, a text of two words */
    assert_int_equal(fisc_facts_set_index(f, FACT_INCOME_TOTAL, "1058673434.12", 13, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_INCOME_TOTAL), "1058673434.12");
    assert_int_equal(fiscp_fact_decimal(f, FACT_INCOME_TOTAL)->scale_, 2);
    assert_int_equal(fisc_facts_set_index(f, FACT_TAXABLE_INCOME, "-99999999999999.99", 18, &err), FISC_OK);
    assert_decimal_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME), "-99999999999999.99");
    assert_int_equal(fiscp_fact_decimal(f, FACT_TAXABLE_INCOME)->hi_, UINT64_MAX);
    assert_int_equal(fisc_facts_set_index(f, FACT_ENTERPRISE_NAME, "E0000001", 8, &err), FISC_OK);
    assert_string_equal(fiscp_fact_text(f, FACT_ENTERPRISE_NAME), "E0000001");
    fisc_facts_clear(f);
    /* a quarters fact forgotten, then one quarter set: none of the others comes back */
    assert_int_equal(fisc_facts_set(f, "employees", "Q1=1/2;Q4=7/8", &err), FISC_OK);
    assert_int_equal(fisc_facts_unset(f, "employees", &err), FISC_OK);
    assert_int_equal(fisc_facts_set_quarter(f, "employees", 3, NULL, "5", &err), FISC_OK);
    expect_get(f, "employees", "Q3=?/5");
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 1, 0));
    assert_null(fiscp_fact_quarter(f, FACT_EMPLOYEES, 4, 1));
    fisc_facts_free(f);
}

/* ---------------------------------------------------------------- OOM */

static void oom_sweep(void **state)
{
    /* a value beyond 128 bits makes the decimal core allocate too; CRLF makes a copy of the input */
    static const char big[] = "{\"taxable_income\": 1234567890123456789012345678901234567890.5,\r\n"
                              " \"enterprise_name\": \"某某\", \"uscc\": \"91440300708461136T\",\r\n"
                              " \"assets\": {\"Q1\": {\"start\": 1234567890123456789012345678901234567890}}}";
    /* more keys than the duplicate check holds on the stack */
    static const char many[] = "{\"_0\": 0, \"_1\": 1, \"_2\": 2, \"_3\": 3, \"_4\": 4, \"_5\": 5, \"_6\": 6, \"_7\": 7,"
                               " \"_8\": 8, \"_9\": 9, \"_10\": 0, \"_11\": 1, \"_12\": 2, \"_13\": 3, \"_14\": 4,"
                               " \"_15\": 5, \"_16\": 6, \"_17\": 7, \"_18\": 8, \"_19\": 9, \"_20\": 0, \"_21\": 1,"
                               " \"_22\": 2, \"_23\": 3, \"_24\": 4, \"_25\": 5, \"_26\": 6, \"_27\": 7, \"_28\": 8,"
                               " \"_29\": 9, \"_30\": 0, \"_31\": 1, \"_32\": 2, \"_33\": 3,"
                               " \"employees\": {\"Q1\": {\"start\": 120, \"end\": 200}, \"Q2\": {\"start\": 200, \"end\": 210}}}";
    const char *inputs[3] = { FULL, big, many };
    int rc;

    (void)state;
    for (int k = 0; k < 3; k++) {
        long n = 0;

        do {
            fisc_facts *f = NULL;
            fisc_error err = FISC_ERROR_INIT;
            char *s = NULL;

            fiscp_alloc_count = 0;
            fiscp_alloc_fail_at = n;
            rc = fisc_facts_from_json(&f, inputs[k], strlen(inputs[k]), "oom.json", &err);
            if (rc == FISC_OK)
                rc = fisc_facts_get(&s, f, k == 1 ? "assets" : "employees", &err);
            if (rc == FISC_OK)
                rc = fisc_facts_set(f, "enterprise_name", "另一个", &err);
            fiscp_alloc_fail_at = -1;
            if (rc != FISC_OK) {
                assert_fisc_error(&err, rc, FISC_ENOMEM, -1);
                assert_string_equal(err.text, "out of memory");
            } else {
                assert_string_equal(s, k == 1 ? "Q1=1234567890123456789012345678901234567890/?"
                                              : "Q1=120/200;Q2=200/210");
                expect_get(f, "enterprise_name", "另一个");
            }
            fisc_string_free(s);
            fisc_facts_free(f);
            n++;
        } while (rc != FISC_OK && n < 1000);
        assert_int_equal(rc, FISC_OK);
        assert_true(n > 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vocabulary),
        cmocka_unit_test(labels_name_one_fact),
        cmocka_unit_test(inline_readers),
        cmocka_unit_test(api_set_index_and_clear),
        cmocka_unit_test(api_set_row),
        cmocka_unit_test(api_set_amount_again),
        cmocka_unit_test(json_every_type),
        cmocka_unit_test(json_exact_numbers),
        cmocka_unit_test(json_comments_and_null),
        cmocka_unit_test(json_bom_and_whitespace),
        cmocka_unit_test(json_rejections),
        cmocka_unit_test(json_misuse_and_limits),
        cmocka_unit_test(json_many_keys),
        cmocka_unit_test(json_is_silent),
        cmocka_unit_test(load_file),
        cmocka_unit_test(api_set_every_type),
        cmocka_unit_test(api_set_quarter),
        cmocka_unit_test(api_rejections),
        cmocka_unit_test(api_get),
        cmocka_unit_test(round_trips),
        cmocka_unit_test(integer_and_enum),
        cmocka_unit_test(dates),
        cmocka_unit_test(oom_sweep),
        cmocka_unit_test(clear_then_reuse),
        cmocka_unit_test(quarters_after_clear),
        cmocka_unit_test(text_buffer_kept),
        cmocka_unit_test(quick_path_out_of_memory),
        cmocka_unit_test(bounds_builtin),
        cmocka_unit_test(bounds_zero_and_paths),
        cmocka_unit_test(bounds_other_table),
        cmocka_unit_test(quick_path_matches_general),
        cmocka_unit_test(quick_path_cells),
    };
    return cmocka_run_group_tests_name("facts", tests, NULL, NULL);
}
