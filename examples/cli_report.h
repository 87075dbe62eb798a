/*
 * The text (and year-by-year JSON) reports of `fisc estimate`, built from the public result API
 * (fisc_result_item(), fisc_result_total(), ...) only. Not part of the library API.
 *
 * One period: a header, a summary table (each program: outcome, main amounts, provisional or
 * not, the clause), then each program's details: the conditions not met (with the values
 * compared) or the facts missing, and with --explain every condition, parameter and step.
 *
 * Several tax years (--years): one row per program and amount, one column per year, the totals,
 * and what changed from one year to the next with the parameters behind the change.
 */
#ifndef FISC_CLI_REPORT_H
#define FISC_CLI_REPORT_H

#include <fisc/fisc.h>

#include "cli_common.h"

/* Append the report of one evaluation of @p policy for the period (@p year, @p quarter: 0 for
 * the whole year) to @p b, in @p lang ("zh" or "en"). */
void cli_report_text(cli_buf *b, const fisc_policy *policy, const fisc_result *r, int year,
                     int quarter, const char *lang, int explain);

/* One tax year of a year-by-year view: its result, or why there is none. */
typedef struct cli_year_run {
    int year;
    fisc_result *result;  /* NULL when the evaluation failed */
    fisc_error err;       /* then: why (FISC_ENOTFOUND: the policy has no rules for that year) */
} cli_year_run;

/* Append the year-by-year table of @p n runs (in year order) to @p b; with @p explain, each
 * year's full report after it. */
void cli_report_years_text(cli_buf *b, const fisc_policy *policy, const cli_year_run *runs,
                           size_t n, const char *lang, int explain);

/*
 * Append the JSON of @p n runs: {"schema":"fisc-years/1","years":[{"year":Y,"result":{...}} or
 * {"year":Y,"error":{"code","message"}}, ...]}, each result a fisc-result/1 document (with the
 * steps when @p trace). @return FISC_OK, or the error of fisc_result_to_json() in @p err.
 */
int cli_report_years_json(cli_buf *b, const cli_year_run *runs, size_t n, int trace, fisc_error *err);

/*
 * For the HTML report (cmd_report.c), the choices the text report makes: the indices of an
 * item's main amounts into @p idx (room for amount_count + 1) and their number; the item's
 * clauses, one cli_buf per document (room for param_count + 1; the caller frees each), and
 * their number; an amount as money ("1,234.50", or the exact value when it has more decimals),
 * NULL when out of memory, released with fisc_string_free().
 */
size_t cli_report_main_amounts(const fisc_item *it, size_t *idx);
size_t cli_report_clauses(const fisc_item *it, cli_buf *lines);
char *cli_report_money(const fisc_decimal *v);

#endif
