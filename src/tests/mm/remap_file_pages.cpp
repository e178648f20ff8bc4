// SPDX-License-Identifier: MIT
// remap_file_pages(2) (deprecated since Linux 3.16, emulated with one mmap
// per call): pages of a shared file mapping (and of a shared anonymous one)
// show other pages of the file, stores go to the new offset, the start is
// rounded down to a page, and the EINVAL cases (prot != 0, private
// mappings, no mapping, a range past the mapping, an offset that wraps,
// size 0).
// Left out: MAP_NONBLOCK (only a hint) and VM_LOCKED mappings.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

// Scratch file "f" of 4 pages, page k holding the pattern of seed 40 + k,
// mapped MAP_SHARED read-write; *fd gets the descriptor.
u8* map_file(int* fd, int flags = MAP_SHARED) {
    *fd = mm::make_file("f", 4 * P, 40);
    long r = sys::mmap(nullptr, 4 * P, RW, flags, *fd, 0);
    ASSERT_OK(r);
    return reinterpret_cast<u8*>(r);
}

// remap_file_pages(2), skipping where the call is missing (ENOSYS).
long remap(void* addr, usize size, int prot, usize pgoff, int flags = 0) {
    long r = sys::remap_file_pages(addr, size, prot, pgoff, flags);
    if (r == -ENOSYS)
        kc::skip_unimplemented("remap_file_pages", "remap_file_pages: not implemented (ENOSYS)");
    return r;
}

bool shows(const u8* page, int file_page) { return mm::has_pattern(page, P, u8(40 + file_page)); }

}  // namespace

// remap_file_pages(2): "create a nonlinear mapping, that is, a mapping in
// which the pages of the file are mapped into a nonsequential order": page
// 0 of the mapping shows file page 3, pages 2-3 show file pages 0-1, and
// page 1 is left as it was.
TEST(remap_file_pages, rearranges_pages, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd;
    u8* p = map_file(&fd);
    kc::Fd owned(fd);
    kc::Mapping m(p, 4 * P);
    ASSERT_OK(remap(p, P, 0, 3));
    ASSERT_OK(remap(p + 2 * P, 2 * P, 0, 0));
    EXPECT_TRUE(shows(p, 3));
    EXPECT_TRUE(shows(p + P, 1));
    EXPECT_TRUE(shows(p + 2 * P, 0));
    EXPECT_TRUE(shows(p + 3 * P, 1));
}

// remap_file_pages(2): the rearranged page is the file's page: a store
// through it reaches the file at the new offset (pread), not the old one.
TEST(remap_file_pages, store_reaches_new_offset, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd;
    u8* p = map_file(&fd);
    kc::Fd owned(fd);
    kc::Mapping m(p, 4 * P);
    ASSERT_OK(remap(p, P, 0, 2));
    p[7] = 0xee;
    u8 c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 1, long(2 * P + 7)), 1);
    EXPECT_EQ(c, 0xee);
    EXPECT_RET(sys::pread64(fd, &c, 1, 7), 1);
    EXPECT_NE(c, 0xee);
}

// remap_file_pages(2): "The start argument ... is rounded down to a
// multiple of the system page size" (and size likewise).
TEST(remap_file_pages, start_rounded_down, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd;
    u8* p = map_file(&fd);
    kc::Fd owned(fd);
    kc::Mapping m(p, 4 * P);
    ASSERT_OK(remap(p + P + 100, P + 100, 0, 3));
    EXPECT_TRUE(shows(p + P, 3));
    EXPECT_TRUE(shows(p + 2 * P, 2));
}

// remap_file_pages(2) works on MAP_SHARED|MAP_ANONYMOUS too (a shmem
// object): the pages of the object are rearranged.
TEST(remap_file_pages, shared_anonymous, POSITIVE, LINUX) {
    u8* p = mm::map(2, RW, MAP_SHARED);
    kc::Mapping m(p, 2 * P);
    mm::fill(p, P, 1);
    mm::fill(p + P, P, 2);
    ASSERT_OK(remap(p, P, 0, 1));
    EXPECT_TRUE(mm::has_pattern(p, P, 2));
    EXPECT_TRUE(mm::has_pattern(p + P, P, 2));
}

struct Bad {
    const char* label;
    usize off, size;
    int prot;
    usize pgoff;
};
constexpr Bad kBad[] = {
    {"prot=PROT_READ", 0, P, PROT_READ, 1},
    {"size=0", 0, 0, 0, 1},
    {"past_mapping_end", 3 * P, 2 * P, 0, 0},
    {"pgoff_wraps", 0, 2 * P, 0, ~usize(0)},
};

// remap_file_pages(2): "EINVAL ... prot is nonzero", an empty or wrapping
// range, and a range that runs past the end of the mapping (into a hole),
// and the pages stay as they were.
TEST_P(remap_file_pages, bad_args_einval, NEGATIVE, LINUX, kBad, .flags = kc::NEEDS_SCRATCH) {
    int fd;
    u8* p = map_file(&fd);
    kc::Fd owned(fd);
    kc::Mapping m(p, 4 * P);
    // The page after the mapping must be a hole for "past_mapping_end".
    long after = sys::mmap(p + 4 * P, P, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (after >= 0) sys::munmap(p + 4 * P, P);
    EXPECT_ERR(remap(p + row.off, row.size, row.prot, row.pgoff), EINVAL);
    EXPECT_TRUE(shows(p, 0));
    EXPECT_TRUE(shows(p + 3 * P, 3));
}

// remap_file_pages(2): "EINVAL start does not refer to a valid mapping
// created with the MAP_SHARED flag": a MAP_PRIVATE file mapping, and an
// address with no mapping.
TEST(remap_file_pages, not_shared_mapping_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd;
    u8* p = map_file(&fd, MAP_PRIVATE);
    kc::Fd owned(fd);
    kc::Mapping m(p, 4 * P);
    EXPECT_ERR(remap(p, P, 0, 1), EINVAL);
    EXPECT_TRUE(shows(p, 0));
    EXPECT_ERR(remap(mm::hole(1), P, 0, 1), EINVAL);
    u8* a = mm::map(1);
    kc::Mapping ma(a, P);
    EXPECT_ERR(remap(a, P, 0, 0), EINVAL);  // private anonymous
}
