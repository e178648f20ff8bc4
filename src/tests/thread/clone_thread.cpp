// SPDX-License-Identifier: MIT
// Threads made with clone(2) the way a thread library makes them
// (CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|
// CHILD_CLEARTID, stacks from mmap, joined through the cleared tid and
// FUTEX_WAIT): shared memory, descriptors and handlers, thread ids,
// thread exit versus process exit, flag validation,
// sched_yield between threads, and creating many threads. Every thread is
// a task that RLIMIT_NPROC counts: where the limit leaves too little room
// (clone: EAGAIN), the tests that keep threads alive SKIP naming it.
// Not covered here: CLONE_VFORK and process-style clones (tests/proc),
// clone3, thread-directed signals (thread_signal.cpp), arch_prctl,
// set_tid_address (set_tid_address.cpp).
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "rt/sys_thread.hpp"
#include "tests/common/common_util.hpp"
#include "tests/signal/signal_util.hpp"
#include "tests/thread/thread_util.hpp"

using namespace signal;
using namespace thread;

namespace {

int load(const int& v) { return __atomic_load_n(&v, __ATOMIC_ACQUIRE); }
void store(int& v, int x) { __atomic_store_n(&v, x, __ATOMIC_RELEASE); }

// RLIMIT_NPROC counts every task of this user, threads included. Tests that
// keep many threads alive first raise its soft limit to the hard one.
void raise_nproc_soft_limit() {
    rlimit64 r{};
    if (sys::prlimit64(0, RLIMIT_NPROC, nullptr, &r) == 0 && r.rlim_cur < r.rlim_max) {
        r.rlim_cur = r.rlim_max;
        sys::prlimit64(0, RLIMIT_NPROC, &r, nullptr);
    }
}

// Called once the threads that started are joined, with the error of the
// one that did not (or of fork): clone's EAGAIN under a finite RLIMIT_NPROC that applies
// to this process (not with CAP_SYS_RESOURCE or CAP_SYS_ADMIN) is the limit
// leaving no room (prlimit --nproc=8): SKIP naming it.
void skip_if_nproc_limited(long err, int started, int wanted) {
    rlimit64 r{};
    if (err != -EAGAIN || sys::prlimit64(0, RLIMIT_NPROC, nullptr, &r) != 0) return;
    if (r.rlim_cur == RLIM_INFINITY || kc::cap_usable(CAP_SYS_RESOURCE) ||
        kc::cap_usable(CAP_SYS_ADMIN))
        return;
    char buf[160];
    rt::Fmt f(buf, sizeof buf);
    f.s("needs RLIMIT_NPROC room for ").d(wanted).s(" new tasks besides this user's others; ");
    f.s("it is ").u(r.rlim_cur).s(" (clone: EAGAIN after ").d(started).s(")");
    kc::skip(f.cstr());
}

// What a thread saw of itself.
struct Self {
    long pid, tid, ppid, settid_ret;
    long tls0;
    int* ctid;  // CLONE_CHILD_SETTID word, read by the thread
    int ctid_seen;
    long value;
    int go;
    Thread* t;
};

void record_self(void* p) {
    auto* s = static_cast<Self*>(p);
    s->pid = sys::getpid();
    s->tid = sys::gettid();
    s->ppid = sys::getppid();
    if (s->ctid) s->ctid_seen = load(*s->ctid);
    if (s->t) s->tls0 = kc_tls_load(0);
    s->value = 0x7e57;
}

}  // namespace

// clone(2) CLONE_VM|CLONE_THREAD: the thread writes memory the creator
// reads after the join, and belongs to the creator's thread group.
TEST(clone, thread_shares_memory, POSITIVE, LINUX) {
    Self s{};
    Thread t;
    ASSERT_GT(thread_start(t, record_self, &s), 0);
    thread_join(t);
    EXPECT_EQ(s.value, 0x7e57);
    EXPECT_EQ(s.pid, sys::getpid());
    EXPECT_EQ(s.ppid, sys::getppid());
}

// POSIX getpid / pthread_create: every thread of a process sees the same
// process id.
TEST(getpid, same_in_thread, POSITIVE, PSE53) {
    Self s{};
    Thread t;
    ASSERT_GT(thread_start(t, record_self, &s), 0);
    thread_join(t);
    EXPECT_EQ(s.pid, sys::getpid());
}

// gettid(2): a thread has its own id, the one clone returned, different
// from the creator's.
TEST(gettid, differs_in_thread, POSITIVE, LINUX) {
    Self s{};
    Thread t;
    long tid = thread_start(t, record_self, &s);
    ASSERT_GT(tid, 0);
    thread_join(t);
    EXPECT_EQ(s.tid, tid);
    EXPECT_NE(s.tid, sys::gettid());
}

namespace {
struct Parked {
    int go;
    int tid;
};
void park_thread(void* p) {
    auto* k = static_cast<Parked*>(p);
    k->tid = int(sys::gettid());
    wait_nonzero(k->go);
}
}  // namespace

// gettid(2): threads alive at the same time have distinct ids, none equal
// to the creator's. EXCLUSIVE: its threads count against this user's
// RLIMIT_NPROC, which the tests running beside it share.
TEST(gettid, unique_across_threads, POSITIVE, LINUX, .flags = kc::EXCLUSIVE) {
    constexpr int N = 8;
    Thread t[N];
    Parked k[N]{};
    int started = 0;
    raise_nproc_soft_limit();
    for (; started < N; ++started) {
        if (thread_start(t[started], park_thread, &k[started]) <= 0) break;
    }
    for (int i = 0; i < started; ++i) release(k[i].go);
    for (int i = 0; i < started; ++i) thread_join(t[i]);
    if (started < N) skip_if_nproc_limited(t[started].ret, started, N);
    EXPECT_EQ(started, N);
    for (int i = 0; i < started; ++i) {
        EXPECT_EQ(k[i].tid, t[i].ret);
        EXPECT_NE(k[i].tid, sys::gettid());
        for (int j = 0; j < i; ++j) EXPECT_NE(k[i].tid, k[j].tid);
    }
}

// clone(2) CLONE_PARENT_SETTID and CLONE_CHILD_CLEARTID: the new tid is
// stored at ptid before clone returns; when the thread exits the kernel
// writes 0 at ctid and wakes a FUTEX_WAIT on it (how a thread is joined).
TEST(clone, parent_settid_and_child_cleartid, POSITIVE, LINUX) {
    long m = sys::mmap(nullptr, kThreadStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    ASSERT_OK(m);
    char* stack = reinterpret_cast<char*>(m);
    Parked k{};
    int ptid = 0, ctid = -1;
    long tid = kc_clone_thread(kThreadFlags & ~CLONE_SETTLS, stack + kThreadStack, &ptid, nullptr,
                               &ctid, park_thread, &k);
    EXPECT_GT(tid, 0);
    if (tid > 0) {
        EXPECT_EQ(ptid, tid);  // the thread is parked: it cannot have exited
        EXPECT_EQ(ctid, -1);
        release(k.go);
        i64 end = kc::now_ns() + 5000000000;
        for (int v; (v = load(ctid)) != 0 && kc::now_ns() < end;) {
            const timespec ts{0, 100000000};
            sys::futex(&ctid, FUTEX_WAIT, u32(v), &ts);
        }
        EXPECT_EQ(ctid, 0);
        EXPECT_EQ(ptid, tid);
    }
    sys::munmap(stack, kThreadStack);
}

// clone(2) CLONE_CHILD_SETTID: the thread's id is stored at ctid in the
// child's memory (shared here) before the thread runs.
TEST(clone, child_settid_stores_tid, POSITIVE, LINUX) {
    Self s{};
    Thread t;
    s.ctid = &t.tid;
    // ptid and ctid are the same word: PARENT_SETTID and CHILD_SETTID both
    // store the tid there, CHILD_CLEARTID clears it at exit.
    long tid = thread_start(t, record_self, &s, kThreadFlags | CLONE_CHILD_SETTID);
    ASSERT_GT(tid, 0);
    thread_join(t);
    EXPECT_EQ(s.ctid_seen, tid);
}

// clone(2) CLONE_SETTLS: the thread pointer of the new thread is the tls
// argument: a load at thread-pointer offset 0 returns the first word of
// the block (which holds the block's own address).
TEST(clone, settls_sets_thread_pointer, POSITIVE, LINUX) {
    Self s{};
    Thread t;
    s.t = &t;
    ASSERT_GT(thread_start(t, record_self, &s), 0);
    long tls = long(t.tls);
    thread_join(t);
    EXPECT_EQ(s.tls0, tls);
}

struct FlagRow {
    const char* label;
    u64 flags;
};
constexpr FlagRow kBadThreadFlags[] = {
    {"THREAD_without_SIGHAND", kThreadFlags & ~CLONE_SIGHAND},
    {"SIGHAND_without_VM", kThreadFlags & ~CLONE_VM},
    {"THREAD_without_VM_and_SIGHAND", kThreadFlags & ~(CLONE_VM | CLONE_SIGHAND)}};
// clone(2) ERRORS: EINVAL when CLONE_THREAD is given without CLONE_SIGHAND,
// or CLONE_SIGHAND without CLONE_VM (here: the thread flag set with one of
// them removed). No thread is created.
TEST_P(clone, thread_flags_missing_einval, NEGATIVE, LINUX, kBadThreadFlags) {
    Self s{};
    Thread t;
    long r = thread_start(t, record_self, &s, row.flags);
    if (r > 0) {  // wrongly created: a thread or a process; wait for it
        sys::wait4(int(r), nullptr, __WALL, nullptr);
        thread_join_probe(t, int(r));
    }
    EXPECT_ERR(r, EINVAL);
    EXPECT_EQ(s.value, 0);
}

// POSIX wait: a thread is not a child process: waiting for its id fails with
// ECHILD even with __WALL.
TEST(clone, thread_not_waitable, NEGATIVE, LINUX) {
    Parked k{};
    Thread t;
    ASSERT_GT(thread_start(t, park_thread, &k), 0);
    int st = 0;
    EXPECT_ERR(sys::wait4(t.ret, &st, WNOHANG | __WALL, nullptr), ECHILD);
    release(k.go);
    thread_join(t);
}

namespace {
struct Fds {
    int fds[2];
    long r;
};
void open_pipe(void* p) {
    auto* f = static_cast<Fds*>(p);
    f->r = sys::pipe2(f->fds, 0);
}
void install_usr2(void*) { catch_sig(SIGUSR2); }
}  // namespace

// clone(2) CLONE_FILES: a pipe the thread opens is usable by the creator.
TEST(clone, threads_share_fd_table, POSITIVE, LINUX) {
    Fds f{{-1, -1}, 0};
    Thread t;
    ASSERT_GT(thread_start(t, open_pipe, &f), 0);
    thread_join(t);
    ASSERT_OK(f.r);
    EXPECT_RET(sys::write(f.fds[1], "t", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(f.fds[0], &c, 1), 1);
    EXPECT_EQ(c, 't');
    sys::close(f.fds[0]);
    sys::close(f.fds[1]);
}

// clone(2) CLONE_SIGHAND: a handler a thread installs is the creator's too.
TEST(clone, threads_share_signal_handlers, POSITIVE, LINUX) {
    Thread t;
    ASSERT_GT(thread_start(t, install_usr2, nullptr), 0);
    thread_join(t);
    // ASSERT: raising SIGUSR2 without the handler would end the run.
    ASSERT_EQ(long(action_of(SIGUSR2)), long(reinterpret_cast<void*>(log_handler)));
    log_reset();
    EXPECT_OK(raise(SIGUSR2));
    EXPECT_EQ(g_log.count[SIGUSR2], 1);
}

namespace {
struct Counter {
    int go;
    long total;
    long mine[4];
};
struct Slot {
    Counter* c;
    int idx;
};
void count_up(void* p) {
    auto* s = static_cast<Slot*>(p);
    wait_nonzero(s->c->go);
    for (int i = 0; i < 20000; ++i) {
        __atomic_fetch_add(&s->c->total, 1, __ATOMIC_RELAXED);
        s->c->mine[s->idx] = s->c->mine[s->idx] + 1;
    }
}
}  // namespace

// clone(2) CLONE_VM: four threads released together update one counter with
// atomic adds and their own slots with plain stores: no update is lost.
TEST(clone, concurrent_threads_atomic_counter, POSITIVE, LINUX) {
    Counter c{};
    Slot s[4];
    Thread t[4];
    int n = 0;
    for (; n < 4; ++n) {
        s[n] = {&c, n};
        if (thread_start(t[n], count_up, &s[n]) <= 0) break;
    }
    release(c.go);
    for (int i = 0; i < n; ++i) thread_join(t[i]);
    if (n < 4) skip_if_nproc_limited(t[n].ret, n, 4);
    ASSERT_EQ(n, 4);
    EXPECT_EQ(c.total, 80000);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(c.mine[i], 20000);
}

// clone(2) + exit(2): creating and joining 2,000 threads one after another
// leaks nothing (ids, stacks, kernel tasks): the next thread still starts
// and runs.
TEST(clone, create_join_many, BOUNDARY, LINUX, .flags = kc::SLOW, .timeout_ms = 30000) {
    int failures = 0;
    for (int i = 0; i < 2000; ++i) {
        Self s{};
        Thread t;
        if (thread_start(t, record_self, &s) <= 0) {
            ++failures;
            break;
        }
        thread_join(t);
        if (s.value != 0x7e57) ++failures;
    }
    EXPECT_EQ(failures, 0);
    Self s{};
    Thread t;
    ASSERT_GT(thread_start(t, record_self, &s), 0);
    thread_join(t);
    EXPECT_EQ(s.value, 0x7e57);
}

// clone(2): 64 threads alive at once (each parked on a futex) all start,
// run and are joined. EXCLUSIVE: under a low RLIMIT_NPROC (a per-user
// count) it would take the room the tests beside it need.
TEST(clone, many_live_threads, BOUNDARY, LINUX, .flags = kc::EXCLUSIVE) {
    constexpr int N = 64;
    Thread t[N];
    Parked k[N]{};
    int started = 0;
    raise_nproc_soft_limit();
    for (; started < N; ++started) {
        if (thread_start(t[started], park_thread, &k[started]) <= 0) break;
    }
    for (int i = 0; i < started; ++i) release(k[i].go);
    for (int i = 0; i < started; ++i) thread_join(t[i]);
    if (started < N) skip_if_nproc_limited(t[started].ret, started, N);
    EXPECT_EQ(started, N);
    for (int i = 0; i < started; ++i) EXPECT_EQ(k[i].tid, t[i].ret);
}

// exit(2): a thread that exits ends only itself: the process goes on and
// the thread id is gone (tgkill with signal 0 says ESRCH).
TEST(exit, thread_exit_keeps_process, POSITIVE, LINUX) {
    Self s{};
    Thread t;
    long tid = thread_start(t, record_self, &s);
    ASSERT_GT(tid, 0);
    thread_join(t);
    // The joined thread is released by the kernel shortly after it clears
    // its tid word; poll for that.
    i64 end = kc::now_ns() + 2000000000;
    while (sys::tgkill(int(sys::getpid()), int(tid), 0) == 0 && kc::now_ns() < end)
        common::sleep_ms(1);
    EXPECT_ERR(sys::tgkill(int(sys::getpid()), int(tid), 0), ESRCH);
    EXPECT_RET(sys::tgkill(int(sys::getpid()), int(sys::gettid()), 0), 0);
}

namespace {
// The exit status of a forked child whose thread_start failed with EAGAIN
// (the parent then checks RLIMIT_NPROC with skip_if_nproc_limited).
constexpr int kThreadEagain = 3;
[[noreturn]] void exit_start_failed(long r) { sys::exit_group(r == -EAGAIN ? kThreadEagain : 1); }
void skip_if_child_nproc_limited(int st) {
    if (wifexited(st) && wexitstatus(st) == kThreadEagain) skip_if_nproc_limited(-EAGAIN, 1, 2);
}

int g_pipe_w;
void announce_then_exit_group(void* p) {
    common::sleep_ms(5);  // the main thread has exited by now, or soon will
    sys::write(g_pipe_w, "a", 1);
    sys::exit_group(*static_cast<int*>(p));
}
}  // namespace

// exit(2) in the main thread (POSIX pthread_exit from main): the process
// goes on while another thread runs; its exit_group status is the
// process's status.
TEST(exit, main_thread_exit_keeps_threads, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, 0));
    long pid = sys::fork();
    if (pid == 0) {
        sys::close(fds[0]);
        g_pipe_w = fds[1];
        static int code = 5;
        static Thread t;
        long r = thread_start(t, announce_then_exit_group, &code);
        if (r <= 0) exit_start_failed(r);
        sys::exit_thread(0);
    }
    sys::close(fds[1]);
    if (pid < 0) {
        sys::close(fds[0]);
        skip_if_nproc_limited(pid, 0, 2);
    }
    ASSERT_GT(pid, 0);
    char c = 0;
    long got = sys::read(fds[0], &c, 1);
    sys::close(fds[0]);
    int st = kc::wait_status(pid);
    skip_if_child_nproc_limited(st);
    EXPECT_RET(got, 1);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), 5);
}

// exit_group(2) from a thread ends every thread of the process at once,
// here the main thread asleep for 10 s; the status is the thread's.
TEST(exit_group, from_thread_ends_all, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = sys::fork();
    if (pid == 0) {
        static int code = 9;
        static Thread t;
        long r = thread_start(
            t, [](void* p) { sys::exit_group(*static_cast<int*>(p)); }, &code);
        if (r <= 0) exit_start_failed(r);
        const timespec ts{10, 0};
        sys::nanosleep(&ts, nullptr);
        sys::exit_group(2);
    }
    if (pid < 0) skip_if_nproc_limited(pid, 0, 2);
    ASSERT_GT(pid, 0);
    i64 t0 = kc::now_ns();
    int st = kc::wait_status(pid);
    skip_if_child_nproc_limited(st);
    EXPECT_TRUE(wifexited(st));
    EXPECT_EQ(wexitstatus(st), 9);
    EXPECT_LT(kc::now_ns() - t0, 5000000000);
}

namespace {
struct PingPong {
    int turn;  // 0: main's turn, 1: the thread's
    int bad_yields;
    int done;
    int stop;  // main gave up: the thread ends too
};
constexpr int kRounds = 200;
void pong(void* p) {
    auto* g = static_cast<PingPong*>(p);
    i64 end = kc::own_ns() + 5000000000;
    for (int i = 0; i < kRounds && kc::own_ns() < end; ++i) {
        while (load(g->turn) != 1 && !load(g->stop) && kc::own_ns() < end) {
            if (sys::sched_yield() != 0) __atomic_fetch_add(&g->bad_yields, 1, __ATOMIC_RELAXED);
        }
        if (load(g->stop)) break;
        store(g->turn, 0);
    }
    store(g->done, 1);
}
}  // namespace

// POSIX sched_yield: returns 0 every time; two threads that hand a turn
// back and forth by yielding both make progress (200 rounds each).
// EXCLUSIVE: 200 round trips must fit a deadline, which a test running beside it on one CPU (UML)
// stretched. The deadline is 5 s of each thread's own time (kc::own_ns):
// time spent waiting for a CPU the machine gives to others does not count.
// After 8 s of wall time the test stops; short of its rounds, having waited
// for a CPU longer than it ran (SCHED_IDLE beside busy loops), it SKIPs as
// starved.
TEST(sched_yield, ping_pong_between_threads, POSITIVE, PSE51, .flags = kc::EXCLUSIVE) {
    PingPong g{};
    Thread t;
    ASSERT_GT(thread_start(t, pong, &g), 0);
    i64 own0 = kc::own_ns(), wall0 = kc::now_ns();
    i64 end = own0 + 5000000000, wall_end = wall0 + 8000000000;
    int rounds = 0;
    for (; rounds < kRounds && kc::own_ns() < end && kc::now_ns() < wall_end; ++rounds) {
        while (load(g.turn) != 0 && kc::own_ns() < end && kc::now_ns() < wall_end) {
            if (sys::sched_yield() != 0) __atomic_fetch_add(&g.bad_yields, 1, __ATOMIC_RELAXED);
        }
        store(g.turn, 1);
    }
    store(g.stop, 1);
    thread_join(t);
    i64 ran = kc::own_ns() - own0, wall = kc::now_ns() - wall0;
    if (rounds < kRounds && wall >= 8000000000 && wall - ran > ran) {
        char buf[120];
        rt::Fmt f(buf, sizeof buf);
        f.s("starved: ").d(rounds).s(" rounds in 8 s, of which the thread waited for a CPU ");
        f.d((wall - ran) / 1000000).s(" ms");
        kc::skip(f.cstr());
    }
    EXPECT_EQ(rounds, kRounds);
    EXPECT_EQ(g.done, 1);
    EXPECT_EQ(g.bad_yields, 0);
    EXPECT_LT(kc::own_ns(), end);
}
