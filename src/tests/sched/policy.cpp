// SPDX-License-Identifier: MIT
// sched_setscheduler(2), sched_getscheduler(2), sched_setparam(2),
// sched_getparam(2): policies and priorities of the caller and of other
// processes, inheritance across fork and SCHED_RESET_ON_FORK, the privilege
// rules (real-time needs CAP_SYS_NICE or RLIMIT_RTPRIO; leaving SCHED_IDLE
// needs RLIMIT_NICE; other users' processes are off limits), and the
// EINVAL/ESRCH/EPERM/EFAULT cases. Only child processes ever change policy:
// never the test runner. CAP_SYS_NICE is checked in the initial user
// namespace (capable()); unprivileged children drop their capabilities.
// Left out: actual preemption order between real-time tasks (timing-
// dependent), SCHED_DEADLINE (see sched_setattr in attr.cpp).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

struct Value {
    const char* label;
    int value;
};
constexpr Value kNegativePids[] = {{"pid=-1", -1}, {"pid=INT_MIN", INT_MIN}};
constexpr Value kGonePids[] = {{"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT", mm::kPidMaxLimit}};
constexpr Value kBadPolicies[] = {{"policy=-1", -1},
                                  {"policy=4", 4},
                                  {"policy=42", 42},
                                  {"policy=INT_MAX", INT_MAX},
                                  {"policy=INT_MIN", INT_MIN}};

struct PolicyPrio {
    const char* label;
    int policy;
    int prio;
};

// The caller's policy without the reset-on-fork flag.
long policy_of(int pid) {
    long r = sys::sched_getscheduler(pid);
    return r < 0 ? r : r & ~long(SCHED_RESET_ON_FORK);
}
long priority_of(int pid) {
    sched_param sp{-77};
    long r = sys::sched_getparam(pid, &sp);
    return r < 0 ? r : sp.sched_priority;
}

// In a child: the policy and priority are as given.
void expect_policy(int pid, int policy, int prio) {
    EXPECT_EQ(sys::sched_getscheduler(pid), policy);
    EXPECT_EQ(priority_of(pid), prio);
}

// In a child: SCHED_OTHER when the run may get there, soft RLIMIT_RTPRIO =
// `limit`, then no capabilities. The test checked that the limit can be set
// (need_rtprio).
void unprivileged_with_rtprio(u64 limit) {
    mm::normal_scheduling();
    ASSERT_OK(mm::set_soft_rlimit(RLIMIT_RTPRIO, limit));
    mm::drop_privilege();
}

// In the test process: a child may set RLIMIT_RTPRIO to `limit`.
void need_rtprio(u64 limit) { mm::need_rlimit(RLIMIT_RTPRIO, "RLIMIT_RTPRIO", limit); }

}  // namespace

// sched_getscheduler(2), POSIX: pid 0 is the calling process.
TEST(sched_getscheduler, zero_pid_is_caller, POSITIVE, PSE53) {
    long a = sys::sched_getscheduler(0);
    EXPECT_OK(a);
    EXPECT_EQ(sys::sched_getscheduler(int(sys::getpid())), a);
}

// fork(2), POSIX: the child inherits the scheduling policy and priority.
TEST(sched_getscheduler, child_inherits_policy, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long mine = sys::sched_getscheduler(0);
    ASSERT_OK(mine);  // an error is no policy (nor has it the reset-on-fork bit)
    if (mine & SCHED_RESET_ON_FORK) kc::skip("runner has reset-on-fork");
    mm::Sleeper s = mm::start_sleeper();
    EXPECT_EQ(sys::sched_getscheduler(int(s.pid)), mine);
    EXPECT_EQ(priority_of(int(s.pid)), priority_of(0));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_getscheduler(2) EINVAL: "pid is negative" (Linux).
TEST_P(sched_getscheduler, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    EXPECT_ERR(sys::sched_getscheduler(row.value), EINVAL);
}

// sched_getscheduler(2), POSIX ESRCH: "No process can be found corresponding
// to that specified by pid".
TEST_P(sched_getscheduler, nonexistent_pid_esrch, NEGATIVE, PSE53, kGonePids) {
    EXPECT_ERR(sys::sched_getscheduler(row.value), ESRCH);
}

// sched_getparam(2): under a normal policy (SCHED_OTHER/BATCH/IDLE) the static
// priority is 0, and it is written to param.
TEST(sched_getparam, normal_policy_priority_zero, POSITIVE, PSE53) {
    long pol = policy_of(0);
    ASSERT_OK(pol);  // an error is no policy: not a reason to skip
    if (pol != SCHED_OTHER && pol != SCHED_BATCH && pol != SCHED_IDLE) {
        kc::skip("the runner has a real-time policy");
    }
    EXPECT_EQ(priority_of(0), 0);
}

// sched_getparam(2) EINVAL: "param is NULL" (Linux).
TEST(sched_getparam, null_param_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_getparam(0, nullptr), EINVAL);
}

// sched_getparam(2) EINVAL: "pid is negative" (Linux).
TEST_P(sched_getparam, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    sched_param sp{};
    EXPECT_ERR(sys::sched_getparam(row.value, &sp), EINVAL);
}

// sched_getparam(2), POSIX ESRCH: no process with that pid.
TEST_P(sched_getparam, nonexistent_pid_esrch, NEGATIVE, PSE53, kGonePids) {
    sched_param sp{};
    EXPECT_ERR(sys::sched_getparam(row.value, &sp), ESRCH);
}

// sched_getparam(2): an unwritable param is EFAULT.
TEST(sched_getparam, kernel_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_getparam(0, reinterpret_cast<sched_param*>(0xffff800000000000ull)),
               EFAULT);
}

constexpr PolicyPrio kBadPriorities[] = {
    {"FIFO_prio=0", SCHED_FIFO, 0},     {"FIFO_prio=100", SCHED_FIFO, 100},
    {"FIFO_prio=-1", SCHED_FIFO, -1},   {"RR_prio=0", SCHED_RR, 0},
    {"RR_prio=100", SCHED_RR, 100},     {"OTHER_prio=1", SCHED_OTHER, 1},
    {"OTHER_prio=-1", SCHED_OTHER, -1}, {"BATCH_prio=1", SCHED_BATCH, 1},
    {"IDLE_prio=1", SCHED_IDLE, 1},
};

// sched_setscheduler(2), POSIX EINVAL: "one or more of the requested
// scheduling parameters is outside the range defined for the scheduling
// policy"; checked before privilege, and the policy stays as it was.
TEST_P(sched_setscheduler, priority_out_of_range_einval, NEGATIVE, PSE53, kBadPriorities,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const PolicyPrio*>(a);
            long before = sys::sched_getscheduler(0);
            EXPECT_OK(before);
            sched_param sp{r->prio};
            EXPECT_ERR(sys::sched_setscheduler(0, r->policy, &sp), EINVAL);
            EXPECT_EQ(sys::sched_getscheduler(0), before);
        },
        const_cast<PolicyPrio*>(&row), "");
}

// sched_setscheduler(2), POSIX EINVAL: "The value of the policy parameter is
// invalid".
TEST_P(sched_setscheduler, invalid_policy_einval, NEGATIVE, PSE53, kBadPolicies,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            sched_param sp{0};
            EXPECT_ERR(sys::sched_setscheduler(0, *static_cast<const int*>(a), &sp), EINVAL);
        },
        const_cast<int*>(&row.value), "");
}

// sched_setscheduler(2): SCHED_DEADLINE needs the parameters only
// sched_setattr(2) can pass; through sched_setscheduler it is EINVAL.
TEST(sched_setscheduler, deadline_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            sched_param sp{0};
            EXPECT_ERR(sys::sched_setscheduler(0, SCHED_DEADLINE, &sp), EINVAL);
        },
        nullptr, "");
}

// sched_setscheduler(2) EINVAL: "pid is negative" (Linux).
TEST_P(sched_setscheduler, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    sched_param sp{0};
    EXPECT_ERR(sys::sched_setscheduler(row.value, SCHED_OTHER, &sp), EINVAL);
}

// sched_setscheduler(2) EINVAL: "param is NULL" (Linux).
TEST(sched_setscheduler, null_param_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_setscheduler(0, SCHED_OTHER, nullptr), EINVAL);
}

// sched_setscheduler(2), POSIX ESRCH: no process with that pid.
TEST_P(sched_setscheduler, nonexistent_pid_esrch, NEGATIVE, PSE53, kGonePids) {
    sched_param sp{0};
    EXPECT_ERR(sys::sched_setscheduler(row.value, SCHED_OTHER, &sp), ESRCH);
}

constexpr PolicyPrio kRealtime[] = {{"FIFO_prio=1", SCHED_FIFO, 1},
                                    {"FIFO_prio=99", SCHED_FIFO, 99},
                                    {"RR_prio=1", SCHED_RR, 1},
                                    {"RR_prio=50", SCHED_RR, 50}};

// sched_setscheduler(2), POSIX EPERM: "The requesting process does not have
// permission to set ... the scheduling policy" — real-time policies without
// privilege (and with RLIMIT_RTPRIO 0); the policy is unchanged.
TEST_P(sched_setscheduler, realtime_unprivileged_eperm, NEGATIVE, PSE53, kRealtime,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const PolicyPrio*>(a);
            unprivileged_with_rtprio(0);
            long before = sys::sched_getscheduler(0);
            EXPECT_OK(before);
            sched_param sp{r->prio};
            EXPECT_ERR(sys::sched_setscheduler(0, r->policy, &sp), EPERM);
            EXPECT_EQ(sys::sched_getscheduler(0), before);
        },
        const_cast<PolicyPrio*>(&row), "the kernel refuses to drop capabilities");
}

// sched_setscheduler(2), POSIX: a privileged process (CAP_SYS_NICE) may
// switch to SCHED_FIFO and SCHED_RR at any valid priority, and back to
// SCHED_OTHER.
TEST_P(sched_setscheduler, realtime_as_root, POSITIVE, PSE53, kRealtime, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const PolicyPrio*>(a);
            sched_param sp{r->prio};
            ASSERT_OK(sys::sched_setscheduler(0, r->policy, &sp));
            expect_policy(0, r->policy, r->prio);
            sp.sched_priority = 0;
            EXPECT_OK(sys::sched_setscheduler(0, SCHED_OTHER, &sp));
            expect_policy(0, SCHED_OTHER, 0);
        },
        const_cast<PolicyPrio*>(&row), "");
}

constexpr PolicyPrio kNormal[] = {{"SCHED_OTHER", SCHED_OTHER, 0},
                                  {"SCHED_BATCH", SCHED_BATCH, 0},
                                  {"SCHED_IDLE", SCHED_IDLE, 0}};

// sched_setscheduler(2): anyone may choose a normal (non-real-time) policy
// for their own process (from SCHED_IDLE only within RLIMIT_NICE: the child
// starts elsewhere).
TEST_P(sched_setscheduler, normal_policy_unprivileged, POSITIVE, LINUX, kNormal,
       .flags = kc::NEEDS_FORK) {
    if (row.policy != SCHED_IDLE) mm::need_leave_idle();
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const PolicyPrio*>(a);
            mm::normal_scheduling();
            mm::drop_privilege();
            sched_param sp{0};
            EXPECT_OK(sys::sched_setscheduler(0, r->policy, &sp));
            expect_policy(0, r->policy, 0);
        },
        const_cast<PolicyPrio*>(&row), "the kernel refuses to drop capabilities");
}

// sched_setscheduler(2): leaving SCHED_IDLE counts as raising the nice value
// to 0, which an unprivileged process with RLIMIT_NICE 0 may not do: EPERM.
TEST(sched_setscheduler, leave_idle_unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_NICE, 0));
            mm::drop_privilege();
            sched_param sp{0};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_IDLE, &sp));
            EXPECT_ERR(sys::sched_setscheduler(0, SCHED_OTHER, &sp), EPERM);
            EXPECT_EQ(sys::sched_getscheduler(0), SCHED_IDLE);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setscheduler(2): RLIMIT_RTPRIO lets an unprivileged process use
// real-time priorities up to the limit, and lower its priority, not raise it
// past the limit.
TEST(sched_setscheduler, rtprio_rlimit_grants_realtime, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_rtprio(10);
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            unprivileged_with_rtprio(10);
            sched_param sp{10};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_FIFO, &sp));
            expect_policy(0, SCHED_FIFO, 10);
            sp.sched_priority = 11;
            EXPECT_ERR(sys::sched_setscheduler(0, SCHED_FIFO, &sp), EPERM);
            sp.sched_priority = 5;
            EXPECT_OK(sys::sched_setscheduler(0, SCHED_RR, &sp));
            expect_policy(0, SCHED_RR, 5);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setscheduler(2), POSIX: the pid selects another process — a child
// switched to SCHED_BATCH reports it, the caller is unchanged.
TEST(sched_setscheduler, other_process, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    long mine = sys::sched_getscheduler(0);
    ASSERT_OK(mine);
    mm::Sleeper s = mm::start_sleeper();
    sched_param sp{0};
    EXPECT_OK(sys::sched_setscheduler(int(s.pid), SCHED_BATCH, &sp));
    EXPECT_EQ(sys::sched_getscheduler(int(s.pid)), SCHED_BATCH);
    EXPECT_EQ(sys::sched_getscheduler(0), mine);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_setscheduler(2) on another process, with CAP_SYS_NICE: SCHED_FIFO
// and its priority show through sched_getscheduler/sched_getparam of that
// pid.
TEST(sched_setscheduler, other_process_realtime_as_root, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::Sleeper s = mm::start_sleeper();
    sched_param sp{7};
    EXPECT_OK(sys::sched_setscheduler(int(s.pid), SCHED_FIFO, &sp));
    expect_policy(int(s.pid), SCHED_FIFO, 7);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// sched_setscheduler(2), POSIX EPERM: an unprivileged process may not change
// the policy of another user's process (here the test's child, seen from a
// child that became another user).
TEST(sched_setscheduler, other_user_process_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    mm::Sleeper s = mm::start_sleeper();
    mm::run_in_child(
        [](void* a) {
            ASSERT_TRUE(kc::become_other_user());
            mm::drop_privilege();
            sched_param sp{0};
            EXPECT_ERR(sys::sched_setscheduler(int(*static_cast<long*>(a)), SCHED_BATCH, &sp),
                       EPERM);
        },
        &s.pid, "the kernel refuses to drop capabilities");
    EXPECT_EQ(policy_of(int(s.pid)), policy_of(0));
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// fork(2), POSIX: a real-time policy and priority are inherited by a child.
TEST(sched_setscheduler, child_inherits_realtime_policy, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::run_in_child(
        [](void*) {
            sched_param sp{10};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_RR, &sp));
            long pid = kc::spawn([](void*) { expect_policy(0, SCHED_RR, 10); }, nullptr);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, "");
}

// sched_setscheduler(2) SCHED_RESET_ON_FORK: the flag shows in
// sched_getscheduler, and children start under SCHED_OTHER, priority 0.
TEST(sched_setscheduler, reset_on_fork_child_gets_normal_policy, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::run_in_child(
        [](void*) {
            sched_param sp{10};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp));
            EXPECT_EQ(sys::sched_getscheduler(0), SCHED_FIFO | SCHED_RESET_ON_FORK);
            long pid = kc::spawn([](void*) { expect_policy(0, SCHED_OTHER, 0); }, nullptr);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, "");
}

// sched_setscheduler(2) SCHED_RESET_ON_FORK: anyone may set it; a child keeps
// a normal policy such as SCHED_BATCH, but not the flag.
TEST(sched_setscheduler, reset_on_fork_flag_not_inherited, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            mm::normal_scheduling();
            mm::drop_privilege();
            sched_param sp{0};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_BATCH | SCHED_RESET_ON_FORK, &sp));
            EXPECT_EQ(sys::sched_getscheduler(0), SCHED_BATCH | SCHED_RESET_ON_FORK);
            long pid = kc::spawn([](void*) { expect_policy(0, SCHED_BATCH, 0); }, nullptr);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setparam(2), POSIX: changes the priority within the current policy.
TEST(sched_setparam, changes_realtime_priority, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_NICE);
    mm::run_in_child(
        [](void*) {
            sched_param sp{10};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_FIFO, &sp));
            sp.sched_priority = 20;
            EXPECT_OK(sys::sched_setparam(0, &sp));
            expect_policy(0, SCHED_FIFO, 20);
        },
        nullptr, "");
}

// sched_setparam(2), POSIX EPERM: raising a real-time priority past
// RLIMIT_RTPRIO without privilege; lowering it is allowed.
TEST(sched_setparam, raise_past_rtprio_rlimit_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_rtprio(10);
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            unprivileged_with_rtprio(10);
            sched_param sp{10};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_FIFO, &sp));
            sp.sched_priority = 20;
            EXPECT_ERR(sys::sched_setparam(0, &sp), EPERM);
            sp.sched_priority = 3;
            EXPECT_OK(sys::sched_setparam(0, &sp));
            expect_policy(0, SCHED_FIFO, 3);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

constexpr Value kBadNormalPriorities[] = {{"prio=1", 1}, {"prio=-1", -1}, {"prio=99", 99}};

// sched_setparam(2), POSIX EINVAL: under SCHED_OTHER only priority 0 is in
// range.
TEST_P(sched_setparam, normal_policy_nonzero_einval, NEGATIVE, PSE53, kBadNormalPriorities,
       .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void* a) {
            sched_param sp{0};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_OTHER, &sp));
            sp.sched_priority = *static_cast<const int*>(a);
            EXPECT_ERR(sys::sched_setparam(0, &sp), EINVAL);
            expect_policy(0, SCHED_OTHER, 0);
        },
        const_cast<int*>(&row.value), "");
}

// sched_setparam(2): priority 0 under SCHED_OTHER is accepted.
TEST(sched_setparam, normal_policy_zero_succeeds, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::need_leave_idle();
    mm::run_in_child(
        [](void*) {
            mm::normal_scheduling();
            mm::drop_privilege();
            sched_param sp{0};
            ASSERT_OK(sys::sched_setscheduler(0, SCHED_OTHER, &sp));
            EXPECT_OK(sys::sched_setparam(0, &sp));
            expect_policy(0, SCHED_OTHER, 0);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// sched_setparam(2) EINVAL: "param is NULL" (Linux).
TEST(sched_setparam, null_param_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::sched_setparam(0, nullptr), EINVAL);
}

// sched_setparam(2) EINVAL: "pid is negative" (Linux).
TEST_P(sched_setparam, negative_pid_einval, NEGATIVE, LINUX, kNegativePids) {
    sched_param sp{0};
    EXPECT_ERR(sys::sched_setparam(row.value, &sp), EINVAL);
}

// sched_setparam(2), POSIX ESRCH: no process with that pid.
TEST_P(sched_setparam, nonexistent_pid_esrch, NEGATIVE, PSE53, kGonePids) {
    sched_param sp{0};
    EXPECT_ERR(sys::sched_setparam(row.value, &sp), ESRCH);
}
