// SPDX-License-Identifier: MIT
// Memory sealing and shadow stacks: mseal(2) (Linux 6.10, mm/mseal.c) and
// map_shadow_stack(2) (Linux 6.6 on x86-64, 6.13 on arm64 with GCS;
// asm-generic/mman-common.h for the flags).
#pragma once

#include "rt/sys.hpp"

// map_shadow_stack(2) flags: write a restore token (and, arm64 only, an end
// marker) at the top of the new stack.
inline constexpr u32 SHADOW_STACK_SET_TOKEN = 1, SHADOW_STACK_SET_MARKER = 2;

namespace sys {

// int mseal(void *addr, size_t len, unsigned long flags);
inline long mseal(void* addr, usize len, unsigned long flags) {
    return syscall3(nr::mseal, L(addr), L(len), long(flags));
}
// void *map_shadow_stack(void *addr, unsigned long size, unsigned int flags);
inline long map_shadow_stack(void* addr, unsigned long size, u32 flags) {
    return syscall3(nr::map_shadow_stack, L(addr), long(size), long(flags));
}

}  // namespace sys
