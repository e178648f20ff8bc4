// SPDX-License-Identifier: MIT
// epoll_wait(2), epoll_pwait(2), epoll_pwait2(2): reporting, maxevents
// bounds and the cap on returned events, round-robin over ready fds,
// timeouts (ms and timespec; elapsed on CLOCK_MONOTONIC), the atomic signal
// mask, sigsetsize, and the EINVAL/EBADF/EFAULT paths.
// Left out: EPOLLEXCLUSIVE's wake-one behaviour (needs several blocked
// threads; only its flag rules are tested, in epoll_ctl.cpp), busy polling.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

// The largest maxevents Linux accepts: INT_MAX / sizeof(struct epoll_event).
constexpr int kMaxEvents = int(INT_MAX / sizeof(EpollEvent));

int closed_fd() {
    long c = sys::epoll_create1(0);
    sys::close(int(c));
    return int(c);
}

}  // namespace

// epoll_wait(2): a ready member is returned with its events and data.
TEST(epoll_wait, reports_ready_fd, POSITIVE, LINUX) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLOUT, 0x1234));
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, 0), 0);
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, 0), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    EXPECT_EQ(ev.data, 0x1234);
}

struct Max {
    const char* label;
    int max;
};
constexpr Max kBadMax[] = {{"maxevents=0", 0},
                           {"maxevents=-1", -1},
                           {"maxevents=INT_MIN", INT_MIN},
                           {"maxevents=INT_MAX/sizeof(event)+1", kMaxEvents + 1},
                           {"maxevents=INT_MAX", INT_MAX}};
// epoll_wait(2): EINVAL "maxevents is less than or equal to zero" (and, in
// Linux, above INT_MAX / sizeof(struct epoll_event)).
TEST_P(epoll_wait, bad_maxevents_einval, NEGATIVE, LINUX, kBadMax) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_wait(t.ep, &ev, row.max, 0), EINVAL);
}

// epoll_wait(2): maxevents = INT_MAX / sizeof(struct epoll_event) is still
// accepted (the buffer only has to hold the events actually returned; it is
// placed low so that the whole declared range is a user address: the first
// free page of 1, 4 or 64 GiB, since some kernels, such as User-mode Linux,
// already use the lowest).
TEST(epoll_wait, maxevents_at_limit_ok, BOUNDARY, LINUX) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, 5));
    long a = -ENOMEM;
    for (int shift = 30; shift <= 36; shift += shift == 30 ? 2 : 4) {
        a = sys::mmap(reinterpret_cast<void*>(1L << shift), 4096, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (a >= 0 || a < -4095) break;
    }
    if (a < 0 && a >= -4095) kc::skip("no free page at 1, 4 or 64 GiB for the event buffer");
    auto* ev = reinterpret_cast<EpollEvent*>(a);
    EXPECT_RET(sys::epoll_wait(t.ep, ev, kMaxEvents, 0), 1);
    EXPECT_EQ(ev->data, 5);
    sys::munmap(ev, 4096);
}

// epoll_wait(2): at most maxevents events are returned, and successive calls
// "round robin through the set of ready file descriptors" (epoll(7),
// starvation): three ready fds read one at a time come back all different.
TEST(epoll_wait, maxevents_caps_and_round_robin, BOUNDARY, LINUX) {
    REQUIRE_NR(epoll_wait);
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    kc::Pipe a, b, c;
    ASSERT_OK(a.r | b.r | c.r);
    ASSERT_OK(ep_add(ep, a.wr, EPOLLOUT, 1));
    ASSERT_OK(ep_add(ep, b.wr, EPOLLOUT, 2));
    ASSERT_OK(ep_add(ep, c.wr, EPOLLOUT, 4));
    EpollEvent ev[3] = {};
    EXPECT_RET(sys::epoll_wait(ep, ev, 2, 0), 2);
    EXPECT_RET(sys::epoll_wait(ep, ev, 3, 0), 3);
    u64 seen = 0;
    for (int i = 0; i < 3; ++i) {
        EXPECT_RET(sys::epoll_wait(ep, ev, 1, 0), 1);
        seen |= ev[0].data;
    }
    EXPECT_EQ(seen, 7);
}

struct Ms {
    const char* label;
    int ms;
};
constexpr Ms kTimeouts[] = {{"ms=10", 10}, {"ms=20", 20}};
// epoll_wait(2): with nothing ready it returns 0 after at least timeout ms.
TEST_P(epoll_wait, timeout_elapses, POSITIVE, LINUX, kTimeouts, .flags = kc::SLOW) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    EpollEvent ev{};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, row.ms), 0);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, row.ms * 1000000L);
    EXPECT_LT(dt, row.ms * 1000000L + 2000000000L);
}

// epoll_wait(2): an empty interest list with a timeout is a sleep.
TEST(epoll_wait, empty_set_sleeps, BOUNDARY, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(epoll_wait);
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    EpollEvent ev{};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::epoll_wait(ep, &ev, 1, 10), 0);
    EXPECT_GE(kc::now_ns() - t0, 10000000);
}

// epoll_wait(2): timeout 0 returns at once.
TEST(epoll_wait, timeout_zero_returns_at_once, BOUNDARY, LINUX) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    i64 took = kc::quickest_ns(50000000, [&] {
        EpollEvent ev{};
        EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, 0), 0);
    });
    EXPECT_LT(took, 50000000);
}

constexpr Ms kNegTimeouts[] = {{"ms=-1", -1}, {"ms=INT_MIN", INT_MIN}};
// epoll_wait(2): "Specifying a timeout of -1 causes epoll_wait() to block
// indefinitely" (Linux: any negative value); a ready fd returns at once.
TEST_P(epoll_wait, negative_timeout_waits_for_ready, BOUNDARY, LINUX, kNegTimeouts) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, row.ms), 1);
}

// epoll_wait(2): EINVAL "epfd is not an epoll file descriptor".
TEST(epoll_wait, not_epoll_fd_einval, NEGATIVE, LINUX) {
    REQUIRE_NR(epoll_wait);
    kc::Pipe p;
    ASSERT_OK(p.r);
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_wait(p.rd, &ev, 1, 0), EINVAL);
}

struct BadFd {
    const char* label;
    int fd;  // -2: just closed
};
constexpr BadFd kBadFds[] = {{"epfd=-1", -1}, {"epfd=closed", -2}, {"epfd=INT_MAX", INT_MAX}};
// epoll_wait(2): EBADF "epfd is not a valid file descriptor".
TEST_P(epoll_wait, bad_epfd_ebadf, NEGATIVE, LINUX, kBadFds) {
    REQUIRE_NR(epoll_wait);
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_wait(row.fd == -2 ? closed_fd() : row.fd, &ev, 1, 0), EBADF);
}

struct BadBuf {
    const char* label;
    int kind;  // 0 NULL, 1 unmapped, 2 read-only
};
constexpr BadBuf kBadBufs[] = {{"events=NULL", 0}, {"events=unmapped", 1}, {"events=read_only", 2}};
// epoll_wait(2): EFAULT "The memory area pointed to by events is not
// accessible with write permissions" (when an event is to be stored). The
// event is not lost: a good buffer gets it afterwards.
TEST_P(epoll_wait, events_pointer_efault, NEGATIVE, LINUX, kBadBufs) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, 3));
    common::AnonMap ro(4096, PROT_READ);
    ASSERT_TRUE(ro.p != nullptr);
    void* bufs[3] = {nullptr, unmapped_page(), ro.p};
    EXPECT_ERR(sys::epoll_wait(t.ep, static_cast<EpollEvent*>(bufs[row.kind]), 1, 0), EFAULT);
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, 0), 1);
    EXPECT_EQ(ev.data, 3);
}

namespace {}  // namespace

// epoll_wait(2): a blocked wait wakes when another process writes the pipe.
TEST(epoll_wait, wakes_on_write_from_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    REQUIRE_NR(epoll_wait);
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN, 8));
    long pid = kc::spawn(write_later, &t.p.wr);
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_wait(t.ep, &ev, 1, 5000), 1);
    EXPECT_EQ(ev.data, 8);
    EXPECT_CHILD_OK(pid);
}

// epoll_pwait(2): with a NULL sigmask it behaves as epoll_wait.
TEST(epoll_pwait, null_mask_reports_ready, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN, 6));
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_pwait(t.ep, &ev, 1, 0, nullptr), 0);
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EXPECT_RET(sys::epoll_pwait(t.ep, &ev, 1, -1, nullptr), 1);
    EXPECT_EQ(ev.data, 6);
}

// epoll_pwait(2): the same maxevents bounds.
TEST_P(epoll_pwait, bad_maxevents_einval, NEGATIVE, LINUX, kBadMax) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_pwait(t.ep, &ev, row.max, 0, nullptr), EINVAL);
}

// epoll_pwait(2): timeout in ms, as epoll_wait.
TEST_P(epoll_pwait, timeout_elapses, POSITIVE, LINUX, kTimeouts, .flags = kc::SLOW) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    EpollEvent ev{};
    u64 mask = 0;
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::epoll_pwait(t.ep, &ev, 1, row.ms, &mask), 0);
    EXPECT_GE(kc::now_ns() - t0, row.ms * 1000000L);
}

struct SetSize {
    const char* label;
    usize size;
};
constexpr SetSize kBadSetSizes[] = {
    {"size=0", 0}, {"size=4", 4}, {"size=16", 16}, {"size=SIZE_MAX", ~usize(0)}};
// epoll_pwait(2): EINVAL when sigsetsize is not the kernel's sigset size.
TEST_P(epoll_pwait, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSetSizes) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    u64 mask = 0;
    EXPECT_ERR(sys::epoll_pwait(t.ep, &ev, 1, 0, &mask, row.size), EINVAL);
}

// epoll_pwait(2): without a mask, sigsetsize is not looked at (Linux).
TEST(epoll_pwait, sigsetsize_ignored_without_mask, BOUNDARY, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_pwait(t.ep, &ev, 1, 0, nullptr, 1), 0);
}

// epoll_pwait(2): EFAULT for an unreadable sigmask.
TEST(epoll_pwait, bad_sigmask_pointer_efault, NEGATIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_pwait(t.ep, &ev, 1, 0, static_cast<u64*>(unmapped_page())), EFAULT);
}

// epoll_pwait(2): the sigmask is installed atomically for the wait: a
// blocked pending signal it unblocks interrupts the call with EINTR; the
// handler runs once and the old mask is restored.
TEST(epoll_pwait, mask_unblocks_pending_signal_eintr, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    ASSERT_OK(pend_blocked(kSigA));
    EpollEvent ev{};
    u64 open_mask = 0;
    EXPECT_ERR(sys::epoll_pwait(t.ep, &ev, 1, 5000, &open_mask), EINTR);
    EXPECT_EQ(g_sig_hits, 1);
    EXPECT_TRUE(sigmask_now() & sigbit(kSigA));
    discard_signal(kSigA);
}

// epoll_pwait(2): a mask that keeps the signal blocked lets the wait time
// out with the signal still pending.
TEST(epoll_pwait, mask_keeping_signal_blocked, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(pend_blocked(kSigA));
    EpollEvent ev{};
    u64 mask = sigbit(kSigA);
    EXPECT_RET(sys::epoll_pwait(t.ep, &ev, 1, 1, &mask), 0);
    EXPECT_EQ(g_sig_hits, 0);
    EXPECT_TRUE(signal_pending(kSigA));
    discard_signal(kSigA);
}

// epoll_pwait2(2): a ready member is reported; a NULL timeout blocks only
// while nothing is ready.
TEST(epoll_pwait2, null_timeout_ready_returns, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, 21));
    EpollEvent ev{};
    EXPECT_RET(sys::epoll_pwait2(t.ep, &ev, 1, nullptr, nullptr), 1);
    EXPECT_EQ(ev.events, EPOLLOUT);
    EXPECT_EQ(ev.data, 21);
}

struct Ts {
    const char* label;
    i64 sec, nsec;
};
constexpr Ts kTsTimeouts[] = {{"ns=5000000", 0, 5000000}, {"ns=15000000", 0, 15000000}};
// epoll_pwait2(2): the timeout is a timespec (ns resolution); with nothing
// ready the call returns 0 after at least that long, and the timespec is
// not written back (it is const).
TEST_P(epoll_pwait2, timeout_elapses, POSITIVE, LINUX, kTsTimeouts, .flags = kc::SLOW) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    EpollEvent ev{};
    timespec ts{row.sec, row.nsec};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::epoll_pwait2(t.ep, &ev, 1, &ts, nullptr), 0);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, row.nsec);
    EXPECT_LT(dt, row.nsec + 2000000000L);
    EXPECT_EQ(ts.tv_nsec, row.nsec);
}

// epoll_pwait2(2): a zero timespec returns at once.
TEST(epoll_pwait2, zero_timeout_returns_at_once, BOUNDARY, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    i64 took = kc::quickest_ns(50000000, [&] {
        EpollEvent ev{};
        timespec ts{0, 0};
        EXPECT_RET(sys::epoll_pwait2(t.ep, &ev, 1, &ts, nullptr), 0);
    });
    EXPECT_LT(took, 50000000);
}

constexpr Ts kBadTs[] = {{"nsec=-1", 0, -1},
                         {"nsec=1000000000", 0, 1000000000},
                         {"sec=-1", -1, 0},
                         {"sec=LONG_MIN", LONG_MIN, 0}};
// epoll_pwait2(2): EINVAL for an invalid timespec (tv_nsec outside
// [0, 999999999] or a negative tv_sec), even with an fd ready.
TEST_P(epoll_pwait2, invalid_timespec_einval, NEGATIVE, LINUX, kBadTs) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    EpollEvent ev{};
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::epoll_pwait2(t.ep, &ev, 1, &ts, nullptr), EINVAL);
}

// epoll_pwait2(2): EFAULT for an unreadable timeout.
TEST(epoll_pwait2, bad_timeout_pointer_efault, NEGATIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    EXPECT_ERR(sys::epoll_pwait2(t.ep, &ev, 1, static_cast<timespec*>(unmapped_page()), nullptr),
               EFAULT);
}

// epoll_pwait2(2): EINVAL for a bad sigsetsize with a mask.
TEST_P(epoll_pwait2, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSetSizes) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    timespec ts{0, 0};
    u64 mask = 0;
    EXPECT_ERR(sys::epoll_pwait2(t.ep, &ev, 1, &ts, &mask, row.size), EINVAL);
}

// epoll_pwait2(2): EINVAL for maxevents <= 0, EBADF for a closed epfd.
TEST(epoll_pwait2, bad_maxevents_and_epfd, NEGATIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EpollEvent ev{};
    timespec ts{0, 0};
    EXPECT_ERR(sys::epoll_pwait2(t.ep, &ev, 0, &ts, nullptr), EINVAL);
    EXPECT_ERR(sys::epoll_pwait2(closed_fd(), &ev, 1, &ts, nullptr), EBADF);
}

// epoll_pwait2(2): the atomic mask, as epoll_pwait: a pending blocked
// signal it unblocks gives EINTR and runs the handler once.
TEST(epoll_pwait2, mask_unblocks_pending_signal_eintr, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    ASSERT_OK(pend_blocked(kSigB));
    EpollEvent ev{};
    timespec ts{5, 0};
    u64 open_mask = 0;
    EXPECT_ERR(sys::epoll_pwait2(t.ep, &ev, 1, &ts, &open_mask), EINTR);
    EXPECT_EQ(g_sig_hits, 1);
    EXPECT_TRUE(sigmask_now() & sigbit(kSigB));
    discard_signal(kSigB);
}
