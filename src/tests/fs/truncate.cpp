// SPDX-License-Identifier: MIT
// ftruncate(2), truncate(2), fallocate(2): growing reads back zeros,
// shrinking discards, the offset stays, timestamps move, RLIMIT_FSIZE, and
// the exact errors for bad lengths, descriptors and file types; fallocate
// modes (plain, KEEP_SIZE, PUNCH_HOLE, ZERO_RANGE) and its mode checks.
// COLLAPSE_RANGE, INSERT_RANGE and ZERO_RANGE past the end: file_flags.cpp.
// Left out: ENOSPC, append-only and immutable inodes (need root and chattr),
// lengths above a file system's maximum file size (differs per file system).
#include "rt/sys_resource.hpp"
#include "tests/fs/fs_util.hpp"

namespace {

bool all_zero(const char* p, long n) {
    for (long i = 0; i < n; ++i)
        if (p[i]) return false;
    return true;
}

// An O_RDWR file "f" with `n` bytes of 'x'.
int file_with(long n) {
    int fd = fs::create("f");
    char buf[512];
    fs::fill(buf, sizeof buf - 1, 'x');
    for (long done = 0; done < n;) {
        long k = n - done < 511 ? n - done : 511;
        ASSERT_RET(sys::write(fd, buf, usize(k)), k);
        done += k;
    }
    return fd;
}

int fallocate_or_skip(int fd, int mode, long off, long len) {
    long r = sys::fallocate(fd, mode, off, len);
    if (r == -EOPNOTSUPP) {
        sys::close(fd);
        kc::skip("the file system does not support this fallocate mode");
    }
    ASSERT_OK(r);
    return fd;
}

}  // namespace

// ftruncate(2): extending a file makes the new bytes read as zeros.
TEST(ftruncate, grow_reads_zeros, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(3);
    EXPECT_RET(sys::ftruncate(fd, 5000), 0);
    EXPECT_EQ(fs::fsize(fd), 5000);
    char buf[5000];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 5000);
    EXPECT_MEM_EQ(buf, "xxx", 3);
    EXPECT_TRUE(all_zero(buf + 3, 4997));
    sys::close(fd);
}

// ftruncate(2): shrinking discards the tail; growing again brings back zeros,
// not the old data.
TEST(ftruncate, shrink_discards_data, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(100);
    EXPECT_RET(sys::ftruncate(fd, 10), 0);
    EXPECT_EQ(fs::fsize(fd), 10);
    char buf[128];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 10);
    EXPECT_RET(sys::ftruncate(fd, 100), 0);
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 100);
    EXPECT_TRUE(all_zero(buf + 10, 90));
    sys::close(fd);
}

// ftruncate(2): the new size is exactly the length, across block boundaries.
struct SizeRow {
    const char* label;
    long len;
};
constexpr SizeRow kSizes[] = {{"len_0", 0},       {"len_1", 1},       {"len_4095", 4095},
                              {"len_4096", 4096}, {"len_4097", 4097}, {"len_1m", 1 << 20}};
TEST_P(ftruncate, sets_exact_size, BOUNDARY, PSE52, kSizes, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(2000);
    EXPECT_RET(sys::ftruncate(fd, row.len), 0);
    EXPECT_EQ(fs::fsize(fd), row.len);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_END), row.len);
    sys::close(fd);
}

// ftruncate(2): "shall not modify the file offset" even when it ends up
// beyond the new end of file.
TEST(ftruncate, offset_unchanged, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(100);
    EXPECT_RET(sys::lseek(fd, 60, SEEK_SET), 60);
    EXPECT_RET(sys::ftruncate(fd, 10), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 60);
    EXPECT_RET(sys::write(fd, "y", 1), 1);  // writing there fills a hole
    EXPECT_EQ(fs::fsize(fd), 61);
    sys::close(fd);
}

// ftruncate(2): a size change marks mtime and ctime for update.
TEST(ftruncate, updates_mtime, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(10);
    timespec old[2] = {{1000, 0}, {1000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, old, 0));
    EXPECT_RET(sys::ftruncate(fd, 5), 0);
    EXPECT_GT(fs::fst(fd).st_mtime_sec, 1000);
    EXPECT_GT(fs::fst(fd).st_ctime_sec, 1000);
    sys::close(fd);
}

// ftruncate(2) EINVAL: the length is negative; the size stays.
struct NegRow {
    const char* label;
    long len;
};
constexpr NegRow kNegative[] = {{"len_minus_1", -1}, {"len_long_min", LONG_MIN}};
TEST_P(ftruncate, negative_length_einval, NEGATIVE, PSE52, kNegative, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(10);
    EXPECT_ERR(sys::ftruncate(fd, row.len), EINVAL);
    EXPECT_EQ(fs::fsize(fd), 10);
    sys::close(fd);
}

// ftruncate(2): POSIX allows EBADF or EINVAL for a descriptor not open for
// writing; Linux returns EINVAL. The file is untouched.
TEST(ftruncate, read_only_fd_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(10));
    int fd = fs::open("f", O_RDONLY);
    EXPECT_ERR(sys::ftruncate(fd, 0), EINVAL);
    EXPECT_EQ(fs::fsize(fd), 10);
    sys::close(fd);
}

// POSIX ftruncate, the twin of the test above for a profile run: "[EBADF]
// The fildes argument is not a file descriptor open for writing" and
// "[EINVAL] The fildes argument references a file that was opened without
// write permission" both describe it.
TEST(ftruncate, read_only_fd_ebadf_or_einval, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(10));
    int fd = fs::open("f", O_RDONLY);
    EXPECT_ERR_ANY(sys::ftruncate(fd, 0), EBADF, EINVAL);
    EXPECT_EQ(fs::fsize(fd), 10);
    sys::close(fd);
}

// ftruncate(2) EINVAL: the descriptor is not a regular file (a directory,
// a pipe); EBADF for an O_PATH descriptor (Linux).
TEST(ftruncate, not_regular_file, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int d = fs::open(".", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR(sys::ftruncate(d, 0), EINVAL);
    sys::close(d);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::ftruncate(p[1], 0), EINVAL);
    sys::close(p[0]);
    sys::close(p[1]);
}

// open(2) O_PATH: ftruncate on such a descriptor fails with EBADF (Linux).
TEST(ftruncate, path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(10));
    int fd = fs::open("f", O_PATH);
    EXPECT_ERR(sys::ftruncate(fd, 0), EBADF);
    sys::close(fd);
    EXPECT_EQ(fs::st("f").st_size, 10);
}

// ftruncate(2) EBADF: not an open descriptor.
struct FdRow {
    const char* label;
    int fd;
};
constexpr FdRow kBadFds[] = {{"fd_minus_1", -1}, {"fd_not_open", 777}, {"fd_int_max", INT_MAX}};
TEST_P(ftruncate, bad_fd_ebadf, NEGATIVE, PSE51, kBadFds) {
    EXPECT_ERR(sys::ftruncate(row.fd, 0), EBADF);
}

// ftruncate(2): a file can grow far beyond its data without allocating it;
// the hole reads as zeros.
TEST(ftruncate, sparse_grow_64g, BOUNDARY, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(1);
    long r = sys::ftruncate(fd, 1l << 36);
    if (r == -EFBIG) {
        sys::close(fd);
        kc::skip("the file system's maximum file size is below 64 GiB");
    }
    ASSERT_OK(r);
    EXPECT_EQ(fs::fsize(fd), 1l << 36);
    char buf[16] = {1};
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 1l << 35), 16);
    EXPECT_TRUE(all_zero(buf, 16));
    EXPECT_LT(fs::fst(fd).st_blocks, 1024);
    EXPECT_RET(sys::ftruncate(fd, 0), 0);
    sys::close(fd);
}

namespace {
void over_fsize_limit(void*) {
    arch::KSigaction ign = arch::make_sigaction(SIG_IGN, 0, 0);
    ASSERT_OK(sys::rt_sigaction(SIGXFSZ, &ign, nullptr));
    rlimit64 lim{4096, RLIM_INFINITY};  // soft 4096, hard unlimited (only lowered)
    rlimit64 old;
    ASSERT_OK(sys::prlimit64(0, RLIMIT_FSIZE, nullptr, &old));
    lim.rlim_max = old.rlim_max;
    ASSERT_OK(sys::prlimit64(0, RLIMIT_FSIZE, &lim, nullptr));
    int fd = fs::open("f", O_RDWR);
    EXPECT_RET(sys::ftruncate(fd, 4096), 0);
    EXPECT_ERR(sys::ftruncate(fd, 4097), EFBIG);
    EXPECT_EQ(fs::fsize(fd), 4096);
    sys::close(fd);
}
}  // namespace

// ftruncate(2) EFBIG (and SIGXFSZ, ignored here): the length exceeds
// RLIMIT_FSIZE. Lowering the limit happens in a child. Tagged LINUX: resource
// limits (XSI) are outside the 1003.13 profiles.
TEST(ftruncate, above_fsize_limit_efbig, BOUNDARY, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    sys::close(file_with(0));
    EXPECT_CHILD_OK(kc::spawn(over_fsize_limit, nullptr));
}

// truncate(2): sets the size by path, growing with zeros and shrinking.
TEST(truncate, sets_size_by_path, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(50);
    EXPECT_RET(sys::truncate(kc::scratch_path("f"), 20), 0);
    EXPECT_EQ(fs::fsize(fd), 20);
    EXPECT_RET(sys::truncate(kc::scratch_path("f"), 8000), 0);
    EXPECT_EQ(fs::fsize(fd), 8000);
    char buf[64];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 20), 64);
    EXPECT_TRUE(all_zero(buf, 64));
    sys::close(fd);
}

// truncate(2): a symlink is followed; the target's size changes.
TEST(truncate, follows_symlink, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(50));
    fs::symlink("f", "link");
    EXPECT_RET(sys::truncate(kc::scratch_path("link"), 7), 0);
    EXPECT_EQ(fs::st("f").st_size, 7);
    EXPECT_EQ(fs::st("link").st_mode & S_IFMT, S_IFLNK);
}

// truncate(2): EISDIR on a directory, EINVAL on a FIFO (not a regular file).
TEST(truncate, not_regular_file, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    ASSERT_OK(sys::mknodat(fs::D(), "fifo", S_IFIFO | 0600, 0));
    EXPECT_ERR(sys::truncate(kc::scratch_path("d"), 0), EISDIR);
    EXPECT_ERR(sys::truncate(kc::scratch_path("fifo"), 0), EINVAL);
}

// truncate(2) EINVAL: negative length.
TEST_P(truncate, negative_length_einval, NEGATIVE, PSE52, kNegative, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(10));
    EXPECT_ERR(sys::truncate(kc::scratch_path("f"), row.len), EINVAL);
    EXPECT_EQ(fs::st("f").st_size, 10);
}

// truncate(2) EACCES: write permission on the file is required
// (CAP_DAC_OVERRIDE passes).
TEST(truncate, no_write_permission_eacces, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "data", 0444);
    EXPECT_DENIED(sys::truncate(kc::scratch_path("f"), 0), EACCES);
    EXPECT_EQ(fs::st("f").st_size, privilege::dac_override(false) ? 0 : 4);
}

// truncate(2): the lookup errors of path resolution.
TEST_P(truncate, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::truncate(p, 0); }, true);
}

// fallocate(2) mode 0: allocates the range, extends the size, reads zeros.
TEST(fallocate, allocates_and_extends, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fallocate_or_skip(file_with(0), 0, 0, 65536);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_size, 65536);
    EXPECT_GE(s.st_blocks * 512, 65536);
    char buf[256] = {1};
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 30000), 256);
    EXPECT_TRUE(all_zero(buf, 256));
    sys::close(fd);
}

// fallocate(2): a range beyond the end extends the size to offset + len;
// data inside the range is kept.
TEST(fallocate, keeps_data_extends_to_end, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fallocate_or_skip(file_with(100), 0, 50, 10000);
    EXPECT_EQ(fs::fsize(fd), 10050);
    char buf[100];
    EXPECT_RET(sys::pread64(fd, buf, 100, 0), 100);
    EXPECT_EQ(buf[0] == 'x' && buf[99] == 'x', true);
    sys::close(fd);
}

// fallocate(2) FALLOC_FL_KEEP_SIZE: space is allocated, the size stays.
TEST(fallocate, keep_size, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(10);
    long before = fs::fst(fd).st_blocks;
    fallocate_or_skip(fd, FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_size, 10);
    EXPECT_GE(s.st_blocks, before + (1 << 20) / 512 - 8);
    sys::close(fd);
}

// fallocate(2) FALLOC_FL_PUNCH_HOLE|KEEP_SIZE: the range reads as zeros, the
// size and the data around it stay.
TEST(fallocate, punch_hole_zeroes_range, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fallocate_or_skip(file_with(3 * 4096), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                               4096, 4096);
    EXPECT_EQ(fs::fsize(fd), 3 * 4096);
    char buf[3 * 4096];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), long(sizeof buf));
    EXPECT_EQ(buf[4095] == 'x' && buf[8192] == 'x', true);
    EXPECT_TRUE(all_zero(buf + 4096, 4096));
    sys::close(fd);
}

// fallocate(2) FALLOC_FL_ZERO_RANGE: the range reads as zeros (skipped where
// the file system lacks the mode).
TEST(fallocate, zero_range, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = fallocate_or_skip(file_with(300), FALLOC_FL_ZERO_RANGE, 100, 100);
    char buf[300];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 300);
    EXPECT_EQ(buf[99] == 'x' && buf[200] == 'x', true);
    EXPECT_TRUE(all_zero(buf + 100, 100));
    EXPECT_EQ(fs::fsize(fd), 300);
    sys::close(fd);
}

// fallocate(2) EOPNOTSUPP: unknown mode bits and invalid combinations
// (PUNCH_HOLE needs KEEP_SIZE; COLLAPSE/INSERT refuse it; modes are
// exclusive); the file is untouched.
struct ModeRow {
    const char* label;
    int mode;
};
constexpr ModeRow kBadModes[] = {
    {"punch_hole_without_keep_size", FALLOC_FL_PUNCH_HOLE},
    {"collapse_with_keep_size", FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE},
    {"insert_with_keep_size", FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE},
    {"punch_and_zero", FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE},
    {"unknown_bit_8", 0x100},
    {"unknown_bit_31", int(0x80000000u)},
};
// Linux 6.1 refused COLLAPSE_RANGE or INSERT_RANGE with any other flag as
// EINVAL; the rework of the mode checks (about 6.12) says EOPNOTSUPP for the
// combinations with KEEP_SIZE, as for the others here. A kernel older than
// 6.13 may answer either.
TEST_P(fallocate, bad_mode_eopnotsupp, NEGATIVE, LINUX, kBadModes, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(8192);
    long r = sys::fallocate(fd, row.mode, 0, 4096);
    if (row.mode & (FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_INSERT_RANGE) && kc::linux_before(6, 13))
        EXPECT_ERR_ANY(r, EOPNOTSUPP, EINVAL);
    else
        EXPECT_ERR(r, EOPNOTSUPP);
    EXPECT_EQ(fs::fsize(fd), 8192);
    sys::close(fd);
}

// fallocate(2) EINVAL: offset below 0 or len not above 0; EFBIG: offset + len
// overflows the file offset type.
struct RangeRow {
    const char* label;
    long off;
    long len;
    int err;
};
constexpr RangeRow kBadRanges[] = {
    {"len_zero", 0, 0, EINVAL},
    {"len_minus_1", 0, -1, EINVAL},
    {"offset_minus_1", -1, 4096, EINVAL},
    {"offset_long_min", LONG_MIN, 4096, EINVAL},
    {"end_overflows", LONG_MAX - 100, 4096, EFBIG},
};
TEST_P(fallocate, bad_range, NEGATIVE, LINUX, kBadRanges, .flags = kc::NEEDS_SCRATCH) {
    int fd = file_with(10);
    EXPECT_ERR(sys::fallocate(fd, 0, row.off, row.len), row.err);
    EXPECT_EQ(fs::fsize(fd), 10);
    sys::close(fd);
}

// fallocate(2) EBADF: not open for writing (a read-only file, a directory);
// ESPIPE: a pipe.
TEST(fallocate, wrong_descriptor, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    sys::close(file_with(10));
    int r = fs::open("f", O_RDONLY);
    EXPECT_ERR(sys::fallocate(r, 0, 0, 4096), EBADF);
    sys::close(r);
    int d = fs::open(".", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR(sys::fallocate(d, 0, 0, 4096), EBADF);
    sys::close(d);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::fallocate(p[1], 0, 0, 4096), ESPIPE);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::fallocate(-1, 0, 0, 4096), EBADF);
}
