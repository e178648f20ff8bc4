// SPDX-License-Identifier: MIT
// Resource limits: getrlimit(2), setrlimit(2), prlimit64(2). Every change
// is made in a child (kc::spawn) or to a child, so the test process and the
// harness keep their limits; hard limits are raised only in a child, and
// only with CAP_SYS_RESOURCE. Values are chosen below the run's own hard
// limit (prlimit --nofile=64 leaves no room above it).
// Covers reading all resources, enforcement of RLIMIT_NOFILE (EMFILE from
// dup/open/pipe, EINVAL/EBADF for descriptors above the limit), RLIMIT_FSIZE
// (short write, EFBIG), RLIMIT_AS (ENOMEM) and RLIMIT_NPROC (EAGAIN), and the
// exact errnos: soft above hard, raising the hard limit without privilege,
// unknown resources, foreign or missing processes, bad pointers.
// getrlimit/setrlimit and the POSIX resources (CORE, CPU, DATA, FSIZE,
// NOFILE, STACK, AS) are XSI: tagged PSE53; prlimit64 and the Linux
// resources are LINUX. riscv64 has only prlimit64 (REQUIRE_NR elsewhere).
// Not covered: RLIMIT_CPU/RTTIME (need seconds of CPU), RLIMIT_STACK growth.
#include "tests/proc/proc_util.hpp"

namespace {

struct Res {
    const char* label;
    int res;
};
constexpr Res kAllRes[] = {
    {"CPU", RLIMIT_CPU},           {"FSIZE", RLIMIT_FSIZE},
    {"DATA", RLIMIT_DATA},         {"STACK", RLIMIT_STACK},
    {"CORE", RLIMIT_CORE},         {"RSS", RLIMIT_RSS},
    {"NPROC", RLIMIT_NPROC},       {"NOFILE", RLIMIT_NOFILE},
    {"MEMLOCK", RLIMIT_MEMLOCK},   {"AS", RLIMIT_AS},
    {"LOCKS", RLIMIT_LOCKS},       {"SIGPENDING", RLIMIT_SIGPENDING},
    {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},
    {"RTPRIO", RLIMIT_RTPRIO},     {"RTTIME", RLIMIT_RTTIME},
};
constexpr Res kBadRes[] = {
    {"res=16", RLIM_NLIMITS}, {"res=17", 17},           {"res=1024", 1024},
    {"res=-1", -1},           {"res=INT_MIN", INT_MIN},
};

// In a child: sets RLIMIT_NOFILE to {soft, hard}; false on failure.
bool set_nofile(u64 soft, u64 hard) {
    rlimit64 r{soft, hard};
    return sys::prlimit64(0, RLIMIT_NOFILE, &r, nullptr) == 0;
}

// `want`, or the hard limit of `res` when that is lower: a limit the caller
// may set without CAP_SYS_RESOURCE.
u64 within_hard(int res, u64 want) {
    rlimit64 r{};
    if (sys::prlimit64(0, res, nullptr, &r) == 0 && r.rlim_max < want) return r.rlim_max;
    return want;
}

}  // namespace

// getrlimit(2): every resource reads back the same as prlimit64 with no new
// value, and the soft limit never exceeds the hard one.
TEST_P(getrlimit, matches_prlimit64, POSITIVE, LINUX, kAllRes) {
    REQUIRE_NR(getrlimit);
    rlimit64 a{1, 1}, b{2, 2};
    EXPECT_OK(sys::getrlimit(row.res, &a));
    EXPECT_OK(sys::prlimit64(0, row.res, nullptr, &b));
    EXPECT_EQ(a.rlim_cur, b.rlim_cur);
    EXPECT_EQ(a.rlim_max, b.rlim_max);
    EXPECT_TRUE(a.rlim_cur <= a.rlim_max);
}

// getrlimit(2): EINVAL for a resource number out of range.
TEST_P(getrlimit, bad_resource_einval, NEGATIVE, LINUX, kBadRes) {
    REQUIRE_NR(getrlimit);
    rlimit64 r{};
    EXPECT_ERR(sys::getrlimit(row.res, &r), EINVAL);
}

// getrlimit(2): EFAULT for an unwritable result pointer.
TEST(getrlimit, bad_pointer_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(getrlimit);
    EXPECT_ERR(sys::getrlimit(RLIMIT_NOFILE, reinterpret_cast<rlimit64*>(8)), EFAULT);
}

// setrlimit(2): setting every resource to its current values is accepted
// and changes nothing (in a child).
TEST_P(setrlimit, current_values_accepted, BOUNDARY, LINUX, kAllRes, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long pid = kc::spawn(
        [](void* arg) {
            int res = static_cast<const Res*>(arg)->res;
            rlimit64 cur{}, after{};
            ASSERT_OK(sys::prlimit64(0, res, nullptr, &cur));
            EXPECT_OK(sys::setrlimit(res, &cur));
            EXPECT_OK(sys::prlimit64(0, res, nullptr, &after));
            EXPECT_EQ(after.rlim_cur, cur.rlim_cur);
            EXPECT_EQ(after.rlim_max, cur.rlim_max);
        },
        const_cast<Res*>(&row));
    EXPECT_CHILD_OK(pid);
}

// setrlimit(2): EINVAL for a resource number out of range.
TEST_P(setrlimit, bad_resource_einval, NEGATIVE, LINUX, kBadRes) {
    REQUIRE_NR(setrlimit);
    rlimit64 r{0, 0};
    EXPECT_ERR(sys::setrlimit(row.res, &r), EINVAL);
}

// POSIX setrlimit: a soft limit above the hard limit is EINVAL, and the
// limits stay as they were.
TEST(setrlimit, soft_above_hard_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long pid = kc::spawn(
        [](void*) {
            u64 hard = within_hard(RLIMIT_NOFILE, 200);
            ASSERT_TRUE(set_nofile(hard / 2, hard));
            rlimit64 bad{hard + 1, hard};
            EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
            rlimit64 inf{RLIM_INFINITY, hard};
            EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, &inf), EINVAL);
            rlimit64 cur{};
            EXPECT_OK(sys::getrlimit(RLIMIT_NOFILE, &cur));
            EXPECT_EQ(cur.rlim_cur, hard / 2);
            EXPECT_EQ(cur.rlim_max, hard);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setrlimit: raising a hard limit needs privilege (CAP_SYS_RESOURCE):
// EPERM without capabilities (the hard limit is first lowered, so the test
// does not depend on it).
TEST(setrlimit, raise_hard_unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            u64 hard = within_hard(RLIMIT_NOFILE, 128);
            ASSERT_TRUE(set_nofile(hard / 2, hard));
            rlimit64 up{hard / 2, hard + 1};
            EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, &up), EPERM);
            rlimit64 core{0, 0};
            ASSERT_OK(sys::setrlimit(RLIMIT_CORE, &core));
            rlimit64 core_up{0, 1};
            EXPECT_ERR(sys::setrlimit(RLIMIT_CORE, &core_up), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX setrlimit: a privileged process (CAP_SYS_RESOURCE) may raise its
// hard limit again.
TEST(setrlimit, raise_hard_privileged, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    kc::require_cap(CAP_SYS_RESOURCE);  // do_prlimit(): capable(), the initial user namespace
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(set_nofile(64, 128));
            rlimit64 up{64, 256};
            EXPECT_OK(sys::setrlimit(RLIMIT_NOFILE, &up));
            rlimit64 cur{};
            EXPECT_OK(sys::getrlimit(RLIMIT_NOFILE, &cur));
            EXPECT_EQ(cur.rlim_max, 256);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// setrlimit(2): RLIMIT_NOFILE above /proc/sys/fs/nr_open is EPERM even for
// root.
TEST(setrlimit, nofile_above_nr_open_eperm, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long fd = sys::openat(AT_FDCWD, "/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC);
    if (fd < 0) kc::skip("no /proc/sys/fs/nr_open");
    char buf[32] = {};
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    long nr_open = 0;
    if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
    ASSERT_TRUE(n > 0 && rt::parse_long(buf, &nr_open));
    static long limit;
    limit = nr_open;
    long pid = kc::spawn(
        [](void*) {
            rlimit64 cur{};
            ASSERT_OK(sys::getrlimit(RLIMIT_NOFILE, &cur));
            rlimit64 over{u64(limit) + 1, u64(limit) + 1};
            EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, &over), EPERM);
            rlimit64 soft{u64(limit) + 1, cur.rlim_max};
            if (cur.rlim_max > u64(limit)) EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, &soft), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX RLIMIT_NOFILE: with the soft limit at 64, descriptors are handed out
// only below 64: dup then fails with EMFILE, as do openat and pipe2;
// F_DUPFD at 64 is EINVAL, dup3 onto 64 is EBADF. Closing one descriptor
// makes room for exactly one more.
TEST(setrlimit, nofile_enforced, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long pid = kc::spawn(
        [](void*) {
            int p[2];
            ASSERT_OK(sys::pipe2(p, 0));
            rlimit64 lim{64, 64};
            ASSERT_RET(sys::setrlimit(RLIMIT_NOFILE, &lim), 0);
            long last = -1;
            for (int i = 0; i < 64; ++i) {
                long r = sys::dup(p[0]);
                if (r < 0) {
                    EXPECT_ERR(r, EMFILE);
                    break;
                }
                EXPECT_LT(r, 64);
                last = r;
            }
            ASSERT_GE(last, 0);
            EXPECT_ERR(sys::dup(p[0]), EMFILE);
            EXPECT_ERR(sys::openat(AT_FDCWD, "/", O_RDONLY | O_CLOEXEC), EMFILE);
            int q[2];
            EXPECT_ERR(sys::pipe2(q, 0), EMFILE);
            EXPECT_ERR(sys::fcntl(p[0], F_DUPFD, 64), EINVAL);
            EXPECT_ERR(sys::dup3(p[0], 64, 0), EBADF);
            EXPECT_OK(sys::close(int(last)));
            EXPECT_RET(sys::dup(p[0]), last);
            EXPECT_ERR(sys::dup(p[0]), EMFILE);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX RLIMIT_FSIZE: a write that would cross the limit writes up to it;
// the next one fails with EFBIG (SIGXFSZ is ignored here).
TEST(setrlimit, fsize_enforced, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    REQUIRE_NR(setrlimit);
    kc::scratch_fd();
    long pid = kc::spawn(
        [](void*) {
            proc::set_handler(SIGXFSZ, SIG_IGN);
            long fd = sys::openat(kc::scratch_fd(), "big", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
            ASSERT_OK(fd);
            rlimit64 r{10, 10};
            ASSERT_OK(sys::setrlimit(RLIMIT_FSIZE, &r));
            EXPECT_RET(sys::write(int(fd), "0123456789abcdef", 16), 10);
            EXPECT_ERR(sys::write(int(fd), "x", 1), EFBIG);
            EXPECT_RET(sys::lseek(int(fd), 0, SEEK_END), 10);
            sys::close(int(fd));
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX RLIMIT_FSIZE: crossing the limit with SIGXFSZ at its default action
// ends the process with SIGXFSZ.
TEST(setrlimit, fsize_sigxfsz_default, BOUNDARY, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    REQUIRE_NR(setrlimit);
    long fd = sys::openat(kc::scratch_fd(), "big", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    long pid = sys::fork();
    if (pid == 0) {
        proc::no_core();
        proc::default_signal(SIGXFSZ);
        rlimit64 r{4, 4};
        sys::setrlimit(RLIMIT_FSIZE, &r);
        sys::write(int(fd), "abcd", 4);
        sys::write(int(fd), "e", 1);
        sys::exit_group(0);
    }
    ASSERT_GT(pid, 0);
    EXPECT_EQ(kc::wait_status(pid), SIGXFSZ);
    EXPECT_RET(sys::lseek(int(fd), 0, SEEK_END), 4);
    sys::close(int(fd));
}

// POSIX RLIMIT_AS: a mapping that would take the address space above the
// limit (256 MiB, or the run's hard limit when that is lower) fails with
// ENOMEM; a small one still works.
TEST(setrlimit, address_space_enforced, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(setrlimit);
    long pid = kc::spawn(
        [](void*) {
            u64 limit = within_hard(RLIMIT_AS, 256ull << 20);
            rlimit64 r{limit, limit};
            ASSERT_OK(sys::setrlimit(RLIMIT_AS, &r));
            EXPECT_ERR(sys::mmap(nullptr, 2 * limit, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                       ENOMEM);
            long m = sys::mmap(nullptr, 1 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            EXPECT_OK(m);
            if (m > 0) sys::munmap(reinterpret_cast<void*>(m), 1 << 20);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// setrlimit(2) RLIMIT_NPROC: an unprivileged user at its process limit
// cannot fork: EAGAIN. Linux enforces the limit neither with CAP_SYS_RESOURCE
// or CAP_SYS_ADMIN nor for the root user of the initial user namespace
// (kernel/fork.c, INIT_USER), whatever its capabilities: the child drops its
// capabilities, and keeps this run's uid unless that uid stands for root
// outside (unshare -r, bwrap --uid 1000 started by root) or is unmapped; then
// it becomes another user the probe found.
// EXCLUSIVE: RLIMIT_NPROC counts every process of the user, so tests running beside it would change
// the count.
TEST(setrlimit, nproc_enforced_eagain, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    REQUIRE_NR(setrlimit);
    static bool switch_user;
    switch_user = proc::outer_uid(u32(sys::getuid())) <= 0;
    if (switch_user) {
        const kc::Environment& e = kc::environment();
        if (!e.nother_uids || proc::outer_uid(e.other_uids[0]) <= 0) {
            kc::skip(
                "needs a user other than root of the initial user namespace (RLIMIT_NPROC "
                "does not bind it): this run's uid is root there or unmapped, and no other "
                "uid is usable");
        }
        kc::require_other_user();
    }
    long pid = kc::spawn(
        [](void*) {
            if (switch_user) ASSERT_TRUE(kc::become_other_user());
            ASSERT_TRUE(kc::drop_capabilities());
            rlimit64 r{0, 0};
            ASSERT_OK(sys::setrlimit(RLIMIT_NPROC, &r));
            long kid = sys::fork();
            if (kid == 0) sys::exit_group(0);
            if (kid > 0) kc::wait_status(kid);
            EXPECT_ERR(kid, EAGAIN);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// setrlimit(2): EFAULT for an unreadable limit pointer.
TEST(setrlimit, bad_pointer_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(setrlimit);
    EXPECT_ERR(sys::setrlimit(RLIMIT_NOFILE, reinterpret_cast<rlimit64*>(8)), EFAULT);
}

// prlimit64(2): sets the new limits and returns the old ones in one call.
TEST(prlimit64, set_and_get_old, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            u64 hard = within_hard(RLIMIT_NOFILE, 200);
            ASSERT_TRUE(set_nofile(hard / 2, hard));
            rlimit64 nv{hard / 4, hard * 3 / 4}, old{};
            EXPECT_OK(sys::prlimit64(0, RLIMIT_NOFILE, &nv, &old));
            EXPECT_EQ(old.rlim_cur, hard / 2);
            EXPECT_EQ(old.rlim_max, hard);
            rlimit64 now{};
            EXPECT_OK(sys::prlimit64(int(sys::getpid()), RLIMIT_NOFILE, nullptr, &now));
            EXPECT_EQ(now.rlim_cur, hard / 4);
            EXPECT_EQ(now.rlim_max, hard * 3 / 4);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// prlimit64(2): a process may read and set the limits of its own child
// (same credentials).
TEST(prlimit64, child_process_limits, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Held h;
    ASSERT_TRUE(proc::hold(h));
    rlimit64 mine{}, nv{0, 0}, old{}, now{};
    EXPECT_OK(sys::prlimit64(0, RLIMIT_CORE, nullptr, &mine));
    EXPECT_OK(sys::prlimit64(int(h.pid), RLIMIT_CORE, &nv, &old));
    EXPECT_EQ(old.rlim_cur, mine.rlim_cur);
    EXPECT_EQ(old.rlim_max, mine.rlim_max);
    EXPECT_OK(sys::prlimit64(int(h.pid), RLIMIT_CORE, nullptr, &now));
    EXPECT_EQ(now.rlim_cur, 0);
    EXPECT_EQ(now.rlim_max, 0);
    rlimit64 after{};
    EXPECT_OK(sys::prlimit64(0, RLIMIT_CORE, nullptr, &after));
    EXPECT_EQ(after.rlim_max, mine.rlim_max);  // the caller's own limits are untouched
    EXPECT_EQ(proc::release(h), 0);
}

// prlimit64(2): both pointers null is a no-op success.
TEST(prlimit64, null_pointers_noop, BOUNDARY, LINUX) {
    EXPECT_OK(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, nullptr));
}

// prlimit64(2): EINVAL for a resource number out of range.
TEST_P(prlimit64, bad_resource_einval, NEGATIVE, LINUX, kBadRes) {
    rlimit64 r{};
    EXPECT_ERR(sys::prlimit64(0, row.res, nullptr, &r), EINVAL);
}

// prlimit64(2): ESRCH for a pid that names no process.
TEST(prlimit64, no_such_process_esrch, NEGATIVE, LINUX) {
    rlimit64 r{};
    EXPECT_ERR(sys::prlimit64(INT_MAX, RLIMIT_NOFILE, nullptr, &r), ESRCH);
    EXPECT_ERR(sys::prlimit64(-1, RLIMIT_NOFILE, nullptr, &r), ESRCH);
}

// prlimit64(2): EPERM when an unprivileged caller reads another user's
// process (proc::foreign_process): even reading needs matching credentials.
TEST(prlimit64, other_user_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    proc::Foreign f;
    proc::foreign_process(f);
    long pid = kc::spawn(
        [](void* a) {
            auto* f = static_cast<proc::Foreign*>(a);
            ASSERT_TRUE(proc::unprivileged_toward(*f));
            rlimit64 r{};
            EXPECT_ERR(sys::prlimit64(int(f->pid), RLIMIT_NOFILE, nullptr, &r), EPERM);
        },
        &f);
    EXPECT_CHILD_OK(pid);
    proc::release(f);
}

// prlimit64(2): EFAULT for an unreadable new-limit pointer and for an
// unwritable old-limit pointer.
TEST(prlimit64, bad_pointers_efault, NEGATIVE, LINUX) {
    auto bad = reinterpret_cast<rlimit64*>(8);
    EXPECT_ERR(sys::prlimit64(0, RLIMIT_NOFILE, bad, nullptr), EFAULT);
    EXPECT_ERR(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, bad), EFAULT);
}

// prlimit64(2): soft above hard is EINVAL here too (in a child, in case the
// call were wrongly accepted).
TEST(prlimit64, soft_above_hard_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(
        [](void*) {
            rlimit64 cur{};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &cur));
            rlimit64 bad{cur.rlim_max == RLIM_INFINITY ? cur.rlim_max : cur.rlim_max + 1,
                         cur.rlim_max - 1};
            EXPECT_ERR(sys::prlimit64(0, RLIMIT_NOFILE, &bad, nullptr), EINVAL);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}
