// SPDX-License-Identifier: MIT
// Loopback TCP and UDP over IPv4 and IPv6: bind (kernel-chosen ports,
// EADDRINUSE, SO_REUSEADDR, bad lengths and families, non-local and
// privileged addresses), connect (nonblocking, refused, EISCONN, UDP default
// peers), listen's autobind, and the names of sockets (getsockname,
// getpeername, accept). Data transfer and shutdown: transfer.cpp.
// Only loopback addresses and ports the kernel assigns are used; tests skip
// when a family or the loopback interface is missing (net::need).
// Not covered: anything that leaves the host, multicast/broadcast,
// SO_REUSEPORT, IPv4-mapped IPv6 addresses, TCP timers and TIME_WAIT.
#include "rt/sys_poll.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kInet[] = {kTcp4, kUdp4, kTcp6, kUdp6};
constexpr Kind kTcp[] = {kTcp4, kTcp6};
constexpr Kind kUdp[] = {kUdp4, kUdp6};

}  // namespace

// bind(2) with port 0 gets a port chosen by the system; getsockname reports
// it with the bound loopback address (POSIX bind, getsockname; ip(7)).
TEST_P(bind, inet_port_zero_assigned, POSITIVE, PSE53, kInet) {
    Addr a;
    int fd = bound(row, &a);
    EXPECT_NE(port_of(a), 0);
    EXPECT_TRUE(is_loopback(a));
    EXPECT_EQ(a.len, row.family == AF_INET ? 16 : 28);
    sys::close(fd);
}

// bind(2) to an address and port in use by another socket, without
// SO_REUSEADDR: EADDRINUSE (POSIX bind).
TEST_P(bind, inet_port_in_use_eaddrinuse, NEGATIVE, PSE53, kInet) {
    Addr a;
    int fd = bound(row, &a);
    int other = plain(row.family, row.type);
    EXPECT_ERR(sys::bind(other, a.raw, a.len), EADDRINUSE);
    sys::close(fd);
    sys::close(other);
}

// bind(2) on a socket that is already bound: EINVAL (POSIX bind).
TEST_P(bind, inet_already_bound_einval, NEGATIVE, PSE53, kInet) {
    Addr a, b;
    int fd = bound(row, &a);
    loopback(row.family, &b);
    EXPECT_ERR(sys::bind(fd, b.raw, b.len), EINVAL);
    EXPECT_EQ(port_of(name_of(fd)), port_of(a));  // unchanged
    sys::close(fd);
}

struct LenRow {
    const char* label;
    int family, type, len;
};
constexpr LenRow kBadInetLens[] = {
    {"tcp4_len=0", AF_INET, SOCK_STREAM, 0},
    {"tcp4_len=15", AF_INET, SOCK_STREAM, 15},
    {"udp4_len=-1", AF_INET, SOCK_DGRAM, -1},
    {"udp4_len=129", AF_INET, SOCK_DGRAM, 129},
    {"tcp6_len=23", AF_INET6, SOCK_STREAM, 23},
    {"udp6_len=16", AF_INET6, SOCK_DGRAM, 16},
    {"tcp6_len=INT_MIN", AF_INET6, SOCK_STREAM, INT_MIN},
};
// bind(2) with an address length too short for the family (or negative, or
// beyond sockaddr_storage): EINVAL (POSIX bind).
TEST_P(bind, inet_bad_addrlen_einval, NEGATIVE, PSE53, kBadInetLens) {
    int fd = plain(row.family, row.type);
    Addr a;
    loopback(row.family, &a);
    EXPECT_ERR(sys::bind(fd, a.raw, row.len), EINVAL);
    sys::close(fd);
}

// bind(2) on AF_INET6 with the 24-byte RFC 2133 sockaddr_in6 (no scope id):
// accepted by Linux (SIN6_LEN_RFC2133), one byte less is EINVAL.
TEST(bind, inet6_rfc2133_length_accepted, BOUNDARY, LINUX) {
    int fd = plain(AF_INET6, SOCK_DGRAM);
    Addr a;
    loopback(AF_INET6, &a);
    EXPECT_ERR(sys::bind(fd, a.raw, 23), EINVAL);
    EXPECT_OK(sys::bind(fd, a.raw, 24));
    EXPECT_NE(port_of(name_of(fd)), 0);
    sys::close(fd);
}

struct FamRow {
    const char* label;
    int family, type, addr_family;
};
constexpr FamRow kFamilyMismatch[] = {
    {"tcp4_addr=AF_INET6", AF_INET, SOCK_STREAM, AF_INET6},
    {"udp4_addr=AF_UNIX", AF_INET, SOCK_DGRAM, AF_UNIX},
    {"tcp6_addr=AF_INET", AF_INET6, SOCK_STREAM, AF_INET},
    {"udp6_addr=AF_UNSPEC", AF_INET6, SOCK_DGRAM, AF_UNSPEC},
};
// bind(2) with an address of another family: EAFNOSUPPORT (POSIX bind: not
// a valid address for the socket's family). The length is that of a
// sockaddr_in6, valid for every family named: an AF_INET6 address shorter
// than 24 bytes is malformed, and an LSM that checks it first (SELinux)
// rightly says EINVAL.
TEST_P(bind, inet_family_mismatch_eafnosupport, NEGATIVE, PSE53, kFamilyMismatch) {
    int fd = plain(row.family, row.type);
    Addr a;
    loopback(row.family, &a);
    a.family = u16(row.addr_family);
    a.len = sizeof(sockaddr_in6);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EAFNOSUPPORT);
    sys::close(fd);
}

// bind(2) on AF_INET with sin_family AF_UNSPEC: Linux accepts it as AF_INET
// only for INADDR_ANY (compatibility), otherwise EAFNOSUPPORT.
TEST(bind, inet_af_unspec_only_for_any, BOUNDARY, LINUX) {
    int fd = plain(AF_INET, SOCK_DGRAM);
    Addr a;
    loopback(AF_INET, &a);
    a.family = AF_UNSPEC;
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EAFNOSUPPORT);
    a.in.sin_addr = INADDR_ANY;
    EXPECT_OK(sys::bind(fd, a.raw, a.len));
    Addr got = name_of(fd);
    EXPECT_EQ(got.family, AF_INET);
    EXPECT_NE(port_of(got), 0);
    sys::close(fd);
}

// bind(2) to an address that is not local (TEST-NET-1 192.0.2.1, or
// 2001:db8::1): EADDRNOTAVAIL (POSIX bind). Skipped when the host allows
// non-local binds (net.ipv4/ipv6.ip_nonlocal_bind), and when loopback is
// down (with no local routes at all, Linux lets any address bind). Nothing
// is sent.
TEST_P(bind, inet_nonlocal_eaddrnotavail, NEGATIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    const char* knob = row.family == AF_INET ? "/proc/sys/net/ipv4/ip_nonlocal_bind"
                                             : "/proc/sys/net/ipv6/ip_nonlocal_bind";
    if (proc_long(knob, 0) != 0) kc::skip("the host allows non-local binds (ip_nonlocal_bind)");
    int fd = plain(row.family, row.type);
    Addr a;
    loopback(row.family, &a);
    if (row.family == AF_INET) {
        a.in.sin_addr = hton32(0xc0000201);
    } else {
        a.in6.sin6_addr[0] = 0x20, a.in6.sin6_addr[1] = 0x01;
        a.in6.sin6_addr[2] = 0x0d, a.in6.sin6_addr[3] = 0xb8;
    }
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EADDRNOTAVAIL);
    sys::close(fd);
}

// bind(2) of an unprivileged process to port 1 (below
// net.ipv4.ip_unprivileged_port_start, 1024 by default): EACCES (POSIX
// bind: a protected address). Done in a child that drops every capability
// (CAP_NET_BIND_SERVICE, checked over the network namespace's owner); the
// bind is sure to fail, so no fixed port is ever taken.
TEST(bind, inet_privileged_port_eacces, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need(AF_INET);
    if (proc_long("/proc/sys/net/ipv4/ip_unprivileged_port_start", 1024) <= 1) {
        kc::skip("ip_unprivileged_port_start lets anyone bind port 1");
    }
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            long fd = sys::socket(AF_INET, SOCK_STREAM, 0);
            ASSERT_OK(fd);
            Addr a;
            loopback(AF_INET, &a, 1);
            EXPECT_ERR(sys::bind(int(fd), a.raw, a.len), EACCES);
            sys::close(int(fd));
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// bind(2) with SO_REUSEADDR on Linux: two TCP sockets that both set it may
// bind the same address and port while neither listens; only one can then
// listen (EADDRINUSE), and a listener's port stays taken (socket(7)).
TEST_P(bind, tcp_reuseaddr_shares_until_listen, BOUNDARY, LINUX, kTcp) {
    Addr a;
    int s1 = plain(row.family, SOCK_STREAM);
    int s2 = plain(row.family, SOCK_STREAM);
    int s3 = plain(row.family, SOCK_STREAM);
    set_int(s1, SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(s3, SOL_SOCKET, SO_REUSEADDR, 1);
    loopback(row.family, &a);
    ASSERT_OK(sys::bind(s1, a.raw, a.len));
    a = name_of(s1);
    EXPECT_OK(sys::bind(s2, a.raw, a.len));
    EXPECT_OK(sys::listen(s1, 1));
    EXPECT_ERR(sys::listen(s2, 1), EADDRINUSE);
    EXPECT_ERR(sys::bind(s3, a.raw, a.len), EADDRINUSE);
    sys::close(s1);
    sys::close(s2);
    sys::close(s3);
}

// bind(2) with SO_REUSEADDR set on both UDP sockets: both may bind the same
// address and port (socket(7)).
TEST_P(bind, udp_reuseaddr_shares_port, POSITIVE, LINUX, kUdp) {
    int s1 = plain(row.family, SOCK_DGRAM);
    int s2 = plain(row.family, SOCK_DGRAM);
    set_int(s1, SOL_SOCKET, SO_REUSEADDR, 1);
    set_int(s2, SOL_SOCKET, SO_REUSEADDR, 1);
    Addr a;
    loopback(row.family, &a);
    ASSERT_OK(sys::bind(s1, a.raw, a.len));
    a = name_of(s1);
    EXPECT_OK(sys::bind(s2, a.raw, a.len));
    EXPECT_EQ(port_of(name_of(s2)), port_of(a));
    sys::close(s1);
    sys::close(s2);
}

// connect(2) on a nonblocking TCP socket: it completes at once or fails with
// EINPROGRESS; the socket then becomes writable with SO_ERROR 0 and the
// connection carries data (POSIX connect).
TEST_P(connect, tcp_nonblocking_completes_writable, POSITIVE, PSE53, kTcp) {
    Addr a;
    int l = listener(row.family, &a);
    int c = plain(row.family, SOCK_STREAM, SOCK_NONBLOCK);
    long r = sys::connect(c, a.raw, a.len);
    if (r != 0) EXPECT_ERR(r, EINPROGRESS);
    EXPECT_EQ(poll1(c, POLLOUT, 2000) & (POLLOUT | POLLERR), POLLOUT);
    EXPECT_EQ(get_int(c, SOL_SOCKET, SO_ERROR), 0);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    EXPECT_RET(sys::send(c, "nb", 2, 0), 2);
    char buf[2];
    EXPECT_RET(sys::recv(int(s), buf, 2, MSG_WAITALL), 2);
    EXPECT_MEM_EQ(buf, "nb", 2);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// connect(2) on Linux: a nonblocking TCP connect over loopback always
// returns EINPROGRESS (the handshake is finished after the call); once the
// socket is writable, the next connect returns 0 once and later ones
// EISCONN (POSIX would have EISCONN at once).
TEST_P(connect, tcp_einprogress_then_zero_then_eisconn, BOUNDARY, LINUX, kTcp) {
    Addr a;
    int l = listener(row.family, &a);
    int c = plain(row.family, SOCK_STREAM, SOCK_NONBLOCK);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), EINPROGRESS);
    EXPECT_EQ(poll1(c, POLLOUT, 2000) & POLLOUT, POLLOUT);
    EXPECT_RET(sys::connect(c, a.raw, a.len), 0);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), EISCONN);
    sys::close(c);
    sys::close(l);
}

// connect(2) to a loopback port where no socket listens: ECONNREFUSED (POSIX
// connect). The port is held by a bound, non-listening socket, so no other
// process can take it meanwhile.
TEST_P(connect, tcp_refused_econnrefused, NEGATIVE, PSE53, kTcp) {
    need_lo_up(row.family);
    Addr a;
    int holder = bound(row, &a);
    int c = plain(row.family, SOCK_STREAM);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ECONNREFUSED);
    sys::close(c);
    sys::close(holder);
}

// connect(2) to a port that was bound and closed again (the kernel chose
// it; nobody listens): ECONNREFUSED (POSIX connect).
TEST_P(connect, tcp_closed_port_econnrefused, NEGATIVE, PSE53, kTcp) {
    need_lo_up(row.family);
    Addr a;
    int holder = bound(row, &a);
    sys::close(holder);
    int c = plain(row.family, SOCK_STREAM);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), ECONNREFUSED);
    sys::close(c);
}

// connect(2) nonblocking to a refused port: the failure is reported either
// at once or through poll and SO_ERROR (ECONNREFUSED), and reading SO_ERROR
// clears it (POSIX connect, getsockopt SO_ERROR).
TEST_P(connect, tcp_nonblocking_refused_so_error, NEGATIVE, PSE53, kTcp) {
    need_lo_up(row.family);
    Addr a;
    int holder = bound(row, &a);
    int c = plain(row.family, SOCK_STREAM, SOCK_NONBLOCK);
    long r = sys::connect(c, a.raw, a.len);
    if (r != -ECONNREFUSED) {
        EXPECT_ERR(r, EINPROGRESS);
        EXPECT_NE(poll1(c, POLLOUT, 2000) & (POLLERR | POLLHUP), 0);
        EXPECT_EQ(get_int(c, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
    }
    EXPECT_EQ(get_int(c, SOL_SOCKET, SO_ERROR), 0);
    sys::close(c);
    sys::close(holder);
}

// connect(2) on a connected TCP socket: EISCONN (POSIX connect).
TEST_P(connect, tcp_connected_eisconn, NEGATIVE, PSE53, kTcp) {
    Addr a;
    int l = listener(row.family, &a);
    int c = plain(row.family, SOCK_STREAM);
    ASSERT_OK(sys::connect(c, a.raw, a.len));
    EXPECT_ERR(sys::connect(c, a.raw, a.len), EISCONN);
    sys::close(c);
    sys::close(l);
}

// connect(2) on a listening TCP socket. Linux: EISCONN; POSIX says
// EOPNOTSUPP ("the socket is listening and cannot be connected").
TEST_P(connect, tcp_listener_eisconn, NEGATIVE, LINUX, kTcp) {
    Addr a, b;
    int l = listener(row.family, &a);
    int other = listener(row.family, &b);
    EXPECT_ERR(sys::connect(l, b.raw, b.len), EISCONN);
    sys::close(l);
    sys::close(other);
}

constexpr LenRow kShortConnectLens[] = {
    {"tcp4_len=15", AF_INET, SOCK_STREAM, 15},  {"udp4_len=15", AF_INET, SOCK_DGRAM, 15},
    {"tcp6_len=23", AF_INET6, SOCK_STREAM, 23}, {"udp6_len=23", AF_INET6, SOCK_DGRAM, 23},
    {"tcp4_len=1", AF_INET, SOCK_STREAM, 1},    {"udp6_len=-1", AF_INET6, SOCK_DGRAM, -1},
};
// connect(2) with an address length too short for the family: EINVAL (POSIX
// connect).
TEST_P(connect, inet_bad_addrlen_einval, NEGATIVE, PSE53, kShortConnectLens) {
    Addr a;
    int holder = bound(row.family, row.type, &a);
    int c = plain(row.family, row.type);
    EXPECT_ERR(sys::connect(c, a.raw, row.len), EINVAL);
    sys::close(c);
    sys::close(holder);
}

constexpr FamRow kConnectMismatch[] = {
    {"tcp4_addr=AF_INET6", AF_INET, SOCK_STREAM, AF_INET6},
    {"udp4_addr=AF_INET6", AF_INET, SOCK_DGRAM, AF_INET6},
    {"tcp6_addr=AF_UNIX", AF_INET6, SOCK_STREAM, AF_UNIX},
    {"udp6_addr=AF_UNIX", AF_INET6, SOCK_DGRAM, AF_UNIX},
};
// connect(2) with an address of a foreign family: EAFNOSUPPORT (POSIX
// connect). Full sockaddr_in6 length, as for bind above.
TEST_P(connect, inet_family_mismatch_eafnosupport, NEGATIVE, PSE53, kConnectMismatch) {
    Addr a;
    int holder = bound(row.family, row.type, &a);
    a.family = u16(row.addr_family);
    a.len = sizeof(sockaddr_in6);
    int c = plain(row.family, row.type);
    EXPECT_ERR(sys::connect(c, a.raw, a.len), EAFNOSUPPORT);
    sys::close(c);
    sys::close(holder);
}

// connect(2) on UDP sets the default destination: send() without an address
// reaches it, the receiver sees the sender's address, getpeername reports
// the peer (POSIX connect, recvfrom, getpeername).
TEST_P(connect, udp_sets_default_peer, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra, sa;
    int r = bound(row, &ra);
    int s = bound(row, &sa);
    ASSERT_OK(sys::connect(s, ra.raw, ra.len));
    EXPECT_TRUE(same_addr(name_of(s, true), ra));
    EXPECT_RET(sys::send(s, "udp", 3, 0), 3);
    char buf[8];
    Addr from{};
    from.len = sizeof from.raw;
    EXPECT_RET(sys::recvfrom(r, buf, sizeof buf, 0, from.raw, &from.len), 3);
    EXPECT_MEM_EQ(buf, "udp", 3);
    EXPECT_TRUE(same_addr(from, sa));
    sys::close(r);
    sys::close(s);
}

// connect(2) on UDP limits the sources received to the peer: a datagram
// from a third socket is not delivered (POSIX connect: "limits the remote
// sender for subsequent recv() functions").
TEST_P(connect, udp_filters_other_senders, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra, pa, xa;
    int r = bound(row, &ra);
    int peer = bound(row, &pa);
    int stranger = bound(row, &xa);
    ASSERT_OK(sys::connect(r, pa.raw, pa.len));
    EXPECT_RET(sys::sendto(stranger, "bad", 3, 0, ra.raw, ra.len), 3);
    EXPECT_RET(sys::sendto(peer, "good", 4, 0, ra.raw, ra.len), 4);
    ASSERT_NE(poll1(r, POLLIN, 2000), 0);
    char buf[8];
    EXPECT_RET(sys::recv(r, buf, sizeof buf, MSG_DONTWAIT), 4);
    EXPECT_MEM_EQ(buf, "good", 4);
    EXPECT_ERR(sys::recv(r, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    sys::close(r);
    sys::close(peer);
    sys::close(stranger);
}

// connect(2) with AF_UNSPEC dissolves a UDP association: getpeername is then
// ENOTCONN and send() without an address EDESTADDRREQ (POSIX connect, send).
TEST_P(connect, udp_af_unspec_dissolves, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra;
    int r = bound(row, &ra);
    int s = plain(row.family, SOCK_DGRAM);
    ASSERT_OK(sys::connect(s, ra.raw, ra.len));
    Addr unspec{};
    unspec.family = AF_UNSPEC;
    EXPECT_OK(sys::connect(s, unspec.raw, ra.len));
    Addr p{};
    p.len = sizeof p.raw;
    EXPECT_ERR(sys::getpeername(s, p.raw, &p.len), ENOTCONN);
    EXPECT_ERR(sys::send(s, "x", 1, 0), EDESTADDRREQ);
    sys::close(r);
    sys::close(s);
}

// connect(2) binds an unbound socket to a local address: afterwards
// getsockname gives the loopback address and a non-zero port (POSIX connect).
TEST_P(connect, inet_autobinds_local_address, POSITIVE, PSE53, kInet) {
    need_lo_up(row.family);
    Addr ra;
    int r = row.type == SOCK_STREAM ? listener(row.family, &ra) : bound(row, &ra);
    int c = plain(row.family, row.type);
    ASSERT_OK(sys::connect(c, ra.raw, ra.len));
    Addr me = name_of(c);
    EXPECT_TRUE(is_loopback(me));
    EXPECT_NE(port_of(me), 0);
    sys::close(c);
    sys::close(r);
}

// getsockname(2) on an unbound inet socket: the family with the wildcard
// address and port 0, full length (Linux; POSIX leaves it unspecified).
TEST_P(getsockname, inet_unbound_wildcard, BOUNDARY, LINUX, kInet) {
    int fd = plain(row.family, row.type);
    Addr got = name_of(fd);
    Addr want{};
    want.family = u16(row.family);
    want.len = row.family == AF_INET ? 16 : 28;
    EXPECT_TRUE(same_addr(got, want));
    sys::close(fd);
}

// listen(2) on an unbound TCP socket binds it to the wildcard address and
// an ephemeral port (Linux inet_autobind; POSIX allows EDESTADDRREQ).
TEST_P(listen, tcp_unbound_autobinds, BOUNDARY, LINUX, kTcp) {
    int fd = plain(row.family, SOCK_STREAM);
    ASSERT_OK(sys::listen(fd, 1));
    EXPECT_NE(port_of(name_of(fd)), 0);
    sys::close(fd);
}

// getpeername(2) on both ends of a TCP connection: the client's peer is the
// listener's address, the accepted socket's peer is the client's own name,
// and accept returns the same address (POSIX getpeername, accept).
TEST_P(getpeername, tcp_both_ends_match, POSITIVE, PSE53, kTcp) {
    Addr la;
    int l = listener(row.family, &la);
    int c = plain(row.family, SOCK_STREAM);
    ASSERT_OK(sys::connect(c, la.raw, la.len));
    Addr from{};
    from.len = sizeof from.raw;
    long s = sys::accept(l, from.raw, &from.len);
    ASSERT_OK(s);
    Addr cname = name_of(c);
    EXPECT_TRUE(same_addr(name_of(c, true), la));
    EXPECT_TRUE(same_addr(name_of(int(s), true), cname));
    EXPECT_TRUE(same_addr(from, cname));
    EXPECT_TRUE(same_addr(name_of(int(s)), la));
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// accept(2) with *addrlen smaller than the address: only addrlen bytes are
// written and *addrlen is set to the full length (POSIX truncation; the
// returned length is Linux).
TEST_P(accept, inet_addrlen_truncated, BOUNDARY, LINUX, kTcp) {
    Addr la;
    int l = listener(row.family, &la);
    int c = plain(row.family, SOCK_STREAM);
    ASSERT_OK(sys::connect(c, la.raw, la.len));
    u8 buf[32];
    for (u8& b : buf) b = 0xee;
    int len = 4;
    long s = sys::accept(l, buf, &len);
    ASSERT_OK(s);
    Addr cname = name_of(c);
    EXPECT_EQ(len, cname.len);
    EXPECT_MEM_EQ(buf, cname.raw, 4);
    EXPECT_EQ(buf[4], 0xee);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}
