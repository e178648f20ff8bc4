// SPDX-License-Identifier: MIT
// sysinfo(2): overall system statistics. The fields are checked for
// plausibility and consistency (free <= total, a power-of-two mem_unit, at
// least one task), uptime against CLOCK_BOOTTIME, the struct padding is
// zeroed, and bad pointers are EFAULT.
// Not covered: exact memory figures (they change all the time and need
// /proc/meminfo to compare with), the load averages' values.
#include "harness/test.hpp"
#include "rt/sys_system.hpp"
#include "tests/common/common_util.hpp"

// sysinfo(2): "sizes of the memory and swap fields are given as multiples of
// mem_unit bytes"; free, shared and buffer memory never exceed
// the total, free swap never exceeds total swap, there is at least one
// process, and 64-bit kernels have no high memory.
TEST(sysinfo, fields_consistent, POSITIVE, LINUX) {
    sysinfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    ASSERT_RET(sys::sysinfo(&si), 0);
    EXPECT_GT(si.uptime, 0);
    EXPECT_GE(si.mem_unit, 1);
    EXPECT_EQ(si.mem_unit & (si.mem_unit - 1), 0);
    EXPECT_GT(si.totalram, 0);
    EXPECT_GE(u64(si.totalram) * si.mem_unit, 1ull << 20);
    EXPECT_TRUE(si.freeram <= si.totalram);
    EXPECT_TRUE(si.sharedram <= si.totalram);
    EXPECT_TRUE(si.bufferram <= si.totalram);
    EXPECT_TRUE(si.freeswap <= si.totalswap);
    EXPECT_GE(si.procs, 1);
    EXPECT_EQ(si.totalhigh, 0);
    EXPECT_EQ(si.freehigh, 0);
}

// sysinfo(2): the kernel clears the structure before filling it, so the
// padding after procs reads as zero.
TEST(sysinfo, padding_zeroed, BOUNDARY, LINUX) {
    sysinfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    ASSERT_RET(sys::sysinfo(&si), 0);
    EXPECT_EQ(si.pad, 0);
    const u8* tail = reinterpret_cast<const u8*>(&si.mem_unit) + sizeof si.mem_unit;
    for (const u8* p = tail; p < reinterpret_cast<const u8*>(&si + 1); ++p) EXPECT_EQ(*p, 0);
}

// sysinfo(2) uptime: "Seconds since boot", i.e. CLOCK_BOOTTIME; Linux rounds
// a partial second up.
TEST(sysinfo, uptime_matches_boottime, POSITIVE, LINUX) {
    timespec before{}, after{};
    sysinfo si{};
    ASSERT_RET(sys::clock_gettime(CLOCK_BOOTTIME, &before), 0);
    ASSERT_RET(sys::sysinfo(&si), 0);
    ASSERT_RET(sys::clock_gettime(CLOCK_BOOTTIME, &after), 0);
    EXPECT_GE(si.uptime, before.tv_sec);
    EXPECT_LE(si.uptime, after.tv_sec + 1);
}

// sysinfo(2): uptime never goes backwards between calls.
TEST(sysinfo, uptime_monotonic, POSITIVE, LINUX) {
    sysinfo a{}, b{};
    ASSERT_RET(sys::sysinfo(&a), 0);
    timespec ts{0, 2000000};
    sys::nanosleep(&ts, nullptr);
    ASSERT_RET(sys::sysinfo(&b), 0);
    EXPECT_GE(b.uptime, a.uptime);
    EXPECT_EQ(b.mem_unit, a.mem_unit);
}

struct Addr {
    const char* label;
    u64 addr;
};
constexpr Addr kBad[] = {
    {"null", 0}, {"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
// sysinfo(2) EFAULT: "info is not a valid address".
TEST_P(sysinfo, bad_pointer_efault, NEGATIVE, LINUX, kBad) {
    EXPECT_ERR(sys::sysinfo(reinterpret_cast<sysinfo*>(row.addr)), EFAULT);
}

// sysinfo(2) EFAULT for a read-only buffer.
TEST(sysinfo, read_only_buffer_efault, NEGATIVE, LINUX) {
    long p = sys::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_TRUE(p > 0 || p < -4095);
    EXPECT_ERR(sys::sysinfo(reinterpret_cast<sysinfo*>(p)), EFAULT);
    sys::munmap(reinterpret_cast<void*>(p), 4096);
}
