// SPDX-License-Identifier: MIT
// Moving data between descriptors inside the kernel: sendfile, splice, tee
// and vmsplice (linux/splice.h flags, the same on every architecture).
// copy_file_range, between two files, is in rt/sys_fs.hpp.
#pragma once

#include "rt/sys.hpp"

inline constexpr unsigned SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4;
inline constexpr unsigned SPLICE_F_GIFT = 8;

namespace sys {

// ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count);
inline long sendfile(int out, int in, long* off, usize n) {
    return syscall4(nr::sendfile, out, in, L(off), L(n));
}
// ssize_t splice(int fd_in, off_t *off_in, int fd_out, off_t *off_out, size_t len, unsigned flags);
inline long splice(int in, long* off_in, int out, long* off_out, usize n, unsigned flags) {
    return syscall6(nr::splice, in, L(off_in), out, L(off_out), L(n), flags);
}
// ssize_t tee(int fd_in, int fd_out, size_t len, unsigned int flags);
inline long tee(int in, int out, usize n, unsigned flags) {
    return syscall4(nr::tee, in, out, L(n), flags);
}
// ssize_t vmsplice(int fd, const struct iovec *iov, size_t nr_segs, unsigned int flags);
inline long vmsplice(int fd, const iovec* iov, unsigned long n, unsigned flags) {
    return syscall4(nr::vmsplice, fd, L(iov), L(n), flags);
}

}  // namespace sys
