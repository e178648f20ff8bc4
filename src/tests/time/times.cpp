// SPDX-License-Identifier: MIT
// times(2): process and waited-for children's CPU times in clock ticks, and
// the elapsed real time as the return value. Linux's clock tick for times()
// is USER_HZ = 100 on every architecture (sysconf(_SC_CLK_TCK)).
// Not covered: wrap-around of the return value (Linux starts it near the
// 32-bit wrap point on purpose; a 64-bit return is far from it).
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

static long ticks(const tms& t) { return t.tms_utime + t.tms_stime; }
static long child_ticks(const tms& t) { return t.tms_cutime + t.tms_cstime; }

// times(2), POSIX: fills all four fields with non-negative counts and
// returns a non-negative tick count (not an error).
TEST(times, fills_all_fields, POSITIVE, PSE53) {
    tms t{-7, -7, -7, -7};
    long r = sys::times(&t);
    EXPECT_OK(r);
    EXPECT_GE(t.tms_utime, 0);
    EXPECT_GE(t.tms_stime, 0);
    EXPECT_GE(t.tms_cutime, 0);
    EXPECT_GE(t.tms_cstime, 0);
}

// times(2): Linux accepts a NULL buffer and only returns the elapsed ticks.
TEST(times, null_buffer_ok, BOUNDARY, LINUX) {
    tms t;
    long a = sys::times(&t);
    long b = sys::times(nullptr);
    EXPECT_OK(b);
    EXPECT_GE(b, a);
}

// times(2): an unwritable buffer is EFAULT (Linux).
TEST(times, bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::times(reinterpret_cast<tms*>(common::kBadPtr)), EFAULT);
}

// times(2): the return value counts real time in USER_HZ (100 Hz) ticks: a
// 25 ms sleep advances it by about 2.5 ticks (1 to 4 allowing for tick
// phase), never backwards. EXCLUSIVE: the bound on ticks would not hold if a
// loaded machine stretched the sleep.
TEST(times, return_value_counts_user_hz_ticks, POSITIVE, LINUX, .flags = kc::EXCLUSIVE | kc::SLOW) {
    tms t;
    i64 m0 = kc::now_ns();
    long a = sys::times(&t);
    timespec req{0, 25 * kMs};
    sys::nanosleep(&req, nullptr);
    long b = sys::times(&t);
    i64 elapsed_ticks = (kc::now_ns() - m0) / (10 * kMs);
    EXPECT_GE(b - a, 1);
    EXPECT_LE(b - a, elapsed_ticks + 2);
}

// times(2), POSIX: CPU time used by the process shows in tms_utime +
// tms_stime. Each field is truncated to 10 ms ticks separately, so 22 ms of
// work (more than two ticks) must raise the sum by at least one; the short
// sleep makes Linux account the running thread's time.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(times, counts_own_cpu_time, POSITIVE, PSE53, .flags = kc::EXCLUSIVE | kc::SLOW) {
    tms before, after;
    sys::times(&before);
    time::need_cpu(22 * kMs);
    timespec req{0, 1};
    sys::nanosleep(&req, nullptr);
    sys::times(&after);
    EXPECT_GE(ticks(after) - ticks(before), 1);
    EXPECT_GE(after.tms_utime, before.tms_utime);
    EXPECT_GE(after.tms_stime, before.tms_stime);
}

// times(2), POSIX: tms_cutime/tms_cstime include the CPU time of children
// once they have been waited for, and not before (a zombie does not count).
// 22 ms: more than two ticks, see counts_own_cpu_time.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(times, counts_children_after_wait, POSITIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::EXCLUSIVE | kc::SLOW) {
    tms before, zombie, after;
    sys::times(&before);
    i64 work = 22 * kMs;
    long pid = kc::spawn(time::spin_child, &work);
    ASSERT_GT(pid, 0);
    time::wait_spinner(pid);  // waitid(WEXITED | WNOWAIT)
    sys::times(&zombie);
    EXPECT_CHILD_OK(pid);
    sys::times(&after);
    EXPECT_EQ(child_ticks(zombie), child_ticks(before));
    EXPECT_GE(child_ticks(after) - child_ticks(before), 1);
}
