// SPDX-License-Identifier: MIT
// Calls that change the running kernel: init_module(2), finit_module(2),
// delete_module(2), kexec_load(2), kexec_file_load(2) and reboot(2).
// NEGATIVE tests only, each arranged so that it cannot succeed even as full
// root in the initial namespaces: module images that are shorter than an
// ELF header, empty or all zeros; module names that cannot exist; kexec
// flags, architectures and segment counts the kernel rejects before it reads
// anything, and never KEXEC_FILE_UNLOAD or zero segments (both would unload
// a loaded kexec kernel); reboot with a wrong magic number or a command that
// does not exist. The privilege tests run in a child without capabilities.
// kexec as root is tried only while kernel.kexec_load_limit_reboot and
// _panic are unlimited (each permitted call counts against them), and every
// errno is read against kernel.kexec_load_disabled, kernel.modules_disabled
// and the module signature policy (a signed-modules-only kernel rejects an
// unsigned image with EKEYREJECTED, kernel lockdown with EPERM).
// A kernel built without modules or kexec (the Linux 6.18 of the reference
// machine has neither) answers ENOSYS: those tests skip.
// Not covered: anything that loads, unloads or reboots.
#include "harness/test.hpp"
#include "rt/sys_admin.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"

namespace {

// A sysctl that may be negative ("-1"); `none` when it cannot be read.
long sysctl_value(const char* path, long none) {
    kc::Fd fd(sys::openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC));
    char buf[24];
    long n = fd.ok() ? sys::read(fd, buf, sizeof buf) : -1;
    if (n <= 0) return none;
    long i = buf[0] == '-', v = 0;
    for (; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) v = v * 10 + (buf[i] - '0');
    return buf[0] == '-' ? -v : v;
}

// Module calls: skip when the kernel has no module support. delete_module
// of a name that cannot exist has no effect, whoever calls it.
void require_modules() {
    if (sys::delete_module("kconform_no_such_module_xyz", 0) == -ENOSYS)
        kc::skip_unimplemented(
            "init_module",
            "init_module: not implemented (ENOSYS; a kernel without CONFIG_MODULES)");
}

// What a module call with CAP_SYS_MODULE answers where it would otherwise
// fail with `err`: EPERM when kernel.modules_disabled is set.
int module_errno(int err) {
    return sysctl_value("/proc/sys/kernel/modules_disabled", 0) ? EPERM : err;
}

void require_module_cap() { kc::require_cap(CAP_SYS_MODULE); }

// kexec calls: skip without kexec. With CAP_SYS_BOOT every call (even one
// that then fails) counts against kernel.kexec_load_limit_reboot and
// kexec_load_limit_panic: run only while they are unlimited (-1, or absent
// before Linux 6.6), before the first call.
void require_kexec() {
    if (kc::cap_usable(CAP_SYS_BOOT) &&
        (sysctl_value("/proc/sys/kernel/kexec_load_limit_reboot", -1) != -1 ||
         sysctl_value("/proc/sys/kernel/kexec_load_limit_panic", -1) != -1))
        kc::skip("kernel.kexec_load_limit_* is set: each call would count against it");
    if (sys::kexec_load(0, KEXEC_SEGMENT_MAX + 1, nullptr, 0x8000) == -ENOSYS)
        kc::skip_unimplemented(
            "kexec_load", "kexec_load: not implemented (ENOSYS; a kernel without CONFIG_KEXEC)");
}
void require_kexec_root() { kc::require_cap(CAP_SYS_BOOT); }
// EPERM when kernel.kexec_load_disabled is set, else err.
int kexec_errno(int err) {
    return sysctl_value("/proc/sys/kernel/kexec_load_disabled", 0) ? EPERM : err;
}

// A scratch file with n zero bytes, opened with `flags`.
long zero_file(long n, int flags) {
    long fd = sys::openat(kc::scratch_fd(), "image", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return fd;
    if (n) sys::ftruncate(int(fd), n);
    sys::close(int(fd));
    return sys::openat(kc::scratch_fd(), "image", flags | O_CLOEXEC);
}

}  // namespace

// ---------------------------------------------------------------------------
// init_module(2)

// init_module(2) EPERM: "The caller was not privileged (did not have the
// CAP_SYS_MODULE capability)" - checked before the image is read.
TEST(init_module, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_modules();
    common::unprivileged([](void*) {
        static const char image[64] = {};
        EXPECT_ERR(sys::init_module(image, sizeof image, ""), EPERM);
        EXPECT_ERR(sys::init_module(common::kBadPtr, 4096, ""), EPERM);
    });
}

struct Short {
    const char* label;
    unsigned long len;
};
constexpr Short kShortImages[] = {{"len=0", 0}, {"len=1", 1}, {"len=63", 63}};
// init_module(2) ENOEXEC: "Invalid ELF header" - an image shorter than an
// ELF header (64 bytes) is rejected before it is even copied in (so the
// pointer is not read) and before the signature policy applies.
TEST_P(init_module, shorter_than_elf_header_enoexec, NEGATIVE, LINUX, kShortImages) {
    require_modules();
    require_module_cap();
    EXPECT_ERR(sys::init_module(common::kBadPtr, row.len, ""), module_errno(ENOEXEC));
}

// init_module(2) EFAULT: "An address argument referred to a location that
// is outside the process's accessible address space" (an image of 64 bytes
// or more at a bad address).
TEST(init_module, bad_image_pointer_efault, NEGATIVE, LINUX) {
    require_modules();
    require_module_cap();
    EXPECT_ERR(sys::init_module(common::kBadPtr, 64, ""), module_errno(EFAULT));
}

// ---------------------------------------------------------------------------
// finit_module(2)

// finit_module(2) EPERM without CAP_SYS_MODULE, checked before the flags
// and the descriptor.
TEST(finit_module, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_modules();
    common::unprivileged([](void*) {
        EXPECT_ERR(sys::finit_module(-1, "", 0), EPERM);
        EXPECT_ERR(sys::finit_module(-1, "", -1), EPERM);
    });
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadModFlags[] = {{"flags=8", 8}, {"flags=-1", -1}, {"flags=0x100", 0x100}};
// finit_module(2) EINVAL: "Invalid flags" - checked before the descriptor.
TEST_P(finit_module, bad_flags_einval, NEGATIVE, LINUX, kBadModFlags) {
    require_modules();
    require_module_cap();
    EXPECT_ERR(sys::finit_module(-1, "", row.flags), module_errno(EINVAL));
}

// finit_module(2) EBADF: "The file referred to by fd is not opened for
// reading" - or is no descriptor at all.
TEST(finit_module, bad_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_modules();
    require_module_cap();
    EXPECT_ERR(sys::finit_module(-1, "", 0), module_errno(EBADF));
    kc::Fd wr(zero_file(64, O_WRONLY));
    ASSERT_OK(wr.get());
    EXPECT_ERR(sys::finit_module(wr, "", 0), module_errno(EBADF));
}

// finit_module(2): the file must be a regular file with contents; Linux
// answers EINVAL for an empty file and for a directory (kernel_read_file),
// and ETXTBSY for a file that is open for writing (as this descriptor is:
// a module file is read with writers denied).
TEST(finit_module, unreadable_file_errors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_modules();
    require_module_cap();
    kc::Fd empty(zero_file(0, O_RDONLY));
    ASSERT_OK(empty.get());
    EXPECT_ERR(sys::finit_module(empty, "", 0), module_errno(EINVAL));
    EXPECT_ERR(sys::finit_module(kc::scratch_fd(), "", 0), module_errno(EINVAL));
    kc::Fd rw(zero_file(64, O_RDWR));
    ASSERT_OK(rw.get());
    EXPECT_ERR(sys::finit_module(rw, "", 0), module_errno(ETXTBSY));
}

// finit_module(2) on a file of zeros: no ELF header, so ENOEXEC - unless
// the kernel only takes signed modules (module.sig_enforce: EKEYREJECTED)
// or is locked down (EPERM): the signature is checked first.
TEST(finit_module, zero_image_enoexec, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_modules();
    require_module_cap();
    int err = ENOEXEC;
    kc::Fd sig(
        sys::openat(AT_FDCWD, "/sys/module/module/parameters/sig_enforce", O_RDONLY | O_CLOEXEC));
    char c = 0;
    if (sig.ok() && sys::read(sig, &c, 1) == 1 && c == 'Y') err = EKEYREJECTED;
    kc::Fd fd(zero_file(4096, O_RDONLY));
    ASSERT_OK(fd.get());
    long r = sys::finit_module(fd, "", 0);
    if (err == ENOEXEC && r == -EPERM && !module_errno(0))
        kc::skip("the kernel is locked down (EPERM for unsigned modules)");
    EXPECT_ERR(r, module_errno(err));
}

// ---------------------------------------------------------------------------
// delete_module(2)

// delete_module(2) EPERM: "The caller was not privileged (did not have the
// CAP_SYS_MODULE capability)", before the name is looked at.
TEST(delete_module, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_modules();
    common::unprivileged([](void*) {
        EXPECT_ERR(sys::delete_module("kconform_no_such_module_xyz", 0), EPERM);
        EXPECT_ERR(sys::delete_module(static_cast<const char*>(common::kBadPtr), 0), EPERM);
    });
}

struct Name {
    const char* label;
    int which;  // 0 no such module, 1 empty, 2 56 characters (MODULE_NAME_LEN)
    unsigned flags;
};
constexpr Name kNoModules[] = {
    {"no_such_module", 0, 0},
    {"no_such_module,O_NONBLOCK", 0, O_NONBLOCK},
    {"no_such_module,O_TRUNC", 0, O_TRUNC},
    {"no_such_module,flags=-1", 0, ~0u},
    {"empty", 1, 0},
    {"name_too_long", 2, 0},
};
// delete_module(2) ENOENT: "No module by that name exists" - also for an
// empty name and for one of MODULE_NAME_LEN characters or more, which no
// module can have. Linux does not look at the flags before the lookup, so
// even unknown flags give ENOENT.
TEST_P(delete_module, no_such_module_enoent, NEGATIVE, LINUX, kNoModules) {
    require_modules();
    require_module_cap();
    static constexpr char long_name[] = "kconform_no_such_module_with_a_name_of_56_characters_xyz";
    static_assert(sizeof long_name - 1 == MODULE_NAME_LEN);
    const char* name = row.which == 0   ? "kconform_no_such_module_xyz"
                       : row.which == 1 ? ""
                                        : long_name;
    EXPECT_ERR(sys::delete_module(name, row.flags), module_errno(ENOENT));
}

// delete_module(2) EFAULT: "name refers to a location outside the process's
// accessible address space".
TEST(delete_module, bad_name_pointer_efault, NEGATIVE, LINUX) {
    require_modules();
    require_module_cap();
    EXPECT_ERR(sys::delete_module(static_cast<const char*>(common::kBadPtr), 0),
               module_errno(EFAULT));
}

// ---------------------------------------------------------------------------
// kexec_load(2), kexec_file_load(2)

// kexec_load(2) EPERM: "The caller does not have the CAP_SYS_BOOT
// capability" - before anything else; the arguments are invalid as well.
TEST(kexec_load, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_kexec();
    common::unprivileged([](void*) {
        EXPECT_ERR(sys::kexec_load(0, KEXEC_SEGMENT_MAX + 1, nullptr, 0x8000), EPERM);
    });
}

struct Kexec {
    const char* label;
    unsigned long nsegs, flags;
};
constexpr Kexec kBadKexec[] = {
    {"unknown_flag", 1, 0x8000},
    {"flags=0xff00", 1, 0xff00},
    {"nr_segments=17", KEXEC_SEGMENT_MAX + 1, 0},
    {"nr_segments=-1", ~0ul, 0},
    {"unknown_arch", 1, 0x7fff0000},
};
// kexec_load(2) EINVAL: "flags is invalid", "The value of nr_segments
// exceeds KEXEC_SEGMENT_MAX (16)", and an architecture in the high 16 bits
// of flags that is neither this one nor KEXEC_ARCH_DEFAULT - each checked
// before the segments are read (the pointer is NULL) or anything unloads.
TEST_P(kexec_load, bad_arguments_einval, NEGATIVE, LINUX, kBadKexec) {
    require_kexec();
    require_kexec_root();
    EXPECT_ERR(sys::kexec_load(0, row.nsegs, nullptr, row.flags), kexec_errno(EINVAL));
}

// kexec_file_load(2) EPERM without CAP_SYS_BOOT (invalid flags as well).
TEST(kexec_file_load, unprivileged_eperm, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    REQUIRE_NR(kexec_file_load);
    require_kexec();
    common::unprivileged(
        [](void*) { EXPECT_ERR(sys::kexec_file_load(-1, -1, 0, nullptr, 0x80), EPERM); });
}

constexpr Kexec kBadKexecFileFlags[] = {
    {"flags=0x80", 0, 0x80}, {"flags=0x80000000", 0, 0x80000000ul}, {"flags=-2", 0, ~1ul}};
// kexec_file_load(2) EINVAL: "Invalid flags" (KEXEC_FILE_UNLOAD is never
// passed: -2 has every bit but that one).
TEST_P(kexec_file_load, bad_flags_einval, NEGATIVE, LINUX, kBadKexecFileFlags) {
    REQUIRE_NR(kexec_file_load);
    require_kexec();
    require_kexec_root();
    EXPECT_ERR(sys::kexec_file_load(-1, -1, 0, nullptr, row.flags), kexec_errno(EINVAL));
}

// kexec_file_load(2) EBADF: "kernel_fd or initrd_fd is not a valid file
// descriptor" (flags 0: a load that fails at the first read).
TEST(kexec_file_load, bad_fd_ebadf, NEGATIVE, LINUX) {
    REQUIRE_NR(kexec_file_load);
    require_kexec();
    require_kexec_root();
    EXPECT_ERR(sys::kexec_file_load(-1, -1, 0, nullptr, KEXEC_FILE_NO_INITRAMFS),
               kexec_errno(EBADF));
}

// ---------------------------------------------------------------------------
// reboot(2)

namespace {

// A command reboot(2) does not define: even past the checks it is EINVAL.
constexpr unsigned kNoCommand = 0x0badc0de;

// reboot(2) checks CAP_SYS_BOOT against the user namespace that owns the
// caller's PID namespace (so root of `unshare -r` is refused).
bool may_reboot() { return kc::cap_over_namespace(CAP_SYS_BOOT, "pid"); }

}  // namespace

struct Magic {
    const char* label;
    unsigned magic, magic2;
};
constexpr Magic kBadMagic[] = {
    {"magic=0", 0, LINUX_REBOOT_MAGIC2},
    {"magic2=0", LINUX_REBOOT_MAGIC1, 0},
    {"swapped", LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC1},
    {"magic2=magic2+1", LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2 + 1},
};
// reboot(2) EINVAL: "Bad magic numbers" - with privilege; the command does
// not exist either, so nothing could happen past the check.
TEST_P(reboot, bad_magic_einval, NEGATIVE, LINUX, kBadMagic) {
    if (!may_reboot()) kc::skip("needs CAP_SYS_BOOT over its PID namespace");
    EXPECT_ERR(sys::reboot(kNoCommand, row.magic, row.magic2), EINVAL);
}

constexpr Magic kGoodMagic[] = {
    {"magic2", LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2},
    {"magic2a", LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2A},
    {"magic2b", LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2B},
    {"magic2c", LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2C},
};
// reboot(2) EINVAL for a cmd that is none of the LINUX_REBOOT_CMD_* values,
// with each accepted second magic number (also in a child PID namespace,
// where an unknown command is EINVAL too).
TEST_P(reboot, unknown_command_einval, NEGATIVE, LINUX, kGoodMagic) {
    if (!may_reboot()) kc::skip("needs CAP_SYS_BOOT over its PID namespace");
    EXPECT_ERR(sys::reboot(kNoCommand, row.magic, row.magic2), EINVAL);
}

// reboot(2) EPERM: "Insufficient privilege to call reboot(); the
// CAP_SYS_BOOT capability is required" - checked before the magic numbers,
// so bad magic is EPERM too.
TEST_P(reboot, unprivileged_eperm, NEGATIVE, LINUX, kBadMagic, .flags = kc::NEEDS_FORK) {
    common::unprivileged(
        [](void* p) {
            auto* m = static_cast<const Magic*>(p);
            EXPECT_ERR(sys::reboot(kNoCommand, m->magic, m->magic2), EPERM);
            EXPECT_ERR(sys::reboot(kNoCommand, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2), EPERM);
        },
        &row);
}

// reboot(2) from a user namespace that does not own the PID namespace
// (`unshare -r` root): EPERM, whatever its capabilities there.
TEST(reboot, foreign_pid_namespace_eperm, NEGATIVE, LINUX) {
    if (may_reboot()) kc::skip("needs a run without CAP_SYS_BOOT over its PID namespace");
    EXPECT_ERR(sys::reboot(kNoCommand, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2), EPERM);
}
