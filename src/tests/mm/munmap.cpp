// SPDX-License-Identifier: MIT
// munmap(2): removing whole pages (partial unmaps, unaligned lengths,
// ranges spanning several mappings or none), what the hole looks like
// afterwards (SIGSEGV/SEGV_MAPERR, ENOMEM from msync), independence of a
// forked child's address space, the EINVAL cases, and split-and-unmap cycles
// across a lowered RLIMIT_AS.
// Left out: unmapping a range another thread is faulting on (no threads here).
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;

struct Off {
    const char* label;
    long off;
};
constexpr Off kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};

}  // namespace

// munmap(2), POSIX: unmapping the middle page of a mapping leaves the pages
// on both sides mapped with their data; the hole is gone (msync: ENOMEM).
TEST(munmap, partial_unmap_keeps_rest, POSITIVE, PSE51) {
    u8* p = mm::map(3);
    for (int k = 0; k < 3; ++k) mm::fill(p + k * P, P, u8(20 + k));
    EXPECT_OK(sys::munmap(p + P, P));
    EXPECT_TRUE(mm::has_pattern(p, P, 20));
    EXPECT_TRUE(mm::has_pattern(p + 2 * P, P, 22));
    EXPECT_ERR(sys::msync(p + P, P, MS_ASYNC), ENOMEM);
    EXPECT_OK(sys::msync(p, P, MS_ASYNC));
    EXPECT_OK(sys::munmap(p, 3 * P));
}

// munmap(2), POSIX: "Further references to these pages shall result in the
// generation of a SIGSEGV signal" — a read of the hole is SEGV_MAPERR at the
// address read; the neighbours still work.
TEST(munmap, hole_access_sigsegv_maperr, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(3);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_EQ(mm::touch(p + P + 17, false), mm::kSegvMaperr);
    EXPECT_EQ(mm::touch(p + P + 17, true), mm::kSegvMaperr);
    EXPECT_EQ(mm::touch(p + P - 1, true), 0);
    EXPECT_EQ(mm::touch(p + 2 * P, true), 0);
    EXPECT_OK(sys::munmap(p, 3 * P));
}

// munmap(2), POSIX: "all pages containing any part of the address range"
// are removed — a length of one byte unmaps the whole first page only.
TEST(munmap, unaligned_length_rounds_up_to_page, BOUNDARY, PSE51) {
    u8* p = mm::map(2);
    mm::fill(p + P, P, 4);
    EXPECT_OK(sys::munmap(p, 1));
    EXPECT_ERR(sys::msync(p, P, MS_ASYNC), ENOMEM);
    EXPECT_TRUE(mm::has_pattern(p + P, P, 4));
    EXPECT_OK(sys::munmap(p + P, P));
}

// munmap(2), POSIX EINVAL: "The addr argument is not a multiple of the page
// size"; nothing is unmapped.
TEST_P(munmap, unaligned_addr_einval, NEGATIVE, PSE51, kMisaligned) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 1);
    EXPECT_ERR(sys::munmap(p + row.off, P), EINVAL);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 1));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Where {
    const char* label;
    bool mapped;
};
constexpr Where kWhere[] = {{"mapped", true}, {"unmapped", false}};

// munmap(2), POSIX.1-2008 EINVAL: "The len argument is 0", whether or not
// anything is mapped at addr.
TEST_P(munmap, zero_length_einval, NEGATIVE, PSE51, kWhere) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    EXPECT_ERR(sys::munmap(p, 0), EINVAL);
    if (row.mapped) EXPECT_OK(sys::munmap(p, P));
}

struct Range {
    const char* label;
    u64 addr;  // 0: a mapped page
    u64 len;
};
constexpr Range kOutside[] = {
    {"addr=0xffff800000000000", 0xffff800000000000ull, P},
    {"addr=-4096", ~u64(4095), P},
    {"len=SIZE_MAX-4095", 0, ~u64(4095)},
    {"len=2^63", 0, u64(1) << 63},
};

// munmap(2), POSIX EINVAL: "Addresses in the range [addr,addr+len) are
// outside the valid range for the address space of a process".
TEST_P(munmap, outside_user_space_einval, NEGATIVE, PSE51, kOutside) {
    u8* p = mm::map(1);
    void* a = row.addr ? reinterpret_cast<void*>(row.addr) : p;
    EXPECT_ERR(sys::munmap(a, row.len), EINVAL);
    EXPECT_OK(sys::msync(p, P, MS_ASYNC));  // still mapped
    EXPECT_OK(sys::munmap(p, P));
}

// munmap(2), POSIX: "If there are no mappings in the specified address range,
// then munmap() has no effect" — it succeeds, also for a second unmap.
TEST(munmap, unmapped_range_succeeds, BOUNDARY, PSE51) {
    u8* h = mm::hole(4);
    EXPECT_OK(sys::munmap(h, 4 * P));
    EXPECT_OK(sys::munmap(h + P, 1));
}

// munmap(2): one call removes every mapping in the range, across the gaps
// between them.
TEST(munmap, spans_several_mappings, POSITIVE, PSE51) {
    u8* p = mm::map(5);
    ASSERT_OK(sys::munmap(p + 2 * P, P));
    ASSERT_OK(sys::mprotect(p + 3 * P, 2 * P, PROT_READ));  // a separate mapping
    EXPECT_OK(sys::munmap(p, 5 * P));
    for (int k = 0; k < 5; ++k) EXPECT_ERR(sys::msync(p + k * P, P, MS_ASYNC), ENOMEM);
}

// munmap(2) after fork: each process has its own address space, so the
// child's unmap leaves the parent's mapping intact.
TEST(munmap, child_unmap_keeps_parent_mapping, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1, PROT_READ | PROT_WRITE, MAP_SHARED);
    mm::fill(p, P, 3);
    long pid = kc::spawn(
        [](void* a) {
            EXPECT_OK(sys::munmap(a, P));
            EXPECT_ERR(sys::msync(a, P, MS_ASYNC), ENOMEM);
        },
        p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p, P, 3));
    EXPECT_OK(sys::munmap(p, P));
}

// munmap(2): rounds of splitting a mapping in three and unmapping the pieces
// leak nothing. The loop crosses RLIMIT_AS, lowered to 256 KiB above what the
// process maps (common::limit_vm_room), four times over: a piece left mapped
// (or its accounting) fails it with ENOMEM within 64 of its 256 rounds.
// Afterwards the room, less 64 KiB of slack, can still be mapped. A leak of
// VMA count alone (no bytes) would have to cross vm.max_map_count (65530):
// neither this count nor the old one, 10,000, kept in the ID, does.
TEST(munmap, split_unmap_10000_cycles, BOUNDARY, PSE51) {
    common::limit_vm_room(RLIMIT_AS, common::kVmLeakRoom);
    constexpr int kRounds = 4 * common::kVmLeakRoom / P;
    for (int i = 0; i < kRounds; ++i) {
        long r =
            sys::mmap(nullptr, 3 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mm::is_err(r)) ASSERT_OK(r);
        u8* p = reinterpret_cast<u8*>(r);
        p[0] = p[2 * P] = 1;
        long a = sys::munmap(p + P, P), b = sys::munmap(p, P), c = sys::munmap(p + 2 * P, P);
        if (a || b || c) {
            EXPECT_OK(a), EXPECT_OK(b), EXPECT_OK(c);
            return;
        }
    }
    constexpr usize n = (common::kVmLeakRoom - common::kVmSlack) / P;
    u8* p = mm::map(n);
    p[n * P - 1] = 1;
    EXPECT_OK(sys::munmap(p, n * P));
}
