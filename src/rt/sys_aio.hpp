// Raw wrappers, constants and kernel structs for the kernel AIO area
// (src/tests/aio) and the vectored-I/O-with-flags / small-calls area
// (src/tests/rw2): io_setup, io_destroy, io_submit, io_getevents,
// io_pgetevents, io_cancel, preadv2, pwritev2, vmsplice, ioprio_get,
// ioprio_set, pause, futex_waitv. Results come back unchanged (-errno).
//
// Everything lives in namespace kaio so that nothing clashes with other
// areas' headers. The layouts below (linux/aio_abi.h, linux/futex.h) are the
// same on x86-64, aarch64 and riscv64 little-endian.
#pragma once

#include "rt/sys.hpp"

namespace kaio {

using sys::L;

// linux/aio_abi.h
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

// preadv2(2)/pwritev2(2) flags (linux/fs.h).
inline constexpr int RWF_HIPRI = 1, RWF_DSYNC = 2, RWF_SYNC = 4, RWF_NOWAIT = 8;
inline constexpr int RWF_APPEND = 0x10, RWF_NOAPPEND = 0x20;
inline constexpr int IOV_MAX = 1024;

// vmsplice(2) flags.
inline constexpr unsigned SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4;
inline constexpr unsigned SPLICE_F_GIFT = 8;

// ioprio_set(2) (linux/ioprio.h): class in bits 13..15, level in bits 0..2,
// hints in bits 3..12 (Linux 6.5).
inline constexpr int IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP = 2, IOPRIO_WHO_USER = 3;
inline constexpr int IOPRIO_CLASS_NONE = 0, IOPRIO_CLASS_RT = 1, IOPRIO_CLASS_BE = 2;
inline constexpr int IOPRIO_CLASS_IDLE = 3;
inline constexpr int ioprio_value(int cls, int data) { return (cls << 13) | data; }

// futex_waitv(2) (linux/futex.h).
struct FutexWaitv {
    u64 val;
    u64 uaddr;
    u32 flags;
    u32 reserved;
};
static_assert(sizeof(FutexWaitv) == 24);
inline constexpr u32 FUTEX2_SIZE_U32 = 2, FUTEX2_PRIVATE = 128;
inline constexpr int FUTEX_WAITV_MAX = 128;

inline long io_setup(unsigned nr, u64* ctx) { return sys::syscall2(nr::io_setup, nr, L(ctx)); }
inline long io_destroy(u64 ctx) { return sys::syscall1(nr::io_destroy, L(ctx)); }
inline long io_submit(u64 ctx, long n, iocb** v) {
    return sys::syscall3(nr::io_submit, L(ctx), n, L(v));
}
inline long io_getevents(u64 ctx, long min, long n, io_event* ev, const timespec* ts) {
    return sys::syscall5(nr::io_getevents, L(ctx), min, n, L(ev), L(ts));
}
inline long io_pgetevents(u64 ctx, long min, long n, io_event* ev, const timespec* ts,
                          const aio_sigset* sig) {
    return sys::syscall6(nr::io_pgetevents, L(ctx), min, n, L(ev), L(ts), L(sig));
}
inline long io_cancel(u64 ctx, iocb* cb, io_event* ev) {
    return sys::syscall3(nr::io_cancel, L(ctx), L(cb), L(ev));
}
// On 64-bit ABIs the offset travels whole in pos_l; pos_h is ignored.
inline long preadv2(int fd, const iovec* iov, int cnt, long off, int flags) {
    return sys::syscall6(nr::preadv2, fd, L(iov), cnt, off, 0, flags);
}
inline long pwritev2(int fd, const iovec* iov, int cnt, long off, int flags) {
    return sys::syscall6(nr::pwritev2, fd, L(iov), cnt, off, 0, flags);
}
inline long vmsplice(int fd, const iovec* iov, unsigned long n, unsigned flags) {
    return sys::syscall4(nr::vmsplice, fd, L(iov), L(n), flags);
}
inline long ioprio_get(int which, int who) { return sys::syscall2(nr::ioprio_get, which, who); }
inline long ioprio_set(int which, int who, int prio) {
    return sys::syscall3(nr::ioprio_set, which, who, prio);
}
inline long pause() { return sys::syscall0(nr::pause); }
inline long futex_waitv(FutexWaitv* w, unsigned n, unsigned flags, const timespec* ts, int clk) {
    return sys::syscall5(nr::futex_waitv, L(w), n, flags, L(ts), clk);
}
inline long eventfd2(unsigned init, int flags) { return sys::syscall2(nr::eventfd2, init, flags); }

// Closes an fd at scope end.
struct Fd {
    long fd;
    explicit Fd(long f) : fd(f) {}
    [[gnu::noinline]] ~Fd() {
        if (fd >= 0) sys::close(int(fd));
    }
    operator int() const { return int(fd); }
};
// Destroys an AIO context at scope end.
struct Ctx {
    u64 id = 0;
    long r;
    explicit Ctx(unsigned nr) : r(io_setup(nr, &id)) {}
    [[gnu::noinline]] ~Ctx() {
        if (id) io_destroy(id);
    }
    operator u64() const { return id; }
};

}  // namespace kaio
