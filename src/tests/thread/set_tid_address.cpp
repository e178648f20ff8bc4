// SPDX-License-Identifier: MIT
// set_tid_address(2) on threads made with clone(2) (tests/thread/
// thread_util): the caller's thread ID as the result, the registered word
// cleared and woken at thread exit in place of the clone-time
// CLONE_CHILD_CLEARTID word, the last registration winning, NULL turning
// the clearing off, and a bad address ignored.
// Not covered: the clearing at exit of a process made by fork (it needs a
// word shared with the parent, which mm tests cover with MAP_SHARED).
#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_sched.hpp"
#include "rt/sys_thread.hpp"
#include "tests/thread/thread_util.hpp"

using namespace thread;

namespace {
struct Reregister {
    Thread t;
    long r;
};
void reregister(void* p) {
    auto* x = static_cast<Reregister*>(p);
    x->r = sys::set_tid_address(&x->t.tid);
}
}  // namespace

// set_tid_address(2): "always returns the caller's thread ID", in the main
// thread (NULL: the main thread has no clear_child_tid to keep) and in a
// thread (re-registering the word it already has).
TEST(set_tid_address, returns_caller_tid, POSITIVE, LINUX) {
    EXPECT_RET(sys::set_tid_address(nullptr), sys::gettid());
    Reregister r{};
    ASSERT_GT(thread_start(r.t, reregister, &r), 0);
    long tid = r.t.ret;
    thread_join(r.t);
    EXPECT_EQ(r.r, tid);
    EXPECT_NE(tid, sys::gettid());
}

namespace {
struct Tidword {
    int word;
    int* addr;
    long r;
};
void set_addr_and_exit(void* p) {
    auto* w = static_cast<Tidword*>(p);
    w->r = sys::set_tid_address(w->addr);
}
}  // namespace

// set_tid_address(2): at thread exit the kernel writes 0 at the registered
// address and wakes a futex waiter there, replacing the CLONE_CHILD_CLEARTID
// word given to clone, which stays as it was.
TEST(set_tid_address, cleared_and_woken_at_exit, POSITIVE, LINUX) {
    Tidword w{1234, nullptr, 0};
    w.addr = &w.word;
    Thread t;
    long tid = thread_start(t, set_addr_and_exit, &w);
    ASSERT_GT(tid, 0);
    i64 end = kc::now_ns() + 5000000000;
    for (int v; (v = __atomic_load_n(&w.word, __ATOMIC_ACQUIRE)) != 0 && kc::now_ns() < end;) {
        const timespec ts{0, 50000000};
        sys::futex(&w.word, FUTEX_WAIT, u32(v), &ts);
    }
    EXPECT_EQ(w.word, 0);
    thread_join_probe(t, int(tid));
    EXPECT_EQ(w.r, tid);
    EXPECT_EQ(t.tid, tid);  // the clone-time word was replaced, not cleared
}

// set_tid_address(2): the address is not checked when registered; a bad one
// makes the clearing write at exit fail silently, the process is unharmed.
TEST(set_tid_address, bad_address_ignored_at_exit, BOUNDARY, LINUX) {
    Tidword w{0, reinterpret_cast<int*>(8), 0};
    Thread t;
    long tid = thread_start(t, set_addr_and_exit, &w);
    ASSERT_GT(tid, 0);
    thread_join_probe(t, int(tid));
    EXPECT_EQ(w.r, tid);
    EXPECT_RET(sys::tgkill(int(sys::getpid()), int(sys::gettid()), 0), 0);
}

namespace {
struct TwoWords {
    int first, second;
    long r1, r2;
};
void register_twice(void* p) {
    auto* w = static_cast<TwoWords*>(p);
    w->r1 = sys::set_tid_address(&w->first);
    w->r2 = sys::set_tid_address(&w->second);
}
void register_null(void* p) { static_cast<Tidword*>(p)->r = sys::set_tid_address(nullptr); }
}  // namespace

// set_tid_address(2): each call replaces the address; only the last one is
// cleared at thread exit (both calls return the thread's ID).
TEST(set_tid_address, last_registration_wins, POSITIVE, LINUX) {
    TwoWords w{7, 8, 0, 0};
    Thread t;
    long tid = thread_start(t, register_twice, &w);
    ASSERT_GT(tid, 0);
    thread_join_probe(t, int(tid));
    i64 end = kc::now_ns() + 5000000000;
    while (__atomic_load_n(&w.second, __ATOMIC_ACQUIRE) != 0 && kc::now_ns() < end)
        sys::sched_yield();
    EXPECT_EQ(w.second, 0);
    EXPECT_EQ(w.first, 7);
    EXPECT_EQ(w.r1, tid);
    EXPECT_EQ(w.r2, tid);
}

// set_tid_address(2) with NULL: nothing is cleared at exit, not even the
// CLONE_CHILD_CLEARTID word the thread was created with.
TEST(set_tid_address, null_disables_clearing, BOUNDARY, LINUX) {
    Tidword w{0, nullptr, 0};
    Thread t;
    long tid = thread_start(t, register_null, &w);
    ASSERT_GT(tid, 0);
    thread_join_probe(t, int(tid));
    EXPECT_EQ(w.r, tid);
    EXPECT_EQ(t.tid, tid);
}
