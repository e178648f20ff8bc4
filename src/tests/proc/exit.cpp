// SPDX-License-Identifier: MIT
// exit(2), the thread-exit system call, in a single-threaded process: it
// ends the whole process, its low 8 status bits reach the parent, its
// descriptors are closed and the parent gets SIGCHLD. exit_group(2) is
// covered in tests/id/exit_group.cpp and proc/wait.cpp; re-parenting of
// orphans in proc/prctl.cpp (child subreaper); exit of one thread among
// several in tests/thread/.
#include "rt/sys_thread.hpp"
#include "tests/proc/proc_util.hpp"

struct Code {
    const char* label;
    int code;
    int want;
};
constexpr Code kCodes[] = {
    {"code=0", 0, 0},     {"code=1", 1, 1},     {"code=255", 255, 255},
    {"code=256", 256, 0}, {"code=-1", -1, 255}, {"code=INT_MIN", INT_MIN, 0},
};

// exit(2): the last thread exiting ends the process; the parent sees the
// low 8 bits of the status.
TEST_P(exit, last_thread_ends_process, POSITIVE, PSE53, kCodes, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) sys::exit_thread(row.code);
    ASSERT_GT(pid, 0);
    int st = -1;
    ASSERT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(st, row.want << 8);
}

// exit(2)/POSIX _exit: all descriptors of the process are closed: the
// reader of a pipe whose only writer exited sees end of file.
TEST(exit, closes_descriptors, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        sys::close(p[0]);
        sys::write(p[1], "bye", 3);
        sys::exit_thread(0);
    }
    ASSERT_GT(pid, 0);
    sys::close(p[1]);
    char buf[8];
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 3);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(p[0]);
}

// POSIX _exit: the parent gets SIGCHLD with CLD_EXITED and the status.
TEST(exit, parent_gets_sigchld, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    ASSERT_OK(proc::block(SIGCHLD));
    proc::drain_signal(SIGCHLD);
    long pid = sys::fork();
    if (pid == 0) sys::exit_thread(66);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGCHLD, &si, 5000), SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 66);
    EXPECT_EQ(kc::wait_status(pid), 66 << 8);
}
