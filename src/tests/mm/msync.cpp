// SPDX-License-Identifier: MIT
// msync(2): MS_SYNC/MS_ASYNC/MS_INVALIDATE on anonymous and file mappings
// (data reaches the file), MS_INVALIDATE on locked memory (EBUSY), and the
// EINVAL/ENOMEM cases, including Linux's acceptance of flags 0 and len 0.
// Left out: whether MS_SYNC really reaches the disk (not observable without
// pulling the power).
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kGoodFlags[] = {{"MS_SYNC", MS_SYNC},
                                {"MS_ASYNC", MS_ASYNC},
                                {"MS_SYNC|MS_INVALIDATE", MS_SYNC | MS_INVALIDATE},
                                {"MS_ASYNC|MS_INVALIDATE", MS_ASYNC | MS_INVALIDATE}};

struct Off {
    const char* label;
    long off;
};
constexpr Off kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};

}  // namespace

// msync(2), POSIX: each valid flag combination succeeds on a mapping and
// leaves its data as it was.
TEST_P(msync, valid_flags_succeed, POSITIVE, PSE51, kGoodFlags) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    mm::fill(p, 2 * P, 1);
    EXPECT_OK(sys::msync(p, 2 * P, row.flags));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 1));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// msync(2), POSIX: after MS_SYNC (or MS_ASYNC) stores through a shared file
// mapping are in the file, as pread shows.
TEST_P(msync, shared_file_store_reaches_file, POSITIVE, PSE52, kGoodFlags,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 2 * P, 1);
    long r = sys::mmap(nullptr, 2 * P, RW, MAP_SHARED, fd, 0);
    if (EXPECT_OK(r)) {
        u8* p = reinterpret_cast<u8*>(r);
        mm::fill(p + P, P, 9);
        EXPECT_OK(sys::msync(p, 2 * P, row.flags));
        u8 buf[128];
        EXPECT_RET(sys::pread64(fd, buf, sizeof buf, long(P)), long(sizeof buf));
        EXPECT_TRUE(mm::has_pattern(buf, sizeof buf, 9));
        EXPECT_TRUE(mm::has_pattern(p + P, P, 9));
        EXPECT_OK(sys::munmap(p, 2 * P));
    }
    sys::close(fd);
}

constexpr Flags kBothFlags[] = {
    {"MS_SYNC|MS_ASYNC", MS_SYNC | MS_ASYNC},
    {"MS_SYNC|MS_ASYNC|MS_INVALIDATE", MS_SYNC | MS_ASYNC | MS_INVALIDATE}};

// msync(2), POSIX EINVAL: "The value of flags is invalid" — MS_SYNC and
// MS_ASYNC together.
TEST_P(msync, sync_and_async_einval, NEGATIVE, PSE51, kBothFlags) {
    u8* p = mm::map(1, RW, MAP_SHARED);
    EXPECT_ERR(sys::msync(p, P, row.flags), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

constexpr Flags kUnknownFlags[] = {
    {"flags=0x8", 8}, {"flags=0x10|MS_SYNC", 0x10 | MS_SYNC}, {"flags=-1", -1}};

// msync(2) EINVAL: "flags specified bits other than MS_ASYNC | MS_INVALIDATE
// | MS_SYNC".
TEST_P(msync, unknown_flags_einval, NEGATIVE, LINUX, kUnknownFlags) {
    u8* p = mm::map(1, RW, MAP_SHARED);
    EXPECT_ERR(sys::msync(p, P, row.flags), EINVAL);
    EXPECT_OK(sys::munmap(p, P));
}

// msync(2), POSIX EINVAL: "The addr argument is not a multiple of the page
// size".
TEST_P(msync, unaligned_addr_einval, NEGATIVE, PSE51, kMisaligned) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    EXPECT_ERR(sys::msync(p + row.off, P, MS_SYNC), EINVAL);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Range {
    const char* label;
    int first;  // page offset from a 1-page mapping followed by a free page
    u64 len;
};
constexpr Range kNotMapped[] = {
    {"unmapped", 1, P}, {"partly_unmapped", 0, 2 * P}, {"len_wraps", 0, ~u64(4095)}};

// msync(2), POSIX ENOMEM: "The addresses in the range starting at addr and
// continuing for len bytes are outside the range allowed for the address
// space of a process or specify one or more pages that are not mapped."
TEST_P(msync, unmapped_range_enomem, NEGATIVE, PSE51, kNotMapped) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_ERR(sys::msync(p + row.first * P, row.len, MS_SYNC), ENOMEM);
    EXPECT_OK(sys::munmap(p, P));
}

struct Where {
    const char* label;
    bool mapped;
};
constexpr Where kWhere[] = {{"mapped", true}, {"unmapped", false}};

// msync(2): a zero length succeeds without looking at the range (Linux).
TEST_P(msync, zero_length_succeeds, BOUNDARY, LINUX, kWhere) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    EXPECT_OK(sys::msync(p, 0, MS_SYNC));
    if (row.mapped) EXPECT_OK(sys::munmap(p, P));
}

// msync(2): Linux accepts flags 0 (treated like MS_ASYNC); the man page says
// exactly one of MS_SYNC and MS_ASYNC "must" be given, Linux wins.
TEST(msync, zero_flags_accepted, BOUNDARY, LINUX) {
    u8* p = mm::map(1, RW, MAP_SHARED);
    EXPECT_OK(sys::msync(p, P, 0));
    EXPECT_OK(sys::munmap(p, P));
}

// msync(2): a length that is not a multiple of the page size covers the
// whole last page and succeeds.
TEST(msync, unaligned_length_succeeds, BOUNDARY, PSE51) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    EXPECT_OK(sys::msync(p, 1, MS_SYNC));
    EXPECT_OK(sys::msync(p, P + 1, MS_ASYNC));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// msync(2), POSIX EBUSY: "Some or all of the addresses in the range ... are
// locked, and MS_INVALIDATE is specified"; without MS_INVALIDATE it works.
TEST(msync, invalidate_locked_ebusy, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(2);
            u8* p = mm::map(1, RW, MAP_SHARED);
            ASSERT_OK(sys::mlock(p, P));
            EXPECT_ERR(sys::msync(p, P, MS_SYNC | MS_INVALIDATE), EBUSY);
            EXPECT_OK(sys::msync(p, P, MS_SYNC));
        },
        nullptr, "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK of at least 2 pages");
}
