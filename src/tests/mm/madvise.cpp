// SPDX-License-Identifier: MIT
// madvise(2) (Linux advice values; the first five are posix_madvise's):
// MADV_DONTNEED on private anonymous (zeroes), shared anonymous (keeps) and
// private file mappings (back to the file's data), MADV_REMOVE, MADV_DONTFORK
// and MADV_WIPEONFORK across fork, MADV_POPULATE_*, harmless advice keeping
// data, and the EINVAL/ENOMEM/EFAULT cases.
// Left out: MADV_HWPOISON/SOFT_OFFLINE (would damage host memory as root),
// MADV_COLLAPSE (needs a free huge page). The other advice values each have
// a test that observes them in mm_flags.cpp (MADV_FREE, COLD, PAGEOUT,
// KEEPONFORK, DONTNEED_LOCKED, guard regions, and the hints in VmFlags).
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

u8* ptr(long r) { return reinterpret_cast<u8*>(r); }

struct Off {
    const char* label;
    long off;
};
constexpr Off kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};

}  // namespace

// madvise(2) MADV_DONTNEED: "subsequent accesses of pages in the range ...
// will result in zero-fill-on-demand pages for anonymous private mappings";
// pages outside the range keep their data.
TEST(madvise, dontneed_zeroes_private_anonymous, POSITIVE, LINUX) {
    u8* p = mm::map(3);
    for (int k = 0; k < 3; ++k) mm::fill(p + k * P, P, u8(1 + k));
    EXPECT_OK(sys::madvise(p + P, P, MADV_DONTNEED));
    EXPECT_TRUE(mm::has_pattern(p, P, 1));
    EXPECT_TRUE(mm::all_zero(p + P, P));
    EXPECT_TRUE(mm::has_pattern(p + 2 * P, P, 3));
    EXPECT_OK(sys::munmap(p, 3 * P));
}

// madvise(2) MADV_DONTNEED on shared memory only drops this process's page
// table entries: the data lives in the shared object and comes back.
TEST(madvise, dontneed_keeps_shared_anonymous, POSITIVE, LINUX) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    mm::fill(p, 2 * P, 4);
    EXPECT_OK(sys::madvise(p, 2 * P, MADV_DONTNEED));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 4));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// madvise(2) MADV_DONTNEED: "private file mappings ... will result in
// repopulating the memory contents from the up-to-date contents of the
// underlying mapped file" — private changes are dropped.
TEST(madvise, dontneed_private_file_rereads_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 6);
    long r = sys::mmap(nullptr, P, RW, MAP_PRIVATE, fd, 0);
    sys::close(fd);
    ASSERT_OK(r);
    mm::fill(ptr(r), P, 7);
    EXPECT_OK(sys::madvise(ptr(r), P, MADV_DONTNEED));
    EXPECT_TRUE(mm::has_pattern(ptr(r), P, 6));
    EXPECT_OK(sys::munmap(ptr(r), P));
}

struct Advice {
    const char* label;
    int advice;
};
constexpr Advice kHarmless[] = {
    {"NORMAL", MADV_NORMAL},         {"RANDOM", MADV_RANDOM},     {"SEQUENTIAL", MADV_SEQUENTIAL},
    {"WILLNEED", MADV_WILLNEED},     {"DONTFORK", MADV_DONTFORK}, {"DOFORK", MADV_DOFORK},
    {"DONTDUMP", MADV_DONTDUMP},     {"DODUMP", MADV_DODUMP},     {"WIPEONFORK", MADV_WIPEONFORK},
    {"KEEPONFORK", MADV_KEEPONFORK}, {"COLD", MADV_COLD},         {"PAGEOUT", MADV_PAGEOUT},
};

// madvise(2): advice that does not discard memory is accepted on private
// anonymous memory and leaves the data as it was (COLD/PAGEOUT may reclaim
// pages, which then come back intact).
TEST_P(madvise, nondestructive_advice_keeps_data, POSITIVE, LINUX, kHarmless) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 8);
    EXPECT_OK(sys::madvise(p, 2 * P, row.advice));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 8));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

constexpr Advice kBadAdvice[] = {{"advice=-1", -1},
                                 {"advice=5", 5},
                                 {"advice=7", 7},
                                 {"advice=999", 999},
                                 {"advice=INT_MAX", INT_MAX},
                                 {"advice=INT_MIN", INT_MIN}};

// madvise(2) EINVAL: "advice is not a valid"; the memory is untouched.
TEST_P(madvise, invalid_advice_einval, NEGATIVE, LINUX, kBadAdvice) {
    u8* p = mm::map(1);
    mm::fill(p, P, 9);
    EXPECT_ERR(sys::madvise(p, P, row.advice), EINVAL);
    EXPECT_TRUE(mm::has_pattern(p, P, 9));
    EXPECT_OK(sys::munmap(p, P));
}

// madvise(2) EINVAL: "addr is not page-aligned".
TEST_P(madvise, unaligned_addr_einval, NEGATIVE, LINUX, kMisaligned) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 1);
    EXPECT_ERR(sys::madvise(p + row.off, P, MADV_DONTNEED), EINVAL);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 1));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Range {
    const char* label;
    int first;  // page offset from a 1-page mapping followed by a free page
    int pages;
    int advice;
};
constexpr Range kNotMapped[] = {
    {"unmapped_normal", 1, 1, MADV_NORMAL},
    {"unmapped_willneed", 1, 1, MADV_WILLNEED},
    {"unmapped_dontneed", 1, 1, MADV_DONTNEED},
    {"partly_unmapped_dontneed", 0, 2, MADV_DONTNEED},
};

// madvise(2) ENOMEM: "Addresses in the specified range are not currently
// mapped".
TEST_P(madvise, unmapped_range_enomem, NEGATIVE, LINUX, kNotMapped) {
    u8* p = mm::map(2);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_ERR(sys::madvise(p + row.first * P, row.pages * P, row.advice), ENOMEM);
    EXPECT_OK(sys::munmap(p, P));
}

struct Where {
    const char* label;
    bool mapped;
};
constexpr Where kWhere[] = {{"mapped", true}, {"unmapped", false}};

// madvise(2): a zero length is a successful no-op, even where nothing is
// mapped.
TEST_P(madvise, zero_length_succeeds, BOUNDARY, LINUX, kWhere) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    if (row.mapped) p[0] = 5;
    EXPECT_OK(sys::madvise(p, 0, MADV_DONTNEED));
    if (row.mapped) {
        EXPECT_EQ(p[0], 5);
        EXPECT_OK(sys::munmap(p, P));
    }
}

// madvise(2): a length whose end wraps around the address space is EINVAL.
TEST(madvise, wrapping_length_einval, NEGATIVE, LINUX) {
    u8* p = mm::map(1);
    EXPECT_ERR(sys::madvise(p, ~usize(4095), MADV_DONTNEED), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

// madvise(2) MADV_REMOVE: "Free up a given range of pages and its associated
// backing store" — shared anonymous memory reads as zeros afterwards.
TEST(madvise, remove_shared_anonymous_zeroes, POSITIVE, LINUX) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    mm::fill(p, P, 3);
    mm::fill(p + P, P, 4);
    EXPECT_OK(sys::madvise(p, P, MADV_REMOVE));
    EXPECT_TRUE(mm::all_zero(p, P));
    EXPECT_TRUE(mm::has_pattern(p + P, P, 4));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// madvise(2) MADV_REMOVE on private anonymous memory (no backing file) is
// EINVAL.
TEST(madvise, remove_private_anonymous_einval, NEGATIVE, LINUX) {
    u8* p = mm::map(1);
    EXPECT_ERR(sys::madvise(p, P, MADV_REMOVE), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

// madvise(2) MADV_DONTFORK: "Do not make the pages in this range available
// to the child after a fork" — the child's access is SIGSEGV/SEGV_MAPERR.
TEST(madvise, dontfork_hides_range_from_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2);
    ASSERT_OK(sys::madvise(p, P, MADV_DONTFORK));
    EXPECT_EQ(mm::touch(p + 4, false), mm::kSegvMaperr);
    EXPECT_EQ(mm::touch(p + P + 4, false), 0);
    ASSERT_OK(sys::madvise(p, P, MADV_DOFORK));
    EXPECT_EQ(mm::touch(p + 4, false), 0);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// madvise(2) MADV_WIPEONFORK (Linux 4.14): the child sees the range
// zero-filled; the parent keeps its data.
TEST(madvise, wipeonfork_child_sees_zeros, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    mm::fill(p, P, 5);
    ASSERT_OK(sys::madvise(p, P, MADV_WIPEONFORK));
    long pid = kc::spawn([](void* a) { EXPECT_TRUE(mm::all_zero(static_cast<u8*>(a), P)); }, p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p, P, 5));
    EXPECT_OK(sys::munmap(p, P));
}

// madvise(2) MADV_WIPEONFORK: "only on private anonymous pages"; a shared
// mapping is EINVAL.
TEST(madvise, wipeonfork_shared_einval, NEGATIVE, LINUX) {
    u8* p = mm::map(1, RW, MAP_SHARED);
    EXPECT_ERR(sys::madvise(p, P, MADV_WIPEONFORK), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

constexpr Advice kPopulate[] = {{"POPULATE_READ", MADV_POPULATE_READ},
                                {"POPULATE_WRITE", MADV_POPULATE_WRITE}};

// madvise(2) MADV_POPULATE_READ/WRITE (Linux 5.14): page tables are
// populated, the pages are resident (mincore) and still read as zeros.
TEST_P(madvise, populate_makes_resident, POSITIVE, LINUX, kPopulate) {
    u8* p = mm::map(4);
    EXPECT_EQ(mm::resident(p, 4), 0);
    EXPECT_OK(sys::madvise(p, 4 * P, row.advice));
    EXPECT_EQ(mm::resident(p, 4), 4);
    EXPECT_TRUE(mm::all_zero(p, 4 * P));
    EXPECT_OK(sys::munmap(p, 4 * P));
}

struct Populate {
    const char* label;
    int prot;
    int advice;
};
constexpr Populate kPopulateDenied[] = {
    {"none_read", PROT_NONE, MADV_POPULATE_READ},
    {"none_write", PROT_NONE, MADV_POPULATE_WRITE},
    {"readonly_write", PROT_READ, MADV_POPULATE_WRITE},
};

// madvise(2) MADV_POPULATE_*: EINVAL when "the specified address range
// includes ranges with insufficient permissions".
TEST_P(madvise, populate_without_permission_einval, NEGATIVE, LINUX, kPopulateDenied) {
    u8* p = mm::map(1, row.prot);
    EXPECT_ERR(sys::madvise(p, P, row.advice), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

// madvise(2) MADV_POPULATE_READ: EFAULT when "populating (prefaulting) page
// tables failed because a SIGBUS would have been generated on actual access"
// — a whole page past the end of the file.
TEST(madvise, populate_past_eof_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 100, 1);
    long r = sys::mmap(nullptr, 2 * P, PROT_READ, MAP_SHARED, fd, 0);
    sys::close(fd);
    ASSERT_OK(r);
    EXPECT_OK(sys::madvise(ptr(r), P, MADV_POPULATE_READ));
    EXPECT_ERR(sys::madvise(ptr(r) + P, P, MADV_POPULATE_READ), EFAULT);
    EXPECT_OK(sys::munmap(ptr(r), 2 * P));
}
