/*
 * Agreements (一事一议): the loader (docs/agreement-format.md, "The document") and the policy checks
 * ("Checks") on the bundled policy. A full document read back field by field through the internal
 * structure; each malformed document's error with its line and column; the findings (credit code,
 * basis and evidence, the legal gate on each side of 2024-08-01 and its legal-basis downgrade, the
 * approval authority at its limits); the check report as JSON; an allocation-failure sweep.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fisc_test.h"
#include "fisc_eval_test.h"

#include "agreement.h"

static fisc_policy *policy;
static const char *dir;

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

/* ------------------------------------------------------------------ helpers */

static fisc_status try_load(fisc_agreement **a, const char *yaml, fisc_error *err)
{
    return fisc_agreement_load_string(a, policy, "t.yaml", yaml, strlen(yaml), err);
}

static fisc_agreement *load_at(const char *yaml, const char *file, int line)
{
    fisc_agreement *a = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (try_load(&a, yaml, &err) != FISC_OK) {
        print_error("%s:%d: load failed: %s:%d:%d: %s\n", file, line, err.source, err.line, err.column, err.text);
        _fail(file, line);
    }
    return a;
}
#define load(yaml) load_at((yaml), __FILE__, __LINE__)

/* The load fails with code at line:column and a message containing want. */
static void load_fails_at(const char *yaml, int code, int line, int column, const char *want, const char *file,
                          int at)
{
    fisc_agreement *a = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_status rc = try_load(&a, yaml, &err);

    if (rc != code || err.code != code || err.line != line || err.column != column || !strstr(err.text, want) ||
        strcmp(err.source, "t.yaml") != 0 || a) {
        print_error("%s:%d: got %s at %s:%d:%d \"%s\"; expected %s at %d:%d containing \"%s\"\n", file, at,
                    fisc_err_name(rc), err.source, err.line, err.column, err.text, fisc_err_name(code), line, column,
                    want);
        fisc_agreement_free(a);
        _fail(file, at);
    }
}
#define load_fails(yaml, code, line, column, want) \
    load_fails_at((yaml), (code), (line), (column), (want), __FILE__, __LINE__)

/* The only finding called id (fails when there is none or more than one). */
static const fisc_finding *finding_at(const fisc_agreement *a, const char *id, const char *file, int line)
{
    const fisc_finding *f = NULL;

    for (size_t i = 0; i < fisc_agreement_finding_count(a); i++) {
        const fisc_finding *g = fisc_agreement_finding(a, i);

        if (strcmp(g->id, id) != 0)
            continue;
        if (f) {
            print_error("%s:%d: two findings %s: \"%s\" and \"%s\"\n", file, line, id, f->message_en, g->message_en);
            _fail(file, line);
        }
        f = g;
    }
    if (!f) {
        print_error("%s:%d: no finding %s\n", file, line, id);
        _fail(file, line);
    }
    return f;
}
#define finding(a, id) finding_at((a), (id), __FILE__, __LINE__)

static int has_finding(const fisc_agreement *a, const char *id)
{
    for (size_t i = 0; i < fisc_agreement_finding_count(a); i++)
        if (strcmp(fisc_agreement_finding(a, i)->id, id) == 0)
            return 1;
    return 0;
}

/*
 * The head of a minimal valid document (13 lines), to which each test appends its terms from line
 * 14. Its value is unknown (no ceiling, no cap_total): the approval check warns "cannot be checked".
 */
#define HEAD                                                                     \
    "fisc_agreement: 1\n"                                                       \
    "id: t-1\n"                                                                 \
    "title: {zh: 测试协议, en: Test agreement}\n"                               \
    "parties:\n"                                                                \
    "  enterprise: {name: 某公司, uscc: 91450900MA5L800091}\n"                  \
    "  government: {name: 玉林高新区管委会}\n"                                  \
    "project: {name: 项目}\n"                                                   \
    "signed: 2023-03-15\n"                                                      \
    "approval: {authority: city_government}\n"                                  \
    "basis:\n"                                                                  \
    "  category: fortune_global_500\n"                                          \
    "  evidence: {fortune_global_500_rank: 123, located_in_high_tech_zone: yes}\n" \
    "terms:\n"

#define FIXED_TERM                \
    "  - id: t\n"                 \
    "    clause: 第一条\n"        \
    "    kind: fixed\n"           \
    "    amount: \"1000000\"\n"   \
    "    years: [2023, 2024]\n"

/* ------------------------------------------------------------------ the vocabulary */

/* The metric names, in order, are the policy's enumeration agreement_base (the legal gate's key). */
static void metrics_are_the_policy_enumeration(void **state)
{
    const fiscp_enum *e = NULL;

    (void)state;
    for (size_t i = 0; i < policy->nenums; i++)
        if (strcmp(policy->enums[i].name, "agreement_base") == 0)
            e = &policy->enums[i];
    assert_non_null(e);
    assert_int_equal(e->n, AGM_COUNT);
    for (int m = 0; m < AGM_COUNT; m++) {
        assert_string_equal(e->values[m], fiscp_ag_metrics[m].name);
        assert_int_equal(fiscp_ag_metric_find(fiscp_ag_metrics[m].name), m);
    }
    for (int ev = 0; ev < AGE_COUNT; ev++)
        assert_int_equal(fiscp_ag_event_find(fiscp_ag_events[ev].name), ev);
    assert_int_equal(fiscp_ag_metric_find("Output"), -1);
    assert_int_equal(fiscp_ag_event_find(NULL), -1);
    assert_true(fiscp_ag_metrics[AGM_HEADCOUNT].level && fiscp_ag_metrics[AGM_HEADCOUNT].count);
    assert_false(fiscp_ag_metrics[AGM_OUTPUT].level || fiscp_ag_metrics[AGM_OUTPUT].count);
    assert_string_equal(fiscp_ag_metric_suggest("equipment_investmnt", 19), "equipment_investment");
    assert_string_equal(fiscp_ag_event_suggest("production_start", 16), "production_started");
    assert_null(fiscp_ag_metric_suggest("x", 1));
}

/* ------------------------------------------------------------------ a full document */

static const char FULL[] =
    "fisc_agreement: 1\n"
    "id: yl-hq-2023-007\n"
    "number: 玉高管协〔2023〕7号\n"
    "title: {zh: 某某新材料项目投资协议, en: New materials project investment agreement}\n"
    "parties:\n"
    "  enterprise: {name: 广西某某新材料有限公司, uscc: 91450900ma5l800091}\n"
    "  government: {name: 玉林高新技术产业开发区管理委员会}\n"
    "project: {name: 年产5万吨新材料项目, location: 玉林高新区}\n"
    "signed: 2023-03-15\n"
    "approval:\n"                                                                  /* 10 */
    "  authority: city_government\n"
    "  date: 2023-03-01\n"
    "  document: 玉政函〔2023〕12号\n"
    "basis:\n"
    "  category: fortune_global_500\n"
    "  clause: 第一条\n"
    "  evidence:\n"
    "    fortune_global_500_rank: 123\n"
    "    list_year: 2022\n"
    "    located_in_high_tech_zone: yes\n"                                         /* 20 */
    "rounding: {mode: half_even, unit: \"1\"}\n"
    "plan:\n"
    "  2023: {equipment_investment: \"80000000\", fixed_asset_investment_wan: \"15000.5\"}\n"
    "  2025: {headcount: 230}\n"
    "terms:\n"
    "  - id: equipment\n"
    "    clause: 第五条第一款\n"
    "    title: {zh: 设备投资奖励, en: Equipment investment reward}\n"
    "    kind: rate\n"
    "    base: equipment_investment\n"                                             /* 30 */
    "    rate: \"1/20\"\n"
    "    years: [2023, 2025]\n"
    "    cap_per_year: \"5000000\"\n"
    "    cap_total_wan: \"1200\"\n"
    "    release:\n"
    "      - {metric: funds_in_place, over: cumulative, at_least: \"300000000\", by: 2024, clause: 第六条}\n"
    "      - {event: production_started, by: 2024-06-30}\n"
    "      - {metric: headcount, at_least: 200, id: staff, label: {zh: 用工, en: Staff}}\n"
    "    late_share: \"50%\"\n"
    "    instalments:\n"                                                           /* 40 */
    "      - {share: \"40%\"}\n"
    "      - {share: \"0.3\", after: 1, clause: 第五条第二款}\n"
    "      - {share: \"30%\", after: 2, conditions: [{metric: output, at_most_wan: \"20000\"}]}\n"
    "    pay_on: 06-30\n"
    "    clawback:\n"
    "      clause: 第十条\n"
    "      commitments:\n"
    "        - {metric: output, over: year, at_least: \"300000000\", by: 2026}\n"
    "        - {event: relocated_out, absent_until: 2032-12-31}\n"
    "      share: \"100%\"\n"                                                      /* 50 */
    "      interest: {rate: \"3.45%\", basis: 365}\n"
    "  - id: hq\n"
    "    clause: 第七条\n"
    "    kind: fixed\n"
    "    amount_wan: \"100\"\n"
    "    years: [2024, 2026]\n"
    "    cap_total: \"3000000\"\n"
    "  - id: rent\n"
    "    clause: 第八条\n"
    "    kind: concession\n"                                                       /* 60 */
    "    base: rent\n"
    "    rate: \"100%\"\n"
    "    years: [2023, 2023]\n"
    "    legal_basis: {document: 某法律, article: 第一条}\n"
    "combine:\n"
    "  - mode: higher_of\n"
    "    programs: [gx.investment_reward]\n"
    "    terms: [equipment]\n"
    "    clause: 第八条\n"
    "  - {mode: exclusive, programs: [yulin.land_supporting_facilities, gx.zone_approval_subsidy], terms: [rent, hq]}\n"
    "ceiling:\n"
    "  amount_wan: \"3000\"\n"
    "  share_of_fixed_asset_investment: \"10%\"\n"
    "  clause: 第九条\n"
    "clawback:\n"
    "  commitments: [{event: ceased_operation, absent_until: 2030-12-31}]\n"
    "  share: \"1/2\"\n";

static void assert_pos(fiscp_ag_pos p, int line, int column)
{
    if (p.line != line || p.column != column)
        fail_msg("position %d:%d, expected %d:%d", p.line, p.column, line, column);
}

static void full_header(const fisc_agreement *a)
{
    assert_string_equal(a->id, "yl-hq-2023-007");
    assert_string_equal(fisc_agreement_id(a), "yl-hq-2023-007");
    assert_string_equal(a->number, "玉高管协〔2023〕7号");
    assert_string_equal(fisc_agreement_title(a, "zh"), "某某新材料项目投资协议");
    assert_string_equal(fisc_agreement_title(a, "en"), "New materials project investment agreement");
    assert_string_equal(a->enterprise, "广西某某新材料有限公司");
    assert_string_equal(a->uscc, "91450900MA5L800091"); /* normalised: upper case */
    assert_string_equal(a->government, "玉林高新技术产业开发区管理委员会");
    assert_string_equal(a->project, "年产5万吨新材料项目");
    assert_string_equal(a->location, "玉林高新区");
    assert_int_equal(a->signed_on, 20230315);
    assert_int_equal(a->approved_on, 20230301);
    assert_string_equal(a->authority, "city_government");
    assert_string_equal(a->approval_document, "玉政函〔2023〕12号");
    assert_string_equal(a->category, "fortune_global_500");
    assert_string_equal(a->basis_clause, "第一条");
    assert_int_equal(a->nevidence, 3);
    assert_string_equal(a->evidence[0].name, "fortune_global_500_rank");
    assert_string_equal(a->evidence[0].value, "123");
    assert_pos(a->evidence[0].pos, 18, 30);
    assert_string_equal(a->evidence[1].value, "2022");
    assert_string_equal(a->evidence[2].value, "yes");
    assert_int_equal(a->rounding, FISC_ROUND_HALF_EVEN);
    assert_string_equal(a->rounding_name, "half_even");
    assert_decimal_equal(&a->rounding_unit, "1");
    assert_pos(a->pos_signed, 9, 9);
    assert_pos(a->pos_category, 15, 13);
    assert_pos(a->pos_authority, 11, 14);
    assert_pos(a->pos_uscc, 6, 41);
    assert_string_equal(a->source, "t.yaml");
    assert_int_equal(strlen(fisc_agreement_hash(a)), 64);
}

static void full_equipment(const fisc_agreement *a)
{
    const fiscp_ag_term *t = &a->terms[0];
    const fiscp_ag_cond *c;

    assert_string_equal(t->id, "equipment");
    assert_string_equal(t->program_id, "yl-hq-2023-007/equipment");
    assert_string_equal(t->clause, "第五条第一款");
    assert_string_equal(t->title_zh, "设备投资奖励");
    assert_int_equal(t->kind, AGT_RATE);
    assert_int_equal(t->base, AGM_EQUIPMENT_INVESTMENT);
    assert_decimal_equal(&t->rate, "0.05");
    assert_int_equal(t->first_year, 2023);
    assert_int_equal(t->last_year, 2025);
    assert_true(t->has_cap_year && t->has_cap_total);
    assert_decimal_equal(&t->cap_year, "5000000");
    assert_decimal_equal(&t->cap_total, "12000000"); /* 1200 万元 × 10000 */
    assert_decimal_equal(&t->late_share, "0.5");
    assert_int_equal(t->pay_on, 630);
    assert_pos(t->pos, 26, 5);
    assert_int_equal(t->release.n, 3);
    c = &t->release.v[0];
    assert_string_equal(c->id, "equipment.release.1");
    assert_int_equal(c->kind, AGC_METRIC);
    assert_int_equal(c->metric, AGM_FUNDS_IN_PLACE);
    assert_int_equal(c->over, AGO_CUMULATIVE);
    assert_int_equal(c->op, AGOP_AT_LEAST);
    assert_decimal_equal(&c->threshold, "300000000");
    assert_int_equal(c->by_year, 2024);
    assert_string_equal(c->clause, "第六条");
    assert_string_equal(c->label_zh, "实际到位资金（累计）≥ 300000000 元（2024年底前）");
    assert_string_equal(c->label_en, "Funds in place (cumulative) ≥ 300000000 yuan (by the end of 2024)");
    assert_pos(c->pos, 36, 10);
    c = &t->release.v[1];
    assert_string_equal(c->id, "equipment.release.2");
    assert_int_equal(c->kind, AGC_EVENT_BY);
    assert_int_equal(c->event, AGE_PRODUCTION_STARTED);
    assert_int_equal(c->date, 20240630);
    assert_string_equal(c->clause, "");
    assert_string_equal(c->label_zh, "投产（不晚于2024-06-30）");
    assert_string_equal(c->label_en, "Production started (by 2024-06-30)");
    c = &t->release.v[2];
    assert_string_equal(c->id, "staff");
    assert_int_equal(c->metric, AGM_HEADCOUNT);
    assert_int_equal(c->over, AGO_YEAR);
    assert_int_equal(c->by_year, 0);
    assert_decimal_equal(&c->threshold, "200");
    assert_string_equal(c->label_zh, "用工");
    assert_string_equal(c->label_en, "Staff");
}

static void full_instalments_clawback(const fisc_agreement *a)
{
    const fiscp_ag_term *t = &a->terms[0];
    const fiscp_ag_clawback *cb = t->clawback;

    assert_int_equal(t->ninstalments, 3);
    assert_decimal_equal(&t->instalments[0].share, "0.4");
    assert_int_equal(t->instalments[0].after, 0);
    assert_decimal_equal(&t->instalments[1].share, "0.3");
    assert_int_equal(t->instalments[1].after, 1);
    assert_string_equal(t->instalments[1].clause, "第五条第二款");
    assert_int_equal(t->instalments[2].after, 2);
    assert_int_equal(t->instalments[2].conds.n, 1);
    assert_string_equal(t->instalments[2].conds.v[0].id, "equipment.instalment.3.1");
    assert_int_equal(t->instalments[2].conds.v[0].op, AGOP_AT_MOST);
    assert_decimal_equal(&t->instalments[2].conds.v[0].threshold, "200000000"); /* 20000 万元 */
    assert_string_equal(t->instalments[2].conds.v[0].label_zh, "产值 ≤ 200000000 元");
    assert_non_null(cb);
    assert_ptr_not_equal(cb, a->package_clawback);
    assert_string_equal(cb->clause, "第十条");
    assert_int_equal(cb->conds.n, 2);
    assert_string_equal(cb->conds.v[0].id, "equipment.clawback.1");
    assert_int_equal(cb->conds.v[0].by_year, 2026);
    assert_int_equal(cb->conds.v[1].kind, AGC_EVENT_ABSENT);
    assert_int_equal(cb->conds.v[1].event, AGE_RELOCATED_OUT);
    assert_int_equal(cb->conds.v[1].date, 20321231);
    assert_string_equal(cb->conds.v[1].label_zh, "迁出：2032-12-31前（含）未发生");
    assert_string_equal(cb->conds.v[1].label_en, "Relocated out: not on or before 2032-12-31");
    assert_decimal_equal(&cb->share, "1");
    assert_true(cb->has_interest);
    assert_decimal_equal(&cb->interest_rate, "0.0345");
    assert_int_equal(cb->day_basis, 365);
    assert_pos(cb->pos, 46, 7);
}

static void full_other_terms(const fisc_agreement *a)
{
    const fiscp_ag_term *hq = &a->terms[1], *rent = &a->terms[2];

    assert_int_equal(hq->kind, AGT_FIXED);
    assert_int_equal(hq->base, -1);
    assert_decimal_equal(&hq->amount, "1000000"); /* 100 万元 */
    assert_false(hq->has_cap_year);
    assert_decimal_equal(&hq->cap_total, "3000000");
    assert_decimal_equal(&hq->late_share, "1");
    assert_int_equal(hq->pay_on, 1231);
    assert_int_equal(hq->ninstalments, 1);
    assert_decimal_equal(&hq->instalments[0].share, "1");
    assert_int_equal(hq->release.n, 0);
    assert_ptr_equal(hq->clawback, a->package_clawback); /* no clawback of its own */
    assert_string_equal(hq->title_zh, "定额奖励");
    assert_string_equal(hq->title_en, "Fixed reward");
    assert_null(hq->legal_basis_document);
    assert_string_equal(hq->legal_basis_article, "");
    assert_int_equal(rent->kind, AGT_CONCESSION);
    assert_int_equal(rent->base, AGM_RENT);
    assert_decimal_equal(&rent->rate, "1");
    assert_string_equal(rent->title_zh, "租金（应付标准租金）优惠");
    assert_string_equal(rent->title_en, "Rent (standard rent due) concession");
    assert_string_equal(rent->legal_basis_document, "某法律");
    assert_string_equal(rent->legal_basis_article, "第一条");
    assert_pos(rent->legal_basis_pos, 64, 19);
    for (size_t i = 0; i < a->nterms; i++) {
        const fiscp_program_conf *c = &a->terms[i].conf;

        assert_string_equal(c->id, a->terms[i].program_id);
        assert_null(c->program);
        assert_null(c->params);
        assert_string_equal(c->title_en, a->terms[i].title_en);
        assert_int_equal(c->rounding, FISC_ROUND_HALF_EVEN);
        assert_decimal_equal(&c->unit, "1");
        assert_string_equal(c->rounding_name, "half_even");
        assert_string_equal(c->layer, "agreement");
        assert_false(a->terms[i].tax_linked || a->terms[i].gated);
    }
    assert_string_equal(a->package_conf.id, "yl-hq-2023-007");
    assert_string_equal(a->package_conf.title_zh, "某某新材料项目投资协议");
    assert_string_equal(a->package_conf.layer, "agreement");
}

static void full_package(const fisc_agreement *a)
{
    const fiscp_ag_clawback *cb = a->package_clawback;

    assert_int_equal(a->ncombine, 2);
    assert_int_equal(a->combine[0].mode, AGX_HIGHER_OF);
    assert_int_equal(a->combine[0].nprograms, 1);
    assert_string_equal(a->combine[0].programs[0], "gx.investment_reward");
    assert_int_equal(a->combine[0].nterms, 1);
    assert_int_equal(a->combine[0].terms[0], 0);
    assert_string_equal(a->combine[0].clause, "第八条");
    assert_int_equal(a->combine[1].mode, AGX_EXCLUSIVE);
    assert_int_equal(a->combine[1].nprograms, 2);
    assert_int_equal(a->combine[1].nterms, 2);
    assert_int_equal(a->combine[1].terms[0], 2);
    assert_int_equal(a->combine[1].terms[1], 1);
    assert_string_equal(a->combine[1].clause, "");
    assert_true(a->has_ceiling_amount && a->has_ceiling_share);
    assert_decimal_equal(&a->ceiling_amount, "30000000");
    assert_decimal_equal(&a->ceiling_share, "0.1");
    assert_string_equal(a->ceiling_clause, "第九条");
    assert_pos(a->ceiling_pos, 72, 3);
    assert_non_null(cb);
    assert_string_equal(cb->clause, "");
    assert_string_equal(cb->conds.v[0].id, "clawback.1");
    assert_decimal_equal(&cb->share, "0.5");
    assert_false(cb->has_interest);
    /* years: 2023 (first covered) .. 2032: the latest of 2025 + 2 (equipment's last year and longest
       delay), 2026 + 0 (hq), 2032 (relocated_out commitment), 2030 (the package's commitment) */
    assert_int_equal(fisc_agreement_first_year(a), 2023);
    assert_int_equal(fisc_agreement_last_year(a), 2032);
    assert_true(a->plan_set[0][AGM_EQUIPMENT_INVESTMENT]);
    assert_decimal_equal(&a->plan[0][AGM_EQUIPMENT_INVESTMENT], "80000000");
    assert_decimal_equal(&a->plan[0][AGM_FIXED_ASSET_INVESTMENT], "150005000"); /* 15000.5 万元 */
    assert_false(a->plan_set[0][AGM_OUTPUT]);
    assert_false(a->plan_set[1][AGM_HEADCOUNT]);
    assert_true(a->plan_set[2][AGM_HEADCOUNT]);
    assert_decimal_equal(&a->plan[2][AGM_HEADCOUNT], "230");
    assert_false(a->plan_set[9][AGM_OUTPUT]); /* 2032: a row exists for every year of the span */
    for (int k = 0; k < AGP_COUNT; k++)
        assert_string_equal(fisc_param_id(a->params[k]), fiscp_ag_param_ids[k]);
}

/* Every field of a full document, read back through the internal structure. */
static void full_document(void **state)
{
    fisc_agreement *a = load(FULL);
    const fisc_finding *f;

    (void)state;
    full_header(a);
    assert_int_equal(a->nterms, 3);
    full_equipment(a);
    full_instalments_clawback(a);
    full_other_terms(a);
    full_package(a);
    /* the code was written in lower case: a note; the package (3000 万元 ceiling) within the city's
       placeholder limit of 3000 万元: a provisional note; nothing else */
    assert_int_equal(fisc_agreement_finding_count(a), 2);
    assert_int_equal(fisc_agreement_error_count(a), 0);
    f = finding(a, "party.uscc");
    assert_int_equal(f->severity, FISC_SEVERITY_NOTE);
    assert_non_null(strstr(f->message_en, "read as 91450900MA5L800091"));
    assert_string_equal(f->document, "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》");
    assert_int_equal(f->line, 6);
    assert_int_equal(f->column, 41);
    f = finding(a, "approval.authority");
    assert_int_equal(f->severity, FISC_SEVERITY_NOTE);
    assert_non_null(strstr(f->message_en, "provisional"));
    fisc_agreement_free(a);
}

/* The same bytes give the same hash, another byte another; a reference keeps the agreement alive. */
static void hash_and_references(void **state)
{
    fisc_agreement *a = load(FULL), *b;
    char text[sizeof(FULL) + 1];

    (void)state;
    memcpy(text, FULL, sizeof(FULL));
    text[sizeof(FULL) - 2] = ' '; /* "share: \"1/2\" " */
    b = load(text);
    assert_string_not_equal(fisc_agreement_hash(a), fisc_agreement_hash(b));
    fisc_agreement_free(b);
    b = load(FULL);
    assert_string_equal(fisc_agreement_hash(a), fisc_agreement_hash(b));
    fiscp_agreement_ref(b);
    fisc_agreement_free(b);
    assert_string_equal(b->id, "yl-hq-2023-007"); /* still held */
    fiscp_agreement_unref(b);
    fisc_agreement_free(a);
    fisc_agreement_free(NULL);
    assert_null(fisc_agreement_id(NULL));
    assert_int_equal(fisc_agreement_finding_count(NULL), 0);
    assert_null(fisc_agreement_finding(NULL, 0));
}

/* ------------------------------------------------------------------ malformed documents */

static void unknown_and_duplicate_keys(void **state)
{
    (void)state;
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amout: \"1000000\"\n    years: [2023, 2024]\n",
               FISC_EPARSE, 17, 5, "terms[0]: unknown key \"amout\" in a term; did you mean \"amount\"?");
    load_fails(HEAD FIXED_TERM "    clause: 第二条\n", FISC_EPARSE, 19, 5, "terms[0]: duplicate key \"clause\" in a term");
    load_fails("fisc_agreement: 1\nid: x\nid: y\n", FISC_EPARSE, 3, 1, "duplicate key \"id\" in an agreement");
    load_fails(HEAD FIXED_TERM "notes: x\n", FISC_EPARSE, 19, 1, "unknown key \"notes\" in an agreement");
    load_fails(HEAD FIXED_TERM "    release: [{metric: output, at_least: \"1\", bye: 2024}]\n", FISC_EPARSE, 19, 47,
               "terms[0].release[0]: unknown key \"bye\" in a condition; did you mean \"by\"?");
}

static void missing_keys(void **state)
{
    (void)state;
    load_fails(HEAD "  - id: t\n    kind: fixed\n    amount: \"1000000\"\n    years: [2023, 2024]\n", FISC_EPARSE,
               14, 5, "terms[0]: \"clause\" is missing");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    years: [2023, 2024]\n", FISC_EPARSE, 14, 5,
               "terms[0]: \"amount\" (or \"amount_wan\") is missing");
    load_fails("fisc_agreement: 1\nid: x\n", FISC_EPARSE, 1, 1, "\"title\" is missing");
    load_fails(HEAD, FISC_EPARSE, 13, 1, "terms: must be a list"); /* terms: (null), at its key */
    load_fails("", FISC_EPARSE, 1, 1, "an agreement document is a YAML mapping");
}

static void wrong_numbers(void **state)
{
    (void)state;
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: 1000000.5\n    years: [2023, 2024]\n",
               FISC_EPARSE, 17, 13, "terms[0].amount: float-typed number 1000000.5: write it as a string");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"5%\"\n    years: [2023, 2024]\n",
               FISC_EPARSE, 17, 13, "terms[0].amount: \"5%\" is a rate");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"-1\"\n    years: [2023, 2024]\n",
               FISC_EPARSE, 17, 13, "terms[0].amount: an amount must be above 0");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"1\"\n    amount_wan: \"1\"\n"
               "    years: [2023, 2024]\n", FISC_EPARSE, 18, 17, "terms[0].amount_wan: give \"amount\" (元) or");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: rate\n    base: output\n    rate: \"120%\"\n"
               "    years: [2023, 2024]\n", FISC_EPARSE, 18, 11, "terms[0].rate: a share or rate must be above 0%");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: rate\n    base: output\n    rate: 0.05\n"
               "    years: [2023, 2024]\n", FISC_EPARSE, 18, 11, "float-typed number 0.05");
    /* 41 digits before the point: beyond fisc_decimal_parse's 40 */
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n"
               "    amount: \"10000000000000000000000000000000000000000\"\n    years: [2023, 2024]\n",
               FISC_EPARSE, 17, 13, "terms[0].amount:");
}

static void shares_must_add_up(void **state)
{
    (void)state;
    /* 40% + 50% = 90% */
    load_fails(HEAD FIXED_TERM "    instalments:\n      - {share: \"40%\"}\n      - {share: \"50%\", after: 1}\n",
               FISC_EPARSE, 20, 10, "terms[0].instalments: the shares add up to 90%, not 100%");
    /* 1/3 + 1/3 + 1/3 = 1 exactly: accepted */
    fisc_agreement_free(load(HEAD FIXED_TERM "    instalments: [{share: \"1/3\"}, {share: \"1/3\", after: 1}, "
                                             "{share: \"1/3\", after: 2}]\n"));
    /* 1/3 + 66.67% = 100.00333...%: refused */
    load_fails(HEAD FIXED_TERM "    instalments: [{share: \"1/3\"}, {share: \"66.67%\", after: 1}]\n", FISC_EPARSE,
               19, 20, "the shares add up to 30001/300%, not 100%");
    load_fails(HEAD FIXED_TERM "    instalments: [{share: \"50%\", after: 11}, {share: \"50%\"}]\n", FISC_EPARSE, 19,
               41, "terms[0].instalments[0].after: \"11\" is not a whole number from 0 to 10");
    load_fails(HEAD FIXED_TERM "    instalments: []\n", FISC_ERANGE, 19, 5, "terms[0].instalments: is empty");
}

static void years_and_dates(void **state)
{
    (void)state;
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"1\"\n    years: [1999, 2024]\n",
               FISC_EPARSE, 18, 13, "terms[0].years: \"1999\" is not a whole number from 2000 to 2100");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"1\"\n    years: [2025, 2024]\n",
               FISC_EPARSE, 18, 13, "terms[0].years: the last year 2024 is before the first 2025");
    /* 2000..2030 is 31 years */
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"1\"\n    years: [2000, 2030]\n",
               FISC_ERANGE, 18, 13, "terms[0].years: covers 31 years; at most 30");
    load_fails(HEAD "  - id: t\n    clause: 第一条\n    kind: fixed\n    amount: \"1\"\n    years: [2024]\n",
               FISC_EPARSE, 18, 13, "terms[0].years: must be a list [first, last]");
    /* two terms 2000 and 2030: the agreement spans 31 years */
    load_fails(HEAD FIXED_TERM "  - {id: u, clause: x, kind: fixed, amount: \"1\", years: [2030, 2030]}\n"
                               "  - {id: v, clause: x, kind: fixed, amount: \"1\", years: [2000, 2000]}\n",
               FISC_ERANGE, 14, 5, "terms: the terms cover 2000..2030, 31 years; at most 30");
    load_fails("fisc_agreement: 1\nid: x\ntitle: {zh: a, en: b}\nsigned: 2023-02-29\n", FISC_EPARSE, 4, 9,
               "signed: \"2023-02-29\" is not a date YYYY-MM-DD from 2000 to 2100");
    load_fails(HEAD FIXED_TERM "    pay_on: 02-29\n", FISC_EPARSE, 19, 13, "terms[0].pay_on: \"02-29\" is not a day");
    load_fails(HEAD FIXED_TERM "    release: [{event: completed, by: 2024-13-01}]\n", FISC_EPARSE, 19, 38,
               "terms[0].release[0].by: \"2024-13-01\" is not a date");
}

/* A list of n items "{metric: output, at_least: \"1\"}" for the release conditions. */
static void too_many(void **state)
{
    char doc[16384];
    size_t n;

    (void)state;
    n = (size_t)snprintf(doc, sizeof(doc), "%s", HEAD);
    for (int i = 0; i < FISCP_AG_MAX_TERMS + 1; i++)
        n += (size_t)snprintf(doc + n, sizeof(doc) - n,
                              "  - {id: t%d, clause: x, kind: fixed, amount: \"1\", years: [2023, 2023]}\n", i);
    load_fails(doc, FISC_ERANGE, 14, 6, "terms: has 33 items; from 1 to 32 are allowed");
    n = (size_t)snprintf(doc, sizeof(doc), "%s%s    release:\n", HEAD, FIXED_TERM);
    for (int i = 0; i < FISCP_AG_MAX_CONDS + 1; i++)
        n += (size_t)snprintf(doc + n, sizeof(doc) - n, "      - {metric: output, at_least: \"%d\"}\n", i);
    load_fails(doc, FISC_ERANGE, 20, 10, "terms[0].release: has 9 items; from 0 to 8 are allowed");
    n = (size_t)snprintf(doc, sizeof(doc), "%s%s    instalments:\n", HEAD, FIXED_TERM);
    for (int i = 0; i < FISCP_AG_MAX_INSTALMENTS + 1; i++)
        n += (size_t)snprintf(doc + n, sizeof(doc) - n, "      - {share: \"1/7\", after: %d}\n", i);
    load_fails(doc, FISC_ERANGE, 20, 10, "terms[0].instalments: has 7 items; from 0 to 6 are allowed");
}

static void conditions(void **state)
{
    (void)state;
    load_fails(HEAD FIXED_TERM "    release: [{metric: headcount, over: cumulative, at_least: 200}]\n", FISC_EPARSE, 19,
               41, "terms[0].release[0].over: headcount is a level at the year's end: it has no cumulative figure");
    load_fails(HEAD FIXED_TERM "    release: [{metric: headcount, at_least: \"200.5\"}]\n", FISC_EPARSE, 19, 45,
               "terms[0].release[0].at_least: headcount is a count: give a whole number");
    load_fails(HEAD FIXED_TERM "    release: [{metric: headcount, at_least_wan: \"2\"}]\n", FISC_EPARSE, 19, 49,
               "terms[0].release[0].at_least_wan: headcount is a count, not money");
    load_fails(HEAD FIXED_TERM "    release: [{metric: outptu, at_least: \"1\"}]\n", FISC_EPARSE, 19, 24,
               "terms[0].release[0].metric: unknown metric \"outptu\"; did you mean \"output\"?");
    load_fails(HEAD FIXED_TERM "    release: [{event: production_start, by: 2024-06-30}]\n", FISC_EPARSE, 19, 23,
               "terms[0].release[0].event: unknown event \"production_start\"; did you mean \"production_started\"?");
    load_fails(HEAD FIXED_TERM "    release: [{metric: output, at_least: \"1\", at_most: \"2\"}]\n", FISC_EPARSE,
               19, 16, "terms[0].release[0]: a metric condition needs one of \"at_least\" and \"at_most\"");
    load_fails(HEAD FIXED_TERM "    release: [{event: completed}]\n", FISC_EPARSE, 19, 16,
               "an event condition needs one of \"by\" and \"absent_until\"");
    load_fails(HEAD FIXED_TERM "    release: [{event: completed, by: 2024-01-01, at_least: \"1\"}]\n", FISC_EPARSE,
               19, 60, "terms[0].release[0].at_least: belongs to metric conditions");
    load_fails(HEAD FIXED_TERM "    release: [{at_least: \"1\"}]\n", FISC_EPARSE, 19, 16,
               "a condition needs one of \"metric\" and \"event\"");
    load_fails(HEAD FIXED_TERM
               "    instalments: [{share: \"1\", conditions: [{metric: output, at_least: \"1\", by: 2024}]}]\n",
               FISC_EPARSE, 19, 81, "terms[0].instalments[0].conditions[0].by: an instalment's conditions are checked");
    load_fails(HEAD FIXED_TERM "    release: [{metric: output, at_least: \"1\", by: 2024.5}]\n", FISC_EPARSE, 19, 51,
               "terms[0].release[0].by: float-typed number 2024.5");
}

static void terms_and_rules(void **state)
{
    (void)state;
    load_fails(HEAD FIXED_TERM FIXED_TERM, FISC_EPARSE, 19, 9, "terms[1].id: two terms have the id \"t\"");
    load_fails(HEAD "  - {id: T, clause: x, kind: fixed, amount: \"1\", years: [2023, 2023]}\n", FISC_EPARSE, 14, 10,
               "terms[0].id: \"T\" is not an id");
    load_fails(HEAD "  - {id: t, clause: x, kind: bonus, amount: \"1\", years: [2023, 2023]}\n", FISC_EPARSE, 14, 30,
               "terms[0].kind: \"bonus\" is not fixed, rate or concession");
    load_fails(HEAD "  - {id: t, clause: x, kind: rate, base: headcount, rate: \"1%\", years: [2023, 2023]}\n",
               FISC_EPARSE, 14, 42, "terms[0].base: headcount is a count");
    load_fails(HEAD "  - {id: t, clause: x, kind: concession, base: output, rate: \"1%\", years: [2023, 2023]}\n",
               FISC_EPARSE, 14, 48, "terms[0].base: a concession's base is rent or land_price");
    load_fails(HEAD "  - {id: t, clause: x, kind: fixed, rate: \"1%\", amount: \"1\", years: [2023, 2023]}\n",
               FISC_EPARSE, 14, 43, "terms[0].rate: a fixed term has no rate");
    load_fails(HEAD FIXED_TERM "combine: [{mode: higher_of, programs: [gx.investment_rewards]}]\n", FISC_EPARSE, 19, 40,
               "combine[0].programs[0]: \"gx.investment_rewards\" is not a program fisc knows");
    load_fails(HEAD FIXED_TERM "combine: [{mode: most, programs: [cn.cit]}]\n", FISC_EPARSE, 19, 18,
               "combine[0].mode: \"most\" is not additive, higher_of or exclusive");
    load_fails(HEAD FIXED_TERM "combine: [{mode: higher_of, programs: [cn.cit], terms: [u]}]\n", FISC_EPARSE, 19, 57,
               "combine[0].terms[0]: no term has the id \"u\"");
    load_fails(HEAD FIXED_TERM
               "combine:\n  - {mode: higher_of, programs: [cn.cit]}\n  - {mode: exclusive, programs: [cn.cit]}\n",
               FISC_EPARSE, 21, 6, "combine[1].terms[0]: term \"t\" is already combined by combine[0]");
    load_fails(HEAD FIXED_TERM "ceiling: {clause: x}\n", FISC_EPARSE, 19, 11, "ceiling: give \"amount\"");
    load_fails(HEAD FIXED_TERM "clawback: {commitments: [], share: \"1\"}\n", FISC_ERANGE, 19, 12,
               "clawback.commitments: has 0 items; from 1 to 8 are allowed");
    load_fails(HEAD FIXED_TERM "clawback: {commitments: [{event: relocated_out, absent_until: 2030-01-01}], "
               "share: \"1\", interest: {rate: \"3%\", basis: 364}}\n",
               FISC_EPARSE, 19, 119, "clawback.interest.basis: the day basis is 360 or 365");
    load_fails(HEAD FIXED_TERM "plan: {2031: {output: \"1\"}}\n", FISC_EPARSE, 19, 8,
               "plan: 2031 is outside the agreement's years 2023..2024");
    load_fails(HEAD FIXED_TERM "plan: {2023: {outpt: \"1\"}}\n", FISC_EPARSE, 19, 15,
               "plan.2023: unknown metric \"outpt\"; did you mean \"output\"?");
}

static void header_values(void **state)
{
    (void)state;
    load_fails("fisc_agreement: 2\n", FISC_EPARSE, 1, 17, "fisc_agreement: format version 2 is not 1");
    load_fails("fisc_agreement: 1\nid: \"a b\"\n", FISC_EPARSE, 2, 5, "id: \"a b\" is not an id");
    load_fails("%YAML 1.2\n---\nfisc_agreement: 1\n", FISC_EPARSE, 1, 1, "YAML directives");
    load_fails("fisc_agreement: 1\nid: [x\n", FISC_EPARSE, 3, 1, "YAML:");
    {
        char doc[] = HEAD FIXED_TERM;
        char *at = strstr(doc, "city_government");

        memcpy(at, "city_governmemt", 15);
        load_fails(doc, FISC_EPARSE, 9, 23, "approval.authority: \"city_governmemt\" is not a value of the policy's "
                   "enumeration agreement_authority; did you mean \"city_government\"?");
    }
    {
        char doc[] = HEAD FIXED_TERM;
        char *at = strstr(doc, "fortune_global_500\n");

        memcpy(at, "fortune_global_501", 18);
        load_fails(doc, FISC_EPARSE, 11, 13, "basis.category: \"fortune_global_501\" is not a value");
    }
    load_fails("fisc_agreement: 1\nid: x\ntitle: {zh: a, en: b}\nsigned: 2023-01-01\nparties:\n  enterprise: "
               "{name: a, uscc: b}\n", FISC_EPARSE, 6, 3, "parties: \"government\" is missing");
}

static void limits_and_arguments(void **state)
{
    fisc_agreement *a = (fisc_agreement *)1;
    fisc_error err = FISC_ERROR_INIT;
    char *big;

    (void)state;
    assert_int_equal(fisc_agreement_load_string(NULL, policy, "x", "", 0, &err), FISC_EINVAL);
    assert_int_equal(fisc_agreement_load_string(&a, NULL, "x", "", 0, &err), FISC_EINVAL);
    assert_int_equal(fisc_agreement_load(&a, policy, "/nonexistent/a.yaml", &err), FISC_ENOTFOUND);
    assert_null(a);
    assert_non_null(big = calloc((1u << 20) + 2, 1));
    memset(big, ' ', (1u << 20) + 1);
    assert_int_equal(fisc_agreement_load_string(&a, policy, "big.yaml", big, (1u << 20) + 1, &err), FISC_ERANGE);
    free(big);
}

/* A policy without policies/35-yulin-agreements.yaml cannot check agreements. */
static void policy_without_agreement_rules(void **state)
{
    fisc_policy *p = fisc_test_load_files(dir, "10-national.yaml");
    fisc_agreement *a = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    assert_int_equal(fisc_agreement_load_string(&a, p, "t.yaml", FULL, strlen(FULL), &err), FISC_ENOTFOUND);
    assert_non_null(strstr(err.text, "agreement.basis.category"));
    assert_null(a);
    fisc_policy_free(p);
}

/* ------------------------------------------------------------------ findings */

static void uscc_findings(void **state)
{
    char doc[] = HEAD FIXED_TERM;
    char *code = strstr(doc, "91450900MA5L800091");
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    /* Σ value_i × 3^(i-1) over 91450900MA5L80009 = 1828; 1828 mod 31 = 30; 31 - 30 = 1: the check
       character is 1, not 2 */
    code[17] = '2';
    a = load(doc);
    f = finding(a, "party.uscc");
    assert_int_equal(f->severity, FISC_SEVERITY_ERROR);
    assert_non_null(strstr(f->message_en, "is '2' but should be '1'"));
    assert_int_equal(f->line, 5);
    assert_int_equal(f->column, 33);
    assert_string_equal(f->param, "");
    assert_int_equal(f->evidence, -1);
    assert_int_equal(fisc_agreement_error_count(a), 1);
    assert_string_equal(a->uscc, "91450900MA5L800092"); /* kept as written */
    fisc_agreement_free(a);
    /* 91450900MA5L800005: the check character is right (Σ value × 3^(i-1) mod 31 gives 5), but the
       organisation code MA5L80000 fails its own GB 11714 check (its check digit should be 9): a warning */
    memcpy(code, "91450900MA5L800005", 18);
    a = load(doc);
    f = finding(a, "party.uscc");
    assert_int_equal(f->severity, FISC_SEVERITY_WARNING);
    assert_non_null(strstr(f->message_en, "GB 11714"));
    assert_int_equal(fisc_agreement_error_count(a), 0);
    fisc_agreement_free(a);
}

/* The evidence of the category, with the parameter and its citation. */
static void basis_rank(void **state)
{
    static const char tail[] = "terms:\n" FIXED_TERM;
    char doc[4096];
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    /* rank 500 is within agreement.basis.rank_limit (500): no finding */
    snprintf(doc, sizeof(doc), "%.*s  evidence: {fortune_global_500_rank: 500, located_in_high_tech_zone: yes}\n%s",
             (int)(strstr(HEAD, "  evidence") - HEAD), HEAD, tail);
    a = load(doc);
    assert_false(has_finding(a, "basis.evidence") || has_finding(a, "basis.category"));
    fisc_agreement_free(a);
    /* rank 501 is not */
    snprintf(doc, sizeof(doc), "%.*s  evidence: {fortune_global_500_rank: 501, located_in_high_tech_zone: yes}\n%s",
             (int)(strstr(HEAD, "  evidence") - HEAD), HEAD, tail);
    a = load(doc);
    f = finding(a, "basis.evidence");
    assert_int_equal(f->severity, FISC_SEVERITY_ERROR);
    assert_string_equal(f->message_en, "rank 501 is beyond the limit 500 of the category fortune_global_500");
    assert_string_equal(f->param, "agreement.basis.rank_limit");
    assert_string_equal(f->document, "玉政办函〔2022〕41号");
    assert_string_equal(f->article, "三(九)");
    assert_int_equal(f->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(f->line, 12);
    assert_int_equal(f->column, 39);
    assert_int_equal(fisc_agreement_error_count(a), 1);
    fisc_agreement_free(a);
    /* no rank given; not in the zone */
    snprintf(doc, sizeof(doc), "%.*s  evidence: {list_year: 2022, located_in_high_tech_zone: no}\n%s",
             (int)(strstr(HEAD, "  evidence") - HEAD), HEAD, tail);
    a = load(doc);
    assert_int_equal(fisc_agreement_error_count(a), 2);
    assert_string_equal(fisc_agreement_finding(a, 0)->message_en, "the category fortune_global_500 rests on the "
                        "evidence fortune_global_500_rank, which the agreement does not give");
    assert_string_equal(fisc_agreement_finding(a, 1)->param, "agreement.basis.in_zone_required");
    assert_non_null(strstr(fisc_agreement_finding(a, 1)->message_en, "must settle in the high-tech zone"));
    fisc_agreement_free(a);
}

static void basis_other_categories(void **state)
{
    static const char tail[] = "terms:\n" FIXED_TERM;
    static const struct {
        const char *basis, *param;
        int errors;
    } cases[] = {
        { "  category: greater_bay_area\n  evidence: {headquarters_city: shenzhen, located_in_high_tech_zone: yes}\n",
          NULL, 0 },
        { "  category: greater_bay_area\n  evidence: {headquarters_city: beijing, located_in_high_tech_zone: yes}\n",
          "agreement.basis.gba_city", 1 },
        { "  category: strategic_emerging_industry\n  evidence: {strategic_emerging_industry_code: \"1.2.1\", "
          "located_in_high_tech_zone: yes}\n", NULL, 0 },
        { "  category: strategic_emerging_industry\n  evidence: {located_in_high_tech_zone: yes}\n",
          "agreement.basis.category", 1 },
        { "  category: china_500\n  evidence: {china_500_rank: 12, located_in_high_tech_zone: yes}\n", NULL, 0 },
    };

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        char doc[4096];
        fisc_agreement *a;

        snprintf(doc, sizeof(doc), "%.*s%s%s", (int)(strstr(HEAD, "  category") - HEAD), HEAD, cases[i].basis, tail);
        a = load(doc);
        assert_int_equal(fisc_agreement_error_count(a), cases[i].errors);
        if (cases[i].param)
            assert_string_equal(finding(a, "basis.evidence")->param, cases[i].param);
        fisc_agreement_free(a);
    }
}

/* Signed the day before the plan (2022-04-25): no category rule is in force. */
static void basis_before_the_plan(void **state)
{
    char doc[] = HEAD FIXED_TERM;
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    memcpy(strstr(doc, "2023-03-15"), "2022-04-24", 10);
    a = load(doc);
    f = finding(a, "basis.category");
    assert_int_equal(f->severity, FISC_SEVERITY_ERROR);
    assert_non_null(strstr(f->message_en, "no rule on the categories of case-by-case support is in force on the "
                                          "signing date 2022-04-24"));
    assert_int_equal(f->line, 11);
    assert_int_equal(f->column, 13);
    fisc_agreement_free(a);
    memcpy(strstr(doc, "2022-04-24"), "2022-04-25", 10);
    a = load(doc);
    assert_false(has_finding(a, "basis.category"));
    fisc_agreement_free(a);
}

#define LFC_TERM                                          \
    "  - id: contribution\n"                              \
    "    clause: 第四条\n"                                \
    "    kind: rate\n"                                    \
    "    base: local_fiscal_contribution\n"               \
    "    rate: \"50%\"\n"                                 \
    "    years: [2024, 2026]\n"

/* The gate of 公平竞争审查条例 第十条 starts on 2024-08-01 (the first day of restricted_base). */
static void legal_gate(void **state)
{
    char doc[] = HEAD FIXED_TERM LFC_TERM;
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    memcpy(strstr(doc, "2023-03-15"), "2024-07-31", 10);
    a = load(doc);
    f = finding(a, "legal.fair_competition");
    assert_int_equal(f->severity, FISC_SEVERITY_NOTE);
    assert_string_equal(f->term, "contribution");
    assert_string_equal(f->message_en, "term contribution computes its reward from local_fiscal_contribution; the "
                        "agreement was signed on 2024-07-31, before 2024-08-01 when 公平竞争审查条例（国务院令第783号，"
                        "2024-06-06公布，2024-08-01施行） (第十条) took effect: the gate did not yet apply");
    assert_string_equal(f->param, "agreement.fair_competition.restricted_base");
    assert_string_equal(f->article, "第十条");
    assert_string_equal(f->url, "http://chndaqi.com/news/351762.html");
    assert_int_equal(f->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_int_equal(f->line, 19);
    assert_int_equal(f->column, 5);
    assert_true(a->terms[1].tax_linked);
    assert_false(a->terms[1].gated);
    assert_false(a->terms[0].tax_linked);
    assert_int_equal(fisc_agreement_error_count(a), 0);
    fisc_agreement_free(a);

    memcpy(strstr(doc, "2024-07-31"), "2024-08-01", 10);
    a = load(doc);
    f = finding(a, "legal.fair_competition");
    assert_int_equal(f->severity, FISC_SEVERITY_ERROR);
    assert_non_null(strstr(f->message_en, "signed on 2024-08-01 (the rule is in force from 2024-08-01)"));
    assert_non_null(strstr(f->message_en, "the term is not paid"));
    assert_non_null(strstr(f->message_zh, "该条款不予兑现"));
    assert_true(a->terms[1].tax_linked);
    assert_true(a->terms[1].gated);
    assert_false(a->terms[0].gated);
    assert_int_equal(fisc_agreement_error_count(a), 1);
    fisc_agreement_free(a);
}

/* A term that cites its legal basis is not gated: the finding asks someone to verify it. */
static void legal_basis_downgrades(void **state)
{
    char doc[] = HEAD FIXED_TERM LFC_TERM "    legal_basis: {document: 国务院关于某事项的批复, article: 第二条}\n";
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    memcpy(strstr(doc, "2023-03-15"), "2025-01-01", 10);
    a = load(doc);
    f = finding(a, "legal.fair_competition");
    assert_int_equal(f->severity, FISC_SEVERITY_WARNING);
    assert_non_null(strstr(f->message_en, "cites 国务院关于某事项的批复 第二条 as the law"));
    assert_true(a->terms[1].tax_linked);
    assert_false(a->terms[1].gated);
    assert_int_equal(fisc_agreement_error_count(a), 0);
    fisc_agreement_free(a);
    load_fails(HEAD FIXED_TERM "    legal_basis: {article: 第二条}\n", FISC_EPARSE, 19, 19,
               "terms[0].legal_basis: \"document\" is missing");
}

/*
 * agreement.approval.limit (PLACEHOLDER, 万元): zone_management_committee 500, city_government 3000,
 * city_government_executive_meeting without limit. Placeholder limits make every shortfall a
 * provisional warning and every pass a provisional note.
 */
static fisc_agreement *with_ceiling(const char *authority, const char *ceiling)
{
    char doc[4096], head[] = HEAD;
    char *at = strstr(head, "city_government}");

    *at = '\0';
    snprintf(doc, sizeof(doc), "%s%s}\n%s%sceiling: {amount: \"%s\"}\n", head, authority, strstr(HEAD, "basis:"),
             FIXED_TERM, ceiling);
    return load(doc);
}

static void approval_authority(void **state)
{
    static const struct {
        const char *authority, *ceiling;
        int severity;
        const char *message;
    } cases[] = {
        /* 3000 万元 = 30000000 元 ≤ the city's 3000 万元 */
        { "city_government", "30000000", FISC_SEVERITY_NOTE,
          "the package's value 30000000 yuan is within what city_government may approve (provisional: the limits are "
          "placeholders, not confirmed)" },
        /* one 分 more needs the executive meeting */
        { "city_government", "30000000.01", FISC_SEVERITY_WARNING,
          "the package's value 30000000.01 yuan needs approval by city_government_executive_meeting, but "
          "city_government approved it (provisional: the limits are placeholders, not confirmed)" },
        { "city_government_executive_meeting", "999999999999", FISC_SEVERITY_NOTE, NULL },
        /* 500 万元 = 5000000 元: the committee may; 5000000.01 needs the city */
        { "zone_management_committee", "5000000", FISC_SEVERITY_NOTE, NULL },
        { "zone_management_committee", "5000000.01", FISC_SEVERITY_WARNING,
          "the package's value 5000000.01 yuan needs approval by city_government, but zone_management_committee "
          "approved it (provisional: the limits are placeholders, not confirmed)" },
    };

    (void)state;
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(cases); i++) {
        fisc_agreement *a = with_ceiling(cases[i].authority, cases[i].ceiling);
        const fisc_finding *f = finding(a, "approval.authority");

        assert_int_equal(f->severity, cases[i].severity);
        if (cases[i].message)
            assert_string_equal(f->message_en, cases[i].message);
        assert_string_equal(f->param, "agreement.approval.limit");
        assert_int_equal(f->evidence, FISC_EVIDENCE_PLACEHOLDER);
        assert_string_equal(f->document, "无已知来源（占位值）");
        assert_int_equal(f->line, 9);
        assert_int_equal(f->column, 23);
        assert_non_null(strstr(f->message_zh, "暂定"));
        assert_int_equal(fisc_agreement_error_count(a), 0);
        fisc_agreement_free(a);
    }
}

static void approval_value_from_caps(void **state)
{
    fisc_agreement *a;
    const fisc_finding *f;

    (void)state;
    /* no ceiling, no cap_total: unknown */
    a = load(HEAD FIXED_TERM);
    f = finding(a, "approval.authority");
    assert_int_equal(f->severity, FISC_SEVERITY_WARNING);
    assert_non_null(strstr(f->message_en, "cannot be checked"));
    assert_string_equal(f->param, "agreement.approval.limit");
    fisc_agreement_free(a);
    /* 20000000 + 10000000.01 = 30000000.01 > 3000 万元 */
    a = load(HEAD FIXED_TERM "    cap_total: \"20000000\"\n"
                             "  - {id: u, clause: x, kind: fixed, amount: \"1\", years: [2023, 2023], "
                             "cap_total: \"10000000.01\"}\n");
    f = finding(a, "approval.authority");
    assert_int_equal(f->severity, FISC_SEVERITY_WARNING);
    assert_non_null(strstr(f->message_en, "30000000.01 yuan needs approval by city_government_executive_meeting"));
    fisc_agreement_free(a);
    /* one term without cap_total: unknown again */
    a = load(HEAD FIXED_TERM "    cap_total: \"20000000\"\n"
                             "  - {id: u, clause: x, kind: fixed, amount: \"1\", years: [2023, 2023]}\n");
    assert_non_null(strstr(finding(a, "approval.authority")->message_en, "cannot be checked"));
    fisc_agreement_free(a);
}

/* Confirmed limits (an overlay): a shortfall is an error, enough authority says nothing. */
static void approval_with_confirmed_limits(void **state)
{
    static const char overlay[] =
        "fisc_policy: 1\nid: test.limits\ntitle: {zh: a, en: b}\noverlay: true\nparameters:\n"
        "  - id: agreement.approval.limit\n    values:\n      - from: 2022-04-25\n        rows:\n"
        "          - {agreement_authority: zone_management_committee, value: \"500\"}\n"
        "          - {agreement_authority: city_government, value: \"3000\"}\n"
        "        status: confirmed\n        citation: {document: 某审批权限规定, article: 第三条}\n";
    char path[] = "/tmp/fisc-limits-XXXXXX", doc[4096], head[] = HEAD;
    fisc_policy *saved = policy, *p = NULL;
    fisc_error err = FISC_ERROR_INIT;
    fisc_agreement *a;
    const fisc_finding *f;
    int fd = mkstemp(path);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;

    (void)state;
    assert_non_null(out);
    assert_int_equal(fwrite(overlay, 1, sizeof(overlay) - 1, out), sizeof(overlay) - 1);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(fisc_policy_load_default(&p, path, &err), FISC_OK);
    unlink(path);
    policy = p;
    /* 30000000.01 元 needs the executive meeting: an error under confirmed limits */
    *strstr(head, "city_government}") = '\0';
    snprintf(doc, sizeof(doc), "%scity_government}\n%s%sceiling: {amount: \"30000000.01\"}\n", head,
             strstr(HEAD, "basis:"), FIXED_TERM);
    a = load(doc);
    f = finding(a, "approval.authority");
    assert_int_equal(f->severity, FISC_SEVERITY_ERROR);
    assert_string_equal(f->message_en, "the package's value 30000000.01 yuan needs approval by "
                                       "city_government_executive_meeting, but city_government approved it");
    assert_int_equal(f->evidence, FISC_EVIDENCE_CONFIRMED);
    assert_string_equal(f->document, "某审批权限规定");
    assert_int_equal(fisc_agreement_error_count(a), 1);
    fisc_agreement_free(a);
    /* exactly 30000000 元: within the limit, no finding */
    snprintf(doc, sizeof(doc), "%scity_government}\n%s%sceiling: {amount: \"30000000\"}\n", head,
             strstr(HEAD, "basis:"), FIXED_TERM);
    a = load(doc);
    assert_false(has_finding(a, "approval.authority"));
    fisc_agreement_free(a);
    policy = saved;
    fisc_policy_free(p);
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

/* A document file of up to 1 MiB is read; one byte more is refused before parsing. */
static void file_size_limit(void **state)
{
    char path[] = "/tmp/fisc-size-XXXXXX";
    fisc_agreement *a = NULL;
    fisc_error err = FISC_ERROR_INIT;

    (void)state;
    comment_file(path, (size_t)1 << 20);
    assert_int_not_equal(fisc_agreement_load(&a, policy, path, &err), FISC_ERANGE);
    fisc_agreement_free(a);
    a = NULL;
    unlink(path);
    strcpy(path, "/tmp/fisc-size-XXXXXX");
    comment_file(path, ((size_t)1 << 20) + 1);
    assert_int_equal(fisc_agreement_load(&a, policy, path, &err), FISC_ERANGE);
    assert_non_null(strstr(err.text, "is larger than 1048576 bytes"));
    assert_null(a);
    unlink(path);
}

/* ------------------------------------------------------------------ JSON */

static void check_json(void **state)
{
    char doc[] = HEAD FIXED_TERM LFC_TERM;
    fisc_agreement *a;
    fisc_error err = FISC_ERROR_INIT;
    char *json = NULL, *outline = NULL, *findings = NULL;

    (void)state;
    memcpy(strstr(doc, "2023-03-15"), "2024-08-01", 10);
    a = load(doc);
    assert_int_equal(fisc_agreement_check_to_json(&json, a, 0, &err), FISC_OK);
    assert_non_null(strstr(json, "{\"schema\":\"fisc-agreement-check/1\",\"fisc_version\":"));
    assert_non_null(strstr(json, "\"agreement\":{\"id\":\"t-1\",\"number\":\"\",\"title\":{\"zh\":\"测试协议\","
                                 "\"en\":\"Test agreement\"},\"enterprise\":\"某公司\",\"uscc\":\"91450900MA5L800091\","
                                 "\"project\":\"项目\",\"signed\":\"2024-08-01\",\"category\":\"fortune_global_500\","
                                 "\"authority\":\"city_government\",\"hash\":\""));
    assert_non_null(strstr(json, "\"first_year\":2023,\"last_year\":2026,\"terms\":[{\"id\":\"t\",\"clause\":\"第一条\","
                                 "\"kind\":\"fixed\",\"years\":[2023,2024],"
                                 "\"caps\":{\"per_year\":null,\"total\":null}},{\"id\":\"contribution\""));
    assert_non_null(strstr(json, "{\"id\":\"legal.fair_competition\",\"severity\":\"error\",\"term\":\"contribution\","
                                 "\"message\":{\"zh\":\""));
    assert_non_null(strstr(json, "\"source\":\"t.yaml\",\"line\":19,\"column\":5,\"param\":"
                                 "\"agreement.fair_competition.restricted_base\",\"citation\":{\"document\":"));
    assert_non_null(strstr(json, "\"status\":\"confirmed\"}"));
    assert_non_null(strstr(json, "],\"error_count\":1}"));
    fisc_string_free(json);
    assert_int_equal(fisc_agreement_check_to_json(&json, a, FISC_JSON_PRETTY, &err), FISC_OK);
    assert_non_null(strstr(json, "{\n  \"schema\": \"fisc-agreement-check/1\",\n"));
    assert_non_null(strstr(json, "\n  \"error_count\": 1\n}\n"));
    fisc_string_free(json);
    assert_int_equal(fiscp_agreement_outline_json(&outline, &findings, a, 1, 1, &err), FISC_OK);
    /* indented for members at depth 1: the outline's own members at depth 2 */
    assert_true(strncmp(outline, "{\n    \"id\": \"t-1\",", strlen("{\n    \"id\": \"t-1\",")) == 0);
    assert_non_null(strstr(outline, "\n    \"terms\": [\n      {\n        \"id\": \"t\","));
    assert_true(strncmp(findings, "[\n    {\n      \"id\": \"legal.fair_competition\"",
                        strlen("[\n    {\n      \"id\": \"legal.fair_competition\"")) == 0);
    assert_true(outline[strlen(outline) - 1] == '}' && outline[strlen(outline) - 3] == ' ');
    fiscp_free(outline);
    fiscp_free(findings);
    assert_int_equal(fisc_agreement_check_to_json(NULL, a, 0, &err), FISC_EINVAL);
    fisc_agreement_free(a);
}

/* ------------------------------------------------------------------ allocation failures */

/* Fail allocation N = 0, 1, 2 ... of loading FULL and writing its report: each run gives FISC_ENOMEM. */
static void oom_sweep(void **state)
{
    long n;

    (void)state;
    for (n = 0; n < 100000; n++) {
        fisc_agreement *a = NULL;
        fisc_error err = FISC_ERROR_INIT;
        char *json = NULL;
        int rc, reached;

        fiscp_alloc_count = 0;
        fiscp_alloc_fail_at = n;
        rc = fisc_agreement_load_string(&a, policy, "oom.yaml", FULL, strlen(FULL), &err);
        if (rc == FISC_OK)
            rc = fisc_agreement_check_to_json(&json, a, FISC_JSON_PRETTY, &err);
        fiscp_alloc_fail_at = -1;
        reached = fiscp_alloc_count > n;
        fisc_string_free(json);
        fisc_agreement_free(a);
        if (!reached) {
            assert_int_equal(rc, FISC_OK);
            break;
        }
        if (rc != FISC_ENOMEM || err.code != FISC_ENOMEM)
            fail_msg("allocation %ld: %s \"%s\", expected FISC_ENOMEM", n, fisc_err_name(rc), err.text);
    }
    assert_true(n > 10);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metrics_are_the_policy_enumeration),
        cmocka_unit_test(full_document),
        cmocka_unit_test(hash_and_references),
        cmocka_unit_test(unknown_and_duplicate_keys),
        cmocka_unit_test(missing_keys),
        cmocka_unit_test(wrong_numbers),
        cmocka_unit_test(shares_must_add_up),
        cmocka_unit_test(years_and_dates),
        cmocka_unit_test(too_many),
        cmocka_unit_test(conditions),
        cmocka_unit_test(terms_and_rules),
        cmocka_unit_test(header_values),
        cmocka_unit_test(limits_and_arguments),
        cmocka_unit_test(policy_without_agreement_rules),
        cmocka_unit_test(uscc_findings),
        cmocka_unit_test(basis_rank),
        cmocka_unit_test(basis_other_categories),
        cmocka_unit_test(basis_before_the_plan),
        cmocka_unit_test(legal_gate),
        cmocka_unit_test(legal_basis_downgrades),
        cmocka_unit_test(approval_authority),
        cmocka_unit_test(approval_value_from_caps),
        cmocka_unit_test(approval_with_confirmed_limits),
        cmocka_unit_test(file_size_limit),
        cmocka_unit_test(check_json),
        cmocka_unit_test(oom_sweep),
    };
    dir = argc > 1 ? argv[1] : "policies";
    return cmocka_run_group_tests_name("agreement_load", tests, group_setup, group_teardown);
}
