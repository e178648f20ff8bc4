// SPDX-License-Identifier: MIT
// clock_gettime(2): every clock reads a normalized timespec; unknown clocks
// and bad pointers fail; monotonic clocks never go backwards; the clocks
// agree with each other (BOOTTIME >= MONOTONIC, COARSE <= fine, TAI >=
// REALTIME, thread CPU <= process CPU <= elapsed time); CPU-time clocks
// advance with work, not with sleep; Linux's pid/tid-encoded CPU clocks.
// Tests call the system call, never the vDSO.
// Not covered: the absolute value of CLOCK_REALTIME (a board without an RTC
// legitimately boots in 1970), CLOCK_*_ALARM (need an RTC), dynamic
// (PTP device) clocks.
#include "harness/test.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

static void reads_normalized(int clk) {
    timespec t{-7, -7};
    ASSERT_RET(sys::clock_gettime(clk, &t), 0);
    EXPECT_GE(t.tv_sec, 0);
    EXPECT_GE(t.tv_nsec, 0);
    EXPECT_LT(t.tv_nsec, time::kSec);
}

// clock_gettime(2), POSIX: CLOCK_REALTIME and CLOCK_MONOTONIC are readable
// and the result is normalized (0 <= tv_nsec < 1e9).
TEST_P(clock_gettime, posix_clock_reads, POSITIVE, PSE51, time::kPosixClocks) {
    reads_normalized(row.clk);
}
// clock_gettime(2), POSIX CPU-time clocks: the process and thread clocks
// are readable and normalized.
TEST_P(clock_gettime, cpu_clock_reads, POSITIVE, PSE53, time::kCpuClocks) {
    reads_normalized(row.clk);
}
// clock_gettime(2): Linux's extra clocks are readable and normalized.
TEST_P(clock_gettime, linux_clock_reads, POSITIVE, LINUX, time::kLinuxClocks) {
    reads_normalized(row.clk);
}

// clock_gettime(2), POSIX: EINVAL for a clock id that names no clock.
TEST_P(clock_gettime, unknown_clock_einval, NEGATIVE, PSE51, time::kBadClocks) {
    timespec t{-7, -7};
    EXPECT_ERR(sys::clock_gettime(row.clk, &t), EINVAL);
    EXPECT_EQ(t.tv_sec, -7);
}

// clock_gettime(2): a "dynamic clock" id made from an fd that is not a clock
// device (here a pipe) is EINVAL (Linux posix-clock.c).
TEST(clock_gettime, fd_clock_of_non_clock_fd_einval, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
    timespec t;
    int clk = int((~unsigned(fds[0]) << 3) | 3);  // FD_TO_CLOCKID(fd)
    EXPECT_ERR(sys::clock_gettime(clk, &t), EINVAL);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

struct BadPtr {
    const char* label;
    long addr;
};
constexpr BadPtr kBadPtrs[] = {
    {"tp=NULL", 0}, {"tp=8", 8}, {"tp=kernel", long(0xffff800000000000ul)}};
// clock_gettime(2): an unwritable result pointer is EFAULT (Linux; POSIX
// leaves bad pointers undefined).
TEST_P(clock_gettime, bad_pointer_efault, NEGATIVE, LINUX, kBadPtrs) {
    EXPECT_ERR(sys::clock_gettime(CLOCK_MONOTONIC, reinterpret_cast<timespec*>(row.addr)), EFAULT);
}

// Reads clk 2000 times; each reading must be >= the one before.
static void never_backwards(int clk) {
    i64 prev = time::clock_ns(clk);
    ASSERT_GE(prev, 0);
    for (int i = 0; i < 2000; ++i) {
        i64 now = time::clock_ns(clk);
        if (now < prev) {
            EXPECT_GE(now, prev);
            return;
        }
        prev = now;
    }
}
// clock_gettime(2), POSIX: CLOCK_MONOTONIC never goes backwards.
TEST(clock_gettime, monotonic_never_backwards, POSITIVE, PSE51) {
    never_backwards(CLOCK_MONOTONIC);
}
constexpr time::Clock kLinuxMonotonic[] = {
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
};
// clock_gettime(2): Linux's monotonic variants never go backwards either.
TEST_P(clock_gettime, linux_monotonic_never_backwards, POSITIVE, LINUX, kLinuxMonotonic) {
    never_backwards(row.clk);
}
// clock_gettime(2), POSIX CPU-time clocks: consumed CPU time never decreases.
TEST_P(clock_gettime, cpu_clock_never_backwards, POSITIVE, PSE53, time::kCpuClocks) {
    never_backwards(row.clk);
}

// clock_gettime(2): CLOCK_BOOTTIME is CLOCK_MONOTONIC plus time suspended,
// so it is never behind it (clock_gettime(2) man page).
TEST(clock_gettime, boottime_not_behind_monotonic, POSITIVE, LINUX) {
    i64 mono = time::clock_ns(CLOCK_MONOTONIC);
    i64 boot = time::clock_ns(CLOCK_BOOTTIME);
    EXPECT_GE(boot, mono);
}

struct Coarse {
    const char* label;
    int coarse;
    int fine;
};
constexpr Coarse kCoarse[] = {
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE, CLOCK_REALTIME},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC},
};
// clock_gettime(2): a *_COARSE clock is the fine clock as of the last tick:
// read first, it is never ahead of the fine clock, and lags it by little.
// The smallest lag of three pairs of readings is judged, so that a test
// preempted between the two reads does not fail for it.
TEST_P(clock_gettime, coarse_not_ahead_of_fine, POSITIVE, LINUX, kCoarse) {
    const i64 bound = time::late_bound(100 * kMs);
    i64 lag = -1;
    for (int i = 0; i < 3 && (lag < 0 || lag >= bound); ++i) {
        i64 coarse = time::clock_ns(row.coarse);
        i64 fine = time::clock_ns(row.fine);
        EXPECT_LE(coarse, fine);
        if (lag < 0 || fine - coarse < lag) lag = fine - coarse;
    }
    EXPECT_LT(lag, bound);
}

// clock_gettime(2): CLOCK_TAI is CLOCK_REALTIME plus the TAI offset, which
// is never negative (0 unless NTP set it; 37 s in 2017+).
TEST(clock_gettime, tai_not_behind_realtime, POSITIVE, LINUX) {
    i64 real = time::clock_ns(CLOCK_REALTIME);
    i64 tai = time::clock_ns(CLOCK_TAI);
    EXPECT_GE(tai, real);
    EXPECT_LT(tai - real, 100 * time::kSec);
}

// clock_gettime(2), POSIX CPU-time clocks: the calling thread's CPU time is
// part of its process's CPU time.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(clock_gettime, thread_cpu_within_process_cpu, POSITIVE, PSE53, .flags = kc::EXCLUSIVE) {
    time::spin_cpu(kMs / 2);
    i64 thread = time::clock_ns(CLOCK_THREAD_CPUTIME_ID);
    i64 process = time::clock_ns(CLOCK_PROCESS_CPUTIME_ID);
    EXPECT_GT(thread, 0);
    EXPECT_LE(thread, process);
}

// clock_gettime(2), POSIX CPU-time clocks: busy work advances the CPU clock,
// and a single thread cannot use more CPU time than elapsed time.
TEST_P(clock_gettime, cpu_clock_advances_with_work, POSITIVE, PSE53, time::kCpuClocks) {
    i64 cpu0 = time::clock_ns(row.clk);
    i64 wall0 = kc::now_ns();
    while (kc::now_ns() - wall0 < 3 * kMs) {
    }
    i64 cpu = time::clock_ns(row.clk) - cpu0;
    i64 wall = kc::now_ns() - wall0;
    EXPECT_GT(cpu, 0);
    EXPECT_LE(cpu, wall + kMs);
}

// clock_gettime(2), POSIX CPU-time clocks: a sleeping thread uses almost no
// CPU time: well under half of a 10 ms sleep. A virtual CPU preempted by its
// host is counted as the running task's time by a guest kernel, so the best
// of three sleeps is judged; a kernel that counts sleep as CPU time fails all.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(clock_gettime, cpu_clock_still_while_sleeping, POSITIVE, PSE53,
     .flags = kc::EXCLUSIVE | kc::SLOW) {
    i64 best = -1;
    for (int i = 0; i < 3 && (best < 0 || best >= 5 * kMs); ++i) {
        i64 cpu0 = time::clock_ns(CLOCK_THREAD_CPUTIME_ID);
        timespec req{0, 10 * kMs};
        sys::nanosleep(&req, nullptr);
        i64 used = time::clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
        if (best < 0 || used < best) best = used;
    }
    EXPECT_LT(best, 5 * kMs);
}

struct Encoded {
    const char* label;
    bool thread;
    bool zero_id;  // id 0 means "the caller"
};
constexpr Encoded kEncoded[] = {
    {"process,pid=self", false, false},
    {"process,pid=0", false, true},
    {"thread,tid=self", true, false},
};
// clock_gettime(2): the CPU clock id that clock_getcpuclockid(3) builds for
// the caller's pid (or tid) reads the same clock as CLOCK_PROCESS_CPUTIME_ID
// (or CLOCK_THREAD_CPUTIME_ID): Linux's encoding, (~id << 3) | type.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST_P(clock_gettime, encoded_cpu_clock_matches, POSITIVE, LINUX, kEncoded,
       .flags = kc::EXCLUSIVE) {
    int id = row.zero_id ? 0 : int(row.thread ? sys::gettid() : sys::getpid());
    int clk = row.thread ? time::thread_cpu_clock(id) : time::process_cpu_clock(id);
    int plain = row.thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
    time::spin_cpu(kMs / 2);
    i64 a = time::clock_ns(plain);
    i64 b = time::clock_ns(clk);
    i64 c = time::clock_ns(plain);
    EXPECT_GT(a, 0);
    EXPECT_LE(a, b);
    EXPECT_LE(b, c);
}

// clock_gettime(2): a process may read a child's CPU clock through the
// encoded id while it exists; once the child is reaped the id is EINVAL.
TEST(clock_gettime, child_cpu_clock_until_reaped, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held child;  // blocked until released, once the parent has looked
    ASSERT_TRUE(proc::hold(child));
    timespec t{-7, -7};
    EXPECT_RET(sys::clock_gettime(time::process_cpu_clock(int(child.pid)), &t), 0);
    EXPECT_GE(t.tv_sec, 0);
    EXPECT_EQ(proc::release(child), 0);
    EXPECT_ERR(sys::clock_gettime(time::process_cpu_clock(int(child.pid)), &t), EINVAL);
}
