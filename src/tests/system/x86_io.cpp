// SPDX-License-Identifier: MIT
// iopl(2) and ioperm(2) (x86-64 only; SKIP elsewhere, and where the kernel
// was built without CONFIG_X86_IOPL_IOPERM, ENOSYS): the argument checks,
// which come before the privilege check; the EPERM of a caller without
// CAP_SYS_RAWIO; what needs no privilege (keeping or lowering the level,
// revoking ports); and, with CAP_SYS_RAWIO, raising the level and granting
// ports in a child that performs no port I/O and exits.
// Left out: port I/O itself (in/out instructions, and they could touch real
// hardware), the effect of a level on cli/sti, and kernel lockdown.
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_x86.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

// Skips where the ABI or the kernel lacks the calls. iopl(0) and
// ioperm(0, 1, 0) change nothing for a process that never raised either.
void need_iopl() {
    REQUIRE_NR(iopl);
    if (sys::iopl(0) == -ENOSYS)
        kc::skip_unimplemented("iopl", "iopl: not implemented (ENOSYS; CONFIG_X86_IOPL_IOPERM)");
}
void need_ioperm() {
    REQUIRE_NR(ioperm);
    if (sys::ioperm(0, 1, 0) == -ENOSYS)
        kc::skip_unimplemented("ioperm",
                               "ioperm: not implemented (ENOSYS; CONFIG_X86_IOPL_IOPERM)");
}

// /sys/kernel/security/lockdown: a kernel in lockdown refuses ports to
// everyone (EPERM even with CAP_SYS_RAWIO).
void need_no_lockdown() {
    long fd = sys::openat(AT_FDCWD, "/sys/kernel/security/lockdown", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char buf[64] = {};
    sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    if (buf[0] != '[')  // "[none] integrity confidentiality" when off
        kc::skip("kernel lockdown is on: port access is refused to everyone");
}

struct Level {
    const char* label;
    int level;
};

struct Ports {
    const char* label;
    unsigned long from, num;
};

}  // namespace

// ---------------------------------------------------------------------------
// iopl(2)

constexpr Level kBadLevels[] = {{"level=4", 4}, {"level=100", 100}, {"level=-1", -1}};

// iopl(2): "EINVAL level is greater than 3" (the level is unsigned in the
// kernel: -1 too), before any privilege check.
TEST_P(iopl, level_above_3_einval, NEGATIVE, LINUX, kBadLevels, .flags = kc::NEEDS_FORK) {
    need_iopl();
    mm::run_in_child(
        [](void* a) {
            mm::drop_privilege();
            EXPECT_ERR(sys::iopl(static_cast<const Level*>(a)->level), EINVAL);
        },
        const_cast<Level*>(&row), "cannot drop capabilities");
}

// iopl(2): keeping the current level (0) needs no privilege.
TEST(iopl, same_level_unprivileged, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_iopl();
    common::unprivileged([](void*) { EXPECT_RET(sys::iopl(0), 0); });
}

// iopl(2): "EPERM The calling thread has insufficient privilege to call
// iopl(); the CAP_SYS_RAWIO capability is required to raise the I/O
// privilege level above its current value."
TEST(iopl, raise_without_cap_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_iopl();
    common::unprivileged([](void*) {
        EXPECT_ERR(sys::iopl(1), EPERM);
        EXPECT_ERR(sys::iopl(3), EPERM);
    });
}

// iopl(2): with CAP_SYS_RAWIO the level is raised to 3; it is remembered:
// after the capabilities are dropped, staying at 3 and lowering to 1 work,
// and raising again to 2 is EPERM. (In a child that does no port I/O.)
TEST(iopl, level_remembered, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_iopl();
    kc::require_cap(CAP_SYS_RAWIO);
    need_no_lockdown();
    mm::run_in_child(
        [](void*) {
            ASSERT_RET(sys::iopl(3), 0);
            mm::drop_privilege();
            EXPECT_RET(sys::iopl(3), 0);
            EXPECT_RET(sys::iopl(1), 0);
            EXPECT_ERR(sys::iopl(2), EPERM);
            EXPECT_RET(sys::iopl(0), 0);
        },
        nullptr, "cannot drop capabilities");
}

// ---------------------------------------------------------------------------
// ioperm(2)

constexpr Ports kBadPorts[] = {
    {"from=0x10000", 0x10000, 1}, {"from=0xffff,num=2", 0xffff, 2},
    {"num=0x10001", 0, 0x10001},  {"num=0", 0x80, 0},
    {"wraps", ~0ul, 2},
};

// ioperm(2): "EINVAL Invalid values for from or num" - ports past 0xffff,
// an empty range, a range that wraps - checked before the privilege, so
// also for a caller without CAP_SYS_RAWIO that asks to turn ports on.
TEST_P(ioperm, bad_range_einval, NEGATIVE, LINUX, kBadPorts, .flags = kc::NEEDS_FORK) {
    need_ioperm();
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const Ports*>(a);
            mm::drop_privilege();
            EXPECT_ERR(sys::ioperm(r->from, r->num, 0), EINVAL);
            EXPECT_ERR(sys::ioperm(r->from, r->num, 1), EINVAL);
        },
        const_cast<Ports*>(&row), "cannot drop capabilities");
}

constexpr Ports kOffPorts[] = {
    {"0x80+8", 0x80, 8}, {"all_65536", 0, IO_BITMAP_BITS}, {"last_port", 0xffff, 1}};

// ioperm(2): turning permissions off needs no privilege (there is nothing
// to revoke for a process that never had any); the whole range of 65536
// ports is valid.
TEST_P(ioperm, turn_off_unprivileged, BOUNDARY, LINUX, kOffPorts, .flags = kc::NEEDS_FORK) {
    need_ioperm();
    mm::run_in_child(
        [](void* a) {
            auto* r = static_cast<const Ports*>(a);
            mm::drop_privilege();
            EXPECT_RET(sys::ioperm(r->from, r->num, 0), 0);
        },
        const_cast<Ports*>(&row), "cannot drop capabilities");
}

// ioperm(2): "EPERM The calling thread has insufficient privilege"
// (CAP_SYS_RAWIO) to turn ports on.
TEST(ioperm, turn_on_without_cap_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_ioperm();
    common::unprivileged([](void*) {
        EXPECT_ERR(sys::ioperm(0x80, 1, 1), EPERM);
        EXPECT_ERR(sys::ioperm(0, IO_BITMAP_BITS, 1), EPERM);
    });
}

// ioperm(2): with CAP_SYS_RAWIO ports are granted, and revoked again
// without it (in a child that does no port I/O).
TEST(ioperm, grant_then_revoke, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_ioperm();
    kc::require_cap(CAP_SYS_RAWIO);
    need_no_lockdown();
    mm::run_in_child(
        [](void*) {
            ASSERT_RET(sys::ioperm(0x80, 1, 1), 0);
            mm::drop_privilege();
            EXPECT_ERR(sys::ioperm(0x81, 1, 1), EPERM);
            EXPECT_RET(sys::ioperm(0x80, 1, 0), 0);
        },
        nullptr, "cannot drop capabilities");
}
