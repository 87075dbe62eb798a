/*
 * The policy engine's faces in the fisc command-line tool:
 *
 *   fisc estimate FACTS.json   evaluate every program of a policy for one enterprise
 *   fisc params                list a policy's dated, cited parameters
 *   fisc policy check FILE...  load policy files and say whether (and where) they are wrong
 *
 * Public API only (<fisc/policy.h>, <fisc/facts.h>, <fisc/evaluate.h>), no floating point:
 * amounts come from the library as text. Streams, --json and exit statuses follow
 * conventions.md §13: a policy that does not load is a configuration error (exit 4), bad facts
 * are bad input data (exit 1), and "not eligible" is an answer (exit 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <getopt.h>

#include <fisc/fisc.h>
#include <fisc/policy.h>
#include <fisc/facts.h>
#include <fisc/evaluate.h>

#include "cli_cmds.h"
#include "cli_common.h"
#include "cli_policy.h"
#include "cli_report.h"

/* The largest facts document fisc_facts_from_json() accepts (<fisc/facts.h>). */
#define FACTS_MAX_BYTES ((size_t)16 * 1024 * 1024)

static const char estimate_usage[] =
    "Usage: fisc estimate FACTS.json|- (--year Y | --quarter YYYYQn | --years Y1-Y2)\n"
    "                     [--policy FILE]... [--overlay FILE] [--explain] [--lang zh|en]\n"
    "                     [--json]\n"
    "\n"
    "Evaluate every program of a policy (企业所得税 and 小型微利企业, 高新技术企业, local\n"
    "rewards, ...) for the facts about one enterprise, exactly, and print for each whether it\n"
    "applies (or why not, or which facts are missing), the amounts, and the totals per category\n"
    "(tax payable, tax relief, subsidy). FACTS is a JSON object of facts (docs/facts.md), e.g.\n"
    "  {\"taxable_income\": \"2800000\", \"employees_average\": 100,\n"
    "   \"assets_average\": \"10000000\", \"industry_restricted\": false}\n"
    "Numbers are read from their exact text; - reads the facts from standard input.\n"
    "\n"
    "  -y, --year Y          the tax year, 1990..2100 (annual settlement, 汇算清缴)\n"
    "  -q, --quarter YYYYQn  prepayment (预缴) cumulative to quarter n of year YYYY, e.g. 2019Q2\n"
    "      --years LIST      the same facts under each tax year's rules, side by side: a range\n"
    "                        2019-2027, or years and ranges separated by commas\n"
    "                        (2019,2022-2024); at most 111 years from 1990 to 2100\n"
    "                        (one of --year, --quarter and --years is required)\n"
    "  -p, --policy FILE     a policy layer (YAML); repeat it for several layers, national first.\n"
    "                        Default: the bundled policy (the FISC_POLICY_DIR directory, else\n"
    "                        the installed one)\n"
    "      --overlay FILE    an overlay that overrides chosen parameters, for a what-if\n"
    "  -e, --explain         also show each condition with the values compared, the parameters\n"
    "                        used with their citations, and every step with its rounding\n"
    "  -l, --lang LANG       zh (default) or en\n"
    "  -j, --json            print the result as JSON (schema fisc-result/1,\n"
    "                        docs/result-schema.md), amounts as strings; with --explain the\n"
    "                        steps are included\n"
    "  -h, --help            show this help\n"
    "\n";

/* The rest of the help (one string would exceed the 4095 characters C11 promises). */
static const char estimate_usage_output[] =
    "Text output: the period and the policy layers (id and SHA-256 prefix), then a summary\n"
    "table with one row per program: its outcome, its main amounts in 元 (those that count in\n"
    "a total: tax payable, tax relief, subsidy; a program that applies and has none, such as\n"
    "the R&D extra deduction, shows its first amount), whether it is provisional, and the\n"
    "clause; then the totals. The clause is the document and article cited by the parameters\n"
    "the program used; where the program chose an option (cn.cit: standard, hnte, small_micro,\n"
    "...), only those of the option's parameters (the ones whose dotted id has the option as a\n"
    "segment, e.g. cit.small_micro.max_employees), when it has any.\n"
    "Then each program in detail: its amounts and, when it does not apply, the conditions not\n"
    "met with the values compared, or the facts missing. --explain adds every condition, every\n"
    "parameter with its own citation, and the steps.\n"
    "\n"
    "With --years: one row per program's outcome and main amounts and one column per year,\n"
    "then the totals; a year whose rules the policy does not have (no value of a parameter in\n"
    "force) shows 'no rules' (无规则) in its column and the reason below the table, and the\n"
    "other years are still computed. Then, for each year against the year before it, the\n"
    "programs whose outcome or amounts changed, with the parameters whose value changed (and\n"
    "their citation). --explain appends each year's full report. With --json, one object:\n"
    "  {\"schema\":\"fisc-years/1\",\"years\":[{\"year\":2019,\"result\":{fisc-result/1}},\n"
    "   {\"year\":2028,\"error\":{\"code\":\"FISC_ENOTFOUND\",\"message\":\"...\"}}, ...]}\n"
    "in year order. The exit status is 0 when at least one year was computed; when none was,\n"
    "the first year's error is reported as for --year.\n"
    "\n"
    "A result that uses a parameter no cited text confirms is marked provisional.\n"
    "\n"
    "Examples:\n"
    "  fisc estimate company.json --year 2023\n"
    "  fisc estimate company.json --quarter 2019Q1 --explain --lang en\n"
    "  fisc estimate company.json --year 2023 --overlay what-if.yaml --json\n"
    "  fisc estimate company.json --years 2019-2027\n"
    "\n"
    "Exit status: 0 computed (eligible or not: ineligibility is an answer), 1 invalid facts\n"
    "(not JSON, an unknown fact, a wrong type or value), 2 usage error, 4 policy error (a policy\n"
    "file that does not load, or no value of a parameter for the period), 70 internal error.\n";

static const char params_usage[] =
    "Usage: fisc params [--policy FILE]... [--overlay FILE] [--at YYYY-MM-DD] [--match TEXT]\n"
    "                   [--lang zh|en] [--json]\n"
    "\n"
    "List the parameters of a policy (rates, thresholds, caps, amounts), each with its dated\n"
    "values, the document and article that set each value, where the text was read, how sure\n"
    "the value is, and the layer (or overlay) it comes from. Evidence is confirmed (the value\n"
    "appears in the cited text), unconfirmed (no cited text confirms it) or placeholder (a\n"
    "stand-in until the rule is known); results that use the last two are provisional.\n"
    "\n"
    "  -p, --policy FILE   a policy layer (YAML); repeat it for several layers, national first.\n"
    "                      Default: the bundled policy\n"
    "      --overlay FILE  an overlay; the values it overrides are listed from it\n"
    "  -a, --at DATE       only the value in force on DATE (YYYY-MM-DD); parameters with no\n"
    "                      value in force that day are left out\n"
    "  -m, --match TEXT    only parameters whose id or label (zh or en) contains TEXT (ASCII\n"
    "                      letters match in either case)\n"
    "  -l, --lang LANG     the language of the labels: zh (default) or en\n"
    "  -j, --json          print {\"at\",\"match\",\"count\",\"params\":[{\"id\",\"label\",\"label_zh\",\n"
    "                      \"label_en\",\"unit\",\"kind\",\"entries\":[{\"from\",\"to\",\"value\",\n"
    "                      \"evidence\",\"document\",\"article\",\"url\",\"layer\"}]}]}\n"
    "  -h, --help          show this help\n"
    "\n"
    "Output: for each parameter a line 'ID  LABEL  [UNIT]', then one line per dated value:\n"
    "'  FROM..TO  VALUE  EVIDENCE  DOCUMENT ARTICLE  URL  (layer LAYER)'; TO is empty while\n"
    "the value is open-ended. A scale or table value is shown as a summary.\n"
    "\n"
    "Examples:\n"
    "  fisc params --match small_micro --at 2023-06-30\n"
    "  fisc params --policy national.yaml --policy guangxi.yaml --json\n"
    "\n"
    "Exit status: 0 listed (also when nothing matches), 2 usage error, 4 policy error (a policy\n"
    "file that does not load), 70 internal error.\n";

static const char policy_usage[] =
    "Usage: fisc policy check FILE... [--overlay FILE] [--json]\n"
    "\n"
    "Load FILE... as one layered policy (national first, then regional and local layers) with\n"
    "an optional overlay, as 'fisc estimate --policy FILE...' would, and report either OK with\n"
    "each file (layer id, SHA-256 of its bytes, document, path) and the numbers of parameters\n"
    "and programs, or the first error as FILE:LINE:COLUMN: message (an unknown or duplicate\n"
    "key, a missing citation, dates out of order or overlapping, a unit mismatch, a float-typed\n"
    "number, a later layer redefining a parameter, an overlay of a parameter that does not exist).\n"
    "\n"
    "      --overlay FILE  an overlay to check with the layers\n"
    "  -j, --json          print {\"ok\":true,\"layers\":[{\"id\",\"path\",\"sha256\",\"title_zh\",\n"
    "                      \"title_en\",\"document\",\"overlay\"}],\"parameter_count\",\n"
    "                      \"program_count\",\"programs\":[...]}, or the error envelope\n"
    "  -h, --help          show this help\n"
    "\n"
    "Example:\n"
    "  fisc policy check policies/*.yaml --overlay what-if.yaml\n"
    "\n"
    "Exit status: 0 the policy loads, 2 usage error, 4 it does not (the error says where),\n"
    "70 internal error.\n";

/* ---------------------------------------------------------------------------------------- */
/* Shared helpers (the policy options are cli_policy.h's, shared with cmd_agreement.c). */

/* @return 0, or -1 when out of memory. */
int policy_args_init(policy_args *pa, int argc)
{
    pa->paths = malloc(((size_t)argc + 1) * sizeof(*pa->paths));
    pa->npaths = 0;
    pa->overlay = NULL;
    return pa->paths ? 0 : -1;
}

void policy_args_free(policy_args *pa)
{
    free(pa->paths);
    pa->paths = NULL;
}

/* The layers given, or the bundled policy (FISC_POLICY_DIR, the build tree, the data directory). */
int policy_load(fisc_policy **out, const policy_args *pa, fisc_error *err)
{
    if (pa->npaths > 0)
        return fisc_policy_load_files(out, pa->paths, pa->npaths, pa->overlay, err);
    return fisc_policy_load_default(out, pa->overlay, err);
}

/*
 * The full name of the file an error is about: fisc_error::source holds at most
 * FISC_ERROR_SOURCE_SIZE - 1 bytes, so a long path arrives cut (the library keeps its end, or
 * its start); the command line has it whole.
 * @return one of @p paths (or @p extra), or NULL to keep the library's text.
 */
const char *full_source(const char *source, const char *const *paths, size_t n,
                        const char *extra)
{
    size_t len = strlen(source), i;

    if (len == 0 || len < FISC_ERROR_SOURCE_SIZE - 8)
        return NULL;
    for (i = 0; i <= n; i++) {
        const char *p = i < n ? paths[i] : extra;
        size_t plen = p ? strlen(p) : 0;

        if (plen > len && (strcmp(p + plen - len, source) == 0 || strncmp(p, source, len) == 0))
            return p;
    }
    return NULL;
}

/*
 * Report a policy that did not load: FILE:LINE:COLUMN: message. Whatever the library's code
 * (FISC_EPARSE, FISC_ENOTFOUND, FISC_EINVAL, ...), that is a configuration error (exit 4);
 * running out of memory is still an internal error.
 */
int report_policy_error(const cli_ctx *ctx, const fisc_error *err, const policy_args *pa)
{
    int ret = cli_report_source(ctx, err, full_source(err->source, pa->paths, pa->npaths,
                                                      pa->overlay));

    return ret == CLI_EXIT_INTERNAL ? ret : CLI_EXIT_CONFIG;
}

int parse_lang(const char *s, const char **out)
{
    if (strcmp(s, "zh") == 0 || strcmp(s, "en") == 0) {
        *out = s;
        return 0;
    }
    return -1;
}

/* 1 if @p s is a real calendar date written YYYY-MM-DD. */
static int valid_date(const char *s)
{
    static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int i, y, m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return 0;
    return 1;
}

/* "YYYYQn" (q or Q), year 1990..2100, n 1..4. @return 0, or -1. */
int cli_parse_quarter(const char *s, int *year, int *quarter)
{
    int i, y = 0;

    if (strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q') || s[5] < '1' || s[5] > '4')
        return -1;
    for (i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    if (y < 1990 || y > 2100)
        return -1;
    *year = y;
    *quarter = s[5] - '0';
    return 0;
}

void cli_option_year(cli_args *a, const char *arg, int *year)
{
    if (cli_parse_int(arg, 1990, 2100, year) != 0)
        cli_args_fail(a, "--year needs a year from 1990 to 2100, not '%s'", arg);
}

void cli_option_quarter(cli_args *a, const char *arg, int *year, int *quarter)
{
    if (cli_parse_quarter(arg, year, quarter) != 0)
        cli_args_fail(a, "--quarter needs YYYYQn (a year from 1990 to 2100, n from 1 to 4), e.g. 2019Q2, not '%s'",
                      arg);
}

void cli_args_period_and_file(cli_args *a, int by_year, int by_quarter, const char *name)
{
    if (by_year && by_quarter)
        cli_args_fail(a, "give one of --year and --quarter");
    if (!a->error[0] && a->ac - optind != 1) {
        if (a->ac - optind)
            cli_args_fail(a, "one %s file expected", name);
        else
            cli_args_fail(a, "%s is missing (use - for standard input)", name);
    }
    if (!by_year && !by_quarter)
        cli_args_fail(a, "--year or --quarter is required (e.g. --year 2023, --quarter 2019Q2)");
}

/* 1 if @p hay contains @p needle, ASCII letters compared without case (UTF-8 bytes as they are). */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle), i;

    if (!hay)
        return 0;
    for (; *hay; hay++) {
        for (i = 0; i < n; i++) {
            unsigned char a = (unsigned char)hay[i], b = (unsigned char)needle[i];

            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
        }
        if (i == n)
            return 1;
    }
    return n == 0;
}

static const char *str_or_empty(const char *s)
{
    return s ? s : "";
}

static const char *evidence_name(int e)
{
    switch (e) {
    case FISC_EVIDENCE_CONFIRMED: return "confirmed";
    case FISC_EVIDENCE_UNCONFIRMED: return "unconfirmed";
    case FISC_EVIDENCE_PLACEHOLDER: return "placeholder";
    default: return "unknown";
    }
}

static const char *kind_name(int k)
{
    switch (k) {
    case FISC_PARAM_VALUE: return "value";
    case FISC_PARAM_SCALE: return "scale";
    case FISC_PARAM_TABLE: return "table";
    default: return "unknown";
    }
}

/* Write a library-made document to standard output, ending it with a newline. */
int put_document(const cli_ctx *ctx, const char *s)
{
    fisc_error err = FISC_ERROR_INIT;
    size_t len = strlen(s);

    if (fwrite(s, 1, len, stdout) != len || (len > 0 && s[len - 1] != '\n' && putchar('\n') == EOF)
        || fflush(stdout) != 0) {
        cli_error_set(&err, CLI_EOUTPUT, "<stdout>", -1, -1, "writing the result failed");
        return cli_report(ctx, &err);
    }
    return CLI_EXIT_OK;
}

/* Write a finished text buffer to standard output. */
int put_buf(const cli_ctx *ctx, cli_buf *b)
{
    fisc_error err = FISC_ERROR_INIT;

    if (b->failed) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory building the output");
        return cli_report(ctx, &err);
    }
    if (cli_buf_write(b, stdout) != 0) {
        cli_error_set(&err, CLI_EOUTPUT, "<stdout>", -1, -1, "writing the result failed");
        return cli_report(ctx, &err);
    }
    return CLI_EXIT_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc estimate */

/* Facts from a file, or from standard input ("-") read whole into memory first. */
int cli_load_facts(fisc_facts **out, const char *path, fisc_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (strcmp(path, "-") != 0)
        return fisc_facts_load_file(out, path, err);
    rc = cli_read_input("-", "<stdin>", FACTS_MAX_BYTES, &data, &len, err);
    if (rc != FISC_OK)
        return rc;
    rc = fisc_facts_from_json(out, data, len, "<stdin>", err);
    free(data);
    return rc;
}

/* The years of --years, 1990..2100. */
#define YEARS_FIRST 1990
#define YEARS_LAST 2100
#define YEARS_MAX (YEARS_LAST - YEARS_FIRST + 1)

/* A four-digit year in [YEARS_FIRST, YEARS_LAST] at s[0..4). @return 0, or -1. */
static int parse_year4(const char *s, int *out)
{
    int i, y = 0;

    for (i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    if (y < YEARS_FIRST || y > YEARS_LAST)
        return -1;
    *out = y;
    return 0;
}

/*
 * "2019-2027", "2019,2022-2024", "2023": years and ascending ranges separated by commas, into
 * @p wanted (one flag per year from YEARS_FIRST). @return 0, or -1 when malformed.
 */
static int parse_years(const char *s, unsigned char wanted[YEARS_MAX])
{
    memset(wanted, 0, YEARS_MAX);
    for (;;) {
        int from, to, y;

        if (parse_year4(s, &from) != 0)
            return -1;
        s += 4;
        to = from;
        if (*s == '-') {
            if (parse_year4(s + 1, &to) != 0 || to < from)
                return -1;
            s += 5;
        }
        for (y = from; y <= to; y++)
            wanted[y - YEARS_FIRST] = 1;
        if (*s == '\0')
            return 0;
        if (*s != ',')
            return -1;
        s++;
    }
}

/*
 * fisc estimate --years: the same facts under each year's rules. A year whose rules the policy
 * lacks (FISC_ENOTFOUND) is kept as an answer ("no rules") and the others still run; any other
 * failure stops everything.
 */
static int estimate_years(const cli_ctx *ctx, const fisc_policy *policy, const fisc_facts *facts,
                          const unsigned char wanted[YEARS_MAX], const char *lang, int explain)
{
    cli_year_run *runs = calloc(YEARS_MAX, sizeof(*runs));
    fisc_error err = FISC_ERROR_INIT;
    size_t n = 0, ok = 0, j;
    cli_buf b;
    int y, rc = FISC_OK, ret;

    cli_buf_init(&b);
    if (!runs) {
        cli_error_set(&err, FISC_ENOMEM, "", -1, -1, "out of memory");
        return cli_report(ctx, &err);
    }
    for (y = YEARS_FIRST; y <= YEARS_LAST && rc == FISC_OK; y++) {
        fisc_eval_options opts = FISC_EVAL_OPTIONS_INIT;
        cli_year_run *run;

        if (!wanted[y - YEARS_FIRST])
            continue;
        run = &runs[n++];
        run->year = y;
        fisc_error_clear(&run->err);
        opts.year = y;
        opts.trace = 1; /* the texts, as for one year (see cmd_estimate) */
        rc = fisc_evaluate(&run->result, policy, facts, &opts, &run->err);
        if (rc == FISC_ENOTFOUND) {
            run->result = NULL;
            rc = FISC_OK;
        } else if (rc != FISC_OK) {
            err = run->err;
        } else {
            ok++;
        }
    }
    if (rc != FISC_OK) {
        ret = cli_report(ctx, &err);
    } else if (ok == 0) {
        /* Nothing to compare: the first year's reason, exactly as --year would say it. */
        ret = cli_report(ctx, &runs[0].err);
        if (runs[0].err.code == FISC_ENOTFOUND)
            ret = CLI_EXIT_CONFIG;
    } else if (ctx->json) {
        rc = cli_report_years_json(&b, runs, n, explain, &err);
        ret = rc == FISC_OK ? cli_emit_json(ctx, &b, stdout) : cli_report(ctx, &err);
    } else {
        cli_report_years_text(&b, policy, runs, n, lang, explain);
        ret = put_buf(ctx, &b);
    }
    for (j = 0; j < n; j++)
        fisc_result_free(runs[j].result);
    free(runs);
    cli_buf_free(&b);
    return ret;
}

int cmd_estimate(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000, OPT_YEARS };
    static const struct option longopts[] = {
        { "year", required_argument, NULL, 'y' },
        { "quarter", required_argument, NULL, 'q' },
        { "years", required_argument, NULL, OPT_YEARS },
        { "policy", required_argument, NULL, 'p' },
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "explain", no_argument, NULL, 'e' },
        { "lang", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc estimate", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT;
    fisc_eval_options opts = FISC_EVAL_OPTIONS_INIT;
    fisc_policy *policy = NULL;
    fisc_facts *facts = NULL;
    fisc_result *result = NULL;
    const char *lang = "zh", *facts_path;
    char *out = NULL;
    unsigned char wanted[YEARS_MAX];
    cli_buf text;
    int help = 0, explain = 0, year = 0, quarter = 0, by_year = 0, by_quarter = 0, by_years = 0;
    int c, rc, ret;

    cli_buf_init(&text);
    if (policy_args_init(&pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, "+:y:q:p:el:jh", longopts) != 0) {
        policy_args_free(&pa);
        return CLI_EXIT_INTERNAL;
    }
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'y': by_year = 1; cli_option_year(&a, optarg, &year); break;
        case 'q': by_quarter = 1; cli_option_quarter(&a, optarg, &year, &quarter); break;
        case OPT_YEARS:
            if (by_years)
                cli_args_fail(&a, "give --years once (it takes a list: 2019-2021,2023)");
            by_years = 1;
            if (parse_years(optarg, wanted) != 0)
                cli_args_fail(&a, "--years needs years from 1990 to 2100 and ascending ranges "
                                  "separated by commas, e.g. 2019-2027 or 2019,2022-2024, "
                                  "not '%s'", optarg);
            break;
        case 'p': pa.paths[pa.npaths++] = optarg; break;
        case OPT_OVERLAY:
            if (pa.overlay)
                cli_args_fail(&a, "give --overlay once");
            pa.overlay = optarg;
            break;
        case 'e': explain = 1; break;
        case 'l':
            if (parse_lang(optarg, &lang) != 0)
                cli_args_fail(&a, "unknown --lang '%s' (zh, en)", optarg);
            break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(estimate_usage, stdout);
        fputs(estimate_usage_output, stdout);
        return CLI_EXIT_OK;
    }
    if (by_year + by_quarter + by_years > 1)
        cli_args_fail(&a, "give one of --year, --quarter and --years");
    if (!a.error[0] && a.ac - optind != 1)
        cli_args_fail(&a, "%s", a.ac - optind ? "one FACTS file expected"
                                              : "FACTS is missing (use - for standard input)");
    if (!by_year && !by_quarter && !by_years)
        cli_args_fail(&a, "--year, --quarter or --years is required (e.g. --year 2023, "
                          "--quarter 2019Q2, --years 2019-2027)");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    facts_path = a.av[optind];

    /* The policy first: without rules there is nothing to check the facts against. */
    rc = policy_load(&policy, &pa, &err);
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }
    rc = cli_load_facts(&facts, facts_path, &err);
    if (rc != FISC_OK) {
        ret = cli_report_source(&ctx, &err, full_source(err.source, &facts_path, 1, NULL));
        goto done;
    }
    if (by_years) {
        ret = estimate_years(&ctx, policy, facts, wanted, lang, explain);
        goto done;
    }

    opts.year = year;
    opts.quarter = quarter;
    /*
     * Always traced: without it the library leaves out every text (the items' summaries, the
     * values each condition compared: docs/result-schema.md), which even the short report
     * shows. Tracing costs nothing worth saving for one enterprise; --explain only decides
     * how much is printed.
     */
    opts.trace = 1;
    rc = fisc_evaluate(&result, policy, facts, &opts, &err);
    if (rc != FISC_OK) {
        ret = cli_report(&ctx, &err);
        /* The policy has no value of a parameter a program needs for the period. */
        if (rc == FISC_ENOTFOUND)
            ret = CLI_EXIT_CONFIG;
        goto done;
    }

    if (ctx.json) {
        rc = fisc_result_to_json(&out, result, FISC_JSON_PRETTY | (explain ? FISC_JSON_TRACE : 0u),
                                 &err);
        if (rc != FISC_OK) {
            ret = cli_report(&ctx, &err);
            goto done;
        }
        ret = put_document(&ctx, out);
    } else {
        /* The CLI's own report (cli_report.c): a summary table first, then the details. */
        cli_report_text(&text, policy, result, year, quarter, lang, explain);
        ret = put_buf(&ctx, &text);
    }

done:
    cli_buf_free(&text);
    fisc_string_free(out);
    fisc_result_free(result);
    fisc_facts_free(facts);
    fisc_policy_free(policy);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc params */

/* 1 if the entry is in force on @p at ("YYYY-MM-DD"; ISO dates compare as strings). */
static int entry_in_force(const fisc_param_entry *e, const char *at)
{
    return e->from && strcmp(e->from, at) <= 0 && (!e->to || strcmp(at, e->to) <= 0);
}

static void params_entry_json(cli_buf *b, const fisc_param_entry *e)
{
    cli_buf_puts(b, "{\"from\":");
    cli_buf_json_string(b, e->from);
    cli_buf_puts(b, ",\"to\":");
    cli_buf_json_string(b, e->to);
    cli_buf_puts(b, ",\"value\":");
    cli_buf_json_string(b, e->value);
    cli_buf_puts(b, ",\"evidence\":");
    cli_buf_json_string(b, evidence_name(e->evidence));
    cli_buf_puts(b, ",\"document\":");
    cli_buf_json_string(b, str_or_empty(e->document));
    cli_buf_puts(b, ",\"article\":");
    cli_buf_json_string(b, str_or_empty(e->article));
    cli_buf_puts(b, ",\"url\":");
    cli_buf_json_string(b, str_or_empty(e->url));
    cli_buf_puts(b, ",\"layer\":");
    cli_buf_json_string(b, e->layer);
    cli_buf_puts(b, "}");
}

static void params_entry_text(cli_buf *b, const fisc_param_entry *e)
{
    const char *article = str_or_empty(e->article), *url = str_or_empty(e->url);

    cli_buf_printf(b, "  %s..%s  %s  %s  %s%s%s%s%s  (layer %s)\n", str_or_empty(e->from),
                   str_or_empty(e->to), str_or_empty(e->value), evidence_name(e->evidence),
                   str_or_empty(e->document), article[0] ? " " : "", article, url[0] ? "  " : "",
                   url, str_or_empty(e->layer));
}

int cmd_params(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000 };
    static const struct option longopts[] = {
        { "policy", required_argument, NULL, 'p' },
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "at", required_argument, NULL, 'a' },
        { "match", required_argument, NULL, 'm' },
        { "lang", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc params", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT;
    fisc_policy *policy = NULL;
    const char *lang = "zh", *at = NULL, *match = NULL;
    cli_buf b;
    size_t i, n, listed = 0;
    int help = 0, c, rc, ret;

    if (policy_args_init(&pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, "+:p:a:m:l:jh", longopts) != 0) {
        policy_args_free(&pa);
        return CLI_EXIT_INTERNAL;
    }
    cli_buf_init(&b);
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case 'p': pa.paths[pa.npaths++] = optarg; break;
        case OPT_OVERLAY:
            if (pa.overlay)
                cli_args_fail(&a, "give --overlay once");
            pa.overlay = optarg;
            break;
        case 'a':
            at = optarg;
            if (!valid_date(optarg))
                cli_args_fail(&a, "--at needs a date YYYY-MM-DD, not '%s'", optarg);
            break;
        case 'm': match = optarg; break;
        case 'l':
            if (parse_lang(optarg, &lang) != 0)
                cli_args_fail(&a, "unknown --lang '%s' (zh, en)", optarg);
            break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(params_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!a.error[0] && a.ac - optind != 0)
        cli_args_fail(&a, "unexpected argument '%s' (policy files go after --policy)",
                      a.av[optind]);
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }

    rc = policy_load(&policy, &pa, &err);
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }

    if (ctx.json) {
        cli_buf_puts(&b, "{\"at\":");
        cli_buf_json_string(&b, at);
        cli_buf_puts(&b, ",\"match\":");
        cli_buf_json_string(&b, match);
        cli_buf_puts(&b, ",\"params\":[");
    }
    n = fisc_policy_param_count(policy);
    for (i = 0; i < n; i++) {
        const fisc_param *q = fisc_policy_param(policy, i);
        const char *id, *zh, *en;
        size_t k, ne, shown = 0;

        if (!q)
            continue;
        id = str_or_empty(fisc_param_id(q));
        zh = str_or_empty(fisc_param_label(q, "zh"));
        en = str_or_empty(fisc_param_label(q, "en"));
        if (match && !contains_ci(id, match) && !contains_ci(zh, match) && !contains_ci(en, match))
            continue;
        ne = fisc_param_entry_count(q);
        if (at) {
            for (k = 0; k < ne; k++) {
                const fisc_param_entry *e = fisc_param_entry_at(q, k);
                if (e && entry_in_force(e, at))
                    break;
            }
            if (k == ne)
                continue; /* no value in force that day */
        }
        if (ctx.json) {
            cli_buf_puts(&b, listed ? ",{\"id\":" : "{\"id\":");
            cli_buf_json_string(&b, id);
            cli_buf_puts(&b, ",\"label\":");
            cli_buf_json_string(&b, strcmp(lang, "en") == 0 ? en : zh);
            cli_buf_puts(&b, ",\"label_zh\":");
            cli_buf_json_string(&b, zh);
            cli_buf_puts(&b, ",\"label_en\":");
            cli_buf_json_string(&b, en);
            cli_buf_puts(&b, ",\"unit\":");
            cli_buf_json_string(&b, str_or_empty(fisc_param_unit(q)));
            cli_buf_puts(&b, ",\"kind\":");
            cli_buf_json_string(&b, kind_name(fisc_param_kind_of(q)));
            cli_buf_puts(&b, ",\"entries\":[");
        } else {
            cli_buf_printf(&b, "%s  %s  [%s]\n", id, strcmp(lang, "en") == 0 ? en : zh,
                           str_or_empty(fisc_param_unit(q)));
        }
        for (k = 0; k < ne; k++) {
            const fisc_param_entry *e = fisc_param_entry_at(q, k);

            if (!e || (at && !entry_in_force(e, at)))
                continue;
            if (ctx.json) {
                if (shown)
                    cli_buf_puts(&b, ",");
                params_entry_json(&b, e);
            } else {
                params_entry_text(&b, e);
            }
            shown++;
        }
        if (ctx.json)
            cli_buf_puts(&b, "]}");
        listed++;
    }
    if (ctx.json) {
        cli_buf_printf(&b, "],\"count\":%zu}", listed);
        ret = cli_emit_json(&ctx, &b, stdout);
    } else {
        ret = put_buf(&ctx, &b);
        if (ret == CLI_EXIT_OK && listed == 0)
            fprintf(stderr, "%s: no parameter matches\n", ctx.cmd);
    }

done:
    cli_buf_free(&b);
    fisc_policy_free(policy);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}

/* ---------------------------------------------------------------------------------------- */
/* fisc policy check */

static void check_json(cli_buf *b, const fisc_policy *policy)
{
    size_t i, n = fisc_policy_layer_count(policy), np = fisc_policy_program_count(policy);

    cli_buf_puts(b, "{\"ok\":true,\"layers\":[");
    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(policy, i);

        if (!l)
            continue;
        cli_buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        cli_buf_json_string(b, l->id);
        cli_buf_puts(b, ",\"path\":");
        cli_buf_json_string(b, l->path);
        cli_buf_puts(b, ",\"sha256\":");
        cli_buf_json_string(b, l->sha256);
        cli_buf_puts(b, ",\"title_zh\":");
        cli_buf_json_string(b, l->title_zh);
        cli_buf_puts(b, ",\"title_en\":");
        cli_buf_json_string(b, l->title_en);
        cli_buf_puts(b, ",\"document\":");
        cli_buf_json_string(b, l->document);
        cli_buf_printf(b, ",\"overlay\":%s}", l->is_overlay ? "true" : "false");
    }
    cli_buf_printf(b, "],\"parameter_count\":%zu,\"program_count\":%zu,\"programs\":[",
                   fisc_policy_param_count(policy), np);
    for (i = 0; i < np; i++) {
        if (i)
            cli_buf_puts(b, ",");
        cli_buf_json_string(b, fisc_policy_program_id(policy, i));
    }
    cli_buf_puts(b, "]}");
}

static void check_text(cli_buf *b, const fisc_policy *policy)
{
    size_t i, n = fisc_policy_layer_count(policy), np = fisc_policy_program_count(policy);
    size_t nlayers = 0;

    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(policy, i);
        if (l && !l->is_overlay)
            nlayers++;
    }
    cli_buf_printf(b, "OK: %zu layer%s%s, %zu parameters, %zu programs\n", nlayers,
                   nlayers == 1 ? "" : "s", n > nlayers ? " and an overlay" : "",
                   fisc_policy_param_count(policy), np);
    for (i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(policy, i);

        if (!l)
            continue;
        cli_buf_printf(b, "  %s %s  sha256 %s  %s  %s\n", l->is_overlay ? "overlay" : "layer",
                       str_or_empty(l->id), str_or_empty(l->sha256), str_or_empty(l->document),
                       str_or_empty(l->path));
    }
    cli_buf_puts(b, "  programs:");
    for (i = 0; i < np; i++)
        cli_buf_printf(b, " %s", str_or_empty(fisc_policy_program_id(policy, i)));
    cli_buf_puts(b, "\n");
}

static int cmd_policy_check(int argc, char **argv)
{
    enum { OPT_OVERLAY = 1000 };
    static const struct option longopts[] = {
        { "overlay", required_argument, NULL, OPT_OVERLAY },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    cli_ctx ctx = { "fisc policy check", 0 };
    cli_args a;
    policy_args pa;
    fisc_error err = FISC_ERROR_INIT;
    fisc_policy *policy = NULL;
    cli_buf b;
    int help = 0, c, i, rc, ret;

    if (policy_args_init(&pa, argc) != 0)
        return CLI_EXIT_INTERNAL;
    if (cli_args_begin(&a, argc, argv, "+:jh", longopts) != 0) {
        policy_args_free(&pa);
        return CLI_EXIT_INTERNAL;
    }
    cli_buf_init(&b);
    while ((c = cli_args_next(&a)) != -1) {
        switch (c) {
        case OPT_OVERLAY:
            if (pa.overlay)
                cli_args_fail(&a, "give --overlay once");
            pa.overlay = optarg;
            break;
        case 'j': ctx.json = 1; break;
        case 'h': help = 1; break;
        default: break;
        }
    }
    if (help) {
        cli_args_end(&a);
        policy_args_free(&pa);
        fputs(policy_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (!a.error[0] && optind >= a.ac)
        cli_args_fail(&a, "FILE is missing (the policy files to check, national first)");
    if (a.error[0]) {
        ret = cli_usage_error(&ctx, "%s", a.error);
        goto done;
    }
    for (i = optind; i < a.ac; i++)
        pa.paths[pa.npaths++] = a.av[i];

    rc = policy_load(&policy, &pa, &err);
    if (rc != FISC_OK) {
        ret = report_policy_error(&ctx, &err, &pa);
        goto done;
    }
    if (ctx.json) {
        check_json(&b, policy);
        ret = cli_emit_json(&ctx, &b, stdout);
    } else {
        check_text(&b, policy);
        ret = put_buf(&ctx, &b);
    }

done:
    cli_buf_free(&b);
    fisc_policy_free(policy);
    cli_args_end(&a);
    policy_args_free(&pa);
    return ret;
}

int cmd_policy(int argc, char **argv)
{
    cli_ctx ctx = { "fisc policy", 0 };
    int i;

    if (argc >= 2 && strcmp(argv[1], "check") == 0)
        return cmd_policy_check(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(policy_usage, stdout);
        return CLI_EXIT_OK;
    }
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
            ctx.json = 1;
    if (argc < 2)
        return cli_usage_error(&ctx, "SUBCOMMAND is missing (check)");
    return cli_usage_error(&ctx, "unknown subcommand '%s' (check)", argv[1]);
}
