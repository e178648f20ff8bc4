// SPDX-License-Identifier: MIT
// mincore(2) (Linux): the vector reflects residency (untouched anonymous
// pages are not resident, touched ones are, MADV_DONTNEED drops them; shared
// memory and file pages count when in the page cache), the vector's length
// for a partial last page, and the EINVAL/ENOMEM/EFAULT cases.
// Left out: swapped-out pages (needs swap and memory pressure), the
// undefined upper bits of each vector byte.
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

// mincore(2): "the least significant bit of each byte will be set if the
// corresponding page is currently resident in memory" — only the pages
// stored to are resident in a fresh anonymous mapping.
TEST(mincore, reflects_touched_pages, POSITIVE, LINUX) {
    u8* p = mm::map_small_pages(4);
    u8 vec[4] = {0xff, 0xff, 0xff, 0xff};
    ASSERT_OK(sys::mincore(p, 4 * P, vec));
    for (int k = 0; k < 4; ++k) EXPECT_EQ(vec[k] & 1, 0);
    p[P] = 1;
    p[3 * P + 5] = 1;
    ASSERT_OK(sys::mincore(p, 4 * P, vec));
    EXPECT_EQ(vec[0] & 1, 0);
    EXPECT_EQ(vec[1] & 1, 1);
    EXPECT_EQ(vec[2] & 1, 0);
    EXPECT_EQ(vec[3] & 1, 1);
    EXPECT_OK(sys::munmap(p, 4 * P));
}

// mincore(2): MADV_DONTNEED releases private anonymous pages, which are then
// no longer resident.
TEST(mincore, dontneed_clears_residency, POSITIVE, LINUX) {
    u8* p = mm::map_small_pages(2);
    p[0] = p[P] = 1;
    EXPECT_EQ(mm::resident(p, 2), 2);
    ASSERT_OK(sys::madvise(p, P, MADV_DONTNEED));
    u8 vec[2] = {};
    ASSERT_OK(sys::mincore(p, 2 * P, vec));
    EXPECT_EQ(vec[0] & 1, 0);
    EXPECT_EQ(vec[1] & 1, 1);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mincore(2) reports the page cache: a shared anonymous page another process
// stored to is resident here although this process never touched it.
TEST(mincore, shared_page_touched_by_child_resident, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    EXPECT_EQ(mm::resident(p, 2), 0);
    long pid = kc::spawn([](void* a) { static_cast<u8*>(a)[P + 1] = 1; }, p);
    EXPECT_CHILD_OK(pid);
    u8 vec[2] = {};
    ASSERT_OK(sys::mincore(p, 2 * P, vec));
    EXPECT_EQ(vec[0] & 1, 0);
    EXPECT_EQ(vec[1] & 1, 1);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

// mincore(2) on a file mapping: pages just written with pwrite are in the
// page cache, hence resident, before the mapping is ever accessed.
TEST(mincore, written_file_pages_resident, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = mm::make_file("f", 2 * P, 1);
    long r = sys::mmap(nullptr, 2 * P, PROT_READ, MAP_SHARED, fd, 0);
    sys::close(fd);
    ASSERT_OK(r);
    EXPECT_EQ(mm::resident(reinterpret_cast<void*>(r), 2), 2);
    EXPECT_OK(sys::munmap(reinterpret_cast<void*>(r), 2 * P));
}

// mincore(2): the vector has one byte per page, counting a partial last
// page: len = P + 1 writes two bytes and not a third.
TEST(mincore, partial_page_length_rounds_up, BOUNDARY, LINUX) {
    u8* p = mm::map_small_pages(3);
    p[0] = p[P] = 1;
    u8 vec[3] = {0xaa, 0xaa, 0xaa};
    EXPECT_OK(sys::mincore(p, P + 1, vec));
    EXPECT_EQ(vec[0] & 1, 1);
    EXPECT_EQ(vec[1] & 1, 1);
    EXPECT_EQ(vec[2], 0xaa);
    EXPECT_OK(sys::munmap(p, 3 * P));
}

// mincore(2) EINVAL: "addr is not a multiple of the page size".
TEST_P(mincore, unaligned_addr_einval, NEGATIVE, LINUX, kMisaligned) {
    u8* p = mm::map(2);
    u8 vec[2];
    EXPECT_ERR(sys::mincore(p + row.off, P, vec), EINVAL);
    EXPECT_OK(sys::munmap(p, 2 * P));
}

struct Range {
    const char* label;
    int first;  // page offset from a 1-page mapping followed by a free page
    u64 len;
    u64 addr;  // nonzero: this address instead
};
constexpr Range kNotMapped[] = {
    {"unmapped", 1, P, 0},
    {"partly_unmapped", 0, 2 * P, 0},
    {"kernel_address", 0, P, 0xffff800000000000ull},
    {"len_wraps", 0, ~u64(4095), 0},
};

// mincore(2) ENOMEM: "addr to addr + length contained unmapped memory" or
// lies outside the user address space.
TEST_P(mincore, unmapped_range_enomem, NEGATIVE, LINUX, kNotMapped) {
    u8* p = mm::map(2);
    ASSERT_OK(sys::munmap(p + P, P));
    u8 vec[2];
    void* a = row.addr ? reinterpret_cast<void*>(row.addr) : p + row.first * P;
    EXPECT_ERR(sys::mincore(a, row.len, vec), ENOMEM);
    EXPECT_OK(sys::munmap(p, P));
}

struct Vec {
    const char* label;
    u64 addr;
};
constexpr Vec kBadVectors[] = {{"vec=NULL", 0}, {"vec=kernel", 0xffff800000000000ull}};

// mincore(2) EFAULT: "vec points to an invalid address".
TEST_P(mincore, bad_vector_efault, NEGATIVE, LINUX, kBadVectors) {
    u8* p = mm::map(1);
    EXPECT_ERR(sys::mincore(p, P, reinterpret_cast<u8*>(row.addr)), EFAULT);
    EXPECT_OK(sys::munmap(p, P));
}

struct Where {
    const char* label;
    bool mapped;
};
constexpr Where kWhere[] = {{"mapped", true}, {"unmapped", false}};

// mincore(2): a zero length succeeds and writes nothing to the vector.
TEST_P(mincore, zero_length_succeeds, BOUNDARY, LINUX, kWhere) {
    u8* p = row.mapped ? mm::map(1) : mm::hole(1);
    u8 vec[1] = {0xaa};
    EXPECT_OK(sys::mincore(p, 0, vec));
    EXPECT_EQ(vec[0], 0xaa);
    if (row.mapped) EXPECT_OK(sys::munmap(p, P));
}

// mincore(2) works on PROT_NONE memory: the range is mapped, just not
// accessible.
TEST(mincore, prot_none_mapping_allowed, BOUNDARY, LINUX) {
    u8* p = mm::map(1, PROT_NONE);
    EXPECT_EQ(mm::resident(p, 1), 0);
    EXPECT_OK(sys::munmap(p, P));
}
