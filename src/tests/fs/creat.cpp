// SPDX-License-Identifier: MIT
// creat(2), the legacy x86-64 entry point (open with O_CREAT|O_WRONLY|
// O_TRUNC): the creation cases of openat run through it by absolute path:
// a new file's mode under the umask, an existing file truncated with its
// mode kept, a read-only mode on a new file still giving a writable fd,
// creation through a dangling symlink, and the errors (bad paths, EISDIR for
// a trailing slash, ELOOP, EACCES without write permission, EFAULT).
// Left out: what open.cpp covers for creat (write-only access, EISDIR on a
// directory); EROFS, ETXTBSY (need a read-only mount or a running binary).
#include "tests/fs/fs_util.hpp"

namespace {

long creat_at(const char* name, u32 mode) { return sys::creat(kc::scratch_path(name), int(mode)); }

}  // namespace

// open(2) O_CREAT: the new file's permission bits are mode & ~umask; it is
// empty and owned by the euid.
struct ModeRow {
    const char* label;
    u32 mode;
};
constexpr ModeRow kModes[] = {{"mode_0644", 0644}, {"mode_0777", 0777}, {"mode_0000", 0}};
TEST_P(creat, new_file_mode_masked_by_umask, POSITIVE, PSE52, kModes, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    u32 mask = fs::umask_now();
    long fd = creat_at("f", row.mode);
    ASSERT_OK(fd);
    kc::Fd guard(fd);
    arch::Stat s = fs::fst(int(fd));
    EXPECT_EQ(s.st_mode, S_IFREG | (row.mode & ~mask));
    EXPECT_EQ(s.st_size, 0);
    EXPECT_EQ(s.st_uid, sys::geteuid());
}

// open(2) O_TRUNC on an existing file: the data goes, the mode (not the one
// given) and the inode stay.
TEST(creat, existing_file_truncated_mode_kept, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::touch("f", "old data", 0640);
    u64 ino = fs::st("f").st_ino;
    long fd = creat_at("f", 0600);
    ASSERT_OK(fd);
    kc::Fd guard(fd);
    EXPECT_EQ(fs::fsize(int(fd)), 0);
    EXPECT_EQ(fs::st("f").st_mode, S_IFREG | 0640);
    EXPECT_EQ(fs::st("f").st_ino, ino);
}

// open(2): the mode applies to later opens only; the creating descriptor is
// writable even when mode grants no write permission.
TEST(creat, readonly_mode_still_writable, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    long fd = creat_at("f", 0444);
    ASSERT_OK(fd);
    kc::Fd guard(fd);
    EXPECT_RET(sys::write(int(fd), "abc", 3), 3);
    EXPECT_EQ(fs::st("f").st_size, 3);
}

// open(2) O_CREAT without O_EXCL follows a dangling symlink and creates its
// target.
TEST(creat, through_dangling_symlink, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::symlink("target", "link");
    long fd = creat_at("link", 0600);
    ASSERT_OK(fd);
    sys::close(int(fd));
    EXPECT_EQ(fs::st("target").st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(fs::st("link").st_mode & S_IFMT, S_IFLNK);
}

// open(2): the lookup errors of the new name's directory prefix.
TEST_P(creat, bad_path, NEGATIVE, PSE52, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            long fd = sys::creat(p, 0600);
            if (fd >= 0) sys::close(int(fd));
            return fd;
        },
        true);
}

// Linux open(2) EISDIR: O_CREAT with a trailing slash on a missing name
// (the name would have to be a directory); nothing is created.
TEST(creat, trailing_slash_eisdir, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    EXPECT_ERR(creat_at("new/", 0600), EISDIR);
    EXPECT_EQ(fs::exists("new"), false);
}

// open(2) ELOOP: the last component is a symlink loop.
TEST(creat, symlink_loop_eloop, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::symlink("loop", "loop");
    EXPECT_ERR(creat_at("loop", 0600), ELOOP);
}

// open(2) EACCES: an existing file without write permission, or a new name
// in a directory without it (a child without capabilities; the file and the
// directory stay as they were).
TEST(creat, permission_denied_eacces, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    REQUIRE_NR(creat);
    fs::touch("f", "keep", 0444);
    fs::mkdir("ro", 0555);
    fs::as_unprivileged(
        [](void*) {
            EXPECT_ERR(creat_at("f", 0600), EACCES);
            EXPECT_ERR(creat_at("ro/new", 0600), EACCES);
        },
        nullptr);
    EXPECT_EQ(fs::st("f").st_size, 4);
    EXPECT_EQ(fs::exists("ro/new"), false);
}

// Linux: an unmapped path pointer is EFAULT.
TEST(creat, path_pointer_unmapped_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(creat);
    EXPECT_ERR(sys::creat(reinterpret_cast<const char*>(8), 0600), EFAULT);
}
