// SPDX-License-Identifier: MIT
// fsopen(2), fsconfig(2), fsmount(2): a tmpfs built through a file-system
// context (parameters that take effect: size, mode, ro; the error log read
// back from the context), used detached through the mount descriptor and
// attached with move_mount; flag and argument checks, the context's phases
// (EBUSY after creation, EINVAL before), EPERM without CAP_SYS_ADMIN, EBADF.
// Everything that mounts runs in a private mount namespace (mount_util.hpp).
// Left out: file systems other than tmpfs (need devices or privilege in the
// initial user namespace), FSCONFIG_SET_PATH/SET_FD/SET_BINARY semantics
// (no tmpfs parameter takes them), FSCONFIG_CMD_CREATE_EXCL (Linux 6.6).
#include "tests/mount/mount_util.hpp"

namespace {

int ctx() {
    long fd = sys::fsopen("tmpfs", FSOPEN_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}
long set(int fd, const char* key, const char* value) {
    return sys::fsconfig(fd, FSCONFIG_SET_STRING, key, value, 0);
}
long create_sb(int fd) { return sys::fsconfig(fd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0); }

bool cloexec(int fd) { return (sys::fcntl(fd, F_GETFD, 0) & FD_CLOEXEC) != 0; }

// A descriptor that is open but no file-system context: a scratch directory.
int not_a_context() {
    long fd = sys::openat(kc::scratch_fd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}

}  // namespace

// ---------------------------------------------------------------------------
// fsopen(2)

// fsopen(2) (Documentation/filesystems/mount_api.rst): a context for "tmpfs",
// created, mounted with fsmount and attached with move_mount, puts a new
// file system at the mount point: a file created there is seen through the
// mount descriptor, and is gone from the directory after umount2.
TEST(fsopen, tmpfs_mount_attached, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        const char* m = mounts::point("m");
        kc::Fd mfd(mounts::tmpfs_fd());
        ASSERT_RET(mounts::attach(mfd, m), 0);
        struct statfs sf {};
        EXPECT_RET(sys::statfs(m, &sf), 0);
        EXPECT_EQ(sf.f_type, TMPFS_MAGIC);
        EXPECT_RET(mounts::create(kc::scratch_path("m/f")), 0);
        EXPECT_TRUE(mounts::exists("f", mfd));
        mfd.reset();
        EXPECT_RET(sys::umount2(m, 0), 0);
        EXPECT_TRUE(!mounts::exists(kc::scratch_path("m/f")));
    });
}

// fsopen(2): FSOPEN_CLOEXEC sets close-on-exec on the context descriptor;
// without it the descriptor has none.
TEST(fsopen, cloexec_flag, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd a(sys::fsopen("tmpfs", FSOPEN_CLOEXEC)), b(sys::fsopen("tmpfs", 0));
        ASSERT_OK(a.get());
        ASSERT_OK(b.get());
        EXPECT_TRUE(cloexec(a));
        EXPECT_TRUE(!cloexec(b));
    });
}

// fsopen(2) ENODEV: "The filesystem named by fsname is not supported by
// the kernel" (with the privilege that is checked first).
TEST(fsopen, unknown_type_enodev, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) { EXPECT_ERR(sys::fsopen("kconform-no-such-fs", 0), ENODEV); });
}

struct Flags {
    const char* label;
    unsigned flags;
};
constexpr Flags kBadFsopenFlags[] = {
    {"flags=2", 2}, {"flags=0x80000000", 0x80000000u}, {"flags=~1", ~1u}};
// fsopen(2) EINVAL: "flags includes an undefined value" (FSOPEN_CLOEXEC is
// the only flag).
TEST_P(fsopen, bad_flags_einval, NEGATIVE, LINUX, kBadFsopenFlags,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns(
        [](void* p) {
            EXPECT_ERR(sys::fsopen("tmpfs", static_cast<const Flags*>(p)->flags), EINVAL);
        },
        &row);
}

// fsopen(2) EFAULT: fsname points outside the address space.
TEST(fsopen, bad_name_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns(
        [](void*) { EXPECT_ERR(sys::fsopen(reinterpret_cast<const char*>(8), 0), EFAULT); });
}

// fsopen(2) EPERM: "The calling process does not have the required
// CAP_SYS_ADMIN capability" (in the mount namespace's user namespace).
TEST(fsopen, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mounts::require_fd_api();
    mounts::unprivileged([](void*) { EXPECT_ERR(sys::fsopen("tmpfs", FSOPEN_CLOEXEC), EPERM); });
}

// ---------------------------------------------------------------------------
// fsconfig(2)

// fsconfig(2) FSCONFIG_SET_STRING: tmpfs's "size" and "mode" parameters
// (tmpfs(5)) take effect on the superblock that FSCONFIG_CMD_CREATE makes:
// statfs reports 64 KiB of blocks, the root directory has mode 0710.
TEST(fsconfig, set_string_size_and_mode, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        EXPECT_RET(set(fs, "size", "64k"), 0);
        EXPECT_RET(set(fs, "mode", "0710"), 0);
        ASSERT_RET(create_sb(fs), 0);
        kc::Fd mfd(sys::fsmount(fs, FSMOUNT_CLOEXEC, 0));
        ASSERT_OK(mfd.get());
        struct statfs sf {};
        EXPECT_RET(sys::fstatfs(mfd, &sf), 0);
        EXPECT_EQ(u64(sf.f_blocks) * u64(sf.f_bsize), 65536u);
        arch::Stat st{};
        EXPECT_RET(sys::fstat(mfd, &st), 0);
        EXPECT_EQ(st.st_mode, S_IFDIR | 0710);
    });
}

// fsconfig(2) FSCONFIG_SET_FLAG "ro": the generic read-only superblock flag;
// creating a file on the new file system then fails with EROFS.
TEST(fsconfig, set_flag_ro_erofs, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        EXPECT_RET(sys::fsconfig(fs, FSCONFIG_SET_FLAG, "ro", nullptr, 0), 0);
        ASSERT_RET(create_sb(fs), 0);
        kc::Fd mfd(sys::fsmount(fs, FSMOUNT_CLOEXEC, 0));
        ASSERT_OK(mfd.get());
        EXPECT_ERR(mounts::create("f", mfd), EROFS);
    });
}

// fsconfig(2) EINVAL for a parameter the file system does not know, with a
// message in the context's log, read(2) from the context descriptor: a line
// that starts "e " for an error (mount_api.rst, "Message logging").
TEST(fsconfig, unknown_key_einval_logged, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        EXPECT_ERR(set(fs, "kconform-no-such-key", "1"), EINVAL);
        char msg[256] = {};
        long n = sys::read(fs, msg, sizeof msg - 1);
        EXPECT_GT(n, 2);
        EXPECT_TRUE(msg[0] == 'e' && msg[1] == ' ');
        EXPECT_ERR(sys::read(fs, msg, sizeof msg), ENODATA);  // the log is empty now
    });
}

// fsconfig(2) EINVAL: a value the parameter cannot take (tmpfs "size" is a
// number with an optional k/m/g/% suffix).
TEST(fsconfig, bad_value_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        EXPECT_ERR(set(fs, "size", "kconform"), EINVAL);
        EXPECT_ERR(set(fs, "mode", "0x1g"), EINVAL);
    });
}

// fsconfig(2) EBUSY: "The filesystem context ... is in the wrong state": a
// second FSCONFIG_CMD_CREATE, or a parameter after the superblock exists.
TEST(fsconfig, after_create_ebusy, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        ASSERT_RET(create_sb(fs), 0);
        EXPECT_ERR(create_sb(fs), EBUSY);
        EXPECT_ERR(set(fs, "size", "64k"), EBUSY);
    });
}

struct Shape {
    const char* label;
    unsigned cmd;
    const char* key;
    const char* value;
    int aux;
};
constexpr Shape kBadShapes[] = {
    {"set_flag:value", FSCONFIG_SET_FLAG, "ro", "x", 0},
    {"set_flag:no_key", FSCONFIG_SET_FLAG, nullptr, nullptr, 0},
    {"set_flag:aux", FSCONFIG_SET_FLAG, "ro", nullptr, 1},
    {"set_string:no_value", FSCONFIG_SET_STRING, "size", nullptr, 0},
    {"set_string:aux", FSCONFIG_SET_STRING, "size", "1k", 1},
    {"set_binary:aux=0", FSCONFIG_SET_BINARY, "size", "1k", 0},
    {"set_path:aux=-2", FSCONFIG_SET_PATH, "source", "/", -2},
    {"set_fd:value", FSCONFIG_SET_FD, "source", "x", 0},
    {"set_fd:aux=-1", FSCONFIG_SET_FD, "source", nullptr, -1},
    {"cmd_create:key", FSCONFIG_CMD_CREATE, "ro", nullptr, 0},
    {"cmd_create:aux", FSCONFIG_CMD_CREATE, nullptr, nullptr, 1},
    {"cmd_reconfigure:value", FSCONFIG_CMD_RECONFIGURE, nullptr, "x", 0},
};
// fsconfig(2) EINVAL: key, value and aux must have the shape the command
// needs (SET_FLAG: a key only; SET_STRING: key and value; SET_BINARY: aux
// the length, > 0; SET_PATH: aux a directory fd or AT_FDCWD; SET_FD: key
// and aux >= 0; the commands: nothing), checked on a valid context.
TEST_P(fsconfig, argument_shape_einval, NEGATIVE, LINUX, kBadShapes,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns(
        [](void* p) {
            const Shape& s = *static_cast<const Shape*>(p);
            kc::Fd fs(ctx());
            EXPECT_ERR(sys::fsconfig(fs, s.cmd, s.key, s.value, s.aux), EINVAL);
        },
        &row);
}

// fsconfig(2): a command beyond the defined ones is EOPNOTSUPP ("The
// operation is not supported"), whatever the descriptor.
TEST(fsconfig, unknown_command_eopnotsupp, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    kc::Fd d(not_a_context());
    EXPECT_ERR(sys::fsconfig(d, 100, nullptr, nullptr, 0), EOPNOTSUPP);
}

// fsconfig(2) descriptor errors: EBADF for a number that is not an open
// descriptor, EINVAL for one that is not a file-system context; Linux
// rejects a negative fd with EINVAL before looking it up (fs/fsopen.c),
// where the man page lists only EBADF.
TEST(fsconfig, bad_fd, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    EXPECT_ERR(sys::fsconfig(INT_MAX, FSCONFIG_SET_FLAG, "ro", nullptr, 0), EBADF);
    kc::Fd d(not_a_context());
    EXPECT_ERR(sys::fsconfig(d, FSCONFIG_SET_FLAG, "ro", nullptr, 0), EINVAL);
    EXPECT_ERR(sys::fsconfig(-1, FSCONFIG_SET_FLAG, "ro", nullptr, 0), EINVAL);
}

// ---------------------------------------------------------------------------
// fsmount(2)

// fsmount(2): the mount is usable through its descriptor before it is
// attached anywhere: a file written through it reads back, and the
// descriptor is the root of a tmpfs. FSMOUNT_CLOEXEC sets close-on-exec.
TEST(fsmount, detached_mount_usable, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd mfd(mounts::tmpfs_fd());
        EXPECT_TRUE(cloexec(mfd));
        kc::Fd f(sys::openat(mfd, "f", O_RDWR | O_CREAT | O_CLOEXEC, 0600));
        ASSERT_OK(f.get());
        EXPECT_RET(sys::write(f, "kc", 2), 2);
        char buf[2] = {};
        EXPECT_RET(sys::pread64(f, buf, 2, 0), 2);
        EXPECT_MEM_EQ(buf, "kc", 2);
        struct statfs sf {};
        EXPECT_RET(sys::fstatfs(mfd, &sf), 0);
        EXPECT_EQ(sf.f_type, TMPFS_MAGIC);
    });
}

// fsmount(2) attr_flags: MOUNT_ATTR_RDONLY and MOUNT_ATTR_NOEXEC apply to
// the new mount: creating a file fails with EROFS, statfs shows ST_RDONLY
// and ST_NOEXEC (the MS_* values).
TEST(fsmount, attr_rdonly_erofs, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd mfd(mounts::tmpfs_fd(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC));
        EXPECT_ERR(mounts::create("f", mfd), EROFS);
        struct statfs sf {};
        EXPECT_RET(sys::fstatfs(mfd, &sf), 0);
        EXPECT_EQ(sf.f_flags & long(MS_RDONLY | MS_NOEXEC), long(MS_RDONLY | MS_NOEXEC));
    });
}

// fsmount(2) EINVAL: before FSCONFIG_CMD_CREATE the context has no
// superblock to mount.
TEST(fsmount, before_create_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        kc::Fd fs(ctx());
        EXPECT_ERR(sys::fsmount(fs, FSMOUNT_CLOEXEC, 0), EINVAL);
    });
}

struct MountFlags {
    const char* label;
    unsigned flags, attr;
};
constexpr MountFlags kBadFsmountFlags[] = {
    {"flags=2", 2, 0},
    {"flags=0x80000000", 0x80000000u, 0},
    {"attr=0x40000000", 0, 0x40000000u},
    {"attr=idmap", 0, MOUNT_ATTR_IDMAP},
    {"attr=noatime|strictatime", 0, MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME},
    {"attr=__atime", 0, MOUNT_ATTR__ATIME},
};
// fsmount(2) EINVAL: an unknown flag, an attribute outside the ones fsmount
// takes (MOUNT_ATTR_IDMAP needs mount_setattr), or an atime value that is
// not one of relatime, noatime, strictatime - checked before the context.
TEST_P(fsmount, bad_flags_einval, NEGATIVE, LINUX, kBadFsmountFlags,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns(
        [](void* p) {
            const MountFlags& f = *static_cast<const MountFlags*>(p);
            kc::Fd fs(ctx());
            ASSERT_RET(create_sb(fs), 0);
            EXPECT_ERR(sys::fsmount(fs, f.flags, f.attr), EINVAL);
        },
        &row);
}

// fsmount(2) descriptor errors: EBADF for a closed number, EINVAL for a
// descriptor that is not a file-system context.
TEST(fsmount, bad_fd, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    mounts::require_fd_api();
    mounts::in_private_ns([](void*) {
        EXPECT_ERR(sys::fsmount(INT_MAX, 0, 0), EBADF);
        kc::Fd d(not_a_context());
        EXPECT_ERR(sys::fsmount(d, 0, 0), EINVAL);
    });
}

// fsmount(2) EPERM: "The calling process does not have the required
// CAP_SYS_ADMIN capability" - checked before anything else.
TEST(fsmount, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    mounts::require_fd_api();
    mounts::unprivileged([](void*) { EXPECT_ERR(sys::fsmount(INT_MAX, 0, 0), EPERM); });
}
