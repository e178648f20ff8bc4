// SPDX-License-Identifier: MIT
// file_getattr(2) and file_setattr(2) (Linux 6.17): the inode flags of
// FS_IOC_FSGETXATTR/FS_IOC_FSSETXATTR (FS_XFLAG_*, extent size hints,
// project id) by dirfd + path, in an extensible struct file_attr. No man
// page in man-pages 6.03; the contract is fs/file_attr.c (quoted as
// "file_attr.c") and ioctl_xfs_fsgetxattr(2) for the fields.
// Covered: NODUMP/NOATIME/SYNC set and read back (by path, through a
// symlink, by descriptor with AT_EMPTY_PATH), IMMUTABLE and its capability
// (CAP_LINUX_IMMUTABLE) and ownership rules, the size rules of the struct
// (below 24 bytes EINVAL, above a page E2BIG, larger with non-zero unknown
// bytes E2BIG, larger on output zero-filled), unknown flags, objects
// without file attributes (a pipe: EOPNOTSUPP), bad descriptors and
// pointers. Skipped where the scratch file system has no file attributes.
// Left out: extent size hints, project ids and DAX (file-system specific:
// XFS), and AT_SYMLINK_NOFOLLOW on a symlink (whether a symlink has
// attributes depends on the file system).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fileattr.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"

namespace {

int D() { return kc::scratch_fd(); }

// Scratch file "a" (fd returned) and symlink "l" -> "a"; skips without the
// calls or when the scratch file system has no file attributes.
int fixture() {
    if (sys::file_getattr(AT_FDCWD, "", nullptr, 0, 0) == -ENOSYS)
        kc::skip_unimplemented("file_getattr",
                               "file_getattr: not implemented (ENOSYS; Linux 6.17+)");
    long fd = sys::openat(D(), "a", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_OK(fd);
    file_attr fa{};
    long r = sys::file_getattr(D(), "a", &fa, sizeof fa, 0);
    if (r == -EOPNOTSUPP) {
        sys::close(int(fd));
        kc::skip("the scratch file system has no file attributes (EOPNOTSUPP)");
    }
    ASSERT_RET(r, 0);
    ASSERT_RET(sys::symlinkat("a", D(), "l"), 0);
    return int(fd);
}

// The xflags of scratch file "a", or ~0 when file_getattr failed.
u64 xflags(const char* path = "a", int dfd = -1, u32 at = 0) {
    file_attr fa{};
    long r = sys::file_getattr(dfd == -1 ? D() : dfd, path, &fa, sizeof fa, at);
    return r == 0 ? fa.fa_xflags : ~0ull;
}
long set_xflags(u64 x, const char* path = "a", int dfd = -1, u32 at = 0) {
    file_attr fa{x, 0, 0, 0, 0};
    return sys::file_setattr(dfd == -1 ? D() : dfd, path, &fa, sizeof fa, at);
}

// Clears every flag of scratch file "a" (the cleanup of the IMMUTABLE test:
// an immutable file could not be removed from scratch).
void clear_flags(long, long) { set_xflags(0); }

struct FlagRow {
    const char* label;
    u64 flag;
};
constexpr FlagRow kFlags[] = {{"FS_XFLAG_NODUMP", FS_XFLAG_NODUMP},
                              {"FS_XFLAG_NOATIME", FS_XFLAG_NOATIME},
                              {"FS_XFLAG_SYNC", FS_XFLAG_SYNC}};

struct SizeRow {
    const char* label;
    usize size;
    u8 tail;  // byte 24, past the known fields
    int err;
};
constexpr SizeRow kSizes[] = {{"size=0", 0, 0, EINVAL},
                              {"size=16", 16, 0, EINVAL},
                              {"size=23", 23, 0, EINVAL},
                              {"size=32_zero_tail", 32, 0, 0},
                              {"size=32_nonzero_tail", 32, 1, E2BIG},
                              {"size=4097", 4097, 0, E2BIG}};

struct AtRow {
    const char* label;
    u32 at;
};
constexpr AtRow kBadAt[] = {{"AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW},
                            {"AT_REMOVEDIR", AT_REMOVEDIR},
                            {"bit31", 0x80000000u}};

}  // namespace

// file_attr.c: file_setattr sets the flags given in fa_xflags and
// file_getattr reads them back; setting 0 clears them.
TEST_P(file_setattr, sets_and_clears_flag, POSITIVE, LINUX, kFlags, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(fixture());
    EXPECT_EQ(xflags() & row.flag, 0u);
    long r = set_xflags(row.flag);
    // Each file system takes its own set (tmpfs: no FS_XFLAG_SYNC).
    if (r == -EOPNOTSUPP)
        kc::skip("the scratch file system does not support this flag (EOPNOTSUPP)");
    ASSERT_RET(r, 0);
    EXPECT_EQ(xflags() & row.flag, row.flag);
    ASSERT_RET(set_xflags(0), 0);
    EXPECT_EQ(xflags() & row.flag, 0u);
}

// file_attr.c: the file is found like any *at call: through a symlink (it
// is followed), by descriptor with AT_EMPTY_PATH and an empty or null path.
TEST(file_getattr, reaches_file_every_way, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    ASSERT_RET(set_xflags(FS_XFLAG_NODUMP, "", fd, AT_EMPTY_PATH), 0);
    EXPECT_EQ(xflags() & FS_XFLAG_NODUMP, FS_XFLAG_NODUMP);
    EXPECT_EQ(xflags("l") & FS_XFLAG_NODUMP, FS_XFLAG_NODUMP);
    EXPECT_EQ(xflags("", fd, AT_EMPTY_PATH) & FS_XFLAG_NODUMP, FS_XFLAG_NODUMP);
    EXPECT_EQ(xflags(nullptr, fd, AT_EMPTY_PATH) & FS_XFLAG_NODUMP, FS_XFLAG_NODUMP);
    ASSERT_RET(set_xflags(0, "l"), 0);
    EXPECT_EQ(xflags() & FS_XFLAG_NODUMP, 0u);
    sys::close(fd);
}

// file_attr.c: usize below FILE_ATTR_SIZE_VER0 (24) is EINVAL, above a page
// E2BIG; a larger buffer gets the struct and zeros after it
// (copy_struct_to_user).
TEST_P(file_getattr, attr_size, BOUNDARY, LINUX, kSizes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    alignas(8) u8 buf[4100];
    common::fill_bytes(buf, 0xee, sizeof buf);
    long r = sys::file_getattr(D(), "a", buf, row.size, 0);
    // A larger output buffer is always zero-filled: no E2BIG for the tail.
    int err = row.tail ? 0 : row.err;
    EXPECT_RET(r, -err);
    if (r == 0) {
        EXPECT_EQ(buf[24], 0);
        EXPECT_EQ(buf[31], 0);
        EXPECT_EQ(buf[32], 0xee);
    } else {
        EXPECT_EQ(buf[0], 0xee);
    }
    sys::close(fd);
}

// file_attr.c: at_flags other than AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH are
// EINVAL.
TEST_P(file_getattr, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    file_attr fa{};
    EXPECT_ERR(sys::file_getattr(D(), "a", &fa, sizeof fa, row.at), EINVAL);
    sys::close(fd);
}

// file_attr.c: an object whose file system has no file attributes (a pipe)
// is EOPNOTSUPP (the ioctl's ENOTTY is translated).
TEST(file_getattr, pipe_eopnotsupp, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    kc::Pipe p;
    ASSERT_RET(p.r, 0);
    file_attr fa{};
    EXPECT_ERR(sys::file_getattr(p.rd, "", &fa, sizeof fa, AT_EMPTY_PATH), EOPNOTSUPP);
    EXPECT_ERR(sys::file_setattr(p.rd, "", &fa, sizeof fa, AT_EMPTY_PATH), EOPNOTSUPP);
    sys::close(fd);
}

// file_attr.c: a closed descriptor with AT_EMPTY_PATH is EBADF, a missing
// file ENOENT, an unwritable attribute buffer EFAULT.
TEST(file_getattr, bad_fd_path_pointer, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    file_attr fa{};
    EXPECT_ERR(sys::file_getattr(INT_MAX, "", &fa, sizeof fa, AT_EMPTY_PATH), EBADF);
    EXPECT_ERR(sys::file_getattr(D(), "missing", &fa, sizeof fa, 0), ENOENT);
    EXPECT_ERR(sys::file_getattr(D(), "a", common::kBadPtr, sizeof fa, 0), EFAULT);
    sys::close(fd);
}

// file_attr.c: the same size rules on input; a larger struct whose unknown
// bytes are not zero is E2BIG (copy_struct_from_user); nothing changes on
// failure.
TEST_P(file_setattr, attr_size, BOUNDARY, LINUX, kSizes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    alignas(8) u8 buf[4100] = {};
    file_attr fa{FS_XFLAG_NODUMP, 0, 0, 0, 0};
    __builtin_memcpy(buf, &fa, sizeof fa);
    buf[24] = row.tail;
    EXPECT_RET(sys::file_setattr(D(), "a", buf, row.size, 0), -row.err);
    EXPECT_EQ(xflags() & FS_XFLAG_NODUMP, row.err ? 0u : FS_XFLAG_NODUMP);
    sys::close(fd);
}

constexpr FlagRow kUnknown[] = {
    {"bit17", 0x20000}, {"bit30", 0x40000000}, {"bit32", 1ull << 32}, {"bit63", 1ull << 63}};
// file_attr.c: fa_xflags bits that are no FS_XFLAG_* are EINVAL.
TEST_P(file_setattr, unknown_flag_einval, NEGATIVE, LINUX, kUnknown, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    EXPECT_ERR(set_xflags(row.flag | FS_XFLAG_NODUMP), EINVAL);
    EXPECT_EQ(xflags() & FS_XFLAG_NODUMP, 0u);
    sys::close(fd);
}

TEST_P(file_setattr, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    EXPECT_ERR(set_xflags(0, "a", -1, row.at), EINVAL);
    sys::close(fd);
}

// file_attr.c: FS_XFLAG_IMMUTABLE can be changed only with
// CAP_LINUX_IMMUTABLE; an immutable file refuses writes (EPERM) until the
// flag is cleared.
TEST(file_setattr, immutable_blocks_writes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture();
    kc::require_cap(CAP_LINUX_IMMUTABLE);
    int h = kc::defer(clear_flags, 0);
    ASSERT_RET(set_xflags(FS_XFLAG_IMMUTABLE), 0);
    EXPECT_EQ(xflags() & FS_XFLAG_IMMUTABLE, FS_XFLAG_IMMUTABLE);
    EXPECT_ERR(sys::openat(D(), "a", O_WRONLY | O_CLOEXEC, 0), EPERM);
    EXPECT_ERR(sys::unlinkat(D(), "a", 0), EPERM);
    ASSERT_RET(set_xflags(0), 0);
    kc::undefer(h, false);
    EXPECT_RET(sys::write(fd, "w", 1), 1);
    sys::close(fd);
}

// file_attr.c: without CAP_LINUX_IMMUTABLE, setting FS_XFLAG_IMMUTABLE is
// EPERM even for the owner (a child that dropped its capabilities), who can
// still set the other flags.
TEST(file_setattr, immutable_needs_capability, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = fixture();
    long pid = kc::spawn(
        [](void* p) {
            int f = int(long(p));
            ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_ERR(set_xflags(FS_XFLAG_IMMUTABLE, "", f, AT_EMPTY_PATH), EPERM);
            EXPECT_RET(set_xflags(FS_XFLAG_NODUMP, "", f, AT_EMPTY_PATH), 0);
        },
        reinterpret_cast<void*>(long(fd)));
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(xflags() & (FS_XFLAG_IMMUTABLE | FS_XFLAG_NODUMP), FS_XFLAG_NODUMP);
    sys::close(fd);
}

// file_attr.c: a process that neither owns the file nor has CAP_FOWNER
// gets EPERM for any change (inode_owner_or_capable), and nothing changes.
TEST(file_setattr, not_owner_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    int fd = fixture();
    ASSERT_RET(set_xflags(FS_XFLAG_NODUMP), 0);
    long pid = kc::spawn(
        [](void* p) {
            ASSERT_TRUE(kc::become_other_user());
            EXPECT_ERR(set_xflags(0, "", int(long(p)), AT_EMPTY_PATH), EPERM);
        },
        reinterpret_cast<void*>(long(fd)));
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(xflags() & FS_XFLAG_NODUMP, FS_XFLAG_NODUMP);
    sys::close(fd);
}
