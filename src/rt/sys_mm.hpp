// SPDX-License-Identifier: MIT
// Memory: protection, remapping, advice, synchronisation, residency, locking,
// the break, memfd_create, memfd_secret, remap_file_pages, process_vm_readv/writev,
// process_madvise and process_mrelease, beyond mmap and munmap
// (rt/sys.hpp, with PROT_* and the basic MAP_* flags in rt/types.hpp).
//
// Every value here is the same on x86-64, aarch64 and riscv64 (asm-generic
// mman.h; x86 includes the generic mman flags).
#pragma once

#include "rt/sys.hpp"

// mmap(2) flags beyond rt/types.hpp.
inline constexpr int MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f;
inline constexpr int MAP_GROWSDOWN = 0x0100, MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000;
inline constexpr int MAP_POPULATE = 0x8000, MAP_SYNC = 0x80000;
inline constexpr int MAP_FIXED_NOREPLACE = 0x100000;
inline constexpr int MAP_DROPPABLE = 0x08;  // a mapping type, like MAP_PRIVATE (Linux 6.11)
inline constexpr int MAP_NONBLOCK = 0x10000, MAP_STACK = 0x20000;
inline constexpr int PROT_SEM = 0x8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
// mremap(2).
inline constexpr int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
// madvise(2).
inline constexpr int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3;
inline constexpr int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10;
inline constexpr int MADV_DOFORK = 11, MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13;
inline constexpr int MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15, MADV_DONTDUMP = 16;
inline constexpr int MADV_DODUMP = 17, MADV_WIPEONFORK = 18, MADV_KEEPONFORK = 19;
inline constexpr int MADV_COLD = 20, MADV_PAGEOUT = 21, MADV_POPULATE_READ = 22;
inline constexpr int MADV_POPULATE_WRITE = 23, MADV_DONTNEED_LOCKED = 24;
inline constexpr int MADV_GUARD_INSTALL = 102, MADV_GUARD_REMOVE = 103;
// msync(2).
inline constexpr int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
// mlockall(2), mlock2(2).
inline constexpr int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4, MLOCK_ONFAULT = 1;
// memfd_create(2).
inline constexpr unsigned MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;
inline constexpr unsigned MFD_NOEXEC_SEAL = 8, MFD_EXEC = 0x10;

namespace sys {

// int mprotect(void *addr, size_t size, int prot);
inline long mprotect(void* addr, usize len, int prot) {
    return syscall3(nr::mprotect, L(addr), L(len), prot);
}
// void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, void *new_address);
inline long mremap(void* old, usize old_len, usize new_len, int flags, void* new_addr = nullptr) {
    return syscall5(nr::mremap, L(old), L(old_len), L(new_len), flags, L(new_addr));
}
// int madvise(void *addr, size_t size, int advice);
inline long madvise(void* addr, usize len, int advice) {
    return syscall3(nr::madvise, L(addr), L(len), advice);
}
// int msync(void *addr, size_t length, int flags);
inline long msync(void* addr, usize len, int flags) {
    return syscall3(nr::msync, L(addr), L(len), flags);
}
// int mincore(void *addr, size_t length, unsigned char *vec);
inline long mincore(void* addr, usize len, u8* vec) {
    return syscall3(nr::mincore, L(addr), L(len), L(vec));
}
// int mlock(const void *addr, size_t len);
inline long mlock(const void* addr, usize len) { return syscall2(nr::mlock, L(addr), L(len)); }
// int mlock2(const void *addr, size_t len, unsigned int flags);
inline long mlock2(const void* addr, usize len, int flags) {
    return syscall3(nr::mlock2, L(addr), L(len), flags);
}
// int munlock(const void *addr, size_t len);
inline long munlock(const void* addr, usize len) { return syscall2(nr::munlock, L(addr), L(len)); }
// int mlockall(int flags);
inline long mlockall(int flags) { return syscall1(nr::mlockall, flags); }
// int munlockall(void);
inline long munlockall() { return syscall0(nr::munlockall); }
// int brk(void *addr);
// The raw system call returns the (new or unchanged) break, never -errno.
inline long brk(void* addr) { return syscall1(nr::brk, L(addr)); }
// int memfd_create(const char *name, unsigned int flags);
inline long memfd_create(const char* name, unsigned flags) {
    return syscall2(nr::memfd_create, L(name), flags);
}
// ssize_t process_vm_readv(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
//                          const struct iovec *remote_iov, unsigned long riovcnt,
//                          unsigned long flags);
inline long process_vm_readv(int pid, const iovec* l, unsigned long ln, const iovec* r,
                             unsigned long rn, unsigned long flags) {
    return syscall6(nr::process_vm_readv, pid, L(l), L(ln), L(r), L(rn), L(flags));
}
// ssize_t process_vm_writev(pid_t pid, const struct iovec *local_iov, unsigned long liovcnt,
//                           const struct iovec *remote_iov, unsigned long riovcnt,
//                           unsigned long flags);
inline long process_vm_writev(int pid, const iovec* l, unsigned long ln, const iovec* r,
                              unsigned long rn, unsigned long flags) {
    return syscall6(nr::process_vm_writev, pid, L(l), L(ln), L(r), L(rn), L(flags));
}

// int memfd_secret(unsigned int flags);
inline long memfd_secret(unsigned flags) { return syscall1(nr::memfd_secret, flags); }
// int remap_file_pages(void *addr, size_t size, int prot, size_t pgoff, int flags);
inline long remap_file_pages(void* addr, usize size, int prot, usize pgoff, int flags) {
    return syscall5(nr::remap_file_pages, L(addr), L(size), prot, L(pgoff), flags);
}
// ssize_t process_madvise(int pidfd, const struct iovec iovec[.n], size_t n, int advice,
//                         unsigned int flags);
inline long process_madvise(int pidfd, const iovec* iov, usize n, int advice, unsigned flags) {
    return syscall5(nr::process_madvise, pidfd, L(iov), L(n), advice, flags);
}
// int process_mrelease(int pidfd, unsigned int flags);
inline long process_mrelease(int pidfd, unsigned flags) {
    return syscall2(nr::process_mrelease, pidfd, flags);
}

}  // namespace sys
