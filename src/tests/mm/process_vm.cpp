// SPDX-License-Identifier: MIT
// process_vm_readv(2), process_vm_writev(2): copying between address spaces.
// Data round trips within the caller and with a fork child (which has the
// same addresses), scatter/gather layouts, the partial-transfer rule (a copy
// stops at the first remote fault), and the errors: flags EINVAL, more than
// IOV_MAX iovecs EINVAL, lengths that overflow ssize_t EINVAL, bad iovec
// arrays or local buffers EFAULT, missing processes ESRCH, other users'
// processes EPERM (as root, from a child that gave up root).
// Not covered: Yama ptrace_scope restrictions, huge transfers.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "tests/common/common_util.hpp"

namespace {

constexpr usize kPage = 4096;

// A buffer whose address is the same in a fork child: the child's copy is
// what the parent reads and writes remotely.
u8 g_shared[64];

void pattern(u8* p, usize n, u8 seed) {
    for (usize i = 0; i < n; ++i) p[i] = u8(seed + i * 7);
}
bool has_pattern(const u8* p, usize n, u8 seed) {
    for (usize i = 0; i < n; ++i) {
        if (p[i] != u8(seed + i * 7)) return false;
    }
    return true;
}

// One read-write page followed by an unmapped page; nullptr on failure.
u8* page_before_hole() {
    long p =
        sys::mmap(nullptr, 2 * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p < 0 && p > -4096) return nullptr;
    u8* b = reinterpret_cast<u8*>(p);
    sys::munmap(b + kPage, kPage);
    return b;
}

// A child that signals readiness on `ready` (after filling g_shared with
// pattern seed 'C') and then waits for `go` before checking g_shared against
// `want_seed` (0: no check). Pipes: ready[2], go[2].
struct Peer {
    int ready[2], go[2];
    u8 want_seed;
    long pid;
};

bool start_peer(Peer& p, u8 want_seed) {
    p.want_seed = want_seed;
    if (sys::pipe2(p.ready, O_CLOEXEC) != 0) return false;
    if (sys::pipe2(p.go, O_CLOEXEC) != 0) return false;
    p.pid = kc::spawn(
        [](void* arg) {
            Peer& q = *static_cast<Peer*>(arg);
            sys::close(q.ready[0]);
            sys::close(q.go[1]);
            pattern(g_shared, sizeof g_shared, 'C');
            sys::write(q.ready[1], "r", 1);
            char c;
            sys::read(q.go[0], &c, 1);
            if (q.want_seed) EXPECT_TRUE(has_pattern(g_shared, sizeof g_shared, q.want_seed));
        },
        &p);
    sys::close(p.ready[1]);
    sys::close(p.go[0]);
    char c = 0;
    return p.pid > 0 && sys::read(p.ready[0], &c, 1) == 1;
}

void finish_peer(Peer& p) {
    sys::close(p.go[1]);  // EOF releases the child
    sys::close(p.ready[0]);
    EXPECT_CHILD_OK(p.pid);
}

struct Layout {
    const char* label;
    u8 nlocal, nremote;  // the 48 bytes are split evenly into this many iovecs
};
constexpr Layout kLayouts[] = {
    {"1:1", 1, 1}, {"3:1", 3, 1}, {"1:3", 1, 3}, {"2:3", 2, 3}, {"48:1", 48, 1}, {"1:48", 1, 48},
};

// Splits [base, base + 48) into n equal iovecs.
void split(iovec* v, u8* base, int n) {
    for (int i = 0; i < n; ++i) v[i] = {base + i * (48 / n), usize(48 / n)};
}

}  // namespace

// ---------------------------------------------------------------------------
// process_vm_readv(2)

// process_vm_readv(2): "transfers data from the remote process to the local
// process", filling the local iovecs in order from the remote ones in order;
// returns the number of bytes read. Here the remote process is the caller.
TEST_P(process_vm_readv, self_scatter_gather, POSITIVE, LINUX, kLayouts) {
    u8 src[48], dst[48];
    pattern(src, 48, 'S');
    common::fill_bytes(dst, 0, 48);
    iovec l[48], r[48];
    split(l, dst, row.nlocal);
    split(r, src, row.nremote);
    EXPECT_RET(sys::process_vm_readv(int(sys::getpid()), l, row.nlocal, r, row.nremote, 0), 48);
    EXPECT_MEM_EQ(dst, src, 48);
}

// process_vm_readv(2) from a fork child: the parent gets the child's bytes at
// the same address, while its own copy stays as it was.
TEST(process_vm_readv, reads_child_memory, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    pattern(g_shared, sizeof g_shared, 'P');
    Peer peer;
    ASSERT_TRUE(start_peer(peer, 0));
    u8 got[64] = {};
    iovec l{got, sizeof got}, r{g_shared, sizeof g_shared};
    EXPECT_RET(sys::process_vm_readv(int(peer.pid), &l, 1, &r, 1, 0), 64);
    EXPECT_TRUE(has_pattern(got, sizeof got, 'C'));
    EXPECT_TRUE(has_pattern(g_shared, sizeof g_shared, 'P'));
    finish_peer(peer);
}

struct Flags {
    const char* label;
    unsigned long flags;
};
constexpr Flags kBadFlags[] = {
    {"flags=1", 1}, {"flags=0x80000000", 0x80000000ul}, {"flags=~0", ~0ul}};
// process_vm_readv(2) EINVAL: "flags is not 0".
TEST_P(process_vm_readv, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &l, 1, &r, 1, row.flags), EINVAL);
}

struct Pid {
    const char* label;
    int pid;
};
constexpr Pid kNoPids[] = {
    {"pid=0", 0}, {"pid=-1", -1}, {"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT+1", 4194305}};
// process_vm_readv(2) ESRCH: "No process with ID pid exists" (0 and negative
// values do not name the caller here).
TEST_P(process_vm_readv, no_such_pid_esrch, NEGATIVE, LINUX, kNoPids) {
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    EXPECT_ERR(sys::process_vm_readv(row.pid, &l, 1, &r, 1, 0), ESRCH);
}

// process_vm_readv(2) ESRCH for a child that exited and was reaped.
TEST(process_vm_readv, reaped_child_esrch, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn([](void*) {}, nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_CHILD_OK(pid);
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    EXPECT_ERR(sys::process_vm_readv(int(pid), &l, 1, &r, 1, 0), ESRCH);
}

struct Counts {
    const char* label;
    unsigned long nl, nr;
    int pid;  // 0: the caller
};
constexpr Counts kZero[] = {
    {"local=0", 0, 1, 0},
    {"remote=0", 1, 0, 0},
    {"both=0", 0, 0, 0},
    {"both=0,pid=INT_MAX", 0, 0, INT_MAX},
};
// process_vm_readv(2): with no local or no remote iovec nothing is copied and
// the call returns 0 - Linux returns before it even looks the pid up.
TEST_P(process_vm_readv, zero_iovecs_return_zero, BOUNDARY, LINUX, kZero) {
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    int pid = row.pid ? row.pid : int(sys::getpid());
    EXPECT_RET(sys::process_vm_readv(pid, &l, row.nl, &r, row.nr, 0), 0);
}

// process_vm_readv(2): iovecs of length 0 (whatever their base) transfer
// nothing and return 0.
TEST(process_vm_readv, zero_length_iovecs, BOUNDARY, LINUX) {
    u8 a[8] = {};
    iovec l{a, 8}, z{common::kBadPtr, 0};
    EXPECT_RET(sys::process_vm_readv(int(sys::getpid()), &l, 1, &z, 1, 0), 0);
    EXPECT_RET(sys::process_vm_readv(int(sys::getpid()), &z, 1, &l, 1, 0), 0);
}

constexpr Counts kTooMany[] = {
    {"local=IOV_MAX+1", 1025, 1, 0},
    {"remote=IOV_MAX+1", 1, 1025, 0},
    {"remote=-1", 1, ~0ul, 0},
};
// process_vm_readv(2) EINVAL: "liovcnt or riovcnt is too large" (more than
// IOV_MAX = 1024).
TEST_P(process_vm_readv, too_many_iovecs_einval, NEGATIVE, LINUX, kTooMany) {
    u8 a[8] = {};
    iovec v{a, 8};
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &v, row.nl, &v, row.nr, 0), EINVAL);
}

// process_vm_readv(2) EINVAL: "The sum of the iov_len values of either
// local_iov or remote_iov overflows a ssize_t value". Linux checks each
// element (an iov_len above SSIZE_MAX is EINVAL) and caps the total at
// MAX_RW_COUNT instead of adding up, so only such an element is tested.
TEST(process_vm_readv, length_overflow_einval, NEGATIVE, LINUX) {
    u8 a[8] = {};
    iovec ok{a, 8}, huge{a, ~usize(0)}, over{a, usize(LONG_MAX) + 1};
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &huge, 1, &ok, 1, 0), EINVAL);
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &ok, 1, &huge, 1, 0), EINVAL);
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &over, 1, &ok, 1, 0), EINVAL);
}

struct Side {
    const char* label;
    bool remote;  // which side is bad
};
constexpr Side kSides[] = {{"local", false}, {"remote", true}};
// process_vm_readv(2) EFAULT: "The memory described by local_iov is outside
// the caller's accessible address space" - here the iovec arrays themselves
// are unreadable.
TEST_P(process_vm_readv, bad_iovec_array_efault, NEGATIVE, LINUX, kSides) {
    u8 a[8] = {};
    iovec v{a, 8};
    const iovec* bad = static_cast<const iovec*>(common::kBadPtr);
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), row.remote ? &v : bad, 1,
                                     row.remote ? bad : &v, 1, 0),
               EFAULT);
}

// process_vm_readv(2) EFAULT: an unmapped buffer on either side, before
// anything was transferred.
TEST_P(process_vm_readv, unmapped_buffer_efault, NEGATIVE, LINUX, kSides) {
    u8 a[16] = {};
    iovec good{a, 16}, bad{common::kBadPtr, 16};
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), row.remote ? &good : &bad, 1,
                                     row.remote ? &bad : &good, 1, 0),
               EFAULT);
}

struct Partial {
    const char* label;
    usize first_len;  // 0: the crossing iovec comes first
    usize room;       // bytes of the crossing iovec before the hole
    long want;
};
constexpr Partial kPartials[] = {
    {"one_iovec,8_before_hole", 0, 8, 8},
    {"second_iovec,6_before_hole", 8, 6, 14},
    {"first_iovec,6_before_hole", 0, 6, 6},
};
// process_vm_readv(2): a remote iovec that runs into an unmapped page gives a
// partial transfer, and "No further reads/writes will be attempted beyond
// that point". Linux disagrees with the man page's "won't perform a partial
// transfer that splits a single iovec element": it copies the bytes before
// the hole (page granularity) and returns that count.
TEST_P(process_vm_readv, partial_at_remote_hole, BOUNDARY, LINUX, kPartials) {
    u8* page = page_before_hole();
    ASSERT_TRUE(page != nullptr);
    u8 src[8], dst[64] = {};
    pattern(src, 8, 'S');
    iovec l{dst, sizeof dst};
    iovec r[2];
    iovec crossing{page + kPage - row.room, 16};
    if (row.first_len) {
        r[0] = {src, row.first_len};
        r[1] = crossing;
    } else {
        r[0] = crossing;
        r[1] = {src, 8};
    }
    EXPECT_RET(sys::process_vm_readv(int(sys::getpid()), &l, 1, r, 2, 0), row.want);
    sys::munmap(page, kPage);
}

// process_vm_readv(2) EPERM: "The caller does not have permission to access
// the address space of the process pid" (ptrace access mode check): a child
// that became another user (and so lost its capabilities) cannot read its
// parent.
TEST(process_vm_readv, other_user_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::become_other_user());
            u8 a[8] = {};
            iovec l{a, 8}, r{g_shared, 8};
            EXPECT_ERR(sys::process_vm_readv(int(sys::getppid()), &l, 1, &r, 1, 0), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// ---------------------------------------------------------------------------
// process_vm_writev(2)

// process_vm_writev(2): "transfers data from the local process to the remote
// process" - the caller itself here, with scatter/gather layouts.
TEST_P(process_vm_writev, self_scatter_gather, POSITIVE, LINUX, kLayouts) {
    u8 src[48], dst[48];
    pattern(src, 48, 'W');
    common::fill_bytes(dst, 0, 48);
    iovec l[48], r[48];
    split(l, src, row.nlocal);
    split(r, dst, row.nremote);
    EXPECT_RET(sys::process_vm_writev(int(sys::getpid()), l, row.nlocal, r, row.nremote, 0), 48);
    EXPECT_MEM_EQ(dst, src, 48);
}

// process_vm_writev(2) into a fork child: the child sees the parent's bytes
// at its copy of the address; the parent's own copy is untouched.
TEST(process_vm_writev, writes_child_memory, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    pattern(g_shared, sizeof g_shared, 'P');
    Peer peer;
    ASSERT_TRUE(start_peer(peer, 'W'));
    u8 src[64];
    pattern(src, sizeof src, 'W');
    iovec l{src, sizeof src}, r{g_shared, sizeof g_shared};
    EXPECT_RET(sys::process_vm_writev(int(peer.pid), &l, 1, &r, 1, 0), 64);
    EXPECT_TRUE(has_pattern(g_shared, sizeof g_shared, 'P'));
    finish_peer(peer);
}

// process_vm_writev(2) EINVAL: flags must be 0.
TEST_P(process_vm_writev, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    EXPECT_ERR(sys::process_vm_writev(int(sys::getpid()), &l, 1, &r, 1, row.flags), EINVAL);
}

// process_vm_writev(2) ESRCH: no such process.
TEST_P(process_vm_writev, no_such_pid_esrch, NEGATIVE, LINUX, kNoPids) {
    u8 a[8] = {}, b[8] = {};
    iovec l{a, 8}, r{b, 8};
    EXPECT_ERR(sys::process_vm_writev(row.pid, &l, 1, &r, 1, 0), ESRCH);
}

// process_vm_writev(2) EFAULT: the remote range is read-only - the kernel
// writes like the process would, without forcing.
TEST(process_vm_writev, read_only_remote_efault, NEGATIVE, LINUX) {
    long p = sys::mmap(nullptr, kPage, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_TRUE(p > 0 || p < -4095);
    u8 src[16] = {1};
    iovec l{src, 16}, r{reinterpret_cast<void*>(p), 16};
    EXPECT_ERR(sys::process_vm_writev(int(sys::getpid()), &l, 1, &r, 1, 0), EFAULT);
    EXPECT_EQ(*reinterpret_cast<const u8*>(p), 0);
    sys::munmap(reinterpret_cast<void*>(p), kPage);
}

// process_vm_writev(2): like readv, a remote iovec that runs into an unmapped
// page transfers the bytes before the hole and stops.
TEST(process_vm_writev, partial_at_remote_hole, BOUNDARY, LINUX) {
    u8* page = page_before_hole();
    ASSERT_TRUE(page != nullptr);
    u8 src[16];
    pattern(src, 16, 'H');
    iovec l{src, 16}, r{page + kPage - 8, 16};
    EXPECT_RET(sys::process_vm_writev(int(sys::getpid()), &l, 1, &r, 1, 0), 8);
    EXPECT_MEM_EQ(page + kPage - 8, src, 8);
    sys::munmap(page, kPage);
}

// process_vm_writev(2) EPERM: a child that became another user cannot write
// into its parent, and the parent's memory is unchanged.
TEST(process_vm_writev, other_user_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    pattern(g_shared, sizeof g_shared, 'P');
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::become_other_user());
            u8 a[8] = {};
            iovec l{a, 8}, r{g_shared, 8};
            EXPECT_ERR(sys::process_vm_writev(int(sys::getppid()), &l, 1, &r, 1, 0), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
    EXPECT_TRUE(has_pattern(g_shared, sizeof g_shared, 'P'));
}
