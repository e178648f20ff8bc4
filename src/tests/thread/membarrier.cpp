// SPDX-License-Identifier: MIT
// membarrier(2): MEMBARRIER_CMD_QUERY returns the supported commands, and
// the mask agrees with what each command does; private expedited commands
// need their registration first (EPERM), registrations are per address
// space (inherited by fork, gone after execve) and reported by
// MEMBARRIER_CMD_GET_REGISTRATIONS; unknown commands and non-zero flags are
// EINVAL. Registrations happen in children only.
// Not covered: the memory-ordering effect itself (needs threads racing on
// other CPUs), MEMBARRIER_CMD_FLAG_CPU targeting, nohz_full systems.
#include "harness/test.hpp"
#include "rt/sys_thread.hpp"
#include "tests/common/common_util.hpp"

namespace {

long query() { return sys::membarrier(MEMBARRIER_CMD_QUERY, 0, 0); }

struct Cmd {
    const char* label;
    int cmd;
    int reg;  // the registration it needs, or 0
};
constexpr Cmd kCmds[] = {
    {"global", MEMBARRIER_CMD_GLOBAL, 0},
    {"global_expedited", MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0},
    {"private_expedited", MEMBARRIER_CMD_PRIVATE_EXPEDITED,
     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED},
    {"private_expedited_sync_core", MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE,
     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE},
    {"private_expedited_rseq", MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ,
     MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ},
    {"get_registrations", MEMBARRIER_CMD_GET_REGISTRATIONS, 0},
};
constexpr Cmd kPrivate[] = {kCmds[2], kCmds[3], kCmds[4]};

// Skips unless the kernel supports `cmd` (per MEMBARRIER_CMD_QUERY).
void require(int cmd) {
    long mask = query();
    if (mask == -ENOSYS)
        kc::skip_unimplemented("membarrier", "no membarrier system call (CONFIG_MEMBARRIER off)");
    if (mask < 0 || !(mask & cmd)) kc::skip("this kernel's MEMBARRIER_CMD_QUERY lacks the command");
}

}  // namespace

EXEC_HELPER(misc_membarrier) {
    return 64 | (sys::membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == -EPERM ? 1 : 0);
}

// membarrier(2) MEMBARRIER_CMD_QUERY: "returns a bit mask of supported
// commands"; each command works when its bit is set (after its registration,
// without which it is EPERM) and is EINVAL when it is not; a command and its
// registration are supported together.
TEST_P(membarrier, query_matches_behaviour, POSITIVE, LINUX, kCmds,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    long mask = query();
    if (mask == -ENOSYS)
        kc::skip_unimplemented("membarrier", "no membarrier system call (CONFIG_MEMBARRIER off)");
    ASSERT_GE(mask, 0);
    long pid = kc::spawn(
        [](void* p) {
            const Cmd& c = *static_cast<const Cmd*>(p);
            long m = query();
            if (!(m & c.cmd)) {
                EXPECT_ERR(sys::membarrier(c.cmd, 0, 0), EINVAL);
                if (c.reg) EXPECT_EQ(m & c.reg, 0);
                return;
            }
            if (c.reg) {
                EXPECT_EQ(m & c.reg, c.reg);
                EXPECT_ERR(sys::membarrier(c.cmd, 0, 0), EPERM);
                EXPECT_RET(sys::membarrier(c.reg, 0, 0), 0);
            }
            EXPECT_GE(sys::membarrier(c.cmd, 0, 0), 0);
        },
        const_cast<Cmd*>(&row));
    EXPECT_CHILD_OK(pid);
}

struct Val {
    const char* label;
    long v;
};
constexpr Val kQueryFlags[] = {{"flags=1", 1}, {"flags=2", 2}, {"flags=-1", -1}};
// membarrier(2) EINVAL: "cmd is invalid, or flags is nonzero" (here for
// MEMBARRIER_CMD_QUERY).
TEST_P(membarrier, query_flags_einval, NEGATIVE, LINUX, kQueryFlags) {
    require(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
    EXPECT_ERR(sys::membarrier(MEMBARRIER_CMD_QUERY, unsigned(row.v), 0), EINVAL);
}

constexpr Val kBadCmds[] = {
    {"cmd=3", 3}, {"cmd=6", 6}, {"cmd=1<<30", 1 << 30}, {"cmd=-1", -1}, {"cmd=INT_MIN", INT_MIN}};
// membarrier(2) EINVAL: "cmd is invalid" - including two command bits at
// once.
TEST_P(membarrier, bad_cmd_einval, NEGATIVE, LINUX, kBadCmds) {
    require(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
    EXPECT_ERR(sys::membarrier(int(row.v), 0, 0), EINVAL);
}

struct CmdFlags {
    const char* label;
    int cmd;
    unsigned flags;
};
constexpr CmdFlags kCmdFlags[] = {
    {"global_expedited:flags=1", MEMBARRIER_CMD_GLOBAL_EXPEDITED, 1},
    {"register_private:flags=1", MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 1},
    {"private_expedited:flags=1", MEMBARRIER_CMD_PRIVATE_EXPEDITED, 1},
    {"get_registrations:flags=1", MEMBARRIER_CMD_GET_REGISTRATIONS, 1},
    {"global_expedited:flags=0x80000000", MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0x80000000u},
};
// membarrier(2) EINVAL: flags other than MEMBARRIER_CMD_FLAG_CPU (for the
// RSEQ command only) are invalid - checked before the registration, so an
// unregistered private command says EINVAL, not EPERM. In a child: a wrongly
// accepted registration must not stick to the harness.
TEST_P(membarrier, nonzero_flags_einval, NEGATIVE, LINUX, kCmdFlags, .flags = kc::NEEDS_FORK) {
    require(row.cmd);
    long pid = kc::spawn(
        [](void* p) {
            const CmdFlags& c = *static_cast<const CmdFlags*>(p);
            EXPECT_ERR(sys::membarrier(c.cmd, c.flags, 0), EINVAL);
        },
        const_cast<CmdFlags*>(&row));
    EXPECT_CHILD_OK(pid);
}

// membarrier(2) EPERM: "The current process was not registered prior to using
// private expedited commands". Nothing is registered in the test process.
TEST_P(membarrier, unregistered_private_eperm, NEGATIVE, LINUX, kPrivate, .flags = kc::NEEDS_FORK) {
    require(row.cmd);
    long pid = kc::spawn(
        [](void* p) { EXPECT_ERR(sys::membarrier(static_cast<const Cmd*>(p)->cmd, 0, 0), EPERM); },
        const_cast<Cmd*>(&row));
    EXPECT_CHILD_OK(pid);
}

// membarrier(2) MEMBARRIER_CMD_GET_REGISTRATIONS (Linux 6.3): the
// registrations made so far, as command bits; registering twice is fine.
TEST(membarrier, registrations_reported, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require(MEMBARRIER_CMD_GET_REGISTRATIONS);
    long pid = kc::spawn(
        [](void*) {
            EXPECT_RET(sys::membarrier(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0), 0);
            ASSERT_RET(sys::membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0);
            EXPECT_RET(sys::membarrier(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0),
                       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
            ASSERT_RET(sys::membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0);
            ASSERT_RET(sys::membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0), 0);
            EXPECT_RET(sys::membarrier(MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0),
                       MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED |
                           MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// membarrier(2): the registration belongs to the address space, which a
// fork child copies - it may use the private expedited command at once.
TEST(membarrier, registration_inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_RET(sys::membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0);
            long kid = kc::spawn(
                [](void*) {
                    EXPECT_RET(sys::membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0), 0);
                },
                nullptr);
            EXPECT_CHILD_OK(kid);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// membarrier(2): execve gives the process a new address space without any
// registration, so the private expedited command is EPERM again.
TEST(membarrier, registration_cleared_by_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_RET(sys::membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0), 0);
            common::exec_helper(kc::self_path(), "--exec-helper=misc_membarrier");
        },
        nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), (64 | 1) << 8);
}
