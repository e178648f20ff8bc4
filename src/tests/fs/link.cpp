// SPDX-License-Identifier: MIT
// linkat(2), link(2): hard links share the inode and data, st_nlink counts
// up and down, ctime moves, symlinks linked or followed (AT_SYMLINK_FOLLOW),
// AT_EMPTY_PATH (own open files; others' need CAP_DAC_READ_SEARCH), EPERM
// for directories, EEXIST, permissions, flag checks. The legacy link(2)
// entry point (x86-64) runs the same cases by absolute paths.
// Left out: EXDEV (needs two mounts), EMLINK (needs 65,000 links on ext4),
// fs.protected_hardlinks refusals (a sysctl setting of the host).
#include "tests/fs/fs_util.hpp"

namespace {

long link_old(int d, const char* p) { return sys::linkat(d, p, fs::D(), "new", 0); }
long link_new(int d, const char* p) { return sys::linkat(fs::D(), "src", d, p, 0); }
// linkat (flags 0) between scratch names, or link(2) by absolute paths.
long link_by(fs::Entry e, const char* from, const char* to) {
    const char *a = fs::path(e, from), *b = fs::path(e, to);
    return e == fs::AT ? sys::linkat(fs::D(), a, fs::D(), b, 0) : sys::link(a, b);
}

}  // namespace

// link(2): the new name refers to the same file: same inode, shared data,
// and "the link count of the file shall be incremented by one".
TEST_ENTRIES(linkat, link, shares_inode_and_data, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("a", "one");
    EXPECT_RET(link_by(entry, "a", "b"), 0);
    EXPECT_EQ(fs::st("b").st_ino, fs::st("a").st_ino);
    EXPECT_EQ(fs::fst(fd).st_nlink, 2);
    ASSERT_RET(sys::pwrite64(fd, "two", 3, 0), 3);
    char buf[4];
    EXPECT_RET(fs::slurp("b", buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "two", 3);
    sys::close(fd);
}

// link(2)/unlink(2): st_nlink goes up with each link and down with each
// unlink; the file survives while a name is left.
TEST_ENTRIES(linkat, link, nlink_counts_up_and_down, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("a", "data");
    fs::mkdir("d");
    ASSERT_OK(link_by(entry, "a", "b"));
    ASSERT_OK(link_by(entry, "b", "d/c"));
    EXPECT_EQ(fs::fst(fd).st_nlink, 3);
    ASSERT_OK(sys::unlinkat(fs::D(), "a", 0));
    EXPECT_EQ(fs::fst(fd).st_nlink, 2);
    ASSERT_OK(sys::unlinkat(fs::D(), "b", 0));
    EXPECT_EQ(fs::st("d/c").st_nlink, 1);
    EXPECT_EQ(fs::st("d/c").st_size, 4);
    ASSERT_OK(sys::unlinkat(fs::D(), "d/c", 0));
    EXPECT_EQ(fs::fst(fd).st_nlink, 0);
    sys::close(fd);
}

// link(2): "shall mark for update the last file status change timestamp of
// the file".
TEST_ENTRIES(linkat, link, moves_ctime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("a");
    int n = 0;
    EXPECT_TRUE(fs::ctime_moves(fd, [&] {
        char name[12];
        rt::Fmt(name, sizeof name).s("l").d(n++).cstr();
        return link_by(entry, "a", name);
    }));
    sys::close(fd);
}

// linkat(2): without AT_SYMLINK_FOLLOW a symlink is linked itself (a
// second symlink); with it, the link is to the target.
TEST_ENTRIES(linkat, link, symlink_follow_flag, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "sl");
    EXPECT_RET(link_by(entry, "sl", "plain"), 0);
    EXPECT_EQ(fs::st("plain").st_mode & S_IFMT, S_IFLNK);
    EXPECT_EQ(fs::st("plain").st_ino, fs::st("sl").st_ino);
    if (entry == fs::LEGACY) return;  // link(2) has no flags
    EXPECT_RET(sys::linkat(fs::D(), "sl", fs::D(), "followed", AT_SYMLINK_FOLLOW), 0);
    EXPECT_EQ(fs::st("followed").st_ino, fs::st("f").st_ino);
    EXPECT_EQ(fs::st("f").st_nlink, 2);
}

// link(2) EPERM: hard links to directories are not allowed (Linux never
// allows them, even for root).
TEST_ENTRIES(linkat, link, directory_eperm, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    EXPECT_ERR(link_by(entry, "d", "dl"), EPERM);
    EXPECT_EQ(fs::exists("dl"), false);
}

// link(2) EEXIST: the new name exists (a dangling symlink counts; it is not
// followed); nothing changes.
struct ExistRow {
    const char* label;
    int kind;  // 0 file, 1 directory, 2 dangling symlink, 3 the same file
};
constexpr ExistRow kExisting[] = {
    {"file", 0}, {"directory", 1}, {"dangling_symlink", 2}, {"link_to_itself", 3}};
TEST_P_ENTRIES(linkat, link, existing_name_eexist, NEGATIVE, PSE52, kExisting,
               .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a");
    const char* to = row.kind == 3 ? "a" : "x";
    if (row.kind == 0) fs::touch("x");
    if (row.kind == 1) fs::mkdir("x");
    if (row.kind == 2) fs::symlink("nowhere", "x");
    EXPECT_ERR(link_by(entry, "a", to), EEXIST);
    EXPECT_EQ(fs::st("a").st_nlink, 1);
    EXPECT_EQ(fs::exists("nowhere"), false);
}

// linkat(2) AT_EMPTY_PATH links the file open as olddirfd. The man page
// requires CAP_DAC_READ_SEARCH; since Linux 6.10 a file opened with the
// caller's own credentials may be linked without it (checked per euid).
TEST(linkat, empty_path_own_open_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("a", "abc");
    EXPECT_RET(sys::linkat(fd, "", fs::D(), "b", AT_EMPTY_PATH), 0);
    EXPECT_EQ(fs::st("b").st_ino, fs::fst(fd).st_ino);
    EXPECT_ERR(sys::linkat(fd, "", fs::D(), "c", 0), ENOENT);  // "" needs the flag
    sys::close(fd);
}

namespace {
void link_foreign_fd_as_other_user(void* arg) {
    const int* fds = static_cast<int*>(arg);  // [0]: the parent's file, [1]: a 0777 dir
    ASSERT_TRUE(kc::become_other_user());
    EXPECT_ERR(sys::linkat(fds[0], "", fds[1], "b", AT_EMPTY_PATH), ENOENT);
    EXPECT_ERR(sys::linkat(fds[1], "", fds[1], "c", AT_EMPTY_PATH), ENOENT);
}
}  // namespace

// linkat(2) AT_EMPTY_PATH without CAP_DAC_READ_SEARCH on a file opened by
// someone else: ENOENT (a child that became another user, without
// capabilities, with files its parent opened).
TEST(linkat, empty_path_foreign_file_enoent, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    fs::mkdir("w", 0777);
    int fds[2] = {fs::create("a", "abc", 0666), fs::open("w", O_RDONLY | O_DIRECTORY)};
    EXPECT_CHILD_OK(kc::spawn(link_foreign_fd_as_other_user, fds));
    EXPECT_EQ(fs::exists("w/b"), false);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// linkat(2) EINVAL: flags other than AT_SYMLINK_FOLLOW and AT_EMPTY_PATH.
constexpr fs::FlagRow kBadFlags[] = {
    {"bit_0", 1},
    {"at_symlink_nofollow", AT_SYMLINK_NOFOLLOW},
    {"at_removedir", AT_REMOVEDIR},
    {"bit_31", int(0x80000000u)},
};
TEST_P(linkat, bad_flags_einval, NEGATIVE, PSE52, kBadFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a");
    EXPECT_ERR(sys::linkat(fs::D(), "a", fs::D(), "b", row.flags), EINVAL);
    EXPECT_EQ(fs::exists("b"), false);
}

// link(2): the lookup errors for the existing name.
TEST_P(linkat, bad_old_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, link_old);
}

// link(2), legacy call: the lookup errors for the existing name, and for the
// new name's directory prefix.
TEST_P(link, bad_old_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(link);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::link(p, kc::scratch_path("new")); }, true);
}
TEST_P(link, bad_new_path, NEGATIVE, PSE52, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(link);
    fs::touch("src");
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::link(kc::scratch_path("src"), p); }, true);
    EXPECT_EQ(fs::st("src").st_nlink, 1);
}

// link(2): the lookup errors for the new name's directory prefix.
TEST_P(linkat, bad_new_path, NEGATIVE, PSE52, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("src");
    fs::check_bad_path(row, link_new);
    EXPECT_EQ(fs::st("src").st_nlink, 1);
}

// link(2) EACCES: write permission on the new parent is needed
// (CAP_DAC_OVERRIDE passes; a child without capabilities is refused).
TEST_ENTRIES(linkat, link, parent_not_writable_eacces, NEGATIVE, PSE53,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::touch("a");
    fs::mkdir("ro", 0555);
    fs::as_unprivileged(
        [](void* e) { EXPECT_ERR(link_by(*static_cast<fs::Entry*>(e), "a", "ro/c"), EACCES); },
        &entry);
    EXPECT_DENIED(link_by(entry, "a", "ro/b"), EACCES);
}

// link(2), legacy call: by absolute paths.
TEST(link, links_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(link);
    fs::touch("a");
    static char from[600];
    const char* p = kc::scratch_path("a");
    for (usize i = 0; i <= rt::strlen(p); ++i) from[i] = p[i];
    EXPECT_RET(sys::link(from, kc::scratch_path("b")), 0);
    EXPECT_EQ(fs::st("a").st_nlink, 2);
    EXPECT_ERR(sys::link(from, kc::scratch_path("b")), EEXIST);
}
