// SPDX-License-Identifier: MIT
// Shared helpers of the ptrace and seccomp tests: a child-process guard that
// kills and reaps on every path, a tracee that stops itself, and a few
// wait-status decoders. Every process here is a child the test created.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_ptrace.hpp"

namespace {

// The sizes PTRACE_GET_SYSCALL_INFO reports for each op: struct
// ptrace_syscall_info up to the end of that op's member.
constexpr long kInfoNoneSize = 24, kInfoEntrySize = 80, kInfoExitSize = 33;
constexpr long kInfoSeccompSize = 84;

inline int stopsig(int st) { return (st >> 8) & 0xff; }
inline int stop_event(int st) { return st >> 16; }
// True if the status says "exited with code".
inline bool exited_with(int st, int code) { return wifexited(st) && wexitstatus(st) == code; }

// A child of this test. end() (and the destructor) kill it and wait until it
// is reaped, resuming it past any ptrace stop on the way out (such as
// PTRACE_EVENT_EXIT under PTRACE_O_TRACEEXIT). Parents use EXPECT (never ASSERT) while a
// Kid is alive: a fatal check would skip the destructor.
struct Kid {
    long pid = 0;
    Kid() = default;
    Kid(const Kid&) = delete;
    ~Kid() { end(); }
    void end() {
        if (pid <= 0) return;
        sys::kill(int(pid), SIGKILL);
        while (wait() >= 0 && pid > 0) sys::ptrace(PTRACE_CONT, pid, 0, 0);
    }
    // Resumes a stopped tracee until it ends, suppressing the signals it
    // stops for (a traced process stops even for an ignored SIGCHLD).
    int run_to_end() {
        int st = 0;
        while (pid > 0 && sys::ptrace(PTRACE_CONT, pid, 0, 0) == 0) st = wait();
        return st;
    }
    // The next state change; a final one (or an error) clears pid.
    int wait() {
        int st = kc::wait_status(pid);
        if (st < 0 || !wifstopped(st)) pid = 0;
        return st;
    }
};

// Forks a child that runs fn(arg) and exits with its result.
inline bool start(Kid& k, int (*fn)(long), long arg = 0) {
    k.pid = sys::fork();
    if (k.pid == 0) sys::exit_group(fn(arg));
    if (k.pid > 0) return true;
    EXPECT_OK(k.pid);
    k.pid = 0;
    return false;
}

// The exit status of a child whose PTRACE_TRACEME was refused.
constexpr int kTracemeRefused = 90;  // PTRACE_TRACEME: EPERM
constexpr int kTracemeFailed = 91;   // PTRACE_TRACEME: any other error

// SKIPs the test (in the test process only: never from a forked helper) when
// a child exited with kTracemeRefused: a security module (Yama ptrace_scope
// 3) forbids even PTRACE_TRACEME. (A tracer of the run is ruled out first:
// see start_traced.)
inline void skip_if_refused(int st, bool in_test_process = true) {
    if (in_test_process && exited_with(st, kTracemeRefused))
        kc::skip("PTRACE_TRACEME refused: Yama ptrace_scope 3 or another LSM");
}

// Forks a child that calls PTRACE_TRACEME and stops itself with SIGSTOP, then
// runs fn(arg) and exits with its result. Returns true once the parent has
// seen that signal-delivery stop. Called from the test process unless
// in_test_process is false (then the test itself calls kc::require_no_tracer).
//
// Every test that traces its own children needs the run to be untraced: a
// tracer that follows forks (strace -f, a debugger) is attached to each new
// child first, so that the child's PTRACE_TRACEME and the test's
// PTRACE_ATTACH/SEIZE fail with EPERM ("already traced").
inline bool start_traced(Kid& k, int (*fn)(long), long arg = 0, bool in_test_process = true) {
    if (in_test_process) kc::require_no_tracer();
    k.pid = sys::fork();
    if (k.pid == 0) {
        long r = sys::ptrace(PTRACE_TRACEME, 0);
        if (r != 0) sys::exit_group(r == -EPERM ? kTracemeRefused : kTracemeFailed);
        sys::kill(int(sys::getpid()), SIGSTOP);
        sys::exit_group(fn(arg));
    }
    if (k.pid < 0) {
        EXPECT_OK(k.pid);
        k.pid = 0;
        return false;
    }
    int st = k.wait();
    skip_if_refused(st, in_test_process);
    if (exited_with(st, kTracemeFailed)) {
        ADD_FAILURE("PTRACE_TRACEME failed with an error other than EPERM");
        return false;
    }
    return EXPECT_TRUE(wifstopped(st)) && EXPECT_EQ(stopsig(st), SIGSTOP);
}

}  // namespace
