// SPDX-License-Identifier: MIT
// Shared helpers of the socket tests: see net.hpp. No tests here.
#include "tests/socket/net.hpp"

#include "rt/fmt.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_poll.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"

// The checks below are not in the running test's own source file: name this
// file in their messages (test.hpp's KC_FILE assumes a header or the test's
// file, and would report this file's line numbers under the test's name).
#undef KC_FILE
#define KC_FILE __FILE__

namespace net {

void loopback(int family, Addr* a, u16 port) {
    *a = Addr{};
    a->family = u16(family);
    if (family == AF_INET6) {
        a->in6.sin6_port = hton16(port);
        a->in6.sin6_addr[15] = 1;
        a->len = sizeof(sockaddr_in6);
    } else {
        a->in.sin_port = hton16(port);
        a->in.sin_addr = hton32(INADDR_LOOPBACK);
        a->len = sizeof(sockaddr_in);
    }
}

int port_of(const Addr& a) { return hton16(a.in.sin_port); }  // same offset in in6

void abstract_name(Addr* a) {
    static u32 counter;
    *a = Addr{};
    a->un.sun_family = AF_UNIX;
    char* p = a->un.sun_path + 1;  // sun_path[0] == 0: the abstract namespace
    rt::Fmt f(p, sizeof a->un.sun_path - 1);
    f.s("kconform-").u(u64(sys::getpid())).c('-').u(++counter);
    a->len = int(__builtin_offsetof(sockaddr_un, sun_path) + 1 + f.len);
}

// Whether lo is up (SIOCGIFFLAGS; false when that fails). When the suite is
// PID 1 (the harness itself with --isolate=none, or this test's parent in
// init's session 0 for a forked test; a service that some other init started,
// such as systemd's, has a session of its own), it is the init of its own
// machine or namespace and nobody else will ever configure loopback there: it
// brings lo up (CAP_NET_ADMIN), as any init does, whatever test asks first
// (tests run in parallel, in no fixed order). This changes nothing on a host
// the suite does not own.
static bool suite_is_init() {
    return sys::getpid() == 1 || (sys::getppid() == 1 && sys::getsid(0) == 0);
}

static bool lo_up(int* error) {
    ifreq ifr{};
    ifr.ifr_name[0] = 'l', ifr.ifr_name[1] = 'o';
    long fd = sys::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return *error = int(fd), false;
    long r = sys::ioctl(int(fd), SIOCGIFFLAGS, long(&ifr));
    if (r == 0 && !(ifr.ifr_flags & IFF_UP) && suite_is_init()) {
        ifr.ifr_flags = short(ifr.ifr_flags | IFF_UP);
        if (sys::ioctl(int(fd), SIOCSIFFLAGS, long(&ifr)) == 0)
            r = sys::ioctl(int(fd), SIOCGIFFLAGS, long(&ifr));
    }
    sys::close(int(fd));
    *error = int(r);
    return r == 0 && (ifr.ifr_flags & IFF_UP);
}

void need(int family) {
    if (family == AF_UNIX) return;
    int lo_error;
    lo_up(&lo_error);
    long fd = sys::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd == -EAFNOSUPPORT) {
        kc::skip(family == AF_INET ? "AF_INET is not supported (socket: EAFNOSUPPORT)"
                                   : "AF_INET6 is not supported (socket: EAFNOSUPPORT)");
    }
    ASSERT_OK(fd);
    Addr a;
    loopback(family, &a);
    long r = sys::bind(int(fd), &a, a.len);
    // Linux adds ::1 when lo comes up, but it is usable only once addrconf's
    // work item has run: as init, where lo was just brought up (by this test
    // or one beside it), wait for it up to 200 ms.
    for (int i = 0; r == -EADDRNOTAVAIL && family == AF_INET6 && suite_is_init() && i < 100; ++i) {
        common::sleep_ms(2);
        r = sys::bind(int(fd), &a, a.len);
    }
    // As init, lo may have been brought up a moment ago by a test beside
    // this one: IFF_UP shows before the NETDEV_UP notifiers have added the
    // loopback routes, and a connect in that window is ENETUNREACH. A
    // datagram connect to the loopback address (a route lookup) tells when
    // they are there; wait for it up to 200 ms.
    if (r == 0 && suite_is_init()) {
        for (int i = 0; sys::connect(int(fd), &a, a.len) == -ENETUNREACH && i < 100; ++i)
            common::sleep_ms(2);
    }
    sys::close(int(fd));
    if (r == -EADDRNOTAVAIL) {
        kc::skip(family == AF_INET ? "no IPv4 loopback (bind 127.0.0.1: EADDRNOTAVAIL)"
                                   : "no IPv6 loopback (bind ::1: EADDRNOTAVAIL)");
    }
    ASSERT_OK(r);
}

void need_lo_up(int family) {
    if (family == AF_UNIX) return;
    need(family);
    int error;
    if (!lo_up(&error) && error == 0)
        kc::skip("the loopback interface lo is down (no network configured)");
}

int bound(int family, int type, Addr* out, int flags) {
    need(family);
    Addr a;
    if (family == AF_UNIX) {
        abstract_name(&a);
    } else {
        loopback(family, &a);
    }
    long fd = sys::socket(family, type | flags, 0);
    ASSERT_OK(fd);
    ASSERT_OK(sys::bind(int(fd), &a, a.len));
    if (out) {
        *out = Addr{};
        out->len = sizeof out->raw;
        ASSERT_OK(sys::getsockname(int(fd), out->raw, &out->len));
    }
    return int(fd);
}

int listener(int family, Addr* a, int backlog, int flags) {
    need_lo_up(family);
    int fd = bound(family, SOCK_STREAM, a, flags);
    ASSERT_OK(sys::listen(fd, backlog));
    return fd;
}

void stream_pair(int family, int fds[2]) {
    if (family == AF_UNIX) {
        ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
        return;
    }
    need_lo_up(family);  // as pair() does for datagrams: connect crosses loopback
    Addr a;
    int l = listener(family, &a, 1);
    long c = sys::socket(family, SOCK_STREAM, 0);
    ASSERT_OK(c);
    ASSERT_OK(sys::connect(int(c), a.raw, a.len));
    long s = sys::accept(l, nullptr, nullptr);
    ASSERT_OK(s);
    sys::close(l);
    fds[0] = int(c);
    fds[1] = int(s);
}

void pair(const Kind& k, int fds[2]) {
    if (k.family == AF_UNIX) {
        ASSERT_OK(sys::socketpair(AF_UNIX, k.type, 0, fds));
    } else if (k.type == SOCK_STREAM) {
        stream_pair(k.family, fds);
    } else {
        need_lo_up(k.family);
        Addr a, b;
        fds[0] = bound(k, &a);
        fds[1] = bound(k, &b);
        ASSERT_OK(sys::connect(fds[0], b.raw, b.len));
        ASSERT_OK(sys::connect(fds[1], a.raw, a.len));
    }
}

int plain(int family, int type, int flags) {
    need(family);
    long fd = sys::socket(family, type | flags, 0);
    ASSERT_OK(fd);
    return int(fd);
}

bool same_addr(const Addr& a, const Addr& b) {
    if (a.len != b.len) return false;
    for (int i = 0; i < a.len; ++i)
        if (a.raw[i] != b.raw[i]) return false;
    return true;
}

Addr name_of(int fd, bool peer) {
    Addr a{};
    a.len = sizeof a.raw;
    long r = peer ? sys::getpeername(fd, a.raw, &a.len) : sys::getsockname(fd, a.raw, &a.len);
    EXPECT_OK(r);
    return a;
}

bool is_loopback(const Addr& a) {
    Addr lo;
    loopback(a.family, &lo, u16(port_of(a)));
    return same_addr(a, lo);
}

long proc_long(const char* path, long dflt) {
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return dflt;
    char buf[24] = {};
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    if (n <= 0 || buf[0] < '0' || buf[0] > '9') return dflt;
    long v = 0;
    for (long i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) v = v * 10 + (buf[i] - '0');
    return v;
}

int get_int(int fd, int level, int name) {
    int v = 0x5a5a5a5a, len = sizeof v;
    ASSERT_OK(sys::getsockopt(fd, level, name, &v, &len));
    ASSERT_EQ(len, int(sizeof v));
    return v;
}

void set_int(int fd, int level, int name, int v) {
    ASSERT_OK(sys::setsockopt(fd, level, name, &v, sizeof v));
}

bool take_signal(int sig) {
    u64 set = sigbit(sig);
    timespec zero{0, 0};
    return sys::rt_sigtimedwait(&set, nullptr, &zero) == sig;
}

void block_signal(int sig, bool block) {
    u64 set = sigbit(sig);
    sys::rt_sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, nullptr);
}

int poll1(int fd, short events, int ms) {
    pollfd p{fd, events, 0};
    timespec ts{ms / 1000, long(ms % 1000) * 1000000};
    long r = sys::ppoll(&p, 1, &ts, nullptr, 0);
    ASSERT_OK(r);
    return r ? p.revents : 0;
}

int memfd(const void* data, usize n) {
    long fd = sys::memfd_create("kconform-net", 0);
    ASSERT_OK(fd);
    if (n) ASSERT_RET(sys::write(int(fd), data, n), long(n));
    return int(fd);
}

void make_pipe(int fds[2], int flags) { ASSERT_OK(sys::pipe2(fds, flags)); }

void close2(const int fds[2]) {
    sys::close(fds[0]);
    sys::close(fds[1]);
}

void pattern(void* buf, usize n, u8 seed) {
    auto* p = static_cast<u8*>(buf);
    for (usize i = 0; i < n; ++i) p[i] = u8(seed + i * 7 + (i >> 8));
}

void* map(usize n) {
    long p = sys::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(p);
    return reinterpret_cast<void*>(p);
}

void unmap(void* p, usize n) { sys::munmap(p, n); }

msghdr make_msg(iovec* iov, usize n, void* control, usize clen) {
    msghdr m{};
    m.msg_iov = iov;
    m.msg_iovlen = n;
    m.msg_control = control;
    m.msg_controllen = clen;
    return m;
}

long send_fds(int sock, int fd, int n) {
    alignas(cmsghdr) static u8 control[cmsg_space(4 * 256)];
    if (n < 0 || n > 256) return -EINVAL;
    auto* c = reinterpret_cast<cmsghdr*>(control);
    c->cmsg_len = cmsg_len(4 * usize(n));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    for (int i = 0; i < n; ++i) static_cast<int*>(cmsg_data(c))[i] = fd;
    iovec iov{const_cast<char*>("F"), 1};
    msghdr m = make_msg(&iov, 1, control, cmsg_space(4 * usize(n)));
    return sys::sendmsg(sock, &m, 0);
}

void send_later(void* arg) {
    const Later& l = *static_cast<const Later*>(arg);
    common::sleep_ms(20);
    EXPECT_RET(sys::send(l.fd, l.data, l.n, 0), long(l.n));
    char done;
    EXPECT_RET(sys::recv(l.fd, &done, 1, 0), 1);
}

void unix_path_addr(Addr* a, const char* name) {
    const char* p = kc::scratch_path(name);
    usize n = rt::strlen(p);
    if (n >= sizeof a->un.sun_path) kc::skip("scratch path too long for sun_path (108 bytes)");
    *a = Addr{};
    a->un.sun_family = AF_UNIX;
    for (usize i = 0; i < n; ++i) a->un.sun_path[i] = p[i];
    a->len = int(kSunPathOff + n + 1);
}

int unix_connect(const Addr& a, int type, int flags) {
    int c = plain(AF_UNIX, type, flags);
    ASSERT_OK(sys::connect(c, a.raw, a.len));
    return c;
}

}  // namespace net
