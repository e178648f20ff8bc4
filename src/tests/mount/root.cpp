// SPDX-License-Identifier: MIT
// chroot(2), pivot_root(2): the process root moved to a scratch directory
// ("/" resolves there, ".." at the root stays, the working directory is
// left alone), lookup and permission errors, EPERM without
// CAP_SYS_CHROOT; pivot_root to a tmpfs in a private mount namespace (the
// old root under put_old, then detached; the pivot_root(".", ".") idiom),
// EINVAL when new_root is no mount point or put_old is not below it, EBUSY
// for the current root, EPERM without CAP_SYS_ADMIN. Every call that could
// succeed runs in a child (the process root is per process).
// Left out: chroot's effect on other threads sharing fs (CLONE_FS), the
// propagation rules of pivot_root with shared mounts.
#include "tests/mount/mount_util.hpp"

namespace {

using mounts::exists;
using mounts::point;

constexpr u32 kFlags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH;

arch::Stat stat_of(const char* path) {
    arch::Stat st{};
    ASSERT_RET(sys::newfstatat(AT_FDCWD, path, &st, 0), 0);
    return st;
}
bool same(const arch::Stat& a, const arch::Stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// A scratch directory "r" holding the file "marker".
const char* root_dir() {
    const char* r = point("r");
    ASSERT_RET(mounts::create_in(r, "marker"), 0);
    return r;
}

}  // namespace

// ---------------------------------------------------------------------------
// chroot(2)

// chroot(2): "changes the root directory of the calling process to that
// specified in path ... used for pathnames beginning with /": /marker is
// r/marker; ".." of the root is the root itself (path_resolution(7)).
TEST(chroot, slash_resolves_in_new_root, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* r = root_dir();
        arch::Stat want = stat_of(r);
        ASSERT_RET(sys::chroot(r), 0);
        EXPECT_TRUE(exists("/marker"));
        EXPECT_TRUE(exists("/../../marker"));
        EXPECT_TRUE(same(stat_of("/"), want));
        EXPECT_TRUE(same(stat_of("/.."), want));
        ASSERT_RET(sys::chdir("/"), 0);
        char cwd[8] = {};
        EXPECT_RET(sys::getcwd(cwd, sizeof cwd), 2);
        EXPECT_TRUE(rt::streq(cwd, "/"));
    });
}

// chroot(2): "This call does not change the current working directory":
// relative names still resolve from the old one, outside the new root.
TEST(chroot, cwd_unchanged, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* r = root_dir();
        const char* o = point("outside");
        ASSERT_RET(mounts::create_in(o, "f"), 0);
        ASSERT_RET(sys::chdir(o), 0);
        ASSERT_RET(sys::chroot(r), 0);
        EXPECT_TRUE(exists("f"));
        EXPECT_TRUE(!exists("/f"));
    });
}

// chroot(2) EPERM: "The caller has insufficient privilege" (CAP_SYS_CHROOT
// in its user namespace); the root stays.
TEST(chroot, unprivileged_eperm, NEGATIVE, LINUX, .flags = kFlags) {
    root_dir();
    mounts::unprivileged([](void*) {
        EXPECT_ERR(sys::chroot(kc::scratch_path("r")), EPERM);
        EXPECT_TRUE(!exists("/marker"));
    });
}

// chroot(2) ENOENT, ENOTDIR, EFAULT: looked up before the privilege check,
// so a caller without CAP_SYS_CHROOT gets them.
TEST(chroot, lookup_errors_before_eperm, NEGATIVE, LINUX, .flags = kFlags) {
    ASSERT_RET(mounts::create("file", kc::scratch_fd()), 0);
    mounts::unprivileged([](void*) {
        EXPECT_ERR(sys::chroot(kc::scratch_path("missing")), ENOENT);
        EXPECT_ERR(sys::chroot(kc::scratch_path("file")), ENOTDIR);
        EXPECT_ERR(sys::chroot(reinterpret_cast<const char*>(8)), EFAULT);
    });
}

// chroot(2) EACCES: "Search permission is denied on a component of the path
// prefix" - also on the directory itself (no x for anyone), and before
// the capability check.
TEST(chroot, no_search_permission_eacces, NEGATIVE, LINUX, .flags = kFlags) {
    ASSERT_OK(sys::mkdirat(kc::scratch_fd(), "nx", 0700));
    ASSERT_OK(sys::fchmodat(kc::scratch_fd(), "nx", 0600));
    mounts::unprivileged([](void*) { EXPECT_ERR(sys::chroot(kc::scratch_path("nx")), EACCES); });
}

// pivot_root(2) in a test's child: EINVAL "the current root is on the rootfs
// (initial ramfs) filesystem" ends the child with mounts::kRootIsRootfs when
// "/" is a ramfs or tmpfs (where the suite runs as /init of an initramfs).
static long pivot_or_exit(const char* new_root, const char* put_old) {
    long r = sys::pivot_root(new_root, put_old);
    struct statfs sf;
    if (r == -EINVAL && sys::statfs("/", &sf) == 0 &&
        (sf.f_type == RAMFS_MAGIC || sf.f_type == TMPFS_MAGIC))
        sys::exit_group(mounts::kRootIsRootfs);
    return r;
}

// ---------------------------------------------------------------------------
// pivot_root(2)

// pivot_root(2): "moves the root mount to the directory put_old and makes
// new_root the new root mount": /marker is on the new tmpfs, /old is the
// old root (same device and inode as "/" was); after umount2(MNT_DETACH)
// of /old it is an empty directory of the tmpfs.
TEST(pivot_root, swaps_root, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        arch::Stat old_root = stat_of("/");
        const char* n = point("new");
        mounts::tmpfs_at(n);
        ASSERT_RET(mounts::create_in(n, "marker"), 0);
        ASSERT_RET(sys::chdir(n), 0);
        ASSERT_OK(sys::mkdirat(AT_FDCWD, "old", 0755));
        ASSERT_RET(pivot_or_exit(".", "old"), 0);
        EXPECT_TRUE(exists("/marker"));
        EXPECT_TRUE(same(stat_of("/old"), old_root));
        ASSERT_RET(sys::umount2("/old", MNT_DETACH), 0);
        EXPECT_EQ(stat_of("/old").st_dev, stat_of("/").st_dev);
    });
}

// pivot_root(2) NOTES: new_root and put_old may be the same directory
// (pivot_root(".", ".")): the old root is stacked on new_root, and
// unmounting "." then uncovers the new root.
TEST(pivot_root, dot_dot_idiom, POSITIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* n = point("new");
        mounts::tmpfs_at(n);
        ASSERT_RET(mounts::create_in(n, "marker"), 0);
        ASSERT_RET(sys::chdir(n), 0);
        ASSERT_RET(pivot_or_exit(".", "."), 0);
        ASSERT_RET(sys::umount2(".", MNT_DETACH), 0);
        ASSERT_RET(sys::chdir("/"), 0);
        EXPECT_TRUE(exists("/marker"));
        EXPECT_TRUE(exists("marker"));
    });
}

// pivot_root(2) EINVAL: "new_root is not a mount point", and "put_old is not
// at or underneath new_root"; EBUSY when put_old is on the current root
// mount ("/" itself; Linux checks this before the two EINVAL cases, so the
// others sit on a tmpfs of their own, wherever the scratch directory is).
TEST(pivot_root, bad_new_root, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("base"));
        const char* plain = point("base/plain");
        const char* old = point("base/plain/old");
        EXPECT_ERR(sys::pivot_root(plain, old), EINVAL);
        const char* n = point("base/new");
        mounts::tmpfs_at(n);
        EXPECT_ERR(sys::pivot_root(n, plain), EINVAL);
        EXPECT_ERR(sys::pivot_root(n, "/"), EBUSY);
        EXPECT_TRUE(exists(kc::scratch_path("base/plain/old")));
    });
}

// pivot_root(2) ENOENT and ENOTDIR for new_root or put_old (with the
// privilege, which is checked first).
TEST(pivot_root, lookup_errors, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::in_private_ns([](void*) {
        const char* n = point("new");
        mounts::tmpfs_at(n);
        ASSERT_RET(mounts::create_in(n, "file"), 0);
        EXPECT_ERR(sys::pivot_root(kc::scratch_path("none"), n), ENOENT);
        EXPECT_ERR(sys::pivot_root(n, kc::scratch_path("new/none")), ENOENT);
        EXPECT_ERR(sys::pivot_root(kc::scratch_path("new/file"), n), ENOTDIR);
        EXPECT_ERR(sys::pivot_root(n, kc::scratch_path("new/file")), ENOTDIR);
    });
}

// pivot_root(2) EPERM: "The calling process does not have the
// CAP_SYS_ADMIN capability" - checked before the paths.
TEST(pivot_root, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mounts::unprivileged([](void*) { EXPECT_ERR(sys::pivot_root("/", "/"), EPERM); });
}
