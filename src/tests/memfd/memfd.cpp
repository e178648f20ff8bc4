// SPDX-License-Identifier: MIT
// memfd_create(2) and file sealing (fcntl F_ADD_SEALS/F_GET_SEALS on
// memfds): data through read/write and shared mappings, size via ftruncate
// and fstat, name and flag validation, MFD_EXEC/MFD_NOEXEC_SEAL modes, every
// seal (SEAL, SHRINK, GROW, WRITE, FUTURE_WRITE, EXEC) and its EPERM/EBUSY/
// EACCES consequences, sealing without MFD_ALLOW_SEALING or on other files,
// and a create/close leak check. The seal tests are in group `fcntl` (the
// system call that takes the seals), named seal_*.
// memfd_create's defaults depend on the vm.memfd_noexec sysctl; tests that
// rely on the default (0) skip when /proc says otherwise.
// Left out: MFD_HUGETLB (needs reserved huge pages), fallocate punch-hole
// under F_SEAL_WRITE, seals through /proc/self/fd reopening, O_TRUNC opens.
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_mm.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"
#include "tests/fd/fd_common.hpp"

using namespace multiplex;

namespace {

// vm.memfd_noexec: 0 (the default, also when unreadable), 1 or 2.
int noexec_policy() {
    kc::Fd f(sys::openat(AT_FDCWD, "/proc/sys/vm/memfd_noexec", O_RDONLY | O_CLOEXEC));
    char c = '0';
    if (f.get() >= 0) sys::read(f, &c, 1);
    return c - '0';
}
void need_default_policy() {
    if (noexec_policy() != 0) kc::skip("vm.memfd_noexec is not 0: memfd defaults differ");
}

// A sealable memfd holding `size` bytes of 'm'.
long sealable(long size = 0) {
    long fd = sys::memfd_create("kc_seal", MFD_ALLOW_SEALING | MFD_CLOEXEC);
    if (fd < 0) return fd;
    char buf[256];
    for (char& c : buf) c = 'm';
    for (long done = 0; done < size;) {
        long n = sys::write(int(fd), buf, usize(size - done < 256 ? size - done : 256));
        if (n <= 0) return n;
        done += n;
    }
    return fd;
}

long seals(int fd) { return sys::fcntl(fd, F_GET_SEALS); }
long add_seals(int fd, long s) { return sys::fcntl(fd, F_ADD_SEALS, s); }

}  // namespace

// memfd_create(2): "creates an anonymous file": bytes written come back
// intact through read and pread, and the file offset behaves as for a file.
TEST(memfd_create, data_round_trip, POSITIVE, LINUX) {
    kc::Fd fd(sys::memfd_create("kc_data", MFD_CLOEXEC));
    ASSERT_OK(fd.get());
    const char msg[] = "memfd round trip";
    EXPECT_RET(sys::write(fd, msg, sizeof msg), long(sizeof msg));
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), long(sizeof msg));
    char back[sizeof msg] = {};
    EXPECT_RET(sys::pread64(fd, back, sizeof back, 0), long(sizeof back));
    EXPECT_MEM_EQ(back, msg, sizeof msg);
    EXPECT_RET(sys::lseek(fd, 7, SEEK_SET), 7);
    char c = 0;
    EXPECT_RET(sys::read(fd, &c, 1), 1);
    EXPECT_EQ(c, msg[7]);
}

// memfd_create(2): the new file is a regular file of size 0, open O_RDWR.
TEST(memfd_create, starts_empty_regular_file, POSITIVE, LINUX) {
    kc::Fd fd(sys::memfd_create("kc_empty", 0));
    ASSERT_OK(fd.get());
    arch::Stat st{};
    ASSERT_OK(sys::fstat(fd, &st));
    EXPECT_EQ(st.st_mode & S_IFMT, S_IFREG);
    EXPECT_EQ(st.st_size, 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    char c;
    EXPECT_RET(sys::read(fd, &c, 1), 0);
}

struct Size {
    const char* label;
    long size;
};
constexpr Size kSizes[] = {
    {"size=0", 0}, {"size=1", 1}, {"size=4095", 4095}, {"size=4096", 4096}, {"size=1MiB", 1 << 20}};
// memfd_create(2): "The initial size of the file is set to 0 ... the file
// size should be set using ftruncate(2)": fstat reports it, the data below
// the old end survives, the extension reads as zeros, EOF is at the size.
TEST_P(memfd_create, ftruncate_sets_size, POSITIVE, LINUX, kSizes) {
    kc::Fd fd(sys::memfd_create("kc_size", 0));
    ASSERT_OK(fd.get());
    ASSERT_RET(sys::write(fd, "abc", 3), 3);
    EXPECT_RET(ftruncate(fd, row.size), 0);
    EXPECT_EQ(fd::file_size(fd), row.size);
    char c = 'x';
    if (row.size > 0) {
        EXPECT_RET(sys::pread64(fd, &c, 1, 0), 1);
        EXPECT_EQ(c, 'a');
        EXPECT_RET(sys::pread64(fd, &c, 1, row.size - 1), 1);
        EXPECT_EQ(c, row.size > 3 ? 0 : "abc"[row.size - 1]);
    }
    EXPECT_RET(sys::pread64(fd, &c, 1, row.size), 0);
}

// memfd_create(2): a shared mapping and read/write see the same bytes.
TEST(memfd_create, shared_mapping_round_trip, POSITIVE, LINUX) {
    kc::Fd fd(sys::memfd_create("kc_map", 0));
    ASSERT_OK(fd.get());
    ASSERT_OK(ftruncate(fd, 4096));
    long a = mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    ASSERT_TRUE(!mmap_failed(a));
    char* p = reinterpret_cast<char*>(a);
    p[100] = 'Q';
    char c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 1, 100), 1);
    EXPECT_EQ(c, 'Q');
    EXPECT_RET(sys::pwrite64(fd, "R", 1, 200), 1);
    EXPECT_EQ(p[200], 'R');
    sys::munmap(p, 4096);
}

// memfd_create(2): "Names do not affect the behavior of the file descriptor,
// and as such multiple files can have the same name".
TEST(memfd_create, same_name_independent_files, POSITIVE, LINUX) {
    kc::Fd a(sys::memfd_create("kc_same", 0)), b(sys::memfd_create("kc_same", 0));
    ASSERT_OK(a.get());
    ASSERT_OK(b.get());
    EXPECT_RET(sys::write(a, "only a", 6), 6);
    EXPECT_EQ(fd::file_size(b), 0);
}

struct Flags {
    const char* label;
    unsigned flags;
};
constexpr Flags kGoodFlags[] = {{"flags=0", 0}, {"flags=MFD_CLOEXEC", MFD_CLOEXEC}};
// memfd_create(2): MFD_CLOEXEC sets FD_CLOEXEC on the new fd.
TEST_P(memfd_create, cloexec_flag, POSITIVE, LINUX, kGoodFlags) {
    kc::Fd fd(sys::memfd_create("kc_cloexec", row.flags));
    ASSERT_OK(fd.get());
    EXPECT_RET(sys::fcntl(fd, F_GETFD), row.flags ? FD_CLOEXEC : 0);
}

constexpr Flags kBadFlags[] = {{"flags=0x20", 0x20},
                               {"flags=0x40", 0x40},
                               {"flags=0x80000000", 0x80000000u},
                               {"flags=MFD_HUGE_2MB_without_HUGETLB", 21u << 26},
                               {"flags=MFD_EXEC|MFD_NOEXEC_SEAL", MFD_EXEC | MFD_NOEXEC_SEAL}};
// memfd_create(2): EINVAL "flags included unknown bits", huge-page size bits
// without MFD_HUGETLB, or both MFD_EXEC and MFD_NOEXEC_SEAL.
TEST_P(memfd_create, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    EXPECT_ERR(sys::memfd_create("kc_bad", row.flags), EINVAL);
}

struct NameLen {
    const char* label;
    int len;
};
constexpr NameLen kGoodNames[] = {{"len=0", 0}, {"len=1", 1}, {"len=249", 249}};
// memfd_create(2): names up to 249 bytes (NAME_MAX minus the "memfd:"
// prefix) are accepted, the empty name too.
TEST_P(memfd_create, name_length_ok, BOUNDARY, LINUX, kGoodNames) {
    char name[300];
    for (int i = 0; i < row.len; ++i) name[i] = 'n';
    name[row.len] = 0;
    kc::Fd fd(sys::memfd_create(name, 0));
    EXPECT_OK(fd.get());
}

constexpr NameLen kLongNames[] = {{"len=250", 250}, {"len=255", 255}, {"len=4095", 4095}};
// memfd_create(2): EINVAL "The length of name exceeds 249 bytes".
TEST_P(memfd_create, name_too_long_einval, NEGATIVE, LINUX, kLongNames) {
    common::AnonMap m(8192);
    ASSERT_TRUE(m.p != nullptr);
    for (int i = 0; i < row.len; ++i) m.p[i] = 'n';
    EXPECT_ERR(sys::memfd_create(m.p, 0), EINVAL);
}

struct BadName {
    const char* label;
    bool null;
};
constexpr BadName kBadNames[] = {{"name=NULL", true}, {"name=unmapped", false}};
// memfd_create(2): EFAULT "The address in name points to invalid memory".
TEST_P(memfd_create, bad_name_pointer_efault, NEGATIVE, LINUX, kBadNames) {
    const char* name = row.null ? nullptr : static_cast<char*>(unmapped_page());
    EXPECT_ERR(sys::memfd_create(name, 0), EFAULT);
}

// memfd_create(2): MFD_NOEXEC_SEAL (Linux 6.3) creates a non-executable
// file (mode 0666) with F_SEAL_EXEC set and sealing allowed; chmod +x fails.
// An older kernel refuses the flag it does not know: EINVAL.
TEST(memfd_create, noexec_seal_flag, POSITIVE, LINUX) {
    if (kc::linux_before(6, 3)) {
        EXPECT_ERR(sys::memfd_create("kc_noexec", MFD_NOEXEC_SEAL), EINVAL);
        return;
    }
    kc::Fd fd(sys::memfd_create("kc_noexec", MFD_NOEXEC_SEAL));
    ASSERT_OK(fd.get());
    arch::Stat st{};
    ASSERT_OK(sys::fstat(fd, &st));
    EXPECT_EQ(st.st_mode & 0777, 0666);
    EXPECT_EQ(seals(fd), F_SEAL_EXEC);
    EXPECT_ERR(fchmod(fd, 0777), EPERM);
    EXPECT_RET(add_seals(fd, F_SEAL_GROW), 0);  // implies MFD_ALLOW_SEALING
}

// memfd_create(2): MFD_EXEC creates an executable file (mode 0777), not
// sealable unless MFD_ALLOW_SEALING is given (Linux 6.3; an older kernel
// refuses the flag: EINVAL).
TEST(memfd_create, exec_flag_mode, POSITIVE, LINUX) {
    if (kc::linux_before(6, 3)) {
        EXPECT_ERR(sys::memfd_create("kc_exec", MFD_EXEC), EINVAL);
        return;
    }
    if (noexec_policy() == 2) kc::skip("vm.memfd_noexec=2 refuses MFD_EXEC");
    kc::Fd fd(sys::memfd_create("kc_exec", MFD_EXEC));
    ASSERT_OK(fd.get());
    arch::Stat st{};
    ASSERT_OK(sys::fstat(fd, &st));
    EXPECT_EQ(st.st_mode & 0777, 0777);
    EXPECT_EQ(seals(fd), F_SEAL_SEAL);
}

// memfd_create(2): memfds created and closed (each with a page of data) leak
// nothing: the same fd every time; the next one works. The loop crosses
// RLIMIT_NOFILE, lowered to 64 above the lowest free fd, four times over: a
// leaked descriptor fails it with EMFILE (or a wrong number) within it.
// (The ID keeps its old count, 10,000, which crossed nothing more.)
TEST(memfd_create, create_close_10000_no_leak, BOUNDARY, LINUX) {
    common::limit_fd_room();
    long first = sys::memfd_create("kc_leak", 0);
    ASSERT_OK(first);
    sys::close(int(first));
    int bad = 0;
    for (int i = 0; i < common::kFdLeakRounds; ++i) {
        long fd = sys::memfd_create("kc_leak", MFD_CLOEXEC);
        if (fd != first) ++bad;
        if (fd < 0) continue;
        if (ftruncate(int(fd), 4096) != 0 || sys::pwrite64(int(fd), "x", 1, 4000) != 1) ++bad;
        sys::close(int(fd));
    }
    EXPECT_EQ(bad, 0);
    kc::Fd fd(sys::memfd_create("kc_leak", 0));
    EXPECT_RET(fd.get(), first);
    EXPECT_EQ(fd::file_size(fd), 0);
}

// memfd_create(2): without MFD_ALLOW_SEALING "the initial set of seals will
// be F_SEAL_SEAL": no seal can be added (EPERM), not even none.
TEST(fcntl, seal_without_allow_sealing_eperm, NEGATIVE, LINUX) {
    need_default_policy();
    kc::Fd fd(sys::memfd_create("kc_nosealing", 0));
    ASSERT_OK(fd.get());
    EXPECT_RET(seals(fd), F_SEAL_SEAL);
    EXPECT_ERR(add_seals(fd, F_SEAL_WRITE), EPERM);
    EXPECT_ERR(add_seals(fd, 0), EPERM);
    EXPECT_RET(sys::write(fd, "ok", 2), 2);  // and nothing got sealed
}

// memfd_create(2): with MFD_ALLOW_SEALING the file starts with no seals.
TEST(fcntl, seal_allow_sealing_starts_empty, POSITIVE, LINUX) {
    need_default_policy();
    kc::Fd fd(sealable());
    ASSERT_OK(fd.get());
    EXPECT_RET(seals(fd), 0);
}

// fcntl(2) F_SEAL_WRITE: write(2) fails with EPERM and the contents stay;
// the size may still change ("shrinking or growing ... is still possible").
TEST(fcntl, seal_write_blocks_write_eperm, POSITIVE, LINUX) {
    kc::Fd fd(sealable(4));
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_WRITE), 0);
    EXPECT_RET(seals(fd), F_SEAL_WRITE);
    EXPECT_ERR(sys::write(fd, "x", 1), EPERM);
    EXPECT_ERR(sys::pwrite64(fd, "x", 1, 0), EPERM);
    char c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 1, 0), 1);
    EXPECT_EQ(c, 'm');
    EXPECT_RET(ftruncate(fd, 8192), 0);
    EXPECT_RET(ftruncate(fd, 2), 0);
    EXPECT_EQ(fd::file_size(fd), 2);
}

// fcntl(2) F_SEAL_WRITE: "trying to create new shared, writable memory
// mappings via mmap(2) will also fail with EPERM"; private writable and
// shared read-only mappings work, and a shared read-only one cannot be made
// writable with mprotect (EACCES: it lost VM_MAYWRITE).
TEST(fcntl, seal_write_blocks_shared_writable_mmap, BOUNDARY, LINUX) {
    kc::Fd fd(sealable(4096));
    ASSERT_OK(fd.get());
    ASSERT_OK(add_seals(fd, F_SEAL_WRITE));
    EXPECT_ERR(mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd), EPERM);
    long priv = mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
    ASSERT_TRUE(!mmap_failed(priv));
    reinterpret_cast<char*>(priv)[0] = 'p';  // a private copy
    long ro = mmap_fd(4096, PROT_READ, MAP_SHARED, fd);
    ASSERT_TRUE(!mmap_failed(ro));
    EXPECT_EQ(reinterpret_cast<char*>(ro)[0], 'm');
    EXPECT_ERR(mprotect(reinterpret_cast<void*>(ro), 4096, PROT_READ | PROT_WRITE), EACCES);
    sys::munmap(reinterpret_cast<void*>(priv), 4096);
    sys::munmap(reinterpret_cast<void*>(ro), 4096);
}

// fcntl(2): F_ADD_SEALS with F_SEAL_WRITE "fails with EBUSY if any writable,
// shared mapping exists"; after munmap it succeeds.
TEST(fcntl, seal_write_with_writable_mapping_ebusy, NEGATIVE, LINUX) {
    kc::Fd fd(sealable(4096));
    ASSERT_OK(fd.get());
    long a = mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    ASSERT_TRUE(!mmap_failed(a));
    EXPECT_ERR(add_seals(fd, F_SEAL_WRITE), EBUSY);
    EXPECT_RET(seals(fd), 0);
    sys::munmap(reinterpret_cast<void*>(a), 4096);
    EXPECT_RET(add_seals(fd, F_SEAL_WRITE), 0);
}

// fcntl(2) F_SEAL_FUTURE_WRITE: write(2) and new writable shared mappings
// fail with EPERM, but a shared writable mapping made before still writes.
TEST(fcntl, seal_future_write_keeps_old_mapping, POSITIVE, LINUX) {
    kc::Fd fd(sealable(4096));
    ASSERT_OK(fd.get());
    long a = mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
    ASSERT_TRUE(!mmap_failed(a));
    EXPECT_RET(add_seals(fd, F_SEAL_FUTURE_WRITE), 0);
    EXPECT_ERR(sys::pwrite64(fd, "w", 1, 0), EPERM);
    EXPECT_ERR(mmap_fd(4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd), EPERM);
    reinterpret_cast<char*>(a)[0] = 'z';
    char c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 1, 0), 1);
    EXPECT_EQ(c, 'z');
    sys::munmap(reinterpret_cast<void*>(a), 4096);
}

// fcntl(2) F_SEAL_SHRINK: ftruncate to a smaller size fails with EPERM (size
// unchanged); growing still works.
TEST(fcntl, seal_shrink_blocks_shrinking, POSITIVE, LINUX) {
    kc::Fd fd(sealable(100));
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_SHRINK), 0);
    EXPECT_ERR(ftruncate(fd, 99), EPERM);
    EXPECT_ERR(ftruncate(fd, 0), EPERM);
    EXPECT_EQ(fd::file_size(fd), 100);
    EXPECT_RET(ftruncate(fd, 100), 0);  // same size: allowed
    EXPECT_RET(ftruncate(fd, 200), 0);
    EXPECT_RET(sys::pwrite64(fd, "w", 1, 500), 1);
    EXPECT_EQ(fd::file_size(fd), 501);
}

// fcntl(2) F_SEAL_GROW: ftruncate up and writes past the end fail with
// EPERM; writes inside the file and shrinking work.
TEST(fcntl, seal_grow_blocks_growing, POSITIVE, LINUX) {
    kc::Fd fd(sealable(100));
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_GROW), 0);
    EXPECT_ERR(ftruncate(fd, 101), EPERM);
    EXPECT_ERR(sys::pwrite64(fd, "ab", 2, 99), EPERM);
    EXPECT_ERR(sys::pwrite64(fd, "a", 1, 100), EPERM);
    EXPECT_RET(sys::pwrite64(fd, "a", 1, 99), 1);
    EXPECT_EQ(fd::file_size(fd), 100);
    EXPECT_RET(ftruncate(fd, 50), 0);
    EXPECT_ERR(ftruncate(fd, 100), EPERM);
    EXPECT_EQ(fd::file_size(fd), 50);
}

// fcntl(2) F_SEAL_SEAL: "any further call to fcntl() with F_ADD_SEALS fails
// with the error EPERM"; the seals stay as they were.
TEST(fcntl, seal_seal_locks_seal_set, NEGATIVE, LINUX) {
    kc::Fd fd(sealable());
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_SEAL | F_SEAL_SHRINK), 0);
    EXPECT_ERR(add_seals(fd, F_SEAL_GROW), EPERM);
    EXPECT_ERR(add_seals(fd, F_SEAL_SHRINK), EPERM);
    EXPECT_RET(seals(fd), F_SEAL_SEAL | F_SEAL_SHRINK);
    EXPECT_RET(ftruncate(fd, 10), 0);  // GROW was not added
}

// fcntl(2): seals accumulate and "Adding a seal that is already set is a
// no-op"; seals belong to the inode, so a dup sees them.
TEST(fcntl, seals_accumulate, POSITIVE, LINUX) {
    kc::Fd fd(sealable());
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_SHRINK), 0);
    EXPECT_RET(add_seals(fd, F_SEAL_GROW), 0);
    EXPECT_RET(add_seals(fd, F_SEAL_GROW), 0);
    EXPECT_RET(add_seals(fd, 0), 0);
    kc::Fd d(sys::dup(fd));
    ASSERT_OK(d.get());
    EXPECT_RET(seals(d), F_SEAL_SHRINK | F_SEAL_GROW);
}

struct Bits {
    const char* label;
    long bits;
};
constexpr Bits kBadSeals[] = {{"seals=0x40", 0x40},
                              {"seals=0x80", 0x80},
                              {"seals=F_SEAL_WRITE|0x100", F_SEAL_WRITE | 0x100},
                              {"seals=-1", -1}};
// fcntl(2): EINVAL "cmd is F_ADD_SEALS and arg includes an unrecognized
// sealing bit"; nothing is added.
TEST_P(fcntl, seal_unknown_bits_einval, NEGATIVE, LINUX, kBadSeals) {
    kc::Fd fd(sealable());
    ASSERT_OK(fd.get());
    EXPECT_ERR(add_seals(fd, row.bits), EINVAL);
    EXPECT_RET(seals(fd), 0);
}

// fcntl(2) F_SEAL_EXEC (Linux 6.3): the file's exec bits can no longer be
// changed: chmod away from 0777 fails with EPERM.
TEST(fcntl, seal_exec_blocks_chmod, POSITIVE, LINUX) {
    if (kc::linux_before(6, 3)) kc::skip("needs F_SEAL_EXEC and MFD_EXEC: Linux 6.3");
    if (noexec_policy() == 2) kc::skip("vm.memfd_noexec=2 refuses MFD_EXEC");
    kc::Fd fd(sys::memfd_create("kc_sealexec", MFD_EXEC | MFD_ALLOW_SEALING));
    ASSERT_OK(fd.get());
    EXPECT_RET(add_seals(fd, F_SEAL_EXEC), 0);
    EXPECT_ERR(fchmod(fd, 0666), EPERM);
    EXPECT_ERR(fchmod(fd, 0677), EPERM);
    EXPECT_RET(fchmod(fd, 0777), 0);
}

struct Other {
    const char* label;
    int kind;  // 0 pipe write end, 1 eventfd
};
constexpr Other kUnsealable[] = {{"file=pipe", 0}, {"file=eventfd", 1}};
// fcntl(2): EINVAL "cmd is F_ADD_SEALS or F_GET_SEALS and the filesystem
// containing the inode referred to by fd does not support sealing" (a
// writable fd, so that the EPERM check below does not apply).
TEST_P(fcntl, seal_unsupported_file_einval, NEGATIVE, LINUX, kUnsealable) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    kc::Fd ev(sys::eventfd2(0, 0));
    ASSERT_OK(ev.get());
    int fd = row.kind ? int(ev) : p.wr;
    EXPECT_ERR(seals(fd), EINVAL);
    EXPECT_ERR(add_seals(fd, F_SEAL_WRITE), EINVAL);
}

// fcntl(2): EPERM "cmd was F_ADD_SEALS, but fd was not open for writing";
// Linux checks this before whether the file supports sealing at all (a
// pipe's read end gives EPERM, its write end EINVAL).
TEST(fcntl, seal_read_only_fd_eperm, NEGATIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(add_seals(p.rd, F_SEAL_WRITE), EPERM);
}
