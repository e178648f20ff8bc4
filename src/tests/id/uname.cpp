// SPDX-License-Identifier: MIT
// uname(2): every field is a NUL-terminated string within its 65 bytes, the
// answer is stable, sysname is "Linux" and machine names the architecture
// this binary was built for; bad pointers fail.
// Not covered: nodename/domainname changes (sethostname changes host state),
// personality(2) effects on machine (UNAME26, PER_LINUX32).
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "tests/time/time_util.hpp"

struct Field {
    const char* label;
    usize offset;
};
constexpr Field kFields[] = {
    {"sysname", __builtin_offsetof(utsname, sysname)},
    {"nodename", __builtin_offsetof(utsname, nodename)},
    {"release", __builtin_offsetof(utsname, release)},
    {"version", __builtin_offsetof(utsname, version)},
    {"machine", __builtin_offsetof(utsname, machine)},
    {"domainname", __builtin_offsetof(utsname, domainname)},
};
// uname(2), POSIX: each member is a NUL-terminated string (checked on a
// buffer pre-filled with 0xff, so stale bytes cannot pass).
TEST_P(uname, field_nul_terminated, POSITIVE, PSE51, kFields) {
    utsname u;
    __builtin_memset(&u, 0xff, sizeof u);
    ASSERT_RET(sys::uname(&u), 0);
    const char* f = reinterpret_cast<const char*>(&u) + row.offset;
    bool terminated = false;
    for (int i = 0; i < 65 && !terminated; ++i) terminated = f[i] == 0;
    EXPECT_TRUE(terminated);
}

// uname(2), POSIX: sysname, release, version and machine are not empty.
TEST(uname, identifying_fields_not_empty, POSITIVE, PSE51) {
    utsname u;
    ASSERT_RET(sys::uname(&u), 0);
    EXPECT_NE(u.sysname[0], 0);
    EXPECT_NE(u.release[0], 0);
    EXPECT_NE(u.version[0], 0);
    EXPECT_NE(u.machine[0], 0);
}

// uname(2): two calls give the same answer.
TEST(uname, stable_across_calls, POSITIVE, PSE51) {
    utsname a, b;
    __builtin_memset(&a, 0, sizeof a);
    __builtin_memset(&b, 0, sizeof b);
    ASSERT_RET(sys::uname(&a), 0);
    ASSERT_RET(sys::uname(&b), 0);
    EXPECT_MEM_EQ(&a, &b, sizeof a);
}

// uname(2): sysname is "Linux". This pins the oracle: a kernel that runs
// Linux binaries but names itself otherwise is reported here, on purpose.
TEST(uname, sysname_is_linux, POSITIVE, LINUX) {
    utsname u;
    ASSERT_RET(sys::uname(&u), 0);
    EXPECT_TRUE(rt::streq(u.sysname, "Linux"));
}

// uname(2): machine names the architecture this binary runs on ("x86_64",
// "aarch64", "riscv64": the names Linux uses and KC_ARCH_NAME spells).
TEST(uname, machine_matches_arch, POSITIVE, LINUX) {
    utsname u;
    ASSERT_RET(sys::uname(&u), 0);
    EXPECT_TRUE(rt::streq(u.machine, KC_ARCH_NAME));
}

// uname(2): Linux's release is "MAJOR.MINOR" (digits, a dot, digits) and
// then anything, NUL-terminated within its 65 bytes (checked on a buffer
// pre-filled with 0xff), and it is the string /proc/sys/kernel/osrelease
// shows (the same uts_namespace field; that file adds a newline), when
// /proc is there to read.
TEST(uname, release_starts_with_digit, POSITIVE, LINUX) {
    utsname u;
    __builtin_memset(&u, 0xff, sizeof u);
    ASSERT_RET(sys::uname(&u), 0);
    const char* r = u.release;
    int len = 0;
    while (len < 65 && r[len]) ++len;
    ASSERT_LT(len, 65);
    int i = 0, major = 0, minor = 0;
    for (; r[i] >= '0' && r[i] <= '9'; ++i) ++major;
    bool dot = r[i] == '.';
    for (i += dot; r[i] >= '0' && r[i] <= '9'; ++i) ++minor;
    EXPECT_GT(major, 0);
    EXPECT_TRUE(dot);
    EXPECT_GT(minor, 0);
    long fd = sys::openat(AT_FDCWD, "/proc/sys/kernel/osrelease", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return;  // no /proc: the shape is all there is to check
    char buf[80];
    long n = sys::read(int(fd), buf, sizeof buf);
    sys::close(int(fd));
    ASSERT_GT(n, 0);
    EXPECT_EQ(n, len + 1);
    EXPECT_EQ(buf[n - 1], '\n');
    EXPECT_MEM_EQ(buf, r, usize(n - 1 < len ? n - 1 : len));
}

// uname(2): a child process sees the same system.
TEST(uname, same_in_child, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    static utsname parent;
    ASSERT_RET(sys::uname(&parent), 0);
    long pid = kc::spawn(
        [](void*) {
            utsname u;
            __builtin_memset(&u, 0, sizeof u);
            sys::uname(&u);
            EXPECT_MEM_EQ(&u, &parent, sizeof u);
        },
        nullptr);
    EXPECT_CHILD_OK(pid);
}

struct BadPtr {
    const char* label;
    long addr;
};
constexpr BadPtr kBadPtrs[] = {
    {"buf=NULL", 0}, {"buf=8", 8}, {"buf=kernel", long(0xffff800000000000ul)}};
// uname(2): an unwritable buffer is EFAULT (Linux).
TEST_P(uname, bad_pointer_efault, NEGATIVE, LINUX, kBadPtrs) {
    EXPECT_ERR(sys::uname(reinterpret_cast<utsname*>(row.addr)), EFAULT);
}
