// SPDX-License-Identifier: MIT
// The options of wait4(2) and waitid(2) and waitid's id types, each observed
// against the same wait without it. Inventory (option: the tests that
// observe it; wait.cpp unless named otherwise):
//   WNOHANG: wait4.wnohang_running_child_returns_zero,
//     waitid.wnohang_running_child_zeroes_pid (a wait without it would block).
//   WUNTRACED/WSTOPPED: wait4.wuntraced_reports_stop against
//     wait4.stopped_child_hidden_without_wuntraced; waitid.wstopped_reports_stop
//     against waitid.state_reported_only_with_its_flag/stopped (here).
//   WCONTINUED: wait4.wcontinued_reports_resume and
//     wait4.continued_child_hidden_without_wcontinued (here);
//     waitid.wcontinued_reports_resume and
//     waitid.state_reported_only_with_its_flag/continued (here).
//   WEXITED: waitid.wexited_fills_siginfo and
//     waitid.state_reported_only_with_its_flag/exited (here).
//   WNOWAIT: waitid.wnowait_leaves_child_waitable.
//   __WCLONE, __WALL: wait4.clone_children_selection (here: which of an
//     ordinary and a "clone" child each selects), with clone.custom_exit_signal
//     and clone.zero_exit_signal (clone.cpp).
//   __WNOTHREAD: wait4.wnothread_ignores_other_threads_children and the same
//     for waitid (here).
//   P_PID, P_ALL: every waitid test; P_PGID: waitid.p_pgid_selects_group,
//     waitid.p_pgid_zero_is_own_group; P_PIDFD: waitid.p_pidfd_waits_for_pidfd.
// Left out: none of these options.
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace thread;

namespace {

enum State { kExited, kStopped, kContinued };

}  // namespace

struct StateRow {
    const char* label;
    State state;
    int without;  // every other state option
    int with;     // the one that reports the state
    int code;     // si_code it reports
    long without_ret;
};
constexpr StateRow kStates[] = {
    {"exited", kExited, WSTOPPED | WCONTINUED, WEXITED, CLD_EXITED, -ECHILD},
    {"stopped", kStopped, WEXITED | WCONTINUED, WSTOPPED, CLD_STOPPED, 0},
    {"continued", kContinued, WEXITED | WSTOPPED, WCONTINUED, CLD_CONTINUED, 0},
};
// POSIX waitid: "The application shall specify at least one of the
// following flags ... to indicate what state changes to wait for": WEXITED
// (processes that have exited), WSTOPPED (stopped by a signal), WCONTINUED
// (continued). A child in one state is not reported by a wait with the
// other two (WNOHANG returns 0, si_pid 0), and is by the one flag naming it.
// Linux differs from POSIX for a child that has exited: a wait without
// WEXITED whose only candidate is that zombie fails with ECHILD, although
// POSIX gives ECHILD only when there is no "unwaited-for child" (Linux's
// wait_task_zombie returns before the zombie counts as one). Linux wins.
TEST_P(waitid, state_reported_only_with_its_flag, POSITIVE, PSE53, kStates,
       .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    siginfo si{};
    if (row.state == kExited) {
        sys::close(h.wfd);
        EXPECT_RET(proc::await_state(h.pid, WEXITED), CLD_EXITED);
    } else {
        EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
        EXPECT_RET(proc::await_state(h.pid, WSTOPPED), CLD_STOPPED);
        if (row.state == kContinued) {
            EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, WSTOPPED, nullptr), 0);  // consumed
            EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
            EXPECT_RET(proc::await_state(h.pid, WCONTINUED), CLD_CONTINUED);
        }
    }
    common::fill_bytes(&si, 0xa5, sizeof si);
    long r = sys::waitid(P_PID, int(h.pid), &si, row.without | WNOHANG, nullptr);
    EXPECT_EQ(r, row.without_ret);
    if (r == 0) EXPECT_EQ(si.child.pid, 0);
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, row.with | WNOHANG, nullptr), 0);
    EXPECT_EQ(si.child.pid, h.pid);
    EXPECT_EQ(si.si_code, row.code);
    if (row.state == kExited) {
        EXPECT_EQ(si.child.status, 0);
        EXPECT_ERR(sys::kill(int(h.pid), 0), ESRCH);  // WEXITED reaped it
        return;
    }
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_EQ(proc::release(h), 0);
}

// wait4(2) WCONTINUED (POSIX waitpid: "report the status of any continued
// child process ... whose status has not been reported since it continued
// from a job control stop"): without it, a continued child is not reported,
// not even with WUNTRACED; with it, it is (status 0xffff).
TEST(wait4, continued_child_hidden_without_wcontinued, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    int st = 0;
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    EXPECT_RET(sys::wait4(int(h.pid), &st, WUNTRACED, nullptr), h.pid);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_RET(proc::await_state(h.pid, WCONTINUED), CLD_CONTINUED);
    EXPECT_RET(sys::wait4(int(h.pid), &st, WUNTRACED | WNOHANG, nullptr), 0);
    st = 0;
    EXPECT_RET(sys::wait4(int(h.pid), &st, WCONTINUED | WNOHANG, nullptr), h.pid);
    EXPECT_EQ(st, 0xffff);
    EXPECT_EQ(proc::release(h), 0);
}

struct CloneSelRow {
    const char* label;
    int options;
    bool ordinary, clone_child;  // reaped by wait4(-1, options)
};
constexpr CloneSelRow kCloneSel[] = {{"options=0", 0, true, false},
                                     {"__WCLONE", __WCLONE, false, true},
                                     {"__WALL", __WALL, true, true}};
// wait(2) NOTES / wait4(2): a "clone" child is one that sends its parent no
// signal or a signal other than SIGCHLD at exit. By default wait4 waits only
// for the others; __WCLONE waits only for clone children; __WALL for both.
// Both children have exited before wait4(-1, options | WNOHANG) is called
// until it finds no more: ECHILD, as no remaining child is eligible.
TEST_P(wait4, clone_children_selection, POSITIVE, LINUX, kCloneSel, .flags = kc::NEEDS_FORK) {
    long ordinary = proc::fork_exit(1);
    ASSERT_GT(ordinary, 0);
    long cl = sys::clone(0, nullptr, nullptr);  // exit signal 0
    if (cl == 0) sys::exit_group(2);
    siginfo si{};
    EXPECT_OK(sys::waitid(P_PID, int(ordinary), &si, WEXITED | WNOWAIT, nullptr));
    if (cl > 0) EXPECT_OK(sys::waitid(P_PID, int(cl), &si, WEXITED | WNOWAIT | __WALL, nullptr));
    bool got_ordinary = false, got_clone = false;
    int st = 0;
    long r = 0;
    for (int i = 0; i < 3; ++i) {
        r = sys::wait4(-1, &st, row.options | WNOHANG, nullptr);
        if (r <= 0) break;
        if (r == ordinary) got_ordinary = wexitstatus(st) == 1;
        if (r == cl) got_clone = wexitstatus(st) == 2;
    }
    // Whatever the options left behind.
    while (sys::wait4(-1, &st, __WALL | WNOHANG, nullptr) > 0) {
    }
    ASSERT_GT(cl, 0);
    EXPECT_ERR(r, ECHILD);
    EXPECT_EQ(got_ordinary, row.ordinary);
    EXPECT_EQ(got_clone, row.clone_child);
}

namespace {
// A thread that forks a child which exits at once with status 5, then stays
// alive (so that the child stays its child) until released.
struct Forker {
    long child;
    int forked;
    int go;
};
void fork_and_park(void* arg) {
    auto* f = static_cast<Forker*>(arg);
    f->child = sys::fork();
    if (f->child == 0) sys::exit_group(5);
    release(f->forked);
    wait_nonzero(f->go);
}

// The main thread's wait for a child that a second thread forked: with
// __WNOTHREAD first (only_mine), then without it (any: the pid reaped, with
// its wait status in *st).
void wait_for_threads_child(bool use_waitid, long* only_mine, long* any, int* st) {
    Forker f{-1, 0, 0};
    Thread t;
    ASSERT_GT(thread_start(t, fork_and_park, &f), 0);
    wait_nonzero(f.forked);
    long pid = f.child;
    siginfo si{};
    if (pid > 0) {
        EXPECT_RET(proc::await_state(pid, WEXITED), CLD_EXITED);
        if (use_waitid) {
            *only_mine =
                sys::waitid(P_PID, int(pid), &si, WEXITED | WNOHANG | __WNOTHREAD, nullptr);
            si = {};
            *any = sys::waitid(P_PID, int(pid), &si, WEXITED | WNOHANG, nullptr);
            if (*any == 0) *any = si.child.pid;
            *st = si.child.status << 8;
        } else {
            *only_mine = sys::wait4(int(pid), st, WNOHANG | __WNOTHREAD, nullptr);
            *any = sys::wait4(int(pid), st, WNOHANG, nullptr);
        }
    }
    release(f.go);
    thread_join(t);
    ASSERT_GT(pid, 0);
    if (*any != pid) kc::wait_status(pid);  // never leave it unreaped
    *any = *any == pid ? 1 : 0;
}
}  // namespace

// wait(2) __WNOTHREAD (Linux): "Do not wait for children of other threads in
// the same thread group." A child forked by a second thread is its child:
// the main thread's wait4 with __WNOTHREAD finds no such child (ECHILD); the
// same wait without it reaps it (by default a thread waits for the children
// of every thread of its group).
TEST(wait4, wnothread_ignores_other_threads_children, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long only_mine = -1, reaped = 0;
    int st = -1;
    wait_for_threads_child(false, &only_mine, &reaped, &st);
    EXPECT_ERR(only_mine, ECHILD);
    EXPECT_EQ(reaped, 1);
    EXPECT_EQ(st, 5 << 8);
}

// waitid(2) accepts __WNOTHREAD too (wait(2) NOTES), with the same effect.
TEST(waitid, wnothread_ignores_other_threads_children, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long only_mine = -1, reaped = 0;
    int st = -1;
    wait_for_threads_child(true, &only_mine, &reaped, &st);
    EXPECT_ERR(only_mine, ECHILD);
    EXPECT_EQ(reaped, 1);
    EXPECT_EQ(st, 5 << 8);
}
