// SPDX-License-Identifier: MIT
// rt_sigaction(2) (POSIX sigaction): handlers run for every catchable signal
// with the right siginfo, SIG_IGN discards pending instances, SA_RESTART,
// SA_RESETHAND, SA_NODEFER, sa_mask, SIGCHLD auto-reaping, SIGKILL/SIGSTOP
// protection, argument validation, unknown-flag clearing, and what fork and
// execve keep.
// SIGCHLD for stopped and continued children, and SA_NOCLDSTOP.
// Not covered here: SA_ONSTACK (sigaltstack.cpp), SA_EXPOSE_TAGBITS
// (arm64 tagged addresses), the sa_restorer contract (every none-mode test
// depends on it already).
#include "harness/test.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/signal/signals.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

void* const kLog = reinterpret_cast<void*>(log_handler);
constexpr u64 kKillStop = sigbit(SIGKILL) | sigbit(SIGSTOP);

volatile int g_plain_sig;
void plain_handler(int sig) { g_plain_sig = sig; }

}  // namespace

// POSIX sigaction/kill: an SA_SIGINFO handler runs once for a signal the
// process sends itself, with si_signo, si_code SI_USER, si_pid and si_uid of
// the sender; kill() delivers it before returning (single-threaded sender).
TEST_P(rt_sigaction, handler_receives_each_signal, POSITIVE, PSE51, kCatchable) {
    log_reset();
    ASSERT_OK(catch_sig(row.sig));
    EXPECT_OK(sys::kill(int(sys::getpid()), row.sig));
    EXPECT_EQ(g_log.count[row.sig], 1);
    EXPECT_EQ(g_log.info.si_signo, row.sig);
    EXPECT_EQ(g_log.info.si_code, SI_USER);
    EXPECT_EQ(g_log.info.rt.pid, sys::getpid());
    EXPECT_EQ(long(g_log.info.rt.uid), sys::getuid());
}

// POSIX sigaction: "Setting a signal action to SIG_IGN for a signal that is
// pending shall cause the pending signal to be discarded, whether or not it
// is blocked." A blocked signal is kept pending even while ignored (Linux
// and POSIX: blocked signals are not discarded at generation).
TEST_P(rt_sigaction, sig_ign_discards_pending, POSITIVE, PSE51, kCatchable) {
    log_reset();
    const u64 bit = sigbit(row.sig);
    ASSERT_OK(block(bit));
    EXPECT_OK(raise(row.sig));
    EXPECT_EQ(pending() & bit, bit);
    EXPECT_OK(set_action(row.sig, SIG_IGN));
    EXPECT_EQ(pending() & bit, 0);
    EXPECT_OK(catch_sig(row.sig));
    EXPECT_OK(unblock(bit));
    EXPECT_EQ(g_log.count[row.sig], 0);
}

// POSIX sigaction: without SA_SIGINFO the handler is called with the signal
// number as its only argument.
TEST(rt_sigaction, plain_handler_gets_signal_number, POSITIVE, PSE51) {
    g_plain_sig = 0;
    ASSERT_OK(set_action(SIGUSR2, reinterpret_cast<void*>(plain_handler)));
    EXPECT_OK(raise(SIGUSR2));
    EXPECT_EQ(g_plain_sig, SIGUSR2);
}

struct RestartRow {
    const char* label;
    u64 flags;
    long want;
};
constexpr RestartRow kRestart[] = {{"SA_RESTART", SA_RESTART, 1}, {"no_SA_RESTART", 0, -EINTR}};
// POSIX sigaction SA_RESTART / read: a read blocked on an empty pipe and
// interrupted by a handler is restarted with SA_RESTART (it then returns the
// byte the handler wrote) and fails with EINTR without it. A signal that
// arrives before the read blocks is retried.
TEST_P(rt_sigaction, sa_restart_read_on_pipe, POSITIVE, PSE51, kRestart) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    log_reset();
    volatile int reading = 0;
    g_log.write_fd = fds[1];
    g_log.watch = &reading;
    ASSERT_OK(catch_sig(SIGUSR1, row.flags));
    SignalTarget tg{int(sys::getpid()), int(sys::gettid()), SIGUSR1};
    long r = 0;
    char c = 0;
    for (int attempt = 0; attempt < 20; ++attempt) {
        Thread t;
        g_log.count[SIGUSR1] = 0;
        if (thread_start(t, send_later, &tg) < 0) break;
        reading = 1;
        r = sys::read(fds[0], &c, 1);
        reading = 0;
        thread_join(t);
        if (g_log.watched) break;  // the signal found the read blocked
    }
    EXPECT_TRUE(g_log.watched);
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(r, row.want);
    if (r == -EINTR) EXPECT_RET(sys::read(fds[0], &c, 1), 1);  // the handler's byte
    EXPECT_EQ(c, 'h');
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// POSIX sigaction SA_RESETHAND: the disposition is reset to SIG_DFL on entry
// to the handler, so a second SIGURG (default: ignore) runs no handler.
TEST(rt_sigaction, sa_resethand_runs_once, POSITIVE, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGURG, SA_RESETHAND));
    EXPECT_OK(raise(SIGURG));
    EXPECT_EQ(g_log.count[SIGURG], 1);
    EXPECT_EQ(long(action_of(SIGURG)), long(SIG_DFL));
    EXPECT_OK(raise(SIGURG));
    EXPECT_EQ(g_log.count[SIGURG], 1);
}

struct NodeferRow {
    const char* label;
    u64 flags;
    bool blocked_inside;
    int max_depth;
};
constexpr NodeferRow kNodefer[] = {{"SA_NODEFER", SA_NODEFER, false, 2}, {"default", 0, true, 1}};
// POSIX sigaction SA_NODEFER: the signal is not added to the mask while its
// handler runs, so raising it again inside nests a second handler at once;
// by default it is blocked and the second delivery waits until the first
// handler returns. Both deliveries happen either way.
TEST_P(rt_sigaction, sa_nodefer_nesting, POSITIVE, PSE51, kNodefer) {
    log_reset();
    g_log.reraise = 1;
    ASSERT_OK(catch_sig(SIGUSR1, row.flags));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 2);
    EXPECT_EQ(g_log.max_depth, row.max_depth);
    EXPECT_EQ((g_log.mask & sigbit(SIGUSR1)) != 0, row.blocked_inside);
    EXPECT_EQ(blocked() & sigbit(SIGUSR1), 0);
}

// POSIX sigaction: while the handler runs the mask is the caller's mask plus
// sa_mask plus the signal itself; the old mask is back after it returns.
TEST(rt_sigaction, sa_mask_applied_during_handler, POSITIVE, PSE51) {
    log_reset();
    const u64 before = sigbit(SIGHUP);
    const u64 extra = sigbit(SIGUSR2) | sigbit(SIGRTMIN + 3);
    ASSERT_OK(setmask(before));
    ASSERT_OK(catch_sig(SIGUSR1, 0, extra));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.mask, before | extra | sigbit(SIGUSR1));
    EXPECT_EQ(blocked(), before);
}

// POSIX sigaction: SIGKILL and SIGSTOP cannot be blocked, not even through
// an sa_mask with every bit set.
TEST(rt_sigaction, sa_mask_cannot_block_kill_stop, BOUNDARY, PSE51) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1, 0, ~0ull));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_EQ(g_log.mask, ~kKillStop);
}

// Linux do_sigaction: SIGKILL and SIGSTOP are removed from a stored sa_mask,
// so reading the action back shows every other bit.
TEST(rt_sigaction, sa_mask_readback_drops_kill_stop, BOUNDARY, LINUX) {
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO, ~0ull), old{};
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, &a, nullptr));
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, nullptr, &old));
    EXPECT_EQ(old.mask, ~kKillStop);
}

struct KillStopRow {
    const char* label;
    int sig;
    int how;  // 0 handler, 1 SIG_IGN, 2 SIG_DFL
};
constexpr KillStopRow kKillStopRows[] = {
    {"SIGKILL_handler", SIGKILL, 0}, {"SIGKILL_SIG_IGN", SIGKILL, 1},
    {"SIGKILL_SIG_DFL", SIGKILL, 2}, {"SIGSTOP_handler", SIGSTOP, 0},
    {"SIGSTOP_SIG_IGN", SIGSTOP, 1}, {"SIGSTOP_SIG_DFL", SIGSTOP, 2}};
// POSIX sigaction: EINVAL for an attempt to catch or ignore SIGKILL or
// SIGSTOP. Linux rejects any new action for them, SIG_DFL included.
TEST_P(rt_sigaction, kill_stop_action_einval, NEGATIVE, PSE51, kKillStopRows) {
    void* h = row.how == 0 ? kLog : row.how == 1 ? SIG_IGN : SIG_DFL;
    arch::KSigaction a = arch::make_sigaction(h, row.how == 0 ? SA_SIGINFO : 0, 0);
    EXPECT_ERR(sys::rt_sigaction(row.sig, &a, nullptr), EINVAL);
    EXPECT_EQ(long(action_of(row.sig)), long(SIG_DFL));
}

struct SigOnly {
    const char* label;
    int sig;
};
constexpr SigOnly kKillStopQuery[] = {{"SIGKILL", SIGKILL}, {"SIGSTOP", SIGSTOP}};
// POSIX sigaction: with act NULL the call only reports the current action,
// which is allowed for SIGKILL and SIGSTOP too (always SIG_DFL).
TEST_P(rt_sigaction, kill_stop_query_allowed, BOUNDARY, PSE51, kKillStopQuery) {
    arch::KSigaction old{};
    old.handler = SIG_IGN;
    EXPECT_OK(sys::rt_sigaction(row.sig, nullptr, &old));
    EXPECT_EQ(long(old.handler), long(SIG_DFL));
}

struct SizeRow {
    const char* label;
    usize size;
};
constexpr SizeRow kBadSizes[] = {{"size=0", 0},          {"size=4", 4},   {"size=7", 7},
                                 {"size=9", 9},          {"size=16", 16}, {"size=128", 128},
                                 {"size=max", ~usize(0)}};
// rt_sigaction(2): sigsetsize must equal the kernel's sigset_t (8 bytes);
// anything else is EINVAL and the action is not changed.
TEST_P(rt_sigaction, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSizes) {
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO, 0);
    EXPECT_ERR(sys::rt_sigaction(SIGUSR1, &a, nullptr, row.size), EINVAL);
    EXPECT_EQ(long(action_of(SIGUSR1)), long(SIG_DFL));
}

struct BadSigRow {
    const char* label;
    int sig;
    bool with_act;
};
constexpr BadSigRow kBadSigs[] = {{"sig=0", 0, true},
                                  {"sig=0_query", 0, false},
                                  {"sig=65", 65, true},
                                  {"sig=65_query", 65, false},
                                  {"sig=-1", -1, true},
                                  {"sig=INT_MAX", INT_MAX, true},
                                  {"sig=INT_MIN", INT_MIN, true}};
// POSIX sigaction: EINVAL for an invalid signal number, whether an action is
// set or only queried (signal 0 is valid for kill, not for sigaction).
TEST_P(rt_sigaction, invalid_signal_einval, NEGATIVE, PSE51, kBadSigs) {
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO, 0), old{};
    EXPECT_ERR(sys::rt_sigaction(row.sig, row.with_act ? &a : nullptr, &old), EINVAL);
}

// POSIX sigaction: oact receives the action that was in effect before the
// call: handler, flags and mask exactly as installed.
TEST(rt_sigaction, old_action_read_back, POSITIVE, PSE51) {
    const u64 mask = sigbit(SIGUSR2) | sigbit(SIGRTMIN + 5);
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO | SA_RESTART, mask);
    arch::KSigaction ign = arch::make_sigaction(SIG_IGN, 0, 0), old{};
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, &a, nullptr));
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, &ign, &old));
    EXPECT_EQ(long(old.handler), long(kLog));
    EXPECT_EQ(old.flags, a.flags);
    EXPECT_EQ(old.mask, mask);
    EXPECT_EQ(long(action_of(SIGUSR1)), long(SIG_IGN));
}

// rt_sigaction(2): act and oact may be the same buffer: the new action is
// read before the old one is written (Linux copies act in first).
TEST(rt_sigaction, same_buffer_for_act_and_oact, BOUNDARY, LINUX) {
    ASSERT_OK(set_action(SIGUSR2, SIG_IGN));
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO, sigbit(SIGHUP));
    ASSERT_OK(sys::rt_sigaction(SIGUSR2, &a, &a));
    EXPECT_EQ(long(a.handler), long(SIG_IGN));
    EXPECT_EQ(long(action_of(SIGUSR2)), long(kLog));
}

// POSIX sigaction: act and oact both NULL is a valid no-op.
TEST(rt_sigaction, null_act_and_oact_ok, BOUNDARY, PSE51) {
    ASSERT_OK(set_action(SIGUSR1, SIG_IGN));
    EXPECT_RET(sys::rt_sigaction(SIGUSR1, nullptr, nullptr), 0);
    EXPECT_EQ(long(action_of(SIGUSR1)), long(SIG_IGN));
}

struct FlagRow {
    const char* label;
    u64 flag;
};
constexpr FlagRow kUnknownFlags[] = {{"SA_UNSUPPORTED", SA_UNSUPPORTED},
                                     {"bit8", 0x100},
                                     {"bit29", 0x20000000},
                                     {"bit32", 1ull << 32}};
// sigaction(2) (Linux 5.11): flag bits the kernel does not know are accepted
// and cleared, so reading the action back tells a program which flags are
// supported; SA_UNSUPPORTED is guaranteed never to be. Known flags stay.
TEST_P(rt_sigaction, unknown_flags_cleared_on_readback, BOUNDARY, LINUX, kUnknownFlags) {
    arch::KSigaction a = arch::make_sigaction(kLog, SA_SIGINFO | SA_RESTART | row.flag, 0), old{};
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, &a, nullptr));
    ASSERT_OK(sys::rt_sigaction(SIGUSR1, nullptr, &old));
    EXPECT_EQ(old.flags & row.flag, 0);
    EXPECT_EQ(old.flags, a.flags & ~row.flag);
}

struct FaultRow {
    const char* label;
    bool bad_act;
};
constexpr FaultRow kFaults[] = {{"act", true}, {"oact", false}};
// rt_sigaction(2) ERRORS: EFAULT when act or oact points outside the address
// space.
TEST_P(rt_sigaction, bad_pointer_efault, NEGATIVE, LINUX, kFaults) {
    arch::KSigaction a = arch::make_sigaction(SIG_IGN, 0, 0);
    auto* bad = reinterpret_cast<arch::KSigaction*>(8);
    EXPECT_ERR(sys::rt_sigaction(SIGUSR1, row.bad_act ? bad : &a, row.bad_act ? nullptr : bad),
               EFAULT);
}

struct ChldRow {
    const char* label;
    bool ignore;
};
constexpr ChldRow kChld[] = {{"SIG_IGN", true}, {"SA_NOCLDWAIT", false}};
// POSIX sigaction/wait: with SIGCHLD set to SIG_IGN, or with SA_NOCLDWAIT,
// terminated children do not become zombies: wait for them blocks until they
// are gone and then fails with ECHILD.
TEST_P(rt_sigaction, sigchld_no_zombies, POSITIVE, PSE53, kChld, .flags = kc::NEEDS_FORK) {
    log_reset();
    if (row.ignore) {
        ASSERT_OK(set_action(SIGCHLD, SIG_IGN));
    } else {
        ASSERT_OK(catch_sig(SIGCHLD, SA_NOCLDWAIT));
    }
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0);
    ASSERT_GT(pid, 0);
    int st = 0;
    long r;
    do r = sys::wait4(int(pid), &st, 0, nullptr);
    while (r == -EINTR);
    EXPECT_ERR(r, ECHILD);
}

// POSIX fork: the child inherits the signal actions: a caught signal runs
// the same handler with the same flags and mask, an ignored one stays
// ignored. The child's delivery changes only the child's memory.
TEST(rt_sigaction, handlers_kept_across_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    log_reset();
    ASSERT_OK(catch_sig(SIGUSR1, SA_RESTART, sigbit(SIGHUP)));
    ASSERT_OK(set_action(SIGUSR2, SIG_IGN));
    long pid = kc::spawn(
        [](void*) {
            arch::KSigaction a{};
            EXPECT_OK(sys::rt_sigaction(SIGUSR1, nullptr, &a));
            EXPECT_EQ(long(a.handler), long(kLog));
            EXPECT_EQ(a.flags & (SA_SIGINFO | SA_RESTART), SA_SIGINFO | SA_RESTART);
            EXPECT_EQ(a.mask, sigbit(SIGHUP));
            EXPECT_EQ(long(action_of(SIGUSR2)), long(SIG_IGN));
            EXPECT_OK(raise(SIGUSR1));
            EXPECT_EQ(g_log.count[SIGUSR1], 1);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(g_log.count[SIGUSR1], 0);
}

// The state an exec'd image sees: bit 0 SIGUSR1 back to SIG_DFL, bit 1
// SIGUSR2 still SIG_IGN, bit 2 SIGTERM still blocked, bit 3 SIGTERM still
// pending. 64 marks that the image ran at all.
EXEC_HELPER(sig_exec_state) {
    int r = 64;
    if (action_of(SIGUSR1) == SIG_DFL) r |= 1;
    if (action_of(SIGUSR2) == SIG_IGN) r |= 2;
    if (blocked() & sigbit(SIGTERM)) r |= 4;
    if (pending() & sigbit(SIGTERM)) r |= 8;
    return r;
}

namespace signal {
// Sets the state up in a child and execs the helper; returns its exit status
// or -1 (used by the exec tests of rt_sigaction, rt_sigprocmask, rt_sigpending).
int exec_signal_state() {
    long pid = sys::fork();
    if (pid == 0) {
        catch_sig(SIGUSR1);
        set_action(SIGUSR2, SIG_IGN);
        block(sigbit(SIGTERM));
        raise(SIGTERM);
        const char* argv[] = {kc::self_path(), "--exec-helper=sig_exec_state", nullptr};
        const char* envp[] = {nullptr};
        sys::execve(argv[0], argv, envp);
        sys::exit_group(99);
    }
    if (pid < 0) return -1;
    int st = kc::wait_status(pid);
    return st >= 0 && wifexited(st) ? wexitstatus(st) : -1;
}
}  // namespace signal

// POSIX execve: "Signals set to be caught by the calling process image shall
// be set to the default action in the new process image".
TEST(rt_sigaction, exec_resets_caught_to_default, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int st = exec_signal_state();
    ASSERT_EQ(st & ~15, 64);
    EXPECT_EQ(st & 1, 1);
}

// POSIX execve: "Signals set to be ignored (SIG_IGN) by the calling process
// image shall be set to be ignored by the new process image."
TEST(rt_sigaction, exec_keeps_ignored, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int st = exec_signal_state();
    ASSERT_EQ(st & ~15, 64);
    EXPECT_EQ(st & 2, 2);
}

// POSIX sigaction and <signal.h>: when a child exits, the parent's SIGCHLD
// handler (SA_SIGINFO) runs once, with si_code CLD_EXITED, the child's pid
// in si_pid and its exit code in si_status. SIGCHLD is blocked until the
// child is reaped, so the delivery happens at the unblock.
TEST(rt_sigaction, sigchld_handler_gets_child_exit, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    log_reset();
    ASSERT_OK(catch_sig(SIGCHLD));
    ASSERT_OK(block(sigbit(SIGCHLD)));
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(23);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), 23 << 8);
    EXPECT_OK(unblock(sigbit(SIGCHLD)));
    EXPECT_EQ(g_log.count[SIGCHLD], 1);
    EXPECT_EQ(g_log.info.si_signo, SIGCHLD);
    EXPECT_EQ(g_log.info.si_code, CLD_EXITED);
    EXPECT_EQ(g_log.info.child.pid, pid);
    EXPECT_EQ(g_log.info.child.status, 23);
}

struct StopRow {
    const char* label;
    u64 flags;
};
constexpr StopRow kStopRows[] = {{"plain", 0}, {"SA_NOCLDSTOP", SA_NOCLDSTOP}};
// POSIX sigaction and <signal.h>: a child that stops raises SIGCHLD in its
// parent with si_code CLD_STOPPED and si_status the stop signal, and one
// that continues with CLD_CONTINUED and SIGCONT, both with the child's pid
// and real uid. SA_NOCLDSTOP: "SIGCHLD shall not be generated for the
// calling process whenever any of its child processes stop" (Linux: nor
// when they continue); the child's end still raises it. Each change of
// state is awaited with waitid(WNOWAIT) while SIGCHLD is blocked, so the
// delivery happens at the unblock that follows. A SIGCHLD sent with
// SA_NOCLDSTOP set shows at the latest in the end: it would be delivered
// twice, or merged with the exit's and carry CLD_STOPPED or CLD_CONTINUED.
TEST_P(rt_sigaction, sigchld_for_stop_and_continue, POSITIVE, PSE53, kStopRows,
       .flags = kc::NEEDS_FORK) {
    log_reset();
    ASSERT_OK(catch_sig(SIGCHLD, row.flags));
    ASSERT_OK(block(sigbit(SIGCHLD)));
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    const bool quiet = row.flags != 0;
    struct Step {
        int sig, waitfor, code;
    } steps[] = {{SIGSTOP, WSTOPPED, CLD_STOPPED}, {SIGCONT, WCONTINUED, CLD_CONTINUED}};
    int seen = 0;
    for (const Step& st : steps) {
        EXPECT_OK(sys::kill(int(h.pid), st.sig));
        EXPECT_RET(proc::await_state(h.pid, st.waitfor), st.code);
        // The child reports a stop or continue after waitid can see it.
        for (i64 end = kc::now_ns() + 2000000000;
             !quiet && !(pending() & sigbit(SIGCHLD)) && kc::now_ns() < end;)
            common::sleep_ms(1);
        EXPECT_EQ((pending() & sigbit(SIGCHLD)) != 0, !quiet);
        EXPECT_OK(unblock(sigbit(SIGCHLD)));
        seen += quiet ? 0 : 1;
        EXPECT_EQ(g_log.count[SIGCHLD], seen);
        if (!quiet) {
            EXPECT_EQ(g_log.info.si_signo, SIGCHLD);
            EXPECT_EQ(g_log.info.si_code, st.code);
            EXPECT_EQ(g_log.info.child.pid, h.pid);
            EXPECT_EQ(g_log.info.child.uid, u32(sys::getuid()));
            EXPECT_EQ(g_log.info.child.status, st.sig);
        }
        ASSERT_OK(block(sigbit(SIGCHLD)));
    }
    sys::close(h.wfd);
    EXPECT_RET(proc::await_state(h.pid, WEXITED), CLD_EXITED);
    EXPECT_OK(unblock(sigbit(SIGCHLD)));
    EXPECT_EQ(g_log.count[SIGCHLD], seen + 1);
    EXPECT_EQ(g_log.info.si_code, CLD_EXITED);
    EXPECT_EQ(g_log.info.child.pid, h.pid);
    EXPECT_EQ(kc::wait_status(h.pid), 0);
}
