/* The umbrella header must compile alone under -std=c11 -pedantic -Werror (libgit2 headertest). */
#include <fisc/fisc.h>

int main(void)
{
    fisc_error err = FISC_ERROR_INIT;
    fisc_format fmt = FISC_FORMAT_INIT;
    fisc_apportion_options opts = FISC_APPORTION_OPTIONS_INIT;

    (void)err;
    (void)fmt;
    (void)opts;
    return fisc_version_number() == FISC_VERSION_NUMBER ? 0 : 1;
}
