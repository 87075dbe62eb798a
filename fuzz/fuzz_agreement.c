/*
 * libFuzzer harness: the agreement loader and its checks on arbitrary bytes (with a small policy
 * holding the agreement parameters, loaded once), the check report, and the same bytes as actuals.
 */
#include <stddef.h>
#include <stdint.h>

#include "agreement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char POLICY[] =
    "fisc_policy: 1\nid: fuzz.agreements\ntitle: {zh: a, en: b}\ndocument: d\n"
    "enumerations:\n"
    "  agreement_category: [fortune_global_500, china_500, greater_bay_area, strategic_emerging_industry]\n"
    "  agreement_base: [funds_in_place, fixed_asset_investment, equipment_investment, output, revenue, taxes_paid, "
    "local_fiscal_contribution, rent, land_price, headcount]\n"
    "  agreement_authority: [zone_management_committee, city_government, city_government_executive_meeting]\n"
    "  gba_city: [shenzhen, guangzhou]\n"
    "parameters:\n"
    "  - id: agreement.basis.category\n    label: {zh: a, en: b}\n    unit: yes/no\n    kind: table\n"
    "    keys: [agreement_category]\n    values:\n      - from: 2022-04-25\n        rows:\n"
    "          - {agreement_category: fortune_global_500, value: yes}\n"
    "          - {agreement_category: greater_bay_area, value: yes}\n"
    "        status: confirmed\n        citation: {document: x}\n"
    "  - id: agreement.basis.rank_limit\n    label: {zh: a, en: b}\n    unit: count\n    kind: table\n"
    "    keys: [agreement_category]\n    values:\n      - from: 2022-04-25\n        rows:\n"
    "          - {agreement_category: fortune_global_500, value: 500}\n"
    "        status: confirmed\n        citation: {document: x}\n"
    "  - id: agreement.basis.in_zone_required\n    label: {zh: a, en: b}\n    unit: yes/no\n    values:\n"
    "      - {from: 2022-04-25, value: yes, status: confirmed, citation: {document: x}}\n"
    "  - id: agreement.basis.gba_city\n    label: {zh: a, en: b}\n    unit: yes/no\n    kind: table\n"
    "    keys: [gba_city]\n    values:\n      - from: 2019-02-18\n        rows:\n"
    "          - {gba_city: shenzhen, value: yes}\n        status: confirmed\n        citation: {document: x}\n"
    "  - id: agreement.fair_competition.restricted_base\n    label: {zh: a, en: b}\n    unit: yes/no\n    kind: table\n"
    "    keys: [agreement_base]\n    values:\n      - from: 2024-08-01\n        rows:\n"
    "          - {agreement_base: taxes_paid, value: yes}\n"
    "          - {agreement_base: local_fiscal_contribution, value: yes}\n"
    "        status: confirmed\n        citation: {document: x}\n"
    "  - id: agreement.approval.limit\n    label: {zh: a, en: b}\n    unit: 万元\n    kind: table\n"
    "    keys: [agreement_authority]\n    values:\n      - from: 2022-04-25\n        rows:\n"
    "          - {agreement_authority: zone_management_committee, value: \"500\"}\n"
    "          - {agreement_authority: city_government, value: \"3000\"}\n"
    "        status: placeholder\n        citation: {document: x}\n";

static fisc_policy *policy(void)
{
    static fisc_policy *p;

    if (!p) {
        const char *name = "fuzz-policy.yaml", *text = POLICY;
        size_t len = sizeof(POLICY) - 1;
        fisc_error err = FISC_ERROR_INIT;

        if (fiscp_policy_load_texts(&p, &name, &text, &len, 1, NULL, NULL, 0, &err) != FISC_OK)
            __builtin_trap(); /* the harness's own policy must load */
    }
    return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fisc_agreement *a = NULL;
    fisc_actuals *act = NULL;
    fisc_error err = FISC_ERROR_INIT;
    char *json = NULL;

    if (fisc_agreement_load_string(&a, policy(), "fuzz.yaml", (const char *)data, size, &err) == FISC_OK) {
        if (fisc_agreement_check_to_json(&json, a, FISC_JSON_PRETTY, &err) == FISC_OK)
            fisc_string_free(json);
        fisc_agreement_free(a);
    }
    if (fisc_actuals_load_string(&act, "fuzz.json", (const char *)data, size, &err) == FISC_OK)
        fisc_actuals_free(act);
    return 0;
}
