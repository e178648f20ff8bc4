// SPDX-License-Identifier: MIT
// sched_getattr(2), sched_setattr(2) (Linux 3.14): the extensible struct
// sched_attr — sizes (VER0, VER1, larger buffers zero-filled, E2BIG with the
// kernel's size written back), nice values through sched_setattr,
// SCHED_DEADLINE parameters (validated before privilege; CAP_SYS_NICE may use
// them), and the EINVAL/ESRCH/EPERM cases. Policy changes happen in children
// only; a run started niced or under SCHED_IDLE gets back to SCHED_OTHER at
// nice 0 there when it may (mm::normal_scheduling), else tests adapt.
// Left out: utilization clamping (needs CONFIG_UCLAMP_TASK), DEADLINE
// admission control under load, SCHED_FLAG_RECLAIM/DL_OVERRUN behaviour.
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr u64 kMs = 1000000;  // in ns

struct Value {
    const char* label;
    int value;
};
constexpr Value kNegativePids[] = {{"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
constexpr Value kGonePids[] = {{"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT", mm::kPidMaxLimit}};

sched_attr normal_attr(int nice) {
    sched_attr a{};
    a.size = sizeof a;
    a.sched_policy = SCHED_OTHER;
    a.sched_nice = nice;
    return a;
}

sched_attr deadline_attr(u64 runtime, u64 deadline, u64 period) {
    sched_attr a{};
    a.size = sizeof a;
    a.sched_policy = SCHED_DEADLINE;
    a.sched_runtime = runtime;
    a.sched_deadline = deadline;
    a.sched_period = period;
    return a;
}

long nice_of_caller() {
    sched_attr a{};
    long r = sys::sched_getattr(0, &a, sizeof a, 0);
    return r < 0 ? r - 1000 : a.sched_nice;
}

// In a child: `nice`, or the caller's own nice value when that is higher
// (without CAP_SYS_NICE it cannot go lower: nice -n 19).
int nice_at_least(int nice) {
    long now = 20 - sys::getpriority(PRIO_PROCESS, 0);
    return now > nice ? int(now) : nice;
}

// The number of CPUs in the mask of /sys/devices/system/cpu/online
// ("0-3,8"), or -1 when it cannot be read.
int online_cpus() {
    long fd = sys::openat(AT_FDCWD, "/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[256] = {};
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    if (n <= 0) return -1;
    int count = 0;
    for (const char* p = buf; *p >= '0' && *p <= '9';) {
        int lo = 0, hi;
        while (*p >= '0' && *p <= '9') lo = lo * 10 + (*p++ - '0');
        hi = lo;
        if (*p == '-') {
            hi = 0;
            for (++p; *p >= '0' && *p <= '9'; ++p) hi = hi * 10 + (*p - '0');
        }
        count += hi - lo + 1;
        if (*p == ',') ++p;
    }
    return count;
}

// The number of CPUs in the caller's affinity mask, or -1.
int affinity_cpus() {
    u64 mask[16] = {};
    long n = sys::sched_getaffinity(0, sizeof mask, mask);
    if (n < 0) return -1;
    int count = 0;
    for (long i = 0; i < n / 8; ++i) count += __builtin_popcountll(mask[i]);
    return count;
}

}  // namespace

// sched_getattr(2): fills the caller's attributes — size is the kernel's
// structure size (VER1, 56 bytes here), the policy matches
// sched_getscheduler, the priority sched_getparam.
TEST(sched_getattr, reports_caller_attributes, POSITIVE, LINUX) {
    sched_attr a;
    __builtin_memset(&a, 0xff, sizeof a);
    ASSERT_OK(sys::sched_getattr(0, &a, sizeof a, 0));
    EXPECT_EQ(a.size, SCHED_ATTR_SIZE_VER1);
    EXPECT_EQ(long(a.sched_policy), sys::sched_getscheduler(0) & ~long(SCHED_RESET_ON_FORK));
    sched_param sp{-1};
    EXPECT_OK(sys::sched_getparam(0, &sp));
    EXPECT_EQ(long(a.sched_priority), sp.sched_priority);
}

// sched_getattr(2): an older caller's VER0 (48-byte) buffer is filled only up
// to its size.
TEST(sched_getattr, ver0_size_fills_only_that, BOUNDARY, LINUX) {
    sched_attr a;
    __builtin_memset(&a, 0xab, sizeof a);
    ASSERT_OK(sys::sched_getattr(0, &a, SCHED_ATTR_SIZE_VER0, 0));
    EXPECT_EQ(a.size, SCHED_ATTR_SIZE_VER0);
    EXPECT_EQ(a.sched_util_min, 0xababababu);
    EXPECT_EQ(a.sched_util_max, 0xababababu);
}

// sched_getattr(2): a buffer larger than the kernel's structure is accepted;
// size says how much is meaningful and the rest is zeroed (copy_struct_to_user,
// Linux 6.13). Linux 6.1 left the rest untouched, which a kernel older than
// 6.14 may still do; either way every byte past size is the same.
TEST(sched_getattr, larger_buffer_zero_filled, BOUNDARY, LINUX) {
    u8 buf[128];
    __builtin_memset(buf, 0xab, sizeof buf);
    ASSERT_OK(sys::sched_getattr(0, reinterpret_cast<sched_attr*>(buf), sizeof buf, 0));
    EXPECT_EQ(reinterpret_cast<sched_attr*>(buf)->size, SCHED_ATTR_SIZE_VER1);
    const u8* rest = buf + SCHED_ATTR_SIZE_VER1;
    const usize n = sizeof buf - SCHED_ATTR_SIZE_VER1;
    if (kc::linux_before(6, 14) && rest[0] == 0xab) {
        u8 untouched[n];
        __builtin_memset(untouched, 0xab, n);
        EXPECT_MEM_EQ(rest, untouched, n);
    } else {
        EXPECT_TRUE(mm::all_zero(rest, n));
    }
}

constexpr Value kBadSizes[] = {{"size=0", 0}, {"size=47", 47}, {"size=4097", 4097}};

// sched_getattr(2) EINVAL: "size is invalid; that is, it is smaller than the
// initial version of the sched_attr structure (48 bytes) or larger than the
// system page size".
TEST_P(sched_getattr, bad_size_einval, NEGATIVE, LINUX, kBadSizes) {
    u8 buf[4200];
    EXPECT_ERR(sys::sched_getattr(0, reinterpret_cast<sched_attr*>(buf), unsigned(row.value), 0),
               EINVAL);
}

constexpr Value kBadFlags[] = {{"flags=1", 1}, {"flags=0x80000000", int(0x80000000u)}};

// sched_getattr(2) EINVAL: "flags is not zero".
TEST_P(sched_getattr, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    sched_attr a{};
    EXPECT_ERR(sys::sched_getattr(0, &a, sizeof a, unsigned(row.value)), EINVAL);
}

// sched_getattr(2) EINVAL: "attr is NULL".
TEST(sched_getattr, null_attr_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_getattr(0, nullptr, sizeof(sched_attr), 0), EINVAL);
}

// sched_getattr(2) EINVAL: "pid is negative".
TEST_P(sched_getattr, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    sched_attr a{};
    EXPECT_ERR(sys::sched_getattr(row.value, &a, sizeof a, 0), EINVAL);
}

// sched_getattr(2) ESRCH: "The thread whose ID is pid could not be found".
TEST_P(sched_getattr, nonexistent_pid_esrch, NEGATIVE, LINUX, kGonePids) {
    sched_attr a{};
    EXPECT_ERR(sys::sched_getattr(row.value, &a, sizeof a, 0), ESRCH);
}

// sched_setattr(2): SCHED_OTHER with sched_nice sets the nice value, seen by
// sched_getattr and getpriority(2) (which returns 20 - nice).
TEST(sched_setattr, nice_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            mm::normal_scheduling();
            int nice = nice_at_least(5);
            sched_attr a = normal_attr(nice);
            ASSERT_OK(sys::sched_setattr(0, &a, 0));
            EXPECT_EQ(nice_of_caller(), nice);
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), 20 - nice);
        },
        nullptr, "");
}

// sched_setattr(2) EPERM: lowering the nice value below what RLIMIT_NICE
// allows needs privilege (CAP_SYS_NICE); raising it does not.
TEST(sched_setattr, lower_nice_unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            mm::normal_scheduling();
            int nice = nice_at_least(5);
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_NICE, 0));
            mm::drop_privilege();
            sched_attr a = normal_attr(nice);
            ASSERT_OK(sys::sched_setattr(0, &a, 0));
            a.sched_nice = nice - 10;
            EXPECT_ERR(sys::sched_setattr(0, &a, 0), EPERM);
            EXPECT_EQ(nice_of_caller(), nice);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setattr(2): size 0 is taken as the first version of the structure
// (SCHED_ATTR_SIZE_VER0), for binaries that predate the field.
TEST(sched_setattr, zero_size_means_ver0, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            mm::normal_scheduling();
            int nice = nice_at_least(3);
            sched_attr a = normal_attr(nice);
            a.size = 0;
            EXPECT_OK(sys::sched_setattr(0, &a, 0));
            EXPECT_EQ(nice_of_caller(), nice);
        },
        nullptr, "");
}

struct Size {
    const char* label;
    u32 size;
    int poke;  // byte offset set to 1 beyond the kernel's structure, or -1
};
constexpr Size kTooBig[] = {
    {"size=8", 8, -1},
    {"size=47", 47, -1},
    {"size=4097", 4097, -1},
    {"size=64_nonzero_tail", 64, 60},
};

// sched_setattr(2) E2BIG: "The buffer specified by size and attr is larger
// than the kernel structure, and one or more of the excess bytes is nonzero"
// — also for sizes below VER0 or above a page; the kernel writes its own
// size back into attr->size.
TEST_P(sched_setattr, bad_size_e2big, NEGATIVE, LINUX, kTooBig) {
    u8 buf[4200] = {};
    sched_attr a = normal_attr(0);
    __builtin_memcpy(buf, &a, sizeof a);
    reinterpret_cast<sched_attr*>(buf)->size = row.size;
    if (row.poke >= 0) buf[row.poke] = 1;
    EXPECT_ERR(sys::sched_setattr(0, reinterpret_cast<sched_attr*>(buf), 0), E2BIG);
    EXPECT_EQ(reinterpret_cast<sched_attr*>(buf)->size, SCHED_ATTR_SIZE_VER1);
}

// sched_setattr(2) EINVAL: "flags is not zero".
TEST_P(sched_setattr, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    sched_attr a = normal_attr(0);
    EXPECT_ERR(sys::sched_setattr(0, &a, unsigned(row.value)), EINVAL);
}

// sched_setattr(2) EINVAL: unknown bits in sched_flags.
TEST(sched_setattr, unknown_sched_flags_einval, NEGATIVE, LINUX) {
    sched_attr a = normal_attr(0);
    a.sched_flags = u64(1) << 40;
    EXPECT_ERR(sys::sched_setattr(0, &a, 0), EINVAL);
}

// sched_setattr(2) EINVAL: "attr is NULL".
TEST(sched_setattr, null_attr_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_setattr(0, nullptr, 0), EINVAL);
}

// sched_setattr(2) EINVAL: "pid is negative".
TEST_P(sched_setattr, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    sched_attr a = normal_attr(0);
    EXPECT_ERR(sys::sched_setattr(row.value, &a, 0), EINVAL);
}

// sched_setattr(2) ESRCH: "The thread whose ID is pid could not be found".
TEST_P(sched_setattr, nonexistent_pid_esrch, NEGATIVE, LINUX, kGonePids) {
    sched_attr a = normal_attr(0);
    EXPECT_ERR(sys::sched_setattr(row.value, &a, 0), ESRCH);
}

struct Deadline {
    const char* label;
    u64 runtime, deadline, period;
};
constexpr Deadline kBadDeadlines[] = {
    {"runtime>deadline", 5 * kMs, 2 * kMs, 10 * kMs},
    {"deadline>period", 1 * kMs, 20 * kMs, 10 * kMs},
    {"deadline=0", 1 * kMs, 0, 0},
    {"runtime<1024ns", 100, 10 * kMs, 10 * kMs},
    {"deadline=2^63", 1 * kMs, u64(1) << 63, 0},
};

// sched_setattr(2) EINVAL for SCHED_DEADLINE: "sched_runtime <= sched_deadline
// <= sched_period" must hold (and runtime is at least 1024 ns); checked
// before any privilege check, and the policy stays as it was.
TEST_P(sched_setattr, deadline_bad_parameters_einval, NEGATIVE, LINUX, kBadDeadlines,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const Deadline*>(a);
            long before = sys::sched_getscheduler(0);
            sched_attr at = deadline_attr(r->runtime, r->deadline, r->period);
            EXPECT_ERR(sys::sched_setattr(0, &at, 0), EINVAL);
            EXPECT_EQ(sys::sched_getscheduler(0), before);
        },
        const_cast<Deadline*>(&row), "");
}

// sched_setattr(2) EPERM: SCHED_DEADLINE needs CAP_SYS_NICE.
TEST(sched_setattr, deadline_unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            sched_attr a = deadline_attr(1 * kMs, 10 * kMs, 10 * kMs);
            EXPECT_ERR(sys::sched_setattr(0, &a, 0), EPERM);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setattr(2) SCHED_DEADLINE with CAP_SYS_NICE: a 1 ms / 10 ms
// reservation is admitted and reported back by sched_getattr. Admission
// also wants the task's affinity to span its root domain (EPERM otherwise,
// kernel/sched/syscalls.c): the child first widens a narrowed mask
// (taskset -c 0), and the test skips where the cpuset keeps it narrow.
TEST(sched_setattr, deadline_as_root, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::run_in_child(
        [](void*) {
            u64 all[16];
            __builtin_memset(all, 0xff, sizeof all);
            ASSERT_OK(sys::sched_setaffinity(0, sizeof all, all));
            int online = online_cpus();
            if (online > 0 && affinity_cpus() < online) sys::exit_group(mm::kSkipStatus);
            sched_attr a = deadline_attr(1 * kMs, 10 * kMs, 10 * kMs);
            ASSERT_OK(sys::sched_setattr(0, &a, 0));
            sched_attr b{};
            ASSERT_OK(sys::sched_getattr(0, &b, sizeof b, 0));
            EXPECT_EQ(long(b.sched_policy), SCHED_DEADLINE);
            EXPECT_EQ(long(b.sched_runtime), long(1 * kMs));
            EXPECT_EQ(long(b.sched_deadline), long(10 * kMs));
            EXPECT_EQ(long(b.sched_period), long(10 * kMs));
            EXPECT_EQ(sys::sched_getscheduler(0), SCHED_DEADLINE);
        },
        nullptr,
        "needs an affinity mask spanning every online CPU (SCHED_DEADLINE admission); the "
        "cpuset allows fewer");
}
