// SPDX-License-Identifier: MIT
// file_getattr(2) and file_setattr(2) (Linux 6.17, fs/file_attr.c,
// linux/fs.h): the inode flags of FS_IOC_FSGETXATTR/FS_IOC_FSSETXATTR by
// path, relative to a directory descriptor.
#pragma once

#include "rt/sys.hpp"

// struct file_attr: an extensible struct (the caller passes its size).
struct file_attr {
    u64 fa_xflags;      // FS_XFLAG_*
    u32 fa_extsize;     // extent size hint
    u32 fa_nextents;    // extents in use (get only)
    u32 fa_projid;      // project id
    u32 fa_cowextsize;  // copy-on-write extent size hint
};
static_assert(sizeof(file_attr) == 24);
inline constexpr usize FILE_ATTR_SIZE_VER0 = 24;

// FS_XFLAG_* (linux/fs.h).
inline constexpr u64 FS_XFLAG_REALTIME = 0x1, FS_XFLAG_PREALLOC = 0x2, FS_XFLAG_IMMUTABLE = 0x8;
inline constexpr u64 FS_XFLAG_APPEND = 0x10, FS_XFLAG_SYNC = 0x20, FS_XFLAG_NOATIME = 0x40;
inline constexpr u64 FS_XFLAG_NODUMP = 0x80, FS_XFLAG_RTINHERIT = 0x100;
inline constexpr u64 FS_XFLAG_PROJINHERIT = 0x200, FS_XFLAG_NOSYMLINKS = 0x400;
inline constexpr u64 FS_XFLAG_EXTSIZE = 0x800, FS_XFLAG_EXTSZINHERIT = 0x1000;
inline constexpr u64 FS_XFLAG_NODEFRAG = 0x2000, FS_XFLAG_FILESTREAM = 0x4000;
inline constexpr u64 FS_XFLAG_DAX = 0x8000, FS_XFLAG_COWEXTSIZE = 0x10000;
inline constexpr u64 FS_XFLAG_HASATTR = 0x80000000;

namespace sys {

// int file_getattr(int dfd, const char *filename, struct file_attr *attr, size_t size,
//                  unsigned int at_flags);
inline long file_getattr(int dfd, const char* path, void* attr, usize size, u32 at_flags) {
    return syscall5(nr::file_getattr, dfd, L(path), L(attr), L(size), long(at_flags));
}
// int file_setattr(int dfd, const char *filename, const struct file_attr *attr, size_t size,
//                  unsigned int at_flags);
inline long file_setattr(int dfd, const char* path, const void* attr, usize size, u32 at_flags) {
    return syscall5(nr::file_setattr, dfd, L(path), L(attr), L(size), long(at_flags));
}

}  // namespace sys
