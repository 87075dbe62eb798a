/*
 * The policy checks of an agreement (docs/agreement-format.md, "Checks"), run once when it is
 * loaded, and the check report as JSON (schema fisc-agreement-check/1).
 *
 * Each check reads the policy parameters in force on the signing date (policies/35-yulin-agreements.yaml):
 * - party.uscc: the enterprise's credit code (GB 32100-2015 check character);
 * - basis.category / basis.evidence: 玉政办函〔2022〕41号 三(九) — the category is one the policy's
 *   table allows, and its evidence holds (rank within the limit, a city of the Greater Bay Area, an
 *   industry code, settled in the high-tech zone);
 * - legal.fair_competition: 公平竞争审查条例 第十条 (in force 2024-08-01) — a reward computed from a
 *   tax-linked base; an error that gates the term, unless the term cites a legal basis;
 * - approval.authority: the level that may approve the package's value, by a table whose values
 *   are PLACEHOLDERS (no source found): a shortfall is a warning marked provisional until a bureau
 *   confirms the limits, an error only under confirmed limits.
 * What they find is kept as findings; only a missing policy parameter fails the load.
 */
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "textbuf.h"
#include "decimal.h"

/* ------------------------------------------------------------------ parameters */

/* The shape each parameter must have: a table keyed by that enumeration, or a value (NULL). */
static const char *const PARAM_KEYS[AGP_COUNT] = {
    [AGP_CATEGORY] = "agreement_category",
    [AGP_RANK_LIMIT] = "agreement_category",
    [AGP_IN_ZONE_REQUIRED] = NULL,
    [AGP_GBA_CITY] = "gba_city",
    [AGP_RESTRICTED_BASE] = "agreement_base",
    [AGP_APPROVAL_LIMIT] = "agreement_authority",
};

fisc_status fiscp_agreement_resolve(fisc_agreement *a, fisc_error *err)
{
    for (int k = 0; k < AGP_COUNT; k++) {
        const fisc_param *q = fisc_policy_find_param(a->policy, fiscp_ag_param_ids[k]);
        const char *key = PARAM_KEYS[k];

        if (!q)
            return fiscp_error_set(err, FISC_ENOTFOUND,
                                   "the policy has no parameter %s (policies/35-yulin-agreements.yaml): agreements "
                                   "cannot be checked without it", fiscp_ag_param_ids[k]);
        if (key ? q->kind != FISC_PARAM_TABLE || q->nkeys != 1 || strcmp(q->keys[0], key) != 0 ||
                      !fiscp_policy_find_enum(a->policy, key)
                : q->kind != FISC_PARAM_VALUE)
            return fiscp_error_set(err, FISC_EINVAL, "policy parameter %s is not a %s%s", q->id,
                                   key ? "table keyed by " : "value", key ? key : "");
        a->params[k] = q;
    }
    return FISC_OK;
}

/* The entry in force on date, else the nearest one (the first after it, or the last before), or NULL. */
static const fiscp_entry *entry_near(const fisc_param *q, fiscp_date date)
{
    const fiscp_entry *e = fiscp_param_entry_on(q, date);

    for (size_t i = 0; !e && i < q->nentries; i++)
        if (q->entries[i].from > date)
            e = &q->entries[i];
    return e ? e : q->nentries ? &q->entries[q->nentries - 1] : NULL;
}

/* The value of a one-key table's row for key, or NULL. */
static const fisc_decimal *row_value(const fiscp_entry *e, const char *key)
{
    for (size_t i = 0; e && i < e->nrows; i++)
        if (strcmp(e->rows[i].keys[0], key) == 0)
            return &e->rows[i].value;
    return NULL;
}

static int row_yes(const fiscp_entry *e, const char *key)
{
    const fisc_decimal *v = row_value(e, key);

    return v && fisc_decimal_sign(v) > 0;
}

/* ------------------------------------------------------------------ findings */

static const char *keep(fisc_agreement *a, const char *s)
{
    return fiscp_arena_strdup(&a->arena, s ? s : "");
}

fisc_status fiscp_agreement_add_finding(fisc_agreement *a, const char *id, fisc_severity severity, const char *term,
                                        fiscp_ag_pos pos, const fisc_param *param, const fiscp_entry *entry,
                                        const char *zh, const char *en, fisc_error *err)
{
    fisc_finding *f;

    if (a->nfindings == a->findings_alloc) {
        size_t want = a->findings_alloc ? a->findings_alloc * 2 : 8;
        fisc_finding *grown = fiscp_realloc_array(a->findings, want, sizeof(*grown));

        if (!grown)
            return fiscp_error_nomem(err);
        a->findings = grown;
        a->findings_alloc = want;
    }
    f = &a->findings[a->nfindings];
    memset(f, 0, sizeof(*f));
    f->id = keep(a, id);
    f->severity = (int)severity;
    f->term = keep(a, term);
    f->message_zh = keep(a, zh);
    f->message_en = keep(a, en);
    f->source = a->source;
    f->line = pos.line;
    f->column = pos.column;
    f->param = param ? param->id : "";
    f->document = entry ? entry->pub.document : "";
    f->article = entry ? entry->pub.article : "";
    f->url = entry ? entry->pub.url : "";
    f->evidence = entry ? entry->pub.evidence : -1;
    if (!f->id || !f->term || !f->message_zh || !f->message_en)
        return fiscp_error_nomem(err);
    a->nfindings++;
    if (severity == FISC_SEVERITY_ERROR)
        a->nerrors++;
    return FISC_OK;
}

/* A finding whose messages are formatted here (each at most 512 bytes). */
typedef struct finding_text {
    char zh[512], en[512];
} finding_text;

static fisc_status add(fisc_agreement *a, const char *id, fisc_severity sev, const char *term, fiscp_ag_pos pos,
                       int param, const fiscp_entry *e, const finding_text *t, fisc_error *err)
{
    return fiscp_agreement_add_finding(a, id, sev, term, pos, param >= 0 ? a->params[param] : NULL, e, t->zh, t->en,
                                       err);
}

/* Exact text of v ("30000000", "1/3") into buf, or "?" when it does not fit. */
static const char *num(char *buf, size_t size, const fisc_decimal *v)
{
    char *s = NULL;

    if (fiscp_decimal_write(buf, size, v) >= 0)
        return buf;
    if (fisc_decimal_to_string(&s, v, NULL, NULL, NULL) == FISC_OK)
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "?");
    fisc_string_free(s);
    return buf;
}

/* Text from the document for a message: at most 64 bytes, cut on a character boundary. */
static const char *clip(const char *s, char q[64])
{
    fiscp_quote(q, 64, s, strlen(s));
    return q;
}

static void day_text(char buf[11], fiscp_date d)
{
    fiscp_date_format(buf, d);
}

/* ------------------------------------------------------------------ party.uscc */

/* What each warning of the uscc module means: "<before> CODE <after>". */
static const struct {
    unsigned bit;
    fisc_severity severity;
    const char *zh[2], *en[2];
} USCC_WARNINGS[] = {
    { FISC_USCC_WARN_NORMALIZED, FISC_SEVERITY_NOTE,
      { "统一社会信用代码书写不规范（空格、连字符、全角或小写），已按 ", " 读取" },
      { "the credit code was written with spaces, hyphens, full-width or lower-case characters; read as ", "" } },
    { FISC_USCC_WARN_ORG_CODE, FISC_SEVERITY_WARNING,
      { "统一社会信用代码 ", " 中的组织机构代码（第9-17位）校验位不符（GB 11714），请核对" },
      { "the organisation code in ", " (characters 9-17) fails its GB 11714 check: verify the code" } },
    { FISC_USCC_WARN_CATEGORY, FISC_SEVERITY_WARNING,
      { "统一社会信用代码 ", " 的登记管理部门码和机构类别码组合不常见，请核对" },
      { "the registration authority and category codes of ", " are not a known pair: verify the code" } },
};

static fisc_status uscc_finding(fisc_agreement *a, fisc_severity sev, const finding_text *t, fisc_error *err)
{
    fisc_status rc = add(a, "party.uscc", sev, "", a->pos_uscc, -1, NULL, t, err);

    if (rc == FISC_OK)
        a->findings[a->nfindings - 1].document = "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》";
    return rc;
}

static fisc_status check_uscc(fisc_agreement *a, fisc_error *err)
{
    fisc_uscc u;
    fisc_error ue = FISC_ERROR_INIT;
    finding_text t;
    char q[64];
    fisc_status rc = FISC_OK;

    if (fisc_uscc_check(&u, a->uscc, &ue) != FISC_OK) {
        snprintf(t.zh, sizeof(t.zh), "统一社会信用代码 %s 无效：%s", clip(a->uscc, q), ue.text);
        snprintf(t.en, sizeof(t.en), "the credit code %s is not valid: %s", q, ue.text);
        return uscc_finding(a, FISC_SEVERITY_ERROR, &t, err);
    }
    if (!(a->uscc = keep(a, u.code)))
        return fiscp_error_nomem(err);
    for (size_t k = 0; rc == FISC_OK && k < FISCP_ARRAY_SIZE(USCC_WARNINGS); k++) {
        if (!(u.warnings & USCC_WARNINGS[k].bit))
            continue;
        snprintf(t.zh, sizeof(t.zh), "%s%s%s", USCC_WARNINGS[k].zh[0], u.code, USCC_WARNINGS[k].zh[1]);
        snprintf(t.en, sizeof(t.en), "%s%s%s", USCC_WARNINGS[k].en[0], u.code, USCC_WARNINGS[k].en[1]);
        rc = uscc_finding(a, USCC_WARNINGS[k].severity, &t, err);
    }
    return rc;
}

/* ------------------------------------------------------------------ basis */

static const struct {
    const char *id, *zh;
} NAMES_ZH[] = {
    { "fortune_global_500", "世界500强企业" }, { "china_500", "中国500强企业" },
    { "greater_bay_area", "粤港澳大湾区企业" }, { "strategic_emerging_industry", "战略性新兴产业" },
    { "zone_management_committee", "高新区管委会" }, { "city_government", "市人民政府" },
    { "city_government_executive_meeting", "市人民政府常务会议" },
};

static const char *zh_name(const char *id)
{
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(NAMES_ZH); i++)
        if (strcmp(NAMES_ZH[i].id, id) == 0)
            return NAMES_ZH[i].zh;
    return id;
}

static const fiscp_ag_evidence *evidence(const fisc_agreement *a, const char *name)
{
    for (size_t i = 0; i < a->nevidence; i++)
        if (strcmp(a->evidence[i].name, name) == 0)
            return &a->evidence[i];
    return NULL;
}

/* A piece of evidence the category needs is not given. */
static fisc_status evidence_missing(fisc_agreement *a, const char *name, int param, const fiscp_entry *e,
                                    fisc_error *err)
{
    finding_text t;

    snprintf(t.zh, sizeof(t.zh), "项目类别“%s”需要证据 %s，协议未给出", zh_name(a->category), name);
    snprintf(t.en, sizeof(t.en), "the category %s rests on the evidence %s, which the agreement does not give",
             a->category, name);
    return add(a, "basis.evidence", FISC_SEVERITY_ERROR, "", a->pos_category, param, e, &t, err);
}

/* fortune_global_500_rank / china_500_rank within agreement.basis.rank_limit, when the table has a row. */
static fisc_status check_rank(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_RANK_LIMIT];
    const fiscp_entry *e = fiscp_param_entry_on(q, a->signed_on);
    const fisc_decimal *limit = row_value(e, a->category);
    const fiscp_ag_evidence *ev;
    char name[64], lim[48];
    fisc_decimal rank;
    fisc_error perr = FISC_ERROR_INIT;
    finding_text t;

    if (!limit)
        return FISC_OK;
    snprintf(name, sizeof(name), "%s_rank", a->category);
    if (!(ev = evidence(a, name)))
        return evidence_missing(a, name, AGP_RANK_LIMIT, e, err);
    fisc_decimal_init(&rank);
    if (fisc_decimal_parse(&rank, ev->value, FISC_PARSE_PLAIN, &perr) != FISC_OK) /* a whole number when read */
        return perr.code == FISC_ENOMEM ? fiscp_error_nomem(err) : fiscp_error_set(err, FISC_EINVAL, "evidence %s: %s",
                                                                                    name, perr.text);
    if (fisc_decimal_cmp(&rank, limit) <= 0)
        return FISC_OK;
    num(lim, sizeof(lim), limit);
    snprintf(t.zh, sizeof(t.zh), "榜单名次 %s 超出“%s”的名次上限 %s", ev->value, zh_name(a->category), lim);
    snprintf(t.en, sizeof(t.en), "rank %s is beyond the limit %s of the category %s", ev->value, lim, a->category);
    return add(a, "basis.evidence", FISC_SEVERITY_ERROR, "", ev->pos, AGP_RANK_LIMIT, e, &t, err);
}

/* headquarters_city: a city of agreement.basis.gba_city. */
static fisc_status check_gba(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_GBA_CITY];
    const fiscp_entry *e = fiscp_param_entry_on(q, a->signed_on);
    const fiscp_ag_evidence *ev = evidence(a, "headquarters_city");
    char list[256] = "", city[64];
    finding_text t;

    if (!ev)
        return evidence_missing(a, "headquarters_city", AGP_GBA_CITY, e ? e : entry_near(q, a->signed_on), err);
    if (row_yes(e, ev->value))
        return FISC_OK;
    for (size_t i = 0; e && i < e->nrows; i++)
        if (fisc_decimal_sign(&e->rows[i].value) > 0)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? ", " : "", e->rows[i].keys[0]);
    snprintf(t.zh, sizeof(t.zh), "总部所在城市 %s 不是粤港澳大湾区城市（%s）", clip(ev->value, city), list);
    snprintf(t.en, sizeof(t.en), "the headquarters city %s is not a city of the Greater Bay Area (%s)", city, list);
    return add(a, "basis.evidence", FISC_SEVERITY_ERROR, "", ev->pos, AGP_GBA_CITY, e ? e : entry_near(q, a->signed_on),
               &t, err);
}

/* strategic_emerging_industry_code: present (《战略性新兴产业分类（2018）》). */
static fisc_status check_industry(fisc_agreement *a, fisc_error *err)
{
    if (evidence(a, "strategic_emerging_industry_code"))
        return FISC_OK;
    return evidence_missing(a, "strategic_emerging_industry_code", AGP_CATEGORY,
                            entry_near(a->params[AGP_CATEGORY], a->signed_on), err);
}

static const struct {
    const char *category;
    fisc_status (*check)(fisc_agreement *, fisc_error *);
} CATEGORY_EVIDENCE[] = {
    { "fortune_global_500", check_rank },
    { "china_500", check_rank },
    { "greater_bay_area", check_gba },
    { "strategic_emerging_industry", check_industry },
};

/* located_in_high_tech_zone: yes, when agreement.basis.in_zone_required says so. */
static fisc_status check_zone(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_IN_ZONE_REQUIRED];
    const fiscp_entry *e = fiscp_param_entry_on(q, a->signed_on);
    const fiscp_ag_evidence *ev = evidence(a, "located_in_high_tech_zone");
    finding_text t;

    if (!e || fisc_decimal_sign(&e->value) <= 0 || (ev && strcmp(ev->value, "yes") == 0))
        return FISC_OK;
    if (!ev)
        return evidence_missing(a, "located_in_high_tech_zone", AGP_IN_ZONE_REQUIRED, e, err);
    snprintf(t.zh, sizeof(t.zh), "项目须在高新区入驻落户，证据 located_in_high_tech_zone 为 no");
    snprintf(t.en, sizeof(t.en), "the project must settle in the high-tech zone, but located_in_high_tech_zone is no");
    return add(a, "basis.evidence", FISC_SEVERITY_ERROR, "", ev->pos, AGP_IN_ZONE_REQUIRED, e, &t, err);
}

static fisc_status check_basis(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_CATEGORY];
    const fiscp_entry *e = fiscp_param_entry_on(q, a->signed_on);
    char day[11];
    finding_text t;
    fisc_status rc;

    day_text(day, a->signed_on);
    if (!row_yes(e, a->category)) {
        if (e) {
            snprintf(t.zh, sizeof(t.zh), "签订日 %s 适用的政策不允许以“%s”类别“一事一议”", day, zh_name(a->category));
            snprintf(t.en, sizeof(t.en), "the policy in force on the signing date %s does not allow the category %s",
                     day, a->category);
        } else {
            snprintf(t.zh, sizeof(t.zh), "签订日 %s 没有有效的“一事一议”项目类别规定", day);
            snprintf(t.en, sizeof(t.en), "no rule on the categories of case-by-case support is in force on the "
                     "signing date %s", day);
        }
        return add(a, "basis.category", FISC_SEVERITY_ERROR, "", a->pos_category, AGP_CATEGORY,
                   e ? e : entry_near(q, a->signed_on), &t, err);
    }
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(CATEGORY_EVIDENCE); i++)
        if (strcmp(CATEGORY_EVIDENCE[i].category, a->category) == 0 &&
            (rc = CATEGORY_EVIDENCE[i].check(a, err)) != FISC_OK)
            return rc;
    return check_zone(a, err);
}

/* ------------------------------------------------------------------ legal.fair_competition */

static fisc_status legal_finding(fisc_agreement *a, fiscp_ag_term *t, const fiscp_entry *e, int in_force,
                                 fisc_error *err)
{
    const char *base = fiscp_ag_metrics[t->base].name, *base_zh = fiscp_ag_metrics[t->base].label_zh;
    fisc_severity sev = FISC_SEVERITY_NOTE;
    char day[11], from[11];
    finding_text m;

    day_text(day, a->signed_on);
    day_text(from, e->from);
    if (!in_force && a->signed_on < e->from) {
        snprintf(m.zh, sizeof(m.zh), "条款 %s 按%s计算奖励；协议签订于 %s，早于 %s（%s）施行的 %s，该审查规则当时尚未适用",
                 t->id, base_zh, day, e->pub.document, e->pub.article, from);
        snprintf(m.en, sizeof(m.en), "term %s computes its reward from %s; the agreement was signed on %s, before %s "
                 "when %s (%s) took effect: the gate did not yet apply", t->id, base, day, from, e->pub.document,
                 e->pub.article);
    } else if (!in_force) {
        snprintf(m.zh, sizeof(m.zh), "条款 %s 按%s计算奖励；协议签订于 %s，%s（%s）已不再施行", t->id, base_zh, day,
                 e->pub.document, e->pub.article);
        snprintf(m.en, sizeof(m.en),
                 "term %s computes its reward from %s; the agreement was signed on %s, when %s (%s) "
                 "was no longer in force: the gate did not apply", t->id, base, day, e->pub.document, e->pub.article);
    } else if (t->legal_basis_document) {
        sev = FISC_SEVERITY_WARNING;
        snprintf(m.zh, sizeof(m.zh), "条款 %s 按%s计算奖励；协议援引 %s %s 作为法律、行政法规或国务院批准的依据，"
                 "请核实（%s %s）", t->id, base_zh, t->legal_basis_document, t->legal_basis_article, e->pub.document,
                 e->pub.article);
        snprintf(m.en, sizeof(m.en), "term %s computes its reward from %s; the agreement cites %s %s as the law, "
                 "administrative regulation or State Council approval that allows it: verify it (%s %s)", t->id, base,
                 t->legal_basis_document, t->legal_basis_article, e->pub.document, e->pub.article);
    } else {
        sev = FISC_SEVERITY_ERROR;
        t->gated = 1;
        snprintf(m.zh, sizeof(m.zh), "条款 %s 按%s计算奖励；协议签订于 %s（%s 起施行），没有法律、行政法规或国务院批准的"
                 "依据，不得给予此类奖励（%s %s），该条款不予兑现", t->id, base_zh, day, from, e->pub.document,
                 e->pub.article);
        snprintf(m.en, sizeof(m.en), "term %s computes its reward from %s in an agreement signed on %s (the rule is "
                 "in force from %s); without a law, administrative regulation or State Council approval such a "
                 "reward is not allowed (%s %s): the term is not paid", t->id, base, day, from, e->pub.document,
                 e->pub.article);
    }
    return add(a, "legal.fair_competition", sev, t->id, t->pos, AGP_RESTRICTED_BASE, e, &m, err);
}

static fisc_status check_legal(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_RESTRICTED_BASE];
    const fiscp_entry *now = fiscp_param_entry_on(q, a->signed_on);
    const fiscp_entry *ref = now ? now : entry_near(q, a->signed_on);
    fisc_status rc;

    for (size_t i = 0; ref && i < a->nterms; i++) {
        fiscp_ag_term *t = &a->terms[i];

        if (t->base < 0 || !row_yes(ref, fiscp_ag_metrics[t->base].name))
            continue;
        t->tax_linked = 1;
        if ((rc = legal_finding(a, t, ref, now != NULL, err)) != FISC_OK)
            return rc;
    }
    return FISC_OK;
}

/* ------------------------------------------------------------------ approval.authority */

/* The package's value: the ceiling amount, else the sum of the terms' cap_total when each has one. */
static fisc_status package_value(const fisc_agreement *a, fisc_decimal *out, int *known, fisc_error *err)
{
    fisc_status rc = FISC_OK;

    *known = 1;
    if (a->has_ceiling_amount)
        return fisc_decimal_set(out, &a->ceiling_amount, err);
    for (size_t i = 0; i < a->nterms && rc == FISC_OK; i++) {
        if (!a->terms[i].has_cap_total) {
            *known = 0;
            return FISC_OK;
        }
        rc = fisc_decimal_add(out, out, &a->terms[i].cap_total, err);
    }
    return rc;
}

/* The limit of level in 元 into out; 0 when the level has no row (no limit). */
static int level_limit(const fisc_param *q, const fiscp_entry *e, const char *level, fisc_decimal *out)
{
    const fisc_decimal *v = row_value(e, level);

    if (!v)
        return 0;
    fisc_decimal_set_int(out, q->unit == UNIT_WAN ? 10000 : 1);
    return fisc_decimal_mul(out, out, v, NULL) == FISC_OK ? 1 : -1;
}

/* The index of the lowest level of the enumeration whose limit reaches value, or -1 when none does. */
static int required_level(const fisc_agreement *a, const fiscp_enum *levels, const fiscp_entry *e,
                          const fisc_decimal *value, fisc_decimal *limit)
{
    const fisc_param *q = a->params[AGP_APPROVAL_LIMIT];

    for (size_t i = 0; i < levels->n; i++) {
        int has = level_limit(q, e, levels->values[i], limit);

        if (has < 0)
            return -2;
        if (has == 0 || fisc_decimal_cmp(limit, value) >= 0)
            return (int)i;
    }
    return -1;
}

static int level_index(const fiscp_enum *levels, const char *value)
{
    for (size_t i = 0; i < levels->n; i++)
        if (strcmp(levels->values[i], value) == 0)
            return (int)i;
    return -1;
}

static fisc_status approval_unknown(fisc_agreement *a, const fiscp_entry *e, fisc_error *err)
{
    finding_text t;

    snprintf(t.zh, sizeof(t.zh), "无法核对审批权限：协议既无总额上限金额（ceiling.amount），也未给每个条款设定 cap_total");
    snprintf(t.en, sizeof(t.en), "the approval authority cannot be checked: the package's value is unknown (no "
             "ceiling amount, and not every term has a cap_total)");
    return add(a, "approval.authority", FISC_SEVERITY_WARNING, "", a->pos_authority, AGP_APPROVAL_LIMIT, e, &t, err);
}

static fisc_status approval_finding(fisc_agreement *a, const fiscp_enum *levels, const fiscp_entry *e, int need,
                                    const fisc_decimal *value, fisc_error *err)
{
    int provisional = e->pub.evidence != FISC_EVIDENCE_CONFIRMED, enough = need >= 0 &&
                      level_index(levels, a->authority) >= need;
    const char *pz = provisional ? "（暂定：审批限额为占位值，未经核实）" : "";
    const char *pe = provisional ? " (provisional: the limits are placeholders, not confirmed)" : "";
    const char *needed = need >= 0 ? levels->values[need] : "";
    char v[64];
    finding_text t;

    num(v, sizeof(v), value);
    if (enough && !provisional)
        return FISC_OK;
    if (enough) {
        snprintf(t.zh, sizeof(t.zh), "一事一议总额 %s 元由%s审批，在其权限内%s", v, zh_name(a->authority), pz);
        snprintf(t.en, sizeof(t.en), "the package's value %s yuan is within what %s may approve%s", v,
                 a->authority, pe);
        return add(a, "approval.authority", FISC_SEVERITY_NOTE, "", a->pos_authority, AGP_APPROVAL_LIMIT, e, &t, err);
    }
    if (need >= 0) {
        snprintf(t.zh, sizeof(t.zh), "一事一议总额 %s 元须由%s审批，协议由%s审批%s", v, zh_name(needed),
                 zh_name(a->authority), pz);
        snprintf(t.en, sizeof(t.en), "the package's value %s yuan needs approval by %s, but %s approved it%s", v,
                 needed,
                 a->authority, pe);
    } else {
        snprintf(t.zh, sizeof(t.zh), "一事一议总额 %s 元超出任何审批层级的权限%s", v, pz);
        snprintf(t.en, sizeof(t.en), "the package's value %s yuan exceeds what any level may approve%s", v, pe);
    }
    return add(a, "approval.authority", provisional ? FISC_SEVERITY_WARNING : FISC_SEVERITY_ERROR, "", a->pos_authority,
               AGP_APPROVAL_LIMIT, e, &t, err);
}

static fisc_status check_approval(fisc_agreement *a, fisc_error *err)
{
    const fisc_param *q = a->params[AGP_APPROVAL_LIMIT];
    const fiscp_entry *e = fiscp_param_entry_on(q, a->signed_on);
    const fiscp_enum *levels = fiscp_policy_find_enum(a->policy, q->keys[0]);
    fisc_decimal value, limit;
    int known = 0, need;
    fisc_status rc;

    fisc_decimal_init(&value);
    fisc_decimal_init(&limit);
    rc = package_value(a, &value, &known, err);
    if (rc == FISC_OK && (!known || !e)) {
        rc = approval_unknown(a, e ? e : entry_near(q, a->signed_on), err);
    } else if (rc == FISC_OK) {
        need = required_level(a, levels, e, &value, &limit);
        rc = need == -2 ? fiscp_error_nomem(err) : approval_finding(a, levels, e, need, &value, err);
    }
    fisc_decimal_clear(&value);
    fisc_decimal_clear(&limit);
    return rc == FISC_ENOMEM ? fiscp_error_nomem(err) : rc;
}

fisc_status fiscp_agreement_check(fisc_agreement *a, fisc_error *err)
{
    fisc_status rc;

    if ((rc = check_uscc(a, err)) != FISC_OK || (rc = check_basis(a, err)) != FISC_OK ||
        (rc = check_legal(a, err)) != FISC_OK)
        return rc;
    return check_approval(a, err);
}

/* ------------------------------------------------------------------ JSON */

typedef fiscp_buf json;

static void put_int(json *j, long v)
{
    char b[24];

    snprintf(b, sizeof(b), "%ld", v);
    fiscp_buf_put(j, b);
}

static void kv_str(json *j, const char *k, const char *v, int first)
{
    fiscp_json_key(j, k, first);
    fiscp_buf_json_string(j, v);
}

static void kv_int(json *j, const char *k, long v, int first)
{
    fiscp_json_key(j, k, first);
    put_int(j, v);
}

static void kv_label(json *j, const char *k, const char *zh, const char *en, int first)
{
    fiscp_json_key(j, k, first);
    fiscp_json_open(j, "{");
    kv_str(j, "zh", zh, 1);
    kv_str(j, "en", en, 0);
    fiscp_json_close(j, "}");
}

/* Money as a string: two decimals when it has no more, else exact; null when absent. */
static void kv_money(json *j, const char *k, const fisc_decimal *v, int has, int first)
{
    fiscp_json_key(j, k, first);
    if (has)
        fiscp_buf_money(j, v, 0, 1);
    else
        fiscp_buf_put(j, "null");
}

static const char *const KIND_NAMES[] = { [AGT_FIXED] = "fixed", [AGT_RATE] = "rate", [AGT_CONCESSION] = "concession" };
static const char *const SEVERITY_NAMES[] = { "error", "warning", "note" };
static const char *const EVIDENCE_NAMES[] = { "confirmed", "unconfirmed", "placeholder" };

static void json_term(json *j, const fiscp_ag_term *t)
{
    fiscp_json_open(j, "{");
    kv_str(j, "id", t->id, 1);
    kv_str(j, "clause", t->clause, 0);
    kv_str(j, "kind", KIND_NAMES[t->kind], 0);
    fiscp_json_key(j, "years", 0);
    fiscp_buf_put(j, "[");
    put_int(j, t->first_year);
    fiscp_buf_put(j, j->pretty ? ", " : ",");
    put_int(j, t->last_year);
    fiscp_buf_put(j, "]");
    fiscp_json_key(j, "caps", 0);
    fiscp_json_open(j, "{");
    kv_money(j, "per_year", &t->cap_year, t->has_cap_year, 1);
    kv_money(j, "total", &t->cap_total, t->has_cap_total, 0);
    fiscp_json_close(j, "}");
    fiscp_json_close(j, "}");
}

static void json_outline(json *j, const fisc_agreement *a)
{
    char day[11];

    day_text(day, a->signed_on);
    fiscp_json_open(j, "{");
    kv_str(j, "id", a->id, 1);
    kv_str(j, "number", a->number, 0);
    kv_label(j, "title", a->title_zh, a->title_en, 0);
    kv_str(j, "enterprise", a->enterprise, 0);
    kv_str(j, "uscc", a->uscc, 0);
    kv_str(j, "project", a->project, 0);
    kv_str(j, "signed", day, 0);
    kv_str(j, "category", a->category, 0);
    kv_str(j, "authority", a->authority, 0);
    kv_str(j, "hash", a->hash, 0);
    kv_int(j, "first_year", a->first_year, 0);
    kv_int(j, "last_year", a->last_year, 0);
    fiscp_json_key(j, "terms", 0);
    fiscp_json_open(j, "[");
    for (size_t i = 0; i < a->nterms; i++) {
        if (i)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        json_term(j, &a->terms[i]);
    }
    fiscp_json_close(j, "]");
    fiscp_json_close(j, "}");
}

static void json_finding(json *j, const fisc_finding *f)
{
    fiscp_json_open(j, "{");
    kv_str(j, "id", f->id, 1);
    kv_str(j, "severity", SEVERITY_NAMES[f->severity], 0);
    kv_str(j, "term", f->term, 0);
    kv_label(j, "message", f->message_zh, f->message_en, 0);
    kv_str(j, "source", f->source, 0);
    fiscp_json_key(j, "line", 0);
    f->line > 0 ? put_int(j, f->line) : fiscp_buf_put(j, "null");
    fiscp_json_key(j, "column", 0);
    f->column > 0 ? put_int(j, f->column) : fiscp_buf_put(j, "null");
    kv_str(j, "param", f->param, 0);
    fiscp_json_key(j, "citation", 0);
    fiscp_json_open(j, "{");
    kv_str(j, "document", f->document, 1);
    kv_str(j, "article", f->article, 0);
    kv_str(j, "url", f->url, 0);
    fiscp_json_close(j, "}");
    fiscp_json_key(j, "status", 0);
    f->evidence >= 0 && f->evidence < 3 ? fiscp_buf_json_string(j, EVIDENCE_NAMES[f->evidence]) : fiscp_buf_put(j, "null");
    fiscp_json_close(j, "}");
}

static void json_findings(json *j, const fisc_agreement *a)
{
    fiscp_json_open(j, "[");
    for (size_t i = 0; i < a->nfindings; i++) {
        if (i)
            fiscp_buf_put(j, ",");
        fiscp_json_nl(j);
        json_finding(j, &a->findings[i]);
    }
    if (a->nfindings)
        fiscp_json_close(j, "]");
    else {
        j->depth--;
        fiscp_buf_put(j, "]");
    }
}

fisc_status fiscp_agreement_outline_json(char **outline, char **findings, const fisc_agreement *a, int pretty,
                                         int depth, fisc_error *err)
{
    json o = { NULL, 0, 0, 0, pretty != 0, depth }, f = { NULL, 0, 0, 0, pretty != 0, depth };

    *outline = *findings = NULL;
    json_outline(&o, a);
    json_findings(&f, a);
    if (o.failed || f.failed) {
        fiscp_free(o.p);
        fiscp_free(f.p);
        return fiscp_error_nomem(err);
    }
    *outline = o.p;
    *findings = f.p;
    return FISC_OK;
}

fisc_status fisc_agreement_check_to_json(char **out, const fisc_agreement *a, unsigned flags, fisc_error *err)
{
    json j = { NULL, 0, 0, 0, (flags & FISC_JSON_PRETTY) != 0, 0 };

    fiscp_error_reset(err);
    if (!out || !a)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_agreement_check_to_json: NULL argument");
    *out = NULL;
    fiscp_json_open(&j, "{");
    kv_str(&j, "schema", "fisc-agreement-check/1", 1);
    kv_str(&j, "fisc_version", fisc_version_string(), 0);
    fiscp_json_key(&j, "policy", 0);
    fiscp_json_open(&j, "{");
    kv_str(&j, "hash", a->policy->hash, 1);
    fiscp_json_close(&j, "}");
    fiscp_json_key(&j, "agreement", 0);
    json_outline(&j, a);
    fiscp_json_key(&j, "findings", 0);
    json_findings(&j, a);
    kv_int(&j, "error_count", (long)a->nerrors, 0);
    fiscp_json_close(&j, "}");
    if (j.pretty)
        fiscp_buf_put(&j, "\n");
    if (j.failed) {
        fiscp_free(j.p);
        return fiscp_error_nomem(err);
    }
    *out = j.p;
    return FISC_OK;
}
