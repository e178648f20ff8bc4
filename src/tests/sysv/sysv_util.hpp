// SPDX-License-Identifier: MIT
// Helpers for the System V IPC tests (msg.cpp, sem.cpp, shm.cpp). Every
// object is created with IPC_PRIVATE (never a fixed key: other suite
// instances may run at the same time) and removed with IPC_RMID on every
// path: the guards below remove at scope end, and since an ASSERT ends the
// test body without running destructors, tests only ASSERT before an object
// exists or after removing it themselves; otherwise they use EXPECT.
#pragma once

#include "rt/sys_sysv.hpp"
#include "tests/common/common_util.hpp"
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

// Removes the object at scope end (if it was created and not yet removed).
struct Msq {
    int id;
    explicit Msq(int mode = 0600) : id(int(new_msg(mode))) {}
    ~Msq() { rm(); }
    long rm() {
        long r = id >= 0 ? sys::msgctl(id, IPC_RMID, nullptr) : 0;
        id = -1;
        return r;
    }
};
struct Sem {
    int id;
    explicit Sem(int n = 1, int mode = 0600) : id(int(new_sem(n, mode))) {}
    ~Sem() { rm(); }
    long rm() {
        long r = id >= 0 ? sys::semctl(id, 0, IPC_RMID) : 0;
        id = -1;
        return r;
    }
};
struct Shm {
    int id;
    explicit Shm(usize size = 4096, int mode = 0600) : id(int(new_shm(size, mode))) {}
    ~Shm() { rm(); }
    long rm() {
        long r = id >= 0 ? sys::shmctl(id, IPC_RMID, nullptr) : 0;
        id = -1;
        return r;
    }
};

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
