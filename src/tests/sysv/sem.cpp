// SPDX-License-Identifier: MIT
// System V semaphores: semget(2), semop(2), semtimedop(2), semctl(2).
// Covers set creation and its limits (nsems 0, SEMMSL), semop increments,
// decrements and wait-for-zero, IPC_NOWAIT, atomicity of multi-operation
// calls, SEMVMX (ERANGE), sem_num range (EFBIG), nsops (E2BIG, EINVAL),
// SEM_UNDO at process exit, blocked operations woken by another process, by
// a signal (EINTR) and by removal (EIDRM), semtimedop timeouts and timespec
// validation, semctl GETVAL/SETVAL/GETALL/SETALL/GETNCNT/GETZCNT/GETPID/
// IPC_STAT/IPC_SET/IPC_INFO/SEM_STAT, permissions by euid, and a leak test.
// Profile: XSI IPC is not part of the PSE51-PSE53 profiles, so every test is
// LINUX. Not covered: fixed keys (other suite instances share the key
// space), SEMMNI/SEMMNS exhaustion (system-wide), semadj overflow, the
// order in which several waiters are woken.
#include "tests/sysv/sysv_util.hpp"

namespace {

using sysv::Sem;

long one_op(int id, int num, int op, int flg = IPC_NOWAIT) {
    sembuf b{u16(num), i16(op), i16(flg)};
    return sys::semop(id, &b, 1);
}
long getval(int id, int num = 0) { return sys::semctl(id, num, GETVAL); }
long ncnt(int id) { return sys::semctl(id, 0, GETNCNT); }
long zcnt(int id) { return sys::semctl(id, 0, GETZCNT); }

}  // namespace

// semget(2): IPC_PRIVATE always creates a new set, also with
// IPC_CREAT|IPC_EXCL; every semaphore starts at 0 (Linux zeroes them;
// POSIX leaves them unspecified); IPC_STAT reports nsems, mode and owner.
struct NSems {
    const char* label;
    int n;  // 0: SEMMSL
};
constexpr NSems kNSems[] = {{"1", 1}, {"3", 3}, {"250", 250}, {"semmsl", 0}};
TEST_P(semget, new_set_zeroed, POSITIVE, LINUX, kNSems) {
    int n = row.n ? row.n : sysv::sem_limits().semmsl;
    long r = sysv::new_sem(n, 0640);
    EXPECT_OK(r);
    if (r < 0) return;
    Sem s;
    EXPECT_NE(s.id, r);
    EXPECT_OK(sys::semctl(int(r), n - 1, SETVAL, 1));
    EXPECT_RET(getval(int(r), n - 1), 1);
    EXPECT_RET(getval(int(r), 0), n == 1 ? 1 : 0);
    semid64_ds d{};
    EXPECT_OK(sys::semctl(int(r), 0, IPC_STAT, long(&d)));
    EXPECT_EQ(long(d.sem_nsems), n);
    EXPECT_EQ(d.sem_perm.mode & 0777, 0640);
    EXPECT_EQ(d.sem_perm.uid, sys::geteuid());
    EXPECT_EQ(d.sem_perm.cgid, sys::getegid());
    EXPECT_EQ(d.t.otime, 0);
    EXPECT_GT(d.t.ctime, 0);
    EXPECT_OK(sys::semctl(int(r), 0, IPC_RMID));
}

// semget(2): a new set needs 1 <= nsems <= SEMMSL (EINVAL).
struct BadN {
    const char* label;
    int n;  // 1: SEMMSL + 1
};
constexpr BadN kBadN[] = {{"0", 0}, {"-1", -1}, {"INT_MIN", INT_MIN}, {"semmsl+1", 1}};
TEST_P(semget, nsems_invalid_einval, BOUNDARY, LINUX, kBadN) {
    int n = row.n == 1 ? sysv::sem_limits().semmsl + 1 : row.n;
    long r = sysv::need(sys::semget(IPC_PRIVATE, n, IPC_CREAT | IPC_EXCL | 0600),
                        "no System V semaphores");
    EXPECT_ERR(r, EINVAL);
    if (r >= 0) sys::semctl(int(r), 0, IPC_RMID);
}

// Leak test: 10,000 sets created and removed; one more still works.
TEST(semget, create_remove_10000, BOUNDARY, LINUX, .flags = kc::SLOW) {
    for (int i = 0; i < 10000; ++i) {
        long id = sysv::new_sem(4);
        if (id < 0 || sys::semctl(int(id), 0, IPC_RMID) != 0) {
            ADD_FAILURE("create or remove failed");
            return;
        }
    }
    Sem s;
    EXPECT_OK(one_op(s.id, 0, 1));
    EXPECT_RET(getval(s.id), 1);
}

// semop(2): sem_op > 0 adds, < 0 subtracts when the result stays >= 0, 0
// waits for zero; an operation that would block is EAGAIN with IPC_NOWAIT
// and leaves the value; a result above SEMVMX (32767) is ERANGE.
struct OneOp {
    const char* label;
    int initial;
    int op;
    long want;  // new value, or -errno
};
constexpr OneOp kOneOps[] = {
    {"inc", 0, 3, 3},
    {"dec", 5, -2, 3},
    {"dec_to_zero", 2, -2, 0},
    {"dec_below_zero_eagain", 1, -2, -EAGAIN},
    {"dec_zero_eagain", 0, -1, -EAGAIN},
    {"wait_zero_is_zero", 0, 0, 0},
    {"wait_zero_nonzero_eagain", 1, 0, -EAGAIN},
    {"inc_to_semvmx", 32766, 1, 32767},
    {"inc_past_semvmx_erange", 32767, 1, -ERANGE},
    {"inc_by_32767_past_erange", 1, 32767, -ERANGE},
    {"dec_by_32768_eagain", 32767, -32768, -EAGAIN},
    {"dec_semvmx_to_zero", 32767, -32767, 0},
};
TEST_P(semop, single_op_value, POSITIVE, LINUX, kOneOps) {
    Sem s;
    EXPECT_OK(sys::semctl(s.id, 0, SETVAL, row.initial));
    long r = one_op(s.id, 0, row.op);
    if (row.want < 0) {
        EXPECT_ERR(r, -row.want);
        EXPECT_RET(getval(s.id), row.initial);
    } else {
        EXPECT_OK(r);
        EXPECT_RET(getval(s.id), row.want);
    }
}

// semop(2): the operations of one call are applied atomically: if any
// would block, none is applied (EAGAIN with IPC_NOWAIT); otherwise all are,
// in order (an increment may satisfy a later decrement of the same one).
struct Multi {
    const char* label;
    int v0, v1;
    sembuf ops[3];
    int n;
    long want;
    int w0, w1;
};
constexpr Multi kMulti[] = {
    {"second_blocks_none_applied",
     0,
     0,
     {{0, 1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}},
     2,
     -EAGAIN,
     0,
     0},
    {"all_apply", 0, 1, {{0, 1, IPC_NOWAIT}, {1, -1, IPC_NOWAIT}}, 2, 0, 1, 0},
    {"inc_then_dec_same", 0, 0, {{0, 2, IPC_NOWAIT}, {0, -1, IPC_NOWAIT}}, 2, 0, 1, 0},
    {"dec_then_inc_blocks", 0, 0, {{0, -1, IPC_NOWAIT}, {0, 2, IPC_NOWAIT}}, 2, -EAGAIN, 0, 0},
    {"third_erange_none",
     1,
     1,
     {{0, -1, IPC_NOWAIT}, {1, 1, IPC_NOWAIT}, {1, 32767, IPC_NOWAIT}},
     3,
     -ERANGE,
     1,
     1},
    {"zero_wait_fails_none", 3, 1, {{0, -3, IPC_NOWAIT}, {1, 0, IPC_NOWAIT}}, 2, -EAGAIN, 3, 1},
    {"zero_after_dec_ok", 3, 0, {{0, -3, IPC_NOWAIT}, {0, 0, IPC_NOWAIT}}, 2, 0, 0, 0},
};
TEST_P(semop, multiple_ops_atomic, POSITIVE, LINUX, kMulti) {
    Sem s(2);
    u16 init[2] = {u16(row.v0), u16(row.v1)};
    EXPECT_OK(sys::semctl(s.id, 0, SETALL, long(init)));
    sembuf ops[3];
    __builtin_memcpy(ops, row.ops, sizeof ops);
    EXPECT_RET(sys::semop(s.id, ops, usize(row.n)), row.want);
    EXPECT_RET(getval(s.id, 0), row.w0);
    EXPECT_RET(getval(s.id, 1), row.w1);
}

// semop(2): sem_num >= nsems is EFBIG (before any operation is applied).
struct Num {
    const char* label;
    int num;  // -1: nsems
};
constexpr Num kBigNums[] = {{"nsems", -1}, {"nsems+1", -2}, {"65535", 65535}};
TEST_P(semop, sem_num_out_of_range_efbig, BOUNDARY, LINUX, kBigNums) {
    Sem s(3);
    int num = row.num == -1 ? 3 : row.num == -2 ? 4 : row.num;
    sembuf ops[2] = {{0, 1, IPC_NOWAIT}, {u16(num), 1, IPC_NOWAIT}};
    EXPECT_ERR(sys::semop(s.id, ops, 2), EFBIG);
    EXPECT_RET(getval(s.id), 0);
}

// semop(2): nsops 0 is EINVAL; above SEMOPM it is E2BIG; SEMOPM itself is
// accepted.
struct NOps {
    const char* label;
    long n;  // -1: SEMOPM, -2: SEMOPM + 1
    long want;
};
constexpr NOps kNOps[] = {
    {"0", 0, -EINVAL}, {"semopm", -1, 0}, {"semopm+1", -2, -E2BIG}, {"LONG_MAX", LONG_MAX, -E2BIG}};
TEST_P(semop, nsops_limits, BOUNDARY, LINUX, kNOps) {
    long opm = sysv::sem_limits().semopm;
    long n = row.n == -1 ? opm : row.n == -2 ? opm + 1 : row.n;
    long len = ((opm + 1) * 6 + 4095) & ~4095L;
    long p =
        sys::mmap(nullptr, usize(len), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(p);
    auto* ops = reinterpret_cast<sembuf*>(p);
    for (long i = 0; i <= opm; ++i) ops[i] = {0, 1, IPC_NOWAIT};
    Sem s;
    EXPECT_RET(sys::semop(s.id, ops, usize(n)), row.want);
    EXPECT_RET(getval(s.id), row.want ? 0 : n);
    sys::munmap(reinterpret_cast<void*>(p), usize(len));
}

// semop(2): an id that names no set (negative, or removed) is EINVAL; a bad
// sops pointer is EFAULT.
TEST(semop, removed_or_negative_id_einval, NEGATIVE, LINUX) {
    long id = sysv::new_sem(1);
    ASSERT_OK(id);
    ASSERT_OK(sys::semctl(int(id), 0, IPC_RMID));
    EXPECT_ERR(one_op(int(id), 0, 1), EINVAL);
    EXPECT_ERR(one_op(-1, 0, 1), EINVAL);
    EXPECT_ERR(sys::semctl(int(id), 0, GETVAL), EINVAL);
}
TEST(semop, bad_sops_efault, NEGATIVE, LINUX) {
    Sem s;
    EXPECT_ERR(sys::semop(s.id, reinterpret_cast<sembuf*>(8), 1), EFAULT);
    EXPECT_ERR(sys::semtimedop(s.id, reinterpret_cast<sembuf*>(8), 1, nullptr), EFAULT);
}

// semctl(2) GETPID: the pid of the last semop; 0 before any.
TEST(semctl, getpid_last_operator, POSITIVE, LINUX) {
    Sem s;
    EXPECT_RET(sys::semctl(s.id, 0, GETPID), 0);
    EXPECT_OK(one_op(s.id, 0, 1));
    EXPECT_RET(sys::semctl(s.id, 0, GETPID), sys::getpid());
    semid64_ds d{};
    EXPECT_OK(sys::semctl(s.id, 0, IPC_STAT, long(&d)));
    EXPECT_GT(d.t.otime, 0);
}

// semop(2) SEM_UNDO: the adjustments of a process are reverted when it
// exits; GETPID then names the child.
static void undo_child(void* arg) {
    int id = int(long(arg));
    EXPECT_OK(one_op(id, 0, 2, SEM_UNDO));
    EXPECT_OK(one_op(id, 1, -1, SEM_UNDO));
    EXPECT_OK(one_op(id, 2, 5, 0));  // no undo: stays
    EXPECT_RET(getval(id, 0), 2);
}
TEST(semop, sem_undo_reverted_at_exit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Sem s(3);
    EXPECT_OK(sys::semctl(s.id, 1, SETVAL, 4));
    long pid = kc::spawn(undo_child, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(getval(s.id, 0), 0);
    EXPECT_RET(getval(s.id, 1), 4);
    EXPECT_RET(getval(s.id, 2), 5);
    EXPECT_RET(sys::semctl(s.id, 0, GETPID), pid);
}

// semctl(2) SETVAL: clears the semaphore's undo adjustments in all
// processes: a later exit does not revert it.
static void setval_child(void* arg) {
    int id = int(long(arg));
    EXPECT_OK(one_op(id, 0, 3, SEM_UNDO));
    EXPECT_OK(sys::semctl(id, 0, SETVAL, 7));
}
TEST(semctl, setval_clears_undo, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Sem s;
    long pid = kc::spawn(setval_child, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(getval(s.id), 7);
}

// semop(2): a decrement blocked on 0 is counted by GETNCNT and completes
// when another process increments; a wait-for-zero is counted by GETZCNT
// and completes when the value reaches zero.
static void block_dec(void* arg) {
    int id = int(long(arg));
    EXPECT_OK(one_op(id, 0, -1, 0));
}
static void block_zero(void* arg) {
    int id = int(long(arg));
    EXPECT_OK(one_op(id, 0, 0, 0));
}
struct Waiter {
    const char* label;
    void (*child)(void*);
    int initial;
    long (*count)(int);
    int release;  // op applied by the parent
    int final_value;
};
constexpr Waiter kWaiters[] = {{"getncnt_decrement", block_dec, 0, ncnt, 1, 0},
                               {"getzcnt_wait_zero", block_zero, 2, zcnt, -2, 0}};
TEST_P(semop, blocked_waiter_counted_and_woken, POSITIVE, LINUX, kWaiters,
       .flags = kc::NEEDS_FORK) {
    Sem s;
    EXPECT_OK(sys::semctl(s.id, 0, SETVAL, row.initial));
    EXPECT_RET(row.count(s.id), 0);
    long pid = kc::spawn(row.child, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    EXPECT_TRUE(sysv::wait_for(row.count, s.id, 1));
    EXPECT_OK(one_op(s.id, 0, row.release));
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(row.count(s.id), 0);
    EXPECT_RET(getval(s.id), row.final_value);
    EXPECT_RET(sys::semctl(s.id, 0, GETPID), pid);  // the waiter operated last
}

// semop(2): a waiter blocked when the set is removed fails with EIDRM.
static void wait_removed(void* arg) { EXPECT_ERR(one_op(int(long(arg)), 0, -1, 0), EIDRM); }
TEST(semop, blocked_set_removed_eidrm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Sem s;
    long pid = kc::spawn(wait_removed, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    EXPECT_TRUE(sysv::wait_for(ncnt, s.id, 1));
    EXPECT_OK(s.rm());
    EXPECT_CHILD_OK(pid);
}

// semop(2): a blocked operation interrupted by a signal caught without
// SA_RESTART fails with EINTR and is not applied.
TEST(semop, blocked_interrupted_eintr, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Sem s;
    sysv::Interrupter t;
    EXPECT_GE(t.timer, 0);
    if (t.timer >= 0) EXPECT_ERR(one_op(s.id, 0, -1, 0), EINTR);
    EXPECT_RET(ncnt(s.id), 0);
}

// semtimedop(2): an operation that cannot complete within the timeout
// fails with EAGAIN after (not before) the timeout, and is not applied.
TEST(semtimedop, timeout_eagain_after_interval, BOUNDARY, LINUX, .flags = kc::SLOW) {
    Sem s;
    sembuf b{0, -1, 0};
    timespec ts{0, 20000000};
    i64 t0 = kc::now_ns();
    EXPECT_ERR(sys::semtimedop(s.id, &b, 1, &ts), EAGAIN);
    i64 el = kc::now_ns() - t0;
    EXPECT_GE(el, 20000000);
    EXPECT_LT(el, 2000000000);
    EXPECT_RET(ncnt(s.id), 0);
}

// semtimedop(2): a zero timeout fails at once (EAGAIN) when the operation
// would block, and succeeds when it would not; a null timeout behaves as
// semop.
struct Zero {
    const char* label;
    int initial;
    bool null_ts;
    long want;
};
constexpr Zero kZero[] = {{"zero_ts_blocks_eagain", 0, false, -EAGAIN},
                          {"zero_ts_ready_ok", 1, false, 0},
                          {"null_ts_ready_ok", 1, true, 0}};
TEST_P(semtimedop, zero_or_null_timeout, BOUNDARY, LINUX, kZero) {
    Sem s;
    EXPECT_OK(sys::semctl(s.id, 0, SETVAL, row.initial));
    sembuf b{0, -1, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::semtimedop(s.id, &b, 1, row.null_ts ? nullptr : &ts), row.want);
    EXPECT_RET(getval(s.id), row.want ? row.initial : row.initial - 1);
}

// semtimedop(2): an invalid timespec (tv_nsec outside 0..999999999, or a
// negative tv_sec) is EINVAL, checked before the operation (Linux checks it
// even when the operation would not block).
struct BadTs {
    const char* label;
    i64 sec, nsec;
};
constexpr BadTs kBadTs[] = {{"nsec=1e9", 0, 1000000000},
                            {"nsec=-1", 0, -1},
                            {"sec=-1", -1, 0},
                            {"nsec=LONG_MAX", 0, LONG_MAX}};
TEST_P(semtimedop, invalid_timespec_einval, NEGATIVE, LINUX, kBadTs) {
    Sem s;
    EXPECT_OK(sys::semctl(s.id, 0, SETVAL, 1));
    sembuf b{0, -1, 0};
    timespec ts{row.sec, row.nsec};
    EXPECT_ERR(sys::semtimedop(s.id, &b, 1, &ts), EINVAL);
    EXPECT_RET(getval(s.id), 1);
    EXPECT_ERR(sys::semtimedop(s.id, &b, 1, reinterpret_cast<timespec*>(8)), EFAULT);
}

// semctl(2) SETVAL/GETVAL: values 0..SEMVMX round-trip; outside is ERANGE
// and the value is unchanged.
struct Val {
    const char* label;
    long val;
    bool ok;
};
constexpr Val kVals[] = {{"0", 0, true},          {"1", 1, true},    {"32767", 32767, true},
                         {"32768", 32768, false}, {"-1", -1, false}, {"INT_MIN", INT_MIN, false}};
TEST_P(semctl, setval_range, BOUNDARY, LINUX, kVals) {
    Sem s;
    EXPECT_OK(sys::semctl(s.id, 0, SETVAL, 9));
    long r = sys::semctl(s.id, 0, SETVAL, row.val);
    if (row.ok) {
        EXPECT_OK(r);
        EXPECT_RET(getval(s.id), row.val);
    } else {
        EXPECT_ERR(r, ERANGE);
        EXPECT_RET(getval(s.id), 9);
    }
}

// semctl(2) SETALL/GETALL: every value round-trips; a value above SEMVMX
// makes SETALL fail with ERANGE and change nothing.
TEST(semctl, setall_getall_round_trip, POSITIVE, LINUX) {
    Sem s(5);
    u16 in[5] = {0, 1, 300, 32767, 42}, out[5] = {};
    EXPECT_OK(sys::semctl(s.id, 0, SETALL, long(in)));
    EXPECT_OK(sys::semctl(s.id, 0, GETALL, long(out)));
    EXPECT_MEM_EQ(out, in, sizeof in);
    EXPECT_RET(getval(s.id, 2), 300);
    u16 bad[5] = {5, 5, 32768, 5, 5};
    EXPECT_ERR(sys::semctl(s.id, 0, SETALL, long(bad)), ERANGE);
    EXPECT_OK(sys::semctl(s.id, 0, GETALL, long(out)));
    EXPECT_MEM_EQ(out, in, sizeof in);
    EXPECT_ERR(sys::semctl(s.id, 0, GETALL, 8), EFAULT);
    EXPECT_ERR(sys::semctl(s.id, 0, SETALL, 8), EFAULT);
}

// semctl(2): GETVAL/SETVAL/GETPID/GETNCNT/GETZCNT with semnum outside
// 0..nsems-1 are EINVAL.
struct NumCmd {
    const char* label;
    int cmd;
    int num;
};
constexpr NumCmd kNumCmds[] = {{"getval_nsems", GETVAL, 2},   {"getval_-1", GETVAL, -1},
                               {"setval_nsems", SETVAL, 2},   {"getpid_nsems", GETPID, 2},
                               {"getncnt_nsems", GETNCNT, 2}, {"getzcnt_-1", GETZCNT, -1}};
TEST_P(semctl, semnum_out_of_range_einval, NEGATIVE, LINUX, kNumCmds) {
    Sem s(2);
    EXPECT_ERR(sys::semctl(s.id, row.num, row.cmd, 1), EINVAL);
}

// semctl(2): an unknown command is EINVAL.
constexpr sysv::Cmd kBadCmds[] = {{"-1", -1}, {"4", 4}, {"10", 10}, {"21", 21}, {"1000", 1000}};
TEST_P(semctl, bad_cmd_einval, NEGATIVE, LINUX, kBadCmds) {
    Sem s;
    EXPECT_ERR(sys::semctl(s.id, 0, row.cmd, 0), EINVAL);
}

// semctl(2) IPC_SET: the mode's permission bits change; IPC_STAT on a bad
// buffer is EFAULT. Where this process's ids are unmapped in its user
// namespace, IPC_STAT reads the owner back as the overflow id, and IPC_SET
// rejects that id with EINVAL, changing nothing (ipc_update_perm).
TEST(semctl, ipc_set_mode, POSITIVE, LINUX) {
    Sem s;
    semid64_ds d{};
    EXPECT_OK(sys::semctl(s.id, 0, IPC_STAT, long(&d)));
    d.sem_perm.mode = 0604;
    bool mapped = kc::own_ids_mapped();
    if (mapped) {
        EXPECT_OK(sys::semctl(s.id, 0, IPC_SET, long(&d)));
    } else {
        EXPECT_ERR(sys::semctl(s.id, 0, IPC_SET, long(&d)), EINVAL);
    }
    semid64_ds e{};
    EXPECT_OK(sys::semctl(s.id, 0, IPC_STAT, long(&e)));
    EXPECT_EQ(e.sem_perm.mode & 0777, mapped ? 0604 : 0600);
    EXPECT_ERR(sys::semctl(s.id, 0, IPC_STAT, 8), EFAULT);
}

// semctl(2) IPC_INFO and SEM_STAT: the limits (SEMVMX is 32767 on Linux)
// and, by index (id mod 32768), the set's full id.
TEST(semctl, ipc_info_and_sem_stat, POSITIVE, LINUX) {
    Sem s(3);
    seminfo si{};
    EXPECT_GE(sys::semctl(0, 0, IPC_INFO, long(&si)), s.id & 0x7fff);
    EXPECT_EQ(si.semvmx, 32767);
    EXPECT_GT(si.semmsl, 0);
    EXPECT_GT(si.semopm, 0);
    semid64_ds d{};
    EXPECT_RET(sys::semctl(s.id & 0x7fff, 0, SEM_STAT, long(&d)), s.id);
    EXPECT_EQ(d.sem_nsems, 3);
}

// svipc(7): a mode-0 set denies semop, GETVAL, SETVAL and IPC_STAT (EACCES)
// to a caller without CAP_IPC_OWNER over the IPC namespace, even its owner:
// the calls run in an unprivileged child that owns the set
// (sysv::hand_over). A caller with the capability (this process, when it
// has it) is permitted.
struct Access {
    const char* label;
    int what;
};
constexpr Access kAccess[] = {{"semop", 0}, {"getval", 1}, {"setval", 2}, {"ipc_stat", 3}};
static long sem_access(int what, int id) {
    semid64_ds d;
    switch (what) {
        case 0:
            return one_op(id, 0, 1);
        case 1:
            return getval(id);
        case 2:
            return sys::semctl(id, 0, SETVAL, 1);
        default:
            return sys::semctl(id, 0, IPC_STAT, long(&d));
    }
}
static void mode0_sem_child(void* arg) {
    long a = long(arg);
    sysv::become_denied();
    EXPECT_ERR(sem_access(int(a >> 32), int(a & 0xffffffff)), EACCES);
}
TEST_P(semctl, mode0_access_by_euid, NEGATIVE, LINUX, kAccess, .flags = kc::NEEDS_FORK) {
    sysv::need_denial();
    Sem s(1, sysv::denial_mode(0));
    ASSERT_OK(s.id);
    sysv::hand_over(sysv::SEM, s.id, 0);
    long pid =
        kc::spawn(mode0_sem_child, reinterpret_cast<void*>(long(s.id) | long(row.what) << 32));
    ASSERT_OK(pid);
    EXPECT_CHILD_OK(pid);
    if (sysv::ipc_owner()) {
        EXPECT_RET(getval(s.id), 0);  // the child's semop and SETVAL changed nothing
        EXPECT_OK(sem_access(row.what, s.id));
    }
}

// svipc(7): another user (kc::other_uid(), without capabilities, in a
// child) may not use a 0600 set (EACCES) nor remove it (EPERM).
static void other_user_sem(void* arg) {
    int id = int(long(arg));
    if (!kc::become_other_user()) {
        ADD_FAILURE("cannot become the other user");
        return;
    }
    for (int w = 0; w < 4; ++w) EXPECT_ERR(sem_access(w, id), EACCES);
    EXPECT_ERR(sys::semctl(id, 0, IPC_RMID), EPERM);
}
TEST(semop, other_user_denied, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    Sem s(1, 0600);
    long pid = kc::spawn(other_user_sem, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid >= 0) EXPECT_CHILD_OK(pid);
    EXPECT_RET(getval(s.id), 0);
}
