// SPDX-License-Identifier: MIT
// cachestat(2) (Linux 6.5): page-cache statistics of a byte range of a file.
// No man page in man-pages 6.03; the contract is the comment above
// SYSCALL_DEFINE4(cachestat) in mm/filemap.c (quoted as "filemap.c"): the
// range [off, off + len) in pages, len 0 meaning "to the end of the file";
// flags must be 0; EBADF, EFAULT, EOPNOTSUPP for hugetlbfs, and (since the
// 2025 fix "mm: cachestat: fix page cache statistics permission checking",
// in 6.14 and the stable kernels) EPERM for a file the caller could not
// write.
// Covered: cached pages of a written and synced scratch file, exact page
// counts of sub-ranges, pages dropped with POSIX_FADV_DONTNEED, dirty pages
// before and after fsync, and the errors above.
// Left out: nr_evicted and nr_recently_evicted (they need memory pressure to
// evict pages), nr_writeback (transient), and pipes and directories (Linux
// reports an empty page cache for them; other kernels may refuse them).
#include "harness/test.hpp"
#include "rt/sys_cachestat.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_mm.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize kPage = mm::kPage;
constexpr int kPages = 4;

// The scratch file "c": kPages pages written and synced. Skips without
// cachestat or with pages larger than 4 KiB.
int synced_file() {
    mm::need_4k_pages();
    cachestat_range all{0, 0};
    struct cachestat cs {};
    if (sys::cachestat(-1, &all, &cs, 0) == -ENOSYS)
        kc::skip_unimplemented("cachestat", "cachestat: not implemented (ENOSYS; Linux 6.5+)");
    int fd = mm::make_file("c", kPages * kPage, 1);
    common::skip_on_overlayfs(fd, "cachestat needs the file's own page cache");
    ASSERT_RET(sys::fsync(fd), 0);
    return fd;
}

long stat_range(int fd, u64 off, u64 len, struct cachestat* cs) {
    cachestat_range r{off, len};
    common::fill_bytes(cs, 0xee, sizeof *cs);
    return sys::cachestat(fd, &r, cs, 0);
}

// stat_range(fd, off, len, cs), asked again (up to three times) after
// reading the whole file back into the page cache when fewer than `want`
// pages were cached: clean pages may be reclaimed at any moment on a machine
// short of memory, which says nothing of cachestat.
long stat_cached(int fd, u64 off, u64 len, struct cachestat* cs, u64 want) {
    long r = stat_range(fd, off, len, cs);
    for (int i = 0; i < 2 && r == 0 && cs->nr_cache < want; ++i) {
        char page[kPage];
        for (int p = 0; p < kPages; ++p) sys::pread64(fd, page, kPage, i64(p) * i64(kPage));
        r = stat_range(fd, off, len, cs);
    }
    return r;
}

}  // namespace

// filemap.c: the pages of a file just written are in the page cache; after
// fsync none is dirty or under writeback. Range {0, 0} is the whole file.
TEST(cachestat, written_pages_cached, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    struct cachestat cs;
    ASSERT_RET(stat_cached(fd, 0, 0, &cs, kPages), 0);
    EXPECT_EQ(cs.nr_cache, u64(kPages));
    EXPECT_EQ(cs.nr_dirty, 0u);
    EXPECT_EQ(cs.nr_writeback, 0u);
    sys::close(fd);
}

struct RangeRow {
    const char* label;
    u64 off, len, pages;
};
constexpr RangeRow kRanges[] = {
    {"whole_file_len_0", 0, 0, kPages},
    {"first_page", 0, kPage, 1},
    {"one_byte", kPage, 1, 1},
    {"two_bytes_across_a_boundary", kPage - 1, 2, 2},
    {"from_page_2_to_end", 2 * kPage, 0, kPages - 2},
    {"past_the_end_len_0", kPages* kPage, 0, 0},
    {"far_past_the_end", 1000 * kPage, kPage, 0},
    {"longer_than_the_file", kPage, 1000 * kPage, kPages - 1},
};
// filemap.c: the pages counted are those of [off, off + len) (every page the
// range touches); len 0 means up to the end of the file; a range past the
// end counts nothing.
TEST_P(cachestat, range_selects_pages, BOUNDARY, LINUX, kRanges, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    struct cachestat cs;
    EXPECT_RET(stat_cached(fd, row.off, row.len, &cs, row.pages), 0);
    EXPECT_EQ(cs.nr_cache, row.pages);
    sys::close(fd);
}

// filemap.c: the statistics follow the page cache: POSIX_FADV_DONTNEED drops
// the clean pages (0 cached), and reading a page brings it back.
TEST(cachestat, dropped_pages_not_cached, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    // tmpfs and ramfs keep a file's data only in the page cache: nothing to drop.
    struct statfs sf;
    if (sys::fstatfs(fd, &sf) == 0 && (sf.f_type == TMPFS_MAGIC || sf.f_type == RAMFS_MAGIC)) {
        sys::close(fd);
        kc::skip("the scratch directory is on tmpfs or ramfs, whose pages cannot be dropped");
    }
    struct cachestat cs;
    ASSERT_RET(sys::fadvise64(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
    ASSERT_RET(stat_range(fd, 0, 0, &cs), 0);
    EXPECT_EQ(cs.nr_cache, 0u);
    char b[16];
    ASSERT_RET(sys::pread64(fd, b, sizeof b, 0), long(sizeof b));
    ASSERT_RET(stat_range(fd, 0, kPage, &cs), 0);
    EXPECT_EQ(cs.nr_cache, 1u);
    sys::close(fd);
}

// filemap.c: pages written and not yet written back are dirty (at least the
// page written, at most what is cached: a file system may dirty a whole
// large folio); fsync leaves none dirty. tmpfs keeps no dirty count.
TEST(cachestat, dirty_until_fsync, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    struct statfs sf {};
    ASSERT_RET(sys::fstatfs(fd, &sf), 0);
    if (sf.f_type == TMPFS_MAGIC) {
        sys::close(fd);
        kc::skip("the scratch file system is tmpfs, which counts no dirty pages");
    }
    struct cachestat cs;
    ASSERT_RET(sys::pwrite64(fd, "dirty", 5, long(2 * kPage)), 5);
    ASSERT_RET(stat_range(fd, 2 * kPage, 1, &cs), 0);
    EXPECT_EQ(cs.nr_dirty, 1u);
    ASSERT_RET(stat_range(fd, 0, 0, &cs), 0);
    EXPECT_GE(cs.nr_dirty, 1u);
    EXPECT_LE(cs.nr_dirty, cs.nr_cache);
    ASSERT_RET(sys::fsync(fd), 0);
    ASSERT_RET(stat_range(fd, 0, 0, &cs), 0);
    EXPECT_EQ(cs.nr_dirty, 0u);
    EXPECT_EQ(cs.nr_cache, u64(kPages));
    sys::close(fd);
}

struct FlagRow {
    const char* label;
    u32 flags;
};
constexpr FlagRow kBadFlags[] = {{"flags=1", 1}, {"flags=bit31", 0x80000000u}};
// filemap.c: "The flags argument is unused for now ... User should pass 0":
// EINVAL otherwise.
TEST_P(cachestat, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    cachestat_range r{0, 0};
    struct cachestat cs;
    EXPECT_ERR(sys::cachestat(fd, &r, &cs, row.flags), EINVAL);
    sys::close(fd);
}

struct FdRow {
    const char* label;
    int fd;
};
constexpr FdRow kBadFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", INT_MAX}, {"fd=closed", 0}};
// filemap.c: "-EBADF - invalid file descriptor" (a closed one too).
TEST_P(cachestat, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    sys::close(fd);
    cachestat_range r{0, 0};
    struct cachestat cs;
    EXPECT_ERR(sys::cachestat(row.fd ? row.fd : fd, &r, &cs, 0), EBADF);
}

// filemap.c: "-EFAULT - cstat or cstat_range points to an illegal address".
TEST(cachestat, bad_pointers_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = synced_file();
    cachestat_range r{0, 0};
    struct cachestat cs;
    auto* bad_range = static_cast<const cachestat_range*>(common::kBadPtr);
    EXPECT_ERR(sys::cachestat(fd, bad_range, &cs, 0), EFAULT);
    EXPECT_ERR(sys::cachestat(fd, &r, static_cast<struct cachestat*>(common::kBadPtr), 0), EFAULT);
    EXPECT_ERR(sys::cachestat(fd, &r, static_cast<struct cachestat*>(common::kKernelPtr), 0),
               EFAULT);
    sys::close(fd);
}

// filemap.c: "-EOPNOTSUPP - file descriptor is of a hugetlbfs file" (a
// memfd with MFD_HUGETLB is one; the test skips where none can be made).
TEST(cachestat, hugetlbfs_eopnotsupp, NEGATIVE, LINUX) {
    cachestat_range r{0, 0};
    struct cachestat cs;
    if (sys::cachestat(-1, &r, &cs, 0) == -ENOSYS)
        kc::skip_unimplemented("cachestat", "cachestat: not implemented (ENOSYS; Linux 6.5+)");
    kc::Fd fd(sys::memfd_create("kc_huge", MFD_HUGETLB | MFD_CLOEXEC));
    if (!fd.ok()) kc::skip("needs a hugetlbfs memfd (memfd_create MFD_HUGETLB failed)");
    EXPECT_ERR(sys::cachestat(fd, &r, &cs, 0), EOPNOTSUPP);
}

// filemap.c can_do_cachestat(): the caller must have the file open for
// writing, own it, or be allowed to open it for writing; otherwise EPERM
// (like mincore). Another user with a read-only descriptor of a 0444 file
// it does not own gets EPERM; the owner with the same kind of descriptor
// gets the statistics.
TEST(cachestat, not_writable_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::require_other_user();
    int wfd = synced_file();
    ASSERT_RET(sys::fchmod(wfd, 0444), 0);
    sys::close(wfd);
    kc::Fd fd(mm::reopen("c", O_RDONLY));
    struct cachestat cs;
    EXPECT_RET(stat_range(fd, 0, 0, &cs), 0);
    long pid = kc::spawn(
        [](void* p) {
            if (!kc::become_other_user()) {
                ADD_FAILURE("cannot become the other user");
                return;
            }
            struct cachestat c;
            EXPECT_ERR(stat_range(int(long(p)), 0, 0, &c), EPERM);
        },
        reinterpret_cast<void*>(long(fd.get())));
    EXPECT_CHILD_OK(pid);
}
