// SPDX-License-Identifier: MIT
// fsetxattr(2), fgetxattr(2), flistxattr(2), fremovexattr(2): the value,
// flag, name and list rows through an fd; bad and O_PATH fds; permission
// comes from the inode, not the open mode; pipes refuse user.*; leaks over
// 10,000 set/remove and open/set/close cycles. Linux-only: profile LINUX.
// Left out: the *xattrat(2) calls of Linux 6.13 (another area).
#include "tests/common/common_util.hpp"
#include "tests/xattr/xattr_util.hpp"

using namespace xattr;

namespace {
constexpr int S = kc::NEEDS_SCRATCH;
}

TEST_P(fsetxattr, value_round_trip, POSITIVE, LINUX, kValues, .flags = S) {
    value_round_trip(FD, row);
}
TEST_P(fsetxattr, create_replace_flags, BOUNDARY, LINUX, kFlags, .flags = S) { flag_rule(FD, row); }
TEST_P(fsetxattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) { name_rule(FD, SET, row); }
TEST_P(fgetxattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) { name_rule(FD, GET, row); }
TEST_P(fremovexattr, name_rules, BOUNDARY, LINUX, kNames, .flags = S) {
    name_rule(FD, REMOVE, row);
}
TEST_P(fsetxattr, value_too_big_e2big, BOUNDARY, LINUX, kTooBig, .flags = S) { too_big(FD, row); }
TEST(fsetxattr, value_64k_max, BOUNDARY, LINUX, .flags = S) { max_value(FD); }
TEST(flistxattr, names_listed_once, POSITIVE, LINUX, .flags = S) { names_listed_once(FD); }
TEST(fgetxattr, small_buffer_erange, BOUNDARY, LINUX, .flags = S) { small_buffer(FD); }

// EBADF for an fd that is not open: -1, a just-closed fd, INT_MAX.
struct FdRow {
    const char* label;
    int kind;  // 0: -1, 1: closed, 2: INT_MAX
};
constexpr FdRow kBadFds[] = {{"fd_minus_1", 0}, {"fd_closed", 1}, {"fd_int_max", 2}};
static int bad_fd(const FdRow& row) {
    if (row.kind == 0) return -1;
    if (row.kind == 2) return INT_MAX;
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    sys::close(p[0]);
    sys::close(p[1]);
    return p[0];
}
// f*xattr(2) ERRORS: EBADF, fd is not a valid file descriptor.
TEST_P(fsetxattr, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    EXPECT_ERR(sys::fsetxattr(bad_fd(row), "user.a", "v", 1, 0), EBADF);
}
TEST_P(fgetxattr, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    char out[4];
    EXPECT_ERR(sys::fgetxattr(bad_fd(row), "user.a", out, sizeof out), EBADF);
}
TEST_P(flistxattr, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    char out[64];
    EXPECT_ERR(sys::flistxattr(bad_fd(row), out, sizeof out), EBADF);
}
TEST_P(fremovexattr, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    EXPECT_ERR(sys::fremovexattr(bad_fd(row), "user.a"), EBADF);
}

// open(2) O_PATH: "operations that act on the file itself" fail with EBADF,
// and Linux 6.18 still counts the four fd-based xattr calls among them (they
// take the fd with fdget(), which refuses O_PATH files; the *xattrat(2)
// calls with AT_EMPTY_PATH are the O_PATH way). Nothing is changed.
static void o_path(int op) {
    int fd = file("f");
    ASSERT_RET(sys::fsetxattr(fd, "user.a", "v", 1, 0), 0);
    long p = sys::openat(D(), "f", O_PATH | O_CLOEXEC);
    ASSERT_OK(p);
    char out[64];
    int pf = int(p);
    long r = op == 0   ? sys::fsetxattr(pf, "user.a", "new", 3, 0)
             : op == 1 ? sys::fgetxattr(pf, "user.a", out, sizeof out)
             : op == 2 ? sys::flistxattr(pf, out, sizeof out)
                       : sys::fremovexattr(pf, "user.a");
    EXPECT_ERR(r, EBADF);
    EXPECT_RET(sys::fgetxattr(fd, "user.a", out, sizeof out), 1);
    EXPECT_EQ(out[0], 'v');
    sys::close(pf);
    sys::close(fd);
}
TEST(fsetxattr, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = S) { o_path(0); }
TEST(fgetxattr, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = S) { o_path(1); }
TEST(flistxattr, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = S) { o_path(2); }
TEST(fremovexattr, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = S) { o_path(3); }

// Permission is checked against the inode (xattr(7)), not the open mode: a
// read-only fd of a writable file may set and remove attributes.
TEST(fsetxattr, read_only_fd_writes, POSITIVE, LINUX, .flags = S) {
    sys::close(file("f"));
    long fd = sys::openat(D(), "f", O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    char out[4];
    EXPECT_RET(sys::fsetxattr(int(fd), "user.ro", "r", 1, 0), 0);
    EXPECT_RET(sys::fgetxattr(int(fd), "user.ro", out, sizeof out), 1);
    EXPECT_RET(sys::fremovexattr(int(fd), "user.ro"), 0);
    sys::close(int(fd));
}

// A pipe is a FIFO inode: user.* is refused (EPERM) and never found (ENODATA).
TEST(fsetxattr, pipe_user_eperm, NEGATIVE, LINUX) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    char out[64];
    EXPECT_ERR(sys::fsetxattr(p[1], "user.a", "v", 1, 0), EPERM);
    EXPECT_ERR(sys::fgetxattr(p[0], "user.a", out, sizeof out), ENODATA);
    EXPECT_ERR(sys::fremovexattr(p[0], "user.a"), EPERM);
    long n = sys::flistxattr(p[0], out, sizeof out);
    EXPECT_GE(n, 0);
    EXPECT_EQ(count_user(out, n), 0);
    sys::close(p[0]);
    sys::close(p[1]);
}

// EFAULT: name, value buffer or list buffer outside the address space.
struct FaultRow {
    const char* label;
    bool bad_name;
};
constexpr FaultRow kFault[] = {{"name", true}, {"value", false}};
TEST_P(fsetxattr, bad_pointer_efault, NEGATIVE, LINUX, kFault, .flags = S) {
    Target t = target(FD);
    EXPECT_ERR(
        sys::fsetxattr(t.fd, row.bad_name ? kBad : "user.a", row.bad_name ? "v" : kBad, 1, 0),
        EFAULT);
    EXPECT_ERR(sys::fgetxattr(t.fd, "user.a", nullptr, 0), ENODATA);
    sys::close(t.fd);
}
TEST_P(fgetxattr, bad_pointer_efault, NEGATIVE, LINUX, kFault, .flags = S) {
    Target t = target(FD);
    char out[8];
    ASSERT_RET(sys::fsetxattr(t.fd, "user.a", "v", 1, 0), 0);
    EXPECT_ERR(sys::fgetxattr(t.fd, row.bad_name ? kBad : "user.a", row.bad_name ? out : kBad, 8),
               EFAULT);
    sys::close(t.fd);
}
TEST(flistxattr, bad_buffer_efault, NEGATIVE, LINUX, .flags = S) {
    Target t = target(FD);
    ASSERT_RET(sys::fsetxattr(t.fd, "user.a", "v", 1, 0), 0);
    EXPECT_ERR(sys::flistxattr(t.fd, kBad, 64), EFAULT);
    sys::close(t.fd);
}
TEST(fremovexattr, bad_name_efault, NEGATIVE, LINUX, .flags = S) {
    Target t = target(FD);
    ASSERT_RET(sys::fsetxattr(t.fd, "user.a", "v", 1, 0), 0);
    EXPECT_ERR(sys::fremovexattr(t.fd, kBad), EFAULT);
    EXPECT_RET(sys::fgetxattr(t.fd, "user.a", nullptr, 0), 1);
    sys::close(t.fd);
}

// Leak check: 10,000 set/remove cycles of one attribute leave an empty
// user.* list and a file that still takes a new attribute.
TEST(fremovexattr, set_remove_10000, BOUNDARY, LINUX, .flags = S | kc::SLOW, .timeout_ms = 30000) {
    Target t = target(FD);
    int bad = 0;
    for (int i = 0; i < 10000; ++i) {
        bad += sys::fsetxattr(t.fd, "user.loop", &i, sizeof i, XATTR_CREATE) != 0;
        bad += sys::fremovexattr(t.fd, "user.loop") != 0;
    }
    EXPECT_EQ(bad, 0);
    char out[256];
    EXPECT_EQ(count_user(out, sys::flistxattr(t.fd, out, sizeof out)), 0);
    EXPECT_RET(sys::fsetxattr(t.fd, "user.after", "ok", 2, 0), 0);
    EXPECT_RET(sys::fgetxattr(t.fd, "user.after", out, sizeof out), 2);
    sys::close(t.fd);
}

// Leak check: open / fsetxattr / close cycles; the fd number comes back each
// time and the last value written is the one stored. The loop crosses
// RLIMIT_NOFILE, lowered to 64 above the lowest free fd, four times over: a
// leaked descriptor fails it with EMFILE (or a wrong number) within it.
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(fsetxattr, open_set_close_10000, BOUNDARY, LINUX, .flags = S) {
    common::limit_fd_room();
    int first = file("f");
    sys::close(first);
    int bad = 0;
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        long fd = sys::openat(D(), "f", O_RDONLY | O_CLOEXEC);
        bad += fd != first;
        bad += sys::fsetxattr(int(fd), "user.c", &i, sizeof i, 0) != 0;
        sys::close(int(fd));
    }
    EXPECT_EQ(bad, 0);
    int v = -1;
    EXPECT_RET(sys::getxattr(path("f"), "user.c", &v, sizeof v), long(sizeof v));
    EXPECT_EQ(v, common::kFdLeakRounds - 1);
}
