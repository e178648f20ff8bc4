// SPDX-License-Identifier: MIT
// sendmsg(2), recvmsg(2): scatter/gather iovecs, message boundaries and
// truncation flags, size limits, MSG_OOB on datagram sockets, and bad
// pointers. Ancillary data is in msg_cmsg.cpp, source names and sendto(2)
// addresses in msg_names.cpp, the batch calls in mmsg.cpp.
// MSG_ZEROCOPY, MSG_ERRQUEUE and the other flags: socket_flags.cpp.
// Not covered: timestamps and other ancillary data of inet sockets.
#include "rt/sys_poll.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {
constexpr Kind kMsgKinds[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kTcp6, kUdp6};
}  // namespace

// sendmsg(2) gathers its iovecs, empty ones included, into one message
// (POSIX sendmsg).
TEST_P(sendmsg, gathers_iovecs, POSITIVE, PSE53, kMsgKinds) {
    int fds[2];
    pair(row, fds);
    iovec iov[3] = {{const_cast<char*>("ab"), 2}, {nullptr, 0}, {const_cast<char*>("cdef"), 4}};
    msghdr m = make_msg(iov, 3);
    EXPECT_RET(sys::sendmsg(fds[0], &m, 0), 6);
    char buf[8] = {};
    EXPECT_RET(sys::recv(fds[1], buf, 6, MSG_WAITALL), 6);
    EXPECT_MEM_EQ(buf, "abcdef", 6);
    EXPECT_ERR(sys::recv(fds[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);  // one message
    close2(fds);
}

// recvmsg(2) scatters one message over its iovecs in order, skipping empty
// ones (POSIX recvmsg).
TEST_P(recvmsg, scatters_iovecs, POSITIVE, PSE53, kMsgKinds) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "0123456789", 10, 0), 10);
    char a[3], b[4], c[3];
    iovec iov[4] = {{a, 3}, {nullptr, 0}, {b, 4}, {c, 3}};
    msghdr m = make_msg(iov, 4);
    EXPECT_RET(sys::recvmsg(fds[1], &m, MSG_WAITALL), 10);
    EXPECT_MEM_EQ(a, "012", 3);
    EXPECT_MEM_EQ(b, "3456", 4);
    EXPECT_MEM_EQ(c, "789", 3);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, 0);
    close2(fds);
}

constexpr Kind kDgramKinds[] = {kUnixDgram, kUnixSeq, kUdp4, kUdp6};
// recvmsg(2) on a datagram or seqpacket socket with a short buffer: the
// rest of that message is discarded and msg_flags has MSG_TRUNC; the next
// message arrives whole (POSIX recvmsg).
TEST_P(recvmsg, msg_trunc_flag_on_short_buffer, BOUNDARY, PSE53, kDgramKinds) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "hello", 5, 0), 5);
    EXPECT_RET(sys::send(fds[0], "ab", 2, 0), 2);
    ASSERT_NE(poll1(fds[1], POLLIN, 2000), 0);
    char buf[8] = {};
    iovec iov{buf, 3};
    msghdr m = make_msg(&iov, 1);
    EXPECT_RET(sys::recvmsg(fds[1], &m, 0), 3);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
    EXPECT_MEM_EQ(buf, "hel", 3);
    iov.iov_len = sizeof buf;
    m = make_msg(&iov, 1);
    EXPECT_RET(sys::recvmsg(fds[1], &m, 0), 2);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, 0);
    EXPECT_MEM_EQ(buf, "ab", 2);
    close2(fds);
}

constexpr Kind kStreamKinds[] = {kUnixStream, kTcp4, kTcp6};
// recvmsg(2) on a stream with a short buffer: no MSG_TRUNC, the rest stays
// queued for the next call (POSIX recvmsg: streams have no boundaries).
TEST_P(recvmsg, stream_short_buffer_keeps_rest, BOUNDARY, PSE53, kStreamKinds) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "hello", 5, 0), 5);
    char buf[8] = {};
    iovec iov{buf, 3};
    msghdr m = make_msg(&iov, 1);
    EXPECT_RET(sys::recvmsg(fds[1], &m, MSG_WAITALL), 3);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, 0);
    EXPECT_RET(sys::recv(fds[1], buf, 2, MSG_WAITALL), 2);
    EXPECT_MEM_EQ(buf, "lo", 2);
    close2(fds);
}

constexpr Kind kZeroKinds[] = {kUnixDgram, kUdp4, kUdp6};
// sendmsg(2) with no iovecs on a datagram socket sends an empty datagram,
// which recvmsg returns as 0 bytes (POSIX: zero-length datagrams exist).
TEST_P(sendmsg, no_iovecs_empty_datagram, BOUNDARY, PSE53, kZeroKinds) {
    int fds[2];
    pair(row, fds);
    msghdr m = make_msg(nullptr, 0);
    EXPECT_RET(sys::sendmsg(fds[0], &m, 0), 0);
    EXPECT_RET(sys::send(fds[0], "z", 1, 0), 1);
    ASSERT_NE(poll1(fds[1], POLLIN, 2000), 0);
    char buf[4];
    // Both datagrams are queued once "z" is; MSG_DONTWAIT keeps a kernel that
    // never sent the empty one from hanging the test.
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, MSG_DONTWAIT), 0);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, MSG_DONTWAIT), 1);
    close2(fds);
}

// sendmsg(2) with UIO_MAXIOV (1024) iovecs works; with 1025 it fails with
// EMSGSIZE (Linux; POSIX: msg_iovlen above IOV_MAX).
TEST(sendmsg, iovlen_limit_emsgsize, BOUNDARY, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    static iovec iov[UIO_MAXIOV + 1];
    char byte = 'v';
    for (iovec& v : iov) v = {&byte, 1};
    msghdr m = make_msg(iov, UIO_MAXIOV + 1);
    EXPECT_ERR(sys::sendmsg(fds[0], &m, 0), EMSGSIZE);
    m.msg_iovlen = UIO_MAXIOV;
    EXPECT_RET(sys::sendmsg(fds[0], &m, 0), UIO_MAXIOV);
    char buf[8];
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, MSG_TRUNC), UIO_MAXIOV);
    close2(fds);
}

// sendmsg(2) on Linux: an AF_UNIX datagram may be at most SO_SNDBUF minus 32
// bytes (net/unix/af_unix.c unix_dgram_sendmsg); one more is EMSGSIZE.
TEST(sendmsg, unix_dgram_size_limit_emsgsize, BOUNDARY, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    set_int(fds[0], SOL_SOCKET, SO_SNDBUF, 8192);
    set_int(fds[1], SOL_SOCKET, SO_RCVBUF, 65536);
    int max = get_int(fds[0], SOL_SOCKET, SO_SNDBUF) - 32;
    // Linux doubles the 8192 asked for (16384); more would not fit the buffers.
    ASSERT_GT(max, 0);
    ASSERT_LT(max, 32768);
    u8* buf = static_cast<u8*>(map(65536));
    pattern(buf, usize(max) + 1, 5);
    // MSG_DONTWAIT: a kernel that queues the oversized datagram must not
    // make the next send block on a full receiver.
    EXPECT_ERR(sys::send(fds[0], buf, usize(max) + 1, MSG_DONTWAIT), EMSGSIZE);
    EXPECT_RET(sys::send(fds[0], buf, usize(max), MSG_DONTWAIT), max);
    EXPECT_RET(sys::recv(fds[1], buf + 32768, 32768, MSG_DONTWAIT), max);
    EXPECT_MEM_EQ(buf + 32768, buf, usize(max));
    unmap(buf, 65536);
    close2(fds);
}

constexpr Kind kNoOobKinds[] = {kUnixDgram, kUnixSeq, kUdp4};
// sendmsg(2) with MSG_OOB on a socket without out-of-band data (datagram,
// seqpacket): EOPNOTSUPP (POSIX sendmsg). Linux 6.18's UDP over IPv6 does not
// check the flag and sends the datagram, so it has no row here.
TEST_P(sendmsg, msg_oob_unsupported_eopnotsupp, NEGATIVE, PSE53, kNoOobKinds) {
    int fds[2];
    pair(row, fds);
    iovec iov{const_cast<char*>("o"), 1};
    msghdr m = make_msg(&iov, 1);
    EXPECT_ERR(sys::sendmsg(fds[0], &m, MSG_OOB), EOPNOTSUPP);
    close2(fds);
}

// sendmsg(2) with a msghdr, iovec array or iovec buffer that cannot be read:
// EFAULT (Linux; POSIX leaves it undefined).
TEST(sendmsg, bad_pointers_efault, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    EXPECT_ERR(sys::sendmsg(fds[0], reinterpret_cast<msghdr*>(8), 0), EFAULT);
    msghdr m = make_msg(reinterpret_cast<iovec*>(8), 1);
    EXPECT_ERR(sys::sendmsg(fds[0], &m, 0), EFAULT);
    iovec iov{reinterpret_cast<void*>(8), 4};
    m = make_msg(&iov, 1);
    EXPECT_ERR(sys::sendmsg(fds[0], &m, 0), EFAULT);
    iovec ok{const_cast<char*>("c"), 1};
    m = make_msg(&ok, 1, reinterpret_cast<void*>(8), 32);
    EXPECT_ERR(sys::sendmsg(fds[0], &m, 0), EFAULT);
    char b;
    EXPECT_ERR(sys::recv(fds[1], &b, 1, MSG_DONTWAIT), EAGAIN);  // nothing was sent
    close2(fds);
}

// recvmsg(2) with a msghdr or buffer that cannot be written: EFAULT
// (Linux).
TEST(recvmsg, bad_pointers_efault, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    EXPECT_ERR(sys::recvmsg(fds[1], reinterpret_cast<msghdr*>(8), 0), EFAULT);
    EXPECT_RET(sys::send(fds[0], "q", 1, 0), 1);
    iovec iov{reinterpret_cast<void*>(8), 4};
    msghdr m = make_msg(&iov, 1);
    EXPECT_ERR(sys::recvmsg(fds[1], &m, 0), EFAULT);
    close2(fds);
}
