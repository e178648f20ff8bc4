// Helpers used by the tests of several areas: a sleep that resumes after a
// signal handler ran, byte filling, addresses no call may touch, and the
// re-execution of this binary as an exec helper. Defined in common_util.cpp.
#pragma once

#include "rt/types.hpp"

namespace common {

// Sleeps `ms` milliseconds, resuming after a signal handler interrupted it.
void sleep_ms(long ms);

// Sets n bytes at p to v: poisons a buffer before a call fills it, so that
// what the kernel wrote (and what it left alone) shows.
void fill_bytes(void* p, u8 v, usize n);

// A user-space address that is never mapped (the first page), and one in the
// kernel half (non-canonical or kernel on all three architectures); the
// integer forms are for constexpr tables.
inline constexpr u64 kBadAddr = 8, kKernelAddr = 0xffff800000000000ull;
inline void* const kBadPtr = reinterpret_cast<void*>(kBadAddr);
inline void* const kKernelPtr = reinterpret_cast<void*>(kKernelAddr);

// In a child: replaces the process image with this binary run as the exec
// helper named by `arg` ("--exec-helper=NAME"); exits 127 if execve failed.
[[noreturn]] void exec_helper(const char* self, const char* arg);

}  // namespace common
