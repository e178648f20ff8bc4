// SPDX-License-Identifier: MIT
// Terminals: the ioctl(2) requests for pseudo-terminal pairs and the
// controlling terminal (ioctl_tty(2), pty(7)), from
// include/uapi/asm-generic/ioctls.h; x86-64, aarch64 and riscv64 share these
// values. The call itself is sys::ioctl (rt/sys.hpp).
#pragma once

#include "rt/sys.hpp"

// int ioctl(int fd, TIOCSCTTY, int steal);   make fd's terminal the controlling one
// int ioctl(int fd, TIOCNOTTY);              give up the controlling terminal
// int ioctl(int fd, TIOCGSID, pid_t *sid);   the session fd's terminal controls
inline constexpr unsigned long TIOCSCTTY = 0x540E, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429;
// int ioctl(int master, TIOCGPTN, unsigned int *n);  the slave's number (/dev/pts/n)
// int ioctl(int master, TIOCSPTLCK, int *lock);      lock (1) or unlock (0) the slave
inline constexpr unsigned long TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431;
