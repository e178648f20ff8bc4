// SPDX-License-Identifier: MIT
// The harness's own test subjects: tests that pass, fail, skip, hang, crash,
// abort, leak fds and exit early on purpose. test/CMakeLists.txt runs this
// binary in both isolation modes and checks the exact outcome of each. Their
// profiles test the runner's selection, not the standard: unchecked.
#define KC_PROFILES_UNCHECKED
#include "harness/test.hpp"

TEST(selftest, pass, POSITIVE, PSE51) { EXPECT_RET(sys::getpid() > 0, 1); }

TEST(selftest, fail_expect, NEGATIVE, PSE51) {
    EXPECT_ERR(sys::close(-1), EINVAL);  // really EBADF: must be reported as FAIL
    EXPECT_EQ(1 + 1, 3);
    EXPECT_EQ(sys::close(-1), 0);  // a plain integer: decimal, errno name as a hint
}

TEST(selftest, fail_assert_stops, NEGATIVE, PSE51) {
    ASSERT_EQ(1, 2);
    sys::exit_group(42);  // never reached: ASSERT ended the test
}

TEST(selftest, skip_reason, POSITIVE, PSE51) { kc::skip("skipped on purpose"); }

// A missing interface (as if mq_open returned ENOSYS): SKIP unless the
// selected profile requires it (PSE52 and up), then FAIL naming it.
TEST(selftest, unimplemented, POSITIVE, PSE51) {
    kc::skip_unimplemented("mq_open", "pretending mq_open returned ENOSYS");
}

// Blocks forever in a system call; the watchdog must end it.
TEST(selftest, hang_syscall, POSITIVE, PSE51, .timeout_ms = 300) {
    timespec ts{1000000, 0};
    sys::nanosleep(&ts, nullptr);
}

// Spins forever in user space.
TEST(selftest, hang_loop, POSITIVE, PSE51, .timeout_ms = 300) {
    volatile unsigned spin = 0;
    for (;;) spin = spin + 1u;
}

TEST(selftest, crash_segv, POSITIVE, PSE51) {
    volatile long addr = 16;  // an unmapped page, hidden from the optimizer
    *reinterpret_cast<volatile int*>(addr) = 1;
}

TEST(selftest, crash_abort, POSITIVE, PSE51) {
    sys::tgkill(int(sys::getpid()), int(sys::gettid()), SIGABRT);
}

TEST(selftest, leak_fd, POSITIVE, PSE51) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
}

TEST(selftest, exit_early, POSITIVE, PSE51) { sys::exit_group(3); }

// A check that fails in a child process lands in the test's result.
TEST(selftest, child_failure, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn([](void*) { EXPECT_EQ(7, 8); }, nullptr);
    EXPECT_CHILD_OK(pid);
}

// Leaves a process behind in a session of its own, where killing the test's
// process group does not reach it, with a child of its own: the harness must
// find and kill both, and report the leak.
TEST(selftest, leak_process, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        sys::syscall0(nr::setsid);
        sys::fork();
        timespec long_time{100000, 0};
        for (;;) sys::nanosleep(&long_time, nullptr);
    }
    ASSERT_GT(pid, 0);
    timespec ts{0, 20000000};  // time for the setsid and the second fork
    sys::nanosleep(&ts, nullptr);
}

// Cleanups registered with kc::defer run after a failed ASSERT, newest
// first; one taken back with undefer does not run; kc::Pipe's descriptors
// are closed (checked by a cleanup registered before it, so run after it).
static int g_cleanup_fd = -1;
TEST(selftest, cleanup_after_assert, POSITIVE, PSE51) {
    kc::defer(
        [](long, long) {
            if (sys::fcntl(g_cleanup_fd, F_GETFD) >= 0)
                kc::fail("fcleanup", "the pipe is still open");
        },
        0);
    kc::defer([](long, long) { kc::fail("fcleanup", "first registered, run last"); }, 0);
    int dropped = kc::defer([](long, long) { kc::fail("fcleanup", "taken back: never runs"); }, 0);
    kc::defer([](long, long) { kc::fail("fcleanup", "last registered, run first"); }, 0);
    kc::undefer(dropped, false);
    kc::Pipe p;
    ASSERT_RET(p.r, 0);
    g_cleanup_fd = p.rd.get();
    ASSERT_EQ(1, 2);
}

// After all the trouble above, the run still works.
TEST(selftest, pass_after_trouble, POSITIVE, PSE51) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    EXPECT_RET(sys::write(fds[1], "x", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(fds[0], &c, 1), 1);
    EXPECT_EQ(c, 'x');
    sys::close(fds[0]);
    sys::close(fds[1]);
}

struct Row {
    const char* label;
    int value;
};
constexpr Row kRows[] = {{"v=1", 1}, {"v=2", 2}, {"v=3", 3}};
// Table rows report separately: v=2 fails.
TEST_P(selftest, rows, BOUNDARY, PSE51, kRows) { EXPECT_NE(row.value, 2); }

EXEC_HELPER(exit_with_argc) { return argc; }

// The suite can re-execute itself as a helper process.
TEST(selftest, exec_helper, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        const char* argv[] = {kc::self_path(), "--exec-helper=exit_with_argc", "a", "b", nullptr};
        const char* envp[] = {nullptr};
        sys::syscall3(nr::execve, long(argv[0]), long(argv), long(envp));
        sys::exit_group(99);
    }
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), 2);
}

// Leaves process-wide state behind: an armed interval timer and a pending
// signal, both of whose default actions terminate. In-process, the harness
// must contain them so that the next test (and the run) survives.
TEST(selftest, leaves_timer_and_signal, POSITIVE, PSE51) {
    itimerval it{{0, 0}, {0, 20000}};
    EXPECT_OK(sys::setitimer(ITIMER_REAL, &it, nullptr));
    u64 usr1 = sigbit(SIGUSR1);
    EXPECT_OK(sys::rt_sigprocmask(SIG_BLOCK, &usr1, nullptr));
    EXPECT_OK(sys::kill(int(sys::getpid()), SIGUSR1));
}

TEST(selftest, survives_leftovers, POSITIVE, PSE51) {
    timespec ts{0, 40000000};  // longer than the timer left armed above
    EXPECT_RET(sys::nanosleep(&ts, nullptr), 0);
}

// A test that makes no check cannot fail: the runner reports it as FAIL...
TEST(selftest, no_check, POSITIVE, PSE51) { sys::getpid(); }

// ...unless it says why it needs none.
TEST(selftest, no_check_declared, POSITIVE, PSE51) {
    sys::getpid();
    kc::no_check("the harness observes the behaviour: it returns");
}

// Stand-ins that fail as a seccomp filter would make them fail.
namespace fake {
long unshare(int) { return -EPERM; }
long getpid(int) { return -EPERM; }
}  // namespace fake

// EPERM from a call container profiles refuse (the check's text names
// unshare): FAIL, but SKIP when the run started under a seccomp filter
// (kconform-nofork installs one), which may have given it.
TEST(selftest, refused_by_filter, NEGATIVE, PSE51) { EXPECT_RET(fake::unshare(0), 0); }

// EPERM from a call no profile refuses: FAIL under a filter too.
TEST(selftest, not_refused_by_filter, NEGATIVE, PSE51) { EXPECT_RET(fake::getpid(0), 0); }
