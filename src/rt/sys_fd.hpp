// Wrappers and constants for the file-descriptor I/O and pipe tests, beyond
// what rt/sys.hpp already has. Everything here is the same on every 64-bit
// Linux architecture kconform supports.
#pragma once

#include "rt/sys.hpp"

// getrlimit/setrlimit through prlimit64, the one form every architecture has.
struct rlimit64 {
    u64 rlim_cur;
    u64 rlim_max;
};
inline constexpr int RLIMIT_NOFILE = 7;
inline constexpr u64 RLIM64_INFINITY = ~0ull;

inline constexpr int IOV_MAX = 1024;  // UIO_MAXIOV
inline constexpr long SSIZE_MAX = LONG_MAX;
inline constexpr int O_NOTIFICATION_PIPE = O_EXCL;  // pipe2 only (CONFIG_WATCH_QUEUE)
inline constexpr u32 S_IFMT = 0170000, S_IFIFO = 0010000, S_IFREG = 0100000;

// capget(2), version 3: two 32-bit words per set.
struct CapHeader {
    u32 version;
    int pid;
};
struct CapData {
    u32 effective, permitted, inheritable;
};
inline constexpr u32 LINUX_CAPABILITY_VERSION_3 = 0x20080522;
inline constexpr int CAP_SYS_RESOURCE = 24;

namespace sys {

inline long prlimit64(int pid, int resource, const rlimit64* nv, rlimit64* old) {
    return syscall4(nr::prlimit64, pid, resource, L(nv), L(old));
}
inline long rt_sigpending(u64* set, usize setsize = kSigsetSize) {
    return syscall2(nr::rt_sigpending, L(set), L(setsize));
}
inline long capget(CapHeader* h, CapData* d) { return syscall2(nr::capget, L(h), L(d)); }
inline long execve(const char* path, const char* const* argv, const char* const* envp) {
    return syscall3(nr::execve, L(path), L(argv), L(envp));
}

}  // namespace sys
