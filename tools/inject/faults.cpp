// SPDX-License-Identifier: MIT
// The fault catalogue. Each entry names the class of real kernel bug it
// models; the first three are the bugs a comparable suite found in a real
// microkernel.
#include "faults.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include <cerrno>
#include <memory>

#include "fault_kit.hpp"

namespace kfi {

std::vector<Fault> catalogue() {
    std::vector<Fault> f;

    // --- The three microkernel bugs -------------------------------------
    f.push_back(make("dup2_negative_fd_crash",
                     "unchecked fd index: dup2(1, -1) panicked a microkernel", {SYS_dup2, SYS_dup3},
                     [](Call& c) {
                         return int(c.args[1]) < 0 ? Decision{Act::Crash, 0} : pass();
                     }));
    f.push_back(make("nanosleep_negative_hangs",
                     "negative tv_sec read as a huge unsigned timeout: a microkernel slept for "
                     "centuries",
                     {SYS_nanosleep, SYS_clock_nanosleep}, [](Call& c) {
                         timespec ts{};
                         unsigned long p = c.nr == SYS_nanosleep ? c.args[0] : c.args[2];
                         if (read_timespec(c, p, &ts) && ts.tv_sec < 0)
                             return Decision{Act::Hang, 0};
                         return pass();
                     }));
    auto pipes = std::make_shared<long>(0);
    f.push_back(make(
        "pipe_buffers_never_freed",
        "closed pipes never free their buffers: pipe2 fails with EMFILE after 8 "
        "pipes",
        {SYS_pipe, SYS_pipe2}, [pipes](Call&) { return *pipes >= 8 ? ret(-EMFILE) : pass(); },
        [pipes](Call& c) {
            if (c.ret == 0) ++*pipes;
        }));

    label_section(f, "microkernel bugs");

    // --- File descriptors ------------------------------------------------
    f.push_back(make("close_leaks_descriptor",
                     "close reports success but never frees the descriptor slot", {SYS_close},
                     [](Call& c) { return int(c.args[0]) > 2 ? ret(0) : pass(); }));
    f.push_back(errno_swap("close_bad_fd_einval", "wrong errno: EINVAL for an unknown fd",
                           {SYS_close}, EBADF, EINVAL));
    f.push_back(ignore_flag("dup3_ignores_cloexec", "flag dropped while copying a descriptor",
                            {SYS_dup3}, 2, O_CLOEXEC));
    f.push_back(
        make("dup3_same_fd_accepted", "missing argument check: dup3(fd, fd) succeeds", {SYS_dup3},
             [](Call& c) { return c.args[0] == c.args[1] ? ret(long(int(c.args[0]))) : pass(); }));
    f.push_back(make("fcntl_dupfd_ignores_minimum",
                     "F_DUPFD ignores its lower bound and returns the lowest free fd", {SYS_fcntl},
                     [](Call& c) {
                         if (c.args[1] == F_DUPFD || c.args[1] == F_DUPFD_CLOEXEC) c.args[2] = 0;
                         return pass();
                     }));
    f.push_back(make(
        "fcntl_getfl_loses_nonblock", "status flags not reported back", {SYS_fcntl},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.args[1] == F_GETFL && c.ret >= 0) c.ret &= ~long(O_NONBLOCK);
        }));
    f.push_back(make("fcntl_setfd_ignored", "descriptor flags update lost (FD_CLOEXEC)",
                     {SYS_fcntl}, [](Call& c) { return c.args[1] == F_SETFD ? ret(0) : pass(); }));

    label_section(f, "file descriptors");

    // --- Pipes and read/write --------------------------------------------
    f.push_back(ignore_flag("pipe2_ignores_nonblock", "O_NONBLOCK dropped at creation", {SYS_pipe2},
                            1, O_NONBLOCK));
    f.push_back(ignore_flag("pipe2_ignores_cloexec", "O_CLOEXEC dropped at creation", {SYS_pipe2},
                            1, O_CLOEXEC));
    f.push_back(make("pipe2_accepts_unknown_flags", "unknown flag bits not rejected", {SYS_pipe2},
                     [](Call& c) {
                         c.args[1] &= O_CLOEXEC | O_NONBLOCK | O_DIRECT;
                         return pass();
                     }));
    f.push_back(make(
        "read_count_off_by_one", "off-by-one in the returned byte count", {SYS_read},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret > 1) --c.ret;
        }));
    f.push_back(make(
        "write_drops_last_byte",
        "truncated copy: the last byte is lost but the full count reported", {SYS_write},
        [](Call& c) {
            c.stash = c.args[2] > 1;
            if (c.stash) --c.args[2];
            return pass();
        },
        [](Call& c) {
            if (c.stash && c.ret >= 0) ++c.ret;
        }));
    f.push_back(make("read_reports_eof_early", "reader sees EOF while data is buffered", {SYS_read},
                     [](Call& c) { return c.args[2] > 4096 ? ret(0) : pass(); }));
    f.push_back(make("pread_ignores_offset", "positional I/O uses offset 0",
                     {SYS_pread64, SYS_pwrite64}, [](Call& c) {
                         c.args[3] = 0;
                         return pass();
                     }));
    f.push_back(make("lseek_end_as_set", "SEEK_END handled as SEEK_SET", {SYS_lseek}, [](Call& c) {
        if (c.args[2] == SEEK_END) c.args[2] = SEEK_SET;
        return pass();
    }));
    f.push_back(make(
        "lseek_negative_offset_accepted", "resulting negative file offset not rejected",
        {SYS_lseek}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret == -EINVAL) c.ret = 0;
        }));

    label_section(f, "pipes and read/write");

    // --- Memory ---------------------------------------------------------------
    f.push_back(make("mmap_zero_length_accepted", "zero-length mapping not rejected", {SYS_mmap},
                     [](Call& c) { return c.args[1] == 0 ? ret(0x10000) : pass(); }));
    f.push_back(make("mprotect_not_applied",
                     "protection change reported but page tables not updated", {SYS_mprotect},
                     [](Call&) { return ret(0); }));
    f.push_back(make("munmap_not_applied", "unmap reported but the mapping stays", {SYS_munmap},
                     [](Call&) { return ret(0); }));
    f.push_back(make("madvise_dontneed_ignored", "MADV_DONTNEED leaves private pages' contents",
                     {SYS_madvise},
                     [](Call& c) { return c.args[2] == MADV_DONTNEED ? ret(0) : pass(); }));
    f.push_back(make(
        "anonymous_memory_not_zeroed",
        "fresh anonymous pages handed out with old contents (information leak)", {SYS_mmap},
        [](Call&) { return pass(); },
        [](Call& c) {
            bool anon = c.args[3] & MAP_ANONYMOUS;
            if (anon && (c.args[2] & PROT_WRITE) && c.ret > 0 && c.args[1] >= 64) {
                unsigned char junk[64];
                for (auto& b : junk) b = 0xa5;
                c.write(static_cast<unsigned long>(c.ret), junk, sizeof junk);
            }
        }));

    label_section(f, "memory");

    // --- Time -----------------------------------------------------------------
    f.push_back(make(
        "monotonic_clock_goes_back",
        "unsynchronised per-CPU clocks: CLOCK_MONOTONIC steps backwards", {SYS_clock_gettime},
        [](Call&) { return pass(); },
        [n = std::make_shared<long>(0)](Call& c) {
            if (c.ret != 0 || c.args[0] != CLOCK_MONOTONIC || ++*n % 2) return;
            timespec ts{};
            if (c.read(c.args[1], &ts, sizeof ts)) {
                ts.tv_sec -= 1;
                c.write(c.args[1], &ts, sizeof ts);
            }
        }));
    f.push_back(make(
        "clock_getres_zero", "clock resolution reported as 0 ns", {SYS_clock_getres},
        [](Call&) { return pass(); },
        [](Call& c) {
            timespec zero{};
            if (c.ret == 0 && c.args[1]) c.write(c.args[1], &zero, sizeof zero);
        }));
    f.push_back(make("sleep_returns_early", "timer expires at once (wrong unit conversion)",
                     {SYS_nanosleep, SYS_clock_nanosleep}, [](Call& c) {
                         timespec ts{};
                         unsigned long p = c.nr == SYS_nanosleep ? c.args[0] : c.args[2];
                         if (read_timespec(c, p, &ts) && ts.tv_sec >= 0 && ts.tv_nsec >= 0 &&
                             ts.tv_nsec < 1000000000)
                             return ret(0);
                         return pass();
                     }));
    f.push_back(ignore_flag("clock_nanosleep_ignores_abstime",
                            "TIMER_ABSTIME ignored: an absolute deadline slept as a duration",
                            {SYS_clock_nanosleep}, 1, TIMER_ABSTIME));
    f.push_back(errno_swap("nanosleep_bad_nsec_efault",
                           "wrong errno for an invalid timespec (EFAULT for EINVAL)",
                           {SYS_nanosleep, SYS_clock_nanosleep}, EINVAL, EFAULT));

    label_section(f, "time");

    // --- Identity and processes ------------------------------------------------
    f.push_back(make("gettid_returns_pid", "thread ids not distinct from the process id",
                     {SYS_gettid}, [](Call& c) { return ret(c.tgid); }));
    f.push_back(make("getppid_returns_one", "parent id not tracked (always init)", {SYS_getppid},
                     [](Call&) { return ret(1); }));
    f.push_back(make(
        "wait_status_exit_code_garbled", "exit status encoded wrongly for wait", {SYS_wait4},
        [](Call&) { return pass(); },
        [](Call& c) {
            int st = 0;
            if (c.ret > 0 && c.args[1] && c.read(c.args[1], &st, sizeof st) && (st & 0x7f) == 0) {
                st ^= 0x100;
                c.write(c.args[1], &st, sizeof st);
            }
        }));
    f.push_back(make("exit_code_truncated", "exit status truncated to 7 bits", {SYS_exit_group},
                     [](Call& c) {
                         c.args[0] &= 0x7f;
                         return pass();
                     }));

    label_section(f, "identity and processes");

    // --- Signals -----------------------------------------------------------------
    f.push_back(make("kill_probe_esrch", "kill(pid, 0) cannot see live processes", {SYS_kill},
                     [](Call& c) { return c.args[1] == 0 ? ret(-ESRCH) : pass(); }));
    f.push_back(make("kill_bad_signal_accepted", "signal number not range-checked", {SYS_kill},
                     [](Call& c) { return int(c.args[1]) > 64 ? ret(0) : pass(); }));
    f.push_back(make("rt_sigaction_ignores_sigsetsize", "sigsetsize not checked (seen in valgrind)",
                     {SYS_rt_sigaction}, [](Call& c) {
                         c.args[3] = 8;
                         return pass();
                     }));
    f.push_back(make("rt_sigaction_sigkill_accepted",
                     "SIGKILL/SIGSTOP handlers accepted (uncatchable signals made catchable)",
                     {SYS_rt_sigaction}, [](Call& c) {
                         bool uncatchable = c.args[0] == 9 || c.args[0] == 19;
                         return uncatchable && c.args[1] ? ret(0) : pass();
                     }));
    f.push_back(make(
        "sigprocmask_block_lost", "signal mask update lost", {SYS_rt_sigprocmask},
        [](Call& c) { return c.args[0] == 0 /* SIG_BLOCK */ && c.args[1] ? ret(0) : pass(); }));
    f.push_back(make("sigaltstack_too_small_accepted", "MINSIGSTKSZ not enforced",
                     {SYS_sigaltstack}, [](Call& c) {
                         struct {
                             unsigned long sp;
                             int flags;
                             unsigned long size;
                         } ss{};
                         if (c.args[0] && c.read(c.args[0], &ss, sizeof ss) && !(ss.flags & 2) &&
                             ss.size < 2048)
                             return ret(0);
                         return pass();
                     }));

    label_section(f, "signals");

    // --- Threads and futexes ------------------------------------------------
    f.push_back(make(
        "futex_wait_skips_value_check",
        "futex value check skipped: FUTEX_WAIT returns 0 instead of EAGAIN", {SYS_futex},
        [](Call&) { return pass(); },
        [](Call& c) {
            if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAIT && c.ret == -EAGAIN) c.ret = 0;
        }));
    f.push_back(make(
        "futex_wake_count_zero", "FUTEX_WAKE reports no waiter woken", {SYS_futex},
        [](Call&) { return pass(); },
        [](Call& c) {
            if ((c.args[1] & FUTEX_CMD_MASK) == FUTEX_WAKE && c.ret > 0) c.ret = 0;
        }));
    f.push_back(make("sched_yield_enosys", "scheduler call missing", {SYS_sched_yield},
                     [](Call&) { return ret(-ENOSYS); }));

    label_section(f, "threads and futexes");

    // --- Multiplexing and event fds --------------------------------------------
    f.push_back(make(
        "epoll_ctl_duplicate_add_accepted", "EEXIST check missing", {SYS_epoll_ctl},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret == -EEXIST) c.ret = 0;
        }));
    f.push_back(make("poll_ignores_timeout", "timeout ignored: returns at once",
                     {SYS_poll, SYS_epoll_wait, SYS_epoll_pwait}, [](Call& c) {
                         int arg = c.nr == SYS_poll ? 2 : 3;
                         if (int(c.args[arg]) > 0) c.args[arg] = 0;
                         return pass();
                     }));
    f.push_back(
        ignore_flag("eventfd_semaphore_ignored", "EFD_SEMAPHORE dropped", {SYS_eventfd2}, 1, 1));

    label_section(f, "multiplexing and event fds");

    // --- Sockets -------------------------------------------------------------------
    f.push_back(errno_swap("socket_bad_family_einval", "wrong errno for an unknown address family",
                           {SYS_socket}, EAFNOSUPPORT, EINVAL));
    f.push_back(ignore_flag("accept4_ignores_flags", "SOCK_CLOEXEC/SOCK_NONBLOCK dropped",
                            {SYS_accept4}, 3, SOCK_CLOEXEC | SOCK_NONBLOCK));
    f.push_back(make("shutdown_ignored", "shutdown reported but not applied", {SYS_shutdown},
                     [](Call&) { return ret(0); }));
    f.push_back(make("scm_rights_dropped", "ancillary data (SCM_RIGHTS) silently dropped",
                     {SYS_sendmsg}, [](Call& c) {
                         // struct msghdr: msg_controllen at offset 40.
                         unsigned long zero = 0;
                         if (c.args[1]) c.write(c.args[1] + 40, &zero, sizeof zero);
                         return pass();
                     }));

    label_section(f, "sockets");

    // --- Files ------------------------------------------------------------------
    f.push_back(ignore_flag("open_excl_ignored", "O_EXCL ignored: creation is not exclusive",
                            {SYS_openat, SYS_open}, 2, O_EXCL));
    f.push_back(make("open_trunc_ignored", "O_TRUNC ignored", {SYS_openat, SYS_open}, [](Call& c) {
        c.args[c.nr == SYS_open ? 1 : 2] &= ~static_cast<unsigned long>(O_TRUNC);
        return pass();
    }));
    f.push_back(make("open_fds_exhausted_after_1000",
                     "resource exhaustion: the fd table never shrinks; opens fail after 1000",
                     {SYS_openat, SYS_open}, [n = std::make_shared<long>(0)](Call&) {
                         return ++*n > 1000 ? ret(-EMFILE) : pass();
                     }));
    f.push_back(make(
        "rmdir_nonempty_accepted", "ENOTEMPTY check missing", {SYS_unlinkat, SYS_rmdir},
        [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret == -ENOTEMPTY) c.ret = 0;
        }));
    f.push_back(
        ignore_flag("rename_noreplace_ignored", "RENAME_NOREPLACE ignored", {SYS_renameat2}, 4, 1));
    f.push_back(make(
        "fstat_size_off_by_one", "st_size off by one", {SYS_fstat, SYS_newfstatat},
        [](Call&) { return pass(); },
        [](Call& c) {
            unsigned long buf = c.nr == SYS_fstat ? c.args[1] : c.args[2];
            long size = 0;
            if (c.ret == 0 && c.read(buf + 48, &size, sizeof size)) {
                ++size;
                c.write(buf + 48, &size, sizeof size);
            }
        }));
    f.push_back(make(
        "getdents_loses_last_entry", "directory iteration loses the last entry of each batch",
        {SYS_getdents64}, [](Call&) { return pass(); },
        [](Call& c) {
            if (c.ret <= 0) return;
            long off = 0, last = 0;
            while (off < c.ret) {
                unsigned short reclen = 0;
                if (!c.read(c.args[1] + off + 16, &reclen, 2) || !reclen) return;
                last = off;
                off += reclen;
            }
            c.ret = last;
        }));
    label_section(f, "files");
    add_subtle_faults(f);
    add_deeper_faults(f);
    add_process_faults(f);
    return f;
}

}  // namespace kfi
