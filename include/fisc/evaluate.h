/**
 * @file fisc/evaluate.h
 * @brief Evaluate a policy for a set of facts and a period; walk and serialize the result.
 * @defgroup fisc_evaluate Evaluation and results
 * @{
 *
 * For each program the policy enables, a result item says whether the enterprise is eligible
 * (or why not, or which facts are missing), the amounts, a checklist of conditions with the
 * values compared, and (when asked) a trace of steps: the formula in words, the numbers
 * substituted, the parameters used with their citations, and every rounding with its mode and
 * residue. An item, and the result, is *provisional* when any parameter it used is not
 * confirmed. Totals are kept per category.
 *
 * Evaluation reads the policy and facts only (both may be shared between threads) and
 * allocates for the result alone.
 */
#ifndef FISC_EVALUATE_H
#define FISC_EVALUATE_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"
#include "fisc/policy.h"
#include "fisc/facts.h"

FISC_BEGIN_DECL

/** Version of ::fisc_eval_options this header describes. */
#define FISC_EVAL_OPTIONS_VERSION 2

/** Evaluation options. Transparent and versioned: only fields are ever appended. */
typedef struct fisc_eval_options {
    unsigned int version;  /**< FISC_EVAL_OPTIONS_VERSION */
    int year;              /**< tax year, 1990..2100 */
    int quarter;           /**< 0 for the whole year; 1..4 for prepayment cumulative to that quarter */
    int trace;             /**< non-zero: record the explanation: the steps, the values compared in each
                                condition and the summaries. Off (batch work): outcomes, conditions' states,
                                amounts, missing facts and parameters used only; the texts are "". */
    int summary;           /**< (version 2) non-zero, with trace off: a summary for batch work. Each item
                                still has its outcome, choice, missing facts, parameters used, provisional
                                mark and the amounts counted in a category (and so the totals); of its
                                informative amounts (category -1) only its first (the one a program
                                publishes first, its headline) and those a later program of the policy
                                reads (cn.cit's route taxes when gx.beibu_cit_local_share is enabled);
                                no conditions (condition_count 0). Every amount it records equals the
                                full evaluation's. Ignored with trace on. */
} fisc_eval_options;

/** Static initializer: year 0 (must be set), whole year, no trace, no summary. */
#define FISC_EVAL_OPTIONS_INIT { FISC_EVAL_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * Initialise @p o to FISC_EVAL_OPTIONS_INIT for @p version (1 or 2; a version 1 struct ends after
 * trace, and the library reads no further of it). @return FISC_OK or FISC_EINVAL (version).
 */
FISC_API FISC_NODISCARD fisc_status fisc_eval_options_init(fisc_eval_options *o, unsigned int version);

/** What an item found. Values pinned. */
typedef enum fisc_outcome {
    FISC_OUTCOME_ELIGIBLE = 0,     /**< the incentive applies; amounts are final */
    FISC_OUTCOME_NOT_ELIGIBLE = 1, /**< it does not: see the conditions not met */
    FISC_OUTCOME_UNDETERMINED = 2  /**< facts are missing: see fisc_item::missing */
} fisc_outcome;

/** A condition's state. Values pinned. */
typedef enum fisc_cond_state {
    FISC_COND_MET = 0,
    FISC_COND_NOT_MET = 1,
    FISC_COND_UNKNOWN = 2
} fisc_cond_state;

/** A result category. Values pinned. */
typedef enum fisc_category {
    FISC_CATEGORY_TAX_PAYABLE = 0, /**< tax still to pay under the rules */
    FISC_CATEGORY_TAX_RELIEF = 1,  /**< tax saved against the standard treatment */
    FISC_CATEGORY_SUBSIDY = 2,     /**< money granted */
    FISC_CATEGORY_REPAYMENT = 3    /**< money the enterprise must pay back (an agreement's clawback, its interest) */
} fisc_category;
/** Number of categories. */
#define FISC_CATEGORY_COUNT 4

/** A parameter value a program used, with its citation. Borrowed from the result. */
typedef struct fisc_used_param {
    const char *id;         /**< dotted id */
    const char *value;      /**< the value in force, as written ("25%", "5 万元", or a scale summary) */
    const char *from;       /**< first day of that value */
    const char *to;         /**< last day, or NULL */
    int evidence;           /**< a ::fisc_evidence */
    const char *document;   /**< citation */
    const char *article;
    const char *url;
    const char *unit;       /**< the parameter's unit as written ("元", "万元", "rate", "count" ...) */
} fisc_used_param;

/** One checked condition. Borrowed from the result. */
typedef struct fisc_condition {
    const char *id;         /**< e.g. "small_micro.employees" */
    const char *label_zh;
    const char *label_en;
    int state;              /**< a ::fisc_cond_state */
    const char *detail;     /**< the values compared, e.g. "275 ≤ 300" (with the explanation on; else "") */
} fisc_condition;

/** One step of the computation (recorded only with fisc_eval_options::trace). Borrowed. */
typedef struct fisc_step {
    const char *id;          /**< e.g. "small_micro.tax" */
    const char *label_zh;
    const char *label_en;
    const char *formula;     /**< in words, e.g. "应纳税所得额 × 税率" / "taxable income × rate" */
    const char *substituted; /**< with the numbers, e.g. "2800000 × 25% = 700000" */
    const char *result;      /**< the exact result */
    const char *rounding;    /**< "" or e.g. "half_up to 0.01: 700000.125 → 700000.13 (residue -0.005)" */
} fisc_step;

/** A named amount of an item. Borrowed. */
typedef struct fisc_amount {
    const char *name;           /**< e.g. "tax", "relief", "reward" */
    const fisc_decimal *value;  /**< exact, already rounded as the program's rule says */
    int category;               /**< a ::fisc_category, or -1 when it only informs */
} fisc_amount;

/** One program's result. Borrowed from the result; walk the arrays by their counts. */
typedef struct fisc_item {
    const char *program;        /**< program id, e.g. "cn.cit" */
    const char *title_zh;
    const char *title_en;
    int outcome;                /**< a ::fisc_outcome */
    int provisional;            /**< non-zero when a parameter used is not confirmed */
    const char *summary_zh;     /**< one line: what was chosen or why not (with the explanation on; else "") */
    const char *summary_en;
    size_t amount_count;
    const fisc_amount *amounts;
    size_t condition_count;
    const fisc_condition *conditions;
    size_t missing_count;
    const char *const *missing; /**< names of facts that were needed and not set */
    size_t param_count;
    const fisc_used_param *params;
    size_t step_count;
    const fisc_step *steps;
    const char *choice;         /**< the option chosen where a program chooses (e.g. "small_micro"), or "" */
} fisc_item;

/** An evaluation result. */
typedef struct fisc_result fisc_result;

/**
 * Evaluate every program the policy enables.
 * @param[out] out  the caller owns the result and must release it with fisc_result_free().
 * @param opts      must give the year. Borrowed for the call.
 * @return FISC_OK (whatever the outcomes); FISC_EINVAL (bad options); FISC_ENOTFOUND (the policy
 *         lacks a parameter a program needs for that date, named in the message); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_evaluate(fisc_result **out, const fisc_policy *policy,
                                                  const fisc_facts *facts, const fisc_eval_options *opts,
                                                  fisc_error *err);

/**
 * Evaluate as fisc_evaluate() does, reusing a result's memory: a batch keeps one result per thread
 * and allocates nothing per row once it has grown to its working size.
 * @param[in,out] r  *r NULL: a new result is made; else *r (from an earlier call or from
 *                   fisc_evaluate()) is emptied and filled again, and everything read from it before
 *                   (items, texts, totals) is no longer valid. On failure *r is an empty result, still
 *                   the caller's to reuse or release with fisc_result_free(); on FISC_EINVAL
 *                   (a NULL argument, bad options) *r is untouched.
 * @return as fisc_evaluate().
 */
FISC_API FISC_NODISCARD fisc_status fisc_evaluate_into(fisc_result **r, const fisc_policy *policy,
                                                       const fisc_facts *facts, const fisc_eval_options *opts,
                                                       fisc_error *err);

/** Release a result. Accepts NULL. */
FISC_API void fisc_result_free(fisc_result *r);

/** Number of items (one per program). */
FISC_API size_t fisc_result_item_count(const fisc_result *r);
/** Item @p i, or NULL. Borrowed: valid until the result is freed. */
FISC_API const fisc_item *fisc_result_item(const fisc_result *r, size_t i);
/** The item of program @p id, or NULL. Borrowed. */
FISC_API const fisc_item *fisc_result_find(const fisc_result *r, const char *program);
/** The total of a category over the items that are not undetermined (rounded amounts added; a not-eligible
 *  cn.cit still owes its standard tax). Borrowed; NULL if bad category. */
FISC_API const fisc_decimal *fisc_result_total(const fisc_result *r, int category);
/** Non-zero when any item is provisional. */
FISC_API int fisc_result_provisional(const fisc_result *r);

/** Version of the JSON result schema (the "schema" member is "fisc-result/1"). */
#define FISC_RESULT_SCHEMA_VERSION 1

/** fisc_result_to_json() flags. */
#define FISC_JSON_TRACE 0x1u   /**< include the steps */
#define FISC_JSON_PRETTY 0x2u  /**< indent */

/**
 * Serialize to JSON (schema in docs/result-schema.md): amounts as decimal strings.
 * @param[out] out  the caller owns it; release with fisc_string_free().
 */
FISC_API FISC_NODISCARD fisc_status fisc_result_to_json(char **out, const fisc_result *r, unsigned flags,
                                                        fisc_error *err);

/**
 * A readable text report in "zh" or "en".
 * @param explain   non-zero: show conditions, parameters with citations and steps.
 * @param[out] out  the caller owns it; release with fisc_string_free().
 */
FISC_API FISC_NODISCARD fisc_status fisc_result_to_text(char **out, const fisc_result *r, const char *lang,
                                                        int explain, fisc_error *err);

FISC_END_DECL

/** @} */
#endif
