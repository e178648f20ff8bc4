// SPDX-License-Identifier: MIT
// mknodat(2), mknod(2) and FIFO semantics of open/read/write: creating FIFOs
// (mkfifo), regular files and socket nodes, device nodes (CAP_MKNOD), the
// type checks; opening a FIFO (O_NONBLOCK reader succeeds, writer gets ENXIO,
// blocking opens meet), data passing, EOF, EAGAIN, EPIPE/SIGPIPE, ESPIPE.
// The legacy mknod(2) entry point (x86-64) runs the same creation cases by
// absolute path.
// Left out: PIPE_BUF atomicity and pipe capacity (covered by the pipe tests),
// block devices.
#include "tests/fs/fs_util.hpp"

namespace {

int make_fifo() {
    long r = sys::mknodat(fs::D(), "fifo", S_IFIFO | 0600, 0);
    ASSERT_OK(r);
    return 0;
}
long fifo_open(int flags) { return sys::openat(fs::D(), "fifo", flags | O_CLOEXEC); }
long mknod_new(int d, const char* p) { return sys::mknodat(d, p, S_IFIFO | 0600, 0); }
// mknodat relative to the scratch directory, or mknod(2) by absolute path.
long mknod_by(fs::Entry e, const char* name, u32 mode, unsigned dev = 0) {
    const char* p = fs::path(e, name);
    return e == fs::AT ? sys::mknodat(fs::D(), p, mode, dev) : sys::mknod(p, mode, dev);
}

}  // namespace

// mkfifo(3) = mknod(S_IFIFO): creates a FIFO with the mode masked by the
// umask, size 0, one link.
TEST_ENTRIES(mknodat, mknod, creates_fifo, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    u32 mask = fs::umask_now();
    EXPECT_RET(mknod_by(entry, "fifo", S_IFIFO | 0664, 0), 0);
    arch::Stat s = fs::st("fifo");
    EXPECT_EQ(s.st_mode, S_IFIFO | (0664 & ~mask));
    EXPECT_EQ(s.st_size, 0);
    EXPECT_EQ(s.st_nlink, 1);
    EXPECT_EQ(s.st_uid, sys::geteuid());
}

// Linux mknod(2): type 0 or S_IFREG makes an empty regular file, S_IFSOCK a
// socket node; no privilege is needed.
struct TypeRow {
    const char* label;
    u32 type;
    u32 want;
};
constexpr TypeRow kTypes[] = {
    {"type_0_regular", 0, S_IFREG},
    {"s_ifreg", S_IFREG, S_IFREG},
    {"s_ifsock", S_IFSOCK, S_IFSOCK},
};
TEST_P_ENTRIES(mknodat, mknod, unprivileged_types, POSITIVE, LINUX, kTypes,
               .flags = kc::NEEDS_SCRATCH) {
    EXPECT_RET(mknod_by(entry, "node", row.type | 0600, 0), 0);
    arch::Stat s = fs::st("node");
    EXPECT_EQ(s.st_mode & S_IFMT, row.want);
    EXPECT_EQ(s.st_size, 0);
}

// mknod(2): EPERM for S_IFDIR (use mkdir), EINVAL for a type that is not a
// file type; nothing is created.
struct BadType {
    const char* label;
    u32 mode;
    int err;
};
constexpr BadType kBadTypes[] = {
    {"s_ifdir_eperm", S_IFDIR | 0700, EPERM},
    {"type_all_bits_einval", S_IFMT | 0600, EINVAL},
    {"type_030000_einval", 030000 | 0600, EINVAL},
    {"type_070000_einval", 070000 | 0600, EINVAL},
};
TEST_P_ENTRIES(mknodat, mknod, bad_type, NEGATIVE, LINUX, kBadTypes, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(mknod_by(entry, "node", row.mode, 0), row.err);
    EXPECT_EQ(fs::exists("node"), false);
}

// mknod(2): a character device needs CAP_MKNOD, which vfs_mknod checks in
// the initial user namespace (capable()): with it the node has the given
// device number (1:3, /dev/null's), without it EPERM.
TEST_ENTRIES(mknodat, mknod, char_device_needs_privilege, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    unsigned dev = (1u << 8) | 3;  // new_encode_dev(MKDEV(1, 3))
    long r = mknod_by(entry, "null", S_IFCHR | 0600, dev);
    if (kc::cap_usable(CAP_MKNOD)) {
        ASSERT_RET(r, 0);
        arch::Stat s = fs::st("null");
        EXPECT_EQ(s.st_mode & S_IFMT, S_IFCHR);
        EXPECT_EQ(s.st_rdev, dev);
    } else {
        EXPECT_ERR(r, EPERM);
        EXPECT_EQ(fs::exists("null"), false);
    }
}

// mknod(2) EEXIST: the name exists (a dangling symlink too).
TEST_ENTRIES(mknodat, mknod, existing_name_eexist, NEGATIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    fs::symlink("nowhere", "dangling");
    EXPECT_ERR(mknod_by(entry, "fifo", S_IFIFO | 0600, 0), EEXIST);
    EXPECT_ERR(mknod_by(entry, "dangling", S_IFIFO | 0600, 0), EEXIST);
}

// mknod(2): the lookup errors for the directory prefix.
TEST_P(mknodat, bad_path, NEGATIVE, PSE54, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, mknod_new);
}

// mknod(2), legacy call: the lookup errors for the directory prefix.
TEST_P(mknod, bad_path, NEGATIVE, PSE54, fs::kBadCreateAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(mknod);
    fs::check_bad_path(
        row, [](int, const char* p) { return sys::mknod(p, S_IFIFO | 0600, 0); }, true);
}

// mknod(2), legacy call: makes a FIFO by absolute path.
TEST(mknod, creates_fifo_by_path, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(mknod);
    EXPECT_RET(sys::mknod(kc::scratch_path("fifo"), S_IFIFO | 0600, 0), 0);
    EXPECT_EQ(fs::st("fifo").st_mode & S_IFMT, S_IFIFO);
}

// open(2) of a FIFO with O_RDONLY|O_NONBLOCK "shall return without delay";
// with no writer, read returns 0 (end of file).
TEST(openat, fifo_nonblock_reader_opens, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    long r = fifo_open(O_RDONLY | O_NONBLOCK);
    ASSERT_OK(r);
    char c;
    EXPECT_RET(sys::read(int(r), &c, 1), 0);
    sys::close(int(r));
}

// open(2) ENXIO: "O_NONBLOCK is set, the named file is a FIFO, O_WRONLY is
// set, and no process has the file open for reading".
TEST(openat, fifo_nonblock_writer_no_reader_enxio, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    EXPECT_ERR(fifo_open(O_WRONLY | O_NONBLOCK), ENXIO);
}

// fifo(7): on Linux, O_RDWR opens a FIFO without blocking, and the one
// descriptor can write and read back.
TEST(openat, fifo_rdwr_opens, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    long fd = fifo_open(O_RDWR);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "ab", 2), 2);
    char buf[2];
    EXPECT_RET(sys::read(int(fd), buf, 2), 2);
    EXPECT_MEM_EQ(buf, "ab", 2);
    sys::close(int(fd));
}

// FIFO data passes in order; an empty FIFO with a writer gives EAGAIN to a
// non-blocking read, and EOF once the writer is gone.
TEST(openat, fifo_data_eagain_eof, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    long r = fifo_open(O_RDONLY | O_NONBLOCK);
    ASSERT_OK(r);
    long w = fifo_open(O_WRONLY | O_NONBLOCK);
    ASSERT_OK(w);
    char buf[16];
    EXPECT_ERR(sys::read(int(r), buf, sizeof buf), EAGAIN);
    EXPECT_RET(sys::write(int(w), "hello", 5), 5);
    EXPECT_RET(sys::write(int(w), " fifo", 5), 5);
    EXPECT_RET(sys::read(int(r), buf, sizeof buf), 10);
    EXPECT_MEM_EQ(buf, "hello fifo", 10);
    sys::close(int(w));
    EXPECT_RET(sys::read(int(r), buf, sizeof buf), 0);
    sys::close(int(r));
}

// lseek(2) ESPIPE: a FIFO has no file offset.
TEST(openat, fifo_lseek_espipe, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    make_fifo();
    long r = fifo_open(O_RDONLY | O_NONBLOCK);
    ASSERT_OK(r);
    EXPECT_ERR(sys::lseek(int(r), 0, SEEK_SET), ESPIPE);
    EXPECT_ERR(sys::pread64(int(r), &r, 1, 0), ESPIPE);
    sys::close(int(r));
}

namespace {
void blocking_writer(void*) {
    long w = fifo_open(O_WRONLY);  // blocks until the parent opens for reading
    ASSERT_OK(w);
    EXPECT_RET(sys::write(int(w), "ping", 4), 4);
    sys::close(int(w));
}
}  // namespace

// open(2) of a FIFO without O_NONBLOCK blocks until the other side opens:
// a writer in a child and a reader in the parent meet, and data passes.
TEST(openat, fifo_blocking_opens_meet, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    make_fifo();
    long pid = kc::spawn(blocking_writer, nullptr);
    long r = fifo_open(O_RDONLY);
    ASSERT_OK(r);
    char buf[8];
    long got = 0, n;
    while ((n = sys::read(int(r), buf + got, usize(8 - got))) > 0) got += n;
    EXPECT_RET(got, 4);
    EXPECT_MEM_EQ(buf, "ping", 4);
    sys::close(int(r));
    EXPECT_CHILD_OK(pid);
}

namespace {
void write_without_reader(void* ignore) {
    if (ignore) {
        arch::KSigaction ign = arch::make_sigaction(SIG_IGN, 0, 0);
        ASSERT_OK(sys::rt_sigaction(SIGPIPE, &ign, nullptr));
    }
    long r = fifo_open(O_RDONLY | O_NONBLOCK);
    long w = fifo_open(O_WRONLY | O_NONBLOCK);
    ASSERT_OK(r);
    ASSERT_OK(w);
    sys::close(int(r));
    EXPECT_ERR(sys::write(int(w), "x", 1), EPIPE);  // only reached when ignored
    sys::close(int(w));
}
}  // namespace

// write(2) EPIPE: "An attempt is made to write to a pipe or FIFO that is not
// open for reading by any process ... A SIGPIPE signal shall also be sent".
// In children: one ignores SIGPIPE and sees EPIPE, one dies of it.
TEST(openat, fifo_write_no_reader_epipe_sigpipe, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    make_fifo();
    int dummy = 1;
    EXPECT_CHILD_OK(kc::spawn(write_without_reader, &dummy));
    long pid = kc::spawn(write_without_reader, nullptr);
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifsignaled(st));
    EXPECT_EQ(wtermsig(st), SIGPIPE);
}
