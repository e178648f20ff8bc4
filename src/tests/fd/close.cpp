// SPDX-License-Identifier: MIT
// close(2): closing releases the descriptor number (reused lowest-first), a
// second close is EBADF, closing one of two descriptors of an open file
// leaves the file open, closing the last write end of a pipe is EOF for its
// reader; bad descriptors fail with EBADF.
// Not covered here: close on a descriptor another thread is blocked on,
// close_range (tests/fs/close_range.cpp), errors reported at close by
// network file systems.
#include "tests/fd/fd_common.hpp"

// close(2): EBADF when fd is not a valid open file descriptor.
TEST_P(close, bad_fd_ebadf, NEGATIVE, PSE51, fd::kBadFds) {
    EXPECT_ERR(sys::close(fd::bad_fd(row)), EBADF);
}

// close(2): the descriptor no longer refers to anything after close; closing
// it again is EBADF. (PSE52: making a descriptor to close needs more than
// PSE51 offers.)
TEST(close, releases_descriptor, POSITIVE, PSE52) {
    int p[2];
    fd::make_fds(p);
    EXPECT_RET(sys::close(p[0]), 0);
    EXPECT_ERR(sys::fcntl(p[0], F_GETFD), EBADF);
    EXPECT_ERR(sys::close(p[0]), EBADF);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EBADF);
    EXPECT_RET(sys::close(p[1]), 0);
}

// close(2) frees the number: the next descriptor allocated (dup: "the lowest
// -numbered unused descriptor") gets it back.
TEST(close, freed_number_reused_lowest_first, POSITIVE, PSE52) {
    int p[2];
    fd::make_fds(p);
    int lo = p[0] < p[1] ? p[0] : p[1];
    int hi = p[0] < p[1] ? p[1] : p[0];
    EXPECT_RET(sys::close(lo), 0);
    EXPECT_RET(sys::dup(hi), lo);
    EXPECT_RET(sys::close(hi), 0);
    EXPECT_RET(sys::dup(lo), hi);
    sys::close(lo);
    sys::close(hi);
}

// close(2): closing one descriptor of an open file description leaves the
// other one working; the pipe reader sees EOF only after the last write end
// is closed.
TEST(close, other_descriptor_keeps_file_open, POSITIVE, PSE53) {
    int p[2];
    fd::make_pipe(p, O_NONBLOCK);
    long w2 = sys::dup(p[1]);
    ASSERT_OK(w2);
    EXPECT_RET(sys::close(p[1]), 0);
    EXPECT_RET(sys::write(int(w2), "k", 1), 1);
    char c = 0;
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_EQ(c, 'k');
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);  // a writer is still open
    EXPECT_RET(sys::close(int(w2)), 0);
    EXPECT_RET(sys::read(p[0], &c, 1), 0);  // EOF
    EXPECT_RET(sys::close(p[0]), 0);
}
