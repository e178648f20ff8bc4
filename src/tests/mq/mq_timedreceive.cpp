// SPDX-License-Identifier: MIT
// POSIX message queues: mq_timedreceive(2). Covers priority order and FIFO
// order within a priority, an empty queue (EAGAIN with O_NONBLOCK, ETIMEDOUT
// with a past or a 20 ms absolute timeout, wake-up by a sender in another
// process), and the exact errnos: EMSGSIZE for a buffer below mq_msgsize,
// EBADF for a write-only or non-queue descriptor, EINVAL for timeouts,
// EFAULT. Sending is tested in mq_timedsend.cpp.
// Tests SKIP when the kernel has no message queues.
// Not covered: EINTR of a blocked call by a signal handler (signal tests).
#include "tests/common/common_util.hpp"
#include "tests/mq/mq_util.hpp"

// POSIX mq_receive: the oldest message of the highest priority comes first:
// priority order across priorities, FIFO within one.
TEST(mq_timedreceive, priority_then_fifo_order, POSITIVE, PSE52) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    struct M {
        const char* text;
        unsigned prio;
    } sent[] = {{"p1", 1}, {"p5-a", 5}, {"p3", 3}, {"p5-b", 5}, {"p0", 0}, {"p5-c", 5}};
    for (const M& m : sent) EXPECT_OK(mq::send(int(fd), m.text, m.prio));
    const M want[] = {{"p5-a", 5}, {"p5-b", 5}, {"p5-c", 5}, {"p3", 3}, {"p1", 1}, {"p0", 0}};
    for (const M& m : want) {
        char buf[16] = {};
        unsigned prio = 99;
        long n = long(rt::strlen(m.text));
        EXPECT_RET(mq::recv(int(fd), buf, &prio), n);
        EXPECT_MEM_EQ(buf, m.text, usize(n));
        EXPECT_EQ(prio, m.prio);
    }
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_receive: EMSGSIZE when the buffer is smaller than mq_msgsize,
// even if the waiting message would fit; the message stays queued.
TEST(mq_timedreceive, buffer_below_msgsize_emsgsize, NEGATIVE, PSE52) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "ab", 0));
    char buf[16];
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 15, nullptr, nullptr), EMSGSIZE);
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 0, nullptr, nullptr), EMSGSIZE);
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, 16, nullptr, nullptr), 2);
    sys::close(int(fd));
}

// POSIX mq_receive: with O_NONBLOCK an empty queue is EAGAIN at once.
TEST(mq_timedreceive, empty_nonblock_eagain, NEGATIVE, PSE52) {
    long fd = mq::queue(O_RDWR | O_NONBLOCK);
    ASSERT_OK(fd);
    char buf[16];
    EXPECT_ERR(mq::recv(int(fd), buf, nullptr), EAGAIN);
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, &mq::kPast), EAGAIN);
    sys::close(int(fd));
}

// POSIX mq_timedreceive: ETIMEDOUT when the queue is empty and the absolute
// timeout has already passed.
TEST(mq_timedreceive, empty_past_timeout_etimedout, NEGATIVE, PSE52) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    char buf[16];
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, &mq::kPast), ETIMEDOUT);
    sys::close(int(fd));
}

// POSIX mq_timedreceive: the timeout is an absolute CLOCK_REALTIME time: a
// deadline 20 ms ahead makes the call wait at least that long.
TEST(mq_timedreceive, waits_until_absolute_timeout, BOUNDARY, PSE52, .flags = kc::SLOW) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    char buf[16];
    timespec at = mq::in_ms(20);
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, &at), ETIMEDOUT);
    // Measured against the deadline itself (not a start time read after it
    // was computed): the call returns no earlier than `at`, less 1 ms of
    // clock granularity, and not absurdly later.
    timespec now{};
    sys::clock_gettime(CLOCK_REALTIME, &now);
    i64 late = (now.tv_sec - at.tv_sec) * 1000000000 + (now.tv_nsec - at.tv_nsec);
    EXPECT_GE(late, -1000000);
    EXPECT_LT(late, 2000000000);
    sys::close(int(fd));
}

// POSIX mq_receive: a receiver blocked on an empty queue in another process
// is woken by a send and gets the message.
TEST(mq_timedreceive, blocked_receiver_woken_by_send, POSITIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::SLOW) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    long pid = sys::fork();
    if (pid == 0) {
        char buf[16] = {};
        unsigned prio = 0;
        timespec at = mq::in_ms(5000);
        long n = sys::mq_timedreceive(int(fd), buf, 16, &prio, &at);
        sys::exit_group(n == 4 && prio == 7 && rt::streq(buf, "wake") ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    common::sleep_ms(20);  // let the child block (it also works if it has not yet)
    EXPECT_OK(mq::send(int(fd), "wake", 7));
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_timedreceive: EINVAL when the call would block and tv_nsec is
// outside 0..999,999,999; Linux also rejects a negative tv_sec.
TEST_P(mq_timedreceive, invalid_timeout_einval, NEGATIVE, PSE52, mq::kBadTs) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    char buf[16];
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, &ts), EINVAL);
    sys::close(int(fd));
}

// mq_timedreceive(2): Linux checks the timeout even when a message is
// waiting (POSIX says it "need not be checked" then); the message stays.
TEST(mq_timedreceive, timeout_checked_without_blocking, BOUNDARY, LINUX) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "1", 0));
    timespec bad{0, 1000000000};
    char buf[16];
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, &bad), EINVAL);
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    sys::close(int(fd));
}

// POSIX mq_receive: EBADF on a descriptor opened O_WRONLY (the O_RDONLY one
// of the same queue works).
TEST(mq_timedreceive, write_only_descriptor_ebadf, NEGATIVE, PSE52) {
    mq::Name n = mq::name("wronly");
    long ro = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDONLY, 0600, nullptr);
    long wo = sys::mq_open(n.s, O_WRONLY, 0, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(ro);
    ASSERT_OK(wo);
    EXPECT_OK(mq::send(int(wo), "x", 0));
    char buf[8192];
    EXPECT_ERR(sys::mq_timedreceive(int(wo), buf, sizeof buf, nullptr, nullptr), EBADF);
    EXPECT_EQ(mq::curmsgs(int(ro)), 1);
    EXPECT_RET(sys::mq_timedreceive(int(ro), buf, sizeof buf, nullptr, nullptr), 1);
    sys::close(int(ro));
    sys::close(int(wo));
}

// POSIX mq_receive: EBADF for a descriptor that is not a message queue, or
// not open.
TEST(mq_timedreceive, not_a_queue_ebadf, NEGATIVE, PSE52) {
    mq::require();
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    char buf[16];
    EXPECT_ERR(sys::mq_timedreceive(p[0], buf, sizeof buf, nullptr, nullptr), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::mq_timedreceive(p[0], buf, sizeof buf, nullptr, nullptr), EBADF);
    EXPECT_ERR(sys::mq_timedreceive(-1, buf, sizeof buf, nullptr, nullptr), EBADF);
}

// mq_timedreceive(2): EFAULT for an unreadable timeout (the message stays)
// and for an unwritable priority pointer.
TEST(mq_timedreceive, bad_pointers_efault, NEGATIVE, LINUX) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "x", 0));
    char buf[16];
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, nullptr, reinterpret_cast<timespec*>(8)),
               EFAULT);
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, 16, reinterpret_cast<unsigned*>(8), nullptr),
               EFAULT);
    sys::close(int(fd));
}
