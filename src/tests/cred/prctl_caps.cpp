// SPDX-License-Identifier: MIT
// prctl(2) options about credentials and capabilities: PR_GET/SET_KEEPCAPS,
// PR_GET/SET_SECUREBITS, PR_CAPBSET_READ/PR_CAPBSET_DROP (bounds and effect
// on execve), PR_CAP_AMBIENT, PR_GET/SET_NO_NEW_PRIVS argument checks and
// execve, PR_SET_DUMPABLE values and its reset on a credential change.
// Every setting is changed in a child (the harness keeps its own); the
// effects across execve are read back by re-executing this binary as the
// exec helper "cred_state".
// Not covered here (src/tests/proc/prctl.cpp has them): the PR_SET_NAME,
// PDEATHSIG and subreaper options, PR_SET_DUMPABLE 0/1 round trip, the
// fork inheritance of no_new_privs, PR_CAPBSET_READ of cap 0/1000/-1.
// Not covered at all: the SECBIT_EXEC_* bits, file capabilities, seccomp.
// Tests declare the capabilities they use (CAP_SETPCAP for the securebits and
// the bounding set, which the kernel checks in the caller's own user
// namespace; CAP_CHOWN as the capability moved around) instead of needing
// uid 0; the unprivileged cases drop every capability in every environment.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

// The state the exec helper reports, as bits of its exit status.
enum : int {
    kKeepCaps = 1,       // PR_GET_KEEPCAPS is 1
    kNoNewPrivs = 2,     // PR_GET_NO_NEW_PRIVS is 1
    kPrmChown = 4,       // CAP_CHOWN in the permitted set
    kBsetChown = 8,      // CAP_CHOWN in the bounding set
    kAmbientChown = 16,  // CAP_CHOWN in the ambient set
    kRan = 64,           // the helper ran at all
};

long is_ambient(int cap) { return sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0); }

// In a child: execs the helper after `setup` and returns its exit status
// (or -1 if it did not exit normally).
int exec_state(void (*setup)(void*), void* arg = nullptr) {
    struct Ctx {
        void (*setup)(void*);
        void* arg;
    } ctx{setup, arg};
    long pid = kc::spawn(
        [](void* p) {
            Ctx& c = *static_cast<Ctx*>(p);
            c.setup(c.arg);
            common::exec_helper(kc::self_path(), "--exec-helper=cred_state");
        },
        &ctx);
    if (pid < 0) return -1;
    int st = kc::wait_status(pid);
    return st >= 0 && wifexited(st) ? wexitstatus(st) : -1;
}

struct Val {
    const char* label;
    long v;
};

}  // namespace

EXEC_HELPER(cred_state) {
    int r = kRan;
    if (sys::prctl(PR_GET_KEEPCAPS) == 1) r |= kKeepCaps;
    if (sys::prctl(PR_GET_NO_NEW_PRIVS) == 1) r |= kNoNewPrivs;
    cred::Caps c{};
    if (cred::get_caps(0, &c) && (c.prm & cred::capbit(CAP_CHOWN))) r |= kPrmChown;
    if (sys::prctl(PR_CAPBSET_READ, CAP_CHOWN) == 1) r |= kBsetChown;
    if (is_ambient(CAP_CHOWN) == 1) r |= kAmbientChown;
    return r;
}

// prctl(2) PR_SET_KEEPCAPS / PR_GET_KEEPCAPS: the flag reads back what was
// set; it starts at 0.
TEST(prctl, keepcaps_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 0);
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 1);
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 0), 0);
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 0);
    });
}

constexpr Val kBadFlags[] = {{"2", 2}, {"-1", -1}, {"2^32", 1L << 32}, {"2^32+1", (1L << 32) + 1}};
// prctl(2) PR_SET_KEEPCAPS: "arg2 must be either 0 (clear the flag) or 1 (set
// the flag)" - anything else is EINVAL, judged on the whole unsigned long
// (2^32 is not truncated to 0); the flag keeps its value.
TEST_P(prctl, keepcaps_bad_value_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
            EXPECT_ERR(sys::prctl(PR_SET_KEEPCAPS, static_cast<const Val*>(p)->v), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 1);
        },
        &row);
}

// prctl(2) PR_SET_KEEPCAPS sets the "keep capabilities" flag, which
// capabilities(7) describes as the SECBIT_KEEP_CAPS securebit.
TEST(prctl, keepcaps_is_securebit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
        long bits = sys::prctl(PR_GET_SECUREBITS);
        ASSERT_GE(bits, 0);
        EXPECT_EQ(bits & SECBIT_KEEP_CAPS, SECBIT_KEEP_CAPS);
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 0), 0);
        EXPECT_EQ(sys::prctl(PR_GET_SECUREBITS) & SECBIT_KEEP_CAPS, 0);
    });
}

// capabilities(7) "keep capabilities": with the flag set, root that changes
// all its uids to non-zero (kc::other_uid()) keeps its permitted set (the
// effective set is still cleared). The child makes itself root first.
TEST(prctl, keepcaps_keeps_permitted_on_setuid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    cred::require_root();
    static u32 other;
    other = kc::other_uid();
    common::in_child([](void*) {
        ASSERT_TRUE(cred::become_root());
        cred::Caps root{};
        ASSERT_TRUE(cred::get_caps(0, &root));
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
        ASSERT_RET(sys::setresuid(other, other, other), 0);
        cred::Caps c{};
        ASSERT_TRUE(cred::get_caps(0, &c));
        EXPECT_EQ(c.prm, long(root.prm));
        EXPECT_EQ(c.eff, 0);
    });
}

// prctl(2) PR_SET_KEEPCAPS: the flag is part of the credentials, which a
// fork child copies.
TEST(prctl, keepcaps_inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
        common::in_child([](void*) { EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 1); });
    });
}

// prctl(2) PR_SET_KEEPCAPS: "The "keep capabilities" value will be reset to 0
// on subsequent calls to execve(2)".
TEST(prctl, keepcaps_cleared_by_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = exec_state([](void*) { ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0); });
    ASSERT_EQ(st & kRan, kRan);
    EXPECT_EQ(st & kKeepCaps, 0);
}

constexpr Val kSecurebits[] = {
    {"current", -1},  // the value the process already has
    {"noroot", SECBIT_NOROOT},
    {"keep_caps", SECBIT_KEEP_CAPS},
};
// prctl(2) EPERM: "option is PR_SET_SECUREBITS, and the caller does not have
// the CAP_SETPCAP capability" - even to set the value it already has. The
// child has no capabilities (cred::become_unprivileged).
TEST_P(prctl, securebits_unprivileged_eperm, NEGATIVE, LINUX, kSecurebits,
       .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            ASSERT_TRUE(cred::become_unprivileged());
            long before = sys::prctl(PR_GET_SECUREBITS);
            long v = static_cast<const Val*>(p)->v;
            EXPECT_ERR(sys::prctl(PR_SET_SECUREBITS, v < 0 ? before : v), EPERM);
            EXPECT_RET(sys::prctl(PR_GET_SECUREBITS), before);
        },
        &row);
}

constexpr Val kUnknownBits[] = {{"bit20", 1L << 20}, {"bit31", 1L << 31}, {"bit40", 1L << 40}};
// prctl(2) PR_SET_SECUREBITS with a bit the kernel does not know: Linux
// answers EPERM (not EINVAL), even with CAP_SETPCAP; nothing changes.
TEST_P(prctl, securebits_unknown_bit_eperm, NEGATIVE, LINUX, kUnknownBits,
       .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETPCAP);
    common::in_child(
        [](void* p) {
            long before = sys::prctl(PR_GET_SECUREBITS);
            EXPECT_ERR(sys::prctl(PR_SET_SECUREBITS, static_cast<const Val*>(p)->v), EPERM);
            EXPECT_RET(sys::prctl(PR_GET_SECUREBITS), before);
        },
        &row);
}

// prctl(2) PR_SET_SECUREBITS / PR_GET_SECUREBITS (CAP_SETPCAP): the bits read
// back, and SECBIT_KEEP_CAPS is what PR_GET_KEEPCAPS reports.
TEST(prctl, securebits_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETPCAP);
    common::in_child([](void*) {
        ASSERT_RET(sys::prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_KEEP_CAPS), 0);
        EXPECT_RET(sys::prctl(PR_GET_SECUREBITS), SECBIT_NOROOT | SECBIT_KEEP_CAPS);
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 1);
        ASSERT_RET(sys::prctl(PR_SET_SECUREBITS, 0), 0);
        EXPECT_RET(sys::prctl(PR_GET_SECUREBITS), 0);
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 0);
    });
}

// capabilities(7) SECBIT_KEEP_CAPS_LOCKED: once locked, the keep-caps flag
// cannot be changed, through either prctl; PR_SET_KEEPCAPS says EPERM.
TEST(prctl, securebits_locked_flag_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETPCAP);
    common::in_child([](void*) {
        long locked = SECBIT_KEEP_CAPS | SECBIT_KEEP_CAPS_LOCKED;
        ASSERT_RET(sys::prctl(PR_SET_SECUREBITS, locked), 0);
        EXPECT_ERR(sys::prctl(PR_SET_KEEPCAPS, 0), EPERM);
        EXPECT_ERR(sys::prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED), EPERM);
        EXPECT_ERR(sys::prctl(PR_SET_SECUREBITS, 0), EPERM);
        EXPECT_RET(sys::prctl(PR_GET_KEEPCAPS), 1);
        EXPECT_RET(sys::prctl(PR_GET_SECUREBITS), locked);
    });
}

// prctl(2) PR_CAPBSET_READ: every capability from 0 up to the kernel's last
// one reads 0 or 1, every one above is EINVAL, and the capget sets never
// hold a bit above the last one.
TEST(prctl, capbset_read_contiguous_range, BOUNDARY, LINUX) {
    int last = -1;
    while (last < 63 && sys::prctl(PR_CAPBSET_READ, last + 1) >= 0) ++last;
    ASSERT_GE(last, CAP_SYSLOG);  // CAP_SYSLOG exists since Linux 2.6.37
    for (int cap = 0; cap <= last; ++cap) {
        long r = sys::prctl(PR_CAPBSET_READ, cap);
        EXPECT_TRUE(r == 0 || r == 1);
    }
    for (int cap = last + 1; cap < 64; ++cap) EXPECT_ERR(sys::prctl(PR_CAPBSET_READ, cap), EINVAL);
    cred::Caps c{};
    ASSERT_TRUE(cred::get_caps(0, &c));
    u64 valid = last == 63 ? ~0ull : (1ull << (last + 1)) - 1;
    EXPECT_EQ((c.eff | c.prm | c.inh) & ~valid, 0);
}

constexpr Val kBadCaps[] = {{"cap=64", 64}, {"cap=2^32", 1L << 32}, {"cap=2^32+1", (1L << 32) + 1}};
// prctl(2) PR_CAPBSET_READ: "If the capability specified in arg2 is not
// valid, then the call fails with the error EINVAL" - the whole unsigned
// long counts (2^32+1 is not capability 1).
TEST_P(prctl, capbset_read_bad_cap_einval, NEGATIVE, LINUX, kBadCaps) {
    EXPECT_ERR(sys::prctl(PR_CAPBSET_READ, row.v), EINVAL);
}

// prctl(2) EPERM: "option is PR_CAPBSET_DROP, and the caller does not have
// the CAP_SETPCAP capability"; the bounding set is unchanged. The child has
// no capabilities (cred::become_unprivileged).
TEST(prctl, capbset_drop_unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_TRUE(cred::become_unprivileged());
        long before = sys::prctl(PR_CAPBSET_READ, CAP_CHOWN);
        EXPECT_ERR(sys::prctl(PR_CAPBSET_DROP, CAP_CHOWN), EPERM);
        EXPECT_RET(sys::prctl(PR_CAPBSET_READ, CAP_CHOWN), before);
    });
}

// prctl(2) PR_CAPBSET_DROP (CAP_SETPCAP): the capability leaves the bounding
// set (dropping it twice is fine) and the others stay; capabilities(7): the
// bounding set only limits what execve grants, so the effective set still
// has it.
TEST(prctl, capbset_drop_removes_from_bounding, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETPCAP);
    kc::require_ns_cap(CAP_CHOWN);
    cred::require_bounding(CAP_CHOWN);
    common::in_child([](void*) {
        long kill = sys::prctl(PR_CAPBSET_READ, CAP_KILL);
        ASSERT_RET(sys::prctl(PR_CAPBSET_DROP, CAP_CHOWN), 0);
        EXPECT_RET(sys::prctl(PR_CAPBSET_READ, CAP_CHOWN), 0);
        EXPECT_RET(sys::prctl(PR_CAPBSET_DROP, CAP_CHOWN), 0);
        EXPECT_RET(sys::prctl(PR_CAPBSET_READ, CAP_KILL), kill);
        EXPECT_TRUE(cred::has_cap(CAP_CHOWN));
    });
}

constexpr Val kBadDrops[] = {{"cap=64", 64}, {"cap=-1", -1}};
// prctl(2) PR_CAPBSET_DROP with an invalid capability is EINVAL (with
// CAP_SETPCAP, so that the privilege check passes).
TEST_P(prctl, capbset_drop_bad_cap_einval, NEGATIVE, LINUX, kBadDrops, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SETPCAP);
    common::in_child(
        [](void* p) {
            EXPECT_ERR(sys::prctl(PR_CAPBSET_DROP, static_cast<const Val*>(p)->v), EINVAL);
        },
        &row);
}

struct Exec {
    const char* label;
    bool drop;
    int want;  // the exec helper's status bits of interest
};
constexpr Exec kBsetExec[] = {
    {"kept", false, kRan | kPrmChown | kBsetChown},
    {"dropped", true, kRan},
};
// capabilities(7), Transformation of capabilities during execve(): for root,
// P'(permitted) = P(inheritable) | P(bounding); a capability dropped from
// the bounding set is therefore missing after execve. The child makes itself
// root (uid 0 of its user namespace, which is what the rule keys on); the
// run must have CAP_CHOWN in its bounding set, and not SECBIT_NOROOT.
TEST_P(prctl, capbset_limits_execve, POSITIVE, LINUX, kBsetExec, .flags = kc::NEEDS_FORK) {
    cred::require_root();
    cred::require_bounding(CAP_CHOWN);
    if (row.drop) kc::require_ns_cap(CAP_SETPCAP);
    // A failing PR_GET_SECUREBITS says nothing of SECBIT_NOROOT: the test
    // goes on (securebits have their own tests).
    long bits = sys::prctl(PR_GET_SECUREBITS);
    if (bits >= 0 && (bits & SECBIT_NOROOT)) kc::skip("needs securebits without SECBIT_NOROOT");
    int st = exec_state(
        [](void* p) {
            ASSERT_TRUE(cred::become_root());
            if (static_cast<const Exec*>(p)->drop)
                ASSERT_RET(sys::prctl(PR_CAPBSET_DROP, CAP_CHOWN), 0);
        },
        const_cast<Exec*>(&row));
    EXPECT_EQ(st & (kRan | kPrmChown | kBsetChown), row.want);
}

// prctl(2) PR_CAP_AMBIENT_IS_SET: a process nobody raised ambient
// capabilities for has none.
TEST(prctl, ambient_empty_by_default, POSITIVE, LINUX) {
    EXPECT_RET(is_ambient(CAP_CHOWN), 0);
    EXPECT_RET(is_ambient(CAP_KILL), 0);
}

struct Amb {
    const char* label;
    long op, a3, a4, a5;
};
constexpr Amb kBadAmbient[] = {
    {"is_set:cap=64", PR_CAP_AMBIENT_IS_SET, 64, 0, 0},
    {"is_set:arg4=1", PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 1, 0},
    {"is_set:arg5=1", PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 1},
    {"raise:cap=64", PR_CAP_AMBIENT_RAISE, 64, 0, 0},
    {"clear_all:arg3=1", PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0},
    {"op=0", 0, CAP_CHOWN, 0, 0},
    {"op=5", 5, CAP_CHOWN, 0, 0},
};
// prctl(2) PR_CAP_AMBIENT EINVAL: an unknown sub-operation, an invalid
// capability, or unused arguments that are not zero. None of these can
// change anything.
TEST_P(prctl, ambient_bad_args_einval, NEGATIVE, LINUX, kBadAmbient) {
    EXPECT_ERR(sys::prctl(PR_CAP_AMBIENT, row.op, row.a3, row.a4, row.a5), EINVAL);
}

// prctl(2) EPERM: "option is PR_CAP_AMBIENT and arg2 is PR_CAP_AMBIENT_RAISE,
// but either the capability specified in arg3 is not present in the
// process's permitted and inheritable capability sets" - always so for a
// process without capabilities (cred::become_unprivileged).
TEST(prctl, ambient_unprivileged_raise_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_TRUE(cred::become_unprivileged());
        EXPECT_ERR(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), EPERM);
        EXPECT_RET(is_ambient(CAP_CHOWN), 0);
    });
}

// prctl(2) PR_CAP_AMBIENT: raising needs the capability in the permitted and
// inheritable sets; it then reads as set until lowered or cleared. Needs
// CAP_CHOWN permitted, and in the bounding set (capset adds nothing to the
// inheritable set from outside it).
TEST(prctl, ambient_raise_lower_clear, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_CHOWN);
    cred::require_bounding(CAP_CHOWN);
    common::in_child([](void*) {
        cred::Caps c{};
        ASSERT_TRUE(cred::get_caps(0, &c));
        ASSERT_RET(cred::set_caps({c.eff, c.prm, c.inh & ~cred::capbit(CAP_CHOWN)}), 0);
        EXPECT_ERR(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), EPERM);
        ASSERT_RET(cred::set_caps({c.eff, c.prm, c.inh | cred::capbit(CAP_CHOWN)}), 0);
        EXPECT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), 0);
        EXPECT_RET(is_ambient(CAP_CHOWN), 1);
        EXPECT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_CHOWN, 0, 0), 0);
        EXPECT_RET(is_ambient(CAP_CHOWN), 0);
        EXPECT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), 0);
        EXPECT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), 0);
        EXPECT_RET(is_ambient(CAP_CHOWN), 0);
    });
}

// capabilities(7): "The ambient capability set obeys the invariant that no
// capability can ever be ambient if it is not both permitted and
// inheritable" - removing it from the permitted set lowers it. Needs
// CAP_CHOWN permitted and in the bounding set.
TEST(prctl, ambient_follows_permitted, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_CHOWN);
    cred::require_bounding(CAP_CHOWN);
    common::in_child([](void*) {
        cred::Caps c{};
        ASSERT_TRUE(cred::get_caps(0, &c));
        u64 bit = cred::capbit(CAP_CHOWN);
        ASSERT_RET(cred::set_caps({c.eff, c.prm, c.inh | bit}), 0);
        ASSERT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), 0);
        ASSERT_RET(cred::set_caps({c.eff & ~bit, c.prm & ~bit, c.inh | bit}), 0);
        EXPECT_RET(is_ambient(CAP_CHOWN), 0);
    });
}

constexpr Exec kAmbientExec[] = {
    {"ambient", true, kRan | kPrmChown | kAmbientChown},
    {"no_ambient", false, kRan},
};
// capabilities(7): an unprivileged program exec'd without file capabilities
// gets P'(permitted) = P'(ambient) = P(ambient): CAP_CHOWN survives execve
// for kc::other_uid() only when it was ambient. Needs CAP_CHOWN permitted
// and in the bounding set.
TEST_P(prctl, ambient_kept_across_execve, POSITIVE, LINUX, kAmbientExec, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_CHOWN);
    cred::require_bounding(CAP_CHOWN);
    static u32 other;
    other = kc::other_uid();
    int st = exec_state(
        [](void* p) {
            cred::Caps c{};
            ASSERT_TRUE(cred::get_caps(0, &c));
            u64 bit = cred::capbit(CAP_CHOWN);
            ASSERT_RET(sys::prctl(PR_SET_KEEPCAPS, 1), 0);
            ASSERT_RET(sys::setresuid(other, other, other), 0);
            ASSERT_RET(cred::set_caps({0, c.prm, c.inh | bit}), 0);
            if (static_cast<const Exec*>(p)->drop) {
                ASSERT_RET(sys::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_CHOWN, 0, 0), 0);
            }
        },
        const_cast<Exec*>(&row));
    EXPECT_EQ(st & (kRan | kPrmChown | kAmbientChown), row.want);
}

struct Args {
    const char* label;
    long a2, a3, a4, a5;
};
constexpr Args kNnpGetArgs[] = {
    {"arg2=1", 1, 0, 0, 0},
    {"arg3=1", 0, 1, 0, 0},
    {"arg5=1", 0, 0, 0, 1},
};
// prctl(2) PR_GET_NO_NEW_PRIVS EINVAL: the unused arguments must be 0.
TEST_P(prctl, no_new_privs_get_args_einval, NEGATIVE, LINUX, kNnpGetArgs) {
    EXPECT_ERR(sys::prctl(PR_GET_NO_NEW_PRIVS, row.a2, row.a3, row.a4, row.a5), EINVAL);
}

constexpr Val kNnpBad[] = {{"2", 2}, {"-1", -1}, {"2^32+1", (1L << 32) + 1}};
// prctl(2) PR_SET_NO_NEW_PRIVS EINVAL: arg2 must be exactly 1 (all of the
// unsigned long); the flag keeps the value it had (the suite may start with
// it set: systemd NoNewPrivileges=, container runtimes, a seccomp tracer).
TEST_P(prctl, no_new_privs_bad_value_einval, NEGATIVE, LINUX, kNnpBad, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            long before = sys::prctl(PR_GET_NO_NEW_PRIVS);
            EXPECT_ERR(sys::prctl(PR_SET_NO_NEW_PRIVS, static_cast<const Val*>(p)->v), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), before);
        },
        &row);
}

// prctl(2) PR_SET_NO_NEW_PRIVS: "The setting of this attribute is inherited
// by children created by fork(2) and clone(2), and preserved across
// execve(2)".
TEST(prctl, no_new_privs_survives_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = exec_state([](void*) { ASSERT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0); });
    EXPECT_EQ(st & (kRan | kNoNewPrivs), kRan | kNoNewPrivs);
}

constexpr Val kDumpBad[] = {{"3", 3}, {"2^32+1", (1L << 32) + 1}};
// prctl(2) PR_SET_DUMPABLE EINVAL: only 0 (SUID_DUMP_DISABLE) and 1
// (SUID_DUMP_USER) are accepted; 2^32+1 is not truncated to 1.
TEST_P(prctl, dumpable_bad_value_einval, NEGATIVE, LINUX, kDumpBad, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            ASSERT_RET(sys::prctl(PR_SET_DUMPABLE, 1), 0);
            EXPECT_ERR(sys::prctl(PR_SET_DUMPABLE, static_cast<const Val*>(p)->v), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_DUMPABLE), 1);
        },
        &row);
}

// prctl(2) PR_SET_DUMPABLE: "Normally, the "dumpable" attribute is set to 1.
// However, it is reset to the current value contained in the file
// /proc/sys/fs/suid_dumpable" when "The process's effective user or group ID
// is changed" (here to kc::other_uid()). Skipped without that /proc file.
TEST(prctl, dumpable_reset_by_euid_change, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static u32 other;
    other = kc::other_uid();
    long fd = sys::openat(AT_FDCWD, "/proc/sys/fs/suid_dumpable", O_RDONLY);
    if (fd < 0) kc::skip("no /proc/sys/fs/suid_dumpable to compare with");
    char c = 0;
    long n = sys::read(int(fd), &c, 1);
    sys::close(int(fd));
    ASSERT_RET(n, 1);
    static long want;
    want = c - '0';
    ASSERT_TRUE(want >= 0 && want <= 2);
    common::in_child([](void*) {
        ASSERT_RET(sys::prctl(PR_SET_DUMPABLE, 1), 0);
        ASSERT_RET(sys::setresuid(cred::kNoId, other, cred::kNoId), 0);
        EXPECT_RET(sys::prctl(PR_GET_DUMPABLE), want);
    });
}
