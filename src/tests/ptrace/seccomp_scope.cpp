// SPDX-License-Identifier: MIT
// seccomp(2) and its prctl(2) forms: which filters apply where. Stacked
// filters (the most restrictive action wins), inheritance across fork,
// SECCOMP_FILTER_FLAG_TSYNC on a sibling thread, the nr and arch fields a
// filter sees, strict mode after a filter; PR_SET_SECCOMP and
// PR_SET_NO_NEW_PRIVS.
//
// Every filter and strict mode is set up in a child process (never in the
// harness or the test process); children that die of SIGSYS are made
// non-dumpable first, so that no core file is written.
// Left out: what seccomp.cpp lists.
#include "rt/sys_thread.hpp"
#include "tests/ptrace/seccomp_util.hpp"

using namespace seccomp_filter;

struct Stack {
    const char* label;
    u32 first, second;
    long ret;
    int sig;
};
constexpr Stack kStacks[] = {
    {"allow_then_errno", SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM, -EPERM, 0},
    {"errno_then_allow", SECCOMP_RET_ERRNO | EPERM, SECCOMP_RET_ALLOW, -EPERM, 0},
    {"eperm_then_eacces", SECCOMP_RET_ERRNO | EPERM, SECCOMP_RET_ERRNO | EACCES, -EACCES, 0},
    {"eacces_then_eperm", SECCOMP_RET_ERRNO | EACCES, SECCOMP_RET_ERRNO | EPERM, -EPERM, 0},
    {"errno_then_kill", SECCOMP_RET_ERRNO | EPERM, SECCOMP_RET_KILL_PROCESS, 0, SIGSYS},
    {"kill_then_trap", SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_TRAP, 0, SIGSYS},
};
// seccomp(2): with several filters "the return value ... will be the one
// with the highest precedence" (KILL_PROCESS > ... > TRAP > ERRNO > ... >
// ALLOW); between equal actions the most recently installed filter's data
// wins.
TEST_P(seccomp, stacked_filters_most_restrictive_wins, POSITIVE, LINUX, kStacks,
       .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const Stack& r = *static_cast<const Stack*>(a);
            ASSERT_RET(install_match(r.first), 0);
            ASSERT_RET(install_match(r.second), 0);
            EXPECT_RET(sys::getppid(), r.ret);
        },
        &row);
    if (row.sig)
        EXPECT_TRUE(killed_by(st, row.sig));
    else
        EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2): "filters ... are inherited by children created by fork(2)";
// the child is in mode 2 and the filter's action applies to it.
TEST(seccomp, filter_inherited_across_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void*) {
            ASSERT_RET(install_match(SECCOMP_RET_ERRNO | EPERM), 0);
            Kid g;
            start(g, [](long) {
                if (sys::prctl(PR_GET_SECCOMP) != SECCOMP_MODE_FILTER) return 1;
                return sys::getppid() == -EPERM ? 0 : 2;
            });
            EXPECT_TRUE(exited_with(g.wait(), 0));
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

struct Tsync {
    const char* label;
    unsigned flags;
    bool applies;
};
constexpr Tsync kTsyncs[] = {{"flag=tsync", SECCOMP_FILTER_FLAG_TSYNC, true},
                             {"flag=none", 0, false}};
// seccomp(2) SECCOMP_FILTER_FLAG_TSYNC: the filter is applied to every
// thread of the process (return 0); without it only the calling thread gets
// it, and a sibling thread's getppid still works.
TEST_P(seccomp, tsync_applies_to_sibling_thread, POSITIVE, LINUX, kTsyncs,
       .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const Tsync& r = *static_cast<const Tsync*>(a);
            constexpr usize kStack = 65536;
            long m = sys::mmap(nullptr, kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                               -1, 0);
            ASSERT_OK(m);
            long ppid = sys::getppid();
            auto thread = [](void*) {
                while (__atomic_load_n(&g_state, __ATOMIC_ACQUIRE) != 1) {
                }
                g_result = sys::getppid();
                __atomic_store_n(&g_state, 2, __ATOMIC_RELEASE);
            };
            u64 flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;
            ASSERT_GT(kc_clone_thread(flags, reinterpret_cast<char*>(m) + kStack, nullptr, nullptr,
                                      nullptr, thread, nullptr),
                      0);
            EXPECT_RET(
                install_match(SECCOMP_RET_ERRNO | EPERM, nr::getppid, arch::AUDIT_ARCH, r.flags),
                0);
            __atomic_store_n(&g_state, 1, __ATOMIC_RELEASE);
            timespec ms{0, 1000000};
            for (int i = 0; i < 5000 && __atomic_load_n(&g_state, __ATOMIC_ACQUIRE) != 2; i++)
                sys::nanosleep(&ms, nullptr);
            ASSERT_EQ(g_state, 2);
            EXPECT_EQ(g_result, r.applies ? -EPERM : ppid);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

struct DataMatch {
    const char* label;
    u32 arch;
    long nr;
    bool hits;
};
constexpr DataMatch kDataMatches[] = {
    {"this_arch_getppid", arch::AUDIT_ARCH, nr::getppid, true},
    {"other_arch", AUDIT_ARCH_I386, nr::getppid, false},
    {"other_nr", arch::AUDIT_ARCH, nr::gettid, false},
};
// seccomp(2): the filter sees seccomp_data.nr = the call's number and .arch
// = this architecture's AUDIT_ARCH; a filter keyed on another arch or
// another number lets getppid through.
TEST_P(seccomp, filter_sees_nr_and_arch, POSITIVE, LINUX, kDataMatches, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            const DataMatch& r = *static_cast<const DataMatch*>(a);
            long ppid = sys::getppid();
            ASSERT_RET(install_match(SECCOMP_RET_ERRNO | EPERM, r.nr, r.arch), 0);
            EXPECT_RET(sys::getppid(), r.hits ? -EPERM : ppid);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

// seccomp(2) EINVAL: once in filter mode, strict mode cannot be entered
// (a thread's mode only moves from disabled to one mode).
TEST(seccomp, filter_then_strict_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void*) {
            ASSERT_RET(install_match(SECCOMP_RET_ALLOW), 0);
            EXPECT_ERR(sys::seccomp(SECCOMP_SET_MODE_STRICT, 0, nullptr), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_FILTER);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

// prctl(2) PR_GET_SECCOMP reports 0 before a filter, and PR_SET_SECCOMP
// with SECCOMP_MODE_FILTER installs one like seccomp(2) (mode 2 afterwards,
// and the filter acts).
TEST(prctl, set_seccomp_filter_mode, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void*) {
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
            Match m = match(SECCOMP_RET_ERRNO | EPERM);
            sock_fprog p{6, m.f};
            ASSERT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0);
            ASSERT_RET(sys::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, long(&p)), 0);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_FILTER);
            EXPECT_RET(sys::getppid(), -EPERM);
        },
        nullptr);
    EXPECT_TRUE(exited_with(st, 0));
}

struct BadMode {
    const char* label;
    long mode;
};
constexpr BadMode kBadModes[] = {{"mode=0", 0}, {"mode=3", 3}, {"mode=-1", -1}};
// prctl(2) PR_SET_SECCOMP: modes other than 1 (strict) and 2 (filter) fail
// with EINVAL.
TEST_P(prctl, set_seccomp_bad_mode_einval, NEGATIVE, LINUX, kBadModes, .flags = kc::NEEDS_FORK) {
    int st = in_child(
        [](void* a) {
            EXPECT_ERR(sys::prctl(PR_SET_SECCOMP, static_cast<const BadMode*>(a)->mode), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_SECCOMP), SECCOMP_MODE_DISABLED);
        },
        &row);
    EXPECT_TRUE(exited_with(st, 0));
}

// prctl(2) PR_SET_NO_NEW_PRIVS: once set it reads back 1 and cannot be
// unset (EINVAL); unused arguments must be 0 (EINVAL).
// In a child: the flag would otherwise stay set on the harness process.
TEST(prctl, no_new_privs_is_one_way, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            EXPECT_ERR(sys::prctl(PR_SET_NO_NEW_PRIVS, 1, 1), EINVAL);
            EXPECT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0);
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), 1);
            EXPECT_ERR(sys::prctl(PR_SET_NO_NEW_PRIVS, 0), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), 1);
        },
        nullptr));
}
