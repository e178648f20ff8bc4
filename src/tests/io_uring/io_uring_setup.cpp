// SPDX-License-Identifier: MIT
// io_uring_setup(2) (Linux 5.1): the entries argument (0, rounding up to a
// power of two, IORING_MAX_ENTRIES and IORING_SETUP_CLAMP), the CQ size
// (twice the SQ size, or IORING_SETUP_CQSIZE's cq_entries), unknown flags
// and flag combinations the kernel refuses, non-zero reserved fields, a bad
// params pointer, the close-on-exec ring fd, the ring offsets and the
// mmap(2) of the SQ ring, CQ ring and SQE array at IORING_OFF_*.
// Left out: IORING_SETUP_SQPOLL and IOPOLL (a kernel thread; a device that
// polls), ATTACH_WQ, SQE128/CQE32, NO_MMAP and the flags of Linux 6.x that
// the VM targets' 6.1 lacks; mapping more than a region (6.1 refuses it,
// 6.18 maps what there is); the memory a ring costs and when it is freed
// after close (asynchronous in Linux).
#include "tests/common/common_util.hpp"
#include "tests/io_uring/io_uring_util.hpp"

using io_uring_test::Ring;
using io_uring_test::skip_if_unavailable;

namespace {

// io_uring_setup(entries, p) with p's flags and cq_entries; skips when
// io_uring is unavailable, else returns the result (and fills *p).
long setup(u32 entries, io_uring_params* p) {
    return skip_if_unavailable(sys::io_uring_setup(entries, p));
}

}  // namespace

// io_uring_setup(2): "EINVAL ... entries is out of bounds" - 0 entries.
TEST(io_uring_setup, zero_entries_einval, NEGATIVE, LINUX) {
    io_uring_params p{};
    EXPECT_ERR(setup(0, &p), EINVAL);
}

struct Entries {
    const char* label;
    u32 entries, sq, cq;
};
constexpr Entries kEntries[] = {
    {"entries=1", 1, 1, 2},
    {"entries=3", 3, 4, 8},
    {"entries=5", 5, 8, 16},
    {"entries=100", 100, 128, 256},
    {"entries=max", 32768, 32768, 65536},
};
// io_uring_setup(2): the SQ gets entries rounded up to a power of two, the
// CQ twice that ("By default, the CQ ring will have twice the number of
// entries as specified by entries for the SQ ring"); both are reported in
// sq_entries and cq_entries, and in the mapped rings' ring_entries and
// ring_mask.
TEST_P(io_uring_setup, entries_rounded_up, BOUNDARY, LINUX, kEntries, .flags = kc::EXCLUSIVE) {
    io_uring_test::require_memlock(row.sq * 68ull + row.cq * 16ull);
    Ring r(row.entries);
    EXPECT_EQ(r.p.sq_entries, row.sq);
    EXPECT_EQ(r.p.cq_entries, row.cq);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.ring_entries), row.sq);
    EXPECT_EQ(*r.sq_field(r.p.sq_off.ring_mask), row.sq - 1);
    EXPECT_EQ(*r.cq_field(r.p.cq_off.ring_entries), row.cq);
    EXPECT_EQ(*r.cq_field(r.p.cq_off.ring_mask), row.cq - 1);
}

struct CqSize {
    const char* label;
    u32 cq_entries, cq;
};
constexpr CqSize kCqSizes[] = {
    {"cq=sq", 4, 4},
    {"cq=10", 10, 16},
    {"cq=max", IORING_MAX_CQ_ENTRIES, IORING_MAX_CQ_ENTRIES},
};
// io_uring_setup(2): with IORING_SETUP_CQSIZE the CQ has cq_entries
// (rounded up to a power of two) instead of twice the SQ.
TEST_P(io_uring_setup, cqsize_sets_cq_entries, BOUNDARY, LINUX, kCqSizes, .flags = kc::EXCLUSIVE) {
    io_uring_test::require_memlock(row.cq * 16ull);
    Ring r(4, IORING_SETUP_CQSIZE, row.cq_entries);
    EXPECT_EQ(r.p.sq_entries, 4u);
    EXPECT_EQ(r.p.cq_entries, row.cq);
    EXPECT_EQ(*r.cq_field(r.p.cq_off.ring_entries), row.cq);
}

struct BadSize {
    const char* label;
    u32 entries, flags, cq_entries;
};
constexpr BadSize kBadSizes[] = {
    {"entries=max+1", IORING_MAX_ENTRIES + 1, 0, 0},
    {"entries=UINT_MAX", 0xffffffffu, 0, 0},
    {"cq=0", 4, IORING_SETUP_CQSIZE, 0},
    {"cq<sq", 8, IORING_SETUP_CQSIZE, 4},
    {"cq=max+1", 4, IORING_SETUP_CQSIZE, IORING_MAX_CQ_ENTRIES + 1},
};
// io_uring_setup(2): "EINVAL ... entries is out of bounds" (above
// IORING_MAX_ENTRIES without IORING_SETUP_CLAMP); with CQSIZE, a cq_entries
// of 0, below the SQ size, or above IORING_MAX_CQ_ENTRIES without CLAMP
// (io_uring/io_uring.c).
TEST_P(io_uring_setup, bad_sizes_einval, NEGATIVE, LINUX, kBadSizes) {
    io_uring_params p{};
    p.flags = row.flags;
    p.cq_entries = row.cq_entries;
    EXPECT_ERR(setup(row.entries, &p), EINVAL);
}

// io_uring_setup(2): "IORING_SETUP_CLAMP: ... if entries exceeds
// IORING_MAX_ENTRIES, then entries will be clamped at IORING_MAX_ENTRIES",
// and a cq_entries above IORING_MAX_CQ_ENTRIES at that.
TEST(io_uring_setup, clamp_limits_entries, BOUNDARY, LINUX, .flags = kc::EXCLUSIVE) {
    io_uring_test::require_memlock(IORING_MAX_ENTRIES * 68ull + IORING_MAX_CQ_ENTRIES * 16ull);
    io_uring_params p{};
    p.flags = IORING_SETUP_CLAMP | IORING_SETUP_CQSIZE;
    p.cq_entries = 0xffffffffu;
    long fd = io_uring_test::skip_if_memlock(setup(0xffffffffu, &p));
    ASSERT_OK(fd);
    EXPECT_EQ(p.sq_entries, IORING_MAX_ENTRIES);
    EXPECT_EQ(p.cq_entries, IORING_MAX_CQ_ENTRIES);
    sys::close(int(fd));
}

struct Flags {
    const char* label;
    u32 flags;
};
constexpr Flags kBadFlags[] = {
    {"bit31", 1u << 31},
    {"bit27", 1u << 27},
    {"SQ_AFF-without-SQPOLL", IORING_SETUP_SQ_AFF},
    {"TASKRUN_FLAG-alone", IORING_SETUP_TASKRUN_FLAG},
    {"DEFER_TASKRUN-without-SINGLE_ISSUER", IORING_SETUP_DEFER_TASKRUN},
};
// io_uring_setup(2): "EINVAL: ... flags contains an unknown bit" and the
// combinations it documents as invalid: SQ_AFF needs SQPOLL, TASKRUN_FLAG
// needs COOP_TASKRUN (or DEFER_TASKRUN), DEFER_TASKRUN needs SINGLE_ISSUER.
TEST_P(io_uring_setup, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    io_uring_params p{};
    p.flags = row.flags;
    EXPECT_ERR(setup(4, &p), EINVAL);
}

struct Resv {
    const char* label;
    int index;
};
constexpr Resv kResv[] = {{"resv[0]", 0}, {"resv[1]", 1}, {"resv[2]", 2}};
// io_uring_setup(2): "EINVAL: The resv array contains non-zero data".
TEST_P(io_uring_setup, nonzero_resv_einval, NEGATIVE, LINUX, kResv) {
    io_uring_params p{};
    p.resv[row.index] = 1;
    EXPECT_ERR(setup(4, &p), EINVAL);
}

struct Ptr {
    const char* label;
    u64 addr;
};
constexpr Ptr kBadPtrs[] = {{"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
// io_uring_setup(2): "EFAULT: params is outside your accessible address
// space".
TEST_P(io_uring_setup, bad_params_efault, NEGATIVE, LINUX, kBadPtrs) {
    io_uring_test::require_io_uring();
    EXPECT_ERR(sys::io_uring_setup(4, reinterpret_cast<io_uring_params*>(row.addr)), EFAULT);
}

// io_uring_setup(2) on Linux: the ring fd is opened O_RDWR | O_CLOEXEC
// (io_uring/io_uring.c installs it with O_CLOEXEC; the man page says only
// that a file descriptor is returned).
TEST(io_uring_setup, fd_is_cloexec, POSITIVE, LINUX) {
    Ring r(2);
    EXPECT_RET(sys::fcntl(r.fd, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(r.fd, F_GETFL) & O_ACCMODE, O_RDWR);
}

// io_uring_setup(2): the offsets in sq_off and cq_off lie inside their
// rings, name distinct fields, and the fresh rings are empty (head == tail
// == 0, nothing dropped or overflowed). The SQ array follows the SQ ring's
// fields; the CQEs are 16-byte aligned.
TEST(io_uring_setup, ring_offsets_consistent, POSITIVE, LINUX) {
    Ring r(4);
    const io_sqring_offsets& s = r.p.sq_off;
    const io_cqring_offsets& c = r.p.cq_off;
    const u32 sq_fields[] = {s.head, s.tail, s.ring_mask, s.ring_entries, s.flags, s.dropped};
    const u32 cq_fields[] = {c.head, c.tail, c.ring_mask, c.ring_entries, c.overflow};
    for (u32 i = 0; i < 6; ++i) {
        EXPECT_EQ(sq_fields[i] % 4, 0u);
        EXPECT_LT(sq_fields[i], s.array);
        for (u32 j = 0; j < i; ++j) EXPECT_NE(sq_fields[i], sq_fields[j]);
    }
    for (u32 i = 0; i < 5; ++i) {
        EXPECT_EQ(cq_fields[i] % 4, 0u);
        EXPECT_LT(cq_fields[i], c.cqes);
        for (u32 j = 0; j < i; ++j) EXPECT_NE(cq_fields[i], cq_fields[j]);
    }
    EXPECT_EQ(c.cqes % 16, 0u);
    EXPECT_EQ(*r.sq_field(s.head), 0u);
    EXPECT_EQ(*r.sq_field(s.tail), 0u);
    EXPECT_EQ(*r.sq_field(s.dropped), 0u);
    EXPECT_EQ(*r.cq_field(c.head), 0u);
    EXPECT_EQ(*r.cq_field(c.tail), 0u);
    EXPECT_EQ(*r.cq_field(c.overflow), 0u);
}

// io_uring_setup(2): the SQE array is mapped at IORING_OFF_SQES, the rings
// at IORING_OFF_SQ_RING and IORING_OFF_CQ_RING; a completion posted by the
// kernel shows in the CQ ring mapping, and the SQ head it advanced in the SQ
// ring mapping. (With IORING_FEAT_SINGLE_MMAP both rings share one region;
// the man page lets an application map them separately still.)
TEST(io_uring_setup, mmap_regions_shared_with_kernel, POSITIVE, LINUX) {
    Ring r(2);
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 0x5eed);
    EXPECT_EQ(r.sqes[0].user_data, 0x5eedu);
    ASSERT_TRUE(r.submit_and_wait(1));
    EXPECT_EQ(*r.sq_field(r.p.sq_off.head), 1u);
    EXPECT_EQ(*r.cq_field(r.p.cq_off.tail), 1u);
    r.expect_cqe(0x5eed, 0);
}

struct Off {
    const char* label;
    u64 off;
};
constexpr Off kBadOffsets[] = {{"0x18000000", 0x18000000}, {"0x78000000", 0x78000000}};
// io_uring_setup(2): mmap(2) of the ring fd at an offset that names none
// of its regions fails. Both errnos conform, by version: Linux up to 6.3
// refuses it in the file's mmap handler (EINVAL); from 6.4 the io_uring
// get_unmapped_area handler refuses it first and returns ENOMEM
// (io_uring/memmap.c).
TEST_P(io_uring_setup, mmap_unknown_offset_fails, NEGATIVE, LINUX, kBadOffsets) {
    Ring r(2);
    EXPECT_ERR_ANY(
        sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, long(row.off)), EINVAL,
        ENOMEM);
}

// io_uring_setup(2): the rings stay usable through their mappings, and the
// ring fd through a duplicate, after the original fd is closed (a mapping
// and a descriptor each hold the ring).
TEST(io_uring_setup, ring_survives_close_of_first_fd, POSITIVE, LINUX) {
    Ring r(2);
    kc::Fd dup(sys::dup(r.fd));
    ASSERT_OK(dup.get());
    r.fd.reset();
    r.prep(IORING_OP_NOP, -1, nullptr, 0, 0, 7);
    __atomic_store_n(r.sq_field(r.p.sq_off.tail), r.tail, __ATOMIC_RELEASE);
    EXPECT_RET(sys::io_uring_enter(dup, 1, 1, IORING_ENTER_GETEVENTS), 1);
    r.expect_cqe(7, 0);
}
