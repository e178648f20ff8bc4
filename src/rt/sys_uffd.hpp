// SPDX-License-Identifier: MIT
// userfaultfd(2): page faults handled in user space
// (include/uapi/linux/userfaultfd.h). The ioctl numbers use the generic
// _IOC encoding, the same on x86-64, aarch64 and riscv64: dir << 30 |
// size << 16 | 0xAA << 8 | nr, dir 1 for _IOW, 2 for _IOR, 3 for _IOWR.
#pragma once

#include "rt/sys.hpp"

// userfaultfd(2) flags: O_CLOEXEC, O_NONBLOCK, and faults from user mode only.
inline constexpr int UFFD_CLOEXEC = O_CLOEXEC, UFFD_NONBLOCK = O_NONBLOCK;
inline constexpr int UFFD_USER_MODE_ONLY = 1;

inline constexpr u64 UFFD_API = 0xAA;
// Features requested and reported by UFFDIO_API.
inline constexpr u64 UFFD_FEATURE_PAGEFAULT_FLAG_WP = 1 << 0, UFFD_FEATURE_EVENT_FORK = 1 << 1;
inline constexpr u64 UFFD_FEATURE_EVENT_REMAP = 1 << 2, UFFD_FEATURE_EVENT_REMOVE = 1 << 3;
inline constexpr u64 UFFD_FEATURE_EVENT_UNMAP = 1 << 6, UFFD_FEATURE_SIGBUS = 1 << 7;
inline constexpr u64 UFFD_FEATURE_THREAD_ID = 1 << 8, UFFD_FEATURE_EXACT_ADDRESS = 1 << 11;
// Bit numbers of the ioctls reported in uffdio_api.ioctls and
// uffdio_register.ioctls.
inline constexpr int _UFFDIO_REGISTER = 0x00, _UFFDIO_UNREGISTER = 0x01, _UFFDIO_WAKE = 0x02;
inline constexpr int _UFFDIO_COPY = 0x03, _UFFDIO_ZEROPAGE = 0x04, _UFFDIO_API = 0x3F;

// uffd_msg events and page-fault flags.
inline constexpr u8 UFFD_EVENT_PAGEFAULT = 0x12, UFFD_EVENT_FORK = 0x13;
inline constexpr u64 UFFD_PAGEFAULT_FLAG_WRITE = 1 << 0, UFFD_PAGEFAULT_FLAG_WP = 1 << 1;
// Registration modes, and the copy/zeropage modes.
inline constexpr u64 UFFDIO_REGISTER_MODE_MISSING = 1 << 0, UFFDIO_REGISTER_MODE_WP = 1 << 1;
inline constexpr u64 UFFDIO_REGISTER_MODE_MINOR = 1 << 2;
inline constexpr u64 UFFDIO_COPY_MODE_DONTWAKE = 1 << 0, UFFDIO_COPY_MODE_WP = 1 << 1;
inline constexpr u64 UFFDIO_ZEROPAGE_MODE_DONTWAKE = 1 << 0;

struct uffdio_api {
    u64 api;
    u64 features;
    u64 ioctls;
};
struct uffdio_range {
    u64 start;
    u64 len;
};
struct uffdio_register {
    uffdio_range range;
    u64 mode;
    u64 ioctls;
};
struct uffdio_copy {
    u64 dst;
    u64 src;
    u64 len;
    u64 mode;
    i64 copy;  // bytes copied, or -errno
};
struct uffdio_zeropage {
    uffdio_range range;
    u64 mode;
    i64 zeropage;  // bytes zeroed, or -errno
};
// What read(2) returns: one message per event.
struct [[gnu::packed]] uffd_msg {
    u8 event;
    u8 reserved1;
    u16 reserved2;
    u32 reserved3;
    union [[gnu::packed]] {
        struct [[gnu::packed]] {
            u64 flags;
            u64 address;
            u32 ptid;  // feat.ptid, with UFFD_FEATURE_THREAD_ID
        } pagefault;
        struct [[gnu::packed]] {
            u32 ufd;
        } fork;
        u64 reserved[3];
    } arg;
};
static_assert(sizeof(uffdio_api) == 24 && sizeof(uffdio_register) == 32);
static_assert(sizeof(uffdio_copy) == 40 && sizeof(uffdio_zeropage) == 32);
static_assert(sizeof(uffd_msg) == 32);

inline constexpr unsigned long UFFDIO_API = 0xC018AA3F;         // _IOWR(0xAA, 0x3F, uffdio_api)
inline constexpr unsigned long UFFDIO_REGISTER = 0xC020AA00;    // _IOWR(0xAA, 0x00, ..register)
inline constexpr unsigned long UFFDIO_UNREGISTER = 0x8010AA01;  // _IOR(0xAA, 0x01, uffdio_range)
inline constexpr unsigned long UFFDIO_WAKE = 0x8010AA02;        // _IOR(0xAA, 0x02, uffdio_range)
inline constexpr unsigned long UFFDIO_COPY = 0xC028AA03;        // _IOWR(0xAA, 0x03, uffdio_copy)
inline constexpr unsigned long UFFDIO_ZEROPAGE = 0xC020AA04;    // _IOWR(0xAA, 0x04, ..zeropage)
// /dev/userfaultfd (Linux 6.1+): ioctl that returns a new userfaultfd.
inline constexpr unsigned long USERFAULTFD_IOC_NEW = 0xAA00;  // _IO(0xAA, 0x00)

namespace sys {

// int userfaultfd(int flags);
inline long userfaultfd(int flags) { return syscall1(nr::userfaultfd, flags); }

}  // namespace sys
