// SPDX-License-Identifier: MIT
// Elapsed time as a test should judge it on a busy machine: the monotonic
// clock less the time this thread waited, runnable, for a CPU.
#include "harness/internal.hpp"
#include "rt/sys_fs.hpp"

namespace kc {

namespace {

// -1: /proc/thread-self/schedstat cannot be read here (no /proc, a kernel
// without CONFIG_SCHED_INFO, an emulated /proc); 1: it can; 0: not tried.
int g_schedstat = 0;

// The thread's run delay in nanoseconds: the second of the three numbers in
// /proc/thread-self/schedstat ("<on-cpu ns> <run-delay ns> <timeslices>").
// 0 when it cannot be read, so that the callers fall back to the clock alone.
i64 run_delay_ns() {
    if (g_schedstat < 0) return 0;
    long fd = sys::openat(AT_FDCWD, "/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    char buf[96];
    long got = fd < 0 ? fd : sys::read(int(fd), buf, sizeof buf - 1);
    if (fd >= 0) sys::close(int(fd));
    int field = 0;
    i64 v = 0;
    bool digits = false;
    for (long i = 0; i < got && field < 2; ++i) {
        char c = buf[i];
        if (c >= '0' && c <= '9') {
            if (field == 1) v = v * 10 + (c - '0');
            digits = true;
        } else if (c == ' ' && digits) {
            ++field;
            digits = false;
        } else {
            break;
        }
    }
    if (got <= 0 || field < 1 || (field == 1 && !digits)) {
        g_schedstat = -1;
        return 0;
    }
    g_schedstat = 1;
    return v;
}

}  // namespace

i64 own_ns() {
    i64 delay = run_delay_ns();
    return now_ns() - delay;
}

}  // namespace kc
