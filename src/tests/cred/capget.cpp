// SPDX-License-Identifier: MIT
// capget(2), capset(2): the capability sets of a thread. Version
// negotiation (an unknown version is EINVAL and the kernel writes back its
// preferred version, _LINUX_CAPABILITY_VERSION_3; with a NULL data pointer
// that probe succeeds), the one-word v1 layout, other processes' sets, the
// EPERM rules of capset, and - with the capabilities concerned, in a child -
// dropping a capability and watching it take effect.
// Not covered: file capabilities and exec transformations (apart from the
// bounding-set test in prctl_caps.cpp), v2's deprecation warning, capsets of
// other threads of the same process.
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

constexpr u32 kFill = 0xa5a5a5a5;

// A child that waits until the parent closes `fds[1]`, for tests that look at
// another process. Returns the pid (or -errno); fds[0] is left to the caller.
long sleeper(int fds[2]) {
    if (sys::pipe2(fds, O_CLOEXEC) != 0) return -EMFILE;
    long pid = kc::spawn(
        [](void* p) {
            int* f = static_cast<int*>(p);
            sys::close(f[1]);
            char c;
            sys::read(f[0], &c, 1);
        },
        fds);
    return pid;
}

void release(int fds[2], long pid) {
    sys::close(fds[1]);
    EXPECT_CHILD_OK(pid);
    sys::close(fds[0]);
}

}  // namespace

// ---------------------------------------------------------------------------
// capget(2)

struct Version {
    const char* label;
    u32 version;
};
constexpr Version kBadVersions[] = {
    {"version=0", 0},
    {"version=v3-1", _LINUX_CAPABILITY_VERSION_3 - 1},
    {"version=v1+1", _LINUX_CAPABILITY_VERSION_1 + 1},
    {"version=0xffffffff", 0xffffffff},
};

// capget(2): "The calls fail with the error EINVAL, and set the version field
// of hdrp to the kernel preferred value of _LINUX_CAPABILITY_VERSION_? when
// an unsupported version value is specified". The data are not written.
TEST_P(capget, bad_version_einval, NEGATIVE, LINUX, kBadVersions) {
    __user_cap_header_struct h{row.version, 0};
    __user_cap_data_struct d[2];
    common::fill_bytes(d, 0xa5, sizeof d);
    EXPECT_ERR(sys::capget(&h, d), EINVAL);
    EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
    EXPECT_EQ(d[0].effective & d[0].permitted & d[1].inheritable, kFill);
}

// capget(2): "datap may be NULL only when the user is trying to determine
// the preferred capability version format supported by the kernel" - that
// probe (an unsupported version, NULL data) succeeds and writes the version.
TEST_P(capget, null_data_probes_version, BOUNDARY, LINUX, kBadVersions) {
    __user_cap_header_struct h{row.version, 0};
    EXPECT_RET(sys::capget(&h, nullptr), 0);
    EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
}

// capget(2): a supported version with NULL data is accepted and the header
// is left alone.
TEST(capget, null_data_good_version, BOUNDARY, LINUX) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    EXPECT_RET(sys::capget(&h, nullptr), 0);
    EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
}

// capget(2): _LINUX_CAPABILITY_VERSION_1 uses a single 32-bit data struct:
// the first one is the low word of the v3 answer and the second is not
// touched.
TEST(capget, v1_writes_one_struct, BOUNDARY, LINUX) {
    __user_cap_header_struct h3{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d3[2] = {};
    ASSERT_RET(sys::capget(&h3, d3), 0);
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_1, 0};
    __user_cap_data_struct d[2];
    common::fill_bytes(d, 0xa5, sizeof d);
    ASSERT_RET(sys::capget(&h, d), 0);
    EXPECT_EQ(d[0].effective, d3[0].effective);
    EXPECT_EQ(d[0].permitted, d3[0].permitted);
    EXPECT_EQ(d[0].inheritable, d3[0].inheritable);
    EXPECT_EQ(d[1].effective & d[1].permitted & d[1].inheritable, kFill);
}

constexpr Version kTwoWord[] = {{"v2", _LINUX_CAPABILITY_VERSION_2},
                                {"v3", _LINUX_CAPABILITY_VERSION_3}};
// capget(2): versions 2 and 3 fill two data structs (64 capability bits).
TEST_P(capget, two_word_versions_fill_both, POSITIVE, LINUX, kTwoWord) {
    __user_cap_header_struct h{row.version, 0};
    __user_cap_data_struct d[2];
    common::fill_bytes(d, 0xa5, sizeof d);
    ASSERT_RET(sys::capget(&h, d), 0);
    EXPECT_EQ(h.version, row.version);
    cred::Caps c{};
    ASSERT_TRUE(cred::get_caps(0, &c));
    EXPECT_EQ(d[1].effective, u32(c.eff >> 32));
    EXPECT_EQ(d[1].permitted, u32(c.prm >> 32));
    EXPECT_EQ(d[1].inheritable, u32(c.inh >> 32));
}

// capabilities(7): "The new effective set must be a subset of the new
// permitted set"; a pid of 0 or the caller's own pid both name the caller.
TEST(capget, effective_within_permitted, POSITIVE, LINUX) {
    cred::Caps self{}, byid{};
    ASSERT_TRUE(cred::get_caps(0, &self));
    ASSERT_TRUE(cred::get_caps(int(sys::getpid()), &byid));
    EXPECT_EQ(self.eff & ~self.prm, 0);
    EXPECT_EQ(byid.eff, long(self.eff));
    EXPECT_EQ(byid.prm, long(self.prm));
    EXPECT_EQ(byid.inh, long(self.inh));
}

// capget(2): "The call operates on the capabilities of the thread specified
// by the pid field of hdrp" - any process may read another's sets; a fork
// child has its parent's.
TEST(capget, other_process, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int fds[2];
    long pid = sleeper(fds);
    ASSERT_GT(pid, 0);
    cred::Caps mine{}, its{};
    ASSERT_TRUE(cred::get_caps(0, &mine));
    EXPECT_TRUE(cred::get_caps(int(pid), &its));
    EXPECT_EQ(its.eff, long(mine.eff));
    EXPECT_EQ(its.prm, long(mine.prm));
    release(fds, pid);
}

struct Pid {
    const char* label;
    int pid;
};
constexpr Pid kNegPids[] = {{"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
// capget(2) EINVAL: a negative pid is invalid.
TEST_P(capget, negative_pid_einval, NEGATIVE, LINUX, kNegPids) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, row.pid};
    __user_cap_data_struct d[2];
    EXPECT_ERR(sys::capget(&h, d), EINVAL);
}

// PID_MAX_LIMIT is 4194304: pids above it can never exist.
constexpr Pid kGonePids[] = {{"pid=PID_MAX_LIMIT+1", 4194305}, {"pid=INT_MAX", INT_MAX}};
// capget(2) ESRCH: "No such thread".
TEST_P(capget, no_such_pid_esrch, NEGATIVE, LINUX, kGonePids) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, row.pid};
    __user_cap_data_struct d[2];
    EXPECT_ERR(sys::capget(&h, d), ESRCH);
}

// capget(2) ESRCH for a child that has exited and been reaped.
TEST(capget, reaped_child_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn([](void*) {}, nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_CHILD_OK(pid);
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, int(pid)};
    __user_cap_data_struct d[2];
    EXPECT_ERR(sys::capget(&h, d), ESRCH);
}

struct Ptr {
    const char* label;
    u64 addr;
};
constexpr Ptr kBadPtrs[] = {
    {"null", 0}, {"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
// capget(2) EFAULT: "Bad memory address. hdrp must not be NULL".
TEST_P(capget, bad_header_efault, NEGATIVE, LINUX, kBadPtrs) {
    __user_cap_data_struct d[2];
    EXPECT_ERR(sys::capget(reinterpret_cast<__user_cap_header_struct*>(row.addr), d), EFAULT);
}

constexpr Ptr kBadDataPtrs[] = {{"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
// capget(2) EFAULT: an unwritable data pointer (NULL is the version probe).
TEST_P(capget, bad_data_efault, NEGATIVE, LINUX, kBadDataPtrs) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    EXPECT_ERR(sys::capget(&h, reinterpret_cast<__user_cap_data_struct*>(row.addr)), EFAULT);
}

// ---------------------------------------------------------------------------
// capset(2)

// capset(2) EINVAL with an unsupported version, which the kernel replaces by
// its preferred one; the sets passed are the current ones, so nothing could
// change even if the call were accepted.
TEST_P(capset, bad_version_einval, NEGATIVE, LINUX, kBadVersions) {
    cred::Caps c{};
    ASSERT_TRUE(cred::get_caps(0, &c));
    __user_cap_header_struct h{row.version, 0};
    __user_cap_data_struct d[2] = {{u32(c.eff), u32(c.prm), u32(c.inh)},
                                   {u32(c.eff >> 32), u32(c.prm >> 32), u32(c.inh >> 32)}};
    EXPECT_ERR(sys::capset(&h, d), EINVAL);
    EXPECT_EQ(h.version, _LINUX_CAPABILITY_VERSION_3);
}

// capset(2): the caller's own sets, unchanged, with pid 0 or its own pid.
TEST(capset, own_sets_unchanged, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            cred::Caps c{};
            ASSERT_TRUE(cred::get_caps(0, &c));
            EXPECT_RET(cred::set_caps(c), 0);
            __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, int(sys::getpid())};
            __user_cap_data_struct d[2] = {{u32(c.eff), u32(c.prm), u32(c.inh)},
                                           {u32(c.eff >> 32), u32(c.prm >> 32), u32(c.inh >> 32)}};
            EXPECT_RET(sys::capset(&h, d), 0);
            cred::Caps after{};
            ASSERT_TRUE(cred::get_caps(0, &after));
            EXPECT_EQ(after.eff, long(c.eff));
            EXPECT_EQ(after.prm, long(c.prm));
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// capset(2) EPERM: "The caller attempted to use capset() to modify the
// capabilities of a thread other than itself ... [with VFS capabilities]
// this is never permitted" - a child, and a pid that does not exist (Linux
// says EPERM there, not ESRCH).
TEST(capset, other_process_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int fds[2];
    long pid = sleeper(fds);
    ASSERT_GT(pid, 0);
    cred::Caps c{};
    ASSERT_TRUE(cred::get_caps(0, &c));
    __user_cap_data_struct d[2] = {{u32(c.eff), u32(c.prm), u32(c.inh)},
                                   {u32(c.eff >> 32), u32(c.prm >> 32), u32(c.inh >> 32)}};
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, int(pid)};
    EXPECT_ERR(sys::capset(&h, d), EPERM);
    h = {_LINUX_CAPABILITY_VERSION_3, INT_MAX};
    EXPECT_ERR(sys::capset(&h, d), EPERM);
    release(fds, pid);
}

// capset(2) EFAULT: the data pointer is read.
TEST_P(capset, bad_data_efault, NEGATIVE, LINUX, kBadPtrs) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    EXPECT_ERR(sys::capset(&h, reinterpret_cast<__user_cap_data_struct*>(row.addr)), EFAULT);
}

struct Raise {
    const char* label;
    u64 eff, prm, inh;  // requested on top of an empty process
};
constexpr Raise kRaises[] = {
    {"permitted", 0, cred::capbit(CAP_CHOWN), 0},
    {"effective_not_permitted", cred::capbit(CAP_CHOWN), 0, 0},
    {"inheritable", 0, 0, cred::capbit(CAP_CHOWN)},
    {"all_three", cred::capbit(CAP_KILL), cred::capbit(CAP_KILL), cred::capbit(CAP_KILL)},
};
// capset(2) EPERM: "An attempt was made to add a capability to the permitted
// set, or to set a capability in the effective set that is not in the
// permitted set", or to add one to the inheritable set that "was not in the
// caller's permitted set" without CAP_SETPCAP. The child has no capabilities
// (cred::become_unprivileged) in every environment and run mode.
TEST_P(capset, unprivileged_raise_eperm, NEGATIVE, LINUX, kRaises, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            const Raise& r = *static_cast<const Raise*>(p);
            ASSERT_TRUE(cred::become_unprivileged());
            cred::Caps before{};
            ASSERT_TRUE(cred::get_caps(0, &before));
            ASSERT_EQ(before.prm, 0);
            EXPECT_ERR(cred::set_caps({r.eff, r.prm, r.inh}), EPERM);
            cred::Caps after{1, 1, 1};
            ASSERT_TRUE(cred::get_caps(0, &after));
            EXPECT_EQ(after.eff, long(before.eff));
            EXPECT_EQ(after.prm, long(before.prm));
            EXPECT_EQ(after.inh, long(before.inh));
        },
        const_cast<Raise*>(&row));
    EXPECT_CHILD_OK(pid);
}

// capset(2) and capabilities(7) CAP_CHOWN: a process that clears CAP_CHOWN
// from its effective set can no longer give a file away (fchown EPERM);
// raising it again from the permitted set restores the power. The new owner,
// uid 1234, must be mapped: an unmapped one is EINVAL whatever the
// capabilities.
TEST(capset, effective_drop_takes_effect, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::require_ns_cap(CAP_CHOWN);
    cred::require_mapped(false, 1234);
    long fd = sys::openat(kc::scratch_fd(), "f", O_CREAT | O_RDWR, 0600);
    ASSERT_GE(fd, 0);
    long pid = kc::spawn(
        [](void* p) {
            long f = *static_cast<long*>(p);
            cred::Caps c{};
            ASSERT_TRUE(cred::get_caps(0, &c));
            ASSERT_TRUE(c.eff & cred::capbit(CAP_CHOWN));
            ASSERT_RET(cred::set_caps({c.eff & ~cred::capbit(CAP_CHOWN), c.prm, c.inh}), 0);
            EXPECT_TRUE(!cred::has_cap(CAP_CHOWN));
            EXPECT_ERR(sys::fchown(f, 1234, cred::kNoId), EPERM);
            ASSERT_RET(cred::set_caps(c), 0);
            EXPECT_TRUE(cred::has_cap(CAP_CHOWN));
            EXPECT_RET(sys::fchown(f, 1234, cred::kNoId), 0);
        },
        &fd);
    EXPECT_CHILD_OK(pid);
    arch::Stat st{};
    EXPECT_RET(sys::fstat(int(fd), &st), 0);
    EXPECT_EQ(st.st_uid, 1234);
    sys::close(int(fd));
}

// capset(2): a capability removed from the permitted set cannot be added
// back, not even by root (EPERM); capget shows it gone from both sets.
TEST(capset, permitted_drop_is_permanent, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_KILL);
    long pid = kc::spawn(
        [](void*) {
            cred::Caps c{};
            ASSERT_TRUE(cred::get_caps(0, &c));
            u64 bit = cred::capbit(CAP_KILL);
            ASSERT_TRUE(c.prm & bit);
            ASSERT_RET(cred::set_caps({c.eff & ~bit, c.prm & ~bit, c.inh & ~bit}), 0);
            cred::Caps now{};
            ASSERT_TRUE(cred::get_caps(0, &now));
            EXPECT_EQ(now.prm & bit, 0);
            EXPECT_EQ(now.eff & bit, 0);
            EXPECT_EQ(now.prm, long(c.prm & ~bit));
            EXPECT_ERR(cred::set_caps(c), EPERM);
            EXPECT_ERR(cred::set_caps({now.eff, now.prm | bit, now.inh}), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
