/*
 * Reading JSON documents with libfyaml (in its JSON mode): the pieces the facts reader (facts.c)
 * and the actuals reader (actuals.c) share. Each keeps its own rules and messages.
 */
#ifndef FISC_LIB_JSON_READ_H
#define FISC_LIB_JSON_READ_H

#include <libfyaml.h>
#include <stddef.h>

#include "fisc_private.h"

/*
 * 1-based line and column where token t starts (NULL: -1 and -1), a double-quoted scalar at its
 * opening quote. json and len are the text libfyaml read.
 */
void fiscp_json_token_pos(const char *json, size_t len, struct fy_token *t, int *line, int *col);

typedef fisc_status (*fiscp_json_read_fn)(struct fy_node *root, void *payload);
/*
 * Called when the text is not one JSON value: first is libfyaml's first error (an error before
 * a warning; may be NULL), trailing is 1 when a value was read but text follows it.
 */
typedef fisc_status (*fiscp_json_fail_fn)(const struct fy_diag_error *first, int trailing, void *payload);

/*
 * Parse json (len bytes) as exactly one JSON value, with libfyaml silent and duplicate keys
 * allowed (the readers find them in linear time; libfyaml 0.7.12's check is quadratic), and
 * pass its root to read(root, payload), or its failure to failed(..., payload). Returns what
 * they return, or FISC_ENOMEM (set in err).
 */
FISC_NODISCARD fisc_status fiscp_json_parse(const char *json, size_t len, fisc_error *err, fiscp_json_read_fn read,
                                            fiscp_json_fail_fn failed, void *payload);

#endif
