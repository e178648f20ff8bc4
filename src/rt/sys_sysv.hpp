// SPDX-License-Identifier: MIT
// System V IPC: message queues, semaphore sets, shared memory segments, and
// the kernel's 64-bit layouts (asm-generic/ipcbuf.h, msgbuf.h, shmbuf.h; the same on x86-64,
// aarch64 and riscv64). struct semid64_ds differs: x86-64 pads after each of
// its two times, so those live in arch::SemTimes.
#pragma once

#include "rt/sys.hpp"

// ipc.h: key, flags and the commands common to the three kinds.
inline constexpr int IPC_PRIVATE = 0;
inline constexpr int IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000;
inline constexpr int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_INFO = 3;
// msg.h
inline constexpr int MSG_STAT = 11, MSG_INFO = 12;
inline constexpr int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;
// sem.h
inline constexpr int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15;
inline constexpr int SETVAL = 16, SETALL = 17, SEM_STAT = 18, SEM_INFO = 19;
inline constexpr short SEM_UNDO = 0x1000;
// shm.h
inline constexpr int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000;
inline constexpr int SHM_LOCK = 11, SHM_UNLOCK = 12, SHM_STAT = 13, SHM_INFO = 14;

struct ipc64_perm {
    i32 key;
    u32 uid, gid, cuid, cgid;
    u32 mode;
    u16 seq, pad2;
    u64 unused1, unused2;
};
static_assert(sizeof(ipc64_perm) == 48);

struct msqid64_ds {
    ipc64_perm msg_perm;
    i64 msg_stime, msg_rtime, msg_ctime;
    u64 msg_cbytes, msg_qnum, msg_qbytes;
    i32 msg_lspid, msg_lrpid;
    u64 unused4, unused5;
};
static_assert(sizeof(msqid64_ds) == 120 && __builtin_offsetof(msqid64_ds, msg_lspid) == 96);

struct semid64_ds {
    ipc64_perm sem_perm;
    arch::SemTimes t;
    u64 sem_nsems;
    u64 unused3, unused4;
};
// 104 bytes on x86-64, 88 on aarch64 and riscv64 (checked against the
// kernel headers of all three).
static_assert(sizeof(semid64_ds) == 72 + sizeof(arch::SemTimes));

struct shmid64_ds {
    ipc64_perm shm_perm;
    u64 shm_segsz;
    i64 shm_atime, shm_dtime, shm_ctime;
    i32 shm_cpid, shm_lpid;
    u64 shm_nattch;
    u64 unused4, unused5;
};
static_assert(sizeof(shmid64_ds) == 112 && __builtin_offsetof(shmid64_ds, shm_nattch) == 88);

// msgctl IPC_INFO / MSG_INFO (struct msginfo).
struct msginfo {
    i32 msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
    u16 msgseg;
};
// semctl IPC_INFO / SEM_INFO (struct seminfo).
struct seminfo {
    i32 semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem;
};
// shmctl IPC_INFO (struct shminfo64).
struct shminfo64 {
    u64 shmmax, shmmin, shmmni, shmseg, shmall;
    u64 unused[4];
};

struct sembuf {
    u16 sem_num;
    i16 sem_op;
    i16 sem_flg;
};
static_assert(sizeof(sembuf) == 6);

namespace sys {

// int msgget(key_t key, int msgflg);
inline long msgget(int key, int flg) { return syscall2(nr::msgget, key, flg); }
// int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
inline long msgsnd(int id, const void* msg, usize sz, int flg) {
    return syscall4(nr::msgsnd, id, L(msg), L(sz), flg);
}
// ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp, int msgflg);
inline long msgrcv(int id, void* msg, usize sz, long type, int flg) {
    return syscall5(nr::msgrcv, id, L(msg), L(sz), type, flg);
}
// int msgctl(int msqid, int op, struct msqid_ds *buf);
inline long msgctl(int id, int cmd, void* buf) { return syscall3(nr::msgctl, id, cmd, L(buf)); }
// int semget(key_t key, int nsems, int semflg);
inline long semget(int key, int nsems, int flg) { return syscall3(nr::semget, key, nsems, flg); }
// int semop(int semid, struct sembuf *sops, size_t nsops);
inline long semop(int id, sembuf* ops, usize n) { return syscall3(nr::semop, id, L(ops), L(n)); }
// int semtimedop(int semid, struct sembuf *sops, size_t nsops, const struct timespec *timeout);
inline long semtimedop(int id, sembuf* ops, usize n, const timespec* ts) {
    return syscall4(nr::semtimedop, id, L(ops), L(n), L(ts));
}
// int semctl(int semid, int semnum, int op, ...);
// The fourth argument is union semun, passed in a register: an int value or
// a pointer.
inline long semctl(int id, int num, int cmd, long arg = 0) {
    return syscall4(nr::semctl, id, num, cmd, arg);
}
// int shmget(key_t key, size_t size, int shmflg);
inline long shmget(int key, usize size, int flg) { return syscall3(nr::shmget, key, L(size), flg); }
// void *shmat(int shmid, const void *shmaddr, int shmflg);
inline long shmat(int id, const void* addr, int flg) {
    return syscall3(nr::shmat, id, L(addr), flg);
}
// int shmdt(const void *shmaddr);
inline long shmdt(const void* addr) { return syscall1(nr::shmdt, L(addr)); }
// int shmctl(int shmid, int op, struct shmid_ds *buf);
inline long shmctl(int id, int cmd, void* buf) { return syscall3(nr::shmctl, id, cmd, L(buf)); }

}  // namespace sys
