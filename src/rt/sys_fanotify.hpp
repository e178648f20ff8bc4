// SPDX-License-Identifier: MIT
// fanotify (fs/notify/fanotify, linux/fanotify.h): fanotify_init(2),
// fanotify_mark(2), and the event records read(2) returns. The values and
// layouts are the same on every 64-bit architecture.
#pragma once

#include "rt/sys.hpp"

// fanotify_init(2) flags: the notification class, fd flags, and reporting.
inline constexpr unsigned FAN_CLOEXEC = 0x1, FAN_NONBLOCK = 0x2;
inline constexpr unsigned FAN_CLASS_NOTIF = 0x0, FAN_CLASS_CONTENT = 0x4;
inline constexpr unsigned FAN_CLASS_PRE_CONTENT = 0x8;
inline constexpr unsigned FAN_UNLIMITED_QUEUE = 0x10, FAN_UNLIMITED_MARKS = 0x20;
inline constexpr unsigned FAN_REPORT_PIDFD = 0x80, FAN_REPORT_TID = 0x100;
inline constexpr unsigned FAN_REPORT_FID = 0x200, FAN_REPORT_DIR_FID = 0x400;
inline constexpr unsigned FAN_REPORT_NAME = 0x800;

// fanotify_mark(2) flags.
inline constexpr unsigned FAN_MARK_ADD = 0x1, FAN_MARK_REMOVE = 0x2;
inline constexpr unsigned FAN_MARK_DONT_FOLLOW = 0x4, FAN_MARK_ONLYDIR = 0x8;
inline constexpr unsigned FAN_MARK_MOUNT = 0x10, FAN_MARK_FLUSH = 0x80;
inline constexpr unsigned FAN_MARK_FILESYSTEM = 0x100;

// Event mask bits.
inline constexpr u64 FAN_ACCESS = 0x1, FAN_MODIFY = 0x2, FAN_ATTRIB = 0x4;
inline constexpr u64 FAN_CLOSE_WRITE = 0x8, FAN_CLOSE_NOWRITE = 0x10, FAN_OPEN = 0x20;
inline constexpr u64 FAN_OPEN_PERM = 0x10000, FAN_Q_OVERFLOW = 0x4000;

// An event as read(2) returns it, followed (with FAN_REPORT_FID and the
// like) by information records until event_len.
inline constexpr u8 FANOTIFY_METADATA_VERSION = 3;
inline constexpr int FAN_NOFD = -1;
struct fanotify_event_metadata {
    u32 event_len;
    u8 vers;
    u8 reserved;
    u16 metadata_len;
    alignas(8) u64 mask;
    i32 fd;
    i32 pid;
};
static_assert(sizeof(fanotify_event_metadata) == 24);
// The header of each information record; FAN_EVENT_INFO_TYPE_FID is followed
// by the file system id (8 bytes) and a struct file_handle.
struct fanotify_event_info_header {
    u8 info_type;
    u8 pad;
    u16 len;
};
inline constexpr u8 FAN_EVENT_INFO_TYPE_FID = 1;

namespace sys {

// int fanotify_init(unsigned int flags, unsigned int event_f_flags);
inline long fanotify_init(unsigned flags, unsigned event_f_flags) {
    return syscall2(nr::fanotify_init, flags, event_f_flags);
}
// int fanotify_mark(int fanotify_fd, unsigned int flags, uint64_t mask, int dirfd,
//                   const char *pathname);
inline long fanotify_mark(int fd, unsigned flags, u64 mask, int dirfd, const char* path) {
    return syscall5(nr::fanotify_mark, fd, flags, L(mask), dirfd, L(path));
}

}  // namespace sys
