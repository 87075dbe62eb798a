/**
 * @file fisc/common.h
 * @brief Export and attribute macros, version information, and the string-release function.
 * @defgroup fisc_common Common definitions
 * @{
 */
#ifndef FISC_COMMON_H
#define FISC_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
# define FISC_BEGIN_DECL extern "C" {
# define FISC_END_DECL }
#else
# define FISC_BEGIN_DECL
# define FISC_END_DECL
#endif

#if defined(_WIN32) && !defined(FISC_STATIC)
# if defined(BUILDING_FISC)
#  define FISC_API __declspec(dllexport)
# else
#  define FISC_API __declspec(dllimport)
# endif
#elif defined(__GNUC__) && __GNUC__ >= 4
# define FISC_API __attribute__((visibility("default")))
#else
# define FISC_API
#endif

#if defined(__GNUC__)
# define FISC_NODISCARD __attribute__((warn_unused_result))
#else
# define FISC_NODISCARD
#endif

/** Major version: changes on an incompatible API change. */
#define FISC_VERSION_MAJOR 0
/** Minor version: changes when API is added. */
#define FISC_VERSION_MINOR 1
/** Patch version: changes on fixes only. */
#define FISC_VERSION_PATCH 0
/** The version as one number, major * 10000 + minor * 100 + patch. */
#define FISC_VERSION_NUMBER \
    (FISC_VERSION_MAJOR * 10000 + FISC_VERSION_MINOR * 100 + FISC_VERSION_PATCH)

FISC_BEGIN_DECL

/**
 * The version of the library that is running, as FISC_VERSION_NUMBER computes it.
 * Compare with FISC_VERSION_NUMBER to detect a header/library mismatch.
 */
FISC_API int fisc_version_number(void);

/** The version of the running library as "major.minor.patch". Static storage. */
FISC_API const char *fisc_version_string(void);

/**
 * Release a string that a fisc function handed to the caller through a `char **out`.
 * Accepts NULL. Never pass such a string to free(): fisc may use another allocator.
 */
FISC_API void fisc_string_free(char *s);

FISC_END_DECL

/** @} */
#endif
