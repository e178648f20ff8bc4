// SPDX-License-Identifier: MIT
// timer_settime(2), timer_gettime(2), timer_getoverrun(2): arming POSIX
// timers relative and absolute (TIMER_ABSTIME), deadlines in the past,
// interval re-arming, disarming, the previous setting returned in old_value,
// the remaining time reported by timer_gettime, and the overrun count of a
// timer whose signal stayed blocked. Validation: bad timespecs, bad ids
// (including deleted timers), bad pointers.
// As in timer_create.cpp the signal is blocked and collected with
// rt_sigtimedwait, and every test deletes its timer and drains the signal.
// Not covered: the effect of clock_settime on absolute CLOCK_REALTIME timers
// (it would change the host clock), DELAYTIMER_MAX overrun saturation.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;
using time::kSec;

constexpr int kSig = SIGRTMIN + 3;

// A blocked kSig timer on clk; the caller deletes it and drains kSig.
static int new_timer(int clk = CLOCK_MONOTONIC) {
    time::block(kSig);
    int id = -1;
    ASSERT_OK(time::make_timer(clk, kSig, 0, &id));
    return id;
}

static void finish(int id) {
    sys::timer_delete(id);
    time::drain(kSig);
}

// timer_settime with `its` on a new timer must fail with EINVAL and leave
// the timer disarmed.
static void rejects(const itimerspec& its) {
    int id = new_timer();
    long r = sys::timer_settime(id, 0, &its, nullptr);
    itimerspec cur{};
    sys::timer_gettime(id, &cur);
    finish(id);
    EXPECT_ERR(r, EINVAL);
    time::expect_disarmed(cur);
}

// timer_settime(2), POSIX: EINVAL for an it_value with tv_nsec outside
// [0, 999999999] or a negative time; the timer stays disarmed.
TEST_P(timer_settime, invalid_value_einval, NEGATIVE, PSE51, time::kBadTimespecs) {
    rejects(itimerspec{{0, 0}, {row.sec, row.nsec}});
}

// timer_settime(2), POSIX: the same for it_interval (with a valid it_value).
TEST_P(timer_settime, invalid_interval_einval, NEGATIVE, PSE51, time::kBadTimespecs) {
    rejects(itimerspec{{row.sec, row.nsec}, {1, 0}});
}

// timer_settime(2), POSIX: EINVAL for an id that is no live timer.
TEST_P(timer_settime, bad_id_einval, NEGATIVE, PSE51, time::kBadTimerIds) {
    itimerspec its{{0, 0}, {1, 0}};
    EXPECT_ERR(sys::timer_settime(time::bad_timer_id(row.id), 0, &its, nullptr), EINVAL);
}

// timer_settime(2): a NULL new_value is EINVAL on Linux; an unreadable one
// is EFAULT.
TEST(timer_settime, bad_new_value, NEGATIVE, LINUX) {
    int id = new_timer();
    long null_r = sys::timer_settime(id, 0, nullptr, nullptr);
    long bad_r = sys::timer_settime(id, 0, reinterpret_cast<itimerspec*>(common::kBadPtr), nullptr);
    finish(id);
    EXPECT_ERR(null_r, EINVAL);
    EXPECT_ERR(bad_r, EFAULT);
}

// timer_settime(2): an unwritable old_value is EFAULT (Linux).
TEST(timer_settime, bad_old_value_efault, NEGATIVE, LINUX) {
    int id = new_timer();
    itimerspec its{{0, 0}, {10, 0}};
    long r = sys::timer_settime(id, 0, &its, reinterpret_cast<itimerspec*>(common::kBadPtr));
    finish(id);
    EXPECT_ERR(r, EFAULT);
}

// timer_settime(2), POSIX: a relative it_value expires after that much time.
TEST(timer_settime, relative_fires_after_value, POSITIVE, PSE51) {
    int id = new_timer();
    i64 t0 = kc::now_ns();
    time::arm_timer(id, 5 * kMs);
    long r = time::wait_signal(kSig, nullptr, kSec);
    i64 waited = kc::now_ns() - t0;
    finish(id);
    EXPECT_EQ(r, kSig);
    EXPECT_GE(waited, 5 * kMs);
}

// timer_settime(2), POSIX: with TIMER_ABSTIME the timer expires when the
// clock reaches it_value.
TEST_P(timer_settime, absolute_fires_at_deadline, POSITIVE, PSE51, time::kPosixClocks) {
    int id = new_timer(row.clk);
    i64 deadline = time::clock_ns(row.clk) + 5 * kMs;
    time::arm_timer(id, deadline, 0, TIMER_ABSTIME);
    long r = time::wait_signal(kSig, nullptr, kSec);
    i64 now = time::clock_ns(row.clk);
    finish(id);
    EXPECT_EQ(r, kSig);
    EXPECT_GE(now, deadline);
}

// timer_settime(2), POSIX: "If the specified time has already passed, the
// function shall succeed and the expiration notification shall be made."
TEST(timer_settime, absolute_past_fires_at_once, BOUNDARY, PSE51) {
    int id = new_timer();
    const i64 bound = time::late_bound(100 * kMs);
    long s = 0, r = kSig;
    i64 waited = kc::quickest_ns(bound, [&] {
        long si = time::arm_timer(id, 1, 0, TIMER_ABSTIME);
        long ri = time::wait_signal(kSig, nullptr, kSec);
        if (si != 0) s = si;
        if (ri != kSig) r = ri;
    });
    finish(id);
    EXPECT_RET(s, 0);
    EXPECT_EQ(r, kSig);
    EXPECT_LT(waited, bound);
}

// timer_settime(2), POSIX: a non-zero it_interval re-arms the timer after
// each expiry: three signals arrive one after another.
TEST(timer_settime, interval_rearms, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, kMs, kMs);
    int got = 0;
    for (int i = 0; i < 3; ++i) got += time::wait_signal(kSig, nullptr, kSec) == kSig;
    finish(id);
    EXPECT_EQ(got, 3);
}

// timer_settime(2), POSIX: a zero it_value disarms the timer; old_value
// shows it was armed.
TEST(timer_settime, zero_value_disarms, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, kSec, kSec);
    itimerspec zero{}, old{}, cur{{-7, -7}, {-7, -7}};
    long r = sys::timer_settime(id, 0, &zero, &old);
    sys::timer_gettime(id, &cur);
    finish(id);
    EXPECT_RET(r, 0);
    time::expect_left(old, kSec, kSec);
    time::expect_disarmed(cur);
}

// timer_settime(2), POSIX: with a zero it_value the timer is disarmed even
// when it_interval is not zero: nothing fires.
TEST(timer_settime, zero_value_with_interval_stays_disarmed, BOUNDARY, PSE51) {
    int id = new_timer();
    time::arm_timer(id, 0, kMs);
    time::nap(4 * kMs);
    itimerspec cur{{-7, -7}, {-7, -7}};
    sys::timer_gettime(id, &cur);
    bool pending = time::is_pending(kSig);
    finish(id);
    EXPECT_TRUE(!pending);
    time::expect_disarmed(cur);
}

// timer_settime(2), POSIX: old_value receives the previous setting: the time
// that was left and the interval.
TEST(timer_settime, old_value_reports_previous, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, kSec, 2 * kSec);
    itimerspec next{{0, 0}, {5, 0}}, old{{-7, -7}, {-7, -7}};
    long r = sys::timer_settime(id, 0, &next, &old);
    finish(id);
    EXPECT_RET(r, 0);
    time::expect_left(old, kSec, 2 * kSec);
}

// timer_settime(2), POSIX: arming an armed timer replaces its setting: a
// 10 s timer re-armed to 2 ms fires in 2 ms.
TEST(timer_settime, rearm_replaces_setting, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, 10 * kSec);
    time::arm_timer(id, 2 * kMs);
    long r = time::wait_signal(kSig, nullptr, kSec);
    finish(id);
    EXPECT_EQ(r, kSig);
}

struct Setting {
    const char* label;
    i64 value;
    i64 interval;
    int flags;
};
constexpr Setting kSettings[] = {
    {"never_armed", -1, 0, 0},
    {"relative,1s,interval=500ms", kSec, 500 * kMs, 0},
    {"absolute,now+1s", kSec, 0, TIMER_ABSTIME},
};
// timer_gettime(2), POSIX: a timer never armed reports zero value and
// interval; an armed one reports the time left (at most what was set, a
// little less) and exactly the interval set. For a timer armed with
// TIMER_ABSTIME the value is still the time left, not the deadline.
TEST_P(timer_gettime, reports_time_left, POSITIVE, PSE51, kSettings) {
    int id = new_timer();
    i64 base = row.flags ? kc::now_ns() : 0;
    if (row.value >= 0) time::arm_timer(id, base + row.value, row.interval, row.flags);
    itimerspec cur{{-7, -7}, {-7, -7}};
    long r = sys::timer_gettime(id, &cur);
    finish(id);
    EXPECT_RET(r, 0);
    if (row.value < 0)
        time::expect_disarmed(cur);
    else
        time::expect_left(cur, row.value, row.interval);
}

// timer_gettime(2), POSIX: the time left counts down.
TEST(timer_gettime, counts_down, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, kSec);
    itimerspec a{}, b{};
    sys::timer_gettime(id, &a);
    time::nap(2 * kMs);
    sys::timer_gettime(id, &b);
    finish(id);
    i64 before = time::ns_of(a.it_value), after = time::ns_of(b.it_value);
    EXPECT_LE(after, before - 2 * kMs);
    EXPECT_GT(after, 0);
}

// timer_gettime(2), POSIX: a one-shot timer that expired is disarmed.
TEST(timer_gettime, expired_one_shot_reports_zero, POSITIVE, PSE51) {
    int id = new_timer();
    time::arm_timer(id, kMs);
    long r = time::wait_signal(kSig, nullptr, kSec);
    itimerspec cur{{-7, -7}, {-7, -7}};
    sys::timer_gettime(id, &cur);
    finish(id);
    EXPECT_EQ(r, kSig);
    time::expect_disarmed(cur);
}

// timer_gettime(2), POSIX: EINVAL for an id that is no live timer.
TEST_P(timer_gettime, bad_id_einval, NEGATIVE, PSE51, time::kBadTimerIds) {
    itimerspec cur;
    EXPECT_ERR(sys::timer_gettime(time::bad_timer_id(row.id), &cur), EINVAL);
}

// timer_gettime(2): an unwritable result is EFAULT (Linux).
TEST(timer_gettime, bad_pointer_efault, NEGATIVE, LINUX) {
    int id = new_timer();
    long a = sys::timer_gettime(id, nullptr);
    long b = sys::timer_gettime(id, reinterpret_cast<itimerspec*>(common::kBadPtr));
    finish(id);
    EXPECT_ERR(a, EFAULT);
    EXPECT_ERR(b, EFAULT);
}

// timer_getoverrun(2), POSIX: a timer that has not expired has no overruns.
TEST(timer_getoverrun, fresh_timer_zero, POSITIVE, PSE51) {
    int id = new_timer();
    long idle = sys::timer_getoverrun(id);
    time::arm_timer(id, kSec);
    long armed = sys::timer_getoverrun(id);
    finish(id);
    EXPECT_RET(idle, 0);
    EXPECT_RET(armed, 0);
}

// timer_getoverrun(2), POSIX: while a timer's signal is pending, further
// expiries are not queued but counted; after the signal is accepted the
// count is available. A 1 ms interval blocked for 20 ms overruns about 19
// times (at least 10 allowed, never more than the ms elapsed). Linux's
// si_overrun carries the same count.
TEST(timer_getoverrun, counts_missed_expirations, POSITIVE, PSE51, .flags = kc::SLOW) {
    int id = new_timer();
    i64 t0 = kc::now_ns();
    time::arm_timer(id, kMs, kMs);
    time::nap(20 * kMs);
    siginfo si{};
    long r = time::wait_signal(kSig, &si, kSec);
    long over = sys::timer_getoverrun(id);
    i64 elapsed_ms = (kc::now_ns() - t0) / kMs;
    finish(id);
    EXPECT_EQ(r, kSig);
    EXPECT_GE(over, 10);
    EXPECT_LE(over, elapsed_ms);
    EXPECT_EQ(time::si_overrun(si), over);
}

// timer_getoverrun(2), POSIX: EINVAL for an id that is no live timer.
TEST_P(timer_getoverrun, bad_id_einval, NEGATIVE, PSE51, time::kBadTimerIds) {
    EXPECT_ERR(sys::timer_getoverrun(time::bad_timer_id(row.id)), EINVAL);
}
