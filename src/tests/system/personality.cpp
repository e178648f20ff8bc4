// SPDX-License-Identifier: MIT
// personality(2): the process execution domain. 0xffffffff is a query (and
// so is -1 passed as a 64-bit value: the argument is an unsigned int);
// setting returns the previous persona, the value is inherited by fork
// children and kept across execve, and UNAME26 changes what uname reports.
// Every change happens in a child.
// Not covered: the effect of READ_IMPLIES_EXEC/ADDR_NO_RANDOMIZE on the
// memory layout, the flags cleared when executing set-user-ID programs.
#include "harness/test.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"

namespace {

long current() { return sys::personality(PER_QUERY); }

}  // namespace

// The exec helper's status: 64 | 1 if ADDR_NO_RANDOMIZE is set.
EXEC_HELPER(misc_personality) { return 64 | ((current() & ADDR_NO_RANDOMIZE) ? 1 : 0); }

// personality(2): "Specifying persona as 0xffffffff provides a way of
// retrieving the current persona without changing it"; a 64-bit process runs
// as PER_LINUX in the low byte.
TEST(personality, query_returns_current, POSITIVE, LINUX) {
    long p = current();
    ASSERT_GE(p, 0);
    EXPECT_EQ(p & 0xff, PER_LINUX);
    EXPECT_RET(current(), p);
}

// personality(2): the argument is an unsigned int, so the 64-bit value -1
// (whose low 32 bits are 0xffffffff) is a query as well.
TEST(personality, minus_one_64bit_is_query, BOUNDARY, LINUX) {
    long p = current();
    EXPECT_RET(sys::personality(~0ul), p);
    EXPECT_RET(current(), p);
}

struct Persona {
    const char* label;
    unsigned long value;
};
constexpr Persona kPersonas[] = {
    {"addr_no_randomize", PER_LINUX | ADDR_NO_RANDOMIZE},
    {"uname26", UNAME26},
    {"read_implies_exec", READ_IMPLIES_EXEC},
    {"0x12345678", 0x12345678},
    {"0xfffffffe", 0xfffffffe},
};
// personality(2): "On success, the previous persona is returned"; the new
// one reads back. Linux accepts any 32-bit value other than 0xffffffff (the
// man page's EINVAL "kernel was unable to change the personality" cannot
// happen since exec domains were removed in Linux 4.1). PER_LINUX32 is left
// out: arm64 refuses it (EINVAL) on CPUs without AArch32.
TEST_P(personality, set_returns_previous, POSITIVE, LINUX, kPersonas, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            unsigned long v = static_cast<const Persona*>(p)->value;
            long old = current();
            EXPECT_RET(sys::personality(v), old);
            EXPECT_RET(current(), long(v));
            EXPECT_RET(sys::personality(u64(old)), long(v));
            EXPECT_RET(current(), old);
        },
        const_cast<Persona*>(&row));
    EXPECT_CHILD_OK(pid);
}

// personality(2): a fork child starts with its parent's persona.
TEST(personality, inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_GE(sys::personality(PER_LINUX | ADDR_NO_RANDOMIZE), 0);
            long kid = kc::spawn(
                [](void*) { EXPECT_RET(current(), long(PER_LINUX | ADDR_NO_RANDOMIZE)); }, nullptr);
            EXPECT_CHILD_OK(kid);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// personality(2): the persona survives execve of an ordinary program (only
// set-user-ID execution clears some flags) - the way setarch -R works.
TEST(personality, kept_across_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_GE(sys::personality(PER_LINUX | ADDR_NO_RANDOMIZE), 0);
            common::exec_helper(kc::self_path(), "--exec-helper=misc_personality");
        },
        nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), (64 | 1) << 8);
}

// personality(2) UNAME26: "Have uname(2) report a 2.6.40+ version number
// rather than a 3.x version number" (for any major version since Linux 3.1).
TEST(personality, uname26_reports_2_6, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            utsname u{};
            ASSERT_RET(sys::uname(&u), 0);
            bool was26 = u.release[0] == '2' && u.release[1] == '.' && u.release[2] == '6';
            ASSERT_GE(sys::personality(UNAME26), 0);
            ASSERT_RET(sys::uname(&u), 0);
            EXPECT_MEM_EQ(u.release, "2.6.", 4);
            ASSERT_GE(sys::personality(PER_LINUX), 0);
            ASSERT_RET(sys::uname(&u), 0);
            EXPECT_EQ(u.release[0] == '2' && u.release[1] == '.' && u.release[2] == '6', was26);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
