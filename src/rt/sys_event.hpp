// SPDX-License-Identifier: MIT
// Descriptors that deliver events: eventfd, signalfd and inotify. The values
// and layouts are the same on x86-64, aarch64 and riscv64 (linux/eventfd.h,
// linux/signalfd.h, linux/inotify.h). timerfd is in rt/sys_time.hpp, memfd in
// rt/sys_mm.hpp.
#pragma once

#include "rt/sys.hpp"

// eventfd(2), signalfd(2), inotify(7).
inline constexpr int EFD_SEMAPHORE = 1, EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK;
inline constexpr int SFD_CLOEXEC = O_CLOEXEC, SFD_NONBLOCK = O_NONBLOCK;
inline constexpr int IN_CLOEXEC = O_CLOEXEC, IN_NONBLOCK = O_NONBLOCK;
inline constexpr u32 IN_ACCESS = 0x1, IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8;
inline constexpr u32 IN_CLOSE_NOWRITE = 0x10, IN_OPEN = 0x20, IN_MOVED_FROM = 0x40;
inline constexpr u32 IN_MOVED_TO = 0x80, IN_CREATE = 0x100, IN_DELETE = 0x200;
inline constexpr u32 IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800, IN_IGNORED = 0x8000;
inline constexpr u32 IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000;
inline constexpr u32 IN_EXCL_UNLINK = 0x04000000;
inline constexpr u32 IN_MASK_CREATE = 0x10000000, IN_MASK_ADD = 0x20000000;
inline constexpr u32 IN_ISDIR = 0x40000000, IN_ONESHOT = 0x80000000;

struct signalfd_siginfo {
    u32 ssi_signo;
    i32 ssi_errno;
    i32 ssi_code;
    u32 ssi_pid;
    u32 ssi_uid;
    i32 ssi_fd;
    u32 ssi_tid;
    u32 ssi_band;
    u32 ssi_overrun;
    u32 ssi_trapno;
    i32 ssi_status;
    i32 ssi_int;
    u64 ssi_ptr;
    u64 ssi_utime;
    u64 ssi_stime;
    u64 ssi_addr;
    u16 ssi_addr_lsb;
    u16 pad2;
    i32 ssi_syscall;
    u64 ssi_call_addr;
    u32 ssi_arch;
    u8 pad[28];
};
static_assert(sizeof(signalfd_siginfo) == 128);
static_assert(__builtin_offsetof(signalfd_siginfo, ssi_ptr) == 48);

struct inotify_event {
    int wd;
    u32 mask;
    u32 cookie;
    u32 len;  // bytes of name[] that follow, NUL-padded
};
static_assert(sizeof(inotify_event) == 16);

namespace sys {

// int eventfd(unsigned int initval);
inline long eventfd(unsigned initval) { return syscall1(nr::eventfd, initval); }
// int eventfd2(unsigned int initval, int flags);
inline long eventfd2(unsigned initval, int flags) { return syscall2(nr::eventfd2, initval, flags); }
// int signalfd(int fd, const sigset_t *mask, size_t sizemask);
inline long signalfd(int fd, const u64* mask, usize setsize = kSigsetSize) {
    return syscall3(nr::signalfd, fd, L(mask), L(setsize));
}
// int signalfd4(int fd, const sigset_t *mask, size_t sizemask, int flags);
inline long signalfd4(int fd, const u64* mask, usize setsize, int flags) {
    return syscall4(nr::signalfd4, fd, L(mask), L(setsize), flags);
}
// int inotify_init(void);
inline long inotify_init() { return syscall0(nr::inotify_init); }
// int inotify_init1(int flags);
inline long inotify_init1(int flags) { return syscall1(nr::inotify_init1, flags); }
// int inotify_add_watch(int fd, const char *pathname, uint32_t mask);
inline long inotify_add_watch(int fd, const char* path, u32 mask) {
    return syscall3(nr::inotify_add_watch, fd, L(path), mask);
}
// int inotify_rm_watch(int fd, int wd);
inline long inotify_rm_watch(int fd, int wd) { return syscall2(nr::inotify_rm_watch, fd, wd); }

}  // namespace sys
