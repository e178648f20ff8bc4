// SPDX-License-Identifier: MIT
// copy_file_range(2): data copied intact, file offsets or the offset
// arguments updated (never both), short copies at end of file, len 0, same
// file copies (overlap refused), and the errors for flags, descriptors
// (EBADF for access modes and O_APPEND, EISDIR, EINVAL for non-regular
// files), negative offsets and overflowing ranges.
// Left out: EXDEV between file systems (Linux >= 5.19 copies anyway within
// one file system type), reflink/server-side copy.
#include "tests/fs/fs_util.hpp"

namespace {

constexpr int kSize = 10000;

// "src" with kSize bytes of a pattern (returned open O_RDWR), "dst" empty.
int make_src(int* dst, int dst_flags = O_RDWR) {
    int fd = fs::create("src");
    static char buf[kSize];
    for (int i = 0; i < kSize; ++i) buf[i] = char('a' + i % 23);
    ASSERT_RET(sys::write(fd, buf, kSize), kSize);
    ASSERT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    sys::close(fs::create("dst"));
    *dst = fs::open("dst", dst_flags);
    return fd;
}
char pattern(long i) { return char('a' + i % 23); }

// Copies all `len` bytes (the call may copy less than asked per call).
long copy_all(int in, long* off_in, int out, long* off_out, long len) {
    long done = 0;
    while (done < len) {
        long r = sys::copy_file_range(in, off_in, out, off_out, usize(len - done), 0);
        if (r <= 0) return r < 0 ? r : done;
        done += r;
    }
    return done;
}

}  // namespace

// copy_file_range(2): with NULL offsets, data is read and written at the
// file offsets, which advance by the count; the copy is exact.
TEST(copy_file_range, copies_and_advances_offsets, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    ASSERT_RET(sys::lseek(src, 100, SEEK_SET), 100);
    EXPECT_RET(copy_all(src, nullptr, dst, nullptr, 5000), 5000);
    EXPECT_RET(sys::lseek(src, 0, SEEK_CUR), 5100);
    EXPECT_RET(sys::lseek(dst, 0, SEEK_CUR), 5000);
    static char buf[5000];
    EXPECT_RET(sys::pread64(dst, buf, sizeof buf, 0), 5000);
    int bad = 0;
    for (long i = 0; i < 5000; ++i) bad += buf[i] != pattern(i + 100);
    EXPECT_EQ(bad, 0);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2): with offset pointers, those are used and advanced; the
// file offsets stay where they were. The destination grows, with a hole.
TEST(copy_file_range, explicit_offsets_updated, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    long in = 2000, out = 300;
    EXPECT_RET(copy_all(src, &in, dst, &out, 1000), 1000);
    EXPECT_EQ(in, 3000);
    EXPECT_EQ(out, 1300);
    EXPECT_RET(sys::lseek(src, 0, SEEK_CUR), 0);
    EXPECT_RET(sys::lseek(dst, 0, SEEK_CUR), 0);
    EXPECT_EQ(fs::fsize(dst), 1300);
    char buf[4];
    EXPECT_RET(sys::pread64(dst, buf, 2, 299), 2);
    EXPECT_EQ(buf[0], 0);
    EXPECT_EQ(buf[1], pattern(2000));
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2): at the end of the source the copy is short, and from
// the end (or beyond) it returns 0; len 0 copies nothing.
struct EofRow {
    const char* label;
    long off_in;
    usize len;
    long want;
};
constexpr EofRow kEof[] = {
    {"short_at_eof", kSize - 10, 100, 10},
    {"at_eof", kSize, 100, 0},
    {"beyond_eof", kSize + 5000, 100, 0},
    {"len_0", 0, 0, 0},
};
TEST_P(copy_file_range, end_of_file_and_len_0, BOUNDARY, LINUX, kEof, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    long in = row.off_in, out = 0;
    EXPECT_RET(sys::copy_file_range(src, &in, dst, &out, row.len, 0), row.want);
    EXPECT_EQ(in, row.off_in + row.want);
    EXPECT_EQ(fs::fsize(dst), row.want);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2) within one file: non-overlapping ranges copy;
// overlapping ones are EINVAL.
TEST(copy_file_range, same_file, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    long in = 0, out = 5000;
    EXPECT_RET(copy_all(src, &in, src, &out, 100), 100);
    char c;
    EXPECT_RET(sys::pread64(src, &c, 1, 5050), 1);
    EXPECT_EQ(c, pattern(50));
    in = 0, out = 50;
    EXPECT_ERR(sys::copy_file_range(src, &in, src, &out, 100, 0), EINVAL);
    in = 100, out = 0;
    EXPECT_ERR(sys::copy_file_range(src, &in, src, &out, 101, 0), EINVAL);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2) EINVAL: flags must be 0.
struct FlagRow {
    const char* label;
    unsigned flags;
};
constexpr FlagRow kBadFlags[] = {{"bit_0", 1}, {"bit_31", 0x80000000u}, {"all", ~0u}};
TEST_P(copy_file_range, nonzero_flags_einval, NEGATIVE, LINUX, kBadFlags,
       .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    EXPECT_ERR(sys::copy_file_range(src, nullptr, dst, nullptr, 10, row.flags), EINVAL);
    EXPECT_EQ(fs::fsize(dst), 0);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2) EBADF: the source not open for reading, the
// destination not open for writing or open with O_APPEND.
struct ModeRow {
    const char* label;
    int src_flags, dst_flags;
};
constexpr ModeRow kBadModes[] = {
    {"src_write_only", O_WRONLY, O_RDWR},
    {"dst_read_only", O_RDONLY, O_RDONLY},
    {"dst_append", O_RDONLY, O_WRONLY | O_APPEND},
    {"src_path_fd", O_PATH, O_RDWR},
};
TEST_P(copy_file_range, wrong_access_mode_ebadf, NEGATIVE, LINUX, kBadModes,
       .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst, row.dst_flags);
    int in = fs::open("src", row.src_flags);
    EXPECT_ERR(sys::copy_file_range(in, nullptr, dst, nullptr, 10, 0), EBADF);
    EXPECT_EQ(fs::st("dst").st_size, 0);
    sys::close(in);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2): EISDIR when a descriptor is a directory, EINVAL when
// one is not a regular file (a pipe), EBADF for an invalid descriptor.
TEST(copy_file_range, special_descriptors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    int d = fs::open(".", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR(sys::copy_file_range(d, nullptr, dst, nullptr, 10, 0), EISDIR);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::copy_file_range(src, nullptr, p[1], nullptr, 10, 0), EINVAL);
    EXPECT_ERR(sys::copy_file_range(p[0], nullptr, dst, nullptr, 10, 0), EINVAL);
    EXPECT_ERR(sys::copy_file_range(-1, nullptr, dst, nullptr, 10, 0), EBADF);
    EXPECT_ERR(sys::copy_file_range(src, nullptr, 777, nullptr, 10, 0), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    sys::close(d);
    sys::close(src);
    sys::close(dst);
}

// copy_file_range(2) EOVERFLOW for a negative offset: Linux adds the length
// to the offset as an unsigned 64-bit value, so the range wraps (the man page
// lists no error for this); an offset so negative that the sum does not wrap
// (LONG_MIN) reaches the later range check and is EINVAL. Nothing is
// written. (EFBIG past the maximum file size is left out: that size is per
// file system, LONG_MAX on tmpfs.)
struct OffRow {
    const char* label;
    long in, out;
    usize len;
    int err;
};
constexpr OffRow kBadOffsets[] = {
    {"off_in_negative", -1, 0, 10, EOVERFLOW},
    {"off_out_negative", 0, -1, 10, EOVERFLOW},
    {"off_in_long_min_einval", LONG_MIN, 0, 10, EINVAL},
};
TEST_P(copy_file_range, bad_offsets, NEGATIVE, LINUX, kBadOffsets, .flags = kc::NEEDS_SCRATCH) {
    int dst, src = make_src(&dst);
    long in = row.in, out = row.out;
    EXPECT_ERR(sys::copy_file_range(src, &in, dst, &out, row.len, 0), row.err);
    EXPECT_EQ(in, row.in);
    EXPECT_EQ(fs::fsize(dst), 0);
    sys::close(src);
    sys::close(dst);
}
