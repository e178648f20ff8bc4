// SPDX-License-Identifier: MIT
// sendmsg(2), recvmsg(2) with ancillary data (unix(7), cmsg(3)): malformed
// control messages; SCM_RIGHTS (passing usable fds, MSG_CMSG_CLOEXEC, the
// limit of fds per message, bad fds, MSG_CTRUNC dropping what does not
// fit); SCM_CREDENTIALS with SO_PASSCRED (added by the kernel, own ones
// accepted, forged ones refused without the capability and accepted with
// it).
// Not covered: SCM_RIGHTS reference cycles (garbage collection),
// SCM_PIDFD and SCM_SECURITY.
#include "rt/sys_cred.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr Kind kUnixKinds[] = {kUnixStream, kUnixDgram, kUnixSeq};

// Control buffer holding one SCM_RIGHTS or SCM_CREDENTIALS message.
struct alignas(8) Control {
    u8 bytes[cmsg_space(4 * 256)];
    cmsghdr* hdr() { return reinterpret_cast<cmsghdr*>(bytes); }
    int* fds() { return static_cast<int*>(cmsg_data(hdr())); }
    ucred* cred() { return static_cast<ucred*>(cmsg_data(hdr())); }
};

// The lowest free fd number (checked by duplicating and closing).
long next_fd() {
    long fd = sys::dup(0);
    if (fd >= 0) sys::close(int(fd));
    return fd;
}

long send_creds(int sock, const ucred& cr) {
    Control c;
    c.hdr()->cmsg_len = cmsg_len(sizeof(ucred));
    c.hdr()->cmsg_level = SOL_SOCKET;
    c.hdr()->cmsg_type = SCM_CREDENTIALS;
    *c.cred() = cr;
    iovec iov{const_cast<char*>("C"), 1};
    msghdr m = make_msg(&iov, 1, c.bytes, cmsg_space(sizeof(ucred)));
    return sys::sendmsg(sock, &m, 0);
}

// Receives one byte and the SCM_CREDENTIALS that must come with it.
ucred recv_creds(int sock) {
    Control c{};
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    ucred cr{-1, 0, 0};
    // MSG_DONTWAIT: callers send first, so a kernel that dropped the datagram
    // fails here instead of hanging until the deadline.
    EXPECT_RET(sys::recvmsg(sock, &m, MSG_DONTWAIT), 1);
    if (m.msg_controllen >= cmsg_len(sizeof(ucred)) && c.hdr()->cmsg_level == SOL_SOCKET &&
        c.hdr()->cmsg_type == SCM_CREDENTIALS) {
        cr = *c.cred();
    } else {
        ADD_FAILURE("no SCM_CREDENTIALS message received");
    }
    return cr;
}

}  // namespace

struct CmsgRow {
    const char* label;
    int level, type;
    usize len;
};
constexpr CmsgRow kBadCmsgs[] = {
    {"cmsg_len=8", SOL_SOCKET, SCM_RIGHTS, 8},
    {"cmsg_len_past_control", SOL_SOCKET, SCM_RIGHTS, cmsg_len(4) + 100},
    {"type=99", SOL_SOCKET, 99, cmsg_len(4)},
};
// sendmsg(2) on AF_UNIX with a malformed control message (length shorter
// than the header or past msg_controllen) or an unknown SOL_SOCKET type:
// EINVAL (Linux __scm_send).
TEST_P(sendmsg, bad_cmsg_einval, NEGATIVE, LINUX, kBadCmsgs) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    Control c{};
    c.hdr()->cmsg_len = row.len;
    c.hdr()->cmsg_level = row.level;
    c.hdr()->cmsg_type = row.type;
    c.fds()[0] = fds[0];
    iovec iov{const_cast<char*>("x"), 1};
    msghdr m = make_msg(&iov, 1, c.bytes, cmsg_space(4));
    EXPECT_ERR(sys::sendmsg(fds[0], &m, 0), EINVAL);
    close2(fds);
}

// sendmsg(2)/recvmsg(2) SCM_RIGHTS: the receiver gets a new fd for the same
// open file: data written through it comes out of the original pipe (POSIX
// sys/socket.h SCM_RIGHTS).
TEST_P(sendmsg, scm_rights_passes_usable_fd, POSITIVE, PSE53, kUnixKinds) {
    int socks[2], pipefd[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, row.type, 0, socks));
    make_pipe(pipefd);
    EXPECT_RET(send_fds(socks[0], pipefd[1], 1), 1);
    sys::close(pipefd[1]);  // only the passed copy keeps the write end open
    Control c{};
    char b = 0;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(b, 'F');
    ASSERT_EQ(c.hdr()->cmsg_level, SOL_SOCKET);
    ASSERT_EQ(c.hdr()->cmsg_type, SCM_RIGHTS);
    ASSERT_EQ(long(c.hdr()->cmsg_len), long(cmsg_len(4)));
    int got = c.fds()[0];
    EXPECT_EQ(sys::fcntl(got, F_GETFD) & FD_CLOEXEC, 0);
    EXPECT_RET(sys::write(got, "via", 3), 3);
    sys::close(got);
    char buf[8];
    EXPECT_RET(sys::read(pipefd[0], buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "via", 3);
    EXPECT_RET(sys::read(pipefd[0], buf, sizeof buf), 0);  // no writer left
    sys::close(pipefd[0]);
    close2(socks);
}

// recvmsg(2) with MSG_CMSG_CLOEXEC: fds received by SCM_RIGHTS get
// FD_CLOEXEC (POSIX.1-2024 recvmsg).
TEST(recvmsg, msg_cmsg_cloexec_sets_fd_cloexec, POSITIVE, PSE53) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_RET(send_fds(socks[0], socks[0], 1), 1);
    Control c{};
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    EXPECT_RET(sys::recvmsg(socks[1], &m, MSG_CMSG_CLOEXEC), 1);
    ASSERT_EQ(c.hdr()->cmsg_type, SCM_RIGHTS);
    EXPECT_EQ(sys::fcntl(c.fds()[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    sys::close(c.fds()[0]);
    close2(socks);
}

// sendmsg(2) SCM_RIGHTS with SCM_MAX_FD (253) fds works and all arrive;
// 254 is EINVAL (Linux unix(7)). The receiver installs them at the lowest
// free numbers, which RLIMIT_NOFILE must allow (else MSG_CTRUNC).
TEST(sendmsg, scm_rights_max_fds, BOUNDARY, LINUX) {
    int need = 0;  // fds 0..need-1 must hold the open ones, the pair and 253 more
    for (int free = 0; free < SCM_MAX_FD + 2; ++need) free += sys::fcntl(need, F_GETFD) < 0;
    kc::require_fds(need);
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_ERR(send_fds(socks[0], socks[0], SCM_MAX_FD + 1), EINVAL);
    EXPECT_RET(send_fds(socks[0], socks[0], SCM_MAX_FD), 1);
    static Control c;
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(m.msg_flags & MSG_CTRUNC, 0);
    EXPECT_EQ(long(c.hdr()->cmsg_len), long(cmsg_len(4 * SCM_MAX_FD)));
    int n = int((c.hdr()->cmsg_len - cmsg_len(0)) / 4);
    for (int i = 0; i < n && i < SCM_MAX_FD; ++i) {
        EXPECT_EQ(get_int(c.fds()[i], SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
        sys::close(c.fds()[i]);
    }
    close2(socks);
}

// sendmsg(2) SCM_RIGHTS naming an fd that is not open: EBADF, and nothing is
// sent (Linux scm_fp_copy).
TEST(sendmsg, scm_rights_bad_fd_ebadf, NEGATIVE, LINUX) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_ERR(send_fds(socks[0], -1, 1), EBADF);
    EXPECT_ERR(send_fds(socks[0], INT_MAX, 1), EBADF);
    char b;
    EXPECT_ERR(sys::recv(socks[1], &b, 1, MSG_DONTWAIT), EAGAIN);
    close2(socks);
}

// recvmsg(2) with a control buffer too small for all passed fds: msg_flags
// has MSG_CTRUNC, the fds that fit are installed and the others are closed,
// not leaked (Linux scm_detach_fds); with no control buffer none arrive.
TEST(recvmsg, msg_ctrunc_extra_fds_dropped, BOUNDARY, LINUX) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_RET(send_fds(socks[0], socks[0], 2), 1);
    EXPECT_RET(send_fds(socks[0], socks[0], 1), 1);
    Control c{};
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, cmsg_len(4));  // room for one fd
    // The two lowest free descriptors (not necessarily adjacent: the run may
    // have inherited fds): the received fd takes the first, and the second
    // stays free because the fd that did not fit is not installed.
    long expect_fd = sys::dup(0);
    long second_free = sys::dup(0);
    sys::close(int(expect_fd));
    sys::close(int(second_free));
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(m.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
    EXPECT_EQ(long(m.msg_controllen), long(cmsg_len(4)));
    EXPECT_EQ(long(c.hdr()->cmsg_len), long(cmsg_len(4)));
    EXPECT_EQ(c.fds()[0], expect_fd);
    EXPECT_EQ(next_fd(), second_free);  // the second fd was not installed
    sys::close(c.fds()[0]);
    m = make_msg(&iov, 1);
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(m.msg_flags & MSG_CTRUNC, MSG_CTRUNC);
    EXPECT_EQ(next_fd(), expect_fd);
    close2(socks);
}

// recvmsg(2): msg_controllen is a value-result field: on return it holds the
// length of the ancillary data received (one SCM_RIGHTS message with one fd
// takes CMSG_SPACE(sizeof(int))), not the size of the buffer, and 0 when
// the message carried none (POSIX recvmsg; Linux ____sys_recvmsg).
TEST(recvmsg, msg_controllen_set_to_data_received, POSITIVE, PSE53) {
    int socks[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, socks));
    EXPECT_RET(send_fds(socks[0], socks[0], 1), 1);
    EXPECT_RET(sys::send(socks[0], "P", 1, 0), 1);
    Control c{};
    char b;
    iovec iov{&b, 1};
    msghdr m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(long(m.msg_controllen), long(cmsg_space(4)));
    if (c.hdr()->cmsg_type == SCM_RIGHTS) sys::close(c.fds()[0]);
    m = make_msg(&iov, 1, c.bytes, sizeof c.bytes);
    EXPECT_RET(sys::recvmsg(socks[1], &m, 0), 1);
    EXPECT_EQ(b, 'P');
    EXPECT_EQ(long(m.msg_controllen), 0);
    close2(socks);
}

// SO_PASSCRED on the receiver: every message carries SCM_CREDENTIALS with
// the sender's pid, uid and gid even when the sender attached none (Linux
// unix(7)).
TEST_P(sendmsg, scm_credentials_added_with_so_passcred, POSITIVE, LINUX, kUnixKinds) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, row.type, 0, fds));
    set_int(fds[1], SOL_SOCKET, SO_PASSCRED, 1);
    EXPECT_RET(sys::send(fds[0], "c", 1, 0), 1);
    ucred cr = recv_creds(fds[1]);
    EXPECT_EQ(cr.pid, sys::getpid());
    EXPECT_EQ(long(cr.uid), sys::geteuid());
    EXPECT_EQ(long(cr.gid), sys::getegid());
    close2(fds);
}

// sendmsg(2) SCM_CREDENTIALS with the sender's own pid/uid/gid is accepted
// and delivered as given (Linux unix(7)). Where this process's ids are not
// mapped in its user namespace they read as the overflow id, which
// scm_check_creds rejects with EINVAL like any unmapped id: nothing is sent.
TEST(sendmsg, scm_credentials_own_accepted, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    set_int(fds[1], SOL_SOCKET, SO_PASSCRED, 1);
    ucred mine{int(sys::getpid()), u32(sys::getuid()), u32(sys::getgid())};
    if (!kc::own_ids_mapped()) {
        EXPECT_ERR(send_creds(fds[0], mine), EINVAL);
        char b;
        EXPECT_ERR(sys::recv(fds[1], &b, 1, MSG_DONTWAIT), EAGAIN);
        close2(fds);
        return;
    }
    EXPECT_RET(send_creds(fds[0], mine), 1);
    ucred cr = recv_creds(fds[1]);
    EXPECT_EQ(cr.pid, mine.pid);
    EXPECT_EQ(cr.uid, mine.uid);
    EXPECT_EQ(cr.gid, mine.gid);
    close2(fds);
}

// sendmsg(2) SCM_CREDENTIALS naming another pid or uid without privilege:
// EPERM (Linux unix(7)). The child drops every capability first, keeping
// its ids. Unmapped ids are EINVAL before that check (scm_check_creds), so
// the uid named must be mapped: in the initial user namespace any is; in
// another, one the probe could switch to, and without one only the pid is
// checked.
TEST(sendmsg, scm_credentials_forged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (!kc::own_ids_mapped()) {
        kc::skip(
            "needs this process's uid and gid mapped in its user namespace: "
            "scm_check_creds rejects unmapped ids with EINVAL before the EPERM check");
    }
    const kc::Environment& env = kc::environment();
    static long foreign_uid;
    foreign_uid = env.initial_userns ? long(sys::getuid()) + 1
                  : env.nother_uids  ? long(env.other_uids[0])
                                     : -1;
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            int fds[2];
            ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
            ucred cr{int(sys::getpid()), u32(sys::getuid()), u32(sys::getgid())};
            ucred other_pid = cr, other_uid = cr;
            other_pid.pid = int(sys::getppid());
            other_uid.uid = u32(foreign_uid);
            EXPECT_ERR(send_creds(fds[0], other_pid), EPERM);
            if (foreign_uid >= 0) EXPECT_ERR(send_creds(fds[0], other_uid), EPERM);
            close2(fds);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// sendmsg(2) SCM_CREDENTIALS with privilege: with CAP_SETUID and CAP_SETGID
// in its user namespace a sender may name another (mapped) uid and gid, and
// with CAP_SYS_ADMIN over its pid namespace an existing foreign pid; they
// are delivered as given (Linux scm_check_creds). Each part runs where its
// capability applies (Docker's default set has CAP_SETUID, not
// CAP_SYS_ADMIN; a user namespace mapping one id has no other id to name).
// The foreign pid is an unreaped child: getppid() is 0 when the suite is
// PID 1 of its pid namespace, and a zombie still names a process.
TEST(sendmsg, scm_credentials_root_may_forge, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    const kc::Environment& env = kc::environment();
    bool ids = kc::ns_cap_usable(CAP_SETUID) && kc::ns_cap_usable(CAP_SETGID) && env.nother_uids &&
               env.nother_gids;
    bool pid = kc::cap_over_namespace(CAP_SYS_ADMIN, "pid");
    if (!ids && !pid) {
        kc::skip(
            "needs CAP_SETUID and CAP_SETGID with another mapped id, or CAP_SYS_ADMIN "
            "over the pid namespace");
    }
    int fds[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_DGRAM, 0, fds));
    set_int(fds[1], SOL_SOCKET, SO_PASSCRED, 1);
    long kid = kc::spawn([](void*) {}, nullptr);
    ASSERT_OK(kid);
    ucred forged{pid ? int(kid) : int(sys::getpid()), ids ? env.other_uids[0] : u32(sys::getuid()),
                 ids ? env.other_gids[0] : u32(sys::getgid())};
    EXPECT_RET(send_creds(fds[0], forged), 1);
    ucred cr = recv_creds(fds[1]);
    EXPECT_EQ(cr.pid, forged.pid);
    EXPECT_EQ(long(cr.uid), long(forged.uid));
    EXPECT_EQ(long(cr.gid), long(forged.gid));
    EXPECT_CHILD_OK(kid);
    close2(fds);
}
