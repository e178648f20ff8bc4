// SPDX-License-Identifier: MIT
// timerfd_create(2), timerfd_settime(2), timerfd_gettime(2) and read(2) on a
// timerfd (Linux-only, so every test is tagged LINUX). Creation flags and
// clocks, the 8-byte expiration count (reset by read and by re-arming),
// intervals, TFD_TIMER_ABSTIME, disarming, old_value and the time left,
// EAGAIN on a non-blocking fd, short reads, bad fds, bad flags, bad
// timespecs, the CAP_WAKE_ALARM rule for alarm clocks, and a 10,000-fd
// create/close leak check.
// Not covered: TFD_TIMER_CANCEL_ON_SET (needs the clock to be set),
// TFD_IOC_SET_TICKS (CONFIG_CHECKPOINT_RESTORE), poll/epoll readiness
// (multiplexing area), arming CLOCK_*_ALARM timers.
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;
using time::kSec;

static int new_tfd(int flags = 0, int clk = CLOCK_MONOTONIC) {
    long fd = sys::timerfd_create(clk, flags);
    ASSERT_OK(fd);
    return int(fd);
}

static long arm(int fd, i64 value_ns, i64 interval_ns = 0, int flags = 0) {
    itimerspec its{time::ts_of(interval_ns), time::ts_of(value_ns)};
    return sys::timerfd_settime(fd, flags, &its, nullptr);
}

// read(2) of the expiration count; returns the read result.
static long read_count(int fd, u64* count) {
    *count = 0;
    return sys::read(fd, count, sizeof *count);
}

// Reads one count and checks it is `want`.
static void expect_count(int fd, u64 want) {
    u64 n;
    EXPECT_RET(read_count(fd, &n), 8);
    EXPECT_EQ(n, want);
}

static void expect_eagain(int fd) {
    u64 n;
    EXPECT_ERR(read_count(fd, &n), EAGAIN);
}

constexpr time::Clock kTfdClocks[] = {
    {"CLOCK_REALTIME", CLOCK_REALTIME},
    {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
};
// timerfd_create(2): CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME give
// a descriptor whose timer starts disarmed.
TEST_P(timerfd_create, valid_clock_starts_disarmed, POSITIVE, LINUX, kTfdClocks) {
    int fd = new_tfd(TFD_CLOEXEC, row.clk);
    itimerspec cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    time::expect_disarmed(cur);
    sys::close(fd);
}

constexpr time::Clock kTfdBadClocks[] = {
    {"CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID},
    {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
    {"CLOCK_TAI", CLOCK_TAI},
    {"clock=-1", -1},
    {"clock=100", 100},
};
// timerfd_create(2): any other clock, even one that exists, is EINVAL.
TEST_P(timerfd_create, unsupported_clock_einval, NEGATIVE, LINUX, kTfdBadClocks) {
    EXPECT_ERR(sys::timerfd_create(row.clk, 0), EINVAL);
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadCreateFlags[] = {
    {"flags=1", 1},
    {"flags=2", 2},
    {"flags=O_APPEND", O_APPEND},
    {"flags=INT_MIN", INT_MIN},
};
// timerfd_create(2): flags other than TFD_CLOEXEC and TFD_NONBLOCK are
// EINVAL (the settime flags included).
TEST_P(timerfd_create, unknown_flags_einval, NEGATIVE, LINUX, kBadCreateFlags) {
    EXPECT_ERR(sys::timerfd_create(CLOCK_MONOTONIC, row.flags), EINVAL);
}

// timerfd_create(2): TFD_CLOEXEC sets FD_CLOEXEC, TFD_NONBLOCK sets
// O_NONBLOCK; without them neither is set.
TEST(timerfd_create, flags_set_fd_state, POSITIVE, LINUX) {
    int plain = new_tfd();
    int both = new_tfd(TFD_CLOEXEC | TFD_NONBLOCK);
    long fd_plain = sys::fcntl(plain, F_GETFD), fl_plain = sys::fcntl(plain, F_GETFL);
    long fd_both = sys::fcntl(both, F_GETFD), fl_both = sys::fcntl(both, F_GETFL);
    sys::close(plain);
    sys::close(both);
    EXPECT_EQ(fd_plain & FD_CLOEXEC, 0);
    EXPECT_EQ(fl_plain & O_NONBLOCK, 0);
    EXPECT_EQ(fd_both & FD_CLOEXEC, FD_CLOEXEC);
    EXPECT_EQ(fl_both & O_NONBLOCK, O_NONBLOCK);
}

constexpr time::Clock kAlarmClocks[] = {
    {"CLOCK_REALTIME_ALARM", CLOCK_REALTIME_ALARM},
    {"CLOCK_BOOTTIME_ALARM", CLOCK_BOOTTIME_ALARM},
};
// timerfd_create(2): the alarm clocks need CAP_WAKE_ALARM (capable(), the
// initial user namespace): EPERM without it, a descriptor with it (creating
// one needs no RTC; only arming does).
TEST_P(timerfd_create, alarm_clock_needs_wake_alarm, NEGATIVE, LINUX, kAlarmClocks) {
    long fd = sys::timerfd_create(row.clk, TFD_CLOEXEC);
    if (!kc::cap_usable(CAP_WAKE_ALARM)) {
        EXPECT_ERR(fd, EPERM);
        return;
    }
    EXPECT_OK(fd);
    if (fd >= 0) sys::close(int(fd));
}

// timerfd_create(2), close(2): creating and closing 10,000 timerfds leaks
// nothing: the next one gets the same (lowest) descriptor number.
TEST(timerfd_create, create_close_leak, BOUNDARY, LINUX, .flags = kc::SLOW) {
    int first = new_tfd();
    sys::close(first);
    for (int i = 0; i < 10000; ++i) {
        long fd = sys::timerfd_create(CLOCK_MONOTONIC, 0);
        ASSERT_OK(fd);
        sys::close(int(fd));
    }
    int last = new_tfd();
    EXPECT_EQ(last, first);
    sys::close(last);
}

struct Len {
    const char* label;
    usize len;
};
constexpr Len kShort[] = {{"len=0", 0}, {"len=1", 1}, {"len=4", 4}, {"len=7", 7}};
// read(2) on a timerfd: a buffer smaller than 8 bytes is EINVAL, even when
// an expiry is pending (the count is not lost).
TEST_P(timerfd_create, read_short_buffer_einval, NEGATIVE, LINUX, kShort) {
    int fd = new_tfd(TFD_NONBLOCK);
    arm(fd, 1, 0, TFD_TIMER_ABSTIME);
    time::nap(kMs);
    u64 buf = 0;
    EXPECT_ERR(sys::read(fd, &buf, row.len), EINVAL);
    expect_count(fd, 1);
    sys::close(fd);
}

// read(2) on a timerfd: a larger buffer still gets exactly 8 bytes.
TEST(timerfd_create, read_large_buffer_gets_eight, BOUNDARY, LINUX, .timeout_ms = 1000) {
    int fd = new_tfd();
    arm(fd, 1, 0, TFD_TIMER_ABSTIME);
    u64 buf[4] = {~0ull, ~0ull, ~0ull, ~0ull};
    EXPECT_RET(sys::read(fd, buf, sizeof buf), 8);
    sys::close(fd);
    EXPECT_EQ(buf[0], 1u);
    EXPECT_EQ(buf[1], ~0ull);
}

// read(2) on a non-blocking timerfd: EAGAIN while the timer is disarmed or
// has not expired.
TEST(timerfd_create, read_unexpired_nonblocking_eagain, NEGATIVE, LINUX) {
    int fd = new_tfd(TFD_NONBLOCK);
    expect_eagain(fd);
    arm(fd, 10 * kSec);
    expect_eagain(fd);
    sys::close(fd);
}

// read(2) on a timerfd: reading returns the count and resets it to zero.
TEST(timerfd_create, read_resets_count, POSITIVE, LINUX) {
    int fd = new_tfd(TFD_NONBLOCK);
    arm(fd, 1, 0, TFD_TIMER_ABSTIME);
    time::nap(kMs);
    expect_count(fd, 1);
    expect_eagain(fd);
    sys::close(fd);
}

// write(2) on a timerfd: it has no write operation: EINVAL.
TEST(timerfd_create, write_einval, NEGATIVE, LINUX) {
    int fd = new_tfd();
    u64 v = 1;
    EXPECT_ERR(sys::write(fd, &v, sizeof v), EINVAL);
    sys::close(fd);
}

// read(2) on a timerfd: a blocking read waits for the expiry and returns the
// 8-byte count, 1 for a one-shot timer.
TEST(timerfd_settime, relative_expiry_read_blocks, POSITIVE, LINUX, .timeout_ms = 1000) {
    int fd = new_tfd();
    i64 t0 = kc::now_ns();
    EXPECT_RET(arm(fd, 3 * kMs), 0);
    expect_count(fd, 1);
    i64 waited = kc::now_ns() - t0;
    sys::close(fd);
    EXPECT_GE(waited, 3 * kMs);
}

// timerfd_settime(2): an interval timer counts every expiry until read:
// 1 ms for at least 10 ms is at least 10, and never more than elapsed ms.
// The sleep is 12 ms: a timer whose expiries are counted a little late (as
// gVisor's now and then are on a loaded machine) still has its 10 counted.
// EXCLUSIVE: the expiries are counted over a 12 ms window, which tests beside it stretched on
// gVisor.
TEST(timerfd_settime, interval_counts_expirations, POSITIVE, LINUX,
     .flags = kc::SLOW | kc::EXCLUSIVE) {
    int fd = new_tfd(TFD_NONBLOCK);
    i64 t0 = kc::now_ns();
    EXPECT_RET(arm(fd, kMs, kMs), 0);
    time::nap(12 * kMs);
    u64 n;
    EXPECT_RET(read_count(fd, &n), 8);
    i64 elapsed_ms = (kc::now_ns() - t0) / kMs;
    sys::close(fd);
    EXPECT_GE(long(n), 10);
    EXPECT_LE(long(n), elapsed_ms);
}

// timerfd_settime(2): with TFD_TIMER_ABSTIME a deadline in the past expires
// at once.
TEST(timerfd_settime, abstime_past_expires_at_once, BOUNDARY, LINUX, .timeout_ms = 1000) {
    int fd = new_tfd();
    const i64 bound = time::late_bound(100 * kMs);
    i64 took = kc::quickest_ns(bound, [&] {
        EXPECT_RET(arm(fd, 1, 0, TFD_TIMER_ABSTIME), 0);
        expect_count(fd, 1);
    });
    sys::close(fd);
    EXPECT_LT(took, bound);
}

// timerfd_settime(2): with TFD_TIMER_ABSTIME the timer expires when its
// clock reaches the deadline.
TEST_P(timerfd_settime, abstime_expires_at_deadline, POSITIVE, LINUX, time::kPosixClocks,
       .timeout_ms = 1000) {
    int fd = new_tfd(0, row.clk);
    i64 deadline = time::clock_ns(row.clk) + 4 * kMs;
    EXPECT_RET(arm(fd, deadline, 0, TFD_TIMER_ABSTIME), 0);
    expect_count(fd, 1);
    EXPECT_GE(time::clock_ns(row.clk), deadline);
    sys::close(fd);
}

// timerfd_settime(2): EINVAL for a bad it_value (negative, or tv_nsec
// outside [0, 999999999]).
TEST_P(timerfd_settime, invalid_value_einval, NEGATIVE, LINUX, time::kBadTimespecs) {
    int fd = new_tfd();
    itimerspec its{{0, 0}, {row.sec, row.nsec}};
    EXPECT_ERR(sys::timerfd_settime(fd, 0, &its, nullptr), EINVAL);
    sys::close(fd);
}

// timerfd_settime(2): the same for it_interval.
TEST_P(timerfd_settime, invalid_interval_einval, NEGATIVE, LINUX, time::kBadTimespecs) {
    int fd = new_tfd();
    itimerspec its{{row.sec, row.nsec}, {1, 0}};
    EXPECT_ERR(sys::timerfd_settime(fd, 0, &its, nullptr), EINVAL);
    sys::close(fd);
}

constexpr Flags kBadSetFlags[] = {
    {"flags=4", 4},
    {"flags=8", 8},
    {"flags=INT_MIN", INT_MIN},
    {"flags=TFD_NONBLOCK", TFD_NONBLOCK},
};
// timerfd_settime(2): flags other than TFD_TIMER_ABSTIME and
// TFD_TIMER_CANCEL_ON_SET are EINVAL.
TEST_P(timerfd_settime, unknown_flags_einval, NEGATIVE, LINUX, kBadSetFlags) {
    int fd = new_tfd();
    itimerspec its{{0, 0}, {1, 0}};
    EXPECT_ERR(sys::timerfd_settime(fd, row.flags, &its, nullptr), EINVAL);
    sys::close(fd);
}

// timerfd_settime(2), timerfd_gettime(2): a descriptor that is not open is
// EBADF; an open one that is not a timerfd (a pipe) is EINVAL.
TEST(timerfd_settime, bad_fd, NEGATIVE, LINUX) {
    itimerspec its{{0, 0}, {1, 0}};
    EXPECT_ERR(sys::timerfd_settime(-1, 0, &its, nullptr), EBADF);
    EXPECT_ERR(sys::timerfd_settime(INT_MAX, 0, &its, nullptr), EBADF);
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    EXPECT_ERR(sys::timerfd_settime(fds[0], 0, &its, nullptr), EINVAL);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// timerfd_settime(2): an unreadable new value or unwritable old value is
// EFAULT.
TEST(timerfd_settime, bad_pointer_efault, NEGATIVE, LINUX) {
    int fd = new_tfd();
    auto* bad = reinterpret_cast<itimerspec*>(common::kBadPtr);
    EXPECT_ERR(sys::timerfd_settime(fd, 0, nullptr, nullptr), EFAULT);
    EXPECT_ERR(sys::timerfd_settime(fd, 0, bad, nullptr), EFAULT);
    itimerspec its{{0, 0}, {1, 0}};
    EXPECT_ERR(sys::timerfd_settime(fd, 0, &its, bad), EFAULT);
    sys::close(fd);
}

// timerfd_settime(2): old_value receives the previous setting (time left and
// interval).
TEST(timerfd_settime, old_value_reports_previous, POSITIVE, LINUX) {
    int fd = new_tfd();
    arm(fd, kSec, 2 * kSec);
    itimerspec next{{0, 0}, {5, 0}}, old{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_settime(fd, 0, &next, &old), 0);
    sys::close(fd);
    time::expect_left(old, kSec, 2 * kSec);
}

// timerfd_settime(2): a zero it_value disarms the timer: it never expires.
// Linux still reports the interval given with it (POSIX timers report 0).
TEST(timerfd_settime, zero_value_disarms, POSITIVE, LINUX) {
    int fd = new_tfd(TFD_NONBLOCK);
    arm(fd, 2 * kMs, kMs);
    EXPECT_RET(arm(fd, 0, kMs), 0);
    time::nap(5 * kMs);
    expect_eagain(fd);
    itimerspec cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    EXPECT_EQ(time::ns_of(cur.it_value), 0);
    EXPECT_EQ(time::ns_of(cur.it_interval), kMs);
    sys::close(fd);
}

// timerfd_settime(2): re-arming resets the count of expiries not yet read.
TEST(timerfd_settime, rearm_resets_count, BOUNDARY, LINUX) {
    int fd = new_tfd(TFD_NONBLOCK);
    arm(fd, kMs);
    time::nap(4 * kMs);
    arm(fd, 10 * kSec);
    expect_eagain(fd);
    sys::close(fd);
}

// timerfd_gettime(2): an armed timer reports the time left and the interval;
// with TFD_TIMER_ABSTIME too, the value is the time left (not the deadline).
TEST(timerfd_gettime, reports_time_left, POSITIVE, LINUX) {
    int rel = new_tfd();
    int abs = new_tfd();
    arm(rel, kSec, 500 * kMs);
    arm(abs, kc::now_ns() + kSec, 0, TFD_TIMER_ABSTIME);
    itimerspec a{{-7, -7}, {-7, -7}}, b{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_gettime(rel, &a), 0);
    EXPECT_RET(sys::timerfd_gettime(abs, &b), 0);
    sys::close(rel);
    sys::close(abs);
    time::expect_left(a, kSec, 500 * kMs);
    time::expect_left(b, kSec, 0);
}

// timerfd_gettime(2): an expired one-shot timer reports zero.
TEST(timerfd_gettime, expired_one_shot_reports_zero, POSITIVE, LINUX, .timeout_ms = 1000) {
    int fd = new_tfd();
    arm(fd, kMs);
    expect_count(fd, 1);
    itimerspec cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    sys::close(fd);
    time::expect_disarmed(cur);
}

// timerfd_gettime(2): EBADF for a closed descriptor, EINVAL for one that is
// not a timerfd, EFAULT for an unwritable result.
TEST(timerfd_gettime, bad_arguments, NEGATIVE, LINUX) {
    itimerspec cur;
    EXPECT_ERR(sys::timerfd_gettime(-1, &cur), EBADF);
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    EXPECT_ERR(sys::timerfd_gettime(fds[1], &cur), EINVAL);
    sys::close(fds[0]);
    sys::close(fds[1]);
    int fd = new_tfd();
    EXPECT_ERR(sys::timerfd_gettime(fd, reinterpret_cast<itimerspec*>(common::kBadPtr)), EFAULT);
    sys::close(fd);
}

// timerfd_gettime(2): disarming with a zero it_value (timerfd_settime)
// makes both fields read zero.
TEST(timerfd_gettime, zero_after_disarm, POSITIVE, LINUX) {
    int fd = new_tfd();
    arm(fd, 10 * kSec, kSec);
    arm(fd, 0);
    itimerspec cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    sys::close(fd);
    time::expect_disarmed(cur);
}

// timerfd_gettime(2): the time left counts down between two reads, and
// stays positive while the timer has not expired.
TEST(timerfd_gettime, time_left_counts_down, POSITIVE, LINUX) {
    int fd = new_tfd();
    arm(fd, 10 * kSec);
    itimerspec a{}, b{};
    EXPECT_RET(sys::timerfd_gettime(fd, &a), 0);
    time::nap(2 * kMs);
    EXPECT_RET(sys::timerfd_gettime(fd, &b), 0);
    sys::close(fd);
    EXPECT_LT(time::ns_of(b.it_value), time::ns_of(a.it_value));
    EXPECT_GT(time::ns_of(b.it_value), 0);
}

// timerfd_gettime(2): a periodic timer that has expired reports the time to
// its next expiry (at most one interval) and the interval itself.
TEST(timerfd_gettime, periodic_reports_next_expiry, POSITIVE, LINUX) {
    int fd = new_tfd();
    arm(fd, kMs, 50 * kMs);
    time::nap(5 * kMs);
    itimerspec cur{};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    sys::close(fd);
    EXPECT_GE(time::ns_of(cur.it_value), 0);  // 0 at the instant of an expiry
    EXPECT_LE(time::ns_of(cur.it_value), 50 * kMs);
    EXPECT_EQ(time::ns_of(cur.it_interval), 50 * kMs);
}

// timerfd_gettime(2): an absolute CLOCK_REALTIME timer is reported as the
// relative time left, not as the absolute time it was armed with.
TEST(timerfd_gettime, absolute_realtime_reported_relative, BOUNDARY, LINUX) {
    int fd = new_tfd(0, CLOCK_REALTIME);
    ASSERT_OK(arm(fd, time::clock_ns(CLOCK_REALTIME) + 10 * kSec, 0, TFD_TIMER_ABSTIME));
    itimerspec cur{};
    EXPECT_RET(sys::timerfd_gettime(fd, &cur), 0);
    sys::close(fd);
    time::expect_left(cur, 10 * kSec, 0);
}
