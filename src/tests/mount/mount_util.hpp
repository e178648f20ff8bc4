// SPDX-License-Identifier: MIT
// Helpers shared by the mount and namespace tests (src/tests/mount/*.cpp).
// Nothing here changes a mount of the host: every test that mounts,
// unmounts, changes the root or joins a namespace does so in a child made by
// in_private_ns(), which first moves into a mount namespace of its own
// (unshare(CLONE_NEWNS) with CAP_SYS_ADMIN; else a new user namespace that
// maps the caller's own ids, with a new mount namespace in it, which is what
// unprivileged user namespaces allow) and makes every mount in it private,
// so that no mount or unmount propagates back. The file system mounted is
// always tmpfs (FS_USERNS_MOUNT: a user namespace's root may mount it), on
// directories in the scratch directory.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_mount.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"

namespace mounts {

// The exit status of a child that could not make a private mount namespace.
inline constexpr int kNoNamespace = 77;
// A child's exit status: the root is the initial ramfs (rootfs), which has no
// parent mount and cannot be pivoted (the suite as /init of an initramfs).
inline constexpr int kRootIsRootfs = 78;

// A new user namespace mapping this process's own uid and gid (so that files
// it creates on a tmpfs mounted there have an owner), with the namespaces of
// `flags` new too. False when the kernel refused or the ids are unmapped.
inline bool private_userns(long flags) {
    if (!kc::own_ids_mapped()) return false;
    u32 uid = u32(sys::geteuid()), gid = u32(sys::getegid());
    if (sys::unshare(long(CLONE_NEWUSER) | flags) != 0) return false;
    char line[48];
    rt::Fmt u(line, sizeof line);
    u.u(uid).c(' ').u(uid).s(" 1\n");
    if (!common::write_proc("/proc/self/uid_map", u.cstr())) return false;
    if (!common::write_proc("/proc/self/setgroups", "deny")) return false;
    rt::Fmt g(line, sizeof line);
    g.u(gid).c(' ').u(gid).s(" 1\n");
    return common::write_proc("/proc/self/gid_map", g.cstr());
}

// In a child: a private mount namespace (and the namespaces of `extra`) in
// which this process has CAP_SYS_ADMIN, with every mount MS_PRIVATE; exits
// with kNoNamespace when none can be had.
inline void enter_private(long extra) {
    bool ok = kc::ns_cap_usable(CAP_SYS_ADMIN) && sys::unshare(long(CLONE_NEWNS) | extra) == 0;
    if (!ok && !private_userns(long(CLONE_NEWNS) | extra)) sys::exit_group(kNoNamespace);
    ASSERT_RET(sys::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr), 0);
}

struct Job {
    void (*fn)(void*);
    void* arg;
    long extra;
    bool unprivileged;
};
inline void run_job(void* p) {
    const Job& j = *static_cast<const Job*>(p);
    if (j.unprivileged) {
        ASSERT_TRUE(kc::drop_capabilities());
    } else {
        enter_private(j.extra);
    }
    j.fn(j.arg);
}
inline void run(const Job& j) {
    long pid = kc::spawn(run_job, const_cast<Job*>(&j));
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (st == kNoNamespace << 8) {
        kc::skip(
            "needs a private mount namespace: CAP_SYS_ADMIN for unshare(CLONE_NEWNS), or "
            "unshare(CLONE_NEWUSER|CLONE_NEWNS) allowed with the own ids mapped");
    }
    if (st == kRootIsRootfs << 8)
        kc::skip("the root is the initial ramfs (rootfs), which pivot_root cannot move (EINVAL)");
    EXPECT_EQ(st, 0);
}

// Runs fn(arg) in a child inside a private mount namespace (plus the
// namespaces of `extra`, CLONE_NEW*); skips when none can be made. Called
// from the test's own thread.
inline void in_private_ns(void (*fn)(void*), const void* arg = nullptr, long extra = 0) {
    run({fn, const_cast<void*>(arg), extra, false});
}
// Runs fn(arg) in a child that dropped every capability (same ids).
inline void unprivileged(void (*fn)(void*), const void* arg = nullptr) {
    run({fn, const_cast<void*>(arg), 0, true});
}

// Skips when the kernel lacks the call (each probe fails without effect:
// bad flags or null pointers).
inline void require_fd_api() {  // fsopen, and fsconfig and fsmount with it
    if (sys::fsopen(nullptr, ~0u) == -ENOSYS)
        kc::skip_unimplemented("fsopen", "fsopen: not implemented (ENOSYS; Linux 5.2+)");
}
inline void require_open_tree() {
    if (sys::open_tree(-1, nullptr, ~0u) == -ENOSYS)
        kc::skip_unimplemented("open_tree", "open_tree: not implemented (ENOSYS; Linux 5.2+)");
}
inline void require_move_mount() {
    if (sys::move_mount(-1, nullptr, -1, nullptr, ~0u) == -ENOSYS)
        kc::skip_unimplemented("move_mount", "move_mount: not implemented (ENOSYS; Linux 5.2+)");
}
inline void require_fspick() {
    if (sys::fspick(-1, nullptr, ~0u) == -ENOSYS)
        kc::skip_unimplemented("fspick", "fspick: not implemented (ENOSYS; Linux 5.2+)");
}
inline void require_mount_setattr() {
    if (sys::mount_setattr(-1, nullptr, ~0u, nullptr, 0) == -ENOSYS)
        kc::skip_unimplemented("mount_setattr",
                               "mount_setattr: not implemented (ENOSYS; Linux 5.12+)");
}
inline void require_open_tree_attr() {
    if (sys::open_tree_attr(-1, nullptr, 0, nullptr, 1) == -ENOSYS)
        kc::skip_unimplemented("open_tree_attr",
                               "open_tree_attr: not implemented (ENOSYS; Linux 6.15+)");
}
inline void require_statmount() {  // also STATX_MNT_ID_UNIQUE, of the same release
    if (sys::statmount(nullptr, nullptr, 0, ~0u) == -ENOSYS)
        kc::skip_unimplemented("statmount", "statmount: not implemented (ENOSYS; Linux 6.8+)");
}
inline void require_listmount() {
    require_statmount();  // the ids come from statx(STATX_MNT_ID_UNIQUE)
    if (sys::listmount(nullptr, nullptr, 0, ~0u) == -ENOSYS)
        kc::skip_unimplemented("listmount", "listmount: not implemented (ENOSYS; Linux 6.8+)");
}

// ---- in the child ---------------------------------------------------------

// Makes scratch directory `name` and returns its path. By path: in a new
// mount namespace kc::scratch_fd() still refers to the directory's mount in
// the namespace it was opened in, so lookups from it do not see the mounts
// made here.
inline const char* point(const char* name) {
    const char* path = kc::scratch_path(name);
    ASSERT_OK(sys::mkdirat(AT_FDCWD, path, 0755));
    return path;
}
// Mounts a fresh tmpfs on `path` with mount(2).
inline void tmpfs_at(const char* path, const char* opts = nullptr) {
    ASSERT_RET(sys::mount("none", path, "tmpfs", 0, opts), 0);
}
// A new tmpfs as a detached mount (fsopen, FSCONFIG_CMD_CREATE, fsmount).
inline int tmpfs_fd(unsigned attr = 0) {
    kc::Fd fs(sys::fsopen("tmpfs", FSOPEN_CLOEXEC));
    ASSERT_OK(fs.get());
    ASSERT_RET(sys::fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0), 0);
    long m = sys::fsmount(fs, FSMOUNT_CLOEXEC, attr);
    ASSERT_OK(m);
    return int(m);
}
// Attaches the detached mount `mfd` on `path`.
inline long attach(int mfd, const char* path) {
    return sys::move_mount(mfd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH);
}
// Creates the file `path` (relative to dirfd): 0, or the -errno of openat.
inline long create(const char* path, int dirfd = AT_FDCWD) {
    long fd = sys::openat(dirfd, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) sys::close(int(fd));
    return fd < 0 ? fd : 0;
}
// Creates `name` in directory `dir`: 0, or the -errno of the first failure.
inline long create_in(const char* dir, const char* name) {
    long d = sys::openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return d;
    long r = create(name, int(d));
    sys::close(int(d));
    return r;
}
inline bool exists(const char* path, int dirfd = AT_FDCWD) {
    arch::Stat st;
    return sys::newfstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}
inline bool exists_in(const char* dir, const char* name) {
    long d = sys::openat(AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (d < 0) return false;
    bool r = exists(name, int(d));
    sys::close(int(d));
    return r;
}
// Scratch directory `name` with a tmpfs on it that holds the file "f".
inline const char* tmpfs_with_file(const char* name) {
    const char* m = point(name);
    tmpfs_at(m);
    ASSERT_RET(create_in(m, "f"), 0);
    return m;
}
// The unique mount id (statx STATX_MNT_ID_UNIQUE) of the mount `path` is on.
inline u64 mnt_id(const char* path, int dirfd = AT_FDCWD, int flags = 0) {
    struct statx sx {};
    ASSERT_RET(sys::statx(dirfd, path, flags, STATX_MNT_ID_UNIQUE, &sx), 0);
    ASSERT_TRUE(sx.stx_mask & STATX_MNT_ID_UNIQUE);
    return sx.stx_mnt_id;
}
// statfs(2) f_flags of the file system at `path`.
inline long fs_flags(const char* path) {
    struct statfs sf {};
    ASSERT_RET(sys::statfs(path, &sf), 0);
    return sf.f_flags;
}

}  // namespace mounts
