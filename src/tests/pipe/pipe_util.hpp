// SPDX-License-Identifier: MIT
// Helpers of the pipe tests (pipe.cpp, pipe_io.cpp): a pipe made by pipe(2)
// itself, and a look at another process to see that it sleeps inside a
// given system call (from /proc/PID/stat, /proc/PID/syscall and
// /proc/PID/wchan), rather than concluding so from a sleep.
#pragma once

#include "rt/fmt.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fd/fd_common.hpp"

namespace pipes {

// pipe(fds), with `flags` (O_NONBLOCK, O_CLOEXEC) then set on both ends by
// fcntl; ends the test on failure. aarch64 and riscv64 have no pipe system
// call (their C libraries implement pipe() with pipe2(fds, 0)): there the
// pipe comes from pipe2(fds, 0), so that the tests run, with the same IDs,
// on every architecture.
inline void make(int fds[2], int flags = 0) {
    if (nr::pipe >= 0) {
        ASSERT_OK(sys::pipe(fds));
    } else {
        ASSERT_OK(sys::pipe2(fds, 0));
    }
    for (int i = 0; i < 2; ++i) {
        if (flags & O_NONBLOCK) EXPECT_RET(sys::fcntl(fds[i], F_SETFL, O_NONBLOCK), 0);
        if (flags & O_CLOEXEC) EXPECT_RET(sys::fcntl(fds[i], F_SETFD, FD_CLOEXEC), 0);
    }
}

using common::proc_state;
using common::read_proc;

// Whether the string s ends with `tail`.
inline bool ends_with(const char* s, long n, const char* tail) {
    long t = 0;
    while (tail[t]) ++t;
    return n >= t && __builtin_memcmp(s + n - t, tail, usize(t)) == 0;
}

// Waits (up to 5 s) until process `pid` sleeps ('S' in /proc/PID/stat)
// inside system call `nrcall`: the first number of /proc/PID/syscall (which
// Linux shows for a task blocked in a call), or a wait channel
// (/proc/PID/wchan, the kernel function it sleeps in) ending in `wchan`
// ("pipe_write": anon_pipe_write on Linux 6.18, pipe_write before; under
// qemu-user the syscall file shows the host's call numbers, the wait
// channel the host's function). Skips the test when /proc does not show the
// state (not mounted); where neither file can be read (missing, or refused:
// they need ptrace access) the state alone is checked. True when seen.
// Skips unless /proc can show this PID namespace's processes blocking; call
// it from the test's own thread before wait_blocked_in runs elsewhere.
inline void require_blocked_view() {
    if (!proc_state(sys::getpid()) || !common::own_proc())
        kc::skip("needs /proc of this PID namespace to see that a process blocks");
}
inline bool wait_blocked_in(long pid, long nrcall, const char* wchan) {
    require_blocked_view();
    for (i64 end = kc::now_ns() + 5000000000; kc::now_ns() < end; common::sleep_ms(1)) {
        if (proc_state(pid) != 'S') continue;
        char buf[128];
        long n = read_proc(pid, "syscall", buf, sizeof buf);
        long v = 0;
        int i = 0;
        for (; n > 0 && buf[i] >= '0' && buf[i] <= '9'; ++i) v = v * 10 + (buf[i] - '0');
        if (i > 0 && buf[i] == ' ' && v == nrcall) return true;
        long w = read_proc(pid, "wchan", buf, sizeof buf);
        if (w > 0 && ends_with(buf, w, wchan)) return true;
        if (n < 0 && (w < 0 || (w == 1 && buf[0] == '0'))) return true;  // nothing more to see
    }
    return false;
}

}  // namespace pipes
