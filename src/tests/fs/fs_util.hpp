// SPDX-License-Identifier: MIT
// Helpers shared by the file-system tests (src/tests/fs/*.cpp): fixtures in
// the run's scratch directory, exact-mode creation, stat shorthands,
// permission checks whose outcome follows the capabilities in effect
// (tests/fs/privilege.hpp), and the table of bad paths every path-taking
// call is checked against.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fs/privilege.hpp"

namespace fs {

inline int D() { return kc::scratch_fd(); }

// Creates (or truncates) scratch file `name` with `data` and exactly `mode`
// (fchmod, so the umask does not matter); returns an O_RDWR fd.
inline int create(const char* name, const char* data = nullptr, u32 mode = 0644) {
    long fd = sys::openat(D(), name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    if (data) ASSERT_RET(sys::write(int(fd), data, rt::strlen(data)), long(rt::strlen(data)));
    ASSERT_OK(sys::fchmod(int(fd), mode));
    return int(fd);
}
inline void touch(const char* name, const char* data = nullptr, u32 mode = 0644) {
    sys::close(create(name, data, mode));
}
// Opens scratch entry `name`; the open must succeed.
inline int open(const char* name, int flags) {
    long fd = sys::openat(D(), name, flags | O_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}
// openat(dirfd, path, O_RDONLY), closing what it opened: the result of the
// lookup and the permission check alone.
inline long open_ro(int dirfd, const char* path) {
    long r = sys::openat(dirfd, path, O_RDONLY);
    if (r >= 0) sys::close(int(r));
    return r;
}
// Makes directory `name` with exactly `mode`.
inline void mkdir(const char* name, u32 mode = 0755) {
    ASSERT_OK(sys::mkdirat(D(), name, 0700));
    ASSERT_OK(sys::fchmodat(D(), name, mode));
}
inline void symlink(const char* target, const char* name) {
    ASSERT_OK(sys::symlinkat(target, D(), name));
}
inline arch::Stat st(const char* name, int flags = AT_SYMLINK_NOFOLLOW, int dirfd = -1) {
    arch::Stat s{};
    ASSERT_OK(sys::newfstatat(dirfd == -1 ? D() : dirfd, name, &s, flags));
    return s;
}
inline arch::Stat fst(int fd) {
    arch::Stat s{};
    ASSERT_OK(sys::fstat(fd, &s));
    return s;
}
inline bool exists(const char* name) {
    arch::Stat s;
    return sys::newfstatat(D(), name, &s, AT_SYMLINK_NOFOLLOW) == 0;
}
inline long fsize(int fd) { return fst(fd).st_size; }
// Reads the whole scratch file `name` (up to n bytes) into buf; returns the count.
inline long slurp(const char* name, char* buf, usize n) {
    int fd = open(name, O_RDONLY);
    long r = sys::pread64(fd, buf, n, 0);
    sys::close(fd);
    return r;
}
// The process umask (set to 0 for an instant and put back).
inline u32 umask_now() {
    long u = sys::umask(0);
    sys::umask(u32(u));
    return u32(u);
}
inline bool same_time(i64 s1, i64 ns1, i64 s2, i64 ns2) { return s1 == s2 && ns1 == ns2; }
// Repeats op (an idempotent metadata change on fd) until fd's ctime moves,
// for up to ~100 ms: file timestamps may be as coarse as one clock tick.
template <class Op>
bool ctime_moves(int fd, Op op) {
    arch::Stat a = fst(fd);
    for (int i = 0; i < 50; ++i) {
        if (op() < 0) return false;
        arch::Stat b = fst(fd);
        if (!same_time(a.st_ctime_sec, a.st_ctime_nsec, b.st_ctime_sec, b.st_ctime_nsec))
            return true;
        common::sleep_ms(2);
    }
    return false;
}

// Fills buf with `len` characters 'n' (a name or path of that length).
inline char* fill(char* buf, usize len, char c = 'n') {
    for (usize i = 0; i < len; ++i) buf[i] = c;
    buf[len] = 0;
    return buf;
}
// A path of `len` bytes made of "d/" repeats, then padding: no component is
// too long, so only the total length matters.
inline char* long_path(char* buf, usize len) {
    for (usize i = 0; i < len; ++i) buf[i] = (i % 2) ? '/' : 'd';
    buf[len] = 0;
    return buf;
}

// Bad paths. Each row names a path (relative to the scratch directory, or to
// a bad dirfd) and the error every lookup of it must fail with.
enum PathKind : u8 {
    P_LIT,         // `path` as written
    P_LONG_NAME,   // one component of NAME_MAX + 1 bytes
    P_LONG_PATH,   // PATH_MAX bytes without the NUL (too long by one)
    P_BAD_DIRFD,   // `path` relative to dirfd -1
    P_FILE_DIRFD,  // `path` relative to a regular file's fd
};
struct BadPath {
    const char* label;
    const char* path;
    PathKind kind;
    int err;
};
// Lookups of an existing object (the fixture: regular file "f" and the
// self-referencing symlink "loop"). POSIX pathname resolution (XBD 4.13) and
// the ENOENT/ENOTDIR/ELOOP/ENAMETOOLONG entries of each call's ERRORS.
// clang-format off
#define FS_LOOKUP_ROWS                                                    \
    {"enoent_missing", "missing", P_LIT, ENOENT},                          \
    {"enoent_missing_dir", "nodir/f", P_LIT, ENOENT},                      \
    {"enoent_empty", "", P_LIT, ENOENT},                                   \
    {"enotdir_through_file", "f/x", P_LIT, ENOTDIR},                       \
    {"enotdir_trailing_slash", "f/", P_LIT, ENOTDIR},                      \
    {"eloop_symlink_loop", "loop/x", P_LIT, ELOOP},                        \
    {"enametoolong_name_256", nullptr, P_LONG_NAME, ENAMETOOLONG},         \
    {"enametoolong_path_4096", nullptr, P_LONG_PATH, ENAMETOOLONG}
// clang-format on
inline constexpr BadPath kBadLookup[] = {
    FS_LOOKUP_ROWS,
    {"ebadf_dirfd", "f", P_BAD_DIRFD, EBADF},
    {"enotdir_dirfd_is_file", "x", P_FILE_DIRFD, ENOTDIR},
};
// The same for calls that create the last component: it may be missing, so
// only the prefix can fail.
inline constexpr BadPath kBadCreate[] = {
    {"enoent_missing_dir", "nodir/f", P_LIT, ENOENT},
    {"enoent_empty", "", P_LIT, ENOENT},
    {"enotdir_through_file", "f/x", P_LIT, ENOTDIR},
    {"eloop_symlink_loop", "loop/x", P_LIT, ELOOP},
    {"enametoolong_name_256", nullptr, P_LONG_NAME, ENAMETOOLONG},
    {"enametoolong_path_4096", nullptr, P_LONG_PATH, ENAMETOOLONG},
    {"ebadf_dirfd", "new", P_BAD_DIRFD, EBADF},
    {"enotdir_dirfd_is_file", "new", P_FILE_DIRFD, ENOTDIR},
};
// Bad paths for calls that take no dirfd: the same rows, made absolute.
inline constexpr BadPath kBadLookupAbs[] = {FS_LOOKUP_ROWS};
inline constexpr BadPath kBadCreateAbs[] = {
    {"enoent_missing_dir", "nodir/f", P_LIT, ENOENT},
    {"enoent_empty", "", P_LIT, ENOENT},
    {"enotdir_through_file", "f/x", P_LIT, ENOTDIR},
    {"eloop_symlink_loop", "loop/x", P_LIT, ELOOP},
    {"enametoolong_name_256", nullptr, P_LONG_NAME, ENAMETOOLONG},
    {"enametoolong_path_4096", nullptr, P_LONG_PATH, ENAMETOOLONG},
};

// Flag arguments that calls accepting only AT_SYMLINK_NOFOLLOW and
// AT_EMPTY_PATH (fstatat, fchmodat2, fchownat, utimensat) reject with EINVAL.
struct FlagRow {
    const char* label;
    int flags;
};
inline constexpr FlagRow kBadAtFlags[] = {
    {"bit_0", 1},
    {"at_removedir", AT_REMOVEDIR},
    {"at_symlink_follow", AT_SYMLINK_FOLLOW},
    {"bit_31", int(0x80000000u)},
};

// Runs call(dirfd, path) for the row (after creating the fixture) and checks
// the error. `absolute`: prefix the scratch path (calls without a dirfd).
using PathCall = long (*)(int dirfd, const char* path);
inline void check_bad_path(const BadPath& row, PathCall call, bool absolute = false) {
    static char buf[PATH_MAX + 600];
    touch("f", "data");
    sys::symlinkat("loop", D(), "loop");
    usize at = 0;
    if (absolute && row.path && !*row.path) {
        buf[0] = 0;  // the empty path stays empty
    } else {
        if (absolute) {
            const char* base = kc::scratch_path("");
            for (; base[at]; ++at) buf[at] = base[at];
        }
        if (row.kind == P_LONG_NAME) {
            fill(buf + at, NAME_MAX + 1);
        } else if (row.kind == P_LONG_PATH) {
            // The path that reaches the kernel is PATH_MAX bytes long.
            long_path(buf + at, PATH_MAX - at);
        } else {
            usize i = 0;
            for (; row.path[i]; ++i) buf[at + i] = row.path[i];
            buf[at + i] = 0;
        }
    }
    int dirfd = D(), filefd = -1;
    if (row.kind == P_BAD_DIRFD) dirfd = -1;
    if (row.kind == P_FILE_DIRFD) dirfd = filefd = open("f", O_RDONLY);
    long r = call(dirfd, buf);
    EXPECT_ERR(r, row.err);
    if (filefd >= 0) sys::close(filefd);
}

// The two entry points of a path call: the *at call, by a name relative to
// the scratch directory, and the legacy call that takes a path alone (mkdir
// for mkdirat; x86-64 only), by the absolute path. Emulators and compat
// layers implement each entry point separately, so the same body runs
// through both, as a test of each group (TEST_ENTRIES below).
enum Entry : u8 { AT, LEGACY };
// Scratch entry `name` as `e` takes it (the last four absolute paths stay
// valid, kc::scratch_path).
inline const char* path(Entry e, const char* name) {
    return e == AT ? name : kc::scratch_path(name);
}

// Runs fn(arg) in a child that dropped every capability (same ids, so still
// the owner of the scratch files and able to search the scratch directory):
// a permission check there fails with its errno even where the test's own
// process could override the permission bits.
struct Unprivileged {
    void (*fn)(void*);
    void* arg;
};
inline void unprivileged_child(void* p) {
    auto* u = static_cast<Unprivileged*>(p);
    ASSERT_TRUE(kc::drop_capabilities());
    u->fn(u->arg);
}
inline void as_unprivileged(void (*fn)(void*), void* arg) {
    Unprivileged u = {fn, arg};
    EXPECT_CHILD_OK(kc::spawn(unprivileged_child, &u));
}

// Reads a directory fully with a buffer of `bufsz` bytes, calling
// fn(const Dirent64&) for each entry; returns the number of entries or -errno.
template <class Fn>
long for_each_dirent(int fd, usize bufsz, Fn fn) {
    alignas(8) char buf[8192];
    long count = 0;
    for (;;) {
        long n = sys::getdents64(fd, buf, bufsz);
        if (n <= 0) return n < 0 ? n : count;
        for (long off = 0; off < n;) {
            auto* d = reinterpret_cast<const linux_dirent64*>(buf + off);
            fn(*d);
            ++count;
            off += d->d_reclen;
        }
    }
}

}  // namespace fs

// A permission check on the test's own files that fails with `e` unless a
// capability in effect overrides the permission bits (`overridden`), and then
// passes: both outcomes are tested, chosen by privilege::dac_override(). With
// the capability (root, the usual case of the suite as /init) the denial is
// checked first in a child that dropped its capabilities (the same uid, so
// the same owner class), so that a kernel without permission checks fails
// there too; the child's check reports into the test.
#define EXPECT_DENIED_UNLESS(overridden, expr, e)                 \
    do {                                                          \
        bool kc_over_ = (overridden);                             \
        if (kc_over_ && kc::can_fork()) {                         \
            long kc_pid_ = sys::fork();                           \
            if (kc_pid_ == 0) {                                   \
                if (kc::drop_capabilities()) EXPECT_ERR(expr, e); \
                sys::exit_group(0);                               \
            }                                                     \
            EXPECT_CHILD_OK(kc_pid_);                             \
        }                                                         \
        if (kc_over_)                                             \
            EXPECT_OK(expr);                                      \
        else                                                      \
            EXPECT_ERR(expr, e);                                  \
    } while (0)
// Writing a file, or creating or removing in a directory: CAP_DAC_OVERRIDE.
#define EXPECT_DENIED(expr, e) EXPECT_DENIED_UNLESS(privilege::dac_override(false), expr, e)
// Reading a file, or searching or reading a directory: CAP_DAC_READ_SEARCH
// overrides it too.
#define EXPECT_READ_DENIED(expr, e) EXPECT_DENIED_UNLESS(privilege::dac_override(true), expr, e)

// One body, two tests: at_g.n_ runs it with `entry` fs::AT, legacy_g.n_
// (skipped where the ABI lacks legacy_g) with fs::LEGACY. TEST_P_ENTRIES
// does the same for each row of `table`.
#define FS_ENTRY_BODY(at_g, n_) kc_entry_##at_g##__##n_
#define TEST_ENTRIES(at_g, legacy_g, n_, cat, prof, ...)                        \
    static void FS_ENTRY_BODY(at_g, n_)(fs::Entry entry);                       \
    TEST(at_g, n_, cat, prof, __VA_ARGS__) { FS_ENTRY_BODY(at_g, n_)(fs::AT); } \
    TEST(legacy_g, n_, cat, prof, __VA_ARGS__) {                                \
        REQUIRE_NR(legacy_g);                                                   \
        FS_ENTRY_BODY(at_g, n_)(fs::LEGACY);                                    \
    }                                                                           \
    static void FS_ENTRY_BODY(at_g, n_)([[maybe_unused]] fs::Entry entry)
#define TEST_P_ENTRIES(at_g, legacy_g, n_, cat, prof, table, ...)                             \
    static void FS_ENTRY_BODY(at_g, n_)(const __typeof__(table[0])& row, fs::Entry entry);    \
    TEST_P(at_g, n_, cat, prof, table, __VA_ARGS__) { FS_ENTRY_BODY(at_g, n_)(row, fs::AT); } \
    TEST_P(legacy_g, n_, cat, prof, table, __VA_ARGS__) {                                     \
        REQUIRE_NR(legacy_g);                                                                 \
        FS_ENTRY_BODY(at_g, n_)(row, fs::LEGACY);                                             \
    }                                                                                         \
    static void FS_ENTRY_BODY(at_g, n_)(const __typeof__(table[0])& row,                      \
                                        [[maybe_unused]] fs::Entry entry)
