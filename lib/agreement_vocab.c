/*
 * The fixed vocabulary of agreements: the metrics a term may reward or a condition may test, and
 * the events of a project's life (docs/agreement-format.md, "Metrics and events"). The metric
 * names, in this order, are the policy enumeration agreement_base (policies/35-yulin-agreements.yaml),
 * which the legal gate's table is keyed by; a test checks that the two agree.
 */
#include <string.h>

#include "agreement.h"
#include "suggest.h"

const fiscp_ag_metric_info fiscp_ag_metrics[AGM_COUNT] = {
    [AGM_FUNDS_IN_PLACE] = { "funds_in_place", "实际到位资金", "Funds in place", 0, 0 },
    [AGM_FIXED_ASSET_INVESTMENT] = { "fixed_asset_investment", "固定资产投资", "Fixed-asset investment", 0, 0 },
    [AGM_EQUIPMENT_INVESTMENT] = { "equipment_investment", "设备投资", "Equipment investment", 0, 0 },
    [AGM_OUTPUT] = { "output", "产值", "Output", 0, 0 },
    [AGM_REVENUE] = { "revenue", "营业收入", "Revenue", 0, 0 },
    [AGM_TAXES_PAID] = { "taxes_paid", "纳税额", "Taxes paid", 0, 0 },
    [AGM_LOCAL_FISCAL_CONTRIBUTION] = { "local_fiscal_contribution", "地方财力贡献", "Local fiscal contribution", 0, 0 },
    [AGM_RENT] = { "rent", "租金（应付标准租金）", "Rent (standard rent due)", 0, 0 },
    [AGM_LAND_PRICE] = { "land_price", "土地出让价款", "Land transfer price", 0, 0 },
    [AGM_HEADCOUNT] = { "headcount", "从业人数（年末）", "Headcount (year end)", 1, 1 },
};

const fiscp_ag_event_info fiscp_ag_events[AGE_COUNT] = {
    [AGE_CONSTRUCTION_STARTED] = { "construction_started", "开工", "Construction started" },
    [AGE_COMPLETED] = { "completed", "竣工", "Completed" },
    [AGE_PRODUCTION_STARTED] = { "production_started", "投产", "Production started" },
    [AGE_HEADQUARTERS_REGISTERED] = { "headquarters_registered", "总部注册落户", "Headquarters registered" },
    [AGE_RELOCATED_OUT] = { "relocated_out", "迁出", "Relocated out" },
    [AGE_CEASED_OPERATION] = { "ceased_operation", "停产或注销", "Ceased operation" },
};

const char *const fiscp_ag_param_ids[AGP_COUNT] = {
    [AGP_CATEGORY] = "agreement.basis.category",
    [AGP_RANK_LIMIT] = "agreement.basis.rank_limit",
    [AGP_IN_ZONE_REQUIRED] = "agreement.basis.in_zone_required",
    [AGP_GBA_CITY] = "agreement.basis.gba_city",
    [AGP_RESTRICTED_BASE] = "agreement.fair_competition.restricted_base",
    [AGP_APPROVAL_LIMIT] = "agreement.approval.limit",
};

int fiscp_ag_metric_find(const char *name)
{
    for (int m = 0; name && m < AGM_COUNT; m++)
        if (strcmp(fiscp_ag_metrics[m].name, name) == 0)
            return m;
    return -1;
}

int fiscp_ag_event_find(const char *name)
{
    for (int e = 0; name && e < AGE_COUNT; e++)
        if (strcmp(fiscp_ag_events[e].name, name) == 0)
            return e;
    return -1;
}

const char *fiscp_ag_metric_suggest(const char *text, size_t len)
{
    const char *names[AGM_COUNT];

    for (int m = 0; m < AGM_COUNT; m++)
        names[m] = fiscp_ag_metrics[m].name;
    return fiscp_closest(text, len, names, AGM_COUNT);
}

const char *fiscp_ag_event_suggest(const char *text, size_t len)
{
    const char *names[AGE_COUNT];

    for (int e = 0; e < AGE_COUNT; e++)
        names[e] = fiscp_ag_events[e].name;
    return fiscp_closest(text, len, names, AGE_COUNT);
}
