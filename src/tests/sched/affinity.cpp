// SPDX-License-Identifier: MIT
// sched_getaffinity(2), sched_setaffinity(2), getcpu(2) (Linux): the raw
// calls (sched_getaffinity returns the number of mask bytes it wrote), mask
// round trips on the caller and on another process, inheritance across fork,
// short masks, getcpu following the mask, and the EINVAL/ESRCH/EFAULT/EPERM
// cases. Masks are only ever changed in child processes.
// Left out: cpuset cgroup interaction and CPU hotplug (host configuration).
#include "harness/test.hpp"
#include "rt/sys_sched.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize kMaskBytes = 128;  // 1024 CPUs
struct Mask {
    u64 w[kMaskBytes / 8];
};

struct Value {
    const char* label;
    int value;
};
constexpr Value kGonePids[] = {
    {"pid=-1", -1}, {"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT", mm::kPidMaxLimit}};

struct Ptr {
    const char* label;
    u64 addr;
};
constexpr Ptr kBadPointers[] = {{"NULL", 0}, {"kernel_address", 0xffff800000000000ull}};

// The caller's mask, ending the test when it cannot be read.
Mask own_mask() {
    Mask m{};
    ASSERT_OK(sys::sched_getaffinity(0, sizeof m, &m));
    return m;
}

// The lowest CPU in m, or -1.
int lowest_cpu(const Mask& m) {
    for (usize i = 0; i < kMaskBytes * 8; ++i)
        if (m.w[i / 64] >> (i % 64) & 1) return int(i);
    return -1;
}

bool has_cpu(const Mask& m, unsigned cpu) {
    return cpu < kMaskBytes * 8 && (m.w[cpu / 64] >> (cpu % 64) & 1);
}

Mask only(int cpu) {
    Mask m{};
    m.w[cpu / 64] = 1ull << (cpu % 64);
    return m;
}

bool same(const Mask& a, const Mask& b) { return __builtin_memcmp(&a, &b, sizeof a) == 0; }

// In a child (it moves the caller): the highest CPU above 0 that
// sched_setaffinity accepts alone, trying each from the top (EINVAL: "no
// processors that are currently physically on the system and permitted to
// the thread"); -1 when there is none.
int highest_settable_cpu() {
    for (int cpu = int(kMaskBytes * 8) - 1; cpu > 0; --cpu) {
        Mask m = only(cpu);
        if (sys::sched_setaffinity(0, sizeof m, &m) == 0) return cpu;
    }
    return -1;
}

}  // namespace

// sched_getaffinity(2): the raw call returns the size in bytes of the
// kernel's CPU mask (a multiple of sizeof(long), at most len) and writes
// only that much; the mask names at least one CPU.
TEST(sched_getaffinity, returns_bytes_written, POSITIVE, LINUX) {
    u8 buf[kMaskBytes];
    __builtin_memset(buf, 0xaa, sizeof buf);
    long r = sys::sched_getaffinity(0, sizeof buf, buf);
    ASSERT_OK(r);
    EXPECT_GT(r, 0);
    EXPECT_LE(r, long(sizeof buf));
    EXPECT_EQ(r % 8, 0);
    bool any = false;
    for (long i = 0; i < r; ++i) any |= buf[i] != 0;
    EXPECT_TRUE(any);
    for (long i = r; i < long(sizeof buf); ++i) {
        if (buf[i] != 0xaa) {
            EXPECT_EQ(buf[i], 0xaa);
            break;
        }
    }
}

constexpr Value kBadLengths[] = {{"len=0", 0}, {"len=1", 1}, {"len=4", 4},
                                 {"len=7", 7}, {"len=9", 9}, {"len=12", 12}};

// sched_getaffinity(2) EINVAL: "cpusetsize is smaller than the size of the
// affinity mask used by the kernel" — and, for the raw call, not a multiple
// of sizeof(long).
TEST_P(sched_getaffinity, bad_length_einval, NEGATIVE, LINUX, kBadLengths) {
    Mask m{};
    EXPECT_ERR(sys::sched_getaffinity(0, usize(row.value), &m), EINVAL);
}

// sched_getaffinity(2) ESRCH: "The thread whose ID is pid could not be
// found" — also for a negative pid (unlike sched_getscheduler, whose answer
// is EINVAL).
TEST_P(sched_getaffinity, nonexistent_pid_esrch, NEGATIVE, LINUX, kGonePids) {
    Mask m{};
    EXPECT_ERR(sys::sched_getaffinity(row.value, sizeof m, &m), ESRCH);
}

// sched_getaffinity(2) EFAULT: "A supplied memory address was invalid".
TEST_P(sched_getaffinity, bad_pointer_efault, NEGATIVE, LINUX, kBadPointers) {
    EXPECT_ERR(sys::sched_getaffinity(0, kMaskBytes, reinterpret_cast<void*>(row.addr)), EFAULT);
}

// sched_getaffinity(2) of another process: a forked child has the caller's
// mask.
TEST(sched_getaffinity, child_inherits_mask, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Mask mine = own_mask();
    mm::Sleeper s = mm::start_sleeper();
    Mask theirs{};
    EXPECT_OK(sys::sched_getaffinity(int(s.pid), sizeof theirs, &theirs));
    EXPECT_TRUE(same(theirs, mine));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_setaffinity(2): a child pins itself to one CPU; sched_getaffinity
// returns exactly that mask and getcpu reports that CPU (the move is done
// before the call returns).
TEST(sched_setaffinity, round_trip_moves_caller, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            int cpu = lowest_cpu(own_mask());
            Mask want = only(cpu);
            ASSERT_OK(sys::sched_setaffinity(0, sizeof want, &want));
            EXPECT_TRUE(same(own_mask(), want));
            unsigned now = ~0u;
            EXPECT_OK(sys::getcpu(&now, nullptr));
            EXPECT_EQ(long(now), cpu);
        },
        nullptr, "");
}

// sched_setaffinity(2): pinned to the highest CPU it may use (found by
// sched_setaffinity itself, not by reading the mask back), a child reads
// back exactly that mask and runs there. Unlike the lowest CPU, the highest
// is not what a kernel reporting CPU 0 for every mask happens to echo.
TEST(sched_setaffinity, round_trip_highest_cpu, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            int cpu = highest_settable_cpu();
            if (cpu < 0) sys::exit_group(mm::kSkipStatus);
            EXPECT_TRUE(same(own_mask(), only(cpu)));
            unsigned now = ~0u;
            EXPECT_OK(sys::getcpu(&now, nullptr));
            EXPECT_EQ(long(now), cpu);
        },
        nullptr, "this process may run on CPU 0 alone");
}

// sched_setaffinity(2) on another process: the child's mask changes, the
// caller's does not; a grandchild inherits the new mask.
TEST(sched_setaffinity, other_process_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Mask mine = own_mask();
    Mask want = only(lowest_cpu(mine));
    mm::Sleeper s = mm::start_sleeper();
    EXPECT_OK(sys::sched_setaffinity(int(s.pid), sizeof want, &want));
    Mask theirs{};
    EXPECT_OK(sys::sched_getaffinity(int(s.pid), sizeof theirs, &theirs));
    EXPECT_TRUE(same(theirs, want));
    EXPECT_TRUE(same(own_mask(), mine));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_setaffinity(2): "A child created via fork(2) inherits its parent's
// CPU affinity mask".
TEST(sched_setaffinity, inherited_across_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            Mask want = only(lowest_cpu(own_mask()));
            ASSERT_OK(sys::sched_setaffinity(0, sizeof want, &want));
            long pid = kc::spawn(
                [](void* w) { EXPECT_TRUE(same(own_mask(), *static_cast<Mask*>(w))); }, &want);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, "");
}

struct Len {
    const char* label;
    int len;
};
constexpr Len kShortLengths[] = {{"len=1", 1}, {"len=4", 4}};

// sched_setaffinity(2): a mask shorter than the kernel's is accepted; the
// missing CPUs count as not set.
TEST_P(sched_setaffinity, short_mask_accepted, BOUNDARY, LINUX, kShortLengths,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            int len = *static_cast<const int*>(a);
            int cpu = lowest_cpu(own_mask());
            if (cpu >= len * 8) sys::exit_group(mm::kSkipStatus);
            Mask want = only(cpu);
            ASSERT_OK(sys::sched_setaffinity(0, usize(len), &want));
            EXPECT_TRUE(same(own_mask(), want));
        },
        const_cast<int*>(&row.len), "the first allowed CPU is beyond a short mask");
}

constexpr Len kEmptyMasks[] = {{"all_zero", 0}, {"len=0", 1}, {"only_cpus_beyond_kernel_mask", 2}};

// sched_setaffinity(2) EINVAL: "The affinity bit mask mask contains no
// processors that are currently physically on the system and permitted to
// the thread" — an empty mask, a zero length, or only CPUs past the
// kernel's mask; the mask is unchanged.
TEST_P(sched_setaffinity, empty_mask_einval, NEGATIVE, LINUX, kEmptyMasks,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            int kind = *static_cast<const int*>(a);
            Mask before = own_mask();
            Mask m{};
            usize len = sizeof m;
            if (kind == 1) {
                m = before;
                len = 0;
            } else if (kind == 2) {
                long kbytes = sys::sched_getaffinity(0, sizeof m, &m);
                ASSERT_OK(kbytes);
                if (kbytes >= long(sizeof m)) sys::exit_group(mm::kSkipStatus);
                m = Mask{};
                m.w[kbytes / 8] = 1;  // first CPU the kernel's mask cannot hold
            }
            EXPECT_ERR(sys::sched_setaffinity(0, len, &m), EINVAL);
            EXPECT_TRUE(same(own_mask(), before));
        },
        const_cast<int*>(&row.len), "the kernel's CPU mask fills the test's buffer");
}

// sched_setaffinity(2) ESRCH: no thread with that pid (a negative pid too).
TEST_P(sched_setaffinity, nonexistent_pid_esrch, NEGATIVE, LINUX, kGonePids) {
    Mask m = own_mask();
    EXPECT_ERR(sys::sched_setaffinity(row.value, sizeof m, &m), ESRCH);
}

// sched_setaffinity(2) EFAULT: "A supplied memory address was invalid".
TEST_P(sched_setaffinity, bad_pointer_efault, NEGATIVE, LINUX, kBadPointers) {
    EXPECT_ERR(sys::sched_setaffinity(0, kMaskBytes, reinterpret_cast<void*>(row.addr)), EFAULT);
}

// sched_setaffinity(2) EPERM: "The caller needs an effective user ID equal to
// the real user ID or effective user ID of the thread identified by pid, or
// it must possess the CAP_SYS_NICE capability" — here the test's child,
// seen from a child that became another user.
TEST(sched_setaffinity, other_user_process_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    mm::Sleeper s = mm::start_sleeper();
    Mask before{};
    EXPECT_OK(sys::sched_getaffinity(int(s.pid), sizeof before, &before));
    mm::run_in_child(
        [](void* a) {
            ASSERT_TRUE(kc::become_other_user());
            mm::drop_privilege();
            Mask m = own_mask();
            EXPECT_ERR(sys::sched_setaffinity(int(*static_cast<long*>(a)), sizeof m, &m), EPERM);
        },
        &s.pid, "the kernel refuses to drop capabilities");
    Mask after{};
    EXPECT_OK(sys::sched_getaffinity(int(s.pid), sizeof after, &after));
    EXPECT_TRUE(same(after, before));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_getaffinity(2) and getcpu(2): the CPU the caller runs on is in its
// affinity mask.
TEST(getcpu, cpu_in_affinity_mask, POSITIVE, LINUX) {
    Mask m = own_mask();
    unsigned cpu = ~0u, node = ~0u;
    ASSERT_OK(sys::getcpu(&cpu, &node));
    EXPECT_TRUE(has_cpu(m, cpu));
    EXPECT_NE(long(node), long(~0u));
}

// getcpu(2): both pointers may be NULL.
TEST(getcpu, null_pointers_allowed, BOUNDARY, LINUX) { EXPECT_OK(sys::getcpu(nullptr, nullptr)); }

// getcpu(2) EFAULT: "Arguments point outside the calling process's address
// space".
TEST(getcpu, kernel_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::getcpu(reinterpret_cast<unsigned*>(0xffff800000000000ull), nullptr), EFAULT);
}
