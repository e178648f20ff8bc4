// SPDX-License-Identifier: MIT
// renameat2(2), renameat(2), rename(2): moving files and directories,
// atomic replacement (an open descriptor of the replaced file lives on),
// RENAME_NOREPLACE, RENAME_EXCHANGE, links to the same file, type clashes
// (ENOTDIR, EISDIR, ENOTEMPTY), a directory into itself (EINVAL), "." and
// "..", symlinks, the sticky bit (in dir.cpp), permissions and flag checks.
// The cases without flags run through all three entry points: renameat2
// with flags 0, renameat (not on riscv64) and rename (x86-64 only).
// RENAME_WHITEOUT: file_flags.cpp.
// Left out: EXDEV (needs two mounts), EBUSY on mount points.
#include "tests/fs/fs_util.hpp"

namespace {

long ren(const char* a, const char* b, unsigned flags) {
    return sys::renameat2(fs::D(), a, fs::D(), b, flags);
}
// The entry points of a rename without flags, each a test group.
enum Via : u8 { RENAMEAT2, RENAMEAT, RENAME };
long ren(Via v, const char* a, const char* b) {
    if (v == RENAMEAT2) return sys::renameat2(fs::D(), a, fs::D(), b, 0);
    if (v == RENAMEAT) return sys::renameat(fs::D(), a, fs::D(), b);
    const char* from = kc::scratch_path(a);
    return sys::rename(from, kc::scratch_path(b));
}

long rename_old(int d, const char* p) { return sys::renameat2(d, p, fs::D(), "new", 0); }
long rename_new(int d, const char* p) { return sys::renameat2(fs::D(), "src", d, p, 0); }

bool content_is(const char* name, const char* want) {
    char buf[32];
    long n = fs::slurp(name, buf, sizeof buf);
    return n == long(rt::strlen(want)) && __builtin_memcmp(buf, want, usize(n)) == 0;
}

}  // namespace

// One body, three tests: renameat2.n_, renameat.n_ and rename.n_ (the last
// two skipped where the ABI lacks the call), `via` naming the entry point.
#define TEST_RENAME(n_, cat, prof, ...)                                     \
    static void rename_##n_(Via via);                                       \
    TEST(renameat2, n_, cat, prof, __VA_ARGS__) { rename_##n_(RENAMEAT2); } \
    TEST(renameat, n_, cat, prof, __VA_ARGS__) {                            \
        REQUIRE_NR(renameat);                                               \
        rename_##n_(RENAMEAT);                                              \
    }                                                                       \
    TEST(rename, n_, cat, prof, __VA_ARGS__) {                              \
        REQUIRE_NR(rename);                                                 \
        rename_##n_(RENAME);                                                \
    }                                                                       \
    static void rename_##n_(Via via)

// rename(2): the file gets the new name (same inode, same data); the old
// name is gone.
TEST_RENAME(moves_file, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "data");
    fs::mkdir("d");
    u64 ino = fs::st("a").st_ino;
    EXPECT_RET(ren(via, "a", "d/b"), 0);
    EXPECT_EQ(fs::exists("a"), false);
    EXPECT_EQ(fs::st("d/b").st_ino, ino);
    EXPECT_TRUE(content_is("d/b", "data"));
}

// rename(2): an existing target is replaced atomically; a descriptor open on
// the replaced file still reads it (st_nlink 0).
TEST_RENAME(replaces_existing_file, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "new");
    int old = fs::create("b", "old");
    EXPECT_RET(ren(via, "a", "b"), 0);
    EXPECT_TRUE(content_is("b", "new"));
    EXPECT_EQ(fs::exists("a"), false);
    EXPECT_EQ(fs::fst(old).st_nlink, 0);
    char buf[4];
    EXPECT_RET(sys::pread64(old, buf, 3, 0), 3);
    EXPECT_MEM_EQ(buf, "old", 3);
    sys::close(old);
}

// rename(2): a directory moves with its contents and may replace an empty
// directory.
TEST_RENAME(moves_directory_over_empty_one, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::touch("d/f", "in d");
    fs::mkdir("e");
    EXPECT_RET(ren(via, "d", "e"), 0);
    EXPECT_TRUE(content_is("e/f", "in d"));
    EXPECT_EQ(fs::exists("d"), false);
}

// rename(2): "If the old argument and the new argument resolve to ... the
// same existing file, rename() shall return successfully and perform no
// other action": both names (one or two hard links) remain.
TEST_RENAME(same_file_is_noop, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "x");
    ASSERT_OK(sys::linkat(fs::D(), "a", fs::D(), "b", 0));
    EXPECT_RET(ren(via, "a", "b"), 0);
    EXPECT_TRUE(fs::exists("a") && fs::exists("b"));
    EXPECT_EQ(fs::st("a").st_nlink, 2);
    EXPECT_RET(ren(via, "a", "a"), 0);
    EXPECT_TRUE(fs::exists("a"));
}

// rename(2) of a symlink renames the link itself, not its target.
TEST_RENAME(symlink_not_followed, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_RET(ren(via, "link", "moved"), 0);
    EXPECT_EQ(fs::st("moved").st_mode & S_IFMT, S_IFLNK);
    EXPECT_TRUE(fs::exists("f"));
}

// renameat2(2) RENAME_NOREPLACE: EEXIST if the target exists (even a
// dangling symlink); both stay untouched. Without a target it renames.
TEST(renameat2, noreplace, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "A");
    fs::touch("b", "B");
    fs::symlink("nowhere", "dangling");
    EXPECT_ERR(ren("a", "b", RENAME_NOREPLACE), EEXIST);
    EXPECT_ERR(ren("a", "dangling", RENAME_NOREPLACE), EEXIST);
    EXPECT_TRUE(content_is("a", "A") && content_is("b", "B"));
    EXPECT_RET(ren("a", "c", RENAME_NOREPLACE), 0);
    EXPECT_TRUE(content_is("c", "A"));
}

// renameat2(2) RENAME_EXCHANGE: the two names swap atomically, also between
// a file and a directory.
TEST(renameat2, exchange_swaps, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "A");
    fs::touch("b", "B");
    fs::mkdir("d");
    EXPECT_RET(ren("a", "b", RENAME_EXCHANGE), 0);
    EXPECT_TRUE(content_is("a", "B") && content_is("b", "A"));
    EXPECT_RET(ren("a", "d", RENAME_EXCHANGE), 0);
    EXPECT_EQ(fs::st("a").st_mode & S_IFMT, S_IFDIR);
    EXPECT_TRUE(content_is("d", "B"));
}

// renameat2(2) RENAME_EXCHANGE: ENOENT when the second name does not exist.
TEST(renameat2, exchange_missing_enoent, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "A");
    EXPECT_ERR(ren("a", "missing", RENAME_EXCHANGE), ENOENT);
    EXPECT_TRUE(content_is("a", "A"));
}

// renameat2(2) EINVAL: unknown flags, or NOREPLACE with EXCHANGE.
struct FlagRow {
    const char* label;
    unsigned flags;
};
constexpr FlagRow kBadFlags[] = {
    {"noreplace_and_exchange", RENAME_NOREPLACE | RENAME_EXCHANGE},
    {"bit_3", 8},
    {"bit_31", 0x80000000u},
    {"whiteout_and_exchange", RENAME_WHITEOUT | RENAME_EXCHANGE},
};
TEST_P(renameat2, bad_flags_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "A");
    fs::touch("b", "B");
    EXPECT_ERR(ren("a", "b", row.flags), EINVAL);
    EXPECT_TRUE(content_is("a", "A") && content_is("b", "B"));
}

// rename(2) type clashes: a directory over a non-directory is ENOTDIR, a
// non-directory over a directory is EISDIR. Nothing moves.
struct ClashRow {
    const char* label;
    const char* from;
    const char* to;
    int err;
};
constexpr ClashRow kClashes[] = {
    {"dir_over_file_enotdir", "d", "f", ENOTDIR},
    {"dir_over_symlink_enotdir", "d", "link", ENOTDIR},
    {"file_over_dir_eisdir", "f", "e", EISDIR},
    {"file_with_trailing_slash_enotdir", "f/", "g", ENOTDIR},
};
void type_clash(const ClashRow& row, Via via) {
    fs::mkdir("d");
    fs::touch("d/inner");
    fs::mkdir("e");
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_ERR(ren(via, row.from, row.to), row.err);
    EXPECT_TRUE(fs::exists("d/inner") && fs::exists("e") && fs::exists("f"));
}
TEST_P(renameat2, type_clash, NEGATIVE, LINUX, kClashes, .flags = kc::NEEDS_SCRATCH) {
    type_clash(row, RENAMEAT2);
}
TEST_P(renameat, type_clash, NEGATIVE, PSE52, kClashes, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(renameat);
    type_clash(row, RENAMEAT);
}
TEST_P(rename, type_clash, NEGATIVE, PSE52, kClashes, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rename);
    type_clash(row, RENAME);
}

// "e" and the non-empty directory "d" (holding "inner") to rename over.
static void make_nonempty_target() {
    fs::mkdir("d");
    fs::touch("d/inner");
    fs::mkdir("e");
}

// rename(2) over a non-empty directory: POSIX allows EEXIST or ENOTEMPTY;
// Linux returns ENOTEMPTY. Nothing moves.
TEST_RENAME(over_nonempty_directory_enotempty, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    make_nonempty_target();
    EXPECT_ERR(ren(via, "e", "d"), ENOTEMPTY);
    EXPECT_TRUE(fs::exists("d/inner") && fs::exists("e"));
}

// POSIX rename, the twin of the test above for a profile run: "[EEXIST] or
// [ENOTEMPTY] The link named by new is a directory that is not an empty
// directory". renameat2 is Linux's own and has no twin.
static void over_nonempty_directory_posix(Via via) {
    make_nonempty_target();
    EXPECT_ERR_ANY(ren(via, "e", "d"), EEXIST, ENOTEMPTY);
    EXPECT_TRUE(fs::exists("d/inner") && fs::exists("e"));
}
TEST(renameat, over_nonempty_directory_eexist_or_enotempty, NEGATIVE, PSE52,
     .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(renameat);
    over_nonempty_directory_posix(RENAMEAT);
}
TEST(rename, over_nonempty_directory_eexist_or_enotempty, NEGATIVE, PSE52,
     .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rename);
    over_nonempty_directory_posix(RENAME);
}

// rename(2) EINVAL: "The old pathname names an ancestor directory of the new
// pathname" (a directory into itself or below).
TEST_RENAME(directory_into_itself_einval, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::mkdir("d/sub");
    EXPECT_ERR(ren(via, "d", "d/sub/x"), EINVAL);
    EXPECT_ERR(ren(via, "d", "d/x"), EINVAL);
    EXPECT_TRUE(fs::exists("d/sub"));
}

// rename(2) with "." or ".." as the last component: POSIX says EINVAL; Linux
// returns EBUSY (the dentry cannot be renamed) for either side.
TEST_RENAME(dot_or_dotdot_ebusy, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::mkdir("e");
    EXPECT_ERR(ren(via, "d/.", "x"), EBUSY);
    EXPECT_ERR(ren(via, "d/..", "x"), EBUSY);
    EXPECT_ERR(ren(via, "e", "d/."), EBUSY);
    EXPECT_TRUE(fs::exists("d") && fs::exists("e"));
}

// rename(2): the lookup errors for the old name.
TEST_P(renameat2, bad_old_path, NEGATIVE, LINUX, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, rename_old);
}

// rename(2): the lookup errors for the new name's directory prefix.
TEST_P(renameat2, bad_new_path, NEGATIVE, LINUX, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("src");
    fs::check_bad_path(row, rename_new);
    EXPECT_TRUE(fs::exists("src"));
}

// renameat(2), rename(2), legacy calls: the lookup errors for the old name
// and for the new name's directory prefix.
TEST_P(renameat, bad_old_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(renameat);
    fs::check_bad_path(row,
                       [](int d, const char* p) { return sys::renameat(d, p, fs::D(), "new"); });
}
TEST_P(renameat, bad_new_path, NEGATIVE, PSE52, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(renameat);
    fs::touch("src");
    fs::check_bad_path(row,
                       [](int d, const char* p) { return sys::renameat(fs::D(), "src", d, p); });
    EXPECT_TRUE(fs::exists("src"));
}
TEST_P(rename, bad_old_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rename);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::rename(p, kc::scratch_path("new")); }, true);
}
TEST_P(rename, bad_new_path, NEGATIVE, PSE52, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rename);
    fs::touch("src");
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::rename(kc::scratch_path("src"), p); }, true);
    EXPECT_TRUE(fs::exists("src"));
}

// rename(2) EACCES: write permission on both parents is needed
// (CAP_DAC_OVERRIDE passes; a child without capabilities is refused).
TEST_RENAME(parent_not_writable_eacces, NEGATIVE, PSE53,
            .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("ro");
    fs::touch("ro/f");
    fs::touch("g");
    ASSERT_OK(sys::fchmodat(fs::D(), "ro", 0555));
    fs::as_unprivileged(
        [](void* v) {
            Via via = *static_cast<Via*>(v);
            EXPECT_ERR(ren(via, "ro/f", "h"), EACCES);
            EXPECT_ERR(ren(via, "g", "ro/g"), EACCES);
        },
        &via);
    EXPECT_TRUE(fs::exists("ro/f") && fs::exists("g"));
    EXPECT_DENIED(ren(via, "ro/f", "h"), EACCES);
    EXPECT_DENIED(ren(via, "g", "ro/g"), EACCES);
}

// rename(2): renaming a directory to another parent updates its ".." entry.
TEST_RENAME(directory_dotdot_follows, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("p");
    fs::mkdir("q");
    fs::mkdir("p/d");
    EXPECT_RET(ren(via, "p/d", "q/d"), 0);
    EXPECT_EQ(fs::st("q/d/..").st_ino, fs::st("q").st_ino);
}

// renameat(2), legacy call (missing on riscv64): between two dirfds.
TEST(renameat, renames_between_dirfds, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(renameat);
    fs::mkdir("d");
    fs::touch("a", "A");
    int dfd = fs::open("d", O_RDONLY | O_DIRECTORY);
    EXPECT_RET(sys::renameat(fs::D(), "a", dfd, "b"), 0);
    sys::close(dfd);
    EXPECT_TRUE(content_is("d/b", "A"));
}

// rename(2), legacy call: by absolute paths; ENOENT once the source is gone.
TEST(rename, renames_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(rename);
    fs::touch("a", "A");
    static char from[600];
    const char* p = kc::scratch_path("a");
    for (usize i = 0; i <= rt::strlen(p); ++i) from[i] = p[i];
    EXPECT_RET(sys::rename(from, kc::scratch_path("b")), 0);
    EXPECT_TRUE(content_is("b", "A"));
    EXPECT_ERR(sys::rename(from, kc::scratch_path("c")), ENOENT);
}
