// SPDX-License-Identifier: MIT
// openat(2): the new file's mode (the umask, a read-only mode on a file the
// call creates), and the lookup: opening a directory for writing, trailing
// slashes, symlink loops and the 40-link limit, NAME_MAX and PATH_MAX,
// search and read permission (with and without the capabilities that
// override them), and how an absolute path or AT_FDCWD overrides dirfd.
// Unknown flag bits are ignored (openat2.cpp covers the call that rejects
// them).
// Left out: what open.cpp and openat2.cpp cover.
#include "tests/fs/fs_util.hpp"

namespace {
struct UmaskRow {
    const char* label;
    u32 mask;
    u32 mode;
    u32 want;
};
void create_under_umask(void* arg) {
    auto& row = *static_cast<const UmaskRow*>(arg);
    sys::umask(row.mask);
    long fd = sys::openat(fs::D(), "f", O_WRONLY | O_CREAT | O_EXCL, int(row.mode));
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fst(int(fd)).st_mode & 07777, row.want);
    sys::close(int(fd));
}
}  // namespace
constexpr UmaskRow kUmaskModes[] = {
    {"umask_022_mode_0666", 022, 0666, 0644}, {"umask_077_mode_0666", 077, 0666, 0600},
    {"umask_000_mode_0777", 0, 0777, 0777},   {"umask_777_mode_0777", 0777, 0777, 0},
    {"umask_027_mode_0751", 027, 0751, 0750}, {"umask_000_mode_0000", 0, 0, 0},
};
// open(2): the new file's permission bits are mode & ~umask. The umask is
// changed in a child so that the harness keeps its own.
TEST_P(openat, creat_mode_masked_by_umask, POSITIVE, PSE53, kUmaskModes,
       .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::D();
    EXPECT_CHILD_OK(kc::spawn(create_under_umask, const_cast<UmaskRow*>(&row)));
}

// open(2): the permission bits of a new file apply to later opens only; the
// creating open may write to a file it creates read-only.
TEST(openat, creat_readonly_mode_still_writable, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    long fd = sys::openat(fs::D(), "f", O_RDWR | O_CREAT | O_EXCL, 0);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "ok", 2), 2);
    sys::close(int(fd));
    EXPECT_EQ(fs::st("f").st_mode & 0777, 0);
    EXPECT_READ_DENIED(fs::open_ro(fs::D(), "f"), EACCES);
}

// open(2) EISDIR: a directory cannot be opened for writing, nor created over.
struct DirOpen {
    const char* label;
    int flags;
};
constexpr DirOpen kDirWrite[] = {
    {"wronly", O_WRONLY},
    {"rdwr", O_RDWR},
    {"creat_rdonly", O_RDONLY | O_CREAT},
    {"wronly_trunc", O_WRONLY | O_TRUNC},
};
TEST_P(openat, write_directory_eisdir, NEGATIVE, PSE52, kDirWrite, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    EXPECT_ERR(sys::openat(fs::D(), "d", row.flags, 0600), EISDIR);
}

// open(2) EISDIR (Linux): O_CREAT on a name with a trailing slash.
TEST(openat, creat_trailing_slash_eisdir, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(sys::openat(fs::D(), "new/", O_RDWR | O_CREAT, 0600), EISDIR);
    EXPECT_EQ(fs::exists("new"), false);
}

// open(2) ELOOP: a symlink that points to itself, or two that point at each
// other, cannot be resolved.
TEST(openat, symlink_loop_eloop, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("self", "self");
    fs::symlink("b", "a");
    fs::symlink("a", "b");
    EXPECT_ERR(sys::openat(fs::D(), "self", O_RDONLY), ELOOP);
    EXPECT_ERR(sys::openat(fs::D(), "a", O_RDONLY), ELOOP);
    EXPECT_ERR(sys::openat(fs::D(), "a", O_WRONLY | O_CREAT, 0600), ELOOP);
}

// path_resolution(7): at most 40 symlinks are followed in one lookup; a chain
// of 40 resolves, a chain of 41 fails with ELOOP.
struct ChainRow {
    const char* label;
    int links;
    int err;
};
constexpr ChainRow kChains[] = {{"links_1", 1, 0}, {"links_40", 40, 0}, {"links_41", 41, ELOOP}};
TEST_P(openat, symlink_chain_limit, BOUNDARY, LINUX, kChains, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("s0", "end");
    char name[8], target[8];
    for (int i = 1; i <= row.links; ++i) {
        rt::Fmt(target, sizeof target).c('s').d(i - 1).cstr();
        rt::Fmt(name, sizeof name).c('s').d(i).cstr();
        fs::symlink(target, name);
    }
    long r = fs::open_ro(fs::D(), name);
    // Linux counts the links of a lookup across its restarts: an RCU walk
    // that must start over (to update a fresh link's atime, under contention)
    // keeps the links it already followed, so a chain of 40 failed with ELOOP
    // once in a busy run. Asked again, the chain must resolve.
    for (int tries = 0; !row.err && r == -ELOOP && tries < 3; ++tries)
        r = fs::open_ro(fs::D(), name);
    if (row.err)
        EXPECT_ERR(r, row.err);
    else
        EXPECT_OK(r);
}

// NAME_MAX (255) and PATH_MAX (4096 with the NUL) on Linux: a 255-byte name
// can be created, 256 cannot; a 4095-byte path reaches the lookup (ENOENT),
// a 4096-byte one does not.
struct LenRow {
    const char* label;
    int len;
    bool path;
    int err;
};
constexpr LenRow kLengths[] = {
    {"name_255", 255, false, 0},
    {"name_256", 256, false, ENAMETOOLONG},
    {"path_4095", 4095, true, ENOENT},
    {"path_4096", 4096, true, ENAMETOOLONG},
};
TEST_P(openat, name_length_limits, BOUNDARY, PSE52, kLengths, .flags = kc::NEEDS_SCRATCH) {
    static char buf[PATH_MAX + 2];
    if (row.path)
        fs::long_path(buf, usize(row.len));
    else
        fs::fill(buf, usize(row.len));
    long fd = sys::openat(fs::D(), buf, O_WRONLY | O_CREAT, 0600);
    if (row.err) {
        EXPECT_ERR(fd, row.err);
    } else {
        ASSERT_OK(fd);
        sys::close(int(fd));
        EXPECT_TRUE(fs::exists(buf));
    }
}

// open(2) EACCES: the permission bits of the file decide (CAP_DAC_OVERRIDE
// passes; CAP_DAC_READ_SEARCH passes a read-only open).
struct PermRow {
    const char* label;
    u32 mode;
    int flags;
};
constexpr PermRow kPerms[] = {
    {"mode_0000_rdonly", 0, O_RDONLY},    {"mode_0000_wronly", 0, O_WRONLY},
    {"mode_0000_rdwr", 0, O_RDWR},        {"mode_0200_rdonly", 0200, O_RDONLY},
    {"mode_0400_wronly", 0400, O_WRONLY}, {"mode_0400_trunc", 0400, O_RDONLY | O_TRUNC},
    {"mode_0044_rdonly", 044, O_RDONLY},
};
TEST_P(openat, permission_denied_eacces, NEGATIVE, PSE52, kPerms, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "x", row.mode);
    // O_TRUNC asks for write permission too.
    bool read_only = (row.flags & O_ACCMODE) == O_RDONLY && !(row.flags & O_TRUNC);
    bool overridden = privilege::dac_override(read_only);
    long r = -1;
    // In the unprivileged child the call is refused, and a refused O_TRUNC
    // must not have truncated: the parent's check below sees the file whole.
    EXPECT_DENIED_UNLESS(overridden, r = sys::openat(fs::D(), "f", row.flags), EACCES);
    if (r >= 0) sys::close(int(r));
    if (!overridden || !(row.flags & O_TRUNC)) EXPECT_EQ(fs::st("f").st_size, 1);
}

// open(2) EACCES: search permission is needed on every directory of the
// prefix, and write permission on the parent to create.
TEST(openat, directory_permissions_eacces, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d", 0755);
    fs::touch("d/f");
    ASSERT_OK(sys::fchmodat(fs::D(), "d", 0644));  // no search
    EXPECT_READ_DENIED(fs::open_ro(fs::D(), "d/f"), EACCES);
    ASSERT_OK(sys::fchmodat(fs::D(), "d", 0555));  // no write
    long r = -1;
    EXPECT_DENIED(r = sys::openat(fs::D(), "d/new", O_WRONLY | O_CREAT, 0600), EACCES);
    if (r >= 0) sys::close(int(r));
}

// openat(2): a relative path is resolved from dirfd; an absolute path ignores
// dirfd even when it is not a valid descriptor.
TEST(openat, absolute_path_ignores_dirfd, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    long fd = sys::openat(-1, kc::scratch_path("f"), O_RDONLY);
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fst(int(fd)).st_ino, fs::st("f").st_ino);
    sys::close(int(fd));
}

// openat(2): with AT_FDCWD a relative path is resolved from the working
// directory (checked from a child that changes into the scratch directory).
TEST(openat, at_fdcwd_uses_cwd, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::touch("f", "cwd");
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            ASSERT_OK(sys::fchdir(fs::D()));
            long fd = sys::openat(AT_FDCWD, "f", O_RDONLY);
            ASSERT_OK(fd);
            EXPECT_EQ(fs::fst(int(fd)).st_size, 3);
            sys::close(int(fd));
        },
        nullptr));
}

// open(2) ignores unknown bits in flags (openat2 rejects them).
TEST(openat, unknown_flag_bits_ignored, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    long fd = sys::openat(fs::D(), "f", O_RDONLY | 0x40000000);
    ASSERT_OK(fd);
    sys::close(int(fd));
}
