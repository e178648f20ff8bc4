// SPDX-License-Identifier: MIT
// map_shadow_stack(2): a new shadow-stack mapping for user-space control-flow
// protection (Linux 6.6 on x86-64 with user shadow stacks, arch/x86/kernel/
// shstk.c; 6.13 on arm64 with GCS, arch/arm64/mm/gcs.c; quoted as
// "shstk.c" and "gcs.c"). No man page in man-pages 6.03.
// The call exists only where the kernel was built with it, and works only
// on a CPU that has the feature: every test skips with ENOSYS (not built;
// this reference host's kernel has no CONFIG_X86_USER_SHADOW_STACK) or
// EOPNOTSUPP (shstk.c, gcs.c: the CPU has no user shadow stack), so these
// tests have not run against Linux here; they check only what both
// architectures' code does alike.
// Covered: a mapping is made where asked, readable, and refuses ordinary
// stores (SIGSEGV); unknown flags and an unaligned address are EINVAL.
// Left out: the restore token and end marker (their layout differs between
// architectures), the size rules (ENOSPC on x86-64, EINVAL on arm64),
// x86-64's ERANGE below 4 GiB, and using the stack (needs enabling it with
// arch_prctl/prctl, which changes how the process may return).
#include "harness/test.hpp"
#include "rt/sys_mseal.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;

// Skips unless the kernel can make shadow stacks here.
void need_shadow_stack() {
    mm::need_4k_pages();
    long r = sys::map_shadow_stack(nullptr, P, 0);
    if (r == -ENOSYS)
        kc::skip_unimplemented("map_shadow_stack",
                               "map_shadow_stack: not implemented (ENOSYS; Linux 6.6+ x86-64)");
    if (r == -EOPNOTSUPP)
        kc::skip("needs a CPU with user shadow stacks (map_shadow_stack: EOPNOTSUPP)");
    ASSERT_OK(r);
    ASSERT_RET(sys::munmap(reinterpret_cast<void*>(r), P), 0);
}

}  // namespace

// shstk.c/gcs.c: the call maps a new page-aligned shadow stack of the
// (page-rounded) size and returns its address; it reads as zeros (no token
// was asked for) and can be unmapped.
TEST(map_shadow_stack, maps_new_stack, POSITIVE, LINUX) {
    need_shadow_stack();
    long r = sys::map_shadow_stack(nullptr, 2 * P, 0);
    ASSERT_OK(r);
    EXPECT_EQ(r % long(P), 0);
    const u64* s = reinterpret_cast<const u64*>(r);
    EXPECT_EQ(s[0], 0u);
    EXPECT_EQ(s[2 * P / 8 - 1], 0u);
    EXPECT_RET(sys::munmap(reinterpret_cast<void*>(r), 2 * P), 0);
}

// shstk.c/gcs.c: a page-aligned, free address is used as it is
// (MAP_FIXED_NOREPLACE).
TEST(map_shadow_stack, uses_given_address, POSITIVE, LINUX) {
    need_shadow_stack();
    u8* want = mm::hole(1);
    long r = sys::map_shadow_stack(want, P, 0);
    EXPECT_RET(r, long(want));
    if (r == long(want)) EXPECT_RET(sys::munmap(want, P), 0);
}

// shstk.c/gcs.c: shadow-stack memory is not writable by ordinary stores:
// one kills the process with SIGSEGV.
TEST(map_shadow_stack, store_faults_sigsegv, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_shadow_stack();
    long pid = kc::spawn(
        [](void*) {
            long r = sys::map_shadow_stack(nullptr, P, 0);
            ASSERT_OK(r);
            *reinterpret_cast<volatile u64*>(r) = 1;
            sys::exit_group(3);
        },
        nullptr);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    EXPECT_EQ(st & 0x7f, SIGSEGV);
}

struct FlagRow {
    const char* label;
    u32 flags;
};
constexpr FlagRow kBadFlags[] = {{"flags=4", 4}, {"flags=bit31", 0x80000000u}};
// shstk.c/gcs.c: flags other than SHADOW_STACK_SET_TOKEN (and, on arm64,
// SHADOW_STACK_SET_MARKER) are EINVAL.
TEST_P(map_shadow_stack, unknown_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    need_shadow_stack();
    EXPECT_ERR(sys::map_shadow_stack(nullptr, P, row.flags), EINVAL);
}

// shstk.c (vm_mmap with MAP_FIXED_NOREPLACE), gcs.c: an address that is not
// page aligned is EINVAL (taken above 4 GiB, where x86-64 accepts
// addresses).
TEST(map_shadow_stack, unaligned_address_einval, NEGATIVE, LINUX) {
    need_shadow_stack();
    u8* hole = mm::hole(2);
    if (u64(sys::L(hole)) < (1ull << 32)) kc::skip("needs a free address above 4 GiB");
    EXPECT_ERR(sys::map_shadow_stack(hole + 8, P, 0), EINVAL);
}
