// SPDX-License-Identifier: MIT
// setitimer(2), getitimer(2), alarm(2): the per-process interval timers.
// ITIMER_REAL delivers SIGALRM, ITIMER_VIRTUAL SIGVTALRM and ITIMER_PROF
// SIGPROF (after CPU time is used); interval re-arming; the remaining time
// reported by getitimer and returned by alarm (rounded to whole seconds,
// never 0 while an alarm is pending); validation of `which`, of timevals and
// of pointers; timers are not inherited by fork.
// setitimer/getitimer are XSI (obsolescent) and in no PSE profile: their
// tests are tagged LINUX. alarm() is PSE51 (POSIX_SIGNALS) and a legacy
// system call that aarch64 and riscv64 lack (REQUIRE_NR).
// Every test disarms the timers it armed and drains the signals it blocked.
// Not covered: a real alarm() expiry (it takes a whole second), the
// NULL-new_value "misfeature" (it logs a kernel warning).
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;
using time::kSec;

static itimerval itv(i64 value_us, i64 interval_us) {
    return itimerval{{interval_us / 1000000, interval_us % 1000000},
                     {value_us / 1000000, value_us % 1000000}};
}
static i64 us_of(const timeval& t) { return t.tv_sec * 1000000 + t.tv_usec; }

static void disarm(int which) {
    itimerval zero{};
    sys::setitimer(which, &zero, nullptr);
}

static void expect_disarmed(const itimerval& cur) {
    EXPECT_EQ(us_of(cur.it_value), 0);
    EXPECT_EQ(us_of(cur.it_interval), 0);
}

// Arms `which` with value_us (no interval), waits up to 1 s for sig
// (blocked), disarms and drains; returns the wait result.
static long fire_once(int which, int sig, i64 value_us, siginfo* si) {
    time::block(sig);
    itimerval v = itv(value_us, 0);
    ASSERT_RET(sys::setitimer(which, &v, nullptr), 0);
    long r = time::wait_signal(sig, si, kSec);
    disarm(which);
    time::drain(sig);
    return r;
}

// setitimer(2): ITIMER_REAL counts real time and sends SIGALRM at expiry.
TEST(setitimer, real_delivers_sigalrm, POSITIVE, LINUX) {
    i64 t0 = kc::now_ns();
    siginfo si{};
    long r = fire_once(ITIMER_REAL, SIGALRM, 2000, &si);
    i64 waited = kc::now_ns() - t0;
    EXPECT_EQ(r, SIGALRM);
    EXPECT_GE(waited, 2 * kMs);
    EXPECT_EQ(si.si_code, SI_KERNEL);  // Linux: sent by the kernel
}

// setitimer(2): the smallest non-zero value (1 us) arms the timer; it fires.
TEST(setitimer, one_microsecond_fires, BOUNDARY, LINUX) {
    EXPECT_EQ(fire_once(ITIMER_REAL, SIGALRM, 1, nullptr), SIGALRM);
}

struct CpuTimer {
    const char* label;
    int which;
    int sig;
};
constexpr CpuTimer kCpuTimers[] = {
    {"ITIMER_VIRTUAL", ITIMER_VIRTUAL, SIGVTALRM},
    {"ITIMER_PROF", ITIMER_PROF, SIGPROF},
};
// setitimer(2): ITIMER_VIRTUAL (user CPU time) sends SIGVTALRM and
// ITIMER_PROF (user + system CPU time) sends SIGPROF once the process has
// used that much CPU time. (Both are sampled at ticks, so only delivery is
// checked, not the exact CPU time at expiry.)
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST_P(setitimer, cpu_timer_delivers_signal, POSITIVE, LINUX, kCpuTimers, .flags = kc::EXCLUSIVE) {
    time::block(row.sig);
    itimerval v = itv(3000, 0);
    ASSERT_RET(sys::setitimer(row.which, &v, nullptr), 0);
    int sig = row.sig;
    time::need_cpu(500 * kMs, time::sig_pending, &sig);
    siginfo si{};
    long r = time::wait_signal(row.sig, &si, 0);
    disarm(row.which);
    time::drain(row.sig);
    EXPECT_EQ(r, row.sig);
    EXPECT_EQ(si.si_code, SI_KERNEL);
}

// setitimer(2): a sleeping process uses no CPU time: its ITIMER_VIRTUAL
// does not fire during a sleep.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(setitimer, virtual_still_while_sleeping, POSITIVE, LINUX, .flags = kc::EXCLUSIVE | kc::SLOW) {
    time::block(SIGVTALRM);
    itimerval v = itv(4000, 0);
    ASSERT_RET(sys::setitimer(ITIMER_VIRTUAL, &v, nullptr), 0);
    timespec req{0, 10 * kMs};
    sys::nanosleep(&req, nullptr);
    bool pending = time::is_pending(SIGVTALRM);
    disarm(ITIMER_VIRTUAL);
    time::drain(SIGVTALRM);
    EXPECT_TRUE(!pending);
}

// setitimer(2): a non-zero it_interval re-arms ITIMER_REAL after each expiry.
TEST(setitimer, interval_rearms, POSITIVE, LINUX) {
    time::block(SIGALRM);
    itimerval v = itv(1000, 1000);
    ASSERT_RET(sys::setitimer(ITIMER_REAL, &v, nullptr), 0);
    int got = 0;
    for (int i = 0; i < 3; ++i) got += time::wait_signal(SIGALRM, nullptr, kSec) == SIGALRM;
    disarm(ITIMER_REAL);
    time::drain(SIGALRM);
    EXPECT_EQ(got, 3);
}

// setitimer(2): old_value receives the previous setting; a zero new value
// disarms the timer.
TEST(setitimer, old_value_and_disarm, POSITIVE, LINUX) {
    itimerval v = itv(kSec / 1000, 2 * kSec / 1000);
    ASSERT_RET(sys::setitimer(ITIMER_REAL, &v, nullptr), 0);
    itimerval zero{}, old{{-7, -7}, {-7, -7}}, cur{{-7, -7}, {-7, -7}};
    long r = sys::setitimer(ITIMER_REAL, &zero, &old);
    sys::getitimer(ITIMER_REAL, &cur);
    disarm(ITIMER_REAL);
    EXPECT_RET(r, 0);
    i64 left = us_of(old.it_value);
    EXPECT_GT(left, 0);
    EXPECT_LE(left, 1000000);
    EXPECT_EQ(us_of(old.it_interval), 2000000);
    expect_disarmed(cur);
}

struct Which {
    const char* label;
    int which;
};
constexpr Which kBadWhich[] = {
    {"which=-1", -1}, {"which=3", 3}, {"which=100", 100}, {"which=INT_MIN", INT_MIN}};
// setitimer(2): EINVAL for a `which` that is none of the three timers.
TEST_P(setitimer, invalid_which_einval, NEGATIVE, LINUX, kBadWhich) {
    itimerval v = itv(kSec / 1000, 0);
    EXPECT_ERR(sys::setitimer(row.which, &v, nullptr), EINVAL);
}

struct BadTv {
    const char* label;
    bool interval;
    i64 sec;
    i64 usec;
};
constexpr BadTv kBadTv[] = {
    {"value.tv_usec=-1", false, 0, -1},         {"value.tv_usec=1e6", false, 0, 1000000},
    {"value.tv_sec=-1", false, -1, 0},          {"interval.tv_usec=-1", true, 0, -1},
    {"interval.tv_usec=1e6", true, 0, 1000000}, {"interval.tv_sec=-1", true, -1, 0},
};
// setitimer(2): EINVAL for a timeval with tv_usec outside [0, 999999] or a
// negative tv_sec, in it_value or it_interval; the timer stays disarmed.
TEST_P(setitimer, invalid_timeval_einval, NEGATIVE, LINUX, kBadTv) {
    itimerval v = itv(kSec / 1000, 0);
    timeval& tv = row.interval ? v.it_interval : v.it_value;
    tv = timeval{row.sec, row.usec};
    disarm(ITIMER_REAL);
    long r = sys::setitimer(ITIMER_REAL, &v, nullptr);
    itimerval cur{};
    sys::getitimer(ITIMER_REAL, &cur);
    disarm(ITIMER_REAL);
    EXPECT_ERR(r, EINVAL);
    expect_disarmed(cur);
}

// setitimer(2): an unreadable new value or unwritable old value is EFAULT.
TEST(setitimer, bad_pointer_efault, NEGATIVE, LINUX) {
    auto* bad = reinterpret_cast<itimerval*>(common::kBadPtr);
    EXPECT_ERR(sys::setitimer(ITIMER_REAL, bad, nullptr), EFAULT);
    itimerval v = itv(kSec / 1000, 0);
    long r = sys::setitimer(ITIMER_REAL, &v, bad);
    disarm(ITIMER_REAL);
    EXPECT_ERR(r, EFAULT);
}

struct AnyWhich {
    const char* label;
    int which;
};
constexpr AnyWhich kWhich[] = {
    {"ITIMER_REAL", ITIMER_REAL},
    {"ITIMER_VIRTUAL", ITIMER_VIRTUAL},
    {"ITIMER_PROF", ITIMER_PROF},
};
// setitimer(2), fork(2): "A child created via fork(2) does not inherit its
// parent's interval timers."
TEST_P(setitimer, not_inherited_by_fork, POSITIVE, LINUX, kWhich, .flags = kc::NEEDS_FORK) {
    itimerval v = itv(kSec / 1000, kSec / 1000);
    ASSERT_RET(sys::setitimer(row.which, &v, nullptr), 0);
    int which = row.which;
    long pid = kc::spawn(
        [](void* p) {
            itimerval cur{{-7, -7}, {-7, -7}};
            EXPECT_RET(sys::getitimer(*static_cast<int*>(p), &cur), 0);
            expect_disarmed(cur);
        },
        &which);
    EXPECT_CHILD_OK(pid);
    disarm(row.which);
}

// getitimer(2): an armed timer reports the time left (at most the value set)
// and the interval set. Linux adds one scheduler tick (at most 10 ms) to a
// CPU-time itimer's value so that it cannot expire early; that is allowed
// for ITIMER_VIRTUAL and ITIMER_PROF.
TEST_P(getitimer, reports_remaining_and_interval, POSITIVE, LINUX, kWhich) {
    itimerval v = itv(1000000, 2000000);
    ASSERT_RET(sys::setitimer(row.which, &v, nullptr), 0);
    itimerval cur{{-7, -7}, {-7, -7}};
    long r = sys::getitimer(row.which, &cur);
    disarm(row.which);
    EXPECT_RET(r, 0);
    i64 left = us_of(cur.it_value);
    EXPECT_GT(left, 900000);
    EXPECT_LE(left, row.which == ITIMER_REAL ? 1000000 : 1010000);
    EXPECT_LT(cur.it_value.tv_usec, 1000000);
    EXPECT_EQ(us_of(cur.it_interval), 2000000);
}

// getitimer(2): a disarmed timer reports zero value and interval.
TEST_P(getitimer, disarmed_reports_zero, POSITIVE, LINUX, kWhich) {
    disarm(row.which);
    itimerval cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::getitimer(row.which, &cur), 0);
    expect_disarmed(cur);
}

// getitimer(2): the ITIMER_REAL time left counts down in real time.
TEST(getitimer, real_counts_down, POSITIVE, LINUX) {
    itimerval v = itv(1000000, 0);
    ASSERT_RET(sys::setitimer(ITIMER_REAL, &v, nullptr), 0);
    itimerval a{}, b{};
    sys::getitimer(ITIMER_REAL, &a);
    timespec req{0, 3 * kMs};
    sys::nanosleep(&req, nullptr);
    sys::getitimer(ITIMER_REAL, &b);
    disarm(ITIMER_REAL);
    i64 before = us_of(a.it_value), after = us_of(b.it_value);
    EXPECT_LE(after, before - 3000);
    EXPECT_GT(after, 0);
}

// getitimer(2): EINVAL for a `which` that is none of the three timers.
TEST_P(getitimer, invalid_which_einval, NEGATIVE, LINUX, kBadWhich) {
    itimerval cur;
    EXPECT_ERR(sys::getitimer(row.which, &cur), EINVAL);
}

// getitimer(2): an unwritable result is EFAULT.
TEST(getitimer, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::getitimer(ITIMER_REAL, reinterpret_cast<itimerval*>(common::kBadPtr)), EFAULT);
    EXPECT_ERR(sys::getitimer(ITIMER_PROF, nullptr), EFAULT);
}

// alarm(2), POSIX: with no alarm pending, alarm() returns 0.
TEST(alarm, returns_zero_without_alarm, POSITIVE, PSE51) {
    REQUIRE_NR(alarm);
    disarm(ITIMER_REAL);
    EXPECT_RET(sys::alarm(0), 0);
}

// alarm(2), POSIX: alarm() returns the seconds left of the previous alarm
// (Linux rounds to the nearest second, so 10 s just set is 10) and
// alarm(0) cancels it.
TEST(alarm, returns_previous_and_cancels, POSITIVE, PSE51) {
    REQUIRE_NR(alarm);
    disarm(ITIMER_REAL);
    EXPECT_RET(sys::alarm(10), 0);
    EXPECT_RET(sys::alarm(5), 10);
    EXPECT_RET(sys::alarm(0), 5);
    itimerval cur{{-7, -7}, {-7, -7}};
    sys::getitimer(ITIMER_REAL, &cur);
    expect_disarmed(cur);
}

// alarm(2), POSIX: while an alarm is pending the return value is never 0:
// less than a second left reports 1.
TEST(alarm, under_one_second_reports_one, BOUNDARY, PSE51) {
    REQUIRE_NR(alarm);
    itimerval v = itv(300000, 0);
    ASSERT_RET(sys::setitimer(ITIMER_REAL, &v, nullptr), 0);
    long r = sys::alarm(0);
    disarm(ITIMER_REAL);
    EXPECT_RET(r, 1);
}

struct Round {
    const char* label;
    i64 us;
    long want;
};
constexpr Round kRound[] = {
    {"left=2.4s", 2400000, 2},
    {"left=2.6s", 2600000, 3},
};
// alarm(2): Linux rounds the time left to the nearest whole second.
TEST_P(alarm, rounds_to_nearest_second, BOUNDARY, LINUX, kRound) {
    REQUIRE_NR(alarm);
    itimerval v = itv(row.us, 0);
    ASSERT_RET(sys::setitimer(ITIMER_REAL, &v, nullptr), 0);
    long r = sys::alarm(0);
    disarm(ITIMER_REAL);
    EXPECT_RET(r, row.want);
}

// alarm(2): an alarm is ITIMER_REAL with no interval (Linux implements one
// with the other).
TEST(alarm, shares_itimer_real, POSITIVE, LINUX) {
    REQUIRE_NR(alarm);
    disarm(ITIMER_REAL);
    sys::alarm(7);
    itimerval cur{{-7, -7}, {-7, -7}};
    sys::getitimer(ITIMER_REAL, &cur);
    sys::alarm(0);
    i64 left = us_of(cur.it_value);
    EXPECT_GT(left, 6000000);
    EXPECT_LE(left, 7000000);
    EXPECT_EQ(us_of(cur.it_interval), 0);
}

// alarm(2): on 64-bit Linux the whole unsigned range is kept: UINT_MAX
// seconds come back unchanged.
TEST(alarm, uint_max_seconds_kept, BOUNDARY, LINUX) {
    REQUIRE_NR(alarm);
    disarm(ITIMER_REAL);
    sys::alarm(0xffffffffu);
    long r = sys::alarm(0);
    disarm(ITIMER_REAL);
    EXPECT_EQ(r, 0xffffffffL);
}

// alarm(2), fork(2), POSIX: "Alarms are not inherited by the child".
TEST(alarm, not_inherited_by_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(alarm);
    sys::alarm(10);
    long pid = kc::spawn([](void*) { EXPECT_RET(sys::alarm(0), 0); }, nullptr);
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(sys::alarm(0), 10);
}
