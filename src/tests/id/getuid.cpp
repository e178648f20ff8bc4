// SPDX-License-Identifier: MIT
// getuid(2), geteuid(2), getgid(2), getegid(2), getresuid(2), getresgid(2):
// user and group identity. Values are stable and never the "-1" (no id)
// value, agree with each other and with getres*id, are inherited by
// children, and follow a change made with setresuid/setresgid (with
// CAP_SETUID and CAP_SETGID, in a child): getres*id report each of the three
// in its place, read as the overflow id in a user namespace without a
// mapping, and fail with EFAULT for an unwritable pointer.
// Not covered: setuid/setgid themselves and capabilities (credentials area),
// user namespaces.
#include "harness/test.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

struct IdCall {
    const char* label;
    long nr;
};
constexpr IdCall kIdCalls[] = {{"getuid", nr::getuid}};

void expect_stable(long nr) {
    long a = sys::syscall0(nr);
    long b = sys::syscall0(nr);
    EXPECT_GE(a, 0);
    EXPECT_LT(a, 0xffffffffL);
    EXPECT_EQ(a, b);
}

void expect_inherited(long nr) {
    long ctx[2] = {nr, sys::syscall0(nr)};  // the child has a copy
    long pid = kc::spawn(
        [](void* p) {
            long* c = static_cast<long*>(p);
            EXPECT_EQ(sys::syscall0(c[0]), c[1]);
        },
        ctx);
    EXPECT_CHILD_OK(pid);
}

}  // namespace

// getuid(2) and friends, POSIX (unit POSIX_USER_GROUPS, hence PSE53): they
// always succeed; the value is stable and is a real id (not (uid_t)-1, which
// means "no id" to setresuid). (Each call in its own group.)
TEST_P(getuid, id_calls_stable, POSITIVE, PSE54, kIdCalls) { expect_stable(row.nr); }
TEST(geteuid, id_calls_stable, POSITIVE, PSE54) { expect_stable(nr::geteuid); }
TEST(getgid, id_calls_stable, POSITIVE, PSE54) { expect_stable(nr::getgid); }
TEST(getegid, id_calls_stable, POSITIVE, PSE54) { expect_stable(nr::getegid); }

// getuid(2) and friends, POSIX: a child inherits its parent's ids.
TEST_P(getuid, inherited_by_child, POSITIVE, PSE54, kIdCalls, .flags = kc::NEEDS_FORK) {
    expect_inherited(row.nr);
}
TEST(geteuid, inherited_by_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    expect_inherited(nr::geteuid);
}
TEST(getgid, inherited_by_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    expect_inherited(nr::getgid);
}
TEST(getegid, inherited_by_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    expect_inherited(nr::getegid);
}

// getuid(2)/geteuid(2)/getresuid(2) (and the gid calls) report exactly the
// ids set with setresuid/setresgid. Needs CAP_SETUID and CAP_SETGID to set
// arbitrary ids, and uids 1001 to 1003, gids 2001 to 2003 mapped in this user
// namespace; runs in a child, which then cannot get them back.
TEST(getuid, reflect_setresuid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETUID);
    kc::require_ns_cap(CAP_SETGID);
    cred::require_mapped(false, 1001, 3);
    cred::require_mapped(true, 2001, 3);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_RET(sys::setresgid(2001, 2002, 2003), 0);
            ASSERT_RET(sys::setresuid(1001, 1002, 1003), 0);
            EXPECT_EQ(sys::getuid(), 1001);
            EXPECT_EQ(sys::geteuid(), 1002);
            EXPECT_EQ(sys::getgid(), 2001);
            EXPECT_EQ(sys::getegid(), 2002);
            u32 r, e, s;
            ASSERT_RET(sys::getresuid(&r, &e, &s), 0);
            EXPECT_EQ(s, 1003u);
            ASSERT_RET(sys::getresgid(&r, &e, &s), 0);
            EXPECT_EQ(s, 2003u);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// getresuid(2): real, effective and saved uid; the first two match getuid()
// and geteuid().
TEST(getresuid, matches_getuid_geteuid, POSITIVE, LINUX) {
    u32 r = 7, e = 7, s = 7;
    ASSERT_RET(sys::getresuid(&r, &e, &s), 0);
    EXPECT_EQ(long(r), sys::getuid());
    EXPECT_EQ(long(e), sys::geteuid());
    EXPECT_NE(long(s), 0xffffffffL);
}

// getresgid(2): real, effective and saved gid; the first two match getgid()
// and getegid().
TEST(getresgid, matches_getgid_getegid, POSITIVE, LINUX) {
    u32 r = 7, e = 7, s = 7;
    ASSERT_RET(sys::getresgid(&r, &e, &s), 0);
    EXPECT_EQ(long(r), sys::getgid());
    EXPECT_EQ(long(e), sys::getegid());
    EXPECT_NE(long(s), 0xffffffffL);
}

struct ResBad {
    const char* label;
    int bad;  // which of the three pointers is unwritable
};
constexpr ResBad kResBad[] = {{"real=bad", 0}, {"effective=bad", 1}, {"saved=bad", 2}};
static void res_bad_pointer(long nrcall, int bad) {
    u32 ids[3];
    long p[3] = {long(&ids[0]), long(&ids[1]), long(&ids[2])};
    p[bad] = long(common::kBadPtr);
    EXPECT_ERR(sys::syscall3(nrcall, p[0], p[1], p[2]), EFAULT);
}
// getresuid(2): an unwritable ruid, euid or suid pointer is EFAULT.
TEST_P(getresuid, bad_pointer_efault, NEGATIVE, LINUX, kResBad) {
    res_bad_pointer(nr::getresuid, row.bad);
}
// getresgid(2): an unwritable rgid, egid or sgid pointer is EFAULT.
TEST_P(getresgid, bad_pointer_efault, NEGATIVE, LINUX, kResBad) {
    res_bad_pointer(nr::getresgid, row.bad);
}

namespace {

// In a child with CAP_SETUID and CAP_SETGID: sets three different ids with
// setres*id (nrset) and reads them back in order with getres*id (nrget).
struct ResOrder {
    long nrset, nrget;
    u32 base;
};
void res_order(const ResOrder& o, bool gid) {
    kc::require_ns_cap(gid ? CAP_SETGID : CAP_SETUID);
    cred::require_mapped(gid, o.base, 3);
    long pid = kc::spawn(
        [](void* p) {
            auto* o = static_cast<const ResOrder*>(p);
            ASSERT_RET(sys::syscall3(o->nrset, o->base, o->base + 1, o->base + 2), 0);
            u32 ids[3] = {7, 7, 7};
            ASSERT_RET(sys::syscall3(o->nrget, long(&ids[0]), long(&ids[1]), long(&ids[2])), 0);
            EXPECT_EQ(ids[0], o->base);
            EXPECT_EQ(ids[1], o->base + 1);
            EXPECT_EQ(ids[2], o->base + 2);
        },
        const_cast<ResOrder*>(&o));
    EXPECT_CHILD_OK(pid);
}

// In a child that made a user namespace and mapped nothing in it: all three
// ids read back as the overflow id (/proc/sys/kernel/overflowuid or
// overflowgid, 65534 by default). Skips when no user namespace can be made.
void res_unmapped(long nrget, const char* overflow_sysctl) {
    long want = common::proc_number(overflow_sysctl);
    if (want < 0) want = 65534;
    long pid = sys::fork();
    if (pid == 0) {
        if (sys::unshare(CLONE_NEWUSER) != 0) sys::exit_group(99);
        u32 ids[3] = {7, 7, 7};
        if (sys::syscall3(nrget, long(&ids[0]), long(&ids[1]), long(&ids[2])) != 0)
            sys::exit_group(98);
        int bits = 0;
        for (int i = 0; i < 3; ++i) bits |= ids[i] == u32(want) ? 0 : 1 << i;
        sys::exit_group(bits);
    }
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (st == 99 << 8) kc::skip("needs a new user namespace: unshare(CLONE_NEWUSER) refused");
    EXPECT_EQ(st, 0);  // bit n of the exit status: id n was not the overflow id
}

}  // namespace

// getresuid(2): "returns the real UID, the effective UID, and the saved
// set-user-ID" in that order: three different uids set with setresuid come
// back each in its own place. Needs CAP_SETUID and uids 3001-3003 mapped.
TEST(getresuid, reports_each_id_in_place, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static constexpr ResOrder o{nr::setresuid, nr::getresuid, 3001};
    res_order(o, false);
}

// getresgid(2): as getresuid, for gids 3001-3003 set with setresgid.
TEST(getresgid, reports_each_id_in_place, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static constexpr ResOrder o{nr::setresgid, nr::getresgid, 3001};
    res_order(o, true);
}

// getresuid(2), user_namespaces(7): "If a user ID has no mapping inside the
// namespace, then system calls that return user IDs return the value defined
// in /proc/sys/kernel/overflowuid": right after unshare(CLONE_NEWUSER), before
// a uid_map is written, all three read as the overflow uid.
TEST(getresuid, unmapped_ids_read_as_overflow, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    res_unmapped(nr::getresuid, "/proc/sys/kernel/overflowuid");
}

// getresgid(2), user_namespaces(7): likewise, the overflow gid
// (/proc/sys/kernel/overflowgid) for all three gids.
TEST(getresgid, unmapped_ids_read_as_overflow, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    res_unmapped(nr::getresgid, "/proc/sys/kernel/overflowgid");
}
