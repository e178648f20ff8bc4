// SPDX-License-Identifier: MIT
// Threads for the thread, futex and signal tests: clone(2) with the flags a
// thread library uses, on a stack of their own. Defined in thread_util.cpp.
#pragma once

#include "harness/test.hpp"

namespace thread {

// The clone(2) flags of a thread as a thread library creates it.
inline constexpr u64 kThreadFlags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
                                    CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |
                                    CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;

// A stack of kThreadStack bytes is mapped for each; its lowest words are the
// TLS block passed with CLONE_SETTLS (tls[0] points to itself, as the x86-64
// TCB convention wants).
inline constexpr usize kThreadStack = 64 * 1024;
struct Thread {
    int tid;    // CLONE_PARENT_SETTID writes it; CLONE_CHILD_CLEARTID zeroes it
    int ret;    // kc_clone_thread's result
    long* tls;  // bottom of the mapping
    void* map;
};
// Creates a thread running fn(arg); returns its tid or -errno. t.tid is the
// word passed as both ptid and ctid.
long thread_start(Thread& t, void (*fn)(void*), void* arg, u64 flags = kThreadFlags);
// Waits until the kernel cleared t.tid (CLONE_CHILD_CLEARTID + FUTEX_WAKE) and
// unmaps the stack; flags must have held CLONE_PARENT_SETTID and
// CLONE_CHILD_CLEARTID. Every started thread must be joined before a test ends.
void thread_join(Thread& t);
// For threads without CLONE_CHILD_CLEARTID: waits until tgkill(pid, tid, 0)
// says the thread is gone, then unmaps the stack.
void thread_join_probe(Thread& t, int tid);

// A one-shot flag between threads of a process (a private futex word):
// release() sets it to 1 and wakes every waiter; wait_nonzero() blocks
// until it is non-zero, or 5 s have passed.
void release(int& word);
void wait_nonzero(int& word);

}  // namespace thread
