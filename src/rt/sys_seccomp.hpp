// SPDX-License-Identifier: MIT
// Secure computing: seccomp(2) operations, filter flags and return actions
// (linux/seccomp.h), the classic BPF program a filter is (linux/filter.h,
// linux/bpf_common.h), and the data it sees. The values and layouts are the
// same on x86-64, aarch64 and riscv64; the AUDIT_ARCH value of the running
// architecture is arch::AUDIT_ARCH (src/arch/<arch>/abi.hpp). The prctl(2)
// forms (PR_GET_SECCOMP, PR_SET_SECCOMP) are in rt/types.hpp, SYS_SECCOMP
// (si_code of the SIGSYS a filter raises) with the other si_code values.
#pragma once

#include "rt/sys.hpp"

// seccomp(2) operations and flags.
inline constexpr unsigned SECCOMP_SET_MODE_STRICT = 0, SECCOMP_SET_MODE_FILTER = 1;
inline constexpr unsigned SECCOMP_GET_ACTION_AVAIL = 2, SECCOMP_GET_NOTIF_SIZES = 3;
inline constexpr unsigned SECCOMP_FILTER_FLAG_TSYNC = 1, SECCOMP_FILTER_FLAG_LOG = 2;
inline constexpr unsigned SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
inline constexpr unsigned SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
inline constexpr unsigned SECCOMP_FILTER_FLAG_TSYNC_ESRCH = 16;
// Filter return actions; the low 16 bits are the action's data.
inline constexpr u32 SECCOMP_RET_KILL_PROCESS = 0x80000000, SECCOMP_RET_KILL_THREAD = 0;
inline constexpr u32 SECCOMP_RET_TRAP = 0x30000, SECCOMP_RET_ERRNO = 0x50000;
inline constexpr u32 SECCOMP_RET_USER_NOTIF = 0x7fc00000, SECCOMP_RET_TRACE = 0x7ff00000;
inline constexpr u32 SECCOMP_RET_LOG = 0x7ffc0000, SECCOMP_RET_ALLOW = 0x7fff0000;
// prctl(PR_GET_SECCOMP) results.
inline constexpr int SECCOMP_MODE_DISABLED = 0, SECCOMP_MODE_STRICT = 1;
inline constexpr int SECCOMP_MODE_FILTER = 2;
// linux/audit.h: another architecture's AUDIT_ARCH (i386).
inline constexpr u32 AUDIT_ARCH_I386 = 0x40000003;

// What a filter sees.
struct seccomp_data {
    int nr;
    u32 arch;
    u64 instruction_pointer;
    u64 args[6];
};
static_assert(sizeof(seccomp_data) == 64);
static_assert(__builtin_offsetof(seccomp_data, arch) == 4);
static_assert(__builtin_offsetof(seccomp_data, args) == 16);
// SECCOMP_GET_NOTIF_SIZES.
struct seccomp_notif_sizes {
    u16 seccomp_notif;
    u16 seccomp_notif_resp;
    u16 seccomp_data;
};

// Classic BPF: one instruction, the program seccomp takes, and the opcode
// parts a filter is built from.
struct sock_filter {
    u16 code;
    u8 jt;
    u8 jf;
    u32 k;
};
static_assert(sizeof(sock_filter) == 8);
struct sock_fprog {
    u16 len;
    const sock_filter* filter;
};
static_assert(sizeof(sock_fprog) == 16);
static_assert(__builtin_offsetof(sock_fprog, filter) == 8);
inline constexpr u16 BPF_LD = 0x00, BPF_JMP = 0x05, BPF_RET = 0x06;  // classes
inline constexpr u16 BPF_W = 0x00, BPF_ABS = 0x20;                   // load size, mode
inline constexpr u16 BPF_JEQ = 0x10, BPF_K = 0x00;                   // jump test, operand
inline constexpr unsigned BPF_MAXINSNS = 4096;

namespace sys {

// int seccomp(unsigned int operation, unsigned int flags, void *args);
inline long seccomp(unsigned op, unsigned flags, const void* args) {
    return syscall3(nr::seccomp, op, flags, L(args));
}

}  // namespace sys
