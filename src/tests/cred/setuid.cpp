// SPDX-License-Identifier: MIT
// setuid(2), setgid(2), setreuid(2), setregid(2), setresuid(2),
// setresgid(2): the transition rules for the real, effective and saved ids,
// checked with getresuid/getresgid after each call.
//
// Every change happens in a child (kc::spawn) that then exits: the harness's
// own credentials never change. With CAP_SETUID and CAP_SETGID, the tables
// walk the rules from three starting points: root (0,0,0); root with a
// non-zero effective uid (0,1001,0), which has no effective capabilities; and
// an unprivileged process with distinct ids (1000,1001,1002) /
// (2000,2001,2002); a row whose ids this user namespace does not map is
// skipped. In every environment, a child without capabilities (another user
// when the run can switch users, else the same ids) checks that foreign ids
// are EPERM and its own ids are accepted, ids unchanged; where an id is not
// mapped in the user namespace, Linux says EINVAL instead and that is checked.
// Not covered here: setfsuid/setfsgid (fsuid.cpp), capabilities (capget.cpp),
// writing id maps, set-user-ID executables, the 16-bit *id16 calls of
// 32-bit ABIs.
#include "harness/test.hpp"
#include "tests/cred/cred_util.hpp"

using cred::Ids;

namespace {

Ids ids(bool gid) { return cred::current_ids(gid); }

void expect_ids(bool gid, Ids want) {
    Ids got = ids(gid);
    EXPECT_EQ(got.r, want.r);
    EXPECT_EQ(got.e, want.e);
    EXPECT_EQ(got.s, want.s);
}

constexpr u32 K = cred::kNoId;  // "leave unchanged"

// Where a transition row starts (set up as root in the child).
enum Start : u8 {
    ROOT,    // (0,0,0) with all of root's capabilities
    TEMP,    // uids (0,1001,0): root that stepped aside, no effective caps
    UNPRIV,  // uids (1000,1001,1002), or gids (2000,2001,2002) with uids 1000
};

struct Trans {
    const char* label;
    Start start;
    u32 a, b, c;  // the call's arguments (unused ones ignored)
    int err;      // 0: success and the ids become `want`; else -err, ids unchanged
    Ids want;
};

struct TransCtx {
    const Trans* row;
    long nr;
    bool gid;
};

void transition_child(void* p) {
    const TransCtx& t = *static_cast<const TransCtx*>(p);
    const Trans& row = *t.row;
    ASSERT_RET(sys::setresgid(0, 0, 0), 0);
    ASSERT_RET(sys::setresuid(0, 0, 0), 0);
    if (row.start == TEMP) ASSERT_RET(sys::setresuid(K, 1001, K), 0);
    if (row.start == UNPRIV && t.gid) {
        ASSERT_RET(sys::setresgid(2000, 2001, 2002), 0);
        ASSERT_RET(sys::setresuid(1000, 1000, 1000), 0);
    } else if (row.start == UNPRIV) {
        ASSERT_RET(sys::setresuid(1000, 1001, 1002), 0);
    }
    Ids before = ids(t.gid);
    long r = sys::syscall3(t.nr, row.a, row.b, row.c);
    if (row.err) {
        EXPECT_ERR(r, row.err);
        expect_ids(t.gid, before);
    } else {
        EXPECT_RET(r, 0);
        expect_ids(t.gid, row.want);
    }
}

// A row needs CAP_SETUID and CAP_SETGID (its child makes itself root, then
// sets fixed ids), and every id it uses mapped in this user namespace: 0,
// the start's ids, and the call's arguments.
void run_transition(const Trans& row, long nr, bool gid) {
    kc::require_ns_cap(CAP_SETUID);
    kc::require_ns_cap(CAP_SETGID);
    cred::require_mapped(false, 0);
    cred::require_mapped(true, 0);
    if (row.start == TEMP) cred::require_mapped(false, 1001);
    if (row.start == UNPRIV && gid) {
        cred::require_mapped(false, 1000);
        cred::require_mapped(true, 2000, 3);
    } else if (row.start == UNPRIV) {
        cred::require_mapped(false, 1000, 3);
    }
    const u32 args[] = {row.a, row.b, row.c};
    for (u32 id : args) {
        if (id != K) cred::require_mapped(gid, id);
    }
    TransCtx t{&row, nr, gid};
    EXPECT_CHILD_OK(kc::spawn(transition_child, &t));
}

}  // namespace

// The same calls from an unprivileged process: a child that
// cred::become_unprivileged() made another user without capabilities, or -
// when the run cannot switch users - the same ids without capabilities.
// Arguments name the caller's own id, another id (own + 1), root's id 0, or
// -1.

namespace {

enum Arg : u8 { KEEP, OWN, OTHER, ZERO };

struct Unpriv {
    const char* label;
    Arg a, b, c;
};

struct UnprivCtx {
    long nr;
    bool gid;
    int err;
    u32 arg[3];
    Ids own;  // the child's ids once unprivileged
};

u32 resolve(Arg a, u32 own) {
    switch (a) {
        case OWN:
            return own;
        case OTHER:
            return own + 1;
        case ZERO:
            return 0;
        default:
            return K;
    }
}

void unpriv_child(void* p) {
    const UnprivCtx& t = *static_cast<const UnprivCtx*>(p);
    ASSERT_TRUE(cred::become_unprivileged());
    Ids before = ids(t.gid);
    ASSERT_EQ(before.e, t.own.e);
    long r = sys::syscall3(t.nr, t.arg[0], t.arg[1], t.arg[2]);
    if (t.err) {
        EXPECT_ERR(r, t.err);
    } else {
        EXPECT_RET(r, 0);
    }
    expect_ids(t.gid, before);
}

// `err` is the answer when every id given is mapped. A row that names
// another id (0 or own + 1) needs it to differ from the child's own ids,
// which it does not when the run cannot switch users and is uid 0.
void run_unpriv(const Unpriv& row, long nr, bool gid, int err) {
    UnprivCtx t{nr, gid, err, {}, cred::unprivileged_ids(gid)};
    const Arg args[] = {row.a, row.b, row.c};
    for (int i = 0; i < 3; ++i) {
        t.arg[i] = resolve(args[i], t.own.e);
        if ((args[i] == OTHER || args[i] == ZERO) && cred::is_own(t.own, t.arg[i])) {
            char buf[200];
            rt::Fmt f(buf, sizeof buf);
            f.s("needs an unprivileged child whose ").s(gid ? "gid" : "uid").s(" is not ");
            f.u(t.arg[i]).s(": it keeps the run's ids and only drops its capabilities, as ");
            f.s(cred::why_no_user_switch());
            kc::skip(f.cstr());
        }
    }
    // Linux validates every id given against the user namespace's map before
    // it looks at privilege (kernel/sys.c): an unmapped id - every id under
    // `unshare -U`, all but one under `unshare -r` - is EINVAL, even the
    // caller's own overflow id 65534 when its real id is not mapped.
    for (u32 id : t.arg) {
        if (id != K && !kc::ids_mapped(gid, id)) t.err = EINVAL;
    }
    EXPECT_CHILD_OK(kc::spawn(unpriv_child, &t));
}

}  // namespace

constexpr Unpriv kOtherOne[] = {{"id=0", ZERO, KEEP, KEEP}, {"id=own+1", OTHER, KEEP, KEEP}};
constexpr Unpriv kOtherTwo[] = {
    {"real=0", ZERO, KEEP, KEEP},       {"effective=0", KEEP, ZERO, KEEP},
    {"real=own+1", OTHER, KEEP, KEEP},  {"effective=own+1", KEEP, OTHER, KEEP},
    {"both=own+1", OTHER, OTHER, KEEP},
};
constexpr Unpriv kOtherThree[] = {
    {"real=0", ZERO, KEEP, KEEP},           {"effective=0", KEEP, ZERO, KEEP},
    {"saved=0", KEEP, KEEP, ZERO},          {"real=own+1", OTHER, KEEP, KEEP},
    {"effective=own+1", KEEP, OTHER, KEEP}, {"saved=own+1", KEEP, KEEP, OTHER},
};

constexpr Unpriv kOwnOne[] = {{"id=own", OWN, KEEP, KEEP}};
constexpr Unpriv kOwnTwo[] = {
    {"own,own", OWN, OWN, KEEP},
    {"-1,-1", KEEP, KEEP, KEEP},
    {"own,-1", OWN, KEEP, KEEP},
    {"-1,own", KEEP, OWN, KEEP},
};
constexpr Unpriv kOwnThree[] = {
    {"own,own,own", OWN, OWN, OWN},
    {"-1,-1,-1", KEEP, KEEP, KEEP},
    {"own,-1,-1", OWN, KEEP, KEEP},
    {"-1,-1,own", KEEP, KEEP, OWN},
};

namespace {

// In a child, privileged or not: setuid/setgid(-1) must fail without a change.
void invalid_id_child(void* p) {
    bool gid = p != nullptr;
    Ids before = ids(gid);
    EXPECT_ERR(gid ? sys::setgid(K) : sys::setuid(K), EINVAL);
    expect_ids(gid, before);
}

}  // namespace

// ---------------------------------------------------------------------------
// setuid(2)

// setuid(2), POSIX: with appropriate privileges all three ids become uid;
// without, uid must equal the real or saved id and only the effective id
// changes. Linux: the effective id itself is not enough (0,1001,0 cannot
// setuid(1001)), and 0xfffffffe is the largest valid id.
constexpr Trans kSetuid[] = {
    {"root:1000", ROOT, 1000, 0, 0, 0, {1000, 1000, 1000}},
    {"root:0", ROOT, 0, 0, 0, 0, {0, 0, 0}},
    {"root:0xfffffffe", ROOT, 0xfffffffe, 0, 0, 0, {0xfffffffe, 0xfffffffe, 0xfffffffe}},
    {"temp:0", TEMP, 0, 0, 0, 0, {0, 0, 0}},
    {"temp:effective", TEMP, 1001, 0, 0, EPERM, {}},
    {"temp:foreign", TEMP, 1000, 0, 0, EPERM, {}},
    {"unpriv:real", UNPRIV, 1000, 0, 0, 0, {1000, 1000, 1002}},
    {"unpriv:saved", UNPRIV, 1002, 0, 0, 0, {1000, 1002, 1002}},
    {"unpriv:effective", UNPRIV, 1001, 0, 0, EPERM, {}},
    {"unpriv:0", UNPRIV, 0, 0, 0, EPERM, {}},
    {"unpriv:foreign", UNPRIV, 1003, 0, 0, EPERM, {}},
};
TEST_P(setuid, transitions, POSITIVE, PSE54, kSetuid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setuid, false);
}

// setuid(2) EPERM: "The user is not privileged (Linux: does not have the
// CAP_SETUID capability in its user namespace) and uid does not match the
// real UID or saved set-user-ID of the calling process".
TEST_P(setuid, unprivileged_other_id_eperm, NEGATIVE, PSE54, kOtherOne, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setuid, false, EPERM);
}

// setuid(2), POSIX: an unprivileged process may set its uid to its real uid
// (a no-op here: all three ids are equal).
TEST_P(setuid, unprivileged_own_id_allowed, BOUNDARY, PSE54, kOwnOne, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setuid, false, 0);
}

// setuid(2) EINVAL: "The user ID specified in uid is not valid in this user
// namespace"; (uid_t)-1 is never valid. Checked before privilege, so root
// gets EINVAL too.
TEST(setuid, minus_one_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    EXPECT_CHILD_OK(kc::spawn(invalid_id_child, nullptr));
}

// setuid(2): root that sets all three ids to a non-zero uid has given up
// privilege for good: no call can bring uid 0 back, and capabilities(7)
// "If one or more of the real, effective, or saved set user IDs was
// previously 0, and as a result of the UID changes all of these IDs have a
// nonzero value, then all capabilities are cleared from the permitted,
// effective, and ambient capability sets". The child first makes itself
// root (uid 0 of its user namespace), then becomes kc::other_uid().
TEST(setuid, dropped_root_cannot_regain, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    cred::require_root();
    u32 other = kc::other_uid();
    long pid = kc::spawn(
        [](void* p) {
            u32 u = *static_cast<u32*>(p);
            ASSERT_TRUE(cred::become_root());
            ASSERT_RET(sys::setuid(u), 0);
            EXPECT_ERR(sys::setuid(0), EPERM);
            EXPECT_ERR(sys::setreuid(0, 0), EPERM);
            EXPECT_ERR(sys::setreuid(K, 0), EPERM);
            EXPECT_ERR(sys::setresuid(0, 0, 0), EPERM);
            EXPECT_ERR(sys::setresuid(K, K, 0), EPERM);
            expect_ids(false, {u, u, u});
            cred::Caps c{1, 1, 1};
            ASSERT_TRUE(cred::get_caps(0, &c));
            EXPECT_EQ(c.eff, 0);
            EXPECT_EQ(c.prm, 0);
            EXPECT_ERR(cred::set_caps({cred::capbit(CAP_SETUID), cred::capbit(CAP_SETUID), 0}),
                       EPERM);
        },
        &other);
    EXPECT_CHILD_OK(pid);
}

// setuid(2), POSIX: credentials belong to the process; a child that changes
// its ids (to kc::other_gid() and kc::other_uid()) leaves its parent's ids
// alone.
TEST(setuid, child_change_leaves_parent, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    u32 other[2] = {kc::other_uid(), kc::other_gid()};
    Ids before = ids(false);
    Ids gbefore = ids(true);
    long pid = kc::spawn(
        [](void* p) {
            const u32* o = static_cast<const u32*>(p);
            ASSERT_RET(sys::setgid(o[1]), 0);
            ASSERT_RET(sys::setuid(o[0]), 0);
            expect_ids(false, {o[0], o[0], o[0]});
        },
        other);
    EXPECT_CHILD_OK(pid);
    expect_ids(false, before);
    expect_ids(true, gbefore);
}

// ---------------------------------------------------------------------------
// setgid(2)

// setgid(2) EPERM: the same for group ids.
TEST_P(setgid, unprivileged_other_id_eperm, NEGATIVE, PSE54, kOtherOne, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setgid, true, EPERM);
}

// setgid(2), POSIX: the same for the group id.
TEST_P(setgid, unprivileged_own_id_allowed, BOUNDARY, PSE54, kOwnOne, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setgid, true, 0);
}

// setgid(2), POSIX: the same rules as setuid for the group ids.
constexpr Trans kSetgid[] = {
    {"root:3000", ROOT, 3000, 0, 0, 0, {3000, 3000, 3000}},
    {"unpriv:real", UNPRIV, 2000, 0, 0, 0, {2000, 2000, 2002}},
    {"unpriv:saved", UNPRIV, 2002, 0, 0, 0, {2000, 2002, 2002}},
    {"unpriv:effective", UNPRIV, 2001, 0, 0, EPERM, {}},
    {"unpriv:0", UNPRIV, 0, 0, 0, EPERM, {}},
    {"unpriv:foreign", UNPRIV, 2003, 0, 0, EPERM, {}},
};
TEST_P(setgid, transitions, POSITIVE, PSE54, kSetgid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setgid, true);
}

// setgid(2) EINVAL: (gid_t)-1 is not a valid group id.
TEST(setgid, minus_one_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static int gid_marker;
    EXPECT_CHILD_OK(kc::spawn(invalid_id_child, &gid_marker));
}

// setgid(2), POSIX: a privileged setgid(3000) sets the real, effective and
// saved gids, leaves the user ids alone, and the new gids are inherited by a
// fork child. Needs CAP_SETGID and gid 3000 mapped.
TEST(setgid, inherited_by_fork_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETGID);
    cred::require_mapped(true, 3000);
    Ids uids = ids(false);
    long pid = kc::spawn(
        [](void* p) {
            ASSERT_RET(sys::setgid(3000), 0);
            expect_ids(true, {3000, 3000, 3000});
            expect_ids(false, *static_cast<const Ids*>(p));
            long kid = kc::spawn([](void*) { expect_ids(true, {3000, 3000, 3000}); }, nullptr);
            EXPECT_CHILD_OK(kid);
        },
        &uids);
    EXPECT_CHILD_OK(pid);
}

// ---------------------------------------------------------------------------
// setreuid(2)

// setreuid(2) EPERM: an unprivileged caller may only use its own ids.
TEST_P(setreuid, unprivileged_other_id_eperm, NEGATIVE, LINUX, kOtherTwo, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setreuid, false, EPERM);
}

// setreuid(2): the caller's own ids and -1 are always allowed.
TEST_P(setreuid, unprivileged_own_id_allowed, BOUNDARY, LINUX, kOwnTwo, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setreuid, false, 0);
}

// setreuid(2), POSIX (XSI): -1 leaves an id alone; unprivileged, the real id
// may become the effective id and the effective id the real or saved id.
// Linux (setreuid(2)): if the real id is given, or the effective id is set to
// something other than the previous real id, the saved id becomes the new
// effective id - even when the given real id equals the old one.
constexpr Trans kSetreuid[] = {
    {"root:real", ROOT, 1000, K, 0, 0, {1000, 0, 0}},
    {"root:effective", ROOT, K, 1000, 0, 0, {0, 1000, 1000}},
    {"root:both", ROOT, 1000, 1001, 0, 0, {1000, 1001, 1001}},
    {"root:none", ROOT, K, K, 0, 0, {0, 0, 0}},
    {"temp:effective=real", TEMP, K, 0, 0, 0, {0, 0, 0}},
    {"temp:effective=foreign", TEMP, K, 1000, 0, EPERM, {}},
    {"unpriv:swap", UNPRIV, 1001, 1000, 0, 0, {1001, 1000, 1000}},
    {"unpriv:real=saved", UNPRIV, 1002, K, 0, EPERM, {}},
    {"unpriv:effective=saved", UNPRIV, K, 1002, 0, 0, {1000, 1002, 1002}},
    {"unpriv:effective=real", UNPRIV, K, 1000, 0, 0, {1000, 1000, 1002}},
    {"unpriv:real=same", UNPRIV, 1000, K, 0, 0, {1000, 1001, 1001}},
    {"unpriv:none", UNPRIV, K, K, 0, 0, {1000, 1001, 1002}},
    {"unpriv:effective=0", UNPRIV, K, 0, 0, EPERM, {}},
    {"unpriv:real=0", UNPRIV, 0, K, 0, EPERM, {}},
};
TEST_P(setreuid, transitions, POSITIVE, LINUX, kSetreuid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setreuid, false);
}

// ---------------------------------------------------------------------------
// setregid(2)

// setregid(2) EPERM: the same for group ids.
TEST_P(setregid, unprivileged_other_id_eperm, NEGATIVE, LINUX, kOtherTwo, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setregid, true, EPERM);
}

// setregid(2): the same for group ids.
TEST_P(setregid, unprivileged_own_id_allowed, BOUNDARY, LINUX, kOwnTwo, .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setregid, true, 0);
}

// setregid(2), POSIX (XSI): the setreuid rules for the group ids.
constexpr Trans kSetregid[] = {
    {"root:real", ROOT, 3000, K, 0, 0, {3000, 0, 0}},
    {"root:effective", ROOT, K, 3000, 0, 0, {0, 3000, 3000}},
    {"unpriv:swap", UNPRIV, 2001, 2000, 0, 0, {2001, 2000, 2000}},
    {"unpriv:real=saved", UNPRIV, 2002, K, 0, EPERM, {}},
    {"unpriv:effective=saved", UNPRIV, K, 2002, 0, 0, {2000, 2002, 2002}},
    {"unpriv:real=same", UNPRIV, 2000, K, 0, 0, {2000, 2001, 2001}},
    {"unpriv:none", UNPRIV, K, K, 0, 0, {2000, 2001, 2002}},
    {"unpriv:effective=foreign", UNPRIV, K, 2003, 0, EPERM, {}},
};
TEST_P(setregid, transitions, POSITIVE, LINUX, kSetregid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setregid, true);
}

// ---------------------------------------------------------------------------
// setresuid(2)

// setresuid(2) EPERM: "The calling process is not privileged ... and tried to
// change the IDs to values that are not permitted" (an unprivileged process
// may only use its current real, effective or saved ids).
TEST_P(setresuid, unprivileged_other_id_eperm, NEGATIVE, LINUX, kOtherThree,
       .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setresuid, false, EPERM);
}

// setresuid(2): "If one of the arguments equals -1, the corresponding value
// is not changed"; own ids are always allowed.
TEST_P(setresuid, unprivileged_own_id_allowed, BOUNDARY, LINUX, kOwnThree,
       .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setresuid, false, 0);
}

// setresuid(2): -1 leaves an id alone; unprivileged, each id may be set to
// any of the current real, effective or saved ids.
constexpr Trans kSetresuid[] = {
    {"root:all", ROOT, 1000, 1001, 1002, 0, {1000, 1001, 1002}},
    {"root:effective", ROOT, K, 1001, K, 0, {0, 1001, 0}},
    {"root:real", ROOT, 1000, K, K, 0, {1000, 0, 0}},
    {"root:none", ROOT, K, K, K, 0, {0, 0, 0}},
    {"temp:effective=0", TEMP, K, 0, K, 0, {0, 0, 0}},
    {"temp:real=foreign", TEMP, 1000, K, K, EPERM, {}},
    {"unpriv:permute", UNPRIV, 1002, 1000, 1001, 0, {1002, 1000, 1001}},
    {"unpriv:all=effective", UNPRIV, 1001, 1001, 1001, 0, {1001, 1001, 1001}},
    {"unpriv:none", UNPRIV, K, K, K, 0, {1000, 1001, 1002}},
    {"unpriv:real=foreign", UNPRIV, 1003, K, K, EPERM, {}},
    {"unpriv:effective=foreign", UNPRIV, K, 1003, K, EPERM, {}},
    {"unpriv:saved=foreign", UNPRIV, K, K, 1003, EPERM, {}},
    {"unpriv:all=0", UNPRIV, 0, 0, 0, EPERM, {}},
};
TEST_P(setresuid, transitions, POSITIVE, LINUX, kSetresuid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setresuid, false);
}

// setresuid(2) and capabilities(7): moving only the effective uid away from 0
// clears the effective set but keeps the permitted set (the real and saved
// ids are still 0); moving it back restores effective = permitted. The
// child makes itself root, then steps aside to kc::other_uid().
TEST(setresuid, effective_drop_keeps_permitted, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    cred::require_root();
    u32 other = kc::other_uid();
    long pid = kc::spawn(
        [](void* p) {
            ASSERT_TRUE(cred::become_root());
            cred::Caps root{};
            ASSERT_TRUE(cred::get_caps(0, &root));
            ASSERT_NE(root.prm, 0);
            ASSERT_RET(sys::setresuid(K, *static_cast<u32*>(p), K), 0);
            cred::Caps c{};
            ASSERT_TRUE(cred::get_caps(0, &c));
            EXPECT_EQ(c.eff, 0);
            EXPECT_EQ(c.prm, long(root.prm));
            ASSERT_RET(sys::setresuid(K, 0, K), 0);
            ASSERT_TRUE(cred::get_caps(0, &c));
            EXPECT_EQ(c.eff, long(root.prm));
            expect_ids(false, {0, 0, 0});
        },
        &other);
    EXPECT_CHILD_OK(pid);
}

// ---------------------------------------------------------------------------
// setresgid(2)

// setresgid(2) EPERM: the same for group ids.
TEST_P(setresgid, unprivileged_other_id_eperm, NEGATIVE, LINUX, kOtherThree,
       .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setresgid, true, EPERM);
}

// setresgid(2): the same for group ids.
TEST_P(setresgid, unprivileged_own_id_allowed, BOUNDARY, LINUX, kOwnThree,
       .flags = kc::NEEDS_FORK) {
    run_unpriv(row, nr::setresgid, true, 0);
}

// setresgid(2): the setresuid rules for the group ids.
constexpr Trans kSetresgid[] = {
    {"root:all", ROOT, 3000, 3001, 3002, 0, {3000, 3001, 3002}},
    {"root:effective", ROOT, K, 3001, K, 0, {0, 3001, 0}},
    {"unpriv:permute", UNPRIV, 2002, 2000, 2001, 0, {2002, 2000, 2001}},
    {"unpriv:none", UNPRIV, K, K, K, 0, {2000, 2001, 2002}},
    {"unpriv:real=foreign", UNPRIV, 2003, K, K, EPERM, {}},
    {"unpriv:effective=foreign", UNPRIV, K, 2003, K, EPERM, {}},
    {"unpriv:saved=foreign", UNPRIV, K, K, 2003, EPERM, {}},
};
TEST_P(setresgid, transitions, POSITIVE, LINUX, kSetresgid, .flags = kc::NEEDS_FORK) {
    run_transition(row, nr::setresgid, true);
}
