// SPDX-License-Identifier: MIT
// mmap(2): anonymous memory (zero fill, private vs shared across fork),
// placement (MAP_FIXED replacing, MAP_FIXED_NOREPLACE, hints, MAP_GROWSDOWN),
// protection faults, file mappings (both directions of coherence, offsets, the
// partial last page, SIGBUS past EOF, access-mode checks), Linux extras
// (MAP_POPULATE, MAP_LOCKED and RLIMIT_MEMLOCK, MAP_SHARED_VALIDATE,
// mmap_min_addr) and the argument checks: EINVAL, ENOMEM (huge lengths,
// RLIMIT_AS, vm.max_map_count), EBADF, EACCES, ENODEV, EOVERFLOW, EOPNOTSUPP,
// EPERM, EAGAIN; map/unmap cycles across a lowered RLIMIT_AS.
// Left out: MAP_HUGETLB (depends on the host's huge page pool), MAP_32BIT
// (x86 only), PROT_EXEC (needs arch-specific code bytes), MAP_SYNC (needs DAX),
// MAP_DROPPABLE and MAP_UNINITIALIZED (no observable contract to test).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;
constexpr int ANON = MAP_PRIVATE | MAP_ANONYMOUS;

u8* ptr(long r) { return reinterpret_cast<u8*>(r); }

struct Kind {
    const char* label;
    int flags;
};
constexpr Kind kAnonKinds[] = {{"private", MAP_PRIVATE}, {"shared", MAP_SHARED}};

struct Off {
    const char* label;
    long off;
};
constexpr Off kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};
constexpr Off kBadOffsets[] = {
    {"off=1", 1}, {"off=2048", 2048}, {"off=4095", 4095}, {"off=-1", -1}};

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadTypes[] = {{"type=0", 0}, {"type=0x4", 4}, {"type=0x7", 7}, {"type=0xf", 0xf}};

}  // namespace

// mmap(2), MAP_ANONYMOUS (POSIX.1-2024): a fresh anonymous mapping reads as
// zeros and keeps what is stored in it.
TEST_P(mmap, anonymous_zero_filled, POSITIVE, PSE51, kAnonKinds) {
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
TEST_P(mmap, zero_length_einval, NEGATIVE, PSE51, kAnonKinds) {
    EXPECT_ERR(sys::mmap(nullptr, 0, RW, row.flags | MAP_ANONYMOUS, -1, 0), EINVAL);
}

// mmap(2): Linux checks the offset's alignment even for anonymous mappings,
// which otherwise ignore it.
TEST_P(mmap, anonymous_unaligned_offset_einval, NEGATIVE, LINUX, kBadOffsets) {
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
TEST_P(mmap, invalid_map_type_einval, NEGATIVE, PSE51, kBadTypes) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, row.flags | MAP_ANONYMOUS, -1, 0), EINVAL);
}

// mmap(2): MAP_SHARED_VALIDATE is a type for file mappings; Linux rejects it
// for anonymous memory with EINVAL.
TEST(mmap, anonymous_shared_validate_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), EINVAL);
}

struct Fd {
    const char* label;
    int fd;  // -2: a descriptor that was just closed
};
constexpr Fd kBadFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", INT_MAX}, {"fd=closed", -2}};

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

constexpr Fd kIgnoredFds[] = {{"fd=-2", -2}, {"fd=INT_MAX", INT_MAX}, {"fd=0", 0}};

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

// mmap(2) MAP_SHARED, POSIX: stores through a shared file mapping change the
// file (read back with pread).
TEST(mmap, shared_file_store_reaches_file, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 2 * P, 1);
    long r = sys::mmap(nullptr, 2 * P, RW, MAP_SHARED, fd, 0);
    if (EXPECT_OK(r)) {
        u8* p = ptr(r);
        EXPECT_TRUE(mm::has_pattern(p, P, 1));
        EXPECT_TRUE(mm::has_pattern(p + P, P, 2));
        mm::fill(p + P, P, 9);
        u8 buf[256];
        EXPECT_RET(sys::pread64(fd, buf, sizeof buf, long(P)), long(sizeof buf));
        EXPECT_TRUE(mm::has_pattern(buf, sizeof buf, 9));
        EXPECT_OK(sys::munmap(p, 2 * P));
    }
    sys::close(fd);
}

// mmap(2) MAP_SHARED: data written to the file with pwrite after the mapping
// was made shows in the mapping (one page cache).
TEST(mmap, file_write_visible_in_shared_mapping, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    long r = sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, 0);
    if (EXPECT_OK(r)) {
        u8 buf[100];
        mm::fill(buf, sizeof buf, 40);
        EXPECT_RET(sys::pwrite64(fd, buf, sizeof buf, 200), long(sizeof buf));
        EXPECT_MEM_EQ(ptr(r) + 200, buf, sizeof buf);
        EXPECT_OK(sys::munmap(ptr(r), P));
    }
    sys::close(fd);
}

// mmap(2) MAP_PRIVATE, POSIX: "modifications to the mapped data by the
// calling process shall be visible only to the calling process and shall not
// change the underlying object".
TEST(mmap, private_file_store_stays_private, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    long r = sys::mmap(nullptr, P, RW, MAP_PRIVATE, fd, 0);
    if (EXPECT_OK(r)) {
        mm::fill(ptr(r), P, 8);
        u8 buf[256];
        EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), long(sizeof buf));
        EXPECT_TRUE(mm::has_pattern(buf, sizeof buf, 1));
        EXPECT_TRUE(mm::has_pattern(ptr(r), P, 8));
        EXPECT_OK(sys::munmap(ptr(r), P));
    }
    sys::close(fd);
}

// mmap(2): the mapping starts at byte `off` of the file.
TEST(mmap, file_offset_selects_pages, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 3 * P, 10);
    long r = sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, long(2 * P));
    if (EXPECT_OK(r)) {
        EXPECT_TRUE(mm::has_pattern(ptr(r), P, 12));
        EXPECT_OK(sys::munmap(ptr(r), P));
    }
    r = sys::mmap(nullptr, 2 * P, PROT_READ, MAP_PRIVATE, fd, long(P));
    if (EXPECT_OK(r)) {
        EXPECT_TRUE(mm::has_pattern(ptr(r), P, 11));
        EXPECT_TRUE(mm::has_pattern(ptr(r) + P, P, 12));
        EXPECT_OK(sys::munmap(ptr(r), 2 * P));
    }
    sys::close(fd);
}

// mmap(2), POSIX: in the page holding the end of the file, the bytes past
// the end read as zero, and stores there are not written to the file.
TEST(mmap, partial_last_page_zero_filled, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 100, 3);
    long r = sys::mmap(nullptr, P, RW, MAP_SHARED, fd, 0);
    if (EXPECT_OK(r)) {
        u8* p = ptr(r);
        EXPECT_TRUE(mm::has_pattern(p, 100, 3));
        EXPECT_TRUE(mm::all_zero(p + 100, P - 100));
        p[P - 1] = 0x77;
        EXPECT_OK(sys::msync(p, P, MS_SYNC));
        arch::Stat st{};
        EXPECT_OK(sys::fstat(fd, &st));
        EXPECT_EQ(st.st_size, 100);
        EXPECT_OK(sys::munmap(p, P));
    }
    sys::close(fd);
}

// mmap(2), POSIX: "References within the address range ... to whole pages
// following the end of an object shall result in delivery of a SIGBUS"
// (si_code BUS_ADRERR, si_addr the address).
TEST(mmap, whole_page_past_eof_sigbus, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = mm::make_file("f", 100, 3);
    long r = sys::mmap(nullptr, 2 * P, PROT_READ, MAP_SHARED, fd, 0);
    sys::close(fd);
    ASSERT_OK(r);
    EXPECT_EQ(mm::touch(ptr(r) + P + 8, false), mm::kBusAdrerr);
    EXPECT_EQ(mm::touch(ptr(r) + 8, false), 0);
    EXPECT_OK(sys::munmap(ptr(r), 2 * P));
}

struct Access {
    const char* label;
    int oflags;
    int flags;
    int prot;
};
constexpr Access kDeniedAccess[] = {
    {"rdonly_shared_write", O_RDONLY, MAP_SHARED, PROT_READ | PROT_WRITE},
    {"wronly_shared_read", O_WRONLY, MAP_SHARED, PROT_READ},
    {"wronly_shared_write", O_WRONLY, MAP_SHARED, PROT_WRITE},
    {"wronly_private_read", O_WRONLY, MAP_PRIVATE, PROT_READ},
    {"wronly_private_none", O_WRONLY, MAP_PRIVATE, PROT_NONE},
};

// mmap(2), POSIX EACCES: "fildes is not open for read, regardless of the
// protection specified, or fildes is not open for write and PROT_WRITE was
// specified for a MAP_SHARED type mapping".
TEST_P(mmap, fd_access_mode_eacces, NEGATIVE, PSE52, kDeniedAccess, .flags = kc::NEEDS_SCRATCH) {
    sys::close(mm::make_file("f", P, 1));
    int fd = mm::reopen("f", row.oflags);
    EXPECT_ERR(sys::mmap(nullptr, P, row.prot, row.flags, fd, 0), EACCES);
    sys::close(fd);
}

// mmap(2): a MAP_PRIVATE mapping of a read-only descriptor may be writable:
// the stores go to private copies, never to the file.
TEST(mmap, readonly_fd_private_mapping_writable, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    sys::close(mm::make_file("f", P, 1));
    int fd = mm::reopen("f", O_RDONLY);
    long r = sys::mmap(nullptr, P, RW, MAP_PRIVATE, fd, 0);
    if (EXPECT_OK(r)) {
        mm::fill(ptr(r), 64, 6);
        u8 buf[64];
        EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), long(sizeof buf));
        EXPECT_TRUE(mm::has_pattern(buf, sizeof buf, 1));
        EXPECT_OK(sys::munmap(ptr(r), P));
    }
    sys::close(fd);
}

// mmap(2): an O_PATH descriptor cannot be used for I/O, so mmap sees EBADF.
TEST(mmap, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    sys::close(mm::make_file("f", P, 1));
    int fd = mm::reopen("f", O_PATH);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_PRIVATE, fd, 0), EBADF);
    sys::close(fd);
}

// mmap(2), POSIX: a file offset that is not a multiple of the page size is
// EINVAL.
TEST_P(mmap, file_unaligned_offset_einval, NEGATIVE, PSE52, kBadOffsets,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 2 * P, 1);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, row.off), EINVAL);
    sys::close(fd);
}

// mmap(2): zero length and an invalid mapping type are EINVAL for files too.
TEST_P(mmap, file_invalid_map_type_einval, NEGATIVE, PSE52, kBadTypes, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, row.flags, fd, 0), EINVAL);
    EXPECT_ERR(sys::mmap(nullptr, 0, PROT_READ, MAP_SHARED, fd, 0), EINVAL);
    sys::close(fd);
}

// mmap(2), POSIX EOVERFLOW: "the value of off plus len exceeds the offset
// maximum established in the open file description".
TEST(mmap, offset_plus_length_past_max_eoverflow, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    EXPECT_ERR(sys::mmap(nullptr, 2 * P, PROT_READ, MAP_SHARED, fd, 0x7ffffffffffff000L),
               EOVERFLOW);
    sys::close(fd);
}

// mmap(2): a negative (page-aligned) offset is EOVERFLOW on Linux: taken as
// unsigned it lies beyond the largest file offset.
TEST(mmap, negative_offset_eoverflow, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, -long(P)), EOVERFLOW);
    sys::close(fd);
}

constexpr Flags kUnknownMapFlags[] = {{"flag=0x200000", 0x200000}, {"flag=0x800000", 0x800000}};

// mmap(2) MAP_SHARED_VALIDATE (Linux 4.15): unknown flags fail with
// EOPNOTSUPP, where plain MAP_SHARED silently ignores them.
TEST_P(mmap, shared_validate_unknown_flag_eopnotsupp, NEGATIVE, LINUX, kUnknownMapFlags,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED_VALIDATE | row.flags, fd, 0),
               EOPNOTSUPP);
    long r = sys::mmap(nullptr, P, PROT_READ, MAP_SHARED | row.flags, fd, 0);
    if (EXPECT_OK(r)) EXPECT_OK(sys::munmap(ptr(r), P));
    sys::close(fd);
}

// mmap(2) MAP_SHARED_VALIDATE: with known flags only it is a shared mapping.
TEST(mmap, shared_validate_maps_shared, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", P, 1);
    long r = sys::mmap(nullptr, P, RW, MAP_SHARED_VALIDATE, fd, 0);
    if (EXPECT_OK(r)) {
        mm::fill(ptr(r), 64, 5);
        u8 buf[64];
        EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), long(sizeof buf));
        EXPECT_TRUE(mm::has_pattern(buf, sizeof buf, 5));
        EXPECT_OK(sys::munmap(ptr(r), P));
    }
    sys::close(fd);
}

struct Rw {
    const char* label;
    bool write;
};
constexpr Rw kAccesses[] = {{"read", false}, {"write", true}};

// mmap(2) PROT_NONE, POSIX: "the page may not be accessed"; an access is
// SIGSEGV with si_code SEGV_ACCERR and si_addr the faulting address.
TEST_P(mmap, prot_none_access_sigsegv, NEGATIVE, PSE53, kAccesses, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1, PROT_NONE);
    EXPECT_EQ(mm::touch(p + 100, row.write), mm::kSegvAccerr);
    EXPECT_OK(sys::munmap(p, P));
}

// mmap(2) PROT_READ: reading works and writing is SIGSEGV/SEGV_ACCERR.
TEST(mmap, prot_read_write_sigsegv, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1, PROT_READ);
    EXPECT_TRUE(mm::all_zero(p, P));
    EXPECT_EQ(mm::touch(p + P - 1, false), 0);
    EXPECT_EQ(mm::touch(p + P - 1, true), mm::kSegvAccerr);
    EXPECT_OK(sys::munmap(p, P));
}

// Builds [w, w+16P) mapped `below` (PROT_NONE or an accessible protection),
// [w+16P, w+60P) free and [w+60P, w+64P) MAP_GROWSDOWN; returns w. The
// growing mapping is small: a stack may not grow beyond RLIMIT_STACK
// (acct_stack_growth), which prlimit --stack=65536 makes 16 pages.
static u8* growsdown_layout(int below) {
    u8* w = mm::map(64, below);
    EXPECT_OK(sys::munmap(w + 16 * P, 44 * P));
    long g = sys::mmap(w + 60 * P, 4 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
    ASSERT_EQ(g, long(w + 60 * P));
    return w;
}
constexpr usize kGrownPages = 5;  // the MAP_GROWSDOWN mapping after one page of growth

// mmap(2) MAP_GROWSDOWN: a fault just below the mapping extends it downwards
// (as for a stack). An inaccessible mapping below needs no guard gap.
TEST(mmap, growsdown_extends_on_fault_below, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_rlimit(RLIMIT_STACK, "RLIMIT_STACK", kGrownPages * P);
    u8* w = growsdown_layout(PROT_NONE);
    mm::run_in_child(
        [](void* a) {
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_STACK, kGrownPages * P));
            u8* below = static_cast<u8*>(a) + 59 * P;
            EXPECT_ERR(sys::msync(below, P, MS_ASYNC), ENOMEM);
            below[8] = 0x42;
            EXPECT_EQ(below[8], 0x42);
            EXPECT_OK(sys::msync(below, P, MS_ASYNC));  // now mapped
        },
        w, "");
    EXPECT_OK(sys::munmap(w, 64 * P));
}

// mmap(2) MAP_GROWSDOWN: growth stops at the stack guard gap (256 pages by
// default) above an accessible mapping: the access is SIGSEGV/SEGV_MAPERR.
TEST(mmap, growsdown_respects_guard_gap, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* w = growsdown_layout(PROT_READ);
    EXPECT_EQ(mm::touch(w + 59 * P + 8, true), mm::kSegvMaperr);
    EXPECT_OK(sys::munmap(w, 64 * P));
}

// mmap(2): MAP_GROWSDOWN is only for private mappings; shared anonymous is
// EINVAL.
TEST(mmap, shared_growsdown_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0),
               EINVAL);
}

// mmap(2) MAP_POPULATE: the pages are faulted in by the call (mincore).
TEST_P(mmap, populate_prefaults_pages, POSITIVE, LINUX, kAnonKinds) {
    long r = sys::mmap(nullptr, 4 * P, RW, row.flags | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    ASSERT_OK(r);
    EXPECT_EQ(mm::resident(ptr(r), 4), 4);
    EXPECT_TRUE(mm::all_zero(ptr(r), 4 * P));
    EXPECT_OK(sys::munmap(ptr(r), 4 * P));
}

// mmap(2) EPERM: mapping below vm.mmap_min_addr needs CAP_SYS_RAWIO (the
// child drops every capability).
TEST(mmap, below_mmap_min_addr_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long min_addr = mm::read_proc_number("/proc/sys/vm/mmap_min_addr");
    if (min_addr < 0) kc::skip("cannot read /proc/sys/vm/mmap_min_addr");
    if (min_addr == 0) kc::skip("vm.mmap_min_addr is 0");
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, P, RW, ANON | MAP_FIXED, -1, 0), EPERM);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: "EAGAIN ... too much memory has been locked" — a locked
// mapping beyond RLIMIT_MEMLOCK fails without CAP_IPC_LOCK; one within it is
// populated.
TEST(mmap, locked_over_memlock_rlimit_eagain, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_rlimit(RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", 4 * P);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 4 * P));
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, 16 * P, RW, ANON | MAP_LOCKED, -1, 0), EAGAIN);
            long r = sys::mmap(nullptr, 2 * P, RW, ANON | MAP_LOCKED, -1, 0);
            ASSERT_OK(r);
            EXPECT_EQ(mm::resident(ptr(r), 2), 2);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: with RLIMIT_MEMLOCK 0 an unprivileged process (no
// CAP_IPC_LOCK) may not lock at all: EPERM.
TEST(mmap, locked_zero_memlock_rlimit_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 0));
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, P, RW, ANON | MAP_LOCKED, -1, 0), EPERM);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: CAP_IPC_LOCK ignores RLIMIT_MEMLOCK.
TEST(mmap, locked_root_ignores_memlock_rlimit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_IPC_LOCK);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 0));
            long r = sys::mmap(nullptr, 16 * P, RW, ANON | MAP_LOCKED, -1, 0);
            ASSERT_OK(r);
            EXPECT_EQ(mm::resident(ptr(r), 16), 16);
        },
        nullptr, "");
}

// mmap(2) ENOMEM, setrlimit(2) RLIMIT_AS: "mmap() ... shall fail with errno
// set to [ENOMEM]" when the address space would exceed the limit (256 MiB, or
// the run's hard limit when that is lower: prlimit --as).
TEST(mmap, over_rlimit_as_enomem, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            u64 limit = mm::hard_rlimit(RLIMIT_AS);
            if (limit > 256ul << 20) limit = 256ul << 20;
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_AS, limit));
            EXPECT_ERR(sys::mmap(nullptr, 2 * limit, PROT_NONE, ANON, -1, 0), ENOMEM);
            long r = sys::mmap(nullptr, 1ul << 20, RW, ANON, -1, 0);
            EXPECT_OK(r);
        },
        nullptr, "");
}

// mmap(2) ENOMEM: "The process's maximum number of mappings would have been
// exceeded" (vm.max_map_count); mappings are kept apart by alternating
// protections so that none merge. Each one is a page of address space, so
// RLIMIT_AS must leave room for them all. 65,530 mmap calls take 0.2 s
// natively but over 10 s under a tracer (strace -f): a deadline of its own.
TEST(mmap, map_count_limit_enomem, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::VERY_SLOW,
     .timeout_ms = 60000) {
    static long max_count;
    max_count = mm::read_proc_number("/proc/sys/vm/max_map_count");
    if (max_count < 0) kc::skip("cannot read /proc/sys/vm/max_map_count");
    if (max_count > (1l << 20)) kc::skip("vm.max_map_count above 2^20: too slow to exhaust");
    static u64 room;
    room = mm::mapped_pages();
    room = room == ~usize(0) ? RLIM_INFINITY : (room + usize(max_count) + 256) * P;
    mm::need_rlimit(RLIMIT_AS, "RLIMIT_AS", room);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_AS, room));
            long r = 0, n = 0;
            for (; n <= max_count; ++n) {
                r = sys::mmap(nullptr, P, n & 1 ? PROT_READ : PROT_NONE, ANON, -1, 0);
                if (mm::is_err(r)) break;
            }
            EXPECT_ERR(r, ENOMEM);
            // the process had a few dozen mappings before the loop
            EXPECT_LE(n, max_count);
            EXPECT_GT(n, max_count - 200);
        },
        nullptr, "");
}

// mmap(2)/munmap(2): map/unmap cycles leak nothing. The loop crosses
// RLIMIT_AS, lowered to 256 KiB above what the process maps
// (common::limit_vm_room), four times over: a leaked 2-page mapping (or its
// accounting) fails it with ENOMEM within 32 of its 128 rounds. Afterwards
// the room, less 64 KiB of slack, can still be mapped. (The ID keeps its old
// count, 10,000, which crossed no limit.)
TEST(mmap, map_unmap_10000_cycles, BOUNDARY, PSE51) {
    common::limit_vm_room(RLIMIT_AS, common::kVmLeakRoom);
    constexpr int kRounds = 4 * common::kVmLeakRoom / (2 * P);
    for (int i = 0; i < kRounds; ++i) {
        long r = sys::mmap(nullptr, 2 * P, RW, ANON, -1, 0);
        if (mm::is_err(r)) ASSERT_OK(r);
        ptr(r)[P] = u8(i);
        long u = sys::munmap(ptr(r), 2 * P);
        if (u) ASSERT_OK(u);
    }
    constexpr usize n = (common::kVmLeakRoom - common::kVmSlack) / P;
    u8* p = mm::map(n);
    p[0] = 1;
    p[n * P - 1] = 2;
    EXPECT_OK(sys::munmap(p, n * P));
}
