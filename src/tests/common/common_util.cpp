// SPDX-License-Identifier: MIT
// Helpers used by the tests of several areas (declared in
// tests/common/common_util.hpp). No tests here.
#include "tests/common/common_util.hpp"

#include "harness/test.hpp"
#include "rt/errno.hpp"
#include "rt/fmt.hpp"
#include "rt/sys.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_futex.hpp"
#include "rt/sys_mm.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"

namespace common {

long read_proc(long pid, const char* file, char* buf, usize size) {
    char path[48];
    rt::Fmt f(path, sizeof path);
    f.s("/proc/").d(pid).s("/").s(file);
    long fd = sys::openat(AT_FDCWD, f.cstr(), O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return fd;
    long n = sys::read(int(fd), buf, size - 1);
    sys::close(int(fd));
    buf[n > 0 ? n : 0] = 0;
    return n;
}

char proc_state(long pid) {
    char buf[512];
    long n = read_proc(pid, "stat", buf, sizeof buf);
    for (long i = n - 1; i > 0; --i)
        if (buf[i] == ')' && i + 2 < n) return buf[i + 2];
    return 0;
}

Later::Later(long ms, void (*fn)(void*), void* arg) : ms_(ms), fn_(fn), arg_(arg) {
    thread::thread_start(t_, run, this);
}

Later::~Later() {
    u32 waiting = 0;
    if (__atomic_compare_exchange_n(&state_, &waiting, 1, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        sys::futex(&state_, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1);
    thread::thread_join(t_);
}

void Later::run(void* self) {
    auto* l = static_cast<Later*>(self);
    i64 end = kc::now_ns() + l->ms_ * 1000000;
    for (i64 now; (now = kc::now_ns()) < end;) {
        if (__atomic_load_n(&l->state_, __ATOMIC_ACQUIRE) != 0) return;
        timespec ts{(end - now) / 1000000000, (end - now) % 1000000000};
        sys::futex(&l->state_, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 0, &ts);
    }
    u32 waiting = 0;
    if (__atomic_compare_exchange_n(&l->state_, &waiting, 2, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        l->fn_(l->arg_);
}

bool on_overlayfs(int fd) {
    struct statfs sf {};
    return sys::fstatfs(fd, &sf) == 0 && sf.f_type == OVERLAYFS_SUPER_MAGIC;
}

void skip_on_overlayfs(int fd, const char* what) {
    if (!on_overlayfs(fd)) return;
    char buf[200];
    rt::Fmt f(buf, sizeof buf);
    f.s(what).s(": the scratch directory is on overlayfs, where Linux does not give it");
    kc::skip(f.cstr());
}

bool own_proc() {
    char buf[24];
    long n = sys::readlinkat(AT_FDCWD, "/proc/self", buf, sizeof buf - 1);
    if (n <= 0) return false;
    buf[n] = 0;
    long pid = -1;
    return rt::parse_long(buf, &pid) && pid == sys::getpid();
}

void unprivileged(void (*fn)(void*), const void* arg) {
    struct Call {
        void (*fn)(void*);
        const void* arg;
    } call{fn, arg};
    long pid = kc::spawn(
        [](void* p) {
            auto* c = static_cast<Call*>(p);
            if (!kc::drop_capabilities()) sys::exit_group(3);
            c->fn(const_cast<void*>(c->arg));
        },
        &call);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (wifexited(st) && wexitstatus(st) == 3) kc::skip("the kernel refuses to drop capabilities");
    EXPECT_TRUE(wifexited(st) && wexitstatus(st) == 0);
}

bool exited_with(long pid, int status) {
    siginfo si{};
    long r;
    do r = sys::waitid(P_PID, int(pid), &si, WEXITED | WNOWAIT, nullptr);
    while (r == -EINTR);
    return r == 0 && si.si_code == CLD_EXITED && si.child.status == status;
}

void sleep_ms(long ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    while (sys::nanosleep(&ts, &ts) == -EINTR) {
    }
}

bool write_proc(const char* path, const char* text) {
    long fd = sys::openat(AT_FDCWD, path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return false;
    long n = long(rt::strlen(text));
    bool ok = sys::write(int(fd), text, usize(n)) == n;
    sys::close(int(fd));
    return ok;
}

timespec in_ms(int clk, long ms) {
    timespec t{};
    sys::clock_gettime(clk, &t);
    t.tv_nsec += (ms % 1000) * 1000000;
    t.tv_sec += ms / 1000 + t.tv_nsec / 1000000000;
    t.tv_nsec %= 1000000000;
    return t;
}

void fill_bytes(void* p, u8 v, usize n) {
    u8* b = static_cast<u8*>(p);
    for (usize i = 0; i < n; ++i) b[i] = v;
}

namespace {
char* map_anon(usize len, int prot) {
    long r = sys::mmap(nullptr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return r < 0 && r >= -4095 ? nullptr : reinterpret_cast<char*>(r);
}
}  // namespace

AnonMap::AnonMap(usize len, int prot) : n(len), p(map_anon(len, prot)), guard(p, len) {}

void exec_helper(const char* self, const char* arg) {
    const char* argv[] = {self, arg, nullptr};
    const char* envp[] = {nullptr};
    sys::execve(argv[0], argv, envp);
    sys::exit_group(127);
}

long proc_number(const char* path) {
    long fd = sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    char buf[32];
    long n = sys::read(int(fd), buf, sizeof buf);
    sys::close(int(fd));
    if (n <= 0 || buf[0] < '0' || buf[0] > '9') return -1;
    long v = 0;
    for (long i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) v = v * 10 + (buf[i] - '0');
    return v;
}

namespace {
void restore_nofile(long cur, long max) {
    rlimit64 r{u64(cur), u64(max)};
    sys::prlimit64(0, RLIMIT_NOFILE, &r, nullptr);
}
}  // namespace

int limit_fd_room() {
    rlimit64 saved{};
    if (sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &saved) != 0) {
        kc::skip("prlimit64(RLIMIT_NOFILE) cannot read the limit");
    }
    int lowest = 0;
    while (sys::fcntl(lowest, F_GETFD) >= 0) ++lowest;
    u64 limit = u64(lowest) + kFdLeakRoom;
    if (limit >= saved.rlim_cur)
        return saved.rlim_cur > u64(lowest) ? int(saved.rlim_cur) - lowest : 0;
    rlimit64 nv{limit, saved.rlim_max};
    if (sys::prlimit64(0, RLIMIT_NOFILE, &nv, nullptr) != 0) kc::skip("cannot lower RLIMIT_NOFILE");
    kc::defer(restore_nofile, long(saved.rlim_cur), long(saved.rlim_max));
    return kFdLeakRoom;
}

namespace {
void restore_soft(long res, long cur) {
    rlimit64 r{};
    if (sys::prlimit64(0, int(res), nullptr, &r) != 0) return;
    r.rlim_cur = u64(cur);
    sys::prlimit64(0, int(res), &r, nullptr);
}

// Whether `bytes` more fit with the soft limit of `res` at `soft`: a
// mapping of that size (RLIMIT_AS), the break grown by that much
// (RLIMIT_DATA, which gVisor applies to the break only); undone at once.
bool fits_under(int res, u64 soft, u64 hard, usize bytes) {
    rlimit64 r{soft, hard};
    if (sys::prlimit64(0, res, &r, nullptr) != 0) return false;
    if (res == RLIMIT_DATA) {
        long b = sys::brk(nullptr);
        long g = sys::brk(reinterpret_cast<void*>(b + long(bytes)));
        if (g != b) sys::brk(reinterpret_cast<void*>(b));
        return g == b + long(bytes);
    }
    long m = sys::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m < 0 && m >= -4095) return false;
    sys::munmap(reinterpret_cast<void*>(m), bytes);
    return true;
}
}  // namespace

bool limit_vm_room(int res, usize bytes) {
    rlimit64 saved{};
    if (sys::prlimit64(0, res, nullptr, &saved) != 0) kc::skip("prlimit64 cannot read the limit");
    const u64 cur = saved.rlim_cur, max = saved.rlim_max;
    if (!fits_under(res, cur, max, bytes))
        kc::skip("less room left under the limit than the loop needs");
    if (kc::defer(restore_soft, long(res), long(cur)) < 0) kc::skip("the cleanup list is full");
    // Under a limit of one page, `bytes` (more than that) cannot fit.
    if (fits_under(res, 4096, max, bytes)) {
        restore_soft(res, long(cur));
        return false;
    }
    // The least limit under which `bytes` fit lies in (lo, hi]: at least
    // `bytes`, doubled until they fit (they do under `cur`).
    u64 lo = 4096, hi = bytes < cur ? bytes : cur;
    while (hi < cur && !fits_under(res, hi, max, bytes)) {
        lo = hi;
        hi = hi * 2 > hi && hi * 2 < cur ? hi * 2 : cur;
    }
    while (hi - lo > 4096) {
        u64 mid = lo + (hi - lo) / 2;
        if (fits_under(res, mid, max, bytes))
            hi = mid;
        else
            lo = mid;
    }
    rlimit64 r{hi, max};
    if (sys::prlimit64(0, res, &r, nullptr) != 0) kc::skip("cannot lower the limit");
    return true;
}

}  // namespace common
