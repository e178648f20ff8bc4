// SPDX-License-Identifier: MIT
// AF_UNIX naming: bind (abstract names, autobind, filesystem names under
// the scratch directory), getsockname and getpeername, with their exact
// Linux errnos. Connection set-up is in unix_connect.cpp (connect) and
// unix_listen.cpp (listen, accept, accept4).
// Not covered in any of the three: permission checks on socket files (need a second user),
// SO_PEEK_OFF, unix OOB data, and the garbage collector of in-flight fds.
#include "rt/sys_fs.hpp"
#include "tests/socket/net.hpp"

using namespace net;

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

// bind(2): an address length that is not valid for AF_UNIX is EINVAL (POSIX
// bind; Linux: shorter than sun_family, longer than sockaddr_un or than
// sockaddr_storage).
TEST_P(bind, unix_bad_addrlen_einval, NEGATIVE, PSE53, kBadUnixLens) {
    Addr a;
    abstract_name(&a);
    int fd = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(fd, a.raw, row.v), EINVAL);
    sys::close(fd);
}

constexpr IntRow kWrongFamilies[] = {
    {"family=AF_INET", AF_INET},
    {"family=AF_INET6", AF_INET6},
    {"family=AF_UNSPEC", AF_UNSPEC},
};
// bind(2) on an AF_UNIX socket with another sa_family. Linux: EINVAL
// (unix_validate_addr); POSIX suggests EAFNOSUPPORT.
TEST_P(bind, unix_wrong_family_einval, NEGATIVE, LINUX, kWrongFamilies) {
    Addr a;
    abstract_name(&a);
    a.family = u16(row.v);
    int fd = plain(AF_UNIX, SOCK_DGRAM);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), EINVAL);
    sys::close(fd);
}

// bind(2): a filesystem name creates a socket file (S_IFSOCK) that
// getsockname reports; a second bind to it is EADDRINUSE even after the
// first socket is closed, until the file is removed (POSIX bind, unix(7)).
TEST(bind, unix_path_creates_socket_file, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH) {
    Addr a;
    unix_path_addr(&a, "sock");
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
    unix_path_addr(&a, "file");
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
    unix_path_addr(&a, "nodir/sock");
    int fd = plain(AF_UNIX, SOCK_STREAM);
    EXPECT_ERR(sys::bind(fd, a.raw, a.len), ENOENT);
    sys::close(fd);
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

constexpr IntRow kTruncLens[] = {{"len=0", 0}, {"len=1", 1}, {"len=2", 2}, {"len=5", 5}};
// getsockname(2): a buffer shorter than the name gets only addrlen bytes
// (POSIX: the address is truncated); Linux sets *addrlen to the full length
// so that the caller can see the truncation.
TEST_P(getsockname, truncated_to_addrlen, BOUNDARY, LINUX, kTruncLens) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_DGRAM, &a);
    u8 buf[sizeof a.raw];
    for (u8& b : buf) b = 0xee;
    int len = row.v;
    ASSERT_OK(sys::getsockname(fd, buf, &len));
    EXPECT_EQ(len, a.len);
    EXPECT_MEM_EQ(buf, a.raw, usize(row.v));
    for (usize i = usize(row.v); i < sizeof buf; ++i) {
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
