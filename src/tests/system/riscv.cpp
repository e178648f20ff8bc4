// SPDX-License-Identifier: MIT
// The RISC-V private calls, riscv_flush_icache(2) and riscv_hwprobe(2), from
// the kernel's arch/riscv (kernel/sys_riscv.c, kernel/sys_hwprobe.c) and
// Documentation/arch/riscv/hwprobe.rst. They exist only on riscv64; on the
// other ABIs every test skips (REQUIRE_NR), and the IDs stay the same.
// Covered: flush with no flag and with SYS_RISCV_FLUSH_ICACHE_LOCAL, unknown
// flush flags (EINVAL); hwprobe with no pairs, an unknown key (rewritten to
// -1 with value 0), the base behaviour key (IMA on every Linux), a known key
// next to an unknown one, and reserved flags (EINVAL).
// Left out: extension and performance keys (they depend on the CPU), the
// RISCV_HWPROBE_WHICH_CPUS mode (Linux 6.8+), and whether a flush is
// really visible to instruction fetch (needs code written at run time).
#include "harness/test.hpp"
#include "rt/sys_riscv.hpp"
#include "tests/common/common_util.hpp"

namespace {

// riscv_hwprobe answers ENOSYS before Linux 6.4 and under emulators.
long probe(riscv_hwprobe* pairs, usize n, unsigned flags = 0) {
    long r = sys::riscv_hwprobe(pairs, n, 0, nullptr, flags);
    if (r == -ENOSYS) kc::skip("riscv_hwprobe: not implemented (ENOSYS; Linux 6.4+)");
    return r;
}

}  // namespace

// riscv_flush_icache(2): flags 0 flushes every CPU's instruction cache; the
// address range is advisory (Linux flushes everything) and need not be mapped.
TEST(riscv_flush_icache, all_cpus_returns_zero, POSITIVE, LINUX) {
    REQUIRE_NR(riscv_flush_icache);
    static char code[64];
    EXPECT_RET(sys::riscv_flush_icache(code, code + sizeof code, 0), 0);
    EXPECT_RET(sys::riscv_flush_icache(nullptr, nullptr, 0), 0);
}

// SYS_RISCV_FLUSH_ICACHE_LOCAL: only the calling CPU's cache (and the
// others' once the thread migrates).
TEST(riscv_flush_icache, local_flag_returns_zero, POSITIVE, LINUX) {
    REQUIRE_NR(riscv_flush_icache);
    static char code[64];
    EXPECT_RET(sys::riscv_flush_icache(code, code + sizeof code, SYS_RISCV_FLUSH_ICACHE_LOCAL), 0);
}

struct BadFlush {
    const char* label;
    unsigned long flags;
};
constexpr BadFlush kBadFlush[] = {{"flags=2", 2}, {"flags=3", 3}, {"flags=ULONG_MAX", ~0ul}};

// sys_riscv.c: flags outside SYS_RISCV_FLUSH_ICACHE_ALL are EINVAL.
TEST_P(riscv_flush_icache, unknown_flags_einval, NEGATIVE, LINUX, kBadFlush) {
    REQUIRE_NR(riscv_flush_icache);
    EXPECT_ERR(sys::riscv_flush_icache(nullptr, nullptr, row.flags), EINVAL);
}

// hwprobe.rst: a pair count of 0 asks nothing and succeeds.
TEST(riscv_hwprobe, no_pairs_returns_zero, BOUNDARY, LINUX) {
    REQUIRE_NR(riscv_hwprobe);
    EXPECT_RET(probe(nullptr, 0), 0);
}

// hwprobe.rst: "If a key is unknown to the kernel, its key field will be
// cleared to -1, and its value set to 0."
TEST(riscv_hwprobe, unknown_key_cleared, POSITIVE, LINUX) {
    REQUIRE_NR(riscv_hwprobe);
    riscv_hwprobe p{1000000, 0x5a5a5a5a};
    ASSERT_RET(probe(&p, 1), 0);
    EXPECT_EQ(p.key, -1);
    EXPECT_EQ(p.value, 0u);
}

// hwprobe.rst: RISCV_HWPROBE_KEY_BASE_BEHAVIOR reports IMA compatibility
// (rv64ima) on every system Linux runs on; each pair is answered on its own,
// so an unknown key next to it changes nothing.
TEST(riscv_hwprobe, base_behavior_ima, POSITIVE, LINUX) {
    REQUIRE_NR(riscv_hwprobe);
    riscv_hwprobe p[2] = {{RISCV_HWPROBE_KEY_BASE_BEHAVIOR, 0}, {1000000, 7}};
    ASSERT_RET(probe(p, 2), 0);
    EXPECT_EQ(p[0].key, RISCV_HWPROBE_KEY_BASE_BEHAVIOR);
    EXPECT_TRUE(p[0].value & RISCV_HWPROBE_BASE_BEHAVIOR_IMA);
    EXPECT_EQ(p[1].key, -1);
    EXPECT_EQ(p[1].value, 0u);
}

// riscv_hwprobe(2): the pairs are read and written in place; an unreadable
// array is EFAULT.
TEST(riscv_hwprobe, bad_pairs_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(riscv_hwprobe);
    EXPECT_ERR(probe(static_cast<riscv_hwprobe*>(common::kBadPtr), 1), EFAULT);
}

// sys_hwprobe.c: flags other than RISCV_HWPROBE_WHICH_CPUS are reserved and
// must be 0: EINVAL.
TEST(riscv_hwprobe, reserved_flags_einval, NEGATIVE, LINUX) {
    REQUIRE_NR(riscv_hwprobe);
    riscv_hwprobe p{RISCV_HWPROBE_KEY_MVENDORID, 0};
    EXPECT_ERR(probe(&p, 1, 0x80), EINVAL);
}
