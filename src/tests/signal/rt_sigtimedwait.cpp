// SPDX-License-Identifier: MIT
// rt_sigtimedwait(2) (POSIX sigtimedwait/sigwaitinfo): accepting blocked
// signals synchronously: every signal number, siginfo contents, timeouts,
// real-time ordering, interruption by a caught signal, argument validation.
// Not covered here: waiting in several threads at once for one signal.
#include "harness/test.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/signal/signals.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

long wait_one(int sig, siginfo* si, const timespec* ts) {
    const u64 set = sigbit(sig);
    return sys::rt_sigtimedwait(&set, si, ts);
}

constexpr timespec kZero{0, 0};

}  // namespace

// POSIX sigwaitinfo: a blocked pending signal in the set is accepted: the
// call returns its number, fills siginfo (tgkill: SI_TKILL, sender pid and
// uid) and the signal is no longer pending; no handler runs. Sent to this
// thread, not the process, so that an emulator's hidden threads cannot take
// it (see rt_sigprocmask.block_defers_delivery); kill's SI_USER is checked
// by rt_sigaction.handler_receives_each_signal.
TEST_P(rt_sigtimedwait, accepts_each_signal, POSITIVE, PSE51, kCatchable) {
    log_reset();
    ASSERT_OK(catch_sig(row.sig));
    ASSERT_OK(block(sigbit(row.sig)));
    ASSERT_OK(raise(row.sig));
    siginfo si{};
    EXPECT_RET(wait_one(row.sig, &si, &kZero), row.sig);
    EXPECT_EQ(si.si_signo, row.sig);
    EXPECT_EQ(si.si_code, SI_TKILL);
    EXPECT_EQ(si.rt.pid, sys::getpid());
    EXPECT_EQ(long(si.rt.uid), sys::getuid());
    EXPECT_EQ(pending(), 0);
    EXPECT_EQ(g_log.count[row.sig], 0);
}

// POSIX sigtimedwait: with nothing pending the call fails with EAGAIN once
// the timeout (10 ms) has elapsed, and not before.
TEST(rt_sigtimedwait, timeout_eagain, POSITIVE, PSE51, .flags = kc::SLOW) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    const timespec ts{0, 10000000};
    i64 t0 = kc::now_ns();
    EXPECT_ERR(wait_one(SIGUSR1, nullptr, &ts), EAGAIN);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, 10000000);
    EXPECT_LT(dt, 2000000000);
}

// POSIX sigtimedwait: "If the timespec structure pointed to by timeout is
// zero-valued and if none of the signals specified by set are pending, then
// sigtimedwait() shall return immediately with an error" (EAGAIN).
TEST(rt_sigtimedwait, zero_timeout_polls, BOUNDARY, PSE51) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    i64 took = kc::quickest_ns(1000000000,
                               [&] { EXPECT_ERR(wait_one(SIGUSR1, nullptr, &kZero), EAGAIN); });
    EXPECT_LT(took, 1000000000);
}

// POSIX sigwaitinfo: info may be NULL; a NULL timeout returns at once when a
// signal of the set is already pending.
TEST(rt_sigtimedwait, null_info_and_timeout_with_pending, BOUNDARY, PSE51) {
    ASSERT_OK(block(sigbit(SIGUSR2)));
    ASSERT_OK(raise(SIGUSR2));
    EXPECT_RET(wait_one(SIGUSR2, nullptr, nullptr), SIGUSR2);
    EXPECT_EQ(pending(), 0);
}

// rt_sigtimedwait(2): a signal sent with tgkill carries SI_TKILL and the
// sender's pid and uid.
TEST(rt_sigtimedwait, tgkill_siginfo, POSITIVE, LINUX) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    ASSERT_OK(raise(SIGUSR1));
    siginfo si{};
    EXPECT_RET(wait_one(SIGUSR1, &si, &kZero), SIGUSR1);
    EXPECT_EQ(si.si_code, SI_TKILL);
    EXPECT_EQ(si.rt.pid, sys::getpid());
    EXPECT_EQ(long(si.rt.uid), sys::getuid());
}

// POSIX sigwaitinfo: "If ... multiple signals in the range SIGRTMIN to
// SIGRTMAX are pending, the lowest numbered one shall be selected"; the
// others stay pending for later calls.
TEST(rt_sigtimedwait, lowest_realtime_first, POSITIVE, PSE51) {
    const int sigs[] = {SIGRTMIN + 6, SIGRTMIN + 2, SIGRTMIN + 9};
    u64 set = 0;
    for (int s : sigs) set |= sigbit(s);
    ASSERT_OK(block(set));
    for (int s : sigs) ASSERT_OK(raise(s));
    EXPECT_RET(sys::rt_sigtimedwait(&set, nullptr, &kZero), SIGRTMIN + 2);
    EXPECT_RET(sys::rt_sigtimedwait(&set, nullptr, &kZero), SIGRTMIN + 6);
    EXPECT_RET(sys::rt_sigtimedwait(&set, nullptr, &kZero), SIGRTMIN + 9);
    EXPECT_ERR(sys::rt_sigtimedwait(&set, nullptr, &kZero), EAGAIN);
}

// rt_sigtimedwait(2): SIGKILL and SIGSTOP in the set are silently dropped
// (they can never be accepted), so a set of only those times out.
TEST(rt_sigtimedwait, kill_stop_in_set_dropped, BOUNDARY, LINUX) {
    const u64 set = sigbit(SIGKILL) | sigbit(SIGSTOP);
    EXPECT_ERR(sys::rt_sigtimedwait(&set, nullptr, &kZero), EAGAIN);
}

// POSIX sigtimedwait: the caller sleeps until a signal of the set is sent
// (here by another thread after about 5 ms) and accepts it.
TEST(rt_sigtimedwait, wakes_on_signal_from_thread, POSITIVE, PSE51) {
    ASSERT_OK(block(sigbit(SIGRTMIN + 1)));
    SignalTarget tg{int(sys::getpid()), int(sys::gettid()), SIGRTMIN + 1};
    Thread t;
    ASSERT_OK(thread_start(t, send_later, &tg));
    const timespec ts{2, 0};
    siginfo si{};
    long r = wait_one(SIGRTMIN + 1, &si, &ts);
    thread_join(t);
    EXPECT_RET(r, SIGRTMIN + 1);
    EXPECT_EQ(si.si_code, SI_TKILL);
}

// POSIX sigtimedwait: EINTR when the wait is interrupted by a caught signal
// that is not in the set (and not blocked); its handler has run. A signal
// that arrives before the wait started is retried.
TEST(rt_sigtimedwait, caught_signal_interrupts_eintr, POSITIVE, PSE51) {
    log_reset();
    volatile int waiting = 0;
    g_log.watch = &waiting;
    ASSERT_OK(block(sigbit(SIGUSR1)));
    ASSERT_OK(catch_sig(SIGUSR2));
    SignalTarget tg{int(sys::getpid()), int(sys::gettid()), SIGUSR2};
    long r = 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
        Thread t;
        g_log.count[SIGUSR2] = 0;
        if (thread_start(t, send_later, &tg) < 0) break;
        const timespec ts{0, 300000000};
        waiting = 1;
        r = wait_one(SIGUSR1, nullptr, &ts);
        waiting = 0;
        thread_join(t);
        if (g_log.watched) break;
    }
    EXPECT_ERR(r, EINTR);
    EXPECT_EQ(g_log.count[SIGUSR2], 1);
}

struct TsRow {
    const char* label;
    timespec ts;
};
constexpr TsRow kBadNsec[] = {
    {"nsec=-1", {0, -1}}, {"nsec=1000000000", {0, 1000000000}}, {"nsec=LONG_MIN", {1, LONG_MIN}}};
// POSIX sigtimedwait: EINVAL for a tv_nsec below zero or at least 10^9.
TEST_P(rt_sigtimedwait, bad_nsec_einval, NEGATIVE, PSE51, kBadNsec) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    EXPECT_ERR(wait_one(SIGUSR1, nullptr, &row.ts), EINVAL);
}

constexpr TsRow kBadSec[] = {{"sec=-1", {-1, 0}}, {"sec=LONG_MIN", {LONG_MIN, 0}}};
// rt_sigtimedwait(2): Linux also rejects a negative tv_sec with EINVAL
// (POSIX only names tv_nsec).
TEST_P(rt_sigtimedwait, negative_sec_einval, NEGATIVE, LINUX, kBadSec) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    EXPECT_ERR(wait_one(SIGUSR1, nullptr, &row.ts), EINVAL);
}

// rt_sigtimedwait(2): Linux validates the timeout before looking at pending
// signals: EINVAL even when a signal could be accepted, which stays pending.
TEST(rt_sigtimedwait, bad_timeout_checked_before_pending, BOUNDARY, LINUX) {
    ASSERT_OK(block(sigbit(SIGUSR1)));
    ASSERT_OK(raise(SIGUSR1));
    const timespec bad{0, 1000000000};
    EXPECT_ERR(wait_one(SIGUSR1, nullptr, &bad), EINVAL);
    EXPECT_EQ(pending(), sigbit(SIGUSR1));
    EXPECT_RET(wait_one(SIGUSR1, nullptr, &kZero), SIGUSR1);
}

struct SizeRow {
    const char* label;
    usize size;
};
constexpr SizeRow kBadSizes[] = {{"size=0", 0}, {"size=4", 4}, {"size=16", 16}};
// rt_sigtimedwait(2): sigsetsize other than 8 is EINVAL.
TEST_P(rt_sigtimedwait, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSizes) {
    const u64 set = sigbit(SIGUSR1);
    ASSERT_OK(block(set));
    EXPECT_ERR(sys::rt_sigtimedwait(&set, nullptr, &kZero, row.size), EINVAL);
}

struct FaultRow {
    const char* label;
    int which;  // 0 set, 1 info, 2 timeout
};
constexpr FaultRow kFaults[] = {{"set", 0}, {"info", 1}, {"timeout", 2}};
// rt_sigtimedwait(2) ERRORS: EFAULT for a set, info or timeout outside the
// address space (info is only written when a signal is accepted, so one is
// pending for that row).
TEST_P(rt_sigtimedwait, bad_pointer_efault, NEGATIVE, LINUX, kFaults) {
    const u64 set = sigbit(SIGUSR1);
    ASSERT_OK(block(set));
    ASSERT_OK(raise(SIGUSR1));
    const u64* s = row.which == 0 ? reinterpret_cast<const u64*>(8) : &set;
    siginfo* si = row.which == 1 ? reinterpret_cast<siginfo*>(8) : nullptr;
    const timespec* ts = row.which == 2 ? reinterpret_cast<const timespec*>(8) : &kZero;
    EXPECT_ERR(sys::rt_sigtimedwait(s, si, ts), EFAULT);
    EXPECT_OK(set_action(SIGUSR1, SIG_IGN));
}
