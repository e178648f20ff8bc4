// SPDX-License-Identifier: MIT
// Helpers for the POSIX message queue tests. Queue names are unique per test
// process ("kc-<pid>-<tag>", without the leading '/' that mq_open(3) takes:
// the system call gets the name as libc passes it, slash stripped). Tests
// unlink a name as soon as they no longer need it, before any ASSERT can
// end the test, so no queue outlives a test.
#pragma once

#include "rt/sys_mq.hpp"
#include "rt/sys_net.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace mq {

struct Name {
    char s[64];
};

// Skips the test when no queue can be created here. A queue is an inode of
// the IPC namespace's mqueue file system, which belongs to the user
// namespace owning that IPC namespace; when that is this process's own and
// its ids are not mapped in it (`unshare -U -i`), every creation fails with
// EOVERFLOW (may_create: the creator's fsuid must be mapped). Asked once per
// process.
inline void require_creatable() {
    static int unmapped_owner = -1;
    if (unmapped_owner < 0) unmapped_owner = kc::owns_namespace("ipc") && !kc::own_ids_mapped();
    if (unmapped_owner) {
        kc::skip(
            "needs this process's uid and gid mapped in the user namespace owning its IPC "
            "namespace: creating a queue is EOVERFLOW");
    }
}

// Skips the test when the kernel has no POSIX message queues, or none can
// be created here. Call in the test's own process (a child cannot skip).
inline void require() {
    if (sys::mq_unlink("kc-probe-none") == -ENOSYS) {
        kc::skip_unimplemented("mq_unlink", "no POSIX message queues (mq_unlink: ENOSYS)");
    }
    require_creatable();
}

// "kc-<pid>-<tag>"; a stale queue of that name (a crashed earlier run with
// the same pid) is removed first. Skips like require().
inline Name name(const char* tag) {
    Name n;
    rt::Fmt f(n.s, sizeof n.s);
    f.s("kc-").d(sys::getpid()).c('-').s(tag).cstr();
    if (sys::mq_unlink(n.s) == -ENOSYS)
        kc::skip_unimplemented("mq_unlink", "no POSIX message queues (mq_unlink: ENOSYS)");
    require_creatable();
    return n;
}

inline mq_attr attr(long maxmsg, long msgsize) {
    mq_attr a{};
    a.mq_maxmsg = maxmsg;
    a.mq_msgsize = msgsize;
    return a;
}

// Skips the test when the kernel has no POSIX message queues: `call` (a
// row of harness/interfaces.def) returned ENOSYS.
inline long check(long r, const char* call = "mq_open") {
    if (r == -ENOSYS) kc::skip_unimplemented(call, "no POSIX message queues (ENOSYS)");
    return r;
}

// Creates a queue (O_CREAT|O_EXCL|oflag, mode 0600) with the given limits
// and unlinks its name at once: the queue lives while the descriptor is
// open. Returns the descriptor or -errno; skips on ENOSYS.
inline long anon(int oflag, long maxmsg, long msgsize) {
    Name n = name("anon");
    mq_attr a = attr(maxmsg, msgsize);
    long fd = check(sys::mq_open(n.s, O_CREAT | O_EXCL | oflag, 0600, &a));
    sys::mq_unlink(n.s);
    return fd;
}

// A queue with room for `maxmsg` messages of 16 bytes; skips on ENOSYS.
inline long queue(int oflag = O_RDWR, long maxmsg = 8) { return anon(oflag, maxmsg, 16); }

// Receives a message of at most 16 bytes, blocking without a deadline.
inline long recv(int fd, char* buf, unsigned* prio) {
    return sys::mq_timedreceive(fd, buf, 16, prio, nullptr);
}

// A timeout in the past: CLOCK_REALTIME 0 (1970).
inline constexpr timespec kPast{0, 0};

// An absolute CLOCK_REALTIME timeout `ms` from now.
inline timespec in_ms(long ms) { return common::in_ms(CLOCK_REALTIME, ms); }

// Invalid timeouts: EINVAL when the call would block (tv_nsec outside
// 0..999,999,999; Linux also rejects a negative tv_sec).
struct BadTs {
    const char* label;
    i64 sec;
    i64 nsec;
};
inline constexpr BadTs kBadTs[] = {
    {"nsec=1e9", 0, 1000000000},
    {"nsec=-1", 0, -1},
    {"nsec=LONG_MAX", 0, LONG_MAX},
    {"sec=-1", -1, 0},
};

inline long send(int fd, const char* msg, unsigned prio) {
    return sys::mq_timedsend(fd, msg, rt::strlen(msg), prio, nullptr);
}

inline long curmsgs(int fd) {
    mq_attr a{};
    long r = sys::mq_getsetattr(fd, nullptr, &a);
    return r < 0 ? r : a.mq_curmsgs;
}

}  // namespace mq
