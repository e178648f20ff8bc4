// SPDX-License-Identifier: MIT
// The subtle faults: the call succeeds and almost everything is right. A flag
// is accepted and then ignored, one field of a returned struct is wrong, a
// signal is lost or carries the wrong label, a wake-up wakes fewer than asked,
// a length is off by one, a permission check is missing. Where a bug report
// of a real kernel or emulator shows the class, its description says where.
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

#include <cerrno>
#include <cstdint>

#include "fault_kit.hpp"
#include "faults.hpp"

namespace kfi {

namespace {

// Kernel struct offsets (x86-64), from the UAPI headers.
constexpr unsigned long SA_FLAGS_OFF = 8;      // struct sigaction: sa_handler, sa_flags
constexpr unsigned long EPOLL_EVENTS_OFF = 0;  // struct epoll_event (packed): events, data
constexpr unsigned long ST_NLINK_OFF = 16;     // struct stat
constexpr unsigned long ST_MODE_OFF = 24;
constexpr unsigned long ST_BLOCKS_OFF = 64;
constexpr unsigned long STX_MASK_OFF = 0;  // struct statx
constexpr unsigned long STX_SIZE_OFF = 40;
constexpr unsigned long SI_CODE_OFF = 8;  // siginfo_t: signo, errno, code, then
constexpr unsigned long SI_PID_OFF = 16;  // the union: pid, uid, status
constexpr unsigned long SI_STATUS_OFF = 24;
constexpr unsigned long RU_MAXRSS_OFF = 32;      // struct rusage, after two timevals
constexpr unsigned long SYSINFO_UPTIME_OFF = 0;  // struct sysinfo
constexpr unsigned long SYSINFO_MEM_UNIT_OFF = 104;
constexpr unsigned long MSG_CONTROLLEN_OFF = 40;  // struct msghdr
constexpr unsigned long MSG_FLAGS_OFF = 48;

constexpr uint32_t SA_RESTART_BIT = 0x10000000, SA_NODEFER_BIT = 0x40000000;
constexpr uint32_t SA_RESETHAND_BIT = 0x80000000, SA_ONSTACK_BIT = 0x08000000;

// Drops flag bits of the rt_sigaction act argument.
Fault sigaction_drops(const char* name, const char* cls, uint32_t bit) {
    return ignore_flag_in_struct(name, cls, {SYS_rt_sigaction}, 1, SA_FLAGS_OFF, bit);
}

void add_dropped_flags(std::vector<Fault>& f) {
    f.push_back(drop_flags("open_append_ignored",
                           "O_APPEND accepted then ignored: writes land at the offset, not the end "
                           "(gramine#1152, emscripten WasmFS #17201)",
                           {SYS_open, SYS_openat}, O_APPEND));
    f.push_back(drop_flags("open_nofollow_ignored",
                           "O_NOFOLLOW ignored: a final symlink is followed",
                           {SYS_open, SYS_openat}, O_NOFOLLOW));
    f.push_back(drop_flags("open_directory_ignored", "O_DIRECTORY ignored: a non-directory opens",
                           {SYS_open, SYS_openat}, O_DIRECTORY));
    f.push_back(drop_flags("open_cloexec_ignored",
                           "O_CLOEXEC ignored at open: descriptors leak across exec",
                           {SYS_open, SYS_openat}, O_CLOEXEC));
    f.push_back(drop_flags("recv_peek_ignored",
                           "MSG_PEEK ignored: a peek consumes the data (emscripten#27278, "
                           "mystikos#1083)",
                           {SYS_recvfrom, SYS_recvmsg}, MSG_PEEK));
    f.push_back(drop_flags("recv_dontwait_ignored",
                           "MSG_DONTWAIT ignored: a non-blocking receive blocks (wasmer#5600)",
                           {SYS_recvfrom, SYS_recvmsg}, MSG_DONTWAIT));
    f.push_back(drop_flags("recv_waitall_ignored",
                           "MSG_WAITALL ignored: a stream receive returns short",
                           {SYS_recvfrom, SYS_recvmsg}, MSG_WAITALL));
    f.push_back(drop_flags("send_nosignal_ignored",
                           "MSG_NOSIGNAL ignored: writing to a closed peer raises SIGPIPE",
                           {SYS_sendto, SYS_sendmsg}, MSG_NOSIGNAL));
    f.push_back(sigaction_drops("sigaction_restart_ignored",
                                "SA_RESTART ignored: interrupted calls fail with EINTR "
                                "(shadow#1974, mystikos#540, StarryOS)",
                                SA_RESTART_BIT));
    f.push_back(sigaction_drops("sigaction_resethand_ignored",
                                "SA_RESETHAND ignored: the handler stays installed after one "
                                "delivery",
                                SA_RESETHAND_BIT));
    f.push_back(sigaction_drops("sigaction_nodefer_ignored",
                                "SA_NODEFER ignored: the signal is blocked inside its own handler",
                                SA_NODEFER_BIT));
    f.push_back(sigaction_drops("sigaction_onstack_ignored",
                                "SA_ONSTACK ignored: the handler runs on the normal stack",
                                SA_ONSTACK_BIT));
    f.push_back(drop_flags("wait_wnohang_ignored", "WNOHANG ignored: a poll for children blocks",
                           {SYS_wait4, SYS_waitid}, WNOHANG));
    f.push_back(ignore_flag("timerfd_abstime_ignored",
                            "TFD_TIMER_ABSTIME ignored: an absolute expiry armed as relative",
                            {SYS_timerfd_settime}, 1, TFD_TIMER_ABSTIME));
    f.push_back(ignore_flag_in_struct("epoll_oneshot_ignored",
                                      "EPOLLONESHOT ignored: the event is reported again "
                                      "(shadow#349, nuttx#8871)",
                                      {SYS_epoll_ctl}, 3, EPOLL_EVENTS_OFF, EPOLLONESHOT));
    f.push_back(ignore_flag_in_struct("epoll_edge_triggered_ignored",
                                      "EPOLLET ignored: edge-triggered watches act level-triggered",
                                      {SYS_epoll_ctl}, 3, EPOLL_EVENTS_OFF, EPOLLET));
    f.push_back(ignore_flag("mmap_fixed_noreplace_ignored",
                            "MAP_FIXED_NOREPLACE dropped: the address becomes a hint, no EEXIST",
                            {SYS_mmap}, 3, MAP_FIXED_NOREPLACE));
    f.push_back(make("stat_symlink_nofollow_ignored",
                     "AT_SYMLINK_NOFOLLOW ignored by fstatat/statx: the link's target is "
                     "described",
                     {SYS_newfstatat, SYS_statx}, [](Call& c) {
                         c.args[c.nr == SYS_statx ? 2 : 3] &=
                             ~static_cast<unsigned long>(AT_SYMLINK_NOFOLLOW);
                         return pass();
                     }));
    f.push_back(ignore_flag("utimensat_symlink_nofollow_ignored",
                            "AT_SYMLINK_NOFOLLOW ignored by utimensat: the target's times change",
                            {SYS_utimensat}, 3, AT_SYMLINK_NOFOLLOW));
    f.push_back(ignore_flag("memfd_allow_sealing_ignored",
                            "MFD_ALLOW_SEALING ignored: F_ADD_SEALS fails with EPERM",
                            {SYS_memfd_create}, 1, MFD_ALLOW_SEALING));
    f.push_back(ignore_flag("mremap_maymove_ignored",
                            "MREMAP_MAYMOVE ignored: growing a mapping fails where it could move",
                            {SYS_mremap}, 3, MREMAP_MAYMOVE));
    f.push_back(ignore_flag("fallocate_keep_size_ignored",
                            "FALLOC_FL_KEEP_SIZE ignored: preallocation changes the file size",
                            {SYS_fallocate}, 1, FALLOC_FL_KEEP_SIZE));
    f.push_back(ignore_flag("socket_nonblock_ignored", "SOCK_NONBLOCK ignored at socket creation",
                            {SYS_socket, SYS_socketpair}, 1, SOCK_NONBLOCK));
    f.push_back(ignore_flag("eventfd_nonblock_ignored", "EFD_NONBLOCK ignored: reads block",
                            {SYS_eventfd2}, 1, O_NONBLOCK));
    f.push_back(ignore_flag("timerfd_create_nonblock_ignored",
                            "TFD_NONBLOCK ignored: reads of an unexpired timer block",
                            {SYS_timerfd_create}, 1, O_NONBLOCK));
    f.push_back(ignore_flag("pipe2_direct_ignored",
                            "O_DIRECT ignored: a packet-mode pipe merges writes", {SYS_pipe2}, 1,
                            O_DIRECT));
    f.push_back(ignore_flag("renameat2_exchange_ignored",
                            "RENAME_EXCHANGE ignored: an exchange becomes a replacing rename",
                            {SYS_renameat2}, 4, 2 /* RENAME_EXCHANGE */));
    f.push_back(make("fcntl_setfl_append_ignored", "F_SETFL accepts O_APPEND but does not apply it",
                     {SYS_fcntl}, [](Call& c) {
                         if (c.args[1] == F_SETFL)
                             c.args[2] &= ~static_cast<unsigned long>(O_APPEND);
                         return pass();
                     }));
    f.push_back(make(
        "prctl_pdeathsig_ignored", "PR_SET_PDEATHSIG reports success but sets nothing", {SYS_prctl},
        [](Call& c) { return c.args[0] == 1 /* PR_SET_PDEATHSIG */ ? ret(0) : pass(); }));
    f.push_back(
        make("setsockopt_reuseaddr_ignored", "SO_REUSEADDR reports success but is not applied",
             {SYS_setsockopt}, [](Call& c) {
                 return c.args[1] == SOL_SOCKET && c.args[2] == SO_REUSEADDR ? ret(0) : pass();
             }));
}

void add_wrong_fields(std::vector<Fault>& f) {
    f.push_back(rewrite_stat_field<uint64_t>(
        "stat_nlink_always_one",
        "st_nlink not maintained: hard links and subdirectories not counted (gVisor#11925, "
        "WSL#1267, crfs#38)",
        ST_NLINK_OFF, [](const Call&, uint64_t& n) { n = 1; }));
    f.push_back(rewrite_stat_field<uint32_t>(
        "stat_symlink_reported_as_file",
        "file type bits wrong: lstat describes a symbolic link as a regular file", ST_MODE_OFF,
        [](const Call&, uint32_t& m) {
            if ((m & S_IFMT) == S_IFLNK) m = (m & ~S_IFMT) | S_IFREG;
        }));
    f.push_back(rewrite_stat_field<uint32_t>(
        "stat_fifo_reported_as_file", "file type bits wrong: a FIFO described as a regular file",
        ST_MODE_OFF, [](const Call&, uint32_t& m) {
            if ((m & S_IFMT) == S_IFIFO) m = (m & ~S_IFMT) | S_IFREG;
        }));
    f.push_back(rewrite_stat_field<int64_t>(
        "stat_blocks_zero", "st_blocks not filled in: allocated space reported as 0", ST_BLOCKS_OFF,
        [](const Call&, int64_t& b) { b = 0; }));
    f.push_back(rewrite_out_field<uint32_t>(
        "statx_mask_missing_nlink",
        "statx stx_mask does not report a field it filled (STATX_NLINK)", {SYS_statx}, 4,
        STX_MASK_OFF, [](const Call&, uint32_t& m) { m &= ~uint32_t(STATX_NLINK); }));
    f.push_back(rewrite_out_field<uint64_t>(
        "statx_size_off_by_one", "statx stx_size disagrees with fstat's st_size", {SYS_statx}, 4,
        STX_SIZE_OFF, [](const Call&, uint64_t& s) { ++s; }));
    f.push_back(rewrite_out_field<int32_t>("waitid_si_code_exited_as_killed",
                                           "waitid labels a normal exit CLD_KILLED", {SYS_waitid},
                                           2, SI_CODE_OFF, [](const Call&, int32_t& code) {
                                               if (code == CLD_EXITED) code = CLD_KILLED;
                                           }));
    f.push_back(rewrite_out_field<int32_t>(
        "waitid_si_pid_zero", "waitid leaves si_pid 0 for a reaped child", {SYS_waitid}, 2,
        SI_PID_OFF, [](const Call&, int32_t& pid) { pid = 0; }));
    f.push_back(rewrite_out_field<int32_t>(
        "waitid_si_status_lost", "waitid reports exit status 0 whatever the child's code",
        {SYS_waitid}, 2, SI_STATUS_OFF, [](const Call&, int32_t& st) { st = 0; }));
    f.push_back(rewrite_out_field<int32_t>(
        "sigtimedwait_si_pid_zero", "sigtimedwait's siginfo loses the sender's pid",
        {SYS_rt_sigtimedwait}, 1, SI_PID_OFF, [](const Call& c, int32_t& pid) {
            if (c.ret > 0) pid = 0;
        }));
    f.push_back(rewrite_out_field<int32_t>(
        "sigtimedwait_si_code_kernel", "sigtimedwait labels a kill() from user space SI_KERNEL",
        {SYS_rt_sigtimedwait}, 1, SI_CODE_OFF, [](const Call& c, int32_t& code) {
            if (c.ret > 0 && code == SI_USER) code = SI_KERNEL;
        }));
    f.push_back(rewrite_out_field<long>(
        "clock_getres_coarse_reports_1ns",
        "the coarse clocks claim 1 ns resolution (the fine clocks' value)", {SYS_clock_getres}, 1,
        8, [](const Call& c, long& ns) {
            if (c.args[0] == CLOCK_MONOTONIC_COARSE || c.args[0] == CLOCK_REALTIME_COARSE) ns = 1;
        }));
    f.push_back(rewrite_out_field<long>("getrusage_maxrss_zero",
                                        "ru_maxrss not maintained (reported as 0)", {SYS_getrusage},
                                        1, RU_MAXRSS_OFF, [](const Call&, long& rss) { rss = 0; }));
    f.push_back(rewrite_out_field<long>("wait4_rusage_maxrss_zero",
                                        "wait4's rusage of the child left empty", {SYS_wait4}, 3,
                                        RU_MAXRSS_OFF, [](const Call& c, long& rss) {
                                            if (c.ret > 0) rss = 0;
                                        }));
    f.push_back(rewrite_out_field<long>("sysinfo_uptime_zero", "sysinfo's uptime not filled in",
                                        {SYS_sysinfo}, 0, SYSINFO_UPTIME_OFF,
                                        [](const Call&, long& up) { up = 0; }));
    f.push_back(rewrite_out_field<uint32_t>(
        "sysinfo_mem_unit_zero", "sysinfo's mem_unit left 0: memory sizes have no unit",
        {SYS_sysinfo}, 0, SYSINFO_MEM_UNIT_OFF, [](const Call&, uint32_t& u) { u = 0; }));
    f.push_back(rewrite_out_field<int32_t>(
        "recvmsg_msg_trunc_not_set", "a truncated datagram is not flagged MSG_TRUNC in msg_flags",
        {SYS_recvmsg}, 1, MSG_FLAGS_OFF, [](const Call&, int32_t& fl) { fl &= ~MSG_TRUNC; }));
    f.push_back(rewrite_out_field<int32_t>(
        "recvmsg_msg_ctrunc_not_set",
        "truncated ancillary data is not flagged MSG_CTRUNC in msg_flags", {SYS_recvmsg}, 1,
        MSG_FLAGS_OFF, [](const Call&, int32_t& fl) { fl &= ~MSG_CTRUNC; }));
    f.push_back(make(
        "recvmsg_controllen_not_updated",
        "msg_controllen left at the buffer's size instead of the ancillary data's length",
        {SYS_recvmsg},
        [](Call& c) {
            uint64_t len = 0;
            if (c.args[1] && c.read(c.args[1] + MSG_CONTROLLEN_OFF, &len, sizeof len))
                c.stash = long(len);
            return pass();
        },
        [](Call& c) {
            auto len = uint64_t(c.stash);
            if (c.ret >= 0 && len) c.write(c.args[1] + MSG_CONTROLLEN_OFF, &len, sizeof len);
        }));
    f.push_back(make(
        "fcntl_getlk_pid_zero", "F_GETLK describes the conflicting lock without its owner's pid",
        {SYS_fcntl}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.args[1] != F_GETLK || c.ret != 0 || !c.args[2]) return;
            struct flock fl {};
            if (c.read(c.args[2], &fl, sizeof fl) && fl.l_type != F_UNLCK && fl.l_pid) {
                fl.l_pid = 0;
                c.write(c.args[2], &fl, sizeof fl);
            }
        }));
    f.push_back(rewrite_out_field<uint64_t>(
        "rt_sigpending_empty", "sigpending reports no pending signal", {SYS_rt_sigpending}, 0, 0,
        [](const Call&, uint64_t& set) { set = 0; }));
    f.push_back(rewrite_out_field<uint64_t>(
        "sigprocmask_oldset_empty", "sigprocmask's old mask reported empty", {SYS_rt_sigprocmask},
        2, 0, [](const Call&, uint64_t& set) { set = 0; }));
    f.push_back(rewrite_out_field<timespec>(
        "timerfd_gettime_interval_lost", "timerfd_gettime reports a periodic timer's interval as 0",
        {SYS_timerfd_gettime}, 1, 0, [](const Call&, timespec& interval) { interval = {}; }));
    f.push_back(make(
        "epoll_wait_data_lost", "epoll_wait returns events without the registered data",
        {SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2}, [](Call&) { return pass(); },
        [](Call& c) {
            for (long i = 0; i < c.ret; ++i) {
                uint64_t zero = 0;
                c.write(c.args[1] + static_cast<unsigned long>(i) * 12 + 4, &zero, sizeof zero);
            }
        }));
    f.push_back(make(
        "poll_pollhup_lost", "poll does not report POLLHUP when the peer is gone",
        {SYS_poll, SYS_ppoll}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret <= 0) return;
            for (unsigned long i = 0; i < c.args[1] && i < 1024; ++i) {
                short revents = 0;
                unsigned long at = c.args[0] + i * 8 + 6;
                if (!c.read(at, &revents, sizeof revents) || !(revents & 0x10)) continue;
                revents &= ~0x10;
                c.write(at, &revents, sizeof revents);
            }
        }));
    f.push_back(make(
        "nanosleep_remaining_not_updated",
        "an interrupted sleep reports the whole request as remaining",
        {SYS_nanosleep, SYS_clock_nanosleep}, [](Call&) { return pass(); },
        [](Call& c) {
            bool ns = c.nr == SYS_nanosleep;
            unsigned long req = ns ? c.args[0] : c.args[2], rem = ns ? c.args[1] : c.args[3];
            timespec ts{};
            bool interrupted = c.ret == -EINTR || c.ret == -516 /* ERESTART_RESTARTBLOCK */;
            if (interrupted && rem && (ns || !(c.args[1] & TIMER_ABSTIME)) &&
                read_timespec(c, req, &ts))
                c.write(rem, &ts, sizeof ts);
        }));
}

// The length a value-result socklen_t argument had at entry, restored at
// exit: the kernel "forgot" to store the address's length.
Fault addrlen_not_updated(const char* name, const char* cls, std::vector<long> nrs, int arg) {
    return make(
        name, cls, std::move(nrs),
        [arg](Call& c) {
            uint32_t len = 0;
            if (c.args[arg] && c.read(c.args[arg], &len, sizeof len)) c.stash = long(len) + 1;
            return pass();
        },
        [arg](Call& c) {
            if (c.ret < 0 || !c.stash) return;
            auto len = uint32_t(c.stash - 1);
            c.write(c.args[arg], &len, sizeof len);
        });
}

void add_lengths(std::vector<Fault>& f) {
    f.push_back(make(
        "getcwd_length_excludes_nul",
        "getcwd returns strlen instead of the length including the terminating NUL", {SYS_getcwd},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 1) --c.ret;
        }));
    f.push_back(make(
        "readlink_appends_nul",
        "readlink writes a terminating NUL after the link text (one byte past the count)",
        {SYS_readlink, SYS_readlinkat}, [](Call&) { return pass(); },
        [](Call& c) {
            unsigned long buf = c.nr == SYS_readlink ? c.args[1] : c.args[2];
            unsigned long size = c.nr == SYS_readlink ? c.args[2] : c.args[3];
            char nul = 0;
            if (c.ret >= 0 && static_cast<unsigned long>(c.ret) < size)
                c.write(buf + static_cast<unsigned long>(c.ret), &nul, 1);
        }));
    f.push_back(make(
        "readlink_drops_last_byte", "readlink's count misses the last byte of the target",
        {SYS_readlink, SYS_readlinkat}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 1) --c.ret;
        }));
    f.push_back(make(
        "getsockname_addrlen_plus_one",
        "getsockname's address length counts one byte too many (nix#474: an extra NUL)",
        {SYS_getsockname, SYS_getpeername}, [](Call&) { return pass(); },
        [](Call& c) {
            uint32_t len = 0;
            if (c.ret == 0 && c.args[2] && c.read(c.args[2], &len, sizeof len)) {
                ++len;
                c.write(c.args[2], &len, sizeof len);
            }
        }));
    f.push_back(addrlen_not_updated("getsockname_addrlen_not_updated",
                                    "getsockname leaves *addrlen as passed (phoenix-rtos#1674)",
                                    {SYS_getsockname, SYS_getpeername}, 2));
    f.push_back(addrlen_not_updated("accept_addrlen_not_updated",
                                    "accept leaves *addrlen as passed", {SYS_accept, SYS_accept4},
                                    2));
    f.push_back(addrlen_not_updated("recvfrom_addrlen_not_updated",
                                    "recvfrom leaves *addrlen as passed", {SYS_recvfrom}, 5));
    f.push_back(addrlen_not_updated("getsockopt_optlen_not_updated",
                                    "getsockopt leaves *optlen as passed", {SYS_getsockopt}, 4));
    f.push_back(make("readv_first_iovec_only", "readv/writev transfer only the first iovec",
                     {SYS_readv, SYS_writev}, [](Call& c) {
                         if (c.args[2] > 1) c.args[2] = 1;
                         return pass();
                     }));
    f.push_back(make(
        "getrandom_short_count", "getrandom returns one byte short for small requests",
        {SYS_getrandom}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 1 && c.ret <= 256) --c.ret;
        }));
}

void add_partial_wakeups(std::vector<Fault>& f) {
    f.push_back(make("futex_wake_wakes_one", "FUTEX_WAKE wakes one waiter whatever the count",
                     {SYS_futex}, [](Call& c) {
                         if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAKE && c.args[2] > 1 &&
                             c.args[2] <= 0x7fffffff)
                             c.args[2] = 1;
                         return pass();
                     }));
    f.push_back(make("futex_requeue_moves_one", "FUTEX_CMP_REQUEUE moves at most one waiter",
                     {SYS_futex}, [](Call& c) {
                         int cmd = int(c.args[1] & FUTEX_CMD_MASK);
                         if ((cmd == FUTEX_CMP_REQUEUE || cmd == FUTEX_REQUEUE) && c.args[3] > 1 &&
                             c.args[3] <= 0x7fffffff)
                             c.args[3] = 1;
                         return pass();
                     }));
    f.push_back(make("epoll_wait_reports_one",
                     "epoll_wait returns one ready event when several are ready",
                     {SYS_epoll_wait, SYS_epoll_pwait, SYS_epoll_pwait2}, [](Call& c) {
                         if (int(c.args[2]) > 1) c.args[2] = 1;
                         return pass();
                     }));
    f.push_back(make(
        "poll_count_one", "poll returns 1 when several descriptors have events",
        {SYS_poll, SYS_ppoll}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 1) c.ret = 1;
        }));
}

void add_signals(std::vector<Fault>& f) {
    // A SIGCHLD the kernel generated for a child's change of state has a
    // CLD_* code (positive); kill(pid, SIGCHLD) from user space does not.
    auto from_child = [](const SignalStop& s) {
        return s.info.si_signo == SIGCHLD && s.info.si_code > 0;
    };
    f.push_back(
        on_signal("sigchld_lost", "SIGCHLD not sent to the parent when a child ends",
                  [from_child](SignalStop& s) { return from_child(s) ? 0 : s.info.si_signo; }));
    f.push_back(on_signal("sigchld_si_code_wrong",
                          "SIGCHLD's siginfo says CLD_KILLED for a normal exit", [](SignalStop& s) {
                              if (s.info.si_signo == SIGCHLD && s.info.si_code == CLD_EXITED)
                                  s.info.si_code = CLD_KILLED;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("sigchld_si_pid_zero", "SIGCHLD's siginfo does not name the child",
                          [from_child](SignalStop& s) {
                              if (from_child(s)) s.info.si_pid = 0;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("sigchld_si_status_lost",
                          "SIGCHLD's siginfo carries exit status 0 whatever the child's code",
                          [from_child](SignalStop& s) {
                              if (from_child(s)) s.info.si_status = 0;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("kill_si_code_kernel",
                          "a signal sent by kill() is delivered labelled SI_KERNEL",
                          [](SignalStop& s) {
                              if (s.info.si_code == SI_USER) s.info.si_code = SI_KERNEL;
                              return s.info.si_signo;
                          }));
    f.push_back(on_signal("sigqueue_value_lost",
                          "sigqueue's value does not reach the handler (si_value zeroed)",
                          [](SignalStop& s) {
                              if (s.info.si_code == SI_QUEUE) s.info.si_value.sival_ptr = nullptr;
                              return s.info.si_signo;
                          }));
    f.push_back(
        on_signal("sigpipe_lost", "no SIGPIPE for a write to a pipe without readers",
                  [](SignalStop& s) { return s.info.si_signo == SIGPIPE ? 0 : s.info.si_signo; }));
    f.push_back(make("kill_group_reaches_leader_only",
                     "a signal sent to a process group reaches only its leader", {SYS_kill},
                     [](Call& c) {
                         if (int(c.args[0]) < -1)
                             c.args[0] = static_cast<unsigned long>(-int(c.args[0]));
                         return pass();
                     }));
    f.push_back(make("tgkill_hits_leader",
                     "a thread-directed signal is delivered to the thread group leader",
                     {SYS_tgkill, SYS_tkill}, [](Call& c) {
                         if (c.nr == SYS_tgkill)
                             c.args[1] = c.args[0];
                         else
                             c.args[0] = static_cast<unsigned long>(c.tgid);
                         return pass();
                     }));
}

void add_permissions(std::vector<Fault>& f) {
    f.push_back(error_as_success("access_eacces_ignored",
                                 "access/faccessat report access that permissions deny",
                                 {SYS_access, SYS_faccessat, SYS_faccessat2}, EACCES));
    f.push_back(error_as_success("kill_eperm_ignored",
                                 "kill to another user's process reports success",
                                 {SYS_kill, SYS_tgkill}, EPERM));
    f.push_back(error_as_success("chmod_eperm_ignored", "chmod by a non-owner reports success",
                                 {SYS_chmod, SYS_fchmod, SYS_fchmodat, kSysFchmodat2}, EPERM));
    f.push_back(error_as_success(
        "setuid_eperm_ignored", "an unprivileged change of user id reports success",
        {SYS_setuid, SYS_setreuid, SYS_setresuid, SYS_setgid, SYS_setregid, SYS_setresgid}, EPERM));
    f.push_back(error_as_success(
        "unlink_eacces_ignored",
        "unlink/rename in a directory without write permission reports "
        "success",
        {SYS_unlink, SYS_unlinkat, SYS_rename, SYS_renameat, SYS_renameat2}, EACCES));
    f.push_back(error_as_success("bind_privileged_port_allowed",
                                 "binding a port below 1024 without CAP_NET_BIND_SERVICE succeeds",
                                 {SYS_bind}, EACCES));
    f.push_back(errno_swap("open_eacces_as_eperm",
                           "permission errno confused: EPERM where mode bits deny (EACCES)",
                           {SYS_open, SYS_openat, SYS_creat}, EACCES, EPERM));
}

}  // namespace

void add_subtle_faults(std::vector<Fault>& f) {
    add_dropped_flags(f);
    label_section(f, "subtle: flag accepted then ignored");
    add_wrong_fields(f);
    label_section(f, "subtle: wrong field of a returned struct");
    add_lengths(f);
    label_section(f, "subtle: off-by-one or stale length");
    add_partial_wakeups(f);
    label_section(f, "subtle: partial wake-up or count");
    add_signals(f);
    label_section(f, "subtle: lost or mislabelled signal");
    add_permissions(f);
    label_section(f, "subtle: missing permission check");
}

}  // namespace kfi
