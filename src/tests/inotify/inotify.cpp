// SPDX-License-Identifier: MIT
// inotify(7): inotify_init1/inotify_init, inotify_add_watch and
// inotify_rm_watch in the run's scratch directory: IN_CREATE/IN_MODIFY/
// IN_DELETE/IN_MOVED_* records with the right wd, name and cookie,
// IN_ISDIR, coalescing, IN_IGNORED on removal, IN_ONESHOT, IN_DELETE_SELF,
// mask replace/add/create, the record layout and read-size rules, FIONREAD,
// poll readiness, flags, leaks, and the EINVAL/ENOENT/ENOTDIR/EEXIST/EBADF
// paths.
// Left out: IN_Q_OVERFLOW (needs fs.inotify.max_queued_events events),
// IN_UNMOUNT (needs mount), IN_ACCESS/IN_OPEN/IN_CLOSE_* details, watches
// over symlinks (IN_DONT_FOLLOW), the per-user watch and instance limits.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

// An inotify instance (nonblocking; or, `legacy`, one from inotify_init(2),
// which blocks) with a watch on the scratch directory.
struct Watch {
    kc::Fd in;
    long wd = -1;
    explicit Watch(u32 mask, bool legacy = false)
        : in(legacy ? sys::inotify_init() : sys::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        if (in.get() >= 0) wd = sys::inotify_add_watch(in, kc::scratch_path("."), mask);
    }
};

// Records read from an inotify fd.
struct Events {
    alignas(8) char buf[1024];
    long n = 0;
    long off = 0;
    long read_from(int fd) {
        n = sys::read(fd, buf, sizeof buf);
        off = 0;
        return n;
    }
    // The next record, or nullptr.
    const inotify_event* next() {
        if (off + long(sizeof(inotify_event)) > n) return nullptr;
        auto* e = reinterpret_cast<const inotify_event*>(buf + off);
        off += long(sizeof(inotify_event) + e->len);
        return e;
    }
};

const char* name_of(const inotify_event* e) { return reinterpret_cast<const char*>(e + 1); }

// Checks one record: wd, mask, name (nullptr: none).
void expect_event(const inotify_event* e, long wd, u32 mask, const char* name) {
    ASSERT_TRUE(e != nullptr);
    EXPECT_EQ(e->wd, wd);
    EXPECT_EQ(long(e->mask), long(mask));
    if (name) {
        EXPECT_TRUE(e->len > 0 && rt::streq(name_of(e), name));
        EXPECT_EQ(e->len % sizeof(inotify_event), 0);  // NUL-padded to a record boundary
    } else {
        EXPECT_EQ(e->len, 0);
    }
}

long create_file(const char* name) {
    long fd = sys::openat(kc::scratch_fd(), name, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd >= 0) sys::close(int(fd));
    return fd < 0 ? fd : 0;
}

long write_file(const char* name, const char* data, usize n) {
    long fd = sys::openat(kc::scratch_fd(), name, O_WRONLY);
    if (fd < 0) return fd;
    long r = sys::write(int(fd), data, n);
    sys::close(int(fd));
    return r;
}

}  // namespace

// inotify(7): IN_CREATE: a file created in a watched directory gives one
// record with the watch's wd, mask IN_CREATE, cookie 0 and the file's name.
TEST(inotify_add_watch, create_event_named, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.in.get());
    ASSERT_OK(w.wd);
    EXPECT_GE(w.wd, 1);
    ASSERT_OK(create_file("new_file"));
    Events ev;
    EXPECT_RET(ev.read_from(w.in), 32);
    const inotify_event* e = ev.next();
    expect_event(e, w.wd, IN_CREATE, "new_file");
    EXPECT_EQ(e->cookie, 0);
}

// inotify(7): IN_MODIFY when a file in the directory is written.
TEST(inotify_add_watch, modify_event_named, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(create_file("m"));
    Watch w(IN_MODIFY);
    ASSERT_OK(w.wd);
    ASSERT_RET(write_file("m", "data", 4), 4);
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_MODIFY, "m");
    EXPECT_TRUE(ev.next() == nullptr);
}

// inotify(7): IN_DELETE when a file in the directory is unlinked.
TEST(inotify_add_watch, delete_event_named, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(create_file("gone"));
    Watch w(IN_DELETE);
    ASSERT_OK(w.wd);
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "gone", 0));
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_DELETE, "gone");
}

// inotify(7): the mask filters: with only IN_DELETE watched, creating and
// writing a file produce nothing; events come in order of occurrence.
TEST(inotify_add_watch, mask_filters_and_orders, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Watch w(IN_CREATE | IN_MODIFY | IN_DELETE);
    ASSERT_OK(w.wd);
    Watch only_delete(IN_DELETE);
    ASSERT_OK(only_delete.wd);
    ASSERT_OK(create_file("f"));
    ASSERT_RET(write_file("f", "x", 1), 1);
    Events ev;
    EXPECT_ERR(ev.read_from(only_delete.in), EAGAIN);
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "f", 0));
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_CREATE, "f");
    expect_event(ev.next(), w.wd, IN_MODIFY, "f");
    expect_event(ev.next(), w.wd, IN_DELETE, "f");
    EXPECT_TRUE(ev.next() == nullptr);
    EXPECT_GT(ev.read_from(only_delete.in), 0);
    expect_event(ev.next(), only_delete.wd, IN_DELETE, "f");
}

// inotify(7): "IN_ISDIR: Subject of this event is a directory": mkdir gives
// IN_CREATE | IN_ISDIR.
TEST(inotify_add_watch, mkdir_event_isdir, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    Watch w(IN_CREATE | IN_DELETE);
    ASSERT_OK(w.wd);
    ASSERT_OK(sys::mkdirat(kc::scratch_fd(), "sub", 0700));
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "sub", AT_REMOVEDIR));
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_CREATE | IN_ISDIR, "sub");
    expect_event(ev.next(), w.wd, IN_DELETE | IN_ISDIR, "sub");
}

// inotify(7): a rename gives IN_MOVED_FROM (old name) and IN_MOVED_TO (new
// name) sharing one nonzero cookie.
TEST(inotify_add_watch, rename_cookie_pair, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(create_file("old"));
    Watch w(IN_MOVED_FROM | IN_MOVED_TO);
    ASSERT_OK(w.wd);
    int d = kc::scratch_fd();
    ASSERT_OK(renameat2(d, "old", d, "new", 0));
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    const inotify_event* from = ev.next();
    expect_event(from, w.wd, IN_MOVED_FROM, "old");
    const inotify_event* to = ev.next();
    expect_event(to, w.wd, IN_MOVED_TO, "new");
    EXPECT_NE(from->cookie, 0);
    EXPECT_EQ(to->cookie, from->cookie);
}

// inotify(7): "If successive output inotify events ... are identical (same
// wd, mask, cookie, and name), then they are coalesced into a single event
// if the older event has not yet been read".
TEST(inotify_add_watch, identical_events_coalesced, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(create_file("c"));
    Watch w(IN_MODIFY);
    ASSERT_OK(w.wd);
    long fd = sys::openat(kc::scratch_fd(), "c", O_WRONLY);
    ASSERT_OK(fd);
    EXPECT_RET(sys::write(int(fd), "a", 1), 1);
    EXPECT_RET(sys::write(int(fd), "b", 1), 1);
    sys::close(int(fd));
    Events ev;
    EXPECT_RET(ev.read_from(w.in), 32);  // one record for "c"
    expect_event(ev.next(), w.wd, IN_MODIFY, "c");
    EXPECT_TRUE(ev.next() == nullptr);
}

// inotify_add_watch(2): watching the same inode again returns the same wd
// and replaces the mask.
TEST(inotify_add_watch, same_path_same_wd_mask_replaced, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.wd);
    EXPECT_RET(sys::inotify_add_watch(w.in, kc::scratch_path(""), IN_DELETE), w.wd);
    ASSERT_OK(create_file("r"));
    Events ev;
    EXPECT_ERR(ev.read_from(w.in), EAGAIN);  // IN_CREATE no longer watched
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "r", 0));
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_DELETE, "r");
}

// inotify_add_watch(2): IN_MASK_ADD ORs the new events into the watch's mask.
TEST(inotify_add_watch, mask_add_merges, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.wd);
    EXPECT_RET(sys::inotify_add_watch(w.in, kc::scratch_path("."), IN_DELETE | IN_MASK_ADD), w.wd);
    ASSERT_OK(create_file("r"));
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "r", 0));
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_CREATE, "r");
    expect_event(ev.next(), w.wd, IN_DELETE, "r");
}

// inotify_add_watch(2): EEXIST "mask contains IN_MASK_CREATE and pathname
// refers to a file already being watched by the same inotify instance".
TEST(inotify_add_watch, mask_create_existing_eexist, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.wd);
    EXPECT_ERR(sys::inotify_add_watch(w.in, kc::scratch_path("."), IN_DELETE | IN_MASK_CREATE),
               EEXIST);
    // A new path with IN_MASK_CREATE is fine.
    ASSERT_OK(create_file("x"));
    EXPECT_GT(sys::inotify_add_watch(w.in, kc::scratch_path("x"), IN_MODIFY | IN_MASK_CREATE),
              w.wd);
}

struct Mask {
    const char* label;
    u32 mask;
};
constexpr Mask kBadMasks[] = {
    {"mask=0", 0},
    {"mask=IN_MASK_ADD|IN_MASK_CREATE", IN_CREATE | IN_MASK_ADD | IN_MASK_CREATE},
    {"mask=0x80000", 0x80000},
    {"mask=IN_CREATE|0x08000000", IN_CREATE | 0x08000000}};
// inotify_add_watch(2): EINVAL "The given event mask contains no valid
// events", or IN_MASK_ADD with IN_MASK_CREATE, or an undefined bit.
TEST_P(inotify_add_watch, bad_mask_einval, NEGATIVE, LINUX, kBadMasks, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd in(sys::inotify_init1(0));
    ASSERT_OK(in.get());
    EXPECT_ERR(sys::inotify_add_watch(in, kc::scratch_path("."), row.mask), EINVAL);
}

constexpr Mask kFlagOnly[] = {{"mask=IN_ONLYDIR", IN_ONLYDIR},
                              {"mask=IN_DONT_FOLLOW", IN_DONT_FOLLOW},
                              {"mask=IN_ONESHOT", IN_ONESHOT}};
// inotify_add_watch(2) documents EINVAL for a mask with "no valid events",
// but Linux accepts a mask of flag bits only (it checks against all inotify
// bits, flags included): a watch with no events is created. Linux wins.
TEST_P(inotify_add_watch, flag_only_mask_accepted, BOUNDARY, LINUX, kFlagOnly,
       .flags = kc::NEEDS_SCRATCH) {
    kc::Fd in(sys::inotify_init1(IN_NONBLOCK));
    ASSERT_OK(in.get());
    EXPECT_GE(sys::inotify_add_watch(in, kc::scratch_path("."), row.mask), 1);
    ASSERT_OK(create_file("quiet"));
    Events ev;
    EXPECT_ERR(ev.read_from(in), EAGAIN);
}

struct Path {
    const char* label;
    const char* name;  // relative to the scratch directory; nullptr: ""
};
constexpr Path kMissing[] = {{"path=missing", "missing"},
                             {"path=missing_dir/file", "missing_dir/file"},
                             {"path=empty", nullptr}};
// inotify_add_watch(2): ENOENT "A directory component in pathname does not
// exist", or the path is empty.
TEST_P(inotify_add_watch, missing_path_enoent, NEGATIVE, LINUX, kMissing,
       .flags = kc::NEEDS_SCRATCH) {
    kc::Fd in(sys::inotify_init1(0));
    ASSERT_OK(in.get());
    const char* path = row.name ? kc::scratch_path(row.name) : "";
    EXPECT_ERR(sys::inotify_add_watch(in, path, IN_CREATE), ENOENT);
}

// inotify_add_watch(2): IN_ONLYDIR on a non-directory fails with ENOTDIR.
TEST(inotify_add_watch, onlydir_on_file_enotdir, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    ASSERT_OK(create_file("plain"));
    kc::Fd in(sys::inotify_init1(0));
    ASSERT_OK(in.get());
    EXPECT_ERR(sys::inotify_add_watch(in, kc::scratch_path("plain"), IN_MODIFY | IN_ONLYDIR),
               ENOTDIR);
    EXPECT_GE(sys::inotify_add_watch(in, kc::scratch_path("plain"), IN_MODIFY), 1);
}

// inotify_add_watch(2): EINVAL "fd is not an inotify file descriptor";
// EBADF "fd is not a valid file descriptor".
TEST(inotify_add_watch, bad_fd_einval_ebadf, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(sys::inotify_add_watch(p.rd, kc::scratch_path("."), IN_CREATE), EINVAL);
    EXPECT_ERR(sys::inotify_add_watch(-1, kc::scratch_path("."), IN_CREATE), EBADF);
}

// inotify_add_watch(2): EFAULT for a pathname outside the address space.
TEST(inotify_add_watch, bad_path_pointer_efault, NEGATIVE, LINUX) {
    kc::Fd in(sys::inotify_init1(0));
    ASSERT_OK(in.get());
    EXPECT_ERR(sys::inotify_add_watch(in, static_cast<char*>(unmapped_page()), IN_CREATE), EFAULT);
}

// inotify(7): IN_ONESHOT: the watch reports one event, then is removed
// (IN_IGNORED follows).
TEST(inotify_add_watch, oneshot_then_ignored, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE | IN_ONESHOT);
    ASSERT_OK(w.wd);
    ASSERT_OK(create_file("one"));
    ASSERT_OK(create_file("two"));
    Events ev;
    EXPECT_GT(ev.read_from(w.in), 0);
    expect_event(ev.next(), w.wd, IN_CREATE, "one");
    expect_event(ev.next(), w.wd, IN_IGNORED, nullptr);
    EXPECT_TRUE(ev.next() == nullptr);
    EXPECT_ERR(sys::inotify_rm_watch(w.in, int(w.wd)), EINVAL);
}

// inotify(7): a watched file that is deleted reports IN_DELETE_SELF (no
// name), then IN_IGNORED as the watch goes away.
TEST(inotify_add_watch, delete_self_then_ignored, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(create_file("victim"));
    kc::Fd in(sys::inotify_init1(IN_NONBLOCK));
    ASSERT_OK(in.get());
    long wd = sys::inotify_add_watch(in, kc::scratch_path("victim"), IN_DELETE_SELF);
    ASSERT_OK(wd);
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "victim", 0));
    Events ev;
    EXPECT_GT(ev.read_from(in), 0);
    expect_event(ev.next(), wd, IN_DELETE_SELF, nullptr);
    expect_event(ev.next(), wd, IN_IGNORED, nullptr);
}

// inotify_rm_watch(2): removing a watch queues IN_IGNORED for its wd, and
// later changes are not reported.
TEST(inotify_rm_watch, emits_in_ignored, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.wd);
    EXPECT_RET(sys::inotify_rm_watch(w.in, int(w.wd)), 0);
    ASSERT_OK(create_file("after"));
    Events ev;
    EXPECT_RET(ev.read_from(w.in), 16);
    expect_event(ev.next(), w.wd, IN_IGNORED, nullptr);
    EXPECT_ERR(ev.read_from(w.in), EAGAIN);
}

struct Wd {
    const char* label;
    int wd;  // 0 here means "the wd just removed"
};
constexpr Wd kBadWds[] = {{"wd=-1", -1},
                          {"wd=INT_MIN", INT_MIN},
                          {"wd=unused", 12345},
                          {"wd=INT_MAX", INT_MAX},
                          {"wd=removed", 0}};
// inotify_rm_watch(2): EINVAL "The watch descriptor wd is not valid".
TEST_P(inotify_rm_watch, bad_wd_einval, NEGATIVE, LINUX, kBadWds, .flags = kc::NEEDS_SCRATCH) {
    Watch w(IN_CREATE);
    ASSERT_OK(w.wd);
    int wd = row.wd;
    if (wd == 0) {
        ASSERT_OK(sys::inotify_rm_watch(w.in, int(w.wd)));
        wd = int(w.wd);
    }
    EXPECT_ERR(sys::inotify_rm_watch(w.in, wd), EINVAL);
}

// inotify_rm_watch(2): EINVAL "fd is not an inotify file descriptor"; EBADF
// "fd is not a valid file descriptor".
TEST(inotify_rm_watch, bad_fd_einval_ebadf, NEGATIVE, LINUX) {
    kc::Pipe p;
    ASSERT_OK(p.r);
    EXPECT_ERR(sys::inotify_rm_watch(p.rd, 1), EINVAL);
    EXPECT_ERR(sys::inotify_rm_watch(-1, 1), EBADF);
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kBadFlags[] = {{"flags=1", 1},
                               {"flags=IN_CLOEXEC|1", IN_CLOEXEC | 1},
                               {"flags=O_APPEND", O_APPEND},
                               {"flags=-1", -1}};
// inotify_init1(2): EINVAL "An invalid value was specified in flags".
TEST_P(inotify_init1, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    EXPECT_ERR(sys::inotify_init1(row.flags), EINVAL);
}

constexpr Flags kGoodFlags[] = {{"flags=0", 0},
                                {"flags=IN_CLOEXEC", IN_CLOEXEC},
                                {"flags=IN_NONBLOCK", IN_NONBLOCK},
                                {"flags=both", IN_CLOEXEC | IN_NONBLOCK}};
// inotify_init1(2): IN_CLOEXEC and IN_NONBLOCK become FD_CLOEXEC and
// O_NONBLOCK on the new fd.
TEST_P(inotify_init1, flags_applied, POSITIVE, LINUX, kGoodFlags) {
    kc::Fd in(sys::inotify_init1(row.flags));
    ASSERT_OK(in.get());
    EXPECT_RET(sys::fcntl(in, F_GETFD), (row.flags & IN_CLOEXEC) ? FD_CLOEXEC : 0);
    EXPECT_EQ(sys::fcntl(in, F_GETFL) & O_NONBLOCK, row.flags & IN_NONBLOCK);
}

// inotify(7): a nonblocking read with no events fails with EAGAIN.
TEST(inotify_init1, nonblocking_empty_eagain, NEGATIVE, LINUX) {
    kc::Fd in(sys::inotify_init1(IN_NONBLOCK));
    ASSERT_OK(in.get());
    char buf[64];
    EXPECT_ERR(sys::read(in, buf, sizeof buf), EAGAIN);
}

struct Len {
    const char* label;
    usize len;
};
constexpr Len kTooSmall[] = {{"len=0", 0}, {"len=16", 16}, {"len=47", 47}};
// inotify(7): "if the buffer given to read(2) is too small to return
// information about the next event ... EINVAL": a record with a 17-byte name
// is 48 bytes; 47 bytes is not enough (and the event stays queued).
// The same through the legacy inotify_init(2) (x86-64), whose blocking fd
// must fail at once too, since an event is queued.
void too_small(const Len& row, bool legacy) {
    Watch w(IN_CREATE, legacy);
    ASSERT_OK(w.wd);
    ASSERT_OK(create_file("abcdefghijklmnopq"));
    Events ev;
    EXPECT_ERR(sys::read(w.in, ev.buf, row.len), EINVAL);
    EXPECT_RET(sys::read(w.in, ev.buf, 48), 48);
    ev.n = 48;
    expect_event(ev.next(), w.wd, IN_CREATE, "abcdefghijklmnopq");
}
TEST_P(inotify_init1, read_buffer_too_small_einval, BOUNDARY, LINUX, kTooSmall,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    too_small(row, false);
}
TEST_P(inotify_init, read_buffer_too_small_einval, BOUNDARY, LINUX, kTooSmall,
       .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    REQUIRE_NR(inotify_init);
    too_small(row, true);
}

// inotify(7): FIONREAD "returns the number of bytes available to read" (an
// instance from inotify_init1, and one from the legacy inotify_init).
void fionread(bool legacy) {
    Watch w(IN_CREATE, legacy);
    ASSERT_OK(w.wd);
    int n = -1;
    EXPECT_RET(sys::ioctl(w.in, FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 0);
    ASSERT_OK(create_file("a"));
    ASSERT_OK(create_file("abcdefghijklmnopq"));
    EXPECT_RET(sys::ioctl(w.in, FIONREAD, long(&n)), 0);
    EXPECT_EQ(n, 32 + 48);
}
TEST(inotify_init1, fionread_counts_bytes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fionread(false);
}
TEST(inotify_init, fionread_counts_bytes, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(inotify_init);
    fionread(true);
}

// inotify(7): the fd polls readable while events are queued (both entry
// points).
void poll_readable(bool legacy) {
    Watch w(IN_CREATE, legacy);
    ASSERT_OK(w.wd);
    pollfd p{w.in, POLLIN, 0};
    timespec ts{0, 0};
    EXPECT_RET(sys::ppoll(&p, 1, &ts, nullptr), 0);
    ASSERT_OK(create_file("p"));
    EXPECT_RET(sys::ppoll(&p, 1, &ts, nullptr), 1);
    EXPECT_EQ(p.revents, POLLIN);
}
TEST(inotify_init1, poll_readable_with_events, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    poll_readable(false);
}
TEST(inotify_init, poll_readable_with_events, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(inotify_init);
    poll_readable(true);
}

// inotify_init(2) returns the lowest free descriptor, like every call that
// makes one (POSIX's rule for open), and a closed instance frees it.
TEST(inotify_init, returns_lowest_free_fd, BOUNDARY, LINUX) {
    REQUIRE_NR(inotify_init);
    long a = sys::inotify_init();
    ASSERT_OK(a);
    long b = sys::inotify_init();
    ASSERT_OK(b);
    sys::close(int(a));
    kc::Fd c(sys::inotify_init());
    EXPECT_RET(c.get(), a);
    sys::close(int(b));
}

// inotify(7): instances are limited per user (fs.inotify.max_user_instances,
// 128 by default, enforced for root too): each one created and closed must
// release its count, and the next one still works. The loop crosses that
// limit by 64 (a leaked count: EMFILE), and RLIMIT_NOFILE, lowered to 64
// above the lowest free fd, four times over (a leaked descriptor). A larger
// max_user_instances is crossed up to the old count, 10,000, kept in the ID.
TEST(inotify_init1, create_close_10000_no_leak, BOUNDARY, LINUX) {
    common::limit_fd_room();
    long rounds = common::proc_number("/proc/sys/fs/inotify/max_user_instances");
    rounds = rounds < 0 ? 10000 : rounds + 64;  // unknown: the old count
    if (rounds < common::kFdLeakRounds) rounds = common::kFdLeakRounds;
    if (rounds > 10000) rounds = 10000;
    long first = sys::inotify_init1(0);
    ASSERT_OK(first);
    sys::close(int(first));
    int bad = 0;
    for (long i = 0; i < rounds; ++i) {
        long fd = sys::inotify_init1(IN_CLOEXEC);
        if (fd != first) ++bad;
        if (fd >= 0) sys::close(int(fd));
    }
    EXPECT_EQ(bad, 0);
    kc::Fd in(sys::inotify_init1(IN_NONBLOCK));
    EXPECT_RET(in.get(), first);
}

// inotify_init(2): the legacy call makes a blocking, non-close-on-exec
// instance.
TEST(inotify_init, legacy_instance, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    REQUIRE_NR(inotify_init);
    kc::Fd in(sys::inotify_init());
    ASSERT_OK(in.get());
    EXPECT_RET(sys::fcntl(in, F_GETFD), 0);
    EXPECT_EQ(sys::fcntl(in, F_GETFL) & O_NONBLOCK, 0);
    long wd = sys::inotify_add_watch(in, kc::scratch_path("."), IN_CREATE);
    ASSERT_OK(wd);
    ASSERT_OK(create_file("z"));
    Events ev;
    EXPECT_RET(ev.read_from(in), 32);
    expect_event(ev.next(), wd, IN_CREATE, "z");
}
