/* sha256.h: SHA-256 of a memory block, as 64 lowercase hex digits. */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>

void sha256_hex(const void *data, size_t len, char out[65]);

#endif
