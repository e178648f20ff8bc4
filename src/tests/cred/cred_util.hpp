// SPDX-License-Identifier: MIT
// Helpers of the credentials tests (src/tests/cred/*.cpp, src/tests/id/getuid.cpp):
// which ids this process's user namespace maps, a child that gives up its
// privileges, and a child that becomes uid 0.
//
// What a test may do is decided from what the kernel allows, never from
// geteuid() == 0: in a user namespace (unshare -r, bubblewrap) uid 0 has
// every capability but only one id is mapped. The set*id calls and setfs*id
// validate every id against the namespace's map before they look at
// privilege (kernel/sys.c: an unmapped id is EINVAL, setfs*id ignores it),
// and setgroups rejects an unmapped gid with EINVAL. A test that sets fixed
// ids therefore needs them mapped, and says so when they are not.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"

namespace cred {

// (uid_t)-1: "leave unchanged" for setre*id and setres*id.
inline constexpr u32 kNoId = 0xffffffffu;

// The calling process's effective/permitted/inheritable sets, 64 bits each.
struct Caps {
    u64 eff, prm, inh;
};
inline bool get_caps(int pid, Caps* c) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, pid};
    __user_cap_data_struct d[2] = {};
    if (sys::capget(&h, d) != 0) return false;
    c->eff = d[0].effective | u64(d[1].effective) << 32;
    c->prm = d[0].permitted | u64(d[1].permitted) << 32;
    c->inh = d[0].inheritable | u64(d[1].inheritable) << 32;
    return true;
}
inline long set_caps(const Caps& c) {
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d[2] = {{u32(c.eff), u32(c.prm), u32(c.inh)},
                                   {u32(c.eff >> 32), u32(c.prm >> 32), u32(c.inh >> 32)}};
    return sys::capset(&h, d);
}
inline constexpr u64 capbit(int cap) { return 1ull << cap; }
// True when the calling process has `cap` in its effective set.
inline bool has_cap(int cap) {
    Caps c{};
    return get_caps(0, &c) && (c.eff & capbit(cap));
}

// The real, effective and saved uid (or gid) of a process.
struct Ids {
    u32 r, e, s;
};

inline Ids current_ids(bool gid) {
    Ids v{7, 7, 7};
    if (gid) {
        sys::getresgid(&v.r, &v.e, &v.s);
    } else {
        sys::getresuid(&v.r, &v.e, &v.s);
    }
    return v;
}

inline bool is_own(const Ids& v, u32 id) { return id == v.r || id == v.e || id == v.s; }

// Skips the test unless ids [first, first + count) are mapped: "needs uid
// 1000 mapped in this user namespace".
inline void require_mapped(bool gid, u32 first, u32 count = 1) {
    if (kc::ids_mapped(gid, first, count)) return;
    char buf[120];
    rt::Fmt f(buf, sizeof buf);
    f.s("needs ").s(gid ? "gid" : "uid").s(count > 1 ? "s " : " ").u(first);
    if (count > 1) f.s(" to ").u(u64(first) + count - 1);
    f.s(" mapped in this user namespace");
    kc::skip(f.cstr());
}

template <usize N>
inline void require_mapped(bool gid, const u32 (&ids)[N]) {
    for (u32 id : ids) require_mapped(gid, id);
}

// Whether become_unprivileged() switches users: the run has capabilities and
// can become kc::other_uid()/other_gid() without supplementary groups.
inline bool unprivileged_switches_user() {
    const kc::Environment& e = kc::environment();
    return e.caps && e.nother_uids && e.nother_gids && !e.setgroups_error;
}

// Why unprivileged_switches_user() is false, for skip reasons.
inline const char* why_no_user_switch() {
    const kc::Environment& e = kc::environment();
    if (!e.caps) return "the run has no capabilities";
    if (!e.nother_uids || !e.nother_gids) {
        int err = e.nother_uids ? e.gid_switch_error : e.uid_switch_error;
        return err == -EINVAL ? "no other id is mapped in this user namespace"
                              : "the kernel refuses to switch ids";
    }
    return "setgroups is refused here";
}

// The uids (gids) a child has after become_unprivileged(), as the test
// thread knows them beforehand.
inline Ids unprivileged_ids(bool gid) {
    if (!unprivileged_switches_user()) return current_ids(gid);
    u32 id = gid ? kc::environment().other_gids[0] : kc::environment().other_uids[0];
    return {id, id, id};
}

// In a child: gives up every capability. When the run can switch users it
// first becomes kc::other_uid()/other_gid() with no supplementary groups, so
// that it is not uid 0 either (uid 0 regains capabilities on execve, and is
// the owner of the harness's files); otherwise (a user namespace that maps
// one id, or a run without CAP_SETUID) it keeps its ids. The capability sets
// are cleared in both cases: a non-root uid that switches users keeps its
// permitted set (capabilities(7)). Returns false when a step failed.
inline bool become_unprivileged() {
    if (unprivileged_switches_user() && !kc::become_other_user()) return false;
    return kc::drop_capabilities();
}

// The test's children can make uid 0 their real, effective and saved uid,
// which is what the capability rules of setuid and execve key on
// (capabilities(7)): the run already is uid 0, or it has CAP_SETUID and uid
// 0 is mapped. become_root() makes the change in the child.
inline void require_root() {
    Ids u = current_ids(false);
    if (u.r == 0 && u.e == 0 && u.s == 0) return;
    kc::require_ns_cap(CAP_SETUID);
    require_mapped(false, 0);
}
inline bool become_root() { return sys::setresuid(0, 0, 0) == 0; }

// The calling process has `cap` in its bounding set (what execve may grant,
// and the limit of what capset may add to the inheritable set); skips if not.
inline void require_bounding(int cap) {
    if (sys::prctl(PR_CAPBSET_READ, cap) == 1) return;
    char buf[80];
    rt::Fmt f(buf, sizeof buf);
    f.s("needs ").s(kc::cap_name(cap)).s(" in the bounding set");
    kc::skip(f.cstr());
}

}  // namespace cred
