// SPDX-License-Identifier: MIT
// getgroups(2), setgroups(2): the supplementary group list. getgroups with
// size 0 reports the count, a too-small buffer is EINVAL, negative sizes are
// EINVAL; setgroups needs CAP_SETGID (checked before the size), accepts up to
// NGROUPS_MAX (65536) valid gids, and the list is inherited and used for
// file-permission checks. Every setgroups happens in a child that exits.
// Tests that set groups need setgroups allowed here (kc::require_setgroups:
// not in a user namespace whose /proc/PID/setgroups says "deny") and their
// gids mapped in the user namespace.
// Not covered: writing /proc/PID/setgroups and gid maps, the kernel's
// internal sorting (not specified; only the set of groups is compared).
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

constexpr u32 kThree[] = {30, 10, 20};

// True when list[0..n) holds exactly the values of want[0..m) (any order,
// with multiplicity).
bool same_set(const u32* list, long n, const u32* want, long m) {
    if (n != m) return false;
    for (long i = 0; i < m; ++i) {
        long in_list = 0, in_want = 0;
        for (long j = 0; j < n; ++j) in_list += list[j] == want[i];
        for (long j = 0; j < m; ++j) in_want += want[j] == want[i];
        if (in_list != in_want) return false;
    }
    return true;
}

// A mapping big enough for NGROUPS_MAX gids (256 KiB): too big for the stack.
u32* big_list() {
    long p = sys::mmap(nullptr, NGROUPS_MAX * sizeof(u32), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p < 0 && p > -4096 ? nullptr : reinterpret_cast<u32*>(p);
}

// In the test thread: the child may call set_three().
void require_three() {
    kc::require_setgroups();
    cred::require_mapped(true, kThree);
}

// In a child: installs {30, 10, 20} as the supplementary groups.
void set_three() { ASSERT_RET(sys::setgroups(3, kThree), 0); }

}  // namespace

// ---------------------------------------------------------------------------
// getgroups(2)

// getgroups(2): "If size is zero, list is not modified, but the total number
// of supplementary group IDs for the process is returned"; with a big enough
// buffer the call returns that many ids.
TEST(getgroups, size_zero_returns_count, POSITIVE, PSE54) {
    long n = sys::getgroups(0, nullptr);
    ASSERT_GE(n, 0);
    ASSERT_LE(n, NGROUPS_MAX);
    u32* list = big_list();
    ASSERT_TRUE(list != nullptr);
    EXPECT_RET(sys::getgroups(NGROUPS_MAX, list), n);
    sys::munmap(list, NGROUPS_MAX * sizeof(u32));
}

// getgroups(2): with size 0 the list pointer is not used at all, so even an
// unmapped one works.
TEST(getgroups, size_zero_ignores_pointer, BOUNDARY, LINUX) {
    long want = sys::getgroups(0, nullptr);
    EXPECT_RET(sys::getgroups(0, static_cast<u32*>(common::kBadPtr)), want);
}

struct Size {
    const char* label;
    int size;
};
constexpr Size kNegative[] = {{"size=-1", -1}, {"size=INT_MIN", INT_MIN}};
// getgroups(2) EINVAL: "size is less than the number of supplementary group
// IDs, but is not zero" - a negative size is invalid whatever the count.
TEST_P(getgroups, negative_size_einval, NEGATIVE, LINUX, kNegative) {
    u32 list[4];
    EXPECT_ERR(sys::getgroups(row.size, list), EINVAL);
}

constexpr Size kSmall[] = {{"size=1", 1}, {"size=2", 2}};
// getgroups(2) EINVAL: "size is less than the number of supplementary group
// IDs, but is not zero"; the buffer is not written.
TEST_P(getgroups, small_buffer_einval, NEGATIVE, PSE54, kSmall, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void* p) {
            set_three();
            u32 list[3] = {7, 7, 7};
            EXPECT_ERR(sys::getgroups(*static_cast<const int*>(p), list), EINVAL);
            EXPECT_EQ(list[0] & list[1] & list[2], 7);
        },
        const_cast<int*>(&row.size));
    EXPECT_CHILD_OK(pid);
}

constexpr Size kLarge[] = {{"size=3", 3}, {"size=4", 4}, {"size=NGROUPS_MAX", NGROUPS_MAX}};
// getgroups(2): a buffer of the exact size or larger gets every group, and
// the call returns the count, not the size.
TEST_P(getgroups, large_buffer_returns_count, BOUNDARY, PSE54, kLarge, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void* p) {
            set_three();
            u32* list = big_list();
            ASSERT_TRUE(list != nullptr);
            EXPECT_RET(sys::getgroups(*static_cast<const int*>(p), list), 3);
            EXPECT_TRUE(same_set(list, 3, kThree, 3));
        },
        const_cast<int*>(&row.size));
    EXPECT_CHILD_OK(pid);
}

// getgroups(2) EFAULT: "list has an invalid address" (with a non-zero count).
TEST(getgroups, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void*) {
            set_three();
            EXPECT_ERR(sys::getgroups(3, static_cast<u32*>(common::kBadPtr)), EFAULT);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// getgroups(2): a child created by fork has its parent's supplementary
// groups (POSIX fork: the child inherits the parent's attributes).
TEST(getgroups, inherited_by_fork_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void*) {
            set_three();
            long kid = kc::spawn(
                [](void*) {
                    u32 list[8];
                    long n = sys::getgroups(8, list);
                    EXPECT_TRUE(same_set(list, n, kThree, 3));
                },
                nullptr);
            EXPECT_CHILD_OK(kid);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// ---------------------------------------------------------------------------
// setgroups(2)

struct Groups {
    const char* label;
    int n;
    u32 gids[4];
};
constexpr Groups kRoundTrip[] = {
    {"n=1", 1, {4242}},
    {"n=3", 3, {30, 10, 20}},
    {"n=4,descending", 4, {4, 3, 2, 1}},
    {"duplicates", 2, {5, 5}},
    {"gid=0xfffffffe", 1, {0xfffffffe}},
};
// setgroups(2): getgroups returns the groups that were set. Linux keeps
// duplicate entries (setgroups {5, 5} reads back two) and accepts the largest
// valid gid, 0xfffffffe.
TEST_P(setgroups, round_trip, POSITIVE, LINUX, kRoundTrip, .flags = kc::NEEDS_FORK) {
    kc::require_setgroups();
    for (int i = 0; i < row.n; ++i) cred::require_mapped(true, row.gids[i]);
    long pid = kc::spawn(
        [](void* p) {
            const Groups& g = *static_cast<const Groups*>(p);
            ASSERT_RET(sys::setgroups(g.n, g.gids), 0);
            u32 list[8];
            long n = sys::getgroups(8, list);
            EXPECT_RET(n, g.n);
            EXPECT_TRUE(same_set(list, n, g.gids, g.n));
        },
        const_cast<Groups*>(&row));
    EXPECT_CHILD_OK(pid);
}

// setgroups(2): size 0 clears the list, and the pointer is not read then.
TEST(setgroups, size_zero_clears, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void*) {
            set_three();
            ASSERT_RET(sys::setgroups(0, static_cast<u32*>(common::kBadPtr)), 0);
            EXPECT_RET(sys::getgroups(0, nullptr), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// setgroups(2): NGROUPS_MAX (65536) groups are accepted and read back; they
// are gids 100000 to 165535, which a user namespace must map.
TEST(setgroups, ngroups_max_accepted, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    kc::require_setgroups();
    cred::require_mapped(true, 100000, NGROUPS_MAX);
    long pid = kc::spawn(
        [](void*) {
            u32* list = big_list();
            ASSERT_TRUE(list != nullptr);
            for (int i = 0; i < NGROUPS_MAX; ++i) list[i] = u32(100000 + i);
            ASSERT_RET(sys::setgroups(NGROUPS_MAX, list), 0);
            EXPECT_RET(sys::getgroups(0, nullptr), NGROUPS_MAX);
            common::fill_bytes(list, 0, NGROUPS_MAX * sizeof(u32));
            EXPECT_RET(sys::getgroups(NGROUPS_MAX, list), NGROUPS_MAX);
            u64 sum = 0;
            for (int i = 0; i < NGROUPS_MAX; ++i) sum += list[i] - 100000u;
            EXPECT_EQ(sum, u64(NGROUPS_MAX) * (NGROUPS_MAX - 1) / 2);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct BadSize {
    const char* label;
    long size;
};
constexpr BadSize kTooMany[] = {
    {"size=NGROUPS_MAX+1", NGROUPS_MAX + 1},
    {"size=INT_MAX", INT_MAX},
    {"size=-1", -1},
};
// setgroups(2) EINVAL: "size is greater than NGROUPS_MAX"; the kernel takes
// the size as unsigned, so -1 is too big as well. The old list stays.
TEST_P(setgroups, too_many_einval, NEGATIVE, LINUX, kTooMany, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void* p) {
            set_three();
            u32 one = 1;
            EXPECT_ERR(sys::setgroups(*static_cast<const long*>(p), &one), EINVAL);
            EXPECT_RET(sys::getgroups(0, nullptr), 3);
        },
        const_cast<long*>(&row.size));
    EXPECT_CHILD_OK(pid);
}

constexpr Groups kInvalidGid[] = {
    {"gid=-1", 1, {0xffffffff}},
    {"last=-1", 3, {1, 2, 0xffffffff}},
};
// setgroups(2) EINVAL: (gid_t)-1 is not a valid group id; nothing changes.
TEST_P(setgroups, invalid_gid_einval, NEGATIVE, LINUX, kInvalidGid, .flags = kc::NEEDS_FORK) {
    require_three();
    long pid = kc::spawn(
        [](void* p) {
            const Groups& g = *static_cast<const Groups*>(p);
            set_three();
            EXPECT_ERR(sys::setgroups(g.n, g.gids), EINVAL);
            u32 list[4];
            EXPECT_TRUE(same_set(list, sys::getgroups(4, list), kThree, 3));
        },
        const_cast<Groups*>(&row));
    EXPECT_CHILD_OK(pid);
}

// setgroups(2) EFAULT: "list has an invalid address". The list is read after
// the privilege check, so this needs setgroups allowed.
TEST(setgroups, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_setgroups();
    long pid = kc::spawn(
        [](void*) { EXPECT_ERR(sys::setgroups(2, static_cast<u32*>(common::kBadPtr)), EFAULT); },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

constexpr BadSize kUnprivSizes[] = {
    {"size=0", 0},
    {"size=1", 1},
    {"size=NGROUPS_MAX+1", NGROUPS_MAX + 1},
};
// setgroups(2) EPERM: "The calling process has insufficient privilege (the
// caller does not have the CAP_SETGID capability in the user namespace in
// which it resides)" - even to clear the list or to set the groups it already
// has. Linux checks privilege before the size. The child has no capabilities
// (cred::become_unprivileged), in every environment.
TEST_P(setgroups, unprivileged_eperm, NEGATIVE, LINUX, kUnprivSizes, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            ASSERT_TRUE(cred::become_unprivileged());
            long before = sys::getgroups(0, nullptr);
            u32 own = u32(sys::getegid());
            EXPECT_ERR(sys::setgroups(*static_cast<const long*>(p), &own), EPERM);
            EXPECT_RET(sys::getgroups(0, nullptr), before);
        },
        const_cast<long*>(&row.size));
    EXPECT_CHILD_OK(pid);
}

struct Access {
    const char* label;
    int n;
    u32 gids[3];
    u32 egid;
    int err;  // expected from opening the group-readable file
};
constexpr Access kAccess[] = {
    {"groups={4242}", 1, {4242}, 2000, 0},   {"groups={1,4242,9}", 3, {1, 4242, 9}, 2000, 0},
    {"groups={}", 0, {}, 2000, EACCES},      {"groups={1,9}", 2, {1, 9}, 2000, EACCES},
    {"egid=4242,groups={}", 0, {}, 4242, 0},
};
struct AccessCtx {
    const Access* row;
    int dir;
    u32 uid;
};
// setgroups(2) with POSIX file access (XBD 4.5): read permission through the
// group class is granted when the file's group is the effective gid or any
// supplementary gid. The file belongs to the test's uid and group 4242, mode
// 0040; the child is kc::other_uid() without capabilities. Needs CAP_CHOWN
// (to give the file to group 4242), setgroups, and the row's gids mapped.
TEST_P(setgroups, grant_file_access, POSITIVE, LINUX, kAccess,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::require_setgroups();
    kc::require_ns_cap(CAP_CHOWN);
    u32 uid = kc::other_uid();
    cred::require_mapped(true, 4242);
    cred::require_mapped(true, row.egid);
    for (int i = 0; i < row.n; ++i) cred::require_mapped(true, row.gids[i]);
    int s = kc::scratch_fd();
    ASSERT_RET(sys::mkdirat(s, "g", 0755), 0);
    ASSERT_RET(sys::fchmodat(s, "g", 0755), 0);
    AccessCtx ctx{&row, int(sys::openat(s, "g", O_RDONLY | O_DIRECTORY)), uid};
    ASSERT_GE(ctx.dir, 0);
    long fd = sys::openat(ctx.dir, "f", O_CREAT | O_WRONLY, 0);
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::fchown(fd, cred::kNoId, 4242), 0);
    EXPECT_RET(sys::fchmod(fd, 0040), 0);
    sys::close(int(fd));
    long pid = kc::spawn(
        [](void* p) {
            const AccessCtx& c = *static_cast<const AccessCtx*>(p);
            ASSERT_RET(sys::setgroups(c.row->n, c.row->gids), 0);
            ASSERT_RET(sys::setresgid(c.row->egid, c.row->egid, c.row->egid), 0);
            ASSERT_RET(sys::setresuid(c.uid, c.uid, c.uid), 0);
            // Leaving uid 0 cleared the capabilities; a run that started as
            // another uid with capabilities keeps them until this.
            ASSERT_TRUE(kc::drop_capabilities());
            long f = sys::openat(c.dir, "f", O_RDONLY);
            if (c.row->err) {
                EXPECT_ERR(f, c.row->err);
            } else {
                EXPECT_GE(f, 0);
            }
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
    sys::close(ctx.dir);
}
