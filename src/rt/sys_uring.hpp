// SPDX-License-Identifier: MIT
// io_uring (io_uring_setup(2), io_uring_enter(2), io_uring_register(2);
// linux/io_uring.h): the parameters and ring offsets, submission and
// completion entries, opcodes, flags and mmap offsets. The layouts are the
// same on x86-64, aarch64 and riscv64 (little-endian, 64-bit).
#pragma once

#include "rt/sys.hpp"

// io_uring_setup(2) flags (io_uring_params.flags).
inline constexpr u32 IORING_SETUP_IOPOLL = 1u << 0, IORING_SETUP_SQPOLL = 1u << 1;
inline constexpr u32 IORING_SETUP_SQ_AFF = 1u << 2, IORING_SETUP_CQSIZE = 1u << 3;
inline constexpr u32 IORING_SETUP_CLAMP = 1u << 4, IORING_SETUP_ATTACH_WQ = 1u << 5;
inline constexpr u32 IORING_SETUP_R_DISABLED = 1u << 6, IORING_SETUP_SUBMIT_ALL = 1u << 7;
inline constexpr u32 IORING_SETUP_COOP_TASKRUN = 1u << 8, IORING_SETUP_TASKRUN_FLAG = 1u << 9;
inline constexpr u32 IORING_SETUP_SQE128 = 1u << 10, IORING_SETUP_CQE32 = 1u << 11;
inline constexpr u32 IORING_SETUP_SINGLE_ISSUER = 1u << 12;
inline constexpr u32 IORING_SETUP_DEFER_TASKRUN = 1u << 13;
// The kernel's limits on the ring sizes (io_uring/io_uring.c).
inline constexpr u32 IORING_MAX_ENTRIES = 32768, IORING_MAX_CQ_ENTRIES = 2 * IORING_MAX_ENTRIES;

// Submission queue entry opcodes (enum io_uring_op; the first 24).
inline constexpr u8 IORING_OP_NOP = 0, IORING_OP_READV = 1, IORING_OP_WRITEV = 2;
inline constexpr u8 IORING_OP_FSYNC = 3, IORING_OP_READ_FIXED = 4, IORING_OP_WRITE_FIXED = 5;
inline constexpr u8 IORING_OP_POLL_ADD = 6, IORING_OP_POLL_REMOVE = 7;
inline constexpr u8 IORING_OP_TIMEOUT = 11, IORING_OP_TIMEOUT_REMOVE = 12;
inline constexpr u8 IORING_OP_ASYNC_CANCEL = 14, IORING_OP_OPENAT = 18, IORING_OP_CLOSE = 19;
inline constexpr u8 IORING_OP_FILES_UPDATE = 20, IORING_OP_STATX = 21, IORING_OP_READ = 22;
inline constexpr u8 IORING_OP_WRITE = 23;

// io_uring_sqe.flags.
inline constexpr u8 IOSQE_FIXED_FILE = 1u << 0, IOSQE_IO_DRAIN = 1u << 1, IOSQE_IO_LINK = 1u << 2;
inline constexpr u8 IOSQE_IO_HARDLINK = 1u << 3, IOSQE_ASYNC = 1u << 4;
inline constexpr u8 IOSQE_BUFFER_SELECT = 1u << 5, IOSQE_CQE_SKIP_SUCCESS = 1u << 6;

// io_uring_sqe.timeout_flags.
inline constexpr u32 IORING_TIMEOUT_ABS = 1u << 0;

// The submission queue entry (the 64-byte form; the unions of the kernel's
// struct appear under the name of their first member, except where noted).
struct io_uring_sqe {
    u8 opcode;
    u8 flags;  // IOSQE_*
    u16 ioprio;
    i32 fd;
    u64 off;  // also addr2; for IORING_OP_TIMEOUT: the completion count
    u64 addr;
    u32 len;
    u32 rw_flags;  // also poll32_events, timeout_flags, open_flags, ...
    u64 user_data;
    u16 buf_index;
    u16 personality;
    i32 splice_fd_in;  // also file_index
    u64 addr3;
    u64 __pad2[1];
};
static_assert(sizeof(io_uring_sqe) == 64);
static_assert(__builtin_offsetof(io_uring_sqe, user_data) == 32);
static_assert(__builtin_offsetof(io_uring_sqe, buf_index) == 40);

// The completion queue entry (16 bytes without IORING_SETUP_CQE32).
struct io_uring_cqe {
    u64 user_data;
    i32 res;
    u32 flags;  // IORING_CQE_F_*
};
static_assert(sizeof(io_uring_cqe) == 16);
inline constexpr u32 IORING_CQE_F_BUFFER = 1u << 0, IORING_CQE_F_MORE = 1u << 1;

// Offsets for mmap(2) of the ring fd.
inline constexpr u64 IORING_OFF_SQ_RING = 0, IORING_OFF_CQ_RING = 0x8000000;
inline constexpr u64 IORING_OFF_SQES = 0x10000000, IORING_OFF_MMAP_MASK = 0xf8000000;

// Byte offsets of the fields in the mapped SQ ring.
struct io_sqring_offsets {
    u32 head;
    u32 tail;
    u32 ring_mask;
    u32 ring_entries;
    u32 flags;
    u32 dropped;
    u32 array;
    u32 resv1;
    u64 user_addr;
};
static_assert(sizeof(io_sqring_offsets) == 40);

// Byte offsets of the fields in the mapped CQ ring.
struct io_cqring_offsets {
    u32 head;
    u32 tail;
    u32 ring_mask;
    u32 ring_entries;
    u32 overflow;
    u32 cqes;
    u32 flags;
    u32 resv1;
    u64 user_addr;
};
static_assert(sizeof(io_cqring_offsets) == 40);

// io_uring_setup(2)'s argument, copied back with the sizes and offsets.
struct io_uring_params {
    u32 sq_entries;
    u32 cq_entries;
    u32 flags;  // IORING_SETUP_*
    u32 sq_thread_cpu;
    u32 sq_thread_idle;
    u32 features;  // IORING_FEAT_*
    u32 wq_fd;
    u32 resv[3];
    io_sqring_offsets sq_off;
    io_cqring_offsets cq_off;
};
static_assert(sizeof(io_uring_params) == 120);
static_assert(__builtin_offsetof(io_uring_params, sq_off) == 40);

// io_uring_params.features.
inline constexpr u32 IORING_FEAT_SINGLE_MMAP = 1u << 0, IORING_FEAT_NODROP = 1u << 1;
inline constexpr u32 IORING_FEAT_SUBMIT_STABLE = 1u << 2, IORING_FEAT_RW_CUR_POS = 1u << 3;

// io_uring_enter(2) flags.
inline constexpr u32 IORING_ENTER_GETEVENTS = 1u << 0, IORING_ENTER_SQ_WAKEUP = 1u << 1;
inline constexpr u32 IORING_ENTER_SQ_WAIT = 1u << 2, IORING_ENTER_EXT_ARG = 1u << 3;
inline constexpr u32 IORING_ENTER_REGISTERED_RING = 1u << 4;

// io_uring_register(2) opcodes.
inline constexpr u32 IORING_REGISTER_BUFFERS = 0, IORING_UNREGISTER_BUFFERS = 1;
inline constexpr u32 IORING_REGISTER_FILES = 2, IORING_UNREGISTER_FILES = 3;
inline constexpr u32 IORING_REGISTER_EVENTFD = 4, IORING_UNREGISTER_EVENTFD = 5;
inline constexpr u32 IORING_REGISTER_FILES_UPDATE = 6, IORING_REGISTER_PROBE = 8;
inline constexpr u32 IORING_REGISTER_ENABLE_RINGS = 12;

// IORING_REGISTER_FILES_UPDATE's argument.
struct io_uring_files_update {
    u32 offset;
    u32 resv;
    u64 fds;  // __s32 *
};
static_assert(sizeof(io_uring_files_update) == 16);

// IORING_REGISTER_PROBE's argument: a header followed by nr_args
// io_uring_probe_op entries (the kernel's flexible array ops[]).
inline constexpr u16 IO_URING_OP_SUPPORTED = 1u << 0;
struct io_uring_probe_op {
    u8 op;
    u8 resv;
    u16 flags;  // IO_URING_OP_*
    u32 resv2;
};
static_assert(sizeof(io_uring_probe_op) == 8);
struct io_uring_probe {
    u8 last_op;
    u8 ops_len;
    u16 resv;
    u32 resv2[3];
};
static_assert(sizeof(io_uring_probe) == 16);

namespace sys {

// int io_uring_setup(u32 entries, struct io_uring_params *p);
inline long io_uring_setup(u32 entries, io_uring_params* p) {
    return syscall2(nr::io_uring_setup, entries, L(p));
}
// int io_uring_enter(unsigned int fd, unsigned int to_submit, unsigned int min_complete,
//                    unsigned int flags, const void *arg, size_t argsz);
inline long io_uring_enter(int fd, u32 to_submit, u32 min_complete, u32 flags,
                           const void* arg = nullptr, usize argsz = 0) {
    return syscall6(nr::io_uring_enter, fd, to_submit, min_complete, flags, L(arg), L(argsz));
}
// int io_uring_register(unsigned int fd, unsigned int opcode, void *arg, unsigned int nr_args);
inline long io_uring_register(int fd, u32 opcode, const void* arg, u32 nr_args) {
    return syscall4(nr::io_uring_register, fd, opcode, L(arg), nr_args);
}

}  // namespace sys
