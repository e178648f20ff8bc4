// SPDX-License-Identifier: MIT
// sched_yield(2), sched_get_priority_max(2), sched_get_priority_min(2),
// sched_rr_get_interval(2): yield always succeeds; the priority range of
// each policy (Linux's exact values, POSIX's 32-level minimum for the
// real-time ones); invalid policies; the round-robin quantum of SCHED_RR
// (CAP_SYS_NICE, in a child), zero for SCHED_FIFO, and the EINVAL/ESRCH/EFAULT cases.
// sched_yield's effect is checked where it is deterministic: two SCHED_FIFO
// threads pinned to one CPU (CAP_SYS_NICE, in a child) alternate at each
// yield at equal priority, and a yield never lets a lower priority in.
// Without privilege only its result is checked, also from many threads at
// once (tests/thread/clone_thread.cpp has a SCHED_OTHER ping-pong).
// Left out: SCHED_DEADLINE's yield (gives up the rest of the runtime; needs
// admission control to be predictable).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_sched.hpp"
#include "tests/mm/mm_util.hpp"
#include "tests/thread/thread_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;

namespace {

struct Policy {
    const char* label;
    int policy;
    long max;
    long min;
};
constexpr Policy kPolicies[] = {
    {"SCHED_OTHER", SCHED_OTHER, 0, 0}, {"SCHED_FIFO", SCHED_FIFO, 99, 1},
    {"SCHED_RR", SCHED_RR, 99, 1},      {"SCHED_BATCH", SCHED_BATCH, 0, 0},
    {"SCHED_IDLE", SCHED_IDLE, 0, 0},   {"SCHED_DEADLINE", SCHED_DEADLINE, 0, 0},
};
constexpr Policy kRealtime[] = {{"SCHED_FIFO", SCHED_FIFO, 99, 1}, {"SCHED_RR", SCHED_RR, 99, 1}};

struct Value {
    const char* label;
    int value;
};
constexpr Value kBadPolicies[] = {
    {"policy=-1", -1},           {"policy=4", 4},
    {"policy=42", 42},           {"policy=INT_MAX", INT_MAX},
    {"policy=INT_MIN", INT_MIN}, {"FIFO|RESET_ON_FORK", SCHED_FIFO | SCHED_RESET_ON_FORK},
};
constexpr Value kNegativePids[] = {{"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
constexpr Value kGonePids[] = {{"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT", mm::kPidMaxLimit}};

struct Ptr {
    const char* label;
    u64 addr;
};
constexpr Ptr kBadPointers[] = {{"NULL", 0}, {"kernel_address", 0xffff800000000000ull}};

// Runs in a child at `policy`/`prio` (CAP_SYS_NICE) and reads its own quantum.
struct Quantum {
    int policy;
    timespec ts;
};
void quantum_in_child(void* a) {
    auto* q = static_cast<Quantum*>(a);
    sched_param sp{1};
    ASSERT_OK(sys::sched_setscheduler(0, q->policy, &sp));
    timespec ts{-1, -1};
    EXPECT_OK(sys::sched_rr_get_interval(0, &ts));
    if (q->policy == SCHED_RR) {
        EXPECT_TRUE(ts.tv_sec > 0 || ts.tv_nsec > 0);
        EXPECT_LT(ts.tv_sec, 10);
    } else {
        EXPECT_EQ(ts.tv_sec, 0);
        EXPECT_EQ(ts.tv_nsec, 0);
    }
}

}  // namespace

// sched_yield(2), POSIX: "The sched_yield() function shall return 0" — every
// time.
// EXCLUSIVE: on a sandbox that gives the CPU away at each yield (gVisor), the tests beside it
// stretched 1,000 yields past 20 s. For the same reason (and SCHED_IDLE on a
// busy machine, where each yield may wait out another task's time slice) it
// stops after 200 ms, once it has made 10 calls.
TEST(sched_yield, always_returns_zero, POSITIVE, PSE51, .flags = kc::EXCLUSIVE) {
    long r = 0;
    i64 end = kc::now_ns() + 200 * kMs;
    for (int i = 0; i < 1000 && r == 0 && (i < 10 || kc::now_ns() < end); ++i)
        r = sys::sched_yield();
    EXPECT_RET(r, 0);  // the first non-zero result, if any
}

namespace {

struct Yielder {
    int go;
    int calls, bad;  // sched_yield calls made, and those that did not return 0
    i64 end;         // stop after 10 calls once this time has passed
};
void yield_many(void* p) {
    auto* y = static_cast<Yielder*>(p);
    while (!__atomic_load_n(&y->go, __ATOMIC_ACQUIRE)) sys::sched_yield();
    for (int i = 0; i < 300 && (i < 10 || kc::now_ns() < y->end); ++i) {
        if (sys::sched_yield() != 0) ++y->bad;
        ++y->calls;
    }
}

}  // namespace

// sched_yield(2), POSIX: it returns 0 in every thread, also when four
// threads of the process yield at the same time.
// EXCLUSIVE: as always_returns_zero; the threads also count against RLIMIT_NPROC.
TEST(sched_yield, concurrent_threads_return_zero, POSITIVE, PSE51, .flags = kc::EXCLUSIVE) {
    constexpr int N = 4;
    Yielder y[N]{};
    thread::Thread t[N];
    int n = 0;
    for (; n < N && thread::thread_start(t[n], yield_many, &y[n]) > 0; ++n) {
    }
    for (int i = 0; i < n; ++i) {
        y[i].end = kc::now_ns() + 500 * kMs;
        __atomic_store_n(&y[i].go, 1, __ATOMIC_RELEASE);
    }
    for (int i = 0; i < n; ++i) thread::thread_join(t[i]);
    ASSERT_GT(n, 0);
    for (int i = 0; i < n; ++i) {
        EXPECT_GE(y[i].calls, 10);
        EXPECT_EQ(y[i].bad, 0);
    }
}

namespace {

// Exit statuses of the SCHED_FIFO children below.
constexpr int kFifoRefused = 99, kNoThread = 98;

// In a child: pins this thread to the first CPU it may use and makes it
// SCHED_FIFO at priority 1 (exits kFifoRefused when refused: CAP_SYS_NICE
// without real-time runtime in its cgroup).
void pin_fifo() {
    u64 mask[16] = {};
    long n = sys::sched_getaffinity(0, sizeof mask, mask);
    int cpu = 0;
    while (n > 0 && cpu < 1024 && !(mask[cpu / 64] >> (cpu % 64) & 1)) ++cpu;
    u64 one[16] = {};
    one[cpu / 64] = 1ull << (cpu % 64);
    sched_param sp{1};
    if (n <= 0 || sys::sched_setaffinity(0, sizeof one, one) != 0 ||
        sys::sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
        sys::exit_group(kFifoRefused);
}

// Runs body() in a forked child and checks it exited 0; skips when the
// child could not become SCHED_FIFO.
void fifo_child(int (*body)()) {
    kc::require_cap(CAP_SYS_NICE);
    // A tracer (strace -f) stops each thread at every system call and wakes
    // it from another CPU: the order of a strict FIFO hand-over is its.
    kc::require_no_tracer();
    long pid = sys::fork();
    if (pid == 0) {
        pin_fifo();
        sys::exit_group(body());
    }
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (st == kFifoRefused << 8)
        kc::skip("needs SCHED_FIFO on one CPU: sched_setaffinity or sched_setscheduler refused");
    EXPECT_EQ(st, 0);
}

constexpr int kTurns = 100;
volatile int g_turn;

}  // namespace

// sched_yield(2): "The thread is moved to the end of the queue for its
// static priority and a new thread gets to run". Two SCHED_FIFO threads of
// equal priority on one CPU therefore strictly alternate: each yield of
// the main thread runs the other exactly once (it counts and yields back).
// The FIFO threads hold the CPU for well under a millisecond.
TEST(sched_yield, fifo_equal_priority_alternate, POSITIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    fifo_child([] {
        g_turn = 0;
        static thread::Thread t;
        if (thread::thread_start(
                t,
                [](void*) {
                    while (g_turn < kTurns) {
                        g_turn = g_turn + 1;
                        sys::sched_yield();
                    }
                },
                nullptr) <= 0)
            return kNoThread;
        int bad = 0;
        for (int i = 0; i < kTurns; ++i) {
            bad += g_turn != i;
            sys::sched_yield();
            bad += g_turn != i + 1;
        }
        thread::thread_join(t);
        return bad ? 1 : 0;
    });
}

// sched_yield(2): yielding only gives the CPU to threads of the same
// priority: a SCHED_FIFO thread at priority 2 that yields 100 times on its
// CPU never lets a runnable priority-1 thread there run; that thread runs
// once the main thread blocks (joining it).
TEST(sched_yield, fifo_lower_priority_not_run, BOUNDARY, PSE53,
     .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    fifo_child([] {
        g_turn = 0;
        static thread::Thread t;
        if (thread::thread_start(
                t, [](void*) { g_turn = 1; }, nullptr) <= 0)
            return kNoThread;
        sched_param sp{2};  // this thread only; the new one stays at 1
        if (sys::sched_setscheduler(0, SCHED_FIFO, &sp) != 0) return 2;
        int ran = 0;
        for (int i = 0; i < kTurns; ++i) {
            sys::sched_yield();
            ran += g_turn;
        }
        thread::thread_join(t);
        return ran ? 3 : g_turn == 1 ? 0 : 4;
    });
}

// sched_get_priority_max(2): Linux's values — 99 for SCHED_FIFO and SCHED_RR,
// 0 for the policies without static priorities.
TEST_P(sched_get_priority_max, linux_values, POSITIVE, LINUX, kPolicies) {
    EXPECT_RET(sys::sched_get_priority_max(row.policy), row.max);
}

// sched_get_priority_max(2), POSIX <sched.h>: SCHED_FIFO and SCHED_RR have
// "at least 32 priorities" (max - min >= 31).
TEST_P(sched_get_priority_max, realtime_range_at_least_32, POSITIVE, PSE51, kRealtime) {
    long hi = sys::sched_get_priority_max(row.policy);
    long lo = sys::sched_get_priority_min(row.policy);
    EXPECT_OK(hi);
    EXPECT_OK(lo);
    EXPECT_GE(hi - lo, 31);
}

// sched_get_priority_max(2), POSIX EINVAL: "The value of the policy parameter
// does not represent a defined scheduling policy".
TEST_P(sched_get_priority_max, invalid_policy_einval, NEGATIVE, PSE51, kBadPolicies) {
    EXPECT_ERR(sys::sched_get_priority_max(row.value), EINVAL);
}

// sched_get_priority_min(2): Linux's values — 1 for SCHED_FIFO and SCHED_RR,
// 0 for the others.
TEST_P(sched_get_priority_min, linux_values, POSITIVE, LINUX, kPolicies) {
    EXPECT_RET(sys::sched_get_priority_min(row.policy), row.min);
}

// sched_get_priority_min(2), POSIX EINVAL: as for sched_get_priority_max.
TEST_P(sched_get_priority_min, invalid_policy_einval, NEGATIVE, PSE51, kBadPolicies) {
    EXPECT_ERR(sys::sched_get_priority_min(row.value), EINVAL);
}

// sched_rr_get_interval(2), POSIX: pid 0 is the caller; the result is a
// valid timespec, the same as for the caller's own pid.
TEST(sched_rr_get_interval, caller_gets_valid_timespec, POSITIVE, PSE53) {
    timespec a{-1, -1}, b{-1, -1};
    EXPECT_OK(sys::sched_rr_get_interval(0, &a));
    EXPECT_OK(sys::sched_rr_get_interval(int(sys::getpid()), &b));
    EXPECT_GE(a.tv_sec, 0);
    EXPECT_GE(a.tv_nsec, 0);
    EXPECT_LT(a.tv_nsec, 1000000000);
    EXPECT_GE(b.tv_sec, 0);
    EXPECT_LT(b.tv_nsec, 1000000000);
}

// sched_rr_get_interval(2), POSIX: for a SCHED_RR process it gives the
// (positive) time quantum; Linux's default is 100 ms.
TEST(sched_rr_get_interval, round_robin_quantum_positive, POSITIVE, PSE53,
     .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    Quantum q{SCHED_RR, {}};
    mm::run_in_child(quantum_in_child, &q, "");
}

// sched_rr_get_interval(2): a SCHED_FIFO task has no quantum: Linux reports 0.
TEST(sched_rr_get_interval, fifo_quantum_zero, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    Quantum q{SCHED_FIFO, {}};
    mm::run_in_child(quantum_in_child, &q, "");
}

// sched_rr_get_interval(2): works for another process of the same user.
TEST(sched_rr_get_interval, other_process, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::Sleeper s = mm::start_sleeper();
    timespec ts{-1, -1};
    EXPECT_OK(sys::sched_rr_get_interval(int(s.pid), &ts));
    EXPECT_GE(ts.tv_sec, 0);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_rr_get_interval(2) EINVAL: "Invalid pid" — a negative one (Linux).
TEST_P(sched_rr_get_interval, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    timespec ts{};
    EXPECT_ERR(sys::sched_rr_get_interval(row.value, &ts), EINVAL);
}

// sched_rr_get_interval(2), POSIX ESRCH: "No process can be found
// corresponding to that specified by pid".
TEST_P(sched_rr_get_interval, nonexistent_pid_esrch, NEGATIVE, PSE53, kGonePids) {
    timespec ts{};
    EXPECT_ERR(sys::sched_rr_get_interval(row.value, &ts), ESRCH);
}

// sched_rr_get_interval(2) EFAULT: "Problem with copying information to user
// space".
TEST_P(sched_rr_get_interval, bad_pointer_efault, NEGATIVE, LINUX, kBadPointers) {
    EXPECT_ERR(sys::sched_rr_get_interval(0, reinterpret_cast<timespec*>(row.addr)), EFAULT);
}
