// SPDX-License-Identifier: MIT
// Helpers for the System V IPC tests (msgctl.cpp, msgsnd.cpp, sem.cpp,
// shm.cpp). Every object is created with IPC_PRIVATE (never a fixed key:
// other suite instances may run at the same time) and removed with IPC_RMID
// on every path: the guards below remove at scope end, and register the
// removal with kc::defer, so that it also happens when an ASSERT ends the
// test body (which skips destructors). The permission-denial tests run the
// denied call in an unprivileged child (see "Denial" below).
#pragma once

#include "rt/sys_sysv.hpp"
#include "tests/common/common_util.hpp"
#include "tests/cred/cred_util.hpp"
#include "tests/mm/mm_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace sysv {

// Skips the test when the kernel lacks the facility (ENOSYS).
inline long need(long r, const char* reason) {
    if (r == -ENOSYS) kc::skip(reason);
    return r;
}
inline long new_msg(int mode = 0600) {
    return need(sys::msgget(IPC_PRIVATE, IPC_CREAT | mode), "no System V message queues");
}
inline long new_sem(int nsems, int mode = 0600) {
    return need(sys::semget(IPC_PRIVATE, nsems, IPC_CREAT | mode), "no System V semaphores");
}
inline long new_shm(usize size, int mode = 0600) {
    return need(sys::shmget(IPC_PRIVATE, size, IPC_CREAT | mode), "no System V shared memory");
}

// Removes the object at scope end (if it was created and not yet removed),
// or when the test ends another way (kc::defer).
inline long rm_msg(int id) { return sys::msgctl(id, IPC_RMID, nullptr); }
inline long rm_sem(int id) { return sys::semctl(id, 0, IPC_RMID); }
inline long rm_shm(int id) { return sys::shmctl(id, IPC_RMID, nullptr); }
template <long (*Remove)(int)>
struct Guard {
    int id;
    int handle = -1;
    explicit Guard(long r) : id(int(r)) {
        if (id >= 0) handle = kc::defer(deferred, id);
    }
    ~Guard() { rm(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
    // IPC_RMID now; its result (0 when nothing was left to remove).
    long rm() {
        if (handle >= 0) kc::undefer(handle, false);
        handle = -1;
        long r = id >= 0 ? Remove(id) : 0;
        id = -1;
        return r;
    }
    static void deferred(long id, long) { Remove(int(id)); }
};
struct Msq : Guard<rm_msg> {
    explicit Msq(int mode = 0600) : Guard(new_msg(mode)) {}
};
struct Sem : Guard<rm_sem> {
    explicit Sem(int n = 1, int mode = 0600) : Guard(new_sem(n, mode)) {}
};
struct Shm : Guard<rm_shm> {
    explicit Shm(usize size = 4096, int mode = 0600) : Guard(new_shm(size, mode)) {}
};

// Denial: a permission test runs the call that must be refused in a child
// without privilege over IPC objects, whatever uid this run has (with
// CAP_IPC_OWNER, as root, the call would succeed; ipcperms() grants by the
// ids and mode bits, then by that capability). Where the run can switch
// users, the child becomes kc::other_uid()/other_gid() with no supplementary
// groups and no capabilities, and hand_over() first makes that user the
// object's owner (IPC_SET; this process stays its creator, so it may still
// remove it); elsewhere (a user namespace that maps one id, a run without
// CAP_SETUID) the child keeps this process's ids, the owner's, and drops
// its capabilities. Either way the child owns the object and has no
// capability. Call need_denial() before creating the object, create it with
// denial_mode(mode), then hand_over(kind, id, mode).
enum Kind : u8 { MSG, SEM, SHM };
inline bool child_switches_user() { return cred::unprivileged_switches_user(); }
inline void need_denial() {
    if (child_switches_user() && !kc::own_ids_mapped()) {
        kc::skip(
            "needs IPC_SET to hand the object to the other user: this process's uid or gid is "
            "not mapped in its user namespace");
    }
}
inline int denial_mode(int mode) { return child_switches_user() ? 0600 : mode; }
inline long ipc_ctl(Kind k, int id, int cmd, void* buf) {
    return k == MSG   ? sys::msgctl(id, cmd, buf)
           : k == SEM ? sys::semctl(id, 0, cmd, long(buf))
                      : sys::shmctl(id, cmd, buf);
}
inline void hand_over(Kind k, int id, int mode) {
    if (!child_switches_user()) return;
    alignas(8) u8 buf[128] = {};  // msqid64_ds, semid64_ds or shmid64_ds: ipc64_perm first
    ASSERT_OK(ipc_ctl(k, id, IPC_STAT, buf));
    auto* perm = reinterpret_cast<ipc64_perm*>(buf);
    perm->uid = kc::other_uid();
    perm->gid = kc::other_gid();
    perm->mode = u32(mode);
    ASSERT_OK(ipc_ctl(k, id, IPC_SET, buf));
}
// In the child: become the unprivileged owner described above.
inline void become_denied() { ASSERT_TRUE(cred::become_unprivileged()); }

// A row of a command table (msgctl/semctl/shmctl cmd values).
struct Cmd {
    const char* label;
    int cmd;
};

// A message buffer: mtype, then the text.
template <usize N>
struct Msg {
    long mtype;
    char text[N];
};

// The limits the kernel reports (IPC_INFO), so that tests follow the
// sysctls of the IPC namespace they run in.
inline msginfo msg_limits() {
    msginfo m{};
    sys::msgctl(0, IPC_INFO, &m);
    return m;
}
inline seminfo sem_limits() {
    seminfo s{};
    sys::semctl(0, 0, IPC_INFO, long(&s));
    return s;
}

inline msqid64_ds msg_stat(int id) {
    msqid64_ds d{};
    sys::msgctl(id, IPC_STAT, &d);
    return d;
}
inline shmid64_ds shm_stat(int id) {
    shmid64_ds d{};
    sys::shmctl(id, IPC_STAT, &d);
    return d;
}

// Calls fn(arg) until it returns want, for up to about two seconds (a child
// reaching a blocking call). Returns true when it did.
inline bool wait_for(long (*fn)(int), int arg, long want) {
    for (int i = 0; i < 2000; ++i) {
        if (fn(arg) == want) return true;
        common::sleep_ms(1);
    }
    return false;
}

// True when the caller bypasses IPC permission checks: ipcperms() asks
// ns_capable(CAP_IPC_OWNER) against the user namespace owning the IPC
// namespace, whatever the euid. After `unshare -r` without a new IPC
// namespace, uid 0 holds CAP_IPC_OWNER but not over these objects.
inline bool ipc_owner() { return kc::cap_over_namespace(CAP_IPC_OWNER, "ipc"); }

// IPC_SET writes back the owner uid and gid that IPC_STAT read; the kernel
// rejects ids that are not mapped in the caller's user namespace (EINVAL,
// ipc_update_perm), so where this process's own ids are unmapped no IPC_SET
// can succeed. Call before creating any object (a skip leaves no cleanup).
inline void require_ipc_set() {
    if (!kc::own_ids_mapped()) {
        kc::skip(
            "needs IPC_SET: this process's uid or gid is not mapped in its user namespace, "
            "so the kernel rejects the owner ids with EINVAL");
    }
}

// A periodic timer that sends SIGUSR1 every 10 ms to this thread, caught by
// an empty handler without SA_RESTART: the next blocking call fails with
// EINTR. The harness restores the disposition after the test.
inline void on_usr1(int) {}
struct Interrupter {
    int timer = -1;
    Interrupter() {
        proc::set_handler(SIGUSR1, reinterpret_cast<void*>(on_usr1));
        sigevent ev{};
        ev.sigev_signo = SIGUSR1;
        ev.sigev_notify = SIGEV_THREAD_ID;
        ev.tid = int(sys::gettid());
        if (sys::timer_create(CLOCK_MONOTONIC, &ev, &timer) < 0) {
            timer = -1;
            return;
        }
        itimerspec its{{0, 10000000}, {0, 10000000}};
        sys::timer_settime(timer, 0, &its, nullptr);
    }
    ~Interrupter() {
        if (timer >= 0) sys::timer_delete(timer);
    }
};

}  // namespace sysv
