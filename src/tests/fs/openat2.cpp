// SPDX-License-Identifier: MIT
// openat2(2): opening like openat with a zeroed struct open_how, the mode of
// a new file (open_how.mode less the umask), the strict argument checks
// (unknown flags or resolve bits, a mode without O_CREAT, sizes below
// version 0, nonzero bytes past the known struct), and the RESOLVE_*
// restrictions on the lookup.
// RESOLVE_NO_XDEV, RESOLVE_NO_MAGICLINKS and RESOLVE_CACHED: file_flags.cpp.
// Left out: the open flags themselves (open.cpp and open_lookup.cpp test them
// through openat).
#include "tests/fs/fs_util.hpp"

// openat2(2): with a zeroed how beyond flags it behaves like openat.
TEST(openat2, opens_like_openat, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "xyz");
    open_how how{u64(O_RDONLY), 0, 0};
    long fd = sys::openat2(fs::D(), "f", &how, sizeof how);
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fst(int(fd)).st_ino, fs::st("f").st_ino);
    sys::close(int(fd));
    how = {u64(O_WRONLY | O_CREAT | O_EXCL), 0640, 0};
    fd = sys::openat2(fs::D(), "new", &how, sizeof how);
    ASSERT_OK(fd);
    sys::close(int(fd));
    EXPECT_EQ(fs::st("new").st_mode & 0700, 0600);
}

// openat2(2): a new file's permission bits are open_how.mode & ~umask, as
// for openat. The umask is set in a child so that the harness keeps its own.
TEST(openat2, creat_mode_masked_by_umask, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::D();
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            sys::umask(027);
            open_how how{u64(O_WRONLY | O_CREAT | O_EXCL), 0751, 0};
            long fd = sys::openat2(fs::D(), "f", &how, sizeof how);
            ASSERT_OK(fd);
            EXPECT_EQ(fs::fst(int(fd)).st_mode & 07777, 0750);
            sys::close(int(fd));
        },
        nullptr));
}

// openat2(2) EINVAL/E2BIG: strict argument checks (unknown flags or resolve
// bits, mode without O_CREAT, size smaller than version 0, nonzero trailing
// bytes in a larger struct).
struct HowRow {
    const char* label;
    u64 flags;
    u64 mode;
    u64 resolve;
    usize size;
    int err;
};
constexpr HowRow kBadHow[] = {
    {"unknown_flag_bit", u64(O_RDONLY | 0x40000000), 0, 0, 24, EINVAL},
    {"unknown_resolve_bit", 0, 0, 0x1000, 24, EINVAL},
    {"mode_without_creat", u64(O_RDONLY), 0600, 0, 24, EINVAL},
    {"mode_above_07777", u64(O_RDWR | O_CREAT), 010000, 0, 24, EINVAL},
    {"size_zero", 0, 0, 0, 0, EINVAL},
    {"size_23", 0, 0, 0, 23, EINVAL},
    {"flags_above_32_bits", 1ull << 32, 0, 0, 24, EINVAL},
    {"beneath_and_in_root", 0, 0, RESOLVE_BENEATH | RESOLVE_IN_ROOT, 24, EINVAL},
    {"trailing_nonzero", 0, 0, 0, 32, E2BIG},
};
TEST_P(openat2, bad_how, NEGATIVE, LINUX, kBadHow, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    u64 how[4] = {row.flags, row.mode, row.resolve, 1};  // [3]: a trailing byte
    long r = sys::openat2(fs::D(), "f", reinterpret_cast<open_how*>(how), row.size);
    EXPECT_ERR(r, row.err);
    if (r >= 0) sys::close(int(r));
}

// openat2(2): a larger struct whose extra bytes are zero is accepted.
TEST(openat2, larger_zeroed_struct_ok, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    u64 how[4] = {u64(O_RDONLY), 0, 0, 0};
    long fd = sys::openat2(fs::D(), "f", reinterpret_cast<open_how*>(how), sizeof how);
    ASSERT_OK(fd);
    sys::close(int(fd));
}

// openat2(2) RESOLVE_*: symlinks refused with ELOOP, escapes from dirfd with
// EXDEV, absolute paths under RESOLVE_IN_ROOT resolved inside dirfd.
struct ResolveRow {
    const char* label;
    const char* path;
    u64 resolve;
    int err;  // 0: opens "d/f"
};
constexpr ResolveRow kResolve[] = {
    {"no_symlinks_last", "lf", RESOLVE_NO_SYMLINKS, ELOOP},
    {"no_symlinks_prefix", "ld/f", RESOLVE_NO_SYMLINKS, ELOOP},
    {"no_symlinks_plain_path", "d/f", RESOLVE_NO_SYMLINKS, 0},
    {"beneath_dotdot_escape", "../x", RESOLVE_BENEATH, EXDEV},
    {"beneath_absolute", "/", RESOLVE_BENEATH, EXDEV},
    {"beneath_dotdot_inside", "d/../d/f", RESOLVE_BENEATH, 0},
    {"in_root_absolute", "/d/f", RESOLVE_IN_ROOT, 0},
    {"in_root_dotdot_clamped", "../../d/f", RESOLVE_IN_ROOT, 0},
};
TEST_P(openat2, resolve_restrictions, POSITIVE, LINUX, kResolve, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::touch("d/f");
    fs::symlink("d/f", "lf");
    fs::symlink("d", "ld");
    open_how how{u64(O_RDONLY), 0, row.resolve};
    long fd = sys::openat2(fs::D(), row.path, &how, sizeof how);
    if (row.err) {
        EXPECT_ERR(fd, row.err);
        if (fd >= 0) sys::close(int(fd));
        return;
    }
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fst(int(fd)).st_ino, fs::st("d/f").st_ino);
    sys::close(int(fd));
}
