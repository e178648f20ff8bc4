// SPDX-License-Identifier: MIT
// AF_UNIX (and, where the rule is not AF_UNIX's own, TCP and UDP) listen(2),
// accept(2) and accept4(2): what may listen, backlog values, the queue
// across a second listen, accepting in order with the peers' names, and
// the flags accept4 applies or rejects.
// Not covered: what unix.cpp lists.
#include "tests/socket/net.hpp"

using namespace net;

// listen(2) on an unbound AF_UNIX stream socket. Linux: EINVAL; POSIX says
// EDESTADDRREQ (Linux does not autobind here).
TEST(listen, unix_unbound_einval, NEGATIVE, LINUX) {
    int fd = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::listen(fd, 1), EINVAL);
    sys::close(fd);
}

constexpr Kind kDgramKinds[] = {kUnixDgram, kUdp4, kUdp6};
// listen(2) on a datagram socket: EOPNOTSUPP (POSIX listen).
TEST_P(listen, dgram_eopnotsupp, NEGATIVE, PSE53, kDgramKinds) {
    int fd = bound(row);
    EXPECT_ERR(sys::listen(fd, 1), EOPNOTSUPP);
    sys::close(fd);
}

constexpr Kind kStreamPairs[] = {kUnixStream, kTcp4, kTcp6};
// listen(2) on a connected socket: EINVAL (POSIX listen).
TEST_P(listen, connected_einval, NEGATIVE, PSE53, kStreamPairs) {
    int fds[2];
    stream_pair(row.family, fds);
    EXPECT_ERR(sys::listen(fds[0], 1), EINVAL);
    EXPECT_ERR(sys::listen(fds[1], 1), EINVAL);
    close2(fds);
}

constexpr IntRow kBacklogValues[] = {
    {"backlog=-1", -1},
    {"backlog=0", 0},
    {"backlog=1", 1},
    {"backlog=INT_MAX", INT_MAX},
};
// listen(2): any backlog is accepted (POSIX: values <= 0 or too large are
// adjusted); the socket then reports SO_ACCEPTCONN and takes a connection.
TEST_P(listen, backlog_values_accepted, BOUNDARY, PSE53, kBacklogValues) {
    Addr a;
    int l = bound(AF_UNIX, SOCK_STREAM, &a);
    EXPECT_EQ(get_int(l, SOL_SOCKET, SO_ACCEPTCONN), 0);
    ASSERT_OK(sys::listen(l, row.v));
    EXPECT_EQ(get_int(l, SOL_SOCKET, SO_ACCEPTCONN), 1);
    int c = unix_connect(a, SOCK_STREAM, SOCK_NONBLOCK);
    long s = sys::accept(l, nullptr, nullptr);
    EXPECT_OK(s);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// listen(2) on a socket that is already listening succeeds and keeps the
// queued connections (Linux: only the backlog changes).
TEST(listen, again_keeps_queue, POSITIVE, LINUX) {
    Addr a;
    int l = listener(AF_UNIX, &a, 2);
    int c = unix_connect(a);
    EXPECT_OK(sys::listen(l, 8));
    long s = sys::accept4(l, nullptr, nullptr, SOCK_NONBLOCK);
    EXPECT_OK(s);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// listen/connect/accept work for SOCK_SEQPACKET too, and each message keeps
// its boundary (POSIX socket: SOCK_SEQPACKET).
TEST(accept, unix_seqpacket_connection, POSITIVE, PSE53) {
    Addr a;
    int l = bound(AF_UNIX, SOCK_SEQPACKET, &a);
    ASSERT_OK(sys::listen(l, 2));
    int c = unix_connect(a, SOCK_SEQPACKET);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    EXPECT_EQ(get_int(int(s), SOL_SOCKET, SO_TYPE), SOCK_SEQPACKET);
    EXPECT_RET(sys::write(c, "one", 3), 3);
    EXPECT_RET(sys::write(c, "three", 5), 5);
    char buf[16];
    EXPECT_RET(sys::read(int(s), buf, sizeof buf), 3);
    EXPECT_RET(sys::read(int(s), buf, sizeof buf), 5);
    EXPECT_MEM_EQ(buf, "three", 5);
    sys::close(c);
    sys::close(int(s));
    sys::close(l);
}

// accept(2) on a stream socket that is not listening: EINVAL (POSIX accept).
TEST_P(accept, not_listening_einval, NEGATIVE, PSE53, kStreamPairs) {
    int fd = bound(row);
    EXPECT_ERR(sys::accept(fd, nullptr, nullptr), EINVAL);
    sys::close(fd);
}

// accept(2) on a datagram socket: EOPNOTSUPP (POSIX accept).
TEST_P(accept, dgram_eopnotsupp, NEGATIVE, PSE53, kDgramKinds) {
    int fd = bound(row);
    EXPECT_ERR(sys::accept(fd, nullptr, nullptr), EOPNOTSUPP);
    sys::close(fd);
}

// accept(2) on a nonblocking listener with nothing queued: EAGAIN (POSIX
// accept).
TEST_P(accept, nonblocking_empty_eagain, NEGATIVE, PSE53, kStreamPairs) {
    Addr a;
    int l = listener(row.family, &a, 4, SOCK_NONBLOCK);
    EXPECT_ERR(sys::accept(l, nullptr, nullptr), EAGAIN);
    sys::close(l);
}

// accept(2): connections are accepted in arrival order, and the address
// returned is the connecting socket's name (POSIX accept).
TEST(accept, fifo_order_and_peer_names, POSITIVE, PSE53) {
    Addr la, a1, a2;
    int l = listener(AF_UNIX, &la);
    int c1 = bound(AF_UNIX, SOCK_STREAM, &a1);
    int c2 = bound(AF_UNIX, SOCK_STREAM, &a2);
    ASSERT_OK(sys::connect(c1, la.raw, la.len));
    ASSERT_OK(sys::connect(c2, la.raw, la.len));
    Addr p1{}, p2{};
    p1.len = p2.len = sizeof p1.raw;
    long s1 = sys::accept(l, p1.raw, &p1.len);
    long s2 = sys::accept(l, p2.raw, &p2.len);
    ASSERT_OK(s1);
    ASSERT_OK(s2);
    EXPECT_TRUE(same_addr(p1, a1));
    EXPECT_TRUE(same_addr(p2, a2));
    sys::close(int(s1));
    sys::close(int(s2));
    sys::close(c1);
    sys::close(c2);
    sys::close(l);
}

// accept(2) on Linux: the address of an unbound AF_UNIX client is just the
// family: addrlen 2 (unix(7) "unnamed").
TEST(accept, unix_unnamed_peer_family_only, BOUNDARY, LINUX) {
    Addr la;
    int l = listener(AF_UNIX, &la);
    int c = unix_connect(la);
    Addr p{};
    p.len = sizeof p.raw;
    long s = sys::accept(l, p.raw, &p.len);
    ASSERT_OK(s);
    EXPECT_EQ(p.len, kSunPathOff);
    EXPECT_EQ(p.family, AF_UNIX);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// accept(2) on Linux: the new socket does not inherit O_NONBLOCK from the
// listener (accept(2) NOTES).
TEST(accept, nonblock_not_inherited, BOUNDARY, LINUX) {
    Addr la;
    int l = listener(AF_UNIX, &la, 4, SOCK_NONBLOCK);
    int c = unix_connect(la);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    EXPECT_EQ(sys::fcntl(int(s), F_GETFL) & O_NONBLOCK, 0);
    EXPECT_EQ(sys::fcntl(int(s), F_GETFD) & FD_CLOEXEC, 0);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// accept(2) with a negative *addrlen: EINVAL (Linux move_addr_to_user).
TEST(accept, negative_addrlen_einval, NEGATIVE, LINUX) {
    Addr la;
    int l = listener(AF_UNIX, &la);
    int c = unix_connect(la);
    Addr p{};
    p.len = -1;
    EXPECT_ERR(sys::accept(l, p.raw, &p.len), EINVAL);
    sys::close(c);
    sys::close(l);
}

struct AcceptFlagRow {
    const char* label;
    int family, flags;
};
constexpr AcceptFlagRow kAcceptFlags[] = {
    {"unix_none", AF_UNIX, 0},
    {"unix_cloexec", AF_UNIX, SOCK_CLOEXEC},
    {"unix_nonblock", AF_UNIX, SOCK_NONBLOCK},
    {"unix_both", AF_UNIX, SOCK_CLOEXEC | SOCK_NONBLOCK},
    {"tcp4_both", AF_INET, SOCK_CLOEXEC | SOCK_NONBLOCK},
    {"tcp6_nonblock", AF_INET6, SOCK_NONBLOCK},
};
// accept4(2): SOCK_CLOEXEC/SOCK_NONBLOCK are applied to the accepted fd
// (POSIX.1-2024 accept4).
TEST_P(accept4, flags_applied, POSITIVE, PSE53, kAcceptFlags) {
    Addr la;
    int l = listener(row.family, &la);
    long c = sys::socket(row.family, SOCK_STREAM, 0);
    ASSERT_OK(c);
    ASSERT_OK(sys::connect(int(c), la.raw, la.len));
    long s = sys::accept4(l, nullptr, nullptr, row.flags);
    ASSERT_OK(s);
    EXPECT_EQ(sys::fcntl(int(s), F_GETFD) & FD_CLOEXEC, row.flags & SOCK_CLOEXEC ? 1 : 0);
    EXPECT_EQ(sys::fcntl(int(s), F_GETFL) & O_NONBLOCK, row.flags & SOCK_NONBLOCK);
    char ch;
    if (row.flags & SOCK_NONBLOCK) EXPECT_ERR(sys::read(int(s), &ch, 1), EAGAIN);
    sys::close(int(s));
    sys::close(int(c));
    sys::close(l);
}

constexpr IntRow kBadAcceptFlags[] = {
    {"flags=1", 1},
    {"flags=O_APPEND", O_APPEND},
    {"flags=MSG_CMSG_CLOEXEC", MSG_CMSG_CLOEXEC},
    {"flags=-1", -1},
};
// accept4(2): flags other than SOCK_CLOEXEC|SOCK_NONBLOCK: EINVAL, checked
// before the queue (a pending connection stays there).
TEST_P(accept4, bad_flags_einval, NEGATIVE, LINUX, kBadAcceptFlags) {
    Addr la;
    // A nonblocking listener: a kernel that accepts despite the flags must
    // not make the second accept4 hang.
    int l = listener(AF_UNIX, &la, 8, SOCK_NONBLOCK);
    int c = unix_connect(la);
    EXPECT_ERR(sys::accept4(l, nullptr, nullptr, row.v), EINVAL);
    long s = sys::accept4(l, nullptr, nullptr, SOCK_NONBLOCK);
    EXPECT_OK(s);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}
