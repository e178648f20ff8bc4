// SPDX-License-Identifier: MIT
// getrandom(2): fills exactly `count` bytes (nothing past them), with every
// valid flag combination; unknown flags and GRND_RANDOM|GRND_INSECURE are
// EINVAL; count 0 returns 0 without touching the buffer; an unwritable
// buffer is EFAULT, and a buffer that becomes unwritable part-way gives a
// short count. Linux 6.x has no 32 MiB cap per call any more (that was
// /dev/urandom before 5.18): a call is cut at MAX_RW_COUNT (2 GiB - 4 KiB)
// like read(2), so a huge count with one mapped page returns 4096.
// Not covered: blocking before the CRNG is initialized (EAGAIN with
// GRND_NONBLOCK: untestable on a booted system), interruption by signals.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_system.hpp"
#include "tests/common/common_util.hpp"

namespace {

constexpr usize kPage = 4096;

// Two read-write pages followed by a PROT_NONE page; nullptr on failure. The
// hint asks for a low address, so that even buffer + 2 GiB stays a user
// address (the kernel checks the whole range up front).
u8* guarded_pages() {
    long p = sys::mmap(reinterpret_cast<void*>(0x200000000L), 3 * kPage, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p < 0 && p > -4096) return nullptr;
    u8* b = reinterpret_cast<u8*>(p);
    if (sys::mprotect(b + 2 * kPage, kPage, PROT_NONE) != 0) return nullptr;
    return b;
}
void unmap(u8* b) { sys::munmap(b, 3 * kPage); }

// True when n bytes at p are all equal to v.
bool all_equal(const u8* p, usize n, u8 v) {
    for (usize i = 0; i < n; ++i) {
        if (p[i] != v) return false;
    }
    return true;
}

}  // namespace

struct Count {
    const char* label;
    usize n;
};
constexpr Count kCounts[] = {
    {"count=1", 1},       {"count=16", 16},     {"count=31", 31},   {"count=32", 32},
    {"count=33", 33},     {"count=256", 256},   {"count=257", 257}, {"count=4095", 4095},
    {"count=4096", 4096}, {"count=8000", 8000},
};
// getrandom(2): "On success, getrandom() returns the number of bytes that
// were copied to the buffer buf"; requests up to 256 bytes are always
// complete, larger ones too without signals. Bytes past count stay as they
// were; a run of 16 or more bytes is not left as it was.
TEST_P(getrandom, fills_exactly_count, POSITIVE, LINUX, kCounts) {
    u8* b = guarded_pages();
    ASSERT_TRUE(b != nullptr);
    common::fill_bytes(b, 0xa5, 2 * kPage);
    EXPECT_RET(sys::getrandom(b, row.n, 0), long(row.n));
    EXPECT_TRUE(all_equal(b + row.n, 2 * kPage - row.n, 0xa5));
    if (row.n >= 16) EXPECT_TRUE(!all_equal(b, row.n, 0xa5));
    unmap(b);
}

struct Flags {
    const char* label;
    unsigned flags;
};
constexpr Flags kGoodFlags[] = {
    {"0", 0},
    {"nonblock", GRND_NONBLOCK},
    {"random", GRND_RANDOM},
    {"random|nonblock", GRND_RANDOM | GRND_NONBLOCK},
    {"insecure", GRND_INSECURE},
    {"insecure|nonblock", GRND_INSECURE | GRND_NONBLOCK},
};
// getrandom(2) flags GRND_NONBLOCK, GRND_RANDOM and GRND_INSECURE (Linux 5.6):
// on a booted system (entropy pool initialized) each returns the full count.
TEST_P(getrandom, valid_flags_fill, POSITIVE, LINUX, kGoodFlags) {
    u8 buf[64];
    common::fill_bytes(buf, 0xa5, sizeof buf);
    EXPECT_RET(sys::getrandom(buf, 48, row.flags), 48);
    EXPECT_TRUE(!all_equal(buf, 48, 0xa5));
    EXPECT_TRUE(all_equal(buf + 48, 16, 0xa5));
}

constexpr Flags kBadFlags[] = {
    {"bit3", 8},
    {"bit4", 0x10},
    {"bit31", 0x80000000u},
    {"random|insecure", GRND_RANDOM | GRND_INSECURE},
    {"all_three", GRND_RANDOM | GRND_INSECURE | GRND_NONBLOCK},
    {"all_bits", 0xffffffffu},
};
// getrandom(2) EINVAL: "An invalid flag was specified in flags"; GRND_RANDOM
// and GRND_INSECURE together are invalid too. The buffer is not written.
TEST_P(getrandom, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    u8 buf[16];
    common::fill_bytes(buf, 0xa5, sizeof buf);
    EXPECT_ERR(sys::getrandom(buf, sizeof buf, row.flags), EINVAL);
    EXPECT_TRUE(all_equal(buf, sizeof buf, 0xa5));
}

struct Addr {
    const char* label;
    u64 addr;
};
constexpr Addr kBufs[] = {
    {"null", 0}, {"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
constexpr Addr kUserBufs[] = {{"null", 0}, {"unmapped", common::kBadAddr}};
// getrandom(2) with count 0 returns 0 for any user-space pointer, mapped or
// not: nothing is written.
TEST_P(getrandom, zero_count_returns_zero, BOUNDARY, LINUX, kUserBufs) {
    EXPECT_RET(sys::getrandom(reinterpret_cast<void*>(row.addr), 0, 0), 0);
    EXPECT_RET(sys::getrandom(reinterpret_cast<void*>(row.addr), 0, GRND_NONBLOCK), 0);
}

// getrandom(2) (Linux): even with count 0 the buffer address is range
// checked, so a kernel address is EFAULT.
TEST(getrandom, zero_count_kernel_pointer_efault, BOUNDARY, LINUX) {
    EXPECT_ERR(sys::getrandom(common::kKernelPtr, 0, 0), EFAULT);
}

// getrandom(2) EFAULT: "The address referred to by buf is outside the
// accessible address space" - unmapped, in the kernel half, or read-only.
TEST_P(getrandom, bad_buffer_efault, NEGATIVE, LINUX, kBufs) {
    EXPECT_ERR(sys::getrandom(reinterpret_cast<void*>(row.addr), 16, 0), EFAULT);
}

// getrandom(2) EFAULT for a mapped but read-only buffer.
TEST(getrandom, read_only_buffer_efault, NEGATIVE, LINUX) {
    u8* b = guarded_pages();
    ASSERT_TRUE(b != nullptr);
    ASSERT_RET(sys::mprotect(b, kPage, PROT_READ), 0);
    EXPECT_ERR(sys::getrandom(b, 16, 0), EFAULT);
    unmap(b);
}

struct Partial {
    const char* label;
    usize room;  // writable bytes before the PROT_NONE page
    usize count;
};
constexpr Partial kPartials[] = {
    {"room=96,count=200", 96, 200},
    {"room=1,count=64", 1, 64},
    {"room=4096,count=SIZE_MAX", 4096, ~usize(0)},
    {"room=8192,count=2^40", 8192, usize(1) << 40},
};
// getrandom(2) (Linux): a buffer that runs into an unwritable page gets a
// short count - the bytes copied before the fault - rather than EFAULT. A
// count beyond MAX_RW_COUNT is cut, not refused. Linux's uaccess contract
// lets an architecture's copy stop short of the fault (arm64 Linux 6.1 stops
// at the start of the block that faults), so the count may fall below the
// room by less than one 64-byte block, but never below one byte.
TEST_P(getrandom, short_count_at_unwritable_page, BOUNDARY, LINUX, kPartials) {
    u8* b = guarded_pages();
    ASSERT_TRUE(b != nullptr);
    if (u64(b) > (1ull << 40)) {
        unmap(b);
        kc::skip("no low mapping for the buffer: buffer + count would leave user space");
    }
    long r = sys::getrandom(b + 2 * kPage - row.room, row.count, 0);
    EXPECT_LE(r, long(row.room));
    EXPECT_GE(r, row.room > 64 ? long(row.room) - 63 : 1);
    unmap(b);
}

// getrandom(2): two requests return different bytes (32 equal bytes by
// chance have probability 2^-256).
TEST(getrandom, successive_calls_differ, POSITIVE, LINUX) {
    u8 a[32], b[32];
    ASSERT_RET(sys::getrandom(a, sizeof a, 0), 32);
    ASSERT_RET(sys::getrandom(b, sizeof b, 0), 32);
    bool same = true;
    for (usize i = 0; i < sizeof a; ++i) same = same && a[i] == b[i];
    EXPECT_TRUE(!same);
}

// getrandom(2): the bytes are uniformly random; of 2^19 bits about half are
// set. The bound (+-1%, 14 standard deviations) never trips on a real
// generator but catches a zero-filled or constant buffer.
TEST(getrandom, bits_balanced, POSITIVE, LINUX) {
    long p = sys::mmap(nullptr, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_TRUE(p > 0 || p < -4095);
    u8* b = reinterpret_cast<u8*>(p);
    ASSERT_RET(sys::getrandom(b, 65536, 0), 65536);
    long ones = 0;
    for (usize i = 0; i < 65536; ++i) ones += __builtin_popcount(b[i]);
    EXPECT_GT(ones, 262144 - 5243);
    EXPECT_LT(ones, 262144 + 5243);
    sys::munmap(b, 65536);
}
