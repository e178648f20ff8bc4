// SPDX-License-Identifier: MIT
// getgid(2), geteuid(2), getegid(2): each in a group of its own (getuid.cpp
// checks the four calls together: stable, not -1, inherited, and what
// setresuid/setresgid set). Here, per call: it names the id of
// /proc/self/status; it follows a change of its own id (real gid, effective
// uid, effective gid) and not of the others, nor of the file-system id
// (setfsuid/setfsgid); the effective ids own the files the process creates;
// ids belong to the thread that changed them (the raw system calls change
// one thread's credentials: credentials(7), "the Linux system calls ...
// are per-thread"); and another user's process reports that user's ids.
// Ids are switched in children (kc::spawn), to kc::other_uid()/other_gid(),
// so the changing tests skip where the run cannot switch ids (as a plain
// user, or in a user namespace that maps one id).
// Left out: setuid/setgid semantics themselves (the cred area) and
// supplementary groups.
#include "harness/test.hpp"
#include "rt/fmt.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_fs.hpp"
#include "tests/thread/thread_util.hpp"

namespace {

constexpr u32 kKeep = 0xffffffffu;  // (uid_t)-1: leave unchanged

// Field `field` (1-based: real, effective, saved, fs) of line "Uid:" or
// "Gid:" of /proc/self/status; -1 without /proc.
long proc_id(bool gid, int field) {
    char buf[2048];
    long fd = sys::openat(AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0) return -1;
    long n = sys::read(int(fd), buf, sizeof buf - 1);
    sys::close(int(fd));
    if (n <= 0) return -1;
    buf[n] = 0;
    const char* key = gid ? "\nGid:" : "\nUid:";
    for (long i = 0; i + 5 < n; ++i) {
        if (__builtin_memcmp(buf + i, key, 5) != 0) continue;
        const char* p = buf + i + 5;
        for (int f = 1;; ++f) {
            while (*p == '\t' || *p == ' ') ++p;
            long v = 0;
            while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
            if (f == field) return v;
        }
    }
    return -1;
}

// Which id the row changes in a child, and what the call must report.
enum Change : u8 { REAL, EFFECTIVE, FS };
struct ChangeRow {
    const char* label;
    Change change;
    bool follows;  // the call reports the new id
};
struct Ctx {
    long nr;
    bool gid;
    Change change;
    u32 other;
    long before, want;
};
void change_and_check(void* p) {
    const Ctx& c = *static_cast<const Ctx*>(p);
    u32 r = c.change == REAL ? c.other : kKeep, e = c.change == EFFECTIVE ? c.other : kKeep;
    if (c.change == FS) {
        long old = c.gid ? sys::setfsgid(c.other) : sys::setfsuid(c.other);
        EXPECT_NE(old, long(c.other));
        // setfs*id returns the previous fs id: the new one took effect.
        EXPECT_EQ(c.gid ? sys::setfsgid(kKeep) : sys::setfsuid(kKeep), long(c.other));
    } else {
        ASSERT_RET(c.gid ? sys::setresgid(r, e, kKeep) : sys::setresuid(r, e, kKeep), 0);
    }
    EXPECT_EQ(sys::syscall0(c.nr), c.want);
}
void follows_change(long nr, bool gid, const ChangeRow& row) {
    Ctx c{nr, gid, row.change, gid ? kc::other_gid() : kc::other_uid(), sys::syscall0(nr), 0};
    c.want = row.follows ? long(c.other) : c.before;
    long pid = kc::spawn(change_and_check, &c);
    EXPECT_CHILD_OK(pid);
}

// A thread changes all three ids; the thread then reports the new id, the
// process's other thread the old one.
struct ThreadCtx {
    long nr;
    bool gid;
    u32 other;
    long set, seen;
};
void thread_change(void* p) {
    auto* c = static_cast<ThreadCtx*>(p);
    c->set = c->gid ? sys::setresgid(c->other, c->other, c->other)
                    : sys::setresuid(c->other, c->other, c->other);
    c->seen = sys::syscall0(c->nr);
}
void per_thread(long nr, bool gid) {
    ThreadCtx c{nr, gid, gid ? kc::other_gid() : kc::other_uid(), -1, -1};
    long pid = kc::spawn(
        [](void* p) {
            auto* c = static_cast<ThreadCtx*>(p);
            long before = sys::syscall0(c->nr);
            thread::Thread t;
            ASSERT_GT(thread::thread_start(t, thread_change, c), 0);
            thread::thread_join(t);
            EXPECT_RET(c->set, 0);
            EXPECT_EQ(c->seen, long(c->other));
            EXPECT_EQ(sys::syscall0(c->nr), before);
        },
        &c);
    EXPECT_CHILD_OK(pid);
}

// In a child that became kc::other_uid()/other_gid(): the call reports it.
void other_user(long nr, bool gid) {
    kc::require_other_user();
    Ctx c{nr, gid, REAL, gid ? kc::other_gid() : kc::other_uid(), 0, 0};
    long pid = kc::spawn(
        [](void* p) {
            const Ctx& c = *static_cast<const Ctx*>(p);
            ASSERT_TRUE(kc::become_other_user());
            EXPECT_EQ(sys::syscall0(c.nr), long(c.other));
        },
        &c);
    EXPECT_CHILD_OK(pid);
}

// A file created in a 0777 scratch directory, through a descriptor of it
// (the scratch directory itself is 0700), by a child whose effective uid and
// gid are the other user's, is owned by what geteuid/getegid report there.
void owns_new_files(long nr, bool gid) {
    u32 ou = kc::other_uid(), og = kc::other_gid();
    ASSERT_RET(sys::mkdirat(kc::scratch_fd(), "w", 0777), 0);
    ASSERT_RET(sys::fchmodat(kc::scratch_fd(), "w", 0777), 0);
    kc::Fd dir(sys::openat(kc::scratch_fd(), "w", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
    ASSERT_OK(dir.get());
    struct Own {
        long nr;
        bool gid;
        int dir;
        u32 uid, gid_id;
    } o{nr, gid, dir, ou, og};
    long pid = kc::spawn(
        [](void* p) {
            const Own& o = *static_cast<const Own*>(p);
            ASSERT_RET(sys::setresgid(kKeep, o.gid_id, kKeep), 0);
            ASSERT_RET(sys::setresuid(kKeep, o.uid, kKeep), 0);
            long fd = sys::openat(o.dir, "f", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            ASSERT_OK(fd);
            arch::Stat st{};
            ASSERT_RET(sys::fstat(int(fd), &st), 0);
            sys::close(int(fd));
            EXPECT_EQ(long(o.gid ? st.st_gid : st.st_uid), sys::syscall0(o.nr));
            EXPECT_EQ(sys::syscall0(o.nr), long(o.gid ? o.gid_id : o.uid));
        },
        &o);
    EXPECT_CHILD_OK(pid);
}

void matches_status(long nr, bool gid, int field) {
    long v = proc_id(gid, field);
    if (v < 0) kc::skip("needs /proc/self/status");
    EXPECT_EQ(sys::syscall0(nr), v);
}

constexpr ChangeRow kGetgid[] = {{"real_changed", REAL, true},
                                 {"effective_changed", EFFECTIVE, false},
                                 {"fsgid_changed", FS, false}};
constexpr ChangeRow kGeteuid[] = {{"effective_changed", EFFECTIVE, true},
                                  {"real_changed", REAL, false},
                                  {"fsuid_changed", FS, false}};
constexpr ChangeRow kGetegid[] = {{"effective_changed", EFFECTIVE, true},
                                  {"real_changed", REAL, false},
                                  {"fsgid_changed", FS, false}};

}  // namespace

// proc(5) /proc/PID/status "Gid: Real, effective, saved set, and file system
// GIDs": getgid(2) returns the first.
TEST(getgid, matches_proc_status, POSITIVE, LINUX) { matches_status(nr::getgid, true, 1); }

// getgid(2) returns the real gid: setresgid(2) of the real gid changes it;
// of the effective gid, or setfsgid(2), does not.
TEST_P(getgid, follows_real_gid, POSITIVE, LINUX, kGetgid, .flags = kc::NEEDS_FORK) {
    follows_change(nr::getgid, true, row);
}

// credentials(7): the raw setresgid(2) changes the calling thread only:
// that thread's getgid reports the new gid, the other thread's the old one.
TEST(getgid, per_thread, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) { per_thread(nr::getgid, true); }

// getgid(2): a process that became another user reports that user's gid.
TEST(getgid, other_user, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) { other_user(nr::getgid, true); }

// proc(5) /proc/PID/status "Uid: Real, effective, saved set, and file system
// UIDs": getuid(2) returns the first.
TEST(getuid, matches_proc_status, POSITIVE, LINUX) { matches_status(nr::getuid, false, 1); }

// credentials(7): the raw setresuid(2) changes the calling thread only.
TEST(getuid, per_thread, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    per_thread(nr::getuid, false);
}

// proc(5): geteuid(2) returns the second field of "Uid:" (effective).
TEST(geteuid, matches_proc_status, POSITIVE, LINUX) { matches_status(nr::geteuid, false, 2); }

// geteuid(2) returns the effective uid: setresuid(2) of the effective uid
// changes it; of the real uid, or setfsuid(2), does not.
TEST_P(geteuid, follows_effective_uid, POSITIVE, LINUX, kGeteuid, .flags = kc::NEEDS_FORK) {
    follows_change(nr::geteuid, false, row);
}

// credentials(7): the raw setresuid(2) changes the calling thread only.
TEST(geteuid, per_thread, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    per_thread(nr::geteuid, false);
}

// geteuid(2): a process that became another user reports that user's uid.
TEST(geteuid, other_user, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    other_user(nr::geteuid, false);
}

// credentials(7), open(2) O_CREAT: "The owner (user ID) of the new file is
// set to the effective user ID of the process" (the fs uid follows it):
// the uid geteuid reports.
TEST(geteuid, owns_new_files, POSITIVE, PSE54, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_new_files(nr::geteuid, false);
}

// proc(5): getegid(2) returns the second field of "Gid:" (effective).
TEST(getegid, matches_proc_status, POSITIVE, LINUX) { matches_status(nr::getegid, true, 2); }

// getegid(2) returns the effective gid: setresgid(2) of the effective gid
// changes it; of the real gid, or setfsgid(2), does not.
TEST_P(getegid, follows_effective_gid, POSITIVE, LINUX, kGetegid, .flags = kc::NEEDS_FORK) {
    follows_change(nr::getegid, true, row);
}

// credentials(7): the raw setresgid(2) changes the calling thread only.
TEST(getegid, per_thread, BOUNDARY, LINUX, .flags = kc::NEEDS_FORK) {
    per_thread(nr::getegid, true);
}

// getegid(2): a process that became another user reports that user's gid.
TEST(getegid, other_user, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    other_user(nr::getegid, true);
}

// open(2) O_CREAT: the group of a new file is the process's effective
// (fs) gid when the directory is not set-group-ID: the gid getegid reports.
TEST(getegid, owns_new_files, POSITIVE, PSE54, .flags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH) {
    owns_new_files(nr::getegid, true);
}
