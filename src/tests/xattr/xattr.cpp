// SPDX-License-Identifier: MIT
// setxattr(2), getxattr(2), listxattr(2), removexattr(2) by path: values
// (binary, empty, up to XATTR_SIZE_MAX and past it), XATTR_CREATE/REPLACE,
// name rules, list format and sizes, ERANGE buffers, symlinks followed,
// special files, permissions, trusted.* with and without CAP_SYS_ADMIN, the
// life of attributes across rename, link and unlink, path errors, EFAULT.
// All of it is Linux (xattrs are not in POSIX): profile LINUX.
// Left out: security.* and system.* (ACLs) namespaces, which depend on the
// LSM and the file system; EROFS and EDQUOT (need a read-only mount / quotas).
#include "tests/xattr/xattr_util.hpp"

using namespace xattr;

namespace {
constexpr int S = kc::NEEDS_SCRATCH;
}

// xattr(7): a value is an arbitrary byte string; getxattr returns it intact.
TEST_P(setxattr, value_round_trip, POSITIVE, LINUX, kValues, .flags = S) {
    value_round_trip(PATH, row);
}
// setxattr(2) FLAGS: XATTR_CREATE fails with EEXIST, XATTR_REPLACE with ENODATA.
TEST_P(setxattr, create_replace_flags, BOUNDARY, LINUX, kFlags, .flags = S) {
    flag_rule(PATH, row);
}
// setxattr(2) ERRORS: ERANGE for a too long or empty name, EOPNOTSUPP for an
// unknown namespace; Linux returns EINVAL for a bare prefix ("user.").
TEST_P(setxattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) { name_rule(PATH, SET, row); }
TEST_P(getxattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) { name_rule(PATH, GET, row); }
TEST_P(removexattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) {
    name_rule(PATH, REMOVE, row);
}
// setxattr(2) ERRORS: E2BIG when the value exceeds XATTR_SIZE_MAX (xattr(7)).
TEST_P(setxattr, value_too_big_e2big, BOUNDARY, LINUX, kTooBig, .flags = S) { too_big(PATH, row); }
// xattr(7): values up to XATTR_SIZE_MAX (65536) bytes where the fs allows.
TEST(setxattr, value_64k_max, BOUNDARY, LINUX, .flags = S) { max_value(PATH); }
// listxattr(2): NUL-separated names, size query with size 0, ERANGE when short.
TEST(listxattr, names_listed_once, POSITIVE, LINUX, .flags = S) { names_listed_once(PATH); }
// getxattr(2): size 0 returns the size; ERANGE when the buffer is too small.
TEST(getxattr, small_buffer_erange, BOUNDARY, LINUX, .flags = S) { small_buffer(PATH); }

// setxattr(2): value NULL with size 0 creates an empty attribute (Linux
// substitutes "" so that it is not taken for a removal).
TEST(setxattr, null_value_size_0_empty, BOUNDARY, LINUX, .flags = S) {
    Target t = target(PATH);
    ASSERT_RET(set(t, "user.e", nullptr, 0), 0);
    char out[4];
    EXPECT_RET(get(t, "user.e", out, sizeof out), 0);
    char l[256];
    EXPECT_EQ(count(l, list(t, l, sizeof l), "user.e"), 1);
    sys::close(t.fd);
}

// setxattr(2): a second set without flags replaces the value, also by a
// shorter one; the size follows the new value.
TEST(setxattr, replace_shorter_value, POSITIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[16];
    ASSERT_RET(set(t, "user.r", "0123456789", 10), 0);
    ASSERT_RET(set(t, "user.r", "ab", 2), 0);
    EXPECT_RET(get(t, "user.r", out, sizeof out), 2);
    EXPECT_MEM_EQ(out, "ab", 2);
    sys::close(t.fd);
}

// getxattr(2) ERRORS: ENODATA when the named attribute does not exist.
TEST(getxattr, missing_enodata, NEGATIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[4];
    EXPECT_ERR(get(t, "user.none", out, sizeof out), ENODATA);
    EXPECT_ERR(get(t, "user.none", nullptr, 0), ENODATA);
    sys::close(t.fd);
}

// Linux clamps a getxattr/listxattr size above 64 KiB to 64 KiB: a huge size
// with a small result is not an error.
TEST(getxattr, huge_size_clamped, BOUNDARY, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[16];
    ASSERT_RET(set(t, "user.h", "hi", 2), 0);
    EXPECT_RET(get(t, "user.h", out, ~usize(0)), 2);
    EXPECT_MEM_EQ(out, "hi", 2);
    long n = list(t, out, ~usize(0));
    EXPECT_EQ(count(out, n, "user.h"), 1);
    sys::close(t.fd);
}

// removexattr(2): the attribute is gone (get: ENODATA), a second removal and
// a removal of a never-set name fail with ENODATA.
TEST(removexattr, then_get_enodata, POSITIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[4];
    ASSERT_RET(set(t, "user.g", "v", 1), 0);
    EXPECT_RET(remove(t, "user.g"), 0);
    EXPECT_ERR(get(t, "user.g", out, sizeof out), ENODATA);
    EXPECT_EQ(count_user(out, list(t, out, sizeof out)), 0);
    EXPECT_ERR(remove(t, "user.g"), ENODATA);
    EXPECT_ERR(remove(t, "user.never"), ENODATA);
    sys::close(t.fd);
}

// listxattr(2): a fresh file has no user.* names; 100 attributes on one file
// are each listed exactly once, and the size query matches.
TEST(listxattr, hundred_attributes, BOUNDARY, LINUX, .flags = S) {
    Target t = target(PATH);
    char l[2048], nm[16];
    EXPECT_EQ(count_user(l, list(t, l, sizeof l)), 0);
    for (int i = 0; i < 100; ++i) ASSERT_RET(set(t, num_name(nm, i), nm + 6, 3), 0);
    long n = list(t, l, sizeof l);
    EXPECT_EQ(n, list(t, nullptr, 0));
    EXPECT_EQ(count_user(l, n), 100);
    int once = 0;
    for (int i = 0; i < 100; ++i) once += count(l, n, num_name(nm, i)) == 1;
    EXPECT_EQ(once, 100);
    char v[4];
    EXPECT_RET(get(t, num_name(nm, 57), v, sizeof v), 3);
    EXPECT_MEM_EQ(v, "057", 3);
    sys::close(t.fd);
}

// xattr(7): directories carry user.* attributes like regular files.
TEST(setxattr, directory_round_trip, POSITIVE, LINUX, .flags = S) {
    sys::close(file("f"));
    ASSERT_OK(sys::mkdirat(D(), "d", 0755));
    const char* d = path("d");
    char out[8];
    ASSERT_RET(sys::setxattr(d, "user.d", "dir", 3, 0), 0);
    EXPECT_RET(sys::getxattr(d, "user.d", out, sizeof out), 3);
    EXPECT_MEM_EQ(out, "dir", 3);
    EXPECT_RET(sys::removexattr(d, "user.d"), 0);
}

// xattr(7): user.* attributes exist only on regular files and directories;
// on a FIFO or socket file setting fails with EPERM and reading finds none.
struct Special {
    const char* label;
    u32 type;
};
constexpr Special kSpecial[] = {{"fifo", S_IFIFO}, {"socket", S_IFSOCK}};
TEST_P(setxattr, special_file_user_eperm, NEGATIVE, LINUX, kSpecial, .flags = S) {
    sys::close(file("f"));
    ASSERT_OK(sys::mknodat(D(), "p", row.type | 0666, 0));
    const char* p = path("p");
    char out[256];
    EXPECT_ERR(sys::setxattr(p, "user.a", "v", 1, 0), EPERM);
    EXPECT_ERR(sys::getxattr(p, "user.a", out, sizeof out), ENODATA);
    EXPECT_ERR(sys::removexattr(p, "user.a"), EPERM);
    EXPECT_EQ(count_user(out, sys::listxattr(p, out, sizeof out)), 0);
}

// setxattr(2) follows a symlink: the target gets the attribute.
TEST(setxattr, follows_symlink, POSITIVE, LINUX, .flags = S) {
    int fd = file("f");
    ASSERT_OK(sys::symlinkat("f", D(), "s"));
    const char* s = path("s");
    char out[8];
    ASSERT_RET(sys::setxattr(s, "user.l", "tgt", 3, 0), 0);
    EXPECT_RET(sys::fgetxattr(fd, "user.l", out, sizeof out), 3);
    EXPECT_RET(sys::getxattr(s, "user.l", out, sizeof out), 3);
    EXPECT_EQ(count(out, sys::listxattr(s, out, sizeof out), "user.l"), 1);
    EXPECT_RET(sys::removexattr(s, "user.l"), 0);
    EXPECT_ERR(sys::fgetxattr(fd, "user.l", out, sizeof out), ENODATA);
    sys::close(fd);
}

// Through a dangling symlink the plain calls fail with ENOENT.
TEST(getxattr, dangling_symlink_enoent, NEGATIVE, LINUX, .flags = S) {
    sys::close(file("f"));
    ASSERT_OK(sys::symlinkat("nowhere", D(), "s"));
    const char* s = path("s");
    char out[8];
    EXPECT_ERR(sys::setxattr(s, "user.a", "v", 1, 0), ENOENT);
    EXPECT_ERR(sys::getxattr(s, "user.a", out, sizeof out), ENOENT);
    EXPECT_ERR(sys::listxattr(s, out, sizeof out), ENOENT);
    EXPECT_ERR(sys::removexattr(s, "user.a"), ENOENT);
}

// xattr(7): attributes belong to the inode: they survive rename.
TEST(setxattr, survives_rename, POSITIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[8];
    // renameat2: every architecture has it (riscv64 has no renameat).
    if (EXPECT_RET(set(t, "user.m", "move", 4), 0) &&
        EXPECT_OK(sys::renameat2(D(), "f", D(), "g", 0))) {
        EXPECT_RET(sys::getxattr(path("g", 1), "user.m", out, sizeof out), 4);
        EXPECT_MEM_EQ(out, "move", 4);
        EXPECT_ERR(get(t, "user.m", out, sizeof out), ENOENT);
    }
    sys::close(t.fd);
}

// A hard link names the same inode: set through one name, seen and removed
// through the other.
TEST(setxattr, shared_by_hard_link, POSITIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    ASSERT_OK(sys::linkat(D(), "f", D(), "g", 0));
    const char* g = path("g", 1);
    char out[8];
    ASSERT_RET(set(t, "user.h", "link", 4), 0);
    EXPECT_RET(sys::getxattr(g, "user.h", out, sizeof out), 4);
    EXPECT_MEM_EQ(out, "link", 4);
    EXPECT_RET(sys::removexattr(g, "user.h"), 0);
    EXPECT_ERR(get(t, "user.h", out, sizeof out), ENODATA);
    sys::close(t.fd);
}

// Attributes go with the inode: an open fd of the unlinked file still reads
// them, and a new file under the old name starts without them.
TEST(setxattr, removed_with_file, POSITIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[8];
    ASSERT_RET(set(t, "user.u", "gone", 4), 0);
    ASSERT_OK(sys::unlinkat(D(), "f", 0));
    EXPECT_RET(sys::fgetxattr(t.fd, "user.u", out, sizeof out), 4);
    int fd2 = file("f");
    EXPECT_ERR(sys::getxattr(t.path, "user.u", out, sizeof out), ENODATA);
    sys::close(fd2);
    sys::close(t.fd);
}

// Permission: writing a user.* attribute needs write permission on the file
// (EACCES), reading needs read permission (xattr(7)); the capabilities that
// override the permission bits pass (CAP_DAC_OVERRIDE both,
// CAP_DAC_READ_SEARCH reading).
TEST(setxattr, no_write_permission_eacces, NEGATIVE, LINUX, .flags = S) {
    Target t = target(PATH, 0444);
    long r = set(t, "user.p", "v", 1);
    if (privilege::dac_override(false))
        EXPECT_RET(r, 0);
    else
        EXPECT_ERR(r, EACCES);
    sys::close(t.fd);
}
TEST(getxattr, no_read_permission_eacces, NEGATIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    ASSERT_RET(set(t, "user.p", "v", 1), 0);
    ASSERT_OK(sys::fchmod(t.fd, 0200));
    char out[4];
    long r = get(t, "user.p", out, sizeof out);
    if (privilege::dac_override(true))
        EXPECT_RET(r, 1);
    else
        EXPECT_ERR(r, EACCES);
    sys::close(t.fd);
}

// xattr(7): trusted.* needs CAP_SYS_ADMIN, which xattr_permission checks
// in the initial user namespace (capable()): with it a process sets, reads
// and lists it; others get EPERM on set and ENODATA on get.
TEST(setxattr, trusted_needs_cap_sys_admin, NEGATIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    char out[256];
    long r = set(t, "trusted.kc", "t", 1);
    if (kc::cap_usable(CAP_SYS_ADMIN)) {
        EXPECT_RET(r, 0);
        EXPECT_RET(get(t, "trusted.kc", out, sizeof out), 1);
        EXPECT_EQ(count(out, list(t, out, sizeof out), "trusted.kc"), 1);
        EXPECT_RET(remove(t, "trusted.kc"), 0);
    } else {
        EXPECT_ERR(r, EPERM);
        EXPECT_ERR(get(t, "trusted.kc", out, sizeof out), ENODATA);
        EXPECT_ERR(remove(t, "trusted.kc"), EPERM);
    }
    sys::close(t.fd);
}

// A child that became another user, without capabilities, works on its
// parent's 0644 file through an inherited fd: trusted.* is absent from its
// list and reads as ENODATA, user.* is listed and readable, writing either is
// refused.
static void as_other_user(void* arg) {
    int fd = *static_cast<int*>(arg);
    ASSERT_TRUE(kc::become_other_user());
    char out[256];
    long n = sys::flistxattr(fd, out, sizeof out);
    EXPECT_EQ(count(out, n, "trusted.kc"), 0);
    EXPECT_EQ(count(out, n, "user.kc"), 1);
    EXPECT_ERR(sys::fgetxattr(fd, "trusted.kc", out, sizeof out), ENODATA);
    EXPECT_RET(sys::fgetxattr(fd, "user.kc", out, sizeof out), 1);
    EXPECT_ERR(sys::fsetxattr(fd, "trusted.kc", "x", 1, 0), EPERM);
    EXPECT_ERR(sys::fsetxattr(fd, "user.kc", "x", 1, 0), EACCES);
    EXPECT_ERR(sys::fremovexattr(fd, "user.kc"), EACCES);
}
// listxattr(2)/xattr(7): trusted.* names are listed only for CAP_SYS_ADMIN.
TEST(flistxattr, trusted_hidden_from_user, NEGATIVE, LINUX, .flags = S | kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_ADMIN);  // to set trusted.kc
    kc::require_other_user();
    int fd = file("f", 0644);
    ASSERT_RET(sys::fsetxattr(fd, "trusted.kc", "t", 1, 0), 0);
    ASSERT_RET(sys::fsetxattr(fd, "user.kc", "u", 1, 0), 0);
    EXPECT_CHILD_OK(kc::spawn(as_other_user, &fd));
    char out[4];
    EXPECT_RET(sys::fgetxattr(fd, "user.kc", out, sizeof out), 1);
    EXPECT_EQ(out[0], 'u');
    sys::close(fd);
}

// Path resolution errors (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG) of each call.
TEST_P(setxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    EXPECT_ERR(sys::setxattr(bad_path(row), "user.a", "v", 1, 0), row.err);
}
TEST_P(getxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    char out[4];
    EXPECT_ERR(sys::getxattr(bad_path(row), "user.a", out, sizeof out), row.err);
}
TEST_P(listxattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    char out[64];
    EXPECT_ERR(sys::listxattr(bad_path(row), out, sizeof out), row.err);
}
TEST_P(removexattr, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    EXPECT_ERR(sys::removexattr(bad_path(row), "user.a"), row.err);
}

// EFAULT: path, name or value outside the address space.
enum Arg : u8 { A_PATH, A_NAME, A_VALUE };
struct FaultRow {
    const char* label;
    Arg arg;
};
constexpr FaultRow kFault3[] = {{"path", A_PATH}, {"name", A_NAME}, {"value", A_VALUE}};
constexpr FaultRow kFaultPV[] = {{"path", A_PATH}, {"list", A_VALUE}};
constexpr FaultRow kFaultPN[] = {{"path", A_PATH}, {"name", A_NAME}};
struct Fault {
    const char* p;
    const char* n;
    char* v;
};
static Fault fault_args(const FaultRow& row) {
    int fd = file("f");
    ASSERT_RET(sys::fsetxattr(fd, "user.a", "v", 1, 0), 0);
    sys::close(fd);
    static char buf[64];
    return {row.arg == A_PATH ? kBad : path("f"), row.arg == A_NAME ? kBad : "user.a",
            row.arg == A_VALUE ? kBad : buf};
}
TEST_P(setxattr, bad_pointer_efault, NEGATIVE, LINUX, kFault3, .flags = S) {
    Fault a = fault_args(row);
    EXPECT_ERR(sys::setxattr(a.p, a.n, a.v, 1, 0), EFAULT);
}
TEST_P(getxattr, bad_pointer_efault, NEGATIVE, LINUX, kFault3, .flags = S) {
    Fault a = fault_args(row);
    EXPECT_ERR(sys::getxattr(a.p, a.n, a.v, 64), EFAULT);
}
TEST_P(listxattr, bad_pointer_efault, NEGATIVE, LINUX, kFaultPV, .flags = S) {
    Fault a = fault_args(row);
    EXPECT_ERR(sys::listxattr(a.p, a.v, 64), EFAULT);
}
TEST_P(removexattr, bad_pointer_efault, NEGATIVE, LINUX, kFaultPN, .flags = S) {
    Fault a = fault_args(row);
    EXPECT_ERR(sys::removexattr(a.p, a.n), EFAULT);
}
// setxattr(2): a NULL value with a non-zero size is a bad address.
TEST(setxattr, null_value_nonzero_size_efault, NEGATIVE, LINUX, .flags = S) {
    Target t = target(PATH);
    EXPECT_ERR(set(t, "user.n", nullptr, 4), EFAULT);
    EXPECT_ERR(get(t, "user.n", nullptr, 0), ENODATA);
    sys::close(t.fd);
}
