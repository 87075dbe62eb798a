/*
 * Private helpers shared across lib/ files (fiscp_ prefix). Not installed, not API.
 */
#ifndef FISC_PRIVATE_H
#define FISC_PRIVATE_H

#include <stdarg.h>
#include <stddef.h>

#include "fisc/fisc.h"

#if defined(__GNUC__)
# define FISCP_PRINTF(f, a) __attribute__((format(printf, f, a)))
# define FISCP_LIKELY(x) __builtin_expect(!!(x), 1)
# define FISCP_UNLIKELY(x) __builtin_expect(!!(x), 0)
# define FISCP_ALWAYS_INLINE inline __attribute__((always_inline))
#else
# define FISCP_PRINTF(f, a)
# define FISCP_LIKELY(x) (x)
# define FISCP_UNLIKELY(x) (x)
# define FISCP_ALWAYS_INLINE inline
#endif

#define FISCP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Reset err at the start of a public call: cheap, so hot paths can afford it. */
static inline void fiscp_error_reset(fisc_error *err)
{
    if (err) {
        err->code = FISC_OK;
        err->line = -1;
        err->column = -1;
        err->source[0] = '\0';
        err->text[0] = '\0';
    }
}

/*
 * Record an error (first one wins) and return its code, so callers can write
 * `return fiscp_error_set(err, FISC_EINVAL, "...")`. Never allocates.
 */
fisc_status fiscp_error_set(fisc_error *err, fisc_status code, const char *fmt, ...)
    FISCP_PRINTF(3, 4);
/* As fiscp_error_set, with a 1-based column. */
fisc_status fiscp_error_set_at(fisc_error *err, fisc_status code, int column, const char *fmt, ...)
    FISCP_PRINTF(4, 5);
/* As fiscp_error_set, with a source (a file: only its last 63 bytes are kept), line and column. */
fisc_status fiscp_error_set_pos(fisc_error *err, fisc_status code, const char *source, int line, int column,
                                const char *fmt, ...) FISCP_PRINTF(6, 7);
/* FISC_ENOMEM with static text. */
fisc_status fiscp_error_nomem(fisc_error *err);

/*
 * Quote up to max bytes of text into buf (cut on a UTF-8 character boundary, control
 * characters shown as '?', "..." appended when cut), for use in messages.
 */
void fiscp_quote(char *buf, size_t size, const char *text, size_t len);

/* fisc's allocator: every allocation in lib/ goes through these. */
void *fiscp_malloc(size_t size);
void *fiscp_calloc(size_t n, size_t size);
void *fiscp_realloc_array(void *p, size_t n, size_t size);
void fiscp_free(void *p);
char *fiscp_strndup(const char *s, size_t len);

/*
 * Test hook: when >= 0, the allocation numbered fiscp_alloc_fail_at (0-based, counted from
 * the last reset) fails. Only tests set it (through fisc_internal_dep).
 */
extern long fiscp_alloc_fail_at;
extern long fiscp_alloc_count;

#endif
