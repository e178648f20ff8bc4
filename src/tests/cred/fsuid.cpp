// SPDX-License-Identifier: MIT
// setfsuid(2), setfsgid(2): the file-system ids. Both calls always return the
// previous value (never an error code); an invalid id such as -1 is a pure
// query. The fsuid follows the effective uid on every effective-uid change,
// is what file creation and permission checks use, and an unprivileged
// process may only set it to one of its real/effective/saved/fs ids.
// Every change happens in a child that exits. Setting a foreign id needs
// CAP_SETUID (CAP_SETGID) and the id mapped in this user namespace: an
// unmapped id is ignored like a refused one, so a test that sets fixed ids
// skips without them.
// Not covered: NFS-server semantics, writing id maps.
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

// The call's number and "query" form: setfs[ug]id(-1) returns the current
// value without changing it (Linux).
struct Which {
    const char* label;
    long nr;
    bool gid;
};
constexpr Which kUid = {"fsuid", nr::setfsuid, false};
constexpr Which kGid = {"fsgid", nr::setfsgid, true};

long query(long nrcall) { return sys::syscall1(nrcall, cred::kNoId); }

// A privileged caller may set its fs id to any mapped id: the need of the
// tests that set a foreign one.
void require_set_any(const Which& w) { kc::require_ns_cap(w.gid ? CAP_SETGID : CAP_SETUID); }

// The id the tests set as a foreign fs id.
constexpr u32 kFsId = 4321;

}  // namespace

// The body of setfsuid.returns_previous_value and setfsgid.returns_previous_value.
// The fs id starts as the effective id (the harness never sets it).
static void returns_previous_value(const Which& which) {
    require_set_any(which);
    cred::require_mapped(which.gid, 1234);
    cred::require_mapped(which.gid, 0xfffffffe);
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            cred::Ids before = cred::current_ids(w.gid);
            EXPECT_RET(sys::syscall1(w.nr, 1234), long(before.e));
            EXPECT_RET(sys::syscall1(w.nr, 1234), 1234);
            EXPECT_RET(sys::syscall1(w.nr, 0xfffffffe), 1234);
            EXPECT_RET(query(w.nr), 0xfffffffeL);
            EXPECT_RET(sys::syscall1(w.nr, before.e), 0xfffffffeL);
            cred::Ids after = cred::current_ids(w.gid);
            EXPECT_EQ(after.r, before.r);
            EXPECT_EQ(after.e, before.e);
            EXPECT_EQ(after.s, before.s);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.minus_one_is_query and setfsgid.minus_one_is_query.
// The child first makes its fs id differ from its effective id (to
// kc::other_uid()/other_gid(), which it may switch to), so that a call that
// answers with the effective id, or that sets rather than queries, shows.
struct QueryArg {
    const Which* w;
    u32 other;
};
static void minus_one_is_query(const Which& which) {
    QueryArg arg{&which, which.gid ? kc::other_gid() : kc::other_uid()};
    long pid = kc::spawn(
        [](void* p) {
            const QueryArg& a = *static_cast<const QueryArg*>(p);
            long nrcall = a.w->nr;
            long eff = a.w->gid ? sys::getegid() : sys::geteuid();
            EXPECT_RET(query(nrcall), eff);  // never set: the effective id
            EXPECT_RET(sys::syscall1(nrcall, a.other), eff);
            EXPECT_RET(query(nrcall), long(a.other));
            EXPECT_RET(query(nrcall), long(a.other));  // the query changed nothing
            EXPECT_RET(sys::syscall1(nrcall, eff), long(a.other));
            EXPECT_RET(query(nrcall), eff);
            EXPECT_EQ(cred::current_ids(a.w->gid).e, u32(eff));
        },
        &arg);
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.unprivileged_foreign_ignored and setfsgid.unprivileged_foreign_ignored.
// The child has no capabilities (cred::become_unprivileged) and asks for 0
// and for its own id + 1. An unmapped id is ignored whatever the privilege,
// so at least one of them must be mapped and not the child's own.
static void unprivileged_foreign_ignored(const Which& which) {
    cred::Ids own = cred::unprivileged_ids(which.gid);
    bool zero = !cred::is_own(own, 0) && kc::ids_mapped(which.gid, 0);
    bool next = !cred::is_own(own, own.e + 1) && kc::ids_mapped(which.gid, own.e + 1);
    if (!zero && !next) {
        char buf[160];
        rt::Fmt f(buf, sizeof buf);
        f.s("needs a ").s(which.gid ? "gid" : "uid").s(" other than the child's own (");
        f.u(own.e).s(") mapped in this user namespace: neither 0 nor ").u(own.e + 1).s(" is");
        kc::skip(f.cstr());
    }
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            ASSERT_TRUE(cred::become_unprivileged());
            long own = w.gid ? sys::getegid() : sys::geteuid();
            EXPECT_RET(sys::syscall1(w.nr, 0), own);
            EXPECT_RET(sys::syscall1(w.nr, u32(own + 1)), own);
            EXPECT_RET(query(w.nr), own);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.unprivileged_saved_id_allowed and setfsgid.unprivileged_saved_id_allowed.
// The child sets distinct ids (needs CAP_SETUID, CAP_SETGID and uids 1000 to
// 1003, gids 2000 to 2003 mapped), then drops its capabilities.
static void unprivileged_saved_id_allowed(const Which& which) {
    kc::require_ns_cap(CAP_SETUID);
    kc::require_ns_cap(CAP_SETGID);
    cred::require_mapped(false, 1000, 4);
    cred::require_mapped(true, 2000, 4);
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            ASSERT_RET(sys::setresgid(2000, 2001, 2002), 0);
            ASSERT_RET(sys::setresuid(1000, 1001, 1002), 0);
            // Leaving uid 0 cleared the capabilities; a run that started as
            // another uid with capabilities keeps them until this.
            ASSERT_TRUE(kc::drop_capabilities());
            u32 base = w.gid ? 2000 : 1000;
            EXPECT_RET(sys::syscall1(w.nr, base + 2), base + 1);
            EXPECT_RET(sys::syscall1(w.nr, base), base + 2);
            EXPECT_RET(sys::syscall1(w.nr, base + 3), base);
            EXPECT_RET(query(w.nr), base);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.follows_effective_id and setfsgid.follows_effective_id.
// The child sets its fs id to 4321, then its effective id to
// kc::other_uid() (other_gid()).
static void follows_effective_id(const Which& which) {
    require_set_any(which);
    cred::require_mapped(which.gid, kFsId);
    struct Ctx {
        const Which* w;
        u32 other;
    } ctx{&which, which.gid ? kc::other_gid() : kc::other_uid()};
    long pid = kc::spawn(
        [](void* p) {
            const Ctx& c = *static_cast<const Ctx*>(p);
            sys::syscall1(c.w->nr, kFsId);
            ASSERT_RET(query(c.w->nr), kFsId);
            ASSERT_RET(c.w->gid ? sys::setresgid(cred::kNoId, c.other, cred::kNoId)
                                : sys::setresuid(cred::kNoId, c.other, cred::kNoId),
                       0);
            EXPECT_RET(query(c.w->nr), c.other);
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
}

namespace {

// The subdirectory "d" of the scratch directory, mode 0777, opened.
int open_world_dir() {
    int s = kc::scratch_fd();
    if (sys::mkdirat(s, "d", 0777) != 0) return -1;
    sys::fchmodat(s, "d", 0777);
    return int(sys::openat(s, "d", O_RDONLY | O_DIRECTORY));
}

struct FsCtx {
    const Which* w;
    int dir;
};

}  // namespace

// The body of setfsuid.owns_created_files and setfsgid.owns_created_files.
// The file's other owner id (its group for setfsuid, its user for setfsgid)
// is the child's other fs id, untouched and so its effective id.
static void owns_created_files(const Which& which) {
    require_set_any(which);
    cred::require_mapped(which.gid, kFsId);
    FsCtx ctx{&which, open_world_dir()};
    ASSERT_GE(ctx.dir, 0);
    long pid = kc::spawn(
        [](void* p) {
            const FsCtx& c = *static_cast<const FsCtx*>(p);
            long euid = sys::geteuid(), egid = sys::getegid();
            ASSERT_RET(sys::syscall1(c.w->nr, kFsId), c.w->gid ? egid : euid);
            int fd = int(sys::openat(c.dir, "f", O_CREAT | O_WRONLY, 0600));
            ASSERT_GE(fd, 0);
            arch::Stat st{};
            EXPECT_RET(sys::fstat(fd, &st), 0);
            EXPECT_EQ(c.w->gid ? st.st_gid : st.st_uid, kFsId);
            EXPECT_EQ(c.w->gid ? st.st_uid : st.st_gid, c.w->gid ? euid : egid);
            EXPECT_EQ(sys::geteuid(), euid);
            EXPECT_EQ(sys::getegid(), egid);
            sys::close(fd);
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
    sys::close(ctx.dir);
}

// setfsuid(2) and capabilities(7): moving the fsuid from 0 to another value
// drops the file-system capabilities (CAP_DAC_OVERRIDE...) from the effective
// set, so root with fsuid kc::other_uid() cannot create a file in the run's
// private 0700 scratch directory; setting fsuid back to 0 restores them. The
// child makes itself root (uid 0 of its user namespace) first.
TEST(setfsuid, nonzero_fsuid_loses_dac_override, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    cred::require_root();
    kc::require_ns_cap(CAP_DAC_OVERRIDE);
    struct Ctx {
        int dir;
        u32 other;
    } ctx{kc::scratch_fd(), kc::other_uid()};
    long pid = kc::spawn(
        [](void* p) {
            const Ctx& c = *static_cast<const Ctx*>(p);
            int dir = c.dir;
            ASSERT_TRUE(cred::become_root());
            ASSERT_RET(sys::setfsuid(c.other), 0);
            EXPECT_TRUE(!cred::has_cap(CAP_DAC_OVERRIDE));
            EXPECT_TRUE(cred::has_cap(CAP_SETUID));
            EXPECT_ERR(sys::openat(dir, "f", O_CREAT | O_WRONLY, 0600), EACCES);
            EXPECT_EQ(sys::geteuid(), 0);
            ASSERT_RET(sys::setfsuid(0), c.other);
            EXPECT_TRUE(cred::has_cap(CAP_DAC_OVERRIDE));
            long fd = sys::openat(dir, "f", O_CREAT | O_WRONLY, 0600);
            EXPECT_GE(fd, 0);
            if (fd >= 0) sys::close(int(fd));
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
}

// setfsuid(2): "On both success and failure, this call returns the previous
// filesystem user ID of the caller"; a privileged caller may set any value,
// and the real, effective and saved ids are not touched.
TEST(setfsuid, returns_previous_value, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    returns_previous_value(kUid);
}

// setfsuid(2) (Linux): an invalid id (-1) changes nothing and returns the
// current value: the effective id of a process that never set it, and the
// id it set once that differs from the effective id.
TEST(setfsuid, minus_one_is_query, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    minus_one_is_query(kUid);
}

// setfsuid(2): an unprivileged caller asking for a foreign id gets no change;
// the call still returns the (unchanged) previous value.
TEST(setfsuid, unprivileged_foreign_ignored, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    unprivileged_foreign_ignored(kUid);
}

// setfsuid(2): "setfsuid() will succeed only if the caller is the superuser
// or if fsuid matches either the caller's real user ID, effective user ID,
// saved set-user-ID, or current filesystem user ID"; here the saved uid 1002
// of an unprivileged process.
TEST(setfsuid, unprivileged_saved_id_allowed, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    unprivileged_saved_id_allowed(kUid);
}

// setfsuid(2): "whenever a process's effective user ID is changed, the kernel
// also changes the filesystem user ID to be the same as the new value of the
// effective user ID".
TEST(setfsuid, follows_effective_id, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    follows_effective_id(kUid);
}

// setfsuid(2): "The (Linux-specific) filesystem user ID is used for
// permissions checking when accessing filesystem objects": a file created
// while fsuid is 4321 is owned by 4321, although the effective uid is still
// another (needs CAP_SETUID and uid 4321 mapped).
TEST(setfsuid, owns_created_files, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_created_files(kUid);
}

// setfsgid(2): "On both success and failure, this call returns the previous
// filesystem group ID of the caller"; a privileged caller may set any value;
// the real, effective and saved gids are not touched.
TEST(setfsgid, returns_previous_value, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    returns_previous_value(kGid);
}

// setfsgid(2) (Linux): an invalid id (-1) changes nothing and returns the
// current value: the effective id of a process that never set it, and the
// id it set once that differs from the effective id.
TEST(setfsgid, minus_one_is_query, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    minus_one_is_query(kGid);
}

// setfsgid(2): an unprivileged caller asking for a foreign gid gets no change;
// the call still returns the (unchanged) previous value.
TEST(setfsgid, unprivileged_foreign_ignored, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    unprivileged_foreign_ignored(kGid);
}

// setfsgid(2): "setfsgid() will succeed only if the caller is the superuser
// or if fsgid matches either the caller's real group ID, effective group ID,
// saved set-group-ID, or current the filesystem user ID"; here the saved gid
// 2002 of an unprivileged process.
TEST(setfsgid, unprivileged_saved_id_allowed, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    unprivileged_saved_id_allowed(kGid);
}

// setfsgid(2): "whenever a process's effective group ID is changed, the
// kernel also changes the filesystem group ID to be the same as the new value
// of the effective group ID".
TEST(setfsgid, follows_effective_id, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    follows_effective_id(kGid);
}

// setfsgid(2): the filesystem group ID is used when accessing files: a file
// created while fsgid is 4321 belongs to group 4321, although the effective
// gid is still another (needs CAP_SETGID and gid 4321 mapped).
TEST(setfsgid, owns_created_files, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_created_files(kGid);
}
