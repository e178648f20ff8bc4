// SPDX-License-Identifier: MIT
// vmsplice(2): user pages into a pipe (several segments, read back intact),
// pipe contents out to user memory through the read end, SPLICE_F_NONBLOCK
// on a full or empty pipe, EPIPE without readers, fds that are not pipes,
// nr_segs 0 and > IOV_MAX, unknown flags.
// Left out: SPLICE_F_GIFT page stealing (no observable contract since Linux
// 2.6.32), and the aliasing of gifted/unmodified pages (undefined by the man
// page).
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_splice.hpp"
#include "tests/aio/aio_util.hpp"

using namespace aio;

namespace {

void fill_pipe(int wfd) {
    char buf[512] = {};
    while (sys::write(wfd, buf, sizeof buf) > 0) {
    }
}

}  // namespace

// vmsplice(2): "maps nr_segs ranges of user memory described by iov into a
// pipe": the reader gets the segments' bytes in order.
TEST(vmsplice, user_pages_into_pipe, POSITIVE, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    ASSERT_OK(p.r);
    char a[] = "hello ", b[] = "vmsplice", c[] = "!";
    iovec v[] = {{a, 6}, {b, 8}, {c, 1}};
    ASSERT_RET(sys::vmsplice(p.wr, v, 3, 0), 15);
    char out[16] = {};
    EXPECT_RET(sys::read(p.rd, out, sizeof out), 15);
    EXPECT_MEM_EQ(out, "hello vmsplice!", 15);
}

// vmsplice(2): a page-sized, page-aligned buffer goes in whole.
TEST(vmsplice, whole_page_into_pipe, BOUNDARY, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    long m = sys::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT_OK(m);
    auto* page = reinterpret_cast<unsigned char*>(m);
    for (int i = 0; i < 4096; ++i) page[i] = u8(i * 7);
    iovec v[] = {{page, 4096}};
    EXPECT_RET(sys::vmsplice(p.wr, v, 1, 0), 4096);
    unsigned char out[256];
    long total = 0, bad = 0, n;
    while ((n = sys::read(p.rd, out, sizeof out)) > 0) {
        for (long i = 0; i < n; ++i) bad += out[i] != u8((total + i) * 7);
        total += n;
    }
    EXPECT_EQ(total, 4096);
    EXPECT_EQ(bad, 0);
    sys::munmap(page, 4096);
}

// vmsplice(2): "If fd is opened for reading, the vmsplice() system call fills
// nr_segs ranges of user memory described by iov from a pipe" — the read end
// is not an EBADF case; the pipe's data is consumed in order.
TEST(vmsplice, read_end_copies_to_user, POSITIVE, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    EXPECT_RET(sys::write(p.wr, "abcdef", 6), 6);
    char x[2] = {}, y[3] = {};
    iovec v[] = {{x, 2}, {y, 3}};
    EXPECT_RET(sys::vmsplice(p.rd, v, 2, 0), 5);
    EXPECT_MEM_EQ(x, "ab", 2);
    EXPECT_MEM_EQ(y, "cde", 3);
    char rest[4];
    EXPECT_RET(sys::read(p.rd, rest, 4), 1);
    EXPECT_EQ(rest[0], 'f');
}

// vmsplice(2): "EAGAIN SPLICE_F_NONBLOCK was specified in flags, and the
// operation would block" — a full pipe (blocking fd).
TEST(vmsplice, nonblock_full_pipe_eagain, BOUNDARY, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    fill_pipe(p.wr);
    ASSERT_OK(sys::fcntl(p.wr, F_SETFL, 0));
    char c = 'x';
    iovec v[] = {{&c, 1}};
    EXPECT_ERR(sys::vmsplice(p.wr, v, 1, SPLICE_F_NONBLOCK), EAGAIN);
}

// vmsplice(2): SPLICE_F_NONBLOCK on the read end of an empty pipe: EAGAIN.
TEST(vmsplice, nonblock_empty_pipe_read_eagain, BOUNDARY, LINUX) {
    kc::Pipe p(0);
    char c;
    iovec v[] = {{&c, 1}};
    EXPECT_ERR(sys::vmsplice(p.rd, v, 1, SPLICE_F_NONBLOCK), EAGAIN);
}

// vmsplice(2) into a pipe whose read end is closed: EPIPE (as write(2); the
// SIGPIPE that comes with it is blocked here and then discarded).
TEST(vmsplice, no_reader_epipe, NEGATIVE, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    p.rd.reset();
    u64 set = sigbit(SIGPIPE), old = 0;
    ASSERT_OK(sys::rt_sigprocmask(SIG_BLOCK, &set, &old));
    char c = 'x';
    iovec v[] = {{&c, 1}};
    EXPECT_ERR(sys::vmsplice(p.wr, v, 1, 0), EPIPE);
    siginfo si{};
    timespec zero{0, 0};
    EXPECT_RET(sys::rt_sigtimedwait(&set, &si, &zero), SIGPIPE);
    sys::rt_sigprocmask(SIG_SETMASK, &old, nullptr);
}

// vmsplice(2): "EBADF fd either not valid, or doesn't refer to a pipe":
// an eventfd (readable and writable, not a pipe), and fd -1.
TEST(vmsplice, not_a_pipe_ebadf, NEGATIVE, LINUX) {
    Fd efd(sys::eventfd2(0, 0));
    ASSERT_OK(efd.get());
    char buf[8] = {1};
    iovec v[] = {{buf, 8}};
    EXPECT_ERR(sys::vmsplice(efd, v, 1, 0), EBADF);
    EXPECT_ERR(sys::vmsplice(-1, v, 1, 0), EBADF);
}

// vmsplice(2): a regular file opened read/write is not a pipe: EBADF.
TEST(vmsplice, regular_file_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Fd fd(sys::openat(kc::scratch_fd(), "f", O_RDWR | O_CREAT, 0600));
    ASSERT_OK(fd.get());
    char buf[4] = "abc";
    iovec v[] = {{buf, 3}};
    EXPECT_ERR(sys::vmsplice(fd, v, 1, 0), EBADF);
}

// vmsplice(2): nr_segs 0 moves nothing and returns 0.
TEST(vmsplice, nr_segs_zero_returns_zero, BOUNDARY, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    iovec v[] = {{nullptr, 0}};
    EXPECT_RET(sys::vmsplice(p.wr, v, 0, 0), 0);
    EXPECT_RET(sys::vmsplice(p.wr, v, 1, 0), 0);
    char c;
    EXPECT_ERR(sys::read(p.rd, &c, 1), EAGAIN);
}

struct SegRow {
    const char* label;
    unsigned long n;
};
constexpr SegRow kBadSegs[] = {{"nr_segs=1025", 1025}, {"nr_segs=ULONG_MAX", ~0ul}};
// vmsplice(2): "EINVAL nr_segs is greater than IOV_MAX".
TEST_P(vmsplice, nr_segs_too_large_einval, NEGATIVE, LINUX, kBadSegs) {
    kc::Pipe p(O_NONBLOCK);
    char c = 'x';
    iovec v[] = {{&c, 1}};
    EXPECT_ERR(sys::vmsplice(p.wr, v, row.n, 0), EINVAL);
}

struct FlagRow {
    const char* label;
    unsigned flags;
};
constexpr FlagRow kBadFlags[] = {{"0x10", 0x10}, {"bit31", 0x80000000u}};
// vmsplice(2): flags outside SPLICE_F_{MOVE,NONBLOCK,MORE,GIFT} are EINVAL
// in Linux (fs/splice.c); the man page lists the four flags but no error.
TEST_P(vmsplice, unknown_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    kc::Pipe p(O_NONBLOCK);
    char c = 'x';
    iovec v[] = {{&c, 1}};
    EXPECT_ERR(sys::vmsplice(p.wr, v, 1, row.flags), EINVAL);
}

constexpr FlagRow kGoodFlags[] = {
    {"MOVE", SPLICE_F_MOVE}, {"MORE", SPLICE_F_MORE}, {"GIFT", SPLICE_F_GIFT}};
// vmsplice(2): the defined flags are accepted; the data still arrives.
TEST_P(vmsplice, defined_flags_accepted, POSITIVE, LINUX, kGoodFlags) {
    kc::Pipe p(O_NONBLOCK);
    char c[2] = {'q', 'r'};
    iovec v[] = {{c, 2}};
    EXPECT_RET(sys::vmsplice(p.wr, v, 1, row.flags), 2);
    char out[2];
    EXPECT_RET(sys::read(p.rd, out, 2), 2);
    EXPECT_MEM_EQ(out, "qr", 2);
}

// vmsplice(2): "EFAULT" for an iovec array outside the address space.
TEST(vmsplice, bad_iovec_efault, NEGATIVE, LINUX) {
    kc::Pipe p(O_NONBLOCK);
    EXPECT_ERR(sys::vmsplice(p.wr, reinterpret_cast<iovec*>(8), 1, 0), EFAULT);
}
