// SPDX-License-Identifier: MIT
// Faults of process life and of the arguments that shape what a call
// creates: exec that loses part of argv or envp, exit codes that lose their
// high bit on the way to wait, a mode, offset or priority the kernel does
// not apply, results that describe another CPU mask, pipe size or time than
// the real one, and calls that report success for a process, an epoll watch
// or a notification they never touched.
// Left out: getppid returning 1 (faults.cpp has it as getppid_returns_one).
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <vector>

#include "fault_kit.hpp"
#include "faults.hpp"

namespace kfi {

namespace {

// Kernel struct offsets (x86-64), from the UAPI headers.
constexpr unsigned long SI_CODE_OFF = 8;         // siginfo_t: signo, errno, code, then
constexpr unsigned long SI_STATUS_OFF = 24;      // the union: pid, uid, status
constexpr unsigned long OPEN_HOW_FLAGS_OFF = 0;  // struct open_how: flags, mode, resolve
constexpr unsigned long OPEN_HOW_MODE_OFF = 8;

constexpr int kExitCodeHighBit = 0x80;   // exit codes 128..255
constexpr int kWaitStatusCodeShift = 8;  // a wait status keeps the exit code in bits 8..15
constexpr unsigned long kOpenDefaultMode = 0666, kMkdirDefaultMode = 0777;
constexpr unsigned long kPermissionBits = 0777;  // without S_ISUID, S_ISGID, S_ISVTX
constexpr unsigned long kModeBits = 07777;       // what openat2 accepts in open_how.mode
constexpr unsigned long kPageSize = 4096;
constexpr unsigned long kOrdinaryOffsetLimit = 1ul << 40;  // far from any overflow check
constexpr unsigned long kPipeSizeReported = 4096;
constexpr long kRealtimeLagSec = 2;
constexpr long kMaxExecArgs = 4096;   // entries of argv read at most
constexpr long kMaxMaskBytes = 8192;  // of a CPU mask rewritten at most

// Where the call keeps its argv, or its envp, array.
int argv_arg(long nr) { return nr == SYS_execve ? 1 : 2; }
int envp_arg(long nr) { return nr == SYS_execve ? 2 : 3; }

// Where the call keeps its mode argument: the open and mkdir families and
// the chmod family.
int mode_arg(long nr) {
    switch (nr) {
        case SYS_creat:
        case SYS_mkdir:
        case SYS_chmod:
        case SYS_fchmod:
            return 1;
        case SYS_open:
        case SYS_mkdirat:
        case SYS_fchmodat:
        case kSysFchmodat2:
            return 2;
        default:
            return 3;  // openat
    }
}

// The number of non-null entries of the pointer array (argv, envp) at
// `addr` in the tracee; -1 if it cannot be read or has no end in sight.
long count_entries(const Call& c, unsigned long addr) {
    for (long n = 0; n < kMaxExecArgs; ++n) {
        unsigned long p = 0;
        if (!c.read(addr + static_cast<unsigned long>(n) * sizeof p, &p, sizeof p)) return -1;
        if (!p) return n;
    }
    return -1;
}

void add_exec(std::vector<Fault>& f) {
    // The array is changed in place (for a vfork child, in its parent's
    // memory too) and given back when the exec fails: after a successful one
    // the address belongs to the new image.
    f.push_back(make(
        "exec_drops_last_arg",
        "execve/execveat copy argv one entry short: the new image lacks its last argument",
        {SYS_execve, SYS_execveat},
        [](Call& c) {
            unsigned long argv = c.args[argv_arg(c.nr)];
            long n = argv ? count_entries(c, argv) : -1;
            unsigned long last = 0, null = 0;
            if (n < 2) return pass();
            unsigned long at = argv + static_cast<unsigned long>(n - 1) * sizeof last;
            if (c.read(at, &last, sizeof last) && c.write(at, &null, sizeof null))
                c.stash = long(last);
            return pass();
        },
        [](Call& c) {
            if (c.ret >= 0 || !c.stash) return;
            unsigned long argv = c.args[argv_arg(c.nr)], last = static_cast<unsigned long>(c.stash);
            long n = count_entries(c, argv);
            if (n >= 0)
                c.write(argv + static_cast<unsigned long>(n) * sizeof last, &last, sizeof last);
        }));
    f.push_back(make("exec_empty_environment",
                     "execve/execveat start the new image with an empty environment",
                     {SYS_execve, SYS_execveat}, [](Call& c) {
                         c.args[envp_arg(c.nr)] = 0;
                         return pass();
                     }));
}

void add_ignored_arguments(std::vector<Fault>& f) {
    // Only an offset the kernel accepts is lost (page-aligned, far from
    // overflow): its checks of the offset stay.
    f.push_back(make("mmap_file_offset_ignored",
                     "mmap of a file ignores the offset: the mapping starts at the file's "
                     "first page",
                     {SYS_mmap}, [](Call& c) {
                         unsigned long off = c.args[5];
                         if (!(c.args[3] & MAP_ANONYMOUS) && off % kPageSize == 0 &&
                             off < kOrdinaryOffsetLimit)
                             c.args[5] = 0;
                         return pass();
                     }));
    f.push_back(make("access_x_ok_as_f_ok",
                     "access/faccessat/faccessat2 treat X_OK as F_OK: a file without execute "
                     "permission passes",
                     {SYS_access, SYS_faccessat, SYS_faccessat2}, [](Call& c) {
                         c.args[c.nr == SYS_access ? 1 : 2] &= ~static_cast<unsigned long>(X_OK);
                         return pass();
                     }));
    // openat2's mode lives in struct open_how: changed for the call only,
    // and only when valid (openat2 rejects other bits).
    f.push_back(make(
        "open_mode_ignored",
        "open/openat/openat2/creat ignore the mode: new files get 0666 (less the umask)",
        {SYS_open, SYS_openat, SYS_creat, SYS_openat2},
        [](Call& c) {
            if (c.nr != SYS_openat2) {
                if (c.nr == SYS_creat || (c.args[flags_arg(c.nr)] & O_CREAT))
                    c.args[mode_arg(c.nr)] = kOpenDefaultMode;
                return pass();
            }
            uint64_t flags = 0, mode = 0, forced = kOpenDefaultMode;
            unsigned long how = c.args[2];
            if (how && c.read(how + OPEN_HOW_FLAGS_OFF, &flags, sizeof flags) &&
                (flags & O_CREAT) && c.read(how + OPEN_HOW_MODE_OFF, &mode, sizeof mode) &&
                mode != forced && !(mode & ~kModeBits) &&
                c.write(how + OPEN_HOW_MODE_OFF, &forced, sizeof forced))
                c.stash = long(mode) + 1;
            return pass();
        },
        [](Call& c) {
            if (!c.stash) return;
            auto mode = uint64_t(c.stash - 1);
            c.write(c.args[2] + OPEN_HOW_MODE_OFF, &mode, sizeof mode);
        }));
    f.push_back(make("mkdir_mode_ignored",
                     "mkdir/mkdirat ignore the mode: new directories get 0777 (less the umask)",
                     {SYS_mkdir, SYS_mkdirat}, [](Call& c) {
                         c.args[mode_arg(c.nr)] = kMkdirDefaultMode;
                         return pass();
                     }));
    f.push_back(make("chmod_special_bits_dropped",
                     "chmod/fchmod/fchmodat/fchmodat2 drop S_ISUID, S_ISGID and S_ISVTX",
                     {SYS_chmod, SYS_fchmod, SYS_fchmodat, kSysFchmodat2}, [](Call& c) {
                         c.args[mode_arg(c.nr)] &= kPermissionBits;
                         return pass();
                     }));
    f.push_back(make("mq_timedsend_priority_ignored",
                     "mq_timedsend ignores the priority: messages come out in sending order",
                     {SYS_mq_timedsend}, [](Call& c) {
                         if (c.args[3] < MQ_PRIO_MAX) c.args[3] = 0;  // EINVAL stays
                         return pass();
                     }));
}

void add_wrong_results(std::vector<Fault>& f) {
    f.push_back(make(
        "wait_exit_status_high_bit_lost",
        "wait4/waitid lose bit 7 of the exit code: 128..255 read as 0..127",
        {SYS_wait4, SYS_waitid}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.nr == SYS_wait4) {
                int st = 0;
                if (c.ret > 0 && c.args[1] && c.read(c.args[1], &st, sizeof st) && WIFEXITED(st) &&
                    (WEXITSTATUS(st) & kExitCodeHighBit)) {
                    st &= ~(kExitCodeHighBit << kWaitStatusCodeShift);
                    c.write(c.args[1], &st, sizeof st);
                }
                return;
            }
            int32_t code = 0, status = 0;
            unsigned long si = c.args[2];
            if (c.ret == 0 && si && c.read(si + SI_CODE_OFF, &code, sizeof code) &&
                code == CLD_EXITED && c.read(si + SI_STATUS_OFF, &status, sizeof status) &&
                (status & kExitCodeHighBit)) {
                status &= ~kExitCodeHighBit;
                c.write(si + SI_STATUS_OFF, &status, sizeof status);
            }
        }));
    // The result is the size of the kernel's mask in bytes, all of it written.
    f.push_back(rewrite_ret("sched_getaffinity_cpu0_only",
                            "sched_getaffinity reports CPU 0 alone, whatever the mask",
                            {SYS_sched_getaffinity}, [](Call& c) {
                                if (c.ret <= 0 || c.ret > kMaxMaskBytes || !c.args[2]) return;
                                std::vector<unsigned char> mask(static_cast<size_t>(c.ret));
                                mask[0] = 1;
                                c.write(c.args[2], mask.data(), mask.size());
                            }));
    f.push_back(rewrite_ret("fcntl_getpipe_sz_4096",
                            "F_GETPIPE_SZ reports 4096 whatever the pipe's capacity", {SYS_fcntl},
                            [](Call& c) {
                                if (c.args[1] == F_GETPIPE_SZ) c.ret = long(kPipeSizeReported);
                            }));
    f.push_back(rewrite_ret(
        "realtime_clock_behind", "clock_gettime(CLOCK_REALTIME) runs 2 s behind the system's time",
        {SYS_clock_gettime}, [](Call& c) {
            timespec ts{};
            if (c.args[0] != CLOCK_REALTIME || !read_timespec(c, c.args[1], &ts)) return;
            ts.tv_sec -= kRealtimeLagSec;
            c.write(c.args[1], &ts, sizeof ts);
        }));
}

void add_stale_values(std::vector<Fault>& f) {
    // *offset as it was at entry, written back after a successful call.
    f.push_back(make(
        "sendfile_offset_not_updated",
        "sendfile leaves *offset where it was instead of past the bytes sent", {SYS_sendfile},
        [](Call& c) {
            long off = 0;
            if (c.args[2] && c.read(c.args[2], &off, sizeof off) && off >= 0 && off < LONG_MAX)
                c.stash = off + 1;
            return pass();
        },
        [](Call& c) {
            long off = c.stash - 1;
            if (c.ret >= 0 && c.stash) c.write(c.args[2], &off, sizeof off);
        }));
}

void add_stubs(std::vector<Fault>& f) {
    f.push_back(error_as_success("kill_missing_process_succeeds",
                                 "kill/tgkill of a process that does not exist report success",
                                 {SYS_kill, SYS_tgkill}, ESRCH));
    f.push_back(stub("epoll_ctl_mod_stub", "EPOLL_CTL_MOD reports success and keeps the old events",
                     {SYS_epoll_ctl}, [](const Call& c) { return c.args[1] == EPOLL_CTL_MOD; }));
    f.push_back(stub("epoll_ctl_del_stub", "EPOLL_CTL_DEL reports success and keeps the watch",
                     {SYS_epoll_ctl}, [](const Call& c) { return c.args[1] == EPOLL_CTL_DEL; }));
    f.push_back(
        stub("mq_notify_stub", "mq_notify reports success and registers nothing", {SYS_mq_notify}));
}

}  // namespace

void add_process_faults(std::vector<Fault>& f) {
    std::vector<Fault> g;
    add_exec(g);
    label_section(g, "subtle: exec loses its arguments");
    add_ignored_arguments(g);
    label_section(g, "subtle: flag accepted then ignored");
    add_wrong_results(g);
    label_section(g, "subtle: wrong field of a returned struct");
    add_stale_values(g);
    label_section(g, "subtle: off-by-one or stale length");
    add_stubs(g);
    label_section(g, "subtle: success reported, nothing done");
    for (auto& x : g) f.push_back(std::move(x));
}

}  // namespace kfi
