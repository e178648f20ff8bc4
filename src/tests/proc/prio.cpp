// SPDX-License-Identifier: MIT
// getpriority(2) and setpriority(2): nice values of processes and process
// groups. All changes are made in children (a nice value cannot be lowered
// back without privilege). The raw system call returns 20 - nice (1..40),
// not the nice value that getpriority(3) returns: tests compare raw values.
// Profile: POSIX puts getpriority/setpriority in XSI; they are tagged PSE53
// (multiple processes with priorities), Linux-only details LINUX.
// Not covered: PRIO_USER changes (they would renice every process of the
// user, including the harness and other sessions), RLIMIT_NICE raising.
#include "tests/proc/proc_util.hpp"

namespace {

// 20 - nice: the raw getpriority value for a nice value.
constexpr long raw(int nice) { return 20 - nice; }

// Skips when the run itself is niced above `nice` (nice -n 19) and a child
// could not go back down to it: lowering a nice value takes CAP_SYS_NICE,
// which the kernel checks in the initial user namespace (can_nice()).
void need_nice_at_most(int nice) {
    long now = 20 - sys::getpriority(PRIO_PROCESS, 0);
    if (now <= nice || kc::cap_usable(CAP_SYS_NICE)) return;
    char reason[96];
    rt::Fmt f(reason, sizeof reason);
    f.s("needs nice <= ").d(nice).s(" or CAP_SYS_NICE: the run is at nice ").d(now);
    kc::skip(f.cstr());
}

}  // namespace

// getpriority(2): the raw result is 20 - nice, so always within 1..40.
TEST(getpriority, raw_value_in_range, BOUNDARY, LINUX) {
    long p = sys::getpriority(PRIO_PROCESS, 0);
    EXPECT_GE(p, 1);
    EXPECT_LE(p, 40);
    EXPECT_EQ(sys::getpriority(PRIO_PROCESS, int(sys::getpid())), p);
}

struct Which {
    const char* label;
    int which;
};
constexpr Which kBadWhich[] = {
    {"which=3", 3}, {"which=-1", -1}, {"which=100", 100}, {"which=INT_MIN", INT_MIN}};
// POSIX getpriority: EINVAL for an unknown `which`.
TEST_P(getpriority, bad_which_einval, NEGATIVE, LINUX, kBadWhich) {
    EXPECT_ERR(sys::getpriority(row.which, 0), EINVAL);
}
struct Who {
    const char* label;
    int which;
    int who;
};
constexpr Who kNoWho[] = {
    {"PRIO_PROCESS_INT_MAX", PRIO_PROCESS, INT_MAX},
    {"PRIO_PROCESS_-1", PRIO_PROCESS, -1},
    {"PRIO_PGRP_INT_MAX", PRIO_PGRP, INT_MAX},
    {"PRIO_USER_unused_uid", PRIO_USER, 0x7ffffff0},
};
// POSIX getpriority: ESRCH when no process matches.
TEST_P(getpriority, no_match_esrch, NEGATIVE, LINUX, kNoWho) {
    EXPECT_ERR(sys::getpriority(row.which, row.who), ESRCH);
}

// getpriority(2) PRIO_USER: the highest priority among the user's processes,
// so never lower than the caller's own. Who 0 is the caller's real uid; the
// uid by number names the same user only when it is mapped in this user
// namespace (unmapped, getuid() returns the overflow id, which names no user:
// ESRCH).
TEST(getpriority, user_at_least_own, POSITIVE, LINUX) {
    long own = sys::getpriority(PRIO_PROCESS, 0);
    EXPECT_GE(sys::getpriority(PRIO_USER, 0), own);
    u32 uid = u32(sys::getuid());
    if (proc::outer_uid(uid) >= 0) {
        EXPECT_GE(sys::getpriority(PRIO_USER, int(uid)), own);
    } else {
        EXPECT_ERR(sys::getpriority(PRIO_USER, int(uid)), ESRCH);
    }
}

struct Nice {
    const char* label;
    int set;
    int want;  // the nice value that results
};
// setpriority(2): nice values 0..19 are kept as given; Linux clamps values
// above 19 to 19.
constexpr Nice kNice[] = {
    {"nice=0", 0, 0},        {"nice=1", 1, 1},
    {"nice=5", 5, 5},        {"nice=10", 10, 10},
    {"nice=19", 19, 19},     {"nice=20", 20, 19},
    {"nice=1000", 1000, 19}, {"nice=INT_MAX", INT_MAX, 19},
};
TEST_P(setpriority, raise_nice_round_trip, POSITIVE, LINUX, kNice, .flags = kc::NEEDS_FORK) {
    need_nice_at_most(row.want);
    long pid = kc::spawn(
        [](void* arg) {
            const Nice& r = *static_cast<const Nice*>(arg);
            EXPECT_OK(sys::setpriority(PRIO_PROCESS, 0, r.set));
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), raw(r.want));
        },
        const_cast<Nice*>(&row));
    EXPECT_CHILD_OK(pid);
}

// setpriority(2): with privilege (CAP_SYS_NICE) the nice value can be
// lowered down to -20; Linux clamps values below -20 to -20.
constexpr Nice kNegNice[] = {
    {"nice=-1", -1, -1},
    {"nice=-20", -20, -20},
    {"nice=-21", -21, -20},
    {"nice=INT_MIN", INT_MIN, -20},
};
TEST_P(setpriority, lower_nice_privileged, POSITIVE, LINUX, kNegNice, .flags = kc::NEEDS_FORK) {
    // can_nice(): capable(CAP_SYS_NICE), checked in the initial user namespace.
    kc::require_cap(CAP_SYS_NICE);
    long pid = kc::spawn(
        [](void* arg) {
            const Nice& r = *static_cast<const Nice*>(arg);
            EXPECT_OK(sys::setpriority(PRIO_PROCESS, 0, r.set));
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), raw(r.want));
        },
        const_cast<Nice*>(&row));
    EXPECT_CHILD_OK(pid);
}

// POSIX setpriority: EACCES when an unprivileged caller (no capabilities,
// soft RLIMIT_NICE 0) asks for a lower nice value (higher priority) than it
// has; the value stays. The child starts from nice 10, or from the run's own
// value when it is niced further (it could not go back down).
TEST(setpriority, lower_nice_unprivileged_eacces, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            rlimit64 rl{};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NICE, nullptr, &rl));
            rl.rlim_cur = 0;  // a soft RLIMIT_NICE could allow some lowering: none
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NICE, &rl, nullptr));
            long now = 20 - sys::getpriority(PRIO_PROCESS, 0);
            int base = now > 10 ? int(now) : 10;
            ASSERT_OK(sys::setpriority(PRIO_PROCESS, 0, base));
            EXPECT_ERR(sys::setpriority(PRIO_PROCESS, 0, base - 1), EACCES);
            EXPECT_ERR(sys::setpriority(PRIO_PROCESS, 0, -20), EACCES);
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), raw(base));
            EXPECT_OK(sys::setpriority(PRIO_PROCESS, 0, base));      // same value: allowed
            EXPECT_OK(sys::setpriority(PRIO_PROCESS, 0, base + 1));  // higher: allowed
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setpriority: EPERM when an unprivileged caller targets another
// user's process (proc::foreign_process). The value asked for is the target's
// current one, so nothing would change even if the call were wrongly allowed.
TEST(setpriority, other_user_process_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Foreign f;
    proc::foreign_process(f);
    long pid = kc::spawn(
        [](void* a) {
            auto* f = static_cast<proc::Foreign*>(a);
            ASSERT_TRUE(proc::unprivileged_toward(*f));
            long cur = sys::getpriority(PRIO_PROCESS, int(f->pid));
            ASSERT_GT(cur, 0);
            EXPECT_ERR(sys::setpriority(PRIO_PROCESS, int(f->pid), int(20 - cur)), EPERM);
        },
        &f);
    EXPECT_CHILD_OK(pid);
    proc::release(f);
}

// POSIX setpriority: EINVAL for an unknown `which`.
TEST_P(setpriority, bad_which_einval, NEGATIVE, LINUX, kBadWhich) {
    EXPECT_ERR(sys::setpriority(row.which, 0, 19), EINVAL);
}

// POSIX setpriority: ESRCH when no process matches.
TEST_P(setpriority, no_match_esrch, NEGATIVE, LINUX, kNoWho) {
    EXPECT_ERR(sys::setpriority(row.which, row.who, 19), ESRCH);
}

// POSIX fork: the child inherits the parent's nice value.
TEST(setpriority, nice_inherited_by_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_nice_at_most(6);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::setpriority(PRIO_PROCESS, 0, 6));
            long kid = sys::fork();
            if (kid == 0) sys::exit_group(sys::getpriority(PRIO_PROCESS, 0) == raw(6) ? 0 : 1);
            EXPECT_EQ(kc::wait_status(kid), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setpriority: a parent may raise the nice value of its own child
// (same user); getpriority of that pid sees it, the caller's is unchanged.
TEST(setpriority, child_by_pid, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_nice_at_most(9);
    long own = sys::getpriority(PRIO_PROCESS, 0);
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    EXPECT_OK(sys::setpriority(PRIO_PROCESS, int(h.pid), 9));
    EXPECT_EQ(sys::getpriority(PRIO_PROCESS, int(h.pid)), raw(9));
    EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), own);
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX setpriority PRIO_PGRP: every member of the group gets the value;
// getpriority of the group reports it (the highest priority of members).
TEST(setpriority, process_group_members, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_nice_at_most(7);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::setpgid(0, 0));
            proc::Held m;
            ASSERT_TRUE(proc::hold(m));  // a member of the new group
            EXPECT_OK(sys::setpriority(PRIO_PGRP, 0, 7));
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, int(m.pid)), raw(7));
            EXPECT_EQ(sys::getpriority(PRIO_PROCESS, 0), raw(7));
            EXPECT_EQ(sys::getpriority(PRIO_PGRP, 0), raw(7));
            EXPECT_EQ(sys::getpriority(PRIO_PGRP, int(sys::getpid())), raw(7));
            EXPECT_OK(sys::setpriority(PRIO_PROCESS, int(m.pid), 12));
            EXPECT_EQ(sys::getpriority(PRIO_PGRP, 0), raw(7));  // the best of 7 and 12
            EXPECT_EQ(proc::release(m), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
