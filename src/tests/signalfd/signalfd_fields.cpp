// SPDX-License-Identifier: MIT
// signalfd4(2): the fields of struct signalfd_siginfo for each source of a
// signal that signalfd.cpp leaves out, each compared with a value the test
// knows by another way: kill and tgkill (errno, pid, uid), SIGCHLD of an exited and of a killed
// child (pid, real uid, status, and the CPU times against the clock), a POSIX timer's signal (timer
// id, value, overrun against timer_getoverrun), SIGIO-style signals of F_SETSIG (fd, band), and the
// sender's own siginfo passed through by rt_sigqueueinfo (errno, pid, uid). Left out: fault signals
// (SIGSEGV, SIGBUS, SIGFPE, SIGILL: ssi_addr, ssi_trapno, ssi_addr_lsb) and SIGSYS of seccomp
// (ssi_syscall, ssi_call_addr, ssi_arch): the kernel forces synchronous signals on the faulting
// thread, unblocking them, so they never wait to be read from a signalfd (tests/mm and tests/ptrace
// check them in a handler's siginfo).
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_poll.hpp"
#include "rt/sys_time.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/time/time_util.hpp"

using namespace multiplex;

namespace {

// si_code of a SIGIO-style signal for input (asm-generic/siginfo.h). Not in
// rt/types.hpp yet: tests/fd/fcntl_async.cpp defines it at global scope.
constexpr int POLL_IN = 1;

// A signalfd for `sig` (blocking unless `flags` say otherwise), with the
// signal blocked.
long open_sfd(int sig, int flags = 0) {
    u64 mask = sigbit(sig);
    long r = sys::rt_sigprocmask(SIG_BLOCK, &mask, nullptr);
    return r ? r : sys::signalfd4(-1, &mask, kSigsetSize, flags | SFD_CLOEXEC);
}

// Clock ticks (USER_HZ, 100 a second on every Linux ABI: times(2)) in ns.
constexpr i64 kTickNs = 10 * time::kMs;

struct ChildRow {
    const char* label;
    bool killed;  // SIGKILL from the parent, else exit_group(7)
    int code;     // the ssi_code expected
    int status;   // the ssi_status expected
};
constexpr ChildRow kChildren[] = {
    {"exited", false, CLD_EXITED, 7},
    {"killed", true, CLD_KILLED, SIGKILL},
};

}  // namespace

// signalfd(2), sigaction(2) "siginfo_t" for SIGCHLD: ssi_pid is the child's
// pid, ssi_uid its real user id (ours: fork keeps it), ssi_code CLD_EXITED
// with the exit code in ssi_status, or CLD_KILLED with the signal;
// ssi_errno is 0; ssi_utime and ssi_stime are the child's CPU time in clock
// ticks, so their sum cannot exceed the ticks of wall time from fork to the
// read (plus one for each rounding up).
TEST_P(signalfd4, sigchld_fields, POSITIVE, LINUX, kChildren, .flags = kc::NEEDS_FORK) {
    kc::Fd sfd(open_sfd(SIGCHLD));
    ASSERT_OK(sfd.get());
    i64 t0 = kc::now_ns();
    proc::Held h;
    long pid;
    if (row.killed) {
        ASSERT_TRUE(proc::hold(h));
        pid = h.pid;
        EXPECT_OK(sys::kill(int(pid), SIGKILL));
    } else {
        pid = proc::fork_exit(row.status);
        ASSERT_GT(pid, 0);
    }
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    i64 elapsed = kc::now_ns() - t0;
    EXPECT_EQ(si.ssi_signo, SIGCHLD);
    EXPECT_EQ(si.ssi_errno, 0);
    EXPECT_EQ(si.ssi_code, row.code);
    EXPECT_EQ(si.ssi_pid, pid);
    EXPECT_EQ(si.ssi_uid, sys::getuid());
    EXPECT_EQ(si.ssi_status, row.status);
    EXPECT_LE(si.ssi_utime + si.ssi_stime, u64(elapsed / kTickNs + 2));
    if (row.killed) {
        sys::close(h.wfd);
        h.wfd = -1;
    }
    int st = kc::wait_status(pid);
    EXPECT_EQ(st, row.killed ? SIGKILL : row.status << 8);
    discard_signal(SIGCHLD);
}

struct SenderRow {
    const char* label;
    bool thread;  // tgkill to this thread, else kill to the process
    int code;
};
constexpr SenderRow kSenders[] = {{"kill", false, SI_USER}, {"tgkill", true, SI_TKILL}};

// signalfd(2), sigaction(2): a signal sent by kill(2) (SI_USER) or tgkill(2)
// (SI_TKILL) carries the sender's pid and real user id, and ssi_errno 0
// (the kernel makes this siginfo: nothing of the sender's goes in it).
TEST_P(signalfd4, user_signal_fields, POSITIVE, LINUX, kSenders) {
    kc::Fd sfd(open_sfd(kSigB, SFD_NONBLOCK));
    ASSERT_OK(sfd.get());
    ASSERT_OK(row.thread ? raise(kSigB) : sys::kill(int(sys::getpid()), kSigB));
    signalfd_siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigB);
    EXPECT_EQ(si.ssi_errno, 0);
    EXPECT_EQ(si.ssi_code, row.code);
    EXPECT_EQ(si.ssi_pid, sys::getpid());
    EXPECT_EQ(si.ssi_uid, sys::getuid());
    discard_signal(kSigB);
}

// signalfd(2): a POSIX timer's signal (timer_create(2), SIGEV_SIGNAL) is
// read with ssi_code SI_TIMER, ssi_tid the id timer_create returned (Linux's
// si_timerid), the sigev_value in ssi_int and ssi_ptr, and in ssi_overrun
// the expiries that came while the signal was pending, the count that
// timer_getoverrun(2) then reports for that delivery: a 1 ms periodic timer
// left 20 ms has missed at least 10.
TEST(signalfd4, timer_fields, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(kSigA));
    ASSERT_OK(sfd.get());
    int id;
    ASSERT_OK(time::make_timer(CLOCK_MONOTONIC, kSigA, 0x7e57, &id));
    ASSERT_OK(time::arm_timer(id, time::kMs, time::kMs));
    time::nap(20 * time::kMs);
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    long overrun = sys::timer_getoverrun(id);
    EXPECT_OK(sys::timer_delete(id));
    EXPECT_EQ(si.ssi_signo, kSigA);
    EXPECT_EQ(si.ssi_errno, 0);
    EXPECT_EQ(si.ssi_code, SI_TIMER);
    EXPECT_EQ(si.ssi_tid, id);
    EXPECT_EQ(si.ssi_int, 0x7e57);
    EXPECT_EQ(si.ssi_ptr, 0x7e57);
    EXPECT_GE(si.ssi_overrun, 10);
    EXPECT_EQ(si.ssi_overrun, overrun);
    discard_signal(kSigA);
}

// signalfd(2) with fcntl(2) F_SETSIG and O_ASYNC: input on a pipe is read as
// ssi_code POLL_IN, ssi_fd the descriptor that became readable and ssi_band
// its poll events (POLLIN|POLLRDNORM: a pipe with data).
TEST(signalfd4, sigio_fields, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(kSigA, SFD_NONBLOCK));
    ASSERT_OK(sfd.get());
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(sys::fcntl(p.rd, F_SETOWN, int(sys::getpid())));
    ASSERT_OK(sys::fcntl(p.rd, F_SETSIG, kSigA));
    ASSERT_OK(sys::fcntl(p.rd, F_SETFL, sys::fcntl(p.rd, F_GETFL) | O_ASYNC));
    EXPECT_RET(sys::write(p.wr, "x", 1), 1);
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigA);
    EXPECT_EQ(si.ssi_errno, 0);
    EXPECT_EQ(si.ssi_code, POLL_IN);
    EXPECT_EQ(si.ssi_fd, p.rd.get());
    EXPECT_EQ(si.ssi_band, POLLIN | POLLRDNORM);
    discard_signal(kSigA);
}

// signalfd(2), rt_sigqueueinfo(2): a process queueing a signal to itself
// with a negative si_code (SI_QUEUE) chooses the whole siginfo, and the
// kernel keeps it: ssi_errno, ssi_pid and ssi_uid are the values the sender
// wrote, not ones the kernel fills in (unlike kill(2), whose pid and uid are
// the kernel's).
TEST(signalfd4, sigqueue_siginfo_passed_through, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(kSigA, SFD_NONBLOCK));
    ASSERT_OK(sfd.get());
    siginfo info{};
    info.si_signo = kSigA;
    info.si_errno = 77;
    info.si_code = SI_QUEUE;
    info.rt.pid = 4242;
    info.rt.uid = 4343;
    info.rt.value = -2;
    ASSERT_OK(rt_sigqueueinfo(int(sys::getpid()), kSigA, &info));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigA);
    EXPECT_EQ(si.ssi_errno, 77);
    EXPECT_EQ(si.ssi_code, SI_QUEUE);
    EXPECT_EQ(si.ssi_pid, 4242);
    EXPECT_EQ(si.ssi_uid, 4343);
    EXPECT_EQ(si.ssi_int, -2);
    discard_signal(kSigA);
}
