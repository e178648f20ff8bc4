// SPDX-License-Identifier: MIT
// aarch64 kernel ABI details that differ between architectures: struct
// layouts, flag values and which legacy system calls exist. Everything shared
// by all 64-bit Linux architectures lives in rt/types.hpp instead.
#pragma once

#include "arch/generic/nr.hpp"
#include "arch/int.hpp"

extern "C" void kc_sigreturn();

namespace arch {

// Kernel `struct sigaction`: handler, flags, restorer, mask.
struct KSigaction {
    void* handler;
    u64 flags;
    void (*restorer)();
    u64 mask;
};
static_assert(sizeof(KSigaction) == 32);
inline constexpr u64 SA_RESTORER = 0x04000000;

// With SA_RESTORER the kernel returns through our own rt_sigreturn
// trampoline instead of the vDSO's, so nothing depends on a vDSO.
inline KSigaction make_sigaction(void* handler, u64 flags, u64 mask) {
    return KSigaction{handler, flags | SA_RESTORER, kc_sigreturn, mask};
}

// struct stat of the generic ABI (asm-generic/stat.h).
struct Stat {
    u64 st_dev;
    u64 st_ino;
    u32 st_mode;
    u32 st_nlink;
    u32 st_uid;
    u32 st_gid;
    u64 st_rdev;
    u64 pad1;
    i64 st_size;
    i32 st_blksize;
    i32 pad2;
    i64 st_blocks;
    i64 st_atime_sec, st_atime_nsec;
    i64 st_mtime_sec, st_mtime_nsec;
    i64 st_ctime_sec, st_ctime_nsec;
    u32 unused[2];
};
static_assert(sizeof(Stat) == 128);
static_assert(__builtin_offsetof(Stat, st_size) == 48);
static_assert(__builtin_offsetof(Stat, st_mtime_sec) == 88);

// struct epoll_event: naturally aligned (16 bytes) outside x86-64.
struct EpollEvent {
    u32 events;
    u64 data;
};
static_assert(sizeof(EpollEvent) == 16);

// open(2) flags whose values are architecture-specific (asm/fcntl.h).
inline constexpr int O_DIRECTORY = 040000;
inline constexpr int O_NOFOLLOW = 0100000;
inline constexpr int O_DIRECT = 0200000;
inline constexpr int O_LARGEFILE = 0400000;

// Saved by kc_setjmp: x19..x30, sp, d8..d15.
struct JmpBuf {
    long regs[21];
};

}  // namespace arch

extern "C" {
[[gnu::returns_twice]] int kc_setjmp(arch::JmpBuf* buf);
[[noreturn]] void kc_longjmp(arch::JmpBuf* buf, int value);
}

// Signals and threads (src/tests/signal, src/tests/thread).
namespace arch {
// Smallest alternate signal stack sigaltstack(2) accepts (asm/signal.h).
inline constexpr usize MINSIGSTKSZ = 5120;
}  // namespace arch

// src/arch/aarch64/thread.S: clone(2) trampoline that runs fn(arg) on
// stack_top in the child and ends the thread with exit(0); the parent gets
// the tid or -errno. kc_tls_load: the word at thread pointer + offset.
extern "C" {
long kc_clone_thread(unsigned long flags, void* stack_top, int* ptid, void* tls, int* ctid,
                     void (*fn)(void*), void* arg);
long kc_tls_load(long offset);
}

// System V semaphores (src/tests/sysv): the two times of struct semid64_ds
// (asm/sembuf.h), which follow its ipc64_perm; rt/sys_sysv.hpp has the rest.
namespace arch {
struct SemTimes {
    i64 otime;  // last semop time
    i64 ctime;  // last change time
};
static_assert(sizeof(SemTimes) == 16);
}  // namespace arch

// ptrace and seccomp (src/tests/ptrace): the AUDIT_ARCH value seccomp filters
// and PTRACE_GET_SYSCALL_INFO report (linux/audit.h), and the size of the
// NT_PRSTATUS register set PTRACE_GETREGSET returns (aarch64 user_pt_regs: x0-x30, sp, pc, pstate).
namespace arch {
inline constexpr u32 AUDIT_ARCH = 0xc00000b7;
inline constexpr usize PRSTATUS_SIZE = 272;
static_assert(PRSTATUS_SIZE == (31 + 3) * sizeof(u64), "x0-x30, sp, pc, pstate");
}  // namespace arch
