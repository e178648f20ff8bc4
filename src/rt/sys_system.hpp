// SPDX-License-Identifier: MIT
// The system as a whole: sysinfo, getrandom, the kernel log (syslog),
// process accounting (acct), swap areas, and the host and domain names. The
// values and layouts are the same on x86-64, aarch64 and riscv64 (64-bit
// struct sysinfo, asm-generic values). reboot(2) is in rt/sys.hpp.
#pragma once

#include "rt/sys.hpp"

// getrandom(2).
inline constexpr unsigned GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

// sysinfo(2): the 64-bit layout (the 20-byte padding tail is empty there).
struct sysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned mem_unit;
};
static_assert(sizeof(struct sysinfo) == 112);

// syslog(2) actions.
inline constexpr int SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2;
inline constexpr int SYSLOG_ACTION_READ_ALL = 3, SYSLOG_ACTION_READ_CLEAR = 4;
inline constexpr int SYSLOG_ACTION_CLEAR = 5, SYSLOG_ACTION_CONSOLE_OFF = 6;
inline constexpr int SYSLOG_ACTION_CONSOLE_ON = 7, SYSLOG_ACTION_CONSOLE_LEVEL = 8;
inline constexpr int SYSLOG_ACTION_SIZE_UNREAD = 9, SYSLOG_ACTION_SIZE_BUFFER = 10;

// swapon(2) flags.
inline constexpr int SWAP_FLAG_PREFER = 0x8000, SWAP_FLAG_DISCARD = 0x10000;

namespace sys {

// int sysinfo(struct sysinfo *info);
inline long sysinfo(struct sysinfo* si) { return syscall1(nr::sysinfo, L(si)); }
// ssize_t getrandom(void *buf, size_t buflen, unsigned int flags);
inline long getrandom(void* buf, usize n, unsigned flags) {
    return syscall3(nr::getrandom, L(buf), L(n), flags);
}
// int syslog(int type, char *bufp, int len);
inline long syslog(int type, char* buf, long len) {
    return syscall3(nr::syslog, type, L(buf), len);
}
// int acct(const char *filename);
inline long acct(const char* path) { return syscall1(nr::acct, L(path)); }
// int swapon(const char *path, int swapflags);
inline long swapon(const char* path, long flags) { return syscall2(nr::swapon, L(path), flags); }
// int swapoff(const char *path);
inline long swapoff(const char* path) { return syscall1(nr::swapoff, L(path)); }
// int sethostname(const char *name, size_t len);
inline long sethostname(const char* name, long len) {
    return syscall2(nr::sethostname, L(name), len);
}
// int setdomainname(const char *name, size_t len);
inline long setdomainname(const char* name, long len) {
    return syscall2(nr::setdomainname, L(name), len);
}

}  // namespace sys
