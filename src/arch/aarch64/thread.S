// SPDX-License-Identifier: MIT
// aarch64 thread glue: the clone trampoline and a thread-pointer-relative load.
//
// long kc_clone_thread(unsigned long flags, void* stack_top, int* ptid,
//                      void* tls, int* ctid, void (*fn)(void*), void* arg);
//   C ABI in:  x0 flags, x1 stack_top, x2 ptid, x3 tls, x4 ctid, x5 fn, x6 arg.
//   clone(2) on arm64 (CONFIG_CLONE_BACKWARDS) takes (flags, newsp,
//   parent_tid, tls, child_tid) in x0..x4: the same order, so the first five
//   arguments are already in place. fn and arg are stored at the top of the
//   child's stack; the child pops them, calls fn(arg) and ends the thread
//   with exit(0) (not exit_group). The parent returns the tid or -errno.
    .text
    .globl kc_clone_thread
    .type kc_clone_thread, %function
kc_clone_thread:
    and x1, x1, #~15
    sub x1, x1, #16
    stp x5, x6, [x1]        // child's [sp]: fn, arg
    mov x8, #220            // __NR_clone
    svc #0
    cbz x0, 1f
    ret                     // parent: tid or -errno
1:  ldp x1, x0, [sp], #16   // child: fn, arg; sp stays 16-byte aligned
    mov x29, #0             // outermost frame
    mov x30, #0
    blr x1
    mov x0, #0
2:  mov x8, #93             // __NR_exit: this thread only
    svc #0
    b 2b
    .size kc_clone_thread, .-kc_clone_thread

// long kc_tls_load(long offset): the 8-byte word at thread pointer + offset
// (TPIDR_EL0: what CLONE_SETTLS sets).
    .globl kc_tls_load
    .type kc_tls_load, %function
kc_tls_load:
    mrs x1, tpidr_el0
    ldr x0, [x1, x0]
    ret
    .size kc_tls_load, .-kc_tls_load

    .section .note.GNU-stack,"",%progbits
