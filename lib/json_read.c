/*
 * Reading JSON documents with libfyaml, shared by the facts and actuals readers (json_read.h).
 */
#include <string.h>

#include "json_read.h"

void fiscp_json_token_pos(const char *json, size_t len, struct fy_token *t, int *line, int *col)
{
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;

    *line = *col = -1;
    if (!m)
        return;
    *line = m->line + 1;
    *col = m->column + 1;
    /* libfyaml 0.7 marks a double-quoted scalar at its first character inside the quotes */
    if (fy_token_scalar_style(t) == FYSS_DOUBLE_QUOTED && m->input_pos > 0 && m->input_pos <= len &&
        json[m->input_pos - 1] == '"' && *col > 1)
        (*col)--;
}

static void diag_silent(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

/* libfyaml's first collected error, preferring an error to a warning, or NULL. */
static const struct fy_diag_error *first_error(struct fy_diag *diag)
{
    struct fy_diag_error *e, *first = NULL;
    void *it = NULL;

    while ((e = fy_diag_errors_iterate(diag, &it)))
        if (!first || (first->type != FYET_ERROR && e->type == FYET_ERROR))
            first = e;
    return first;
}

fisc_status fiscp_json_parse(const char *json, size_t len, fisc_error *err, fiscp_json_read_fn read,
                             fiscp_json_fail_fn failed, void *payload)
{
    struct fy_diag_cfg dcfg;
    struct fy_parse_cfg pcfg;
    struct fy_diag *diag;
    struct fy_parser *fyp = NULL;
    struct fy_document *doc = NULL, *extra = NULL;
    fisc_status rc;

    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = diag_silent;
    dcfg.user = NULL;
    dcfg.colorize = false;
    if (!(diag = fy_diag_create(&dcfg)))
        return fiscp_error_nomem(err);
    fy_diag_set_collect_errors(diag, true);
    memset(&pcfg, 0, sizeof(pcfg));
    pcfg.flags = FYPCF_QUIET | FYPCF_JSON_FORCE | FYPCF_ALLOW_DUPLICATE_KEYS;
    pcfg.diag = diag;
    fyp = fy_parser_create(&pcfg);
    /* the parser, not fy_document_build_from_string(), so that text after the value is seen */
    if (!fyp || fy_parser_set_string(fyp, json, len) != 0)
        rc = fiscp_error_nomem(err);
    else if (!(doc = fy_parse_load_document(fyp)))
        rc = failed(first_error(diag), 0, payload);
    else if ((extra = fy_parse_load_document(fyp)) != NULL || fy_parser_get_stream_error(fyp))
        rc = failed(first_error(diag), 1, payload);
    else
        rc = read(fy_document_root(doc), payload);
    if (extra)
        fy_parse_document_destroy(fyp, extra);
    if (doc)
        fy_parse_document_destroy(fyp, doc);
    if (fyp)
        fy_parser_destroy(fyp);
    fy_diag_destroy(diag);
    return rc;
}
