// SPDX-License-Identifier: MIT
// The fields of struct stat, struct statx and struct statfs that stat.cpp
// checks only for being there, each against a value known by another way:
// st_dev of a file, a directory and a pipe against statx's stx_dev_major and
// stx_dev_minor; st_rdev of a character device (/dev/null, 1:3 in Linux's
// devices.txt) against stx_rdev_major and stx_rdev_minor; stx_attributes
// against stx_attributes_mask and STATX_ATTR_MOUNT_ROOT against what is a
// mount's root; f_namelen against the longest name the file system takes;
// and every count of a tmpfs (tmpfs(5)) mounted with known size and
// nr_inodes, before and after a file uses a page and an inode.
// stx_btime against the clock around the creation, where the file system
// reports it.
// Left out: st_ino and st_dev values themselves (machine-dependent: only
// compared between calls), stx_dio_* and stx_subvol (per file system), f_fsid (derived from a
// device or a uuid, per file system), atime (mount options), st_blocks of files on disk (per file
// system).
#include "rt/fmt.hpp"
#include "rt/sys_mount.hpp"
#include "rt/sys_xattr.hpp"
#include "tests/fs/fs_util.hpp"
#include "tests/mount/mount_util.hpp"

namespace {

// The major and minor of a device number as stat(2) encodes it
// (new_encode_dev: the minor's low byte, 12 bits of major, then the rest of
// the minor) and statx(2) reports it split.
u32 dev_major(u64 d) { return u32((d >> 8) & 0xfff); }
u32 dev_minor(u64 d) { return u32((d & 0xff) | ((d >> 12) & 0xfff00)); }

// statx attribute bits (include/uapi/linux/stat.h).
constexpr u64 STATX_ATTR_MOUNT_ROOT = 0x2000;

struct DevRow {
    const char* label;
    int kind;  // 0 file, 1 directory, 2 pipe
};
constexpr DevRow kDevRows[] = {{"regular", 0}, {"directory", 1}, {"pipe", 2}};

// The statx of a descriptor (AT_EMPTY_PATH).
statx statx_of(int fd, u32 mask) {
    statx x{};
    ASSERT_OK(sys::statx(fd, "", AT_EMPTY_PATH, mask, &x));
    return x;
}

}  // namespace

// statx(2): stx_dev_major and stx_dev_minor name the device of the file
// system the file is on, st_dev of stat(2) in its encoded form; both say the
// same for a file, a directory and a pipe (pipefs). stx_rdev is 0:0 for
// them, as st_rdev is. (A file need not report its directory's device: on
// overlayfs over layers of different file systems, without xino, a
// non-directory reports its real layer's.)
TEST_P(statx, dev_matches_fstat, POSITIVE, LINUX, kDevRows, .flags = kc::NEEDS_SCRATCH) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    kc::Fd fd(row.kind == 0   ? fs::create("f")
              : row.kind == 1 ? fs::open(".", O_RDONLY | O_DIRECTORY)
                              : sys::dup(p.rd));
    ASSERT_OK(fd.get());
    arch::Stat s = fs::fst(fd);
    statx x = statx_of(fd, STATX_BASIC_STATS);
    EXPECT_EQ(x.stx_dev_major, dev_major(s.st_dev));
    EXPECT_EQ(x.stx_dev_minor, dev_minor(s.st_dev));
    EXPECT_EQ(s.st_rdev, 0);
    EXPECT_EQ(x.stx_rdev_major, 0);
    EXPECT_EQ(x.stx_rdev_minor, 0);
}

// fstat(2), statx(2): st_rdev of a character device is its device number:
// /dev/null is major 1, minor 3 (Documentation/admin-guide/devices.txt),
// st_mode says S_IFCHR, and statx splits st_rdev into stx_rdev_major and
// stx_rdev_minor.
TEST(fstat, char_device_rdev, POSITIVE, PSE52) {
    kc::Fd fd(sys::openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0));
    if (fd.get() == -ENOENT) kc::skip("needs /dev/null");
    ASSERT_OK(fd.get());
    arch::Stat s = fs::fst(fd);
    // A sandbox may put a plain file there; the device numbers are then not
    // the kernel's to report.
    if ((s.st_mode & S_IFMT) == S_IFREG) kc::skip("/dev/null here is a regular file");
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFCHR);
    EXPECT_EQ(s.st_rdev, (1u << 8) | 3u);
    EXPECT_EQ(s.st_size, 0);
    statx x = statx_of(fd, STATX_BASIC_STATS);
    EXPECT_EQ(x.stx_rdev_major, 1);
    EXPECT_EQ(x.stx_rdev_minor, 3);
    EXPECT_EQ(x.stx_dev_major, dev_major(s.st_dev));
    EXPECT_EQ(x.stx_dev_minor, dev_minor(s.st_dev));
}

// statx(2): "stx_attributes_mask: a mask indicating which bits in
// stx_attributes are supported": no bit outside it is set. Since Linux 5.8
// every file system supports STATX_ATTR_MOUNT_ROOT (set by the VFS), and a
// file inside the scratch directory is no mount's root.
TEST(statx, attributes_within_mask, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(fs::create("f"));
    statx x = statx_of(fd, STATX_BASIC_STATS);
    EXPECT_EQ(x.stx_attributes & ~x.stx_attributes_mask, 0);
    if (kc::linux_before(5, 8)) return;
    EXPECT_EQ(x.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT, STATX_ATTR_MOUNT_ROOT);
    EXPECT_EQ(x.stx_attributes & STATX_ATTR_MOUNT_ROOT, 0);
}

// statx(2) stx_btime, "the file's creation timestamp": where the file
// system reports it (STATX_BTIME in stx_mask; tmpfs and ext4 do), it lies
// between the clock before the file was made (the coarse clock that file
// timestamps come from) and after, and a later change of mtime (utimensat)
// leaves it alone.
TEST(statx, btime_is_creation_time, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    timespec before, after;
    ASSERT_OK(sys::clock_gettime(CLOCK_REALTIME_COARSE, &before));
    kc::Fd fd(fs::create("f"));
    ASSERT_OK(sys::clock_gettime(CLOCK_REALTIME, &after));
    statx x = statx_of(fd, STATX_BTIME);
    if (!(x.stx_mask & STATX_BTIME)) kc::skip("the scratch file system reports no STATX_BTIME");
    i64 born = x.stx_btime.tv_sec * 1000000000 + x.stx_btime.tv_nsec;
    EXPECT_GE(born, before.tv_sec * 1000000000 + before.tv_nsec);
    EXPECT_LE(born, after.tv_sec * 1000000000 + after.tv_nsec);
    timespec later[2] = {{0, UTIME_OMIT}, {before.tv_sec + 100, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, later, 0));
    statx y = statx_of(fd, STATX_BTIME | STATX_MTIME);
    EXPECT_EQ(y.stx_mtime.tv_sec, before.tv_sec + 100);
    EXPECT_EQ(y.stx_btime.tv_sec, x.stx_btime.tv_sec);
    EXPECT_EQ(y.stx_btime.tv_nsec, x.stx_btime.tv_nsec);
}

// statfs(2) f_namelen ("maximum length of filenames", POSIX statvfs's
// f_namemax): a name of exactly that many bytes can be created in the
// scratch directory, one byte more is ENAMETOOLONG.
TEST(fstatfs, namelen_is_longest_name, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    statfs s{};
    ASSERT_OK(sys::fstatfs(fs::D(), &s));
    static char name[1100];
    if (s.f_namelen < 1 || s.f_namelen >= long(sizeof name) - 1)
        kc::skip("f_namelen is beyond what this test spells out (over 1 KiB)");
    fs::fill(name, usize(s.f_namelen));
    kc::Fd fd(sys::openat(fs::D(), name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600));
    EXPECT_OK(fd.get());
    fs::fill(name, usize(s.f_namelen) + 1);
    EXPECT_ERR(sys::openat(fs::D(), name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600),
               ENAMETOOLONG);
}

namespace {

void tmpfs_counts(void*) {
    const char* m = mounts::point("m");
    ASSERT_RET(sys::mount("none", m, "tmpfs", 0, "size=256k,nr_inodes=8"), 0);
    statfs a{};
    ASSERT_RET(sys::statfs(m, &a), 0);
    EXPECT_EQ(a.f_type, TMPFS_MAGIC);
    ASSERT_GT(a.f_bsize, 0);
    EXPECT_EQ(a.f_frsize, a.f_bsize);
    EXPECT_EQ(a.f_blocks * u64(a.f_bsize), 262144u);
    EXPECT_EQ(a.f_bfree, a.f_blocks);
    EXPECT_EQ(a.f_bavail, a.f_blocks);
    EXPECT_EQ(a.f_files, 8);
    // A security module that labels files (a security.* attribute) takes
    // the labels' size from tmpfs's inode space (Linux 6.6+), so the free
    // inode counts are exact only without one.
    static char names[1024];
    long n = sys::listxattr(m, names, sizeof names);
    bool labelled = false;
    for (long i = 0; i < n; i += long(rt::strlen(names + i)) + 1)
        labelled |= __builtin_memcmp(names + i, "security.", 9) == 0;
    if (!labelled) EXPECT_EQ(a.f_ffree, 7);  // the root directory holds one
    EXPECT_EQ(a.f_namelen, 255);
    // The mount's root is one (STATX_ATTR_MOUNT_ROOT, Linux 5.8+).
    statx x{};
    ASSERT_RET(sys::statx(AT_FDCWD, m, 0, STATX_BASIC_STATS, &x), 0);
    if (!kc::linux_before(5, 8))
        EXPECT_EQ(x.stx_attributes & STATX_ATTR_MOUNT_ROOT, STATX_ATTR_MOUNT_ROOT);
    // A file of one block uses one inode and one block.
    kc::Fd d(sys::openat(AT_FDCWD, m, O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
    ASSERT_OK(d.get());
    kc::Fd f(sys::openat(d, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    ASSERT_OK(f.get());
    static char page[65536];
    ASSERT_LE(a.f_bsize, long(sizeof page));
    EXPECT_RET(sys::write(f, page, usize(a.f_bsize)), a.f_bsize);
    statfs b{};
    ASSERT_RET(sys::fstatfs(f, &b), 0);
    EXPECT_EQ(b.f_blocks, a.f_blocks);
    EXPECT_EQ(b.f_bfree, a.f_blocks - 1);
    EXPECT_EQ(b.f_bavail, a.f_blocks - 1);
    EXPECT_EQ(b.f_files, 8);
    if (!labelled) EXPECT_EQ(b.f_ffree, 6);
    if (labelled) EXPECT_LT(b.f_ffree, a.f_ffree);
    arch::Stat s = fs::fst(f);
    EXPECT_EQ(s.st_blocks * 512, a.f_bsize);  // st_blocks counts 512-byte units
    EXPECT_EQ(s.st_blksize, a.f_bsize);
}

}  // namespace

// statfs(2) on a tmpfs mounted with size=256k,nr_inodes=8 (tmpfs(5)): the
// sizes and counts are those the options set (f_blocks * f_bsize the size,
// f_files the inodes, f_bfree and f_bavail all blocks, f_ffree all inodes
// but the root's; f_frsize equals f_bsize; f_namelen is NAME_MAX, 255), and
// a file with one block of data takes one block and one inode off the free
// counts; its st_blocks is that block in 512-byte units and its st_blksize
// the page size tmpfs uses as f_bsize. In a private mount namespace
// (mount_util.hpp), as the mount tests do. (A kernel with a security module
// that labels files takes xattr space from tmpfs's inode space since 6.6:
// Debian's has none.)
TEST(statfs, tmpfs_counts_follow_use, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::in_private_ns(tmpfs_counts);
}
