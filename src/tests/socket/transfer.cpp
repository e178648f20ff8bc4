// SPDX-License-Identifier: MIT
// Data transfer on every kind of socket, and shutdown: sendto/recvfrom on
// UDP (datagram boundaries, empty datagrams, size limits, truncation, source
// addresses), MSG_PEEK, MSG_DONTWAIT, MSG_TRUNC, MSG_WAITALL, 1 MiB stream
// integrity, and shutdown (half-close, EPIPE and SIGPIPE, SHUT_RD, bad
// `how`, unconnected sockets). Loopback only; inet tests skip when the
// family or the loopback interface is missing (net::need).
// Urgent data (MSG_OOB on TCP), SO_LINGER's effect on close and the other
// flags: socket_flags.cpp.
// Not covered: TCP timers and retransmission.
#include "rt/sys_poll.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kInet[] = {kTcp4, kUdp4, kTcp6, kUdp6};
constexpr Kind kTcp[] = {kTcp4, kTcp6};
constexpr Kind kUdp[] = {kUdp4, kUdp6};

u8 byte_at(usize i) { return u8((i * 131) ^ (i >> 9)); }

// Moves `total` bytes from w to r through the socket in one thread with
// nonblocking sends and receives, checking every byte that arrives.
void pump(int w, int r, usize total) {
    u8 buf[4096];
    usize sent = 0, got = 0;
    while (got < total) {
        bool progress = false;
        if (sent < total) {
            usize n = total - sent < sizeof buf ? total - sent : sizeof buf;
            for (usize i = 0; i < n; ++i) buf[i] = byte_at(sent + i);
            long k = sys::send(w, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
            if (k != -EAGAIN) ASSERT_GT(k, 0);
            if (k > 0) sent += usize(k), progress = true;
        }
        long k = sys::recv(r, buf, sizeof buf, MSG_DONTWAIT);
        if (k != -EAGAIN) ASSERT_GT(k, 0);
        for (long i = 0; i < k; ++i) {
            if (buf[i] != byte_at(got + usize(i))) {
                ADD_FAILURE("stream data corrupted");
                return;
            }
        }
        if (k > 0) got += usize(k), progress = true;
        if (!progress) ASSERT_NE(poll1(r, POLLIN, 2000), 0);
    }
    EXPECT_EQ(long(got), long(sent));
}

}  // namespace

// sendto(2)/recvfrom(2) on UDP keep datagram boundaries: three datagrams,
// including an empty one, come back one per call with their sizes and
// contents (POSIX recvfrom: "message-based sockets").
TEST_P(sendto, udp_datagram_boundaries, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra;
    int r = bound(row, &ra);
    int s = plain(row.family, SOCK_DGRAM);
    u8 big[100];
    pattern(big, sizeof big, 3);
    EXPECT_RET(sys::sendto(s, "A", 1, 0, ra.raw, ra.len), 1);
    EXPECT_RET(sys::sendto(s, big, sizeof big, 0, ra.raw, ra.len), 100);
    EXPECT_RET(sys::sendto(s, big, 0, 0, ra.raw, ra.len), 0);
    u8 buf[256];
    ASSERT_NE(poll1(r, POLLIN, 2000), 0);
    EXPECT_RET(sys::recv(r, buf, sizeof buf, 0), 1);
    EXPECT_EQ(buf[0], 'A');
    EXPECT_RET(sys::recv(r, buf, sizeof buf, 0), 100);
    EXPECT_MEM_EQ(buf, big, 100);
    EXPECT_RET(sys::recv(r, buf, sizeof buf, MSG_DONTWAIT), 0);
    EXPECT_ERR(sys::recv(r, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    sys::close(r);
    sys::close(s);
}

struct SizeRow {
    const char* label;
    int family;
    long max;
};
constexpr SizeRow kUdpMax[] = {{"udp4_max=65507", AF_INET, 65507},
                               {"udp6_max=65527", AF_INET6, 65527}};
// sendto(2) on UDP: the largest datagram (65535 minus IP and UDP headers:
// 65507 over IPv4, 65527 over IPv6) is sent and received whole; one byte
// more is EMSGSIZE (POSIX sendto; RFC 768/791/8200 sizes).
TEST_P(sendto, udp_max_datagram_then_emsgsize, BOUNDARY, PSE53, kUdpMax) {
    need_lo_up(row.family);
    Addr ra;
    int r = bound(row.family, SOCK_DGRAM, &ra);
    set_int(r, SOL_SOCKET, SO_RCVBUF, 1 << 18);
    int s = plain(row.family, SOCK_DGRAM);
    usize n = usize(row.max) + 1;
    u8* out = static_cast<u8*>(map(2 * 65536));
    u8* in = out + 65536;
    pattern(out, n, 9);
    EXPECT_ERR(sys::sendto(s, out, n, 0, ra.raw, ra.len), EMSGSIZE);
    EXPECT_RET(sys::sendto(s, out, n - 1, 0, ra.raw, ra.len), row.max);
    if (poll1(r, POLLIN, 2000)) {
        EXPECT_RET(sys::recv(r, in, 65536, MSG_DONTWAIT), row.max);
        EXPECT_MEM_EQ(in, out, n - 1);
    } else {
        ADD_FAILURE("the largest datagram did not arrive");
    }
    unmap(out, 2 * 65536);
    sys::close(r);
    sys::close(s);
}

// sendto(2) on an unconnected UDP socket without a destination:
// EDESTADDRREQ (POSIX sendto/send).
TEST_P(sendto, udp_no_destination_edestaddrreq, NEGATIVE, PSE53, kUdp) {
    int s = plain(row.family, SOCK_DGRAM);
    EXPECT_ERR(sys::send(s, "x", 1, 0), EDESTADDRREQ);
    EXPECT_ERR(sys::sendto(s, "x", 1, 0, nullptr, 0), EDESTADDRREQ);
    sys::close(s);
}

// sendto(2) with a destination on a connected TCP socket: Linux ignores the
// address and sends on the connection (POSIX allows EISCONN instead).
TEST_P(sendto, tcp_connected_address_ignored, BOUNDARY, LINUX, kTcp) {
    int fds[2];
    stream_pair(row.family, fds);
    Addr elsewhere;
    loopback(row.family, &elsewhere, 9);
    EXPECT_RET(sys::sendto(fds[0], "t", 1, 0, elsewhere.raw, elsewhere.len), 1);
    char c = 0;
    EXPECT_RET(sys::recv(fds[1], &c, 1, 0), 1);
    EXPECT_EQ(c, 't');
    close2(fds);
}

// recvfrom(2) on UDP returns the sender's address and its length (POSIX).
TEST_P(recvfrom, udp_source_address, POSITIVE, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra, sa;
    int r = bound(row, &ra);
    int s = bound(row, &sa);
    EXPECT_RET(sys::sendto(s, "src", 3, 0, ra.raw, ra.len), 3);
    ASSERT_NE(poll1(r, POLLIN, 2000), 0);
    Addr from{};
    from.len = sizeof from.raw;
    char buf[4];
    EXPECT_RET(sys::recvfrom(r, buf, sizeof buf, 0, from.raw, &from.len), 3);
    EXPECT_TRUE(same_addr(from, sa));
    sys::close(r);
    sys::close(s);
}

// recvfrom(2) on UDP with a buffer smaller than the datagram: the excess is
// discarded, and the next call gets the next datagram (POSIX recvfrom).
TEST_P(recvfrom, udp_excess_discarded, BOUNDARY, PSE53, kUdp) {
    need_lo_up(row.family);
    Addr ra;
    int r = bound(row, &ra);
    int s = plain(row.family, SOCK_DGRAM);
    EXPECT_RET(sys::sendto(s, "0123456789", 10, 0, ra.raw, ra.len), 10);
    EXPECT_RET(sys::sendto(s, "next", 4, 0, ra.raw, ra.len), 4);
    ASSERT_NE(poll1(r, POLLIN, 2000), 0);
    char buf[8] = {};
    EXPECT_RET(sys::recv(r, buf, 4, 0), 4);
    EXPECT_MEM_EQ(buf, "0123", 4);
    EXPECT_RET(sys::recv(r, buf, sizeof buf, 0), 4);
    EXPECT_MEM_EQ(buf, "next", 4);
    sys::close(r);
    sys::close(s);
}

constexpr Kind kDgrams[] = {kUdp4, kUdp6, kUnixDgram, kUnixSeq};
// recv(2) with MSG_TRUNC on a datagram socket returns the real length of the
// datagram even when the buffer was shorter (Linux; udp(7), unix(7)).
TEST_P(recvfrom, msg_trunc_returns_real_length, BOUNDARY, LINUX, kDgrams) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "truncated", 9, 0), 9);
    ASSERT_NE(poll1(fds[1], POLLIN, 2000), 0);
    char buf[4];
    EXPECT_RET(sys::recv(fds[1], buf, 2, MSG_TRUNC), 9);
    EXPECT_MEM_EQ(buf, "tr", 2);
    close2(fds);
}

constexpr Kind kAll[] = {kTcp4, kUdp4, kTcp6, kUdp6, kUnixStream, kUnixDgram, kUnixSeq};
// recv(2) with MSG_PEEK returns data without removing it: the next recv
// returns the same bytes (POSIX recv).
TEST_P(recvfrom, msg_peek_leaves_data, POSITIVE, PSE53, kAll) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "peek", 4, 0), 4);
    ASSERT_NE(poll1(fds[1], POLLIN, 2000), 0);
    char a[4] = {}, b[4] = {};
    EXPECT_RET(sys::recv(fds[1], a, 4, MSG_PEEK | MSG_WAITALL), 4);
    EXPECT_RET(sys::recv(fds[1], b, 4, MSG_WAITALL), 4);
    EXPECT_MEM_EQ(a, "peek", 4);
    EXPECT_MEM_EQ(b, "peek", 4);
    EXPECT_ERR(sys::recv(fds[1], b, 4, MSG_DONTWAIT), EAGAIN);
    close2(fds);
}

// recv(2) with MSG_DONTWAIT on an empty blocking socket: EAGAIN, and the fd
// stays blocking (Linux MSG_DONTWAIT; POSIX.1-2024 recv).
TEST_P(recvfrom, msg_dontwait_empty_eagain, NEGATIVE, LINUX, kAll) {
    int fds[2];
    pair(row, fds);
    char c;
    EXPECT_ERR(sys::recv(fds[1], &c, 1, MSG_DONTWAIT), EAGAIN);
    EXPECT_EQ(sys::fcntl(fds[1], F_GETFL) & O_NONBLOCK, 0);
    close2(fds);
}

constexpr Kind kStreams[] = {kTcp4, kTcp6, kUnixStream};
// recv(2) with MSG_WAITALL on a stream gathers data from several sends into
// one full read: a stream keeps no message boundaries (POSIX recv).
TEST_P(recvfrom, stream_waitall_joins_sends, POSITIVE, PSE53, kStreams) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "abcd", 4, 0), 4);
    EXPECT_RET(sys::send(fds[0], "efgh", 4, 0), 4);
    char buf[8];
    EXPECT_RET(sys::recv(fds[1], buf, 8, MSG_WAITALL), 8);
    EXPECT_MEM_EQ(buf, "abcdefgh", 8);
    close2(fds);
}

// recv(2) with MSG_WAITALL on a stream waits for the rest of the request:
// with 4 of 8 bytes queued it blocks until a later send brings the other 4,
// where a plain recv would return the 4 (POSIX recv).
TEST_P(recvfrom, stream_waitall_waits_for_later_send, POSITIVE, PSE53, kStreams,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "abcd", 4, 0), 4);
    Later later{fds[0], "efgh", 4};
    long pid = kc::spawn(send_later, &later);
    ASSERT_GT(pid, 0);
    char buf[8] = {};
    EXPECT_RET(sys::recv(fds[1], buf, 8, MSG_WAITALL), 8);
    EXPECT_MEM_EQ(buf, "abcdefgh", 8);
    EXPECT_RET(sys::send(fds[1], "q", 1, 0), 1);
    EXPECT_CHILD_OK(pid);
    close2(fds);
}

// send(2)/recv(2): 1 MiB crosses a stream connection intact and in order,
// moved with nonblocking calls in one thread (POSIX send, recv).
TEST_P(sendto, stream_1mib_intact, POSITIVE, PSE53, kStreams, .timeout_ms = 20000) {
    int fds[2];
    pair(row, fds);
    pump(fds[0], fds[1], 1 << 20);
    pump(fds[1], fds[0], 12345);
    close2(fds);
}

constexpr Kind kConnStreams[] = {kUnixStream, kUnixSeq, kTcp4, kTcp6};
// shutdown(2) SHUT_WR: the peer reads the data sent before, then
// end-of-file; the other direction keeps working (POSIX shutdown).
TEST_P(shutdown, wr_peer_reads_eof, POSITIVE, PSE53, kConnStreams) {
    int fds[2];
    pair(row, fds);
    EXPECT_RET(sys::send(fds[0], "last", 4, 0), 4);
    ASSERT_OK(sys::shutdown(fds[0], SHUT_WR));
    char buf[8];
    EXPECT_RET(sys::recv(fds[1], buf, 4, MSG_WAITALL), 4);
    EXPECT_MEM_EQ(buf, "last", 4);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 0);
    EXPECT_RET(sys::send(fds[1], "back", 4, 0), 4);
    EXPECT_RET(sys::recv(fds[0], buf, 4, MSG_WAITALL), 4);
    EXPECT_MEM_EQ(buf, "back", 4);
    close2(fds);
}

// Shuts fds[0] for writing and writes to it with SIGPIPE blocked, so that
// the signal can be observed instead of ending the process; then sends with
// MSG_NOSIGNAL. Both fail with EPIPE; returns whether write raised SIGPIPE.
static bool write_after_shut_wr(const Kind& k) {
    int fds[2];
    pair(k, fds);
    EXPECT_OK(sys::shutdown(fds[0], SHUT_WR));
    block_signal(SIGPIPE, true);
    take_signal(SIGPIPE);
    EXPECT_ERR(sys::write(fds[0], "x", 1), EPIPE);
    bool raised = take_signal(SIGPIPE);
    EXPECT_ERR(sys::send(fds[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    EXPECT_TRUE(!take_signal(SIGPIPE));
    block_signal(SIGPIPE, false);
    close2(fds);
    return raised;
}

constexpr Kind kByteStreams[] = {kUnixStream, kTcp4, kTcp6};
// shutdown(2) SHUT_WR, then write on a stream: EPIPE and SIGPIPE to the
// thread; with MSG_NOSIGNAL EPIPE and no signal (POSIX send, write).
TEST_P(shutdown, wr_then_write_epipe_sigpipe, NEGATIVE, PSE53, kByteStreams) {
    EXPECT_TRUE(write_after_shut_wr(row));
}

// shutdown(2) SHUT_WR, then write on an AF_UNIX SOCK_SEQPACKET socket. Linux:
// EPIPE but no SIGPIPE (the seqpacket send path is the datagram one, which
// never raises it); POSIX asks for SIGPIPE on connection-mode sockets.
TEST(shutdown, seqpacket_wr_epipe_without_sigpipe, BOUNDARY, LINUX) {
    EXPECT_TRUE(!write_after_shut_wr(kUnixSeq));
}

// write(2) after SHUT_WR with SIGPIPE at its default action: the process is
// killed by SIGPIPE (POSIX write: "a SIGPIPE signal shall also be sent").
TEST(shutdown, wr_then_write_sigpipe_kills, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
    ASSERT_OK(sys::shutdown(fds[0], SHUT_WR));
    long pid = sys::fork();
    ASSERT_OK(pid);
    if (pid == 0) {
        sys::write(fds[0], "x", 1);
        sys::exit_group(0);
    }
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifsignaled(st));
    EXPECT_EQ(wtermsig(st), SIGPIPE);
    close2(fds);
}

// shutdown(2) SHUT_RD: a receive on the empty socket returns 0 at once
// instead of blocking (Linux; POSIX only says receives are disabled).
TEST_P(shutdown, rd_then_recv_returns_zero, BOUNDARY, LINUX, kConnStreams) {
    int fds[2];
    pair(row, fds);
    ASSERT_OK(sys::shutdown(fds[1], SHUT_RD));
    char c;
    EXPECT_RET(sys::recv(fds[1], &c, 1, 0), 0);
    close2(fds);
}

// shutdown(2) SHUT_RDWR: no more sends (EPIPE) and the peer reads
// end-of-file (POSIX shutdown).
TEST_P(shutdown, rdwr_both_directions, POSITIVE, PSE53, kConnStreams) {
    int fds[2];
    pair(row, fds);
    ASSERT_OK(sys::shutdown(fds[0], SHUT_RDWR));
    char c;
    EXPECT_ERR(sys::send(fds[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    EXPECT_RET(sys::recv(fds[1], &c, 1, 0), 0);
    EXPECT_RET(sys::recv(fds[0], &c, 1, 0), 0);
    close2(fds);
}

struct HowRow {
    const char* label;
    int family, how;
};
constexpr HowRow kBadHow[] = {
    {"unix_how=-1", AF_UNIX, -1},           {"unix_how=3", AF_UNIX, 3},
    {"unix_how=INT_MAX", AF_UNIX, INT_MAX}, {"tcp4_how=3", AF_INET, 3},
    {"tcp4_how=-1", AF_INET, -1},           {"tcp6_how=4", AF_INET6, 4},
};
// shutdown(2) with `how` not SHUT_RD/SHUT_WR/SHUT_RDWR: EINVAL (POSIX).
TEST_P(shutdown, bad_how_einval, NEGATIVE, PSE53, kBadHow) {
    int fds[2];
    stream_pair(row.family, fds);
    EXPECT_ERR(sys::shutdown(fds[0], row.how), EINVAL);
    EXPECT_RET(sys::send(fds[0], "s", 1, 0), 1);  // nothing was shut down
    close2(fds);
}

// shutdown(2) on an unconnected TCP or UDP socket: ENOTCONN (POSIX).
TEST_P(shutdown, inet_unconnected_enotconn, NEGATIVE, PSE53, kInet) {
    int fd = bound(row);
    EXPECT_ERR(sys::shutdown(fd, SHUT_RDWR), ENOTCONN);
    sys::close(fd);
}

// shutdown(2) on an unconnected AF_UNIX socket succeeds on Linux
// (unix_shutdown does not check the state); POSIX says ENOTCONN.
constexpr Kind kUnixAll[] = {kUnixStream, kUnixDgram, kUnixSeq};
TEST_P(shutdown, unix_unconnected_succeeds, BOUNDARY, LINUX, kUnixAll) {
    int fd = bound(row);
    EXPECT_OK(sys::shutdown(fd, SHUT_WR));
    // It takes effect: an unconnected datagram socket can no longer send to
    // a bound peer. (Without a destination, Linux 6.1 reports ENOTCONN
    // before EPIPE and 6.18 EPIPE first: not what this test is about.)
    if (row.type == SOCK_DGRAM) {
        Addr pa;
        int peer = bound(row, &pa);
        EXPECT_ERR(sys::sendto(fd, "x", 1, MSG_NOSIGNAL, pa.raw, pa.len), EPIPE);
        sys::close(peer);
    }
    sys::close(fd);
}
