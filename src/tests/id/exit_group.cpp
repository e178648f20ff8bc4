// SPDX-License-Identifier: MIT
// exit_group(2) (_exit): the process ends with the given status, observed by
// the parent through wait4, waitid and SIGCHLD; the low 8 bits survive;
// open descriptors are closed.
// Not covered: ending the other threads of a group (threads area), exit of
// the last process of a pid namespace.
#include "harness/test.hpp"
#include "tests/time/time_util.hpp"

struct Code {
    const char* label;
    int code;
    int seen;  // what wait reports: the low 8 bits
};
constexpr Code kCodes[] = {
    {"status=0", 0, 0},
    {"status=1", 1, 1},
    {"status=42", 42, 42},
    {"status=255", 255, 255},
    {"status=256", 256, 0},
    {"status=-1", -1, 255},
    {"status=0x1234", 0x1234, 0x34},
};
// exit_group(2), POSIX _exit(): the parent's wait sees a normal exit whose
// status is the low 8 bits of the value passed.
TEST_P(exit_group, status_seen_by_wait, POSITIVE, PSE53, kCodes, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(row.code);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), row.seen);
}

// exit_group(2): waitid() reports CLD_EXITED with the status. POSIX wants
// the full int in si_status; Linux keeps only the low 8 bits there too.
TEST(exit_group, waitid_reports_low_bits, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0x1234);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.si_signo, SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 0x34);
}

// exit_group(2), POSIX _exit(): the parent gets SIGCHLD with CLD_EXITED,
// the child's pid and its status.
TEST(exit_group, parent_gets_sigchld, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    time::block(SIGCHLD);
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(7);
    ASSERT_GT(pid, 0);
    siginfo si{};
    long r = time::wait_signal(SIGCHLD, &si, 2 * time::kSec);
    int st = kc::wait_status(pid);
    time::drain(SIGCHLD);
    EXPECT_EQ(r, SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 7);
    EXPECT_EQ(wexitstatus(st), 7);
}

// exit_group(2), POSIX _exit(): all of the process's descriptors are
// closed: the parent reads end-of-file from a pipe the child held open.
TEST(exit_group, closes_descriptors, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0);
    sys::close(fds[1]);
    ASSERT_GT(pid, 0);
    char c;
    EXPECT_RET(sys::read(fds[0], &c, 1), 0);
    sys::close(fds[0]);
    EXPECT_CHILD_OK(pid);
}
