// SPDX-License-Identifier: MIT
// clock_getres(2): every clock reports a plausible resolution (0 < res <= 1 s,
// normalized); res may be NULL; unknown clocks and bad pointers fail; the
// resolutions agree with each other (coarse clocks are not finer).
// Not covered: CLOCK_*_ALARM (need an RTC device).
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

static void plausible(int clk) {
    timespec res{-7, -7};
    ASSERT_RET(sys::clock_getres(clk, &res), 0);
    EXPECT_GE(res.tv_nsec, 0);
    EXPECT_LT(res.tv_nsec, time::kSec);
    EXPECT_GT(time::ns_of(res), 0);
    EXPECT_LE(time::ns_of(res), time::kSec);
}

// clock_getres(2), POSIX: the resolution of CLOCK_REALTIME and
// CLOCK_MONOTONIC is positive and no coarser than a second.
TEST_P(clock_getres, posix_clock_plausible, POSITIVE, PSE51, time::kPosixClocks) {
    plausible(row.clk);
}
// clock_getres(2), POSIX CPU-time clocks: the same for the CPU clocks.
TEST_P(clock_getres, cpu_clock_plausible, POSITIVE, PSE53, time::kCpuClocks) { plausible(row.clk); }
// clock_getres(2): the same for Linux's extra clocks.
TEST_P(clock_getres, linux_clock_plausible, POSITIVE, LINUX, time::kLinuxClocks) {
    plausible(row.clk);
}

// clock_getres(2), POSIX: "If the argument res is NULL, the clock resolution
// is not returned" - and the call succeeds.
TEST_P(clock_getres, null_res_ok, BOUNDARY, PSE51, time::kPosixClocks) {
    EXPECT_RET(sys::clock_getres(row.clk, nullptr), 0);
}
// clock_getres(2): NULL res on the CPU-time clocks.
TEST_P(clock_getres, null_res_cpu_clock_ok, BOUNDARY, PSE53, time::kCpuClocks) {
    EXPECT_RET(sys::clock_getres(row.clk, nullptr), 0);
}
// clock_getres(2): NULL res on Linux's extra clocks.
TEST_P(clock_getres, null_res_linux_clock_ok, BOUNDARY, LINUX, time::kLinuxClocks) {
    EXPECT_RET(sys::clock_getres(row.clk, nullptr), 0);
}

// clock_getres(2), POSIX: EINVAL for a clock id that names no clock.
TEST_P(clock_getres, unknown_clock_einval, NEGATIVE, PSE51, time::kBadClocks) {
    timespec res{-7, -7};
    EXPECT_ERR(sys::clock_getres(row.clk, &res), EINVAL);
    EXPECT_EQ(res.tv_sec, -7);
}

// clock_getres(2): the clock is validated even when res is NULL.
TEST(clock_getres, unknown_clock_null_res_einval, NEGATIVE, PSE51) {
    EXPECT_ERR(sys::clock_getres(100, nullptr), EINVAL);
    EXPECT_ERR(sys::clock_getres(-1, nullptr), EINVAL);
}

// clock_getres(2): an unwritable (non-NULL) res is EFAULT (Linux).
TEST(clock_getres, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::clock_getres(CLOCK_MONOTONIC, reinterpret_cast<timespec*>(common::kBadPtr)),
               EFAULT);
    EXPECT_ERR(sys::clock_getres(CLOCK_REALTIME, reinterpret_cast<timespec*>(0xffff800000000000ul)),
               EFAULT);
}

struct Pair {
    const char* label;
    int coarse;
    int fine;
};
constexpr Pair kCoarse[] = {
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE, CLOCK_REALTIME},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC},
};
// clock_getres(2): a *_COARSE clock (updated once per tick) is never finer
// than its precise counterpart.
TEST_P(clock_getres, coarse_not_finer_than_fine, POSITIVE, LINUX, kCoarse) {
    timespec coarse, fine;
    ASSERT_RET(sys::clock_getres(row.coarse, &coarse), 0);
    ASSERT_RET(sys::clock_getres(row.fine, &fine), 0);
    EXPECT_GE(time::ns_of(coarse), time::ns_of(fine));
}

// clock_getres(2): CLOCK_REALTIME and CLOCK_MONOTONIC are driven by the same
// high-resolution timer base on Linux and report the same resolution.
TEST(clock_getres, realtime_same_as_monotonic, POSITIVE, LINUX) {
    timespec real, mono;
    ASSERT_RET(sys::clock_getres(CLOCK_REALTIME, &real), 0);
    ASSERT_RET(sys::clock_getres(CLOCK_MONOTONIC, &mono), 0);
    EXPECT_EQ(time::ns_of(real), time::ns_of(mono));
}

// clock_getres(2): a *_COARSE clock's resolution is the scheduler tick,
// 1/CONFIG_HZ s: between 1 ms (HZ=1000) and 10 ms (HZ=100), not the
// nanosecond of the high-resolution clocks (time(7), "The software clock").
TEST_P(clock_getres, coarse_is_one_tick, POSITIVE, LINUX, kCoarse) {
    timespec res{-7, -7};
    ASSERT_RET(sys::clock_getres(row.coarse, &res), 0);
    EXPECT_GE(time::ns_of(res), time::kMs);
    EXPECT_LE(time::ns_of(res), 10 * time::kMs);
}
