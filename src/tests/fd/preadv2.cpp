// SPDX-License-Identifier: MIT
// preadv2(2)/pwritev2(2): offset -1 (use and advance the file position)
// versus an explicit offset (position untouched), the RWF_* flags
// (RWF_APPEND, RWF_NOWAIT on pipes, RWF_DSYNC/RWF_SYNC/RWF_HIPRI accepted),
// unknown flags, iovcnt bounds, offsets below -1, ESPIPE on pipes, and
// zero-length vectors.
// Left out: RWF_NOWAIT on regular files (depends on the page cache state),
// RWF_ATOMIC and RWF_DONTCACHE (filesystem and device dependent), O_DIRECT.
#include "harness/test.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fd/fd_common.hpp"

using kc::Fd;

namespace {

int digits_file(int flags = O_RDWR) { return fd::scratch_file("f", "0123456789", 10, flags); }

// The rescues of the RWF_NOWAIT tests (common::Later): a byte into the
// empty pipe, or 4 KiB out of the full one.
void write_byte(void* fd) { sys::write(*static_cast<int*>(fd), "r", 1); }
void drain_4k(void* fd) {
    char buf[4096];
    sys::read(*static_cast<int*>(fd), buf, sizeof buf);
}

}  // namespace

// preadv2(2): "if the offset argument is -1, then the current file offset is
// used and updated" — two reads continue each other.
TEST(preadv2, offset_minus_one_uses_position, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    char a[3], b[4];
    iovec v[] = {{a, 3}, {b, 4}};
    EXPECT_RET(sys::preadv2(fd, v, 2, -1, 0), 7);
    EXPECT_MEM_EQ(a, "012", 3);
    EXPECT_MEM_EQ(b, "3456", 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 7);
    EXPECT_RET(sys::preadv2(fd, v, 1, -1, 0), 3);
    EXPECT_MEM_EQ(a, "789", 3);
}

// preadv2(2): with an explicit offset, "the file offset is not changed".
TEST(preadv2, explicit_offset_keeps_position, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    ASSERT_RET(sys::lseek(fd, 2, SEEK_SET), 2);
    char a[4];
    iovec v[] = {{a, 4}};
    EXPECT_RET(sys::preadv2(fd, v, 1, 5, 0), 4);
    EXPECT_MEM_EQ(a, "5678", 4);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 2);
}

// pwritev2(2): offset -1 writes at the file position and advances it; an
// explicit offset leaves the position alone.
TEST(pwritev2, offset_minus_one_uses_position, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    ASSERT_RET(sys::lseek(fd, 1, SEEK_SET), 1);
    iovec v[] = {{const_cast<char*>("ab"), 2}, {const_cast<char*>("c"), 1}};
    EXPECT_RET(sys::pwritev2(fd, v, 2, -1, 0), 3);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    EXPECT_RET(sys::pwritev2(fd, v, 1, 8, 0), 2);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 4);
    char buf[10];
    EXPECT_RET(sys::pread64(fd, buf, 10, 0), 10);
    EXPECT_MEM_EQ(buf, "0abc4567ab", 10);
}

// pwritev2(2) RWF_APPEND (Linux 4.16): "The offset argument does not affect
// the write operation; the data is always appended to the end of the file.
// However, if the offset argument is -1, the current file offset is updated."
struct AppendRow {
    const char* label;
    long off;
};
constexpr AppendRow kAppendOffs[] = {{"offset=0", 0}, {"offset=3", 3}, {"offset=-1", -1}};
TEST_P(pwritev2, rwf_append_appends, POSITIVE, LINUX, kAppendOffs, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    iovec v[] = {{const_cast<char*>("XY"), 2}};
    EXPECT_RET(sys::pwritev2(fd, v, 1, row.off, RWF_APPEND), 2);
    char buf[13] = {};
    EXPECT_RET(sys::pread64(fd, buf, 13, 0), 12);
    EXPECT_MEM_EQ(buf, "0123456789XY", 12);
    // With offset -1 the position moves past the appended data; with an
    // explicit offset it stays where it was.
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), row.off == -1 ? 12 : 0);
}

// pwrite(2) BUGS: "if a file is opened with O_APPEND, pwrite() appends data
// to the end of the file, regardless of the value of offset" — pwritev2
// follows Linux's pwrite.
TEST(pwritev2, o_append_ignores_offset, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file(O_RDWR | O_APPEND));
    ASSERT_OK(fd.get());
    iovec v[] = {{const_cast<char*>("Z"), 1}};
    EXPECT_RET(sys::pwritev2(fd, v, 1, 2, 0), 1);
    char buf[12] = {};
    EXPECT_RET(sys::pread64(fd, buf, 12, 0), 11);
    EXPECT_MEM_EQ(buf, "0123456789Z", 11);
}

// pwritev2(2) RWF_NOAPPEND (Linux 6.9, not in man-pages 6.03; linux/fs.h:
// "per-IO negation of O_APPEND"): the data lands at the explicit offset of an O_APPEND fd.
// An older kernel refuses the flag it does not know: EOPNOTSUPP.
TEST(pwritev2, rwf_noappend_writes_at_offset, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file(O_RDWR | O_APPEND));
    ASSERT_OK(fd.get());
    iovec v[] = {{const_cast<char*>("Z"), 1}};
    if (kc::linux_before(6, 9)) {
        EXPECT_ERR(sys::pwritev2(fd, v, 1, 2, RWF_NOAPPEND), EOPNOTSUPP);
        return;
    }
    // Linux 6.18's overlayfs writes to the file below with O_APPEND and
    // without the flag: the byte is appended (docs/findings.md).
    common::skip_on_overlayfs(fd, "RWF_NOAPPEND needs a file system that honours it");
    EXPECT_RET(sys::pwritev2(fd, v, 1, 2, RWF_NOAPPEND), 1);
    char buf[12] = {};
    EXPECT_RET(sys::pread64(fd, buf, 12, 0), 10);
    EXPECT_MEM_EQ(buf, "01Z3456789", 10);
}

// preadv2(2) RWF_NOWAIT (Linux 4.14; on pipes since 6.4): "Do not wait for data which is not
// immediately available ... If no bytes were read, it will return -1 and
// set errno to EAGAIN" — here on an empty blocking pipe. Linux 6.1 refused
// the flag on a pipe (EOPNOTSUPP), as a kernel older than 6.5 may.
TEST(preadv2, nowait_empty_pipe_eagain, BOUNDARY, LINUX) {
    kc::Pipe p(0);
    ASSERT_OK(p.r);
    char c;
    iovec v[] = {{&c, 1}};
    long r;
    {
        int wr = p.wr;
        common::Later rescue(500, write_byte, &wr);
        r = sys::preadv2(p.rd, v, 1, -1, RWF_NOWAIT);
    }
    if (kc::linux_before(6, 5)) {
        EXPECT_ERR_ANY(r, EAGAIN, EOPNOTSUPP);
        if (r == -EOPNOTSUPP) return;
    } else {
        EXPECT_ERR(r, EAGAIN);
    }
    EXPECT_RET(sys::write(p.wr, "z", 1), 1);
    EXPECT_RET(sys::preadv2(p.rd, v, 1, -1, RWF_NOWAIT), 1);
    EXPECT_EQ(c, 'z');
}

// pwritev2(2) RWF_NOWAIT on a full blocking pipe (pipes support the flag since
// Linux 6.4; older kernels answer EOPNOTSUPP, accepted before 6.5): EAGAIN
// instead of blocking.
TEST(pwritev2, nowait_full_pipe_eagain, BOUNDARY, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    ASSERT_OK(p.r);
    char buf[512] = {};
    while (sys::write(p.wr, buf, sizeof buf) > 0) {
    }
    ASSERT_OK(sys::fcntl(p.wr, F_SETFL, 0));
    iovec v[] = {{buf, 1}};
    long r;
    {
        int rd = p.rd;
        common::Later rescue(500, drain_4k, &rd);
        r = sys::pwritev2(p.wr, v, 1, -1, RWF_NOWAIT);
    }
    if (kc::linux_before(6, 5))
        EXPECT_ERR_ANY(r, EAGAIN, EOPNOTSUPP);
    else
        EXPECT_ERR(r, EAGAIN);
}

struct FlagRow {
    const char* label;
    int flags;
};
constexpr FlagRow kSyncFlags[] = {{"RWF_DSYNC", RWF_DSYNC},
                                  {"RWF_SYNC", RWF_SYNC},
                                  {"RWF_HIPRI", RWF_HIPRI},
                                  {"DSYNC|SYNC", RWF_DSYNC | RWF_SYNC}};
// pwritev2(2): RWF_DSYNC/RWF_SYNC (Linux 4.7) make the write synchronous,
// RWF_HIPRI is a polling hint; all are accepted and the data is written.
TEST_P(pwritev2, sync_flags_accepted, POSITIVE, LINUX, kSyncFlags, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    iovec v[] = {{const_cast<char*>("syn"), 3}};
    EXPECT_RET(sys::pwritev2(fd, v, 1, 4, row.flags), 3);
    char buf[10];
    EXPECT_RET(sys::pread64(fd, buf, 10, 0), 10);
    EXPECT_MEM_EQ(buf, "0123syn789", 10);
}

// preadv2(2): the same flags on a read are accepted too.
TEST_P(preadv2, sync_flags_accepted, POSITIVE, LINUX, kSyncFlags, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    char buf[3];
    iovec v[] = {{buf, 3}};
    EXPECT_RET(sys::preadv2(fd, v, 1, 6, row.flags), 3);
    EXPECT_MEM_EQ(buf, "678", 3);
}

constexpr FlagRow kUnknownFlags[] = {{"bit31", int(0x80000000u)}, {"bit20", 0x100000}};
// preadv2(2): "EOPNOTSUPP An unknown flag is specified in flags".
TEST_P(preadv2, unknown_flags_eopnotsupp, NEGATIVE, LINUX, kUnknownFlags,
       .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    char buf[3];
    iovec v[] = {{buf, 3}};
    EXPECT_ERR(sys::preadv2(fd, v, 1, 0, row.flags), EOPNOTSUPP);
    EXPECT_ERR(sys::preadv2(fd, v, 1, -1, row.flags), EOPNOTSUPP);
}

// pwritev2(2): "EOPNOTSUPP An unknown flag is specified in flags"; nothing
// is written.
TEST_P(pwritev2, unknown_flags_eopnotsupp, NEGATIVE, LINUX, kUnknownFlags,
       .flags = kc::NEEDS_SCRATCH) {
    Fd fd(fd::scratch_file("f", nullptr, 0, O_RDWR));
    iovec v[] = {{const_cast<char*>("abc"), 3}};
    EXPECT_ERR(sys::pwritev2(fd, v, 1, 0, row.flags), EOPNOTSUPP);
    arch::Stat st{};
    EXPECT_RET(sys::fstat(fd, &st), 0);
    EXPECT_EQ(long(st.st_size), 0);
}

struct CntRow {
    const char* label;
    int cnt;
};
constexpr CntRow kBadCnt[] = {
    {"iovcnt=-1", -1}, {"iovcnt=INT_MIN", INT_MIN}, {"iovcnt=1025", 1025}};
// preadv2(2)/readv(2): "EINVAL The vector count, iovcnt, is less than zero or
// greater than the permitted maximum" (IOV_MAX 1024).
TEST_P(preadv2, bad_iovcnt_einval, NEGATIVE, LINUX, kBadCnt, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    char buf[1];
    iovec v[] = {{buf, 1}};
    EXPECT_ERR(sys::preadv2(fd, v, row.cnt, 0, 0), EINVAL);
}
TEST_P(pwritev2, bad_iovcnt_einval, NEGATIVE, LINUX, kBadCnt, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    char buf[1] = {'x'};
    iovec v[] = {{buf, 1}};
    EXPECT_ERR(sys::pwritev2(fd, v, row.cnt, 0, 0), EINVAL);
}

// preadv2(2): iovcnt == IOV_MAX is still allowed: 1024 one-byte segments.
TEST(preadv2, iovcnt_iov_max_allowed, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    static iovec v[UIO_MAXIOV];
    char buf[10] = {};
    for (int i = 0; i < UIO_MAXIOV; ++i) v[i] = {i < 10 ? &buf[i] : buf, i < 10 ? 1u : 0u};
    EXPECT_RET(sys::preadv2(fd, v, UIO_MAXIOV, 0, 0), 10);
    EXPECT_MEM_EQ(buf, "0123456789", 10);
}

struct OffRow {
    const char* label;
    long off;
};
constexpr OffRow kBadOffs[] = {{"offset=-2", -2}, {"offset=LONG_MIN", LONG_MIN}};
// preadv2(2): only -1 means "current position"; any other negative offset
// is EINVAL (as for pread(2)).
TEST_P(preadv2, offset_below_minus_one_einval, NEGATIVE, LINUX, kBadOffs,
       .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    char buf[1];
    iovec v[] = {{buf, 1}};
    EXPECT_ERR(sys::preadv2(fd, v, 1, row.off, 0), EINVAL);
}
TEST_P(pwritev2, offset_below_minus_one_einval, NEGATIVE, LINUX, kBadOffs,
       .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    char buf[1] = {'x'};
    iovec v[] = {{buf, 1}};
    EXPECT_ERR(sys::pwritev2(fd, v, 1, row.off, 0), EINVAL);
}

// preadv2(2)/pwritev2(2): "The file referred to by fd must be capable of
// seeking" for an explicit offset: ESPIPE on a pipe (as pread(2)), while -1 reads/writes the pipe
// like readv.
TEST(preadv2, pipe_explicit_offset_espipe, NEGATIVE, LINUX) {
    kc::Pipe p(0);
    ASSERT_OK(p.r);
    iovec w[] = {{const_cast<char*>("ok"), 2}};
    EXPECT_ERR(sys::pwritev2(p.wr, w, 1, 0, 0), ESPIPE);
    EXPECT_RET(sys::pwritev2(p.wr, w, 1, -1, 0), 2);
    char buf[2];
    iovec r[] = {{buf, 2}};
    EXPECT_ERR(sys::preadv2(p.rd, r, 1, 0, 0), ESPIPE);
    EXPECT_RET(sys::preadv2(p.rd, r, 1, -1, 0), 2);
    EXPECT_MEM_EQ(buf, "ok", 2);
}

// preadv2(2): zero-length vectors transfer nothing: iovcnt 0, or segments of
// length 0 (even with a null base), return 0 and leave the position alone.
TEST(preadv2, zero_length_vectors, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    iovec v[] = {{nullptr, 0}, {nullptr, 0}};
    EXPECT_RET(sys::preadv2(fd, v, 0, -1, 0), 0);
    EXPECT_RET(sys::preadv2(fd, v, 2, -1, 0), 0);
    EXPECT_RET(sys::preadv2(fd, nullptr, 0, 3, 0), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 0);
}

// pwritev2(2): zero-length vectors write nothing and do not extend the file.
TEST(pwritev2, zero_length_vectors, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    ASSERT_OK(fd.get());
    iovec v[] = {{nullptr, 0}};
    EXPECT_RET(sys::pwritev2(fd, v, 1, 100, 0), 0);
    EXPECT_RET(sys::pwritev2(fd, v, 0, -1, 0), 0);
    arch::Stat st{};
    EXPECT_RET(sys::fstat(fd, &st), 0);
    EXPECT_EQ(long(st.st_size), 10);
}

// preadv2(2): "EBADF fd is not a valid file descriptor or is not open for
// reading"; pwritev2 likewise for writing.
TEST(preadv2, bad_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    char buf[1] = {'x'};
    iovec v[] = {{buf, 1}};
    EXPECT_ERR(sys::preadv2(-1, v, 1, 0, 0), EBADF);
    EXPECT_ERR(sys::pwritev2(-1, v, 1, 0, 0), EBADF);
    Fd wr(fd::scratch_file("f", nullptr, 0, O_WRONLY));
    Fd rd(sys::openat(kc::scratch_fd(), "f", O_RDONLY));
    EXPECT_ERR(sys::preadv2(wr, v, 1, 0, 0), EBADF);
    EXPECT_ERR(sys::pwritev2(rd, v, 1, 0, 0), EBADF);
}

// preadv2(2): "EFAULT" for an iovec array or a buffer outside the address space.
TEST(preadv2, bad_iovec_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(digits_file());
    EXPECT_ERR(sys::preadv2(fd, reinterpret_cast<iovec*>(8), 1, 0, 0), EFAULT);
    iovec v[] = {{reinterpret_cast<void*>(8), 4}};
    EXPECT_ERR(sys::preadv2(fd, v, 1, 0, 0), EFAULT);
}
