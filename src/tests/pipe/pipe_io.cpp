// SPDX-License-Identifier: MIT
// pipe(7) I/O semantics on pipes made by pipe(2): byte-exact data through
// many writes and reads of mixed sizes (in one process and between
// processes), atomic writes of up to PIPE_BUF bytes from concurrent writers,
// EOF once every write end is closed, EPIPE and SIGPIPE once the read end is
// closed, O_NONBLOCK (EAGAIN on empty and on full, partial large writes, EOF
// without writers), a blocked writer waiting for the reader, and the
// capacity.
// Group `pipe`: each test makes its pipe with pipe(2) (pipes::make), which
// aarch64 and riscv64 lack: there pipes::make uses pipe2(fds, 0), as their C
// libraries do, so that the tests run on every architecture. Left out:
// SIGPIPE's si_code and SIGIO/O_ASYNC, splice and vmsplice, poll/select
// readiness (tests/poll/), FIFOs made by mknod.
#include "rt/fmt.hpp"
#include "rt/sys_signal.hpp"
#include "tests/fd/fd_common.hpp"
#include "tests/pipe/pipe_util.hpp"

namespace {

// The capacity of a pipe as measured by filling a fresh one.
long measured_capacity() {
    int p[2];
    pipes::make(p, O_NONBLOCK | O_CLOEXEC);
    long cap = fd::fill_nonblocking(p[1]);
    fd::close_pair(p);
    ASSERT_GE(cap, long(PIPE_BUF));
    return cap;
}

void set_sigpipe(void* handler, arch::KSigaction* old) {
    arch::KSigaction a = arch::make_sigaction(handler, 0, 0);
    sys::rt_sigaction(SIGPIPE, &a, old);
}

}  // namespace

// pipe(7): bytes come out in the order they went in, byte-exact, whatever the
// sizes of the writes and reads (1 byte to several pages, reads crossing
// write boundaries).
TEST(pipe, data_integrity_mixed_sizes, POSITIVE, PSE53) {
    int p[2];
    pipes::make(p);
    static constexpr usize kW[] = {1, 7, 512, 4095, 4096, 4097, 10000, 16384, 3};
    static constexpr usize kR[] = {3, 4096, 1, 9999, 5000, 8191};
    u64 wpos = 0, rpos = 0;
    bool ok = true;
    for (int i = 0; i < 300 && ok; ++i) {
        usize w = kW[i % 9];
        ok &= EXPECT_RET(fd::write_pattern(p[1], wpos, w), long(w));
        wpos += w;
        while (ok && wpos - rpos > 8192) {
            usize r = kR[(i + rpos) % 6];
            if (r > wpos - rpos) r = usize(wpos - rpos);
            usize bad;
            ok &= EXPECT_RET(fd::read_pattern(p[0], rpos, r, &bad), long(r));
            ok &= EXPECT_EQ(long(bad), long(r));
            rpos += r;
        }
    }
    usize bad;
    EXPECT_RET(fd::read_pattern(p[0], rpos, usize(wpos - rpos), &bad), long(wpos - rpos));
    EXPECT_EQ(long(bad), long(wpos - rpos));
    fd::close_pair(p);
}

namespace {
constexpr usize kStreamBytes = 1 << 20;
struct Ends {
    int r, w;
};

void stream_writer(void* arg) {
    auto* e = static_cast<Ends*>(arg);
    sys::close(e->r);
    static constexpr usize kW[] = {1, 100, 4096, 5000, 65536, 70001, 333};
    static u8 buf[70001];
    u64 pos = 0;
    for (int i = 0; pos < kStreamBytes; ++i) {
        usize n = kW[i % 7];
        if (n > kStreamBytes - pos) n = usize(kStreamBytes - pos);
        fd::fill_pattern(buf, n, pos);
        if (!EXPECT_RET(fd::write_full(e->w, buf, n), long(n))) return;
        pos += n;
    }
}
}  // namespace

// pipe(7): 1 MiB written by another process in writes of 1 to 70001 bytes
// (the writer blocks whenever the pipe is full) arrives byte-exact, and the
// reader gets EOF after the writer exits.
TEST(pipe, data_integrity_between_processes, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    pipes::make(p);
    Ends e{p[0], p[1]};
    long pid = kc::spawn(stream_writer, &e);
    sys::close(p[1]);
    static constexpr usize kR[] = {3, 4096, 8191, 65539, 1, 777};
    static u8 buf[65539];
    u64 pos = 0;
    bool ok = true;
    for (int i = 0; ok; ++i) {
        long r = fd::read_full(p[0], buf, kR[i % 6]);
        if (r <= 0) {
            EXPECT_RET(r, 0);
            break;
        }
        usize good = fd::check_pattern(buf, usize(r), pos);
        ok = EXPECT_EQ(long(good), r);
        pos += u64(r);
    }
    EXPECT_EQ(long(pos), long(kStreamBytes));
    EXPECT_CHILD_OK(pid);
    sys::close(p[0]);
}

namespace {
constexpr int kWriters = 4;
constexpr usize kAtomicBytes = 1 << 18;  // per writer
struct Writer {
    int r, w;
    int id;
    usize size;
};

// Writes kAtomicBytes in blocks of `size`: every byte 'A'+id except bytes
// 1 and 2, which number the block.
void block_writer(void* arg) {
    auto* w = static_cast<Writer*>(arg);
    sys::close(w->r);
    u8 block[PIPE_BUF];
    for (usize j = 0; j < w->size; ++j) block[j] = u8('A' + w->id);
    for (usize seq = 0; seq < kAtomicBytes / w->size; ++seq) {
        block[1] = u8(seq);
        block[2] = u8(seq >> 8);
        if (!EXPECT_RET(sys::write(w->w, block, w->size), long(w->size))) return;
    }
}

struct Atomic {
    const char* label;
    usize size;
};
constexpr Atomic kAtomicSizes[] = {
    {"size=512", 512},  // the POSIX minimum PIPE_BUF
    {"size=3000", 3000},
    {"size=PIPE_BUF", PIPE_BUF},
};
}  // namespace

// pipe(7): "POSIX.1 says that writes of less than PIPE_BUF bytes must be
// atomic: the output data is written to the pipe as a contiguous sequence."
// Four processes write blocks of the same size at once; the reader finds
// every block whole, in each writer's order, and none missing.
TEST_P(pipe, writes_up_to_pipe_buf_atomic, POSITIVE, PSE53, kAtomicSizes, .flags = kc::NEEDS_FORK) {
    int p[2];
    pipes::make(p);
    Writer w[kWriters];
    long pid[kWriters];
    for (int i = 0; i < kWriters; ++i) {
        w[i] = Writer{p[0], p[1], i, row.size};
        pid[i] = kc::spawn(block_writer, &w[i]);
        if (pid[i] == -EAGAIN) {
            // RLIMIT_NPROC counts every process of this user (other tests of
            // a parallel run too): stop the writers started, then skip.
            for (int j = 0; j < i; ++j) {
                sys::kill(int(pid[j]), SIGKILL);
                kc::wait_status(pid[j]);
            }
            fd::close_pair(p);
            u64 nproc = kc::environment().rlimits[1][0];  // {nofile, nproc, ...}
            char why[120];
            rt::Fmt f(why, sizeof why);
            f.s("needs ").d(kWriters).s(
                " writer processes: fork failed with EAGAIN (RLIMIT_NPROC ");
            if (nproc == ~0ull)
                f.s("unlimited: a pids limit)");
            else
                f.s("is ").u(nproc).s(")");
            kc::skip(f.cstr());
        }
    }
    sys::close(p[1]);
    usize next[kWriters] = {};
    u8 block[PIPE_BUF];
    long torn = 0, misordered = 0, total = 0;
    for (;;) {
        long r = fd::read_full(p[0], block, row.size);
        if (r <= 0) {
            EXPECT_RET(r, 0);
            break;
        }
        ++total;
        int id = block[0] - 'A';
        bool whole = usize(r) == row.size && id >= 0 && id < kWriters;
        for (usize j = 3; whole && j < row.size; ++j) whole = block[j] == block[0];
        if (!whole) {
            ++torn;
            continue;
        }
        usize seq = block[1] | usize(block[2]) << 8;
        if (seq != (next[id] & 0xffff)) ++misordered;
        ++next[id];
    }
    EXPECT_EQ(torn, 0);
    EXPECT_EQ(misordered, 0);
    EXPECT_EQ(total, long(kWriters * (kAtomicBytes / row.size)));
    for (int i = 0; i < kWriters; ++i) {
        EXPECT_EQ(long(next[i]), long(kAtomicBytes / row.size));
        EXPECT_CHILD_OK(pid[i]);
    }
    sys::close(p[0]);
}

// pipe(7): "If all file descriptors referring to the write end of a pipe have
// been closed, then an attempt to read(2) from the pipe will see end-of-file";
// data still queued is read first, and a second (dup'd) write end keeps the
// pipe open.
TEST(pipe, eof_after_all_writers_close, POSITIVE, PSE53) {
    int p[2];
    pipes::make(p, O_NONBLOCK);
    long w2 = sys::dup(p[1]);
    ASSERT_OK(w2);
    EXPECT_RET(sys::write(p[1], "ab", 2), 2);
    EXPECT_RET(sys::close(p[1]), 0);
    char buf[4] = {};
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 2);
    EXPECT_MEM_EQ(buf, "ab", 2);
    EXPECT_ERR(sys::read(p[0], buf, sizeof buf), EAGAIN);  // w2 still open
    EXPECT_RET(sys::close(int(w2)), 0);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 0);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 0);  // and stays at EOF
    EXPECT_RET(sys::close(p[0]), 0);
}

namespace {
void say_bye(void* arg) {
    auto* e = static_cast<Ends*>(arg);
    sys::close(e->r);
    timespec ts{0, 5000000};
    sys::nanosleep(&ts, nullptr);  // let the parent block in read first
    EXPECT_RET(sys::write(e->w, "bye", 3), 3);
}
}  // namespace

// pipe(7): a blocking read waits for data from another process, and returns
// 0 (EOF) once that process, holding the last write end, exits.
TEST(pipe, blocking_read_then_eof_on_writer_exit, POSITIVE, PSE53, .flags = kc::NEEDS_FORK) {
    int p[2];
    pipes::make(p);
    Ends e{p[0], p[1]};
    long pid = kc::spawn(say_bye, &e);
    sys::close(p[1]);
    char buf[8] = {};
    EXPECT_RET(fd::read_full(p[0], buf, sizeof buf), 3);
    EXPECT_MEM_EQ(buf, "bye", 3);
    EXPECT_RET(sys::read(p[0], buf, sizeof buf), 0);
    EXPECT_CHILD_OK(pid);
    sys::close(p[0]);
}

struct Queued {
    const char* label;
    usize bytes;  // left unread in the pipe when the read end closes
};
constexpr Queued kQueued[] = {{"queued=0", 0}, {"queued=100", 100}};

// pipe(7): "If all file descriptors referring to the read end of a pipe have
// been closed, then a write(2) will cause a SIGPIPE signal to be generated
// ... If the calling process is ignoring this signal, then write(2) fails with
// the error EPIPE" (also with unread data still in the pipe).
TEST_P(pipe, epipe_without_reader_sigpipe_ignored, NEGATIVE, PSE53, kQueued) {
    int p[2];
    pipes::make(p);
    if (row.bytes) EXPECT_RET(fd::write_pattern(p[1], 0, row.bytes), long(row.bytes));
    EXPECT_RET(sys::close(p[0]), 0);
    arch::KSigaction old{};
    set_sigpipe(SIG_IGN, &old);
    EXPECT_ERR(sys::write(p[1], "x", 1), EPIPE);
    char c = 'y';
    iovec iov{&c, 1};
    EXPECT_ERR(sys::writev(p[1], &iov, 1), EPIPE);
    sys::rt_sigaction(SIGPIPE, &old, nullptr);
    sys::close(p[1]);
}

// pipe(7)/write(2): with SIGPIPE blocked the write still fails with EPIPE and
// the SIGPIPE it generated is pending for the thread, exactly once.
TEST(pipe, sigpipe_pending_when_blocked, NEGATIVE, PSE53) {
    int p[2];
    pipes::make(p);
    sys::close(p[0]);
    u64 set = sigbit(SIGPIPE), old = 0, pending = 0;
    sys::rt_sigprocmask(SIG_BLOCK, &set, &old);
    EXPECT_ERR(sys::write(p[1], "x", 1), EPIPE);
    EXPECT_OK(sys::rt_sigpending(&pending));
    EXPECT_EQ(long(pending & set), long(set));
    siginfo si{};
    timespec zero{0, 0};
    EXPECT_RET(sys::rt_sigtimedwait(&set, &si, &zero), SIGPIPE);
    EXPECT_EQ(si.si_signo, SIGPIPE);
    EXPECT_ERR(sys::rt_sigtimedwait(&set, &si, &zero), EAGAIN);
    sys::rt_sigprocmask(SIG_SETMASK, &old, nullptr);
    sys::close(p[1]);
}

namespace {
void write_to_widowed_pipe(void*) {
    set_sigpipe(SIG_DFL, nullptr);
    u64 none = 0;
    sys::rt_sigprocmask(SIG_SETMASK, &none, nullptr);
    int p[2];
    pipes::make(p);
    sys::close(p[0]);
    long r = sys::write(p[1], "x", 1);
    (void)r;
    ADD_FAILURE("write to a pipe with no reader returned: SIGPIPE did not end the process");
}
}  // namespace

// pipe(7): SIGPIPE's default action ends the writer when the read end is
// closed (run in a child process).
TEST(pipe, sigpipe_kills_writer_by_default, NEGATIVE, PSE53, .flags = kc::NEEDS_FORK) {
    long pid = kc::spawn(write_to_widowed_pipe, nullptr);
    ASSERT_GT(pid, 0);
    int st = kc::wait_status(pid);
    EXPECT_TRUE(wifsignaled(st));
    EXPECT_EQ(wtermsig(st), SIGPIPE);
}

// pipe(7): O_NONBLOCK read of an empty pipe whose write end is open: EAGAIN.
TEST(pipe, nonblock_read_empty_eagain, NEGATIVE, PSE53) {
    int p[2];
    pipes::make(p, O_NONBLOCK);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    EXPECT_RET(sys::write(p[1], "1", 1), 1);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);
    fd::close_pair(p);
}

// pipe(7): an empty pipe with no writer is at EOF: an O_NONBLOCK read returns
// 0, not EAGAIN.
TEST(pipe, nonblock_read_no_writer_eof, BOUNDARY, PSE53) {
    int p[2];
    pipes::make(p, O_NONBLOCK);
    sys::close(p[1]);
    char c;
    EXPECT_RET(sys::read(p[0], &c, 1), 0);
    sys::close(p[0]);
}

// pipe(7): O_NONBLOCK write to a full pipe fails with EAGAIN (1 byte and
// PIPE_BUF bytes alike) and adds nothing: reading it all gives back exactly
// what was written.
TEST(pipe, nonblock_write_full_eagain, NEGATIVE, PSE53) {
    int p[2];
    pipes::make(p, O_NONBLOCK);
    long cap = fd::fill_nonblocking(p[1]);
    ASSERT_GE(cap, long(PIPE_BUF));
    EXPECT_ERR(sys::write(p[1], "x", 1), EAGAIN);
    u8 big[PIPE_BUF] = {};
    EXPECT_ERR(sys::write(p[1], big, sizeof big), EAGAIN);
    usize bad;
    EXPECT_RET(fd::read_pattern(p[0], 0, usize(cap) + 1, &bad), cap);
    EXPECT_EQ(long(bad), cap + 1);
    fd::close_pair(p);
}

// pipe(7) on Linux: the pipe holds exactly F_GETPIPE_SZ bytes (16 pages):
// a non-blocking fill stops there.
TEST(pipe, capacity_equals_getpipe_sz, BOUNDARY, LINUX) {
    long page = fd::pipe_page();
    int p[2];
    pipes::make(p, O_NONBLOCK);
    long size = sys::fcntl(p[1], F_GETPIPE_SZ);
    EXPECT_EQ(size, 16 * page);
    EXPECT_RET(fd::fill_nonblocking(p[1]), size);
    fd::close_pair(p);
}

// pipe(7): O_NONBLOCK write of more than PIPE_BUF bytes when only part fits:
// "the write transfers what it can and returns the count" (partial write).
// Linux frees space a page at a time, so after a page is read from a full
// pipe exactly one page fits.
TEST(pipe, nonblock_large_write_partial, BOUNDARY, LINUX) {
    long page = fd::pipe_page();
    int p[2];
    pipes::make(p, O_NONBLOCK);
    long cap = fd::fill_nonblocking(p[1]);
    usize bad;
    EXPECT_RET(fd::read_pattern(p[0], 0, usize(page), &bad), page);
    EXPECT_RET(fd::write_pattern(p[1], u64(cap), usize(3 * page)), page);
    EXPECT_ERR(sys::write(p[1], "x", 1), EAGAIN);
    EXPECT_RET(fd::read_pattern(p[0], u64(page), usize(cap), &bad), cap);
    EXPECT_EQ(long(bad), cap);
    fd::close_pair(p);
}

namespace {
struct Filler {
    int r, w;
    long bytes;
};
void fill_past_capacity(void* arg) {
    auto* f = static_cast<Filler*>(arg);
    sys::close(f->r);
    EXPECT_RET(fd::write_pattern(f->w, 0, usize(f->bytes)), f->bytes);
}
}  // namespace

// pipe(7): "If a process attempts to write to a full pipe, then write(2)
// blocks until sufficient data has been read": a writer of capacity + PIPE_BUF
// bytes is seen asleep inside write(2) (/proc/PID/stat, and /proc/PID/syscall
// or the wait channel) with the pipe full and no reader, and finishes, with
// all data intact, once the reader drains the pipe.
TEST(pipe, blocking_write_waits_for_reader, POSITIVE, PSE53, .flags = kc::NEEDS_FORK | kc::SLOW) {
    long cap = measured_capacity();
    Filler f{-1, -1, cap + long(PIPE_BUF)};
    int p[2];
    pipes::make(p);
    f.r = p[0];
    f.w = p[1];
    long pid = kc::spawn(fill_past_capacity, &f);
    ASSERT_GT(pid, 0);
    sys::close(p[1]);
    EXPECT_TRUE(pipes::wait_blocked_in(pid, nr::write, "pipe_write"));
    int st = 0;
    EXPECT_RET(sys::wait4(int(pid), &st, WNOHANG, nullptr), 0);  // still in write
    int queued = -1;
    EXPECT_RET(sys::ioctl(p[0], FIONREAD, long(&queued)), 0);
    EXPECT_EQ(queued, cap);  // full: the rest waits
    usize bad;
    EXPECT_RET(fd::read_pattern(p[0], 0, usize(f.bytes), &bad), f.bytes);
    EXPECT_EQ(long(bad), f.bytes);
    EXPECT_CHILD_OK(pid);
    char c;
    EXPECT_RET(sys::read(p[0], &c, 1), 0);
    sys::close(p[0]);
}
