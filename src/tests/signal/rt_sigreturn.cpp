// SPDX-License-Identifier: MIT
// rt_sigreturn(2), reached when a handler returns (through sa_restorer, or
// the vDSO where there is none): the interrupted context comes back intact
// (integer and floating-point registers, the signal mask as it was before
// delivery).
// Not covered here: calling rt_sigreturn without a signal frame (what
// happens then depends on stack garbage), editing the saved ucontext.
#include "harness/test.hpp"
#include "rt/sys_sched.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

void remask_handler(int) {
    const u64 m = sigbit(SIGUSR2) | sigbit(SIGHUP) | sigbit(SIGRTMIN);
    setmask(m);
    g_log.mask = blocked();
}

}  // namespace

// POSIX sigaction: "If and when the user's signal handler returns normally,
// the original signal mask is restored", even when the handler changed its
// mask with sigprocmask.
TEST(rt_sigreturn, restores_mask_changed_in_handler, POSITIVE, PSE51) {
    log_reset();
    const u64 before = sigbit(SIGQUIT);
    ASSERT_OK(setmask(before));
    ASSERT_OK(set_action(SIGUSR1, reinterpret_cast<void*>(remask_handler)));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.mask, sigbit(SIGUSR2) | sigbit(SIGHUP) | sigbit(SIGRTMIN));
    EXPECT_EQ(blocked(), before);
}

namespace {

volatile int g_hits;
volatile double g_sink;

// Uses integer and floating-point registers of its own.
void clobber_handler(int) {
    double x = 1.5;
    for (int i = 0; i < 50; ++i) x = x * 1.25 - 0.5;
    g_sink = x;
    g_hits = g_hits + 1;
}

// A computation that keeps its state in registers: the result depends on
// every iteration, exactly.
[[gnu::noipa]] u64 crunch(int n) {
    double acc = 1.0;
    u64 h = 1469598103934665603ull;
    for (int i = 0; i < n; ++i) {
        acc = acc * 1.0000001 + double(i & 7);
        h = (h ^ u64(i)) * 1099511628211ull;
    }
    union {
        double d;
        u64 u;
    } bits{acc};
    return h ^ bits.u;
}

struct Pelter {
    int pid, tid;
    int stop;
};
void pelt(void* p) {
    auto* s = static_cast<Pelter*>(p);
    i64 end = kc::now_ns() + 3000000000;
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE) && kc::now_ns() < end) {
        sys::tgkill(s->pid, s->tid, SIGUSR1);
        sys::sched_yield();
    }
}

}  // namespace

// rt_sigreturn(2): a computation interrupted by many signals, whose handler
// uses integer and floating-point registers, ends with the same result as
// without signals: the full register state is restored on return.
TEST(rt_sigreturn, preserves_register_state, POSITIVE, PSE51, .flags = kc::VERY_SLOW) {
    constexpr int kN = 400000;
    const u64 quiet = crunch(kN);
    g_hits = 0;
    ASSERT_OK(set_action(SIGUSR1, reinterpret_cast<void*>(clobber_handler)));
    Pelter s{int(sys::getpid()), int(sys::gettid()), 0};
    Thread t;
    ASSERT_GT(thread_start(t, pelt, &s), 0);
    u64 loud = 0;
    int mismatches = 0;
    // At least one computation: the other thread may already have landed 50
    // signals before this thread gets here (seen under qemu-user); it keeps
    // signalling until told to stop, so every pass runs under fire.
    i64 end = kc::now_ns() + 2000000000;
    do {
        loud = crunch(kN);
        if (loud != quiet) ++mismatches;
    } while (g_hits < 50 && kc::now_ns() < end);
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    thread_join(t);
    EXPECT_EQ(mismatches, 0);
    EXPECT_EQ(loud, quiet);
    EXPECT_GE(g_hits, 1);
}

// POSIX sigaction: during the handler the mask is the old one plus sa_mask
// plus the signal itself (not with SA_NODEFER); on return the old mask
// (here SIGQUIT alone) comes back whatever the handler ran with.
struct MaskRow {
    const char* label;
    u64 flags;
    u64 sa_mask;
    bool self_blocked;
};
constexpr MaskRow kMasks[] = {
    {"plain", 0, 0, true},
    {"sa_mask_added", 0, sigbit(SIGUSR2), true},
    {"nodefer", SA_NODEFER, 0, false},
    {"nodefer_with_sa_mask", SA_NODEFER, sigbit(SIGUSR2), false},
};
TEST_P(rt_sigreturn, mask_restored_after_handler, POSITIVE, PSE51, kMasks) {
    log_reset();
    const u64 before = sigbit(SIGQUIT);
    ASSERT_OK(setmask(before));
    ASSERT_OK(catch_sig(SIGUSR1, row.flags, row.sa_mask));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.mask, before | row.sa_mask | (row.self_blocked ? sigbit(SIGUSR1) : 0));
    EXPECT_EQ(blocked(), before);
}

// With SA_NODEFER a handler that raises its own signal is entered again
// before it returns (depth 2); each rt_sigreturn unwinds one frame, and the
// mask is the original one at the end.
TEST(rt_sigreturn, nested_frames_unwind, POSITIVE, LINUX) {
    log_reset();
    ASSERT_OK(setmask(0));
    ASSERT_OK(catch_sig(SIGUSR1, SA_NODEFER));
    g_log.reraise = 1;
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 2);
    EXPECT_EQ(g_log.max_depth, 2);
    EXPECT_EQ(g_log.depth, 0);
    EXPECT_EQ(blocked(), 0u);
}

// Without SA_NODEFER the signal raised inside its own handler stays pending
// (blocked there); the mask that rt_sigreturn restores unblocks it, and it
// is delivered at once, in a second, not nested, handler run.
TEST(rt_sigreturn, pending_signal_delivered_on_return, POSITIVE, PSE51) {
    log_reset();
    ASSERT_OK(setmask(0));
    ASSERT_OK(catch_sig(SIGUSR1));
    g_log.reraise = 1;
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 2);
    EXPECT_EQ(g_log.max_depth, 1);
    EXPECT_EQ(pending() & sigbit(SIGUSR1), 0u);
    EXPECT_EQ(blocked(), 0u);
}
