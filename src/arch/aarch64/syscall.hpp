// SPDX-License-Identifier: MIT
// aarch64 Linux system call ABI:
//   number in x8; arguments in x0..x5; trap `svc #0`; result in x0
//   (-4095..-1 is -errno); no other register is clobbered.
#pragma once

#define KC_ARCH_NAME "aarch64"

namespace arch {

#define KC_SVC(...) asm volatile("svc #0" : "+r"(x0) : "r"(x8)__VA_OPT__(, ) __VA_ARGS__ : "memory")

[[gnu::always_inline]] inline long syscall0(long n) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0");
    asm volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory");
    return x0;
}

[[gnu::always_inline]] inline long syscall1(long n, long a) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    KC_SVC();
    return x0;
}

[[gnu::always_inline]] inline long syscall2(long n, long a, long b) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    KC_SVC("r"(x1));
    return x0;
}

[[gnu::always_inline]] inline long syscall3(long n, long a, long b, long c) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    KC_SVC("r"(x1), "r"(x2));
    return x0;
}

[[gnu::always_inline]] inline long syscall4(long n, long a, long b, long c, long d) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    KC_SVC("r"(x1), "r"(x2), "r"(x3));
    return x0;
}

[[gnu::always_inline]] inline long syscall5(long n, long a, long b, long c, long d, long e) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    register long x4 asm("x4") = e;
    KC_SVC("r"(x1), "r"(x2), "r"(x3), "r"(x4));
    return x0;
}

[[gnu::always_inline]] inline long syscall6(long n, long a, long b, long c, long d, long e,
                                            long f) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    register long x4 asm("x4") = e;
    register long x5 asm("x5") = f;
    KC_SVC("r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5));
    return x0;
}

#undef KC_SVC

}  // namespace arch
