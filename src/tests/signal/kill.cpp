// SPDX-License-Identifier: MIT
// kill(2), tgkill(2), tkill(2) as seen by the receiver: the default action
// of every signal, the null signal, queueing of repeated sends, thread
// targeting and argument validation. Only the test's own processes and
// threads are ever signalled.
// Not covered here: process groups, permissions between users and zombies
// (tests/proc/kill.cpp), thread-directed delivery to other threads
// (tests/thread/thread_signal.cpp).
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/signal/signals.hpp"

using namespace signal;

namespace {

// The child: its own process group (so job-control stops are never
// discarded as they are for an orphaned group), no core dump, the default
// action for the signal and nothing blocked; then it signals itself.
// Surviving (ignore, continue) exits 0.
void default_action_child(void* p) {
    int sig = *static_cast<const int*>(p);
    sys::setpgid(0, 0);
    sys::prctl(PR_SET_DUMPABLE, 0);
    set_action(sig, SIG_DFL);
    setmask(0);
    if (sys::kill(int(sys::getpid()), sig) != 0) sys::exit_group(2);
}

}  // namespace

// signal(7) / POSIX <signal.h>: the default action of each signal, seen by
// the parent: Term and Core end the process with that signal (core dumps
// are disabled, so the two look alike), Stop stops it (reported by
// WUNTRACED), Ign and Cont leave it running.
TEST_P(kill, default_action, POSITIVE, PSE53, kAllSignals, .flags = kc::NEEDS_FORK) {
    int sig = row.sig;
    long pid = kc::spawn(default_action_child, &sig);
    ASSERT_GT(pid, 0);
    int st = 0;
    long r;
    do r = sys::wait4(int(pid), &st, WUNTRACED, nullptr);
    while (r == -EINTR);
    ASSERT_EQ(r, pid);
    if (row.dfl == STOP) {
        EXPECT_TRUE(wifstopped(st));
        EXPECT_EQ((st >> 8) & 0xff, sig);
        sys::kill(int(pid), SIGKILL);
        kc::wait_status(pid);
    } else if (row.dfl == TERM || row.dfl == CORE) {
        EXPECT_TRUE(wifsignaled(st));
        EXPECT_EQ(wtermsig(st), sig);
    } else {
        EXPECT_TRUE(wifexited(st));
        EXPECT_EQ(wexitstatus(st), 0);
    }
}

// POSIX kill: signal 0 to the caller's own pid performs the checks and
// sends nothing.
TEST(kill, null_signal_to_self, BOUNDARY, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    EXPECT_RET(sys::kill(int(sys::getpid()), 0), 0);
    EXPECT_EQ(pending(), 0);
    EXPECT_EQ(g_log.n, 0);
}

// POSIX kill: ESRCH for a pid that names no process (a child that was
// reaped), with a real signal.
TEST(kill, reaped_child_esrch, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = reaped_child_pid();
    ASSERT_GT(pid, 0);
    EXPECT_ERR(sys::kill(int(pid), SIGTERM), ESRCH);
    EXPECT_ERR(sys::kill(int(pid), 0), ESRCH);
}

struct IntRow {
    const char* label;
    int v;
};
constexpr IntRow kBadSigs[] = {
    {"sig=65", 65}, {"sig=-1", -1}, {"sig=INT_MAX", INT_MAX}, {"sig=INT_MIN", INT_MIN}};
// POSIX kill: EINVAL for an invalid signal number sent to the caller.
TEST_P(kill, invalid_signal_to_self_einval, NEGATIVE, PSE51, kBadSigs) {
    EXPECT_ERR(sys::kill(int(sys::getpid()), row.v), EINVAL);
}

constexpr IntRow kStdSigs[] = {{"SIGUSR1", SIGUSR1}, {"SIGHUP", SIGHUP}, {"SIGCHLD", SIGCHLD}};
// POSIX signal concepts: a standard signal generated again while it is
// already pending is not queued: sent three times while blocked, it is
// delivered once.
TEST_P(kill, standard_signal_not_queued, POSITIVE, PSE51, kStdSigs) {
    log_reset();
    ASSERT_OK(catch_sig(row.v));
    ASSERT_OK(block(sigbit(row.v)));
    for (int i = 0; i < 3; ++i) EXPECT_OK(sys::kill(int(sys::getpid()), row.v));
    EXPECT_OK(unblock(sigbit(row.v)));
    EXPECT_EQ(g_log.count[row.v], 1);
}

constexpr IntRow kRtSigs[] = {
    {"SIGRTMIN", SIGRTMIN}, {"SIGRTMIN+1", SIGRTMIN + 1}, {"SIGRTMAX-1", SIGRTMAX - 1}};
// POSIX RTS: a real-time signal caught with SA_SIGINFO is queued on every
// kill(): sent three times while blocked, it is delivered three times.
TEST_P(kill, realtime_signal_queued, POSITIVE, PSE51, kRtSigs) {
    log_reset();
    ASSERT_OK(catch_sig(row.v, 0, sigbit(row.v)));
    ASSERT_OK(block(sigbit(row.v)));
    for (int i = 0; i < 3; ++i) EXPECT_OK(sys::kill(int(sys::getpid()), row.v));
    EXPECT_OK(unblock(sigbit(row.v)));
    EXPECT_EQ(g_log.count[row.v], 3);
}

// tgkill(2): the signal goes to the named thread (here the caller) with
// si_code SI_TKILL and the sender's pid and uid.
TEST(tgkill, siginfo_si_tkill, POSITIVE, LINUX) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1));
    EXPECT_RET(sys::tgkill(int(sys::getpid()), int(sys::gettid()), SIGUSR1), 0);
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.info.si_code, SI_TKILL);
    EXPECT_EQ(g_log.info.rt.pid, sys::getpid());
    EXPECT_EQ(long(g_log.info.rt.uid), sys::getuid());
    EXPECT_EQ(g_log.tids[0], sys::gettid());
}

// tgkill(2): signal 0 only checks that the thread exists.
TEST(tgkill, null_signal_probes, BOUNDARY, LINUX) {
    EXPECT_RET(sys::tgkill(int(sys::getpid()), int(sys::gettid()), 0), 0);
    EXPECT_EQ(pending(), 0);
}

// tgkill(2) ERRORS: EINVAL for a tgid or tid that is not positive.
TEST_P(tgkill, nonpositive_id_einval, NEGATIVE, LINUX, kBadIds) {
    int tgid = row.tgid == 1 ? int(sys::getpid()) : row.tgid;
    int tid = row.tid == 1 ? int(sys::gettid()) : row.tid;
    EXPECT_ERR(sys::tgkill(tgid, tid, SIGUSR1), EINVAL);
    EXPECT_ERR(sys::tgkill(tgid, tid, 0), EINVAL);
}

// tgkill(2) ERRORS: ESRCH when tid is not a thread of tgid: the caller's
// tid with a live child's pid as tgid, and a live child's pid as tid in the
// caller's group. The child is not signalled.
TEST(tgkill, wrong_tgid_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held child;  // blocked until released
    ASSERT_TRUE(proc::hold(child));
    EXPECT_ERR(sys::tgkill(int(child.pid), int(sys::gettid()), SIGUSR1), ESRCH);
    EXPECT_ERR(sys::tgkill(int(sys::getpid()), int(child.pid), SIGUSR1), ESRCH);
    EXPECT_TRUE(wifexited(proc::release(child)));
}

// tgkill(2) ERRORS: ESRCH for a thread that no longer exists (a reaped
// child's id).
TEST(tgkill, reaped_thread_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = reaped_child_pid();
    ASSERT_GT(pid, 0);
    EXPECT_ERR(sys::tgkill(int(pid), int(pid), SIGUSR1), ESRCH);
}

// tgkill(2) ERRORS: EINVAL for an invalid signal number.
TEST_P(tgkill, invalid_signal_einval, NEGATIVE, LINUX, kBadSigs) {
    EXPECT_ERR(sys::tgkill(int(sys::getpid()), int(sys::gettid()), row.v), EINVAL);
}

// tkill(2): the older form without tgid reaches the named thread with
// SI_TKILL.
TEST(tkill, delivers_to_thread, POSITIVE, LINUX) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR2));
    EXPECT_RET(sys::tkill(int(sys::gettid()), SIGUSR2), 0);
    EXPECT_EQ(g_log.count[SIGUSR2], 1);
    EXPECT_EQ(g_log.info.si_code, SI_TKILL);
    EXPECT_EQ(g_log.info.rt.pid, sys::getpid());
}

constexpr IntRow kBadTids[] = {{"tid=0", 0}, {"tid=-1", -1}, {"tid=INT_MIN", INT_MIN}};
// tkill(2) ERRORS: EINVAL for a tid that is not positive.
TEST_P(tkill, nonpositive_tid_einval, NEGATIVE, LINUX, kBadTids) {
    EXPECT_ERR(sys::tkill(row.v, SIGUSR1), EINVAL);
}

// tkill(2) ERRORS: ESRCH for a thread that no longer exists.
TEST(tkill, reaped_thread_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = reaped_child_pid();
    ASSERT_GT(pid, 0);
    EXPECT_ERR(sys::tkill(int(pid), SIGUSR1), ESRCH);
    EXPECT_ERR(sys::tkill(int(pid), 0), ESRCH);
}

// tkill(2) ERRORS: EINVAL for an invalid signal number.
TEST_P(tkill, invalid_signal_einval, NEGATIVE, LINUX, kBadSigs) {
    EXPECT_ERR(sys::tkill(int(sys::gettid()), row.v), EINVAL);
}
