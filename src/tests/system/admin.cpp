// SPDX-License-Identifier: MIT
// Administrative calls that must never change this machine: syslog(2)
// (the kernel log buffer), acct(2), swapon(2)/swapoff(2), mount(2) and
// umount2(2). Only read-only syslog actions run with privilege; everything
// else is called in a child that dropped every capability (the kernel
// checks capabilities here, never the uid), with arguments that would fail
// even if the permission check were wrongly passed (nonexistent paths and
// file-system types, a regular file as mount point), or - with the
// capability - only in forms that fail before anything can change (a bad
// pointer or a nonexistent accounting file). The capability tests need it
// in the initial user namespace (capable()): a user namespace's root is
// refused like anyone else.
// Not covered: anything that succeeds with privilege (clearing the log,
// console levels, enabling accounting, swap, mounting).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_system.hpp"
#include "tests/common/common_util.hpp"

namespace {

constexpr const char* kNowhere = "/nonexistent-kconform/x";

// syslog(2)'s restricted actions need CAP_SYSLOG or (deprecated, with a
// warning in the log) CAP_SYS_ADMIN, both checked with capable().
bool syslog_privileged() { return kc::cap_usable(CAP_SYSLOG) || kc::cap_usable(CAP_SYS_ADMIN); }
void require_syslog_privilege() {
    if (!syslog_privileged()) kc::require_cap(CAP_SYSLOG);
}

// /proc/sys/kernel/dmesg_restrict: 1 when reading the log needs CAP_SYSLOG
// too, 0 when not, -1 when it cannot be read (no /proc).
int dmesg_restrict() {
    long fd = sys::openat(AT_FDCWD, "/proc/sys/kernel/dmesg_restrict", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char c = 0;
    long n = sys::read(int(fd), &c, 1);
    sys::close(int(fd));
    return n == 1 && (c == '0' || c == '1') ? c - '0' : -1;
}

// In a child: no capabilities left (the uid is kept: the kernel decides by
// capability alone, and this works where no other uid is mapped).
void drop_privilege() { ASSERT_TRUE(kc::drop_capabilities()); }

}  // namespace

// ---------------------------------------------------------------------------
// syslog(2)

// syslog(2) SYSLOG_ACTION_SIZE_BUFFER: "returns the total size of the kernel
// log buffer" (a power of two: log_buf_len is rounded up to one). With
// /proc/sys/kernel/dmesg_restrict set, a caller without CAP_SYSLOG gets
// EPERM; without /proc to tell, EPERM is accepted from such a caller.
TEST(syslog, size_buffer, POSITIVE, LINUX) {
    long r = sys::syslog(SYSLOG_ACTION_SIZE_BUFFER, nullptr, 0);
    if (!syslog_privileged()) {
        int restricted = dmesg_restrict();
        if (restricted == 1) {
            EXPECT_ERR(r, EPERM);
            return;
        }
        if (restricted < 0 && r == -EPERM) return;
    }
    ASSERT_GT(r, 0);
    EXPECT_EQ(r & (r - 1), 0);
}

// syslog(2) SYSLOG_ACTION_SIZE_UNREAD: "returns the number of bytes currently
// available to be read" (needs CAP_SYSLOG). Not bounded by SIZE_BUFFER: the
// count is of the text as read, with a "<level>[time] " prefix on every line
// that the ring does not store, so a full log of short lines exceeds it
// (Linux 6.18: 133390 unread of a 131072-byte buffer).
TEST(syslog, size_unread_nonnegative, POSITIVE, LINUX) {
    require_syslog_privilege();
    EXPECT_GE(sys::syslog(SYSLOG_ACTION_SIZE_UNREAD, nullptr, 0), 0);
}

struct Read {
    const char* label;
    int type;
    long len;
    int err;  // 0: returns 0 bytes
};
constexpr Read kReads[] = {
    {"read:null", SYSLOG_ACTION_READ, 16, EINVAL},
    {"read:len=-1", SYSLOG_ACTION_READ, -1, EINVAL},
    {"read:len=0", SYSLOG_ACTION_READ, 0, 0},
    {"read_all:null", SYSLOG_ACTION_READ_ALL, 16, EINVAL},
    {"read_all:len=-1", SYSLOG_ACTION_READ_ALL, -1, EINVAL},
    {"read_all:len=0", SYSLOG_ACTION_READ_ALL, 0, 0},
    {"read_clear:null", SYSLOG_ACTION_READ_CLEAR, 16, EINVAL},
    {"read_clear:len=-1", SYSLOG_ACTION_READ_CLEAR, -1, EINVAL},
};
// syslog(2) EINVAL: "Bad arguments (e.g., bad type; or for type 2, 3, or 4,
// buf is NULL, or len is less than zero; ...)"; a zero length reads nothing. The
// "null" rows pass NULL, the others a real buffer. None of these consumes or
// clears the log: the checks come first (after the permission check, hence
// CAP_SYSLOG).
TEST_P(syslog, read_arguments, BOUNDARY, LINUX, kReads) {
    require_syslog_privilege();
    char buf[16];
    char* b = row.err && row.len > 0 ? nullptr : buf;
    long r = sys::syslog(row.type, b, row.len);
    if (row.err) {
        EXPECT_ERR(r, row.err);
    } else {
        EXPECT_RET(r, 0);
    }
}

// syslog(2) SYSLOG_ACTION_READ_ALL: "Read all messages remaining in the ring
// buffer ... The call reads the last len bytes" - at most len, without
// consuming them (with CAP_SYSLOG, which dmesg_restrict may require).
TEST(syslog, read_all_bounded, POSITIVE, LINUX) {
    require_syslog_privilege();
    char buf[512];
    common::fill_bytes(buf, 0xa5, sizeof buf);
    long r = sys::syslog(SYSLOG_ACTION_READ_ALL, buf, 256);
    EXPECT_GE(r, 0);
    EXPECT_LE(r, 256);
    bool tail = true;
    for (usize i = 256; i < sizeof buf; ++i) tail = tail && u8(buf[i]) == 0xa5;
    EXPECT_TRUE(tail);
}

struct Type {
    const char* label;
    int type;
};
constexpr Type kBadTypes[] = {{"type=11", 11}, {"type=-1", -1}, {"type=INT_MAX", INT_MAX}};
// syslog(2) EINVAL: a bad type (with CAP_SYSLOG, so that the permission
// check passes).
TEST_P(syslog, bad_type_einval, NEGATIVE, LINUX, kBadTypes) {
    require_syslog_privilege();
    EXPECT_ERR(sys::syslog(row.type, nullptr, 0), EINVAL);
}

struct Act {
    const char* label;
    int type;
    long len;
};
constexpr Act kUnprivActs[] = {
    {"close", SYSLOG_ACTION_CLOSE, 0},
    {"open", SYSLOG_ACTION_OPEN, 0},
    {"read:len=0", SYSLOG_ACTION_READ, 0},
    {"size_unread", SYSLOG_ACTION_SIZE_UNREAD, 0},
    {"console_level:0", SYSLOG_ACTION_CONSOLE_LEVEL, 0},
    {"console_level:9", SYSLOG_ACTION_CONSOLE_LEVEL, 9},
    {"type=11", 11, 0},
};
// syslog(2) EPERM: "An attempt was made to change console_loglevel or clear
// the kernel message ring buffer by a process without sufficient privilege
// (more precisely: without the CAP_SYS_ADMIN or CAP_SYSLOG capability)" -
// every action except READ_ALL and SIZE_BUFFER (which dmesg_restrict
// governs) needs it, and the check comes before the arguments: even an
// invalid type or console level is EPERM. (The levels 0 and 9 are invalid,
// so nothing could change.)
TEST_P(syslog, unprivileged_eperm, NEGATIVE, LINUX, kUnprivActs, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            const Act& a = *static_cast<const Act*>(p);
            drop_privilege();
            char buf[8];
            EXPECT_ERR(sys::syslog(a.type, buf, a.len), EPERM);
        },
        &row);
}

// ---------------------------------------------------------------------------
// acct(2)

struct Path {
    const char* label;
    u64 addr;  // 0: NULL; 1: the nonexistent path; else a bad pointer
};
constexpr Path kAcctPaths[] = {
    {"null", 0}, {"nonexistent", 1}, {"bad_pointer", common::kBadAddr}, {"empty", 2}};
const char* acct_path(u64 a) {
    return a == 1 ? kNowhere : a == 2 ? "" : reinterpret_cast<const char*>(a);
}
// acct(2) EPERM: "The calling process has insufficient privilege to enable
// process accounting" (CAP_SYS_PACCT) - checked first, so NULL (turn off),
// a missing file and a bad pointer all give EPERM.
TEST_P(acct, unprivileged_eperm, NEGATIVE, LINUX, kAcctPaths, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            drop_privilege();
            EXPECT_ERR(sys::acct(acct_path(static_cast<const Path*>(p)->addr)), EPERM);
        },
        &row);
}

struct AcctErr {
    const char* label;
    u64 addr;
    int err;
};
constexpr AcctErr kRootAcct[] = {
    {"nonexistent", 1, ENOENT},
    {"empty", 2, ENOENT},
    {"bad_pointer", common::kBadAddr, EFAULT},
    {"kernel_pointer", common::kKernelAddr, EFAULT},
};
// acct(2) with CAP_SYS_PACCT, only with files that cannot be opened -
// accounting is never switched on or off: ENOENT "The specified file does
// not exist", EFAULT "filename points outside your accessible address space".
TEST_P(acct, root_unopenable_file, NEGATIVE, LINUX, kRootAcct, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_PACCT);
    common::in_child(
        [](void* p) {
            const AcctErr& e = *static_cast<const AcctErr*>(p);
            EXPECT_ERR(sys::acct(acct_path(e.addr)), e.err);
        },
        &row);
}

// ---------------------------------------------------------------------------
// swapon(2), swapoff(2)

struct Swap {
    const char* label;
    u64 addr;  // as for acct
    long flags;
};
constexpr Swap kSwapons[] = {
    {"nonexistent", 1, 0},
    {"nonexistent,prefer", 1, SWAP_FLAG_PREFER | 5},
    {"nonexistent,discard", 1, SWAP_FLAG_DISCARD},
    {"null", 0, 0},
    {"bad_pointer", common::kBadAddr, 0},
};
// swapon(2) EPERM: "The caller does not have the CAP_SYS_ADMIN capability".
// Paths that do not exist: nothing could be enabled anyway.
TEST_P(swapon, unprivileged_eperm, NEGATIVE, LINUX, kSwapons, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            const Swap& s = *static_cast<const Swap*>(p);
            drop_privilege();
            EXPECT_ERR(sys::swapon(acct_path(s.addr), s.flags), EPERM);
        },
        &row);
}

constexpr Swap kBadSwapFlags[] = {
    {"flags=0x80000", 1, 0x80000},
    {"flags=-1", 1, -1},
    {"flags=0x40000000", 1, 0x40000000},
};
// swapon(2) EINVAL for unknown flags - Linux checks them before the
// privilege, so an unprivileged caller sees EINVAL, not EPERM.
TEST_P(swapon, bad_flags_einval_before_eperm, NEGATIVE, LINUX, kBadSwapFlags,
       .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            const Swap& s = *static_cast<const Swap*>(p);
            drop_privilege();
            EXPECT_ERR(sys::swapon(acct_path(s.addr), s.flags), EINVAL);
        },
        &row);
}

// swapoff(2) EPERM: "The caller does not have the CAP_SYS_ADMIN capability".
TEST_P(swapoff, unprivileged_eperm, NEGATIVE, LINUX, kAcctPaths, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            drop_privilege();
            EXPECT_ERR(sys::swapoff(acct_path(static_cast<const Path*>(p)->addr)), EPERM);
        },
        &row);
}

// ---------------------------------------------------------------------------
// mount(2), umount2(2)

namespace {

// The mount point used: this binary's own path, a regular file every test
// user can reach (mounting a file system on it would fail with ENOTDIR even
// with privilege).
const char* target() { return kc::self_path(); }

struct MountArgs {
    const char* label;
    int which;  // 0 fine; 1 bad source; 2 bad target; 3 bad type
    unsigned long flags;
};

}  // namespace

constexpr MountArgs kMounts[] = {
    {"new", 0, 0},
    {"new,rdonly", 0, MS_RDONLY},
};
// mount(2) EPERM: "The caller does not have the required privileges"
// (CAP_SYS_ADMIN in the mount namespace's user namespace). The file-system
// type does not exist, so nothing could be mounted anyway.
TEST_P(mount, unprivileged_eperm, NEGATIVE, LINUX, kMounts, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            const MountArgs& m = *static_cast<const MountArgs*>(p);
            drop_privilege();
            EXPECT_ERR(sys::mount("none", target(), "kconform-no-such-fs", m.flags, nullptr),
                       EPERM);
        },
        &row);
}

// mount(2) on Linux looks the mount point up before checking privilege: a
// missing one is ENOENT "A pathname was empty or had a nonexistent
// component", even without privilege.
TEST(mount, missing_target_enoent_before_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        drop_privilege();
        EXPECT_ERR(sys::mount("none", kNowhere, "kconform-no-such-fs", 0, nullptr), ENOENT);
    });
}

constexpr MountArgs kBadMountPtrs[] = {{"source", 1, 0}, {"target", 2, 0}, {"type", 3, 0}};
// mount(2) EFAULT: "One of the pointer arguments points outside the user
// address space" - the strings are copied in before the privilege check.
TEST_P(mount, bad_pointer_efault_before_eperm, NEGATIVE, LINUX, kBadMountPtrs,
       .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            int w = static_cast<const MountArgs*>(p)->which;
            drop_privilege();
            const char* bad = static_cast<const char*>(common::kBadPtr);
            EXPECT_ERR(sys::mount(w == 1 ? bad : "none", w == 2 ? bad : target(),
                                  w == 3 ? bad : "kconform-no-such-fs", 0, nullptr),
                       EFAULT);
        },
        &row);
}

struct Umount {
    const char* label;
    long flags;
};
constexpr Umount kUmounts[] = {{"flags=0", 0},
                               {"mnt_force", MNT_FORCE},
                               {"mnt_detach", MNT_DETACH},
                               {"umount_nofollow", UMOUNT_NOFOLLOW}};
// umount2(2) EPERM: "The caller does not have the required privileges" -
// the target is a regular file, not a mount point (EINVAL with privilege).
TEST_P(umount2, unprivileged_eperm, NEGATIVE, LINUX, kUmounts, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            drop_privilege();
            EXPECT_ERR(sys::umount2(target(), static_cast<const Umount*>(p)->flags), EPERM);
        },
        &row);
}

constexpr Umount kBadUmountFlags[] = {
    {"flags=0x10", 0x10}, {"flags=0x100", 0x100}, {"flags=-1", -1}};
// umount2(2) EINVAL: "umount2() was called with an invalid flag value in
// flags" - checked first, so unprivileged callers get EINVAL too.
TEST_P(umount2, bad_flags_einval_before_eperm, NEGATIVE, LINUX, kBadUmountFlags,
       .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            drop_privilege();
            EXPECT_ERR(sys::umount2(target(), static_cast<const Umount*>(p)->flags), EINVAL);
        },
        &row);
}

// umount2(2) on Linux looks the target up before checking privilege: ENOENT
// for a missing path, EFAULT for a bad pointer.
TEST(umount2, lookup_errors_before_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        drop_privilege();
        EXPECT_ERR(sys::umount2(kNowhere, 0), ENOENT);
        EXPECT_ERR(sys::umount2(static_cast<const char*>(common::kBadPtr), 0), EFAULT);
    });
}
