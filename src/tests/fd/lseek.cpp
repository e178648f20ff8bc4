// SPDX-License-Identifier: MIT
// lseek(2): SEEK_SET/SEEK_CUR/SEEK_END arithmetic on a scratch file, seeking
// past EOF (allowed; a later write leaves a zero-filled gap), negative
// results and invalid whence (EINVAL, offset unchanged), overflow, ESPIPE on
// pipes, bad and O_PATH descriptors, the offset shared by dup'd descriptors.
// Left out: the maximum offset of a file system (s_maxbytes differs between
// file systems), SEEK_DATA/SEEK_HOLE (tests/fs/seek.cpp), directories and
// devices.
#include "tests/fd/fd_common.hpp"

// lseek(2): EBADF when fd is not an open file descriptor.
TEST_P(lseek, bad_fd_ebadf, NEGATIVE, PSE52, fd::kBadFds) {
    EXPECT_ERR(sys::lseek(fd::bad_fd(row), 0, SEEK_SET), EBADF);
}

struct Seek {
    const char* label;
    int whence;
    long off;
    long want;  // from offset 4 in a 10-byte file
};
constexpr Seek kSeeks[] = {
    {"SEEK_SET+0", SEEK_SET, 0, 0},
    {"SEEK_SET+9", SEEK_SET, 9, 9},
    {"SEEK_SET+2^20", SEEK_SET, 1 << 20, 1 << 20},
    {"SEEK_CUR+0", SEEK_CUR, 0, 4},
    {"SEEK_CUR+3", SEEK_CUR, 3, 7},
    {"SEEK_CUR-4", SEEK_CUR, -4, 0},
    {"SEEK_END+0", SEEK_END, 0, 10},
    {"SEEK_END-3", SEEK_END, -3, 7},
    {"SEEK_END-10", SEEK_END, -10, 0},
    {"SEEK_END+5", SEEK_END, 5, 15},
};

// lseek(2): SEEK_SET sets the offset to off, SEEK_CUR to the current offset
// plus off, SEEK_END to the size plus off; the result is returned and the
// next read starts there. Seeking past EOF is allowed and changes no size.
TEST_P(lseek, whence_arithmetic, POSITIVE, PSE52, kSeeks, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    EXPECT_RET(sys::lseek(fd, 4, SEEK_SET), 4);
    EXPECT_RET(sys::lseek(fd, row.off, row.whence), row.want);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), row.want);
    char c = 0;
    EXPECT_RET(sys::read(fd, &c, 1), row.want < 10 ? 1 : 0);
    if (row.want < 10) EXPECT_EQ(c, '0' + row.want);
    EXPECT_RET(fd::file_size(fd), 10);
    sys::close(fd);
}

constexpr Seek kNegative[] = {
    {"SEEK_SET-1", SEEK_SET, -1, 0},
    {"SEEK_SET+LONG_MIN", SEEK_SET, LONG_MIN, 0},
    {"SEEK_CUR-5", SEEK_CUR, -5, 0},
    {"SEEK_END-11", SEEK_END, -11, 0},
    {"SEEK_END+LONG_MIN", SEEK_END, LONG_MIN, 0},
};

// lseek(2): "EINVAL ... the resulting file offset would be negative"; the
// offset stays where it was.
TEST_P(lseek, negative_result_einval, NEGATIVE, PSE52, kNegative, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    EXPECT_RET(sys::lseek(fd, 4, SEEK_SET), 4);
    EXPECT_ERR(sys::lseek(fd, row.off, row.whence), EINVAL);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    sys::close(fd);
}

// lseek(2) on Linux: an offset that overflows off_t is EINVAL (the sum wraps
// negative). POSIX specifies EOVERFLOW here; Linux returns EINVAL.
TEST(lseek, overflow_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    EXPECT_RET(sys::lseek(fd, 4, SEEK_SET), 4);
    EXPECT_ERR(sys::lseek(fd, LONG_MAX, SEEK_CUR), EINVAL);
    EXPECT_ERR(sys::lseek(fd, LONG_MAX, SEEK_END), EINVAL);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    sys::close(fd);
}

struct Whence {
    const char* label;
    int whence;
};
constexpr Whence kBadWhence[] = {
    {"whence=5", 5},  // one past SEEK_HOLE
    {"whence=-1", -1},
    {"whence=INT_MAX", INT_MAX},
    {"whence=INT_MIN", INT_MIN},
};

// lseek(2): EINVAL when whence is not valid; the offset is unchanged.
TEST_P(lseek, bad_whence_einval, NEGATIVE, PSE52, kBadWhence, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    EXPECT_RET(sys::lseek(fd, 4, SEEK_SET), 4);
    EXPECT_ERR(sys::lseek(fd, 0, row.whence), EINVAL);
    EXPECT_ERR(sys::lseek(fd, 1, row.whence), EINVAL);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    sys::close(fd);
}

constexpr Whence kPipeWhence[] = {
    {"SEEK_SET", SEEK_SET}, {"SEEK_CUR", SEEK_CUR}, {"SEEK_END", SEEK_END}};

// lseek(2): "ESPIPE: fd is associated with a pipe" (both ends, any whence;
// even a zero SEEK_CUR that would only report the offset).
TEST_P(lseek, pipe_espipe, NEGATIVE, PSE53, kPipeWhence) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_ERR(sys::lseek(p[0], 0, row.whence), ESPIPE);
    EXPECT_ERR(sys::lseek(p[1], 0, row.whence), ESPIPE);
    fd::close_pair(p);
}

// lseek(2): a write after seeking past EOF extends the file; "subsequent
// reads of data in the gap return null bytes".
TEST(lseek, write_past_eof_zero_fills_gap, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "ab", 2, O_RDWR);
    EXPECT_RET(sys::lseek(fd, 4000, SEEK_SET), 4000);
    EXPECT_RET(fd::file_size(fd), 2);
    EXPECT_RET(sys::write(fd, "Z", 1), 1);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4001);
    EXPECT_RET(fd::file_size(fd), 4001);
    u8 buf[4001];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 4001);
    usize nonzero = 0;
    for (usize i = 2; i < 4000; ++i) nonzero += buf[i] != 0;
    EXPECT_EQ(long(nonzero), 0);
    EXPECT_EQ(buf[4000], 'Z');
    sys::close(fd);
}

// open(2) O_PATH: operations other than a few (close, fcntl, fstat...) fail
// with EBADF; lseek is one of them.
TEST(lseek, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_PATH);
    EXPECT_ERR(sys::lseek(fd, 0, SEEK_SET), EBADF);
    sys::close(fd);
}

// lseek(2) on descriptors from dup(2): they share one open file description,
// so one offset.
TEST(lseek, offset_shared_with_dup, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    long d = sys::dup(fd);
    ASSERT_OK(d);
    EXPECT_RET(sys::lseek(fd, 6, SEEK_SET), 6);
    EXPECT_RET(sys::lseek(int(d), 0, SEEK_CUR), 6);
    EXPECT_RET(sys::lseek(int(d), -2, SEEK_CUR), 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    sys::close(int(d));
    sys::close(fd);
}
