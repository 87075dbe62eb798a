/* A bump allocator in blocks of at least 8 KiB; everything is freed (or reset for reuse) at once. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "fisc_private.h"

struct fiscp_arena_block {
    fiscp_arena_block *next;
    size_t size;         /* bytes of data */
    max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))
#define MIN_BLOCK 8192

void fiscp_arena_init(fiscp_arena *a)
{
    a->head = NULL;
    a->used = a->size = 0;
    a->external = NULL;
    a->spare = NULL;
}

void fiscp_arena_init_buffer(fiscp_arena *a, void *buf, size_t size)
{
    fiscp_arena_block *b = buf;

    b->next = NULL;
    b->size = size - sizeof(*b);
    a->head = b;
    a->used = 0;
    a->size = b->size;
    a->external = b;
    a->spare = NULL;
}

static void free_blocks(fiscp_arena_block *b, const void *keep)
{
    while (b) {
        fiscp_arena_block *next = b->next;

        if ((void *)b != keep)
            fiscp_free(b);
        b = next;
    }
}

void fiscp_arena_clear(fiscp_arena *a)
{
    free_blocks(a->head, a->external);
    free_blocks(a->spare, NULL);
    a->head = a->spare = NULL;
    a->used = a->size = 0;
    a->external = NULL;
}

void fiscp_arena_reset(fiscp_arena *a)
{
    while (a->head) {
        fiscp_arena_block *next = a->head->next;

        if ((void *)a->head != a->external) {
            a->head->next = a->spare;
            a->spare = a->head;
        }
        a->head = next;
    }
    a->head = a->external;
    if (a->head)
        a->head->next = NULL;
    a->used = 0;
    a->size = a->head ? a->head->size : 0;
}

/* A block of at least `need` bytes: a spare one when one is big enough, else a new one. */
static fiscp_arena_block *new_block(fiscp_arena *a, size_t need)
{
    fiscp_arena_block **p, *b;
    size_t bsize = need > MIN_BLOCK ? need : MIN_BLOCK;

    for (p = &a->spare; *p; p = &(*p)->next)
        if ((*p)->size >= need) {
            b = *p;
            *p = b->next;
            return b;
        }
    if ((b = fiscp_malloc(sizeof(*b) + bsize)))
        b->size = bsize;
    return b;
}

void *fiscp_arena_alloc(fiscp_arena *a, size_t size)
{
    void *p = fiscp_arena_alloc_raw(a, size);

    if (p)
        memset(p, 0, size);
    return p;
}

void *fiscp_arena_alloc_raw(fiscp_arena *a, size_t size)
{
    size_t need = (size + ALIGN - 1) / ALIGN * ALIGN;
    void *p;

    if (size > ((size_t)1 << 30))
        return NULL;
    if (!a->head || a->size - a->used < need) {
        fiscp_arena_block *b = new_block(a, need);

        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = b->size;
    }
    p = (char *)a->head->data + a->used;
    a->used += need;
    return p;
}

char *fiscp_arena_strndup(fiscp_arena *a, const char *s, size_t len)
{
    char *d = fiscp_arena_alloc_raw(a, len + 1);

    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *fiscp_arena_strdup(fiscp_arena *a, const char *s)
{
    return fiscp_arena_strndup(a, s, strlen(s));
}

char *fiscp_arena_printf(fiscp_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *d;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    d = fiscp_arena_alloc(a, (size_t)n + 1);
    if (!d)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
