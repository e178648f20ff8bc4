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

// A run delay in nanoseconds: the second of the three numbers in a schedstat
// file ("<on-cpu ns> <run-delay ns> <timeslices>"), -1 when it cannot be read.
i64 read_run_delay(const char* path) {
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
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
    return got <= 0 || field < 1 || (field == 1 && !digits) ? -1 : v;
}

}  // namespace

// The thread's own run delay stops being read after the first failure, so
// that callers fall back to the clock alone at no cost.
i64 own_ns() {
    i64 delay = g_schedstat < 0 ? -1 : read_run_delay("/proc/thread-self/schedstat");
    g_schedstat = delay < 0 ? -1 : 1;
    return now_ns() - (delay < 0 ? 0 : delay);
}

i64 run_delay_ns(int pid) {
    char path[40];
    rt::Fmt f(path, sizeof path);
    f.s("/proc/").u(u64(pid)).s("/schedstat");
    i64 delay = read_run_delay(f.cstr());
    return delay < 0 ? 0 : delay;
}

}  // namespace kc
