// SPDX-License-Identifier: MIT
// pause(2): the caller sleeps until a signal is delivered to a handler, then
// the call fails with EINTR; the signal comes from a POSIX timer aimed at the
// calling thread or from a second thread of the process. Ignored and
// blocked signals sent while the caller is seen asleep in pause (through
// /proc, tests/pipe/pipe_util.hpp) do not end the sleep, and a
// process-directed signal wakes the one thread that does not block it.
// pause exists only on x86-64 among the supported architectures (REQUIRE_NR).
// Left out: signals that terminate or stop the process (must not happen to
// the harness), and SA_RESTART (pause is never restarted; covered by the
// signal area's restart tests).
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"
#include "tests/pipe/pipe_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

namespace {

struct Sender {
    int pid, tid;
    int ignored_first;      // SIGUSR2 (ignored) sends before SIGUSR1
    volatile int sent_ign;  // set once those were sent
    volatile int stop;      // set by the test once pause returned
};

// Sends the ignored signals, then SIGUSR1 every 2 ms until told to stop, so
// that a pause entered late is still interrupted.
void sender(void* p) {
    auto* s = static_cast<Sender*>(p);
    for (int i = 0; i < s->ignored_first; ++i) {
        sys::tgkill(s->pid, s->tid, SIGUSR2);
        common::sleep_ms(2);
    }
    __atomic_store_n(&s->sent_ign, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
        sys::tgkill(s->pid, s->tid, SIGUSR1);
        common::sleep_ms(2);
    }
}

// pause() with a sender thread; returns pause's result.
long pause_with_sender(int ignored_first, int* sent_ign) {
    Sender s{int(sys::getpid()), int(sys::gettid()), ignored_first, 0, 0};
    thread::Thread t;
    long r = thread::thread_start(t, sender, &s);
    if (r < 0) return r;
    r = sys::pause();
    __atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
    thread::thread_join(t);
    *sent_ign = s.sent_ign;
    return r;
}

}  // namespace

// pause(2): "pause() returns only when a signal was caught and the
// signal-catching function returned. In this case, pause() returns -1, and
// errno is set to EINTR" — the signal is a POSIX timer's, sent to this thread.
TEST(pause, eintr_after_timer_signal, POSITIVE, PSE51) {
    REQUIRE_NR(pause);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    sigevent sev{};
    sev.sigev_notify = SIGEV_THREAD_ID;
    sev.sigev_signo = SIGUSR1;
    sev.tid = int(sys::gettid());
    int id = -1;
    ASSERT_OK(sys::timer_create(CLOCK_MONOTONIC, &sev, &id));
    // Periodic, so that a pause entered after the first expiry still ends.
    itimerspec its{{0, 5000000}, {0, 5000000}};
    i64 t0 = kc::now_ns();
    EXPECT_OK(sys::timer_settime(id, 0, &its, nullptr));
    EXPECT_ERR(sys::pause(), EINTR);
    i64 dt = kc::now_ns() - t0;
    sys::timer_delete(id);
    EXPECT_GE(signal::g_log.count[SIGUSR1], 1);
    EXPECT_GE(dt, 4000000);
}

// pause(2): a signal sent by another thread of the process with tgkill ends
// the sleep with EINTR after the handler ran.
TEST(pause, eintr_after_thread_signal, POSITIVE, PSE51) {
    REQUIRE_NR(pause);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    int sent = 0;
    EXPECT_ERR(pause_with_sender(0, &sent), EINTR);
    EXPECT_GE(signal::g_log.count[SIGUSR1], 1);
}

// pause(2) "causes the calling process (or thread) to sleep until a signal
// is delivered that either terminates the process or causes the invocation
// of a signal-catching function": ignored SIGUSR2s do not end it; the
// SIGUSR1 sent after them does.
TEST(pause, ignored_signal_does_not_wake, BOUNDARY, PSE51) {
    REQUIRE_NR(pause);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    ASSERT_OK(signal::set_action(SIGUSR2, SIG_IGN));
    int sent = 0;
    EXPECT_ERR(pause_with_sender(3, &sent), EINTR);
    EXPECT_EQ(sent, 1);
    EXPECT_EQ(signal::g_log.count[SIGUSR2], 0);
    EXPECT_GE(signal::g_log.count[SIGUSR1], 1);
}

namespace {

// A second thread that waits until the target thread sleeps in pause, sends
// it `first` (0: nothing), checks that it still sleeps in pause afterwards,
// then sends SIGUSR1 every 2 ms until told to stop.
struct Watch {
    int pid, tid, first;
    int asleep_before, asleep_after;
    volatile int returned, stop;
};
bool in_pause(const Watch& w) { return pipes::wait_blocked_in(w.tid, nr::pause, "sys_pause"); }
void watcher(void* p) {
    auto* w = static_cast<Watch*>(p);
    w->asleep_before = in_pause(*w);
    if (w->first) sys::tgkill(w->pid, w->tid, w->first);
    common::sleep_ms(2);
    // (Only when it was seen asleep: each look waits up to 5 s.)
    w->asleep_after =
        w->asleep_before && in_pause(*w) && !__atomic_load_n(&w->returned, __ATOMIC_ACQUIRE);
    while (!__atomic_load_n(&w->stop, __ATOMIC_ACQUIRE)) {
        sys::tgkill(w->pid, w->tid, SIGUSR1);
        common::sleep_ms(2);
    }
}

// pause() in this thread while watcher() runs; returns pause's result.
long pause_watched(Watch& w) {
    pipes::require_blocked_view();
    w.pid = int(sys::getpid());
    w.tid = int(sys::gettid());
    thread::Thread t;
    ASSERT_GT(thread::thread_start(t, watcher, &w), 0);
    long r = sys::pause();
    __atomic_store_n(&w.returned, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&w.stop, 1, __ATOMIC_RELEASE);
    thread::thread_join(t);
    return r;
}

}  // namespace

// pause(2): an ignored signal is discarded, so sending SIGUSR2 (SIG_IGN) to
// a thread seen asleep in pause leaves it asleep there; the caught SIGUSR1
// sent afterwards ends it with EINTR.
TEST(pause, ignored_signal_keeps_sleeping, BOUNDARY, PSE51) {
    REQUIRE_NR(pause);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    ASSERT_OK(signal::set_action(SIGUSR2, SIG_IGN));
    Watch w{};
    w.first = SIGUSR2;
    EXPECT_ERR(pause_watched(w), EINTR);
    EXPECT_TRUE(w.asleep_before);
    EXPECT_TRUE(w.asleep_after);
    EXPECT_GE(signal::g_log.count[SIGUSR1], 1);
}

// pause(2), POSIX sigprocmask: a blocked signal stays pending and is not
// delivered, so it does not end pause though it has a handler; SIGUSR1
// does, and SIGUSR2 is still pending afterwards, its handler not run.
TEST(pause, blocked_signal_does_not_wake, BOUNDARY, PSE51) {
    REQUIRE_NR(pause);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    ASSERT_OK(signal::catch_sig(SIGUSR2));
    ASSERT_OK(signal::block(sigbit(SIGUSR2)));
    Watch w{};
    w.first = SIGUSR2;
    long r = pause_watched(w);
    u64 pend = signal::pending();
    u64 usr2 = sigbit(SIGUSR2);
    const timespec zero{0, 0};
    sys::rt_sigtimedwait(&usr2, nullptr, &zero);  // discard it: nothing may deliver it later
    EXPECT_ERR(r, EINTR);
    EXPECT_TRUE(w.asleep_before);
    EXPECT_TRUE(w.asleep_after);
    EXPECT_EQ(signal::g_log.count[SIGUSR2], 0);
    EXPECT_EQ(pend & usr2, usr2);
}

namespace {
struct Pauser {
    int tid;
    volatile int done;
    long r;
};
}  // namespace

// pause(2), POSIX signal generation: a process-directed signal (kill) goes
// to a thread that does not block it; the main thread blocks SIGUSR1, so it
// is the other thread's pause that ends with EINTR, after the handler ran
// there.
TEST(pause, process_signal_wakes_unblocked_thread, POSITIVE, PSE51) {
    REQUIRE_NR(pause);
    pipes::require_blocked_view();
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    Pauser pz{};
    thread::Thread t;
    pz.tid = int(thread::thread_start(
        t,
        [](void* p) {
            auto* pz = static_cast<Pauser*>(p);
            pz->r = sys::pause();
            __atomic_store_n(&pz->done, 1, __ATOMIC_RELEASE);
        },
        &pz));
    ASSERT_GT(pz.tid, 0);
    EXPECT_OK(signal::block(sigbit(SIGUSR1)));  // the thread was created unblocked
    EXPECT_TRUE(pipes::wait_blocked_in(pz.tid, nr::pause, "sys_pause"));
    EXPECT_OK(sys::kill(int(sys::getpid()), SIGUSR1));
    i64 end = kc::now_ns() + 2000000000;
    while (!__atomic_load_n(&pz.done, __ATOMIC_ACQUIRE) && kc::now_ns() < end) common::sleep_ms(1);
    bool woke = __atomic_load_n(&pz.done, __ATOMIC_ACQUIRE);
    if (!woke) sys::tgkill(int(sys::getpid()), pz.tid, SIGUSR1);  // free it, to join
    thread::thread_join(t);
    EXPECT_TRUE(woke);
    EXPECT_ERR(pz.r, EINTR);
    EXPECT_EQ(signal::g_log.count[SIGUSR1], 1);
    EXPECT_EQ(signal::g_log.tids[0], pz.tid);
}
