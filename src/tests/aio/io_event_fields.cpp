// SPDX-License-Identifier: MIT
// io_getevents(2): every field of struct io_event for each kind of
// completed request, where io_submit.cpp checks data, obj and res but never
// res2: a read, a write and an fsync of a scratch file each complete with
// data = the iocb's aio_data, obj = the iocb's address, res = the bytes
// transferred (0 for fsync) and res2 = 0.
// Left out: requests that fail at completion (a regular file gives none
// that fail only then: bad requests fail io_submit itself), IOCB_CMD_POLL
// (io_submit.cpp checks its res, the poll events).
#include "harness/test.hpp"
#include "tests/aio/io_util.hpp"
#include "tests/common/common_util.hpp"

using namespace aio;

namespace {

struct OpRow {
    const char* label;
    u16 op;
    long res;  // the bytes transferred
};
constexpr OpRow kOps[] = {
    {"pread", IOCB_CMD_PREAD, 4},
    {"pwrite", IOCB_CMD_PWRITE, 4},
    {"fsync", IOCB_CMD_FSYNC, 0},
};

}  // namespace

// io_getevents(2), linux/aio_abi.h: "res: result code for this event, res2:
// secondary result": Linux's read, write and fsync completions set res2 to
// 0 (fs/aio.c, aio_complete_rw and aio_fsync_work), on an event buffer
// pre-filled with other bytes.
TEST_P(io_getevents, event_fields_per_request, POSITIVE, LINUX, kOps, .flags = kc::NEEDS_SCRATCH) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    char buf[4] = {'w', 'x', 'y', 'z'};
    bool sync = is_sync(row.op);  // no buffer, count or offset (else EINVAL)
    iocb cb = make(row.op, fd, sync ? nullptr : buf, sync ? 0 : 4, sync ? 0 : 2, 0x5eed0000beefull);
    ASSERT_RET(submit1(ctx, &cb), 1);
    io_event ev;
    common::fill_bytes(&ev, 0xa5, sizeof ev);
    ASSERT_RET(wait1(ctx, &ev, row.op), 1);
    EXPECT_TRUE(ev.data == 0x5eed0000beefull);
    EXPECT_EQ(long(ev.obj), sys::L(&cb));
    EXPECT_EQ(ev.res, row.res);
    EXPECT_EQ(ev.res2, 0);
    if (row.op == IOCB_CMD_PREAD) EXPECT_MEM_EQ(buf, "2345", 4);
}
