// SPDX-License-Identifier: MIT
// lsetxattr(2), lgetxattr(2), llistxattr(2), lremovexattr(2): on a regular
// file they act as the path calls (same value, flag and list rows); on a
// symlink they act on the link itself, where user.* is refused (EPERM on
// write, ENODATA on read) and trusted.* is allowed with CAP_SYS_ADMIN; path
// errors.
// Linux-only interface: profile LINUX.
// Left out: security.* labels on symlinks (LSM-dependent).
#include "tests/xattr/xattr_util.hpp"

using namespace xattr;

namespace {
constexpr int S = kc::NEEDS_SCRATCH;

// Regular file "f" holding user.t = "tgt", and symlink "s" to it.
int link_fixture() {
    int fd = file("f");
    ASSERT_RET(sys::fsetxattr(fd, "user.t", "tgt", 3, 0), 0);
    ASSERT_OK(sys::symlinkat("f", D(), "s"));
    return fd;
}
}  // namespace

// lsetxattr(2): identical to setxattr(2) on anything but a symlink.
TEST_P(lsetxattr, value_round_trip, POSITIVE, LINUX, kValues, .flags = S) {
    value_round_trip(LINK, row);
}
TEST_P(lsetxattr, create_replace_flags, BOUNDARY, LINUX, kFlags, .flags = S) {
    flag_rule(LINK, row);
}
TEST_P(lsetxattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) { name_rule(LINK, SET, row); }
TEST_P(lsetxattr, value_too_big_e2big, BOUNDARY, LINUX, kTooBig, .flags = S) { too_big(LINK, row); }
TEST(llistxattr, names_listed_once, POSITIVE, LINUX, .flags = S) { names_listed_once(LINK); }
TEST(lgetxattr, small_buffer_erange, BOUNDARY, LINUX, .flags = S) { small_buffer(LINK); }

// lsetxattr(2) acts on the link; xattr(7): user.* is for regular files and
// directories only, so a symlink refuses it with EPERM; the target is untouched.
TEST(lsetxattr, symlink_user_eperm, NEGATIVE, LINUX, .flags = S) {
    int fd = link_fixture();
    const char* s = path("s");
    char out[8];
    EXPECT_ERR(sys::lsetxattr(s, "user.n", "v", 1, 0), EPERM);
    EXPECT_ERR(sys::lsetxattr(s, "user.t", "v", 1, XATTR_REPLACE), EPERM);
    EXPECT_ERR(sys::fgetxattr(fd, "user.n", out, sizeof out), ENODATA);
    EXPECT_RET(sys::fgetxattr(fd, "user.t", out, sizeof out), 3);
    sys::close(fd);
}

// lremovexattr(2) on a symlink: EPERM for user.*; the target keeps its value.
TEST(lremovexattr, symlink_user_eperm, NEGATIVE, LINUX, .flags = S) {
    int fd = link_fixture();
    char out[8];
    EXPECT_ERR(sys::lremovexattr(path("s"), "user.t"), EPERM);
    EXPECT_RET(sys::fgetxattr(fd, "user.t", out, sizeof out), 3);
    sys::close(fd);
}

// lgetxattr(2) reads the link's own attributes: ENODATA where getxattr(2),
// which follows the link, finds the target's value.
TEST(lgetxattr, symlink_not_followed, POSITIVE, LINUX, .flags = S) {
    int fd = link_fixture();
    const char* s = path("s");
    char out[8];
    EXPECT_ERR(sys::lgetxattr(s, "user.t", out, sizeof out), ENODATA);
    EXPECT_RET(sys::getxattr(s, "user.t", out, sizeof out), 3);
    EXPECT_MEM_EQ(out, "tgt", 3);
    sys::close(fd);
}

// llistxattr(2) lists the link's names, not the target's.
TEST(llistxattr, symlink_not_followed, POSITIVE, LINUX, .flags = S) {
    int fd = link_fixture();
    const char* s = path("s");
    char out[256];
    long n = sys::llistxattr(s, out, sizeof out);
    EXPECT_GE(n, 0);
    EXPECT_EQ(count_user(out, n), 0);
    EXPECT_EQ(count(out, sys::listxattr(s, out, sizeof out), "user.t"), 1);
    sys::close(fd);
}

// A dangling symlink is an object of its own for the l* calls: no user.*
// attributes to read (ENODATA) or write (EPERM), an empty user.* list.
TEST(lgetxattr, dangling_symlink_enodata, NEGATIVE, LINUX, .flags = S) {
    sys::close(file("f"));
    ASSERT_OK(sys::symlinkat("nowhere", D(), "s"));
    const char* s = path("s");
    char out[256];
    EXPECT_ERR(sys::lgetxattr(s, "user.a", out, sizeof out), ENODATA);
    EXPECT_ERR(sys::lsetxattr(s, "user.a", "v", 1, 0), EPERM);
    EXPECT_ERR(sys::lremovexattr(s, "user.a"), EPERM);
    long n = sys::llistxattr(s, out, sizeof out);
    EXPECT_GE(n, 0);
    EXPECT_EQ(count_user(out, n), 0);
}

// xattr(7): trusted.* is not limited to files and directories: a process
// with CAP_SYS_ADMIN (in the initial user namespace: xattr_permission uses
// capable()) can set it on the symlink itself, and the target does not see
// it. (The ID says "root", after the privilege this once was decided by.)
TEST(lsetxattr, symlink_trusted_root, POSITIVE, LINUX, .flags = S) {
    kc::require_cap(CAP_SYS_ADMIN);
    int fd = link_fixture();
    const char* s = path("s");
    char out[256];
    long r = sys::lsetxattr(s, "trusted.kc", "sym", 3, 0);
    if (r == -EOPNOTSUPP) {
        sys::close(fd);
        kc::skip("scratch file system has no trusted.* xattrs (EOPNOTSUPP)");
    }
    ASSERT_RET(r, 0);
    EXPECT_RET(sys::lgetxattr(s, "trusted.kc", out, sizeof out), 3);
    EXPECT_MEM_EQ(out, "sym", 3);
    EXPECT_EQ(count(out, sys::llistxattr(s, out, sizeof out), "trusted.kc"), 1);
    EXPECT_ERR(sys::getxattr(s, "trusted.kc", out, sizeof out), ENODATA);
    EXPECT_ERR(sys::fgetxattr(fd, "trusted.kc", out, sizeof out), ENODATA);
    EXPECT_RET(sys::lremovexattr(s, "trusted.kc"), 0);
    EXPECT_ERR(sys::lgetxattr(s, "trusted.kc", out, sizeof out), ENODATA);
    sys::close(fd);
}

// Path resolution errors; an intermediate symlink is still followed (ELOOP).
TEST_P(lsetxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    EXPECT_ERR(sys::lsetxattr(bad_path(row), "user.a", "v", 1, 0), row.err);
}
TEST_P(lgetxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    char out[4];
    EXPECT_ERR(sys::lgetxattr(bad_path(row), "user.a", out, sizeof out), row.err);
}
TEST_P(llistxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    char out[64];
    EXPECT_ERR(sys::llistxattr(bad_path(row), out, sizeof out), row.err);
}
TEST_P(lremovexattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    EXPECT_ERR(sys::lremovexattr(bad_path(row), "user.a"), row.err);
}
