// SPDX-License-Identifier: MIT
// Helpers shared by the time, id and timer tests (declared in tests/time/time_util.hpp):
// signal catching and waiting, POSIX timer set-up, CPU spinning, dropping
// privileges. No tests here.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_signal.hpp"
#include "tests/time/time_util.hpp"

// The checks below are not in the running test's own source file: name this
// file in their messages (test.hpp's KC_FILE assumes a header or the test's
// file, and would report this file's line numbers under the test's name).
#undef KC_FILE
#define KC_FILE __FILE__

namespace time {

volatile int g_hits;

i64 clock_ns(int clk) {
    timespec t{-1, -1};
    if (sys::clock_gettime(clk, &t) != 0) return -1;
    return ns_of(t);
}

static void on_signal(int) { g_hits = g_hits + 1; }

void catch_signal(int sig, u64 flags) {
    g_hits = 0;
    arch::KSigaction a = arch::make_sigaction(reinterpret_cast<void*>(on_signal), flags, 0);
    sys::rt_sigaction(sig, &a, nullptr);
}

void ignore_signal(int sig) {
    arch::KSigaction a = arch::make_sigaction(SIG_IGN, 0, 0);
    sys::rt_sigaction(sig, &a, nullptr);
}

void block(int sig) {
    u64 m = sigbit(sig);
    sys::rt_sigprocmask(SIG_BLOCK, &m, nullptr);
}

long wait_signal(int sig, siginfo* si, i64 timeout_ns) {
    u64 m = sigbit(sig);
    siginfo local{};
    timespec t = ts_of(timeout_ns);
    long r;
    do r = sys::rt_sigtimedwait(&m, si ? si : &local, &t);
    while (r == -EINTR);
    return r;
}

bool is_pending(int sig) {
    u64 set = 0;
    sys::rt_sigpending(&set);
    return set & sigbit(sig);
}

void drain(int sig) {
    while (wait_signal(sig, nullptr, 0) == sig) {
    }
}

long make_timer(int clk, int sig, long value, int* id) {
    sigevent ev{};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    ev.sigev_value = u64(value);
    return sys::timer_create(clk, &ev, id);
}

long arm_timer(int id, i64 value_ns, i64 interval_ns, int flags) {
    itimerspec its{ts_of(interval_ns), ts_of(value_ns)};
    return sys::timer_settime(id, flags, &its, nullptr);
}

long interrupted_sleep(int flags, const timespec& req, timespec* rem, i64 after_ns, u64 sa_flags,
                       i64* slept) {
    catch_signal(SIGUSR1, sa_flags);
    int id;
    ASSERT_OK(make_timer(CLOCK_MONOTONIC, SIGUSR1, 0, &id));
    long r = 0;
    i64 wall = 0, waited = 0;
    bool starved = false;
    // An absolute request is moved on by the time each attempt took.
    i64 shift = 0;
    for (int attempt = 0; attempt < 3; ++attempt, shift += wall) {
        i64 t0 = kc::now_ns(), own0 = kc::own_ns();
        timespec want = flags == TIMER_ABSTIME ? ts_of(ns_of(req) + shift) : req;
        // Periodic: a first expiry that comes before the sleep has begun (the
        // caller was preempted, or an emulator was translating code, for
        // longer than after_ns) is followed by one that interrupts it,
        // instead of a sleep that runs to its end (or forever, for a huge
        // request).
        arm_timer(id, after_ns, after_ns);
        r = flags < 0 ? sys::nanosleep(&want, rem)
                      : sys::clock_nanosleep(CLOCK_MONOTONIC, flags, &want, rem);
        arm_timer(id, 0, 0);
        wall = kc::now_ns() - t0;
        waited = wall - (kc::own_ns() - own0);
        // A sleeper that the signal woke but that got no CPU until its own
        // timer had expired too returns 0 on Linux (do_nanosleep: an
        // expired timer wins over a pending signal): that is the machine's
        // doing when the thread waited, runnable, for most of the sleep. A
        // kernel that ignores the signal sleeps without waiting for a CPU.
        starved = r == 0 && waited >= wall / 2;
        if (!starved) break;
    }
    if (slept) *slept = wall;
    sys::timer_delete(id);
    EXPECT_GE(g_hits, 1);
    if (starved) {
        char buf[120];
        rt::Fmt f(buf, sizeof buf);
        f.s("starved: the sleep ran to its end three times, after waiting for a CPU ")
            .d(waited / kMs)
            .s(" of ")
            .d(wall / kMs)
            .s(" ms the last time");
        kc::skip(f.cstr());
    }
    return r;
}

void expect_rem(const timespec& rem, i64 req_ns, i64 slept) {
    i64 left = ns_of(rem);
    EXPECT_GE(rem.tv_nsec, 0);
    EXPECT_LT(rem.tv_nsec, kSec);
    EXPECT_LT(left, req_ns);
    EXPECT_GE(left, req_ns - slept - kMs);
}

Spin spin_for_cpu(i64 ns, bool (*done)(void*), void* arg) {
    i64 cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    i64 wall0 = kc::now_ns(), own0 = kc::own_ns();
    Spin s{0, 0, false};
    bool met = false;
    i64 wall = 0, own = 0;
    while (!(met = done ? done(arg) : s.used >= ns) && s.used < ns && own < 2 * kSec &&
           wall < 4 * kSec) {
        // Mostly user-space work: the clock reads are system calls.
        for (int i = 0; i < 200000; ++i) asm volatile("" ::: "memory");
        s.used = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu0;
        wall = kc::now_ns() - wall0;
        own = kc::own_ns() - own0;
    }
    s.waited = wall - own;
    s.starved = !met && s.waited > s.used;
    return s;
}

i64 spin_cpu(i64 ns) { return spin_for_cpu(ns).used; }

bool sig_pending(void* sig) { return is_pending(*static_cast<int*>(sig)); }

i64 need_cpu(i64 ns, bool (*done)(void*), void* arg) {
    Spin s = spin_for_cpu(ns, done, arg);
    if (!s.starved) return s.used;
    char buf[120];
    rt::Fmt f(buf, sizeof buf);
    f.s("starved: this thread ran ")
        .d(s.used / kMs)
        .s(" ms and waited for a CPU ")
        .d(s.waited / kMs);
    f.s(" ms, short of what the test needs");
    kc::skip(f.cstr());
}

void spin_child(void* ns) {
    if (spin_for_cpu(*static_cast<i64*>(ns)).starved) sys::exit_group(kStarvedExit);
}

void wait_spinner(long pid) {
    siginfo si{};
    ASSERT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED | WNOWAIT, nullptr), 0);
    if (si.si_code != CLD_EXITED || si.child.status != kStarvedExit) return;
    kc::wait_status(pid);
    kc::skip(
        "starved: the child waited for a CPU longer than it ran, short of what the test needs");
}

void expect_disarmed(const itimerspec& cur) {
    EXPECT_EQ(ns_of(cur.it_value), 0);
    EXPECT_EQ(ns_of(cur.it_interval), 0);
}

void expect_left(const itimerspec& cur, i64 set, i64 interval) {
    i64 left = ns_of(cur.it_value);
    EXPECT_GT(left, set - set / 10);
    EXPECT_LE(left, set);
    EXPECT_LT(cur.it_value.tv_nsec, kSec);
    EXPECT_EQ(ns_of(cur.it_interval), interval);
}

int bad_timer_id(int row_id) {
    if (row_id != -2) return row_id;
    sigevent ev{};
    ev.sigev_notify = SIGEV_NONE;
    int id;
    ASSERT_RET(sys::timer_create(CLOCK_MONOTONIC, &ev, &id), 0);
    ASSERT_RET(sys::timer_delete(id), 0);
    return id;
}

// Setting a clock takes CAP_SYS_TIME (capable(), whatever the uid): clearing
// every capability makes the process unprivileged in any user namespace,
// where switching to another uid may be impossible.
}  // namespace time
