// SPDX-License-Identifier: MIT
// read(2), write(2): data round trips through files and pipes, zero counts,
// short reads at EOF, bad descriptors, descriptors open in the other
// direction or with O_PATH, bad buffers (EFAULT, with the pipe's contents
// left intact) and counts above SSIZE_MAX.
// Left out: O_APPEND (tests/fs/open.cpp), interruption by signals (EINTR and
// restart: the signals area), EISDIR/EINVAL on directories and special files
// (the fs area), EFBIG and RLIMIT_FSIZE, and pipe semantics proper
// (src/tests/pipe/).
#include "rt/sys_signal.hpp"
#include "tests/fd/fd_common.hpp"

// read(2): EBADF when fd is not a valid file descriptor open for reading.
TEST_P(read, bad_fd_ebadf, NEGATIVE, PSE51, fd::kBadFds) {
    char c;
    EXPECT_ERR(sys::read(fd::bad_fd(row), &c, 1), EBADF);
}

// read(2): "If count is zero, read() may detect errors ... otherwise returns
// zero": on an empty pipe it returns 0 at once instead of blocking, and on a
// pipe with data it consumes nothing.
TEST(read, count_zero_returns_zero, BOUNDARY, PSE53) {
    int p[2];
    fd::make_pipe(p);
    char buf[4] = {};
    EXPECT_RET(sys::read(p[0], buf, 0), 0);
    EXPECT_RET(sys::write(p[1], "abc", 3), 3);
    EXPECT_RET(sys::read(p[0], buf, 0), 0);
    EXPECT_RET(sys::read(p[0], nullptr, 0), 0);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    fd::close_pair(p);
}

// read(2) on Linux: EFAULT when buf is outside the accessible address space,
// and the pipe's data stays queued (pipe_read copies before consuming).
// Non-blocking, so that a kernel that consumed the data anyway fails the
// second read with EAGAIN instead of waiting for the deadline.
TEST_P(read, bad_buf_efault, NEGATIVE, LINUX, fd::kBadDstAddrs) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::write(p[1], "data", 4), 4);
    EXPECT_ERR(sys::read(p[0], fd::bad_addr(row), 4), EFAULT);
    fd::release_bad_addr();
    char buf[8] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 4);
    EXPECT_MEM_EQ(buf, "data", 4);
    fd::close_pair(p);
}

// read(2): a zero-length buffer in user space is never touched, so count 0
// succeeds even at an unmapped address. POSIX lets a zero count "detect and
// return errors": Linux's access_ok() rejects a kernel address even for 0
// bytes, so that row expects EFAULT.
TEST_P(read, bad_buf_count_zero_ok, BOUNDARY, LINUX, fd::kBadDstAddrs) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "d", 1), 1);
    long r = sys::read(p[0], fd::bad_addr(row), 0);
    if (row.addr >= 0xffff800000000000ul) {
        EXPECT_ERR(r, EFAULT);
    } else {
        EXPECT_RET(r, 0);
    }
    fd::release_bad_addr();
    char c = 0;
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'd');
    fd::close_pair(p);
}

// read(2): the write end of a pipe is not open for reading: EBADF.
TEST(read, pipe_write_end_ebadf, NEGATIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    char c;
    EXPECT_ERR(sys::read(p[1], &c, 1), EBADF);
    EXPECT_ERR(sys::read(p[1], &c, 0), EBADF);  // the mode is checked before the count
    fd::close_pair(p);
}

struct OpenMode {
    const char* label;
    int flags;
};
constexpr OpenMode kNotReadable[] = {{"O_WRONLY", O_WRONLY},
                                     {"O_WRONLY|O_APPEND", O_WRONLY | O_APPEND}};
constexpr OpenMode kNotWritable[] = {{"O_RDONLY", O_RDONLY},
                                     {"O_RDONLY|O_APPEND", O_RDONLY | O_APPEND}};

// read(2): EBADF on a file opened without read access, even for count 0.
TEST_P(read, write_only_fd_ebadf, NEGATIVE, PSE52, kNotReadable, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, row.flags);
    char buf[4];
    EXPECT_ERR(sys::read(fd, buf, 3), EBADF);
    EXPECT_ERR(sys::read(fd, buf, 0), EBADF);
    sys::close(fd);
}

// open(2) O_PATH: "read(2), write(2) ... fail with the error EBADF".
TEST(read, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_PATH);
    char buf[4];
    EXPECT_ERR(sys::read(fd, buf, 3), EBADF);
    EXPECT_ERR(sys::write(fd, "x", 1), EBADF);
    sys::close(fd);
}

// read(2)/write(2) on a regular file: bytes written come back intact and each
// call advances the file offset by the count transferred.
TEST(read, file_round_trip_advances_offset, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", nullptr, 0, O_RDWR);
    u8 out[3000], in[3000] = {};
    fd::fill_pattern(out, sizeof out, 0);
    EXPECT_RET(sys::write(fd, out, 1000), 1000);
    EXPECT_RET(sys::write(fd, out + 1000, 2000), 2000);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 3000);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_RET(sys::read(fd, in, 1), 1);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 1);
    EXPECT_RET(sys::read(fd, in + 1, 2999), 2999);
    EXPECT_MEM_EQ(in, out, sizeof out);
    sys::close(fd);
}

// read(2): a read that reaches EOF returns the bytes left, then 0 at EOF.
TEST(read, short_count_then_zero_at_eof, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    char buf[32] = {};
    EXPECT_RET(sys::lseek(fd, 6, SEEK_SET), 6);
    EXPECT_RET(sys::read(fd, buf, sizeof buf), 4);
    EXPECT_MEM_EQ(buf, "6789", 4);
    EXPECT_RET(sys::read(fd, buf, sizeof buf), 0);
    EXPECT_RET(sys::lseek(fd, 100, SEEK_SET), 100);
    EXPECT_RET(sys::read(fd, buf, sizeof buf), 0);
    sys::close(fd);
}

// read(2) on a pipe: returns the bytes available rather than waiting for count.
TEST(read, pipe_returns_available_bytes, POSITIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "0123456789", 10), 10);
    char buf[100] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 10);
    EXPECT_MEM_EQ(buf, "0123456789", 10);
    fd::close_pair(p);
}

struct HugeCount {
    const char* label;
    usize count;
};
constexpr HugeCount kHugeCounts[] = {
    {"count=SSIZE_MAX+1", usize(SSIZE_MAX) + 1},
    {"count=SIZE_MAX", ~usize(0)},
};

// read(2) on Linux: a count above SSIZE_MAX (implementation-defined in POSIX)
// is EFAULT: vfs_read checks that [buf, buf+count) is a user range first.
TEST_P(read, count_above_ssize_max_efault, BOUNDARY, LINUX, kHugeCounts) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::write(p[1], "q", 1), 1);
    char buf[8];
    EXPECT_ERR(sys::read(p[0], buf, row.count), EFAULT);
    EXPECT_RET(sys::read(p[0], buf, 1), 1);
    fd::close_pair(p);
}

// write(2): EBADF when fd is not a valid file descriptor open for writing.
TEST_P(write, bad_fd_ebadf, NEGATIVE, PSE51, fd::kBadFds) {
    EXPECT_ERR(sys::write(fd::bad_fd(row), "x", 1), EBADF);
}

// write(2): a zero count on a regular file returns 0 and changes nothing
// (POSIX: "write() shall return zero and have no other results").
TEST(write, count_zero_regular_file_no_effect, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "12345", 5, O_RDWR);
    EXPECT_RET(sys::lseek(fd, 2, SEEK_SET), 2);
    EXPECT_RET(sys::write(fd, "zz", 0), 0);
    EXPECT_RET(sys::write(fd, nullptr, 0), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 2);
    EXPECT_RET(fd::file_size(fd), 5);
    sys::close(fd);
}

// write(2): a zero count on a pipe returns 0 and queues nothing (no
// zero-length message that a reader would see as EOF).
TEST(write, count_zero_pipe_queues_nothing, BOUNDARY, PSE53) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::write(p[1], "x", 0), 0);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// write(2) on Linux: a null write to a pipe with no reader succeeds (pipe_write
// returns 0 before looking for readers): no EPIPE, no SIGPIPE. POSIX leaves a
// zero count on a non-regular file unspecified.
TEST(write, count_zero_no_reader_returns_zero, BOUNDARY, LINUX) {
    int p[2];
    fd::make_pipe(p);
    sys::close(p[0]);
    u64 mask = sigbit(SIGPIPE), old = 0, pending = 0;
    sys::rt_sigprocmask(SIG_BLOCK, &mask, &old);
    EXPECT_RET(sys::write(p[1], "x", 0), 0);
    EXPECT_OK(sys::rt_sigpending(&pending));
    EXPECT_EQ(long(pending & mask), 0);
    timespec zero{0, 0};
    sys::rt_sigtimedwait(&mask, nullptr, &zero);  // consume a wrong SIGPIPE before unblocking
    sys::rt_sigprocmask(SIG_SETMASK, &old, nullptr);
    sys::close(p[1]);
}

// write(2) on Linux: EFAULT when buf is outside the accessible address space;
// nothing reaches the pipe and the next write goes through unmixed.
TEST_P(write, bad_buf_efault, NEGATIVE, LINUX, fd::kBadSrcAddrs) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_ERR(sys::write(p[1], fd::bad_addr(row), 4), EFAULT);
    fd::release_bad_addr();
    EXPECT_RET(sys::write(p[1], "ok", 2), 2);
    char buf[8] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 2);
    EXPECT_MEM_EQ(buf, "ok", 2);
    fd::close_pair(p);
}

// write(2): the read end of a pipe is not open for writing: EBADF.
TEST(write, pipe_read_end_ebadf, NEGATIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_ERR(sys::write(p[0], "x", 1), EBADF);
    EXPECT_ERR(sys::write(p[0], "x", 0), EBADF);
    fd::close_pair(p);
}

// write(2): EBADF on a file opened without write access; the file is unchanged.
TEST_P(write, read_only_fd_ebadf, NEGATIVE, PSE52, kNotWritable, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, row.flags);
    EXPECT_ERR(sys::write(fd, "xyz", 3), EBADF);
    EXPECT_ERR(sys::write(fd, "xyz", 0), EBADF);
    EXPECT_RET(fd::file_size(fd), 3);
    char buf[4] = {};
    EXPECT_RET(sys::read(fd, buf, 4), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    sys::close(fd);
}

// write(2) on Linux: likewise EFAULT for a count above SSIZE_MAX.
TEST_P(write, count_above_ssize_max_efault, BOUNDARY, LINUX, kHugeCounts) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    char buf[8] = {};
    EXPECT_ERR(sys::write(p[1], buf, row.count), EFAULT);
    EXPECT_ERR(sys::read(p[0], buf, 1), EAGAIN);
    fd::close_pair(p);
}
