// SPDX-License-Identifier: MIT
// getdents64(2), getdents(2): every entry (with "." and "..") exactly once,
// whatever the buffer size; resumption across tiny buffers; d_ino and
// d_type; rewinding and seeking to d_off; entries removed or added between
// reads; EOF; the errors (EINVAL for a buffer too small for one entry,
// ENOTDIR, EBADF, EFAULT). Every case runs through both entry points: as
// getdents64.* and, with the legacy record layout (d_type in the record's
// last byte; x86-64 only), as getdents.*.
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

// One directory entry, decoded from either record layout.
struct Dent {
    u64 ino;
    i64 off;
    u16 reclen;
    u8 type;
    const char* name;
};
// One getdents64 (fs::AT) or getdents (fs::LEGACY) call; decodes each
// record into fn(const Dent&) and returns the call's result.
//   struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; };
//   struct linux_dirent { unsigned long d_ino, d_off; u16 d_reclen; char d_name[]; ... u8 d_type;
//   };
template <class Fn>
long read_dents(fs::Entry e, int fd, void* buf, usize size, Fn fn) {
    long n = e == fs::AT ? sys::getdents64(fd, buf, size) : sys::getdents(fd, buf, unsigned(size));
    for (long at = 0; n > 0 && at < n;) {
        const char* rec = static_cast<const char*>(buf) + at;
        Dent d;
        __builtin_memcpy(&d.ino, rec, 8);
        __builtin_memcpy(&d.off, rec + 8, 8);
        __builtin_memcpy(&d.reclen, rec + 16, 2);
        d.type = u8(e == fs::AT ? rec[18] : rec[d.reclen - 1]);
        d.name = rec + (e == fs::AT ? 19 : 18);
        fn(d);
        at += d.reclen;
    }
    return n;
}
// Reads the directory to its end with `bufsz`-byte calls; returns the number
// of entries or -errno.
template <class Fn>
long for_each(fs::Entry e, int fd, usize bufsz, Fn fn) {
    alignas(8) char buf[8192];
    long count = 0;
    for (;;) {
        long n = read_dents(e, fd, buf, bufsz, [&](const Dent& d) {
            fn(d);
            ++count;
        });
        if (n <= 0) return n < 0 ? n : count;
    }
}

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
TEST_P_ENTRIES(getdents64, getdents, every_entry_once, POSITIVE, PSE52, kBufs,
               .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen seen;
    long n = for_each(entry, fd, row.size, [&](const Dent& d) { seen.add(d.name); });
    EXPECT_RET(n, kFiles + 2);
    EXPECT_TRUE(seen.each_once());
    sys::close(fd);
}

// getdents64(2): records are 8-byte aligned, d_reclen covers the NUL-ended
// name (and getdents's trailing d_type byte), and d_ino matches the inode that stat reports.
TEST_ENTRIES(getdents64, getdents, record_layout_and_inodes, POSITIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    int bad_len = 0, bad_ino = 0;
    for_each(entry, fd, 4096, [&](const Dent& d) {
        usize len = rt::strlen(d.name);
        usize header = entry == fs::AT ? 19 : 18 + 1;  // getdents: d_type after the name
        if (d.reclen % 8 || d.reclen < header + len + 1) ++bad_len;
        if (d.name[0] == 'f') {
            char path[8] = {'d', '/', d.name[0], d.name[1], d.name[2], 0};
            if (fs::st(path).st_ino != d.ino) ++bad_ino;
        }
    });
    EXPECT_EQ(bad_len, 0);
    EXPECT_EQ(bad_ino, 0);
    sys::close(fd);
}

// getdents64(2) d_type: the file type of each entry (DT_UNKNOWN is allowed
// by the interface, but Linux's common file systems fill it in).
TEST_ENTRIES(getdents64, getdents, d_type_per_kind, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    fs::touch("d/reg");
    fs::mkdir("d/dir");
    fs::symlink("reg", "d/lnk");
    ASSERT_OK(sys::mknodat(fs::D(), "d/fifo", S_IFIFO | 0600, 0));
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    int wrong = 0, unknown = 0;
    for_each(entry, fd, 4096, [&](const Dent& d) {
        u8 want = d.name[0] == '.'   ? DT_DIR
                  : d.name[0] == 'r' ? DT_REG
                  : d.name[0] == 'd' ? DT_DIR
                  : d.name[0] == 'l' ? DT_LNK
                                     : DT_FIFO;
        if (d.type == DT_UNKNOWN)
            ++unknown;
        else if (d.type != want)
            ++wrong;
    });
    EXPECT_EQ(wrong, 0);
    if (unknown) kc::skip("the file system reports DT_UNKNOWN");
    sys::close(fd);
}

// getdents64(2): at the end it returns 0, and again 0; lseek(fd, 0,
// SEEK_SET) rewinds and the same entries come back.
TEST_ENTRIES(getdents64, getdents, eof_and_rewind, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen first;
    EXPECT_RET(for_each(entry, fd, 4096, [&](const Dent& d) { first.add(d.name); }), kFiles + 2);
    alignas(8) char buf[512];
    EXPECT_RET(read_dents(entry, fd, buf, sizeof buf, [](const Dent&) {}), 0);
    EXPECT_RET(read_dents(entry, fd, buf, sizeof buf, [](const Dent&) {}), 0);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    Seen again;
    EXPECT_RET(for_each(entry, fd, 4096, [&](const Dent& d) { again.add(d.name); }), kFiles + 2);
    EXPECT_TRUE(again.each_once());
    sys::close(fd);
}

// getdents64(2) d_off: seeking to an entry's d_off resumes right after that
// entry (telldir/seekdir).
TEST_ENTRIES(getdents64, getdents, seek_to_d_off_resumes, POSITIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    alignas(8) char buf[4096];
    // The third record: resuming at its d_off must give the fourth.
    i64 off = 0;
    char want[8] = {};
    int i = 0;
    ASSERT_GT(read_dents(entry, fd, buf, sizeof buf,
                         [&](const Dent& d) {
                             if (i == 2) off = d.off;
                             if (i++ == 3) __builtin_memcpy(want, d.name, rt::strlen(d.name) + 1);
                         }),
              0);
    ASSERT_OK(sys::lseek(fd, off, SEEK_SET));
    alignas(8) char buf2[64];
    char got[8] = {};
    ASSERT_GT(read_dents(entry, fd, buf2, sizeof buf2,
                         [&](const Dent& d) {
                             if (!got[0]) __builtin_memcpy(got, d.name, rt::strlen(d.name) + 1);
                         }),
              0);
    EXPECT_MEM_EQ(got, want, rt::strlen(want) + 1);
    sys::close(fd);
}

// readdir(3): an entry removed before a rewind is no longer returned; one
// added before a rewind is.
TEST_ENTRIES(getdents64, getdents, changes_visible_after_rewind, POSITIVE, PSE52,
             .flags = kc::NEEDS_SCRATCH) {
    int fd = populated_dir();
    Seen first;
    for_each(entry, fd, 4096, [&](const Dent& d) { first.add(d.name); });
    ASSERT_OK(sys::unlinkat(fs::D(), "d/f07", 0));
    fs::touch("d/zz");
    ASSERT_OK(sys::lseek(fd, 0, SEEK_SET));
    Seen after;
    for_each(entry, fd, 4096, [&](const Dent& d) { after.add(d.name); });
    EXPECT_EQ(after.files[7], 0);
    EXPECT_EQ(after.files[8], 1);
    EXPECT_EQ(after.other, 1);  // "zz"
    sys::close(fd);
}

// getdents64(2) EINVAL: "Result buffer is too small" for the next entry
// (including size 0).
constexpr BufRow kTiny[] = {{"buf_0", 0}, {"buf_1", 1}, {"buf_19_header_only", 19}, {"buf_23", 23}};
TEST_P_ENTRIES(getdents64, getdents, buffer_too_small_einval, BOUNDARY, LINUX, kTiny,
               .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    alignas(8) char buf[32];
    EXPECT_ERR(read_dents(entry, fd, buf, row.size, [](const Dent&) {}), EINVAL);
    // Nothing was consumed: a big enough buffer still gets ".".
    Seen seen;
    EXPECT_RET(for_each(entry, fd, 4096, [&](const Dent& d) { seen.add(d.name); }), 2);
    EXPECT_EQ(seen.dot, 1);
    sys::close(fd);
}

// getdents64(2): ENOTDIR on a descriptor that is not a directory (a file, a
// pipe), EBADF on a bad or O_PATH descriptor, EFAULT on a bad buffer.
TEST_ENTRIES(getdents64, getdents, bad_descriptor_or_buffer, NEGATIVE, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    alignas(8) char buf[256];
    int f = fs::create("f", "x");
    EXPECT_ERR(read_dents(entry, f, buf, sizeof buf, [](const Dent&) {}), ENOTDIR);
    sys::close(f);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(read_dents(entry, p[0], buf, sizeof buf, [](const Dent&) {}), ENOTDIR);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(read_dents(entry, -1, buf, sizeof buf, [](const Dent&) {}), EBADF);
    int path = fs::open(".", O_PATH | O_DIRECTORY);
    EXPECT_ERR(read_dents(entry, path, buf, sizeof buf, [](const Dent&) {}), EBADF);
    sys::close(path);
    int d = fs::open(".", O_RDONLY | O_DIRECTORY);
    EXPECT_ERR(read_dents(entry, d, reinterpret_cast<void*>(8), 4096, [](const Dent&) {}), EFAULT);
    sys::close(d);
}

// getdents(2) ENOENT "No such directory": the open directory was removed
// (Linux refuses to read a dead directory; POSIX readdir would end).
TEST_ENTRIES(getdents64, getdents, removed_directory_enoent, BOUNDARY, LINUX,
             .flags = kc::NEEDS_SCRATCH) {
    fs::mkdir("d");
    int fd = fs::open("d", O_RDONLY | O_DIRECTORY);
    ASSERT_OK(sys::unlinkat(fs::D(), "d", AT_REMOVEDIR));
    alignas(8) char buf[512];
    EXPECT_ERR(read_dents(entry, fd, buf, sizeof buf, [](const Dent&) {}), ENOENT);
    sys::close(fd);
}

// The directory open itself (used by opendir) fails as lookups do (an openat
// test: getdents64 is never reached).
TEST_P(openat, directory_bad_path, NEGATIVE, PSE52, fs::kBadLookup, .flags = kc::NEEDS_SCRATCH) {
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
