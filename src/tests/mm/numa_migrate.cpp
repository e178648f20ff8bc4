// SPDX-License-Identifier: MIT
// NUMA page migration (mempolicy.h): migrate_pages(2) and move_pages(2) to
// the node the pages are on, for this process and another one, and the
// node of each page (move_pages with nodes NULL); the EINVAL, EPERM, ESRCH
// and ENODEV cases of each, and the CAP_SYS_NICE that MPOL_MF_MOVE_ALL
// needs.
// Everything is written for any machine: "the node" is the lowest node this
// process may use, "a missing node" one of 0-63 it may not (numa_util.hpp).
// Skipped on a kernel without NUMA (ENOSYS).
// Left out: migration between nodes (needs a machine with several memory
// nodes), and other users' processes.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_numa.hpp"
#include "tests/mm/mm_util.hpp"
#include "tests/mm/numa_util.hpp"

using namespace numa;

// ---------------------------------------------------------------------------
// migrate_pages(2)

// migrate_pages(2): moving the process's pages from its node to the same
// node moves nothing: it returns 0 ("the number of pages that could not be
// moved"), for pid 0 and for its own pid, and the data stays.
TEST(migrate_pages, same_node_returns_zero, POSITIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    mm::fill(p, P, 4);
    unsigned long m = 1ul << node;
    EXPECT_RET(sys::migrate_pages(0, kMax64, &m, &m), 0);
    EXPECT_RET(sys::migrate_pages(int(sys::getpid()), kMax64, &m, &m), 0);
    EXPECT_TRUE(mm::has_pattern(p, P, 4));
}

// migrate_pages(2): "ESRCH No process matching pid could be found".
TEST(migrate_pages, no_such_process_esrch, NEGATIVE, LINUX) {
    int node = the_node();
    unsigned long m = 1ul << node;
    EXPECT_ERR(sys::migrate_pages(mm::kPidMaxLimit, kMax64, &m, &m), ESRCH);
}

// migrate_pages(2): "EINVAL ... none of the node IDs specified by new_nodes
// are on-line and allowed" (an empty set); nodes beyond MAX_NUMNODES set.
TEST(migrate_pages, bad_new_nodes_einval, NEGATIVE, LINUX) {
    int node = the_node();
    unsigned long m = 1ul << node, none = 0;
    EXPECT_ERR(sys::migrate_pages(0, kMax64, &m, &none), EINVAL);
    static unsigned long big[64];
    big[0] = m;
    big[63] = 1ul << 63;  // node 4095
    EXPECT_ERR(sys::migrate_pages(0, 64 * 64 + 1, big, big), EINVAL);
}

// migrate_pages(2): "EPERM ... the process ... doesn't have the
// CAP_SYS_NICE privilege" for target nodes outside its allowed set.
TEST(migrate_pages, disallowed_node_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int nodes[2] = {the_node(), missing_node()};
    mm::run_in_child(
        [](void* a) {
            auto* n = static_cast<int*>(a);
            mm::drop_privilege();
            unsigned long from = 1ul << n[0], to = 1ul << n[1];
            EXPECT_ERR(sys::migrate_pages(0, kMax64, &from, &to), EPERM);
        },
        nodes, "cannot drop capabilities");
}

// migrate_pages(2) on a child: the caller may move another process's pages
// when it may ptrace it (same user here); to the same node it moves none.
TEST(migrate_pages, other_process_same_node, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    mm::Sleeper s = mm::start_sleeper();
    unsigned long m = 1ul << node;
    EXPECT_RET(sys::migrate_pages(int(s.pid), kMax64, &m, &m), 0);
    EXPECT_EQ(mm::stop_sleeper(s), 0);
}

// ---------------------------------------------------------------------------
// move_pages(2)

// move_pages(2) with nodes NULL: "the status array ... contains the node
// where each page currently resides", or "-EFAULT This is a zero page or
// the memory area is not mapped", "-ENOENT The page is not present".
TEST(move_pages, status_reports_node, POSITIVE, LINUX) {
    int node = the_node();
    (void)node;
    u8* p = mm::map(4);
    kc::Mapping guard(p, 4 * P);
    p[0] = 1;                                      // a page of its own
    (void)*reinterpret_cast<volatile u8*>(p + P);  // the shared zero page
    ASSERT_OK(sys::munmap(p + 3 * P, P));          // a hole
    void* pages[4] = {p, p + P, p + 2 * P, p + 3 * P};
    int status[4] = {-1, -1, -1, -1};
    EXPECT_RET(sys::move_pages(0, 4, pages, nullptr, status, 0), 0);
    int where = -1;
    ASSERT_OK(sys::get_mempolicy(&where, nullptr, 0, p, MPOL_F_NODE | MPOL_F_ADDR));
    EXPECT_EQ(status[0], where);
    EXPECT_EQ(status[1], -EFAULT);
    // A page never touched: -ENOENT on Linux 6.18; Linux 6.1 reports it as
    // -EFAULT, as it does the zero page (seen on Debian's 6.1 kernel).
    EXPECT_ERR_ANY(status[2], ENOENT, EFAULT);
    EXPECT_EQ(status[3], -EFAULT);
}

// move_pages(2): moving a page to the node it is on succeeds, status holds
// that node, and the data stays; count 0 does nothing.
TEST(move_pages, to_same_node, POSITIVE, LINUX) {
    the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    mm::fill(p, P, 6);
    int where = -1;
    ASSERT_OK(sys::get_mempolicy(&where, nullptr, 0, p, MPOL_F_NODE | MPOL_F_ADDR));
    void* pages[1] = {p};
    int nodes[1] = {where}, status[1] = {-1};
    EXPECT_RET(sys::move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE), 0);
    EXPECT_EQ(status[0], where);
    EXPECT_TRUE(mm::has_pattern(p, P, 6));
    EXPECT_RET(sys::move_pages(0, 0, pages, nodes, status, MPOL_MF_MOVE), 0);
}

// move_pages(2): "ENODEV One of the target nodes is not online"; node
// numbers out of range likewise.
TEST(move_pages, missing_node_enodev, NEGATIVE, LINUX) {
    the_node();
    int nodes[1] = {missing_node()};
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    p[0] = 1;
    void* pages[1] = {p};
    int status[1] = {0};
    EXPECT_ERR(sys::move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE), ENODEV);
    nodes[0] = -1;
    EXPECT_ERR(sys::move_pages(0, 1, pages, nodes, status, MPOL_MF_MOVE), ENODEV);
}

// move_pages(2): "EINVAL Flags other than MPOL_MF_MOVE and MPOL_MF_MOVE_ALL
// was specified"; "ESRCH Process does not exist".
TEST(move_pages, bad_flags_einval_no_process_esrch, NEGATIVE, LINUX) {
    the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    void* pages[1] = {p};
    int status[1] = {0};
    EXPECT_ERR(sys::move_pages(0, 1, pages, nullptr, status, MPOL_MF_STRICT), EINVAL);
    EXPECT_ERR(sys::move_pages(0, 1, pages, nullptr, status, 1 << 8), EINVAL);
    EXPECT_ERR(sys::move_pages(mm::kPidMaxLimit, 1, pages, nullptr, status, 0), ESRCH);
}

// move_pages(2): "EPERM The caller specified MPOL_MF_MOVE_ALL without
// sufficient privileges (CAP_SYS_NICE)".
TEST(move_pages, move_all_needs_cap_sys_nice, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    the_node();
    mm::run_in_child(
        [](void*) {
            mm::drop_privilege();
            u8* p = mm::map(1);
            p[0] = 1;
            void* pages[1] = {p};
            int status[1] = {0};
            EXPECT_ERR(sys::move_pages(0, 1, pages, nullptr, status, MPOL_MF_MOVE_ALL), EPERM);
        },
        nullptr, "cannot drop capabilities");
}
