/* libFuzzer harness: the policy loader on arbitrary bytes (one layer, then the same bytes as an overlay). */
#include <stddef.h>
#include <stdint.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char base[] = "fisc_policy: 1\nid: base\ntitle: {zh: a, en: b}\ndocument: d\nparameters:\n"
                               "  - id: a.b\n    label: {zh: x, en: y}\n    unit: 元\n    values:\n"
                               "      - {from: 2019-01-01, value: \"5\", status: confirmed, citation: {document: x}}\n";
    const char *name = "fuzz.yaml", *text = (const char *)data, *btext = base;
    size_t bl = sizeof(base) - 1;
    fisc_policy *p = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fiscp_policy_load_texts(&p, &name, &text, &size, 1, NULL, NULL, 0, &err) == FISC_OK)
        fisc_policy_free(p);
    if (fiscp_policy_load_texts(&p, &name, &btext, &bl, 1, "overlay.yaml", text, size, &err) == FISC_OK)
        fisc_policy_free(p);
    return 0;
}
