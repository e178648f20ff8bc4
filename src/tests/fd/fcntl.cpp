// SPDX-License-Identifier: MIT
// fcntl(2) descriptor commands: F_DUPFD/F_DUPFD_CLOEXEC (lowest number >= arg,
// arg range, RLIMIT_NOFILE boundary, EMFILE, 10,000 cycles), F_GETFD/F_SETFD
// (the FD_CLOEXEC bit), F_GETFL/F_SETFL (access mode reported but never
// changed, O_APPEND and O_NONBLOCK toggled with visible effect, creation
// flags ignored), F_GETPIPE_SZ/F_SETPIPE_SZ (default, rounding, the exact
// capacity after a resize, EBUSY, EINVAL, EPERM above pipe-max-size), unknown
// commands and bad descriptors.
// F_SETOWN/F_SETSIG and O_ASYNC: fcntl_async.cpp.
// Left out: record locks (F_GETLK/F_SETLK/F_OFD_*), leases, notify, seals (other areas), O_DIRECT
// on files.
#include "rt/sys_cred.hpp"
#include "tests/fd/fd_common.hpp"

using fd::BadFd;

namespace {

constexpr int kCmds[] = {F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD,      F_SETFD,
                         F_GETFL, F_SETFL,         F_GETPIPE_SZ, F_SETPIPE_SZ};

}  // namespace

// fcntl(2): EBADF when fd is not an open descriptor, for every command here.
TEST_P(fcntl, bad_fd_ebadf, NEGATIVE, PSE52, fd::kBadFds) {
    int fd = fd::bad_fd(row);
    for (int cmd : kCmds) {
        long arg = cmd == F_SETPIPE_SZ ? 4096 : 0;
        if (!EXPECT_ERR(sys::fcntl(fd, cmd, arg), EBADF)) break;
    }
}

// fcntl(2) F_DUPFD: "the lowest-numbered available file descriptor greater
// than or equal to arg", with FD_CLOEXEC clear.
TEST(fcntl, dupfd_lowest_at_or_above_arg, POSITIVE, PSE52) {
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
    int want = fd::lowest_free();
    long a = sys::fcntl(p[0], F_DUPFD, 0);
    EXPECT_RET(a, want);
    want = fd::lowest_free_from(p[1] + 5);
    long b = sys::fcntl(p[0], F_DUPFD, p[1] + 5);
    EXPECT_RET(b, want);
    EXPECT_RET(sys::fcntl(int(b), F_GETFD), 0);
    want = fd::lowest_free_from(p[1]);  // arg is open: the next free one
    long c = sys::fcntl(p[0], F_DUPFD, p[1]);
    EXPECT_RET(c, want);
    long fds[] = {a, b, c};
    for (long fd : fds) {
        if (fd >= 0) sys::close(int(fd));
    }
    fd::close_pair(p);
}

// fcntl(2) F_DUPFD_CLOEXEC: as F_DUPFD, and the new descriptor has
// FD_CLOEXEC set; the original keeps its own flag.
TEST(fcntl, dupfd_cloexec_sets_flag, POSITIVE, PSE52) {
    int p[2];
    fd::make_fds(p);
    int lo = fd::lowest_free_from(p[1] + 3);
    long d = sys::fcntl(p[1], F_DUPFD_CLOEXEC, p[1] + 3);
    EXPECT_RET(d, lo);
    EXPECT_RET(sys::fcntl(int(d), F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(p[1], F_GETFD), 0);
    if (d >= 0) sys::close(int(d));
    fd::close_pair(p);
}

constexpr BadFd kBadDupArgs[] = {
    {"arg=-1", fd::BAD_LITERAL, -1},
    {"arg=INT_MIN", fd::BAD_LITERAL, INT_MIN},
    {"arg=INT_MAX", fd::BAD_LITERAL, INT_MAX},
    {"arg=RLIMIT_NOFILE", fd::BAD_LIMIT, 0},
};

// fcntl(2) F_DUPFD: "EINVAL: arg is negative or is greater than the maximum
// allowable value" (RLIMIT_NOFILE and above).
TEST_P(fcntl, dupfd_bad_arg_einval, NEGATIVE, PSE52, kBadDupArgs) {
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::fcntl(p[0], F_DUPFD, fd::bad_fd(row)), EINVAL);
    fd::close_pair(p);
}

// fcntl(2) F_DUPFD_CLOEXEC: the same EINVAL range as F_DUPFD.
TEST_P(fcntl, dupfd_cloexec_bad_arg_einval, NEGATIVE, PSE52, kBadDupArgs) {
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::fcntl(p[0], F_DUPFD_CLOEXEC, fd::bad_fd(row)), EINVAL);
    fd::close_pair(p);
}

// fcntl(2) F_DUPFD at the RLIMIT_NOFILE boundary (limit lowered to a small
// value): arg = limit-1 gives limit-1; arg = limit is EINVAL; with limit-1
// taken, arg = limit-1 is EMFILE (no free number in [arg, limit)).
TEST(fcntl, dupfd_rlimit_boundary, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    fd::with_nofile_limit(fd::kSmallLimit, p[0], [](int fd, int limit) {
        EXPECT_RET(sys::fcntl(fd, F_DUPFD, limit - 1), limit - 1);
        EXPECT_ERR(sys::fcntl(fd, F_DUPFD, limit - 1), EMFILE);
        EXPECT_ERR(sys::fcntl(fd, F_DUPFD_CLOEXEC, limit - 1), EMFILE);
        EXPECT_ERR(sys::fcntl(fd, F_DUPFD, limit), EINVAL);
        sys::close(limit - 1);
    });
    fd::close_pair(p);
}

// fcntl(2) F_DUPFD: EMFILE when no descriptor number below the limit is free.
TEST(fcntl, dupfd_table_full_emfile, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    fd::with_nofile_limit(u64(fd::lowest_free()), p[0], [](int fd, int) {
        EXPECT_ERR(sys::fcntl(fd, F_DUPFD, 0), EMFILE);
        EXPECT_ERR(sys::fcntl(fd, F_DUPFD_CLOEXEC, 0), EMFILE);
    });
    fd::close_pair(p);
}

// fcntl(2) F_DUPFD: 10,000 duplicate/close cycles leak nothing: each one and
// the one after them get the same lowest number.
TEST(fcntl, dupfd_create_close_10000_no_leak, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    int want = fd::lowest_free();
    int bad = 0;
    for (int i = 0; i < 10000 && bad < 3; ++i) {
        long d = sys::fcntl(p[i & 1], (i & 2) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
        if (!EXPECT_RET(d, want)) ++bad;
        if (d >= 0) sys::close(int(d));
    }
    EXPECT_RET(sys::fcntl(p[0], F_DUPFD, 0), want);
    sys::close(want);
    fd::close_pair(p);
}

// fcntl(2) F_SETFD/F_GETFD: the FD_CLOEXEC bit round-trips both ways.
TEST(fcntl, setfd_cloexec_round_trip, POSITIVE, PSE52) {
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), 0);
    EXPECT_RET(sys::fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(p[1], F_GETFD), 0);  // per descriptor
    EXPECT_RET(sys::fcntl(p[0], F_SETFD, 0), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), 0);
    fd::close_pair(p);
}

struct FdFlags {
    const char* label;
    long arg;
    long want;  // F_GETFD afterwards
};
constexpr FdFlags kFdFlagArgs[] = {
    {"arg=2", 2, 0},           {"arg=0xfe", 0xfe, 0},
    {"arg=3", 3, FD_CLOEXEC},  {"arg=-1", -1, FD_CLOEXEC},
    {"arg=2^32", 1l << 32, 0},
};

// fcntl(2) F_SETFD on Linux: only the FD_CLOEXEC bit of arg counts; other
// bits are ignored, not an error (POSIX defines no other flag).
TEST_P(fcntl, setfd_ignores_other_bits, BOUNDARY, LINUX, kFdFlagArgs) {
    int p[2];
    fd::make_pipe(p, O_CLOEXEC);
    EXPECT_RET(sys::fcntl(p[0], F_SETFD, row.arg), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), row.want);
    fd::close_pair(p);
}

struct Access {
    const char* label;
    int mode;
};
constexpr Access kModes[] = {{"O_RDONLY", O_RDONLY}, {"O_WRONLY", O_WRONLY}, {"O_RDWR", O_RDWR}};

// fcntl(2) F_GETFL: the access mode the file was opened with, in O_ACCMODE.
TEST_P(fcntl, getfl_access_mode, POSITIVE, PSE52, kModes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, row.mode);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_ACCMODE, row.mode);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK), 0);
    sys::close(fd);
}

// fcntl(2) F_GETFL on a pipe: the read end is O_RDONLY, the write end O_WRONLY.
TEST(fcntl, getfl_pipe_ends, POSITIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY);
    EXPECT_EQ(sys::fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY);
    fd::close_pair(p);
}

// fcntl(2) F_SETFL O_APPEND: once set, writes go to the end whatever the
// offset; once cleared, they go to the offset again.
TEST(fcntl, setfl_append_toggles, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abcd", 4, O_RDWR);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, O_APPEND), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & (O_APPEND | O_ACCMODE), O_APPEND | O_RDWR);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_RET(sys::write(fd, "E", 1), 1);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, 0), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_APPEND, 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_RET(sys::write(fd, "A", 1), 1);
    char buf[6] = {};
    EXPECT_RET(sys::pread64(fd, buf, 6, 0), 5);
    EXPECT_MEM_EQ(buf, "AbcdE", 5);
    sys::close(fd);
}

// fcntl(2) F_SETFL O_NONBLOCK: an empty pipe's read end then returns EAGAIN
// instead of blocking; clearing it shows in F_GETFL.
TEST(fcntl, setfl_nonblock_toggles, POSITIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & O_NONBLOCK, O_NONBLOCK);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    EXPECT_RET(sys::fcntl(p[0], F_SETFL, 0), 0);
    EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & (O_NONBLOCK | O_ACCMODE), O_RDONLY);
    EXPECT_EQ(sys::fcntl(p[1], F_GETFL) & O_NONBLOCK, 0);  // another open file
    fd::close_pair(p);
}

struct SetFl {
    const char* label;
    int flags;
};
constexpr SetFl kAccessChanges[] = {
    {"set=O_RDWR", O_RDWR},
    {"set=O_WRONLY", O_WRONLY},
    {"set=O_ACCMODE", O_ACCMODE},
};

// fcntl(2) F_SETFL: "File access mode (O_RDONLY, O_WRONLY, O_RDWR) ... in arg
// are ignored": a read-only descriptor stays read-only.
TEST_P(fcntl, setfl_keeps_access_mode, NEGATIVE, PSE52, kAccessChanges,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, row.flags | O_APPEND), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDONLY | O_APPEND);
    EXPECT_ERR(sys::write(fd, "x", 1), EBADF);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

// fcntl(2) F_SETFL: "file creation flags (O_CREAT, O_EXCL, O_NOCTTY, O_TRUNC)
// in arg are ignored": nothing is truncated and F_GETFL does not show them.
TEST(fcntl, setfl_ignores_creation_flags, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC), 0);
    EXPECT_RET(fd::file_size(fd), 3);
    sys::close(fd);
}

struct Cmd {
    const char* label;
    int cmd;
};
constexpr Cmd kBadCmds[] = {
    {"cmd=-1", -1},
    {"cmd=INT_MIN", INT_MIN},
    {"cmd=INT_MAX", INT_MAX},
    {"cmd=12345", 12345},
};

// fcntl(2): "EINVAL: The value specified in cmd is not recognized by this
// kernel."
TEST_P(fcntl, unknown_cmd_einval, NEGATIVE, PSE52, kBadCmds) {
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::fcntl(p[0], row.cmd, 0), EINVAL);
    fd::close_pair(p);
}

// fcntl(2) F_GETPIPE_SZ: a new pipe holds 16 pages on Linux (65536 bytes
// with 4 KiB pages: pipe(7) "the pipe capacity is 16 pages"), on both ends.
TEST(fcntl, getpipe_sz_default, POSITIVE, LINUX) {
    long page = fd::pipe_page();
    int p[2];
    fd::make_pipe(p);
    EXPECT_RET(sys::fcntl(p[0], F_GETPIPE_SZ), 16 * page);
    EXPECT_RET(sys::fcntl(p[1], F_GETPIPE_SZ), 16 * page);
    fd::close_pair(p);
}

// fcntl(2) F_GETPIPE_SZ on a descriptor that is not a pipe: EBADF.
TEST(fcntl, getpipe_sz_not_pipe_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    EXPECT_ERR(sys::fcntl(fd, F_GETPIPE_SZ), EBADF);
    EXPECT_ERR(sys::fcntl(fd, F_SETPIPE_SZ, 4096), EBADF);
    sys::close(fd);
}

struct PipeSz {
    const char* label;
    long pages, extra;  // arg = pages * page + extra
    long want_pages;
};
constexpr PipeSz kPipeSizes[] = {
    {"arg=0", 0, 0, 1},           {"arg=1", 0, 1, 1},      {"arg=page-1", 1, -1, 1},
    {"arg=page", 1, 0, 1},        {"arg=page+1", 1, 1, 2}, {"arg=3*page", 3, 0, 4},
    {"arg=16*page+1", 16, 1, 32},
};

// fcntl(2) F_SETPIPE_SZ: the size is rounded up, at least one page ("the
// kernel may use a capacity larger than arg"; Linux rounds to a power-of-two
// number of pages); the call returns the size used, F_GETPIPE_SZ agrees.
TEST_P(fcntl, setpipe_sz_rounds_up, BOUNDARY, LINUX, kPipeSizes) {
    int p[2];
    fd::make_pipe(p);
    long page = sys::fcntl(p[0], F_SETPIPE_SZ, 1);
    ASSERT_GE(page, long(PIPE_BUF));
    EXPECT_EQ(page & (page - 1), 0);
    long want = row.want_pages * page;
    EXPECT_RET(sys::fcntl(p[1], F_SETPIPE_SZ, row.pages * page + row.extra), want);
    EXPECT_RET(sys::fcntl(p[0], F_GETPIPE_SZ), want);
    fd::close_pair(p);
}

// fcntl(2) F_SETPIPE_SZ: after a resize the pipe holds exactly the new
// capacity (filled without blocking: the next write is EAGAIN), and data
// already queued survives the resize.
TEST(fcntl, setpipe_sz_capacity_exact, POSITIVE, LINUX) {
    long page = fd::pipe_page();
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::write(p[1], "keep", 4), 4);
    long size = sys::fcntl(p[1], F_SETPIPE_SZ, 3 * page);
    EXPECT_RET(size, 4 * page);
    char buf[4] = {};
    EXPECT_RET(sys::read(p[0], buf, 4), 4);
    EXPECT_MEM_EQ(buf, "keep", 4);
    EXPECT_RET(fd::fill_nonblocking(p[1]), size);
    EXPECT_ERR(sys::write(p[1], "x", 1), EAGAIN);
    fd::close_pair(p);
}

// fcntl(2) F_SETPIPE_SZ: "EBUSY: ... to reduce the pipe capacity below the
// amount of buffer space currently used to store data in the pipe"; the
// capacity and the data are unchanged.
TEST(fcntl, setpipe_sz_below_content_ebusy, NEGATIVE, LINUX) {
    long page = fd::pipe_page();
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    usize n = usize(2 * page + 1);  // three pages of buffer space
    EXPECT_RET(fd::write_pattern(p[1], 0, n), long(n));
    EXPECT_ERR(sys::fcntl(p[1], F_SETPIPE_SZ, page), EBUSY);
    EXPECT_ERR(sys::fcntl(p[1], F_SETPIPE_SZ, 2 * page), EBUSY);
    EXPECT_RET(sys::fcntl(p[1], F_GETPIPE_SZ), 16 * page);
    usize bad;
    EXPECT_RET(fd::read_pattern(p[0], 0, n, &bad), long(n));
    EXPECT_EQ(long(bad), long(n));
    fd::close_pair(p);
}

constexpr PipeSz kHugePipeSizes[] = {
    {"arg=2^31+1", 0, (1l << 31) + 1, 0},
    {"arg=UINT_MAX", 0, 0xffffffffl, 0},
};

// fcntl(2) F_SETPIPE_SZ on Linux: a size above 2^31 cannot be rounded to a
// power of two in an unsigned int: EINVAL (for every caller).
TEST_P(fcntl, setpipe_sz_above_2g_einval, NEGATIVE, LINUX, kHugePipeSizes) {
    int p[2];
    fd::make_pipe(p);
    long before = sys::fcntl(p[0], F_GETPIPE_SZ);
    EXPECT_ERR(sys::fcntl(p[0], F_SETPIPE_SZ, row.extra), EINVAL);
    EXPECT_RET(sys::fcntl(p[0], F_GETPIPE_SZ), before);
    fd::close_pair(p);
}

// fcntl(2) F_SETPIPE_SZ: "EPERM: an unprivileged process attempted to set the
// pipe capacity above the limit in /proc/sys/fs/pipe-max-size"; a process
// with CAP_SYS_RESOURCE may (pipe_set_size checks it with capable(), in the
// initial user namespace).
TEST(fcntl, setpipe_sz_above_max_needs_cap, BOUNDARY, LINUX) {
    long f = sys::openat(AT_FDCWD, "/proc/sys/fs/pipe-max-size", O_RDONLY | O_CLOEXEC);
    if (f < 0) kc::skip("cannot read /proc/sys/fs/pipe-max-size");
    char text[24] = {};
    long n = sys::read(int(f), text, sizeof text - 1);
    sys::close(int(f));
    long max = 0;
    for (long i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) max = max * 10 + text[i] - '0';
    if (max <= 0 || max > (1l << 29)) kc::skip("pipe-max-size unreadable or too large to test");
    int p[2];
    fd::make_pipe(p);
    long r = sys::fcntl(p[0], F_SETPIPE_SZ, 2 * max);
    if (kc::cap_usable(CAP_SYS_RESOURCE)) {
        EXPECT_GE(r, 2 * max);
    } else {
        EXPECT_ERR(r, EPERM);
        EXPECT_RET(sys::fcntl(p[0], F_SETPIPE_SZ, max), max);
    }
    fd::close_pair(p);
}
