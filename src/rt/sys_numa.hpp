// SPDX-License-Identifier: MIT
// NUMA memory policy and page placement: mbind, set_mempolicy,
// get_mempolicy, set_mempolicy_home_node, migrate_pages and move_pages
// (include/uapi/linux/mempolicy.h). A kernel without CONFIG_NUMA answers
// ENOSYS. The values are the same on x86-64, aarch64 and riscv64.
//
// Node masks are arrays of unsigned long; `maxnode` counts bits plus one
// (the kernel reads maxnode - 1 bits: mm/mempolicy.c get_nodes()).
#pragma once

#include "rt/sys.hpp"

// Policies (enum in linux/mempolicy.h; MPOL_MAX grows with new modes).
inline constexpr int MPOL_DEFAULT = 0, MPOL_PREFERRED = 1, MPOL_BIND = 2, MPOL_INTERLEAVE = 3;
inline constexpr int MPOL_LOCAL = 4, MPOL_PREFERRED_MANY = 5, MPOL_WEIGHTED_INTERLEAVE = 6;
// Mode flags of set_mempolicy(2) and mbind(2).
inline constexpr int MPOL_F_STATIC_NODES = 1 << 15, MPOL_F_RELATIVE_NODES = 1 << 14;
inline constexpr int MPOL_F_NUMA_BALANCING = 1 << 13;
// get_mempolicy(2) flags.
inline constexpr unsigned long MPOL_F_NODE = 1, MPOL_F_ADDR = 2, MPOL_F_MEMS_ALLOWED = 4;
// mbind(2) and move_pages(2) flags.
inline constexpr unsigned MPOL_MF_STRICT = 1, MPOL_MF_MOVE = 2, MPOL_MF_MOVE_ALL = 4;
inline constexpr unsigned MPOL_MF_LAZY = 8;

namespace sys {

// long mbind(void *addr, unsigned long len, int mode, const unsigned long *nodemask,
//            unsigned long maxnode, unsigned int flags);
inline long mbind(void* addr, unsigned long len, int mode, const unsigned long* mask,
                  unsigned long maxnode, unsigned flags) {
    return syscall6(nr::mbind, L(addr), L(len), mode, L(mask), L(maxnode), flags);
}
// long set_mempolicy(int mode, const unsigned long *nodemask, unsigned long maxnode);
inline long set_mempolicy(int mode, const unsigned long* mask, unsigned long maxnode) {
    return syscall3(nr::set_mempolicy, mode, L(mask), L(maxnode));
}
// long get_mempolicy(int *mode, unsigned long *nodemask, unsigned long maxnode,
//                    void *addr, unsigned long flags);
inline long get_mempolicy(int* mode, unsigned long* mask, unsigned long maxnode, void* addr,
                          unsigned long flags) {
    return syscall5(nr::get_mempolicy, L(mode), L(mask), L(maxnode), L(addr), L(flags));
}
// long set_mempolicy_home_node(unsigned long start, unsigned long len,
//                              unsigned long home_node, unsigned long flags);
inline long set_mempolicy_home_node(void* start, unsigned long len, unsigned long node,
                                    unsigned long flags) {
    return syscall4(nr::set_mempolicy_home_node, L(start), L(len), L(node), L(flags));
}
// long migrate_pages(int pid, unsigned long maxnode, const unsigned long *old_nodes,
//                    const unsigned long *new_nodes);
inline long migrate_pages(int pid, unsigned long maxnode, const unsigned long* old_nodes,
                          const unsigned long* new_nodes) {
    return syscall4(nr::migrate_pages, pid, L(maxnode), L(old_nodes), L(new_nodes));
}
// long move_pages(int pid, unsigned long count, void *pages[.count],
//                 const int nodes[.count], int status[.count], int flags);
inline long move_pages(int pid, unsigned long count, void** pages, const int* nodes, int* status,
                       int flags) {
    return syscall6(nr::move_pages, pid, L(count), L(pages), L(nodes), L(status), flags);
}

}  // namespace sys
