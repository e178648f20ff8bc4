// SPDX-License-Identifier: MIT
// Sockets: typed raw wrappers, kernel structs and constants. Everything here
// is the same on the 64-bit architectures kconform supports (x86-64, aarch64,
// riscv64 use the asm-generic socket numbers; SOL_SOCKET and the SO_* values
// differ only on alpha, mips, parisc and sparc). Like rt/sys.hpp, a wrapper
// returns the kernel's result unchanged: [-4095, -1] is -errno.
#pragma once

#include "rt/sys.hpp"

// Address families, socket types and creation flags.
inline constexpr int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
inline constexpr int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4;
inline constexpr int SOCK_SEQPACKET = 5, SOCK_PACKET = 10;
inline constexpr int SOCK_NONBLOCK = O_NONBLOCK, SOCK_CLOEXEC = O_CLOEXEC;
inline constexpr int IPPROTO_IP = 0, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_IPV6 = 41;

// Socket options.
inline constexpr int SOL_SOCKET = 1;
inline constexpr int SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7;
inline constexpr int SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_LINGER = 13, SO_PASSCRED = 16;
inline constexpr int SO_PEERCRED = 17, SO_RCVTIMEO = 20, SO_SNDTIMEO = 21;
inline constexpr int SO_RCVLOWAT = 18, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;
inline constexpr int SO_ZEROCOPY = 60;
inline constexpr int TCP_NODELAY = 1, IPV6_V6ONLY = 26;
// Extended errors on the socket's error queue (linux/in.h, linux/in6.h):
// the control message's level is the protocol's (IPPROTO_IP, IPPROTO_IPV6).
inline constexpr int IP_RECVERR = 11, IPV6_RECVERR = 25;

// send/recv flags, shutdown modes, control messages.
inline constexpr int MSG_OOB = 1, MSG_PEEK = 2, MSG_CTRUNC = 8, MSG_TRUNC = 0x20;
inline constexpr int MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100;
inline constexpr int MSG_ERRQUEUE = 0x2000, MSG_NOSIGNAL = 0x4000, MSG_MORE = 0x8000;
inline constexpr int MSG_WAITFORONE = 0x10000, MSG_ZEROCOPY = 0x4000000;
inline constexpr int MSG_FASTOPEN = 0x20000000, MSG_CMSG_CLOEXEC = 0x40000000;
inline constexpr int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
inline constexpr int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
inline constexpr int SCM_MAX_FD = 253;  // fds in one SCM_RIGHTS message (Linux)

// Network byte order, whatever the CPU's.
constexpr u16 hton16(u16 v) {
    return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? __builtin_bswap16(v) : v;
}
constexpr u32 hton32(u32 v) {
    return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? __builtin_bswap32(v) : v;
}
inline constexpr u32 INADDR_ANY = 0, INADDR_LOOPBACK = 0x7f000001;  // host order

struct sockaddr_un {
    u16 sun_family;
    char sun_path[108];
};
struct sockaddr_in {
    u16 sin_family;
    u16 sin_port;  // network order
    u32 sin_addr;  // network order
    u8 sin_zero[8];
};
struct sockaddr_in6 {
    u16 sin6_family;
    u16 sin6_port;
    u32 sin6_flowinfo;
    u8 sin6_addr[16];
    u32 sin6_scope_id;
};
inline constexpr int kSockaddrStorage = 128;  // sizeof(struct sockaddr_storage)
static_assert(sizeof(sockaddr_un) == 110 && sizeof(sockaddr_in) == 16);
static_assert(sizeof(sockaddr_in6) == 28);

struct msghdr {
    void* msg_name;
    int msg_namelen;
    iovec* msg_iov;
    usize msg_iovlen;
    void* msg_control;
    usize msg_controllen;
    unsigned msg_flags;
};
struct mmsghdr {
    msghdr msg_hdr;
    unsigned msg_len;
};
struct cmsghdr {
    usize cmsg_len;
    int cmsg_level;
    int cmsg_type;
};
static_assert(sizeof(msghdr) == 56 && sizeof(mmsghdr) == 64 && sizeof(cmsghdr) == 16);
constexpr usize cmsg_align(usize n) { return (n + sizeof(long) - 1) & ~(sizeof(long) - 1); }
constexpr usize cmsg_len(usize n) { return sizeof(cmsghdr) + n; }
constexpr usize cmsg_space(usize n) { return sizeof(cmsghdr) + cmsg_align(n); }
inline void* cmsg_data(cmsghdr* c) { return reinterpret_cast<char*>(c) + sizeof(cmsghdr); }

struct ucred {
    int pid;
    u32 uid;
    u32 gid;
};
struct linger {
    int l_onoff;
    int l_linger;
};
static_assert(sizeof(ucred) == 12 && sizeof(linger) == 8);

// The data of an IP_RECVERR/IPV6_RECVERR control message (linux/errqueue.h).
struct sock_extended_err {
    u32 ee_errno;
    u8 ee_origin;
    u8 ee_type;
    u8 ee_code;
    u8 ee_pad;
    u32 ee_info;
    u32 ee_data;
};
static_assert(sizeof(sock_extended_err) == 16);
inline constexpr u8 SO_EE_ORIGIN_ICMP = 2, SO_EE_ORIGIN_ICMP6 = 3, SO_EE_ORIGIN_ZEROCOPY = 5;

// Interface flags through ioctl(2) on any socket (linux/sockios.h, linux/if.h):
// struct ifreq is the name, then a 24-byte union (the same on every 64-bit ABI).
inline constexpr unsigned long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
// Bytes in a TCP socket's send queue not yet sent (int; SIOCOUTQ counts the
// unacknowledged ones too). Bytes to read: FIONREAD (rt/types.hpp).
inline constexpr unsigned long SIOCOUTQNSD = 0x894B;
inline constexpr short IFF_UP = 1;
inline constexpr int IFNAMSIZ = 16;
struct ifreq {
    char ifr_name[IFNAMSIZ];
    union {
        short ifr_flags;
        u8 ifr_raw[24];
    };
};
static_assert(sizeof(ifreq) == 40);

namespace sys {

// Lengths are ints, not socklen_t, so that tests can pass negative values.

// int socket(int domain, int type, int protocol);
inline long socket(int family, int type, int proto) {
    return syscall3(nr::socket, family, type, proto);
}
// int socketpair(int domain, int type, int protocol, int sv[2]);
inline long socketpair(int family, int type, int proto, int* sv) {
    return syscall4(nr::socketpair, family, type, proto, L(sv));
}
// int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
inline long bind(int fd, const void* addr, int len) { return syscall3(nr::bind, fd, L(addr), len); }
// int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
inline long connect(int fd, const void* addr, int len) {
    return syscall3(nr::connect, fd, L(addr), len);
}
// int listen(int sockfd, int backlog);
inline long listen(int fd, int backlog) { return syscall2(nr::listen, fd, backlog); }
// int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
inline long accept(int fd, void* addr, int* len) {
    return syscall3(nr::accept, fd, L(addr), L(len));
}
// int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
inline long accept4(int fd, void* addr, int* len, int flags) {
    return syscall4(nr::accept4, fd, L(addr), L(len), flags);
}
// int getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
inline long getsockname(int fd, void* addr, int* len) {
    return syscall3(nr::getsockname, fd, L(addr), L(len));
}
// int getpeername(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
inline long getpeername(int fd, void* addr, int* len) {
    return syscall3(nr::getpeername, fd, L(addr), L(len));
}
// ssize_t sendto(int sockfd, const void *buf, size_t len, int flags,
//                const struct sockaddr *dest_addr, socklen_t addrlen);
inline long sendto(int fd, const void* buf, usize n, int flags, const void* addr, int alen) {
    return syscall6(nr::sendto, fd, L(buf), L(n), flags, L(addr), alen);
}
// ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *src, socklen_t *len);
inline long recvfrom(int fd, void* buf, usize n, int flags, void* addr, int* alen) {
    return syscall6(nr::recvfrom, fd, L(buf), L(n), flags, L(addr), L(alen));
}
// ssize_t send(int sockfd, const void *buf, size_t len, int flags);
// As sendto with no address: the one form every architecture has.
inline long send(int fd, const void* buf, usize n, int flags) {
    return sendto(fd, buf, n, flags, nullptr, 0);
}
// ssize_t recv(int sockfd, void *buf, size_t len, int flags);
// As recvfrom with no address: the one form every architecture has.
inline long recv(int fd, void* buf, usize n, int flags) {
    return recvfrom(fd, buf, n, flags, nullptr, nullptr);
}
// ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
inline long sendmsg(int fd, const msghdr* m, int flags) {
    return syscall3(nr::sendmsg, fd, L(m), flags);
}
// ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
inline long recvmsg(int fd, msghdr* m, int flags) { return syscall3(nr::recvmsg, fd, L(m), flags); }
// int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags);
inline long sendmmsg(int fd, mmsghdr* v, unsigned n, int flags) {
    return syscall4(nr::sendmmsg, fd, L(v), n, flags);
}
// int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *t);
inline long recvmmsg(int fd, mmsghdr* v, unsigned n, int flags, timespec* t) {
    return syscall5(nr::recvmmsg, fd, L(v), n, flags, L(t));
}
// int shutdown(int sockfd, int how);
inline long shutdown(int fd, int how) { return syscall2(nr::shutdown, fd, how); }
// int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen);
inline long getsockopt(int fd, int level, int name, void* val, int* len) {
    return syscall5(nr::getsockopt, fd, level, name, L(val), L(len));
}
// int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen);
inline long setsockopt(int fd, int level, int name, const void* val, int len) {
    return syscall5(nr::setsockopt, fd, level, name, L(val), len);
}

}  // namespace sys
