/*
 * "Did you mean" suggestions for unknown names (facts, agreement keys, metrics, enumeration
 * values): the closest known name by edit distance.
 */
#ifndef FISC_LIB_SUGGEST_H
#define FISC_LIB_SUGGEST_H

#include <stddef.h>

/* A suggestion is at most this many edits away. */
#define FISCP_SUGGEST_DISTANCE 3
/* The longest known name compared (longer names are never suggested). */
#define FISCP_SUGGEST_MAX_NAME 64

/*
 * Levenshtein distance between len bytes of a and the string b, ASCII case ignored, or
 * (size_t)-1 when it is surely above FISCP_SUGGEST_DISTANCE or b is longer than
 * FISCP_SUGGEST_MAX_NAME.
 */
size_t fiscp_edit_distance(const char *a, size_t alen, const char *b);

/*
 * The name of names[0..n-1] closest to len bytes of text: within FISCP_SUGGEST_DISTANCE edits,
 * and fewer edits than the text has characters (so that "x" suggests nothing); ties go to the
 * first. NULL when there is none (or text is NULL).
 */
const char *fiscp_closest(const char *text, size_t len, const char *const *names, size_t n);

#endif
