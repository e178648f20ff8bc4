// SPDX-License-Identifier: MIT
// Process tracing: ptrace(2) requests, options and events (linux/ptrace.h),
// and the layout PTRACE_GET_SYSCALL_INFO fills. The values and layouts are
// the same on x86-64, aarch64 and riscv64; the size of the NT_PRSTATUS
// register set differs: arch::PRSTATUS_SIZE (src/arch/<arch>/abi.hpp).
#pragma once

#include "rt/sys.hpp"

// Requests (PTRACE_PEEKUSR is EIO-only on aarch64 and riscv64).
inline constexpr long PTRACE_TRACEME = 0, PTRACE_PEEKTEXT = 1, PTRACE_PEEKDATA = 2;
inline constexpr long PTRACE_PEEKUSR = 3, PTRACE_POKETEXT = 4, PTRACE_POKEDATA = 5;
inline constexpr long PTRACE_CONT = 7, PTRACE_ATTACH = 16, PTRACE_DETACH = 17;
inline constexpr long PTRACE_SYSCALL = 24, PTRACE_SETOPTIONS = 0x4200;
inline constexpr long PTRACE_GETEVENTMSG = 0x4201, PTRACE_GETSIGINFO = 0x4202;
inline constexpr long PTRACE_SETSIGINFO = 0x4203, PTRACE_GETREGSET = 0x4204;
inline constexpr long PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207;
inline constexpr long PTRACE_GET_SYSCALL_INFO = 0x420e;

// PTRACE_SETOPTIONS bits and the events they enable (status >> 16).
inline constexpr long PTRACE_O_TRACESYSGOOD = 1, PTRACE_O_TRACEFORK = 2;
inline constexpr long PTRACE_O_TRACEVFORK = 4, PTRACE_O_TRACECLONE = 8;
inline constexpr long PTRACE_O_TRACEEXEC = 0x10, PTRACE_O_TRACEVFORKDONE = 0x20;
inline constexpr long PTRACE_O_TRACEEXIT = 0x40, PTRACE_O_TRACESECCOMP = 0x80;
inline constexpr long PTRACE_O_EXITKILL = 0x100000;
inline constexpr int PTRACE_EVENT_FORK = 1, PTRACE_EVENT_VFORK = 2, PTRACE_EVENT_CLONE = 3;
inline constexpr int PTRACE_EVENT_SECCOMP = 7, PTRACE_EVENT_STOP = 128;

// PTRACE_GETREGSET note type (linux/elf.h).
inline constexpr long NT_PRSTATUS = 1;

// PTRACE_GET_SYSCALL_INFO (Linux 5.3).
inline constexpr u8 PTRACE_SYSCALL_INFO_NONE = 0, PTRACE_SYSCALL_INFO_ENTRY = 1;
inline constexpr u8 PTRACE_SYSCALL_INFO_EXIT = 2, PTRACE_SYSCALL_INFO_SECCOMP = 3;
struct ptrace_syscall_info {
    u8 op;
    u8 pad[3];
    u32 arch;
    u64 instruction_pointer;
    u64 stack_pointer;
    union {
        struct {
            u64 nr;
            u64 args[6];
        } entry;
        struct {
            i64 rval;
            u8 is_error;
        } exit;
        struct {
            u64 nr;
            u64 args[6];
            u32 ret_data;
        } seccomp;
    };
};
static_assert(sizeof(ptrace_syscall_info) == 88);
static_assert(__builtin_offsetof(ptrace_syscall_info, entry) == 24);

namespace sys {

// long ptrace(enum __ptrace_request op, pid_t pid, void *addr, void *data);
// The PEEK requests store the word at *data (the raw ABI, not glibc's).
inline long ptrace(long req, long pid, long addr = 0, long data = 0) {
    return syscall4(nr::ptrace, req, pid, addr, data);
}

}  // namespace sys
