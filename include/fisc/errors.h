/**
 * @file fisc/errors.h
 * @brief Status codes and the caller-owned error detail.
 * @defgroup fisc_errors Errors
 * @{
 *
 * Every fisc function that can fail returns a ::fisc_status: zero is success, negative values are
 * errors. The values are pinned and append-only: a code is never renumbered or reused.
 * A rule that finds an applicant not eligible has *not* failed; it returns FISC_OK with a result.
 *
 * Detail goes into a ::fisc_error that the caller owns (usually on the stack). Every function
 * accepts NULL for it. A function resets the error when it starts and the first error set during
 * the call wins. Filling it never allocates, so it works under out-of-memory.
 */
#ifndef FISC_ERRORS_H
#define FISC_ERRORS_H

#include "fisc/common.h"

FISC_BEGIN_DECL

/** Status codes. Pinned and append-only. */
typedef enum fisc_status {
    FISC_OK = 0,          /**< success */
    FISC_EINVAL = -1,     /**< an argument or input value is invalid */
    FISC_ENOMEM = -2,     /**< memory could not be allocated */
    FISC_ENOTFOUND = -3,  /**< a named thing does not exist */
    FISC_EPARSE = -4,     /**< text could not be parsed (the error gives the position) */
    FISC_ERANGE = -5,     /**< a value is outside the documented limits */
    FISC_EMISUSE = -6,    /**< the caller broke a documented precondition */
    FISC_EDIVZERO = -7    /**< division by zero */
} fisc_status;

/** Size of fisc_error::text, including the terminating NUL. */
#define FISC_ERROR_TEXT_SIZE 256
/** Size of fisc_error::source, including the terminating NUL. */
#define FISC_ERROR_SOURCE_SIZE 64

/** Error detail, owned by the caller. Strings are UTF-8 and always NUL-terminated. */
typedef struct fisc_error {
    int code;                              /**< a ::fisc_status; FISC_OK when nothing failed */
    int line;                              /**< 1-based line of the offending text, or -1 */
    int column;                            /**< 1-based column (in characters), or -1 */
    char source[FISC_ERROR_SOURCE_SIZE];   /**< file, field or parameter concerned; may be "" */
    char text[FISC_ERROR_TEXT_SIZE];       /**< a complete sentence; "" when nothing failed */
} fisc_error;

/** Static initializer for a ::fisc_error that holds no error. */
#define FISC_ERROR_INIT { 0, -1, -1, "", "" }

/** Reset @p err to "no error". Accepts NULL. */
FISC_API void fisc_error_clear(fisc_error *err);

/**
 * A short, stable, lower-case English phrase for a status code, such as "invalid argument".
 * Unknown codes give "unknown error". Static storage; never NULL.
 */
FISC_API const char *fisc_strerror(int code);

/**
 * The stable name of a status code, such as "FISC_EINVAL", for logs and for applications that
 * key their own (e.g. Chinese) messages on it. Unknown codes give "FISC_EUNKNOWN". Static storage.
 */
FISC_API const char *fisc_err_name(int code);

/** sizeof(fisc_error), for bindings that mirror the structure. */
FISC_API size_t fisc_error_size(void);
/** FISC_ERROR_TEXT_SIZE as compiled into the library. */
FISC_API size_t fisc_error_text_size(void);
/** FISC_ERROR_SOURCE_SIZE as compiled into the library. */
FISC_API size_t fisc_error_source_size(void);

FISC_END_DECL

/** @} */
#endif
