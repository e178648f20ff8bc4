// SPDX-License-Identifier: MIT
// utime(2) and futimesat(2), the legacy file-time calls (x86-64 only; other
// architectures have utimensat alone, so every test starts with REQUIRE_NR):
// explicit times round-trip through stat (whole seconds for utime,
// microseconds for futimesat), NULL sets "now", ownership and write
// permission rules (EPERM / EACCES), dirfd-relative and AT_FDCWD paths,
// tv_usec range, path errors and EFAULT.
// utime is POSIX (file system: PSE52); futimesat is Linux-only (LINUX).
// Left out: utimensat/utimes (tests/fs/utimens.cpp), EROFS.
#include "tests/xattr/xattr_util.hpp"

using namespace xattr;

namespace {
constexpr int S = kc::NEEDS_SCRATCH;

// Creates scratch file `name` with mode `mode` (no xattr probe needed).
void make(const char* name, u32 mode = 0644) {
    long fd = sys::openat(D(), name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    ASSERT_OK(sys::fchmod(int(fd), mode));
    sys::close(int(fd));
}
arch::Stat st(const char* name, int dirfd = -1) {
    arch::Stat s{};
    ASSERT_OK(sys::newfstatat(dirfd < 0 ? D() : dirfd, name, &s, AT_SYMLINK_NOFOLLOW));
    return s;
}
i64 now_sec() {
    timespec ts{};
    sys::clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}
// The file's atime and mtime are "now": within [before - 1, after] (file
// times come from a coarse clock that may lag by a tick).
void expect_now(const char* name, i64 before) {
    i64 after = now_sec();
    arch::Stat s = st(name);
    EXPECT_GE(s.st_atime_sec, before - 1);
    EXPECT_LE(s.st_atime_sec, after);
    EXPECT_GE(s.st_mtime_sec, before - 1);
    EXPECT_LE(s.st_mtime_sec, after);
    EXPECT_GE(s.st_ctime_sec, before - 1);
}
}  // namespace

// utime(2): actime and modtime are stored as given, in whole seconds.
struct TimeRow {
    const char* label;
    long atime, mtime;
};
constexpr TimeRow kTimes[] = {
    {"epoch_0", 0, 0},
    {"y2001", 1000000000, 1000000001},
    {"after_y2038", 1l << 31, 1l << 33},
    {"before_1970", -1, -86400},
};
TEST_P(utime, explicit_times_round_trip, BOUNDARY, PSE52, kTimes, .flags = S) {
    REQUIRE_NR(utime);
    make("f");
    utimbuf u{row.atime, row.mtime};
    ASSERT_RET(sys::utime(path("f"), &u), 0);
    arch::Stat s = st("f");
    EXPECT_EQ(s.st_atime_sec, row.atime);
    EXPECT_EQ(s.st_atime_nsec, 0);
    EXPECT_EQ(s.st_mtime_sec, row.mtime);
    EXPECT_EQ(s.st_mtime_nsec, 0);
}

// utime(2): times NULL sets both to the current time (and ctime moves).
TEST(utime, null_sets_now, POSITIVE, PSE52, .flags = S) {
    REQUIRE_NR(utime);
    make("f");
    utimbuf old{1000, 2000};
    ASSERT_RET(sys::utime(path("f"), &old), 0);
    i64 before = now_sec();
    EXPECT_RET(sys::utime(path("f"), nullptr), 0);
    expect_now("f", before);
}

// utime(2): the owner may set times even without write permission.
TEST(utime, owner_without_write_permission, POSITIVE, PSE52, .flags = S) {
    REQUIRE_NR(utime);
    make("f", 0444);
    utimbuf u{3000, 4000};
    EXPECT_RET(sys::utime(path("f"), &u), 0);
    EXPECT_EQ(st("f").st_mtime_sec, 4000);
    i64 before = now_sec();
    EXPECT_RET(sys::utime(path("f"), nullptr), 0);
    expect_now("f", before);
}

// utime(2) ERRORS: path resolution (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG).
TEST_P(utime, bad_path, NEGATIVE, PSE52, kBadPaths, .flags = S) {
    REQUIRE_NR(utime);
    EXPECT_ERR(sys::utime(bad_path(row), nullptr), row.err);
}

// EFAULT (Linux): path or times outside the address space.
struct PtrRow {
    const char* label;
    bool bad_path;
};
constexpr PtrRow kBadPtr[] = {{"path", true}, {"times", false}};
TEST_P(utime, bad_pointer_efault, NEGATIVE, LINUX, kBadPtr, .flags = S) {
    REQUIRE_NR(utime);
    make("f");
    EXPECT_ERR(sys::utime(row.bad_path ? kBad : path("f"),
                          row.bad_path ? nullptr : reinterpret_cast<utimbuf*>(kBad)),
               EFAULT);
}

// A child that became another user, without capabilities, inside directory
// "d" (0755) with its parent's files "a" (0644) and "b" (0666): explicit
// times need ownership (EPERM); "now" needs ownership or write permission
// (EACCES).
void times_as_other_user(void* arg) {
    int legacy = *static_cast<int*>(arg);  // 0: utime, 1: futimesat
    ASSERT_OK(sys::fchdir(*(static_cast<int*>(arg) + 1)));
    ASSERT_TRUE(kc::become_other_user());
    utimbuf u{5, 6};
    timeval tv[2] = {{5, 0}, {6, 0}};
    auto call = [&](const char* p, bool now) {
        return legacy == 0 ? sys::utime(p, now ? nullptr : &u)
                           : sys::futimesat(AT_FDCWD, p, now ? nullptr : tv);
    };
    EXPECT_ERR(call("a", false), EPERM);
    EXPECT_ERR(call("a", true), EACCES);
    EXPECT_ERR(call("b", false), EPERM);
    EXPECT_RET(call("b", true), 0);
}
// The child above, where the process can become another user. Otherwise the
// suite owns every file it can make, and it never aims a call that could
// change a file at one outside its scratch directory (a broken kernel would
// change it), so the test skips.
void non_owner(int which) {
    kc::require_other_user();
    if (!kc::can_fork()) kc::skip("needs a child process to become another user");
    ASSERT_OK(sys::mkdirat(D(), "d", 0755));
    ASSERT_OK(sys::fchmodat(D(), "d", 0755));
    make("d/a", 0644);
    make("d/b", 0666);
    long dfd = sys::openat(D(), "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_OK(dfd);
    int args[2] = {which, int(dfd)};
    EXPECT_CHILD_OK(kc::spawn(times_as_other_user, args));
    EXPECT_NE(st("d/a").st_mtime_sec, 6);
    EXPECT_NE(st("d/b").st_mtime_sec, 6);
    sys::close(int(dfd));
}
// utime(2) ERRORS: EACCES (times NULL, not owner, no write permission),
// EPERM (times given, not owner).
TEST(utime, non_owner_eperm_eacces, NEGATIVE, PSE52, .flags = S) {
    REQUIRE_NR(utime);
    non_owner(0);
}
TEST(futimesat, non_owner_eperm_eacces, NEGATIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    non_owner(1);
}

// futimesat(2): a relative path is looked up from dirfd; microseconds are
// stored as nanoseconds.
TEST(futimesat, dirfd_relative, POSITIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    ASSERT_OK(sys::mkdirat(D(), "d", 0755));
    make("d/f");
    long dfd = sys::openat(D(), "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_OK(dfd);
    timeval tv[2] = {{1000, 5}, {2000, 999999}};
    EXPECT_RET(sys::futimesat(int(dfd), "f", tv), 0);
    arch::Stat s = st("f", int(dfd));
    EXPECT_EQ(s.st_atime_sec, 1000);
    EXPECT_EQ(s.st_atime_nsec, 5000);
    EXPECT_EQ(s.st_mtime_sec, 2000);
    EXPECT_EQ(s.st_mtime_nsec, 999999000);
    sys::close(int(dfd));
}

// futimesat(2): AT_FDCWD resolves a relative path from the working directory
// (moved to scratch and back), and an absolute path ignores even a bad dirfd.
TEST(futimesat, at_fdcwd, POSITIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    long cwd = sys::openat(AT_FDCWD, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    ASSERT_OK(cwd);
    timeval tv[2] = {{7, 1}, {8, 2}};
    long r = sys::fchdir(D());
    if (r == 0) r = sys::futimesat(AT_FDCWD, "f", tv);
    long back = sys::fchdir(int(cwd));
    sys::close(int(cwd));
    ASSERT_RET(back, 0);
    EXPECT_RET(r, 0);
    EXPECT_EQ(st("f").st_mtime_sec, 8);
    tv[1].tv_sec = 9;
    EXPECT_RET(sys::futimesat(AT_FDCWD, path("f"), tv), 0);
    EXPECT_EQ(st("f").st_mtime_sec, 9);
    tv[1].tv_sec = 10;
    EXPECT_RET(sys::futimesat(-1, path("f"), tv), 0);
    EXPECT_EQ(st("f").st_mtime_sec, 10);
}

// futimesat(2): times NULL sets both to the current time.
TEST(futimesat, null_times_sets_now, POSITIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    timeval old[2] = {{1000, 0}, {2000, 0}};
    ASSERT_RET(sys::futimesat(D(), "f", old), 0);
    i64 before = now_sec();
    EXPECT_RET(sys::futimesat(D(), "f", nullptr), 0);
    expect_now("f", before);
}

// Linux: a NULL path makes futimesat act on dirfd itself, whatever its type.
TEST(futimesat, null_path_uses_dirfd, POSITIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    long fd = sys::openat(D(), "f", O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    timeval tv[2] = {{11, 0}, {12, 0}};
    EXPECT_RET(sys::futimesat(int(fd), nullptr, tv), 0);
    EXPECT_EQ(st("f").st_mtime_sec, 12);
    sys::close(int(fd));
}

// futimesat(2) ERRORS: EINVAL when a tv_usec is outside [0, 999999]; the
// times stay as they were.
struct UsecRow {
    const char* label;
    int which;
    long usec;
};
constexpr UsecRow kBadUsec[] = {
    {"atime_usec_1000000", 0, 1000000},   {"atime_usec_minus_1", 0, -1},
    {"mtime_usec_1000000", 1, 1000000},   {"mtime_usec_minus_1", 1, -1},
    {"mtime_usec_long_max", 1, LONG_MAX},
};
TEST_P(futimesat, usec_out_of_range_einval, NEGATIVE, LINUX, kBadUsec, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    timeval tv[2] = {{100, 0}, {200, 0}};
    ASSERT_RET(sys::futimesat(D(), "f", tv), 0);
    tv[0].tv_sec = 300;
    tv[1].tv_sec = 400;
    tv[row.which].tv_usec = row.usec;
    EXPECT_ERR(sys::futimesat(D(), "f", tv), EINVAL);
    EXPECT_EQ(st("f").st_mtime_sec, 200);
}
// The boundary that is valid: tv_usec 999999 is accepted.
TEST(futimesat, usec_999999_ok, BOUNDARY, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    timeval tv[2] = {{1, 999999}, {2, 0}};
    EXPECT_RET(sys::futimesat(D(), "f", tv), 0);
    EXPECT_EQ(st("f").st_atime_nsec, 999999000);
}

// futimesat(2) ERRORS: EBADF for a bad dirfd with a relative path, ENOTDIR
// for a dirfd that is not a directory, path errors, EFAULT.
TEST(futimesat, bad_dirfd_ebadf, NEGATIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    EXPECT_ERR(sys::futimesat(-1, "f", nullptr), EBADF);
    EXPECT_ERR(sys::futimesat(INT_MAX, "f", nullptr), EBADF);
}
TEST(futimesat, dirfd_not_dir_enotdir, NEGATIVE, LINUX, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    long fd = sys::openat(D(), "f", O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    EXPECT_ERR(sys::futimesat(int(fd), "f", nullptr), ENOTDIR);
    sys::close(int(fd));
}
TEST_P(futimesat, bad_path, NEGATIVE, LINUX, kBadPaths, .flags = S) {
    REQUIRE_NR(futimesat);
    EXPECT_ERR(sys::futimesat(AT_FDCWD, bad_path(row), nullptr), row.err);
}
TEST_P(futimesat, bad_pointer_efault, NEGATIVE, LINUX, kBadPtr, .flags = S) {
    REQUIRE_NR(futimesat);
    make("f");
    EXPECT_ERR(sys::futimesat(D(), row.bad_path ? kBad : "f",
                              row.bad_path ? nullptr : reinterpret_cast<timeval*>(kBad)),
               EFAULT);
}
