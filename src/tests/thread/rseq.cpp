// SPDX-License-Identifier: MIT
// rseq(2): registering a restartable-sequences area. A registered area gets
// the current CPU written into cpu_id_start and cpu_id; a second
// registration is EBUSY (same arguments), EINVAL (other area or length) or
// EPERM (other signature); unregistering needs the same arguments and resets
// cpu_id to RSEQ_CPU_ID_UNINITIALIZED; short, misaligned or flagged requests
// are EINVAL. Registration is per thread, kept by fork and dropped by
// execve. All registrations happen in children (this binary registers none
// itself; a C library would have registered one already).
// Not covered: running critical sections and their aborts (needs per-arch
// assembly and the signature before the abort handler), the extended
// fields (node_id, mm_cid) of areas longer than 32 bytes.
#include "harness/test.hpp"
#include "rt/sys_sched.hpp"
#include "rt/sys_thread.hpp"
#include "tests/common/common_util.hpp"

namespace {

// The signature is only compared when a critical section aborts, so any value
// works for registration; this is x86's RSEQ_SIG.
constexpr u32 kRseqSig = 0x53053053;

// Areas in static memory: the same address in a fork child.
rseq g_area, g_other;
alignas(64) u8 g_raw[128];

long reg(void* area, u32 len = sizeof(rseq), u32 sig = kRseqSig) {
    return sys::rseq(area, len, 0, sig);
}
long unreg(void* area, u32 len = sizeof(rseq), u32 sig = kRseqSig) {
    return sys::rseq(area, len, RSEQ_FLAG_UNREGISTER, sig);
}

void require_rseq() {
    if (nr::rseq < 0) kc::skip("no rseq system call on " KC_ARCH_NAME);
    if (sys::rseq(nullptr, 0, 0, 0) == -ENOSYS)
        kc::skip_unimplemented("rseq", "rseq: the kernel is built without CONFIG_RSEQ");
}

// Reads cpu_id_start and cpu_id as one consistent snapshot (both are updated
// together on return to user space; a migration between the two loads is
// retried).
u32 snapshot_cpu(volatile rseq* r) {
    for (int i = 0; i < 1000; ++i) {
        u32 a = r->cpu_id_start, b = r->cpu_id, c = r->cpu_id_start;
        if (a == b && b == c) return b;
    }
    return RSEQ_CPU_ID_UNINITIALIZED - 1;
}

}  // namespace

EXEC_HELPER(misc_rseq) { return 64 | (reg(&g_area) == 0 ? 1 : 0); }

// rseq(2) (linux/rseq.h): once registered, cpu_id_start and cpu_id hold the
// CPU the thread runs on; they agree with getcpu(2) when no migration happened
// around the read.
TEST(rseq, register_publishes_cpu, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child([](void*) {
        g_area.cpu_id = RSEQ_CPU_ID_UNINITIALIZED;
        g_area.cpu_id_start = 0x7777;
        ASSERT_RET(reg(&g_area), 0);
        u32 cpu = snapshot_cpu(&g_area);
        EXPECT_LT(cpu, 4096);
        for (int i = 0; i < 100; ++i) {
            unsigned before = ~0u, after = ~0u;
            sys::getcpu(&before, nullptr);
            u32 mid = snapshot_cpu(&g_area);
            sys::getcpu(&after, nullptr);
            if (before == after) {
                EXPECT_EQ(mid, before);
                return;
            }
        }
        ADD_FAILURE("the thread kept migrating between CPUs");
    });
}

struct Twice {
    const char* label;
    bool other_area;
    u32 len, sig;
    int err;
};
constexpr Twice kTwice[] = {
    {"same", false, 32, kRseqSig, EBUSY},
    {"other_signature", false, 32, kRseqSig + 1, EPERM},
    {"other_area", true, 32, kRseqSig, EINVAL},
    {"other_length", false, 64, kRseqSig, EINVAL},
};
// rseq(2) (kernel/rseq.c) on a thread that already has an area: EBUSY for the
// same arguments (already registered), EINVAL for a different area or
// length, EPERM for a different signature. The original registration stays
// (unregistering it works).
TEST_P(rseq, second_registration, NEGATIVE, LINUX, kTwice, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child(
        [](void* p) {
            const Twice& t = *static_cast<const Twice*>(p);
            ASSERT_RET(reg(&g_area), 0);
            EXPECT_ERR(reg(t.other_area ? &g_other : &g_area, t.len, t.sig), t.err);
            EXPECT_RET(unreg(&g_area), 0);
        },
        &row);
}

// rseq(2) RSEQ_FLAG_UNREGISTER: unregistering with the registered area,
// length and signature succeeds and sets cpu_id to
// RSEQ_CPU_ID_UNINITIALIZED; the thread may register again afterwards.
TEST(rseq, unregister_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child([](void*) {
        ASSERT_RET(reg(&g_area), 0);
        ASSERT_RET(unreg(&g_area), 0);
        EXPECT_EQ(g_area.cpu_id, RSEQ_CPU_ID_UNINITIALIZED);
        EXPECT_ERR(unreg(&g_area), EINVAL);
        EXPECT_RET(reg(&g_other), 0);
        EXPECT_LT(snapshot_cpu(&g_other), 4096);
    });
}

constexpr Twice kBadUnreg[] = {
    {"other_signature", false, 32, kRseqSig + 1, EPERM},
    {"other_area", true, 32, kRseqSig, EINVAL},
    {"other_length", false, 64, kRseqSig, EINVAL},
};
// rseq(2) unregister with arguments that do not match the registration:
// EPERM for another signature, EINVAL for another area or length; the area
// stays registered.
TEST_P(rseq, unregister_mismatch, NEGATIVE, LINUX, kBadUnreg, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child(
        [](void* p) {
            const Twice& t = *static_cast<const Twice*>(p);
            ASSERT_RET(reg(&g_area), 0);
            EXPECT_ERR(unreg(t.other_area ? &g_other : &g_area, t.len, t.sig), t.err);
            EXPECT_ERR(reg(&g_area), EBUSY);
        },
        &row);
}

// rseq(2) EINVAL: unregistering when nothing is registered.
TEST(rseq, unregister_unregistered_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child([](void*) { EXPECT_ERR(unreg(&g_area), EINVAL); });
}

struct Len {
    const char* label;
    u32 len;
};
constexpr Len kShort[] = {{"len=0", 0}, {"len=16", 16}, {"len=31", 31}};
// rseq(2) EINVAL: a length below the original struct rseq (32 bytes);
// nothing gets registered.
TEST_P(rseq, short_length_einval, NEGATIVE, LINUX, kShort, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child(
        [](void* p) {
            EXPECT_ERR(reg(&g_area, static_cast<const Len*>(p)->len), EINVAL);
            EXPECT_RET(reg(&g_area), 0);
        },
        &row);
}

struct Offset {
    const char* label;
    u32 offset;
};
constexpr Offset kMisaligned[] = {{"offset=4", 4}, {"offset=8", 8}, {"offset=16", 16}};
// rseq(2) EINVAL: an area not aligned on 32 bytes (for the 32-byte
// original layout).
TEST_P(rseq, misaligned_einval, NEGATIVE, LINUX, kMisaligned, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child(
        [](void* p) {
            EXPECT_ERR(reg(g_raw + static_cast<const Offset*>(p)->offset), EINVAL);
            EXPECT_RET(reg(g_raw), 0);
        },
        &row);
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadFlags[] = {{"flags=2", 2}, {"flags=4", 4}, {"flags=-1", -1}};
// rseq(2) EINVAL: unknown bits in flags (only RSEQ_FLAG_UNREGISTER exists).
TEST_P(rseq, bad_flags_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child(
        [](void* p) {
            EXPECT_ERR(sys::rseq(&g_area, 32, static_cast<const Flags*>(p)->flags, kRseqSig),
                       EINVAL);
            EXPECT_RET(reg(&g_area), 0);
        },
        &row);
}

// rseq(2) EFAULT: an invalid area address - a kernel address fails the
// range check (an unmapped user address would pass it and kill the thread
// later).
TEST(rseq, kernel_address_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child([](void*) {
        EXPECT_ERR(reg(common::kKernelPtr), EFAULT);
        EXPECT_RET(reg(&g_area), 0);
    });
}

// rseq(2): a fork child inherits its parent's registration (same address in
// the copied memory), so registering again there is EBUSY.
TEST(rseq, registration_inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    common::in_child([](void*) {
        ASSERT_RET(reg(&g_area), 0);
        common::in_child([](void*) {
            EXPECT_ERR(reg(&g_area), EBUSY);
            EXPECT_RET(unreg(&g_area), 0);
        });
    });
}

// rseq(2): execve drops the registration - the new program can register its
// own area.
TEST(rseq, registration_cleared_by_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_rseq();
    long pid = kc::spawn(
        [](void*) {
            ASSERT_RET(reg(&g_other), 0);
            common::exec_helper(kc::self_path(), "--exec-helper=misc_rseq");
        },
        nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), (64 | 1) << 8);
}
