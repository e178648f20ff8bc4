// SPDX-License-Identifier: MIT
// Linux native AIO contexts (io_setup(2), io_destroy(2)): creation and its
// limits (nr_events bounds, /proc/sys/fs/aio-max-nr, requests in flight),
// destroying (twice, bad handles, pending requests cancelled), and a
// create/destroy leak check.
// Left out: the user-space ring layout at the context address (libaio's
// fast path); requests (io_submit.cpp), completions (io_getevents.cpp) and
// cancellation (io_cancel.cpp).
#include "harness/test.hpp"
#include "rt/sys_poll.hpp"
#include "tests/aio/io_util.hpp"
#include "tests/common/common_util.hpp"

using namespace aio;

// ---- io_setup ----

// io_setup(2): creates a context and stores its nonzero handle in *ctx_idp.
TEST(io_setup, creates_context, POSITIVE, LINUX, .flags = kc::SLOW) {
    u64 ctx = 0;
    ASSERT_RET(sys::io_setup(1, &ctx), 0);
    EXPECT_NE(long(ctx), 0);
    EXPECT_RET(sys::io_destroy(ctx), 0);
}

// io_setup(2): "EINVAL ctx_idp is not initialized" — *ctx_idp must be 0,
// and it is left unchanged.
TEST(io_setup, ctx_not_zero_einval, NEGATIVE, LINUX) {
    u64 ctx = 1;
    EXPECT_ERR(sys::io_setup(1, &ctx), EINVAL);
    EXPECT_EQ(long(ctx), 1);
}

// io_setup(2): EINVAL: "nr_events should be greater than 0".
TEST(io_setup, nr_zero_einval, NEGATIVE, LINUX) {
    u64 ctx = 0;
    EXPECT_ERR(sys::io_setup(0, &ctx), EINVAL);
    EXPECT_EQ(long(ctx), 0);
}

// io_setup(2): "EFAULT An invalid pointer is passed for ctx_idp".
TEST(io_setup, bad_ctx_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::io_setup(1, reinterpret_cast<u64*>(8)), EFAULT);
}

struct NrRow {
    const char* label;
    unsigned nr;
};
constexpr NrRow kHugeNr[] = {
    {"nr=UINT_MAX", 0xffffffffu}, {"nr=INT_MAX", 0x7fffffffu}, {"nr=2^22+1", 4194305u}};
// io_setup(2): "EINVAL ... the specified nr_events exceeds internal limits".
// Linux doubles nr and rejects more than 2^28 bytes of io_event ring
// (nr > 2^22) with EINVAL, before looking at /proc/sys/fs/aio-max-nr.
TEST_P(io_setup, nr_too_large_einval, BOUNDARY, LINUX, kHugeNr) {
    u64 ctx = 0;
    EXPECT_ERR(sys::io_setup(row.nr, &ctx), EINVAL);
    EXPECT_EQ(long(ctx), 0);
}

// io_setup(2): "EAGAIN The specified nr_events exceeds the limit of available
// events, as defined in /proc/sys/fs/aio-max-nr".
TEST(io_setup, nr_over_aio_max_nr_eagain, BOUNDARY, LINUX) {
    long max = common::proc_number("/proc/sys/fs/aio-max-nr");
    if (max < 0) kc::skip("/proc/sys/fs/aio-max-nr is not readable");
    if (max >= 4194304) kc::skip("aio-max-nr is above the EINVAL size limit");
    u64 ctx = 0;
    EXPECT_ERR(sys::io_setup(unsigned(max + 1), &ctx), EAGAIN);
    EXPECT_EQ(long(ctx), 0);
}

constexpr NrRow kSmallNr[] = {{"nr=1", 1}, {"nr=2", 2}, {"nr=4", 4}, {"nr=16", 16}};
// io_setup(2): "create an asynchronous I/O context suitable for concurrently
// processing nr_events operations": nr requests that stay in flight (POLL
// on an empty pipe) are all accepted.
TEST_P(io_setup, holds_nr_requests_in_flight, POSITIVE, LINUX, kSmallNr, .flags = kc::SLOW) {
    Ctx ctx(row.nr);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    ASSERT_OK(p.r);
    iocb cbs[16];
    for (unsigned i = 0; i < row.nr; ++i) {
        cbs[i] = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0, i);
        cbs[i].aio_buf = u64(POLLIN);
        EXPECT_RET(submit1(ctx, &cbs[i]), 1);
    }
    io_event ev[16];
    timespec zero{0, 0};
    EXPECT_RET(sys::io_getevents(ctx, 0, 16, ev, &zero), 0);
}

// io_setup(2)/io_destroy(2): a destroyed context gives its nr_events back to
// the system-wide /proc/sys/fs/aio-max-nr budget. Each context takes just
// over 1/3 of that budget, so the third io_setup crosses it (EAGAIN) if
// either destroy leaked its share; a suite instance running at the same time
// may hold up to another third. io_destroy waits for RCU grace periods
// (~35 ms here), and so does process exit for a context left behind
// (exit_aio), so the test makes no more rounds than crossing needs: two
// (more where a context is capped at 65,536 events, for memory: up to 64;
// 10 when the budget cannot be read).
TEST(io_setup, create_destroy_no_leak, BOUNDARY, LINUX, .flags = kc::SLOW, .timeout_ms = 30000) {
    long max = common::proc_number("/proc/sys/fs/aio-max-nr");
    unsigned nr = max > 3 ? unsigned(max / 3 + 1) : 1024;
    if (nr > 65536) nr = 65536;
    long rounds = max > 3 ? max / long(nr) : 10;  // then rounds + 1 contexts exceed max
    if (rounds > 64) rounds = 64;
    for (long i = 0; i < rounds; ++i) {
        u64 ctx = 0;
        long r = sys::io_setup(nr, &ctx);
        if (r != 0) {
            ASSERT_RET(r, 0);
        }
        r = sys::io_destroy(ctx);
        if (r != 0) {
            ASSERT_RET(r, 0);
        }
    }
    Ctx last(nr);
    EXPECT_RET(last.r, 0);
}

// ---- io_destroy ----

// io_destroy(2): "EINVAL The AIO context specified by ctx_id is invalid":
// a second destroy of the same context fails.
TEST(io_destroy, twice_einval, NEGATIVE, LINUX, .flags = kc::SLOW) {
    u64 ctx = 0;
    ASSERT_RET(sys::io_setup(1, &ctx), 0);
    EXPECT_RET(sys::io_destroy(ctx), 0);
    EXPECT_ERR(sys::io_destroy(ctx), EINVAL);
}

// io_destroy(2): "EINVAL The AIO context specified by ctx_id is invalid".
TEST_P(io_destroy, bad_ctx_einval, NEGATIVE, LINUX, kBadCtxRows) {
    EXPECT_ERR(sys::io_destroy(row.ctx), EINVAL);
}

// io_destroy(2): "will attempt to cancel all outstanding asynchronous I/O
// operations against ctx_id, will block on the completion of all
// operations": a pending POLL does not hold it up, and the context is gone.
TEST(io_destroy, cancels_pending_requests, POSITIVE, LINUX, .flags = kc::SLOW) {
    u64 ctx = 0;
    ASSERT_RET(sys::io_setup(1, &ctx), 0);
    kc::Pipe p(O_NONBLOCK);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0);
    cb.aio_buf = u64(POLLIN);
    EXPECT_RET(submit1(ctx, &cb), 1);
    EXPECT_RET(sys::io_destroy(ctx), 0);
    io_event ev{};
    timespec zero{0, 0};
    EXPECT_ERR(sys::io_getevents(ctx, 0, 1, &ev, &zero), EINVAL);
    EXPECT_ERR(submit1(ctx, &cb), EINVAL);
}
