// SPDX-License-Identifier: MIT
// The ring that the io_uring tests share (io_uring_setup.cpp,
// io_uring_enter.cpp, io_uring_register.cpp): set up, its three regions
// mapped, SQEs queued through the SQ array and tail, CQEs consumed through
// the CQ head; and the skip for a kernel without io_uring or with io_uring
// turned off. Defined in io_uring_util.cpp.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_uring.hpp"

namespace io_uring_test {

// Ends the test as SKIP when `r`, a result of io_uring_setup(2), says that
// the kernel lacks io_uring (ENOSYS) or that the kernel.io_uring_disabled
// sysctl refuses it to this process (EPERM: 2 disables it for all, 1 for
// all but CAP_SYS_ADMIN and kernel.io_uring_group). Returns r otherwise.
long skip_if_unavailable(long r);
// Skips like skip_if_unavailable() unless a ring of one entry can be set up
// (for tests whose subject is not a ring of their own).
void require_io_uring();
// Ring memory and RLIMIT_MEMLOCK: since Linux 6.x a ring's own memory (not
// only registered buffers) counts against the user's RLIMIT_MEMLOCK unless
// the ring was set up with CAP_IPC_LOCK; the count is per user (shared by
// parallel tests), and Linux frees a ring asynchronously after close, so a
// run creating many rings needs room. require_ring_memory() skips unless
// CAP_IPC_LOCK is usable (or `without_cap`: whatever the capabilities) or
// RLIMIT_MEMLOCK's soft limit is at least kRingMemlock; require_memlock()
// the same for a ring of `bytes` (twice that: the ring of a previous test
// may not be freed yet). skip_if_memlock() skips when `r`, a result of
// io_uring_setup, is -ENOMEM without CAP_IPC_LOCK; returns r otherwise.
inline constexpr u64 kRingMemlock = 1024 * 1024;
void require_ring_memory(bool without_cap = false);
void require_memlock(u64 bytes);
long skip_if_memlock(long r);

// A ring of the running test: io_uring_setup(entries) with `flags` (and
// cq_entries under IORING_SETUP_CQSIZE), its SQ ring, CQ ring and SQE array
// mapped at IORING_OFF_*. Skips when io_uring is unavailable; a failed step
// ends the test. The fd and the mappings go when the ring does, or at the
// end of the test.
class Ring {
   public:
    explicit Ring(u32 entries = 8, u32 flags = 0, u32 cq_entries = 0);
    ~Ring();
    Ring(const Ring&) = delete;
    Ring& operator=(const Ring&) = delete;

    // A u32 field of the SQ ring (CQ ring) at byte offset `off`, from p.sq_off (p.cq_off).
    u32* sq_field(u32 off) const { return reinterpret_cast<u32*>(sq_ring + off); }
    u32* cq_field(u32 off) const { return reinterpret_cast<u32*>(cq_ring + off); }
    // Fills the next free SQE (zeroed first) and its SQ array slot; the
    // kernel sees it after the next enter(), which stores the SQ tail.
    io_uring_sqe* prep(u8 op, int fd, const void* addr, u32 len, u64 off, u64 user_data);
    // Stores the SQ tail (release), then io_uring_enter(fd, ...).
    long enter(u32 to_submit, u32 min_complete = 0, u32 flags = 0);
    // Submits `n` prepared SQEs and waits for n completions; checks that
    // io_uring_enter returned n.
    bool submit_and_wait(u32 n);
    // CQEs posted by the kernel (CQ tail, acquire) and not yet consumed.
    u32 ready() const;
    // Consumes the CQE at the CQ head into *out and advances the head
    // (release); false when there is none.
    bool reap(io_uring_cqe* out);
    // Consumes a CQE and checks its user_data and res exactly.
    bool expect_cqe(u64 user_data, long res);
    // Reaps two completions and checks them in either order: requests that
    // are not linked complete in any order (Linux 6.1 and 6.18 differ).
    void expect_cqes_any_order(u64 data1, long res1, u64 data2, long res2);

    kc::Fd fd;
    io_uring_params p{};
    u8* sq_ring = nullptr;
    u8* cq_ring = nullptr;
    io_uring_sqe* sqes = nullptr;
    u32 tail = 0;  // the SQ tail as this process has filled it

   private:
    int unmap_[3] = {-1, -1, -1};
};

}  // namespace io_uring_test
