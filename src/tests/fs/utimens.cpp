// SPDX-License-Identifier: MIT
// utimensat(2) (and futimens as utimensat(fd, NULL, ...)), utimes(2):
// explicit times read back to the nanosecond (also before 1970 and past
// 2038), UTIME_NOW, UTIME_OMIT, NULL times, ctime, symlinks,
// EPERM/EACCES for a non-owner (a child that becomes another user), and the checks
// of tv_nsec and flags; the legacy utimes(2) entry point (x86-64) by
// absolute path: the same explicit times (to the microsecond), NULL times,
// symlinks followed, tv_usec checks, bad paths.
// Left out: file systems with coarser timestamps (FAT: 2 s) where the exact
// read-back would truncate; utime(2) and futimesat(2) (obsolete).
#include "tests/fs/fs_util.hpp"

namespace {

long utimens_rel(int d, const char* p) { return sys::utimensat(d, p, nullptr, 0); }

i64 ns_of(i64 s, i64 ns) { return s * 1000000000 + ns; }

// Checks that the file's atime and mtime lie in [before, after].
void check_now(int fd, const timespec& before, const timespec& after) {
    arch::Stat s = fs::fst(fd);
    i64 lo = ns_of(before.tv_sec, before.tv_nsec), hi = ns_of(after.tv_sec, after.tv_nsec);
    EXPECT_GE(ns_of(s.st_atime_sec, s.st_atime_nsec), lo);
    EXPECT_LE(ns_of(s.st_atime_sec, s.st_atime_nsec), hi);
    EXPECT_GE(ns_of(s.st_mtime_sec, s.st_mtime_nsec), lo);
    EXPECT_LE(ns_of(s.st_mtime_sec, s.st_mtime_nsec), hi);
}

// File timestamps come from the coarse clock (or a finer one): the window
// starts at the coarse time before the call and ends at the precise time after.
void window(timespec* before) { sys::clock_gettime(CLOCK_REALTIME_COARSE, before); }
void window_end(timespec* after) { sys::clock_gettime(CLOCK_REALTIME, after); }

// utimensat(dirfd, name, t, 0), or utimes(2) by absolute path with t in
// microseconds (NULL: now).
long utimes_by(fs::Entry e, const char* name, const timespec* t) {
    const char* p = fs::path(e, name);
    if (e == fs::AT) return sys::utimensat(fs::D(), p, t, 0);
    if (!t) return sys::utimes(p, nullptr);
    timeval tv[2] = {{t[0].tv_sec, t[0].tv_nsec / 1000}, {t[1].tv_sec, t[1].tv_nsec / 1000}};
    return sys::utimes(p, tv);
}

}  // namespace

// utimensat(2): explicit times are stored as given, to the nanosecond, for
// dates before 1970 and past the 32-bit limits (2038, 2106).
struct TimeRow {
    const char* label;
    i64 sec;
    i64 nsec;
};
constexpr TimeRow kTimes[] = {
    {"epoch", 0, 0},
    {"nanoseconds", 1234567890, 123456789},
    {"nsec_999999999", 1000, 999999999},
    {"before_epoch", -1, 500},
    {"y2038_last_second", 2147483647, 0},
    {"y2038_plus_1", 2147483648, 1},
    {"y2106_plus_1", 4294967296, 0},
};
// (utimes(2) takes microseconds: the nanoseconds below one are dropped.)
TEST_P_ENTRIES(utimensat, utimes, explicit_times_round_trip, BOUNDARY, LINUX, kTimes,
               .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec t[2] = {{row.sec, row.nsec}, {row.sec + 7, row.nsec / 3}};
    EXPECT_RET(utimes_by(entry, "f", t), 0);
    i64 unit = entry == fs::AT ? 1 : 1000;
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_atime_sec, row.sec);
    EXPECT_EQ(s.st_atime_nsec, row.nsec / unit * unit);
    EXPECT_EQ(s.st_mtime_sec, row.sec + 7);
    EXPECT_EQ(s.st_mtime_nsec, row.nsec / 3 / unit * unit);
    sys::close(fd);
}

// utimensat(2): NULL times, or UTIME_NOW in both (tv_sec then ignored), set
// both timestamps to the current time.
struct NowRow {
    const char* label;
    bool null_times;
};
constexpr NowRow kNow[] = {{"null_times", true}, {"utime_now", false}};
TEST_P(utimensat, set_to_now, POSITIVE, PSE52, kNow, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timespec before, after, t[2] = {{-12345, UTIME_NOW}, {99, UTIME_NOW}};
    window(&before);
    EXPECT_RET(sys::utimensat(fs::D(), "f", row.null_times ? nullptr : t, 0), 0);
    window_end(&after);
    check_now(fd, before, after);
    sys::close(fd);
}

// utimensat(2) UTIME_OMIT: that timestamp is left alone; the other is set.
struct OmitRow {
    const char* label;
    i64 a_nsec, m_nsec;
};
constexpr OmitRow kOmit[] = {
    {"omit_atime", UTIME_OMIT, 77},
    {"omit_mtime", 77, UTIME_OMIT},
    {"omit_atime_now_mtime", UTIME_OMIT, UTIME_NOW},
};
TEST_P(utimensat, utime_omit_keeps_timestamp, POSITIVE, PSE52, kOmit, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec old[2] = {{1000, 1}, {2000, 2}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timespec t[2] = {{5000, row.a_nsec}, {6000, row.m_nsec}};
    EXPECT_RET(sys::utimensat(fs::D(), "f", t, 0), 0);
    arch::Stat s = fs::fst(fd);
    if (row.a_nsec == UTIME_OMIT) {
        EXPECT_TRUE(fs::same_time(s.st_atime_sec, s.st_atime_nsec, 1000, 1));
    } else {
        EXPECT_TRUE(fs::same_time(s.st_atime_sec, s.st_atime_nsec, 5000, 77));
    }
    if (row.m_nsec == UTIME_OMIT) {
        EXPECT_TRUE(fs::same_time(s.st_mtime_sec, s.st_mtime_nsec, 2000, 2));
    } else if (row.m_nsec == UTIME_NOW) {
        EXPECT_GT(s.st_mtime_sec, 2000);
    } else {
        EXPECT_TRUE(fs::same_time(s.st_mtime_sec, s.st_mtime_nsec, 6000, 77));
    }
    sys::close(fd);
}

// Linux utimensat(2): with both UTIME_OMIT there is nothing to do, and the
// path is not even looked up: a missing file succeeds.
TEST(utimensat, both_omit_is_noop, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec t[2] = {{0, UTIME_OMIT}, {0, UTIME_OMIT}};
    arch::Stat a = fs::fst(fd);
    EXPECT_RET(sys::utimensat(fs::D(), "f", t, 0), 0);
    arch::Stat b = fs::fst(fd);
    EXPECT_TRUE(fs::same_time(a.st_ctime_sec, a.st_ctime_nsec, b.st_ctime_sec, b.st_ctime_nsec));
    EXPECT_RET(sys::utimensat(fs::D(), "missing", t, 0), 0);
    sys::close(fd);
}

// utimensat(2): setting times marks ctime for update (to the current time,
// not to the value given).
TEST(utimensat, moves_ctime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec before, t[2] = {{1000, 0}, {1000, 0}};
    window(&before);
    EXPECT_RET(sys::utimensat(fd, nullptr, t, 0), 0);
    EXPECT_GE(fs::fst(fd).st_ctime_sec, before.tv_sec);
    sys::close(fd);
}

// utimensat(2) EINVAL: tv_nsec outside [0, 999999999] and not UTIME_NOW or
// UTIME_OMIT, in either timestamp; the file keeps its times.
struct NsRow {
    const char* label;
    i64 a_nsec, m_nsec;
};
constexpr NsRow kBadNsec[] = {
    {"atime_nsec_minus_1", -1, 0},        {"atime_nsec_1e9", 1000000000, 0},
    {"mtime_nsec_1e9", 0, 1000000000},    {"mtime_nsec_utime_now_plus_1", 0, UTIME_NOW + 1},
    {"atime_nsec_long_max", LONG_MAX, 0},
};
TEST_P(utimensat, bad_nsec_einval, NEGATIVE, PSE52, kBadNsec, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timespec t[2] = {{5, row.a_nsec}, {5, row.m_nsec}};
    EXPECT_ERR(sys::utimensat(fs::D(), "f", t, 0), EINVAL);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 1000);
    sys::close(fd);
}

// utimensat(2) EINVAL: flags other than AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
TEST_P(utimensat, bad_flags_einval, NEGATIVE, PSE52, fs::kBadAtFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::utimensat(fs::D(), "f", nullptr, row.flags), EINVAL);
}

// utimensat(2) AT_SYMLINK_NOFOLLOW: the symlink's own times change, not the
// target's.
TEST(utimensat, symlink_nofollow, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    fs::symlink("f", "link");
    timespec t[2] = {{3000, 3}, {4000, 4}};
    EXPECT_RET(sys::utimensat(fs::D(), "link", t, AT_SYMLINK_NOFOLLOW), 0);
    EXPECT_EQ(fs::st("link").st_mtime_sec, 4000);
    EXPECT_NE(fs::fst(fd).st_mtime_sec, 4000);
    EXPECT_RET(sys::utimensat(fs::D(), "link", t, 0), 0);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 4000);
    sys::close(fd);
}

// Linux utimensat(2): a NULL path sets the times of dirfd's file (this is
// futimens); with AT_SYMLINK_NOFOLLOW that is EINVAL. AT_EMPTY_PATH with ""
// does the same.
TEST(utimensat, null_path_is_futimens, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    timespec t[2] = {{5000, 5}, {6000, 6}};
    EXPECT_RET(sys::utimensat(fd, nullptr, t, 0), 0);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 6000);
    EXPECT_ERR(sys::utimensat(fd, nullptr, t, AT_SYMLINK_NOFOLLOW), EINVAL);
    t[1].tv_sec = 7000;
    EXPECT_RET(sys::utimensat(fd, "", t, AT_EMPTY_PATH), 0);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 7000);
    sys::close(fd);
}

// utimensat(2) EBADF: futimens on an invalid descriptor.
TEST(utimensat, null_path_bad_fd_ebadf, NEGATIVE, PSE52) {
    EXPECT_ERR(sys::utimensat(-1, nullptr, nullptr, 0), EBADF);
    EXPECT_ERR(sys::utimensat(777, nullptr, nullptr, 0), EBADF);
}

// utimensat(2): the lookup errors of path resolution.
TEST_P(utimensat, bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, utimens_rel);
}

// Linux: an unmapped times pointer is EFAULT.
TEST(utimensat, unmapped_times_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::utimensat(fs::D(), "f", reinterpret_cast<timespec*>(8), 0), EFAULT);
}

namespace {
void times_as_other_user(void* arg) {
    const int* fds = static_cast<int*>(arg);  // [0]: mode 0644, [1]: mode 0666
    ASSERT_TRUE(kc::become_other_user());
    timespec t[2] = {{1, 0}, {1, 0}};
    timespec now[2] = {{0, UTIME_NOW}, {0, UTIME_NOW}};
    EXPECT_ERR(sys::utimensat(fds[0], nullptr, t, 0), EPERM);
    EXPECT_ERR(sys::utimensat(fds[0], nullptr, nullptr, 0), EACCES);
    EXPECT_ERR(sys::utimensat(fds[0], nullptr, now, 0), EACCES);
    EXPECT_ERR(sys::utimensat(fds[1], nullptr, t, 0), EPERM);
    EXPECT_RET(sys::utimensat(fds[1], nullptr, nullptr, 0), 0);
    EXPECT_RET(sys::utimensat(fds[1], nullptr, now, 0), 0);
}
}  // namespace

// utimensat(2): explicit times need ownership (EPERM); "now" needs ownership
// or write permission (EACCES). A child that became another user, without
// capabilities, works on its parent's files of mode 0644 and 0666.
TEST(utimensat, non_owner_eperm_eacces, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    int fds[2] = {fs::create("a", nullptr, 0644), fs::create("b", nullptr, 0666)};
    EXPECT_CHILD_OK(kc::spawn(times_as_other_user, fds));
    EXPECT_NE(fs::fst(fds[0]).st_mtime_sec, 1);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// utimes(2): NULL times set both timestamps to the current time.
TEST(utimes, null_times_sets_now, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    int fd = fs::create("f");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timespec before, after;
    window(&before);
    EXPECT_RET(sys::utimes(kc::scratch_path("f"), nullptr), 0);
    window_end(&after);
    check_now(fd, before, after);
    sys::close(fd);
}

// utimes(2) EINVAL: tv_usec outside [0, 999999] in either timestamp; the
// file keeps its times.
constexpr NsRow kBadUsec[] = {
    {"atime_usec_minus_1", -1, 0},
    {"atime_usec_1000000", 1000000, 0},
    {"mtime_usec_1000000", 0, 1000000},
    {"mtime_usec_long_max", 0, LONG_MAX},
};
TEST_P(utimes, bad_usec_einval, NEGATIVE, LINUX, kBadUsec, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    int fd = fs::create("f");
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    timeval tv[2] = {{5, row.a_nsec}, {5, row.m_nsec}};
    EXPECT_ERR(sys::utimes(kc::scratch_path("f"), tv), EINVAL);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 1000);
    sys::close(fd);
}

// utimes(2): a symlink is followed (the target's times change, not the
// link's).
TEST(utimes, follows_symlink, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    int fd = fs::create("f");
    fs::symlink("f", "link");
    i64 link_mtime = fs::st("link").st_mtime_sec;
    timeval tv[2] = {{3000, 3}, {4000, 4}};
    EXPECT_RET(sys::utimes(kc::scratch_path("link"), tv), 0);
    EXPECT_EQ(fs::fst(fd).st_mtime_sec, 4000);
    EXPECT_EQ(fs::st("link").st_mtime_sec, link_mtime);
    sys::close(fd);
}

// utimes(2): the lookup errors of path resolution; EFAULT for an unmapped
// times pointer (Linux).
TEST_P(utimes, bad_path, NEGATIVE, LINUX, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::utimes(p, nullptr); }, true);
}
TEST(utimes, unmapped_times_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    fs::touch("f");
    EXPECT_ERR(sys::utimes(kc::scratch_path("f"), reinterpret_cast<timeval*>(8)), EFAULT);
}

// utimes(2), legacy call: microseconds become nanoseconds.
TEST(utimes, microseconds, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(utimes);
    int fd = fs::create("f");
    timeval tv[2] = {{1000, 5}, {2000, 999999}};
    EXPECT_RET(sys::utimes(kc::scratch_path("f"), tv), 0);
    arch::Stat s = fs::fst(fd);
    EXPECT_TRUE(fs::same_time(s.st_atime_sec, s.st_atime_nsec, 1000, 5000));
    EXPECT_TRUE(fs::same_time(s.st_mtime_sec, s.st_mtime_nsec, 2000, 999999000));
    tv[0].tv_usec = 1000000;
    EXPECT_ERR(sys::utimes(kc::scratch_path("f"), tv), EINVAL);
    sys::close(fd);
}
