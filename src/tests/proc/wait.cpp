// SPDX-License-Identifier: MIT
// wait4(2) and waitid(2): reaping children, the status encoding of exits,
// signals, stops and continues, WNOHANG/WNOWAIT, selection by pid, process
// group, P_ALL and P_PIDFD, rusage, and the exact errnos for bad options and
// id types. Every child a test creates is reaped before it ends.
// Not covered: __WNOTHREAD/__WCLONE with threads (no thread trampoline),
// ptrace stops (CLD_TRAPPED), EINTR of a blocked wait (needs a second thread
// or a timed signal, too timing-sensitive).
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

struct Code {
    const char* label;
    int code;  // passed to exit_group
    int want;  // WEXITSTATUS
};
constexpr Code kCodes[] = {
    {"code=0", 0, 0},       {"code=1", 1, 1},       {"code=2", 2, 2},       {"code=42", 42, 42},
    {"code=127", 127, 127}, {"code=128", 128, 128}, {"code=200", 200, 200}, {"code=254", 254, 254},
    {"code=255", 255, 255}, {"code=256", 256, 0},   {"code=257", 257, 1},   {"code=-1", -1, 255},
};

struct Sig {
    const char* label;
    int sig;
};
// Signals whose default action ends the process (with no core file: the
// child is made non-dumpable).
constexpr Sig kFatal[] = {
    {"SIGHUP", SIGHUP},     {"SIGINT", SIGINT},           {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL},     {"SIGTRAP", SIGTRAP},         {"SIGABRT", SIGABRT},
    {"SIGBUS", SIGBUS},     {"SIGFPE", SIGFPE},           {"SIGKILL", SIGKILL},
    {"SIGUSR1", SIGUSR1},   {"SIGSEGV", SIGSEGV},         {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE},   {"SIGALRM", SIGALRM},         {"SIGTERM", SIGTERM},
    {"SIGXCPU", SIGXCPU},   {"SIGXFSZ", SIGXFSZ},         {"SIGSYS", SIGSYS},
    {"SIGRTMIN", SIGRTMIN}, {"SIGRTMIN+7", SIGRTMIN + 7}, {"SIGRTMAX", SIGRTMAX},
};
constexpr Sig kStop[] = {
    {"SIGSTOP", SIGSTOP}, {"SIGTSTP", SIGTSTP}, {"SIGTTIN", SIGTTIN}, {"SIGTTOU", SIGTTOU}};

// A child that uses at least 3 ms of CPU time, writes to its stack (a
// copy-on-write fault) and exits 0.
long fork_spin() {
    long pid = sys::fork();
    if (pid == 0) {
        volatile char page[8192];
        for (usize i = 0; i < sizeof page; i += 512) page[i] = 1;
        timespec t0{}, t{};
        sys::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
        do sys::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        while ((t.tv_sec - t0.tv_sec) * 1000000000 + t.tv_nsec - t0.tv_nsec < 3000000);
        sys::exit_group(0);
    }
    return pid;
}

// Checks a child's rusage from fork_spin(): every field written, CPU time at
// least 2 ms (utime + stime add up to the measured run time), minor faults.
void check_spin_rusage(const rusage& ru) {
    i64 us = ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000 +
             ru.ru_stime.tv_usec;
    EXPECT_GE(us, 2000);
    EXPECT_LT(us, 10000000);
    EXPECT_GE(ru.ru_utime.tv_usec, 0);
    EXPECT_LT(ru.ru_utime.tv_usec, 1000000);
    EXPECT_GE(ru.ru_stime.tv_usec, 0);
    EXPECT_LT(ru.ru_stime.tv_usec, 1000000);
    EXPECT_GT(ru.fields[4], 0);                 // ru_minflt
    for (long f : ru.fields) EXPECT_NE(f, -1);  // none left as the 0xff pattern
}

long fork_die(int sig) {
    long pid = sys::fork();
    if (pid == 0) proc::die_by(sig);
    return pid;
}

}  // namespace

// wait4(2)/POSIX wait: a reaped child's pid is returned and its exit code is
// in bits 8..15 of the status, the low 7 bits zero.
TEST(wait4, reaps_exited_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(3);
    ASSERT_GT(pid, 0);
    int st = -1;
    EXPECT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
    EXPECT_EQ(st, 0x0300);
    EXPECT_ERR(sys::wait4(int(pid), &st, WNOHANG, nullptr), ECHILD);
}

// POSIX exit: only the low 8 bits of the status reach the parent
// (WEXITSTATUS); 256 reads as 0, -1 as 255.
TEST_P(wait4, exit_status_low_byte, BOUNDARY, PSE53, kCodes, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(row.code);
    ASSERT_GT(pid, 0);
    int st = -1;
    ASSERT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), row.want);
    EXPECT_EQ(st, row.want << 8);
}

// wait4(2)/POSIX wait: a child ended by a signal has WIFSIGNALED, WTERMSIG is
// the signal, and without a core dump the status is exactly the number.
TEST_P(wait4, killed_child_status, POSITIVE, PSE53, kFatal, .flags = kc::NEEDS_FORK) {
    long pid = fork_die(row.sig);
    ASSERT_GT(pid, 0);
    int st = -1;
    ASSERT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
    EXPECT_TRUE(wifsignaled(st));
    EXPECT_EQ(wtermsig(st), row.sig);
    EXPECT_EQ(st, row.sig);  // no 0x80 core flag: the child was not dumpable
}

// wait4(2): WNOHANG with a child that is still running returns 0.
TEST(wait4, wnohang_running_child_returns_zero, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    int st = 0;
    EXPECT_RET(sys::wait4(int(h.pid), &st, WNOHANG, nullptr), 0);
    EXPECT_RET(sys::wait4(-1, &st, WNOHANG, nullptr), 0);
    EXPECT_EQ(proc::release(h), 0);
}

// wait4(2)/POSIX waitpid WUNTRACED: a stopped child is reported with
// WIFSTOPPED and WSTOPSIG (status 0x7f | sig << 8). The child leads its own
// group, which is not orphaned, so the tty stop signals act too.
// The wait polls (WNOHANG) for up to 2 s: a kernel that never stops the child
// then fails the test instead of hanging it.
TEST_P(wait4, wuntraced_reports_stop, POSITIVE, PSE53, kStop, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    EXPECT_OK(sys::kill(int(h.pid), row.sig));
    int st = 0;
    long r = 0;
    for (i64 end = kc::now_ns() + 2000000000; r == 0 && kc::now_ns() < end;) {
        r = sys::wait4(int(h.pid), &st, WUNTRACED | WNOHANG, nullptr);
        timespec ms{0, 1000000};
        if (r == 0) sys::nanosleep(&ms, nullptr);
    }
    EXPECT_RET(r, h.pid);
    EXPECT_TRUE(wifstopped(st));
    EXPECT_EQ(st, 0x7f | row.sig << 8);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_EQ(proc::release(h), 0);
}

// wait4(2) WCONTINUED: a stopped child resumed by SIGCONT is reported once
// with status 0xffff (WIFCONTINUED).
TEST(wait4, wcontinued_reports_resume, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    int st = 0;
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    EXPECT_RET(sys::wait4(int(h.pid), &st, WUNTRACED, nullptr), h.pid);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_RET(sys::wait4(int(h.pid), &st, WCONTINUED, nullptr), h.pid);
    EXPECT_EQ(st, 0xffff);
    // Reported once: nothing more to report until the child exits.
    EXPECT_RET(sys::wait4(int(h.pid), &st, WCONTINUED | WUNTRACED | WNOHANG, nullptr), 0);
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX waitpid: without WUNTRACED a stopped child is not reported.
TEST(wait4, stopped_child_hidden_without_wuntraced, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    EXPECT_RET(proc::await_state(h.pid, WSTOPPED), CLD_STOPPED);
    int st = 0;
    EXPECT_RET(sys::wait4(int(h.pid), &st, WNOHANG, nullptr), 0);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_EQ(proc::release(h), 0);
}

// POSIX waitpid: ECHILD when the caller has no children at all.
TEST(wait4, no_children_echild, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            int st;
            EXPECT_ERR(sys::wait4(-1, &st, 0, nullptr), ECHILD);
            EXPECT_ERR(sys::wait4(-1, &st, WNOHANG, nullptr), ECHILD);
            EXPECT_ERR(sys::wait4(0, &st, 0, nullptr), ECHILD);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX waitpid: ECHILD for a pid that is not a child of the caller: its
// parent, itself, a pid that does not exist (checked in a child).
TEST(wait4, non_child_pid_echild, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            int st;
            EXPECT_ERR(sys::wait4(int(sys::getppid()), &st, WNOHANG, nullptr), ECHILD);
            EXPECT_ERR(sys::wait4(int(sys::getpid()), &st, WNOHANG, nullptr), ECHILD);
            EXPECT_ERR(sys::wait4(INT_MAX, &st, WNOHANG, nullptr), ECHILD);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct Opt {
    const char* label;
    int options;
};
// wait4 accepts only WNOHANG, WUNTRACED, WCONTINUED, __WNOTHREAD, __WCLONE
// and __WALL; waitid's WEXITED and WNOWAIT are not among them.
constexpr Opt kBadWait4Opts[] = {
    {"WEXITED", WEXITED}, {"WNOWAIT", WNOWAIT}, {"bit4", 0x10},
    {"bit8", 0x100},      {"bit23", 0x800000},
};

// wait4(2): options outside the accepted set are EINVAL (even with a child
// ready to be reaped).
TEST_P(wait4, bad_options_einval, NEGATIVE, LINUX, kBadWait4Opts, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    int st;
    EXPECT_ERR(sys::wait4(int(pid), &st, row.options, nullptr), EINVAL);
    EXPECT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
}

// POSIX waitpid: pid 0 waits for children in the caller's process group only;
// a child in another group is not eligible (ECHILD), pid -pgid selects it.
TEST(wait4, pid_zero_and_negative_select_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        sys::setpgid(0, 0);
        sys::exit_group(5);
    }
    ASSERT_GT(pid, 0);
    sys::setpgid(int(pid), int(pid));
    EXPECT_RET(proc::await_state(pid, WEXITED), CLD_EXITED);
    int st = 0;
    EXPECT_ERR(sys::wait4(0, &st, WNOHANG, nullptr), ECHILD);
    EXPECT_RET(sys::wait4(int(-pid), &st, 0, nullptr), pid);
    EXPECT_EQ(st, 5 << 8);
}

// POSIX waitpid: pid 0 reaps a child that stayed in the caller's group.
TEST(wait4, pid_zero_reaps_same_group_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(6);
    ASSERT_GT(pid, 0);
    int st = 0;
    EXPECT_RET(sys::wait4(0, &st, 0, nullptr), pid);
    EXPECT_EQ(st, 6 << 8);
}

// POSIX waitpid: pid -1 reaps any child; two children come back one each.
TEST(wait4, any_child_reaps_each_once, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long a = proc::fork_exit(11);
    long b = proc::fork_exit(22);
    ASSERT_GT(a, 0);
    ASSERT_GT(b, 0);
    int st1 = 0, st2 = 0;
    long r1 = sys::wait4(-1, &st1, 0, nullptr);
    long r2 = sys::wait4(-1, &st2, 0, nullptr);
    EXPECT_TRUE((r1 == a && r2 == b) || (r1 == b && r2 == a));
    EXPECT_EQ(st1, r1 == a ? 11 << 8 : 22 << 8);
    EXPECT_EQ(st2, r2 == a ? 11 << 8 : 22 << 8);
    EXPECT_ERR(sys::wait4(-1, &st1, WNOHANG, nullptr), ECHILD);
}

// POSIX waitpid: a null status pointer is allowed; the child is still reaped.
TEST(wait4, null_status_allowed, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(9);
    ASSERT_GT(pid, 0);
    EXPECT_RET(sys::wait4(int(pid), nullptr, 0, nullptr), pid);
}

// wait4(2): an unwritable status pointer is EFAULT. Linux has already reaped
// the child when it finds that out, so the pid is gone afterwards.
TEST(wait4, bad_status_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(1);
    ASSERT_GT(pid, 0);
    EXPECT_ERR(sys::wait4(int(pid), reinterpret_cast<int*>(8), 0, nullptr), EFAULT);
    EXPECT_ERR(sys::wait4(int(pid), nullptr, WNOHANG, nullptr), ECHILD);
}

// wait4(2): the rusage of the reaped child is filled in: its CPU time and
// its minor page faults.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(wait4, rusage_of_child_filled, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    long pid = fork_spin();
    ASSERT_GT(pid, 0);
    rusage ru;
    common::fill_bytes(&ru, 0xff, sizeof ru);
    int st = -1;
    EXPECT_RET(sys::wait4(int(pid), &st, 0, &ru), pid);
    EXPECT_EQ(st, 0);
    check_spin_rusage(ru);
}

// waitid(2)/POSIX: WEXITED fills siginfo: SIGCHLD, CLD_EXITED, the child's
// pid and real uid, and the exit code in si_status.
TEST(waitid, wexited_fills_siginfo, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(7);
    ASSERT_GT(pid, 0);
    siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);  // the fields the kernel writes change
    EXPECT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.si_signo, SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.uid, sys::getuid());
    EXPECT_EQ(si.child.status, 7);
    EXPECT_EQ(si.si_errno, 0);
}

// waitid(2)/POSIX: a child killed by a signal is CLD_KILLED with the signal
// in si_status.
TEST(waitid, killed_child_siginfo, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = fork_die(SIGTERM);
    ASSERT_GT(pid, 0);
    siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.si_code, CLD_KILLED);
    EXPECT_EQ(si.child.status, SIGTERM);
    EXPECT_EQ(si.child.pid, pid);
}

// waitid(2): si_status of an exited child is the low 8 bits of its exit code,
// all of them (128..255 intact), the value WEXITSTATUS gives. LINUX: POSIX
// (Issue 8) makes the full value available to waitid; Linux keeps one byte.
TEST_P(waitid, exit_code_in_si_status, BOUNDARY, LINUX, kCodes, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(row.code);
    ASSERT_GT(pid, 0);
    siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    ASSERT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_EQ(si.child.status, row.want);
}

// POSIX waitid (Issue 8): with WNOHANG and nothing to report it returns 0 and
// sets si_signo and si_pid to zero.
TEST(waitid, wnohang_running_child_zeroes_pid, BOUNDARY, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, WEXITED | WNOHANG, nullptr), 0);
    EXPECT_EQ(si.si_signo, 0);
    EXPECT_EQ(si.child.pid, 0);
    EXPECT_EQ(proc::release(h), 0);
}

// waitid(2)/POSIX: WSTOPPED reports a stop as CLD_STOPPED with the stop
// signal in si_status.
TEST(waitid, wstopped_reports_stop, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    siginfo si;
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, WSTOPPED, nullptr), 0);
    EXPECT_EQ(si.si_signo, SIGCHLD);
    EXPECT_EQ(si.si_code, CLD_STOPPED);
    EXPECT_EQ(si.child.status, SIGSTOP);
    EXPECT_EQ(si.child.pid, h.pid);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    EXPECT_EQ(proc::release(h), 0);
}

// waitid(2)/POSIX: WCONTINUED reports a resume as CLD_CONTINUED, si_status
// SIGCONT.
TEST(waitid, wcontinued_reports_resume, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h, true));
    EXPECT_OK(sys::kill(int(h.pid), SIGSTOP));
    siginfo si;
    EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, WSTOPPED, nullptr), 0);
    EXPECT_OK(sys::kill(int(h.pid), SIGCONT));
    common::fill_bytes(&si, 0xa5, sizeof si);
    EXPECT_RET(sys::waitid(P_PID, int(h.pid), &si, WCONTINUED, nullptr), 0);
    EXPECT_EQ(si.si_code, CLD_CONTINUED);
    EXPECT_EQ(si.child.status, SIGCONT);
    EXPECT_EQ(si.child.pid, h.pid);
    EXPECT_EQ(proc::release(h), 0);
}

// waitid(2)/POSIX WNOWAIT: the state is reported but the child stays
// waitable; a later wait reaps it with the same status.
TEST(waitid, wnowait_leaves_child_waitable, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(33);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED | WNOWAIT, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 33);
    si = {};
    EXPECT_RET(sys::waitid(P_ALL, 0, &si, WEXITED | WNOWAIT, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(sys::kill(int(pid), 0), 0);  // still there as a zombie
    int st = 0;
    EXPECT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
    EXPECT_EQ(st, 33 << 8);
}

// waitid(2)/POSIX P_PGID: waits only for children in that process group.
TEST(waitid, p_pgid_selects_group, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    proc::Held other;
    ASSERT_TRUE(proc::hold(other));
    long pid = sys::fork();
    if (pid == 0) {
        sys::setpgid(0, 0);
        sys::exit_group(4);
    }
    sys::setpgid(int(pid), int(pid));
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PGID, int(pid), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 4);
    // The group has no member left: ECHILD although another child runs.
    EXPECT_ERR(sys::waitid(P_PGID, int(pid), &si, WEXITED | WNOHANG, nullptr), ECHILD);
    EXPECT_EQ(proc::release(other), 0);
}

// waitid(2): P_PGID with id 0 means the caller's own group (Linux 5.4).
TEST(waitid, p_pgid_zero_is_own_group, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(8);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PGID, 0, &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 8);
}

// waitid(2)/POSIX P_ALL: any child; the id argument is ignored.
TEST(waitid, p_all_any_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(12);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_ALL, 12345, &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, pid);
    EXPECT_EQ(si.child.status, 12);
}

// waitid(2) P_PIDFD (Linux 5.4): waits for the process a pidfd refers to.
TEST(waitid, p_pidfd_waits_for_pidfd, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    long fd = sys::pidfd_open(int(h.pid), 0);
    if (fd == -ENOSYS) {
        proc::release(h);
        kc::skip("no pidfd_open (Linux < 5.3)");
    }
    ASSERT_OK(fd);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PIDFD, int(fd), &si, WEXITED | WNOHANG, nullptr), 0);
    EXPECT_EQ(si.child.pid, 0);
    sys::close(h.wfd);
    EXPECT_RET(sys::waitid(P_PIDFD, int(fd), &si, WEXITED, nullptr), 0);
    EXPECT_EQ(si.child.pid, h.pid);
    EXPECT_EQ(si.si_code, CLD_EXITED);
    EXPECT_ERR(sys::waitid(P_PIDFD, int(fd), &si, WEXITED | WNOHANG, nullptr), ECHILD);
    sys::close(int(fd));
}

// waitid(2) P_PIDFD: an fd that is not a pidfd, or not open, is EBADF; a
// negative id is EINVAL.
TEST(waitid, p_pidfd_bad_fd, NEGATIVE, LINUX) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    siginfo si{};
    EXPECT_ERR(sys::waitid(P_PIDFD, p[0], &si, WEXITED | WNOHANG, nullptr), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::waitid(P_PIDFD, p[0], &si, WEXITED | WNOHANG, nullptr), EBADF);
    EXPECT_ERR(sys::waitid(P_PIDFD, -1, &si, WEXITED | WNOHANG, nullptr), EINVAL);
}

// POSIX waitid: ECHILD when there is no child to wait for.
TEST(waitid, no_children_echild, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            siginfo si{};
            EXPECT_ERR(sys::waitid(P_ALL, 0, &si, WEXITED, nullptr), ECHILD);
            EXPECT_ERR(sys::waitid(P_PID, int(sys::getppid()), &si, WEXITED | WNOHANG, nullptr),
                       ECHILD);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// waitid(2)/POSIX: options must name at least one of WEXITED, WSTOPPED,
// WCONTINUED, and unknown bits are EINVAL.
constexpr Opt kBadWaitidOpts[] = {
    {"zero", 0},
    {"WNOHANG_only", WNOHANG},
    {"WNOWAIT_only", WNOWAIT},
    {"bit4", WEXITED | 0x10},
    {"bit8", WEXITED | 0x100},
    {"bit23", WEXITED | 0x800000},
};
TEST_P(waitid, bad_options_einval, NEGATIVE, PSE53, kBadWaitidOpts, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    siginfo si{};
    EXPECT_ERR(sys::waitid(P_PID, int(pid), &si, row.options, nullptr), EINVAL);
    int st;
    EXPECT_RET(sys::wait4(int(pid), &st, 0, nullptr), pid);
}

struct Id {
    const char* label;
    int idtype;
    int id;
};
// waitid(2): unknown idtypes and negative or zero pids for P_PID are EINVAL.
constexpr Id kBadIds[] = {
    {"idtype=4", 4, 1},       {"idtype=99", 99, 1},       {"idtype=-1", -1, 1},
    {"P_PID_id=0", P_PID, 0}, {"P_PID_id=-1", P_PID, -1}, {"P_PGID_id=-1", P_PGID, -1},
};
TEST_P(waitid, bad_idtype_or_id_einval, NEGATIVE, PSE53, kBadIds) {
    siginfo si{};
    EXPECT_ERR(sys::waitid(row.idtype, row.id, &si, WEXITED | WNOHANG, nullptr), EINVAL);
}

// waitid(2): Linux accepts a null infop (the child is reaped all the same).
TEST(waitid, null_infop_allowed, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(2);
    ASSERT_GT(pid, 0);
    EXPECT_RET(sys::waitid(P_PID, int(pid), nullptr, WEXITED, nullptr), 0);
    EXPECT_ERR(sys::kill(int(pid), 0), ESRCH);
}

// waitid(2): an unwritable infop is EFAULT.
TEST(waitid, bad_infop_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(2);
    ASSERT_GT(pid, 0);
    EXPECT_ERR(sys::waitid(P_PID, int(pid), reinterpret_cast<siginfo*>(8), WEXITED, nullptr),
               EFAULT);
    // As with wait4, Linux reaped the child before the copy-out failed.
    EXPECT_ERR(sys::kill(int(pid), 0), ESRCH);
}

// waitid(2): the Linux fifth argument returns the child's rusage.
// EXCLUSIVE: it measures CPU time, which tests running beside it would take.
TEST(waitid, rusage_argument_filled, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    long pid = fork_spin();
    ASSERT_GT(pid, 0);
    rusage ru;
    common::fill_bytes(&ru, 0xff, sizeof ru);
    siginfo si{};
    EXPECT_RET(sys::waitid(P_PID, int(pid), &si, WEXITED, &ru), 0);
    check_spin_rusage(ru);
}

// wait4(2): the reaped child's maximum resident set size (ru_maxrss, KiB)
// covers the 1 MiB it touched (half of it is required: Linux's RSS counters
// are approximate).
TEST(wait4, rusage_maxrss_covers_child_pages, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    constexpr usize kLen = 256 * 4096;
    long pid = sys::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        long p =
            sys::mmap(nullptr, kLen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p < 0) sys::exit_group(1);
        for (usize i = 0; i < kLen; i += 4096) reinterpret_cast<volatile char*>(p)[i] = 1;
        sys::exit_group(0);
    }
    rusage ru;
    common::fill_bytes(&ru, 0, sizeof ru);
    int st = -1;
    EXPECT_RET(sys::wait4(int(pid), &st, 0, &ru), pid);
    EXPECT_EQ(st, 0);
    EXPECT_GE(ru.fields[0] /* ru_maxrss */, long(kLen / 2048));
}
