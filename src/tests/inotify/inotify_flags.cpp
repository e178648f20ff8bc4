// SPDX-License-Identifier: MIT
// The flags of inotify_init1(2) and of inotify_add_watch(2)'s mask, each
// observed against the same call without it. Inventory (flag: the tests
// that observe it; inotify.cpp unless named otherwise):
//   inotify_init1 IN_NONBLOCK: inotify_init1.nonblocking_empty_eagain (a
//     blocking read would wait), inotify_init1.flags_applied (O_NONBLOCK).
//   inotify_init1 IN_CLOEXEC: inotify_init1.flags_applied (FD_CLOEXEC, which
//     execve honours: execve.o_cloexec_fd_closed in proc/exec.cpp).
//   IN_ONESHOT: inotify_add_watch.oneshot_then_ignored (the second event is
//     not reported, the watch goes).
//   IN_ONLYDIR: inotify_add_watch.onlydir_on_file_enotdir.
//   IN_DONT_FOLLOW: inotify_add_watch.dont_follow_watches_link (here).
//   IN_EXCL_UNLINK: inotify_add_watch.excl_unlink_drops_unlinked_child (here).
//   IN_MASK_ADD: inotify_add_watch.mask_add_merges against
//     inotify_add_watch.same_path_same_wd_mask_replaced.
//   IN_MASK_CREATE: inotify_add_watch.mask_create_existing_eexist.
// Left out: none of these flags.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_fs.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

namespace {

// Creates scratch file `name` holding nothing; 0 or -errno.
long make_file(const char* name) {
    long fd = openat(kc::scratch_fd(), name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) close(int(fd));
    return fd < 0 ? fd : 0;
}

}  // namespace

struct FollowRow {
    const char* label;
    u32 flag;
    bool reported;
};
constexpr FollowRow kFollow[] = {{"follow", 0, true}, {"IN_DONT_FOLLOW", IN_DONT_FOLLOW, false}};
// inotify_add_watch(2) IN_DONT_FOLLOW: "Don't dereference pathname if it is
// a symbolic link". A watch added through a symlink watches its target by
// default (writing the target is reported); with the flag it watches the
// link itself, which writing the target does not change. The watch
// descriptors tell the same: the target's own watch is the same watch as
// the followed link's (same inode), another one for the link.
TEST_P(inotify_add_watch, dont_follow_watches_link, POSITIVE, LINUX, kFollow,
       .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(make_file("target"));
    ASSERT_OK(symlinkat("target", kc::scratch_fd(), "link"));
    kc::Fd in(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    ASSERT_OK(in.get());
    long wd = inotify_add_watch(in, kc::scratch_path("link"), IN_MODIFY | row.flag);
    ASSERT_OK(wd);
    long fd = openat(kc::scratch_fd(), "target", O_WRONLY | O_CLOEXEC);
    ASSERT_OK(fd);
    EXPECT_RET(write(int(fd), "m", 1), 1);
    close(int(fd));
    alignas(8) char buf[256];
    long n = read(in, buf, sizeof buf);
    if (row.reported) {
        ASSERT_RET(n, long(sizeof(inotify_event)));  // the watched inode's own event: no name
        auto* e = reinterpret_cast<const inotify_event*>(buf);
        EXPECT_EQ(e->wd, wd);
        EXPECT_EQ(long(e->mask), long(IN_MODIFY));
    } else {
        EXPECT_ERR(n, EAGAIN);
    }
    long target_wd = inotify_add_watch(in, kc::scratch_path("target"), IN_MODIFY | IN_MASK_ADD);
    EXPECT_EQ(target_wd == wd, row.reported);
}

struct UnlinkRow {
    const char* label;
    u32 flag;
    bool reported;
};
constexpr UnlinkRow kUnlink[] = {{"default", 0, true}, {"IN_EXCL_UNLINK", IN_EXCL_UNLINK, false}};
// inotify(7) IN_EXCL_UNLINK: "By default, when watching events on the
// children of a directory, events are generated for children even after
// they have been unlinked from the directory ... IN_EXCL_UNLINK changes
// the default behavior, so that these unwanted events are not generated."
// A file of the watched directory is opened, unlinked, then written through
// the open descriptor: IN_MODIFY with its name by default, nothing with the
// flag.
TEST_P(inotify_add_watch, excl_unlink_drops_unlinked_child, POSITIVE, LINUX, kUnlink,
       .flags = kc::NEEDS_SCRATCH) {
    ASSERT_OK(make_file("gone"));
    kc::Fd in(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    ASSERT_OK(in.get());
    long wd = inotify_add_watch(in, kc::scratch_path("."), IN_MODIFY | row.flag);
    ASSERT_OK(wd);
    kc::Fd fd(openat(kc::scratch_fd(), "gone", O_WRONLY | O_CLOEXEC));
    ASSERT_OK(fd.get());
    ASSERT_OK(unlinkat(kc::scratch_fd(), "gone", 0));
    EXPECT_RET(write(fd, "m", 1), 1);
    alignas(8) char buf[256];
    long n = read(in, buf, sizeof buf);
    if (!row.reported) {
        EXPECT_ERR(n, EAGAIN);
        return;
    }
    ASSERT_GE(n, long(sizeof(inotify_event)));
    auto* e = reinterpret_cast<const inotify_event*>(buf);
    EXPECT_EQ(e->wd, wd);
    EXPECT_EQ(long(e->mask), long(IN_MODIFY));
    EXPECT_TRUE(e->len > 0 && rt::streq(reinterpret_cast<const char*>(e + 1), "gone"));
    EXPECT_EQ(n, long(sizeof(inotify_event) + e->len));
}
