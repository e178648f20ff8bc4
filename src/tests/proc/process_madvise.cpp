// SPDX-License-Identifier: MIT
// process_madvise(2) and process_mrelease(2), both addressed by pidfd.
// process_madvise: advice on the caller's own memory through its own pidfd
// (every madvise advice since Linux 6.13: MADV_DONTNEED drops the data),
// MADV_COLD and MADV_PAGEOUT on a child (CAP_SYS_NICE), destructive advice
// refused for another process, the bytes advised as result, and the
// EINVAL/EBADF/EPERM/ENOMEM/ESRCH cases. process_mrelease: refused for a
// live process, accepted for one that is dying (after SIGKILL), ESRCH
// once reaped, flags and descriptor checks.
// Left out: whether pages were really paged out (needs swap) and the memory
// actually freed early by process_mrelease (no observable effect before the
// process is reaped).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_sched.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;

long madvise_call(int pidfd, const iovec* iov, usize n, int advice, unsigned flags = 0) {
    long r = sys::process_madvise(pidfd, iov, n, advice, flags);
    if (r == -ENOSYS)
        kc::skip_unimplemented("process_madvise",
                               "process_madvise: not implemented (ENOSYS; Linux 5.10+)");
    return r;
}

long mrelease(int pidfd, unsigned flags = 0) {
    long r = sys::process_mrelease(pidfd, flags);
    if (r == -ENOSYS)
        kc::skip_unimplemented("process_mrelease",
                               "process_mrelease: not implemented (ENOSYS; Linux 5.15+)");
    return r;
}

// A pidfd for pid (skips without pidfd_open, Linux 5.3+).
long pidfd_of(long pid) {
    long fd = sys::pidfd_open(int(pid), 0);
    if (fd == -ENOSYS)
        kc::skip_unimplemented("pidfd_open", "pidfd_open: not implemented (ENOSYS; Linux 5.3+)");
    return fd;
}

}  // namespace

// ---------------------------------------------------------------------------
// process_madvise(2)

// process_madvise(2) on the caller's own pidfd: "the advice ... is applied
// to the address ranges", and the result is "the number of bytes advised";
// on its own memory every advice is allowed (Linux 6.13+): MADV_DONTNEED
// over two ranges leaves them reading as zeroes, a page between untouched.
TEST(process_madvise, self_dontneed, POSITIVE, LINUX) {
    u8* p = mm::map(4);
    kc::Mapping m(p, 4 * P);
    for (usize k = 0; k < 4; ++k) mm::fill(p + k * P, P, u8(3 + k));
    kc::Fd self(pidfd_of(sys::getpid()));
    ASSERT_OK(self.get());
    iovec iov[2] = {{p, P}, {p + 2 * P, 2 * P}};
    long r = madvise_call(self, iov, 2, MADV_DONTNEED);
    // Before Linux 6.13 process_madvise took only the non-destructive advice
    // (COLD, PAGEOUT, WILLNEED, COLLAPSE), on the caller too.
    if (r == -EINVAL) kc::skip("MADV_DONTNEED through process_madvise needs Linux 6.13+ (EINVAL)");
    EXPECT_RET(r, long(3 * P));
    EXPECT_TRUE(mm::all_zero(p, P));
    EXPECT_TRUE(mm::all_zero(p + 2 * P, 2 * P));
    EXPECT_TRUE(mm::has_pattern(p + P, P, 4));
}

struct Advice {
    const char* label;
    int advice;
};
constexpr Advice kRemoteAdvice[] = {
    {"MADV_COLD", MADV_COLD}, {"MADV_PAGEOUT", MADV_PAGEOUT}, {"MADV_WILLNEED", MADV_WILLNEED}};

// process_madvise(2) on another process: MADV_COLD, MADV_PAGEOUT and
// MADV_WILLNEED are allowed with CAP_SYS_NICE and PTRACE_MODE_READ access,
// and return the bytes advised; the child's data is unchanged.
TEST_P(process_madvise, child_nondestructive, POSITIVE, LINUX, kRemoteAdvice,
       .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    u8* p = mm::map(2, PROT_READ | PROT_WRITE, MAP_SHARED);
    kc::Mapping m(p, 2 * P);
    mm::fill(p, 2 * P, 11);
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    iovec iov{p, 2 * P};
    EXPECT_RET(madvise_call(fd, &iov, 1, row.advice), long(2 * P));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 11));
}

// process_madvise(2): "EINVAL advice is invalid" - for another process any
// advice but the non-destructive ones (MADV_DONTNEED here), checked before
// the capability.
TEST(process_madvise, child_destructive_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    iovec iov{p, P};
    EXPECT_ERR(madvise_call(fd, &iov, 1, MADV_DONTNEED), EINVAL);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// process_madvise(2): "EPERM The caller does not have permission to access
// the address space of the process pidfd (CAP_SYS_NICE)": a process without
// capabilities advising its own child (same user, no capabilities either).
TEST(process_madvise, child_without_cap_sys_nice_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::Fd probe(pidfd_of(sys::getpid()));
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    iovec iov{p, P};
    madvise_call(probe, &iov, 1, MADV_COLD);  // skips on ENOSYS
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            u8* p = mm::map(1);
            mm::Sleeper s = mm::start_sleeper();
            kc::Fd fd(sys::pidfd_open(int(s.pid), 0));
            ASSERT_OK(fd.get());
            iovec iov{p, P};
            EXPECT_ERR(sys::process_madvise(fd, &iov, 1, MADV_COLD, 0), EPERM);
            EXPECT_EQ(mm::stop_sleeper(s), 0);
        },
        nullptr, "cannot drop capabilities");
}

struct Bad {
    const char* label;
    int advice;
    unsigned flags;
    usize n;
};
constexpr Bad kBad[] = {
    {"flags=1", MADV_COLD, 1, 1},
    {"flags=~0", MADV_COLD, ~0u, 1},
    {"advice=12345", 12345, 0, 1},
    {"advice=-1", -1, 0, 1},
    {"vlen=UIO_MAXIOV+1", MADV_COLD, 0, UIO_MAXIOV + 1},
};

// process_madvise(2): "EINVAL flags is not 0", "advice is invalid", "vlen
// is too large" (more than UIO_MAXIOV).
TEST_P(process_madvise, bad_args_einval, NEGATIVE, LINUX, kBad) {
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    kc::Fd self(pidfd_of(sys::getpid()));
    ASSERT_OK(self.get());
    static iovec iov[UIO_MAXIOV + 1];
    for (auto& v : iov) v = {p, P};
    EXPECT_ERR(madvise_call(self, iov, row.n, row.advice, row.flags), EINVAL);
}

// process_madvise(2): "EBADF pidfd is not a valid PID file descriptor" (a
// pipe, and -1).
TEST(process_madvise, not_pidfd_ebadf, NEGATIVE, LINUX) {
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    iovec iov{p, P};
    kc::Pipe pp;
    ASSERT_OK(pp.r);
    EXPECT_ERR(madvise_call(pp.rd, &iov, 1, MADV_COLD), EBADF);
    EXPECT_ERR(madvise_call(-1, &iov, 1, MADV_COLD), EBADF);
}

// process_madvise(2): "ENOMEM ... the address range ... is not mapped" (as
// madvise(2)); "ESRCH The target process does not exist (i.e., it has
// terminated and been waited on)".
TEST(process_madvise, unmapped_enomem_reaped_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::Fd self(pidfd_of(sys::getpid()));
    ASSERT_OK(self.get());
    iovec hole{mm::hole(1), P};
    EXPECT_ERR(madvise_call(self, &hole, 1, MADV_COLD), ENOMEM);
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    EXPECT_EQ(mm::stop_sleeper(s), 0);
    iovec iov{p, P};
    EXPECT_ERR(madvise_call(fd, &iov, 1, MADV_COLD), ESRCH);
}

// ---------------------------------------------------------------------------
// process_mrelease(2)

// process_mrelease(2): "EINVAL The target process is not in the process of
// exiting" - a live child.
TEST(process_mrelease, live_process_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    EXPECT_ERR(mrelease(fd), EINVAL);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// process_mrelease(2): for a process killed with SIGKILL (exiting, not yet
// reaped) it returns 0 (releasing what memory it still has); the process
// still ends by SIGKILL. Once the process has finished exiting the pidfd
// names no process any more (ESRCH, below), so the call must come while the
// exit is under way: the victim runs under SCHED_IDLE and has 8 MiB of pages
// to tear down, and the test tries up to five victims.
// EXCLUSIVE: the SCHED_IDLE victim must get the CPU to finish dying; beside
// busy tests on one CPU (UML) it waited past the deadline.
TEST(process_mrelease, killed_process_released, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::SLOW | kc::EXCLUSIVE) {
    // Under a tracer (strace -f) the victim's exit runs on the tracer's
    // schedule: the window between SIGKILL and the end cannot be caught.
    kc::require_no_tracer();
    long r = -ESRCH;
    for (int tries = 0; tries < 5 && r == -ESRCH; ++tries) {
        kc::Pipe ready;
        ASSERT_OK(ready.r);
        long pid = sys::fork();
        if (pid == 0) {
            // SCHED_IDLE: woken by SIGKILL, it does not preempt the test
            // on a shared CPU and run its whole exit first.
            sched_param prio{};
            sys::sched_setscheduler(0, SCHED_IDLE, &prio);
            constexpr usize kBig = 8 << 20;
            long m = sys::mmap(nullptr, kBig, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            sys::write(ready.wr, &m, 1);
            timespec forever{1000, 0};
            for (;;) sys::nanosleep(&forever, nullptr);
        }
        ASSERT_OK(pid);
        kc::Fd fd(pidfd_of(pid));
        char c;
        EXPECT_RET(sys::read(ready.rd, &c, 1), 1);
        ASSERT_OK(sys::kill(int(pid), SIGKILL));
        r = mrelease(fd);
        int st = kc::wait_status(pid);
        EXPECT_TRUE(wifsignaled(st));
        EXPECT_EQ(wtermsig(st), SIGKILL);
    }
    EXPECT_RET(r, 0);
}

// process_mrelease(2): once the process has exited and been waited for,
// the pidfd names no process: ESRCH (pidfd_get_task()).
TEST(process_mrelease, reaped_esrch, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    EXPECT_EQ(mm::stop_sleeper(s), 0);
    EXPECT_ERR(mrelease(fd), ESRCH);
}

// process_mrelease(2): "EINVAL flags is not 0" (checked first, even for a
// dying process).
TEST(process_mrelease, flags_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::Sleeper s = mm::start_sleeper();
    kc::Fd fd(pidfd_of(s.pid));
    ASSERT_OK(fd.get());
    ASSERT_OK(sys::kill(int(s.pid), SIGKILL));
    EXPECT_ERR(mrelease(fd, 1), EINVAL);
    EXPECT_ERR(mrelease(fd, ~0u), EINVAL);
    mm::stop_sleeper(s);
}

// process_mrelease(2): "EBADF pidfd is not a valid PID file descriptor".
TEST(process_mrelease, not_pidfd_ebadf, NEGATIVE, LINUX) {
    kc::Pipe pp;
    ASSERT_OK(pp.r);
    EXPECT_ERR(mrelease(pp.rd), EBADF);
    EXPECT_ERR(mrelease(-1), EBADF);
}
