// Selects the architecture glue. The only #if on the target architecture
// outside src/arch/<arch>/.
#pragma once

#if defined(__x86_64__)
#include "arch/x86_64/abi.hpp"
#include "arch/x86_64/syscall.hpp"
#else
#error "kconform: unsupported architecture"
#endif
