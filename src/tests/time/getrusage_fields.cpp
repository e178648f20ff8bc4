// SPDX-License-Identifier: MIT
// getrusage(2) and wait4(2): the fields of struct rusage that Linux does not
// maintain (ru_ixrss, ru_idrss, ru_isrss, ru_nswap, ru_msgsnd, ru_msgrcv,
// ru_nsignals) are written as zero, for every target and for a waited-for
// child, on a buffer pre-filled with other bytes.
// Left out: ru_majflt, ru_inblock and ru_oublock (they depend on the page
// cache and the file system), ru_nivcsw (whether the scheduler preempts a
// thread is the machine's doing); the other fields are in getrusage.cpp
// and tests/proc/wait.cpp.
#include "harness/test.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

// Indexes into rusage::fields (after ru_utime and ru_stime) of the fields
// getrusage(2) calls "unused" or "unmaintained" on Linux.
enum { IXRSS = 1, IDRSS = 2, ISRSS = 3, NSWAP = 6, MSGSND = 9, MSGRCV = 10, NSIGNALS = 11 };
constexpr int kUnmaintained[] = {IXRSS, IDRSS, ISRSS, NSWAP, MSGSND, MSGRCV, NSIGNALS};

struct Who {
    const char* label;
    int who;  // getrusage's target; -1: wait4's rusage of the child
};
constexpr Who kWho[] = {
    {"RUSAGE_SELF", RUSAGE_SELF},
    {"RUSAGE_CHILDREN", RUSAGE_CHILDREN},
    {"RUSAGE_THREAD", RUSAGE_THREAD},
    {"wait4", -1},
};

}  // namespace

// getrusage(2): "ru_ixrss (unmaintained) ... ru_nsignals (unmaintained):
// this field is currently unused on Linux": each is 0, for the process,
// its waited-for children (one has been), the thread, and in the rusage
// wait4(2) returns for a child (the kernel clears the whole struct before
// filling the fields it keeps).
TEST_P(getrusage, unmaintained_fields_zero, BOUNDARY, LINUX, kWho, .flags = kc::NEEDS_FORK) {
    long pid = proc::fork_exit(0);
    ASSERT_GT(pid, 0);
    rusage ru;
    common::fill_bytes(&ru, 0xa5, sizeof ru);
    if (row.who < 0) {
        int st = -1;
        ASSERT_RET(sys::wait4(int(pid), &st, 0, &ru), pid);
        EXPECT_EQ(st, 0);
    } else {
        EXPECT_CHILD_OK(pid);
        ASSERT_RET(sys::getrusage(row.who, &ru), 0);
    }
    for (int i : kUnmaintained) EXPECT_EQ(ru.fields[i], 0);
}
