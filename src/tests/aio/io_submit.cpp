// SPDX-License-Identifier: MIT
// Linux native AIO requests (io_submit(2)): PREAD/PWRITE/PREADV/PWRITEV round
// trips on scratch files with the completion record (res, obj, data) checked,
// FSYNC/FDSYNC, IOCB_FLAG_RESFD signalling an eventfd, IOCB_CMD_POLL on
// pipes, request validation (opcode, fd, reserved fields, flags), partial
// batches and a full context.
// Left out: O_DIRECT (truly asynchronous) I/O and its alignment rules,
// IOCB_FLAG_IOPRIO, io_uring, and the POSIX aio_* library calls (which
// glibc builds from threads, not from these system calls).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_poll.hpp"
#include "tests/aio/io_util.hpp"

using namespace aio;

namespace {

// Submits a 4-byte read of digits_file() that edit() spoiled: the
// submission fails with -err.
void submit_bad_read(void (*edit)(iocb&), int err) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, fd, buf, 4, 0);
    edit(cb);
    EXPECT_ERR(submit1(ctx, &cb), err);
}

}  // namespace

// ---- io_submit ----

// io_submit(2) IOCB_CMD_PWRITE then IOCB_CMD_PREAD: the data comes back
// intact; each io_event has res = bytes transferred, obj = the iocb pointer
// and data = aio_data (io_getevents(2), linux/aio_abi.h).
TEST(io_submit, pwrite_pread_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    Fd fd(scratch());
    ASSERT_OK(fd.get());
    static const char msg[] = "asynchronous!";
    iocb w = make(IOCB_CMD_PWRITE, fd, msg, 13, 3, 0xabcdef0123ull);
    run1(ctx, &w, 13);
    char back[16] = {};
    iocb r = make(IOCB_CMD_PREAD, fd, back, 16, 3, 0x5555);
    run1(ctx, &r, 13);
    EXPECT_MEM_EQ(back, msg, 13);
    // AIO uses the explicit offset: the file position stays at 0.
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
    char head[3] = {1, 1, 1};
    EXPECT_RET(sys::pread64(fd, head, 3, 0), 3);
    EXPECT_MEM_EQ(head, "\0\0\0", 3);
}

// io_submit(2) IOCB_CMD_PWRITEV/PREADV: aio_buf points to an iovec array
// and aio_nbytes is its count; segments are filled in order.
TEST(io_submit, pwritev_preadv_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    Fd fd(scratch());
    ASSERT_OK(fd.get());
    char a[] = "abc", b[] = "defgh", c[] = "ij";
    iovec wv[] = {{a, 3}, {b, 5}, {c, 2}};
    iocb w = make(IOCB_CMD_PWRITEV, fd, wv, 3, 0);
    run1(ctx, &w, 10);
    char x[4] = {}, y[6] = {};
    iovec rv[] = {{x, 4}, {y, 6}};
    iocb r = make(IOCB_CMD_PREADV, fd, rv, 2, 0);
    run1(ctx, &r, 10);
    EXPECT_MEM_EQ(x, "abcd", 4);
    EXPECT_MEM_EQ(y, "efghij", 6);
}

struct ReadRow {
    const char* label;
    i64 off;
    u64 len;
    long want;
};
constexpr ReadRow kReads[] = {
    {"at_eof", 10, 4, 0}, {"past_eof", 4096, 4, 0}, {"short_at_end", 7, 8, 3}, {"len=0", 2, 0, 0}};
// io_submit(2) IOCB_CMD_PREAD follows pread(2): a read reaching the end of
// the file is short, one starting at or past it returns 0.
TEST_P(io_submit, pread_at_end_of_file, BOUNDARY, LINUX, kReads,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    char buf[8] = {};
    iocb r = make(IOCB_CMD_PREAD, fd, buf, row.len, row.off);
    run1(ctx, &r, row.want);
    if (row.want == 3) EXPECT_MEM_EQ(buf, "789", 3);
}

struct SyncRow {
    const char* label;
    u16 op;
};
constexpr SyncRow kSyncs[] = {{"fsync", IOCB_CMD_FSYNC}, {"fdsync", IOCB_CMD_FDSYNC}};
// io_submit(2): IOCB_CMD_FSYNC/FDSYNC (Linux 4.18) complete with res 0 on a
// regular file, after which the written data reads back.
TEST_P(io_submit, fsync_completes_zero, POSITIVE, LINUX, kSyncs,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    iocb s = make(row.op, fd, nullptr, 0, 0);
    run1(ctx, &s, 0);
    char buf[10];
    EXPECT_RET(sys::pread64(fd, buf, 10, 0), 10);
    EXPECT_MEM_EQ(buf, "0123456789", 10);
}

// io_submit(2): a sync request carries no buffer, offset or length; Linux
// rejects any of them with EINVAL (fs/aio.c aio_fsync).
TEST_P(io_submit, fsync_with_buffer_einval, NEGATIVE, LINUX, kSyncs,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb s = make(row.op, fd, buf, 4, 0);
    EXPECT_ERR(submit1(ctx, &s), EINVAL);
    s = make(row.op, fd, nullptr, 0, 8);
    EXPECT_ERR(submit1(ctx, &s), EINVAL);
}

// io_submit(2): "EINVAL The file specified in the iocb does not support the
// given I/O command": a pipe has no fsync.
TEST_P(io_submit, fsync_on_pipe_einval, NEGATIVE, LINUX, kSyncs, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    iocb s = make(row.op, p.wr, nullptr, 0, 0);
    EXPECT_ERR(submit1(ctx, &s), EINVAL);
}

// io_submit(2): with IOCB_FLAG_RESFD each completion adds 1 to the eventfd
// named by aio_resfd.
TEST(io_submit, resfd_signals_eventfd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    Fd efd(sys::eventfd2(0, O_NONBLOCK));
    ASSERT_OK(efd.get());
    char buf[2][4];
    iocb cb[2];
    iocb* v[2] = {&cb[0], &cb[1]};
    for (int i = 0; i < 2; ++i) {
        cb[i] = make(IOCB_CMD_PREAD, fd, buf[i], 4, 4 * i);
        cb[i].aio_flags = IOCB_FLAG_RESFD;
        cb[i].aio_resfd = u32(efd.get());
    }
    ASSERT_RET(sys::io_submit(ctx, 2, v), 2);
    io_event ev[2];
    timespec ts{1, 0};
    EXPECT_RET(sys::io_getevents(ctx, 2, 2, ev, &ts), 2);
    u64 count = 0;
    EXPECT_RET(sys::read(efd, &count, 8), 8);
    EXPECT_EQ(long(count), 2);
}

struct ResfdRow {
    const char* label;
    int which;  // 0: a pipe, 1: fd -1, 2: closed fd
    int err;
};
constexpr ResfdRow kBadResfd[] = {
    {"pipe", 0, EINVAL}, {"fd=-1", 1, EBADF}, {"closed_fd", 2, EBADF}};
// io_submit(2): IOCB_FLAG_RESFD with aio_resfd that is not an open eventfd
// fails the submission: EBADF for no file, EINVAL for another kind of file
// (eventfd_ctx_fdget).
TEST_P(io_submit, resfd_not_eventfd, NEGATIVE, LINUX, kBadResfd,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    kc::Pipe p(O_NONBLOCK);
    int closed = p.wr;
    if (row.which == 2) {
        p.wr.reset();
    }
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, fd, buf, 4, 0);
    cb.aio_flags = IOCB_FLAG_RESFD;
    cb.aio_resfd = u32(row.which == 0 ? p.rd : row.which == 1 ? -1 : closed);
    EXPECT_ERR(submit1(ctx, &cb), row.err);
}

// io_submit(2) "queues nr I/O request blocks": nr 0 queues nothing and
// returns 0.
TEST(io_submit, nr_zero_returns_zero, BOUNDARY, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    EXPECT_RET(sys::io_submit(ctx, 0, nullptr), 0);
}

// io_submit(2): "EINVAL ... nr is less than 0".
TEST(io_submit, nr_negative_einval, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    iocb cb{};
    iocb* v = &cb;
    EXPECT_ERR(sys::io_submit(ctx, -1, &v), EINVAL);
}

struct OpRow {
    const char* label;
    u16 op;
};
constexpr OpRow kBadOps[] = {
    {"op=4", 4}, {"op=NOOP", IOCB_CMD_NOOP}, {"op=9", 9}, {"op=0xffff", 0xffff}};
// io_submit(2): "EINVAL ... the operation specified is invalid for the file
// descriptor in the iocb". IOCB_CMD_NOOP is defined in the header but not
// implemented.
TEST_P(io_submit, bad_opcode_einval, NEGATIVE, LINUX, kBadOps, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    char buf[4];
    iocb cb = make(row.op, p.rd, buf, 4, 0);
    EXPECT_ERR(submit1(ctx, &cb), EINVAL);
}

struct FdRow {
    const char* label;
    u32 fd;
};
constexpr FdRow kBadFds[] = {
    {"fd=-1", 0xffffffffu}, {"fd=INT_MAX", 0x7fffffffu}, {"fd=4095", 4095}};
// io_submit(2): "EBADF The file descriptor specified in the first iocb is
// invalid".
TEST_P(io_submit, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, 0, buf, 4, 0);
    cb.aio_fildes = row.fd;
    EXPECT_ERR(submit1(ctx, &cb), EBADF);
}

// io_submit(2): reading needs an fd open for reading, writing one open for
// writing: EBADF otherwise (fs/aio.c aio_read/aio_write).
TEST(io_submit, wrong_access_mode_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd rd(scratch(O_RDONLY));
    Fd wr(sys::openat(kc::scratch_fd(), "f", O_WRONLY));
    ASSERT_OK(wr.get());
    char buf[4] = "abc";
    iocb w = make(IOCB_CMD_PWRITE, rd, buf, 3, 0);
    EXPECT_ERR(submit1(ctx, &w), EBADF);
    iocb r = make(IOCB_CMD_PREAD, wr, buf, 3, 0);
    EXPECT_ERR(submit1(ctx, &r), EBADF);
}

// io_submit(2): "EINVAL ... The iocb at *iocbpp[0] is not properly
// initialized": aio_reserved2 must be 0.
TEST(io_submit, reserved_field_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    submit_bad_read([](iocb& cb) { cb.aio_reserved2 = 1; }, EINVAL);
}

// io_submit(2): aio_rw_flags takes the RWF_* flags of pwritev2(2); unknown
// bits are "EOPNOTSUPP" as for preadv2 (fs/aio.c aio_prep_rw).
TEST(io_submit, unknown_rw_flags_eopnotsupp, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    submit_bad_read([](iocb& cb) { cb.aio_rw_flags = int(0x80000000u); }, EOPNOTSUPP);
}

struct PrioRow {
    const char* label;
    int prio;  // ioprio value for aio_reqprio
    int err;   // expected submission error, 0: accepted
    bool rt;   // IOPRIO_CLASS_RT: EPERM without CAP_SYS_ADMIN/CAP_SYS_NICE (capable())
};
constexpr PrioRow kReqPrios[] = {{"BE/4", 0x4004, 0, false},
                                 {"IDLE", 0x6000, 0, false},
                                 {"class=5", 0xa000, EINVAL, false},
                                 {"RT/0", 0x2000, 0, true}};
// io_submit(2): "IOCB_FLAG_IOPRIO ... aio_reqprio is interpreted as an I/O
// scheduling class and priority" (Linux 4.18), validated like ioprio_set(2):
// an invalid class is EINVAL, IOPRIO_CLASS_RT needs privilege (EPERM).
TEST_P(io_submit, ioprio_flag, BOUNDARY, LINUX, kReqPrios, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, fd, buf, 4, 0);
    cb.aio_flags = IOCB_FLAG_IOPRIO;
    cb.aio_reqprio = i16(row.prio);
    bool rt_allowed = kc::cap_usable(CAP_SYS_ADMIN) || kc::cap_usable(CAP_SYS_NICE);
    int err = row.rt && !rt_allowed ? EPERM : row.err;
    if (err) {
        EXPECT_ERR(submit1(ctx, &cb), err);
        return;
    }
    run1(ctx, &cb, 4);
    EXPECT_MEM_EQ(buf, "0123", 4);
}

// io_submit(2): aio_nbytes is a size_t that must fit ssize_t: a negative
// length is EINVAL.
TEST(io_submit, negative_length_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, fd, buf, ~0ull, 0);
    EXPECT_ERR(submit1(ctx, &cb), EINVAL);
}

// io_submit(2): "returns the number of iocbs submitted (which may be less
// than nr ...)": a batch of a good request then a bad opcode returns 1 (the
// error of a later iocb is not reported), and one completion arrives.
TEST(io_submit, partial_batch_returns_count, BOUNDARY, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    Fd fd(digits_file());
    char buf[4];
    iocb good = make(IOCB_CMD_PREAD, fd, buf, 4, 0);
    iocb bad = make(IOCB_CMD_NOOP, fd, buf, 4, 0);
    iocb* v[2] = {&good, &bad};
    EXPECT_RET(sys::io_submit(ctx, 2, v), 1);
    io_event ev[2];
    timespec ts{0, 50000000};
    EXPECT_RET(sys::io_getevents(ctx, 1, 2, ev, &ts), 1);
    EXPECT_EQ(long(ev[0].obj), sys::L(&good));
}

// io_submit(2): "EFAULT One of the data structures points to invalid data":
// the iocb pointer array, or an entry of it.
TEST(io_submit, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    EXPECT_ERR(sys::io_submit(ctx, 1, reinterpret_cast<iocb**>(8)), EFAULT);
    iocb* v = reinterpret_cast<iocb*>(8);
    EXPECT_ERR(sys::io_submit(ctx, 1, &v), EFAULT);
}

// io_submit(2): "EINVAL The AIO context specified by ctx_id is invalid".
TEST_P(io_submit, bad_ctx_einval, NEGATIVE, LINUX, kBadCtxRows) {
    kc::Pipe p(O_NONBLOCK);
    char buf[4];
    iocb cb = make(IOCB_CMD_PREAD, p.rd, buf, 4, 0);
    EXPECT_ERR(submit1(row.ctx, &cb), EINVAL);
}

// io_submit(2) on a pipe: PWRITE puts the bytes into the pipe (the offset is
// meaningless there), PREAD takes them out.
TEST(io_submit, pipe_write_read, POSITIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(2);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    ASSERT_OK(p.r);
    iocb w = make(IOCB_CMD_PWRITE, p.wr, "pipe!", 5, 0);
    run1(ctx, &w, 5);
    char buf[8] = {};
    iocb r = make(IOCB_CMD_PREAD, p.rd, buf, 8, 0);
    run1(ctx, &r, 5);
    EXPECT_MEM_EQ(buf, "pipe!", 5);
}

// io_submit(2) with aio_rw_flags RWF_NOWAIT on an empty pipe: accepted, and
// the request completes with res -EAGAIN instead of blocking (the flag's
// meaning is preadv2(2)'s; pipes support it since Linux 6.4). Linux 6.1
// refused the flag on a pipe at submission (EOPNOTSUPP), as a kernel older
// than 6.5 may.
TEST(io_submit, nowait_read_empty_pipe_eagain, BOUNDARY, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(0);
    char buf[4];
    iocb r = make(IOCB_CMD_PREAD, p.rd, buf, 4, 0);
    r.aio_rw_flags = RWF_NOWAIT;
    if (kc::linux_before(6, 5)) {
        long s = submit1(ctx, &r);
        EXPECT_TRUE(s == 1 || s == -EOPNOTSUPP);
        io_event ev{};
        if (s == 1 && EXPECT_RET(wait1(ctx, &ev), 1)) EXPECT_EQ(long(ev.res), -EAGAIN);
        return;
    }
    run1(ctx, &r, -EAGAIN);
}

// io_submit(2) IOCB_CMD_POLL (Linux 4.18): aio_buf holds the poll events;
// the request stays pending on an empty pipe and completes once data
// arrives. Linux reports the events of the wake-up unmasked (POLLIN |
// POLLRDNORM from the pipe), not only the requested POLLIN.
TEST(io_submit, poll_completes_when_data_arrives, POSITIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0, 77);
    cb.aio_buf = u64(POLLIN);
    ASSERT_RET(submit1(ctx, &cb), 1);
    io_event ev{};
    timespec zero{0, 0};
    EXPECT_RET(sys::io_getevents(ctx, 1, 1, &ev, &zero), 0);
    EXPECT_RET(sys::write(p.wr, "x", 1), 1);
    ASSERT_RET(wait1(ctx, &ev), 1);
    EXPECT_EQ(long(ev.obj), sys::L(&cb));
    EXPECT_EQ(long(ev.data), 77);
    EXPECT_EQ(long(ev.res) & ~long(POLLRDNORM), long(POLLIN));
}

// io_submit(2) IOCB_CMD_POLL on a pipe that already holds data completes at
// once with POLLIN.
TEST(io_submit, poll_ready_completes_at_once, POSITIVE, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    EXPECT_RET(sys::write(p.wr, "x", 1), 1);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0);
    cb.aio_buf = u64(POLLIN);
    run1(ctx, &cb, POLLIN);
}

struct PollBad {
    const char* label;
    u64 buf, nbytes;
    i64 off;
};
constexpr PollBad kPollBad[] = {
    {"events>16bit", 0x10001, 0, 0}, {"nbytes=1", 1, 1, 0}, {"offset=1", 1, 0, 1}};
// io_submit(2) IOCB_CMD_POLL: the events must fit 16 bits and aio_nbytes and
// aio_offset must be 0; Linux says EINVAL (fs/aio.c aio_poll).
TEST_P(io_submit, poll_bad_fields_einval, NEGATIVE, LINUX, kPollBad, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, row.nbytes, row.off);
    cb.aio_buf = row.buf;
    EXPECT_ERR(submit1(ctx, &cb), EINVAL);
}

// io_submit(2): "EAGAIN Insufficient resources are available to queue any
// iocbs": a context fills up with pending requests.
TEST(io_submit, context_full_eagain, BOUNDARY, LINUX, .flags = kc::SLOW) {
    Ctx ctx(1);
    ASSERT_RET(ctx.r, 0);
    kc::Pipe p(O_NONBLOCK);
    iocb cb = make(IOCB_CMD_POLL, p.rd, nullptr, 0, 0);
    cb.aio_buf = u64(POLLIN);
    long n = 0, r = 0;
    while (n < 100000 && (r = submit1(ctx, &cb)) == 1) ++n;
    EXPECT_ERR(r, EAGAIN);
    EXPECT_GE(n, 1);
}
