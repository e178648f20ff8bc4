// SPDX-License-Identifier: MIT
// Extended attributes (xattr(7)): the setxattr(2), getxattr(2),
// listxattr(2) and removexattr(2) families, each in its path, l* (the link
// itself) and f* (a descriptor) form; all are in every architecture's table.
#pragma once

#include "rt/sys.hpp"

// <linux/xattr.h>: setxattr flags and the VFS limits.
inline constexpr int XATTR_CREATE = 1, XATTR_REPLACE = 2;
inline constexpr usize XATTR_NAME_MAX = 255;    // bytes in a name, prefix included
inline constexpr usize XATTR_SIZE_MAX = 65536;  // bytes in a value
inline constexpr usize XATTR_LIST_MAX = 65536;  // bytes in a listxattr result

namespace sys {

// int setxattr(const char *path, const char *name, const void *value, size_t size, int flags);
inline long setxattr(const char* path, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::setxattr, L(path), L(name), L(val), L(n), flags);
}
// int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags);
inline long lsetxattr(const char* path, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::lsetxattr, L(path), L(name), L(val), L(n), flags);
}
// int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags);
inline long fsetxattr(int fd, const char* name, const void* val, usize n, int flags) {
    return syscall5(nr::fsetxattr, fd, L(name), L(val), L(n), flags);
}
// ssize_t getxattr(const char *path, const char *name, void *value, size_t size);
inline long getxattr(const char* path, const char* name, void* val, usize n) {
    return syscall4(nr::getxattr, L(path), L(name), L(val), L(n));
}
// ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size);
inline long lgetxattr(const char* path, const char* name, void* val, usize n) {
    return syscall4(nr::lgetxattr, L(path), L(name), L(val), L(n));
}
// ssize_t fgetxattr(int fd, const char *name, void *value, size_t size);
inline long fgetxattr(int fd, const char* name, void* val, usize n) {
    return syscall4(nr::fgetxattr, fd, L(name), L(val), L(n));
}
// ssize_t listxattr(const char *path, char *list, size_t size);
inline long listxattr(const char* path, char* list, usize n) {
    return syscall3(nr::listxattr, L(path), L(list), L(n));
}
// ssize_t llistxattr(const char *path, char *list, size_t size);
inline long llistxattr(const char* path, char* list, usize n) {
    return syscall3(nr::llistxattr, L(path), L(list), L(n));
}
// ssize_t flistxattr(int fd, char *list, size_t size);
inline long flistxattr(int fd, char* list, usize n) {
    return syscall3(nr::flistxattr, fd, L(list), L(n));
}
// int removexattr(const char *path, const char *name);
inline long removexattr(const char* path, const char* name) {
    return syscall2(nr::removexattr, L(path), L(name));
}
// int lremovexattr(const char *path, const char *name);
inline long lremovexattr(const char* path, const char* name) {
    return syscall2(nr::lremovexattr, L(path), L(name));
}
// int fremovexattr(int fd, const char *name);
inline long fremovexattr(int fd, const char* name) {
    return syscall2(nr::fremovexattr, fd, L(name));
}

}  // namespace sys
