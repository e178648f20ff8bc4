// SPDX-License-Identifier: MIT
// riscv64 Linux system call ABI:
//   number in a7; arguments in a0..a5; trap `ecall`; result in a0
//   (-4095..-1 is -errno); no other register is clobbered.
#pragma once

#define KC_ARCH_NAME "riscv64"

namespace arch {

#define KC_ECALL(...) \
    asm volatile("ecall" : "+r"(a0) : "r"(a7)__VA_OPT__(, ) __VA_ARGS__ : "memory")

[[gnu::always_inline]] inline long syscall0(long n) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0");
    asm volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

[[gnu::always_inline]] inline long syscall1(long n, long a) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    KC_ECALL();
    return a0;
}

[[gnu::always_inline]] inline long syscall2(long n, long a, long b) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    KC_ECALL("r"(a1));
    return a0;
}

[[gnu::always_inline]] inline long syscall3(long n, long a, long b, long c) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    register long a2 asm("a2") = c;
    KC_ECALL("r"(a1), "r"(a2));
    return a0;
}

[[gnu::always_inline]] inline long syscall4(long n, long a, long b, long c, long d) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    register long a2 asm("a2") = c;
    register long a3 asm("a3") = d;
    KC_ECALL("r"(a1), "r"(a2), "r"(a3));
    return a0;
}

[[gnu::always_inline]] inline long syscall5(long n, long a, long b, long c, long d, long e) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    register long a2 asm("a2") = c;
    register long a3 asm("a3") = d;
    register long a4 asm("a4") = e;
    KC_ECALL("r"(a1), "r"(a2), "r"(a3), "r"(a4));
    return a0;
}

[[gnu::always_inline]] inline long syscall6(long n, long a, long b, long c, long d, long e,
                                            long f) {
    register long a7 asm("a7") = n;
    register long a0 asm("a0") = a;
    register long a1 asm("a1") = b;
    register long a2 asm("a2") = c;
    register long a3 asm("a3") = d;
    register long a4 asm("a4") = e;
    register long a5 asm("a5") = f;
    KC_ECALL("r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5));
    return a0;
}

#undef KC_ECALL

}  // namespace arch
