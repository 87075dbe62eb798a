/*
 * Program yulin.land_supporting_facilities: a compliance check of the land and building used for an
 * industrial project's supporting facilities (行政办公及生活服务设施), plan 玉政办函〔2022〕41号 五(十八),
 * policy-params.md §7 and §3.7:
 * - the supporting-facility land may be at most 7% of the project's total land (国土资发〔2008〕24号 四(四);
 *   广西产业园区节约集约用地管理办法(2019年修订)); with the consent of 市人民政府 the limit rises to 15%, the
 *   extra being mainly (主要) for 宿舍型保障性租赁住房 (国办发〔2021〕22号 (四), as the plan takes it up);
 * - the supporting-facility building area may be at most 30% of the total building area (the plan);
 * - banned: 成套商品住宅, 成套住宅, 专家楼, 宾馆, 招待所, 培训中心.
 * The result is a check, not money: eligible = compliant, not eligible = a limit is exceeded (the
 * conditions say which, with the values); the shares and the headroom (limit − actual, negative when
 * exceeded, in ㎡) are informative amounts, rounded by the program's rule.
 * UNCONFIRMED: "mainly" has no number in the texts; the policy reads it as "more than" a share of the
 * extra land (50%, status unconfirmed, so a result using it is provisional). The building-share limit
 * before the city's consent (Xiamen and Guangzhou use 15%) is UNCONFIRMED for Guangxi/Yulin: the check
 * applies the plan's 30% in both cases, a necessary condition that may be stricter without consent.
 * The dates: the plan's (2022-04-25); earlier periods are not checked.
 */
#include "engine.h"

static const char *const PARAMS[] = {
    "yulin.land.supporting_land_share",
    "yulin.land.supporting_land_share_raised",
    "yulin.land.supporting_building_share",
    "yulin.land.raised_dormitory_share",
};
enum { P_LAND, P_LAND_RAISED, P_BUILDING, P_DORMITORY, P_COUNT };

/* share = part / whole; headroom = limit × whole − part; both rounded and published */
static fisc_status publish(fiscp_ctx *c, const char *share_name, const char *headroom_name, const fisc_decimal *part,
                           const fisc_decimal *whole, const fisc_decimal *limit, fisc_decimal *share)
{
    fisc_decimal allowed, headroom, rounded;
    fisc_status rc;

    fisc_decimal_init(&allowed);
    fisc_decimal_init(&headroom);
    fisc_decimal_init(&rounded);
    rc = fisc_decimal_div(share, part, whole, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, share_name, "配套设施占比", "Supporting-facility share", "配套面积 / 总面积 / part / total",
                        fiscp_ctx_printf(c, "%s / %s", fiscp_text(c, part), fiscp_text(c, whole)), share);
    if (rc == FISC_OK)
        rc = fiscp_round(c, share_name, share, &rounded);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, share_name, &rounded, -1);
    if (rc == FISC_OK)
        rc = fisc_decimal_mul(&allowed, limit, whole, NULL);
    if (rc == FISC_OK)
        rc = fisc_decimal_sub(&headroom, &allowed, part, NULL);
    if (rc == FISC_OK && fiscp_ctx_tracing(c))
        rc = fiscp_step(c, headroom_name, "尚可使用的面积（负数为超出）", "Headroom (negative when exceeded)",
                        "上限比例 × 总面积 − 配套面积 / limit × total − part",
                        fiscp_ctx_printf(c, "%s × %s − %s", fiscp_percent(c, limit), fiscp_text(c, whole),
                                         fiscp_text(c, part)),
                        &headroom);
    if (rc == FISC_OK)
        rc = fiscp_round(c, headroom_name, &headroom, &rounded);
    if (rc == FISC_OK)
        rc = fiscp_amount(c, headroom_name, &rounded, -1);
    fisc_decimal_clear(&allowed);
    fisc_decimal_clear(&headroom);
    fisc_decimal_clear(&rounded);
    return rc;
}

/* Combine a tri-state into the running verdict: any 0 wins, else any -1, else 1. */
static int combine(int verdict, int state)
{
    if (verdict == 0 || state == 0)
        return 0;
    return verdict < 0 || state < 0 ? -1 : 1;
}

/* The land limit: 7%, or 15% with the city's consent (the extra mainly for dormitories). */
static fisc_status land(fiscp_ctx *c, const fisc_decimal *total, const fisc_decimal *part, int *verdict)
{
    const fisc_decimal *base, *raised = NULL, *limit, *dorm_min, *dorm;
    fisc_decimal share;
    int consent = 0, s_consent = 0, above_base, within;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_LAND, &base)) != FISC_OK)
        return rc;
    fisc_decimal_init(&share);
    rc = fisc_decimal_div(&share, part, total, NULL);
    if (rc != FISC_OK)
        goto done;
    above_base = fisc_decimal_cmp(&share, base) > 0;
    /* the consent matters only when the land share is above the base limit */
    if (above_base) {
        s_consent = fiscp_need_bool(c, FACT_LAND_CITY_CONSENT, &consent) ? consent : -1;
        rc = fiscp_check(c, "land.city_consent", "经市人民政府同意提高配套用地比例",
                         "City government consented to the higher land share", s_consent,
                         s_consent < 0 ? "land_city_consent not given" : s_consent ? "yes" : "no");
        if (rc != FISC_OK)
            goto done;
    }
    /* with consent, or with no answer on it, the share is measured against the raised limit */
    if (above_base && s_consent != 0 && (rc = fiscp_param_value(c, P_LAND_RAISED, &raised)) != FISC_OK)
        goto done;
    limit = raised ? raised : base;
    if ((rc = publish(c, "land_share", "land_headroom_area", part, total, limit, &share)) != FISC_OK)
        goto done;
    within = fisc_decimal_cmp(&share, limit) <= 0;
    /* without an answer on consent, a share above 7% but within the raised limit is undecided */
    rc = fiscp_check(c, "land.share_within_limit", "配套设施用地占比不超过上限", "Supporting-facility land share within the limit",
                     s_consent < 0 && within ? -1 : within,
                     fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, &share), within ? "≤" : ">", fiscp_percent(c, limit)));
    if (rc != FISC_OK)
        goto done;
    *verdict = combine(*verdict, s_consent < 0 && within ? -1 : within);
    if (s_consent > 0 && within) {
        int mainly;

        if ((rc = fiscp_param_value(c, P_DORMITORY, &dorm_min)) != FISC_OK)
            goto done;
        dorm = fiscp_need_decimal(c, FACT_LAND_EXTRA_DORMITORY_SHARE);
        mainly = dorm ? fisc_decimal_cmp(dorm, dorm_min) > 0 : -1;
        rc = fiscp_check(c, "land.extra_mainly_dormitory", "提高部分主要用于宿舍型保障性租赁住房",
                         "The extra land mainly for dormitory-type rental housing", mainly,
                         dorm ? fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, dorm), mainly > 0 ? ">" : "≤",
                                                 fiscp_text(c, dorm_min))
                              : "land_extra_dormitory_share not given");
        *verdict = combine(*verdict, mainly);
    }
done:
    fisc_decimal_clear(&share);
    return rc;
}

static fisc_status building(fiscp_ctx *c, const fisc_decimal *total, const fisc_decimal *part, int *verdict)
{
    const fisc_decimal *limit;
    fisc_decimal share;
    int within;
    fisc_status rc;

    if ((rc = fiscp_param_value(c, P_BUILDING, &limit)) != FISC_OK)
        return rc;
    fisc_decimal_init(&share);
    rc = publish(c, "building_share", "building_headroom_area", part, total, limit, &share);
    if (rc == FISC_OK) {
        within = fisc_decimal_cmp(&share, limit) <= 0;
        rc = fiscp_check(c, "building.share_within_limit", "配套设施建筑面积占比不超过上限",
                         "Supporting-facility building share within the limit", within,
                         fiscp_ctx_printf(c, "%s %s %s", fiscp_text(c, &share), within ? "≤" : ">",
                                          fiscp_percent(c, limit)));
        *verdict = combine(*verdict, within);
    }
    fisc_decimal_clear(&share);
    return rc;
}

/* Both areas given and the total positive; a part larger than its total is an input error. */
static fisc_status areas(fiscp_ctx *c, const char *what, const fisc_decimal *total, const fisc_decimal *part)
{
    if (fisc_decimal_sign(total) <= 0)
        return fiscp_fail(c, FISC_EINVAL, "the total %s area must be positive", what);
    if (fisc_decimal_cmp(part, total) > 0)
        return fiscp_fail(c, FISC_EINVAL, "the supporting-facility %s area exceeds the total %s area", what, what);
    return FISC_OK;
}

static fisc_status evaluate(fiscp_ctx *c)
{
    const fisc_decimal *land_total, *land_part, *bld_total, *bld_part;
    int verdict = 1, banned, s_banned;
    fisc_status rc;

    if (!fiscp_param_in_force(c, P_LAND)) {
        rc = fiscp_check(c, "plan.in_force", "玉政办函〔2022〕41号在本期有效", "玉政办函〔2022〕41号 in force in the period", 0,
                         "not in force on the period's last day");
        if (rc != FISC_OK)
            return rc;
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "本期不适用玉政办函〔2022〕41号五（十八）",
                             "plan clause 五(十八) does not apply to this period");
    }
    /* an applicant that gives none of the areas is not concerned: no fact is asked for */
    if (!fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_LAND_TOTAL_AREA) &&
        !fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_LAND_SUPPORTING_AREA) &&
        !fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_BUILDING_TOTAL_AREA) &&
        !fiscp_fact_decimal(fiscp_ctx_facts(c), FACT_BUILDING_SUPPORTING_AREA)) {
        rc = fiscp_check(c, "project.areas", "已给出项目用地或建筑面积", "Project land or building areas given", 0,
                         "no land or building area given: no project concerned");
        if (rc != FISC_OK)
            return rc;
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "未涉及工业项目用地", "no industrial project land concerned");
    }
    land_total = fiscp_need_decimal(c, FACT_LAND_TOTAL_AREA);
    land_part = fiscp_need_decimal(c, FACT_LAND_SUPPORTING_AREA);
    bld_total = fiscp_need_decimal(c, FACT_BUILDING_TOTAL_AREA);
    bld_part = fiscp_need_decimal(c, FACT_BUILDING_SUPPORTING_AREA);
    s_banned = fiscp_need_bool(c, FACT_LAND_BANNED_USES, &banned) ? !banned : -1;
    if (land_total && land_part) {
        if ((rc = areas(c, "land", land_total, land_part)) != FISC_OK ||
            (rc = land(c, land_total, land_part, &verdict)) != FISC_OK)
            return rc;
    } else
        verdict = combine(verdict, -1);
    if (bld_total && bld_part) {
        if ((rc = areas(c, "building", bld_total, bld_part)) != FISC_OK ||
            (rc = building(c, bld_total, bld_part, &verdict)) != FISC_OK)
            return rc;
    } else
        verdict = combine(verdict, -1);
    rc = fiscp_check(c, "uses.none_banned", "无成套商品住宅、专家楼、宾馆、招待所、培训中心等禁止用途",
                     "No banned use (housing units, expert apartments, hotels, guest houses, training centres)", s_banned,
                     s_banned < 0 ? "land_banned_uses not given" : s_banned ? "none" : "a banned use is present");
    if (rc != FISC_OK)
        return rc;
    verdict = combine(verdict, s_banned);
    if (verdict > 0) {
        fiscp_outcome(c, FISC_OUTCOME_ELIGIBLE);
        return fiscp_summary(c, "配套设施用地和建筑面积符合规定", "supporting-facility land and buildings comply");
    }
    if (verdict == 0) {
        fiscp_outcome(c, FISC_OUTCOME_NOT_ELIGIBLE);
        return fiscp_summary(c, "配套设施超出限制（见未满足的条件）", "a supporting-facility limit is exceeded (see the conditions)");
    }
    fiscp_outcome(c, FISC_OUTCOME_UNDETERMINED);
    return fiscp_summary(c, "缺少事实，无法完成检查", "facts are missing to complete the check");
}

const fiscp_program fiscp_program_land_supporting_facilities = { "yulin.land_supporting_facilities", PARAMS, P_COUNT,
                                                                 evaluate, NULL, NULL };
