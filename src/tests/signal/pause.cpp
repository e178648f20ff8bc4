// SPDX-License-Identifier: MIT
// pause(2): the caller sleeps until a signal is delivered to a handler, then
// the call fails with EINTR; the signal comes from a POSIX timer aimed at the
// calling thread or from a second thread of the process. Ignored signals do
// not end the sleep.
// pause exists only on x86-64 among the supported architectures (REQUIRE_NR).
// Left out: signals that terminate or stop the process (must not happen to
// the harness), and SA_RESTART (pause is never restarted; covered by the
// signal area's restart tests).
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"
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
