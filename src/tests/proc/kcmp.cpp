// SPDX-License-Identifier: MIT
// kcmp(2): whether two processes share a kernel resource. KCMP_FILE is 0
// for descriptors of one open file description (dup, fork), and otherwise an
// ordering that is antisymmetric and consistent; the per-process resources
// (VM, FILES, FS, SIGHAND) are equal to themselves and differ after fork;
// bad types EINVAL, bad descriptors EBADF, missing processes ESRCH, other
// users' processes EPERM. kcmp exists only with CONFIG_KCMP (formerly
// CHECKPOINT_RESTORE): the tests skip when the kernel says ENOSYS.
// Not covered: KCMP_EPOLL_TFD beyond its EFAULT, KCMP_IO and KCMP_SYSVSEM
// (their objects exist only after io_uring/CLONE_IO or semop with SEM_UNDO),
// CLONE_VM/CLONE_FILES sharing.
#include "harness/test.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"

namespace {

int self() { return int(sys::getpid()); }

void require_kcmp() {
    long r = sys::kcmp(self(), self(), KCMP_VM, 0, 0);
    if (r == -ENOSYS)
        kc::skip_unimplemented("kcmp", "kcmp: the kernel is built without CONFIG_KCMP");
}

// A child blocked on a pipe until release(); shares the caller's open files.
struct Peer {
    int fds[2];
    long pid;
};
bool start(Peer& p) {
    if (sys::pipe2(p.fds, O_CLOEXEC) != 0) return false;
    p.pid = kc::spawn(
        [](void* a) {
            int* f = static_cast<int*>(a);
            sys::close(f[1]);
            char c;
            sys::read(f[0], &c, 1);
        },
        p.fds);
    return p.pid > 0;
}
void release(Peer& p) {
    sys::close(p.fds[1]);
    EXPECT_CHILD_OK(p.pid);
    sys::close(p.fds[0]);
}

}  // namespace

// kcmp(2) KCMP_FILE: "Check whether a file descriptor idx1 in the process
// pid1 refers to the same open file description (see open(2)) as file
// descriptor idx2 in the process pid2": dup, F_DUPFD and the descriptor
// itself compare equal (0).
TEST(kcmp, file_same_description_equal, POSITIVE, LINUX) {
    require_kcmp();
    kc::require_fds(101);  // the F_DUPFD_CLOEXEC copy is descriptor 100 or above
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    long d = sys::dup(fds[0]);
    long f = sys::fcntl(fds[0], F_DUPFD_CLOEXEC, 100);
    ASSERT_GE(d, 0);
    ASSERT_GE(f, 0);
    EXPECT_RET(sys::kcmp(self(), self(), KCMP_FILE, u32(fds[0]), u32(fds[0])), 0);
    EXPECT_RET(sys::kcmp(self(), self(), KCMP_FILE, u32(fds[0]), u64(d)), 0);
    EXPECT_RET(sys::kcmp(self(), self(), KCMP_FILE, u64(f), u32(fds[0])), 0);
    sys::close(int(d));
    sys::close(int(f));
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// kcmp(2): "kcmp() was designed to return values suitable for sorting":
// different objects give 1 (less) or 2 (greater), swapping the arguments
// swaps the answer, and three files are ordered consistently.
TEST(kcmp, file_different_ordered, POSITIVE, LINUX) {
    require_kcmp();
    int a[2], b[2];
    ASSERT_RET(sys::pipe2(a, 0), 0);
    ASSERT_RET(sys::pipe2(b, 0), 0);
    int f[3] = {a[0], a[1], b[0]};
    long c[3][3];
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j)
            c[i][j] = sys::kcmp(self(), self(), KCMP_FILE, u32(f[i]), u32(f[j]));
    }
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(c[i][i], 0);
        for (int j = 0; j < 3; ++j) {
            if (i == j) continue;
            EXPECT_TRUE(c[i][j] == 1 || c[i][j] == 2);
            EXPECT_EQ(c[i][j] + c[j][i], 3);
        }
    }
    // Transitivity: the "less than" relation has no cycle.
    bool cycle = (c[0][1] == 1 && c[1][2] == 1 && c[2][0] == 1) ||
                 (c[0][1] == 2 && c[1][2] == 2 && c[2][0] == 2);
    EXPECT_TRUE(!cycle);
    int all[4] = {a[0], a[1], b[0], b[1]};
    for (int fd : all) sys::close(fd);
}

// kcmp(2) KCMP_FILE across fork: the child's descriptor refers to the same
// open file description as the parent's.
TEST(kcmp, file_shared_with_fork_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_kcmp();
    Peer p;
    ASSERT_TRUE(start(p));
    EXPECT_RET(sys::kcmp(self(), int(p.pid), KCMP_FILE, u32(p.fds[0]), u32(p.fds[0])), 0);
    release(p);
}

struct Type {
    const char* label;
    int type;
};
constexpr Type kProcTypes[] = {
    {"vm", KCMP_VM}, {"files", KCMP_FILES}, {"fs", KCMP_FS}, {"sighand", KCMP_SIGHAND}};
// kcmp(2) KCMP_VM, KCMP_FILES, KCMP_FS, KCMP_SIGHAND: a process shares each
// of these with itself (0).
TEST_P(kcmp, resource_equal_to_self, POSITIVE, LINUX, kProcTypes) {
    require_kcmp();
    EXPECT_RET(sys::kcmp(self(), self(), row.type, 0, 0), 0);
}

// kcmp(2): a child made by fork (no CLONE_VM/FILES/FS/SIGHAND) has its own
// copy of each, so the comparison is not 0 but 1 or 2.
TEST_P(kcmp, resource_differs_after_fork, POSITIVE, LINUX, kProcTypes, .flags = kc::NEEDS_FORK) {
    require_kcmp();
    Peer p;
    ASSERT_TRUE(start(p));
    long r = sys::kcmp(self(), int(p.pid), row.type, 0, 0);
    ASSERT_OK(r);
    EXPECT_TRUE(r == 1 || r == 2);
    EXPECT_RET(sys::kcmp(int(p.pid), self(), row.type, 0, 0), 3 - r);
    release(p);
}

constexpr Type kBadTypes[] = {
    {"type=KCMP_TYPES", KCMP_TYPES}, {"type=-1", -1}, {"type=100", 100}, {"type=INT_MIN", INT_MIN}};
// kcmp(2) EINVAL: "type is invalid".
TEST_P(kcmp, bad_type_einval, NEGATIVE, LINUX, kBadTypes) {
    require_kcmp();
    EXPECT_ERR(sys::kcmp(self(), self(), row.type, 0, 0), EINVAL);
}

struct Idx {
    const char* label;
    bool second;  // which index is bad
    u64 bad;
};
constexpr Idx kBadIdx[] = {
    {"idx1=closed", false, 0},
    {"idx2=closed", true, 0},
    {"idx1=-1", false, ~0ull},
    {"idx2=INT_MAX", true, 0x7fffffff},
};
// kcmp(2) EBADF: "type is KCMP_FILE and fd1 or fd2 is not an open file
// descriptor". A closed descriptor, and values that are no descriptor.
TEST_P(kcmp, file_bad_fd_ebadf, NEGATIVE, LINUX, kBadIdx) {
    require_kcmp();
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    sys::close(fds[1]);
    u64 bad = row.bad ? row.bad : u32(fds[1]);
    u64 good = u32(fds[0]);
    EXPECT_ERR(
        sys::kcmp(self(), self(), KCMP_FILE, row.second ? good : bad, row.second ? bad : good),
        EBADF);
    sys::close(fds[0]);
}

// kcmp(2) (Linux): the descriptor arguments are taken as unsigned int, so the
// upper half of the 64-bit register is ignored (fd + 2^32 is fd).
TEST(kcmp, file_index_upper_bits_ignored, BOUNDARY, LINUX) {
    require_kcmp();
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    u64 fd = u32(fds[0]);
    EXPECT_RET(sys::kcmp(self(), self(), KCMP_FILE, fd | 1ull << 32, fd), 0);
    EXPECT_RET(sys::kcmp(self(), self(), KCMP_FILE, fd, fd | 0xffffffffull << 32), 0);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

struct Pids {
    const char* label;
    int pid1, pid2;  // -2: the caller
};
constexpr Pids kNoPids[] = {{"pid1=INT_MAX", INT_MAX, -2},
                            {"pid2=INT_MAX", -2, INT_MAX},
                            {"pid1=0", 0, -2},
                            {"pid2=-1", -2, -1}};
// kcmp(2) ESRCH: "Process pid1 or pid2 does not exist" (0 does not mean the
// caller).
TEST_P(kcmp, no_such_pid_esrch, NEGATIVE, LINUX, kNoPids) {
    require_kcmp();
    int p1 = row.pid1 == -2 ? self() : row.pid1;
    int p2 = row.pid2 == -2 ? self() : row.pid2;
    EXPECT_ERR(sys::kcmp(p1, p2, KCMP_VM, 0, 0), ESRCH);
}

// kcmp(2) KCMP_EPOLL_TFD: idx2 points to a struct kcmp_epoll_slot; an
// unreadable pointer is EFAULT.
TEST(kcmp, epoll_slot_bad_pointer_efault, NEGATIVE, LINUX) {
    require_kcmp();
    int fds[2];
    ASSERT_RET(sys::pipe2(fds, 0), 0);
    EXPECT_ERR(sys::kcmp(self(), self(), KCMP_EPOLL_TFD, u32(fds[0]), common::kBadAddr), EFAULT);
    sys::close(fds[0]);
    sys::close(fds[1]);
}

// kcmp(2) EPERM: "Insufficient permission to inspect process resources" (a
// PTRACE_MODE_READ check): a child that became another user (and so lost
// its capabilities) cannot compare itself with its parent.
TEST(kcmp, other_user_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_kcmp();
    kc::require_other_user();
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::become_other_user());
            EXPECT_ERR(sys::kcmp(self(), int(sys::getppid()), KCMP_VM, 0, 0), EPERM);
            EXPECT_RET(sys::kcmp(self(), self(), KCMP_VM, 0, 0), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
