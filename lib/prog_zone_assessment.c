/*
 * Program yulin.zone_assessment: the evaluation points (评价考核加减分) of Yulin's high-tech zone.
 *
 * 玉政办函〔2022〕41号 六(二十一): a zone newly approved (新获批复认定) as a 国家级 or 自治区级 high-tech
 * zone earns bonus points (加分) under the 市级年度创优争先细则; a yellow card (黄牌警告) in the evaluation
 * brings a talk with the principal (约谈主要负责人); a delisting (摘牌) brings a deduction (扣减分) under
 * the same 细则. The points are not money: they are published as the informative amount "points"
 * (a whole number of points, negative for a deduction), never as a subsidy.
 * UNCONFIRMED: every point value (the 细则 was not obtained, policy-params.md §1); the table
 * yulin.zone_assessment.points (keyed by event) holds placeholders, so every result is provisional.
 * Whether a yellow card also costs points is not stated in the plan (the placeholder is 0).
 * An event counts when its date falls in the evaluated year, up to the period's last day; the new
 * zone is read from zone_approval_level / zone_approval_date, the others from zone_yellow_card_date
 * and zone_delisting_date (absent: no such event).
 */
#include "engine.h"

static const char *const PARAMS[] = { "yulin.zone_assessment.points" };
enum { P_POINTS, P_COUNT };

/* zone_approval_level values, in the order of the vocabulary (subsidy_zone.def). */
enum { LEVEL_NATIONAL = 0, LEVEL_REGIONAL = 1, LEVEL_NONE = 2 };

static const char *date_text(fiscp_ctx *c, fiscp_date d)
{
    return fiscp_ctx_printf(c, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
}

static int in_period(const fiscp_ctx *c, fiscp_date d)
{
    return d / 10000 == fiscp_ctx_year(c) && d <= fiscp_ctx_date(c);
}

/* An optional dated event (absent: none). Records its condition; *happened receives 1 or 0. */
static fisc_status dated_event(fiscp_ctx *c, fiscp_fact fact, const char *id, const char *zh, const char *en,
                               const char *fact_name, int *happened)
{
    fiscp_date d;
    int has = fiscp_fact_date(fiscp_ctx_facts(c), fact, &d);

    *happened = has && in_period(c, d);
    return fiscp_check(c, id, zh, en, *happened,
                       has ? fiscp_ctx_printf(c, "%s %s, period %d-01-01 to %s", fact_name, date_text(c, d),
                                              fiscp_ctx_year(c), date_text(c, fiscp_ctx_date(c)))
                           : fiscp_ctx_printf(c, "%s not given: none", fact_name));
}

/* Add the points of one event to *total, with a step when tracing. */
static fisc_status add_points(fiscp_ctx *c, const char *event, const char *zh, const char *en, fisc_decimal *total)
{
    const char *keys[1];
    const fisc_decimal *pts;
    fisc_status rc;

    keys[0] = event;
    if ((rc = fiscp_param_table(c, P_POINTS, keys, &pts)) != FISC_OK)
        return rc;
    if (!pts)
        return fiscp_fail(c, FISC_ENOTFOUND, "yulin.zone_assessment.points has no row for %s", event);
    if ((rc = fisc_decimal_add(total, total, pts, NULL)) != FISC_OK)
        return fiscp_fail(c, rc, "points: arithmetic failed");
    if (fiscp_ctx_tracing(c))
        rc = fiscp_step(c, event, zh, en, "yulin.zone_assessment.points[事件 / event]",
                        fiscp_ctx_printf(c, "[%s] = %s", event, fiscp_text(c, pts)), pts);
    return rc;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_facts *f = fiscp_ctx_facts(c);
    fisc_decimal total, points;
    fiscp_date approved;
    int level, has_level, new_zone, yellow, delisted;
    fisc_status rc;

    has_level = fiscp_fact_enum(f, FACT_ZONE_APPROVAL_LEVEL, &level);
    if (has_level && (level < LEVEL_NATIONAL || level > LEVEL_NONE))
        return fiscp_fail(c, FISC_EINVAL, "zone_approval_level: unexpected value %d", level);
    if (!has_level || level == LEVEL_NONE) {
        new_zone = 0;
        rc = fiscp_condition(c, "zone.new_in_year", "本期内新获批国家级或自治区级高新区",
                             "Newly approved as a national or regional high-tech zone in the period", FISC_COND_NOT_MET,
                             has_level ? "zone_approval_level = none" : "zone_approval_level not given: none");
    } else {
        int has_date = fiscp_need_date(c, FACT_ZONE_APPROVAL_DATE, &approved);

        new_zone = has_date ? in_period(c, approved) : -1;
        rc = fiscp_check(c, "zone.new_in_year", "本期内新获批国家级或自治区级高新区",
                         "Newly approved as a national or regional high-tech zone in the period", new_zone,
                         has_date ? fiscp_ctx_printf(c, "%s zone approved %s, period %d-01-01 to %s",
                                                     level == LEVEL_NATIONAL ? "national" : "regional",
                                                     date_text(c, approved), fiscp_ctx_year(c),
                                                     date_text(c, fiscp_ctx_date(c)))
                                  : "zone_approval_date not given");
    }
    if (rc != FISC_OK)
        return rc;
    if ((rc = dated_event(c, FACT_ZONE_YELLOW_CARD_DATE, "zone.yellow_card", "本期内评价考核被黄牌警告",
                          "Yellow card in the evaluation in the period", "zone_yellow_card_date", &yellow)) != FISC_OK ||
        (rc = dated_event(c, FACT_ZONE_DELISTING_DATE, "zone.delisted", "本期内被摘牌", "Delisted in the period",
                          "zone_delisting_date", &delisted)) != FISC_OK)
        return rc;
    if (new_zone < 0) {
        fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
        return fiscp_summary(c, "缺少高新区获批日期", "the zone's approval date is missing");
    }
    if (!new_zone && !yellow && !delisted) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "本期内无评价考核加减分事项", "no event scored by the evaluation in the period");
    }
    if (!fiscp_param_in_force(c, P_POINTS)) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        if ((rc = fiscp_condition(c, "assessment.in_force", "评价考核加减分在本期有效",
                                  "The evaluation points are in force in the period", FISC_COND_NOT_MET,
                                  "yulin.zone_assessment.points has no value in force")) != FISC_OK)
            return rc;
        return fiscp_summary(c, "评价考核加减分在本期无效", "the evaluation points are not in force in the period");
    }
    fisc_decimal_init(&total);
    fisc_decimal_init(&points);
    rc = FISC_OK;
    if (new_zone)
        rc = level == LEVEL_NATIONAL
                 ? add_points(c, "new_national_zone", "新获批国家级高新区加分（占位值）",
                              "Bonus for a new national zone (placeholder)", &total)
                 : add_points(c, "new_regional_zone", "新获批自治区级高新区加分（占位值）",
                              "Bonus for a new regional zone (placeholder)", &total);
    if (rc == FISC_OK && yellow)
        rc = add_points(c, "yellow_card", "黄牌警告（约谈主要负责人）扣分（占位值）",
                        "Yellow card (talk with the principal) points (placeholder)", &total);
    if (rc == FISC_OK && delisted)
        rc = add_points(c, "delisting", "摘牌扣减分（占位值）", "Deduction for a delisting (placeholder)", &total);
    if (rc == FISC_OK)
        rc = fiscp_round(c, "points", &total, &points);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, "points", &points, -1);
    if (rc == FISC_OK) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        rc = fiscp_summary(c,
                           fiscp_ctx_printf(c, "评价考核加减分 %s 分（暂定，非资金）%s", fiscp_text(c, &points),
                                            yellow ? "；黄牌警告：约谈主要负责人" : ""),
                           fiscp_ctx_printf(c, "evaluation points: %s (provisional; points, not money)%s",
                                            fiscp_text(c, &points),
                                            yellow ? "; yellow card: talk with the principal" : ""));
    }
    fisc_decimal_clear(&points);
    fisc_decimal_clear(&total);
    return rc;
}

const fiscp_program fiscp_program_zone_assessment = { "yulin.zone_assessment", PARAMS, P_COUNT, evaluate, NULL, NULL };
