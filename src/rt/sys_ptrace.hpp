// Raw wrappers and kernel types for ptrace(2) and seccomp(2) (src/tests/ptrace).
// Same conventions as rt/sys.hpp: the kernel's result comes back unchanged.
//
// Everything here has the same value and layout on x86-64, aarch64 and riscv64
// (linux/ptrace.h, linux/seccomp.h, linux/filter.h, linux/elf.h). The two
// per-arch facts, arch::AUDIT_ARCH and arch::PRSTATUS_SIZE, live in
// src/arch/<arch>/abi.hpp. Names sit in namespace pt so that they cannot clash
// with other areas' headers.
#pragma once

#include "rt/sys.hpp"

namespace pt {

// ptrace requests (linux/ptrace.h; PEEKUSR is EIO-only on aarch64/riscv64).
inline constexpr long TRACEME = 0, PEEKTEXT = 1, PEEKDATA = 2, PEEKUSR = 3, POKETEXT = 4;
inline constexpr long POKEDATA = 5, CONT = 7, ATTACH = 16, DETACH = 17, SYSCALL = 24;
inline constexpr long SETOPTIONS = 0x4200, GETEVENTMSG = 0x4201, GETSIGINFO = 0x4202;
inline constexpr long SETSIGINFO = 0x4203, GETREGSET = 0x4204, SEIZE = 0x4206;
inline constexpr long INTERRUPT = 0x4207, GET_SYSCALL_INFO = 0x420e;

// PTRACE_SETOPTIONS bits and the events they enable (status >> 16).
inline constexpr long O_TRACESYSGOOD = 1, O_TRACEFORK = 2, O_TRACEVFORK = 4;
inline constexpr long O_TRACECLONE = 8, O_TRACEEXEC = 0x10, O_TRACEVFORKDONE = 0x20;
inline constexpr long O_TRACEEXIT = 0x40, O_TRACESECCOMP = 0x80, O_EXITKILL = 0x100000;
inline constexpr int EVENT_FORK = 1, EVENT_VFORK = 2, EVENT_CLONE = 3, EVENT_SECCOMP = 7;
inline constexpr int EVENT_STOP = 128;

// PTRACE_GETREGSET note type (linux/elf.h).
inline constexpr long NT_PRSTATUS = 1;

// PTRACE_GET_SYSCALL_INFO (Linux 5.3).
inline constexpr u8 INFO_NONE = 0, INFO_ENTRY = 1, INFO_EXIT = 2, INFO_SECCOMP = 3;
struct SyscallInfo {
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
static_assert(sizeof(SyscallInfo) == 88);
static_assert(__builtin_offsetof(SyscallInfo, entry) == 24);
// The sizes the kernel reports for each op: up to the end of its member.
inline constexpr long kInfoNoneSize = 24, kInfoEntrySize = 80, kInfoExitSize = 33;
inline constexpr long kInfoSeccompSize = 84;

// seccomp(2) operations, flags and filter return actions (linux/seccomp.h).
inline constexpr unsigned SET_MODE_STRICT = 0, SET_MODE_FILTER = 1, GET_ACTION_AVAIL = 2;
inline constexpr unsigned GET_NOTIF_SIZES = 3;
inline constexpr unsigned FLAG_TSYNC = 1, FLAG_LOG = 2, FLAG_SPEC_ALLOW = 4;
inline constexpr unsigned FLAG_NEW_LISTENER = 8, FLAG_TSYNC_ESRCH = 16;
inline constexpr u32 RET_KILL_PROCESS = 0x80000000, RET_KILL_THREAD = 0, RET_TRAP = 0x30000;
inline constexpr u32 RET_ERRNO = 0x50000, RET_USER_NOTIF = 0x7fc00000, RET_TRACE = 0x7ff00000;
inline constexpr u32 RET_LOG = 0x7ffc0000, RET_ALLOW = 0x7fff0000;
inline constexpr int MODE_DISABLED = 0, MODE_STRICT = 1, MODE_FILTER = 2;
inline constexpr int PR_GET_SECCOMP = 21, PR_SET_SECCOMP = 22;
inline constexpr int PR_SET_DUMPABLE = 4, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
inline constexpr int SYS_SECCOMP = 1;  // si_code of a RET_TRAP SIGSYS
inline constexpr unsigned BPF_MAXINSNS = 4096;

// What a filter sees (linux/seccomp.h).
struct SeccompData {
    int nr;
    u32 arch;
    u64 instruction_pointer;
    u64 args[6];
};
static_assert(sizeof(SeccompData) == 64);
static_assert(__builtin_offsetof(SeccompData, arch) == 4);
static_assert(__builtin_offsetof(SeccompData, args) == 16);
struct NotifSizes {
    u16 seccomp_notif;
    u16 seccomp_notif_resp;
    u16 seccomp_data;
};

// Classic BPF (linux/filter.h): one instruction, and the program seccomp takes.
struct SockFilter {
    u16 code;
    u8 jt;
    u8 jf;
    u32 k;
};
static_assert(sizeof(SockFilter) == 8);
struct SockFprog {
    u16 len;
    const SockFilter* filter;
};
static_assert(sizeof(SockFprog) == 16);
static_assert(__builtin_offsetof(SockFprog, filter) == 8);
inline constexpr u16 BPF_LD_W_ABS = 0x20, BPF_JEQ_K = 0x15, BPF_RET_K = 0x06;

// SIGSYS siginfo fields after the common header (asm-generic/siginfo.h):
// void* si_call_addr; int si_syscall; unsigned si_arch (little-endian words
// on the three architectures).
struct SigsysFields {
    long call_addr;
    int syscall;
    u32 arch;
};
inline SigsysFields sigsys(const siginfo& si) {
    return {si.raw[0], int(si.raw[1]), u32(u64(si.raw[1]) >> 32)};
}

// Wrappers. ptrace's PEEK requests store the word at *data (raw ABI, not glibc's).
inline long ptrace(long req, long pid, long addr = 0, long data = 0) {
    return sys::syscall4(nr::ptrace, req, pid, addr, data);
}
inline long seccomp(unsigned op, unsigned flags, const void* args) {
    return sys::syscall3(nr::seccomp, op, flags, sys::L(args));
}

}  // namespace pt
