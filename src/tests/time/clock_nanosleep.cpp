// SPDX-License-Identifier: MIT
// clock_nanosleep(2): relative and TIMER_ABSTIME sleeps on each clock that
// supports sleeping, argument validation (timespec, clock id, pointers),
// deadlines in the past, interruption (rem written for relative sleeps only).
// The raw system call returns -errno (the libc wrapper returns the positive
// error number instead).
// Not covered: CLOCK_REALTIME_ALARM/CLOCK_BOOTTIME_ALARM (their behaviour
// depends on an RTC device and CAP_WAKE_ALARM), sleeps on another process's
// CPU-time clock, the effect of clock_settime on an absolute sleep.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

// clock_nanosleep(2), POSIX: EINVAL for a negative request or tv_nsec outside
// [0, 999999999], checked before sleeping.
TEST_P(clock_nanosleep, invalid_timespec_einval, NEGATIVE, PSE51, time::kBadTimespecs,
       .timeout_ms = 1000) {
    timespec req{row.sec, row.nsec};
    EXPECT_ERR(sys::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, nullptr), EINVAL);
}

// clock_nanosleep(2), POSIX: the same validation applies to absolute times.
TEST_P(clock_nanosleep, invalid_abstime_einval, NEGATIVE, PSE51, time::kBadTimespecs,
       .timeout_ms = 1000) {
    timespec req{row.sec, row.nsec};
    EXPECT_ERR(sys::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, nullptr), EINVAL);
}

// clock_nanosleep(2), POSIX: EINVAL when clockid names no known clock.
TEST_P(clock_nanosleep, unknown_clock_einval, NEGATIVE, PSE51, time::kBadClocks,
       .timeout_ms = 1000) {
    timespec req{0, 1000};
    EXPECT_ERR(sys::clock_nanosleep(row.clk, 0, &req, nullptr), EINVAL);
}

constexpr time::Clock kNoSleepClocks[] = {
    {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
};
// clock_nanosleep(2): clocks that exist but cannot be slept on fail with
// EOPNOTSUPP (the man page's ENOTSUP). The man page lists EINVAL for
// CLOCK_THREAD_CPUTIME_ID; that is glibc's mapping: the system call itself
// returns EOPNOTSUPP on Linux.
TEST_P(clock_nanosleep, clock_without_sleep_eopnotsupp, NEGATIVE, LINUX, kNoSleepClocks,
       .timeout_ms = 1000) {
    timespec req{0, 1000};
    EXPECT_ERR(sys::clock_nanosleep(row.clk, 0, &req, nullptr), EOPNOTSUPP);
    EXPECT_ERR(sys::clock_nanosleep(row.clk, TIMER_ABSTIME, &req, nullptr), EOPNOTSUPP);
}

struct ClockSleep {
    const char* label;
    int clk;
    i64 ns;
};
static void relative_sleep(const ClockSleep& row) {
    timespec req = time::ts_of(row.ns);
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::clock_nanosleep(row.clk, 0, &req, nullptr), 0);
    i64 slept = kc::now_ns() - t0;
    EXPECT_GE(slept, row.ns);
    EXPECT_LT(slept, row.ns + time::late_bound(500 * kMs));
}
constexpr ClockSleep kPosixSleeps[] = {
    {"CLOCK_MONOTONIC,12ms", CLOCK_MONOTONIC, 12 * kMs},
    {"CLOCK_REALTIME,2ms", CLOCK_REALTIME, 2 * kMs},
};
// clock_nanosleep(2), POSIX: a relative sleep lasts at least the request
// (measured on CLOCK_MONOTONIC) and not absurdly longer.
TEST_P(clock_nanosleep, relative_sleeps_at_least_request, POSITIVE, PSE51, kPosixSleeps,
       .flags = kc::SLOW, .timeout_ms = 1000) {
    relative_sleep(row);
}
constexpr ClockSleep kLinuxSleeps[] = {
    {"CLOCK_BOOTTIME,2ms", CLOCK_BOOTTIME, 2 * kMs},
    {"CLOCK_TAI,2ms", CLOCK_TAI, 2 * kMs},
};
// clock_nanosleep(2): Linux also sleeps on CLOCK_BOOTTIME and CLOCK_TAI.
TEST_P(clock_nanosleep, relative_sleeps_on_linux_clocks, POSITIVE, LINUX, kLinuxSleeps,
       .timeout_ms = 1000) {
    relative_sleep(row);
}

// clock_nanosleep(2): a zero relative request returns 0 at once.
TEST(clock_nanosleep, relative_zero_returns_at_once, BOUNDARY, PSE51, .timeout_ms = 1000) {
    timespec req{0, 0};
    const i64 bound = time::late_bound(100 * kMs);
    i64 took = kc::quickest_ns(
        bound, [&] { EXPECT_RET(sys::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, nullptr), 0); });
    EXPECT_LT(took, bound);
}

struct PastDeadline {
    const char* label;
    int clk;
    bool now;  // deadline: the clock's current reading (else time 0)
};
static void past_deadline(const PastDeadline& row) {
    const i64 bound = time::late_bound(100 * kMs);
    i64 took = kc::quickest_ns(bound, [&] {
        timespec req{0, 0};
        if (row.now) sys::clock_gettime(row.clk, &req);
        EXPECT_RET(sys::clock_nanosleep(row.clk, TIMER_ABSTIME, &req, nullptr), 0);
    });
    EXPECT_LT(took, bound);
}
constexpr PastDeadline kPosixPast[] = {
    {"CLOCK_MONOTONIC,t=0", CLOCK_MONOTONIC, false},
    {"CLOCK_MONOTONIC,t=now", CLOCK_MONOTONIC, true},
    {"CLOCK_REALTIME,t=0", CLOCK_REALTIME, false},
    {"CLOCK_REALTIME,t=now", CLOCK_REALTIME, true},
};
// clock_nanosleep(2), POSIX: with TIMER_ABSTIME, a deadline already passed
// returns 0 at once.
TEST_P(clock_nanosleep, abstime_past_returns_at_once, BOUNDARY, PSE51, kPosixPast,
       .timeout_ms = 1000) {
    past_deadline(row);
}
constexpr PastDeadline kLinuxPast[] = {
    {"CLOCK_BOOTTIME,t=now", CLOCK_BOOTTIME, true},
    {"CLOCK_TAI,t=now", CLOCK_TAI, true},
};
// clock_nanosleep(2): the same on Linux's CLOCK_BOOTTIME and CLOCK_TAI.
TEST_P(clock_nanosleep, abstime_past_linux_clocks, BOUNDARY, LINUX, kLinuxPast,
       .timeout_ms = 1000) {
    past_deadline(row);
}
constexpr PastDeadline kCpuPast[] = {
    {"CLOCK_PROCESS_CPUTIME_ID,t=0", CLOCK_PROCESS_CPUTIME_ID, false},
    {"CLOCK_PROCESS_CPUTIME_ID,t=now", CLOCK_PROCESS_CPUTIME_ID, true},
};
// clock_nanosleep(2), POSIX CPU-time clocks: sleeping on the process's own
// CPU-time clock until a time already reached returns at once.
TEST_P(clock_nanosleep, abstime_past_cpu_clock, BOUNDARY, PSE53, kCpuPast, .timeout_ms = 1000) {
    past_deadline(row);
}

constexpr ClockSleep kDeadlines[] = {
    {"CLOCK_MONOTONIC,+10ms", CLOCK_MONOTONIC, 10 * kMs},
    {"CLOCK_REALTIME,+3ms", CLOCK_REALTIME, 3 * kMs},
};
// clock_nanosleep(2), POSIX: with TIMER_ABSTIME the caller sleeps until the
// clock reaches the deadline.
TEST_P(clock_nanosleep, abstime_sleeps_until_deadline, POSITIVE, PSE51, kDeadlines,
       .flags = kc::SLOW, .timeout_ms = 1000) {
    i64 deadline = time::clock_ns(row.clk) + row.ns;
    timespec req = time::ts_of(deadline);
    EXPECT_RET(sys::clock_nanosleep(row.clk, TIMER_ABSTIME, &req, nullptr), 0);
    i64 after = time::clock_ns(row.clk);
    EXPECT_GE(after, deadline);
    EXPECT_LT(after, deadline + time::late_bound(500 * kMs));
}

// clock_nanosleep(2): an unreadable request is EFAULT (Linux).
TEST(clock_nanosleep, bad_req_pointer_efault, NEGATIVE, LINUX, .timeout_ms = 1000) {
    EXPECT_ERR(sys::clock_nanosleep(CLOCK_MONOTONIC, 0, nullptr, nullptr), EFAULT);
    EXPECT_ERR(sys::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
                                    reinterpret_cast<timespec*>(common::kBadPtr), nullptr),
               EFAULT);
}

// clock_nanosleep(2), POSIX: a caught signal ends a relative sleep with EINTR
// and the unslept time is written to rem.
TEST(clock_nanosleep, interrupted_relative_writes_rem, POSITIVE, PSE51, .timeout_ms = 2000) {
    timespec rem{-7, -7};
    i64 slept;
    timespec req{0, 200 * kMs};
    EXPECT_ERR(time::interrupted_sleep(0, req, &rem, 5 * kMs, 0, &slept), EINTR);
    time::expect_rem(rem, 200 * kMs, slept);
}

// clock_nanosleep(2), POSIX: with TIMER_ABSTIME rem is unused, even when a
// signal interrupts the sleep.
TEST(clock_nanosleep, interrupted_abstime_rem_untouched, POSITIVE, PSE51, .timeout_ms = 2000) {
    timespec rem{-7, -7};
    i64 slept;
    timespec req = time::ts_of(kc::now_ns() + 200 * kMs);
    EXPECT_ERR(time::interrupted_sleep(TIMER_ABSTIME, req, &rem, 5 * kMs, 0, &slept), EINTR);
    EXPECT_EQ(rem.tv_sec, -7);
    EXPECT_EQ(rem.tv_nsec, -7);
    EXPECT_LT(slept, 200 * kMs);
}
