// SPDX-License-Identifier: MIT
// System V message queues, the queue itself: msgget(2) and msgctl(2).
// Covers creation with IPC_PRIVATE (permissions and initial state), argument
// validation (ids, commands, EFAULT), IPC_STAT/IPC_SET (msg_qbytes, mode)
// /IPC_INFO/MSG_STAT, IPC_RMID, access by euid to a mode-0 queue, and a leak
// test.
// Profile: XSI IPC is not part of the PSE51-PSE53 profiles, so every test is
// LINUX. Not covered: fixed keys (other suite instances share the key space),
// MSG_STAT_ANY, msgmni exhaustion (system-wide), the time fields' values;
// sending and receiving messages (msgsnd.cpp).
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

}  // namespace

// msgget(2): IPC_PRIVATE always makes a new queue, with or without
// IPC_CREAT|IPC_EXCL; the ids differ.
struct GetFlags {
    const char* label;
    int flags;
};
constexpr GetFlags kGetFlags[] = {
    {"flags=0", 0}, {"IPC_CREAT", IPC_CREAT}, {"IPC_CREAT|IPC_EXCL", IPC_CREAT | IPC_EXCL}};
TEST_P(msgget, private_always_creates, POSITIVE, LINUX, kGetFlags) {
    Msq a;
    long b = sys::msgget(IPC_PRIVATE, row.flags | 0600);
    EXPECT_OK(a.id);
    EXPECT_OK(b);
    EXPECT_NE(b, a.id);
    if (b >= 0) EXPECT_OK(sys::msgctl(int(b), IPC_RMID, nullptr));
}

// msgget(2), svipc(7): the new queue's ipc_perm holds the mode bits, the
// caller's euid/egid as owner and creator, key IPC_PRIVATE; it is empty and
// its qbytes is MSGMNB.
constexpr Mode kModes[] = {
    {"0600", 0600}, {"0644", 0644}, {"0400", 0400}, {"0", 0}, {"0777", 0777}};
TEST_P(msgget, new_queue_perm_and_state, POSITIVE, LINUX, kModes) {
    Msq q(row.mode);
    msqid64_ds d{};
    long r = sys::msgctl(q.id, IPC_STAT, &d);
    if (row.mode == 0 && !sysv::ipc_owner()) {
        EXPECT_ERR(r, EACCES);  // mode 0 denies reading even to the owner
        return;
    }
    EXPECT_OK(r);
    EXPECT_EQ(d.msg_perm.mode & 0777, row.mode);
    EXPECT_EQ(d.msg_perm.key, IPC_PRIVATE);
    EXPECT_EQ(d.msg_perm.uid, sys::geteuid());
    EXPECT_EQ(d.msg_perm.cuid, sys::geteuid());
    EXPECT_EQ(d.msg_perm.gid, sys::getegid());
    EXPECT_EQ(d.msg_perm.cgid, sys::getegid());
    EXPECT_EQ(d.msg_qnum, 0);
    EXPECT_EQ(d.msg_cbytes, 0);
    EXPECT_EQ(d.msg_lspid, 0);
    EXPECT_EQ(d.msg_lrpid, 0);
    EXPECT_EQ(d.msg_stime, 0);
    EXPECT_GT(d.msg_ctime, 0);
    EXPECT_EQ(long(d.msg_qbytes), sysv::msg_limits().msgmnb);
}

// Leak test: 10,000 queues created and removed; one more still works.
TEST(msgget, create_remove_10000, BOUNDARY, LINUX, .flags = kc::SLOW) {
    for (int i = 0; i < 10000; ++i) {
        long id = sysv::new_msg();
        if (id < 0) {
            EXPECT_OK(id);
            return;
        }
        if (sys::msgctl(int(id), IPC_RMID, nullptr) != 0) {
            ADD_FAILURE("IPC_RMID failed");
            return;
        }
    }
    Msq q;
    EXPECT_OK(q.id);
    EXPECT_OK(send(q.id, 1, "x", 1));
}

// msgsnd(2)/msgrcv(2)/msgctl(2): an id that names no queue (negative, or one
// already removed) is EINVAL.
constexpr Op kOps[] = {{"msgsnd", 0}, {"msgrcv", 1}, {"msgctl_stat", 2}, {"msgctl_rmid", 3}};
static long msg_op(int op, int id) {
    Msg<8> m{1, {}};
    msqid64_ds d;
    switch (op) {
        case 0:
            return sys::msgsnd(id, &m, 1, IPC_NOWAIT);
        case 1:
            return sys::msgrcv(id, &m, 8, 0, IPC_NOWAIT);
        case 2:
            return sys::msgctl(id, IPC_STAT, &d);
        default:
            return sys::msgctl(id, IPC_RMID, nullptr);
    }
}
static void negative_id(int op) {
    EXPECT_ERR(sysv::need(msg_op(op, -1), "no System V message queues"), EINVAL);
    EXPECT_ERR(msg_op(op, INT_MIN), EINVAL);
}
// msgsnd(2) EINVAL: "Invalid msqid value" (-1, INT_MIN).
TEST(msgsnd, negative_id_einval, NEGATIVE, LINUX) { negative_id(0); }
// msgrcv(2) EINVAL: "msqid was invalid" (-1, INT_MIN).
TEST(msgrcv, negative_id_einval, NEGATIVE, LINUX) { negative_id(1); }
// msgctl(2) EINVAL: "msqid is not a valid identifier", for IPC_STAT and
// IPC_RMID.
constexpr Op kCtlOps[] = {{"msgctl_stat", 2}, {"msgctl_rmid", 3}};
TEST_P(msgctl, negative_id_einval, NEGATIVE, LINUX, kCtlOps) { negative_id(row.op); }
// msgsnd(2), msgrcv(2), msgctl(2): the id of a removed queue is EINVAL (the
// IPC_RMID that removes it is msgctl's; the call under test is the row's).
TEST_P(msgctl, removed_id_einval, NEGATIVE, LINUX, kOps) {
    long id = sysv::new_msg();
    ASSERT_OK(id);
    ASSERT_OK(sys::msgctl(int(id), IPC_RMID, nullptr));
    EXPECT_ERR(msg_op(row.op, int(id)), EINVAL);
}

// msgsnd(2)/msgrcv(2)/msgctl(2): a buffer outside the address space is
// EFAULT (msgrcv: a message must be there to copy).
constexpr Op kFaultOps[] = {{"msgsnd", 0}, {"msgrcv", 1}, {"msgctl_stat", 2}, {"msgctl_set", 3}};
TEST_P(msgctl, bad_buffer_efault, NEGATIVE, LINUX, kFaultOps) {
    if (row.op == 3) {  // IPC_SET reads the buffer
        Msq q;
        EXPECT_ERR(sys::msgctl(q.id, IPC_SET, reinterpret_cast<void*>(8)), EFAULT);
        return;
    }
    Msq q;
    EXPECT_OK(send(q.id, 1, "x", 1));
    void* bad = reinterpret_cast<void*>(8);
    long r = row.op == 0   ? sys::msgsnd(q.id, bad, 1, IPC_NOWAIT)
             : row.op == 1 ? sys::msgrcv(q.id, bad, 8, 0, IPC_NOWAIT)
                           : sys::msgctl(q.id, IPC_STAT, bad);
    EXPECT_ERR(r, EFAULT);
}

// msgctl(2) IPC_SET: lowering msg_qbytes limits the queue; a send that no
// longer fits is EAGAIN with IPC_NOWAIT; the new value reads back.
TEST(msgctl, ipc_set_lower_qbytes_eagain, BOUNDARY, LINUX) {
    sysv::require_ipc_set();
    Msq q;
    msqid64_ds d = sysv::msg_stat(q.id);
    d.msg_qbytes = 20;
    EXPECT_OK(sys::msgctl(q.id, IPC_SET, &d));
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qbytes, 20);
    Msg<32> m{1, {}};
    EXPECT_OK(sys::msgsnd(q.id, &m, 20, IPC_NOWAIT));
    EXPECT_ERR(sys::msgsnd(q.id, &m, 1, IPC_NOWAIT), EAGAIN);
    EXPECT_ERR(sys::msgsnd(q.id, &m, 21, IPC_NOWAIT), EAGAIN);
    EXPECT_RET(sys::msgrcv(q.id, &m, 32, 0, IPC_NOWAIT), 20);
    EXPECT_OK(sys::msgsnd(q.id, &m, 20, IPC_NOWAIT));
}

// msgctl(2) IPC_SET: raising msg_qbytes above MSGMNB needs
// CAP_SYS_RESOURCE (EPERM without it). The kernel asks capable(), so only
// the capability in the initial user namespace counts.
// The denial runs in an unprivileged child that owns the queue
// (sysv::hand_over): lowering msg_qbytes is allowed to it, raising it is
// EPERM; this process then raises it when it has the capability.
static void raise_qbytes_child(void* arg) {
    int id = int(long(arg));
    sysv::become_denied();
    msqid64_ds d = sysv::msg_stat(id);
    u64 mnb = u64(sysv::msg_limits().msgmnb), want = mnb;
    if (kc::own_ids_mapped()) {         // else IPC_SET fails on the owner ids (EINVAL)
        d.msg_qbytes = want = mnb - 1;  // the owner may lower it: ownership is recognised
        EXPECT_OK(sys::msgctl(id, IPC_SET, &d));
    }
    d.msg_qbytes = mnb + 1;  // EPERM comes before the owner ids are checked
    EXPECT_ERR(sys::msgctl(id, IPC_SET, &d), EPERM);
    EXPECT_EQ(sysv::msg_stat(id).msg_qbytes, want);
}
TEST(msgctl, ipc_set_raise_qbytes_needs_cap, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    sysv::need_denial();
    Msq q(sysv::denial_mode(0600));
    ASSERT_OK(q.id);
    sysv::hand_over(sysv::MSG, q.id, 0600);
    long pid = kc::spawn(raise_qbytes_child, reinterpret_cast<void*>(long(q.id)));
    ASSERT_OK(pid);
    EXPECT_CHILD_OK(pid);
    if (!kc::cap_usable(CAP_SYS_RESOURCE)) return;
    msqid64_ds d = sysv::msg_stat(q.id);
    d.msg_qbytes = u64(sysv::msg_limits().msgmnb) + 1;
    EXPECT_OK(sys::msgctl(q.id, IPC_SET, &d));
    EXPECT_EQ(sysv::msg_stat(q.id).msg_qbytes, d.msg_qbytes);
}

// msgctl(2) IPC_STAT: qnum and cbytes count the queued messages and bytes;
// lspid/lrpid are the last sender's and receiver's pids; stime/rtime set.
TEST(msgctl, ipc_stat_counts_and_pids, POSITIVE, LINUX) {
    Msq q;
    EXPECT_OK(send(q.id, 1, "hello", 5));
    EXPECT_OK(send(q.id, 2, "goodbye", 7));
    msqid64_ds d = sysv::msg_stat(q.id);
    EXPECT_EQ(d.msg_qnum, 2);
    EXPECT_EQ(d.msg_cbytes, 12);
    EXPECT_EQ(d.msg_lspid, sys::getpid());
    EXPECT_EQ(d.msg_lrpid, 0);
    EXPECT_GT(d.msg_stime, 0);
    EXPECT_EQ(d.msg_rtime, 0);
    EXPECT_EQ(recv_type(q.id, 1), 1);
    d = sysv::msg_stat(q.id);
    EXPECT_EQ(d.msg_qnum, 1);
    EXPECT_EQ(d.msg_cbytes, 7);
    EXPECT_EQ(d.msg_lrpid, sys::getpid());
    EXPECT_GT(d.msg_rtime, 0);
}

// msgctl(2) IPC_SET: the mode's permission bits change; others are ignored.
// Where this process's ids are unmapped in its user namespace, IPC_STAT
// reads the owner back as the overflow id, and IPC_SET rejects that id with
// EINVAL, changing nothing (ipc_update_perm).
TEST(msgctl, ipc_set_mode, POSITIVE, LINUX) {
    Msq q;
    msqid64_ds d = sysv::msg_stat(q.id);
    d.msg_perm.mode = 0640;
    if (!kc::own_ids_mapped()) {
        EXPECT_ERR(sys::msgctl(q.id, IPC_SET, &d), EINVAL);
        EXPECT_EQ(sysv::msg_stat(q.id).msg_perm.mode & 0777, 0600);
        return;
    }
    EXPECT_OK(sys::msgctl(q.id, IPC_SET, &d));
    EXPECT_EQ(sysv::msg_stat(q.id).msg_perm.mode & 0777, 0640);
}

// msgctl(2): an unknown command is EINVAL.
constexpr sysv::Cmd kBadCmds[] = {{"-1", -1}, {"4", 4}, {"10", 10}, {"14", 14}, {"1000", 1000}};
TEST_P(msgctl, bad_cmd_einval, NEGATIVE, LINUX, kBadCmds) {
    Msq q;
    msqid64_ds d{};
    EXPECT_ERR(sys::msgctl(q.id, row.cmd, &d), EINVAL);
}

// msgctl(2) IPC_RMID: a second removal of the same id is EINVAL.
TEST(msgctl, rmid_twice_einval, NEGATIVE, LINUX) {
    long id = sysv::new_msg();
    ASSERT_OK(id);
    EXPECT_OK(sys::msgctl(int(id), IPC_RMID, nullptr));
    EXPECT_ERR(sys::msgctl(int(id), IPC_RMID, nullptr), EINVAL);
}

// msgctl(2) IPC_INFO: returns the highest used index and the limits
// (MSGMAX <= MSGMNB, both positive).
TEST(msgctl, ipc_info_limits, POSITIVE, LINUX) {
    Msq q;
    msginfo m{};
    long r = sys::msgctl(0, IPC_INFO, &m);
    EXPECT_GE(r, q.id & 0x7fff);
    EXPECT_GT(m.msgmax, 0);
    EXPECT_GE(m.msgmnb, m.msgmax);
    EXPECT_GT(m.msgmni, 0);
}

// msgctl(2) MSG_STAT: takes an index (id mod 32768 on Linux) and returns the
// full id with the same data as IPC_STAT.
TEST(msgctl, msg_stat_by_index, POSITIVE, LINUX) {
    Msq q;
    EXPECT_OK(send(q.id, 1, "abc", 3));
    msqid64_ds d{};
    EXPECT_RET(sys::msgctl(q.id & 0x7fff, MSG_STAT, &d), q.id);
    EXPECT_EQ(d.msg_cbytes, 3);
}

// svipc(7): a mode-0 queue denies send, receive and IPC_STAT (EACCES) to a
// caller without CAP_IPC_OWNER over the IPC namespace, even its owner: the
// call runs in an unprivileged child that owns the queue (sysv::hand_over).
// A caller with the capability (this process, when it has it) is permitted.
// IPC_RMID by the owner is allowed whatever the mode.
static void mode0_msg_child(void* arg) {
    long a = long(arg);
    int id = int(a & 0xffffffff), op = int(a >> 32);
    sysv::become_denied();
    long r = msg_op(op, id);
    if (op == 3) {
        EXPECT_OK(r);
    } else {
        EXPECT_ERR(r, EACCES);
    }
}
TEST_P(msgctl, mode0_access_by_euid, NEGATIVE, LINUX, kOps, .flags = kc::NEEDS_FORK) {
    sysv::need_denial();
    Msq q(sysv::denial_mode(0));
    ASSERT_OK(q.id);
    sysv::hand_over(sysv::MSG, q.id, 0);
    long pid = kc::spawn(mode0_msg_child, reinterpret_cast<void*>(long(q.id) | long(row.op) << 32));
    ASSERT_OK(pid);
    EXPECT_CHILD_OK(pid);
    if (row.op == 3) {  // the child removed it
        EXPECT_ERR(msg_op(2, q.id), EINVAL);
        q.id = -1;
    } else if (sysv::ipc_owner()) {
        if (row.op == 1) EXPECT_OK(send(q.id, 1, "x", 1));
        EXPECT_OK(msg_op(row.op, q.id));
    }
}
