// SPDX-License-Identifier: MIT
// getdents64(2), getdents(2): every entry (with "." and "..") exactly once,
// whatever the buffer size; resumption across tiny buffers; d_ino and
// d_type; rewinding and seeking to d_off; entries removed or added between
// reads; EOF; the errors (EINVAL for a buffer too small for one entry,
// ENOTDIR, EBADF, EFAULT).
// Left out: readdir order (unspecified), d_off values (opaque cookies).
#include "tests/fs/fs_util.hpp"

namespace {

constexpr int kFiles = 40;

// Creates "f00".."f39" in directory "d"; returns an open fd of "d".
int populated_dir() {
    fs::mkdir("d");
    char name[8];
    for (int i = 0; i < kFiles; ++i) {
        rt::Fmt(name, sizeof name).s("d/f").c(char('0' + i / 10)).c(char('0' + i % 10)).cstr();
        fs::touch(name);
    }
    return fs::open("d", O_RDONLY | O_DIRECTORY);
}

// Counts how often each expected name was seen; anything else is a failure.
struct Seen {
    int files[kFiles] = {};
    int dot = 0, dotdot = 0, other = 0;
    void add(const char* n) {
        if (n[0] == '.' && n[1] == 0)
            ++dot;
        else if (n[0] == '.' && n[1] == '.' && n[2] == 0)
            ++dotdot;
        else if (n[0] == 'f' && n[3] == 0)
            ++files[(n[1] - '0') * 10 + (n[2] - '0')];
        else
            ++other;
    }
    bool each_once() const {
        for (int c : files)
            if (c != 1) return false;
        return dot == 1 && dotdot == 1 && other == 0;
    }
};

long getdents_rel(int d, const char* p) {
    long fd = sys::openat(d, p, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) sys::close(int(fd));
    return fd;
}

}  // namespace

// getdents64(2): the whole directory is returned, each entry exactly once,
// "." and ".." included, with any buffer that holds at least one entry.
// Smaller buffers force the kernel to resume where it stopped.
struct BufRow {
    const char* label;
    usize size;
};
constexpr BufRow kBufs[] = {
    {"buf_24_one_entry", 24}, {"buf_40", 40},     {"buf_100", 100},
    {"buf_513", 513},         {"buf_4096", 4096}, {"buf_8192", 8192},
};
TEST_P(getdents64, every_entry_once, POSITIVE, PSE52, kBufs, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen seen;
    long n =
        fs::for_each_dirent(fd, row.size, [&](const linux_dirent64& d) { seen.add(d.d_name); });
    EXPECT_RET(n, kFiles + 2);
    EXPECT_TRUE(seen.each_once());
    sys::close(fd);
}

// getdents64(2): records are 8-byte aligned, d_reclen covers the NUL-ended
// name, and d_ino matches the inode that stat reports.
TEST(getdents64, record_layout_and_inodes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    int bad_len = 0, bad_ino = 0;
    fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) {
        usize len = rt::strlen(d.d_name);
        if (d.d_reclen % 8 || d.d_reclen < 19 + len + 1) ++bad_len;
        if (d.d_name[0] == 'f') {
            char path[8] = {'d', '/', d.d_name[0], d.d_name[1], d.d_name[2], 0};
            if (fs::st(path).st_ino != d.d_ino) ++bad_ino;
        }
    });
    EXPECT_EQ(bad_len, 0);
    EXPECT_EQ(bad_ino, 0);
    sys::close(fd);
}

// getdents64(2) d_type: the file type of each entry (DT_UNKNOWN is allowed
// by the interface, but Linux's common file systems fill it in).
TEST(getdents64, d_type_per_kind, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::touch("d/reg");
    fs::mkdir("d/dir");
    fs::symlink("reg", "d/lnk");
    ASSERT_OK(sys::mknodat(fs::D(), "d/fifo", S_IFIFO | 0600, 0));
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    int wrong = 0, unknown = 0;
    fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) {
        u8 want = d.d_name[0] == '.'   ? DT_DIR
                  : d.d_name[0] == 'r' ? DT_REG
                  : d.d_name[0] == 'd' ? DT_DIR
                  : d.d_name[0] == 'l' ? DT_LNK
                                       : DT_FIFO;
        if (d.d_type == DT_UNKNOWN)
            ++unknown;
        else if (d.d_type != want)
            ++wrong;
    });
    EXPECT_EQ(wrong, 0);
    if (unknown) kc::skip("the file system reports DT_UNKNOWN");
    sys::close(fd);
}

// getdents64(2): at the end it returns 0, and again 0; lseek(fd, 0,
// SEEK_SET) rewinds and the same entries come back.
TEST(getdents64, eof_and_rewind, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen first;
    EXPECT_RET(fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) { first.add(d.d_name); }),
               kFiles + 2);
    alignas(8) char buf[512];
    EXPECT_RET(sys::getdents64(fd, buf, sizeof buf), 0);
    EXPECT_RET(sys::getdents64(fd, buf, sizeof buf), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    Seen again;
    EXPECT_RET(fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) { again.add(d.d_name); }),
               kFiles + 2);
    EXPECT_TRUE(again.each_once());
    sys::close(fd);
}

// getdents64(2) d_off: seeking to an entry's d_off resumes right after that
// entry (telldir/seekdir).
TEST(getdents64, seek_to_d_off_resumes, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    alignas(8) char buf[4096];
    long n = sys::getdents64(fd, buf, sizeof buf);
    ASSERT_GT(n, 0);
    // The third record: resuming at its d_off must give the fourth.
    const linux_dirent64* d = reinterpret_cast<const linux_dirent64*>(buf);
    for (int i = 0; i < 2; ++i)
        d = reinterpret_cast<const linux_dirent64*>(reinterpret_cast<const char*>(d) + d->d_reclen);
    const linux_dirent64* next =
        reinterpret_cast<const linux_dirent64*>(reinterpret_cast<const char*>(d) + d->d_reclen);
    char want[8];
    for (int i = 0; i < 8; ++i) want[i] = next->d_name[i];
    ASSERT_OK(sys::lseek(fd, d->d_off, SEEK_SET));
    alignas(8) char buf2[64];
    ASSERT_GT(sys::getdents64(fd, buf2, sizeof buf2), 0);
    EXPECT_MEM_EQ(reinterpret_cast<const linux_dirent64*>(buf2)->d_name, want,
                  rt::strlen(want) + 1);
    sys::close(fd);
}

// readdir(3): an entry removed before a rewind is no longer returned; one
// added before a rewind is.
TEST(getdents64, changes_visible_after_rewind, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen first;
    fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) { first.add(d.d_name); });
    ASSERT_OK(sys::unlinkat(fs::D(), "d/f07", 0));
    fs::touch("d/zz");
    ASSERT_OK(sys::lseek(fd, 0, SEEK_SET));
    Seen after;
    fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) { after.add(d.d_name); });
    EXPECT_EQ(after.files[7], 0);
    EXPECT_EQ(after.files[8], 1);
    EXPECT_EQ(after.other, 1);  // "zz"
    sys::close(fd);
}

// getdents64(2) EINVAL: "Result buffer is too small" for the next entry
// (including size 0).
constexpr BufRow kTiny[] = {{"buf_0", 0}, {"buf_1", 1}, {"buf_19_header_only", 19}, {"buf_23", 23}};
TEST_P(getdents64, buffer_too_small_einval, BOUNDARY, LINUX, kTiny, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    alignas(8) char buf[32];
    EXPECT_ERR(sys::getdents64(fd, buf, row.size), EINVAL);
    // Nothing was consumed: a big enough buffer still gets ".".
    Seen seen;
    EXPECT_RET(fs::for_each_dirent(fd, 4096, [&](const linux_dirent64& d) { seen.add(d.d_name); }),
               2);
    EXPECT_EQ(seen.dot, 1);
    sys::close(fd);
}

// getdents64(2): ENOTDIR on a descriptor that is not a directory (a file, a
// pipe), EBADF on a bad or O_PATH descriptor, EFAULT on a bad buffer.
TEST(getdents64, bad_descriptor_or_buffer, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    alignas(8) char buf[256];
    int f = fs::create("f", "x");
    EXPECT_ERR(sys::getdents64(f, buf, sizeof buf), ENOTDIR);
    sys::close(f);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::getdents64(p[0], buf, sizeof buf), ENOTDIR);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::getdents64(-1, buf, sizeof buf), EBADF);
    int path = fs::open(".", O_PATH | O_DIRECTORY);
    EXPECT_ERR(sys::getdents64(path, buf, sizeof buf), EBADF);
    sys::close(path);
    int d = fs::open(".", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR(sys::getdents64(d, reinterpret_cast<void*>(8), 4096), EFAULT);
    sys::close(d);
}

// getdents(2) ENOENT "No such directory": the open directory was removed
// (Linux refuses to read a dead directory; POSIX readdir would end).
TEST(getdents64, removed_directory_enoent, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    ASSERT_OK(sys::unlinkat(fs::D(), "d", AT_REMOVEDIR));
    alignas(8) char buf[512];
    EXPECT_ERR(sys::getdents64(fd, buf, sizeof buf), ENOENT);
    sys::close(fd);
}

// The directory open itself (used by opendir) fails as lookups do.
TEST_P(getdents64, bad_path_open, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
    fs::check_bad_path(row, getdents_rel);
}

// getdents(2), legacy call (x86-64 only): the same entries, with d_type in
// the last byte of each record.
TEST(getdents, legacy_lists_entries, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(getdents);
    int fd = populated_dir();
    alignas(8) char buf[8192];
    Seen seen;
    int wrong_type = 0;
    for (;;) {
        long n = sys::getdents(fd, buf, sizeof buf);
        ASSERT_GE(n, 0);
        if (n == 0) break;
        for (long off = 0; off < n;) {
            // struct linux_dirent: u64 ino, i64 off, u16 reclen, name; type last.
            const char* rec = buf + off;
            u16 reclen = *reinterpret_cast<const u16*>(rec + 16);
            seen.add(rec + 18);
            u8 type = u8(rec[reclen - 1]);
            if (rec[18] == 'f' && type != DT_REG && type != DT_UNKNOWN) ++wrong_type;
            off += reclen;
        }
    }
    EXPECT_TRUE(seen.each_once());
    EXPECT_EQ(wrong_type, 0);
    sys::close(fd);
}
