// SPDX-License-Identifier: MIT
// memfd_secret(2): flags (only O_CLOEXEC), the size set once by ftruncate,
// data written through a MAP_SHARED mapping kept by the file, MAP_PRIVATE
// refused, read(2)/write(2) on the descriptor refused, pages beyond the end
// of the file (SIGBUS), and the memory being out of reach of the kernel's
// page-pinning paths (process_vm_readv) while ordinary copies from it work.
// Skipped where the call is disabled (ENOSYS: CONFIG_SECRETMEM off,
// secretmem.enable=0, or no way to remove pages from the direct map, as on
// arm64 without rodata=full).
// Left out: the mlock accounting against RLIMIT_MEMLOCK (EAGAIN) and the
// ENFILE returned while hibernation is in progress.
#include "harness/test.hpp"
#include "rt/sys_fs.hpp"
#include "rt/sys_mm.hpp"
#include "tests/mm/mm_util.hpp"

namespace {

constexpr usize P = mm::kPage;
constexpr int RW = PROT_READ | PROT_WRITE;

// memfd_secret(flags), skipping when the kernel has it switched off.
long secret(unsigned flags) {
    long fd = sys::memfd_secret(flags);
    if (fd == -ENOSYS)
        kc::skip(
            "memfd_secret: not implemented (ENOSYS; Linux 5.14+, secretmem.enable, direct map)");
    return fd;
}

// A secret memory file of `size` bytes, mapped MAP_SHARED read-write over
// `pages` pages (skips when RLIMIT_MEMLOCK has no room: the pages count as
// locked memory).
u8* map_secret(int fd, usize size, usize pages) {
    ASSERT_OK(sys::ftruncate(fd, long(size)));
    long r = sys::mmap(nullptr, pages * P, RW, MAP_SHARED, fd, 0);
    if (r == -EAGAIN) kc::skip("needs room under RLIMIT_MEMLOCK for two pages of secret memory");
    ASSERT_OK(r);
    return reinterpret_cast<u8*>(r);
}

struct Flag {
    const char* label;
    unsigned flags;
};

}  // namespace

constexpr Flag kBadFlags[] = {{"flags=1", 1},
                              {"flags=O_NONBLOCK", O_NONBLOCK},
                              {"flags=O_CLOEXEC|2", O_CLOEXEC | 2},
                              {"flags=~0", ~0u}};

// memfd_secret(2): "EINVAL flags included unknown bits" - only O_CLOEXEC
// is accepted.
TEST_P(memfd_secret, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    EXPECT_ERR(secret(row.flags), EINVAL);
}

// memfd_secret(2): "O_CLOEXEC Set the close-on-exec flag on the new file
// descriptor"; without it the flag is clear.
TEST(memfd_secret, cloexec_flag, POSITIVE, LINUX) {
    kc::Fd a(secret(O_CLOEXEC));
    ASSERT_OK(a.get());
    EXPECT_RET(sys::fcntl(a, F_GETFD), FD_CLOEXEC);
    kc::Fd b(secret(0));
    ASSERT_OK(b.get());
    EXPECT_RET(sys::fcntl(b, F_GETFD), 0);
}

// memfd_secret(2): the memory "can be mapped with mmap(2) ... MAP_SHARED":
// data stored through one mapping is the file's; a second mapping of the
// same file sees it after the first is gone.
TEST(memfd_secret, data_round_trip, POSITIVE, LINUX) {
    mm::need_4k_pages();
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    u8* p = map_secret(fd, 2 * P, 2);
    mm::fill(p, 2 * P, 21);
    ASSERT_OK(sys::munmap(p, 2 * P));
    long q = sys::mmap(nullptr, 2 * P, PROT_READ, MAP_SHARED, fd, 0);
    ASSERT_OK(q);
    kc::Mapping m(reinterpret_cast<void*>(q), 2 * P);
    EXPECT_TRUE(mm::has_pattern(reinterpret_cast<u8*>(q), 2 * P, 21));
}

// memfd_secret(2) / mm/secretmem.c: secret memory is shared only;
// MAP_PRIVATE fails with EINVAL.
TEST(memfd_secret, private_mapping_einval, NEGATIVE, LINUX) {
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_OK(sys::ftruncate(fd, long(P)));
    EXPECT_ERR(sys::mmap(nullptr, P, RW, MAP_PRIVATE, fd, 0), EINVAL);
}

// memfd_secret(2): the file has no read or write operations: read(2) and
// write(2) fail with EINVAL (vfs: no FMODE_CAN_READ/WRITE); pread(2) fails
// first with ESPIPE (the file has no positioned I/O).
TEST(memfd_secret, read_write_einval, NEGATIVE, LINUX) {
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_OK(sys::ftruncate(fd, long(P)));
    char buf[8] = {};
    EXPECT_ERR(sys::read(fd, buf, sizeof buf), EINVAL);
    EXPECT_ERR(sys::write(fd, buf, sizeof buf), EINVAL);
    EXPECT_ERR(sys::pread64(fd, buf, sizeof buf, 0), ESPIPE);
}

// mm/secretmem.c setattr: the size is set once; changing a non-zero size
// with ftruncate(2) fails with EINVAL, and fstat keeps the first size.
TEST(memfd_secret, size_set_once, BOUNDARY, LINUX) {
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_OK(sys::ftruncate(fd, long(2 * P)));
    EXPECT_ERR(sys::ftruncate(fd, long(4 * P)), EINVAL);
    EXPECT_ERR(sys::ftruncate(fd, 0), EINVAL);
    arch::Stat st{};
    ASSERT_OK(sys::fstat(fd, &st));
    EXPECT_EQ(st.st_size, long(2 * P));
}

// memfd_secret(2): a mapping longer than the file faults with SIGBUS
// (BUS_ADRERR) beyond the end, like any shared file mapping; the page
// inside works.
TEST(memfd_secret, beyond_end_sigbus, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    mm::need_4k_pages();
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    u8* p = map_secret(fd, P, 2);
    kc::Mapping m(p, 2 * P);
    EXPECT_EQ(mm::touch(p + 10, true), 0);
    EXPECT_EQ(mm::touch(p + P + 10, false), mm::kBusAdrerr);
}

// memfd_secret(2): the pages are "inaccessible to the kernel" except for
// copies to and from the owning process: write(2) from them to a pipe
// works, while process_vm_readv(2), which pins the pages, fails (EFAULT).
TEST(memfd_secret, kernel_pinning_refused, NEGATIVE, LINUX) {
    mm::need_4k_pages();
    kc::Fd fd(secret(O_CLOEXEC));
    ASSERT_OK(fd.get());
    u8* p = map_secret(fd, P, 1);
    kc::Mapping m(p, P);
    mm::fill(p, 64, 5);
    kc::Pipe pp;
    ASSERT_OK(pp.r);
    EXPECT_RET(sys::write(pp.wr, p, 64), 64);
    u8 buf[64] = {};
    EXPECT_RET(sys::read(pp.rd, buf, 64), 64);
    EXPECT_TRUE(mm::has_pattern(buf, 64, 5));
    iovec local{buf, 64}, remote{p, 64};
    EXPECT_ERR(sys::process_vm_readv(int(sys::getpid()), &local, 1, &remote, 1, 0), EFAULT);
}
