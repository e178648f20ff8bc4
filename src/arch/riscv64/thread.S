// SPDX-License-Identifier: MIT
// riscv64 thread glue: the clone trampoline and a thread-pointer-relative load.
//
// long kc_clone_thread(unsigned long flags, void* stack_top, int* ptid,
//                      void* tls, int* ctid, void (*fn)(void*), void* arg);
//   C ABI in:  a0 flags, a1 stack_top, a2 ptid, a3 tls, a4 ctid, a5 fn, a6 arg.
//   clone(2) on riscv64 (CONFIG_CLONE_BACKWARDS) takes (flags, newsp,
//   parent_tid, tls, child_tid) in a0..a4: the same order. fn and arg are
//   stored at the top of the child's stack; the child pops them, calls
//   fn(arg) and ends the thread with exit(0) (not exit_group). The parent
//   returns the tid or -errno.
    .text
    .globl kc_clone_thread
    .type kc_clone_thread, @function
kc_clone_thread:
    andi a1, a1, -16
    addi a1, a1, -16
    sd a5, 0(a1)            // child's 0(sp): fn
    sd a6, 8(a1)            // child's 8(sp): arg
    li a7, 220              // __NR_clone
    ecall
    beqz a0, 1f
    ret                     // parent: tid or -errno
1:  ld a1, 0(sp)            // child: fn
    ld a0, 8(sp)            // arg
    addi sp, sp, 16
    li s0, 0                // outermost frame
    li ra, 0
    jalr a1
    li a0, 0
2:  li a7, 93               // __NR_exit: this thread only
    ecall
    j 2b
    .size kc_clone_thread, .-kc_clone_thread

// long kc_tls_load(long offset): the 8-byte word at thread pointer + offset
// (tp: what CLONE_SETTLS sets).
    .globl kc_tls_load
    .type kc_tls_load, @function
kc_tls_load:
    add a0, tp, a0
    ld a0, 0(a0)
    ret
    .size kc_tls_load, .-kc_tls_load

    .section .note.GNU-stack,"",@progbits
