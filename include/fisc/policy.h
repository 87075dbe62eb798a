/**
 * @file fisc/policy.h
 * @brief Policies: dated, cited parameters and the programs they enable, loaded from YAML.
 * @defgroup fisc_policy Policies
 * @{
 *
 * A policy is one or more YAML files (layers, e.g. national + Guangxi + Yulin) and an optional
 * overlay that overrides chosen parameter values for a what-if. The format is documented in
 * docs/policy-format.md. Every value carries its effective dates, its citation (document,
 * article, URL) and its status; fisc computes a SHA-256 of each file so that a result names
 * exactly which rules produced it.
 *
 * A loaded policy is immutable: it may be shared between threads and evaluated concurrently.
 */
#ifndef FISC_POLICY_H
#define FISC_POLICY_H

#include "fisc/common.h"
#include "fisc/errors.h"

FISC_BEGIN_DECL

/** A loaded policy (immutable). */
typedef struct fisc_policy fisc_policy;
/** One parameter of a policy. Borrowed from its policy. */
typedef struct fisc_param fisc_param;

/** How sure a value is. Values pinned. */
typedef enum fisc_evidence {
    FISC_EVIDENCE_CONFIRMED = 0,   /**< the value appears in the cited text */
    FISC_EVIDENCE_UNCONFIRMED = 1, /**< no cited source confirms it: results using it are provisional */
    FISC_EVIDENCE_PLACEHOLDER = 2  /**< a stand-in until the rule is known: results are provisional */
} fisc_evidence;

/** What kind of data a parameter holds. Values pinned. */
typedef enum fisc_param_kind {
    FISC_PARAM_VALUE = 0,  /**< one value per period */
    FISC_PARAM_SCALE = 1,  /**< brackets (thresholds and rates) per period */
    FISC_PARAM_TABLE = 2   /**< amounts keyed by enumeration values, per period */
} fisc_param_kind;

/**
 * One dated entry of a parameter, for listing (`fisc params`). All strings are UTF-8 and
 * borrowed from the policy. Only fields are ever appended to this structure.
 */
typedef struct fisc_param_entry {
    const char *from;       /**< first day in force, "YYYY-MM-DD" */
    const char *to;         /**< last day in force, "YYYY-MM-DD", or NULL when open-ended */
    const char *value;      /**< the value as written: "25%", "5" or, for a scale or table, a summary */
    int evidence;           /**< a ::fisc_evidence */
    const char *document;   /**< cited document, e.g. "财税〔2019〕13号" */
    const char *article;    /**< article, e.g. "第二条", or "" */
    const char *url;        /**< where the text was read, or "" */
    const char *layer;      /**< id of the layer (or overlay) the entry comes from */
} fisc_param_entry;

/**
 * Load a policy from one YAML file.
 * @param[out] out  the caller owns the result and must release it with fisc_policy_free().
 * @param[out] err  on error: the file in `source`, the line and column, and a sentence naming the
 *                  parameter: unknown or duplicate keys, a missing citation, dates out of order or
 *                  overlapping, a unit mismatch, an unparsable or float-typed number.
 * @return FISC_OK; FISC_EPARSE (the file is not valid policy YAML); FISC_ENOTFOUND (no such
 *         file); FISC_EINVAL; FISC_ENOMEM.
 */
FISC_API FISC_NODISCARD fisc_status fisc_policy_load(fisc_policy **out, const char *path,
                                                     fisc_error *err);

/**
 * Load a policy from several layer files, in order (national first), and an optional overlay.
 * A later layer may add parameters and programs but not redefine a parameter (an overlay does
 * that, and may only override parameters that exist).
 * @param paths    @p n file paths.
 * @param overlay  an overlay file, or NULL.
 * @return as fisc_policy_load().
 */
FISC_API FISC_NODISCARD fisc_status fisc_policy_load_files(fisc_policy **out, const char *const *paths,
                                                           size_t n, const char *overlay,
                                                           fisc_error *err);

/**
 * Load the policy bundled with fisc (every `*.yaml` in the policy directory, in name order),
 * with an optional overlay. The directory is, in order: the environment variable
 * FISC_POLICY_DIR; `policies/` beside the loaded libfisc (a build tree); `share/fisc/policies`
 * relative to the library's directory (`../` and `../../`: a relocated install); the data
 * directory of the install prefix (`<datadir>/fisc/policies`).
 * @return as fisc_policy_load(); FISC_ENOTFOUND when no directory is found.
 */
FISC_API FISC_NODISCARD fisc_status fisc_policy_load_default(fisc_policy **out, const char *overlay,
                                                             fisc_error *err);

/**
 * Release the caller's reference to a policy. Accepts NULL. Results made from the policy keep
 * it alive until they are freed, so the order of fisc_policy_free() and fisc_result_free()
 * does not matter.
 */
FISC_API void fisc_policy_free(fisc_policy *p);

/** Number of files (layers, then the overlay if any). */
FISC_API size_t fisc_policy_layer_count(const fisc_policy *p);
/** The policy hash (SHA-256 over the layers' hashes in order, overlay included; the "policy"."hash" of
 *  result JSON), 64 hexadecimal digits. Borrowed; "" for NULL. */
FISC_API const char *fisc_policy_hash(const fisc_policy *p);

/** Facts about one layer file. Borrowed from the policy. */
typedef struct fisc_layer_info {
    const char *id;          /**< policy id from the file */
    const char *path;        /**< the file as given */
    const char *sha256;      /**< lower-case hex SHA-256 of the file's bytes */
    const char *title_zh;    /**< title */
    const char *title_en;    /**< title */
    const char *document;    /**< document number, e.g. "玉政办函〔2022〕41号" */
    int is_overlay;          /**< non-zero for the overlay */
} fisc_layer_info;

/** Layer @p i (0-based), or NULL. Borrowed: valid until the policy is freed. */
FISC_API const fisc_layer_info *fisc_policy_layer(const fisc_policy *p, size_t i);

/** Number of parameters (after layering and overlay). */
FISC_API size_t fisc_policy_param_count(const fisc_policy *p);
/** Parameter @p i in id order, or NULL. Borrowed: valid until the policy is freed. */
FISC_API const fisc_param *fisc_policy_param(const fisc_policy *p, size_t i);
/** The parameter with this dotted id, or NULL. Borrowed. */
FISC_API const fisc_param *fisc_policy_find_param(const fisc_policy *p, const char *id);

/** Dotted id, e.g. "cit.rate.standard". */
FISC_API const char *fisc_param_id(const fisc_param *q);
/** Label in "zh" or "en" (anything else gives "zh"). */
FISC_API const char *fisc_param_label(const fisc_param *q, const char *lang);
/** Unit name as written in the file: "元", "万元", "rate", "百分点", "days", "count", "yes/no", "year", or an enumeration name. */
FISC_API const char *fisc_param_unit(const fisc_param *q);
/** A ::fisc_param_kind. */
FISC_API int fisc_param_kind_of(const fisc_param *q);
/** Number of dated entries. */
FISC_API size_t fisc_param_entry_count(const fisc_param *q);
/** Entry @p i in date order, or NULL. Borrowed. */
FISC_API const fisc_param_entry *fisc_param_entry_at(const fisc_param *q, size_t i);

/** Number of programs the policy enables. */
FISC_API size_t fisc_policy_program_count(const fisc_policy *p);
/** Id of program @p i (e.g. "cn.cit"), or NULL. Borrowed. */
FISC_API const char *fisc_policy_program_id(const fisc_policy *p, size_t i);

FISC_END_DECL

/** @} */
#endif
