// SPDX-License-Identifier: MIT
// mremap(2) (Linux only): growing in place, shrinking, moving with
// MREMAP_MAYMOVE and MREMAP_FIXED (data intact, old range gone, target
// replaced), MREMAP_DONTUNMAP, old_size 0 (duplicating a shared mapping,
// refused for private ones), the EINVAL/EFAULT/ENOMEM cases, and 10,000
// grow/shrink cycles.
// Left out: remapping across several mappings (its rules changed in recent
// kernels), hugetlb and VM_PFNMAP mappings.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

u8* ptr(long r) { return reinterpret_cast<u8*>(r); }
bool mapped(void* p) { return sys::msync(p, P, MS_ASYNC) == 0; }

}  // namespace

// mremap(2): without MREMAP_MAYMOVE a mapping followed by free space grows in
// place: same address, old data intact, new pages zero and writable.
TEST(mremap, grow_in_place, POSITIVE, LINUX) {
    u8* p = mm::map(4);
    ASSERT_OK(sys::munmap(p + 2 * P, 2 * P));
    mm::fill(p, 2 * P, 3);
    EXPECT_EQ(sys::mremap(p, 2 * P, 4 * P, 0), long(p));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 3));
    EXPECT_TRUE(mm::all_zero(p + 2 * P, 2 * P));
    p[4 * P - 1] = 1;
    EXPECT_OK(sys::munmap(p, 4 * P));
}

// mremap(2) ENOMEM: "the memory area cannot be expanded at the current
// virtual address, and MREMAP_MAYMOVE is not set"; the mapping is unchanged.
TEST(mremap, grow_blocked_without_maymove_enomem, NEGATIVE, LINUX) {
    u8* p = mm::map(3);
    ASSERT_OK(sys::mprotect(p + 2 * P, P, PROT_READ));  // a separate mapping after p
    mm::fill(p, 2 * P, 4);
    EXPECT_ERR(sys::mremap(p, 2 * P, 3 * P, 0), ENOMEM);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 4));
    EXPECT_OK(sys::munmap(p, 3 * P));
}

// mremap(2) MREMAP_MAYMOVE: when it cannot grow in place the mapping moves:
// data intact at the new address, the old range unmapped, the neighbour kept.
TEST(mremap, maymove_moves_with_data, POSITIVE, LINUX) {
    u8* p = mm::map(3);
    ASSERT_OK(sys::mprotect(p + 2 * P, P, PROT_READ));
    mm::fill(p, 2 * P, 5);
    long r = sys::mremap(p, 2 * P, 8 * P, MREMAP_MAYMOVE);
    ASSERT_OK(r);
    EXPECT_NE(r, long(p));
    EXPECT_TRUE(mm::has_pattern(ptr(r), 2 * P, 5));
    EXPECT_TRUE(mm::all_zero(ptr(r) + 2 * P, 6 * P));
    EXPECT_TRUE(!mapped(p) && !mapped(p + P));
    EXPECT_TRUE(mapped(p + 2 * P));
    EXPECT_OK(sys::munmap(ptr(r), 8 * P));
    EXPECT_OK(sys::munmap(p + 2 * P, P));
}

// mremap(2): shrinking keeps the address and the head's data; the tail is
// unmapped.
TEST(mremap, shrink_in_place, POSITIVE, LINUX) {
    u8* p = mm::map(4);
    mm::fill(p, P, 6);
    EXPECT_EQ(sys::mremap(p, 4 * P, P, 0), long(p));
    EXPECT_TRUE(mm::has_pattern(p, P, 6));
    for (int k = 1; k < 4; ++k) EXPECT_TRUE(!mapped(p + k * P));
    EXPECT_OK(sys::munmap(p, P));
}

// mremap(2) MREMAP_FIXED: the mapping moves to exactly new_address, replacing
// what was mapped there; the rest of the target area and the data survive.
TEST(mremap, fixed_moves_to_address, POSITIVE, LINUX) {
    u8* p = mm::map(2);
    u8* t = mm::map(4);
    mm::fill(p, 2 * P, 7);
    mm::fill(t, 4 * P, 8);
    EXPECT_EQ(sys::mremap(p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, t + P), long(t + P));
    EXPECT_TRUE(mm::has_pattern(t + P, 2 * P, 7));
    EXPECT_EQ(t[0], u8(8));  // first byte of the target's own pattern
    EXPECT_TRUE(!mapped(p) && !mapped(p + P));
    EXPECT_OK(sys::munmap(t, 4 * P));
}

// mremap(2) MREMAP_DONTUNMAP (Linux 5.7): the pages move, but the old range
// stays mapped; for private anonymous memory it then reads as zeros.
TEST(mremap, dontunmap_leaves_empty_source, POSITIVE, LINUX) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 9);
    long r = sys::mremap(p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP);
    ASSERT_OK(r);
    EXPECT_NE(r, long(p));
    EXPECT_TRUE(mm::has_pattern(ptr(r), 2 * P, 9));
    EXPECT_TRUE(mm::all_zero(p, 2 * P));
    EXPECT_OK(sys::munmap(p, 2 * P));
    EXPECT_OK(sys::munmap(ptr(r), 2 * P));
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadFlags[] = {
    {"flags=0x8", 8},
    {"flags=0x10|MAYMOVE", 0x10 | MREMAP_MAYMOVE},
    {"flags=-1", -1},
    {"FIXED_without_MAYMOVE", MREMAP_FIXED},
    {"DONTUNMAP_without_MAYMOVE", MREMAP_DONTUNMAP},
};

// mremap(2) EINVAL: "An invalid argument was given. Possible causes are: ...
// flags has an invalid bit set; MREMAP_FIXED or MREMAP_DONTUNMAP was
// specified without also specifying MREMAP_MAYMOVE".
TEST_P(mremap, invalid_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    u8* p = mm::map(1);
    u8* h = mm::hole(1);
    EXPECT_ERR(sys::mremap(p, P, P, row.flags, h), EINVAL);
    EXPECT_TRUE(mapped(p));
    EXPECT_OK(sys::munmap(p, P));
}

struct Sizes {
    const char* label;
    long addr_off;  // added to a page-aligned mapping
    u64 old_len;
    u64 new_len;
    int flags;
};
constexpr Sizes kBadSizes[] = {
    {"old_address+1", 1, P, P, 0},
    {"old_address+4095", 4095, P, 2 * P, MREMAP_MAYMOVE},
    {"new_size=0", 0, P, 0, MREMAP_MAYMOVE},
    {"new_size=SIZE_MAX", 0, P, ~u64(0), MREMAP_MAYMOVE},
    {"new_size=SIZE_MAX-4095", 0, P, ~u64(4095), MREMAP_MAYMOVE},
    {"new_size=2^63", 0, P, u64(1) << 63, MREMAP_MAYMOVE},
    {"dontunmap_size_change", 0, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP},
};

// mremap(2) EINVAL: "old_address was not page aligned", "new_size was zero",
// a size beyond the address space, or MREMAP_DONTUNMAP with old_size !=
// new_size. Linux 6.1 reported a page-aligned new size beyond the address
// space as ENOMEM (no room for it); the mremap rework of later kernels checks
// the size first. A kernel older than 6.18 may answer either.
TEST_P(mremap, invalid_address_or_size_einval, NEGATIVE, LINUX, kBadSizes) {
    u8* p = mm::map(1);
    long r = sys::mremap(p + row.addr_off, row.old_len, row.new_len, row.flags);
    if (row.new_len >= u64(1) << 47 && kc::linux_before(6, 18))
        EXPECT_ERR_ANY(r, EINVAL, ENOMEM);
    else
        EXPECT_ERR(r, EINVAL);
    EXPECT_TRUE(mapped(p));
    EXPECT_OK(sys::munmap(p, P));
}

struct Target {
    const char* label;
    long off;  // new_address relative to the 2-page mapping
};
constexpr Target kBadTargets[] = {{"same_address", 0},
                                  {"overlaps_tail", long(P)},
                                  {"overlaps_head", -long(P)},
                                  {"unaligned", 3 * long(P) + 1}};

// mremap(2) MREMAP_FIXED EINVAL: "new_address was not page aligned" or the
// old and new ranges overlap.
TEST_P(mremap, fixed_bad_target_einval, NEGATIVE, LINUX, kBadTargets) {
    u8* w = mm::map(6);
    u8* p = w + 2 * P;
    mm::fill(p, 2 * P, 2);
    EXPECT_ERR(sys::mremap(p, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED, p + row.off), EINVAL);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 2));
    EXPECT_OK(sys::munmap(w, 6 * P));
}

struct Old {
    const char* label;
    u64 addr;  // 0: a hole in this process's address space
};
constexpr Old kNoMapping[] = {{"unmapped", 0}, {"kernel_address", 0xffff800000000000ull}};

// mremap(2) EFAULT: "Some address in the range old_address to
// old_address+old_size is an invalid virtual memory address for this
// process".
TEST_P(mremap, unmapped_old_address_efault, NEGATIVE, LINUX, kNoMapping) {
    void* a = row.addr ? reinterpret_cast<void*>(row.addr) : mm::hole(2);
    EXPECT_ERR(sys::mremap(a, P, P, 0), EFAULT);
    EXPECT_ERR(sys::mremap(a, P, 2 * P, MREMAP_MAYMOVE), EFAULT);
}

// mremap(2): "If the value of old_size is zero, and old_address refers to a
// shareable mapping, mremap() will create a new mapping of the same pages" —
// stores through either address show in the other.
TEST(mremap, zero_old_size_duplicates_shared_mapping, POSITIVE, LINUX) {
    u8* s = mm::map(1, RW, MAP_SHARED);
    mm::fill(s, P, 3);
    long r = sys::mremap(s, 0, P, MREMAP_MAYMOVE);
    ASSERT_OK(r);
    EXPECT_NE(r, long(s));
    EXPECT_TRUE(mm::has_pattern(ptr(r), P, 3));
    ptr(r)[10] = 0xee;
    EXPECT_EQ(s[10], 0xee);
    s[11] = 0xdd;
    EXPECT_EQ(ptr(r)[11], 0xdd);
    EXPECT_OK(sys::munmap(ptr(r), P));
    EXPECT_OK(sys::munmap(s, P));
}

// mremap(2): without MREMAP_MAYMOVE a mapping can only grow in place, which
// needs old_size to reach the end of the mapping; a zero old_size cannot, so
// the duplicate is refused with ENOMEM.
TEST(mremap, zero_old_size_without_maymove_enomem, BOUNDARY, LINUX) {
    u8* s = mm::map(1, RW, MAP_SHARED);
    EXPECT_ERR(sys::mremap(s, 0, P, 0), ENOMEM);
    EXPECT_OK(sys::munmap(s, P));
}

// mremap(2): duplicating a private mapping with old_size 0 is refused with
// EINVAL by current Linux (the new mapping would share nothing with the old
// one); the man page describes only the shared case.
TEST(mremap, zero_old_size_private_einval, NEGATIVE, LINUX) {
    u8* p = mm::map(1);
    EXPECT_ERR(sys::mremap(p, 0, P, MREMAP_MAYMOVE), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

// mremap(2): 10,000 rounds of growing (moving) and shrinking a mapping keep
// its data and leak nothing.
TEST(mremap, grow_shrink_10000_cycles, BOUNDARY, LINUX, .flags = kc::SLOW) {
    u8* p = mm::map(1);
    mm::fill(p, P, 4);
    for (int i = 0; i < 10000; ++i) {
        long g = sys::mremap(p, P, 3 * P, MREMAP_MAYMOVE);
        if (mm::is_err(g)) ASSERT_OK(g);
        p = ptr(g);
        long s = sys::mremap(p, 3 * P, P, 0);
        if (s != long(p)) ASSERT_EQ(s, long(p));
    }
    EXPECT_TRUE(mm::has_pattern(p, P, 4));
    EXPECT_OK(sys::munmap(p, P));
    u8* q = mm::map(256);
    q[0] = 1;
    EXPECT_OK(sys::munmap(q, 256 * P));
}
