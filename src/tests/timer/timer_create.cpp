// SPDX-License-Identifier: MIT
// timer_create(2) and timer_delete(2): POSIX per-process timers. Delivery
// (SIGEV_SIGNAL with si_code SI_TIMER and sigev_value, the NULL-sevp
// default, SIGEV_NONE, Linux's SIGEV_THREAD_ID), the clocks a timer can use
// (including CPU-time clocks that advance only with work), validation of the
// clock, notification and signal, ids (distinct, not inherited by fork,
// invalid after delete) and a 10,000-timer create/delete leak check.
// The signal is blocked and collected with rt_sigtimedwait; every test
// deletes its timers and drains the signal before it ends (in
// --isolate=none the harness would otherwise receive it).
// Not covered: SIGEV_THREAD (a libc feature: the kernel treats it as
// SIGEV_SIGNAL), CLOCK_*_ALARM (RTC and CAP_WAKE_ALARM), RLIMIT_SIGPENDING
// exhaustion.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/time/time_util.hpp"

using time::kMs;
using time::kSec;

constexpr int kSig = SIGRTMIN + 2;

static sigevent event(int notify, int signo, long value = 0) {
    sigevent ev{};
    ev.sigev_notify = notify;
    ev.sigev_signo = signo;
    ev.sigev_value = u64(value);
    ev.tid = int(sys::gettid());
    return ev;
}

// timer_create(clk, ev) must fail with err (a timer made anyway is deleted).
static void expect_create_fails(int clk, sigevent* ev, int err) {
    int id;
    long r = sys::timer_create(clk, ev, &id);
    if (r == 0) sys::timer_delete(id);
    EXPECT_ERR(r, err);
}

// Creates a CLOCK_MONOTONIC timer from ev (NULL: the default), lets it fire
// once after 1 ms with sig blocked, deletes it; returns the wait result.
static long fire_once(sigevent* ev, int sig, siginfo* si, int* id) {
    time::block(sig);
    ASSERT_OK(sys::timer_create(CLOCK_MONOTONIC, ev, id));
    time::arm_timer(*id, kMs);
    long r = time::wait_signal(sig, si, kSec);
    sys::timer_delete(*id);
    time::drain(sig);
    return r;
}

// sig arrived, sent by a timer whose sigev_value is `value`.
static void expect_timer_signal(long r, const siginfo& si, int sig, long value) {
    EXPECT_EQ(r, sig);
    EXPECT_EQ(si.si_signo, sig);
    EXPECT_EQ(si.si_code, SI_TIMER);
    EXPECT_EQ(time::si_value(si), value);
}

// timer_create(2), POSIX: SIGEV_SIGNAL delivers the chosen signal with
// si_code SI_TIMER and the sigev_value given at creation.
TEST(timer_create, signal_carries_code_and_value, POSITIVE, PSE51) {
    sigevent ev = event(SIGEV_SIGNAL, kSig, 0x123456789abcL);
    siginfo si{};
    int id;
    long r = fire_once(&ev, kSig, &si, &id);
    expect_timer_signal(r, si, kSig, 0x123456789abcL);
}

// timer_create(2): Linux's siginfo for a timer also names the timer
// (si_timerid, equal to the id the system call returned) and its overrun.
TEST(timer_create, signal_names_timer, POSITIVE, LINUX) {
    sigevent ev = event(SIGEV_SIGNAL, kSig);
    siginfo si{};
    int id;
    EXPECT_EQ(fire_once(&ev, kSig, &si, &id), kSig);
    EXPECT_EQ(time::si_timerid(si), id);
    EXPECT_EQ(time::si_overrun(si), 0);
}

namespace {
siginfo g_first_info;
volatile int g_timer_hits;
void keep_first_info(int, siginfo* si, void*) {
    int n = g_timer_hits;
    if (n == 0) g_first_info = *si;
    g_timer_hits = n + 1;
}
}  // namespace

// timer_create(2), POSIX: a timer's signal reaches an SA_SIGINFO handler
// with what sigwaitinfo would see: si_code SI_TIMER and the sigev_value,
// and on Linux si_timerid and si_overrun, the expiries that came while the
// signal was pending (a 1 ms periodic timer with its signal blocked for
// 20 ms: at least 10), which timer_getoverrun then reports too.
TEST(timer_create, handler_gets_timer_siginfo, POSITIVE, LINUX) {
    signal::block(sigbit(kSig));
    g_timer_hits = 0;
    ASSERT_OK(signal::set_action(kSig, reinterpret_cast<void*>(keep_first_info), SA_SIGINFO));
    int id;
    ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, kSig, 0x7e57, &id));
    ASSERT_OK(time::arm_timer(id, kMs, kMs));
    common::sleep_ms(20);
    EXPECT_TRUE(time::is_pending(kSig));
    signal::unblock(sigbit(kSig));  // delivered before this returns
    signal::block(sigbit(kSig));
    int hits = g_timer_hits;
    long overrun = sys::timer_getoverrun(id);
    sys::timer_delete(id);
    time::drain(kSig);
    ASSERT_GE(hits, 1);
    const siginfo& si = g_first_info;
    EXPECT_EQ(si.si_signo, kSig);
    EXPECT_EQ(si.si_code, SI_TIMER);
    EXPECT_EQ(time::si_value(si), 0x7e57);
    EXPECT_EQ(time::si_timerid(si), id);
    EXPECT_GE(time::si_overrun(si), 10);
    if (hits == 1) EXPECT_EQ(overrun, time::si_overrun(si));
}

// timer_create(2), POSIX: a NULL sevp means SIGEV_SIGNAL with the default
// signal (SIGALRM on Linux) and the timer id as sigev_value.
TEST(timer_create, null_sevp_sends_sigalrm_with_id, POSITIVE, PSE51) {
    siginfo si{};
    int id;
    long r = fire_once(nullptr, SIGALRM, &si, &id);
    expect_timer_signal(r, si, SIGALRM, id);
}

// timer_create(2): SIGEV_THREAD_ID (Linux) sends the signal to the given
// thread of the caller's process.
TEST(timer_create, thread_id_targets_caller, POSITIVE, LINUX) {
    sigevent ev = event(SIGEV_THREAD_ID, kSig, 77);
    siginfo si{};
    int id;
    long r = fire_once(&ev, kSig, &si, &id);
    expect_timer_signal(r, si, kSig, 77);
}

// timer_create(2), POSIX: with SIGEV_NONE nothing is delivered when the
// timer expires, but the timer still runs (timer_gettime shows it expired).
TEST(timer_create, sigev_none_never_signals, POSITIVE, PSE51) {
    time::block(kSig);
    sigevent ev = event(SIGEV_NONE, kSig);
    int id;
    ASSERT_OK(sys::timer_create(CLOCK_MONOTONIC, &ev, &id));
    time::arm_timer(id, kMs);
    timespec req{0, 4 * kMs};
    sys::nanosleep(&req, nullptr);
    itimerspec cur{{-7, -7}, {-7, -7}};
    long g = sys::timer_gettime(id, &cur);
    bool pending = time::is_pending(kSig);
    sys::timer_delete(id);
    time::drain(kSig);
    EXPECT_TRUE(!pending);
    EXPECT_RET(g, 0);
    time::expect_disarmed(cur);
}

struct Signo {
    const char* label;
    int signo;
};
constexpr Signo kAnySigno[] = {{"signo=0", 0}, {"signo=999", 999}, {"signo=-1", -1}};
// timer_create(2): with SIGEV_NONE the signal number is unused, so any
// value is accepted.
TEST_P(timer_create, sigev_none_ignores_signo, BOUNDARY, PSE51, kAnySigno) {
    sigevent ev = event(SIGEV_NONE, row.signo);
    int id = -1;
    EXPECT_RET(sys::timer_create(CLOCK_MONOTONIC, &ev, &id), 0);
    EXPECT_RET(sys::timer_delete(id), 0);
}

struct Tid {
    const char* label;
    int tid;  // -2: the parent process
};
constexpr Tid kBadTids[] = {
    {"tid=0", 0}, {"tid=-1", -1}, {"tid=INT_MAX", INT_MAX}, {"tid=parent", -2}};
// timer_create(2): SIGEV_THREAD_ID needs a thread of the caller's own
// process; any other id (none, or another process) is EINVAL.
TEST_P(timer_create, thread_id_foreign_einval, NEGATIVE, LINUX, kBadTids) {
    sigevent ev = event(SIGEV_THREAD_ID, kSig);
    ev.tid = row.tid;
    if (row.tid == -2) {
        ev.tid = int(sys::getppid());
        if (ev.tid <= 0) kc::skip("no parent process visible");
    }
    expect_create_fails(CLOCK_MONOTONIC, &ev, EINVAL);
}

struct Notify {
    const char* label;
    int notify;
};
constexpr Notify kBadNotify[] = {
    {"notify=3", 3},   {"notify=5", 5},   {"notify=6", 6},
    {"notify=99", 99}, {"notify=-1", -1}, {"notify=INT_MIN", INT_MIN},
};
// timer_create(2), POSIX: EINVAL for an unknown sigev_notify.
TEST_P(timer_create, unknown_notify_einval, NEGATIVE, PSE51, kBadNotify) {
    sigevent ev = event(row.notify, kSig);
    expect_create_fails(CLOCK_MONOTONIC, &ev, EINVAL);
}

struct BadSigno {
    const char* label;
    int notify;
    int signo;
};
constexpr BadSigno kBadSigno[] = {
    {"SIGEV_SIGNAL,signo=0", SIGEV_SIGNAL, 0},
    {"SIGEV_SIGNAL,signo=-1", SIGEV_SIGNAL, -1},
    {"SIGEV_SIGNAL,signo=65", SIGEV_SIGNAL, 65},
    {"SIGEV_SIGNAL,signo=INT_MAX", SIGEV_SIGNAL, INT_MAX},
    {"SIGEV_THREAD_ID,signo=0", SIGEV_THREAD_ID, 0},
};
// timer_create(2), POSIX: EINVAL when the signal to send is not a valid
// signal number.
TEST_P(timer_create, invalid_signo_einval, NEGATIVE, PSE51, kBadSigno) {
    sigevent ev = event(row.notify, row.signo);
    expect_create_fails(CLOCK_MONOTONIC, &ev, EINVAL);
}

// timer_create(2), POSIX: EINVAL for a clock id that names no clock.
TEST_P(timer_create, unknown_clock_einval, NEGATIVE, PSE51, time::kBadClocks) {
    sigevent ev = event(SIGEV_NONE, 0);
    expect_create_fails(row.clk, &ev, EINVAL);
}

constexpr time::Clock kNoTimerClocks[] = {
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
};
// timer_create(2): clocks that exist but cannot drive a timer fail with
// EOPNOTSUPP (the man page's ENOTSUP).
TEST_P(timer_create, clock_without_timers_eopnotsupp, NEGATIVE, LINUX, kNoTimerClocks) {
    sigevent ev = event(SIGEV_NONE, 0);
    expect_create_fails(row.clk, &ev, EOPNOTSUPP);
}

static void creates_disarmed(int clk) {
    int id = -1;
    ASSERT_RET(time::make_timer(clk, kSig, 0, &id), 0);
    EXPECT_GE(id, 0);
    itimerspec cur{{-7, -7}, {-7, -7}};
    EXPECT_RET(sys::timer_gettime(id, &cur), 0);
    time::expect_disarmed(cur);
    EXPECT_RET(sys::timer_delete(id), 0);
}
// timer_create(2), POSIX: a timer on CLOCK_REALTIME or CLOCK_MONOTONIC is
// created disarmed.
TEST_P(timer_create, posix_clock_creates_disarmed, POSITIVE, PSE51, time::kPosixClocks) {
    creates_disarmed(row.clk);
}
// timer_create(2), POSIX CPU-time clocks: timers on the process and thread
// CPU clocks.
TEST_P(timer_create, cpu_clock_creates_disarmed, POSITIVE, PSE53, time::kCpuClocks) {
    creates_disarmed(row.clk);
}
constexpr time::Clock kLinuxTimerClocks[] = {
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
    {"CLOCK_TAI", CLOCK_TAI},
};
// timer_create(2): Linux also has timers on CLOCK_BOOTTIME and CLOCK_TAI.
TEST_P(timer_create, linux_clock_creates_disarmed, POSITIVE, LINUX, kLinuxTimerClocks) {
    creates_disarmed(row.clk);
}

// timer_create(2): an unreadable sevp or unwritable timerid is EFAULT.
TEST(timer_create, bad_pointer_efault, NEGATIVE, LINUX) {
    int id;
    EXPECT_ERR(
        sys::timer_create(CLOCK_MONOTONIC, reinterpret_cast<sigevent*>(common::kBadPtr), &id),
        EFAULT);
    sigevent ev = event(SIGEV_NONE, 0);
    EXPECT_ERR(sys::timer_create(CLOCK_MONOTONIC, &ev, reinterpret_cast<int*>(common::kBadPtr)),
               EFAULT);
}

namespace {
// Creates n SIGEV_NONE timers at once; checks that all succeed and that the
// ids are distinct; deletes them.
void many_timers(int n) {
    int ids[256];
    int made = 0;
    sigevent ev = event(SIGEV_NONE, 0);
    long r = 0;
    while (made < n && (r = sys::timer_create(CLOCK_MONOTONIC, &ev, &ids[made])) == 0) ++made;
    EXPECT_RET(r, 0);
    int dups = 0;
    for (int i = 0; i < made; ++i)
        for (int j = i + 1; j < made; ++j) dups += ids[i] == ids[j];
    for (int i = 0; i < made; ++i) sys::timer_delete(ids[i]);
    EXPECT_EQ(dups, 0);
}
}  // namespace

// timer_create(2), POSIX: a process can have _POSIX_TIMER_MAX (32) timers
// at once, with distinct ids.
TEST(timer_create, posix_timer_max_distinct_ids, POSITIVE, PSE51) { many_timers(32); }

// timer_create(2): Linux has no fixed per-process limit beyond
// RLIMIT_SIGPENDING-style accounting; 256 timers at once work.
TEST(timer_create, many_timers_distinct_ids, POSITIVE, LINUX) { many_timers(256); }

// timer_create(2), timer_delete(2): creating and deleting 10,000 timers
// leaks nothing: the next create still works.
TEST(timer_create, create_delete_leak, BOUNDARY, PSE51, .flags = kc::SLOW) {
    sigevent ev = event(SIGEV_NONE, 0);
    for (int i = 0; i < 10000; ++i) {
        int id;
        ASSERT_RET(sys::timer_create(CLOCK_MONOTONIC, &ev, &id), 0);
        ASSERT_RET(sys::timer_delete(id), 0);
    }
    int id;
    ASSERT_RET(sys::timer_create(CLOCK_MONOTONIC, &ev, &id), 0);
    EXPECT_RET(sys::timer_delete(id), 0);
}

// timer_create(2), fork(2), POSIX: timers are not inherited by the child.
TEST(timer_create, not_inherited_by_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int id;
    ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, kSig, 0, &id));
    long pid = kc::spawn(
        [](void* p) {
            int tid = *static_cast<int*>(p);
            itimerspec cur;
            EXPECT_ERR(sys::timer_gettime(tid, &cur), EINVAL);
            EXPECT_ERR(sys::timer_delete(tid), EINVAL);
        },
        &id);
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(sys::timer_delete(id), 0);
}

// timer_create(2), POSIX CPU-time clocks: a timer on a CPU-time clock fires
// once that clock has advanced by the interval. Measured on the timer's own
// clock: a process clock also counts threads the test does not run (an
// emulator's, under qemu-user), so this thread's CPU time is no yardstick.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST_P(timer_create, cpu_timer_fires_after_work, POSITIVE, PSE53, time::kCpuClocks,
       .flags = kc::EXCLUSIVE) {
    time::block(kSig);
    int id;
    ASSERT_OK(time::make_timer(row.clk, kSig, 0, &id));
    timespec t0{}, t1{};
    sys::clock_gettime(row.clk, &t0);
    time::arm_timer(id, 3 * kMs);
    int sig = kSig;
    time::need_cpu(500 * kMs, time::sig_pending, &sig);
    sys::clock_gettime(row.clk, &t1);
    i64 used = (t1.tv_sec - t0.tv_sec) * 1000000000 + (t1.tv_nsec - t0.tv_nsec);
    siginfo si{};
    long r = time::wait_signal(kSig, &si, 0);
    sys::timer_delete(id);
    time::drain(kSig);
    expect_timer_signal(r, si, kSig, 0);
    EXPECT_GE(used, 3 * kMs);
}

// timer_create(2), POSIX CPU-time clocks: a sleeping process uses (almost)
// no CPU time, so a 10 ms CPU-time timer does not fire during a 25 ms sleep.
// A guest kernel charges a vCPU's preemption by its host to the running task,
// so the test passes if any of three tries stays quiet; a kernel that counts
// sleep as CPU time fires every time.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(timer_create, cpu_timer_still_while_sleeping, POSITIVE, PSE53,
     .flags = kc::EXCLUSIVE | kc::SLOW) {
    time::block(kSig);
    bool pending = true;
    for (int i = 0; i < 3 && pending; ++i) {
        int id;
        ASSERT_OK(time::make_timer(CLOCK_PROCESS_CPUTIME_ID, kSig, 0, &id));
        time::arm_timer(id, 10 * kMs);
        timespec req{0, 25 * kMs};
        sys::nanosleep(&req, nullptr);
        pending = time::is_pending(kSig);
        sys::timer_delete(id);
        time::drain(kSig);
    }
    EXPECT_TRUE(!pending);
}

// timer_delete(2), POSIX: EINVAL for an id that is no timer (also a deleted
// one: deleting twice fails).
TEST_P(timer_delete, bad_id_einval, NEGATIVE, PSE51, time::kBadTimerIds) {
    EXPECT_ERR(sys::timer_delete(time::bad_timer_id(row.id)), EINVAL);
}

// timer_delete(2), POSIX: deleting an armed timer disarms it: it never
// fires afterwards. An attempt where the delete came only after the first
// expiry (a slow or preempted CPU, as in a TCG virtual machine) proves
// nothing and is repeated.
TEST(timer_delete, armed_timer_never_fires, POSITIVE, PSE51) {
    time::block(kSig);
    bool pending = true;
    for (int attempt = 0; attempt < 20; ++attempt) {
        int id;
        ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, kSig, 0, &id));
        i64 t0 = kc::now_ns();
        time::arm_timer(id, 2 * kMs, kMs);
        EXPECT_RET(sys::timer_delete(id), 0);
        bool in_time = kc::now_ns() - t0 < 2 * kMs;
        timespec req{0, 5 * kMs};
        sys::nanosleep(&req, nullptr);
        pending = time::is_pending(kSig);
        time::drain(kSig);
        if (in_time) break;
    }
    EXPECT_TRUE(!pending);
}

// timer_delete(2): a signal the timer generated that is still pending
// (blocked) is never delivered once the timer is deleted: rt_sigtimedwait
// finds nothing. Linux 6.x drops it when it would be dequeued (it may still
// show in sigpending); older kernels delivered it, and POSIX leaves it
// unspecified. The change came with the posix-timer signal rework (about
// 6.13): a kernel older than 6.14 may still deliver it.
TEST(timer_delete, pending_signal_dropped, BOUNDARY, LINUX) {
    time::block(kSig);
    int id;
    ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, kSig, 0, &id));
    time::arm_timer(id, kMs);
    timespec req{0, 4 * kMs};
    sys::nanosleep(&req, nullptr);
    bool fired = time::is_pending(kSig);
    EXPECT_RET(sys::timer_delete(id), 0);
    long r = time::wait_signal(kSig, nullptr, 0);
    time::drain(kSig);
    EXPECT_TRUE(fired);
    if (kc::linux_before(6, 14) && r == kSig) return;
    EXPECT_ERR(r, EAGAIN);
}
