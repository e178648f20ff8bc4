// SPDX-License-Identifier: MIT
// Process groups and sessions: setpgid(2), getpgid(2), getpgrp(2),
// setsid(2), getsid(2). Each change happens in a child (or to a child), so
// the test process and, in --isolate=none, the harness keep their group and
// session. Covers the exact EPERM/EACCES/ESRCH/EINVAL cases of setpgid and
// setsid and the inheritance of group and session by children.
// setsid's loss of the controlling terminal is checked on a pseudo-terminal
// of the test's own.
// Not covered: job control on a terminal (tcsetpgrp, SIGTTOU on write).
#include "rt/sys_fs.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/pty_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

// A child that calls setsid() and then waits on a pipe like proc::hold.
bool hold_new_session(proc::Held& h) {
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC) < 0) return false;
    int q[2];
    if (sys::pipe2(q, O_CLOEXEC) < 0) {
        sys::close(p[0]);
        sys::close(p[1]);
        return false;
    }
    long pid = sys::fork();
    if (pid == 0) {
        long r = sys::setsid();
        sys::write(q[1], &r, sizeof r);
        proc::close_all_but(p[0]);
        char c;
        while (sys::read(p[0], &c, 1) == -EINTR) {
        }
        sys::exit_group(0);
    }
    sys::close(p[0]);
    sys::close(q[1]);
    long r = -1;
    bool ok = pid > 0 && sys::read(q[0], &r, sizeof r) == sizeof r && r == pid;
    sys::close(q[0]);
    h.pid = pid;
    h.wfd = p[1];
    return ok;
}

}  // namespace

// POSIX setpgid: a parent may make its child the leader of a new group.
TEST(setpgid, child_into_new_group, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_EQ(sys::getpgid(int(h.pid)), sys::getpgid(0));
    EXPECT_OK(sys::setpgid(int(h.pid), int(h.pid)));
    EXPECT_EQ(sys::getpgid(int(h.pid)), h.pid);
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX setpgid: pid 0 means the caller and pgid 0 means its own pid.
TEST(setpgid, zero_means_self, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            EXPECT_OK(sys::setpgid(0, 0));
            EXPECT_EQ(sys::getpgid(0), sys::getpid());
            EXPECT_OK(sys::setpgid(0, int(sys::getpid())));  // already there: no change
            EXPECT_EQ(sys::getpgid(0), sys::getpid());
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setpgid: a child can join another existing group of the session.
TEST(setpgid, join_existing_group, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    proc::Held a, b;
    ASSERT_TRUE(proc::hold(a, true));
    ASSERT_TRUE(proc::hold(b));
    EXPECT_OK(sys::setpgid(int(b.pid), int(a.pid)));
    EXPECT_EQ(sys::getpgid(int(b.pid)), a.pid);
    EXPECT_EQ(proc::release(b), 0);
    EXPECT_EQ(proc::release(a), 0);
}

struct Pgid {
    const char* label;
    int pgid;
};
constexpr Pgid kNegPgid[] = {{"pgid=-1", -1}, {"pgid=-2", -2}, {"pgid=INT_MIN", INT_MIN}};
// POSIX setpgid: EINVAL for a negative pgid.
TEST_P(setpgid, negative_pgid_einval, NEGATIVE, PSE54, kNegPgid) {
    EXPECT_ERR(sys::setpgid(0, row.pgid), EINVAL);
}

// POSIX setpgid: ESRCH when pid is neither the caller nor one of its
// children (its parent, a process that does not exist). Checked in a child,
// whose parent is always the test.
TEST(setpgid, not_self_or_child_esrch, NEGATIVE, PSE54, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            int ppid = int(sys::getppid());
            EXPECT_ERR(sys::setpgid(ppid, ppid), ESRCH);
            EXPECT_ERR(sys::setpgid(INT_MAX, 0), ESRCH);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setpgid: EACCES for a child that has already performed an exec.
TEST(setpgid, child_after_exec_eacces, NEGATIVE, PSE54, .flags = kc::NEEDS_FORK) {
    int sync[2], hold[2];
    ASSERT_OK(sys::pipe2(sync, O_CLOEXEC));
    ASSERT_OK(sys::pipe2(hold, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        // A copy without FD_CLOEXEC, for the helper to wait on (the lowest
        // free number from 3, so that it fits any RLIMIT_NOFILE).
        long fd = sys::fcntl(hold[0], F_DUPFD, 3);
        char num[24];
        const char* argv[] = {kc::self_path(), "--exec-helper=proc_wait_fd",
                              proc::dec(num, sizeof num, fd), nullptr};
        const char* envp[] = {nullptr};
        sys::execve(argv[0], argv, envp);
        sys::exit_group(127);
    }
    ASSERT_GT(pid, 0);
    sys::close(sync[1]);
    char c;
    EXPECT_RET(sys::read(sync[0], &c, 1), 0);  // the exec closed the other end
    EXPECT_ERR(sys::setpgid(int(pid), int(pid)), EACCES);
    sys::close(hold[1]);
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(sync[0]);
    sys::close(hold[0]);
}

// POSIX setpgid: EPERM for a child in another session (here a session
// leader), and for moving a process into a group of another session.
TEST(setpgid, other_session_eperm, NEGATIVE, PSE54, .flags = kc::NEEDS_FORK) {
    proc::Held s, h;
    ASSERT_TRUE(hold_new_session(s));
    ASSERT_TRUE(proc::hold(h));
    EXPECT_ERR(sys::setpgid(int(s.pid), int(s.pid)), EPERM);
    EXPECT_ERR(sys::setpgid(int(s.pid), int(sys::getpgid(0))), EPERM);
    EXPECT_ERR(sys::setpgid(int(h.pid), int(s.pid)), EPERM);
    EXPECT_EQ(proc::release(h), 0);
    EXPECT_EQ(proc::release(s), 0);
}

// POSIX setpgid: EPERM when pgid names no process group in the session.
TEST(setpgid, no_such_group_eperm, NEGATIVE, PSE54, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_ERR(sys::setpgid(int(h.pid), INT_MAX), EPERM);
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX setpgid: EPERM when the process is a session leader.
TEST(setpgid, session_leader_eperm, NEGATIVE, PSE54, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_EQ(sys::setsid(), sys::getpid());
            EXPECT_ERR(sys::setpgid(0, 0), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX getpgid: pid 0 is the caller; a child starts in its parent's group.
// Like sessions, the group is 0 when its leader is outside the caller's pid
// namespace or the caller is PID 1 and never joined a group (Linux).
TEST(getpgid, self_and_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long own = sys::getpgid(0);
    ASSERT_GE(own, 0);
    EXPECT_EQ(sys::getpgid(int(sys::getpid())), own);
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_EQ(sys::getpgid(int(h.pid)), own);
    EXPECT_EQ(proc::release(h), 0);
}

struct Pid {
    const char* label;
    int pid;
};
constexpr Pid kNoPid[] = {{"pid=INT_MAX", INT_MAX}, {"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
// POSIX getpgid: ESRCH for a pid that names no process.
TEST_P(getpgid, no_such_process_esrch, NEGATIVE, PSE53, kNoPid) {
    EXPECT_ERR(sys::getpgid(row.pid), ESRCH);
}

// POSIX getpgid: a reaped child no longer exists: ESRCH.
TEST(getpgid, reaped_child_esrch, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_ERR(sys::getpgid(int(pid)), ESRCH);
}

// POSIX getpgrp: the caller's group, the same as getpgid(0).
TEST(getpgrp, equals_getpgid_zero, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(getpgrp);
    EXPECT_EQ(sys::getpgrp(), sys::getpgid(0));
    long pid = kc::spawn(
        [](void*) {
            sys::setpgid(0, 0);
            EXPECT_EQ(sys::getpgrp(), sys::getpid());
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setsid: the caller becomes leader of a new session and of a new
// group, both with its pid; setsid returns that pid.
TEST(setsid, creates_session_and_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            long self = sys::getpid();
            EXPECT_NE(sys::getsid(0), self);
            EXPECT_RET(sys::setsid(), self);
            EXPECT_EQ(sys::getsid(0), self);
            EXPECT_EQ(sys::getpgid(0), self);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setsid: EPERM when the caller is already a process group leader.
TEST(setsid, group_leader_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::setpgid(0, 0));
            long sid = sys::getsid(0);
            EXPECT_ERR(sys::setsid(), EPERM);
            EXPECT_EQ(sys::getsid(0), sid);  // unchanged
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setsid: a second call by the new session leader is EPERM.
TEST(setsid, twice_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_EQ(sys::setsid(), sys::getpid());
            EXPECT_ERR(sys::setsid(), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setsid: the new session has no controlling terminal, so opening
// /dev/tty fails with ENXIO.
TEST(setsid, no_controlling_terminal, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long probe = sys::openat(AT_FDCWD, "/dev/tty", O_PATH | O_CLOEXEC);
    if (probe < 0) kc::skip("no /dev/tty device node");
    sys::close(int(probe));
    long pid = kc::spawn(
        [](void*) {
            ASSERT_EQ(sys::setsid(), sys::getpid());
            EXPECT_ERR(sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC), ENXIO);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setsid: the caller "shall have no controlling terminal". A child in
// a session whose controlling terminal is a pseudo-terminal shares it until
// it calls setsid; then /dev/tty is ENXIO and TIOCGSID on the terminal
// ENOTTY (it is no longer the caller's), while its parent keeps it.
TEST(setsid, detaches_controlling_terminal, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    common::require_pty();
    long pid = kc::spawn(
        [](void*) {
            // Closing the master hangs the terminal up: SIGHUP to this leader.
            ASSERT_OK(proc::set_handler(SIGHUP, SIG_IGN));
            ASSERT_EQ(sys::setsid(), sys::getpid());
            int m = -1, s = -1;
            ASSERT_TRUE(common::open_pty_ctty(m, s));
            int sid = 0;
            EXPECT_RET(sys::ioctl(s, TIOCGSID, long(&sid)), 0);
            EXPECT_EQ(sid, sys::getpid());
            long kid = sys::fork();
            if (kid == 0) {
                int bits = sys::ioctl(s, TIOCGSID, long(&sid)) == 0 ? 0 : 1;  // inherited
                bits |= sys::setsid() == sys::getpid() ? 0 : 2;
                bits |= sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC) == -ENXIO ? 0 : 4;
                bits |= sys::ioctl(s, TIOCGSID, long(&sid)) == -ENOTTY ? 0 : 8;
                sys::exit_group(bits);
            }
            EXPECT_EQ(kc::wait_status(kid), 0);  // bits: which step of the child failed
            long tty = sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC);
            EXPECT_OK(tty);
            if (tty >= 0) sys::close(int(tty));
            sys::close(s);
            sys::close(m);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX fork/setsid: children of a session leader are in its session and
// group.
TEST(getsid, child_inherits_session, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            long self = sys::setsid();
            ASSERT_EQ(self, sys::getpid());
            long kid = sys::fork();
            if (kid == 0) {
                sys::exit_group(sys::getsid(0) == self && sys::getpgid(0) == self ? 0 : 1);
            }
            EXPECT_EQ(kc::wait_status(kid), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX getsid: pid 0 is the caller; a child reports the same session.
// Linux reports session 0 when the session's leader is outside the caller's
// pid namespace (a container) or when no one ever called setsid (the suite
// as PID 1), so 0 is a valid answer here; getsid(0) of a fresh session is
// checked exactly by setsid's tests.
TEST(getsid, self_and_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long own = sys::getsid(0);
    ASSERT_GE(own, 0);
    EXPECT_EQ(sys::getsid(int(sys::getpid())), own);
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_EQ(sys::getsid(int(h.pid)), own);
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX getsid: ESRCH for a pid that names no process.
TEST_P(getsid, no_such_process_esrch, NEGATIVE, PSE53, kNoPid) {
    EXPECT_ERR(sys::getsid(row.pid), ESRCH);
}

// getsid(2): Linux reports the session of a process in another session
// (POSIX allows EPERM there): here a child that made its own session.
TEST(getsid, other_session_readable, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held s;
    ASSERT_TRUE(hold_new_session(s));
    EXPECT_EQ(sys::getsid(int(s.pid)), s.pid);
    EXPECT_NE(sys::getsid(0), s.pid);
    EXPECT_EQ(proc::release(s), 0);
}

// POSIX getsid, the twin of the test above for a profile run: the session
// of a process in another session, or "[EPERM] The process specified by pid
// is not in the same session as the calling process, and the implementation
// does not allow access to the process group ID of the session leader".
TEST(getsid, other_session_sid_or_eperm, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held s;
    ASSERT_TRUE(hold_new_session(s));
    long r = sys::getsid(int(s.pid));
    EXPECT_TRUE(r == s.pid || r == -EPERM);
    EXPECT_NE(sys::getsid(0), s.pid);
    EXPECT_EQ(proc::release(s), 0);
}

// POSIX fork: "The child process shall have ... the same process group ID
// as the parent": getpgrp agrees in both.
TEST(getpgrp, child_inherits_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(getpgrp);
    // In a group of its own first: the run's group may lie outside its PID
    // namespace (getpgrp then reads 0), and in-process the group is the
    // harness's.
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_RET(sys::setpgid(0, 0), 0);
            static long parent_group;
            parent_group = sys::getpgrp();
            ASSERT_EQ(parent_group, sys::getpid());
            EXPECT_CHILD_OK(
                kc::spawn([](void*) { EXPECT_EQ(sys::getpgrp(), parent_group); }, nullptr));
        },
        nullptr));
}

// POSIX setsid: the caller becomes the leader of a new group whose ID is
// its pid; getpgrp reports it, equal to getsid(0).
TEST(getpgrp, follows_setsid, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(getpgrp);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_RET(sys::setsid(), sys::getpid());
            EXPECT_EQ(sys::getpgrp(), sys::getpid());
            EXPECT_EQ(sys::getpgrp(), sys::getsid(0));
        },
        nullptr));
}

// POSIX setpgid: a process moves between groups of its session; getpgrp
// follows each move (a child leads group A, its child B joins a group of
// its own and then A's again). B reports by its exit status.
TEST(getpgrp, follows_setpgid_moves, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(getpgrp);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_RET(sys::setpgid(0, 0), 0);
            long a = sys::getpid();
            ASSERT_EQ(sys::getpgrp(), a);
            long b = sys::fork();
            if (b == 0) {
                int bad = sys::getpgrp() != a;
                bad |= (sys::setpgid(0, 0) != 0 || sys::getpgrp() != sys::getpid()) << 1;
                bad |= (sys::setpgid(0, int(a)) != 0 || sys::getpgrp() != a) << 2;
                sys::exit_group(bad);
            }
            ASSERT_GT(b, 0);
            int status = kc::wait_status(b);
            EXPECT_EQ(status, 0);  // exit code bits: 1 inherited, 2 own group, 4 back to A
        },
        nullptr));
}

// getpgrp takes no arguments: junk in the argument registers is ignored.
TEST(getpgrp, ignores_argument_registers, BOUNDARY, LINUX) {
    REQUIRE_NR(getpgrp);
    EXPECT_EQ(arch::syscall3(nr::getpgrp, -1, 0x7fffffff, 8), sys::getpgid(0));
}
