// SPDX-License-Identifier: MIT
// I/O multiplexing: poll and ppoll, select and pselect6, epoll. The values
// and layouts are the same on x86-64, aarch64 and riscv64 (asm-generic/poll.h,
// linux/eventpoll.h), except struct epoll_event, which x86-64 packs:
// arch::EpollEvent.
#pragma once

#include "rt/sys.hpp"

// poll(2) event bits.
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
struct fd_set {
    u64 fds_bits[FD_SETSIZE / 64];
};
// FD_SET and FD_ISSET on the words of a set.
inline void fdset_add(u64* set, int fd) { set[fd / 64] |= 1ull << (fd % 64); }
inline bool fdset_has(const u64* set, int fd) { return set[fd / 64] >> (fd % 64) & 1; }
// pselect6's sixth argument: the signal mask and its size (fs/select.c).
struct sigset_argpack {
    const u64* p;
    usize size;
};

// epoll(7).
using arch::EpollEvent;
inline constexpr u32 EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8;
inline constexpr u32 EPOLLHUP = 0x10, EPOLLRDNORM = 0x40, EPOLLWRNORM = 0x100;
inline constexpr u32 EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1u << 28, EPOLLWAKEUP = 1u << 29;
inline constexpr u32 EPOLLONESHOT = 1u << 30, EPOLLET = 1u << 31;
inline constexpr int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
inline constexpr int EPOLL_CLOEXEC = O_CLOEXEC;

namespace sys {

// int poll(struct pollfd *fds, nfds_t nfds, int timeout);
inline long poll(pollfd* fds, unsigned long n, int timeout_ms) {
    return syscall3(nr::poll, L(fds), L(n), timeout_ms);
}
// int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo_p,
//           const sigset_t *sigmask, size_t sigsetsize);
inline long ppoll(pollfd* fds, unsigned long n, timespec* ts, const u64* mask,
                  usize setsize = kSigsetSize) {
    return syscall5(nr::ppoll, L(fds), L(n), L(ts), L(mask), L(setsize));
}
// int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *t);
inline long select(int n, void* r, void* w, void* e, timeval* tv) {
    return syscall5(nr::select, n, L(r), L(w), L(e), L(tv));
}
// int pselect6(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
//              struct timespec *timeout, struct sigset_argpack *sig);
inline long pselect6(int n, void* r, void* w, void* e, timespec* ts, const sigset_argpack* m) {
    return syscall6(nr::pselect6, n, L(r), L(w), L(e), L(ts), L(m));
}
// int epoll_create(int size);
inline long epoll_create(int size) { return syscall1(nr::epoll_create, size); }
// int epoll_create1(int flags);
inline long epoll_create1(int flags) { return syscall1(nr::epoll_create1, flags); }
// int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
inline long epoll_ctl(int epfd, int op, int fd, EpollEvent* ev) {
    return syscall4(nr::epoll_ctl, epfd, op, fd, L(ev));
}
// int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);
inline long epoll_wait(int epfd, EpollEvent* evs, int max, int timeout_ms) {
    return syscall4(nr::epoll_wait, epfd, L(evs), max, timeout_ms);
}
// int epoll_pwait(int epfd, struct epoll_event *events, int maxevents, int timeout,
//                 const sigset_t *sigmask, size_t sigsetsize);
inline long epoll_pwait(int epfd, EpollEvent* evs, int max, int timeout_ms, const u64* mask,
                        usize setsize = kSigsetSize) {
    return syscall6(nr::epoll_pwait, epfd, L(evs), max, timeout_ms, L(mask), L(setsize));
}
// int epoll_pwait2(int epfd, struct epoll_event *events, int maxevents,
//                  const struct timespec *timeout, const sigset_t *sigmask, size_t sigsetsize);
inline long epoll_pwait2(int epfd, EpollEvent* evs, int max, const timespec* ts, const u64* mask,
                         usize setsize = kSigsetSize) {
    return syscall6(nr::epoll_pwait2, epfd, L(evs), max, L(ts), L(mask), L(setsize));
}

}  // namespace sys
