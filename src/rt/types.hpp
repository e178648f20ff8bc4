// SPDX-License-Identifier: MIT
// Kernel types and constants that are the same on every 64-bit Linux
// architecture kconform supports (x86-64, aarch64, riscv64), for the calls of
// rt/sys.hpp and for what several families share (open and *at flags, fcntl,
// file types, signals and siginfo codes, clone and prctl flags). Layouts that
// differ live in src/arch/<arch>/abi.hpp. Like every rt header, constants and
// structs are at global scope under the kernel's names; wrappers are in
// namespace sys.
#pragma once

#include "arch/arch.hpp"
#include "arch/int.hpp"

inline constexpr int INT_MAX = 0x7fffffff;
inline constexpr int INT_MIN = -INT_MAX - 1;
inline constexpr long LONG_MAX = 0x7fffffffffffffffL;
inline constexpr long LONG_MIN = -LONG_MAX - 1;
inline constexpr long SSIZE_MAX = LONG_MAX;
inline constexpr int UIO_MAXIOV = 1024;  // iovecs in one call (POSIX IOV_MAX)

struct timespec {
    i64 tv_sec;
    i64 tv_nsec;
};
struct timeval {
    i64 tv_sec;
    i64 tv_usec;
};
struct timezone {
    int tz_minuteswest;
    int tz_dsttime;
};
struct iovec {
    void* iov_base;
    usize iov_len;
};
struct utsname {
    char sysname[65];
    char nodename[65];
    char release[65];
    char version[65];
    char machine[65];
    char domainname[65];
};
struct rusage {
    timeval ru_utime;
    timeval ru_stime;
    long fields[14];
};
// Kernel siginfo: 128 bytes; the first three ints are common to all layouts.
struct siginfo {
    int si_signo;
    int si_errno;
    int si_code;
    int pad;
    union {
        struct {
            int pid;
            u32 uid;
            int status;
        } child;  // SIGCHLD: si_pid, si_uid, si_status
        struct {
            void* addr;
        } fault;  // SIGSEGV, SIGBUS: si_addr
        struct {
            int pid;
            u32 uid;
            long value;
        } rt;  // kill/sigqueue: si_pid, si_uid, si_value
        struct {
            void* call_addr;
            int syscall;
            u32 arch;
        } sigsys;  // SIGSYS from seccomp: si_call_addr, si_syscall, si_arch
        long raw[14];
    };
};
static_assert(sizeof(siginfo) == 128);
static_assert(__builtin_offsetof(siginfo, sigsys.syscall) == 24);
// si_code values (asm-generic/siginfo.h).
inline constexpr int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2;
inline constexpr int SI_MESGQ = -3, SI_TKILL = -6;
inline constexpr int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2, SYS_SECCOMP = 1;

// open(2) flags common to all supported architectures.
inline constexpr int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3;
inline constexpr int O_CREAT = 0100, O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000;
inline constexpr int O_APPEND = 02000, O_NONBLOCK = 04000, O_DSYNC = 010000;
inline constexpr int O_NOATIME = 01000000, O_CLOEXEC = 02000000, O_SYNC = 04010000;
inline constexpr int O_PATH = 010000000, O_ASYNC = 020000;
using arch::O_DIRECT;
using arch::O_DIRECTORY;
using arch::O_LARGEFILE;
using arch::O_NOFOLLOW;
// O_TMPFILE is __O_TMPFILE (the same bit everywhere) plus O_DIRECTORY.
inline constexpr int O_TMPFILE = 020000000 | O_DIRECTORY;
inline constexpr int O_NOTIFICATION_PIPE = O_EXCL;  // pipe2 only (CONFIG_WATCH_QUEUE)
inline constexpr int AT_FDCWD = -100;
inline constexpr int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;
inline constexpr int AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
inline constexpr int AT_EACCESS = 0x200, AT_NO_AUTOMOUNT = 0x800;
inline constexpr int AT_STATX_FORCE_SYNC = 0x2000, AT_STATX_DONT_SYNC = 0x4000;

// File types and permission bits (linux/stat.h).
inline constexpr u32 S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000;
inline constexpr u32 S_IFREG = 0100000, S_IFBLK = 060000, S_IFDIR = 040000;
inline constexpr u32 S_IFCHR = 020000, S_IFIFO = 010000;
inline constexpr u32 S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

// fcntl(2) commands and flags.
inline constexpr int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4;
inline constexpr int F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7;
inline constexpr int F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11;
inline constexpr int F_DUPFD_CLOEXEC = 1030, F_SETPIPE_SZ = 1031, F_GETPIPE_SZ = 1032;
inline constexpr int F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
inline constexpr int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38;
inline constexpr int FD_CLOEXEC = 1;
inline constexpr int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
inline constexpr int F_SEAL_FUTURE_WRITE = 0x10, F_SEAL_EXEC = 0x20;

inline constexpr int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;

// Signals (asm-generic numbering, identical on the three architectures).
inline constexpr int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5;
inline constexpr int SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10;
inline constexpr int SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15;
inline constexpr int SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20;
inline constexpr int SIGTTIN = 21, SIGTTOU = 22, SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25;
inline constexpr int SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29, SIGPWR = 30;
inline constexpr int SIGSYS = 31, SIGRTMIN = 32, SIGRTMAX = 64, NSIG = 64;
inline constexpr u64 SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4;
inline constexpr u64 SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000;
inline constexpr u64 SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;
inline constexpr int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
inline constexpr usize kSigsetSize = 8;  // the kernel's sigset_t: 64 bits
inline constexpr u64 sigbit(int sig) { return 1ull << (sig - 1); }
inline void* const SIG_DFL = nullptr;
inline void* const SIG_IGN = reinterpret_cast<void*>(1);

// wait4/waitid.
inline constexpr int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4;
inline constexpr int WCONTINUED = 8, WNOWAIT = 0x01000000, __WALL = 0x40000000;
inline constexpr int __WNOTHREAD = 0x20000000, __WCLONE = int(0x80000000u);
inline constexpr int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
inline constexpr int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
inline constexpr int CLD_TRAPPED = 4, CLD_STOPPED = 5, CLD_CONTINUED = 6;
inline constexpr bool wifexited(int s) { return (s & 0x7f) == 0; }
inline constexpr int wexitstatus(int s) { return (s >> 8) & 0xff; }
inline constexpr bool wifsignaled(int s) { return (s & 0x7f) != 0 && (s & 0x7f) != 0x7f; }
inline constexpr bool wifstopped(int s) { return (s & 0xff) == 0x7f; }
inline constexpr int wtermsig(int s) { return s & 0x7f; }

// Clocks and timers.
inline constexpr int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2;
inline constexpr int CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4;
inline constexpr int CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6;
inline constexpr int CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;
inline constexpr int CLOCK_TAI = 11;
inline constexpr int TIMER_ABSTIME = 1;
inline constexpr int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
struct itimerval {
    timeval it_interval;
    timeval it_value;
};
struct itimerspec {
    timespec it_interval;
    timespec it_value;
};

struct sigevent {
    u64 sigev_value;
    int sigev_signo;
    int sigev_notify;
    union {
        int tid;  // SIGEV_THREAD_ID
        int pad[12];
    };
};
static_assert(sizeof(sigevent) == 64);
inline constexpr int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
struct stack_t {
    void* ss_sp;
    int ss_flags;
    usize ss_size;
};
inline constexpr int SS_ONSTACK = 1, SS_DISABLE = 2;

// clone(2) and unshare(2) flags (linux/sched.h).
inline constexpr u64 CLONE_NEWTIME = 0x80, CLONE_VM = 0x100, CLONE_FS = 0x200;
inline constexpr u64 CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000;
inline constexpr u64 CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000;
inline constexpr u64 CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000;
inline constexpr u64 CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000;
inline constexpr u64 CLONE_DETACHED = 0x400000, CLONE_CHILD_SETTID = 0x01000000;
inline constexpr u64 CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000;
inline constexpr u64 CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000;
inline constexpr u64 CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
inline constexpr u64 CLONE_IO = 0x80000000;
inline constexpr u64 CLONE_CLEAR_SIGHAND = 0x100000000ull, CLONE_INTO_CGROUP = 0x200000000ull;

// mmap(2).
inline constexpr int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
inline constexpr int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
inline void* const MAP_FAILED = reinterpret_cast<void*>(-1L);

// prctl(2) options (linux/prctl.h).
inline constexpr int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2;
inline constexpr int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
inline constexpr int PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8;
inline constexpr int PR_SET_NAME = 15, PR_GET_NAME = 16;
inline constexpr int PR_GET_SECCOMP = 21, PR_SET_SECCOMP = 22;
inline constexpr int PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24;
inline constexpr int PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28;
inline constexpr int PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37;
inline constexpr int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
inline constexpr int PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2;
inline constexpr int PR_CAP_AMBIENT_LOWER = 3, PR_CAP_AMBIENT_CLEAR_ALL = 4;

// ioctl(2) requests of the generic tty and file layer (asm-generic/ioctls.h,
// linux/fs.h): the same numbers on the three architectures.
inline constexpr unsigned long TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541B;
inline constexpr unsigned long FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;
inline constexpr unsigned long FIOASYNC = 0x5452, FIOQSIZE = 0x5460, FIGETBSZ = 2;

// Auxiliary vector entries (linux/auxvec.h).
inline constexpr unsigned long AT_NULL = 0, AT_PAGESZ = 6, AT_EXECFN = 31;

// Misc.
inline constexpr usize PIPE_BUF = 4096;  // POSIX minimum 512; Linux 4096
inline constexpr unsigned LINUX_REBOOT_MAGIC1 = 0xfee1dead, LINUX_REBOOT_MAGIC2 = 672274793;
inline constexpr unsigned LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
