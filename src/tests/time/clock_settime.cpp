// SPDX-License-Identifier: MIT
// clock_settime(2) and settimeofday(2): NEGATIVE tests only. The host clock
// must never change, so every call here is one that must fail: clocks that
// cannot be set, unknown clocks, invalid values, bad pointers, and the
// privilege check in a child without capabilities (no CAP_SYS_TIME). Where a call could still
// succeed on a broken kernel, the value passed is the clock's current
// reading, so that even then the clock barely moves.
// Not covered: any successful setting of a clock; CLOCK_*_ALARM.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

// The current time of clk, or of CLOCK_REALTIME when clk cannot be read.
static timespec now_of(int clk) {
    timespec t{0, 0};
    if (sys::clock_gettime(clk, &t) != 0) sys::clock_gettime(CLOCK_REALTIME, &t);
    return t;
}

// clock_settime(2), POSIX: CLOCK_MONOTONIC cannot be set: EINVAL.
TEST(clock_settime, monotonic_einval, NEGATIVE, PSE51) {
    timespec t = now_of(CLOCK_MONOTONIC);
    EXPECT_ERR(sys::clock_settime(CLOCK_MONOTONIC, &t), EINVAL);
}

constexpr time::Clock kUnsettable[] = {
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
    {"CLOCK_TAI", CLOCK_TAI},
};
// clock_settime(2): of Linux's extra clocks none can be set: EINVAL (only
// CLOCK_REALTIME can; TAI moves with it).
TEST_P(clock_settime, linux_clock_unsettable_einval, NEGATIVE, LINUX, kUnsettable) {
    timespec t = now_of(row.clk);
    EXPECT_ERR(sys::clock_settime(row.clk, &t), EINVAL);
}

// clock_settime(2), POSIX: EINVAL for a clock id that names no clock.
TEST_P(clock_settime, unknown_clock_einval, NEGATIVE, PSE51, time::kBadClocks) {
    timespec t = now_of(CLOCK_REALTIME);
    EXPECT_ERR(sys::clock_settime(row.clk, &t), EINVAL);
}

// clock_settime(2): the CPU-time clock ids have no set operation on Linux:
// EINVAL. POSIX leaves setting a CPU-time clock to the implementation.
TEST_P(clock_settime, cpu_clock_einval, NEGATIVE, LINUX, time::kCpuClocks) {
    timespec t = now_of(row.clk);
    EXPECT_ERR(sys::clock_settime(row.clk, &t), EINVAL);
}

// clock_settime(2): the pid/tid-encoded CPU clock of the caller (what
// clock_getcpuclockid(3) returns) is refused with EPERM, even for root
// (posix_cpu_clock_set).
TEST(clock_settime, encoded_cpu_clock_eperm, NEGATIVE, LINUX) {
    int clk = time::process_cpu_clock(int(sys::getpid()));
    timespec t = now_of(clk);
    EXPECT_ERR(sys::clock_settime(clk, &t), EPERM);
    clk = time::thread_cpu_clock(int(sys::gettid()));
    t = now_of(clk);
    EXPECT_ERR(sys::clock_settime(clk, &t), EPERM);
}

struct BadNsec {
    const char* label;
    i64 nsec;
};
constexpr BadNsec kBadNsec[] = {
    {"tv_nsec=-1", -1},
    {"tv_nsec=1e9", 1000000000},
    {"tv_nsec=LONG_MAX", LONG_MAX},
    {"tv_nsec=LONG_MIN", LONG_MIN},
};
// clock_settime(2), POSIX: EINVAL when tv_nsec is outside [0, 999999999].
// Linux checks the value before the privilege, so this holds for every user.
TEST_P(clock_settime, invalid_nsec_einval, NEGATIVE, PSE51, kBadNsec) {
    timespec t{now_of(CLOCK_REALTIME).tv_sec, row.nsec};
    EXPECT_ERR(sys::clock_settime(CLOCK_REALTIME, &t), EINVAL);
}

// clock_settime(2): a negative time is EINVAL on Linux (value checked before
// privilege). Run only without capabilities: with CAP_SYS_TIME, a kernel
// that accepted it would set the host clock to 1969.
TEST(clock_settime, negative_sec_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timespec t{-1, 0};
        EXPECT_ERR(sys::clock_settime(CLOCK_REALTIME, &t), EINVAL);
    });
}

// clock_settime(2): an unreadable value is EFAULT for a settable clock, but
// an unsettable clock is rejected first (Linux checks the clock, then copies).
TEST(clock_settime, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::clock_settime(CLOCK_REALTIME, nullptr), EFAULT);
    EXPECT_ERR(sys::clock_settime(CLOCK_REALTIME, reinterpret_cast<timespec*>(common::kBadPtr)),
               EFAULT);
    EXPECT_ERR(sys::clock_settime(CLOCK_MONOTONIC, nullptr), EINVAL);
}

// clock_settime(2), POSIX: EPERM for a process without the privilege to set
// CLOCK_REALTIME (CAP_SYS_TIME): the check runs in a child without
// capabilities; the value is the current time.
TEST(clock_settime, unprivileged_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timespec t = now_of(CLOCK_REALTIME);
        EXPECT_ERR(sys::clock_settime(CLOCK_REALTIME, &t), EPERM);
    });
}

struct BadUsec {
    const char* label;
    i64 usec;
};
constexpr BadUsec kBadUsec[] = {
    {"tv_usec=-1", -1},
    {"tv_usec=1e6", 1000000},
    {"tv_usec=LONG_MAX", LONG_MAX},
};
// settimeofday(2): EINVAL when tv_usec is outside [0, 999999], checked before
// the privilege (Linux-only call).
TEST_P(settimeofday, invalid_usec_einval, NEGATIVE, LINUX, kBadUsec) {
    timeval tv{now_of(CLOCK_REALTIME).tv_sec, row.usec};
    EXPECT_ERR(sys::settimeofday(&tv, nullptr), EINVAL);
}

// settimeofday(2): an unreadable tv or tz is EFAULT.
TEST(settimeofday, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::settimeofday(reinterpret_cast<timeval*>(common::kBadPtr), nullptr), EFAULT);
    EXPECT_ERR(sys::settimeofday(nullptr, reinterpret_cast<timezone*>(common::kBadPtr)), EFAULT);
}

// settimeofday(2): EPERM without CAP_SYS_TIME (in a child that dropped root).
TEST(settimeofday, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timeval tv;
        sys::gettimeofday(&tv, nullptr);
        EXPECT_ERR(sys::settimeofday(&tv, nullptr), EPERM);
        // Even with nothing to set, the privilege is checked.
        EXPECT_ERR(sys::settimeofday(nullptr, nullptr), EPERM);
    });
}
