// SPDX-License-Identifier: MIT
// clone(2) and clone3(2) without a new stack (the child continues on a copy
// of the caller's stack, or on the same stack with CLONE_VM|CLONE_VFORK):
// fork semantics through clone(SIGCHLD) on every architecture, CLONE_VM,
// CLONE_FILES, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_PIDFD, exit signals
// other than SIGCHLD, and the EINVAL/E2BIG/EFAULT checks on flags and on the
// clone3 argument block.
// Not covered here: threads (CLONE_THREAD, CLONE_SETTLS: tests/thread/),
// namespaces (CLONE_NEW*: need privileges and change host state), set_tid
// positive cases (need a free pid), cgroups.
#include "rt/sys_proc.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

volatile long g_mem;

// clone3 with just these fields; returns the result of the call.
long clone3_simple(u64 flags, u64 exit_signal, usize size = sizeof(clone_args), u64 pidfd_ptr = 0) {
    clone_args a{};
    a.flags = flags;
    a.exit_signal = exit_signal;
    a.pidfd = pidfd_ptr;
    return sys::clone3(&a, size);
}

// Ends a child created by a clone that was expected to fail but did not.
void exit_if_child(long r) {
    if (r == 0) sys::exit_group(0);
}

}  // namespace

// clone(2) with SIGCHLD as the only flag behaves as POSIX fork: the child
// sees the parent's memory as it was, and its writes stay in its copy.
TEST(clone, sigchld_copies_memory, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    g_mem = 17;
    volatile long local = 18;
    long pid = sys::clone(SIGCHLD, nullptr, nullptr);
    if (pid == 0) {
        bool saw = g_mem == 17 && local == 18;
        g_mem = 1;
        local = 2;
        sys::exit_group(saw ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(g_mem, 17);
    EXPECT_EQ(local, 18);
}

// clone(2) CLONE_VM|CLONE_VFORK: the child runs in the parent's memory (its
// store is seen) and the parent waits until it exits.
TEST(clone, vm_vfork_shares_memory, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    g_mem = 0;
    long pid = sys::clone(CLONE_VM | CLONE_VFORK | SIGCHLD, nullptr, nullptr);
    if (pid == 0) {
        g_mem = 77;
        sys::exit_group(3);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(g_mem, 77);
    EXPECT_EQ(kc::wait_status(pid), 3 << 8);
}

// clone(2) CLONE_FILES: the descriptor table is shared: a pipe the child
// creates is open in the parent afterwards.
TEST(clone, files_shares_fd_table, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    page[0] = -1;
    page[1] = -1;
    long pid = sys::clone(CLONE_FILES | SIGCHLD, nullptr, nullptr);
    if (pid == 0) {
        int p[2];
        if (sys::pipe2(p, O_CLOEXEC) == 0) {
            page[0] = p[0];
            page[1] = p[1];
        }
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    int r = int(page[0]), w = int(page[1]);
    ASSERT_GE(r, 0);
    EXPECT_RET(sys::write(w, "s", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(r, &c, 1), 1);
    EXPECT_EQ(c, 's');
    EXPECT_OK(sys::close(r));
    EXPECT_OK(sys::close(w));
    proc::free_page(page);
}

// clone(2) CLONE_PARENT_SETTID: the child's id is stored at parent_tid in
// the parent's memory before clone returns.
TEST(clone, parent_settid_stores_tid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int tid = -1;
    long pid = sys::clone(CLONE_PARENT_SETTID | SIGCHLD, nullptr, &tid);
    if (pid == 0) sys::exit_group(0);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(tid, pid);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// clone(2) CLONE_PIDFD (Linux 5.2): a pidfd for the child is stored at
// parent_tid; signalling through it reaches the child.
TEST(clone, pidfd_refers_to_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int pidfd = -1;
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    long pid = sys::clone(CLONE_PIDFD | SIGCHLD, nullptr, &pidfd);
    if (pid == 0) {
        char c;
        sys::read(p[0], &c, 1);  // blocks until killed
        sys::exit_group(0);
    }
    if (pid == -EINVAL) kc::skip("no CLONE_PIDFD (Linux < 5.2)");
    ASSERT_GT(pid, 0);
    EXPECT_GE(pidfd, 0);
    EXPECT_RET(sys::fcntl(pidfd, F_GETFD), FD_CLOEXEC);  // pidfds are close-on-exec
    long sent = sys::pidfd_send_signal(pidfd, SIGKILL, nullptr, 0);
    EXPECT_OK(sent);
    if (sent != 0) sys::kill(int(pid), SIGKILL);  // never leave the child blocked
    EXPECT_EQ(kc::wait_status(pid), SIGKILL);
    sys::close(pidfd);
    sys::close(p[0]);
    sys::close(p[1]);
}

// clone(2): the low byte of flags is the signal sent to the parent when the
// child exits; a child with a signal other than SIGCHLD is a "clone" child,
// invisible to wait4 without __WCLONE or __WALL.
TEST(clone, custom_exit_signal, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    ASSERT_OK(proc::block(SIGUSR1));
    proc::drain_signal(SIGUSR1);
    long pid = sys::clone(SIGUSR1, nullptr, nullptr);
    if (pid == 0) sys::exit_group(12);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGUSR1, &si, 5000), SIGUSR1);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    int st = 0;
    EXPECT_ERR(sys::wait4(int(pid), &st, 0, nullptr), ECHILD);
    EXPECT_RET(sys::wait4(int(pid), &st, __WCLONE, nullptr), pid);
    EXPECT_EQ(st, 12 << 8);
}

// clone(2): exit signal 0: the parent gets no signal, __WALL reaps it.
TEST(clone, zero_exit_signal, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    ASSERT_OK(proc::block(SIGCHLD));
    proc::drain_signal(SIGCHLD);
    long pid = sys::clone(0, nullptr, nullptr);
    if (pid == 0) sys::exit_group(13);
    ASSERT_GT(pid, 0);
    int st = 0;
    EXPECT_RET(sys::wait4(int(pid), &st, __WALL, nullptr), pid);
    EXPECT_EQ(st, 13 << 8);
    siginfo si{};
    EXPECT_ERR(proc::wait_signal(SIGCHLD, &si, 0), EAGAIN);
}

// clone(2) CLONE_PARENT: the new process is a sibling of the caller (a child
// of the caller's parent). Done from an intermediate child, so the sibling is
// a child of this test: the intermediate cannot wait for it, the test can.
TEST(clone, parent_flag_creates_sibling, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    page[0] = 0;
    long mid = sys::fork();
    if (mid == 0) {
        long sib = sys::clone(CLONE_PARENT | SIGCHLD, nullptr, nullptr);
        if (sib == 0) sys::exit_group(44);
        page[0] = sib;
        int st;
        sys::exit_group(sib > 0 && sys::wait4(int(sib), &st, 0, nullptr) == -ECHILD ? 0 : 1);
    }
    ASSERT_GT(mid, 0);
    EXPECT_EQ(kc::wait_status(mid), 0);
    long sib = page[0];
    ASSERT_GT(sib, 0);
    EXPECT_EQ(kc::wait_status(sib), 44 << 8);
    proc::free_page(page);
}

struct BadFlags {
    const char* label;
    u64 flags;
};
// clone(2) ERRORS: CLONE_NEWNS or CLONE_NEWUSER with CLONE_FS, CLONE_PIDFD
// with CLONE_DETACHED are EINVAL (checked before any privilege check). The
// thread-flag combinations are in tests/thread/clone_thread.cpp.
constexpr BadFlags kBadFlags[] = {
    {"NEWNS_with_FS", CLONE_NEWNS | CLONE_FS | SIGCHLD},
    {"NEWUSER_with_FS", CLONE_NEWUSER | CLONE_FS | SIGCHLD},
    {"PIDFD_with_DETACHED", CLONE_PIDFD | CLONE_DETACHED | SIGCHLD},
};
TEST_P(clone, bad_flag_combination_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_FORK) {
    int ptid = 0;
    long r = sys::clone(row.flags, nullptr, &ptid);
    exit_if_child(r);
    if (r > 0) kc::wait_status(r);
    EXPECT_ERR(r, EINVAL);
}

// clone3(2): flags 0 and exit_signal SIGCHLD is fork.
TEST(clone3, fork_equivalent, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    g_mem = 5;
    long pid = clone3_simple(0, SIGCHLD);
    if (pid == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    if (pid == 0) {
        g_mem = 6;
        sys::exit_group(g_mem == 6 ? 14 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 14 << 8);
    EXPECT_EQ(g_mem, 5);
}

// clone3(2): a larger, zero-filled argument block is accepted (newer
// userspace on an older kernel), the minimum is CLONE_ARGS_SIZE_VER0 (64).
TEST(clone3, size_boundaries_accepted, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    struct {
        clone_args a;
        u64 extra[3];
    } big{};
    big.a.exit_signal = SIGCHLD;
    long pid = sys::clone3(&big.a, sizeof big);
    if (pid == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    if (pid == 0) sys::exit_group(0);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    pid = clone3_simple(0, SIGCHLD, CLONE_ARGS_SIZE_VER0);
    if (pid == 0) sys::exit_group(0);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

struct Size {
    const char* label;
    usize size;
};
// clone3(2): a block smaller than CLONE_ARGS_SIZE_VER0 is EINVAL.
constexpr Size kSmall[] = {{"size=0", 0}, {"size=8", 8}, {"size=63", 63}};
TEST_P(clone3, size_too_small_einval, NEGATIVE, LINUX, kSmall, .flags = kc::NEEDS_FORK) {
    long r = clone3_simple(0, SIGCHLD, row.size);
    if (r == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    exit_if_child(r);
    if (r > 0) kc::wait_status(r);
    EXPECT_ERR(r, EINVAL);
}

// clone3(2): bytes past the known fields must be zero, else E2BIG; a size
// above a page is E2BIG too.
TEST(clone3, nonzero_tail_e2big, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    struct {
        clone_args a;
        u64 extra[3];
    } big{};
    big.a.exit_signal = SIGCHLD;
    big.extra[1] = 1;
    long r = sys::clone3(&big.a, sizeof big);
    if (r == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    exit_if_child(r);
    if (r > 0) kc::wait_status(r);
    EXPECT_ERR(r, E2BIG);
    long r2 = clone3_simple(0, SIGCHLD, 4097);
    exit_if_child(r2);
    if (r2 > 0) kc::wait_status(r2);
    EXPECT_ERR(r2, E2BIG);
}

struct Bad3 {
    const char* label;
    u64 flags;
    u64 exit_signal;
};
// clone3(2) ERRORS: an exit signal above 64 or with bits outside CSIGNAL,
// the exit signal in flags, unknown flag bits, and the clone(2) bad
// combinations are EINVAL.
constexpr Bad3 kBad3[] = {
    {"exit_signal=65", 0, 65},
    {"exit_signal=0x100", 0, 0x100},
    {"exit_signal_in_flags", SIGCHLD, SIGCHLD},
    {"flag_bit_40", 1ull << 40, SIGCHLD},
    {"flag_bit_63", 1ull << 63, SIGCHLD},
    {"SIGHAND_without_VM", CLONE_SIGHAND, SIGCHLD},
    {"DETACHED", CLONE_DETACHED, SIGCHLD},
    {"CLEAR_SIGHAND_with_SIGHAND", CLONE_CLEAR_SIGHAND | CLONE_SIGHAND | CLONE_VM, SIGCHLD},
};
TEST_P(clone3, bad_arguments_einval, NEGATIVE, LINUX, kBad3, .flags = kc::NEEDS_FORK) {
    long r = clone3_simple(row.flags, row.exit_signal);
    if (r == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    exit_if_child(r);
    if (r > 0) kc::wait_status(r);
    EXPECT_ERR(r, EINVAL);
}

// clone3(2): a stack with stack_size 0, or a stack_size without a stack,
// is EINVAL; set_tid with set_tid_size 0, or set_tid_size above the pid
// namespace depth limit (32), is EINVAL.
TEST(clone3, inconsistent_fields_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int tids[40] = {};
    clone_args cases[4] = {};
    cases[0].stack = 4096;
    cases[1].stack_size = 4096;
    cases[2].set_tid = reinterpret_cast<u64>(tids);
    cases[3].set_tid = reinterpret_cast<u64>(tids);
    cases[3].set_tid_size = 33;
    for (clone_args& a : cases) {
        a.exit_signal = SIGCHLD;
        long r = sys::clone3(&a, sizeof a);
        if (r == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
        exit_if_child(r);
        if (r > 0) kc::wait_status(r);
        EXPECT_ERR(r, EINVAL);
    }
}

// clone3(2): an unreadable argument block is EFAULT.
TEST(clone3, bad_args_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long r = sys::clone3(reinterpret_cast<clone_args*>(8), sizeof(clone_args));
    if (r == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    exit_if_child(r);
    EXPECT_ERR(r, EFAULT);
}

// clone3(2) CLONE_PIDFD: the pidfd is stored at args.pidfd.
TEST(clone3, pidfd_stored, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int pidfd = -1;
    long pid =
        clone3_simple(CLONE_PIDFD, SIGCHLD, sizeof(clone_args), reinterpret_cast<u64>(&pidfd));
    if (pid == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    if (pid == 0) sys::exit_group(15);
    ASSERT_GT(pid, 0);
    ASSERT_GE(pidfd, 0);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PIDFD, pidfd, &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 15);
    sys::close(pidfd);
}

// clone3(2) CLONE_PARENT_SETTID and CLONE_CHILD_SETTID: the child's id is
// stored in the parent's and in the child's memory.
TEST(clone3, settid_stores_tid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static int ptid, ctid;
    ptid = ctid = -1;
    clone_args a{};
    a.flags = CLONE_PARENT_SETTID | CLONE_CHILD_SETTID;
    a.parent_tid = reinterpret_cast<u64>(&ptid);
    a.child_tid = reinterpret_cast<u64>(&ctid);
    a.exit_signal = SIGCHLD;
    long pid = sys::clone3(&a, sizeof a);
    if (pid == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    if (pid == 0) sys::exit_group(ctid == sys::getpid() ? 0 : 1);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(ptid, pid);
    EXPECT_EQ(ctid, -1);  // written in the child's copy only
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// clone3(2) CLONE_CLEAR_SIGHAND (Linux 5.5): caught signals are reset to
// SIG_DFL in the child; ignored ones stay ignored.
TEST(clone3, clear_sighand_resets_handlers, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    ASSERT_OK(proc::set_handler(SIGUSR1, reinterpret_cast<void*>(+[](int) {})));
    ASSERT_OK(proc::set_handler(SIGUSR2, SIG_IGN));
    long pid = clone3_simple(CLONE_CLEAR_SIGHAND, SIGCHLD);
    if (pid == -ENOSYS) kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    if (pid == 0) {
        arch::KSigaction a{}, b{};
        sys::rt_sigaction(SIGUSR1, nullptr, &a);
        sys::rt_sigaction(SIGUSR2, nullptr, &b);
        sys::exit_group(a.handler == SIG_DFL && b.handler == SIG_IGN ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 0);
    arch::KSigaction a{};
    sys::rt_sigaction(SIGUSR1, nullptr, &a);
    EXPECT_TRUE(a.handler != SIG_DFL);  // the parent keeps its handler
}
