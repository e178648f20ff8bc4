// SPDX-License-Identifier: MIT
// fanotify: fanotify_init(2) and fanotify_mark(2), and the events read(2)
// returns (fanotify(7)). Covered: groups with and without CAP_SYS_ADMIN
// (unprivileged groups exist since Linux 5.13, only with FAN_REPORT_FID and
// without the admin-only flags), the flag checks of both calls, inode marks
// on scratch files and the FAN_MODIFY / FAN_CLOSE_WRITE events they
// report: an open descriptor and the writer's pid for a privileged group, a
// file-handle record (FAN_NOFD) with FAN_REPORT_FID. Mount and
// file-system marks are only checked to be refused to an unprivileged
// group: a privileged one would see the whole scratch file system.
// Not covered: permission events (FAN_OPEN_PERM and friends, which block
// the writer until answered), FAN_REPORT_NAME/DIR_FID records,
// FAN_UNLIMITED_* limits, pidfd reporting.
// A group is made inside the check of its result, so that the check's text
// names fanotify_init: a run under a container's seccomp filter, which
// refuses it, reports such a test as SKIP (harness/check.cpp).
#include "harness/test.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fanotify.hpp"
#include "tests/common/common_util.hpp"

namespace {

void require_fanotify() {
    if (sys::fanotify_init(~0u, 0) == -ENOSYS)
        kc::skip_unimplemented(
            "fanotify_init",
            "fanotify_init: not implemented (ENOSYS; a kernel without CONFIG_FANOTIFY)");
}

// scratch/f, empty; 0 or -errno.
long make_file() {
    long fd = sys::openat(kc::scratch_fd(), "f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return fd;
    sys::close(int(fd));
    return 0;
}

// Writes to scratch/f and closes it.
void write_file() {
    kc::Fd fd(sys::openat(kc::scratch_fd(), "f", O_WRONLY | O_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_RET(sys::write(fd, "data", 4), 4);
}

// Reads the queued events of `fan` (non-blocking); ORs their masks, checks
// each record's header, closes the event descriptors. Returns the mask.
u64 drain(int fan, int* event_fd, int* pid, bool* fid_record) {
    alignas(8) char buf[1024];
    u64 mask = 0;
    long n = sys::read(fan, buf, sizeof buf);
    for (long off = 0; n > 0 && off < n;) {
        auto* m = reinterpret_cast<fanotify_event_metadata*>(buf + off);
        EXPECT_EQ(m->vers, FANOTIFY_METADATA_VERSION);
        EXPECT_EQ(m->metadata_len, sizeof(fanotify_event_metadata));
        if (m->event_len < sizeof *m) break;
        mask |= m->mask;
        *event_fd = m->fd;
        *pid = m->pid;
        if (m->fd >= 0) sys::close(m->fd);
        if (m->event_len > sizeof *m) {
            auto* h = reinterpret_cast<fanotify_event_info_header*>(m + 1);
            *fid_record = h->info_type == FAN_EVENT_INFO_TYPE_FID && h->len > 8;
        }
        off += m->event_len;
    }
    return mask;
}

// fanotify_mark on scratch/f.
long mark_file(int fan, unsigned flags, u64 mask) {
    return sys::fanotify_mark(fan, flags, mask, kc::scratch_fd(), "f");
}

}  // namespace

// ---------------------------------------------------------------------------
// fanotify_init(2)

// fanotify_init(2) with CAP_SYS_ADMIN: a notification group whose
// descriptor carries FAN_CLOEXEC (FD_CLOEXEC) and FAN_NONBLOCK (reading an
// empty queue is EAGAIN).
TEST(fanotify_init, fd_flags, POSITIVE, LINUX) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    kc::Fd fan;
    ASSERT_OK(
        (fan.reset(sys::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY)),
         fan.get()));
    EXPECT_RET(sys::fcntl(fan, F_GETFD), FD_CLOEXEC);
    char buf[64];
    EXPECT_ERR(sys::read(fan, buf, sizeof buf), EAGAIN);
    kc::Fd plain;
    ASSERT_OK((plain.reset(sys::fanotify_init(FAN_CLASS_NOTIF, O_RDONLY)), plain.get()));
    EXPECT_RET(sys::fcntl(plain, F_GETFD), 0);
}

struct Init {
    const char* label;
    unsigned flags, event_f_flags;
};
constexpr Init kBadInit[] = {
    {"unknown_flag", 0x80000000u, O_RDONLY},
    {"two_classes", FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT, O_RDONLY},
    {"fid_with_content_class", FAN_REPORT_FID | FAN_CLASS_CONTENT, O_RDONLY},
    {"name_without_dir_fid", FAN_REPORT_NAME, O_RDONLY},
    {"event_f_flags=O_ACCMODE", FAN_CLASS_NOTIF, O_ACCMODE},
};
// fanotify_init(2) EINVAL: "An invalid value was passed in flags or
// event_f_flags" - unknown bits, the class bits both set (no such class),
// FAN_REPORT_FID with a class other than FAN_CLASS_NOTIF, FAN_REPORT_NAME
// without FAN_REPORT_DIR_FID, an access mode of 3 (with CAP_SYS_ADMIN).
TEST_P(fanotify_init, bad_flags_einval, NEGATIVE, LINUX, kBadInit) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    EXPECT_ERR(sys::fanotify_init(row.flags, row.event_f_flags), EINVAL);
}

constexpr Init kAdminOnly[] = {
    {"FAN_CLASS_NOTIF", FAN_CLASS_NOTIF, O_RDONLY},
    {"FAN_CLASS_CONTENT", FAN_CLASS_CONTENT, O_RDONLY},
    {"fid|FAN_UNLIMITED_QUEUE", FAN_REPORT_FID | FAN_UNLIMITED_QUEUE, O_RDONLY},
    {"fid|FAN_UNLIMITED_MARKS", FAN_REPORT_FID | FAN_UNLIMITED_MARKS, O_RDONLY},
    {"fid|FAN_REPORT_TID", FAN_REPORT_FID | FAN_REPORT_TID, O_RDONLY},
};
// fanotify_init(2) EPERM: "The operation is not permitted because the
// caller lacks a required capability" - without CAP_SYS_ADMIN only groups
// that report file ids (no event descriptors), without the unlimited queue
// or marks and without thread ids (Linux 5.13's unprivileged groups).
TEST_P(fanotify_init, unprivileged_eperm, NEGATIVE, LINUX, kAdminOnly, .flags = kc::NEEDS_FORK) {
    require_fanotify();
    common::unprivileged(
        [](void* p) {
            auto* r = static_cast<const Init*>(p);
            EXPECT_ERR(sys::fanotify_init(r->flags, r->event_f_flags), EPERM);
        },
        &row);
}

// fanotify_init(2) without CAP_SYS_ADMIN: a FAN_REPORT_FID notification
// group is allowed (Linux 5.13).
TEST(fanotify_init, unprivileged_fid_group, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    require_fanotify();
    common::unprivileged([](void*) {
        long fan = sys::fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);
        EXPECT_GE(fan, 0);
        if (fan >= 0) sys::close(int(fan));
    });
}

// ---------------------------------------------------------------------------
// fanotify_mark(2)

// fanotify_mark(2) FAN_MARK_ADD with FAN_MODIFY | FAN_CLOSE_WRITE on a file:
// writing it and closing it queues those events, each with "an open file
// descriptor for the object being accessed" and the pid of the writer.
TEST(fanotify_mark, inode_events, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    ASSERT_RET(make_file(), 0);
    kc::Fd fan;
    ASSERT_OK(
        (fan.reset(sys::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY)),
         fan.get()));
    ASSERT_RET(mark_file(fan, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE), 0);
    write_file();
    int fd = -2, pid = 0;
    bool fid = false;
    EXPECT_EQ(drain(fan, &fd, &pid, &fid), FAN_MODIFY | FAN_CLOSE_WRITE);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(pid, sys::getpid());
}

// fanotify_mark(2): events outside the mask are not reported (reading, an
// open for reading), and after FAN_MARK_REMOVE nothing is.
TEST(fanotify_mark, mask_and_remove, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    ASSERT_RET(make_file(), 0);
    kc::Fd fan;
    ASSERT_OK(
        (fan.reset(sys::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY)),
         fan.get()));
    ASSERT_RET(mark_file(fan, FAN_MARK_ADD, FAN_CLOSE_WRITE), 0);
    {
        kc::Fd rd(sys::openat(kc::scratch_fd(), "f", O_RDONLY | O_CLOEXEC));
        ASSERT_OK(rd.get());
    }
    int fd = -2, pid = 0;
    bool fid = false;
    EXPECT_EQ(drain(fan, &fd, &pid, &fid), 0u);
    ASSERT_RET(mark_file(fan, FAN_MARK_REMOVE, FAN_CLOSE_WRITE), 0);
    write_file();
    EXPECT_EQ(drain(fan, &fd, &pid, &fid), 0u);
}

// fanotify_mark(2) in a FAN_REPORT_FID group of an unprivileged process:
// the event has no descriptor (FAN_NOFD) and carries a file-id record
// (FAN_EVENT_INFO_TYPE_FID). A file system that cannot encode file handles
// refuses the mark and is skipped.
TEST(fanotify_mark, unprivileged_fid_events, POSITIVE, LINUX,
     .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH | kc::SLOW) {
    require_fanotify();
    ASSERT_RET(make_file(), 0);
    {
        kc::Fd probe;
        ASSERT_OK(
            (probe.reset(sys::fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY)), probe.get()));
        long r = mark_file(probe, FAN_MARK_ADD, FAN_MODIFY);
        if (r == -EOPNOTSUPP || r == -EXDEV)
            kc::skip("the scratch file system cannot encode file handles for fanotify");
    }
    common::unprivileged([](void*) {
        kc::Fd fan;
        ASSERT_OK(
            (fan.reset(sys::fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY)),
             fan.get()));
        ASSERT_RET(mark_file(fan, FAN_MARK_ADD, FAN_MODIFY), 0);
        write_file();
        int fd = -2, pid = 0;
        bool fid = false;
        EXPECT_EQ(drain(fan, &fd, &pid, &fid), FAN_MODIFY);
        EXPECT_EQ(fd, FAN_NOFD);
        EXPECT_TRUE(fid);
    });
}

constexpr Init kUnprivMarks[] = {{"FAN_MARK_MOUNT", FAN_MARK_MOUNT, 0},
                                 {"FAN_MARK_FILESYSTEM", FAN_MARK_FILESYSTEM, 0}};
// fanotify_mark(2) EPERM: an unprivileged group may only mark inodes
// ("mount or filesystem marks ... require CAP_SYS_ADMIN").
TEST_P(fanotify_mark, unprivileged_mount_mark_eperm, NEGATIVE, LINUX, kUnprivMarks,
       .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    require_fanotify();
    common::unprivileged(
        [](void* p) {
            kc::Fd fan;
            ASSERT_OK(
                (fan.reset(sys::fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY)), fan.get()));
            unsigned how = static_cast<const Init*>(p)->flags;
            EXPECT_ERR(
                sys::fanotify_mark(fan, FAN_MARK_ADD | how, FAN_MODIFY, kc::scratch_fd(), nullptr),
                EPERM);
        },
        &row);
}

struct Mark {
    const char* label;
    unsigned flags;
    u64 mask;
};
constexpr Mark kBadMarks[] = {
    {"unknown_flag", FAN_MARK_ADD | 0x80000000u, FAN_MODIFY},
    {"add|remove", FAN_MARK_ADD | FAN_MARK_REMOVE, FAN_MODIFY},
    {"no_operation", 0, FAN_MODIFY},
    {"mask=0", FAN_MARK_ADD, 0},
    {"unknown_event", FAN_MARK_ADD, 1ull << 40},
    {"perm_event_in_notif_group", FAN_MARK_ADD, FAN_OPEN_PERM},
};
// fanotify_mark(2) EINVAL: "An invalid value was passed in flags or mask"
// - unknown bits, no or two operations, an empty mask for FAN_MARK_ADD, a
// permission event in a FAN_CLASS_NOTIF group.
TEST_P(fanotify_mark, bad_arguments_einval, NEGATIVE, LINUX, kBadMarks,
       .flags = kc::NEEDS_SCRATCH) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    ASSERT_RET(make_file(), 0);
    kc::Fd fan;
    ASSERT_OK((fan.reset(sys::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY)), fan.get()));
    EXPECT_ERR(mark_file(fan, row.flags, row.mask), EINVAL);
}

// fanotify_mark(2): EBADF "An invalid file descriptor was passed in
// fanotify_fd", EINVAL "fanotify_fd is not an fanotify file descriptor".
TEST(fanotify_mark, bad_group_fd, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_fanotify();
    ASSERT_RET(make_file(), 0);
    EXPECT_ERR(mark_file(-1, FAN_MARK_ADD, FAN_MODIFY), EBADF);
    EXPECT_ERR(mark_file(kc::scratch_fd(), FAN_MARK_ADD, FAN_MODIFY), EINVAL);
}

// fanotify_mark(2): ENOENT "The filesystem object indicated by dirfd and
// pathname does not exist" and "This error also occurs when trying to
// remove a mark from an object which is not marked"; ENOTDIR "flags
// contains FAN_MARK_ONLYDIR, and dirfd and pathname do not specify a
// directory".
TEST(fanotify_mark, lookup_errors, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    require_fanotify();
    kc::require_cap(CAP_SYS_ADMIN);
    ASSERT_RET(make_file(), 0);
    kc::Fd fan;
    ASSERT_OK((fan.reset(sys::fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY)), fan.get()));
    EXPECT_ERR(sys::fanotify_mark(fan, FAN_MARK_ADD, FAN_MODIFY, kc::scratch_fd(), "absent"),
               ENOENT);
    EXPECT_ERR(mark_file(fan, FAN_MARK_REMOVE, FAN_MODIFY), ENOENT);
    EXPECT_ERR(mark_file(fan, FAN_MARK_ADD | FAN_MARK_ONLYDIR, FAN_MODIFY), ENOTDIR);
}
