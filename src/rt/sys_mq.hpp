// SPDX-License-Identifier: MIT
// POSIX message queues (mq_overview(7), include/uapi/linux/mqueue.h): the
// mq_* system calls and struct mq_attr, whose fields are longs on every
// architecture.
#pragma once

#include "rt/sys.hpp"

struct mq_attr {
    long mq_flags;
    long mq_maxmsg;
    long mq_msgsize;
    long mq_curmsgs;
    long reserved[4];
};
static_assert(sizeof(mq_attr) == 64);
inline constexpr unsigned MQ_PRIO_MAX = 32768;

namespace sys {

// mqd_t mq_open(const char *name, int oflag, mode_t mode, struct mq_attr *attr);
// The kernel takes the name WITHOUT the leading '/' that mq_open(3)
// requires: libc strips it.
inline long mq_open(const char* name, int oflag, int mode, mq_attr* attr) {
    return syscall4(nr::mq_open, L(name), oflag, mode, L(attr));
}
// int mq_unlink(const char *name);
inline long mq_unlink(const char* name) { return syscall1(nr::mq_unlink, L(name)); }
// int mq_timedsend(mqd_t q, const char *msg, size_t n, unsigned prio, const struct timespec *abs);
inline long mq_timedsend(int mqd, const void* msg, usize len, unsigned prio, const timespec* abs) {
    return syscall5(nr::mq_timedsend, mqd, L(msg), L(len), prio, L(abs));
}
// ssize_t mq_timedreceive(mqd_t q, char *msg, size_t n, unsigned *prio, const struct timespec *t);
inline long mq_timedreceive(int mqd, void* buf, usize len, unsigned* prio, const timespec* abs) {
    return syscall5(nr::mq_timedreceive, mqd, L(buf), L(len), L(prio), L(abs));
}
// int mq_notify(mqd_t mqdes, const struct sigevent *sevp);
inline long mq_notify(int mqd, const sigevent* ev) { return syscall2(nr::mq_notify, mqd, L(ev)); }
// int mq_getsetattr(mqd_t mqdes, const struct mq_attr *newattr, struct mq_attr *oldattr);
inline long mq_getsetattr(int mqd, const mq_attr* nv, mq_attr* old) {
    return syscall3(nr::mq_getsetattr, mqd, L(nv), L(old));
}

}  // namespace sys
