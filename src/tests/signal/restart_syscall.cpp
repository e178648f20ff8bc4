// SPDX-License-Identifier: MIT
// restart_syscall(2): how Linux resumes a sleeping call that a signal
// interrupted. restart_syscall(2) (man page): "restart a system call after
// interruption by a stop signal"; calls with a timeout (nanosleep,
// clock_nanosleep, poll, futex FUTEX_WAIT) save what they need in the
// thread's restart block and, when the signal ran no handler, the kernel
// re-enters them through restart_syscall, so they go on waiting, with the
// time already slept deducted. Called directly, with no restart block
// armed, it fails with EINTR (kernel/signal.c do_no_restart_syscall).
// Covered: the direct call; nanosleep, clock_nanosleep, poll, ppoll (which
// restarts by re-executing itself) and FUTEX_WAIT in a child stopped with
// SIGSTOP and resumed with SIGCONT: none fails with EINTR, and the futex
// waiter is seen to leave the futex and come back; and signal(7)'s rule that
// a sleep interrupted by a handler fails with EINTR even with SA_RESTART.
// To know that the child sleeps before it is stopped, the tests read its
// state from /proc/PID/stat (skipping without /proc), or count the futex's
// waiters with FUTEX_CMP_REQUEUE.
// Left out: restarts after ptrace stops (ptrace area) and the restart block
// of compat (32-bit) tasks.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_poll.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"

namespace {

long restart() {
    long r = sys::syscall0(nr::restart_syscall);
    if (r == -ENOSYS)
        kc::skip_unimplemented("restart_syscall", "restart_syscall: not implemented (ENOSYS)");
    return r;
}

void need_proc() {
    if (!common::proc_state(sys::getpid()) || !common::own_proc())
        kc::skip("needs /proc of this PID namespace to see that the child sleeps");
}
// Waits (up to 5 s) until pid sleeps ('S'); true when it does, false at
// once when it has ended (a zombie, or gone).
bool wait_sleeping(long pid) {
    for (i64 end = kc::now_ns() + 5000000000; kc::now_ns() < end; common::sleep_ms(1)) {
        char s = common::proc_state(pid);
        if (s == 'S') return true;
        if (s == 'Z' || s == 0) return false;
    }
    return false;
}

// SIGSTOP, wait until the child is stopped, SIGCONT.
void stop_and_continue(long pid) {
    ASSERT_RET(sys::kill(int(pid), SIGSTOP), 0);
    int st = 0;
    ASSERT_RET(sys::wait4(int(pid), &st, WUNTRACED, nullptr), pid);
    EXPECT_EQ(st & 0xff, 0x7f);  // WIFSTOPPED
    EXPECT_EQ((st >> 8) & 0xff, SIGSTOP);
    ASSERT_RET(sys::kill(int(pid), SIGCONT), 0);
}

enum Kind : u8 { NANOSLEEP, CLOCK_NANOSLEEP, POLL, PPOLL };
struct Ctx {
    Kind kind;
    int ready_wr, data_rd;
    long sleep_ns;
};

// The child: says it is ready, then sleeps 50 ms or polls a pipe (5 s
// timeout) and checks the call completed as if never interrupted.
void sleeper(void* p) {
    const Ctx& c = *static_cast<const Ctx*>(p);
    ASSERT_RET(sys::write(c.ready_wr, "r", 1), 1);
    i64 t0 = kc::now_ns();
    timespec req{c.sleep_ns / 1000000000, c.sleep_ns % 1000000000}, five{5, 0};
    pollfd pfd{c.data_rd, POLLIN, 0};
    switch (c.kind) {
        case NANOSLEEP:
            EXPECT_RET(sys::nanosleep(&req, nullptr), 0);
            break;
        case CLOCK_NANOSLEEP:
            EXPECT_RET(sys::clock_nanosleep(CLOCK_MONOTONIC, 0, &req, nullptr), 0);
            break;
        case POLL:
            EXPECT_RET(sys::poll(&pfd, 1, 5000), 1);
            break;
        case PPOLL:
            EXPECT_RET(sys::ppoll(&pfd, 1, &five, nullptr), 1);
            break;
    }
    if (c.kind <= CLOCK_NANOSLEEP) EXPECT_GE(kc::now_ns() - t0, c.sleep_ns);
    if (c.kind >= POLL) EXPECT_EQ(pfd.revents, POLLIN);
}

}  // namespace

// restart_syscall(2): "If called directly, restart_syscall() ... fails with
// EINTR" when no restart block is armed (do_no_restart_syscall).
TEST(restart_syscall, direct_call_eintr, NEGATIVE, LINUX) {
    EXPECT_ERR(restart(), EINTR);
    EXPECT_ERR(restart(), EINTR);
}

// restart_syscall(2) takes no arguments: whatever is in the argument
// registers, a direct call fails with EINTR.
TEST(restart_syscall, direct_call_ignores_arguments, BOUNDARY, LINUX) {
    restart();
    EXPECT_ERR(sys::syscall6(nr::restart_syscall, -1, 1, 2, 3, 4, 5), EINTR);
}

struct StopRow {
    const char* label;
    Kind kind;
};
constexpr StopRow kStops[] = {{"nanosleep", NANOSLEEP},
                              {"clock_nanosleep", CLOCK_NANOSLEEP},
                              {"poll", POLL},
                              {"ppoll", PPOLL}};
// restart_syscall(2), signal(7) "Interruption of system calls ... by a stop
// signal": a call asleep when its process is stopped by SIGSTOP and resumed
// by SIGCONT (no handler runs) is restarted, not failed with EINTR: the
// 50 ms sleeps return 0 after at least 50 ms, the polls return the event
// written after SIGCONT. nanosleep, clock_nanosleep and poll resume through
// restart_syscall, ppoll by re-executing itself.
TEST_P(restart_syscall, resumes_after_stop, POSITIVE, LINUX, kStops,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    if (row.kind == POLL) REQUIRE_NR(poll);
    restart();
    need_proc();
    // A sleep may end before a loaded machine lets the test see it asleep:
    // then the child is reaped and the row tried again with a longer sleep.
    static constexpr long kSleeps[] = {50000000, 250000000, 1000000000};
    for (long sleep_ns : kSleeps) {
        kc::Pipe ready, data;
        ASSERT_RET(ready.r, 0);
        ASSERT_RET(data.r, 0);
        Ctx c{row.kind, ready.wr, data.rd, sleep_ns};
        long pid = kc::spawn(sleeper, &c);
        ASSERT_GT(pid, 0);
        char b;
        ASSERT_RET(sys::read(ready.rd, &b, 1), 1);
        if (!wait_sleeping(pid)) {
            EXPECT_CHILD_OK(pid);
            continue;
        }
        stop_and_continue(pid);
        if (row.kind >= POLL) ASSERT_RET(sys::write(data.wr, "d", 1), 1);
        EXPECT_CHILD_OK(pid);
        return;
    }
    ADD_FAILURE("the child was never seen asleep, even in a 1 s sleep");
}

// restart_syscall(2): futex(2) FUTEX_WAIT with a timeout resumes through
// restart_syscall: while its process is stopped the waiter is off the futex
// (0 waiters), after SIGCONT it waits there again (1), and FUTEX_WAKE ends
// its FUTEX_WAIT with 0, not EINTR.
TEST(restart_syscall, futex_wait_resumes_after_stop, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    restart();
    long m = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    kc::Mapping guard(reinterpret_cast<void*>(m), 4096);
    u32* word = reinterpret_cast<u32*>(m);
    auto waiters = [](u32* w) { return sys::futex_n(w, FUTEX_CMP_REQUEUE, 0, INT_MAX, w, *w); };
    auto wait_for = [&](long n) {
        long c = -1;
        for (i64 end = kc::now_ns() + 5000000000; (c = waiters(word)) != n && kc::now_ns() < end;)
            common::sleep_ms(1);
        return c;
    };
    long pid = kc::spawn(
        [](void* p) {
            timespec ts{5, 0};
            EXPECT_RET(sys::futex(p, FUTEX_WAIT, 0, &ts), 0);
        },
        word);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(wait_for(1), 1);
    ASSERT_RET(sys::kill(int(pid), SIGSTOP), 0);
    int st = 0;
    ASSERT_RET(sys::wait4(int(pid), &st, WUNTRACED, nullptr), pid);
    EXPECT_EQ(waiters(word), 0);
    ASSERT_RET(sys::kill(int(pid), SIGCONT), 0);
    EXPECT_EQ(wait_for(1), 1);
    EXPECT_RET(sys::futex(word, FUTEX_WAKE, 1), 1);
    EXPECT_CHILD_OK(pid);
}

// signal(7): nanosleep is "never restarted after being interrupted by a
// signal handler, regardless of the use of SA_RESTART; [it] always fail[s]
// with EINTR", leaving the time not slept in *rem; the handler's return
// (rt_sigreturn) disarms the restart block, so restart_syscall then fails
// with EINTR.
TEST(restart_syscall, handler_interrupts_with_eintr, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    restart();
    need_proc();
    kc::Pipe ready;
    ASSERT_RET(ready.r, 0);
    long pid = kc::spawn(
        [](void* p) {
            void (*h)(int) = [](int) {};
            ASSERT_RET(signal::set_action(SIGUSR1, reinterpret_cast<void*>(h), SA_RESTART), 0);
            ASSERT_RET(sys::write(int(long(p)), "r", 1), 1);
            timespec req{5, 0}, rem{-1, -1};
            EXPECT_ERR(sys::nanosleep(&req, &rem), EINTR);
            EXPECT_GE(rem.tv_sec, 0);
            EXPECT_LE(rem.tv_sec, 5);
            EXPECT_TRUE(rem.tv_sec > 0 || rem.tv_nsec > 0);
            EXPECT_ERR(sys::syscall0(nr::restart_syscall), EINTR);
        },
        reinterpret_cast<void*>(long(ready.wr.get())));
    ASSERT_GT(pid, 0);
    char b;
    ASSERT_RET(sys::read(ready.rd, &b, 1), 1);
    EXPECT_TRUE(wait_sleeping(pid));
    EXPECT_RET(sys::kill(int(pid), SIGUSR1), 0);
    EXPECT_CHILD_OK(pid);
}
