// SPDX-License-Identifier: MIT
// setns(2): joining namespaces back through /proc/self/ns/* descriptors (a
// UTS namespace, seen in the host name; the mount namespace, which also
// resets the root and working directory), joining another process's
// namespaces through a pidfd; EINVAL for a type mismatch, a descriptor that
// is no namespace, the caller's own user namespace and bad pidfd flags;
// EBADF; EPERM without CAP_SYS_ADMIN. Namespaces are made in a child that
// has CAP_SYS_ADMIN over them (mount_util.hpp: a new user namespace where
// the run has no capability); the host's are only ever opened.
// Left out: PID, network, IPC, cgroup and time namespace semantics after
// joining, user namespaces other than the caller's own.
#include "rt/sys_system.hpp"
#include "tests/mount/mount_util.hpp"

namespace {

constexpr u32 kFlags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH;

// The namespace files are procfs's: without /proc mounted (the suite as
// /init) there is nothing to open. Called from the test's own thread.
void require_ns_files() {
    if (sys::faccessat(AT_FDCWD, "/proc/self/ns/uts", F_OK) != 0)
        kc::skip("needs /proc/self/ns (procfs mounted on /proc)");
}

int ns_fd(const char* path) {
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}

void set_host(const char* name) { ASSERT_RET(sys::sethostname(name, long(rt::strlen(name))), 0); }
bool host_is(const char* name) {
    utsname u{};
    return sys::uname(&u) == 0 && rt::streq(u.nodename, name);
}

void require_pidfd() {
    long fd = sys::pidfd_open(int(sys::getpid()), 0);
    if (fd == -ENOSYS)
        kc::skip_unimplemented("pidfd_open", "pidfd_open: not implemented (ENOSYS; Linux 5.3+)");
    if (fd >= 0) sys::close(int(fd));
}

struct Mismatch {
    const char* label;
    const char* path;
    long nstype;
};

}  // namespace

// setns(2): "Reassociate the calling thread with the namespace referred to
// by fd" - after unsharing a second UTS namespace, the descriptor of the
// first brings back its host name, and the second's brings back its own
// (nstype 0: any type).
TEST(setns, uts_join_back, POSITIVE, LINUX, .flags = kFlags) {
    require_ns_files();
    mounts::in_private_ns(
        [](void*) {
            set_host("kc-first");
            kc::Fd first(ns_fd("/proc/self/ns/uts"));
            ASSERT_RET(sys::unshare(CLONE_NEWUTS), 0);
            set_host("kc-second");
            kc::Fd second(ns_fd("/proc/self/ns/uts"));
            EXPECT_RET(sys::setns(first, CLONE_NEWUTS), 0);
            EXPECT_TRUE(host_is("kc-first"));
            EXPECT_RET(sys::setns(second, 0), 0);
            EXPECT_TRUE(host_is("kc-second"));
        },
        nullptr, CLONE_NEWUTS);
}

// setns(2) with a mount namespace: "the caller's root directory and current
// working directory are reset to the root" of it - so joining the
// namespace the process is in undoes a chroot and a chdir.
TEST(setns, mnt_resets_root_and_cwd, POSITIVE, LINUX, .flags = kFlags) {
    require_ns_files();
    mounts::in_private_ns([](void*) {
        kc::Fd mnt(ns_fd("/proc/self/ns/mnt"));
        const char* r = mounts::point("r");
        ASSERT_RET(sys::chdir(r), 0);
        ASSERT_RET(sys::chroot(r), 0);
        EXPECT_TRUE(!mounts::exists("/proc/self"));
        ASSERT_RET(sys::setns(mnt, CLONE_NEWNS), 0);
        EXPECT_TRUE(mounts::exists("/proc/self"));
        char cwd[8] = {};
        EXPECT_RET(sys::getcwd(cwd, sizeof cwd), 2);
        EXPECT_TRUE(rt::streq(cwd, "/"));
    });
}

// setns(2) with a pidfd (Linux 5.8): "fd may refer to a process ... nstype
// is a bit mask of the namespaces to join": a child in a UTS namespace of
// its own joins its parent's and sees the parent's host name.
TEST(setns, pidfd_joins_process_namespaces, POSITIVE, LINUX, .flags = kFlags) {
    require_pidfd();
    mounts::in_private_ns(
        [](void*) {
            set_host("kc-parent");
            long pid = kc::spawn(
                [](void*) {
                    kc::Fd p(sys::pidfd_open(int(sys::getppid()), 0));
                    ASSERT_OK(p.get());
                    ASSERT_RET(sys::unshare(CLONE_NEWUTS), 0);
                    set_host("kc-child");
                    EXPECT_RET(sys::setns(p, CLONE_NEWUTS), 0);
                    EXPECT_TRUE(host_is("kc-parent"));
                },
                nullptr);
            EXPECT_CHILD_OK(pid);
        },
        nullptr, CLONE_NEWUTS);
}

constexpr Mismatch kMismatches[] = {
    {"uts_as_net", "/proc/self/ns/uts", CLONE_NEWNET},
    {"uts_as_mnt", "/proc/self/ns/uts", CLONE_NEWNS},
    {"mnt_as_uts", "/proc/self/ns/mnt", CLONE_NEWUTS},
    {"uts_as_two_types", "/proc/self/ns/uts", CLONE_NEWUTS | CLONE_NEWIPC},
};
// setns(2) EINVAL: "fd refers to a namespace whose type does not match that
// specified in nstype" - found before the privilege check, so a caller
// without capabilities gets it too.
TEST_P(setns, nstype_mismatch_einval, NEGATIVE, LINUX, kMismatches, .flags = kc::NEEDS_FORK) {
    require_ns_files();
    mounts::unprivileged(
        [](void* p) {
            const Mismatch& m = *static_cast<const Mismatch*>(p);
            kc::Fd fd(ns_fd(m.path));
            EXPECT_ERR(sys::setns(fd, m.nstype), EINVAL);
        },
        &row);
}

// setns(2): EBADF "fd is not a valid file descriptor"; EINVAL when it is
// neither a namespace nor a pidfd (a directory).
TEST(setns, bad_descriptor, NEGATIVE, LINUX, .flags = kFlags) {
    mounts::unprivileged([](void*) {
        EXPECT_ERR(sys::setns(INT_MAX, 0), EBADF);
        EXPECT_ERR(sys::setns(-1, 0), EBADF);
        EXPECT_ERR(sys::setns(kc::scratch_fd(), 0), EINVAL);
    });
}

// setns(2) EINVAL: "The caller attempted to join the user namespace in which
// it is already a member" (with or without capabilities).
TEST(setns, own_user_namespace_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_ns_files();
    mounts::unprivileged([](void*) {
        kc::Fd fd(ns_fd("/proc/self/ns/user"));
        EXPECT_ERR(sys::setns(fd, CLONE_NEWUSER), EINVAL);
    });
}

// setns(2) EPERM: "The calling thread did not have the required capability
// for this operation" (CAP_SYS_ADMIN over the namespace), even for the
// namespaces it is in.
TEST(setns, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_ns_files();
    mounts::unprivileged([](void*) {
        kc::Fd uts(ns_fd("/proc/self/ns/uts"));
        kc::Fd mnt(ns_fd("/proc/self/ns/mnt"));
        EXPECT_ERR(sys::setns(uts, CLONE_NEWUTS), EPERM);
        EXPECT_ERR(sys::setns(mnt, 0), EPERM);
    });
}

// setns(2) with a pidfd: EINVAL when nstype is 0 or holds a flag that names
// no namespace (CLONE_VM) - a pidfd needs an explicit set of namespaces.
TEST(setns, pidfd_bad_nstype_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_pidfd();
    mounts::unprivileged([](void*) {
        kc::Fd p(sys::pidfd_open(int(sys::getpid()), 0));
        ASSERT_OK(p.get());
        EXPECT_ERR(sys::setns(p, 0), EINVAL);
        EXPECT_ERR(sys::setns(p, CLONE_NEWUTS | CLONE_VM), EINVAL);
    });
}
