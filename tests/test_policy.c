/* Tests of the policy loader: every rejection with its line and column, layers, overlays, hashes. */
#include <stdlib.h>
#include <unistd.h>

#include "fisc_test.h"

#include "policy.h"
#include "sha256.h"

static const char *policy_dir;

/* The head of a minimal valid file (4 lines). Positions in the tests count from it: a quoted
 * scalar's column is that of its first character inside the quotes. */
#define HEAD                                                                                                      \
    "fisc_policy: 1\n"                                                                                            \
    "id: t.layer\n"                                                                                               \
    "title: {zh: 测试, en: Test}\n"                                                                                \
    "document: 测试文件\n"
#define CITE "    citation: {document: 财税〔2019〕13号, article: 二, url: \"https://example.org\"}\n"

static fisc_status load1(fisc_policy **p, const char *text, fisc_error *err)
{
    const char *name = "t.yaml";
    size_t len = strlen(text);

    return fiscp_policy_load_texts(p, &name, &text, &len, 1, NULL, NULL, 0, err);
}

static void expect_error(const char *text, int code, int line, int column, const char *words)
{
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    int rc = load1(&p, text, &err);

    if (rc != code || err.line != line || err.column != column || !strstr(err.text, words)) {
        print_error("got %s at %d:%d \"%s\"; expected %s at %d:%d containing \"%s\"\n", fisc_err_name(rc), err.line,
                    err.column, err.text, fisc_err_name(code), line, column, words);
        fail();
    }
    assert_null(p);
    assert_string_equal(err.source, "t.yaml");
}

static void valid_file_loads(void **state)
{
    static const char text[] = HEAD "parameters:\n"
                                    "  - id: a.rate\n"
                                    "    label: {zh: 税率, en: Rate}\n"
                                    "    unit: rate\n"
                                    "    values:\n"
                                    "      - from: 2019-01-01\n"
                                    "        value: \"25%\"\n"
                                    "        status: confirmed\n"
                                    "    " CITE "      - from: 2023-01-01\n"
                                    "        value: \"1/5\"\n"
                                    "        status: unconfirmed\n"
                                    "    " CITE;
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_param *q;
    const fisc_param_entry *e;

    (void)state;
    if (load1(&p, text, &err) != FISC_OK)
        fail_msg("%d:%d %s", err.line, err.column, err.text);
    assert_int_equal(fisc_policy_param_count(p), 1);
    q = fisc_policy_find_param(p, "a.rate");
    assert_non_null(q);
    assert_string_equal(fisc_param_label(q, "en"), "Rate");
    assert_string_equal(fisc_param_unit(q), "rate");
    assert_int_equal(fisc_param_entry_count(q), 2);
    e = fisc_param_entry_at(q, 0);
    assert_string_equal(e->from, "2019-01-01");
    assert_string_equal(e->to, "2022-12-31"); /* implied by the next entry */
    assert_string_equal(e->value, "25%");
    assert_string_equal(e->document, "财税〔2019〕13号");
    e = fisc_param_entry_at(q, 1);
    assert_null(e->to);
    assert_int_equal(e->evidence, FISC_EVIDENCE_UNCONFIRMED);
    assert_string_equal(fisc_policy_layer(p, 0)->id, "t.layer");
    assert_int_equal(strlen(fisc_policy_layer(p, 0)->sha256), 64);
    { /* the policy hash: SHA-256 over the layers' hexadecimal hashes, in order */
        fiscp_sha256 h;
        char hex[65];

        fiscp_sha256_init(&h);
        fiscp_sha256_update(&h, fisc_policy_layer(p, 0)->sha256, 64);
        fiscp_sha256_hex(&h, hex);
        assert_string_equal(fisc_policy_hash(p), hex);
        assert_string_equal(fisc_policy_hash(NULL), "");
    }
    fisc_policy_free(p);
}

#define PARAM_START                                                                                               \
    HEAD "parameters:\n"                                                                                          \
         "  - id: a.amount\n"                                                                                     \
         "    label: {zh: 金额, en: Amount}\n"                                                                     \
         "    unit: 元\n"                                                                                          \
         "    values:\n"

static void rejections(void **state)
{
    (void)state;
    /* unknown keys: top level, parameter, value */
    expect_error(HEAD "colour: red\n", FISC_EPARSE, 5, 1, "unknown key \"colour\"");
    expect_error(PARAM_START "      - from: 2019-01-01\n        value: \"5\"\n        status: confirmed\n"
                             "        citation: {document: x}\n        vlaue: \"6\"\n",
                 FISC_EPARSE, 14, 9, "parameter \"a.amount\": unknown key \"vlaue\"");
    expect_error(HEAD "parameters:\n  - id: a.b\n    lable: {zh: x, en: y}\n", FISC_EPARSE, 7, 5,
                 "unknown key \"lable\"");
    /* duplicate key (libfyaml) */
    expect_error(HEAD "id: again\n", FISC_EPARSE, 5, 1, "duplicate");
    /* missing citation, and a citation without its document */
    expect_error(PARAM_START "      - from: 2019-01-01\n        value: \"5\"\n        status: confirmed\n", FISC_EPARSE,
                 10, 9, "no citation");
    expect_error(PARAM_START "      - from: 2019-01-01\n        value: \"5\"\n        status: confirmed\n"
                             "        citation: {article: 二}\n",
                 FISC_EPARSE, 13, 20, "\"document\" is missing");
    /* dates out of order, overlapping, to before from */
    expect_error(PARAM_START "      - {from: 2020-01-01, value: \"5\", status: confirmed, citation: {document: x}}\n"
                             "      - {from: 2019-01-01, value: \"6\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 11, 16, "not in order");
    expect_error(PARAM_START
                 "      - {from: 2019-01-01, to: 2020-06-30, value: \"5\", status: confirmed, citation: {document: x}}\n"
                 "      - {from: 2020-01-01, value: \"6\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 11, 16, "overlap");
    expect_error(PARAM_START
                 "      - {from: 2019-01-01, to: 2018-06-30, value: \"5\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 32, "before");
    /* unit mismatches */
    expect_error(PARAM_START "      - {from: 2019-01-01, value: \"5%\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 36, "unit mismatch");
    expect_error(HEAD "parameters:\n  - id: a.n\n    label: {zh: x, en: y}\n    unit: count\n    values:\n"
                      "      - {from: 2019-01-01, value: \"2.5\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 36, "whole number");
    /* unparsable and float-typed numbers */
    expect_error(PARAM_START "      - {from: 2019-01-01, value: \"1,000\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 36, "thousands separators");
    expect_error(PARAM_START "      - {from: 2019-01-01, value: 0.25, status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 35, "float-typed");
    expect_error(PARAM_START "      - {from: 2019-01-01, value: 1e5, status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 35, "float-typed");
    /* bad status, unit, date, program */
    expect_error(PARAM_START "      - {from: 2019-01-01, value: \"5\", status: maybe, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 48, "status \"maybe\"");
    expect_error(HEAD "parameters:\n  - id: a.b\n    label: {zh: x, en: y}\n    unit: dollars\n", FISC_EPARSE, 8,
                 11, "unknown unit");
    expect_error(PARAM_START "      - {from: 2019-02-30, value: \"5\", status: confirmed, citation: {document: x}}\n",
                 FISC_EPARSE, 10, 16, "not a date");
    expect_error(HEAD "programs:\n  - {id: no.such, title: {zh: x, en: y}, rounding: {mode: half_up, unit: \"0.01\"}}\n",
                 FISC_EPARSE, 6, 10, "unknown program");
    expect_error(HEAD "programs:\n  - {id: cn.cit, title: {zh: x, en: y}, rounding: {mode: half_up, unit: 0.01}}\n",
                 FISC_EPARSE, 6, 73, "float-typed");
    /* scales: bounds must increase */
    expect_error(HEAD "parameters:\n  - id: a.s\n    label: {zh: x, en: y}\n    unit: rate\n    kind: scale\n"
                      "    semantics: marginal\n    basis: 元\n    values:\n"
                      "      - from: 2019-01-01\n        status: confirmed\n        citation: {document: x}\n"
                      "        brackets:\n          - {up_to: \"300\", rate: \"5%\"}\n"
                      "          - {up_to: \"100\", rate: \"10%\"}\n",
                 FISC_EPARSE, 18, 22, "increase");
    /* YAML syntax */
    expect_error(HEAD "parameters: [\n", FISC_EPARSE, 6, 1, "YAML");
    /* YAML directives are refused before libfyaml sees them (it can hang on some) */
    expect_error(HEAD "%ffective x\n", FISC_EPARSE, 5, 1, "directives");
    /* an empty value is located at its key */
    expect_error("fisc_policy: 1\nid: x\ntitle:\ndocument: d\n", FISC_EPARSE, 3, 1, "title");
    /* format version */
    expect_error("fisc_policy: 2\nid: x\n", FISC_EPARSE, 1, 14, "version");
}

/* Enumerations, a table keyed by two of them, a yes/no and an enum-unit value. */
static void tables_and_enumerations(void **state)
{
    static const char text[] = HEAD "enumerations:\n  platform_type: [lab, center]\n  platform_level: [national, regional]\n"
                                    "parameters:\n"
                                    "  - id: t.subsidy\n    label: {zh: 补助, en: Subsidy}\n    unit: 万元\n    kind: table\n"
                                    "    keys: [platform_type, platform_level]\n    values:\n"
                                    "      - from: 2017-01-01\n        status: unconfirmed\n        citation: {document: x}\n"
                                    "        rows:\n"
                                    "          - {platform_type: lab, platform_level: national, value: \"100\"}\n"
                                    "          - {platform_type: center, platform_level: regional, value: \"50\"}\n"
                                    "  - id: t.flag\n    label: {zh: 旗, en: Flag}\n    unit: yes/no\n    values:\n"
                                    "      - {from: 2019-01-01, value: yes, status: placeholder, citation: {document: x}}\n"
                                    "  - id: t.level\n    label: {zh: 级, en: Level}\n    unit: enum:platform_level\n    values:\n"
                                    "      - {from: 2019-01-01, value: regional, status: confirmed, citation: {document: x}}\n";
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_param *q;

    (void)state;
    if (load1(&p, text, &err) != FISC_OK)
        fail_msg("%d:%d %s", err.line, err.column, err.text);
    q = fisc_policy_find_param(p, "t.subsidy");
    assert_int_equal(fisc_param_kind_of(q), FISC_PARAM_TABLE);
    assert_string_equal(fisc_param_entry_at(q, 0)->value, "table of 2 rows");
    assert_string_equal(fisc_param_unit(fisc_policy_find_param(p, "t.level")), "enum:platform_level");
    fisc_policy_free(p);
    /* a duplicate enumeration value, a row with an unknown key value, two rows with the same keys */
    expect_error(HEAD "enumerations:\n  level: [a, b, a]\n", FISC_EPARSE, 6, 17, "appears twice");
    expect_error(HEAD "enumerations:\n  level: [a, b]\nparameters:\n  - id: t.t\n    label: {zh: x, en: y}\n"
                      "    unit: 元\n    kind: table\n    keys: [level]\n    values:\n"
                      "      - from: 2017-01-01\n        status: confirmed\n        citation: {document: x}\n"
                      "        rows:\n          - {level: c, value: \"1\"}\n",
                 FISC_EPARSE, 18, 21, "not a value of enumeration level");
    expect_error(HEAD "enumerations:\n  level: [a, b]\nparameters:\n  - id: t.t\n    label: {zh: x, en: y}\n"
                      "    unit: 元\n    kind: table\n    keys: [level]\n    values:\n"
                      "      - from: 2017-01-01\n        status: confirmed\n        citation: {document: x}\n"
                      "        rows:\n          - {level: a, value: \"1\"}\n          - {level: a, value: \"2\"}\n",
                 FISC_EPARSE, 19, 14, "same keys");
}

static void layers_and_overlays(void **state)
{
    static const char base[] = PARAM_START
        "      - {from: 2019-01-01, to: 2027-12-31, value: \"5\", status: confirmed, citation: {document: x}}\n";
    static const char again[] = "fisc_policy: 1\nid: t.two\ntitle: {zh: 二, en: Two}\ndocument: y\n"
                                "parameters:\n  - id: a.amount\n    label: {zh: x, en: y}\n    unit: 元\n    values:\n"
                                "      - {from: 2019-01-01, value: \"5\", status: confirmed, citation: {document: x}}\n";
    static const char overlay[] =
        "fisc_policy: 1\nid: what.if\ntitle: {zh: 假设, en: What if}\noverlay: true\n"
        "parameters:\n  - id: a.amount\n    values:\n"
        "      - {from: 2023-01-01, to: 2023-12-31, value: \"7\", status: placeholder, citation: {document: scenario}}\n";
    static const char bad_overlay[] =
        "fisc_policy: 1\nid: what.if\ntitle: {zh: 假设, en: What if}\noverlay: true\n"
        "parameters:\n  - id: a.missing\n    values:\n"
        "      - {from: 2023-01-01, value: \"7\", status: placeholder, citation: {document: scenario}}\n";
    const char *names[2] = { "base.yaml", "two.yaml" }, *texts[2] = { base, again };
    size_t lens[2] = { strlen(base), strlen(again) };
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    const fisc_param *q;

    (void)state;
    /* a later layer may not redefine a parameter */
    assert_int_equal(fiscp_policy_load_texts(&p, names, texts, lens, 2, NULL, NULL, 0, &err), FISC_EPARSE);
    assert_string_equal(err.source, "two.yaml");
    assert_int_equal(err.line, 6);
    assert_non_null(strstr(err.text, "defined twice"));
    /* the overlay replaces 2023 only */
    assert_int_equal(fiscp_policy_load_texts(&p, names, texts, lens, 1, "o.yaml", overlay, strlen(overlay), &err),
                     FISC_OK);
    q = fisc_policy_find_param(p, "a.amount");
    assert_int_equal(fisc_param_entry_count(q), 3);
    assert_string_equal(fisc_param_entry_at(q, 0)->to, "2022-12-31");
    assert_string_equal(fisc_param_entry_at(q, 1)->value, "7");
    assert_string_equal(fisc_param_entry_at(q, 1)->layer, "what.if");
    assert_int_equal(fisc_param_entry_at(q, 1)->evidence, FISC_EVIDENCE_PLACEHOLDER);
    assert_string_equal(fisc_param_entry_at(q, 2)->from, "2024-01-01");
    assert_string_equal(fisc_param_entry_at(q, 2)->to, "2027-12-31");
    assert_int_equal(fisc_policy_layer_count(p), 2);
    assert_true(fisc_policy_layer(p, 1)->is_overlay);
    fisc_policy_free(p);
    /* an overlay may only override what exists; an overlay is not a layer */
    assert_int_equal(fiscp_policy_load_texts(&p, names, texts, lens, 1, "o.yaml", bad_overlay, strlen(bad_overlay),
                                             &err),
                     FISC_EPARSE);
    assert_string_equal(err.source, "o.yaml");
    assert_non_null(strstr(err.text, "only override"));
    texts[0] = overlay;
    lens[0] = strlen(overlay);
    assert_int_equal(fiscp_policy_load_texts(&p, names, texts, lens, 1, NULL, NULL, 0, &err), FISC_EPARSE);
}

static void sha256_vectors(void **state)
{
    fiscp_sha256 h;
    char hex[65];
    char million[1000];

    (void)state;
    fiscp_sha256_init(&h);
    fiscp_sha256_hex(&h, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    fiscp_sha256_init(&h);
    fiscp_sha256_update(&h, "abc", 3);
    fiscp_sha256_hex(&h, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    fiscp_sha256_init(&h);
    fiscp_sha256_update(&h, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56);
    fiscp_sha256_hex(&h, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    memset(million, 'a', sizeof(million));
    fiscp_sha256_init(&h);
    for (int i = 0; i < 1000; i++)
        fiscp_sha256_update(&h, million, sizeof(million));
    fiscp_sha256_hex(&h, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void bundled_policy_loads(void **state)
{
    char paths[3][512];
    const char *p3[3] = { paths[0], paths[1], paths[2] };
    static const char *const files[3] = { "10-national.yaml", "20-guangxi.yaml", "30-yulin.yaml" };
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    for (int i = 0; i < 3; i++)
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", policy_dir, files[i]);
    if (fisc_policy_load_files(&p, p3, 3, NULL, &err) != FISC_OK)
        fail_msg("%s:%d:%d: %s", err.source, err.line, err.column, err.text);
    assert_int_equal(fisc_policy_layer_count(p), 3);
    assert_int_equal(fisc_policy_program_count(p), 2);
    assert_non_null(fisc_policy_find_param(p, "cit.rate.standard"));
    assert_non_null(fisc_policy_find_param(p, "cit.small_micro.taxable_share"));
    assert_int_equal(fisc_param_kind_of(fisc_policy_find_param(p, "cit.small_micro.taxable_share")), FISC_PARAM_SCALE);
    fisc_policy_free(p);
    /* the default search finds every file of the directory through FISC_POLICY_DIR, in name order */
    setenv("FISC_POLICY_DIR", policy_dir, 1);
    if (fisc_policy_load_default(&p, NULL, &err) != FISC_OK)
        fail_msg("%s:%d:%d: %s", err.source, err.line, err.column, err.text);
    assert_true(fisc_policy_layer_count(p) >= 3);
    assert_string_equal(fisc_policy_layer(p, 0)->id, "cn.national");
    for (size_t i = 1; i < fisc_policy_layer_count(p); i++)
        assert_true(strcmp(strrchr(fisc_policy_layer(p, i - 1)->path, '/'), strrchr(fisc_policy_layer(p, i)->path, '/')) < 0);
    fisc_policy_free(p);
    /* a missing file */
    p3[0] = "/nonexistent/policy.yaml";
    assert_int_equal(fisc_policy_load_files(&p, p3, 1, NULL, &err), FISC_ENOTFOUND);
    assert_non_null(strstr(err.text, "/nonexistent/policy.yaml"));
}

/* A temporary file of n bytes of YAML comment lines; the caller unlinks path. */
static void comment_file(char *path, size_t n)
{
    int fd = mkstemp(path);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;

    assert_non_null(out);
    for (size_t k = 0; k < n; k++)
        assert_int_not_equal(fputc(k % 64 == 63 ? '\n' : k % 64 == 0 ? '#' : 'x', out), EOF);
    assert_int_equal(fclose(out), 0);
}

/* A policy file of up to 4 MiB is read; one byte more is refused before parsing. */
static void file_size_limit(void **state)
{
    char path[] = "/tmp/fisc-size-XXXXXX";
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    comment_file(path, (size_t)4 << 20);
    assert_int_not_equal(fisc_policy_load(&p, path, &err), FISC_ERANGE);
    fisc_policy_free(p);
    p = NULL;
    unlink(path);
    strcpy(path, "/tmp/fisc-size-XXXXXX");
    comment_file(path, ((size_t)4 << 20) + 1);
    assert_int_equal(fisc_policy_load(&p, path, &err), FISC_ERANGE);
    assert_non_null(strstr(err.text, "is larger than 4194304 bytes"));
    assert_null(p);
    unlink(path);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_file_loads),     cmocka_unit_test(rejections), cmocka_unit_test(layers_and_overlays),
        cmocka_unit_test(tables_and_enumerations), cmocka_unit_test(file_size_limit),
        cmocka_unit_test(sha256_vectors),       cmocka_unit_test(bundled_policy_loads),
    };
    policy_dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
