// SPDX-License-Identifier: MIT
// open_tree(2), open_tree_attr(2), move_mount(2), fspick(2),
// mount_setattr(2): bind mounts made by cloning a tree (with and without
// its submounts), attributes set on a clone or on a mounted tree (read-only
// observed as EROFS, nosuid/nodev/noexec through statfs), moving a mount,
// reconfiguring a mounted tmpfs through fspick; flag, size and argument
// checks, lookup errors, EPERM without CAP_SYS_ADMIN. Mounts are made in a
// private mount namespace (mount_util.hpp).
// Left out: MOUNT_ATTR_IDMAP (needs a file system that supports idmapped
// mounts and a user namespace fd), MOVE_MOUNT_SET_GROUP and
// MOVE_MOUNT_BENEATH semantics, propagation between namespaces, automounts.
#include "tests/mount/mount_util.hpp"

namespace {

using mounts::create_in;
using mounts::exists_in;
using mounts::point;
using mounts::tmpfs_with_file;

constexpr u32 kFlags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH;

// A scratch directory "d", and its inode number.
u64 dir_ino() {
    ASSERT_OK(sys::mkdirat(kc::scratch_fd(), "d", 0755));
    arch::Stat st{};
    ASSERT_RET(sys::newfstatat(kc::scratch_fd(), "d", &st, 0), 0);
    return st.st_ino;
}

// fd is an O_PATH, close-on-exec descriptor of the inode `ino`: fstat
// works, read fails with EBADF.
void expect_path_fd(long fd, u64 ino) {
    ASSERT_OK(fd);
    kc::Fd f(fd);
    arch::Stat st{};
    EXPECT_RET(sys::fstat(f, &st), 0);
    EXPECT_EQ(st.st_ino, ino);
    EXPECT_EQ(sys::fcntl(f, F_GETFL) & O_PATH, O_PATH);
    EXPECT_EQ(sys::fcntl(f, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    char c;
    EXPECT_ERR(sys::read(f, &c, 1), EBADF);
}

long setattr(const char* path, u64 set, u64 clr = 0, unsigned flags = 0) {
    mount_attr a{set, clr, 0, 0};
    return sys::mount_setattr(AT_FDCWD, path, flags, &a, sizeof a);
}

struct Flags {
    const char* label;
    unsigned flags;
};
struct Attr {
    const char* label;
    mount_attr attr;
    usize size;
    int err;
};

}  // namespace

// ---------------------------------------------------------------------------
// open_tree(2)

// open_tree(2) without OPEN_TREE_CLONE: "open the path ... as if by
// open(2) with O_PATH" - no privilege needed; OPEN_TREE_CLOEXEC sets
// close-on-exec.
TEST(open_tree, path_fd_without_clone, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_open_tree();
    u64 ino = dir_ino();
    expect_path_fd(sys::open_tree(kc::scratch_fd(), "d", OPEN_TREE_CLOEXEC), ino);
}

// open_tree(2) OPEN_TREE_CLONE: a detached copy of the mount at the path (a
// bind mount), attached with move_mount: the files of the source show at
// the target, a file made through the target shows at the source (one file
// system), and after umount2 the target is the empty directory again.
TEST(open_tree, clone_is_bind_mount, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_open_tree();
    mounts::require_move_mount();
    mounts::in_private_ns([](void*) {
        const char* src = tmpfs_with_file("src");
        const char* dst = point("dst");
        kc::Fd t(sys::open_tree(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
        ASSERT_OK(t.get());
        EXPECT_TRUE(mounts::exists("f", t));
        ASSERT_RET(mounts::attach(t, dst), 0);
        EXPECT_TRUE(exists_in(dst, "f"));
        EXPECT_RET(create_in(dst, "g"), 0);
        EXPECT_TRUE(exists_in(src, "g"));
        t.reset();
        EXPECT_RET(sys::umount2(dst, 0), 0);
        EXPECT_TRUE(!exists_in(dst, "f"));
    });
}

// open_tree(2): OPEN_TREE_CLONE copies only the mount at the path; with
// AT_RECURSIVE "the entire subtree" - the mounts below come too. Seen in
// the detached copies: sub/f is there only in the recursive one.
TEST(open_tree, clone_recursive_takes_submounts, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_open_tree();
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("m"));
        tmpfs_with_file("m/sub");
        const char* m = kc::scratch_path("m");
        kc::Fd one(sys::open_tree(AT_FDCWD, m, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
        kc::Fd all(sys::open_tree(AT_FDCWD, m, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE));
        ASSERT_OK(one.get());
        ASSERT_OK(all.get());
        EXPECT_TRUE(mounts::exists("sub", one));
        EXPECT_TRUE(!mounts::exists("sub/f", one));
        EXPECT_TRUE(mounts::exists("sub/f", all));
    });
}

constexpr Flags kBadOpenTreeFlags[] = {
    {"flags=4", 4},
    {"flags=0x40000000", 0x40000000u},
    {"at_removedir", AT_REMOVEDIR},
    {"at_recursive_without_clone", AT_RECURSIVE},
};
// open_tree(2) EINVAL: a flag outside AT_EMPTY_PATH, AT_NO_AUTOMOUNT,
// AT_RECURSIVE, AT_SYMLINK_NOFOLLOW, OPEN_TREE_CLONE, OPEN_TREE_CLOEXEC, or
// AT_RECURSIVE without OPEN_TREE_CLONE - checked before privilege.
TEST_P(open_tree, bad_flags_einval, NEGATIVE, LINUX, kBadOpenTreeFlags,
       .flags = kc::NEEDS_SCRATCH) {
    mounts::require_open_tree();
    EXPECT_ERR(sys::open_tree(kc::scratch_fd(), ".", row.flags), EINVAL);
}

// open_tree(2) lookup errors (path_resolution(7)): ENOENT for a missing
// name and for "" without AT_EMPTY_PATH, ENOTDIR for a file used as a
// directory; with AT_EMPTY_PATH, "" names dirfd itself.
TEST(open_tree, lookup_errors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_open_tree();
    int d = kc::scratch_fd();
    ASSERT_RET(mounts::create("file", d), 0);
    EXPECT_ERR(sys::open_tree(d, "missing", OPEN_TREE_CLOEXEC), ENOENT);
    EXPECT_ERR(sys::open_tree(d, "", OPEN_TREE_CLOEXEC), ENOENT);
    EXPECT_ERR(sys::open_tree(d, "file/x", OPEN_TREE_CLOEXEC), ENOTDIR);
    arch::Stat st{};
    ASSERT_RET(sys::fstat(d, &st), 0);
    expect_path_fd(sys::open_tree(d, "", OPEN_TREE_CLOEXEC | AT_EMPTY_PATH), st.st_ino);
}

// open_tree(2) EPERM: OPEN_TREE_CLONE needs CAP_SYS_ADMIN in the mount
// namespace's user namespace; without it the plain O_PATH open still works.
TEST(open_tree, clone_unprivileged_eperm, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::require_open_tree();
    dir_ino();
    mounts::unprivileged([](void*) {
        EXPECT_ERR(sys::open_tree(kc::scratch_fd(), "d", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC),
                   EPERM);
        kc::Fd f(sys::open_tree(kc::scratch_fd(), "d", OPEN_TREE_CLOEXEC));
        EXPECT_OK(f.get());
    });
}

// ---------------------------------------------------------------------------
// open_tree_attr(2)

// open_tree_attr(2) with no attributes (NULL, size 0) is open_tree(2).
TEST(open_tree_attr, no_attr_is_open_tree, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_open_tree_attr();
    u64 ino = dir_ino();
    expect_path_fd(sys::open_tree_attr(kc::scratch_fd(), "d", OPEN_TREE_CLOEXEC, nullptr, 0), ino);
}

// open_tree_attr(2) EINVAL: a size without an attribute structure.
TEST(open_tree_attr, null_attr_with_size_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_open_tree_attr();
    dir_ino();
    EXPECT_ERR(sys::open_tree_attr(kc::scratch_fd(), "d", OPEN_TREE_CLOEXEC, nullptr, 8), EINVAL);
}

// open_tree_attr(2): OPEN_TREE_CLONE with attr_set MOUNT_ATTR_RDONLY gives a
// read-only clone (EROFS through it) of a tree that stays writable.
TEST(open_tree_attr, clone_rdonly, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_open_tree_attr();
    mounts::in_private_ns([](void*) {
        const char* src = tmpfs_with_file("src");
        mount_attr a{MOUNT_ATTR_RDONLY, 0, 0, 0};
        kc::Fd t(
            sys::open_tree_attr(AT_FDCWD, src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, &a, sizeof a));
        ASSERT_OK(t.get());
        EXPECT_TRUE(mounts::exists("f", t));
        EXPECT_ERR(mounts::create("g", t), EROFS);
        EXPECT_RET(create_in(src, "g"), 0);
    });
}

constexpr Attr kBadTreeAttrs[] = {
    {"size=16", {MOUNT_ATTR_RDONLY, 0, 0, 0}, 16, EINVAL},
    {"size=1MiB", {MOUNT_ATTR_RDONLY, 0, 0, 0}, 1 << 20, E2BIG},
    {"attr_set=0x40000000", {0x40000000, 0, 0, 0}, 32, EINVAL},
    {"propagation=bind", {0, 0, MS_BIND, 0}, 32, EINVAL},
};
// open_tree_attr(2): the attributes are checked like mount_setattr(2)'s:
// EINVAL below MOUNT_ATTR_SIZE_VER0 or for an unknown attribute or
// propagation type, E2BIG above a page.
TEST_P(open_tree_attr, bad_attr, NEGATIVE, LINUX, kBadTreeAttrs, .flags = kFlags) {
    mounts::require_open_tree_attr();
    mounts::in_private_ns(
        [](void* p) {
            const Attr& r = *static_cast<const Attr*>(p);
            mount_attr a = r.attr;  // sizes above a page fail before anything is read
            mount_attr* ap = &a;
            const char* d = point("d");
            EXPECT_ERR(
                sys::open_tree_attr(AT_FDCWD, d, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC, ap, r.size),
                r.err);
        },
        &row);
}

// open_tree_attr(2): a structure larger than the kernel's is accepted only
// when the extra bytes are zero (E2BIG otherwise), like every extensible
// structure (copy_struct_from_user).
TEST(open_tree_attr, larger_struct_tail, BOUNDARY, LINUX, .flags = kFlags) {
    mounts::require_open_tree_attr();
    mounts::in_private_ns([](void*) {
        const char* d = point("d");
        u64 buf[5] = {MOUNT_ATTR_RDONLY, 0, 0, 0, 0};
        auto* a = reinterpret_cast<mount_attr*>(buf);
        unsigned fl = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
        kc::Fd ok(sys::open_tree_attr(AT_FDCWD, d, fl, a, sizeof buf));
        EXPECT_OK(ok.get());
        buf[4] = 1;
        EXPECT_ERR(sys::open_tree_attr(AT_FDCWD, d, fl, a, sizeof buf), E2BIG);
    });
}

// ---------------------------------------------------------------------------
// move_mount(2)

// move_mount(2) of an attached mount: it leaves the source and appears at
// the target, with its files.
TEST(move_mount, moves_attached_mount, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_move_mount();
    mounts::in_private_ns([](void*) {
        const char* a = tmpfs_with_file("a");
        const char* b = point("b");
        ASSERT_RET(sys::move_mount(AT_FDCWD, a, AT_FDCWD, b, 0), 0);
        EXPECT_TRUE(exists_in(b, "f"));
        EXPECT_TRUE(!exists_in(a, "f"));
        EXPECT_RET(sys::umount2(b, 0), 0);
        EXPECT_TRUE(!exists_in(b, "f"));
    });
}

// move_mount(2) MOVE_MOUNT_T_EMPTY_PATH: the target is to_dirfd itself.
TEST(move_mount, empty_target_path, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_move_mount();
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        const char* b = point("b");
        kc::Fd to(sys::openat(AT_FDCWD, b, O_PATH | O_CLOEXEC));
        kc::Fd m(mounts::tmpfs_fd());
        ASSERT_RET(
            sys::move_mount(m, "", to, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH), 0);
        struct statfs sf {};
        EXPECT_RET(sys::statfs(b, &sf), 0);
        EXPECT_EQ(sf.f_type, TMPFS_MAGIC);
    });
}

constexpr Flags kBadMoveFlags[] = {
    {"flags=8", 8},
    {"flags=0x80000000", 0x80000000u},
    {"set_group|beneath", MOVE_MOUNT_SET_GROUP | MOVE_MOUNT_BENEATH},
};
// move_mount(2) EINVAL: a flag outside MOVE_MOUNT__MASK, or SET_GROUP with
// BENEATH, which exclude each other.
TEST_P(move_mount, bad_flags_einval, NEGATIVE, LINUX, kBadMoveFlags, .flags = kFlags) {
    mounts::require_move_mount();
    mounts::in_private_ns(
        [](void* p) {
            const char* a = tmpfs_with_file("a");
            const char* b = point("b");
            EXPECT_ERR(
                sys::move_mount(AT_FDCWD, a, AT_FDCWD, b, static_cast<const Flags*>(p)->flags),
                EINVAL);
            EXPECT_TRUE(exists_in(a, "f"));
        },
        &row);
}

// move_mount(2): EINVAL when the source is not the root of a mount (a
// plain directory), and when a directory would cover a file (Linux: EINVAL
// in do_move_mount, where mount(2) gives ENOTDIR); ENOENT for a missing
// source or target and for "" without MOVE_MOUNT_F_EMPTY_PATH.
TEST(move_mount, path_errors, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::require_move_mount();
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        const char* plain = point("plain");
        const char* b = point("b");
        EXPECT_ERR(sys::move_mount(AT_FDCWD, plain, AT_FDCWD, b, 0), EINVAL);
        kc::Fd m(mounts::tmpfs_fd());
        EXPECT_ERR(sys::move_mount(m, "", AT_FDCWD, b, 0), ENOENT);
        EXPECT_ERR(
            sys::move_mount(m, "", AT_FDCWD, kc::scratch_path("none"), MOVE_MOUNT_F_EMPTY_PATH),
            ENOENT);
        ASSERT_RET(mounts::create("file", kc::scratch_fd()), 0);
        EXPECT_ERR(mounts::attach(m, kc::scratch_path("file")), EINVAL);
        EXPECT_ERR(sys::move_mount(AT_FDCWD, kc::scratch_path("none"), AT_FDCWD, b, 0), ENOENT);
    });
}

// move_mount(2) EPERM without CAP_SYS_ADMIN, checked first.
TEST(move_mount, unprivileged_eperm, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::require_move_mount();
    mounts::unprivileged([](void*) {
        EXPECT_ERR(
            sys::move_mount(AT_FDCWD, kc::scratch_path("a"), AT_FDCWD, kc::scratch_path("b"), 0),
            EPERM);
    });
}

// ---------------------------------------------------------------------------
// fspick(2)

// fspick(2) then FSCONFIG_SET_FLAG "ro" and FSCONFIG_CMD_RECONFIGURE: the
// mounted superblock becomes read-only (EROFS); "rw" and a second
// reconfiguration through the same context make it writable again.
TEST(fspick, reconfigure_ro_rw, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_fspick();
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        const char* m = tmpfs_with_file("m");
        kc::Fd fs(sys::fspick(AT_FDCWD, m, FSPICK_CLOEXEC));
        ASSERT_OK(fs.get());
        EXPECT_RET(sys::fsconfig(fs, FSCONFIG_SET_FLAG, "ro", nullptr, 0), 0);
        ASSERT_RET(sys::fsconfig(fs, FSCONFIG_CMD_RECONFIGURE, nullptr, nullptr, 0), 0);
        EXPECT_ERR(create_in(m, "g"), EROFS);
        EXPECT_EQ(mounts::fs_flags(m) & long(MS_RDONLY), long(MS_RDONLY));
        EXPECT_RET(sys::fsconfig(fs, FSCONFIG_SET_FLAG, "rw", nullptr, 0), 0);
        ASSERT_RET(sys::fsconfig(fs, FSCONFIG_CMD_RECONFIGURE, nullptr, nullptr, 0), 0);
        EXPECT_RET(create_in(m, "g"), 0);
    });
}

// fspick(2) FSPICK_EMPTY_PATH: "" names dirfd (here a mount descriptor);
// a tmpfs "size" reconfigured that way shows in statfs.
TEST(fspick, empty_path_reconfigure_size, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_fspick();
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd m(mounts::tmpfs_fd());
        EXPECT_ERR(sys::fspick(m, "", FSPICK_CLOEXEC), ENOENT);
        kc::Fd fs(sys::fspick(m, "", FSPICK_CLOEXEC | FSPICK_EMPTY_PATH));
        ASSERT_OK(fs.get());
        EXPECT_RET(sys::fsconfig(fs, FSCONFIG_SET_STRING, "size", "128k", 0), 0);
        ASSERT_RET(sys::fsconfig(fs, FSCONFIG_CMD_RECONFIGURE, nullptr, nullptr, 0), 0);
        struct statfs sf {};
        EXPECT_RET(sys::fstatfs(m, &sf), 0);
        EXPECT_EQ(u64(sf.f_blocks) * u64(sf.f_bsize), 131072u);
    });
}

// fspick(2) EINVAL: the path must be the root of a mount (a directory
// inside one is refused); ENOENT for a missing path.
TEST(fspick, path_errors, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::require_fspick();
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("m"));
        const char* sub = point("m/sub");
        EXPECT_ERR(sys::fspick(AT_FDCWD, sub, FSPICK_CLOEXEC), EINVAL);
        EXPECT_ERR(sys::fspick(AT_FDCWD, kc::scratch_path("m/none"), FSPICK_CLOEXEC), ENOENT);
    });
}

constexpr Flags kBadFspickFlags[] = {{"flags=0x10", 0x10}, {"flags=0x80000000", 0x80000000u}};
// fspick(2) EINVAL: a flag outside FSPICK_CLOEXEC, FSPICK_SYMLINK_NOFOLLOW,
// FSPICK_NO_AUTOMOUNT, FSPICK_EMPTY_PATH.
TEST_P(fspick, bad_flags_einval, NEGATIVE, LINUX, kBadFspickFlags, .flags = kFlags) {
    mounts::require_fspick();
    mounts::in_private_ns(
        [](void* p) {
            const char* m = point("m");
            mounts::tmpfs_at(m);
            EXPECT_ERR(sys::fspick(AT_FDCWD, m, static_cast<const Flags*>(p)->flags), EINVAL);
        },
        &row);
}

// fspick(2) EPERM: reconfiguring needs CAP_SYS_ADMIN.
TEST(fspick, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mounts::require_fspick();
    mounts::unprivileged(
        [](void*) { EXPECT_ERR(sys::fspick(AT_FDCWD, "/", FSPICK_CLOEXEC), EPERM); });
}

// ---------------------------------------------------------------------------
// mount_setattr(2)

// mount_setattr(2): attr_set MOUNT_ATTR_RDONLY makes the mount read-only
// (EROFS, ST_RDONLY in statfs); attr_clr of it makes it writable again.
TEST(mount_setattr, rdonly_set_and_clear, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns([](void*) {
        const char* m = tmpfs_with_file("m");
        ASSERT_RET(setattr(m, MOUNT_ATTR_RDONLY), 0);
        EXPECT_ERR(create_in(m, "g"), EROFS);
        EXPECT_EQ(mounts::fs_flags(m) & long(MS_RDONLY), long(MS_RDONLY));
        ASSERT_RET(setattr(m, 0, MOUNT_ATTR_RDONLY), 0);
        EXPECT_RET(create_in(m, "g"), 0);
        EXPECT_EQ(mounts::fs_flags(m) & long(MS_RDONLY), 0);
    });
}

// mount_setattr(2): MOUNT_ATTR_NOSUID, NODEV, NOEXEC show as ST_NOSUID,
// ST_NODEV, ST_NOEXEC (the MS_* values) in statfs(2) f_flags.
TEST(mount_setattr, nosuid_nodev_noexec_in_statfs, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        constexpr long kBits = long(MS_NOSUID | MS_NODEV | MS_NOEXEC);
        long before = mounts::fs_flags(m) & kBits;
        ASSERT_RET(setattr(m, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC), 0);
        EXPECT_EQ(mounts::fs_flags(m) & kBits, kBits);
        ASSERT_RET(setattr(m, 0, MOUNT_ATTR_NOEXEC), 0);
        EXPECT_EQ(mounts::fs_flags(m) & kBits, long(MS_NOSUID | MS_NODEV));
        EXPECT_EQ(before, 0);
    });
}

// mount_setattr(2) AT_RECURSIVE: "change the mount properties of the
// entire mount tree"; without it only the mount at the path changes.
TEST(mount_setattr, recursive_reaches_submounts, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("m"));
        const char* sub = tmpfs_with_file("m/sub");
        const char* m = kc::scratch_path("m");
        ASSERT_RET(setattr(m, MOUNT_ATTR_RDONLY), 0);
        EXPECT_ERR(create_in(m, "g"), EROFS);
        EXPECT_RET(create_in(sub, "g"), 0);
        ASSERT_RET(setattr(m, MOUNT_ATTR_RDONLY, 0, AT_RECURSIVE), 0);
        EXPECT_ERR(create_in(sub, "h"), EROFS);
    });
}

constexpr Attr kBadSetattrs[] = {
    {"size=0", {MOUNT_ATTR_RDONLY, 0, 0, 0}, 0, EINVAL},
    {"size=24", {MOUNT_ATTR_RDONLY, 0, 0, 0}, 24, EINVAL},
    {"size=1MiB", {MOUNT_ATTR_RDONLY, 0, 0, 0}, 1 << 20, E2BIG},
    {"attr_set=0x40000000", {0x40000000, 0, 0, 0}, 32, EINVAL},
    {"attr_clr=0x40000000", {0, 0x40000000, 0, 0}, 32, EINVAL},
    {"set_noatime_without_clr", {MOUNT_ATTR_NOATIME, 0, 0, 0}, 32, EINVAL},
    {"clr_part_of_atime", {0, MOUNT_ATTR_NOATIME, 0, 0}, 32, EINVAL},
    {"propagation=shared|private", {0, 0, MS_SHARED | MS_PRIVATE, 0}, 32, EINVAL},
    {"propagation=bind", {0, 0, MS_BIND, 0}, 32, EINVAL},
};
// mount_setattr(2) ERRORS: EINVAL "size is smaller than MOUNT_ATTR_SIZE_VER0",
// "Unknown mount attributes were passed", an atime value set without
// MOUNT_ATTR__ATIME in attr_clr or a partial attr_clr of it, a propagation
// that is not exactly one of MS_SHARED/SLAVE/PRIVATE/UNBINDABLE; E2BIG "size
// is larger than the page size".
TEST_P(mount_setattr, bad_attr, NEGATIVE, LINUX, kBadSetattrs, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns(
        [](void* p) {
            const Attr& r = *static_cast<const Attr*>(p);
            mount_attr a = r.attr;  // sizes above a page fail before anything is read
            mount_attr* ap = &a;
            const char* m = point("m");
            mounts::tmpfs_at(m);
            EXPECT_ERR(sys::mount_setattr(AT_FDCWD, m, 0, ap, r.size), r.err);
            EXPECT_RET(create_in(m, "f"), 0);  // nothing changed
        },
        &row);
}

constexpr Flags kBadSetattrFlags[] = {
    {"flags=1", 1}, {"at_removedir", AT_REMOVEDIR}, {"flags=0x40000000", 0x40000000u}};
// mount_setattr(2) EINVAL: a flag outside AT_EMPTY_PATH, AT_RECURSIVE,
// AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT.
TEST_P(mount_setattr, bad_flags_einval, NEGATIVE, LINUX, kBadSetattrFlags, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns(
        [](void* p) {
            const char* m = point("m");
            mounts::tmpfs_at(m);
            EXPECT_ERR(setattr(m, MOUNT_ATTR_RDONLY, 0, static_cast<const Flags*>(p)->flags),
                       EINVAL);
        },
        &row);
}

// mount_setattr(2) EINVAL: "The path given in path is not a mount point"
// (a directory inside a mount); ENOENT for a missing path.
TEST(mount_setattr, path_errors, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::require_mount_setattr();
    mounts::in_private_ns([](void*) {
        mounts::tmpfs_at(point("m"));
        EXPECT_ERR(setattr(point("m/sub"), MOUNT_ATTR_RDONLY), EINVAL);
        EXPECT_ERR(setattr(kc::scratch_path("m/none"), MOUNT_ATTR_RDONLY), ENOENT);
        EXPECT_RET(create_in(kc::scratch_path("m"), "f"), 0);
    });
}

// mount_setattr(2) EPERM: "The caller does not have CAP_SYS_ADMIN in the
// user namespace" of the mount.
TEST(mount_setattr, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mounts::require_mount_setattr();
    mounts::unprivileged([](void*) { EXPECT_ERR(setattr("/", MOUNT_ATTR_RDONLY), EPERM); });
}
