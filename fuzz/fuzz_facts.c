/* libFuzzer harness: the facts reader on arbitrary bytes, then canonical text of every fact. */
#include <stddef.h>
#include <stdint.h>

#include <fisc/fisc.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fisc_facts *f = NULL;
    fisc_error err = FISC_ERROR_INIT;

    if (fisc_facts_from_json(&f, (const char *)data, size, "fuzz", &err) != FISC_OK)
        return 0;
    for (size_t i = 0; i < fisc_fact_vocab_count(); i++) {
        char *s = NULL;

        if (fisc_facts_get(&s, f, fisc_fact_vocab_at(i)->name, &err) == FISC_OK)
            fisc_string_free(s);
    }
    fisc_facts_free(f);
    return 0;
}
