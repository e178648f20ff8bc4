// SPDX-License-Identifier: MIT
// socket(2) and socketpair(2): creation of AF_UNIX stream/datagram/seqpacket
// and loopback AF_INET/AF_INET6 TCP/UDP sockets, the exact errnos for bad
// families, types, protocols and flags, SOCK_CLOEXEC/SOCK_NONBLOCK, fd
// allocation and exhaustion (EMFILE), and 10,000-iteration leak checks.
// Not covered: raw and packet sockets (need CAP_NET_RAW), families other than
// unix/inet/inet6, protocols that a module might provide (SCTP, MPTCP), and
// ENFILE (system-wide exhaustion would disturb the host).
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kAllKinds[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kTcp6, kUdp6};

// Sends one byte each way over a connected pair and checks it arrives.
void exchange(const int fds[2]) {
    char c = 0;
    ASSERT_RET(sys::write(fds[0], "a", 1), 1);
    ASSERT_RET(sys::read(fds[1], &c, 1), 1);
    EXPECT_EQ(c, 'a');
    ASSERT_RET(sys::write(fds[1], "b", 1), 1);
    ASSERT_RET(sys::read(fds[0], &c, 1), 1);
    EXPECT_EQ(c, 'b');
}

void expect_fd_flags(int fd, int flags) {
    EXPECT_EQ(sys::fcntl(fd, F_GETFD) & FD_CLOEXEC, (flags & SOCK_CLOEXEC) ? FD_CLOEXEC : 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_NONBLOCK, flags & SOCK_NONBLOCK);
}

}  // namespace

// socket(2): each supported family/type pair creates a socket fd whose
// SO_TYPE is the requested type and which fstat reports as S_IFSOCK.
TEST_P(socket, creates_requested_kind, POSITIVE, PSE53, kAllKinds) {
    need(row.family);
    long fd = sys::socket(row.family, row.type, 0);
    ASSERT_OK(fd);
    EXPECT_EQ(get_int(int(fd), SOL_SOCKET, SO_TYPE), row.type);
    arch::Stat st{};
    EXPECT_OK(sys::fstat(int(fd), &st));
    EXPECT_EQ(int(st.st_mode) & S_IFMT, S_IFSOCK);
    sys::close(int(fd));
}

struct ProtoRow {
    const char* label;
    int family, type, proto, want_proto;
};
constexpr ProtoRow kProtoRows[] = {
    {"unix_proto=PF_UNIX", AF_UNIX, SOCK_STREAM, 1, 0},
    {"tcp4_proto=0", AF_INET, SOCK_STREAM, 0, IPPROTO_TCP},
    {"tcp4_proto=TCP", AF_INET, SOCK_STREAM, IPPROTO_TCP, IPPROTO_TCP},
    {"udp4_proto=0", AF_INET, SOCK_DGRAM, 0, IPPROTO_UDP},
    {"udp4_proto=UDP", AF_INET, SOCK_DGRAM, IPPROTO_UDP, IPPROTO_UDP},
    {"tcp6_proto=TCP", AF_INET6, SOCK_STREAM, IPPROTO_TCP, IPPROTO_TCP},
    {"udp6_proto=0", AF_INET6, SOCK_DGRAM, 0, IPPROTO_UDP},
};
// socket(2): protocol 0 picks the family's default protocol, an explicit one
// is accepted; SO_DOMAIN and SO_PROTOCOL (Linux socket(7)) report them.
// AF_UNIX accepts protocol PF_UNIX (1) and reports 0.
TEST_P(socket, protocol_and_domain_reported, POSITIVE, LINUX, kProtoRows) {
    need(row.family);
    long fd = sys::socket(row.family, row.type, row.proto);
    ASSERT_OK(fd);
    EXPECT_EQ(get_int(int(fd), SOL_SOCKET, SO_DOMAIN), row.family);
    EXPECT_EQ(get_int(int(fd), SOL_SOCKET, SO_PROTOCOL), row.want_proto);
    sys::close(int(fd));
}

constexpr IntRow kBadFamilies[] = {
    {"family=-1", -1},     {"family=AF_UNSPEC", AF_UNSPEC}, {"family=46", 46},
    {"family=1000", 1000}, {"family=INT_MAX", INT_MAX},
};
// socket(2): an address family the system does not support is EAFNOSUPPORT
// (POSIX socket; Linux checks family < 0 || family >= AF_MAX first).
TEST_P(socket, bad_family_eafnosupport, NEGATIVE, PSE53, kBadFamilies) {
    EXPECT_ERR(sys::socket(row.v, SOCK_STREAM, 0), EAFNOSUPPORT);
}

struct ErrRow {
    const char* label;
    int family, type, proto, err;
};
constexpr ErrRow kBadTypes[] = {
    {"type=-1", AF_UNIX, -1, 0, EINVAL},
    {"type=SOCK_MAX", AF_UNIX, 11, 0, EINVAL},
    {"type=15", AF_UNIX, 15, 0, EINVAL},
    {"unknown_flag=0x10", AF_UNIX, SOCK_STREAM | 0x10, 0, EINVAL},
    {"unknown_flag=0x100000", AF_UNIX, SOCK_STREAM | 0x100000, 0, EINVAL},
    {"unix_type=0", AF_UNIX, 0, 0, ESOCKTNOSUPPORT},
    {"unix_type=SOCK_RDM", AF_UNIX, SOCK_RDM, 0, ESOCKTNOSUPPORT},
    {"unix_type=SOCK_PACKET", AF_UNIX, SOCK_PACKET, 0, ESOCKTNOSUPPORT},
    {"inet_type=0", AF_INET, 0, 0, ESOCKTNOSUPPORT},
    {"inet_type=SOCK_RDM", AF_INET, SOCK_RDM, 0, ESOCKTNOSUPPORT},
    {"inet6_type=0", AF_INET6, 0, 0, ESOCKTNOSUPPORT},
};
// socket(2) on Linux: a type outside [0, SOCK_MAX) or a flag other than
// SOCK_CLOEXEC/SOCK_NONBLOCK in the type word is EINVAL; a type in range that
// the family does not implement is ESOCKTNOSUPPORT. POSIX names EPROTOTYPE
// for an unsupported type; Linux does not use it here.
TEST_P(socket, bad_type_exact_errno, NEGATIVE, LINUX, kBadTypes) {
    need(row.family);
    EXPECT_ERR(sys::socket(row.family, row.type, row.proto), row.err);
}

constexpr ErrRow kBadProtocols[] = {
    {"unix_stream_proto=2", AF_UNIX, SOCK_STREAM, 2, EPROTONOSUPPORT},
    {"unix_dgram_proto=-1", AF_UNIX, SOCK_DGRAM, -1, EPROTONOSUPPORT},
    {"unix_seqpacket_proto=6", AF_UNIX, SOCK_SEQPACKET, IPPROTO_TCP, EPROTONOSUPPORT},
    {"tcp4_proto=UDP", AF_INET, SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT},
    {"udp4_proto=TCP", AF_INET, SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT},
    {"tcp6_proto=UDP", AF_INET6, SOCK_STREAM, IPPROTO_UDP, EPROTONOSUPPORT},
    {"udp6_proto=TCP", AF_INET6, SOCK_DGRAM, IPPROTO_TCP, EPROTONOSUPPORT},
};
// socket(2): a protocol the family/type does not provide is EPROTONOSUPPORT
// (POSIX socket).
TEST_P(socket, bad_protocol_eprotonosupport, NEGATIVE, PSE53, kBadProtocols) {
    need(row.family);
    EXPECT_ERR(sys::socket(row.family, row.type, row.proto), row.err);
}

constexpr ErrRow kOutOfRangeProtocols[] = {
    {"tcp4_proto=-1", AF_INET, SOCK_STREAM, -1, EINVAL},
    {"tcp4_proto=IPPROTO_MAX", AF_INET, SOCK_STREAM, 263, EINVAL},
    {"udp4_proto=INT_MIN", AF_INET, SOCK_DGRAM, INT_MIN, EINVAL},
    {"udp6_proto=INT_MAX", AF_INET6, SOCK_DGRAM, INT_MAX, EINVAL},
};
// socket(2) on Linux: an inet protocol number outside [0, IPPROTO_MAX) is
// EINVAL, not EPROTONOSUPPORT (net/ipv4/af_inet.c inet_create).
TEST_P(socket, inet_protocol_out_of_range_einval, NEGATIVE, LINUX, kOutOfRangeProtocols) {
    need(row.family);
    EXPECT_ERR(sys::socket(row.family, row.type, row.proto), row.err);
}

struct FlagRow {
    const char* label;
    int family, type, flags;
};
constexpr FlagRow kFlagRows[] = {
    {"unix_stream_none", AF_UNIX, SOCK_STREAM, 0},
    {"unix_stream_cloexec", AF_UNIX, SOCK_STREAM, SOCK_CLOEXEC},
    {"unix_dgram_nonblock", AF_UNIX, SOCK_DGRAM, SOCK_NONBLOCK},
    {"unix_seqpacket_both", AF_UNIX, SOCK_SEQPACKET, SOCK_CLOEXEC | SOCK_NONBLOCK},
    {"udp4_both", AF_INET, SOCK_DGRAM, SOCK_CLOEXEC | SOCK_NONBLOCK},
    {"tcp6_nonblock", AF_INET6, SOCK_STREAM, SOCK_NONBLOCK},
};
// socket(2): SOCK_CLOEXEC sets FD_CLOEXEC and SOCK_NONBLOCK sets O_NONBLOCK
// on the new fd; without them neither is set (POSIX.1-2024 socket).
TEST_P(socket, type_flags_reflected, POSITIVE, PSE53, kFlagRows) {
    need(row.family);
    long fd = sys::socket(row.family, row.type | row.flags, 0);
    ASSERT_OK(fd);
    expect_fd_flags(int(fd), row.flags);
    EXPECT_EQ(get_int(int(fd), SOL_SOCKET, SO_TYPE), row.type);  // flags not in SO_TYPE
    sys::close(int(fd));
}

// socket(2): SOCK_NONBLOCK makes a receive on an empty socket fail with
// EAGAIN instead of blocking (POSIX.1-2024 socket, recv).
TEST(socket, nonblock_flag_makes_recv_eagain, POSITIVE, PSE53) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_DGRAM, &a, SOCK_NONBLOCK);
    char c;
    EXPECT_ERR(sys::recv(fd, &c, 1, 0), EAGAIN);
    sys::close(fd);
}

// socket(2): the new fd is the lowest one not open (POSIX 2.14).
TEST(socket, returns_lowest_free_fd, POSITIVE, PSE53) {
    long a = sys::socket(AF_UNIX, SOCK_STREAM, 0);
    long b = sys::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_OK(a);
    ASSERT_OK(b);
    ASSERT_LT(a, b);
    sys::close(int(a));
    EXPECT_RET(sys::socket(AF_UNIX, SOCK_DGRAM, 0), a);
    sys::close(int(a));
    sys::close(int(b));
}

// socket(2) on Linux: an AF_UNIX SOCK_RAW socket is created as SOCK_DGRAM
// (net/unix/af_unix.c unix_create).
TEST(socket, unix_raw_becomes_dgram, BOUNDARY, LINUX) {
    long fd = sys::socket(AF_UNIX, SOCK_RAW, 0);
    ASSERT_OK(fd);
    EXPECT_EQ(get_int(int(fd), SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    sys::close(int(fd));
}

// read/write on an unconnected AF_UNIX stream socket. Linux: read is EINVAL
// and write is ENOTCONN; POSIX (recv, send) says ENOTCONN for both.
TEST(socket, unconnected_unix_stream_io, NEGATIVE, LINUX) {
    long fd = sys::socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_OK(fd);
    char c;
    EXPECT_ERR(sys::read(int(fd), &c, 1), EINVAL);
    EXPECT_ERR(sys::write(int(fd), "x", 1), ENOTCONN);
    sys::close(int(fd));
}

// recv/send on an unconnected TCP socket. Linux: recv is ENOTCONN, send is
// EPIPE (tcp_sendmsg -> sk_stream_wait_connect), where POSIX says ENOTCONN.
TEST(socket, unconnected_tcp_io, NEGATIVE, LINUX) {
    need(AF_INET);
    long fd = sys::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_OK(fd);
    char c;
    EXPECT_ERR(sys::recv(int(fd), &c, 1, 0), ENOTCONN);
    EXPECT_ERR(sys::send(int(fd), "x", 1, MSG_NOSIGNAL), EPIPE);
    sys::close(int(fd));
}

// socket(2): create/close cycles leak nothing; the next socket gets the same
// fd number as the first and still works. The loop crosses RLIMIT_NOFILE,
// lowered to 64 above the lowest free fd, four times over: a leaked
// descriptor fails it with EMFILE (or a wrong number) within it.
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(socket, create_close_10000_no_leak, BOUNDARY, PSE53) {
    common::limit_fd_room();
    long first = sys::socket(AF_UNIX, SOCK_DGRAM, 0);
    ASSERT_OK(first);
    sys::close(int(first));
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        long fd = sys::socket(AF_UNIX, i & 1 ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (fd != first) ASSERT_RET(fd, first);
        sys::close(int(fd));
    }
    int fds[2];
    long fd = sys::socket(AF_UNIX, SOCK_DGRAM, 0);
    EXPECT_RET(fd, first);
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    exchange(fds);
    close2(fds);
    sys::close(int(fd));
}

// socket(2): loopback TCP/UDP sockets created and closed leak nothing. The
// loop crosses RLIMIT_NOFILE, lowered to 64 above the lowest free fd, four
// times over: a leaked descriptor fails it with EMFILE (or a wrong number).
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(socket, inet_create_close_10000_no_leak, BOUNDARY, PSE53) {
    need(AF_INET);
    common::limit_fd_room();
    long first = sys::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_OK(first);
    sys::close(int(first));
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        long fd = sys::socket(AF_INET, i & 1 ? SOCK_STREAM : SOCK_DGRAM, 0);
        if (fd != first) ASSERT_RET(fd, first);
        sys::close(int(fd));
    }
    EXPECT_RET(sys::socket(AF_INET, SOCK_STREAM, 0), first);
    sys::close(int(first));
    int fds[2];
    stream_pair(AF_INET, fds);
    exchange(fds);
    close2(fds);
}

// socket(2), socketpair(2): with RLIMIT_NOFILE reached, creation fails with
// EMFILE; socketpair with one free slot also fails and leaves no fd behind.
// Done in a child: the lowered limit dies with it.
TEST(socket, fd_limit_emfile, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            long probe = sys::socket(AF_UNIX, SOCK_DGRAM, 0);  // the lowest free fd
            ASSERT_OK(probe);
            rlimit64 old{}, lim{};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &old));
            lim = old;
            lim.rlim_cur = u64(probe) + 1;  // fds 0..probe allowed: one free slot after close
            sys::close(int(probe));
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, &lim, nullptr));
            int fds[2] = {-1, -1};
            EXPECT_ERR(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), EMFILE);
            long s = sys::socket(AF_UNIX, SOCK_STREAM, 0);
            EXPECT_RET(s, probe);  // the failed socketpair kept nothing
            EXPECT_ERR(sys::socket(AF_UNIX, SOCK_STREAM, 0), EMFILE);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

constexpr Kind kUnixKinds[] = {kUnixStream, kUnixDgram, kUnixSeq};
// socketpair(2): AF_UNIX stream, datagram and seqpacket pairs are connected
// to each other both ways and report the requested SO_TYPE.
TEST_P(socketpair, unix_pair_connected_both_ways, POSITIVE, PSE53, kUnixKinds) {
    int fds[2] = {-1, -1};
    ASSERT_OK(sys::socketpair(AF_UNIX, row.type, 0, fds));
    EXPECT_NE(fds[0], fds[1]);
    exchange(fds);
    EXPECT_EQ(get_int(fds[0], SOL_SOCKET, SO_TYPE), row.type);
    EXPECT_EQ(get_int(fds[1], SOL_SOCKET, SO_TYPE), row.type);
    close2(fds);
}

constexpr IntRow kPairFlags[] = {
    {"none", 0},
    {"cloexec", SOCK_CLOEXEC},
    {"nonblock", SOCK_NONBLOCK},
    {"both", SOCK_CLOEXEC | SOCK_NONBLOCK},
};
// socketpair(2): SOCK_CLOEXEC/SOCK_NONBLOCK apply to both new fds
// (POSIX.1-2024 socketpair).
TEST_P(socketpair, type_flags_reflected, POSITIVE, PSE53, kPairFlags) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM | row.v, 0, fds));
    expect_fd_flags(fds[0], row.v);
    expect_fd_flags(fds[1], row.v);
    char c;
    if (row.v & SOCK_NONBLOCK) EXPECT_ERR(sys::read(fds[0], &c, 1), EAGAIN);
    close2(fds);
}

constexpr Kind kInetKinds[] = {kTcp4, kUdp4, kTcp6, kUdp6};
// socketpair(2): TCP and UDP do not permit socket pairs: EOPNOTSUPP (POSIX
// socketpair).
TEST_P(socketpair, inet_eopnotsupp, NEGATIVE, PSE53, kInetKinds) {
    need(row.family);
    int fds[2] = {-1, -1};
    EXPECT_ERR(sys::socketpair(row.family, row.type, 0, fds), EOPNOTSUPP);
}

// socketpair(2): an unsupported family is EAFNOSUPPORT (POSIX socketpair).
TEST_P(socketpair, bad_family_eafnosupport, NEGATIVE, PSE53, kBadFamilies) {
    int fds[2];
    EXPECT_ERR(sys::socketpair(row.v, SOCK_STREAM, 0, fds), EAFNOSUPPORT);
}

constexpr ErrRow kPairBad[] = {
    {"type=-1", AF_UNIX, -1, 0, EINVAL},
    {"type=SOCK_MAX", AF_UNIX, 11, 0, EINVAL},
    {"unknown_flag=0x40", AF_UNIX, SOCK_STREAM | 0x40, 0, EINVAL},
    {"type=0", AF_UNIX, 0, 0, ESOCKTNOSUPPORT},
    {"type=SOCK_RDM", AF_UNIX, SOCK_RDM, 0, ESOCKTNOSUPPORT},
    {"proto=2", AF_UNIX, SOCK_STREAM, 2, EPROTONOSUPPORT},
    {"proto=-1", AF_UNIX, SOCK_DGRAM, -1, EPROTONOSUPPORT},
};
// socketpair(2) on Linux: bad type words are EINVAL or ESOCKTNOSUPPORT as for
// socket(2); a protocol other than 0/PF_UNIX is EPROTONOSUPPORT.
TEST_P(socketpair, bad_type_or_protocol, NEGATIVE, LINUX, kPairBad) {
    int fds[2];
    EXPECT_ERR(sys::socketpair(row.family, row.type, row.proto, fds), row.err);
}

// socketpair(2): an unwritable result array is EFAULT, and the two fds the
// kernel had reserved are released (the next fd is the same as before).
TEST(socketpair, bad_pointer_efault_no_fd_leak, NEGATIVE, LINUX) {
    long before = sys::dup(0);
    ASSERT_OK(before);
    sys::close(int(before));
    EXPECT_ERR(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, reinterpret_cast<int*>(8)), EFAULT);
    long after = sys::dup(0);
    EXPECT_RET(after, before);
    sys::close(int(after));
}

constexpr Kind kConnKinds[] = {kUnixStream, kUnixSeq};
// socketpair(2): after one end is closed, the other still reads the data
// sent before, then end-of-file (0), and a send fails with EPIPE (POSIX recv,
// send).
TEST_P(socketpair, peer_closed_eof_then_epipe, POSITIVE, PSE53, kConnKinds) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, row.type, 0, fds));
    ASSERT_RET(sys::write(fds[1], "z", 1), 1);
    sys::close(fds[1]);
    char c = 0;
    EXPECT_RET(sys::read(fds[0], &c, 1), 1);
    EXPECT_EQ(c, 'z');
    EXPECT_RET(sys::read(fds[0], &c, 1), 0);
    EXPECT_ERR(sys::send(fds[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    sys::close(fds[0]);
}

// socketpair(2) on Linux: in a datagram pair whose peer is closed, a send
// fails with ECONNREFUSED (not EPIPE) and there is no end-of-file: an empty
// receive stays EAGAIN (net/unix/af_unix.c unix_dgram_sendmsg).
TEST(socketpair, dgram_peer_closed_econnrefused, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    sys::close(fds[1]);
    EXPECT_ERR(sys::send(fds[0], "x", 1, MSG_NOSIGNAL), ECONNREFUSED);
    char c;
    EXPECT_ERR(sys::recv(fds[0], &c, 1, MSG_DONTWAIT), EAGAIN);
    sys::close(fds[0]);
}

// socketpair(2): create/close cycles leak nothing; the next pair gets the
// same fds and works. The loop crosses RLIMIT_NOFILE, lowered to 64 above
// the lowest free fd, four times over: a leaked descriptor fails it with
// EMFILE (or a wrong number) within it.
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(socketpair, create_close_10000_no_leak, BOUNDARY, PSE53) {
    common::limit_fd_room();
    int first[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, first));
    close2(first);
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        int fds[2] = {-1, -1};
        long r = sys::socketpair(AF_UNIX, i % 3 + 1 == 3 ? SOCK_SEQPACKET : i % 3 + 1, 0, fds);
        if (r != 0 || fds[0] != first[0] || fds[1] != first[1]) {
            ASSERT_OK(r);
            ASSERT_EQ(fds[0], first[0]);
            ASSERT_EQ(fds[1], first[1]);
        }
        close2(fds);
    }
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    EXPECT_EQ(fds[0], first[0]);
    EXPECT_EQ(fds[1], first[1]);
    exchange(fds);
    close2(fds);
}
