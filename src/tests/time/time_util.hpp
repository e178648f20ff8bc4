// SPDX-License-Identifier: MIT
// Helpers shared by the time, id and timer tests (src/tests/time,
// src/tests/timer, src/tests/id), defined in tests/time/helpers.cpp: time
// arithmetic, signal catching and waiting, POSIX timer set-up, CPU spinning,
// and the tables of clocks, timespecs and timer ids every time call is
// checked against.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_time.hpp"

namespace time {

// An upper bound on a wait, for tests that check a call returns in time: the
// usual bound, or 20 times it when the run has a lower priority than default
// (nice above 0, SCHED_BATCH or SCHED_IDLE), which may wait for the CPU as
// long as other work keeps it busy. Lower bounds (slept at least) stay exact.
inline i64 late_bound(i64 usual) {
    const kc::Environment& e = kc::environment();
    return e.nice > 0 || e.policy != 0 ? 20 * usual : usual;
}

inline constexpr i64 kMs = 1000000;  // nanoseconds in a millisecond
inline constexpr i64 kSec = 1000000000;

inline timespec ts_of(i64 ns) { return timespec{ns / kSec, ns % kSec}; }
// Sleeps `ns` nanoseconds; returns early when a signal handler runs.
inline void nap(i64 ns) {
    timespec req = ts_of(ns);
    sys::nanosleep(&req, nullptr);
}
inline i64 ns_of(const timespec& t) { return t.tv_sec * kSec + t.tv_nsec; }
inline i64 ns_of(const timeval& t) { return t.tv_sec * kSec + t.tv_usec * 1000; }
// clock_gettime(clk) in nanoseconds; -1 if the clock cannot be read.
i64 clock_ns(int clk);

// Fields of a POSIX timer's siginfo (the kernel's `_timer` member, the same
// on every 64-bit arch): si_timerid at 16, si_overrun at 20, si_value at 24.
inline int si_timerid(const siginfo& s) { return s.rt.pid; }
inline int si_overrun(const siginfo& s) { return int(s.rt.uid); }
inline long si_value(const siginfo& s) { return s.rt.value; }

// Installs a handler for sig that counts calls in g_hits (reset to 0);
// flags are extra sa_flags.
extern volatile int g_hits;
void catch_signal(int sig, u64 flags = 0);
void ignore_signal(int sig);
void block(int sig);
// Waits up to timeout_ns for sig (which must be blocked); returns the signal
// number, or -EAGAIN when none arrived in time.
long wait_signal(int sig, siginfo* si, i64 timeout_ns);
// True when sig is pending (blocked and generated).
bool is_pending(int sig);
// Consumes every pending instance of sig: call before a test ends with a
// blocked signal, so that none mode does not deliver it after the test.
void drain(int sig);

// A POSIX timer on clk that sends sig with sigev_value `value`; returns the
// timer_create result and stores the id.
long make_timer(int clk, int sig, long value, int* id);
// timer_settime(id, flags, {interval, value}, nullptr) in nanoseconds.
long arm_timer(int id, i64 value_ns, i64 interval_ns = 0, int flags = 0);

// Sleeps with a SIGUSR1 handler installed (sa_flags extra) and a timer that
// sends SIGUSR1 every `after_ns` (periodic, so that a sleep that starts late
// is still interrupted): nanosleep(req, rem) when flags < 0, else
// clock_nanosleep(CLOCK_MONOTONIC, flags, req, rem). Checks that the handler
// ran; returns the sleep's result and the time slept in *slept. A sleep that
// ran to its end while the thread waited, runnable, for a CPU for half of it
// or more (the signal woke it, the CPU came after its timer) is tried again,
// three times in all, then SKIPs as starved.
long interrupted_sleep(int flags, const timespec& req, timespec* rem, i64 after_ns,
                       u64 sa_flags = 0, i64* slept = nullptr);

// Checks rem after an interrupted relative sleep of `req_ns` that lasted
// `slept` ns: normalized, less than the request, at least what was left.
void expect_rem(const timespec& rem, i64 req_ns, i64 slept);

// Busy-waits in user space until this thread has used `ns` of CPU time (or
// done(arg) is true, when given: it is asked about every 0.1 ms), for at most
// 2 s of its own time (kc::own_ns(): less the time it waited, runnable, for a
// CPU) and 4 s of wall time. `starved`: it stopped short of its goal and
// waited for a CPU longer than it ran, which says nothing of the kernel's
// CPU-time accounting (a loaded machine, SCHED_IDLE: Linux 6.18 does not
// fire a 3 ms CPU-time timer of a SCHED_IDLE thread that shares its CPU with
// a busy nice-19 one, even after 2 s of CPU time, as its timers are checked
// at ticks). Where the run delay cannot be read, it never is.
struct Spin {
    i64 used;    // CPU time used, by CLOCK_THREAD_CPUTIME_ID
    i64 waited;  // time spent runnable, waiting for a CPU
    bool starved;
};
Spin spin_for_cpu(i64 ns, bool (*done)(void*) = nullptr, void* arg = nullptr);
// spin_for_cpu(ns).used.
i64 spin_cpu(i64 ns);
// spin_for_cpu(ns, done, arg) for a test that needs that CPU time: SKIPs when
// starved, else returns the CPU time used.
i64 need_cpu(i64 ns, bool (*done)(void*) = nullptr, void* arg = nullptr);
// A `done` for the above: signal *(int*)sig is pending.
bool sig_pending(void* sig);
// For kc::spawn: spins for *(i64*)ns of CPU time, and exits kStarvedExit
// when starved. wait_spinner(pid) waits for such a child to end, leaving it
// to be reaped (WNOWAIT), and SKIPs, reaping it, when it was starved.
inline constexpr int kStarvedExit = 75;
void spin_child(void* ns);
void wait_spinner(long pid);

// Shared checks of a timer's setting as timer_gettime/timerfd_gettime
// report it: disarmed (zero value and interval), or armed with at most `set`
// ns left (and more than 90% of it) and exactly `interval`.
void expect_disarmed(const itimerspec& cur);
void expect_left(const itimerspec& cur, i64 set, i64 interval);

}  // namespace time

namespace time {

// Timespecs every time-taking call must reject with EINVAL: a negative
// tv_sec, or a tv_nsec outside [0, 999999999].
struct BadTimespec {
    const char* label;
    i64 sec;
    i64 nsec;
};
inline constexpr BadTimespec kBadTimespecs[] = {
    {"tv_sec=-1", -1, 0},
    {"tv_sec=-1,tv_nsec=999999999", -1, 999999999},
    {"tv_sec=LONG_MIN", LONG_MIN, 0},
    {"tv_nsec=-1", 0, -1},
    {"tv_nsec=1e9", 0, 1000000000},
    {"tv_nsec=1e9+1", 0, 1000000001},
    {"tv_nsec=LONG_MAX", 0, LONG_MAX},
    {"tv_nsec=LONG_MIN", 0, LONG_MIN},
    {"tv_sec=1,tv_nsec=1e9", 1, 1000000000},
};

}  // namespace time

namespace time {

struct Clock {
    const char* label;
    int clk;
};
// The clocks POSIX requires (PSE51), the CPU-time clocks (PSE53) and the
// Linux-only ones. CLOCK_*_ALARM are left out: they need an RTC device.
inline constexpr Clock kPosixClocks[] = {
    {"CLOCK_REALTIME", CLOCK_REALTIME},
    {"CLOCK_MONOTONIC", CLOCK_MONOTONIC},
};
inline constexpr Clock kCpuClocks[] = {
    {"CLOCK_PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID},
    {"CLOCK_THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID},
};
inline constexpr Clock kLinuxClocks[] = {
    {"CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW},
    {"CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE},
    {"CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE},
    {"CLOCK_BOOTTIME", CLOCK_BOOTTIME},
    {"CLOCK_TAI", CLOCK_TAI},
};
// Clock ids that name no clock. Negative ids are CPU-time clocks of a
// process or thread encoded in the id: -1 has an invalid clock type and
// INT_MIN names pid 0x0fffffff, above any possible pid. 10 is the removed
// CLOCK_SGI_CYCLE; 12..15 were never assigned.
inline constexpr Clock kBadClocks[] = {
    {"clock=-1", -1},   {"clock=10", 10},           {"clock=12", 12},           {"clock=16", 16},
    {"clock=100", 100}, {"clock=INT_MAX", INT_MAX}, {"clock=INT_MIN", INT_MIN},
};

// Linux encodes the CPU-time clock of a process or thread in a negative id
// (what clock_getcpuclockid(3) and pthread_getcpuclockid(3) return):
// (~id << 3) | type, with type 2 = scheduler time and bit 2 = per-thread.
inline constexpr int process_cpu_clock(int pid) { return int((~unsigned(pid) << 3) | 2); }
inline constexpr int thread_cpu_clock(int tid) { return int((~unsigned(tid) << 3) | 6); }

}  // namespace time

namespace time {

// Timer ids that name no live POSIX timer; -2 stands for a timer that was
// just deleted (see bad_timer_id).
struct BadTimerId {
    const char* label;
    int id;
};
inline constexpr BadTimerId kBadTimerIds[] = {
    {"id=-1", -1}, {"id=INT_MAX", INT_MAX}, {"id=INT_MIN", INT_MIN}, {"id=deleted", -2}};
// The row's id, or for -2 the id of a timer created and deleted just now.
int bad_timer_id(int row_id);

}  // namespace time
