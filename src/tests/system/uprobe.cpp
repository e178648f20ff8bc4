// SPDX-License-Identifier: MIT
// uretprobe(2) (Linux 6.11) and uprobe(2) (Linux 6.18), x86-64 only: the
// calls the kernel's own uprobe trampolines make to hand a probe hit back to
// the kernel. No man page in man-pages 6.03 for uprobe; the contract is
// arch/x86/kernel/uprobes.c (quoted as "uprobes.c") and uretprobe(2).
// Called from anywhere but the trampoline: uretprobe "kills the process
// with SIGILL" (uprobes.c: force_sig(SIGILL), so ignoring or blocking
// SIGILL does not help, and a handler sees si_code SI_KERNEL); uprobe fails
// with ENXIO and sends no signal (so that libbpf can probe for it). Every
// call runs in a child process.
// Left out: calls from a real trampoline (they need a uprobe attached with
// perf_event_open or BPF, which needs privilege over the whole system).
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/signal/signal_util.hpp"

namespace {

enum Mode : u8 { DEFAULT, IGNORED, BLOCKED, HANDLER, ARGS };
constexpr int kNoSys = 200;  // the child's exit status when the call is ENOSYS

volatile int g_sig, g_code;
void on_sigill(int sig, siginfo* si, void*) {
    g_sig = sig;
    g_code = si->si_code;
}

struct Call {
    long nr;
    Mode mode;
};
// The child: arranges SIGILL as mode says, makes the call, checks what a
// uprobe call must return (uretprobe never returns unless a handler ran).
void caller(void* p) {
    const Call& c = *static_cast<const Call*>(p);
    if (c.mode == IGNORED) signal::set_action(SIGILL, reinterpret_cast<void*>(1) /* SIG_IGN */);
    if (c.mode == BLOCKED) signal::block(1ull << (SIGILL - 1));
    if (c.mode == HANDLER)
        signal::set_action(SIGILL, reinterpret_cast<void*>(on_sigill), SA_SIGINFO);
    long r = c.mode == ARGS ? sys::syscall6(c.nr, 1, 2, 3, 4, 5, 6) : sys::syscall0(c.nr);
    if (r == -ENOSYS) sys::exit_group(kNoSys);
    if (c.nr == nr::uprobe) {
        EXPECT_ERR(r, ENXIO);
        EXPECT_EQ(g_sig, 0);
        if (c.mode == BLOCKED) EXPECT_EQ(signal::pending() & (1ull << (SIGILL - 1)), 0u);
    } else {
        EXPECT_EQ(g_sig, SIGILL);
        EXPECT_EQ(g_code, SI_KERNEL);
    }
}

// Runs the call in a child and returns its wait status; skips on ENOSYS.
int run(long nr, Mode mode) {
    Call c{nr, mode};
    long pid = kc::spawn(caller, &c);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if ((st & 0x7f) == 0 && ((st >> 8) & 0xff) == kNoSys) {
        if (nr == nr::uprobe) kc::skip("uprobe: not implemented (ENOSYS; Linux 6.18+)");
        kc::skip("uretprobe: not implemented (ENOSYS; Linux 6.11+)");
    }
    return st;
}
// Killed by SIGILL / exited with status 0.
bool killed_by_sigill(int st) { return (st & 0x7f) == SIGILL; }
bool exited_ok(int st) { return st == 0; }

struct KillRow {
    const char* label;
    Mode mode;
};
constexpr KillRow kKills[] = {{"sigill_default", DEFAULT},
                              {"sigill_ignored", IGNORED},
                              {"sigill_blocked", BLOCKED},
                              {"with_arguments", ARGS}};

}  // namespace

// uretprobe(2), uprobes.c: called outside the uretprobe trampoline, the call
// kills the process with SIGILL, forced: also when SIGILL is ignored or
// blocked, and whatever the argument registers hold.
TEST_P(uretprobe, outside_trampoline_sigill, NEGATIVE, LINUX, kKills, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(uretprobe);
    EXPECT_TRUE(killed_by_sigill(run(nr::uretprobe, row.mode)));
}

// uprobes.c: force_sig(SIGILL) is a kernel-sent signal: a SIGILL handler
// runs with si_code SI_KERNEL, and the process lives on.
TEST(uretprobe, handler_sees_si_kernel, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(uretprobe);
    EXPECT_TRUE(exited_ok(run(nr::uretprobe, HANDLER)));
}

constexpr KillRow kQuiet[] = {{"sigill_default", DEFAULT},
                              {"sigill_ignored", IGNORED},
                              {"sigill_blocked_none_pending", BLOCKED},
                              {"sigill_handler_not_run", HANDLER},
                              {"with_arguments", ARGS}};
// uprobes.c: called outside the uprobe trampoline, uprobe returns -ENXIO and
// sends no signal: the child is not killed, a SIGILL handler does not run,
// a blocked SIGILL is not left pending.
TEST_P(uprobe, outside_trampoline_enxio, NEGATIVE, LINUX, kQuiet, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(uprobe);
    EXPECT_TRUE(exited_ok(run(nr::uprobe, row.mode)));
}
