// SPDX-License-Identifier: MIT
// The RISC-V private calls (arch/riscv/include/uapi/asm/hwprobe.h and
// unistd.h). nr:: is -1 on the other ABIs, where tests of them skip.
#pragma once

#include "rt/sys.hpp"

// riscv_flush_icache(2) flags: flush only this CPU's instruction cache.
inline constexpr unsigned long SYS_RISCV_FLUSH_ICACHE_LOCAL = 1;

// riscv_hwprobe(2): a key/value pair; keys the kernel does not know come back
// as key -1, value 0.
struct riscv_hwprobe {
    i64 key;
    u64 value;
};
static_assert(sizeof(riscv_hwprobe) == 16);
inline constexpr i64 RISCV_HWPROBE_KEY_MVENDORID = 0, RISCV_HWPROBE_KEY_BASE_BEHAVIOR = 3;
inline constexpr u64 RISCV_HWPROBE_BASE_BEHAVIOR_IMA = 1;
inline constexpr unsigned RISCV_HWPROBE_WHICH_CPUS = 1;

namespace sys {
// int riscv_flush_icache(void *start, void *end, unsigned long flags);
inline long riscv_flush_icache(const void* start, const void* end, unsigned long flags) {
    return syscall3(nr::riscv_flush_icache, L(start), L(end), long(flags));
}
// int riscv_hwprobe(struct riscv_hwprobe *pairs, size_t pair_count,
//                   size_t cpusetsize, cpu_set_t *cpus, unsigned int flags);
inline long riscv_hwprobe(riscv_hwprobe* pairs, usize count, usize cpusetsize, void* cpus,
                          unsigned flags) {
    return syscall5(nr::riscv_hwprobe, L(pairs), long(count), long(cpusetsize), L(cpus),
                    long(flags));
}
}  // namespace sys
