// SPDX-License-Identifier: MIT
// arch_prctl(2) (x86-64 only; SKIP elsewhere): the FS and GS base
// registers: set/get round trips, an FS-relative load sees the new base,
// the bases are per thread, CLONE_SETTLS sets FS, and validation of the
// code, the address and the result pointer. Every change is made in a
// thread created for the test, so the caller's own bases never change.
// Not covered here: ARCH_GET_CPUID/ARCH_SET_CPUID, ARCH_MAP_VDSO_*, the
// shadow-stack and AMX permission codes.
#include "harness/test.hpp"
#include "rt/sys_thread.hpp"
#include "tests/thread/thread_util.hpp"

using namespace thread;

namespace {

struct Job {
    void (*fn)(Job&);
    long a[6];
};

void job_thread(void* p) {
    auto* j = static_cast<Job*>(p);
    j->fn(*j);
}

// Runs j.fn(j) in a new thread and joins it; false if it could not start.
bool in_thread(Job& j) {
    Thread t;
    if (thread_start(t, job_thread, &j) <= 0) return false;
    thread_join(t);
    return true;
}

constexpr long kMagic = 0x5a5a1234c0de;

}  // namespace

// arch_prctl(2) ARCH_SET_FS/ARCH_GET_FS: the base set is the base read back,
// and a load at %fs:8 reads the second word of the new block.
TEST(arch_prctl, set_fs_get_fs_round_trip, POSITIVE, LINUX) {
    REQUIRE_NR(arch_prctl);
    Job j{[](Job& j) {
        long block[4] = {0, kMagic, 0, 0};
        block[0] = long(block);
        j.a[0] = sys::arch_prctl(ARCH_SET_FS, long(block));
        long got = 0;
        j.a[1] = sys::arch_prctl(ARCH_GET_FS, long(&got));
        j.a[2] = got - long(block);
        j.a[3] = kc_tls_load(8);
        j.a[4] = kc_tls_load(0) - long(block);
    }};
    ASSERT_TRUE(in_thread(j));
    EXPECT_RET(j.a[0], 0);
    EXPECT_RET(j.a[1], 0);
    EXPECT_EQ(j.a[2], 0);
    EXPECT_EQ(j.a[3], kMagic);
    EXPECT_EQ(j.a[4], 0);
}

// arch_prctl(2) ARCH_SET_GS/ARCH_GET_GS: the GS base round-trips too.
TEST(arch_prctl, set_gs_get_gs_round_trip, POSITIVE, LINUX) {
    REQUIRE_NR(arch_prctl);
    Job j{[](Job& j) {
        long before = -1, got = 0;
        j.a[0] = sys::arch_prctl(ARCH_GET_GS, long(&before));
        j.a[1] = sys::arch_prctl(ARCH_SET_GS, 0x12345000);
        j.a[2] = sys::arch_prctl(ARCH_GET_GS, long(&got));
        j.a[3] = got;
        j.a[4] = sys::arch_prctl(ARCH_SET_GS, before);
    }};
    ASSERT_TRUE(in_thread(j));
    EXPECT_RET(j.a[0], 0);
    EXPECT_RET(j.a[1], 0);
    EXPECT_RET(j.a[2], 0);
    EXPECT_EQ(j.a[3], 0x12345000);
    EXPECT_RET(j.a[4], 0);
}

namespace {
struct FsView {
    long seen, set;
};
void read_then_set_fs(void* p) {
    auto* v = static_cast<FsView*>(p);
    sys::arch_prctl(ARCH_GET_FS, long(&v->seen));
    long block[2] = {0, 0};
    block[0] = long(block);
    v->set = sys::arch_prctl(ARCH_SET_FS, long(block));
}
}  // namespace

// arch_prctl(2) / clone(2) CLONE_SETTLS: a new thread's FS base is the tls
// argument, and a thread's FS change leaves the creator's base alone.
TEST(arch_prctl, fs_is_per_thread, POSITIVE, LINUX) {
    REQUIRE_NR(arch_prctl);
    long mine = -1, after = -2;
    ASSERT_OK(sys::arch_prctl(ARCH_GET_FS, long(&mine)));
    FsView v{-1, -1};
    Thread t;
    ASSERT_GT(thread_start(t, read_then_set_fs, &v), 0);
    long tls = long(t.tls);
    thread_join(t);
    EXPECT_EQ(v.seen, tls);
    EXPECT_RET(v.set, 0);
    ASSERT_OK(sys::arch_prctl(ARCH_GET_FS, long(&after)));
    EXPECT_EQ(after, mine);
}

struct CodeRow {
    const char* label;
    int code;
};
constexpr CodeRow kBadCodes[] = {{"code=0", 0},
                                 {"code=0x1000", 0x1000},
                                 {"code=0x1005", 0x1005},
                                 {"code=0xffff", 0xffff},
                                 {"code=-1", -1}};
// arch_prctl(2) ERRORS: EINVAL when code is not a valid operation.
TEST_P(arch_prctl, invalid_code_einval, NEGATIVE, LINUX, kBadCodes) {
    REQUIRE_NR(arch_prctl);
    long v = 0;
    EXPECT_ERR(sys::arch_prctl(row.code, long(&v)), EINVAL);
}

struct AddrRow {
    const char* label;
    u64 addr;
    int code;
};
constexpr AddrRow kKernelAddrs[] = {{"FS=0xffff800000000000", 0xffff800000000000ull, ARCH_SET_FS},
                                    {"FS=-1", ~0ull, ARCH_SET_FS},
                                    {"FS=1<<63", 1ull << 63, ARCH_SET_FS},
                                    {"GS=0xffff800000000000", 0xffff800000000000ull, ARCH_SET_GS}};
// arch_prctl(2) ERRORS: "EPERM addr is outside the process address space":
// a kernel-half base is refused and the base is unchanged.
TEST_P(arch_prctl, kernel_address_eperm, NEGATIVE, LINUX, kKernelAddrs) {
    REQUIRE_NR(arch_prctl);
    Job j{[](Job& j) {
        const int get = j.a[1] == ARCH_SET_FS ? ARCH_GET_FS : ARCH_GET_GS;
        long before = 0, after = 0;
        sys::arch_prctl(get, long(&before));
        j.a[2] = sys::arch_prctl(int(j.a[1]), j.a[0]);
        sys::arch_prctl(get, long(&after));
        j.a[3] = after - before;
    }};
    j.a[0] = long(row.addr);
    j.a[1] = row.code;
    ASSERT_TRUE(in_thread(j));
    EXPECT_ERR(j.a[2], EPERM);
    EXPECT_EQ(j.a[3], 0);
}

constexpr CodeRow kGets[] = {{"ARCH_GET_FS", ARCH_GET_FS}, {"ARCH_GET_GS", ARCH_GET_GS}};
// arch_prctl(2) ERRORS: EFAULT when the result address of a GET is outside
// the address space.
TEST_P(arch_prctl, get_bad_pointer_efault, NEGATIVE, LINUX, kGets) {
    REQUIRE_NR(arch_prctl);
    EXPECT_ERR(sys::arch_prctl(row.code, 8), EFAULT);
}
