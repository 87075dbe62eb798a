/*
 * Finding the bundled policy: FISC_POLICY_DIR; policies/ beside the loaded libfisc (a build
 * tree: meson copies the files there); share/fisc/policies relative to it (an installed tree
 * that was moved, lib/ or lib/<multiarch>/); the data directory compiled in at install.
 */
#define _GNU_SOURCE /* dladdr */
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fisc_private.h"

#ifndef FISC_POLICY_INSTALL_DIR
# define FISC_POLICY_INSTALL_DIR "/usr/local/share/fisc/policies"
#endif

#define MAX_FILES 64

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_yaml(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

/* The *.yaml files of dir, sorted; 0 files when dir cannot be read. */
static fisc_status list_dir(char **paths, size_t *n, const char *dir, fisc_error *err)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    *n = 0;
    if (!d)
        return FISC_OK;
    while ((e = readdir(d)) != NULL) {
        size_t len;

        if (!is_yaml(e->d_name))
            continue;
        if (*n == MAX_FILES) {
            closedir(d);
            return fiscp_error_set(err, FISC_ERANGE, "more than %d policy files in %s", MAX_FILES, dir);
        }
        len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(paths[*n] = fiscp_malloc(len))) {
            closedir(d);
            return fiscp_error_nomem(err);
        }
        snprintf(paths[*n], len, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    qsort(paths, *n, sizeof(*paths), cmp_names);
    return FISC_OK;
}

/* An object inside this shared library, for dladdr. */
static const char anchor = 0;

/* rel appended to the directory of the shared object this code is in, or "". */
static void beside_library(char *buf, size_t size, const char *rel)
{
    Dl_info info;
    const char *slash;

    buf[0] = '\0';
    if (!dladdr(&anchor, &info) || !info.dli_fname)
        return;
    slash = strrchr(info.dli_fname, '/');
    if (slash)
        snprintf(buf, size, "%.*s/%s", (int)(slash - info.dli_fname), info.dli_fname, rel);
}

fisc_status fisc_policy_load_default(fisc_policy **out, const char *overlay, fisc_error *err)
{
    char here[3][4096], *paths[MAX_FILES];
    const char *dirs[5];
    size_t n = 0;
    fisc_status rc = FISC_OK;

    fiscp_error_reset(err);
    if (!out)
        return fiscp_error_set(err, FISC_EINVAL, "fisc_policy_load_default: out is NULL");
    beside_library(here[0], sizeof(here[0]), "policies");
    beside_library(here[1], sizeof(here[1]), "../share/fisc/policies");
    beside_library(here[2], sizeof(here[2]), "../../share/fisc/policies");
    dirs[0] = getenv("FISC_POLICY_DIR");
    dirs[1] = here[0];
    dirs[2] = here[1];
    dirs[3] = here[2];
    dirs[4] = FISC_POLICY_INSTALL_DIR;
    for (int k = 0; k < 5 && rc == FISC_OK && n == 0; k++)
        if (dirs[k] && dirs[k][0])
            rc = list_dir(paths, &n, dirs[k], err);
    if (rc == FISC_OK && n == 0)
        rc = fiscp_error_set(err, FISC_ENOTFOUND,
                             "no bundled policy found (set FISC_POLICY_DIR, or install fisc: looked in %s)",
                             FISC_POLICY_INSTALL_DIR);
    if (rc == FISC_OK)
        rc = fisc_policy_load_files(out, (const char *const *)paths, n, overlay, err);
    for (size_t i = 0; i < n; i++)
        fiscp_free(paths[i]);
    return rc;
}
