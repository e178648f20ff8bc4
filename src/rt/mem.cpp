// SPDX-License-Identifier: MIT
// The four functions the compiler may call on its own (for struct copies and
// zeroing). Built with -fno-tree-loop-distribute-patterns so that these loops
// are not turned back into calls to themselves.
#include "arch/int.hpp"

extern "C" {

void* memcpy(void* dst, const void* src, usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    while (n--) *d++ = *s++;
    return dst;
}

void* memmove(void* dst, const void* src, usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        while (n--) *d++ = *s++;
    } else {
        while (n--) d[n] = s[n];
    }
    return dst;
}

void* memset(void* dst, int c, usize n) {
    auto* d = static_cast<unsigned char*>(dst);
    while (n--) *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void* a, const void* b, usize n) {
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (; n; --n, ++x, ++y)
        if (*x != *y) return *x < *y ? -1 : 1;
    return 0;
}
}
