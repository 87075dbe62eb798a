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
    void *external;      /* a first block the caller owns (not freed), or NULL */
    fiscp_arena_block *spare; /* blocks kept by fiscp_arena_reset for the next allocations */
} fiscp_arena;

void fiscp_arena_init(fiscp_arena *a);
/* Start with a caller-owned first block of size bytes (aligned for any object): no malloc until it fills. */
void fiscp_arena_init_buffer(fiscp_arena *a, void *buf, size_t size);
void fiscp_arena_clear(fiscp_arena *a);
/* Forget every allocation but keep the memory for the next ones (a result reused row after row). */
void fiscp_arena_reset(fiscp_arena *a);
/* Zeroed memory aligned for any object, or NULL when out of memory. */
void *fiscp_arena_alloc(fiscp_arena *a, size_t size);
/* As fiscp_arena_alloc, not zeroed: for arrays filled before they are read. */
void *fiscp_arena_alloc_raw(fiscp_arena *a, size_t size);
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
