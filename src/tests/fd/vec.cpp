// SPDX-License-Identifier: MIT
// readv(2), writev(2): gather and scatter order, zero-length segments, iovcnt
// 0, IOV_MAX (1024) exactly and above it, negative counts, iov_len values that
// overflow ssize_t, bad iovec arrays and buffers, bad descriptors and
// descriptors open in the other direction.
// Profile: readv/writev are XSI in POSIX and in no IEEE 1003.13 unit; they
// are tagged PSE52 like the file I/O they belong with (PSE53 on pipes).
// Left out: partial transfers after a fault in a later segment (whether they
// are short counts or EFAULT depends on the file type), EINTR.
#include "tests/fd/fd_common.hpp"

// readv(2): EBADF when fd is not a valid descriptor open for reading.
TEST_P(readv, bad_fd_ebadf, NEGATIVE, LINUX, fd::kBadFds) {
    char c;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::readv(fd::bad_fd(row), &iov, 1), EBADF);
}

// readv(2): each buffer is filled completely before the next one is used.
TEST(readv, scatters_in_array_order, POSITIVE, LINUX) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "0123456789", 10), 10);
    char a[3] = {}, b[4] = {}, c[8] = {};
    iovec iov[] = {{a, 3}, {nullptr, 0}, {b, 4}, {c, 8}};
    EXPECT_RET(sys::readv(p[0], iov, 4), 10);
    EXPECT_MEM_EQ(a, "012", 3);
    EXPECT_MEM_EQ(b, "3456", 4);
    EXPECT_MEM_EQ(c, "789\0", 4);
    fd::close_pair(p);
}

// readv(2) and writev(2) on a regular file: they move the file offset like
// read and write, and the data lands at the offset.
TEST(readv, file_round_trip_advances_offset, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "xxxxxxxxxx", 10, O_RDWR);
    EXPECT_RET(sys::lseek(fd, 2, SEEK_SET), 2);
    char a[] = "AB", b[] = "CDE";
    iovec w[] = {{a, 2}, {b, 3}};
    EXPECT_RET(sys::writev(fd, w, 2), 5);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 7);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    char x[6] = {}, y[6] = {};
    iovec r[] = {{x, 6}, {y, 6}};
    EXPECT_RET(sys::readv(fd, r, 2), 10);
    EXPECT_MEM_EQ(x, "xxABCD", 6);
    EXPECT_MEM_EQ(y, "Exxx", 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 10);
    sys::close(fd);
}

// readv(2): iovcnt 0 reads nothing and returns 0; the iovec pointer is not
// read (NULL works).
TEST(readv, iovcnt_zero_returns_zero, BOUNDARY, LINUX) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    char c = 0;
    iovec iov{&c, 1};
    EXPECT_RET(sys::readv(p[0], &iov, 0), 0);
    EXPECT_RET(sys::readv(p[0], nullptr, 0), 0);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'z');
    fd::close_pair(p);
}

struct BadCount {
    const char* label;
    int cnt;
};
constexpr BadCount kBadCounts[] = {
    {"iovcnt=-1", -1},
    {"iovcnt=INT_MIN", INT_MIN},
    {"iovcnt=IOV_MAX+1", UIO_MAXIOV + 1},
    {"iovcnt=INT_MAX", INT_MAX},
};

// readv(2): EINVAL when iovcnt is negative or above IOV_MAX; nothing is read.
TEST_P(readv, bad_iovcnt_einval, NEGATIVE, LINUX, kBadCounts) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    char c = 0;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::readv(p[0], &iov, row.cnt), EINVAL);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    fd::close_pair(p);
}

// readv(2): exactly IOV_MAX segments are accepted and filled in order.
TEST(readv, iovcnt_iov_max_ok, BOUNDARY, LINUX) {
    int p[2];
    fd::make_pipe(p);
    u8 src[UIO_MAXIOV], dst[UIO_MAXIOV] = {};
    iovec iov[UIO_MAXIOV];
    fd::fill_pattern(src, UIO_MAXIOV, 0);
    EXPECT_RET(sys::write(p[1], src, UIO_MAXIOV), UIO_MAXIOV);
    for (int i = 0; i < UIO_MAXIOV; ++i) iov[i] = {dst + UIO_MAXIOV - 1 - i, 1};
    EXPECT_RET(sys::readv(p[0], iov, UIO_MAXIOV), UIO_MAXIOV);
    usize bad = 0;
    for (int i = 0; i < UIO_MAXIOV; ++i) bad += dst[i] != src[UIO_MAXIOV - 1 - i];
    EXPECT_EQ(long(bad), 0);
    fd::close_pair(p);
}

struct Lens {
    const char* label;
    usize len0, len1;
};
// One segment longer than SSIZE_MAX makes the sum overflow ssize_t.
constexpr Lens kNegativeLens[] = {
    {"len0=SSIZE_MAX+1", usize(SSIZE_MAX) + 1, 0},
    {"len0=SIZE_MAX", ~usize(0), 0},
    {"len0=1,len1=SIZE_MAX", 1, ~usize(0)},
    {"len0=SIZE_MAX,len1=1", ~usize(0), 1},
};

// readv(2): EINVAL "the sum of the iov_len values overflows an ssize_t".
TEST_P(readv, iov_len_overflow_einval, NEGATIVE, LINUX, kNegativeLens) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    char a[4], b[4];
    iovec iov[] = {{a, row.len0}, {b, row.len1}};
    EXPECT_ERR(sys::readv(p[0], iov, 2), EINVAL);
    EXPECT_RET(sys::read(p[0], a, 1), 1);
    fd::close_pair(p);
}

// readv(2) on Linux: EFAULT when the iovec array itself cannot be read.
TEST_P(readv, bad_iov_array_efault, NEGATIVE, LINUX, fd::kBadSrcAddrs) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    EXPECT_ERR(sys::readv(p[0], static_cast<iovec*>(fd::bad_addr(row)), 1), EFAULT);
    fd::release_bad_addr();
    char c = 0;
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    fd::close_pair(p);
}

// readv(2) on Linux: EFAULT when a segment's buffer is not writable; the
// pipe's data stays queued (non-blocking: a kernel that consumed it fails
// the second read with EAGAIN rather than hang).
TEST_P(readv, bad_segment_buf_efault, NEGATIVE, LINUX, fd::kBadDstAddrs) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::write(p[1], "data", 4), 4);
    iovec iov{fd::bad_addr(row), 4};
    EXPECT_ERR(sys::readv(p[0], &iov, 1), EFAULT);
    fd::release_bad_addr();
    char buf[8] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 4);
    EXPECT_MEM_EQ(buf, "data", 4);
    fd::close_pair(p);
}

// readv(2): EBADF on the write end of a pipe (not open for reading).
TEST(readv, pipe_write_end_ebadf, NEGATIVE, LINUX) {
    int p[2];
    fd::make_pipe(p);
    char c;
    iovec iov{&c, 1};
    EXPECT_ERR(sys::readv(p[1], &iov, 1), EBADF);
    fd::close_pair(p);
}

// writev(2): EBADF when fd is not a valid descriptor open for writing.
TEST_P(writev, bad_fd_ebadf, NEGATIVE, LINUX, fd::kBadFds) {
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::writev(fd::bad_fd(row), &iov, 1), EBADF);
}

// writev(2): the segments are written in array order as one stream;
// zero-length segments (even with a NULL base) contribute nothing.
TEST(writev, gathers_in_array_order, POSITIVE, LINUX) {
    int p[2];
    fd::make_pipe(p);
    char a[] = "abc", b[] = "defgh", c[] = "i";
    iovec iov[] = {{a, 3}, {nullptr, 0}, {b, 5}, {a, 0}, {c, 1}};
    EXPECT_RET(sys::writev(p[1], iov, 5), 9);
    char buf[16] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 9);
    EXPECT_MEM_EQ(buf, "abcdefghi", 9);
    fd::close_pair(p);
}

// writev(2): iovcnt 0 writes nothing and returns 0 (iov NULL works).
TEST(writev, iovcnt_zero_returns_zero, BOUNDARY, LINUX) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_RET(sys::writev(p[1], &iov, 0), 0);
    EXPECT_RET(sys::writev(p[1], nullptr, 0), 0);
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2): EINVAL when iovcnt is negative or above IOV_MAX; nothing is written.
TEST_P(writev, bad_iovcnt_einval, NEGATIVE, LINUX, kBadCounts) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::writev(p[1], &iov, row.cnt), EINVAL);
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2): exactly IOV_MAX segments are accepted and kept in order (each
// segment is one byte taken from the end of the buffer backwards).
TEST(writev, iovcnt_iov_max_ok, BOUNDARY, LINUX) {
    int p[2];
    fd::make_pipe(p);
    u8 src[UIO_MAXIOV], dst[UIO_MAXIOV] = {};
    iovec iov[UIO_MAXIOV];
    fd::fill_pattern(src, UIO_MAXIOV, 0);
    for (int i = 0; i < UIO_MAXIOV; ++i) iov[i] = {src + UIO_MAXIOV - 1 - i, 1};
    EXPECT_RET(sys::writev(p[1], iov, UIO_MAXIOV), UIO_MAXIOV);
    EXPECT_RET(fd::read_full(p[0], dst, UIO_MAXIOV), UIO_MAXIOV);
    usize bad = 0;
    for (int i = 0; i < UIO_MAXIOV; ++i) bad += dst[i] != src[UIO_MAXIOV - 1 - i];
    EXPECT_EQ(long(bad), 0);
    fd::close_pair(p);
}

// writev(2): EINVAL when the sum of the iov_len values overflows ssize_t.
TEST_P(writev, iov_len_overflow_einval, NEGATIVE, LINUX, kNegativeLens) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char a[4] = {}, b[4] = {};
    iovec iov[] = {{a, row.len0}, {b, row.len1}};
    EXPECT_ERR(sys::writev(p[1], iov, 2), EINVAL);
    EXPECT_ERR(sys::read(p[0], a, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2): two segments of SSIZE_MAX bytes each: their sum overflows ssize_t
// (POSIX and the man page: EINVAL), but no process can have buffers that big,
// and Linux checks each segment's address range first: EFAULT. Both conform:
// POSIX lets an implementation detect an invalid buffer as EFAULT.
TEST(writev, iov_len_sum_overflow_rejected, NEGATIVE, LINUX) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char a[4] = {}, b[4] = {};
    iovec iov[] = {{a, usize(SSIZE_MAX)}, {b, usize(SSIZE_MAX)}};
    EXPECT_ERR_ANY(sys::writev(p[1], iov, 2), EINVAL, EFAULT);
    EXPECT_ERR(sys::read(p[0], a, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2) on Linux: EFAULT when the iovec array itself cannot be read.
TEST_P(writev, bad_iov_array_efault, NEGATIVE, LINUX, fd::kBadSrcAddrs) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_ERR(sys::writev(p[1], static_cast<iovec*>(fd::bad_addr(row)), 1), EFAULT);
    fd::release_bad_addr();
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2) on Linux: EFAULT when a segment's buffer is not readable.
TEST_P(writev, bad_segment_buf_efault, NEGATIVE, LINUX, fd::kBadSrcAddrs) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    iovec iov{fd::bad_addr(row), 4};
    EXPECT_ERR(sys::writev(p[1], &iov, 1), EFAULT);
    fd::release_bad_addr();
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// writev(2): EBADF on the read end of a pipe (not open for writing).
TEST(writev, pipe_read_end_ebadf, NEGATIVE, LINUX) {
    int p[2];
    fd::make_pipe(p);
    char c = 'x';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::writev(p[0], &iov, 1), EBADF);
    fd::close_pair(p);
}
