// SPDX-License-Identifier: MIT
// Scheduling: policies and parameters (sched_setscheduler and friends,
// sched_setattr/sched_getattr), CPU affinity, yielding, getcpu, and I/O
// priorities (ioprio_get/ioprio_set). Priorities by nice value are
// getpriority/setpriority in rt/sys_resource.hpp. The values and layouts are
// the same on x86-64, aarch64 and riscv64 (linux/sched.h, linux/ioprio.h).
#pragma once

#include "rt/sys.hpp"

// Scheduling policies (include/uapi/linux/sched.h).
inline constexpr int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3;
inline constexpr int SCHED_IDLE = 5, SCHED_DEADLINE = 6;
inline constexpr int SCHED_RESET_ON_FORK = 0x40000000;
struct sched_param {
    int sched_priority;
};
// struct sched_attr (include/uapi/linux/sched/types.h); VER0 ends at sched_period.
struct sched_attr {
    u32 size;
    u32 sched_policy;
    u64 sched_flags;
    i32 sched_nice;
    u32 sched_priority;
    u64 sched_runtime;
    u64 sched_deadline;
    u64 sched_period;
    u32 sched_util_min;
    u32 sched_util_max;
};
static_assert(sizeof(sched_attr) == 56);
inline constexpr u32 SCHED_ATTR_SIZE_VER0 = 48, SCHED_ATTR_SIZE_VER1 = 56;

// ioprio_set(2) (linux/ioprio.h): class in bits 13..15, level in bits 0..2,
// hints in bits 3..12 (Linux 6.5).
inline constexpr int IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP = 2, IOPRIO_WHO_USER = 3;
inline constexpr int IOPRIO_CLASS_NONE = 0, IOPRIO_CLASS_RT = 1, IOPRIO_CLASS_BE = 2;
inline constexpr int IOPRIO_CLASS_IDLE = 3, IOPRIO_CLASS_SHIFT = 13;
// IOPRIO_PRIO_VALUE(class, data).
inline constexpr int ioprio_value(int cls, int data) { return (cls << IOPRIO_CLASS_SHIFT) | data; }

namespace sys {

// int sched_yield(void);
inline long sched_yield() { return syscall0(nr::sched_yield); }
// int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask);
inline long sched_getaffinity(int pid, usize len, void* mask) {
    return syscall3(nr::sched_getaffinity, pid, L(len), L(mask));
}
// int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask);
inline long sched_setaffinity(int pid, usize len, const void* mask) {
    return syscall3(nr::sched_setaffinity, pid, L(len), L(mask));
}
// int sched_setscheduler(pid_t pid, int policy, const struct sched_param *param);
inline long sched_setscheduler(int pid, int policy, const sched_param* p) {
    return syscall3(nr::sched_setscheduler, pid, policy, L(p));
}
// int sched_getscheduler(pid_t pid);
inline long sched_getscheduler(int pid) { return syscall1(nr::sched_getscheduler, pid); }
// int sched_setparam(pid_t pid, const struct sched_param *param);
inline long sched_setparam(int pid, const sched_param* p) {
    return syscall2(nr::sched_setparam, pid, L(p));
}
// int sched_getparam(pid_t pid, struct sched_param *param);
inline long sched_getparam(int pid, sched_param* p) {
    return syscall2(nr::sched_getparam, pid, L(p));
}
// int sched_get_priority_max(int policy);
inline long sched_get_priority_max(int policy) {
    return syscall1(nr::sched_get_priority_max, policy);
}
// int sched_get_priority_min(int policy);
inline long sched_get_priority_min(int policy) {
    return syscall1(nr::sched_get_priority_min, policy);
}
// int sched_rr_get_interval(pid_t pid, struct timespec *tp);
inline long sched_rr_get_interval(int pid, timespec* ts) {
    return syscall2(nr::sched_rr_get_interval, pid, L(ts));
}
// int sched_setattr(pid_t pid, struct sched_attr *attr, unsigned int flags);
inline long sched_setattr(int pid, const sched_attr* a, unsigned flags) {
    return syscall3(nr::sched_setattr, pid, L(a), flags);
}
// int sched_getattr(pid_t pid, struct sched_attr *attr, unsigned int size, unsigned int flags);
inline long sched_getattr(int pid, sched_attr* a, unsigned size, unsigned flags) {
    return syscall4(nr::sched_getattr, pid, L(a), size, flags);
}
// int getcpu(unsigned int *cpu, unsigned int *node);
// The system call has a third argument, struct getcpu_cache *tcache, unused
// since Linux 2.6.24.
inline long getcpu(unsigned* cpu, unsigned* node, void* tcache = nullptr) {
    return syscall3(nr::getcpu, L(cpu), L(node), L(tcache));
}
// int ioprio_get(int which, int who);
inline long ioprio_get(int which, int who) { return syscall2(nr::ioprio_get, which, who); }
// int ioprio_set(int which, int who, int ioprio);
inline long ioprio_set(int which, int who, int prio) {
    return syscall3(nr::ioprio_set, which, who, prio);
}

}  // namespace sys
