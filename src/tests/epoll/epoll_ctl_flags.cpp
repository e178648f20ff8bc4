// SPDX-License-Identifier: MIT
// The event bits and input flags of epoll_ctl(2), each observed against the
// same registration without it. Inventory (bit: the tests that observe it):
//   EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR: epoll_ctl.pipe_readiness,
//     epoll_ctl.hup_err_always_reported, epoll_ctl.mod_changes_events
//     (epoll_ctl.cpp).
//   EPOLLET: epoll_ctl.edge_triggered_once_until_new_data against
//     epoll_ctl.level_triggered_repeats (epoll_ctl.cpp).
//   EPOLLONESHOT: epoll_ctl.oneshot_disabled_until_mod (epoll_ctl.cpp).
//   EPOLLRDHUP: epoll_ctl.rdhup_on_peer_close (epoll_ctl.cpp) and
//     epoll_ctl.rdhup_only_when_requested (here).
//   EPOLLPRI: epoll_ctl.pri_reports_out_of_band_data (here).
//   EPOLLEXCLUSIVE: epoll_ctl.exclusive_wakes_fewer_instances (here); its
//     restrictions in epoll_ctl.cpp.
// Left out: EPOLLWAKEUP: it needs CAP_BLOCK_SUSPEND, and what it does (keep
// the system from suspending) shows nothing a test can see.
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_net.hpp"
#include "tests/common/multiplex_util.hpp"
#include "tests/pipe/pipe_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace multiplex;

struct ReqRow {
    const char* label;
    u32 events;
    u32 want;
};
constexpr ReqRow kRdhup[] = {{"EPOLLIN", EPOLLIN, EPOLLIN},
                             {"EPOLLIN|EPOLLRDHUP", EPOLLIN | EPOLLRDHUP, EPOLLIN | EPOLLRDHUP}};
// epoll_ctl(2) EPOLLRDHUP: "Stream socket peer closed connection, or shut
// down writing half of connection". Reported only when asked for: after
// the peer's shutdown(SHUT_WR) the socket is readable (end of file) either
// way, and EPOLLRDHUP comes with it only when registered.
TEST_P(epoll_ctl, rdhup_only_when_requested, POSITIVE, LINUX, kRdhup) {
    int sv[2];
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    kc::Fd a(sv[0]), b(sv[1]);
    kc::Fd ep(epoll_create1(EPOLL_CLOEXEC));
    ASSERT_OK(ep.get());
    ASSERT_OK(ep_add(ep, a, row.events, 21));
    EpollEvent ev{};
    EXPECT_RET(ewait(ep, &ev, 1), 0);
    ASSERT_OK(shutdown(b, SHUT_WR));
    EXPECT_RET(ewait(ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, row.want);
    EXPECT_EQ(ev.data, 21);
}

constexpr ReqRow kPri[] = {{"EPOLLIN", EPOLLIN, EPOLLIN},
                           {"EPOLLIN|EPOLLPRI", EPOLLIN | EPOLLPRI, EPOLLIN | EPOLLPRI}};
// epoll_ctl(2) EPOLLPRI: "There is an exceptional condition on the file
// descriptor", such as out-of-band data on a stream socket (poll(2)). A
// byte sent with MSG_OOB on a UNIX stream socket (Linux 5.15,
// CONFIG_AF_UNIX_OOB) makes the peer readable and, only when registered,
// EPOLLPRI.
TEST_P(epoll_ctl, pri_reports_out_of_band_data, POSITIVE, LINUX, kPri) {
    int sv[2];
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    kc::Fd a(sv[0]), b(sv[1]);
    kc::Fd ep(epoll_create1(EPOLL_CLOEXEC));
    ASSERT_OK(ep.get());
    ASSERT_OK(ep_add(ep, a, row.events, 22));
    EpollEvent ev{};
    EXPECT_RET(ewait(ep, &ev, 1), 0);
    long sent = send(b, "u", 1, MSG_OOB);
    if (sent == -EOPNOTSUPP)
        kc::skip("needs out-of-band data on UNIX stream sockets (CONFIG_AF_UNIX_OOB, Linux 5.15)");
    ASSERT_RET(sent, 1);
    EXPECT_RET(ewait(ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, row.want);
    EXPECT_EQ(ev.data, 22);
}

namespace {
// A thread blocked in epoll_pwait on one instance for up to 5 s; it records
// whether the pipe's event (data 1) came back.
struct Waiter {
    int ep;
    long r;
    bool saw_pipe;
};
void wait_on_instance(void* arg) {
    auto* w = static_cast<Waiter*>(arg);
    EpollEvent evs[2] = {};
    w->r = epoll_pwait(w->ep, evs, 2, 5000, nullptr);
    for (long i = 0; i < w->r; ++i)
        if (evs[i].data == 1) w->saw_pipe = true;
}
}  // namespace

struct ExclRow {
    const char* label;
    u32 flag;
    int min_woken, max_woken;  // of kInstances
};
constexpr int kInstances = 3;
constexpr ExclRow kExcl[] = {{"default", 0, kInstances, kInstances},
                             {"EPOLLEXCLUSIVE", EPOLLEXCLUSIVE, 1, kInstances - 1}};
// epoll_ctl(2) EPOLLEXCLUSIVE: "When a wakeup event occurs and multiple
// epoll file descriptors are attached to the same target file using
// EPOLLEXCLUSIVE, one or more of the epoll file descriptors will receive an
// event with epoll_wait(2). The default in this scenario (when
// EPOLLEXCLUSIVE is not set) is for all epoll file descriptors to receive
// an event." Three instances watch one empty pipe, each with a thread
// blocked in epoll_pwait on it (seen asleep in that call through /proc:
// the call's number, or the wait channel do_epoll_wait of Linux 6.18);
// one byte is written: by default every instance receives the event, with
// the flag not all of them (Linux: exactly the first one attached, whose
// woken waiter ends the walk of the pipe's wait queue). An eventfd every
// instance watches without the flag then ends the other waits; it brings
// no pipe event to an instance the pipe's wake-up skipped, since epoll_wait
// reports only what a wake-up put on the instance's ready list.
// Linux wakes no one exclusively when no thread waits: the flag only
// matters to blocked waiters.
TEST_P(epoll_ctl, exclusive_wakes_fewer_instances, POSITIVE, LINUX, kExcl) {
    pipes::require_blocked_view();
    kc::Pipe p(O_NONBLOCK | O_CLOEXEC);
    ASSERT_OK(p.r);
    kc::Fd efd(eventfd2(0, EFD_CLOEXEC | EFD_NONBLOCK));
    ASSERT_OK(efd.get());
    kc::Fd ep[kInstances];
    for (kc::Fd& e : ep) {
        ASSERT_OK((e.reset(epoll_create1(EPOLL_CLOEXEC)), e.get()));
        ASSERT_OK(ep_add(e, p.rd, EPOLLIN | row.flag, 1));
        ASSERT_OK(ep_add(e, efd, EPOLLIN, 2));
    }
    Waiter w[kInstances] = {};
    thread::Thread t[kInstances];
    int started = 0;
    for (; started < kInstances; ++started) {
        w[started].ep = ep[started];
        if (thread::thread_start(t[started], wait_on_instance, &w[started]) <= 0) break;
    }
    bool asleep = started == kInstances;
    // Looked at twice, 1 ms apart: a thread that shows as asleep may still be
    // between setting its state and joining the instance's wait queue.
    for (int pass = 0; pass < 2 && asleep; ++pass) {
        for (int i = 0; i < started && asleep; ++i)
            asleep = pipes::wait_blocked_in(t[i].ret, nr::epoll_pwait, "epoll_wait");
        common::sleep_ms(1);
    }
    if (asleep) EXPECT_RET(write(p.wr, "x", 1), 1);
    u64 one = 1;
    EXPECT_RET(write(efd, &one, sizeof one), 8);  // ends every wait
    for (int i = 0; i < started; ++i) thread::thread_join(t[i]);
    ASSERT_EQ(started, kInstances);
    ASSERT_TRUE(asleep);
    int woken = 0;
    for (const Waiter& x : w) {
        EXPECT_GE(x.r, 1);
        woken += x.saw_pipe ? 1 : 0;
    }
    EXPECT_GE(woken, row.min_woken);
    EXPECT_LE(woken, row.max_woken);
}
