// SPDX-License-Identifier: MIT
// pread64(2), pwrite64(2), preadv(2), pwritev(2): I/O at an explicit offset
// that leaves the file offset alone, reads at and past EOF, writes past EOF
// (zero-filled gap), negative offsets and offset+count overflow (EINVAL),
// ESPIPE on pipes, bad descriptors and descriptors open in the other
// direction, IOV_MAX limits.
// Left out: pwrite with O_APPEND (tests/fs/open.cpp has
// openat.append_pwrite_appends), the RWF_* flags of preadv2/pwritev2,
// EFBIG/EOVERFLOW at the file system's maximum size (it differs between file
// systems), EINTR.
#include "tests/fd/fd_common.hpp"

// pread(2): EBADF when fd is not a valid descriptor open for reading.
TEST_P(pread64, bad_fd_ebadf, NEGATIVE, PSE51, fd::kBadFds) {
    char c;
    EXPECT_ERR(sys::pread64(fd::bad_fd(row), &c, 1, 0), EBADF);
}

// pread(2): "reads ... at offset ... The file offset is not changed."
TEST(pread64, reads_at_offset_keeps_file_offset, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    EXPECT_RET(sys::lseek(fd, 2, SEEK_SET), 2);
    char buf[8] = {};
    EXPECT_RET(sys::pread64(fd, buf, 3, 5), 3);
    EXPECT_MEM_EQ(buf, "567", 3);
    EXPECT_RET(sys::pread64(fd, buf, 2, 0), 2);
    EXPECT_MEM_EQ(buf, "01", 2);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 2);
    EXPECT_RET(sys::read(fd, buf, 1), 1);
    EXPECT_EQ(buf[0], '2');
    sys::close(fd);
}

struct EofCase {
    const char* label;
    long off;
    long want;  // bytes returned for a 10-byte read of a 10-byte file
};
constexpr EofCase kEofCases[] = {
    {"off=7", 7, 3},   {"off=9", 9, 1},           {"off=10", 10, 0},
    {"off=11", 11, 0}, {"off=2^40", 1l << 40, 0},
};

// pread(2): a read that crosses EOF is short; at or past EOF it returns 0.
TEST_P(pread64, at_and_past_eof, BOUNDARY, PSE52, kEofCases, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    char buf[10] = {};
    EXPECT_RET(sys::pread64(fd, buf, 10, row.off), row.want);
    if (row.want) EXPECT_MEM_EQ(buf, "0123456789" + row.off, usize(row.want));
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
    sys::close(fd);
}

// pread(2): a zero count returns 0 and reads nothing.
TEST(pread64, count_zero_returns_zero, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    char c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 0, 1), 0);
    EXPECT_EQ(c, 0);
    sys::close(fd);
}

struct NegOff {
    const char* label;
    long off;
};
constexpr NegOff kNegOffs[] = {{"off=-1", -1}, {"off=LONG_MIN", LONG_MIN}};

// pread(2): EINVAL when offset is negative.
TEST_P(pread64, negative_offset_einval, NEGATIVE, PSE52, kNegOffs, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    char c;
    EXPECT_ERR(sys::pread64(fd, &c, 1, row.off), EINVAL);
    sys::close(fd);
}

// pread(2) on Linux: an offset whose sum with count overflows loff_t is
// EINVAL (rw_verify_area). POSIX would allow EOVERFLOW for a regular file;
// Linux returns EINVAL.
TEST(pread64, offset_plus_count_overflow_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    char buf[16] = {};
    EXPECT_ERR(sys::pread64(fd, buf, 16, LONG_MAX - 5), EINVAL);
    sys::close(fd);
}

// pread(2): "ESPIPE: fd is associated with a pipe" (for either end, checked
// before the access mode); nothing is consumed.
TEST(pread64, pipe_espipe, NEGATIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "q", 1), 1);
    char c = 0;
    EXPECT_ERR(sys::pread64(p[0], &c, 1, 0), ESPIPE);
    EXPECT_ERR(sys::pread64(p[1], &c, 1, 0), ESPIPE);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'q');
    fd::close_pair(p);
}

// pread(2): EBADF when the file is open for writing only.
TEST(pread64, write_only_fd_ebadf, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_WRONLY);
    char c;
    EXPECT_ERR(sys::pread64(fd, &c, 1, 0), EBADF);
    sys::close(fd);
}

// pwrite(2): EBADF when fd is not a valid descriptor open for writing.
TEST_P(pwrite64, bad_fd_ebadf, NEGATIVE, PSE51, fd::kBadFds) {
    EXPECT_ERR(sys::pwrite64(fd::bad_fd(row), "x", 1, 0), EBADF);
}

// pwrite(2): writes at offset; the file offset is not changed.
TEST(pwrite64, writes_at_offset_keeps_file_offset, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDWR);
    EXPECT_RET(sys::lseek(fd, 1, SEEK_SET), 1);
    EXPECT_RET(sys::pwrite64(fd, "AB", 2, 7), 2);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 1);
    EXPECT_RET(fd::file_size(fd), 10);
    char buf[10] = {};
    EXPECT_RET(sys::pread64(fd, buf, 10, 0), 10);
    EXPECT_MEM_EQ(buf, "0123456AB9", 10);
    sys::close(fd);
}

// pwrite(2) past EOF extends the file; the gap reads back as zero bytes.
TEST(pwrite64, past_eof_zero_fills_gap, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_RET(sys::pwrite64(fd, "Z", 1, 5000), 1);
    EXPECT_RET(fd::file_size(fd), 5001);
    u8 buf[5001];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 5001);
    EXPECT_MEM_EQ(buf, "abc", 3);
    usize nonzero = 0;
    for (usize i = 3; i < 5000; ++i) nonzero += buf[i] != 0;
    EXPECT_EQ(long(nonzero), 0);
    EXPECT_EQ(buf[5000], 'Z');
    sys::close(fd);
}

// pwrite(2): a zero count returns 0 and does not extend the file to offset.
TEST(pwrite64, count_zero_returns_zero, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_RET(sys::pwrite64(fd, "x", 0, 100), 0);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// pwrite(2): EINVAL when offset is negative; the file is unchanged.
TEST_P(pwrite64, negative_offset_einval, NEGATIVE, PSE52, kNegOffs, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_ERR(sys::pwrite64(fd, "x", 1, row.off), EINVAL);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// pwrite(2) on Linux: likewise EINVAL when offset + count overflows loff_t.
TEST(pwrite64, offset_plus_count_overflow_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    char buf[16] = {};
    EXPECT_ERR(sys::pwrite64(fd, buf, 16, LONG_MAX - 5), EINVAL);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// pwrite(2): ESPIPE on a pipe; nothing is written.
TEST(pwrite64, pipe_espipe, NEGATIVE, PSE53) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_ERR(sys::pwrite64(p[1], "x", 1, 0), ESPIPE);
    EXPECT_ERR(sys::pwrite64(p[0], "x", 1, 0), ESPIPE);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// pwrite(2): EBADF when the file is open for reading only; it is unchanged.
TEST(pwrite64, read_only_fd_ebadf, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    EXPECT_ERR(sys::pwrite64(fd, "xyz", 3, 0), EBADF);
    char buf[3] = {};
    EXPECT_RET(sys::pread64(fd, buf, 3, 0), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    sys::close(fd);
}

// preadv(2): EBADF when fd is not a valid descriptor open for reading.
TEST_P(preadv, bad_fd_ebadf, NEGATIVE, LINUX, fd::kBadFds) {
    char c;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::preadv(fd::bad_fd(row), &iov, 1, 0), EBADF);
}

// preadv(2): EINVAL when offset is negative.
TEST_P(preadv, negative_offset_einval, NEGATIVE, LINUX, kNegOffs, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    char c;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::preadv(fd, &iov, 1, row.off), EINVAL);
    sys::close(fd);
}

// preadv(2): ESPIPE on a pipe; nothing is consumed.
TEST(preadv, pipe_espipe, NEGATIVE, LINUX) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::write(p[1], "q", 1), 1);
    char c = 0;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::preadv(p[0], &iov, 1, 0), ESPIPE);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    fd::close_pair(p);
}

// preadv(2): scatters the bytes at offset over the buffers in order; the file
// offset is not changed.
TEST(preadv, scatters_at_offset_keeps_file_offset, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    char a[2] = {}, b[5] = {};
    iovec iov[] = {{a, 2}, {nullptr, 0}, {b, 5}};
    EXPECT_RET(sys::preadv(fd, iov, 3, 4), 6);
    EXPECT_MEM_EQ(a, "45", 2);
    EXPECT_MEM_EQ(b, "6789", 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
    sys::close(fd);
}

struct VecCount {
    const char* label;
    int cnt;
};
constexpr VecCount kBadVecCounts[] = {{"iovcnt=-1", -1}, {"iovcnt=IOV_MAX+1", UIO_MAXIOV + 1}};

// preadv(2): EINVAL for an iovcnt below 0 or above IOV_MAX.
TEST_P(preadv, bad_iovcnt_einval, NEGATIVE, LINUX, kBadVecCounts, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    char c = 0;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::preadv(fd, &iov, row.cnt, 0), EINVAL);
    EXPECT_EQ(c, 0);
    sys::close(fd);
}

// preadv(2): iovcnt 0 returns 0 (iov NULL works).
TEST(preadv, iovcnt_zero_returns_zero, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    EXPECT_RET(sys::preadv(fd, nullptr, 0, 0), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
    sys::close(fd);
}

// pwritev(2): EBADF when fd is not a valid descriptor open for writing.
TEST_P(pwritev, bad_fd_ebadf, NEGATIVE, LINUX, fd::kBadFds) {
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::pwritev(fd::bad_fd(row), &iov, 1, 0), EBADF);
}

// pwritev(2): EINVAL when offset is negative.
TEST_P(pwritev, negative_offset_einval, NEGATIVE, LINUX, kNegOffs, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::pwritev(fd, &iov, 1, row.off), EINVAL);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// pwritev(2): ESPIPE on a pipe; nothing is written.
TEST(pwritev, pipe_espipe, NEGATIVE, LINUX) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::pwritev(p[1], &iov, 1, 0), ESPIPE);
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// pwritev(2): gathers the buffers in order and writes them at offset; the
// file offset is not changed.
TEST(pwritev, gathers_at_offset_keeps_file_offset, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDWR);
    char a[] = "AB", b[] = "CDE";
    iovec iov[] = {{a, 2}, {b, 3}};
    EXPECT_RET(sys::pwritev(fd, iov, 2, 8), 5);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
    char buf[13] = {};
    EXPECT_RET(sys::pread64(fd, buf, 13, 0), 13);
    EXPECT_MEM_EQ(buf, "01234567ABCDE", 13);
    sys::close(fd);
}

// pwritev(2): EINVAL for an iovcnt below 0 or above IOV_MAX; nothing written.
TEST_P(pwritev, bad_iovcnt_einval, NEGATIVE, LINUX, kBadVecCounts, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::pwritev(fd, &iov, row.cnt, 0), EINVAL);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// pwritev(2): iovcnt 0 returns 0 and does not extend the file to offset.
TEST(pwritev, iovcnt_zero_returns_zero, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_RET(sys::pwritev(fd, nullptr, 0, 100), 0);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}
