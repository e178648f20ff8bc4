// SPDX-License-Identifier: MIT
// Memory protection keys: pkey_alloc, pkey_free and pkey_mprotect
// (include/uapi/asm-generic/mman-common.h, linux/pkeys.h). The calls exist
// where the kernel has CONFIG_ARCH_HAS_PKEYS (x86-64 with PKU, arm64 with
// POE); elsewhere they are ENOSYS. The values are the same on x86-64, aarch64
// and riscv64.
#pragma once

#include "rt/sys.hpp"

// pkey_alloc(2) access rights (asm-generic/mman-common.h; arm64 adds
// PKEY_DISABLE_EXECUTE 0x4 and PKEY_DISABLE_READ 0x8).
inline constexpr unsigned long PKEY_DISABLE_ACCESS = 0x1, PKEY_DISABLE_WRITE = 0x2;
// si_code of the SIGSEGV a protection-key check raises (asm-generic/siginfo.h).
inline constexpr int SEGV_PKUERR = 4;

namespace sys {

// int pkey_alloc(unsigned int flags, unsigned int access_rights);
inline long pkey_alloc(unsigned long flags, unsigned long rights) {
    return syscall2(nr::pkey_alloc, L(flags), L(rights));
}
// int pkey_free(int pkey);
inline long pkey_free(int pkey) { return syscall1(nr::pkey_free, pkey); }
// int pkey_mprotect(void *addr, size_t len, int prot, int pkey);
inline long pkey_mprotect(void* addr, usize len, int prot, int pkey) {
    return syscall4(nr::pkey_mprotect, L(addr), L(len), prot, pkey);
}

}  // namespace sys
