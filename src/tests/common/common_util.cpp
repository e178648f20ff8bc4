// Helpers used by the tests of several areas (declared in
// tests/common/common_util.hpp). No tests here.
#include "tests/common/common_util.hpp"

#include "rt/errno.hpp"
#include "rt/sys.hpp"
#include "rt/sys_proc.hpp"

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

}  // namespace common
