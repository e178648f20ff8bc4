// SPDX-License-Identifier: MIT
// ptrace(2): what debuggers and emulators rely on. Covers PTRACE_TRACEME and
// the signal-delivery stop, resuming with CONT/DETACH (with and without a
// signal to inject), PEEK/POKE of the tracee's memory, GETSIGINFO/SETSIGINFO,
// syscall stops (TRACESYSGOOD) and PTRACE_GET_SYSCALL_INFO, EXITKILL,
// SEIZE + INTERRUPT (PTRACE_EVENT_STOP), fork/vfork/clone events with
// GETEVENTMSG, PTRACE_ATTACH to a child, GETREGSET's iovec handling, and the
// exact errnos of bad requests (ESRCH, EIO, EPERM, EINVAL, EFAULT).
//
// Every tracee is a child the test created. Left out: register contents
// (arch-specific layouts), PEEKUSER/POKEUSER offsets, single-stepping (no
// riscv64 support), PTRACE_LISTEN, PTRACE_O_TRACEEXEC and multi-threaded
// tracees.
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"
#include "tests/ptrace/pt_util.hpp"

namespace {

volatile long g_word = 0x1111;  // a tracee's copy is peeked and poked
volatile int g_sig;             // the signal a tracee's handler saw
volatile int g_sig_pid;         // its si_pid

int ret_five(long) { return 5; }
int close_bad_fd(long) { return int(sys::close(-77)); }

// Closes its copy of a pipe's write end (arg >> 16) and blocks reading the
// read end (arg & 0xffff) until the parent writes or closes its end.
int block_on(long arg) {
    char c;
    sys::close(int(arg >> 16));
    return int(sys::read(int(arg & 0xffff), &c, 1));
}
long ends(const int p[2]) { return p[0] | long(p[1]) << 16; }

}  // namespace

// ptrace(2): after PTRACE_TRACEME, a signal the child sends itself stops it and
// waitpid() reports WIFSTOPPED with that signal; PTRACE_CONT with signal 0
// suppresses it and the child runs to its exit.
TEST(ptrace, traceme_then_sigstop_stops_child, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    EXPECT_TRUE(exited_with(k.wait(), 5));
}

struct Resume {
    const char* label;
    long req;
    int sig;     // injected signal (data)
    int killed;  // 0: the child exits 5; else it dies of this signal
};
constexpr Resume kResumes[] = {
    {"cont_sig=0", PTRACE_CONT, 0, 0},
    {"cont_sig=SIGUSR1", PTRACE_CONT, SIGUSR1, SIGUSR1},
    {"cont_sig=SIGTERM", PTRACE_CONT, SIGTERM, SIGTERM},
    {"detach_sig=0", PTRACE_DETACH, 0, 0},
    {"detach_sig=SIGUSR2", PTRACE_DETACH, SIGUSR2, SIGUSR2},
};
// ptrace(2) "Signal-delivery-stop": the signal passed to PTRACE_CONT or
// PTRACE_DETACH replaces the one that stopped the tracee; 0 suppresses it.
// After DETACH the child runs on untraced.
TEST_P(ptrace, resume_injects_signal, POSITIVE, LINUX, kResumes, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    EXPECT_RET(sys::ptrace(row.req, k.pid, 0, row.sig), 0);
    int st = k.wait();
    if (row.killed)
        EXPECT_TRUE(wifsignaled(st) && wtermsig(st) == row.killed);
    else
        EXPECT_TRUE(exited_with(st, 5));
}

// ptrace(2): an injected signal that differs from the stopping one reaches the
// tracee's handler with si_code SI_USER and si_pid = the tracer (Linux rebuilds
// the siginfo in ptrace_signal()).
TEST(ptrace, cont_injected_signal_reaches_handler, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    auto child = [](long) {
        auto h = [](int sig, siginfo* si, void*) {
            g_sig = sig + (si->si_code == 0 ? 0 : 100);
            g_sig_pid = si->rt.pid;
        };
        arch::KSigaction sa = arch::make_sigaction(reinterpret_cast<void*>(+h), SA_SIGINFO, 0);
        sys::rt_sigaction(SIGUSR1, &sa, nullptr);
        sys::kill(int(sys::getpid()), SIGSTOP);
        return g_sig == SIGUSR1 && g_sig_pid == sys::getppid() ? 0 : 1;
    };
    if (!start_traced(k, child)) return;
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    int st = k.wait();  // the second SIGSTOP, after the handler is in place
    if (!EXPECT_TRUE(wifstopped(st) && stopsig(st) == SIGSTOP)) return;
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, SIGUSR1), 0);
    EXPECT_TRUE(exited_with(k.wait(), 0));
}

struct PeekPoke {
    const char* label;
    long peek, poke;
};
constexpr PeekPoke kPeekPokes[] = {{"data", PTRACE_PEEKDATA, PTRACE_POKEDATA},
                                   {"text", PTRACE_PEEKTEXT, PTRACE_POKETEXT}};
// ptrace(2) PTRACE_PEEKDATA/POKEDATA (TEXT: the same on Linux): the raw call
// stores the tracee's word at *data; POKE changes only the tracee's copy of a
// global, which the tracee then sees.
TEST_P(ptrace, peek_poke_round_trip, POSITIVE, LINUX, kPeekPokes, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, [](long) { return g_word == long(0x5a5a'a5a5'1234'8765) ? 7 : 1; }))
        return;
    long a = long(&g_word), w = 0;
    EXPECT_RET(sys::ptrace(row.peek, k.pid, a, long(&w)), 0);
    EXPECT_EQ(w, 0x1111);
    EXPECT_RET(sys::ptrace(row.poke, k.pid, a, 0x5a5a'a5a5'1234'8765), 0);
    EXPECT_RET(sys::ptrace(row.peek, k.pid, a, long(&w)), 0);
    EXPECT_EQ(w, 0x5a5a'a5a5'1234'8765);
    EXPECT_EQ(g_word, 0x1111);  // the tracer's own copy is untouched
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    EXPECT_TRUE(exited_with(k.wait(), 7));
}

struct BadPeek {
    const char* label;
    long req;
    long addr;  // 1: an address unmapped in the tracee
    bool bad_data;
    int err;
};
constexpr BadPeek kBadPeeks[] = {
    {"peek_addr=0", PTRACE_PEEKDATA, 0, false, EIO},
    {"peek_addr=unmapped", PTRACE_PEEKDATA, 1, false, EIO},
    {"peek_addr=kernel", PTRACE_PEEKDATA, -4096, false, EIO},
    {"poke_addr=0", PTRACE_POKEDATA, 0, false, EIO},
    {"poke_addr=unmapped", PTRACE_POKEDATA, 1, false, EIO},
    {"peek_data=bad_pointer", PTRACE_PEEKDATA, 2, true, EFAULT},
};
// ptrace(2): PEEK/POKE of a tracee address that is not mapped fails with EIO
// (man page: "EIO or EFAULT"; Linux returns EIO when the tracee's memory cannot
// be accessed, EFAULT when the tracer's *data cannot be written).
TEST_P(ptrace, peek_poke_bad_address, NEGATIVE, LINUX, kBadPeeks, .flags = kc::NEEDS_FORK) {
    long hole = sys::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (!EXPECT_OK(hole)) return;
    sys::munmap(reinterpret_cast<void*>(hole), 4096);
    Kid k;
    if (!start_traced(k, ret_five)) return;
    long addr = row.addr == 1 ? hole : row.addr == 2 ? long(&g_word) : row.addr;
    long w = 0;
    EXPECT_ERR(sys::ptrace(row.req, k.pid, addr, row.bad_data ? 8 : long(&w)), row.err);
}

// ptrace(2) PTRACE_GETSIGINFO: the siginfo of the signal that stopped the
// tracee: SIGSTOP from kill(2), so si_code SI_USER and si_pid = the tracee.
TEST(ptrace, getsiginfo_of_stopped_tracee, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    siginfo si{};
    EXPECT_RET(sys::ptrace(PTRACE_GETSIGINFO, k.pid, 0, long(&si)), 0);
    EXPECT_EQ(si.si_signo, SIGSTOP);
    EXPECT_EQ(si.si_code, 0);
    EXPECT_EQ(si.rt.pid, k.pid);
    EXPECT_EQ(long(si.rt.uid), sys::getuid());
    EXPECT_ERR(sys::ptrace(PTRACE_GETSIGINFO, k.pid, 0, 8), EFAULT);
}

// ptrace(2) PTRACE_SETSIGINFO replaces the stopped signal's siginfo: a
// following GETSIGINFO returns what was set.
TEST(ptrace, setsiginfo_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    siginfo si{}, back{};
    EXPECT_RET(sys::ptrace(PTRACE_GETSIGINFO, k.pid, 0, long(&si)), 0);
    si.si_errno = 1234;
    si.rt.value = 0x0bad'cafe;
    EXPECT_RET(sys::ptrace(PTRACE_SETSIGINFO, k.pid, 0, long(&si)), 0);
    EXPECT_RET(sys::ptrace(PTRACE_GETSIGINFO, k.pid, 0, long(&back)), 0);
    EXPECT_MEM_EQ(&back, &si, sizeof si);
    EXPECT_ERR(sys::ptrace(PTRACE_SETSIGINFO, k.pid, 0, 8), EFAULT);
}

struct SysStop {
    const char* label;
    long options;
    int sig;
    bool info;  // GET_SYSCALL_INFO reports entry/exit (else NONE)
};
constexpr SysStop kSysStops[] = {{"tracesysgood", PTRACE_O_TRACESYSGOOD, SIGTRAP | 0x80, true},
                                 {"plain", 0, SIGTRAP, false}};
// ptrace(2) PTRACE_SYSCALL: the tracee stops at entry to and exit from each
// system call, with SIGTRAP|0x80 under PTRACE_O_TRACESYSGOOD and plain SIGTRAP
// without. Linux: PTRACE_GET_SYSCALL_INFO only tells entry from exit when
// TRACESYSGOOD is on (it keys on si_code SIGTRAP|0x80); otherwise op is NONE.
TEST_P(ptrace, syscall_stops_at_entry_and_exit, POSITIVE, LINUX, kSysStops,
       .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, close_bad_fd)) return;
    EXPECT_RET(sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, row.options), 0);
    // close(-77) entry, its exit, then exit_group's entry.
    constexpr u8 ops[] = {PTRACE_SYSCALL_INFO_ENTRY, PTRACE_SYSCALL_INFO_EXIT,
                          PTRACE_SYSCALL_INFO_ENTRY};
    for (u8 op : ops) {
        EXPECT_RET(sys::ptrace(PTRACE_SYSCALL, k.pid, 0, 0), 0);
        int st = k.wait();
        if (!EXPECT_TRUE(wifstopped(st))) return;
        EXPECT_EQ(stopsig(st), row.sig);
        ptrace_syscall_info in{};
        EXPECT_GT(sys::ptrace(PTRACE_GET_SYSCALL_INFO, k.pid, sizeof in, long(&in)), 0);
        EXPECT_EQ(in.op, row.info ? op : PTRACE_SYSCALL_INFO_NONE);
    }
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    EXPECT_TRUE(exited_with(k.wait(), 256 - EBADF));
}

// ptrace(2) PTRACE_GET_SYSCALL_INFO (Linux 5.3): at entry, op ENTRY with the
// number and arguments (size 80); at exit, op EXIT with rval and is_error
// (size 33); arch is the AUDIT_ARCH value of this architecture.
TEST(ptrace, get_syscall_info_entry_exit, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, close_bad_fd)) return;
    EXPECT_RET(sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, PTRACE_O_TRACESYSGOOD), 0);
    ptrace_syscall_info in{};
    EXPECT_RET(sys::ptrace(PTRACE_SYSCALL, k.pid, 0, 0), 0);
    if (!EXPECT_TRUE(wifstopped(k.wait()))) return;
    EXPECT_RET(sys::ptrace(PTRACE_GET_SYSCALL_INFO, k.pid, sizeof in, long(&in)), kInfoEntrySize);
    EXPECT_EQ(in.op, PTRACE_SYSCALL_INFO_ENTRY);
    EXPECT_EQ(in.arch, arch::AUDIT_ARCH);
    EXPECT_EQ(long(in.entry.nr), nr::close);
    EXPECT_EQ(long(in.entry.args[0]), -77);
    EXPECT_NE(in.instruction_pointer, 0u);
    EXPECT_NE(in.stack_pointer, 0u);
    EXPECT_RET(sys::ptrace(PTRACE_SYSCALL, k.pid, 0, 0), 0);
    if (!EXPECT_TRUE(wifstopped(k.wait()))) return;
    EXPECT_RET(sys::ptrace(PTRACE_GET_SYSCALL_INFO, k.pid, sizeof in, long(&in)), kInfoExitSize);
    EXPECT_EQ(in.op, PTRACE_SYSCALL_INFO_EXIT);
    EXPECT_EQ(in.exit.rval, -EBADF);
    EXPECT_EQ(in.exit.is_error, 1);
}

struct InfoSize {
    const char* label;
    long size;
};
constexpr InfoSize kInfoSizes[] = {{"size=0", 0}, {"size=1", 1}, {"size=88", 88}};
// ptrace(2) PTRACE_GET_SYSCALL_INFO at a signal-delivery stop: op NONE; the
// call returns the full size (24) whatever addr (the buffer size) is, and
// writes only min(size, 24) bytes.
TEST_P(ptrace, get_syscall_info_at_signal_stop, BOUNDARY, LINUX, kInfoSizes,
       .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    ptrace_syscall_info in;
    u8* buf = reinterpret_cast<u8*>(&in);
    common::fill_bytes(buf, 0xa5, sizeof in);
    EXPECT_RET(sys::ptrace(PTRACE_GET_SYSCALL_INFO, k.pid, row.size, long(buf)), kInfoNoneSize);
    long n = row.size < kInfoNoneSize ? row.size : kInfoNoneSize;
    EXPECT_EQ(buf[0], n ? PTRACE_SYSCALL_INFO_NONE : 0xa5);
    EXPECT_EQ(buf[n], 0xa5);
    if (n == kInfoNoneSize) {
        EXPECT_EQ(in.arch, arch::AUDIT_ARCH);
        EXPECT_NE(in.instruction_pointer, 0u);
    }
}

// ptrace(2) PTRACE_O_EXITKILL: when the tracer exits, the tracee gets SIGKILL.
// The tracer is an intermediate child; the tracee holds the only write end of
// a pipe, whose EOF tells that it died.
TEST(ptrace, exitkill_kills_tracee_when_tracer_exits, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_no_tracer();  // it traces its own child (see start_traced)
    int p[2];
    if (!EXPECT_OK(sys::pipe2(p, O_CLOEXEC))) return;
    Kid tracer;
    tracer.pid = sys::fork();
    if (tracer.pid == 0) {
        sys::close(p[0]);
        Kid k;
        if (!start_traced(k, ret_five, 0, false)) sys::exit_group(1);
        long r = sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, PTRACE_O_EXITKILL);
        int pid = int(k.pid);
        sys::write(p[1], &pid, sizeof pid);
        k.pid = 0;  // left stopped: EXITKILL is what must end it
        sys::exit_group(r == 0 ? 0 : 2);
    }
    sys::close(p[1]);
    int pid = 0;
    EXPECT_RET(sys::read(p[0], &pid, sizeof pid), long(sizeof pid));
    EXPECT_TRUE(exited_with(tracer.wait(), 0));
    // The tracee's end closes when it dies; without EXITKILL it would stay.
    char c;
    timespec ts{0, 1000000};
    long r = -EAGAIN;
    sys::fcntl(p[0], F_SETFL, O_NONBLOCK);
    for (int i = 0; i < 2000 && r == -EAGAIN; i++) {
        r = sys::read(p[0], &c, 1);
        if (r == -EAGAIN) sys::nanosleep(&ts, nullptr);
    }
    EXPECT_RET(r, 0);
    if (r != 0 && pid > 0) sys::kill(pid, SIGKILL);
    sys::close(p[0]);
}

// ptrace(2) PTRACE_SEIZE attaches without stopping; PTRACE_INTERRUPT then
// stops the tracee in a PTRACE_EVENT_STOP (status>>16 == 128, SIGTRAP).
// PTRACE_ATTACH/SEIZE of one's own child is allowed unless a security module
// (Yama ptrace_scope 2 or 3) forbids it: then the test SKIPs.
TEST(ptrace, seize_interrupt_event_stop, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_no_tracer();  // it traces its own child (see start_traced)
    int p[2];
    if (!EXPECT_OK(sys::pipe2(p, O_CLOEXEC))) return;
    Kid k;
    start(k, block_on, ends(p));
    long r = sys::ptrace(PTRACE_SEIZE, k.pid, 0, PTRACE_O_TRACESYSGOOD);
    if (r == -EPERM) {
        k.end();
        sys::close(p[0]);
        sys::close(p[1]);
        kc::skip("PTRACE_SEIZE of a child refused (EPERM): Yama or another LSM");
    }
    if (!EXPECT_RET(r, 0)) {  // not traced: waiting for a stop would hang
        sys::close(p[0]);
        sys::close(p[1]);
        return;
    }
    EXPECT_RET(sys::ptrace(PTRACE_INTERRUPT, k.pid, 0, 0), 0);
    int st = k.wait();
    EXPECT_TRUE(wifstopped(st));
    EXPECT_EQ(stopsig(st), SIGTRAP);
    EXPECT_EQ(stop_event(st), PTRACE_EVENT_STOP);
    sys::close(p[0]);
    sys::close(p[1]);
}

struct BadSeize {
    const char* label;
    long addr, data;
};
constexpr BadSeize kBadSeizes[] = {
    {"addr=1", 1, 0}, {"data=0x100", 0, 0x100}, {"data=bit31", 0, 0x80000000L}};
// ptrace(2) PTRACE_SEIZE: addr must be 0, and data holds only known options.
// Linux: both fail with EIO (kept from before SETOPTIONS used EINVAL).
TEST_P(ptrace, seize_bad_arguments_eio, NEGATIVE, LINUX, kBadSeizes, .flags = kc::NEEDS_FORK) {
    int p[2];
    if (!EXPECT_OK(sys::pipe2(p, O_CLOEXEC))) return;
    Kid k;
    start(k, block_on, ends(p));
    EXPECT_ERR(sys::ptrace(PTRACE_SEIZE, k.pid, row.addr, row.data), EIO);
    sys::close(p[0]);
    sys::close(p[1]);
}

// ptrace(2): PTRACE_INTERRUPT works only on a tracee attached with
// PTRACE_SEIZE; on a PTRACE_TRACEME tracee it fails with EIO.
TEST(ptrace, interrupt_without_seize_eio, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    EXPECT_ERR(sys::ptrace(PTRACE_INTERRUPT, k.pid, 0, 0), EIO);
}

// ptrace(2) PTRACE_ATTACH to one's own running child stops it with SIGSTOP;
// attaching again fails with EPERM (already traced); DETACH resumes it.
TEST(ptrace, attach_child_stops_it, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_no_tracer();  // it traces its own child (see start_traced)
    int p[2];
    if (!EXPECT_OK(sys::pipe2(p, O_CLOEXEC))) return;
    Kid k;
    start(k, block_on, ends(p));
    long r = sys::ptrace(PTRACE_ATTACH, k.pid, 0, 0);
    if (r == -EPERM) {
        k.end();
        sys::close(p[0]);
        sys::close(p[1]);
        kc::skip("PTRACE_ATTACH of a child refused (EPERM): Yama or another LSM");
    }
    if (!EXPECT_RET(r, 0)) {  // not traced: waiting for a stop would hang
        sys::close(p[0]);
        sys::close(p[1]);
        return;
    }
    int st = k.wait();
    EXPECT_TRUE(wifstopped(st) && stopsig(st) == SIGSTOP);
    EXPECT_ERR(sys::ptrace(PTRACE_ATTACH, k.pid, 0, 0), EPERM);
    EXPECT_RET(sys::ptrace(PTRACE_DETACH, k.pid, 0, 0), 0);
    sys::close(p[1]);  // EOF: the child's read returns 0 and it exits 0
    EXPECT_TRUE(exited_with(k.wait(), 0));
    sys::close(p[0]);
}

struct Event {
    const char* label;
    u64 clone_flags;
    long option;
    int event;
};
constexpr Event kEvents[] = {
    {"fork", SIGCHLD, PTRACE_O_TRACEFORK, PTRACE_EVENT_FORK},
    {"vfork", CLONE_VFORK | SIGCHLD, PTRACE_O_TRACEVFORK, PTRACE_EVENT_VFORK},
    {"clone", 0, PTRACE_O_TRACECLONE, PTRACE_EVENT_CLONE},
};
// ptrace(2) PTRACE_O_TRACEFORK/VFORK/CLONE: the tracee stops with
// SIGTRAP | event << 8; PTRACE_GETEVENTMSG gives the new pid, which clone
// returns in the tracee; the new process starts traced, stopped by SIGSTOP.
// (clone with an exit signal other than SIGCHLD is a "clone" event.)
TEST_P(ptrace, fork_event_reports_new_pid, POSITIVE, LINUX, kEvents, .flags = kc::NEEDS_FORK) {
    Kid k, g;
    auto child = [](long flags) {
        long r = sys::clone(u64(flags), nullptr, nullptr);
        if (r == 0) sys::exit_group(0);
        int st = -1;
        long w = sys::wait4(int(r), &st, __WALL, nullptr);
        return r == g_word && w == r && st == 0 ? 0 : 1;
    };
    if (!start_traced(k, child, long(row.clone_flags))) return;
    EXPECT_RET(sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, row.option), 0);
    EXPECT_RET(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), 0);
    int st = k.wait();
    if (!EXPECT_TRUE(wifstopped(st))) return;
    EXPECT_EQ(st >> 8, SIGTRAP | row.event << 8);
    unsigned long msg = 0;
    EXPECT_RET(sys::ptrace(PTRACE_GETEVENTMSG, k.pid, 0, long(&msg)), 0);
    if (!EXPECT_GT(long(msg), 0)) return;
    g.pid = long(msg);
    st = kc::wait_status(g.pid);
    EXPECT_TRUE(wifstopped(st) && stopsig(st) == SIGSTOP);
    EXPECT_RET(sys::ptrace(PTRACE_POKEDATA, k.pid, long(&g_word), long(msg)), 0);
    EXPECT_RET(sys::ptrace(PTRACE_CONT, g.pid, 0, 0), 0);
    EXPECT_TRUE(exited_with(g.wait(), 0));
    // The tracee stops again for SIGCHLD (fork, vfork) on its way out.
    EXPECT_TRUE(exited_with(k.run_to_end(), 0));
}

struct Gone {
    const char* label;
    int pid;
};
constexpr Gone kGone[] = {{"pid=INT_MAX", INT_MAX}, {"pid=-1", -1}, {"pid=0", 0}};
// ptrace(2) ESRCH: "the specified process does not exist".
TEST_P(ptrace, no_such_process_esrch, NEGATIVE, LINUX, kGone) {
    long w;
    EXPECT_ERR(sys::ptrace(PTRACE_PEEKDATA, row.pid, long(&g_word), long(&w)), ESRCH);
    EXPECT_ERR(sys::ptrace(PTRACE_CONT, row.pid, 0, 0), ESRCH);
}

struct NotStopped {
    const char* label;
    bool traced;
};
constexpr NotStopped kNotStopped[] = {{"untraced", false}, {"traced_running", true}};
// ptrace(2) ESRCH: the process "is not currently being traced by the caller,
// or is not stopped (for requests that require a stopped tracee)".
TEST_P(ptrace, request_on_running_child_esrch, NEGATIVE, LINUX, kNotStopped,
       .flags = kc::NEEDS_FORK) {
    // The traced row must be traced by this test, or it shows nothing.
    if (row.traced) kc::require_no_tracer();
    int p[2], q[2];
    if (!EXPECT_OK(sys::pipe2(p, O_CLOEXEC))) return;
    if (!EXPECT_OK(sys::pipe2(q, O_CLOEXEC))) {
        sys::close(p[0]);
        sys::close(p[1]);
        return;
    }
    Kid k;
    k.pid = sys::fork();
    if (k.pid == 0) {
        if (row.traced) sys::ptrace(PTRACE_TRACEME, 0);
        sys::write(q[1], "r", 1);
        sys::exit_group(block_on(ends(p)));
    }
    char c;
    EXPECT_RET(sys::read(q[0], &c, 1), 1);  // TRACEME is done
    long w;
    EXPECT_ERR(sys::ptrace(PTRACE_PEEKDATA, k.pid, long(&g_word), long(&w)), ESRCH);
    EXPECT_ERR(sys::ptrace(PTRACE_CONT, k.pid, 0, 0), ESRCH);
    EXPECT_ERR(sys::ptrace(PTRACE_GETSIGINFO, k.pid, 0, long(&w)), ESRCH);
    sys::close(p[0]);
    sys::close(p[1]);
    sys::close(q[0]);
    sys::close(q[1]);
}

struct BadReq {
    const char* label;
    long req, addr;
};
constexpr BadReq kBadReqs[] = {{"req=0x1234", 0x1234, 0},
                               {"req=0x42ff", 0x42ff, 0},
                               {"req=-1", -1, 0},
                               {"peekuser_addr=3", PTRACE_PEEKUSR, 3}};
// ptrace(2) EIO: "request is invalid". Linux checks the tracee first (ESRCH
// unless stopped), so these go to a stopped tracee. PEEKUSER at a misaligned
// offset is EIO too (x86-64; aarch64 and riscv64 have no PEEKUSER at all).
TEST_P(ptrace, unknown_request_eio, NEGATIVE, LINUX, kBadReqs, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    long w = 0;
    EXPECT_ERR(sys::ptrace(row.req, k.pid, row.addr, long(&w)), EIO);
}

struct SelfReq {
    const char* label;
    long req;
};
constexpr SelfReq kSelfReqs[] = {{"attach", PTRACE_ATTACH}, {"seize", PTRACE_SEIZE}};
// ptrace(2) EPERM: a process cannot trace itself (or its own thread group).
TEST_P(ptrace, attach_self_eperm, NEGATIVE, LINUX, kSelfReqs) {
    EXPECT_ERR(sys::ptrace(row.req, sys::getpid(), 0, 0), EPERM);
}

// ptrace(2) EPERM: attaching to another user's process without
// CAP_SYS_PTRACE is refused (PTRACE_ATTACH and PTRACE_SEIZE alike; where
// Yama's scope is stricter, it refuses with EPERM too).
TEST_P(ptrace, attach_other_user_eperm, NEGATIVE, LINUX, kSelfReqs, .flags = kc::NEEDS_FORK) {
    proc::Foreign f;
    proc::foreign_process(f);
    struct Arg {
        proc::Foreign* f;
        long req;
    } arg{&f, row.req};
    long pid = kc::spawn(
        [](void* p) {
            auto* a = static_cast<Arg*>(p);
            ASSERT_TRUE(proc::unprivileged_toward(*a->f));
            EXPECT_ERR(sys::ptrace(a->req, a->f->pid, 0, 0), EPERM);
        },
        &arg);
    EXPECT_CHILD_OK(pid);
    proc::release(f);
}

// ptrace(2) EPERM: PTRACE_TRACEME in a process that is already traced.
TEST(ptrace, traceme_twice_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_no_tracer();  // it traces its own child (see start_traced)
    Kid k;
    start(k, [](long) {
        long r = sys::ptrace(PTRACE_TRACEME, 0);
        if (r != 0) return r == -EPERM ? kTracemeRefused : kTracemeFailed;
        return sys::ptrace(PTRACE_TRACEME, 0) == -EPERM ? 0 : 2;
    });
    int st = k.wait();
    skip_if_refused(st);
    EXPECT_TRUE(exited_with(st, 0));  // kTracemeFailed: the first TRACEME failed
}

struct Opts {
    const char* label;
    long options;
    int err;
};
constexpr Opts kOpts[] = {
    {"all_known", 0xff | PTRACE_O_EXITKILL, 0},
    {"none", 0, 0},
    {"bit8", 0x100, EINVAL},
    {"bit22", 0x400000, EINVAL},
    {"bit31", 0x80000000L, EINVAL},
    {"bit32", 0x100000000L, EINVAL},
};
// ptrace(2) PTRACE_SETOPTIONS: unknown option bits fail with EINVAL; the
// known ones are accepted.
TEST_P(ptrace, setoptions_bits, BOUNDARY, LINUX, kOpts, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    long r = sys::ptrace(PTRACE_SETOPTIONS, k.pid, 0, row.options);
    if (row.err)
        EXPECT_ERR(r, row.err);
    else
        EXPECT_RET(r, 0);
}

struct RegSet {
    const char* label;
    long note;
    long len;  // -1: the arch's NT_PRSTATUS size
    int err;   // -1: a bad iovec pointer (EFAULT)
};
constexpr RegSet kRegSets[] = {
    {"len=4096", NT_PRSTATUS, 4096, 0},   {"len=exact", NT_PRSTATUS, -1, 0},
    {"len=8", NT_PRSTATUS, 8, 0},         {"len=0", NT_PRSTATUS, 0, 0},
    {"len=12", NT_PRSTATUS, 12, EINVAL},  {"note=0x12345", 0x12345, 4096, EINVAL},
    {"iovec=bad", NT_PRSTATUS, 4096, -1},
};
// ptrace(2) PTRACE_GETREGSET: iov_len is cut down to the register set's size
// and the copied bytes are a prefix of the full set; a length that is not a
// multiple of the register size, or an unknown note type, fails with EINVAL.
TEST_P(ptrace, getregset_iovec_length, BOUNDARY, LINUX, kRegSets, .flags = kc::NEEDS_FORK) {
    Kid k;
    if (!start_traced(k, ret_five)) return;
    u8 full[4096], part[4096];
    iovec io{full, sizeof full};
    EXPECT_RET(sys::ptrace(PTRACE_GETREGSET, k.pid, NT_PRSTATUS, long(&io)), 0);
    EXPECT_EQ(io.iov_len, arch::PRSTATUS_SIZE);
    usize len = row.len < 0 ? arch::PRSTATUS_SIZE : usize(row.len);
    io = iovec{part, len};
    if (row.err < 0) {
        EXPECT_ERR(sys::ptrace(PTRACE_GETREGSET, k.pid, row.note, 8), EFAULT);
    } else if (row.err) {
        EXPECT_ERR(sys::ptrace(PTRACE_GETREGSET, k.pid, row.note, long(&io)), row.err);
        EXPECT_EQ(io.iov_len, len);
    } else {
        EXPECT_RET(sys::ptrace(PTRACE_GETREGSET, k.pid, row.note, long(&io)), 0);
        usize want = len < arch::PRSTATUS_SIZE ? len : arch::PRSTATUS_SIZE;
        EXPECT_EQ(io.iov_len, want);
        EXPECT_MEM_EQ(part, full, want);
    }
}
