// SPDX-License-Identifier: MIT
// Every flag of the memory calls, observed: for each flag a test that sees
// what it changes, compared with the same call without it. The inventory
// (flag: the test that observes it; "new" ones are in this file):
//
// mmap(2)
//   MAP_SHARED           mmap.shared_anonymous_visible_across_fork,
//                        mmap.shared_file_store_reaches_file
//   MAP_PRIVATE          mmap.private_anonymous_copy_on_write_across_fork,
//                        mmap.private_file_store_stays_private
//   MAP_SHARED_VALIDATE  mmap.shared_validate_unknown_flag_eopnotsupp
//   MAP_DROPPABLE        new mmap.droppable_pages_dropped_by_pageout
//   MAP_FIXED            mmap.fixed_replaces_existing_mapping
//   MAP_FIXED_NOREPLACE  mmap.fixed_noreplace_taken_range_eexist
//   MAP_ANONYMOUS        mmap.anonymous_zero_filled
//   MAP_GROWSDOWN        mmap.growsdown_extends_on_fault_below
//   MAP_LOCKED           mmap.locked_over_memlock_rlimit_eagain,
//                        mmap.locked_root_ignores_memlock_rlimit
//   MAP_POPULATE         mmap.populate_prefaults_pages
//   MAP_NONBLOCK         new mmap.nonblock_cancels_populate
//   MAP_NORESERVE        new mmap.noreserve_escapes_overcommit_heuristic
//   MAP_STACK            new mmap.stack_flag_refuses_huge_pages
//   MAP_SYNC             new mmap.sync_without_dax_eopnotsupp
//   MAP_32BIT            new mmap.map_32bit_below_2gib (x86-64)
//   PROT_NONE/READ/WRITE mmap.prot_none_access_sigsegv, mmap.prot_read_write_sigsegv
//   PROT_EXEC            new mmap.prot_exec_runs_code
// mprotect(2)
//   PROT_NONE/READ/WRITE mprotect.none_access_sigsegv_accerr,
//                        mprotect.read_only_store_sigsegv_accerr, mprotect.upgrade_keeps_data
//   PROT_EXEC            new mprotect.prot_exec_toggles_execution
//   PROT_GROWSDOWN       mprotect.growsdown_extends_to_mapping_start
// madvise(2)
//   MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
//   MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTDUMP, MADV_DODUMP
//                        new madvise.advice_recorded_in_vmflags
//   MADV_DONTNEED        madvise.dontneed_zeroes_private_anonymous
//   MADV_DONTNEED_LOCKED new madvise.dontneed_locked_drops_locked_pages
//   MADV_FREE            new madvise.free_pages_dropped_by_pageout
//   MADV_PAGEOUT         new madvise.free_pages_dropped_by_pageout,
//                        new mmap.droppable_pages_dropped_by_pageout
//   MADV_COLD            new madvise.cold_clears_referenced
//   MADV_REMOVE          madvise.remove_shared_anonymous_zeroes
//   MADV_DONTFORK/DOFORK madvise.dontfork_hides_range_from_child
//   MADV_WIPEONFORK      madvise.wipeonfork_child_sees_zeros
//   MADV_KEEPONFORK      new madvise.keeponfork_undoes_wipeonfork
//   MADV_POPULATE_READ   madvise.populate_makes_resident
//   MADV_POPULATE_WRITE  new madvise.populate_private_file_copy_on_write
//   MADV_GUARD_INSTALL   new madvise.guard_install_faults_access
//   MADV_GUARD_REMOVE    new madvise.guard_remove_restores_access
// mremap(2)
//   MREMAP_MAYMOVE       mremap.maymove_moves_with_data (against
//                        mremap.grow_blocked_without_maymove_enomem)
//   MREMAP_FIXED         mremap.fixed_moves_to_address
//   MREMAP_DONTUNMAP     mremap.dontunmap_leaves_empty_source
// msync(2)
//   MS_SYNC              new msync.sync_writes_back_dirty_pages
//   MS_INVALIDATE        msync.invalidate_locked_ebusy
// mlock2(2)
//   MLOCK_ONFAULT        mlock2.onfault_defers_population (against mlock2.zero_flags_like_mlock)
// mlockall(2)
//   MCL_CURRENT          mlockall.current_locks_existing_mappings
//   MCL_FUTURE           mlockall.future_locks_new_mappings
//   MCL_ONFAULT          mlockall.onfault_defers_population (with MCL_CURRENT),
//                        new mlockall.future_onfault_defers_population (with MCL_FUTURE)
// memfd_create(2)
//   MFD_CLOEXEC          memfd_create.cloexec_flag
//   MFD_ALLOW_SEALING    fcntl.seal_without_allow_sealing_eperm,
//   fcntl.seal_allow_sealing_starts_empty MFD_NOEXEC_SEAL      memfd_create.noexec_seal_flag
//   MFD_EXEC             new memfd_create.exec_flag_overrides_noexec_default
// fcntl(2) seals on memfds
//   F_SEAL_SEAL          fcntl.seal_seal_locks_seal_set
//   F_SEAL_SHRINK        fcntl.seal_shrink_blocks_shrinking
//   F_SEAL_GROW          fcntl.seal_grow_blocks_growing
//   F_SEAL_WRITE         fcntl.seal_write_blocks_write_eperm
//   F_SEAL_FUTURE_WRITE  fcntl.seal_future_write_keeps_old_mapping
//   F_SEAL_EXEC          fcntl.seal_exec_blocks_chmod
// mincore(2) takes no flags.
//
// Hint advice (RANDOM, SEQUENTIAL, HUGEPAGE, MERGEABLE, ...) is observed where
// Linux records it, in the mapping's VmFlags in /proc/self/smaps (proc(5)):
// what the hint then does (readahead, huge pages, KSM merging) depends on the
// page cache, memory fragmentation and root's switches.
//
// Left out, and why:
//   MAP_HUGETLB, MAP_HUGE_*, MFD_HUGETLB, MFD_HUGE_*: need pages from the
//     host's huge page pool, which is empty unless root reserved some.
//   MAP_DENYWRITE, MAP_EXECUTABLE, MAP_FILE: ignored by Linux (nothing to see).
//   MAP_UNINITIALIZED: honoured only by no-MMU kernels built with
//     CONFIG_MMAP_ALLOW_UNINITIALIZED; ignored elsewhere.
//   MAP_SYNC's synchronous page faults: need a file on a DAX device; only
//     the refusal elsewhere is tested.
//   PROT_SEM: accepted and without effect on every architecture
//     (mprotect.prot_sem_accepted).
//   PROT_GROWSUP: no architecture this suite runs on has mappings that grow
//     up; it is EINVAL (mprotect.invalid_prot_einval).
//   MADV_WILLNEED: starts asynchronous readahead or swap-in; whether the
//     pages arrive by any given moment is the I/O's affair (and tmpfs has no
//     readahead at all).
//   MADV_COLLAPSE: succeeds only when a free huge page can be found, which
//     memory fragmentation decides.
//   MADV_HWPOISON, MADV_SOFT_OFFLINE: poison or offline host memory
//     (CAP_SYS_ADMIN); unsafe on a shared machine.
//   MS_ASYNC: a no-op since Linux 2.6.19 (the kernel tracks dirty pages and
//     writes them back on its own schedule): nothing differs from flags 0.
#include "harness/test.hpp"
#include "rt/sys_cachestat.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "rt/sys_system.hpp"
#include "rt/sys_x86.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

using namespace mm::mmap_shorthands;

namespace {

// What /proc/self/smaps says of the mapping that contains an address.
struct Vma {
    u64 start, end, offset;  // the range, and the file offset of start
    char flags[160];         // VmFlags: two-letter names, each followed by a space
    long referenced_kb;      // Referenced: what was accessed lately, in KiB
};

bool starts_with(const char* s, const char* prefix) {
    while (*prefix)
        if (*s++ != *prefix++) return false;
    return true;
}

u64 parse_hex(const char*& s) {
    u64 v = 0;
    for (;; ++s) {
        char c = *s;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return v;
        v = v * 16 + u64(d);
    }
}

struct SmapsScan {
    u64 addr;
    Vma* vma;
    bool in, found;
};

// One line of /proc/self/smaps: a mapping's header ("start-end perms offset
// dev inode path") or one of its fields ("Referenced:   8 kB").
void scan_smaps_line(SmapsScan& sc, const char* line) {
    char c = line[0];
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
        const char* s = line;
        u64 start = parse_hex(s);
        if (*s++ != '-') return;
        u64 end = parse_hex(s);
        s += 6;  // " rwxp "
        u64 offset = parse_hex(s);
        sc.in = sc.addr >= start && sc.addr < end;
        if (sc.in) {
            sc.found = true;
            *sc.vma = Vma{start, end, offset, {}, -1};
        }
    } else if (sc.in && starts_with(line, "VmFlags:")) {
        const char* s = line + 8;
        usize n = 0;
        while (*s && n + 1 < sizeof sc.vma->flags) sc.vma->flags[n++] = *s++;
        sc.vma->flags[n] = 0;
    } else if (sc.in && starts_with(line, "Referenced:")) {
        long kb = 0;
        for (const char* s = line + 11; *s; ++s)
            if (*s >= '0' && *s <= '9') kb = kb * 10 + (*s - '0');
        sc.vma->referenced_kb = kb;
    }
}

// Reads the mapping that contains addr from /proc/self/smaps (in the test
// process: it skips without /proc).
Vma vma_of(const void* addr) {
    kc::Fd fd(sys::openat(AT_FDCWD, "/proc/self/smaps", O_RDONLY | O_CLOEXEC));
    if (!fd.ok()) kc::skip("needs /proc/self/smaps (proc(5)) to see a mapping's flags");
    Vma v{};
    SmapsScan sc{reinterpret_cast<u64>(addr), &v, false, false};
    char buf[2048], line[256];
    usize len = 0;
    for (long n; (n = sys::read(fd, buf, sizeof buf)) > 0;) {
        for (long i = 0; i < n; ++i) {
            if (buf[i] != '\n') {
                if (len + 1 < sizeof line) line[len++] = buf[i];
                continue;
            }
            line[len] = 0;
            scan_smaps_line(sc, line);
            len = 0;
        }
    }
    if (!sc.found) ADD_FAILURE("no mapping in /proc/self/smaps contains the address");
    return v;
}

// The VmFlags of v include `name` ("sr", "dd", ...).
bool has_vmflag(const Vma& v, const char* name) {
    for (const char* s = v.flags; *s; ++s)
        if (s[0] == name[0] && s[1] == name[1] && (s[2] == ' ' || s[2] == 0) &&
            (s == v.flags || s[-1] == ' '))
            return true;
    return false;
}

// In a child: binds it to the CPU it runs on. Reclaim on request
// (MADV_PAGEOUT) drains only this CPU's batches of pages on their way to the
// LRU lists; a page that faulted in, or was marked free, on another CPU may
// still sit in that CPU's batch, out of reclaim's reach.
void pin_to_this_cpu() {
    unsigned cpu = 0;
    u64 mask[16] = {};
    if (sys::getcpu(&cpu, nullptr) != 0 || cpu >= 1024) sys::exit_group(mm::kSkipStatus);
    mask[cpu / 64] = u64(1) << (cpu % 64);
    if (sys::sched_setaffinity(0, sizeof mask, mask) != 0) sys::exit_group(mm::kSkipStatus);
}
constexpr const char* kNoPin = "cannot bind a process to one CPU (sched_setaffinity)";

// A function to run from a second mapping of this binary's own code, so that
// no instruction bytes of any architecture need to be written here. It
// computes without touching memory, so it runs the same at any address.
[[gnu::noinline, gnu::used]] int exec_probe(int x) { return 3 * x + 1; }
constexpr int kProbeArg = 5, kProbeResult = 16;

// Maps the two pages of this binary's file that hold exec_probe (it may end
// on the second) privately with `prot`, at *map; returns where the copy of
// exec_probe is.
const void* map_exec_probe(int prot, u8** map) {
    mm::need_4k_pages();
    u64 fn = reinterpret_cast<u64>(&exec_probe);
    Vma text = vma_of(reinterpret_cast<void*>(fn));
    kc::Fd exe(sys::openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC));
    if (!exe.ok()) kc::skip("needs /proc/self/exe to map this binary's code a second time");
    u64 off = text.offset + (fn - text.start);
    u64 page = off & ~u64(P - 1);
    long r = sys::mmap(nullptr, 2 * P, prot, MAP_PRIVATE, exe, long(page));
    ASSERT_OK(r);
    *map = ptr(r);
    return ptr(r) + (off - page);
}

}  // namespace

// mmap(2) PROT_EXEC, POSIX: "Data can be executed"; without it the pages may
// not be (SIGSEGV with SEGV_ACCERR at the instruction's address, Linux on
// every CPU with no-execute pages, which all three architectures have). The
// code is this binary's own, mapped a second time from /proc/self/exe.
TEST(mmap, prot_exec_runs_code, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* m = nullptr;
    const void* fn = map_exec_probe(PROT_READ | PROT_EXEC, &m);
    kc::Mapping exec_map(m, 2 * P);
    EXPECT_EQ(mm::call(fn, kProbeArg), kProbeResult);
    const void* fn2 = map_exec_probe(PROT_READ, &m);
    kc::Mapping read_map(m, 2 * P);
    EXPECT_EQ(mm::call(fn2, kProbeArg), mm::kSegvAccerr);
}

// mprotect(2) PROT_EXEC: adding it lets the code run, taking it away again
// makes the call SIGSEGV (SEGV_ACCERR) at the function's address.
TEST(mprotect, prot_exec_toggles_execution, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* m = nullptr;
    const void* fn = map_exec_probe(PROT_READ, &m);
    kc::Mapping guard(m, 2 * P);
    EXPECT_EQ(mm::call(fn, kProbeArg), mm::kSegvAccerr);
    ASSERT_OK(sys::mprotect(m, 2 * P, PROT_READ | PROT_EXEC));
    EXPECT_EQ(mm::call(fn, kProbeArg), kProbeResult);
    ASSERT_OK(sys::mprotect(m, 2 * P, PROT_READ));
    EXPECT_EQ(mm::call(fn, kProbeArg), mm::kSegvAccerr);
}

// mmap(2) MAP_NONBLOCK: "meaningful only in conjunction with MAP_POPULATE
// ... Since Linux 2.6.23, this flag causes MAP_POPULATE to do nothing": no
// page of the mapping is resident (mincore), where MAP_POPULATE alone makes
// every one resident.
TEST(mmap, nonblock_cancels_populate, POSITIVE, LINUX) {
    long a = sys::mmap(nullptr, 4 * P, RW, ANON | MAP_POPULATE | MAP_NONBLOCK, -1, 0);
    ASSERT_OK(a);
    kc::Mapping ga(ptr(a), 4 * P);
    long b = sys::mmap(nullptr, 4 * P, RW, ANON | MAP_POPULATE, -1, 0);
    ASSERT_OK(b);
    kc::Mapping gb(ptr(b), 4 * P);
    EXPECT_EQ(mm::resident(ptr(a), 4), 0);
    EXPECT_EQ(mm::resident(ptr(b), 4), 4);
}

// mmap(2) MAP_NORESERVE: "Do not reserve swap space for this mapping";
// proc(5): "In mode 0, calls of mmap(2) with MAP_NORESERVE are not checked".
// Mode 0's check (mm/util.c __vm_enough_memory) refuses a private writable
// mapping larger than RAM and swap together with ENOMEM; with MAP_NORESERVE
// the same length is mapped.
TEST(mmap, noreserve_escapes_overcommit_heuristic, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long mode = common::proc_number("/proc/sys/vm/overcommit_memory");
    if (mode < 0) kc::skip("cannot read /proc/sys/vm/overcommit_memory");
    if (mode != 0)
        kc::skip("needs vm.overcommit_memory 0: only its heuristic refuses one large mapping");
    struct sysinfo si {};
    ASSERT_OK(sys::sysinfo(&si));
    static usize len;
    len = 2 * (si.totalram + si.totalswap) * si.mem_unit;
    len = (len + P - 1) & ~(P - 1);
    if (len >= usize(1) << 46) kc::skip("twice this machine's memory exceeds a user address space");
    static u64 room;
    usize now = mm::mapped_pages();
    room = now == ~usize(0) ? RLIM_INFINITY : len + (now + 16384) * P;
    mm::need_rlimit(RLIMIT_AS, "RLIMIT_AS", room);
    mm::need_rlimit(RLIMIT_DATA, "RLIMIT_DATA", room);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_AS, room));
            ASSERT_OK(mm::raise_soft_rlimit(RLIMIT_DATA, room));
            EXPECT_ERR(sys::mmap(nullptr, len, RW, ANON, -1, 0), ENOMEM);
            long r = sys::mmap(nullptr, len, RW, ANON | MAP_NORESERVE, -1, 0);
            if (EXPECT_OK(r)) {
                ptr(r)[len / 2] = 1;
                EXPECT_OK(sys::munmap(ptr(r), len));
            }
        },
        nullptr, "");
}

// mmap(2) MAP_STACK: "This flag is currently a no-op on Linux", says the
// man page; since Linux 6.7 (include/linux/mman.h, calc_vm_flag_bits) it
// keeps transparent huge pages out of the mapping, as MADV_NOHUGEPAGE does,
// which /proc/self/smaps shows as VmFlags "nh" (proc(5)); a mapping made
// without it has no "nh". Linux wins.
TEST(mmap, stack_flag_refuses_huge_pages, POSITIVE, LINUX) {
    if (kc::linux_before(6, 7)) kc::skip("MAP_STACK changes nothing before Linux 6.7");
    long s = sys::mmap(nullptr, 2 * P, RW, ANON | MAP_STACK, -1, 0);
    ASSERT_OK(s);
    kc::Mapping gs(ptr(s), 2 * P);
    long n = sys::mmap(nullptr, 2 * P, RW, ANON, -1, 0);
    ASSERT_OK(n);
    kc::Mapping gn(ptr(n), 2 * P);
    EXPECT_TRUE(has_vmflag(vma_of(ptr(s)), "nh"));
    EXPECT_TRUE(!has_vmflag(vma_of(ptr(n)), "nh"));
}

// mmap(2) MAP_SYNC: "supported only for files supporting DAX ... For other
// files, creating a mapping with this flag results in an EOPNOTSUPP error"
// (a memfd never has DAX); "mappings of type MAP_SHARED will silently ignore
// this flag", so with plain MAP_SHARED the mapping is made.
TEST(mmap, sync_without_dax_eopnotsupp, NEGATIVE, LINUX) {
    kc::Fd fd(sys::memfd_create("kc_map_sync", MFD_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_OK(sys::ftruncate(fd, long(P)));
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0), EOPNOTSUPP);
    long r = sys::mmap(nullptr, P, RW, MAP_SHARED | MAP_SYNC, fd, 0);
    if (EXPECT_OK(r)) EXPECT_OK(sys::munmap(ptr(r), P));
}

// mmap(2) MAP_32BIT: "Put the mapping into the first 2 Gigabytes of the
// process address space. This flag is supported only on x86-64". (Without
// it x86-64 Linux maps top-down from near 128 TiB, but nothing promises
// that: UML and valgrind place plain mappings below 2 GiB too.)
TEST(mmap, map_32bit_below_2gib, POSITIVE, LINUX) {
    if (__builtin_strcmp(KC_ARCH_NAME, "x86_64") != 0) kc::skip("MAP_32BIT exists on x86-64 only");
    long r = sys::mmap(nullptr, 2 * P, RW, ANON | MAP_32BIT, -1, 0);
    ASSERT_OK(r);
    kc::Mapping low(ptr(r), 2 * P);
    EXPECT_LE(u64(r) + 2 * P, u64(1) << 31);
}

// mmap(2) MAP_DROPPABLE (Linux 6.11; linux/mman.h: "Zero memory under memory
// pressure"): reclaim may drop its pages even after they were written, and
// then they read as zeros (not in man-pages 6.03). MADV_PAGEOUT reclaims on
// request: a droppable page goes, a MAP_PRIVATE page written the same way
// stays (kept, or written to swap and read back).
TEST(mmap, droppable_pages_dropped_by_pageout, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(6, 11)) kc::skip("needs MAP_DROPPABLE: Linux 6.11");
    mm::run_in_child(
        [](void*) {
            pin_to_this_cpu();
            long r = sys::mmap(nullptr, 2 * P, RW, MAP_DROPPABLE | MAP_ANONYMOUS, -1, 0);
            ASSERT_OK(r);
            u8* d = ptr(r);
            sys::madvise(d, 2 * P, MADV_NOHUGEPAGE);
            u8* p = mm::map_small_pages(2);
            mm::fill(d, 2 * P, 1);
            mm::fill(p, 2 * P, 2);
            // Reclaim skips a page someone else holds a reference to for the
            // moment (compaction, a GUP walk): asked three times at most.
            for (int i = 0; i < 3 && !mm::all_zero(d, 2 * P); ++i)
                ASSERT_OK(sys::madvise(d, 2 * P, MADV_PAGEOUT));
            EXPECT_TRUE(mm::all_zero(d, 2 * P));
            ASSERT_OK(sys::madvise(p, 2 * P, MADV_PAGEOUT));
            EXPECT_TRUE(mm::has_pattern(p, 2 * P, 2));
        },
        nullptr, kNoPin);
}

// madvise(2) MADV_FREE: "The kernel can thus free these pages, but the
// freeing could be delayed until memory pressure occurs", after which they
// read as zeros; "the free operation will be canceled if the caller writes
// into the page". MADV_PAGEOUT ("Reclaim a given range of pages") is that
// pressure: page 0 (freed) goes; page 1 (freed, then one byte written) and
// page 2 (never freed) keep their data.
TEST(madvise, free_pages_dropped_by_pageout, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(5, 4)) kc::skip("needs MADV_PAGEOUT: Linux 5.4");
    mm::run_in_child(
        [](void*) {
            pin_to_this_cpu();
            u8* p = mm::map_small_pages(3);
            for (int k = 0; k < 3; ++k) mm::fill(p + k * P, P, u8(1 + k));
            ASSERT_OK(sys::madvise(p, 2 * P, MADV_FREE));
            p[2 * P - 1] = 0xab;
            ASSERT_OK(sys::madvise(p, 3 * P, MADV_PAGEOUT));
            // As above: a page held for the moment is skipped; ask again.
            for (int i = 0; i < 2 && !mm::all_zero(p, P); ++i) {
                ASSERT_OK(sys::madvise(p, P, MADV_FREE));
                ASSERT_OK(sys::madvise(p, P, MADV_PAGEOUT));
            }
            EXPECT_TRUE(mm::all_zero(p, P));
            EXPECT_TRUE(mm::has_pattern(p + P, P - 1, 2));
            EXPECT_EQ(p[2 * P - 1], 0xab);
            EXPECT_TRUE(mm::has_pattern(p + 2 * P, P, 3));
        },
        nullptr, kNoPin);
}

// madvise(2) MADV_COLD: "Deactivate a given range of pages ... This is a
// nondestructive operation": the pages lose their accessed marks, so
// /proc/self/smaps counts none of them as Referenced (proc(5)), where pages
// of another mapping written the same way stay referenced; the data stays.
TEST(madvise, cold_clears_referenced, POSITIVE, LINUX) {
    if (kc::linux_before(5, 4)) kc::skip("needs MADV_COLD: Linux 5.4");
    u8* w = mm::map_small_pages(5);
    kc::Mapping guard(w, 5 * P);
    ASSERT_OK(sys::munmap(w + 2 * P, P));  // two mappings: [0, 2) and [3, 5)
    mm::fill(w, 2 * P, 1);
    mm::fill(w + 3 * P, 2 * P, 2);
    ASSERT_OK(sys::madvise(w, 2 * P, MADV_COLD));
    EXPECT_EQ(vma_of(w).referenced_kb, 0);
    // Memory pressure may age the other mapping too: touched again just
    // before it is read, three times at most.
    long other = 0;
    for (int i = 0; i < 3 && other != long(2 * P / 1024); ++i) {
        mm::fill(w + 3 * P, 2 * P, 2);
        other = vma_of(w + 3 * P).referenced_kb;
    }
    EXPECT_EQ(other, long(2 * P / 1024));
    EXPECT_TRUE(mm::has_pattern(w, 2 * P, 1));
}

struct RecordedAdvice {
    const char* label;
    int advice;
    const char* vmflag;  // proc(5)'s name of the flag the advice sets
    int undo;            // the advice that clears it again
    const char* needs;   // the skip reason when the kernel lacks it (EINVAL), or nullptr
};
constexpr RecordedAdvice kRecorded[] = {
    {"SEQUENTIAL", MADV_SEQUENTIAL, "sr", MADV_NORMAL, nullptr},
    {"RANDOM", MADV_RANDOM, "rr", MADV_NORMAL, nullptr},
    {"DONTDUMP", MADV_DONTDUMP, "dd", MADV_DODUMP, nullptr},
    {"HUGEPAGE", MADV_HUGEPAGE, "hg", MADV_NOHUGEPAGE,
     "needs transparent huge pages (MADV_HUGEPAGE: EINVAL)"},
    {"NOHUGEPAGE", MADV_NOHUGEPAGE, "nh", MADV_HUGEPAGE,
     "needs transparent huge pages (MADV_NOHUGEPAGE: EINVAL)"},
    {"MERGEABLE", MADV_MERGEABLE, "mg", MADV_UNMERGEABLE,
     "needs KSM (CONFIG_KSM; MADV_MERGEABLE: EINVAL)"},
};

// madvise(2): advice about how memory will be used (access pattern, core
// dumps, huge pages, merging) is kept with the mapping: /proc/self/smaps
// shows it in VmFlags (proc(5): sr, rr, dd, hg, nh, mg) for the advised
// pages only, the mapping split around them; the opposite advice (NORMAL,
// DODUMP, NOHUGEPAGE/HUGEPAGE, UNMERGEABLE) clears it.
TEST_P(madvise, advice_recorded_in_vmflags, POSITIVE, LINUX, kRecorded) {
    u8* p = mm::map(3);
    kc::Mapping guard(p, 3 * P);
    long r = sys::madvise(p + P, P, row.advice);
    if (r == -EINVAL && row.needs) kc::skip(row.needs);
    ASSERT_OK(r);
    Vma mid = vma_of(p + P);
    EXPECT_TRUE(has_vmflag(mid, row.vmflag));
    EXPECT_EQ(mid.start, u64(p + P));
    EXPECT_EQ(mid.end, u64(p + 2 * P));
    EXPECT_TRUE(!has_vmflag(vma_of(p), row.vmflag));
    EXPECT_TRUE(!has_vmflag(vma_of(p + 2 * P), row.vmflag));
    ASSERT_OK(sys::madvise(p + P, P, row.undo));
    EXPECT_TRUE(!has_vmflag(vma_of(p + P), row.vmflag));
}

// madvise(2) MADV_KEEPONFORK: "Undo the effect of an earlier
// MADV_WIPEONFORK": of two pages marked wipe-on-fork, the one given
// KEEPONFORK reaches the child with its data, the other as zeros.
TEST(madvise, keeponfork_undoes_wipeonfork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2);
    kc::Mapping guard(p, 2 * P);
    mm::fill(p, P, 5);
    mm::fill(p + P, P, 6);
    ASSERT_OK(sys::madvise(p, 2 * P, MADV_WIPEONFORK));
    ASSERT_OK(sys::madvise(p, P, MADV_KEEPONFORK));
    long pid = kc::spawn(
        [](void* a) {
            u8* q = static_cast<u8*>(a);
            EXPECT_TRUE(mm::has_pattern(q, P, 5));
            EXPECT_TRUE(mm::all_zero(q + P, P));
        },
        p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p + P, P, 6));
}

// madvise(2) MADV_DONTNEED_LOCKED (Linux 5.18, mm/madvise.c; not in
// man-pages 6.03): MADV_DONTNEED that also takes locked pages. MADV_DONTNEED
// refuses a locked range ("EINVAL advice is MADV_DONTNEED ... and the
// specified address range includes locked ... pages") and the data stays;
// MADV_DONTNEED_LOCKED drops it, and the page reads as zeros.
TEST(madvise, dontneed_locked_drops_locked_pages, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(5, 18)) kc::skip("needs MADV_DONTNEED_LOCKED: Linux 5.18");
    mm::run_in_child(
        [](void*) {
            mm::need_lock_budget(2);
            u8* p = mm::map(2);
            mm::fill(p, P, 7);
            mm::fill(p + P, P, 8);
            ASSERT_OK(sys::mlock(p, 2 * P));
            EXPECT_ERR(sys::madvise(p, P, MADV_DONTNEED), EINVAL);
            EXPECT_TRUE(mm::has_pattern(p, P, 7));
            EXPECT_OK(sys::madvise(p, P, MADV_DONTNEED_LOCKED));
            EXPECT_TRUE(mm::all_zero(p, P));
            EXPECT_TRUE(mm::has_pattern(p + P, P, 8));
        },
        nullptr, "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK of at least 2 pages");
}

struct PopulateRow {
    const char* label;
    int advice;
    bool sees_file;  // a later write to the file shows in the mapping
};
constexpr PopulateRow kPopulateCow[] = {{"POPULATE_READ", MADV_POPULATE_READ, true},
                                        {"POPULATE_WRITE", MADV_POPULATE_WRITE, false}};

// madvise(2) MADV_POPULATE_WRITE: "Populate (prefault) page tables writable,
// faulting in all pages in the range just as if manually writing to each
// ... page": in a private file mapping that breaks copy-on-write, so a later
// pwrite to the file no longer shows in the mapping. MADV_POPULATE_READ
// ("as if manually reading") leaves the file's own pages mapped: it shows.
TEST_P(madvise, populate_private_file_copy_on_write, POSITIVE, LINUX, kPopulateCow,
       .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(mm::make_file("f", P, 1));
    long r = sys::mmap(nullptr, P, RW, MAP_PRIVATE, fd, 0);
    ASSERT_OK(r);
    kc::Mapping guard(ptr(r), P);
    ASSERT_OK(sys::madvise(ptr(r), P, row.advice));
    u8 buf[64];
    mm::fill(buf, sizeof buf, 9);
    ASSERT_RET(sys::pwrite64(fd, buf, sizeof buf, 0), long(sizeof buf));
    EXPECT_TRUE(mm::has_pattern(ptr(r), sizeof buf, row.sees_file ? 9 : 1));
}

// madvise(2) MADV_GUARD_INSTALL (Linux 6.13, mm/madvise.c; not in man-pages
// 6.03): the pages become a guard region: any access is SIGSEGV (SEGV_MAPERR
// at the address), though the range stays mapped (msync finds it); the page
// beside it is untouched.
TEST(madvise, guard_install_faults_access, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(6, 13)) kc::skip("needs MADV_GUARD_INSTALL: Linux 6.13");
    u8* p = mm::map(2);
    kc::Mapping guard(p, 2 * P);
    mm::fill(p, 2 * P, 3);
    EXPECT_EQ(mm::touch(p + 8, false), 0);
    ASSERT_OK(sys::madvise(p, P, MADV_GUARD_INSTALL));
    EXPECT_EQ(mm::touch(p + 8, false), mm::kSegvMaperr);
    EXPECT_EQ(mm::touch(p + 8, true), mm::kSegvMaperr);
    EXPECT_OK(sys::msync(p, P, MS_ASYNC));
    EXPECT_EQ(mm::touch(p + P + 8, true), 0);
}

// madvise(2) MADV_GUARD_REMOVE (Linux 6.13): the guard region is gone and
// the pages can be accessed again; installing the guard dropped what they
// held, so they read as zeros.
TEST(madvise, guard_remove_restores_access, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(6, 13)) kc::skip("needs MADV_GUARD_INSTALL: Linux 6.13");
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    mm::fill(p, P, 4);
    ASSERT_OK(sys::madvise(p, P, MADV_GUARD_INSTALL));
    ASSERT_EQ(mm::touch(p + 8, false), mm::kSegvMaperr);
    ASSERT_OK(sys::madvise(p, P, MADV_GUARD_REMOVE));
    ASSERT_EQ(mm::touch(p + 8, true), 0);
    EXPECT_TRUE(mm::all_zero(p, P));
}

// msync(2) MS_SYNC: "Requests an update and waits for it to complete": a
// page dirtied through a shared file mapping is written back before the call
// returns, so cachestat(2) counts nothing dirty or under writeback in the
// file afterwards (Linux ignores MS_ASYNC: the page would stay dirty until
// the kernel's own writeback). tmpfs and overlayfs keep no such counts here.
TEST(msync, sync_writes_back_dirty_pages, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(mm::make_file("f", 2 * P, 1));
    cachestat_range all{0, 0};
    struct cachestat cs {};
    if (sys::cachestat(-1, &all, &cs, 0) == -ENOSYS)
        kc::skip("needs cachestat(2) to count dirty pages: Linux 6.5");
    common::skip_on_overlayfs(fd, "cachestat needs the file's own page cache");
    struct statfs sf {};
    ASSERT_OK(sys::fstatfs(fd, &sf));
    if (sf.f_type == TMPFS_MAGIC) kc::skip("the scratch file system is tmpfs: no dirty pages");
    ASSERT_OK(sys::fsync(fd));
    long r = sys::mmap(nullptr, 2 * P, RW, MAP_SHARED, fd, 0);
    ASSERT_OK(r);
    kc::Mapping guard(ptr(r), 2 * P);
    // The kernel's own writeback may clean the page at any moment: stored
    // again until it is seen dirty, three times at most.
    for (int i = 0; i < 3 && cs.nr_dirty == 0; ++i) {
        ptr(r)[P + 5] = u8(0x40 + i);
        ASSERT_OK(sys::cachestat(fd, &all, &cs, 0));
    }
    if (cs.nr_dirty == 0) kc::skip("the scratch file system counts no dirty pages");
    ASSERT_OK(sys::msync(ptr(r), 2 * P, MS_SYNC));
    ASSERT_OK(sys::cachestat(fd, &all, &cs, 0));
    EXPECT_EQ(cs.nr_dirty, 0u);
    EXPECT_EQ(cs.nr_writeback, 0u);
}

// mlockall(2) MCL_FUTURE | MCL_ONFAULT: later mappings are locked, but their
// pages only as they are first touched: a new mapping has no resident page
// until then (MCL_FUTURE alone faults it all in), and it still counts
// against RLIMIT_MEMLOCK: one beyond the limit is EAGAIN.
TEST(mlockall, future_onfault_defers_population, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_rlimit(RLIMIT_MEMLOCK, "RLIMIT_MEMLOCK", 8 * P);
    mm::run_in_child(
        [](void*) {
            ASSERT_OK(mm::set_soft_rlimit(RLIMIT_MEMLOCK, 8 * P));
            mm::drop_privilege();
            ASSERT_OK(sys::mlockall(MCL_FUTURE | MCL_ONFAULT));
            EXPECT_ERR(sys::mmap(nullptr, 16 * P, RW, ANON, -1, 0), EAGAIN);
            u8* p = mm::map_small_pages(4);
            EXPECT_EQ(mm::resident(p, 4), 0);
            p[P] = 1;
            EXPECT_EQ(mm::resident(p, 4), 1);
            ASSERT_OK(sys::mlockall(MCL_FUTURE));
            u8* q = mm::map(2);
            EXPECT_EQ(mm::resident(q, 2), 2);
        },
        nullptr, "the kernel refuses to drop capabilities");
}

namespace {

// In the child of exec_flag_overrides_noexec_default, once the pid
// namespace's vm.memfd_noexec is 1: a plain memfd is MFD_NOEXEC_SEAL (mode
// 0666, F_SEAL_EXEC), one made with MFD_EXEC is executable and unsealed.
void compare_exec_flag(void*) {
    kc::Fd plain(sys::memfd_create("kc_plain", MFD_CLOEXEC));
    kc::Fd exec(sys::memfd_create("kc_exec", MFD_CLOEXEC | MFD_EXEC));
    ASSERT_OK(plain.get());
    ASSERT_OK(exec.get());
    arch::Stat st{};
    ASSERT_OK(sys::fstat(plain, &st));
    EXPECT_EQ(st.st_mode & 0777, 0666u);
    EXPECT_EQ(sys::fcntl(plain, F_GET_SEALS), F_SEAL_EXEC);
    ASSERT_OK(sys::fstat(exec, &st));
    EXPECT_EQ(st.st_mode & 0777, 0777u);
    EXPECT_EQ(sys::fcntl(exec, F_GET_SEALS), F_SEAL_SEAL);
}

// The first process of a new pid namespace: raises the namespace's
// vm.memfd_noexec to 1 (never lowered, never anyone else's: it checks that
// it is pid 1 there first), then compares.
void in_new_pid_namespace(void*) {
    if (sys::getpid() != 1) {
        ADD_FAILURE("unshare(CLONE_NEWPID) succeeded, but the child is not pid 1");
        return;
    }
    if (!common::write_proc("/proc/sys/vm/memfd_noexec", "1")) sys::exit_group(mm::kSkipStatus);
    compare_exec_flag(nullptr);
}

}  // namespace

// memfd_create(2) MFD_EXEC (Linux 6.3): the file is executable (mode 0777)
// and not sealed against exec even where vm.memfd_noexec is 1, which makes
// a plain memfd_create act as MFD_NOEXEC_SEAL (Documentation/admin-guide/
// sysctl/vm.rst). Under the default 0 the two are alike
// (memfd_create.exec_flag_mode), so the test raises the sysctl, which is per
// pid namespace, in a new pid namespace of its own: that takes CAP_SYS_ADMIN
// and global root's write access to /proc/sys, and changes nothing outside.
TEST(memfd_create, exec_flag_overrides_noexec_default, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    if (kc::linux_before(6, 3)) kc::skip("needs MFD_EXEC and vm.memfd_noexec: Linux 6.3");
    long policy = common::proc_number("/proc/sys/vm/memfd_noexec");
    if (policy < 0) kc::skip("cannot read /proc/sys/vm/memfd_noexec");
    if (policy == 2) kc::skip("vm.memfd_noexec=2 refuses MFD_EXEC");
    if (policy == 1) {
        common::in_child(compare_exec_flag);
        return;
    }
    mm::run_in_child(
        [](void*) {
            if (sys::unshare(CLONE_NEWPID) != 0) sys::exit_group(mm::kSkipStatus);
            long pid = kc::spawn(in_new_pid_namespace, nullptr);
            ASSERT_OK(pid);
            if (common::exited_with(pid, mm::kSkipStatus)) {
                kc::wait_status(pid);
                sys::exit_group(mm::kSkipStatus);
            }
            EXPECT_CHILD_OK(pid);
        },
        nullptr,
        "needs vm.memfd_noexec 1 in a new pid namespace: CAP_SYS_ADMIN and write access to "
        "/proc/sys (global root)");
}
