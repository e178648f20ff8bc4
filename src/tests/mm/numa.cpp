// SPDX-License-Identifier: MIT
// NUMA memory policy (mempolicy.h): get_mempolicy(2) for the process, an
// address and the allowed nodes; set_mempolicy(2) modes and flags read back;
// mbind(2) on part of a mapping; set_mempolicy_home_node(2) on a bound
// range; migrate_pages(2) and move_pages(2) to the node the pages are on,
// and the node of each page (move_pages with nodes NULL); the EINVAL,
// EFAULT, EPERM, ESRCH, ENODEV and EOPNOTSUPP cases of each.
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
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
// Masks passed in: one unsigned long, nodes 0-63 (maxnode counts one more).
constexpr unsigned long kMax64 = 65;
// Masks read back: room for 1024 nodes, the largest MAX_NUMNODES.
constexpr int kLongs = 16;
constexpr unsigned long kMaxAll = kLongs * 64 + 1;

void need_numa() {
    int mode = -1;
    if (sys::get_mempolicy(&mode, nullptr, 0, nullptr, 0) == -ENOSYS)
        kc::skip_unimplemented(
            "get_mempolicy",
            "get_mempolicy: not implemented (ENOSYS; a kernel without CONFIG_NUMA)");
}

// Nodes 0-63 this process may allocate from (MPOL_F_MEMS_ALLOWED).
unsigned long allowed_nodes() {
    unsigned long m[kLongs] = {};
    int mode;
    ASSERT_OK(sys::get_mempolicy(&mode, m, kMaxAll, nullptr, MPOL_F_MEMS_ALLOWED));
    return m[0];
}

// The lowest allowed node (skips past 63, a machine this file was not
// written for).
int the_node() {
    need_numa();
    unsigned long m = allowed_nodes();
    if (!m) kc::skip("no memory node among nodes 0-63 is allowed to this process");
    return __builtin_ctzl(m);
}

// A node among 0-63 this process may not use (absent, or outside its
// cpuset).
int missing_node() {
    unsigned long m = allowed_nodes();
    if (~m == 0) kc::skip("every node of 0-63 is allowed: no missing node to name");
    return 63 - __builtin_clzl(~m);
}

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

// Runs fn(arg) in a child (policies of the process die with it).
void in_child(void (*fn)(void*), const void* arg = nullptr) {
    EXPECT_CHILD_OK(kc::spawn(fn, const_cast<void*>(arg)));
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
    in_child([](void*) {
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
    in_child(
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
    in_child(
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
    in_child(
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
    in_child([](void*) {
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
    in_child(
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
    in_child(
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
    in_child(
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
    if (r == -ENOSYS)
        kc::skip_unimplemented("set_mempolicy_home_node",
                               "set_mempolicy_home_node: not implemented (ENOSYS; Linux 5.17+)");
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
    EXPECT_EQ(status[2], -ENOENT);
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
