/**
 * @file fisc/fisc.h
 * @brief Umbrella header: include this to use fisc.
 *
 * fisc computes subsidies, tax incentives and negotiated incentive packages exactly, with
 * every figure traced to the clause it comes from. This release provides the exact decimal
 * core, 人民币大写, apportionment and 统一社会信用代码 validation.
 */
#ifndef FISC_FISC_H
#define FISC_FISC_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"
#include "fisc/upper.h"
#include "fisc/apportion.h"
#include "fisc/uscc.h"

#endif
