// SPDX-License-Identifier: MIT
// gettimeofday(2) and time(2): the wall clock in microseconds and seconds,
// consistent with clock_gettime(CLOCK_REALTIME); NULL arguments; bad
// pointers. gettimeofday is XSI (obsolescent) and in no PSE profile, so its
// tests are tagged LINUX.
// Not covered: the timezone's contents beyond range checks (set by
// settimeofday at boot, usually zero), the vDSO versions.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

// gettimeofday(2): fills a normalized timeval (0 <= tv_usec < 1000000).
TEST(gettimeofday, fills_normalized_timeval, POSITIVE, LINUX) {
    timeval tv{-7, -7};
    ASSERT_RET(sys::gettimeofday(&tv, nullptr), 0);
    EXPECT_GE(tv.tv_sec, 0);
    EXPECT_GE(tv.tv_usec, 0);
    EXPECT_LT(tv.tv_usec, 1000000);
}

// gettimeofday(2): both arguments may be NULL.
TEST(gettimeofday, null_arguments_ok, BOUNDARY, LINUX) {
    EXPECT_RET(sys::gettimeofday(nullptr, nullptr), 0);
}

// gettimeofday(2): with a NULL tv the timezone alone is returned; its
// minutes west of Greenwich lie within a day.
TEST(gettimeofday, timezone_only, BOUNDARY, LINUX) {
    timezone tz{INT_MIN, INT_MIN};
    ASSERT_RET(sys::gettimeofday(nullptr, &tz), 0);
    EXPECT_GE(tz.tz_minuteswest, -24 * 60);
    EXPECT_LE(tz.tz_minuteswest, 24 * 60);
    EXPECT_GE(tz.tz_dsttime, 0);
}

// gettimeofday(2): reads the same clock as clock_gettime(CLOCK_REALTIME):
// bracketed by two CLOCK_REALTIME readings (to the microsecond).
TEST(gettimeofday, agrees_with_clock_realtime, POSITIVE, LINUX) {
    i64 before = time::clock_ns(CLOCK_REALTIME) / 1000;
    timeval tv;
    ASSERT_RET(sys::gettimeofday(&tv, nullptr), 0);
    i64 after = time::clock_ns(CLOCK_REALTIME) / 1000;
    i64 us = tv.tv_sec * 1000000 + tv.tv_usec;
    EXPECT_GE(us, before);
    EXPECT_LE(us, after);
}

struct BadArgs {
    const char* label;
    long tv;
    long tz;
};
constexpr BadArgs kBadArgs[] = {
    {"tv=8", 8, 0},
    {"tv=kernel", long(0xffff800000000000ul), 0},
    {"tz=8", -1, 8},
};
// gettimeofday(2): an unwritable tv or tz is EFAULT (tv=-1 here means a
// valid buffer).
TEST_P(gettimeofday, bad_pointer_efault, NEGATIVE, LINUX, kBadArgs) {
    timeval tv;
    timeval* ptv = row.tv == -1 ? &tv : reinterpret_cast<timeval*>(row.tv);
    EXPECT_ERR(sys::gettimeofday(ptv, reinterpret_cast<timezone*>(row.tz)), EFAULT);
}

// time(2), POSIX (ISO C time()): returns the seconds of the realtime clock
// and stores them through a non-NULL pointer. Linux reads the clock as of
// the last tick (like CLOCK_REALTIME_COARSE), so just after a second
// boundary time() may still show the previous second that CLOCK_REALTIME
// has left: the lower bound is the coarse clock.
TEST(time, matches_clock_realtime, POSITIVE, PSE51) {
    REQUIRE_NR(time);
    i64 before = time::clock_ns(CLOCK_REALTIME_COARSE) / time::kSec;
    long stored = -7;
    long r = sys::time(&stored);
    i64 after = time::clock_ns(CLOCK_REALTIME) / time::kSec;
    EXPECT_GE(r, before);
    EXPECT_LE(r, after);
    EXPECT_EQ(stored, r);
}

// time(2): a NULL pointer only returns the time.
TEST(time, null_pointer_ok, BOUNDARY, PSE51) {
    REQUIRE_NR(time);
    EXPECT_GT(sys::time(nullptr), 0);
}

// time(2): an unwritable pointer is EFAULT (Linux).
TEST(time, bad_pointer_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(time);
    EXPECT_ERR(sys::time(reinterpret_cast<long*>(common::kBadPtr)), EFAULT);
}

// time(2) and gettimeofday(2) read the same clock. Linux's time() is the
// clock as of the last tick (the seconds of CLOCK_REALTIME_COARSE), so just
// after a second boundary it can be one second behind a gettimeofday taken
// before it; it lies exactly between coarse readings taken around it, and
// within that second of gettimeofday's tv_sec.
TEST(time, agrees_with_gettimeofday, POSITIVE, LINUX) {
    REQUIRE_NR(time);
    timeval a{}, b{};
    timespec ca{}, cb{};
    ASSERT_RET(sys::gettimeofday(&a, nullptr), 0);
    ASSERT_RET(sys::clock_gettime(CLOCK_REALTIME_COARSE, &ca), 0);
    long t = sys::time(nullptr);
    ASSERT_RET(sys::clock_gettime(CLOCK_REALTIME_COARSE, &cb), 0);
    ASSERT_RET(sys::gettimeofday(&b, nullptr), 0);
    EXPECT_GE(t, ca.tv_sec);
    EXPECT_LE(t, cb.tv_sec);
    EXPECT_GE(t, a.tv_sec - 1);
    EXPECT_LE(t, b.tv_sec);
}

// time(2): successive calls never go backwards (the realtime clock is not
// being set by this test; a step by an administrator would be seen).
TEST(time, successive_calls_non_decreasing, BOUNDARY, PSE51) {
    REQUIRE_NR(time);
    long prev = sys::time(nullptr), backwards = 0;
    for (int i = 0; i < 200; ++i) {
        long t = sys::time(nullptr);
        if (t < prev) ++backwards;
        prev = t;
    }
    EXPECT_EQ(backwards, 0);
}

// time(2): a pointer into read-only memory is EFAULT (Linux), not a fault
// of the process, and the memory keeps its contents.
TEST(time, read_only_pointer_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(time);
    static const long kReadOnly[1] = {0x1234};
    EXPECT_ERR(sys::time(const_cast<long*>(kReadOnly)), EFAULT);
    EXPECT_EQ(*static_cast<const volatile long*>(kReadOnly), 0x1234);
}

// time(2): the pointer need not be aligned; exactly eight bytes are stored
// there (the bytes around them stay).
TEST(time, unaligned_pointer_stores_eight_bytes, BOUNDARY, LINUX) {
    REQUIRE_NR(time);
    alignas(8) unsigned char buf[24];
    for (unsigned char& c : buf) c = 0xa5;
    long r = sys::time(reinterpret_cast<long*>(buf + 3));
    ASSERT_GT(r, 0);
    long stored;
    __builtin_memcpy(&stored, buf + 3, 8);
    EXPECT_EQ(stored, r);
    EXPECT_EQ(buf[2], 0xa5);
    EXPECT_EQ(buf[11], 0xa5);
}
