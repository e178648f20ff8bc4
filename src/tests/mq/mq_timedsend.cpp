// SPDX-License-Identifier: MIT
// POSIX message queues: mq_timedsend(2). Covers message contents and
// lengths (0 and mq_msgsize), priorities up to MQ_PRIO_MAX - 1, a full
// queue (EAGAIN with O_NONBLOCK, ETIMEDOUT with a past timeout, wake-up when
// a receiver in another process makes room), and the exact errnos: EMSGSIZE,
// EBADF for a read-only or non-queue descriptor, EINVAL for priorities and
// timeouts, EFAULT. Receiving is tested in mq_timedreceive.cpp.
// Tests SKIP when the kernel has no message queues.
// Not covered: EINTR of a blocked call by a signal handler (signal tests).
#include "tests/common/common_util.hpp"
#include "tests/mq/mq_util.hpp"

struct Prio {
    const char* label;
    unsigned prio;
};
constexpr Prio kPrios[] = {
    {"prio=0", 0}, {"prio=1", 1}, {"prio=31", 31}, {"prio=MQ_PRIO_MAX-1", MQ_PRIO_MAX - 1}};
// POSIX mq_send: priorities 0..MQ_PRIO_MAX-1 are valid and come back with
// the message (Linux: MQ_PRIO_MAX is 32768).
TEST_P(mq_timedsend, valid_priority_round_trip, BOUNDARY, PSE52, kPrios) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "x", row.prio));
    unsigned prio = ~0u;
    char buf[16];
    EXPECT_RET(mq::recv(int(fd), buf, &prio), 1);
    EXPECT_EQ(prio, row.prio);
    sys::close(int(fd));
}

constexpr Prio kBadPrios[] = {
    {"prio=MQ_PRIO_MAX", MQ_PRIO_MAX}, {"prio=UINT_MAX", ~0u}, {"prio=2^31", 0x80000000u}};
// POSIX mq_send: EINVAL for a priority >= MQ_PRIO_MAX; nothing is queued.
TEST_P(mq_timedsend, priority_too_large_einval, NEGATIVE, PSE52, kBadPrios) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    EXPECT_ERR(mq::send(int(fd), "x", row.prio), EINVAL);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_send/mq_receive: message contents come back byte for byte,
// including NUL bytes, at the full mq_msgsize and at length 0.
TEST(mq_timedsend, contents_and_lengths_intact, BOUNDARY, PSE52) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    char msg[16];
    for (int i = 0; i < 16; ++i) msg[i] = char(i * 37);  // includes a 0 byte
    EXPECT_OK(sys::mq_timedsend(int(fd), msg, 16, 0, nullptr));
    EXPECT_OK(sys::mq_timedsend(int(fd), msg, 0, 0, nullptr));
    char buf[16] = {};
    EXPECT_RET(mq::recv(int(fd), buf, nullptr), 16);
    EXPECT_MEM_EQ(buf, msg, 16);
    EXPECT_RET(mq::recv(int(fd), buf, nullptr), 0);
    sys::close(int(fd));
}

// POSIX mq_send: EMSGSIZE when the message is longer than mq_msgsize.
TEST(mq_timedsend, longer_than_msgsize_emsgsize, NEGATIVE, PSE52) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    char msg[32] = {};
    EXPECT_ERR(sys::mq_timedsend(int(fd), msg, 17, 0, nullptr), EMSGSIZE);
    EXPECT_ERR(sys::mq_timedsend(int(fd), msg, ~usize(0), 0, nullptr), EMSGSIZE);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_send: with O_NONBLOCK a full queue is EAGAIN at once.
TEST(mq_timedsend, full_nonblock_eagain, NEGATIVE, PSE52) {
    long fd = mq::queue(O_RDWR | O_NONBLOCK, 2);
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "1", 0));
    EXPECT_OK(mq::send(int(fd), "2", 0));
    EXPECT_ERR(mq::send(int(fd), "3", 9), EAGAIN);
    EXPECT_EQ(mq::curmsgs(int(fd)), 2);
    sys::close(int(fd));
}

// POSIX mq_timedsend: ETIMEDOUT when the queue is full and the absolute
// timeout has already passed.
TEST(mq_timedsend, full_past_timeout_etimedout, NEGATIVE, PSE52) {
    long fd = mq::queue(O_RDWR, 1);
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "1", 0));
    EXPECT_ERR(sys::mq_timedsend(int(fd), "2", 1, 0, &mq::kPast), ETIMEDOUT);
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    sys::close(int(fd));
}

// POSIX mq_timedsend: EINVAL when the call would block and tv_nsec is
// outside 0..999,999,999; Linux also rejects a negative tv_sec.
TEST_P(mq_timedsend, invalid_timeout_einval, NEGATIVE, PSE52, mq::kBadTs) {
    long fd = mq::queue(O_RDWR, 1);
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "1", 0));
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::mq_timedsend(int(fd), "2", 1, 0, &ts), EINVAL);
    sys::close(int(fd));
}

// mq_timedsend(2): Linux checks the timeout even when the queue has room
// (POSIX says it "need not be checked" then); nothing is queued.
TEST(mq_timedsend, timeout_checked_without_blocking, BOUNDARY, LINUX) {
    long fd = mq::queue();
    ASSERT_OK(fd);
    timespec bad{0, 1000000000};
    EXPECT_ERR(sys::mq_timedsend(int(fd), "1", 1, 0, &bad), EINVAL);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_send: EBADF on a descriptor opened O_RDONLY (the O_WRONLY one
// of the same queue works).
TEST(mq_timedsend, read_only_descriptor_ebadf, NEGATIVE, PSE52) {
    mq::Name n = mq::name("direction");
    long rw = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    long ro = sys::mq_open(n.s, O_RDONLY, 0, nullptr);
    long wo = sys::mq_open(n.s, O_WRONLY, 0, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(rw);
    ASSERT_OK(ro);
    ASSERT_OK(wo);
    EXPECT_ERR(mq::send(int(ro), "x", 0), EBADF);
    EXPECT_EQ(mq::curmsgs(int(rw)), 0);
    EXPECT_OK(mq::send(int(wo), "x", 0));
    EXPECT_EQ(mq::curmsgs(int(rw)), 1);
    sys::close(int(rw));
    sys::close(int(ro));
    sys::close(int(wo));
}

// POSIX mq_send: EBADF for a descriptor that is not a message queue, or
// not open.
TEST(mq_timedsend, not_a_queue_ebadf, NEGATIVE, PSE52) {
    mq::require();
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    EXPECT_ERR(mq::send(p[1], "x", 0), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(mq::send(p[1], "x", 0), EBADF);
    EXPECT_ERR(mq::send(-1, "x", 0), EBADF);
}

// mq_timedsend(2): EFAULT for an unreadable message or timeout; nothing is
// queued.
TEST(mq_timedsend, bad_pointers_efault, NEGATIVE, LINUX) {
    long fd = mq::queue(O_RDWR, 1);
    ASSERT_OK(fd);
    auto bad = reinterpret_cast<const char*>(8);
    EXPECT_ERR(sys::mq_timedsend(int(fd), bad, 4, 0, nullptr), EFAULT);
    EXPECT_ERR(sys::mq_timedsend(int(fd), "x", 1, 0, reinterpret_cast<timespec*>(8)), EFAULT);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_send: a sender blocked on a full queue in another process is
// woken when a message is received, and its message is then queued.
TEST(mq_timedsend, blocked_sender_woken_by_receive, POSITIVE, PSE53,
     .flags = kc::NEEDS_FORK | kc::SLOW) {
    long fd = mq::queue(O_RDWR, 1);
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "first", 0));
    long pid = sys::fork();
    if (pid == 0) {
        timespec at = mq::in_ms(5000);
        sys::exit_group(sys::mq_timedsend(int(fd), "second", 6, 0, &at) == 0 ? 0 : 1);
    }
    ASSERT_GT(pid, 0);
    common::sleep_ms(20);
    char buf[16];
    EXPECT_RET(mq::recv(int(fd), buf, nullptr), 5);
    EXPECT_EQ(kc::wait_status(pid), 0);
    EXPECT_RET(mq::recv(int(fd), buf, nullptr), 6);
    EXPECT_MEM_EQ(buf, "second", 6);
    sys::close(int(fd));
}

// POSIX mq_send: filling a queue to exactly mq_maxmsg works; one more
// would block (here: ETIMEDOUT with a past timeout).
TEST(mq_timedsend, fill_to_maxmsg, BOUNDARY, PSE52) {
    long fd = mq::queue(O_RDWR, 5);
    ASSERT_OK(fd);
    for (int i = 0; i < 5; ++i) EXPECT_OK(sys::mq_timedsend(int(fd), "m", 1, 0, &mq::kPast));
    EXPECT_EQ(mq::curmsgs(int(fd)), 5);
    EXPECT_ERR(sys::mq_timedsend(int(fd), "m", 1, 0, &mq::kPast), ETIMEDOUT);
    sys::close(int(fd));
}
