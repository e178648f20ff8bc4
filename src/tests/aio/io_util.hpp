// SPDX-License-Identifier: MIT
// Helpers shared by the kernel AIO tests in src/tests/aio (io_setup.cpp,
// io_submit.cpp, io_getevents.cpp, io_cancel.cpp): iocb construction,
// one-request submit/wait/check, scratch files, a pipe pair, and the table
// of invalid context handles. Kept apart from aio_util.hpp, which
// src/tests/fd and src/tests/pipe also include and whose users define
// their own Pipe, scratch and digits_file.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_aio.hpp"
#include "tests/aio/aio_util.hpp"

namespace aio {

inline constexpr u64 kBadCtx[] = {0, 1, 0xdead0000, 0xffff800000000000ull};

inline iocb make(u16 op, int fd, const void* buf, u64 n, i64 off, u64 data = 0x1234) {
    iocb cb{};
    cb.aio_data = data;
    cb.aio_lio_opcode = op;
    cb.aio_fildes = u32(fd);
    cb.aio_buf = u64(sys::L(buf));
    cb.aio_nbytes = n;
    cb.aio_offset = off;
    return cb;
}

inline long submit1(u64 ctx, iocb* cb) { return sys::io_submit(ctx, 1, &cb); }

inline bool is_sync(u16 op) { return op == IOCB_CMD_FSYNC || op == IOCB_CMD_FDSYNC; }

// Waits for one completion of a request of type `op`: up to 1 s, or 5 s for
// a sync request, which waits for the disk (a loaded CI machine took over
// 1 s for an fdatasync of ten bytes).
inline long wait1(u64 ctx, io_event* ev, u16 op = IOCB_CMD_PREAD) {
    timespec ts{is_sync(op) ? 5 : 1, 0};
    return sys::io_getevents(ctx, 1, 1, ev, &ts);
}

// Submits cb and checks its completion: obj names cb, data is carried, res is want.
// Non-fatal checks only, so that callers' guards still close their fds.
inline void run1(u64 ctx, iocb* cb, long want) {
    if (!EXPECT_RET(submit1(ctx, cb), 1)) return;
    io_event ev{};
    if (!EXPECT_RET(wait1(ctx, &ev, cb->aio_lio_opcode), 1)) return;
    EXPECT_EQ(long(ev.obj), sys::L(cb));
    EXPECT_EQ(long(ev.data), long(cb->aio_data));
    EXPECT_EQ(long(ev.res), want);
}

inline int scratch(int flags = O_RDWR) {
    return int(sys::openat(kc::scratch_fd(), "f", flags | O_CREAT, 0600));
}

// A file holding "0123456789".
inline int digits_file() {
    int fd = scratch();
    if (fd >= 0) sys::write(fd, "0123456789", 10);
    return fd;
}

struct CtxRow {
    const char* label;
    u64 ctx;
};
inline constexpr CtxRow kBadCtxRows[] = {{"ctx=0", kBadCtx[0]},
                                         {"ctx=1", kBadCtx[1]},
                                         {"ctx=unmapped", kBadCtx[2]},
                                         {"ctx=kernel", kBadCtx[3]}};

}  // namespace aio
