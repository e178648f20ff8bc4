// SPDX-License-Identifier: MIT
// Per-signal row tables shared by the signal tests. Signal numbers are the
// kernel's: SIGRTMIN is 32 (a C library reserves a few and calls a higher
// number SIGRTMIN; the kernel does not). Default actions from signal(7).
#pragma once

#include "harness/test.hpp"

namespace signal {

enum Dfl : char { TERM = 'T', CORE = 'C', IGN = 'I', STOP = 'S', CONT = 'K' };
struct SigRow {
    const char* label;
    int sig;
    Dfl dfl;
};

// clang-format off
#define KC_STD_SIGNALS_1(X)                                                                    \
    X(SIGHUP, TERM) X(SIGINT, TERM) X(SIGQUIT, CORE) X(SIGILL, CORE) X(SIGTRAP, CORE)          \
    X(SIGABRT, CORE) X(SIGBUS, CORE) X(SIGFPE, CORE)
#define KC_STD_SIGNALS_2(X)                                                                    \
    X(SIGUSR1, TERM) X(SIGSEGV, CORE) X(SIGUSR2, TERM) X(SIGPIPE, TERM) X(SIGALRM, TERM)       \
    X(SIGTERM, TERM) X(SIGSTKFLT, TERM) X(SIGCHLD, IGN) X(SIGCONT, CONT)
#define KC_STD_SIGNALS_3(X)                                                                    \
    X(SIGTSTP, STOP) X(SIGTTIN, STOP) X(SIGTTOU, STOP) X(SIGURG, IGN) X(SIGXCPU, CORE)         \
    X(SIGXFSZ, CORE) X(SIGVTALRM, TERM) X(SIGPROF, TERM) X(SIGWINCH, IGN) X(SIGIO, TERM)       \
    X(SIGPWR, TERM) X(SIGSYS, CORE)
#define KC_RT_SIGNALS(X)                                                                       \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16)  \
    X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) \
    X(32)
#define KC_SIG_ROW(s, a) {#s, s, a},
#define KC_RT_ROW(k) {"SIGRTMIN+" #k, SIGRTMIN + k, TERM},

// Every signal the caller can catch, block or ignore: 1..64 but SIGKILL and
// SIGSTOP.
inline constexpr SigRow kCatchable[] = {
    KC_STD_SIGNALS_1(KC_SIG_ROW) KC_STD_SIGNALS_2(KC_SIG_ROW) KC_STD_SIGNALS_3(KC_SIG_ROW)
        KC_RT_SIGNALS(KC_RT_ROW)};
static_assert(sizeof(kCatchable) / sizeof(kCatchable[0]) == 62);

// Every signal 1..64 with its default action.
inline constexpr SigRow kAllSignals[] = {
    KC_STD_SIGNALS_1(KC_SIG_ROW) {"SIGKILL", SIGKILL, TERM},
    KC_STD_SIGNALS_2(KC_SIG_ROW) {"SIGSTOP", SIGSTOP, STOP},
    KC_STD_SIGNALS_3(KC_SIG_ROW) KC_RT_SIGNALS(KC_RT_ROW)};
static_assert(sizeof(kAllSignals) / sizeof(kAllSignals[0]) == 64);

// clang-format on

#undef KC_SIG_ROW
#undef KC_RT_ROW
#undef KC_STD_SIGNALS_1
#undef KC_STD_SIGNALS_2
#undef KC_STD_SIGNALS_3
#undef KC_RT_SIGNALS

// Thread-group and thread ids that are not positive: EINVAL for tgkill and
// rt_tgsigqueueinfo. An id of 1 stands for the caller's own.
struct IdRow {
    const char* label;
    int tgid, tid;
};
constexpr IdRow kBadIds[] = {{"tid=0", 1, 0},
                             {"tid=-1", 1, -1},
                             {"tid=INT_MIN", 1, INT_MIN},
                             {"tgid=0", 0, 1},
                             {"tgid=-1", -1, 1}};

}  // namespace signal
