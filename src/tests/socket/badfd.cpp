// SPDX-License-Identifier: MIT
// Every socket call on an fd that is not a socket (ENOTSOCK) or not open
// (EBADF): bind, connect, listen, accept, accept4, getsockname, getpeername,
// sendto, recvfrom, sendmsg, recvmsg, sendmmsg, recvmmsg, shutdown,
// getsockopt, setsockopt. The other arguments are valid, so the fd is the
// only thing wrong.
// Not covered: O_PATH fds (Linux reports EBADF for them; see fs tests) and
// fds of other processes.
#include "tests/socket/net.hpp"

using namespace net;

namespace {

enum Call : u8 {
    BIND,
    CONNECT,
    LISTEN,
    ACCEPT,
    ACCEPT4,
    GETSOCKNAME,
    GETPEERNAME,
    SENDTO,
    RECVFROM,
    SENDMSG,
    RECVMSG,
    SENDMMSG,
    RECVMMSG,
    SHUTDOWN,
    GETSOCKOPT,
    SETSOCKOPT,
};
enum FdKindId : u8 { PIPE, DIRECTORY, MINUS_ONE, FD_INT_MAX, CLOSED };

struct FdKind {
    const char* label;
    FdKindId kind;
    int err;
};
constexpr FdKind kFdKinds[] = {
    {"fd=pipe", PIPE, ENOTSOCK},  {"fd=directory", DIRECTORY, ENOTSOCK},
    {"fd=-1", MINUS_ONE, EBADF},  {"fd=INT_MAX", FD_INT_MAX, EBADF},
    {"fd=closed", CLOSED, EBADF},
};

long invoke(Call call, int fd) {
    Addr a;
    abstract_name(&a);
    char buf[8] = {};
    iovec iov{buf, sizeof buf};
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    mmsghdr mm{};
    mm.msg_hdr = m;
    int v = 1, len = sizeof v;
    switch (call) {
        case BIND:
            return sys::bind(fd, a.raw, a.len);
        case CONNECT:
            return sys::connect(fd, a.raw, a.len);
        case LISTEN:
            return sys::listen(fd, 1);
        case ACCEPT:
            return sys::accept(fd, nullptr, nullptr);
        case ACCEPT4:
            return sys::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
        case GETSOCKNAME:
            a.len = sizeof a.raw;
            return sys::getsockname(fd, a.raw, &a.len);
        case GETPEERNAME:
            a.len = sizeof a.raw;
            return sys::getpeername(fd, a.raw, &a.len);
        case SENDTO:
            return sys::sendto(fd, buf, sizeof buf, MSG_DONTWAIT, a.raw, a.len);
        case RECVFROM:
            return sys::recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, nullptr, nullptr);
        case SENDMSG:
            return sys::sendmsg(fd, &m, MSG_DONTWAIT);
        case RECVMSG:
            return sys::recvmsg(fd, &m, MSG_DONTWAIT);
        case SENDMMSG:
            return sys::sendmmsg(fd, &mm, 1, MSG_DONTWAIT);
        case RECVMMSG:
            return sys::recvmmsg(fd, &mm, 1, MSG_DONTWAIT, nullptr);
        case SHUTDOWN:
            return sys::shutdown(fd, SHUT_RDWR);
        case GETSOCKOPT:
            return sys::getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len);
        case SETSOCKOPT:
            return sys::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, len);
    }
    return 0;
}

// Makes the fd of the row's kind, calls `call` on it and checks the errno.
void check(const FdKind& row, Call call) {
    int fds[2] = {-1, -1};
    int fd = -1;
    switch (row.kind) {
        case PIPE:
            make_pipe(fds);
            fd = fds[0];
            break;
        case DIRECTORY: {
            long d = sys::openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            ASSERT_OK(d);
            fd = fds[0] = int(d);
            break;
        }
        case MINUS_ONE:
            fd = -1;
            break;
        case FD_INT_MAX:
            fd = INT_MAX;
            break;
        case CLOSED:
            make_pipe(fds);
            close2(fds);
            fd = fds[0];
            fds[0] = fds[1] = -1;
            break;
    }
    EXPECT_ERR(invoke(call, fd), row.err);
    if (fds[0] >= 0) sys::close(fds[0]);
    if (fds[1] >= 0) sys::close(fds[1]);
}

}  // namespace

// bind(2): ENOTSOCK for a non-socket fd, EBADF for one not open (POSIX bind).
TEST_P(bind, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, BIND); }
// connect(2): ENOTSOCK / EBADF (POSIX connect).
TEST_P(connect, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, CONNECT); }
// listen(2): ENOTSOCK / EBADF (POSIX listen).
TEST_P(listen, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, LISTEN); }
// accept(2): ENOTSOCK / EBADF (POSIX accept).
TEST_P(accept, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, ACCEPT); }
// accept4(2): ENOTSOCK / EBADF, as accept (POSIX.1-2024 accept4).
TEST_P(accept4, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, ACCEPT4); }
// getsockname(2): ENOTSOCK / EBADF (POSIX getsockname).
TEST_P(getsockname, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, GETSOCKNAME); }
// getpeername(2): ENOTSOCK / EBADF (POSIX getpeername).
TEST_P(getpeername, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, GETPEERNAME); }
// sendto(2): ENOTSOCK / EBADF (POSIX sendto).
TEST_P(sendto, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, SENDTO); }
// recvfrom(2): ENOTSOCK / EBADF (POSIX recvfrom).
TEST_P(recvfrom, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, RECVFROM); }
// sendmsg(2): ENOTSOCK / EBADF (POSIX sendmsg).
TEST_P(sendmsg, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, SENDMSG); }
// recvmsg(2): ENOTSOCK / EBADF (POSIX recvmsg).
TEST_P(recvmsg, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, RECVMSG); }
// sendmmsg(2): ENOTSOCK / EBADF (Linux-only call).
TEST_P(sendmmsg, not_a_socket_or_bad_fd, NEGATIVE, LINUX, kFdKinds) { check(row, SENDMMSG); }
// recvmmsg(2): ENOTSOCK / EBADF (Linux-only call).
TEST_P(recvmmsg, not_a_socket_or_bad_fd, NEGATIVE, LINUX, kFdKinds) { check(row, RECVMMSG); }
// shutdown(2): ENOTSOCK / EBADF (POSIX shutdown).
TEST_P(shutdown, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, SHUTDOWN); }
// getsockopt(2): ENOTSOCK / EBADF (POSIX getsockopt).
TEST_P(getsockopt, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, GETSOCKOPT); }
// setsockopt(2): ENOTSOCK / EBADF (POSIX setsockopt).
TEST_P(setsockopt, not_a_socket_or_bad_fd, NEGATIVE, PSE53, kFdKinds) { check(row, SETSOCKOPT); }
