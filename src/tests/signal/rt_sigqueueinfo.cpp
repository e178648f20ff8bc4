// SPDX-License-Identifier: MIT
// rt_sigqueueinfo(2) and rt_tgsigqueueinfo(2) (POSIX sigqueue and its
// per-thread Linux form), and the queueing rules of pending signals:
// values reach the receiver, real-time signals queue once per send in
// order, standard signals do not queue, the RLIMIT_SIGPENDING limit, and
// the rule that a sender may not forge kernel or kill() siginfo for
// another process or thread.
// Not covered here: SIGQUEUE_MAX exhaustion without lowering the limit (it
// is per user and shared with every other process of the user).
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/signal/signals.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

siginfo make_info(int sig, int code, long value) {
    siginfo si{};
    si.si_signo = sig;
    si.si_code = code;
    si.rt.pid = int(sys::getpid());
    si.rt.uid = u32(sys::getuid());
    si.rt.value = value;
    return si;
}

long queue_self(int sig, long value, int code = SI_QUEUE) {
    siginfo si = make_info(sig, code, value);
    return sys::rt_sigqueueinfo(int(sys::getpid()), sig, &si);
}

// A child that sleeps until killed; the caller kills and reaps it.
long sleeping_child() {
    long pid = sys::fork();
    if (pid == 0) {
        for (;;) common::sleep_ms(1000);
    }
    return pid;
}

void end_child(long pid) {
    sys::kill(int(pid), SIGKILL);
    kc::wait_status(pid);
}

}  // namespace

// POSIX sigqueue: the value reaches an SA_SIGINFO handler as si_value with
// si_code SI_QUEUE and the sender's pid and uid.
TEST(rt_sigqueueinfo, value_delivered_to_handler, POSITIVE, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGRTMIN + 2));
    EXPECT_RET(queue_self(SIGRTMIN + 2, 0x5eed1234), 0);
    EXPECT_EQ(g_log.count[SIGRTMIN + 2], 1);
    EXPECT_EQ(g_log.info.si_signo, SIGRTMIN + 2);
    EXPECT_EQ(g_log.info.si_code, SI_QUEUE);
    EXPECT_EQ(g_log.info.rt.value, 0x5eed1234);
    EXPECT_EQ(g_log.info.rt.pid, sys::getpid());
    EXPECT_EQ(long(g_log.info.rt.uid), sys::getuid());
}

// rt_sigqueueinfo(2): the kernel stores the sig argument in si_signo,
// whatever the caller put there.
TEST(rt_sigqueueinfo, si_signo_taken_from_argument, BOUNDARY, LINUX) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR2));
    siginfo si = make_info(SIGHUP, SI_QUEUE, 7);
    EXPECT_RET(sys::rt_sigqueueinfo(int(sys::getpid()), SIGUSR2, &si), 0);
    EXPECT_EQ(g_log.count[SIGUSR2], 1);
    EXPECT_EQ(g_log.count[SIGHUP], 0);
    EXPECT_EQ(g_log.info.si_signo, SIGUSR2);
}

// POSIX sigqueue: the value also reaches another process, which accepts it
// with sigtimedwait; si_pid names the sender.
TEST(rt_sigqueueinfo, value_reaches_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    const int sig = SIGRTMIN + 2;
    ASSERT_OK(block(sigbit(sig)));  // inherited: the child cannot miss it
    long pid = kc::spawn(
        [](void*) {
            const u64 set = sigbit(SIGRTMIN + 2);
            const timespec ts{5, 0};
            siginfo si{};
            EXPECT_RET(sys::rt_sigtimedwait(&set, &si, &ts), SIGRTMIN + 2);
            EXPECT_EQ(si.si_code, SI_QUEUE);
            EXPECT_EQ(si.rt.value, 0x77aa);
            EXPECT_EQ(si.rt.pid, sys::getppid());
        },
        nullptr);
    ASSERT_GT(pid, 0);
    siginfo si = make_info(sig, SI_QUEUE, 0x77aa);
    EXPECT_RET(sys::rt_sigqueueinfo(int(pid), sig, &si), 0);
    EXPECT_CHILD_OK(pid);
}

struct CodeRow {
    const char* label;
    int code;
};
constexpr CodeRow kForged[] = {
    {"SI_USER", SI_USER}, {"SI_KERNEL", SI_KERNEL}, {"SI_TKILL", SI_TKILL}, {"code=1", 1}};
// rt_sigqueueinfo(2) ERRORS: EPERM when si_code is >= 0 (kernel or kill()
// origin) or SI_TKILL and the target is another process: a process may not
// impersonate the kernel or kill().
TEST_P(rt_sigqueueinfo, forged_code_to_other_process_eperm, NEGATIVE, LINUX, kForged,
       .flags = kc::NEEDS_FORK) {
    long pid = sleeping_child();
    ASSERT_GT(pid, 0);
    siginfo si = make_info(SIGUSR1, row.code, 1);
    EXPECT_ERR(sys::rt_sigqueueinfo(int(pid), SIGUSR1, &si), EPERM);
    end_child(pid);
}

// rt_sigqueueinfo(2): the same codes are allowed when the target is the
// caller itself, and the handler sees the code as given.
TEST_P(rt_sigqueueinfo, forged_code_to_self_allowed, BOUNDARY, LINUX, kForged) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    EXPECT_RET(queue_self(SIGUSR1, 3, row.code), 0);
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.info.si_code, row.code);
}

struct BadSig {
    const char* label;
    int sig;
};
constexpr BadSig kBadSigs[] = {{"sig=65", 65}, {"sig=-1", -1}, {"sig=INT_MAX", INT_MAX}};
// POSIX sigqueue: EINVAL for an invalid signal number.
TEST_P(rt_sigqueueinfo, invalid_signal_einval, NEGATIVE, PSE51, kBadSigs) {
    EXPECT_ERR(queue_self(row.sig, 1), EINVAL);
}

// POSIX sigqueue: "If signo is zero (the null signal), error checking is
// performed but no signal is actually sent."
TEST(rt_sigqueueinfo, null_signal_probes, BOUNDARY, PSE51) {
    EXPECT_RET(queue_self(0, 1), 0);
    EXPECT_EQ(pending(), 0);
}

// POSIX sigqueue: ESRCH when no process has the pid (a reaped child).
TEST(rt_sigqueueinfo, reaped_child_esrch, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = reaped_child_pid();
    ASSERT_GT(pid, 0);
    siginfo si = make_info(SIGUSR1, SI_QUEUE, 1);
    EXPECT_ERR(sys::rt_sigqueueinfo(int(pid), SIGUSR1, &si), ESRCH);
}

// rt_sigqueueinfo(2) ERRORS: EFAULT for a siginfo outside the address space.
TEST(rt_sigqueueinfo, bad_info_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::rt_sigqueueinfo(int(sys::getpid()), SIGUSR1, reinterpret_cast<siginfo*>(8)),
               EFAULT);
}

// POSIX RTS: a real-time signal sent three times while blocked is queued
// three times and delivered three times, in the order sent (values 1 2 3).
TEST(rt_sigqueueinfo, realtime_queued_in_order, POSITIVE, PSE51) {
    log_reset();
    const int sig = SIGRTMIN + 1;
    ASSERT_OK(catch_sig(sig, 0, sigbit(sig)));
    ASSERT_OK(block(sigbit(sig)));
    for (long v = 1; v <= 3; ++v) EXPECT_RET(queue_self(sig, v), 0);
    EXPECT_EQ(g_log.count[sig], 0);
    EXPECT_OK(unblock(sigbit(sig)));
    EXPECT_EQ(g_log.count[sig], 3);
    EXPECT_EQ(g_log.value[0], 1);
    EXPECT_EQ(g_log.value[1], 2);
    EXPECT_EQ(g_log.value[2], 3);
}

// POSIX RTS: pending real-time signals are delivered lowest number first,
// whatever the order they were sent in (each handler blocks the others, so
// one is delivered per handler return).
TEST(rt_sigqueueinfo, realtime_lowest_number_first, POSITIVE, PSE51) {
    log_reset();
    const int sigs[] = {SIGRTMIN + 5, SIGRTMIN + 1, SIGRTMIN + 3};
    u64 all = 0;
    for (int s : sigs) all |= sigbit(s);
    for (int s : sigs) ASSERT_OK(catch_sig(s, 0, all));
    ASSERT_OK(block(all));
    for (int s : sigs) EXPECT_RET(queue_self(s, s), 0);
    EXPECT_OK(unblock(all));
    EXPECT_EQ(g_log.n, 3);
    EXPECT_EQ(g_log.order[0], SIGRTMIN + 1);
    EXPECT_EQ(g_log.order[1], SIGRTMIN + 3);
    EXPECT_EQ(g_log.order[2], SIGRTMIN + 5);
    EXPECT_EQ(g_log.value[0], SIGRTMIN + 1);
}

// POSIX sigqueue: a standard signal queued three times while blocked is
// pending once and delivered once. Linux keeps the first instance (value 1);
// POSIX leaves which one unspecified.
TEST(rt_sigqueueinfo, standard_signal_keeps_first, BOUNDARY, LINUX) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    ASSERT_OK(block(sigbit(SIGUSR1)));
    for (long v = 1; v <= 3; ++v) EXPECT_RET(queue_self(SIGUSR1, v), 0);
    EXPECT_OK(unblock(sigbit(SIGUSR1)));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.value[0], 1);
}

// POSIX sigqueue EAGAIN ("no resources available to queue the signal"):
// with RLIMIT_SIGPENDING lowered to 0 (in a child), queueing a real-time
// signal fails; kill() of a standard signal still works (it needs no queue
// entry; Linux lets kill() exceed the limit).
TEST(rt_sigqueueinfo, sigpending_limit_eagain, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            rlimit64 old{}, zero{0, 0};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_SIGPENDING, nullptr, &old));
            zero.rlim_max = old.rlim_max;
            ASSERT_OK(sys::prlimit64(0, RLIMIT_SIGPENDING, &zero, nullptr));
            ASSERT_OK(block(sigbit(SIGRTMIN + 2) | sigbit(SIGUSR1)));
            EXPECT_ERR(queue_self(SIGRTMIN + 2, 1), EAGAIN);
            EXPECT_OK(sys::kill(int(sys::getpid()), SIGUSR1));
            EXPECT_EQ(pending(), sigbit(SIGUSR1));
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// rt_tgsigqueueinfo(2): the value reaches the named thread; here the
// calling thread's own handler.
TEST(rt_tgsigqueueinfo, value_delivered_to_self, POSITIVE, LINUX) {
    log_reset();
    ASSERT_OK(catch_sig(SIGRTMIN + 4));
    siginfo si = make_info(SIGRTMIN + 4, SI_QUEUE, 0x4242);
    EXPECT_RET(sys::rt_tgsigqueueinfo(int(sys::getpid()), int(sys::gettid()), SIGRTMIN + 4, &si),
               0);
    EXPECT_EQ(g_log.count[SIGRTMIN + 4], 1);
    EXPECT_EQ(g_log.info.rt.value, 0x4242);
    EXPECT_EQ(g_log.info.si_code, SI_QUEUE);
    EXPECT_EQ(g_log.tids[0], sys::gettid());
}

namespace {
struct Waiter {
    int release;
    siginfo si;
    long got;
};
// Accepts SIGRTMIN+4 (blocked, inherited mask) or gives up after 5 s; then
// waits until released (up to 5 s).
void waiter_thread(void* p) {
    auto* w = static_cast<Waiter*>(p);
    const u64 set = sigbit(SIGRTMIN + 4);
    const timespec ts{5, 0};
    w->got = sys::rt_sigtimedwait(&set, &w->si, &ts);
    i64 end = kc::now_ns() + 5000000000;
    while (!__atomic_load_n(&w->release, __ATOMIC_ACQUIRE) && kc::now_ns() < end) {
        const timespec ms{0, 1000000};
        sys::futex(&w->release, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ms);
    }
}
void release(Waiter& w) {
    __atomic_store_n(&w.release, 1, __ATOMIC_RELEASE);
    sys::futex(&w.release, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
}
}  // namespace

// rt_tgsigqueueinfo(2): a signal queued to another thread of the process is
// pending for that thread only and carries the value.
TEST(rt_tgsigqueueinfo, value_delivered_to_other_thread, POSITIVE, LINUX) {
    ASSERT_OK(block(sigbit(SIGRTMIN + 4)));
    Waiter w{};
    Thread t;
    ASSERT_OK(thread_start(t, waiter_thread, &w));
    siginfo si = make_info(SIGRTMIN + 4, SI_QUEUE, 0x3131);
    EXPECT_RET(sys::rt_tgsigqueueinfo(int(sys::getpid()), t.ret, SIGRTMIN + 4, &si), 0);
    EXPECT_EQ(pending() & sigbit(SIGRTMIN + 4), 0);
    release(w);
    thread_join(t);
    EXPECT_EQ(w.got, SIGRTMIN + 4);
    EXPECT_EQ(w.si.rt.value, 0x3131);
    EXPECT_EQ(w.si.si_code, SI_QUEUE);
}

constexpr CodeRow kForgedThread[] = {{"SI_USER", SI_USER}, {"SI_TKILL", SI_TKILL}};
// rt_tgsigqueueinfo(2): EPERM for si_code >= 0 or SI_TKILL when the target
// is another thread, even one of the caller's own process.
TEST_P(rt_tgsigqueueinfo, forged_code_to_other_thread_eperm, NEGATIVE, LINUX, kForgedThread) {
    ASSERT_OK(block(sigbit(SIGRTMIN + 4)));
    Waiter w{};
    Thread t;
    ASSERT_OK(thread_start(t, waiter_thread, &w));
    siginfo si = make_info(SIGRTMIN + 4, row.code, 1);
    EXPECT_ERR(sys::rt_tgsigqueueinfo(int(sys::getpid()), t.ret, SIGRTMIN + 4, &si), EPERM);
    EXPECT_OK(sys::tgkill(int(sys::getpid()), t.ret, SIGRTMIN + 4));  // end its wait
    release(w);
    thread_join(t);
    EXPECT_EQ(w.got, SIGRTMIN + 4);
}

// rt_tgsigqueueinfo(2) ERRORS: EINVAL for a tgid or tid that is not
// positive.
TEST_P(rt_tgsigqueueinfo, nonpositive_id_einval, NEGATIVE, LINUX, kBadIds) {
    int tgid = row.tgid == 1 ? int(sys::getpid()) : row.tgid;
    int tid = row.tid == 1 ? int(sys::gettid()) : row.tid;
    siginfo si = make_info(SIGUSR1, SI_QUEUE, 1);
    EXPECT_ERR(sys::rt_tgsigqueueinfo(tgid, tid, SIGUSR1, &si), EINVAL);
}

// rt_tgsigqueueinfo(2) ERRORS: ESRCH when the tid is not a thread of tgid
// (the caller's tid with a reaped child's pid as tgid).
TEST(rt_tgsigqueueinfo, wrong_tgid_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = reaped_child_pid();
    ASSERT_GT(pid, 0);
    siginfo si = make_info(SIGUSR1, SI_QUEUE, 1);
    EXPECT_ERR(sys::rt_tgsigqueueinfo(int(pid), int(sys::gettid()), SIGUSR1, &si), ESRCH);
}

// rt_tgsigqueueinfo(2) ERRORS: EINVAL for an invalid signal number.
TEST(rt_tgsigqueueinfo, invalid_signal_einval, NEGATIVE, LINUX) {
    siginfo si = make_info(65, SI_QUEUE, 1);
    EXPECT_ERR(sys::rt_tgsigqueueinfo(int(sys::getpid()), int(sys::gettid()), 65, &si), EINVAL);
}
