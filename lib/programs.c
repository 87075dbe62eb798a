/*
 * The program registry: program id → function. The engine dispatches through this table and
 * never names a program (ARCHITECTURE.md). Add a program by adding a row.
 */
#include <string.h>

#include "engine.h"

static const fiscp_program *const PROGRAMS[] = {
    &fiscp_program_cit,
    &fiscp_program_beibu_cit_local_share,
    &fiscp_program_yulin_hnte_reward,
    &fiscp_program_rd_deduction,
    &fiscp_program_incubator_tax,
    &fiscp_program_individual_income_halving,
    &fiscp_program_loan_interest_subsidy,
    &fiscp_program_tech_loan_risk_compensation,
    &fiscp_program_zone_approval_subsidy,
    &fiscp_program_carrier_subsidy,
    &fiscp_program_vat_small_scale,
    &fiscp_program_six_taxes,
    &fiscp_program_investment_reward,
    &fiscp_program_land_supporting_facilities,
    &fiscp_program_zone_assessment,
    &fiscp_program_platform_subsidy,
};

const fiscp_program *fiscp_program_lookup(const char *id)
{
    for (size_t i = 0; i < FISCP_ARRAY_SIZE(PROGRAMS); i++)
        if (strcmp(PROGRAMS[i]->id, id) == 0)
            return PROGRAMS[i];
    return NULL;
}
