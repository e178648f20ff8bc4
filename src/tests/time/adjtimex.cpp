// SPDX-License-Identifier: MIT
// adjtimex(2) and clock_adjtime(2): reading the kernel clock discipline
// (modes = 0, and the read-only ADJ_OFFSET_SS_READ), which any process may
// do, and the refusals: unknown clocks, clocks that cannot be adjusted, bad
// pointers, and every modifying mode in a child without capabilities (no
// CAP_SYS_TIME), passing back the values just read so that even a kernel
// that wrongly accepted one would barely change anything. The host clock is
// never adjusted: no call with modes != 0 runs with CAP_SYS_TIME (except the
// read-only ADJ_OFFSET_SS_READ).
// Not covered: any adjustment (frequency, offset, status, tick, leap
// seconds, ADJ_SETOFFSET), PTP clocks (dynamic posix clocks of /dev/ptp*),
// and CLOCK_AUX* (Linux 6.17, off by default).
#include "harness/test.hpp"
#include "rt/sys_admin.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

namespace {

// USER_HZ (100 on every Linux ABI): tick is the microseconds per tick, and
// the kernel refuses values off by more than 10%.
constexpr long kUserHz = 100;
// MAXFREQ_SCALED / PPM_SCALE: 500 ppm in the 16-bit fixed point of timex.
constexpr long kTolerance = 500l << 16;

// Checks what a read returned: the clock state, and the fixed fields.
void check_state(long r, const timex& tx) {
    EXPECT_GE(r, TIME_OK);
    EXPECT_LE(r, TIME_ERROR);
    // An unsynchronised clock is reported as TIME_ERROR (ntp.c).
    if (tx.status & STA_UNSYNC) EXPECT_EQ(r, TIME_ERROR);
    EXPECT_EQ(tx.precision, 1);
    EXPECT_EQ(tx.tolerance, kTolerance);
    EXPECT_GE(tx.tick, 900000 / kUserHz);
    EXPECT_LE(tx.tick, 1100000 / kUserHz);
    // time.tv_usec holds nanoseconds under STA_NANO.
    EXPECT_LT(tx.time.tv_usec, (tx.status & STA_NANO) ? 1000000000 : 1000000);
}

}  // namespace

// adjtimex(2): with modes 0 it only reads, returning the clock state
// (TIME_OK..TIME_ERROR, TIME_ERROR when STA_UNSYNC is set) and filling the
// struct: precision is 1, tolerance 500 ppm scaled by 2^16, tick within 10%
// of 1/USER_HZ seconds (in microseconds).
TEST(adjtimex, read_state, POSITIVE, LINUX) {
    timex tx;
    common::fill_bytes(&tx, 0xa5, sizeof tx);
    tx.modes = 0;
    check_state(sys::adjtimex(&tx), tx);
}

// adjtimex(2): "time: the current time" - within a second of gettimeofday.
TEST(adjtimex, time_matches_gettimeofday, POSITIVE, LINUX) {
    timex tx{};
    timeval before, after;
    sys::gettimeofday(&before, nullptr);
    ASSERT_GE(sys::adjtimex(&tx), 0);
    sys::gettimeofday(&after, nullptr);
    EXPECT_GE(tx.time.tv_sec, before.tv_sec);
    EXPECT_LE(tx.time.tv_sec, after.tv_sec);
}

// adjtimex(2): reading needs no privilege ("any process may read").
TEST(adjtimex, unprivileged_read, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timex tx{};
        check_state(sys::adjtimex(&tx), tx);
    });
}

// adjtimex(2) ADJ_OFFSET_SS_READ: "Return (in buf.offset) the remaining
// amount of time to be adjusted after an earlier ADJ_OFFSET_SINGLESHOT
// operation" - read-only, so allowed without CAP_SYS_TIME; the offset
// field is overwritten (with what adjtime(3) left to do, usually 0).
TEST(adjtimex, offset_ss_read_unprivileged, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timex tx{};
        tx.modes = ADJ_OFFSET_SS_READ;
        tx.offset = 0x7fffffff;
        long r = sys::adjtimex(&tx);
        EXPECT_GE(r, TIME_OK);
        EXPECT_LE(r, TIME_ERROR);
        EXPECT_NE(tx.offset, 0x7fffffff);
    });
}

struct Mode {
    const char* label;
    unsigned modes;
};
constexpr Mode kWrites[] = {
    {"ADJ_OFFSET", ADJ_OFFSET},
    {"ADJ_FREQUENCY", ADJ_FREQUENCY},
    {"ADJ_MAXERROR", ADJ_MAXERROR},
    {"ADJ_ESTERROR", ADJ_ESTERROR},
    {"ADJ_STATUS", ADJ_STATUS},
    {"ADJ_TIMECONST", ADJ_TIMECONST},
    {"ADJ_TAI", ADJ_TAI},
    {"ADJ_TICK", ADJ_TICK},
    {"ADJ_SETOFFSET", ADJ_SETOFFSET},
    {"ADJ_OFFSET_SINGLESHOT", ADJ_OFFSET_SINGLESHOT},
    {"ADJ_NANO", ADJ_NANO},
};
// adjtimex(2) EPERM: "buf.modes is neither 0 nor ADJ_OFFSET_SS_READ, and
// the caller does not have sufficient privilege" (CAP_SYS_TIME). In a
// child without capabilities; the values are the current ones (a zero
// offset to ADJ_SETOFFSET and ADJ_OFFSET_SINGLESHOT).
TEST_P(adjtimex, modify_unprivileged_eperm, NEGATIVE, LINUX, kWrites, .flags = kc::NEEDS_FORK) {
    static unsigned modes;
    modes = row.modes;
    common::unprivileged([](void*) {
        timex tx{};
        ASSERT_GE(sys::adjtimex(&tx), 0);
        tx.modes = modes;
        tx.offset = 0;
        tx.time = timeval{0, 0};
        EXPECT_ERR(sys::adjtimex(&tx), EPERM);
    });
}

// adjtimex(2): ADJ_ADJTIME (0x8000, the adjtime(3) bit) alone is EINVAL -
// "singleshot must not be used with any other mode bits" - checked before
// the privilege (in a child without capabilities all the same).
TEST(adjtimex, adjtime_bit_alone_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timex tx{};
        tx.modes = 0x8000;
        EXPECT_ERR(sys::adjtimex(&tx), EINVAL);
        tx.modes = 0x8000 | ADJ_FREQUENCY;
        EXPECT_ERR(sys::adjtimex(&tx), EINVAL);
    });
}

// adjtimex(2) EFAULT: "buf does not point to writable memory".
TEST(adjtimex, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::adjtimex(static_cast<timex*>(common::kBadPtr)), EFAULT);
    EXPECT_ERR(sys::adjtimex(static_cast<timex*>(common::kKernelPtr)), EFAULT);
}

// ---------------------------------------------------------------------------
// clock_adjtime(2)

// clock_adjtime(2) on CLOCK_REALTIME "behaves like adjtimex()": the same
// state and fixed fields, and the same tick.
TEST(clock_adjtime, realtime_like_adjtimex, POSITIVE, LINUX) {
    timex a{}, b{};
    long r = sys::clock_adjtime(CLOCK_REALTIME, &a);
    check_state(r, a);
    EXPECT_GE(sys::adjtimex(&b), 0);
    EXPECT_EQ(a.tick, b.tick);
    EXPECT_EQ(a.status & STA_NANO, b.status & STA_NANO);
}

// clock_adjtime(2) on CLOCK_REALTIME without CAP_SYS_TIME: reading works,
// adjusting is EPERM.
TEST(clock_adjtime, realtime_unprivileged, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        timex tx{};
        ASSERT_GE(sys::clock_adjtime(CLOCK_REALTIME, &tx), 0);
        tx.modes = ADJ_FREQUENCY;
        EXPECT_ERR(sys::clock_adjtime(CLOCK_REALTIME, &tx), EPERM);
        tx.modes = ADJ_TICK;
        EXPECT_ERR(sys::clock_adjtime(CLOCK_REALTIME, &tx), EPERM);
    });
}

constexpr time::Clock kUnadjustable[] = {
    {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
    {"CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID},
    {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
};
// clock_adjtime(2) EOPNOTSUPP: "The given clk_id does not support
// adjustment" - only CLOCK_REALTIME (and the dynamic clocks) have it; even
// a read (modes 0) is refused.
TEST_P(clock_adjtime, unadjustable_clock_eopnotsupp, NEGATIVE, LINUX, kUnadjustable) {
    timex tx{};
    EXPECT_ERR(sys::clock_adjtime(row.clk, &tx), EOPNOTSUPP);
}

constexpr time::Clock kNoClocks[] = {
    {"clock=10", 10},
    {"clock=12", 12},
    {"clock=100", 100},
    {"clock=INT_MAX", INT_MAX},
    {"fd_clock=1000000", (~1000000 << 3) | 3},  // a closed fd: ((~fd) << 3) | CLOCKFD
};
// clock_adjtime(2) EINVAL: "The clock specified by clk_id is invalid" -
// unassigned ids, and a dynamic clock id whose descriptor is not open.
TEST_P(clock_adjtime, invalid_clock_einval, NEGATIVE, LINUX, kNoClocks) {
    timex tx{};
    EXPECT_ERR(sys::clock_adjtime(row.clk, &tx), EINVAL);
}

// clock_adjtime(2): a dynamic clock id made from a descriptor that is open
// but is no clock device (the scratch directory) is EINVAL too.
TEST(clock_adjtime, non_clock_fd_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    timex tx{};
    int clk = int((~unsigned(kc::scratch_fd()) << 3) | 3);
    EXPECT_ERR(sys::clock_adjtime(clk, &tx), EINVAL);
}

// clock_adjtime(2) EFAULT: "buf does not point to writable memory".
TEST(clock_adjtime, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::clock_adjtime(CLOCK_REALTIME, static_cast<timex*>(common::kBadPtr)), EFAULT);
}
