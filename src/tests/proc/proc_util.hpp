// SPDX-License-Identifier: MIT
// Small helpers shared by the process, message-queue, SysV IPC and I/O
// priority tests: children that wait on a pipe until released, giving up
// privilege in a child, another user's process to aim at, signal resets and
// pipe-based synchronization. Everything here runs in the test process or
// in children it creates; nothing outlives a test.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"

namespace proc {

// fs.nr_open's default: the loop in close_all_but() stops there even when
// the soft limit is unlimited or absurdly high.
inline constexpr u64 kNrOpenDefault = 1 << 20;

// Closes every descriptor except `keep` (in a child, so that it holds no
// pipe ends of its siblings), from 0 up: a run started without fds 0-2 (as
// /init without a console) has pipe ends there. close_range(2) (Linux 5.9)
// does it in two calls; where it is missing or refused, a loop up to the
// RLIMIT_NOFILE soft limit (no descriptor is numbered above it) closes them.
inline void close_all_but(int keep) {
    long r = keep > 0 ? sys::close_range(0, unsigned(keep) - 1, 0) : 0;
    if (r == 0) r = sys::close_range(keep < 0 ? 0 : unsigned(keep) + 1, ~0u, 0);
    if (r == 0) return;
    rlimit64 lim{};
    u64 n = sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &lim) == 0 ? lim.rlim_cur : 1024;
    if (n > kNrOpenDefault) n = kNrOpenDefault;
    for (u64 fd = 0; fd < n; ++fd)
        if (long(fd) != keep) sys::close(int(fd));
}

// Sets `sig` to its default action (children inherit the harness's handlers
// in --isolate=none) and unblocks every signal.
inline void default_signal(int sig) {
    arch::KSigaction a = arch::make_sigaction(SIG_DFL, 0, 0);
    sys::rt_sigaction(sig, &a, nullptr);
    u64 none = 0;
    sys::rt_sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Forks a child that exits at once with `code`; returns its pid (or -errno).
inline long fork_exit(int code) {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(code);
    return pid;
}

inline long set_handler(int sig, void* handler) {
    arch::KSigaction a = arch::make_sigaction(handler, 0, 0);
    return sys::rt_sigaction(sig, &a, nullptr);
}

inline long block(int sig) {
    u64 set = sigbit(sig);
    return sys::rt_sigprocmask(SIG_BLOCK, &set, nullptr);
}

// Waits up to `ms` for `sig` (which must be blocked); returns the signal
// number, or -EAGAIN on timeout.
inline long wait_signal(int sig, siginfo* si, long ms) {
    u64 set = sigbit(sig);
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    long r;
    do r = sys::rt_sigtimedwait(&set, si, &ts);
    while (r == -EINTR);
    return r;
}

// Discards a pending instance of a blocked signal.
inline void drain_signal(int sig) {
    siginfo si{};
    wait_signal(sig, &si, 0);
}

// In a child: no core file whatever the signal (RLIMIT_CORE 0, not dumpable).
inline void no_core() {
    rlimit64 z{0, 0};
    sys::prlimit64(0, RLIMIT_CORE, &z, nullptr);
    sys::prctl(PR_SET_DUMPABLE, 0);
}

// In a child: ends the process with `sig` at its default action.
[[noreturn]] inline void die_by(int sig) {
    no_core();
    default_signal(sig);
    // To this thread: its default action ends the whole process all the
    // same, and an emulator's hidden threads (qemu-user's) cannot take it.
    sys::tgkill(int(sys::getpid()), int(sys::gettid()), sig);
    sys::exit_group(100);  // the signal did not end the process
}

// The id that `uid` of this process's user namespace stands for in the
// parent namespace (/proc/self/uid_map: lines "inside outside count"), or -1
// when it is not mapped (getuid() then returns the overflow id, which names
// no user). Without /proc the run is taken to be in the initial namespace,
// where every id stands for itself.
inline long outer_uid(u32 uid) {
    char map[1024];
    long fd = sys::openat(AT_FDCWD, "/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return uid;
    long n = sys::read(int(fd), map, sizeof map - 1);
    sys::close(int(fd));
    if (n < 0) return uid;
    map[n] = 0;
    for (const char* p = map; *p;) {
        u64 v[3];
        for (u64& x : v) {
            while (*p == ' ') ++p;
            for (x = 0; *p >= '0' && *p <= '9'; ++p) x = x * 10 + u64(*p - '0');
        }
        while (*p && *p != '\n') ++p;
        if (*p) ++p;
        if (uid >= v[0] && uid - v[0] < v[2]) return long(v[1] + (uid - v[0]));
    }
    return -1;
}

// The real, effective, saved and filesystem uids of pid 1 as /proc/1/status
// shows them (in this user namespace's terms); false when it cannot be read.
inline bool pid1_uids(u32 uids[4]) {
    char status[4096];
    long fd = sys::openat(AT_FDCWD, "/proc/1/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long n = sys::read(int(fd), status, sizeof status - 1);
    sys::close(int(fd));
    if (n <= 0) return false;
    status[n] = 0;
    for (const char* p = status; *p; ++p) {
        bool line_start = p == status || p[-1] == '\n';
        if (!line_start || p[0] != 'U' || p[1] != 'i' || p[2] != 'd' || p[3] != ':') continue;
        p += 4;
        for (int i = 0; i < 4; ++i) {
            while (*p == ' ' || *p == '\t') ++p;
            if (*p < '0' || *p > '9') return false;
            for (uids[i] = 0; *p >= '0' && *p <= '9'; ++p) uids[i] = uids[i] * 10 + u32(*p - '0');
        }
        return true;
    }
    return false;
}

// True when the calling process has capability `cap` in its effective set
// (root in a container may lack some, e.g. CAP_SYS_RESOURCE).
inline bool has_cap(int cap) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d[2] = {};
    if (sys::capget(&h, d) != 0) return false;
    return d[cap / 32].effective >> (cap % 32) & 1;
}

// A child blocked in read() on a pipe until the parent releases it (closes
// the write end), then it exits 0. With new_group it leads its own process
// group (set on both sides, so the parent may rely on it at once).
struct Held {
    long pid = -1;
    int wfd = -1;
};

inline bool hold(Held& h, bool new_group = false) {
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC) < 0) return false;
    long pid = sys::fork();
    if (pid == 0) {
        if (new_group) sys::setpgid(0, 0);
        close_all_but(p[0]);
        char c;
        for (;;) {
            long r = sys::read(p[0], &c, 1);
            if (r == 0 || (r < 0 && r != -EINTR)) break;
        }
        sys::exit_group(0);
    }
    sys::close(p[0]);
    if (pid < 0) {
        sys::close(p[1]);
        return false;
    }
    if (new_group) sys::setpgid(int(pid), int(pid));
    h.pid = pid;
    h.wfd = p[1];
    return true;
}

// Releases a held child and returns its wait status.
inline int release(Held& h) {
    sys::close(h.wfd);
    h.wfd = -1;
    return kc::wait_status(h.pid);
}

// Another user's process to aim a call at, for the EPERM cases of calls on
// other users' processes (kill, setpriority, prlimit64). Where the probe
// found an id to switch to, the target is a held child of the test and the
// caller a child that becomes that user; else the target is pid 1 when none
// of its uids is one of ours (in a pid namespace pid 1 may be this run
// itself, in a user namespace its owner may be ours) and the caller a child
// that drops its capabilities. Skips when neither is possible.
struct Foreign {
    long pid = -1;
    Held held;  // the target, when held.pid > 0
};

inline void foreign_process(Foreign& f) {
    if (kc::other_user_available()) {
        ASSERT_TRUE(hold(f.held));
        f.pid = f.held.pid;
        return;
    }
    u32 theirs[4], ours[3];
    sys::getresuid(&ours[0], &ours[1], &ours[2]);
    if (!pid1_uids(theirs)) {
        kc::skip(
            "needs another user's process: no other uid to switch to, and /proc/1/status "
            "cannot be read");
    }
    for (u32 t : theirs)
        for (u32 o : ours)
            if (t == o) {
                kc::skip(
                    "needs another user's process: no other uid to switch to, and pid 1 "
                    "has one of this run's uids");
            }
    f.pid = 1;
}

// In the child that makes the call: no privilege over f.pid (another user
// without capabilities, or this user without capabilities). False when
// that failed.
inline bool unprivileged_toward(const Foreign& f) {
    return f.held.pid > 0 ? kc::become_other_user() : kc::drop_capabilities();
}

// Releases the held target, if any, and checks that it exited normally.
inline void release(Foreign& f) {
    if (f.held.pid > 0) EXPECT_EQ(release(f.held), 0);
}

// Blocks until a stopped/continued/exited state of pid is waitable, without
// consuming it (waitid WNOWAIT). Returns the si_code, or -errno.
inline long await_state(long pid, int which) {
    siginfo si{};
    long r = sys::waitid(P_PID, int(pid), &si, which | WNOWAIT, nullptr);
    return r < 0 ? r : si.si_code;
}

// A kc::spawn child that cannot create the processes its test needs (fork
// failed with EAGAIN: RLIMIT_NPROC counts every process of the user, those
// of other tests running at the same time too) exits with this status;
// expect_spawned_ok() turns it into a SKIP that names the limit.
inline constexpr int kNoProcessStatus = 75;

// Checks that a kc::spawn child exited with status 0 (EXPECT_CHILD_OK), or
// skips when it exited with kNoProcessStatus.
inline void expect_spawned_ok(long pid) {
    if (common::exited_with(pid, kNoProcessStatus)) {
        kc::wait_status(pid);
        rlimit64 lim{};
        sys::prlimit64(0, RLIMIT_NPROC, nullptr, &lim);
        char reason[128];
        rt::Fmt f(reason, sizeof reason);
        f.s("needs more processes: fork failed with EAGAIN (RLIMIT_NPROC is ");
        if (lim.rlim_cur == RLIM_INFINITY)
            f.s("unlimited");
        else
            f.u(lim.rlim_cur);
        f.s(", counted over all of this user's processes)");
        kc::skip(f.cstr());
    }
    EXPECT_CHILD_OK(pid);
}

// Decimal text of v into buf (for argv words).
inline const char* dec(char* buf, usize n, long v) {
    rt::Fmt f(buf, n);
    return f.d(v).cstr();
}

// A page of MAP_SHARED anonymous memory that parent and children both see.
inline volatile long* shared_page() {
    long p = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p < 0 && p >= -4095) return nullptr;
    return reinterpret_cast<volatile long*>(p);
}
inline void free_page(volatile long* p) { sys::munmap(const_cast<long*>(p), 4096); }

}  // namespace proc
