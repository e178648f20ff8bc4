// SPDX-License-Identifier: MIT
// x86-64 thread glue: the clone trampoline and a thread-pointer-relative load.
//
// long kc_clone_thread(unsigned long flags, void* stack_top, int* ptid,
//                      void* tls, int* ctid, void (*fn)(void*), void* arg);
//   C ABI in:  rdi flags, rsi stack_top, rdx ptid, rcx tls, r8 ctid, r9 fn,
//              8(%rsp) arg.
//   clone(2) on x86-64 takes (flags, newsp, parent_tid, child_tid, tls) in
//   rdi, rsi, rdx, r10, r8: child_tid and tls are swapped relative to the
//   generic order, so ctid goes to r10 and tls to r8.
//   fn and arg are stored at the top of the child's stack before the call
//   (the child gets no registers from us but rsp). The parent returns the
//   child's tid or -errno. The child pops fn and arg, calls fn(arg) with a
//   16-byte aligned stack and ends the thread with exit(0) (not exit_group).
//   stack_top must point into writable memory; it is rounded down to 16.
    .text
    .globl kc_clone_thread
    .type kc_clone_thread, @function
kc_clone_thread:
    mov 8(%rsp), %rax       // arg
    and $-16, %rsi
    sub $16, %rsi
    mov %r9, 0(%rsi)        // child's (%rsp): fn
    mov %rax, 8(%rsi)       // child's 8(%rsp): arg
    mov %r8, %r10           // child_tid
    mov %rcx, %r8           // tls
    mov $56, %eax           // __NR_clone
    syscall
    test %rax, %rax
    jz 1f
    ret                     // parent: tid or -errno
1:  xor %ebp, %ebp          // child: outermost frame
    pop %rax                // fn
    pop %rdi                // arg; rsp is now 16-byte aligned
    call *%rax
    xor %edi, %edi
2:  mov $60, %eax           // __NR_exit: this thread only
    syscall
    jmp 2b
    .size kc_clone_thread, .-kc_clone_thread

// long kc_tls_load(long offset): the 8-byte word at thread pointer + offset
// (the fs base on x86-64: what CLONE_SETTLS and ARCH_SET_FS set).
    .globl kc_tls_load
    .type kc_tls_load, @function
kc_tls_load:
    mov %fs:(%rdi), %rax
    ret
    .size kc_tls_load, .-kc_tls_load

    .section .note.GNU-stack,"",@progbits
