// setfsuid(2), setfsgid(2): the file-system ids. Both calls always return the
// previous value (never an error code); an invalid id such as -1 is a pure
// query. The fsuid follows the effective uid on every effective-uid change,
// is what file creation and permission checks use, and an unprivileged
// process may only set it to one of its real/effective/saved/fs ids.
// Every change happens in a child that exits; the tests that need other ids
// than their own run as root.
// Not covered: NFS-server semantics, user namespaces.
#include "harness/test.hpp"
#include "rt/sys_misc.hpp"

using namespace km;

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

long query(long nrcall) { return sys::syscall1(nrcall, kNoId); }

}  // namespace

// The body of setfsuid.returns_previous_value and setfsgid.returns_previous_value.
static void returns_previous_value(const Which& which) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            ASSERT_RET(sys::setresuid(0, 0, 0), 0);
            ASSERT_RET(sys::setresgid(0, 0, 0), 0);
            EXPECT_RET(sys::syscall1(w.nr, 1234), 0);
            EXPECT_RET(sys::syscall1(w.nr, 1234), 1234);
            EXPECT_RET(sys::syscall1(w.nr, 0xfffffffe), 1234);
            EXPECT_RET(query(w.nr), 0xfffffffeL);
            EXPECT_RET(sys::syscall1(w.nr, 0), 0xfffffffeL);
            u32 r = 7, e = 7, s = 7;
            if (w.gid) {
                sys::getresgid(&r, &e, &s);
            } else {
                sys::getresuid(&r, &e, &s);
            }
            EXPECT_EQ(r | e | s, 0);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.minus_one_is_query and setfsgid.minus_one_is_query.
static void minus_one_is_query(const Which& which) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            long eff = w.gid ? sys::getegid() : sys::geteuid();
            EXPECT_RET(query(w.nr), eff);
            EXPECT_RET(query(w.nr), eff);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.unprivileged_foreign_ignored and setfsgid.unprivileged_foreign_ignored.
static void unprivileged_foreign_ignored(const Which& which) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            ASSERT_TRUE(drop_to_unprivileged());
            long own = w.gid ? sys::getegid() : sys::geteuid();
            EXPECT_RET(sys::syscall1(w.nr, 0), own);
            EXPECT_RET(sys::syscall1(w.nr, u32(own + 1)), own);
            EXPECT_RET(query(w.nr), own);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

// The body of setfsuid.unprivileged_saved_id_allowed and setfsgid.unprivileged_saved_id_allowed.
static void unprivileged_saved_id_allowed(const Which& which) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            ASSERT_RET(sys::setresgid(2000, 2001, 2002), 0);
            ASSERT_RET(sys::setresuid(1000, 1001, 1002), 0);
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
static void follows_effective_id(const Which& which) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& w = *static_cast<const Which*>(p);
            sys::syscall1(w.nr, 4321);
            ASSERT_RET(
                w.gid ? sys::setresgid(kNoId, 3001, kNoId) : sys::setresuid(kNoId, 1001, kNoId), 0);
            EXPECT_RET(query(w.nr), w.gid ? 3001 : 1001);
        },
        const_cast<Which*>(&which));
    EXPECT_CHILD_OK(pid);
}

namespace {

// The subdirectory "d" of the scratch directory, mode 0777, opened.
int open_world_dir() {
    int s = kc::scratch_fd();
    if (sys::mkdirat(s, "d", 0777) != 0) return -1;
    sys::syscall4(nr::fchmodat, s, sys::L("d"), 0777, 0);
    return int(sys::openat(s, "d", O_RDONLY | O_DIRECTORY));
}

struct FsCtx {
    const Which* w;
    int dir;
};

}  // namespace

// The body of setfsuid.owns_created_files and setfsgid.owns_created_files.
static void owns_created_files(const Which& which) {
    FsCtx ctx{&which, open_world_dir()};
    ASSERT_GE(ctx.dir, 0);
    long pid = kc::spawn(
        [](void* p) {
            const FsCtx& c = *static_cast<const FsCtx*>(p);
            sys::syscall1(c.w->nr, 4321);
            int fd = int(sys::openat(c.dir, "f", O_CREAT | O_WRONLY, 0600));
            ASSERT_GE(fd, 0);
            arch::Stat st{};
            EXPECT_RET(sys::fstat(fd, &st), 0);
            EXPECT_EQ(c.w->gid ? st.st_gid : st.st_uid, 4321);
            EXPECT_EQ(c.w->gid ? st.st_uid : st.st_gid, 0);
            EXPECT_EQ(sys::geteuid(), 0);
            sys::close(fd);
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
    sys::close(ctx.dir);
}

// setfsuid(2) and capabilities(7): moving the fsuid from 0 to another value
// drops the file-system capabilities (CAP_DAC_OVERRIDE...) from the effective
// set, so root with fsuid 1000 cannot create a file in root's private 0700
// directory; setting fsuid back to 0 restores them.
TEST(setfsuid, nonzero_fsuid_loses_dac_override, POSITIVE, LINUX,
     .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    int scratch = kc::scratch_fd();
    long pid = kc::spawn(
        [](void* p) {
            int dir = *static_cast<int*>(p);
            ASSERT_RET(sys::setfsuid(1000), 0);
            EXPECT_TRUE(!has_cap(CAP_DAC_OVERRIDE));
            EXPECT_TRUE(has_cap(CAP_SETUID));
            EXPECT_ERR(sys::openat(dir, "f", O_CREAT | O_WRONLY, 0600), EACCES);
            EXPECT_EQ(sys::geteuid(), 0);
            ASSERT_RET(sys::setfsuid(0), 1000);
            EXPECT_TRUE(has_cap(CAP_DAC_OVERRIDE));
            long fd = sys::openat(dir, "f", O_CREAT | O_WRONLY, 0600);
            EXPECT_GE(fd, 0);
            if (fd >= 0) sys::close(int(fd));
        },
        &scratch);
    EXPECT_CHILD_OK(pid);
}

// setfsuid(2): "On both success and failure, this call returns the previous
// filesystem user ID of the caller"; a privileged caller may set any value,
// and the real, effective and saved ids are not touched.
TEST(setfsuid, returns_previous_value, POSITIVE, LINUX, .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    returns_previous_value(kUid);
}

// setfsuid(2) (Linux): an invalid id (-1) changes nothing and returns the
// current value, which is the effective id of a process that never set it.
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
TEST(setfsuid, unprivileged_saved_id_allowed, POSITIVE, LINUX,
     .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    unprivileged_saved_id_allowed(kUid);
}

// setfsuid(2): "whenever a process's effective user ID is changed, the kernel
// also changes the filesystem user ID to be the same as the new value of the
// effective user ID".
TEST(setfsuid, follows_effective_id, POSITIVE, LINUX, .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    follows_effective_id(kUid);
}

// setfsuid(2): "The (Linux-specific) filesystem user ID is used for
// permissions checking when accessing filesystem objects": a file created
// while fsuid is 4321 is owned by 4321, although the effective uid is 0.
TEST(setfsuid, owns_created_files, POSITIVE, LINUX,
     .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_created_files(kUid);
}

// setfsgid(2): "On both success and failure, this call returns the previous
// filesystem group ID of the caller"; a privileged caller may set any value;
// the real, effective and saved gids are not touched.
TEST(setfsgid, returns_previous_value, POSITIVE, LINUX, .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    returns_previous_value(kGid);
}

// setfsgid(2) (Linux): an invalid id (-1) changes nothing and returns the
// current value, which is the effective id of a process that never set it.
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
TEST(setfsgid, unprivileged_saved_id_allowed, POSITIVE, LINUX,
     .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    unprivileged_saved_id_allowed(kGid);
}

// setfsgid(2): "whenever a process's effective group ID is changed, the
// kernel also changes the filesystem group ID to be the same as the new value
// of the effective group ID".
TEST(setfsgid, follows_effective_id, POSITIVE, LINUX, .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK) {
    follows_effective_id(kGid);
}

// setfsgid(2): the filesystem group ID is used when accessing files: a file
// created while fsgid is 4321 belongs to group 4321, although the effective
// gid is still 0.
TEST(setfsgid, owns_created_files, POSITIVE, LINUX,
     .flags = kc::NEEDS_ROOT | kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_created_files(kGid);
}
