// SPDX-License-Identifier: MIT
// mprotect(2): protection is enforced (SIGSEGV with SEGV_ACCERR and the exact
// si_addr; SEGV_MAPERR for an unmapped page), upgrades keep data, whole pages
// are affected, file permissions limit PROT_WRITE on shared mappings,
// PROT_GROWSDOWN, and the EINVAL/ENOMEM/EACCES cases; 10,000 split/merge
// cycles.
// Left out: memory protection keys (pkey_mprotect; hardware-dependent).
// PROT_EXEC is in mm_flags.cpp.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

struct Off {
    const char* label;
    long off;
};
constexpr Off kMisaligned[] = {{"addr+1", 1}, {"addr+2048", 2048}, {"addr+4095", 4095}};

}  // namespace

// mprotect(2), POSIX: a store to a page made read-only is SIGSEGV; the
// siginfo says SEGV_ACCERR (invalid permissions) with si_addr the address.
TEST(mprotect, read_only_store_sigsegv_accerr, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2);
    EXPECT_EQ(mm::touch(p + P + 123, true), 0);
    ASSERT_OK(sys::mprotect(p + P, P, PROT_READ));
    EXPECT_EQ(mm::touch(p + P + 123, true), mm::kSegvAccerr);
    EXPECT_EQ(mm::touch(p + P + 123, false), 0);
    EXPECT_EQ(mm::touch(p + 5, true), 0);  // the other page is unchanged
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Rw {
    const char* label;
    bool write;
};
constexpr Rw kAccesses[] = {{"read", false}, {"write", true}};

// mprotect(2) PROT_NONE: any access is SIGSEGV/SEGV_ACCERR at the address.
TEST_P(mprotect, none_access_sigsegv_accerr, NEGATIVE, PSE53, kAccesses, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    ASSERT_OK(sys::mprotect(p, P, PROT_NONE));
    EXPECT_EQ(mm::touch(p + P - 8, row.write), mm::kSegvAccerr);
    EXPECT_OK(sys::munmap(p, P));
}

// SIGSEGV, POSIX <signal.h>: an access to an address with no mapping has
// si_code SEGV_MAPERR (address not mapped to object) and si_addr the address.
TEST_P(mprotect, unmapped_access_sigsegv_maperr, NEGATIVE, PSE53, kAccesses,
       .flags = kc::NEEDS_FORK) {
    u8* h = mm::hole(1);
    EXPECT_EQ(mm::touch(h + 2000, row.write), mm::kSegvMaperr);
}

struct Upgrade {
    const char* label;
    int from;
};
constexpr Upgrade kUpgrades[] = {{"from_none", PROT_NONE}, {"from_read", PROT_READ}};

// mprotect(2): taking protection away and giving it back keeps the data;
// the pages are then writable again.
TEST_P(mprotect, upgrade_keeps_data, POSITIVE, PSE53, kUpgrades) {
    u8* p = mm::map(2);
    mm::fill(p, 2 * P, 9);
    ASSERT_OK(sys::mprotect(p, 2 * P, row.from));
    ASSERT_OK(sys::mprotect(p, 2 * P, RW));
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 9));
    mm::fill(p, 2 * P, 10);
    EXPECT_TRUE(mm::has_pattern(p, 2 * P, 10));
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mprotect(2): a read-only page still reads back what was stored before.
TEST(mprotect, read_only_keeps_data_readable, POSITIVE, PSE53) {
    u8* p = mm::map(1);
    mm::fill(p, P, 11);
    ASSERT_OK(sys::mprotect(p, P, PROT_READ));
    EXPECT_TRUE(mm::has_pattern(p, P, 11));
    EXPECT_OK(sys::munmap(p, P));
}

// mprotect(2), POSIX: the change applies to "whole pages containing any part
// of the address space" — len 1 protects the whole first page, not the next.
TEST(mprotect, partial_length_covers_whole_page, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2);
    ASSERT_OK(sys::mprotect(p, 1, PROT_READ));
    EXPECT_EQ(mm::touch(p + P - 1, true), mm::kSegvAccerr);
    EXPECT_EQ(mm::touch(p + P, true), 0);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mprotect(2), POSIX EINVAL: "The addr argument is not a multiple of the
// page size"; the protection is unchanged.
TEST_P(mprotect, unaligned_addr_einval, NEGATIVE, PSE53, kMisaligned) {
    u8* p = mm::map(2);
    EXPECT_ERR(sys::mprotect(p + row.off, P, PROT_READ), EINVAL);
    p[0] = 1;  // still writable
    p[P] = 1;
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Range {
    const char* label;
    int first;  // page offset from a 2-page mapping followed by a free page
    u64 len;    // in bytes
    u64 addr;   // nonzero: use this address instead
};
constexpr Range kNotMapped[] = {
    {"unmapped", 2, P, 0},           {"partly_unmapped", 1, 2 * P, 0},
    {"hole_before", -1, 2 * P, 0},   {"kernel_address", 0, P, 0xffff800000000000ull},
    {"len_wraps", 0, ~u64(4095), 0},
};

// mprotect(2), POSIX ENOMEM: "Addresses in the range [addr,addr+len) are
// invalid for the address space of a process, or specify one or more pages
// which are not mapped."
TEST_P(mprotect, unmapped_range_enomem, NEGATIVE, PSE53, kNotMapped) {
    u8* w = mm::map(4);
    ASSERT_OK(sys::munmap(w, P));
    ASSERT_OK(sys::munmap(w + 3 * P, P));
    u8* p = w + P;
    void* a = row.addr ? reinterpret_cast<void*>(row.addr) : p + row.first * long(P);
    EXPECT_ERR(sys::mprotect(a, row.len, PROT_READ), ENOMEM);
    EXPECT_OK(sys::munmap(w, 4 * P));
}

struct Prot {
    const char* label;
    int prot;
};
constexpr Prot kBadProts[] = {
    {"prot=0x1000", 0x1000 | PROT_READ},
    {"prot=0x80000000", int(0x80000000u) | PROT_READ},
    {"prot=-1", -1},
    {"growsdown_on_plain_mapping", PROT_GROWSDOWN | PROT_READ},
    {"growsup_on_plain_mapping", PROT_GROWSUP | PROT_READ},
    {"growsdown_and_growsup", PROT_GROWSDOWN | PROT_GROWSUP | PROT_READ},
};

// mprotect(2) EINVAL: "prot is invalid (e.g., it contains both PROT_GROWSUP
// and PROT_GROWSDOWN)"; Linux also rejects unknown bits, and PROT_GROWS*
// on a mapping that does not grow that way.
TEST_P(mprotect, invalid_prot_einval, NEGATIVE, LINUX, kBadProts) {
    u8* p = mm::map(1);
    EXPECT_ERR(sys::mprotect(p, P, row.prot), EINVAL);
    p[0] = 1;  // unchanged: still writable
    EXPECT_OK(sys::munmap(p, P));
}

struct Zero {
    const char* label;
    bool mapped;
    int prot;
};
constexpr Zero kZeroLen[] = {
    {"mapped", true, PROT_READ}, {"unmapped", false, PROT_READ}, {"invalid_prot", true, 0x1000}};

// mprotect(2): Linux returns 0 for len 0 before looking at the range or at
// prot (the man page lists no exception for len 0; Linux wins).
TEST_P(mprotect, zero_length_succeeds, BOUNDARY, LINUX, kZeroLen) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    EXPECT_OK(sys::mprotect(p, 0, row.prot));
    if (row.mapped) {
        p[0] = 1;  // unchanged: still writable
        EXPECT_OK(sys::munmap(p, P));
    }
}

// mprotect(2): PROT_SEM (memory usable for atomic operations) is accepted on
// every Linux architecture and changes nothing visible.
TEST(mprotect, prot_sem_accepted, BOUNDARY, LINUX) {
    u8* p = mm::map(1);
    EXPECT_OK(sys::mprotect(p, P, RW | PROT_SEM));
    p[1] = 2;
    EXPECT_EQ(p[1], 2);
    EXPECT_OK(sys::munmap(p, P));
}

// mprotect(2) PROT_GROWSDOWN: on a MAP_GROWSDOWN mapping the change extends
// down to the start of the mapping.
TEST(mprotect, growsdown_extends_to_mapping_start, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_4k_pages();
    long r = sys::mmap(nullptr, 4 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    ASSERT_OK(r);
    u8* p = reinterpret_cast<u8*>(r);
    p[0] = 7;
    EXPECT_OK(sys::mprotect(p + 3 * P, P, PROT_READ | PROT_GROWSDOWN));
    EXPECT_EQ(mm::touch(p + 8, true), mm::kSegvAccerr);
    EXPECT_EQ(p[0], 7);
    EXPECT_OK(sys::munmap(p, 4 * P));
}

struct FileCase {
    const char* label;
    int flags;
    long want;
};
constexpr FileCase kReadOnlyFile[] = {{"shared", MAP_SHARED, -EACCES}, {"private", MAP_PRIVATE, 0}};

// mprotect(2), POSIX EACCES: "The prot argument specifies a protection that
// violates the access permission the process has to the underlying memory
// object" — PROT_WRITE on a shared mapping of a read-only descriptor; a
// private mapping may become writable (copy-on-write).
TEST_P(mprotect, write_to_readonly_file_mapping, NEGATIVE, PSE53, kReadOnlyFile,
       .flags = kc::NEEDS_SCRATCH) {
    sys::close(mm::make_file("f", P, 1));
    int fd = mm::reopen("f", O_RDONLY);
    long r = sys::mmap(nullptr, P, PROT_READ, row.flags, fd, 0);
    sys::close(fd);
    ASSERT_OK(r);
    EXPECT_RET(sys::mprotect(reinterpret_cast<void*>(r), P, RW), row.want);
    EXPECT_OK(sys::munmap(reinterpret_cast<void*>(r), P));
}

// mprotect(2) after fork: the child's protection change does not reach the
// parent's address space.
TEST(mprotect, child_change_stays_in_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    mm::fill(p, P, 2);
    long pid = kc::spawn([](void* a) { EXPECT_OK(sys::mprotect(a, P, PROT_NONE)); }, p);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(mm::has_pattern(p, P, 2));
    p[0] = 3;
    EXPECT_OK(sys::munmap(p, P));
}

// mprotect(2): 10,000 rounds of protecting the middle page (splitting the
// mapping) and unprotecting it (merging again) keep the data and leak
// nothing.
TEST(mprotect, split_merge_10000_cycles, BOUNDARY, PSE53, .flags = kc::SLOW) {
    u8* p = mm::map(3);
    mm::fill(p, 3 * P, 12);
    for (int i = 0; i < 10000; ++i) {
        long a = sys::mprotect(p + P, P, PROT_READ);
        long b = sys::mprotect(p + P, P, RW);
        if (a || b) {
            EXPECT_OK(a), EXPECT_OK(b);
            break;
        }
    }
    EXPECT_TRUE(mm::has_pattern(p, 3 * P, 12));
    p[P] = 1;
    EXPECT_OK(sys::munmap(p, 3 * P));
    u8* q = mm::map(256);
    q[0] = 1;
    EXPECT_OK(sys::munmap(q, 256 * P));
}
