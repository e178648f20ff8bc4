// SPDX-License-Identifier: MIT
// The futex2 calls of Linux 6.7 (kernel/futex/syscalls.c): futex_wake(2),
// futex_wait(2) and futex_requeue(2). They take the FUTEX2_* flags of
// futex_waitv(2) (struct futex_waitv, FUTEX2_SIZE_U32 and FUTEX2_PRIVATE are
// in rt/sys_futex.hpp) and are in every architecture's table.
#pragma once

#include "rt/sys_futex.hpp"

// FUTEX2_* flags (linux/futex.h): the size field (bits 0-1; Linux 6.18
// implements only FUTEX2_SIZE_U32) and FUTEX2_NUMA.
inline constexpr u32 FUTEX2_SIZE_U8 = 0, FUTEX2_SIZE_U16 = 1, FUTEX2_SIZE_U64 = 3;
inline constexpr u32 FUTEX2_SIZE_MASK = 3, FUTEX2_NUMA = 4;

namespace sys {

// long futex_wake(void *uaddr, unsigned long mask, int nr, unsigned int flags);
inline long futex_wake(void* uaddr, u64 mask, int nr, u32 flags) {
    return syscall4(nr::futex_wake, L(uaddr), long(mask), nr, long(flags));
}
// long futex_wait(void *uaddr, unsigned long val, unsigned long mask, unsigned int flags,
//                 struct timespec *timeout, clockid_t clockid);
inline long futex_wait(void* uaddr, u64 val, u64 mask, u32 flags, const timespec* ts, int clk) {
    return syscall6(nr::futex_wait, L(uaddr), long(val), long(mask), long(flags), L(ts), clk);
}
// long futex_requeue(struct futex_waitv *waiters, unsigned int flags, int nr_wake,
//                    int nr_requeue);
inline long futex_requeue(struct futex_waitv* waiters, u32 flags, int nr_wake, int nr_requeue) {
    return syscall4(nr::futex_requeue, L(waiters), long(flags), nr_wake, nr_requeue);
}

}  // namespace sys
