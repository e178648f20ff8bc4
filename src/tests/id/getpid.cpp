// SPDX-License-Identifier: MIT
// getpid(2), getppid(2), gettid(2): process and thread identity. Values are
// positive and stable, the main thread's tid is the pid, a child gets a new
// pid and sees its parent's pid, fork returns the child's pid, and an
// orphan's parent id changes when its parent exits (exactly to a subreaper
// that asked for it). With threads: a CLONE_VM child that is not a thread
// gets a pid of its own, an exec from a non-leader thread keeps the pid, a
// child forked by a thread has the process (not the thread) as its parent,
// and a thread's tid names its /proc/PID/task entry while it lives.
// Not covered: pid namespaces (the namespace tests'), the tids of many
// threads at once (tests/thread/clone_thread.cpp).
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/thread/thread_util.hpp"
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

namespace {

// What a thread or a CLONE_VM child saw of itself.
struct Seen {
    long pid, tid, ppid, child;
    int go;
};
void record_ids(void* p) {
    auto* s = static_cast<Seen*>(p);
    s->pid = sys::getpid();
    s->tid = sys::gettid();
    s->ppid = sys::getppid();
}

}  // namespace

// getpid(2), clone(2): sharing memory does not make a thread. A child made
// with CLONE_VM but without CLONE_THREAD is a new process: its getpid() is
// the id clone returned, not the caller's, and its parent is the caller.
TEST(getpid, clone_vm_child_is_new_process, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Seen s{};
    thread::Thread t;
    long pid = thread::thread_start(
        t, record_ids, &s, CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    thread::thread_join(t);
    EXPECT_EQ(s.pid, pid);
    EXPECT_EQ(s.tid, pid);
    EXPECT_NE(s.pid, sys::getpid());
    EXPECT_EQ(s.ppid, sys::getpid());
}

// getpid(2), execve(2): "the process ID ... is preserved"; when a thread
// other than the leader execs, the other threads are destroyed and the new
// image runs with the process's pid (and parent), which the exec helper
// proc_ids (tests/proc/exec.cpp) checks. The leader sleeps meanwhile.
TEST(getpid, kept_by_exec_from_thread, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        static char num[2][24];
        static const char* argv[] = {kc::self_path(), "--exec-helper=proc_ids", num[0], num[1],
                                     nullptr};
        rt::Fmt(num[0], sizeof num[0]).d(sys::getpid()).cstr();
        rt::Fmt(num[1], sizeof num[1]).d(sys::getppid()).cstr();
        static thread::Thread t;
        long r = thread::thread_start(
            t,
            [](void*) {
                const char* envp[] = {nullptr};
                sys::execve(argv[0], argv, envp);
                sys::exit_group(40);
            },
            nullptr);
        if (r <= 0) sys::exit_group(41);
        const timespec ts{10, 0};
        sys::nanosleep(&ts, nullptr);
        sys::exit_group(42);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// getppid(2), PR_SET_CHILD_SUBREAPER (prctl(2)): an orphan is reparented to
// its nearest living subreaper ancestor, whose pid getppid() then returns
// exactly. The subreaper is a child S of the test; S forks M, M forks G and
// exits; G reports its new parent through a pipe.
TEST(getppid, orphan_reparented_to_subreaper, POSITIVE, LINUX, .flags = kc::NEEDS_FORK,
     .timeout_ms = 3000) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_CHILD_SUBREAPER, 1));
            int fds[2];
            ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
            long mid = sys::fork();
            if (mid == 0) {
                long me = sys::getpid();
                if (sys::fork() == 0) {
                    i64 end = kc::now_ns() + 2 * time::kSec;
                    while (sys::getppid() == me && kc::now_ns() < end) common::sleep_ms(1);
                    long ppid = sys::getppid();
                    sys::write(fds[1], &ppid, sizeof ppid);
                    sys::exit_group(0);
                }
                sys::exit_group(0);
            }
            sys::close(fds[1]);
            ASSERT_GT(mid, 0);
            EXPECT_EQ(kc::wait_status(mid), 0);
            long got = 0;
            EXPECT_RET(sys::read(fds[0], &got, sizeof got), long(sizeof got));
            sys::close(fds[0]);
            EXPECT_EQ(got, sys::getpid());
            int st = -1;  // the grandchild is now S's child: reap it
            EXPECT_GT(sys::wait4(-1, &st, 0, nullptr), 0);
            EXPECT_EQ(st, 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// getppid(2): the parent of a process forked by a non-leader thread is the
// process (thread group), so the child's getppid() is the creator's getpid(),
// not the thread's tid.
TEST(getppid, child_of_thread_sees_process_id, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long* page = shared_page();
    page[0] = 0;
    Seen s{};
    s.child = reinterpret_cast<long>(page);
    thread::Thread t;
    ASSERT_GT(thread::thread_start(
                  t,
                  [](void* p) {
                      auto* s = static_cast<Seen*>(p);
                      long* page = reinterpret_cast<long*>(s->child);
                      s->tid = sys::gettid();
                      long pid = sys::fork();
                      if (pid == 0) {
                          page[0] = sys::getppid();
                          sys::exit_group(0);
                      }
                      s->pid = pid;
                  },
                  &s),
              0);
    thread::thread_join(t);
    ASSERT_GT(s.pid, 0);
    EXPECT_EQ(kc::wait_status(s.pid), 0);
    EXPECT_EQ(page[0], sys::getpid());
    EXPECT_NE(page[0], s.tid);
    sys::munmap(page, 4096);
}

// gettid(2), proc(5) /proc/PID/task: each thread of a process has an entry
// named for its tid while it runs; the tid gettid() returns in the thread
// names it, and its stat file's first field is that tid.
TEST(gettid, names_proc_task_entry, POSITIVE, LINUX) {
    if (!common::own_proc()) kc::skip("needs /proc of this PID namespace (/proc/self/task)");
    Seen s{};
    thread::Thread t;
    ASSERT_GT(thread::thread_start(
                  t,
                  [](void* p) {
                      auto* s = static_cast<Seen*>(p);
                      __atomic_store_n(&s->tid, sys::gettid(), __ATOMIC_RELEASE);
                      const timespec ms{0, 2000000};
                      for (int i = 0; i < 2500 && !__atomic_load_n(&s->go, __ATOMIC_ACQUIRE); ++i)
                          sys::futex(&s->go, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ms);
                  },
                  &s),
              0);
    while (!__atomic_load_n(&s.tid, __ATOMIC_ACQUIRE)) common::sleep_ms(1);
    char path[64], buf[64] = {};
    rt::Fmt(path, sizeof path).s("/proc/self/task/").d(s.tid).s("/stat").cstr();
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    long n = fd >= 0 ? sys::read(int(fd), buf, sizeof buf - 1) : fd;
    if (fd >= 0) sys::close(int(fd));
    __atomic_store_n(&s.go, 1, __ATOMIC_RELEASE);
    sys::futex(&s.go, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
    thread::thread_join(t);
    EXPECT_GT(n, 0);
    long first = -1;
    for (int i = 0; i < n; ++i) {
        if (buf[i] == ' ') {
            buf[i] = 0;
            break;
        }
    }
    EXPECT_TRUE(rt::parse_long(buf, &first));
    EXPECT_EQ(first, s.tid);
    EXPECT_NE(s.tid, sys::gettid());
}
