// SPDX-License-Identifier: MIT
// Processes beyond rt/sys.hpp: fork, vfork, clone and clone3, exec, process
// groups and sessions, pidfds, namespaces (unshare, NS_GET_USERNS),
// personality and kcmp. The clone and unshare flags are in rt/types.hpp.
//
// Every type here has the same layout on x86-64, aarch64 and riscv64 (64-bit
// asm-generic or identical arch definitions); calls some architectures lack
// (fork, vfork, getpgrp) have nr::NAME == -1 there and their tests use
// REQUIRE_NR.
#pragma once

#include "rt/sys.hpp"

// clone3(2) argument block (include/uapi/linux/sched.h), all fields u64.
struct clone_args {
    u64 flags;
    u64 pidfd;
    u64 child_tid;
    u64 parent_tid;
    u64 exit_signal;
    u64 stack;
    u64 stack_size;
    u64 tls;
    u64 set_tid;
    u64 set_tid_size;
    u64 cgroup;
};
static_assert(sizeof(clone_args) == 88);
inline constexpr usize CLONE_ARGS_SIZE_VER0 = 64;

// pidfd_open(2) flags: PIDFD_THREAD (Linux 6.9) opens a pidfd for one
// thread rather than for a thread group.
inline constexpr unsigned PIDFD_NONBLOCK = 04000;  // O_NONBLOCK
inline constexpr unsigned PIDFD_THREAD = 0200;     // O_EXCL
// pidfd_send_signal(2) flags (Linux 6.9): whom the signal is for, instead of
// what the pidfd's kind implies (a thread for PIDFD_THREAD pidfds, else the
// thread group).
inline constexpr unsigned PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2;
inline constexpr unsigned PIDFD_SIGNAL_PROCESS_GROUP = 4;

// ioctl(2) on a namespace file (linux/nsfs.h): the owning user namespace.
inline constexpr unsigned long NS_GET_USERNS = 0xb701;  // _IO(0xb7, 0x1)

// personality(2) (linux/personality.h).
inline constexpr unsigned long PER_QUERY = 0xffffffff, PER_LINUX = 0;
inline constexpr unsigned long ADDR_NO_RANDOMIZE = 0x0040000, READ_IMPLIES_EXEC = 0x0400000;
inline constexpr unsigned long UNAME26 = 0x0020000;

// kcmp(2) types (linux/kcmp.h).
inline constexpr int KCMP_FILE = 0, KCMP_VM = 1, KCMP_FILES = 2, KCMP_FS = 3, KCMP_SIGHAND = 4;
inline constexpr int KCMP_IO = 5, KCMP_SYSVSEM = 6, KCMP_EPOLL_TFD = 7, KCMP_TYPES = 8;

namespace sys {

// pid_t fork(void);
// The legacy system call itself (rt/sys.hpp's fork() is clone(SIGCHLD)).
inline long fork_syscall() { return syscall0(nr::fork); }
// pid_t vfork(void);
// The caller must not return from the frame that called vfork() before the
// child has exec'd or exited: the child runs on the parent's stack.
[[gnu::always_inline]] inline long vfork() { return syscall0(nr::vfork); }
// long clone(unsigned long flags, void *stack, int *parent_tid, int *child_tid, unsigned long tls);
// The first three arguments are in the same order on every architecture
// (the fourth and fifth are not), so tests pass only these and zero the rest.
inline long clone(u64 flags, void* stack, int* ptid) {
    return syscall5(nr::clone, long(flags), L(stack), L(ptid), 0, 0);
}
// long clone3(struct clone_args *cl_args, size_t size);
inline long clone3(clone_args* a, usize size) { return syscall2(nr::clone3, L(a), L(size)); }
// int execve(const char *pathname, char *const argv[], char *const envp[]);
inline long execve(const char* path, const char* const* argv, const char* const* envp) {
    return syscall3(nr::execve, L(path), L(argv), L(envp));
}
// int execveat(int dirfd, const char *pathname, char *const argv[], char *const envp[], int flags);
inline long execveat(int dirfd, const char* path, const char* const* argv, const char* const* envp,
                     int flags) {
    return syscall5(nr::execveat, dirfd, L(path), L(argv), L(envp), flags);
}
// pid_t getpgid(pid_t pid);
inline long getpgid(int pid) { return syscall1(nr::getpgid, pid); }
// pid_t getpgrp(void);
inline long getpgrp() { return syscall0(nr::getpgrp); }
// pid_t getsid(pid_t pid);
inline long getsid(int pid) { return syscall1(nr::getsid, pid); }
// pid_t setsid(void);
inline long setsid() { return syscall0(nr::setsid); }
// int pidfd_open(pid_t pid, unsigned int flags);
inline long pidfd_open(int pid, unsigned flags) { return syscall2(nr::pidfd_open, pid, flags); }
// int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags);
inline long pidfd_send_signal(int pidfd, int sig, siginfo* info, unsigned flags) {
    return syscall4(nr::pidfd_send_signal, pidfd, sig, L(info), flags);
}
// int pidfd_getfd(int pidfd, int targetfd, unsigned int flags);
inline long pidfd_getfd(int pidfd, int fd, unsigned flags) {
    return syscall3(nr::pidfd_getfd, pidfd, fd, flags);
}
// int unshare(int flags);
inline long unshare(long flags) { return syscall1(nr::unshare, flags); }
// int personality(unsigned long persona);
inline long personality(unsigned long p) { return syscall1(nr::personality, L(p)); }
// int kcmp(pid_t pid1, pid_t pid2, int type, unsigned long idx1, unsigned long idx2);
inline long kcmp(int pid1, int pid2, int type, unsigned long a, unsigned long b) {
    return syscall5(nr::kcmp, pid1, pid2, type, L(a), L(b));
}

}  // namespace sys
