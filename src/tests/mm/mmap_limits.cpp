// SPDX-License-Identifier: MIT
// mmap(2): faulting in, and the limits on mapping. Protection faults
// (SIGSEGV with SEGV_ACCERR), MAP_GROWSDOWN (growth on a fault below, the
// guard gap), MAP_POPULATE, mmap_min_addr (EPERM), MAP_LOCKED against
// RLIMIT_MEMLOCK (EAGAIN, EPERM, and CAP_IPC_LOCK), RLIMIT_AS and
// vm.max_map_count (ENOMEM), and map/unmap cycles across a lowered
// RLIMIT_AS.
// Left out: what mmap.cpp lists.
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

using namespace mm::mmap_shorthands;

struct Rw {
    const char* label;
    bool write;
};
constexpr Rw kAccesses[] = {{"read", false}, {"write", true}};

// mmap(2) PROT_NONE, POSIX: "the page may not be accessed"; an access is
// SIGSEGV with si_code SEGV_ACCERR and si_addr the faulting address.
TEST_P(mmap, prot_none_access_sigsegv, NEGATIVE, PSE53, kAccesses, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1, PROT_NONE);
    EXPECT_EQ(mm::touch(p + 100, row.write), mm::kSegvAccerr);
    EXPECT_OK(sys::munmap(p, P));
}

// mmap(2) PROT_READ: reading works and writing is SIGSEGV/SEGV_ACCERR.
TEST(mmap, prot_read_write_sigsegv, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1, PROT_READ);
    EXPECT_TRUE(mm::all_zero(p, P));
    EXPECT_EQ(mm::touch(p + P - 1, false), 0);
    EXPECT_EQ(mm::touch(p + P - 1, true), mm::kSegvAccerr);
    EXPECT_OK(sys::munmap(p, P));
}

// Builds [w, w+16P) mapped `below` (PROT_NONE or an accessible protection),
// [w+16P, w+60P) free and [w+60P, w+64P) MAP_GROWSDOWN; returns w. The
// growing mapping is small: a stack may not grow beyond RLIMIT_STACK
// (acct_stack_growth), which prlimit --stack=65536 makes 16 pages.
static u8* growsdown_layout(int below) {
    u8* w = mm::map(64, below);
    EXPECT_OK(sys::munmap(w + 16 * P, 44 * P));
    long g = sys::mmap(w + 60 * P, 4 * P, RW, ANON | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
    ASSERT_EQ(g, long(w + 60 * P));
    return w;
}
constexpr usize kGrownPages = 5;  // the MAP_GROWSDOWN mapping after one page of growth

// mmap(2) MAP_GROWSDOWN: a fault just below the mapping extends it downwards
// (as for a stack). An inaccessible mapping below needs no guard gap.
TEST(mmap, growsdown_extends_on_fault_below, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_rlimit(RLIMIT_STACK, "RLIMIT_STACK", kGrownPages * P);
    u8* w = growsdown_layout(PROT_NONE);
    mm::run_in_child(
        [](void* a) {
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_STACK, kGrownPages * P));
            u8* below = static_cast<u8*>(a) + 59 * P;
            EXPECT_ERR(sys::msync(below, P, MS_ASYNC), ENOMEM);
            below[8] = 0x42;
            EXPECT_EQ(below[8], 0x42);
            EXPECT_OK(sys::msync(below, P, MS_ASYNC));  // now mapped
        },
        w, "");
    EXPECT_OK(sys::munmap(w, 64 * P));
}

// mmap(2) MAP_GROWSDOWN: growth stops at the stack guard gap (256 pages by
// default) above an accessible mapping: the access is SIGSEGV/SEGV_MAPERR.
TEST(mmap, growsdown_respects_guard_gap, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* w = growsdown_layout(PROT_READ);
    EXPECT_EQ(mm::touch(w + 59 * P + 8, true), mm::kSegvMaperr);
    EXPECT_OK(sys::munmap(w, 64 * P));
}

// mmap(2): MAP_GROWSDOWN is only for private mappings; shared anonymous is
// EINVAL.
TEST(mmap, shared_growsdown_einval, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0),
               EINVAL);
}

// mmap(2) MAP_POPULATE: the pages are faulted in by the call (mincore).
TEST_P(mmap, populate_prefaults_pages, POSITIVE, LINUX, mm::kAnonKinds) {
    long r = sys::mmap(nullptr, 4 * P, RW, row.flags | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    ASSERT_OK(r);
    EXPECT_EQ(mm::resident(ptr(r), 4), 4);
    EXPECT_TRUE(mm::all_zero(ptr(r), 4 * P));
    EXPECT_OK(sys::munmap(ptr(r), 4 * P));
}

// mmap(2) EPERM: mapping below vm.mmap_min_addr needs CAP_SYS_RAWIO (the
// child drops every capability).
TEST(mmap, below_mmap_min_addr_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long min_addr = common::proc_number("/proc/sys/vm/mmap_min_addr");
    if (min_addr < 0) kc::skip("cannot read /proc/sys/vm/mmap_min_addr");
    if (min_addr == 0) kc::skip("vm.mmap_min_addr is 0");
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, P, RW, ANON | MAP_FIXED, -1, 0), EPERM);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: "EAGAIN ... too much memory has been locked" — a locked
// mapping beyond RLIMIT_MEMLOCK fails without CAP_IPC_LOCK; one within it is
// populated.
TEST(mmap, locked_over_memlock_rlimit_eagain, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_rlimit(RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", 4 * P);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 4 * P));
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, 16 * P, RW, ANON | MAP_LOCKED, -1, 0), EAGAIN);
            long r = sys::mmap(nullptr, 2 * P, RW, ANON | MAP_LOCKED, -1, 0);
            ASSERT_OK(r);
            EXPECT_EQ(mm::resident(ptr(r), 2), 2);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: with RLIMIT_MEMLOCK 0 an unprivileged process (no
// CAP_IPC_LOCK) may not lock at all: EPERM.
TEST(mmap, locked_zero_memlock_rlimit_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 0));
            mm::drop_privilege();
            EXPECT_ERR(sys::mmap(nullptr, P, RW, ANON | MAP_LOCKED, -1, 0), EPERM);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

// mmap(2) MAP_LOCKED: CAP_IPC_LOCK ignores RLIMIT_MEMLOCK.
TEST(mmap, locked_root_ignores_memlock_rlimit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_IPC_LOCK);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 0));
            long r = sys::mmap(nullptr, 16 * P, RW, ANON | MAP_LOCKED, -1, 0);
            ASSERT_OK(r);
            EXPECT_EQ(mm::resident(ptr(r), 16), 16);
        },
        nullptr, "");
}

// mmap(2) ENOMEM, setrlimit(2) RLIMIT_AS: "mmap() ... shall fail with errno
// set to [ENOMEM]" when the address space would exceed the limit (256 MiB, or
// the run's hard limit when that is lower: prlimit --as).
TEST(mmap, over_rlimit_as_enomem, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            u64 limit = mm::hard_rlimit(RLIMIT_AS);
            if (limit > 256ul << 20) limit = 256ul << 20;
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_AS, limit));
            EXPECT_ERR(sys::mmap(nullptr, 2 * limit, PROT_NONE, ANON, -1, 0), ENOMEM);
            long r = sys::mmap(nullptr, 1ul << 20, RW, ANON, -1, 0);
            EXPECT_OK(r);
        },
        nullptr, "");
}

// mmap(2) ENOMEM: "The process's maximum number of mappings would have been
// exceeded" (vm.max_map_count); mappings are kept apart by alternating
// protections so that none merge. Each one is a page of address space, so
// RLIMIT_AS must leave room for them all. 65,530 mmap calls take 0.2 s
// natively but over 10 s under a tracer (strace -f): a deadline of its own.
TEST(mmap, map_count_limit_enomem, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::VERY_SLOW,
     .timeout_ms = 60000) {
    static long max_count;
    max_count = common::proc_number("/proc/sys/vm/max_map_count");
    if (max_count < 0) kc::skip("cannot read /proc/sys/vm/max_map_count");
    if (max_count > (1l << 20)) kc::skip("vm.max_map_count above 2^20: too slow to exhaust");
    static u64 room;
    room = mm::mapped_pages();
    room = room == ~usize(0) ? RLIM_INFINITY : (room + usize(max_count) + 256) * P;
    mm::need_rlimit(RLIMIT_AS, "RLIMIT_AS", room);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_AS, room));
            long r = 0, n = 0;
            for (; n <= max_count; ++n) {
                r = sys::mmap(nullptr, P, n & 1 ? PROT_READ : PROT_NONE, ANON, -1, 0);
                if (mm::is_err(r)) break;
            }
            EXPECT_ERR(r, ENOMEM);
            // the process had a few dozen mappings before the loop
            EXPECT_LE(n, max_count);
            EXPECT_GT(n, max_count - 200);
        },
        nullptr, "");
}

// mmap(2)/munmap(2): map/unmap cycles leak nothing. The loop crosses
// RLIMIT_AS, lowered to 256 KiB above what the process maps
// (common::limit_vm_room), four times over: a leaked 2-page mapping (or its
// accounting) fails it with ENOMEM within 32 of its 128 rounds. Afterwards
// the room, less 64 KiB of slack, can still be mapped. (The ID keeps its old
// count, 10,000, which crossed no limit.)
TEST(mmap, map_unmap_10000_cycles, BOUNDARY, PSE51) {
    common::limit_vm_room(RLIMIT_AS, common::kVmLeakRoom);
    constexpr int kRounds = 4 * common::kVmLeakRoom / (2 * P);
    for (int i = 0; i < kRounds; ++i) {
        long r = sys::mmap(nullptr, 2 * P, RW, ANON, -1, 0);
        if (mm::is_err(r)) ASSERT_OK(r);
        ptr(r)[P] = u8(i);
        long u = sys::munmap(ptr(r), 2 * P);
        if (u) ASSERT_OK(u);
    }
    constexpr usize n = (common::kVmLeakRoom - common::kVmSlack) / P;
    u8* p = mm::map(n);
    p[0] = 1;
    p[n * P - 1] = 2;
    EXPECT_OK(sys::munmap(p, n * P));
}
