// SPDX-License-Identifier: MIT
// riscv64 entry points that cannot be written in C++.

// _start: set the global pointer (linker relaxation must not rewrite this
// very instruction), pass the initial sp holding argc/argv/envp/auxv.
    .text
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax
    lla gp, __global_pointer$
    .option pop
    mv a0, sp
    andi sp, sp, -16
    call start_c
    ebreak
    .size _start, .-_start

// Signal return: riscv64's kernel sigaction has no sa_restorer; the kernel
// returns through the vDSO. Kept for symmetry (never installed).
    .globl kc_sigreturn
    .type kc_sigreturn, @function
kc_sigreturn:
    li a7, 139              // __NR_rt_sigreturn
    ecall
    ebreak
    .size kc_sigreturn, .-kc_sigreturn

// kc_setjmp(JmpBuf*) / kc_longjmp(JmpBuf*, int). Layout: ra, sp, s0..s11,
// fs0..fs11 (the callee-saved registers of the LP64D ABI).
    .globl kc_setjmp
    .type kc_setjmp, @function
kc_setjmp:
    sd ra, 0(a0)
    sd sp, 8(a0)
    sd s0, 16(a0)
    sd s1, 24(a0)
    sd s2, 32(a0)
    sd s3, 40(a0)
    sd s4, 48(a0)
    sd s5, 56(a0)
    sd s6, 64(a0)
    sd s7, 72(a0)
    sd s8, 80(a0)
    sd s9, 88(a0)
    sd s10, 96(a0)
    sd s11, 104(a0)
    fsd fs0, 112(a0)
    fsd fs1, 120(a0)
    fsd fs2, 128(a0)
    fsd fs3, 136(a0)
    fsd fs4, 144(a0)
    fsd fs5, 152(a0)
    fsd fs6, 160(a0)
    fsd fs7, 168(a0)
    fsd fs8, 176(a0)
    fsd fs9, 184(a0)
    fsd fs10, 192(a0)
    fsd fs11, 200(a0)
    li a0, 0
    ret
    .size kc_setjmp, .-kc_setjmp

    .globl kc_longjmp
    .type kc_longjmp, @function
kc_longjmp:
    ld ra, 0(a0)
    ld sp, 8(a0)
    ld s0, 16(a0)
    ld s1, 24(a0)
    ld s2, 32(a0)
    ld s3, 40(a0)
    ld s4, 48(a0)
    ld s5, 56(a0)
    ld s6, 64(a0)
    ld s7, 72(a0)
    ld s8, 80(a0)
    ld s9, 88(a0)
    ld s10, 96(a0)
    ld s11, 104(a0)
    fld fs0, 112(a0)
    fld fs1, 120(a0)
    fld fs2, 128(a0)
    fld fs3, 136(a0)
    fld fs4, 144(a0)
    fld fs5, 152(a0)
    fld fs6, 160(a0)
    fld fs7, 168(a0)
    fld fs8, 176(a0)
    fld fs9, 184(a0)
    fld fs10, 192(a0)
    fld fs11, 200(a0)
    seqz a0, a1
    add a0, a0, a1          // value, or 1 when value is 0
    ret
    .size kc_longjmp, .-kc_longjmp

    .section .note.GNU-stack,"",@progbits
