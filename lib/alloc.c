/*
 * The one allocator of lib/. A counter lets tests fail the Nth allocation (OOM sweep);
 * it is read-only outside tests, so sharing it between threads is harmless.
 */
#include <stdlib.h>
#include <string.h>

#include "fisc_private.h"

long fiscp_alloc_fail_at = -1;
long fiscp_alloc_count = 0;

static int should_fail(void)
{
    if (FISCP_LIKELY(fiscp_alloc_fail_at < 0))
        return 0;
    return fiscp_alloc_count++ == fiscp_alloc_fail_at;
}

void *fiscp_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *fiscp_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *fiscp_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    if (should_fail())
        return NULL;
    return realloc(p, n * size > 0 ? n * size : 1);
}

void fiscp_free(void *p)
{
    free(p);
}

char *fiscp_strndup(const char *s, size_t len)
{
    char *d = fiscp_malloc(len + 1);

    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}
