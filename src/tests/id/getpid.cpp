// SPDX-License-Identifier: MIT
// getpid(2), getppid(2), gettid(2): process and thread identity. Values are
// positive and stable, the main thread's tid is the pid, a child gets a new
// pid and sees its parent's pid, fork returns the child's pid, and an
// orphan's parent id changes when its parent exits.
// Not covered: tids of other threads (thread creation is the threads
// area's), pid namespaces.
#include "harness/test.hpp"
#include "tests/time/time_util.hpp"

// A page shared with children: they report values through it.
static long* shared_page() {
    long p = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(p);
    return reinterpret_cast<long*>(p);
}

// getpid(2), POSIX: the process id is positive and the same on every call.
TEST(getpid, positive_and_stable, POSITIVE, PSE53) {
    long pid = sys::getpid();
    EXPECT_GT(pid, 0);
    for (int i = 0; i < 100; ++i) {
        if (sys::getpid() != pid) {
            EXPECT_EQ(sys::getpid(), pid);
            break;
        }
    }
}

// getpid(2), fork(2), POSIX: fork returns the child's pid to the parent; the
// child's getpid() is that value and differs from the parent's.
TEST(getpid, child_pid_is_fork_result, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long* page = shared_page();
    long pid = sys::fork();
    if (pid == 0) {
        page[0] = sys::getpid();
        page[1] = sys::gettid();
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(page[0], pid);
    EXPECT_EQ(page[1], pid);
    EXPECT_NE(page[0], sys::getpid());
    sys::munmap(page, 4096);
}

// gettid(2): in a single-threaded process the thread id equals the process
// id (the main thread is the thread-group leader).
TEST(gettid, main_thread_equals_pid, POSITIVE, LINUX) { EXPECT_EQ(sys::gettid(), sys::getpid()); }

// gettid(2): also true in a new child process.
TEST(gettid, child_main_thread_equals_pid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn([](void*) { EXPECT_EQ(sys::gettid(), sys::getpid()); }, nullptr);
    EXPECT_CHILD_OK(pid);
}

// getppid(2), POSIX: a child's parent id is its parent's pid.
TEST(getppid, child_sees_parent_pid, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long* page = shared_page();
    page[0] = sys::getpid();
    long pid =
        kc::spawn([](void* p) { EXPECT_EQ(sys::getppid(), static_cast<long*>(p)[0]); }, page);
    EXPECT_CHILD_OK(pid);
    sys::munmap(page, 4096);
}

// getppid(2): the caller's parent is another process (or 0 for a process
// whose parent is outside its pid namespace), and it is stable.
TEST(getppid, differs_from_pid, POSITIVE, PSE53) {
    long ppid = sys::getppid();
    EXPECT_GE(ppid, 0);
    EXPECT_NE(ppid, sys::getpid());
    EXPECT_EQ(sys::getppid(), ppid);
}

// getppid(2), POSIX: when a parent exits, its children are inherited by
// another process (init or a subreaper), and getppid() changes. The
// grandchild reports its pid and new parent id through a pipe and exits.
// When its new parent is this process (the harness makes the test's process
// a child subreaper), the test reaps it, so that it does not outlive the
// test even for the moment it takes to exit.
TEST(getppid, orphan_gets_new_parent, POSITIVE, PSE53, .flags = kc::NEEDS_FORK,
     .timeout_ms = 3000) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
    long mid = sys::fork();
    if (mid == 0) {
        long me = sys::getpid();
        long g = sys::fork();
        if (g == 0) {
            sys::close(fds[0]);
            i64 end = kc::now_ns() + 2 * time::kSec;
            while (sys::getppid() == me && kc::now_ns() < end) {
                timespec req{0, 100000};
                sys::nanosleep(&req, nullptr);
            }
            long out[3] = {me, sys::getppid(), sys::getpid()};
            sys::write(fds[1], out, sizeof out);
            sys::exit_group(0);
        }
        sys::exit_group(g > 0 ? 0 : 1);  // orphan the grandchild
    }
    sys::close(fds[1]);
    ASSERT_GT(mid, 0);
    EXPECT_CHILD_OK(mid);
    long got[3] = {0, 0, 0};
    EXPECT_RET(sys::read(fds[0], got, sizeof got), long(sizeof got));
    sys::close(fds[0]);
    EXPECT_EQ(got[0], mid);
    EXPECT_NE(got[1], mid);
    EXPECT_GE(got[1], 0);
    if (got[1] == sys::getpid() && got[2] > 0) EXPECT_CHILD_OK(got[2]);
}
