#define _GNU_SOURCE
#include "relink_checksum.h"

#include <pthread.h>
#include <string.h>

// CRC-32C: polynomial 0x1EDC6F41, reflected (0x82F63B78), initial and final value ~0.

static uint32_t table[256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void make_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        table[n] = c;
    }
}

static uint32_t software(uint32_t crc, const unsigned char *p, size_t length) {
    pthread_once(&table_once, make_table);
    while (length--) crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) static uint32_t hardware(uint32_t crc32, const unsigned char *p, size_t length) {
    uint64_t crc = crc32;
    while (length > 0 && ((uintptr_t)p & 7) != 0) {
        crc = __builtin_ia32_crc32qi((uint32_t)crc, *p++);
        length--;
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        crc = __builtin_ia32_crc32di(crc, word);
        p += 8;
        length -= 8;
    }
    while (length--) crc = __builtin_ia32_crc32qi((uint32_t)crc, *p++);
    return (uint32_t)crc;
}

static int has_sse42(void) {
    // __builtin_cpu_init runs before main in libgcc/compiler-rt; calling it again is harmless.
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif

uint32_t relink_crc32c(uint32_t crc, const void *data, size_t length) {
    const unsigned char *p = data;
    crc = ~crc;
#if defined(__x86_64__)
    if (has_sse42()) return ~hardware(crc, p, length);
#endif
    return ~software(crc, p, length);
}

int relink_crc32c_is_hardware(void) {
#if defined(__x86_64__)
    return has_sse42();
#else
    return 0;
#endif
}

const void *relink_find(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
