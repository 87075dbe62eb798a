/*
 * The fact vocabulary: every fact a program may read, with its type, unit, labels and range.
 * docs/facts.md documents the same table for users; keep them in step.
 */
#include "facts.h"

#define DEC FISC_FACT_DECIMAL
#define INT FISC_FACT_INTEGER
#define BOOL FISC_FACT_BOOL
#define DATE FISC_FACT_DATE
#define TEXT FISC_FACT_TEXT
#define QUARTERS FISC_FACT_QUARTERS

const fiscp_vocab fiscp_vocab_table[FACT_COUNT] = {
    [FACT_ENTERPRISE_NAME] = { { "enterprise_name", TEXT, "", "企业名称", "Enterprise name", "",
                                 "The registered name; for reports only." }, NULL, NULL },
    [FACT_USCC] = { { "uscc", TEXT, "", "统一社会信用代码", "Unified social credit code", "",
                      "18 characters, checked with the GB 32100-2015 check character." }, NULL, NULL },
    [FACT_TAXABLE_INCOME] = { { "taxable_income", DEC, "元", "应纳税所得额", "Taxable income", "",
                                "For the tax year; at quarterly prepayment, cumulative from January to the "
                                "end of the quarter. Negative for a loss." }, NULL, NULL },
    [FACT_EMPLOYEES] = { { "employees", QUARTERS, "人", "从业人数（季初、季末）", "Employees (quarter start, end)", "",
                           "Headcount including dispatched workers, at the start and end of each quarter." },
                         "0", "100000000" },
    [FACT_EMPLOYEES_AVERAGE] = { { "employees_average", DEC, "人", "从业人数季度平均值",
                                   "Employees, average of quarterly averages", "",
                                   "Used when the quarterly values are not given." }, "0", "100000000" },
    [FACT_ASSETS] = { { "assets", QUARTERS, "元", "资产总额（季初、季末）", "Total assets (quarter start, end)", "",
                        "Total assets at the start and end of each quarter." }, "0", NULL },
    [FACT_ASSETS_AVERAGE] = { { "assets_average", DEC, "元", "资产总额季度平均值",
                                "Total assets, average of quarterly averages", "",
                                "Used when the quarterly values are not given." }, "0", NULL },
    [FACT_INDUSTRY_RESTRICTED] = { { "industry_restricted", BOOL, "", "从事国家限制或禁止行业",
                                     "In an industry the State restricts or prohibits", "",
                                     "true excludes the small and micro enterprise relief." }, NULL, NULL },
    [FACT_HNTE_CERTIFICATE_DATE] = { { "hnte_certificate_date", DATE, "", "高新技术企业证书发证日期",
                                       "High-tech enterprise certificate date", "",
                                       "The issue date of the current certificate; absent if the enterprise "
                                       "holds none." }, NULL, NULL },
    [FACT_REGISTERED_IN_YULIN] = { { "registered_in_yulin", BOOL, "", "在玉林市注册", "Registered in Yulin", "",
                                     "Registered (工商注册) in 玉林市." }, NULL, NULL },
    [FACT_TAX_REGISTERED_IN_YULIN] = { { "tax_registered_in_yulin", BOOL, "", "税务关系在玉林市",
                                         "Tax relationship in Yulin", "",
                                         "Files and pays taxes in 玉林市." }, NULL, NULL },
};
