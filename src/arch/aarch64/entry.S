// SPDX-License-Identifier: MIT
// aarch64 entry points that cannot be written in C++.

// _start: the kernel leaves argc at [sp] (16-byte aligned), argv/envp/auxv
// above it. Clear the frame pointer and link register, pass sp.
    .text
    .globl _start
    .type _start, %function
_start:
    mov x29, #0
    mov x30, #0
    mov x0, sp
    bl start_c
    brk #0
    .size _start, .-_start

// Signal return trampoline, installed as sa_restorer with SA_RESTORER.
    .globl kc_sigreturn
    .type kc_sigreturn, %function
kc_sigreturn:
    mov x8, #139            // __NR_rt_sigreturn
    svc #0
    brk #0
    .size kc_sigreturn, .-kc_sigreturn

// kc_setjmp(JmpBuf*) / kc_longjmp(JmpBuf*, int). Layout: x19..x28, x29, x30,
// sp, d8..d15 (the callee-saved registers of AAPCS64).
    .globl kc_setjmp
    .type kc_setjmp, %function
kc_setjmp:
    stp x19, x20, [x0, #0]
    stp x21, x22, [x0, #16]
    stp x23, x24, [x0, #32]
    stp x25, x26, [x0, #48]
    stp x27, x28, [x0, #64]
    stp x29, x30, [x0, #80]
    mov x2, sp
    str x2, [x0, #96]
    stp d8, d9, [x0, #104]
    stp d10, d11, [x0, #120]
    stp d12, d13, [x0, #136]
    stp d14, d15, [x0, #152]
    mov w0, #0
    ret
    .size kc_setjmp, .-kc_setjmp

    .globl kc_longjmp
    .type kc_longjmp, %function
kc_longjmp:
    ldp x19, x20, [x0, #0]
    ldp x21, x22, [x0, #16]
    ldp x23, x24, [x0, #32]
    ldp x25, x26, [x0, #48]
    ldp x27, x28, [x0, #64]
    ldp x29, x30, [x0, #80]
    ldr x2, [x0, #96]
    mov sp, x2
    ldp d8, d9, [x0, #104]
    ldp d10, d11, [x0, #120]
    ldp d12, d13, [x0, #136]
    ldp d14, d15, [x0, #152]
    cmp w1, #0
    csinc w0, w1, wzr, ne   // value, or 1 when value is 0
    br x30
    .size kc_longjmp, .-kc_longjmp

    .section .note.GNU-stack,"",%progbits
