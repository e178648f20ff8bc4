// SPDX-License-Identifier: MIT
// NUMA memory policy (mempolicy.h): get_mempolicy(2) for the process, an
// address and the allowed nodes; set_mempolicy(2) modes and flags read back;
// mbind(2) on part of a mapping; set_mempolicy_home_node(2) on a bound
// range; the EINVAL, EFAULT, EPERM, ENOENT and EOPNOTSUPP cases of each.
// migrate_pages(2) and move_pages(2) are in numa_migrate.cpp.
// Everything is written for any machine: "the node" is the lowest node this
// process may use, "a missing node" one of 0-63 it may not. Policies of the
// process are set in children only (they would stay with the harness in
// --isolate=none); mbind changes only a mapping the test unmaps.
// Skipped on a kernel without NUMA (ENOSYS).
// Left out: placement on other nodes, interleaving and migration between
// nodes (need a machine with several memory nodes), MPOL_F_RELATIVE_NODES
// remapping under cpuset changes, and other users' processes.
#include "harness/test.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_numa.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"
#include "tests/mm/numa_util.hpp"

using namespace numa;

namespace {

// The process policy: mode and nodes 0-63.
struct Policy {
    int mode;
    unsigned long nodes;
};
Policy get_policy(void* addr = nullptr, unsigned long flags = 0) {
    unsigned long m[kLongs];
    for (auto& w : m) w = ~0ul;
    Policy p{-1, 0};
    EXPECT_OK(sys::get_mempolicy(&p.mode, m, kMaxAll, addr, flags));
    for (int i = 1; i < kLongs; ++i) EXPECT_EQ(m[i] & ~0ul, 0ul);  // past node 63: cleared
    p.nodes = m[0];
    return p;
}

struct Mode {
    const char* label;
    int mode;
    bool empty_mask;
    int err;
};

}  // namespace

// ---------------------------------------------------------------------------
// get_mempolicy(2)

// get_mempolicy(2): with the default policy, "mode ... MPOL_DEFAULT" and an
// empty node mask (set back to it first: the run may inherit a policy).
TEST(get_mempolicy, default_policy, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    need_numa();
    common::in_child([](void*) {
        ASSERT_OK(sys::set_mempolicy(MPOL_DEFAULT, nullptr, 0));
        Policy p = get_policy();
        EXPECT_EQ(p.mode, MPOL_DEFAULT);
        EXPECT_EQ(p.nodes, 0ul);
    });
}

// get_mempolicy(2) MPOL_F_MEMS_ALLOWED: "the node mask is the set of nodes
// the thread is allowed to specify" - not empty, and the node the process
// runs its pages on (MPOL_F_NODE|MPOL_F_ADDR of a page it wrote) is in it.
TEST(get_mempolicy, mems_allowed_and_page_node, POSITIVE, LINUX) {
    int node = the_node();
    EXPECT_NE(allowed_nodes() & (1ul << node), 0ul);
    u8* p = mm::map(1);
    kc::Mapping m(p, P);
    p[0] = 1;
    int where = -1;
    EXPECT_OK(sys::get_mempolicy(&where, nullptr, 0, p, MPOL_F_NODE | MPOL_F_ADDR));
    EXPECT_GE(where, 0);
    if (where >= 0 && where < 64) EXPECT_NE(allowed_nodes() & (1ul << where), 0ul);
}

struct GetFlags {
    const char* label;
    unsigned long flags;
    bool addr;
};
constexpr GetFlags kBadGet[] = {
    {"flags=8", 8, false},
    {"MEMS_ALLOWED|NODE", MPOL_F_MEMS_ALLOWED | MPOL_F_NODE, false},
    {"MEMS_ALLOWED|ADDR", MPOL_F_MEMS_ALLOWED | MPOL_F_ADDR, true},
    {"addr_without_F_ADDR", 0, true},
    {"NODE_under_default_policy", MPOL_F_NODE, false},
};

// get_mempolicy(2): "EINVAL ... flags specified MPOL_F_MEMS_ALLOWED with
// either MPOL_F_NODE or MPOL_F_ADDR"; "flags ... MPOL_F_ADDR was not
// specified and addr is not NULL"; "MPOL_F_NODE ... and the policy is not
// MPOL_INTERLEAVE"; unknown flags.
TEST_P(get_mempolicy, bad_flags_einval, NEGATIVE, LINUX, kBadGet, .flags = kc::NEEDS_FORK) {
    need_numa();
    common::in_child(
        [](void* a) {
            auto* r = static_cast<const GetFlags*>(a);
            ASSERT_OK(sys::set_mempolicy(MPOL_DEFAULT, nullptr, 0));
            u8* p = mm::map(1);
            int mode;
            EXPECT_ERR(sys::get_mempolicy(&mode, nullptr, 0, r->addr ? p : nullptr, r->flags),
                       EINVAL);
        },
        &row);
}

struct Maxnode {
    const char* label;
    unsigned long maxnode;
};
constexpr Maxnode kBadMaxnode[] = {{"maxnode=0", 0}, {"maxnode=4096*8+2", 4096 * 8 + 2}};

// get_mempolicy(2): "EINVAL ... maxnode specifies less than the number of
// node IDs supported by the system"; mm/mempolicy.c also refuses a mask to
// write back that is larger than a page.
TEST_P(get_mempolicy, bad_maxnode_einval, BOUNDARY, LINUX, kBadMaxnode) {
    need_numa();
    unsigned long m[kLongs];
    int mode;
    EXPECT_ERR(sys::get_mempolicy(&mode, m, row.maxnode, nullptr, 0), EINVAL);
}

// get_mempolicy(2): "EFAULT ... MPOL_F_ADDR ... addr is outside of the
// address space".
TEST(get_mempolicy, addr_unmapped_efault, NEGATIVE, LINUX) {
    need_numa();
    int mode;
    EXPECT_ERR(sys::get_mempolicy(&mode, nullptr, 0, mm::hole(1), MPOL_F_ADDR), EFAULT);
}

// get_mempolicy(2) MPOL_F_NODE under MPOL_INTERLEAVE: "the node ID of the
// next node that will be used for interleaving" - the only node given.
TEST(get_mempolicy, interleave_next_node, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    common::in_child(
        [](void* a) {
            int n = *static_cast<int*>(a);
            unsigned long m = 1ul << n;
            ASSERT_OK(sys::set_mempolicy(MPOL_INTERLEAVE, &m, kMax64));
            int next = -1;
            EXPECT_OK(sys::get_mempolicy(&next, nullptr, 0, nullptr, MPOL_F_NODE));
            EXPECT_EQ(next, n);
        },
        &node);
}

// ---------------------------------------------------------------------------
// set_mempolicy(2)

constexpr Mode kModes[] = {
    {"MPOL_BIND", MPOL_BIND, false, 0},
    {"MPOL_PREFERRED", MPOL_PREFERRED, false, 0},
    {"MPOL_INTERLEAVE", MPOL_INTERLEAVE, false, 0},
    {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY, false, 0},
    {"MPOL_BIND|MPOL_F_STATIC_NODES", MPOL_BIND | MPOL_F_STATIC_NODES, false, 0},
    {"MPOL_INTERLEAVE|MPOL_F_RELATIVE_NODES", MPOL_INTERLEAVE | MPOL_F_RELATIVE_NODES, false, 0},
};

// set_mempolicy(2): the mode (with its mode flags) and node set given are
// what get_mempolicy(2) reports for the thread afterwards; MPOL_DEFAULT
// then removes the policy again.
TEST_P(set_mempolicy, mode_read_back, POSITIVE, LINUX, kModes, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    struct Arg {
        const Mode* row;
        int node;
    } arg{&row, node};
    common::in_child(
        [](void* a) {
            auto* x = static_cast<Arg*>(a);
            unsigned long m = 1ul << x->node;
            ASSERT_OK(sys::set_mempolicy(x->row->mode, &m, kMax64));
            Policy p = get_policy();
            EXPECT_EQ(p.mode, x->row->mode);
            EXPECT_EQ(p.nodes, m);
            ASSERT_OK(sys::set_mempolicy(MPOL_DEFAULT, nullptr, 0));
            EXPECT_EQ(get_policy().mode, MPOL_DEFAULT);
        },
        &arg);
}

// set_mempolicy(2) MPOL_PREFERRED: "If nodemask ... is empty, the policy
// specifies 'local allocation'" - reported as MPOL_LOCAL (Linux 5.14+) with
// an empty node mask; MPOL_LOCAL itself takes no nodes.
TEST(set_mempolicy, preferred_empty_is_local, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    need_numa();
    common::in_child([](void*) {
        unsigned long none = 0;
        ASSERT_OK(sys::set_mempolicy(MPOL_PREFERRED, &none, kMax64));
        Policy p = get_policy();
        EXPECT_EQ(p.mode, MPOL_LOCAL);
        EXPECT_EQ(p.nodes, 0ul);
        ASSERT_OK(sys::set_mempolicy(MPOL_LOCAL, nullptr, 0));
        EXPECT_EQ(get_policy().mode, MPOL_LOCAL);
    });
}

constexpr Mode kBadModes[] = {
    {"mode=100", 100, false, EINVAL},
    {"mode=0x1000", 0x1000, false, EINVAL},
    {"mode=-1", -1, false, EINVAL},
    {"STATIC|RELATIVE", MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, false, EINVAL},
    {"INTERLEAVE|NUMA_BALANCING", MPOL_INTERLEAVE | MPOL_F_NUMA_BALANCING, false, EINVAL},
    {"BIND_empty_mask", MPOL_BIND, true, EINVAL},
    {"INTERLEAVE_empty_mask", MPOL_INTERLEAVE, true, EINVAL},
    {"DEFAULT_with_nodes", MPOL_DEFAULT, false, EINVAL},
    {"LOCAL_with_nodes", MPOL_LOCAL, false, EINVAL},
    {"PREFERRED_empty|STATIC", MPOL_PREFERRED | MPOL_F_STATIC_NODES, true, EINVAL},
};

// set_mempolicy(2): "EINVAL mode is invalid. Or, mode is MPOL_DEFAULT and
// nodemask is nonempty, or mode is MPOL_BIND or MPOL_INTERLEAVE and nodemask
// is empty. ... Or, both MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES";
// MPOL_F_NUMA_BALANCING goes with MPOL_BIND only; MPOL_LOCAL takes no
// nodes, and an empty MPOL_PREFERRED takes no mode flags. The policy is
// unchanged.
TEST_P(set_mempolicy, bad_mode_einval, NEGATIVE, LINUX, kBadModes, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    struct Arg {
        const Mode* row;
        int node;
    } arg{&row, node};
    common::in_child(
        [](void* a) {
            auto* x = static_cast<Arg*>(a);
            ASSERT_OK(sys::set_mempolicy(MPOL_DEFAULT, nullptr, 0));
            unsigned long m = x->row->empty_mask ? 0 : 1ul << x->node;
            EXPECT_ERR(sys::set_mempolicy(x->row->mode, &m, kMax64), x->row->err);
            EXPECT_EQ(get_policy().mode, MPOL_DEFAULT);
        },
        &arg);
}

// set_mempolicy(2): "EINVAL ... nodemask specifies one or more node IDs
// that are greater than the maximum supported node ID. Or, none of the node
// IDs specified by nodemask are on-line and allowed by the thread's current
// cpuset context".
TEST(set_mempolicy, missing_node_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    the_node();
    int bad = missing_node();
    common::in_child(
        [](void* a) {
            unsigned long m = 1ul << *static_cast<int*>(a);
            EXPECT_ERR(sys::set_mempolicy(MPOL_BIND, &m, kMax64), EINVAL);
            EXPECT_ERR(sys::set_mempolicy(MPOL_PREFERRED, &m, kMax64), EINVAL);
        },
        &bad);
}

// set_mempolicy(2) / mm/mempolicy.c get_nodes(): nodes beyond MAX_NUMNODES
// (at most 1024) must be clear - bit 4095 set is EINVAL - and maxnode may
// not exceed a page of bits.
TEST(set_mempolicy, mask_bounds_einval, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    common::in_child(
        [](void* a) {
            static unsigned long m[64];
            m[0] = 1ul << *static_cast<int*>(a);
            m[63] = 1ul << 63;  // node 4095
            EXPECT_ERR(sys::set_mempolicy(MPOL_BIND, m, 64 * 64 + 1), EINVAL);
            m[63] = 0;
            EXPECT_OK(sys::set_mempolicy(MPOL_BIND, m, 64 * 64 + 1));
            EXPECT_ERR(sys::set_mempolicy(MPOL_BIND, m, 4096 * 8 + 2), EINVAL);
        },
        &node);
}

// ---------------------------------------------------------------------------
// mbind(2)

// mbind(2): "sets the NUMA memory policy ... for the memory range starting
// with addr and continuing for len bytes": get_mempolicy(MPOL_F_ADDR)
// reports it for that page only; MPOL_DEFAULT removes it again.
TEST(mbind, policy_on_range, POSITIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(3);
    kc::Mapping guard(p, 3 * P);
    unsigned long m = 1ul << node;
    ASSERT_OK(sys::mbind(p + P, P, MPOL_BIND, &m, kMax64, 0));
    Policy got = get_policy(p + P, MPOL_F_ADDR);
    EXPECT_EQ(got.mode, MPOL_BIND);
    EXPECT_EQ(got.nodes, m);
    EXPECT_EQ(get_policy(p, MPOL_F_ADDR).mode, MPOL_DEFAULT);
    EXPECT_EQ(get_policy(p + 2 * P, MPOL_F_ADDR).mode, MPOL_DEFAULT);
    ASSERT_OK(sys::mbind(p + P, P, MPOL_DEFAULT, nullptr, 0, 0));
    EXPECT_EQ(get_policy(p + P, MPOL_F_ADDR).mode, MPOL_DEFAULT);
}

// mbind(2) MPOL_MF_STRICT: pages already on the node bound to conform, so
// the call succeeds and the page keeps its data; len 0 is a no-op.
TEST(mbind, strict_conforming_pages, POSITIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    mm::fill(p, P, 8);
    int where = -1;
    ASSERT_OK(sys::get_mempolicy(&where, nullptr, 0, p, MPOL_F_NODE | MPOL_F_ADDR));
    unsigned long m = 1ul << where;
    EXPECT_OK(sys::mbind(p, P, MPOL_BIND, &m, kMax64, MPOL_MF_STRICT));
    EXPECT_OK(sys::mbind(p, P, MPOL_BIND, &m, kMax64, MPOL_MF_STRICT | MPOL_MF_MOVE));
    EXPECT_TRUE(mm::has_pattern(p, P, 8));
    m = 1ul << node;
    EXPECT_RET(sys::mbind(p, 0, MPOL_INTERLEAVE, &m, kMax64, 0), 0);
    EXPECT_EQ(get_policy(p, MPOL_F_ADDR).mode, MPOL_BIND);
}

struct MbindBad {
    const char* label;
    usize off;
    int mode;
    unsigned flags;
};
constexpr MbindBad kBadMbind[] = {
    {"addr+1", 1, MPOL_BIND, 0},
    {"flags=1<<5", 0, MPOL_BIND, 1 << 5},
    {"flags=MPOL_MF_LAZY", 0, MPOL_BIND, MPOL_MF_LAZY},
    {"mode=100", 0, 100, 0},
    {"STATIC|RELATIVE", 0, MPOL_BIND | MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES, 0},
};

// mbind(2): "EINVAL An invalid value was specified for flags or mode; or
// addr + len was less than addr; or addr is not a multiple of the system
// page size" (MPOL_MF_LAZY is not accepted from user space).
TEST_P(mbind, bad_args_einval, NEGATIVE, LINUX, kBadMbind) {
    int node = the_node();
    u8* p = mm::map(2);
    kc::Mapping guard(p, 2 * P);
    unsigned long m = 1ul << node;
    EXPECT_ERR(sys::mbind(p + row.off, P, row.mode, &m, kMax64, row.flags), EINVAL);
    EXPECT_EQ(get_policy(p, MPOL_F_ADDR).mode, MPOL_DEFAULT);
}

// mbind(2): "EFAULT Part or all of the memory range specified by nodemask
// and maxnode points outside your accessible address space. Or, there was
// an unmapped hole in the specified memory range"; "EINVAL ... nodemask
// specifies ... none of the node IDs ... are on-line and allowed".
TEST(mbind, hole_efault_missing_node_einval, NEGATIVE, LINUX) {
    int node = the_node();
    int bad = missing_node();
    u8* p = mm::map(3);
    kc::Mapping guard(p, 3 * P);
    ASSERT_OK(sys::munmap(p + P, P));
    unsigned long m = 1ul << node;
    EXPECT_ERR(sys::mbind(p, 3 * P, MPOL_BIND, &m, kMax64, 0), EFAULT);
    m = 1ul << bad;
    EXPECT_ERR(sys::mbind(p, P, MPOL_BIND, &m, kMax64, 0), EINVAL);
}

// mbind(2): "EPERM The flags argument included the MPOL_MF_MOVE_ALL flag and
// the caller does not have the CAP_SYS_NICE privilege".
TEST(mbind, move_all_needs_cap_sys_nice, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int node = the_node();
    mm::run_in_child(
        [](void* a) {
            mm::drop_privilege();
            u8* p = mm::map(1);
            unsigned long m = 1ul << *static_cast<int*>(a);
            EXPECT_ERR(sys::mbind(p, P, MPOL_BIND, &m, kMax64, MPOL_MF_MOVE_ALL), EPERM);
            EXPECT_OK(sys::mbind(p, P, MPOL_BIND, &m, kMax64, MPOL_MF_MOVE));
        },
        &node, "cannot drop capabilities");
}

// ---------------------------------------------------------------------------
// set_mempolicy_home_node(2) (Linux 5.17+)

long home_node(void* p, unsigned long len, unsigned long node, unsigned long flags) {
    long r = sys::set_mempolicy_home_node(p, len, node, flags);
    if (r == -ENOSYS) kc::skip("set_mempolicy_home_node: not implemented (ENOSYS; Linux 5.17+)");
    return r;
}

// set_mempolicy_home_node(2): on a range bound with MPOL_BIND (or
// MPOL_PREFERRED_MANY) the home node is set; the policy itself stays as
// get_mempolicy reports it. len 0 does nothing.
TEST(set_mempolicy_home_node, on_bound_range, POSITIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(2);
    kc::Mapping guard(p, 2 * P);
    unsigned long m = 1ul << node;
    ASSERT_OK(sys::mbind(p, P, MPOL_BIND, &m, kMax64, 0));
    ASSERT_OK(sys::mbind(p + P, P, MPOL_PREFERRED_MANY, &m, kMax64, 0));
    EXPECT_RET(home_node(p, 2 * P, node, 0), 0);
    Policy got = get_policy(p, MPOL_F_ADDR);
    EXPECT_EQ(got.mode, MPOL_BIND);
    EXPECT_EQ(got.nodes, m);
    EXPECT_EQ(get_policy(p + P, MPOL_F_ADDR).mode, MPOL_PREFERRED_MANY);
    EXPECT_RET(home_node(p, 0, node, 0), 0);
    p[0] = 1;  // a page is still allocated under the policy
    EXPECT_EQ(p[0], 1);
}

// set_mempolicy_home_node(2): "EOPNOTSUPP The policy of a VMA in the range
// is not MPOL_BIND or MPOL_PREFERRED_MANY".
TEST(set_mempolicy_home_node, other_policy_eopnotsupp, NEGATIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    unsigned long m = 1ul << node;
    ASSERT_OK(sys::mbind(p, P, MPOL_INTERLEAVE, &m, kMax64, 0));
    EXPECT_ERR(home_node(p, P, node, 0), EOPNOTSUPP);
}

// mm/mempolicy.c: a range where no mapping has a policy of its own has no
// home node to set: ENOENT.
TEST(set_mempolicy_home_node, no_policy_enoent, NEGATIVE, LINUX) {
    int node = the_node();
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    EXPECT_ERR(home_node(p, P, node, 0), ENOENT);
}

struct Home {
    const char* label;
    usize off;
    long node;  // or kTheNode, kMissingNode
    unsigned long flags;
};
constexpr long kTheNode = -1000, kMissingNode = -1001;
constexpr Home kBadHome[] = {
    {"flags=1", 0, kTheNode, 1},          {"start+1", 1, kTheNode, 0},
    {"node_missing", 0, kMissingNode, 0}, {"node=1024", 0, 1024, 0},
    {"node=ULONG_MAX", 0, ~0l, 0},
};

// set_mempolicy_home_node(2): "EINVAL ... flags is not 0", start not
// page-aligned, or home_node not an online node.
TEST_P(set_mempolicy_home_node, bad_args_einval, NEGATIVE, LINUX, kBadHome) {
    int node = the_node();
    long want = row.node == kTheNode ? node : row.node == kMissingNode ? missing_node() : row.node;
    u8* p = mm::map(1);
    kc::Mapping guard(p, P);
    unsigned long m = 1ul << node;
    ASSERT_OK(sys::mbind(p, P, MPOL_BIND, &m, kMax64, 0));
    EXPECT_ERR(home_node(p + row.off, P, want, row.flags), EINVAL);
}
