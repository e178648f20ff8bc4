// SPDX-License-Identifier: MIT
// select(2) and pselect6(2) on pipes and UNIX socketpairs: fd sets in and out
// (ready bits kept, others cleared, the count over all sets), EOF and broken
// pipes as ready, nfds bounds (negative, above FD_SETSIZE), bad fds inside and
// outside nfds, timeouts (elapsed, written back), timeval/timespec checks,
// pselect's atomic signal mask and its sigset argument.
// Left out: exceptfds conditions (TCP out-of-band data belongs to sockets),
// the STICKY_TIMEOUTS personality.
#include "harness/test.hpp"
#include "rt/sys_net.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

struct Sets {
    fd_set r{}, w{}, e{};
};

// select(2) with a zero timeout.
long select0(int n, void* r, void* w, void* e) {
    timeval tv{0, 0};
    return sys::select(n, r, w, e, &tv);
}

int maxfd(int a, int b) { return a > b ? a : b; }

// select's view of a kPipeReady row: the fd goes into readfds when the row
// asks for input, writefds for output, exceptfds for POLLPRI; it stays in a
// set when the pipe is ready for that, where end-of-file and a broken pipe
// count as ready (the call would not block). `call(nfds, sets)` selects.
void check_pipe_row(const PipeReady& row, long (*call)(int, Sets&)) {
    kc::Pipe p(O_NONBLOCK);
    int fd = pipe_in_state(row, p);
    ASSERT_GE(fd, 0);
    bool in_r = row.events & (POLLIN | POLLRDNORM), in_w = row.events & (POLLOUT | POLLWRNORM);
    bool in_e = row.events & POLLPRI;
    bool want_r = in_r && (row.want & (POLLIN | POLLRDNORM | POLLHUP | POLLERR));
    bool want_w = in_w && (row.want & (POLLOUT | POLLWRNORM | POLLERR));
    Sets s;
    if (in_r) fdset_add(s.r.fds_bits, fd);
    if (in_w) fdset_add(s.w.fds_bits, fd);
    if (in_e) fdset_add(s.e.fds_bits, fd);
    EXPECT_RET(call(fd + 1, s), want_r + want_w);
    EXPECT_EQ(fdset_has(s.r.fds_bits, fd), want_r);
    EXPECT_EQ(fdset_has(s.w.fds_bits, fd), want_w);
    EXPECT_EQ(fdset_has(s.e.fds_bits, fd), false);
}

}  // namespace

// select(2): a pipe end in each state of the shared readiness table: data
// is readable, room is writable (not when full), end-of-file is readable and
// a pipe without readers writable; bits of unready fds are cleared.
TEST_P(select, pipe_readiness, POSITIVE, PSE53, kPipeReady) {
    REQUIRE_NR(select);
    check_pipe_row(row, [](int n, Sets& s) { return select0(n, &s.r, &s.w, &s.e); });
}

// select(2): "the total number of bits set in the bit masks": an fd ready for
// reading and writing counts twice; bits of unready fds and the (empty)
// exceptfds are cleared.
TEST(select, counts_bits_over_all_sets, POSITIVE, PSE53) {
    REQUIRE_NR(select);
    int sv[2];
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    kc::Fd a(sv[0]), b(sv[1]);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(b, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, a);
    fdset_add(s.w.fds_bits, a);
    fdset_add(s.r.fds_bits, p.rd);
    fdset_add(s.e.fds_bits, a);
    int n = maxfd(a, p.rd) + 1;
    EXPECT_RET(select0(n, &s.r, &s.w, &s.e), 2);
    EXPECT_TRUE(fdset_has(s.r.fds_bits, a));
    EXPECT_TRUE(fdset_has(s.w.fds_bits, a));
    EXPECT_TRUE(!fdset_has(s.r.fds_bits, p.rd));
    EXPECT_TRUE(!fdset_has(s.e.fds_bits, a));
}

struct Nfds {
    const char* label;
    int nfds;
};
constexpr Nfds kNegNfds[] = {{"nfds=-1", -1}, {"nfds=INT_MIN", INT_MIN}};
// select(2): EINVAL "nfds is negative".
TEST_P(select, negative_nfds_einval, NEGATIVE, PSE51, kNegNfds) {
    REQUIRE_NR(select);
    Sets s;
    EXPECT_ERR(select0(row.nfds, &s.r, nullptr, nullptr), EINVAL);
}

constexpr Nfds kBigNfds[] = {
    {"nfds=FD_SETSIZE+1", FD_SETSIZE + 1}, {"nfds=65536", 65536}, {"nfds=INT_MAX", INT_MAX}};
// select(2): POSIX allows EINVAL for nfds > FD_SETSIZE, but Linux accepts any
// nfds and clamps it to the size of the fd table, reading only that many
// bits (the sets here are large enough for any table).
TEST_P(select, nfds_above_fd_setsize_clamped, BOUNDARY, LINUX, kBigNfds) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    constexpr usize kSetBytes = (1 << 20) / 8;  // fs.nr_open's default maximum
    common::AnonMap m(2 * kSetBytes);
    ASSERT_TRUE(m.p != nullptr);
    u64* r = reinterpret_cast<u64*>(m.p);
    u64* w = reinterpret_cast<u64*>(m.p + kSetBytes);
    fdset_add(r, p.rd);
    fdset_add(w, p.rd);  // the read end is never writable
    EXPECT_RET(select0(row.nfds, r, w, nullptr), 1);
    EXPECT_TRUE(fdset_has(r, p.rd));
    EXPECT_TRUE(!fdset_has(w, p.rd));
}

struct WhichSet {
    const char* label;
    int which;  // 0 readfds, 1 writefds, 2 exceptfds
};
constexpr WhichSet kWhichSets[] = {{"set=read", 0}, {"set=write", 1}, {"set=except", 2}};
// select(2): EBADF "An invalid file descriptor was given in one of the sets".
TEST_P(select, closed_fd_in_set_ebadf, NEGATIVE, PSE53, kWhichSets) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fd = p.rd;
    p.rd.reset();
    Sets s;
    fd_set* set = row.which == 0 ? &s.r : row.which == 1 ? &s.w : &s.e;
    fdset_add(set->fds_bits, fd);
    fdset_add(s.w.fds_bits, p.wr);  // a valid, ready fd does not hide the bad one
    EXPECT_ERR(select0(maxfd(fd, p.wr) + 1, &s.r, &s.w, &s.e), EBADF);
}

// select(2): only the first nfds bits are examined: a closed fd at or above
// nfds is not an error, and its bit is left alone.
TEST(select, closed_fd_beyond_nfds_ignored, BOUNDARY, PSE53) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    fdset_add(s.r.fds_bits, 1000);  // above nfds; certainly not open in this test
    EXPECT_RET(select0(p.rd + 1, &s.r, nullptr, nullptr), 1);
    EXPECT_TRUE(fdset_has(s.r.fds_bits, p.rd));
}

// select(2): nfds 0 with no sets is a sleep of the timeout.
TEST(select, nfds_zero_sleeps, BOUNDARY, PSE51, .flags = kc::SLOW) {
    REQUIRE_NR(select);
    timeval tv{0, 10000};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::select(0, nullptr, nullptr, nullptr, &tv), 0);
    EXPECT_GE(kc::now_ns() - t0, 10000000);
}

struct Ms {
    const char* label;
    int ms;
};
constexpr Ms kTimeouts[] = {{"ms=10", 10}, {"ms=20", 20}};
// select(2): with nothing ready it returns 0 after at least the timeout.
TEST_P(select, timeout_elapses, POSITIVE, PSE53, kTimeouts, .flags = kc::SLOW) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timeval tv{0, row.ms * 1000L};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::select(p.rd + 1, &s.r, nullptr, nullptr, &tv), 0);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, row.ms * 1000000L);
    EXPECT_LT(dt, row.ms * 1000000L + 2000000000L);
}

// select(2): a zero timeval returns at once.
TEST(select, timeout_zero_returns_at_once, BOUNDARY, PSE53) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    i64 took = kc::quickest_ns(50000000, [&] {
        Sets s;
        fdset_add(s.r.fds_bits, p.rd);
        EXPECT_RET(select0(p.rd + 1, &s.r, nullptr, nullptr), 0);
    });
    EXPECT_LT(took, 50000000);
}

// select(2): Linux writes the time not slept back into the timeval ("On
// Linux, select() modifies timeout"): {0, 0} after an expiry.
TEST(select, expired_timeout_written_back_zero, POSITIVE, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(select);
    timeval tv{0, 10000};
    EXPECT_RET(sys::select(0, nullptr, nullptr, nullptr, &tv), 0);
    EXPECT_EQ(tv.tv_sec, 0);
    EXPECT_EQ(tv.tv_usec, 0);
}

// select(2): on an early return Linux stores the remaining time: less than
// the request, not negative, tv_usec normalized.
TEST(select, remaining_time_written_back, POSITIVE, LINUX) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timeval tv{5, 0};
    EXPECT_RET(sys::select(p.rd + 1, &s.r, nullptr, nullptr, &tv), 1);
    i64 left = tv.tv_sec * 1000000 + tv.tv_usec;
    EXPECT_LT(left, 5000000);
    EXPECT_GT(left, 0);
    EXPECT_LT(tv.tv_usec, 1000000);
}

struct BadTv {
    const char* label;
    i64 sec, frac;
};
constexpr BadTv kBadTv[] = {{"usec=-1", 0, -1},
                            {"sec=-1", -1, 0},
                            {"sec=-1,usec=999999", -1, 999999},
                            {"sec=LONG_MIN", LONG_MIN, 0}};
// select(2): EINVAL "timeout is invalid": a negative second or microsecond
// count.
TEST_P(select, invalid_timeval_einval, NEGATIVE, PSE53, kBadTv) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timeval tv{row.sec, row.frac};
    EXPECT_ERR(sys::select(p.rd + 1, &s.r, nullptr, nullptr, &tv), EINVAL);
}

constexpr BadTv kBigUsec[] = {{"usec=1000000", 0, 1000000}, {"sec=-1,usec=2000000", -1, 2000000}};
// select(2): Linux does not reject tv_usec >= 1000000 (POSIX: EINVAL); it
// carries whole seconds into tv_sec before validating, so even
// {-1, 2000000} is a valid one-second timeout. A ready fd returns at once.
TEST_P(select, usec_over_million_normalized, BOUNDARY, LINUX, kBigUsec) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timeval tv{row.sec, row.frac};
    EXPECT_RET(sys::select(p.rd + 1, &s.r, nullptr, nullptr, &tv), 1);
}

constexpr WhichSet kBadPtrArgs[] = {
    {"arg=readfds", 0}, {"arg=writefds", 1}, {"arg=exceptfds", 2}, {"arg=timeout", 3}};
// select(2): EFAULT for a set or timeout outside the address space (Linux;
// POSIX lists no EFAULT).
TEST_P(select, bad_pointer_efault, NEGATIVE, LINUX, kBadPtrArgs) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    timeval tv{0, 0};
    void* bad = unmapped_page();
    void* sets[3] = {&s.r, &s.w, &s.e};
    if (row.which < 3) sets[row.which] = bad;
    EXPECT_ERR(sys::select(p.wr + 1, sets[0], sets[1], sets[2],
                           row.which == 3 ? static_cast<timeval*>(bad) : &tv),
               EFAULT);
}

namespace {}  // namespace

// select(2): a blocked select wakes when another process writes the pipe.
TEST(select, wakes_on_write_from_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK | kc::SLOW) {
    REQUIRE_NR(select);
    kc::Pipe p;
    ASSERT_OK(p.r);
    long pid = kc::spawn(write_later, &p.wr);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timeval tv{5, 0};
    EXPECT_RET(sys::select(p.rd + 1, &s.r, nullptr, nullptr, &tv), 1);
    EXPECT_TRUE(fdset_has(s.r.fds_bits, p.rd));
    EXPECT_CHILD_OK(pid);
}

// pselect6(2): the same readiness table as select.
TEST_P(pselect6, pipe_readiness, POSITIVE, PSE53, kPipeReady) {
    check_pipe_row(row, [](int n, Sets& s) {
        timespec ts{0, 0};
        return sys::pselect6(n, &s.r, &s.w, &s.e, &ts, nullptr);
    });
}

// pselect6(2): EINVAL for a negative nfds.
TEST_P(pselect6, negative_nfds_einval, NEGATIVE, PSE51, kNegNfds) {
    Sets s;
    timespec ts{0, 0};
    EXPECT_ERR(sys::pselect6(row.nfds, &s.r, nullptr, nullptr, &ts, nullptr), EINVAL);
}

// pselect6(2): EBADF for a closed fd in a set.
TEST(pselect6, closed_fd_in_set_ebadf, NEGATIVE, PSE53) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fd = p.rd;
    p.rd.reset();
    Sets s;
    fdset_add(s.r.fds_bits, fd);
    timespec ts{0, 0};
    EXPECT_ERR(sys::pselect6(fd + 1, &s.r, nullptr, nullptr, &ts, nullptr), EBADF);
}

constexpr BadTv kBadTs[] = {{"nsec=-1", 0, -1},
                            {"nsec=1000000000", 0, 1000000000},
                            {"sec=-1", -1, 0},
                            {"sec=LONG_MIN", LONG_MIN, 0}};
// pselect6(2): EINVAL for a timespec with tv_nsec outside [0, 999999999] or
// a negative tv_sec (unlike select's timeval, nothing is carried).
TEST_P(pselect6, invalid_timespec_einval, NEGATIVE, PSE53, kBadTs) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_RET(sys::write(p.wr, "x", 1), 1);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{row.sec, row.frac};
    EXPECT_ERR(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, nullptr), EINVAL);
}

// pselect6(2): with nothing ready it returns 0 after at least the timeout.
TEST_P(pselect6, timeout_elapses, POSITIVE, PSE53, kTimeouts, .flags = kc::SLOW) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{0, row.ms * 1000000L};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, nullptr), 0);
    EXPECT_GE(kc::now_ns() - t0, row.ms * 1000000L);
    EXPECT_TRUE(!fdset_has(s.r.fds_bits, p.rd));
}

// pselect6(2): unlike the POSIX pselect() (whose timeout is const), the
// Linux system call writes the remaining time back: {0, 0} after expiry,
// less than asked after an early return (glibc hides this).
TEST(pselect6, remaining_time_written_back, POSITIVE, LINUX) {
    timespec ts{0, 1000000};
    EXPECT_RET(sys::pselect6(0, nullptr, nullptr, nullptr, &ts, nullptr), 0);
    EXPECT_EQ(ts.tv_sec, 0);
    EXPECT_EQ(ts.tv_nsec, 0);
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.w.fds_bits, p.wr);
    ts = {5, 0};
    EXPECT_RET(sys::pselect6(p.wr + 1, nullptr, &s.w, nullptr, &ts, nullptr), 1);
    i64 left = ts.tv_sec * 1000000000 + ts.tv_nsec;
    EXPECT_LT(left, 5000000000L);
    EXPECT_GT(left, 0);
}

struct SetSize {
    const char* label;
    usize size;
};
constexpr SetSize kBadSetSizes[] = {
    {"size=0", 0}, {"size=4", 4}, {"size=16", 16}, {"size=SIZE_MAX", ~usize(0)}};
// pselect6(2): EINVAL when the sigset size in the sixth argument is not 8.
TEST_P(pselect6, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSetSizes) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{0, 0};
    u64 mask = 0;
    sigset_argpack m{&mask, row.size};
    EXPECT_ERR(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, &m), EINVAL);
}

// pselect6(2): a NULL sigset inside the sixth argument means "no mask
// change"; its size is then not checked (Linux).
TEST(pselect6, null_sigset_size_ignored, BOUNDARY, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{0, 0};
    sigset_argpack m{nullptr, 3};
    EXPECT_RET(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, &m), 0);
}

constexpr WhichSet kBadSigArgs[] = {{"arg=sixth", 0}, {"arg=sigset", 1}};
// pselect6(2): EFAULT for an unreadable sixth argument or sigset.
TEST_P(pselect6, bad_sigmask_pointer_efault, NEGATIVE, LINUX, kBadSigArgs) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{0, 0};
    auto* bad = unmapped_page();
    sigset_argpack m{static_cast<u64*>(bad), kSigsetSize};
    const sigset_argpack* arg = row.which == 0 ? static_cast<sigset_argpack*>(bad) : &m;
    EXPECT_ERR(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, arg), EFAULT);
}

// pselect6(2): the mask is swapped in atomically: a blocked pending signal
// the mask unblocks interrupts the call with EINTR, the handler runs once and
// the old mask is back on return (POSIX pselect()).
TEST(pselect6, mask_unblocks_pending_signal_eintr, POSITIVE, PSE53) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(pend_blocked(kSigA));
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{5, 0};
    u64 open_mask = 0;
    sigset_argpack m{&open_mask, kSigsetSize};
    EXPECT_ERR(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, &m), EINTR);
    EXPECT_EQ(g_sig_hits, 1);
    EXPECT_TRUE(sigmask_now() & sigbit(kSigA));
    discard_signal(kSigA);
}

// pselect6(2): a mask that keeps the signal blocked lets the call time out
// with the signal still pending.
TEST(pselect6, mask_keeping_signal_blocked, POSITIVE, PSE53) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    ASSERT_OK(pend_blocked(kSigA));
    Sets s;
    fdset_add(s.r.fds_bits, p.rd);
    timespec ts{0, 1000000};
    u64 mask = sigbit(kSigA);
    sigset_argpack m{&mask, kSigsetSize};
    EXPECT_RET(sys::pselect6(p.rd + 1, &s.r, nullptr, nullptr, &ts, &m), 0);
    EXPECT_EQ(g_sig_hits, 0);
    EXPECT_TRUE(signal_pending(kSigA));
    discard_signal(kSigA);
}
