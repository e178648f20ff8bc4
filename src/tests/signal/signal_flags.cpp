// SPDX-License-Identifier: MIT
// The flags of rt_sigaction(2), rt_sigprocmask(2) and sigaltstack(2), each
// observed against the same call without it. Inventory (flag: the tests that
// observe it; rt_sigaction.cpp, rt_sigprocmask.cpp and sigaltstack.cpp):
//   SA_NOCLDSTOP: rt_sigaction.sigchld_for_stop_and_continue/SA_NOCLDSTOP
//     against its row "plain".
//   SA_NOCLDWAIT: rt_sigaction.sigchld_no_zombies/SA_NOCLDWAIT (wait finds
//     no zombie).
//   SA_SIGINFO: rt_sigaction.handler_receives_each_signal (si_signo,
//     si_code, si_pid, si_uid) against
//     rt_sigaction.plain_handler_gets_signal_number.
//   SA_ONSTACK: sigaltstack.handler_runs_on_alt_stack against
//     sigaltstack.no_sa_onstack_uses_normal_stack.
//   SA_RESTART: rt_sigaction.sa_restart_read_on_pipe (rows with and
//     without: restarted read or EINTR).
//   SA_NODEFER: rt_sigaction.sa_nodefer_nesting (rows with and without).
//   SA_RESETHAND: rt_sigaction.sa_resethand_runs_once (a second signal
//     runs no handler).
//   SA_UNSUPPORTED and unknown bits: rt_sigaction.unknown_flags_cleared_on_readback.
//   rt_sigprocmask SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK:
//     rt_sigprocmask.how_semantics, rt_sigprocmask.block_defers_delivery.
//   sigaltstack SS_DISABLE: sigaltstack.ss_disable_disables; SS_ONSTACK given
//     as a flag: sigaltstack.ss_onstack_flag_treated_as_zero.
//   sigaltstack SS_AUTODISARM: sigaltstack.autodisarm (disarmed inside the
//     handler) and sigaltstack.autodisarm_allows_change_in_handler (here:
//     the change it permits, undone when the handler returns).
// Left out: SA_EXPOSE_TAGBITS (Linux 5.11): it keeps the tag byte of si_addr
// for a fault on a tagged address, which only arm64 has (top-byte ignore);
// on x86-64 and riscv64 the kernel keeps the flag on read-back and it
// changes nothing, and no arm64 Linux is at hand here to be the oracle for
// a test of it. SA_RESTORER is the runtime's own (every handler returns
// through it: rt_sigreturn.cpp).
#include "harness/test.hpp"
#include "rt/sys_signal.hpp"
#include "tests/signal/signal_util.hpp"

using namespace signal;

struct DisarmRow {
    const char* label;
    int flags;
    long change;  // sigaltstack(new stack) inside the handler
};
constexpr DisarmRow kDisarm[] = {{"SS_AUTODISARM", SS_AUTODISARM, 0}, {"flags=0", 0, -EPERM}};
// sigaltstack(2) SS_AUTODISARM (Linux 4.7): "Clear the alternate signal
// stack settings on entry to the signal handler. When the signal handler
// returns, the previous alternate signal stack settings are restored. This
// flag was added in order to make it safe to switch away from the signal
// handler". So a handler running on an autodisarmed stack may install
// another one (without the flag: EPERM, it runs on the stack), and its
// return puts the first one back, flags included. Linux restores it only
// when the stack pointer at rt_sigreturn is not on the stack the handler
// installed (it is then "on" that stack: EPERM, silently): so the new
// stack here is the lowest quarter of the mapping, below the handler's frame.
TEST_P(sigaltstack, autodisarm_allows_change_in_handler, POSITIVE, LINUX, kDisarm) {
    AltStack alt;
    ASSERT_OK(alt.set(row.flags));
    log_reset();
    g_log.change = stack_t{alt.base, 0, kAltStackSize / 4};  // below the frame
    g_log.change_ss = 1;
    ASSERT_OK(catch_sig(SIGUSR1, SA_ONSTACK));
    EXPECT_OK(raise(SIGUSR1));
    EXPECT_EQ(g_log.count[SIGUSR1], 1);
    EXPECT_TRUE(alt.contains(g_log.local));
    EXPECT_EQ(g_log.ss_change, row.change);
    stack_t ss = altstack_query();
    EXPECT_EQ(long(ss.ss_sp), long(alt.base));
    EXPECT_EQ(long(ss.ss_size), long(kAltStackSize));
    EXPECT_EQ(ss.ss_flags, row.flags);
}
