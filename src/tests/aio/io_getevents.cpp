// SPDX-License-Identifier: MIT
// Linux native AIO completions (io_getevents(2), io_pgetevents(2)): min_nr/nr
// limits, timeouts, bad pointers and contexts, and io_pgetevents' temporary
// signal mask.
// Left out: reaping completions from the user-space ring without a system
// call (libaio's fast path).
#include "harness/test.hpp"
#include "rt/sys_poll.hpp"
#include "tests/aio/io_util.hpp"
#include "tests/signal/signal_util.hpp"

using namespace aio;

// ---- io_getevents ----

// io_getevents(2): "EINVAL ... min_nr is out of range or nr is out of
// range": min_nr > nr, or either negative.
struct MinNr {
    const char* label;
    long min, nr;
};
constexpr MinNr kBadMinNr[] = {{"min>nr", 2, 1}, {"min=-1", -1, 1}, {"nr=-1", 0, -1}};
TEST_P(io_getevents, min_nr_out_of_range_einval, NEGATIVE, LINUX, kBadMinNr, .flags = kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    io_event ev[2];
    timespec zero{0, 0};
    EXPECT_ERR(sys::io_getevents(ctx, row.min, row.nr, ev, &zero), EINVAL);
}

// io_getevents(2): a zero timeout polls: 0 events at once when none is done.
TEST(io_getevents, zero_timeout_returns_zero, BOUNDARY, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    i64 took = kc::quickest_ns(500000000, [&] {
        io_event ev{};
        timespec zero{0, 0};
        EXPECT_RET(sys::io_getevents(ctx, 1, 1, &ev, &zero), 0);
    });
    EXPECT_LT(took, 500000000);
}

// io_getevents(2): "timeout specifies the amount of time to wait for
// events": with min_nr unmet it returns 0 after about that long.
TEST(io_getevents, timeout_honoured, POSITIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    io_event ev{};
    timespec ts{0, 20000000};
    i64 t0 = kc::now_ns();
    EXPECT_RET(sys::io_getevents(ctx, 1, 1, &ev, &ts), 0);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, 20000000);
    EXPECT_LT(dt, 2000000000);
}

// io_getevents(2): "attempts to read at least min_nr events and up to nr
// events": of three completions, nr=2 takes two and the next call the last.
TEST(io_getevents, nr_limits_events_returned, BOUNDARY, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(4);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[3][2];
    iocb cb[3];
    iocb* v[3];
    for (int i = 0; i < 3; ++i) {
        cb[i] = make(IOCB_CMD_PREAD, fd, buf[i], 2, 2 * i, u64(i));
        v[i] = &cb[i];
    }
    ASSERT_RET(sys::io_submit(ctx, 3, v), 3);
    io_event ev[3];
    timespec ts{1, 0};
    EXPECT_RET(sys::io_getevents(ctx, 2, 2, ev, &ts), 2);
    EXPECT_RET(sys::io_getevents(ctx, 1, 3, ev, &ts), 1);
    timespec zero{0, 0};
    EXPECT_RET(sys::io_getevents(ctx, 0, 3, ev, &zero), 0);
    EXPECT_MEM_EQ(buf, "012345", 6);
}

// io_getevents(2): "EFAULT Either events or timeout is an invalid pointer".
TEST(io_getevents, bad_timeout_efault, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    io_event ev{};
    EXPECT_ERR(sys::io_getevents(ctx, 1, 1, &ev, reinterpret_cast<timespec*>(8)), EFAULT);
}

// io_getevents(2): "EINVAL ctx_id is invalid".
TEST_P(io_getevents, bad_ctx_einval, NEGATIVE, LINUX, kBadCtxRows) {
    io_event ev{};
    timespec zero{0, 0};
    EXPECT_ERR(sys::io_getevents(row.ctx, 0, 1, &ev, &zero), EINVAL);
}

// ---- io_pgetevents ----

// io_pgetevents(2) (Linux 4.18): like io_getevents, with sigmask applied
// while waiting (as pselect does): a blocked pending SIGUSR1 that the mask
// unblocks is handled and the call fails with EINTR; the old mask is back.
TEST(io_pgetevents, sigmask_unblocks_signal_eintr, POSITIVE, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(io_pgetevents);
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    ASSERT_OK(signal::block(sigbit(SIGUSR1)));
    ASSERT_OK(signal::raise(SIGUSR1));
    EXPECT_EQ(signal::g_log.count[SIGUSR1], 0);
    u64 mask = 0;
    aio_sigset ss{&mask, 8};
    io_event ev{};
    timespec ts{1, 0};
    EXPECT_ERR(sys::io_pgetevents(ctx, 1, 1, &ev, &ts, &ss), EINTR);
    EXPECT_EQ(signal::g_log.count[SIGUSR1], 1);
    EXPECT_EQ(long(signal::blocked() & sigbit(SIGUSR1)), long(sigbit(SIGUSR1)));
}

// io_pgetevents(2): a mask that keeps the pending signal blocked lets the
// call time out normally (0 events) and the signal stays pending.
TEST(io_pgetevents, blocked_signal_stays_pending, POSITIVE, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(io_pgetevents);
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    signal::log_reset();
    ASSERT_OK(signal::catch_sig(SIGUSR1));
    ASSERT_OK(signal::block(sigbit(SIGUSR1)));
    ASSERT_OK(signal::raise(SIGUSR1));
    u64 mask = sigbit(SIGUSR1);
    aio_sigset ss{&mask, 8};
    io_event ev{};
    timespec ts{0, 1000000};
    EXPECT_RET(sys::io_pgetevents(ctx, 1, 1, &ev, &ts, &ss), 0);
    EXPECT_EQ(signal::g_log.count[SIGUSR1], 0);
    EXPECT_EQ(long(signal::pending() & sigbit(SIGUSR1)), long(sigbit(SIGUSR1)));
    siginfo si{};
    timespec zero{0, 0};
    EXPECT_RET(sys::rt_sigtimedwait(&mask, &si, &zero), SIGUSR1);
}

// io_pgetevents(2): with a null usig (or a null mask in it) it behaves as
// io_getevents: a completed read is returned.
TEST(io_pgetevents, null_sigmask_returns_events, POSITIVE, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(io_pgetevents);
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    EXPECT_RET(sys::write(p.wr, "ab", 2), 2);
    char buf[2][1];
    iocb cb[2] = {make(IOCB_CMD_PREAD, p.rd, buf[0], 1, 0),
                  make(IOCB_CMD_PREAD, p.rd, buf[1], 1, 0)};
    iocb* v[2] = {&cb[0], &cb[1]};
    ASSERT_RET(sys::io_submit(ctx, 2, v), 2);
    io_event ev{};
    timespec ts{1, 0};
    EXPECT_RET(sys::io_pgetevents(ctx, 1, 1, &ev, &ts, nullptr), 1);
    EXPECT_EQ(long(ev.res), 1);
    aio_sigset ss{nullptr, 8};
    EXPECT_RET(sys::io_pgetevents(ctx, 1, 1, &ev, &ts, &ss), 1);
    EXPECT_EQ(long(ev.res), 1);
}

// io_pgetevents(2): a sigsetsize other than the kernel's sigset_t size (8)
// is EINVAL (as for pselect6).
TEST(io_pgetevents, bad_sigsetsize_einval, NEGATIVE, LINUX, .flags = kc::SLOW) {
    REQUIRE_NR(io_pgetevents);
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    u64 mask = 0;
    aio_sigset ss{&mask, 4};
    io_event ev{};
    timespec zero{0, 0};
    EXPECT_ERR(sys::io_pgetevents(ctx, 1, 1, &ev, &zero, &ss), EINVAL);
    EXPECT_ERR(sys::io_pgetevents(ctx, 1, 1, &ev, &zero, reinterpret_cast<aio_sigset*>(8)), EFAULT);
}

// io_pgetevents(2): an invalid context is EINVAL, as for io_getevents.
TEST_P(io_pgetevents, bad_ctx_einval, NEGATIVE, LINUX, kBadCtxRows) {
    REQUIRE_NR(io_pgetevents);
    io_event ev{};
    timespec zero{0, 0};
    EXPECT_ERR(sys::io_pgetevents(row.ctx, 0, 1, &ev, &zero, nullptr), EINVAL);
}
