// SPDX-License-Identifier: MIT
// Helpers shared by the System V message queue tests (msgctl.cpp, msgsnd.cpp):
// a send and a non-blocking receive of short messages, and the row types of
// tables both files use.
#pragma once

#include "rt/sys_sysv.hpp"
#include "tests/sysv/sysv_util.hpp"

namespace sysv {

inline long send(int id, long type, const char* text, usize n, int flg = 0) {
    Msg<64> m{type, {}};
    __builtin_memcpy(m.text, text, n);
    return sys::msgsnd(id, &m, n, flg);
}

// Receives with IPC_NOWAIT; returns the mtype received, or -errno.
inline long recv_type(int id, long typ, int flg = 0) {
    Msg<64> m{};
    long r = sys::msgrcv(id, &m, sizeof m.text, typ, flg | IPC_NOWAIT);
    return r < 0 ? r : m.mtype;
}

struct Mode {
    const char* label;
    int mode;
};

struct Op {
    const char* label;
    int op;
};

}  // namespace sysv
