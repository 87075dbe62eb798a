/*
 * Golden tests of yulin.platform_subsidy on the bundled policy: every cell of the placeholder table
 * (platform type × level) to the 分, provisional; an upgrade with and without the difference rule (an
 * overlay sets the rule to "no"), the difference never negative; the 培育库 gate and its start date
 * (2023-02-10); each Yulin relationship (registration, tax, statistics); the Guangxi 500万元 cap for a
 * new-type R&D institution in a zone, exactly at the cap and one 分 beyond (an overlay sets the amounts),
 * and before the cap's start (2021-08-04); the recognition-date boundaries (12-31 / 01-01, quarter
 * ends); an applicant not concerned, missing facts and OOM.
 */
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

static fisc_policy *bundle;   /* every *.yaml of the policy directory, in name order */
static fisc_policy *own;      /* 20-guangxi.yaml with 33-yulin-platforms.yaml */
static fisc_policy *full_pay; /* own, with an overlay: an upgrade pays the full new amount */
static fisc_policy *at_cap;   /* own, with an overlay: new-type R&D institution amounts around the cap */
static const char *dir;
static char full_pay_path[64], at_cap_path[64];

#define PROGRAM "yulin.platform_subsidy"

static const char FULL_PAY[] =
    "fisc_policy: 1\n"
    "id: test.full-pay\n"
    "title: {zh: 升级全额补助的假设, en: What if an upgrade paid the full amount}\n"
    "overlay: true\n"
    "parameters:\n"
    "  - id: yulin.platform_subsidy.upgrade_pays_difference\n"
    "    values:\n"
    "      - from: 2017-01-01\n"
    "        value: \"no\"\n"
    "        status: unconfirmed\n"
    "        citation: {document: 假设方案}\n";

static const char AT_CAP[] =
    "fisc_policy: 1\n"
    "id: test.at-cap\n"
    "title: {zh: 新型研发机构补助接近上限的假设, en: What if the amounts were near the cap}\n"
    "overlay: true\n"
    "parameters:\n"
    "  - id: yulin.platform_subsidy.amount\n"
    "    values:\n"
    "      - from: 2017-01-01\n"
    "        rows:\n"
    "          - {platform_type: new_rd_institution, platform_level: national, value: \"500.000001\"}\n"
    "          - {platform_type: new_rd_institution, platform_level: regional, value: \"500\"}\n"
    "          - {platform_type: new_rd_institution, platform_level: city, value: \"20\"}\n"
    "        status: unconfirmed\n"
    "        citation: {document: 假设方案}\n";

static void write_overlay(char *path, size_t size, const char *text)
{
    int fd;
    size_t len = strlen(text);

    snprintf(path, size, "/tmp/fisc-platform-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, text, len) == (ssize_t)len);
    assert_int_equal(close(fd), 0);
}

static fisc_policy *load_with(const char *overlay)
{
    char a[600], b[600];
    const char *paths[2] = { a, b };
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    snprintf(a, sizeof(a), "%s/20-guangxi.yaml", dir);
    snprintf(b, sizeof(b), "%s/33-yulin-platforms.yaml", dir);
    if (fisc_policy_load_files(&p, paths, 2, overlay, &err) != FISC_OK)
        fail_msg("%s:%d:%d: %s", err.source, err.line, err.column, err.text);
    return p;
}

static int group_setup(void **state)
{
    (void)state;
    bundle = fisc_test_load_policy(dir);
    own = load_with(NULL);
    write_overlay(full_pay_path, sizeof(full_pay_path), FULL_PAY);
    write_overlay(at_cap_path, sizeof(at_cap_path), AT_CAP);
    full_pay = load_with(full_pay_path);
    at_cap = load_with(at_cap_path);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fisc_policy_free(bundle);
    fisc_policy_free(own);
    fisc_policy_free(full_pay);
    fisc_policy_free(at_cap);
    unlink(full_pay_path);
    unlink(at_cap_path);
    return 0;
}

#define item_of(r) fisc_test_item((r), PROGRAM)

/* A platform of a Yulin enterprise in the pool, with extra facts (", ..." or ""). */
static void facts(char *buf, size_t size, const char *type, const char *level, const char *date, const char *extra)
{
    snprintf(buf, size,
             "{\"platform_type\": \"%s\", \"platform_level\": \"%s\", \"platform_recognition_date\": \"%s\", "
             "\"registered_in_yulin\": true, \"tax_registered_in_yulin\": true, \"statistics_in_yulin\": true, "
             "\"platform_in_cultivation_pool\": true%s}",
             type, level, date, extra);
}

/* Eligible, with the subsidy to the 分, provisional, traced and not; the result of the traced run. */
static fisc_result *check_json(const fisc_policy *p, const char *json, int year, int quarter, const char *want)
{
    fisc_result *r = NULL;

    for (int trace = 0; trace <= 1; trace++) {
        const fisc_item *it;

        fisc_result_free(r);
        r = fisc_test_evaluate(p, json, year, quarter, trace);
        it = item_of(r);
        if (it->outcome != FISC_OUTCOME_ELIGIBLE)
            fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
        assert_int_equal(it->amount_count, 1);
        assert_item_amount(it, "subsidy", want);
        assert_int_equal(it->amounts[0].category, FISC_CATEGORY_SUBSIDY);
        assert_true(it->provisional);
        assert_int_equal(it->missing_count, 0);
    }
    return r;
}

static void check(const fisc_policy *p, const char *type, const char *level, const char *date, const char *extra,
                  int year, int quarter, const char *want)
{
    char json[600];

    facts(json, sizeof(json), type, level, date, extra);
    fisc_result_free(check_json(p, json, year, quarter, want));
}

static fisc_result *check_not(const fisc_policy *p, const char *json, int year, int quarter)
{
    fisc_result *r = fisc_test_evaluate(p, json, year, quarter, 1);
    const fisc_item *it = item_of(r);

    if (it->outcome != FISC_OUTCOME_NOT_ELIGIBLE)
        fail_msg("%s in %d Q%d: outcome %d (%s)", json, year, quarter, it->outcome, it->summary_en);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 0);
    return r;
}

static fisc_result *check_undetermined(const fisc_policy *p, const char *json, int year, const char *missing)
{
    fisc_result *r = fisc_test_evaluate(p, json, year, 0, 1);
    const fisc_item *it = item_of(r);

    if (it->outcome != FISC_OUTCOME_UNDETERMINED)
        fail_msg("%s in %d: outcome %d (%s)", json, year, it->outcome, it->summary_en);
    assert_int_equal(it->amount_count, 0);
    assert_int_equal(it->missing_count, 1);
    assert_true(fisc_test_is_missing(it, missing));
    return r;
}

/* Every cell of the placeholder table (33-yulin-platforms.yaml), in 元. */
static void every_cell(void **state)
{
    static const struct { const char *type, *level, *want; } cells[] = {
        { "key_laboratory", "national", "1000000.00" },
        { "key_laboratory", "regional", "500000.00" },
        { "key_laboratory", "city", "200000.00" },
        { "engineering_center", "national", "1000000.00" },
        { "engineering_center", "regional", "500000.00" },
        { "engineering_center", "city", "200000.00" },
        { "enterprise_technology_center", "national", "1000000.00" },
        { "enterprise_technology_center", "regional", "500000.00" },
        { "enterprise_technology_center", "city", "200000.00" },
        { "new_rd_institution", "national", "1000000.00" },
        { "new_rd_institution", "regional", "500000.00" },
        { "new_rd_institution", "city", "200000.00" },
        { "incubator", "national", "1000000.00" },
        { "incubator", "regional", "500000.00" },
        { "incubator", "city", "200000.00" },
        { "maker_space", "national", "500000.00" },
        { "maker_space", "regional", "300000.00" },
        { "maker_space", "city", "100000.00" },
        { "university_science_park", "national", "1000000.00" },
        { "university_science_park", "regional", "500000.00" },
        { "university_science_park", "city", "200000.00" },
    };
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        check(bundle, cells[i].type, cells[i].level, "2023-05-10", ", \"platform_in_high_tech_zone\": true", 2023, 0,
              cells[i].want);
        check(own, cells[i].type, cells[i].level, "2023-05-10", ", \"platform_in_high_tech_zone\": false", 2023, 0,
              cells[i].want);
    }
    facts(json, sizeof(json), "maker_space", "regional", "2023-05-10", "");
    r = check_json(bundle, json, 2023, 0, "300000.00");
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "amount")->substituted, "[maker_space, regional] = 300000 元");
    assert_string_equal(fisc_test_param(it, "yulin.platform_subsidy.amount")->value, "table of 21 rows");
    assert_int_equal(fisc_test_param(it, "yulin.platform_subsidy.amount")->evidence, FISC_EVIDENCE_PLACEHOLDER);
    assert_null(fisc_test_find_param(it, "yulin.platform_subsidy.upgrade_pays_difference"));
    assert_null(fisc_test_find_param(it, "gx.new_rd_institution.max_subsidy"));
    assert_int_equal(fisc_test_condition(it, "platform.new_in_period")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_condition(it, "yulin.cultivation_pool")->state, FISC_COND_MET);
    fisc_result_free(r);
}

/* An upgrade: with the difference rule (the placeholder "yes") the new amount less what was received,
 * never negative; with the rule off (overlay "no") the full new amount. */
static void upgrade(void **state)
{
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* city → regional: 500000 − 200000 */
    facts(json, sizeof(json), "key_laboratory", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"200000\"");
    r = check_json(bundle, json, 2023, 0, "300000.00");
    it = item_of(r);
    assert_int_equal(fisc_test_condition(it, "platform.upgrade")->state, FISC_COND_MET);
    assert_int_equal(fisc_test_param(it, "yulin.platform_subsidy.upgrade_pays_difference")->evidence,
                     FISC_EVIDENCE_PLACEHOLDER);
    assert_string_equal(fisc_test_step(it, "upgrade")->substituted, "max(0, 500000 − 200000)");
    fisc_result_free(r);
    fisc_result_free(check_json(full_pay, json, 2023, 0, "500000.00"));
    /* city → national, a received amount with 分: 1000000 − 150000.55 */
    check(own, "incubator", "national", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"150000.55\"", 2023, 0, "849999.45");
    /* received more than the new amount: 0, never negative; exactly the new amount: 0 */
    check(own, "maker_space", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"300000.01\"", 2023, 0, "0.00");
    check(own, "maker_space", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"300000\"", 2023, 0, "0.00");
    check(own, "maker_space", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"299999.99\"", 2023, 0, "0.01");
    check(full_pay, "maker_space", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"city\", \"platform_previous_amount\": \"300000.01\"", 2023, 0,
          "300000.00");
    /* previous level none: newly recognized, the amount received is not asked for */
    check(own, "maker_space", "regional", "2023-05-10", ", \"platform_previous_level\": \"none\"", 2023, 0,
          "300000.00");
    /* not above the previous level: not an upgrade */
    facts(json, sizeof(json), "key_laboratory", "regional", "2023-05-10",
          ", \"platform_previous_level\": \"regional\"");
    r = check_not(own, json, 2023, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "platform.upgrade")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    facts(json, sizeof(json), "key_laboratory", "city", "2023-05-10", ", \"platform_previous_level\": \"national\"");
    fisc_result_free(check_not(own, json, 2023, 0));
    /* the difference rule needs the amount received */
    facts(json, sizeof(json), "key_laboratory", "national", "2023-05-10",
          ", \"platform_previous_level\": \"regional\"");
    fisc_result_free(check_undetermined(own, json, 2023, "platform_previous_amount"));
    /* without the rule it is not asked for */
    fisc_result_free(check_json(full_pay, json, 2023, 0, "1000000.00"));
}

/* The 培育库 gate: from 2023-02-10 a platform not in the pool gets nothing, and the result says so. */
static void cultivation_pool(void **state)
{
    static const char NOT_IN[] =
        "{\"platform_type\": \"engineering_center\", \"platform_level\": \"city\", \"platform_recognition_date\": "
        "\"%s\", \"registered_in_yulin\": true, \"tax_registered_in_yulin\": true, \"statistics_in_yulin\": true, "
        "\"platform_in_cultivation_pool\": false}";
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    snprintf(json, sizeof(json), NOT_IN, "2023-03-01");
    r = check_not(bundle, json, 2023, 0);
    it = item_of(r);
    assert_int_equal(fisc_test_condition(it, "yulin.cultivation_pool")->state, FISC_COND_NOT_MET);
    assert_string_equal(it->summary_en,
                        "not in the cultivation pool (培育库): a platform not in the pool gets no support");
    assert_string_equal(it->summary_zh, "符合条件但未入科技创新平台培育库，不得享受相关政策支持");
    assert_int_equal(fisc_test_param(it, "yulin.platform_subsidy.pool_required")->evidence, FISC_EVIDENCE_CONFIRMED);
    fisc_result_free(r);
    /* Q1 2023 ends on 03-31: the gate is in force */
    snprintf(json, sizeof(json), NOT_IN, "2023-01-05");
    fisc_result_free(check_not(own, json, 2023, 1));
    /* 2022: no gate yet; the pool fact is not asked for */
    snprintf(json, sizeof(json), NOT_IN, "2022-12-31");
    r = check_json(own, json, 2022, 0, "200000.00");
    assert_null(fisc_test_find_condition(item_of(r), "yulin.cultivation_pool"));
    fisc_result_free(r);
    /* missing: undetermined */
    r = check_undetermined(own,
                           "{\"platform_type\": \"engineering_center\", \"platform_level\": \"city\", "
                           "\"platform_recognition_date\": \"2023-03-01\", \"registered_in_yulin\": true, "
                           "\"tax_registered_in_yulin\": true, \"statistics_in_yulin\": true}",
                           2023, "platform_in_cultivation_pool");
    assert_int_equal(fisc_test_condition(item_of(r), "yulin.cultivation_pool")->state, FISC_COND_UNKNOWN);
    fisc_result_free(r);
}

/* Registration, tax and statistics relationships in Yulin: each one false, then each one missing. */
static void yulin_relationships(void **state)
{
    static const struct { const char *fact, *cond; } rel[] = {
        { "registered_in_yulin", "yulin.registered" },
        { "tax_registered_in_yulin", "yulin.tax_registered" },
        { "statistics_in_yulin", "yulin.statistics" },
    };
    (void)state;
    for (size_t i = 0; i < 3; i++) {
        char json[600];
        int n = snprintf(json, sizeof(json),
                         "{\"platform_type\": \"incubator\", \"platform_level\": \"national\", "
                         "\"platform_recognition_date\": \"2023-05-10\", \"platform_in_cultivation_pool\": true");
        fisc_result *r;

        for (size_t k = 0; k < 3; k++)
            n += snprintf(json + n, sizeof(json) - (size_t)n, ", \"%s\": %s", rel[k].fact, k == i ? "false" : "true");
        snprintf(json + n, sizeof(json) - (size_t)n, "}");
        r = check_not(own, json, 2023, 0);
        assert_int_equal(fisc_test_condition(item_of(r), rel[i].cond)->state, FISC_COND_NOT_MET);
        assert_string_equal(item_of(r)->summary_en, "the registration, tax or statistics relationship is not in Yulin");
        fisc_result_free(r);

        n = snprintf(json, sizeof(json),
                     "{\"platform_type\": \"incubator\", \"platform_level\": \"national\", "
                     "\"platform_recognition_date\": \"2023-05-10\", \"platform_in_cultivation_pool\": true");
        for (size_t k = 0; k < 3; k++)
            if (k != i)
                n += snprintf(json + n, sizeof(json) - (size_t)n, ", \"%s\": true", rel[k].fact);
        snprintf(json + n, sizeof(json) - (size_t)n, "}");
        r = check_undetermined(own, json, 2023, rel[i].fact);
        assert_int_equal(fisc_test_condition(item_of(r), rel[i].cond)->state, FISC_COND_UNKNOWN);
        fisc_result_free(r);
    }
}

/* The Guangxi cap (500万元) for a new-type R&D institution in a zone: exactly at it, one 分 beyond,
 * outside a zone, before 2021-08-04, with an upgrade; the zone fact missing. */
static void new_rd_cap(void **state)
{
    char json[600];
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    /* exactly 5000000: not binding */
    facts(json, sizeof(json), "new_rd_institution", "regional", "2023-05-10", ", \"platform_in_high_tech_zone\": true");
    r = check_json(at_cap, json, 2023, 0, "5000000.00");
    it = item_of(r);
    assert_string_equal(fisc_test_step(it, "cap")->substituted, "min(5000000, 5000000)");
    assert_int_equal(fisc_test_param(it, "gx.new_rd_institution.max_subsidy")->evidence, FISC_EVIDENCE_CONFIRMED);
    fisc_result_free(r);
    /* 5000000.01: the cap binds */
    facts(json, sizeof(json), "new_rd_institution", "national", "2023-05-10", ", \"platform_in_high_tech_zone\": true");
    r = check_json(at_cap, json, 2023, 0, "5000000.00");
    assert_string_equal(fisc_test_step(item_of(r), "cap")->substituted, "min(5000000.01, 5000000) (cap binds)");
    fisc_result_free(r);
    /* outside a zone: no cap */
    facts(json, sizeof(json), "new_rd_institution", "national", "2023-05-10",
          ", \"platform_in_high_tech_zone\": false");
    r = check_json(at_cap, json, 2023, 0, "5000000.01");
    assert_null(fisc_test_find_param(item_of(r), "gx.new_rd_institution.max_subsidy"));
    fisc_result_free(r);
    /* the cap is in force from 2021-08-04: none in 2020, binding in 2021 */
    check(at_cap, "new_rd_institution", "national", "2020-05-10", ", \"platform_in_high_tech_zone\": true", 2020, 0,
          "5000000.01");
    check(at_cap, "new_rd_institution", "national", "2021-05-10", ", \"platform_in_high_tech_zone\": true", 2021, 0,
          "5000000.00");
    /* Q2 2021 ends 06-30, before the cap */
    check(at_cap, "new_rd_institution", "national", "2021-05-10", ", \"platform_in_high_tech_zone\": true", 2021, 2,
          "5000000.01");
    /* an upgrade: the cap bounds the new amount, then the difference: 5000000 − 200000 */
    check(at_cap, "new_rd_institution", "national", "2023-05-10",
          ", \"platform_in_high_tech_zone\": true, \"platform_previous_level\": \"city\", "
          "\"platform_previous_amount\": \"200000\"",
          2023, 0, "4800000.00");
    /* other types are never capped nor asked about the zone */
    check(own, "key_laboratory", "national", "2023-05-10", "", 2023, 0, "1000000.00");
    /* the zone fact missing */
    facts(json, sizeof(json), "new_rd_institution", "national", "2023-05-10", "");
    fisc_result_free(check_undetermined(at_cap, json, 2023, "platform_in_high_tech_zone"));
}

/* Recognized in the period: 12-31 counts in that year only, 01-01 in the next; quarters. */
static void recognition_date_boundaries(void **state)
{
    char json[600];
    fisc_result *r;

    (void)state;
    check(own, "incubator", "city", "2023-12-31", "", 2023, 0, "200000.00");
    facts(json, sizeof(json), "incubator", "city", "2023-12-31", "");
    r = check_not(own, json, 2024, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "platform.new_in_period")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    facts(json, sizeof(json), "incubator", "city", "2024-01-01", "");
    fisc_result_free(check_not(own, json, 2023, 0));
    check(own, "incubator", "city", "2024-01-01", "", 2024, 0, "200000.00");
    check(own, "incubator", "city", "2024-06-30", "", 2024, 2, "200000.00");
    facts(json, sizeof(json), "incubator", "city", "2024-07-01", "");
    fisc_result_free(check_not(own, json, 2024, 2));
    check(own, "incubator", "city", "2024-07-01", "", 2024, 3, "200000.00");
    /* the table is in force from 2017-01-01 */
    facts(json, sizeof(json), "incubator", "city", "2016-12-31", "");
    r = check_not(own, json, 2016, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "platform.in_force")->state, FISC_COND_NOT_MET);
    fisc_result_free(r);
    check(own, "incubator", "city", "2017-01-01", "", 2017, 0, "200000.00");
}

/* Not concerned (no platform, or none); the level or the date missing: undetermined. */
static void not_concerned_and_missing(void **state)
{
    fisc_result *r;
    const fisc_item *it;

    (void)state;
    r = check_not(bundle, "{}", 2023, 0);
    assert_int_equal(fisc_test_condition(item_of(r), "platform.type")->state, FISC_COND_NOT_MET);
    assert_int_equal(item_of(r)->param_count, 0);
    assert_false(item_of(r)->provisional);
    fisc_result_free(r);
    fisc_result_free(check_not(own, "{\"platform_type\": \"none\", \"platform_level\": \"city\"}", 2023, 0));
    r = fisc_test_evaluate(own, "{\"platform_type\": \"incubator\"}", 2023, 0, 1);
    it = item_of(r);
    assert_int_equal(it->outcome, FISC_OUTCOME_UNDETERMINED);
    assert_true(fisc_test_is_missing(it, "platform_level"));
    assert_true(fisc_test_is_missing(it, "platform_recognition_date"));
    assert_true(fisc_test_is_missing(it, "registered_in_yulin"));
    assert_true(fisc_test_is_missing(it, "tax_registered_in_yulin"));
    assert_true(fisc_test_is_missing(it, "statistics_in_yulin"));
    assert_true(fisc_test_is_missing(it, "platform_in_cultivation_pool"));
    assert_int_equal(it->amount_count, 0);
    fisc_result_free(r);
}

static void oom_sweep(void **state)
{
    char json[600];
    fisc_result *r;

    (void)state;
    facts(json, sizeof(json), "new_rd_institution", "national", "2023-05-10",
          ", \"platform_in_high_tech_zone\": true, \"platform_previous_level\": \"city\", "
          "\"platform_previous_amount\": \"200000\"");
    r = fisc_test_oom_sweep(at_cap, json, 2023, 0, 1);
    assert_true(fisc_result_find(r, PROGRAM)->outcome == FISC_OUTCOME_ELIGIBLE);
    fisc_result_free(r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_cell),
        cmocka_unit_test(upgrade),
        cmocka_unit_test(cultivation_pool),
        cmocka_unit_test(yulin_relationships),
        cmocka_unit_test(new_rd_cap),
        cmocka_unit_test(recognition_date_boundaries),
        cmocka_unit_test(not_concerned_and_missing),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("platform_subsidy", tests, group_setup, group_teardown);
}
