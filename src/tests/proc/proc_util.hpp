// Small helpers shared by the process and message-queue tests: children that
// wait on a pipe until released, dropping privileges in a child, signal
// resets and pipe-based synchronization. Everything here runs in the test
// process or in children it creates; nothing outlives a test.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_proc.hpp"

namespace pu {

inline constexpr int kNobody = 65534;

inline void sleep_ms(long ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    sys::nanosleep(&ts, nullptr);
}

// Closes every descriptor from 3 up to 127 except `keep` (in a child, so that
// it holds no pipe ends of its siblings).
inline void close_all_but(int keep) {
    for (int fd = 3; fd < 128; ++fd) {
        if (fd != keep) sys::close(fd);
    }
}

// Sets `sig` to its default action (children inherit the harness's handlers
// in --isolate=none) and unblocks every signal.
inline void default_signal(int sig) {
    arch::KSigaction a = arch::make_sigaction(SIG_DFL, 0, 0);
    sys::rt_sigaction(sig, &a, nullptr);
    u64 none = 0;
    sys::rt_sigprocmask(SIG_SETMASK, &none, nullptr);
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

// In a child: become uid/gid 65534 without supplementary groups when running
// as root. Returns false if that failed.
inline bool become_nobody() {
    if (sys::geteuid() != 0) return true;
    sys::setgroups(0, nullptr);
    return sys::setresgid(kNobody, kNobody, kNobody) == 0 &&
           sys::setresuid(kNobody, kNobody, kNobody) == 0;
}

// True when the calling process has capability `cap` in its effective set
// (root in a container may lack some, e.g. CAP_SYS_RESOURCE).
inline bool has_cap(int cap) {
    cap_header h{LINUX_CAPABILITY_VERSION_3, 0};
    cap_data d[2] = {};
    if (sys::capget(&h, d) != 0) return false;
    return d[cap / 32].effective >> (cap % 32) & 1;
}

// Skips unless the caller has `cap` (named in `reason`).
inline void need_cap(int cap, const char* reason) {
    if (!has_cap(cap)) kc::skip(reason);
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

// Blocks until a stopped/continued/exited state of pid is waitable, without
// consuming it (waitid WNOWAIT). Returns the si_code, or -errno.
inline long await_state(long pid, int which) {
    siginfo si{};
    long r = sys::waitid(P_PID, int(pid), &si, which | WNOWAIT, nullptr);
    return r < 0 ? r : si.si_code;
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

}  // namespace pu
