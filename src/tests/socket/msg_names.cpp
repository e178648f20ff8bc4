// SPDX-License-Identifier: MIT
// Addresses in the message calls on AF_UNIX sockets: recvmsg(2)'s msg_name
// (the sender's bound name, or none), and sendto(2) to a name nobody holds
// or with a destination on a stream socket.
// Not covered: inet addresses (inet.cpp, transfer.cpp).
#include "tests/socket/net.hpp"

using namespace net;

// recvmsg(2) on an AF_UNIX datagram socket: msg_name is the sender's bound
// name; for an unbound sender Linux returns msg_namelen 0.
TEST(recvmsg, unix_source_name, POSITIVE, LINUX) {
    Addr ra, sa;
    int r = bound(AF_UNIX, SOCK_DGRAM, &ra);
    int s = bound(AF_UNIX, SOCK_DGRAM, &sa);
    long anon = sys::socket(AF_UNIX, SOCK_DGRAM, 0);
    ASSERT_OK(anon);
    EXPECT_RET(sys::sendto(s, "n", 1, 0, ra.raw, ra.len), 1);
    EXPECT_RET(sys::sendto(int(anon), "a", 1, 0, ra.raw, ra.len), 1);
    Addr from{};
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1);
    m.msg_name = from.raw;
    m.msg_namelen = sizeof from.raw;
    EXPECT_RET(sys::recvmsg(r, &m, 0), 1);
    EXPECT_EQ(m.msg_namelen, sa.len);
    EXPECT_MEM_EQ(from.raw, sa.raw, usize(sa.len));
    m.msg_namelen = sizeof from.raw;
    EXPECT_RET(sys::recvmsg(r, &m, 0), 1);
    EXPECT_EQ(m.msg_namelen, 0);
    sys::close(r);
    sys::close(s);
    sys::close(int(anon));
}

// sendto(2) on an AF_UNIX datagram socket to a name nobody holds: an
// abstract name is ECONNREFUSED, a missing path ENOENT (Linux; POSIX lists
// both for connect).
TEST(sendto, unix_dgram_unknown_name, NEGATIVE, LINUX) {
    Addr a;
    abstract_name(&a);
    long s = sys::socket(AF_UNIX, SOCK_DGRAM, 0);
    ASSERT_OK(s);
    EXPECT_ERR(sys::sendto(int(s), "x", 1, 0, a.raw, a.len), ECONNREFUSED);
    Addr p{};
    p.un.sun_family = AF_UNIX;
    const char path[] = "/nonexistent-kconform/sock";
    for (usize i = 0; i < sizeof path; ++i) p.un.sun_path[i] = path[i];
    EXPECT_ERR(sys::sendto(int(s), "x", 1, 0, p.raw, int(sizeof(sockaddr_un))), ENOENT);
    sys::close(int(s));
}

// sendto(2) with a destination on a connected AF_UNIX stream socket:
// EISCONN; on an unconnected one: EOPNOTSUPP (Linux; POSIX lets connection-
// mode sockets ignore the address).
TEST(sendto, unix_stream_address_rejected, NEGATIVE, LINUX) {
    Addr a;
    abstract_name(&a);
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    EXPECT_ERR(sys::sendto(fds[0], "x", 1, 0, a.raw, a.len), EISCONN);
    long s = sys::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_OK(s);
    EXPECT_ERR(sys::sendto(int(s), "x", 1, 0, a.raw, a.len), EOPNOTSUPP);
    sys::close(int(s));
    close2(fds);
}
