// SPDX-License-Identifier: MIT
// x86-64 entry points that cannot be written in C++.

// _start: the kernel leaves argc at (%rsp), argv/envp/auxv above it.
// Clear the frame pointer, pass the initial stack pointer, align the stack.
    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    mov %rsp, %rdi
    and $-16, %rsp
    call start_c
    hlt
    .size _start, .-_start

// Signal return trampoline, installed as sa_restorer with SA_RESTORER.
    .globl kc_sigreturn
    .type kc_sigreturn, @function
kc_sigreturn:
    mov $15, %eax           // __NR_rt_sigreturn
    syscall
    hlt
    .size kc_sigreturn, .-kc_sigreturn

// kc_setjmp(JmpBuf*): saves the callee-saved registers, the stack pointer
// and the return address; returns 0. kc_longjmp(JmpBuf*, int) resumes there
// with a non-zero value. Layout: rbx rbp r12 r13 r14 r15 rsp rip.
    .globl kc_setjmp
    .type kc_setjmp, @function
kc_setjmp:
    mov %rbx, 0(%rdi)
    mov %rbp, 8(%rdi)
    mov %r12, 16(%rdi)
    mov %r13, 24(%rdi)
    mov %r14, 32(%rdi)
    mov %r15, 40(%rdi)
    lea 8(%rsp), %rdx       // stack pointer as it is after our return
    mov %rdx, 48(%rdi)
    mov (%rsp), %rdx        // return address
    mov %rdx, 56(%rdi)
    xor %eax, %eax
    ret
    .size kc_setjmp, .-kc_setjmp

    .globl kc_longjmp
    .type kc_longjmp, @function
kc_longjmp:
    mov %esi, %eax
    test %eax, %eax
    jnz 1f
    inc %eax
1:  mov 0(%rdi), %rbx
    mov 8(%rdi), %rbp
    mov 16(%rdi), %r12
    mov 24(%rdi), %r13
    mov 32(%rdi), %r14
    mov 40(%rdi), %r15
    mov 48(%rdi), %rsp
    jmp *56(%rdi)
    .size kc_longjmp, .-kc_longjmp

    .section .note.GNU-stack,"",@progbits
