/*
 * 统一社会信用代码 validation.
 *
 * GB 32100-2015《法人和其他组织统一社会信用代码编码规则》: 18 characters from the 31-character
 * set 0-9 A-H J-N P-R T U W-Y; check character C18 = 31 - (Σ value_i × W_i mod 31), W_i =
 * 3^(i-1) mod 31, 31 → 0. Characters 9-17 are the GB 11714 组织机构代码, whose own mod-11 check
 * (weights 3 7 9 10 5 8 4 2; 10 → X, 11 → 0) fails in legacy data, so it only warns
 * (conventions.md §6). Known 登记管理部门码 + 机构类别码 pairs are those conventions.md §6 lists;
 * an unknown pair warns, never fails.
 */
#include <string.h>

#include "fisc_private.h"

#define USCC_LEN 18
#define MAX_INPUT 256

static const char CHARSET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
static const int ORG_WEIGHTS[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
static const char *const KNOWN_CATEGORIES[] = { "11", "12", "13", "19", "51", "52", "53",
                                                "59", "91", "92", "93", "Y1" };

/* The normalised text, with the 1-based input column of each character. */
typedef struct norm {
    char c[MAX_INPUT + 1];
    int col[MAX_INPUT + 1];
    size_t n;
    int changed;
} norm;

static int value_of(char c)
{
    const char *p = c ? strchr(CHARSET, c) : NULL;

    return p ? (int)(p - CHARSET) : -1;
}

/* Decode one UTF-8 character at s (len bytes left); returns its length, sets *cp (or -1). */
static size_t utf8_next(const unsigned char *s, size_t len, long *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xE0 && s[0] < 0xF0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((long)(s[0] & 0x0F) << 12) | ((long)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = -1;
    if (s[0] >= 0xC0 && s[0] < 0xE0 && len >= 2)
        return 2;
    if (s[0] >= 0xF0 && len >= 4)
        return 4;
    return 1;
}

/* Trim, drop spaces and hyphens, full-width → ASCII, upper case. Fails on other characters. */
static fisc_status normalise(norm *out, const char *text, fisc_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), i = 0;
    int col = 1;

    out->n = 0;
    out->changed = 0;
    while (i < len) {
        long cp;
        size_t k = utf8_next(s + i, len - i, &cp);

        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp -= 0xFEE0; /* full-width ASCII form */
            out->changed = 1;
        } else if (cp == 0x3000) {
            cp = ' ';
        }
        if (cp == ' ' || cp == '\t' || cp == '-' || cp == '\r' || cp == '\n') {
            out->changed = 1;
        } else if (cp > 0 && cp < 0x80) {
            if (cp >= 'a' && cp <= 'z') {
                cp -= 'a' - 'A';
                out->changed = 1;
            }
            out->c[out->n] = (char)cp;
            out->col[out->n++] = col;
        } else {
            return fiscp_error_set_at(err, FISC_EINVAL, col,
                                      "character %d of the credit code is not a letter or digit", col);
        }
        i += k;
        col++;
    }
    out->c[out->n] = '\0';
    return FISC_OK;
}

static int all_digits(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return 0;
    return 1;
}

/* "9.14403E+17" (`\d(\.\d+)?E\+\d+`): what Excel makes of an all-digit code in a number cell. */
static int excel_scientific(const char *s)
{
    size_t k = 1, d;

    if (!(s[0] >= '0' && s[0] <= '9'))
        return 0;
    if (s[k] == '.') {
        d = strspn(s + k + 1, "0123456789");
        if (d == 0)
            return 0;
        k += 1 + d;
    }
    if (s[k] != 'E' || s[k + 1] != '+')
        return 0;
    d = strspn(s + k + 2, "0123456789");
    return d > 0 && s[k + 2 + d] == '\0';
}

static fisc_status check_shape(const norm *nm, fisc_error *err)
{
    if (nm->n == 0)
        return fiscp_error_set(err, FISC_EINVAL, "the credit code is empty");
    if (excel_scientific(nm->c))
        return fiscp_error_set(err, FISC_EINVAL,
                               "the credit code \"%s\" looks like a number Excel wrote in scientific "
                               "notation, which loses digits: format the column as 文本 (text) and "
                               "enter the code again",
                               nm->c);
    if (nm->n == 15 && all_digits(nm->c, 15))
        return fiscp_error_set(err, FISC_EINVAL,
                               "\"%s\" is a legacy 15-digit 工商注册号, not an 18-character 统一社会信用代码",
                               nm->c);
    if (nm->n == 9)
        return fiscp_error_set(err, FISC_EINVAL,
                               "\"%s\" looks like a legacy 9-character 组织机构代码, not an 18-character "
                               "统一社会信用代码",
                               nm->c);
    if (nm->n != USCC_LEN)
        return fiscp_error_set(err, FISC_EINVAL,
                               "the credit code has %zu characters; a 统一社会信用代码 has 18", nm->n);
    for (size_t k = 0; k < USCC_LEN; k++)
        if (value_of(nm->c[k]) < 0)
            return fiscp_error_set_at(err, FISC_EINVAL, nm->col[k],
                                      "character %zu of the credit code, '%c', is not allowed "
                                      "(I, O, S, V and Z are never used)",
                                      k + 1, nm->c[k]);
    return FISC_OK;
}

static char check_char(const char *c)
{
    int sum = 0;

    for (int k = 0; k < 17; k++)
        sum += value_of(c[k]) * WEIGHTS[k];
    return CHARSET[(31 - sum % 31) % 31];
}

static int org_code_ok(const char *c)
{
    int sum = 0, v;

    for (int k = 0; k < 8; k++) {
        char ch = c[8 + k];

        v = ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
        sum += v * ORG_WEIGHTS[k];
    }
    v = 11 - sum % 11;
    return c[16] == (v == 10 ? 'X' : v == 11 ? '0' : (char)('0' + v));
}

static int known_category(const char *c)
{
    for (size_t k = 0; k < FISCP_ARRAY_SIZE(KNOWN_CATEGORIES); k++)
        if (c[0] == KNOWN_CATEGORIES[k][0] && c[1] == KNOWN_CATEGORIES[k][1])
            return 1;
    return 0;
}

fisc_status fisc_uscc_check(fisc_uscc *out, const char *text, fisc_error *err)
{
    norm nm;
    fisc_status rc;
    char want;

    fiscp_error_reset(err);
    if (!text)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_uscc_check: text is NULL");
    if (strlen(text) > MAX_INPUT)
        return fiscp_error_set(err, FISC_EINVAL, "the credit code is longer than %d bytes", MAX_INPUT);
    if ((rc = normalise(&nm, text, err)) != FISC_OK || (rc = check_shape(&nm, err)) != FISC_OK)
        return rc;
    want = check_char(nm.c);
    if (nm.c[17] != want)
        return fiscp_error_set_at(err, FISC_EINVAL, nm.col[17],
                                  "the check character (18th) of %s is '%c' but should be '%c'",
                                  nm.c, nm.c[17], want);
    if (out) {
        memcpy(out->code, nm.c, USCC_LEN + 1);
        out->warnings = (nm.changed ? FISC_USCC_WARN_NORMALIZED : 0u) |
                        (org_code_ok(nm.c) ? 0u : FISC_USCC_WARN_ORG_CODE) |
                        (known_category(nm.c) ? 0u : FISC_USCC_WARN_CATEGORY);
    }
    return FISC_OK;
}
