// SPDX-License-Identifier: MIT
// The per-test cleanup list (test.hpp: kc::defer and the guards). A failed
// ASSERT or a skip leaves the test body by longjmp, past every destructor;
// the runner then runs what is still on the list, newest first, so that a
// guard undoes its work on every way out of the test.
#include "harness/internal.hpp"

namespace kc {

namespace {
struct Entry {
    void (*fn)(long, long);
    long a, b;
};
constexpr int kMaxCleanups = 64;
Entry g_list[kMaxCleanups];
int g_count;
}  // namespace

int defer(void (*fn)(long, long), long a, long b) {
    if (g_count == kMaxCleanups) {
        fail("fharness:0 kc::defer", "more than 64 cleanups registered at once");
        fn(a, b);  // cannot be deferred: run it now rather than lose it
        return -1;
    }
    g_list[g_count] = {fn, a, b};
    return g_count++;
}

void undefer(int handle, bool run) {
    if (handle < 0 || handle >= g_count) return;
    Entry e = g_list[handle];
    g_list[handle].fn = nullptr;
    while (g_count > 0 && !g_list[g_count - 1].fn) --g_count;
    if (run && e.fn) e.fn(e.a, e.b);
}

void run_cleanups() {
    while (g_count > 0) {
        Entry e = g_list[--g_count];
        if (e.fn) e.fn(e.a, e.b);
    }
}

void Fd::close_fd(long fd, long) { sys::close(int(fd)); }

void Fd::reset(long fd) {
    undefer(handle_, true);
    handle_ = -1;
    fd_ = fd < 0 ? (fd >= -4095 ? int(fd) : -1) : int(fd);
    if (fd_ >= 0) handle_ = defer(close_fd, fd_);
}

int Fd::release() {
    undefer(handle_, false);
    handle_ = -1;
    int fd = fd_;
    fd_ = -1;
    return fd;
}

// The guard's own memory may be gone when the list runs (the test's stack
// frame, after a longjmp): the entry holds the address and length itself.
void Mapping::unmap(long addr, long len) { sys::munmap(reinterpret_cast<void*>(addr), usize(len)); }

Mapping::Mapping(void* addr, usize len) {
    if (addr) handle_ = defer(unmap, long(addr), long(len));
}

Mapping::~Mapping() { undefer(handle_, true); }

}  // namespace kc
