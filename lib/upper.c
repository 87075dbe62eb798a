/*
 * 人民币大写 (amounts in Chinese capital numerals).
 *
 * Implements 中国人民银行《支付结算办法》附件《正确填写票据和结算凭证的基本规定》(1997) and
 * 财政部《会计基础工作规范》(财会字〔1996〕19号) 第五十二条, in the canonical form of
 * conventions.md §2:
 * - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟 inside a four-digit section, 万 and 亿 between;
 * - the part above 亿 is itself a number, written recursively, then 亿 (1000100000000 is
 *   壹万零壹亿, not 壹万亿零壹亿);
 * - one 零 for a run of zeros inside the number; trailing zeros of a section are not read;
 * - 壹 before a leading 拾 (壹拾万), as in the PBoC examples;
 * - after 元: 零 when the 元 digit is 0 and 角 is not (¥1680.32 壹仟陆佰捌拾元零叁角贰分), and
 *   always when 角 is 0 and 分 is not (¥16409.02 …玖元零贰分);
 * - 整 after 元 with no 角分, after 角 unless the caller omits it, never after 分;
 * - 负 before a negative amount (a software convention; neither text covers negatives).
 */
#include <stdio.h>
#include <string.h>

#include "decimal.h"

static const char *const DIGIT[10] = { "零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖" };
static const char *const SMALL_UNIT[4] = { "", "拾", "佰", "仟" };

/* A growing UTF-8 buffer; the size is computed up front, so appends never overflow. */
typedef struct text {
    char *p;
    size_t n;
} text;

static void put(text *t, const char *s)
{
    size_t k = strlen(s);

    memcpy(t->p + t->n, s, k);
    t->n += k;
}

/* Write a run of 1..4 digits (no leading zeros) with 拾佰仟. */
static void write_section(text *t, const char *d, size_t n)
{
    int pending_zero = 0;

    for (size_t k = 0; k < n; k++) {
        int digit = d[k] - '0';

        if (digit == 0) {
            pending_zero = 1;
            continue;
        }
        if (pending_zero)
            put(t, DIGIT[0]);
        pending_zero = 0;
        put(t, DIGIT[digit]);
        put(t, SMALL_UNIT[n - 1 - k]);
    }
}

static void write_number(text *t, const char *d, size_t n);

/* The low `width` digits after a non-zero higher part: 零 first if they start with zeros. */
static void write_lower(text *t, const char *d, size_t width)
{
    size_t z = 0;

    while (z < width && d[z] == '0')
        z++;
    if (z == width)
        return;
    if (z > 0)
        put(t, DIGIT[0]);
    write_number(t, d + z, width - z);
}

/* Write a non-zero number given as n digits without leading zeros. */
static void write_number(text *t, const char *d, size_t n)
{
    if (n > 8) {
        write_number(t, d, n - 8);
        put(t, "亿");
        write_lower(t, d + n - 8, 8);
    } else if (n > 4) {
        write_section(t, d, n - 4);
        put(t, "万");
        write_lower(t, d + n - 4, 4);
    } else {
        write_section(t, d, n);
    }
}

static void write_fraction(text *t, int has_yuan, int yuan_digit_zero, int jiao, int fen,
                           unsigned flags)
{
    if (jiao == 0 && fen == 0) {
        put(t, "整");
        return;
    }
    if (jiao != 0) {
        if (has_yuan && yuan_digit_zero)
            put(t, DIGIT[0]);
        put(t, DIGIT[jiao]);
        put(t, "角");
    } else if (has_yuan) {
        put(t, DIGIT[0]);
    }
    if (fen != 0) {
        put(t, DIGIT[fen]);
        put(t, "分");
    } else if (!(flags & FISC_UPPER_NO_ZHENG_AFTER_JIAO)) {
        put(t, "整");
    }
}

/*
 * Integer digits of |amount| (without leading zeros, "" for zero), 角 and 分. Fails unless the
 * amount has at most two decimals: 大写 never rounds on its own.
 */
static fisc_status split_amount(char **intd, int *neg, int *jiao, int *fen,
                                const fisc_decimal *amount, fisc_error *err)
{
    fisc_decimal cents;
    uint32_t status = 0;
    char *digits = NULL, *d;
    int scale;
    size_t nd, z = 0;
    fisc_status rc;

    fisc_decimal_init(&cents);
    rc = fisc_decimal_round(&cents, NULL, amount, 2, FISC_ROUND_DOWN, &status, err);
    if (rc == FISC_OK && (status & FISC_STATUS_INEXACT))
        rc = fiscp_error_set(err, FISC_EINVAL,
                             "大写 needs an amount with at most two decimals (round it to 分 first)");
    if (rc == FISC_OK)
        rc = fiscp_decimal_digits(&digits, neg, &scale, &cents, err);
    fisc_decimal_clear(&cents);
    if (rc != FISC_OK)
        return rc;
    /* d = |amount| * 100 as digits, with two leading zeros so that it has at least three */
    nd = strlen(digits);
    d = fiscp_malloc(nd + 5);
    if (!d) {
        fiscp_free(digits);
        return fiscp_error_nomem(err);
    }
    snprintf(d, nd + 5, "00%s%s", digits, scale == 2 ? "" : scale == 1 ? "0" : "00");
    fiscp_free(digits);
    nd = strlen(d);
    *jiao = d[nd - 2] - '0';
    *fen = d[nd - 1] - '0';
    d[nd - 2] = '\0';
    while (d[z] == '0')
        z++;
    memmove(d, d + z, nd - 2 - z + 1);
    if (strlen(d) > FISC_DECIMAL_MAX_INT_DIGITS) {
        fiscp_free(d);
        return fiscp_error_set(err, FISC_ERANGE, "大写 is limited to %d integer digits",
                               FISC_DECIMAL_MAX_INT_DIGITS);
    }
    *intd = d;
    return FISC_OK;
}

fisc_status fisc_upper_format(char **out, const fisc_decimal *amount, unsigned flags, fisc_error *err)
{
    char *intd = NULL;
    int neg = 0, jiao = 0, fen = 0;
    size_t nint;
    text t;
    fisc_status rc;

    fiscp_error_reset(err);
    if (!out || !amount)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_upper_format: NULL argument");
    *out = NULL;
    if (flags & ~(FISC_UPPER_NO_ZHENG_AFTER_JIAO | FISC_UPPER_RMB_PREFIX))
        return fiscp_error_set(err, FISC_EINVAL, "fisc_upper_format: unknown flags 0x%x", flags);
    if ((rc = split_amount(&intd, &neg, &jiao, &fen, amount, err)) != FISC_OK)
        return rc;
    nint = strlen(intd);
    /* Every digit yields at most 零 + digit + unit (+ 万/亿): 4 characters of 3 bytes. */
    t.p = fiscp_malloc(64 + nint * 15);
    t.n = 0;
    if (!t.p) {
        fiscp_free(intd);
        return fiscp_error_nomem(err);
    }
    if (flags & FISC_UPPER_RMB_PREFIX)
        put(&t, "人民币");
    if (neg && (nint || jiao || fen))
        put(&t, "负");
    if (nint) {
        write_number(&t, intd, nint);
        put(&t, "元");
    } else if (jiao == 0 && fen == 0) {
        put(&t, "零元");
    }
    write_fraction(&t, nint > 0 || (jiao == 0 && fen == 0), nint > 0 && intd[nint - 1] == '0', jiao,
                   fen, flags);
    t.p[t.n] = '\0';
    fiscp_free(intd);
    *out = t.p;
    return FISC_OK;
}
