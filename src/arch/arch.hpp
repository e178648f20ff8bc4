// SPDX-License-Identifier: MIT
// Selects the architecture glue. The only #if on the target architecture
// outside src/arch/<arch>/.
#pragma once

#if defined(__x86_64__)
#include "arch/x86_64/abi.hpp"
#include "arch/x86_64/syscall.hpp"
#elif defined(__aarch64__)
#include "arch/aarch64/abi.hpp"
#include "arch/aarch64/syscall.hpp"
#elif defined(__riscv) && __riscv_xlen == 64
#include "arch/riscv64/abi.hpp"
#include "arch/riscv64/syscall.hpp"
#else
#error "kconform: unsupported architecture"
#endif
