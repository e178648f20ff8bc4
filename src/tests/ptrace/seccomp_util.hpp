// SPDX-License-Identifier: MIT
// Helpers of the seccomp tests (seccomp.cpp, seccomp_scope.cpp): classic-BPF
// instructions, a filter that matches one system call, installing it (with
// NO_NEW_PRIVS), and running a sandbox in a non-dumpable child.
#pragma once

#include "rt/sys_cred.hpp"
#include "rt/sys_seccomp.hpp"
#include "tests/ptrace/pt_util.hpp"

namespace seccomp_filter {

inline constexpr sock_filter ld(u32 off) { return {BPF_LD | BPF_W | BPF_ABS, 0, 0, off}; }
inline constexpr sock_filter jeq(u32 k, u8 jt, u8 jf) {
    return {BPF_JMP | BPF_JEQ | BPF_K, jt, jf, k};
}
inline constexpr sock_filter ret(u32 action) { return {BPF_RET | BPF_K, 0, 0, action}; }

// "if (arch == a && nr == n) return act; return ALLOW".
struct Match {
    sock_filter f[6];
};
inline Match match(u32 act, long n = nr::getppid, u32 a = arch::AUDIT_ARCH) {
    return {{ld(4), jeq(a, 0, 3), ld(0), jeq(u32(n), 0, 1), ret(act), ret(SECCOMP_RET_ALLOW)}};
}

inline long install(const sock_filter* f, u16 len, unsigned flags = 0) {
    sock_fprog p{len, f};
    sys::prctl(PR_SET_NO_NEW_PRIVS, 1);
    return sys::seccomp(SECCOMP_SET_MODE_FILTER, flags, &p);
}
inline long install_match(u32 act, long n = nr::getppid, u32 a = arch::AUDIT_ARCH,
                          unsigned flags = 0) {
    Match m = match(act, n, a);
    return install(m.f, 6, flags);
}

// SKIPs when the suite itself already runs under seccomp (a container's
// profile): the tests assume that a fresh child starts in mode 0.
inline void require_no_seccomp() {
    long mode = sys::prctl(PR_GET_SECCOMP);
    // Linux built without CONFIG_SECCOMP answers EINVAL: an optional feature.
    if (mode == -EINVAL) kc::skip("no seccomp in this kernel (PR_GET_SECCOMP: EINVAL)");
    if (mode > 0) kc::skip("the suite already runs under a seccomp filter");
    ASSERT_RET(mode, SECCOMP_MODE_DISABLED);
}

// Runs fn(arg) in a non-dumpable child (kc::spawn: checks in it count) and
// returns its wait status; the child is reaped on every path.
inline int in_child(void (*fn)(void*), const void* arg) {
    require_no_seccomp();
    struct Call {
        void (*fn)(void*);
        const void* arg;
    } call{fn, arg};
    Kid k;
    k.pid = kc::spawn(
        [](void* c) {
            sys::prctl(PR_SET_DUMPABLE, 0);
            auto* call = static_cast<Call*>(c);
            call->fn(const_cast<void*>(call->arg));
        },
        &call);
    if (!EXPECT_GT(k.pid, 0)) {
        k.pid = 0;
        return -1;
    }
    return k.wait();
}
inline bool killed_by(int st, int sig) { return wifsignaled(st) && wtermsig(st) == sig; }

// What a child (or its signal handler) reports back to the check.
inline volatile int g_state;
inline volatile long g_result;
inline siginfo g_info;

}  // namespace seccomp_filter
