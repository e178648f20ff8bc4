// SPDX-License-Identifier: MIT
// Helpers used by the tests of several areas: a sleep that resumes after a
// signal handler ran, byte filling, addresses no call may touch, the
// re-execution of this binary as an exec helper, and the tight descriptor
// and memory limits of leak loops. Defined in common_util.cpp.
#pragma once

#include "harness/test.hpp"
#include "rt/types.hpp"
#include "tests/thread/thread_util.hpp"

namespace common {

// Sleeps `ms` milliseconds, resuming after a signal handler interrupted it.
void sleep_ms(long ms);

// An absolute time `ms` milliseconds from now on clock `clk`, for the
// calls that take a deadline (futex_wait, mq_timedsend, ...).
timespec in_ms(int clk, long ms);

// Sets n bytes at p to v: poisons a buffer before a call fills it, so that
// what the kernel wrote (and what it left alone) shows.
void fill_bytes(void* p, u8 v, usize n);

// An anonymous private mapping of len bytes (for buffers that do not belong
// on the stack); p is nullptr when mmap failed. Unmapped on every way out of
// the test, a failed ASSERT included (kc::Mapping).
struct AnonMap {
    explicit AnonMap(usize len, int prot = PROT_READ | PROT_WRITE);
    usize n;
    char* p;
    kc::Mapping guard;
};

// A user-space address that is never mapped (the first page), and one in the
// kernel half (non-canonical or kernel on all three architectures); the
// integer forms are for constexpr tables.
inline constexpr u64 kBadAddr = 8, kKernelAddr = 0xffff800000000000ull;
inline void* const kBadPtr = reinterpret_cast<void*>(kBadAddr);
inline void* const kKernelPtr = reinterpret_cast<void*>(kKernelAddr);

// In a child: replaces the process image with this binary run as the exec
// helper named by `arg` ("--exec-helper=NAME"); exits 127 if execve failed.
[[noreturn]] void exec_helper(const char* self, const char* arg);

// Waits until child `pid` has ended and tells whether it exited with
// `status`, leaving it unreaped (waitid WNOWAIT): the caller still reaps it
// (kc::wait_status) or lets kc::child_ok describe any other ending. For
// children that report "the precondition is missing" by an exit status.
bool exited_with(long pid, int status);

// Runs fn(arg) in a child (kc::spawn) and checks that it ends well: for
// state that must die with a process (a policy, a registration), and for
// calls that would change the harness in --isolate=none.
inline void in_child(void (*fn)(void*), const void* arg = nullptr) {
    EXPECT_CHILD_OK(kc::spawn(fn, const_cast<void*>(arg)));
}

// Runs fn(arg) in a child (kc::spawn) that dropped every capability, keeping
// its ids, and checks that it ends well; skips when the kernel refuses to
// drop capabilities.
void unprivileged(void (*fn)(void*), const void* arg = nullptr);

// True when /proc is mounted and shows this process's PID namespace
// (/proc/self names this pid): a run in a PID namespace of its own with the
// host's /proc (unshare --pid without --mount-proc) sees other processes
// under its pids there.
bool own_proc();

// Reads /proc/<pid>/<file> into buf (NUL-terminated, at most size - 1
// bytes): the count read, or -errno.
long read_proc(long pid, const char* file, char* buf, usize size);
// The state letter of /proc/<pid>/stat (after the ")" that ends the name:
// 'S' sleeping, 'T' stopped, 'Z' zombie), or 0 when it cannot be read.
char proc_state(long pid);

// `fd` (a scratch file or directory) is on overlayfs (statfs), the root file
// system of most containers, whose files are views of files below: Linux
// answers some calls from the overlay inode (FIOQSIZE counts no blocks,
// FIGETBSZ finds no block size, cachestat no page cache) or passes them down
// without a flag (RWF_NOAPPEND). skip_on_overlayfs skips the test there;
// `what` (a literal) names the need: "cachestat needs the file's own page
// cache". A test that can state the overlay behaviour checks it instead.
bool on_overlayfs(int fd);
void skip_on_overlayfs(int fd, const char* what);

// For a call that must not block: runs fn(arg) on a thread of its own
// `ms` milliseconds after the guard is made, unless the guard is destroyed
// first (which calls it off and joins the thread). The action unblocks the
// call (writes to the empty pipe, kills the other process), so that a kernel
// that blocks it anyway fails the check with what the call then returned
// instead of hanging the test until its deadline. Destroy it on the normal
// way out, before any ASSERT.
class Later {
   public:
    Later(long ms, void (*fn)(void*), void* arg);
    ~Later();
    Later(const Later&) = delete;
    Later& operator=(const Later&) = delete;
    bool ran() const { return __atomic_load_n(&state_, __ATOMIC_ACQUIRE) == 2; }

   private:
    static void run(void* self);
    long ms_;
    void (*fn_)(void*);
    void* arg_;
    u32 state_ = 0;  // 0 waiting, 1 called off, 2 ran
    thread::Thread t_{};
};

// Reads a decimal number from a /proc file (a sysctl), or -1.
long proc_number(const char* path);
// Writes `text` to a /proc file (uid_map, setgroups, a sysctl); true when
// all of it was taken.
bool write_proc(const char* path, const char* text);

// Descriptor leak loops: a loop that creates and closes a descriptor needs
// to cross RLIMIT_NOFILE, not to run for long. limit_fd_room() lowers the
// soft RLIMIT_NOFILE (never raises it) so that at most kFdLeakRoom
// descriptors above the lowest free one can be opened, until the test ends
// (kc::defer restores it, also in --isolate=none); a loop that leaks one
// descriptor per iteration then fails with EMFILE within kFdLeakRoom
// iterations, so kFdLeakRounds (4 times that) crosses the limit with room to
// spare. Returns the room there is (less under a lower hard limit); skips if
// RLIMIT_NOFILE cannot be read or set.
inline constexpr int kFdLeakRoom = 64, kFdLeakRounds = 4 * kFdLeakRoom;
int limit_fd_room();

// Memory leak loops: a loop that maps and unmaps (attaches and detaches,
// grows and shrinks the break) needs to cross a limit on what it may map,
// not to run for long. limit_vm_room(res, bytes) lowers the soft limit
// (never raises it) so that `bytes` more fit, and no more, until the test
// ends (kc::defer restores it, also in --isolate=none): for RLIMIT_AS, a
// mapping of `bytes`; for RLIMIT_DATA, growing the break by `bytes`. That
// limit is found without /proc, by trying under lower and lower limits (a
// binary search, a few dozen calls). A loop that leaks a mapping (or its accounting) of n bytes per
// round then fails with ENOMEM within bytes / n rounds: 4 * bytes / n rounds
// cross the limit with room to spare, and the whole room can still be mapped
// afterwards when nothing leaked (less kVmSlack, kept for stack growth).
// Returns false, changing nothing, when the limit is not enforced (qemu-user
// accepts and ignores RLIMIT_AS and RLIMIT_DATA): the loop crosses nothing
// then. Skips when the limit cannot be read or lowered, or when less than
// `bytes` is left under it already.
inline constexpr usize kVmLeakRoom = 256 * 1024, kVmSlack = 64 * 1024;
bool limit_vm_room(int res, usize bytes);

}  // namespace common
