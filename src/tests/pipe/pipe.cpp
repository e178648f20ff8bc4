// SPDX-License-Identifier: MIT
// pipe(2), pipe2(2): creating a pipe. The two lowest free descriptors, read
// end and write end modes, O_CLOEXEC/O_NONBLOCK reflected in F_GETFD/F_GETFL,
// O_DIRECT packet mode, unknown flags (EINVAL), bad pointers (EFAULT, with no
// descriptor leaked), a full descriptor table (EMFILE, no leak), and 10,000
// create/close cycles with and without queued data (a kernel that never frees
// pipe buffers, or never gives back the per-user pipe accounting, fails
// here and not in later tests).
// I/O semantics (atomicity, EOF, EPIPE/SIGPIPE, O_NONBLOCK, capacity) are in
// pipe_io.cpp. Left out: O_NOTIFICATION_PIPE (watch queues), ENFILE (the
// system-wide limit cannot be reached safely).
#include "rt/sys_cred.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fd/fd_common.hpp"

namespace {

// Sorts two ints.
void order(int& a, int& b) {
    if (b < a) {
        int t = a;
        a = b;
        b = t;
    }
}

}  // namespace

// pipe(2): creates a connected pair: fds[0] the read end (O_RDONLY), fds[1]
// the write end (O_WRONLY), no FD_CLOEXEC, no O_NONBLOCK, on the two lowest
// unused descriptor numbers.
TEST(pipe, creates_connected_pair, POSITIVE, PSE53) {
    REQUIRE_NR(pipe);
    int lo = fd::lowest_free();
    int hi = fd::lowest_free_from(lo + 1);
    int p[2] = {-1, -1};
    ASSERT_OK(sys::pipe(p));
    int a = p[0], b = p[1];
    order(a, b);
    EXPECT_EQ(a, lo);
    EXPECT_EQ(b, hi);
    EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY);
    EXPECT_EQ(sys::fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), 0);
    EXPECT_RET(sys::fcntl(p[1], F_GETFD), 0);
    EXPECT_RET(sys::write(p[1], "pipe", 4), 4);
    char buf[8] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 4);
    EXPECT_MEM_EQ(buf, "pipe", 4);
    fd::close_pair(p);
}

// pipe(2) on Linux: "EFAULT: pipefd is not valid"; the descriptors it had
// allocated are released (the lowest free number is unchanged).
TEST_P(pipe, bad_pointer_efault, NEGATIVE, LINUX, fd::kBadDstAddrs) {
    REQUIRE_NR(pipe);
    int lo = fd::lowest_free();
    int next = fd::lowest_free_from(lo + 1);
    EXPECT_ERR(sys::pipe(static_cast<int*>(fd::bad_addr(row))), EFAULT);
    fd::release_bad_addr();
    EXPECT_EQ(fd::lowest_free(), lo);
    EXPECT_EQ(fd::lowest_free_from(lo + 1), next);
}

// pipe2(2) on Linux: EFAULT for a bad pipefd; no descriptor is leaked.
TEST_P(pipe2, bad_pointer_efault, NEGATIVE, LINUX, fd::kBadDstAddrs) {
    int lo = fd::lowest_free();
    int next = fd::lowest_free_from(lo + 1);
    EXPECT_ERR(sys::pipe2(static_cast<int*>(fd::bad_addr(row)), O_CLOEXEC), EFAULT);
    fd::release_bad_addr();
    EXPECT_EQ(fd::lowest_free(), lo);
    EXPECT_EQ(fd::lowest_free_from(lo + 1), next);
}

struct Pipe2Flags {
    const char* label;
    int flags;
};
constexpr Pipe2Flags kGoodFlags[] = {
    {"flags=0", 0},
    {"flags=O_CLOEXEC", O_CLOEXEC},
    {"flags=O_NONBLOCK", O_NONBLOCK},
    {"flags=O_CLOEXEC|O_NONBLOCK", O_CLOEXEC | O_NONBLOCK},
};

// pipe2(2): O_CLOEXEC sets FD_CLOEXEC on both new descriptors; O_NONBLOCK
// sets O_NONBLOCK on both open files (an empty read then fails with EAGAIN);
// the access modes are O_RDONLY and O_WRONLY either way.
TEST_P(pipe2, flags_reflected, POSITIVE, PSE53, kGoodFlags) {
    int p[2];
    fd::make_pipe(p, row.flags);
    long fd_flags = row.flags & O_CLOEXEC ? FD_CLOEXEC : 0;
    int nb = row.flags & O_NONBLOCK;
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), fd_flags);
    EXPECT_RET(sys::fcntl(p[1], F_GETFD), fd_flags);
    EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY | nb);
    EXPECT_EQ(sys::fcntl(p[1], F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_WRONLY | nb);
    char c;
    if (nb) EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    EXPECT_RET(sys::write(p[1], "f", 1), 1);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'f');
    fd::close_pair(p);
}

constexpr Pipe2Flags kBadFlags[] = {
    {"flags=O_WRONLY", O_WRONLY},
    {"flags=O_RDWR", O_RDWR},
    {"flags=O_APPEND", O_APPEND},
    {"flags=O_TRUNC", O_TRUNC},
    {"flags=O_SYNC", O_SYNC},
    {"flags=O_LARGEFILE", O_LARGEFILE},
    {"flags=O_CLOEXEC|O_CREAT", O_CLOEXEC | O_CREAT},
    {"flags=-1", -1},
    {"flags=INT_MIN", INT_MIN},
};

// pipe2(2): "EINVAL: Invalid value in flags"; pipefd is not written and no
// descriptor is created.
TEST_P(pipe2, unknown_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    int lo = fd::lowest_free();
    int p[2] = {INT_MIN, INT_MIN};  // never a descriptor
    EXPECT_ERR(sys::pipe2(p, row.flags), EINVAL);
    EXPECT_EQ(p[0], INT_MIN);
    EXPECT_EQ(p[1], INT_MIN);
    EXPECT_EQ(fd::lowest_free(), lo);
}

// pipe2(2): the new descriptors are "the lowest-numbered file descriptors"
// available (POSIX 2.14): two holes below open descriptors are used.
TEST(pipe2, takes_lowest_free_numbers, POSITIVE, PSE53) {
    int a[2], b[2];
    fd::make_pipe(a);
    fd::make_pipe(b);
    int f[4] = {a[0], a[1], b[0], b[1]};
    for (int i = 0; i < 4; ++i) {
        for (int j = i + 1; j < 4; ++j) order(f[i], f[j]);
    }
    EXPECT_RET(sys::close(f[0]), 0);  // holes at the lowest and third lowest
    EXPECT_RET(sys::close(f[2]), 0);
    int p[2];
    fd::make_pipe(p);
    order(p[0], p[1]);
    EXPECT_EQ(p[0], f[0]);
    EXPECT_EQ(p[1], f[2]);
    fd::close_pair(p);
    sys::close(f[1]);
    sys::close(f[3]);
}

// pipe2(2) O_DIRECT: "packet" mode. Each write is one packet and a read
// returns at most one packet; a read shorter than the packet discards the
// rest of it. F_GETFL shows O_DIRECT on the write end (the end whose writes
// become packets).
TEST(pipe2, o_direct_packet_mode, POSITIVE, LINUX) {
    int p[2];
    long r = sys::pipe2(p, O_DIRECT | O_NONBLOCK);
    if (r == -EINVAL) kc::skip("pipe2 rejects O_DIRECT: no packet-mode pipes");
    ASSERT_OK(r);
    EXPECT_EQ(sys::fcntl(p[1], F_GETFL) & O_DIRECT, O_DIRECT);
    EXPECT_RET(sys::write(p[1], "abc", 3), 3);
    EXPECT_RET(sys::write(p[1], "defgh", 5), 5);
    EXPECT_RET(sys::write(p[1], "0123456789", 10), 10);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    char buf[64] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 5);
    EXPECT_MEM_EQ(buf, "defgh", 5);
    EXPECT_RET(sys::read(p[0], buf, 4), 4);  // the other 6 bytes are dropped
    EXPECT_MEM_EQ(buf, "0123", 4);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 1);
    EXPECT_EQ(buf[0], 'z');
    EXPECT_ERR(sys::read(p[0], buf, sizeof buf), EAGAIN);
    fd::close_pair(p);
}

// pipe2(2): fstat shows a FIFO, the same inode on both ends.
TEST(pipe2, fstat_is_fifo, POSITIVE, PSE53) {
    int p[2];
    fd::make_pipe(p);
    arch::Stat r{}, w{};
    EXPECT_RET(sys::fstat(p[0], &r), 0);
    EXPECT_RET(sys::fstat(p[1], &w), 0);
    EXPECT_EQ(long(r.st_mode & S_IFMT), long(S_IFIFO));
    EXPECT_EQ(long(w.st_mode & S_IFMT), long(S_IFIFO));
    EXPECT_EQ(long(r.st_ino), long(w.st_ino));
    fd::close_pair(p);
}

// pipe2(2): "EMFILE: The per-process limit on the number of open file
// descriptors has been reached": with one free slot below RLIMIT_NOFILE
// (two are needed), it fails and the one slot is still free afterwards.
TEST(pipe2, one_free_slot_emfile_no_leak, BOUNDARY, PSE53) {
    fd::with_nofile_limit(u64(fd::lowest_free()) + 1, -1, [](int, int limit) {
        int p[2] = {INT_MIN, INT_MIN};  // never a descriptor
        EXPECT_ERR(sys::pipe2(p, O_CLOEXEC), EMFILE);
        EXPECT_EQ(p[0], INT_MIN);
        EXPECT_EQ(fd::lowest_free(), limit - 1);
    });
}

// pipe2(2): create/close cycles leak nothing; every pipe gets the same two
// lowest numbers, and the pipe after them too. The loop crosses
// RLIMIT_NOFILE, lowered to 64 above the lowest free fd, four times over: a
// leaked descriptor fails it with EMFILE (or a wrong number) within it.
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(pipe2, create_close_10000_no_leak, BOUNDARY, PSE53) {
    common::limit_fd_room();
    int lo = fd::lowest_free();
    int hi = fd::lowest_free_from(lo + 1);
    int bad = 0;
    for (int i = 0; i < common::kFdLeakRounds && bad < 3; ++i) {
        int p[2] = {-1, -1};
        long r = sys::pipe2(p, i & 1 ? O_CLOEXEC : 0);
        if (!EXPECT_RET(r, 0)) {
            ++bad;
            continue;
        }
        if (!EXPECT_EQ(p[0] + p[1], lo + hi)) ++bad;
        sys::close(p[i & 2 ? 0 : 1]);
        sys::close(p[i & 2 ? 1 : 0]);
    }
    int p[2];
    fd::make_pipe(p);
    order(p[0], p[1]);
    EXPECT_EQ(p[0], lo);
    EXPECT_EQ(p[1], hi);
    fd::close_pair(p);
}

// pipe2(2): pipes that each get a page of data and are closed unread. The
// buffers must be freed and the per-user pipe accounting given back:
// afterwards a new pipe still has the default capacity (Linux cuts new pipes
// to 2 pages for a user over pipe-user-pages-soft) and still works. The
// loop crosses the limits a leak would exhaust: RLIMIT_NOFILE, lowered to 64
// above the lowest free fd (leaked descriptors: EMFILE), and, for a user the
// soft limit applies to (without CAP_SYS_RESOURCE and CAP_SYS_ADMIN),
// pipe-user-pages-soft by 64 pipes (leaked accounting: a short final pipe).
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(pipe2, write_close_10000_no_leak, BOUNDARY, LINUX) {
    common::limit_fd_room();
    long cap = -1;
    {
        int p[2];
        fd::make_pipe(p);
        cap = sys::fcntl(p[0], F_GETPIPE_SZ);
        fd::close_pair(p);
    }
    long rounds = common::kFdLeakRounds;
    if (!kc::cap_usable(CAP_SYS_RESOURCE) && !kc::cap_usable(CAP_SYS_ADMIN)) {
        long soft = common::proc_number("/proc/sys/fs/pipe-user-pages-soft");
        if (soft < 0) soft = 16384;  // Linux's default
        long pages = cap > 4096 ? cap / 4096 : 1;
        if (soft / pages + 64 > rounds) rounds = soft / pages + 64;
        if (rounds > 10000) rounds = 10000;  // the old count: a larger limit is not crossed
    }
    u8 page[4096];
    fd::fill_pattern(page, sizeof page, 0);
    int lo = fd::lowest_free();
    int bad = 0;
    for (long i = 0; i < rounds && bad < 3; ++i) {
        int p[2];
        if (!EXPECT_RET(sys::pipe2(p, O_NONBLOCK), 0)) {
            ++bad;
            continue;
        }
        if (!EXPECT_RET(sys::write(p[1], page, sizeof page), long(sizeof page))) ++bad;
        sys::close(p[i & 1]);
        sys::close(p[(i & 1) ^ 1]);
    }
    EXPECT_EQ(fd::lowest_free(), lo);
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    EXPECT_RET(sys::fcntl(p[0], F_GETPIPE_SZ), cap);
    EXPECT_RET(fd::fill_nonblocking(p[1]), cap);
    usize where;
    EXPECT_RET(fd::read_pattern(p[0], 0, usize(cap), &where), cap);
    EXPECT_EQ(long(where), cap);
    fd::close_pair(p);
}
