// SPDX-License-Identifier: MIT
// Credentials and capabilities: the set*id and get*id calls, supplementary
// groups, capget/capset and the capability numbers (linux/capability.h,
// linux/securebits.h). The layouts and values are the same on x86-64,
// aarch64 and riscv64. The prctl(2) options of the credentials (keepcaps,
// securebits, the bounding and ambient sets) are in rt/types.hpp.
#pragma once

#include "rt/sys.hpp"

// The uid and gid an id with no mapping in the user namespace reads as
// (/proc/sys/kernel/overflowuid, linux/highuid.h).
inline constexpr u32 DEFAULT_OVERFLOWUID = 65534, DEFAULT_OVERFLOWGID = 65534;
inline constexpr int NGROUPS_MAX = 65536;  // linux/limits.h

// capget(2)/capset(2): version 3 takes two data structs, 32 bits each.
struct __user_cap_header_struct {
    u32 version;
    int pid;
};
struct __user_cap_data_struct {
    u32 effective;
    u32 permitted;
    u32 inheritable;
};
static_assert(sizeof(__user_cap_header_struct) == 8 && sizeof(__user_cap_data_struct) == 12);
inline constexpr u32 _LINUX_CAPABILITY_VERSION_1 = 0x19980330;
inline constexpr u32 _LINUX_CAPABILITY_VERSION_2 = 0x20071026;
inline constexpr u32 _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
inline constexpr int _LINUX_CAPABILITY_U32S_3 = 2;

// Capabilities.
inline constexpr int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2;
inline constexpr int CAP_FOWNER = 3, CAP_FSETID = 4, CAP_KILL = 5, CAP_SETGID = 6;
inline constexpr int CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_LINUX_IMMUTABLE = 9;
inline constexpr int CAP_NET_BIND_SERVICE = 10, CAP_NET_BROADCAST = 11, CAP_NET_ADMIN = 12;
inline constexpr int CAP_NET_RAW = 13, CAP_IPC_LOCK = 14, CAP_IPC_OWNER = 15;
inline constexpr int CAP_SYS_MODULE = 16, CAP_SYS_RAWIO = 17, CAP_SYS_CHROOT = 18;
inline constexpr int CAP_SYS_PTRACE = 19, CAP_SYS_PACCT = 20, CAP_SYS_ADMIN = 21;
inline constexpr int CAP_SYS_BOOT = 22, CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24;
inline constexpr int CAP_SYS_TIME = 25, CAP_SYS_TTY_CONFIG = 26, CAP_MKNOD = 27;
inline constexpr int CAP_LEASE = 28, CAP_AUDIT_WRITE = 29, CAP_AUDIT_CONTROL = 30;
inline constexpr int CAP_SETFCAP = 31, CAP_MAC_OVERRIDE = 32, CAP_MAC_ADMIN = 33;
inline constexpr int CAP_SYSLOG = 34, CAP_WAKE_ALARM = 35, CAP_BLOCK_SUSPEND = 36;
inline constexpr int CAP_AUDIT_READ = 37, CAP_PERFMON = 38, CAP_BPF = 39;
inline constexpr int CAP_CHECKPOINT_RESTORE = 40, CAP_LAST_CAP = 40;

// Securebits (PR_GET_SECUREBITS/PR_SET_SECUREBITS).
inline constexpr long SECBIT_NOROOT = 1, SECBIT_KEEP_CAPS = 16, SECBIT_KEEP_CAPS_LOCKED = 32;

namespace sys {

// int setuid(uid_t uid);
inline long setuid(u32 id) { return syscall1(nr::setuid, id); }
// int setgid(gid_t gid);
inline long setgid(u32 id) { return syscall1(nr::setgid, id); }
// int setreuid(uid_t ruid, uid_t euid);
inline long setreuid(u32 r, u32 e) { return syscall2(nr::setreuid, r, e); }
// int setregid(gid_t rgid, gid_t egid);
inline long setregid(u32 r, u32 e) { return syscall2(nr::setregid, r, e); }
// int setresuid(uid_t ruid, uid_t euid, uid_t suid);
inline long setresuid(u32 r, u32 e, u32 s) { return syscall3(nr::setresuid, r, e, s); }
// int setresgid(gid_t rgid, gid_t egid, gid_t sgid);
inline long setresgid(u32 r, u32 e, u32 s) { return syscall3(nr::setresgid, r, e, s); }
// int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid);
inline long getresuid(u32* r, u32* e, u32* s) { return syscall3(nr::getresuid, L(r), L(e), L(s)); }
// int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid);
inline long getresgid(u32* r, u32* e, u32* s) { return syscall3(nr::getresgid, L(r), L(e), L(s)); }
// int setfsuid(uid_t fsuid);
inline long setfsuid(u32 id) { return syscall1(nr::setfsuid, id); }
// int setfsgid(gid_t fsgid);
inline long setfsgid(u32 id) { return syscall1(nr::setfsgid, id); }
// int getgroups(int size, gid_t list[]);
inline long getgroups(int n, u32* list) { return syscall2(nr::getgroups, n, L(list)); }
// int setgroups(size_t size, const gid_t *list);
inline long setgroups(usize n, const u32* list) { return syscall2(nr::setgroups, L(n), L(list)); }
// int capget(cap_user_header_t hdrp, cap_user_data_t datap);
inline long capget(__user_cap_header_struct* h, __user_cap_data_struct* d) {
    return syscall2(nr::capget, L(h), L(d));
}
// int capset(cap_user_header_t hdrp, const cap_user_data_t datap);
inline long capset(__user_cap_header_struct* h, const __user_cap_data_struct* d) {
    return syscall2(nr::capset, L(h), L(d));
}

}  // namespace sys
