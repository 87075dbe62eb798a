/*
 * Program yulin.platform_subsidy: Yulin's subsidy for a newly recognized or upgraded innovation platform.
 *
 * 《玉林市支持科技创新平台发展暂行办法》(玉政办规〔2017〕5号), policy-params.md §2.1: a 重点实验室, 工程技术
 * 研究中心, 企业技术中心, 新型研发机构, 孵化器, 众创空间 or 大学科技园 recognized at the national, autonomous-
 * region or city level gets a subsidy. UNCONFIRMED (the text was not obtained): every amount (the table
 * yulin.platform_subsidy.amount holds placeholders, so every result that reads it is provisional) and
 * whether an upgrade pays only the difference (补差额: the placeholder yes/no
 * yulin.platform_subsidy.upgrade_pays_difference). With the rule, an upgrade pays the new level's amount
 * less the amount already received for the previous level (platform_previous_amount), never below zero;
 * without it, the new level's amount.
 *
 * 玉林市科学技术局 2023 科技创新平台培育库 notice (2023-02-10, CONFIRMED, §2.1): the host's 注册登记关系,
 * 税收征纳关系 and 统计关系 must all be in 玉林, and "符合条件但未入库的，不得享受相关政策支持" (the 培育库
 * gate, yulin.platform_subsidy.pool_required, in force from the notice's date). The three relationship
 * conditions are applied in every year; before 2023 they are an assumption (a city subsidy for a Yulin
 * enterprise), UNCONFIRMED.
 *
 * 桂政办发〔2021〕81号 (三) (§3.1, CONFIRMED cap only): for a 新型研发机构 located inside a 高新区 the
 * subsidy is at most gx.new_rd_institution.max_subsidy (500万元), from 2021-08-04. 81号 caps the Guangxi
 * subsidy for a newly recognized autonomous-region institution; applying it to the Yulin amount at every
 * level follows the task, and is UNCONFIRMED. The cap bounds the new level's amount before the
 * difference is taken (a cumulative cap).
 *
 * "Newly recognized" is read as recognized in the evaluated year, up to the period's last day.
 */
#include "engine.h"

static const char *const PARAMS[] = { "yulin.platform_subsidy.amount", "yulin.platform_subsidy.upgrade_pays_difference",
                                      "yulin.platform_subsidy.pool_required", "gx.new_rd_institution.max_subsidy" };
enum { P_TABLE, P_DIFFERENCE, P_POOL, P_CAP, P_COUNT };

/* The values of the facts platform_type and platform_level, in the order of their vocabulary, which are
 * also the values of the policy's enumerations platform_type and platform_level. */
static const char *const TYPES[] = { "key_laboratory", "engineering_center", "enterprise_technology_center",
                                     "new_rd_institution", "incubator", "maker_space", "university_science_park" };
enum { TYPE_NEW_RD = 3, TYPE_NONE = 7 };
static const char *const LEVELS[] = { "national", "regional", "city" };
enum { LEVEL_NONE = 3 };

static const char *date_text(fiscp_ctx *c, fiscp_date d)
{
    return fiscp_ctx_printf(c, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

static const char *yes_no(int s)
{
    return s < 0 ? "unknown" : s ? "yes" : "no";
}

static fisc_status not_eligible(fiscp_ctx *c, const char *zh, const char *en)
{
    fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
    return fiscp_summary(c, zh, en);
}

/* A yes/no fact as a tri-state: 1, 0, or -1 when missing (recorded as missing). */
static int need_state(fiscp_ctx *c, fiscp_fact id)
{
    int v;

    return fiscp_need_bool(c, id, &v) ? v != 0 : -1;
}

/* The eligibility conditions before the amount: recognition in the period, the Yulin relationships and
 * the 培育库 gate. *go is 1 when the amount is to be computed, else the outcome is recorded. */
static fisc_status check_conditions(fiscp_ctx *c, int type, int *go)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *gate;
    fiscp_date rec;
    int level, has_level, has_rec, in_year, s_reg, s_tax, s_stat, s_pool = 1, gated = 0;
    fisc_status rc;

    *go = 0;
    has_level = fiscp_fact_enum(f, FACT_PLATFORM_LEVEL, &level);
    if (!has_level)
        fiscp_missing(c, FACT_PLATFORM_LEVEL);
    else if (level < 0 || level >= LEVEL_NONE)
        return fiscp_fail(c, FISC_EINVAL, "platform_level: unexpected value %d", level);
    has_rec = fiscp_need_date(c, FACT_PLATFORM_RECOGNITION_DATE, &rec);
    in_year = has_rec ? rec / 10000 == fiscp_ctx_year(c) && rec <= fiscp_ctx_date(c) : -1;
    rc = fiscp_check(c, "platform.new_in_period", "本期内新认定（或升级认定）", "Recognized (or upgraded) in the period",
                     in_year,
                     has_rec ? fiscp_ctx_printf(c, "%s recognized %s, period %d-01-01 to %s", TYPES[type],
                                                date_text(c, rec), fiscp_ctx_year(c), date_text(c, fiscp_ctx_date(c)))
                             : "platform_recognition_date not given");
    if (rc != FISC_OK)
        return rc;
    if (in_year == 0)
        return not_eligible(c, "平台不是本期认定", "the platform was not recognized in the period");
    s_reg = need_state(c, FACT_REGISTERED_IN_YULIN);
    s_tax = need_state(c, FACT_TAX_REGISTERED_IN_YULIN);
    s_stat = need_state(c, FACT_STATISTICS_IN_YULIN);
    if ((rc = fiscp_check(c, "yulin.registered", "注册登记关系在玉林市", "Registration in Yulin", s_reg,
                          yes_no(s_reg))) != FISC_OK ||
        (rc = fiscp_check(c, "yulin.tax_registered", "税收征纳关系在玉林市", "Tax relationship in Yulin", s_tax,
                          yes_no(s_tax))) != FISC_OK ||
        (rc = fiscp_check(c, "yulin.statistics", "统计关系在玉林市", "Statistics relationship in Yulin", s_stat,
                          yes_no(s_stat))) != FISC_OK)
        return rc;
    if (fiscp_param_in_force(c, P_POOL)) {
        if ((rc = fiscp_param_value(c, P_POOL, &gate)) != FISC_OK)
            return rc;
        gated = fisc_decimal_sign(gate) != 0;
    }
    if (gated) {
        s_pool = need_state(c, FACT_PLATFORM_IN_POOL);
        if ((rc = fiscp_check(c, "yulin.cultivation_pool", "已入科技创新平台培育库", "In the innovation platform cultivation pool",
                              s_pool, yes_no(s_pool))) != FISC_OK)
            return rc;
    }
    if (s_reg == 0 || s_tax == 0 || s_stat == 0)
        return not_eligible(c, "注册登记、税收征纳或统计关系不在玉林市",
                            "the registration, tax or statistics relationship is not in Yulin");
    if (s_pool == 0)
        return not_eligible(c, "符合条件但未入科技创新平台培育库，不得享受相关政策支持",
                            "not in the cultivation pool (培育库): a platform not in the pool gets no support");
    if (in_year < 0 || !has_level || s_reg < 0 || s_tax < 0 || s_stat < 0 || s_pool < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少平台认定或玉林关系的事实", "facts on the recognition or the Yulin relationships are missing");
    }
    *go = 1;
    return FISC_OK;
}

/* The Guangxi cap for a new-type R&D institution in a high-tech zone: *v = min(*v, cap). *go as above. */
static fisc_status apply_cap(fiscp_ctx *c, fisc_decimal *v, int *go)
{
    const fisc_decimal *cap;
    int s_zone, binds;
    fisc_status rc;

    *go = 0;
    s_zone = need_state(c, FACT_PLATFORM_IN_ZONE);
    if (s_zone < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少新型研发机构是否位于高新区的事实", "whether the new-type R&D institution is in a zone is missing");
    }
    *go = 1;
    if (!s_zone || !fiscp_param_in_force(c, P_CAP))
        return FISC_OK;
    if ((rc = fiscp_param_value(c, P_CAP, &cap)) != FISC_OK)
        return rc;
    binds = fisc_decimal_cmp(v, cap) > 0;
    rc = FISC_OK;
    if (fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "cap", "高新区内新型研发机构补助上限", "Cap for a new-type R&D institution in a zone",
                        "min(补助, gx.new_rd_institution.max_subsidy)",
                        fiscp_ctx_printf(c, "min(%s, %s)%s", fiscp_text(c, v), fiscp_text(c, cap),
                                         binds ? " (cap binds)" : ""),
                        binds ? cap : v);
    if (rc == FISC_OK && binds)
        rc = fisc_decimal_set(v, cap, NULL);
    return rc;
}

/* With the difference rule, *v = max(0, *v − the amount already received). *go as above. */
static fisc_status apply_difference(fiscp_ctx *c, fisc_decimal *v, int *go)
{
    const fisc_decimal *rule, *prev;
    fisc_decimal zero;
    fisc_status rc;

    *go = 0;
    if ((rc = fiscp_param_value(c, P_DIFFERENCE, &rule)) != FISC_OK)
        return rc;
    if (fisc_decimal_sign(rule) == 0) {
        *go = 1;
        if (fiscp_ctx_tracing(c))
            return fiscp_step(c, "upgrade", "升级认定按新级别全额补助", "Upgrade: the new level's full amount",
                              "补助 = 新级别补助", fiscp_text(c, v), v);
        return FISC_OK;
    }
    prev = fiscp_need_decimal(c, FACT_PLATFORM_PREVIOUS_AMOUNT);
    if (!prev) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "升级认定补差额，缺少原级别已获补助金额",
                             "upgrade paid as a difference: the amount already received is missing");
    }
    if (fisc_decimal_sign(prev) < 0)
        return fiscp_fail(c, FISC_EINVAL, "platform_previous_amount: negative");
    fisc_decimal_init(&zero);
    const char *before = fiscp_text(c, v);
    rc = fisc_decimal_sub(v, v, prev, NULL);
    if (rc == FISC_OK)
        rc = fisc_decimal_max(v, v, &zero, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "upgrade", "升级认定只补差额（不为负）", "Upgrade: only the difference (never negative)",
                        "max(0, 新级别补助 − 原级别已获补助)",
                        fiscp_ctx_printf(c, "max(0, %s − %s)", before, fiscp_text(c, prev)), v);
    fisc_decimal_clear(&zero);
    if (rc == FISC_OK)
        *go = 1;
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *amount;
    const char *keys[2];
    fisc_decimal subsidy, paid;
    int type = -1, level = 0, prev = LEVEL_NONE, upgrade, go;
    fisc_status rc;

    if (!fiscp_fact_enum(f, FACT_PLATFORM_TYPE, &type) || type == TYPE_NONE) {
        rc = fiscp_condition(c, "platform.type", "拥有经认定的科技创新平台", "A recognized innovation platform",
                             FISC_COND_NOT_MET, type == TYPE_NONE ? "platform_type = none" : "platform_type not given");
        return rc != FISC_OK ? rc
                             : not_eligible(c, "无经认定的科技创新平台", "the applicant has no recognized innovation platform");
    }
    if (type < 0 || type > TYPE_NONE)
        return fiscp_fail(c, FISC_EINVAL, "platform_type: unexpected value %d", type);
    if ((rc = check_conditions(c, type, &go)) != FISC_OK || !go)
        return rc;
    (void)fiscp_fact_enum(f, FACT_PLATFORM_LEVEL, &level); /* given: checked above */
    if (fiscp_fact_enum(f, FACT_PLATFORM_PREVIOUS_LEVEL, &prev) && (prev < 0 || prev > LEVEL_NONE))
        return fiscp_fail(c, FISC_EINVAL, "platform_previous_level: unexpected value %d", prev);
    upgrade = prev != LEVEL_NONE;
    if (upgrade) { /* national 0 < regional 1 < city 2: a higher level has a smaller index */
        int up = prev > level;

        rc = fiscp_check(c, "platform.upgrade", "升级认定（新级别高于原级别）",
                         "An upgrade (the new level is above the previous one)", up,
                         fiscp_ctx_printf(c, "%s → %s", LEVELS[prev], LEVELS[level]));
        if (rc != FISC_OK)
            return rc;
        if (!up)
            return not_eligible(c, "新认定级别不高于原级别，不是升级", "the new level is not above the previous one: not an upgrade");
    }
    if (!fiscp_param_in_force(c, P_TABLE)) {
        rc = fiscp_condition(c, "platform.in_force", "平台补助在本期有效", "The platform subsidy is in force in the period",
                             FISC_COND_NOT_MET, "yulin.platform_subsidy.amount has no value in force");
        return rc != FISC_OK ? rc : not_eligible(c, "平台补助在本期无效", "the platform subsidy is not in force in the period");
    }
    keys[0] = TYPES[type];
    keys[1] = LEVELS[level];
    if ((rc = fiscp_param_table(c, P_TABLE, keys, &amount)) != FISC_OK)
        return rc;
    rc = fiscp_check(c, "platform.level", "该类平台在该级别有补助标准", "The policy sets an amount for this platform and level",
                     amount != NULL, fiscp_ctx_printf(c, "%s × %s", keys[0], keys[1]));
    if (rc != FISC_OK)
        return rc;
    if (!amount)
        return not_eligible(c, "该类平台在该级别无补助标准", "no amount is set for this platform at this level");
    fisc_decimal_init(&subsidy);
    fisc_decimal_init(&paid);
    rc = fisc_decimal_set(&subsidy, amount, NULL);
    go = 1;
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "amount", "平台补助标准（占位值，未核实）", "Platform subsidy (placeholder, unconfirmed)",
                        "yulin.platform_subsidy.amount[类型, 级别]（万元折合元）",
                        fiscp_ctx_printf(c, "[%s, %s] = %s 元", keys[0], keys[1], fiscp_text(c, amount)), amount);
    if (rc == FISC_OK && type == TYPE_NEW_RD)
        rc = apply_cap(c, &subsidy, &go);
    if (rc == FISC_OK && go && upgrade)
        rc = apply_difference(c, &subsidy, &go);
    if (rc == FISC_OK && go)
        rc = fiscp_round(c, "subsidy", &subsidy, &paid);
    if (rc == FISC_OK && go)
        rc = fiscp_amount(c, "subsidy", &paid, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK && go) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = upgrade ? fiscp_summary(c, fiscp_ctx_printf(c, "升级认定平台补助 %s 元（暂定）", fiscp_money(c, &paid)),
                                     fiscp_ctx_printf(c, "upgraded platform: subsidy of %s yuan (provisional)",
                                                      fiscp_money(c, &paid)))
                     : fiscp_summary(c, fiscp_ctx_printf(c, "新认定平台补助 %s 元（暂定）", fiscp_money(c, &paid)),
                                     fiscp_ctx_printf(c, "newly recognized platform: subsidy of %s yuan (provisional)",
                                                      fiscp_money(c, &paid)));
    }
    fisc_decimal_clear(&paid);
    fisc_decimal_clear(&subsidy);
    return rc;
}

const fiscp_program fiscp_program_platform_subsidy = { "yulin.platform_subsidy", PARAMS, P_COUNT, evaluate, NULL, NULL };
