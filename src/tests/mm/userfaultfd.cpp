// SPDX-License-Identifier: MIT
// userfaultfd(2): the flags, the privilege needed for faults taken in kernel
// mode, the UFFDIO_API handshake (version, features, once only), missing-page
// registration, UFFDIO_COPY and UFFDIO_ZEROPAGE (data arrives, EEXIST on a
// populated page), a fault of a second thread reported as a uffd_msg
// (event, flags, exact address, thread id) and resolved by UFFDIO_COPY,
// UFFD_FEATURE_SIGBUS, UFFD_USER_MODE_ONLY refusing kernel-mode faults,
// unregistering, reads (short, nonblocking) and /dev/userfaultfd.
// Every descriptor is made with UFFD_USER_MODE_ONLY (allowed to everyone
// since Linux 5.11) unless the test is about that flag.
// Left out: write-protect and minor-fault modes (need swap-backed or
// hugetlbfs/shmem setups), UFFDIO_MOVE/CONTINUE/POISON, fork/remap/remove/
// unmap events (need CAP_SYS_PTRACE for fork, and a second handler process).
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_poll.hpp"
#include "rt/sys_uffd.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"
#include "tests/thread/thread_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int kUser = UFFD_USER_MODE_ONLY | UFFD_CLOEXEC;

// userfaultfd(flags), skipping when the call is missing or refused to
// everyone whatever the flags (a seccomp filter or LSM; Docker's default
// profile refuses it without CAP_SYS_PTRACE).
long uffd_call(int flags) {
    long fd = sys::userfaultfd(flags);
    if (fd == -ENOSYS)
        kc::skip_unimplemented("userfaultfd", "userfaultfd: not implemented (ENOSYS; Linux 4.3+)");
    if (fd == -EPERM && (flags & UFFD_USER_MODE_ONLY))
        kc::skip("userfaultfd refused (EPERM) even with UFFD_USER_MODE_ONLY: seccomp or an LSM");
    return fd;
}

// The UFFDIO_API handshake asking for `features`; returns the ioctl result.
long api(int fd, u64 features, uffdio_api* out = nullptr) {
    uffdio_api a{UFFD_API, features, 0};
    long r = sys::ioctl(fd, UFFDIO_API, long(&a));
    if (out) *out = a;
    return r;
}

// A user-mode-only descriptor after the handshake.
int open_uffd(u64 features = 0, int flags = 0) {
    long fd = uffd_call(kUser | flags);
    ASSERT_OK(fd);
    ASSERT_OK(api(int(fd), features));
    return int(fd);
}

// The features this kernel reports (from a throw-away descriptor).
u64 supported_features() {
    kc::Fd fd(uffd_call(kUser));
    ASSERT_OK(fd.get());
    uffdio_api a{};
    ASSERT_OK(api(fd, 0, &a));
    return a.features;
}

long reg(int fd, void* p, usize len, u64 mode = UFFDIO_REGISTER_MODE_MISSING,
         uffdio_register* out = nullptr) {
    uffdio_register r{{u64(p), len}, mode, 0};
    long ret = sys::ioctl(fd, UFFDIO_REGISTER, long(&r));
    if (out) *out = r;
    return ret;
}

long unreg(int fd, void* p, usize len) {
    uffdio_range r{u64(p), len};
    return sys::ioctl(fd, UFFDIO_UNREGISTER, long(&r));
}

long copy(int fd, void* dst, const void* src, usize len, u64 mode = 0, i64* done = nullptr) {
    uffdio_copy c{u64(dst), u64(src), len, mode, 0};
    long r = sys::ioctl(fd, UFFDIO_COPY, long(&c));
    if (done) *done = c.copy;
    return r;
}

long zeropage(int fd, void* dst, usize len, u64 mode = 0, i64* done = nullptr) {
    uffdio_zeropage z{{u64(dst), len}, mode, 0};
    long r = sys::ioctl(fd, UFFDIO_ZEROPAGE, long(&z));
    if (done) *done = z.zeropage;
    return r;
}

// Waits up to 2 s for fd (O_NONBLOCK) to become readable; true if it did.
bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    timespec ts{2, 0};
    return sys::ppoll(&p, 1, &ts, nullptr, 0) == 1 && (p.revents & POLLIN);
}

// A thread that loads or stores one byte at `addr`.
struct Access {
    volatile u8* addr;
    bool write;
    u8 seen;
};
void access_fn(void* a) {
    auto* x = static_cast<Access*>(a);
    if (x->write) {
        *x->addr = 0x77;
    } else {
        x->seen = *x->addr;
    }
}

// The fault of a second thread at p + off, as reported and resolved: the
// thread faults, the message is read, UFFDIO_COPY fills the page with the
// pattern of seed 9, and the thread finishes. Returns the message (event 0
// when none came); `tid` gets the thread's id, `seen` what it loaded.
uffd_msg fault_in_thread(int fd, u8* p, usize off, bool write, int* tid, u8* seen) {
    Access acc{p + off, write, 0};
    thread::Thread t{};
    long id = thread::thread_start(t, access_fn, &acc);
    ASSERT_GT(id, 0);
    *tid = int(id);
    uffd_msg msg{};
    if (readable(fd)) EXPECT_RET(sys::read(fd, &msg, sizeof msg), long(sizeof msg));
    u8 src[P];
    mm::fill(src, P, 9);
    EXPECT_OK(copy(fd, p, src, P));
    // Unregistering wakes a thread still waiting (after a failure above).
    unreg(fd, p, P);
    thread::thread_join(t);
    *seen = acc.seen;
    return msg;
}

struct Flags {
    const char* label;
    int flags;
};

}  // namespace

constexpr Flags kBadFlags[] = {{"flags=0x2", kUser | 0x2},
                               {"flags=O_CREAT", kUser | O_CREAT},
                               {"flags=1<<31", kUser | (1 << 31)}};

// userfaultfd(2): "EINVAL An unsupported value was specified in flags"
// (anything but O_CLOEXEC, O_NONBLOCK and UFFD_USER_MODE_ONLY).
TEST_P(userfaultfd, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    EXPECT_ERR(uffd_call(row.flags), EINVAL);
}

// userfaultfd(2): O_CLOEXEC and O_NONBLOCK set the close-on-exec flag and
// the file status flag of the new descriptor. (Its access mode is left out:
// O_RDWR until Linux 6.7, O_RDONLY since.)
TEST(userfaultfd, cloexec_nonblock_flags, POSITIVE, LINUX) {
    kc::Fd a(uffd_call(kUser | UFFD_NONBLOCK));
    ASSERT_OK(a.get());
    EXPECT_RET(sys::fcntl(a, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(a, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
    kc::Fd b(uffd_call(UFFD_USER_MODE_ONLY));
    ASSERT_OK(b.get());
    EXPECT_RET(sys::fcntl(b, F_GETFD), 0);
    EXPECT_RET(sys::fcntl(b, F_GETFL) & O_NONBLOCK, 0);
}

// userfaultfd(2): without UFFD_USER_MODE_ONLY a caller without
// CAP_SYS_PTRACE gets EPERM when /proc/sys/vm/unprivileged_userfaultfd is 0
// (Linux 5.11+), and a descriptor when it is 1.
TEST(userfaultfd, kernel_faults_need_privilege, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::Fd probe(uffd_call(kUser));
    long allowed = common::proc_number("/proc/sys/vm/unprivileged_userfaultfd");
    if (allowed < 0) kc::skip("needs /proc/sys/vm/unprivileged_userfaultfd to know the answer");
    mm::run_in_child(
        [](void* a) {
            mm::drop_privilege();
            long r = sys::userfaultfd(UFFD_CLOEXEC);
            if (*static_cast<long*>(a) == 0) {
                EXPECT_ERR(r, EPERM);
            } else {
                EXPECT_OK(r);
            }
        },
        &allowed, "cannot drop capabilities");
}

// ioctl_userfaultfd(2) UFFDIO_API: with api = UFFD_API it succeeds and
// reports the features and the ioctls of the descriptor: UFFDIO_REGISTER,
// UFFDIO_UNREGISTER and UFFDIO_API; SIGBUS and THREAD_ID (Linux 4.14+).
TEST(userfaultfd, api_handshake, POSITIVE, LINUX) {
    kc::Fd fd(uffd_call(kUser));
    ASSERT_OK(fd.get());
    uffdio_api a{};
    ASSERT_RET(api(fd, 0, &a), 0);
    EXPECT_EQ(a.api, UFFD_API);
    u64 want = 1ull << _UFFDIO_REGISTER | 1ull << _UFFDIO_UNREGISTER | 1ull << _UFFDIO_API;
    EXPECT_EQ(a.ioctls & want, want);
    want = UFFD_FEATURE_SIGBUS | UFFD_FEATURE_THREAD_ID;
    EXPECT_EQ(a.features & want, want);
}

struct Api {
    const char* label;
    u64 api, features;
};
constexpr Api kBadApi[] = {
    {"api=0xab", 0xAB, 0}, {"api=0", 0, 0}, {"features=1<<63", UFFD_API, 1ull << 63}};

// ioctl_userfaultfd(2) UFFDIO_API: "EINVAL The API version requested in the
// api field is not supported by this kernel, or the features field ...
// contains feature bits that are not supported"; the kernel zeroes the
// structure, and the handshake can still be done afterwards.
TEST_P(userfaultfd, api_bad_version_or_feature_einval, NEGATIVE, LINUX, kBadApi) {
    kc::Fd fd(uffd_call(kUser));
    ASSERT_OK(fd.get());
    uffdio_api a{row.api, row.features, 0x5a5a};
    EXPECT_ERR(sys::ioctl(fd, UFFDIO_API, long(&a)), EINVAL);
    EXPECT_EQ(a.api | a.features | a.ioctls, 0u);
    EXPECT_RET(api(fd, 0), 0);
}

// ioctl_userfaultfd(2) UFFDIO_API: the handshake is done once; a second
// UFFDIO_API on the same descriptor fails with EINVAL (fs/userfaultfd.c).
TEST(userfaultfd, api_twice_einval, NEGATIVE, LINUX) {
    kc::Fd fd(open_uffd());
    EXPECT_ERR(api(fd, 0), EINVAL);
}

// ioctl_userfaultfd(2): "EINVAL ... the API ... had not been negotiated":
// every other ioctl, and read(2), fail with EINVAL before UFFDIO_API.
TEST(userfaultfd, before_api_einval, NEGATIVE, LINUX) {
    kc::Fd fd(uffd_call(kUser));
    ASSERT_OK(fd.get());
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    EXPECT_ERR(reg(fd, p, P), EINVAL);
    uffd_msg msg;
    EXPECT_ERR(sys::read(fd, &msg, sizeof msg), EINVAL);
}

// ioctl_userfaultfd(2) UFFDIO_API: "EPERM The UFFD_FEATURE_EVENT_FORK
// feature was enabled, but the calling process doesn't have the
// CAP_SYS_PTRACE capability".
TEST(userfaultfd, event_fork_needs_cap_sys_ptrace, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::Fd probe(uffd_call(kUser));
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            kc::Fd fd(sys::userfaultfd(kUser));
            ASSERT_OK(fd.get());
            EXPECT_ERR(api(fd, UFFD_FEATURE_EVENT_FORK), EPERM);
        },
        nullptr, "cannot drop capabilities");
}

// ioctl_userfaultfd(2) UFFDIO_REGISTER: registering an anonymous range for
// missing pages reports the range ioctls it allows (UFFDIO_WAKE,
// UFFDIO_COPY, UFFDIO_ZEROPAGE).
TEST(userfaultfd, register_reports_ioctls, POSITIVE, LINUX) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    uffdio_register r{};
    ASSERT_RET(reg(fd, p, 2 * P, UFFDIO_REGISTER_MODE_MISSING, &r), 0);
    u64 want = 1ull << _UFFDIO_WAKE | 1ull << _UFFDIO_COPY | 1ull << _UFFDIO_ZEROPAGE;
    EXPECT_EQ(r.ioctls & want, want);
    EXPECT_RET(unreg(fd, p, 2 * P), 0);
}

struct Reg {
    const char* label;
    usize off, len;
    u64 mode;
};
constexpr Reg kBadReg[] = {
    {"mode=0", 0, P, 0},
    {"mode=1<<20", 0, P, UFFDIO_REGISTER_MODE_MISSING | 1ull << 20},
    {"start+1", 1, P, UFFDIO_REGISTER_MODE_MISSING},
    {"len=0", 0, 0, UFFDIO_REGISTER_MODE_MISSING},
    {"len=100", 0, 100, UFFDIO_REGISTER_MODE_MISSING},
};

// ioctl_userfaultfd(2) UFFDIO_REGISTER: "EINVAL ... mode ... was zero; or
// ... contained an unsupported mode ... or the range was not page-aligned
// or of zero length".
TEST_P(userfaultfd, register_bad_args_einval, NEGATIVE, LINUX, kBadReg) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    EXPECT_ERR(reg(fd, p + row.off, row.len, row.mode), EINVAL);
}

// ioctl_userfaultfd(2) UFFDIO_REGISTER: "EINVAL ... There was no mapping in
// the specified address range" (a hole between two mappings).
TEST(userfaultfd, register_unmapped_einval, NEGATIVE, LINUX) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(3);
    kc::Mapping m(p, 3 * P);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_ERR(reg(fd, p + P, P), EINVAL);
}

// ioctl_userfaultfd(2) UFFDIO_COPY: "atomically copy a continuous memory
// chunk into the userfault registered range": the page then holds the
// data, `copy` reports the bytes copied, and a copy to a page that is
// already populated fails with EEXIST (copy = -EEXIST).
TEST(userfaultfd, copy_populates_then_eexist, POSITIVE, LINUX) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    ASSERT_RET(reg(fd, p, 2 * P), 0);
    u8 src[P];
    mm::fill(src, P, 3);
    i64 done = 0;
    EXPECT_RET(copy(fd, p + P, src, P, 0, &done), 0);
    EXPECT_EQ(done, long(P));
    EXPECT_TRUE(mm::has_pattern(p + P, P, 3));  // populated: no fault
    EXPECT_ERR(copy(fd, p + P, src, P, 0, &done), EEXIST);
    EXPECT_EQ(done, -EEXIST);
    EXPECT_RET(unreg(fd, p, 2 * P), 0);
    EXPECT_TRUE(mm::all_zero(p, P));  // the other page was never filled
}

// ioctl_userfaultfd(2) UFFDIO_ZEROPAGE: "zero out a memory range registered
// with userfaultfd": the page reads as zeroes, `zeropage` is the length, and
// a later UFFDIO_COPY there fails with EEXIST.
TEST(userfaultfd, zeropage_populates, POSITIVE, LINUX) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    ASSERT_RET(reg(fd, p, P), 0);
    i64 done = 0;
    EXPECT_RET(zeropage(fd, p, P, 0, &done), 0);
    EXPECT_EQ(done, long(P));
    EXPECT_TRUE(mm::all_zero(p, P));
    u8 src[P] = {1};
    EXPECT_ERR(copy(fd, p, src, P), EEXIST);
    EXPECT_ERR(zeropage(fd, p, P, UFFDIO_ZEROPAGE_MODE_DONTWAKE << 1), EINVAL);
    EXPECT_RET(unreg(fd, p, P), 0);
}

struct Copy {
    const char* label;
    usize off, len;
    u64 mode;
    int err;
};
constexpr Copy kBadCopy[] = {
    {"dst+1", 1, P, 0, EINVAL},
    {"len=0", 0, 0, 0, EINVAL},
    {"len=100", 0, 100, 0, EINVAL},
    {"mode=1<<10", 0, P, 1ull << 10, EINVAL},
    {"dst_unregistered", P, P, 0, ENOENT},
};

// ioctl_userfaultfd(2) UFFDIO_COPY: "EINVAL Either dst or len was not a
// multiple of the system page size, or the range ... was invalid, or an
// invalid bit was specified in mode"; "ENOENT ... the faulting process has
// changed its virtual memory layout" - Linux also answers ENOENT for a
// destination outside every registered range (mm/userfaultfd.c).
TEST_P(userfaultfd, copy_bad_args, NEGATIVE, LINUX, kBadCopy) {
    kc::Fd fd(open_uffd());
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    ASSERT_RET(reg(fd, p, P), 0);
    u8 src[P] = {};
    EXPECT_ERR(copy(fd, p + row.off, src, row.len, row.mode), row.err);
    EXPECT_RET(unreg(fd, p, P), 0);
}

struct Fault {
    const char* label;
    bool write;
    bool exact;  // ask for UFFD_FEATURE_EXACT_ADDRESS
};
constexpr Fault kFaults[] = {
    {"read", false, false}, {"write", true, false}, {"read,exact_address", false, true}};

// userfaultfd(2): a thread touching a registered missing page blocks, and
// read(2) on the descriptor returns a uffd_msg with event
// UFFD_EVENT_PAGEFAULT, UFFD_PAGEFAULT_FLAG_WRITE for a store, the address
// (rounded down to the page, exact with UFFD_FEATURE_EXACT_ADDRESS, Linux
// 5.18+) and, with UFFD_FEATURE_THREAD_ID, the thread's id. UFFDIO_COPY
// resolves it: the thread resumes and sees the data copied (a store then
// lands on it).
TEST_P(userfaultfd, fault_reported_and_resolved, POSITIVE, LINUX, kFaults,
       .flags = kc::NEEDS_FORK) {
    u64 features = UFFD_FEATURE_THREAD_ID;
    if (row.exact) {
        if (!(supported_features() & UFFD_FEATURE_EXACT_ADDRESS))
            kc::skip("needs UFFD_FEATURE_EXACT_ADDRESS (Linux 5.18+)");
        features |= UFFD_FEATURE_EXACT_ADDRESS;
    }
    kc::Fd fd(open_uffd(features, UFFD_NONBLOCK));  // poll(2) needs it
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    ASSERT_RET(reg(fd, p, P), 0);
    constexpr usize kOff = 0x123;
    int tid = 0;
    u8 seen = 0;
    uffd_msg msg = fault_in_thread(fd, p, kOff, row.write, &tid, &seen);
    EXPECT_EQ(msg.event, UFFD_EVENT_PAGEFAULT);
    EXPECT_EQ(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE,
              row.write ? UFFD_PAGEFAULT_FLAG_WRITE : 0);
    EXPECT_EQ(msg.arg.pagefault.address, u64(p) + (row.exact ? kOff : 0));
    EXPECT_EQ(msg.arg.pagefault.ptid, u32(tid));
    u8 want[P];
    mm::fill(want, P, 9);
    if (row.write) {
        want[kOff] = 0x77;
    } else {
        EXPECT_EQ(seen, want[kOff]);
    }
    EXPECT_MEM_EQ(p, want, P);
}

// userfaultfd(2) UFFD_FEATURE_SIGBUS: "instead of generating a pagefault
// event, the kernel sends a SIGBUS signal to the faulting process" (Linux
// 4.14+): a load from a registered missing page raises SIGBUS.
TEST(userfaultfd, feature_sigbus, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::Fd probe(uffd_call(kUser));
    mm::need_4k_pages();
    long pid = kc::spawn(
        [](void*) {
            int fd = open_uffd(UFFD_FEATURE_SIGBUS);
            u8* p = mm::map(1);
            ASSERT_RET(reg(fd, p, P), 0);
            arch::KSigaction act = arch::make_sigaction(
                reinterpret_cast<void*>(+[](int) { sys::exit_group(42); }), 0, 0);
            ASSERT_OK(sys::rt_sigaction(SIGBUS, &act, nullptr));
            (void)*reinterpret_cast<volatile u8*>(p);
            sys::exit_group(0);  // no signal: the fault was not refused
        },
        nullptr);
    ASSERT_OK(pid);
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), 42);
}

// userfaultfd(2) UFFD_USER_MODE_ONLY: "only handle page faults originating
// from user mode": a system call that reads the registered page (write(2)
// from it) gets EFAULT instead of waiting, and no message is queued.
TEST(userfaultfd, user_mode_only_kernel_access_efault, NEGATIVE, LINUX) {
    kc::Fd fd(open_uffd(0, UFFD_NONBLOCK));
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    ASSERT_RET(reg(fd, p, P), 0);
    kc::Pipe pp;
    ASSERT_OK(pp.r);
    EXPECT_ERR(sys::write(pp.wr, p, 16), EFAULT);
    uffd_msg msg;
    EXPECT_ERR(sys::read(fd, &msg, sizeof msg), EAGAIN);
    EXPECT_RET(unreg(fd, p, P), 0);
    EXPECT_RET(sys::write(pp.wr, p, 16), 16);  // an ordinary zero page again
}

// userfaultfd(2) read: "EAGAIN ... O_NONBLOCK ... no events"; a buffer
// smaller than struct uffd_msg is EINVAL; poll(2) reports nothing.
TEST(userfaultfd, read_nonblocking_and_short, NEGATIVE, LINUX) {
    kc::Fd fd(open_uffd(0, UFFD_NONBLOCK));
    uffd_msg msg;
    EXPECT_ERR(sys::read(fd, &msg, sizeof msg), EAGAIN);
    EXPECT_ERR(sys::read(fd, &msg, sizeof msg - 1), EINVAL);
    pollfd pf{fd, POLLIN, 0};
    timespec zero{0, 0};
    EXPECT_RET(sys::ppoll(&pf, 1, &zero, nullptr, 0), 0);
}

// userfaultfd(2): "If the O_NONBLOCK flag is not enabled, then poll(2)
// (always) indicates the file as having a POLLERR condition".
TEST(userfaultfd, poll_blocking_pollerr, BOUNDARY, LINUX) {
    kc::Fd fd(open_uffd());
    pollfd pf{fd, POLLIN, 0};
    timespec zero{0, 0};
    EXPECT_RET(sys::ppoll(&pf, 1, &zero, nullptr, 0), 1);
    EXPECT_EQ(pf.revents, POLLERR);
}

// ioctl_userfaultfd(2) UFFDIO_UNREGISTER: after it, a missing page of the
// range faults in as usual (a zero page), with no event.
TEST(userfaultfd, unregister_restores_faults, POSITIVE, LINUX) {
    kc::Fd fd(open_uffd(0, UFFD_NONBLOCK));
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    ASSERT_RET(reg(fd, p, P), 0);
    ASSERT_RET(unreg(fd, p, P), 0);
    EXPECT_TRUE(mm::all_zero(p, P));
    p[5] = 5;
    EXPECT_EQ(p[5], 5);
    uffd_msg msg;
    EXPECT_ERR(sys::read(fd, &msg, sizeof msg), EAGAIN);
}

// userfaultfd(2) "/dev/userfaultfd" (Linux 6.1+): ioctl USERFAULTFD_IOC_NEW
// on it returns a new userfaultfd, with the same flags as the system call;
// unknown flags are EINVAL.
TEST(userfaultfd, dev_userfaultfd_ioc_new, POSITIVE, LINUX) {
    kc::Fd probe(uffd_call(kUser));
    kc::Fd dev(sys::openat(AT_FDCWD, "/dev/userfaultfd", O_RDWR | O_CLOEXEC));
    if (dev.get() == -ENOENT) kc::skip("needs /dev/userfaultfd (Linux 6.1+, devtmpfs)");
    if (dev.get() == -EACCES || dev.get() == -EPERM)
        kc::skip("needs access to /dev/userfaultfd (mode 0600, owned by root)");
    ASSERT_OK(dev.get());
    kc::Fd fd(sys::ioctl(dev, USERFAULTFD_IOC_NEW, UFFD_CLOEXEC));
    ASSERT_OK(fd.get());
    EXPECT_RET(sys::fcntl(fd, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(api(fd, 0), 0);
    EXPECT_ERR(sys::ioctl(dev, USERFAULTFD_IOC_NEW, UFFD_CLOEXEC | 0x2), EINVAL);
}
