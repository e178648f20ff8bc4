// SPDX-License-Identifier: MIT
// flock(2) and fcntl(2) record locks (F_SETLK, F_SETLKW, F_GETLK) and open
// file description locks (F_OFD_*): conflicts between processes and between
// open file descriptions, l_pid reporting, shared read locks, unlock
// splitting ranges, negative and zero lengths, SEEK_CUR/SEEK_END, release on
// close, blocking waits, deadlock detection, and the argument checks.
// Left out: mandatory locking (gone from Linux), leases (F_SETLEASE), lock
// behaviour on NFS.
#include "rt/sys_proc.hpp"
#include "tests/common/common_util.hpp"
#include "tests/fs/fs_util.hpp"

namespace {

flock lk(short type, long start, long len, short whence = SEEK_SET) {
    flock f{};
    f.l_type = type;
    f.l_whence = whence;
    f.l_start = start;
    f.l_len = len;
    return f;
}
long setlk(int fd, short type, long start, long len, int cmd = F_SETLK) {
    flock f = lk(type, start, len);
    return sys::fcntl_lock(fd, cmd, &f);
}
// F_GETLK (or F_OFD_GETLK) for a write lock on [start, start + len).
flock getlk(int fd, long start, long len, int cmd = F_GETLK) {
    flock f = lk(F_WRLCK, start, len);
    ASSERT_OK(sys::fcntl_lock(fd, cmd, &f));
    return f;
}
// "f" with 100 bytes, opened O_RDWR.
int lock_file() {
    char buf[101];
    return fs::create("f", fs::fill(buf, 100, 'l'));
}
// Runs fn in a child; the child works on its own descriptor of "f".
void child(void (*fn)(void*), void* arg = nullptr) { EXPECT_CHILD_OK(kc::spawn(fn, arg)); }
int child_fd() { return fs::open("f", O_RDWR); }

}  // namespace

// flock(2): an exclusive lock held by one process makes LOCK_EX and LOCK_SH
// with LOCK_NB fail with EWOULDBLOCK in another.
TEST(flock, exclusive_conflicts_between_processes, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(sys::flock(fd, LOCK_EX));
    child([](void*) {
        int f = child_fd();
        EXPECT_ERR(sys::flock(f, LOCK_EX | LOCK_NB), EWOULDBLOCK);
        EXPECT_ERR(sys::flock(f, LOCK_SH | LOCK_NB), EWOULDBLOCK);
        sys::close(f);
    });
    sys::close(fd);
}

// flock(2): shared locks coexist; an exclusive one is refused while any
// shared lock is held.
TEST(flock, shared_locks_coexist, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(sys::flock(fd, LOCK_SH));
    child([](void*) {
        int f = child_fd();
        EXPECT_RET(sys::flock(f, LOCK_SH | LOCK_NB), 0);
        int g = child_fd();
        EXPECT_ERR(sys::flock(g, LOCK_EX | LOCK_NB), EWOULDBLOCK);
        sys::close(f);
        sys::close(g);
    });
    sys::close(fd);
}

// flock(2): locks belong to open file descriptions, so two opens of one file
// in one process conflict, while a dup shares the lock.
TEST(flock, per_open_file_description, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDONLY);
    long dup = sys::dup(a);
    ASSERT_OK(dup);
    ASSERT_OK(sys::flock(a, LOCK_EX));
    EXPECT_ERR(sys::flock(b, LOCK_EX | LOCK_NB), EWOULDBLOCK);
    EXPECT_RET(sys::flock(int(dup), LOCK_EX | LOCK_NB), 0);  // the same lock
    EXPECT_RET(sys::flock(int(dup), LOCK_UN), 0);            // ... released for a too
    EXPECT_RET(sys::flock(b, LOCK_EX | LOCK_NB), 0);
    sys::close(a);
    sys::close(b);
    sys::close(int(dup));
}

// flock(2): closing the last descriptor of the open file description
// releases its lock; closing a dup does not.
TEST(flock, released_on_last_close, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDONLY);
    long dup = sys::dup(a);
    ASSERT_OK(dup);
    ASSERT_OK(sys::flock(a, LOCK_EX));
    sys::close(int(dup));
    EXPECT_ERR(sys::flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    sys::close(a);
    EXPECT_RET(sys::flock(b, LOCK_SH | LOCK_NB), 0);
    sys::close(b);
}

// flock(2): a lock converts between shared and exclusive in place.
TEST(flock, converts_shared_exclusive, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDONLY);
    ASSERT_OK(sys::flock(a, LOCK_SH));
    EXPECT_RET(sys::flock(a, LOCK_EX | LOCK_NB), 0);
    EXPECT_ERR(sys::flock(b, LOCK_SH | LOCK_NB), EWOULDBLOCK);
    EXPECT_RET(sys::flock(a, LOCK_SH), 0);
    EXPECT_RET(sys::flock(b, LOCK_SH | LOCK_NB), 0);
    sys::close(a);
    sys::close(b);
}

// flock(2): a child inherits the descriptor and so shares the open file
// description and its lock (it can "take" it without conflict).
TEST(flock, inherited_description_shares_lock, BOUNDARY, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    static int fd;
    fd = lock_file();
    ASSERT_OK(sys::flock(fd, LOCK_EX));
    child([](void*) { EXPECT_RET(sys::flock(fd, LOCK_EX | LOCK_NB), 0); });
    sys::close(fd);
}

// flock(2) and fcntl(2) locks are independent on Linux (local file systems).
TEST(flock, independent_of_fcntl_locks, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDWR);
    ASSERT_OK(setlk(a, F_WRLCK, 0, 0));
    EXPECT_RET(sys::flock(b, LOCK_EX | LOCK_NB), 0);
    sys::close(a);
    sys::close(b);
}

// flock(2) EINVAL: the operation is not LOCK_SH, LOCK_EX or LOCK_UN
// (optionally with LOCK_NB).
struct OpRow {
    const char* label;
    int op;
};
constexpr OpRow kBadOps[] = {
    {"op_0", 0},
    {"nb_only", LOCK_NB},
    {"sh_and_ex", LOCK_SH | LOCK_EX},
    {"sh_and_un", LOCK_SH | LOCK_UN},
    {"op_16", 16},
};
TEST_P(flock, bad_operation_einval, NEGATIVE, LINUX, kBadOps, .flags = kc::NEEDS_SCRATCH) {
    int fd = lock_file();
    EXPECT_ERR(sys::flock(fd, row.op), EINVAL);
    sys::close(fd);
}

// flock(2) EBADF: not an open descriptor, or an O_PATH one.
TEST(flock, bad_fd_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    EXPECT_ERR(sys::flock(-1, LOCK_SH), EBADF);
    EXPECT_ERR(sys::flock(777, LOCK_SH), EBADF);
    fs::touch("f");
    int fd = fs::open("f", O_PATH);
    EXPECT_ERR(sys::flock(fd, LOCK_SH), EBADF);
    sys::close(fd);
}

namespace {
struct Holder {
    int pid;
};
void conflicting_setlk(void*) {
    int f = child_fd();
    EXPECT_ERR(setlk(f, F_WRLCK, 50, 10), EAGAIN);
    EXPECT_ERR(setlk(f, F_RDLCK, 99, 1), EAGAIN);
    EXPECT_RET(setlk(f, F_WRLCK, 100, 10), 0);  // adjacent, not overlapping
    EXPECT_ERR(setlk(f, F_WRLCK, 0, 0), EAGAIN);
    sys::close(f);
}
// The same requests, as POSIX states them: "[EACCES] or [EAGAIN] The cmd
// argument is F_SETLK ... and the segment of a file to be locked is already
// exclusive-locked by another process".
void conflicting_setlk_posix(void*) {
    int f = child_fd();
    EXPECT_ERR_ANY(setlk(f, F_WRLCK, 50, 10), EACCES, EAGAIN);
    EXPECT_ERR_ANY(setlk(f, F_RDLCK, 99, 1), EACCES, EAGAIN);
    EXPECT_RET(setlk(f, F_WRLCK, 100, 10), 0);
    EXPECT_ERR_ANY(setlk(f, F_WRLCK, 0, 0), EACCES, EAGAIN);
    sys::close(f);
}
void getlk_holder(void* arg) {
    int f = child_fd();
    flock g = getlk(f, 10, 1);
    EXPECT_EQ(g.l_type, F_WRLCK);
    EXPECT_EQ(g.l_whence, SEEK_SET);
    EXPECT_EQ(g.l_start, 0);
    EXPECT_EQ(g.l_len, 100);
    EXPECT_EQ(g.l_pid, static_cast<Holder*>(arg)->pid);
    g = getlk(f, 200, 10);  // no conflict: only l_type changes
    EXPECT_EQ(g.l_type, F_UNLCK);
    EXPECT_EQ(g.l_start, 200);
    EXPECT_EQ(g.l_len, 10);
    sys::close(f);
}
}  // namespace

// fcntl(2) F_SETLK: a write lock of another process makes overlapping locks
// fail at once. POSIX allows EACCES or EAGAIN; Linux returns EAGAIN.
static void setlk_conflict(void (*requests)(void*)) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 100));
    child(requests);
    sys::close(fd);
}
TEST(fcntl, setlk_conflict_between_processes, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    setlk_conflict(conflicting_setlk);
}

// POSIX fcntl, the twin of the test above for a profile run: EACCES or EAGAIN.
TEST(fcntl, setlk_conflict_eacces_or_eagain, NEGATIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    setlk_conflict(conflicting_setlk_posix);
}

// fcntl(2) F_GETLK: reports the blocking lock (type, range, whence SEEK_SET,
// and l_pid of its owner); with no conflict only l_type becomes F_UNLCK.
TEST(fcntl, getlk_reports_holder, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 100));
    Holder h{int(sys::getpid())};
    child(getlk_holder, &h);
    sys::close(fd);
}

// fcntl(2): a process's own locks never conflict with its requests; a new
// lock over its own range replaces the old type.
TEST(fcntl, own_locks_never_conflict, POSITIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    int fd = lock_file(), other = fs::open("f", O_RDWR);
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 100));
    EXPECT_EQ(getlk(other, 0, 100).l_type, F_UNLCK);
    EXPECT_RET(setlk(other, F_RDLCK, 10, 10), 0);
    EXPECT_RET(setlk(fd, F_WRLCK, 0, 0), 0);
    sys::close(other);  // releases all of them (see below)
    sys::close(fd);
}

// fcntl(2): read locks are shared between processes; a write lock over them
// is refused.
TEST(fcntl, read_locks_shared, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_RDLCK, 0, 50));
    child([](void*) {
        int f = child_fd();
        EXPECT_RET(setlk(f, F_RDLCK, 0, 50), 0);
        EXPECT_ERR_ANY(setlk(f, F_WRLCK, 40, 20), EACCES, EAGAIN);  // POSIX allows either
        EXPECT_EQ(getlk(f, 0, 1).l_type, F_RDLCK);
        sys::close(f);
    });
    sys::close(fd);
}

// fcntl(2): "All locks associated with a file for a given process shall be
// removed when a file descriptor for that file is closed by that process"
// (any descriptor, not only the one that locked).
TEST(fcntl, any_close_releases_process_locks, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 0));
    sys::close(fs::open("f", O_RDONLY));
    child([](void*) {
        int f = child_fd();
        EXPECT_RET(setlk(f, F_WRLCK, 0, 0), 0);
        sys::close(f);
    });
    sys::close(fd);
}

namespace {
// Child: what F_GETLK reports at each probe of "f" (start, type, range).
void probe_split(void*) {
    int f = child_fd();
    flock a = getlk(f, 10, 1), b = getlk(f, 50, 1), c = getlk(f, 70, 1);
    EXPECT_EQ(a.l_type, F_WRLCK);
    EXPECT_EQ(a.l_start, 0);
    EXPECT_EQ(a.l_len, 40);
    EXPECT_EQ(b.l_type, F_UNLCK);
    EXPECT_EQ(c.l_type, F_WRLCK);
    EXPECT_EQ(c.l_start, 60);
    EXPECT_EQ(c.l_len, 40);
    sys::close(f);
}
}  // namespace

// fcntl(2): unlocking the middle of a locked range splits it in two.
TEST(fcntl, unlock_splits_range, POSITIVE, PSE53, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 100));
    ASSERT_OK(setlk(fd, F_UNLCK, 40, 20));
    child(probe_split);
    sys::close(fd);
}

namespace {
struct RangeProbe {
    long at, want_start, want_len;
};
void probe_range(void* arg) {
    auto* p = static_cast<RangeProbe*>(arg);
    int f = child_fd();
    flock g = getlk(f, p->at, 1);
    EXPECT_EQ(g.l_type, F_WRLCK);
    EXPECT_EQ(g.l_start, p->want_start);
    EXPECT_EQ(g.l_len, p->want_len);
    sys::close(f);
}
}  // namespace

// fcntl(2) ranges: a negative l_len locks the bytes before l_start; l_len 0
// locks to the end of the file and beyond; SEEK_CUR and SEEK_END are
// relative to the offset and the size. F_GETLK reports them as SEEK_SET
// ranges (l_len 0 for "to infinity").
struct RangeRow {
    const char* label;
    short whence;
    long start, len;
    long probe, want_start, want_len;
};
constexpr RangeRow kRanges[] = {
    {"negative_len", SEEK_SET, 100, -10, 95, 90, 10},
    {"len_0_to_infinity", SEEK_SET, 100, 0, 1l << 40, 100, 0},
    {"seek_cur", SEEK_CUR, 5, 10, 20, 15, 10},           // offset 10
    {"seek_end_negative", SEEK_END, -20, 5, 81, 80, 5},  // size 100
    {"seek_end_past_eof", SEEK_END, 50, 1, 150, 150, 1},
};
TEST_P(fcntl, lock_range_forms, BOUNDARY, PSE53, kRanges,
       .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(sys::lseek(fd, 10, SEEK_SET));
    flock f = lk(F_WRLCK, row.start, row.len, row.whence);
    ASSERT_OK(sys::fcntl_lock(fd, F_SETLK, &f));
    RangeProbe p{row.probe, row.want_start, row.want_len};
    child(probe_range, &p);
    sys::close(fd);
}

// fcntl(2) EBADF: a read lock needs a descriptor open for reading, a write
// lock one open for writing; O_PATH and invalid descriptors fail too.
TEST(fcntl, lock_needs_access_mode_ebadf, NEGATIVE, PSE52, .flags = kc::NEEDS_SCRATCH) {
    sys::close(lock_file());
    int r = fs::open("f", O_RDONLY), w = fs::open("f", O_WRONLY), p = fs::open("f", O_PATH);
    EXPECT_ERR(setlk(r, F_WRLCK, 0, 10), EBADF);
    EXPECT_ERR(setlk(w, F_RDLCK, 0, 10), EBADF);
    EXPECT_ERR(setlk(p, F_RDLCK, 0, 10), EBADF);
    EXPECT_ERR(setlk(-1, F_RDLCK, 0, 10), EBADF);
    EXPECT_RET(setlk(r, F_RDLCK, 0, 10), 0);
    EXPECT_RET(setlk(w, F_WRLCK, 20, 10), 0);
    sys::close(r);
    sys::close(w);
    sys::close(p);
}

// fcntl(2) EINVAL: a bad l_type or l_whence, a range starting before byte 0,
// or F_GETLK asking about F_UNLCK. EOVERFLOW: the range end does not fit
// in off_t (Linux).
struct BadLock {
    const char* label;
    int cmd;
    short type, whence;
    long start, len;
    int err;
};
constexpr BadLock kBadLocks[] = {
    {"type_3", F_SETLK, 3, SEEK_SET, 0, 10, EINVAL},
    {"type_minus_1", F_SETLK, -1, SEEK_SET, 0, 10, EINVAL},
    {"whence_3", F_SETLK, F_WRLCK, 3, 0, 10, EINVAL},
    {"whence_minus_1", F_SETLK, F_WRLCK, -1, 0, 10, EINVAL},
    {"start_negative", F_SETLK, F_WRLCK, SEEK_SET, -1, 10, EINVAL},
    {"seek_end_before_0", F_SETLK, F_WRLCK, SEEK_END, -101, 10, EINVAL},
    {"negative_len_before_0", F_SETLK, F_WRLCK, SEEK_SET, 5, -10, EINVAL},
    {"getlk_unlck", F_GETLK, F_UNLCK, SEEK_SET, 0, 10, EINVAL},
    {"getlk_type_3", F_GETLK, 3, SEEK_SET, 0, 10, EINVAL},
    {"end_overflows_eoverflow", F_SETLK, F_WRLCK, SEEK_SET, LONG_MAX, 2, EOVERFLOW},
};
TEST_P(fcntl, lock_bad_arguments, NEGATIVE, LINUX, kBadLocks, .flags = kc::NEEDS_SCRATCH) {
    int fd = lock_file();
    flock f = lk(row.type, row.start, row.len, row.whence);
    EXPECT_ERR(sys::fcntl_lock(fd, row.cmd, &f), row.err);
    sys::close(fd);
}

namespace {
struct Waiter {
    int pipe_w;
};
void wait_for_lock(void* arg) {
    int f = child_fd();
    EXPECT_RET(setlk(f, F_WRLCK, 0, 10, F_SETLKW), 0);
    sys::write(static_cast<Waiter*>(arg)->pipe_w, "y", 1);
    sys::close(f);
}
}  // namespace

// fcntl(2) F_SETLKW: "If a shared or exclusive lock cannot be set, fcntl()
// shall wait until the request can be satisfied": the child is still waiting
// after 20 ms and gets the lock once the parent unlocks.
TEST(fcntl, setlkw_waits_for_release, POSITIVE, PSE53,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK | kc::SLOW) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 10));
    int p[2];
    ASSERT_OK(sys::pipe2(p, O_NONBLOCK));
    Waiter w{p[1]};
    long pid = kc::spawn(wait_for_lock, &w);
    common::sleep_ms(20);
    char c;
    EXPECT_ERR(sys::read(p[0], &c, 1), EAGAIN);  // still blocked
    ASSERT_OK(setlk(fd, F_UNLCK, 0, 10));
    EXPECT_CHILD_OK(pid);
    EXPECT_RET(sys::read(p[0], &c, 1), 1);
    sys::close(p[0]);
    sys::close(p[1]);
    sys::close(fd);
}

namespace {
void deadlock_child(void*) {
    int f = child_fd();
    if (setlk(f, F_WRLCK, 50, 1) != 0) sys::exit_group(2);  // B
    long r = setlk(f, F_WRLCK, 0, 1, F_SETLKW);             // A: blocks or EDEADLK
    sys::exit_group(r == -EDEADLK ? 3 : r == 0 ? 0 : 4);
}
// The rescue of a kernel that detects no deadlock (both sides would wait for
// ever): the child is killed, which frees its lock B for the parent.
void kill_child(void* pid) { sys::kill(int(*static_cast<long*>(pid)), SIGKILL); }
}  // namespace

// fcntl(2) EDEADLK: two processes each waiting for the other's lock; the
// kernel refuses one of the two F_SETLKW calls (whichever closes the cycle).
// Linux: POSIX lists EDEADLK among the errors fcntl "may" give. A kernel that
// lets both wait has the child killed after a second (common::Later) and
// fails here instead of hanging until the deadline.
TEST(fcntl, setlkw_deadlock_edeadlk, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    int fd = lock_file();
    ASSERT_OK(setlk(fd, F_WRLCK, 0, 1));  // A
    long pid = kc::spawn(deadlock_child, nullptr);
    ASSERT_GT(pid, 0);
    for (int i = 0; i < 200 && getlk(fd, 50, 1).l_type == F_UNLCK; ++i) common::sleep_ms(1);
    common::sleep_ms(5);  // let the child block on A
    long r;
    bool rescued;
    {
        common::Later rescue(1000, kill_child, &pid);
        r = setlk(fd, F_WRLCK, 50, 1, F_SETLKW);      // B
        if (r == -EDEADLK) setlk(fd, F_UNLCK, 0, 1);  // let the child finish
        // Until the rescue is called off, the child stays unreaped (WNOWAIT),
        // so that its pid cannot have gone to another process.
        siginfo si{};
        while (sys::waitid(P_PID, int(pid), &si, WEXITED | WNOWAIT, nullptr) == -EINTR) {
        }
        rescued = rescue.ran();
    }
    int st = kc::wait_status(pid);
    sys::close(fd);
    if (rescued) {
        ADD_FAILURE("no EDEADLK: both F_SETLKW calls waited (the child was killed after 1 s)");
        return;
    }
    ASSERT_TRUE(wifexited(st));
    int child_code = wexitstatus(st);
    // Exactly one side saw EDEADLK; the other got its lock.
    EXPECT_TRUE((r == -EDEADLK && child_code == 0) || (r == 0 && child_code == 3));
}

// fcntl(2) F_OFD_SETLK: open file description locks conflict between two
// opens of the file in one process; F_OFD_GETLK reports l_pid -1.
TEST(fcntl, ofd_conflict_between_descriptions, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDWR);
    ASSERT_OK(setlk(a, F_WRLCK, 0, 10, F_OFD_SETLK));
    EXPECT_ERR(setlk(b, F_WRLCK, 5, 10, F_OFD_SETLK), EAGAIN);
    EXPECT_ERR(setlk(b, F_RDLCK, 0, 1, F_OFD_SETLK), EAGAIN);
    flock g = getlk(b, 0, 1, F_OFD_GETLK);
    EXPECT_EQ(g.l_type, F_WRLCK);
    EXPECT_EQ(g.l_pid, -1);
    EXPECT_EQ(g.l_len, 10);
    EXPECT_RET(setlk(b, F_WRLCK, 10, 10, F_OFD_SETLK), 0);
    sys::close(a);
    sys::close(b);
}

// fcntl(2) OFD locks: a dup shares the open file description (no conflict);
// classic locks of the same process do conflict with them.
TEST(fcntl, ofd_dup_shares_classic_conflicts, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDWR);
    long d = sys::dup(a);
    ASSERT_OK(d);
    ASSERT_OK(setlk(a, F_WRLCK, 0, 10, F_OFD_SETLK));
    EXPECT_RET(setlk(int(d), F_WRLCK, 0, 10, F_OFD_SETLK), 0);
    EXPECT_ERR(setlk(b, F_WRLCK, 0, 10, F_SETLK), EAGAIN);
    sys::close(a);
    sys::close(b);
    sys::close(int(d));
}

// fcntl(2) OFD locks survive the close of another descriptor of the file
// (unlike classic locks) and go with the last close of their description.
TEST(fcntl, ofd_lifetime_follows_description, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int a = lock_file(), b = fs::open("f", O_RDWR);
    ASSERT_OK(setlk(a, F_WRLCK, 0, 10, F_OFD_SETLK));
    sys::close(fs::open("f", O_RDONLY));
    EXPECT_ERR(setlk(b, F_WRLCK, 0, 10, F_OFD_SETLK), EAGAIN);
    sys::close(a);
    EXPECT_RET(setlk(b, F_WRLCK, 0, 10, F_OFD_SETLK), 0);
    sys::close(b);
}

// fcntl(2) EINVAL: l_pid must be 0 for the F_OFD_* commands.
TEST(fcntl, ofd_nonzero_pid_einval, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    int fd = lock_file();
    flock f = lk(F_WRLCK, 0, 10);
    f.l_pid = 1;
    EXPECT_ERR(sys::fcntl_lock(fd, F_OFD_SETLK, &f), EINVAL);
    f.l_pid = -1;
    EXPECT_ERR(sys::fcntl_lock(fd, F_OFD_GETLK, &f), EINVAL);
    sys::close(fd);
}
