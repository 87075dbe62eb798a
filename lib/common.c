/* Version information and string release. */
#include "fisc_private.h"

#define FISCP_STR2(x) #x
#define FISCP_STR(x) FISCP_STR2(x)

int fisc_version_number(void)
{
    return FISC_VERSION_NUMBER;
}

const char *fisc_version_string(void)
{
    return FISCP_STR(FISC_VERSION_MAJOR) "." FISCP_STR(FISC_VERSION_MINOR) "." FISCP_STR(
        FISC_VERSION_PATCH);
}

void fisc_string_free(char *s)
{
    fiscp_free(s);
}
