// SPDX-License-Identifier: MIT
// signalfd4(2) and the legacy signalfd(2): reading blocked pending signals
// as struct signalfd_siginfo (signo, code, pid, uid, sigqueue value),
// consumption, several records per read, standard signals not queued, mask
// updates through the same fd, poll readiness, wake-up of a blocked read,
// and the EINVAL/EBADF/EFAULT/EAGAIN paths.
// The signals used (SIGURG, SIGWINCH) are ignored by default, so a test that
// fails half-way cannot kill the runner; SIGRTMAX is the harness's own.
// Left out: real-time signal queueing order (needs default-fatal signals),
// ssi_fd/ssi_band (SIGIO), fault fields (ssi_addr, ssi_trapno), signals
// sent to another thread of the process.
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

// A signalfd for `mask` (nonblocking), with the mask's signals blocked.
long open_sfd(u64 mask, int flags = SFD_NONBLOCK) {
    long r = sys::rt_sigprocmask(SIG_BLOCK, &mask, nullptr);
    return r ? r : sys::signalfd4(-1, &mask, kSigsetSize, flags);
}

// Drops any instance of the test signals still pending.
void cleanup() {
    discard_signal(kSigA);
    discard_signal(kSigB);
}

}  // namespace

// signalfd(2): a blocked signal sent to the process is read as a 128-byte
// signalfd_siginfo with ssi_signo, ssi_code SI_USER (kill), ssi_pid and
// ssi_uid of the sender; reading consumes it.
TEST(signalfd4, reads_pending_signal, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    ASSERT_OK(sys::kill(int(sys::getpid()), kSigA));
    EXPECT_TRUE(signal_pending(kSigA));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigA);
    EXPECT_EQ(si.ssi_code, SI_USER);
    EXPECT_EQ(si.ssi_pid, sys::getpid());
    EXPECT_EQ(si.ssi_uid, sys::getuid());
    EXPECT_TRUE(!signal_pending(kSigA));
    EXPECT_ERR(sys::read(sfd, &si, sizeof si), EAGAIN);
    cleanup();
}

// signalfd(2): a thread-directed signal (tgkill) is reported with ssi_code
// SI_TKILL and the sender's pid.
TEST(signalfd4, tgkill_code_si_tkill, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigB)));
    ASSERT_OK(sfd.get());
    ASSERT_OK(raise(kSigB));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigB);
    EXPECT_EQ(si.ssi_code, SI_TKILL);
    EXPECT_EQ(si.ssi_pid, sys::getpid());
    cleanup();
}

// signalfd(2): a signal queued with a value (rt_sigqueueinfo, SI_QUEUE) is
// read with ssi_code SI_QUEUE and the value in ssi_int / ssi_ptr.
TEST(signalfd4, sigqueue_value_delivered, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    siginfo info{};
    info.si_signo = kSigA;
    info.si_code = SI_QUEUE;
    info.rt.pid = int(sys::getpid());
    info.rt.uid = u32(sys::getuid());
    info.rt.value = 0x1122334455667788L;
    ASSERT_OK(rt_sigqueueinfo(int(sys::getpid()), kSigA, &info));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_code, SI_QUEUE);
    EXPECT_EQ(si.ssi_int, 0x55667788);
    EXPECT_TRUE(si.ssi_ptr == 0x1122334455667788ull);
    cleanup();
}

// signalfd(2): a buffer for several records returns as many as are pending
// (here two), each 128 bytes; a buffer that holds 1.99 records returns one.
TEST(signalfd4, several_records_per_read, BOUNDARY, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA) | sigbit(kSigB)));
    ASSERT_OK(sfd.get());
    signalfd_siginfo si[3] = {};
    ASSERT_OK(raise(kSigA));
    ASSERT_OK(raise(kSigB));
    EXPECT_RET(sys::read(sfd, si, 3 * sizeof si[0]), 256);
    EXPECT_EQ(si[0].ssi_signo + si[1].ssi_signo, kSigA + kSigB);
    ASSERT_OK(raise(kSigA));
    ASSERT_OK(raise(kSigB));
    EXPECT_RET(sys::read(sfd, si, 2 * sizeof si[0] - 1), 128);
    EXPECT_RET(sys::read(sfd, si, sizeof si[0]), 128);
    EXPECT_ERR(sys::read(sfd, si, sizeof si[0]), EAGAIN);
    cleanup();
}

// signal(7): standard signals do not queue: two kills of a blocked SIGURG
// give one record.
TEST(signalfd4, standard_signal_not_queued, BOUNDARY, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    ASSERT_OK(sys::kill(int(sys::getpid()), kSigA));
    ASSERT_OK(sys::kill(int(sys::getpid()), kSigA));
    signalfd_siginfo si[2] = {};
    EXPECT_RET(sys::read(sfd, si, sizeof si), 128);
    cleanup();
}

// signalfd(2): "If fd is not -1 ... mask is used to replace the signal set":
// the call returns the same fd, and only the new set is read.
TEST(signalfd4, mask_update_same_fd, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    u64 both = sigbit(kSigA) | sigbit(kSigB);
    ASSERT_OK(sys::rt_sigprocmask(SIG_BLOCK, &both, nullptr));
    u64 only_b = sigbit(kSigB);
    EXPECT_RET(sys::signalfd4(sfd, &only_b, kSigsetSize, 0), sfd.get());
    ASSERT_OK(raise(kSigA));
    signalfd_siginfo si{};
    EXPECT_ERR(sys::read(sfd, &si, sizeof si), EAGAIN);  // kSigA no longer in the set
    ASSERT_OK(raise(kSigB));
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigB);
    EXPECT_TRUE(signal_pending(kSigA));  // untouched by the signalfd
    cleanup();
}

// signalfd(2): a pending signal outside the fd's mask is not read.
TEST(signalfd4, signal_outside_mask_not_read, NEGATIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    u64 b = sigbit(kSigB);
    ASSERT_OK(sys::rt_sigprocmask(SIG_BLOCK, &b, nullptr));
    ASSERT_OK(raise(kSigB));
    signalfd_siginfo si{};
    EXPECT_ERR(sys::read(sfd, &si, sizeof si), EAGAIN);
    EXPECT_TRUE(signal_pending(kSigB));
    cleanup();
}

// signalfd(2): nonblocking and nothing pending: EAGAIN.
TEST(signalfd4, nonblocking_empty_eagain, NEGATIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    signalfd_siginfo si{};
    EXPECT_ERR(sys::read(sfd, &si, sizeof si), EAGAIN);
}

struct Len {
    const char* label;
    usize len;
};
constexpr Len kShort[] = {{"len=0", 0}, {"len=1", 1}, {"len=64", 64}, {"len=127", 127}};
// signalfd(2): "The buffer ... must be at least sizeof(struct
// signalfd_siginfo) bytes": EINVAL for less; the signal stays pending.
TEST_P(signalfd4, short_buffer_einval, NEGATIVE, LINUX, kShort) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    ASSERT_OK(raise(kSigA));
    signalfd_siginfo si{};
    EXPECT_ERR(sys::read(sfd, &si, row.len), EINVAL);
    EXPECT_TRUE(signal_pending(kSigA));
    cleanup();
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadFlags[] = {
    {"flags=1", 1}, {"flags=O_APPEND", O_APPEND}, {"flags=INT_MIN", INT_MIN}, {"flags=-1", -1}};
// signalfd(2): EINVAL "flags is invalid" (only SFD_CLOEXEC, SFD_NONBLOCK).
TEST_P(signalfd4, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    u64 mask = sigbit(kSigA);
    EXPECT_ERR(sys::signalfd4(-1, &mask, kSigsetSize, row.flags), EINVAL);
}

constexpr Flags kGoodFlags[] = {{"flags=0", 0},
                                {"flags=SFD_CLOEXEC", SFD_CLOEXEC},
                                {"flags=SFD_NONBLOCK", SFD_NONBLOCK},
                                {"flags=both", SFD_CLOEXEC | SFD_NONBLOCK}};
// signalfd(2): SFD_CLOEXEC and SFD_NONBLOCK end up as FD_CLOEXEC and
// O_NONBLOCK on the new fd.
TEST_P(signalfd4, flags_applied, POSITIVE, LINUX, kGoodFlags) {
    u64 mask = sigbit(kSigA);
    kc::Fd sfd(sys::signalfd4(-1, &mask, kSigsetSize, row.flags));
    ASSERT_OK(sfd.get());
    EXPECT_RET(sys::fcntl(sfd, F_GETFD), (row.flags & SFD_CLOEXEC) ? FD_CLOEXEC : 0);
    EXPECT_EQ(sys::fcntl(sfd, F_GETFL) & O_NONBLOCK, row.flags & SFD_NONBLOCK);
}

struct Size {
    const char* label;
    usize size;
};
constexpr Size kBadSizes[] = {
    {"size=0", 0}, {"size=4", 4}, {"size=7", 7}, {"size=16", 16}, {"size=SIZE_MAX", ~usize(0)}};
// signalfd(2): EINVAL when sizemask is not the kernel's sigset size.
TEST_P(signalfd4, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSizes) {
    u64 mask = sigbit(kSigA);
    EXPECT_ERR(sys::signalfd4(-1, &mask, row.size, 0), EINVAL);
}

// signalfd(2): EINVAL "fd is not a valid signalfd file descriptor" (an open
// fd of another kind).
TEST(signalfd4, not_signalfd_einval, NEGATIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    u64 mask = sigbit(kSigA);
    EXPECT_ERR(sys::signalfd4(p.rd, &mask, kSigsetSize, 0), EINVAL);
}

struct BadFd {
    const char* label;
    int fd;  // -2: just closed
};
constexpr BadFd kBadFds[] = {{"fd=closed", -2}, {"fd=-2", -3}, {"fd=INT_MAX", INT_MAX}};
// signalfd(2): EBADF "The fd file descriptor is not a valid file descriptor"
// (only -1 means "create").
TEST_P(signalfd4, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    int fd = row.fd;
    if (fd == -2) {
        fd = int(sys::eventfd2(0, 0));
        sys::close(fd);
    }
    if (fd == -3) fd = -2;
    u64 mask = sigbit(kSigA);
    EXPECT_ERR(sys::signalfd4(fd, &mask, kSigsetSize, 0), EBADF);
}

// signalfd(2): EFAULT for an unreadable mask.
TEST(signalfd4, bad_mask_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::signalfd4(-1, static_cast<u64*>(unmapped_page()), kSigsetSize, 0), EFAULT);
}

// signalfd(2): SIGKILL and SIGSTOP in the mask are "silently ignored": the
// call succeeds, and SIGKILL is never read.
TEST(signalfd4, sigkill_sigstop_ignored, BOUNDARY, LINUX) {
    u64 mask = sigbit(SIGKILL) | sigbit(SIGSTOP);
    kc::Fd sfd(sys::signalfd4(-1, &mask, kSigsetSize, SFD_NONBLOCK));
    ASSERT_OK(sfd.get());
    signalfd_siginfo si{};
    EXPECT_ERR(sys::read(sfd, &si, sizeof si), EAGAIN);
}

// signalfd(2): the fd polls readable while a signal of its set is pending.
TEST(signalfd4, poll_readable_when_pending, POSITIVE, LINUX) {
    kc::Fd sfd(open_sfd(sigbit(kSigA)));
    ASSERT_OK(sfd.get());
    pollfd p{sfd, POLLIN, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&p, 1, &ts, nullptr), 0);
    ASSERT_OK(raise(kSigA));
    EXPECT_RET(sys::ppoll(&p, 1, &ts, nullptr), 1);
    EXPECT_EQ(p.revents, POLLIN);
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_RET(sys::ppoll(&p, 1, &ts, nullptr), 0);
    cleanup();
}

// signalfd(2): a blocking read sleeps until a signal of the set arrives
// (here sent by a child process), then returns its record.
TEST(signalfd4, blocking_read_woken_by_signal, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::SLOW) {
    kc::Fd sfd(open_sfd(sigbit(kSigB), 0));
    ASSERT_OK(sfd.get());
    long pid = kc::spawn(
        [](void*) {
            common::sleep_ms(10);
            EXPECT_OK(sys::kill(int(sys::getppid()), kSigB));
        },
        nullptr);
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigB);
    EXPECT_EQ(si.ssi_pid, pid);
    EXPECT_CHILD_OK(pid);
    cleanup();
}

// signalfd(2): 10,000 signalfds created and closed: the same fd each time,
// and the next one works.
TEST(signalfd4, create_close_10000_no_leak, BOUNDARY, LINUX, .flags = kc::SLOW) {
    u64 mask = sigbit(kSigA);
    long first = sys::signalfd4(-1, &mask, kSigsetSize, 0);
    ASSERT_OK(first);
    sys::close(int(first));
    int bad = 0;
    for (int i = 0; i < 10000; ++i) {
        long fd = sys::signalfd4(-1, &mask, kSigsetSize, SFD_CLOEXEC);
        if (fd != first) ++bad;
        if (fd >= 0) sys::close(int(fd));
    }
    EXPECT_EQ(bad, 0);
    kc::Fd sfd(open_sfd(mask));
    EXPECT_RET(sfd.get(), first);
    ASSERT_OK(raise(kSigA));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    cleanup();
}

// signalfd(2): the legacy call (no flags argument) reads signals the same way.
TEST(signalfd, legacy_reads_signal, POSITIVE, LINUX) {
    REQUIRE_NR(signalfd);
    u64 mask = sigbit(kSigA);
    ASSERT_OK(sys::rt_sigprocmask(SIG_BLOCK, &mask, nullptr));
    kc::Fd sfd(sys::signalfd(-1, &mask));
    ASSERT_OK(sfd.get());
    EXPECT_RET(sys::fcntl(sfd, F_GETFD), 0);
    ASSERT_OK(raise(kSigA));
    signalfd_siginfo si{};
    EXPECT_RET(sys::read(sfd, &si, sizeof si), 128);
    EXPECT_EQ(si.ssi_signo, kSigA);
    cleanup();
}

// signalfd(2): the legacy call checks sizemask too.
TEST_P(signalfd, bad_sigsetsize_einval, NEGATIVE, LINUX, kBadSizes) {
    REQUIRE_NR(signalfd);
    u64 mask = sigbit(kSigA);
    EXPECT_ERR(sys::signalfd(-1, &mask, row.size), EINVAL);
}
