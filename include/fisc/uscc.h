/**
 * @file fisc/uscc.h
 * @brief 统一社会信用代码 (unified social credit code) validation, GB 32100-2015.
 * @defgroup fisc_uscc Unified social credit code
 * @{
 *
 * A code is 18 characters from `0123456789ABCDEFGHJKLMNPQRTUWXY`: 登记管理部门码, 机构类别码,
 * six-digit 行政区划码, nine-character 主体标识码 (组织机构代码, GB 11714) and a check character
 * C = 31 - (sum of value_i * 3^(i-1) mod 31) mod 31 over the first 17.
 *
 * Input is normalised first: surrounding and inner spaces and hyphens are removed, full-width
 * forms become ASCII and letters become upper case (FISC_USCC_WARN_NORMALIZED says so).
 */
#ifndef FISC_USCC_H
#define FISC_USCC_H

#include "fisc/common.h"
#include "fisc/errors.h"

FISC_BEGIN_DECL

/** The input was normalised (spaces, hyphens, full-width characters or lower case removed). */
#define FISC_USCC_WARN_NORMALIZED 0x1u
/** The GB 11714 check of the 组织机构代码 (characters 9-17) fails: common in legacy data. */
#define FISC_USCC_WARN_ORG_CODE 0x2u
/** The 登记管理部门码 and 机构类别码 pair is not one fisc knows. */
#define FISC_USCC_WARN_CATEGORY 0x4u

/** A checked code. */
typedef struct fisc_uscc {
    char code[19];      /**< the normalised code, NUL-terminated */
    unsigned warnings;  /**< FISC_USCC_WARN_* bits */
} fisc_uscc;

/**
 * Check a unified social credit code.
 *
 * @param[out] out  optional; the normalised code and warnings (only on FISC_OK).
 * @param text      UTF-8 text, at most 256 bytes.
 * @param[out] err  on error a sentence saying what is wrong and, where one character is
 *                  to blame, its 1-based position in fisc_error::column: a character
 *                  outside the set (I, O, S, V, Z ...), a wrong check character (with the
 *                  expected one), a wrong length, a legacy 15-digit 注册号 or 9-character
 *                  组织机构代码, or a number Excel turned into scientific notation.
 * @return FISC_OK (valid, maybe with warnings), FISC_EINVAL (not a valid code; also NULL text).
 */
FISC_API FISC_NODISCARD fisc_status fisc_uscc_check(fisc_uscc *out, const char *text,
                                                    fisc_error *err);

FISC_END_DECL

/** @} */
#endif
