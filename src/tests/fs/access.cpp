// SPDX-License-Identifier: MIT
// faccessat(2), faccessat2(2), access(2): F_OK/R_OK/W_OK/X_OK against the
// owner's permission bits (with and without the capabilities that override
// them), directories, symlinks, AT_EACCESS (real vs effective uid),
// AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, and the checks of mode and flags. The
// legacy access(2) entry point (x86-64) runs the same cases as faccessat.
// Left out: EROFS and ETXTBSY (need a read-only mount or a running binary in
// scratch), ACLs.
#include "tests/fs/fs_util.hpp"

namespace {

// One permission case: `mode` on a regular file "f" (or directory "d"),
// asked `amode`; the result for the owner, and for the owner whose
// capabilities override the permission bits.
struct AccessRow {
    const char* label;
    u32 mode;
    int amode;
    int user_err;  // 0: allowed
    int override_err;
    bool dir;
};
constexpr AccessRow kAccess[] = {
    {"rw_r_r_read", 0644, R_OK, 0, 0, false},
    {"rw_r_r_write", 0644, W_OK, 0, 0, false},
    {"rw_r_r_exec_none_anywhere", 0644, X_OK, EACCES, EACCES, false},
    {"rw_r_r_read_write", 0644, R_OK | W_OK, 0, 0, false},
    {"rwx_all_three", 0755, R_OK | W_OK | X_OK, 0, 0, false},
    {"r_only_write", 0400, W_OK, EACCES, 0, false},
    {"w_only_read", 0200, R_OK, EACCES, 0, false},
    {"none_read", 0000, R_OK, EACCES, 0, false},
    {"none_exists", 0000, F_OK, 0, 0, false},
    {"owner_x_exec", 0100, X_OK, 0, 0, false},
    {"other_x_only_exec", 0001, X_OK, EACCES, 0, false},
    {"group_rwx_owner_none", 0070, R_OK, EACCES, 0, false},
    {"r_r_r_read_write", 0444, R_OK | W_OK, EACCES, 0, false},
    {"dir_none_search", 0000, X_OK, EACCES, 0, true},
    {"dir_rw_search", 0600, X_OK, EACCES, 0, true},
    {"dir_rwx_write", 0700, W_OK, 0, 0, true},
};

void setup(const AccessRow& row) {
    if (row.dir)
        fs::mkdir("d", row.mode);
    else
        fs::touch("f", nullptr, row.mode);
}

long access_rel(int d, const char* p) { return sys::faccessat(d, p, F_OK); }
// faccessat relative to the scratch directory, or access(2) by absolute path.
long access_by(fs::Entry e, const char* name, int amode) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::faccessat(fs::D(), p, amode) : sys::access(p, amode);
}

// Whether capabilities override the bits for access(2) and faccessat without
// AT_EACCESS: they check as the real uid, with the permitted capabilities
// when that is uid 0 of this user namespace and with none otherwise
// (access_override_creds in fs/open.c). The permitted set holds the effective
// one that the probe saw.
bool access_override(int amode, bool dir) {
    bool read_search = !(amode & W_OK) && (dir || amode == R_OK);
    return sys::getuid() == 0 && privilege::dac_override(read_search);
}
int access_want(const AccessRow& row) {
    return access_override(row.amode, row.dir) ? row.override_err : row.user_err;
}

}  // namespace

// access(2): the owner class of the permission bits decides for the owner;
// CAP_DAC_OVERRIDE passes R_OK and W_OK always, and X_OK when any execute bit
// is set (always for directories); CAP_DAC_READ_SEARCH passes R_OK, and X_OK
// on directories.
TEST_P_ENTRIES(faccessat, access, permission_bits, POSITIVE, PSE52, kAccess,
               .flags = kc::NEEDS_SCRATCH) {
    setup(row);
    int want = access_want(row);
    long r = access_by(entry, row.dir ? "d" : "f", row.amode);
    if (want)
        EXPECT_ERR(r, want);
    else
        EXPECT_RET(r, 0);
}

// The same checks through faccessat2 with flags 0.
TEST_P(faccessat2, permission_bits, POSITIVE, LINUX, kAccess, .flags = kc::NEEDS_SCRATCH) {
    setup(row);
    int want = access_want(row);
    long r = sys::faccessat2(fs::D(), row.dir ? "d" : "f", row.amode, 0);
    if (want)
        EXPECT_ERR(r, want);
    else
        EXPECT_RET(r, 0);
}

// access(2) EINVAL: mode has bits other than R_OK|W_OK|X_OK.
struct ModeRow {
    const char* label;
    int mode;
};
constexpr ModeRow kBadModes[] = {
    {"bit_3", 8}, {"bit_4", 0x10}, {"minus_1", -1}, {"rwx_and_bit_8", 7 | 0x100}};
TEST_P_ENTRIES(faccessat, access, bad_mode_einval, NEGATIVE, PSE52, kBadModes,
               .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(access_by(entry, "f", row.mode), EINVAL);
}

// faccessat2(2) EINVAL: a bad mode, or flags other than AT_EACCESS,
// AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
struct Fa2Bad {
    const char* label;
    int mode;
    int flags;
};
constexpr Fa2Bad kFa2Bad[] = {
    {"mode_bit_3", 8, 0},
    {"flag_bit_0", F_OK, 1},
    {"flag_symlink_follow", F_OK, AT_SYMLINK_FOLLOW},
    {"flag_no_automount", F_OK, AT_NO_AUTOMOUNT},
    {"flag_bit_31", F_OK, int(0x80000000u)},
};
TEST_P(faccessat2, bad_arguments_einval, NEGATIVE, LINUX, kFa2Bad, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::faccessat2(fs::D(), "f", row.mode, row.flags), EINVAL);
}

// access(2): the lookup errors of path resolution.
TEST_P(faccessat, bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, access_rel);
}

// access(2), legacy call: the lookup errors of path resolution.
TEST_P(access, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(access);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::access(p, F_OK); }, true);
}

// faccessat2(2): the lookup errors of path resolution.
TEST_P(faccessat2, bad_path, NEGATIVE, LINUX, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, [](int d, const char* p) { return sys::faccessat2(d, p, F_OK, 0); });
}

// access(2): a symlink is followed; a dangling one is ENOENT.
TEST_ENTRIES(faccessat, access, follows_symlinks, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", nullptr, 0400);
    fs::symlink("f", "link");
    fs::symlink("nowhere", "dangling");
    EXPECT_RET(access_by(entry, "link", R_OK), 0);
    EXPECT_DENIED_UNLESS(access_override(W_OK, false), access_by(entry, "link", W_OK), EACCES);
    EXPECT_ERR(access_by(entry, "dangling", F_OK), ENOENT);
}

// faccessat2(2) AT_SYMLINK_NOFOLLOW: the symlink itself is checked, so a
// dangling one exists.
TEST(faccessat2, symlink_nofollow, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("nowhere", "dangling");
    EXPECT_RET(sys::faccessat2(fs::D(), "dangling", F_OK, AT_SYMLINK_NOFOLLOW), 0);
    EXPECT_ERR(sys::faccessat2(fs::D(), "dangling", F_OK, 0), ENOENT);
}

// faccessat2(2) AT_EMPTY_PATH: an empty path checks dirfd itself.
TEST(faccessat2, empty_path_checks_fd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", nullptr, 0500);
    EXPECT_RET(sys::faccessat2(fd, "", R_OK | X_OK, AT_EMPTY_PATH), 0);
    EXPECT_DENIED_UNLESS(access_override(W_OK, false), sys::faccessat2(fd, "", W_OK, AT_EMPTY_PATH),
                         EACCES);
    EXPECT_ERR(sys::faccessat2(fd, "", F_OK, 0), ENOENT);
    sys::close(fd);
}

namespace {
struct RealArgs {
    int fd;
    u32 uid;
};
// The owner's child with real uid kc::other_uid() (the effective uid stays
// the owner's): the check uses the real uid, which is neither the owner nor
// uid 0 (so it has no capabilities), unless AT_EACCESS. fd-based
// (AT_EMPTY_PATH) so that the scratch path (mode 0700) does not get in the
// way.
void real_vs_effective(void* arg) {
    const RealArgs& a = *static_cast<RealArgs*>(arg);
    u32 e = u32(sys::geteuid());
    ASSERT_OK(sys::setresuid(a.uid, e, e));
    EXPECT_ERR(sys::faccessat2(a.fd, "", R_OK, AT_EMPTY_PATH), EACCES);
    EXPECT_RET(sys::faccessat2(a.fd, "", R_OK, AT_EMPTY_PATH | AT_EACCESS), 0);
    EXPECT_RET(sys::faccessat2(a.fd, "", F_OK, AT_EMPTY_PATH), 0);
}
}  // namespace

// access(2): checks use the real uid; faccessat AT_EACCESS uses the
// effective uid (a child with another real uid, on its own file of mode
// 0600).
TEST(faccessat2, eaccess_uses_effective_uid, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    RealArgs a = {-1, kc::other_uid()};
    a.fd = fs::create("f", nullptr, 0600);
    EXPECT_CHILD_OK(kc::spawn(real_vs_effective, &a));
    sys::close(a.fd);
}

// access(2) EACCES: search permission on the path prefix (capabilities that
// override it pass, as access(2) sees them; a child without capabilities
// is refused).
TEST_ENTRIES(faccessat, access, no_search_permission_eacces, NEGATIVE, PSE53,
             .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::touch("d/f");
    ASSERT_OK(sys::fchmodat(fs::D(), "d", 0600));
    EXPECT_DENIED_UNLESS(access_override(X_OK, true), access_by(entry, "d/f", F_OK), EACCES);
    fs::as_unprivileged(
        [](void* e) { EXPECT_ERR(access_by(*static_cast<fs::Entry*>(e), "d/f", F_OK), EACCES); },
        &entry);
}

// access(2), legacy call: the same checks by absolute path.
TEST(access, checks_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(access);
    fs::touch("f", nullptr, 0600);
    EXPECT_RET(sys::access(kc::scratch_path("f"), R_OK | W_OK), 0);
    EXPECT_ERR(sys::access(kc::scratch_path("f"), X_OK), EACCES);
    EXPECT_ERR(sys::access(kc::scratch_path("missing"), F_OK), ENOENT);
    EXPECT_ERR(sys::access(kc::scratch_path("f"), 8), EINVAL);
}
