// SPDX-License-Identifier: MIT
// Mounts and namespaces beyond rt/sys_fs.hpp (mount, umount2 and MS_RDONLY,
// MNT_* there) and rt/sys_proc.hpp (unshare; CLONE_NEW* in rt/types.hpp):
// the file-descriptor mount API (fsopen, fsconfig, fsmount, fspick,
// move_mount, open_tree, open_tree_attr, mount_setattr), mount listing
// (statmount, listmount), the process root (chroot, pivot_root) and setns.
// Constants and structs are from include/uapi/linux/mount.h, fcntl.h and
// stat.h; the structs have the same layout on every architecture.
#pragma once

#include "rt/sys.hpp"

// mount(2) flags beyond MS_RDONLY (linux/mount.h).
inline constexpr unsigned long MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32;
inline constexpr unsigned long MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384;
inline constexpr unsigned long MS_PRIVATE = 1ul << 18, MS_SLAVE = 1ul << 19;
inline constexpr unsigned long MS_SHARED = 1ul << 20;

// open_tree(2) flags; AT_RECURSIVE (linux/fcntl.h) also for mount_setattr(2).
inline constexpr unsigned OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = 02000000;  // O_CLOEXEC
inline constexpr int AT_RECURSIVE = 0x8000;

// move_mount(2) flags.
inline constexpr unsigned MOVE_MOUNT_F_SYMLINKS = 1, MOVE_MOUNT_F_AUTOMOUNTS = 2;
inline constexpr unsigned MOVE_MOUNT_F_EMPTY_PATH = 4, MOVE_MOUNT_T_SYMLINKS = 0x10;
inline constexpr unsigned MOVE_MOUNT_T_AUTOMOUNTS = 0x20, MOVE_MOUNT_T_EMPTY_PATH = 0x40;
inline constexpr unsigned MOVE_MOUNT_SET_GROUP = 0x100, MOVE_MOUNT_BENEATH = 0x200;

// fsopen(2), fspick(2), fsmount(2) flags.
inline constexpr unsigned FSOPEN_CLOEXEC = 1;
inline constexpr unsigned FSPICK_CLOEXEC = 1, FSPICK_SYMLINK_NOFOLLOW = 2;
inline constexpr unsigned FSPICK_NO_AUTOMOUNT = 4, FSPICK_EMPTY_PATH = 8;
inline constexpr unsigned FSMOUNT_CLOEXEC = 1;

// fsconfig(2) commands (enum fsconfig_command).
inline constexpr unsigned FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1;
inline constexpr unsigned FSCONFIG_SET_BINARY = 2, FSCONFIG_SET_PATH = 3;
inline constexpr unsigned FSCONFIG_SET_PATH_EMPTY = 4, FSCONFIG_SET_FD = 5;
inline constexpr unsigned FSCONFIG_CMD_CREATE = 6, FSCONFIG_CMD_RECONFIGURE = 7;
inline constexpr unsigned FSCONFIG_CMD_CREATE_EXCL = 8;

// Mount attributes: fsmount(2) attr_flags, struct mount_attr, statmount mnt_attr.
inline constexpr u64 MOUNT_ATTR_RDONLY = 1, MOUNT_ATTR_NOSUID = 2, MOUNT_ATTR_NODEV = 4;
inline constexpr u64 MOUNT_ATTR_NOEXEC = 8, MOUNT_ATTR__ATIME = 0x70, MOUNT_ATTR_RELATIME = 0;
inline constexpr u64 MOUNT_ATTR_NOATIME = 0x10, MOUNT_ATTR_STRICTATIME = 0x20;
inline constexpr u64 MOUNT_ATTR_NODIRATIME = 0x80, MOUNT_ATTR_IDMAP = 0x100000;
inline constexpr u64 MOUNT_ATTR_NOSYMFOLLOW = 0x200000;

// mount_setattr(2), open_tree_attr(2).
struct mount_attr {
    u64 attr_set;
    u64 attr_clr;
    u64 propagation;
    u64 userns_fd;
};
static_assert(sizeof(mount_attr) == 32);
inline constexpr usize MOUNT_ATTR_SIZE_VER0 = 32;

// statmount(2) and listmount(2) request. mnt_ns_fd was `spare` (must be 0)
// before Linux 6.18; mnt_ns_id came with MNT_ID_REQ_SIZE_VER1 (Linux 6.11).
struct mnt_id_req {
    u32 size;
    u32 mnt_ns_fd;  // 0, or a mount namespace descriptor
    u64 mnt_id;
    u64 param;  // statmount: the mask; listmount: the last id listed (or 0)
    u64 mnt_ns_id;
};
static_assert(sizeof(mnt_id_req) == 32);
inline constexpr u32 MNT_ID_REQ_SIZE_VER0 = 24, MNT_ID_REQ_SIZE_VER1 = 32;

// statmount(2) result: the fixed part (later fields of Linux 6.10+ sit in the
// spare area, which keeps the size at 512), then the strings: a [str] field
// is an offset into str[].
struct statmount {
    u32 size;
    u32 __spare1;
    u64 mask;
    u32 sb_dev_major, sb_dev_minor;
    u64 sb_magic;
    u32 sb_flags;
    u32 fs_type;  // [str]
    u64 mnt_id;
    u64 mnt_parent_id;
    u32 mnt_id_old, mnt_parent_id_old;
    u64 mnt_attr;
    u64 mnt_propagation;
    u64 mnt_peer_group;
    u64 mnt_master;
    u64 propagate_from;
    u32 mnt_root;   // [str]
    u32 mnt_point;  // [str]
    u64 mnt_ns_id;
    u64 __spare2[49];
    char str[];
};
static_assert(sizeof(statmount) == 512);
static_assert(__builtin_offsetof(statmount, mnt_id) == 40);
static_assert(__builtin_offsetof(statmount, mnt_root) == 104);

// statmount(2) mask bits.
inline constexpr u64 STATMOUNT_SB_BASIC = 1, STATMOUNT_MNT_BASIC = 2;
inline constexpr u64 STATMOUNT_PROPAGATE_FROM = 4, STATMOUNT_MNT_ROOT = 8;
inline constexpr u64 STATMOUNT_MNT_POINT = 0x10, STATMOUNT_FS_TYPE = 0x20;
inline constexpr u64 STATMOUNT_MNT_NS_ID = 0x40;
// listmount(2): the root mount of the caller's namespace; flags.
inline constexpr u64 LSMT_ROOT = ~0ull;
inline constexpr unsigned LISTMOUNT_REVERSE = 1;

// statx(2) mask bit for the 64-bit unique mount id that statmount(2) and
// listmount(2) take (Linux 6.8), as stx_mnt_id.
inline constexpr u32 STATX_MNT_ID_UNIQUE = 0x4000;

// (statfs(2)'s TMPFS_MAGIC is in rt/sys_fs.hpp, with struct statfs.)

namespace sys {

// int fsopen(const char *fsname, unsigned int flags);
inline long fsopen(const char* fsname, unsigned flags) {
    return syscall2(nr::fsopen, L(fsname), flags);
}
// int fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux);
inline long fsconfig(int fd, unsigned cmd, const char* key, const void* value, int aux) {
    return syscall5(nr::fsconfig, fd, cmd, L(key), L(value), aux);
}
// int fsmount(int fd, unsigned int flags, unsigned int attr_flags);
inline long fsmount(int fd, unsigned flags, unsigned attr_flags) {
    return syscall3(nr::fsmount, fd, flags, attr_flags);
}
// int fspick(int dirfd, const char *path, unsigned int flags);
inline long fspick(int dirfd, const char* path, unsigned flags) {
    return syscall3(nr::fspick, dirfd, L(path), flags);
}
// int move_mount(int from_dirfd, const char *from_path, int to_dirfd, const char *to_path,
//                unsigned int flags);
inline long move_mount(int from_dirfd, const char* from, int to_dirfd, const char* to,
                       unsigned flags) {
    return syscall5(nr::move_mount, from_dirfd, L(from), to_dirfd, L(to), flags);
}
// int open_tree(int dirfd, const char *path, unsigned int flags);
inline long open_tree(int dirfd, const char* path, unsigned flags) {
    return syscall3(nr::open_tree, dirfd, L(path), flags);
}
// int open_tree_attr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr,
//                    size_t size);
inline long open_tree_attr(int dirfd, const char* path, unsigned flags, mount_attr* attr,
                           usize size) {
    return syscall5(nr::open_tree_attr, dirfd, L(path), flags, L(attr), L(size));
}
// int mount_setattr(int dirfd, const char *path, unsigned int flags, struct mount_attr *attr,
//                   size_t size);
inline long mount_setattr(int dirfd, const char* path, unsigned flags, mount_attr* attr,
                          usize size) {
    return syscall5(nr::mount_setattr, dirfd, L(path), flags, L(attr), L(size));
}
// int statmount(const struct mnt_id_req *req, struct statmount *buf, size_t bufsize,
//               unsigned int flags);
inline long statmount(const mnt_id_req* req, struct statmount* buf, usize bufsize, unsigned flags) {
    return syscall4(nr::statmount, L(req), L(buf), L(bufsize), flags);
}
// ssize_t listmount(const struct mnt_id_req *req, u64 *mnt_ids, size_t nr_mnt_ids,
//                   unsigned int flags);
inline long listmount(const mnt_id_req* req, u64* ids, usize n, unsigned flags) {
    return syscall4(nr::listmount, L(req), L(ids), L(n), flags);
}
// int chroot(const char *path);
inline long chroot(const char* path) { return syscall1(nr::chroot, L(path)); }
// int pivot_root(const char *new_root, const char *put_old);
inline long pivot_root(const char* new_root, const char* put_old) {
    return syscall2(nr::pivot_root, L(new_root), L(put_old));
}
// int setns(int fd, int nstype);
inline long setns(int fd, long nstype) { return syscall2(nr::setns, fd, nstype); }

}  // namespace sys
