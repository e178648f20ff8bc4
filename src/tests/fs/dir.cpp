// SPDX-License-Identifier: MIT
// mkdirat(2), unlinkat(2), mkdir/rmdir/unlink(2): creating directories
// (mode, set-group-ID inheritance, trailing slashes), removing files and
// directories (ENOTEMPTY, ENOTDIR, EISDIR, ".", ".."), open files outliving
// their names, the sticky bit, permissions, flag checks, and a leak test of
// 10,000 create/unlink cycles. The legacy mkdir(2), unlink(2) and rmdir(2)
// entry points (x86-64) run the same path cases by absolute path (rmdir for
// those of AT_REMOVEDIR).
// Left out: EBUSY on mount points and EROFS (need mounts), EMLINK (needs
// ~65,000 subdirectories), ENOSPC.
#include "tests/common/common_util.hpp"
#include "tests/fs/fs_util.hpp"

namespace {

long mkdir_rel(int d, const char* p) { return sys::mkdirat(d, p, 0755); }
long unlink_rel(int d, const char* p) { return sys::unlinkat(d, p, 0); }
long rmdir_rel(int d, const char* p) { return sys::unlinkat(d, p, AT_REMOVEDIR); }
// mkdirat relative to the scratch directory, or mkdir(2) by absolute path.
long mkdir_by(fs::Entry e, const char* name, u32 mode) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::mkdirat(fs::D(), p, mode) : sys::mkdir(p, int(mode));
}
// unlinkat with flags 0 or AT_REMOVEDIR, or unlink(2)/rmdir(2) by absolute path.
long unlink_by(fs::Entry e, const char* name, int flags = 0) {
    const char* p = fs::path(e, name);
    if (e == fs::AT) return sys::unlinkat(fs::D(), p, flags);
    return flags ? sys::rmdir(p) : sys::unlink(p);
}

int count_entries(const char* dir) {
    int fd = fs::open(dir, O_RDONLY | O_DIRECTORY);
    int n = 0;
    fs::for_each_dirent(fd, 4096, [&](const linux_dirent64&) { ++n; });
    sys::close(fd);
    return n;
}

}  // namespace

// mkdir(2): creates an empty directory (only "." and ".."), owned by the
// euid, with the permission bits of mode (the umask is read and honoured).
TEST_ENTRIES(mkdirat, mkdir, creates_empty_directory, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    u32 mask = fs::umask_now();
    EXPECT_RET(mkdir_by(entry, "d", 0751), 0);
    arch::Stat s = fs::st("d");
    EXPECT_EQ(s.st_mode, S_IFDIR | (0751 & ~mask));
    EXPECT_EQ(s.st_uid, sys::geteuid());
    EXPECT_EQ(count_entries("d"), 2);
}

// mkdir(2) EEXIST: the name exists, whatever it is (a dangling symlink too:
// it is not followed).
struct ExistRow {
    const char* label;
    int kind;  // 0 file, 1 directory, 2 dangling symlink, 3 FIFO
};
constexpr ExistRow kExisting[] = {
    {"file", 0}, {"directory", 1}, {"dangling_symlink", 2}, {"fifo", 3}};
TEST_P_ENTRIES(mkdirat, mkdir, existing_name_eexist, NEGATIVE, PSE52, kExisting,
               .flags = kc::NEEDS_SCRATCH) {
    if (row.kind == 0) fs::touch("x");
    if (row.kind == 1) fs::mkdir("x");
    if (row.kind == 2) fs::symlink("nowhere", "x");
    if (row.kind == 3) ASSERT_OK(sys::mknodat(fs::D(), "x", S_IFIFO | 0600, 0));
    EXPECT_ERR(mkdir_by(entry, "x", 0755), EEXIST);
    EXPECT_EQ(fs::exists("nowhere"), false);
}

// mkdir(2): the lookup errors of the directory prefix.
TEST_P(mkdirat, bad_path, NEGATIVE, PSE52, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, mkdir_rel);
}

// mkdir(2): a trailing slash is allowed on the new name.
TEST_ENTRIES(mkdirat, mkdir, trailing_slash_ok, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_RET(mkdir_by(entry, "d/", 0700), 0);
    EXPECT_RET(mkdir_by(entry, "d/e//", 0700), 0);
    EXPECT_EQ(fs::st("d/e").st_mode & S_IFMT, S_IFDIR);
}

// Linux mkdir(2): mode keeps the permission bits and S_ISVTX; S_ISUID and
// S_ISGID in mode are ignored (umask 0 in a child).
struct ModeRow {
    const char* label;
    u32 mode, want;
};
constexpr ModeRow kModes[] = {
    {"mode_0777", 0777, 0777},
    {"mode_0000", 0, 0},
    {"mode_1777_sticky_kept", 01777, 01777},
    {"mode_7777_set_ids_dropped", 07777, 01777},
    {"type_bits_ignored", S_IFREG | 0700, 0700},
};
struct ModeArgs {
    const ModeRow* row;
    fs::Entry entry;
};
TEST_P_ENTRIES(mkdirat, mkdir, mode_bits, BOUNDARY, LINUX, kModes,
               .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::D();
    ModeArgs a = {&row, entry};
    EXPECT_CHILD_OK(kc::spawn(
        [](void* arg) {
            auto& m = *static_cast<ModeArgs*>(arg);
            sys::umask(0);
            ASSERT_OK(mkdir_by(m.entry, "d", m.row->mode));
            EXPECT_EQ(fs::st("d").st_mode, S_IFDIR | m.row->want);
        },
        &a));
}

// Linux (and BSD) semantics: in a set-group-ID directory, a new directory
// takes the parent's group and is set-group-ID itself; a new file takes the
// group.
TEST_ENTRIES(mkdirat, mkdir, setgid_parent_inherited, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("p");
    // With CAP_CHOWN the directory gets another group than the process's
    // (then the new entries' group cannot come from the creator), and with
    // CAP_FSETID it may keep S_ISGID for a group the process is not in;
    // else it keeps the process's own group.
    const kc::Environment& env = kc::environment();
    if (privilege::chown_any() && kc::ns_cap_usable(CAP_FSETID) && env.nother_gids)
        ASSERT_OK(sys::fchownat(fs::D(), "p", ~0u, env.other_gids[0], 0));
    ASSERT_OK(sys::fchmodat(fs::D(), "p", 02775));
    u32 gid = fs::st("p").st_gid;
    ASSERT_OK(mkdir_by(entry, "p/d", 0755));
    fs::touch("p/f");
    EXPECT_TRUE(fs::st("p/d").st_mode & S_ISGID);
    EXPECT_EQ(fs::st("p/d").st_gid, gid);
    EXPECT_EQ(fs::st("p/f").st_gid, gid);
}

// mkdir(2) EACCES: write (or search) permission on the parent is needed
// (CAP_DAC_OVERRIDE passes; a child without capabilities is refused).
TEST_ENTRIES(mkdirat, mkdir, parent_not_writable_eacces, NEGATIVE, PSE53,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("p", 0555);
    fs::mkdir("q", 0600);
    fs::as_unprivileged(
        [](void* e) {
            EXPECT_ERR(mkdir_by(*static_cast<fs::Entry*>(e), "p/d", 0755), EACCES);
            EXPECT_ERR(mkdir_by(*static_cast<fs::Entry*>(e), "q/d", 0755), EACCES);
        },
        &entry);
    EXPECT_DENIED(mkdir_by(entry, "p/d", 0755), EACCES);
    EXPECT_DENIED(mkdir_by(entry, "q/d", 0755), EACCES);
}

// mkdir(2): the parent's mtime and ctime are marked for update.
TEST_ENTRIES(mkdirat, mkdir, updates_parent_mtime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("p");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fs::D(), "p", old, 0));
    ASSERT_OK(mkdir_by(entry, "p/d", 0755));
    EXPECT_GT(fs::st("p").st_mtime_sec, 1000);
}

// unlink(2): removes the name; an open descriptor keeps the file readable
// with st_nlink 0 until closed.
TEST_ENTRIES(unlinkat, unlink, removes_name_file_lives_on, POSITIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "still here");
    EXPECT_RET(unlink_by(entry, "f"), 0);
    EXPECT_EQ(fs::exists("f"), false);
    char buf[16];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 10);
    EXPECT_MEM_EQ(buf, "still here", 10);
    EXPECT_EQ(fs::fst(fd).st_nlink, 0);
    sys::close(fd);
}

// unlink(2) of a symlink removes the link, not its target.
TEST_ENTRIES(unlinkat, unlink, symlink_removes_link_only, POSITIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_RET(unlink_by(entry, "link"), 0);
    EXPECT_TRUE(fs::exists("f"));
    EXPECT_EQ(fs::exists("link"), false);
}

// rmdir(2) via AT_REMOVEDIR: an empty directory goes (a trailing slash is fine).
TEST_ENTRIES(unlinkat, rmdir, removedir_empty, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::mkdir("e");
    EXPECT_RET(unlink_by(entry, "d", AT_REMOVEDIR), 0);
    EXPECT_RET(unlink_by(entry, "e/", AT_REMOVEDIR), 0);
    EXPECT_EQ(fs::exists("d") || fs::exists("e"), false);
}

// rmdir(2): POSIX allows EEXIST or ENOTEMPTY for a non-empty directory;
// Linux returns ENOTEMPTY. The directory and its entry stay.
struct FullRow {
    const char* label;
    int kind;  // 0 file, 1 subdirectory, 2 dangling symlink
};
constexpr FullRow kFull[] = {{"holds_file", 0}, {"holds_directory", 1}, {"holds_symlink", 2}};
// The directory "d", holding "d/x" of the row's kind.
static void make_full_dir(const FullRow& row) {
    fs::mkdir("d");
    if (row.kind == 0) fs::touch("d/x");
    if (row.kind == 1) fs::mkdir("d/x");
    if (row.kind == 2) fs::symlink("nowhere", "d/x");
}
TEST_P_ENTRIES(unlinkat, rmdir, removedir_not_empty_enotempty, NEGATIVE, LINUX, kFull,
               .flags = kc::NEEDS_SCRATCH) {
    make_full_dir(row);
    EXPECT_ERR(unlink_by(entry, "d", AT_REMOVEDIR), ENOTEMPTY);
    EXPECT_TRUE(fs::exists("d/x"));
}

// POSIX rmdir, the twin of the test above for a profile run: "[EEXIST] or
// [ENOTEMPTY] The path argument names a directory that is not an empty
// directory": either conforms.
TEST_P_ENTRIES(unlinkat, rmdir, removedir_not_empty_eexist_or_enotempty, NEGATIVE, PSE52, kFull,
               .flags = kc::NEEDS_SCRATCH) {
    make_full_dir(row);
    EXPECT_ERR_ANY(unlink_by(entry, "d", AT_REMOVEDIR), EEXIST, ENOTEMPTY);
    EXPECT_TRUE(fs::exists("d/x"));
}

// rmdir(2) ENOTDIR: AT_REMOVEDIR on a file, or on a symlink to a directory
// (not followed).
TEST_ENTRIES(unlinkat, rmdir, removedir_on_non_directory_enotdir, NEGATIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::mkdir("d");
    fs::symlink("d", "dl");
    EXPECT_ERR(unlink_by(entry, "f", AT_REMOVEDIR), ENOTDIR);
    EXPECT_ERR(unlink_by(entry, "dl", AT_REMOVEDIR), ENOTDIR);
    EXPECT_TRUE(fs::exists("f") && fs::exists("d"));
}

// unlink(2) of a directory: POSIX says EPERM; Linux returns EISDIR ("the
// non-POSIX value returned since Linux 2.1.132").
TEST_ENTRIES(unlinkat, unlink, directory_without_flag_eisdir, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    EXPECT_ERR(unlink_by(entry, "d"), EISDIR);
    EXPECT_TRUE(fs::exists("d"));
}

// unlink(2) ENOTDIR: a trailing slash on a regular file's name.
TEST_ENTRIES(unlinkat, unlink, trailing_slash_on_file_enotdir, NEGATIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(unlink_by(entry, "f/"), ENOTDIR);
    EXPECT_TRUE(fs::exists("f"));
}

// rmdir(2): EINVAL when the last component is "."; ENOTEMPTY for ".."
// (Linux; POSIX allows EEXIST or ENOTEMPTY there).
TEST_ENTRIES(unlinkat, rmdir, removedir_dot_and_dotdot, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    EXPECT_ERR(unlink_by(entry, "d/.", AT_REMOVEDIR), EINVAL);
    EXPECT_ERR(unlink_by(entry, "d/..", AT_REMOVEDIR), ENOTEMPTY);
    EXPECT_TRUE(fs::exists("d"));
}

// unlinkat(2) EINVAL: flags other than AT_REMOVEDIR.
constexpr fs::FlagRow kBadFlags[] = {
    {"bit_0", 1},
    {"at_symlink_nofollow", AT_SYMLINK_NOFOLLOW},
    {"at_empty_path", AT_EMPTY_PATH},
    {"bit_31", int(0x80000000u)},
};
TEST_P(unlinkat, bad_flags_einval, NEGATIVE, PSE52, kBadFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::unlinkat(fs::D(), "f", row.flags), EINVAL);
    EXPECT_TRUE(fs::exists("f"));
}

// unlink(2): the lookup errors of path resolution.
TEST_P(unlinkat, bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, unlink_rel);
}

// rmdir(2): the lookup errors of path resolution (and ENOTDIR for "f").
TEST_P(unlinkat, bad_path_removedir, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, rmdir_rel);
}

// mkdir(2), unlink(2), rmdir(2), legacy calls: the lookup errors of path
// resolution (for mkdir, of the directory prefix).
TEST_P(mkdir, bad_path, NEGATIVE, PSE52, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(mkdir);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::mkdir(p, 0755); }, true);
}
TEST_P(unlink, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(unlink);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::unlink(p); }, true);
}
TEST_P(rmdir, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rmdir);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::rmdir(p); }, true);
}

// unlink(2) EACCES: write permission on the parent is needed, not on the
// file (CAP_DAC_OVERRIDE passes; a child without capabilities is refused).
TEST_ENTRIES(unlinkat, unlink, parent_not_writable_eacces, NEGATIVE, PSE53,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("p");
    fs::touch("p/f", nullptr, 0);
    fs::touch("g", nullptr, 0);
    EXPECT_RET(unlink_by(entry, "g"), 0);  // a mode-0 file in a writable dir
    ASSERT_OK(sys::fchmodat(fs::D(), "p", 0555));
    fs::as_unprivileged(
        [](void* e) { EXPECT_ERR(unlink_by(*static_cast<fs::Entry*>(e), "p/f"), EACCES); }, &entry);
    EXPECT_TRUE(fs::exists("p/f"));
    EXPECT_DENIED(unlink_by(entry, "p/f"), EACCES);
}

// unlink(2): the parent's mtime is marked for update.
TEST_ENTRIES(unlinkat, unlink, updates_parent_mtime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("p");
    fs::touch("p/f");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fs::D(), "p", old, 0));
    ASSERT_OK(unlink_by(entry, "p/f"));
    EXPECT_GT(fs::st("p").st_mtime_sec, 1000);
}

namespace {
void unlink_in_sticky_as_other_user(void* arg) {
    int dfd = *static_cast<int*>(arg);
    ASSERT_TRUE(kc::become_other_user());
    EXPECT_ERR(sys::unlinkat(dfd, "parents", 0), EPERM);
    EXPECT_ERR(sys::renameat2(dfd, "parents", dfd, "x", 0), EPERM);
    long fd = sys::openat(dfd, "mine", O_WRONLY | O_CREAT | O_EXCL, 0600);
    ASSERT_OK(fd);
    sys::close(int(fd));
    EXPECT_RET(sys::unlinkat(dfd, "mine", 0), 0);
}
}  // namespace

// unlink(2) EPERM: in a sticky directory only the owner of the file (or of
// the directory) may remove it; anyone may remove their own. A child that
// became another user without CAP_FOWNER, in a 01777 directory holding the
// parent's file.
TEST(unlinkat, sticky_directory_eperm, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    fs::mkdir("t", 01777);
    fs::touch("t/parents", nullptr, 0666);
    int dfd = fs::open("t", O_RDONLY | O_DIRECTORY);
    EXPECT_CHILD_OK(kc::spawn(unlink_in_sticky_as_other_user, &dfd));
    EXPECT_TRUE(fs::exists("t/parents"));
    sys::close(dfd);
}

// Resource leak check: create/close/unlink cycles leave nothing behind (no
// entries, no descriptors) and creation still works afterwards. The loop
// crosses RLIMIT_NOFILE, lowered to 64 above the lowest free fd, four times
// over (a leaked descriptor: EMFILE), and reuses each of its 100 names at
// least twice (a leaked entry: EEXIST).
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(unlinkat, create_unlink_10000_no_leak, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    common::limit_fd_room();
    char name[16];
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        rt::Fmt(name, sizeof name).c('f').d(i % 100).cstr();
        long fd = sys::openat(fs::D(), name, O_WRONLY | O_CREAT | O_EXCL, 0600);
        ASSERT_OK(fd);
        sys::close(int(fd));
        ASSERT_RET(sys::unlinkat(fs::D(), name, 0), 0);
    }
    EXPECT_EQ(count_entries("."), 2);
    int fd = fs::create("last", "ok");
    EXPECT_EQ(fs::fsize(fd), 2);
    sys::close(fd);
}

// mkdir(2), legacy call: by absolute path; EEXIST the second time.
TEST(mkdir, creates_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(mkdir);
    EXPECT_RET(sys::mkdir(kc::scratch_path("d"), 0700), 0);
    EXPECT_EQ(fs::st("d").st_mode & S_IFMT, S_IFDIR);
    EXPECT_ERR(sys::mkdir(kc::scratch_path("d"), 0700), EEXIST);
}

// rmdir(2), legacy call: ENOTDIR on a file, removal, then ENOENT.
TEST(rmdir, removes_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rmdir);
    fs::mkdir("d");
    fs::touch("f");
    EXPECT_ERR(sys::rmdir(kc::scratch_path("f")), ENOTDIR);
    EXPECT_RET(sys::rmdir(kc::scratch_path("d")), 0);
    EXPECT_ERR(sys::rmdir(kc::scratch_path("d")), ENOENT);
}

// unlink(2), legacy call: EISDIR (Linux) on a directory, removal, then ENOENT.
TEST(unlink, removes_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(unlink);
    fs::touch("f");
    fs::mkdir("d");
    EXPECT_ERR(sys::unlink(kc::scratch_path("d")), EISDIR);
    EXPECT_RET(sys::unlink(kc::scratch_path("f")), 0);
    EXPECT_ERR(sys::unlink(kc::scratch_path("f")), ENOENT);
}
