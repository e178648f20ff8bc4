// SPDX-License-Identifier: MIT
// posix_fadvise(2) (the fadvise64 system call), readahead(2), sync(2) and
// the syncfs(2) cases the fs area leaves out. Advice never changes file
// contents; invalid advice and negative lengths are EINVAL, pipes ESPIPE
// (fadvise) or EINVAL (readahead), and descriptors that are not open for
// reading are EBADF for readahead.
// Not covered: the page-cache effects of the advice (not observable without
// mincore on a mapping and memory pressure), fadvise64_64 of 32-bit ABIs,
// the syncfs tests in src/tests/fs/sync.cpp.
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_net.hpp"

namespace {

// A scratch file holding 8 KiB of known bytes, opened with `flags`.
int data_file(int flags = O_RDWR) {
    int fd = int(sys::openat(kc::scratch_fd(), "f", O_CREAT | O_RDWR, 0600));
    if (fd < 0) return fd;
    char buf[256];
    for (int i = 0; i < 256; ++i) buf[i] = char(i);
    for (int i = 0; i < 32; ++i) sys::write(fd, buf, sizeof buf);
    if (flags == O_RDWR) return fd;
    sys::close(fd);
    return int(sys::openat(kc::scratch_fd(), "f", flags));
}

// True when the file's 8 KiB still hold the pattern data_file wrote.
bool data_intact(int fd) {
    char buf[256];
    for (int i = 0; i < 32; ++i) {
        if (sys::pread64(fd, buf, sizeof buf, i * 256L) != 256) return false;
        for (int j = 0; j < 256; ++j) {
            if (buf[j] != char(j)) return false;
        }
    }
    return true;
}

enum Kind : u8 { PIPE_R, PIPE_W, SOCKET, DIR, OPATH, WRONLY };
struct KindRow {
    const char* label;
    Kind kind;
};

// Opens a descriptor of the kind; `extra` gets a second descriptor to close
// (or -1). Returns the descriptor or -errno.
int open_kind(Kind k, int* extra) {
    int two[2];
    *extra = -1;
    switch (k) {
        case PIPE_R:
        case PIPE_W:
            if (sys::pipe2(two, 0) != 0) return -EMFILE;
            *extra = k == PIPE_R ? two[1] : two[0];
            return k == PIPE_R ? two[0] : two[1];
        case SOCKET:
            if (sys::socketpair(AF_UNIX, SOCK_STREAM, 0, two) != 0) {
                return -EMFILE;
            }
            *extra = two[1];
            return two[0];
        case DIR:
            return int(sys::openat(kc::scratch_fd(), ".", O_RDONLY | O_DIRECTORY));
        case OPATH:
            return int(sys::openat(kc::scratch_fd(), ".", O_PATH));
        case WRONLY:
            return data_file(O_WRONLY);
    }
    return -EINVAL;
}

void close2(int fd, int extra) {
    sys::close(fd);
    if (extra >= 0) sys::close(extra);
}

struct Advice {
    const char* label;
    long advice;
};
constexpr Advice kAdvice[] = {
    {"normal", POSIX_FADV_NORMAL},         {"random", POSIX_FADV_RANDOM},
    {"sequential", POSIX_FADV_SEQUENTIAL}, {"willneed", POSIX_FADV_WILLNEED},
    {"dontneed", POSIX_FADV_DONTNEED},     {"noreuse", POSIX_FADV_NOREUSE},
};

}  // namespace

// ---------------------------------------------------------------------------
// sync(2)

// sync(2): "sync() is always successful" (POSIX: it schedules the writes);
// data written before it reads back unchanged.
TEST(sync, always_succeeds, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::sync(), 0);
    EXPECT_TRUE(data_intact(fd));
    sys::close(fd);
}

// ---------------------------------------------------------------------------
// syncfs(2)

constexpr KindRow kPseudo[] = {{"pipe", PIPE_R}, {"socket", SOCKET}};
// syncfs(2) on a pipe or socket (Linux): the descriptor is valid and its
// pseudo file system has nothing to write back, so the call succeeds.
TEST_P(syncfs, pseudo_fs_descriptor_succeeds, BOUNDARY, LINUX, kPseudo) {
    int extra;
    int fd = open_kind(row.kind, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::syncfs(fd), 0);
    close2(fd, extra);
}

// syncfs(2) EBADF: an O_PATH descriptor is not usable for I/O.
TEST(syncfs, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int extra;
    int fd = open_kind(OPATH, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::syncfs(fd), EBADF);
    close2(fd, extra);
}

// ---------------------------------------------------------------------------
// fadvise64 (posix_fadvise(2))

// posix_fadvise(2): each of the six POSIX_FADV_* values is accepted on a
// regular file, for the whole file (len 0) and for a range, and the file's
// contents do not change (DONTNEED drops only clean cached pages).
TEST_P(fadvise64, valid_advice_accepted, POSITIVE, PSE54, kAdvice, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::fadvise64(fd, 0, 0, row.advice), 0);
    EXPECT_RET(sys::fadvise64(fd, 4096, 100, row.advice), 0);
    EXPECT_TRUE(data_intact(fd));
    sys::close(fd);
}

constexpr Advice kBadAdvice[] = {
    {"advice=6", 6},
    {"advice=7", 7},
    {"advice=-1", -1},
    {"advice=100", 100},
    {"advice=INT_MAX", INT_MAX},
};
// posix_fadvise(2) EINVAL: "An invalid value was specified for advice".
TEST_P(fadvise64, bad_advice_einval, NEGATIVE, PSE54, kBadAdvice, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, row.advice), EINVAL);
    sys::close(fd);
}

// posix_fadvise(2): advice is an int; Linux ignores the upper half of the
// 64-bit register (2^32 + POSIX_FADV_WILLNEED is WILLNEED).
TEST(fadvise64, advice_upper_bits_ignored, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::fadvise64(fd, 0, 0, (1L << 32) + POSIX_FADV_WILLNEED), 0);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, (1L << 32) + 6), EINVAL);
    sys::close(fd);
}

struct Range {
    const char* label;
    long off, len;
};
constexpr Range kNegLen[] = {{"len=-1", 0, -1}, {"len=LONG_MIN", 0, LONG_MIN}};
// posix_fadvise(2): POSIX (XSH posix_fadvise) EINVAL: "The value of advice is
// invalid, or the value of len is less than zero"; Linux agrees (its man page
// lists only bad advice).
TEST_P(fadvise64, negative_len_einval, NEGATIVE, PSE54, kNegLen, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::fadvise64(fd, row.off, row.len, POSIX_FADV_NORMAL), EINVAL);
    sys::close(fd);
}

constexpr Range kOddRanges[] = {
    {"off=-1", -1, 0},
    {"off=-4096,len=10", -4096, 10},
    {"off=LONG_MAX,len=LONG_MAX", LONG_MAX, LONG_MAX},
    {"off=2^40,len=1", 1L << 40, 1},
};
// posix_fadvise(2) on Linux: the offset is not checked (a negative one is
// accepted) and offset + len may overflow - the range then runs to the end.
TEST_P(fadvise64, odd_ranges_accepted, BOUNDARY, LINUX, kOddRanges, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::fadvise64(fd, row.off, row.len, POSIX_FADV_WILLNEED), 0);
    EXPECT_RET(sys::fadvise64(fd, row.off, row.len, POSIX_FADV_DONTNEED), 0);
    EXPECT_TRUE(data_intact(fd));
    sys::close(fd);
}

constexpr KindRow kPipes[] = {{"read_end", PIPE_R}, {"write_end", PIPE_W}};
// posix_fadvise(2) ESPIPE: "The specified file descriptor refers to a pipe
// or FIFO" - checked before the advice (bad advice still says ESPIPE).
TEST_P(fadvise64, pipe_espipe, NEGATIVE, PSE54, kPipes) {
    int extra;
    int fd = open_kind(row.kind, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, POSIX_FADV_NORMAL), ESPIPE);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, 99), ESPIPE);
    close2(fd, extra);
}

constexpr KindRow kOtherFiles[] = {{"socket", SOCKET}, {"directory", DIR}, {"write_only", WRONLY}};
// posix_fadvise(2) on Linux: only pipes are refused; sockets, directories and
// write-only descriptors accept the advice.
TEST_P(fadvise64, non_pipe_descriptors_accepted, BOUNDARY, LINUX, kOtherFiles,
       .flags = kc::NEEDS_SCRATCH) {
    int extra;
    int fd = open_kind(row.kind, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::fadvise64(fd, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, 99), EINVAL);
    close2(fd, extra);
}

struct FdRow {
    const char* label;
    int fd;
};
constexpr FdRow kBadFds[] = {{"fd=-1", -1}, {"fd=INT_MAX", INT_MAX}, {"fd=INT_MIN", INT_MIN}};
// posix_fadvise(2) EBADF: "The fd argument was not a valid file descriptor",
// checked before the advice.
TEST_P(fadvise64, bad_fd_ebadf, NEGATIVE, PSE54, kBadFds) {
    EXPECT_ERR(sys::fadvise64(row.fd, 0, 0, POSIX_FADV_NORMAL), EBADF);
    EXPECT_ERR(sys::fadvise64(row.fd, 0, 0, 99), EBADF);
}

// posix_fadvise(2) EBADF for an O_PATH descriptor (open(2): O_PATH descriptors
// are not usable for I/O).
TEST(fadvise64, o_path_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int extra;
    int fd = open_kind(OPATH, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::fadvise64(fd, 0, 0, POSIX_FADV_NORMAL), EBADF);
    close2(fd, extra);
}

// ---------------------------------------------------------------------------
// readahead(2)

struct Ahead {
    const char* label;
    long off, count;
};
constexpr Ahead kAheads[] = {
    {"whole", 0, 8192},
    {"count=0", 0, 0},
    {"past_eof", 1L << 40, 4096},
    {"off=-1", -1, 10},
    {"off=LONG_MAX,count=LONG_MAX", LONG_MAX, LONG_MAX},
};
// readahead(2): "On success, readahead() returns 0"; Linux does not check
// the offset (negative or past the end is fine) and the data read
// afterwards are unchanged.
TEST_P(readahead, regular_file_succeeds, POSITIVE, LINUX, kAheads, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_RET(sys::readahead(fd, row.off, row.count), 0);
    EXPECT_TRUE(data_intact(fd));
    sys::close(fd);
}

// readahead(2) on Linux: count is converted to a signed file length, so
// (size_t)-1 is a negative length and EINVAL.
TEST(readahead, negative_count_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = data_file();
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::readahead(fd, 0, -1), EINVAL);
    EXPECT_ERR(sys::readahead(fd, 0, LONG_MIN), EINVAL);
    sys::close(fd);
}

constexpr KindRow kNotRegular[] = {{"pipe", PIPE_R}, {"socket", SOCKET}, {"directory", DIR}};
// readahead(2) EINVAL: "fd does not refer to a file type to which
// readahead() can be applied" - anything but a regular file.
TEST_P(readahead, not_regular_einval, NEGATIVE, LINUX, kNotRegular, .flags = kc::NEEDS_SCRATCH) {
    int extra;
    int fd = open_kind(row.kind, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::readahead(fd, 0, 4096), EINVAL);
    close2(fd, extra);
}

constexpr KindRow kNotReadable[] = {
    {"file_write_only", WRONLY}, {"pipe_write_end", PIPE_W}, {"o_path", OPATH}};
// readahead(2) EBADF: "fd is not a valid file descriptor or is not open for
// reading" - checked before the file type (a pipe's write end is EBADF).
TEST_P(readahead, not_open_for_reading_ebadf, NEGATIVE, LINUX, kNotReadable,
       .flags = kc::NEEDS_SCRATCH) {
    int extra;
    int fd = open_kind(row.kind, &extra);
    ASSERT_GE(fd, 0);
    EXPECT_ERR(sys::readahead(fd, 0, 4096), EBADF);
    close2(fd, extra);
}

// readahead(2) EBADF for descriptors that are not open.
TEST_P(readahead, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    EXPECT_ERR(sys::readahead(row.fd, 0, 4096), EBADF);
}
