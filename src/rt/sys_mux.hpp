// I/O multiplexing and event descriptors: poll/ppoll, select/pselect6, epoll,
// eventfd, signalfd, inotify, memfd. Raw wrappers (results unchanged, see
// rt/sys.hpp), the generic constants and layouts of these interfaces (the same
// on x86-64, aarch64 and riscv64), and small helpers shared by the test files
// of this area. struct epoll_event is arch-specific: arch::EpollEvent.
#pragma once

#include "rt/sys.hpp"

// poll(2) event bits (asm-generic/poll.h).
inline constexpr short POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8;
inline constexpr short POLLHUP = 0x10, POLLNVAL = 0x20, POLLRDNORM = 0x40, POLLRDBAND = 0x80;
inline constexpr short POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLRDHUP = 0x2000;
struct pollfd {
    int fd;
    short events;
    short revents;
};
static_assert(sizeof(pollfd) == 8);

// select(2): the kernel reads ceil(nfds / 64) longs of each set.
inline constexpr int FD_SETSIZE = 1024;
struct fd_set_ {
    u64 bits[FD_SETSIZE / 64];
};
inline void fdset_add(u64* set, int fd) { set[fd / 64] |= 1ull << (fd % 64); }
inline bool fdset_has(const u64* set, int fd) { return set[fd / 64] >> (fd % 64) & 1; }
// pselect6's sixth argument.
struct PselectMask {
    const u64* ss;
    usize ss_len;
};

// epoll(7).
using arch::EpollEvent;
inline constexpr u32 EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8;
inline constexpr u32 EPOLLHUP = 0x10, EPOLLRDNORM = 0x40, EPOLLWRNORM = 0x100;
inline constexpr u32 EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1u << 28, EPOLLWAKEUP = 1u << 29;
inline constexpr u32 EPOLLONESHOT = 1u << 30, EPOLLET = 1u << 31;
inline constexpr int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
inline constexpr int EPOLL_CLOEXEC = O_CLOEXEC;

// eventfd(2), signalfd(2), inotify(7), memfd_create(2).
inline constexpr int EFD_SEMAPHORE = 1, EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK;
inline constexpr int SFD_CLOEXEC = O_CLOEXEC, SFD_NONBLOCK = O_NONBLOCK;
inline constexpr int IN_CLOEXEC = O_CLOEXEC, IN_NONBLOCK = O_NONBLOCK;
inline constexpr u32 IN_ACCESS = 0x1, IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_CLOSE_WRITE = 0x8;
inline constexpr u32 IN_CLOSE_NOWRITE = 0x10, IN_OPEN = 0x20, IN_MOVED_FROM = 0x40;
inline constexpr u32 IN_MOVED_TO = 0x80, IN_CREATE = 0x100, IN_DELETE = 0x200;
inline constexpr u32 IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800, IN_IGNORED = 0x8000;
inline constexpr u32 IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000;
inline constexpr u32 IN_MASK_CREATE = 0x10000000, IN_MASK_ADD = 0x20000000;
inline constexpr u32 IN_ISDIR = 0x40000000, IN_ONESHOT = 0x80000000;
inline constexpr unsigned MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;
inline constexpr unsigned MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;
inline constexpr int F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8;
inline constexpr int F_SEAL_FUTURE_WRITE = 0x10, F_SEAL_EXEC = 0x20;

struct signalfd_siginfo {
    u32 ssi_signo;
    i32 ssi_errno;
    i32 ssi_code;
    u32 ssi_pid;
    u32 ssi_uid;
    i32 ssi_fd;
    u32 ssi_tid;
    u32 ssi_band;
    u32 ssi_overrun;
    u32 ssi_trapno;
    i32 ssi_status;
    i32 ssi_int;
    u64 ssi_ptr;
    u64 ssi_utime;
    u64 ssi_stime;
    u64 ssi_addr;
    u16 ssi_addr_lsb;
    u16 pad2;
    i32 ssi_syscall;
    u64 ssi_call_addr;
    u32 ssi_arch;
    u8 pad[28];
};
static_assert(sizeof(signalfd_siginfo) == 128);
static_assert(__builtin_offsetof(signalfd_siginfo, ssi_ptr) == 48);

struct inotify_event {
    int wd;
    u32 mask;
    u32 cookie;
    u32 len;  // bytes of name[] that follow, NUL-padded
};
static_assert(sizeof(inotify_event) == 16);

// Generic values on the three supported architectures.
inline constexpr int RLIMIT_NOFILE = 7;
struct rlimit64 {
    u64 cur, max;
};
inline constexpr unsigned long FIONREAD = 0x541B;
inline constexpr int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2;
inline constexpr int SI_USER = 0, SI_QUEUE = -1, SI_TKILL = -6;
inline constexpr u32 S_IFMT = 0170000, S_IFREG = 0100000;

namespace sys {

inline long poll(pollfd* fds, unsigned long n, int timeout_ms) {
    return syscall3(nr::poll, L(fds), L(n), timeout_ms);
}
inline long ppoll(pollfd* fds, unsigned long n, timespec* ts, const u64* mask,
                  usize setsize = kSigsetSize) {
    return syscall5(nr::ppoll, L(fds), L(n), L(ts), L(mask), L(setsize));
}
inline long select(int n, void* r, void* w, void* e, timeval* tv) {
    return syscall5(nr::select, n, L(r), L(w), L(e), L(tv));
}
inline long pselect6(int n, void* r, void* w, void* e, timespec* ts, const PselectMask* m) {
    return syscall6(nr::pselect6, n, L(r), L(w), L(e), L(ts), L(m));
}

inline long epoll_create(int size) { return syscall1(nr::epoll_create, size); }
inline long epoll_create1(int flags) { return syscall1(nr::epoll_create1, flags); }
inline long epoll_ctl(int epfd, int op, int fd, EpollEvent* ev) {
    return syscall4(nr::epoll_ctl, epfd, op, fd, L(ev));
}
inline long epoll_wait(int epfd, EpollEvent* evs, int max, int timeout_ms) {
    return syscall4(nr::epoll_wait, epfd, L(evs), max, timeout_ms);
}
inline long epoll_pwait(int epfd, EpollEvent* evs, int max, int timeout_ms, const u64* mask,
                        usize setsize = kSigsetSize) {
    return syscall6(nr::epoll_pwait, epfd, L(evs), max, timeout_ms, L(mask), L(setsize));
}
inline long epoll_pwait2(int epfd, EpollEvent* evs, int max, const timespec* ts, const u64* mask,
                         usize setsize = kSigsetSize) {
    return syscall6(nr::epoll_pwait2, epfd, L(evs), max, L(ts), L(mask), L(setsize));
}

inline long eventfd(unsigned initval) { return syscall1(nr::eventfd, initval); }
inline long eventfd2(unsigned initval, int flags) { return syscall2(nr::eventfd2, initval, flags); }
inline long signalfd(int fd, const u64* mask, usize setsize = kSigsetSize) {
    return syscall3(nr::signalfd, fd, L(mask), L(setsize));
}
inline long signalfd4(int fd, const u64* mask, usize setsize, int flags) {
    return syscall4(nr::signalfd4, fd, L(mask), L(setsize), flags);
}
inline long inotify_init() { return syscall0(nr::inotify_init); }
inline long inotify_init1(int flags) { return syscall1(nr::inotify_init1, flags); }
inline long inotify_add_watch(int fd, const char* path, u32 mask) {
    return syscall3(nr::inotify_add_watch, fd, L(path), mask);
}
inline long inotify_rm_watch(int fd, int wd) { return syscall2(nr::inotify_rm_watch, fd, wd); }
inline long memfd_create(const char* name, unsigned flags) {
    return syscall2(nr::memfd_create, L(name), flags);
}

}  // namespace sys

// Calls other areas may wrap too, kept out of namespace sys to avoid clashes,
// plus helpers for the tests of this area (out of line: one copy in the
// binary instead of one per test).
namespace mux {

using namespace sys;

inline long ftruncate(int fd, long len) { return syscall2(nr::ftruncate, fd, len); }
inline long prlimit(int pid, int res, const rlimit64* nv, rlimit64* old) {
    return syscall4(nr::prlimit64, pid, res, L(nv), L(old));
}
inline long fchmod(int fd, unsigned mode) { return syscall2(nr::fchmod, fd, mode); }
inline long mprotect(void* addr, usize len, int prot) {
    return syscall3(nr::mprotect, L(addr), L(len), prot);
}
inline long mmap_fd(usize len, int prot, int flags, int fd) {
    return mmap(nullptr, len, prot, flags, fd, 0);
}
inline bool mmap_failed(long r) { return r < 0 && r >= -4095; }
inline long socketpair(int domain, int type, int proto, int sv[2]) {
    return syscall4(nr::socketpair, domain, type, proto, L(sv));
}
inline long renameat2(int od, const char* op, int nd, const char* np, unsigned flags) {
    return syscall5(nr::renameat2, od, L(op), nd, L(np), flags);
}
inline long rt_sigpending(u64* set) { return syscall2(nr::rt_sigpending, L(set), kSigsetSize); }
inline long rt_sigqueueinfo(int pid, int sig, siginfo* si) {
    return syscall3(nr::rt_sigqueueinfo, pid, sig, L(si));
}

// A pipe made with pipe2(flags); closes both ends when it goes out of scope.
struct Pipe {
    int rd = -1, wr = -1;
    long err;
    [[gnu::noinline]] explicit Pipe(int flags = 0) {
        int fds[2] = {-1, -1};
        err = pipe2(fds, flags);
        rd = fds[0], wr = fds[1];
    }
    [[gnu::noinline]] ~Pipe() {
        if (rd >= 0) close(rd);
        if (wr >= 0) close(wr);
    }
    void close_rd() { close(rd), rd = -1; }
    void close_wr() { close(wr), wr = -1; }
};

// An fd closed at the end of the scope (negative: nothing to close).
struct Fd {
    long fd;
    explicit Fd(long f) : fd(f) {}
    [[gnu::noinline]] ~Fd() {
        if (fd >= 0) close(int(fd));
    }
    operator int() const { return int(fd); }
};

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

[[gnu::noinline]] inline void sleep_ms(long ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) == -EINTR) {
    }
}

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
[[gnu::noinline]] inline int pipe_in_state(const PipeReady& row, Pipe& p) {
    if (p.err) return -1;
    if ((row.setup & kPipeData) && write(p.wr, "x", 1) != 1) return -1;
    if ((row.setup & kPipeFull) && fill_pipe(p.wr) <= 0) return -1;
    if (row.setup & kPipeDrain) {
        char buf[PIPE_BUF];
        if (read(p.rd, buf, sizeof buf) != long(sizeof buf)) return -1;
    }
    if (row.setup & kPipeCloseWr) p.close_wr();
    if (row.setup & kPipeCloseRd) p.close_rd();
    return row.wr_end ? p.wr : p.rd;
}

// An anonymous read-write mapping of n bytes; unmapped at the end of the scope.
struct Map {
    char* p;
    usize n;
    [[gnu::noinline]] explicit Map(usize len, int prot = PROT_READ | PROT_WRITE) : n(len) {
        long r = mmap(nullptr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        p = r < 0 && r >= -4095 ? nullptr : reinterpret_cast<char*>(r);
    }
    [[gnu::noinline]] ~Map() {
        if (p) munmap(p, n);
    }
};

// An address with nothing mapped: a page mapped then unmapped.
[[gnu::noinline]] inline void* unmapped_page() {
    long r = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(reinterpret_cast<void*>(r), 4096);
    return reinterpret_cast<void*>(r);
}

}  // namespace mux
