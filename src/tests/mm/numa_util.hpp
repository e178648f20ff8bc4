// SPDX-License-Identifier: MIT
// Helpers of the NUMA memory-policy tests (numa.cpp, numa_migrate.cpp):
// node masks of one unsigned long passed in and of the largest
// MAX_NUMNODES read back, the nodes this process may use, and a skip on a
// kernel without NUMA.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_numa.hpp"
#include "tests/mm/mm_util.hpp"

namespace numa {

inline constexpr usize P = mm::kPage;
// Masks passed in: one unsigned long, nodes 0-63 (maxnode counts one more).
inline constexpr unsigned long kMax64 = 65;
// Masks read back: room for 1024 nodes, the largest MAX_NUMNODES.
inline constexpr int kLongs = 16;
inline constexpr unsigned long kMaxAll = kLongs * 64 + 1;

inline void need_numa() {
    int mode = -1;
    if (sys::get_mempolicy(&mode, nullptr, 0, nullptr, 0) == -ENOSYS)
        kc::skip("get_mempolicy: not implemented (ENOSYS; a kernel without CONFIG_NUMA)");
}

// Nodes 0-63 this process may allocate from (MPOL_F_MEMS_ALLOWED).
inline unsigned long allowed_nodes() {
    unsigned long m[kLongs] = {};
    int mode;
    ASSERT_OK(sys::get_mempolicy(&mode, m, kMaxAll, nullptr, MPOL_F_MEMS_ALLOWED));
    return m[0];
}

// The lowest allowed node (skips past 63, a machine this file was not
// written for).
inline int the_node() {
    need_numa();
    unsigned long m = allowed_nodes();
    if (!m) kc::skip("no memory node among nodes 0-63 is allowed to this process");
    return __builtin_ctzl(m);
}

// A node among 0-63 this process may not use (absent, or outside its
// cpuset).
inline int missing_node() {
    unsigned long m = allowed_nodes();
    if (~m == 0) kc::skip("every node of 0-63 is allowed: no missing node to name");
    return 63 - __builtin_clzl(~m);
}

}  // namespace numa
