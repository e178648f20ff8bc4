// Typed raw system-call wrappers. Each returns the kernel's result unchanged:
// values in [-4095, -1] are -errno; there is no global errno. Arguments keep
// the kernel's types so that tests can pass any bit pattern (a negative count
// where the kernel takes size_t is a deliberate boundary test).
//
// A system call that an architecture lacks has nr::NAME == -1 in that
// architecture's table (see src/arch/<arch>/nr.hpp); tests guard it with
// REQUIRE_NR(NAME). This file covers the calls of the core families; areas add
// their own wrappers in rt/sys_<area>.hpp.
#pragma once

#include "rt/types.hpp"

namespace sys {

using arch::syscall0;
using arch::syscall1;
using arch::syscall2;
using arch::syscall3;
using arch::syscall4;
using arch::syscall5;
using arch::syscall6;

template <class T>
inline long L(T v) {
    return (long)v;
}

// I/O on file descriptors.
inline long read(int fd, void* buf, usize n) { return syscall3(nr::read, fd, L(buf), L(n)); }
inline long write(int fd, const void* buf, usize n) {
    return syscall3(nr::write, fd, L(buf), L(n));
}
inline long readv(int fd, const iovec* iov, int cnt) {
    return syscall3(nr::readv, fd, L(iov), cnt);
}
inline long writev(int fd, const iovec* iov, int cnt) {
    return syscall3(nr::writev, fd, L(iov), cnt);
}
inline long pread64(int fd, void* buf, usize n, long off) {
    return syscall4(nr::pread64, fd, L(buf), L(n), off);
}
inline long pwrite64(int fd, const void* buf, usize n, long off) {
    return syscall4(nr::pwrite64, fd, L(buf), L(n), off);
}
inline long preadv(int fd, const iovec* iov, int cnt, long off) {
    return syscall5(nr::preadv, fd, L(iov), cnt, off, 0);
}
inline long pwritev(int fd, const iovec* iov, int cnt, long off) {
    return syscall5(nr::pwritev, fd, L(iov), cnt, off, 0);
}
inline long lseek(int fd, long off, int whence) { return syscall3(nr::lseek, fd, off, whence); }
inline long close(int fd) { return syscall1(nr::close, fd); }
inline long close_range(unsigned first, unsigned last, unsigned flags) {
    return syscall3(nr::close_range, first, last, flags);
}
inline long dup(int fd) { return syscall1(nr::dup, fd); }
inline long dup2(int oldfd, int newfd) { return syscall2(nr::dup2, oldfd, newfd); }
inline long dup3(int oldfd, int newfd, int flags) {
    return syscall3(nr::dup3, oldfd, newfd, flags);
}
inline long fcntl(int fd, int cmd, long arg = 0) { return syscall3(nr::fcntl, fd, cmd, arg); }
inline long pipe(int fds[2]) { return syscall1(nr::pipe, L(fds)); }
inline long pipe2(int fds[2], int flags) { return syscall2(nr::pipe2, L(fds), flags); }
inline long ioctl(int fd, unsigned long req, long arg) {
    return syscall3(nr::ioctl, fd, L(req), arg);
}

// Files and directories (only what the harness needs; see rt/sys_fs.hpp).
inline long openat(int dirfd, const char* path, int flags, int mode = 0) {
    return syscall4(nr::openat, dirfd, L(path), flags, mode);
}
inline long mkdirat(int dirfd, const char* path, int mode) {
    return syscall3(nr::mkdirat, dirfd, L(path), mode);
}
inline long unlinkat(int dirfd, const char* path, int flags) {
    return syscall3(nr::unlinkat, dirfd, L(path), flags);
}
inline long getdents64(int fd, void* buf, usize n) {
    return syscall3(nr::getdents64, fd, L(buf), L(n));
}
inline long fstat(int fd, arch::Stat* st) { return syscall2(nr::fstat, fd, L(st)); }

// Time.
inline long nanosleep(const timespec* req, timespec* rem) {
    return syscall2(nr::nanosleep, L(req), L(rem));
}
inline long clock_nanosleep(int clk, int flags, const timespec* req, timespec* rem) {
    return syscall4(nr::clock_nanosleep, clk, flags, L(req), L(rem));
}
inline long clock_gettime(int clk, timespec* ts) {
    return syscall2(nr::clock_gettime, clk, L(ts));
}
inline long clock_getres(int clk, timespec* ts) { return syscall2(nr::clock_getres, clk, L(ts)); }
inline long gettimeofday(timeval* tv, timezone_* tz) {
    return syscall2(nr::gettimeofday, L(tv), L(tz));
}
inline long setitimer(int which, const itimerval* nv, itimerval* old) {
    return syscall3(nr::setitimer, which, L(nv), L(old));
}

inline long timer_create(int clk, sigevent* sev, int* id) {
    return syscall3(nr::timer_create, clk, L(sev), L(id));
}
inline long timer_settime(int id, int flags, const itimerspec* nv, itimerspec* old) {
    return syscall4(nr::timer_settime, id, flags, L(nv), L(old));
}
inline long timer_delete(int id) { return syscall1(nr::timer_delete, id); }

// Identity.
inline long getpid() { return syscall0(nr::getpid); }
inline long getppid() { return syscall0(nr::getppid); }
inline long gettid() { return syscall0(nr::gettid); }
inline long getuid() { return syscall0(nr::getuid); }
inline long geteuid() { return syscall0(nr::geteuid); }
inline long getgid() { return syscall0(nr::getgid); }
inline long getegid() { return syscall0(nr::getegid); }
inline long uname(utsname* u) { return syscall1(nr::uname, L(u)); }

// Processes.
[[noreturn]] inline void exit_group(int code) {
    syscall1(nr::exit_group, code);
    __builtin_unreachable();
}
// fork as clone(SIGCHLD): the one form every architecture has.
inline long fork() { return syscall5(nr::clone, SIGCHLD, 0, 0, 0, 0); }
inline long wait4(int pid, int* status, int options, rusage* ru) {
    return syscall4(nr::wait4, pid, L(status), options, L(ru));
}
inline long waitid(int idtype, int id, siginfo* info, int options, rusage* ru) {
    return syscall5(nr::waitid, idtype, id, L(info), options, L(ru));
}
inline long kill(int pid, int sig) { return syscall2(nr::kill, pid, sig); }
inline long tgkill(int tgid, int tid, int sig) { return syscall3(nr::tgkill, tgid, tid, sig); }
inline long setpgid(int pid, int pgid) { return syscall2(nr::setpgid, pid, pgid); }
inline long prctl(int op, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) {
    return syscall5(nr::prctl, op, a2, a3, a4, a5);
}
inline long reboot(unsigned cmd) {
    return syscall4(nr::reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
}

// Signals.
inline long rt_sigaction(int sig, const arch::KSigaction* act, arch::KSigaction* old,
                         usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigaction, sig, L(act), L(old), L(setsize));
}
inline long rt_sigprocmask(int how, const u64* set, u64* old, usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigprocmask, how, L(set), L(old), L(setsize));
}
inline long rt_sigtimedwait(const u64* set, siginfo* info, const timespec* timeout,
                            usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigtimedwait, L(set), L(info), L(timeout), L(setsize));
}
inline long sigaltstack(const stack_t* ss, stack_t* old) {
    return syscall2(nr::sigaltstack, L(ss), L(old));
}

// Memory.
inline long mmap(void* addr, usize len, int prot, int flags, int fd, long off) {
    return syscall6(nr::mmap, L(addr), L(len), prot, flags, fd, off);
}
inline long munmap(void* addr, usize len) { return syscall2(nr::munmap, L(addr), L(len)); }

}  // namespace sys
