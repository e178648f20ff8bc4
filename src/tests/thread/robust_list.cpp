// SPDX-License-Identifier: MIT
// set_robust_list(2), get_robust_list(2): the per-thread robust futex list
// head. The head round-trips (any pointer is accepted: the kernel reads the
// list only when the thread exits), the length must be exactly
// sizeof(struct robust_list_head), other processes can be read with ptrace
// read access, and a fork child or a new program starts without a list.
// Changes happen in children (the harness thread keeps its own head).
// Not covered: the exit-time walk that marks robust futexes FUTEX_OWNER_DIED
// (futex area), the compat 32-bit layout.
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "tests/common/common_util.hpp"

namespace {

robust_list_head g_head = {&g_head, 0, nullptr};  // an empty list: next points to itself

// The head and length get_robust_list reports for pid (0: the caller).
struct Got {
    long r;
    void* head;
    usize len;
};
Got get(int pid) {
    Got g{0, reinterpret_cast<void*>(1), 1};
    g.r = sys::get_robust_list(pid, &g.head, &g.len);
    return g;
}

}  // namespace

EXEC_HELPER(misc_robust) {
    Got g = get(0);
    return 64 | (g.r == 0 && g.head == nullptr ? 1 : 0);
}

// ---------------------------------------------------------------------------
// set_robust_list(2)

// set_robust_list(2) and get_robust_list(2): "The get_robust_list() system
// call returns the head of the robust futex list of the thread whose thread
// ID is specified in pid. If pid is 0, the head of the list for the calling
// thread is returned" - what was set, with length 24, the size of struct
// robust_list_head.
TEST(set_robust_list, round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_RET(sys::set_robust_list(&g_head, sizeof g_head), 0);
        Got g = get(0);
        EXPECT_RET(g.r, 0);
        EXPECT_TRUE(g.head == &g_head);
        EXPECT_EQ(g.len, 24);
        Got byid = get(int(sys::gettid()));
        EXPECT_TRUE(byid.head == &g_head);
    });
}

struct Ptr {
    const char* label;
    u64 addr;
};
constexpr Ptr kAnyPtrs[] = {
    {"null", 0}, {"unmapped", common::kBadAddr}, {"kernel", common::kKernelAddr}};
// set_robust_list(2): the head is not checked when it is set - NULL, unmapped
// and kernel addresses are all accepted and read back (the kernel gives up
// quietly on a bad list when the thread exits).
TEST_P(set_robust_list, any_pointer_accepted, BOUNDARY, LINUX, kAnyPtrs, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            void* head = reinterpret_cast<void*>(static_cast<const Ptr*>(p)->addr);
            ASSERT_RET(sys::set_robust_list(head, 24), 0);
            EXPECT_TRUE(get(0).head == head);
        },
        &row);
}

struct Len {
    const char* label;
    long len;
};
constexpr Len kBadLens[] = {
    {"len=0", 0},   {"len=23", 23}, {"len=25", 25},
    {"len=48", 48}, {"len=-1", -1}, {"len=24+2^32", 24 + (1L << 32)},
};
// set_robust_list(2) EINVAL: "len does not equal sizeof(struct
// robust_list_head)"; the previous head stays.
TEST_P(set_robust_list, bad_len_einval, NEGATIVE, LINUX, kBadLens, .flags = kc::NEEDS_FORK) {
    common::in_child(
        [](void* p) {
            ASSERT_RET(sys::set_robust_list(&g_head, 24), 0);
            EXPECT_ERR(sys::set_robust_list(nullptr, usize(static_cast<const Len*>(p)->len)),
                       EINVAL);
            EXPECT_TRUE(get(0).head == &g_head);
        },
        &row);
}

// ---------------------------------------------------------------------------
// get_robust_list(2)

// get_robust_list(2) of another process (a fork child that registered its
// own head), allowed with ptrace read access to it.
TEST(get_robust_list, other_process, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int ready[2], go[2];
    ASSERT_RET(sys::pipe2(ready, O_CLOEXEC), 0);
    ASSERT_RET(sys::pipe2(go, O_CLOEXEC), 0);
    int fds[4] = {ready[0], ready[1], go[0], go[1]};
    long pid = kc::spawn(
        [](void* p) {
            int* f = static_cast<int*>(p);
            sys::close(f[0]);
            sys::close(f[3]);
            sys::set_robust_list(&g_head, 24);
            sys::write(f[1], "r", 1);
            char c;
            sys::read(f[2], &c, 1);
        },
        fds);
    ASSERT_GT(pid, 0);
    sys::close(ready[1]);
    sys::close(go[0]);
    char c = 0;
    ASSERT_RET(sys::read(ready[0], &c, 1), 1);
    Got g = get(int(pid));
    EXPECT_RET(g.r, 0);
    EXPECT_TRUE(g.head == &g_head);
    EXPECT_EQ(g.len, 24);
    sys::close(go[1]);
    sys::close(ready[0]);
    EXPECT_CHILD_OK(pid);
}

// get_robust_list(2): a new process made by fork starts with no robust list
// (the kernel clears it in the child; C libraries set it again).
TEST(get_robust_list, fork_child_has_none, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::in_child([](void*) {
        ASSERT_RET(sys::set_robust_list(&g_head, 24), 0);
        common::in_child([](void*) {
            Got g = get(0);
            EXPECT_RET(g.r, 0);
            EXPECT_TRUE(g.head == nullptr);
            EXPECT_EQ(g.len, 24);
        });
    });
}

// get_robust_list(2): execve starts the new program without a robust list.
TEST(get_robust_list, cleared_by_execve, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_RET(sys::set_robust_list(&g_head, 24), 0);
            common::exec_helper(kc::self_path(), "--exec-helper=misc_robust");
        },
        nullptr);
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), (64 | 1) << 8);
}

struct Pid {
    const char* label;
    int pid;
};
constexpr Pid kNoPids[] = {
    {"pid=-1", -1}, {"pid=INT_MAX", INT_MAX}, {"pid=PID_MAX_LIMIT+1", 4194305}};
// get_robust_list(2) ESRCH: "No thread with the thread ID pid could be
// found".
TEST_P(get_robust_list, no_such_thread_esrch, NEGATIVE, LINUX, kNoPids) {
    EXPECT_ERR(get(row.pid).r, ESRCH);
}

struct Out {
    const char* label;
    bool bad_len;  // false: head_ptr is bad
};
constexpr Out kBadOut[] = {{"head_ptr", false}, {"len_ptr", true}};
// get_robust_list(2) EFAULT: "The head of the robust futex list can't be
// stored at the location head".
TEST_P(get_robust_list, bad_pointer_efault, NEGATIVE, LINUX, kBadOut) {
    void* head = nullptr;
    usize len = 0;
    void** hp = row.bad_len ? &head : static_cast<void**>(common::kBadPtr);
    usize* lp = row.bad_len ? static_cast<usize*>(common::kBadPtr) : &len;
    EXPECT_ERR(sys::get_robust_list(0, hp, lp), EFAULT);
}

// get_robust_list(2) EPERM: "The calling process does not have permission to
// see the robust futex list of the thread with the thread ID pid" (a
// PTRACE_MODE_READ check) - a child that became another user (and so lost
// its capabilities) and its parent.
TEST(get_robust_list, other_user_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    common::in_child([](void*) {
        ASSERT_TRUE(kc::become_other_user());
        EXPECT_ERR(get(int(sys::getppid())).r, EPERM);
        EXPECT_RET(get(0).r, 0);
    });
}
