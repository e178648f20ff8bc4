// Raw wrappers and kernel types for the process area (fork/clone/exec/wait,
// process groups and sessions, priorities, resource limits, prctl, pidfds,
// kill) and for POSIX message queues. Same conventions as rt/sys.hpp: the
// kernel's result is returned unchanged, -errno on failure.
//
// Every type here has the same layout on x86-64, aarch64 and riscv64 (64-bit
// asm-generic or identical arch definitions); calls some architectures lack
// (fork, vfork, getpgrp, getrlimit/setrlimit on riscv64) have nr::NAME == -1
// there and their tests use REQUIRE_NR.
#pragma once

#include "rt/sys.hpp"

// Resource limits (asm-generic/resource.h; identical on the three arches).
inline constexpr int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3;
inline constexpr int RLIMIT_CORE = 4, RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7;
inline constexpr int RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10;
inline constexpr int RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13;
inline constexpr int RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16;
inline constexpr u64 RLIM_INFINITY = ~0ull;
struct rlimit64 {
    u64 cur;
    u64 max;
};
static_assert(sizeof(rlimit64) == 16);

// getpriority/setpriority.
inline constexpr int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

// prctl options beyond rt/types.hpp.
inline constexpr int PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
inline constexpr int PR_CAPBSET_READ = 23, PR_GET_CHILD_SUBREAPER = 37;
inline constexpr int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

// clone flags beyond rt/types.hpp.
inline constexpr u64 CLONE_NEWNS = 0x20000, CLONE_DETACHED = 0x400000;
inline constexpr u64 CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000;
inline constexpr u64 CLONE_CLEAR_SIGHAND = 0x100000000ull, CLONE_INTO_CGROUP = 0x200000000ull;

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

// pidfd_open(2) flag; siginfo codes used with pidfd_send_signal(2).
inline constexpr unsigned PIDFD_NONBLOCK = 04000;  // O_NONBLOCK
inline constexpr int SI_USER = 0, SI_QUEUE = -1, SI_MESGQ = -3;

// POSIX message queues (include/uapi/linux/mqueue.h): longs on every arch.
struct mq_attr {
    long mq_flags;
    long mq_maxmsg;
    long mq_msgsize;
    long mq_curmsgs;
    long reserved[4];
};
static_assert(sizeof(mq_attr) == 64);
inline constexpr unsigned MQ_PRIO_MAX = 32768;

// statfs(2): the 64-bit layout shared by x86-64 and asm-generic (120 bytes).
struct statfs_ {
    long f_type;
    long f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};
static_assert(sizeof(statfs_) == 120);
inline constexpr long ST_NOEXEC = 8;

// capget(2), version 3: two 32-bit words per set.
struct cap_header {
    u32 version;
    int pid;
};
struct cap_data {
    u32 effective;
    u32 permitted;
    u32 inheritable;
};
inline constexpr u32 LINUX_CAPABILITY_VERSION_3 = 0x20080522;
inline constexpr int CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24;

namespace sys {

// Processes.
inline long fork_syscall() { return syscall0(nr::fork); }
// The caller must not return from the frame that called vfork() before the
// child has exec'd or exited: the child runs on the parent's stack.
[[gnu::always_inline]] inline long vfork() { return syscall0(nr::vfork); }
// clone(flags, stack, parent_tid): the first three arguments are in the same
// order on every architecture (the fourth and fifth are not), so tests pass
// only these and zero the rest.
inline long clone(u64 flags, void* stack, int* ptid) {
    return syscall5(nr::clone, long(flags), L(stack), L(ptid), 0, 0);
}
inline long clone3(clone_args* a, usize size) { return syscall2(nr::clone3, L(a), L(size)); }
inline long execve(const char* path, const char* const* argv, const char* const* envp) {
    return syscall3(nr::execve, L(path), L(argv), L(envp));
}
inline long execveat(int dirfd, const char* path, const char* const* argv, const char* const* envp,
                     int flags) {
    return syscall5(nr::execveat, dirfd, L(path), L(argv), L(envp), flags);
}
// exit(2) of the calling thread (the whole process when it is the only one).
[[noreturn]] inline void exit_thread(int code) {
    for (;;) syscall1(nr::exit, code);
}
inline long getpgid(int pid) { return syscall1(nr::getpgid, pid); }
inline long getpgrp() { return syscall0(nr::getpgrp); }
inline long getsid(int pid) { return syscall1(nr::getsid, pid); }
inline long setsid() { return syscall0(nr::setsid); }
inline long getpriority(int which, int who) { return syscall2(nr::getpriority, which, who); }
inline long setpriority(int which, int who, int prio) {
    return syscall3(nr::setpriority, which, who, prio);
}
inline long getrlimit(int res, rlimit64* r) { return syscall2(nr::getrlimit, res, L(r)); }
inline long setrlimit(int res, const rlimit64* r) { return syscall2(nr::setrlimit, res, L(r)); }
inline long prlimit64(int pid, int res, const rlimit64* nv, rlimit64* old) {
    return syscall4(nr::prlimit64, pid, res, L(nv), L(old));
}
inline long pidfd_open(int pid, unsigned flags) { return syscall2(nr::pidfd_open, pid, flags); }
inline long pidfd_send_signal(int pidfd, int sig, siginfo* info, unsigned flags) {
    return syscall4(nr::pidfd_send_signal, pidfd, sig, L(info), flags);
}
inline long pidfd_getfd(int pidfd, int fd, unsigned flags) {
    return syscall3(nr::pidfd_getfd, pidfd, fd, flags);
}

// Credentials (used to drop privileges in a child).
inline long setresuid(int r, int e, int s) { return syscall3(nr::setresuid, r, e, s); }
inline long setresgid(int r, int e, int s) { return syscall3(nr::setresgid, r, e, s); }
inline long setgroups(usize n, const u32* list) { return syscall2(nr::setgroups, L(n), L(list)); }
inline long capget(cap_header* h, cap_data* d) { return syscall2(nr::capget, L(h), L(d)); }

// Signals.
inline long rt_sigpending(u64* set) { return syscall2(nr::rt_sigpending, L(set), 8); }

// Files (for exec test subjects in the scratch directory).
inline long fchmodat(int dirfd, const char* path, int mode) {
    return syscall3(nr::fchmodat, dirfd, L(path), mode);
}
inline long symlinkat(const char* target, int dirfd, const char* path) {
    return syscall3(nr::symlinkat, L(target), dirfd, L(path));
}
inline long fstatfs(int fd, statfs_* st) { return syscall2(nr::fstatfs, fd, L(st)); }
inline long readlinkat(int dirfd, const char* path, char* buf, usize n) {
    return syscall4(nr::readlinkat, dirfd, L(path), L(buf), L(n));
}

// POSIX message queues. The kernel takes the name WITHOUT the leading '/'
// that mq_open(3) requires: libc strips it.
inline long mq_open(const char* name, int oflag, int mode, mq_attr* attr) {
    return syscall4(nr::mq_open, L(name), oflag, mode, L(attr));
}
inline long mq_unlink(const char* name) { return syscall1(nr::mq_unlink, L(name)); }
inline long mq_timedsend(int mqd, const void* msg, usize len, unsigned prio, const timespec* abs) {
    return syscall5(nr::mq_timedsend, mqd, L(msg), L(len), prio, L(abs));
}
inline long mq_timedreceive(int mqd, void* buf, usize len, unsigned* prio, const timespec* abs) {
    return syscall5(nr::mq_timedreceive, mqd, L(buf), L(len), L(prio), L(abs));
}
inline long mq_notify(int mqd, const sigevent* ev) { return syscall2(nr::mq_notify, mqd, L(ev)); }
inline long mq_getsetattr(int mqd, const mq_attr* nv, mq_attr* old) {
    return syscall3(nr::mq_getsetattr, mqd, L(nv), L(old));
}

}  // namespace sys
