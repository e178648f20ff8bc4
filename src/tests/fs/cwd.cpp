// SPDX-License-Identifier: MIT
// chdir(2), fchdir(2), getcwd(2): relative lookups follow the working
// directory, "..", getcwd's length and ERANGE boundaries, a removed working
// directory, inheritance by children and independence from them, and the
// errors of bad paths and descriptors. Every change of directory happens in
// a child process; the harness's own working directory never moves.
// Left out: chroot(2) (needs root and changes the process's root).
#include "tests/fs/fs_util.hpp"

namespace {

// The scratch directory's path as the kernel reports it (symlinks in
// $TMPDIR resolved): getcwd from inside it. In a child only.
long scratch_cwd(char* buf, usize n) {
    ASSERT_OK(sys::fchdir(fs::D()));
    long r = sys::getcwd(buf, n);
    ASSERT_GT(r, 1);
    return r;
}

bool same_dir(const char* a_path, int b_dirfd, const char* b_name) {
    arch::Stat a, b;
    if (sys::newfstatat(AT_FDCWD, a_path, &a, 0) || sys::newfstatat(b_dirfd, b_name, &b, 0))
        return false;
    return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

void in_child(void (*fn)(void*), void* arg = nullptr) {
    fs::D();
    EXPECT_CHILD_OK(kc::spawn(fn, arg));
}

}  // namespace

// chdir(2): relative paths are then resolved from the new directory.
TEST(chdir, relative_lookups_follow, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    in_child([](void*) {
        ASSERT_OK(sys::chdir(kc::scratch_path("d")));
        long fd = sys::openat(AT_FDCWD, "f", O_WRONLY | O_CREAT, 0600);
        ASSERT_OK(fd);
        sys::close(int(fd));
        EXPECT_TRUE(fs::exists("d/f"));
        EXPECT_TRUE(same_dir(".", fs::D(), "d"));
    });
}

// chdir(2) with a relative path, and "..": the parent of a subdirectory.
TEST(chdir, relative_and_dotdot, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::mkdir("d/e");
    in_child([](void*) {
        ASSERT_OK(sys::fchdir(fs::D()));
        EXPECT_RET(sys::chdir("d/e"), 0);
        EXPECT_TRUE(same_dir(".", fs::D(), "d/e"));
        EXPECT_RET(sys::chdir(".."), 0);
        EXPECT_TRUE(same_dir(".", fs::D(), "d"));
        EXPECT_RET(sys::chdir("/"), 0);
        char buf[4];
        EXPECT_RET(sys::getcwd(buf, sizeof buf), 2);  // "/" and the NUL
        EXPECT_MEM_EQ(buf, "/", 2);
    });
}

// chdir(2) follows symlinks: the cwd is the target directory.
TEST(chdir, follows_symlink, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::symlink("d", "link");
    in_child([](void*) {
        EXPECT_RET(sys::chdir(kc::scratch_path("link")), 0);
        EXPECT_TRUE(same_dir(".", fs::D(), "d"));
    });
}

namespace {
const fs::BadPath* g_row;
}
// chdir(2): the lookup errors of path resolution (checked in a child, so a
// wrong success cannot move the harness).
TEST_P(chdir, bad_path, NEGATIVE, PSE53, fs::kBadLookupAbs,
       .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    g_row = &row;
    in_child([](void*) {
        fs::check_bad_path(
            *g_row, [](int, const char* p) { return sys::chdir(p); }, true);
    });
}

// chdir(2) ENOTDIR on a regular file; EACCES without search permission on
// the target (CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE passes).
TEST(chdir, not_a_searchable_directory, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::touch("f");
    fs::mkdir("d", 0600);
    in_child([](void*) {
        EXPECT_ERR(sys::chdir(kc::scratch_path("f")), ENOTDIR);
        EXPECT_READ_DENIED(sys::chdir(kc::scratch_path("d")), EACCES);
    });
}

// fchdir(2): makes the directory open as fd the working directory; an
// O_PATH descriptor works too (Linux).
struct FchdirRow {
    const char* label;
    int flags;
};
constexpr FchdirRow kFchdir[] = {{"rdonly_fd", O_RDONLY | O_DIRECTORY},
                                 {"path_fd", O_PATH | O_DIRECTORY}};
TEST_P(fchdir, changes_cwd, POSITIVE, PSE53, kFchdir, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    in_child(
        [](void* arg) {
            int fd = fs::open("d", *static_cast<int*>(arg));
            EXPECT_RET(sys::fchdir(fd), 0);
            sys::close(fd);
            EXPECT_TRUE(same_dir(".", fs::D(), "d"));
        },
        const_cast<int*>(&row.flags));
}

// fchdir(2): ENOTDIR for a file, EBADF for a bad descriptor, EACCES when the
// directory lost its search permission after being opened
// (CAP_DAC_READ_SEARCH or CAP_DAC_OVERRIDE passes).
TEST(fchdir, errors, NEGATIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::touch("f");
    fs::mkdir("d");
    in_child([](void*) {
        int f = fs::open("f", O_RDONLY), d = fs::open("d", O_RDONLY | O_DIRECTORY);
        ASSERT_OK(sys::fchmodat(fs::D(), "d", 0600));
        EXPECT_ERR(sys::fchdir(f), ENOTDIR);
        EXPECT_ERR(sys::fchdir(-1), EBADF);
        EXPECT_ERR(sys::fchdir(777), EBADF);
        EXPECT_READ_DENIED(sys::fchdir(d), EACCES);
        sys::close(f);
        sys::close(d);
    });
}

// fchdir(2): relative lookups then start at the descriptor's directory, and
// ".." leads to its parent.
TEST(fchdir, relative_lookups_follow, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::mkdir("d/e");
    in_child([](void*) {
        int fd = fs::open("d/e", O_RDONLY | O_DIRECTORY);
        ASSERT_RET(sys::fchdir(fd), 0);
        sys::close(fd);
        long f = sys::openat(AT_FDCWD, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        ASSERT_OK(f);
        sys::close(int(f));
        EXPECT_TRUE(fs::exists("d/e/f"));
        EXPECT_TRUE(same_dir("..", fs::D(), "d"));
    });
}

// fchdir(2) ENOTDIR: a descriptor of something that is not a directory (a
// pipe; an O_PATH descriptor of a symlink to a directory, which is the link
// itself).
TEST(fchdir, non_directory_fds_enotdir, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    fs::symlink("d", "link");
    in_child([](void*) {
        kc::Pipe p;
        ASSERT_OK(p.r);
        EXPECT_ERR(sys::fchdir(p.rd), ENOTDIR);
        int l = fs::open("link", O_PATH | O_NOFOLLOW);
        EXPECT_ERR(sys::fchdir(l), ENOTDIR);
        sys::close(l);
    });
}

// fchdir(2) EACCES: search permission is checked at the call, not at the
// open; without capabilities a directory of mode 0600 is refused and the
// cwd stays.
TEST(fchdir, no_search_permission_eacces, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d", 0600);
    in_child([](void*) {
        int d = fs::open("d", O_RDONLY | O_DIRECTORY);
        ASSERT_OK(sys::fchdir(fs::D()));
        ASSERT_TRUE(kc::drop_capabilities());
        EXPECT_ERR(sys::fchdir(d), EACCES);
        EXPECT_TRUE(same_dir(".", fs::D(), "."));
        sys::close(d);
    });
}

// fchdir(2) to a directory removed after it was opened succeeds; lookups
// there then find nothing and creating in it is ENOENT.
TEST(fchdir, removed_directory, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    in_child([](void*) {
        int d = fs::open("d", O_RDONLY | O_DIRECTORY);
        ASSERT_OK(sys::unlinkat(fs::D(), "d", AT_REMOVEDIR));
        EXPECT_RET(sys::fchdir(d), 0);
        sys::close(d);
        EXPECT_ERR(sys::openat(AT_FDCWD, "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600), ENOENT);
    });
}

// getcwd(2): the system call returns the length including the NUL; the
// result is an absolute path.
TEST(getcwd, returns_length_with_nul, POSITIVE, PSE52) {
    char buf[PATH_MAX];
    long n = sys::getcwd(buf, sizeof buf);
    ASSERT_GT(n, 1);
    EXPECT_EQ(buf[0], '/');
    EXPECT_EQ(buf[n - 1], 0);
    EXPECT_EQ(long(rt::strlen(buf)), n - 1);
}

// getcwd(2) ERANGE: the buffer is smaller than the path plus its NUL
// (size 0 included: the system call does not allocate); exactly enough works.
struct SizeRow {
    const char* label;
    int delta;  // buffer size relative to the needed length; -1000: size 0
};
constexpr SizeRow kSizes[] = {
    {"size_0", -1000}, {"size_1", -999}, {"needed_minus_1", -1}, {"needed_exactly", 0}};
TEST_P(getcwd, buffer_size_boundary, BOUNDARY, PSE52, kSizes) {
    char full[PATH_MAX], buf[PATH_MAX];
    long need = sys::getcwd(full, sizeof full);
    ASSERT_GT(need, 1);
    long size = row.delta == -1000 ? 0 : row.delta == -999 ? 1 : need + row.delta;
    long r = sys::getcwd(buf, usize(size));
    if (size < need) {
        EXPECT_ERR(r, ERANGE);
    } else {
        EXPECT_RET(r, need);
        EXPECT_MEM_EQ(buf, full, usize(need));
    }
}

// getcwd(2): after chdir into a subdirectory the path gains "/name".
TEST(getcwd, tracks_chdir, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("sub");
    in_child([](void*) {
        char base[PATH_MAX], now[PATH_MAX];
        long n = scratch_cwd(base, sizeof base);
        ASSERT_OK(sys::chdir("sub"));
        EXPECT_RET(sys::getcwd(now, sizeof now), n + 4);
        EXPECT_MEM_EQ(now, base, usize(n - 1));
        EXPECT_MEM_EQ(now + n - 1, "/sub", 5);
    });
}

// getcwd(2) ENOENT (Linux): the working directory has been removed.
TEST(getcwd, removed_cwd_enoent, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("gone");
    in_child([](void*) {
        ASSERT_OK(sys::chdir(kc::scratch_path("gone")));
        ASSERT_OK(sys::unlinkat(fs::D(), "gone", AT_REMOVEDIR));
        char buf[PATH_MAX];
        EXPECT_ERR(sys::getcwd(buf, sizeof buf), ENOENT);
        long fd = sys::openat(AT_FDCWD, "new", O_WRONLY | O_CREAT, 0600);
        EXPECT_ERR(fd, ENOENT);  // nothing can be created in a removed directory
    });
}

// Linux: an unmapped buffer is EFAULT.
TEST(getcwd, unmapped_buffer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::getcwd(reinterpret_cast<char*>(8), PATH_MAX), EFAULT);
}

// fork(2): the child inherits the working directory, and a chdir in a child
// does not move its parent.
TEST(chdir, per_process_inherited, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    fs::mkdir("d");
    in_child([](void*) {
        ASSERT_OK(sys::chdir(kc::scratch_path("d")));
        EXPECT_CHILD_OK(kc::spawn(
            [](void*) {
                EXPECT_TRUE(same_dir(".", fs::D(), "d"));
                ASSERT_OK(sys::chdir("/"));
            },
            nullptr));
        EXPECT_TRUE(same_dir(".", fs::D(), "d"));
    });
}
