// SPDX-License-Identifier: MIT
// mmap(2): anonymous memory (zero fill, private vs shared across fork),
// placement (MAP_FIXED replacing, MAP_FIXED_NOREPLACE, hints) and the
// argument checks: EINVAL (length, offset, alignment, mapping type),
// ENOMEM (huge lengths, beyond user space), EBADF, an fd that anonymous
// mappings ignore, ENODEV. File mappings are in mmap_file.cpp; faults,
// MAP_GROWSDOWN, MAP_POPULATE, MAP_LOCKED and the limits in
// mmap_limits.cpp.
// Left out: MAP_HUGETLB (depends on the host's huge page pool), MAP_SYNC's
// synchronous faults (need DAX), MAP_UNINITIALIZED (ignored with an MMU).
// PROT_EXEC, MAP_32BIT, MAP_DROPPABLE, MAP_NONBLOCK, MAP_NORESERVE, MAP_STACK
// and MAP_SYNC's refusal are in mm_flags.cpp, with every other flag's test.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

using namespace mm::mmap_shorthands;

// Addresses off a page boundary by `off` bytes.
constexpr mm::OffsetRow kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};

// mmap(2), MAP_ANONYMOUS (POSIX.1-2024): a fresh anonymous mapping reads as
// zeros and keeps what is stored in it.
TEST_P(mmap, anonymous_zero_filled, POSITIVE, PSE51, mm::kAnonKinds) {
    u8* p = mm::map(4, RW, row.flags);
    EXPECT_TRUE(mm::all_zero(p, 4 * P));
    mm::fill(p, 4 * P, 3);
    EXPECT_TRUE(mm::has_pattern(p, 4 * P, 3));
    EXPECT_OK(sys::munmap(p, 4 * P));
}

// mmap(2) MAP_SHARED: stores are visible to every process sharing the
// mapping: a forked child sees the parent's data and the parent the child's.
TEST(mmap, shared_anonymous_visible_across_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    mm::fill(p, P, 1);
    long pid = kc::spawn(
        [](void* a) {
            u8* q = static_cast<u8*>(a);
            EXPECT_TRUE(mm::has_pattern(q, P, 1));
            mm::fill(q + P, P, 2);
        },
        p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p + P, P, 2));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mmap(2) MAP_PRIVATE: stores are private to the process; a forked child
// sees the parent's data, but its own stores never reach the parent.
TEST(mmap, private_anonymous_copy_on_write_across_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    mm::fill(p, P, 1);
    long pid = kc::spawn(
        [](void* a) {
            u8* q = static_cast<u8*>(a);
            EXPECT_TRUE(mm::has_pattern(q, P, 1));
            mm::fill(q, P, 9);
            EXPECT_TRUE(mm::has_pattern(q, P, 9));
        },
        p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p, P, 1));
    EXPECT_OK(sys::munmap(p, P));
}

// mmap(2) MAP_FIXED: the new mapping replaces whatever was mapped in the
// range (POSIX: "an implicit munmap() on the range"); the pages around it
// are untouched.
TEST(mmap, fixed_replaces_existing_mapping, POSITIVE, PSE51) {
    u8* p = mm::map(3);
    for (int k = 0; k < 3; ++k) mm::fill(p + k * P, P, u8(5 + k));
    EXPECT_EQ(sys::mmap(p + P, P, RW, ANON | MAP_FIXED, -1, 0), long(p + P));
    EXPECT_TRUE(mm::has_pattern(p, P, 5));
    EXPECT_TRUE(mm::all_zero(p + P, P));
    EXPECT_TRUE(mm::has_pattern(p + 2 * P, P, 7));
    EXPECT_OK(sys::munmap(p, 3 * P));
}

struct Span {
    const char* label;
    int first;  // page index in a 4-page window whose pages 1..2 are mapped
    int pages;
};
constexpr Span kTakenSpans[] = {{"same_range", 1, 2},
                                {"overlaps_start", 0, 2},
                                {"overlaps_end", 2, 2},
                                {"covers", 0, 4},
                                {"inside", 1, 1}};

// mmap(2) MAP_FIXED_NOREPLACE (Linux 4.17): a range that overlaps an existing
// mapping in any way fails with EEXIST and leaves everything as it was.
TEST_P(mmap, fixed_noreplace_taken_range_eexist, NEGATIVE, LINUX, kTakenSpans) {
    u8* w = mm::map(4);
    ASSERT_OK(sys::munmap(w, P));
    ASSERT_OK(sys::munmap(w + 3 * P, P));
    mm::fill(w + P, 2 * P, 4);
    EXPECT_ERR(sys::mmap(w + row.first * P, row.pages * P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
               EEXIST);
    EXPECT_TRUE(mm::has_pattern(w + P, 2 * P, 4));
    EXPECT_ERR(sys::msync(w, P, MS_ASYNC), ENOMEM);  // the free pages stayed free
    EXPECT_ERR(sys::msync(w + 3 * P, P, MS_ASYNC), ENOMEM);
    EXPECT_OK(sys::munmap(w, 4 * P));
}

// mmap(2) MAP_FIXED_NOREPLACE: a free range is mapped at exactly addr.
TEST(mmap, fixed_noreplace_free_range_exact, POSITIVE, LINUX) {
    u8* h = mm::hole(2);
    EXPECT_EQ(sys::mmap(h, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), long(h));
    EXPECT_TRUE(mm::all_zero(h, 2 * P));
    EXPECT_OK(sys::munmap(h, 2 * P));
}

// mmap(2), POSIX: with MAP_FIXED, an addr that is not a multiple of the page
// size is EINVAL.
TEST_P(mmap, fixed_unaligned_addr_einval, NEGATIVE, PSE51, kMisaligned) {
    u8* h = mm::hole(2);
    EXPECT_ERR(sys::mmap(h + row.off, P, RW, ANON | MAP_FIXED, -1, 0), EINVAL);
}

// mmap(2): MAP_FIXED_NOREPLACE needs a page-aligned addr like MAP_FIXED.
TEST_P(mmap, fixed_noreplace_unaligned_addr_einval, NEGATIVE, LINUX, kMisaligned) {
    u8* h = mm::hole(2);
    EXPECT_ERR(sys::mmap(h + row.off, P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0), EINVAL);
}

// mmap(2), POSIX: without MAP_FIXED addr is only a hint, so an unaligned one
// is no error, and the mapping still starts on a page boundary.
TEST(mmap, unaligned_hint_gives_aligned_mapping, BOUNDARY, PSE51) {
    u8* h = mm::hole(2);
    long r = sys::mmap(h + 123, P, RW, ANON, -1, 0);
    ASSERT_OK(r);
    EXPECT_EQ(r % long(P), 0);
    EXPECT_OK(sys::munmap(ptr(r), P));
}

// mmap(2): "If addr is not NULL ... the kernel takes it as a hint"; Linux
// places the mapping exactly there when the range is free.
TEST(mmap, free_hint_is_used, POSITIVE, LINUX) {
    u8* h = mm::hole(4);
    EXPECT_EQ(sys::mmap(h + P, 2 * P, RW, ANON, -1, 0), long(h + P));
    EXPECT_OK(sys::munmap(h + P, 2 * P));
}

// mmap(2), POSIX.1-2008: a length of zero is EINVAL.
TEST_P(mmap, zero_length_einval, NEGATIVE, PSE51, mm::kAnonKinds) {
    EXPECT_ERR(sys::mmap(nullptr, 0, RW, row.flags | MAP_ANONYMOUS, -1, 0), EINVAL);
}

// mmap(2): Linux checks the offset's alignment even for anonymous mappings,
// which otherwise ignore it.
TEST_P(mmap, anonymous_unaligned_offset_einval, NEGATIVE, LINUX, mm::kBadOffsets) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, ANON, -1, row.off), EINVAL);
}

struct Huge {
    const char* label;
    usize len;
    int flags;
};
constexpr Huge kHugeLengths[] = {
    {"private_len=SIZE_MAX", ~usize(0), MAP_PRIVATE},
    {"private_len=SIZE_MAX-4095", ~usize(0) - 4095, MAP_PRIVATE},
    {"private_len=2^63", usize(1) << 63, MAP_PRIVATE},
    {"private_len=2^56", usize(1) << 56, MAP_PRIVATE},
    {"shared_len=SIZE_MAX", ~usize(0), MAP_SHARED},
    {"shared_len=2^63", usize(1) << 63, MAP_SHARED},
};

// mmap(2), POSIX ENOMEM: "there is insufficient room in the address space to
// effect the mapping" — lengths beyond any user address space.
TEST_P(mmap, huge_length_enomem, NEGATIVE, PSE51, kHugeLengths) {
    EXPECT_ERR(sys::mmap(nullptr, row.len, RW, row.flags | MAP_ANONYMOUS, -1, 0), ENOMEM);
}

struct Addr {
    const char* label;
    u64 addr;
};
constexpr Addr kBeyondUser[] = {{"addr=-65536", ~u64(65535)},
                                {"addr=0xffff800000000000", 0xffff800000000000ull}};

// mmap(2), POSIX ENOMEM: "MAP_FIXED was specified, and the range
// [addr,addr+len) exceeds that allowed for the address space of a process".
TEST_P(mmap, fixed_beyond_user_space_enomem, NEGATIVE, PSE51, kBeyondUser) {
    EXPECT_ERR(sys::mmap(reinterpret_cast<void*>(row.addr), P, RW, ANON | MAP_FIXED, -1, 0),
               ENOMEM);
}

// mmap(2), POSIX EINVAL: "The value of flags is invalid (neither MAP_PRIVATE
// nor MAP_SHARED is set)"; Linux rejects every other value of MAP_TYPE too.
TEST_P(mmap, invalid_map_type_einval, NEGATIVE, PSE51, mm::kBadMapTypes) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, row.flags | MAP_ANONYMOUS, -1, 0), EINVAL);
}

// mmap(2): MAP_SHARED_VALIDATE is a type for file mappings; Linux rejects it
// for anonymous memory with EINVAL.
TEST(mmap, anonymous_shared_validate_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
}

struct FdRow {
    const char* label;
    int fd;  // -2: a descriptor that was just closed
};
constexpr FdRow kBadFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", INT_MAX}, {"fd=closed", -2}};

// mmap(2), POSIX EBADF: "The fildes argument is not a valid open file
// descriptor" (a mapping without MAP_ANONYMOUS maps fd).
TEST_P(mmap, bad_fd_ebadf, NEGATIVE, PSE51, kBadFds) {
    int fd = row.fd;
    if (fd == -2) {
        int fds[2];
        ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
        sys::close(fds[0]);
        sys::close(fds[1]);
        fd = fds[0];
    }
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, 0), EBADF);
}

constexpr FdRow kIgnoredFds[] = {{"fd=-2", -2}, {"fd=INT_MAX", INT_MAX}, {"fd=0", 0}};

// mmap(2): with MAP_ANONYMOUS Linux ignores fd (the man page asks for -1 for
// portability; Linux never looks at it).
TEST_P(mmap, anonymous_ignores_fd, BOUNDARY, LINUX, kIgnoredFds) {
    long r = sys::mmap(nullptr, P, RW, ANON, row.fd, 0);
    ASSERT_OK(r);
    EXPECT_TRUE(mm::all_zero(ptr(r), P));
    EXPECT_OK(sys::munmap(ptr(r), P));
}

// mmap(2), POSIX ENODEV: "fildes refers to a file whose type is not
// supported by mmap()" — a pipe.
TEST(mmap, pipe_enodev, NEGATIVE, PSE53) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fds[0], 0), ENODEV);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_PRIVATE, fds[0], 0), ENODEV);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// mmap(2) ENODEV: a directory cannot be mapped.
TEST(mmap, directory_enodev, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    long fd = sys::openat(kc::scratch_fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_OK(fd);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_PRIVATE, int(fd), 0), ENODEV);
    sys::close(int(fd));
}
