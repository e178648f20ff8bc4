// SPDX-License-Identifier: MIT
// x86-64 Linux system call ABI:
//   number in rax; arguments in rdi, rsi, rdx, r10, r8, r9; trap `syscall`;
//   result in rax (-4095..-1 is -errno); the instruction clobbers rcx and r11.
#pragma once

#define KC_ARCH_NAME "x86_64"

namespace arch {

[[gnu::always_inline]] inline long syscall0(long n) {
    register long rax asm("rax") = n;
    asm volatile("syscall" : "+r"(rax) : : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall1(long n, long a) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    asm volatile("syscall" : "+r"(rax) : "r"(rdi) : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall2(long n, long a, long b) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    register long rsi asm("rsi") = b;
    asm volatile("syscall" : "+r"(rax) : "r"(rdi), "r"(rsi) : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall3(long n, long a, long b, long c) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    register long rsi asm("rsi") = b;
    register long rdx asm("rdx") = c;
    asm volatile("syscall" : "+r"(rax) : "r"(rdi), "r"(rsi), "r"(rdx) : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall4(long n, long a, long b, long c, long d) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    register long rsi asm("rsi") = b;
    register long rdx asm("rdx") = c;
    register long r10 asm("r10") = d;
    asm volatile("syscall"
                 : "+r"(rax)
                 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10)
                 : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall5(long n, long a, long b, long c, long d, long e) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    register long rsi asm("rsi") = b;
    register long rdx asm("rdx") = c;
    register long r10 asm("r10") = d;
    register long r8 asm("r8") = e;
    asm volatile("syscall"
                 : "+r"(rax)
                 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8)
                 : "rcx", "r11", "memory");
    return rax;
}

[[gnu::always_inline]] inline long syscall6(long n, long a, long b, long c, long d, long e,
                                            long f) {
    register long rax asm("rax") = n;
    register long rdi asm("rdi") = a;
    register long rsi asm("rsi") = b;
    register long rdx asm("rdx") = c;
    register long r10 asm("r10") = d;
    register long r8 asm("r8") = e;
    register long r9 asm("r9") = f;
    asm volatile("syscall"
                 : "+r"(rax)
                 : "r"(rdi), "r"(rsi), "r"(rdx), "r"(r10), "r"(r8), "r"(r9)
                 : "rcx", "r11", "memory");
    return rax;
}

}  // namespace arch
