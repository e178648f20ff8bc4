// SPDX-License-Identifier: MIT
// Every flag of the socket calls, observed by its effect against the same
// call without it: a kernel that accepts a flag and ignores it fails one of
// these tests. The flags are those of man 2 socket, socketpair, accept4,
// send, recv, recvmmsg and shutdown, and the socket options of socket(7),
// tcp(7) and ipv6(7) whose effect shows on one machine, over loopback. Each
// is listed with the tests that observe it; (here) marks this file's, where
// a send or receive flag has a test for each call of its family, written
// `*.name` (sendto stands for send, recvfrom for recv).
//
// socket, socketpair, accept4:
//   SOCK_NONBLOCK     socket.nonblock_flag_makes_recv_eagain,
//                     socketpair.type_flags_reflected, accept4.flags_applied
//                     (EAGAIN where the call would block)
//   SOCK_CLOEXEC      socket.type_flags_reflected,
//                     socketpair.type_flags_reflected, accept4.flags_applied
//                     (FD_CLOEXEC, against the row without the flag;
//                     execve.fd_cloexec_set_by_fcntl_closed: it closes)
// sendto, sendmsg, sendmmsg:
//   MSG_DONTWAIT      *.msg_dontwait_full_eagain (here)
//   MSG_NOSIGNAL      shutdown.wr_then_write_epipe_sigpipe (send);
//                     sendmsg.msg_nosignal_no_sigpipe,
//                     sendmmsg.msg_nosignal_no_sigpipe (here)
//   MSG_MORE          *.msg_more_joins_udp_datagram,
//                     *.msg_more_holds_tcp_segment (here)
//   MSG_OOB           *.msg_oob_sends_tcp_urgent_byte (here);
//                     sendmsg.msg_oob_unsupported_eopnotsupp (datagrams)
//   MSG_FASTOPEN      *.msg_fastopen_connects_and_sends (here)
//   MSG_ZEROCOPY      *.msg_zerocopy_reports_completion (here)
// recvfrom, recvmsg, recvmmsg:
//   MSG_PEEK          recvfrom.msg_peek_leaves_data;
//                     recvmsg.msg_peek_leaves_data,
//                     recvmmsg.msg_peek_leaves_data (here)
//   MSG_DONTWAIT      recvfrom.msg_dontwait_empty_eagain,
//                     recvmmsg.zero_vlen_and_empty_eagain;
//                     recvmsg.msg_dontwait_empty_eagain (here)
//   MSG_WAITALL       recvfrom.stream_waitall_waits_for_later_send;
//                     recvmsg.msg_waitall_waits_for_later_send,
//                     recvmmsg.msg_waitall_waits_for_later_send (here)
//   MSG_TRUNC         datagrams: recvfrom.msg_trunc_returns_real_length;
//                     recvmsg.msg_trunc_returns_real_length,
//                     recvmmsg.msg_trunc_returns_real_length (here);
//                     TCP: *.msg_trunc_discards_tcp_data (here)
//   MSG_OOB           sendto.msg_oob_sends_tcp_urgent_byte (with recv);
//                     recvmsg.msg_oob_reads_tcp_urgent_byte,
//                     recvmmsg.msg_oob_reads_tcp_urgent_byte (here)
//   MSG_ERRQUEUE      *.msg_errqueue_reads_icmp_error (here)
//   MSG_CMSG_CLOEXEC  recvmsg.msg_cmsg_cloexec_sets_fd_cloexec;
//                     recvmmsg.msg_cmsg_cloexec_sets_fd_cloexec (here)
//   MSG_WAITFORONE    recvmmsg.msg_waitforone_waits_for_first_only (here)
//   out, msg_flags:   MSG_TRUNC recvmsg.msg_trunc_flag_on_short_buffer and
//                     the msg_trunc tests above; MSG_CTRUNC
//                     recvmsg.msg_ctrunc_extra_fds_dropped,
//                     recvmmsg.msg_ctrunc_flag_on_short_control (here);
//                     MSG_OOB and MSG_ERRQUEUE: the tests above
// shutdown (AF_UNIX stream and seqpacket, TCP over IPv4 and IPv6):
//   SHUT_RD           shutdown.rd_then_recv_returns_zero
//   SHUT_WR           shutdown.wr_peer_reads_eof,
//                     shutdown.wr_then_write_epipe_sigpipe
//   SHUT_RDWR         shutdown.rdwr_both_directions
// setsockopt:
//   SO_RCVLOWAT       setsockopt.so_rcvlowat_delays_readiness (here)
//   SO_SNDBUF         sendmsg.unix_dgram_size_limit_emsgsize (the largest
//                     AF_UNIX datagram follows it)
//   SO_RCVBUF         setsockopt.so_rcvbuf_bounds_tcp_receive_queue (here)
//   SO_REUSEADDR      bind.tcp_reuseaddr_shares_until_listen,
//                     bind.udp_reuseaddr_shares_port
//   SO_LINGER         setsockopt.so_linger_zero_resets_connection (here)
//   SO_PASSCRED       sendmsg.scm_credentials_added_with_so_passcred
//   SO_RCVTIMEO       setsockopt.so_rcvtimeo_expires_eagain
//   SO_SNDTIMEO       setsockopt.so_sndtimeo_expires_eagain
//   IPV6_V6ONLY       setsockopt.ipv6_v6only_decides_ipv4_port_sharing (here)
//   SO_KEEPALIVE,     read back only (setsockopt.boolean_option_normalised):
//   TCP_NODELAY       keepalive probes start after a second of idleness at
//                     the least, and what Nagle's algorithm holds back
//                     depends on when the peer's ACK comes.
// Left out:
//   MSG_EOR: Linux's AF_UNIX seqpacket sockets make each send a record with
//     or without it, and their recvmsg never sets MSG_EOR in msg_flags,
//     where the man page has it "indicate end-of-record"; on TCP it only
//     keeps later data out of the segment, which shows in segment counts
//     alone.
//   MSG_CONFIRM: it refreshes the neighbour entry of the next hop, which
//     loopback does not have. MSG_DONTROUTE: loopback has no gateway to
//     avoid. MSG_BATCH: a hint to flush the device queue later.
//   The kernel's bits that are not for user space (MSG_PROBE,
//     MSG_SPLICE_PAGES, MSG_SOCK_DEVMEM) and those no protocol here uses
//     (MSG_FIN, MSG_SYN, MSG_RST).
#include "rt/sys_cred.hpp"
#include "rt/sys_poll.hpp"
#include "tests/common/common_util.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kTcp[] = {kTcp4, kTcp6};
constexpr Kind kUdp[] = {kUdp4, kUdp6};
constexpr Kind kStreams[] = {kUnixStream, kTcp4, kTcp6};
constexpr Kind kDgrams[] = {kUnixDgram, kUnixSeq, kUdp4, kUdp6};
constexpr Kind kAll[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kUdp4, kTcp6, kUdp6};
// Kinds whose sends block when the peer does not read.
constexpr Kind kBlocking[] = {kUnixStream, kUnixDgram, kUnixSeq, kTcp4, kTcp6};

constexpr i64 kMs = 1000000;

// The call of each family that a body uses: sendto/recvfrom, sendmsg/recvmsg,
// or sendmmsg/recvmmsg with one message.
enum Via { TO_FROM, MSG, MMSG };

// Sends n bytes with the call of `via`, to `to` when given; the count sent
// (sendmmsg's msg_len) or -errno.
long send_via(Via via, int fd, const void* buf, usize n, int flags, const Addr* to = nullptr) {
    if (via == TO_FROM)
        return sys::sendto(fd, buf, n, flags, to ? to->raw : nullptr, to ? to->len : 0);
    iovec iov{const_cast<void*>(buf), n};
    mmsghdr mm{};
    mm.msg_hdr = make_msg(&iov, 1);
    if (to) mm.msg_hdr.msg_name = const_cast<u8*>(to->raw), mm.msg_hdr.msg_namelen = to->len;
    if (via == MSG) return sys::sendmsg(fd, &mm.msg_hdr, flags);
    long r = sys::sendmmsg(fd, &mm, 1, flags);
    return r == 1 ? long(mm.msg_len) : r;
}

// Receives into buf with the call of `via`: the count (recvmmsg's msg_len)
// or -errno. `m`, when given, lends its control buffer and gets back
// msg_flags and msg_controllen (0 for recvfrom, which has neither).
long recv_via(Via via, int fd, void* buf, usize n, int flags, msghdr* m = nullptr) {
    if (via == TO_FROM) {
        if (m) m->msg_flags = 0, m->msg_controllen = 0;
        return sys::recvfrom(fd, buf, n, flags, nullptr, nullptr);
    }
    iovec iov{buf, n};
    mmsghdr mm{};
    mm.msg_hdr = make_msg(&iov, 1, m ? m->msg_control : nullptr, m ? m->msg_controllen : 0);
    long r = via == MSG ? sys::recvmsg(fd, &mm.msg_hdr, flags)
                        : sys::recvmmsg(fd, &mm, 1, flags, nullptr);
    if (via == MMSG && r == 1) r = long(mm.msg_len);
    if (m) m->msg_flags = mm.msg_hdr.msg_flags, m->msg_controllen = mm.msg_hdr.msg_controllen;
    return r;
}

// A control buffer for one message: SCM_RIGHTS with one fd, or an extended
// error with the address of its origin.
struct alignas(cmsghdr) Control {
    u8 bytes[128];
    cmsghdr* hdr() { return reinterpret_cast<cmsghdr*>(bytes); }
    msghdr msg() { return make_msg(nullptr, 0, bytes, sizeof bytes); }
};

// ---- sending

// Fills the peer's queue with MSG_DONTWAIT sends on a blocking socket. A
// kernel that ignores the flag blocks in the loop once the queue is full,
// and the test ends as TIMEOUT.
void dontwait_full(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    set_int(fds[0], SOL_SOCKET, SO_SNDBUF, 4096);
    u8 chunk[1024] = {};
    long r;
    int sends = 0;
    while ((r = send_via(via, fds[0], chunk, sizeof chunk, MSG_DONTWAIT)) > 0 && ++sends < 100000) {
    }
    EXPECT_ERR(r, EAGAIN);
    EXPECT_GT(sends, 0);
    EXPECT_EQ(sys::fcntl(fds[0], F_GETFL) & O_NONBLOCK, 0);
    close2(fds);
}

// After SHUT_WR, a send fails with EPIPE and raises SIGPIPE; with
// MSG_NOSIGNAL it fails the same without the signal. SIGPIPE is blocked, so
// that it stays pending where it can be seen.
void nosignal(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    ASSERT_OK(sys::shutdown(fds[0], SHUT_WR));
    block_signal(SIGPIPE, true);
    take_signal(SIGPIPE);
    EXPECT_ERR(send_via(via, fds[0], "x", 1, 0), EPIPE);
    EXPECT_TRUE(take_signal(SIGPIPE));
    EXPECT_ERR(send_via(via, fds[0], "x", 1, MSG_NOSIGNAL), EPIPE);
    EXPECT_TRUE(!take_signal(SIGPIPE));
    block_signal(SIGPIPE, false);
    close2(fds);
}

// UDP: two sends are two datagrams; a send with MSG_MORE is held back (UDP
// corking has no timer) and its data goes out with the next send's, as one
// datagram.
void more_udp(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    char buf[8] = {};
    EXPECT_RET(send_via(via, fds[0], "ab", 2, 0), 2);
    EXPECT_RET(send_via(via, fds[0], "cd", 2, 0), 2);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 2);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 2);
    EXPECT_MEM_EQ(buf, "cd", 2);
    EXPECT_RET(send_via(via, fds[0], "ef", 2, MSG_MORE), 2);
    EXPECT_ERR(sys::recv(fds[1], buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    EXPECT_RET(send_via(via, fds[0], "gh", 2, 0), 2);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 4);
    EXPECT_MEM_EQ(buf, "efgh", 4);
    close2(fds);
}

// TCP with TCP_NODELAY on a new connection: a send with MSG_MORE stays in the
// send queue (SIOCOUTQNSD counts it), where one without the flag goes out at
// once; the next send without it takes both out. The held bytes also go out
// when the probe timer that the held send arms fires (tcp_check_probe_timer:
// TCP_RTO_MIN, 200 ms, at the least): a count taken 100 ms or more after the
// send proves nothing, and is taken again on a new connection.
void more_tcp(const Kind& k, Via via) {
    int fds[2] = {-1, -1};
    int unsent = -1;
    bool timely = false;
    for (int attempt = 0; attempt < 5 && !timely; ++attempt) {
        if (attempt) close2(fds);
        stream_pair(k.family, fds);
        set_int(fds[0], IPPROTO_TCP, TCP_NODELAY, 1);
        i64 t0 = kc::now_ns();
        ASSERT_RET(send_via(via, fds[0], "ab", 2, MSG_MORE), 2);
        ASSERT_OK(sys::ioctl(fds[0], SIOCOUTQNSD, long(&unsent)));
        timely = unsent == 2 || kc::now_ns() - t0 < 100 * kMs;
    }
    if (!timely) {
        close2(fds);
        kc::skip("starved: 100 ms or more passed between send and ioctl on 5 connections");
    }
    EXPECT_EQ(unsent, 2);
    EXPECT_RET(send_via(via, fds[0], "cd", 2, 0), 2);
    ASSERT_OK(sys::ioctl(fds[0], SIOCOUTQNSD, long(&unsent)));
    EXPECT_EQ(unsent, 0);
    char buf[4] = {};
    EXPECT_RET(sys::recv(fds[1], buf, 4, MSG_WAITALL), 4);
    EXPECT_MEM_EQ(buf, "abcd", 4);
    close2(fds);
}

// TCP urgent data: after "abc", "X" sent with MSG_OOB (by `snd`) is read by
// `rcv` with MSG_OOB, flagged MSG_OOB in msg_flags, and is not part of the
// stream (SO_OOBINLINE is off); "Y" sent without the flag is stream data,
// and there is no urgent byte left to read (EINVAL).
void oob(const Kind& k, Via snd, Via rcv) {
    int fds[2];
    pair(k, fds);
    ASSERT_RET(sys::send(fds[0], "abc", 3, 0), 3);
    ASSERT_RET(send_via(snd, fds[0], "X", 1, MSG_OOB), 1);
    ASSERT_NE(poll1(fds[1], POLLPRI, 2000) & POLLPRI, 0);
    char c = 0, buf[8] = {};
    msghdr m{};
    EXPECT_RET(recv_via(rcv, fds[1], &c, 1, MSG_OOB | MSG_DONTWAIT, &m), 1);
    EXPECT_EQ(c, 'X');
    if (rcv != TO_FROM) EXPECT_EQ(m.msg_flags & MSG_OOB, MSG_OOB);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    ASSERT_RET(send_via(snd, fds[0], "Y", 1, 0), 1);
    EXPECT_RET(recv_via(rcv, fds[1], buf, sizeof buf, 0, &m), 1);
    EXPECT_EQ(buf[0], 'Y');
    EXPECT_EQ(m.msg_flags & MSG_OOB, 0);
    EXPECT_ERR(recv_via(rcv, fds[1], &c, 1, MSG_OOB | MSG_DONTWAIT, &m), EINVAL);
    close2(fds);
}

// MSG_FASTOPEN on an unconnected TCP socket connects it to the address
// given and sends the data (sent in the SYN when the client has a cookie,
// after the handshake otherwise); without the flag Linux ignores the address
// and fails with EPIPE (the socket is not connected). Skipped where the
// host disables Fast Open for clients (net.ipv4.tcp_fastopen bit 0).
void fastopen(const Kind& k, Via via) {
    Addr la;
    int l = listener(k.family, &la, 8, SOCK_NONBLOCK);
    int c = plain(k);
    EXPECT_ERR(send_via(via, c, "fast", 4, MSG_NOSIGNAL, &la), EPIPE);
    long r = send_via(via, c, "fast", 4, MSG_FASTOPEN | MSG_NOSIGNAL, &la);
    if (r == -EOPNOTSUPP) {
        sys::close(c);
        sys::close(l);
        kc::skip("needs TCP Fast Open for clients (net.ipv4.tcp_fastopen bit 0 is clear)");
    }
    ASSERT_RET(r, 4);
    ASSERT_NE(poll1(l, POLLIN, 2000), 0);
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    char buf[4] = {};
    EXPECT_RET(sys::recv(int(s), buf, 4, MSG_WAITALL), 4);
    EXPECT_MEM_EQ(buf, "fast", 4);
    EXPECT_TRUE(same_addr(name_of(c, true), la));
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
}

// The control message of an extended error on a socket of `family`.
void expect_recverr(cmsghdr* c, int family, u32 err, u8 origin) {
    bool v6 = family == AF_INET6;
    EXPECT_EQ(c->cmsg_level, v6 ? IPPROTO_IPV6 : IPPROTO_IP);
    EXPECT_EQ(c->cmsg_type, v6 ? IPV6_RECVERR : IP_RECVERR);
    EXPECT_GE(long(c->cmsg_len), long(cmsg_len(sizeof(sock_extended_err))));
    sock_extended_err ee;
    __builtin_memcpy(&ee, cmsg_data(c), sizeof ee);
    EXPECT_EQ(long(ee.ee_errno), long(err));
    EXPECT_EQ(ee.ee_origin, origin);
}

// With SO_ZEROCOPY set, a send with MSG_ZEROCOPY queues a completion on the
// sender's error queue (origin SO_EE_ORIGIN_ZEROCOPY, the range of zerocopy
// sends it covers in ee_info..ee_data: [0, 0], the first); the send before
// it, without the flag, takes no number and queues nothing. Both datagrams
// arrive. (msg_zerocopy.rst: over loopback the data is copied, and the
// completion says so in ee_code.) The buffer is pinned and counted against
// RLIMIT_MEMLOCK without CAP_IPC_LOCK: ENOBUFS where no page is left.
void zerocopy(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    set_int(fds[0], SOL_SOCKET, SO_ZEROCOPY, 1);
    char data[8] = "zcopy";
    EXPECT_RET(send_via(via, fds[0], "plain", 5, 0), 5);
    long r = send_via(via, fds[0], data, 5, MSG_ZEROCOPY);
    if (r == -ENOBUFS && !kc::cap_usable(CAP_IPC_LOCK)) {
        close2(fds);
        kc::skip("needs RLIMIT_MEMLOCK room for a page: MSG_ZEROCOPY pins the buffer (ENOBUFS)");
    }
    EXPECT_RET(r, 5);
    ASSERT_NE(poll1(fds[0], POLLIN, 2000) & POLLERR, 0);
    Control ctl{};
    msghdr m = ctl.msg();
    EXPECT_RET(sys::recvmsg(fds[0], &m, MSG_ERRQUEUE | MSG_DONTWAIT), 0);
    ASSERT_GE(long(m.msg_controllen), long(cmsg_len(sizeof(sock_extended_err))));
    expect_recverr(ctl.hdr(), k.family, 0, SO_EE_ORIGIN_ZEROCOPY);
    sock_extended_err ee;
    __builtin_memcpy(&ee, cmsg_data(ctl.hdr()), sizeof ee);
    EXPECT_EQ(long(ee.ee_info), 0);
    EXPECT_EQ(long(ee.ee_data), 0);
    m = ctl.msg();
    EXPECT_ERR(sys::recvmsg(fds[0], &m, MSG_ERRQUEUE | MSG_DONTWAIT), EAGAIN);
    char buf[8] = {};
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 5);
    EXPECT_MEM_EQ(buf, "plain", 5);
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 5);
    EXPECT_MEM_EQ(buf, "zcopy", 5);
    close2(fds);
}

// ---- receiving

void peek(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    EXPECT_RET(sys::send(fds[0], "peek", 4, 0), 4);
    ASSERT_NE(poll1(fds[1], POLLIN, 2000), 0);
    char a[4] = {}, b[4] = {};
    EXPECT_RET(recv_via(via, fds[1], a, 4, MSG_PEEK), 4);
    EXPECT_MEM_EQ(a, "peek", 4);
    EXPECT_RET(recv_via(via, fds[1], b, 4, MSG_DONTWAIT), 4);
    EXPECT_MEM_EQ(b, "peek", 4);
    EXPECT_ERR(recv_via(via, fds[1], b, 4, MSG_DONTWAIT), EAGAIN);
    close2(fds);
}

void dontwait_empty(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    char c;
    EXPECT_ERR(recv_via(via, fds[1], &c, 1, MSG_DONTWAIT), EAGAIN);
    EXPECT_EQ(sys::fcntl(fds[1], F_GETFL) & O_NONBLOCK, 0);
    close2(fds);
}

// With 4 of 8 bytes queued, a receive with MSG_WAITALL waits for a later
// send to bring the other 4, where one without the flag returns the 4.
void waitall(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    EXPECT_RET(sys::send(fds[0], "abcd", 4, 0), 4);
    Later later{fds[0], "efgh", 4};
    long pid = kc::spawn(send_later, &later);
    ASSERT_GT(pid, 0);
    char buf[8] = {};
    EXPECT_RET(recv_via(via, fds[1], buf, 8, MSG_WAITALL), 8);
    EXPECT_MEM_EQ(buf, "abcdefgh", 8);
    EXPECT_RET(sys::send(fds[1], "q", 1, 0), 1);
    EXPECT_CHILD_OK(pid);
    close2(fds);
}

// A 9-byte datagram into a 2-byte buffer: without MSG_TRUNC the call returns
// the 2 bytes copied, with it the datagram's real length; both set MSG_TRUNC
// in msg_flags and copy 2 bytes.
void trunc_real_length(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    EXPECT_RET(sys::send(fds[0], "truncated", 9, 0), 9);
    EXPECT_RET(sys::send(fds[0], "shortened", 9, 0), 9);
    char buf[4] = {};
    msghdr m{};
    EXPECT_RET(recv_via(via, fds[1], buf, 2, 0, &m), 2);
    EXPECT_MEM_EQ(buf, "tr", 2);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
    EXPECT_RET(recv_via(via, fds[1], buf, 2, MSG_TRUNC, &m), 9);
    EXPECT_MEM_EQ(buf, "sh", 2);
    EXPECT_EQ(m.msg_flags & MSG_TRUNC, MSG_TRUNC);
    close2(fds);
}

// TCP: a receive with MSG_TRUNC discards the bytes it counts and copies
// none (tcp(7)); without it they are copied.
void trunc_discards(const Kind& k, Via via) {
    int fds[2];
    pair(k, fds);
    EXPECT_RET(sys::send(fds[0], "0123456789", 10, 0), 10);
    char buf[10];
    EXPECT_RET(recv_via(via, fds[1], buf, 2, 0), 2);
    EXPECT_MEM_EQ(buf, "01", 2);
    common::fill_bytes(buf, '.', sizeof buf);
    EXPECT_RET(recv_via(via, fds[1], buf, 4, MSG_TRUNC), 4);
    EXPECT_MEM_EQ(buf, "....", 4);
    EXPECT_RET(recv_via(via, fds[1], buf, sizeof buf, 0), 4);
    EXPECT_MEM_EQ(buf, "6789", 4);
    close2(fds);
}

// UDP with IP_RECVERR/IPV6_RECVERR: a datagram to a port that takes nothing
// from this sender comes back as an ICMP port unreachable. Without
// MSG_ERRQUEUE a receive reports the pending ECONNREFUSED once, then finds
// nothing; with it, it reads the error queue: the datagram's payload, the
// MSG_ERRQUEUE output flag and the extended error (errno and ICMP origin).
// The port's socket is connected to itself, so it takes datagrams from no
// one else, while no other socket can take the port.
void errqueue(const Kind& k, Via via) {
    need_lo_up(k.family);
    Addr ha;
    int holder = bound(k, &ha);
    ASSERT_OK(sys::connect(holder, ha.raw, ha.len));
    int s = bound(k);
    bool v6 = k.family == AF_INET6;
    set_int(s, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, 1);
    EXPECT_RET(sys::sendto(s, "lost", 4, 0, ha.raw, ha.len), 4);
    ASSERT_NE(poll1(s, POLLIN, 2000) & POLLERR, 0);
    char buf[8] = {};
    EXPECT_ERR(recv_via(via, s, buf, sizeof buf, MSG_DONTWAIT), ECONNREFUSED);
    EXPECT_ERR(recv_via(via, s, buf, sizeof buf, MSG_DONTWAIT), EAGAIN);
    Control ctl{};
    msghdr m = ctl.msg();
    EXPECT_RET(recv_via(via, s, buf, sizeof buf, MSG_ERRQUEUE | MSG_DONTWAIT, &m), 4);
    EXPECT_MEM_EQ(buf, "lost", 4);
    if (via != TO_FROM) {
        EXPECT_EQ(m.msg_flags & MSG_ERRQUEUE, MSG_ERRQUEUE);
        ASSERT_GE(long(m.msg_controllen), long(cmsg_len(sizeof(sock_extended_err))));
        expect_recverr(ctl.hdr(), k.family, ECONNREFUSED,
                       v6 ? SO_EE_ORIGIN_ICMP6 : SO_EE_ORIGIN_ICMP);
    }
    EXPECT_ERR(recv_via(via, s, buf, sizeof buf, MSG_ERRQUEUE | MSG_DONTWAIT), EAGAIN);
    sys::close(s);
    sys::close(holder);
}

}  // namespace

// send(2) MSG_DONTWAIT: a send that would block on a full queue fails with
// EAGAIN instead, and the fd stays blocking (Linux MSG_DONTWAIT, as the
// recv tests of transfer.cpp).
TEST_P(sendto, msg_dontwait_full_eagain, POSITIVE, LINUX, kBlocking) {
    dontwait_full(row, TO_FROM);
}
// sendmsg(2) MSG_DONTWAIT: as sendto.
TEST_P(sendmsg, msg_dontwait_full_eagain, POSITIVE, LINUX, kBlocking) { dontwait_full(row, MSG); }
// sendmmsg(2) MSG_DONTWAIT: as sendto.
TEST_P(sendmmsg, msg_dontwait_full_eagain, POSITIVE, LINUX, kBlocking) { dontwait_full(row, MMSG); }

// sendmsg(2) MSG_NOSIGNAL: EPIPE without SIGPIPE on a stream shut for
// writing, where the same call without it raises SIGPIPE (POSIX sendmsg).
TEST_P(sendmsg, msg_nosignal_no_sigpipe, POSITIVE, PSE53, kStreams) { nosignal(row, MSG); }
// sendmmsg(2) MSG_NOSIGNAL: as sendmsg (Linux).
TEST_P(sendmmsg, msg_nosignal_no_sigpipe, POSITIVE, LINUX, kStreams) { nosignal(row, MMSG); }

// send(2) MSG_MORE on UDP: the data waits for the next send without it and
// leaves as one datagram with that send's (send(2), udp(7) UDP_CORK).
TEST_P(sendto, msg_more_joins_udp_datagram, POSITIVE, LINUX, kUdp) { more_udp(row, TO_FROM); }
// sendmsg(2) MSG_MORE on UDP: as sendto.
TEST_P(sendmsg, msg_more_joins_udp_datagram, POSITIVE, LINUX, kUdp) { more_udp(row, MSG); }
// sendmmsg(2) MSG_MORE on UDP: as sendto.
TEST_P(sendmmsg, msg_more_joins_udp_datagram, POSITIVE, LINUX, kUdp) { more_udp(row, MMSG); }

// send(2) MSG_MORE on TCP: the data is held back as with TCP_CORK, even with
// TCP_NODELAY, until a send without the flag (send(2), tcp(7)).
TEST_P(sendto, msg_more_holds_tcp_segment, POSITIVE, LINUX, kTcp) { more_tcp(row, TO_FROM); }
// sendmsg(2) MSG_MORE on TCP: as sendto.
TEST_P(sendmsg, msg_more_holds_tcp_segment, POSITIVE, LINUX, kTcp) { more_tcp(row, MSG); }
// sendmmsg(2) MSG_MORE on TCP: as sendto.
TEST_P(sendmmsg, msg_more_holds_tcp_segment, POSITIVE, LINUX, kTcp) { more_tcp(row, MMSG); }

// send(2) MSG_OOB on TCP sends urgent data, which the peer reads apart from
// the stream with recv(2) MSG_OOB (POSIX send, recv: out-of-band data;
// SO_OOBINLINE off by default).
TEST_P(sendto, msg_oob_sends_tcp_urgent_byte, POSITIVE, PSE53, kTcp) { oob(row, TO_FROM, TO_FROM); }
// sendmsg(2) MSG_OOB on TCP: as sendto (POSIX sendmsg).
TEST_P(sendmsg, msg_oob_sends_tcp_urgent_byte, POSITIVE, PSE53, kTcp) { oob(row, MSG, TO_FROM); }
// sendmmsg(2) MSG_OOB on TCP: as sendto (Linux).
TEST_P(sendmmsg, msg_oob_sends_tcp_urgent_byte, POSITIVE, LINUX, kTcp) { oob(row, MMSG, TO_FROM); }
// recvmsg(2) MSG_OOB on TCP reads the urgent byte and sets MSG_OOB in
// msg_flags (POSIX recvmsg).
TEST_P(recvmsg, msg_oob_reads_tcp_urgent_byte, POSITIVE, PSE53, kTcp) { oob(row, TO_FROM, MSG); }
// recvmmsg(2) MSG_OOB on TCP: as recvmsg (Linux).
TEST_P(recvmmsg, msg_oob_reads_tcp_urgent_byte, POSITIVE, LINUX, kTcp) { oob(row, TO_FROM, MMSG); }

// sendto(2) MSG_FASTOPEN: an implicit connect that carries the data
// (send(2), tcp(7) TCP Fast Open).
TEST_P(sendto, msg_fastopen_connects_and_sends, POSITIVE, LINUX, kTcp) { fastopen(row, TO_FROM); }
// sendmsg(2) MSG_FASTOPEN with msg_name: as sendto.
TEST_P(sendmsg, msg_fastopen_connects_and_sends, POSITIVE, LINUX, kTcp) { fastopen(row, MSG); }
// sendmmsg(2) MSG_FASTOPEN with msg_name: as sendto.
TEST_P(sendmmsg, msg_fastopen_connects_and_sends, POSITIVE, LINUX, kTcp) { fastopen(row, MMSG); }

// send(2) MSG_ZEROCOPY with SO_ZEROCOPY: a completion on the error queue
// (Linux Documentation/networking/msg_zerocopy.rst).
TEST_P(sendto, msg_zerocopy_reports_completion, POSITIVE, LINUX, kUdp) { zerocopy(row, TO_FROM); }
// sendmsg(2) MSG_ZEROCOPY: as sendto.
TEST_P(sendmsg, msg_zerocopy_reports_completion, POSITIVE, LINUX, kUdp) { zerocopy(row, MSG); }
// sendmmsg(2) MSG_ZEROCOPY: as sendto.
TEST_P(sendmmsg, msg_zerocopy_reports_completion, POSITIVE, LINUX, kUdp) { zerocopy(row, MMSG); }

// recvmsg(2) MSG_PEEK returns the data and leaves it queued: the next
// receive returns it again (POSIX recvmsg).
TEST_P(recvmsg, msg_peek_leaves_data, POSITIVE, PSE53, kAll) { peek(row, MSG); }
// recvmmsg(2) MSG_PEEK: as recvmsg (Linux).
TEST_P(recvmmsg, msg_peek_leaves_data, POSITIVE, LINUX, kAll) { peek(row, MMSG); }

// recvmsg(2) MSG_DONTWAIT on an empty blocking socket: EAGAIN, and the fd
// stays blocking (Linux MSG_DONTWAIT; a kernel that ignores it blocks until
// the test's deadline).
TEST_P(recvmsg, msg_dontwait_empty_eagain, NEGATIVE, LINUX, kAll) { dontwait_empty(row, MSG); }

// recvmsg(2) MSG_WAITALL on a stream waits until the whole request is there
// (POSIX recvmsg).
TEST_P(recvmsg, msg_waitall_waits_for_later_send, POSITIVE, PSE53, kStreams,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    waitall(row, MSG);
}
// recvmmsg(2) MSG_WAITALL: as recvmsg (Linux).
TEST_P(recvmmsg, msg_waitall_waits_for_later_send, POSITIVE, LINUX, kStreams,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    waitall(row, MMSG);
}

// recvmsg(2) MSG_TRUNC on a datagram socket returns the real length of the
// datagram (Linux; udp(7), unix(7)).
TEST_P(recvmsg, msg_trunc_returns_real_length, BOUNDARY, LINUX, kDgrams) {
    trunc_real_length(row, MSG);
}
// recvmmsg(2) MSG_TRUNC: msg_len is the real length (Linux).
TEST_P(recvmmsg, msg_trunc_returns_real_length, BOUNDARY, LINUX, kDgrams) {
    trunc_real_length(row, MMSG);
}

// recv(2) MSG_TRUNC on TCP discards the data instead of copying it (tcp(7)).
TEST_P(recvfrom, msg_trunc_discards_tcp_data, POSITIVE, LINUX, kTcp) {
    trunc_discards(row, TO_FROM);
}
// recvmsg(2) MSG_TRUNC on TCP: as recv.
TEST_P(recvmsg, msg_trunc_discards_tcp_data, POSITIVE, LINUX, kTcp) { trunc_discards(row, MSG); }
// recvmmsg(2) MSG_TRUNC on TCP: as recv.
TEST_P(recvmmsg, msg_trunc_discards_tcp_data, POSITIVE, LINUX, kTcp) { trunc_discards(row, MMSG); }

// recv(2) MSG_ERRQUEUE reads a queued error: the payload of the datagram that
// caused it (recv(2), ip(7) IP_RECVERR, ipv6(7) IPV6_RECVERR).
TEST_P(recvfrom, msg_errqueue_reads_icmp_error, POSITIVE, LINUX, kUdp) { errqueue(row, TO_FROM); }
// recvmsg(2) MSG_ERRQUEUE: the payload, MSG_ERRQUEUE in msg_flags and the
// sock_extended_err control message (recv(2)).
TEST_P(recvmsg, msg_errqueue_reads_icmp_error, POSITIVE, LINUX, kUdp) { errqueue(row, MSG); }
// recvmmsg(2) MSG_ERRQUEUE: as recvmsg.
TEST_P(recvmmsg, msg_errqueue_reads_icmp_error, POSITIVE, LINUX, kUdp) { errqueue(row, MMSG); }

// recvmmsg(2) MSG_CMSG_CLOEXEC: an fd received by SCM_RIGHTS has FD_CLOEXEC,
// one received without the flag has not (recv(2), unix(7)).
TEST(recvmmsg, msg_cmsg_cloexec_sets_fd_cloexec, POSITIVE, LINUX) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    constexpr int kFlags[] = {0, MSG_CMSG_CLOEXEC};
    for (int flags : kFlags) {
        EXPECT_RET(send_fds(socks[0], socks[0]), 1);
        Control ctl{};
        msghdr m = ctl.msg();
        char b;
        EXPECT_RET(recv_via(MMSG, socks[1], &b, 1, flags | MSG_DONTWAIT, &m), 1);
        ASSERT_EQ(long(m.msg_controllen), long(cmsg_space(4)));
        ASSERT_EQ(ctl.hdr()->cmsg_type, SCM_RIGHTS);
        int fd;
        __builtin_memcpy(&fd, cmsg_data(ctl.hdr()), sizeof fd);
        EXPECT_EQ(sys::fcntl(fd, F_GETFD) & FD_CLOEXEC, flags ? FD_CLOEXEC : 0);
        sys::close(fd);
    }
    close2(socks);
}

// recvmmsg(2): a control buffer too small for the SCM_RIGHTS message sets
// MSG_CTRUNC in that message's msg_flags; one large enough does not (Linux
// recvmmsg returns each message's msg_flags as recvmsg does).
TEST(recvmmsg, msg_ctrunc_flag_on_short_control, BOUNDARY, LINUX) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_RET(send_fds(socks[0], socks[0]), 1);
    EXPECT_RET(send_fds(socks[0], socks[0]), 1);
    Control ctl{};
    msghdr m = make_msg(nullptr, 0, ctl.bytes, sizeof(cmsghdr));  // no room for the fd
    char b;
    EXPECT_RET(recv_via(MMSG, socks[1], &b, 1, MSG_DONTWAIT, &m), 1);
    EXPECT_EQ(m.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
    m = ctl.msg();
    EXPECT_RET(recv_via(MMSG, socks[1], &b, 1, MSG_DONTWAIT, &m), 1);
    EXPECT_EQ(m.msg_flags & MSG_CTRUNC, 0);
    if (long(m.msg_controllen) == long(cmsg_space(4))) {
        int fd;
        __builtin_memcpy(&fd, cmsg_data(ctl.hdr()), sizeof fd);
        sys::close(fd);
    }
    close2(socks);
}

// recvmmsg(2) MSG_WAITFORONE: the call waits for the first message only and
// returns what the others find queued (recvmmsg(2): "turns on MSG_DONTWAIT
// after the first message has been received"). With one datagram queued, a
// batch of two returns it alone, leaving the second entry untouched, where
// without the flag the call would wait for a second (a kernel that ignores
// the flag blocks until the test's deadline); with none queued, it waits for
// one sent 20 ms later, where MSG_DONTWAIT would fail with EAGAIN.
TEST(recvmmsg, msg_waitforone_waits_for_first_only, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::SLOW) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    char buf[2][4] = {};
    iovec iov[2] = {{buf[0], 4}, {buf[1], 4}};
    mmsghdr mm[2] = {};
    for (int i = 0; i < 2; ++i) mm[i].msg_hdr = make_msg(&iov[i], 1), mm[i].msg_len = 99;
    EXPECT_RET(sys::send(fds[0], "a", 1, 0), 1);
    EXPECT_RET(sys::recvmmsg(fds[1], mm, 2, MSG_WAITFORONE, nullptr), 1);
    EXPECT_EQ(long(mm[0].msg_len), 1);
    EXPECT_EQ(buf[0][0], 'a');
    EXPECT_EQ(long(mm[1].msg_len), 99);
    Later later{fds[0], "b", 1};
    long pid = kc::spawn(send_later, &later);
    ASSERT_GT(pid, 0);
    EXPECT_RET(sys::recvmmsg(fds[1], mm, 2, MSG_WAITFORONE, nullptr), 1);
    EXPECT_EQ(buf[0][0], 'b');
    EXPECT_RET(sys::send(fds[1], "q", 1, 0), 1);
    EXPECT_CHILD_OK(pid);
    close2(fds);
}

// SO_RCVLOWAT: a TCP socket with fewer bytes queued than the low-water mark
// is not readable for poll(2); with the default mark of 1 the same bytes
// make it readable, and so do enough bytes (POSIX setsockopt SO_RCVLOWAT:
// a blocking receive waits for that many bytes, so poll may not report
// POLLIN before).
TEST_P(setsockopt, so_rcvlowat_delays_readiness, POSITIVE, PSE53, kTcp) {
    int fds[2];
    pair(row, fds);
    EXPECT_EQ(get_int(fds[1], SOL_SOCKET, SO_RCVLOWAT), 1);
    EXPECT_RET(sys::send(fds[0], "ab", 2, 0), 2);
    EXPECT_NE(poll1(fds[1], POLLIN, 2000) & POLLIN, 0);
    set_int(fds[1], SOL_SOCKET, SO_RCVLOWAT, 4);
    EXPECT_EQ(get_int(fds[1], SOL_SOCKET, SO_RCVLOWAT), 4);
    EXPECT_EQ(poll1(fds[1], POLLIN, 0) & POLLIN, 0);
    EXPECT_RET(sys::send(fds[0], "cd", 2, 0), 2);
    EXPECT_NE(poll1(fds[1], POLLIN, 2000) & POLLIN, 0);
    char buf[8] = {};
    EXPECT_RET(sys::recv(fds[1], buf, sizeof buf, 0), 4);
    EXPECT_MEM_EQ(buf, "abcd", 4);
    close2(fds);
}

namespace {
// A client connected to a listener of `family` whose SO_RCVBUF is `rcvbuf`
// (0: the default), sending until its send buffer is full. Returns the
// bytes the accepted socket then has queued once they stop arriving or
// pass `more_than`, and its SO_RCVBUF in *got.
int queued_at_receiver(int family, int rcvbuf, int more_than, int* got) {
    Addr la;
    int l = listener(family, &la);
    if (rcvbuf) set_int(l, SOL_SOCKET, SO_RCVBUF, rcvbuf);  // inherited on accept
    int c = plain(family, SOCK_STREAM);
    ASSERT_OK(sys::connect(c, la.raw, la.len));
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    *got = get_int(int(s), SOL_SOCKET, SO_RCVBUF);
    set_int(c, SOL_SOCKET, SO_SNDBUF, 65536);  // bounds the loop
    static u8 chunk[16384];
    int sends = 0;
    while (sys::send(c, chunk, sizeof chunk, MSG_DONTWAIT) > 0 && ++sends < 10000) {
    }
    int queued = -1;
    ASSERT_NE(poll1(int(s), POLLIN, 2000), 0);
    for (int i = 0; i < 200; ++i) {
        ASSERT_OK(sys::ioctl(int(s), FIONREAD, long(&queued)));
        if (queued > more_than) break;
        common::sleep_ms(1);
    }
    sys::close(int(s));
    sys::close(c);
    sys::close(l);
    return queued;
}
}  // namespace

// SO_RCVBUF bounds what a TCP receiver queues: the window it advertises
// comes from it, so a sender that fills its own buffer gets no more than
// that many bytes into the receiver's queue; with the default buffer it
// gets more in (socket(7), tcp(7); set on the listener, the option passes
// to the accepted socket). The default is compared only where it is more
// than four times the small one (net.ipv4.tcp_rmem).
TEST_P(setsockopt, so_rcvbuf_bounds_tcp_receive_queue, POSITIVE, LINUX, kTcp) {
    int small = 0, dflt = 0;
    int queued = queued_at_receiver(row.family, 4096, 0, &small);
    EXPECT_EQ(small, 8192);  // twice the 4096 asked for
    EXPECT_GT(queued, 0);
    EXPECT_LE(queued, 8192);
    int more = queued_at_receiver(row.family, 0, 8192, &dflt);
    if (dflt > 4 * 8192) EXPECT_GT(more, 8192);
}

// SO_LINGER with l_onoff 1 and l_linger 0: close aborts the connection, and
// the peer's receive fails with ECONNRESET; without it the peer reads end of
// file (socket(7), tcp(7): a reset instead of the normal close).
TEST_P(setsockopt, so_linger_zero_resets_connection, POSITIVE, LINUX, kTcp) {
    int fds[2];
    char c;
    pair(row, fds);
    sys::close(fds[0]);
    EXPECT_RET(sys::recv(fds[1], &c, 1, 0), 0);
    sys::close(fds[1]);
    pair(row, fds);
    linger lg{1, 0};
    ASSERT_OK(sys::setsockopt(fds[0], SOL_SOCKET, SO_LINGER, &lg, sizeof lg));
    sys::close(fds[0]);
    EXPECT_ERR(sys::recv(fds[1], &c, 1, 0), ECONNRESET);
    sys::close(fds[1]);
}

struct TypeRow {
    const char* label;
    int type;
};
constexpr TypeRow kV6onlyTypes[] = {{"tcp", SOCK_STREAM}, {"udp", SOCK_DGRAM}};
// IPV6_V6ONLY: an AF_INET6 socket bound to the wildcard address with the
// option off also takes the port's IPv4 addresses, so binding it where an
// IPv4 socket holds 127.0.0.1 on that port is EADDRINUSE; with the option on
// it takes IPv6 only, and the bind succeeds (ipv6(7), RFC 3493 5.3). The
// port comes from the IPv4 bind; an IPv6-only socket of another process may
// hold it too, so an EADDRINUSE there is tried again on a new port (a kernel
// that ignores the option fails every time).
TEST_P(setsockopt, ipv6_v6only_decides_ipv4_port_sharing, POSITIVE, LINUX, kV6onlyTypes) {
    need(AF_INET6);
    long r = 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
        Addr a4;
        int v4 = bound(AF_INET, row.type, &a4);
        Addr any6{};
        any6.in6.sin6_family = AF_INET6;
        any6.in6.sin6_port = a4.in.sin_port;
        any6.len = sizeof(sockaddr_in6);
        int dual = plain(AF_INET6, row.type);
        set_int(dual, IPPROTO_IPV6, IPV6_V6ONLY, 0);
        EXPECT_ERR(sys::bind(dual, any6.raw, any6.len), EADDRINUSE);
        int only = plain(AF_INET6, row.type);
        set_int(only, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        r = sys::bind(only, any6.raw, any6.len);
        sys::close(only);
        sys::close(dual);
        sys::close(v4);
        if (r != -EADDRINUSE) break;
    }
    EXPECT_OK(r);
}
