/*
 * A bump allocator: many small allocations released together (a loaded policy, a result).
 */
#ifndef FISC_LIB_ARENA_H
#define FISC_LIB_ARENA_H

#include <stddef.h>

typedef struct fiscp_arena_block fiscp_arena_block;

typedef struct fiscp_arena {
    fiscp_arena_block *head;
    size_t used, size;   /* of head */
} fiscp_arena;

void fiscp_arena_init(fiscp_arena *a);
void fiscp_arena_clear(fiscp_arena *a);
/* Zeroed memory aligned for any object, or NULL when out of memory. */
void *fiscp_arena_alloc(fiscp_arena *a, size_t size);
/* A NUL-terminated copy of len bytes, or NULL. */
char *fiscp_arena_strndup(fiscp_arena *a, const char *s, size_t len);
char *fiscp_arena_strdup(fiscp_arena *a, const char *s);
/* printf into the arena, or NULL. */
char *fiscp_arena_printf(fiscp_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif
