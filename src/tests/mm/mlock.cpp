// SPDX-License-Identifier: MIT
// mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2): locking
// faults pages in (mincore), MLOCK_ONFAULT/MCL_ONFAULT defer it, MCL_FUTURE
// locks later mappings, locks are not inherited and do not stack, and the
// privilege rules: an unprivileged process (no CAP_IPC_LOCK) gets EPERM with
// RLIMIT_MEMLOCK 0 and ENOMEM (EAGAIN for MCL_FUTURE mappings) beyond it;
// CAP_IPC_LOCK ignores the limit. Every rlimit change and every mlockall
// runs in a child process; limits are set within the run's hard limit.
// Left out: locked memory surviving memory pressure (not observable cheaply),
// MCL_FUTURE on stack growth.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

// In this process: skips unless `pages` pages may be locked without a
// change of resource limits (CAP_IPC_LOCK, checked in the initial user
// namespace, or a soft RLIMIT_MEMLOCK that large).
void need_budget_here(usize pages) {
    if (kc::cap_usable(CAP_IPC_LOCK)) return;
    rlimit64 lim{0, 0};
    sys::prlimit64(0, RLIMIT_MEMLOCK, nullptr, &lim);
    if (lim.rlim_cur >= pages * P) return;
    char reason[120];
    rt::Fmt f(reason, sizeof reason);
    f.s("needs CAP_IPC_LOCK or RLIMIT_MEMLOCK >= ")
        .u(pages * P)
        .s(" bytes; it is ")
        .u(lim.rlim_cur);
    kc::skip(f.cstr());
}

// In the test process: a child may set RLIMIT_MEMLOCK to `pages` pages.
void need_limit(usize pages) { mm::need_rlimit(RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", pages * P); }

// In a child: RLIMIT_MEMLOCK = pages, and no capabilities (no CAP_IPC_LOCK).
void unprivileged_with_limit(usize pages) {
    ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, pages * P));
    mm::drop_privilege();
}

// The skip reasons of children that could not drop their capabilities, or
// may not lock their whole address space.
constexpr const char* kNoDrop = "the kernel refuses to drop capabilities";
constexpr const char* kNoLockAll =
    "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK as large as the address space";

struct Where {
    const char* label;
    bool mapped;
};
constexpr Where kWhere[] = {{"mapped", true}, {"unmapped", false}};

struct Range {
    const char* label;
    int first;  // page offset from a 1-page mapping followed by a free page
    int pages;
};
constexpr Range kNotMapped[] = {{"unmapped", 1, 1}, {"partly_unmapped", 0, 2}};

struct Flags {
    const char* label;
    int flags;
};

}  // namespace

// mlock(2), POSIX: the range is made memory-resident; Linux faults the pages
// in at once (mincore), and they read as zeros.
TEST(mlock, locks_and_faults_in_pages, POSITIVE, PSE51) {
    need_budget_here(4);
    u8* p = mm::map_small_pages(4);
    EXPECT_EQ(mm::resident(p, 4), 0);
    EXPECT_OK(sys::mlock(p, 4 * P));
    EXPECT_EQ(mm::resident(p, 4), 4);
    EXPECT_TRUE(mm::all_zero(p, 4 * P));
    EXPECT_OK(sys::munlock(p, 4 * P));
    EXPECT_OK(sys::munmap(p, 4 * P));
}

// mlock(2): Linux rounds addr down to a page boundary (POSIX lets an
// implementation demand alignment instead), so an unaligned 1-byte lock
// locks that whole page.
TEST(mlock, unaligned_addr_rounds_down, BOUNDARY, LINUX) {
    need_budget_here(1);
    u8* p = mm::map_small_pages(2);
    EXPECT_OK(sys::mlock(p + 100, 1));
    EXPECT_EQ(mm::resident(p, 1), 1);
    EXPECT_EQ(mm::resident(p + P, 1), 0);
    EXPECT_OK(sys::munlock(p + 100, 1));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mlock(2): a zero length is a successful no-op, even where nothing is mapped.
TEST_P(mlock, zero_length_succeeds, BOUNDARY, LINUX, kWhere) {
    u8* p = row.mapped ? mm::map_small_pages(1) : mm::hole(1);
    EXPECT_OK(sys::mlock(p, 0));
    if (row.mapped) {
        EXPECT_EQ(mm::resident(p, 1), 0);
        EXPECT_OK(sys::munmap(p, P));
    }
}

// mlock(2), POSIX ENOMEM: "Some or all of the address range specified by the
// addr and len arguments does not correspond to valid mapped pages".
TEST_P(mlock, unmapped_range_enomem, NEGATIVE, PSE51, kNotMapped) {
    need_budget_here(1);  // else the permission check comes first
    u8* p = mm::map(2);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_ERR(sys::mlock(p + row.first * P, row.pages * P), ENOMEM);
    EXPECT_OK(sys::munlock(p, P));
    EXPECT_OK(sys::munmap(p, P));
}

// mlock(2), POSIX EPERM: "The calling process does not have appropriate
// privilege" — on Linux, unprivileged with RLIMIT_MEMLOCK 0.
TEST(mlock, zero_rlimit_unprivileged_eperm, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(0);
            u8* p = mm::map(1);
            EXPECT_ERR(sys::mlock(p, P), EPERM);
        },
        nullptr, kNoDrop);
}

// mlock(2), POSIX ENOMEM: "Locking the pages mapped by the specified range
// would exceed an implementation-defined limit" — RLIMIT_MEMLOCK; a lock
// within the limit succeeds.
TEST(mlock, over_rlimit_unprivileged_enomem, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map(4);
            EXPECT_ERR(sys::mlock(p, 4 * P), ENOMEM);
            EXPECT_OK(sys::mlock(p, 2 * P));
            EXPECT_ERR(sys::mlock(p + 2 * P, P), ENOMEM);
        },
        nullptr, kNoDrop);
}

// mlock(2), POSIX: "Memory locks do not stack" — locking a locked range
// again uses no more of the limit.
TEST(mlock, relock_not_counted_twice, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map(3);
            EXPECT_OK(sys::mlock(p, 2 * P));
            EXPECT_OK(sys::mlock(p, 2 * P));
            EXPECT_OK(sys::mlock(p + P, P));
            EXPECT_ERR(sys::mlock(p + 2 * P, P), ENOMEM);
        },
        nullptr, kNoDrop);
}

// mlock(2): CAP_IPC_LOCK lifts RLIMIT_MEMLOCK — it locks with a limit of 0.
TEST(mlock, root_ignores_rlimit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_IPC_LOCK);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 0));
            u8* p = mm::map_small_pages(8);
            EXPECT_OK(sys::mlock(p, 8 * P));
            EXPECT_EQ(mm::resident(p, 8), 8);
        },
        nullptr, "");
}

// fork(2), POSIX: "Memory locks ... are not inherited by the child" — with a
// limit of two pages all used by the parent, the child can still lock two.
TEST(mlock, locks_not_inherited_by_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map(4);
            ASSERT_OK(sys::mlock(p, 2 * P));
            long pid = kc::spawn(
                [](void* a) { EXPECT_OK(sys::mlock(static_cast<u8*>(a) + 2 * P, 2 * P)); }, p);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, kNoDrop);
}

// munlock(2), POSIX: unlocking gives the pages back to the limit.
TEST(munlock, releases_lock_budget, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map(4);
            ASSERT_OK(sys::mlock(p, 2 * P));
            EXPECT_ERR(sys::mlock(p + 2 * P, 2 * P), ENOMEM);
            EXPECT_OK(sys::munlock(p, 2 * P));
            EXPECT_OK(sys::mlock(p + 2 * P, 2 * P));
        },
        nullptr, kNoDrop);
}

// munlock(2), POSIX ENOMEM: the range contains pages that are not mapped.
TEST_P(munlock, unmapped_range_enomem, NEGATIVE, PSE51, kNotMapped) {
    u8* p = mm::map(2);
    ASSERT_OK(sys::munmap(p + P, P));
    EXPECT_ERR(sys::munlock(p + row.first * P, row.pages * P), ENOMEM);
    EXPECT_OK(sys::munmap(p, P));
}

// munlock(2): unlocking memory that was never locked succeeds and keeps it.
TEST(munlock, never_locked_succeeds, BOUNDARY, PSE51) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 3);
    EXPECT_OK(sys::munlock(p, 2 * P));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 3));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// munlock(2): a zero length is a successful no-op.
TEST_P(munlock, zero_length_succeeds, BOUNDARY, LINUX, kWhere) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    EXPECT_OK(sys::munlock(p, 0));
    if (row.mapped) EXPECT_OK(sys::munmap(p, P));
}

// mlock2(2) MLOCK_ONFAULT (Linux 4.4): pages are locked when first touched,
// not faulted in by the call.
TEST(mlock2, onfault_defers_population, POSITIVE, LINUX) {
    need_budget_here(4);
    u8* p = mm::map_small_pages(4);
    EXPECT_OK(sys::mlock2(p, 4 * P, MLOCK_ONFAULT));
    EXPECT_EQ(mm::resident(p, 4), 0);
    p[2 * P] = 1;
    EXPECT_EQ(mm::resident(p, 4), 1);
    EXPECT_OK(sys::munlock(p, 4 * P));
    EXPECT_OK(sys::munmap(p, 4 * P));
}

// mlock2(2): flags 0 behaves like mlock: the pages are faulted in.
TEST(mlock2, zero_flags_like_mlock, POSITIVE, LINUX) {
    need_budget_here(2);
    u8* p = mm::map_small_pages(2);
    EXPECT_OK(sys::mlock2(p, 2 * P, 0));
    EXPECT_EQ(mm::resident(p, 2), 2);
    EXPECT_OK(sys::munlock(p, 2 * P));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

constexpr Flags kBadMlock2Flags[] = {
    {"flags=0x2", 2}, {"flags=0x80000000", int(0x80000000u)}, {"flags=-1", -1}};

// mlock2(2) EINVAL: "Unknown flags were specified"; nothing is locked.
TEST_P(mlock2, invalid_flags_einval, NEGATIVE, LINUX, kBadMlock2Flags) {
    u8* p = mm::map_small_pages(1);
    EXPECT_ERR(sys::mlock2(p, P, row.flags), EINVAL);
    EXPECT_EQ(mm::resident(p, 1), 0);
    EXPECT_OK(sys::munmap(p, P));
}

constexpr Flags kBadMlockallFlags[] = {
    {"flags=0", 0}, {"flags=0x8|MCL_CURRENT", 8 | MCL_CURRENT}, {"flags=-1", -1}};

// mlockall(2), POSIX EINVAL: "The flags argument is zero, or includes
// unimplemented flags" (run in a child: a wrong success would lock it all).
TEST_P(mlockall, invalid_flags_einval, NEGATIVE, PSE53, kBadMlockallFlags,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child([](void* a) { EXPECT_ERR(sys::mlockall(*static_cast<int*>(a)), EINVAL); },
                     const_cast<int*>(&row.flags), "");
}

// mlockall(2) EINVAL: "MCL_ONFAULT was specified without MCL_CURRENT or
// MCL_FUTURE".
TEST(mlockall, onfault_alone_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child([](void*) { EXPECT_ERR(sys::mlockall(MCL_ONFAULT), EINVAL); }, nullptr, "");
}

// mlockall(2) MCL_FUTURE, POSIX: mappings made later are locked (Linux
// faults them in: mincore); munlockall ends that.
TEST(mlockall, future_locks_new_mappings, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(16);
            ASSERT_OK(sys::mlockall(MCL_FUTURE));
            u8* p = mm::map(4);
            EXPECT_EQ(mm::resident(p, 4), 4);
            EXPECT_OK(sys::munlockall());
            u8* q = mm::map(4);
            EXPECT_EQ(mm::resident(q, 4), 0);
        },
        nullptr, "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK of at least 16 pages");
}

// mlockall(2) MCL_FUTURE: a later mapping that would exceed RLIMIT_MEMLOCK
// fails with EAGAIN (mmap(2): "too much memory has been locked").
TEST(mlockall, future_mapping_over_rlimit_eagain, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_limit(4);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(4);
            ASSERT_OK(sys::mlockall(MCL_FUTURE));
            EXPECT_ERR(sys::mmap(nullptr, 16 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EAGAIN);
            long r = sys::mmap(nullptr, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            EXPECT_OK(r);
        },
        nullptr, kNoDrop);
}

// mlockall(2) MCL_CURRENT, POSIX ENOMEM: locking all current mappings would
// exceed the limit (one page: any process maps more than that).
TEST(mlockall, current_over_rlimit_enomem, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(1);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(1);
            EXPECT_ERR(sys::mlockall(MCL_CURRENT), ENOMEM);
            EXPECT_ERR(sys::mlockall(MCL_CURRENT | MCL_FUTURE), ENOMEM);
        },
        nullptr, kNoDrop);
}

constexpr Flags kMlockallFlags[] = {{"MCL_CURRENT", MCL_CURRENT},
                                    {"MCL_FUTURE", MCL_FUTURE},
                                    {"MCL_CURRENT|MCL_FUTURE", MCL_CURRENT | MCL_FUTURE}};

// mlockall(2), POSIX EPERM: an unprivileged process with RLIMIT_MEMLOCK 0
// may lock nothing.
TEST_P(mlockall, zero_rlimit_unprivileged_eperm, NEGATIVE, PSE53, kMlockallFlags,
       .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void* a) {
            unprivileged_with_limit(0);
            EXPECT_ERR(sys::mlockall(*static_cast<int*>(a)), EPERM);
        },
        const_cast<int*>(&row.flags), kNoDrop);
}

// mlockall(2) MCL_CURRENT, POSIX: every current mapping is locked, so
// untouched pages become resident. That locks the whole address space:
// CAP_IPC_LOCK, or an RLIMIT_MEMLOCK at least that large.
TEST(mlockall, current_locks_existing_mappings, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(mm::mapped_pages() + 16);
            u8* p = mm::map_small_pages(4);
            EXPECT_EQ(mm::resident(p, 4), 0);
            ASSERT_OK(sys::mlockall(MCL_CURRENT));
            EXPECT_EQ(mm::resident(p, 4), 4);
        },
        nullptr, kNoLockAll);
}

// mlockall(2) MCL_ONFAULT (Linux 4.4): current mappings are locked as they
// are touched, not faulted in by the call (the same budget as above).
TEST(mlockall, onfault_defers_population, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(mm::mapped_pages() + 16);
            u8* p = mm::map_small_pages(4);
            ASSERT_OK(sys::mlockall(MCL_CURRENT | MCL_ONFAULT));
            EXPECT_EQ(mm::resident(p, 4), 0);
            p[P] = 1;
            EXPECT_EQ(mm::resident(p, 4), 1);
        },
        nullptr, kNoLockAll);
}

// munlockall(2), POSIX: succeeds when nothing is locked.
TEST(munlockall, nothing_locked_succeeds, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child([](void*) { EXPECT_OK(sys::munlockall()); }, nullptr, "");
}

// munlockall(2), POSIX: every lock is released, giving the pages back to the
// limit.
TEST(munlockall, releases_all_locks, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map(3);
            ASSERT_OK(sys::mlock(p, P));
            ASSERT_OK(sys::mlock(p + P, P));
            EXPECT_ERR(sys::mlock(p + 2 * P, P), ENOMEM);
            EXPECT_OK(sys::munlockall());
            EXPECT_OK(sys::mlock(p + 2 * P, P));
        },
        nullptr, kNoDrop);
}

// munlockall(2) also ends MCL_FUTURE: with a 2-page RLIMIT_MEMLOCK and no
// capabilities, a 4-page mapping fails (EAGAIN) while MCL_FUTURE is in
// force, and succeeds, unlocked, after munlockall.
TEST(munlockall, ends_mcl_future, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            ASSERT_OK(sys::mlockall(MCL_FUTURE));
            EXPECT_ERR(sys::mmap(nullptr, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EAGAIN);
            EXPECT_OK(sys::munlockall());
            u8* p = mm::map_small_pages(4);
            EXPECT_EQ(mm::resident(p, 4), 0);
        },
        nullptr, kNoDrop);
}

// munlockall(2) releases mlock2(MLOCK_ONFAULT) locks too: their pages count
// against RLIMIT_MEMLOCK before they are touched, and come back to it.
TEST(munlockall, releases_onfault_locks, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_limit(2);
    mm::run_in_child(
        [](void*) {
            unprivileged_with_limit(2);
            u8* p = mm::map_small_pages(3);
            long r = sys::mlock2(p, 2 * P, MLOCK_ONFAULT);
            if (r == -ENOSYS) sys::exit_group(mm::kSkipStatus);
            ASSERT_OK(r);
            EXPECT_ERR(sys::mlock(p + 2 * P, P), ENOMEM);
            EXPECT_OK(sys::munlockall());
            EXPECT_OK(sys::mlock(p + 2 * P, P));
        },
        nullptr,
        "the kernel refuses to drop capabilities, or mlock2 is not implemented (ENOSYS; "
        "Linux 4.4+)");
}

// munlockall(2): unlocking leaves the memory as it was: mapped, with its
// contents, and writable.
TEST(munlockall, contents_kept, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(2);
            u8* p = mm::map(2);
            for (usize i = 0; i < 2 * P; ++i) p[i] = u8(i * 13);
            ASSERT_OK(sys::mlock(p, 2 * P));
            EXPECT_OK(sys::munlockall());
            int bad = 0;
            for (usize i = 0; i < 2 * P; ++i) bad += p[i] != u8(i * 13);
            EXPECT_EQ(bad, 0);
            p[0] = 1;
            EXPECT_EQ(p[0], 1);
        },
        nullptr, "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK of at least 2 pages");
}

// munlockall(2) takes no arguments: junk in the argument registers is
// ignored.
TEST(munlockall, ignores_argument_registers, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    mm::run_in_child([](void*) { EXPECT_RET(arch::syscall3(nr::munlockall, -1, 1, 8), 0); },
                     nullptr, "");
}
