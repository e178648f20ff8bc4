// SPDX-License-Identifier: MIT
// The packed string pool (see tools/strpack.cpp for the format and
// cmake/strings-packed.ld for the layout): expanded once, first thing at
// startup, into the section the linker reserved for it. A binary linked
// unpacked has an empty .kc_strz and nothing to do.
//
// Nothing here may use a string literal: the literals are what is unpacked.
#include "rt/start.hpp"
#include "rt/sys.hpp"

extern "C" {
extern const u8 __kc_strz_start[], __kc_strz_end[];
extern u8 __kc_str_start[], __kc_str_end[];
}

namespace rt {
namespace {

struct Bits {
    const u8* p;
    const u8* end;
    u32 flags = 0;
    int n = 0;
    bool bad = false;

    u8 byte() {
        if (p == end) {
            bad = true;
            return 0;
        }
        return *p++;
    }
    u32 bit() {
        if (n == 0) flags = byte(), n = 8;
        return (flags >> --n) & 1;
    }
    u32 gamma() {
        int k = 0;
        while (!bit()) {
            if (++k > 31 || bad) {
                bad = true;
                return 1;
            }
        }
        u32 v = 1;
        while (k--) v = v << 1 | bit();
        return v;
    }
};

// A named array, not a literal, so that it lives outside the pool.
const char kCorrupt[] = "kconform: the packed string pool is corrupt\n";

}  // namespace

void unpack_strings() {
    const u8* z = __kc_strz_start;
    if (z == __kc_strz_end) return;
    u8* out = __kc_str_start;
    usize size = usize(__kc_str_end - __kc_str_start);
    u32 raw = u32(z[0]) | u32(z[1]) << 8 | u32(z[2]) << 16 | u32(z[3]) << 24;
    u32 want = u32(z[4]) | u32(z[5]) << 8 | u32(z[6]) << 16 | u32(z[7]) << 24;
    Bits in{z + 8, __kc_strz_end};
    usize o = 0, last = 0;
    bool bad = raw != size;
    while (!bad && o < size) {
        if (!in.bit()) {
            out[o++] = in.byte();
        } else {
            usize len;
            if (in.bit()) {
                len = in.gamma();
            } else {
                usize hi = in.gamma() - 1;
                last = (hi << 8 | in.byte()) + 1;
                len = usize(in.gamma()) + 1;
            }
            if (last == 0 || last > o || len > size - o) break;
            for (; len; --len, ++o) out[o] = out[o - last];
        }
        bad = in.bad;
    }
    u32 h = 2166136261u;
    for (usize i = 0; i < o; ++i) h = (h ^ out[i]) * 16777619u;
    if (o != size || h != want) {
        sys::write(2, kCorrupt, sizeof kCorrupt - 1);
        sys::exit_group(125);
    }
}

}  // namespace rt
