// SPDX-License-Identifier: MIT
// kill(2) as a process-management call: signalling children and process
// groups the test created (kill(-pgid), kill(0) from a child leading its own
// group), the null signal as an existence check (zombies exist until
// reaped), and the exact errnos ESRCH and EPERM.
// Only the test's own children and groups are ever signalled: never
// kill(-1), never the harness's group.
// Not covered here: default actions, invalid signal numbers and delivery
// details (handlers, masks, queuing): tests/signal/kill.cpp.
#include "tests/proc/proc_util.hpp"

// POSIX kill: signal 0 checks that the process exists and sends nothing.
TEST(kill, null_signal_checks_existence, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_OK(sys::kill(int(h.pid), 0));
    EXPECT_OK(sys::kill(int(sys::getpid()), 0));
    EXPECT_EQ(proc::release(h), 0);  // exited normally: nothing was delivered
}

// POSIX wait/kill: an exited child stays (as a zombie) until it is waited
// for: kill(pid, 0) succeeds before the wait and fails with ESRCH after.
TEST(kill, zombie_exists_until_reaped, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0);
    ASSERT_GT(pid, 0);
    EXPECT_RET(proc::await_state(pid, WEXITED), CLD_EXITED);
    EXPECT_OK(sys::kill(int(pid), 0));
    EXPECT_OK(sys::kill(int(pid), SIGKILL));  // a zombie can be "signalled"
    EXPECT_EQ(kc::wait_status(pid), 0);       // still its exit status
    EXPECT_ERR(sys::kill(int(pid), 0), ESRCH);
}

// POSIX kill: a stopped process is killed by SIGKILL.
TEST(kill, sigkill_ends_stopped_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    EXPECT_RET(proc::await_state(h.pid, WSTOPPED), CLD_STOPPED);
    EXPECT_OK(sys::kill(int(h.pid), SIGKILL));
    EXPECT_EQ(kc::wait_status(h.pid), SIGKILL);
    sys::close(h.wfd);
}

// POSIX kill: a signal the child ignores does not end it.
TEST(kill, ignored_signal_not_fatal, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int ready[2], go[2];
    ASSERT_OK(sys::pipe2(ready, O_CLOEXEC));
    ASSERT_OK(sys::pipe2(go, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        proc::set_handler(SIGTERM, SIG_IGN);
        sys::write(ready[1], "r", 1);
        char c;
        sys::read(go[0], &c, 1);  // until the parent says go
        sys::exit_group(7);
    }
    ASSERT_GT(pid, 0);
    char c;
    EXPECT_RET(sys::read(ready[0], &c, 1), 1);
    EXPECT_OK(sys::kill(int(pid), SIGTERM));
    EXPECT_RET(sys::write(go[1], "g", 1), 1);
    EXPECT_EQ(kc::wait_status(pid), 7 << 8);
    int fds[] = {ready[0], ready[1], go[0], go[1]};
    for (int fd : fds) sys::close(fd);
}

// POSIX kill: a negative pid signals every process of that group: both
// members of a group the test created die, the test does not.
TEST(kill, negative_pid_signals_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held a, b;
    ASSERT_TRUE(proc::hold(a, true));
    ASSERT_TRUE(proc::hold(b));
    ASSERT_OK(sys::setpgid(int(b.pid), int(a.pid)));
    EXPECT_OK(sys::kill(int(-a.pid), 0));
    EXPECT_OK(sys::kill(int(-a.pid), SIGUSR1));
    EXPECT_EQ(kc::wait_status(a.pid), SIGUSR1);
    EXPECT_EQ(kc::wait_status(b.pid), SIGUSR1);
    EXPECT_ERR(sys::kill(int(-a.pid), 0), ESRCH);  // the group is gone
    sys::close(a.wfd);
    sys::close(b.wfd);
}

// POSIX kill: pid 0 signals the caller's own group, the caller included.
// Done by a child that leads its own group with one member; it blocks the
// signal, so it sees it pending while the member dies.
TEST(kill, pid_zero_signals_own_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::setpgid(0, 0));
            proc::Held m;
            ASSERT_TRUE(proc::hold(m));
            ASSERT_OK(proc::block(SIGUSR2));
            EXPECT_OK(sys::kill(0, SIGUSR2));
            EXPECT_EQ(kc::wait_status(m.pid), SIGUSR2);
            siginfo si{};
            EXPECT_RET(proc::wait_signal(SIGUSR2, &si, 1000), SIGUSR2);
            EXPECT_EQ(si.si_code, SI_USER);
            EXPECT_EQ(si.rt.pid, sys::getpid());
            sys::close(m.wfd);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct Pid {
    const char* label;
    int pid;
};
// POSIX kill: ESRCH when no process or group matches. kill(INT_MIN) is
// ESRCH on Linux (-INT_MIN is not a valid group).
constexpr Pid kNoPid[] = {
    {"pid=INT_MAX", INT_MAX}, {"pgid=-INT_MAX", -INT_MAX}, {"pid=INT_MIN", INT_MIN}};
TEST_P(kill, no_such_process_esrch, NEGATIVE, PSE51, kNoPid) {
    EXPECT_ERR(sys::kill(row.pid, 0), ESRCH);
}

// POSIX kill: EPERM when an unprivileged sender signals another user's
// process (proc::foreign_process); the null signal is checked the same way,
// and delivers nothing even if it were wrongly allowed.
TEST(kill, other_user_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Foreign f;
    proc::foreign_process(f);
    long pid = kc::spawn(
        [](void* a) {
            auto* f = static_cast<proc::Foreign*>(a);
            ASSERT_TRUE(proc::unprivileged_toward(*f));
            EXPECT_ERR(sys::kill(int(f->pid), 0), EPERM);
        },
        &f);
    EXPECT_CHILD_OK(pid);
    proc::release(f);
}

// POSIX kill: an unprivileged process (no capabilities) may signal its own
// children (same real/effective uid).
TEST(kill, unprivileged_own_child_allowed, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());  // no CAP_KILL: the uid decides
            proc::Held h;
            ASSERT_TRUE(proc::hold(h));
            EXPECT_OK(sys::kill(int(h.pid), SIGTERM));
            EXPECT_EQ(kc::wait_status(h.pid), SIGTERM);
            sys::close(h.wfd);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
