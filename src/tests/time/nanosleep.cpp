// SPDX-License-Identifier: MIT
// nanosleep(2): argument validation (EINVAL before any sleeping, EFAULT),
// zero and minimal sleeps, the lower bound on the time slept, interruption by
// a caught signal (EINTR, the remaining time written to rem) and signals that
// must not interrupt (ignored, blocked, default-ignored).
// Not covered: suspension by SIGSTOP/SIGCONT (it would stop the harness in
// --isolate=none), sleeps of a second or more (too slow for the suite).
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

// nanosleep(2), POSIX: EINVAL when tv_nsec is outside [0, 999999999] or the
// request is negative; the check comes before any sleeping (a short timeout
// turns "slept instead" into TIMEOUT).
TEST_P(nanosleep, invalid_timespec_einval, NEGATIVE, PSE51, time::kBadTimespecs,
       .timeout_ms = 1000) {
    timespec req{row.sec, row.nsec};
    timespec rem{-7, -7};
    EXPECT_ERR(sys::nanosleep(&req, &rem), EINVAL);
    EXPECT_EQ(rem.tv_sec, -7);  // nothing to report: no sleep happened
}

struct BadPtr {
    const char* label;
    long addr;
};
constexpr BadPtr kBadReq[] = {
    {"req=NULL", 0},
    {"req=8", 8},
    {"req=kernel", long(0xffff800000000000ul)},
};
// nanosleep(2): an unreadable request is EFAULT (Linux; POSIX leaves bad
// pointers undefined).
TEST_P(nanosleep, bad_req_pointer_efault, NEGATIVE, LINUX, kBadReq, .timeout_ms = 1000) {
    EXPECT_ERR(sys::nanosleep(reinterpret_cast<timespec*>(row.addr), nullptr), EFAULT);
}

// nanosleep(2): a zero request returns 0 at once.
// The bound is loose (500 ms) so that a loaded emulator passes, yet a request
// misread as seconds still fails.
TEST(nanosleep, zero_returns_at_once, BOUNDARY, PSE51, .timeout_ms = 2000) {
    timespec req{0, 0};
    const i64 bound = time::late_bound(500 * kMs);
    i64 took = kc::quickest_ns(bound, [&] { EXPECT_RET(sys::nanosleep(&req, nullptr), 0); });
    EXPECT_LT(took, bound);
}

// nanosleep(2): the smallest non-zero request (1 ns) is valid and returns 0.
TEST(nanosleep, one_nanosecond_returns, BOUNDARY, PSE51, .timeout_ms = 2000) {
    timespec req{0, 1};
    const i64 bound = time::late_bound(500 * kMs);
    i64 took = kc::quickest_ns(bound, [&] { EXPECT_RET(sys::nanosleep(&req, nullptr), 0); });
    EXPECT_LT(took, bound);
}

// nanosleep(2), POSIX: the largest valid tv_nsec (999999999) is accepted.
// Interrupted after a few ms, so the test does not sleep a whole second.
TEST(nanosleep, max_nsec_accepted, BOUNDARY, PSE51, .timeout_ms = 2000) {
    timespec req{0, 999999999};
    EXPECT_ERR(time::interrupted_sleep(-1, req, nullptr, 3 * kMs), EINTR);
}

struct Sleep {
    const char* label;
    i64 ns;
};
constexpr Sleep kSleeps[] = {{"1ms", 1 * kMs}, {"15ms", 15 * kMs}};
// nanosleep(2), POSIX: the caller is suspended at least the requested time
// (measured on CLOCK_MONOTONIC), and not absurdly longer.
TEST_P(nanosleep, sleeps_at_least_request, POSITIVE, PSE51, kSleeps, .flags = kc::SLOW,
       .timeout_ms = 1000) {
    timespec req = time::ts_of(row.ns);
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::nanosleep(&req, nullptr), 0);
    i64 slept = kc::now_ns() - t0;
    EXPECT_GE(slept, row.ns);
    EXPECT_LT(slept, row.ns + time::late_bound(500 * kMs));
}

// nanosleep(2): rem is left alone when the sleep completes (Linux writes it
// only on EINTR; POSIX only defines it for that case).
TEST(nanosleep, rem_untouched_on_success, BOUNDARY, LINUX, .timeout_ms = 1000) {
    timespec req{0, 1000};
    timespec rem{-7, -7};
    EXPECT_RET(sys::nanosleep(&req, &rem), 0);
    EXPECT_EQ(rem.tv_sec, -7);
    EXPECT_EQ(rem.tv_nsec, -7);
}

// nanosleep(2): rem is not accessed on success, so an unwritable rem does not
// fail a completed sleep (Linux: rem is only copied out on EINTR).
TEST(nanosleep, bad_rem_ignored_on_success, BOUNDARY, LINUX, .timeout_ms = 1000) {
    timespec req{0, 1000};
    EXPECT_RET(sys::nanosleep(&req, reinterpret_cast<timespec*>(common::kBadPtr)), 0);
}

struct Interrupt {
    const char* label;
    u64 sa_flags;
    bool want_rem;
};
constexpr Interrupt kInterrupts[] = {
    {"rem=buffer", 0, true},
    {"rem=NULL", 0, false},
    {"SA_RESTART", SA_RESTART, true},
};
// nanosleep(2), POSIX: a caught signal ends the sleep early with EINTR and
// the unslept time goes to rem. Linux never restarts nanosleep after a
// handler, even with SA_RESTART (signal(7)).
// EXCLUSIVE: a timer must interrupt the sleep within its window, which a loaded sandbox (gVisor)
// stretched.
TEST_P(nanosleep, interrupted_eintr_writes_rem, POSITIVE, PSE51, kInterrupts,
       .flags = kc::EXCLUSIVE, .timeout_ms = 2000) {
    timespec req{0, 200 * kMs};
    timespec rem{-7, -7};
    i64 slept;
    long r = time::interrupted_sleep(-1, req, row.want_rem ? &rem : nullptr, 5 * kMs, row.sa_flags,
                                     &slept);
    EXPECT_ERR(r, EINTR);
    if (row.want_rem) time::expect_rem(rem, 200 * kMs, slept);
}

// nanosleep(2): the largest request (LONG_MAX s) is valid, sleeps until a
// signal and reports a remaining time of at least decades. (Linux clamps the
// request to ~292 years, so rem is not LONG_MAX.)
TEST(nanosleep, huge_request_sleeps_until_signal, BOUNDARY, PSE51, .timeout_ms = 1000) {
    timespec req{LONG_MAX, 999999999};
    timespec rem{-7, -7};
    EXPECT_ERR(time::interrupted_sleep(-1, req, &rem, 3 * kMs), EINTR);
    EXPECT_GT(rem.tv_sec, 1000000000L);
}

// nanosleep(2): when the interrupted sleep cannot store rem, Linux fails with
// EFAULT instead of EINTR (nanosleep_copyout).
TEST(nanosleep, interrupted_bad_rem_efault, NEGATIVE, LINUX, .timeout_ms = 1000) {
    timespec req{0, 200 * kMs};
    auto* bad = reinterpret_cast<timespec*>(common::kBadPtr);
    EXPECT_ERR(time::interrupted_sleep(-1, req, bad, 3 * kMs), EFAULT);
}

struct Quiet {
    const char* label;
    int sig;
    int how;  // 0: ignored, 1: blocked, 2: default action is to ignore
};
constexpr Quiet kQuiet[] = {
    {"SIG_IGN", SIGUSR2, 0},
    {"blocked", SIGUSR2, 1},
    {"SIGURG_default", SIGURG, 2},
};
// nanosleep(2), POSIX: only a signal that runs a handler or ends the process
// interrupts the sleep; an ignored, blocked or default-ignored one does not.
TEST_P(nanosleep, quiet_signal_does_not_interrupt, POSITIVE, PSE51, kQuiet, .timeout_ms = 2000) {
    if (row.how == 0) time::ignore_signal(row.sig);
    if (row.how == 1) time::block(row.sig);
    int id;
    ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, row.sig, 0, &id));
    timespec req{0, 6 * kMs};
    i64 t0 = kc::now_ns();
    time::arm_timer(id, 1 * kMs);
    long r = sys::nanosleep(&req, nullptr);
    i64 slept = kc::now_ns() - t0;
    sys::timer_delete(id);
    if (row.how == 1) {
        EXPECT_TRUE(time::is_pending(row.sig));
        time::drain(row.sig);
    }
    EXPECT_RET(r, 0);
    EXPECT_GE(slept, 6 * kMs);
}
