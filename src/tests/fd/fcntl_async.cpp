// SPDX-License-Identifier: MIT
// fcntl(2) signal-driven I/O: F_SETOWN/F_GETOWN (the process or process
// group that gets the signals), O_ASYNC through F_SETFL (a signal when input
// arrives, none without it), F_SETSIG/F_GETSIG (another signal, with si_fd,
// si_band and si_code POLL_IN in its siginfo, against SIGIO's SI_KERNEL).
// Flags covered: O_ASYNC. Output fields checked: si_signo, si_code, si_fd,
// si_band of the I/O signal.
// Left out: F_SETOWN_EX/F_GETOWN_EX (thread owners), SIGURG on sockets,
// output readiness (POLL_OUT), leases and dnotify.
#include "harness/test.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"
#include "tests/fd/fd_common.hpp"

namespace {

constexpr int POLL_IN = 1;
constexpr long kBandIn = 0x41;  // POLLIN | POLLRDNORM

// The signal-specific part of a SIGPOLL siginfo: si_band at 16, si_fd at 24.
long si_band(const siginfo& s) { return s.raw[0]; }
int si_fd(const siginfo& s) { return int(s.raw[1]); }

// Waits up to `ms` for `sig` (blocked); returns the signal or -errno.
long take(int sig, siginfo* si, long ms) {
    u64 set = sigbit(sig);
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    return sys::rt_sigtimedwait(&set, si, &ts);
}

struct AsyncRow {
    const char* label;
    int setsig;  // 0: SIGIO
    bool async;  // O_ASYNC set
};
constexpr AsyncRow kAsyncRows[] = {
    {"SIGIO", 0, true}, {"F_SETSIG", SIGRTMIN + 3, true}, {"without_O_ASYNC", 0, false}};

}  // namespace

// fcntl(2), POSIX: F_GETOWN of a descriptor nobody owns is 0; F_SETOWN
// stores a process (positive) or a process group (negative), which F_GETOWN
// returns; F_SETOWN 0 clears it.
TEST(fcntl, setown_getown_round_trip, POSITIVE, LINUX) {
    int p[2];
    fd::make_fds(p);
    int pid = int(sys::getpid());
    int pgrp = int(sys::getpgid(0));
    EXPECT_RET(sys::fcntl(p[0], F_GETOWN), 0);
    EXPECT_RET(sys::fcntl(p[0], F_SETOWN, pid), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETOWN), pid);
    EXPECT_RET(sys::fcntl(p[1], F_GETOWN), 0);  // per open file: the other end keeps none
    EXPECT_RET(sys::fcntl(p[0], F_SETOWN, -pgrp), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETOWN), -pgrp);
    EXPECT_RET(sys::fcntl(p[0], F_SETOWN, 0), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETOWN), 0);
    fd::close_pair(p);
}

// fcntl(2): F_SETOWN of a process that does not exist is ESRCH.
TEST(fcntl, setown_missing_process_esrch, NEGATIVE, LINUX) {
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::fcntl(p[0], F_SETOWN, 0x3ffffff0), ESRCH);
    EXPECT_RET(sys::fcntl(p[0], F_GETOWN), 0);
    fd::close_pair(p);
}

// fcntl(2) F_SETSIG/F_GETSIG: 0 (SIGIO) by default; a valid signal is
// stored; one above the last signal is EINVAL and leaves it unchanged.
TEST(fcntl, setsig_getsig_round_trip, BOUNDARY, LINUX) {
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::fcntl(p[0], F_GETSIG), 0);
    EXPECT_RET(sys::fcntl(p[0], F_SETSIG, SIGRTMIN + 3), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETSIG), SIGRTMIN + 3);
    EXPECT_ERR(sys::fcntl(p[0], F_SETSIG, NSIG + 1), EINVAL);
    EXPECT_RET(sys::fcntl(p[0], F_GETSIG), SIGRTMIN + 3);
    EXPECT_RET(sys::fcntl(p[0], F_SETSIG, 0), 0);
    EXPECT_RET(sys::fcntl(p[0], F_GETSIG), 0);
    fd::close_pair(p);
}

// fcntl(2) O_ASYNC: with O_ASYNC set by F_SETFL and the process as owner,
// input arriving on the pipe's read end sends SIGIO (si_code SI_KERNEL), or
// the F_SETSIG signal with si_code POLL_IN, si_fd the descriptor and si_band
// POLLIN|POLLRDNORM; F_GETFL reports O_ASYNC. Without O_ASYNC, the same
// write sends nothing.
TEST_P(fcntl, o_async_signals_input, POSITIVE, LINUX, kAsyncRows) {
    int sig = row.setsig ? row.setsig : SIGIO;
    u64 set = sigbit(sig);
    ASSERT_OK(sys::rt_sigprocmask(SIG_BLOCK, &set, nullptr));
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::fcntl(p[0], F_SETOWN, int(sys::getpid())), 0);
    if (row.setsig) EXPECT_RET(sys::fcntl(p[0], F_SETSIG, row.setsig), 0);
    if (row.async) {
        long fl = sys::fcntl(p[0], F_GETFL);
        EXPECT_RET(sys::fcntl(p[0], F_SETFL, fl | O_ASYNC), 0);
        EXPECT_EQ(sys::fcntl(p[0], F_GETFL) & O_ASYNC, O_ASYNC);
    }
    siginfo si{};
    EXPECT_ERR(take(sig, &si, 0), EAGAIN);  // nothing before the input
    EXPECT_RET(sys::write(p[1], "x", 1), 1);
    long r = take(sig, &si, row.async ? 1000 : 20);
    if (row.async) {
        EXPECT_RET(r, sig);
        EXPECT_EQ(si.si_signo, sig);
        if (row.setsig) {
            EXPECT_EQ(si.si_code, POLL_IN);
            EXPECT_EQ(si_fd(si), p[0]);
            EXPECT_EQ(si_band(si), kBandIn);
        } else {
            EXPECT_EQ(si.si_code, SI_KERNEL);
        }
    } else {
        EXPECT_ERR(r, EAGAIN);
    }
    fd::close_pair(p);
    while (take(sig, &si, 0) == sig) {
    }
}
