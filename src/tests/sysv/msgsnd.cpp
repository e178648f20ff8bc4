// SPDX-License-Identifier: MIT
// System V message queues, the messages: msgsnd(2) and msgrcv(2).
// Covers send/receive round trips of every size up to MSGMAX, type selection
// (0, >0, <0, MSG_EXCEPT), MSG_NOERROR truncation vs E2BIG, IPC_NOWAIT (EAGAIN
// on a full queue, ENOMSG on an empty one), argument validation (mtype,
// msgsz), MSG_COPY, blocking calls woken by a sender or receiver, a signal
// (EINTR) and removal (EIDRM), and permissions for another user.
// Profile: XSI IPC is not part of the PSE51-PSE53 profiles, so every test is
// LINUX. Not covered: fixed keys (other suite instances share the key space),
// the queue's creation and control (msgctl.cpp).
#include "rt/sys_fs.hpp"
#include "rt/sys_net.hpp"
#include "tests/common/common_util.hpp"
#include "tests/sysv/msg_util.hpp"
#include "tests/sysv/sysv_util.hpp"

namespace {

using sysv::Mode;
using sysv::Msg;
using sysv::Msq;
using sysv::Op;
using sysv::recv_type;
using sysv::send;

// Lowers msg_qbytes to 1 and queues one 1-byte message of type 1: the
// queue is full. Tests using it call sysv::require_ipc_set() first.
void fill_to_one_byte(int id) {
    msqid64_ds d = sysv::msg_stat(id);
    d.msg_qbytes = 1;
    EXPECT_OK(sys::msgctl(id, IPC_SET, &d));
    EXPECT_OK(send(id, 1, "a", 1));
}

}  // namespace

// msgsnd(2)/msgrcv(2): a message of every size from 0 to MSGMAX comes back
// intact with its mtype; msgrcv returns the number of bytes.
struct Size {
    const char* label;
    long size;  // -1: MSGMAX
};
constexpr Size kSizes[] = {{"0", 0}, {"1", 1}, {"7", 7}, {"4096", 4096}, {"msgmax", -1}};
TEST_P(msgsnd, round_trip_data_intact, POSITIVE, LINUX, kSizes) {
    long n = row.size < 0 ? sysv::msg_limits().msgmax : row.size;
    long len = (n + 8 + 4095) & ~4095L;
    long p = sys::mmap(nullptr, usize(len) * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    ASSERT_OK(p);
    auto* out = reinterpret_cast<Msg<1>*>(p);
    auto* in = reinterpret_cast<Msg<1>*>(p + len);
    out->mtype = 42;
    for (long i = 0; i < n; ++i) out->text[i] = char(i * 7 + 3);
    Msq q;
    EXPECT_OK(sys::msgsnd(q.id, out, usize(n), 0));
    EXPECT_EQ(long(sysv::msg_stat(q.id).msg_cbytes), n);
    EXPECT_RET(sys::msgrcv(q.id, in, usize(n), 0, IPC_NOWAIT), n);
    EXPECT_EQ(in->mtype, 42);
    EXPECT_MEM_EQ(in->text, out->text, usize(n));
    sys::munmap(reinterpret_cast<void*>(p), usize(len) * 2);
}

// msgsnd(2): messages of one type are received in the order sent.
TEST(msgsnd, same_type_fifo, POSITIVE, LINUX) {
    Msq q;
    EXPECT_OK(send(q.id, 5, "a", 1));
    EXPECT_OK(send(q.id, 5, "b", 1));
    EXPECT_OK(send(q.id, 5, "c", 1));
    Msg<8> m{};
    for (char want = 'a'; want <= 'c'; ++want) {
        EXPECT_RET(sys::msgrcv(q.id, &m, 8, 5, IPC_NOWAIT), 1);
        EXPECT_EQ(m.text[0], want);
    }
}

// msgsnd(2): mtype must be > 0 (EINVAL); the queue stays empty.
struct Type {
    const char* label;
    long type;
};
constexpr Type kBadTypes[] = {{"0", 0}, {"-1", -1}, {"LONG_MIN", LONG_MIN}};
TEST_P(msgsnd, mtype_not_positive_einval, NEGATIVE, LINUX, kBadTypes) {
    Msq q;
    EXPECT_ERR(send(q.id, row.type, "x", 1), EINVAL);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qnum, 0);
}

// msgsnd(2): msgsz above MSGMAX, or negative as a long, is EINVAL.
struct BadSize {
    const char* label;
    long size;  // 0: MSGMAX + 1
};
constexpr BadSize kBadSizes[] = {{"msgmax+1", 0}, {"-1", -1}, {"LONG_MIN", LONG_MIN}};
TEST_P(msgsnd, msgsz_invalid_einval, BOUNDARY, LINUX, kBadSizes) {
    long n = row.size ? row.size : sysv::msg_limits().msgmax + 1;
    Msq q;
    Msg<8> m{1, {}};
    EXPECT_ERR(sys::msgsnd(q.id, &m, usize(n), IPC_NOWAIT), EINVAL);
}

// msgrcv(2): msgsz negative as a long is EINVAL.
constexpr BadSize kNegSizes[] = {{"-1", -1}, {"LONG_MIN", LONG_MIN}};
TEST_P(msgrcv, msgsz_negative_einval, BOUNDARY, LINUX, kNegSizes) {
    Msq q;
    EXPECT_OK(send(q.id, 1, "x", 1));
    Msg<8> m{};
    EXPECT_ERR(sys::msgrcv(q.id, &m, usize(row.size), 0, IPC_NOWAIT), EINVAL);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qnum, 1);
}

// msgrcv(2): type selection. The queue holds types 3,1,2,5,1 in that order:
// msgtyp 0 takes the first; > 0 the first of that type; < 0 the first of
// the lowest type <= |msgtyp|; MSG_EXCEPT with > 0 the first of another
// type (Linux ignores MSG_EXCEPT when msgtyp <= 0); no match with
// IPC_NOWAIT is ENOMSG.
struct Select {
    const char* label;
    long typ;
    int flg;
    long want;  // mtype received, or -errno
};
constexpr Select kSelect[] = {
    {"typ=0_first", 0, 0, 3},
    {"typ=2_exact", 2, 0, 2},
    {"typ=5_exact_last", 5, 0, 5},
    {"typ=-2_lowest", -2, 0, 1},
    {"typ=-10_lowest", -10, 0, 1},
    {"typ=-3_lowest_not_first", -3, 0, 1},
    {"typ=-1_exactly_one", -1, 0, 1},
    {"typ=3_except", 3, MSG_EXCEPT, 1},
    {"typ=1_except", 1, MSG_EXCEPT, 3},
    {"typ=4_no_match_enomsg", 4, 0, -ENOMSG},
    {"typ=LONG_MAX_enomsg", LONG_MAX, 0, -ENOMSG},
    {"typ=LONG_MIN_lowest", LONG_MIN + 1, 0, 1},
    {"typ=0_except_takes_first", 0, MSG_EXCEPT, 3},
    {"typ=-2_except_ignored", -2, MSG_EXCEPT, 1},
};
constexpr long kOrder[] = {3, 1, 2, 5, 1};
TEST_P(msgrcv, type_selection, POSITIVE, LINUX, kSelect) {
    Msq q;
    for (long t : kOrder) EXPECT_OK(send(q.id, t, "m", 1));
    EXPECT_EQ(recv_type(q.id, row.typ, row.flg), row.want);
    EXPECT_EQ(long(sysv::msg_stat(q.id).msg_qnum), row.want > 0 ? 4 : 5);
}

// msgrcv(2): with msgtyp < 0, among messages of the lowest type the oldest
// comes first, and successive receives walk the types upward.
TEST(msgrcv, negative_type_drains_in_type_order, POSITIVE, LINUX) {
    Msq q;
    constexpr long kSent[] = {4, 2, 3, 2, 1}, kGot[] = {1, 2, 2, 3, 4};
    for (long t : kSent) EXPECT_OK(send(q.id, t, "m", 1));
    for (long want : kGot) EXPECT_EQ(recv_type(q.id, -100), want);
    EXPECT_EQ(recv_type(q.id, -100), -ENOMSG);
}

// msgrcv(2): a message longer than msgsz fails with E2BIG and stays queued;
// with MSG_NOERROR it is truncated to msgsz and removed.
struct Trunc {
    const char* label;
    int flg;
    long bufsz;
    long want;
};
constexpr Trunc kTrunc[] = {{"e2big", 0, 4, -E2BIG},
                            {"e2big_zero", 0, 0, -E2BIG},
                            {"noerror", MSG_NOERROR, 4, 4},
                            {"noerror_zero", MSG_NOERROR, 0, 0},
                            {"exact_fits", 0, 10, 10}};
TEST_P(msgrcv, noerror_truncates_else_e2big, BOUNDARY, LINUX, kTrunc) {
    Msq q;
    EXPECT_OK(send(q.id, 9, "0123456789", 10));
    Msg<16> m{};
    EXPECT_RET(sys::msgrcv(q.id, &m, usize(row.bufsz), 0, row.flg | IPC_NOWAIT), row.want);
    EXPECT_EQ(long(sysv::msg_stat(q.id).msg_qnum), row.want < 0 ? 1 : 0);
    if (row.want >= 0) {
        EXPECT_EQ(m.mtype, 9);
        EXPECT_MEM_EQ(m.text, "0123456789", usize(row.want));
        EXPECT_EQ(m.text[row.want], 0);  // nothing beyond the truncation
    }
}

// msgrcv(2): IPC_NOWAIT on an empty queue is ENOMSG.
TEST(msgrcv, empty_nowait_enomsg, NEGATIVE, LINUX) {
    Msq q;
    EXPECT_EQ(recv_type(q.id, 0), -ENOMSG);
    EXPECT_EQ(recv_type(q.id, -5), -ENOMSG);
}

// msgsnd(2): IPC_NOWAIT on a full queue (msg_qbytes reached) is EAGAIN and
// queues nothing.
TEST(msgsnd, full_queue_nowait_eagain, BOUNDARY, LINUX) {
    msginfo lim = sysv::msg_limits();
    Msq q;
    long p = sys::mmap(nullptr, usize(lim.msgmax) + 8, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_OK(p);
    if (p < 0) return;
    auto* m = reinterpret_cast<Msg<1>*>(p);
    m->mtype = 1;
    long sent = 0;
    while (sent < 1000 && sys::msgsnd(q.id, m, usize(lim.msgmax), IPC_NOWAIT) == 0) ++sent;
    EXPECT_EQ(sent, lim.msgmnb / lim.msgmax);
    EXPECT_ERR(sys::msgsnd(q.id, m, usize(lim.msgmax), IPC_NOWAIT), EAGAIN);
    EXPECT_EQ(long(sysv::msg_stat(q.id).msg_qnum), sent);
    sys::munmap(reinterpret_cast<void*>(p), usize(lim.msgmax) + 8);
}

// msgrcv(2) MSG_COPY (Linux 3.8): copies the message at index msgtyp
// without removing it; needs IPC_NOWAIT (else EINVAL), excludes MSG_EXCEPT
// (EINVAL); an index past the end is ENOMSG.
struct Copy {
    const char* label;
    long index;
    int flg;
    long want;  // the copied mtype, or -errno
};
constexpr Copy kCopy[] = {{"index0", 0, IPC_NOWAIT, 1},
                          {"index2", 2, IPC_NOWAIT, 3},
                          {"index3_enomsg", 3, IPC_NOWAIT, -ENOMSG},
                          {"no_nowait_einval", 0, 0, -EINVAL},
                          {"except_einval", 0, IPC_NOWAIT | MSG_EXCEPT, -EINVAL}};
TEST_P(msgrcv, msg_copy_by_index, POSITIVE, LINUX, kCopy) {
    Msq q;
    for (long t = 1; t <= 3; ++t) EXPECT_OK(send(q.id, t, "m", 1));
    Msg<8> m{};
    long r = sys::msgrcv(q.id, &m, 8, row.index, row.flg | MSG_COPY);
    if (r == -ENOSYS) kc::skip("MSG_COPY needs CONFIG_CHECKPOINT_RESTORE");
    EXPECT_EQ(r < 0 ? r : m.mtype, row.want);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qnum, 3);
}

// msgrcv(2): a receiver blocked on an empty queue wakes up with the message
// another process sends.
static void send_later(void* arg) {
    common::sleep_ms(20);
    EXPECT_OK(send(int(long(arg)), 7, "wake", 4));
}
TEST(msgrcv, blocked_woken_by_child_send, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    Msq q;
    long pid = kc::spawn(send_later, reinterpret_cast<void*>(long(q.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    Msg<8> m{};
    EXPECT_RET(sys::msgrcv(q.id, &m, 8, 7, 0), 4);
    EXPECT_MEM_EQ(m.text, "wake", 4);
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_lspid, pid);
}

// msgrcv(2)/msgsnd(2): a blocked call interrupted by a signal caught
// without SA_RESTART fails with EINTR and changes nothing.
TEST(msgrcv, blocked_interrupted_eintr, NEGATIVE, LINUX, .flags = kc::SLOW) {
    Msq q;
    sysv::Interrupter t;
    EXPECT_GE(t.timer, 0);
    Msg<8> m{};
    if (t.timer >= 0) EXPECT_ERR(sys::msgrcv(q.id, &m, 8, 0, 0), EINTR);
}
TEST(msgsnd, blocked_full_interrupted_eintr, NEGATIVE, LINUX, .flags = kc::SLOW) {
    sysv::require_ipc_set();
    Msq q;
    fill_to_one_byte(q.id);
    sysv::Interrupter t;
    EXPECT_GE(t.timer, 0);
    if (t.timer >= 0) EXPECT_ERR(send(q.id, 1, "b", 1), EINTR);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qnum, 1);
}

// msgrcv(2)/msgsnd(2): a receiver blocked on an empty queue, or a sender
// blocked on a full one, fails with EIDRM when the queue is removed.
// Nothing tells when the caller has blocked, so the child waits 50 ms first;
// if the caller was slower than that (EINVAL: the queue was already gone), the
// test tries again with 100 and 200 ms. A kernel that answers a blocked
// caller with EINVAL fails all three tries.
struct RemoveLater {
    int id;
    int ms;
};
static void remove_later(void* arg) {
    auto* r = static_cast<RemoveLater*>(arg);
    common::sleep_ms(r->ms);
    EXPECT_OK(sys::msgctl(r->id, IPC_RMID, nullptr));
}
static void blocked_queue_removed(int op) {
    if (op == 0) sysv::require_ipc_set();
    long r = -EINVAL;
    for (int ms = 50; ms <= 200 && r == -EINVAL; ms *= 2) {
        Msq q;
        if (op == 0) fill_to_one_byte(q.id);
        RemoveLater arg{q.id, ms};
        long pid = kc::spawn(remove_later, &arg);
        EXPECT_OK(pid);
        if (pid < 0) return;
        Msg<8> m{1, {}};
        r = op ? sys::msgrcv(q.id, &m, 8, 0, 0) : sys::msgsnd(q.id, &m, 1, 0);
        EXPECT_CHILD_OK(pid);
        EXPECT_ERR(q.rm(), EINVAL);  // the child removed it
    }
    EXPECT_ERR(r, EIDRM);
}
// msgrcv(2) EIDRM: "While the process was sleeping to receive a message,
// the message queue was removed" (a table of one row: the ID keeps its label).
constexpr Op kBlockedRecv[] = {{"msgrcv_empty", 1}};
TEST_P(msgrcv, blocked_queue_removed_eidrm, NEGATIVE, LINUX, kBlockedRecv,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    blocked_queue_removed(row.op);
}
// msgsnd(2) EIDRM: "The message queue was removed" while the sender slept on
// a full queue.
constexpr Op kBlockedSend[] = {{"msgsnd_full", 0}};
TEST_P(msgsnd, blocked_queue_removed_eidrm, NEGATIVE, LINUX, kBlockedSend,
       .flags = kc::NEEDS_FORK | kc::SLOW) {
    blocked_queue_removed(row.op);
}

// msgsnd(2): a sender blocked on a full queue completes when another
// process receives and makes room.
static void receive_later(void* arg) {
    common::sleep_ms(20);
    EXPECT_EQ(recv_type(int(long(arg)), 0), 1);
}
TEST(msgsnd, blocked_full_woken_by_child_receive, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::SLOW) {
    sysv::require_ipc_set();
    Msq q;
    fill_to_one_byte(q.id);
    long pid = kc::spawn(receive_later, reinterpret_cast<void*>(long(q.id)));
    EXPECT_OK(pid);
    if (pid < 0) return;
    EXPECT_OK(send(q.id, 2, "b", 1));
    EXPECT_CHILD_OK(pid);
    EXPECT_EQ(recv_type(q.id, 0), 2);
    EXPECT_EQ(sysv::msg_stat(q.id).msg_lrpid, sys::getpid());
}

// svipc(7): another user (kc::other_uid(), without capabilities, in a
// child) may not use a 0600 queue (EACCES) nor remove it (EPERM); with mode
// 0666 it may send.
static void other_user_msg(void* arg) {
    int id = int(long(arg) & 0xffffffff);
    bool open = long(arg) >> 32;
    if (!kc::become_other_user()) {
        ADD_FAILURE("cannot become the other user");
        return;
    }
    if (open) {
        EXPECT_OK(send(id, 1, "n", 1));
    } else {
        EXPECT_ERR(send(id, 1, "n", 1), EACCES);
        EXPECT_EQ(recv_type(id, 0), -EACCES);
    }
    EXPECT_ERR(sys::msgctl(id, IPC_RMID, nullptr), EPERM);
}
constexpr Mode kOtherModes[] = {{"0600_denied", 0600}, {"0666_allowed", 0666}};
TEST_P(msgsnd, other_user_permissions, NEGATIVE, LINUX, kOtherModes, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    Msq q(row.mode);
    long arg = long(q.id) | (long(row.mode == 0666) << 32);
    long pid = kc::spawn(other_user_msg, reinterpret_cast<void*>(arg));
    EXPECT_OK(pid);
    if (pid >= 0) EXPECT_CHILD_OK(pid);
    EXPECT_EQ(long(sysv::msg_stat(q.id).msg_qnum), row.mode == 0666 ? 1 : 0);
}
