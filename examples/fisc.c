/*
 * fisc: the command-line face of libfisc.
 *
 *   fisc round VALUE       round exactly (四舍五入 by default)
 *   fisc upper AMOUNT      人民币大写
 *   fisc apportion FILE    split a budget over the rows of a CSV file
 *   fisc budget FILE       pay a program's applicants from a fixed budget (同比例核减, by USCC)
 *   fisc uscc CODE...      check 统一社会信用代码
 *   fisc estimate FACTS    evaluate a policy's programs for one enterprise (cmd_policy.c)
 *   fisc params            list a policy's dated, cited parameters (cmd_policy.c)
 *   fisc policy check      check policy files (cmd_policy.c)
 *   fisc agreement         check, evaluate and schedule 一事一议 agreements (cmd_agreement.c)
 *   fisc batch INPUT       evaluate a policy for every row of a CSV or JSON Lines file (cmd_batch.c)
 *   fisc report FACTS      one enterprise's result as an offline HTML file (cmd_report.c)
 *   fisc whatif INPUT      base vs overlay over a population: totals, gains, losses (cmd_whatif.c)
 *
 * Uses only the public API (<fisc/fisc.h>), like any application linking the library. No
 * floating point anywhere: values are parsed from text and printed with fisc_decimal_to_string().
 * Conventions (streams, --json, exit statuses) follow conventions.md §13.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <fisc/fisc.h>

#include "cli_cmds.h"
#include "cli_common.h"
#include "cli_csv.h"

#define EXIT_STATUS_SHORT \
    "Exit status: 0 computed, 1 invalid input data, 2 usage error, 70 internal error\n" \
    "(see 'fisc --help').\n"

static const char main_usage[] =
    "Usage: fisc [--help | --version] COMMAND [ARGS...]\n"
    "\n"
    "Exact Chinese subsidy and tax-incentive arithmetic with libfisc. No binary floating\n"
    "point: every value is read as decimal text and computed exactly.\n"
    "\n"
    "Commands:\n"
    "  round VALUE        round a value exactly (四舍五入 by default)\n"
    "  upper AMOUNT       write an amount in 人民币大写\n"
    "  apportion FILE     split a budget over the rows of a CSV file (同比例核减, or by weight)\n"
    "  budget FILE        pay a program's applicants (统一社会信用代码, approved amount, cap)\n"
    "                     from a fixed budget, with a reconciliation\n"
    "  uscc CODE...       check 统一社会信用代码 (GB 32100-2015)\n"
    "  estimate FACTS     evaluate a policy's programs (企业所得税, 小型微利企业, 高新技术企业,\n"
    "                     local rewards, ...) for one enterprise, with --explain for the steps\n"
    "  params             list a policy's parameters with their dates, values and citations\n"
    "  policy check FILE  check policy files (file:line:column of the first error) and\n"
    "                     show their layers\n"
    "  agreement check|evaluate|schedule FILE\n"
    "                     one-matter-one-discussion (一事一议) agreements: check one against\n"
    "                     the policy, evaluate it year by year against the actual figures,\n"
    "                     or show its payment plan\n"
    "  batch INPUT        evaluate a policy for every row (enterprise) of a CSV or JSON Lines\n"
    "                     file, streaming, with --jobs threads and exact totals\n"
    "  report FACTS       write one enterprise's result as a self-contained offline HTML\n"
    "                     file (summary in figures and 大写, chart, conditions, steps, sources)\n"
    "  whatif INPUT --overlay FILE\n"
    "                     what a policy change costs over a population: per program the exact\n"
    "                     totals, the difference, who gains and loses by size band (--html)\n"
    "  help [COMMAND]     show the help of a command\n"
    "\n"
    "Options:\n"
    "  -h, --help         show this help and exit\n"
    "  -V, --version      show the versions of fisc and libfisc and exit\n"
    "\n"
    "Run 'fisc COMMAND --help' for the options of a command.\n"
    "\n"
    "Output: results go to standard output; errors, warnings and summaries to standard error.\n"
    "With --json a command prints exactly one JSON document on standard output: its result, or\n"
    "  {\"error\":{\"code\":\"FISC_EINVAL\",\"message\":\"...\",\"field\":...,\"line\":...,\"column\":...}}\n"
    "where code is a library status name (FISC_EINVAL, FISC_EPARSE, FISC_ERANGE, ...) or\n"
    "FISC_CLI_USAGE, FISC_CLI_IO, FISC_CLI_OUTPUT. Amounts in JSON are strings (\"1234.50\"), in 元.\n"
    "A value that starts with '-' (a negative number) may be given as is, or after '--'.\n"
    "\n"
    "Exit status:\n"
    "  0   computed\n"
    "  1   invalid input data (a bad value, an unreadable or undecodable file)\n"
    "  2   usage error (unknown command or option, missing or malformed option value)\n"
    "  3   batch finished with some rows bad (their errors reported, every other row computed)\n"
    "  4   policy or configuration error (a policy file that does not load, or has no value\n"
    "      of a parameter for the period asked)\n"
    "  70  internal error (out of memory, output could not be written)\n";

static const char round_usage[] =
    "Usage: fisc round VALUE [--places N | --unit U] [--mode MODE] [--json]\n"
    "\n"
    "Round VALUE exactly, once. VALUE is a decimal (-1.005), a fraction (2/3) or a\n"
    "percentage (12.5%, meaning 0.125); no spaces, exponents or thousands separators.\n"
    "\n"
    "  -p, --places N   round to N decimal places, -40..36 (default 2, i.e. 分); negative N\n"
    "                   rounds to tens, hundreds, ... The result is shown with max(N, 0) decimals.\n"
    "  -u, --unit U     round to a multiple of U instead (0.05, 1, 100, 10000, ...); the result\n"
    "                   is shown with as many decimals as U has\n"
    "  -m, --mode MODE  half_up (四舍五入, default), half_even (四舍六入五成双, GB/T 8170),\n"
    "                   half_down, down (截位, toward zero), up (away from zero),\n"
    "                   ceiling (toward +infinity), floor (toward -infinity)\n"
    "  -j, --json       print {\"input\",\"result\",\"residue\",\"mode\",\"places\",\"unit\",\n"
    "                   \"rounded\",\"inexact\"}: residue = input - result, exactly; inexact is\n"
    "                   true when the result differs from the input\n"
    "  -h, --help       show this help\n"
    "\n"
    "Examples:\n"
    "  fisc round 2.675                 -> 2.68\n"
    "  fisc round -2.5 --places 0       -> -3 (symmetric: the sign is put back)\n"
    "  fisc round 2.665 --mode half_even -> 2.66\n"
    "  fisc round 1234567 --unit 10000  -> 1230000\n"
    "\n" EXIT_STATUS_SHORT;

static const char upper_usage[] =
    "Usage: fisc upper AMOUNT [--no-zheng-after-jiao] [--rmb] [--json]\n"
    "\n"
    "Write AMOUNT (元, at most two decimals: round it first) in 人民币大写, following the\n"
    "PBoC rules for 票据和结算凭证 and 会计基础工作规范 第五十二条.\n"
    "\n"
    "  --no-zheng-after-jiao   omit 整 after 角 (伍角 instead of 伍角整; PBoC allows it)\n"
    "  --rmb                   prefix 人民币\n"
    "  -j, --json              print {\"amount\",\"upper\"}\n"
    "  -h, --help              show this help\n"
    "\n"
    "Example:\n"
    "  fisc upper 1409.50 --rmb         -> 人民币壹仟肆佰零玖元伍角整\n"
    "\n" EXIT_STATUS_SHORT;

static const char apportion_usage[] =
    "Usage: fisc apportion FILE|- --budget AMOUNT [--mode prorata|weights] [--unit U]\n"
    "                      [--remainder largest|first|separate] [--output FILE] [--bom] [--json]\n"
    "\n"
    "Split a budget exactly over the rows of a CSV file (- reads standard input).\n"
    "Columns: key (e.g. the enterprise name), requested amount (or weight), optional cap.\n"
    "Row 1 is a header when its second field is not a number. The file may be UTF-8 (with or\n"
    "without a BOM) or GBK/GB18030, as Excel saves it; rows are numbered as Excel shows them.\n"
    "\n"
    "  -b, --budget AMOUNT  the total to split (元; a multiple of the unit)\n"
    "  -m, --mode MODE      prorata (default): each row is a request; if the requests exceed\n"
    "                       the budget all are scaled down by one ratio (同比例核减), otherwise\n"
    "                       each gets its request and the rest stays unallocated;\n"
    "                       weights: the whole budget is split in proportion to the weights\n"
    "  -u, --unit U         allocate multiples of U (default 0.01, i.e. 分)\n"
    "  -r, --remainder R    where the units left after rounding down go: largest (default,\n"
    "                       largest remainder first), first (all to the first row with room),\n"
    "                       separate (kept out and reported as the remainder)\n"
    "  -o, --output FILE    write the result to FILE instead of standard output\n"
    "      --bom            start the CSV with a UTF-8 byte order mark (for Excel)\n"
    "  -j, --json           print one JSON object with the rows and the totals instead of CSV\n"
    "  -h, --help           show this help\n"
    "\n"
    "Output: the input columns plus 'allocated' and 'capped' (yes/no), as CSV; a summary\n"
    "(rows, budget, requested, allocated, unallocated, remainder) goes to standard error.\n"
    "The allocated amounts, the unallocated amount and the remainder add up exactly to the\n"
    "budget. A cap limits a row; what it cannot take goes to the other rows.\n"
    "\n"
    "Amounts in cells are read strictly: 1234.50, not 1,234.50, ￥1234.50 or ' 1234.50'.\n"
    "Every bad row (an unparsable, empty or negative amount or cap, a missing column) is\n"
    "reported with its row number and column, and then nothing is written and the exit status\n"
    "is 1: each row's share depends on all the others, so an allocation that silently dropped\n"
    "one row would be wrong for every other row. Fix the rows and run again.\n"
    "\n" EXIT_STATUS_SHORT;

static const char budget_usage[] =
    "Usage: fisc budget FILE|- --program ID --budget AMOUNT [--policy FILE]...\n"
    "                   [--output FILE] [--bom] [--json]\n"
    "\n"
    "Pay the applicants of a program from a fixed budget, exactly to the 分 (- reads standard\n"
    "input). Columns: 统一社会信用代码 (USCC), name, approved amount, optional cap. Row 1 is a\n"
    "header when its third field is not a number. Encodings and row numbers as 'fisc apportion'.\n"
    "\n"
    "  -b, --budget AMOUNT  the program's budget (元, a multiple of 0.01)\n"
    "  -P, --program ID     the program the budget pays; when a policy is given (--policy) or\n"
    "                       the bundled one loads, the id must be one of its programs\n"
    "  -p, --policy FILE    a policy layer (YAML); repeat it for several layers, national first\n"
    "  -o, --output FILE    write the result to FILE instead of standard output\n"
    "      --bom            start the CSV with a UTF-8 byte order mark (for Excel)\n"
    "  -j, --json           print one JSON object with the rows and the reconciliation\n"
    "  -h, --help           show this help\n"
    "\n"
    "If the approved amounts fit in the budget each applicant gets its amount; otherwise all are\n"
    "scaled down by one ratio (同比例核减). A cap limits an applicant; what it cannot take goes to\n"
    "the others. Units of 0.01 left after rounding down go by the largest remainder, ties to the\n"
    "lowest USCC (normalised, in code order).\n"
    "\n"
    "Output: the input columns plus 'allocated' and 'capped' (yes/no), as CSV; the\n"
    "reconciliation (budget, paid, unallocated) goes to standard error (in --json: the\n"
    "\"reconciliation\" object). Every USCC is checked (GB 32100-2015); a bad USCC, a duplicate\n"
    "USCC or a bad amount is reported with its row and column, nothing is written and the exit\n"
    "status is 1. An unknown --program is a usage error (exit 2).\n"
    "\n" EXIT_STATUS_SHORT;

static const char uscc_usage[] =
    "Usage: fisc uscc CODE... [--json]\n"
    "\n"
    "Check each 统一社会信用代码 (GB 32100-2015): character set, length and check character.\n"
    "Spaces, hyphens, full-width characters and lower case are normalised first. Prints\n"
    "'CODE<TAB>valid' (the normalised code) or 'INPUT<TAB>invalid' per argument, with any\n"
    "warnings (normalised input, failed GB 11714 组织机构代码 check, unknown category) in a\n"
    "third column; the reason a code is invalid goes to standard error.\n"
    "\n"
    "  -j, --json   print {\"codes\":[{\"input\",\"valid\",\"code\",\"warnings\",\"error\"}],\"all_valid\"}\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: 0 all valid, 1 some code invalid, 2 usage error, 70 internal error.\n";

/* ---------------------------------------------------------------------------------------- */
/* Shared value helpers. */

static const struct {
    const char *name;
    fisc_round mode;
} round_modes[] = {
    { "half_up", FISC_ROUND_HALF_UP },   { "half_even", FISC_ROUND_HALF_EVEN },
    { "half_down", FISC_ROUND_HALF_DOWN }, { "down", FISC_ROUND_DOWN },
    { "up", FISC_ROUND_UP },             { "ceiling", FISC_ROUND_CEILING },
    { "floor", FISC_ROUND_FLOOR },
};

static int parse_round_mode(const char *s, fisc_round *out)
{
    size_t i;

    for (i = 0; i < CLI_ARRAY_SIZE(round_modes); i++) {
        if (strcmp(s, round_modes[i].name) == 0) {
            *out = round_modes[i].mode;
            return 0;
        }
    }
    return -1;
}

static const char *round_mode_name(fisc_round mode)
{
    size_t i;

    for (i = 0; i < CLI_ARRAY_SIZE(round_modes); i++)
        if (round_modes[i].mode == mode)
            return round_modes[i].name;
    return "?";
}

/* Decimal places written in a plain decimal's text ("0.05" -> 2, "100" -> 0). */
static int text_places(const char *s)
{
    const char *dot = strchr(s, '.');

    return dot ? (int)strlen(dot + 1) : 0;
}

/*
 * Format @p v with @p places decimals; with places < 0, or when that many decimals cannot
 * show the value exactly, the exact form is used instead (nothing is ever rounded here).
 */
static int format_dec(char **out, const fisc_decimal *v, int places, fisc_error *err)
{
    *out = NULL;
    if (places >= 0) {
        fisc_format fmt = FISC_FORMAT_INIT;
        uint32_t status = 0;
        int rc;

        fmt.places = places;
        rc = fisc_decimal_to_string(out, v, &fmt, &status, err);
        if (rc != FISC_OK || !(status & FISC_STATUS_INEXACT))
            return rc;
        fisc_string_free(*out);
        *out = NULL;
    }
    return fisc_decimal_to_string(out, v, NULL, NULL, err);
}

/* Parse a value from the command line, naming @p what as the error's source. */
static int parse_arg(fisc_decimal *out, const char *text, unsigned flags, const char *what,
                     fisc_error *err)
{
    int rc = fisc_decimal_parse(out, text, flags, err);

    if (rc != FISC_OK && err && !err->source[0])
        cli_strlcpy_utf8(err->source, sizeof(err->source), what);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc round */

static int cmd_round(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "places", required_argument, NULL, 'p' },
        { "unit", required_argument, NULL, 'u' },
        { "mode", required_argument, NULL, 'm' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc round", 0 };
    cli_args a;
    fisc_error err = FISC_ERROR_INIT;
    fisc_decimal value, unit, result, residue;
    fisc_round mode = FISC_ROUND_HALF_UP;
    const char *unit_text = NULL, *places_text = NULL;
    char *s_in = NULL, *s_res = NULL, *s_resid = NULL, *s_unit = NULL;
    uint32_t status = 0;
    int places = 2, shown, help = 0, c, rc, ret;

    if (cli_args_begin(&a, argc, argv, "+:p:u:m:jh", longopts) != 0)
        return CLI_EXIT_INTERNAL;
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'p':
            places_text = optarg;
            if (cli_parse_int(optarg, -FISC_DECIMAL_MAX_INT_DIGITS, 36, &places) != 0)
                cli_args_fail(&a, "--places needs an integer from %d to 36, not '%s'",
                          -FISC_DECIMAL_MAX_INT_DIGITS, optarg);
            break;
        case 'u': unit_text = optarg; break;
        case 'm':
            if (parse_round_mode(optarg, &mode) != 0)
                cli_args_fail(&a, "unknown --mode '%s' (half_up, half_even, half_down, down, up, "
                              "ceiling, floor)", optarg);
            break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        fputs(round_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (places_text && unit_text)
        cli_args_fail(&a, "give --places or --unit, not both");
    if (!a.error[0] && a.ac - optind != 1)
        cli_args_fail(&a, "%s", a.ac - optind ? "one VALUE expected" : "VALUE is missing");

    fisc_decimal_init(&value);
    fisc_decimal_init(&unit);
    fisc_decimal_init(&result);
    fisc_decimal_init(&residue);
    if (!a.error[0] && unit_text) {
        if (fisc_decimal_parse(&unit, unit_text, FISC_PARSE_PLAIN, &err) != FISC_OK)
            cli_args_fail(&a, "--unit needs a plain decimal such as 0.05 or 10000, not '%s'", unit_text);
        else if (fisc_decimal_sign(&unit) <= 0)
            cli_args_fail(&a, "--unit must be positive, not '%s'", unit_text);
    }
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }

    rc = parse_arg(&value, a.av[optind], FISC_PARSE_RATE, "VALUE", &err);
    if (rc == FISC_OK) {
        if (unit_text)
            rc = fisc_decimal_round_unit(&result, &residue, &value, &unit, mode, &status, &err);
        else
            rc = fisc_decimal_round(&result, &residue, &value, places, mode, &status, &err);
    }
    shown = unit_text ? text_places(unit_text) : places > 0 ? places : 0;
    if (rc == FISC_OK)
        rc = format_dec(&s_res, &result, shown, &err);
    if (rc == FISC_OK && ctx.json) {
        rc = fisc_decimal_to_string(&s_in, &value, NULL, NULL, &err);
        if (rc == FISC_OK)
            rc = fisc_decimal_to_string(&s_resid, &residue, NULL, NULL, &err);
        if (rc == FISC_OK && unit_text)
            rc = fisc_decimal_to_string(&s_unit, &unit, NULL, NULL, &err);
    }
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }
    if (ctx.json) {
        cli_buf b;

        cli_buf_init(&b);
        cli_buf_puts(&b, "{\"input\":");
        cli_buf_json_string(&b, s_in);
        cli_buf_puts(&b, ",\"result\":");
        cli_buf_json_string(&b, s_res);
        cli_buf_puts(&b, ",\"residue\":");
        cli_buf_json_string(&b, s_resid);
        cli_buf_puts(&b, ",\"mode\":");
        cli_buf_json_string(&b, round_mode_name(mode));
        if (unit_text)
            cli_buf_puts(&b, ",\"places\":null");
        else
            cli_buf_printf(&b, ",\"places\":%d", places);
        cli_buf_puts(&b, ",\"unit\":");
        cli_buf_json_string(&b, s_unit);
        cli_buf_printf(&b, ",\"rounded\":%s,\"inexact\":%s}",
                       (status & FISC_STATUS_ROUNDED) ? "true" : "false",
                       (status & FISC_STATUS_INEXACT) ? "true" : "false");
        ret = cli_emit_json(&ctx, &b, stdout);
        cli_buf_free(&b);
    } else {
        printf("%s\n", s_res);
        ret = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    }
done:
    fisc_string_free(s_in);
    fisc_string_free(s_res);
    fisc_string_free(s_resid);
    fisc_string_free(s_unit);
    fisc_decimal_clear(&value);
    fisc_decimal_clear(&unit);
    fisc_decimal_clear(&result);
    fisc_decimal_clear(&residue);
    cli_args_end(&a);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc upper */

static int cmd_upper(int argc, char **argv)
{
    enum { OPT_NO_ZHENG = 1000, OPT_RMB };
    static const struct option longopts[] = {
        { "no-zheng-after-jiao", no_argument, NULL, OPT_NO_ZHENG },
        { "rmb", no_argument, NULL, OPT_RMB },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc upper", 0 };
    cli_args a;
    fisc_error err = FISC_ERROR_INIT;
    fisc_decimal amount;
    unsigned flags = 0;
    char *s_upper = NULL, *s_amount = NULL;
    int help = 0, c, rc, ret;

    if (cli_args_begin(&a, argc, argv, "+:jh", longopts) != 0)
        return CLI_EXIT_INTERNAL;
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case OPT_NO_ZHENG: flags |= FISC_UPPER_NO_ZHENG_AFTER_JIAO; break;
        case OPT_RMB: flags |= FISC_UPPER_RMB_PREFIX; break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        fputs(upper_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!a.error[0] && a.ac - optind != 1)
        cli_args_fail(&a, "%s", a.ac - optind ? "one AMOUNT expected" : "AMOUNT is missing");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        cli_args_end(&a);
        return ret;
    }

    fisc_decimal_init(&amount);
    rc = parse_arg(&amount, a.av[optind], FISC_PARSE_PLAIN, "AMOUNT", &err);
    if (rc == FISC_OK)
        rc = fisc_upper_format(&s_upper, &amount, flags, &err);
    if (rc == FISC_OK && ctx.json)
        rc = format_dec(&s_amount, &amount, 2, &err);
    if (rc != FISC_OK) {
        if (!err.source[0])
            cli_strlcpy_utf8(err.source, sizeof(err.source), "AMOUNT");
        ret = cli_report(&ctx, &err);
    } else if (ctx.json) {
        cli_buf b;

        cli_buf_init(&b);
        cli_buf_puts(&b, "{\"amount\":");
        cli_buf_json_string(&b, s_amount);
        cli_buf_puts(&b, ",\"upper\":");
        cli_buf_json_string(&b, s_upper);
        cli_buf_puts(&b, "}");
        ret = cli_emit_json(&ctx, &b, stdout);
        cli_buf_free(&b);
    } else {
        printf("%s\n", s_upper);
        ret = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    }
    fisc_string_free(s_upper);
    fisc_string_free(s_amount);
    fisc_decimal_clear(&amount);
    cli_args_end(&a);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc uscc */

static const struct {
    unsigned bit;
    const char *name;
    const char *text;
} uscc_warnings[] = {
    { FISC_USCC_WARN_NORMALIZED, "normalized",
      "input normalised (spaces, hyphens, full-width characters or lower case removed)" },
    { FISC_USCC_WARN_ORG_CODE, "org_code",
      "the GB 11714 check of the 组织机构代码 (characters 9-17) fails" },
    { FISC_USCC_WARN_CATEGORY, "category",
      "the 登记管理部门码 and 机构类别码 pair is not a known one" },
};

static int cmd_uscc(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc uscc", 0 };
    cli_args a;
    cli_buf b;
    int help = 0, c, i, ret = CLI_EXIT_OK, all_valid = 1;
    size_t w, nw;

    if (cli_args_begin(&a, argc, argv, "+:jh", longopts) != 0)
        return CLI_EXIT_INTERNAL;
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        fputs(uscc_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!a.error[0] && optind >= a.ac)
        cli_args_fail(&a, "CODE is missing");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        cli_args_end(&a);
        return ret;
    }

    /* Valid or not is the answer for each code; the text result goes out as it is found. */
    cli_buf_init(&b);
    cli_buf_puts(&b, "{\"codes\":[");
    for (i = optind; i < a.ac; i++) {
        const char *input = a.av[i];
        fisc_error err = FISC_ERROR_INIT;
        fisc_uscc u;
        int rc = fisc_uscc_check(&u, input, &err);

        if (rc != FISC_OK && rc != FISC_EINVAL) {
            /* Not a verdict on the code: out of memory or a library fault. */
            cli_buf_free(&b);
            cli_args_end(&a);
            return cli_report(&ctx, &err);
        }
        if (rc != FISC_OK)
            all_valid = 0;
        if (ctx.json) {
            cli_buf_puts(&b, i > optind ? ",{\"input\":" : "{\"input\":");
            cli_buf_json_string(&b, input);
            cli_buf_printf(&b, ",\"valid\":%s,\"code\":", rc == FISC_OK ? "true" : "false");
            cli_buf_json_string(&b, rc == FISC_OK ? u.code : NULL);
            cli_buf_puts(&b, ",\"warnings\":[");
            for (w = 0, nw = 0; rc == FISC_OK && w < CLI_ARRAY_SIZE(uscc_warnings); w++) {
                if (!(u.warnings & uscc_warnings[w].bit))
                    continue;
                if (nw++)
                    cli_buf_puts(&b, ",");
                cli_buf_json_string(&b, uscc_warnings[w].name);
            }
            cli_buf_puts(&b, "],\"error\":");
            if (rc == FISC_OK) {
                cli_buf_puts(&b, "null}");
            } else {
                cli_buf_puts(&b, "{\"code\":");
                cli_buf_json_string(&b, cli_err_name(err.code));
                cli_buf_puts(&b, ",\"message\":");
                cli_buf_json_string(&b, err.text[0] ? err.text : cli_strerror(err.code));
                if (err.column > 0)
                    cli_buf_printf(&b, ",\"column\":%d}}", err.column);
                else
                    cli_buf_puts(&b, ",\"column\":null}}");
            }
        } else if (rc == FISC_OK) {
            const char *sep = "\t";
            printf("%s\tvalid", u.code);
            for (w = 0; w < CLI_ARRAY_SIZE(uscc_warnings); w++) {
                if (u.warnings & uscc_warnings[w].bit) {
                    printf("%swarning: %s", sep, uscc_warnings[w].text);
                    sep = "; ";
                }
            }
            putchar('\n');
        } else {
            printf("%s\tinvalid\n", input);
            fflush(stdout);
            if (!err.source[0])
                cli_strlcpy_utf8(err.source, sizeof(err.source), input);
            (void)cli_report(&ctx, &err);
        }
    }
    cli_buf_printf(&b, "],\"all_valid\":%s}", all_valid ? "true" : "false");
    if (ctx.json)
        ret = cli_emit_json(&ctx, &b, stdout);
    else
        ret = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_INTERNAL;
    cli_buf_free(&b);
    cli_args_end(&a);
    if (ret == CLI_EXIT_OK && !all_valid)
        ret = CLI_EXIT_DATA;
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc apportion */

/* Bad rows kept for the report; the rest are counted. */
#define MAX_ROW_ERRORS 100

typedef struct ap_run {
    const char *path;           /* FILE operand */
    const char *source;         /* its name in messages */
    cli_csv csv;
    int header;                 /* row `first` is a header */
    size_t first;               /* index of the first non-blank row */
    int has_cap;                /* some row (or the header) has a third column */
    const char *names[4];       /* column names for messages and output */
    int budget;                 /* fisc budget: columns uscc, name, amount, cap */
    size_t amt;                 /* 0-based column of the amount (the cap follows it) */
    size_t *part_row;           /* part index -> csv row index */
    char (*uscc)[19];           /* fisc budget: part index -> normalised USCC */
    size_t *order;              /* fisc budget: the parts sorted by USCC (tie order) */
    const char *program;        /* fisc budget: --program */
    size_t nparts;
    fisc_error errs[MAX_ROW_ERRORS];
    size_t nerrs;               /* all bad-row errors, even those not kept */
    size_t nbad;                /* rows with at least one error */
    fisc_decimal requested;     /* sum of column 2 */
} ap_run;

static void ap_row_error(ap_run *r, int code, size_t row_index, size_t col, const char *fmt, ...)
    CLI_PRINTF(5, 6);

/* Record a bad row: the message names the row, the column number and the column name. */
static void ap_row_error(ap_run *r, int code, size_t row_index, size_t col, const char *fmt, ...)
{
    char what[FISC_ERROR_TEXT_SIZE], name[48];
    long row = r->csv.rows[row_index].row;
    va_list ap;

    if (r->nerrs++ >= MAX_ROW_ERRORS)
        return;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    cli_strlcpy_utf8(name, sizeof(name), col <= r->amt + 2 ? r->names[col - 1] : "extra");
    cli_error_set(&r->errs[r->nerrs - 1], code, r->source, (int)row, (int)col,
                  "row %ld, column %zu (%s): %s", row, col, name, what);
}

/*
 * Parse one amount cell strictly. @return 1 when the row is fine so far, 0 when an error was
 * recorded, -1 on a failure that is not about the data (out of memory).
 */
static int ap_parse_cell(ap_run *r, size_t ri, size_t col, const char *cell, fisc_decimal *out,
                         fisc_error *fatal)
{
    fisc_error err = FISC_ERROR_INIT;
    int rc;

    if (cell[0] == '\0') {
        ap_row_error(r, FISC_EPARSE, ri, col, "the cell is empty");
        return 0;
    }
    rc = fisc_decimal_parse(out, cell, FISC_PARSE_PLAIN, &err);
    if (rc == FISC_ENOMEM) {
        *fatal = err;
        return -1;
    }
    if (rc != FISC_OK) {
        /* The library's "(column N)" counts characters in the cell; say so, beside the CSV column. */
        char suffix[32];
        size_t tl = strlen(err.text), sl;

        snprintf(suffix, sizeof(suffix), " (column %d)", err.column);
        sl = strlen(suffix);
        if (err.column > 0 && tl > sl && strcmp(err.text + tl - sl, suffix) == 0) {
            err.text[tl - sl] = '\0';
            ap_row_error(r, rc, ri, col, "%s (character %d of the cell)", err.text, err.column);
        } else {
            ap_row_error(r, rc, ri, col, "%s", err.text[0] ? err.text : cli_strerror(rc));
        }
        return 0;
    }
    if (fisc_decimal_sign(out) < 0) {
        ap_row_error(r, FISC_EINVAL, ri, col, "'%s' is negative", cell);
        return 0;
    }
    return 1;
}

/*
 * Check one data row, parsing its amount into @p weight and its cap (if any) into @p cap.
 * @return 1 when the row is good, 0 when errors were recorded, -1 on a fatal failure (*fatal).
 */
static int ap_check_row(ap_run *r, size_t ri, fisc_decimal *weight, fisc_decimal *cap,
                        int *has_cap, fisc_error *fatal)
{
    size_t nf = r->csv.rows[ri].nfields, col, a = r->amt;
    const char *cap_cell, *usc = NULL;
    fisc_uscc u;
    int ok = 1, v;

    if (cli_csv_field(&r->csv, ri, 0)[0] == '\0') {
        ap_row_error(r, FISC_EINVAL, ri, 1, r->budget ? "the USCC is empty" : "the key is empty");
        ok = 0;
    } else if (r->budget) {
        fisc_error uerr = FISC_ERROR_INIT;

        if (fisc_uscc_check(&u, cli_csv_field(&r->csv, ri, 0), &uerr) != FISC_OK) {
            ap_row_error(r, FISC_EINVAL, ri, 1, "%s", uerr.text[0] ? uerr.text : "not a valid USCC");
            ok = 0;
        } else {
            usc = u.code;
        }
    }
    if (nf < a + 1) {
        ap_row_error(r, FISC_EINVAL, ri, a + 1, "the column is missing");
        return 0;
    }
    for (col = a + 3; col <= nf; col++) {
        if (cli_csv_field(&r->csv, ri, col - 1)[0] != '\0') {
            ap_row_error(r, FISC_EINVAL, ri, col,
                         r->budget ? "unexpected column: the input has USCC, name, approved amount "
                                     "and an optional cap"
                                   : "unexpected column: the input has key, amount and an optional cap");
            ok = 0;
            break;
        }
    }
    v = ap_parse_cell(r, ri, a + 1, cli_csv_field(&r->csv, ri, a), weight, fatal);
    if (v <= 0)
        ok = v < 0 ? -1 : 0;
    cap_cell = nf >= a + 2 ? cli_csv_field(&r->csv, ri, a + 1) : "";
    *has_cap = cap_cell[0] != '\0';
    if (ok >= 0 && *has_cap) {
        v = ap_parse_cell(r, ri, a + 2, cap_cell, cap, fatal);
        if (v <= 0)
            ok = v < 0 ? -1 : 0;
    }
    /* Only good rows take part in the duplicate check, so that a row is counted bad once. */
    if (ok == 1 && usc)
        memcpy(r->uscc[r->nparts - 1], usc, sizeof(u.code));
    return ok;
}

/*
 * Check every data row and add the good ones to @p ap; once a row is bad the rest are only
 * checked. @return FISC_OK, or a fatal code with *fatal filled.
 */
static int ap_load_rows(ap_run *r, fisc_apportion *ap, fisc_error *fatal)
{
    fisc_decimal weight, cap;
    size_t ri;
    int rc = FISC_OK;

    fisc_decimal_init(&weight);
    fisc_decimal_init(&cap);
    for (ri = r->first + (r->header ? 1 : 0); ri < r->csv.nrows; ri++) {
        size_t before = r->nerrs;
        int has_cap = 0, ok;

        if (cli_csv_row_blank(&r->csv, ri))
            continue;
        r->part_row[r->nparts++] = ri;
        ok = ap_check_row(r, ri, &weight, &cap, &has_cap, fatal);
        if (ok < 0) {
            rc = fatal->code;
            break;
        }
        if (ok && r->nerrs == 0) {
            rc = fisc_decimal_add(&r->requested, &r->requested, &weight, fatal);
            if (rc == FISC_OK)
                rc = fisc_apportion_add(ap, &weight, has_cap ? &cap : NULL, fatal);
            if (rc == FISC_EINVAL || rc == FISC_ERANGE) {
                /* The library refused the row itself: report it like any bad row. */
                ap_row_error(r, rc, ri, r->amt + 1, "%s", fatal->text);
                fisc_error_clear(fatal);
                rc = FISC_OK;
            }
            if (rc != FISC_OK)
                break;
        }
        if (r->nerrs != before)
            r->nbad++;
    }
    fisc_decimal_clear(&weight);
    fisc_decimal_clear(&cap);
    return rc;
}

/* The run whose USCCs ap_uscc_cmp() compares (qsort has no context argument). */
static const ap_run *ap_sort_run;

/* Order part indices by normalised USCC, then by position. */
static int ap_uscc_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int c = strcmp(ap_sort_run->uscc[a], ap_sort_run->uscc[b]);

    if (c != 0)
        return c;
    return a < b ? -1 : a > b;
}

/*
 * fisc budget: sort the parts by USCC into r->order (the tie order) and report every USCC that
 * appears again as a bad row naming the first row that has it. Rows already bad have an empty
 * code and are skipped.
 */
static void ap_budget_order(ap_run *r)
{
    size_t k, first = 0;

    for (k = 0; k < r->nparts; k++)
        r->order[k] = k;
    ap_sort_run = r;
    qsort(r->order, r->nparts, sizeof(*r->order), ap_uscc_cmp);
    ap_sort_run = NULL;
    for (k = 1; k < r->nparts; k++) {
        size_t dup = r->order[k];

        if (r->uscc[dup][0] == '\0')
            continue; /* a bad row, already reported */
        if (strcmp(r->uscc[r->order[k - 1]], r->uscc[dup]) != 0) {
            first = dup;
            continue;
        }
        if (k == 1 || strcmp(r->uscc[r->order[k - 1]], r->uscc[r->order[k - 2]]) != 0)
            first = r->order[k - 1];
        ap_row_error(r, FISC_EINVAL, r->part_row[dup], 1, "duplicate USCC %s (also in row %ld)",
                     r->uscc[dup], r->csv.rows[r->part_row[first]].row);
        r->nbad++;
    }
}

static const char *const ap_mode_names[] = { "weights", "prorata" };
static const char *const ap_remainder_names[] = { "largest", "first", "separate" };

/* Build the result (CSV or JSON) in @p out. @return FISC_OK or an error in *err. */
static int ap_render(ap_run *r, const fisc_apportion *ap, const fisc_apportion_options *opts,
                     const char *unit_text, const fisc_decimal *budget, int json, int bom,
                     cli_buf *out, fisc_decimal *allocated, size_t *ncapped, fisc_error *err)
{
    int places = text_places(unit_text);
    size_t k, c, ncols = r->amt + (r->has_cap ? 2 : 1);
    char *s = NULL, *share = NULL;
    int rc = FISC_OK;

    *ncapped = 0;
    if (json) {
        cli_buf_puts(out, "{\"input\":{\"file\":");
        cli_buf_json_string(out, r->source);
        cli_buf_puts(out, ",\"encoding\":");
        cli_buf_json_string(out, r->csv.encoding);
        cli_buf_printf(out, ",\"header\":%s,\"columns\":[", r->header ? "true" : "false");
        for (c = 0; c < ncols; c++) {
            if (c)
                cli_buf_puts(out, ",");
            cli_buf_json_string(out, r->names[c]);
        }
        cli_buf_puts(out, "]},");
        if (r->budget) {
            cli_buf_puts(out, "\"program\":");
            cli_buf_json_string(out, r->program);
            cli_buf_puts(out, ",");
        }
        cli_buf_puts(out, "\"mode\":");
        cli_buf_json_string(out, ap_mode_names[opts->mode]);
        cli_buf_puts(out, ",\"remainder_rule\":");
        cli_buf_json_string(out, ap_remainder_names[opts->remainder]);
        cli_buf_puts(out, ",\"unit\":");
        cli_buf_json_string(out, unit_text);
        cli_buf_puts(out, ",\"currency\":\"CNY\",\"amount_unit\":\"yuan\",\"budget\":");
        rc = format_dec(&s, budget, places, err);
        if (rc != FISC_OK)
            return rc;
        cli_buf_json_string(out, s);
        fisc_string_free(s);
        s = NULL;
        cli_buf_puts(out, ",\"rows\":[");
    } else {
        if (bom)
            cli_buf_puts(out, "\xEF\xBB\xBF");
        for (c = 0; c < ncols; c++)
            cli_csv_put_field(out, r->names[c], c == 0);
        cli_csv_put_field(out, "allocated", 0);
        cli_csv_put_field(out, "capped", 0);
        cli_csv_end_row(out);
    }
    for (k = 0; k < r->nparts && rc == FISC_OK; k++) {
        size_t ri = r->part_row[k];
        uint32_t flags = 0;
        const fisc_decimal *part = fisc_apportion_part(ap, k, &flags);
        const char *cap_cell = cli_csv_field(&r->csv, ri, r->amt + 1);
        int capped = (flags & FISC_STATUS_CAPPED) != 0;

        if (!part) {
            cli_error_set(err, CLI_EINTERNAL, "", -1, -1, "the library gave no result for part %zu", k);
            return CLI_EINTERNAL;
        }
        rc = fisc_decimal_add(allocated, allocated, part, err);
        if (rc == FISC_OK)
            rc = format_dec(&s, part, places, err);
        if (rc != FISC_OK)
            break;
        *ncapped += (size_t)capped;
        if (json) {
            const fisc_decimal *exact = fisc_apportion_exact_share(ap, k);
            rc = exact ? fisc_decimal_to_string(&share, exact, NULL, NULL, err) : FISC_OK;
            if (rc != FISC_OK)
                break;
            cli_buf_printf(out, "%s{\"row\":%ld,\"key\":", k ? "," : "", r->csv.rows[ri].row);
            cli_buf_json_string(out, cli_csv_field(&r->csv, ri, 0));
            if (r->budget) {
                const char *name = cli_csv_field(&r->csv, ri, 1);
                cli_buf_puts(out, ",\"uscc\":");
                cli_buf_json_string(out, r->uscc[k]);
                cli_buf_puts(out, ",\"name\":");
                cli_buf_json_string(out, name ? name : "");
            }
            cli_buf_puts(out, r->budget ? ",\"approved\":"
                              : opts->mode == FISC_APPORTION_PRORATA ? ",\"requested\":" : ",\"weight\":");
            cli_buf_json_string(out, cli_csv_field(&r->csv, ri, r->amt));
            cli_buf_puts(out, ",\"cap\":");
            cli_buf_json_string(out, cap_cell && cap_cell[0] ? cap_cell : NULL);
            cli_buf_puts(out, ",\"allocated\":");
            cli_buf_json_string(out, s);
            cli_buf_printf(out, ",\"capped\":%s,\"inexact\":%s,\"exact_share\":",
                           capped ? "true" : "false",
                           (flags & FISC_STATUS_INEXACT) ? "true" : "false");
            cli_buf_json_string(out, share);
            cli_buf_puts(out, "}");
            fisc_string_free(share);
            share = NULL;
        } else {
            for (c = 0; c < ncols; c++) {
                const char *f = cli_csv_field(&r->csv, ri, c);
                cli_csv_put_field(out, f ? f : "", c == 0);
            }
            cli_csv_put_field(out, s, 0);
            cli_csv_put_field(out, capped ? "yes" : "no", 0);
            cli_csv_end_row(out);
        }
        fisc_string_free(s);
        s = NULL;
    }
    fisc_string_free(s);
    return rc;
}

static int ap_totals(const cli_ctx *ctx, ap_run *r, const fisc_apportion *ap,
                     const fisc_apportion_options *opts, const char *unit_text,
                     const fisc_decimal *budget, const fisc_decimal *allocated, size_t ncapped,
                     cli_buf *out, fisc_error *err)
{
    const fisc_decimal *unalloc = fisc_apportion_unallocated(ap);
    const fisc_decimal *rem = fisc_apportion_remainder(ap);
    int places = text_places(unit_text);
    const fisc_decimal *vals[5];
    const char *labels[5] = { "budget", "requested", "allocated", "unallocated", "remainder" };
    char *txt[5] = { NULL, NULL, NULL, NULL, NULL };
    char *unpaid = NULL;
    fisc_decimal sum;
    int rc, i;

    if (!unalloc || !rem) {
        cli_error_set(err, CLI_EINTERNAL, "", -1, -1, "the library gave no totals after a successful run");
        return CLI_EINTERNAL;
    }
    /* The parts, the remainder and the unallocated amount must add up exactly to the budget. */
    fisc_decimal_init(&sum);
    rc = fisc_decimal_add(&sum, allocated, unalloc, err);
    if (rc == FISC_OK)
        rc = fisc_decimal_add(&sum, &sum, rem, err);
    if (rc == FISC_OK && fisc_decimal_cmp(&sum, budget) != 0) {
        cli_error_set(err, CLI_EINTERNAL, "", -1, -1,
                      "allocated + unallocated + remainder differs from the budget "
                      "(a libfisc bug; nothing was written)");
        rc = CLI_EINTERNAL;
    }
    /* fisc budget reconciliation: budget = paid + unallocated (here the remainder is zero). */
    if (rc == FISC_OK && r->budget) {
        rc = fisc_decimal_sub(&sum, budget, allocated, err);
        if (rc == FISC_OK)
            rc = format_dec(&unpaid, &sum, places, err);
    }
    fisc_decimal_clear(&sum);
    if (rc != FISC_OK)
        return rc;
    vals[0] = budget;
    vals[1] = &r->requested;
    vals[2] = allocated;
    vals[3] = unalloc;
    vals[4] = rem;
    if (opts->mode == FISC_APPORTION_WEIGHTS)
        labels[1] = "weights"; /* the sum of the weights: not money, shown exactly */
    for (i = 0; i < 5 && rc == FISC_OK; i++)
        rc = format_dec(&txt[i], vals[i], i == 1 && opts->mode == FISC_APPORTION_WEIGHTS ? -1 : places,
                        err);
    if (rc == FISC_OK) {
        if (out) {
            cli_buf_printf(out, "],\"totals\":{\"rows\":%zu,\"capped_rows\":%zu", r->nparts, ncapped);
            for (i = 0; i < 5; i++) {
                cli_buf_printf(out, ",\"%s\":", labels[i]);
                cli_buf_json_string(out, txt[i]);
            }
            cli_buf_puts(out, "}");
            if (r->budget) {
                cli_buf_puts(out, ",\"reconciliation\":{\"program\":");
                cli_buf_json_string(out, r->program);
                cli_buf_puts(out, ",\"budget\":");
                cli_buf_json_string(out, txt[0]);
                cli_buf_puts(out, ",\"paid\":");
                cli_buf_json_string(out, txt[2]);
                cli_buf_puts(out, ",\"unallocated\":");
                cli_buf_json_string(out, unpaid);
                cli_buf_puts(out, "}");
            }
            cli_buf_puts(out, "}");
        } else {
            char hdr[48];

            if (r->header)
                snprintf(hdr, sizeof(hdr), "row %ld is the header", r->csv.rows[r->first].row);
            else
                snprintf(hdr, sizeof(hdr), "no header");
            fprintf(stderr, "%s: %zu rows from %s (%s, %s), %zu capped; mode %s, remainder %s, unit %s\n",
                    ctx->cmd, r->nparts, r->source, r->csv.encoding, hdr, ncapped,
                    ap_mode_names[opts->mode], ap_remainder_names[opts->remainder], unit_text);
            for (i = 0; i < 5; i++)
                fprintf(stderr, "  %-12s %s\n", labels[i], txt[i]);
            if (r->budget)
                fprintf(stderr, "%s: reconciliation for program %s: budget %s, paid %s, unallocated %s\n",
                        ctx->cmd, r->program, txt[0], txt[2], unpaid);
        }
    }
    for (i = 0; i < 5; i++)
        fisc_string_free(txt[i]);
    fisc_string_free(unpaid);
    return rc;
}

/* Write the finished output to --output or standard output. */
static int ap_write(const cli_ctx *ctx, const cli_buf *b, const char *output)
{
    fisc_error err = FISC_ERROR_INIT;
    FILE *f;

    if (b->failed) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory building the output");
        return cli_report(ctx, &err);
    }
    if (!output) {
        if (cli_buf_write(b, stdout) == 0)
            return CLI_EXIT_OK;
        cli_error_set(&err, CLI_EOUTPUT, "<stdout>", -1, -1, "writing failed: %s", strerror(errno));
        return cli_report(ctx, &err);
    }
    f = fopen(output, "wb");
    if (!f) {
        cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "cannot create the file: %s", strerror(errno));
        return cli_report(ctx, &err);
    }
    if (cli_buf_write(b, f) != 0 || fclose(f) != 0) {
        int e = errno;
        remove(output);
        cli_error_set(&err, CLI_EOUTPUT, output, -1, -1, "writing failed: %s", strerror(e));
        return cli_report(ctx, &err);
    }
    return CLI_EXIT_OK;
}

/*
 * fisc budget: check --program against the policy given with --policy, or else the bundled
 * one if it loads. @return CLI_EXIT_OK when the id is known or there is no policy to check it
 * against, else the exit status after reporting.
 */
static int ap_check_program(const cli_ctx *ctx, const char *program, const char **paths,
                            size_t npaths)
{
    fisc_policy *policy = NULL;
    fisc_error err = FISC_ERROR_INIT;
    size_t i, n;
    int rc, found = 0;

    rc = npaths ? fisc_policy_load_files(&policy, paths, npaths, NULL, &err)
                : fisc_policy_load_default(&policy, NULL, &err);
    if (rc != FISC_OK) {
        fisc_policy_free(policy);
        if (npaths)
            return cli_report(ctx, &err);
        return CLI_EXIT_OK; /* no bundled policy: --program is only a label */
    }
    n = fisc_policy_program_count(policy);
    for (i = 0; i < n && !found; i++) {
        const char *id = fisc_policy_program_id(policy, i);
        found = id && strcmp(id, program) == 0;
    }
    fisc_policy_free(policy);
    if (!found)
        return cli_usage_error(ctx, "unknown --program '%s': the policy has no such program "
                               "(see 'fisc params')", program);
    return CLI_EXIT_OK;
}

/* fisc apportion and fisc budget: one reader, one check, one output (@p budget selects). */
static int ap_main(int argc, char **argv, int budget_cmd)
{
    enum { OPT_BOM = 1000 };
    static const struct option budget_longopts[] = {
        { "budget", required_argument, NULL, 'b' },
        { "program", required_argument, NULL, 'P' },
        { "policy", required_argument, NULL, 'p' },
        { "output", required_argument, NULL, 'o' },
        { "bom", no_argument, NULL, OPT_BOM },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const struct option longopts[] = {
        { "budget", required_argument, NULL, 'b' },
        { "mode", required_argument, NULL, 'm' },
        { "unit", required_argument, NULL, 'u' },
        { "remainder", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "bom", no_argument, NULL, OPT_BOM },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc apportion", 0 };
    const char *program = NULL;
    const char **policy_paths = NULL;
    size_t npolicies = 0;
    cli_args a;
    fisc_error err = FISC_ERROR_INIT;
    fisc_apportion_options opts = FISC_APPORTION_OPTIONS_INIT;
    fisc_apportion *ap = NULL;
    fisc_decimal budget, unit, allocated;
    const char *budget_text = NULL, *unit_text = "0.01", *output = NULL;
    ap_run *r = NULL;
    cli_buf out;
    size_t ri, ncapped = 0;
    int help = 0, bom = 0, c, rc, ret = CLI_EXIT_OK;

    opts.mode = FISC_APPORTION_PRORATA;
    if (budget_cmd)
        ctx.cmd = "fisc budget";
    policy_paths = malloc(((size_t)argc + 1) * sizeof(*policy_paths));
    if (!policy_paths)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, budget_cmd ? "+:b:P:p:o:jh" : "+:b:m:u:r:o:jh",
                       budget_cmd ? budget_longopts : longopts) != 0) {
        free(policy_paths);
        return CLI_EXIT_INTERNAL;
    }
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'b': budget_text = optarg; break;
        case 'P': program = optarg; break;
        case 'p': policy_paths[npolicies++] = optarg; break;
        case 'm':
            if (strcmp(optarg, "prorata") == 0)
                opts.mode = FISC_APPORTION_PRORATA;
            else if (strcmp(optarg, "weights") == 0)
                opts.mode = FISC_APPORTION_WEIGHTS;
            else
                cli_args_fail(&a, "unknown --mode '%s' (prorata, weights)", optarg);
            break;
        case 'u': unit_text = optarg; break;
        case 'r':
            if (strcmp(optarg, "largest") == 0)
                opts.remainder = FISC_REMAINDER_LARGEST;
            else if (strcmp(optarg, "first") == 0)
                opts.remainder = FISC_REMAINDER_FIRST;
            else if (strcmp(optarg, "separate") == 0)
                opts.remainder = FISC_REMAINDER_SEPARATE;
            else
                cli_args_fail(&a, "unknown --remainder '%s' (largest, first, separate)", optarg);
            break;
        case 'o': output = optarg; break;
        case OPT_BOM: bom = 1; break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        free(policy_paths);
        fputs(budget_cmd ? budget_usage : apportion_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!a.error[0] && a.ac - optind != 1)
        cli_args_fail(&a, "%s", a.ac - optind ? "one FILE expected"
                                          : "FILE is missing (use - for standard input)");
    if (!a.error[0] && !budget_text)
        cli_args_fail(&a, "--budget is required");
    if (!a.error[0] && budget_cmd && (!program || !program[0]))
        cli_args_fail(&a, "--program is required (the id of the program the budget pays)");

    fisc_decimal_init(&budget);
    fisc_decimal_init(&unit);
    fisc_decimal_init(&allocated);
    cli_buf_init(&out);
    if (!a.error[0]) {
        if (fisc_decimal_parse(&unit, unit_text, FISC_PARSE_PLAIN, &err) != FISC_OK)
            cli_args_fail(&a, "--unit needs a plain decimal such as 0.01 or 100, not '%s'", unit_text);
        else if (fisc_decimal_sign(&unit) <= 0)
            cli_args_fail(&a, "--unit must be positive, not '%s'", unit_text);
        fisc_error_clear(&err);
    }
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    opts.unit = &unit;
    if (budget_cmd) {
        ret = ap_check_program(&ctx, program, policy_paths, npolicies);
        if (ret != CLI_EXIT_OK)
            goto done;
    }

    /* The budget is data: a bad one is exit 1, like a bad row. */
    rc = parse_arg(&budget, budget_text, FISC_PARSE_PLAIN, "--budget", &err);
    if (rc == FISC_OK && fisc_decimal_sign(&budget) < 0) {
        cli_error_set(&err, FISC_EINVAL, "--budget", -1, -1, "the budget '%s' is negative", budget_text);
        rc = FISC_EINVAL;
    }
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }

    r = calloc(1, sizeof(*r));
    if (!r) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory");
        ret = cli_report(&ctx, &err);
        goto done;
    }
    cli_csv_init(&r->csv);
    fisc_decimal_init(&r->requested);
    r->budget = budget_cmd;
    r->amt = budget_cmd ? 2 : 1;
    r->program = program;
    r->path = a.av[optind];
    r->source = strcmp(r->path, "-") == 0 ? "<stdin>" : r->path;
    rc = cli_csv_read(&r->csv, r->path, r->source, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }

    /* Row 1 (the first non-blank row) is a header when its amount field is not a number. */
    for (r->first = 0; r->first < r->csv.nrows && cli_csv_row_blank(&r->csv, r->first); r->first++)
        ;
    if (r->first < r->csv.nrows && r->csv.rows[r->first].nfields >= r->amt + 1) {
        fisc_decimal probe;
        fisc_decimal_init(&probe);
        r->header = fisc_decimal_parse(&probe, cli_csv_field(&r->csv, r->first, r->amt),
                                       FISC_PARSE_PLAIN, NULL) != FISC_OK;
        fisc_decimal_clear(&probe);
    }
    if (budget_cmd) {
        r->names[0] = "uscc";
        r->names[1] = "name";
        r->names[2] = "approved";
        r->names[3] = "cap";
    } else {
        r->names[0] = "key";
        r->names[1] = opts.mode == FISC_APPORTION_PRORATA ? "requested" : "weight";
        r->names[2] = "cap";
    }
    for (ri = r->first; ri < r->csv.nrows; ri++)
        if (r->csv.rows[ri].nfields >= r->amt + 2)
            r->has_cap = 1;
    if (r->header) {
        size_t nf = r->csv.rows[r->first].nfields;
        for (c = 0; (size_t)c < r->amt + 2 && (size_t)c < nf; c++)
            if (cli_csv_field(&r->csv, r->first, (size_t)c)[0])
                r->names[c] = cli_csv_field(&r->csv, r->first, (size_t)c);
    }

    r->part_row = malloc((r->csv.nrows ? r->csv.nrows : 1) * sizeof(*r->part_row));
    if (budget_cmd) {
        r->uscc = calloc(r->csv.nrows ? r->csv.nrows : 1, sizeof(*r->uscc));
        r->order = malloc((r->csv.nrows ? r->csv.nrows : 1) * sizeof(*r->order));
    }
    rc = r->part_row && (!budget_cmd || (r->uscc && r->order)) ? fisc_apportion_new(&ap, &err)
                                                                : FISC_ENOMEM;
    if (rc == FISC_OK)
        rc = ap_load_rows(r, ap, &err);
    if (rc == FISC_OK && budget_cmd) {
        ap_budget_order(r);
        opts.order = r->order;
        opts.order_len = r->nparts;
    }
    if (rc != FISC_OK) {
        if (rc == FISC_ENOMEM && !err.text[0])
            cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory");
        ret = cli_report(&ctx, &err);
        goto done;
    }
    if (r->nerrs > 0) {
        char summary[FISC_ERROR_TEXT_SIZE];
        snprintf(summary, sizeof(summary),
                 "%zu bad row%s in %s; nothing was allocated (every share depends on every row)",
                 r->nbad, r->nbad == 1 ? "" : "s", r->source);
        ret = cli_report_many(&ctx, r->errs, r->nerrs < MAX_ROW_ERRORS ? r->nerrs : MAX_ROW_ERRORS,
                              r->nerrs, summary);
        goto done;
    }
    if (r->nparts == 0) {
        cli_error_set(&err, FISC_EINVAL, r->source, -1, -1, "the input has no data rows");
        ret = cli_report(&ctx, &err);
        goto done;
    }

    rc = fisc_apportion_run(ap, &budget, &opts, &err);
    if (rc != FISC_OK) {
        if (!err.source[0])
            cli_strlcpy_utf8(err.source, sizeof(err.source), "--budget");
        ret = cli_report(&ctx, &err);
        goto done;
    }
    rc = ap_render(r, ap, &opts, unit_text, &budget, ctx.json, bom, &out, &allocated, &ncapped, &err);
    if (rc == FISC_OK)
        rc = ap_totals(&ctx, r, ap, &opts, unit_text, &budget, &allocated, ncapped,
                       ctx.json ? &out : NULL, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        goto done;
    }
    if (ctx.json)
        cli_buf_put(&out, "\n", 1);
    ret = ap_write(&ctx, &out, output);

done:
    if (r) {
        cli_csv_free(&r->csv);
        fisc_decimal_clear(&r->requested);
        free(r->part_row);
        free(r->uscc);
        free(r->order);
        free(r);
    }
    free(policy_paths);
    fisc_apportion_free(ap);
    fisc_decimal_clear(&budget);
    fisc_decimal_clear(&unit);
    fisc_decimal_clear(&allocated);
    cli_buf_free(&out);
    cli_args_end(&a);
    return ret;
}

static int cmd_apportion(int argc, char **argv)
{
    return ap_main(argc, argv, 0);
}

static int cmd_budget(int argc, char **argv)
{
    return ap_main(argc, argv, 1);
}

/* ---------------------------------------------------------------------------------------- */
/* main */

typedef int (*cmd_fn)(int argc, char **argv);

static const struct {
    const char *name;
    cmd_fn fn;
} commands[] = {
    { "round", cmd_round },
    { "upper", cmd_upper },
    { "apportion", cmd_apportion },
    { "budget", cmd_budget },
    { "uscc", cmd_uscc },
    { "estimate", cmd_estimate },
    { "params", cmd_params },
    { "policy", cmd_policy },
    { "agreement", cmd_agreement },
    { "batch", cmd_batch },
    { "report", cmd_report },
    { "whatif", cmd_whatif },
};

static cmd_fn find_command(const char *name)
{
    size_t i;

    for (i = 0; i < CLI_ARRAY_SIZE(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn;
    return NULL;
}

/* 1 if --json appears among the arguments, so even an unknown command answers in JSON. */
static int wants_json(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc", 0 };
    cmd_fn fn;
    int c, help = 0, version = 0;
    static char help_opt[] = "--help";
    char *sub_argv[3];

    ctx.json = wants_json(argc, argv);
    opterr = 0;
    /* '+': stop at the command name; the command parses its own options. */
    while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': help = 1; break;
        case 'V': version = 1; break;
        default:
            return cli_usage_error(&ctx, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (help) {
        fputs(main_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (version) {
        printf("fisc %d.%d.%d (libfisc %s)\n", FISC_VERSION_MAJOR, FISC_VERSION_MINOR,
               FISC_VERSION_PATCH, fisc_version_string());
        return CLI_EXIT_OK;
    }
    if (optind >= argc) {
        fputs(main_usage, stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[optind], "help") == 0) {
        if (optind + 1 >= argc) {
            fputs(main_usage, stdout);
            return CLI_EXIT_OK;
        }
        fn = find_command(argv[optind + 1]);
        if (!fn)
            return cli_usage_error(&ctx, "unknown command '%s'", argv[optind + 1]);
        sub_argv[0] = argv[optind + 1];
        sub_argv[1] = help_opt;
        sub_argv[2] = NULL;
        return fn(2, sub_argv);
    }
    fn = find_command(argv[optind]);
    if (!fn)
        return cli_usage_error(&ctx, "unknown command '%s' (round, upper, apportion, budget, "
                               "uscc, estimate, params, policy, agreement, report, batch)",
                               argv[optind]);
    return fn(argc - optind, argv + optind);
}
