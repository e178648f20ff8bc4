// SPDX-License-Identifier: MIT
// The positive side of the administration calls whose refusals are in
// admin.cpp and time/clock_settime.cpp, where a test can be made safe:
//
// - acct(2): process accounting belongs to a PID namespace (kernel/acct.c
//   keeps one accounting file per namespace, and an exiting process writes
//   only to the files of its own namespace and its ancestors). So, with
//   CAP_SYS_PACCT in the initial user namespace (capable()), a child makes
//   a new PID namespace and its init - which checks that it is PID 1, so
//   that it cannot be in the host's namespace - switches accounting on to a
//   scratch file, lets a child exit, and switches it off again: the host's
//   accounting is never touched, and the namespace's ends with it anyway.
//   The record (struct acct_v3, 64 bytes) names the exited process.
// - swapon(2), swapoff(2): a successful swapon would add swap space to the
//   host, and a swapoff of a real swap area would remove it: neither is
//   ever attempted. With CAP_SYS_ADMIN only calls that fail after the
//   privilege check run: a scratch file of zeros has no swap signature
//   (EINVAL), a directory cannot be opened for writing (EISDIR), a scratch
//   file is not an active swap area (swapoff: EINVAL), a missing path is
//   ENOENT.
// - clock_settime(2), settimeofday(2): no positive test is safe. CLOCK_REALTIME
//   is not namespaced (time namespaces, CLONE_NEWTIME, only offset
//   CLOCK_MONOTONIC and CLOCK_BOOTTIME, and only at creation), so setting
//   it - even to the value just read - steps the host's clock, disturbing
//   every timer and timestamp on the machine for the time between the read
//   and the write; and settimeofday's first call with a time zone warps the
//   clock on machines whose RTC keeps local time. The refusals are in
//   time/clock_settime.cpp.
// Not covered: accounting records of the old formats (v1, v2), accounting
// suspension on a full file system, swap of any kind.
#include "harness/test.hpp"
#include "rt/sys_admin.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_system.hpp"

namespace {

constexpr int kNoNamespace = 77;

// In the test: runs fn in the init of a new PID namespace (a child that
// unshared CLONE_NEWPID, then its first child); skips when the namespace
// cannot be made. fn runs only when getpid() is 1 there.
void in_new_pid_namespace(void (*fn)(void*)) {
    kc::require_cap(CAP_SYS_PACCT);
    long pid = kc::spawn(
        [](void* f) {
            if (sys::unshare(CLONE_NEWPID) != 0) sys::exit_group(kNoNamespace);
            EXPECT_CHILD_OK(kc::spawn(
                [](void* f) {
                    ASSERT_EQ(sys::getpid(), 1);
                    reinterpret_cast<void (*)(void*)>(f)(nullptr);
                },
                f));
        },
        reinterpret_cast<void*>(fn));
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    if (wifexited(st) && wexitstatus(st) == kNoNamespace)
        kc::skip("needs CAP_SYS_ADMIN to make a PID namespace (unshare(CLONE_NEWPID))");
    EXPECT_EQ(st, 0);
}

// scratch/<name>: an empty file, or of `size` zero bytes.
void make_file(const char* name, long size = 0) {
    kc::Fd fd(sys::openat(kc::scratch_fd(), name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_OK(fd.get());
    if (size) ASSERT_RET(sys::ftruncate(fd, size), 0);
}

}  // namespace

// ---------------------------------------------------------------------------
// acct(2)

// acct(2): "When called with the name of an existing file as its argument,
// accounting is turned on, and records for each terminating process are
// appended to filename"; acct(NULL) turns it off. One record per process
// (struct acct_v3 on Linux), in the namespace's terms: pid 2, parent 1,
// AFORK (forked, never exec'd), the exit code as wait status, the uid,
// the command name. Linux also appends a record of the process that
// closes the file (kernel/acct.c, acct_pin_kill): the namespace's init
// (pid 1, its parent outside the namespace: 0) turning accounting off.
TEST(acct, records_exit_in_pid_namespace, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    make_file("acct");
    in_new_pid_namespace([](void*) {
        ASSERT_RET(sys::acct(kc::scratch_path("acct")), 0);
        long h = kc::spawn([](void*) { sys::exit_group(7); }, nullptr);
        int st = kc::wait_status(h);
        EXPECT_RET(sys::acct(nullptr), 0);
        EXPECT_TRUE(wifexited(st) && wexitstatus(st) == 7);
    });
    kc::Fd fd(sys::openat(kc::scratch_fd(), "acct", O_RDONLY | O_CLOEXEC));
    ASSERT_OK(fd.get());
    acct_v3 rec[3];
    ASSERT_RET(sys::read(fd, rec, sizeof rec), long(2 * sizeof(acct_v3)));
    EXPECT_EQ(rec[1].ac_pid, 1u);
    EXPECT_EQ(rec[1].ac_ppid, 0u);
    EXPECT_EQ(rec[0].ac_version & 0x7f, ACCT_VERSION);
    EXPECT_EQ(rec[0].ac_pid, 2u);
    EXPECT_EQ(rec[0].ac_ppid, 1u);
    EXPECT_EQ(rec[0].ac_exitcode, 7u << 8);
    EXPECT_EQ(rec[0].ac_uid, u32(sys::getuid()));
    EXPECT_TRUE(rec[0].ac_flag & AFORK);
    char comm[16] = {};
    sys::prctl(PR_GET_NAME, long(comm));
    EXPECT_MEM_EQ(rec[0].ac_comm, comm, 16);
}

// acct(2): accounting that is off may be switched off again (0), and a
// switch to another file replaces the first: the child's record goes to the
// second only. (Each file also gets the record Linux writes of the process
// that closes it: one in the first, two in the second.)
TEST(acct, switch_files, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    make_file("a");
    make_file("b");
    in_new_pid_namespace([](void*) {
        EXPECT_RET(sys::acct(nullptr), 0);
        ASSERT_RET(sys::acct(kc::scratch_path("a")), 0);
        ASSERT_RET(sys::acct(kc::scratch_path("b")), 0);
        EXPECT_CHILD_OK(kc::spawn([](void*) {}, nullptr));
        EXPECT_RET(sys::acct(nullptr), 0);
    });
    arch::Stat a, b;
    ASSERT_RET(sys::newfstatat(kc::scratch_fd(), "a", &a, 0), 0);
    ASSERT_RET(sys::newfstatat(kc::scratch_fd(), "b", &b, 0), 0);
    EXPECT_EQ(a.st_size, long(sizeof(acct_v3)));
    EXPECT_EQ(b.st_size, long(2 * sizeof(acct_v3)));
}

// acct(2) EISDIR: "filename refers to a directory"... Linux opens the file
// for writing first (EISDIR), and EACCES "The file ... is not a regular
// file" for a character device (/dev/null). In the namespace, so that a
// wrong success changes nothing outside.
TEST(acct, not_regular_file, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    ASSERT_RET(sys::mkdirat(kc::scratch_fd(), "d", 0700), 0);
    in_new_pid_namespace([](void*) {
        EXPECT_ERR(sys::acct(kc::scratch_path("d")), EISDIR);
        arch::Stat st;
        if (sys::newfstatat(AT_FDCWD, "/dev/null", &st, 0) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
            EXPECT_ERR(sys::acct("/dev/null"), EACCES);
        EXPECT_RET(sys::acct(nullptr), 0);
    });
}

// ---------------------------------------------------------------------------
// swapon(2), swapoff(2)

// swapon(2) EINVAL: "path does not ... contain a valid swap signature" (no
// "SWAPSPACE2" in the first page) - a scratch file of zeros, with
// CAP_SYS_ADMIN, in a child; the file is refused before any swap is added.
TEST(swapon, no_signature_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::require_cap(CAP_SYS_ADMIN);
    make_file("swap", 65536);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) { EXPECT_ERR(sys::swapon(kc::scratch_path("swap"), 0), EINVAL); }, nullptr));
}

// swapon(2) with CAP_SYS_ADMIN: ENOENT "The pathname in path does not
// exist"; a directory cannot be opened for writing: EISDIR.
TEST(swapon, unopenable_path, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::require_cap(CAP_SYS_ADMIN);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            EXPECT_ERR(sys::swapon(kc::scratch_path("absent"), 0), ENOENT);
            EXPECT_ERR(sys::swapon(kc::scratch_path("."), 0), EISDIR);
        },
        nullptr));
}

// swapoff(2) EINVAL: "path exists, but refers neither to a regular file nor
// to a block device" / is not an active swap area - a scratch file, with
// CAP_SYS_ADMIN; ENOENT for a missing path.
TEST(swapoff, not_swap_area_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    kc::require_cap(CAP_SYS_ADMIN);
    make_file("swap", 4096);
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            EXPECT_ERR(sys::swapoff(kc::scratch_path("swap")), EINVAL);
            EXPECT_ERR(sys::swapoff(kc::scratch_path("absent")), ENOENT);
        },
        nullptr));
}
