// SPDX-License-Identifier: MIT
// mseal(2) (Linux 6.10): sealing a range of mappings against changes. No man
// page in man-pages 6.03; the contract is Documentation/userspace-api/
// mseal.rst and the comment above do_mseal() in mm/mseal.c (quoted as
// "mseal.c"): a sealed mapping cannot be unmapped, moved, shrunk, grown,
// replaced with MAP_FIXED or mprotect()ed (EPERM), nor emptied with
// MADV_DONTNEED when it is not writable; sealing twice is allowed; flags are
// reserved (EINVAL); addr must be page aligned (EINVAL); len is rounded up
// and 0 does nothing; a range with unmapped pages is ENOMEM.
// A sealed mapping can never be unmapped, so every test seals in a child
// process (kc::spawn), never in the harness (--isolate=none).
// Left out: pkey_mprotect (needs protection keys), file-backed and shared
// mappings (the rules are the same), and the seals of mseal_system_mappings.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_mseal.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;

// Runs fn in a child (sealing must not reach the harness) after the checks
// every test needs: mseal exists (len 0 is a no-op that returns 0), 4 KiB
// pages.
void in_child(void (*fn)(void*), void* arg = nullptr) {
    if (sys::mseal(nullptr, 0, 0) == -ENOSYS)
        kc::skip_unimplemented("mseal", "mseal: not implemented (ENOSYS; Linux 6.10+)");
    mm::need_4k_pages();
    long pid = kc::spawn(fn, arg);
    ASSERT_GT(pid, 0);
    EXPECT_CHILD_OK(pid);
}

}  // namespace

// mseal.c: after sealing, munmap, mprotect, mremap (growing or moving) and
// mmap(MAP_FIXED) over the range fail with EPERM and change nothing: the
// sealed page keeps its data and stays writable.
TEST(mseal, sealed_mapping_refuses_changes, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_child([](void*) {
        u8* m = mm::map(1);
        mm::fill(m, P, 3);
        ASSERT_RET(sys::mseal(m, P, 0), 0);
        EXPECT_ERR(sys::munmap(m, P), EPERM);
        EXPECT_ERR(sys::mprotect(m, P, PROT_READ), EPERM);
        EXPECT_ERR(sys::mremap(m, P, 2 * P, MREMAP_MAYMOVE, nullptr), EPERM);
        EXPECT_ERR(sys::mmap(m, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
                   EPERM);
        EXPECT_TRUE(mm::has_pattern(m, P, 3));
        m[0] = 42;
        EXPECT_EQ(m[0], 42);
    });
}

// mseal.c: sealing applies to the range only: the pages on either side of a
// sealed page can still be mprotect()ed and unmapped, but an munmap that
// covers a sealed page fails with EPERM as a whole (its unsealed part stays
// mapped and keeps its data).
TEST(mseal, neighbours_unaffected, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    in_child([](void*) {
        u8* m = mm::map(3);
        for (int k = 0; k < 3; ++k) mm::fill(m + k * P, P, u8(5 + k));
        ASSERT_RET(sys::mseal(m + P, P, 0), 0);
        EXPECT_ERR(sys::munmap(m, 2 * P), EPERM);
        for (int k = 0; k < 3; ++k) EXPECT_TRUE(mm::has_pattern(m + k * P, P, u8(5 + k)));
        EXPECT_RET(sys::mprotect(m + 2 * P, P, PROT_READ), 0);
        EXPECT_RET(sys::munmap(m, P), 0);
        EXPECT_RET(mm::resident(m, 1), -ENOMEM);
        EXPECT_RET(sys::munmap(m + 2 * P, P), 0);
        EXPECT_TRUE(mm::has_pattern(m + P, P, 5 + 1));
    });
}

// mseal.c: "Some destructive madvise() behavior (e.g. MADV_DONTNEED) for
// anonymous memory, when users don't have write permission to the memory"
// is blocked (EPERM) and the data stays; on a writable sealed mapping it is
// allowed (the pages read back as zero).
TEST(mseal, madvise_dontneed_needs_write, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    in_child([](void*) {
        u8* ro = mm::map(1);
        mm::fill(ro, P, 7);
        ASSERT_RET(sys::mprotect(ro, P, PROT_READ), 0);
        ASSERT_RET(sys::mseal(ro, P, 0), 0);
        EXPECT_ERR(sys::madvise(ro, P, MADV_DONTNEED), EPERM);
        EXPECT_TRUE(mm::has_pattern(ro, P, 7));
        u8* rw = mm::map(1);
        mm::fill(rw, P, 7);
        ASSERT_RET(sys::mseal(rw, P, 0), 0);
        EXPECT_RET(sys::madvise(rw, P, MADV_DONTNEED), 0);
        EXPECT_TRUE(mm::all_zero(rw, P));
    });
}

// mseal.c: "adding a seal on an already sealed memory is a no-action (no
// error)", also over a range that is partly sealed; len is rounded up to
// whole pages (len 1 seals the page).
TEST(mseal, seal_again_and_partial_len, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    in_child([](void*) {
        u8* m = mm::map(2);
        ASSERT_RET(sys::mseal(m, 1, 0), 0);
        EXPECT_ERR(sys::munmap(m, P), EPERM);
        EXPECT_RET(sys::mseal(m, P, 0), 0);
        EXPECT_RET(sys::mseal(m, 2 * P, 0), 0);
        EXPECT_ERR(sys::munmap(m + P, P), EPERM);
    });
}

struct BadRow {
    const char* label;
    usize offset;  // added to the mapping's address
    usize len;
    unsigned long flags;
    int err;
};
constexpr BadRow kBad[] = {
    {"flags=1", 0, P, 1, EINVAL},
    {"flags=bit63", 0, P, 1ul << 63, EINVAL},
    {"addr_unaligned", 1, P, 0, EINVAL},
    {"addr_unaligned_len_0", 1, 0, 0, EINVAL},
    {"len_wraps_to_0", 0, ~usize(0), 0, EINVAL},
    {"end_before_start", 0, ~usize(0) - P + 1, 0, EINVAL},
    {"past_the_mapping", 0, 2 * P + 1, 0, ENOMEM},
    {"over_a_hole", 0, 4 * P, 0, ENOMEM},
    {"unmapped_range", 2 * P, P, 0, ENOMEM},
};
// mseal.c: flags must be 0 and addr page aligned (EINVAL, checked even when
// len is 0); a len that rounds up to 0 or wraps past the end of the address
// space is EINVAL; a range that reaches unmapped pages is ENOMEM. The
// mapping here is two pages, a hole, and a fourth page; nothing is sealed by
// a failed call (the first page can still be unmapped).
TEST_P(mseal, bad_range, NEGATIVE, LINUX, kBad, .flags = kc::NEEDS_FORK) {
    in_child(
        [](void* p) {
            const BadRow& r = *static_cast<const BadRow*>(p);
            u8* m = mm::map(4);
            ASSERT_RET(sys::munmap(m + 2 * P, P), 0);
            EXPECT_ERR(sys::mseal(m + r.offset, r.len, r.flags), r.err);
            EXPECT_RET(sys::munmap(m, P), 0);
        },
        const_cast<BadRow*>(&row));
}

// mseal.c: "if (end == start) return 0": len 0 succeeds and does nothing,
// also where nothing is mapped.
TEST(mseal, len_zero_noop, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    in_child([](void*) {
        u8* m = mm::map(1);
        EXPECT_RET(sys::mseal(m, 0, 0), 0);
        EXPECT_RET(sys::munmap(m, P), 0);
        u8* hole = mm::hole(1);
        EXPECT_RET(sys::mseal(hole, 0, 0), 0);
        EXPECT_RET(mm::resident(hole, 1), -ENOMEM);
    });
}
