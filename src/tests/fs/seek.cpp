// SPDX-License-Identifier: MIT
// lseek(2) SEEK_DATA and SEEK_HOLE: data at the start of a written file, the
// implicit hole at the end, holes and data of a sparse file, ENXIO at and
// beyond the end, ESPIPE on a pipe. Plain SEEK_SET/CUR/END belong to the fd
// tests.
// Left out: nothing a portable test can see; a file system without hole
// support reports the whole file as data, and the sparse-file test skips.
#include "tests/fs/fs_util.hpp"

namespace {

constexpr long kHoleAt = 64 * 1024, kDataAt = 1024 * 1024, kSparseSize = 2 * 1024 * 1024;

// "f": 4096 bytes of data at kDataAt, holes elsewhere, size kSparseSize.
int sparse_or_skip() {
    int fd = fs::create("f");
    char buf[4096];
    fs::fill(buf, sizeof buf - 1, 'd');
    ASSERT_RET(sys::pwrite64(fd, buf, 4096, kDataAt), 4096);
    ASSERT_OK(sys::ftruncate(fd, kSparseSize));
    if (sys::lseek(fd, 0, SEEK_HOLE) == kSparseSize) {
        sys::close(fd);
        kc::skip("the file system reports no holes (all data)");
    }
    return fd;
}

}  // namespace

// lseek(2) SEEK_DATA/SEEK_HOLE on a fully written file: data starts at the
// offset asked for, the only hole is the implicit one at the end.
TEST(lseek, seek_data_hole_written_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "0123456789");
    EXPECT_RET(sys::lseek(fd, 0, SEEK_DATA), 0);
    EXPECT_RET(sys::lseek(fd, 4, SEEK_DATA), 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_HOLE), 10);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 10);  // the offset moved there
    EXPECT_RET(sys::lseek(fd, 9, SEEK_HOLE), 10);
    sys::close(fd);
}

// lseek(2) SEEK_DATA/SEEK_HOLE on a sparse file: the next data after a hole,
// the next hole after data, and the hole at the start.
TEST(lseek, seek_data_hole_sparse_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = sparse_or_skip();
    EXPECT_RET(sys::lseek(fd, 0, SEEK_HOLE), 0);
    EXPECT_RET(sys::lseek(fd, kHoleAt, SEEK_HOLE), kHoleAt);
    // Hole granularity is the block size: the data block is found exactly.
    EXPECT_RET(sys::lseek(fd, 0, SEEK_DATA), kDataAt);
    EXPECT_RET(sys::lseek(fd, kDataAt + 100, SEEK_DATA), kDataAt + 100);
    EXPECT_RET(sys::lseek(fd, kDataAt, SEEK_HOLE), kDataAt + 4096);
    EXPECT_ERR(sys::lseek(fd, kDataAt + 4096, SEEK_DATA), ENXIO);  // only a hole follows
    sys::close(fd);
}

// lseek(2) ENXIO: SEEK_DATA or SEEK_HOLE at or beyond the end of the file,
// or at a negative offset; the file offset is unchanged.
struct EofRow {
    const char* label;
    long off;
    int whence;
};
constexpr EofRow kBeyondEof[] = {
    {"data_at_eof", 10, SEEK_DATA},         {"data_past_eof", 11, SEEK_DATA},
    {"hole_at_eof", 10, SEEK_HOLE},         {"hole_far_past_eof", 1l << 40, SEEK_HOLE},
    {"data_negative", -1, SEEK_DATA},       {"hole_negative", -1, SEEK_HOLE},
    {"data_long_max", LONG_MAX, SEEK_DATA},
};
TEST_P(lseek, seek_data_hole_beyond_eof_enxio, NEGATIVE, LINUX, kBeyondEof,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "0123456789");
    ASSERT_RET(sys::lseek(fd, 3, SEEK_SET), 3);
    EXPECT_ERR(sys::lseek(fd, row.off, row.whence), ENXIO);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 3);
    sys::close(fd);
}

// lseek(2) ENXIO: an empty file has neither data nor a hole at offset 0.
TEST(lseek, seek_data_hole_empty_file_enxio, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    EXPECT_ERR(sys::lseek(fd, 0, SEEK_DATA), ENXIO);
    EXPECT_ERR(sys::lseek(fd, 0, SEEK_HOLE), ENXIO);
    sys::close(fd);
}

// lseek(2) ESPIPE: a pipe has no offset, whatever the whence.
TEST(lseek, seek_data_hole_pipe_espipe, NEGATIVE, LINUX) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::lseek(p[0], 0, SEEK_DATA), ESPIPE);
    EXPECT_ERR(sys::lseek(p[0], 0, SEEK_HOLE), ESPIPE);
    sys::close(p[0]);
    sys::close(p[1]);
}
