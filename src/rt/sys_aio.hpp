// SPDX-License-Identifier: MIT
// Linux native asynchronous I/O (io_setup(2) and its family,
// linux/aio_abi.h). The layouts are the same on x86-64, aarch64 and riscv64
// (little-endian).
#pragma once

#include "rt/sys.hpp"

inline constexpr u16 IOCB_CMD_PREAD = 0, IOCB_CMD_PWRITE = 1, IOCB_CMD_FSYNC = 2;
inline constexpr u16 IOCB_CMD_FDSYNC = 3, IOCB_CMD_POLL = 5, IOCB_CMD_NOOP = 6;
inline constexpr u16 IOCB_CMD_PREADV = 7, IOCB_CMD_PWRITEV = 8;
inline constexpr u32 IOCB_FLAG_RESFD = 1, IOCB_FLAG_IOPRIO = 2;

struct iocb {
    u64 aio_data;
    u32 aio_key;  // little-endian order: key, then rw_flags
    int aio_rw_flags;
    u16 aio_lio_opcode;
    i16 aio_reqprio;
    u32 aio_fildes;
    u64 aio_buf;
    u64 aio_nbytes;
    i64 aio_offset;
    u64 aio_reserved2;
    u32 aio_flags;
    u32 aio_resfd;
};
static_assert(sizeof(iocb) == 64);
static_assert(__builtin_offsetof(iocb, aio_lio_opcode) == 16);
static_assert(__builtin_offsetof(iocb, aio_reserved2) == 48);

struct io_event {
    u64 data;
    u64 obj;
    i64 res;
    i64 res2;
};
static_assert(sizeof(io_event) == 32);

// io_pgetevents(2)'s last argument.
struct aio_sigset {
    const u64* sigmask;
    usize sigsetsize;
};
static_assert(sizeof(aio_sigset) == 16);

namespace sys {

// long io_setup(unsigned int nr_events, aio_context_t *ctx_idp);
inline long io_setup(unsigned n, u64* ctx) { return syscall2(nr::io_setup, n, L(ctx)); }
// int io_destroy(aio_context_t ctx_id);
inline long io_destroy(u64 ctx) { return syscall1(nr::io_destroy, L(ctx)); }
// int io_submit(aio_context_t ctx_id, long nr, struct iocb **iocbpp);
inline long io_submit(u64 ctx, long n, iocb** v) {
    return syscall3(nr::io_submit, L(ctx), n, L(v));
}
// int io_getevents(aio_context_t ctx, long min, long nr, struct io_event *ev, struct timespec *t);
inline long io_getevents(u64 ctx, long min, long n, io_event* ev, const timespec* ts) {
    return syscall5(nr::io_getevents, L(ctx), min, n, L(ev), L(ts));
}
// int io_pgetevents(aio_context_t ctx_id, long min_nr, long nr, struct io_event *events,
//                   struct timespec *timeout, const struct __aio_sigset *usig);
inline long io_pgetevents(u64 ctx, long min, long n, io_event* ev, const timespec* ts,
                          const aio_sigset* sig) {
    return syscall6(nr::io_pgetevents, L(ctx), min, n, L(ev), L(ts), L(sig));
}
// int io_cancel(aio_context_t ctx_id, struct iocb *iocb, struct io_event *result);
inline long io_cancel(u64 ctx, iocb* cb, io_event* ev) {
    return syscall3(nr::io_cancel, L(ctx), L(cb), L(ev));
}

}  // namespace sys
