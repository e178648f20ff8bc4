// SPDX-License-Identifier: MIT
// mmap(2) of files: both directions of coherence through MAP_SHARED, private
// stores that stay private, offsets, the zero-filled partial last page,
// SIGBUS past EOF, the access-mode checks (EACCES, O_PATH's EBADF), the
// argument checks of file mappings (EINVAL, EOVERFLOW), and
// MAP_SHARED_VALIDATE (EOPNOTSUPP for unknown flags).
// Left out: what mmap.cpp lists.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

using namespace mm::mmap_shorthands;

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
TEST_P(mmap, file_unaligned_offset_einval, NEGATIVE, PSE52, mm::kBadOffsets,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 2 * P, 1);
    EXPECT_ERR(sys::mmap(nullptr, P, PROT_READ, MAP_SHARED, fd, row.off), EINVAL);
    sys::close(fd);
}

// mmap(2): zero length and an invalid mapping type are EINVAL for files too.
TEST_P(mmap, file_invalid_map_type_einval, NEGATIVE, PSE52, mm::kBadMapTypes,
       .flags = kc::NEEDS_SCRATCH) {
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

constexpr mm::MapFlagsRow kUnknownMapFlags[] = {{"flag=0x200000", 0x200000},
                                                {"flag=0x800000", 0x800000}};

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
