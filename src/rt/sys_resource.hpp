// SPDX-License-Identifier: MIT
// Resource limits, priorities and resource usage (asm-generic/resource.h,
// linux/resource.h): prlimit64 and the legacy getrlimit/setrlimit (which
// riscv64 lacks: nr == -1 there), getpriority/setpriority, getrusage. The
// values and layouts are the same on x86-64, aarch64 and riscv64.
#pragma once

#include "rt/sys.hpp"

inline constexpr int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3;
inline constexpr int RLIMIT_CORE = 4, RLIMIT_RSS = 5, RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7;
inline constexpr int RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9, RLIMIT_LOCKS = 10;
inline constexpr int RLIMIT_SIGPENDING = 11, RLIMIT_MSGQUEUE = 12, RLIMIT_NICE = 13;
inline constexpr int RLIMIT_RTPRIO = 14, RLIMIT_RTTIME = 15, RLIM_NLIMITS = 16;
inline constexpr u64 RLIM_INFINITY = ~0ull, RLIM64_INFINITY = ~0ull;
struct rlimit64 {
    u64 rlim_cur;
    u64 rlim_max;
};
static_assert(sizeof(rlimit64) == 16);

// getpriority(2)/setpriority(2) targets.
inline constexpr int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

// getrusage(2) targets.
inline constexpr int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

namespace sys {

// int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit);
inline long prlimit64(int pid, int res, const rlimit64* nv, rlimit64* old) {
    return syscall4(nr::prlimit64, pid, res, L(nv), L(old));
}
// int getrlimit(int resource, struct rlimit *rlim);
inline long getrlimit(int res, rlimit64* r) { return syscall2(nr::getrlimit, res, L(r)); }
// int setrlimit(int resource, const struct rlimit *rlim);
inline long setrlimit(int res, const rlimit64* r) { return syscall2(nr::setrlimit, res, L(r)); }
// int getpriority(int which, id_t who);
// The raw call returns 20 - nice (1..40), not the nice value.
inline long getpriority(int which, int who) { return syscall2(nr::getpriority, which, who); }
// int setpriority(int which, id_t who, int prio);
inline long setpriority(int which, int who, int prio) {
    return syscall3(nr::setpriority, which, who, prio);
}
// int getrusage(int who, struct rusage *usage);
inline long getrusage(int who, rusage* ru) { return syscall2(nr::getrusage, who, L(ru)); }

}  // namespace sys
