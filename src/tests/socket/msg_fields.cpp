// SPDX-License-Identifier: MIT
// What recvmsg(2) and accept(2) write back that msg.cpp, msg_cmsg.cpp and
// msg_names.cpp leave unchecked: msg_namelen, msg_controllen and msg_flags
// of a plain message (no ancillary data, nothing truncated) on each kind of
// socket, each written over a header pre-filled with other values; and the
// addresses and lengths of both ends of an AF_UNIX stream connection whose
// client never bound (accept, getsockname, getpeername).
// Left out: ancillary data and truncation (msg_cmsg.cpp, msg.cpp), inet
// accept and getpeername (inet.cpp), SOCK_SEQPACKET's MSG_EOR (Linux never
// sets it on receive; POSIX makes it optional, "if supported").
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kKinds[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kUdp6};

}  // namespace

// recvmsg(2): a whole message with no ancillary data comes back with
// msg_flags 0 (no MSG_TRUNC, MSG_CTRUNC, MSG_EOR, MSG_OOB), msg_controllen
// 0 (the length of the control data received), and in msg_namelen the
// length of the source address: that of the sender's name for a datagram
// socket (which getsockname(2) on the sender gives, and msg_name holds), 0
// for an AF_UNIX socketpair end (unnamed) and for TCP (Linux: connected
// streams report no source address; POSIX: "for connection-mode sockets,
// msg_name is ignored").
TEST_P(recvmsg, plain_message_header_fields, POSITIVE, LINUX, kKinds) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "hello", 5, 0), 5);
    Addr from{};
    char buf[16];
    u8 control[64];
    iovec iov{buf, sizeof buf};
    msghdr m = make_msg(&iov, 1, control, sizeof control);
    m.msg_name = from.raw;
    m.msg_namelen = sizeof from.raw;
    m.msg_flags = ~0u;
    EXPECT_RET(sys::recvmsg(fds[1], &m, 0), 5);
    EXPECT_MEM_EQ(buf, "hello", 5);
    EXPECT_EQ(m.msg_flags, 0);
    EXPECT_EQ(m.msg_controllen, 0);
    bool named = row.type == SOCK_DGRAM && row.family != AF_UNIX;
    if (named) {
        Addr sender = name_of(fds[0]);
        EXPECT_EQ(m.msg_namelen, sender.len);
        EXPECT_MEM_EQ(from.raw, sender.raw, usize(sender.len));
    } else {
        EXPECT_EQ(m.msg_namelen, 0);
    }
    close2(fds);
}

// accept4(2), getsockname(2), getpeername(2) on AF_UNIX (unix(7)): a client
// that never bound is "unnamed", and its address is reported as the family
// alone (addrlen sizeof(sa_family_t), 2): accept's address of the peer,
// getsockname of the client and getpeername of the accepted socket. The
// listener's name is what getpeername of the client and getsockname of the
// accepted socket give (Linux: the accepted socket shares the listener's
// address).
TEST(accept4, unix_unnamed_client_addresses, POSITIVE, LINUX) {
    Addr la;
    kc::Fd l(listener(AF_UNIX, &la));
    kc::Fd c(sys::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_OK(c.get());
    ASSERT_OK(sys::connect(c, la.raw, la.len));
    Addr peer;
    __builtin_memset(peer.raw, 0xa5, sizeof peer.raw);
    peer.len = sizeof peer.raw;
    kc::Fd s(sys::accept4(l, peer.raw, &peer.len, SOCK_CLOEXEC));
    ASSERT_OK(s.get());
    EXPECT_EQ(peer.len, kSunPathOff);
    EXPECT_EQ(peer.family, AF_UNIX);
    Addr client_name = name_of(c), server_peer = name_of(s, true);
    EXPECT_EQ(client_name.len, kSunPathOff);
    EXPECT_EQ(client_name.family, AF_UNIX);
    EXPECT_EQ(server_peer.len, kSunPathOff);
    EXPECT_EQ(server_peer.family, AF_UNIX);
    EXPECT_TRUE(same_addr(name_of(c, true), la));
    EXPECT_TRUE(same_addr(name_of(s), la));
}
