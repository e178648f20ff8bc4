// SPDX-License-Identifier: MIT
// brk(2), the raw system call (Linux; removed from POSIX in 2001): it
// returns the new break on success and the unchanged break on failure, never
// -errno. Covers querying, growing (zeroed, writable pages), shrinking (pages
// gone), regrowing (zeroed again), refused requests (below the start, into
// other mappings, beyond user space, over RLIMIT_DATA), fork inheritance and
// grow/shrink cycles across a lowered RLIMIT_DATA. Every test puts the break
// back where it found it (checks before that point never end the test early).
// Left out: the glibc brk()/sbrk() wrappers and their ENOMEM convention.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;

u8* cur_break() { return reinterpret_cast<u8*>(sys::brk(nullptr)); }
// The first page boundary at or above the current break: bytes below it may
// belong to a page already in use.
u8* aligned_break() {
    mm::need_4k_pages();
    return reinterpret_cast<u8*>((usize(cur_break()) + P - 1) & ~(P - 1));
}

}  // namespace

// brk(2): brk(0) asks for the current break without changing it.
TEST(brk, zero_queries_current_break, POSITIVE, LINUX) {
    u8* a = cur_break();
    EXPECT_GT(long(a), 0);
    EXPECT_EQ(long(cur_break()), long(a));
}

// brk(2): growing the break returns the new break; the new memory is zeroed
// and writable.
TEST(brk, grow_gives_zeroed_writable_memory, POSITIVE, LINUX) {
    u8* old = cur_break();
    u8* base = aligned_break();
    EXPECT_EQ(sys::brk(base + 3 * P), long(base + 3 * P));
    if (cur_break() == base + 3 * P) {
        EXPECT_TRUE(mm::all_zero(base, 3 * P));
        mm::fill(base, 3 * P, 2);
        EXPECT_TRUE(mm::has_pattern(base, 3 * P, 2));
    }
    EXPECT_EQ(sys::brk(old), long(old));
}

// brk(2): shrinking the break unmaps the pages above it.
TEST(brk, shrink_releases_pages, POSITIVE, LINUX) {
    u8* old = cur_break();
    u8* base = aligned_break();
    EXPECT_EQ(sys::brk(base + 2 * P), long(base + 2 * P));
    EXPECT_OK(sys::msync(base + P, P, MS_ASYNC));
    EXPECT_EQ(sys::brk(base + P), long(base + P));
    EXPECT_ERR(sys::msync(base + P, P, MS_ASYNC), ENOMEM);
    EXPECT_OK(sys::msync(base, P, MS_ASYNC));
    EXPECT_EQ(sys::brk(old), long(old));
}

// brk(2): memory given back and taken again is fresh: zeroed once more.
TEST(brk, regrown_memory_is_zeroed_again, BOUNDARY, LINUX) {
    u8* old = cur_break();
    u8* base = aligned_break();
    if (EXPECT_EQ(sys::brk(base + 2 * P), long(base + 2 * P))) mm::fill(base, 2 * P, 7);
    EXPECT_EQ(sys::brk(base), long(base));
    if (EXPECT_EQ(sys::brk(base + 2 * P), long(base + 2 * P))) {
        EXPECT_TRUE(mm::all_zero(base, 2 * P));
    }
    EXPECT_EQ(sys::brk(old), long(old));
}

struct Req {
    const char* label;
    u64 addr;  // 0: the address of a local variable (in the stack)
};
constexpr Req kRefused[] = {
    {"addr=1", 1},     {"addr=4096", 4096}, {"addr=2^62", u64(1) << 62}, {"addr=-4096", ~u64(4095)},
    {"into_stack", 0},
};

// brk(2): a break below the initial one, over other mappings or beyond user
// space is refused: the call returns the current break, which is unchanged.
TEST_P(brk, impossible_request_keeps_break, NEGATIVE, LINUX, kRefused) {
    u8* old = cur_break();
    volatile int local = 0;
    void* want = row.addr ? reinterpret_cast<void*>(row.addr) : (void*)&local;
    long r = sys::brk(want);
    EXPECT_EQ(r, long(old));
    if (r != long(old)) sys::brk(old);
    EXPECT_EQ(long(cur_break()), long(old));
}

// brk(2): growth past RLIMIT_DATA is refused (the break stays).
TEST(brk, over_rlimit_data_refused, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_DATA, 64 << 10));
            u8* old = cur_break();
            EXPECT_EQ(sys::brk(aligned_break() + (1 << 20)), long(old));
            EXPECT_EQ(long(cur_break()), long(old));
        },
        nullptr, "");
}

// brk(2) and fork(2): the child starts with the parent's break and a private
// copy of the heap.
TEST(brk, child_inherits_break_and_heap, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* old = cur_break();
    u8* base = aligned_break();
    if (EXPECT_EQ(sys::brk(base + P), long(base + P))) {
        mm::fill(base, P, 4);
        long pid = kc::spawn(
            [](void* a) {
                u8* b = static_cast<u8*>(a);
                EXPECT_EQ(long(cur_break()), long(b + P));
                EXPECT_TRUE(mm::has_pattern(b, P, 4));
                mm::fill(b, P, 5);
            },
            base);
        EXPECT_CHILD_OK(pid);
        EXPECT_TRUE(mm::has_pattern(base, P, 4));
    }
    EXPECT_EQ(sys::brk(old), long(old));
}

// brk(2): grow/shrink cycles leak nothing: the break returns to its start
// and can still grow by the whole room. Each round grows the break by two
// pages from where it is and shrinks it back; the loop crosses RLIMIT_DATA,
// lowered to 256 KiB above the process's data (common::limit_vm_room), four
// times over: pages (or their accounting) that a shrink fails to give back
// fail a later grow within 32 of its 128 rounds. (The ID keeps its old
// count, 10,000, which crossed no limit.)
TEST(brk, grow_shrink_10000_cycles, BOUNDARY, LINUX) {
    u8* old = cur_break();
    u8* base = aligned_break();
    common::limit_vm_room(RLIMIT_DATA, common::kVmLeakRoom);
    constexpr int kRounds = 4 * common::kVmLeakRoom / (2 * P);
    int i = 0;
    for (; i < kRounds; ++i) {
        u8* at = cur_break() < base ? base : cur_break();
        if (sys::brk(at + 2 * P) != long(at + 2 * P)) break;
        at[2 * P - 1] = u8(i);
        if (sys::brk(at) != long(at)) break;
    }
    EXPECT_EQ(i, kRounds);
    EXPECT_EQ(long(cur_break()), long(base));
    u8* top = base + common::kVmLeakRoom - common::kVmSlack;
    EXPECT_EQ(sys::brk(top), long(top));
    EXPECT_EQ(sys::brk(old), long(old));
    EXPECT_EQ(long(cur_break()), long(old));
}
