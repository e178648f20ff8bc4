// SPDX-License-Identifier: MIT
// POSIX message queues: mq_notify(2). Covers SIGEV_SIGNAL notification
// (si_code SI_MESGQ, the sigev value, the sender's pid), that it fires only
// when a message arrives on an empty queue and only once, that one process
// at a time may register (EBUSY) and that unregistering (NULL) or closing
// the descriptor frees the registration; SIGEV_NONE; and EINVAL/EBADF.
// Signals used are blocked and taken with rt_sigtimedwait.
// Not covered: SIGEV_THREAD (a netlink socket in the raw ABI, implemented
// by libc), notification suppressed by a blocked receiver (timing-based).
#include "tests/mq/mq_util.hpp"

namespace {

long queue() { return mq::anon(O_RDWR, 4, 16); }

sigevent signal_event(int sig, u64 value) {
    sigevent ev{};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    ev.sigev_value = value;
    return ev;
}

// No `sig` arrives within `ms`.
bool no_signal(int sig, long ms) {
    siginfo si{};
    return proc::wait_signal(sig, &si, ms) == -EAGAIN;
}

}  // namespace

// POSIX mq_notify: a message arriving on the empty queue sends the signal,
// with si_code SI_MESGQ, the registered value, and the sender's pid and uid.
TEST(mq_notify, signal_on_arrival, POSITIVE, PSE52) {
    long fd = queue();
    ASSERT_OK(fd);
    ASSERT_OK(proc::block(SIGUSR1));
    proc::drain_signal(SIGUSR1);
    sigevent ev = signal_event(SIGUSR1, 0xabcdef);
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    EXPECT_TRUE(no_signal(SIGUSR1, 0));
    EXPECT_OK(mq::send(int(fd), "x", 0));
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGUSR1, &si, 2000), SIGUSR1);
    EXPECT_EQ(si.si_code, SI_MESGQ);
    EXPECT_EQ(si.rt.value, 0xabcdef);
    EXPECT_EQ(si.rt.pid, sys::getpid());
    EXPECT_EQ(si.rt.uid, sys::getuid());
    sys::close(int(fd));
}

// POSIX mq_notify: the registration is removed when the notification is
// sent: the next arrival on the empty queue sends nothing; registering
// again works.
TEST(mq_notify, one_shot, POSITIVE, PSE52, .flags = kc::SLOW) {
    long fd = queue();
    ASSERT_OK(fd);
    ASSERT_OK(proc::block(SIGUSR1));
    proc::drain_signal(SIGUSR1);
    sigevent ev = signal_event(SIGUSR1, 1);
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    EXPECT_OK(mq::send(int(fd), "1", 0));
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGUSR1, &si, 2000), SIGUSR1);
    char buf[16];
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, 16, nullptr, nullptr), 1);
    EXPECT_OK(mq::send(int(fd), "2", 0));
    EXPECT_TRUE(no_signal(SIGUSR1, 20));
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, 16, nullptr, nullptr), 1);
    EXPECT_OK(sys::mq_notify(int(fd), &ev));  // free again
    EXPECT_OK(mq::send(int(fd), "3", 0));
    EXPECT_RET(proc::wait_signal(SIGUSR1, &si, 2000), SIGUSR1);
    sys::close(int(fd));
}

// POSIX mq_notify: only an arrival on an EMPTY queue notifies: registered
// while a message waits, a second message sends nothing.
TEST(mq_notify, only_when_queue_was_empty, BOUNDARY, PSE52, .flags = kc::SLOW) {
    long fd = queue();
    ASSERT_OK(fd);
    ASSERT_OK(proc::block(SIGUSR2));
    proc::drain_signal(SIGUSR2);
    EXPECT_OK(mq::send(int(fd), "a", 0));
    sigevent ev = signal_event(SIGUSR2, 2);
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    EXPECT_OK(mq::send(int(fd), "b", 0));
    EXPECT_TRUE(no_signal(SIGUSR2, 20));
    char buf[16];
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, 16, nullptr, nullptr), 1);
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, 16, nullptr, nullptr), 1);
    EXPECT_OK(mq::send(int(fd), "c", 0));  // empty again: now it fires
    siginfo si{};
    EXPECT_RET(proc::wait_signal(SIGUSR2, &si, 2000), SIGUSR2);
    sys::close(int(fd));
}

// POSIX mq_notify: EBUSY when another process is already registered; after
// the owner unregisters (NULL) the other process may register.
TEST(mq_notify, second_process_ebusy, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long fd = queue();
    ASSERT_OK(fd);
    sigevent ev = signal_event(SIGUSR1, 3);
    ev.sigev_notify = SIGEV_NONE;  // nothing is sent: the registration is what counts
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(sys::mq_notify(int(fd), &ev) == -EBUSY ? 0 : 1);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_ERR(sys::mq_notify(int(fd), &ev), EBUSY);  // even for the owner
    EXPECT_OK(sys::mq_notify(int(fd), nullptr));
    pid = sys::fork();
    if (pid == 0) sys::exit_group(sys::mq_notify(int(fd), &ev) == 0 ? 0 : 1);
    EXPECT_EQ(kc::wait_status(pid), 0);
    // That child exited, closing its descriptor: its registration went too.
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    sys::close(int(fd));
}

// POSIX mq_notify: NULL removes the caller's registration: no signal then.
TEST(mq_notify, null_unregisters, POSITIVE, PSE52, .flags = kc::SLOW) {
    long fd = queue();
    ASSERT_OK(fd);
    ASSERT_OK(proc::block(SIGUSR1));
    proc::drain_signal(SIGUSR1);
    sigevent ev = signal_event(SIGUSR1, 4);
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    EXPECT_OK(sys::mq_notify(int(fd), nullptr));
    EXPECT_OK(mq::send(int(fd), "x", 0));
    EXPECT_TRUE(no_signal(SIGUSR1, 20));
    sys::close(int(fd));
}

// POSIX mq_close: closing the descriptor removes the process's
// registration: another descriptor of the same queue may register.
TEST(mq_notify, close_removes_registration, POSITIVE, PSE52) {
    mq::Name n = mq::name("notifyclose");
    long a = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    long b = sys::mq_open(n.s, O_RDWR, 0, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(a);
    ASSERT_OK(b);
    sigevent ev{};
    ev.sigev_notify = SIGEV_NONE;
    EXPECT_OK(sys::mq_notify(int(a), &ev));
    EXPECT_ERR(sys::mq_notify(int(b), &ev), EBUSY);
    sys::close(int(a));
    EXPECT_OK(sys::mq_notify(int(b), &ev));
    sys::close(int(b));
}

// mq_notify(2) SIGEV_NONE: registers without ever sending a signal.
TEST(mq_notify, sigev_none_sends_nothing, POSITIVE, LINUX, .flags = kc::SLOW) {
    long fd = queue();
    ASSERT_OK(fd);
    ASSERT_OK(proc::block(SIGUSR1));
    proc::drain_signal(SIGUSR1);
    sigevent ev{};
    ev.sigev_notify = SIGEV_NONE;
    ev.sigev_signo = SIGUSR1;
    EXPECT_OK(sys::mq_notify(int(fd), &ev));
    EXPECT_OK(mq::send(int(fd), "x", 0));
    EXPECT_TRUE(no_signal(SIGUSR1, 20));
    sys::close(int(fd));
}

struct Ev {
    const char* label;
    int notify;
    int signo;
};
// mq_notify(2): EINVAL for an unknown sigev_notify or, with SIGEV_SIGNAL, a
// signal number above 64 or negative.
constexpr Ev kBadEvents[] = {
    {"notify=99", 99, SIGUSR1},
    {"notify=-1", -1, SIGUSR1},
    {"notify=SIGEV_THREAD_ID", SIGEV_THREAD_ID, SIGUSR1},
    {"signo=65", SIGEV_SIGNAL, 65},
    {"signo=-1", SIGEV_SIGNAL, -1},
};
TEST_P(mq_notify, bad_sigevent_einval, NEGATIVE, LINUX, kBadEvents) {
    long fd = queue();
    ASSERT_OK(fd);
    sigevent ev{};
    ev.sigev_notify = row.notify;
    ev.sigev_signo = row.signo;
    EXPECT_ERR(sys::mq_notify(int(fd), &ev), EINVAL);
    sigevent none{};
    none.sigev_notify = SIGEV_NONE;
    EXPECT_OK(sys::mq_notify(int(fd), &none));  // nothing was registered
    sys::close(int(fd));
}

// POSIX mq_notify: EBADF for a descriptor that is not a message queue.
TEST(mq_notify, not_a_queue_ebadf, NEGATIVE, PSE52) {
    mq::require();
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    sigevent ev{};
    ev.sigev_notify = SIGEV_NONE;
    EXPECT_ERR(sys::mq_notify(p[0], &ev), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::mq_notify(p[0], &ev), EBADF);
    EXPECT_ERR(sys::mq_notify(-1, nullptr), EBADF);
}

// mq_notify(2): EFAULT for an unreadable sigevent.
TEST(mq_notify, bad_pointer_efault, NEGATIVE, LINUX) {
    long fd = queue();
    ASSERT_OK(fd);
    EXPECT_ERR(sys::mq_notify(int(fd), reinterpret_cast<sigevent*>(8)), EFAULT);
    sys::close(int(fd));
}
