/*
 * Reading YAML documents with libfyaml, shared by the policy and agreement loaders (yaml_read.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "yaml_read.h"

struct fy_token *fiscp_yaml_first_token(struct fy_node *n)
{
    void *it = NULL;

    for (int depth = 0; n && depth < 256; depth++) {
        if (fy_node_is_scalar(n))
            return fy_node_get_scalar_token(n); /* NULL for an empty scalar */
        if (fy_node_is_mapping(n)) {
            struct fy_node_pair *pr = fy_node_mapping_iterate(n, &it);

            n = pr ? fy_node_pair_key(pr) : NULL;
        } else {
            n = fy_node_sequence_iterate(n, &it);
        }
        it = NULL;
    }
    return NULL;
}

struct fy_node *fiscp_yaml_key_of(struct fy_node *n)
{
    struct fy_node *parent = n ? fy_node_get_parent(n) : NULL;
    struct fy_node_pair *pr;
    void *it = NULL;

    if (!parent || !fy_node_is_mapping(parent))
        return NULL;
    while ((pr = fy_node_mapping_iterate(parent, &it)) != NULL)
        if (fy_node_pair_value(pr) == n)
            return fy_node_pair_key(pr);
    return NULL;
}

void fiscp_yaml_node_pos(const fiscp_yaml_src *src, struct fy_node *n, int *line, int *col)
{
    struct fy_token *t = fiscp_yaml_first_token(n);
    const struct fy_mark *m;
    enum fy_scalar_style st;

    if (!t)
        t = fiscp_yaml_first_token(fiscp_yaml_key_of(n));
    *line = *col = -1;
    if (!t || !(m = fy_token_start_mark(t)))
        return;
    *line = m->line + 1;
    *col = m->column + 1;
    if (!src)
        return;
    /* libfyaml 0.7 marks a quoted scalar at its first character inside the quotes */
    st = fy_token_scalar_style(t);
    if ((st == FYSS_DOUBLE_QUOTED || st == FYSS_SINGLE_QUOTED) && m->input_pos > 0 && m->input_pos <= src->len &&
        (src->text[m->input_pos - 1] == '"' || src->text[m->input_pos - 1] == '\'') && *col > 1)
        (*col)--;
}

struct fy_node *fiscp_yaml_get(struct fy_node *map, const char *key)
{
    return fy_node_mapping_lookup_by_string(map, key, FY_NT);
}

int fiscp_yaml_looks_float(const char *s)
{
    return strchr(s, '.') || strpbrk(s, "eE") != NULL;
}

/*
 * The documents need no YAML directives (%YAML, %TAG), and libfyaml 0.7.12 can loop forever
 * scanning some malformed ones (found by fuzz/fuzz_policy): refuse any line that starts with '%'.
 */
static fisc_status reject_directives(const fiscp_yaml_src *src, const char *kind)
{
    int line = 1;

    for (size_t i = 0; i < src->len; i++) {
        if ((i == 0 || src->text[i - 1] == '\n') && src->text[i] == '%')
            return fiscp_error_set_pos(src->err, FISC_EPARSE, src->file, line, 1,
                                       "YAML directives (lines starting with %%) are not supported in %s", kind);
        if (src->text[i] == '\n')
            line++;
    }
    return FISC_OK;
}

fisc_status fiscp_yaml_parse(const fiscp_yaml_src *src, const fiscp_yaml_opts *opts, fiscp_yaml_read_fn read,
                             void *payload)
{
    struct fy_diag_cfg dcfg;
    struct fy_diag *diag;
    struct fy_parse_cfg cfg;
    struct fy_document *doc;
    fisc_status rc;

    if ((rc = reject_directives(src, opts->kind)) != FISC_OK)
        return rc;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = NULL;
    dcfg.level = FYET_ERROR;
    if (!(diag = fy_diag_create(&dcfg)))
        return fiscp_error_nomem(src->err);
    fy_diag_set_collect_errors(diag, true);
    memset(&cfg, 0, sizeof(cfg));
    cfg.flags = FYPCF_QUIET | FYPCF_DISABLE_RECYCLING;
    if (opts->allow_duplicate_keys)
        cfg.flags |= FYPCF_ALLOW_DUPLICATE_KEYS;
    cfg.diag = diag;
    doc = fy_document_build_from_string(&cfg, src->text, src->len);
    if (!doc) {
        void *it = NULL;
        struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);

        if (!de && opts->empty) /* nothing but white space and comments */
            rc = fiscp_error_set_pos(src->err, FISC_EPARSE, src->file, 1, 1, "%s", opts->empty);
        else
            rc = fiscp_error_set_pos(src->err, FISC_EPARSE, src->file, de ? de->line : -1, de ? de->column : -1,
                                     "YAML: %s", de && de->msg ? de->msg : opts->no_reason); /* 1-based */
    } else {
        rc = read(fy_document_root(doc), payload);
        fy_document_destroy(doc);
    }
    fy_diag_destroy(diag);
    return rc;
}

/* Read into buf (cap bytes, growing by doubling) until the end of f, or past max. */
static fisc_status read_all(FILE *f, char **buf, size_t *n, size_t max, const char *path, fisc_error *err)
{
    size_t cap = max < ((size_t)1 << 16) ? max + 1 : (size_t)1 << 16, k;
    char *b;

    if (!(*buf = fiscp_malloc(cap)))
        return fiscp_error_nomem(err);
    while ((k = fread(*buf + *n, 1, cap - *n, f)) > 0) {
        *n += k;
        if (*n > max)
            return fiscp_error_set_pos(err, FISC_ERANGE, path, -1, -1, "%s is larger than %zu bytes", path, max);
        if (*n == cap) {
            size_t grow = cap > max / 2 ? max + 1 : cap * 2; /* room to see one byte past max */

            if (!(b = fiscp_realloc_array(*buf, grow, 1)))
                return fiscp_error_nomem(err);
            *buf = b;
            cap = grow;
        }
    }
    if (ferror(f))
        return fiscp_error_set_pos(err, FISC_ENOTFOUND, path, -1, -1, "cannot read %s", path);
    return FISC_OK;
}

fisc_status fiscp_read_file(char **text, size_t *len, const char *path, size_t max, fisc_error *err)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;
    fisc_status rc;

    *text = NULL;
    if (!f)
        return fiscp_error_set_pos(err, FISC_ENOTFOUND, path, -1, -1, "cannot open %s: %s", path, strerror(errno));
    rc = read_all(f, &buf, &n, max, path, err);
    fclose(f);
    if (rc != FISC_OK) {
        fiscp_free(buf);
        return rc;
    }
    *text = buf;
    *len = n;
    return FISC_OK;
}
