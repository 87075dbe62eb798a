/**
 * @file fisc/fisc.h
 * @brief Umbrella header: include this to use fisc.
 *
 * fisc computes subsidies, tax incentives and negotiated incentive packages exactly, with
 * every figure traced to the clause it comes from: the exact decimal core, 人民币大写,
 * apportionment, 统一社会信用代码 validation, and the policy engine (dated, cited parameters;
 * facts; evaluation with an explain trace).
 */
#ifndef FISC_FISC_H
#define FISC_FISC_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"
#include "fisc/upper.h"
#include "fisc/apportion.h"
#include "fisc/uscc.h"
#include "fisc/facts.h"
#include "fisc/policy.h"
#include "fisc/evaluate.h"
#include "fisc/agreement.h"

#endif
