// SPDX-License-Identifier: MIT
// symlinkat(2), readlinkat(2), symlink(2), readlink(2): the target is stored
// verbatim (dangling, relative, odd strings, up to PATH_MAX - 1 bytes),
// readlink returns the byte count without a NUL and truncates silently,
// relative targets resolve from the link's directory, AT_EMPTY_PATH-style
// readlinkat on an O_PATH descriptor, and the errors (EINVAL for bufsiz <= 0
// and for non-links, EEXIST, ENOENT for an empty target, bad paths).
// The legacy symlink(2) and readlink(2) entry points (x86-64) run the same
// cases by absolute path.
// Left out: fs.protected_symlinks (a sysctl of the host), magic links in /proc.
#include "tests/fs/fs_util.hpp"

namespace {

long readlink_rel(int d, const char* p) {
    char buf[8];
    return sys::readlinkat(d, p, buf, sizeof buf);
}
long symlink_new(int d, const char* p) { return sys::symlinkat("target", d, p); }
// symlinkat/readlinkat relative to the scratch directory, or symlink(2)/
// readlink(2) by absolute path.
long symlink_by(fs::Entry e, const char* target, const char* name) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::symlinkat(target, fs::D(), p) : sys::symlink(target, p);
}
long readlink_by(fs::Entry e, const char* name, char* buf, long size) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::readlinkat(fs::D(), p, buf, usize(size))
                       : sys::readlink(p, buf, usize(size));
}

}  // namespace

// readlink(2): returns the number of bytes placed in buf, the target exactly,
// "not null-terminated" (the byte after it is untouched).
struct TargetRow {
    const char* label;
    const char* target;
};
constexpr TargetRow kTargets[] = {
    {"simple", "f"},
    {"dangling", "does/not/exist"},
    {"absolute", "/nonexistent/absolute/path"},
    {"dotdot_and_slashes", "../..//x/./y/"},
    {"spaces_and_bytes", " a b\t\x01\xff"},
    {"single_slash", "/"},
};
TEST_P_ENTRIES(readlinkat, readlink, returns_target_verbatim, POSITIVE, PSE54, kTargets,
               .flags = kc::NEEDS_SCRATCH) {
    EXPECT_RET(symlink_by(entry, row.target, "link"), 0);
    char buf[64];
    for (char& c : buf) c = '#';
    long n = long(rt::strlen(row.target));
    EXPECT_RET(readlink_by(entry, "link", buf, sizeof buf), n);
    EXPECT_MEM_EQ(buf, row.target, usize(n));
    EXPECT_EQ(buf[n], '#');
    EXPECT_EQ(fs::st("link").st_size, n);  // lstat: the length of the target
}

// readlink(2): "If the value of the symbolic link is longer than bufsize,
// the contents of buf are truncated" and the count is bufsize; no error.
struct TruncRow {
    const char* label;
    int bufsiz;
};
constexpr TruncRow kTrunc[] = {
    {"bufsiz_1", 1}, {"bufsiz_5", 5}, {"bufsiz_len_minus_1", 9}, {"bufsiz_len", 10}};
TEST_P_ENTRIES(readlinkat, readlink, truncates_to_bufsiz, BOUNDARY, PSE54, kTrunc,
               .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("0123456789", "link");
    char buf[16];
    for (char& c : buf) c = '#';
    EXPECT_RET(readlink_by(entry, "link", buf, row.bufsiz), row.bufsiz);
    EXPECT_MEM_EQ(buf, "0123456789", usize(row.bufsiz));
    EXPECT_EQ(buf[row.bufsiz], '#');
}

// readlink(2) EINVAL (Linux): bufsiz is not positive.
struct BufRow {
    const char* label;
    int bufsiz;
};
constexpr BufRow kBadBuf[] = {{"bufsiz_0", 0}, {"bufsiz_minus_1", -1}, {"bufsiz_int_min", INT_MIN}};
TEST_P_ENTRIES(readlinkat, readlink, nonpositive_bufsiz_einval, NEGATIVE, LINUX, kBadBuf,
               .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("f", "link");
    char buf[4];
    EXPECT_ERR(readlink_by(entry, "link", buf, row.bufsiz), EINVAL);
}

// readlink(2) EINVAL: "The path argument names a file that is not a symbolic
// link".
struct NotLinkRow {
    const char* label;
    int kind;  // 0 file, 1 directory, 2 FIFO, 3 symlink with a trailing slash
};
constexpr NotLinkRow kNotLinks[] = {
    {"regular_file", 0}, {"directory", 1}, {"fifo", 2}, {"link_to_dir_trailing_slash", 3}};
TEST_P_ENTRIES(readlinkat, readlink, not_a_symlink_einval, NEGATIVE, PSE54, kNotLinks,
               .flags = kc::NEEDS_SCRATCH) {
    const char* name = "x";
    if (row.kind == 0) fs::touch("x");
    if (row.kind == 1) fs::mkdir("x");
    if (row.kind == 2) ASSERT_OK(sys::mknodat(fs::D(), "x", S_IFIFO | 0600, 0));
    if (row.kind == 3) {
        fs::mkdir("d");
        fs::symlink("d", "x");
        name = "x/";  // the trailing slash makes the lookup follow the link
    }
    char buf[8];
    EXPECT_ERR(readlink_by(entry, name, buf, sizeof buf), EINVAL);
}

// readlink(2): the lookup errors of path resolution.
TEST_P(readlinkat, bad_path, NEGATIVE, PSE54, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, readlink_rel);
}

// readlink(2), legacy call: the lookup errors of path resolution.
TEST_P(readlink, bad_path, NEGATIVE, PSE54, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(readlink);
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            char buf[8];
            return sys::readlink(p, buf, sizeof buf);
        },
        true);
}

// Linux readlinkat(2): an empty path reads the symlink open as dirfd
// (O_PATH|O_NOFOLLOW); on a non-link descriptor that is ENOENT.
TEST(readlinkat, empty_path_on_path_fd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("the/target", "link");
    fs::touch("f");
    int l = fs::open("link", O_PATH | O_NOFOLLOW), f = fs::open("f", O_PATH);
    char buf[16];
    EXPECT_RET(sys::readlinkat(l, "", buf, sizeof buf), 10);
    EXPECT_MEM_EQ(buf, "the/target", 10);
    EXPECT_ERR(sys::readlinkat(f, "", buf, sizeof buf), ENOENT);
    sys::close(l);
    sys::close(f);
}

// Linux: an unmapped buffer is EFAULT.
TEST_ENTRIES(readlinkat, readlink, unmapped_buffer_efault, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("f", "link");
    EXPECT_ERR(readlink_by(entry, "link", reinterpret_cast<char*>(8), 16), EFAULT);
}

// path_resolution(7): a relative target resolves from the directory that
// holds the link, not from the caller's directory.
TEST_ENTRIES(symlinkat, symlink, relative_target_from_link_dir, POSITIVE, PSE54,
             .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("a");
    fs::mkdir("a/b");
    fs::touch("a/f", "in a");
    EXPECT_RET(symlink_by(entry, "../f", "a/b/link"), 0);
    EXPECT_EQ(fs::st("a/b/link", 0).st_ino, fs::st("a/f").st_ino);
}

// symlink(2): the link is created even when the target does not exist, and
// it takes the caller's uid.
TEST_ENTRIES(symlinkat, symlink, dangling_allowed, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_RET(symlink_by(entry, "nowhere", "link"), 0);
    arch::Stat s = fs::st("link");
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFLNK);
    EXPECT_EQ(s.st_uid, sys::geteuid());
    EXPECT_EQ(fs::exists("nowhere"), false);
}

// symlink(2): target lengths up to PATH_MAX - 1 bytes are stored (the file
// system here allows a block's worth); PATH_MAX is ENAMETOOLONG. An empty
// target is ENOENT on Linux.
struct LenRow {
    const char* label;
    int len;
    int err;
};
constexpr LenRow kLens[] = {
    {"len_0_enoent", 0, ENOENT},
    {"len_1", 1, 0},
    {"len_4095", 4095, 0},
    {"len_4096_enametoolong", 4096, ENAMETOOLONG},
};
TEST_P_ENTRIES(symlinkat, symlink, target_length_limits, BOUNDARY, LINUX, kLens,
               .flags = kc::NEEDS_SCRATCH) {
    static char target[PATH_MAX + 2], back[PATH_MAX + 2];
    fs::long_path(target, usize(row.len));
    long r = symlink_by(entry, target, "link");
    if (row.err) {
        EXPECT_ERR(r, row.err);
        EXPECT_EQ(fs::exists("link"), false);
        return;
    }
    ASSERT_RET(r, 0);
    EXPECT_RET(readlink_by(entry, "link", back, PATH_MAX + 1), row.len);
    EXPECT_MEM_EQ(back, target, usize(row.len));
}

// symlink(2) EEXIST: the link name exists (a dangling symlink too).
TEST_ENTRIES(symlinkat, symlink, existing_name_eexist, NEGATIVE, PSE54,
             .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::mkdir("d");
    fs::symlink("nowhere", "dangling");
    EXPECT_ERR(symlink_by(entry, "t", "f"), EEXIST);
    EXPECT_ERR(symlink_by(entry, "t", "d"), EEXIST);
    EXPECT_ERR(symlink_by(entry, "t", "dangling"), EEXIST);
    EXPECT_EQ(fs::exists("nowhere"), false);
}

// symlink(2): the lookup errors for the link's directory prefix.
TEST_P(symlinkat, bad_path, NEGATIVE, PSE54, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, symlink_new);
}

// symlink(2), legacy call: the lookup errors for the link's directory prefix.
TEST_P(symlink, bad_path, NEGATIVE, PSE54, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(symlink);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::symlink("target", p); }, true);
}

// symlink(2) EACCES: write permission on the parent is needed
// (CAP_DAC_OVERRIDE passes; a child without capabilities is refused).
TEST_ENTRIES(symlinkat, symlink, parent_not_writable_eacces, NEGATIVE, PSE54,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("ro", 0555);
    fs::as_unprivileged(
        [](void* e) { EXPECT_ERR(symlink_by(*static_cast<fs::Entry*>(e), "t", "ro/l"), EACCES); },
        &entry);
    EXPECT_DENIED(symlink_by(entry, "t", "ro/link"), EACCES);
}

// Linux: an unmapped target pointer is EFAULT.
TEST_ENTRIES(symlinkat, symlink, unmapped_target_efault, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(symlink_by(entry, reinterpret_cast<const char*>(8), "link"), EFAULT);
    EXPECT_EQ(fs::exists("link"), false);
}

// symlink(2), legacy call: by absolute path; EEXIST the second time.
TEST(symlink, creates_by_path, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(symlink);
    EXPECT_RET(sys::symlink("tgt", kc::scratch_path("link")), 0);
    EXPECT_EQ(fs::st("link").st_size, 3);
    EXPECT_ERR(sys::symlink("tgt", kc::scratch_path("link")), EEXIST);
}

// readlink(2), legacy call: the target by absolute path; EINVAL on a file.
TEST(readlink, reads_by_path, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(readlink);
    fs::symlink("tgt", "link");
    fs::touch("f");
    char buf[8];
    EXPECT_RET(sys::readlink(kc::scratch_path("link"), buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "tgt", 3);
    EXPECT_ERR(sys::readlink(kc::scratch_path("f"), buf, sizeof buf), EINVAL);
}
