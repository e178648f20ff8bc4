// SPDX-License-Identifier: MIT
// getcpu(2): the cases src/tests/sched/affinity.cpp leaves out - either
// pointer alone may be NULL, the obsolete third (tcache) argument is
// ignored, and an unwritable cpu or node pointer is EFAULT.
// Not covered: NUMA node numbering (compared with nothing here).
#include "harness/test.hpp"
#include "rt/sys_sched.hpp"
#include "tests/common/common_util.hpp"

namespace {

// True when `cpu` is in the caller's affinity mask (it can only run there).
bool allowed(unsigned cpu) {
    u64 mask[16] = {};
    long n = sys::sched_getaffinity(0, sizeof mask, mask);
    return n > 0 && cpu < unsigned(n) * 8 && (mask[cpu / 64] >> (cpu % 64) & 1);
}

long getcpu(void* cpu, void* node, void* tcache = nullptr) {
    return sys::getcpu(static_cast<unsigned*>(cpu), static_cast<unsigned*>(node), tcache);
}

}  // namespace

struct Which {
    const char* label;
    bool cpu, node;  // which pointers are passed
};
constexpr Which kOne[] = {{"cpu_only", true, false}, {"node_only", false, true}};
// getcpu(2): "When either cpu or node is NULL nothing is written to the
// respective pointer"; the other one is still filled (the CPU is one the
// caller may run on).
TEST_P(getcpu, one_pointer_null, BOUNDARY, LINUX, kOne) {
    unsigned cpu = ~0u, node = ~0u;
    EXPECT_RET(getcpu(row.cpu ? &cpu : nullptr, row.node ? &node : nullptr), 0);
    if (row.cpu) EXPECT_TRUE(allowed(cpu));
    if (row.node) EXPECT_LT(node, 4096);
    EXPECT_EQ(row.cpu ? node : cpu, ~0u);
}

// getcpu(2): "The tcache argument is unused since Linux 2.6.24" - any value,
// even an unmapped pointer, is ignored.
TEST(getcpu, tcache_ignored, BOUNDARY, LINUX) {
    unsigned cpu = ~0u;
    EXPECT_RET(getcpu(&cpu, nullptr, common::kBadPtr), 0);
    EXPECT_TRUE(allowed(cpu));
}

struct Bad {
    const char* label;
    bool cpu;  // which pointer is unmapped
};
constexpr Bad kBad[] = {{"cpu=unmapped", true}, {"node=unmapped", false}};
// getcpu(2) EFAULT: "Arguments point outside the calling process's address
// space" - an unmapped user address for either pointer.
TEST_P(getcpu, unmapped_pointer_efault, NEGATIVE, LINUX, kBad) {
    unsigned v = 0;
    EXPECT_ERR(getcpu(row.cpu ? common::kBadPtr : &v, row.cpu ? &v : common::kBadPtr), EFAULT);
}
