/**
 * @file fisc/upper.h
 * @brief 人民币大写: amounts written in Chinese capital numerals for vouchers and bank instruments.
 * @defgroup fisc_upper Chinese capital numerals
 * @{
 *
 * Follows 中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的基本规定》(1997) and
 * 财政部《会计基础工作规范》第五十二条, in one canonical form: digits 零壹贰叁肆伍陆柒捌玖, units
 * 拾佰仟万亿, 元角分; 壹 before a leading 拾 (壹拾万); one 零 for a run of zeros inside the
 * number, none for trailing zeros of a section; 零 after 元 when the 元 digit is 0 and 角 is not,
 * and always when 角 is 0 and 分 is not; 整 after 元 and (by default) after 角, never after 分;
 * the part above 亿 written recursively (1000100000000 → 壹万零壹亿元整); 负 before a negative.
 */
#ifndef FISC_UPPER_H
#define FISC_UPPER_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"

FISC_BEGIN_DECL

/** Omit 整 after 角 (PBoC allows it: 人民币壹仟肆佰零玖元伍角). 整 after 元 is always written. */
#define FISC_UPPER_NO_ZHENG_AFTER_JIAO 0x1u
/** Prefix 人民币 (directly, with no blank), as the forms require. */
#define FISC_UPPER_RMB_PREFIX 0x2u

/**
 * Write an amount in 元 as 人民币大写.
 *
 * @param[out] out  UTF-8; the caller owns it and must release it with fisc_string_free().
 * @param amount    at most two decimals (round to 分 first) and at most
 *                  FISC_DECIMAL_MAX_INT_DIGITS integer digits.
 * @param flags     FISC_UPPER_* flags.
 * @return FISC_OK; FISC_EINVAL (more than two decimals, NULL argument, unknown flag);
 *         FISC_ERANGE (too many digits); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_upper_format(char **out, const fisc_decimal *amount,
                                                      unsigned flags, fisc_error *err);

FISC_END_DECL

/** @} */
#endif
