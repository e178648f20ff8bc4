// SPDX-License-Identifier: MIT
// getuid(2), geteuid(2), getgid(2), getegid(2), getresuid(2), getresgid(2):
// user and group identity. Values are stable and never the "-1" (no id)
// value, agree with each other and with getres*id, are inherited by
// children, and follow a change made with setresuid/setresgid (with
// CAP_SETUID and CAP_SETGID, in a child).
// Not covered: setuid/setgid themselves and capabilities (credentials area),
// user namespaces.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

struct IdCall {
    const char* label;
    long nr;
};
constexpr IdCall kIdCalls[] = {
    {"getuid", nr::getuid},
    {"geteuid", nr::geteuid},
    {"getgid", nr::getgid},
    {"getegid", nr::getegid},
};

// getuid(2) and friends, POSIX (unit POSIX_USER_GROUPS, hence PSE53): they
// always succeed; the value is stable and is a real id (not (uid_t)-1, which
// means "no id" to setresuid).
TEST_P(getuid, id_calls_stable, POSITIVE, PSE54, kIdCalls) {
    long a = sys::syscall0(row.nr);
    long b = sys::syscall0(row.nr);
    EXPECT_GE(a, 0);
    EXPECT_LT(a, 0xffffffffL);
    EXPECT_EQ(a, b);
}

// getuid(2) and friends, POSIX: a child inherits its parent's ids.
TEST_P(getuid, inherited_by_child, POSITIVE, PSE54, kIdCalls, .flags = kc::NEEDS_FORK) {
    long ctx[2] = {row.nr, sys::syscall0(row.nr)};  // the child has a copy
    long pid = kc::spawn(
        [](void* p) {
            long* c = static_cast<long*>(p);
            EXPECT_EQ(sys::syscall0(c[0]), c[1]);
        },
        ctx);
    EXPECT_CHILD_OK(pid);
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
