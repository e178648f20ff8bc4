// SPDX-License-Identifier: MIT
// Legacy calls: vhangup(2), sysfs(2), ustat(2), and the x86-64 system-call
// numbers that every current kernel answers with ENOSYS: calls removed
// (_sysctl in 5.5, lookup_dcookie in 6.8, uselib in 2025; create_module,
// get_kernel_syms, query_module in 2.6; nfsservctl in 3.1) and slots never
// implemented (getpmsg, putpmsg, afs_syscall, tuxcall, security, vserver,
// epoll_ctl_old, epoll_wait_old). A removed call must stay ENOSYS whatever
// its arguments; one test each (aarch64 and riscv64 have only nfsservctl
// and lookup_dcookie of these, the rest skip with REQUIRE_NR). Checked on
// Linux 6.18 x86-64: all fifteen return ENOSYS.
// vhangup only runs in a child that called setsid() first, so it has no
// controlling terminal, or its own pseudo-terminal as controlling terminal:
// that one is hung up (reads see end of file, writes EIO, the session loses
// it, its leader gets SIGHUP and SIGCONT), or stays usable when the call is
// refused.
// Not covered: vhangup of a real terminal (it would hang up the run's
// terminal); sysfs and ustat on file systems the run cannot name.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_admin.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/pty_util.hpp"
#include "tests/signal/signal_util.hpp"

namespace {

// A removed or never-implemented call: ENOSYS with no arguments and with
// arguments that would be invalid for any implementation.
void expect_enosys(long nr) {
    EXPECT_ERR(arch::syscall6(nr, 0, 0, 0, 0, 0, 0), ENOSYS);
    EXPECT_ERR(
        arch::syscall6(nr, -1, long(common::kBadAddr), -1, long(common::kKernelAddr), -1, -1),
        ENOSYS);
}

// In a child: a new session, so no controlling terminal (setsid fails in a
// process-group leader, which kc::spawn's child is not).
void new_session() { ASSERT_EQ(sys::setsid(), sys::getpid()); }

}  // namespace

// ---------------------------------------------------------------------------
// vhangup(2)

// vhangup(2): "simulates a hangup on the current terminal"; with
// CAP_SYS_TTY_CONFIG (capable()) and no controlling terminal it returns 0
// and does nothing (tty_vhangup_self finds no tty).
TEST(vhangup, no_terminal_succeeds, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_TTY_CONFIG);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            new_session();
            EXPECT_RET(sys::vhangup(), 0);
            EXPECT_EQ(sys::getsid(0), sys::getpid());
        },
        nullptr));
}

// vhangup(2) EPERM: "The calling process has insufficient privilege to call
// vhangup(); the CAP_SYS_TTY_CONFIG capability is required".
TEST(vhangup, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::unprivileged([](void*) {
        new_session();
        EXPECT_ERR(sys::vhangup(), EPERM);
    });
}

// vhangup(2): the capability is checked in the initial user namespace
// (capable()): root of a child user namespace is refused too; outside one,
// the call succeeds. (No controlling terminal either way.)
TEST(vhangup, needs_initial_namespace_capability, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    if (!kc::ns_cap_usable(CAP_SYS_TTY_CONFIG))
        kc::skip("needs CAP_SYS_TTY_CONFIG in its own user namespace");
    static bool expect_ok;
    expect_ok = kc::cap_usable(CAP_SYS_TTY_CONFIG);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            new_session();
            long r = sys::vhangup();
            if (expect_ok) {
                EXPECT_RET(r, 0);
            } else {
                EXPECT_ERR(r, EPERM);
            }
        },
        nullptr));
}

namespace {

// In a child: a new session whose controlling terminal is a new
// pseudo-terminal; SIGHUP (which hanging it up sends) is ignored.
void session_with_pty(int& m, int& s) {
    ASSERT_OK(signal::set_action(SIGHUP, SIG_IGN));
    new_session();
    ASSERT_TRUE(common::open_pty_ctty(m, s));
}

}  // namespace

// vhangup(2): the controlling terminal is hung up: the caller's open
// descriptor of it reads end of file and fails writes with EIO
// (tty_hung_up_p), and the session no longer has a controlling terminal
// (/dev/tty: ENXIO). Needs CAP_SYS_TTY_CONFIG.
TEST(vhangup, hangs_up_controlling_terminal, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_TTY_CONFIG);
    common::require_pty();
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            int m = -1, s = -1;
            session_with_pty(m, s);
            EXPECT_RET(sys::vhangup(), 0);
            char c;
            EXPECT_RET(sys::read(s, &c, 1), 0);
            EXPECT_ERR(sys::write(s, "x", 1), EIO);
            EXPECT_ERR(sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC), ENXIO);
            sys::close(s);
            sys::close(m);
        },
        nullptr));
}

// vhangup(2): a hangup sends SIGHUP and then SIGCONT to the leader of the
// terminal's session (drivers/tty/tty_jobctrl.c, tty_signal_session_leader),
// here the caller itself, whose handlers run once each. Needs
// CAP_SYS_TTY_CONFIG.
TEST(vhangup, signals_session_leader, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_cap(CAP_SYS_TTY_CONFIG);
    common::require_pty();
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            int m = -1, s = -1;
            session_with_pty(m, s);
            signal::log_reset();
            ASSERT_OK(signal::catch_sig(SIGHUP));
            ASSERT_OK(signal::catch_sig(SIGCONT));
            EXPECT_RET(sys::vhangup(), 0);
            EXPECT_EQ(signal::g_log.count[SIGHUP], 1);
            EXPECT_EQ(signal::g_log.count[SIGCONT], 1);
            ASSERT_OK(signal::set_action(SIGHUP, SIG_IGN));  // closing the master hangs up again
            sys::close(s);
            sys::close(m);
        },
        nullptr));
}

// vhangup(2) EPERM: refused without CAP_SYS_TTY_CONFIG, the call leaves the
// controlling terminal alone: a byte written on the slave side still
// reaches the master.
TEST(vhangup, refused_leaves_terminal_usable, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    common::require_pty();
    common::unprivileged([](void*) {
        int m = -1, s = -1;
        session_with_pty(m, s);
        EXPECT_ERR(sys::vhangup(), EPERM);
        EXPECT_RET(sys::write(s, "k", 1), 1);
        char c = 0;
        EXPECT_RET(sys::read(m, &c, 1), 1);
        EXPECT_EQ(c, 'k');
        long tty = sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC);
        EXPECT_OK(tty);  // still the controlling terminal
        if (tty >= 0) sys::close(int(tty));
        sys::close(s);
        sys::close(m);
    });
}

// ---------------------------------------------------------------------------
// sysfs(2)

namespace {

// Reads /proc/filesystems into buf (NUL-terminated); false without /proc.
bool proc_filesystems(char* buf, usize size) {
    kc::Fd fd(sys::openat(AT_FDCWD, "/proc/filesystems", O_RDONLY | O_CLOEXEC));
    if (!fd.ok()) return false;
    usize n = 0;
    for (long r; n + 1 < size && (r = sys::read(fd, buf + n, size - 1 - n)) > 0;) n += usize(r);
    buf[n] = 0;
    return n > 0;
}

// The name on the i-th line of /proc/filesystems ("nodev\tproc" or
// "\text4"), copied to out; false past the last line.
bool nth_filesystem(const char* list, long i, char* out, usize size) {
    const char* p = list;
    for (; i > 0 && *p; ++p)
        if (*p == '\n') --i;
    if (!*p) return false;
    while (*p && *p != '\t') ++p;
    if (*p) ++p;
    usize n = 0;
    while (*p && *p != '\n' && n + 1 < size) out[n++] = *p++;
    out[n] = 0;
    return true;
}

}  // namespace

// sysfs(2) option 3: "return the total number of filesystem types currently
// present in the kernel" - the lines of /proc/filesystems, which lists the
// same registered types in the same order.
TEST(sysfs, count_matches_proc_filesystems, POSITIVE, LINUX) {
    REQUIRE_NR(sysfs);
    long n = sys::sysfs(3);
    ASSERT_GT(n, 0);
    char list[4096], name[32];
    if (!proc_filesystems(list, sizeof list)) kc::skip("needs /proc/filesystems");
    long lines = 0;
    while (nth_filesystem(list, lines, name, sizeof name)) ++lines;
    EXPECT_EQ(n, lines);
}

// sysfs(2) option 2: "copy the filesystem type identifier fs_index into the
// buffer": the i-th name of /proc/filesystems, NUL-terminated; option 1
// maps the name back to its index.
TEST(sysfs, name_and_index_round_trip, POSITIVE, LINUX) {
    REQUIRE_NR(sysfs);
    char list[4096], want[32];
    if (!proc_filesystems(list, sizeof list)) kc::skip("needs /proc/filesystems");
    long n = sys::sysfs(3);
    ASSERT_GT(n, 0);
    for (long i = 0; i < n && nth_filesystem(list, i, want, sizeof want); ++i) {
        char got[64];
        common::fill_bytes(got, 0xa5, sizeof got);
        EXPECT_RET(sys::sysfs(2, i, long(got)), 0);
        EXPECT_MEM_EQ(got, want, rt::strlen(want) + 1);
        EXPECT_RET(sys::sysfs(1, long(want)), i);
    }
}

// sysfs(2) option 1 on "proc", which every Linux registers: an index below
// the count, whose name (option 2) is "proc".
TEST(sysfs, proc_index, POSITIVE, LINUX) {
    REQUIRE_NR(sysfs);
    long i = sys::sysfs(1, long("proc"));
    ASSERT_GE(i, 0);
    EXPECT_LT(i, sys::sysfs(3));
    char got[16];
    EXPECT_RET(sys::sysfs(2, i, long(got)), 0);
    EXPECT_MEM_EQ(got, "proc", 5);
}

struct SysfsBad {
    const char* label;
    int option;
    long a1, a2;
    int err;
};
constexpr SysfsBad kSysfsBad[] = {
    {"option=0", 0, 0, 0, EINVAL},
    {"option=4", 4, 0, 0, EINVAL},
    {"option=-1", -1, 0, 0, EINVAL},
    {"index=count", 2, -2, 0, EINVAL},  // -2: the count, filled in below
    {"index=-1", 2, -1, 0, EINVAL},
    {"unknown_name", 1, 1, 0, EINVAL},  // 1: "kconform-no-such-fs"
    {"name_bad_pointer", 1, long(common::kBadAddr), 0, EFAULT},
    {"buf_bad_pointer", 2, 0, long(common::kBadAddr), EFAULT},
};
// sysfs(2) EINVAL: "fsname is not a valid filesystem type identifier;
// fs_index is out-of-bounds; option is invalid"; EFAULT: "Either fsname or
// buf is outside your accessible address space".
TEST_P(sysfs, bad_arguments, NEGATIVE, LINUX, kSysfsBad) {
    REQUIRE_NR(sysfs);
    long a1 = row.a1 == -2 ? sys::sysfs(3) : row.a1 == 1 ? long("kconform-no-such-fs") : row.a1;
    EXPECT_ERR(sys::sysfs(row.option, a1, row.a2), row.err);
}

// ---------------------------------------------------------------------------
// ustat(2)

namespace {

// The st_dev of path as ustat(2) takes it (new_encode_dev of stat's value
// is the same number for the 32-bit dev_t ustat accepts), or -1.
long dev_of(int dirfd, const char* path) {
    arch::Stat st;
    if (sys::newfstatat(dirfd, path, &st, 0) != 0) return -1;
    return long(st.st_dev);
}

}  // namespace

// ustat(2) on the device of /proc: a mounted file system, so it succeeds; proc
// reports no free blocks or inodes, and the kernel clears the whole struct
// (f_fname, f_fpack are always empty on Linux).
TEST(ustat, proc_all_zero, POSITIVE, LINUX) {
    REQUIRE_NR(ustat);
    long dev = dev_of(AT_FDCWD, "/proc/self");
    struct statfs sfs;
    if (dev < 0 || sys::statfs("/proc", &sfs) != 0 || sfs.f_type != 0x9fa0)
        kc::skip("needs procfs mounted on /proc");
    struct ustat u;
    common::fill_bytes(&u, 0xa5, sizeof u);
    ASSERT_RET(sys::ustat(unsigned(dev), &u), 0);
    EXPECT_EQ(u.f_tfree, 0);
    EXPECT_EQ(u.f_tinode, 0ul);
    static constexpr char zero[12] = {};
    EXPECT_MEM_EQ(u.f_fname, zero, 12);
}

// ustat(2) on the scratch directory's file system: f_tinode is the free
// inode count statfs(2) reports (others may create files meanwhile: within
// a margin). A file system whose st_dev names no superblock (btrfs
// subvolumes, overlayfs) gives EINVAL and is skipped.
TEST(ustat, scratch_free_inodes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(ustat);
    long dev = dev_of(kc::scratch_fd(), ".");
    ASSERT_GE(dev, 0);
    struct ustat u;
    common::fill_bytes(&u, 0xa5, sizeof u);
    long r = sys::ustat(unsigned(dev), &u);
    if (r == -EINVAL) kc::skip("the scratch file system's st_dev names no superblock");
    ASSERT_RET(r, 0);
    struct statfs sfs;
    ASSERT_RET(sys::fstatfs(kc::scratch_fd(), &sfs), 0);
    long diff = long(u.f_tinode) - long(sfs.f_ffree);
    EXPECT_LT(diff < 0 ? -diff : diff, 1000);
    static constexpr char zero[12] = {};
    EXPECT_MEM_EQ(u.f_fname, zero, 12);
}

struct BadDev {
    const char* label;
    unsigned dev;
};
constexpr BadDev kBadDevs[] = {
    {"dev=0", 0}, {"dev=0xffffffff", 0xffffffffu}, {"dev=0xfff00", 0xfff00}};
// ustat(2) EINVAL: "dev does not refer to a device containing a mounted
// filesystem".
TEST_P(ustat, unmounted_device_einval, NEGATIVE, LINUX, kBadDevs) {
    REQUIRE_NR(ustat);
    struct ustat u;
    EXPECT_ERR(sys::ustat(row.dev, &u), EINVAL);
}

// ustat(2) EFAULT: "ubuf points outside of your accessible address space"
// (a mounted device, so that the lookup succeeds first).
TEST(ustat, bad_pointer_efault, NEGATIVE, LINUX) {
    REQUIRE_NR(ustat);
    long dev = dev_of(AT_FDCWD, "/proc/self");
    if (dev < 0) kc::skip("needs /proc mounted");
    EXPECT_ERR(sys::ustat(unsigned(dev), static_cast<struct ustat*>(common::kBadPtr)), EFAULT);
}

// ---------------------------------------------------------------------------
// System-call numbers that answer ENOSYS (x86-64).

// _sysctl(2): "This system call no longer exists on current kernels!"
// (removed in Linux 5.5).
TEST(_sysctl, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(_sysctl);
    expect_enosys(nr::_sysctl);
}
// create_module(2): "removed in Linux 2.6"; the number stays reserved.
TEST(create_module, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(create_module);
    expect_enosys(nr::create_module);
}
// get_kernel_syms(2): removed in Linux 2.6.
TEST(get_kernel_syms, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(get_kernel_syms);
    expect_enosys(nr::get_kernel_syms);
}
// query_module(2): removed in Linux 2.6.
TEST(query_module, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(query_module);
    expect_enosys(nr::query_module);
}
// nfsservctl(2): "Since Linux 3.1, this system call no longer exists".
TEST(nfsservctl, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(nfsservctl);
    expect_enosys(nr::nfsservctl);
}
// getpmsg(2), putpmsg(2): "unimplemented system calls" (STREAMS).
TEST(getpmsg, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(getpmsg);
    expect_enosys(nr::getpmsg);
}
TEST(putpmsg, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(putpmsg);
    expect_enosys(nr::putpmsg);
}
// afs_syscall, tuxcall, security, vserver: unimplemented(2) - reserved
// numbers that always fail with ENOSYS.
TEST(afs_syscall, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(afs_syscall);
    expect_enosys(nr::afs_syscall);
}
TEST(tuxcall, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(tuxcall);
    expect_enosys(nr::tuxcall);
}
TEST(security, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(security);
    expect_enosys(nr::security);
}
TEST(vserver, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(vserver);
    expect_enosys(nr::vserver);
}
// epoll_ctl_old, epoll_wait_old: x86-64 numbers of an early epoll
// interface, never wired to an implementation.
TEST(epoll_ctl_old, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(epoll_ctl_old);
    expect_enosys(nr::epoll_ctl_old);
}
TEST(epoll_wait_old, unimplemented_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(epoll_wait_old);
    expect_enosys(nr::epoll_wait_old);
}
// lookup_dcookie(2): removed in Linux 6.8 with the dcookie (oprofile) code.
TEST(lookup_dcookie, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(lookup_dcookie);
    expect_enosys(nr::lookup_dcookie);
}
// uselib(2): removed in 2025 (it was optional before: CONFIG_USELIB, for
// a.out libraries).
TEST(uselib, removed_enosys, NEGATIVE, LINUX) {
    REQUIRE_NR(uselib);
    expect_enosys(nr::uselib);
}
