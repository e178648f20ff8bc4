// SPDX-License-Identifier: MIT
// A pseudo-terminal pair to use as a controlling terminal, for the tests of
// sessions (setsid) and hangups (vhangup): a terminal of the test's own, so
// that nothing touches the terminal the run may have.
#pragma once

#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_tty.hpp"

namespace common {

// Skips the test when no pseudo-terminal can be made here (no /dev/ptmx, or
// it is refused). Call in the test's process, before the children.
inline void require_pty() {
    long fd = sys::openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) kc::skip("needs a pseudo-terminal: /dev/ptmx cannot be opened");
    sys::close(int(fd));
}

// Opens a new pair (the master with O_NOCTTY) and its slave with O_RDWR |
// O_CLOEXEC | `slave_flags`. Returns false (and closes what it opened) when a
// step failed.
inline bool open_pty(int& master, int& slave, int slave_flags) {
    long m = sys::openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0) return false;
    unsigned n = 0;
    int unlock = 0;
    char path[32];
    long s = -1;
    if (sys::ioctl(int(m), TIOCGPTN, long(&n)) == 0 &&
        sys::ioctl(int(m), TIOCSPTLCK, long(&unlock)) == 0) {
        rt::Fmt(path, sizeof path).s("/dev/pts/").u(n).cstr();
        s = sys::openat(AT_FDCWD, path, O_RDWR | O_CLOEXEC | slave_flags);
    }
    if (s < 0) {
        sys::close(int(m));
        return false;
    }
    master = int(m);
    slave = int(s);
    return true;
}

// In a session leader without a controlling terminal (a child that just
// called setsid()): opens a new pair and its slave without O_NOCTTY, which
// makes the slave the session's controlling terminal.
inline bool open_pty_ctty(int& master, int& slave) { return open_pty(master, slave, 0); }

}  // namespace common
