/*
 * Private interface of agreements (一事一议): the loaded document (agreement_load.c), the
 * policy checks that produce findings (agreement_check.c), actuals (actuals.c), the year-by-year
 * evaluation (agreement_eval.c) and its serialization (agreement_result.c).
 *
 * Everything an agreement holds lives in its arena and never changes after loading. Numbers are
 * exact decimals in 元 (a "万元" in the document is converted when read) or fractions (rates).
 */
#ifndef FISC_LIB_AGREEMENT_H
#define FISC_LIB_AGREEMENT_H

#include <stdatomic.h>

#include "arena.h"
#include "facts.h"
#include "fisc_private.h"
#include "policy.h"
#include "result.h"

/* Bounds, so a document can never ask for unbounded work (checked by the loader, with position). */
#define FISCP_AG_MAX_TERMS 32
#define FISCP_AG_MAX_CONDS 8          /* release conditions per term; per instalment; per clawback */
#define FISCP_AG_MAX_INSTALMENTS 6
#define FISCP_AG_MAX_COMBINE 8
#define FISCP_AG_MAX_PROGRAMS 8       /* general programs named by one combination rule */
#define FISCP_AG_MAX_EVIDENCE 16
#define FISCP_AG_MIN_YEAR 2000
#define FISCP_AG_MAX_YEAR 2100
#define FISCP_AG_MAX_SPAN 30          /* last year - first year + 1 */
#define FISCP_AG_TERM_CITES 6         /* clauses a term may cite: base, caps, late share, instalments, clawback */

/* ---- metrics and events: the fixed vocabulary of actuals (agreement_vocab.c) */

typedef enum fiscp_ag_metric {
    AGM_FUNDS_IN_PLACE,             /* 实际到位资金, 元, a flow: the year's new funds */
    AGM_FIXED_ASSET_INVESTMENT,     /* 固定资产投资, 元, flow */
    AGM_EQUIPMENT_INVESTMENT,       /* 设备投资, 元, flow */
    AGM_OUTPUT,                     /* 产值, 元, flow */
    AGM_REVENUE,                    /* 营业收入, 元, flow */
    AGM_TAXES_PAID,                 /* 纳税额, 元, flow (tax-linked) */
    AGM_LOCAL_FISCAL_CONTRIBUTION,  /* 地方财力贡献, 元, flow (tax-linked) */
    AGM_RENT,                       /* 租金 (standard rent due), 元, flow */
    AGM_LAND_PRICE,                 /* 土地出让价款, 元, flow */
    AGM_HEADCOUNT,                  /* 从业人数 at year end, count, a level */
    AGM_COUNT
} fiscp_ag_metric;

typedef enum fiscp_ag_event {
    AGE_CONSTRUCTION_STARTED,       /* 开工 */
    AGE_COMPLETED,                  /* 竣工 */
    AGE_PRODUCTION_STARTED,         /* 投产 */
    AGE_HEADQUARTERS_REGISTERED,    /* 总部注册落户 */
    AGE_RELOCATED_OUT,              /* 迁出 */
    AGE_CEASED_OPERATION,           /* 停产 / 注销 */
    AGE_COUNT
} fiscp_ag_event;

typedef struct fiscp_ag_metric_info {
    const char *name;               /* "funds_in_place" */
    const char *label_zh, *label_en;
    int level;                      /* 1: a level (headcount), never summed over years */
    int count;                      /* 1: a whole count, not 元 */
} fiscp_ag_metric_info;

typedef struct fiscp_ag_event_info {
    const char *name, *label_zh, *label_en;
} fiscp_ag_event_info;

extern const fiscp_ag_metric_info fiscp_ag_metrics[AGM_COUNT];
extern const fiscp_ag_event_info fiscp_ag_events[AGE_COUNT];
int fiscp_ag_metric_find(const char *name);   /* index or -1 */
int fiscp_ag_event_find(const char *name);    /* index or -1 */
/* The closest metric or event name to text, or NULL. */
const char *fiscp_ag_metric_suggest(const char *text, size_t len);
const char *fiscp_ag_event_suggest(const char *text, size_t len);

/* ---- the policy parameters agreements rely on (resolved once at load, agreement_check.c) */

typedef enum fiscp_ag_param {
    AGP_CATEGORY,                   /* agreement.basis.category: table by agreement_category, yes/no */
    AGP_RANK_LIMIT,                 /* agreement.basis.rank_limit: table by agreement_category, count */
    AGP_IN_ZONE_REQUIRED,           /* agreement.basis.in_zone_required: yes/no */
    AGP_GBA_CITY,                   /* agreement.basis.gba_city: table by gba_city, yes/no */
    AGP_RESTRICTED_BASE,            /* agreement.fair_competition.restricted_base: table by agreement_base */
    AGP_APPROVAL_LIMIT,             /* agreement.approval.limit: table by agreement_authority, 万元 */
    AGP_COUNT
} fiscp_ag_param;

extern const char *const fiscp_ag_param_ids[AGP_COUNT];

/* ---- the document */

typedef struct fiscp_ag_pos {
    int line, column;               /* 1-based; 0 when not from the document */
} fiscp_ag_pos;

typedef enum { AGC_METRIC, AGC_EVENT_BY, AGC_EVENT_ABSENT } fiscp_ag_cond_kind;
typedef enum { AGO_YEAR, AGO_CUMULATIVE } fiscp_ag_over;
typedef enum { AGOP_AT_LEAST, AGOP_AT_MOST } fiscp_ag_op;

/*
 * A condition. Metric conditions compare the metric (the year's value, or the sum from the
 * agreement's first year) with a threshold. With by_year set the condition is a milestone: met
 * in the first year it holds, "late" if that year is after by_year. Without it, the condition is
 * annual: checked in the year concerned (the year of the award, the instalment or the check).
 * AGC_EVENT_BY: the event must have happened, by `date` (a milestone; late if after it).
 * AGC_EVENT_ABSENT: the event must not happen on or before `date` (a commitment to stay).
 */
typedef struct fiscp_ag_cond {
    const char *id;                 /* "TERM.release.N", or as the document names it */
    const char *clause;             /* the agreement's clause, or "" */
    const char *label_zh, *label_en;/* as written, or generated from the condition */
    fiscp_ag_cond_kind kind;
    int metric;                     /* fiscp_ag_metric (AGC_METRIC) */
    fiscp_ag_over over;
    fiscp_ag_op op;
    fisc_decimal threshold;         /* 元 or a count */
    int by_year;                    /* milestone deadline year for a metric; 0 = annual */
    int event;                      /* fiscp_ag_event (AGC_EVENT_*) */
    fiscp_date date;                /* deadline (EVENT_BY) or end of the commitment (EVENT_ABSENT) */
    fiscp_ag_pos pos;
} fiscp_ag_cond;

typedef struct fiscp_ag_conds {
    size_t n;
    fiscp_ag_cond *v;
} fiscp_ag_conds;

typedef struct fiscp_ag_instalment {
    fisc_decimal share;             /* a fraction; the shares of a term add up to exactly 1 */
    int after;                      /* years after the award is released: 0..10 */
    fiscp_ag_conds conds;           /* annual conditions checked in the payment year; unmet: forfeited */
    const char *clause;
    fiscp_ag_pos pos;
} fiscp_ag_instalment;

typedef struct fiscp_ag_clawback {
    const char *clause;
    fiscp_ag_conds conds;           /* commitments: the first one that fails triggers the clawback */
    fisc_decimal share;             /* of what was paid under the term(s) */
    int has_interest;
    fisc_decimal interest_rate;     /* simple annual rate, a fraction */
    int day_basis;                  /* 360 or 365 */
    fiscp_ag_pos pos;
} fiscp_ag_clawback;

typedef enum { AGT_FIXED, AGT_RATE, AGT_CONCESSION } fiscp_ag_term_kind;

typedef struct fiscp_ag_term {
    const char *id;                 /* [a-z0-9_]+, unique */
    const char *clause;             /* the agreement's clause for the term */
    const char *title_zh, *title_en;
    const char *program_id;         /* "AGREEMENT-ID/TERM-ID": the item's program id */
    fiscp_ag_term_kind kind;
    int base;                       /* fiscp_ag_metric for RATE and CONCESSION (rent or land price) */
    fisc_decimal amount;            /* FIXED: 元 per year covered */
    fisc_decimal rate;              /* RATE, CONCESSION: a fraction of the base */
    int first_year, last_year;      /* the years whose amount (or base) the term rewards */
    int has_cap_year, has_cap_total;
    fisc_decimal cap_year, cap_total;
    fisc_decimal late_share;        /* share paid when a milestone is met late: 1 by default, 0 = forfeit */
    fiscp_ag_conds release;         /* all must hold for a year's award to be released */
    size_t ninstalments;            /* at least 1 (default: 100% in the year of release) */
    fiscp_ag_instalment *instalments;
    int pay_on;                     /* MMDD of each payment in its year (interest runs from it) */
    const fiscp_ag_clawback *clawback;  /* the term's own, else the package's, or NULL */
    int tax_linked;                 /* the base is tax-linked (found by the policy check) */
    int gated;                      /* the legal gate forbids paying it (a finding of severity error) */
    fiscp_program_conf conf;        /* for the engine: id = program_id, titles, the agreement's rounding */
    /* the term's clauses as results cite them, made once at load (agreement_eval.c); id NULL: none */
    fisc_used_param cite[FISCP_AG_TERM_CITES];
    fisc_used_param *cond_cite;     /* one per release condition */
    fiscp_ag_pos pos;
    /* `legal_basis:` the law, administrative regulation or State Council approval that authorises a
       tax-linked reward (公平竞争审查条例 第十条): with it the legal gate warns and does not gate */
    const char *legal_basis_document;   /* or NULL when none is written */
    const char *legal_basis_article;    /* or "" */
    fiscp_ag_pos legal_basis_pos;
} fiscp_ag_term;

typedef enum { AGX_ADDITIVE, AGX_HIGHER_OF, AGX_EXCLUSIVE } fiscp_ag_combine_mode;

typedef struct fiscp_ag_combine {
    fiscp_ag_combine_mode mode;
    size_t nprograms;
    const char **programs;          /* general program ids (the policy need not enable them) */
    size_t nterms;
    int *terms;                     /* indices of the terms for that matter (all when none named) */
    const char *clause;
    fiscp_ag_pos pos;
} fiscp_ag_combine;

typedef struct fiscp_ag_evidence {
    const char *name;               /* e.g. "fortune_global_500_rank" */
    const char *value;              /* as written */
    fiscp_ag_pos pos;
} fiscp_ag_evidence;

struct fisc_agreement {
    _Atomic long refs;              /* the caller's reference and one per live result */
    fiscp_arena arena;
    const fisc_policy *policy;      /* a reference is held */
    const char *source;             /* file name for messages */
    char hash[65];

    const char *id;                 /* [A-Za-z0-9_.-]+ */
    const char *number;             /* the agreement's own number (协议编号), or "" */
    const char *title_zh, *title_en;
    const char *enterprise, *uscc;  /* uscc as written, normalised (upper case, no spaces) */
    const char *government;         /* the party granting, e.g. 玉林高新技术产业开发区管理委员会 */
    const char *project, *location;
    fiscp_date signed_on, approved_on;
    const char *authority;          /* a value of the policy's enumeration agreement_authority */
    const char *approval_document;  /* 批复文号, or "" */
    const char *category;           /* a value of the policy's enumeration agreement_category */
    const char *basis_clause;
    size_t nevidence;
    fiscp_ag_evidence *evidence;

    fisc_round rounding;            /* default half_up */
    fisc_decimal rounding_unit;     /* default 0.01 */
    const char *rounding_name;

    size_t nterms;
    fiscp_ag_term *terms;
    size_t ncombine;
    fiscp_ag_combine *combine;
    int has_ceiling_amount, has_ceiling_share;
    fisc_decimal ceiling_amount;    /* 元 */
    fisc_decimal ceiling_share;     /* of cumulative actual fixed-asset investment */
    const char *ceiling_clause;
    fiscp_ag_pos ceiling_pos;
    fiscp_ag_clawback *package_clawback;   /* applies to every term without its own, or NULL */
    fiscp_program_conf package_conf;       /* the package's item: id = the agreement's id */
    /* the package's clauses as results cite them, made once at load (agreement_eval.c) */
    fisc_used_param ceiling_cite, claw_cite, combine_cite[FISCP_AG_MAX_COMBINE];
    const char *signed_text;        /* "YYYY-MM-DD" */

    /* planned figures (`plan:`), used by the schedule: plan[year - first_year][metric], set[] marks;
       both allocated for every year of the span once loaded (rows empty where the plan gives nothing) */
    int first_year, last_year;      /* span of the terms, instalments and commitments */
    fisc_decimal (*plan)[AGM_COUNT];
    unsigned char (*plan_set)[AGM_COUNT];

    size_t nfindings, findings_alloc;
    fisc_finding *findings;
    size_t nerrors;
    fiscp_ag_pos pos_signed, pos_category, pos_authority, pos_uscc;

    /* the policy's parameters (agreement.*), looked up once at load; never NULL once loaded */
    const fisc_param *params[AGP_COUNT];
};

/* Reference counting (a result keeps its agreement alive). */
void fiscp_agreement_ref(const fisc_agreement *a);
void fiscp_agreement_unref(const fisc_agreement *a);

/* Add a finding (strings copied into the agreement's arena). FISC_ENOMEM only. */
fisc_status fiscp_agreement_add_finding(fisc_agreement *a, const char *id, fisc_severity severity,
                                        const char *term, fiscp_ag_pos pos, const fisc_param *param,
                                        const fiscp_entry *entry, const char *zh, const char *en,
                                        fisc_error *err);

/*
 * Look up the policy parameters of fiscp_ag_param_ids into a->params (a->policy set): FISC_ENOTFOUND
 * naming the first the policy lacks. The loader calls it before reading the document.
 */
fisc_status fiscp_agreement_resolve(fisc_agreement *a, fisc_error *err);

/* The citations results make of the agreement's clauses, built by the loader once the document is
 * read and checked (agreement_eval.c). */
fisc_status fiscp_agreement_prepare_cites(fisc_agreement *a, fisc_error *err);

/* The policy checks, run by the loader once the document is read (agreement_check.c). */
fisc_status fiscp_agreement_check(fisc_agreement *a, fisc_error *err);

/*
 * The "agreement" outline object and the "findings" array of schema fisc-agreement-check/1
 * (docs/agreement-format.md) as JSON texts, for a serializer that embeds them (agreement_result.c):
 * with pretty set, indented for a member at nesting depth `depth` (2 spaces a level, no leading
 * newline). The caller frees both with fiscp_free(). FISC_ENOMEM only.
 */
fisc_status fiscp_agreement_outline_json(char **outline, char **findings, const fisc_agreement *a, int pretty,
                                         int depth, fisc_error *err);

/* ---- actuals */

struct fisc_actuals {
    int first_year, last_year;      /* span of the years that have any value; 0 when none */
    size_t years_alloc;             /* one row per year from first_year */
    fisc_decimal (*metric)[AGM_COUNT];
    unsigned char (*metric_set)[AGM_COUNT];
    fisc_facts **facts;             /* per year, owned, or NULL */
    fiscp_date event[AGE_COUNT];    /* 0 when it has not happened */
    char *agreement;                /* the "agreement" member (the id the actuals are for), owned, or NULL */
};

/* The value of metric m in year y, or NULL when not reported. */
const fisc_decimal *fiscp_actuals_metric(const fisc_actuals *a, int year, int metric);
/* The facts of year y, or NULL. */
const fisc_facts *fiscp_actuals_facts(const fisc_actuals *a, int year);

/* ---- the evaluation */

struct fisc_agreement_result {
    const fisc_agreement *agreement;   /* a reference is held */
    size_t nyears;
    int *years;
    fisc_result **results;
    fisc_decimal total_due, total_withheld, total_repay, total_interest, total_concession, total_net;
    int provisional;
    int schedule;
    fiscp_arena arena;                 /* texts every year's result borrows: cited ids and values, missing names */
};

#endif
