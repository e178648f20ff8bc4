// SPDX-License-Identifier: MIT
// getrusage(2): RUSAGE_SELF, RUSAGE_CHILDREN and RUSAGE_THREAD; invalid
// targets and pointers; CPU times that grow with work, children counted once
// waited for, page faults, voluntary context switches, maximum RSS.
// getrusage is XSI (in no PSE profile) and RUSAGE_THREAD is Linux-only, so
// most tests are tagged LINUX.
// Not covered: fields Linux leaves zero (ixrss, idrss, isrss, nswap,
// msgsnd, msgrcv, nsignals), block I/O counts (depend on the file system).
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

// Indexes into rusage::fields (after ru_utime and ru_stime).
enum { MAXRSS = 0, MINFLT = 4, MAJFLT = 5, NVCSW = 12, NIVCSW = 13 };

static i64 cpu_ns(const rusage& r) { return time::ns_of(r.ru_utime) + time::ns_of(r.ru_stime); }

struct Who {
    const char* label;
    int who;
};
constexpr Who kWho[] = {
    {"RUSAGE_SELF", RUSAGE_SELF},
    {"RUSAGE_CHILDREN", RUSAGE_CHILDREN},
    {"RUSAGE_THREAD", RUSAGE_THREAD},
};
// getrusage(2): each valid target fills the structure with normalized times
// and non-negative counters.
TEST_P(getrusage, valid_who_fills, POSITIVE, LINUX, kWho) {
    rusage r;
    __builtin_memset(&r, 0xa5, sizeof r);
    ASSERT_RET(sys::getrusage(row.who, &r), 0);
    EXPECT_GE(r.ru_utime.tv_usec, 0);
    EXPECT_LT(r.ru_utime.tv_usec, 1000000);
    EXPECT_GE(r.ru_stime.tv_usec, 0);
    EXPECT_LT(r.ru_stime.tv_usec, 1000000);
    EXPECT_GE(r.ru_utime.tv_sec, 0);
    for (long f : r.fields) EXPECT_GE(f, 0);
}

constexpr Who kBadWho[] = {
    {"who=2", 2},
    {"who=-2", -2},
    {"who=100", 100},
    {"who=INT_MAX", INT_MAX},
    {"who=INT_MIN", INT_MIN},
};
// getrusage(2): any other target is EINVAL.
TEST_P(getrusage, invalid_who_einval, NEGATIVE, LINUX, kBadWho) {
    rusage r;
    EXPECT_ERR(sys::getrusage(row.who, &r), EINVAL);
}

// getrusage(2): an unwritable buffer is EFAULT.
TEST_P(getrusage, bad_pointer_efault, NEGATIVE, LINUX, kWho) {
    EXPECT_ERR(sys::getrusage(row.who, reinterpret_cast<rusage*>(common::kBadPtr)), EFAULT);
}

constexpr Who kSelf[] = {{"RUSAGE_SELF", RUSAGE_SELF}, {"RUSAGE_THREAD", RUSAGE_THREAD}};

namespace {
struct Sample {
    int who;
    rusage before, now;
};
// For time::need_cpu: the user CPU time has grown since s->before.
bool user_time_grew(void* p) {
    auto* s = static_cast<Sample*>(p);
    return sys::getrusage(s->who, &s->now) == 0 &&
           time::ns_of(s->now.ru_utime) > time::ns_of(s->before.ru_utime);
}
}  // namespace

// getrusage(2): busy work in user space raises the user CPU time, and
// user + system time by about the CPU time used (10 ms spun, at least 5).
// Linux splits the time between user and system by sampling at ticks, so the
// spin goes on (up to 500 ms) until a tick has seen it in user mode.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST_P(getrusage, user_time_grows_with_work, POSITIVE, LINUX, kSelf,
       .flags = kc::EXCLUSIVE | kc::SLOW) {
    Sample s{row.who, {}, {}};
    ASSERT_RET(sys::getrusage(row.who, &s.before), 0);
    time::need_cpu(10 * kMs);
    time::need_cpu(490 * kMs, user_time_grew, &s);
    const rusage &before = s.before, &after = s.now;
    ASSERT_RET(sys::getrusage(row.who, &s.now), 0);
    EXPECT_GT(time::ns_of(after.ru_utime), time::ns_of(before.ru_utime));
    EXPECT_GE(cpu_ns(after) - cpu_ns(before), 5 * kMs);
}

// getrusage(2): the calling thread's usage is part of its process's.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(getrusage, thread_within_self, POSITIVE, LINUX, .flags = kc::EXCLUSIVE) {
    rusage thread, self;
    time::spin_cpu(kMs);
    ASSERT_RET(sys::getrusage(RUSAGE_THREAD, &thread), 0);
    ASSERT_RET(sys::getrusage(RUSAGE_SELF, &self), 0);
    EXPECT_LE(cpu_ns(thread), cpu_ns(self));
    EXPECT_LE(thread.fields[MINFLT], self.fields[MINFLT]);
}

// getrusage(2): RUSAGE_CHILDREN counts children that terminated and were
// waited for: a child's 10 ms of work shows after wait.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(getrusage, children_counted_after_wait, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::EXCLUSIVE | kc::SLOW) {
    rusage before, after;
    ASSERT_RET(sys::getrusage(RUSAGE_CHILDREN, &before), 0);
    i64 work = 10 * kMs;
    long pid = kc::spawn(time::spin_child, &work);
    ASSERT_GT(pid, 0);
    time::wait_spinner(pid);
    EXPECT_CHILD_OK(pid);
    ASSERT_RET(sys::getrusage(RUSAGE_CHILDREN, &after), 0);
    EXPECT_GE(cpu_ns(after) - cpu_ns(before), 5 * kMs);
}

// getrusage(2): a new process starts with no children's usage.
TEST(getrusage, new_process_has_no_children_usage, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            rusage r;
            __builtin_memset(&r, 0xa5, sizeof r);
            ASSERT_RET(sys::getrusage(RUSAGE_CHILDREN, &r), 0);
            EXPECT_EQ(cpu_ns(r), 0);
            EXPECT_EQ(r.fields[MINFLT], 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// getrusage(2): touching fresh anonymous pages counts minor faults.
TEST(getrusage, minor_faults_count_page_touches, POSITIVE, LINUX) {
    constexpr usize kPages = 16;
    long p = sys::mmap(nullptr, kPages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    ASSERT_OK(p);
    // One fault per page: no (multi-size) transparent huge pages here.
    sys::madvise(reinterpret_cast<void*>(p), kPages * 4096, MADV_NOHUGEPAGE);
    rusage before, after;
    sys::getrusage(RUSAGE_THREAD, &before);
    for (usize i = 0; i < kPages; ++i) reinterpret_cast<volatile char*>(p)[i * 4096] = 1;
    sys::getrusage(RUSAGE_THREAD, &after);
    sys::munmap(reinterpret_cast<void*>(p), kPages * 4096);
    EXPECT_GE(after.fields[MINFLT] - before.fields[MINFLT], long(kPages));
}

// getrusage(2): a sleep is a voluntary context switch (ru_nvcsw). A thread
// preempted between arming the sleep's timer and blocking may find it
// expired and not block at all (a loaded VM did, once): up to five sleeps.
TEST(getrusage, sleep_counts_voluntary_switch, POSITIVE, LINUX) {
    rusage before, after;
    ASSERT_RET(sys::getrusage(RUSAGE_THREAD, &before), 0);
    after = before;
    for (int i = 0; i < 5 && after.fields[NVCSW] == before.fields[NVCSW]; ++i) {
        timespec req{0, kMs};
        sys::nanosleep(&req, nullptr);
        ASSERT_RET(sys::getrusage(RUSAGE_THREAD, &after), 0);
    }
    EXPECT_GE(after.fields[NVCSW] - before.fields[NVCSW], 1);
}

// getrusage(2): the maximum resident set size (in KiB) of a running process
// covers the pages it touched (1 MiB here; half of it is required because
// Linux reads its RSS counters approximately).
TEST(getrusage, maxrss_covers_touched_pages, POSITIVE, LINUX) {
    constexpr usize kLen = 256 * 4096;
    long p = sys::mmap(nullptr, kLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(p);
    for (usize i = 0; i < kLen; i += 4096) reinterpret_cast<volatile char*>(p)[i] = 1;
    rusage r;
    sys::getrusage(RUSAGE_SELF, &r);
    sys::munmap(reinterpret_cast<void*>(p), kLen);
    EXPECT_GE(r.fields[MAXRSS], long(kLen / 2048));
}
