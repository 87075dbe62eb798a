/*
 * "Did you mean" suggestions (suggest.h), shared by facts.c, actuals.c and the agreement loader.
 */
#include <string.h>

#include "suggest.h"

static int fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

size_t fiscp_edit_distance(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b), row[FISCP_SUGGEST_MAX_NAME + 1];

    if (blen > FISCP_SUGGEST_MAX_NAME || alen > blen + FISCP_SUGGEST_DISTANCE ||
        blen > alen + FISCP_SUGGEST_DISTANCE)
        return (size_t)-1;
    for (size_t j = 0; j <= blen; j++)
        row[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t up = row[j];
            size_t best = diag + (fold((unsigned char)a[i - 1]) != fold((unsigned char)b[j - 1]));

            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[blen];
}

const char *fiscp_closest(const char *text, size_t len, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = FISCP_SUGGEST_DISTANCE + 1;

    for (size_t i = 0; text && i < n; i++) {
        size_t d = fiscp_edit_distance(text, len, names[i]);

        if (d < best_d && d < len) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}
