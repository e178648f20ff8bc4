// SPDX-License-Identifier: MIT
// sethostname(2), setdomainname(2), unshare(2). The host's names are never
// changed: every successful or merely possible change happens in a child
// that first moved to its own UTS namespace (unshare(CLONE_NEWUTS), with
// CAP_SYS_ADMIN), and the unprivileged EPERM checks pass the current name,
// so even a wrongly accepted call would change nothing. unshare is tested
// for its flag checks, the EPERM of namespace flags without CAP_SYS_ADMIN,
// each namespace kind with it (the /proc/self/ns link changes), and a user
// namespace created without privilege. The kernel checks CAP_SYS_ADMIN in
// the user namespace that owns the UTS namespace or would own the new one
// (ns_capable()): root in a user namespace has it there, root in a
// container without CAP_SYS_ADMIN does not; "unprivileged" means no
// capabilities, whatever the uid.
// Not covered: setns(2), mount/pid namespace semantics beyond creation,
// unshare in multi-threaded processes.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_system.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"

namespace {

// Which name: sethostname/nodename or setdomainname/domainname.
struct Which {
    long nr;
    bool domain;
};
constexpr Which kHost = {nr::sethostname, false};
constexpr Which kDomain = {nr::setdomainname, true};

const char* field(const utsname& u, const Which& w) { return w.domain ? u.domainname : u.nodename; }

long set_name(const Which& w, const char* name, long len) {
    return sys::syscall2(w.nr, sys::L(name), len);
}

// In a child with CAP_SYS_ADMIN (require_ns_cap in the test): a private UTS
// namespace holding the name "kc-before".
void private_uts(const Which& w) {
    ASSERT_RET(sys::unshare(CLONE_NEWUTS), 0);
    ASSERT_RET(set_name(w, "kc-before", 9), 0);
}

bool name_is(const Which& w, const char* want, usize n) {
    utsname u{};
    if (sys::uname(&u) != 0) return false;
    const char* got = field(u, w);
    for (usize i = 0; i < n; ++i) {
        if (got[i] != want[i]) return false;
    }
    return got[n] == 0;
}

// The host's current name (before a test), to compare with afterwards.
struct Saved {
    utsname u;
};
void save(Saved& s) { sys::uname(&s.u); }
void expect_unchanged(const Saved& s) {
    utsname now{};
    ASSERT_RET(sys::uname(&now), 0);
    EXPECT_MEM_EQ(now.nodename, s.u.nodename, sizeof now.nodename);
    EXPECT_MEM_EQ(now.domainname, s.u.domainname, sizeof now.domainname);
}

struct Ctx {
    const Which* w;
    const void* row;
};

// ---- the shared bodies ----------------------------------------------------

struct Len {
    const char* label;
    long len;
    int err;
};
constexpr Len kLens[] = {
    {"len=0", 0, 0},           {"len=1", 1, 0},
    {"len=3_of_longer", 3, 0}, {"len=63", 63, 0},
    {"len=64", 64, 0},         {"len=65", 65, EINVAL},
    {"len=-1", -1, EINVAL},    {"len=INT_MAX", INT_MAX, EINVAL},
};
constexpr char k70[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-._x-abc";

// sethostname(2)/setdomainname(2): "The len argument specifies the number of
// bytes in name. (Thus, name does not require a terminating null byte.)";
// 0 to 64 (HOST_NAME_MAX) bytes are accepted and read back by uname; EINVAL
// "len is negative or ... larger than the maximum allowed size" (Linux
// applies the maximum to setdomainname too), and the name does not change.
void length_boundaries(const Which& w, const Len& row) {
    Saved host;
    save(host);
    Ctx ctx{&w, &row};
    long pid = kc::spawn(
        [](void* p) {
            const Ctx& c = *static_cast<const Ctx*>(p);
            const Len& r = *static_cast<const Len*>(c.row);
            private_uts(*c.w);
            long ret = set_name(*c.w, k70, r.len);
            if (r.err) {
                EXPECT_ERR(ret, r.err);
                EXPECT_TRUE(name_is(*c.w, "kc-before", 9));
            } else {
                EXPECT_RET(ret, 0);
                EXPECT_TRUE(name_is(*c.w, k70, usize(r.len)));
            }
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
    expect_unchanged(host);
}

// EFAULT: "name is an invalid address" (in a private UTS namespace).
void bad_pointer(const Which& w) {
    long pid = kc::spawn(
        [](void* p) {
            const Which& x = *static_cast<const Which*>(p);
            private_uts(x);
            EXPECT_ERR(set_name(x, static_cast<const char*>(common::kBadPtr), 5), EFAULT);
            EXPECT_TRUE(name_is(x, "kc-before", 9));
        },
        const_cast<Which*>(&w));
    EXPECT_CHILD_OK(pid);
}

struct Attempt {
    const char* label;
    int kind;  // 0 the current name, 1 len 65, 2 len -1, 3 bad pointer
};
constexpr Attempt kAttempts[] = {
    {"current_name", 0}, {"len=65", 1}, {"len=-1", 2}, {"bad_pointer", 3}};

// EPERM: "the caller did not have the CAP_SYS_ADMIN capability in the user
// namespace associated with its UTS namespace" - checked before the length
// and the pointer. With CAP_SYS_ADMIN the child first moves to a private UTS
// namespace (owned by its own user namespace); then it drops every
// capability, which is all the check looks at.
void unprivileged(const Which& w, const Attempt& row) {
    Saved host;
    save(host);
    Ctx ctx{&w, &row};
    long pid = kc::spawn(
        [](void* p) {
            const Ctx& c = *static_cast<const Ctx*>(p);
            int kind = static_cast<const Attempt*>(c.row)->kind;
            if (kc::ns_cap_usable(CAP_SYS_ADMIN)) ASSERT_RET(sys::unshare(CLONE_NEWUTS), 0);
            ASSERT_TRUE(kc::drop_capabilities());
            utsname u{};
            ASSERT_RET(sys::uname(&u), 0);
            const char* cur = field(u, *c.w);
            long n = long(rt::strlen(cur));
            const char* name = kind == 3 ? static_cast<const char*>(common::kBadPtr) : cur;
            long len = kind == 1 ? 65 : kind == 2 ? -1 : n;
            EXPECT_ERR(set_name(*c.w, name, len), EPERM);
        },
        &ctx);
    EXPECT_CHILD_OK(pid);
    expect_unchanged(host);
}

// The change is private to the namespace: the parent still sees its name.
void namespace_private(const Which& w) {
    Saved host;
    save(host);
    long pid = kc::spawn(
        [](void* p) {
            const Which& x = *static_cast<const Which*>(p);
            private_uts(x);
            ASSERT_RET(set_name(x, "kc-uts-private", 14), 0);
            EXPECT_TRUE(name_is(x, "kc-uts-private", 14));
            long kid = kc::spawn(
                [](void* q) {
                    EXPECT_TRUE(name_is(*static_cast<const Which*>(q), "kc-uts-private", 14));
                },
                p);
            EXPECT_CHILD_OK(kid);
        },
        const_cast<Which*>(&w));
    EXPECT_CHILD_OK(pid);
    expect_unchanged(host);
}

}  // namespace

// ---------------------------------------------------------------------------
// sethostname(2)

// sethostname(2): 0 to 64 bytes, no NUL needed; EINVAL beyond or negative
// (see length_boundaries above).
TEST_P(sethostname, length_boundaries, BOUNDARY, LINUX, kLens, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    length_boundaries(kHost, row);
}
// sethostname(2) EFAULT (see bad_pointer above).
TEST(sethostname, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    bad_pointer(kHost);
}
// sethostname(2) EPERM without CAP_SYS_ADMIN, before any other check.
TEST_P(sethostname, unprivileged_eperm, NEGATIVE, LINUX, kAttempts, .flags = kc::NEEDS_FORK) {
    unprivileged(kHost, row);
}
// sethostname(2) with unshare(2) CLONE_NEWUTS: the new hostname is seen by
// the namespace (and children created in it), not by the parent.
TEST(sethostname, private_to_uts_namespace, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    namespace_private(kHost);
}

// ---------------------------------------------------------------------------
// setdomainname(2)

// setdomainname(2): the same length rules as sethostname.
TEST_P(setdomainname, length_boundaries, BOUNDARY, LINUX, kLens, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    length_boundaries(kDomain, row);
}
// setdomainname(2) EFAULT (see bad_pointer above).
TEST(setdomainname, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    bad_pointer(kDomain);
}
// setdomainname(2) EPERM without CAP_SYS_ADMIN, before any other check.
TEST_P(setdomainname, unprivileged_eperm, NEGATIVE, LINUX, kAttempts, .flags = kc::NEEDS_FORK) {
    unprivileged(kDomain, row);
}
// setdomainname(2): the NIS domain name is per UTS namespace as well.
TEST(setdomainname, private_to_uts_namespace, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    namespace_private(kDomain);
}

// ---------------------------------------------------------------------------
// unshare(2)

namespace {

// The inode number of /proc/self/ns/<name>: the namespace's identity.
long ns_id(const char* name) {
    char path[64] = "/proc/self/ns/";
    usize n = rt::strlen(path);
    for (usize i = 0; name[i] && n < sizeof path - 1; ++i) path[n++] = name[i];
    path[n] = 0;
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY);
    if (fd < 0) return fd;
    arch::Stat st{};
    long r = sys::fstat(int(fd), &st);
    sys::close(int(fd));
    return r < 0 ? r : long(st.st_ino);
}

struct Ns {
    const char* label;
    long flag;
    const char* file;  // the /proc/self/ns entry that changes
};
constexpr Ns kNamespaces[] = {
    {"newns", CLONE_NEWNS, "mnt"},
    {"newuts", CLONE_NEWUTS, "uts"},
    {"newipc", CLONE_NEWIPC, "ipc"},
    {"newnet", CLONE_NEWNET, "net"},
    {"newpid", CLONE_NEWPID, "pid_for_children"},
    {"newcgroup", CLONE_NEWCGROUP, "cgroup"},
    {"newtime", CLONE_NEWTIME, "time_for_children"},
};
constexpr Ns kAllNamespaces[] = {
    kNamespaces[0], kNamespaces[1], kNamespaces[2], kNamespaces[3],
    kNamespaces[4], kNamespaces[5], kNamespaces[6], {"newuser", CLONE_NEWUSER, "user"},
};

}  // namespace

// unshare(2) with no flags does nothing and succeeds.
TEST(unshare, zero_flags_noop, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn([](void*) { EXPECT_RET(sys::unshare(0), 0); }, nullptr);
    EXPECT_CHILD_OK(pid);
}

struct Flags {
    const char* label;
    long flags;
};
constexpr Flags kBadFlags[] = {
    {"csignal_bit", 1},
    {"clone_vfork", CLONE_VFORK},
    {"clone_parent", CLONE_PARENT},
    {"clone_pidfd", CLONE_PIDFD},
    {"clone_io", CLONE_IO},
    {"bit32", 1L << 32},
    {"newuts|csignal_bit", CLONE_NEWUTS | 1},
};
// unshare(2) EINVAL: "An invalid bit was specified in flags" - only the
// sharing and namespace flags are allowed; nothing is unshared then.
TEST_P(unshare, bad_flags_einval, NEGATIVE, LINUX, kBadFlags, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            long before = ns_id("uts");
            EXPECT_ERR(sys::unshare(static_cast<const Flags*>(p)->flags), EINVAL);
            EXPECT_EQ(ns_id("uts"), before);
        },
        const_cast<Flags*>(&row));
    EXPECT_CHILD_OK(pid);
}

constexpr Flags kSharing[] = {
    {"clone_fs", CLONE_FS},
    {"clone_files", CLONE_FILES},
    {"clone_sysvsem", CLONE_SYSVSEM},
    {"vm|sighand|thread", CLONE_VM | CLONE_SIGHAND | CLONE_THREAD},
};
// unshare(2) CLONE_FS, CLONE_FILES, CLONE_SYSVSEM, and CLONE_VM/SIGHAND/
// THREAD: in a single-threaded process these are allowed (there is nothing
// shared to undo); descriptors stay usable.
TEST_P(unshare, sharing_flags_single_thread, POSITIVE, LINUX, kSharing, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            int fds[2];
            ASSERT_RET(sys::pipe2(fds, 0), 0);
            EXPECT_RET(sys::unshare(static_cast<const Flags*>(p)->flags), 0);
            EXPECT_RET(sys::write(fds[1], "x", 1), 1);
            char c = 0;
            EXPECT_RET(sys::read(fds[0], &c, 1), 1);
            EXPECT_EQ(c, 'x');
        },
        const_cast<Flags*>(&row));
    EXPECT_CHILD_OK(pid);
}

// unshare(2) EPERM: "The calling process did not have the required privileges
// for this operation" - CAP_SYS_ADMIN (in its own user namespace) for the
// namespace flags other than CLONE_NEWUSER; a child that dropped every
// capability stays in its namespaces.
TEST_P(unshare, unprivileged_namespace_eperm, NEGATIVE, LINUX, kNamespaces,
       .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* p) {
            const Ns& n = *static_cast<const Ns*>(p);
            ASSERT_TRUE(kc::drop_capabilities());
            long before = ns_id(n.file);
            EXPECT_ERR(sys::unshare(n.flag), EPERM);
            EXPECT_EQ(ns_id(n.file), before);
        },
        const_cast<Ns*>(&row));
    EXPECT_CHILD_OK(pid);
}

// unshare(2) with each namespace flag, with CAP_SYS_ADMIN in this process's
// user namespace (what "as root" means to the kernel): "Unshare the ...
// namespace, so that the calling process has a private copy"; its
// /proc/self/ns link (for PID and time namespaces: the *_for_children link)
// names a new one, and the first child in a new PID namespace is its pid 1.
// CLONE_NEWUSER needs no capability, but without one a sysctl or security
// module may refuse it (unprivileged_user_namespace below covers that case).
TEST_P(unshare, new_namespace_as_root, POSITIVE, LINUX, kAllNamespaces, .flags = kc::NEEDS_FORK) {
    kc::require_ns_cap(CAP_SYS_ADMIN);
    if (ns_id(row.file) < 0) kc::skip("no /proc/self/ns entry to identify the namespace");
    long pid = kc::spawn(
        [](void* p) {
            const Ns& n = *static_cast<const Ns*>(p);
            long before = ns_id(n.file);
            ASSERT_RET(sys::unshare(n.flag), 0);
            if (n.flag == CLONE_NEWPID) {
                // The link dangles until the namespace's first process
                // exists; that process is its pid 1, with no parent in it.
                long kid = kc::spawn(
                    [](void*) {
                        EXPECT_EQ(sys::getpid(), 1);
                        EXPECT_EQ(sys::getppid(), 0);
                    },
                    nullptr);
                EXPECT_CHILD_OK(kid);
            }
            long after = ns_id(n.file);
            EXPECT_GT(after, 0);
            EXPECT_NE(after, before);
        },
        const_cast<Ns*>(&row));
    EXPECT_CHILD_OK(pid);
}

// unshare(2) CLONE_NEWUSER without privilege (user_namespaces(7)): the new
// namespace gives "a full set of capabilities" in it, so the process may
// then unshare a UTS namespace owned by it and set its hostname; with no id
// mapping, getuid reports the overflow uid 65534. The child drops every
// capability first. Skipped where the kernel refuses: unprivileged user
// namespaces disabled (a sysctl, a security module) or an effective uid or
// gid with no mapping in the current user namespace (unshare -U: the new
// namespace's owner must have one), both EPERM; the count or nesting limit
// reached (ENOSPC); no user namespaces at all (EINVAL).
TEST(unshare, unprivileged_user_namespace, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Saved host;
    save(host);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            long r = sys::unshare(CLONE_NEWUSER);
            if (r == -EPERM) sys::exit_group(10);
            if (r == -ENOSPC) sys::exit_group(11);
            if (r == -EINVAL) sys::exit_group(12);
            ASSERT_RET(r, 0);
            EXPECT_EQ(sys::getuid(), DEFAULT_OVERFLOWUID);
            EXPECT_TRUE(cred::has_cap(CAP_SYS_ADMIN));
            ASSERT_RET(sys::unshare(CLONE_NEWUTS), 0);
            ASSERT_RET(sys::sethostname("kc-userns", 9), 0);
            EXPECT_TRUE(name_is(kHost, "kc-userns", 9));
        },
        nullptr);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (st == 10 << 8) {
        kc::skip(
            "unshare(CLONE_NEWUSER) without capabilities: EPERM (unprivileged user "
            "namespaces disabled, or the effective uid/gid has no mapping here)");
    }
    if (st == 11 << 8) {
        kc::skip(
            "unshare(CLONE_NEWUSER): ENOSPC (user.max_user_namespaces or the nesting "
            "limit reached)");
    }
    if (st == 12 << 8) kc::skip("unshare(CLONE_NEWUSER): EINVAL (no CONFIG_USER_NS)");
    EXPECT_EQ(st, 0);
    expect_unchanged(host);
}
