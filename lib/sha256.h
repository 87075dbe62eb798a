/* SHA-256 (FIPS 180-4), for the content hash of policy files. */
#ifndef FISC_LIB_SHA256_H
#define FISC_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct fiscp_sha256 {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t fill;
} fiscp_sha256;

void fiscp_sha256_init(fiscp_sha256 *s);
void fiscp_sha256_update(fiscp_sha256 *s, const void *data, size_t len);
/* Finish and write 64 lower-case hex digits and a NUL into hex. */
void fiscp_sha256_hex(fiscp_sha256 *s, char hex[65]);

#endif
