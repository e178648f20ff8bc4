// SPDX-License-Identifier: MIT
// fchmod(2), fchmodat(2), fchmodat2(2), chmod(2): permission bits round trip
// (including set-user-ID, set-group-ID and sticky), file type bits kept,
// symlinks followed, AT_SYMLINK_NOFOLLOW refused on symlinks, EPERM for a
// non-owner and the silent S_ISGID drop for a non-member (children that
// become another user). The legacy chmod(2) entry point (x86-64) runs the
// same path cases as fchmodat.
// Left out: EROFS (needs a read-only mount), ACL interaction.
#include "tests/fs/fs_util.hpp"

namespace {

long chmod_rel(int d, const char* p) { return sys::fchmodat(d, p, 0600); }
// fchmodat relative to the scratch directory, or chmod(2) by absolute path.
long chmod_by(fs::Entry e, const char* name, u32 mode) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::fchmodat(fs::D(), p, mode) : sys::chmod(p, mode);
}

// fchmodat2 arrived in Linux 6.6: skip where the kernel lacks it.
void require_fchmodat2() {
    if (sys::fchmodat2(-1, "", 0, 0x8000) == -ENOSYS)
        kc::skip_unimplemented("fchmodat2",
                               "fchmodat2 is not implemented (ENOSYS; Linux has it since 6.6)");
}

}  // namespace

// chmod(2): all 12 permission bits are stored as given (the owner may set
// S_ISUID, S_ISGID when the file's group is its egid, and S_ISVTX).
struct ModeRow {
    const char* label;
    u32 mode;
    u32 want;
};
constexpr ModeRow kModes[] = {
    {"mode_0000", 0, 0},
    {"mode_0001", 01, 01},
    {"mode_0600", 0600, 0600},
    {"mode_0644", 0644, 0644},
    {"mode_0777", 0777, 0777},
    {"mode_4755_setuid", 04755, 04755},
    {"mode_2755_setgid", 02755, 02755},
    {"mode_1777_sticky", 01777, 01777},
    {"mode_7777", 07777, 07777},
};
TEST_P(fchmod, mode_round_trip, POSITIVE, PSE54, kModes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    EXPECT_RET(sys::fchmod(fd, row.mode), 0);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_mode & 07777, row.want);
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFREG);
    sys::close(fd);
}

// Linux keeps only the 12 permission bits of mode: file type bits and
// higher bits are ignored, the file stays a regular file.
constexpr ModeRow kOddModes[] = {
    {"type_dir_bits", S_IFDIR | 0640, 0640},
    {"type_all_bits", S_IFMT | 0600, 0600},
    {"above_16_bits", 0x10000u | 0604, 0604},
};
TEST_P(fchmod, extra_bits_ignored, BOUNDARY, LINUX, kOddModes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    EXPECT_RET(sys::fchmod(fd, row.mode), 0);
    EXPECT_EQ(fs::fst(fd).st_mode, S_IFREG | row.want);
    sys::close(fd);
}

// fchmod(2) EBADF: not an open descriptor.
TEST(fchmod, bad_fd_ebadf, NEGATIVE, PSE54) {
    EXPECT_ERR(sys::fchmod(-1, 0600), EBADF);
    EXPECT_ERR(sys::fchmod(777, 0600), EBADF);
}

// chmod(2): "mark for update the last file status change timestamp".
TEST(fchmod, moves_ctime, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    u32 mode = 0600;
    EXPECT_TRUE(fs::ctime_moves(fd, [&] { return sys::fchmod(fd, mode ^= 04); }));
    sys::close(fd);
}

// fchmod(2) works on a directory opened read-only (the mode is not an I/O
// permission).
TEST(fchmod, directory_read_only_fd, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    EXPECT_RET(sys::fchmod(fd, 01750), 0);
    EXPECT_EQ(fs::st("d").st_mode, S_IFDIR | 01750);
    sys::close(fd);
}

namespace {
void chmod_as_other_user(void* arg) {
    int fd = *static_cast<int*>(arg);
    ASSERT_TRUE(kc::become_other_user());
    EXPECT_ERR(sys::fchmod(fd, 0777), EPERM);
}
void setgid_as_nonmember(void* arg) {
    int fd = *static_cast<int*>(arg);
    ASSERT_TRUE(kc::become_other_user());
    EXPECT_RET(sys::fchmod(fd, 02755), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 0755);
}
}  // namespace

// chmod(2) EPERM: the caller is neither the owner nor privileged (a child
// that became another user, without capabilities, on the parent's file).
TEST(fchmod, not_owner_eperm, NEGATIVE, PSE54, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    int fd = fs::create("f", nullptr, 0644);
    EXPECT_CHILD_OK(kc::spawn(chmod_as_other_user, &fd));
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 0644);
    sys::close(fd);
}

// chmod(2): "if the group ID of the file does not match the effective group
// ID or one of the supplementary group IDs ... S_ISGID shall be cleared"
// (the owner: a child that became another user without CAP_FSETID; the
// file's group: the parent's, which that user is not in).
TEST(fchmod, setgid_dropped_for_nonmember, BOUNDARY, PSE54,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    kc::require_ns_cap(CAP_CHOWN);
    int fd = fs::create("f", nullptr, 0644);
    ASSERT_OK(sys::fchown(fd, kc::other_uid(), ~0u));
    EXPECT_CHILD_OK(kc::spawn(setgid_as_nonmember, &fd));
    sys::close(fd);
}

// chmod(2): a symlink is followed; the target changes, the link does not.
TEST_ENTRIES(fchmodat, chmod, follows_symlink, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", nullptr, 0644);
    fs::symlink("f", "link");
    u32 link_mode = fs::st("link").st_mode;
    EXPECT_RET(chmod_by(entry, "link", 0604), 0);
    EXPECT_EQ(fs::st("f").st_mode & 07777, 0604);
    EXPECT_EQ(fs::st("link").st_mode, link_mode);
}

// fchmodat(2): the modes of a directory round trip by name.
constexpr ModeRow kDirModes[] = {{"mode_0700", 0700, 0700},
                                 {"mode_1777", 01777, 01777},
                                 {"mode_2750", 02750, 02750},
                                 {"mode_0000", 0, 0}};
TEST_P_ENTRIES(fchmodat, chmod, directory_mode_round_trip, POSITIVE, PSE54, kDirModes,
               .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    EXPECT_RET(chmod_by(entry, "d", row.mode), 0);
    EXPECT_EQ(fs::st("d").st_mode, S_IFDIR | row.want);
}

// chmod(2): the lookup errors of path resolution.
TEST_P(fchmodat, bad_path, NEGATIVE, PSE54, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, chmod_rel);
}

// chmod(2), legacy call: the lookup errors of path resolution.
TEST_P(chmod, bad_path, NEGATIVE, PSE54, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(chmod);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::chmod(p, 0600); }, true);
}

// fchmodat2(2): the lookup errors of path resolution, as fchmodat.
TEST_P(fchmodat2, bad_path, NEGATIVE, LINUX, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    require_fchmodat2();
    fs::check_bad_path(row, [](int d, const char* p) { return sys::fchmodat2(d, p, 0600, 0); });
}

// fchmodat(2) AT_SYMLINK_NOFOLLOW through fchmodat2: Linux cannot change a
// symlink's mode and says EOPNOTSUPP; the link and its target are unchanged.
TEST(fchmodat2, nofollow_on_symlink_eopnotsupp, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_fchmodat2();
    fs::touch("f", nullptr, 0644);
    fs::symlink("f", "link");
    EXPECT_ERR(sys::fchmodat2(fs::D(), "link", 0600, AT_SYMLINK_NOFOLLOW), EOPNOTSUPP);
    EXPECT_EQ(fs::st("f").st_mode & 07777, 0644);
}

// fchmodat2(2): AT_SYMLINK_NOFOLLOW on a non-symlink changes it; without the
// flag a symlink is followed; AT_EMPTY_PATH changes dirfd's file.
TEST(fchmodat2, flags_on_non_symlinks, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_fchmodat2();
    int fd = fs::create("f", nullptr, 0644);
    fs::symlink("f", "link");
    EXPECT_RET(sys::fchmodat2(fs::D(), "f", 0600, AT_SYMLINK_NOFOLLOW), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 0600);
    EXPECT_RET(sys::fchmodat2(fs::D(), "link", 0640, 0), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 0640);
    EXPECT_RET(sys::fchmodat2(fd, "", 0444, AT_EMPTY_PATH), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 0444);
    sys::close(fd);
}

// fchmodat2(2) EINVAL: flags other than AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
TEST_P(fchmodat2, bad_flags_einval, NEGATIVE, LINUX, fs::kBadAtFlags, .flags = kc::NEEDS_SCRATCH) {
    require_fchmodat2();
    fs::touch("f", nullptr, 0644);
    EXPECT_ERR(sys::fchmodat2(fs::D(), "f", 0600, row.flags), EINVAL);
    EXPECT_EQ(fs::st("f").st_mode & 07777, 0644);
}

// chmod(2), legacy call: changes the mode by absolute path; ENOENT.
TEST(chmod, changes_by_path, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(chmod);
    fs::touch("f");
    EXPECT_RET(sys::chmod(kc::scratch_path("f"), 0712), 0);
    EXPECT_EQ(fs::st("f").st_mode & 07777, 0712);
    EXPECT_ERR(sys::chmod(kc::scratch_path("missing"), 0600), ENOENT);
}
