// SPDX-License-Identifier: MIT
// Thread creation and joining for the thread, futex and signal tests
// (declared in tests/thread/thread_util.hpp). No tests here.
#include "tests/thread/thread_util.hpp"

#include "harness/test.hpp"
#include "rt/sys_futex.hpp"
#include "tests/common/common_util.hpp"

namespace thread {

namespace {
int load(const int& v) { return __atomic_load_n(&v, __ATOMIC_ACQUIRE); }
}  // namespace

long thread_start(Thread& t, void (*fn)(void*), void* arg, u64 flags) {
    t.tid = 0;
    t.map = nullptr;
    long m = sys::mmap(nullptr, kThreadStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
    if (m < 0 && m >= -4095) return t.ret = int(m);
    t.map = reinterpret_cast<void*>(m);
    t.tls = reinterpret_cast<long*>(m);
    t.tls[0] = m;
    char* top = static_cast<char*>(t.map) + kThreadStack;
    long r = kc_clone_thread(flags, top, &t.tid, t.tls, &t.tid, fn, arg);
    t.ret = int(r);
    if (r < 0) {
        sys::munmap(t.map, kThreadStack);
        t.map = nullptr;
    }
    return r;
}

void thread_join(Thread& t) {
    if (!t.map) return;
    // The kernel zeroes the CLONE_CHILD_CLEARTID word at thread exit and does
    // a FUTEX_WAKE (shared, not private) on it; the timeout only bounds each
    // wait in case the wake-up was missed.
    for (int v; (v = load(t.tid)) != 0;) {
        timespec ts{0, 50000000};
        sys::futex(&t.tid, FUTEX_WAIT, u32(v), &ts);
    }
    sys::munmap(t.map, kThreadStack);
    t.map = nullptr;
}

void thread_join_probe(Thread& t, int tid) {
    if (!t.map) return;
    int pid = int(sys::getpid());
    while (sys::tgkill(pid, tid, 0) == 0) common::sleep_ms(1);
    sys::munmap(t.map, kThreadStack);
    t.map = nullptr;
}

void release(int& word) {
    __atomic_store_n(&word, 1, __ATOMIC_RELEASE);
    sys::futex(&word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX);
}

void wait_nonzero(int& word) {
    for (i64 end = kc::now_ns() + 5000000000; !load(word) && kc::now_ns() < end;) {
        const timespec ms{0, 2000000};
        sys::futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ms);
    }
}

}  // namespace thread
