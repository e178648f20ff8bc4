// SPDX-License-Identifier: MIT
// Time beyond rt/sys.hpp (which has the sleeps, clock_gettime,
// clock_getres, gettimeofday, setitimer and timer_create/settime/delete):
// setting clocks, interval and POSIX timer queries, alarm, time, timerfd and
// process times. Clock ids, struct itimerval/itimerspec and sigevent are in
// rt/types.hpp. Everything here has the same layout on x86-64, aarch64 and
// riscv64; calls some architectures lack (alarm, time) have nr::NAME == -1
// there and their tests use REQUIRE_NR.
#pragma once

#include "rt/sys.hpp"

// timerfd_create(2) / timerfd_settime(2) flags.
inline constexpr int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
inline constexpr int TFD_CLOEXEC = O_CLOEXEC, TFD_NONBLOCK = O_NONBLOCK;

// times(2): four clock_t (long) counts in USER_HZ ticks.
struct tms {
    long tms_utime;
    long tms_stime;
    long tms_cutime;
    long tms_cstime;
};
static_assert(sizeof(tms) == 32);

namespace sys {

// int getitimer(int which, struct itimerval *curr_value);
inline long getitimer(int which, itimerval* cur) { return syscall2(nr::getitimer, which, L(cur)); }
// unsigned int alarm(unsigned int seconds);
inline long alarm(unsigned seconds) { return syscall1(nr::alarm, seconds); }
// time_t time(time_t *tloc);
inline long time(long* t) { return syscall1(nr::time, L(t)); }
// int timer_gettime(timer_t timerid, struct itimerspec *curr_value);
inline long timer_gettime(int id, itimerspec* cur) {
    return syscall2(nr::timer_gettime, id, L(cur));
}
// int timer_getoverrun(timer_t timerid);
inline long timer_getoverrun(int id) { return syscall1(nr::timer_getoverrun, id); }
// int timerfd_create(int clockid, int flags);
inline long timerfd_create(int clk, int flags) { return syscall2(nr::timerfd_create, clk, flags); }
// int timerfd_settime(int fd, int flags, const struct itimerspec *new, struct itimerspec *old);
inline long timerfd_settime(int fd, int flags, const itimerspec* nv, itimerspec* old) {
    return syscall4(nr::timerfd_settime, fd, flags, L(nv), L(old));
}
// int timerfd_gettime(int fd, struct itimerspec *curr_value);
inline long timerfd_gettime(int fd, itimerspec* cur) {
    return syscall2(nr::timerfd_gettime, fd, L(cur));
}
// int clock_settime(clockid_t clockid, const struct timespec *tp);
inline long clock_settime(int clk, const timespec* ts) {
    return syscall2(nr::clock_settime, clk, L(ts));
}
// int settimeofday(const struct timeval *tv, const struct timezone *tz);
inline long settimeofday(const timeval* tv, const timezone* tz) {
    return syscall2(nr::settimeofday, L(tv), L(tz));
}
// clock_t times(struct tms *buf);
inline long times(tms* t) { return syscall1(nr::times, L(t)); }

}  // namespace sys
