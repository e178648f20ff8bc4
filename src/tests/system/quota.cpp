// SPDX-License-Identifier: MIT
// Disk quotas: quotactl(2) and quotactl_fd(2) (Linux 5.14). Only queries and
// refusals: the quota type check, the device lookup of quotactl (a missing
// path, a regular file, a bad pointer), Q_SYNC without a device (syncs the
// quota files of every file system that has quotas on: no state changes),
// and on the scratch directory's file system (quotactl_fd) the format and
// info queries, unknown commands, and the privilege check of Q_QUOTAON,
// Q_QUOTAOFF, Q_SETQUOTA and Q_SETINFO in a child without capabilities.
// No command that changes quota state runs with privilege. A scratch file
// system without quota support (tmpfs without CONFIG_TMPFS_QUOTA answers
// ENOSYS to quotactl_fd) skips those tests.
// Not covered: turning quotas on or off, setting limits, XFS quota
// commands, Q_GETNEXTQUOTA.
#include "harness/test.hpp"
#include "rt/sys_admin.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"

namespace {

void require_quotactl() {
    if (sys::quotactl(QCMD(Q_GETFMT, MAXQUOTAS), nullptr, 0, nullptr) == -ENOSYS)
        kc::skip_unimplemented(
            "quotactl", "quotactl: not implemented (ENOSYS; a kernel without CONFIG_QUOTACTL)");
}

// quotactl_fd on the scratch directory. ENOSYS is ambiguous there (no such
// call, or a file system without quota operations): a bad descriptor tells.
void require_scratch_quota() {
    if (sys::quotactl_fd(-1, QCMD(Q_GETFMT, USRQUOTA), 0, nullptr) == -ENOSYS)
        kc::skip_unimplemented("quotactl_fd", "quotactl_fd: not implemented (ENOSYS; Linux 5.14+)");
    u32 fmt;
    if (sys::quotactl_fd(kc::scratch_fd(), QCMD(Q_GETFMT, USRQUOTA), 0, &fmt) == -ENOSYS)
        kc::skip("the scratch file system has no quota support");
}

// The result of a query on a file system whose quotas may be off (ESRCH:
// "The specified quota type is not enabled") or on (0).
bool quota_off(long r) { return r == -ESRCH; }

}  // namespace

// ---------------------------------------------------------------------------
// quotactl(2)

struct Type {
    const char* label;
    unsigned type;
};
constexpr Type kBadTypes[] = {{"type=3", 3}, {"type=255", 255}};
// quotactl(2) EINVAL: "type is not a valid quota type" - checked first,
// before the device is looked at.
TEST_P(quotactl, bad_type_einval, NEGATIVE, LINUX, kBadTypes) {
    require_quotactl();
    EXPECT_ERR(sys::quotactl(QCMD(Q_GETFMT, row.type), "/", 0, nullptr), EINVAL);
    EXPECT_ERR(sys::quotactl(QCMD(Q_SYNC, row.type), nullptr, 0, nullptr), EINVAL);
}

// quotactl(2) Q_SYNC with special NULL: "all filesystems with active
// quotas are sync'ed" - needs no privilege.
TEST(quotactl, sync_all, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_quotactl();
    EXPECT_RET(sys::quotactl(QCMD(Q_SYNC, USRQUOTA), nullptr, 0, nullptr), 0);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_RET(sys::quotactl(QCMD(Q_SYNC, GRPQUOTA), nullptr, 0, nullptr), 0);
        },
        nullptr));
}

// quotactl(2): special NULL is only allowed for Q_SYNC; other commands
// find no device (Linux: ENODEV).
TEST(quotactl, null_special_enodev, NEGATIVE, LINUX) {
    require_quotactl();
    u32 fmt;
    EXPECT_ERR(sys::quotactl(QCMD(Q_GETFMT, USRQUOTA), nullptr, 0, &fmt), ENODEV);
    EXPECT_ERR(sys::quotactl(QCMD(Q_QUOTAOFF, USRQUOTA), nullptr, 0, nullptr), ENODEV);
}

// quotactl(2) special must name a block device: ENOENT "The file specified
// by special ... does not exist", ENOTBLK "special is not a block device",
// EFAULT "addr or special is invalid".
TEST(quotactl, special_lookup_errors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_quotactl();
    u32 fmt;
    kc::Fd f(sys::openat(kc::scratch_fd(), "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_OK(f.get());
    EXPECT_ERR(sys::quotactl(QCMD(Q_GETFMT, USRQUOTA), "/nonexistent-kconform/dev", 0, &fmt),
               ENOENT);
    EXPECT_ERR(sys::quotactl(QCMD(Q_GETFMT, USRQUOTA), kc::scratch_path("f"), 0, &fmt), ENOTBLK);
    EXPECT_ERR(
        sys::quotactl(QCMD(Q_GETFMT, USRQUOTA), static_cast<const char*>(common::kBadPtr), 0, &fmt),
        EFAULT);
}

// quotactl(2) Q_QUOTAON of a regular file as the device: the quota file
// path is looked up first, the device after - still ENOTBLK; nothing is
// switched on. In a child without capabilities as well (the lookup comes
// before the privilege check).
TEST(quotactl, quotaon_not_block_device, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    require_quotactl();
    kc::Fd f(sys::openat(kc::scratch_fd(), "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_OK(f.get());
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            const char* p = kc::scratch_path("f");
            EXPECT_ERR(
                sys::quotactl(QCMD(Q_QUOTAON, USRQUOTA), p, QFMT_VFS_V1, const_cast<char*>(p)),
                ENOTBLK);
        },
        nullptr));
}

// ---------------------------------------------------------------------------
// quotactl_fd(2)

// quotactl_fd(2): EBADF for a descriptor that is not open; the quota type
// is checked next (EINVAL).
TEST(quotactl_fd, bad_fd_and_type, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_scratch_quota();
    u32 fmt;
    EXPECT_ERR(sys::quotactl_fd(-1, QCMD(Q_GETFMT, USRQUOTA), 0, &fmt), EBADF);
    EXPECT_ERR(sys::quotactl_fd(0x7ffffff0, QCMD(Q_GETFMT, USRQUOTA), 0, &fmt), EBADF);
    EXPECT_ERR(sys::quotactl_fd(kc::scratch_fd(), QCMD(Q_GETFMT, MAXQUOTAS), 0, &fmt), EINVAL);
}

// quotactl_fd(2) Q_GETFMT: "Get quota format used on the specified
// filesystem" - QFMT_VFS_OLD, _V0 or _V1 when the user quota is on, ESRCH
// when it is off; no privilege needed.
TEST(quotactl_fd, getfmt, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_scratch_quota();
    u32 fmt = 0xa5a5a5a5;
    long r = sys::quotactl_fd(kc::scratch_fd(), QCMD(Q_GETFMT, USRQUOTA), 0, &fmt);
    if (quota_off(r)) {
        EXPECT_EQ(fmt, 0xa5a5a5a5u);
        return;
    }
    ASSERT_RET(r, 0);
    EXPECT_TRUE(fmt == QFMT_VFS_OLD || fmt == QFMT_VFS_V0 || fmt == QFMT_VFS_V1);
}

// quotactl_fd(2) Q_GETINFO and Q_GETQUOTA of the caller's own uid need no
// privilege; they answer ESRCH exactly when Q_GETFMT does (quotas off).
TEST(quotactl_fd, queries_agree, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    require_scratch_quota();
    // The kernel matches the id asked for with the caller's euid as a kuid:
    // an euid with no mapping in this user namespace is not the caller's.
    if (!kc::own_ids_mapped()) kc::skip("needs the effective uid mapped in this user namespace");
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            int fd = kc::scratch_fd();
            u32 fmt;
            u64 info[4], dq[9];
            bool off = quota_off(sys::quotactl_fd(fd, QCMD(Q_GETFMT, USRQUOTA), 0, &fmt));
            long r = sys::quotactl_fd(fd, QCMD(Q_GETINFO, USRQUOTA), 0, info);
            EXPECT_EQ(r, off ? -ESRCH : 0);
            r = sys::quotactl_fd(fd, QCMD(Q_GETQUOTA, USRQUOTA), int(sys::geteuid()), dq);
            EXPECT_EQ(r, off ? -ESRCH : 0);
        },
        nullptr));
}

struct Cmd {
    const char* label;
    unsigned cmd;
};
constexpr Cmd kAdminCmds[] = {
    {"Q_QUOTAON", QCMD(Q_QUOTAON, USRQUOTA)},   {"Q_QUOTAOFF", QCMD(Q_QUOTAOFF, USRQUOTA)},
    {"Q_SETQUOTA", QCMD(Q_SETQUOTA, USRQUOTA)}, {"Q_SETINFO", QCMD(Q_SETINFO, USRQUOTA)},
    {"unknown_cmd", QCMD(0x7fff00, USRQUOTA)},
};
// quotactl_fd(2) EPERM: "The caller lacked the required privilege
// (CAP_SYS_ADMIN) for the specified operation" - in a child without
// capabilities (the addresses are NULL: nothing could be set anyway).
TEST_P(quotactl_fd, unprivileged_eperm, NEGATIVE, LINUX, kAdminCmds,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    require_scratch_quota();
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            ASSERT_TRUE(kc::drop_capabilities());
            unsigned cmd = static_cast<const Cmd*>(p)->cmd;
            EXPECT_ERR(sys::quotactl_fd(kc::scratch_fd(), cmd, 0, nullptr), EPERM);
        },
        const_cast<Cmd*>(&row)));
}

// quotactl_fd(2) EINVAL: "cmd or type is invalid" - an unknown command with
// CAP_SYS_ADMIN (it reaches no operation).
TEST(quotactl_fd, unknown_command_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_scratch_quota();
    kc::require_cap(CAP_SYS_ADMIN);
    EXPECT_ERR(sys::quotactl_fd(kc::scratch_fd(), QCMD(0x7fff00, USRQUOTA), 0, nullptr), EINVAL);
}
