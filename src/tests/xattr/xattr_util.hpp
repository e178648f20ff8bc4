// SPDX-License-Identifier: MIT
// Helpers shared by the extended-attribute tests (src/tests/xattr/*.cpp):
// the scratch fixture with its user.* support probe, one interface over the
// path / l* / f* variants of the four calls, list parsing and name building.
// What the process may do (capabilities, ids) comes from
// tests/fs/privilege.hpp.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_xattr.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fs/privilege.hpp"

namespace xattr {

inline int D() { return kc::scratch_fd(); }
// An address no process has mapped: the kernel must answer EFAULT.
inline char* const kBad = reinterpret_cast<char*>(8);

// Creates scratch file `name` (mode `mode`) and returns an O_RDWR fd. The
// test is skipped when the scratch file system refuses user.* attributes
// (tmpfs before Linux 6.6, some network file systems).
inline int file(const char* name = "f", u32 mode = 0644) {
    long fd = sys::openat(D(), name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    long r = sys::fsetxattr(int(fd), "user.kc_probe", "p", 1, 0);
    if (r == -EOPNOTSUPP) {
        sys::close(int(fd));
        kc::skip("scratch file system refuses user.* xattrs (EOPNOTSUPP)");
    }
    ASSERT_OK(r);
    ASSERT_OK(sys::fremovexattr(int(fd), "user.kc_probe"));
    ASSERT_OK(sys::fchmod(int(fd), mode));
    return int(fd);
}

// Copies kc::scratch_path(name) into one of two buffers that stay valid for
// the whole test.
inline const char* path(const char* name, int slot = 0) {
    static char buf[2][512];
    const char* p = kc::scratch_path(name);
    usize i = 0;
    for (; p[i] && i < sizeof buf[0] - 1; ++i) buf[slot][i] = p[i];
    buf[slot][i] = 0;
    return buf[slot];
}

// The three ways of naming the object: setxattr(path), lsetxattr(path) (the
// same on anything but a symlink) and fsetxattr(fd).
enum Via : u8 { PATH, LINK, FD };
struct Target {
    Via via;
    int fd;
    const char* path;
};
// The fixture "f" reached through `via`; close t.fd at the end.
inline Target target(Via via, u32 mode = 0644) { return {via, file("f", mode), path("f")}; }

inline long set(const Target& t, const char* n, const void* v, usize len, int fl = 0) {
    if (t.via == PATH) return sys::setxattr(t.path, n, v, len, fl);
    if (t.via == LINK) return sys::lsetxattr(t.path, n, v, len, fl);
    return sys::fsetxattr(t.fd, n, v, len, fl);
}
inline long get(const Target& t, const char* n, void* v, usize len) {
    if (t.via == PATH) return sys::getxattr(t.path, n, v, len);
    if (t.via == LINK) return sys::lgetxattr(t.path, n, v, len);
    return sys::fgetxattr(t.fd, n, v, len);
}
inline long list(const Target& t, char* buf, usize len) {
    if (t.via == PATH) return sys::listxattr(t.path, buf, len);
    if (t.via == LINK) return sys::llistxattr(t.path, buf, len);
    return sys::flistxattr(t.fd, buf, len);
}
inline long remove(const Target& t, const char* n) {
    if (t.via == PATH) return sys::removexattr(t.path, n);
    if (t.via == LINK) return sys::lremovexattr(t.path, n);
    return sys::fremovexattr(t.fd, n);
}

// How often `name` occurs in a listxattr result of n bytes; -1 when the list
// is malformed (not NUL-terminated, or holds an empty name).
inline int count(const char* list, long n, const char* name) {
    if (n < 0 || (n > 0 && list[n - 1] != 0)) return -1;
    int c = 0;
    for (long i = 0; i < n;) {
        usize len = rt::strlen(list + i);
        if (len == 0) return -1;
        c += rt::streq(list + i, name);
        i += long(len) + 1;
    }
    return c;
}
// The number of names starting with "user." in a listxattr result; -1 when
// the call failed.
inline int count_user(const char* list, long n) {
    if (n < 0) return -1;
    int c = 0;
    for (long i = 0; i < n; i += long(rt::strlen(list + i)) + 1)
        c += list[i] == 'u' && list[i + 1] == 's' && list[i + 2] == 'e' && list[i + 3] == 'r' &&
             list[i + 4] == '.';
    return c;
}

// "user." followed by 'a's up to `len` bytes in all; buf holds len + 1.
inline char* long_name(char* buf, usize len) {
    const char* p = "user.";
    for (usize i = 0; i < len; ++i) buf[i] = i < 5 ? p[i] : 'a';
    buf[len] = 0;
    return buf;
}
// "user.kNNN" for i < 1000.
inline char* num_name(char* buf, int i) {
    const char* p = "user.k";
    for (int j = 0; j < 6; ++j) buf[j] = p[j];
    buf[6] = char('0' + i / 100);
    buf[7] = char('0' + i / 10 % 10);
    buf[8] = char('0' + i % 10);
    buf[9] = 0;
    return buf;
}

// Byte i of the test pattern: NUL first, every value 0..255 in 256 bytes.
inline char pat(usize i) { return char(i * 7); }
inline void fill(char* p, usize n) {
    for (usize i = 0; i < n; ++i) p[i] = pat(i);
}

// Bad paths for the path-taking calls; the fixture is regular file "f" and
// the self-referencing symlink "loop" in scratch; all made absolute.
enum PathKind : u8 { P_LIT, P_LONG_NAME, P_LONG_PATH };
struct BadPath {
    const char* label;
    const char* path;
    PathKind kind;
    int err;
};
inline constexpr BadPath kBadPaths[] = {
    {"enoent_missing", "missing", P_LIT, ENOENT},
    {"enoent_missing_dir", "nodir/f", P_LIT, ENOENT},
    {"enoent_empty", "", P_LIT, ENOENT},
    {"enotdir_through_file", "f/x", P_LIT, ENOTDIR},
    {"enotdir_trailing_slash", "f/", P_LIT, ENOTDIR},
    {"eloop_symlink_loop", "loop/x", P_LIT, ELOOP},
    {"enametoolong_name_256", nullptr, P_LONG_NAME, ENAMETOOLONG},
    {"enametoolong_path_4096", nullptr, P_LONG_PATH, ENAMETOOLONG},
};
// Builds the row's path (after creating the fixture) and returns it.
inline const char* bad_path(const BadPath& row) {
    static char buf[PATH_MAX + 600];
    long fd = sys::openat(D(), "f", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_OK(fd);
    sys::close(int(fd));
    ASSERT_OK(sys::symlinkat("loop", D(), "loop"));
    if (row.path && !*row.path) return "";
    const char* base = kc::scratch_path("");
    usize at = 0;
    for (; base[at]; ++at) buf[at] = base[at];
    if (row.kind == P_LONG_NAME) {
        for (usize i = 0; i <= NAME_MAX; ++i) buf[at + i] = 'n';
        buf[at + NAME_MAX + 1] = 0;
    } else if (row.kind == P_LONG_PATH) {
        // PATH_MAX bytes without the NUL: "d/d/..." so no component is long.
        for (usize i = at; i < PATH_MAX; ++i) buf[i] = ((i - at) % 2) ? '/' : 'd';
        buf[PATH_MAX] = 0;
    } else {
        usize i = 0;
        for (; row.path[i]; ++i) buf[at + i] = row.path[i];
        buf[at + i] = 0;
    }
    return buf;
}

// Shared bodies: each runs against the fixture through one Via, so that the
// path, l* and f* groups check the same rows.

// A value of `len` bytes (NUL bytes included) comes back byte for byte, its
// size query returns len, and nothing is written past it.
struct ValueRow {
    const char* label;
    usize len;
};
inline constexpr ValueRow kValues[] = {
    {"empty", 0},           {"one_nul_byte", 1}, {"nul_led_16", 16},
    {"all_bytes_256", 256}, {"len_1000", 1000},  {"len_3000", 3000},
};
inline void value_round_trip(Via via, const ValueRow& row) {
    Target t = target(via);
    char in[3000], out[3008];
    fill(in, row.len);
    for (char& c : out) c = 'x';
    ASSERT_RET(set(t, "user.v", in, row.len), 0);
    EXPECT_RET(get(t, "user.v", nullptr, 0), long(row.len));
    EXPECT_RET(get(t, "user.v", out, sizeof out), long(row.len));
    EXPECT_MEM_EQ(out, in, row.len);
    EXPECT_EQ(out[row.len], 'x');
    sys::close(t.fd);
}

// XATTR_CREATE / XATTR_REPLACE against an existing or missing attribute;
// a failed call leaves the old state. Linux checks only for bits outside the
// two flags (EINVAL): both together act as each alone would, CREATE first.
struct FlagRow {
    const char* label;
    bool exists;
    int flags;
    int err;
};
inline constexpr FlagRow kFlags[] = {
    {"none_new", false, 0, 0},
    {"none_existing_replaces", true, 0, 0},
    {"create_new", false, XATTR_CREATE, 0},
    {"create_existing_eexist", true, XATTR_CREATE, EEXIST},
    {"replace_existing", true, XATTR_REPLACE, 0},
    {"replace_missing_enodata", false, XATTR_REPLACE, ENODATA},
    {"both_existing_eexist", true, XATTR_CREATE | XATTR_REPLACE, EEXIST},
    {"both_missing_enodata", false, XATTR_CREATE | XATTR_REPLACE, ENODATA},
    {"unknown_4_einval", false, 4, EINVAL},
    {"unknown_bit31_einval", true, int(0x80000000u), EINVAL},
    {"create_plus_unknown_einval", false, XATTR_CREATE | 8, EINVAL},
};
inline void flag_rule(Via via, const FlagRow& row) {
    Target t = target(via);
    char out[8];
    if (row.exists) ASSERT_RET(set(t, "user.f", "old", 3), 0);
    long r = set(t, "user.f", "new!", 4, row.flags);
    if (row.err) {
        EXPECT_ERR(r, row.err);
        if (row.exists) {
            EXPECT_RET(get(t, "user.f", out, sizeof out), 3);
            EXPECT_MEM_EQ(out, "old", 3);
        } else {
            EXPECT_ERR(get(t, "user.f", out, sizeof out), ENODATA);
        }
    } else {
        EXPECT_RET(r, 0);
        EXPECT_RET(get(t, "user.f", out, sizeof out), 4);
        EXPECT_MEM_EQ(out, "new!", 4);
    }
    sys::close(t.fd);
}

// Attribute names: at most XATTR_NAME_MAX (255) bytes with the prefix, not
// empty (ERANGE, Linux), in a namespace the file system knows (EOPNOTSUPP),
// with something after the prefix (EINVAL). The same rules for set, get and
// remove; an accepted name round-trips and is listed.
struct NameRow {
    const char* label;
    const char* name;  // nullptr: "user.aaa..." of len bytes
    usize len;
    int err;
};
inline constexpr NameRow kNames[] = {
    {"empty_erange", "", 0, ERANGE},
    {"len_6_ok", "user.x", 0, 0},
    {"len_255_ok", nullptr, 255, 0},
    {"len_256_erange", nullptr, 256, ERANGE},
    {"len_1000_erange", nullptr, 1000, ERANGE},
    {"unknown_prefix_eopnotsupp", "foo.bar", 0, EOPNOTSUPP},
    {"no_prefix_eopnotsupp", "nodot", 0, EOPNOTSUPP},
    {"upper_case_prefix_eopnotsupp", "USER.x", 0, EOPNOTSUPP},
    {"prefix_without_dot_eopnotsupp", "user", 0, EOPNOTSUPP},
    {"prefix_only_einval", "user.", 0, EINVAL},
};
enum Op : u8 { SET, GET, REMOVE };
inline void name_rule(Via via, Op op, const NameRow& row) {
    Target t = target(via);
    char buf[1001], out[300];
    const char* name = row.name ? row.name : long_name(buf, row.len);
    if (row.err) {
        long r = op == SET   ? set(t, name, "v", 1)
                 : op == GET ? get(t, name, out, 8)
                             : remove(t, name);
        EXPECT_ERR(r, row.err);
    } else {
        ASSERT_RET(set(t, name, "v", 1), 0);
        EXPECT_RET(get(t, name, out, 8), 1);
        long n = list(t, out, sizeof out);
        EXPECT_EQ(count(out, n, name), 1);
        if (op == REMOVE) {
            EXPECT_RET(remove(t, name), 0);
            EXPECT_ERR(get(t, name, out, 8), ENODATA);
        }
    }
    sys::close(t.fd);
}

// Values longer than XATTR_SIZE_MAX (64 KiB) fail with E2BIG, whatever the
// file system; nothing is created.
struct SizeRow {
    const char* label;
    usize len;
};
inline constexpr SizeRow kTooBig[] = {
    {"len_65537", XATTR_SIZE_MAX + 1},
    {"len_1mib", 1 << 20},
    {"len_size_max", ~usize(0)},
};
inline void too_big(Via via, const SizeRow& row) {
    Target t = target(via);
    common::AnonMap m((1 << 20) + 1);  // values this long do not belong on the stack
    ASSERT_TRUE(m.p != nullptr);
    EXPECT_ERR(set(t, "user.big", m.p, row.len), E2BIG);
    EXPECT_ERR(get(t, "user.big", nullptr, 0), ENODATA);
    sys::close(t.fd);
}

// A value of exactly XATTR_SIZE_MAX bytes is within the VFS limit; a file
// system may still lack the room (ext4 without ea_inode: ENOSPC), which
// skips.
inline void max_value(Via via) {
    Target t = target(via);
    common::AnonMap in(XATTR_SIZE_MAX), out(XATTR_SIZE_MAX);
    ASSERT_TRUE(in.p != nullptr && out.p != nullptr);
    fill(in.p, in.n);
    long r = set(t, "user.max", in.p, in.n);
    if (r == -ENOSPC) {
        sys::close(t.fd);
        kc::skip("scratch file system has no room for a 64 KiB xattr value (ENOSPC)");
    }
    ASSERT_RET(r, 0);
    EXPECT_RET(get(t, "user.max", nullptr, 0), long(XATTR_SIZE_MAX));
    EXPECT_RET(get(t, "user.max", out.p, out.n), long(XATTR_SIZE_MAX));
    EXPECT_MEM_EQ(out.p, in.p, in.n);
    sys::close(t.fd);
}

// The list holds every name once, NUL-terminated; its size query gives the
// exact byte count; a buffer one byte short fails with ERANGE.
inline void names_listed_once(Via via) {
    Target t = target(via);
    const char* names[] = {"user.a", "user.bb", "user.ccc"};
    for (const char* n : names) ASSERT_RET(set(t, n, n, 2), 0);
    char out[512];
    long need = list(t, nullptr, 0);
    EXPECT_GE(need, 7 + 8 + 9);
    long n = list(t, out, sizeof out);
    EXPECT_EQ(n, need);
    for (const char* nm : names) EXPECT_EQ(count(out, n, nm), 1);
    EXPECT_EQ(count_user(out, n), 3);
    EXPECT_ERR(list(t, out, usize(need - 1)), ERANGE);
    EXPECT_ERR(list(t, out, 1), ERANGE);
    EXPECT_RET(remove(t, "user.bb"), 0);
    n = list(t, out, sizeof out);
    EXPECT_EQ(n, need - 8);
    EXPECT_EQ(count(out, n, "user.bb"), 0);
    sys::close(t.fd);
}

// A value buffer smaller than the value fails with ERANGE; the exact size
// works; size 0 asks for the size and writes nothing.
inline void small_buffer(Via via) {
    Target t = target(via);
    char in[100], out[100];
    fill(in, sizeof in);
    for (char& c : out) c = 'x';
    ASSERT_RET(set(t, "user.s", in, sizeof in), 0);
    EXPECT_ERR(get(t, "user.s", out, 99), ERANGE);
    EXPECT_ERR(get(t, "user.s", out, 1), ERANGE);
    EXPECT_RET(get(t, "user.s", out, 0), 100);
    EXPECT_EQ(out[0], 'x');
    EXPECT_RET(get(t, "user.s", out, 100), 100);
    EXPECT_MEM_EQ(out, in, 100);
    sys::close(t.fd);
}

}  // namespace xattr
