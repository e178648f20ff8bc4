// Raw wrappers, constants and shared test helpers for the signal, thread and
// futex areas (src/tests/signal, src/tests/thread, src/tests/futex). Same
// conventions as rt/sys.hpp: the kernel's result comes back unchanged.
//
// Everything lives in namespace sg so that it cannot clash with other areas'
// headers. The values here are the same on x86-64, aarch64 and riscv64; the
// arch-specific pieces (MINSIGSTKSZ, the clone trampoline kc_clone_thread and
// the thread-pointer load kc_tls_load) come from src/arch/<arch>/.
#pragma once

#include "rt/sys.hpp"

namespace sg {

using sys::L;
using sys::syscall2;
using sys::syscall3;
using sys::syscall4;
using sys::syscall6;

// siginfo si_code values (asm-generic/siginfo.h).
inline constexpr int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TKILL = -6;
// sigaction(2): a flag bit the kernel promises never to support (Linux 5.11).
inline constexpr u64 SA_UNSUPPORTED = 0x400;
// sigaltstack(2): disarm the stack while a handler runs on it (Linux 4.7).
inline constexpr int SS_AUTODISARM = int(1u << 31);

// clone(2) flags beyond rt/types.hpp, and the set a thread library uses.
inline constexpr u64 CLONE_SYSVSEM = 0x40000;
inline constexpr u64 kThreadFlags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
                                    CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
                                    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

// futex(2) operations (linux/futex.h).
inline constexpr int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3;
inline constexpr int FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9;
inline constexpr int FUTEX_WAKE_BITSET = 10, FUTEX_LOCK_PI2 = 13;
inline constexpr int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
inline constexpr u32 FUTEX_BITSET_MATCH_ANY = 0xffffffff;
inline constexpr int FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2;
inline constexpr int FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4, FUTEX_OP_OPARG_SHIFT = 8;
inline constexpr int FUTEX_OP_CMP_EQ = 0, FUTEX_OP_CMP_NE = 1, FUTEX_OP_CMP_LT = 2;
inline constexpr int FUTEX_OP_CMP_LE = 3, FUTEX_OP_CMP_GT = 4, FUTEX_OP_CMP_GE = 5;
// The val3 word of FUTEX_WAKE_OP.
inline constexpr u32 futex_op(int op, int oparg, int cmp, int cmparg) {
    return (u32(op & 0xf) << 28) | (u32(cmp & 0xf) << 24) | (u32(oparg & 0xfff) << 12) |
           u32(cmparg & 0xfff);
}

// arch_prctl(2) codes (asm/prctl.h). Only x86-64 has the call; the values are
// here so that the test sources build everywhere and SKIP via REQUIRE_NR.
inline constexpr int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002;
inline constexpr int ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

// prlimit64(2) and prctl(2) values used by these tests.
inline constexpr int RLIMIT_SIGPENDING_ = 11;
inline constexpr int PR_SET_DUMPABLE_ = 4;
struct Rlimit {
    u64 cur;
    u64 max;
};
static_assert(sizeof(Rlimit) == 16);

// Wrappers.
inline long rt_sigpending(u64* set, usize setsize = kSigsetSize) {
    return syscall2(nr::rt_sigpending, L(set), L(setsize));
}
inline long rt_sigsuspend(const u64* mask, usize setsize = kSigsetSize) {
    return syscall2(nr::rt_sigsuspend, L(mask), L(setsize));
}
inline long rt_sigqueueinfo(int pid, int sig, const siginfo* si) {
    return syscall3(nr::rt_sigqueueinfo, pid, sig, L(si));
}
inline long rt_tgsigqueueinfo(int tgid, int tid, int sig, const siginfo* si) {
    return syscall4(nr::rt_tgsigqueueinfo, tgid, tid, sig, L(si));
}
inline long tkill(int tid, int sig) { return syscall2(nr::tkill, tid, sig); }
// futex(uaddr, op, val, timeout-or-val2, uaddr2, val3).
inline long futex(void* uaddr, int op, u32 val, const timespec* ts = nullptr,
                  void* uaddr2 = nullptr, u32 val3 = 0) {
    return syscall6(nr::futex, L(uaddr), op, long(val), L(ts), L(uaddr2), long(val3));
}
// The forms whose fourth argument is a count (REQUEUE, CMP_REQUEUE, WAKE_OP).
inline long futex_n(void* uaddr, int op, int val, long val2, void* uaddr2, u32 val3) {
    return syscall6(nr::futex, L(uaddr), op, val, val2, L(uaddr2), long(val3));
}
inline long set_tid_address(int* addr) { return sys::syscall1(nr::set_tid_address, L(addr)); }
inline long sched_yield() { return sys::syscall0(nr::sched_yield); }
inline long arch_prctl(int code, long addr) { return syscall2(nr::arch_prctl, code, addr); }
inline long prlimit64(int pid, int res, const Rlimit* nv, Rlimit* old) {
    return syscall4(nr::prlimit64, pid, res, L(nv), L(old));
}
// exit(2): ends the calling thread only.
[[noreturn]] inline void exit_thread(int code) {
    for (;;) sys::syscall1(nr::exit, code);
}

// Helpers for signal tests (src/tests/signal/sig_util.cpp). log_handler is
// an SA_SIGINFO handler that records every delivery in g_log; tests reset
// the log first (in --isolate=none it is shared by all tests of the run).
struct SigLog {
    volatile int count[NSIG + 1];
    volatile int order[32];   // signal numbers, in delivery order
    volatile long value[32];  // si_value of each delivery
    volatile int tids[32];    // thread each delivery ran on
    volatile int n;           // deliveries recorded in order/value/tids
    siginfo info;             // siginfo of the last delivery
    volatile u64 mask;        // blocked mask inside the last handler
    volatile uptr local;      // address of a local of the last handler
    volatile int ss_flags;    // sigaltstack flags inside the last handler
    volatile long ss_change;  // result of sigaltstack(change) inside it
    volatile int depth, max_depth;
    volatile int reraise;   // raise the same signal once more inside
    volatile int write_fd;  // >= 0: write one byte 'h' to it inside
    volatile int* watch;    // when set: *watch is copied to `watched`
    volatile int watched;
    stack_t change;  // with change_ss: applied inside the handler
    volatile int change_ss;
};
extern SigLog g_log;
void log_reset();
void log_handler(int sig, siginfo* si, void* uc);
// Installs log_handler (SA_SIGINFO added to flags) for sig.
long catch_sig(int sig, u64 flags = 0, u64 mask = 0);
long set_action(int sig, void* handler, u64 flags = 0, u64 mask = 0);
// The kernel's current action for sig (handler only).
void* action_of(int sig);
u64 blocked();
u64 pending();
long block(u64 set);
long unblock(u64 set);
long setmask(u64 set);
// tgkill to the calling thread: delivered before the call returns when the
// signal is not blocked.
long raise(int sig);
void sleep_ms(long ms);
// A thread to signal later: send_usr1_later(&target) (run in a child
// process or thread) sleeps 5 ms, then sends SIGUSR1 to it with tgkill.
struct SignalTarget {
    int pid, tid;
};
void send_usr1_later(void* target);
// A child process of the test that was created and already reaped: its pid
// names no process (until the pid is reused, which the kernel avoids for a
// while). Returns the pid or -errno.
long reaped_child_pid();
// Forks a child that catches SIGUSR1, ignores SIGUSR2, blocks SIGTERM and
// makes it pending, then execs the sig_exec_state helper; returns the
// helper's exit status (bits described in rt_sigaction.cpp) or -1.
int exec_signal_state();

// Threads (src/tests/thread/thread_util.cpp). A stack of kThreadStack bytes
// is mapped for each; its lowest words are the TLS block passed with
// CLONE_SETTLS (tls[0] points to itself, as the x86-64 TCB convention wants).
inline constexpr usize kThreadStack = 64 * 1024;
struct Thread {
    int tid;    // CLONE_PARENT_SETTID writes it; CLONE_CHILD_CLEARTID zeroes it
    int ret;    // kc_clone_thread's result
    long* tls;  // bottom of the mapping
    void* map;
};
// Creates a thread running fn(arg); returns its tid or -errno. t.tid is the
// word passed as both ptid and ctid.
long thread_start(Thread& t, void (*fn)(void*), void* arg, u64 flags = kThreadFlags);
// Waits until the kernel cleared t.tid (CLONE_CHILD_CLEARTID + FUTEX_WAKE) and
// unmaps the stack; flags must have held CLONE_PARENT_SETTID and
// CLONE_CHILD_CLEARTID. Every started thread must be joined before a test ends.
void thread_join(Thread& t);
// For threads without CLONE_CHILD_CLEARTID: waits until tgkill(pid, tid, 0)
// says the thread is gone, then unmaps the stack.
void thread_join_probe(Thread& t, int tid);

}  // namespace sg
