// SPDX-License-Identifier: MIT
// Shared helpers of the socket tests (src/tests/socket/*.cpp): addresses,
// loopback sockets that skip when a family or the loopback interface is
// missing, and small option and signal helpers. Definitions: net.cpp.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_net.hpp"

namespace net {

// Any socket address, with its length.
struct Addr {
    union {
        u16 family;
        sockaddr_un un;
        sockaddr_in in;
        sockaddr_in6 in6;
        u8 raw[kSockaddrStorage];
    };
    int len;
};

// Rows naming a kind of socket: reported as e.g. `bind.x/tcp6`.
struct Kind {
    const char* label;
    int family;
    int type;
};
inline constexpr Kind kTcp4{"tcp4", AF_INET, SOCK_STREAM}, kTcp6{"tcp6", AF_INET6, SOCK_STREAM};
inline constexpr Kind kUdp4{"udp4", AF_INET, SOCK_DGRAM}, kUdp6{"udp6", AF_INET6, SOCK_DGRAM};
inline constexpr Kind kUnixStream{"unix_stream", AF_UNIX, SOCK_STREAM};
inline constexpr Kind kUnixDgram{"unix_dgram", AF_UNIX, SOCK_DGRAM};
inline constexpr Kind kUnixSeq{"unix_seqpacket", AF_UNIX, SOCK_SEQPACKET};

// The loopback address of family (127.0.0.1 or ::1) with `port` (host order).
void loopback(int family, Addr* a, u16 port = 0);
// Host-order port of an AF_INET/AF_INET6 address.
int port_of(const Addr& a);
// A unique abstract AF_UNIX name for this process ("\0kc-<pid>-<n>").
void abstract_name(Addr* a);
// Skips the test when `family` (AF_INET/AF_INET6) cannot be used on loopback:
// socket() fails with EAFNOSUPPORT or binding the loopback address fails with
// EADDRNOTAVAIL. Other families always pass.
void need(int family);
// Makes sure the loopback interface is up, or skips the test. On a kernel
// booted with only an initramfs nothing configures the network: lo is down,
// traffic to 127.0.0.1 or ::1 fails with ENETUNREACH, and with no local
// routes binding a foreign address succeeds. When the suite runs as PID 1 it
// is that machine's init and brings lo up itself (SIOCSIFFLAGS, as root);
// otherwise a down lo is a SKIP. A kernel that does not answer SIOCGIFFLAGS
// is assumed to have loopback up. Needed by tests that send or connect over
// loopback, or that rely on its routes.
void need_lo_up(int family);
// A socket of `kind` bound to the loopback address (or, for AF_UNIX, an
// abstract name) with a kernel-chosen port; its address goes to *a when a is
// not null. Skips like need(); any other failure ends the test.
int bound(int family, int type, Addr* a = nullptr, int flags = 0);
inline int bound(const Kind& k, Addr* a = nullptr, int flags = 0) {
    return bound(k.family, k.type, a, flags);
}
// A listening stream socket (TCP on loopback, or AF_UNIX abstract). For TCP
// it skips like need_lo_up(): a listener is only ever made to be connected to.
int listener(int family, Addr* a, int backlog = 8, int flags = 0);
// A connected stream pair: fds[0] the client, fds[1] the accepted end.
// AF_UNIX gives a socketpair; TCP goes through a loopback listener.
void stream_pair(int family, int fds[2]);
// A connected pair of `kind` for any type: socketpair for AF_UNIX, otherwise
// TCP through a listener or two UDP sockets connected to each other.
void pair(const Kind& k, int fds[2]);
// A new unbound socket (skips like need()); failures end the test.
int plain(int family, int type, int flags = 0);
inline int plain(const Kind& k, int flags = 0) { return plain(k.family, k.type, flags); }
// Equal lengths and bytes.
bool same_addr(const Addr& a, const Addr& b);
// getsockname (or getpeername) of fd; a failure is recorded.
Addr name_of(int fd, bool peer = false);
// The loopback address of a's family with a's port.
bool is_loopback(const Addr& a);
// The leading decimal number in a /proc/sys file, or `dflt` when it cannot
// be read.
long proc_long(const char* path, long dflt);
// getsockopt/setsockopt of an int; failures end the test.
int get_int(int fd, int level, int name);
void set_int(int fd, int level, int name, int v);
// Takes `sig` if it is pending for this thread (it should be blocked);
// returns true when it was.
bool take_signal(int sig);
// Blocks or unblocks one signal for the calling thread.
void block_signal(int sig, bool block);
// Events of one fd after ppoll for at most `ms` milliseconds (0 on timeout).
int poll1(int fd, short events, int ms);
// A memfd holding n bytes of data; ends the test when it cannot be made.
int memfd(const void* data, usize n);
// A pipe; ends the test on failure.
void make_pipe(int fds[2], int flags = 0);
// Closes both fds of a pair.
void close2(const int fds[2]);
// Fills buf with a pattern that depends on seed, so that data mix-ups show.
void pattern(void* buf, usize n, u8 seed);
// An anonymous mapping of n bytes (ends the test on failure); unmap().
void* map(usize n);
void unmap(void* p, usize n);

// A msghdr with the iovecs `iov` (n of them) and control buffer `control`
// (clen bytes), no name.
msghdr make_msg(iovec* iov, usize n, void* control = nullptr, usize clen = 0);

// AF_UNIX: where sun_path starts in sockaddr_un; a filesystem address for
// scratch file `name` (skips when the scratch path does not fit in
// sun_path); a new socket of `type` connected to `a` (the connect must
// succeed).
inline constexpr int kSunPathOff = __builtin_offsetof(sockaddr_un, sun_path);
void unix_path_addr(Addr* a, const char* name);
int unix_connect(const Addr& a, int type = SOCK_STREAM, int flags = 0);

// Sends one byte "F" with `n` (at most 256) copies of fd in SCM_RIGHTS:
// sendmsg's result.
long send_fds(int sock, int fd, int n = 1);

// For kc::spawn: sends the `n` bytes at `data` on `fd` 20 ms from now, then
// waits for one byte back before exiting, so that its SIGCHLD cannot arrive
// while the test still receives (a caught or traced signal ends a blocking
// receive early, with what it has so far).
struct Later {
    int fd;
    const char* data;
    usize n;
};
void send_later(void* later);

// A table row of one int argument: a length, a backlog, flags, a family.
struct IntRow {
    const char* label;
    int v;
};
// AF_UNIX address lengths that bind and connect reject: shorter than
// sun_family, longer than sockaddr_un or than sockaddr_storage.
inline constexpr IntRow kBadUnixLens[] = {
    {"len=-1", -1},   {"len=0", 0},     {"len=1", 1},
    {"len=111", 111}, {"len=129", 129}, {"len=INT_MAX", INT_MAX},
};

}  // namespace net
