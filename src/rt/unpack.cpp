// SPDX-License-Identifier: MIT
// The packed pool (see tools/strpack.cpp for the format and cmake/pool.ld.in
// for the layout): expanded once, first thing at startup, into the section
// the linker reserved for it, which is then made read-only. A binary linked
// unpacked has an empty .kc_packed and only the second step to do.
//
// Nothing here may read a string literal or any other constant data (no
// tables, no jump tables): the pool holds all of them.
#include "rt/start.hpp"
#include "rt/sys.hpp"
#include "rt/sys_mm.hpp"

extern "C" {
extern const u8 __kc_packed_start[], __kc_packed_end[];
extern u8 __kc_pool_start[], __kc_pool_end[];
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

// The first word of .kc_packed in every link, packed or not, so that the
// section and its segment exist in both and the program headers, which
// precede the code, are as long in the first link as in the second.
[[gnu::used, gnu::retain, gnu::section(".kc_packed")]] const u32 kPackedMarker = 0x6b6370;  // "pck"

// Writable, so that it lives in .data, outside the pool.
char kCorrupt[] = "kconform: the packed pool is corrupt\n";

void expand(const u8* z) {
    u8* out = __kc_pool_start;
    usize size = usize(__kc_pool_end - __kc_pool_start);
    u32 raw = u32(z[0]) | u32(z[1]) << 8 | u32(z[2]) << 16 | u32(z[3]) << 24;
    u32 want = u32(z[4]) | u32(z[5]) << 8 | u32(z[6]) << 16 | u32(z[7]) << 24;
    Bits in{z + 8, __kc_packed_end};
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

}  // namespace

void unpack_pool() {
    const u8* z = __kc_packed_start + sizeof kPackedMarker;
    if (z < __kc_packed_end) expand(z);
    // The linker aligns the pool to its largest page size. A kernel that
    // cannot do this fails the tests that hand it constants as read-only
    // memory, not the run.
    sys::mprotect(__kc_pool_start, usize(__kc_pool_end - __kc_pool_start), PROT_READ);
}

}  // namespace rt
