// SPDX-License-Identifier: MIT
// fork(2) and vfork(2), the legacy system calls (x86-64 has them; aarch64
// and riscv64 do not: those tests SKIP there, and the same semantics are
// tested through clone(SIGCHLD) in clone.cpp). Covers the return values,
// copied memory, shared file descriptions, the inherited signal mask and
// dispositions, cleared pending signals and interval timers, vfork's shared
// memory and suspension of the parent, its own pid and descriptor table,
// and leak tests (2,000 children; descriptors opened in children).
// vfork is known to diverge under qemu-user, which runs it as a plain fork.
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"
#include "rt/sys_time.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

volatile long g_value;

long fork_raw_exit(int code) {
    long pid = sys::fork_syscall();
    if (pid == 0) sys::exit_group(code);
    return pid;
}

}  // namespace

// POSIX fork: 0 in the child, the child's pid in the parent; the child's
// getpid() is that pid and its getppid() is the parent.
TEST(fork, returns_pid_and_zero, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    long parent = sys::getpid();
    long pid = sys::fork_syscall();
    if (pid == 0) {
        page[0] = sys::getpid();
        page[1] = sys::getppid();
        sys::exit_group(parent == page[1] ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_NE(pid, parent);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(page[0], pid);
    EXPECT_EQ(page[1], parent);
    proc::free_page(page);
}

// POSIX fork: the child gets a copy of the address space: it sees the
// parent's values, and its writes (global, stack, private mapping) do not
// reach the parent.
TEST(fork, memory_is_copied, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    g_value = 1111;
    volatile long local = 2222;
    long m = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    auto* priv = reinterpret_cast<volatile long*>(m);
    *priv = 3333;
    long pid = sys::fork_syscall();
    if (pid == 0) {
        bool saw = g_value == 1111 && local == 2222 && *priv == 3333;
        g_value = 1;
        local = 2;
        *priv = 3;
        sys::exit_group(saw && g_value == 1 && local == 2 && *priv == 3 ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(g_value, 1111);
    EXPECT_EQ(local, 2222);
    EXPECT_EQ(*priv, 3333);
    sys::munmap(const_cast<long*>(priv), 4096);
}

// POSIX fork/mmap: a MAP_SHARED mapping stays shared with the child.
TEST(fork, shared_mapping_stays_shared, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    page[5] = 5;
    long pid = sys::fork_syscall();
    if (pid == 0) {
        page[5] = page[5] * 7;
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(page[5], 35);
    proc::free_page(page);
}

// POSIX fork: the child's descriptors refer to the same open file
// descriptions: the file offset moved by the child moves for the parent.
TEST(fork, fds_share_file_offset, POSITIVE, PSE53, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    REQUIRE_NR(fork);
    long fd = sys::openat(kc::scratch_fd(), "f", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "abc", 3), 3);
    long pid = sys::fork_syscall();
    if (pid == 0) sys::exit_group(sys::write(int(fd), "defg", 4) == 4 ? 0 : 1);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_RET(sys::lseek(int(fd), 0, SEEK_CUR), 7);
    char buf[8] = {};
    EXPECT_RET(sys::pread64(int(fd), buf, sizeof buf, 0), 7);
    EXPECT_MEM_EQ(buf, "abcdefg", 7);
    sys::close(int(fd));
}

// POSIX fork: the descriptor table is a copy: closing in the child leaves
// the parent's descriptor open.
TEST(fork, child_close_keeps_parent_fd, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    long pid = sys::fork_syscall();
    if (pid == 0) {
        sys::close(p[0]);
        sys::close(p[1]);
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_RET(sys::write(p[1], "z", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'z');
    sys::close(p[0]);
    sys::close(p[1]);
}

// POSIX fork: the signal mask is inherited; the set of pending signals of
// the child starts empty.
TEST(fork, mask_inherited_pending_cleared, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    ASSERT_OK(proc::block(SIGUSR1));
    ASSERT_OK(sys::kill(int(sys::getpid()), SIGUSR1));
    long pid = sys::fork_syscall();
    if (pid == 0) {
        u64 mask = 0, pending = ~0ull;
        sys::rt_sigprocmask(SIG_BLOCK, nullptr, &mask);
        sys::rt_sigpending(&pending);
        sys::exit_group((mask & sigbit(SIGUSR1)) && pending == 0 ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    u64 pending = 0;
    EXPECT_OK(sys::rt_sigpending(&pending));
    EXPECT_TRUE(pending & sigbit(SIGUSR1));  // still pending in the parent
    proc::drain_signal(SIGUSR1);
}

// POSIX fork: signal dispositions are inherited: an ignored signal stays
// ignored in the child.
TEST(fork, ignored_signal_stays_ignored, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    ASSERT_OK(proc::set_handler(SIGUSR2, SIG_IGN));
    long pid = sys::fork_syscall();
    if (pid == 0) {
        sys::kill(int(sys::getpid()), SIGUSR2);
        sys::exit_group(0);  // reached only if SIGUSR2 was ignored
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    proc::set_handler(SIGUSR2, SIG_DFL);
}

// POSIX fork: the child's ITIMER_REAL is cleared ("pending alarms are
// cleared"). The timer is armed in an intermediate child, never in the
// test process.
TEST(fork, interval_timer_not_inherited, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    long pid = kc::spawn(
        [](void*) {
            itimerval on{{0, 0}, {30, 0}};
            ASSERT_OK(sys::setitimer(ITIMER_REAL, &on, nullptr));
            long child = sys::fork_syscall();
            if (child == 0) {
                itimerval cur{{1, 1}, {1, 1}};
                sys::getitimer(ITIMER_REAL, &cur);
                sys::exit_group(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 ? 0 : 1);
            }
            EXPECT_EQ(kc::wait_status(child), 0);
            itimerval off{};
            itimerval left{};
            sys::setitimer(ITIMER_REAL, &off, &left);
            EXPECT_GT(left.it_value.tv_sec, 0);  // still armed in the parent
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX fork: the parent is notified with SIGCHLD when the child exits;
// si_pid and si_status identify it.
TEST(fork, child_exit_sends_sigchld, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(fork);
    ASSERT_OK(proc::block(SIGCHLD));
    proc::drain_signal(SIGCHLD);
    long pid = fork_raw_exit(21);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGCHLD, &si, 5000), SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 21);
    EXPECT_EQ(kc::wait_status(pid), 21 << 8);
}

// fork(2): creating and reaping 2,000 children leaks nothing: no child is
// left (ECHILD), and the next fork still works.
TEST(fork, create_reap_2000_no_leak, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK | kc::VERY_SLOW,
     .timeout_ms = 60000) {
    REQUIRE_NR(fork);
    for (int i = 0; i < 2000; ++i) {
        long pid = fork_raw_exit(i & 0xff);
        ASSERT_GT(pid, 0);
        int st = -1;
        ASSERT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
        ASSERT_EQ(st, (i & 0xff) << 8);
    }
    int st;
    EXPECT_ERR(sys::wait4(-1, &st, WNOHANG, nullptr), ECHILD);
    long pid = fork_raw_exit(3);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 3 << 8);
}

// POSIX fork: descriptors opened (and left open) in children never appear in
// the parent: after 500 children the lowest free descriptor is unchanged.
TEST(fork, child_fds_do_not_leak_into_parent, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK | kc::SLOW,
     .timeout_ms = 30000) {
    REQUIRE_NR(fork);
    int q[2];
    ASSERT_OK(sys::pipe2(q, O_CLOEXEC));  // the two lowest free descriptors
    sys::close(q[0]);
    sys::close(q[1]);
    for (int i = 0; i < 500; ++i) {
        long pid = sys::fork_syscall();
        if (pid == 0) {
            int p[2];
            for (int k = 0; k < 8; ++k) sys::pipe2(p, 0);
            sys::exit_group(0);
        }
        ASSERT_GT(pid, 0);
        ASSERT_EQ(kc::wait_status(pid), 0);
    }
    int r[2];
    ASSERT_OK(sys::pipe2(r, O_CLOEXEC));
    EXPECT_EQ(r[0], q[0]);
    EXPECT_EQ(r[1], q[1]);
    sys::close(r[0]);
    sys::close(r[1]);
}

// vfork(2): the child shares the parent's memory until it exits: its store
// to a global is visible to the parent afterwards.
TEST(vfork, child_store_visible_to_parent, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(vfork);
    g_value = 0;
    long pid = sys::vfork();
    if (pid == 0) {
        g_value = 4242;
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(g_value, 4242);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// vfork(2): the parent is suspended until the child exits: when vfork
// returns in the parent the child has already finished its 10 ms sleep
// (seen through a MAP_SHARED page, independent of the memory sharing).
TEST(vfork, parent_suspended_until_exit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    REQUIRE_NR(vfork);
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    page[0] = 0;
    long pid = sys::vfork();
    if (pid == 0) {
        timespec ts{0, 10000000};
        sys::nanosleep(&ts, nullptr);
        page[0] = 1;
        sys::exit_group(0);
    }
    long seen = page[0];
    ASSERT_GT(pid, 0);
    EXPECT_EQ(seen, 1);
    EXPECT_EQ(kc::wait_status(pid), 0);
    proc::free_page(page);
}

// vfork(2): the parent resumes as soon as the child execs, while the new
// image is still running.
TEST(vfork, parent_resumes_at_exec, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(vfork);
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    ASSERT_OK(sys::fcntl(p[0], F_SETFD, 0));  // only the read end survives the exec
    char num[24];
    const char* argv[] = {kc::self_path(), "--exec-helper=proc_wait_fd",
                          proc::dec(num, sizeof num, p[0]), nullptr};
    const char* envp[] = {nullptr};
    long pid = sys::vfork();
    if (pid == 0) {
        sys::execve(argv[0], argv, envp);
        sys::exit_group(127);
    }
    ASSERT_GT(pid, 0);
    // The helper blocks until we close the write end: it is still running.
    EXPECT_RET(sys::wait4(int(pid), nullptr, WNOHANG, nullptr), 0);
    sys::close(p[1]);
    sys::close(p[0]);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// vfork(2): the exit status of the child reaches the parent as after fork.
TEST(vfork, child_exit_status, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(vfork);
    long pid = sys::vfork();
    if (pid == 0) sys::exit_group(99);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 99 << 8);
}

// vfork(2): the child is a new process though it borrows the parent's
// memory: its getpid() (stored in the shared memory) is the pid vfork
// returned, not the parent's, and its getppid() is the parent.
TEST(vfork, child_has_own_pid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(vfork);
    static volatile long seen[2];
    seen[0] = 0;
    seen[1] = 0;
    long pid = sys::vfork();
    if (pid == 0) {
        seen[0] = sys::getpid();
        seen[1] = sys::getppid();
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(seen[0], pid);
    EXPECT_NE(seen[0], sys::getpid());
    EXPECT_EQ(seen[1], sys::getpid());
}

// vfork(2): only memory is shared (CLONE_VM|CLONE_VFORK), not the
// descriptor table: a descriptor the child closes stays open in the parent.
TEST(vfork, descriptor_table_not_shared, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(vfork);
    kc::Pipe p;
    ASSERT_OK(p.r);
    static int fd;
    fd = p.wr.get();
    long pid = sys::vfork();
    if (pid == 0) {
        sys::exit_group(sys::close(fd) == 0 ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);  // the child's close worked, on its own copy
    EXPECT_RET(sys::write(p.wr, "v", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(p.rd, &c, 1), 1);
    EXPECT_EQ(c, 'v');
}
