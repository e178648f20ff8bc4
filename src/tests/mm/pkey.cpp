// SPDX-License-Identifier: MIT
// pkey_alloc(2), pkey_free(2), pkey_mprotect(2): argument checks that hold
// with or without protection-key hardware (flags, access rights, keys never
// allocated, pkey -1 meaning plain mprotect), and, where the CPU has keys
// (x86 PKU, arm64 POE), allocation and release, exhaustion, and the access
// rights given to pkey_alloc enforced on a page tagged with the key
// (SIGSEGV with si_code SEGV_PKUERR).
// Left out: changing rights after allocation (WRPKRU or POR_EL0 needs
// per-architecture instructions; pkey_alloc's init value suffices here),
// si_pkey, execute-only keys (mprotect(PROT_EXEC) alone; needs code bytes),
// and the rights of other threads.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_pkey.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;
constexpr int kPkuFault = mm::kFault | mm::kSegv | SEGV_PKUERR;

// Skips when the kernel has no pkey calls at all (ENOSYS).
void need_pkey_calls(long r) {
    if (r == -ENOSYS)
        kc::skip_unimplemented(
            "pkey_alloc", "pkey_alloc: not implemented (ENOSYS; Linux 4.9+, x86 PKU/arm64 POE)");
}

// Skips unless this CPU and kernel hand out protection keys. Without them
// Linux fails a valid pkey_alloc(0, 0) with ENOSPC (x86: EINVAL the first
// time, as its one key 0 cannot take rights). The key is freed again.
void need_pkeys() {
    long k = sys::pkey_alloc(0, 0);
    need_pkey_calls(k);
    if (k == -ENOSPC || k == -EINVAL)
        kc::skip("needs memory protection keys: pkey_alloc(0, 0) fails (no PKU/POE in this CPU)");
    ASSERT_OK(k);
    ASSERT_OK(sys::pkey_free(int(k)));
}

void in_child(void (*fn)(void*)) { EXPECT_CHILD_OK(kc::spawn(fn, nullptr)); }

struct Ulong {
    const char* label;
    unsigned long v;
};

}  // namespace

constexpr Ulong kBadFlags[] = {
    {"flags=1", 1}, {"flags=0x80000000", 0x80000000}, {"flags=~0", ~0ul}};

// pkey_alloc(2): "EINVAL flags ... is invalid" (no flag is defined; checked
// before any key is looked for, so also without key hardware).
TEST_P(pkey_alloc, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    long r = sys::pkey_alloc(row.v, 0);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
}

constexpr Ulong kBadRights[] = {
    {"rights=0x10", 0x10}, {"rights=0x80000000", 0x80000000}, {"rights=~0", ~0ul}};

// pkey_alloc(2): "EINVAL ... access_rights is invalid": bits beyond the
// architecture's PKEY_DISABLE_* set (x86: 0x3, arm64: 0xf).
TEST_P(pkey_alloc, bad_access_rights_einval, NEGATIVE, LINUX, kBadRights) {
    long r = sys::pkey_alloc(0, row.v);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
}

// pkey_alloc(2)/pkey_free(2): a key is allocated (1 or more: key 0 is the
// default and always taken), freed once, and then is no longer allocated:
// a second pkey_free and pkey_mprotect with it fail with EINVAL.
TEST(pkey_alloc, free_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_pkeys();
    in_child([](void*) {
        long k = sys::pkey_alloc(0, 0);
        ASSERT_GT(k, 0);
        ASSERT_LT(k, 16);
        u8* p = mm::map(1);
        EXPECT_OK(sys::pkey_mprotect(p, P, RW, int(k)));
        EXPECT_OK(sys::pkey_free(int(k)));
        EXPECT_ERR(sys::pkey_free(int(k)), EINVAL);
        EXPECT_ERR(sys::pkey_mprotect(p, P, PROT_READ, int(k)), EINVAL);
    });
}

// pkey_alloc(2): "ENOSPC All protection keys available for the current
// process have been allocated"; keys handed out are distinct, and a freed
// key can be allocated again.
TEST(pkey_alloc, exhaustion_enospc, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    need_pkeys();
    in_child([](void*) {
        u32 seen = 0;
        long k = 0, last = -1;
        int n = 0;
        for (; n < 32 && (k = sys::pkey_alloc(0, 0)) >= 0; ++n) {
            ASSERT_GT(k, 0);
            ASSERT_LT(k, 32);
            EXPECT_EQ(seen & (1u << k), 0u);
            seen |= 1u << k;
            last = k;
        }
        EXPECT_ERR(k, ENOSPC);
        EXPECT_GE(n, 1);
        ASSERT_OK(sys::pkey_free(int(last)));
        EXPECT_RET(sys::pkey_alloc(0, 0), last);
    });
}

struct Key {
    const char* label;
    int key;
};
constexpr Key kBadKeys[] = {{"pkey=-1", -1},
                            {"pkey=16", 16},
                            {"pkey=INT_MAX", 0x7fffffff},
                            {"pkey=INT_MIN", -0x7fffffff - 1}};

// pkey_free(2): "EINVAL pkey ... is invalid": a key that was never
// allocated (negative, beyond any architecture's keys).
TEST_P(pkey_free, unallocated_einval, NEGATIVE, LINUX, kBadKeys) {
    long r = sys::pkey_free(row.key);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
}

constexpr Key kFreeKeys[] = {{"pkey=1", 1}, {"pkey=15", 15}};

// pkey_free(2) EINVAL: a key in the range the hardware could have (x86 PKU:
// 1-15, arm64 POE: 1-7) that this process never allocated cannot be freed
// (mm_pkey_is_allocated()); without key hardware there are no such keys at
// all. (The suite allocates keys only in children, so none is allocated
// here, in either isolation mode.)
TEST_P(pkey_free, never_allocated_in_range_einval, NEGATIVE, LINUX, kFreeKeys) {
    long r = sys::pkey_free(row.key);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
}

// pkey_free(2): the default key 0 belongs to every page that was never
// given another key; on hardware with keys it is allocated from the start
// and can be used with pkey_mprotect (mm_pkey_is_allocated()).
TEST(pkey_mprotect, default_key_zero_allowed, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_pkeys();
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    EXPECT_OK(sys::pkey_mprotect(p, P, PROT_READ, 0));
    EXPECT_EQ(mm::touch(p, true), mm::kSegvAccerr);
    EXPECT_EQ(mm::touch(p, false), 0);
}

// pkey_mprotect(2): "pkey_mprotect() with a pkey of -1 ... is the same as
// mprotect()": the protection applies (a store faults with SEGV_ACCERR,
// loads work), with or without key hardware.
TEST(pkey_mprotect, minus_one_is_mprotect, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    long r = sys::pkey_mprotect(p + P, P, PROT_READ, -1);
    need_pkey_calls(r);
    ASSERT_OK(r);
    EXPECT_EQ(mm::touch(p + P + 8, true), mm::kSegvAccerr);
    EXPECT_EQ(mm::touch(p + P + 8, false), 0);
    EXPECT_EQ(mm::touch(p + 8, true), 0);
    EXPECT_OK(sys::pkey_mprotect(p + P, P, RW, -1));
    EXPECT_EQ(mm::touch(p + P + 8, true), 0);
}

constexpr Key kNeverAllocated[] = {{"pkey=-2", -2},
                                   {"pkey=16", 16},
                                   {"pkey=INT_MAX", 0x7fffffff},
                                   {"pkey=INT_MIN", -0x7fffffff - 1}};

// pkey_mprotect(2): "EINVAL pkey has not been allocated with pkey_alloc()";
// the protection stays as it was.
TEST_P(pkey_mprotect, unallocated_key_einval, NEGATIVE, LINUX, kNeverAllocated,
       .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    long r = sys::pkey_mprotect(p, P, PROT_READ, row.key);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
    EXPECT_EQ(mm::touch(p, true), 0);
}

// pkey_mprotect(2) checks its address like mprotect(2): "EINVAL addr is not
// a valid pointer, or not a multiple of the system page size"; "ENOMEM
// Addresses in the range ... are not mapped".
TEST(pkey_mprotect, bad_range_errors, NEGATIVE, LINUX) {
    u8* p = mm::map(2);
    kc::Mapping m(p, 2 * P);
    ASSERT_OK(sys::munmap(p + P, P));  // a hole after the first page
    long r = sys::pkey_mprotect(p + 1, P, PROT_READ, -1);
    need_pkey_calls(r);
    EXPECT_ERR(r, EINVAL);
    EXPECT_ERR(sys::pkey_mprotect(p + P, P, PROT_READ, -1), ENOMEM);
    EXPECT_ERR(sys::pkey_mprotect(p, 2 * P, PROT_READ, -1), ENOMEM);
    EXPECT_ERR(sys::pkey_mprotect(p, P, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP, -1), EINVAL);
}

struct Rights {
    const char* label;
    unsigned long rights;
    int read, write;  // touch() results
};
constexpr Rights kRights[] = {
    {"rights=0", 0, 0, 0},
    {"PKEY_DISABLE_WRITE", PKEY_DISABLE_WRITE, 0, kPkuFault},
    {"PKEY_DISABLE_ACCESS", PKEY_DISABLE_ACCESS, kPkuFault, kPkuFault},
};

// pkey_alloc(2): access_rights "may contain zero or more disable
// operations": the calling thread gets them for the new key, and a page
// tagged with it by pkey_mprotect faults on the disabled accesses with
// SIGSEGV, si_code SEGV_PKUERR (pkeys(7)), although its protection is
// PROT_READ|PROT_WRITE. (The rights are per thread and inherited by fork,
// which mm::touch uses.)
TEST_P(pkey_mprotect, alloc_rights_enforced, POSITIVE, LINUX, kRights, .flags = kc::NEEDS_FORK) {
    need_pkeys();
    EXPECT_CHILD_OK(kc::spawn(
        [](void* a) {
            const Rights& r = *static_cast<const Rights*>(a);
            long k = sys::pkey_alloc(0, r.rights);
            ASSERT_GT(k, 0);
            u8* p = mm::map(2);
            ASSERT_OK(sys::pkey_mprotect(p + P, P, RW, int(k)));
            EXPECT_EQ(mm::touch(p + P + 64, false), r.read);
            EXPECT_EQ(mm::touch(p + P + 64, true), r.write);
            EXPECT_EQ(mm::touch(p + 64, true), 0);  // key 0: untouched
            // Back to the default key: the rights of key k no longer apply.
            ASSERT_OK(sys::pkey_mprotect(p + P, P, RW, 0));
            EXPECT_EQ(mm::touch(p + P + 64, true), 0);
        },
        const_cast<Rights*>(&row)));
}
