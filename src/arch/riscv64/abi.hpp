// SPDX-License-Identifier: MIT
// riscv64 kernel ABI details that differ between architectures: struct
// layouts, flag values and which legacy system calls exist. Everything shared
// by all 64-bit Linux architectures lives in rt/types.hpp instead.
#pragma once

#include "arch/generic/nr.hpp"
#include "arch/int.hpp"

extern "C" void kc_sigreturn();

namespace arch {

// Kernel `struct sigaction`: handler, flags, mask. riscv64 defines no
// SA_RESTORER and no sa_restorer field: handlers return through the vDSO.
struct KSigaction {
    void* handler;
    u64 flags;
    u64 mask;
};
static_assert(sizeof(KSigaction) == 24);

inline KSigaction make_sigaction(void* handler, u64 flags, u64 mask) {
    return KSigaction{handler, flags, mask};
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

// open(2) flags whose values are architecture-specific: riscv64 uses the
// generic values (asm-generic/fcntl.h).
inline constexpr int O_DIRECT = 040000;
inline constexpr int O_LARGEFILE = 0100000;
inline constexpr int O_DIRECTORY = 0200000;
inline constexpr int O_NOFOLLOW = 0400000;

// Saved by kc_setjmp: ra, sp, s0..s11, fs0..fs11.
struct JmpBuf {
    long regs[26];
};

}  // namespace arch

extern "C" {
[[gnu::returns_twice]] int kc_setjmp(arch::JmpBuf* buf);
[[noreturn]] void kc_longjmp(arch::JmpBuf* buf, int value);
}

// Signals and threads (src/tests/signal, src/tests/thread).
namespace arch {
// Smallest alternate signal stack sigaltstack(2) accepts (asm/signal.h).
inline constexpr usize MINSIGSTKSZ = 2048;
}  // namespace arch

// src/arch/riscv64/thread.S: clone(2) trampoline that runs fn(arg) on
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
// NT_PRSTATUS register set PTRACE_GETREGSET returns (riscv64 user_regs_struct: pc, x1-x31).
namespace arch {
inline constexpr u32 AUDIT_ARCH = 0xc00000f3;
inline constexpr usize PRSTATUS_SIZE = 256;
static_assert(PRSTATUS_SIZE == 32 * sizeof(u64), "pc, x1-x31");
}  // namespace arch
