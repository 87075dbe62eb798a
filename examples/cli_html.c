/*
 * HTML and SVG helpers of `fisc report` and `fisc whatif`: see cli_html.h. Public API only.
 */
#include "cli_html.h"

#include <stdint.h>
#include <string.h>

#include "cli_report.h"

static const char REPLACEMENT[] = "\xEF\xBF\xBD"; /* U+FFFD */

void cli_html_text(cli_buf *b, const char *s)
{
    size_t len, i = 0;

    if (!s)
        return;
    len = strlen(s);
    while (i < len) {
        size_t valid = cli_utf8_valid_prefix(s + i, len - i), run = 0;

        if (valid == 0) { /* a byte that is not UTF-8 */
            cli_buf_puts(b, REPLACEMENT);
            i++;
            continue;
        }
        while (run < valid) {
            unsigned char c = (unsigned char)s[i + run];
            const char *esc = NULL;
            size_t skip = 1;

            switch (c) {
            case '&': esc = "&amp;"; break;
            case '<': esc = "&lt;"; break;
            case '>': esc = "&gt;"; break;
            case '"': esc = "&quot;"; break;
            case '\'': esc = "&#39;"; break;
            default:
                /* C0 controls (but tab, LF, CR), DEL, and the C1 controls U+0080..U+009F. */
                if ((c < 0x20u && c != '\t' && c != '\n' && c != '\r') || c == 0x7Fu)
                    esc = REPLACEMENT;
                else if (c == 0xC2u && run + 1 < valid && (unsigned char)s[i + run + 1] < 0xA0u) {
                    esc = REPLACEMENT;
                    skip = 2;
                }
                break;
            }
            if (!esc) {
                run++;
                continue;
            }
            cli_buf_put(b, s + i, run);
            cli_buf_puts(b, esc);
            i += run + skip;
            valid -= run + skip;
            run = 0;
        }
        cli_buf_put(b, s + i, run);
        i += run;
    }
}

void cli_html_elem(cli_buf *b, const char *tag, const char *cls, const char *text)
{
    cli_buf_printf(b, "<%s", tag);
    if (cls)
        cli_buf_printf(b, " class=\"%s\"", cls);
    cli_buf_puts(b, ">");
    cli_html_text(b, text);
    cli_buf_printf(b, "</%s>", tag);
}

static int starts_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++) {
        unsigned char a = (unsigned char)*s;

        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (a != (unsigned char)*prefix)
            return 0;
    }
    return 1;
}

int cli_html_linkable(const char *url)
{
    const unsigned char *p;

    if (!url || !(starts_ci(url, "http://") || starts_ci(url, "https://")))
        return 0;
    for (p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20u || *p == 0x7Fu)
            return 0;
    return 1;
}

int cli_fen(fisc_decimal *fen, const fisc_decimal *yuan, fisc_error *err)
{
    fisc_decimal hundred;
    int rc;

    fisc_decimal_init(&hundred);
    fisc_decimal_set_int(&hundred, 100);
    rc = fisc_decimal_mul(fen, yuan, &hundred, err);
    if (rc == FISC_OK && !fisc_decimal_is_integer(fen))
        rc = fisc_decimal_round(fen, NULL, fen, 0, FISC_ROUND_DOWN, NULL, err);
    fisc_decimal_clear(&hundred);
    return rc;
}

int cli_bar_length(long *out, const fisc_decimal *fen, const fisc_decimal *max_fen, long full,
                   fisc_error *err)
{
    fisc_decimal t, f;
    char *s = NULL;
    const char *p;
    long n = 0;
    int rc;

    *out = 0;
    if (fisc_decimal_sign(fen) <= 0 || fisc_decimal_sign(max_fen) <= 0 || full <= 0)
        return FISC_OK;
    fisc_decimal_init(&t);
    fisc_decimal_init(&f);
    fisc_decimal_set_int(&f, (int64_t)full);
    /* floor(fen × full / max_fen): exact integers (GMP inside), whatever their size. */
    rc = fisc_decimal_mul(&t, fen, &f, err);
    if (rc == FISC_OK)
        rc = fisc_decimal_div(&t, &t, max_fen, err);
    if (rc == FISC_OK)
        rc = fisc_decimal_round(&t, NULL, &t, 0, FISC_ROUND_FLOOR, NULL, err);
    if (rc == FISC_OK)
        rc = fisc_decimal_to_string(&s, &t, NULL, NULL, err);
    if (rc == FISC_OK) {
        for (p = s; *p >= '0' && *p <= '9' && n <= full; p++)
            n = n * 10 + (*p - '0');
        *out = n > full ? full : n; /* fen > max_fen is the caller's mistake: clamp */
    }
    fisc_string_free(s);
    fisc_decimal_clear(&t);
    fisc_decimal_clear(&f);
    return rc;
}

void cli_html_money(cli_buf *b, const fisc_decimal *v)
{
    char *s = cli_report_money(v);

    if (!s) {
        b->failed = 1;
        return;
    }
    cli_html_text(b, s);
    fisc_string_free(s);
}

void cli_html_upper(cli_buf *b, const fisc_decimal *v)
{
    fisc_error err = FISC_ERROR_INIT;
    char *s = NULL;
    int rc = fisc_upper_format(&s, v, FISC_UPPER_RMB_PREFIX, &err);

    if (rc == FISC_OK)
        cli_html_text(b, s);
    else if (rc == FISC_ENOMEM)
        b->failed = 1;
    else
        cli_buf_puts(b, "—");
    fisc_string_free(s);
}

const char *cli_policy_hash(const fisc_policy *p)
{
    return fisc_policy_hash(p);
}

void cli_html_layers(cli_buf *b, const fisc_policy *p, int en, const char *const head[5], const char *overlay_mark)
{
    size_t n = fisc_policy_layer_count(p);

    cli_buf_puts(b, "<table>\n<thead><tr><th>#</th>");
    for (int k = 0; k < 5; k++)
        cli_html_elem(b, "th", NULL, head[k]);
    cli_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        const fisc_layer_info *l = fisc_policy_layer(p, i);

        if (!l)
            continue;
        cli_buf_printf(b, "<tr><td class=\"num\">%zu</td><td><code>", i + 1);
        cli_html_text(b, l->id);
        cli_buf_puts(b, "</code>");
        if (l->is_overlay)
            cli_html_text(b, overlay_mark);
        cli_buf_puts(b, "</td>");
        cli_html_elem(b, "td", NULL, en && l->title_en && l->title_en[0] ? l->title_en : l->title_zh ? l->title_zh : "");
        cli_html_elem(b, "td", NULL, l->document);
        cli_html_elem(b, "td", NULL, l->path);
        cli_html_elem(b, "td", "hash", l->sha256);
        cli_buf_puts(b, "</tr>\n");
    }
    cli_buf_puts(b, "</tbody>\n</table>\n");
}
