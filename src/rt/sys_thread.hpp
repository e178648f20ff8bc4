// SPDX-License-Identifier: MIT
// Threads: ending one thread (exit), the clear-child-tid address, the x86-64
// thread-pointer registers (arch_prctl), restartable sequences (rseq) and
// memory barriers across threads (membarrier). Thread creation is clone(2)
// (rt/sys_proc.hpp; the trampoline kc_clone_thread is in
// src/arch/<arch>/thread.S). The values and layouts are the same on x86-64,
// aarch64 and riscv64.
#pragma once

#include "rt/sys.hpp"

// arch_prctl(2) codes (asm/prctl.h). Only x86-64 has the call; the values are
// here so that the test sources build everywhere and SKIP via REQUIRE_NR.
inline constexpr int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002;
inline constexpr int ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

// rseq(2): the original 32-byte, 32-byte-aligned area (linux/rseq.h).
struct alignas(32) rseq {
    u32 cpu_id_start;
    u32 cpu_id;
    u64 rseq_cs;
    u32 flags;
    u32 node_id;
    u32 mm_cid;
};
static_assert(sizeof(struct rseq) == 32);
inline constexpr int RSEQ_FLAG_UNREGISTER = 1;
inline constexpr u32 RSEQ_CPU_ID_UNINITIALIZED = 0xffffffffu;

// membarrier(2) commands (linux/membarrier.h).
inline constexpr int MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL = 1;
inline constexpr int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
inline constexpr int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 128;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256;
inline constexpr int MEMBARRIER_CMD_GET_REGISTRATIONS = 512;

namespace sys {

// [[noreturn]] void exit(int status);
// The system call ends the calling thread only (the whole process when it is
// the last one); exit_group(2) ends them all.
[[noreturn]] inline void exit_thread(int code) {
    for (;;) syscall1(nr::exit, code);
}
// pid_t set_tid_address(int *tidptr);
inline long set_tid_address(int* addr) { return syscall1(nr::set_tid_address, L(addr)); }
// int arch_prctl(int code, unsigned long addr);
inline long arch_prctl(int code, long addr) { return syscall2(nr::arch_prctl, code, addr); }
// int rseq(struct rseq *rseq, uint32_t rseq_len, int flags, uint32_t sig);
inline long rseq(void* area, u32 len, int flags, u32 sig) {
    return syscall4(nr::rseq, L(area), len, flags, sig);
}
// int membarrier(int cmd, unsigned int flags, int cpu_id);
inline long membarrier(int cmd, unsigned flags, int cpu) {
    return syscall3(nr::membarrier, cmd, flags, cpu);
}

}  // namespace sys
