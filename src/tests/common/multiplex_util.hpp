// SPDX-License-Identifier: MIT
// Helpers shared by the I/O multiplexing and event-descriptor tests
// (src/tests/poll, epoll, eventfd, signalfd, inotify, memfd): pipe readiness
// states, and signals that are safe to leave pending. Guards are the
// harness's (kc::Fd, kc::Pipe) and common::AnonMap.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_poll.hpp"
#include "rt/sys_signal.hpp"
#include "tests/common/common_util.hpp"

namespace multiplex {

using namespace sys;

// mmap(2) of fd from offset 0 at an address the kernel chooses.
inline long mmap_fd(usize len, int prot, int flags, int fd) {
    return mmap(nullptr, len, prot, flags, fd, 0);
}
inline bool mmap_failed(long r) { return r < 0 && r >= -4095; }

// epoll_wait's behaviour through epoll_pwait (NULL mask), which every
// architecture has.
[[gnu::noinline]] inline long ewait(int epfd, EpollEvent* evs, int max, int timeout_ms = 0) {
    return epoll_pwait(epfd, evs, max, timeout_ms, nullptr);
}
// Registers fd in epfd for `events` with `data`.
[[gnu::noinline]] inline long ep_add(int epfd, int fd, u32 events, u64 data = 0,
                                     int op = EPOLL_CTL_ADD) {
    EpollEvent ev{events, data};
    return epoll_ctl(epfd, op, fd, &ev);
}

// An epoll instance and a pipe for the epoll tests, both closed by their
// guards.
struct EpPipe {
    kc::Fd ep{epoll_create1(EPOLL_CLOEXEC)};
    kc::Pipe p;
    bool ok() const { return ep.get() >= 0 && p.r == 0; }
};

// The calling thread's signal mask.
[[gnu::noinline]] inline u64 sigmask_now() {
    u64 old = 0;
    rt_sigprocmask(SIG_BLOCK, nullptr, &old);
    return old;
}

// Signals for the tests of this area: their default action is to ignore, so
// one left pending by a failed check cannot kill the harness in
// --isolate=none (which uses SIGRTMAX itself).
inline constexpr int kSigA = SIGURG, kSigB = SIGWINCH;

inline volatile int g_sig_hits;
[[gnu::noinline]] inline void count_signal(int) { g_sig_hits = g_sig_hits + 1; }

// Installs count_signal for sig (no SA_RESTART) and blocks sig.
[[gnu::noinline]] inline long catch_and_block(int sig) {
    g_sig_hits = 0;
    arch::KSigaction a = arch::make_sigaction(reinterpret_cast<void*>(count_signal), 0, 0);
    long r = rt_sigaction(sig, &a, nullptr);
    u64 m = sigbit(sig);
    return r ? r : rt_sigprocmask(SIG_BLOCK, &m, nullptr);
}
// Sends sig to the calling thread.
[[gnu::noinline]] inline long raise(int sig) { return tgkill(int(getpid()), int(gettid()), sig); }
// catch_and_block, then raise: sig is left pending.
[[gnu::noinline]] inline long pend_blocked(int sig) {
    long r = catch_and_block(sig);
    return r ? r : raise(sig);
}
// Discards a pending instance of sig (SIG_IGN flushes it) and restores SIG_DFL.
[[gnu::noinline]] inline void discard_signal(int sig) {
    arch::KSigaction a = arch::make_sigaction(SIG_IGN, 0, 0);
    rt_sigaction(sig, &a, nullptr);
    a.handler = SIG_DFL;
    rt_sigaction(sig, &a, nullptr);
}
[[gnu::noinline]] inline bool signal_pending(int sig) {
    u64 set = 0;
    rt_sigpending(&set);
    return set & sigbit(sig);
}

// A child's (kc::spawn) work for the blocking-wait tests: writes one byte
// to the fd at arg 10 ms after it starts.
inline void write_later(void* arg) {
    common::sleep_ms(10);
    EXPECT_RET(sys::write(*static_cast<int*>(arg), "w", 1), 1);
}

// Writes into a nonblocking pipe until it is full; returns the bytes written.
[[gnu::noinline]] inline long fill_pipe(int wr) {
    char chunk[512] = {};
    long total = 0, n;
    while ((n = write(wr, chunk, sizeof chunk)) > 0) total += n;
    return total;
}

// Readiness of a pipe end in a given state, shared by the poll, ppoll,
// select and epoll tests (the EPOLL* bits equal the POLL* bits used here).
enum : u8 { kPipeData = 1, kPipeCloseWr = 2, kPipeCloseRd = 4, kPipeFull = 8, kPipeDrain = 16 };
struct PipeReady {
    const char* label;
    u8 setup;     // kPipe* steps applied to a fresh nonblocking pipe
    bool wr_end;  // watch the write end (else the read end)
    short events;
    short want;  // poll's revents (POLLHUP/POLLERR are reported unrequested)
};
inline constexpr PipeReady kPipeReady[] = {
    {"empty,rd,IN", 0, false, POLLIN, 0},
    {"data,rd,IN|OUT", kPipeData, false, POLLIN | POLLOUT, POLLIN},
    {"data,rd,RDNORM", kPipeData, false, POLLRDNORM, POLLRDNORM},
    {"data,rd,PRI", kPipeData, false, POLLPRI, 0},
    {"empty,wr,IN|OUT", 0, true, POLLIN | POLLOUT, POLLOUT},
    {"empty,wr,WRNORM", 0, true, POLLWRNORM, POLLWRNORM},
    {"full,wr,OUT", kPipeFull, true, POLLOUT, 0},
    {"full_then_drained,wr,OUT", kPipeFull | kPipeDrain, true, POLLOUT, POLLOUT},
    {"writer_closed,rd,IN", kPipeCloseWr, false, POLLIN, POLLHUP},
    {"writer_closed_with_data,rd,IN", kPipeData | kPipeCloseWr, false, POLLIN, POLLIN | POLLHUP},
    {"writer_closed,rd,events=0", kPipeCloseWr, false, 0, POLLHUP},
    {"reader_closed,wr,OUT", kPipeCloseRd, true, POLLOUT, POLLOUT | POLLERR},
    {"reader_closed,wr,events=0", kPipeCloseRd, true, 0, POLLERR},
};
// Puts p (made with O_NONBLOCK) in row's state; returns the fd to watch, or
// a negative value when a step failed.
[[gnu::noinline]] inline int pipe_in_state(const PipeReady& row, kc::Pipe& p) {
    if (p.r) return -1;
    if ((row.setup & kPipeData) && write(p.wr, "x", 1) != 1) return -1;
    if ((row.setup & kPipeFull) && fill_pipe(p.wr) <= 0) return -1;
    if (row.setup & kPipeDrain) {
        char buf[PIPE_BUF];
        if (read(p.rd, buf, sizeof buf) != long(sizeof buf)) return -1;
    }
    if (row.setup & kPipeCloseWr) p.wr.reset();
    if (row.setup & kPipeCloseRd) p.rd.reset();
    return row.wr_end ? p.wr : p.rd;
}

// An address with nothing mapped: a page mapped then unmapped.
[[gnu::noinline]] inline void* unmapped_page() {
    long r = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(reinterpret_cast<void*>(r), 4096);
    return reinterpret_cast<void*>(r);
}

}  // namespace multiplex
