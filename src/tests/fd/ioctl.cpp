// SPDX-License-Identifier: MIT
// ioctl(2) on descriptors that are not devices: the generic requests the VFS
// handles for every file (FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE,
// FIGETBSZ), FIONREAD on pipes, sockets and regular files, and the errors:
// terminal requests and unknown requests are ENOTTY, bad descriptors and
// O_PATH descriptors are EBADF, bad argument pointers are EFAULT.
// Not covered: terminals and other devices (the suite opens none), socket
// SIOC* requests (net area), file-system specific requests (FS_IOC_*).
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_net.hpp"
#include "rt/sys_system.hpp"
#include "tests/common/common_util.hpp"

namespace {

enum Kind : u8 { PIPE_R, PIPE_W, SOCKET, FILE, DIR };

// The descriptors of one test: `fd` is the one under test; all of them are
// closed by close_all.
struct Fds {
    int fd = -1;
    int a = -1, b = -1;
};

void close_all(Fds& f) {
    if (f.a >= 0) sys::close(f.a);
    if (f.b >= 0) sys::close(f.b);
}

// Opens a descriptor of the given kind; FILE and DIR live in the scratch
// directory. Returns false on failure.
bool open_kind(Kind k, Fds& f) {
    int two[2] = {-1, -1};
    switch (k) {
        case PIPE_R:
        case PIPE_W:
            if (sys::pipe2(two, 0) != 0) return false;
            f.a = two[0], f.b = two[1];
            f.fd = k == PIPE_R ? two[0] : two[1];
            return true;
        case SOCKET:
            if (sys::socketpair(AF_UNIX, SOCK_STREAM, 0, two) != 0) return false;
            f.a = two[0], f.b = two[1], f.fd = two[0];
            return true;
        case FILE:
            f.a = int(sys::openat(kc::scratch_fd(), "f", O_CREAT | O_RDWR, 0600));
            f.fd = f.a;
            return f.a >= 0;
        case DIR:
            f.a = int(sys::openat(kc::scratch_fd(), ".", O_RDONLY | O_DIRECTORY));
            f.fd = f.a;
            return f.a >= 0;
    }
    return false;
}

long getfl(int fd) { return sys::fcntl(fd, F_GETFL); }
long getfd(int fd) { return sys::fcntl(fd, F_GETFD); }

// `n` bytes of anonymous memory (zeroes); nullptr on failure.
u8* buffer(usize n) {
    long p = sys::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p < 0 && p > -4096 ? nullptr : reinterpret_cast<u8*>(p);
}

struct KindRow {
    const char* label;
    Kind kind;
};
constexpr KindRow kKinds[] = {
    {"pipe_read", PIPE_R}, {"pipe_write", PIPE_W}, {"socket", SOCKET},
    {"file", FILE},        {"directory", DIR},
};

}  // namespace

struct Bytes {
    const char* label;
    usize n;
};
constexpr Bytes kPipeBytes[] = {{"bytes=0", 0},
                                {"bytes=1", 1},
                                {"bytes=100", 100},
                                {"bytes=4096", 4096},
                                {"bytes=65536", 65536}};
// ioctl(2) FIONREAD (ioctl_tty(2)/pipe(7)): "Get the number of bytes in the
// input buffer" - on a pipe, the bytes written and not yet read, up to a full
// 64 KiB pipe. Linux answers on the write end too.
TEST_P(ioctl, fionread_pipe_counts, POSITIVE, LINUX, kPipeBytes) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, O_NONBLOCK), 0);
    u8* data = buffer(65536);
    ASSERT_TRUE(data != nullptr);
    if (row.n) EXPECT_RET(sys::write(fds[1], data, row.n), long(row.n));
    int n = -1;
    EXPECT_RET(sys::ioctl(fds[0], FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, long(row.n));
    n = -1;
    EXPECT_RET(sys::ioctl(fds[1], FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, long(row.n));
    sys::munmap(data, 65536);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIONREAD on a pipe follows reads: 100 written, 30 read leaves 70.
TEST(ioctl, fionread_pipe_after_read, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    u8 buf[100] = {};
    ASSERT_RET(sys::write(fds[1], buf, 100), 100);
    ASSERT_RET(sys::read(fds[0], buf, 30), 30);
    int n = -1;
    EXPECT_RET(sys::ioctl(fds[0], FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 70);
    ASSERT_RET(sys::read(fds[0], buf, 100), 70);
    EXPECT_RET(sys::ioctl(fds[0], FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 0);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIONREAD on a stream socket (unix(7) SIOCINQ): the bytes queued for
// reading at the receiving end; the sending end has none.
TEST(ioctl, fionread_socket_counts, POSITIVE, LINUX) {
    Fds f;
    ASSERT_TRUE(open_kind(SOCKET, f));
    ASSERT_RET(sys::write(f.a, "0123456789", 10), 10);
    int n = -1;
    EXPECT_RET(sys::ioctl(f.b, FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 10);
    EXPECT_RET(sys::ioctl(f.a, FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 0);
    close_all(f);
}

struct FilePos {
    const char* label;
    long size, pos;
    int want;
};
constexpr FilePos kFilePos[] = {
    {"size=100,pos=0", 100, 0, 100},     {"size=100,pos=30", 100, 30, 70},
    {"size=100,pos=100", 100, 100, 0},   {"size=0,pos=0", 0, 0, 0},
    {"size=100,pos=150", 100, 150, -50},
};
// ioctl(2) FIONREAD on a regular file (Linux fs/ioctl.c): the size minus the
// file offset, as an int - negative when the offset is past the end.
TEST_P(ioctl, fionread_regular_file, BOUNDARY, LINUX, kFilePos, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(FILE, f));
    ASSERT_RET(sys::ftruncate(f.fd, row.size), 0);
    ASSERT_RET(sys::lseek(f.fd, row.pos, SEEK_SET), row.pos);
    int n = 12345;
    EXPECT_RET(sys::ioctl(f.fd, FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, row.want);
    close_all(f);
}

constexpr KindRow kReadable[] = {{"pipe", PIPE_R}, {"socket", SOCKET}, {"file", FILE}};
// ioctl(2) EFAULT: "argp references an inaccessible memory area".
TEST_P(ioctl, fionread_bad_pointer_efault, NEGATIVE, LINUX, kReadable, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    EXPECT_ERR(sys::ioctl(f.fd, FIONREAD, long(common::kBadAddr)), EFAULT);
    close_all(f);
}

// ioctl(2) FIONBIO (ioctl_fionbio semantics in fs/ioctl.c): a non-zero int
// sets O_NONBLOCK on the open file description, zero clears it; any kind of
// descriptor.
TEST_P(ioctl, fionbio_toggles_nonblock, POSITIVE, LINUX, kKinds, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    int on = 1, off = 0;
    EXPECT_RET(sys::ioctl(f.fd, FIONBIO, long(&on)), 0);
    EXPECT_EQ(getfl(f.fd) & O_NONBLOCK, O_NONBLOCK);
    EXPECT_RET(sys::ioctl(f.fd, FIONBIO, long(&off)), 0);
    EXPECT_EQ(getfl(f.fd) & O_NONBLOCK, 0);
    close_all(f);
}

struct Int {
    const char* label;
    int v;
};
constexpr Int kNonZero[] = {{"v=2", 2}, {"v=-1", -1}, {"v=0x100", 0x100}, {"v=INT_MIN", INT_MIN}};
// ioctl(2) FIONBIO: any non-zero value means "on".
TEST_P(ioctl, fionbio_any_nonzero_sets, BOUNDARY, LINUX, kNonZero) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    EXPECT_RET(sys::ioctl(fds[0], FIONBIO, long(&row.v)), 0);
    EXPECT_EQ(getfl(fds[0]) & O_NONBLOCK, O_NONBLOCK);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIONBIO takes effect: a read from an empty pipe fails at once with
// EAGAIN, and the flag is shared with a dup of the descriptor (same open file
// description).
TEST(ioctl, fionbio_read_would_block, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    long d = sys::dup(fds[0]);
    ASSERT_GE(d, 0);
    int on = 1;
    ASSERT_RET(sys::ioctl(fds[0], FIONBIO, long(&on)), 0);
    char c;
    EXPECT_ERR(sys::read(fds[0], &c, 1), EAGAIN);
    EXPECT_EQ(getfl(int(d)) & O_NONBLOCK, O_NONBLOCK);
    EXPECT_ERR(sys::read(int(d), &c, 1), EAGAIN);
    sys::close(int(d));
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIONBIO EFAULT: the int is read from argp.
TEST(ioctl, fionbio_bad_pointer_efault, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    EXPECT_ERR(sys::ioctl(fds[0], FIONBIO, long(common::kBadAddr)), EFAULT);
    EXPECT_EQ(getfl(fds[0]) & O_NONBLOCK, 0);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIOCLEX / FIONCLEX: set and clear the close-on-exec flag, like
// fcntl(F_SETFD), on any kind of descriptor.
TEST_P(ioctl, fioclex_toggles_cloexec, POSITIVE, LINUX, kKinds, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    EXPECT_RET(sys::ioctl(f.fd, FIOCLEX, 0), 0);
    EXPECT_EQ(getfd(f.fd), FD_CLOEXEC);
    EXPECT_RET(sys::ioctl(f.fd, FIONCLEX, 0), 0);
    EXPECT_EQ(getfd(f.fd), 0);
    close_all(f);
}

// ioctl(2) FIOCLEX: close-on-exec is a per-descriptor flag; a dup of the
// descriptor keeps its own (clear) flag.
TEST(ioctl, fioclex_per_descriptor, POSITIVE, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    long d = sys::dup(fds[0]);
    ASSERT_GE(d, 0);
    EXPECT_RET(sys::ioctl(fds[0], FIOCLEX, 0), 0);
    EXPECT_EQ(getfd(fds[0]), FD_CLOEXEC);
    EXPECT_EQ(getfd(int(d)), 0);
    sys::close(int(d));
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// ioctl(2) FIOCLEX/FIONCLEX take no argument: an unmapped argp is ignored.
TEST(ioctl, fioclex_ignores_argument, BOUNDARY, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    EXPECT_RET(sys::ioctl(fds[1], FIOCLEX, long(common::kBadAddr)), 0);
    EXPECT_EQ(getfd(fds[1]), FD_CLOEXEC);
    EXPECT_RET(sys::ioctl(fds[1], FIONCLEX, long(common::kKernelAddr)), 0);
    EXPECT_EQ(getfd(fds[1]), 0);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

constexpr KindRow kAsync[] = {{"pipe", PIPE_R}, {"socket", SOCKET}};
// ioctl(2) FIOASYNC: a non-zero int sets O_ASYNC (signal-driven I/O) on the
// open file description, zero clears it.
TEST_P(ioctl, fioasync_toggles_o_async, POSITIVE, LINUX, kAsync) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    int on = 1, off = 0;
    EXPECT_RET(sys::ioctl(f.fd, FIOASYNC, long(&on)), 0);
    EXPECT_EQ(getfl(f.fd) & O_ASYNC, O_ASYNC);
    EXPECT_RET(sys::ioctl(f.fd, FIOASYNC, long(&off)), 0);
    EXPECT_EQ(getfl(f.fd) & O_ASYNC, 0);
    close_all(f);
}

struct Size {
    const char* label;
    long size;
};
constexpr Size kSparse[] = {{"size=0", 0}, {"size=12345", 12345}, {"size=2^33+1", (1L << 33) + 1}};
// ioctl(2) FIOQSIZE (Linux fs/ioctl.c): the bytes allocated to a file
// (inode_get_bytes), as a 64-bit loff_t - not its size. A file grown with
// ftruncate alone is sparse: 0 bytes allocated, whatever its size.
TEST_P(ioctl, fioqsize_sparse_file_zero, BOUNDARY, LINUX, kSparse, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(FILE, f));
    long r = sys::ftruncate(f.fd, row.size);
    if (r == -EFBIG || r == -EINVAL) {
        close_all(f);
        kc::skip("the scratch file system cannot hold a file that large");
    }
    ASSERT_RET(r, 0);
    long q = -1;
    EXPECT_RET(sys::ioctl(f.fd, FIOQSIZE, long(&q)), 0);
    EXPECT_EQ(q, 0);
    close_all(f);
}

// ioctl(2) FIOQSIZE: once 8 KiB of incompressible data are written and
// synced, at least that much is allocated, in whole 512-byte sectors.
TEST(ioctl, fioqsize_written_file, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(FILE, f));
    u8* data = buffer(8192);
    ASSERT_TRUE(data != nullptr);
    ASSERT_RET(sys::getrandom(data, 8192, 0), 8192);
    ASSERT_RET(sys::write(f.fd, data, 8192), 8192);
    ASSERT_RET(sys::fsync(f.fd), 0);
    long q = -1;
    EXPECT_RET(sys::ioctl(f.fd, FIOQSIZE, long(&q)), 0);
    // Linux's overlayfs answers from the overlay inode, which counts no blocks.
    if (!common::on_overlayfs(f.fd)) EXPECT_GE(q, 8192);
    EXPECT_EQ(q % 512, 0);
    sys::munmap(data, 8192);
    close_all(f);
}

constexpr KindRow kNoQsize[] = {{"pipe", PIPE_R}, {"socket", SOCKET}};
// ioctl(2) FIOQSIZE applies to files, directories and symlinks only; other
// descriptors get ENOTTY.
TEST_P(ioctl, fioqsize_not_file_enotty, NEGATIVE, LINUX, kNoQsize) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    long q = -1;
    EXPECT_ERR(sys::ioctl(f.fd, FIOQSIZE, long(&q)), ENOTTY);
    EXPECT_EQ(q, -1);
    close_all(f);
}

constexpr KindRow kBlockSize[] = {{"file", FILE}, {"directory", DIR}, {"pipe", PIPE_R}};
// ioctl(2) FIGETBSZ: the block size of the file system holding the file, a
// power of two of at least 512 bytes (pipefs reports the page size).
TEST_P(ioctl, figetbsz_power_of_two, POSITIVE, LINUX, kBlockSize, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    int bs = 0;
    if (common::on_overlayfs(f.fd)) {
        // Linux's overlayfs has no block size of its own: "anon_bdev
        // filesystems may not have a block size" (fs/ioctl.c): EINVAL.
        EXPECT_ERR(sys::ioctl(f.fd, FIGETBSZ, long(&bs)), EINVAL);
        close_all(f);
        return;
    }
    EXPECT_RET(sys::ioctl(f.fd, FIGETBSZ, long(&bs)), 0);
    EXPECT_GE(bs, 512);
    EXPECT_EQ(bs & (bs - 1), 0);
    close_all(f);
}

struct Req {
    const char* label;
    Kind kind;
    unsigned long req;
};
constexpr Req kTtyReqs[] = {
    {"pipe_read:TCGETS", PIPE_R, TCGETS},      {"pipe_write:TCGETS", PIPE_W, TCGETS},
    {"socket:TCGETS", SOCKET, TCGETS},         {"file:TCGETS", FILE, TCGETS},
    {"directory:TCGETS", DIR, TCGETS},         {"pipe_read:TIOCGWINSZ", PIPE_R, TIOCGWINSZ},
    {"socket:TIOCGWINSZ", SOCKET, TIOCGWINSZ}, {"file:TIOCGWINSZ", FILE, TIOCGWINSZ},
};
// ioctl(2) ENOTTY: "The specified request does not apply to the kind of
// object that the file descriptor fd references" - terminal requests on
// pipes, sockets, files and directories (isatty(3) relies on it).
TEST_P(ioctl, not_a_tty_enotty, NEGATIVE, LINUX, kTtyReqs, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    u8 buf[64];
    common::fill_bytes(buf, 0xa5, sizeof buf);
    EXPECT_ERR(sys::ioctl(f.fd, row.req, long(buf)), ENOTTY);
    bool untouched = true;
    for (u8 b : buf) untouched = untouched && b == 0xa5;
    EXPECT_TRUE(untouched);
    close_all(f);
}

// ioctl(2) ENOTTY for a request number nobody implements, on any kind of
// descriptor.
TEST_P(ioctl, unknown_request_enotty, NEGATIVE, LINUX, kKinds, .flags = kc::NEEDS_SCRATCH) {
    Fds f;
    ASSERT_TRUE(open_kind(row.kind, f));
    u8 buf[64] = {};
    EXPECT_ERR(sys::ioctl(f.fd, 0x4b43d3fful, long(buf)), ENOTTY);
    close_all(f);
}

struct BadFd {
    const char* label;
    int fd;
    unsigned long req;
};
constexpr BadFd kBadFds[] = {
    {"fd=-1:FIONREAD", -1, FIONREAD},       {"fd=INT_MAX:FIONREAD", INT_MAX, FIONREAD},
    {"fd=-1:FIOCLEX", -1, FIOCLEX},         {"fd=INT_MAX:FIONBIO", INT_MAX, FIONBIO},
    {"fd=INT_MIN:TCGETS", INT_MIN, TCGETS},
};
// ioctl(2) EBADF: "fd is not a valid file descriptor".
TEST_P(ioctl, bad_fd_ebadf, NEGATIVE, LINUX, kBadFds) {
    int n = 0;
    EXPECT_ERR(sys::ioctl(row.fd, row.req, long(&n)), EBADF);
}

// ioctl(2) EBADF on a descriptor that was just closed.
TEST(ioctl, closed_fd_ebadf, NEGATIVE, LINUX) {
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    sys::close(fds[0]);
    sys::close(fds[1]);
    int n = 0;
    EXPECT_ERR(sys::ioctl(fds[0], FIONREAD, long(&n)), EBADF);
    EXPECT_ERR(sys::ioctl(fds[1], FIOCLEX, 0), EBADF);
}

struct PathReq {
    const char* label;
    unsigned long req;
};
constexpr PathReq kPathReqs[] = {
    {"FIOCLEX", FIOCLEX},   {"FIONCLEX", FIONCLEX}, {"FIONBIO", FIONBIO},
    {"FIONREAD", FIONREAD}, {"TCGETS", TCGETS},
};
// open(2) O_PATH: "The file itself is not opened, and other file operations
// (e.g., read(2), write(2), fchmod(2), fchown(2), fgetxattr(2), ioctl(2),
// mmap(2)) fail with the error EBADF".
TEST_P(ioctl, o_path_fd_ebadf, NEGATIVE, LINUX, kPathReqs) {
    long fd = sys::openat(AT_FDCWD, "/", O_PATH);
    ASSERT_GE(fd, 0);
    int n = 1;
    EXPECT_ERR(sys::ioctl(int(fd), row.req, long(&n)), EBADF);
    EXPECT_EQ(getfd(int(fd)), 0);
    sys::close(int(fd));
}
