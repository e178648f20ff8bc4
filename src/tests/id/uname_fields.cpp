// SPDX-License-Identifier: MIT
// uname(2): the fields uname.cpp checks only for their shape (nodename,
// domainname, version), each against the same field of the UTS namespace
// as /proc/sys/kernel shows it (hostname, domainname, version: one line,
// the string and a newline), read by a second, independent path.
// Left out: sysname, release and machine (uname.cpp compares them with
// "Linux", /proc/sys/kernel/osrelease and the build's architecture);
// changes of nodename and domainname (tests/system/uts.cpp, in a UTS
// namespace of their own).
#include "harness/test.hpp"

namespace {

struct UtsRow {
    const char* label;
    const char* proc;  // the /proc/sys/kernel file that shows the field
    usize offset;      // of the field in struct utsname
};
constexpr UtsRow kUts[] = {
    {"nodename", "/proc/sys/kernel/hostname", __builtin_offsetof(utsname, nodename)},
    {"domainname", "/proc/sys/kernel/domainname", __builtin_offsetof(utsname, domainname)},
    {"version", "/proc/sys/kernel/version", __builtin_offsetof(utsname, version)},
};

}  // namespace

// uname(2): nodename, domainname and version are the strings of this
// process's UTS namespace that /proc/sys/kernel/{hostname,domainname,version}
// show (proc_sys_kernel(5): the same uts_namespace fields), checked on a
// buffer pre-filled with 0xff.
TEST_P(uname, field_matches_proc_sys_kernel, POSITIVE, LINUX, kUts) {
    utsname u;
    __builtin_memset(&u, 0xff, sizeof u);
    ASSERT_RET(sys::uname(&u), 0);
    const char* f = reinterpret_cast<const char*>(&u) + row.offset;
    int len = 0;
    while (len < 65 && f[len]) ++len;
    ASSERT_LT(len, 65);
    kc::Fd fd(sys::openat(AT_FDCWD, row.proc, O_RDONLY | O_CLOEXEC, 0));
    if (fd.get() == -ENOENT) kc::skip("needs /proc (/proc/sys/kernel)");
    ASSERT_OK(fd.get());
    char buf[80];
    long n = sys::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0);
    EXPECT_EQ(n, len + 1);
    EXPECT_EQ(buf[n - 1], '\n');
    EXPECT_MEM_EQ(buf, f, usize(n - 1 < len ? n - 1 : len));
}
