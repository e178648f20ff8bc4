// SPDX-License-Identifier: MIT
// mount(2) and umount2(2) that succeed, in a private mount namespace
// (mount_util.hpp): a tmpfs with options (size, mode), per-mount flags in
// statfs, bind mounts and read-only remounts of them, MS_MOVE, stacked
// mounts; the errors that need the privilege to be reached (ENODEV,
// ENOTDIR, EINVAL for bad options, remounts and moves of non-mounts).
// umount2: the files go with the mount, EBUSY while a file is open or the
// working directory is inside, MNT_DETACH (the open file stays usable),
// MNT_EXPIRE (EAGAIN first, then unmounted), UMOUNT_NOFOLLOW, EINVAL for a
// directory that is no mount point. The negative tests without privilege
// are in tests/system/admin.cpp.
// Left out: block-device file systems (need devices), MNT_FORCE (only
// network file systems act on it), shared/slave propagation.
#include "tests/mount/mount_util.hpp"

namespace {

using mounts::create_in;
using mounts::exists_in;
using mounts::point;
using mounts::tmpfs_with_file;

constexpr u32 kFlags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH;

long tmpfs(const char* path, unsigned long flags = 0, const char* opts = nullptr) {
    return sys::mount("none", path, "tmpfs", flags, opts);
}

}  // namespace

// ---------------------------------------------------------------------------
// mount(2)

// mount(2) of tmpfs with data "size=64k,mode=0710" (tmpfs(5)): statfs shows
// a tmpfs of 64 KiB, the root has mode 0710, and files can be made in it.
TEST(mount, tmpfs_with_options, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        ASSERT_RET(tmpfs(m, 0, "size=64k,mode=0710"), 0);
        struct statfs sf {};
        ASSERT_RET(sys::statfs(m, &sf), 0);
        EXPECT_EQ(sf.f_type, TMPFS_MAGIC);
        EXPECT_EQ(u64(sf.f_blocks) * u64(sf.f_bsize), 65536u);
        arch::Stat st{};
        EXPECT_RET(sys::newfstatat(AT_FDCWD, m, &st, 0), 0);
        EXPECT_EQ(st.st_mode, S_IFDIR | 0710);
        EXPECT_RET(create_in(m, "f"), 0);
    });
}

// mount(2) MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_RDONLY show in statfs(2)
// f_flags (ST_* of the same values); MS_RDONLY refuses new files (EROFS).
TEST(mount, flags_in_statfs, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        constexpr unsigned long kBits = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY;
        ASSERT_RET(tmpfs(m, kBits), 0);
        EXPECT_EQ(mounts::fs_flags(m) & long(kBits), long(kBits));
        EXPECT_ERR(create_in(m, "f"), EROFS);
    });
}

// mount(2) MS_BIND: "A bind mount makes a file or a directory subtree
// visible at another point": the same inode at both places, and a file
// made through one shows at the other.
TEST(mount, bind_shares_files, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* src = point("src");
        const char* dst = point("dst");
        ASSERT_RET(sys::mount(src, dst, nullptr, MS_BIND, nullptr), 0);
        EXPECT_RET(create_in(src, "f"), 0);
        EXPECT_TRUE(exists_in(dst, "f"));
        arch::Stat a{}, b{};
        EXPECT_RET(sys::newfstatat(AT_FDCWD, src, &a, 0), 0);
        EXPECT_RET(sys::newfstatat(AT_FDCWD, dst, &b, 0), 0);
        EXPECT_EQ(a.st_ino, b.st_ino);
        EXPECT_EQ(a.st_dev, b.st_dev);
    });
}

// mount(2) MS_REMOUNT|MS_BIND|MS_RDONLY: "change the per-mount-point flags"
// only - the bind mount becomes read-only (EROFS), its source stays
// writable. Both are on a tmpfs of this test's own: a bind of a mount
// inherited from a more privileged namespace keeps its locked flags
// (nosuid, nodev), which a remount that omits them may not clear (EPERM).
TEST(mount, remount_bind_rdonly, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("base"));
        const char* src = point("base/src");
        const char* dst = point("base/dst");
        ASSERT_RET(sys::mount(src, dst, nullptr, MS_BIND, nullptr), 0);
        ASSERT_RET(sys::mount(nullptr, dst, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr), 0);
        EXPECT_ERR(create_in(dst, "f"), EROFS);
        EXPECT_RET(create_in(src, "f"), 0);
        EXPECT_TRUE(exists_in(dst, "f"));
    });
}

// mount(2) MS_MOVE: "Move a subtree ... atomically": the tmpfs and its file
// leave a and appear at b.
TEST(mount, move, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* a = tmpfs_with_file("a");
        const char* b = point("b");
        ASSERT_RET(sys::mount(a, b, nullptr, MS_MOVE, nullptr), 0);
        EXPECT_TRUE(exists_in(b, "f"));
        EXPECT_TRUE(!exists_in(a, "f"));
    });
}

// mount(2) on a mount point that has a mount: the new one covers it; after
// umount2 the first one's files are visible again.
TEST(mount, stacked_mounts, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = tmpfs_with_file("m");
        mounts::tmpfs_at(m);
        EXPECT_TRUE(!exists_in(m, "f"));
        ASSERT_RET(create_in(m, "g"), 0);
        ASSERT_RET(sys::umount2(m, 0), 0);
        EXPECT_TRUE(exists_in(m, "f"));
        EXPECT_TRUE(!exists_in(m, "g"));
    });
}

// mount(2) errors reached only with the privilege: ENODEV "filesystemtype
// not configured in the kernel", ENOTDIR for a directory mounted on a file
// (graft_tree), EINVAL for a tmpfs option it cannot parse, for MS_REMOUNT
// and MS_MOVE of something that is not a mount, ENOENT for a missing
// target.
TEST(mount, privileged_errors, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        EXPECT_ERR(sys::mount("none", m, "kconform-no-such-fs", 0, nullptr), ENODEV);
        EXPECT_ERR(tmpfs(m, 0, "size=kconform"), EINVAL);
        EXPECT_ERR(tmpfs(m, MS_REMOUNT), EINVAL);
        EXPECT_ERR(sys::mount(m, kc::scratch_path("b"), nullptr, MS_MOVE, nullptr), ENOENT);
        const char* b = point("b");
        EXPECT_ERR(sys::mount(m, b, nullptr, MS_MOVE, nullptr), EINVAL);
        ASSERT_RET(create_in(m, "f"), 0);
        EXPECT_ERR(sys::mount(m, kc::scratch_path("m/f"), nullptr, MS_BIND, nullptr), ENOTDIR);
        EXPECT_ERR(tmpfs(kc::scratch_path("none")), ENOENT);
    });
}

// ---------------------------------------------------------------------------
// umount2(2)

// umount2(2): the mount goes and its files with it; the directory below is
// what the name shows again.
TEST(umount2, removes_mount, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = tmpfs_with_file("m");
        EXPECT_RET(sys::umount2(m, 0), 0);
        EXPECT_TRUE(!exists_in(m, "f"));
        EXPECT_ERR(sys::umount2(m, 0), EINVAL);  // no longer a mount point
    });
}

// umount2(2) EBUSY: "target could not be unmounted because it is busy" (a
// file open on it); MNT_DETACH "Perform a lazy unmount": the name goes at
// once, the open file still reads and writes.
TEST(umount2, busy_then_detach, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        kc::Fd d(sys::openat(AT_FDCWD, m, O_PATH | O_DIRECTORY | O_CLOEXEC));
        kc::Fd f(sys::openat(d, "f", O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        ASSERT_OK(f.get());
        EXPECT_ERR(sys::umount2(m, 0), EBUSY);
        EXPECT_RET(sys::umount2(m, MNT_DETACH), 0);
        EXPECT_TRUE(!exists_in(m, "f"));
        EXPECT_RET(sys::write(f, "kc", 2), 2);
        char buf[2] = {};
        EXPECT_RET(sys::pread64(f, buf, 2, 0), 2);
        EXPECT_MEM_EQ(buf, "kc", 2);
    });
}

// umount2(2) EBUSY while the working directory is in the mount.
TEST(umount2, busy_cwd, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        ASSERT_RET(sys::chdir(m), 0);
        EXPECT_ERR(sys::umount2(m, 0), EBUSY);
        ASSERT_RET(sys::chdir("/"), 0);
        EXPECT_RET(sys::umount2(m, 0), 0);
    });
}

// umount2(2) MNT_EXPIRE: "Mark the mount as expired. If a mount is not
// currently in use, then an initial call ... fails with the error EAGAIN,
// but marks the mount as expired. The mount remains expired as long as it
// isn't accessed ... A second umount2() call specifying MNT_EXPIRE unmounts
// an expired mount." It "cannot be specified with either MNT_FORCE or
// MNT_DETACH" (EINVAL).
TEST(umount2, expire_twice, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        EXPECT_ERR(sys::umount2(m, MNT_EXPIRE | MNT_DETACH), EINVAL);
        EXPECT_ERR(sys::umount2(m, MNT_EXPIRE | MNT_FORCE), EINVAL);
        EXPECT_ERR(sys::umount2(m, MNT_EXPIRE), EAGAIN);
        EXPECT_RET(sys::umount2(m, MNT_EXPIRE), 0);
        EXPECT_ERR(sys::umount2(m, 0), EINVAL);
    });
}

// umount2(2) UMOUNT_NOFOLLOW: "Don't dereference target if it is a symbolic
// link" - a link to a mount point is then no mount point (EINVAL); without
// the flag the link is followed and the mount goes.
TEST(umount2, nofollow_symlink, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* m = tmpfs_with_file("m");
        const char* link = kc::scratch_path("link");
        ASSERT_RET(sys::symlinkat(m, AT_FDCWD, link), 0);
        EXPECT_ERR(sys::umount2(link, UMOUNT_NOFOLLOW), EINVAL);
        EXPECT_TRUE(exists_in(m, "f"));
        EXPECT_RET(sys::umount2(link, 0), 0);
        EXPECT_TRUE(!exists_in(m, "f"));
    });
}

// umount2(2) EINVAL: "target is not a mount point"; ENOENT for a missing
// path (with the privilege; admin.cpp has them without).
TEST(umount2, not_a_mount_point, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        EXPECT_ERR(sys::umount2(point("plain"), 0), EINVAL);
        EXPECT_ERR(sys::umount2(kc::scratch_path("none"), MNT_DETACH), ENOENT);
    });
}
