// Wrappers and constants for the memory-management and scheduling tests
// (mprotect, mremap, madvise, msync, mincore, mlock family, brk, sched_*,
// getcpu), and the declarations of helpers those tests share (namespace mmt).
// Same conventions as rt/sys.hpp: the kernel's result is returned unchanged.
//
// Every value here is the same on x86-64, aarch64 and riscv64 (asm-generic
// mman.h / sched.h / resource.h; x86 includes the generic mman flags).
#pragma once

#include "rt/errno.hpp"
#include "rt/sys.hpp"

// mmap(2) flags beyond rt/types.hpp.
inline constexpr int MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f;
inline constexpr int MAP_GROWSDOWN = 0x0100, MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000;
inline constexpr int MAP_POPULATE = 0x8000, MAP_SYNC = 0x80000;
inline constexpr int MAP_FIXED_NOREPLACE = 0x100000;
inline constexpr int PROT_SEM = 0x8, PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
// mremap(2).
inline constexpr int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
// madvise(2).
inline constexpr int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3;
inline constexpr int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10;
inline constexpr int MADV_DOFORK = 11, MADV_NOHUGEPAGE = 15, MADV_DONTDUMP = 16;
inline constexpr int MADV_DODUMP = 17, MADV_WIPEONFORK = 18, MADV_KEEPONFORK = 19;
inline constexpr int MADV_COLD = 20, MADV_PAGEOUT = 21, MADV_POPULATE_READ = 22;
inline constexpr int MADV_POPULATE_WRITE = 23;
// msync(2).
inline constexpr int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
// mlockall(2), mlock2(2).
inline constexpr int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4, MLOCK_ONFAULT = 1;

// Scheduling policies (include/uapi/linux/sched.h).
inline constexpr int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3;
inline constexpr int SCHED_IDLE = 5, SCHED_DEADLINE = 6;
inline constexpr int SCHED_RESET_ON_FORK = 0x40000000;
struct sched_param {
    int sched_priority;
};
// struct sched_attr (include/uapi/linux/sched/types.h); VER0 ends at sched_period.
struct sched_attr {
    u32 size;
    u32 sched_policy;
    u64 sched_flags;
    i32 sched_nice;
    u32 sched_priority;
    u64 sched_runtime;
    u64 sched_deadline;
    u64 sched_period;
    u32 sched_util_min;
    u32 sched_util_max;
};
static_assert(sizeof(sched_attr) == 56);
inline constexpr u32 SCHED_ATTR_SIZE_VER0 = 48, SCHED_ATTR_SIZE_VER1 = 56;

namespace sys {

inline long mprotect(void* addr, usize len, int prot) {
    return syscall3(nr::mprotect, L(addr), L(len), prot);
}
inline long mremap(void* old, usize old_len, usize new_len, int flags, void* new_addr = nullptr) {
    return syscall5(nr::mremap, L(old), L(old_len), L(new_len), flags, L(new_addr));
}
inline long madvise(void* addr, usize len, int advice) {
    return syscall3(nr::madvise, L(addr), L(len), advice);
}
inline long msync(void* addr, usize len, int flags) {
    return syscall3(nr::msync, L(addr), L(len), flags);
}
inline long mincore(void* addr, usize len, u8* vec) {
    return syscall3(nr::mincore, L(addr), L(len), L(vec));
}
inline long mlock(const void* addr, usize len) { return syscall2(nr::mlock, L(addr), L(len)); }
inline long mlock2(const void* addr, usize len, int flags) {
    return syscall3(nr::mlock2, L(addr), L(len), flags);
}
inline long munlock(const void* addr, usize len) { return syscall2(nr::munlock, L(addr), L(len)); }
inline long mlockall(int flags) { return syscall1(nr::mlockall, flags); }
inline long munlockall() { return syscall0(nr::munlockall); }
// The raw brk system call: returns the (new or unchanged) break, never -errno.
inline long brk(void* addr) { return syscall1(nr::brk, L(addr)); }

inline long sched_yield() { return syscall0(nr::sched_yield); }
inline long sched_getaffinity(int pid, usize len, void* mask) {
    return syscall3(nr::sched_getaffinity, pid, L(len), L(mask));
}
inline long sched_setaffinity(int pid, usize len, const void* mask) {
    return syscall3(nr::sched_setaffinity, pid, L(len), L(mask));
}
inline long sched_setscheduler(int pid, int policy, const sched_param* p) {
    return syscall3(nr::sched_setscheduler, pid, policy, L(p));
}
inline long sched_getscheduler(int pid) { return syscall1(nr::sched_getscheduler, pid); }
inline long sched_setparam(int pid, const sched_param* p) {
    return syscall2(nr::sched_setparam, pid, L(p));
}
inline long sched_getparam(int pid, sched_param* p) {
    return syscall2(nr::sched_getparam, pid, L(p));
}
inline long sched_get_priority_max(int policy) {
    return syscall1(nr::sched_get_priority_max, policy);
}
inline long sched_get_priority_min(int policy) {
    return syscall1(nr::sched_get_priority_min, policy);
}
inline long sched_rr_get_interval(int pid, timespec* ts) {
    return syscall2(nr::sched_rr_get_interval, pid, L(ts));
}
inline long sched_setattr(int pid, const sched_attr* a, unsigned flags) {
    return syscall3(nr::sched_setattr, pid, L(a), flags);
}
inline long sched_getattr(int pid, sched_attr* a, unsigned size, unsigned flags) {
    return syscall4(nr::sched_getattr, pid, L(a), size, flags);
}
inline long getcpu(unsigned* cpu, unsigned* node) {
    return syscall3(nr::getcpu, L(cpu), L(node), 0);
}

}  // namespace sys

// Helpers shared by the tests in tests/mm and tests/sched, defined in
// tests/mm/support.cpp (they use the harness's checks). Names other areas may
// also define (resource limits, fault codes) live here so that headers of
// different areas never collide.
namespace mmt {

// The tests are written for 4 KiB pages (x86-64 always; most aarch64 and
// riscv64 kernels). need_4k_pages() skips a test on a kernel with larger
// pages; map(), hole(), make_file() and resident() call it.
inline constexpr usize kPage = 4096;
usize page_size();  // probed once: the smallest size mprotect accepts as aligned
void need_4k_pages();
inline constexpr int RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9;
inline constexpr int RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14;
inline constexpr u64 RLIM_INFINITY = ~0ull;
// Capabilities these areas' privilege rules name (linux/capability.h). The
// kernel checks them with capable(), in the initial user namespace: ask
// kc::cap_usable(), never the uid.
inline constexpr int CAP_IPC_LOCK = 14, CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24;
// True when v is a kernel error value (-4095..-1).
inline bool is_err(long v) { return v < 0 && v >= -4095; }
// A child's exit status meaning "the precondition could not be set up".
inline constexpr int kSkipStatus = 77;

// Maps `pages` anonymous pages (MAP_ANONYMOUS is added); ends the test when
// the call fails.
u8* map(usize pages, int prot = PROT_READ | PROT_WRITE, int flags = MAP_PRIVATE);
// An address where `pages` pages were just mapped and unmapped again: free
// at the moment of return (the tests are single-threaded).
u8* hole(usize pages);
// Fills n bytes with a pattern derived from seed / tells whether it is there.
void fill(u8* p, usize n, u8 seed);
bool has_pattern(const u8* p, usize n, u8 seed);
bool all_zero(const u8* p, usize n);
// Creates (or truncates) scratch file `name` with n bytes, O_RDWR|O_CLOEXEC:
// page k holds the pattern of seed + k (so has_pattern(map + k * kPage, ...,
// seed + k) checks a page). Returns the fd; ends the test on failure.
int make_file(const char* name, usize n, u8 seed);
// Opens scratch file `name` again with `flags` (O_CLOEXEC is added).
int reopen(const char* name, int flags);
// How many of the pages at p are resident according to mincore(2), or -errno.
long resident(void* p, usize pages);

// The decimal number in a /proc file such as /proc/sys/vm/max_map_count, or
// -1 when it cannot be read.
long read_proc_number(const char* path);

// Runs fn(arg) in a child (kc::spawn) and checks that it exited 0; a child
// that exits with kSkipStatus turns the test into SKIP with `why` (or the
// page-size reason when need_4k_pages() made it exit).
void run_in_child(void (*fn)(void*), void* arg, const char* why);
// In a child: sets the soft limit of `res` (and the hard limit when it is
// lower, which takes CAP_SYS_RESOURCE); the change dies with the child.
long set_soft_rlimit(int res, u64 soft);
// In a child: raises the soft limit of `res` to `at_least` when it is lower
// (and the hard limit with it when that is lower too); 0 or -errno.
long raise_soft_rlimit(int res, u64 at_least);
// The hard limit of `res` (RLIM_INFINITY when it cannot be read).
u64 hard_rlimit(int res);
// In the test process: skips unless a child may set the soft limit of `res`
// to `want` (set_soft_rlimit, raise_soft_rlimit): the hard limit is at least
// that, or the run may raise it (CAP_SYS_RESOURCE). The reason names the
// limit (`name`, "RLIMIT_MEMLOCK") and its hard value.
void need_rlimit(int res, const char* name, u64 want);
// In a child: gives up privilege by clearing every capability
// (kc::drop_capabilities), keeping the ids: the kernel's capability checks
// (CAP_SYS_NICE, CAP_IPC_LOCK, ...) then fail, in any user namespace, while
// the process still owns what it owns. Exits with kSkipStatus when the
// kernel refuses.
void drop_privilege();
// In a child: makes sure `pages` pages may be locked (CAP_IPC_LOCK, or a
// soft RLIMIT_MEMLOCK that is or can be raised high enough), else exits with
// kSkipStatus.
void need_lock_budget(usize pages);
// The size of this process's address space in pages (/proc/self/statm), or
// ~0 when it cannot be read.
usize mapped_pages();

// Scheduling in children. A run started under SCHED_IDLE (chrt -i) or at a
// nice value above 0 (nice -n 19) hands that to every child, and leaving it
// takes CAP_SYS_NICE. normal_scheduling(), in a child before it gives up
// privilege: back to SCHED_OTHER at nice 0 when the run may do that.
// need_leave_idle(), in the test process of a test whose children must
// leave SCHED_IDLE: skips, naming it, when the run started there and may
// not leave it. Tests that depend on the nice value read it and adapt.
void normal_scheduling();
void need_leave_idle();

// A child that blocks until stop_sleeper() and then exits 0: a process
// other than the caller to aim scheduling calls at.
struct Sleeper {
    long pid;
    int release_fd;
};
Sleeper start_sleeper();
// Releases and reaps it; returns its wait status.
int stop_sleeper(Sleeper s);
// Pids that name no process: PID_MAX_LIMIT (2^22, one past the largest pid
// Linux hands out) and INT_MAX.
inline constexpr int kPidMaxLimit = 1 << 22;

// touch(): reads (write=false) or writes one byte at addr in a forked child
// that reports a SIGSEGV/SIGBUS through its exit status: 0 when the access
// worked, else kFault | the signal's bit | si_code, plus kWrongAddr when
// si_addr was not the address touched; 0x100 | signal if it died otherwise.
inline constexpr int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2;  // siginfo.h
inline constexpr int kFault = 0x80, kSegv = 0x20, kBus = 0x40, kWrongAddr = 0x10;
inline constexpr int kSegvMaperr = kFault | kSegv | SEGV_MAPERR;
inline constexpr int kSegvAccerr = kFault | kSegv | SEGV_ACCERR;
inline constexpr int kBusAdrerr = kFault | kBus | BUS_ADRERR;
int touch(const volatile void* addr, bool write);

}  // namespace mmt
