// SPDX-License-Identifier: MIT
// Landlock: landlock_create_ruleset(2), landlock_add_rule(2) and
// landlock_restrict_self(2) (Documentation/userspace-api/landlock.rst, the
// man pages). Covered: the ABI version query, ruleset creation and its
// argument checks (flags, size, unknown or empty access rights), path-beneath
// rules and theirs (descriptors, access masks), and enforcement: in a child
// with no_new_privs, opening a file outside the allowed directory fails with
// EACCES while inside works, unhandled access stays allowed, the domain is
// inherited, and at most 16 layers stack. Only ABI 1 access rights are
// used, so that the tests hold from Linux 5.13 on. Restrictions only ever
// apply to a child. Landlock disabled at boot (EOPNOTSUPP) skips.
// Not covered: network rules (ABI 4), scoping (ABI 6), LANDLOCK_ACCESS_FS_REFER
// and truncate/ioctl rights, audit logging flags of restrict_self (ABI 7).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_landlock.hpp"
#include "tests/common/common_util.hpp"

namespace {

constexpr u64 kRead = LANDLOCK_ACCESS_FS_READ_FILE, kWrite = LANDLOCK_ACCESS_FS_WRITE_FILE;

// Skips when the kernel lacks Landlock or it is disabled at boot.
void require_landlock() {
    long r = sys::landlock_create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (r == -ENOSYS)
        kc::skip_unimplemented("landlock_create_ruleset",
                               "landlock_create_ruleset: not implemented (ENOSYS; Linux 5.13+)");
    if (r == -EOPNOTSUPP) kc::skip("Landlock is disabled at boot (lsm= without landlock)");
}

// A ruleset handling `handled` file-system rights; the fd or -errno.
long make_ruleset(u64 handled) {
    landlock_ruleset_attr a{handled, 0, 0};
    return sys::landlock_create_ruleset(&a, sizeof a.handled_access_fs, 0);
}

// scratch/allowed/f and scratch/denied/f, each holding "ok".
void make_tree() {
    int d = kc::scratch_fd();
    static const char* const kDirs[] = {"allowed", "denied"};
    static const char* const kFiles[] = {"allowed/f", "denied/f"};
    for (const char* dir : kDirs) ASSERT_RET(sys::mkdirat(d, dir, 0700), 0);
    for (const char* f : kFiles) {
        kc::Fd fd(sys::openat(d, f, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        ASSERT_OK(fd.get());
        ASSERT_RET(sys::write(fd, "ok", 2), 2);
    }
}

// Adds a path-beneath rule granting `access` under scratch/<dir>.
long allow_beneath(int ruleset, const char* dir, u64 access) {
    kc::Fd parent(sys::openat(kc::scratch_fd(), dir, O_PATH | O_CLOEXEC));
    landlock_path_beneath_attr rule{access, parent.get()};
    return sys::landlock_add_rule(ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
}

// Opening scratch/<path> with `flags`: 0 when it opened, else -errno.
long try_open(const char* path, int flags) {
    long fd = sys::openat(kc::scratch_fd(), path, flags | O_CLOEXEC);
    if (fd < 0) return fd;
    sys::close(int(fd));
    return 0;
}

// The enforcement tests' set-up: the tree, and a ruleset handling `handled`
// that allows `allowed` beneath scratch/allowed. Returns the ruleset fd.
int restricted_setup(u64 handled, u64 allowed) {
    require_landlock();
    make_tree();
    long rs = make_ruleset(handled);
    ASSERT_GE(rs, 0);
    if (allow_beneath(int(rs), "allowed", allowed) != 0) ADD_FAILURE("landlock_add_rule failed");
    return int(rs);
}

// In a child: no_new_privs, then the ruleset of `fd` enforced.
void enforce(int fd) {
    ASSERT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0);
    ASSERT_RET(sys::landlock_restrict_self(fd, 0), 0);
}

}  // namespace

// ---------------------------------------------------------------------------
// landlock_create_ruleset(2)

// landlock_create_ruleset(2): with LANDLOCK_CREATE_RULESET_VERSION, a NULL
// attr and size 0, "the returned value is the highest supported Landlock
// ABI version" (1 on Linux 5.13, 7 on 6.15+).
TEST(landlock_create_ruleset, abi_version, POSITIVE, LINUX) {
    require_landlock();
    long v = sys::landlock_create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    EXPECT_GE(v, 1);
    EXPECT_LT(v, 100);
}

struct VersionArgs {
    const char* label;
    bool attr;
    usize size;
    u32 flags;
};
constexpr VersionArgs kBadVersion[] = {
    {"with_attr", true, 0, LANDLOCK_CREATE_RULESET_VERSION},
    {"with_size", false, 8, LANDLOCK_CREATE_RULESET_VERSION},
    {"version|bit31", false, 0, LANDLOCK_CREATE_RULESET_VERSION | 1u << 31},
    {"flags=bit31", false, 0, 1u << 31},
    {"flags=bit31,attr", true, 8, 1u << 31},
};
// landlock_create_ruleset(2) EINVAL: "Unknown flags", and the version query
// with an attr or a size; unknown flags are refused before attr is read.
TEST_P(landlock_create_ruleset, bad_flags_einval, NEGATIVE, LINUX, kBadVersion) {
    require_landlock();
    landlock_ruleset_attr a{kRead, 0, 0};
    EXPECT_ERR(sys::landlock_create_ruleset(row.attr ? &a : nullptr, row.size, row.flags), EINVAL);
}

// landlock_create_ruleset(2): the result is a new descriptor with
// close-on-exec set; read(2) on it is EINVAL (a ruleset is no stream).
TEST(landlock_create_ruleset, ruleset_fd, POSITIVE, LINUX) {
    require_landlock();
    kc::Fd fd(make_ruleset(kRead | kWrite));
    ASSERT_OK(fd.get());
    EXPECT_RET(sys::fcntl(fd, F_GETFD), FD_CLOEXEC);
    char c;
    EXPECT_ERR(sys::read(fd, &c, 1), EINVAL);
}

struct Size {
    const char* label;
    usize size;
    int err;
};
constexpr Size kSizes[] = {
    {"size=0", 0, EINVAL},      {"size=4", 4, EINVAL},        {"size=7", 7, EINVAL},
    {"size=8", 8, 0},           {"size=64,zero_tail", 64, 0}, {"size=4096,zero_tail", 4096, 0},
    {"size=4097", 4097, E2BIG},
};
// landlock_create_ruleset(2): size is the caller's struct size; "EINVAL
// ... too small size" (less than handled_access_fs), larger sizes are
// accepted when the bytes the kernel does not know are zero, E2BIG past a
// page.
TEST_P(landlock_create_ruleset, attr_size, BOUNDARY, LINUX, kSizes) {
    require_landlock();
    static u8 buf[4100];
    __builtin_memset(buf, 0, sizeof buf);
    *reinterpret_cast<u64*>(buf) = kRead;
    long r = sys::landlock_create_ruleset(buf, row.size, 0);
    kc::Fd fd(r);
    if (row.err) {
        EXPECT_ERR(r, row.err);
    } else {
        EXPECT_GE(r, 0);
    }
}

// landlock_create_ruleset(2) E2BIG: a size larger than the kernel's struct
// with a non-zero byte beyond what it knows.
TEST(landlock_create_ruleset, nonzero_tail_e2big, BOUNDARY, LINUX) {
    require_landlock();
    u64 buf[32] = {kRead};
    buf[31] = 1;
    EXPECT_ERR(sys::landlock_create_ruleset(buf, sizeof buf, 0), E2BIG);
}

// landlock_create_ruleset(2) ENOMSG: "Empty accesses (i.e.,
// attr->handled_access_fs is 0)" - a ruleset that restricts nothing.
TEST(landlock_create_ruleset, empty_access_enomsg, NEGATIVE, LINUX) {
    require_landlock();
    EXPECT_ERR(make_ruleset(0), ENOMSG);
}

// landlock_create_ruleset(2) EINVAL: "Unknown ... access" - a bit beyond the
// rights this kernel knows.
TEST(landlock_create_ruleset, unknown_access_einval, NEGATIVE, LINUX) {
    require_landlock();
    EXPECT_ERR(make_ruleset(1ull << 63), EINVAL);
    EXPECT_ERR(make_ruleset(kRead | 1ull << 40), EINVAL);
}

// landlock_create_ruleset(2) EFAULT: attr is not readable.
TEST(landlock_create_ruleset, bad_attr_efault, NEGATIVE, LINUX) {
    require_landlock();
    EXPECT_ERR(sys::landlock_create_ruleset(nullptr, 8, 0), EFAULT);
    EXPECT_ERR(sys::landlock_create_ruleset(common::kBadPtr, 8, 0), EFAULT);
}

// ---------------------------------------------------------------------------
// landlock_add_rule(2)

// landlock_add_rule(2): a path-beneath rule granting handled rights on a
// directory is accepted, also a second rule for the same directory.
TEST(landlock_add_rule, path_beneath, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_landlock();
    make_tree();
    kc::Fd rs(make_ruleset(kRead | kWrite));
    ASSERT_OK(rs.get());
    EXPECT_RET(allow_beneath(rs, "allowed", kRead), 0);
    EXPECT_RET(allow_beneath(rs, "allowed", kRead | kWrite), 0);
    EXPECT_RET(allow_beneath(rs, "allowed/f", kRead), 0);
}

struct Access {
    const char* label;
    u64 allowed;
    int err;
};
constexpr Access kBadAccess[] = {
    {"empty", 0, ENOMSG},
    {"not_handled", LANDLOCK_ACCESS_FS_EXECUTE, EINVAL},
    {"handled+unhandled", kRead | LANDLOCK_ACCESS_FS_EXECUTE, EINVAL},
    {"unknown_bit", 1ull << 63, EINVAL},
};
// landlock_add_rule(2): ENOMSG "Empty accesses (e.g.,
// rule_attr->allowed_access is 0)"; EINVAL when allowed_access "is not a
// subset of the ruleset handled accesses".
TEST_P(landlock_add_rule, bad_access, NEGATIVE, LINUX, kBadAccess, .flags = kc::NEEDS_SCRATCH) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead | kWrite));
    ASSERT_OK(rs.get());
    landlock_path_beneath_attr rule{row.allowed, kc::scratch_fd()};
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0), row.err);
}

// landlock_add_rule(2) EINVAL: "flags is not 0", and a rule type that does
// not exist.
TEST(landlock_add_rule, bad_flags_and_type_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    landlock_path_beneath_attr rule{kRead, kc::scratch_fd()};
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 1), EINVAL);
    EXPECT_ERR(sys::landlock_add_rule(rs, 99, &rule, 0), EINVAL);
    EXPECT_ERR(sys::landlock_add_rule(rs, 0, &rule, 0), EINVAL);
}

// landlock_add_rule(2): EBADF "ruleset_fd is not a file descriptor for the
// current thread, or a member of rule_attr is not a file descriptor";
// EBADFD "ruleset_fd is not a ruleset file descriptor, or a member of
// rule_attr is not the expected file descriptor type" (a pipe: pipefs
// cannot be mounted; a ruleset).
TEST(landlock_add_rule, bad_descriptors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    landlock_path_beneath_attr rule{kRead, kc::scratch_fd()};
    EXPECT_ERR(sys::landlock_add_rule(-1, LANDLOCK_RULE_PATH_BENEATH, &rule, 0), EBADF);
    EXPECT_ERR(sys::landlock_add_rule(kc::scratch_fd(), LANDLOCK_RULE_PATH_BENEATH, &rule, 0),
               EBADFD);
    rule.parent_fd = -1;
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0), EBADF);
    kc::Pipe p;
    ASSERT_RET(p.r, 0);
    rule.parent_fd = p.rd;
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0), EBADFD);
    rule.parent_fd = rs;
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0), EBADFD);
}

// landlock_add_rule(2) EFAULT: "rule_attr was not a valid address".
TEST(landlock_add_rule, bad_rule_pointer_efault, NEGATIVE, LINUX) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, common::kBadPtr, 0), EFAULT);
    EXPECT_ERR(sys::landlock_add_rule(rs, LANDLOCK_RULE_PATH_BENEATH, nullptr, 0), EFAULT);
}

// ---------------------------------------------------------------------------
// landlock_restrict_self(2)

// landlock_restrict_self(2): once enforced, a handled access is allowed
// only beneath a directory with a rule granting it: reading
// scratch/allowed/f works, reading scratch/denied/f is EACCES. (In a child
// with no_new_privs.)
TEST(landlock_restrict_self, enforces_path_rules, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::Fd rs(restricted_setup(kRead, kRead));
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            enforce(*static_cast<int*>(p));
            EXPECT_RET(try_open("allowed/f", O_RDONLY), 0);
            EXPECT_ERR(try_open("denied/f", O_RDONLY), EACCES);
        },
        &rs));
    // The test's own process is not restricted.
    EXPECT_RET(try_open("denied/f", O_RDONLY), 0);
}

// landlock_restrict_self(2): access rights the ruleset does not handle stay
// allowed everywhere (a write-only ruleset leaves reading alone), and a rule
// grants only what it names.
TEST(landlock_restrict_self, unhandled_access_allowed, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::Fd rs(restricted_setup(kWrite, kWrite));
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            enforce(*static_cast<int*>(p));
            EXPECT_RET(try_open("denied/f", O_RDONLY), 0);
            EXPECT_ERR(try_open("denied/f", O_WRONLY), EACCES);
            EXPECT_RET(try_open("allowed/f", O_WRONLY), 0);
        },
        &rs));
}

// landlock_restrict_self(2): "the new domain is inherited by children" - a
// process forked after the restriction is restricted too.
TEST(landlock_restrict_self, inherited_by_children, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::Fd rs(restricted_setup(kRead, kRead));
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            enforce(*static_cast<int*>(p));
            EXPECT_CHILD_OK(kc::spawn(
                [](void*) {
                    EXPECT_ERR(try_open("denied/f", O_RDONLY), EACCES);
                    EXPECT_RET(try_open("allowed/f", O_RDONLY), 0);
                },
                nullptr));
        },
        &rs));
}

// landlock_restrict_self(2) EPERM: "the current thread is not running with
// no_new_privs, or it doesn't have CAP_SYS_ADMIN in its namespace" (a child
// without capabilities and without no_new_privs).
TEST(landlock_restrict_self, without_no_new_privs_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_landlock();
    // no_new_privs cannot be cleared once set (bwrap, systemd's
    // NoNewPrivileges= and container runtimes set it for the whole run).
    if (sys::prctl(PR_GET_NO_NEW_PRIVS) == 1)
        kc::skip("needs a run without no_new_privs (it is set, and cannot be cleared)");
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), 0);
            EXPECT_ERR(sys::landlock_restrict_self(*static_cast<int*>(p), 0), EPERM);
        },
        &rs));
}

// landlock_restrict_self(2): EINVAL "flags is not 0" (bit 31 is no flag in
// any ABI), EBADF "ruleset_fd is not a file descriptor", EBADFD "ruleset_fd
// is not a ruleset file descriptor".
TEST(landlock_restrict_self, bad_arguments, NEGATIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            int fd = *static_cast<int*>(p);
            ASSERT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0);
            EXPECT_ERR(sys::landlock_restrict_self(fd, 1u << 31), EINVAL);
            EXPECT_ERR(sys::landlock_restrict_self(1000000, 0), EBADF);
            EXPECT_ERR(sys::landlock_restrict_self(kc::scratch_fd(), 0), EBADFD);
        },
        &rs));
}

// landlock_restrict_self(2) E2BIG: "The maximum number of stacked rulesets
// is reached for the current thread" - 16 layers (LANDLOCK_MAX_NUM_LAYERS).
TEST(landlock_restrict_self, sixteen_layers_e2big, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    require_landlock();
    kc::Fd rs(make_ruleset(kRead));
    ASSERT_OK(rs.get());
    EXPECT_CHILD_OK(kc::spawn(
        [](void* p) {
            int fd = *static_cast<int*>(p);
            ASSERT_RET(sys::prctl(PR_SET_NO_NEW_PRIVS, 1), 0);
            for (int i = 0; i < 16; ++i) ASSERT_RET(sys::landlock_restrict_self(fd, 0), 0);
            EXPECT_ERR(sys::landlock_restrict_self(fd, 0), E2BIG);
        },
        &rs));
}
