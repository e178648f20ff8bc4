// SPDX-License-Identifier: MIT
// Linux native AIO cancellation (io_cancel(2)): completed, never submitted and
// pending POLL requests, a bad iocb pointer and bad contexts.
// Left out: cancelling read/write requests, which Linux does not support for
// buffered I/O.
#include "harness/test.hpp"
#include "rt/sys_poll.hpp"
#include "tests/aio/io_util.hpp"

using namespace aio;

// ---- io_cancel ----

// io_cancel(2): "EINVAL The AIO context specified by ctx_id is invalid" — and
// Linux also says EINVAL for a request that is not in flight: one that has
// already completed (the man page's EAGAIN "not canceled" is not what Linux
// returns).
TEST(io_cancel, completed_request_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, fd, buf, 4, 0);
    run1(ctx, &cb, 4);
    io_event ev{};
    EXPECT_ERR(sys::io_cancel(ctx, &cb, &ev), EINVAL);
}

// io_cancel(2): an iocb that was never submitted is EINVAL.
TEST(io_cancel, never_submitted_einval, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    iocb cb{};
    io_event ev{};
    EXPECT_ERR(sys::io_cancel(ctx, &cb, &ev), EINVAL);
    cb.aio_key = 1;
    EXPECT_ERR(sys::io_cancel(ctx, &cb, &ev), EINVAL);
}

// io_cancel(2): a pending POLL request can be cancelled. Linux returns
// EINPROGRESS (the cancellation is queued; "the result argument is no longer
// used") and the request then completes through io_getevents.
TEST(io_cancel, pending_poll_cancelled, POSITIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0, 9);
    cb.aio_buf = u64(POLLIN);
    ASSERT_RET(submit1(ctx, &cb), 1);
    io_event ev{};
    EXPECT_ERR(sys::io_cancel(ctx, &cb, &ev), EINPROGRESS);
    ASSERT_RET(wait1(ctx, &ev), 1);
    EXPECT_EQ(long(ev.obj), sys::L(&cb));
    EXPECT_EQ(long(ev.data), 9);
    EXPECT_EQ(long(ev.res), 0);
    EXPECT_ERR(sys::io_cancel(ctx, &cb, &ev), EINVAL);
}

// io_cancel(2): "EFAULT One of the data structures points to invalid data".
TEST(io_cancel, bad_iocb_efault, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    io_event ev{};
    EXPECT_ERR(sys::io_cancel(ctx, reinterpret_cast<iocb*>(8), &ev), EFAULT);
}

// io_cancel(2): "EINVAL The AIO context specified by ctx_id is invalid".
TEST_P(io_cancel, bad_ctx_einval, NEGATIVE, LINUX, kBadCtxRows) {
    iocb cb{};
    io_event ev{};
    EXPECT_ERR(sys::io_cancel(row.ctx, &cb, &ev), EINVAL);
}
