/*
 * A small stand-in for libFuzzer where it is not available (GCC): runs LLVMFuzzerTestOneInput on
 * every seed file, then on deterministic mutations of them (bit flips, byte changes, inserts,
 * deletes, splices) for a bounded time. Build with -Db_sanitize=address,undefined so that memory
 * errors stop it. Usage: driver [--seconds N] [--runs N] SEED...
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEEDS 256
#define MAX_INPUT 65536

static uint64_t rng = 0x243F6A8885A308D3u;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t read_seed(const char *path, uint8_t *buf)
{
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f) {
        fprintf(stderr, "driver: cannot read %s\n", path);
        exit(2);
    }
    n = fread(buf, 1, MAX_INPUT, f);
    fclose(f);
    return n;
}

static size_t mutate(uint8_t *buf, size_t n, const uint8_t *other, size_t on)
{
    static const char *const tokens[] = { "{", "}", "[", "]", ":", ",", "\"", "\n", "  ", "- ", "null", "true",
                                          "1e309", "-0", "0.1", "\"2023-02-29\"", "&a", "*a", "!!str", "%", "/0",
                                          "99999999999999999999999999999999999999999", "\xe4\xb8\x87", "\xff" };
    size_t pos = n ? next() % n : 0;

    switch (next() % 6) {
    case 0:
        if (n)
            buf[pos] ^= (uint8_t)(1u << (next() % 8));
        break;
    case 1:
        if (n)
            buf[pos] = (uint8_t)next();
        break;
    case 2: { /* insert a token */
        const char *t = tokens[next() % (sizeof(tokens) / sizeof(tokens[0]))];
        size_t k = strlen(t);

        if (n + k < MAX_INPUT) {
            memmove(buf + pos + k, buf + pos, n - pos);
            memcpy(buf + pos, t, k);
            n += k;
        }
        break;
    }
    case 3: /* delete a run */
        if (n) {
            size_t k = 1 + next() % 8;

            k = k > n - pos ? n - pos : k;
            memmove(buf + pos, buf + pos + k, n - pos - k);
            n -= k;
        }
        break;
    case 4: /* splice in a piece of another seed */
        if (on) {
            size_t from = next() % on, k = 1 + next() % 64;

            k = k > on - from ? on - from : k;
            if (n + k < MAX_INPUT) {
                memmove(buf + pos + k, buf + pos, n - pos);
                memcpy(buf + pos, other + from, k);
                n += k;
            }
        }
        break;
    default: /* truncate */
        n = pos;
        break;
    }
    return n;
}

int main(int argc, char **argv)
{
    static uint8_t seeds[MAX_SEEDS][MAX_INPUT], work[MAX_INPUT];
    size_t lens[MAX_SEEDS], nseeds = 0;
    long seconds = 10, runs = -1, done = 0;
    time_t start = time(NULL);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = strtol(argv[++i], NULL, 10);
        else if (nseeds < MAX_SEEDS) {
            lens[nseeds] = read_seed(argv[i], seeds[nseeds]);
            LLVMFuzzerTestOneInput(seeds[nseeds], lens[nseeds]);
            nseeds++;
        }
    }
    if (nseeds == 0) {
        fprintf(stderr, "usage: driver [--seconds N] [--runs N] SEED...\n");
        return 2;
    }
    while ((runs < 0 || done < runs) && time(NULL) - start < seconds) {
        size_t s = next() % nseeds, o = next() % nseeds, n = lens[s];
        int rounds = 1 + (int)(next() % 8);

        memcpy(work, seeds[s], n);
        for (int k = 0; k < rounds; k++)
            n = mutate(work, n, seeds[o], lens[o]);
        LLVMFuzzerTestOneInput(work, n);
        done++;
    }
    printf("fuzz driver: %zu seeds, %ld mutated inputs in %ld s, no crash\n", nseeds, done, (long)(time(NULL) - start));
    return 0;
}
