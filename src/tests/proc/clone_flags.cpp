// SPDX-License-Identifier: MIT
// The flags of clone(2) and clone3(2) in this area, each observed against a
// clone without it. Inventory (flag: the tests that observe it):
//   CLONE_VM: clone.vm_vfork_shares_memory (clone.cpp),
//     clone.thread_shares_memory (thread/clone_thread.cpp).
//   CLONE_FS: clone.fs_shares_umask (here).
//   CLONE_FILES: clone.files_shares_fd_table (clone.cpp),
//     clone.threads_share_fd_table (thread/clone_thread.cpp).
//   CLONE_SIGHAND: clone.threads_share_signal_handlers (clone_thread.cpp).
//   CLONE_THREAD: getpid.same_in_thread, clone.thread_not_waitable
//     (clone_thread.cpp).
//   CLONE_VFORK: clone.vfork_parent_suspended_until_exit and
//     clone.vfork_parent_resumes_at_exec (here, through clone and clone3;
//     vfork(2) itself in fork.cpp).
//   CLONE_PARENT: clone.parent_flag_creates_sibling (clone.cpp).
//   CLONE_PARENT_SETTID: clone.parent_settid_stores_tid (clone.cpp),
//     clone3.settid_stores_tid (clone.cpp).
//   CLONE_CHILD_SETTID: clone3.settid_stores_tid (clone.cpp),
//     clone.child_settid_stores_tid (clone_thread.cpp).
//   CLONE_CHILD_CLEARTID: clone.parent_settid_and_child_cleartid
//     (clone_thread.cpp).
//   CLONE_SETTLS: clone.settls_sets_thread_pointer (clone_thread.cpp).
//   CLONE_PIDFD: clone.pidfd_refers_to_child, clone3.pidfd_stored (clone.cpp).
//   CLONE_CLEAR_SIGHAND: clone3.clear_sighand_resets_handlers (clone.cpp).
// Left out: CLONE_INTO_CGROUP: it needs a second cgroup v2 directory the
// caller may move processes into; making one changes the machine's cgroup
// tree outside the scratch directory (and needs delegation), and the
// existing ones belong to the service manager. The namespace, CLONE_IO,
// CLONE_SYSVSEM and CLONE_NEWTIME flags belong to other areas.
#include "rt/sys_fs.hpp"
#include "rt/sys_poll.hpp"
#include "rt/sys_proc.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

// clone(flags) or clone3 with the same flags and SIGCHLD, no new stack.
long clone_with(bool use_clone3, u64 flags) {
    if (!use_clone3) return sys::clone(flags | SIGCHLD, nullptr, nullptr);
    clone_args a{};
    a.flags = flags;
    a.exit_signal = SIGCHLD;
    return sys::clone3(&a, sizeof a);
}

}  // namespace

struct FsRow {
    const char* label;
    u64 flags;
    bool shared;
};
constexpr FsRow kFs[] = {{"CLONE_FS", CLONE_FS, true}, {"no_CLONE_FS", 0, false}};
// clone(2) CLONE_FS: "the caller and the child process share the same
// filesystem information. This includes the root of the filesystem, the
// current working directory, and the umask"; without it the child works on
// a copy. The child sets the umask; the parent's umask changes only with
// the flag. Run in a child of the test (kc::spawn) so that the umask of the
// harness is never touched.
TEST_P(clone, fs_shares_umask, POSITIVE, LINUX, kFs, .flags = kc::NEEDS_FORK) {
    static bool shared;
    shared = row.shared;
    static u64 flags;
    flags = row.flags;
    long pid = kc::spawn(
        [](void*) {
            sys::umask(022);
            long c = sys::clone(flags | SIGCHLD, nullptr, nullptr);
            if (c == 0) {
                sys::umask(0077);
                sys::exit_group(0);
            }
            ASSERT_GT(c, 0);
            EXPECT_EQ(kc::wait_status(c), 0);
            EXPECT_RET(sys::umask(022), shared ? 0077 : 022);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct VforkRow {
    const char* label;
    bool use_clone3;
};
constexpr VforkRow kVfork[] = {{"clone", false}, {"clone3", true}};
// clone(2) CLONE_VFORK: "the execution of the calling process is suspended
// until the child releases its virtual memory resources via a call to
// execve(2) or _exit(2)". Without CLONE_VM the child has its own memory:
// when clone returns in the parent, the child has already finished a 10 ms
// sleep and marked a MAP_SHARED page (a kernel that ignores the flag lets
// the parent read the page before the child wrote it).
TEST_P(clone, vfork_parent_suspended_until_exit, POSITIVE, LINUX, kVfork,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    volatile long* page = proc::shared_page();
    ASSERT_TRUE(page != nullptr);
    page[0] = 0;
    long pid = clone_with(row.use_clone3, CLONE_VFORK);
    if (pid == 0) {
        timespec ts{0, 10000000};
        sys::nanosleep(&ts, nullptr);
        page[0] = 1;
        sys::exit_group(0);
    }
    long seen = page[0];
    proc::free_page(page);
    if (pid == -ENOSYS && row.use_clone3)
        kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    ASSERT_GT(pid, 0);
    EXPECT_EQ(seen, 1);
    EXPECT_EQ(kc::wait_status(pid), 0);
}

// clone(2) CLONE_VFORK: the parent is released when the child calls
// execve(2), while the new image still runs: here it waits for the end of a
// pipe whose last writer is the parent (a kernel that releases the parent
// only at the child's exit deadlocks, and the test times out). A kernel
// that ignores CLONE_VFORK altogether passes this one and fails
// clone.vfork_parent_suspended_until_exit.
TEST_P(clone, vfork_parent_resumes_at_exec, POSITIVE, LINUX, kVfork, .flags = kc::NEEDS_FORK) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    ASSERT_OK(sys::fcntl(p[0], F_SETFD, 0));  // only the read end survives the exec
    char num[24];
    const char* argv[] = {kc::self_path(), "--exec-helper=proc_wait_fd",
                          proc::dec(num, sizeof num, p[0]), nullptr};
    const char* envp[] = {nullptr};
    long pid = clone_with(row.use_clone3, CLONE_VFORK);
    if (pid == 0) {
        sys::execve(argv[0], argv, envp);
        sys::exit_group(127);
    }
    long running = pid > 0 ? sys::wait4(int(pid), nullptr, WNOHANG, nullptr) : -1;
    sys::close(p[1]);
    sys::close(p[0]);
    if (pid == -ENOSYS && row.use_clone3)
        kc::skip_unimplemented("clone3", "no clone3 (Linux < 5.3)");
    ASSERT_GT(pid, 0);
    EXPECT_EQ(running, 0);  // the helper blocks until we close the write end
    EXPECT_EQ(kc::wait_status(pid), 0);
}
