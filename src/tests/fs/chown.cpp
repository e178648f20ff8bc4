// SPDX-License-Identifier: MIT
// fchown(2), fchownat(2), chown(2), lchown(2): -1 leaves an id unchanged,
// a process with CAP_CHOWN gives files away while others get EPERM (the
// expected result follows the capabilities in effect, and a child that
// became another user checks the owner's limits), set-user-ID/set-group-ID
// bits cleared by a chown, ctime, symlinks followed or not, AT_EMPTY_PATH and
// flag checks. In a user namespace an id without a mapping there is EINVAL
// (checked where the environment has such ids). The legacy chown(2) and
// lchown(2) entry points (x86-64) run the same id and path cases by
// absolute path.
// Left out: _POSIX_CHOWN_RESTRICTED variants (Linux is always restricted),
// EROFS.
#include "tests/fs/fs_util.hpp"

namespace {

constexpr u32 kNoChange = ~0u;  // (uid_t)-1

long chown_rel(int d, const char* p) { return sys::fchownat(d, p, kNoChange, kNoChange, 0); }

// The ways to change scratch file "f", open as fd.
enum Via : u8 { FCHOWN, CHOWN, LCHOWN };
long chown_via(Via v, int fd, u32 uid, u32 gid) {
    if (v == FCHOWN) return sys::fchown(fd, uid, gid);
    const char* p = kc::scratch_path("f");
    return v == CHOWN ? sys::chown(p, uid, gid) : sys::lchown(p, uid, gid);
}

// A chown needs the process's own uid to be mapped in its user namespace
// (under `unshare -U` it is not, and every id but -1 is EINVAL).
void require_own_ids_mapped() {
    if (!privilege::own_ids_mapped())
        kc::skip(
            "needs this process's uid and gid mapped in its user namespace (chown to an "
            "unmapped id is EINVAL)");
}

// What fchown(fd, uid, gid) gives on a file this process owns, with ids `s`:
// EINVAL for an id unmapped in this user namespace (checked first, in
// chown_common), else chown_ok/chgrp_ok (fs/attr.c): the owner may keep its
// uid and set a group it is in (or the file's own); CAP_CHOWN may do
// anything; the rest is EPERM.
long chown_result(const arch::Stat& s, u32 uid, u32 gid) {
    if ((uid != kNoChange && !privilege::uid_mapped(uid)) ||
        (gid != kNoChange && !privilege::gid_mapped(gid)))
        return -EINVAL;
    if (privilege::chown_any()) return 0;
    bool uid_ok = uid == kNoChange || uid == s.st_uid;
    bool gid_ok = gid == kNoChange || gid == s.st_gid || privilege::in_group(gid);
    return uid_ok && gid_ok ? 0 : -EPERM;
}

}  // namespace

// chown(2): "If owner or group is specified as (uid_t)-1 or (gid_t)-1,
// respectively, the corresponding ID of the file shall not be changed".
TEST(fchown, minus_one_keeps_ids, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    arch::Stat a = fs::fst(fd);
    EXPECT_RET(sys::fchown(fd, kNoChange, kNoChange), 0);
    arch::Stat b = fs::fst(fd);
    EXPECT_EQ(b.st_uid, a.st_uid);
    EXPECT_EQ(b.st_gid, a.st_gid);
    sys::close(fd);
}

// chown(2): the owner may "change" to its own uid and egid.
TEST(fchown, to_own_ids_ok, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    require_own_ids_mapped();
    int fd = fs::create("f");
    EXPECT_RET(sys::fchown(fd, u32(sys::geteuid()), u32(sys::getegid())), 0);
    EXPECT_EQ(fs::fst(fd).st_uid, sys::geteuid());
    sys::close(fd);
}

// chown(2): CAP_CHOWN may give a file to any uid and gid; others get EPERM
// and the file keeps its ids; user_namespaces(7): an id without a mapping in
// the caller's user namespace is EINVAL, whoever asks.
struct IdRow {
    const char* label;
    u32 uid, gid;
};
constexpr IdRow kOtherIds[] = {
    {"other_uid", 1234, kNoChange},
    {"other_gid", kNoChange, 4321},
    {"other_uid_and_gid", 1234, 4321},
    {"uid_0", 0, kNoChange},
};
void to_other_ids(const IdRow& row, Via via) {
    int fd = fs::create("f");
    arch::Stat a = fs::fst(fd);
    long want = chown_result(a, row.uid, row.gid);
    long r = chown_via(via, fd, row.uid, row.gid);
    arch::Stat b = fs::fst(fd);
    if (want == 0) {
        EXPECT_RET(r, 0);
        EXPECT_EQ(b.st_uid, row.uid == kNoChange ? a.st_uid : row.uid);
        EXPECT_EQ(b.st_gid, row.gid == kNoChange ? a.st_gid : row.gid);
    } else {
        EXPECT_ERR(r, -want);
        EXPECT_EQ(b.st_uid, a.st_uid);
        EXPECT_EQ(b.st_gid, a.st_gid);
    }
    sys::close(fd);
}
TEST_P(fchown, to_other_ids, NEGATIVE, PSE54, kOtherIds, .flags = kc::NEEDS_SCRATCH) {
    to_other_ids(row, FCHOWN);
}
// The same ids through the legacy chown(2) and lchown(2) by path.
TEST_P(chown, to_other_ids, NEGATIVE, PSE54, kOtherIds, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(chown);
    to_other_ids(row, CHOWN);
}
TEST_P(lchown, to_other_ids, NEGATIVE, PSE54, kOtherIds, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lchown);
    to_other_ids(row, LCHOWN);
}

namespace {
struct OwnerArgs {
    int fd;
    u32 parent_uid, parent_gid, uid, gid;
};
void chown_as_unprivileged_owner(void* arg) {
    const OwnerArgs& a = *static_cast<OwnerArgs*>(arg);
    ASSERT_TRUE(kc::become_other_user());
    EXPECT_RET(sys::fchown(a.fd, kNoChange, a.gid), 0);             // its own group
    EXPECT_ERR(sys::fchown(a.fd, kNoChange, a.parent_gid), EPERM);  // a group it is not in
    EXPECT_ERR(sys::fchown(a.fd, a.parent_uid, kNoChange), EPERM);  // give away
    EXPECT_RET(sys::fchown(a.fd, a.uid, kNoChange), 0);             // no change
}
}  // namespace

// chown(2) EPERM from the owner's side: an owner without CAP_CHOWN may change
// the group only to one it belongs to, and never the owner (a child that
// became kc::other_uid() with no capabilities, owning the file whose group is
// the parent's).
TEST(fchown, owner_limits_eperm, NEGATIVE, PSE54, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    kc::require_ns_cap(CAP_CHOWN);
    OwnerArgs a = {fs::create("f"), u32(sys::geteuid()), u32(sys::getegid()), kc::other_uid(),
                   kc::other_gid()};
    ASSERT_OK(sys::fchown(a.fd, a.uid, kNoChange));
    EXPECT_CHILD_OK(kc::spawn(chown_as_unprivileged_owner, &a));
    arch::Stat s = fs::fst(a.fd);
    EXPECT_EQ(s.st_uid, a.uid);
    EXPECT_EQ(s.st_gid, a.gid);
    sys::close(a.fd);
}

// chown(2): a successful chown of a regular file clears S_ISUID, and S_ISGID
// when the group may execute; Linux does this for root too, and keeps a
// S_ISGID without group execute (the mandatory-locking marker).
struct KillRow {
    const char* label;
    u32 mode, want;
};
constexpr KillRow kKill[] = {
    {"setuid_cleared", 04755, 0755}, {"setgid_group_exec_cleared", 02755, 0755},
    {"both_cleared", 06711, 0711},   {"setgid_no_group_exec_kept", 02644, 02644},
    {"plain_mode_kept", 0640, 0640},
};
TEST_P(fchown, clears_set_id_bits, POSITIVE, PSE54, kKill, .flags = kc::NEEDS_SCRATCH) {
    require_own_ids_mapped();
    int fd = fs::create("f", nullptr, row.mode);
    ASSERT_EQ(fs::fst(fd).st_mode & 07777, row.mode);
    EXPECT_RET(sys::fchown(fd, u32(sys::geteuid()), kNoChange), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, row.want);
    sys::close(fd);
}

// chown(2): a directory keeps S_ISGID (it is inherited, not a privilege).
TEST(fchown, directory_keeps_setgid, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_own_ids_mapped();
    fs::mkdir("d", 02775);
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    EXPECT_RET(sys::fchown(fd, u32(sys::geteuid()), kNoChange), 0);
    EXPECT_EQ(fs::fst(fd).st_mode & 07777, 02775);
    sys::close(fd);
}

// chown(2): "mark for update the last file status change timestamp", even
// when no id changes.
TEST(fchown, moves_ctime, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f");
    EXPECT_TRUE(fs::ctime_moves(fd, [&] { return sys::fchown(fd, kNoChange, kNoChange); }));
    sys::close(fd);
}

// fchown(2) EBADF: not an open descriptor, or an O_PATH descriptor (Linux).
TEST(fchown, bad_fd_ebadf, NEGATIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(sys::fchown(-1, kNoChange, kNoChange), EBADF);
    EXPECT_ERR(sys::fchown(777, kNoChange, kNoChange), EBADF);
    fs::touch("f");
    int fd = fs::open("f", O_PATH);
    EXPECT_ERR(sys::fchown(fd, kNoChange, kNoChange), EBADF);
    sys::close(fd);
}

namespace {
// fchownat (flags 0 or AT_SYMLINK_NOFOLLOW) on scratch entry `name`, or
// chown(2)/lchown(2) by absolute path.
long chown_by(fs::Entry e, const char* name, u32 uid, bool nofollow) {
    const char* p = fs::path(e, name);
    if (e == fs::AT)
        return sys::fchownat(fs::D(), p, uid, kNoChange, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
    return nofollow ? sys::lchown(p, uid, kNoChange) : sys::chown(p, uid, kNoChange);
}
}  // namespace

// chown(2) follows a symlink; lchown (AT_SYMLINK_NOFOLLOW) changes the link
// itself. With CAP_CHOWN the ids visibly change: the process's own uid E and
// kc::other_uid() O take turns.
TEST_ENTRIES(fchownat, chown, symlink_follow_and_nofollow, POSITIVE, PSE54,
             .flags = kc::NEEDS_SCRATCH) {
    kc::require_ns_cap(CAP_CHOWN);
    require_own_ids_mapped();
    u32 e = u32(sys::geteuid()), o = kc::other_uid();
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_RET(chown_by(entry, "link", o, false), 0);  // follows
    EXPECT_EQ(fs::st("f").st_uid, o);
    EXPECT_EQ(fs::st("link").st_uid, e);
    EXPECT_RET(chown_by(entry, "link", o, true), 0);
    EXPECT_EQ(fs::st("link").st_uid, o);
    EXPECT_RET(chown_by(entry, "link", e, true), 0);
    EXPECT_EQ(fs::st("link").st_uid, e);
    EXPECT_EQ(fs::st("f").st_uid, o);
}

// fchownat(2) AT_EMPTY_PATH: an empty path operates on dirfd's file (given
// to another user when CAP_CHOWN and one exist, else to its owner).
TEST(fchownat, empty_path_changes_fd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_own_ids_mapped();
    int fd = fs::create("f");
    const kc::Environment& env = kc::environment();
    u32 uid = privilege::chown_any() && env.nother_uids ? env.other_uids[0] : u32(sys::geteuid());
    EXPECT_RET(sys::fchownat(fd, "", uid, kNoChange, AT_EMPTY_PATH), 0);
    EXPECT_EQ(fs::fst(fd).st_uid, uid);
    EXPECT_ERR(sys::fchownat(fd, "", uid, kNoChange, 0), ENOENT);
    sys::close(fd);
}

// fchownat(2) EINVAL: flags other than AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH.
TEST_P(fchownat, bad_flags_einval, NEGATIVE, PSE54, fs::kBadAtFlags, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    EXPECT_ERR(sys::fchownat(fs::D(), "f", kNoChange, kNoChange, row.flags), EINVAL);
}

// chown(2): the lookup errors of path resolution.
TEST_P(fchownat, bad_path, NEGATIVE, PSE54, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, chown_rel);
}

// chown(2), lchown(2), legacy calls: the lookup errors of path resolution.
TEST_P(chown, bad_path, NEGATIVE, PSE54, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(chown);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::chown(p, kNoChange, kNoChange); }, true);
}
TEST_P(lchown, bad_path, NEGATIVE, PSE54, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lchown);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::lchown(p, kNoChange, kNoChange); }, true);
}

// lchown(2): the link itself changes, its target does not; a trailing slash
// makes the lookup follow it (XBD 4.13), so the target changes then.
TEST(lchown, changes_link_not_target, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lchown);
    kc::require_ns_cap(CAP_CHOWN);
    require_own_ids_mapped();
    u32 e = u32(sys::geteuid()), o = kc::other_uid();
    fs::mkdir("d");
    fs::symlink("d", "link");
    EXPECT_RET(sys::lchown(kc::scratch_path("link"), o, kNoChange), 0);
    EXPECT_EQ(fs::st("link").st_uid, o);
    EXPECT_EQ(fs::st("d").st_uid, e);
    EXPECT_RET(sys::lchown(kc::scratch_path("link/"), o, kNoChange), 0);
    EXPECT_EQ(fs::st("d").st_uid, o);
}

// chown(2), legacy call: by absolute path; ENOENT for a missing file.
TEST(chown, by_path, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(chown);
    fs::touch("f");
    EXPECT_RET(sys::chown(kc::scratch_path("f"), kNoChange, kNoChange), 0);
    EXPECT_ERR(sys::chown(kc::scratch_path("missing"), kNoChange, kNoChange), ENOENT);
}

// lchown(2), legacy call: changes a dangling symlink itself; chown follows it.
TEST(lchown, dangling_symlink_ok, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(lchown);
    fs::symlink("nowhere", "link");
    EXPECT_RET(sys::lchown(kc::scratch_path("link"), kNoChange, kNoChange), 0);
    EXPECT_ERR(sys::chown(kc::scratch_path("link"), kNoChange, kNoChange), ENOENT);
}
