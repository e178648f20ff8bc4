// SPDX-License-Identifier: MIT
// Helpers shared by the memory-management and scheduling tests (src/tests/mm,
// src/tests/sched), defined in tests/mm/support.cpp (they use the harness's
// checks).
#pragma once

#include "harness/test.hpp"

namespace mm {

// The tests are written for 4 KiB pages (x86-64 always; most aarch64 and
// riscv64 kernels). need_4k_pages() skips a test on a kernel with larger
// pages; map(), hole(), make_file() and resident() call it.
inline constexpr usize kPage = 4096;
usize page_size();  // probed once: the smallest size mprotect accepts as aligned
void need_4k_pages();
// True when v is a kernel error value (-4095..-1).
inline bool is_err(long v) { return v < 0 && v >= -4095; }
// A child's exit status meaning "the precondition could not be set up".
inline constexpr int kSkipStatus = 77;

// Maps `pages` anonymous pages (MAP_ANONYMOUS is added); ends the test when
// the call fails.
u8* map(usize pages, int prot = PROT_READ | PROT_WRITE, int flags = MAP_PRIVATE);
// map(pages) of private read-write pages that transparent huge pages cannot
// fill in behind the test's back (MADV_NOHUGEPAGE; EINVAL, a kernel without
// THP, is fine): untouched pages stay non-resident, and faults and reclaim
// handle them one small page at a time.
u8* map_small_pages(usize pages);
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
inline constexpr int kFault = 0x80, kSegv = 0x20, kBus = 0x40, kWrongAddr = 0x10;
inline constexpr int kSegvMaperr = kFault | kSegv | SEGV_MAPERR;
inline constexpr int kSegvAccerr = kFault | kSegv | SEGV_ACCERR;
inline constexpr int kBusAdrerr = kFault | kBus | BUS_ADRERR;
int touch(const volatile void* addr, bool write);
// call(): calls the function at fn with arg in such a child: the function's
// result (0 to 127), or a fault coded as touch() codes it (si_addr is then
// the instruction fetched).
int call(const void* fn, int arg);

// Shorthands of the mmap tests (mmap.cpp, mmap_file.cpp, mmap_limits.cpp):
// one page, read-write, private anonymous, and mmap's result as bytes.
namespace mmap_shorthands {
inline constexpr usize P = kPage;
inline constexpr int RW = PROT_READ | PROT_WRITE;
inline constexpr int ANON = MAP_PRIVATE | MAP_ANONYMOUS;
inline u8* ptr(long r) { return reinterpret_cast<u8*>(r); }
}  // namespace mmap_shorthands

// Rows the mmap tests (mmap.cpp, mmap_file.cpp) share: the two mapping
// types of anonymous memory; MAP_TYPE values that are none of SHARED,
// PRIVATE and SHARED_VALIDATE; offsets that are not page multiples.
struct MapFlagsRow {
    const char* label;
    int flags;
};
inline constexpr MapFlagsRow kAnonKinds[] = {{"private", MAP_PRIVATE}, {"shared", MAP_SHARED}};
inline constexpr MapFlagsRow kBadMapTypes[] = {
    {"type=0", 0}, {"type=0x4", 4}, {"type=0x7", 7}, {"type=0xf", 0xf}};
struct OffsetRow {
    const char* label;
    long off;
};
inline constexpr OffsetRow kBadOffsets[] = {
    {"off=1", 1}, {"off=2048", 2048}, {"off=4095", 4095}, {"off=-1", -1}};

}  // namespace mm
