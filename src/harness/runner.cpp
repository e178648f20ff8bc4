// SPDX-License-Identifier: MIT
// The runner: runs each selected test (and each row of a table test) once,
// isolated from the others, and reports exactly one result for it.
//
// fork mode: the test runs in a child in its own process group. The parent
//   waits (rt_sigtimedwait on a blocked SIGCHLD) until the child ends or the
//   deadline passes, then kills the group, reaps the child and reads the
//   result from the shared page. A child killed by a signal is a CRASH; one
//   that exits before finishing its body is a CRASH too.
// none mode: the test runs in this process. A watchdog timer (SIGRTMAX, or
//   SIGALRM where POSIX timers are missing) turns a hang into TIMEOUT; fault
//   signals are caught on an alternate stack and turned into CRASH; then the
//   signal mask, dispositions, leaked fds and scratch files are reset.
#include "harness/internal.hpp"
#include "rt/start.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_signal.hpp"

namespace kc {

extern arch::JmpBuf g_test_jmp;
Result* g_result;

namespace {

constinit Options g_opts;
Isolation g_mode;
bool g_can_fork;
long g_fork_error;
const char* g_self_path;
u64 g_fd_baseline[2];  // fds open before any test, below kFdScan
int g_fd_scan;         // how many fds the leak check looks at
int g_sink = -1;       // the write end of a pipe nobody reads (open_sink)
bool g_std_out[3];     // fds 1 and 2 were open when the run started
constexpr int kFdScanMax = 128;
volatile int g_in_body;
int g_timer_id = -1;  // none mode watchdog; -1: ITIMER_REAL
int g_watchdog_sig;
alignas(16) char g_altstack[32768];
constinit Result g_private_result;  // when no shared page can be mapped

// The items of this run: each selected test, or row of a table test, in
// registration order, and their progress (fork mode, below).
constexpr u32 kMaxItems = 32768;
enum ItemState : u8 { PENDING, RUNNING, STORED, REPORTED };
u32 g_items[kMaxItems];  // test index << 16 | row
u8 g_state[kMaxItems];
u32 g_nitems;
u32 g_head;  // the first item not yet reported

// A test process and what the runner knows of it. Up to --jobs of them run
// tests at once, each in a lane (a job: its own scratch directory). A test
// process whose test has ended (its result is final, no process of it is
// left) frees its lane at once and keeps its slot while the kernel tears it
// down ("exiting"): exit can take long (exit_aio waits for an RCU grace
// period, some 30 ms), and the next test need not wait for it. Its result
// page stays its own until it is reaped, so nothing it still does can reach
// the next test's result; its result is reported when it is reaped.
struct Slot {
    Result* result;
    long pid;  // 0: free
    u32 item;
    int lane;
    i64 start, deadline, end;
    i64 starved;     // time it waited for a CPU, added to its deadline
    bool timed_out;  // SIGKILL sent at the deadline; waiting for it to die
    bool exiting;    // its test has ended; the lane is free again
};
constexpr int kMaxSlots = 2 * kMaxJobs;
Slot g_slots[kMaxSlots];
int g_nslots = 1;  // slots in use: --jobs, and room for exiting processes
int g_jobs = 1;
bool g_lane_busy[kMaxJobs];

constexpr int kFaultSignals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS};

bool fd_open(int fd) { return sys::fcntl(fd, F_GETFD) >= 0; }

void fd_snapshot() {
    int highest = -1;
    for (int fd = 0; fd < kFdScanMax; ++fd) {
        if (fd_open(fd)) {
            g_fd_baseline[fd / 64] |= 1ull << (fd % 64);
            highest = fd;
        }
    }
    // Leaked fds take the lowest free numbers, so a margin above the highest
    // fd in use catches them without scanning the whole table every time.
    g_fd_scan = highest + 33 < kFdScanMax ? highest + 33 : kFdScanMax;
}

// Reports (when `report`) and closes fds the test left open.
void fd_check(bool report) {
    for (int fd = 0; fd < g_fd_scan; ++fd) {
        bool base = g_fd_baseline[fd / 64] >> (fd % 64) & 1;
        bool open = fd_open(fd);
        if (open == base) continue;
        if (report) {
            char buf[120];
            rt::Fmt f(buf, sizeof buf);
            if (open) {
                f.s("fd leak: fd ").d(fd).s(" is still open after the test");
            } else {
                f.s("fd ").d(fd).s(", open before the test, was closed by it");
            }
            append_message(f.buf, f.len);
            ++g_result->failures;
        }
        if (open) sys::close(fd);
    }
}

void set_handler(int sig, void* handler, u64 flags) {
    arch::KSigaction a = arch::make_sigaction(handler, flags, 0);
    sys::rt_sigaction(sig, &a, nullptr);
}

void reset_signals() {
    for (int sig = 1; sig <= NSIG; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) set_handler(sig, SIG_DFL, 0);
    }
    u64 none = 0;
    sys::rt_sigprocmask(SIG_SETMASK, &none, nullptr);
}

// In-process mode, after a test: what a test may leave behind that would
// hit the next test (or the harness) is undone with every signal blocked:
// interval timers disarmed, POSIX timers it leaked deleted, pending signals
// discarded (setting SIG_IGN discards a pending signal), dispositions reset.
void scrub_process_state() {
    u64 all = ~0ull;
    sys::rt_sigprocmask(SIG_SETMASK, &all, nullptr);
    itimerval zero{};
    for (int which = ITIMER_REAL; which <= ITIMER_PROF; ++which)
        sys::setitimer(which, &zero, nullptr);
    for (int id = 0; id < 64; ++id)
        if (id != g_timer_id) sys::timer_delete(id);
    u64 pending = 0;
    sys::rt_sigpending(&pending);
    for (int sig = 1; sig <= NSIG; ++sig)
        if (pending & sigbit(sig) && sig != SIGKILL && sig != SIGSTOP) set_handler(sig, SIG_IGN, 0);
    reset_signals();
}

bool in_body_thread() { return g_in_body && sys::gettid() == g_result->test_tid; }

void on_fault(int sig, siginfo*, void*) {
    if (!in_body_thread()) {
        // A process or thread the test created: die of the signal as it
        // would without the harness.
        set_handler(sig, SIG_DFL, 0);
        sys::tgkill(int(sys::getpid()), int(sys::gettid()), sig);
        return;
    }
    g_result->outcome = CRASH;
    g_result->signal = sig;
    kc_longjmp(&g_test_jmp, 1);
}

void on_watchdog(int, siginfo*, void*) {
    if (!in_body_thread()) return;
    g_result->outcome = TIMEOUT;
    kc_longjmp(&g_test_jmp, 1);
}

void install_inprocess_handlers() {
    constexpr u64 flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    for (int sig : kFaultSignals) set_handler(sig, reinterpret_cast<void*>(on_fault), flags);
    set_handler(g_watchdog_sig, reinterpret_cast<void*>(on_watchdog), flags);
    stack_t ss{g_altstack, 0, sizeof g_altstack};
    sys::sigaltstack(&ss, nullptr);
}

void setup_watchdog() {
    sigevent ev{};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMAX;
    int id = -1;
    if (sys::timer_create(CLOCK_MONOTONIC, &ev, &id) == 0) {
        g_timer_id = id;
        g_watchdog_sig = SIGRTMAX;
    } else {
        g_watchdog_sig = SIGALRM;
    }
}

void arm_watchdog(u32 ms) {
    if (g_timer_id >= 0) {
        itimerspec its{};
        its.it_value = {ms / 1000, long(ms % 1000) * 1000000};
        // Re-fire every 100 ms in case the first expiry is lost in a window
        // where the test blocked the signal.
        its.it_interval = {0, 100000000};
        if (ms == 0) its.it_interval = {0, 0};
        sys::timer_settime(g_timer_id, 0, &its, nullptr);
    } else {
        itimerval itv{};
        itv.it_value = {ms / 1000, long(ms % 1000) * 1000};
        if (ms) itv.it_interval = {0, 100000};
        sys::setitimer(ITIMER_REAL, &itv, nullptr);
    }
}

// A test's deadline: its own, else the run's, times --timeout-scale (capped
// at 2^32-1 ms, 49 days).
u32 timeout_of(const TestCase& t) {
    u64 ms = u64(t.timeout_ms ? t.timeout_ms : g_opts.timeout_ms) * g_opts.timeout_scale;
    return ms > 0xffffffffu ? 0xffffffffu : u32(ms);
}

// Runs the body in the calling process and fills g_result.
void run_body(const TestCase& t, const void* row) {
    g_result->test_file = test_file(t);
    g_result->test_id = t.id;
    g_result->test_pid = int(sys::getpid());
    g_result->test_tid = int(sys::gettid());
    if (kc_setjmp(&g_test_jmp) == 0) {
        g_in_body = 1;
        t.fn(row);
    }
    g_in_body = 0;
    run_cleanups();
    Result& r = *g_result;
    fd_check(r.outcome == PASS);
    if (r.outcome == PASS && r.failures) r.outcome = FAIL;
    if (r.outcome == PASS && !r.checks) {
        const char* why =
            "the test ran no check: it cannot fail (kc::no_check says why none is needed)";
        append_message(why, rt::strlen(why));
        r.outcome = FAIL;
    }
    r.finished = 1;
}

// The processes a test left running outside its process group.
struct Strays {
    static constexpr int kMax = 64;
    int pids[kMax];
    int n = 0;
};

bool is_running_slot(int pid) {
    for (int i = 0; i < g_nslots; ++i)
        if (g_slots[i].pid == pid) return true;
    return false;
}

// A child of this process that is not a running test: reaped when it has
// ended, else killed (its pid cannot be reused before the harness reaps it,
// so the kill is safe). Alive outside the test's process group (which the
// group kill reached), it is a stray: counted once. Returns true for a child
// that still needs reaping.
bool handle_child(int pid, int test_pgid, Strays& strays) {
    if (is_running_slot(pid)) return false;
    siginfo si{};
    sys::waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL, nullptr);
    if (si.child.pid == pid) {
        int st;
        sys::wait4(pid, &st, WNOHANG | __WALL, nullptr);
        return false;
    }
    sys::kill(pid, SIGKILL);
    if (sys::getpgid(pid) != test_pgid) {
        int i = 0;
        while (i < strays.n && i < Strays::kMax && strays.pids[i] != pid) ++i;
        if (i == strays.n) {
            if (strays.n < Strays::kMax) strays.pids[strays.n] = pid;
            ++strays.n;
        }
    }
    return true;
}

// Handles each child of this process that /proc lists (the harness is
// single-threaded, so its children are its main thread's). Returns how many
// still need reaping, or -1 when /proc cannot tell.
int handle_listed_children(int test_pgid, Strays& strays) {
    char path[48], list[4096];
    rt::Fmt f(path, sizeof path);
    f.s("/proc/self/task/").d(sys::getpid()).s("/children");
    long fd = sys::openat(AT_FDCWD, f.cstr(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    long n = sys::read(int(fd), list, sizeof list - 1);
    sys::close(int(fd));
    if (n < 0) return -1;
    int pending = 0;
    long pid = 0;
    for (long i = 0; i <= n; ++i) {
        char ch = i < n ? list[i] : ' ';
        if (ch >= '0' && ch <= '9') {
            pid = pid * 10 + (ch - '0');
        } else if (pid) {
            pending += handle_child(int(pid), test_pgid, strays);
            pid = 0;
        }
    }
    return pending;
}

// Without /proc (or with the /proc of another pid namespace): waitid on a
// pid that is not a child of this process fails with ECHILD, so the pids
// allocated since the test's own can be tested one by one and only this
// process's children handled. A throw-away child marks the top of that range
// (pids are allocated upward); after a wrap of the pid space the scan is
// bounded at 65536 pids.
int handle_children_by_scan(int from, int test_pgid, Strays& strays) {
    long top = sys::fork();
    if (top == 0) sys::exit_group(0);
    if (top > 0) {
        int st;
        sys::wait4(int(top), &st, __WALL, nullptr);
    }
    long last = top > from ? top : long(from) + 65536;
    int pending = 0;
    for (long pid = from + 1; pid <= last; ++pid) {
        siginfo si{};
        if (sys::waitid(P_PID, int(pid), &si, WEXITED | WNOHANG | WNOWAIT | __WALL, nullptr) == 0)
            pending += handle_child(int(pid), test_pgid, strays);
    }
    return pending;
}

// After a test: every process it created and left running, whatever group or
// session it moved to, has been reparented to the harness (a child
// subreaper) or is its child already (none mode). Kill them all and reap
// them, their own children included (they come back to the harness in turn);
// returns how many strays there were: processes alive outside the test's
// process group, which the group kill missed (test_pgid -1: in-process,
// where no group kill happened). Other running tests are left alone.
int kill_strays(int test_pid, int test_pgid) {
    Strays strays;
    i64 deadline = now_ns() + 2000000000;
    for (;;) {
        int pending = handle_listed_children(test_pgid, strays);
        if (pending < 0) pending = handle_children_by_scan(test_pid, test_pgid, strays);
        if (pending == 0 || now_ns() > deadline) return strays.n;
        // Give the kills time to land before looking again.
        timespec ms{0, 1000000};
        sys::nanosleep(&ms, nullptr);
    }
}

// Records processes a test left behind (killed by kill_strays) as a failure:
// no process may outlive its test.
void report_strays(int n) {
    if (n <= 0) return;
    char buf[120];
    rt::Fmt f(buf, sizeof buf);
    f.s("process leak: ").d(n).s(" process(es) created by the test outlived it (killed)");
    append_message(f.buf, f.len);
    ++g_result->failures;
    if (g_result->outcome == PASS) g_result->outcome = FAIL;
}

// --jobs=auto: four times the CPUs this process may run on, since most of
// the slow tests wait (for a timer, a child, a grace period) rather than
// compute: on a 2-CPU machine, 7,079 tests took 2.1 s with 8 jobs, 2.6 s
// with 4 and 7.4 s with 1 (tests that measure time run alone: EXCLUSIVE). One at a time under a
// small RLIMIT_NPROC, which counts every process of the user: tests running side by side would take
// each other's share (the kernel does not apply it with CAP_SYS_RESOURCE or CAP_SYS_ADMIN).
int auto_jobs() {
    const Environment& e = environment();
    int jobs = e.cpus < 1 ? 4 : 4 * e.cpus;
    if (jobs > kMaxJobs) jobs = kMaxJobs;
    bool exempt = cap_usable(CAP_SYS_RESOURCE) || cap_usable(CAP_SYS_ADMIN);
    if (!exempt && e.rlimits[1][0] < 256) jobs = 1;
    return jobs;
}

// Decides SKIP for a test whose needs this run cannot meet; nullptr if none.
const char* unmet_need(const TestCase& t) {
    if ((t.flags & NEEDS_FORK) && !can_fork()) return "needs process creation (fork)";
    if ((t.flags & NEEDS_SCRATCH) && !scratch_ready()) return scratch_problem();
    return nullptr;
}

void reset_result(Result& r) {
    r.finished = 0;
    r.outcome = PASS;
    r.used_scratch = 0;
    r.children_left = 0;
    r.exiting = 0;
    r.failures = 0;
    r.checks = 0;
    r.signal = 0;
    r.missing = -1;
    r.msg_len = 0;
    r.msg[0] = 0;
}

// Counts a result into the totals (and the line of timeouts and crashes)
// and reports it.
void count_and_report(const TestCase& t, const char* label, u32 index, const Result& r, u64 us,
                      Totals& totals, rt::Fmt& trouble) {
    switch (r.outcome) {
        case PASS:
            ++totals.passed;
            break;
        case SKIP:
            ++totals.skipped;
            break;
        case FAIL:
            ++totals.failed;
            break;
        case TIMEOUT:
            ++totals.failed, ++totals.timeouts;
            break;
        case CRASH:
            ++totals.failed, ++totals.crashes;
            break;
    }
    if (r.outcome == TIMEOUT || r.outcome == CRASH) {
        if (trouble.len) trouble.s(", ");
        format_id(trouble, t, label);
        trouble.s(" (").s(outcome_name(r.outcome));
        if (r.signal) trouble.s(": ").s(signal_name(r.signal));
        trouble.c(')');
    }
    report_result(t, label, index, r, us);
    verdict_count(t, label, r);
}

// ---- fork mode: up to --jobs test processes at once ----
//
// Each selected test (or table row) is an item, numbered in registration
// order. Items are launched in an order of their own (EXCLUSIVE ones first,
// one at a time; then VERY_SLOW, SLOW, the rest), each in a job slot with its
// own result page, scratch directory and deadline; results are reported in
// registration order through a reorder buffer, so the output is the same for
// every --jobs.

const TestCase& item_test(u32 item) { return test_at(g_items[item] >> 16); }
u32 item_row(u32 item) { return g_items[item] & 0xffff; }

// Results that ended before the items ahead of them, until their turn: an
// arena of records, compacted when it runs out at the end.
struct Stored {
    u32 item, size;
    u64 us;
    Outcome outcome;
    int signal;
    int missing;
    u32 msg_len;
    char msg[];
};
constexpr usize kArena = 256 * 1024;
constexpr usize kRecordMax = (sizeof(Stored) + sizeof(Result::msg) + 8) & ~usize(7);
alignas(8) char g_arena[kArena];
usize g_arena_used;
u32 g_arena_live;

Stored* stored_at(usize off) { return reinterpret_cast<Stored*>(g_arena + off); }

void arena_compact() {
    usize to = 0;
    for (usize off = 0; off < g_arena_used;) {
        Stored* rec = stored_at(off);
        usize size = rec->size;
        if (rec->item != ~0u) {
            if (to != off) __builtin_memmove(g_arena + to, rec, size);
            to += size;
        }
        off += size;
    }
    g_arena_used = to;
}

usize arena_free() { return kArena - g_arena_used; }

void store(u32 item, const Result& r, u64 us) {
    usize size = (sizeof(Stored) + r.msg_len + 1 + 7) & ~usize(7);
    if (kArena - g_arena_used < size) arena_compact();
    Stored* rec = stored_at(g_arena_used);  // room is reserved at launch (next_item)
    *rec = {item, u32(size), us, r.outcome, r.signal, r.missing, r.msg_len};
    __builtin_memcpy(rec->msg, r.msg, r.msg_len + 1);
    g_arena_used += size;
    ++g_arena_live;
    g_state[item] = STORED;
}

// Reports the head item and every stored item after it that is complete.
void report_ready(Totals& totals, rt::Fmt& trouble, const Result* head_result, u64 head_us) {
    Result& tmp = g_private_result;  // not used by fork mode otherwise
    while (g_head < g_nitems) {
        const Result* r = nullptr;
        u64 us = 0;
        if (head_result) {
            r = head_result, us = head_us;
            head_result = nullptr;
        } else if (g_state[g_head] == STORED) {
            for (usize off = 0; off < g_arena_used; off += stored_at(off)->size) {
                Stored* rec = stored_at(off);
                if (rec->item != g_head) continue;
                tmp.outcome = rec->outcome;
                tmp.signal = rec->signal;
                tmp.missing = rec->missing;
                tmp.msg_len = rec->msg_len;
                __builtin_memcpy(tmp.msg, rec->msg, rec->msg_len + 1);
                us = rec->us;
                rec->item = ~0u;
                if (--g_arena_live == 0) g_arena_used = 0;
                r = &tmp;
                break;
            }
        }
        if (!r) return;
        const TestCase& t = item_test(g_head);
        count_and_report(t, row_label(t, item_row(g_head)), g_head + 1, *r, us, totals, trouble);
        g_state[g_head++] = REPORTED;
    }
}

void deliver(u32 item, const Result& r, u64 us, Totals& totals, rt::Fmt& trouble) {
    if (item == g_head)
        report_ready(totals, trouble, &r, us);
    else
        store(item, r, us);
}

int launch_class(const TestCase& t) {
    return t.flags & EXCLUSIVE ? 3 : t.flags & VERY_SLOW ? 2 : t.flags & SLOW ? 1 : 0;
}

// The test processes running a test (exiting ones aside); `exclusive` when
// one of them runs an EXCLUSIVE test, `any` when any process is left at all.
int running_slots(bool* exclusive, bool* any) {
    int n = 0;
    *exclusive = *any = false;
    for (int i = 0; i < g_nslots; ++i) {
        if (!g_slots[i].pid) continue;
        *any = true;
        if (g_slots[i].exiting) continue;
        ++n;
        if (item_test(g_slots[i].item).flags & EXCLUSIVE) *exclusive = true;
    }
    return n;
}

// The next item to launch, or kMaxItems when none may start now.
u32 next_item() {
    static u32 cursor[4];
    bool exclusive, any;
    int running = running_slots(&exclusive, &any);
    if (exclusive) return kMaxItems;
    // Each running test may store a result: keep room for all of them.
    if (arena_free() < kRecordMax * usize(running + 1)) arena_compact();
    if (arena_free() < kRecordMax * usize(running + 1)) {
        bool alone = launch_class(item_test(g_head)) != 3 || !any;
        return g_head < g_nitems && g_state[g_head] == PENDING && alone ? g_head : kMaxItems;
    }
    for (int cls = 3; cls >= 0; --cls) {
        u32& c = cursor[cls];
        while (c < g_nitems && (g_state[c] != PENDING || launch_class(item_test(c)) != cls)) ++c;
        if (c == g_nitems) continue;
        // EXCLUSIVE: wait until alone, no process still exiting either.
        if (cls == 3 && any) return kMaxItems;
        return c;
    }
    return kMaxItems;
}

// The result pages: one shared mapping, a page per slot with an
// inaccessible page before and after each, so that a test's stray stores
// past the end of its own mappings (a kernel that gave it less than it
// asked for) fault instead of rewriting the harness's results. Only
// result_page(0) is open until the runner opens those of its slots.
usize g_page = 4096;
char* g_result_base;      // the guarded mapping, or
Result* g_plain_results;  // where mprotect fails: one plain shared mapping
constexpr usize kResultPages = 2 * kMaxSlots + 1;

Result* result_page(int i) {
    if (!g_result_base) return g_plain_results + i;
    char* p = g_result_base + (2 * usize(i) + 1) * g_page;
    sys::mprotect(p, g_page, PROT_READ | PROT_WRITE);
    return reinterpret_cast<Result*>(p);
}

Result* map_result_pages() {
    long base =
        sys::mmap(nullptr, kResultPages * g_page, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (base >= 0 || base < -4095) {
        char* first = reinterpret_cast<char*>(base) + g_page;
        if (sys::mprotect(first, g_page, PROT_READ | PROT_WRITE) == 0) {
            g_result_base = reinterpret_cast<char*>(base);
            return reinterpret_cast<Result*>(first);
        }
        sys::munmap(reinterpret_cast<void*>(base), kResultPages * g_page);
    }
    long plain = sys::mmap(nullptr, sizeof(Result) * kMaxSlots, PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (plain < 0 && plain >= -4095) return &g_private_result;
    g_plain_results = reinterpret_cast<Result*>(plain);
    return g_plain_results;
}

// In a test process: every result page but its own closed, so that no
// store of the test reaches another test's result.
void close_other_results(const Result* own) {
    if (!g_result_base) return;
    sys::mprotect(g_result_base, kResultPages * g_page, PROT_NONE);
    sys::mprotect(const_cast<Result*>(own), g_page, PROT_READ | PROT_WRITE);
    // Pages that replaced an abandoned test's (abandon) lie elsewhere.
    char* end = g_result_base + kResultPages * g_page;
    for (int i = 0; i < g_nslots; ++i) {
        char* p = reinterpret_cast<char*>(g_slots[i].result);
        if (p != reinterpret_cast<const char*>(own) && (p < g_result_base || p >= end))
            sys::mprotect(p, g_page, PROT_NONE);
    }
}

// What the harness reads from a result page a test may have written over:
// an outcome it does not know or a message longer than the page makes the
// result a FAIL that says so.
void check_result_page(Result& r) {
    if (r.outcome <= CRASH && r.msg_len < sizeof r.msg) {
        r.msg[r.msg_len] = 0;
        return;
    }
    r.outcome = FAIL;
    r.msg_len = 0;
    static const char why[] =
        "the test wrote over its result page (a stray store into the harness's shared memory)";
    append_message(why, sizeof why - 1);
}

// Fork mode: a pipe whose read end is closed, kept open in the harness (in
// the fd baseline, close-on-exec). A test process writes its standard output
// and error there, not into the harness's stream: a program a test runs (a
// re-executed suite that a faulty execve handed the wrong arguments, a
// test's stray write) ends with SIGPIPE or EPIPE instead of mixing its lines
// into the report that tools parse.
void open_sink() {
    int p[2];
    if (sys::pipe2(p, O_CLOEXEC) != 0) return;
    sys::close(p[0]);
    g_sink = p[1];
}

// In a test process: fds 1 and 2, where they were open when the run started
// (the standard output and error), become the sink (inherited across
// execve). Where they were closed, the numbers may since name the harness's
// own descriptors (a scratch directory), which stay as they are.
void silence_output() {
    if (g_sink < 0) return;
    for (int fd = 1; fd <= 2; ++fd)
        if (g_std_out[fd]) sys::dup3(g_sink, fd, 0);
}

// In a test process: waits until it leads a process group of its own (its
// setpgid, or the harness's a moment later). A kernel whose setpgid has no
// effect would leave the test in the harness's group, where a test that
// signals its own group would reach the harness and whoever started it; such
// a test is not run. False then.
bool own_process_group() {
    for (int i = 0; i < 1000; ++i) {
        if (sys::getpgid(0) == sys::getpid()) return true;
        timespec ms{0, 1000000};
        sys::nanosleep(&ms, nullptr);
    }
    return false;
}

// The test process: its own group, the harness's signal mask cleared, its
// own slot's result page and scratch directory, the sink for its output. It
// is a child subreaper, so that processes its test orphans stay in its
// subtree while it runs.
[[noreturn]] void test_process(Slot& s, const TestCase& t, const void* row, int harness) {
    sys::setpgid(0, 0);
    close_other_results(s.result);
    if (!own_process_group()) {
        g_result = s.result;
        g_result->outcome = FAIL;
        static const char why[] =
            "harness: the test process is not in a process group of its own after setpgid "
            "(the test did not run: it could signal the harness's group)";
        append_message(why, sizeof why - 1);
        g_result->finished = 1;
        sys::exit_group(0);
    }
    silence_output();
    u64 none = 0;
    sys::rt_sigprocmask(SIG_SETMASK, &none, nullptr);
    sys::prctl(PR_SET_CHILD_SUBREAPER, 1);
    // A harness that dies (killed from outside, or ending early on lost
    // output) takes its running tests with it: they are in groups of their
    // own, where nothing else would reach them. (Fork clears this again in
    // the test's own children.)
    sys::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // It died before the prctl: the parent is another process now, and the
    // harness's pid names none (both asked, so that a kernel whose getppid
    // is wrong does not end every test here).
    if (sys::getppid() != harness && sys::kill(harness, 0) == -ESRCH) sys::exit_group(1);
    g_result = s.result;
    scratch_use(s.lane);
    run_body(t, row);
    siginfo si{};
    g_result->children_left =
        sys::waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL, nullptr) != -ECHILD;
    if (!g_result->children_left && g_nslots > g_jobs) {
        // Only the exit is left: tell the harness, so the next test starts
        // now (a test that changed its uid cannot signal it; it waits for
        // the exit then).
        __atomic_store_n(&g_result->exiting, 1, __ATOMIC_RELEASE);
        sys::kill(harness, SIGCHLD);
    }
    sys::exit_group(0);
}

// Starts an item in a free slot, or completes it at once (SKIP for an unmet
// need, FAIL when no process can be created).
void launch(u32 item, Totals& totals, rt::Fmt& trouble) {
    const TestCase& t = item_test(item);
    const char* label = row_label(t, item_row(item));
    if (g_opts.verbose) report_start(t, label);
    int slot = 0, lane = 0;
    while (g_slots[slot].pid) ++slot;
    while (g_lane_busy[lane]) ++lane;
    Slot& s = g_slots[slot];
    s.lane = lane;
    Result& r = *s.result;
    reset_result(r);
    g_result = &r;
    if (const char* why = unmet_need(t)) {
        r.outcome = SKIP;
        append_message(why, rt::strlen(why));
        deliver(item, r, 0, totals, trouble);
        return;
    }
    i64 start = now_ns();
    int harness = int(sys::getpid());
    long pid = sys::fork();
    if (pid == 0) test_process(s, t, row_data(t, item_row(item)), harness);
    if (pid < 0) {
        char buf[80];
        rt::Fmt f(buf, sizeof buf);
        f.s("harness: cannot create the test process: ").ret(pid);
        append_message(f.buf, f.len);
        r.outcome = FAIL;
        deliver(item, r, 0, totals, trouble);
        return;
    }
    sys::setpgid(int(pid), int(pid));
    s = {s.result, pid, item,  lane, start, start + i64(timeout_of(t)) * 1000000,
         0,        0,   false, false};
    g_lane_busy[lane] = true;
    g_state[item] = RUNNING;
}

// Frees a slot's lane for the next test (its scratch directory emptied).
void free_lane(Slot& s) {
    if (s.result->used_scratch) scratch_empty(s.lane);
    s.result->used_scratch = 0;
    g_lane_busy[s.lane] = false;
}

// A test process says its test has ended and it only exits now.
void release(Slot& s) {
    s.exiting = true;
    s.end = now_ns();
    free_lane(s);
}

// A slot's test process has ended (it is a zombie, so its pid, the group's
// id, cannot have been reused): kill what is left of its group, reap it,
// kill the processes it left elsewhere, and classify the end.
void finish(Slot& s, Totals& totals, rt::Fmt& trouble) {
    Result& r = *s.result;
    g_result = &r;
    check_result_page(r);
    sys::kill(int(-s.pid), SIGKILL);
    int status = 0;
    sys::wait4(int(s.pid), &status, __WALL, nullptr);
    int strays = r.finished && !r.children_left ? 0 : kill_strays(int(s.pid), int(s.pid));
    const TestCase& t = item_test(s.item);
    char buf[120];
    rt::Fmt f(buf, sizeof buf);
    if (s.timed_out && s.exiting) {
        r.outcome = TIMEOUT;
        f.s("the test ended, but its process did not exit within ").u(timeout_of(t)).s(" ms");
    } else if (s.timed_out) {
        r.outcome = TIMEOUT;
        f.s("no result after ").u(timeout_of(t)).s(" ms; its process group was killed");
    } else if (wifsignaled(status)) {
        r.outcome = CRASH;
        r.signal = wtermsig(status);
        f.s("the test process was killed by ").s(signal_name(r.signal));
    } else if (!r.finished) {
        r.outcome = CRASH;
        f.s("the test process exited with status ").d(wexitstatus(status));
        f.s(" before the test finished");
    }
    if (f.len) append_message(f.buf, f.len);
    report_strays(strays);
    if (!s.exiting) free_lane(s);
    s.pid = 0;
    deliver(s.item, r, u64((s.exiting ? s.end : now_ns()) - s.start) / 1000, totals, trouble);
}

// A test process that survived SIGKILL for 2 s (a kernel that cannot kill
// it): reported as TIMEOUT, and its slot gets a fresh result page, since the
// process may still write into the old one.
void abandon(Slot& s, Totals& totals, rt::Fmt& trouble) {
    Result& r = *s.result;
    r.outcome = TIMEOUT;
    g_result = &r;
    append_message("the test process did not die after SIGKILL", 43);
    if (!s.exiting) free_lane(s);
    s.pid = 0;
    deliver(s.item, r, u64(now_ns() - s.start) / 1000, totals, trouble);
    long page =
        sys::mmap(nullptr, g_page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page >= 0 || page < -4095) s.result = reinterpret_cast<Result*>(page);
}

// A test's deadline counts time it could run: at the deadline, the time its
// process waited, runnable, for a CPU (a loaded machine, a run under
// SCHED_IDLE) moves the deadline on, up to once the test's timeout. True
// when it moved. (The TIMEOUT message names the timeout alone, so that the
// output does not depend on the machine's load.)
bool extend_starved(Slot& s) {
    i64 limit = i64(timeout_of(item_test(s.item))) * 1000000;
    i64 delay = run_delay_ns(int(s.pid));
    if (delay > limit) delay = limit;
    if (delay - s.starved < 1000000) return false;
    s.deadline += delay - s.starved;
    s.starved = delay;
    return true;
}

// Waits until a running test ends or a deadline passes, and handles that.
void wait_slots(Totals& totals, rt::Fmt& trouble) {
    i64 next = -1;
    for (int i = 0; i < g_nslots; ++i)
        if (g_slots[i].pid && (next < 0 || g_slots[i].deadline < next)) next = g_slots[i].deadline;
    if (next < 0) return;
    i64 left = next - now_ns();
    if (left > 0) {
        const u64 chld = sigbit(SIGCHLD);
        timespec ts{left / 1000000000, left % 1000000000};
        long w = sys::rt_sigtimedwait(&chld, nullptr, &ts);
        if (w < 0 && w != -EAGAIN && w != -EINTR) {
            timespec ms{0, 1000000};  // no rt_sigtimedwait: poll every ms
            sys::nanosleep(&ms, nullptr);
        }
    }
    for (int i = 0; i < g_nslots; ++i) {
        Slot& s = g_slots[i];
        if (!s.pid) continue;
        siginfo si{};
        long r = sys::waitid(P_PID, int(s.pid), &si, WEXITED | WNOHANG | WNOWAIT | __WALL, nullptr);
        if (r == 0 && si.child.pid == s.pid) {
            finish(s, totals, trouble);
        } else if (!s.exiting && !s.timed_out &&
                   __atomic_load_n(&s.result->exiting, __ATOMIC_ACQUIRE)) {
            release(s);
        } else if (now_ns() >= s.deadline) {
            if (!s.timed_out && extend_starved(s)) continue;
            if (s.timed_out) {
                abandon(s, totals, trouble);
                continue;
            }
            sys::kill(int(-s.pid), SIGKILL);
            sys::kill(int(s.pid), SIGKILL);
            s.timed_out = true;
            s.deadline = now_ns() + 2000000000;
        }
    }
}

void run_fork_mode(Totals& totals, rt::Fmt& trouble) {
    for (;;) {
        for (;;) {
            int free_slots = 0, free_lanes = 0;
            for (int i = 0; i < g_nslots; ++i) free_slots += g_slots[i].pid == 0;
            for (int i = 0; i < g_jobs; ++i) free_lanes += !g_lane_busy[i];
            if (!free_slots || !free_lanes) break;
            u32 item = next_item();
            if (item == kMaxItems) break;
            launch(item, totals, trouble);
        }
        if (g_head == g_nitems) return;
        wait_slots(totals, trouble);
    }
}

void run_inprocess(const TestCase& t, const void* row) {
    arm_watchdog(timeout_of(t));
    run_body(t, row);
    arm_watchdog(0);
    Result& r = *g_result;
    char buf[120];
    rt::Fmt f(buf, sizeof buf);
    if (r.outcome == TIMEOUT) {
        f.s("no result after ").u(timeout_of(t)).s(" ms (in-process watchdog)");
    } else if (r.outcome == CRASH) {
        f.s("caught ").s(signal_name(r.signal)).s(" in the test");
    }
    if (f.len) append_message(f.buf, f.len);
    scrub_process_state();
    install_inprocess_handlers();
    report_strays(kill_strays(int(sys::getpid()), -1));
}

// ---- in-process mode: one test at a time, in this process ----
void run_inprocess_mode(Totals& totals, rt::Fmt& trouble) {
    Result& r = *g_result;
    for (; g_head < g_nitems; ++g_head) {
        const TestCase& t = item_test(g_head);
        const char* label = row_label(t, item_row(g_head));
        reset_result(r);
        if (g_opts.verbose) report_start(t, label);
        i64 start = now_ns();
        if (const char* why = unmet_need(t)) {
            r.outcome = SKIP;
            append_message(why, rt::strlen(why));
        } else {
            run_inprocess(t, row_data(t, item_row(g_head)));
        }
        u64 us = u64(now_ns() - start) / 1000;
        if (r.used_scratch) scratch_empty(0);
        count_and_report(t, label, g_head + 1, r, us, totals, trouble);
    }
}

void list_tests(u32 registered) {
    u32 n = 0;
    for (u32 i = 0; i < test_count(); ++i) {
        const TestCase* t = &test_at(i);
        for (u32 row = 0; row < t->nrows; ++row) {
            const char* label = row_label(*t, row);
            if (!selected(g_opts, *t, label)) continue;
            report_listed(*t, label, timeout_of(*t));
            ++n;
        }
    }
    report_list_end(n, registered);
}

void probe_fork() {
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(0);
    g_can_fork = pid > 0;
    g_fork_error = pid;
    if (pid > 0) {
        int st;
        sys::wait4(int(pid), &st, 0, nullptr);
    }
}

}  // namespace

i64 now_ns() {
    timespec ts{};
    sys::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool can_fork() { return g_can_fork; }

bool process_per_test() { return g_mode == ISOLATE_FORK; }

void output_lost(long err) {
    char buf[160];
    rt::Fmt f(buf, sizeof buf);
    f.s("kconform: cannot write the results: ").ret(err).s("; the run stops\n");
    rt::write_all(2, f.buf, f.len);
    // The tests still running, and what they created, end with the run.
    for (int i = 0; i < g_nslots; ++i) {
        if (g_slots[i].pid <= 0) continue;
        sys::kill(int(-g_slots[i].pid), SIGKILL);
        sys::kill(int(g_slots[i].pid), SIGKILL);
        int st;
        sys::wait4(int(g_slots[i].pid), &st, __WALL, nullptr);
        g_slots[i].pid = 0;
    }
    kill_strays(int(sys::getpid()), -1);
    scratch_remove();
    if (g_opts.poweroff) sys::reboot(LINUX_REBOOT_CMD_POWER_OFF);
    sys::exit_group(3);
}

const char* self_path() { return g_self_path; }

long spawn(void (*fn)(void*), void* arg) {
    long pid = sys::fork();
    if (pid == 0) {
        u16 before = g_result->failures;
        fn(arg);
        sys::exit_group(g_result->failures != before ? 1 : 0);
    }
    return pid;
}

int wait_status(long pid) {
    int st = 0;
    long r;
    do r = sys::wait4(int(pid), &st, __WALL, nullptr);
    while (r == -EINTR);
    return r < 0 ? int(r) : st;
}

}  // namespace kc

using namespace kc;

extern "C" const ExecHelper __start_kc_helpers[] [[gnu::weak]];
extern "C" const ExecHelper __stop_kc_helpers[] [[gnu::weak]];

// `kconform --exec-helper=NAME args...`: run a test's helper, not the suite.
static int run_exec_helper(const rt::StartInfo& info, const char* name) {
    for (const ExecHelper* h = __start_kc_helpers; h != __stop_kc_helpers; ++h) {
        if (rt::streq(h->name, name)) return h->fn(info.argc - 2, info.argv + 2, info.envp);
    }
    rt::write_all(2, "kconform: unknown exec helper\n", 30);
    return 127;
}

int kc_main(const rt::StartInfo& info) {
    for (int fd = 1; fd <= 2; ++fd) g_std_out[fd] = fd_open(fd);
    g_self_path = info.argv[0];
    for (unsigned long* a = info.auxv; a && a[0]; a += 2) {
        if (a[0] == AT_EXECFN) g_self_path = reinterpret_cast<const char*>(a[1]);
        if (a[0] == AT_PAGESZ && a[1] >= sizeof(Result) && (a[1] & (a[1] - 1)) == 0) g_page = a[1];
    }
    if (info.argc >= 2) {
        const char* a = info.argv[1];
        const char* key = "--exec-helper=";
        usize i = 0;
        while (key[i] && a[i] == key[i]) ++i;
        if (!key[i]) return run_exec_helper(info, a + i);
    }
    char errbuf[300];
    rt::Fmt err(errbuf, sizeof errbuf);
    if (!parse_options(info.argc, info.argv, g_opts, err)) {
        err.c('\n');
        rt::write_all(2, err.buf, err.len);
        return 2;
    }
    report_options(g_opts);
    verdict_begin(g_opts.profile);
    if (g_opts.output && !open_output(g_opts.output, err)) {
        err.c('\n');
        rt::write_all(2, err.buf, err.len);
        return 2;
    }
    if (g_opts.help) {
        rt::write_all(1, kUsage, rt::strlen(kUsage));
        return 0;
    }
    if (g_opts.version) {
        report_version();
        return 0;
    }
    if (!order_tests()) {
        rt::write_all(2, "kconform: too many test records to order\n", 41);
        return 2;
    }
    u32 registered = 0, nselected = 0;
    for (u32 i = 0; i < test_count(); ++i) {
        const TestCase* t = &test_at(i);
        registered += t->nrows;
        for (u32 row = 0; row < t->nrows; ++row)
            nselected += selected(g_opts, *t, row_label(*t, row));
    }
    if (g_opts.list) {
        list_tests(registered);
        return 0;
    }
    if (g_opts.interfaces) {
        list_interfaces(g_opts);
        return 0;
    }

    g_result = map_result_pages();
    reset_signals();
    probe_fork();
    g_mode = g_opts.isolate;
    if (g_mode == ISOLATE_AUTO)
        g_mode = g_can_fork && g_result != &g_private_result ? ISOLATE_FORK : ISOLATE_NONE;
    if (g_mode == ISOLATE_FORK && (!g_can_fork || g_result == &g_private_result)) {
        err.s("kconform: --isolate=fork: ");
        if (!g_can_fork)
            err.s("cannot create processes: clone returned ").ret(g_fork_error);
        else
            err.s("no shared memory for results");
        err.c('\n');
        rt::write_all(2, err.buf, err.len);
        return 2;
    }
    // Orphans of a test's processes come back to the harness, which kills
    // them after the test (kill_strays).
    sys::prctl(PR_SET_CHILD_SUBREAPER, 1);
    probe_environment();
    if (g_mode == ISOLATE_FORK) {
        u64 chld = sigbit(SIGCHLD);
        sys::rt_sigprocmask(SIG_BLOCK, &chld, nullptr);
        g_jobs = g_opts.jobs ? g_opts.jobs : auto_jobs();
        // Room for exiting processes beside the running ones; none with one
        // job (one process at a time, as under a small RLIMIT_NPROC).
        g_nslots = g_jobs > 1 ? 2 * g_jobs : 1;
        for (int i = 0; i < g_nslots; ++i) g_slots[i].result = result_page(i);
        open_sink();
    } else {
        setup_watchdog();
        install_inprocess_handlers();
    }
    // The descriptors a test starts with: those of a one-job run (the other
    // slots' scratch descriptors are closed in each test process).
    scratch_create(1);
    fd_snapshot();
    if (g_jobs > 1 && scratch_ready() && !scratch_create(g_jobs)) {
        scratch_remove();  // fewer directories than slots: one test at a time
        g_jobs = g_nslots = 1;
        scratch_create(1);
    }
    for (u32 i = 0; i < test_count(); ++i) {
        const TestCase& t = test_at(i);
        for (u32 row = 0; row < t.nrows; ++row) {
            if (!selected(g_opts, t, row_label(t, row))) continue;
            if (g_nitems == kMaxItems) {
                rt::write_all(2, "kconform: more than 32768 tests selected\n", 41);
                return 2;
            }
            g_items[g_nitems++] = i << 16 | row;
        }
    }

    RunInfo run{&g_opts, g_mode == ISOLATE_FORK ? "fork" : "none", g_jobs, registered, nselected,
                nullptr};
    report_begin(run);
    Totals totals{};
    char trouble_buf[2048];
    rt::Fmt trouble(trouble_buf, sizeof trouble_buf);
    if (g_mode == ISOLATE_FORK)
        run_fork_mode(totals, trouble);
    else
        run_inprocess_mode(totals, trouble);
    scratch_remove();
    report_end(totals, trouble.cstr());
    report_verdict(g_opts);
    if (g_opts.poweroff) {
        long r = sys::reboot(LINUX_REBOOT_CMD_POWER_OFF);
        rt::Fmt& o = out();
        o.s("kconform: --poweroff: reboot(POWER_OFF) failed: ").ret(r).c('\n');
        flush();
    }
    return totals.failed ? 1 : 0;
}
