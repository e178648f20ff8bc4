// SPDX-License-Identifier: MIT
// Signals in a multi-threaded process: process-directed signals go to a
// thread that does not block them, thread-directed ones (tgkill) to the
// named thread only; masks are per thread and inherited at creation;
// pending sets are per thread plus the process's; a default "terminate"
// action ends every thread.
// Not covered here: sigwait races between several waiting threads.
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_signal.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

int load(const int& v) { return __atomic_load_n(&v, __ATOMIC_ACQUIRE); }

struct Probe {
    int sig;      // the signal to wait for (0: none)
    int unblock;  // unblock it first
    int go;       // released by the creator
    u64 mask_at_start, mask_after, pending_seen;
    u64 set_mask;  // non-zero: SIG_SETMASK to this
};

// Waits (up to 5 s) until its handler ran for p->sig, or until released.
void probe_thread(void* arg) {
    auto* p = static_cast<Probe*>(arg);
    p->mask_at_start = blocked();
    if (p->set_mask) setmask(p->set_mask);
    if (p->unblock) unblock(sigbit(p->sig));
    p->mask_after = blocked();
    i64 end = kc::now_ns() + 5000000000;
    while (kc::now_ns() < end && !load(p->go) && !(p->sig && g_log.count[p->sig])) {
        const timespec ms{0, 1000000};
        sys::futex(&p->go, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ms);
    }
    p->pending_seen = pending();
}

void release(Probe& p) {
    __atomic_store_n(&p.go, 1, __ATOMIC_RELEASE);
    sys::futex(&p.go, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
}

}  // namespace

// POSIX signal generation: a signal sent to the process is delivered to one
// thread that does not block it; here the only such thread is the second
// one, so its handler runs there, even though the main thread sent it.
TEST(kill, process_signal_goes_to_unblocking_thread, POSITIVE, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    ASSERT_OK(block(sigbit(SIGUSR1)));
    Probe p{SIGUSR1, 1};
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    EXPECT_OK(sys::kill(int(sys::getpid()), SIGUSR1));
    thread_join(t);
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.tids[0], t.ret);
    EXPECT_EQ(pending(), 0);
}

// POSIX pthread_kill (tgkill(2)): a signal sent to a thread runs the handler
// in that thread, although the sender does not block it either.
TEST(tgkill, delivers_to_named_thread, POSITIVE, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR2));
    Probe p{SIGUSR2, 0};
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    EXPECT_OK(sys::tgkill(int(sys::getpid()), t.ret, SIGUSR2));
    thread_join(t);
    EXPECT_EQ(g_log.count[SIGUSR2], 1);
    EXPECT_EQ(g_log.tids[0], t.ret);
}

// POSIX pthread_create: "The signal mask of the new thread shall be
// inherited from the creating thread"; a change the thread makes to its own
// mask does not affect the creator's.
TEST(rt_sigprocmask, thread_mask_inherited_and_private, POSITIVE, PSE51) {
    const u64 mine = sigbit(SIGHUP) | sigbit(SIGRTMIN + 2);
    const u64 theirs = sigbit(SIGUSR2) | sigbit(SIGRTMIN + 9);
    ASSERT_OK(setmask(mine));
    Probe p{};
    p.set_mask = theirs;
    p.go = 1;
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    thread_join(t);
    EXPECT_EQ(p.mask_at_start, mine);
    EXPECT_EQ(p.mask_after, theirs);
    EXPECT_EQ(blocked(), mine);
}

// POSIX sigpending: a thread sees the signals pending for itself and for
// the process, not those pending for another thread.
TEST(rt_sigpending, per_thread_and_process_sets, POSITIVE, PSE51) {
    ASSERT_OK(block(sigbit(SIGUSR1) | sigbit(SIGUSR2)));
    Probe p{};
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    EXPECT_OK(sys::tgkill(int(sys::getpid()), t.ret, SIGUSR2));  // for the thread
    EXPECT_OK(sys::kill(int(sys::getpid()), SIGUSR1));           // for the process
    EXPECT_EQ(pending(), sigbit(SIGUSR1));
    release(p);
    thread_join(t);
    EXPECT_EQ(p.pending_seen, sigbit(SIGUSR1) | sigbit(SIGUSR2));
    EXPECT_OK(set_action(SIGUSR1, SIG_IGN));  // discard before the mask is reset
}

// POSIX signal concepts: "If the action associated with a signal is ... to
// terminate the process, the entire process shall be terminated": SIGTERM
// sent to one thread (default action) ends the process, including its main
// thread that is asleep.
TEST(tgkill, default_terminate_ends_whole_process, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        set_action(SIGTERM, SIG_DFL);
        setmask(sigbit(SIGTERM));  // inherited: only the thread unblocks it
        static Probe p{SIGTERM, 1};
        static Thread t;
        if (thread_start(t, probe_thread, &p) <= 0) sys::exit_group(1);
        sys::tgkill(int(sys::getpid()), t.ret, SIGTERM);
        const timespec ts{10, 0};
        sys::nanosleep(&ts, nullptr);
        sys::exit_group(2);
    }
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifsignaled(st));
    EXPECT_EQ(wtermsig(st), SIGTERM);
}
