// SPDX-License-Identifier: MIT
// epoll_ctl(2): ADD/MOD/DEL and their errors (EEXIST, ENOENT, EINVAL, ELOOP,
// EBADF, EPERM, EFAULT), EPOLLEXCLUSIVE's restrictions, and the event
// semantics chosen at registration: level vs edge triggered, EPOLLONESHOT,
// EPOLLHUP/EPOLLERR always reported, EPOLLRDHUP, nested epoll instances,
// registrations tied to the open file description (dup, close), the data
// field. Events are collected with epoll_pwait(NULL mask), which every
// architecture has (epoll_wait itself is tested in epoll_wait.cpp).
// Left out: EPOLLWAKEUP (needs CAP_BLOCK_SUSPEND and shows nothing
// observable), fs.epoll.max_user_watches exhaustion (ENOSPC: host-wide
// limit), the wakeup-path limits for deep trees of non-epoll files.
#include "harness/test.hpp"
#include "rt/sys_net.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

// epoll_ctl(2): EEXIST "op was EPOLL_CTL_ADD, and fd is already registered".
TEST(epoll_ctl, add_twice_eexist, NEGATIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EXPECT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLOUT), EEXIST);
}

struct Op {
    const char* label;
    int op;
};
constexpr Op kUnregisteredOps[] = {{"op=DEL", EPOLL_CTL_DEL}, {"op=MOD", EPOLL_CTL_MOD}};
// epoll_ctl(2): ENOENT "op was EPOLL_CTL_MOD or EPOLL_CTL_DEL, and fd is not
// registered with this epoll instance".
TEST_P(epoll_ctl, unregistered_fd_enoent, NEGATIVE, LINUX, kUnregisteredOps) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EXPECT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));  // another fd is registered
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLIN, 0, row.op), ENOENT);
}

constexpr Op kBadOps[] = {{"op=0", 0}, {"op=4", 4}, {"op=-1", -1}, {"op=INT_MAX", INT_MAX}};
// epoll_ctl(2): EINVAL "The requested operation op is not supported".
TEST_P(epoll_ctl, bad_op_einval, NEGATIVE, LINUX, kBadOps) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLIN, 0, row.op), EINVAL);
    // Also on a registered fd, where ADD/MOD/DEL would all have done something.
    EXPECT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLIN, 0, row.op), EINVAL);
}

// epoll_ctl(2): EINVAL "fd is the same as epfd".
TEST(epoll_ctl, fd_is_epfd_einval, NEGATIVE, LINUX) {
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    EXPECT_ERR(ep_add(ep, ep, EPOLLIN), EINVAL);
}

// epoll_ctl(2): EINVAL "epfd is not an epoll file descriptor".
TEST(epoll_ctl, epfd_not_epoll_einval, NEGATIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(ep_add(p.wr, p.rd, EPOLLIN), EINVAL);
}

struct BadFd {
    const char* label;
    int fd;  // -2: a descriptor that was just closed
};
constexpr BadFd kBadFds[] = {{"fd=-1", -1}, {"fd=closed", -2}, {"fd=INT_MAX", INT_MAX}};

namespace {
int resolve(int fd) {
    if (fd != -2) return fd;
    long c = sys::epoll_create1(0);
    sys::close(int(c));
    return int(c);
}
}  // namespace

// epoll_ctl(2): EBADF "epfd or fd is not a valid file descriptor" (epfd).
TEST_P(epoll_ctl, bad_epfd_ebadf, NEGATIVE, LINUX, kBadFds) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(ep_add(resolve(row.fd), p.rd, EPOLLIN), EBADF);
}

// epoll_ctl(2): EBADF "epfd or fd is not a valid file descriptor" (fd), for
// ADD, MOD and DEL alike.
TEST_P(epoll_ctl, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    int fd = resolve(row.fd);
    EXPECT_ERR(ep_add(ep, fd, EPOLLIN), EBADF);
    EXPECT_ERR(ep_add(ep, fd, EPOLLIN, 0, EPOLL_CTL_MOD), EBADF);
    EXPECT_ERR(ep_add(ep, fd, EPOLLIN, 0, EPOLL_CTL_DEL), EBADF);
}

struct Unpollable {
    const char* label;
    bool dir;
};
constexpr Unpollable kUnpollable[] = {{"file=regular", false}, {"file=directory", true}};
// epoll_ctl(2): EPERM "The target file fd does not support epoll" (regular
// files and directories).
TEST_P(epoll_ctl, unpollable_file_eperm, NEGATIVE, LINUX, kUnpollable, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd f(row.dir ? sys::openat(kc::scratch_fd(), ".", O_RDONLY | O_DIRECTORY)
                     : sys::openat(AT_FDCWD, kc::scratch_path("f"), O_RDWR | O_CREAT, 0600));
    ASSERT_OK(f.get());
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    EXPECT_ERR(ep_add(ep, f, EPOLLIN), EPERM);
}

// epoll_ctl(2): ELOOP "fd refers to an epoll instance and this EPOLL_CTL_ADD
// operation would result in a circular loop of epoll instances".
TEST(epoll_ctl, mutual_nesting_eloop, NEGATIVE, LINUX) {
    kc::Fd a(sys::epoll_create1(0)), b(sys::epoll_create1(0));
    ASSERT_OK(a.get());
    ASSERT_OK(b.get());
    EXPECT_OK(ep_add(a, b, EPOLLIN));
    EXPECT_ERR(ep_add(b, a, EPOLLIN), ELOOP);
    // A longer cycle: a -> b -> c -> a.
    kc::Fd c(sys::epoll_create1(0));
    ASSERT_OK(c.get());
    EXPECT_OK(ep_add(b, c, EPOLLIN));
    EXPECT_ERR(ep_add(c, a, EPOLLIN), ELOOP);
}

struct Order {
    const char* label;
    bool top_down;
};
constexpr Order kOrders[] = {{"build=top_down", true}, {"build=bottom_up", false}};
// epoll_ctl(2): ELOOP for "a nesting depth of epoll instances greater than
// 5": a chain of 5 instances is allowed, a 6th level is refused, whichever
// end the chain is built from.
TEST_P(epoll_ctl, nesting_depth_limit_eloop, BOUNDARY, LINUX, kOrders) {
    int eps[6];
    for (int& e : eps) e = int(sys::epoll_create1(0));
    for (int e : eps) ASSERT_GE(e, 0);
    // eps[i] contains eps[i + 1]; the link eps[4] -> eps[5] is the 6th level.
    for (int k = 0; k < 5; ++k) {
        int i = row.top_down ? k : 4 - k;
        long r = ep_add(eps[i], eps[i + 1], EPOLLIN);
        bool too_deep = row.top_down ? i == 4 : k == 4;
        if (too_deep)
            EXPECT_ERR(r, ELOOP);
        else
            EXPECT_OK(r);
    }
    for (int e : eps) sys::close(e);
}

struct EvPtr {
    const char* label;
    int op;
    bool null;
};
constexpr EvPtr kBadEvPtrs[] = {{"op=ADD,event=NULL", EPOLL_CTL_ADD, true},
                                {"op=ADD,event=unmapped", EPOLL_CTL_ADD, false},
                                {"op=MOD,event=NULL", EPOLL_CTL_MOD, true},
                                {"op=MOD,event=unmapped", EPOLL_CTL_MOD, false}};
// epoll_ctl(2): EFAULT when ADD/MOD cannot read the event.
TEST_P(epoll_ctl, event_pointer_efault, NEGATIVE, LINUX, kBadEvPtrs) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    if (row.op == EPOLL_CTL_MOD) ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    auto* ev = row.null ? nullptr : static_cast<EpollEvent*>(unmapped_page());
    EXPECT_ERR(sys::epoll_ctl(t.ep, row.op, t.p.rd, ev), EFAULT);
}

constexpr EvPtr kDelPtrs[] = {{"event=NULL", EPOLL_CTL_DEL, true},
                              {"event=unmapped", EPOLL_CTL_DEL, false}};
// epoll_ctl(2): EPOLL_CTL_DEL ignores the event argument ("Since Linux
// 2.6.9, event can be specified as NULL"); the fd is then gone.
TEST_P(epoll_ctl, del_ignores_event, BOUNDARY, LINUX, kDelPtrs) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    auto* ev = row.null ? nullptr : static_cast<EpollEvent*>(unmapped_page());
    EXPECT_RET(sys::epoll_ctl(t.ep, EPOLL_CTL_DEL, t.p.wr, ev), 0);
    EpollEvent out{};
    EXPECT_RET(ewait(t.ep, &out, 1), 0);
    EXPECT_ERR(sys::epoll_ctl(t.ep, EPOLL_CTL_DEL, t.p.wr, nullptr), ENOENT);
}

struct Data {
    const char* label;
    u64 data;
};
constexpr Data kData[] = {{"data=0", 0},
                          {"data=0xdeadbeefcafebabe", 0xdeadbeefcafebabeull},
                          {"data=UINT64_MAX", ~0ull},
                          {"data=1<<63", 1ull << 63}};
// epoll_ctl(2): the data field comes back unchanged in every reported event.
TEST_P(epoll_ctl, data_round_trip, POSITIVE, LINUX, kData) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, row.data));
    EpollEvent ev{0, ~row.data};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLOUT);
    EXPECT_TRUE(ev.data == row.data);
    // MOD replaces the data too.
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, ~row.data, EPOLL_CTL_MOD));
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_TRUE(ev.data == ~row.data);
}

// epoll(7): level-triggered (default): a readable fd is reported by every
// wait until the data is consumed.
TEST(epoll_ctl, level_triggered_repeats, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN, 7));
    ASSERT_RET(sys::write(t.p.wr, "ab", 2), 2);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    char buf[2];
    EXPECT_RET(sys::read(t.p.rd, buf, 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);  // one byte is still there
    EXPECT_RET(sys::read(t.p.rd, buf, 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
}

// epoll(7): EPOLLET reports a readable fd once; unread data does not
// re-trigger it, new data does.
TEST(epoll_ctl, edge_triggered_once_until_new_data, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLET, 9));
    ASSERT_RET(sys::write(t.p.wr, "ab", 2), 2);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);  // data still there: no new edge
    char c;
    EXPECT_RET(sys::read(t.p.rd, &c, 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    ASSERT_RET(sys::write(t.p.wr, "c", 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.data, 9);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
}

// epoll_ctl(2): EPOLL_CTL_MOD re-arms an edge-triggered fd: a still-ready
// fd is reported again after MOD.
TEST(epoll_ctl, mod_rearms_edge_triggered, BOUNDARY, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLET));
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLET, 0, EPOLL_CTL_MOD));
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
}

// epoll_ctl(2): EPOLLONESHOT disables the fd after one event, even with new
// data, until EPOLL_CTL_MOD re-arms it.
TEST(epoll_ctl, oneshot_disabled_until_mod, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLONESHOT, 3));
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    ASSERT_RET(sys::write(t.p.wr, "b", 1), 1);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    // Still registered: ADD fails, MOD re-arms.
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLIN), EEXIST);
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLONESHOT, 4, EPOLL_CTL_MOD));
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.data, 4);
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
}

// epoll_ctl(2): MOD changes the event mask: a write end registered for
// EPOLLIN is silent, for EPOLLOUT ready.
TEST(epoll_ctl, mod_changes_events, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLIN));
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT, 0, EPOLL_CTL_MOD));
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLOUT);
}

// epoll_ctl(2): after DEL a ready fd is no longer reported, and it can be
// added again.
TEST(epoll_ctl, del_stops_reporting, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    ASSERT_OK(ep_add(t.ep, t.p.wr, 0, 0, EPOLL_CTL_DEL));
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    EXPECT_OK(ep_add(t.ep, t.p.wr, EPOLLOUT));
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
}

// epoll(7): a pipe end in each state of the shared readiness table is
// reported with the events poll would give: the requested bits, plus
// EPOLLHUP/EPOLLERR which are always reported (even for events 0).
TEST_P(epoll_ctl, pipe_readiness, POSITIVE, LINUX, kPipeReady) {
    kc::Pipe p(O_NONBLOCK);
    int fd = pipe_in_state(row, p);
    ASSERT_GE(fd, 0);
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    ASSERT_OK(ep_add(ep, fd, u32(row.events), 0x5a));
    EpollEvent ev{0, 0};
    EXPECT_RET(ewait(ep, &ev, 1), row.want ? 1 : 0);
    if (row.want) {
        EXPECT_EQ(long(ev.events), long(row.want));
        EXPECT_EQ(ev.data, 0x5a);
    }
}

struct End {
    const char* label;
    bool read_end;
    u32 want;
};
constexpr End kHangup[] = {{"end=read,peer_closed", true, EPOLLHUP},
                           {"end=write,peer_closed", false, EPOLLERR}};
// epoll_ctl(2): "epoll_wait(2) will always wait for [EPOLLERR/EPOLLHUP]; it
// is not necessary to set it in events": a pipe end whose peer closed is
// reported even when registered with events 0.
TEST_P(epoll_ctl, hup_err_always_reported, POSITIVE, LINUX, kHangup) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    int fd = row.read_end ? t.p.rd : t.p.wr;
    ASSERT_OK(ep_add(t.ep, fd, 0, 5));
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    if (row.read_end)
        t.p.wr.reset();
    else
        t.p.rd.reset();
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, row.want);
    EXPECT_EQ(ev.data, 5);
}

// epoll_ctl(2): EPOLLRDHUP reports that a stream socket's peer closed (or
// shut down writing).
TEST(epoll_ctl, rdhup_on_peer_close, POSITIVE, LINUX) {
    int sv[2];
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    kc::Fd a(sv[0]);
    kc::Fd ep(sys::epoll_create1(0));
    ASSERT_OK(ep.get());
    ASSERT_OK(ep_add(ep, a, EPOLLIN | EPOLLRDHUP));
    EpollEvent ev{};
    EXPECT_RET(ewait(ep, &ev, 1), 0);
    sys::close(sv[1]);
    EXPECT_RET(ewait(ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN | EPOLLRDHUP | EPOLLHUP);
}

// epoll(7) Q6: closing the last fd referring to an open file description
// removes it from every epoll set.
TEST(epoll_ctl, close_last_reference_removes, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    int old = t.p.rd;
    t.p.rd.reset();
    EXPECT_RET(ewait(t.ep, &ev, 1), 0);
    // The number is free again; a new file on it is not registered.
    kc::Fd again(sys::dup(t.p.wr));
    ASSERT_RET(again.get(), old);
    EXPECT_ERR(ep_add(t.ep, old, 0, 0, EPOLL_CTL_DEL), ENOENT);
}

// epoll(7) Q6: a registration belongs to the open file description: while a
// dup survives, closing the registered fd does not remove it; events keep
// coming with the old data, and the closed number cannot be DEL'd (EBADF).
TEST(epoll_ctl, dup_keeps_registration, BOUNDARY, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN, 77));
    kc::Fd keep(sys::dup(t.p.rd));
    ASSERT_OK(keep.get());
    int old = t.p.rd;
    t.p.rd.reset();
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.data, 77);
    EXPECT_ERR(ep_add(t.ep, old, 0, 0, EPOLL_CTL_DEL), EBADF);
    // The dup is a different (file, fd) key: it is not registered itself.
    EXPECT_ERR(ep_add(t.ep, keep, 0, 0, EPOLL_CTL_DEL), ENOENT);
}

// epoll(7) Q1: two fds for the same open file description are distinct
// registrations; each is reported with its own data.
TEST(epoll_ctl, dup_fds_registered_separately, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    kc::Fd d(sys::dup(t.p.rd));
    ASSERT_OK(d.get());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN, 1));
    ASSERT_OK(ep_add(t.ep, d, EPOLLIN, 2));
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev[3] = {};
    EXPECT_RET(ewait(t.ep, ev, 3), 2);
    EXPECT_EQ(ev[0].data + ev[1].data, 3);
}

// epoll(7): an epoll fd is itself pollable: an inner instance with a ready
// member is readable in an outer one, and stops being so when drained.
TEST(epoll_ctl, nested_epoll_readiness, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    kc::Fd outer(sys::epoll_create1(0));
    ASSERT_OK(outer.get());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN));
    ASSERT_OK(ep_add(outer, t.ep, EPOLLIN, 42));
    EpollEvent ev{};
    EXPECT_RET(ewait(outer, &ev, 1), 0);
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EXPECT_RET(ewait(outer, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    EXPECT_EQ(ev.data, 42);
    char c;
    EXPECT_RET(sys::read(t.p.rd, &c, 1), 1);
    EXPECT_RET(ewait(outer, &ev, 1), 0);
    // ppoll sees the same readiness on the epoll fd.
    ASSERT_RET(sys::write(t.p.wr, "b", 1), 1);
    pollfd pf{t.ep, POLLIN, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&pf, 1, &ts, nullptr), 1);
    EXPECT_EQ(pf.revents, POLLIN);
}

// epoll_ctl(2): EPOLLEXCLUSIVE is accepted with ADD together with the
// allowed bits, and the fd is reported like any other.
TEST(epoll_ctl, exclusive_add_ok, POSITIVE, LINUX) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EXPECT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLEXCLUSIVE | EPOLLET, 11));
    ASSERT_RET(sys::write(t.p.wr, "a", 1), 1);
    EpollEvent ev{};
    EXPECT_RET(ewait(t.ep, &ev, 1), 1);
    EXPECT_EQ(ev.events, EPOLLIN);
    EXPECT_EQ(ev.data, 11);
}

struct Bits {
    const char* label;
    u32 events;
};
constexpr Bits kExclusiveBad[] = {{"with=EPOLLONESHOT", EPOLLONESHOT},
                                  {"with=EPOLLRDHUP", EPOLLRDHUP},
                                  {"with=EPOLLPRI", EPOLLPRI}};
// epoll_ctl(2): EINVAL "EPOLLEXCLUSIVE was specified in event and ... flags
// other than EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLWAKEUP, EPOLLET". The
// man page does not list EPOLLRDHUP and EPOLLPRI explicitly; Linux refuses
// them too (EPOLLEXCLUSIVE_OK_BITS).
TEST_P(epoll_ctl, exclusive_with_other_bits_einval, NEGATIVE, LINUX, kExclusiveBad) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    EXPECT_ERR(ep_add(t.ep, t.p.rd, EPOLLIN | EPOLLEXCLUSIVE | row.events), EINVAL);
    EXPECT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | row.events));  // fine without it
}

struct ModExcl {
    const char* label;
    bool registered_exclusive;
    u32 mod_events;
};
constexpr ModExcl kModExcl[] = {{"mod_adds_exclusive", false, EPOLLIN | EPOLLEXCLUSIVE},
                                {"mod_of_exclusive_registration", true, EPOLLIN},
                                {"mod_exclusive_to_exclusive", true, EPOLLIN | EPOLLEXCLUSIVE}};
// epoll_ctl(2): EINVAL "EPOLLEXCLUSIVE was specified in event and op was
// EPOLL_CTL_MOD", and EINVAL for any MOD of an fd added with
// EPOLLEXCLUSIVE ("op was EPOLL_CTL_MOD and events previously had
// EPOLLEXCLUSIVE").
TEST_P(epoll_ctl, exclusive_mod_einval, NEGATIVE, LINUX, kModExcl) {
    EpPipe t;
    ASSERT_TRUE(t.ok());
    ASSERT_OK(ep_add(t.ep, t.p.rd, EPOLLIN | (row.registered_exclusive ? EPOLLEXCLUSIVE : 0)));
    EXPECT_ERR(ep_add(t.ep, t.p.rd, row.mod_events, 0, EPOLL_CTL_MOD), EINVAL);
    EXPECT_OK(ep_add(t.ep, t.p.rd, 0, 0, EPOLL_CTL_DEL));  // DEL is allowed
}

// epoll_ctl(2): EINVAL "EPOLLEXCLUSIVE was specified in event and fd refers
// to an epoll instance".
TEST(epoll_ctl, exclusive_on_epoll_fd_einval, NEGATIVE, LINUX) {
    kc::Fd a(sys::epoll_create1(0)), b(sys::epoll_create1(0));
    ASSERT_OK(a.get());
    ASSERT_OK(b.get());
    EXPECT_ERR(ep_add(a, b, EPOLLIN | EPOLLEXCLUSIVE), EINVAL);
    EXPECT_OK(ep_add(a, b, EPOLLIN));
}
