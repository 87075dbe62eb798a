/*
 * Program yulin.carrier_subsidy: the 财政资金补助 for an incubation carrier newly recognized or filed.
 *
 * 玉政办函〔2022〕41号 三(十): 孵化器, 众创空间, 工程技术研究中心 and 大学科技园 recognized (认定) or filed
 * (备案) by the State, the autonomous region or 玉林市 get a subsidy. UNCONFIRMED: every amount (no
 * Yulin or Guangxi figure is known, policy-params.md §2.1, §3.3); the table yulin.carrier_subsidy
 * (carrier kind × level) holds placeholders, so every result that reads it is provisional. Also
 * UNCONFIRMED: whether an upgrade (市级 → 自治区级 → 国家级) pays only the difference; this program pays
 * the cell of the level newly recognized, and the 2023 培育库 gate (§2.1) is not modelled.
 * "Newly recognized" is read as recognized in the evaluated year, up to the period's last day.
 */
#include "engine.h"

static const char *const PARAMS[] = { "yulin.carrier_subsidy" };
enum { P_TABLE, P_COUNT };

/* The values of the facts carrier_kind and carrier_level, in the order of their vocabulary, which
 * are also the values of the policy's enumerations carrier_kind and carrier_level. */
static const char *const KINDS[] = { "incubator", "maker_space", "engineering_center", "university_science_park" };
enum { KIND_NONE = 4 };
static const char *const LEVELS[] = { "national", "regional", "city" };

static const char *date_text(fiscp_ctx *c, fiscp_date d)
{
    return fiscp_ctx_printf(c, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

static fisc_status not_concerned(fiscp_ctx *c, const char *detail)
{
    fisc_status rc = fiscp_condition(c, "carrier.kind", "孵化器、众创空间、工程技术研究中心或大学科技园",
                                     "An incubator, maker space, engineering research center or university science park",
                                     FISC_COND_NOT_MET, detail);

    if (rc != FISC_OK)
        return rc;
    fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
    return fiscp_summary(c, "不经营创新孵化载体", "the applicant runs no incubation carrier");
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    const fisc_decimal *amount;
    const char *keys[2];
    fisc_decimal subsidy;
    fiscp_date rec;
    int kind, level, has_level, has_rec, in_year;
    fisc_status rc;

    if (!fiscp_fact_enum(f, FACT_CARRIER_KIND, &kind))
        return not_concerned(c, "carrier_kind not given");
    if (kind == KIND_NONE)
        return not_concerned(c, "carrier_kind = none");
    if (kind < 0 || kind > KIND_NONE)
        return fiscp_fail(c, FISC_EINVAL, "carrier_kind: unexpected value %d", kind);
    has_level = fiscp_fact_enum(f, FACT_CARRIER_LEVEL, &level);
    if (!has_level)
        fiscp_missing(c, FACT_CARRIER_LEVEL);
    else if (level < 0 || level > 2)
        return fiscp_fail(c, FISC_EINVAL, "carrier_level: unexpected value %d", level);
    has_rec = fiscp_need_date(c, FACT_CARRIER_RECOGNITION_DATE, &rec);
    in_year = has_rec ? rec / 10000 == fiscp_ctx_year(c) && rec <= fiscp_ctx_date(c) : -1;
    rc = fiscp_check(c, "carrier.new_in_year", "本期内新认定（备案）", "Newly recognized (or filed) in the period", in_year,
                     has_rec ? fiscp_ctx_printf(c, "recognized %s, period %d-01-01 to %s", date_text(c, rec),
                                                fiscp_ctx_year(c), date_text(c, fiscp_ctx_date(c)))
                             : "carrier_recognition_date not given");
    if (rc != FISC_OK)
        return rc;
    if (in_year == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "载体不是本期新认定（备案）", "the carrier was not newly recognized in the period");
    }
    if (in_year < 0 || !has_level) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少载体认定级别或日期", "the carrier's recognition level or date is missing");
    }
    if (!fiscp_param_in_force(c, P_TABLE)) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_condition(c, "carrier.in_force", "载体补助在本期有效", "The carrier subsidy is in force in the period",
                                  FISC_COND_NOT_MET, "yulin.carrier_subsidy has no value in force")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "载体补助在本期无效", "the carrier subsidy is not in force in the period");
    }
    keys[0] = KINDS[kind];
    keys[1] = LEVELS[level];
    if ((rc = fiscp_param_table(c, P_TABLE, keys, &amount)) != FISC_OK)
        return rc;
    rc = fiscp_check(c, "carrier.level", "该类载体在该级别有补助标准", "The policy sets an amount for this carrier and level",
                     amount != NULL, fiscp_ctx_printf(c, "%s × %s", keys[0], keys[1]));
    if (rc != FISC_OK)
        return rc;
    if (!amount) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "该类载体在该级别无补助标准", "no amount is set for this carrier at this level");
    }
    fisc_decimal_init(&subsidy);
    rc = FISC_OK;
    if (fiscp_ctx_tracing(c))
        rc = fiscp_step(c, "subsidy", "载体补助（占位值，未核实）", "Carrier subsidy (placeholder, unconfirmed)",
                        "yulin.carrier_subsidy[类型, 级别]（万元折合元）",
                        fiscp_ctx_printf(c, "[%s, %s] = %s 元", keys[0], keys[1], fiscp_text(c, amount)), amount);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "subsidy", amount, &subsidy);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "subsidy", &subsidy, FISC_CATEGORY_SUBSIDY);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c, fiscp_ctx_printf(c, "新认定（备案）载体补助 %s 元（暂定）", fiscp_money(c, &subsidy)),
                           fiscp_ctx_printf(c, "newly recognized carrier: subsidy of %s yuan (provisional)",
                                            fiscp_money(c, &subsidy)));
    }
    fisc_decimal_clear(&subsidy);
    return rc;
}

const fiscp_program fiscp_program_carrier_subsidy = { "yulin.carrier_subsidy", PARAMS, P_COUNT, evaluate, NULL, NULL };
