// SPDX-License-Identifier: MIT
// pidfd_open(2), pidfd_send_signal(2), pidfd_getfd(2) (Linux 5.3/5.1/5.6):
// a pidfd is close-on-exec, becomes readable when its process exits, can be
// non-blocking for waitid(P_PIDFD), delivers signals (with a queued siginfo
// too) and stays valid, reporting ESRCH, after the process is reaped.
// Exact errnos for bad flags, bad pids, non-pidfd descriptors and bad
// signals. Tests SKIP when the kernel has no pidfd_open.
// Not covered: PIDFD_THREAD (no threads here), pidfds of other users'
// processes, pidfd_getfd across ptrace restrictions.
#include "rt/sys_poll.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

// pidfd_open or SKIP when the kernel lacks it; returns the pidfd.
long open_pidfd(long pid, unsigned flags = 0) {
    long fd = sys::pidfd_open(int(pid), flags);
    if (fd == -ENOSYS) kc::skip_unimplemented("pidfd_open", "no pidfd_open (Linux < 5.3)");
    return fd;
}

// The poll events of fd for reading, now (0 when none).
int readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    timespec zero{0, 0};
    long r = sys::ppoll(&p, 1, &zero, nullptr);
    return r == 1 ? p.revents : 0;
}

}  // namespace

// pidfd_open(2): the descriptor has FD_CLOEXEC set; it is not readable while
// the process runs and becomes readable (POLLIN) once it has exited.
TEST(pidfd_open, readable_when_process_exits, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), 0);
    if (fd == -ENOSYS) {
        proc::release(h);
        kc::skip("no pidfd_open (Linux < 5.3)");
    }
    ASSERT_OK(fd);
    EXPECT_RET(sys::fcntl(int(fd), F_GETFD), FD_CLOEXEC);
    EXPECT_EQ(readable(int(fd)), 0);
    sys::close(h.wfd);
    EXPECT_RET(proc::await_state(h.pid, WEXITED), CLD_EXITED);
    EXPECT_EQ(readable(int(fd)), POLLIN);
    EXPECT_EQ(kc::wait_status(h.pid), 0);
    sys::close(int(fd));
}

// pidfd_open(2): a process may open a pidfd for itself.
TEST(pidfd_open, self, POSITIVE, LINUX) {
    long fd = open_pidfd(sys::getpid());
    ASSERT_OK(fd);
    EXPECT_EQ(readable(int(fd)), 0);
    sys::close(int(fd));
}

// pidfd_open(2): an exited child that has not been reaped still has a pid:
// its pidfd can be opened, and is readable at once.
TEST(pidfd_open, zombie_child, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(3);
    ASSERT_GT(pid, 0);
    EXPECT_RET(proc::await_state(pid, WEXITED), CLD_EXITED);
    long fd = sys::pidfd_open(int(pid), 0);
    if (fd == -ENOSYS) {
        kc::wait_status(pid);
        kc::skip("no pidfd_open (Linux < 5.3)");
    }
    EXPECT_OK(fd);
    EXPECT_EQ(readable(int(fd)), POLLIN);
    EXPECT_EQ(kc::wait_status(pid), 3 << 8);
    if (fd >= 0) sys::close(int(fd));
}

struct Flags {
    const char* label;
    unsigned flags;
};
constexpr Flags kBadOpenFlags[] = {
    {"0x1", 1},
    {"O_CLOEXEC", O_CLOEXEC},
    {"O_RDWR", O_RDWR},
    {"0x80000000", 0x80000000u},
};
// pidfd_open(2): flags other than PIDFD_NONBLOCK (and PIDFD_THREAD) are
// EINVAL.
TEST_P(pidfd_open, bad_flags_einval, NEGATIVE, LINUX, kBadOpenFlags) {
    EXPECT_ERR(open_pidfd(sys::getpid(), row.flags), EINVAL);
}

struct Pid {
    const char* label;
    int pid;
};
constexpr Pid kNonPositive[] = {{"pid=0", 0}, {"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
// pidfd_open(2): a pid that is not positive is EINVAL.
TEST_P(pidfd_open, non_positive_pid_einval, NEGATIVE, LINUX, kNonPositive) {
    EXPECT_ERR(open_pidfd(row.pid), EINVAL);
}

// pidfd_open(2): ESRCH for a pid that names no process, and for a child
// that has been reaped.
TEST(pidfd_open, no_such_process_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    EXPECT_ERR(open_pidfd(INT_MAX), ESRCH);
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_ERR(open_pidfd(pid), ESRCH);
}

// pidfd_open(2) PIDFD_NONBLOCK (Linux 5.10): waitid(P_PIDFD) on a running
// process returns EAGAIN instead of blocking; the flag shows in F_GETFL.
TEST(pidfd_open, nonblock_waitid_eagain, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), PIDFD_NONBLOCK);
    if (fd == -ENOSYS || fd == -EINVAL) {
        proc::release(h);
        kc::skip("no pidfd_open with PIDFD_NONBLOCK (Linux < 5.10)");
    }
    ASSERT_OK(fd);
    EXPECT_TRUE(sys::fcntl(int(fd), F_GETFL) & O_NONBLOCK);
    siginfo si{};
    EXPECT_ERR(sys::waitid(P_PIDFD, int(fd), &si, WEXITED, nullptr), EAGAIN);
    sys::close(h.wfd);
    EXPECT_RET(proc::await_state(h.pid, WEXITED), CLD_EXITED);
    EXPECT_RET(sys::waitid(P_PIDFD, int(fd), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, h.pid);
    sys::close(int(fd));
}

// pidfd_send_signal(2): the signal reaches the process the pidfd refers to.
TEST(pidfd_send_signal, delivers_signal, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), 0);
    if (fd < 0) {
        proc::release(h);
        ASSERT_OK(fd);
    }
    EXPECT_OK(sys::pidfd_send_signal(int(fd), 0, nullptr, 0));  // existence check
    EXPECT_OK(sys::pidfd_send_signal(int(fd), SIGTERM, nullptr, 0));
    EXPECT_EQ(kc::wait_status(h.pid), SIGTERM);
    sys::close(h.wfd);
    sys::close(int(fd));
}

// pidfd_send_signal(2): a queued siginfo (si_code SI_QUEUE) arrives with its
// value.
TEST(pidfd_send_signal, queued_info_delivered, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int ready[2];
    ASSERT_OK(sys::pipe2(ready, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        proc::block(SIGUSR1);
        sys::write(ready[1], "r", 1);
        siginfo si{};
        long r = proc::wait_signal(SIGUSR1, &si, 5000);
        sys::exit_group(r == SIGUSR1 && si.si_code == SI_QUEUE && si.rt.value == 0x1234 &&
                                si.rt.pid == int(sys::getppid())
                            ? 0
                            : 1);
    }
    ASSERT_GT(pid, 0);
    char c;
    EXPECT_RET(sys::read(ready[0], &c, 1), 1);
    long fd = sys::pidfd_open(int(pid), 0);
    EXPECT_OK(fd);
    siginfo si{};
    si.si_signo = SIGUSR1;
    si.si_code = SI_QUEUE;
    si.rt.pid = int(sys::getpid());
    si.rt.uid = u32(sys::getuid());
    si.rt.value = 0x1234;
    EXPECT_OK(sys::pidfd_send_signal(int(fd), SIGUSR1, &si, 0));
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(int(fd));
    sys::close(ready[0]);
    sys::close(ready[1]);
}

// pidfd_send_signal(2): a siginfo whose si_signo differs from sig is
// EINVAL; one claiming to come from the kernel (si_code >= 0) sent to
// another process is EPERM.
TEST(pidfd_send_signal, bad_siginfo, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), 0);
    EXPECT_OK(fd);
    siginfo si{};
    si.si_signo = SIGUSR2;
    si.si_code = SI_QUEUE;
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), SIGUSR1, &si, 0), EINVAL);
    si.si_signo = SIGUSR1;
    si.si_code = SI_USER;
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), SIGUSR1, &si, 0), EPERM);
    EXPECT_EQ(proc::release(h), 0);  // no signal reached it
    sys::close(int(fd));
}

// pidfd_send_signal(2): flags must be 0 (in 6.x: 0 or one PIDFD_SIGNAL_*
// scope flag); others are EINVAL. An invalid signal is EINVAL.
TEST(pidfd_send_signal, bad_flags_or_signal_einval, NEGATIVE, LINUX) {
    long fd = open_pidfd(sys::getpid());
    ASSERT_OK(fd);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), 0, nullptr, 0x80), EINVAL);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), 0, nullptr, 0x80000000u), EINVAL);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), 65, nullptr, 0), EINVAL);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), -1, nullptr, 0), EINVAL);
    sys::close(int(fd));
}

// pidfd_send_signal(2): EBADF for a descriptor that is not a pidfd, or not
// open.
TEST(pidfd_send_signal, not_a_pidfd_ebadf, NEGATIVE, LINUX) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    EXPECT_ERR(sys::pidfd_send_signal(p[0], 0, nullptr, 0), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::pidfd_send_signal(p[0], 0, nullptr, 0), EBADF);
    EXPECT_ERR(sys::pidfd_send_signal(-1, 0, nullptr, 0), EBADF);
}

// pidfd_send_signal(2): after the process is reaped its pidfd stays open
// but signals fail with ESRCH (the pid is never confused with a reuse); the
// pidfd then polls readable (newer kernels, such as 6.18, add POLLHUP; 6.1
// does not: not what this test is about).
TEST(pidfd_send_signal, reaped_process_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), 0);
    EXPECT_EQ(proc::release(h), 0);
    ASSERT_OK(fd);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), 0, nullptr, 0), ESRCH);
    EXPECT_ERR(sys::pidfd_send_signal(int(fd), SIGKILL, nullptr, 0), ESRCH);
    EXPECT_EQ(readable(int(fd)) & ~POLLHUP, POLLIN);
    sys::close(int(fd));
}

// pidfd_getfd(2) (Linux 5.6): duplicates a descriptor of another process:
// the copy refers to the same pipe the child created and wrote into. The
// call needs ptrace access to the child (PTRACE_MODE_ATTACH_REALCREDS),
// which a non-dumpable child grants only to CAP_SYS_PTRACE; a process is
// non-dumpable once it has changed its effective uid, as the harness's probe
// does: the child makes itself dumpable again.
TEST(pidfd_getfd, duplicates_child_fd, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int info[2], hold[2];
    ASSERT_OK(sys::pipe2(info, O_CLOEXEC));
    ASSERT_OK(sys::pipe2(hold, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        sys::prctl(PR_SET_DUMPABLE, 1);
        sys::close(hold[1]);
        int p[2];
        long r = sys::pipe2(p, 0);
        if (r == 0) sys::write(p[1], "from-child", 10);
        int fd = r == 0 ? p[0] : -1;
        sys::write(info[1], &fd, sizeof fd);
        char c;
        sys::read(hold[0], &c, 1);  // until the parent closes hold[1]
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    int theirs = -1;
    EXPECT_RET(sys::read(info[0], &theirs, sizeof theirs), 4);
    long pidfd = sys::pidfd_open(int(pid), 0);
    EXPECT_OK(pidfd);
    long mine = sys::pidfd_getfd(int(pidfd), theirs, 0);
    if (mine == -ENOSYS) {
        sys::close(hold[1]);
        kc::wait_status(pid);
        kc::skip("no pidfd_getfd (Linux < 5.6)");
    }
    EXPECT_OK(mine);
    if (mine >= 0) {
        EXPECT_RET(sys::fcntl(int(mine), F_GETFD), FD_CLOEXEC);  // always close-on-exec
        char buf[16] = {};
        EXPECT_RET(sys::read(int(mine), buf, sizeof buf), 10);
        EXPECT_MEM_EQ(buf, "from-child", 10);
        sys::close(int(mine));
    }
    EXPECT_ERR(sys::pidfd_getfd(int(pidfd), theirs, 1), EINVAL);  // flags must be 0
    EXPECT_ERR(sys::pidfd_getfd(int(pidfd), 1000, 0), EBADF);     // not open there
    EXPECT_ERR(sys::pidfd_getfd(info[0], theirs, 0), EBADF);      // not a pidfd
    sys::close(hold[1]);
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(int(pidfd));
    sys::close(info[0]);
    sys::close(info[1]);
    sys::close(hold[0]);
}

namespace {
// pidfd_getfd, or SKIP where the kernel lacks it (Linux < 5.6).
long getfd(int pidfd, int fd, unsigned flags) {
    long r = sys::pidfd_getfd(pidfd, fd, flags);
    if (r == -ENOSYS) kc::skip_unimplemented("pidfd_getfd", "no pidfd_getfd (Linux < 5.6)");
    return r;
}
}  // namespace

// pidfd_getfd(2) on the caller's own pidfd (ptrace access to one's own
// thread group is always granted): a new descriptor, close-on-exec, for
// the same open file: bytes written through it come out of the pipe.
TEST(pidfd_getfd, own_process_duplicates_fd, POSITIVE, LINUX) {
    kc::Fd pidfd(open_pidfd(sys::getpid()));
    ASSERT_OK(pidfd.get());
    kc::Pipe p;
    ASSERT_OK(p.r);
    kc::Fd copy(getfd(pidfd, p.wr, 0));
    ASSERT_OK(copy.get());
    EXPECT_NE(copy.get(), p.wr.get());
    EXPECT_RET(sys::fcntl(copy, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::write(copy, "dup", 3), 3);
    char buf[4];
    EXPECT_RET(sys::read(p.rd, buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "dup", 3);
}

// pidfd_getfd(2) EINVAL: flags is reserved and must be 0 (O_CLOEXEC too:
// the copy is always close-on-exec).
struct GetfdFlags {
    const char* label;
    unsigned flags;
};
constexpr GetfdFlags kGetfdFlags[] = {
    {"flags_1", 1}, {"flags_o_cloexec", unsigned(O_CLOEXEC)}, {"flags_bit_31", 0x80000000u}};
TEST_P(pidfd_getfd, nonzero_flags_einval, NEGATIVE, LINUX, kGetfdFlags) {
    kc::Fd pidfd(open_pidfd(sys::getpid()));
    ASSERT_OK(pidfd.get());
    EXPECT_ERR(getfd(pidfd, pidfd, row.flags), EINVAL);
}

// pidfd_getfd(2) EBADF: the first argument is not a pidfd (-1, a pipe, a
// closed number), or the target descriptor is not open in that process.
struct GetfdBad {
    const char* label;
    int kind;  // 0 pidfd -1, 1 pidfd is a pipe, 2 pidfd closed, 3 target -1, 4 target closed
};
constexpr GetfdBad kGetfdBad[] = {{"pidfd_minus_1", 0},
                                  {"pidfd_is_pipe", 1},
                                  {"pidfd_not_open", 2},
                                  {"target_minus_1", 3},
                                  {"target_not_open", 4}};
TEST_P(pidfd_getfd, bad_descriptors_ebadf, NEGATIVE, LINUX, kGetfdBad) {
    kc::Fd pidfd(open_pidfd(sys::getpid()));
    ASSERT_OK(pidfd.get());
    kc::Pipe p;
    ASSERT_OK(p.r);
    int who = row.kind == 0 ? -1 : row.kind == 1 ? p.rd.get() : row.kind == 2 ? 9999 : pidfd.get();
    int target = row.kind == 3 ? -1 : row.kind == 4 ? 9999 : p.wr.get();
    EXPECT_ERR(getfd(who, target, 0), EBADF);
}

// pidfd_getfd(2) on a process that has exited: ESRCH while it is a zombie
// (Linux 6.9+ reports an exiting task so; earlier kernels said EBADF, its
// descriptor table being gone) and after it is reaped.
TEST(pidfd_getfd, exited_process, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    kc::Fd pidfd(open_pidfd(pid));
    ASSERT_OK(pidfd.get());
    for (int i = 0; i < 2000 && !(readable(pidfd) & POLLIN); ++i) common::sleep_ms(1);
    ASSERT_TRUE(readable(pidfd) & POLLIN);  // exited, not yet reaped
    EXPECT_ERR(getfd(pidfd, 0, 0), ESRCH);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_ERR(getfd(pidfd, 0, 0), ESRCH);
}
