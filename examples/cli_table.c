/* Text tables for a terminal: see cli_table.h. */
#include "cli_table.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt that text about
 * Chinese policy can contain: CJK ideographs and their extensions, radicals, CJK symbols and
 * punctuation (〔〕【】、。), kana, hangul, CJK compatibility forms, fullwidth forms (（），：
 * ￥), and the common emoji blocks. Sorted, non-overlapping. Ranges left out (rare emoji,
 * tangut, ...) count one column: a table a column too wide, not a crash.
 */
typedef struct cp_range {
    uint32_t lo, hi;
} cp_range;

static const cp_range wide[] = {
    { 0x1100, 0x115F },   /* Hangul Jamo leading consonants */
    { 0x231A, 0x231B },   /* watch, hourglass */
    { 0x2329, 0x232A },   /* angle brackets */
    { 0x2E80, 0x303E },   /* CJK radicals, Kangxi radicals, ideographic description, CJK symbols and punctuation */
    { 0x3041, 0x33FF },   /* hiragana, katakana, bopomofo, hangul compatibility jamo, kanbun, CJK strokes, enclosed CJK, CJK compatibility */
    { 0x3400, 0x4DBF },   /* CJK extension A */
    { 0x4E00, 0x9FFF },   /* CJK unified ideographs */
    { 0xA000, 0xA4CF },   /* Yi */
    { 0xA960, 0xA97F },   /* Hangul Jamo extended A */
    { 0xAC00, 0xD7A3 },   /* Hangul syllables */
    { 0xF900, 0xFAFF },   /* CJK compatibility ideographs */
    { 0xFE10, 0xFE19 },   /* vertical forms */
    { 0xFE30, 0xFE6F },   /* CJK compatibility forms, small form variants */
    { 0xFF00, 0xFF60 },   /* fullwidth forms */
    { 0xFFE0, 0xFFE6 },   /* fullwidth signs (￥) */
    { 0x1F300, 0x1F64F }, /* pictographs, emoticons */
    { 0x1F900, 0x1F9FF }, /* supplemental pictographs */
    { 0x20000, 0x2FFFD }, /* CJK extensions B.. (plane 2) */
    { 0x30000, 0x3FFFD }, /* plane 3 */
};

/* Zero-width: combining marks, zero-width spaces and joiners, variation selectors, BOM. */
static const cp_range zero[] = {
    { 0x0300, 0x036F }, { 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x2064 },
    { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
};

static int in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cp < r[mid].lo)
            hi = mid;
        else if (cp > r[mid].hi)
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

/* Decode one UTF-8 character at @p s: its code point in *cp and its length, or 0 if invalid. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n, i;
    uint32_t v;

    if (c < 0x80u) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2u && c <= 0xDFu) {
        n = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0u && c <= 0xEFu) {
        n = 3;
        v = c & 0x0Fu;
    } else if (c >= 0xF0u && c <= 0xF4u) {
        n = 4;
        v = c & 0x07u;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u) /* also stops at the terminating NUL */
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if ((n == 3 && v < 0x800u) || (n == 4 && v < 0x10000u) || v > 0x10FFFFu
        || (v >= 0xD800u && v <= 0xDFFFu))
        return 0;
    *cp = v;
    return n;
}

size_t cli_display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;

    if (!s)
        return 0;
    while (*p) {
        uint32_t cp = 0;
        size_t n = decode(p, &cp);

        if (n == 0) {
            w++; /* a stray byte: terminals usually show one replacement character */
            p++;
            continue;
        }
        p += n;
        if (cp < 0x20u || (cp >= 0x7Fu && cp < 0xA0u))
            continue;
        if (in_ranges(cp, zero, CLI_ARRAY_SIZE(zero)))
            continue;
        w += in_ranges(cp, wide, CLI_ARRAY_SIZE(wide)) ? 2 : 1;
    }
    return w;
}

static void spaces(cli_buf *b, size_t n)
{
    static const char sp[] = "                                ";

    while (n > 0) {
        size_t k = n < sizeof(sp) - 1 ? n : sizeof(sp) - 1;

        cli_buf_put(b, sp, k);
        n -= k;
    }
}

void cli_buf_pad(cli_buf *b, const char *s, size_t width, int right)
{
    size_t w;

    s = s ? s : "";
    w = cli_display_width(s);
    if (right && w < width)
        spaces(b, width - w);
    cli_buf_puts(b, s);
    if (!right && w < width)
        spaces(b, width - w);
}

void cli_table_init(cli_table *t, size_t ncols)
{
    memset(t, 0, sizeof(*t));
    t->right = ncols ? calloc(ncols, sizeof(*t->right)) : NULL;
    if (!t->right) {
        t->failed = 1;
        return;
    }
    t->ncols = ncols;
}

void cli_table_free(cli_table *t)
{
    size_t i;

    for (i = 0; t->cells && i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->is_rule);
    free(t->right);
    t->cells = NULL;
    t->is_rule = NULL;
    t->right = NULL;
    t->nrows = t->cap = 0;
}

static void add_row(cli_table *t, int rule)
{
    size_t i;

    if (t->failed)
        return;
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **cells = cap > SIZE_MAX / sizeof(*cells) / t->ncols
                           ? NULL : realloc(t->cells, cap * t->ncols * sizeof(*cells));
        unsigned char *r;

        if (!cells) {
            t->failed = 1;
            return;
        }
        t->cells = cells;
        r = realloc(t->is_rule, cap);
        if (!r) {
            t->failed = 1;
            return;
        }
        t->is_rule = r;
        t->cap = cap;
    }
    for (i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = NULL;
    t->is_rule[t->nrows] = (unsigned char)(rule != 0);
    t->nrows++;
}

void cli_table_row(cli_table *t)
{
    add_row(t, 0);
}

void cli_table_rule(cli_table *t)
{
    add_row(t, 1);
}

void cli_table_set(cli_table *t, size_t col, const char *s)
{
    char **cell, *copy = NULL;

    if (t->failed || t->nrows == 0 || col >= t->ncols || t->is_rule[t->nrows - 1])
        return;
    if (s && s[0]) {
        size_t n = strlen(s);

        copy = malloc(n + 1);
        if (!copy) {
            t->failed = 1;
            return;
        }
        memcpy(copy, s, n + 1);
    }
    cell = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(*cell);
    *cell = copy;
}

void cli_table_setf(cli_table *t, size_t col, const char *fmt, ...)
{
    char small[256], *p = small;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    if ((size_t)n >= sizeof(small)) {
        p = malloc((size_t)n + 1);
        if (!p) {
            t->failed = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    cli_table_set(t, col, p);
    if (p != small)
        free(p);
}

void cli_table_render(const cli_table *t, cli_buf *b, size_t indent)
{
    size_t *width;
    size_t r, c;

    if (t->failed || !(width = calloc(t->ncols, sizeof(*width)))) {
        b->failed = 1;
        return;
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols && !t->is_rule[r]; c++) {
            size_t w = cli_display_width(t->cells[r * t->ncols + c]);

            if (w > width[c])
                width[c] = w;
        }
    }
    for (r = 0; r < t->nrows; r++) {
        size_t last = 0;

        /* The last non-empty cell ends the line: no trailing spaces. */
        for (c = 0; c < t->ncols; c++)
            if (t->is_rule[r] ? width[c] > 0 : t->cells[r * t->ncols + c] != NULL)
                last = c + 1;
        spaces(b, last ? indent : 0);
        for (c = 0; c < last; c++) {
            const char *s = t->cells[r * t->ncols + c];
            int final = c + 1 == last;

            if (c)
                cli_buf_puts(b, "  ");
            if (t->is_rule[r]) {
                size_t k;

                for (k = 0; k < width[c]; k++)
                    cli_buf_put(b, "-", 1);
            } else if (final && !t->right[c]) {
                cli_buf_puts(b, s ? s : "");
            } else {
                cli_buf_pad(b, s, width[c], t->right[c]);
            }
        }
        cli_buf_puts(b, "\n");
    }
    free(width);
}
