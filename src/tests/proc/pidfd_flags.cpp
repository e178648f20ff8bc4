// SPDX-License-Identifier: MIT
// The flags of pidfd_open(2) and pidfd_send_signal(2), each observed against
// the same call without it. Inventory (flag: the test that observes it):
//   pidfd_open PIDFD_NONBLOCK: pidfd_open.nonblock_waitid_eagain (pidfd.cpp:
//     waitid(P_PIDFD) fails with EAGAIN where a blocking pidfd would wait).
//   pidfd_open PIDFD_THREAD (Linux 6.9): pidfd_open.thread_flag_opens_thread
//     (a non-leader thread's id is refused without it; with it the pidfd
//     polls readable when that thread ends, not the process), and
//     pidfd_send_signal.scope_flags (its signals go to that thread only).
//   pidfd_send_signal PIDFD_SIGNAL_THREAD, PIDFD_SIGNAL_THREAD_GROUP (6.9):
//     pidfd_send_signal.scope_flags (thread- against process-directed: which
//     thread's pending set shows the signal).
//   pidfd_send_signal PIDFD_SIGNAL_PROCESS_GROUP (6.9):
//     pidfd_send_signal.process_group_flag (the target's group-mate is
//     killed too, and only with the flag).
// The man pages installed here (man-pages 6.x) still say pidfd_send_signal's
// flags must be 0 and do not know PIDFD_THREAD; the values and meanings are
// those of the kernel's include/uapi/linux/pidfd.h (Linux 6.9). A kernel that
// refuses them (EINVAL) is older: those tests SKIP naming the release.
// Left out: none of these flags.
#include "rt/sys_poll.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace thread;

namespace {

// A thread that waits (up to 5 s) until released, then records the signals
// pending for it (its own and its process's) and ends.
struct Probe {
    int go;
    u64 pending_seen;
};
void probe_thread(void* arg) {
    auto* p = static_cast<Probe*>(arg);
    thread::wait_nonzero(p->go);
    p->pending_seen = signal::pending();
}

// The poll events of fd for reading, now.
short poll_now(int fd) {
    pollfd pf{fd, POLLIN, 0};
    timespec zero{0, 0};
    return sys::ppoll(&pf, 1, &zero, nullptr) == 1 ? pf.revents : 0;
}

// pidfd_open(tid, PIDFD_THREAD), or SKIP where the kernel does not know the
// flag (EINVAL before Linux 6.9) or the call (ENOSYS).
long open_thread_pidfd(int tid) {
    long fd = sys::pidfd_open(tid, PIDFD_THREAD);
    if (fd == -ENOSYS) kc::skip_unimplemented("pidfd_open", "no pidfd_open (Linux < 5.3)");
    if (fd == -EINVAL) kc::skip("needs pidfd_open's PIDFD_THREAD (Linux 6.9)");
    return fd;
}

}  // namespace

// pidfd_open PIDFD_THREAD (Linux 6.9, include/uapi/linux/pidfd.h): without
// it the pid must name a thread-group leader, so a second thread's id is
// refused (EINVAL, as pidfd_open(2) says for an invalid pid; Linux 6.18
// answers ENOENT: either is "not a process"); with it the pidfd refers to
// that thread: it polls readable once the thread has ended, while the
// process (and a pidfd for it) lives on.
TEST(pidfd_open, thread_flag_opens_thread, POSITIVE, LINUX) {
    Probe p{};
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    long plain = sys::pidfd_open(t.ret, 0);
    if (plain >= 0) sys::close(int(plain));
    long fd = sys::pidfd_open(t.ret, PIDFD_THREAD);
    long proc_fd = sys::pidfd_open(int(sys::getpid()), 0);
    if (fd >= 0) EXPECT_EQ(poll_now(int(fd)), 0);  // the thread still runs
    thread::release(p.go);
    thread_join(t);
    if (fd == -ENOSYS || fd == -EINVAL) {
        if (proc_fd >= 0) sys::close(int(proc_fd));
        open_thread_pidfd(t.ret);  // skips, naming the kernel's lack
    }
    EXPECT_ERR_ANY(plain, EINVAL, ENOENT);
    ASSERT_OK(fd);
    ASSERT_OK(proc_fd);
    // thread_join saw the CLONE_CHILD_CLEARTID write, which the kernel does
    // as the thread exits; the pidfd is woken a little later in that exit.
    short ev = 0;
    for (i64 end = kc::now_ns() + 2000000000; !(ev = poll_now(int(fd))) && kc::now_ns() < end;)
        common::sleep_ms(1);
    EXPECT_EQ(ev & POLLIN, POLLIN);
    EXPECT_EQ(poll_now(int(proc_fd)), 0);
    sys::close(int(fd));
    sys::close(int(proc_fd));
}

struct ScopeRow {
    const char* label;
    bool thread_pidfd;  // PIDFD_THREAD pidfd of the second thread, else of the process
    unsigned flags;
    bool main_sees, thread_sees;  // in their rt_sigpending sets
};
constexpr ScopeRow kScopes[] = {
    {"process_pidfd,flags=0", false, 0, true, true},
    {"process_pidfd,PIDFD_SIGNAL_THREAD", false, PIDFD_SIGNAL_THREAD, true, false},
    {"thread_pidfd,flags=0", true, 0, false, true},
    {"thread_pidfd,PIDFD_SIGNAL_THREAD_GROUP", true, PIDFD_SIGNAL_THREAD_GROUP, true, true},
};
// pidfd_send_signal flags (Linux 6.9, include/uapi/linux/pidfd.h): a signal
// sent through a process's pidfd is process-directed (pending for the whole
// thread group: every thread's rt_sigpending shows it), through a
// PIDFD_THREAD pidfd thread-directed (pending for that thread only);
// PIDFD_SIGNAL_THREAD makes it directed at the pidfd's thread (for a
// process pidfd: the leader, the main thread here) and
// PIDFD_SIGNAL_THREAD_GROUP at its whole thread group. The signal (SIGURG,
// ignored by default) is blocked in both threads and discarded at the end.
TEST_P(pidfd_send_signal, scope_flags, POSITIVE, LINUX, kScopes) {
    const u64 bit = sigbit(SIGURG);
    ASSERT_OK(signal::block(bit));  // the thread inherits the mask
    Probe p{};
    Thread t;
    ASSERT_GT(thread_start(t, probe_thread, &p), 0);
    long fd = row.thread_pidfd ? sys::pidfd_open(t.ret, PIDFD_THREAD)
                               : sys::pidfd_open(int(sys::getpid()), 0);
    long sent = fd >= 0 ? sys::pidfd_send_signal(int(fd), SIGURG, nullptr, row.flags) : fd;
    u64 main_pending = signal::pending();
    thread::release(p.go);
    thread_join(t);
    signal::set_action(SIGURG, SIG_IGN);  // discards it wherever it is pending
    signal::set_action(SIGURG, SIG_DFL);
    if (fd >= 0) sys::close(int(fd));
    if (fd == -ENOSYS) kc::skip_unimplemented("pidfd_open", "no pidfd_open (Linux < 5.3)");
    if (row.thread_pidfd && fd == -EINVAL) kc::skip("needs pidfd_open's PIDFD_THREAD (Linux 6.9)");
    if (row.flags && sent == -EINVAL) kc::skip("needs pidfd_send_signal's scope flags (Linux 6.9)");
    ASSERT_OK(fd);
    ASSERT_OK(sent);
    EXPECT_EQ((main_pending & bit) != 0, row.main_sees);
    EXPECT_EQ((p.pending_seen & bit) != 0, row.thread_sees);
}

struct GroupRow {
    const char* label;
    unsigned flags;
    bool mate_killed;
};
constexpr GroupRow kGroup[] = {{"flags=0", 0, false},
                               {"PIDFD_SIGNAL_PROCESS_GROUP", PIDFD_SIGNAL_PROCESS_GROUP, true}};
// pidfd_send_signal PIDFD_SIGNAL_PROCESS_GROUP (Linux 6.9): the signal goes
// to the process group of the pidfd's process (as kill(-pgid)), not to that
// process alone. Two held children share a group of their own; SIGKILL
// through the first one's pidfd ends both with the flag, only the first
// without it (the second then exits normally when released).
TEST_P(pidfd_send_signal, process_group_flag, POSITIVE, LINUX, kGroup, .flags = kc::NEEDS_FORK) {
    proc::Held a, b;
    ASSERT_TRUE(proc::hold(a, true));
    ASSERT_TRUE(proc::hold(b));
    EXPECT_OK(sys::setpgid(int(b.pid), int(a.pid)));
    long fd = sys::pidfd_open(int(a.pid), 0);
    long sent = fd >= 0 ? sys::pidfd_send_signal(int(fd), SIGKILL, nullptr, row.flags) : fd;
    if (sent != 0) sys::kill(int(a.pid), SIGKILL);  // a is never left held
    if (fd >= 0) sys::close(int(fd));
    EXPECT_EQ(proc::release(a), SIGKILL);
    int mate = proc::release(b);
    if (fd == -ENOSYS) kc::skip_unimplemented("pidfd_open", "no pidfd_open (Linux < 5.3)");
    if (row.flags && sent == -EINVAL) kc::skip("needs pidfd_send_signal's scope flags (Linux 6.9)");
    ASSERT_OK(fd);
    EXPECT_OK(sent);
    EXPECT_EQ(mate, row.mate_killed ? SIGKILL : 0);
}
