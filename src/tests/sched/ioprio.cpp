// SPDX-License-Identifier: MIT
// ioprio_get(2)/ioprio_set(2): reading the caller's I/O priority, setting
// IOPRIO_CLASS_BE levels 0..7 and IOPRIO_CLASS_IDLE and reading them back,
// going back to IOPRIO_CLASS_NONE, the privilege rule of IOPRIO_CLASS_RT,
// invalid which/class/level values, nonexistent targets, and
// IOPRIO_WHO_PGRP/IOPRIO_WHO_USER basics.
// Every ioprio_set runs in a child process (kc::spawn) so that the harness
// process keeps its own priority. ioprio_set(IOPRIO_WHO_USER) is only tried
// on a nonexistent user: on a real one it would change the host's processes.
// Left out: the effect of priorities on actual block I/O scheduling, and
// inheritance across fork/CLONE_IO.
#include "harness/test.hpp"
#include "rt/sys_sched.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

constexpr int kBE = IOPRIO_CLASS_BE, kRT = IOPRIO_CLASS_RT;

// ioprio_check_cap(): IOPRIO_CLASS_RT takes capable(CAP_SYS_ADMIN) or
// capable(CAP_SYS_NICE), both checked in the initial user namespace.
bool rt_class_allowed() { return kc::cap_usable(CAP_SYS_ADMIN) || kc::cap_usable(CAP_SYS_NICE); }

// Runs fn(arg) in a child and checks that it exited cleanly.
void in_child(void (*fn)(void*), const void* arg) {
    long pid = kc::spawn(fn, const_cast<void*>(arg));
    ASSERT_OK(pid);
    EXPECT_CHILD_OK(pid);
}

struct Prio {
    const char* label;
    int cls, data;
};

// In a child: set the priority of the calling process, read it back both as
// "process 0" and by pid, then return to IOPRIO_CLASS_NONE.
void set_get_back(void* p) {
    auto* r = static_cast<const Prio*>(p);
    int v = ioprio_value(r->cls, r->data);
    ASSERT_RET(sys::ioprio_set(IOPRIO_WHO_PROCESS, 0, v), 0);
    EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), v);
    EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, int(sys::getpid())), v);
    EXPECT_RET(sys::ioprio_set(IOPRIO_WHO_PROCESS, 0, 0), 0);
    EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), 0);
}

}  // namespace

// ioprio_get(2): "On success, ioprio_get() returns the ioprio value of the
// process with highest I/O priority of any of the processes that match": for
// the caller alone, a valid class (0..3) with level 0..7 for the caller, and the
// same whether it is named as 0 or by its pid.
TEST(ioprio_get, own_priority, POSITIVE, LINUX) {
    long v = sys::ioprio_get(IOPRIO_WHO_PROCESS, 0);
    ASSERT_OK(v);
    EXPECT_LE(v >> 13, 3);
    EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, int(sys::getpid())), v);
}

// ioprio_get(2): a child created by fork reports its parent's I/O priority
// (Linux copies it in kernel/fork.c copy_io; the man page is silent).
TEST(ioprio_get, child_inherits_priority, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static long parent_prio;
    parent_prio = sys::ioprio_get(IOPRIO_WHO_PROCESS, 0);
    ASSERT_OK(parent_prio);
    in_child([](void*) { EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), parent_prio); },
             nullptr);
}

constexpr Prio kBeLevels[] = {{"BE/0", kBE, 0}, {"BE/1", kBE, 1}, {"BE/2", kBE, 2},
                              {"BE/3", kBE, 3}, {"BE/4", kBE, 4}, {"BE/5", kBE, 5},
                              {"BE/6", kBE, 6}, {"BE/7", kBE, 7}, {"IDLE", IOPRIO_CLASS_IDLE, 0}};
// ioprio_set(2): "Priority levels range from 0 (highest) to 7 (lowest)" in
// IOPRIO_CLASS_BE; IOPRIO_CLASS_IDLE needs no privilege. Each value reads
// back exactly, and IOPRIO_CLASS_NONE restores the default.
TEST_P(ioprio_set, set_and_read_back, POSITIVE, LINUX, kBeLevels, .flags = kc::NEEDS_FORK) {
    in_child(set_get_back, &row);
}

constexpr Prio kRtLevels[] = {{"RT/0", kRT, 0}, {"RT/4", kRT, 4}, {"RT/7", kRT, 7}};
// ioprio_set(2): "Attempts to set very high priorities (IOPRIO_CLASS_RT)
// require the CAP_SYS_ADMIN capability" (Linux also accepts CAP_SYS_NICE): EPERM without it,
// a read-back of the value with it (in a child only).
TEST_P(ioprio_set, rt_class_needs_privilege, POSITIVE, LINUX, kRtLevels, .flags = kc::NEEDS_FORK) {
    if (rt_class_allowed()) {
        in_child(set_get_back, &row);
        return;
    }
    in_child(
        [](void* p) {
            auto* r = static_cast<const Prio*>(p);
            EXPECT_ERR(sys::ioprio_set(IOPRIO_WHO_PROCESS, 0, ioprio_value(r->cls, r->data)),
                       EPERM);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), 0);
        },
        &row);
}

struct Which {
    const char* label;
    int which;
};
constexpr Which kBadWhich[] = {{"which=0", 0}, {"which=4", 4}, {"which=-1", -1}};
// ioprio_get(2)/ioprio_set(2): "EINVAL Invalid value for which".
TEST_P(ioprio_get, bad_which_einval, NEGATIVE, LINUX, kBadWhich) {
    EXPECT_ERR(sys::ioprio_get(row.which, 0), EINVAL);
}
TEST_P(ioprio_set, bad_which_einval, NEGATIVE, LINUX, kBadWhich) {
    EXPECT_ERR(sys::ioprio_set(row.which, 0, ioprio_value(kBE, 4)), EINVAL);
}

constexpr Prio kBadPrio[] = {{"class=4", 4, 0},
                             {"class=7", 7, 0},
                             {"NONE/level=1", IOPRIO_CLASS_NONE, 1},
                             {"ioprio=-1", 7, 0x1fff}};
// ioprio_set(2): "EINVAL Invalid value for ... ioprio": classes beyond
// IOPRIO_CLASS_IDLE, and IOPRIO_CLASS_NONE with a nonzero level. Nothing
// changes (these fail before any change, so the harness process is safe).
TEST_P(ioprio_set, bad_class_einval, NEGATIVE, LINUX, kBadPrio) {
    long before = sys::ioprio_get(IOPRIO_WHO_PROCESS, 0);
    EXPECT_ERR(sys::ioprio_set(IOPRIO_WHO_PROCESS, 0, ioprio_value(row.cls, row.data)), EINVAL);
    EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), before);
}

constexpr Prio kHints[] = {
    {"BE/data=8", kBE, 8}, {"BE/data=15", kBE, 15}, {"IDLE/data=8", IOPRIO_CLASS_IDLE, 8}};
// ioprio_set(2): the man page allows levels 0..7 only, but since Linux 6.5
// the data field is level (bits 0..2) plus hints (bits 3..12): "level 8" is
// level 0 with hint 1, accepted and read back unchanged (older kernels said
// EINVAL). Linux is the oracle here.
TEST_P(ioprio_set, data_above_7_is_hint, BOUNDARY, LINUX, kHints, .flags = kc::NEEDS_FORK) {
    in_child(set_get_back, &row);
}

struct Who {
    const char* label;
    int which, who;
};
constexpr Who kNoTarget[] = {{"pid=INT_MAX", IOPRIO_WHO_PROCESS, INT_MAX},
                             {"pid=-1", IOPRIO_WHO_PROCESS, -1},
                             {"pgrp=INT_MAX", IOPRIO_WHO_PGRP, INT_MAX},
                             {"uid=2000000123", IOPRIO_WHO_USER, 2000000123}};
// ioprio_get(2)/ioprio_set(2): "ESRCH No process(es) could be found that
// matched the specification in which and who".
TEST_P(ioprio_get, no_such_target_esrch, NEGATIVE, LINUX, kNoTarget) {
    EXPECT_ERR(sys::ioprio_get(row.which, row.who), ESRCH);
}
TEST_P(ioprio_set, no_such_target_esrch, NEGATIVE, LINUX, kNoTarget) {
    EXPECT_ERR(sys::ioprio_set(row.which, row.who, ioprio_value(kBE, 4)), ESRCH);
}

// ioprio_set(2)/ioprio_get(2) IOPRIO_WHO_PGRP: who 0 is the caller's process
// group. A child that leads its own group sets the group's priority and
// reads it back both per group and per process.
TEST(ioprio_set, process_group, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_child(
        [](void*) {
            ASSERT_RET(sys::setpgid(0, 0), 0);
            int v = ioprio_value(kBE, 6);
            EXPECT_RET(sys::ioprio_set(IOPRIO_WHO_PGRP, 0, v), 0);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PGRP, 0), v);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PGRP, int(sys::getpid())), v);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), v);
        },
        nullptr);
}

// ioprio_get(2) IOPRIO_WHO_USER: who 0 is the caller's real uid; at least
// the caller matches, so the result is a valid priority (the highest of the
// user's processes, which this test cannot know). Other processes of the
// same user may change theirs meanwhile: the two forms must agree on one
// of a few tries. The uid by number names the same user only when it is
// mapped in this user namespace; unmapped, getuid() returns the overflow id,
// which names no user: ESRCH.
TEST(ioprio_get, user_basics, POSITIVE, LINUX) {
    int uid = int(sys::getuid());
    long a = 0, b = 1;
    if (proc::outer_uid(u32(uid)) < 0) {
        ASSERT_OK(sys::ioprio_get(IOPRIO_WHO_USER, 0));
        EXPECT_ERR(sys::ioprio_get(IOPRIO_WHO_USER, uid), ESRCH);
        return;
    }
    for (int i = 0; i < 5 && a != b; ++i) {
        a = sys::ioprio_get(IOPRIO_WHO_USER, 0);
        b = sys::ioprio_get(IOPRIO_WHO_USER, uid);
    }
    ASSERT_OK(a);
    EXPECT_LE(a >> 13, 3);
    EXPECT_RET(b, a);
}

// ioprio_set(2) IOPRIO_WHO_USER: "who is a user ID identifying all of the
// processes that have a matching real UID". A child switches to a uid of its
// own (derived from the test's pid, so that no other process has it: never
// a shared id such as nobody, whose other processes would change too) and
// sets the priority of that user: it is the one process changed, and every
// form of ioprio_get reads the value back. That takes CAP_SETUID and the
// id mapped in this user namespace.
TEST(ioprio_set, user_sets_own_processes, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    static u32 uid;
    uid = 1500000000u + u32(sys::getpid());
    kc::require_ns_cap(CAP_SETUID);
    if (proc::outer_uid(uid) < 0) kc::skip("needs a uid of its own: no unused id is mapped here");
    in_child(
        [](void*) {
            ASSERT_RET(sys::setresuid(uid, uid, uid), 0);
            int v = ioprio_value(kBE, 5);
            EXPECT_RET(sys::ioprio_set(IOPRIO_WHO_USER, int(uid), v), 0);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_PROCESS, 0), v);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_USER, 0), v);
            EXPECT_RET(sys::ioprio_get(IOPRIO_WHO_USER, int(uid)), v);
        },
        nullptr);
}

// ioprio_set(2): "EPERM The calling process does not have the privilege
// needed to assign this ioprio to the specified process(es)": an
// unprivileged caller may not change another user's process (here the
// parent, seen from a child that became another user without capabilities).
TEST(ioprio_set, other_users_process_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    static int parent;
    parent = int(sys::getpid());
    in_child(
        [](void*) {
            ASSERT_TRUE(kc::become_other_user());
            ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_ERR(sys::ioprio_set(IOPRIO_WHO_PROCESS, parent, ioprio_value(kBE, 7)), EPERM);
        },
        nullptr);
}
