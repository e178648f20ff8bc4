// SPDX-License-Identifier: MIT
// io_uring_enter(2) (Linux 5.1) and the shared rings: the SQ and CQ
// head/tail protocol (the application advances the SQ tail and the CQ head,
// the kernel the SQ head and the CQ tail; wrap-around; the SQ array's
// indirection and an out-of-range index counted as dropped), to_submit and
// min_complete, bad fds and flags; and the common opcodes: NOP, READ, WRITE,
// READV, WRITEV (pipes and a scratch file, data intact), POLL_ADD (completes
// when data arrives), TIMEOUT (-ETIME, and its completion count), CLOSE,
// OPENAT; per-SQE errors in cqe.res (bad fd, unknown opcode or SQE flag),
// and submission stopping at an SQE that fails to start.
// Left out: SQPOLL and IOPOLL rings (SQ_WAKEUP, SQ_WAIT), EXT_ARG and the
// signal mask, registered ring fds, CQ overflow (its handling changed
// across versions), links, drain and the opcodes beyond those above.
#include "rt/sys_poll.hpp"
#include "rt/sys_time.hpp"
#include "tests/common/common_util.hpp"
#include "tests/io_uring/io_uring_util.hpp"

using io_uring_test::Ring;

namespace {

constexpr u32 kWait = IORING_ENTER_GETEVENTS;

// A scratch file holding "0123456789", open read-write.
int digits_file() {
    long fd = sys::openat(kc::scratch_fd(), "f", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    ASSERT_RET(sys::write(int(fd), "0123456789", 10), 10);
    return int(fd);
}

}  // namespace

// io_uring_enter(2): the application fills SQEs and advances the SQ tail;
// the kernel consumes them (advancing the SQ head to the tail), posts one
// CQE each at the CQ tail with the SQE's user_data, and the application
// consumes CQEs by advancing the CQ head. Both rings wrap around: a ring of
// 4 SQEs and 8 CQEs carries 12 requests in three rounds. (NOP: res 0.)
TEST(io_uring_enter, nop_rings_head_tail_protocol, POSITIVE, LINUX) {
    Ring r(4);
    u32* sq_head = r.sq_field(r.p.sq_off.head);
    u32* cq_head = r.cq_field(r.p.cq_off.head);
    for (u64 round = 0; round < 3; ++round) {
        for (u64 i = 0; i < 4; ++i) r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, round * 4 + i + 1);
        EXPECT_EQ(*sq_head, round * 4);
        ASSERT_TRUE(r.submit_and_wait(4));
        EXPECT_EQ(*sq_head, round * 4 + 4);
        EXPECT_EQ(r.ready(), 4u);
        for (u64 i = 0; i < 4; ++i) r.expect_cqe(round * 4 + i + 1, 0);
        EXPECT_EQ(*cq_head, round * 4 + 4);
        EXPECT_EQ(*r.cq_field(r.p.cq_off.tail), round * 4 + 4);
    }
}

// io_uring_enter(2): the kernel reads only SQEs up to the SQ tail in the
// shared ring: an SQE filled but not published is not submitted.
TEST(io_uring_enter, unpublished_sqe_not_submitted, BOUNDARY, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    EXPECT_RET(sys::io_uring_enter(r.fd, 1, 0, 0), 0);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 0u);
    EXPECT_EQ(r.ready(), 0u);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 0);
}

// io_uring_enter(2): to_submit 0 submits nothing, even with SQEs published.
TEST(io_uring_enter, zero_to_submit_submits_nothing, BOUNDARY, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    EXPECT_RET(r.enter(0), 0);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 0u);
    EXPECT_EQ(r.ready(), 0u);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 0);
}

// io_uring_enter(2): "to_submit specifies the number of I/Os to submit
// from the submission queue": a larger count than the queue holds (or the
// ring) submits what is queued and returns that number.
TEST(io_uring_enter, to_submit_beyond_queue, BOUNDARY, LINUX) {
    Ring r(4);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 2);
    EXPECT_RET(r.enter(100, 2, kWait), 2);
    r.expect_cqe(1, 0);
    r.expect_cqe(2, 0);
    EXPECT_RET(r.enter(0xffffffffu), 0);
}

// io_uring(7): the SQ ring's array holds indexes into the SQE array, in
// submission order: the kernel takes the SQE that the array names, not the
// one at the same position.
TEST(io_uring_enter, sq_array_selects_sqe, POSITIVE, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 10);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 11);
    u32* array = r.sq_field(r.p.sq_off.array);
    array[0] = 1;
    array[1] = 0;
    ASSERT_TRUE(r.submit_and_wait(2));
    r.expect_cqe(11, 0);
    r.expect_cqe(10, 0);
}

// io_uring(7) and io_uring/io_uring.c: an SQ array entry that is not a
// valid SQE index is skipped and counted in the SQ ring's dropped field;
// the SQ head moves past it and nothing completes.
TEST(io_uring_enter, sq_array_bad_index_dropped, BOUNDARY, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    r.sq_field(r.p.sq_off.array)[0] = 2;
    EXPECT_RET(r.enter(1), 0);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.dropped), 1u);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 1u);
    EXPECT_EQ(r.ready(), 0u);
}

// io_uring_enter(2): IORING_OP_WRITE and IORING_OP_READ on a pipe: res is
// the byte count, and the bytes written come out of the other end.
TEST(io_uring_enter, write_read_pipe, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    r.prep(IORING_OP_WRITE, p.wr, "hello", 5, 0, 1);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 5);
    char buf[8] = {};
    r.prep(IORING_OP_READ, p.rd, buf, sizeof buf, 0, 2);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(2, 5);
    EXPECT_MEM_EQ(buf, "hello", 5);
}

// io_uring_enter(2): a READ from an empty pipe does not complete until
// data arrives (the kernel waits for it), then completes with that data.
TEST(io_uring_enter, read_waits_for_data, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    char buf[4] = {};
    r.prep(IORING_OP_READ, p.rd, buf, sizeof buf, 0, 3);
    EXPECT_RET(r.enter(1), 1);
    EXPECT_EQ(r.ready(), 0u);
    EXPECT_RET(sys::write(p.wr, "xy", 2), 2);
    EXPECT_RET(r.enter(0, 1, kWait), 0);
    r.expect_cqe(3, 2);
    EXPECT_MEM_EQ(buf, "xy", 2);
}

// io_uring_enter(2): IORING_OP_WRITEV and IORING_OP_READV at an offset of
// a scratch file gather and scatter across the iovecs; the file holds the
// data (pread64), and READV returns it into differently split buffers.
TEST(io_uring_enter, readv_writev_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Ring r(2);
    kc::Fd f(digits_file());
    char a[] = "abc", b[] = "defg";
    iovec out[2] = {{a, 3}, {b, 4}};
    r.prep(IORING_OP_WRITEV, f, out, 2, 2, 1);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 7);
    char file[12] = {};
    EXPECT_RET(sys::pread64(f, file, sizeof file, 0), 10);
    EXPECT_MEM_EQ(file, "01abcdefg9", 10);
    char x[5] = {}, y[6] = {};
    iovec in[2] = {{x, 5}, {y, 6}};
    r.prep(IORING_OP_READV, f, in, 2, 1, 2);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(2, 9);
    EXPECT_MEM_EQ(x, "1abcd", 5);
    EXPECT_MEM_EQ(y, "efg9", 4);
}

struct ReadAt {
    const char* label;
    u64 off;
    long want;
};
constexpr ReadAt kReads[] = {
    {"off=0", 0, 4}, {"off=8", 8, 2}, {"off=10(EOF)", 10, 0}, {"off=4096", 4096, 0}};
// io_uring_enter(2): IORING_OP_READ of 4 bytes at sqe.off reads from that
// offset like pread(2): short at the end of the file, 0 at or past it.
TEST_P(io_uring_enter, read_at_offset, BOUNDARY, LINUX, kReads, .flags = kc::NEEDS_SCRATCH) {
    Ring r(2);
    kc::Fd f(digits_file());
    char buf[4] = {};
    r.prep(IORING_OP_READ, f, buf, 4, row.off, 9);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(9, row.want);
    if (row.want > 0) EXPECT_MEM_EQ(buf, "0123456789" + row.off, usize(row.want));
}

// io_uring_enter(2): IORING_OP_POLL_ADD completes when the file is ready,
// with res the ready events of those asked: POLLOUT on a pipe's write end
// at once, POLLIN on its empty read end only after data arrives.
TEST(io_uring_enter, poll_add_completes_when_ready, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    r.prep(IORING_OP_POLL_ADD, p.wr, nullptr, 0, 0, 1)->rw_flags = POLLOUT;
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, POLLOUT);
    r.prep(IORING_OP_POLL_ADD, p.rd, nullptr, 0, 0, 2)->rw_flags = POLLIN;
    EXPECT_RET(r.enter(1), 1);
    EXPECT_EQ(r.ready(), 0u);
    EXPECT_RET(sys::write(p.wr, "z", 1), 1);
    EXPECT_RET(r.enter(0, 1, kWait), 0);
    r.expect_cqe(2, POLLIN);
}

// io_uring_enter(2): IORING_OP_TIMEOUT with a completion count of 0
// completes with -ETIME once its time has passed; the wait for it lasts at
// least that long.
TEST(io_uring_enter, timeout_etime, POSITIVE, LINUX) {
    Ring r(2);
    timespec ts{0, 2000000};
    r.prep(IORING_OP_TIMEOUT, -1, &ts, 1, 0, 1);
    i64 t0 = kc::now_ns();
    ASSERT_TRUE(r.submit_and_wait(1));
    EXPECT_GE(kc::now_ns() - t0, 2000000);
    r.expect_cqe(1, -ETIME);
}

// io_uring_enter(2): IORING_ENTER_GETEVENTS "wait[s] for the specified
// number of events (min_complete) before returning": reads of two timerfds
// that expire 1 ms and 3 ms later both complete before the call returns,
// and in the order of expiry. (Not with IORING_OP_TIMEOUT: a timeout's
// completion ends the wait early by design.)
TEST(io_uring_enter, getevents_waits_for_min_complete, POSITIVE, LINUX) {
    Ring r(2);
    kc::Fd early(sys::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    kc::Fd late(sys::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    ASSERT_OK(early.get());
    ASSERT_OK(late.get());
    u64 n1 = 0, n2 = 0;
    r.prep(IORING_OP_READ, late, &n2, 8, 0, 2);
    r.prep(IORING_OP_READ, early, &n1, 8, 0, 1);
    itimerspec t1{{0, 0}, {0, 1000000}}, t2{{0, 0}, {0, 3000000}};
    i64 t0 = kc::now_ns();
    ASSERT_OK(sys::timerfd_settime(early, 0, &t1, nullptr));
    ASSERT_OK(sys::timerfd_settime(late, 0, &t2, nullptr));
    EXPECT_RET(r.enter(2, 2, kWait), 2);
    EXPECT_GE(kc::now_ns() - t0, 3000000);
    EXPECT_EQ(r.ready(), 2u);
    r.expect_cqes_any_order(1, 8, 2, 8);
    EXPECT_EQ(n1, 1u);
    EXPECT_EQ(n2, 1u);
}

// io_uring_enter(2): "If off is non-zero, the timeout request will
// complete when off completions have been posted", with res 0.
TEST(io_uring_enter, timeout_count_completes, POSITIVE, LINUX) {
    Ring r(2);
    timespec ts{10, 0};
    r.prep(IORING_OP_TIMEOUT, -1, &ts, 1, 1, 1);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 2);
    EXPECT_RET(r.enter(2, 2, kWait), 2);
    r.expect_cqe(2, 0);
    r.expect_cqe(1, 0);
}

// io_uring_enter(2): IORING_OP_CLOSE closes the descriptor like close(2):
// it is gone, and the pipe's read end sees end-of-file.
TEST(io_uring_enter, close_op_closes_fd, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int wr = p.wr.release();
    r.prep(IORING_OP_CLOSE, wr, nullptr, 0, 0, 4);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(4, 0);
    EXPECT_ERR(sys::fcntl(wr, F_GETFD), EBADF);
    char c;
    EXPECT_RET(sys::read(p.rd, &c, 1), 0);
}

// io_uring_enter(2): IORING_OP_OPENAT opens like openat(2) (fd the
// directory, addr the path, len the mode, open_flags the flags): res is a
// new descriptor with O_CLOEXEC as asked, and the file was created.
TEST(io_uring_enter, openat_op_creates_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Ring r(2);
    r.prep(IORING_OP_OPENAT, kc::scratch_fd(), "new", 0600, 0, 5)->rw_flags =
        O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC;
    ASSERT_TRUE(r.submit_and_wait(1));
    io_uring_cqe c{};
    ASSERT_TRUE(r.reap(&c));
    EXPECT_EQ(long(c.user_data), 5);
    ASSERT_OK(c.res);
    kc::Fd f(c.res);
    EXPECT_RET(sys::fcntl(f, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::write(f, "q", 1), 1);
    kc::Fd again(sys::openat(kc::scratch_fd(), "new", O_RDONLY | O_CLOEXEC));
    char q = 0;
    EXPECT_RET(sys::read(again, &q, 1), 1);
    EXPECT_EQ(q, 'q');
}

// io_uring_enter(2): IORING_OP_OPENAT's errors come back in res: a missing
// path without O_CREAT is -ENOENT.
TEST(io_uring_enter, openat_op_missing_enoent, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Ring r(2);
    r.prep(IORING_OP_OPENAT, kc::scratch_fd(), "missing", 0, 0, 6)->rw_flags = O_RDONLY;
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(6, -ENOENT);
}

struct SqeFd {
    const char* label;
    int fd;
};
constexpr SqeFd kBadSqeFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", 0x7fffffff}};
// io_uring_enter(2): an SQE's own errors are reported in its CQE, not by
// io_uring_enter: a READ of a descriptor that is not open completes with
// res -EBADF, and the SQE counts as submitted.
TEST_P(io_uring_enter, bad_sqe_fd_cqe_ebadf, NEGATIVE, LINUX, kBadSqeFds) {
    Ring r(2);
    char buf[4];
    r.prep(IORING_OP_READ, row.fd, buf, sizeof buf, 0, 7);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(7, -EBADF);
}

struct BadSqe {
    const char* label;
    u8 opcode, flags;
};
constexpr BadSqe kBadSqes[] = {
    {"opcode=255", 255, 0}, {"opcode=200", 200, 0}, {"flags=0x80", 0, 0x80}};
// io_uring_enter(2): an SQE with an opcode the kernel does not know, or an
// SQE flag it does not know, completes with res -EINVAL (the man page's
// "EINVAL: ... invalid opcode" for the SQE, reported in the CQE).
TEST_P(io_uring_enter, bad_sqe_cqe_einval, NEGATIVE, LINUX, kBadSqes) {
    Ring r(2);
    io_uring_sqe* e = r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 8);
    e->opcode = row.opcode;
    e->flags = row.flags;
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(8, -EINVAL);
}

// io_uring_enter(2): submission stops at an SQE that fails before it
// starts (without IORING_SETUP_SUBMIT_ALL): that SQE is consumed and
// counted, the ones after it stay in the SQ for the next call.
TEST(io_uring_enter, failed_sqe_stops_submission, BOUNDARY, LINUX) {
    Ring r(4);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1)->opcode = 255;
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 2);
    EXPECT_RET(r.enter(2, 1, kWait), 1);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 1u);
    r.expect_cqe(1, -EINVAL);
    EXPECT_EQ(r.ready(), 0u);
    EXPECT_RET(r.enter(1, 1, kWait), 1);
    r.expect_cqe(2, 0);
}

// io_uring_enter(2): "EOPNOTSUPP: fd does not refer to an io_uring
// instance".
TEST(io_uring_enter, non_ring_fd_eopnotsupp, NEGATIVE, LINUX) {
    io_uring_test::require_io_uring();
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(sys::io_uring_enter(p.rd, 0, 0, 0), EOPNOTSUPP);
    EXPECT_ERR(sys::io_uring_enter(p.wr, 1, 1, kWait), EOPNOTSUPP);
}

// io_uring_enter(2): "EBADF: fd is not a valid file descriptor".
TEST(io_uring_enter, bad_fd_ebadf, NEGATIVE, LINUX) {
    io_uring_test::require_io_uring();
    kc::Pipe p;
    ASSERT_OK(p.r);
    int closed = p.rd.get();
    p.rd.reset();
    EXPECT_ERR(sys::io_uring_enter(closed, 0, 0, 0), EBADF);
    EXPECT_ERR(sys::io_uring_enter(-1, 0, 0, 0), EBADF);
}

// io_uring_enter(2): "EINVAL: Invalid flags were specified"; nothing is
// submitted.
TEST(io_uring_enter, bad_flags_einval, NEGATIVE, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    EXPECT_ERR(r.enter(1, 0, 1u << 31), EINVAL);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 0u);
    EXPECT_EQ(r.ready(), 0u);
}
