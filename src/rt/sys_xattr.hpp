// Raw wrappers and constants for extended attributes (setxattr(2) family)
// and the legacy file-time calls utime(2) and futimesat(2). Same conventions
// as rt/sys.hpp: the kernel's result is returned unchanged, -errno on failure.
// The xattr calls are in every architecture's table; utime and futimesat are
// x86-64 only (nr::utime / nr::futimesat == -1 elsewhere: tests REQUIRE_NR).
#pragma once

#include "rt/sys.hpp"

namespace xattr {

// <linux/xattr.h>: setxattr flags and the VFS limits.
inline constexpr int XATTR_CREATE = 1, XATTR_REPLACE = 2;
inline constexpr usize XATTR_NAME_MAX = 255;    // bytes in a name, prefix included
inline constexpr usize XATTR_SIZE_MAX = 65536;  // bytes in a value
inline constexpr usize XATTR_LIST_MAX = 65536;  // bytes in a listxattr result

// struct utimbuf (<linux/utime.h>): two longs, the same on every 64-bit arch.
struct Utimbuf {
    long actime;
    long modtime;
};
static_assert(sizeof(Utimbuf) == 16);

}  // namespace xattr

namespace sys {

inline long setxattr(const char* path, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::setxattr, L(path), L(name), L(val), L(n), flags);
}
inline long lsetxattr(const char* path, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::lsetxattr, L(path), L(name), L(val), L(n), flags);
}
inline long fsetxattr(int fd, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::fsetxattr, fd, L(name), L(val), L(n), flags);
}
inline long getxattr(const char* path, const char* name, void* val, usize n) {
    return syscall4(nr::getxattr, L(path), L(name), L(val), L(n));
}
inline long lgetxattr(const char* path, const char* name, void* val, usize n) {
    return syscall4(nr::lgetxattr, L(path), L(name), L(val), L(n));
}
inline long fgetxattr(int fd, const char* name, void* val, usize n) {
    return syscall4(nr::fgetxattr, fd, L(name), L(val), L(n));
}
inline long listxattr(const char* path, char* list, usize n) {
    return syscall3(nr::listxattr, L(path), L(list), L(n));
}
inline long llistxattr(const char* path, char* list, usize n) {
    return syscall3(nr::llistxattr, L(path), L(list), L(n));
}
inline long flistxattr(int fd, char* list, usize n) {
    return syscall3(nr::flistxattr, fd, L(list), L(n));
}
inline long removexattr(const char* path, const char* name) {
    return syscall2(nr::removexattr, L(path), L(name));
}
inline long lremovexattr(const char* path, const char* name) {
    return syscall2(nr::lremovexattr, L(path), L(name));
}
inline long fremovexattr(int fd, const char* name) {
    return syscall2(nr::fremovexattr, fd, L(name));
}
inline long utime(const char* path, const xattr::Utimbuf* times) {
    return syscall2(nr::utime, L(path), L(times));
}
inline long futimesat(int dirfd, const char* path, const timeval* tv) {
    return syscall3(nr::futimesat, dirfd, L(path), L(tv));
}

}  // namespace sys
