// SPDX-License-Identifier: MIT
// AF_UNIX naming and connection set-up: bind (abstract names, autobind,
// filesystem names under the scratch directory), listen, connect, accept,
// accept4, getsockname and getpeername, with their exact Linux errnos.
// Not covered: permission checks on socket files (need a second user),
// SO_PEEK_OFF, unix OOB data, and the garbage collector of in-flight fds.
#include "rt/fmt.hpp"
#include "rt/sys_fs.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr int kSunPathOff = __builtin_offsetof(sockaddr_un, sun_path);

// A filesystem AF_UNIX address for scratch file `name`; skips when the
// scratch path does not fit in sun_path.
void path_addr(Addr* a, const char* name) {
    const char* p = kc::scratch_path(name);
    usize n = rt::strlen(p);
    if (n >= sizeof a->un.sun_path) kc::skip("scratch path too long for sun_path (108 bytes)");
    *a = Addr{};
    a->un.sun_family = AF_UNIX;
    for (usize i = 0; i < n; ++i) a->un.sun_path[i] = p[i];
    a->len = int(kSunPathOff + n + 1);
}

// Connects a new stream socket to `a`; returns it.
int connect_to(const Addr& a, int type = SOCK_STREAM, int flags = 0) {
    int c = plain(AF_UNIX, type, flags);
    ASSERT_OK(sys::connect(c, a.raw, a.len));
    return c;
}

}  // namespace

// bind(2) on Linux: an abstract name (sun_path[0] == 0) is bound as given,
// length included, and getsockname returns it byte for byte (unix(7)).
TEST(bind, unix_abstract_name_read_back, POSITIVE, LINUX) {
    Addr a;
    abstract_name(&a);
    int fd = plain(AF_UNIX, SOCK_STREAM);
    ASSERT_OK(sys::bind(fd, a.raw, a.len));
    EXPECT_TRUE(same_addr(name_of(fd), a));
    sys::close(fd);
}

// bind(2): a name in use by another socket is EADDRINUSE until that socket
// is closed (POSIX bind; abstract names are Linux).
TEST(bind, unix_abstract_in_use_eaddrinuse, NEGATIVE, LINUX) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_STREAM, &a);
    int other = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(other, a.raw, a.len), EADDRINUSE);
    sys::close(fd);
    EXPECT_OK(sys::bind(other, a.raw, a.len));  // released by close
    sys::close(other);
}

// bind(2) on Linux: the abstract namespace is per socket type: a stream and
// a datagram socket may hold the same abstract name (the name hash includes
// the type; net/unix/af_unix.c unix_abstract_hash).
TEST(bind, unix_abstract_name_per_type, BOUNDARY, LINUX) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_DGRAM, &a);
    int other = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_OK(sys::bind(other, a.raw, a.len));
    int third = plain(AF_UNIX, SOCK_DGRAM);
    EXPECT_ERR(sys::bind(third, a.raw, a.len), EADDRINUSE);
    sys::close(fd);
    sys::close(other);
    sys::close(third);
}

// bind(2) on Linux: addrlen == sizeof(sa_family_t) autobinds to an abstract
// name of five hex digits (unix(7) "Autobind feature").
TEST(bind, unix_autobind_five_hex_digits, BOUNDARY, LINUX) {
    int fd = plain(AF_UNIX, SOCK_DGRAM);
    u16 fam = AF_UNIX;
    ASSERT_OK(sys::bind(fd, &fam, sizeof fam));
    Addr a = name_of(fd);
    EXPECT_EQ(a.len, kSunPathOff + 6);
    EXPECT_EQ(a.un.sun_path[0], 0);
    for (int i = 1; i < 6; ++i) {
        char c = a.un.sun_path[i];
        EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    sys::close(fd);
}

// bind(2) on Linux: an abstract name may use all 107 bytes after the NUL;
// getsockname reports the full sizeof(sockaddr_un).
TEST(bind, unix_abstract_max_length, BOUNDARY, LINUX) {
    Addr a;
    abstract_name(&a);
    for (int i = a.len - kSunPathOff; i < 108; ++i) a.un.sun_path[i] = 'm';
    a.len = sizeof(sockaddr_un);
    int fd = plain(AF_UNIX, SOCK_STREAM);
    ASSERT_OK(sys::bind(fd, a.raw, a.len));
    Addr got = name_of(fd);
    EXPECT_EQ(got.len, int(sizeof(sockaddr_un)));
    EXPECT_TRUE(same_addr(got, a));
    sys::close(fd);
}

// bind(2): a socket that is already bound cannot be bound again: EINVAL
// (POSIX bind).
TEST(bind, unix_already_bound_einval, NEGATIVE, PSE53) {
    Addr a, b;
    int fd = bound(AF_UNIX, SOCK_STREAM, &a);
    abstract_name(&b);
    EXPECT_ERR(sys::bind(fd, b.raw, b.len), EINVAL);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EINVAL);
    sys::close(fd);
}

struct LenRow {
    const char* label;
    int len;
};
constexpr LenRow kBadUnixLens[] = {
    {"len=-1", -1},   {"len=0", 0},     {"len=1", 1},
    {"len=111", 111}, {"len=129", 129}, {"len=INT_MAX", INT_MAX},
};
// bind(2): an address length that is not valid for AF_UNIX is EINVAL (POSIX
// bind; Linux: shorter than sun_family, longer than sockaddr_un or than
// sockaddr_storage).
TEST_P(bind, unix_bad_addrlen_einval, NEGATIVE, PSE53, kBadUnixLens) {
    Addr a;
    abstract_name(&a);
    int fd = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(fd, a.raw, row.len), EINVAL);
    sys::close(fd);
}

constexpr LenRow kWrongFamilies[] = {
    {"family=AF_INET", AF_INET},
    {"family=AF_INET6", AF_INET6},
    {"family=AF_UNSPEC", AF_UNSPEC},
};
// bind(2) on an AF_UNIX socket with another sa_family. Linux: EINVAL
// (unix_validate_addr); POSIX suggests EAFNOSUPPORT.
TEST_P(bind, unix_wrong_family_einval, NEGATIVE, LINUX, kWrongFamilies) {
    Addr a;
    abstract_name(&a);
    a.family = u16(row.len);
    int fd = plain(AF_UNIX, SOCK_DGRAM);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EINVAL);
    sys::close(fd);
}

// bind(2): a filesystem name creates a socket file (S_IFSOCK) that
// getsockname reports; a second bind to it is EADDRINUSE even after the
// first socket is closed, until the file is removed (POSIX bind, unix(7)).
TEST(bind, unix_path_creates_socket_file, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    path_addr(&a, "sock");
    int fd = plain(AF_UNIX, SOCK_STREAM);
    ASSERT_OK(sys::bind(fd, a.raw, a.len));
    arch::Stat st{};
    ASSERT_OK(sys::newfstatat(kc::scratch_fd(), "sock", &st, 0));
    EXPECT_EQ(int(st.st_mode) & S_IFMT, S_IFSOCK);
    EXPECT_TRUE(same_addr(name_of(fd), a));
    int other = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(other, a.raw, a.len), EADDRINUSE);
    sys::close(fd);
    EXPECT_ERR(sys::bind(other, a.raw, a.len), EADDRINUSE);  // the file stays
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "sock", 0));
    EXPECT_OK(sys::bind(other, a.raw, a.len));
    sys::close(other);
}

// bind(2): a path naming an existing non-socket file is EADDRINUSE (POSIX
// bind: "The specified address is already in use").
TEST(bind, unix_path_existing_file_eaddrinuse, NEGATIVE, PSE53, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    path_addr(&a, "file");
    long f = sys::openat(kc::scratch_fd(), "file", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_OK(f);
    sys::close(int(f));
    int fd = plain(AF_UNIX, SOCK_DGRAM);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EADDRINUSE);
    sys::close(fd);
}

// bind(2): a path whose directory does not exist is ENOENT (POSIX bind).
TEST(bind, unix_path_missing_dir_enoent, NEGATIVE, PSE53, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    path_addr(&a, "nodir/sock");
    int fd = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), ENOENT);
    sys::close(fd);
}

// connect(2)/accept(2): a stream client reaches a listener by abstract name;
// data flows both ways; the client's peer name and the accepted socket's
// own name are the listener's name (POSIX connect, accept, getpeername).
TEST(connect, unix_stream_abstract_listener, POSITIVE, PSE53) {
    Addr a;
    int l = listener(AF_UNIX, &a);
    int c = connect_to(a);
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
    path_addr(&a, "listener");
    int l = plain(AF_UNIX, SOCK_STREAM);
    ASSERT_OK(sys::bind(l, a.raw, a.len));
    ASSERT_OK(sys::listen(l, 4));
    int c = connect_to(a);
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
    path_addr(&a, "nothing");
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
    int c = connect_to(a);
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

constexpr LenRow kBacklogs[] = {{"backlog=0", 0}, {"backlog=1", 1}, {"backlog=3", 3}};
// connect(2) on Linux: a listener queues backlog+1 unaccepted connections;
// then a nonblocking connect fails with EAGAIN (not EINPROGRESS: AF_UNIX
// connects complete at once), and accepting one makes room again.
TEST_P(connect, unix_backlog_full_eagain, BOUNDARY, LINUX, kBacklogs) {
    Addr a;
    int l = listener(AF_UNIX, &a, row.len);
    int c[5];
    int n = row.len + 1;
    for (int i = 0; i < n; ++i) c[i] = connect_to(a, SOCK_STREAM, SOCK_NONBLOCK);
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
    EXPECT_ERR(sys::connect(c, a.raw, row.len), EINVAL);
    sys::close(c);
    sys::close(l);
}

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

constexpr LenRow kBacklogValues[] = {
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
    ASSERT_OK(sys::listen(l, row.len));
    EXPECT_EQ(get_int(l, SOL_SOCKET, SO_ACCEPTCONN), 1);
    int c = connect_to(a, SOCK_STREAM, SOCK_NONBLOCK);
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
    int c = connect_to(a);
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
    int c = connect_to(a, SOCK_SEQPACKET);
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
    int c = connect_to(la);
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
    int c = connect_to(la);
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
    int c = connect_to(la);
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

constexpr LenRow kBadAcceptFlags[] = {
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
    int c = connect_to(la);
    EXPECT_ERR(sys::accept4(l, nullptr, nullptr, row.len), EINVAL);
    long s = sys::accept4(l, nullptr, nullptr, SOCK_NONBLOCK);
    EXPECT_OK(s);
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// getsockname(2) on an unbound AF_UNIX socket. Linux: only the family,
// length 2 (POSIX leaves the address unspecified).
TEST(getsockname, unix_unbound_family_only, BOUNDARY, LINUX) {
    int fd = plain(AF_UNIX, SOCK_STREAM);
    Addr a = name_of(fd);
    EXPECT_EQ(a.len, kSunPathOff);
    EXPECT_EQ(a.family, AF_UNIX);
    sys::close(fd);
}

// getpeername(2) on a socketpair end. Linux: the peer is unnamed: length 2.
TEST(getpeername, socketpair_unnamed_peer, BOUNDARY, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    Addr a = name_of(fds[0], true);
    EXPECT_EQ(a.len, kSunPathOff);
    EXPECT_EQ(a.family, AF_UNIX);
    close2(fds);
}

constexpr Kind kUnconnected[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kTcp6, kUdp6};
// getpeername(2) on a socket that is not connected: ENOTCONN (POSIX).
TEST_P(getpeername, unconnected_enotconn, NEGATIVE, PSE53, kUnconnected) {
    int fd = bound(row);
    Addr a{};
    a.len = sizeof a.raw;
    EXPECT_ERR(sys::getpeername(fd, a.raw, &a.len), ENOTCONN);
    sys::close(fd);
}

constexpr LenRow kTruncLens[] = {{"len=0", 0}, {"len=1", 1}, {"len=2", 2}, {"len=5", 5}};
// getsockname(2): a buffer shorter than the name gets only addrlen bytes
// (POSIX: the address is truncated); Linux sets *addrlen to the full length
// so that the caller can see the truncation.
TEST_P(getsockname, truncated_to_addrlen, BOUNDARY, LINUX, kTruncLens) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_DGRAM, &a);
    u8 buf[sizeof a.raw];
    for (u8& b : buf) b = 0xee;
    int len = row.len;
    ASSERT_OK(sys::getsockname(fd, buf, &len));
    EXPECT_EQ(len, a.len);
    EXPECT_MEM_EQ(buf, a.raw, usize(row.len));
    for (usize i = usize(row.len); i < sizeof buf; ++i) {
        if (buf[i] != 0xee) {
            ADD_FAILURE("getsockname wrote past addrlen");
            break;
        }
    }
    sys::close(fd);
}

// getsockname/getpeername(2): a negative *addrlen is EINVAL (Linux).
TEST(getsockname, negative_addrlen_einval, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    Addr a{};
    a.len = -1;
    EXPECT_ERR(sys::getsockname(fds[0], a.raw, &a.len), EINVAL);
    a.len = -1;
    EXPECT_ERR(sys::getpeername(fds[0], a.raw, &a.len), EINVAL);
    close2(fds);
}

// getsockname(2): an unwritable address or length pointer is EFAULT (POSIX
// leaves it undefined; Linux checks).
TEST(getsockname, bad_pointer_efault, NEGATIVE, LINUX) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_STREAM, &a);
    int len = sizeof a.raw;
    EXPECT_ERR(sys::getsockname(fd, reinterpret_cast<void*>(8), &len), EFAULT);
    EXPECT_ERR(sys::getsockname(fd, a.raw, reinterpret_cast<int*>(8)), EFAULT);
    sys::close(fd);
}
