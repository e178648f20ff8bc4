// SPDX-License-Identifier: MIT
// poll(2) and ppoll(2) on pipes and UNIX socketpairs: readiness bits
// (POLLIN/POLLOUT/POLLHUP/POLLERR/POLLNVAL, RDNORM/WRNORM, RDHUP), negative
// fds, revents masking, timeouts (elapsed time on CLOCK_MONOTONIC), ppoll's
// atomic signal mask and written-back timeout, and the EINVAL/EFAULT paths.
// Left out: POLLPRI conditions (need TCP urgent data or sysfs), terminals and FIFOs
// opened by path (other areas), the legacy poll restart_block after a signal
// handler with SA_RESTART.
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_net.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

// One pollfd (revents preset to garbage), polled with timeout 0; returns the
// result and leaves revents in *rev.
long poll1(int fd, short events, short* rev) {
    pollfd p{fd, events, short(0x7fff)};
    long r = sys::poll(&p, 1, 0);
    *rev = p.revents;
    return r;
}

long nofile_limit() {
    rlimit64 rl{};
    long r = sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &rl);
    return r < 0 ? r : long(rl.rlim_cur);
}

}  // namespace

// poll(2) and POSIX poll(): the revents of a pipe end in each state: POLLIN
// with data, POLLOUT with room (not when full; again once a buffer's worth
// is read), POLLHUP when the writers are gone, POLLERR when the readers
// are; only the requested bits plus POLLHUP/POLLERR, which "shall always be
// set in revents if the condition" holds, even with events 0.
TEST_P(poll, pipe_readiness, POSITIVE, PSE53, kPipeReady) {
    REQUIRE_NR(poll);
    kc::Pipe p(O_NONBLOCK);
    int fd = pipe_in_state(row, p);
    ASSERT_GE(fd, 0);
    short rev;
    EXPECT_RET(poll1(fd, row.events, &rev), row.want ? 1 : 0);
    EXPECT_EQ(rev, row.want);
}

struct BadFd {
    const char* label;
    int fd;  // -2: a descriptor that was just closed
};
constexpr BadFd kNotOpen[] = {{"fd=closed", -2}, {"fd=1000000", 1000000}, {"fd=INT_MAX", INT_MAX}};
namespace {
// Resolves a kNotOpen row to a descriptor number that is not open.
int not_open(int fd) {
    if (fd != -2) return fd;
    long c = sys::eventfd2(0, 0);
    sys::close(int(c));
    return int(c);
}
}  // namespace

// poll(2): POLLNVAL "Invalid request: fd not open"; the entry counts as
// ready, whatever events asked for.
TEST_P(poll, fd_not_open_pollnval, NEGATIVE, PSE51, kNotOpen) {
    REQUIRE_NR(poll);
    short rev;
    EXPECT_RET(poll1(not_open(row.fd), POLLIN, &rev), 1);
    EXPECT_EQ(rev, POLLNVAL);
    EXPECT_RET(poll1(not_open(row.fd), 0, &rev), 1);
    EXPECT_EQ(rev, POLLNVAL);
}

struct NegFd {
    const char* label;
    int fd;
};
constexpr NegFd kNegFds[] = {{"fd=-1", -1}, {"fd=-100", -100}, {"fd=INT_MIN", INT_MIN}};
// poll(2): a negative fd is ignored: revents is set to 0 and it is not counted.
TEST_P(poll, negative_fd_ignored, BOUNDARY, PSE53, kNegFds) {
    REQUIRE_NR(poll);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    pollfd fds[2] = {{row.fd, short(POLLIN | POLLOUT), -1}, {p.rd, POLLIN, -1}};
    EXPECT_RET(sys::poll(fds, 2, 0), 1);
    EXPECT_EQ(fds[0].revents, 0);
    EXPECT_EQ(fds[1].revents, POLLIN);
}

// poll(2): the result counts entries with nonzero revents; the same fd listed
// twice is reported twice.
TEST(poll, counts_ready_entries, POSITIVE, PSE53) {
    REQUIRE_NR(poll);
    kc::Pipe a, b;
    ASSERT_OK(a.r);
    ASSERT_OK(b.r);
    ASSERT_RET(sys::write(a.wr, "x", 1), 1);
    pollfd fds[4] = {{a.rd, POLLIN, 0}, {b.rd, POLLIN, 0}, {a.rd, POLLIN, 0}, {b.wr, POLLOUT, 0}};
    EXPECT_RET(sys::poll(fds, 4, 0), 3);
    EXPECT_EQ(fds[0].revents, POLLIN);
    EXPECT_EQ(fds[1].revents, 0);
    EXPECT_EQ(fds[2].revents, POLLIN);
    EXPECT_EQ(fds[3].revents, POLLOUT);
}

// poll(2): a UNIX stream socket whose peer closed is readable (EOF) with
// POLLHUP, and POLLRDHUP when asked (Linux-specific bit).
TEST(poll, socketpair_peer_closed_rdhup, POSITIVE, LINUX) {
    REQUIRE_NR(poll);
    int sv[2];
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    kc::Fd a(sv[0]);
    short rev;
    EXPECT_RET(poll1(a, POLLIN | POLLOUT | POLLRDHUP, &rev), 1);
    EXPECT_EQ(rev, POLLOUT);
    sys::close(sv[1]);
    EXPECT_RET(poll1(a, POLLIN | POLLRDHUP, &rev), 1);
    EXPECT_EQ(rev, POLLIN | POLLRDHUP | POLLHUP);
}

// poll(2): "Regular files shall always poll TRUE for reading and writing"
// (POSIX poll()).
TEST(poll, regular_file_always_ready, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(poll);
    kc::Fd f(sys::openat(AT_FDCWD, kc::scratch_path("f"), O_RDWR | O_CREAT, 0600));
    ASSERT_OK(f.get());
    short rev;
    EXPECT_RET(poll1(f, POLLIN | POLLOUT, &rev), 1);
    EXPECT_EQ(rev, POLLIN | POLLOUT);
}

// poll(2): timeout 0 returns at once even when nothing is ready.
TEST(poll, timeout_zero_returns_at_once, BOUNDARY, PSE53) {
    REQUIRE_NR(poll);
    kc::Pipe p;
    ASSERT_OK(p.r);
    i64 took = kc::quickest_ns(50000000, [&] {
        pollfd fd{p.rd, POLLIN, 0};
        EXPECT_RET(sys::poll(&fd, 1, 0), 0);
    });
    EXPECT_LT(took, 50000000);
}

struct Ms {
    const char* label;
    int ms;
};
constexpr Ms kTimeouts[] = {{"ms=10", 10}, {"ms=20", 20}};
// poll(2): with nothing ready, poll returns 0 after at least `timeout` ms.
TEST_P(poll, timeout_elapses, POSITIVE, PSE53, kTimeouts, .flags = kc::SLOW) {
    REQUIRE_NR(poll);
    kc::Pipe p;
    ASSERT_OK(p.r);
    pollfd fd{p.rd, POLLIN, 0};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::poll(&fd, 1, row.ms), 0);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, row.ms * 1000000L);
    EXPECT_LT(dt, row.ms * 1000000L + 2000000000L);
}

// poll(2): no fds at all is a plain sleep of `timeout` ms.
TEST(poll, nfds_zero_sleeps, BOUNDARY, PSE51, .flags = kc::SLOW) {
    REQUIRE_NR(poll);
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::poll(nullptr, 0, 10), 0);
    EXPECT_GE(kc::now_ns() - t0, 10000000);
}

constexpr Ms kNegTimeouts[] = {{"ms=-1", -1}, {"ms=INT_MIN", INT_MIN}};
// poll(2): "Specifying a negative value in timeout means an infinite
// timeout"; a ready fd still returns at once. POSIX names -1; Linux takes
// any negative value (INT_MIN here) the same way.
TEST_P(poll, negative_timeout_waits_for_ready, BOUNDARY, LINUX, kNegTimeouts) {
    REQUIRE_NR(poll);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    pollfd fd{p.rd, POLLIN, 0};
    EXPECT_RET(sys::poll(&fd, 1, row.ms), 1);
    EXPECT_EQ(fd.revents, POLLIN);
}

namespace {}  // namespace

// poll(2): a blocked poll wakes up when another process writes the pipe.
TEST(poll, wakes_on_write_from_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK | kc::SLOW) {
    REQUIRE_NR(poll);
    kc::Pipe p;
    ASSERT_OK(p.r);
    long pid = kc::spawn(write_later, &p.wr);
    pollfd fd{p.rd, POLLIN, 0};
    EXPECT_RET(sys::poll(&fd, 1, 5000), 1);
    EXPECT_EQ(fd.revents, POLLIN);
    EXPECT_CHILD_OK(pid);
}

struct OverLimit {
    const char* label;
    long above;  // nfds = RLIMIT_NOFILE soft limit + above; 0: nfds = UINT_MAX
};
constexpr OverLimit kOverLimit[] = {
    {"nfds=RLIMIT_NOFILE+1", 1}, {"nfds=RLIMIT_NOFILE+4096", 4096}, {"nfds=UINT_MAX", 0}};
// The last pollfd of a page whose next page is inaccessible: an
// implementation that reads the nfds entries before checking nfds against
// RLIMIT_NOFILE faults on the second one (EFAULT), whatever the limit is and
// whatever memory happens to follow, so the outcome does not depend on the
// environment. The cleanup list unmaps both pages when the test ends.
static pollfd* pollfd_before_guard_page() {
    constexpr usize kPage = 4096;
    long m =
        sys::mmap(nullptr, 2 * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    kc::defer([](long addr, long) { sys::munmap(reinterpret_cast<void*>(addr), 2 * kPage); }, m);
    char* base = reinterpret_cast<char*>(m);
    ASSERT_OK(sys::mprotect(base + kPage, kPage, PROT_NONE));
    pollfd* fd = reinterpret_cast<pollfd*>(base + kPage) - 1;
    *fd = {-1, 0, 0};
    return fd;
}

// poll(2): EINVAL "The nfds value exceeds the RLIMIT_NOFILE value".
TEST_P(poll, nfds_over_rlimit_einval, NEGATIVE, PSE51, kOverLimit) {
    REQUIRE_NR(poll);
    long lim = nofile_limit();
    ASSERT_GT(lim, 0);
    pollfd* fd = pollfd_before_guard_page();
    unsigned long n = row.above ? (unsigned long)(lim + row.above) : 0xffffffffUL;
    EXPECT_ERR(sys::poll(fd, n, 0), EINVAL);
}

namespace {
// In a child: with the soft limit lowered to 32, nfds == 32 is accepted and
// nfds == 33 is not.
void poll_at_limit(void*) {
    rlimit64 rl{};
    ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &rl));
    rl.rlim_cur = 32;
    ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, &rl, nullptr));
    pollfd fds[33];
    for (pollfd& f : fds) f = {-1, POLLIN, 0};
    EXPECT_RET(sys::poll(fds, 32, 0), 0);
    EXPECT_ERR(sys::poll(fds, 33, 0), EINVAL);
}
}  // namespace

// poll(2): nfds equal to RLIMIT_NOFILE is allowed; one more is EINVAL (the
// limit is lowered in a child process, so the run's own limit is untouched).
TEST(poll, nfds_at_rlimit_allowed, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(poll);
    EXPECT_CHILD_OK(kc::spawn(poll_at_limit, nullptr));
}

struct BadPtr {
    const char* label;
    int kind;  // 0 NULL, 1 unmapped page, 2 read-only page, 3 straddles into unmapped
};
constexpr BadPtr kBadPtrs[] = {
    {"fds=NULL", 0}, {"fds=unmapped", 1}, {"fds=read_only", 2}, {"fds=straddles_end", 3}};

namespace {
// Runs `call` with an fds array placed as the row describes; the array holds
// a ready pipe read end (so a kernel that computes revents tries to store it).
template <class F>
void with_bad_fds(const BadPtr& row, F call) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    common::AnonMap m(2 * 4096);
    ASSERT_TRUE(m.p != nullptr);
    pollfd* fds = nullptr;
    unsigned long n = 1;
    if (row.kind == 1) fds = static_cast<pollfd*>(unmapped_page());
    if (row.kind == 2) {
        fds = reinterpret_cast<pollfd*>(m.p);
        *fds = {p.rd, POLLIN, 0};
        ASSERT_OK(mprotect(m.p, 4096, PROT_READ));
    }
    if (row.kind == 3) {
        ASSERT_OK(sys::munmap(m.p + 4096, 4096));
        fds = reinterpret_cast<pollfd*>(m.p + 4096) - 1;
        *fds = {p.rd, POLLIN, 0};
        n = 2;
    }
    EXPECT_ERR(call(fds, n), EFAULT);
}
}  // namespace

// poll(2): EFAULT "fds points outside the process's accessible address space"
// (also when revents cannot be stored, or the array runs into a hole).
// Linux: POSIX lists no EFAULT.
TEST_P(poll, bad_fds_pointer_efault, NEGATIVE, LINUX, kBadPtrs) {
    REQUIRE_NR(poll);
    with_bad_fds(row, [](pollfd* f, unsigned long n) { return sys::poll(f, n, 0); });
}

// ppoll(2): the same pipe readiness table as poll.
TEST_P(ppoll, pipe_readiness, POSITIVE, LINUX, kPipeReady) {
    kc::Pipe p(O_NONBLOCK);
    int fd = pipe_in_state(row, p);
    ASSERT_GE(fd, 0);
    pollfd pf{fd, row.events, -1};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&pf, 1, &ts, nullptr), row.want ? 1 : 0);
    EXPECT_EQ(pf.revents, row.want);
}

// ppoll(2): a timeout of {0, 0} returns at once with nothing ready.
TEST(ppoll, zero_timeout_returns_at_once, BOUNDARY, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    i64 took = kc::quickest_ns(50000000, [&] {
        pollfd fd{p.rd, POLLIN, 0};
        timespec ts{0, 0};
        EXPECT_RET(sys::ppoll(&fd, 1, &ts, nullptr), 0);
    });
    EXPECT_LT(took, 50000000);
}

// ppoll(2): with nothing ready it returns 0 after the timeout, and (Linux)
// writes the remaining time, {0, 0}, back into the timespec.
TEST_P(ppoll, timeout_elapses, POSITIVE, LINUX, kTimeouts, .flags = kc::SLOW) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{0, row.ms * 1000000L};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::ppoll(&fd, 1, &ts, nullptr), 0);
    EXPECT_GE(kc::now_ns() - t0, row.ms * 1000000L);
    EXPECT_EQ(ts.tv_sec, 0);
    EXPECT_EQ(ts.tv_nsec, 0);
}

// ppoll(2): when an fd is ready early, Linux stores the unslept time: less
// than the request and not negative (man ppoll: "modifies its tmo_p").
TEST(ppoll, remaining_time_written_back, POSITIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{5, 0};
    EXPECT_RET(sys::ppoll(&fd, 1, &ts, nullptr), 1);
    i64 left = ts.tv_sec * 1000000000 + ts.tv_nsec;
    EXPECT_LT(left, 5000000000L);
    EXPECT_GT(left, 0);
    EXPECT_LT(ts.tv_nsec, 1000000000L);
}

// ppoll(2): a NULL timeout waits forever; a ready fd returns at once.
TEST(ppoll, null_timeout_ready_returns, POSITIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    pollfd fd{p.rd, POLLIN, 0};
    EXPECT_RET(sys::ppoll(&fd, 1, nullptr, nullptr), 1);
    EXPECT_EQ(fd.revents, POLLIN);
}

struct BadTs {
    const char* label;
    i64 sec, nsec;
};
constexpr BadTs kBadTs[] = {{"nsec=-1", 0, -1},
                            {"nsec=1000000000", 0, 1000000000},
                            {"nsec=LONG_MAX", 0, LONG_MAX},
                            {"sec=-1", -1, 0},
                            {"sec=LONG_MIN", LONG_MIN, 0}};
// ppoll(2): EINVAL for a timespec with tv_nsec outside [0, 999999999] or a
// negative tv_sec (checked before anything is polled).
TEST_P(ppoll, invalid_timespec_einval, NEGATIVE, LINUX, kBadTs) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::ppoll(&fd, 1, &ts, nullptr), EINVAL);
}

struct SetSize {
    const char* label;
    usize size;
};
constexpr SetSize kBadSetSizes[] = {{"size=0", 0},
                                    {"size=4", 4},
                                    {"size=7", 7},
                                    {"size=9", 9},
                                    {"size=16", 16},
                                    {"size=128", 128},
                                    {"size=SIZE_MAX", ~usize(0)}};
// ppoll(2): EINVAL when sigsetsize is not the kernel's sigset size (8).
TEST_P(ppoll, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSetSizes) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{0, 0};
    u64 mask = 0;
    EXPECT_ERR(sys::ppoll(&fd, 1, &ts, &mask, row.size), EINVAL);
}

// ppoll(2): sigsetsize is only looked at when a mask is given (Linux).
TEST(ppoll, sigsetsize_ignored_without_mask, BOUNDARY, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&fd, 1, &ts, nullptr, 3), 0);
}

struct BadArg {
    const char* label;
    int which;  // 0 timeout pointer, 1 sigmask pointer
};
constexpr BadArg kBadArgs[] = {{"arg=timeout", 0}, {"arg=sigmask", 1}};
// ppoll(2): EFAULT for an unreadable timeout or sigmask.
TEST_P(ppoll, bad_pointer_efault, NEGATIVE, LINUX, kBadArgs) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{0, 0};
    auto* bad = unmapped_page();
    EXPECT_ERR(sys::ppoll(&fd, 1, row.which ? &ts : static_cast<timespec*>(bad),
                          row.which ? static_cast<u64*>(bad) : nullptr),
               EFAULT);
}

// ppoll(2): the mask is installed atomically for the call: a blocked pending
// signal that the mask unblocks is delivered inside ppoll, which fails with
// EINTR; the handler runs once and the old mask is back afterwards.
TEST(ppoll, mask_unblocks_pending_signal_eintr, POSITIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(pend_blocked(kSigA));
    EXPECT_EQ(g_sig_hits, 0);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{5, 0};
    u64 open_mask = 0;
    EXPECT_ERR(sys::ppoll(&fd, 1, &ts, &open_mask), EINTR);
    EXPECT_EQ(g_sig_hits, 1);
    EXPECT_TRUE(sigmask_now() & sigbit(kSigA));
    EXPECT_TRUE(!signal_pending(kSigA));
    discard_signal(kSigA);
}

// ppoll(2): a mask that keeps the signal blocked leaves it pending: ppoll
// times out normally and no handler runs.
TEST(ppoll, mask_keeping_signal_blocked, POSITIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(pend_blocked(kSigA));
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{0, 1000000};
    u64 mask = sigbit(kSigA);
    EXPECT_RET(sys::ppoll(&fd, 1, &ts, &mask), 0);
    EXPECT_EQ(g_sig_hits, 0);
    EXPECT_TRUE(signal_pending(kSigA));
    discard_signal(kSigA);
}

// ppoll(2): a signal sent while ppoll sleeps (the mask opens the window)
// interrupts it with EINTR.
TEST(ppoll, signal_during_wait_eintr, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(catch_and_block(kSigA));
    long pid = kc::spawn(
        [](void*) {
            common::sleep_ms(10);
            EXPECT_OK(sys::kill(int(sys::getppid()), kSigA));
        },
        nullptr);
    pollfd fd{p.rd, POLLIN, 0};
    timespec ts{5, 0};
    u64 open_mask = 0;
    EXPECT_ERR(sys::ppoll(&fd, 1, &ts, &open_mask), EINTR);
    EXPECT_EQ(g_sig_hits, 1);
    EXPECT_CHILD_OK(pid);
    discard_signal(kSigA);
}

// ppoll(2): an fd that is not open is POLLNVAL, as in poll.
TEST_P(ppoll, fd_not_open_pollnval, NEGATIVE, LINUX, kNotOpen) {
    pollfd fd{not_open(row.fd), POLLOUT, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&fd, 1, &ts, nullptr), 1);
    EXPECT_EQ(fd.revents, POLLNVAL);
}

// ppoll(2): the same RLIMIT_NOFILE bound on nfds.
TEST_P(ppoll, nfds_over_rlimit_einval, NEGATIVE, LINUX, kOverLimit) {
    long lim = nofile_limit();
    ASSERT_GT(lim, 0);
    pollfd* fd = pollfd_before_guard_page();
    timespec ts{0, 0};
    unsigned long n = row.above ? (unsigned long)(lim + row.above) : 0xffffffffUL;
    EXPECT_ERR(sys::ppoll(fd, n, &ts, nullptr), EINVAL);
}

// ppoll(2): the same EFAULT cases.
TEST_P(ppoll, bad_fds_pointer_efault, NEGATIVE, LINUX, kBadPtrs) {
    with_bad_fds(row, [](pollfd* f, unsigned long n) {
        timespec ts{0, 0};
        return sys::ppoll(f, n, &ts, nullptr);
    });
}
