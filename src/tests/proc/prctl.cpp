// SPDX-License-Identifier: MIT
// prctl(2) basics: PR_SET_NAME/PR_GET_NAME (16-byte comm, truncation,
// inheritance), PR_SET_PDEATHSIG/PR_GET_PDEATHSIG (delivery on the parent's
// death, cleared in fork children), PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER
// (an orphan is re-parented to the subreaper), PR_SET_NO_NEW_PRIVS and
// PR_CAPBSET_READ, with the EINVAL/EFAULT cases. Every setting is changed in
// a child: they are process attributes the harness must keep.
// Not covered: seccomp, capabilities changes, PR_SET_MM, timer slack, THP.
#include "tests/common/common_util.hpp"
#include "tests/proc/proc_util.hpp"

namespace {

// In a child: PR_GET_NAME into a 16-byte buffer, compared with `want`.
void expect_name(const char* want) {
    char got[16];
    for (char& c : got) c = 'X';
    ASSERT_OK(sys::prctl(PR_GET_NAME, long(got)));
    usize n = rt::strlen(want);
    EXPECT_MEM_EQ(got, want, n + 1);
}

}  // namespace

struct Name {
    const char* label;
    const char* set;
    const char* want;
};
// prctl(2) PR_SET_NAME: the name is cut to 15 bytes plus a NUL.
constexpr Name kNames[] = {
    {"len=0", "", ""},
    {"len=1", "a", "a"},
    {"len=7", "kc-test", "kc-test"},
    {"len=15", "fifteen-chars-x", "fifteen-chars-x"},
    {"len=16", "sixteen-chars-xy", "sixteen-chars-x"},
    {"len=40", "a-very-long-process-name-for-the-kernel", "a-very-long-pro"},
};
TEST_P(prctl, set_name_get_name, BOUNDARY, LINUX, kNames, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void* arg) {
            const Name& r = *static_cast<const Name*>(arg);
            ASSERT_OK(sys::prctl(PR_SET_NAME, long(r.set)));
            expect_name(r.want);
        },
        const_cast<Name*>(&row));
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_GET_NAME: exactly 16 bytes are written, NUL-padded after the
// name; the bytes after them are untouched.
TEST(prctl, get_name_writes_16_bytes, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_NAME, long("abc")));
            char buf[32];
            for (char& c : buf) c = 'X';
            ASSERT_OK(sys::prctl(PR_GET_NAME, long(buf)));
            EXPECT_MEM_EQ(buf, "abc\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
            EXPECT_MEM_EQ(buf + 16, "XXXXXXXXXXXXXXXX", 16);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_SET_NAME: the name is what /proc/self/comm shows.
TEST(prctl, name_in_proc_comm, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long probe = sys::openat(AT_FDCWD, "/proc/self/comm", O_RDONLY | O_CLOEXEC);
    if (probe < 0) kc::skip("no /proc/self/comm");
    sys::close(int(probe));
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_NAME, long("kc-comm")));
            long fd = sys::openat(AT_FDCWD, "/proc/self/comm", O_RDONLY | O_CLOEXEC);
            ASSERT_OK(fd);
            char buf[32] = {};
            EXPECT_RET(sys::read(int(fd), buf, sizeof buf), 8);
            EXPECT_MEM_EQ(buf, "kc-comm\n", 8);
            sys::close(int(fd));
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_SET_NAME: a fork child inherits the name.
TEST(prctl, name_inherited_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_NAME, long("kc-parent")));
            long kid = sys::fork();
            if (kid == 0) {
                char got[16] = {};
                sys::prctl(PR_GET_NAME, long(got));
                sys::exit_group(rt::streq(got, "kc-parent") ? 0 : 1);
            }
            EXPECT_EQ(kc::wait_status(kid), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2): EFAULT for an unreadable PR_SET_NAME or unwritable PR_GET_NAME
// buffer.
TEST(prctl, name_bad_pointer_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::prctl(PR_GET_NAME, 8), EFAULT);
    EXPECT_ERR(sys::prctl(PR_SET_NAME, 8), EFAULT);
}

// prctl(2) PR_SET_PDEATHSIG: the value reads back with PR_GET_PDEATHSIG, and
// 0 clears it.
TEST(prctl, pdeathsig_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            int sig = -1;
            ASSERT_OK(sys::prctl(PR_GET_PDEATHSIG, long(&sig)));
            EXPECT_EQ(sig, 0);
            ASSERT_OK(sys::prctl(PR_SET_PDEATHSIG, SIGUSR1));
            EXPECT_OK(sys::prctl(PR_GET_PDEATHSIG, long(&sig)));
            EXPECT_EQ(sig, SIGUSR1);
            ASSERT_OK(sys::prctl(PR_SET_PDEATHSIG, SIGRTMAX));
            EXPECT_OK(sys::prctl(PR_GET_PDEATHSIG, long(&sig)));
            EXPECT_EQ(sig, SIGRTMAX);
            ASSERT_OK(sys::prctl(PR_SET_PDEATHSIG, 0));
            EXPECT_OK(sys::prctl(PR_GET_PDEATHSIG, long(&sig)));
            EXPECT_EQ(sig, 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct BadSig {
    const char* label;
    long sig;
};
constexpr BadSig kBadSigs[] = {{"sig=65", 65}, {"sig=-1", -1}, {"sig=1000", 1000}};
// prctl(2) PR_SET_PDEATHSIG: a signal number that is not valid is EINVAL.
TEST_P(prctl, pdeathsig_bad_signal_einval, NEGATIVE, LINUX, kBadSigs) {
    EXPECT_ERR(sys::prctl(PR_SET_PDEATHSIG, row.sig), EINVAL);
}

// prctl(2) PR_SET_PDEATHSIG: cleared in the child of a fork.
TEST(prctl, pdeathsig_cleared_by_fork, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_PDEATHSIG, SIGUSR1));
            long kid = sys::fork();
            if (kid == 0) {
                int sig = -1;
                sys::prctl(PR_GET_PDEATHSIG, long(&sig));
                sys::exit_group(sig == 0 ? 0 : 1);
            }
            EXPECT_EQ(kc::wait_status(kid), 0);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_SET_PDEATHSIG: when the parent dies the child gets the signal
// (here SIGUSR2, default action: terminate). Run under a subreaper so the
// orphan can be reaped and its end seen.
TEST(prctl, pdeathsig_delivered_on_parent_death, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_CHILD_SUBREAPER, 1));
            volatile long* page = proc::shared_page();
            ASSERT_TRUE(page != nullptr);
            page[0] = 0;
            int ready[2];
            ASSERT_OK(sys::pipe2(ready, O_CLOEXEC));
            long mid = sys::fork();
            if (mid == 0) {
                long kid = sys::fork();
                if (kid == 0) {
                    proc::default_signal(SIGUSR2);
                    long me = sys::getppid();
                    sys::prctl(PR_SET_PDEATHSIG, SIGUSR2);
                    if (sys::getppid() != me) sys::exit_group(2);  // parent gone already
                    sys::write(ready[1], "r", 1);
                    for (int i = 0; i < 200; ++i) common::sleep_ms(10);  // killed long before
                    sys::exit_group(0);
                }
                page[0] = kid;
                char c;
                sys::read(ready[0], &c, 1);
                sys::exit_group(0);  // the death that triggers the signal
            }
            EXPECT_EQ(kc::wait_status(mid), 0);
            long kid = page[0];
            ASSERT_GT(kid, 0);
            EXPECT_EQ(kc::wait_status(kid), SIGUSR2);  // re-parented to us, killed by SIGUSR2
            sys::close(ready[0]);
            sys::close(ready[1]);
            proc::free_page(page);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_SET_CHILD_SUBREAPER: the flag reads back, and an orphaned
// grandchild is re-parented to the subreaper: its getppid() changes from
// the dead parent to the subreaper's pid.
TEST(prctl, child_subreaper_adopts_orphan, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            int flag = -1;
            ASSERT_OK(sys::prctl(PR_GET_CHILD_SUBREAPER, long(&flag)));
            EXPECT_EQ(flag, 0);  // not inherited from the harness
            ASSERT_OK(sys::prctl(PR_SET_CHILD_SUBREAPER, 1));
            ASSERT_OK(sys::prctl(PR_GET_CHILD_SUBREAPER, long(&flag)));
            EXPECT_EQ(flag, 1);
            volatile long* page = proc::shared_page();
            ASSERT_TRUE(page != nullptr);
            page[0] = 0;
            page[1] = 0;
            page[2] = 0;
            int ready[2];
            ASSERT_OK(sys::pipe2(ready, O_CLOEXEC));
            long mid = sys::fork();
            if (mid == 0) {
                long kid = sys::fork();
                if (kid == 0) {
                    long first = sys::getppid();
                    page[1] = first;
                    sys::write(ready[1], "r", 1);  // now the parent may die
                    long now = first;
                    for (int i = 0; i < 2000 && now == first; ++i) {
                        common::sleep_ms(1);
                        now = sys::getppid();
                    }
                    page[2] = now;
                    sys::exit_group(0);
                }
                page[0] = kid;
                char c;
                if (kid > 0) sys::read(ready[0], &c, 1);
                sys::exit_group(0);
            }
            if (mid == -EAGAIN) sys::exit_group(proc::kNoProcessStatus);
            ASSERT_GT(mid, 0);
            EXPECT_EQ(kc::wait_status(mid), 0);
            long kid = page[0];
            if (kid == -EAGAIN) sys::exit_group(proc::kNoProcessStatus);
            ASSERT_GT(kid, 0);
            EXPECT_EQ(kc::wait_status(kid), 0);  // ours now: we can reap it
            EXPECT_EQ(page[1], mid);
            EXPECT_EQ(page[2], sys::getpid());
            sys::close(ready[0]);
            sys::close(ready[1]);
            proc::free_page(page);
        },
        nullptr);
    proc::expect_spawned_ok(pid);
}

// prctl(2) PR_SET_DUMPABLE: 0 and 1 read back with PR_GET_DUMPABLE; 2
// (SUID_DUMP_ROOT) and larger values are EINVAL for prctl.
TEST(prctl, dumpable_round_trip, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            ASSERT_OK(sys::prctl(PR_SET_DUMPABLE, 0));
            EXPECT_RET(sys::prctl(PR_GET_DUMPABLE), 0);
            ASSERT_OK(sys::prctl(PR_SET_DUMPABLE, 1));
            EXPECT_RET(sys::prctl(PR_GET_DUMPABLE), 1);
            EXPECT_ERR(sys::prctl(PR_SET_DUMPABLE, 2), EINVAL);
            EXPECT_ERR(sys::prctl(PR_SET_DUMPABLE, -1), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_DUMPABLE), 1);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_SET_NO_NEW_PRIVS: once set it reads back 1, is inherited by
// fork children and cannot be unset (0 is EINVAL); unused arguments must be
// zero.
TEST(prctl, no_new_privs_sticky, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            EXPECT_ERR(sys::prctl(PR_SET_NO_NEW_PRIVS, 1, 1), EINVAL);
            ASSERT_OK(sys::prctl(PR_SET_NO_NEW_PRIVS, 1));
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), 1);
            EXPECT_ERR(sys::prctl(PR_SET_NO_NEW_PRIVS, 0), EINVAL);
            EXPECT_RET(sys::prctl(PR_GET_NO_NEW_PRIVS), 1);
            long kid = sys::fork();
            if (kid == 0) sys::exit_group(int(sys::prctl(PR_GET_NO_NEW_PRIVS)));
            EXPECT_EQ(kc::wait_status(kid), 1 << 8);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prctl(2) PR_CAPBSET_READ: 0 or 1 for a valid capability, EINVAL past the
// last one the kernel knows.
TEST(prctl, capbset_read, BOUNDARY, LINUX) {
    long r = sys::prctl(PR_CAPBSET_READ, CAP_CHOWN);
    EXPECT_TRUE(r == 0 || r == 1);
    EXPECT_ERR(sys::prctl(PR_CAPBSET_READ, 1000), EINVAL);
    EXPECT_ERR(sys::prctl(PR_CAPBSET_READ, -1), EINVAL);
}

struct Op {
    const char* label;
    int op;
};
constexpr Op kBadOps[] = {{"op=0", 0}, {"op=9999", 9999}, {"op=INT_MAX", INT_MAX}, {"op=-1", -1}};
// prctl(2): an unknown operation is EINVAL.
TEST_P(prctl, unknown_option_einval, NEGATIVE, LINUX, kBadOps) {
    EXPECT_ERR(sys::prctl(row.op, 0, 0, 0, 0), EINVAL);
}
