// What the kernel's user-namespace checks will decide for this process, for
// tests whose expected result depends on them: whether its own ids are
// mapped in its user namespace (the kernel rejects an unmapped id with
// EINVAL wherever a call takes one: IPC_SET, SCM_CREDENTIALS), and whether
// its user namespace owns one of its other namespaces (ns_capable() checks
// a capability against the owner of the IPC, pid or network namespace, so
// `unshare -r` alone, which keeps the initial IPC namespace, does not get
// CAP_IPC_OWNER over it). Shared by the SysV IPC and socket tests; the
// harness probe (kc::environment()) is where these facts belong once more
// areas need them.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"

namespace userns {

// True when `id` lies in one of the "inside outside count" lines of a
// /proc/self/{uid,gid}_map text.
inline bool map_contains(const char* map, u32 id) {
    const char* p = map;
    while (*p) {
        u64 v[3];
        for (u64& x : v) {
            while (*p == ' ' || *p == '\t') ++p;
            x = 0;
            while (*p >= '0' && *p <= '9') x = x * 10 + u64(*p++ - '0');
        }
        if (id >= v[0] && id - v[0] < v[2]) return true;
        while (*p && *p != '\n') ++p;
        if (*p == '\n') ++p;
    }
    return false;
}

// Reads a small /proc file; false when it cannot be opened.
inline bool read_proc(const char* path, char* buf, usize n) {
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long got = sys::read(int(fd), buf, n - 1);
    sys::close(int(fd));
    buf[got > 0 ? got : 0] = 0;
    return true;
}

// True when this process's effective uid and gid are mapped in its user
// namespace. After `unshare -U` nothing is mapped: the ids read back as the
// overflow id 65534, and every call that takes an id back (IPC_SET with the
// owner it read, SCM_CREDENTIALS naming itself) fails with EINVAL. Without
// /proc the run is taken to be in the initial namespace, where every id is
// mapped (as the harness probe does). An unmapped process whose overflow id
// happens to be mapped to someone else is taken as mapped; no environment
// that kconform knows of sets that up.
inline bool own_ids_mapped() {
    char map[512];
    if (!read_proc("/proc/self/uid_map", map, sizeof map)) return kc::environment().initial_userns;
    if (!map_contains(map, u32(sys::geteuid()))) return false;
    if (!read_proc("/proc/self/gid_map", map, sizeof map)) return false;
    return map_contains(map, u32(sys::getegid()));
}

// True when this process's user namespace owns its namespace of kind `ns`
// ("ipc", "pid", "net": /proc/self/ns/<ns>; "pid" is the active pid
// namespace, the one the kernel checks). NS_GET_USERNS names the owner; it is
// EPERM when the owner is an ancestor of this user namespace (outside its
// scope), so an error means "not ours". False without /proc.
inline bool owns_namespace(const char* ns) {
    constexpr unsigned long NS_GET_USERNS = 0xb701;  // _IO(0xb7, 0x1), linux/nsfs.h
    char path[32];
    rt::Fmt f(path, sizeof path);
    f.s("/proc/self/ns/").s(ns);
    long fd = sys::openat(AT_FDCWD, f.cstr(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long owner = sys::ioctl(int(fd), NS_GET_USERNS, 0);
    sys::close(int(fd));
    if (owner < 0) return false;
    long self = sys::openat(AT_FDCWD, "/proc/self/ns/user", O_RDONLY | O_CLOEXEC);
    arch::Stat a{}, b{};
    bool same = self >= 0 && sys::fstat(int(owner), &a) == 0 && sys::fstat(int(self), &b) == 0 &&
                a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    sys::close(int(owner));
    if (self >= 0) sys::close(int(self));
    return same;
}

// A capability that the kernel checks with ns_capable() against the user
// namespace owning this process's namespace `ns`: in the effective set, and
// that namespace owned by the initial user namespace (this run is in it) or
// by this process's own.
inline bool cap_over_namespace(int cap, const char* ns) {
    return kc::ns_cap_usable(cap) && (kc::cap_usable(cap) || owns_namespace(ns));
}

}  // namespace userns
