// SPDX-License-Identifier: MIT
// Helpers shared by the signal tests and by the tests of other areas that
// catch or send signals (thread, futex, pause, aio): the recording handler,
// mask shortcuts, a delayed sender, a reaped child's pid and an alternate
// signal stack for a test. Defined in sig_util.cpp.
#pragma once

#include "harness/test.hpp"

namespace signal {

// log_handler is
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
// A thread to signal later: send_later(&target) (run in a child process or
// thread) sleeps 5 ms, then sends target.sig to it with tgkill.
struct SignalTarget {
    int pid, tid, sig;
};
void send_later(void* target);
// A child process of the test that was created and already reaped: its pid
// names no process (until the pid is reused, which the kernel avoids for a
// while). Returns the pid or -errno.
long reaped_child_pid();
// An alternate signal stack of kAltStackSize bytes mapped for a test (the
// sigaltstack tests and signal_flags.cpp). The first set() saves the
// caller's alternate stack (one AltStack at a time) and registers the
// cleanup that puts it back and unmaps the test's: it runs from the
// harness's cleanup list, so also after a failed ASSERT, which in
// --isolate=none would otherwise leave the harness on an unmapped stack.
inline constexpr usize kAltStackSize = 64 * 1024;
struct AltStack {
    char* base = nullptr;
    int cleanup = -1;
    // sigaltstack({base, flags, size}); maps the stack first. 0 or -errno.
    long set(int flags = 0, usize size = kAltStackSize);
    bool contains(uptr p) const { return p >= uptr(base) && p < uptr(base) + kAltStackSize; }
    ~AltStack() { kc::undefer(cleanup, true); }
};
// The current alternate stack (sigaltstack(NULL, &old)); fields the call
// did not write keep impossible values.
stack_t altstack_query();

// Forks a child that catches SIGUSR1, ignores SIGUSR2, blocks SIGTERM and
// makes it pending, then execs the sig_exec_state helper; returns the
// helper's exit status (bits described in rt_sigaction.cpp) or -1.
int exec_signal_state();

}  // namespace signal
