#ifndef RELINK_CHECKSUM_H
#define RELINK_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli), as iSCSI, ext4 and Btrfs use it: `crc` is the value so far (0 to start),
/// the result is the value after `length` more bytes. SSE4.2's crc32 instruction when the CPU has
/// it (checked once), else a table.
uint32_t relink_crc32c(uint32_t crc, const void *data, size_t length);

/// The first occurrence of `needle` in `haystack` (glibc's memmem, which Swift's Glibc module
/// does not export), or NULL.
const void *relink_find(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// Whether relink_crc32c runs on the CPU's instruction (for the benchmark's report).
int relink_crc32c_is_hardware(void);

#endif
