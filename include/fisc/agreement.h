/**
 * @file fisc/agreement.h
 * @brief One-matter-one-discussion (一事一议) agreements: load, check, evaluate year by year.
 * @defgroup fisc_agreement Agreements (一事一议)
 * @{
 *
 * An agreement is a signed incentive package for one enterprise's project (玉政办函〔2022〕41号
 * 三(九), 六(二十)): terms that reward investment in place, equipment, output or contribution,
 * released by conditions, paid in instalments, capped per year, per term and overall, clawed back
 * when a commitment fails, and combined with the general programs additively, by the higher of the
 * two (就高不重复) or exclusively. The document format is in docs/agreement-format.md.
 *
 * Loading validates the document strictly (errors at file:line:column) and then checks it against
 * the policy: the enterprise's credit code, the eligibility category and its evidence, the legal
 * gate on tax-linked rewards (公平竞争审查条例, in force 2024-08-01) and the approval authority the
 * package's value requires. What those checks find is kept as *findings*: an agreement with
 * findings of severity error still loads (a bureau must be able to see what is wrong with a signed
 * contract), and its evaluation withholds what the findings forbid.
 *
 * Evaluation takes the enterprise's actual metrics and events by year (::fisc_actuals) and gives,
 * for each year, an ordinary ::fisc_result: the general programs' items (when the actuals carry
 * that year's facts), one item per term ("AGREEMENT-ID/TERM-ID") and one for the package
 * ("AGREEMENT-ID"), with conditions, steps, the agreement's clauses and the policy's parameters
 * cited as parameters used. Amounts: "due" counts as a subsidy, "repay" and "interest" as
 * ::FISC_CATEGORY_REPAYMENT; the others inform.
 *
 * Objects are immutable once loaded and may be shared between threads; an agreement and every
 * result hold a reference to their policy.
 */
#ifndef FISC_AGREEMENT_H
#define FISC_AGREEMENT_H

#include "fisc/common.h"
#include "fisc/errors.h"
#include "fisc/decimal.h"
#include "fisc/policy.h"
#include "fisc/facts.h"
#include "fisc/evaluate.h"

FISC_BEGIN_DECL

/** A loaded agreement. */
typedef struct fisc_agreement fisc_agreement;
/** An enterprise's actual metrics, events and facts by year. */
typedef struct fisc_actuals fisc_actuals;
/** The year-by-year evaluation of an agreement. */
typedef struct fisc_agreement_result fisc_agreement_result;

/* ------------------------------------------------------------------ loading and findings */

/**
 * Load an agreement document (YAML, docs/agreement-format.md) and check it against @p policy.
 * @param[out] out  the caller owns it; release with fisc_agreement_free().
 * @return FISC_OK (findings may still report errors: see fisc_agreement_finding());
 *         FISC_ENOTFOUND (no such file, or the policy lacks a parameter agreements need, named);
 *         FISC_EPARSE / FISC_EINVAL / FISC_ERANGE with the file, line, column and field in
 *         @p err; FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_load(fisc_agreement **out, const fisc_policy *policy,
                                                        const char *path, fisc_error *err);

/** As fisc_agreement_load(), from @p len bytes of @p text; @p name is used in messages. */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_load_string(fisc_agreement **out, const fisc_policy *policy,
                                                               const char *name, const char *text, size_t len,
                                                               fisc_error *err);

/** Release an agreement. Accepts NULL. */
FISC_API void fisc_agreement_free(fisc_agreement *a);

/** The agreement's id (its `id:`). Borrowed. */
FISC_API const char *fisc_agreement_id(const fisc_agreement *a);
/** Its title in "zh" or "en". Borrowed. */
FISC_API const char *fisc_agreement_title(const fisc_agreement *a, const char *lang);
/** SHA-256 of the document's bytes, 64 hexadecimal digits. Borrowed. */
FISC_API const char *fisc_agreement_hash(const fisc_agreement *a);
/** The first and last year the agreement can pay, repay or check anything in. */
FISC_API int fisc_agreement_first_year(const fisc_agreement *a);
FISC_API int fisc_agreement_last_year(const fisc_agreement *a);

/** How serious a finding is. Values pinned. */
typedef enum fisc_severity {
    FISC_SEVERITY_ERROR = 0,   /**< the agreement, or a term, cannot be paid as written */
    FISC_SEVERITY_WARNING = 1, /**< it can, but someone must look (a provisional rule, an unchecked value) */
    FISC_SEVERITY_NOTE = 2     /**< for the record */
} fisc_severity;

/** What checking the agreement against the policy found. Borrowed from the agreement. */
typedef struct fisc_finding {
    const char *id;         /**< e.g. "legal.fair_competition", "basis.category", "approval.authority", "party.uscc" */
    int severity;           /**< a ::fisc_severity */
    const char *term;       /**< the term concerned, or "" */
    const char *message_zh;
    const char *message_en;
    const char *source;     /**< the document */
    int line, column;       /**< of the node concerned (1-based), or 0 */
    const char *param;      /**< the policy parameter relied on, or "" */
    const char *document;   /**< its citation, or "" */
    const char *article;
    const char *url;
    int evidence;           /**< a ::fisc_evidence of that rule, or -1 */
} fisc_finding;

/** Number of findings. */
FISC_API size_t fisc_agreement_finding_count(const fisc_agreement *a);
/** Finding @p i, or NULL. Borrowed. */
FISC_API const fisc_finding *fisc_agreement_finding(const fisc_agreement *a, size_t i);
/** Number of findings of severity error. */
FISC_API size_t fisc_agreement_error_count(const fisc_agreement *a);

/**
 * The findings and the agreement's outline as JSON (schema "fisc-agreement-check/1", see
 * docs/agreement-format.md). @param flags FISC_JSON_PRETTY or 0.
 * @param[out] out  the caller owns it; release with fisc_string_free().
 */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_check_to_json(char **out, const fisc_agreement *a, unsigned flags,
                                                                 fisc_error *err);

/* ------------------------------------------------------------------ actuals */

/** An empty set of actuals. @param[out] out  release with fisc_actuals_free(). */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_new(fisc_actuals **out, fisc_error *err);

/**
 * Read actuals from JSON (docs/agreement-format.md, "Actuals"): metrics by year from each
 * number's exact text, events with their dates, and optionally each year's facts for the general
 * programs. Errors name the file, line, column and member.
 */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_load(fisc_actuals **out, const char *path, fisc_error *err);
/** As fisc_actuals_load(), from @p len bytes of @p json; @p name is used in messages. */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_load_string(fisc_actuals **out, const char *name, const char *json,
                                                             size_t len, fisc_error *err);
/** Release actuals. Accepts NULL. */
FISC_API void fisc_actuals_free(fisc_actuals *a);

/**
 * Set metric @p metric (e.g. "funds_in_place", see docs/agreement-format.md) of year @p year to
 * the decimal text @p value (元, or a count for "headcount"). Replaces an earlier value.
 */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_set_metric(fisc_actuals *a, int year, const char *metric,
                                                            const char *value, fisc_error *err);
/** Record that event @p event (e.g. "production_started") happened on @p date ("YYYY-MM-DD"). */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_set_event(fisc_actuals *a, const char *event, const char *date,
                                                           fisc_error *err);
/**
 * Give year @p year's facts, to evaluate the general programs beside the agreement. On FISC_OK
 * the actuals own @p facts (freed with them); on an error the caller still does.
 */
FISC_API FISC_NODISCARD fisc_status fisc_actuals_adopt_facts(fisc_actuals *a, int year, fisc_facts *facts,
                                                             fisc_error *err);

/* ------------------------------------------------------------------ evaluation */

/** Version of ::fisc_agreement_options this header describes. */
#define FISC_AGREEMENT_OPTIONS_VERSION 1

/** What fisc_agreement_evaluate() computes. Transparent and versioned: only fields are appended. */
typedef struct fisc_agreement_options {
    unsigned int version;  /**< FISC_AGREEMENT_OPTIONS_VERSION */
    int trace;             /**< non-zero: record the explanation (steps, values compared, summaries) */
    int through_year;      /**< last year to evaluate; 0: the agreement's last year */
    int schedule;          /**< non-zero: the payment plan if every condition is met, from the
                                agreement's planned figures (`plan:`); the actuals are ignored */
} fisc_agreement_options;

/** Static initializer: no trace, every year, actuals. */
#define FISC_AGREEMENT_OPTIONS_INIT { FISC_AGREEMENT_OPTIONS_VERSION, 0, 0, 0 }

/** Initialise @p o to FISC_AGREEMENT_OPTIONS_INIT. @return FISC_OK or FISC_EINVAL (version). */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_options_init(fisc_agreement_options *o, unsigned int version);

/**
 * Evaluate @p a year by year, from its first year through fisc_agreement_options::through_year.
 * @param actuals  may be NULL with fisc_agreement_options::schedule set. Borrowed for the call.
 * @param[out] out the caller owns it; release with fisc_agreement_result_free().
 * @return FISC_OK whatever the outcomes; FISC_EINVAL (bad options, no actuals);
 *         FISC_ENOTFOUND (the policy lacks a value a general program needs); FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_evaluate(fisc_agreement_result **out, const fisc_agreement *a,
                                                            const fisc_actuals *actuals,
                                                            const fisc_agreement_options *opts, fisc_error *err);

/** Release a result. Accepts NULL. */
FISC_API void fisc_agreement_result_free(fisc_agreement_result *r);

/** Number of years evaluated. */
FISC_API size_t fisc_agreement_result_year_count(const fisc_agreement_result *r);
/** The @p i-th year evaluated, or 0. */
FISC_API int fisc_agreement_result_year(const fisc_agreement_result *r, size_t i);
/** That year's result (general programs, terms, package). Borrowed: valid until @p r is freed. */
FISC_API const fisc_result *fisc_agreement_result_at(const fisc_agreement_result *r, size_t i);

/**
 * A total over every year evaluated, by name: "due", "withheld", "repay", "interest", "concession"
 * (the part of "due" granted as a rent or land-price concession), "net" (due − repay − interest).
 * Borrowed; NULL for an unknown name.
 */
FISC_API const fisc_decimal *fisc_agreement_result_total(const fisc_agreement_result *r, const char *name);
/** Non-zero when any year's result is provisional. */
FISC_API int fisc_agreement_result_provisional(const fisc_agreement_result *r);

/** Version of the agreement JSON schema ("fisc-agreement/1"). */
#define FISC_AGREEMENT_SCHEMA_VERSION 1

/**
 * Serialize to JSON (schema "fisc-agreement/1", docs/result-schema.md): the agreement's outline
 * and findings, each year's "fisc-result/1" object, and the totals.
 * @param flags FISC_JSON_TRACE, FISC_JSON_PRETTY.
 * @param[out] out  the caller owns it; release with fisc_string_free().
 */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_result_to_json(char **out, const fisc_agreement_result *r,
                                                                  unsigned flags, fisc_error *err);

/**
 * A readable report in "zh" or "en": a year-by-year table (due, withheld, repay, cumulative paid
 * against the caps and the ceiling) and, with @p explain, each year's items explained.
 * @param[out] out  the caller owns it; release with fisc_string_free().
 */
FISC_API FISC_NODISCARD fisc_status fisc_agreement_result_to_text(char **out, const fisc_agreement_result *r,
                                                                  const char *lang, int explain, fisc_error *err);

FISC_END_DECL

/** @} */
#endif
