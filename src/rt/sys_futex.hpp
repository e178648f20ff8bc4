// SPDX-License-Identifier: MIT
// Futexes (futex(2), futex_waitv(2), linux/futex.h) and robust futex lists
// (set_robust_list(2)). The values and layouts are the same on x86-64,
// aarch64 and riscv64.
#pragma once

#include "rt/sys.hpp"

// futex(2) operations.
inline constexpr int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3;
inline constexpr int FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9;
inline constexpr int FUTEX_WAKE_BITSET = 10, FUTEX_LOCK_PI2 = 13;
inline constexpr int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
inline constexpr u32 FUTEX_BITSET_MATCH_ANY = 0xffffffff;
inline constexpr int FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2;
inline constexpr int FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4, FUTEX_OP_OPARG_SHIFT = 8;
inline constexpr int FUTEX_OP_CMP_EQ = 0, FUTEX_OP_CMP_NE = 1, FUTEX_OP_CMP_LT = 2;
inline constexpr int FUTEX_OP_CMP_LE = 3, FUTEX_OP_CMP_GT = 4, FUTEX_OP_CMP_GE = 5;
// FUTEX_OP(op, oparg, cmp, cmparg): the val3 word of FUTEX_WAKE_OP.
inline constexpr u32 futex_op(int op, int oparg, int cmp, int cmparg) {
    return (u32(op & 0xf) << 28) | (u32(cmp & 0xf) << 24) | (u32(oparg & 0xfff) << 12) |
           u32(cmparg & 0xfff);
}

// futex_waitv(2).
struct futex_waitv {
    u64 val;
    u64 uaddr;
    u32 flags;
    u32 __reserved;
};
static_assert(sizeof(futex_waitv) == 24);
inline constexpr u32 FUTEX2_SIZE_U32 = 2, FUTEX2_PRIVATE = 128;
inline constexpr int FUTEX_WAITV_MAX = 128;

// set_robust_list(2): struct robust_list_head (its first member is the
// list's struct robust_list, one pointer).
struct robust_list_head {
    void* next;
    long futex_offset;
    void* list_op_pending;
};
static_assert(sizeof(robust_list_head) == 24);

namespace sys {

// long futex(uint32_t *uaddr, int futex_op, uint32_t val, const struct timespec *timeout,
//            uint32_t *uaddr2, uint32_t val3);
inline long futex(void* uaddr, int op, u32 val, const timespec* ts = nullptr,
                  void* uaddr2 = nullptr, u32 val3 = 0) {
    return syscall6(nr::futex, L(uaddr), op, long(val), L(ts), L(uaddr2), long(val3));
}
// long futex(uint32_t *uaddr, int op, uint32_t val, uint32_t val2, uint32_t *ua2, uint32_t val3);
// The forms whose fourth argument is a count (REQUEUE, CMP_REQUEUE, WAKE_OP).
inline long futex_n(void* uaddr, int op, int val, long val2, void* uaddr2, u32 val3) {
    return syscall6(nr::futex, L(uaddr), op, val, val2, L(uaddr2), long(val3));
}
// long futex_waitv(struct futex_waitv *waiters, unsigned int nr_futexes, unsigned int flags,
//                  struct timespec *timeout, clockid_t clockid);
inline long futex_waitv(struct futex_waitv* w, unsigned n, unsigned flags, const timespec* ts,
                        int clk) {
    return syscall5(nr::futex_waitv, L(w), n, flags, L(ts), clk);
}
// long set_robust_list(struct robust_list_head *head, size_t len);
inline long set_robust_list(void* head, usize len) {
    return syscall2(nr::set_robust_list, L(head), L(len));
}
// long get_robust_list(int pid, struct robust_list_head **head_ptr, size_t *len_ptr);
inline long get_robust_list(int pid, void** head, usize* len) {
    return syscall3(nr::get_robust_list, pid, L(head), L(len));
}

}  // namespace sys
