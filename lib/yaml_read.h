/*
 * Reading YAML documents with libfyaml: the pieces the policy loader (policy.c) and the agreement
 * loader (agreement_load.c) share. Each loader keeps its own rules (key checks, messages, key
 * paths); what is here is only how a document is parsed and how a node is located.
 */
#ifndef FISC_LIB_YAML_READ_H
#define FISC_LIB_YAML_READ_H

#include <libfyaml.h>
#include <stddef.h>

#include "fisc_private.h"

/* The document being read, embedded in each loader. */
typedef struct fiscp_yaml_src {
    const char *file;   /* the source name in messages */
    const char *text;   /* the document, len bytes */
    size_t len;
    fisc_error *err;
} fiscp_yaml_src;

/* How a loader wants its document parsed. */
typedef struct fiscp_yaml_opts {
    const char *kind;         /* "policy files": in the refusal of YAML directives */
    int allow_duplicate_keys; /* 1 when the loader finds duplicate keys itself (libfyaml's check is quadratic) */
    const char *no_reason;    /* after "YAML: " when libfyaml gives no message */
    const char *empty;        /* the message at 1:1 when libfyaml fails with no diagnostic at all, or NULL */
} fiscp_yaml_opts;

/* The first scalar token at or under n (a mapping's first key, a sequence's first item), or NULL. */
struct fy_token *fiscp_yaml_first_token(struct fy_node *n);
/* The key under which n is a value in its parent mapping, or NULL. */
struct fy_node *fiscp_yaml_key_of(struct fy_node *n);
/*
 * 1-based line and column of n (an empty value: of its key), or -1 and -1. With src (may be
 * NULL), a quoted scalar is placed at its opening quote rather than at its first character.
 */
void fiscp_yaml_node_pos(const fiscp_yaml_src *src, struct fy_node *n, int *line, int *col);
/* The value of key in map, or NULL. */
struct fy_node *fiscp_yaml_get(struct fy_node *map, const char *key);
/* 1 when the text of a plain scalar would be a float to YAML (has '.', 'e' or 'E'). */
int fiscp_yaml_looks_float(const char *s);

typedef fisc_status (*fiscp_yaml_read_fn)(struct fy_node *root, void *payload);

/*
 * Parse src->text and pass its root to read(root, payload). Lines starting with '%' (directives)
 * are refused first; libfyaml's own errors (syntax, duplicate keys unless allowed) become
 * FISC_EPARSE "YAML: ..." with its position. Returns read's status, FISC_EPARSE or FISC_ENOMEM.
 */
FISC_NODISCARD fisc_status fiscp_yaml_parse(const fiscp_yaml_src *src, const fiscp_yaml_opts *opts,
                                            fiscp_yaml_read_fn read, void *payload);

/*
 * A whole file into *text (the caller frees it with fiscp_free) and *len, at most max bytes.
 * FISC_ENOTFOUND (cannot open or read, with the reason), FISC_ERANGE (larger than max) or
 * FISC_ENOMEM, each naming the path.
 */
FISC_NODISCARD fisc_status fiscp_read_file(char **text, size_t *len, const char *path, size_t max, fisc_error *err);

#endif
