// Helpers used by the tests of several areas (declared in
// tests/common/common_util.hpp). No tests here.
#include "tests/common/common_util.hpp"

#include "harness/test.hpp"
#include "rt/errno.hpp"
#include "rt/sys.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"

namespace common {

void sleep_ms(long ms) {
    timespec ts{ms / 1000, (ms % 1000) * 1000000};
    while (sys::nanosleep(&ts, &ts) == -EINTR) {
    }
}

void fill_bytes(void* p, u8 v, usize n) {
    u8* b = static_cast<u8*>(p);
    for (usize i = 0; i < n; ++i) b[i] = v;
}

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

}  // namespace common
