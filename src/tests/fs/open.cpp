// SPDX-License-Identifier: MIT
// openat(2), open(2), creat(2): creation and exclusivity, truncation,
// appending (also from two processes at once), O_DIRECTORY, O_NOFOLLOW,
// O_CLOEXEC, O_PATH, O_TMPFILE, lowest-fd allocation, and the legacy calls.
// The mode, the lookup's limits and permissions are in open_lookup.cpp,
// openat2(2) in openat2.cpp.
// O_DSYNC/O_SYNC, O_NOATIME, O_NOCTTY and O_LARGEFILE: file_flags.cpp.
// Left out: O_DIRECT, O_ASYNC (signals; Linux ignores it at open), opening
// devices.
#include "tests/fs/fs_util.hpp"

namespace {

// An O_TMPFILE descriptor in the scratch directory; skips where unsupported.
int tmpfile_or_skip(int flags) {
    long fd = sys::openat(fs::D(), ".", O_TMPFILE | flags, 0600);
    // EOPNOTSUPP: the file system lacks it; EISDIR: the kernel predates it.
    if (fd == -EOPNOTSUPP || fd == -EISDIR) kc::skip("O_TMPFILE not supported here");
    ASSERT_OK(fd);
    return int(fd);
}

}  // namespace

// open(2) ERRORS (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG) and openat EBADF/ENOTDIR
// for the dirfd: lookups of bad paths without O_CREAT fail exactly so.
TEST_P(openat, bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, fs::open_ro);
}

// The same paths with O_CREAT: only the directory prefix can fail.
TEST_P(openat, bad_path_creat, NEGATIVE, PSE52, fs::kBadCreate, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, [](int d, const char* p) {
        long r = sys::openat(d, p, O_WRONLY | O_CREAT, 0600);
        if (r >= 0) sys::close(int(r));
        return r;
    });
}

// Linux reports an unmapped path pointer as EFAULT (POSIX leaves it undefined).
TEST(openat, path_pointer_unmapped_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::openat(AT_FDCWD, reinterpret_cast<const char*>(8), O_RDONLY), EFAULT);
}

// open(2): O_CREAT|O_EXCL creates a new, empty regular file owned by the euid.
TEST(openat, creat_excl_creates, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    long fd = sys::openat(fs::D(), "new", O_RDWR | O_CREAT | O_EXCL, 0600);
    ASSERT_OK(fd);
    arch::Stat s = fs::fst(int(fd));
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(s.st_size, 0);
    EXPECT_EQ(s.st_nlink, 1);
    EXPECT_EQ(s.st_uid, sys::geteuid());
    EXPECT_EQ(s.st_ino, fs::st("new").st_ino);
    sys::close(int(fd));
}

// open(2): O_CREAT|O_EXCL fails with EEXIST when the name exists, whatever it is.
struct ExistRow {
    const char* label;
    int kind;  // 0 file, 1 directory, 2 dangling symlink, 3 symlink to a file
};
constexpr ExistRow kExisting[] = {
    {"file", 0}, {"directory", 1}, {"dangling_symlink", 2}, {"symlink_to_file", 3}};
// POSIX open(): "If O_CREAT and O_EXCL are set ... and path names a symbolic
// link, open() shall fail with [EEXIST] regardless of the contents of the link".
TEST_P(openat, creat_excl_existing_eexist, NEGATIVE, PSE52, kExisting, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    if (row.kind == 0) fs::touch("x");
    if (row.kind == 1) fs::mkdir("x");
    if (row.kind == 2) fs::symlink("nowhere", "x");
    if (row.kind == 3) fs::symlink("f", "x");
    EXPECT_ERR(sys::openat(fs::D(), "x", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
    EXPECT_EQ(fs::exists("nowhere"), false);
}

// open(2): O_CREAT without O_EXCL through a dangling symlink creates its target.
TEST(openat, creat_through_dangling_symlink, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::symlink("target", "link");
    long fd = sys::openat(fs::D(), "link", O_WRONLY | O_CREAT, 0600);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "abc", 3), 3);
    sys::close(int(fd));
    EXPECT_EQ(fs::st("target").st_size, 3);
    EXPECT_EQ(fs::st("link").st_mode & S_IFMT, S_IFLNK);
}

// open(2): O_CREAT on an existing file opens it and leaves its mode and data alone.
TEST(openat, creat_existing_keeps_mode_and_data, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "hello", 0640);
    long fd = sys::openat(fs::D(), "f", O_RDWR | O_CREAT, 0777);
    ASSERT_OK(fd);
    arch::Stat s = fs::fst(int(fd));
    EXPECT_EQ(s.st_mode & 07777, 0640);
    EXPECT_EQ(s.st_size, 5);
    sys::close(int(fd));
}

// open(2): O_TRUNC on a regular file opened for writing sets its length to 0.
TEST(openat, trunc_discards_data, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "some data");
    long fd = sys::openat(fs::D(), "f", O_RDWR | O_TRUNC);
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fsize(int(fd)), 0);
    char c;
    EXPECT_RET(sys::read(int(fd), &c, 1), 0);
    sys::close(int(fd));
}

// open(2) leaves O_RDONLY|O_TRUNC unspecified; Linux truncates the file.
TEST(openat, trunc_with_rdonly_truncates, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "some data");
    long fd = sys::openat(fs::D(), "f", O_RDONLY | O_TRUNC);
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fsize(int(fd)), 0);
    sys::close(int(fd));
}

// open(2): with O_APPEND every write goes to the end, whatever the offset.
TEST(openat, append_writes_at_end, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "abc");
    int fd = fs::open("f", O_RDWR | O_APPEND);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_RET(sys::write(fd, "XY", 2), 2);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 5);  // the offset follows the write
    EXPECT_RET(sys::lseek(fd, 1, SEEK_SET), 1);
    EXPECT_RET(sys::write(fd, "Z", 1), 1);
    char buf[8];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 6);
    EXPECT_MEM_EQ(buf, "abcXYZ", 6);
    sys::close(fd);
}

// pwrite(2) BUGS: on Linux, with O_APPEND pwrite appends, ignoring the offset.
TEST(openat, append_pwrite_appends, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "abc");
    int fd = fs::open("f", O_RDWR | O_APPEND);
    EXPECT_RET(sys::pwrite64(fd, "Q", 1, 0), 1);
    char buf[8];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 4);
    EXPECT_MEM_EQ(buf, "abcQ", 4);
    sys::close(fd);
}

namespace {
constexpr int kAppendRecords = 300, kRecord = 32;
void append_records(void* arg) {
    char rec[kRecord];
    for (int i = 0; i < kRecord - 1; ++i) rec[i] = *static_cast<char*>(arg);
    rec[kRecord - 1] = '\n';
    int fd = fs::open("f", O_WRONLY | O_APPEND);
    for (int i = 0; i < kAppendRecords; ++i) {
        if (sys::write(fd, rec, kRecord) != kRecord) {
            ADD_FAILURE("short or failed append");
            break;
        }
    }
    sys::close(fd);
}
}  // namespace

// POSIX write(): with O_APPEND, positioning at the end and writing is one
// atomic step, so appends from two processes never overwrite each other.
TEST(openat, append_two_processes_no_overwrite, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::touch("f");
    char a = 'a', b = 'b';
    long p1 = kc::spawn(append_records, &a);
    long p2 = kc::spawn(append_records, &b);
    EXPECT_CHILD_OK(p1);
    EXPECT_CHILD_OK(p2);
    constexpr long total = 2L * kAppendRecords * kRecord;
    static char buf[total + 1];
    ASSERT_RET(fs::slurp("f", buf, sizeof buf), total);
    int counts[2] = {0, 0};
    for (long r = 0; r < total; r += kRecord) {
        char c = buf[r];
        bool whole = (c == 'a' || c == 'b') && buf[r + kRecord - 1] == '\n';
        for (int i = 1; whole && i < kRecord - 1; ++i) whole = buf[r + i] == c;
        if (!whole) {
            ADD_FAILURE("a record was overwritten or torn");
            return;
        }
        ++counts[c - 'a'];
    }
    EXPECT_EQ(counts[0], kAppendRecords);
    EXPECT_EQ(counts[1], kAppendRecords);
}

// open(2): O_DIRECTORY fails with ENOTDIR unless the path names a directory.
TEST(openat, directory_on_file_enotdir, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_ERR(sys::openat(fs::D(), "f", O_RDONLY | O_DIRECTORY), ENOTDIR);
    EXPECT_ERR(sys::openat(fs::D(), "link", O_RDONLY | O_DIRECTORY), ENOTDIR);
}

// open(2): O_DIRECTORY on a directory (or a symlink to one) opens it.
TEST(openat, directory_on_directory, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::symlink("d", "link");
    int fd = fs::open("link", O_RDONLY | O_DIRECTORY);
    EXPECT_EQ(fs::fst(fd).st_mode & S_IFMT, S_IFDIR);
    EXPECT_EQ(fs::fst(fd).st_ino, fs::st("d").st_ino);
    sys::close(fd);
}

// open(2): since Linux 6.4, O_CREAT|O_DIRECTORY is rejected with EINVAL
// (earlier kernels created a regular file); nothing is created.
TEST(openat, creat_with_directory_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(sys::openat(fs::D(), "new", O_RDWR | O_CREAT | O_DIRECTORY, 0600), EINVAL);
    EXPECT_EQ(fs::exists("new"), false);
}

// open(2): O_NOFOLLOW fails with ELOOP when the last component is a symlink.
TEST(openat, nofollow_symlink_eloop, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    EXPECT_ERR(sys::openat(fs::D(), "link", O_RDONLY | O_NOFOLLOW), ELOOP);
    EXPECT_ERR(sys::openat(fs::D(), "link", O_WRONLY | O_CREAT | O_NOFOLLOW, 0600), ELOOP);
}

// open(2): O_NOFOLLOW applies to the last component only; earlier symlinks
// are followed.
TEST(openat, nofollow_follows_prefix, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    ASSERT_OK(sys::close(int(sys::openat(fs::D(), "d/f", O_WRONLY | O_CREAT, 0600))));
    fs::symlink("d", "dl");
    int fd = fs::open("dl/f", O_RDONLY | O_NOFOLLOW);
    EXPECT_EQ(fs::fst(fd).st_ino, fs::st("d/f").st_ino);
    sys::close(fd);
}

// open(2) O_PATH: with O_NOFOLLOW the symlink itself is opened (Linux).
TEST(openat, path_nofollow_opens_symlink, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    int fd = fs::open("link", O_PATH | O_NOFOLLOW);
    EXPECT_EQ(fs::fst(fd).st_mode & S_IFMT, S_IFLNK);
    sys::close(fd);
}

// open(2): O_CLOEXEC sets FD_CLOEXEC on the new descriptor; without it the
// flag is clear.
TEST(openat, cloexec_sets_fd_flag, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    long a = sys::openat(fs::D(), "f", O_RDONLY | O_CLOEXEC);
    long b = sys::openat(fs::D(), "f", O_RDONLY);
    ASSERT_OK(a);
    ASSERT_OK(b);
    EXPECT_RET(sys::fcntl(int(a), F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(int(b), F_GETFD), 0);
    sys::close(int(a));
    sys::close(int(b));
}

// open(2): the access mode and O_APPEND are file status flags, visible with
// F_GETFL; O_CREAT, O_EXCL, O_TRUNC and O_CLOEXEC are not kept.
struct FlRow {
    const char* label;
    int flags;
    int want;
};
constexpr FlRow kGetfl[] = {
    {"rdonly", O_RDONLY, O_RDONLY},
    {"wronly", O_WRONLY, O_WRONLY},
    {"rdwr", O_RDWR, O_RDWR},
    {"rdwr_append", O_RDWR | O_APPEND, O_RDWR | O_APPEND},
    {"wronly_nonblock", O_WRONLY | O_NONBLOCK, O_WRONLY | O_NONBLOCK},
    {"creat_trunc_cloexec", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, O_RDWR},
};
TEST_P(openat, status_flags_in_getfl, POSITIVE, PSE52, kGetfl, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    int fd = fs::open("f", row.flags);
    // O_LARGEFILE is forced on by 64-bit kernels and may show up.
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & ~(O_LARGEFILE | O_CLOEXEC), row.want);
    sys::close(fd);
}

// read(2)/write(2): EBADF when the descriptor is not open for that direction.
TEST(openat, access_mode_enforced_ebadf, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "x");
    int r = fs::open("f", O_RDONLY), w = fs::open("f", O_WRONLY);
    char c;
    EXPECT_ERR(sys::write(r, "y", 1), EBADF);
    EXPECT_ERR(sys::read(w, &c, 1), EBADF);
    sys::close(r);
    sys::close(w);
}

// open(2): "the file descriptor returned ... will be the lowest-numbered file
// descriptor not currently open for the process".
TEST(openat, returns_lowest_free_fd, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    int a = fs::open("f", O_RDONLY), b = fs::open("f", O_RDONLY);
    EXPECT_GT(b, a);
    sys::close(a);
    int c = fs::open("f", O_RDONLY);
    EXPECT_EQ(c, a);
    sys::close(b);
    sys::close(c);
}

// open(2): each open creates a new open file description with its own offset.
TEST(openat, separate_opens_separate_offsets, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "0123456789");
    int a = fs::open("f", O_RDONLY), b = fs::open("f", O_RDONLY);
    char buf[4];
    EXPECT_RET(sys::read(a, buf, 4), 4);
    EXPECT_RET(sys::read(b, buf, 2), 2);
    EXPECT_MEM_EQ(buf, "01", 2);
    EXPECT_RET(sys::lseek(a, 0, SEEK_CUR), 4);
    sys::close(a);
    sys::close(b);
}

// O_PATH descriptors allow no I/O: read, write and fchmod fail with EBADF,
// while fstat works (open(2), Linux).
TEST(openat, path_fd_no_io_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "data");
    int fd = fs::open("f", O_PATH);
    char c;
    EXPECT_ERR(sys::read(fd, &c, 1), EBADF);
    EXPECT_ERR(sys::write(fd, "x", 1), EBADF);
    EXPECT_ERR(sys::fchmod(fd, 0600), EBADF);
    EXPECT_ERR(sys::pread64(fd, &c, 1, 0), EBADF);
    EXPECT_EQ(fs::fst(fd).st_size, 4);
    EXPECT_EQ(fs::st("f").st_mode & 07777, 0644);
    sys::close(fd);
}

// open(2) O_PATH: the descriptor of a directory works as a dirfd.
TEST(openat, path_fd_as_dirfd, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::touch("d/f", "abc");  // via the scratch dirfd
    int dfd = fs::open("d", O_PATH | O_DIRECTORY);
    long fd = sys::openat(dfd, "f", O_RDONLY);
    ASSERT_OK(fd);
    char buf[3];
    EXPECT_RET(sys::read(int(fd), buf, 3), 3);
    EXPECT_MEM_EQ(buf, "abc", 3);
    sys::close(int(fd));
    sys::close(dfd);
}

// open(2) O_TMPFILE: an unnamed regular file in the directory; it has no
// name (nlink 0, no directory entry) but holds data.
TEST(openat, tmpfile_unnamed, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = tmpfile_or_skip(O_RDWR);
    arch::Stat s = fs::fst(fd);
    EXPECT_EQ(s.st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(s.st_nlink, 0);
    EXPECT_RET(sys::write(fd, "tmp", 3), 3);
    char buf[3];
    EXPECT_RET(sys::pread64(fd, buf, 3, 0), 3);
    EXPECT_MEM_EQ(buf, "tmp", 3);
    int entries = 0;
    int dfd = fs::open(".", O_RDONLY | O_DIRECTORY);
    fs::for_each_dirent(dfd, 4096, [&](const linux_dirent64&) { ++entries; });
    EXPECT_EQ(entries, 2);  // . and .. only
    sys::close(dfd);
    sys::close(fd);
}

namespace {
// Names the O_TMPFILE file open as fd "named", through /proc/self/fd (no
// privilege needed). Without /proc (a kernel booted with only an initramfs)
// it uses linkat(fd, "", AT_EMPTY_PATH), which before Linux 6.10 needs
// CAP_DAC_READ_SEARCH in the initial user namespace; without that it skips.
long link_tmpfile(int fd) {
    arch::Stat s;
    if (sys::newfstatat(AT_FDCWD, "/proc/self/fd", &s, 0) != 0) {
        if (kc::cap_usable(CAP_DAC_READ_SEARCH)) {
            long r = sys::linkat(fd, "", fs::D(), "named", AT_EMPTY_PATH);
            sys::close(fd);
            return r;
        }
        sys::close(fd);
        kc::skip(
            "needs /proc to name the O_TMPFILE file through, or CAP_DAC_READ_SEARCH for "
            "linkat AT_EMPTY_PATH");
    }
    char proc[40];
    rt::Fmt(proc, sizeof proc).s("/proc/self/fd/").d(fd).cstr();
    long r = sys::linkat(AT_FDCWD, proc, fs::D(), "named", AT_SYMLINK_FOLLOW);
    sys::close(fd);
    return r;
}
}  // namespace

// open(2) O_TMPFILE: the file can be given a name with linkat.
TEST(openat, tmpfile_linkable, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = tmpfile_or_skip(O_RDWR);
    EXPECT_RET(sys::write(fd, "kept", 4), 4);
    ASSERT_OK(link_tmpfile(fd));
    char buf[8];
    EXPECT_RET(fs::slurp("named", buf, sizeof buf), 4);
    EXPECT_EQ(fs::st("named").st_nlink, 1);
}

// open(2) O_TMPFILE|O_EXCL: the file can never be linked into the file
// system (ENOENT, as for any file with no links).
TEST(openat, tmpfile_excl_not_linkable, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(link_tmpfile(tmpfile_or_skip(O_RDWR | O_EXCL)), ENOENT);
    EXPECT_EQ(fs::exists("named"), false);
}

// open(2) EINVAL: O_TMPFILE needs O_WRONLY or O_RDWR, and must not be mixed
// with O_CREAT; the EINVAL comes before any file is made.
struct TmpBad {
    const char* label;
    int flags;
};
constexpr TmpBad kTmpfileBad[] = {
    {"rdonly", O_TMPFILE | O_RDONLY},
    {"with_creat", O_TMPFILE | O_RDWR | O_CREAT},
    {"rdonly_excl", O_TMPFILE | O_RDONLY | O_EXCL},
};
TEST_P(openat, tmpfile_bad_flags_einval, NEGATIVE, LINUX, kTmpfileBad, .flags = kc::NEEDS_SCRATCH) {
    sys::close(tmpfile_or_skip(O_RDWR));
    EXPECT_ERR(sys::openat(fs::D(), ".", row.flags, 0600), EINVAL);
}

// open(2) ENOTDIR: O_TMPFILE needs a directory path.
TEST(openat, tmpfile_on_file_enotdir, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    sys::close(tmpfile_or_skip(O_RDWR));
    fs::touch("f");
    EXPECT_ERR(sys::openat(fs::D(), "f", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
}

// open(2), legacy call: the same as openat(AT_FDCWD, ...).
TEST(open, creates_and_opens, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(open);
    long fd = sys::open(kc::scratch_path("f"), O_RDWR | O_CREAT | O_EXCL, 0600);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "abc", 3), 3);
    sys::close(int(fd));
    EXPECT_EQ(fs::st("f").st_size, 3);
    EXPECT_ERR(sys::open(kc::scratch_path("f"), O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
}

// open(2), legacy call: the lookup errors of openat.
TEST_P(open, bad_path, NEGATIVE, PSE52, fs::kBadLookupAbs, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(open);
    fs::check_bad_path(
        row,
        [](int, const char* p) {
            long r = sys::open(p, O_RDONLY);
            if (r >= 0) sys::close(int(r));
            return r;
        },
        true);
}

// creat(2): equivalent to open(O_CREAT|O_WRONLY|O_TRUNC): write-only, and it
// truncates an existing file.
TEST(creat, creates_write_only_truncating, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::touch("f", "old data");
    long fd = sys::creat(kc::scratch_path("f"), 0600);
    ASSERT_OK(fd);
    EXPECT_EQ(fs::fsize(int(fd)), 0);
    EXPECT_EQ(sys::fcntl(int(fd), F_GETFL) & O_ACCMODE, O_WRONLY);
    char c;
    EXPECT_ERR(sys::read(int(fd), &c, 1), EBADF);
    sys::close(int(fd));
}

// creat(2): EISDIR on a directory, ENOENT through a missing directory.
TEST(creat, errors, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(creat);
    fs::mkdir("d");
    EXPECT_ERR(sys::creat(kc::scratch_path("d"), 0600), EISDIR);
    EXPECT_ERR(sys::creat(kc::scratch_path("nodir/f"), 0600), ENOENT);
}
