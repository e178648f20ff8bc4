// SPDX-License-Identifier: MIT
// More subtle faults, of the same six classes as faults_subtle.cpp, over the
// calls that catalogue did not reach: creation flags of every descriptor
// kind, wait and signal-action options, output fields of the stat, statfs,
// uname, timer, rlimit and IPC structs, counts that transfer calls report,
// wake-up counts, signal details of faults and timers, and permission checks
// of creation, ownership, scheduling and IPC calls.
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <utility>

#include "fault_kit.hpp"
#include "faults.hpp"

namespace kfi {

namespace {

// Kernel struct offsets (x86-64), from the UAPI headers.
constexpr unsigned long SA_MASK_OFF = 24;  // struct sigaction: handler, flags, restorer, mask
constexpr unsigned long SA_FLAGS_OFF = 8;
constexpr unsigned long ST_INO_OFF = 8;  // struct stat
constexpr unsigned long ST_MODE_OFF = 24;
constexpr unsigned long ST_UID_OFF = 28;
constexpr unsigned long ST_RDEV_OFF = 40;
constexpr unsigned long ST_SIZE_OFF = 48;
constexpr unsigned long ST_MTIME_NSEC_OFF = 96;
constexpr unsigned long UTS_MACHINE_OFF = 4 * 65;  // struct utsname: six 65-byte fields
constexpr unsigned long STATFS_NAMELEN_OFF = 64;   // struct statfs
constexpr unsigned long SS_FLAGS_OFF = 8;          // stack_t: ss_sp, ss_flags, ss_size
constexpr unsigned long RLIM_MAX_OFF = 8;          // struct rlimit: cur, max
constexpr unsigned long SYSINFO_PROCS_OFF = 80;    // struct sysinfo
constexpr unsigned long MQ_CURMSGS_OFF = 24;     // struct mq_attr: flags, maxmsg, msgsize, curmsgs
constexpr unsigned long SHM_NATTCH_OFF = 88;     // struct shmid64_ds
constexpr unsigned long MSG_QNUM_OFF = 80;       // struct msqid64_ds
constexpr unsigned long MSG_NAMELEN_OFF = 8;     // struct msghdr
constexpr unsigned long DIRENT_RECLEN_OFF = 16;  // struct linux_dirent64
constexpr unsigned long DIRENT_TYPE_OFF = 18;
constexpr unsigned long OPEN_HOW_RESOLVE_OFF = 16;  // struct open_how: flags, mode, resolve

constexpr unsigned long kOPath = 010000000, kMsgNoerror = 010000, kMsgExcept = 020000;
constexpr unsigned long kSemUndo = 0x1000, kCloseRangeCloexec = 4, kRenameNoreplace = 1;
constexpr unsigned long kResolveNoSymlinks = 0x04, kResolveBeneath = 0x08;
constexpr unsigned long kMsgCmsgCloexec = 0x40000000, kMremapFixed = 2, kMremapDontunmap = 4;
constexpr long kPrSetName = 15, kSemctlGetval = 12;
constexpr long kSysOpenat2 = 437, kSysCloseRange = 436, kSysFaccessat2 = 439;
constexpr int kSiTimer = -2, kSiQueue = -1;
constexpr int kKernelSigrtmin = 32;  // the kernel's; glibc's SIGRTMIN is 34

// Zeroes `n` (at most 16) bytes at where(call) for the call only (restored at
// exit): the kernel ignored that part of its input.
Fault ignore_input_bytes(const char* name, const char* cls, std::vector<long> nrs,
                         std::function<unsigned long(const Call&)> where, unsigned long n) {
    struct Saved {
        unsigned char bytes[16];
    };
    auto saved = std::make_shared<std::map<pid_t, Saved>>();
    return make(
        name, cls, std::move(nrs),
        [where, n, saved](Call& c) {
            Saved s{};
            unsigned char zero[16] = {};
            unsigned long at = where(c);
            if (!at || !c.read(at, s.bytes, n) || std::memcmp(s.bytes, zero, n) == 0) return pass();
            (*saved)[c.tid] = s;
            c.stash = long(at);
            c.write(at, zero, n);
            return pass();
        },
        [n, saved](Call& c) {
            if (!c.stash) return;
            c.write(static_cast<unsigned long>(c.stash), (*saved)[c.tid].bytes, n);
            saved->erase(c.tid);
        });
}

// After msgctl/shmctl IPC_STAT, the 64-bit field at `offset` of the
// returned struct reads 0.
Fault ipc_stat_field_zero(const char* name, const char* cls, long nr, unsigned long offset) {
    return make(
        name, cls, {nr}, [](Call&) { return pass(); },
        [offset](Call& c) {
            uint64_t zero = 0;
            if (c.ret == 0 && (c.args[1] & 0xff) == IPC_STAT && c.args[2])
                c.write(c.args[2] + offset, &zero, sizeof zero);
        });
}

// Walks the linux_dirent64 records getdents64 returned; fn(offset of the
// record, its reclen) for each.
void each_dirent(const Call& c, const std::function<void(unsigned long, uint16_t)>& fn) {
    unsigned long at = 0;
    while (at + 19 <= static_cast<unsigned long>(c.ret)) {
        uint16_t reclen = 0;
        if (!c.read(c.args[1] + at + DIRENT_RECLEN_OFF, &reclen, sizeof reclen) || reclen < 19)
            return;
        fn(at, reclen);
        at += reclen;
    }
}

void add_flags(std::vector<Fault>& f) {
    f.push_back(drop_flags("open_path_ignored", "O_PATH ignored: the descriptor can read and write",
                           {SYS_open, SYS_openat}, kOPath));
    f.push_back(ignore_flag_in_struct("openat2_no_symlinks_ignored",
                                      "RESOLVE_NO_SYMLINKS ignored by openat2: links are followed",
                                      {kSysOpenat2}, 2, OPEN_HOW_RESOLVE_OFF, kResolveNoSymlinks));
    f.push_back(ignore_flag_in_struct("openat2_beneath_ignored",
                                      "RESOLVE_BENEATH ignored by openat2: '..' escapes the root",
                                      {kSysOpenat2}, 2, OPEN_HOW_RESOLVE_OFF, kResolveBeneath));
    f.push_back(make("mmap_shared_as_private",
                     "MAP_SHARED treated as MAP_PRIVATE: stores reach neither the file nor "
                     "other processes",
                     {SYS_mmap}, [](Call& c) {
                         if ((c.args[3] & MAP_TYPE) == MAP_SHARED)
                             c.args[3] =
                                 (c.args[3] & ~static_cast<unsigned long>(MAP_TYPE)) | MAP_PRIVATE;
                         return pass();
                     }));
    f.push_back(ignore_flag("mremap_fixed_ignored",
                            "MREMAP_FIXED ignored: the mapping moves elsewhere than asked",
                            {SYS_mremap}, 3, kMremapFixed));
    f.push_back(ignore_flag("mremap_dontunmap_ignored",
                            "MREMAP_DONTUNMAP ignored: the old range is unmapped", {SYS_mremap}, 3,
                            kMremapDontunmap));
    f.push_back(drop_flags("recv_trunc_ignored",
                           "MSG_TRUNC ignored: a datagram receive returns the copied length, not "
                           "the datagram's",
                           {SYS_recvfrom, SYS_recvmsg}, MSG_TRUNC));
    f.push_back(drop_flags("recvmsg_cmsg_cloexec_ignored",
                           "MSG_CMSG_CLOEXEC ignored: received descriptors lack FD_CLOEXEC",
                           {SYS_recvmsg}, kMsgCmsgCloexec));
    f.push_back(make("new_fd_cloexec_ignored",
                     "the close-on-exec flag of socket, accept4, epoll_create1, inotify_init1, "
                     "eventfd2, timerfd_create, signalfd4 is ignored",
                     {SYS_socket, SYS_socketpair, SYS_accept4, SYS_epoll_create1, SYS_inotify_init1,
                      SYS_eventfd2, SYS_timerfd_create, SYS_signalfd4},
                     [](Call& c) {
                         int arg = c.nr == SYS_accept4 || c.nr == SYS_signalfd4             ? 3
                                   : c.nr == SYS_epoll_create1 || c.nr == SYS_inotify_init1 ? 0
                                                                                            : 1;
                         c.args[arg] &= ~static_cast<unsigned long>(O_CLOEXEC);
                         return pass();
                     }));
    f.push_back(ignore_flag("memfd_cloexec_ignored", "MFD_CLOEXEC ignored: the memfd survives exec",
                            {SYS_memfd_create}, 1, 1 /* MFD_CLOEXEC */));
    f.push_back(make("fcntl_dupfd_cloexec_as_dupfd",
                     "F_DUPFD_CLOEXEC handled as F_DUPFD: the copy lacks FD_CLOEXEC", {SYS_fcntl},
                     [](Call& c) {
                         if (c.args[1] == F_DUPFD_CLOEXEC) c.args[1] = F_DUPFD;
                         return pass();
                     }));
    f.push_back(ignore_flag("accept4_nonblock_ignored",
                            "SOCK_NONBLOCK ignored by accept4: the connection blocks",
                            {SYS_accept4}, 3, SOCK_NONBLOCK));
    f.push_back(ignore_flag("signalfd_nonblock_ignored",
                            "SFD_NONBLOCK ignored: reading a signalfd with nothing pending blocks",
                            {SYS_signalfd4}, 3, O_NONBLOCK));
    f.push_back(drop_flags("waitid_wnowait_ignored",
                           "WNOWAIT ignored: a waitid that should leave the child waitable reaps "
                           "it",
                           {SYS_waitid}, WNOWAIT));
    f.push_back(drop_flags("wait_wcontinued_ignored",
                           "WCONTINUED ignored: a continued child is not reported",
                           {SYS_wait4, SYS_waitid}, WCONTINUED));
    f.push_back(drop_flags("wait_wuntraced_ignored",
                           "WUNTRACED/WSTOPPED ignored: a stopped child is not reported",
                           {SYS_wait4, SYS_waitid}, WUNTRACED));
    f.push_back(ignore_flag("timer_settime_abstime_ignored",
                            "TIMER_ABSTIME ignored by timer_settime: an absolute expiry armed as "
                            "relative",
                            {SYS_timer_settime}, 1, TIMER_ABSTIME));
    f.push_back(ignore_input_bytes(
        "periodic_interval_ignored",
        "the interval of setitimer, timer_settime and timerfd_settime is dropped: a periodic "
        "timer fires once",
        {SYS_setitimer, SYS_timer_settime, SYS_timerfd_settime},
        [](const Call& c) { return c.nr == SYS_setitimer ? c.args[1] : c.args[2]; }, 16));
    f.push_back(ignore_flag("unlinkat_removedir_ignored",
                            "AT_REMOVEDIR ignored: unlinkat of a directory fails with EISDIR",
                            {SYS_unlinkat}, 2, AT_REMOVEDIR));
    f.push_back(ignore_flag("linkat_symlink_follow_ignored",
                            "AT_SYMLINK_FOLLOW ignored: linkat links the symlink, not its target",
                            {SYS_linkat}, 4, AT_SYMLINK_FOLLOW));
    f.push_back(ignore_flag("fchownat_nofollow_ignored",
                            "AT_SYMLINK_NOFOLLOW ignored by fchownat: the target changes owner",
                            {SYS_fchownat}, 4, AT_SYMLINK_NOFOLLOW));
    f.push_back(ignore_flag("renameat2_noreplace_ignored",
                            "RENAME_NOREPLACE ignored: an existing target is replaced",
                            {SYS_renameat2}, 4, kRenameNoreplace));
    f.push_back(ignore_flag("close_range_cloexec_ignored",
                            "CLOSE_RANGE_CLOEXEC ignored: the descriptors are closed instead",
                            {kSysCloseRange}, 2, kCloseRangeCloexec));
    f.push_back(ignore_flag("msgrcv_noerror_ignored",
                            "MSG_NOERROR ignored: a long message fails with E2BIG instead of "
                            "being cut",
                            {SYS_msgrcv}, 4, kMsgNoerror));
    f.push_back(ignore_flag("msgrcv_except_ignored",
                            "MSG_EXCEPT ignored: msgrcv takes the first message of the type",
                            {SYS_msgrcv}, 4, kMsgExcept));
    f.push_back(ignore_flag_in_struct("semop_undo_ignored",
                                      "SEM_UNDO ignored: a dead process's semaphore adjustments "
                                      "stay",
                                      {SYS_semop, SYS_semtimedop}, 1, 2, uint32_t(kSemUndo) << 16));
    f.push_back(make("prctl_set_name_ignored", "PR_SET_NAME reports success but keeps the name",
                     {SYS_prctl},
                     [](Call& c) { return long(c.args[0]) == kPrSetName ? ret(0) : pass(); }));
    f.push_back(ignore_flag_in_struct("sigaction_mask_ignored",
                                      "sa_mask ignored: other signals interrupt the handler",
                                      {SYS_rt_sigaction}, 1, SA_MASK_OFF, 0xffffffffu));
    f.push_back(ignore_flag_in_struct("sigaction_nocldstop_ignored",
                                      "SA_NOCLDSTOP ignored: SIGCHLD arrives for stopped children",
                                      {SYS_rt_sigaction}, 1, SA_FLAGS_OFF, SA_NOCLDSTOP));
    f.push_back(ignore_flag_in_struct("sigaction_nocldwait_ignored",
                                      "SA_NOCLDWAIT ignored: ended children become zombies",
                                      {SYS_rt_sigaction}, 1, SA_FLAGS_OFF, SA_NOCLDWAIT));
    f.push_back(make("poll_sigmask_ignored",
                     "the signal mask of ppoll, pselect6 and epoll_pwait is not applied",
                     {SYS_ppoll, SYS_pselect6, SYS_epoll_pwait}, [](Call& c) {
                         c.args[c.nr == SYS_ppoll ? 3 : c.nr == SYS_pselect6 ? 5 : 4] = 0;
                         return pass();
                     }));
    f.push_back(make("fallocate_punch_hole_ignored",
                     "FALLOC_FL_PUNCH_HOLE reports success but keeps the data", {SYS_fallocate},
                     [](Call& c) { return (c.args[1] & 0x02) ? ret(0) : pass(); }));
    f.push_back(make("lseek_cur_as_set", "SEEK_CUR handled as SEEK_SET", {SYS_lseek}, [](Call& c) {
        if (c.args[2] == SEEK_CUR && c.args[1] != 0) c.args[2] = SEEK_SET;
        return pass();
    }));
}

void add_fields(std::vector<Fault>& f) {
    f.push_back(rewrite_stat_field<int64_t>(
        "stat_size_off_by_one", "st_size one byte more than the regular file holds", ST_SIZE_OFF,
        [](const Call&, int64_t& s) { ++s; }, S_IFREG));
    f.push_back(rewrite_stat_field<uint64_t>(
        "fstat_ino_differs", "fstat reports another inode number than stat for the same file",
        ST_INO_OFF, [](const Call&, uint64_t& i) { i ^= 0x10000; }, 0, {SYS_fstat}));
    f.push_back(rewrite_stat_field<uint32_t>("stat_uid_wrong", "st_uid names another owner",
                                             ST_UID_OFF, [](const Call&, uint32_t& u) { u ^= 1; }));
    f.push_back(rewrite_stat_field<long>("stat_mtime_nsec_dropped",
                                         "timestamps lose their nanoseconds (st_mtim.tv_nsec 0)",
                                         ST_MTIME_NSEC_OFF, [](const Call&, long& ns) { ns = 0; }));
    f.push_back(rewrite_stat_field<uint64_t>(
        "stat_rdev_zero", "st_rdev of a device file not filled in", ST_RDEV_OFF,
        [](const Call&, uint64_t& r) { r = 0; }, S_IFCHR));
    f.push_back(rewrite_stat_field<uint32_t>(
        "stat_dir_reported_as_file",
        "file type bits wrong: a directory described as a regular file", ST_MODE_OFF,
        [](const Call&, uint32_t& m) { m = (m & ~uint32_t(S_IFMT)) | S_IFREG; }, S_IFDIR));
    f.push_back(rewrite_stat_field<uint32_t>(
        "stat_permission_bits_wrong", "st_mode's permission bits lose the group write bit",
        ST_MODE_OFF, [](const Call&, uint32_t& m) { m &= ~uint32_t(S_IWGRP); }));
    f.push_back(make(
        "getdents_dir_type_as_file", "getdents64 reports directories with d_type DT_REG",
        {SYS_getdents64}, [](Call&) { return pass(); },
        [](Call& c) {
            each_dirent(c, [&c](unsigned long at, uint16_t) {
                unsigned char t = 0;
                if (c.read(c.args[1] + at + DIRENT_TYPE_OFF, &t, 1) && t == 4 /* DT_DIR */) {
                    t = 8;  // DT_REG
                    c.write(c.args[1] + at + DIRENT_TYPE_OFF, &t, 1);
                }
            });
        }));
    f.push_back(rewrite_out_field<char>(
        "uname_machine_wrong", "uname's machine field names another architecture", {SYS_uname}, 0,
        UTS_MACHINE_OFF, [](const Call&, char& ch) { ch = 'i'; }));
    f.push_back(rewrite_out_field<long>("statfs_namelen_zero", "statfs's f_namelen left 0",
                                        {SYS_statfs, SYS_fstatfs}, 1, STATFS_NAMELEN_OFF,
                                        [](const Call&, long& n) { n = 0; }));
    f.push_back(rewrite_out_field<int>("sigaltstack_old_flags_lost",
                                       "sigaltstack's old ss_flags reported 0 (no SS_ONSTACK, "
                                       "SS_DISABLE)",
                                       {SYS_sigaltstack}, 1, SS_FLAGS_OFF,
                                       [](const Call&, int& fl) { fl = 0; }));
    f.push_back(rewrite_out_field<timespec>(
        "timer_gettime_interval_lost", "timer_gettime reports a periodic timer's interval as 0",
        {SYS_timer_gettime}, 1, 0, [](const Call&, timespec& iv) { iv = {}; }));
    f.push_back(rewrite_out_field<timeval>(
        "getitimer_interval_lost", "getitimer reports a periodic timer's interval as 0",
        {SYS_getitimer}, 1, 0, [](const Call&, timeval& iv) { iv = {}; }));
    f.push_back(rewrite_out_field<uint64_t>(
        "sigaction_old_flags_lost", "rt_sigaction's old action comes back without its sa_flags",
        {SYS_rt_sigaction}, 2, SA_FLAGS_OFF, [](const Call&, uint64_t& fl) { fl = 0; }));
    f.push_back(make(
        "getrlimit_max_as_cur", "getrlimit/prlimit report the soft limit as the hard limit",
        {SYS_getrlimit, SYS_prlimit64}, [](Call&) { return pass(); },
        [](Call& c) {
            unsigned long p = c.nr == SYS_getrlimit ? c.args[1] : c.args[3];
            uint64_t lim[2];
            if (c.ret != 0 || !p || !c.read(p, lim, sizeof lim)) return;
            c.write(p + RLIM_MAX_OFF, &lim[0], sizeof lim[0]);
        }));
    f.push_back(make(
        "pipe_ends_swapped", "pipe returns the write end first and the read end second",
        {SYS_pipe, SYS_pipe2}, [](Call&) { return pass(); },
        [](Call& c) {
            int fds[2];
            if (c.ret != 0 || !c.read(c.args[0], fds, sizeof fds)) return;
            std::swap(fds[0], fds[1]);
            c.write(c.args[0], fds, sizeof fds);
        }));
    f.push_back(make(
        "getsockopt_so_type_stream", "SO_TYPE reports SOCK_STREAM for every socket",
        {SYS_getsockopt}, [](Call&) { return pass(); },
        [](Call& c) {
            int one = SOCK_STREAM;
            if (c.ret == 0 && c.args[1] == SOL_SOCKET && c.args[2] == SO_TYPE && c.args[3])
                c.write(c.args[3], &one, sizeof one);
        }));
    f.push_back(make(
        "accept_peer_port_zero", "accept returns the peer's IPv4/IPv6 address without its port",
        {SYS_accept, SYS_accept4}, [](Call&) { return pass(); },
        [](Call& c) {
            uint16_t family = 0, zero = 0;
            if (c.ret >= 0 && c.args[1] && c.read(c.args[1], &family, sizeof family) &&
                (family == AF_INET || family == AF_INET6))
                c.write(c.args[1] + 2, &zero, sizeof zero);
        }));
    f.push_back(make(
        "umask_returns_new", "umask returns the new mask instead of the old one", {SYS_umask},
        [](Call&) { return pass(); }, [](Call& c) { c.ret = long(c.args[0] & 0777); }));
    f.push_back(rewrite_ret("alarm_returns_zero",
                            "alarm returns 0 instead of the seconds left of the previous alarm",
                            {SYS_alarm}, [](Call& c) { c.ret = 0; }));
    f.push_back(rewrite_ret("getpriority_returns_nice",
                            "getpriority returns the nice value itself instead of 20 - nice",
                            {SYS_getpriority}, [](Call& c) { c.ret = 20 - c.ret; }));
    f.push_back(rewrite_ret("sched_getaffinity_full_length",
                            "sched_getaffinity returns the buffer's size instead of the size "
                            "of the kernel's CPU mask",
                            {SYS_sched_getaffinity}, [](Call& c) { c.ret = long(c.args[1]); }));
    f.push_back(rewrite_out_field<uint16_t>(
        "sysinfo_procs_zero", "sysinfo's procs (number of threads) left 0", {SYS_sysinfo}, 0,
        SYSINFO_PROCS_OFF, [](const Call&, uint16_t& n) { n = 0; }));
    f.push_back(make(
        "fcntl_getfl_accmode_rdonly", "F_GETFL reports O_RDONLY for every descriptor", {SYS_fcntl},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.args[1] == F_GETFL && c.ret >= 0) c.ret &= ~long(O_ACCMODE);
        }));
    f.push_back(make(
        "fcntl_getfd_zero", "F_GETFD reports no FD_CLOEXEC whatever is set", {SYS_fcntl},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.args[1] == F_GETFD && c.ret > 0) c.ret = 0;
        }));
    f.push_back(rewrite_ret("lseek_returns_zero",
                            "lseek returns 0 on success instead of the new offset", {SYS_lseek},
                            [](Call& c) { c.ret = 0; }));
    f.push_back(make(
        "mincore_all_resident", "mincore reports every page resident", {SYS_mincore},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret != 0) return;
            unsigned long pages = (c.args[1] + 4095) / 4096;
            for (unsigned long i = 0; i < pages && i < 65536; ++i) {
                unsigned char v = 0;
                if (c.read(c.args[2] + i, &v, 1) && !(v & 1)) {
                    v |= 1;
                    c.write(c.args[2] + i, &v, 1);
                }
            }
        }));
    f.push_back(rewrite_out_field<long>(
        "mq_getattr_curmsgs_zero", "mq_getattr reports an empty queue (mq_curmsgs 0)",
        {SYS_mq_getsetattr}, 2, MQ_CURMSGS_OFF, [](const Call&, long& n) { n = 0; }));
    f.push_back(ipc_stat_field_zero("shmctl_nattch_zero", "shmctl IPC_STAT reports no attachments",
                                    SYS_shmctl, SHM_NATTCH_OFF));
    f.push_back(ipc_stat_field_zero("msgctl_qnum_zero",
                                    "msgctl IPC_STAT reports no messages queued", SYS_msgctl,
                                    MSG_QNUM_OFF));
    f.push_back(make(
        "semctl_getval_zero", "semctl GETVAL reports 0 whatever the value", {SYS_semctl},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 0 && long(c.args[2] & 0xff) == kSemctlGetval) c.ret = 0;
        }));
    f.push_back(rewrite_ret("sched_getscheduler_other",
                            "sched_getscheduler reports SCHED_OTHER whatever the policy",
                            {SYS_sched_getscheduler}, [](Call& c) { c.ret = 0; }));
}

void add_counts(std::vector<Fault>& f) {
    f.push_back(rewrite_ret("pread_count_off_by_one", "pread64 reports one byte less than it read",
                            {SYS_pread64, SYS_preadv}, [](Call& c) {
                                if (c.ret > 1) --c.ret;
                            }));
    f.push_back(rewrite_ret("writev_count_off_by_one",
                            "writev/pwritev report one byte less than they wrote",
                            {SYS_writev, SYS_pwritev}, [](Call& c) {
                                if (c.ret > 1) --c.ret;
                            }));
    f.push_back(rewrite_ret(
        "getxattr_size_counts_nul", "getxattr counts a terminating NUL the value does not have",
        {SYS_getxattr, SYS_lgetxattr, SYS_fgetxattr}, [](Call& c) { ++c.ret; }));
    f.push_back(rewrite_ret("listxattr_length_short", "listxattr's length misses the last NUL",
                            {SYS_listxattr, SYS_llistxattr, SYS_flistxattr}, [](Call& c) {
                                if (c.ret > 1) --c.ret;
                            }));
    f.push_back(make(
        "sendfile_reports_requested",
        "sendfile, splice and copy_file_range report the count asked for, also when the "
        "source ended first",
        {SYS_sendfile, SYS_splice, SYS_copy_file_range}, [](Call&) { return pass(); },
        [](Call& c) {
            long asked = long(c.nr == SYS_sendfile ? c.args[3] : c.args[4]);
            if (c.ret >= 0 && c.ret < asked && asked < (1L << 20)) c.ret = asked;
        }));
    f.push_back(rewrite_ret("mq_receive_length_plus_one",
                            "mq_timedreceive reports the message one byte longer than it is",
                            {SYS_mq_timedreceive}, [](Call& c) { ++c.ret; }));
    f.push_back(rewrite_ret("msgrcv_length_plus_one",
                            "msgrcv reports the message text one byte longer than it is",
                            {SYS_msgrcv}, [](Call& c) { ++c.ret; }));
    f.push_back(make(
        "getdents_drops_last_entry",
        "getdents64 loses the last record of a full buffer (its length is not counted)",
        {SYS_getdents64}, [](Call&) { return pass(); },
        [](Call& c) {
            long last = 0, n = 0;
            each_dirent(c, [&](unsigned long, uint16_t reclen) {
                last = reclen;
                ++n;
            });
            if (n > 1) c.ret -= last;
        }));
    f.push_back(make(
        "recvmsg_namelen_not_updated", "recvmsg leaves msg_namelen as passed", {SYS_recvmsg},
        [](Call& c) {
            uint32_t len = 0;
            if (c.args[1] && c.read(c.args[1] + MSG_NAMELEN_OFF, &len, sizeof len) && len)
                c.stash = long(len);
            return pass();
        },
        [](Call& c) {
            auto len = uint32_t(c.stash);
            if (c.ret >= 0 && len) c.write(c.args[1] + MSG_NAMELEN_OFF, &len, sizeof len);
        }));
    f.push_back(rewrite_ret("sendmmsg_counts_one",
                            "sendmmsg/recvmmsg report one message when they moved several",
                            {SYS_sendmmsg, SYS_recvmmsg}, [](Call& c) {
                                if (c.ret > 1) c.ret = 1;
                            }));
    f.push_back(rewrite_ret("select_count_one",
                            "select/pselect6 return 1 when several descriptors are ready",
                            {SYS_select, SYS_pselect6}, [](Call& c) {
                                if (c.ret > 1) c.ret = 1;
                            }));
    f.push_back(rewrite_ret("process_vm_readv_short",
                            "process_vm_readv/writev report one byte less than they copied",
                            {SYS_process_vm_readv, SYS_process_vm_writev}, [](Call& c) {
                                if (c.ret > 1) --c.ret;
                            }));
}

void add_wakeups(std::vector<Fault>& f) {
    f.push_back(make(
        "futex_wake_reports_zero", "FUTEX_WAKE wakes the waiters but reports 0 woken", {SYS_futex},
        [](Call&) { return pass(); },
        [](Call& c) {
            if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAKE && c.ret > 0) c.ret = 0;
        }));
    f.push_back(make("futex_wake_bitset_ignores_mask",
                     "FUTEX_WAKE_BITSET wakes waiters whatever their bitset", {SYS_futex},
                     [](Call& c) {
                         if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAKE_BITSET)
                             c.args[5] = FUTEX_BITSET_MATCH_ANY;
                         return pass();
                     }));
    f.push_back(make("futex_wake_op_condition_ignored",
                     "FUTEX_WAKE_OP ignores its comparison: waiters at the second address are "
                     "woken whatever the old value",
                     {SYS_futex}, [](Call& c) {
                         if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAKE_OP)
                             c.args[5] = (c.args[5] & 0xf0fff000) | (FUTEX_OP_CMP_GE << 24);
                         return pass();
                     }));
    f.push_back(make("futex_requeue_wakes_none", "FUTEX_CMP_REQUEUE requeues but wakes nobody",
                     {SYS_futex}, [](Call& c) {
                         int cmd = int(c.args[1] & FUTEX_CMD_MASK);
                         if (cmd == FUTEX_CMP_REQUEUE || cmd == FUTEX_REQUEUE) c.args[2] = 0;
                         return pass();
                     }));
}

void add_signal_details(std::vector<Fault>& f) {
    f.push_back(on_signal("segv_si_addr_zero",
                          "SIGSEGV's si_addr is 0 instead of the faulting address",
                          [](SignalStop& s) {
                              if (s.info.si_signo == SIGSEGV && s.info.si_code > 0)
                                  s.info.si_addr = nullptr;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("segv_code_swapped",
                          "SIGSEGV says SEGV_MAPERR for a protection fault and SEGV_ACCERR for "
                          "an unmapped address",
                          [](SignalStop& s) {
                              if (s.info.si_signo == SIGSEGV && s.info.si_code == SEGV_MAPERR)
                                  s.info.si_code = SEGV_ACCERR;
                              else if (s.info.si_signo == SIGSEGV && s.info.si_code == SEGV_ACCERR)
                                  s.info.si_code = SEGV_MAPERR;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal(
        "sigbus_as_sigsegv", "an access past the end of a mapped file raises SIGSEGV, not SIGBUS",
        [](SignalStop& s) { return s.info.si_signo == SIGBUS ? SIGSEGV : s.info.si_signo; }));
    f.push_back(on_signal("timer_si_value_lost",
                          "a POSIX timer's signal reaches the handler without sigev_value",
                          [](SignalStop& s) {
                              if (s.info.si_code == kSiTimer) s.info.si_value.sival_ptr = nullptr;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("timer_overrun_lost",
                          "a POSIX timer's signal carries si_overrun 0 after overruns",
                          [](SignalStop& s) {
                              if (s.info.si_code == kSiTimer) s.info.si_overrun = 0;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("kill_si_pid_zero", "a signal from kill() does not name its sender",
                          [](SignalStop& s) {
                              if (s.info.si_code == SI_USER || s.info.si_code == SI_TKILL)
                                  s.info.si_pid = 0;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("kill_si_uid_wrong", "a signal from kill() names another sender uid",
                          [](SignalStop& s) {
                              if (s.info.si_code == SI_USER || s.info.si_code == SI_TKILL)
                                  s.info.si_uid ^= 1;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("sigqueue_labelled_si_user", "a sigqueue()d signal arrives as SI_USER",
                          [](SignalStop& s) {
                              if (s.info.si_code == kSiQueue) s.info.si_code = SI_USER;
                              return s.info.si_signo;
                          }));
    f.push_back(
        on_signal("sigusr_swapped", "SIGUSR1 is delivered as SIGUSR2 and back", [](SignalStop& s) {
            if (s.info.si_signo == SIGUSR1) return SIGUSR2;
            if (s.info.si_signo == SIGUSR2) return SIGUSR1;
            return s.info.si_signo;
        }));
    f.push_back(on_signal(
        "sigchld_stop_lost", "no SIGCHLD when a child stops or continues", [](SignalStop& s) {
            bool stop = s.info.si_signo == SIGCHLD &&
                        (s.info.si_code == CLD_STOPPED || s.info.si_code == CLD_CONTINUED);
            return stop ? 0 : s.info.si_signo;
        }));
    auto seen = std::make_shared<std::map<std::pair<pid_t, int>, int>>();
    f.push_back(on_signal("rt_signal_not_queued",
                          "real-time signals are not queued: every second instance of a "
                          "queued one is lost",
                          [seen](SignalStop& s) {
                              if (s.info.si_signo < kKernelSigrtmin || s.info.si_code != kSiQueue)
                                  return s.info.si_signo;
                              int n = ++(*seen)[{s.tgid, s.info.si_signo}];
                              return n % 2 == 0 ? 0 : s.info.si_signo;
                          }));
}

void add_stubs(std::vector<Fault>& f) {
    f.push_back(stub("setpriority_stub", "setpriority reports success and keeps the nice value",
                     {SYS_setpriority}));
    f.push_back(stub("sched_setaffinity_stub",
                     "sched_setaffinity reports success and keeps the CPU mask",
                     {SYS_sched_setaffinity}));
    f.push_back(stub("sched_setscheduler_stub",
                     "sched_setscheduler/sched_setparam/sched_setattr report success and keep "
                     "the policy",
                     {SYS_sched_setscheduler, SYS_sched_setparam, SYS_sched_setattr}));
    f.push_back(
        stub("setrlimit_stub", "setrlimit reports success and keeps the limit", {SYS_setrlimit}));
    f.push_back(stub("prlimit_set_stub",
                     "prlimit64 with a new limit reports success, changes nothing", {SYS_prlimit64},
                     [](const Call& c) { return c.args[2] != 0; }));
    f.push_back(
        stub("setpgid_stub", "setpgid reports success and keeps the process group", {SYS_setpgid}));
    f.push_back(stub("setsid_stub", "setsid reports success and creates no session", {SYS_setsid}));
    f.push_back(stub("fchmod_stub", "chmod/fchmod/fchmodat report success and keep the mode",
                     {SYS_chmod, SYS_fchmod, SYS_fchmodat}));
    f.push_back(stub("utimensat_stub", "utimensat reports success and keeps the timestamps",
                     {SYS_utimensat}));
    f.push_back(stub("ftruncate_stub", "truncate/ftruncate report success and keep the size",
                     {SYS_truncate, SYS_ftruncate}));
    f.push_back(stub("setxattr_stub", "setxattr reports success and stores nothing",
                     {SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr}));
    f.push_back(stub("removexattr_stub", "removexattr reports success and keeps the attribute",
                     {SYS_removexattr, SYS_lremovexattr, SYS_fremovexattr}));
    f.push_back(stub("fsync_stub", "fsync/fdatasync report success on any descriptor",
                     {SYS_fsync, SYS_fdatasync}));
    f.push_back(stub("msync_stub", "msync reports success on any range", {SYS_msync}));
    f.push_back(stub("mlock_stub", "mlock/mlock2/mlockall report success and lock nothing",
                     {SYS_mlock, SYS_mlock2, SYS_mlockall}));
    f.push_back(stub("mprotect_stub", "mprotect reports success and keeps the protection",
                     {SYS_mprotect}, [](const Call& c) { return (c.args[2] & PROT_WRITE) == 0; }));
    f.push_back(stub("sigaltstack_stub", "sigaltstack with a new stack reports success, sets none",
                     {SYS_sigaltstack}, [](const Call& c) { return c.args[0] != 0; }));
    f.push_back(stub("flock_stub", "flock reports success and takes no lock", {SYS_flock}));
    f.push_back(stub(
        "fcntl_setlk_stub", "F_SETLK/F_OFD_SETLK report success and take no lock", {SYS_fcntl},
        [](const Call& c) { return c.args[1] == F_SETLK || c.args[1] == 37 /* F_OFD_SETLK */; }));
    f.push_back(stub("fcntl_setpipe_sz_stub", "F_SETPIPE_SZ reports success and keeps the size",
                     {SYS_fcntl}, [](const Call& c) { return c.args[1] == 1031; }));
    f.push_back(stub("fcntl_setown_stub", "F_SETOWN reports success and sets no owner", {SYS_fcntl},
                     [](const Call& c) { return c.args[1] == F_SETOWN; }));
    f.push_back(stub("setsockopt_stub", "setsockopt reports success and changes nothing",
                     {SYS_setsockopt}));
    f.push_back(
        stub("shutdown_stub", "shutdown reports success and shuts nothing down", {SYS_shutdown}));
    f.push_back(stub("umask_stub", "umask returns 0 and keeps the mask", {SYS_umask}));
    f.push_back(stub("fadvise_madvise_stub",
                     "madvise of anything but DONTNEED reports success, "
                     "does nothing (MADV_WIPEONFORK, MADV_DONTFORK, MADV_REMOVE)",
                     {SYS_madvise}, [](const Call& c) {
                         long a = long(c.args[2]);
                         return a == 18 || a == 10 || a == 9;
                     }));
    f.push_back(stub("prctl_set_stub", "prctl's PR_SET_* options report success and set nothing",
                     {SYS_prctl}, [](const Call& c) {
                         long o = long(c.args[0]);
                         return o == 4 /* DUMPABLE */ || o == 36 /* CHILD_SUBREAPER */ ||
                                o == 38 /* NO_NEW_PRIVS */ || o == 8 /* KEEPCAPS */ ||
                                o == 23 /* CAPBSET_DROP */ || o == 29 /* SET_TIMERSLACK */;
                     }));
    f.push_back(stub("inotify_add_watch_stub",
                     "inotify_add_watch returns watch 1 and watches "
                     "nothing",
                     {SYS_inotify_add_watch}));
    f.push_back(stub("sync_file_range_stub", "sync_file_range reports success for any argument",
                     {SYS_sync_file_range}));
    f.push_back(stub("fallocate_stub", "fallocate reports success and allocates nothing",
                     {SYS_fallocate}, [](const Call& c) { return c.args[1] == 0; }));
    f.push_back(stub("rt_sigsuspend_returns", "sigsuspend returns at once (0) instead of waiting",
                     {SYS_rt_sigsuspend}));
    f.push_back(stub("mq_setattr_stub", "mq_setattr reports success and keeps O_NONBLOCK",
                     {SYS_mq_getsetattr}, [](const Call& c) { return c.args[1] != 0; }));
    f.push_back(stub("semctl_setval_stub", "semctl SETVAL/SETALL report success and set nothing",
                     {SYS_semctl}, [](const Call& c) {
                         long cmd = long(c.args[2] & 0xff);
                         return cmd == 16 /* SETVAL */ || cmd == 17 /* SETALL */;
                     }));
    f.push_back(stub("ipc_set_stub", "msgctl/shmctl/semctl IPC_SET report success, change nothing",
                     {SYS_msgctl, SYS_shmctl, SYS_semctl}, [](const Call& c) {
                         return long(c.args[c.nr == SYS_semctl ? 2 : 1] & 0xff) == 1 /* IPC_SET */;
                     }));
    f.push_back(
        stub("setgroups_stub", "setgroups reports success and keeps the groups", {SYS_setgroups}));
    f.push_back(
        stub("capset_stub", "capset reports success and keeps the capabilities", {SYS_capset}));
    f.push_back(stub("chdir_stub", "chdir/fchdir report success and keep the directory",
                     {SYS_chdir, SYS_fchdir}));
}

// (ptrace's own permission checks are left out: the suite's ptrace tests
// cannot run under this tracer.)
void add_permission_checks(std::vector<Fault>& f) {
    f.push_back(error_as_success("create_in_unwritable_dir_allowed",
                                 "mkdir, mknod, link and symlink succeed in a directory "
                                 "without write permission",
                                 {SYS_mkdir, SYS_mkdirat, SYS_mknod, SYS_mknodat, SYS_link,
                                  SYS_linkat, SYS_symlink, SYS_symlinkat},
                                 {EACCES}));
    f.push_back(error_as_success("chown_eperm_ignored", "chown by a non-owner reports success",
                                 {SYS_chown, SYS_fchown, SYS_lchown, SYS_fchownat}, {EPERM}));
    f.push_back(error_as_success("setpriority_raise_allowed",
                                 "an unprivileged process may lower its nice value",
                                 {SYS_setpriority}, {EACCES, EPERM}));
    f.push_back(error_as_success("setrlimit_raise_hard_allowed",
                                 "an unprivileged process may raise its hard limit",
                                 {SYS_setrlimit, SYS_prlimit64}, {EPERM}));
    f.push_back(error_as_success(
        "sticky_dir_unlink_allowed", "another user's file in a sticky directory can be removed",
        {SYS_unlink, SYS_unlinkat, SYS_rmdir, SYS_rename, SYS_renameat, SYS_renameat2}, {EPERM}));
    f.push_back(error_as_success(
        "sched_eperm_ignored",
        "sched_setscheduler/setparam/setaffinity on another user's "
        "process, or to a real-time policy without privilege, "
        "report success",
        {SYS_sched_setscheduler, SYS_sched_setparam, SYS_sched_setaffinity, SYS_sched_setattr},
        {EPERM}));
    f.push_back(error_as_success(
        "utimensat_eperm_ignored", "setting another user's file times reports success",
        {SYS_utimensat, SYS_utimes, SYS_utime, SYS_futimesat}, {EPERM, EACCES}));
    f.push_back(error_as_success("sysv_ipc_eacces_ignored",
                                 "SysV IPC objects' permission bits are not checked",
                                 {SYS_msgget, SYS_msgsnd, SYS_msgrcv, SYS_shmget, SYS_shmat,
                                  SYS_semget, SYS_semop, SYS_msgctl, SYS_shmctl, SYS_semctl},
                                 {EACCES}));
    f.push_back(error_as_success("truncate_eacces_ignored",
                                 "truncate of a file without write permission reports success",
                                 {SYS_truncate}, {EACCES}));
    f.push_back(error_as_success("chdir_eacces_ignored",
                                 "chdir into a directory without search permission succeeds",
                                 {SYS_chdir}, {EACCES}));
    f.push_back(errno_swap("execve_eacces_as_enoexec",
                           "execve of a file without execute permission fails with ENOEXEC",
                           {SYS_execve, SYS_execveat}, EACCES, ENOEXEC));
    f.push_back(errno_swap("faccessat2_eacces_as_eperm",
                           "faccessat2 reports a mode-bit denial as EPERM",
                           {SYS_faccessat, kSysFaccessat2}, EACCES, EPERM));
}

}  // namespace

void add_deeper_faults(std::vector<Fault>& f) {
    std::vector<Fault> g;
    add_flags(g);
    label_section(g, "subtle: flag accepted then ignored");
    add_fields(g);
    label_section(g, "subtle: wrong field of a returned struct");
    add_counts(g);
    label_section(g, "subtle: off-by-one or stale length");
    add_wakeups(g);
    label_section(g, "subtle: partial wake-up or count");
    add_signal_details(g);
    label_section(g, "subtle: lost or mislabelled signal");
    add_permission_checks(g);
    label_section(g, "subtle: missing permission check");
    add_stubs(g);
    label_section(g, "subtle: success reported, nothing done");
    for (auto& x : g) f.push_back(std::move(x));
}

}  // namespace kfi
