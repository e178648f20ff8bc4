// SPDX-License-Identifier: MIT
// The *xattrat calls of Linux 6.13 (fs/xattr.c, linux/xattr.h):
// setxattrat(2), getxattrat(2), listxattrat(2) and removexattrat(2), the
// extended-attribute calls relative to a directory descriptor with AT_*
// flags. XATTR_CREATE and XATTR_REPLACE are in rt/sys_xattr.hpp.
#pragma once

#include "rt/sys_xattr.hpp"

// struct xattr_args: the value buffer, its size and the XATTR_* flags; an
// extensible struct (the caller passes its size; bytes past what the kernel
// knows must be zero).
struct xattr_args {
    alignas(8) u64 value;
    u32 size;
    u32 flags;
};
static_assert(sizeof(xattr_args) == 16);
inline constexpr usize XATTR_ARGS_SIZE_VER0 = 16;

namespace sys {

// int setxattrat(int dfd, const char *path, unsigned int at_flags, const char *name,
//                const struct xattr_args *args, size_t size);
inline long setxattrat(int dfd, const char* path, u32 at_flags, const char* name, const void* args,
                       usize size) {
    return syscall6(nr::setxattrat, dfd, L(path), long(at_flags), L(name), L(args), L(size));
}
// ssize_t getxattrat(int dfd, const char *path, unsigned int at_flags, const char *name,
//                    struct xattr_args *args, size_t size);
inline long getxattrat(int dfd, const char* path, u32 at_flags, const char* name, const void* args,
                       usize size) {
    return syscall6(nr::getxattrat, dfd, L(path), long(at_flags), L(name), L(args), L(size));
}
// ssize_t listxattrat(int dfd, const char *path, unsigned int at_flags, char *list,
//                     size_t size);
inline long listxattrat(int dfd, const char* path, u32 at_flags, char* list, usize size) {
    return syscall5(nr::listxattrat, dfd, L(path), long(at_flags), L(list), L(size));
}
// int removexattrat(int dfd, const char *path, unsigned int at_flags, const char *name);
inline long removexattrat(int dfd, const char* path, u32 at_flags, const char* name) {
    return syscall4(nr::removexattrat, dfd, L(path), long(at_flags), L(name));
}

}  // namespace sys
