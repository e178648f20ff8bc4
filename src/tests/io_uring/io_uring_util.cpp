// SPDX-License-Identifier: MIT
// The shared io_uring ring (declared in tests/io_uring/io_uring_util.hpp).
// No tests here.
#define KC_FILE __FILE__
#include "tests/io_uring/io_uring_util.hpp"

#include "rt/errno.hpp"
#include "rt/sys_cred.hpp"
#include "tests/common/common_util.hpp"

namespace io_uring_test {

long skip_if_unavailable(long r) {
    if (r == -ENOSYS)
        kc::skip_unimplemented("io_uring_setup",
                               "io_uring_setup: not implemented (ENOSYS; Linux 5.1+)");
    if (r != -EPERM) return r;
    long v = common::proc_number("/proc/sys/kernel/io_uring_disabled");
    if (v == 2) kc::skip("io_uring is disabled for all (kernel.io_uring_disabled=2)");
    if (v == 1)
        kc::skip(
            "io_uring is limited to CAP_SYS_ADMIN and kernel.io_uring_group "
            "(kernel.io_uring_disabled=1)");
    if (v < 0) kc::skip("io_uring_setup: EPERM, and kernel.io_uring_disabled cannot be read");
    // Container runtimes filter io_uring out (Docker's default seccomp
    // profile answers EPERM); with no filter, EPERM is for the test to judge.
    if (sys::prctl(PR_GET_SECCOMP) == 2)
        kc::skip("io_uring_setup: EPERM under a seccomp filter (as container runtimes install)");
    return r;
}

void require_io_uring() {
    require_ring_memory();
    io_uring_params p{};
    long r = skip_if_memlock(skip_if_unavailable(sys::io_uring_setup(1, &p)));
    if (ASSERT_OK(r)) sys::close(int(r));
}

void require_ring_memory(bool without_cap) {
    if (!without_cap && kc::cap_usable(CAP_IPC_LOCK)) return;
    if (kc::environment().rlimits[2][0] >= kRingMemlock) return;
    if (without_cap)
        kc::skip(
            "needs an RLIMIT_MEMLOCK of 1 MiB for a ring without CAP_IPC_LOCK: Linux 6.x charges "
            "ring memory to it");
    kc::skip(
        "needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK of 1 MiB: Linux 6.x charges ring memory to it "
        "and frees it asynchronously after close");
}

void require_memlock(u64 bytes) {
    if (kc::cap_usable(CAP_IPC_LOCK) || kc::environment().rlimits[2][0] >= 2 * bytes) return;
    kc::skip(
        "needs CAP_IPC_LOCK or a larger RLIMIT_MEMLOCK: Linux 6.x charges a ring's memory to it");
}

long skip_if_memlock(long r) {
    if (r == -ENOMEM && !kc::cap_usable(CAP_IPC_LOCK))
        kc::skip(
            "io_uring_setup: ENOMEM: without CAP_IPC_LOCK the ring's memory counts against "
            "RLIMIT_MEMLOCK (Linux 6.x), which this user's locked memory has reached");
    return r;
}

namespace {

void unmap(long addr, long len) { sys::munmap(reinterpret_cast<void*>(addr), usize(len)); }

// Maps `len` bytes of the ring fd at `off`; ends the test when mmap fails.
u8* map(int fd, u64 off, usize len, int* handle) {
    long a = sys::mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, long(off));
    ASSERT_OK(a);
    *handle = kc::defer(unmap, a, long(len));
    return reinterpret_cast<u8*>(a);
}

}  // namespace

Ring::Ring(u32 entries, u32 flags, u32 cq_entries) {
    require_ring_memory();
    p.flags = flags;
    p.cq_entries = cq_entries;
    long r = skip_if_memlock(skip_if_unavailable(sys::io_uring_setup(entries, &p)));
    ASSERT_OK(r);
    fd.reset(r);
    sq_ring = map(fd, IORING_OFF_SQ_RING, p.sq_off.array + p.sq_entries * sizeof(u32), &unmap_[0]);
    cq_ring = map(fd, IORING_OFF_CQ_RING, p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe),
                  &unmap_[1]);
    sqes = reinterpret_cast<io_uring_sqe*>(
        map(fd, IORING_OFF_SQES, p.sq_entries * sizeof(io_uring_sqe), &unmap_[2]));
    tail = *sq_field(p.sq_off.tail);
}

Ring::~Ring() {
    for (int h : unmap_) kc::undefer(h, true);
}

io_uring_sqe* Ring::prep(u8 op, int sqe_fd, const void* addr, u32 len, u64 off, u64 user_data) {
    u32 index = tail & *sq_field(p.sq_off.ring_mask);
    io_uring_sqe* e = &sqes[index];
    *e = io_uring_sqe{};
    e->opcode = op;
    e->fd = sqe_fd;
    e->addr = u64(sys::L(addr));
    e->len = len;
    e->off = off;
    e->user_data = user_data;
    sq_field(p.sq_off.array)[index] = index;
    ++tail;
    return e;
}

long Ring::enter(u32 to_submit, u32 min_complete, u32 flags) {
    __atomic_store_n(sq_field(p.sq_off.tail), tail, __ATOMIC_RELEASE);
    return sys::io_uring_enter(fd, to_submit, min_complete, flags);
}

bool Ring::submit_and_wait(u32 n) { return EXPECT_RET(enter(n, n, IORING_ENTER_GETEVENTS), n); }

u32 Ring::ready() const {
    return __atomic_load_n(cq_field(p.cq_off.tail), __ATOMIC_ACQUIRE) - *cq_field(p.cq_off.head);
}

bool Ring::reap(io_uring_cqe* out) {
    u32* head = cq_field(p.cq_off.head);
    if (__atomic_load_n(cq_field(p.cq_off.tail), __ATOMIC_ACQUIRE) == *head) return false;
    auto* cqes = reinterpret_cast<io_uring_cqe*>(cq_ring + p.cq_off.cqes);
    *out = cqes[*head & *cq_field(p.cq_off.ring_mask)];
    __atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
    return true;
}

bool Ring::expect_cqe(u64 user_data, long res) {
    io_uring_cqe c{};
    if (!EXPECT_TRUE(reap(&c))) return false;
    bool ok = EXPECT_EQ(long(c.user_data), long(user_data));
    return EXPECT_EQ(long(c.res), res) && ok;
}

void Ring::expect_cqes_any_order(u64 data1, long res1, u64 data2, long res2) {
    io_uring_cqe c[2]{};
    if (!EXPECT_TRUE(reap(&c[0]) && reap(&c[1]))) return;
    if (c[0].user_data == data2 && c[1].user_data == data1) {
        io_uring_cqe t = c[0];
        c[0] = c[1], c[1] = t;
    }
    EXPECT_EQ(long(c[0].user_data), long(data1));
    EXPECT_EQ(long(c[0].res), res1);
    EXPECT_EQ(long(c[1].user_data), long(data2));
    EXPECT_EQ(long(c[1].res), res2);
}

}  // namespace io_uring_test
