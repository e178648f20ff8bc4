// SPDX-License-Identifier: MIT
// A ptrace-based kernel-fault injector for x86-64: runs a program and every
// process and thread it creates, and alters chosen system calls the way a
// broken kernel would. Only the system calls a fault names stop in the
// tracer (seccomp SECCOMP_RET_TRACE); everything else runs at full speed.
// With no fault it is transparent: signals, group stops (SIGSTOP/SIGCONT
// as seen by wait), fork, threads, exec and EINTR/restart behave as without
// it. Faults apply to the program's descendants only, not to the program's
// first process (the kconform harness), so that the harness keeps reporting.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kfi {

// A system call stopped in the tracer.
struct Call {
    pid_t tid = 0;
    pid_t tgid = 0;
    long nr = 0;
    unsigned long args[6] = {};
    long ret = 0;    // at exit: the result (-errno on failure; -512..-516 when a
                     // signal interrupted it: the caller sees EINTR or a restart)
    long stash = 0;  // kept from on_entry to on_exit for the fault's own use

    // Tracee memory (works on read-only pages too).
    bool read(unsigned long addr, void* buf, size_t n) const;
    bool write(unsigned long addr, const void* buf, size_t n) const;
};

// What a fault does at a system call's entry.
enum class Act {
    Pass,    // run it (perhaps with changed args); on_exit sees the result
    Return,  // do not run it; the caller sees `value`
    Hang,    // never return (it becomes pause(); only SIGKILL ends it)
    Crash,   // kill the caller with SIGSEGV, as if the kernel faulted it
};

struct Decision {
    Act act = Act::Pass;
    long value = 0;
};

// A signal about to be delivered to a tracee (a signal-delivery-stop: it
// reaches a handler or its default action; a signal taken by sigwaitinfo or
// signalfd, or discarded as ignored, never stops here).
struct SignalStop {
    pid_t tid = 0;
    pid_t tgid = 0;
    siginfo_t info{};  // may be changed: the handler sees the change
};

struct Fault {
    std::string name;
    std::string bug_class;  // one line: the real class of kernel bug it models
    std::vector<long> syscalls;
    std::function<Decision(Call&)> on_entry;  // may change call.args
    std::function<void(Call&)> on_exit;       // may change call.ret; optional
    // Returns the signal to deliver (0: drop it); optional.
    std::function<int(SignalStop&)> on_signal;
    std::string section;  // of the catalogue, for the summary (set by it)
};

struct TraceResult {
    int exit_code = -1;  // of the program's first process
    int signal = 0;
    double seconds = 0;
    std::string out;  // its stdout
    bool timed_out = false;
};

// Runs argv under the tracer with `fault` (nullptr: none). stdout is
// captured; stderr goes to /dev/null. Throws std::runtime_error on set-up
// failure.
TraceResult run_traced(const std::vector<std::string>& argv, const Fault* fault, double timeout_s);

}  // namespace kfi
