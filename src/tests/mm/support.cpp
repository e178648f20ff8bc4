// SPDX-License-Identifier: MIT
// Helpers shared by the memory-management and scheduling tests (declared in
// tests/mm/mm_util.hpp, namespace mm). No tests here.
// Checks here must name this file: the plain macros leave the file out
// when __FILE__ is the translation unit's own, and the runner would then
// print the running test's file with this file's line numbers.
#define KC_FILE __FILE__
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_resource.hpp"
#include "rt/sys_sched.hpp"
#include "tests/common/common_util.hpp"
#include "tests/mm/mm_util.hpp"

namespace mm {

usize page_size() {
    static usize cached;
    if (cached) return cached;
    constexpr usize kMax = 1 << 16;
    long r = sys::mmap(nullptr, 2 * kMax, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(r)) return kPage;
    usize s = 4096;  // the smallest page size of any Linux port
    while (s < kMax && sys::mprotect(reinterpret_cast<u8*>(r) + s, s, PROT_NONE) != 0) s <<= 1;
    sys::munmap(reinterpret_cast<void*>(r), 2 * kMax);
    return cached = s;
}

// Set in the children of run_in_child(), where kc::skip cannot be used.
static bool g_in_child;

void need_4k_pages() {
    if (page_size() == kPage) return;
    if (g_in_child) sys::exit_group(kSkipStatus);
    kc::skip("written for 4 KiB pages; this kernel uses larger ones");
}

u8* map(usize pages, int prot, int flags) {
    need_4k_pages();
    long r = sys::mmap(nullptr, pages * kPage, prot, flags | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(r);
    return reinterpret_cast<u8*>(r);
}

u8* map_small_pages(usize pages) {
    u8* p = map(pages);
    sys::madvise(p, pages * kPage, MADV_NOHUGEPAGE);
    return p;
}

u8* hole(usize pages) {
    u8* p = map(pages, PROT_NONE);
    ASSERT_OK(sys::munmap(p, pages * kPage));
    return p;
}

static u8 pattern(usize i, u8 seed) { return u8(seed + i * 7 + (i >> 8)); }

void fill(u8* p, usize n, u8 seed) {
    for (usize i = 0; i < n; ++i) p[i] = pattern(i, seed);
}

bool has_pattern(const u8* p, usize n, u8 seed) {
    for (usize i = 0; i < n; ++i)
        if (p[i] != pattern(i, seed)) return false;
    return true;
}

bool all_zero(const u8* p, usize n) {
    for (usize i = 0; i < n; ++i)
        if (p[i]) return false;
    return true;
}

int make_file(const char* name, usize n, u8 seed) {
    need_4k_pages();
    long fd = sys::openat(kc::scratch_fd(), name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    u8 buf[512];
    for (usize off = 0; off < n; off += sizeof buf) {
        usize k = n - off < sizeof buf ? n - off : sizeof buf;
        for (usize j = 0; j < k; ++j)
            buf[j] = pattern((off + j) % kPage, u8(seed + (off + j) / kPage));
        ASSERT_RET(sys::pwrite64(int(fd), buf, k, long(off)), long(k));
    }
    return int(fd);
}

int reopen(const char* name, int flags) {
    long fd = sys::openat(kc::scratch_fd(), name, flags | O_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}

long resident(void* p, usize pages) {
    need_4k_pages();
    u8 vec[64];
    if (pages > sizeof vec) return -EINVAL;
    long r = sys::mincore(p, pages * kPage, vec);
    if (r < 0) return r;
    long n = 0;
    for (usize i = 0; i < pages; ++i) n += vec[i] & 1;
    return n;
}

struct ChildCall {
    void (*fn)(void*);
    void* arg;
};

static void child_trampoline(void* a) {
    g_in_child = true;
    auto* c = static_cast<ChildCall*>(a);
    c->fn(c->arg);
}

void run_in_child(void (*fn)(void*), void* arg, const char* why) {
    ChildCall call{fn, arg};
    long pid = kc::spawn(child_trampoline, &call);
    ASSERT_OK(pid);
    if (common::exited_with(pid, kSkipStatus)) {
        kc::wait_status(pid);
        if (page_size() != kPage) why = "written for 4 KiB pages; this kernel uses larger ones";
        kc::skip(why);
    }
    kc::child_ok(KC_SITE("c", "child"), pid);
}

long set_soft_rlimit(int res, u64 soft) {
    rlimit64 lim{0, 0};
    long r = sys::prlimit64(0, res, nullptr, &lim);
    if (r < 0) return r;
    lim.rlim_cur = soft;
    if (lim.rlim_max < soft) lim.rlim_max = soft;
    return sys::prlimit64(0, res, &lim, nullptr);
}

long raise_soft_rlimit(int res, u64 at_least) {
    rlimit64 lim{0, 0};
    long r = sys::prlimit64(0, res, nullptr, &lim);
    if (r < 0 || lim.rlim_cur >= at_least) return r;
    lim.rlim_cur = at_least;
    if (lim.rlim_max < at_least) lim.rlim_max = at_least;
    return sys::prlimit64(0, res, &lim, nullptr);
}

u64 hard_rlimit(int res) {
    rlimit64 lim{0, RLIM_INFINITY};
    sys::prlimit64(0, res, nullptr, &lim);
    return lim.rlim_max;
}

void need_rlimit(int res, const char* name, u64 want) {
    u64 hard = hard_rlimit(res);
    // do_prlimit(): raising a hard limit takes capable(CAP_SYS_RESOURCE).
    if (hard >= want || kc::cap_usable(CAP_SYS_RESOURCE)) return;
    char reason[160];
    rt::Fmt f(reason, sizeof reason);
    f.s("needs ").s(name).s(" >= ").u(want).s("; its hard limit is ").u(hard);
    f.s(", and raising it takes CAP_SYS_RESOURCE");
    kc::skip(f.cstr());
}

void drop_privilege() {
    if (!kc::drop_capabilities()) sys::exit_group(kSkipStatus);
}

void need_lock_budget(usize pages) {
    // mlock(2): CAP_IPC_LOCK (capable(), the initial user namespace) lifts
    // RLIMIT_MEMLOCK.
    if (kc::cap_usable(CAP_IPC_LOCK)) return;
    rlimit64 lim{0, 0};
    if (sys::prlimit64(0, RLIMIT_MEMLOCK, nullptr, &lim) < 0) {
        sys::exit_group(kSkipStatus);
    }
    u64 need = pages > RLIM_INFINITY / kPage ? RLIM_INFINITY : pages * kPage;
    if (lim.rlim_cur >= need) return;
    if (lim.rlim_max < need || set_soft_rlimit(RLIMIT_MEMLOCK, lim.rlim_max) < 0)
        sys::exit_group(kSkipStatus);
}

usize mapped_pages() {
    long fd = sys::openat(AT_FDCWD, "/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ~usize(0);
    char buf[128] = {};
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    usize pages = 0;
    const char* p = buf;
    while (*p >= '0' && *p <= '9') pages = pages * 10 + usize(*p++ - '0');
    return n > 0 && p != buf ? pages : ~usize(0);
}

void normal_scheduling() {
    if (!kc::cap_usable(CAP_SYS_NICE)) return;
    sched_attr a{};
    a.size = sizeof a;
    a.sched_policy = SCHED_OTHER;
    long r = sys::sched_setattr(0, &a, 0);
    if (r == -ENOSYS) {
        // A kernel without sched_setattr (gVisor): the older calls do the same.
        sched_param p{};
        r = sys::sched_setscheduler(0, SCHED_OTHER, &p);
        if (r == 0) r = sys::setpriority(PRIO_PROCESS, 0, 0);
    }
    ASSERT_OK(r);
}

void need_leave_idle() {
    // Leaving SCHED_IDLE counts as raising the nice value
    // (user_check_sched_setscheduler), which takes CAP_SYS_NICE at RLIMIT_NICE 0.
    if (kc::environment().policy == SCHED_IDLE && !kc::cap_usable(CAP_SYS_NICE)) {
        kc::skip(
            "needs to leave SCHED_IDLE, which this run started under: that takes "
            "CAP_SYS_NICE");
    }
}

Sleeper start_sleeper() {
    int fds[2];
    ASSERT_OK(sys::pipe2(fds, O_CLOEXEC));
    long pid = sys::fork();
    if (pid == 0) {
        sys::close(fds[1]);
        char c;
        while (sys::read(fds[0], &c, 1) == -EINTR) {
        }
        sys::exit_group(0);
    }
    sys::close(fds[0]);
    if (pid < 0) sys::close(fds[1]);
    ASSERT_OK(pid);
    return {pid, fds[1]};
}

int stop_sleeper(Sleeper s) {
    sys::close(s.release_fd);
    return kc::wait_status(s.pid);
}

static volatile u8* g_touch_addr;

static void on_touch_fault(int sig, siginfo* si, void*) {
    int code = kFault | (sig == SIGSEGV ? kSegv : sig == SIGBUS ? kBus : 0) | (si->si_code & 0xf);
    if (si->fault.addr != (void*)g_touch_addr) code |= kWrongAddr;
    sys::exit_group(code);
}

enum Access { kReadByte, kWriteByte, kCallFn };

// touch() and call(): the access in a forked child, its fault as an exit status.
static int access_in_child(const volatile void* addr, Access how, int arg) {
    long pid = sys::fork();
    if (pid == 0) {
        g_touch_addr = (volatile u8*)addr;
        arch::KSigaction act = arch::make_sigaction((void*)on_touch_fault, SA_SIGINFO, 0);
        sys::rt_sigaction(SIGSEGV, &act, nullptr);
        sys::rt_sigaction(SIGBUS, &act, nullptr);
        if (how == kWriteByte) {
            *g_touch_addr = 0x5a;
        } else if (how == kReadByte) {
            (void)*g_touch_addr;
        } else {
            sys::exit_group(reinterpret_cast<int (*)(int)>(const_cast<void*>(addr))(arg));
        }
        sys::exit_group(0);
    }
    ASSERT_OK(pid);
    int st = kc::wait_status(pid);
    ASSERT_OK(st);
    return wifexited(st) ? wexitstatus(st) : 0x100 | wtermsig(st);
}

int touch(const volatile void* addr, bool write) {
    return access_in_child(addr, write ? kWriteByte : kReadByte, 0);
}

int call(const void* fn, int arg) { return access_in_child(fn, kCallFn, arg); }

}  // namespace mm
