// SPDX-License-Identifier: MIT
// io_uring_register(2) (Linux 5.1): fixed buffers (REGISTER_BUFFERS, used
// by READ_FIXED/WRITE_FIXED, UNREGISTER_BUFFERS, the RLIMIT_MEMLOCK charge),
// fixed files (REGISTER_FILES, IOSQE_FIXED_FILE, FILES_UPDATE, sparse
// slots), REGISTER_EVENTFD, REGISTER_PROBE (the opcodes the other io_uring
// tests use are supported), ENABLE_RINGS for an IORING_SETUP_R_DISABLED
// ring; EBUSY, ENXIO, EINVAL, EBADF and EOPNOTSUPP.
// Left out: personalities, restrictions, io-wq affinity and worker limits,
// registered ring fds, provided buffer rings, the tagged (2) forms and the
// opcodes of Linux 6.x beyond ENABLE_RINGS.
#include "rt/sys_cred.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_resource.hpp"
#include "tests/io_uring/io_uring_util.hpp"

using io_uring_test::Ring;

namespace {

constexpr usize kPage = 4096;

// One page to register as a fixed buffer. Registered pages count against
// RLIMIT_MEMLOCK unless the ring was set up with CAP_IPC_LOCK; the per-user
// count is shared by this user's rings (and parallel tests), so a low limit
// skips (as for the ring's own memory: require_ring_memory()).
u8* buffer_page() {
    io_uring_test::require_ring_memory();
    long a = sys::mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(a);
    kc::defer([](long addr, long) { sys::munmap(reinterpret_cast<void*>(addr), kPage); }, a);
    return reinterpret_cast<u8*>(a);
}

long reg(const Ring& r, u32 op, const void* arg, u32 n) {
    return sys::io_uring_register(r.fd, op, arg, n);
}

}  // namespace

// io_uring_register(2): IORING_REGISTER_BUFFERS maps the iovecs for
// IORING_OP_WRITE_FIXED and IORING_OP_READ_FIXED (addr inside the buffer
// named by buf_index): the bytes written from it come out of a pipe, the
// bytes read land in it.
TEST(io_uring_register, buffers_fixed_io, POSITIVE, LINUX) {
    u8* page = buffer_page();
    Ring r(2);
    iovec iov{page, kPage};
    ASSERT_RET(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), 0);
    kc::Pipe p;
    ASSERT_OK(p.r);
    __builtin_memcpy(page, "fixed", 5);
    r.prep(IORING_OP_WRITE_FIXED, p.wr, page, 5, 0, 1);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 5);
    char out[8] = {};
    EXPECT_RET(sys::read(p.rd, out, sizeof out), 5);
    EXPECT_MEM_EQ(out, "fixed", 5);
    EXPECT_RET(sys::write(p.wr, "back", 4), 4);
    r.prep(IORING_OP_READ_FIXED, p.rd, page + 100, 4, 0, 2);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(2, 4);
    EXPECT_MEM_EQ(page + 100, "back", 4);
}

// io_uring_register(2): a fixed-buffer op whose range is not inside a
// registered buffer fails in its CQE with -EFAULT: outside the buffer, a
// buf_index not registered, and after IORING_UNREGISTER_BUFFERS (which
// succeeds, and lets the buffer be registered again).
TEST(io_uring_register, fixed_buffer_outside_efault, NEGATIVE, LINUX) {
    u8* page = buffer_page();
    Ring r(4);
    iovec iov{page, kPage / 2};
    ASSERT_RET(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), 0);
    kc::Pipe p;
    ASSERT_OK(p.r);
    r.prep(IORING_OP_WRITE_FIXED, p.wr, page + kPage / 2 - 2, 4, 0, 1);
    r.prep(IORING_OP_WRITE_FIXED, p.wr, page, 4, 0, 2)->buf_index = 1;
    ASSERT_TRUE(r.submit_and_wait(2));
    r.expect_cqe(1, -EFAULT);
    r.expect_cqe(2, -EFAULT);
    EXPECT_RET(reg(r, IORING_UNREGISTER_BUFFERS, nullptr, 0), 0);
    r.prep(IORING_OP_WRITE_FIXED, p.wr, page, 4, 0, 3);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(3, -EFAULT);
    EXPECT_RET(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), 0);
}

// io_uring_register(2): "EBUSY: IORING_REGISTER_BUFFERS or
// IORING_REGISTER_FILES was specified, but there were already buffers or
// files registered".
TEST(io_uring_register, register_twice_ebusy, NEGATIVE, LINUX) {
    u8* page = buffer_page();
    Ring r(2);
    iovec iov{page, kPage};
    ASSERT_RET(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), 0);
    EXPECT_ERR(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), EBUSY);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fds[1] = {p.rd};
    ASSERT_RET(reg(r, IORING_REGISTER_FILES, fds, 1), 0);
    EXPECT_ERR(reg(r, IORING_REGISTER_FILES, fds, 1), EBUSY);
}

struct Op {
    const char* label;
    u32 op;
};
constexpr Op kUnregisters[] = {{"UNREGISTER_BUFFERS", IORING_UNREGISTER_BUFFERS},
                               {"UNREGISTER_FILES", IORING_UNREGISTER_FILES},
                               {"UNREGISTER_EVENTFD", IORING_UNREGISTER_EVENTFD}};
// io_uring_register(2): "ENXIO: IORING_UNREGISTER_BUFFERS or
// IORING_UNREGISTER_FILES was specified, but there were no buffers or files
// registered" (and UNREGISTER_EVENTFD without an eventfd, io_uring/eventfd.c).
TEST_P(io_uring_register, unregister_none_enxio, NEGATIVE, LINUX, kUnregisters) {
    Ring r(2);
    EXPECT_ERR(reg(r, row.op, nullptr, 0), ENXIO);
}

// io_uring_register(2): "EINVAL: IORING_UNREGISTER_BUFFERS or
// IORING_UNREGISTER_FILES was specified, and nr_args is non-zero or arg is
// non-NULL"; the registration stays.
TEST(io_uring_register, unregister_with_args_einval, NEGATIVE, LINUX) {
    u8* page = buffer_page();
    Ring r(2);
    iovec iov{page, kPage};
    ASSERT_RET(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), 0);
    EXPECT_ERR(reg(r, IORING_UNREGISTER_BUFFERS, nullptr, 1), EINVAL);
    EXPECT_ERR(reg(r, IORING_UNREGISTER_BUFFERS, &iov, 0), EINVAL);
    EXPECT_ERR(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), EBUSY);
}

constexpr Op kZeroCount[] = {{"REGISTER_BUFFERS", IORING_REGISTER_BUFFERS},
                             {"REGISTER_FILES", IORING_REGISTER_FILES}};
// io_uring_register(2): "EINVAL: IORING_REGISTER_BUFFERS or
// IORING_REGISTER_FILES was specified, but nr_args is 0".
TEST_P(io_uring_register, zero_count_einval, NEGATIVE, LINUX, kZeroCount) {
    Ring r(2);
    iovec iov{nullptr, 0};
    EXPECT_ERR(reg(r, row.op, &iov, 0), EINVAL);
}

namespace {
void memlock_child(void*) {
    if (!EXPECT_TRUE(kc::drop_capabilities())) return;
    Ring r(2);
    u8* page = buffer_page();
    rlimit64 lim{};
    ASSERT_OK(sys::prlimit64(0, RLIMIT_MEMLOCK, nullptr, &lim));
    lim.rlim_cur = 0;
    ASSERT_OK(sys::prlimit64(0, RLIMIT_MEMLOCK, &lim, nullptr));
    iovec iov{page, kPage};
    EXPECT_ERR(reg(r, IORING_REGISTER_BUFFERS, &iov, 1), ENOMEM);
}
}  // namespace

// io_uring_register(2): "ENOMEM: Insufficient kernel resources are
// available, or the caller had a non-zero RLIMIT_MEMLOCK soft resource
// limit, but tried to lock more memory than the limit permitted": without
// CAP_IPC_LOCK, registering a page under a soft limit of 0 fails.
TEST(io_uring_register, buffers_memlock_enomem, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    io_uring_test::require_ring_memory(true);  // the child's ring, without CAP_IPC_LOCK
    io_uring_test::require_io_uring();
    EXPECT_CHILD_OK(kc::spawn(memlock_child, nullptr));
}

// io_uring_register(2): IORING_REGISTER_FILES registers descriptors that an
// SQE with IOSQE_FIXED_FILE names by index; the registration holds the
// file, so the op works after the descriptor is closed. An index past the
// table completes with -EBADF.
TEST(io_uring_register, files_fixed_file_op, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fds[1] = {p.wr};
    ASSERT_RET(reg(r, IORING_REGISTER_FILES, fds, 1), 0);
    p.wr.reset();
    r.prep(IORING_OP_WRITE, 0, "fix", 3, 0, 1)->flags = IOSQE_FIXED_FILE;
    r.prep(IORING_OP_WRITE, 1, "fix", 3, 0, 2)->flags = IOSQE_FIXED_FILE;
    ASSERT_TRUE(r.submit_and_wait(2));
    r.expect_cqes_any_order(1, 3, 2, -EBADF);  // Linux 6.1 posts the failed one first
    char buf[4] = {};
    EXPECT_RET(sys::read(p.rd, buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "fix", 3);
    EXPECT_RET(reg(r, IORING_UNREGISTER_FILES, nullptr, 0), 0);
}

// io_uring_register(2): a -1 in IORING_REGISTER_FILES's array is an empty
// slot (an op on it completes with -EBADF); IORING_REGISTER_FILES_UPDATE
// fills it and returns the number of slots updated.
TEST(io_uring_register, files_update_fills_sparse_slot, POSITIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fds[2] = {-1, -1};
    ASSERT_RET(reg(r, IORING_REGISTER_FILES, fds, 2), 0);
    r.prep(IORING_OP_WRITE, 1, "up", 2, 0, 1)->flags = IOSQE_FIXED_FILE;
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, -EBADF);
    int wr = p.wr;
    io_uring_files_update up{1, 0, u64(sys::L(&wr))};
    EXPECT_RET(reg(r, IORING_REGISTER_FILES_UPDATE, &up, 1), 1);
    r.prep(IORING_OP_WRITE, 1, "up", 2, 0, 2)->flags = IOSQE_FIXED_FILE;
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(2, 2);
    char buf[2] = {};
    EXPECT_RET(sys::read(p.rd, buf, 2), 2);
    EXPECT_MEM_EQ(buf, "up", 2);
}

// io_uring_register(2): "EBADF: IORING_REGISTER_FILES ... one or more fds
// in the array are invalid" - a closed descriptor, or the ring itself
// (an io_uring cannot register itself, io_uring/rsrc.c).
TEST(io_uring_register, files_bad_fd_ebadf, NEGATIVE, LINUX) {
    Ring r(2);
    kc::Pipe p;
    ASSERT_OK(p.r);
    int fds[2] = {p.rd, p.wr.get()};
    p.wr.reset();
    EXPECT_ERR(reg(r, IORING_REGISTER_FILES, fds, 2), EBADF);
    fds[1] = r.fd;
    EXPECT_ERR(reg(r, IORING_REGISTER_FILES, fds, 2), EBADF);
    EXPECT_ERR(reg(r, IORING_UNREGISTER_FILES, nullptr, 0), ENXIO);
}

// io_uring_register(2): IORING_REGISTER_EVENTFD makes the ring signal the
// eventfd when a CQE is posted (the count is at least 1; Linux may batch).
TEST(io_uring_register, eventfd_signalled_on_completion, POSITIVE, LINUX) {
    Ring r(2);
    kc::Fd efd(sys::eventfd2(0, EFD_CLOEXEC | EFD_NONBLOCK));
    ASSERT_OK(efd.get());
    int e = efd;
    ASSERT_RET(reg(r, IORING_REGISTER_EVENTFD, &e, 1), 0);
    u64 v = 0;
    EXPECT_ERR(sys::read(efd, &v, 8), EAGAIN);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 0);
    EXPECT_RET(sys::read(efd, &v, 8), 8);
    EXPECT_GE(v, 1u);
    EXPECT_RET(reg(r, IORING_UNREGISTER_EVENTFD, nullptr, 0), 0);
}

namespace {
struct Probe {
    io_uring_probe head;
    io_uring_probe_op ops[256];
};
}  // namespace

// io_uring_register(2): IORING_REGISTER_PROBE fills a zeroed io_uring_probe
// with last_op, ops_len (the entries filled) and, for each opcode, op and
// IO_URING_OP_SUPPORTED; the opcodes these tests use are supported.
TEST(io_uring_register, probe_lists_used_opcodes, POSITIVE, LINUX) {
    Ring r(2);
    static Probe pr;
    __builtin_memset(&pr, 0, sizeof pr);
    ASSERT_RET(reg(r, IORING_REGISTER_PROBE, &pr, 256), 0);
    EXPECT_GE(pr.head.last_op, IORING_OP_WRITE);
    EXPECT_EQ(pr.head.ops_len, pr.head.last_op + 1);
    for (int i = 0; i <= pr.head.last_op; ++i) EXPECT_EQ(pr.ops[i].op, i);
    const u8 used[] = {IORING_OP_NOP,        IORING_OP_READV,       IORING_OP_WRITEV,
                       IORING_OP_READ_FIXED, IORING_OP_WRITE_FIXED, IORING_OP_POLL_ADD,
                       IORING_OP_TIMEOUT,    IORING_OP_OPENAT,      IORING_OP_CLOSE,
                       IORING_OP_READ,       IORING_OP_WRITE};
    for (u8 op : used) EXPECT_EQ(pr.ops[op].flags & IO_URING_OP_SUPPORTED, IO_URING_OP_SUPPORTED);
}

// io_uring_register(2): IORING_REGISTER_PROBE with nr_args smaller than the
// opcode count fills that many entries (ops_len) and nothing beyond.
TEST(io_uring_register, probe_short_array, BOUNDARY, LINUX) {
    Ring r(2);
    Probe pr{};
    pr.ops[2].op = 0xaa;
    ASSERT_RET(reg(r, IORING_REGISTER_PROBE, &pr, 2), 0);
    EXPECT_EQ(pr.head.ops_len, 2);
    EXPECT_GE(pr.head.last_op, IORING_OP_WRITE);
    EXPECT_EQ(pr.ops[1].op, 1);
    EXPECT_EQ(pr.ops[1].flags, IO_URING_OP_SUPPORTED);
    EXPECT_EQ(pr.ops[2].op, 0xaa);
}

// io_uring_register(2): IORING_REGISTER_PROBE requires a zeroed buffer
// (io_uring/register.c): any non-zero byte is EINVAL.
TEST(io_uring_register, probe_dirty_buffer_einval, NEGATIVE, LINUX) {
    Ring r(2);
    Probe pr{};
    pr.head.resv2[1] = 1;
    EXPECT_ERR(reg(r, IORING_REGISTER_PROBE, &pr, 4), EINVAL);
}

// io_uring_register(2): IORING_REGISTER_ENABLE_RINGS enables a ring set up
// with IORING_SETUP_R_DISABLED, on which io_uring_enter failed with EBADFD;
// enabling a ring that is not disabled is EBADFD as well.
TEST(io_uring_register, enable_rings, POSITIVE, LINUX) {
    Ring r(2, IORING_SETUP_R_DISABLED);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 1);
    EXPECT_ERR(r.enter(1, 1, IORING_ENTER_GETEVENTS), EBADFD);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 0u);
    EXPECT_RET(reg(r, IORING_REGISTER_ENABLE_RINGS, nullptr, 0), 0);
    ASSERT_TRUE(r.submit_and_wait(1));
    r.expect_cqe(1, 0);
    EXPECT_ERR(reg(r, IORING_REGISTER_ENABLE_RINGS, nullptr, 0), EBADFD);
}

constexpr Op kBadOps[] = {{"op=255", 255}, {"op=1000", 1000}, {"op=INT_MAX", 0x7fffffff}};
// io_uring_register(2): "EINVAL: opcode is not a valid opcode".
TEST_P(io_uring_register, bad_opcode_einval, NEGATIVE, LINUX, kBadOps) {
    Ring r(2);
    EXPECT_ERR(reg(r, row.op, nullptr, 0), EINVAL);
}

// io_uring_register(2): "EOPNOTSUPP: fd does not refer to an io_uring
// instance"; "EBADF: fd is not a valid file descriptor".
TEST(io_uring_register, non_ring_fd_eopnotsupp, NEGATIVE, LINUX) {
    io_uring_test::require_io_uring();
    kc::Pipe p;
    ASSERT_OK(p.r);
    static Probe pr;
    __builtin_memset(&pr, 0, sizeof pr);
    EXPECT_ERR(sys::io_uring_register(p.rd, IORING_REGISTER_PROBE, &pr, 4), EOPNOTSUPP);
    EXPECT_ERR(sys::io_uring_register(p.wr, IORING_UNREGISTER_FILES, nullptr, 0), EOPNOTSUPP);
    int closed = p.rd.get();
    p.rd.reset();
    EXPECT_ERR(sys::io_uring_register(closed, IORING_REGISTER_PROBE, &pr, 4), EBADF);
}
