// SPDX-License-Identifier: MIT
// inotify(7): the fields of struct inotify_event that inotify.cpp checks
// only for the events it is about: every record of a file's life (created,
// opened, written, closed, deleted) in a watched directory names the watch
// (wd), the file (len, name) and has cookie 0; only renames pair records
// by a cookie (inotify.cpp, rename_cookie_pair).
// Left out: IN_Q_OVERFLOW's wd -1 (needs fs.inotify.max_queued_events
// events), IN_UNMOUNT (needs a mount).
#include "harness/test.hpp"
#include "rt/sys_event.hpp"
#include "rt/sys_fs.hpp"

// inotify(7): "cookie is a unique integer that connects related events.
// Currently, this is used only for rename events": Linux gives every other
// event cookie 0. Each record of the file has the watch's wd, the event
// asked for in mask (one bit each, no IN_ISDIR), and len a multiple of the
// record size holding "f" and NUL padding.
TEST(inotify_add_watch, event_fields_outside_rename, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd in(sys::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    ASSERT_OK(in.get());
    constexpr u32 kMask = IN_CREATE | IN_OPEN | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE;
    long wd = sys::inotify_add_watch(in, kc::scratch_path("."), kMask);
    ASSERT_OK(wd);
    kc::Fd f(sys::openat(kc::scratch_fd(), "f", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    ASSERT_OK(f.get());
    EXPECT_RET(sys::write(f, "x", 1), 1);
    f.reset();
    ASSERT_OK(sys::unlinkat(kc::scratch_fd(), "f", 0));
    alignas(8) char buf[1024];
    long n = sys::read(in, buf, sizeof buf);
    ASSERT_GT(n, 0);
    constexpr u32 kOrder[] = {IN_CREATE, IN_OPEN, IN_MODIFY, IN_CLOSE_WRITE, IN_DELETE};
    int seen = 0;
    for (long off = 0; off + long(sizeof(inotify_event)) <= n && seen < 5; ++seen) {
        auto* e = reinterpret_cast<const inotify_event*>(buf + off);
        off += long(sizeof(inotify_event) + e->len);
        ASSERT_LE(off, n);
        EXPECT_EQ(e->wd, wd);
        EXPECT_EQ(e->mask, kOrder[seen]);
        EXPECT_EQ(e->cookie, 0);
        EXPECT_EQ(e->len % sizeof(inotify_event), 0);
        ASSERT_GE(e->len, 2);
        const char* name = reinterpret_cast<const char*>(e + 1);
        EXPECT_EQ(name[0], 'f');
        for (u32 i = 1; i < e->len; ++i) EXPECT_EQ(name[i], 0);
    }
    EXPECT_EQ(seen, 5);
}
