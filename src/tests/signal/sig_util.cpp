// SPDX-License-Identifier: MIT
// Shared helpers of the signal tests (declared in tests/signal/signal_util.hpp): the
// recording handler, mask shortcuts, a reaped child's pid and a test's
// alternate stack. No tests here.
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"

namespace signal {

SigLog g_log;

void log_reset() {
    auto* p = reinterpret_cast<volatile char*>(&g_log);
    for (usize i = 0; i < sizeof g_log; ++i) p[i] = 0;
    g_log.write_fd = -1;
}

void log_handler(int sig, siginfo* si, void*) {
    int here = 0;
    g_log.local = uptr(&here);
    if (g_log.watch) g_log.watched = *g_log.watch;
    int d = g_log.depth + 1;
    g_log.depth = d;
    if (d > g_log.max_depth) g_log.max_depth = d;
    if (sig >= 0 && sig <= NSIG) g_log.count[sig] = g_log.count[sig] + 1;
    int n = g_log.n;
    if (n < 32) {
        g_log.order[n] = sig;
        g_log.value[n] = si ? si->rt.value : 0;
        g_log.tids[n] = int(sys::gettid());
        g_log.n = n + 1;
    }
    if (si) g_log.info = *si;
    u64 m = 0;
    sys::rt_sigprocmask(SIG_BLOCK, nullptr, &m);
    g_log.mask = m;
    stack_t ss{};
    sys::sigaltstack(nullptr, &ss);
    g_log.ss_flags = ss.ss_flags;
    if (g_log.change_ss) g_log.ss_change = sys::sigaltstack(&g_log.change, nullptr);
    if (g_log.write_fd >= 0) sys::write(g_log.write_fd, "h", 1);
    if (g_log.reraise) {
        g_log.reraise = 0;
        raise(sig);
    }
    g_log.depth = d - 1;
}

long set_action(int sig, void* handler, u64 flags, u64 mask) {
    arch::KSigaction a = arch::make_sigaction(handler, flags, mask);
    return sys::rt_sigaction(sig, &a, nullptr);
}

long catch_sig(int sig, u64 flags, u64 mask) {
    return set_action(sig, reinterpret_cast<void*>(log_handler), flags | SA_SIGINFO, mask);
}

void* action_of(int sig) {
    arch::KSigaction a{};
    sys::rt_sigaction(sig, nullptr, &a);
    return a.handler;
}

u64 blocked() {
    u64 m = 0;
    sys::rt_sigprocmask(SIG_BLOCK, nullptr, &m);
    return m;
}

u64 pending() {
    u64 p = 0;
    sys::rt_sigpending(&p);
    return p;
}

long block(u64 set) { return sys::rt_sigprocmask(SIG_BLOCK, &set, nullptr); }
long unblock(u64 set) { return sys::rt_sigprocmask(SIG_UNBLOCK, &set, nullptr); }
long setmask(u64 set) { return sys::rt_sigprocmask(SIG_SETMASK, &set, nullptr); }

long raise(int sig) { return sys::tgkill(int(sys::getpid()), int(sys::gettid()), sig); }

void send_later(void* p) {
    auto* t = static_cast<SignalTarget*>(p);
    common::sleep_ms(5);
    sys::tgkill(t->pid, t->tid, t->sig);
}

long reaped_child_pid() {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0);
    if (pid < 0) return pid;
    int st = kc::wait_status(pid);
    return st < 0 ? st : pid;
}

namespace {
stack_t g_old_altstack;
void restore_old_altstack(long base, long) {
    stack_t old = g_old_altstack;
    old.ss_flags &= ~SS_ONSTACK;
    sys::sigaltstack(&old, nullptr);
    sys::munmap(reinterpret_cast<void*>(base), kAltStackSize);
}
}  // namespace

long AltStack::set(int flags, usize size) {
    if (!base) {
        long m = sys::mmap(nullptr, kAltStackSize, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m < 0 && m >= -4095) return m;
        base = reinterpret_cast<char*>(m);
        sys::sigaltstack(nullptr, &g_old_altstack);
        cleanup = kc::defer(restore_old_altstack, m);
    }
    stack_t ss{base, flags, size};
    return sys::sigaltstack(&ss, nullptr);
}

stack_t altstack_query() {
    stack_t ss{reinterpret_cast<void*>(1), -1, 1};
    sys::sigaltstack(nullptr, &ss);
    return ss;
}

}  // namespace signal
