// SPDX-License-Identifier: MIT
// fstat(2), newfstatat(2), statx(2), stat/lstat(2), statfs/fstatfs(2): file
// types, sizes, link counts, owners, inode identity, timestamps moving on
// write/truncate/chmod, symlink following and AT_SYMLINK_NOFOLLOW,
// AT_EMPTY_PATH, statx masks and flag checks, file system statistics (and
// fstatfs on the pseudo file systems behind sockets and anonymous inodes).
// The legacy stat(2) and lstat(2) entry points (x86-64) run the path cases
// of newfstatat by absolute path.
// Left out: atime (mount options such as relatime/noatime decide it), btime
// and the newer statx fields (per file system), st_blocks exact values.
#include "rt/sys_event.hpp"
#include "rt/sys_net.hpp"
#include "tests/fs/fs_util.hpp"

namespace {

// Makes one object of each kind: "f" (file, 5 bytes), "d" (directory),
// "link" -> "f", "fifo".
void make_kinds() {
    fs::touch("f", "12345");
    fs::mkdir("d");
    fs::symlink("f", "link");
    ASSERT_OK(sys::mknodat(fs::D(), "fifo", S_IFIFO | 0600, 0));
}

struct KindRow {
    const char* label;
    const char* name;
    u32 type;
};
constexpr KindRow kKinds[] = {
    {"regular", "f", S_IFREG},
    {"directory", "d", S_IFDIR},
    {"symlink", "link", S_IFLNK},
    {"fifo", "fifo", S_IFIFO},
};

long stat_rel(int d, const char* p) {
    arch::Stat s;
    return sys::newfstatat(d, p, &s, 0);
}
// newfstatat (flags 0 or AT_SYMLINK_NOFOLLOW) on scratch entry `name`, or
// stat(2)/lstat(2) by absolute path.
long stat_by(fs::Entry e, const char* name, arch::Stat* s, bool nofollow = false) {
    const char* p = fs::path(e, name);
    if (e == fs::AT) return sys::newfstatat(fs::D(), p, s, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
    return nofollow ? sys::lstat(p, s) : sys::stat(p, s);
}
arch::Stat st_by(fs::Entry e, const char* name, bool nofollow) {
    arch::Stat s{};
    ASSERT_OK(stat_by(e, name, &s, nofollow));
    return s;
}

long statx_rel(int d, const char* p) {
    statx s;
    return sys::statx(d, p, 0, STATX_BASIC_STATS, &s);
}

}  // namespace

// fstat(2): the type in st_mode of a file, directory, symlink (O_PATH) and
// FIFO (O_PATH: no reader needed), and the sizes of a file and a symlink.
TEST_P(fstat, file_types, POSITIVE, PSE52, kKinds, .flags = kc::NEEDS_SCRATCH) {
    make_kinds();
    int fd = fs::open(row.name, O_PATH | O_NOFOLLOW);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_mode & S_IFMT, row.type);
    if (row.type == S_IFREG) EXPECT_EQ(s.st_size, 5);
    if (row.type == S_IFLNK) EXPECT_EQ(s.st_size, 1);  // strlen("f")
    sys::close(fd);
}

// fstat(2): a pipe is a FIFO; its owner is the caller.
TEST(fstat, pipe_is_fifo, POSITIVE, PSE53) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    arch::Stat s = fs::fst(p[0]);
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFIFO);
    EXPECT_EQ(s.st_uid, sys::geteuid());
    sys::close(p[0]);
    sys::close(p[1]);
}

// fstat(2): size, permission bits, link count, owner and group of a new file,
// and a positive preferred block size.
TEST(fstat, regular_file_fields, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", nullptr, 0640);
    char buf[1234] = {};
    ASSERT_RET(sys::write(fd, buf, sizeof buf), 1234);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_size, 1234);
    EXPECT_EQ(s.st_mode, S_IFREG | 0640);
    EXPECT_EQ(s.st_nlink, 1);
    EXPECT_EQ(s.st_uid, sys::geteuid());
    EXPECT_EQ(s.st_gid, sys::getegid());  // the parent is not set-group-ID
    EXPECT_GT(s.st_blksize, 0);
    EXPECT_EQ(s.st_rdev, 0);
    sys::close(fd);
}

// fstat(2): st_dev and st_ino identify the file: two opens of one file agree,
// two files differ.
TEST(fstat, inode_identity, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int a = fs::create("a"), b = fs::create("b"), a2 = fs::open("a", O_RDONLY);
    arch::Stat sa = fs::fst(a), sb = fs::fst(b), sa2 = fs::fst(a2);
    EXPECT_EQ(sa.st_ino, sa2.st_ino);
    EXPECT_EQ(sa.st_dev, sa2.st_dev);
    EXPECT_NE(sa.st_ino, sb.st_ino);
    EXPECT_EQ(sa.st_dev, sb.st_dev);
    sys::close(a);
    sys::close(b);
    sys::close(a2);
}

// fstat(2): the size follows writes past the end (the gap is a hole).
TEST(fstat, size_follows_pwrite, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    ASSERT_RET(sys::pwrite64(fd, "x", 1, 99999), 1);
    EXPECT_EQ(fs::fsize(fd), 100000);
    sys::close(fd);
}

// fstat(2): a file stays alive while open after its last name is removed;
// st_nlink is then 0.
TEST(fstat, unlinked_open_file_nlink_zero, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "alive");
    ASSERT_OK(sys::unlinkat(fs::D(), "f", 0));
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_nlink, 0);
    EXPECT_EQ(s.st_size, 5);
    sys::close(fd);
}

// write(2): "Upon successful completion ... mark for update the last data
// modification and last file status change timestamps".
TEST(fstat, write_moves_mtime_and_ctime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec old[2] = {{1000, 5}, {1000, 5}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timespec before;
    sys::clock_gettime(CLOCK_REALTIME_COARSE, &before);
    ASSERT_RET(sys::write(fd, "x", 1), 1);
    arch::Stat s = fs::fst(fd);
    EXPECT_GE(s.st_mtime_sec, before.tv_sec);
    EXPECT_GE(s.st_ctime_sec, before.tv_sec);
    EXPECT_EQ(s.st_atime_sec, 1000);  // a write does not touch atime
    sys::close(fd);
}

// chmod(2): "mark for update the last file status change timestamp"; the
// data modification time stays.
TEST(fstat, chmod_moves_ctime_not_mtime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec old[2] = {{1000, 0}, {2000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    u32 mode = 0600;
    EXPECT_TRUE(fs::ctime_moves(fd, [&] { return sys::fchmod(fd, mode ^= 0040); }));
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 2000);
    sys::close(fd);
}

// fstat(2) EBADF: not an open descriptor.
TEST(fstat, bad_fd_ebadf, NEGATIVE, PSE52) {
    arch::Stat s;
    EXPECT_ERR(sys::fstat(-1, &s), EBADF);
    EXPECT_ERR(sys::fstat(777, &s), EBADF);
}

// fstat(2) EFAULT (Linux): the buffer pointer is unmapped.
TEST(fstat, unmapped_buffer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    EXPECT_ERR(sys::fstat(fd, reinterpret_cast<arch::Stat*>(8)), EFAULT);
    sys::close(fd);
}

// stat(2): the lookup errors of path resolution.
TEST_P(newfstatat, bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, stat_rel);
}

// stat(2) without AT_SYMLINK_NOFOLLOW reports the target of a symlink;
// lstat (AT_SYMLINK_NOFOLLOW) reports the link itself, size = target length.
TEST_ENTRIES(newfstatat, lstat, symlink_follow_and_nofollow, POSITIVE, PSE54,
             .flags = kc::NEEDS_SCRATCH) {
    make_kinds();
    arch::Stat t = st_by(entry, "link", false), l = st_by(entry, "link", true);
    EXPECT_EQ(t.st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(t.st_ino, fs::st("f").st_ino);
    EXPECT_EQ(t.st_size, 5);
    EXPECT_EQ(l.st_mode & S_IFMT, S_IFLNK);
    EXPECT_NE(l.st_ino, t.st_ino);
    EXPECT_EQ(l.st_size, 1);
}

// stat(2): a dangling symlink fails with ENOENT when followed, and is seen
// with AT_SYMLINK_NOFOLLOW.
TEST_ENTRIES(newfstatat, lstat, dangling_symlink, BOUNDARY, PSE54, .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("nowhere", "link");
    arch::Stat s;
    EXPECT_ERR(stat_by(entry, "link", &s), ENOENT);
    EXPECT_RET(stat_by(entry, "link", &s, true), 0);
    EXPECT_EQ(s.st_size, 7);
}

// XBD 4.13: a trailing slash forces a symlink to be followed, even with
// AT_SYMLINK_NOFOLLOW; the result must be a directory.
TEST_ENTRIES(newfstatat, lstat, trailing_slash_follows_symlink, BOUNDARY, PSE54,
             .flags = kc::NEEDS_SCRATCH) {
    make_kinds();
    fs::symlink("d", "dl");
    arch::Stat s = st_by(entry, "dl/", true);
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFDIR);
    EXPECT_EQ(s.st_ino, fs::st("d").st_ino);
}

// newfstatat(2) AT_EMPTY_PATH: an empty path means dirfd itself, of any
// type (here a file and an O_PATH symlink); AT_FDCWD means the cwd.
TEST(newfstatat, empty_path_stats_dirfd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    make_kinds();
    int f = fs::open("f", O_RDONLY), l = fs::open("link", O_PATH | O_NOFOLLOW);
    arch::Stat s = fs::st("", AT_EMPTY_PATH, f);
    EXPECT_EQ(s.st_ino, fs::st("f").st_ino);
    s = fs::st("", AT_EMPTY_PATH, l);
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFLNK);
    s = fs::st("", AT_EMPTY_PATH, AT_FDCWD);
    EXPECT_EQ(s.st_ino, fs::st(".", 0, AT_FDCWD).st_ino);
    sys::close(f);
    sys::close(l);
}

// newfstatat(2) EINVAL: flag bits other than AT_SYMLINK_NOFOLLOW,
// AT_NO_AUTOMOUNT, AT_EMPTY_PATH and the AT_STATX_* sync bits.
TEST_P(newfstatat, bad_flags_einval, NEGATIVE, LINUX, fs::kBadAtFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    arch::Stat s;
    EXPECT_ERR(sys::newfstatat(fs::D(), "f", &s, row.flags), EINVAL);
}

// stat(2) EACCES: search permission on a directory of the prefix
// (CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE passes; a child without
// capabilities is refused); the target's own permissions do not matter.
TEST_ENTRIES(newfstatat, stat, no_search_permission_eacces, NEGATIVE, PSE53,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::touch("d/f", nullptr, 0);
    arch::Stat s;
    EXPECT_RET(stat_by(entry, "d/f", &s), 0);  // mode 0 file: fine
    ASSERT_OK(sys::fchmodat(fs::D(), "d", 0600));
    EXPECT_READ_DENIED(stat_by(entry, "d/f", &s), EACCES);
    fs::as_unprivileged(
        [](void* e) {
            arch::Stat t;
            EXPECT_ERR(stat_by(*static_cast<fs::Entry*>(e), "d/f", &t), EACCES);
        },
        &entry);
}

// Linux: an unmapped path or buffer pointer fails with EFAULT (with and
// without following symlinks).
TEST_ENTRIES(newfstatat, lstat, unmapped_pointers_efault, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    arch::Stat s;
    const char* bad_path = reinterpret_cast<const char*>(8);
    auto* bad_buf = reinterpret_cast<arch::Stat*>(8);
    for (int i = 0; i < 2; ++i) {
        bool nofollow = i;
        if (entry == fs::AT) {
            int flags = nofollow ? AT_SYMLINK_NOFOLLOW : 0;
            EXPECT_ERR(sys::newfstatat(fs::D(), bad_path, &s, flags), EFAULT);
        } else {
            EXPECT_ERR(nofollow ? sys::lstat(bad_path, &s) : sys::stat(bad_path, &s), EFAULT);
        }
        EXPECT_ERR(stat_by(entry, "f", bad_buf, nofollow), EFAULT);
    }
}

// stat(2), legacy call: a symlink is followed.
TEST(stat, follows_symlink, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(stat);
    make_kinds();
    arch::Stat s;
    ASSERT_OK(sys::stat(kc::scratch_path("link"), &s));
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(s.st_size, 5);
}

// lstat(2), legacy call: a symlink is reported itself.
TEST(lstat, does_not_follow_symlink, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lstat);
    make_kinds();
    arch::Stat s;
    ASSERT_OK(sys::lstat(kc::scratch_path("link"), &s));
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFLNK);
}
// stat(2), legacy call: the lookup errors of path resolution.
TEST_P(stat, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(stat);
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            arch::Stat s;
            return sys::stat(p, &s);
        },
        true);
}

// lstat(2), legacy call: the lookup errors of path resolution (a symlink
// in the prefix is still followed).
TEST_P(lstat, bad_path, NEGATIVE, PSE54, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lstat);
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            arch::Stat s;
            return sys::lstat(p, &s);
        },
        true);
}

// statx(2): the basic fields agree with fstat, and stx_mask reports them.
TEST(statx, basic_fields_match_fstat, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "0123456789", 0751);
    timespec t[2] = {{1111, 222}, {3333, 444}};
    ASSERT_OK(sys::utimensat(fd, nullptr, t, 0));
    statx x{};
    ASSERT_OK(sys::statx(fs::D(), "f", 0, STATX_BASIC_STATS, &x));
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(x.stx_mask & STATX_BASIC_STATS, STATX_BASIC_STATS);
    EXPECT_EQ(x.stx_mode, S_IFREG | 0751);
    EXPECT_EQ(x.stx_size, 10);
    EXPECT_EQ(x.stx_ino, s.st_ino);
    EXPECT_EQ(x.stx_nlink, 1);
    EXPECT_EQ(x.stx_uid, s.st_uid);
    EXPECT_EQ(x.stx_gid, s.st_gid);
    EXPECT_EQ(x.stx_blocks, s.st_blocks);
    EXPECT_EQ(x.stx_blksize, s.st_blksize);
    EXPECT_EQ(x.stx_mtime.tv_sec, 3333);
    EXPECT_EQ(x.stx_mtime.tv_nsec, s.st_mtime_nsec);
    EXPECT_EQ(x.stx_atime.tv_sec, 1111);
    EXPECT_EQ(x.stx_ctime.tv_sec, s.st_ctime_sec);
    sys::close(fd);
}

// statx(2): the file type of each kind, with AT_SYMLINK_NOFOLLOW for the link.
TEST_P(statx, file_types, POSITIVE, LINUX, kKinds, .flags = kc::NEEDS_SCRATCH) {
    make_kinds();
    statx x{};
    ASSERT_OK(sys::statx(fs::D(), row.name, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &x));
    EXPECT_EQ(x.stx_mode & S_IFMT, row.type);
    EXPECT_TRUE(x.stx_mask & STATX_TYPE);
}

// statx(2) AT_EMPTY_PATH: an empty path means dirfd itself.
TEST(statx, empty_path_stats_dirfd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "abc");
    statx x{};
    EXPECT_OK(sys::statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &x));
    EXPECT_EQ(x.stx_size, 3);
    sys::close(fd);
}

// statx(2) AT_EMPTY_PATH with a NULL path: since Linux 6.11 the same as an
// empty path (earlier kernels: EFAULT).
TEST(statx, null_path_with_empty_path_flag, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "abc");
    statx x{};
    long r = sys::statx(fd, nullptr, AT_EMPTY_PATH, STATX_SIZE, &x);
    if (kc::linux_before(6, 11)) {
        EXPECT_ERR(r, EFAULT);
    } else {
        EXPECT_OK(r);
        EXPECT_EQ(x.stx_size, 3);
    }
    sys::close(fd);
}

// statx(2): mask 0 and a mask of bits the kernel does not know are accepted
// (the kernel returns what it can; unknown bits are never reported back).
struct MaskRow {
    const char* label;
    u32 mask;
};
constexpr MaskRow kMasks[] = {{"mask_0", 0}, {"mask_all_but_reserved", 0x7fffffffu}};
TEST_P(statx, unusual_masks_ok, BOUNDARY, LINUX, kMasks, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "abc");
    statx x{};
    ASSERT_OK(sys::statx(fs::D(), "f", 0, row.mask, &x));
    EXPECT_EQ(x.stx_mask & 0x40000000u, 0);
    EXPECT_EQ(x.stx_size, 3);  // basic fields are filled whatever the mask
}

// statx(2) EINVAL: STATX__RESERVED in the mask, unknown flags, or both
// AT_STATX_FORCE_SYNC and AT_STATX_DONT_SYNC.
struct StatxBad {
    const char* label;
    int flags;
    u32 mask;
};
constexpr StatxBad kStatxBad[] = {
    {"mask_reserved_bit", 0, STATX__RESERVED},
    {"flag_bit_0", 1, STATX_BASIC_STATS},
    {"flag_at_removedir", AT_REMOVEDIR, STATX_BASIC_STATS},
    {"force_and_dont_sync", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS},
    {"flag_bit_31", int(0x80000000u), STATX_BASIC_STATS},
};
TEST_P(statx, bad_arguments_einval, NEGATIVE, LINUX, kStatxBad, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    statx x;
    EXPECT_ERR(sys::statx(fs::D(), "f", row.flags, row.mask, &x), EINVAL);
}

// statx(2): the lookup errors of path resolution.
TEST_P(statx, bad_path, NEGATIVE, LINUX, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, statx_rel);
}

// statx(2) EFAULT: an unmapped buffer.
TEST(statx, unmapped_buffer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::statx(fs::D(), "f", 0, STATX_BASIC_STATS, reinterpret_cast<statx*>(8)), EFAULT);
}

// statfs(2)/fstatfs(2): sensible numbers (block size, counts that nest,
// name length) that agree between a path and a descriptor on the same file
// system.
TEST(statfs, sane_and_matches_fstatfs, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    statfs a{}, b{};
    ASSERT_OK(sys::statfs(kc::scratch_path("f"), &a));
    ASSERT_OK(sys::fstatfs(fd, &b));
    EXPECT_GT(a.f_bsize, 0);
    EXPECT_GT(a.f_frsize, 0);
    EXPECT_GT(a.f_namelen, 0);
    EXPECT_TRUE(a.f_bfree <= a.f_blocks && a.f_bavail <= a.f_blocks);
    EXPECT_TRUE(a.f_ffree <= a.f_files);
    EXPECT_EQ(a.f_type, b.f_type);
    EXPECT_EQ(a.f_bsize, b.f_bsize);
    EXPECT_EQ(a.f_blocks, b.f_blocks);
    EXPECT_EQ(a.f_fsid[0], b.f_fsid[0]);
    EXPECT_EQ(a.f_fsid[1], b.f_fsid[1]);
    sys::close(fd);
}

// statfs(2): a file and its directory are on the same file system.
TEST(statfs, same_for_file_and_directory, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    static char path[600];
    const char* p = kc::scratch_path("f");
    usize n = rt::strlen(p);
    for (usize i = 0; i <= n; ++i) path[i] = p[i];
    statfs a{}, b{};
    ASSERT_OK(sys::statfs(path, &a));
    ASSERT_OK(sys::statfs(kc::scratch_path(""), &b));
    EXPECT_EQ(a.f_type, b.f_type);
    EXPECT_EQ(a.f_fsid[0], b.f_fsid[0]);
    EXPECT_EQ(a.f_blocks, b.f_blocks);
}

// statfs(2): the lookup errors of path resolution.
TEST_P(statfs, bad_path, NEGATIVE, LINUX, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            statfs s;
            return sys::statfs(p, &s);
        },
        true);
}

// fstatfs(2) EBADF, and EFAULT for an unmapped buffer.
TEST(fstatfs, bad_arguments, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    statfs s;
    EXPECT_ERR(sys::fstatfs(-1, &s), EBADF);
    EXPECT_ERR(sys::fstatfs(777, &s), EBADF);
    EXPECT_ERR(sys::fstatfs(fs::D(), reinterpret_cast<statfs*>(8)), EFAULT);
}

// fstatfs(2): works on an O_PATH descriptor (Linux) and on a pipe's pipefs.
TEST(fstatfs, path_fd_and_pipe, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::open(".", O_PATH);
    statfs s{}, t{};
    EXPECT_RET(sys::fstatfs(fd, &s), 0);
    EXPECT_RET(sys::fstatfs(fs::D(), &t), 0);
    EXPECT_EQ(s.f_type, t.f_type);
    sys::close(fd);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_RET(sys::fstatfs(p[0], &s), 0);
    EXPECT_EQ(s.f_type, 0x50495045);  // PIPEFS_MAGIC
    sys::close(p[0]);
    sys::close(p[1]);
}

// statfs(2): the counts nest (free <= total, available <= free, free inodes
// <= inodes), sizes and the name length are positive, and f_flags has
// ST_VALID (0x20: Linux 2.6.36+ fills f_flags) on the scratch directory.
TEST(fstatfs, counts_nest_and_flags_valid, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    statfs s{};
    ASSERT_RET(sys::fstatfs(fs::D(), &s), 0);
    EXPECT_GT(s.f_bsize, 0);
    EXPECT_GT(s.f_frsize, 0);
    EXPECT_GT(s.f_namelen, 0);
    EXPECT_LE(s.f_bfree, s.f_blocks);
    EXPECT_LE(s.f_bavail, s.f_bfree);
    EXPECT_LE(s.f_ffree, s.f_files);
    EXPECT_TRUE(s.f_flags & 0x20);  // ST_VALID
}

// statfs(2): every descriptor of one file system gives the same answer,
// whatever its open mode (a write-only file, a directory, an O_PATH file).
TEST(fstatfs, same_for_every_fd_on_file_system, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    int fds[3] = {fs::open("f", O_WRONLY), fs::D(), fs::open("f", O_PATH)};
    statfs a{}, b{};
    ASSERT_RET(sys::fstatfs(fds[1], &a), 0);
    for (int fd : fds) {
        EXPECT_RET(sys::fstatfs(fd, &b), 0);
        EXPECT_EQ(b.f_type, a.f_type);
        EXPECT_EQ(b.f_fsid[0], a.f_fsid[0]);
        EXPECT_EQ(b.f_fsid[1], a.f_fsid[1]);
        EXPECT_EQ(b.f_blocks, a.f_blocks);
    }
    sys::close(fds[0]);
    sys::close(fds[2]);
}

// fstatfs(2) on descriptors that live on kernel-internal file systems: a
// socket on sockfs, an eventfd on the anonymous-inode file system.
struct PseudoRow {
    const char* label;
    int kind;  // 0 socket, 1 eventfd
    long magic;
};
constexpr PseudoRow kPseudo[] = {
    {"socket_sockfs", 0, 0x534F434B},       // SOCKFS_MAGIC
    {"eventfd_anon_inode", 1, 0x09041934},  // ANON_INODE_FS_MAGIC
};
TEST_P(fstatfs, pseudo_file_systems, POSITIVE, LINUX, kPseudo) {
    long fd = row.kind == 0 ? sys::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)
                            : sys::eventfd2(0, EFD_CLOEXEC);
    ASSERT_OK(fd);
    kc::Fd guard(fd);
    statfs s{};
    EXPECT_RET(sys::fstatfs(int(fd), &s), 0);
    EXPECT_EQ(s.f_type, row.magic);
}
