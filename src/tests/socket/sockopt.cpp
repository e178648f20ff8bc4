// SPDX-License-Identifier: MIT
// getsockopt(2) and setsockopt(2): SO_TYPE, SO_ERROR, SO_ACCEPTCONN,
// SO_RCVBUF/SO_SNDBUF (doubling and clamping), boolean options, SO_LINGER,
// SO_RCVTIMEO/SO_SNDTIMEO, SO_PEERCRED, TCP_NODELAY, IPV6_V6ONLY, and the
// exact errnos for bad levels, unknown or read-only options, bad lengths and
// bad pointers.
// Not covered: options needing privilege (SO_RCVBUFFORCE, SO_MARK,
// SO_BINDTODEVICE), filters (SO_ATTACH_FILTER), timestamps, IP multicast.
#include "rt/sys_poll.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kAll[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kTcp6, kUdp6};

i64 timeval_ns(const timeval& tv) { return tv.tv_sec * 1000000000 + tv.tv_usec * 1000; }

}  // namespace

// getsockopt(2) SO_TYPE: the type the socket was created with (POSIX).
TEST_P(getsockopt, so_type_matches, POSITIVE, PSE53, kAll) {
    int fd = plain(row);
    EXPECT_EQ(get_int(fd, SOL_SOCKET, SO_TYPE), row.type);
    sys::close(fd);
}

// getsockopt(2) SO_ERROR: 0 on a fresh socket (POSIX).
TEST_P(getsockopt, so_error_initially_zero, POSITIVE, PSE53, kAll) {
    int fd = plain(row);
    EXPECT_EQ(get_int(fd, SOL_SOCKET, SO_ERROR), 0);
    sys::close(fd);
}

constexpr Kind kTcp[] = {kTcp4, kTcp6};
// getsockopt(2) SO_ACCEPTCONN: 0 until listen, then 1 (POSIX).
TEST_P(getsockopt, so_acceptconn_tracks_listen, POSITIVE, PSE53, kTcp) {
    Addr a;
    int fd = bound(row, &a);
    EXPECT_EQ(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 0);
    ASSERT_OK(sys::listen(fd, 1));
    EXPECT_EQ(get_int(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
    sys::close(fd);
}

constexpr IntRow kShortGetLens[] = {
    {"optlen=0", 0}, {"optlen=1", 1}, {"optlen=2", 2}, {"optlen=3", 3}};
// getsockopt(2) with *optlen shorter than an int option: Linux copies only
// optlen bytes of the value and leaves *optlen as it was.
TEST_P(getsockopt, short_optlen_truncates, BOUNDARY, LINUX, kShortGetLens) {
    int fd = plain(kUnixDgram);
    int full = SOCK_DGRAM;
    u8 buf[8];
    for (u8& b : buf) b = 0xee;
    int len = row.v;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, buf, &len));
    EXPECT_EQ(len, row.v);
    EXPECT_MEM_EQ(buf, &full, usize(row.v));
    EXPECT_EQ(buf[row.v], 0xee);
    sys::close(fd);
}

// getsockopt(2) with *optlen longer than the option: the value is written
// and *optlen is reduced to its size (POSIX: optlen "shall be modified to
// indicate the actual length").
TEST(getsockopt, long_optlen_set_to_size, BOUNDARY, PSE53) {
    int fd = plain(kUnixStream);
    int buf[4] = {0, 0, 0, 0};
    int len = sizeof buf;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, buf, &len));
    EXPECT_EQ(len, 4);
    EXPECT_EQ(buf[0], SOCK_STREAM);
    linger lg{-1, -1};
    len = 64;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
    EXPECT_EQ(len, int(sizeof lg));
    EXPECT_EQ(lg.l_onoff, 0);
    sys::close(fd);
}

struct OptRow {
    const char* label;
    int family, type, level, name, err;
};
constexpr OptRow kNegLen[] = {
    {"SO_TYPE", AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_TYPE, EINVAL},
    {"SO_LINGER", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, EINVAL},
    {"TCP_NODELAY", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, EINVAL},
    {"SO_PEERCRED", AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_PEERCRED, EINVAL},
};
// getsockopt(2) with a negative *optlen: EINVAL (Linux).
TEST_P(getsockopt, negative_optlen_einval, NEGATIVE, LINUX, kNegLen) {
    int fd = plain(row.family, row.type);
    u8 buf[16];
    int len = -1;
    EXPECT_ERR(sys::getsockopt(fd, row.level, row.name, buf, &len), row.err);
    sys::close(fd);
}

// getsockopt(2)/setsockopt(2) with an unreadable or unwritable pointer:
// EFAULT (Linux; POSIX leaves it undefined).
TEST(getsockopt, bad_pointer_efault, NEGATIVE, LINUX) {
    int fd = plain(kUnixStream);
    int v = 1, len = sizeof v;
    EXPECT_ERR(sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, reinterpret_cast<void*>(8), &len), EFAULT);
    EXPECT_ERR(sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, reinterpret_cast<int*>(8)), EFAULT);
    EXPECT_ERR(sys::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<void*>(8), 4),
               EFAULT);
    sys::close(fd);
}

constexpr OptRow kUnknownOpts[] = {
    {"unix_SOL_SOCKET_12345", AF_UNIX, SOCK_STREAM, SOL_SOCKET, 12345, ENOPROTOOPT},
    {"tcp4_SOL_SOCKET_-1", AF_INET, SOCK_STREAM, SOL_SOCKET, -1, ENOPROTOOPT},
    {"tcp4_IPPROTO_TCP_12345", AF_INET, SOCK_STREAM, IPPROTO_TCP, 12345, ENOPROTOOPT},
    {"udp4_IPPROTO_IP_12345", AF_INET, SOCK_DGRAM, IPPROTO_IP, 12345, ENOPROTOOPT},
    {"udp6_IPPROTO_IPV6_12345", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, 12345, ENOPROTOOPT},
};
// getsockopt(2): an option unknown at a valid level: ENOPROTOOPT (POSIX).
TEST_P(getsockopt, unknown_option_enoprotoopt, NEGATIVE, PSE53, kUnknownOpts) {
    int fd = plain(row.family, row.type);
    int v = 0, len = sizeof v;
    EXPECT_ERR(sys::getsockopt(fd, row.level, row.name, &v, &len), row.err);
    sys::close(fd);
}

// setsockopt(2): an option unknown at a valid level: ENOPROTOOPT (POSIX).
TEST_P(setsockopt, unknown_option_enoprotoopt, NEGATIVE, PSE53, kUnknownOpts) {
    int fd = plain(row.family, row.type);
    int v = 1;
    EXPECT_ERR(sys::setsockopt(fd, row.level, row.name, &v, sizeof v), row.err);
    sys::close(fd);
}

constexpr OptRow kBadGetLevels[] = {
    {"tcp4_level=12345", AF_INET, SOCK_STREAM, 12345, 1, EOPNOTSUPP},
    {"udp4_level=12345", AF_INET, SOCK_DGRAM, 12345, 1, EOPNOTSUPP},
    {"tcp6_level=12345", AF_INET6, SOCK_STREAM, 12345, 1, ENOPROTOOPT},
    {"udp6_level=12345", AF_INET6, SOCK_DGRAM, 12345, 1, ENOPROTOOPT},
    {"unix_level=12345", AF_UNIX, SOCK_STREAM, 12345, 1, EOPNOTSUPP},
    {"unix_level=IPPROTO_TCP", AF_UNIX, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, EOPNOTSUPP},
};
// getsockopt(2) at a level the socket does not have. Linux is uneven: IPv4
// sockets answer EOPNOTSUPP (ip_getsockopt), IPv6 ones ENOPROTOOPT
// (ipv6_getsockopt), AF_UNIX EOPNOTSUPP (no per-protocol options). POSIX
// says ENOPROTOOPT or EINVAL.
TEST_P(getsockopt, bad_level_exact_errno, NEGATIVE, LINUX, kBadGetLevels) {
    int fd = plain(row.family, row.type);
    int v = 0, len = sizeof v;
    EXPECT_ERR(sys::getsockopt(fd, row.level, row.name, &v, &len), row.err);
    sys::close(fd);
}

constexpr OptRow kBadSetLevels[] = {
    {"tcp4_level=12345", AF_INET, SOCK_STREAM, 12345, 1, ENOPROTOOPT},
    {"udp4_level=12345", AF_INET, SOCK_DGRAM, 12345, 1, ENOPROTOOPT},
    {"tcp6_level=12345", AF_INET6, SOCK_STREAM, 12345, 1, ENOPROTOOPT},
    {"udp6_level=-1", AF_INET6, SOCK_DGRAM, -1, 1, ENOPROTOOPT},
    {"unix_level=12345", AF_UNIX, SOCK_DGRAM, 12345, 1, EOPNOTSUPP},
    {"unix_level=IPPROTO_TCP", AF_UNIX, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, EOPNOTSUPP},
};
// setsockopt(2) at a level the socket does not have: ENOPROTOOPT for inet
// sockets (POSIX), EOPNOTSUPP for AF_UNIX, which has no per-protocol
// options (Linux).
TEST_P(setsockopt, bad_level_exact_errno, NEGATIVE, LINUX, kBadSetLevels) {
    int fd = plain(row.family, row.type);
    int v = 1;
    EXPECT_ERR(sys::setsockopt(fd, row.level, row.name, &v, sizeof v), row.err);
    sys::close(fd);
}

constexpr OptRow kReadOnly[] = {
    {"SO_TYPE", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_TYPE, ENOPROTOOPT},
    {"SO_ERROR", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_ERROR, ENOPROTOOPT},
    {"SO_ACCEPTCONN", AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_ACCEPTCONN, ENOPROTOOPT},
    {"SO_PROTOCOL", AF_INET, SOCK_DGRAM, SOL_SOCKET, SO_PROTOCOL, ENOPROTOOPT},
    {"SO_DOMAIN", AF_UNIX, SOCK_DGRAM, SOL_SOCKET, SO_DOMAIN, ENOPROTOOPT},
    {"SO_PEERCRED", AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_PEERCRED, ENOPROTOOPT},
};
// setsockopt(2) of a read-only option: ENOPROTOOPT (Linux sk_setsockopt
// does not know them; POSIX has no errno for it).
TEST_P(setsockopt, read_only_option_enoprotoopt, NEGATIVE, LINUX, kReadOnly) {
    int fd = plain(row.family, row.type);
    int v[3] = {1, 1, 1};
    EXPECT_ERR(sys::setsockopt(fd, row.level, row.name, v, sizeof v), row.err);
    sys::close(fd);
}

struct ShortRow {
    const char* label;
    int family, type, level, name, len;
};
constexpr ShortRow kShortSetLens[] = {
    {"SO_REUSEADDR_len=0", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, 0},
    {"SO_REUSEADDR_len=3", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, 3},
    {"SO_REUSEADDR_len=-1", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, -1},
    {"SO_RCVBUF_len=2", AF_UNIX, SOCK_DGRAM, SOL_SOCKET, SO_RCVBUF, 2},
    {"SO_LINGER_len=7", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, 7},
    {"SO_RCVTIMEO_len=15", AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, 15},
    {"TCP_NODELAY_len=3", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 3},
    {"TCP_NODELAY6_len=1", AF_INET6, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 1},
};
// setsockopt(2) with optlen shorter than the option's type (or negative):
// EINVAL (Linux; POSIX: "the specified option is invalid").
TEST_P(setsockopt, short_optlen_einval, NEGATIVE, LINUX, kShortSetLens) {
    int fd = plain(row.family, row.type);
    long v[2] = {1, 1};
    EXPECT_ERR(sys::setsockopt(fd, row.level, row.name, v, row.len), EINVAL);
    sys::close(fd);
}

// setsockopt(2) with optlen longer than an int option: Linux reads the
// first int and ignores the rest.
TEST(setsockopt, long_optlen_accepted, BOUNDARY, LINUX) {
    int fd = plain(kUnixStream);
    int v[64] = {1};
    EXPECT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_PASSCRED, v, sizeof v));
    EXPECT_EQ(get_int(fd, SOL_SOCKET, SO_PASSCRED), 1);
    sys::close(fd);
}

struct BufRow {
    const char* label;
    int family, type, name, value;
};
constexpr BufRow kBufSizes[] = {
    {"unix_dgram_rcvbuf=4096", AF_UNIX, SOCK_DGRAM, SO_RCVBUF, 4096},
    {"udp4_rcvbuf=8192", AF_INET, SOCK_DGRAM, SO_RCVBUF, 8192},
    {"tcp4_rcvbuf=16384", AF_INET, SOCK_STREAM, SO_RCVBUF, 16384},
    {"tcp6_rcvbuf=65536", AF_INET6, SOCK_STREAM, SO_RCVBUF, 65536},
    {"unix_stream_sndbuf=4096", AF_UNIX, SOCK_STREAM, SO_SNDBUF, 4096},
    {"udp6_sndbuf=8192", AF_INET6, SOCK_DGRAM, SO_SNDBUF, 8192},
    {"tcp4_sndbuf=32768", AF_INET, SOCK_STREAM, SO_SNDBUF, 32768},
};
// setsockopt(2) SO_RCVBUF/SO_SNDBUF: Linux doubles the value (room for
// bookkeeping) and getsockopt returns the doubled value (socket(7)).
TEST_P(setsockopt, buffer_size_doubled, POSITIVE, LINUX, kBufSizes) {
    int fd = plain(row.family, row.type);
    set_int(fd, SOL_SOCKET, row.name, row.value);
    EXPECT_EQ(get_int(fd, SOL_SOCKET, row.name), 2 * row.value);
    sys::close(fd);
}

constexpr BufRow kBufMin[] = {
    {"rcvbuf=0", AF_UNIX, SOCK_DGRAM, SO_RCVBUF, 0},
    {"rcvbuf=1", AF_INET, SOCK_DGRAM, SO_RCVBUF, 1},
    {"sndbuf=0", AF_UNIX, SOCK_STREAM, SO_SNDBUF, 0},
    {"sndbuf=1", AF_INET, SOCK_STREAM, SO_SNDBUF, 1},
};
// setsockopt(2) SO_RCVBUF/SO_SNDBUF below the minimum: Linux raises it to
// SOCK_MIN_RCVBUF/SOCK_MIN_SNDBUF (2048 bytes plus sk_buff overhead, a
// configuration-dependent size), not to twice the value.
TEST_P(setsockopt, buffer_size_minimum, BOUNDARY, LINUX, kBufMin) {
    int fd = plain(row.family, row.type);
    set_int(fd, SOL_SOCKET, row.name, row.value);
    int got = get_int(fd, SOL_SOCKET, row.name);
    EXPECT_GE(got, 2048);
    EXPECT_LE(got, 16384);
    set_int(fd, SOL_SOCKET, row.name, 0);
    EXPECT_EQ(get_int(fd, SOL_SOCKET, row.name), got);  // the same floor
    sys::close(fd);
}

constexpr BufRow kBufMax[] = {
    {"rcvbuf=INT_MAX", AF_UNIX, SOCK_DGRAM, SO_RCVBUF, INT_MAX},
    {"rcvbuf=-1", AF_INET, SOCK_STREAM, SO_RCVBUF, -1},
    {"sndbuf=INT_MAX", AF_INET, SOCK_DGRAM, SO_SNDBUF, INT_MAX},
    {"sndbuf=-1", AF_UNIX, SOCK_STREAM, SO_SNDBUF, -1},
};
// setsockopt(2) SO_RCVBUF/SO_SNDBUF above net.core.rmem_max/wmem_max is
// clamped to it (then doubled); a negative value counts as huge (Linux
// compares it as unsigned). Also as root: only the *FORCE options bypass.
TEST_P(setsockopt, buffer_size_clamped_to_max, BOUNDARY, LINUX, kBufMax) {
    long max = proc_long(
        row.name == SO_RCVBUF ? "/proc/sys/net/core/rmem_max" : "/proc/sys/net/core/wmem_max", -1);
    if (max < 0) kc::skip("cannot read /proc/sys/net/core/[rw]mem_max");
    int fd = plain(row.family, row.type);
    set_int(fd, SOL_SOCKET, row.name, row.value);
    long want = 2 * max < INT_MAX ? 2 * max : INT_MAX;
    EXPECT_EQ(get_int(fd, SOL_SOCKET, row.name), want);
    sys::close(fd);
}

constexpr OptRow kBoolOpts[] = {
    {"tcp4_SO_REUSEADDR", AF_INET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, 0},
    {"tcp6_SO_KEEPALIVE", AF_INET6, SOCK_STREAM, SOL_SOCKET, SO_KEEPALIVE, 0},
    {"tcp4_TCP_NODELAY", AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 0},
    {"tcp6_TCP_NODELAY", AF_INET6, SOCK_STREAM, IPPROTO_TCP, TCP_NODELAY, 0},
    {"unix_SO_PASSCRED", AF_UNIX, SOCK_DGRAM, SOL_SOCKET, SO_PASSCRED, 0},
    {"udp6_IPV6_V6ONLY", AF_INET6, SOCK_DGRAM, IPPROTO_IPV6, IPV6_V6ONLY, -1},
};
// setsockopt(2) of a boolean option: any non-zero value turns it on and
// getsockopt then reads 1, zero turns it off (Linux normalises; POSIX only
// says non-zero enables). err == -1 marks options whose default depends on
// host configuration (IPV6_V6ONLY: net.ipv6.bindv6only).
TEST_P(setsockopt, boolean_option_normalised, POSITIVE, LINUX, kBoolOpts) {
    int fd = plain(row.family, row.type);
    if (row.err == 0) EXPECT_EQ(get_int(fd, row.level, row.name), 0);
    set_int(fd, row.level, row.name, 5);
    EXPECT_EQ(get_int(fd, row.level, row.name), 1);
    set_int(fd, row.level, row.name, 0);
    EXPECT_EQ(get_int(fd, row.level, row.name), 0);
    set_int(fd, row.level, row.name, -1);
    EXPECT_EQ(get_int(fd, row.level, row.name), 1);
    sys::close(fd);
}

// setsockopt(2) SO_LINGER: the linger structure reads back as set, and off
// by default (POSIX setsockopt SO_LINGER).
TEST(setsockopt, so_linger_roundtrip, POSITIVE, PSE53) {
    int fd = plain(kTcp4);
    linger lg{-1, -1};
    int len = sizeof lg;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
    EXPECT_EQ(lg.l_onoff, 0);
    lg = {1, 5};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    lg = {0, 0};
    len = sizeof lg;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
    EXPECT_NE(lg.l_onoff, 0);
    EXPECT_EQ(lg.l_linger, 5);
    lg = {0, 0};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    len = sizeof lg;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
    EXPECT_EQ(lg.l_onoff, 0);
    sys::close(fd);
}

// setsockopt(2) SO_LINGER with l_onoff 7: Linux stores a flag and reads
// back l_onoff 1.
TEST(setsockopt, so_linger_onoff_normalised, BOUNDARY, LINUX) {
    int fd = plain(kUnixStream);
    linger lg{7, 3};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    int len = sizeof lg;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len));
    EXPECT_EQ(lg.l_onoff, 1);
    EXPECT_EQ(lg.l_linger, 3);
    sys::close(fd);
}

struct TimeoRow {
    const char* label;
    int name;
};
constexpr TimeoRow kTimeos[] = {{"SO_RCVTIMEO", SO_RCVTIMEO}, {"SO_SNDTIMEO", SO_SNDTIMEO}};
// setsockopt(2) SO_RCVTIMEO/SO_SNDTIMEO: 0 (no timeout) by default; a set
// value reads back rounded up to the kernel's tick (at most 10 ms more on
// any HZ >= 100) (POSIX setsockopt).
TEST_P(setsockopt, timeout_roundtrip, POSITIVE, PSE53, kTimeos) {
    int fd = plain(kUnixStream);
    timeval tv{-1, -1};
    int len = sizeof tv;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, row.name, &tv, &len));
    EXPECT_EQ(len, int(sizeof tv));
    EXPECT_EQ(timeval_ns(tv), 0);
    tv = {1, 50000};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, row.name, &tv, sizeof tv));
    tv = {};
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, row.name, &tv, &len));
    EXPECT_GE(timeval_ns(tv), 1050000000);
    EXPECT_LE(timeval_ns(tv), 1060000000);
    EXPECT_LT(tv.tv_usec, 1000000);
    sys::close(fd);
}

struct TvRow {
    const char* label;
    int name;
    long sec, usec;
};
constexpr TvRow kBadTimevals[] = {
    {"rcv_usec=1000000", SO_RCVTIMEO, 0, 1000000},
    {"rcv_usec=-1", SO_RCVTIMEO, 1, -1},
    {"snd_usec=1000000", SO_SNDTIMEO, 0, 1000000},
    {"snd_usec=LONG_MIN", SO_SNDTIMEO, 0, LONG_MIN},
};
// setsockopt(2) SO_RCVTIMEO/SO_SNDTIMEO with tv_usec outside [0, 1000000):
// EDOM (Linux sock_set_timeout).
TEST_P(setsockopt, timeout_bad_usec_edom, NEGATIVE, LINUX, kBadTimevals) {
    int fd = plain(kUnixDgram);
    timeval tv{row.sec, row.usec};
    EXPECT_ERR(sys::setsockopt(fd, SOL_SOCKET, row.name, &tv, sizeof tv), EDOM);
    sys::close(fd);
}

// setsockopt(2) SO_RCVTIMEO with a negative tv_sec: Linux accepts it as 0,
// no timeout (sock_set_timeout), and reads back 0.
TEST(setsockopt, timeout_negative_seconds_mean_none, BOUNDARY, LINUX) {
    int fd = plain(kUnixDgram);
    timeval tv{-5, 0};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    int len = sizeof tv;
    tv = {7, 7};
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
    EXPECT_EQ(timeval_ns(tv), 0);
    sys::close(fd);
}

// SO_RCVTIMEO: a blocking receive with nothing to read fails with EAGAIN
// once the timeout (20 ms) has passed (POSIX setsockopt, recv). Linux
// counts the timeout in jiffies, so it may end up to one tick (at most 10
// ms) early; the check allows that.
TEST(setsockopt, so_rcvtimeo_expires_eagain, POSITIVE, PSE53, .flags = kc::SLOW) {
    Addr a;
    int fd = bound(AF_UNIX, SOCK_DGRAM, &a);
    timeval tv{0, 20000};
    ASSERT_OK(sys::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    char c;
    i64 t0 = kc::now_ns();
    EXPECT_ERR(sys::recv(fd, &c, 1, 0), EAGAIN);
    i64 dt = kc::now_ns() - t0;
    EXPECT_GE(dt, 10000000);
    EXPECT_LT(dt, 2000000000);
    sys::close(fd);
}

// SO_SNDTIMEO: a blocking send on a full stream socket fails with EAGAIN
// after the timeout, less at most one tick as above (POSIX setsockopt,
// send).
TEST(setsockopt, so_sndtimeo_expires_eagain, POSITIVE, PSE53, .flags = kc::SLOW) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    set_int(fds[0], SOL_SOCKET, SO_SNDBUF, 4096);
    u8 chunk[1024] = {};
    int guard = 0;
    while (sys::send(fds[0], chunk, sizeof chunk, MSG_DONTWAIT) > 0 && ++guard < 100000) {
    }
    ASSERT_LT(guard, 100000);
    timeval tv{0, 20000};
    ASSERT_OK(sys::setsockopt(fds[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv));
    i64 t0 = kc::now_ns();
    EXPECT_ERR(sys::send(fds[0], chunk, sizeof chunk, 0), EAGAIN);
    EXPECT_GE(kc::now_ns() - t0, 10000000);
    close2(fds);
}

// getsockopt(2) SO_PEERCRED on a socketpair: the pid, uid and gid of the
// process that created it (Linux unix(7)).
TEST(getsockopt, so_peercred_socketpair, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    ucred c{};
    int len = sizeof c;
    ASSERT_OK(sys::getsockopt(fds[0], SOL_SOCKET, SO_PEERCRED, &c, &len));
    EXPECT_EQ(len, int(sizeof c));
    EXPECT_EQ(c.pid, sys::getpid());
    EXPECT_EQ(long(c.uid), sys::geteuid());
    EXPECT_EQ(long(c.gid), sys::getegid());
    close2(fds);
}

// getsockopt(2) SO_PEERCRED across connect/accept: the accepted socket sees
// the connecting process, here a child (Linux unix(7)).
TEST(getsockopt, so_peercred_child_connects, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static Addr a;
    int l = listener(AF_UNIX, &a);
    long pid = kc::spawn(
        [](void*) {
            long c = sys::socket(AF_UNIX, SOCK_STREAM, 0);
            ASSERT_OK(c);
            ASSERT_OK(sys::connect(int(c), a.raw, a.len));
            char b;
            sys::read(int(c), &b, 1);  // stay alive until the parent has looked
            sys::close(int(c));
        },
        nullptr);
    ASSERT_OK(pid);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    ucred c{};
    int len = sizeof c;
    EXPECT_OK(sys::getsockopt(int(s), SOL_SOCKET, SO_PEERCRED, &c, &len));
    EXPECT_EQ(c.pid, pid);
    EXPECT_EQ(long(c.uid), sys::geteuid());
    sys::write(int(s), "k", 1);
    EXPECT_CHILD_OK(pid);
    sys::close(int(s));
    sys::close(l);
}

// getsockopt(2) SO_PEERCRED on an unconnected stream socket: Linux reports
// "no peer": pid 0, uid and gid -1 (net/core/sock.c cred_to_ucred).
TEST(getsockopt, so_peercred_unconnected_nobody, BOUNDARY, LINUX) {
    int fd = plain(kUnixStream);
    ucred c{1, 1, 1};
    int len = sizeof c;
    ASSERT_OK(sys::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &c, &len));
    EXPECT_EQ(c.pid, 0);
    EXPECT_EQ(long(c.uid), 0xffffffffL);
    EXPECT_EQ(long(c.gid), 0xffffffffL);
    sys::close(fd);
}

constexpr Kind kUdp[] = {kUdp4, kUdp6};
// getsockopt(2) SO_ERROR reports a pending asynchronous error once and
// clears it (POSIX): a datagram sent to a closed loopback port makes the
// connected sender's ECONNREFUSED pending (ICMP port unreachable, which
// Linux does not rate-limit on loopback); poll shows POLLERR meanwhile.
TEST_P(getsockopt, so_error_reported_once, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr a;
    int holder = bound(row, &a);
    sys::close(holder);
    int s = plain(row);
    ASSERT_OK(sys::connect(s, a.raw, a.len));
    EXPECT_RET(sys::send(s, "x", 1, 0), 1);
    EXPECT_NE(poll1(s, POLLIN, 2000) & POLLERR, 0);
    EXPECT_EQ(get_int(s, SOL_SOCKET, SO_ERROR), ECONNREFUSED);
    EXPECT_EQ(get_int(s, SOL_SOCKET, SO_ERROR), 0);
    EXPECT_EQ(poll1(s, POLLIN, 0) & POLLERR, 0);
    sys::close(s);
}
