// SPDX-License-Identifier: MIT
// POSIX message queues: mq_open(2), mq_unlink(2), mq_getsetattr(2) (the
// system call behind mq_getattr/mq_setattr). Names are passed the way libc
// passes them, without the leading '/'. Covers creation and reopening,
// attributes and their limits (msg_max, msgsize_max, queues_max,
// RLIMIT_MSGQUEUE), name rules, access modes and permissions, descriptor
// semantics (close-on-exec, the QSIZE read), unlink semantics, and a leak
// test. Tests SKIP when the kernel has no message queues (ENOSYS).
// Profile: message passing is PSE51 (STYLE.md); name and permission
// behaviour with Linux-specific errnos is LINUX.
// Not covered: /dev/mqueue file-system views, IPC namespaces.
#include "rt/sys_proc.hpp"
#include "tests/mq/mq_util.hpp"

// POSIX mq_open: O_CREAT creates a queue with the given attributes; it can
// be opened again by name; after mq_unlink the name is gone (ENOENT).
TEST(mq_open, create_reopen_unlink, POSITIVE, PSE52) {
    mq::Name n = mq::name("reopen");
    mq_attr a = mq::attr(4, 32);
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
    long fd2 = sys::mq_open(n.s, O_RDONLY, 0, nullptr);
    long un = sys::mq_unlink(n.s);
    long gone = sys::mq_open(n.s, O_RDONLY, 0, nullptr);
    ASSERT_OK(fd);
    EXPECT_OK(fd2);
    EXPECT_OK(un);
    EXPECT_ERR(gone, ENOENT);
    EXPECT_NE(fd2, fd);
    mq_attr got{};
    EXPECT_OK(sys::mq_getsetattr(int(fd2), nullptr, &got));
    EXPECT_EQ(got.mq_maxmsg, 4);
    EXPECT_EQ(got.mq_msgsize, 32);
    EXPECT_EQ(got.mq_curmsgs, 0);
    EXPECT_EQ(got.mq_flags, 0);
    // Both descriptors are the same queue.
    EXPECT_OK(mq::send(int(fd), "hello", 1));
    char buf[32];
    EXPECT_RET(sys::mq_timedreceive(int(fd2), buf, sizeof buf, nullptr, nullptr), 5);
    EXPECT_MEM_EQ(buf, "hello", 5);
    sys::close(int(fd));
    if (fd2 >= 0) sys::close(int(fd2));
}

// POSIX mq_open: with a null attr the implementation's defaults apply (on
// Linux /proc/sys/fs/mqueue/msg_default and msgsize_default).
TEST(mq_open, null_attr_uses_defaults, POSITIVE, PSE52) {
    mq::Name n = mq::name("defaults");
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr));
    sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    mq_attr got{};
    EXPECT_OK(sys::mq_getsetattr(int(fd), nullptr, &got));
    EXPECT_GT(got.mq_maxmsg, 0);
    EXPECT_GT(got.mq_msgsize, 0);
    long def_max = common::proc_number("/proc/sys/fs/mqueue/msg_default");
    long def_size = common::proc_number("/proc/sys/fs/mqueue/msgsize_default");
    if (def_max > 0) EXPECT_EQ(got.mq_maxmsg, def_max);
    if (def_size > 0) EXPECT_EQ(got.mq_msgsize, def_size);
    sys::close(int(fd));
}

// POSIX mq_open: EEXIST for O_CREAT|O_EXCL on an existing name.
TEST(mq_open, excl_existing_eexist, NEGATIVE, PSE52) {
    mq::Name n = mq::name("excl");
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr));
    long again = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    EXPECT_ERR(again, EEXIST);
    sys::close(int(fd));
    if (again >= 0) sys::close(int(again));
}

// POSIX mq_open: O_CREAT without O_EXCL opens an existing queue, and its
// attr argument is ignored (here it would be invalid).
TEST(mq_open, creat_existing_ignores_attr, BOUNDARY, PSE52) {
    mq::Name n = mq::name("creat2");
    mq_attr a = mq::attr(3, 8);
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
    mq_attr bad = mq::attr(0, -1);
    long fd2 = sys::mq_open(n.s, O_CREAT | O_RDWR, 0600, &bad);
    sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    EXPECT_OK(fd2);
    mq_attr got{};
    EXPECT_OK(sys::mq_getsetattr(int(fd2), nullptr, &got));
    EXPECT_EQ(got.mq_maxmsg, 3);
    EXPECT_EQ(got.mq_msgsize, 8);
    sys::close(int(fd));
    if (fd2 >= 0) sys::close(int(fd2));
}

// POSIX mq_open: ENOENT for a name that does not exist, without O_CREAT.
TEST(mq_open, missing_without_creat_enoent, NEGATIVE, PSE52) {
    mq::Name n = mq::name("missing");
    EXPECT_ERR(mq::check(sys::mq_open(n.s, O_RDWR, 0, nullptr)), ENOENT);
}

struct BadName {
    const char* label;
    const char* name;
    int err;
};
// mq_open(2) on Linux: the kernel takes the name without libc's leading '/';
// any '/' in it, "." and ".." are EACCES, an empty name ENOENT.
constexpr BadName kBadNames[] = {
    {"leading_slash", "/kc-mq-slash", EACCES},
    {"inner_slash", "kc/mq", EACCES},
    {"dot", ".", EACCES},
    {"dotdot", "..", EACCES},
    {"empty", "", ENOENT},
};
TEST_P(mq_open, bad_name, NEGATIVE, LINUX, kBadNames) {
    long fd = mq::check(sys::mq_open(row.name, O_CREAT | O_RDWR, 0600, nullptr));
    if (fd >= 0) {
        sys::mq_unlink(row.name);
        sys::close(int(fd));
    }
    EXPECT_ERR(fd, row.err);
}

// mq_open(2): a name of NAME_MAX (255) bytes is accepted, 256 bytes is
// ENAMETOOLONG.
TEST(mq_open, name_length_limit, BOUNDARY, LINUX) {
    mq::require();
    char name[300];
    rt::Fmt f(name, sizeof name);
    f.s("kc-").d(sys::getpid()).c('-');
    while (f.len < 255) f.c('n');
    f.cstr();
    long fd = mq::check(sys::mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr));
    long un = sys::mq_unlink(name);
    EXPECT_OK(fd);
    EXPECT_OK(un);
    if (fd >= 0) sys::close(int(fd));
    name[255] = 'n';
    name[256] = 0;
    long fd2 = sys::mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    if (fd2 >= 0) {
        sys::mq_unlink(name);
        sys::close(int(fd2));
    }
    EXPECT_ERR(fd2, ENAMETOOLONG);
}

struct BadAttr {
    const char* label;
    long maxmsg;
    long msgsize;
};
// POSIX mq_open: EINVAL when creating with mq_maxmsg or mq_msgsize <= 0, or
// above what the system allows (Linux: HARD_MSGMAX 65536, HARD_MSGSIZEMAX
// 16 MiB even with CAP_SYS_RESOURCE).
constexpr BadAttr kBadAttrs[] = {
    {"maxmsg=0", 0, 8},
    {"maxmsg=-1", -1, 8},
    {"msgsize=0", 4, 0},
    {"msgsize=-1", 4, -1},
    {"maxmsg=LONG_MIN", LONG_MIN, 8},
    {"maxmsg=65537", 65537, 8},
    {"msgsize=16M+1", 4, (16 << 20) + 1},
    {"maxmsg=LONG_MAX", LONG_MAX, 8},
    {"msgsize=LONG_MAX", 4, LONG_MAX},
};
TEST_P(mq_open, bad_attr_einval, NEGATIVE, PSE52, kBadAttrs) {
    mq::Name n = mq::name("badattr");
    mq_attr a = mq::attr(row.maxmsg, row.msgsize);
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &a));
    if (fd >= 0) {
        sys::mq_unlink(n.s);
        sys::close(int(fd));
    }
    EXPECT_ERR(fd, EINVAL);
}

// mq_open(2): without CAP_SYS_RESOURCE the limits are msg_max and
// msgsize_max: exactly those values are accepted, one more is EINVAL.
// (The kernel asks capable(CAP_SYS_RESOURCE); the child drops every
// capability, so it is unprivileged in any user namespace.)
TEST(mq_open, unprivileged_limits, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    mq::require();
    static long max_msg, max_size;
    max_msg = common::proc_number("/proc/sys/fs/mqueue/msg_max");
    max_size = common::proc_number("/proc/sys/fs/mqueue/msgsize_max");
    if (max_msg <= 0 || max_size <= 0) kc::skip("no /proc/sys/fs/mqueue limits");
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            mq::Name n = mq::name("limits");
            mq_attr ok = mq::attr(max_msg, max_size);
            long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &ok));
            sys::mq_unlink(n.s);
            mq_attr big_n = mq::attr(max_msg + 1, 8);
            long fd2 = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &big_n);
            if (fd2 >= 0) sys::mq_unlink(n.s);
            mq_attr big_s = mq::attr(1, max_size + 1);
            long fd3 = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &big_s);
            if (fd3 >= 0) sys::mq_unlink(n.s);
            EXPECT_OK(fd);
            EXPECT_ERR(fd2, EINVAL);
            EXPECT_ERR(fd3, EINVAL);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// Moves the calling child into a user namespace of its own that maps its own
// uid and gid, where the kernel's per-user counts (RLIMIT_MSGQUEUE bytes)
// start from zero, with the namespaces of `flags` (CLONE_NEW*) new too.
// False when it cannot (no /proc to write the maps, unmapped ids, user
// namespaces refused): the counts are then shared.
static bool private_user_namespace(long flags = 0) {
    if (!kc::own_ids_mapped() || !kc::environment().userns_known) return false;
    u32 uid = u32(sys::geteuid()), gid = u32(sys::getegid());
    if (sys::unshare(long(CLONE_NEWUSER) | flags) != 0) return false;
    char line[48];
    rt::Fmt u(line, sizeof line);
    u.u(uid).c(' ').u(uid).s(" 1\n");
    ASSERT_TRUE(common::write_proc("/proc/self/uid_map", u.cstr()));
    ASSERT_TRUE(common::write_proc("/proc/self/setgroups", "deny"));
    rt::Fmt g(line, sizeof line);
    g.u(gid).c(' ').u(gid).s(" 1\n");
    ASSERT_TRUE(common::write_proc("/proc/self/gid_map", g.cstr()));
    return true;
}

// Moves the calling child into an IPC namespace of its own, so that filling
// it to queues_max neither takes the slots of other processes' queues (other
// tests, other runs on the machine) nor counts theirs: CLONE_NEWIPC (needs
// CAP_SYS_ADMIN in this user namespace), else a new user namespace that maps
// this process's own uid and gid, with a new IPC namespace (what unprivileged
// user namespaces allow). False when neither can be had: the shared
// namespace is used.
static bool private_ipc_namespace() {
    if (sys::unshare(CLONE_NEWIPC) == 0) return true;
    return private_user_namespace(CLONE_NEWIPC);
}

// mq_open(2): EMFILE when the queue's memory would exceed the user's
// RLIMIT_MSGQUEUE (no capability bypasses it); a tiny queue still fits. The
// kernel counts the bytes of every queue of the user (per user namespace
// since Linux 5.14), so other processes of the same user (other tests, other
// runs) take from the same budget: the child counts in a user namespace of
// its own where it can, and the test runs alone.
TEST(mq_open, rlimit_msgqueue_emfile, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::EXCLUSIVE) {
    mq::require();
    long pid = kc::spawn(
        [](void*) {
            private_user_namespace();
            rlimit64 rl{4096, 4096};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_MSGQUEUE, &rl, nullptr));
            mq::Name n = mq::name("rlimit");
            mq_attr big = mq::attr(4, 4096);
            long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &big));
            if (fd >= 0) sys::mq_unlink(n.s);
            mq_attr tiny = mq::attr(1, 1);
            long fd2 = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, &tiny);
            sys::mq_unlink(n.s);
            EXPECT_ERR(fd, EMFILE);
            EXPECT_OK(fd2);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// mq_open(2): a process without CAP_SYS_RESOURCE (checked with capable(),
// so dropped in the child) cannot create more than queues_max queues in the
// IPC namespace: ENOSPC; closing one makes room again. The child fills an
// IPC namespace of its own where it can (then exactly queues_max fit; a new
// namespace starts at DFLT_QUEUESMAX, 256), else the shared one (where other
// processes' queues count too). Each queue is unlinked at once and only its
// descriptor keeps it, so nothing is left if the test dies. Holding
// queues_max descriptors needs RLIMIT_NOFILE above it.
// EXCLUSIVE: where it falls back to the shared IPC namespace, every other queue counts toward
// queues_max.
TEST(mq_open, queues_max_enospc, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK | kc::EXCLUSIVE,
     .timeout_ms = 20000) {
    mq::require();
    long shared_max = common::proc_number("/proc/sys/fs/mqueue/queues_max");
    if (shared_max <= 0 || shared_max > 4096) kc::skip("queues_max unknown or too large to reach");
    kc::require_fds(int(shared_max > 256 ? shared_max : 256) + 16);
    long pid = kc::spawn(
        [](void*) {
            bool private_ns = private_ipc_namespace();
            long qmax = common::proc_number("/proc/sys/fs/mqueue/queues_max");
            ASSERT_GT(qmax, 0);
            rlimit64 nofile{};
            ASSERT_OK(sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &nofile));
            ASSERT_GT(long(nofile.rlim_cur), qmax + 15);
            ASSERT_TRUE(kc::drop_capabilities());
            long r = 0, last = -1, n = 0;
            for (; n <= qmax; ++n) {
                r = mq::anon(O_RDWR, 1, 1);
                if (r < 0) break;
                last = r;
            }
            EXPECT_ERR(r, ENOSPC);
            if (private_ns) {
                EXPECT_EQ(n, qmax);
            } else {
                EXPECT_LE(n, qmax);
            }
            ASSERT_GE(last, 0);
            sys::close(int(last));
            EXPECT_OK(mq::anon(O_RDWR, 1, 1));  // the freed slot
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// POSIX mq_open: EACCES when the permission bits deny the requested access
// (checked in a child without capabilities, so CAP_DAC_OVERRIDE does not
// apply); allowed access works.
TEST(mq_open, permission_denied_eacces, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    mq::require();
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::drop_capabilities());
            mq::Name n = mq::name("perm");
            long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_WRONLY, 0200, nullptr));
            long rd = sys::mq_open(n.s, O_RDONLY, 0, nullptr);
            long rw = sys::mq_open(n.s, O_RDWR, 0, nullptr);
            long wr = sys::mq_open(n.s, O_WRONLY, 0, nullptr);
            sys::mq_unlink(n.s);
            EXPECT_OK(fd);
            EXPECT_ERR(rd, EACCES);
            EXPECT_ERR(rw, EACCES);
            EXPECT_OK(wr);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

// mq_open(2): the access mode O_WRONLY|O_RDWR is EINVAL when opening an
// existing queue. (Linux accepts it when the call creates the queue.)
TEST(mq_open, bad_access_mode_einval, NEGATIVE, LINUX) {
    mq::Name n = mq::name("accmode");
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr));
    long bad = sys::mq_open(n.s, O_ACCMODE, 0, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    EXPECT_ERR(bad, EINVAL);
    sys::close(int(fd));
    if (bad >= 0) sys::close(int(bad));
}

// mq_open(2): EFAULT for an unreadable name or attr.
TEST(mq_open, bad_pointers_efault, NEGATIVE, LINUX) {
    EXPECT_ERR(mq::check(sys::mq_open(reinterpret_cast<const char*>(8), O_RDWR, 0, nullptr)),
               EFAULT);
    mq::Name n = mq::name("efault");
    long fd = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, reinterpret_cast<mq_attr*>(8));
    if (fd >= 0) {
        sys::mq_unlink(n.s);
        sys::close(int(fd));
    }
    EXPECT_ERR(fd, EFAULT);
}

// POSIX exec: message queue descriptors are closed in the new image (Linux
// opens them close-on-exec whatever the flags).
TEST(mq_open, descriptor_closed_on_exec, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long fd = mq::anon(O_RDWR, 2, 8);
    ASSERT_OK(fd);
    EXPECT_RET(sys::fcntl(int(fd), F_GETFD), FD_CLOEXEC);
    long pid = sys::fork();
    if (pid == 0) {
        char num[24];
        const char* argv[] = {kc::self_path(), "--exec-helper=proc_fd_state",
                              proc::dec(num, sizeof num, fd), "closed", nullptr};
        const char* envp[] = {nullptr};
        sys::execve(argv[0], argv, envp);
        sys::exit_group(127);
    }
    EXPECT_EQ(kc::wait_status(pid), 0);
    sys::close(int(fd));
}

// mq_open(2): the descriptor is inherited by fork: the child's send is
// received by the parent.
TEST(mq_open, descriptor_inherited_by_fork, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long fd = mq::anon(O_RDWR, 2, 8);
    ASSERT_OK(fd);
    long pid = sys::fork();
    if (pid == 0) sys::exit_group(mq::send(int(fd), "kid", 3) == 0 ? 0 : 1);
    EXPECT_EQ(kc::wait_status(pid), 0);
    char buf[8];
    unsigned prio = 0;
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, sizeof buf, &prio, nullptr), 3);
    EXPECT_MEM_EQ(buf, "kid", 3);
    EXPECT_EQ(prio, 3);
    sys::close(int(fd));
}

// mq_open(2): reading the descriptor gives the Linux status line
// "QSIZE:<bytes> NOTIFY:... SIGNO:... NOTIFY_PID:...".
TEST(mq_open, read_gives_status_line, POSITIVE, LINUX) {
    long fd = mq::anon(O_RDWR, 2, 16);
    ASSERT_OK(fd);
    EXPECT_OK(mq::send(int(fd), "12345", 0));
    char buf[128] = {};
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    EXPECT_GT(n, 20);
    EXPECT_MEM_EQ(buf, "QSIZE:5 ", 8);
    sys::close(int(fd));
}

// mq_open(2)/mq_unlink(2): creating, unlinking and closing 2,000 queues
// leaks nothing: a queue can still be created afterwards (queues_max and
// RLIMIT_MSGQUEUE would be exhausted by a leak).
TEST(mq_open, create_close_2000_no_leak, BOUNDARY, PSE52, .flags = kc::SLOW, .timeout_ms = 30000) {
    for (int i = 0; i < 2000; ++i) {
        long fd = mq::anon(O_RDWR, 4, 64);
        ASSERT_OK(fd);
        ASSERT_OK(sys::close(int(fd)));
    }
    long fd = mq::anon(O_RDWR, 4, 64);
    EXPECT_OK(fd);
    if (fd >= 0) sys::close(int(fd));
}

// POSIX mq_unlink: the name goes at once, but a queue still open keeps
// working; the same name can then create a new, empty queue.
TEST(mq_unlink, open_queue_survives, POSITIVE, PSE52) {
    mq::Name n = mq::name("survive");
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr));
    long un = sys::mq_unlink(n.s);
    long fresh = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    EXPECT_OK(un);
    EXPECT_OK(fresh);
    EXPECT_OK(mq::send(int(fd), "still", 2));
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    if (fresh >= 0) {
        EXPECT_EQ(mq::curmsgs(int(fresh)), 0);
        sys::close(int(fresh));
    }
    char buf[8192];
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, sizeof buf, nullptr, nullptr), 5);
    sys::close(int(fd));
}

// POSIX mq_unlink: ENOENT for a name that does not exist (also the second
// unlink of a name).
TEST(mq_unlink, missing_enoent, NEGATIVE, PSE52) {
    mq::Name n = mq::name("nounlink");
    EXPECT_ERR(mq::check(sys::mq_unlink(n.s)), ENOENT);
    long fd = sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0600, nullptr);
    EXPECT_OK(sys::mq_unlink(n.s));
    EXPECT_ERR(sys::mq_unlink(n.s), ENOENT);
    if (fd >= 0) sys::close(int(fd));
}

// mq_unlink(2): the same name rules as mq_open: '/' is EACCES, "" ENOENT,
// 256 bytes ENAMETOOLONG, an unreadable pointer EFAULT.
TEST(mq_unlink, bad_names, NEGATIVE, LINUX) {
    EXPECT_ERR(mq::check(sys::mq_unlink("/kc-mq-slash")), EACCES);
    EXPECT_ERR(sys::mq_unlink(""), ENOENT);
    char name[257];
    for (char& c : name) c = 'u';
    name[256] = 0;
    EXPECT_ERR(sys::mq_unlink(name), ENAMETOOLONG);
    EXPECT_ERR(sys::mq_unlink(reinterpret_cast<const char*>(8)), EFAULT);
}

// mq_unlink(2): another unprivileged user cannot remove a queue it does not
// own, even with write access to it. mq_unlink(3) documents EACCES; Linux
// returns EPERM (the queue directory is sticky), and Linux wins. It takes
// another user (kc::other_uid()): dropping capabilities is not enough when
// this process's uid owns the queue directory (root's does).
TEST(mq_unlink, other_owner_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    mq::Name n = mq::name("sticky");
    long fd = mq::check(sys::mq_open(n.s, O_CREAT | O_EXCL | O_RDWR, 0666, nullptr));
    if (fd < 0) sys::mq_unlink(n.s);
    ASSERT_OK(fd);
    static const char* nm;
    nm = n.s;
    long pid = kc::spawn(
        [](void*) {
            ASSERT_TRUE(kc::become_other_user());
            EXPECT_ERR(sys::mq_unlink(nm), EPERM);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
    EXPECT_OK(sys::mq_unlink(n.s));  // still there: the child could not remove it
    sys::close(int(fd));
}

// POSIX mq_getattr: mq_curmsgs counts the queued messages.
TEST(mq_getsetattr, curmsgs_counts_messages, POSITIVE, PSE52) {
    long fd = mq::anon(O_RDWR, 3, 8);
    ASSERT_OK(fd);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    EXPECT_OK(mq::send(int(fd), "a", 0));
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    EXPECT_OK(mq::send(int(fd), "b", 0));
    EXPECT_EQ(mq::curmsgs(int(fd)), 2);
    char buf[8];
    EXPECT_RET(sys::mq_timedreceive(int(fd), buf, sizeof buf, nullptr, nullptr), 1);
    EXPECT_EQ(mq::curmsgs(int(fd)), 1);
    sys::close(int(fd));
}

// POSIX mq_setattr: only O_NONBLOCK changes; the old attributes come back;
// mq_maxmsg/mq_msgsize/mq_curmsgs in the new attributes are ignored.
TEST(mq_getsetattr, set_only_nonblock, POSITIVE, PSE52) {
    long fd = mq::anon(O_RDWR, 3, 8);
    ASSERT_OK(fd);
    mq_attr nv = mq::attr(99, 99);
    nv.mq_flags = O_NONBLOCK;
    nv.mq_curmsgs = 5;
    mq_attr old{};
    EXPECT_OK(sys::mq_getsetattr(int(fd), &nv, &old));
    EXPECT_EQ(old.mq_flags, 0);
    EXPECT_EQ(old.mq_maxmsg, 3);
    mq_attr now{};
    EXPECT_OK(sys::mq_getsetattr(int(fd), nullptr, &now));
    EXPECT_EQ(now.mq_flags, O_NONBLOCK);
    EXPECT_EQ(now.mq_maxmsg, 3);
    EXPECT_EQ(now.mq_msgsize, 8);
    EXPECT_EQ(now.mq_curmsgs, 0);
    char buf[8];
    EXPECT_ERR(sys::mq_timedreceive(int(fd), buf, sizeof buf, nullptr, nullptr), EAGAIN);
    nv.mq_flags = 0;
    EXPECT_OK(sys::mq_getsetattr(int(fd), &nv, nullptr));
    EXPECT_OK(sys::mq_getsetattr(int(fd), nullptr, &now));
    EXPECT_EQ(now.mq_flags, 0);
    sys::close(int(fd));
}

// POSIX mq_open/mq_getattr: O_NONBLOCK given to mq_open shows in mq_flags.
TEST(mq_getsetattr, nonblock_from_open, POSITIVE, PSE52) {
    long fd = mq::anon(O_RDWR | O_NONBLOCK, 3, 8);
    ASSERT_OK(fd);
    mq_attr now{};
    EXPECT_OK(sys::mq_getsetattr(int(fd), nullptr, &now));
    EXPECT_EQ(now.mq_flags, O_NONBLOCK);
    sys::close(int(fd));
}

struct FlagsRow {
    const char* label;
    long flags;
};
constexpr FlagsRow kBadFlags[] = {
    {"O_CREAT", O_CREAT},
    {"O_RDWR", O_RDWR},
    {"NONBLOCK|O_APPEND", O_NONBLOCK | O_APPEND},
    {"bit31", 0x80000000L},
};
// mq_getsetattr(2): mq_flags bits other than O_NONBLOCK are EINVAL.
TEST_P(mq_getsetattr, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    long fd = mq::anon(O_RDWR, 3, 8);
    ASSERT_OK(fd);
    mq_attr nv{};
    nv.mq_flags = row.flags;
    EXPECT_ERR(sys::mq_getsetattr(int(fd), &nv, nullptr), EINVAL);
    EXPECT_EQ(mq::curmsgs(int(fd)), 0);
    sys::close(int(fd));
}

// POSIX mq_getattr: EBADF for a descriptor that is not a message queue, or
// not open.
TEST(mq_getsetattr, not_a_queue_ebadf, NEGATIVE, PSE52) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_CLOEXEC));
    mq_attr a{};
    EXPECT_ERR(mq::check(sys::mq_getsetattr(p[0], nullptr, &a), "mq_getsetattr"), EBADF);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::mq_getsetattr(p[0], nullptr, &a), EBADF);
    EXPECT_ERR(sys::mq_getsetattr(-1, nullptr, &a), EBADF);
}

// mq_getsetattr(2): EFAULT for unreadable new or unwritable old attributes.
TEST(mq_getsetattr, bad_pointers_efault, NEGATIVE, LINUX) {
    long fd = mq::anon(O_RDWR, 3, 8);
    ASSERT_OK(fd);
    auto bad = reinterpret_cast<mq_attr*>(8);
    EXPECT_ERR(sys::mq_getsetattr(int(fd), bad, nullptr), EFAULT);
    EXPECT_ERR(sys::mq_getsetattr(int(fd), nullptr, bad), EFAULT);
    sys::close(int(fd));
}
