// SPDX-License-Identifier: MIT
// sendfile(2), splice(2), tee(2): moving data between files (memfd or a
// scratch file), pipes and sockets without a user copy; offsets updated or
// file positions advanced; exact errnos for offsets on pipes, non-pipe
// ends, bad flags, bad fds and O_APPEND outputs. All Linux-only calls.
// Not covered: vmsplice, SPLICE_F_GIFT/MOVE effects (hints only), splice
// from a file to a file through an internal pipe (sendfile covers it).
#include "rt/sys_splice.hpp"
#include "tests/socket/net.hpp"

using namespace net;

namespace {

constexpr char kText[] = "hello splice world";  // 18 bytes
constexpr usize kLen = sizeof kText - 1;

long pos(int fd) { return sys::lseek(fd, 0, SEEK_CUR); }

// Reads exactly n bytes from fd and compares them with want.
void expect_read(int fd, const char* want, usize n) {
    char buf[64] = {};
    EXPECT_RET(sys::read(fd, buf, n), long(n));
    EXPECT_MEM_EQ(buf, want, n);
}

}  // namespace

// sendfile(2) with an offset: copies from *offset, advances *offset by the
// count, and leaves the input's file position alone (sendfile(2)).
TEST(sendfile, offset_updated_position_kept, POSITIVE, LINUX) {
    int in = memfd(kText, kLen);
    ASSERT_OK(sys::lseek(in, 1, SEEK_SET));
    int p[2];
    make_pipe(p);
    long off = 6;
    EXPECT_RET(sys::sendfile(p[1], in, &off, 6), 6);
    EXPECT_EQ(off, 12);
    EXPECT_EQ(pos(in), 1);
    expect_read(p[0], "splice", 6);
    close2(p);
    sys::close(in);
}

// sendfile(2) with a null offset reads from the file position and advances
// it (sendfile(2)).
TEST(sendfile, null_offset_advances_position, POSITIVE, LINUX) {
    int in = memfd(kText, kLen);
    ASSERT_OK(sys::lseek(in, 13, SEEK_SET));
    int p[2];
    make_pipe(p);
    EXPECT_RET(sys::sendfile(p[1], in, nullptr, 100), 5);  // only 5 bytes remain
    EXPECT_EQ(pos(in), 18);
    expect_read(p[0], "world", 5);
    EXPECT_RET(sys::sendfile(p[1], in, nullptr, 100), 0);  // at end of file
    close2(p);
    sys::close(in);
}

constexpr Kind kStreams[] = {kUnixStream, kTcp4, kTcp6};
// sendfile(2) to a stream socket: 48 KiB of a memfd arrive intact at the
// peer (sendfile(2): out_fd may be any file, typically a socket).
TEST_P(sendfile, memfd_to_stream_socket, POSITIVE, LINUX, kStreams) {
    constexpr usize n = 48 * 1024;
    u8* data = static_cast<u8*>(map(2 * n));
    pattern(data, n, 17);
    int in = memfd(data, n);
    int s[2];
    pair(row, s);
    long off = 0;
    EXPECT_RET(sys::sendfile(s[0], in, &off, n), long(n));
    EXPECT_EQ(off, long(n));
    EXPECT_RET(sys::recv(s[1], data + n, n, MSG_WAITALL), long(n));
    EXPECT_MEM_EQ(data + n, data, n);
    close2(s);
    sys::close(in);
    unmap(data, 2 * n);
}

// sendfile(2) from a regular file in the scratch directory to a pipe.
TEST(sendfile, regular_file_to_pipe, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    long in = sys::openat(kc::scratch_fd(), "src", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    ASSERT_OK(in);
    ASSERT_RET(sys::write(int(in), kText, kLen), long(kLen));
    int p[2];
    make_pipe(p);
    long off = 0;
    EXPECT_RET(sys::sendfile(p[1], int(in), &off, kLen), long(kLen));
    expect_read(p[0], kText, kLen);
    close2(p);
    sys::close(int(in));
}

struct OffRow {
    const char* label;
    long off;
    usize count;
    long want;
};
constexpr OffRow kEdgeCounts[] = {
    {"count=0", 0, 0, 0},
    {"offset=eof", long(kLen), 10, 0},
    {"offset_past_eof", 1000, 10, 0},
    {"count=2^31", 4, usize(1) << 31, long(kLen) - 4},
};
// sendfile(2) boundaries: a zero count, an offset at or past the end of file
// copy nothing and return 0; a huge count copies what the file has.
TEST_P(sendfile, count_and_offset_edges, BOUNDARY, LINUX, kEdgeCounts) {
    int in = memfd(kText, kLen);
    int p[2];
    make_pipe(p);
    long off = row.off;
    EXPECT_RET(sys::sendfile(p[1], in, &off, row.count), row.want);
    EXPECT_EQ(off, row.off + row.want);
    close2(p);
    sys::close(in);
}

// sendfile(2) with a negative *offset, or a count above SSIZE_MAX (negative
// as ssize_t): EINVAL (sendfile(2); Linux rw_verify_area).
TEST(sendfile, negative_offset_or_count_einval, NEGATIVE, LINUX) {
    int in = memfd(kText, kLen);
    int p[2];
    make_pipe(p);
    long off = -1;
    EXPECT_ERR(sys::sendfile(p[1], in, &off, 4), EINVAL);
    off = 0;
    EXPECT_ERR(sys::sendfile(p[1], in, &off, ~usize(0)), EINVAL);
    EXPECT_EQ(off, 0);
    close2(p);
    sys::close(in);
}

enum FdRole : u8 { NONE_FD, MEMFD, PIPE_R, PIPE_W, SOCK, APPEND_MEMFD };
struct FdPair {
    const char* label;
    FdRole out, in;
    int err;
};
constexpr FdPair kSendfileBad[] = {
    {"in=-1", PIPE_W, NONE_FD, EBADF},        {"out=-1", NONE_FD, MEMFD, EBADF},
    {"in_write_only", PIPE_W, PIPE_W, EBADF}, {"out_read_only", PIPE_R, MEMFD, EBADF},
    {"in=pipe", PIPE_W, PIPE_R, EINVAL},      {"out_o_append", APPEND_MEMFD, MEMFD, EINVAL},
};

// The descriptors a kSendfileBad row picks from, each closed by its guard.
struct Fds {
    kc::Fd mem, app, sock, peer;
    kc::Pipe pipe{0};
    Fds() {
        mem.reset(memfd(kText, kLen));
        ASSERT_OK(pipe.r);
        ASSERT_OK(sys::write(pipe.wr, "pipe", 4));
        int s[2] = {-1, -1};
        ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, s));
        sock.reset(s[0]), peer.reset(s[1]);
        app.reset(memfd(nullptr, 0));
        ASSERT_OK(sys::fcntl(app, F_SETFL, O_APPEND));
    }
    int get(FdRole r) const {
        switch (r) {
            case NONE_FD:
                return -1;
            case MEMFD:
                return mem;
            case PIPE_R:
                return pipe.rd;
            case PIPE_W:
                return pipe.wr;
            case SOCK:
                return sock;
            case APPEND_MEMFD:
                return app;
        }
        return -1;
    }
};

// sendfile(2) with fds it cannot use: EBADF for an fd that is not open or
// not open for reading (in) / writing (out); EINVAL for an input that is a
// pipe or an output opened with O_APPEND (sendfile(2) ERRORS).
TEST_P(sendfile, unusable_fds, NEGATIVE, LINUX, kSendfileBad) {
    Fds f;
    EXPECT_ERR(sys::sendfile(f.get(row.out), f.get(row.in), nullptr, 4), row.err);
}

// splice(2) between two pipes moves the bytes: they leave the source and
// appear in the destination in order (splice(2)).
TEST(splice, pipe_to_pipe_moves, POSITIVE, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], kText, kLen), long(kLen));
    EXPECT_RET(sys::splice(a[0], nullptr, b[1], nullptr, 5, 0), 5);
    expect_read(b[0], "hello", 5);
    expect_read(a[0], kText + 5, kLen - 5);
    close2(a);
    close2(b);
}

// splice(2) from a file with an offset: reads from *off_in, advances it and
// leaves the file position alone; to a file with an offset likewise
// (splice(2)).
TEST(splice, file_offsets_updated, POSITIVE, LINUX) {
    int in = memfd(kText, kLen);
    int out = memfd("0123456789", 10);
    int p[2];
    make_pipe(p);
    long off_in = 6;
    EXPECT_RET(sys::splice(in, &off_in, p[1], nullptr, 6, 0), 6);
    EXPECT_EQ(off_in, 12);
    EXPECT_EQ(pos(in), long(kLen));
    long off_out = 2;
    EXPECT_RET(sys::splice(p[0], nullptr, out, &off_out, 6, 0), 6);
    EXPECT_EQ(off_out, 8);
    EXPECT_EQ(pos(out), 10);
    char buf[10];
    EXPECT_RET(sys::pread64(out, buf, 10, 0), 10);
    EXPECT_MEM_EQ(buf, "01splice89", 10);
    close2(p);
    sys::close(in);
    sys::close(out);
}

// splice(2) with null offsets uses and advances the file positions.
TEST(splice, file_position_advanced, POSITIVE, LINUX) {
    int in = memfd(kText, kLen);
    ASSERT_OK(sys::lseek(in, 13, SEEK_SET));
    int p[2];
    make_pipe(p);
    EXPECT_RET(sys::splice(in, nullptr, p[1], nullptr, 64, 0), 5);
    EXPECT_EQ(pos(in), 18);
    expect_read(p[0], "world", 5);
    close2(p);
    sys::close(in);
}

// splice(2) between a stream socket and a pipe, both ways: the data arrives
// intact (splice(2): one end must be a pipe).
TEST(splice, socket_and_pipe_both_ways, POSITIVE, LINUX) {
    int s[2], p[2];
    ASSERT_OK(sys::socketpair(AF_UNIX, SOCK_STREAM, 0, s));
    make_pipe(p);
    ASSERT_RET(sys::write(p[1], "to-sock", 7), 7);
    EXPECT_RET(sys::splice(p[0], nullptr, s[0], nullptr, 7, 0), 7);
    expect_read(s[1], "to-sock", 7);
    ASSERT_RET(sys::write(s[1], "to-pipe", 7), 7);
    EXPECT_RET(sys::splice(s[0], nullptr, p[1], nullptr, 7, 0), 7);
    expect_read(p[0], "to-pipe", 7);
    close2(s);
    close2(p);
}

struct PipeOffRow {
    const char* label;
    bool in_off;
};
constexpr PipeOffRow kPipeOffsets[] = {{"off_in_on_pipe", true}, {"off_out_on_pipe", false}};
// splice(2) with an offset for a pipe end: ESPIPE (splice(2)).
TEST_P(splice, offset_on_pipe_espipe, NEGATIVE, LINUX, kPipeOffsets) {
    int in = memfd(kText, kLen);
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], "x", 1), 1);
    long off = 0;
    if (row.in_off) {
        EXPECT_ERR(sys::splice(a[0], &off, b[1], nullptr, 1, 0), ESPIPE);
    } else {
        EXPECT_ERR(sys::splice(in, nullptr, b[1], &off, 1, 0), ESPIPE);
    }
    close2(a);
    close2(b);
    sys::close(in);
}

struct FlagRow {
    const char* label;
    unsigned flags;
};
constexpr FlagRow kBadSpliceFlags[] = {
    {"flags=0x10", 0x10}, {"flags=0x80000000", 0x80000000u}, {"flags=~0", ~0u}};
// splice(2) with flags outside SPLICE_F_MOVE|NONBLOCK|MORE|GIFT: EINVAL.
TEST_P(splice, unknown_flags_einval, NEGATIVE, LINUX, kBadSpliceFlags) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], "x", 1), 1);
    EXPECT_ERR(sys::splice(a[0], nullptr, b[1], nullptr, 1, row.flags), EINVAL);
    expect_read(a[0], "x", 1);  // nothing moved
    close2(a);
    close2(b);
}

// splice(2) where neither end is a pipe, or both ends are the same pipe:
// EINVAL (splice(2)).
TEST(splice, no_pipe_or_same_pipe_einval, NEGATIVE, LINUX) {
    int in = memfd(kText, kLen);
    int out = memfd(nullptr, 0);
    EXPECT_ERR(sys::splice(in, nullptr, out, nullptr, 4, 0), EINVAL);
    int p[2];
    make_pipe(p);
    ASSERT_RET(sys::write(p[1], "x", 1), 1);
    EXPECT_ERR(sys::splice(p[0], nullptr, p[1], nullptr, 1, 0), EINVAL);
    close2(p);
    sys::close(in);
    sys::close(out);
}

// splice(2) with a negative file offset: EINVAL.
TEST(splice, negative_offset_einval, NEGATIVE, LINUX) {
    int in = memfd(kText, kLen);
    int p[2];
    make_pipe(p);
    long off = -1;
    EXPECT_ERR(sys::splice(in, &off, p[1], nullptr, 4, 0), EINVAL);
    close2(p);
    sys::close(in);
}

// splice(2) of length 0 returns 0 and moves nothing.
TEST(splice, zero_length_returns_zero, BOUNDARY, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], "x", 1), 1);
    EXPECT_RET(sys::splice(a[0], nullptr, b[1], nullptr, 0, 0), 0);
    expect_read(a[0], "x", 1);
    close2(a);
    close2(b);
}

// splice(2) from an empty pipe: EAGAIN with SPLICE_F_NONBLOCK while a writer
// exists; 0 (end of file) once no writer is left (splice(2)).
TEST(splice, empty_pipe_eagain_then_eof, BOUNDARY, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    EXPECT_ERR(sys::splice(a[0], nullptr, b[1], nullptr, 4, SPLICE_F_NONBLOCK), EAGAIN);
    sys::close(a[1]);
    EXPECT_RET(sys::splice(a[0], nullptr, b[1], nullptr, 4, 0), 0);
    sys::close(a[0]);
    close2(b);
}

constexpr FdPair kSpliceBad[] = {
    {"in=-1", PIPE_W, NONE_FD, EBADF},
    {"out=-1", NONE_FD, PIPE_R, EBADF},
    {"in_write_only", SOCK, PIPE_W, EBADF},
    {"out_read_only", PIPE_R, MEMFD, EBADF},
};
// splice(2) with an fd that is not open, or not open in the needed
// direction: EBADF (splice(2)).
TEST_P(splice, unusable_fds_ebadf, NEGATIVE, LINUX, kSpliceBad) {
    Fds f;
    EXPECT_ERR(sys::splice(f.get(row.in), nullptr, f.get(row.out), nullptr, 4, 0), row.err);
}

// tee(2) copies pipe data to another pipe without consuming it: both pipes
// then hold the bytes (tee(2)).
TEST(tee, duplicates_without_consuming, POSITIVE, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], kText, kLen), long(kLen));
    EXPECT_RET(sys::tee(a[0], b[1], 5, 0), 5);
    expect_read(b[0], "hello", 5);
    expect_read(a[0], kText, kLen);
    close2(a);
    close2(b);
}

// tee(2) with a count larger than the data copies what there is.
TEST(tee, count_larger_than_data, BOUNDARY, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], "abc", 3), 3);
    EXPECT_RET(sys::tee(a[0], b[1], ~usize(0) >> 1, 0), 3);
    expect_read(b[0], "abc", 3);
    EXPECT_RET(sys::tee(a[0], b[1], 0, 0), 0);
    close2(a);
    close2(b);
}

constexpr FdPair kTeeBad[] = {
    {"in=memfd", PIPE_W, MEMFD, EINVAL}, {"out=memfd", MEMFD, PIPE_R, EINVAL},
    {"in=socket", PIPE_W, SOCK, EINVAL}, {"same_pipe", PIPE_W, PIPE_R, EINVAL},
    {"in=-1", PIPE_W, NONE_FD, EBADF},   {"in_write_only", PIPE_W, PIPE_W, EBADF},
};
// tee(2) with an end that is not a pipe, or both ends on the same pipe:
// EINVAL; with a bad or wrong-direction fd: EBADF (tee(2)).
TEST_P(tee, unusable_fds, NEGATIVE, LINUX, kTeeBad) {
    Fds f;
    EXPECT_ERR(sys::tee(f.get(row.in), f.get(row.out), 4, SPLICE_F_NONBLOCK), row.err);
}

// tee(2) with unknown flags: EINVAL.
TEST_P(tee, unknown_flags_einval, NEGATIVE, LINUX, kBadSpliceFlags) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    ASSERT_RET(sys::write(a[1], "x", 1), 1);
    EXPECT_ERR(sys::tee(a[0], b[1], 1, row.flags), EINVAL);
    close2(a);
    close2(b);
}

// tee(2) from an empty pipe: EAGAIN with SPLICE_F_NONBLOCK while a writer
// exists, 0 once none is left.
TEST(tee, empty_pipe_eagain_then_eof, BOUNDARY, LINUX) {
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    EXPECT_ERR(sys::tee(a[0], b[1], 4, SPLICE_F_NONBLOCK), EAGAIN);
    sys::close(a[1]);
    EXPECT_RET(sys::tee(a[0], b[1], 4, 0), 0);
    sys::close(a[0]);
    close2(b);
}
