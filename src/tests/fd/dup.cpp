// SPDX-License-Identifier: MIT
// dup(2), dup2(2), dup3(2): the new descriptor is the lowest free number (dup)
// or exactly newfd (dup2/dup3), shares the file offset and status flags with
// the original but not FD_CLOEXEC (one body per behaviour, run as a test of
// each call's group: dup, dup2, dup3 and fcntl F_DUPFD/F_DUPFD_CLOEXEC; the
// rest of F_DUPFD is in fcntl.cpp), dup2 onto an open newfd closes it
// first, dup2(fd, fd) returns fd, dup3(fd, fd) is EINVAL, bad descriptors,
// newfd at RLIMIT_NOFILE, a full table (EMFILE), and 10,000 duplications that
// must not leak descriptors or file references.
// Left out: the race of dup2 with a concurrent open of newfd (EBUSY), and
// execve's handling of FD_CLOEXEC (tests/proc/exec.cpp).
#include "tests/fd/fd_common.hpp"

namespace {

enum Via : u8 { VIA_DUP, VIA_DUP2, VIA_DUP3, VIA_DUP3_CLOEXEC, VIA_F_DUPFD, VIA_F_DUPFD_CLOEXEC };
struct DupVia {
    const char* label;
    Via via;
    bool cloexec;  // whether the new descriptor has FD_CLOEXEC
};
constexpr DupVia kDup = {"dup", VIA_DUP, false};
constexpr DupVia kDup2 = {"dup2", VIA_DUP2, false};
constexpr DupVia kDup3Vias[] = {{"flags=0", VIA_DUP3, false},
                                {"flags=O_CLOEXEC", VIA_DUP3_CLOEXEC, true}};
constexpr DupVia kDupfdVias[] = {{"cmd=F_DUPFD", VIA_F_DUPFD, false},
                                 {"cmd=F_DUPFD_CLOEXEC", VIA_F_DUPFD_CLOEXEC, true}};

// Duplicates fd the row's way; dup2/dup3 target the second-lowest free
// number, so that a kernel that ignores newfd is caught. Ends the test on
// failure.
int dup_via(const DupVia& row, int fd) {
    if (row.via == VIA_DUP2) REQUIRE_NR(dup2);
    int target = fd::lowest_free_from(fd::lowest_free() + 1);
    long r = -1;
    switch (row.via) {
        case VIA_DUP:
            r = sys::dup(fd);
            break;
        case VIA_DUP2:
            r = sys::dup2(fd, target);
            break;
        case VIA_DUP3:
            r = sys::dup3(fd, target, 0);
            break;
        case VIA_DUP3_CLOEXEC:
            r = sys::dup3(fd, target, O_CLOEXEC);
            break;
        case VIA_F_DUPFD:
            r = sys::fcntl(fd, F_DUPFD, 0);
            break;
        case VIA_F_DUPFD_CLOEXEC:
            r = sys::fcntl(fd, F_DUPFD_CLOEXEC, 0);
            break;
    }
    ASSERT_OK(r);
    if (row.via == VIA_DUP2 || row.via == VIA_DUP3 || row.via == VIA_DUP3_CLOEXEC) {
        EXPECT_EQ(r, target);
    }
    EXPECT_NE(r, fd);
    return int(r);
}

// Four open descriptors in ascending order.
void four_fds(int f[4]) {
    int a[2], b[2];
    fd::make_fds(a);
    fd::make_fds(b);
    int all[4] = {a[0], a[1], b[0], b[1]};
    for (int i = 0; i < 4; ++i) {
        for (int j = i + 1; j < 4; ++j) {
            if (all[j] < all[i]) {
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
        }
    }
    for (int i = 0; i < 4; ++i) f[i] = all[i];
}

}  // namespace

// dup(2): EBADF when oldfd is not an open file descriptor.
TEST_P(dup, bad_fd_ebadf, NEGATIVE, PSE52, fd::kBadFds) {
    EXPECT_ERR(sys::dup(fd::bad_fd(row)), EBADF);
}

// The bodies of the tests each way of duplicating shares (dup, dup2, dup3,
// fcntl F_DUPFD): every way is a test of its own call's group.

// The new descriptor shares the file offset with the original: a seek or
// read through one moves the other.
static void shares_file_offset(const DupVia& row) {
    int fd = fd::scratch_file("f", "0123456789", 10, O_RDONLY);
    int d = dup_via(row, fd);
    EXPECT_RET(sys::lseek(fd, 3, SEEK_SET), 3);
    EXPECT_RET(sys::lseek(d, 0, SEEK_CUR), 3);
    char buf[2] = {};
    EXPECT_RET(sys::read(d, buf, 2), 2);
    EXPECT_MEM_EQ(buf, "34", 2);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_CUR), 5);
    sys::close(d);
    sys::close(fd);
}

// The two descriptors share the file status flags: O_APPEND set through one
// is seen (and acted on) through the other.
static void shares_status_flags(const DupVia& row) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDWR);
    int d = dup_via(row, fd);
    EXPECT_RET(sys::fcntl(d, F_SETFL, O_APPEND), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_APPEND, O_APPEND);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_SET), 0);
    EXPECT_RET(sys::write(fd, "Z", 1), 1);  // appended, not at offset 0
    EXPECT_RET(fd::file_size(fd), 4);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, 0), 0);
    EXPECT_EQ(sys::fcntl(d, F_GETFL) & O_APPEND, 0);
    sys::close(d);
    sys::close(fd);
}

// FD_CLOEXEC belongs to the descriptor, not the open file: the new
// descriptor has it clear (set for dup3 O_CLOEXEC and F_DUPFD_CLOEXEC)
// whatever the original has, and changing it on one leaves the other alone.
static void fd_cloexec_not_shared(const DupVia& row) {
    int fd = fd::scratch_file("f", "abc", 3, O_RDONLY);  // opened with O_CLOEXEC
    EXPECT_RET(sys::fcntl(fd, F_GETFD), FD_CLOEXEC);
    int d = dup_via(row, fd);
    EXPECT_RET(sys::fcntl(d, F_GETFD), row.cloexec ? FD_CLOEXEC : 0);
    EXPECT_RET(sys::fcntl(d, F_SETFD, row.cloexec ? 0 : FD_CLOEXEC), 0);
    EXPECT_RET(sys::fcntl(fd, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(fd, F_SETFD, 0), 0);
    EXPECT_RET(sys::fcntl(d, F_GETFD), row.cloexec ? 0 : FD_CLOEXEC);
    sys::close(d);
    sys::close(fd);
}

// "They refer to the same open file description": the new descriptor keeps
// working after the original is closed.
static void usable_after_original_closed(const DupVia& row) {
    int fd = fd::scratch_file("f", "xyz", 3, O_RDONLY);
    int d = dup_via(row, fd);
    EXPECT_RET(sys::close(fd), 0);
    char buf[3] = {};
    EXPECT_RET(sys::read(d, buf, 3), 3);
    EXPECT_MEM_EQ(buf, "xyz", 3);
    sys::close(d);
}

// dup(2): "the old and new file descriptors ... share file offset".
TEST(dup, shares_file_offset, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    shares_file_offset(kDup);
}
// dup2(2): the same for the descriptor dup2 makes at newfd.
TEST(dup2, shares_file_offset, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    shares_file_offset(kDup2);
}
// dup3(2): the same for dup3, with and without O_CLOEXEC.
TEST_P(dup3, shares_file_offset, POSITIVE, PSE52, kDup3Vias, .flags = kc::NEEDS_SCRATCH) {
    shares_file_offset(row);
}
// fcntl(2) F_DUPFD, F_DUPFD_CLOEXEC: "the new file descriptor ... as for
// dup(2)": the same offset.
TEST_P(fcntl, dupfd_shares_file_offset, POSITIVE, PSE52, kDupfdVias, .flags = kc::NEEDS_SCRATCH) {
    shares_file_offset(row);
}

// dup(2): the two descriptors "share file offset and file status flags".
TEST(dup, shares_status_flags, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    shares_status_flags(kDup);
}
// dup2(2): the same status flags through newfd.
TEST(dup2, shares_status_flags, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    shares_status_flags(kDup2);
}
// dup3(2): the same status flags, with and without O_CLOEXEC.
TEST_P(dup3, shares_status_flags, POSITIVE, PSE52, kDup3Vias, .flags = kc::NEEDS_SCRATCH) {
    shares_status_flags(row);
}
// fcntl(2) F_DUPFD, F_DUPFD_CLOEXEC: the same status flags.
TEST_P(fcntl, dupfd_shares_status_flags, POSITIVE, PSE52, kDupfdVias, .flags = kc::NEEDS_SCRATCH) {
    shares_status_flags(row);
}

// dup(2): "The two file descriptors do not share file descriptor flags (the
// close-on-exec flag)": the copy has FD_CLOEXEC clear.
TEST(dup, fd_cloexec_not_shared, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fd_cloexec_not_shared(kDup);
}
// dup2(2): newfd has FD_CLOEXEC clear, whatever oldfd has.
TEST(dup2, fd_cloexec_not_shared, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    fd_cloexec_not_shared(kDup2);
}
// dup3(2): "The caller can force the close-on-exec flag to be set for the
// new file descriptor by specifying O_CLOEXEC in flags"; without it, clear.
TEST_P(dup3, fd_cloexec_not_shared, POSITIVE, PSE52, kDup3Vias, .flags = kc::NEEDS_SCRATCH) {
    fd_cloexec_not_shared(row);
}
// fcntl(2): F_DUPFD clears FD_CLOEXEC on the copy, F_DUPFD_CLOEXEC sets it.
TEST_P(fcntl, dupfd_fd_cloexec_not_shared, POSITIVE, PSE52, kDupfdVias,
       .flags = kc::NEEDS_SCRATCH) {
    fd_cloexec_not_shared(row);
}

// dup(2): "they refer to the same open file description": the copy works
// after the original is closed.
TEST(dup, usable_after_original_closed, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    usable_after_original_closed(kDup);
}
// dup2(2): newfd works after oldfd is closed.
TEST(dup2, usable_after_original_closed, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    usable_after_original_closed(kDup2);
}
// dup3(2): newfd works after oldfd is closed.
TEST_P(dup3, usable_after_original_closed, POSITIVE, PSE52, kDup3Vias, .flags = kc::NEEDS_SCRATCH) {
    usable_after_original_closed(row);
}
// fcntl(2) F_DUPFD, F_DUPFD_CLOEXEC: the copy works after the original is
// closed.
TEST_P(fcntl, dupfd_usable_after_original_closed, POSITIVE, PSE52, kDupfdVias,
       .flags = kc::NEEDS_SCRATCH) {
    usable_after_original_closed(row);
}

// dup(2): "uses the lowest-numbered unused file descriptor": holes below
// higher open descriptors are filled first, lowest first.
TEST(dup, returns_lowest_unused, POSITIVE, PSE52) {
    int f[4];
    four_fds(f);
    EXPECT_RET(sys::close(f[0]), 0);
    EXPECT_RET(sys::close(f[2]), 0);
    EXPECT_RET(sys::dup(f[3]), f[0]);
    EXPECT_RET(sys::dup(f[3]), f[2]);
    for (int fd : f) sys::close(fd);
}

// dup(2): EMFILE when the per-process limit of open descriptors has been
// reached; with one slot left the first dup takes it.
TEST(dup, table_full_emfile, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    fd::with_nofile_limit(u64(fd::lowest_free()) + 1, p[0], [](int fd, int limit) {
        EXPECT_RET(sys::dup(fd), limit - 1);
        EXPECT_ERR(sys::dup(fd), EMFILE);
        sys::close(limit - 1);
    });
    fd::close_pair(p);
}

// dup(2): 10,000 dup/close cycles return the same lowest number every time
// and leave nothing behind: the next dup still gets that number.
TEST(dup, create_close_10000_no_leak, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    int want = fd::lowest_free();
    int bad = 0;
    for (int i = 0; i < 10000 && bad < 3; ++i) {
        long d = sys::dup(p[1]);
        if (!EXPECT_RET(d, want)) ++bad;
        if (d >= 0) sys::close(int(d));
    }
    EXPECT_RET(sys::dup(p[0]), want);
    sys::close(want);
    fd::close_pair(p);
}

// dup2(2): EBADF when oldfd is not open; newfd (open) is neither closed nor
// changed (fstat sees the same file before and after).
TEST_P(dup2, bad_oldfd_ebadf, NEGATIVE, PSE52, fd::kBadFds) {
    REQUIRE_NR(dup2);
    int p[2];
    fd::make_fds(p);
    arch::Stat before{}, after{};
    EXPECT_RET(sys::fstat(p[0], &before), 0);
    EXPECT_ERR(sys::dup2(fd::bad_fd(row), p[0]), EBADF);
    EXPECT_RET(sys::fstat(p[0], &after), 0);
    EXPECT_EQ(long(after.st_ino), long(before.st_ino));
    fd::close_pair(p);
}

// dup2(2): EBADF when newfd is out of the allowed range (negative, or not
// below RLIMIT_NOFILE).
TEST_P(dup2, bad_newfd_ebadf, NEGATIVE, PSE52, fd::kBadNewFds) {
    REQUIRE_NR(dup2);
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::dup2(p[0], fd::bad_fd(row)), EBADF);
    fd::close_pair(p);
}

// dup2(2): dup2(1, -1) is EBADF (a microkernel was seen to panic on it).
TEST(dup2, stdout_to_minus_one_ebadf, NEGATIVE, PSE52) {
    REQUIRE_NR(dup2);
    if (!fd::is_open(1)) kc::skip("fd 1 is not open");
    EXPECT_ERR(sys::dup2(1, -1), EBADF);
    EXPECT_TRUE(fd::is_open(1));
}

// dup2(2): "If oldfd is a valid file descriptor, and newfd has the same value
// as oldfd, then dup2() does nothing, and returns newfd" (FD_CLOEXEC stays).
TEST(dup2, same_fd_returns_fd, BOUNDARY, PSE52) {
    REQUIRE_NR(dup2);
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::fcntl(p[0], F_SETFD, FD_CLOEXEC), 0);
    EXPECT_RET(sys::dup2(p[0], p[0]), p[0]);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::dup2(p[1], p[1]), p[1]);
    EXPECT_RET(sys::fcntl(p[1], F_GETFD), 0);
    fd::close_pair(p);
}

// dup2(2): "If oldfd is not a valid file descriptor ... and newfd has the
// same value": EBADF all the same.
TEST(dup2, same_closed_fd_ebadf, NEGATIVE, PSE52) {
    REQUIRE_NR(dup2);
    int fd = fd::lowest_free();
    EXPECT_ERR(sys::dup2(fd, fd), EBADF);
    EXPECT_TRUE(!fd::is_open(fd));
}

// dup2(2): an open newfd is closed first (silently) and then refers to
// oldfd's file; closing it drops the old file's last write end, so that
// pipe's reader sees EOF.
TEST(dup2, replaces_open_newfd, POSITIVE, PSE53) {
    REQUIRE_NR(dup2);
    int a[2], b[2];
    fd::make_pipe(a, O_NONBLOCK);
    fd::make_pipe(b, O_NONBLOCK);
    EXPECT_RET(sys::dup2(b[1], a[1]), a[1]);
    char c = 0;
    EXPECT_RET(sys::read(a[0], &c, 1), 0);  // a's only writer is gone
    EXPECT_RET(sys::write(a[1], "n", 1), 1);
    EXPECT_RET(sys::read(b[0], &c, 1), 1);  // ... and a[1] writes into b
    EXPECT_EQ(c, 'n');
    fd::close_pair(a);
    fd::close_pair(b);
}

// dup2(2): the FD_CLOEXEC flag of newfd is cleared, even if newfd was open
// with it set.
TEST(dup2, clears_fd_cloexec_of_open_newfd, POSITIVE, PSE52) {
    REQUIRE_NR(dup2);
    int p[2];
    fd::make_fds(p);
    long d = sys::fcntl(p[0], F_DUPFD_CLOEXEC, 0);
    ASSERT_OK(d);
    EXPECT_RET(sys::dup2(p[1], int(d)), d);
    EXPECT_RET(sys::fcntl(int(d), F_GETFD), 0);
    sys::close(int(d));
    fd::close_pair(p);
}

// dup2(2): EBADF when newfd is RLIMIT_NOFILE; RLIMIT_NOFILE - 1 is the
// highest usable number (with the limit lowered to a small value).
TEST(dup2, newfd_rlimit_boundary, BOUNDARY, PSE52) {
    REQUIRE_NR(dup2);
    int p[2];
    fd::make_fds(p);
    fd::with_nofile_limit(fd::kSmallLimit, p[0], [](int fd, int limit) {
        EXPECT_RET(sys::dup2(fd, limit - 1), limit - 1);
        EXPECT_RET(sys::close(limit - 1), 0);
        EXPECT_ERR(sys::dup2(fd, limit), EBADF);
        EXPECT_ERR(sys::fcntl(limit, F_GETFD), EBADF);
    });
    fd::close_pair(p);
}

// dup2(2): 10,000 dup2 calls onto the same newfd alternately with the two
// ends of a pipe: each one releases the previous file. Afterwards closing
// newfd and the write end must leave the reader at EOF (a leaked reference
// to the write end would show as EAGAIN).
TEST(dup2, replace_10000_no_leak, BOUNDARY, PSE53) {
    REQUIRE_NR(dup2);
    int base = fd::lowest_free();
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    int target = fd::lowest_free();
    int bad = 0;
    for (int i = 0; i < 10000 && bad < 3; ++i) {
        if (!EXPECT_RET(sys::dup2(p[i & 1], target), target)) ++bad;
    }
    EXPECT_RET(sys::close(target), 0);
    EXPECT_RET(sys::close(p[1]), 0);
    char c;
    EXPECT_RET(sys::read(p[0], &c, 1), 0);
    EXPECT_RET(sys::close(p[0]), 0);
    EXPECT_RET(fd::lowest_free(), base);
}

// dup3(2): EBADF when oldfd is not open; newfd (open) is neither closed nor
// changed.
TEST_P(dup3, bad_oldfd_ebadf, NEGATIVE, PSE52, fd::kBadFds) {
    int p[2];
    fd::make_fds(p);
    arch::Stat before{}, after{};
    EXPECT_RET(sys::fstat(p[0], &before), 0);
    EXPECT_ERR(sys::dup3(fd::bad_fd(row), p[0], 0), EBADF);
    EXPECT_RET(sys::fstat(p[0], &after), 0);
    EXPECT_EQ(long(after.st_ino), long(before.st_ino));
    fd::close_pair(p);
}

// dup3(2): EBADF when newfd is negative or not below RLIMIT_NOFILE.
TEST_P(dup3, bad_newfd_ebadf, NEGATIVE, PSE52, fd::kBadNewFds) {
    int p[2];
    fd::make_fds(p);
    EXPECT_ERR(sys::dup3(p[0], fd::bad_fd(row), 0), EBADF);
    EXPECT_ERR(sys::dup3(p[0], fd::bad_fd(row), O_CLOEXEC), EBADF);
    fd::close_pair(p);
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kSameFdFlags[] = {{"flags=0", 0}, {"flags=O_CLOEXEC", O_CLOEXEC}};

// dup3(2): "If oldfd equals newfd, then dup3() fails with the error EINVAL";
// the descriptor and its FD_CLOEXEC are untouched.
TEST_P(dup3, same_fd_einval, NEGATIVE, LINUX, kSameFdFlags) {
    int p[2];
    fd::make_pipe(p);
    EXPECT_ERR(sys::dup3(p[0], p[0], row.flags), EINVAL);
    EXPECT_RET(sys::fcntl(p[0], F_GETFD), 0);
    fd::close_pair(p);
}

constexpr Flags kBadDup3Flags[] = {
    {"flags=1", 1},
    {"flags=O_NONBLOCK", O_NONBLOCK},
    {"flags=O_CLOEXEC|O_NONBLOCK", O_CLOEXEC | O_NONBLOCK},
    {"flags=O_RDWR", O_RDWR},
    {"flags=-1", -1},
    {"flags=INT_MIN", INT_MIN},
};

// dup3(2): "EINVAL: flags contain an invalid value" (only O_CLOEXEC is
// allowed); newfd is not created.
TEST_P(dup3, bad_flags_einval, NEGATIVE, LINUX, kBadDup3Flags) {
    int p[2];
    fd::make_pipe(p);
    int target = fd::lowest_free();
    EXPECT_ERR(sys::dup3(p[0], target, row.flags), EINVAL);
    EXPECT_TRUE(!fd::is_open(target));
    fd::close_pair(p);
}

// dup3(2): O_CLOEXEC sets FD_CLOEXEC on an already open newfd, flags 0
// clears it; newfd refers to oldfd's file afterwards.
TEST(dup3, sets_fd_cloexec_on_open_newfd, POSITIVE, PSE53) {
    int a[2], b[2];
    fd::make_pipe(a, O_NONBLOCK);
    fd::make_pipe(b, O_NONBLOCK);
    EXPECT_RET(sys::dup3(b[1], a[1], O_CLOEXEC), a[1]);
    EXPECT_RET(sys::fcntl(a[1], F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::dup3(b[1], a[1], 0), a[1]);
    EXPECT_RET(sys::fcntl(a[1], F_GETFD), 0);
    EXPECT_RET(sys::write(a[1], "3", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(b[0], &c, 1), 1);
    EXPECT_EQ(c, '3');
    EXPECT_RET(sys::read(a[0], &c, 1), 0);
    fd::close_pair(a);
    fd::close_pair(b);
}

// dup3(2): like dup2, EBADF at newfd == RLIMIT_NOFILE, success just below.
TEST(dup3, newfd_rlimit_boundary, BOUNDARY, PSE52) {
    int p[2];
    fd::make_fds(p);
    fd::with_nofile_limit(fd::kSmallLimit, p[0], [](int fd, int limit) {
        EXPECT_RET(sys::dup3(fd, limit - 1, O_CLOEXEC), limit - 1);
        EXPECT_RET(sys::fcntl(limit - 1, F_GETFD), FD_CLOEXEC);
        EXPECT_RET(sys::close(limit - 1), 0);
        EXPECT_ERR(sys::dup3(fd, limit, 0), EBADF);
    });
    fd::close_pair(p);
}
