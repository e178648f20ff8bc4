// SPDX-License-Identifier: MIT
// Typed raw system-call wrappers. Each returns the kernel's result unchanged:
// values in [-4095, -1] are -errno; there is no global errno. Arguments keep
// the kernel's types so that tests can pass any bit pattern (a negative count
// where the kernel takes size_t is a deliberate boundary test).
//
// A system call that an architecture lacks has nr::NAME == -1 in that
// architecture's table (see src/arch/<arch>/nr.hpp); tests guard it with
// REQUIRE_NR(NAME). This file covers the calls of the core families (the ones
// the harness uses); every other family has its own rt/sys_<family>.hpp. Each
// wrapper is defined once, in namespace sys, under its prototype as the man
// page gives it; constants and structs are at global scope, in the kernel's
// names (rt/types.hpp and the family headers).
#pragma once

#include "rt/types.hpp"

// preadv2(2)/pwritev2(2) flags (linux/fs.h).
inline constexpr int RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8;
inline constexpr int RWF_APPEND = 0x10, RWF_NOAPPEND = 0x20;

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

// ssize_t read(int fd, void *buf, size_t count);
inline long read(int fd, void* buf, usize n) { return syscall3(nr::read, fd, L(buf), L(n)); }
// ssize_t write(int fd, const void *buf, size_t count);
inline long write(int fd, const void* buf, usize n) {
    return syscall3(nr::write, fd, L(buf), L(n));
}
// ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
inline long readv(int fd, const iovec* iov, int cnt) {
    return syscall3(nr::readv, fd, L(iov), cnt);
}
// ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
inline long writev(int fd, const iovec* iov, int cnt) {
    return syscall3(nr::writev, fd, L(iov), cnt);
}
// ssize_t pread(int fd, void *buf, size_t count, off_t offset);
inline long pread64(int fd, void* buf, usize n, long off) {
    return syscall4(nr::pread64, fd, L(buf), L(n), off);
}
// ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset);
inline long pwrite64(int fd, const void* buf, usize n, long off) {
    return syscall4(nr::pwrite64, fd, L(buf), L(n), off);
}
// ssize_t preadv(int fd, const struct iovec *iov, int iovcnt, off_t offset);
inline long preadv(int fd, const iovec* iov, int cnt, long off) {
    return syscall5(nr::preadv, fd, L(iov), cnt, off, 0);
}
// ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset);
inline long pwritev(int fd, const iovec* iov, int cnt, long off) {
    return syscall5(nr::pwritev, fd, L(iov), cnt, off, 0);
}
// ssize_t preadv2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);
// On 64-bit ABIs the offset travels whole in pos_l; pos_h is ignored.
inline long preadv2(int fd, const iovec* iov, int cnt, long off, int flags) {
    return syscall6(nr::preadv2, fd, L(iov), cnt, off, 0, flags);
}
// ssize_t pwritev2(int fd, const struct iovec *iov, int iovcnt, off_t offset, int flags);
inline long pwritev2(int fd, const iovec* iov, int cnt, long off, int flags) {
    return syscall6(nr::pwritev2, fd, L(iov), cnt, off, 0, flags);
}
// off_t lseek(int fd, off_t offset, int whence);
inline long lseek(int fd, long off, int whence) { return syscall3(nr::lseek, fd, off, whence); }
// int close(int fd);
inline long close(int fd) { return syscall1(nr::close, fd); }
// int close_range(unsigned int first, unsigned int last, int flags);
inline long close_range(unsigned first, unsigned last, unsigned flags) {
    return syscall3(nr::close_range, first, last, flags);
}
// int dup(int oldfd);
inline long dup(int fd) { return syscall1(nr::dup, fd); }
// int dup2(int oldfd, int newfd);
inline long dup2(int oldfd, int newfd) { return syscall2(nr::dup2, oldfd, newfd); }
// int dup3(int oldfd, int newfd, int flags);
inline long dup3(int oldfd, int newfd, int flags) {
    return syscall3(nr::dup3, oldfd, newfd, flags);
}
// int fcntl(int fd, int cmd, ... /* arg */ );
inline long fcntl(int fd, int cmd, long arg = 0) { return syscall3(nr::fcntl, fd, cmd, arg); }
// int pipe(int pipefd[2]);
inline long pipe(int fds[2]) { return syscall1(nr::pipe, L(fds)); }
// int pipe2(int pipefd[2], int flags);
inline long pipe2(int fds[2], int flags) { return syscall2(nr::pipe2, L(fds), flags); }
// int ioctl(int fd, unsigned long request, ...);
inline long ioctl(int fd, unsigned long req, long arg) {
    return syscall3(nr::ioctl, fd, L(req), arg);
}

// Files and directories (only what the harness needs; see rt/sys_fs.hpp).

// int openat(int dirfd, const char *pathname, int flags, mode_t mode);
inline long openat(int dirfd, const char* path, int flags, int mode = 0) {
    return syscall4(nr::openat, dirfd, L(path), flags, mode);
}
// int mkdirat(int dirfd, const char *pathname, mode_t mode);
inline long mkdirat(int dirfd, const char* path, int mode) {
    return syscall3(nr::mkdirat, dirfd, L(path), mode);
}
// int unlinkat(int dirfd, const char *pathname, int flags);
inline long unlinkat(int dirfd, const char* path, int flags) {
    return syscall3(nr::unlinkat, dirfd, L(path), flags);
}
// ssize_t getdents64(int fd, void *dirp, size_t count);
inline long getdents64(int fd, void* buf, usize n) {
    return syscall3(nr::getdents64, fd, L(buf), L(n));
}
// int fstat(int fd, struct stat *statbuf);
inline long fstat(int fd, arch::Stat* st) { return syscall2(nr::fstat, fd, L(st)); }

// Time.

// int nanosleep(const struct timespec *req, struct timespec *rem);
inline long nanosleep(const timespec* req, timespec* rem) {
    return syscall2(nr::nanosleep, L(req), L(rem));
}
// int clock_nanosleep(clockid_t clk, int flags, const struct timespec *t, struct timespec *rem);
inline long clock_nanosleep(int clk, int flags, const timespec* req, timespec* rem) {
    return syscall4(nr::clock_nanosleep, clk, flags, L(req), L(rem));
}
// int clock_gettime(clockid_t clockid, struct timespec *tp);
inline long clock_gettime(int clk, timespec* ts) { return syscall2(nr::clock_gettime, clk, L(ts)); }
// int clock_getres(clockid_t clockid, struct timespec *res);
inline long clock_getres(int clk, timespec* ts) { return syscall2(nr::clock_getres, clk, L(ts)); }
// int gettimeofday(struct timeval *tv, struct timezone *tz);
inline long gettimeofday(timeval* tv, timezone* tz) {
    return syscall2(nr::gettimeofday, L(tv), L(tz));
}
// int setitimer(int which, const struct itimerval *new_value, struct itimerval *old_value);
inline long setitimer(int which, const itimerval* nv, itimerval* old) {
    return syscall3(nr::setitimer, which, L(nv), L(old));
}
// int timer_create(clockid_t clockid, struct sigevent *sevp, timer_t *timerid);
inline long timer_create(int clk, sigevent* sev, int* id) {
    return syscall3(nr::timer_create, clk, L(sev), L(id));
}
// int timer_settime(timer_t id, int flags, const struct itimerspec *new, struct itimerspec *old);
inline long timer_settime(int id, int flags, const itimerspec* nv, itimerspec* old) {
    return syscall4(nr::timer_settime, id, flags, L(nv), L(old));
}
// int timer_delete(timer_t timerid);
inline long timer_delete(int id) { return syscall1(nr::timer_delete, id); }

// Identity.

// pid_t getpid(void);
inline long getpid() { return syscall0(nr::getpid); }
// pid_t getppid(void);
inline long getppid() { return syscall0(nr::getppid); }
// pid_t gettid(void);
inline long gettid() { return syscall0(nr::gettid); }
// uid_t getuid(void);
inline long getuid() { return syscall0(nr::getuid); }
// uid_t geteuid(void);
inline long geteuid() { return syscall0(nr::geteuid); }
// gid_t getgid(void);
inline long getgid() { return syscall0(nr::getgid); }
// gid_t getegid(void);
inline long getegid() { return syscall0(nr::getegid); }
// int uname(struct utsname *buf);
inline long uname(utsname* u) { return syscall1(nr::uname, L(u)); }

// Processes.

// [[noreturn]] void exit_group(int status);
[[noreturn]] inline void exit_group(int code) {
    syscall1(nr::exit_group, code);
    __builtin_unreachable();
}
// pid_t fork(void);
// As clone(SIGCHLD): the one form every architecture has.
inline long fork() { return syscall5(nr::clone, SIGCHLD, 0, 0, 0, 0); }
// pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *rusage);
inline long wait4(int pid, int* status, int options, rusage* ru) {
    return syscall4(nr::wait4, pid, L(status), options, L(ru));
}
// int waitid(idtype_t idtype, id_t id, siginfo_t *infop, int options, struct rusage *ru);
inline long waitid(int idtype, int id, siginfo* info, int options, rusage* ru) {
    return syscall5(nr::waitid, idtype, id, L(info), options, L(ru));
}
// int kill(pid_t pid, int sig);
inline long kill(int pid, int sig) { return syscall2(nr::kill, pid, sig); }
// int tgkill(pid_t tgid, pid_t tid, int sig);
inline long tgkill(int tgid, int tid, int sig) { return syscall3(nr::tgkill, tgid, tid, sig); }
// int setpgid(pid_t pid, pid_t pgid);
inline long setpgid(int pid, int pgid) { return syscall2(nr::setpgid, pid, pgid); }
// int prctl(int op, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
inline long prctl(int op, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) {
    return syscall5(nr::prctl, op, a2, a3, a4, a5);
}
// int reboot(int magic, int magic2, int op, void *arg);
// (op first: the magic numbers are right unless a test says otherwise)
inline long reboot(unsigned cmd, unsigned magic = LINUX_REBOOT_MAGIC1,
                   unsigned magic2 = LINUX_REBOOT_MAGIC2) {
    return syscall4(nr::reboot, magic, magic2, cmd, 0);
}

// Signals.

// int rt_sigaction(int sig, const struct sigaction *act, struct sigaction *old, size_t setsize);
inline long rt_sigaction(int sig, const arch::KSigaction* act, arch::KSigaction* old,
                         usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigaction, sig, L(act), L(old), L(setsize));
}
// int rt_sigprocmask(int how, const kernel_sigset_t *set, kernel_sigset_t *old, size_t setsize);
inline long rt_sigprocmask(int how, const u64* set, u64* old, usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigprocmask, how, L(set), L(old), L(setsize));
}
// int rt_sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *t, size_t size);
inline long rt_sigtimedwait(const u64* set, siginfo* info, const timespec* timeout,
                            usize setsize = kSigsetSize) {
    return syscall4(nr::rt_sigtimedwait, L(set), L(info), L(timeout), L(setsize));
}
// int sigaltstack(const stack_t *ss, stack_t *old_ss);
inline long sigaltstack(const stack_t* ss, stack_t* old) {
    return syscall2(nr::sigaltstack, L(ss), L(old));
}

// Memory.

// void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
inline long mmap(void* addr, usize len, int prot, int flags, int fd, long off) {
    return syscall6(nr::mmap, L(addr), L(len), prot, flags, fd, off);
}
// int munmap(void *addr, size_t length);
inline long munmap(void* addr, usize len) { return syscall2(nr::munmap, L(addr), L(len)); }

}  // namespace sys
