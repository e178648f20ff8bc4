// SPDX-License-Identifier: MIT
// setxattrat(2), getxattrat(2), listxattrat(2), removexattrat(2) (Linux
// 6.13): the extended-attribute calls relative to a directory descriptor,
// with AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH, and (set/get) the value, size
// and flags in an extensible struct xattr_args. No man page in man-pages
// 6.03; the contract is fs/xattr.c (quoted as "xattr.c") and xattr(7) for
// what the four calls share with setxattr(2) and its family.
// Covered: user.* attributes on a scratch file reached by dirfd + path, by
// AT_EMPTY_PATH on its descriptor and through a symlink (followed or not);
// XATTR_CREATE/XATTR_REPLACE; the size query and ERANGE; the xattr_args
// size rules (below 16 bytes EINVAL, above a page E2BIG, a larger struct
// with non-zero bytes past the known ones E2BIG); unknown AT_* and
// xattr_args flags; bad descriptors, paths and pointers. Skipped where the
// scratch file system refuses user.* attributes (xattr::file()).
// Left out: the name, value and list size limits, and the other namespaces
// (trusted., security., system.): the same code as setxattr(2) and its
// family checks them (xattr.cpp, fxattr.cpp, lxattr.cpp).
#include "harness/test.hpp"
#include "rt/sys_xattrat.hpp"
#include "tests/common/common_util.hpp"
#include "tests/xattr/xattr_util.hpp"

using xattr::D;

namespace {

enum Call : u8 { SET, GET, LIST, REMOVE };
void need(Call c) {
    static const char* const kReason[] = {"setxattrat: not implemented (ENOSYS; Linux 6.13+)",
                                          "getxattrat: not implemented (ENOSYS; Linux 6.13+)",
                                          "listxattrat: not implemented (ENOSYS; Linux 6.13+)",
                                          "removexattrat: not implemented (ENOSYS; Linux 6.13+)"};
    long r = c == SET    ? sys::setxattrat(-1, "x", 0, "user.x", nullptr, 0)
             : c == GET  ? sys::getxattrat(-1, "x", 0, "user.x", nullptr, 0)
             : c == LIST ? sys::listxattrat(-1, "x", 0, nullptr, 0)
                         : sys::removexattrat(-1, "x", 0, "user.x");
    if (r == -ENOSYS) kc::skip(kReason[c]);
}

// The fixture: scratch file "f" (fd returned) and symlink "l" -> "f".
int fixture(Call c) {
    need(c);
    int fd = xattr::file("f");
    ASSERT_RET(sys::symlinkat("f", D(), "l"), 0);
    return fd;
}

xattr_args args(const void* v, u32 n, u32 flags = 0) { return {u64(sys::L(v)), n, flags}; }

long set_at(int dfd, const char* path, u32 at, const char* name, const char* v, u32 flags = 0) {
    xattr_args a = args(v, u32(rt::strlen(v)), flags);
    return sys::setxattrat(dfd, path, at, name, &a, sizeof a);
}
long get_at(int dfd, const char* path, u32 at, const char* name, char* out, u32 n) {
    xattr_args a = args(out, n);
    return sys::getxattrat(dfd, path, at, name, &a, sizeof a);
}

// Every call of the family with one at_flags and path against the fixture.
long call(Call c, int dfd, const char* path, u32 at) {
    char buf[64];
    switch (c) {
        case SET:
            return set_at(dfd, path, at, "user.c", "v");
        case GET:
            return get_at(dfd, path, at, "user.c", buf, sizeof buf);
        case LIST:
            return sys::listxattrat(dfd, path, at, buf, sizeof buf);
        case REMOVE:
            return sys::removexattrat(dfd, path, at, "user.c");
    }
    return 0;
}

struct BadAtRow {
    const char* label;
    u32 at;
};
constexpr BadAtRow kBadAt[] = {{"AT_SYMLINK_FOLLOW", AT_SYMLINK_FOLLOW},
                               {"AT_REMOVEDIR", AT_REMOVEDIR},
                               {"bit31", 0x80000000u}};
// xattr.c: at_flags other than AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH are
// EINVAL.
void bad_at(Call c, u32 at) {
    int fd = fixture(c);
    EXPECT_ERR(call(c, D(), "f", at), EINVAL);
    sys::close(fd);
}

struct BadFdRow {
    const char* label;
    int dfd;  // -2: the fixture's (a file, not a directory)
    const char* path;
    u32 at;
    int err;
};
constexpr BadFdRow kBadFds[] = {
    {"closed_dirfd_relative_path", INT_MAX, "f", 0, EBADF},
    {"empty_path_bad_fd", -1, "", AT_EMPTY_PATH, EBADF},
    {"empty_path_without_flag", -2, "", 0, ENOENT},
    {"file_as_dirfd", -2, "x", 0, ENOTDIR},
    {"missing_file", AT_FDCWD, "/nonexistent_kc/f", 0, ENOENT},
};
// xattr.c and path_resolution(7): a relative path needs an open directory
// descriptor (EBADF; a file is ENOTDIR); AT_EMPTY_PATH with an empty path
// needs an open descriptor (EBADF); an empty path without it is ENOENT, as
// is a missing file. (AT_FDCWD with an empty path differs between the calls
// in Linux 6.18: set and get act on the working directory, list and remove
// fail with EBADF; not tested.)
void bad_fd(Call c, const BadFdRow& row) {
    int fd = fixture(c);
    EXPECT_ERR(call(c, row.dfd == -2 ? fd : row.dfd, row.path, row.at), row.err);
    sys::close(fd);
}

}  // namespace

// xattr.c: setxattrat(dfd, path, 0, name, args) sets the attribute of
// path relative to dfd: the value comes back through fgetxattr.
TEST(setxattrat, sets_via_dirfd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    char out[16];
    EXPECT_RET(set_at(D(), "f", 0, "user.a", "hello"), 0);
    EXPECT_RET(sys::fgetxattr(fd, "user.a", out, sizeof out), 5);
    EXPECT_MEM_EQ(out, "hello", 5);
    sys::close(fd);
}

// xattr.c: with AT_EMPTY_PATH and an empty (or null) path, the attribute
// is set on dfd itself.
TEST(setxattrat, empty_path_uses_fd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    char out[16];
    EXPECT_RET(set_at(fd, "", AT_EMPTY_PATH, "user.e", "one"), 0);
    EXPECT_RET(set_at(fd, nullptr, AT_EMPTY_PATH, "user.n", "two"), 0);
    EXPECT_RET(sys::fgetxattr(fd, "user.e", out, sizeof out), 3);
    EXPECT_RET(sys::fgetxattr(fd, "user.n", out, sizeof out), 3);
    EXPECT_MEM_EQ(out, "two", 3);
    sys::close(fd);
}

// xattr.c, xattr(7): a symlink is followed unless AT_SYMLINK_NOFOLLOW; on
// the link itself user.* attributes are not permitted (EPERM).
TEST(setxattrat, symlink_nofollow, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    char out[16];
    EXPECT_RET(set_at(D(), "l", 0, "user.via", "link"), 0);
    EXPECT_RET(sys::fgetxattr(fd, "user.via", out, sizeof out), 4);
    EXPECT_ERR(set_at(D(), "l", AT_SYMLINK_NOFOLLOW, "user.on", "link"), EPERM);
    EXPECT_ERR(sys::fgetxattr(fd, "user.on", out, sizeof out), ENODATA);
    sys::close(fd);
}

struct FlagRow {
    const char* label;
    bool exists;
    u32 flags;
    int err;
};
constexpr FlagRow kFlags[] = {{"create_new", false, XATTR_CREATE, 0},
                              {"create_existing_eexist", true, XATTR_CREATE, EEXIST},
                              {"replace_existing", true, XATTR_REPLACE, 0},
                              {"replace_missing_enodata", false, XATTR_REPLACE, ENODATA},
                              {"unknown_4_einval", false, 4, EINVAL}};
// xattr.c: xattr_args.flags are setxattr(2)'s: XATTR_CREATE fails with
// EEXIST on an existing attribute, XATTR_REPLACE with ENODATA on a missing
// one, other bits are EINVAL; a failed call changes nothing.
TEST_P(setxattrat, args_flags, BOUNDARY, LINUX, kFlags, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    char out[16];
    if (row.exists) ASSERT_RET(sys::fsetxattr(fd, "user.f", "old", 3, 0), 0);
    long r = set_at(D(), "f", 0, "user.f", "new!", row.flags);
    if (row.err) {
        EXPECT_ERR(r, row.err);
        EXPECT_RET(sys::fgetxattr(fd, "user.f", out, sizeof out), row.exists ? 3 : -ENODATA);
    } else {
        EXPECT_RET(r, 0);
        EXPECT_RET(sys::fgetxattr(fd, "user.f", out, sizeof out), 4);
    }
    sys::close(fd);
}

struct UsizeRow {
    const char* label;
    usize size;
    u8 tail;  // the byte after the 16 known ones
    int err;
};
constexpr UsizeRow kUsizes[] = {{"usize=0", 0, 0, EINVAL},
                                {"usize=8", 8, 0, EINVAL},
                                {"usize=15", 15, 0, EINVAL},
                                {"usize=24_zero_tail", 24, 0, 0},
                                {"usize=24_nonzero_tail", 24, 1, E2BIG},
                                {"usize=4097", 4097, 0, E2BIG}};
// xattr.c: usize below XATTR_ARGS_SIZE_VER0 (16) is EINVAL, above a page
// E2BIG; a larger struct is accepted when its unknown bytes are zero, else
// E2BIG (copy_struct_from_user).
TEST_P(setxattrat, args_size, BOUNDARY, LINUX, kUsizes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    alignas(8) u8 buf[4100] = {};
    xattr_args a = args("sz", 2);
    __builtin_memcpy(buf, &a, sizeof a);
    buf[16] = row.tail;
    EXPECT_RET(sys::setxattrat(D(), "f", 0, "user.s", buf, row.size), -row.err);
    EXPECT_RET(sys::fgetxattr(fd, "user.s", nullptr, 0), row.err ? -ENODATA : 2);
    sys::close(fd);
}

// xattr.c: an unreadable xattr_args, name or value is EFAULT.
TEST(setxattrat, bad_pointers_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(SET);
    xattr_args a = args("v", 1);
    EXPECT_ERR(sys::setxattrat(D(), "f", 0, "user.p", common::kBadPtr, sizeof a), EFAULT);
    EXPECT_ERR(sys::setxattrat(D(), "f", 0, xattr::kBad, &a, sizeof a), EFAULT);
    a.value = common::kBadAddr;
    EXPECT_ERR(sys::setxattrat(D(), "f", 0, "user.p", &a, sizeof a), EFAULT);
    sys::close(fd);
}

TEST_P(setxattrat, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    bad_at(SET, row.at);
}
TEST_P(setxattrat, bad_fd_or_path, NEGATIVE, LINUX, kBadFds, .flags = kc::NEEDS_SCRATCH) {
    bad_fd(SET, row);
}

// xattr.c: getxattrat returns the value's size and writes the value into
// xattr_args.value; size 0 asks for the size and writes nothing.
TEST(getxattrat, reads_value, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(GET);
    ASSERT_RET(sys::fsetxattr(fd, "user.g", "value", 5, 0), 0);
    char out[16];
    common::fill_bytes(out, 'x', sizeof out);
    EXPECT_RET(get_at(D(), "f", 0, "user.g", out, 0), 5);
    EXPECT_EQ(out[0], 'x');
    EXPECT_RET(get_at(D(), "f", 0, "user.g", out, sizeof out), 5);
    EXPECT_MEM_EQ(out, "value", 5);
    EXPECT_EQ(out[5], 'x');
    EXPECT_RET(get_at(fd, "", AT_EMPTY_PATH, "user.g", out, sizeof out), 5);
    sys::close(fd);
}

// xattr(7): a buffer smaller than the value is ERANGE; a missing attribute
// is ENODATA.
TEST(getxattrat, small_buffer_or_missing, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(GET);
    ASSERT_RET(sys::fsetxattr(fd, "user.g", "value", 5, 0), 0);
    char out[16];
    EXPECT_ERR(get_at(D(), "f", 0, "user.g", out, 4), ERANGE);
    EXPECT_ERR(get_at(D(), "f", 0, "user.none", out, sizeof out), ENODATA);
    sys::close(fd);
}

// xattr.c: through a symlink the target's attribute is read; with
// AT_SYMLINK_NOFOLLOW the link's own, which has none (ENODATA).
TEST(getxattrat, symlink_nofollow, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(GET);
    ASSERT_RET(sys::fsetxattr(fd, "user.g", "value", 5, 0), 0);
    char out[16];
    EXPECT_RET(get_at(D(), "l", 0, "user.g", out, sizeof out), 5);
    EXPECT_ERR(get_at(D(), "l", AT_SYMLINK_NOFOLLOW, "user.g", out, sizeof out), ENODATA);
    sys::close(fd);
}

// xattr.c: getxattrat takes no flags in xattr_args (EINVAL), and the same
// usize rules as setxattrat.
TEST_P(getxattrat, args_size_and_flags, BOUNDARY, LINUX, kUsizes, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(GET);
    ASSERT_RET(sys::fsetxattr(fd, "user.g", "value", 5, 0), 0);
    char out[16];
    alignas(8) u8 buf[4100] = {};
    xattr_args a = args(out, sizeof out);
    __builtin_memcpy(buf, &a, sizeof a);
    buf[16] = row.tail;
    EXPECT_RET(sys::getxattrat(D(), "f", 0, "user.g", buf, row.size), row.err ? -row.err : 5);
    a.flags = XATTR_CREATE;
    EXPECT_ERR(sys::getxattrat(D(), "f", 0, "user.g", &a, sizeof a), EINVAL);
    sys::close(fd);
}

TEST_P(getxattrat, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    bad_at(GET, row.at);
}
TEST_P(getxattrat, bad_fd_or_path, NEGATIVE, LINUX, kBadFds, .flags = kc::NEEDS_SCRATCH) {
    bad_fd(GET, row);
}

// xattr.c, listxattr(2): the list holds every name, NUL-terminated; size 0
// asks for its length; a buffer one byte short is ERANGE.
TEST(listxattrat, lists_names, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(LIST);
    ASSERT_RET(sys::fsetxattr(fd, "user.one", "1", 1, 0), 0);
    ASSERT_RET(sys::fsetxattr(fd, "user.two", "2", 1, 0), 0);
    char out[256];
    long need = sys::listxattrat(D(), "f", 0, nullptr, 0);
    EXPECT_GE(need, 18);
    long n = sys::listxattrat(D(), "f", 0, out, sizeof out);
    EXPECT_EQ(n, need);
    EXPECT_EQ(xattr::count(out, n, "user.one"), 1);
    EXPECT_EQ(xattr::count(out, n, "user.two"), 1);
    EXPECT_ERR(sys::listxattrat(D(), "f", 0, out, usize(need - 1)), ERANGE);
    EXPECT_RET(sys::listxattrat(fd, "", AT_EMPTY_PATH, out, sizeof out), need);
    sys::close(fd);
}

// xattr.c: through a symlink the target's names are listed; with
// AT_SYMLINK_NOFOLLOW the link's own user.* names: none.
TEST(listxattrat, symlink_nofollow, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(LIST);
    ASSERT_RET(sys::fsetxattr(fd, "user.one", "1", 1, 0), 0);
    char out[256];
    long n = sys::listxattrat(D(), "l", 0, out, sizeof out);
    EXPECT_EQ(xattr::count(out, n, "user.one"), 1);
    n = sys::listxattrat(D(), "l", AT_SYMLINK_NOFOLLOW, out, sizeof out);
    EXPECT_EQ(xattr::count_user(out, n), 0);
    sys::close(fd);
}

// xattr.c: an unwritable list buffer is EFAULT.
TEST(listxattrat, bad_buffer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(LIST);
    ASSERT_RET(sys::fsetxattr(fd, "user.one", "1", 1, 0), 0);
    EXPECT_ERR(sys::listxattrat(D(), "f", 0, xattr::kBad, 64), EFAULT);
    sys::close(fd);
}

TEST_P(listxattrat, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    bad_at(LIST, row.at);
}
TEST_P(listxattrat, bad_fd_or_path, NEGATIVE, LINUX, kBadFds, .flags = kc::NEEDS_SCRATCH) {
    bad_fd(LIST, row);
}

// xattr.c: removexattrat removes the attribute (by path, or by descriptor
// with AT_EMPTY_PATH); it is gone afterwards.
TEST(removexattrat, removes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(REMOVE);
    ASSERT_RET(sys::fsetxattr(fd, "user.r", "1", 1, 0), 0);
    ASSERT_RET(sys::fsetxattr(fd, "user.s", "1", 1, 0), 0);
    EXPECT_RET(sys::removexattrat(D(), "f", 0, "user.r"), 0);
    EXPECT_ERR(sys::fgetxattr(fd, "user.r", nullptr, 0), ENODATA);
    EXPECT_RET(sys::removexattrat(fd, "", AT_EMPTY_PATH, "user.s"), 0);
    EXPECT_ERR(sys::fgetxattr(fd, "user.s", nullptr, 0), ENODATA);
    sys::close(fd);
}

// xattr(7): removing a missing attribute is ENODATA.
TEST(removexattrat, missing_enodata, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(REMOVE);
    EXPECT_ERR(sys::removexattrat(D(), "f", 0, "user.none"), ENODATA);
    sys::close(fd);
}

// xattr.c, xattr(7): through a symlink the target's attribute is removed;
// with AT_SYMLINK_NOFOLLOW the call addresses the link, on which user.*
// attributes may not be changed (EPERM), and the target keeps its own.
TEST(removexattrat, symlink_nofollow, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fixture(REMOVE);
    ASSERT_RET(sys::fsetxattr(fd, "user.r", "1", 1, 0), 0);
    EXPECT_ERR(sys::removexattrat(D(), "l", AT_SYMLINK_NOFOLLOW, "user.r"), EPERM);
    EXPECT_RET(sys::fgetxattr(fd, "user.r", nullptr, 0), 1);
    EXPECT_RET(sys::removexattrat(D(), "l", 0, "user.r"), 0);
    EXPECT_ERR(sys::fgetxattr(fd, "user.r", nullptr, 0), ENODATA);
    sys::close(fd);
}

TEST_P(removexattrat, bad_at_flags_einval, NEGATIVE, LINUX, kBadAt, .flags = kc::NEEDS_SCRATCH) {
    bad_at(REMOVE, row.at);
}
TEST_P(removexattrat, bad_fd_or_path, NEGATIVE, LINUX, kBadFds, .flags = kc::NEEDS_SCRATCH) {
    bad_fd(REMOVE, row);
}
