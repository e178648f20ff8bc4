// SPDX-License-Identifier: MIT
// AF_UNIX connection set-up, connect(2): stream clients reaching listeners
// by abstract and filesystem name; connection refused (no listener, a
// missing path or one that is not a socket, a type mismatch); a socket
// already connected (EISCONN) or listening (EINVAL); a full backlog; bad
// address lengths; and datagram sockets' default peer (set, dissolved with
// AF_UNSPEC, EPERM for other senders), with the exact Linux errnos.
// Not covered: what unix.cpp lists.
#include "tests/socket/net.hpp"

using namespace net;

// connect(2)/accept(2): a stream client reaches a listener by abstract name;
// data flows both ways; the client's peer name and the accepted socket's
// own name are the listener's name (POSIX connect, accept, getpeername).
TEST(connect, unix_stream_abstract_listener, POSITIVE, PSE53) {
    Addr a;
    int l = listener(AF_UNIX, &a);
    int c = unix_connect(a);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    EXPECT_TRUE(same_addr(name_of(c, true), a));
    EXPECT_TRUE(same_addr(name_of(int(s)), a));
    char buf[4] = {};
    EXPECT_RET(sys::write(c, "ping", 4), 4);
    EXPECT_RET(sys::read(int(s), buf, 4), 4);
    EXPECT_MEM_EQ(buf, "ping", 4);
    EXPECT_RET(sys::write(int(s), "pong", 4), 4);
    EXPECT_RET(sys::read(c, buf, 4), 4);
    EXPECT_MEM_EQ(buf, "pong", 4);
    sys::close(c);
    sys::close(int(s));
    sys::close(l);
}

// connect(2): a listener bound to a filesystem path is reached through the
// path (POSIX connect).
TEST(connect, unix_stream_path_listener, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    unix_path_addr(&a, "listener");
    int l = plain(AF_UNIX, SOCK_STREAM);
    ASSERT_OK(sys::bind(l, a.raw, a.len));
    ASSERT_OK(sys::listen(l, 4));
    int c = unix_connect(a);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    char b = 0;
    EXPECT_RET(sys::write(int(s), "k", 1), 1);
    EXPECT_RET(sys::read(c, &b, 1), 1);
    EXPECT_EQ(b, 'k');
    EXPECT_TRUE(same_addr(name_of(c, true), a));
    sys::close(c);
    sys::close(int(s));
    sys::close(l);
}

// connect(2): no listener at the name is ECONNREFUSED, whether the name is
// bound by a non-listening socket or not bound at all (POSIX connect).
TEST(connect, unix_no_listener_econnrefused, NEGATIVE, PSE53) {
    Addr a, unused;
    int fd = bound(AF_UNIX, SOCK_STREAM, &a);
    abstract_name(&unused);
    int c = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ECONNREFUSED);
    EXPECT_ERR(sys::connect(c, unused.raw, unused.len), ECONNREFUSED);
    sys::close(c);
    sys::close(fd);
}

// connect(2): a path that does not exist is ENOENT; a path to a regular
// file is ECONNREFUSED on Linux (POSIX connect lists ENOENT; for a
// non-socket file Linux's unix_find_bsd returns ECONNREFUSED).
TEST(connect, unix_path_missing_or_not_socket, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    unix_path_addr(&a, "nothing");
    int c = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ENOENT);
    long f = sys::openat(kc::scratch_fd(), "nothing", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_OK(f);
    sys::close(int(f));
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ECONNREFUSED);
    sys::close(c);
}

struct TypePair {
    const char* label;
    int from, to;
};
constexpr TypePair kMismatch[] = {
    {"dgram_to_stream", SOCK_DGRAM, SOCK_STREAM},
    {"seqpacket_to_stream", SOCK_SEQPACKET, SOCK_STREAM},
    {"stream_to_seqpacket", SOCK_STREAM, SOCK_SEQPACKET},
    {"stream_to_dgram", SOCK_STREAM, SOCK_DGRAM},
};
// connect(2) on Linux: a name bound by a socket of another type is treated
// as absent: ECONNREFUSED (POSIX would allow EPROTOTYPE).
TEST_P(connect, unix_type_mismatch_econnrefused, NEGATIVE, LINUX, kMismatch) {
    Addr a;
    int target = bound(AF_UNIX, row.to, &a);
    if (row.to != SOCK_DGRAM) ASSERT_OK(sys::listen(target, 4));
    int c = plain(AF_UNIX, row.from);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ECONNREFUSED);
    sys::close(c);
    sys::close(target);
}

// connect(2): a connected stream socket cannot connect again: EISCONN
// (POSIX connect).
TEST(connect, unix_stream_connected_eisconn, NEGATIVE, PSE53) {
    Addr a;
    int l = listener(AF_UNIX, &a);
    int c = unix_connect(a);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), EISCONN);
    sys::close(c);
    sys::close(l);
}

// connect(2) on a listening AF_UNIX socket. Linux: EINVAL (POSIX would say
// EOPNOTSUPP).
TEST(connect, unix_listener_einval, NEGATIVE, LINUX) {
    Addr a, b;
    int l = listener(AF_UNIX, &a);
    int other = listener(AF_UNIX, &b);
    EXPECT_ERR(sys::connect(l, b.raw, b.len), EINVAL);
    sys::close(l);
    sys::close(other);
}

constexpr IntRow kBacklogs[] = {{"backlog=0", 0}, {"backlog=1", 1}, {"backlog=3", 3}};
// connect(2) on Linux: a listener queues backlog+1 unaccepted connections;
// then a nonblocking connect fails with EAGAIN (not EINPROGRESS: AF_UNIX
// connects complete at once), and accepting one makes room again.
TEST_P(connect, unix_backlog_full_eagain, BOUNDARY, LINUX, kBacklogs) {
    Addr a;
    int l = listener(AF_UNIX, &a, row.v);
    int c[5];
    int n = row.v + 1;
    for (int i = 0; i < n; ++i) c[i] = unix_connect(a, SOCK_STREAM, SOCK_NONBLOCK);
    int extra = plain(AF_UNIX, SOCK_STREAM, SOCK_NONBLOCK);
    EXPECT_ERR(sys::connect(extra, a.raw, a.len), EAGAIN);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    EXPECT_OK(sys::connect(extra, a.raw, a.len));
    sys::close(int(s));
    sys::close(extra);
    for (int i = 0; i < n; ++i) sys::close(c[i]);
    sys::close(l);
}

// connect(2) on a datagram socket sets the default destination: send()
// without an address reaches it, and the receiver sees the sender's name
// (POSIX connect, recvfrom).
TEST(connect, unix_dgram_sets_default_peer, POSITIVE, PSE53) {
    Addr ra, sa;
    int r = bound(AF_UNIX, SOCK_DGRAM, &ra);
    int s = bound(AF_UNIX, SOCK_DGRAM, &sa);
    ASSERT_OK(sys::connect(s, ra.raw, ra.len));
    EXPECT_TRUE(same_addr(name_of(s, true), ra));
    EXPECT_RET(sys::send(s, "dg", 2, 0), 2);
    char buf[8];
    Addr from{};
    from.len = sizeof from.raw;
    EXPECT_RET(sys::recvfrom(r, buf, sizeof buf, 0, from.raw, &from.len), 2);
    EXPECT_MEM_EQ(buf, "dg", 2);
    EXPECT_TRUE(same_addr(from, sa));
    sys::close(r);
    sys::close(s);
}

// connect(2) with AF_UNSPEC on a datagram socket removes the default peer
// (POSIX connect). Linux then fails send() without an address with ENOTCONN
// (POSIX lists EDESTADDRREQ too; UDP uses that one).
TEST(connect, unix_dgram_af_unspec_dissolves, POSITIVE, LINUX) {
    Addr ra;
    int r = bound(AF_UNIX, SOCK_DGRAM, &ra);
    int s = plain(AF_UNIX, SOCK_DGRAM);
    ASSERT_OK(sys::connect(s, ra.raw, ra.len));
    u16 unspec = AF_UNSPEC;
    EXPECT_OK(sys::connect(s, &unspec, sizeof unspec));
    EXPECT_ERR(sys::send(s, "x", 1, 0), ENOTCONN);
    Addr peer{};
    peer.len = sizeof peer.raw;
    EXPECT_ERR(sys::getpeername(s, peer.raw, &peer.len), ENOTCONN);
    sys::close(r);
    sys::close(s);
}

// sendto(2) on Linux: a datagram socket connected to another peer accepts
// datagrams only from that peer; others get EPERM (unix_may_send).
TEST(connect, unix_dgram_connected_rejects_others_eperm, NEGATIVE, LINUX) {
    Addr ra, pa;
    int r = bound(AF_UNIX, SOCK_DGRAM, &ra);
    int peer = bound(AF_UNIX, SOCK_DGRAM, &pa);
    ASSERT_OK(sys::connect(r, pa.raw, pa.len));
    int stranger = plain(AF_UNIX, SOCK_DGRAM);
    EXPECT_ERR(sys::sendto(stranger, "x", 1, 0, ra.raw, ra.len), EPERM);
    EXPECT_RET(sys::sendto(peer, "y", 1, 0, ra.raw, ra.len), 1);
    sys::close(r);
    sys::close(peer);
    sys::close(stranger);
}

// connect(2): an address length not valid for AF_UNIX is EINVAL (POSIX).
TEST_P(connect, unix_bad_addrlen_einval, NEGATIVE, PSE53, kBadUnixLens) {
    Addr a;
    int l = listener(AF_UNIX, &a);
    int c = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::connect(c, a.raw, row.v), EINVAL);
    sys::close(c);
    sys::close(l);
}
