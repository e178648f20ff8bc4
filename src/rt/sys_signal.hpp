// SPDX-License-Identifier: MIT
// Signals beyond rt/sys.hpp (which has rt_sigaction, rt_sigprocmask,
// rt_sigtimedwait, sigaltstack, kill and tgkill): pending sets, suspending,
// queueing with a siginfo, tkill and pause. Signal numbers, sa_flags and the
// si_code values are in rt/types.hpp; the arch-specific pieces (struct
// sigaction, MINSIGSTKSZ, the restorer) in src/arch/<arch>/abi.hpp.
#pragma once

#include "rt/sys.hpp"

// sigaction(2): a flag bit the kernel promises never to support (Linux 5.11).
inline constexpr u64 SA_UNSUPPORTED = 0x400;
// sigaltstack(2): disarm the stack while a handler runs on it (Linux 4.7).
inline constexpr int SS_AUTODISARM = int(1u << 31);

namespace sys {

// int rt_sigpending(sigset_t *set, size_t sigsetsize);
inline long rt_sigpending(u64* set, usize setsize = kSigsetSize) {
    return syscall2(nr::rt_sigpending, L(set), L(setsize));
}
// int rt_sigsuspend(const sigset_t *mask, size_t sigsetsize);
inline long rt_sigsuspend(const u64* mask, usize setsize = kSigsetSize) {
    return syscall2(nr::rt_sigsuspend, L(mask), L(setsize));
}
// int rt_sigqueueinfo(pid_t tgid, int sig, siginfo_t *info);
inline long rt_sigqueueinfo(int pid, int sig, const siginfo* si) {
    return syscall3(nr::rt_sigqueueinfo, pid, sig, L(si));
}
// int rt_tgsigqueueinfo(pid_t tgid, pid_t tid, int sig, siginfo_t *info);
inline long rt_tgsigqueueinfo(int tgid, int tid, int sig, const siginfo* si) {
    return syscall4(nr::rt_tgsigqueueinfo, tgid, tid, sig, L(si));
}
// int tkill(pid_t tid, int sig);
inline long tkill(int tid, int sig) { return syscall2(nr::tkill, tid, sig); }
// int pause(void);
inline long pause() { return syscall0(nr::pause); }

}  // namespace sys
