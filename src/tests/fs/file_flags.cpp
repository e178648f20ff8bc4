// SPDX-License-Identifier: MIT
// Every flag observed (issue 12): for the calls on files and paths, each flag
// bit they accept and the test that sees what it changes, compared with the
// same call without it ("here": a test of this file). Tests that only see a
// flag accepted do not count.
//
// openat(2), open(2), creat(2)
//   O_RDONLY/O_WRONLY/O_RDWR  openat.access_mode_enforced_ebadf
//   O_CREAT             openat.creat_excl_creates, openat.bad_path_creat
//   O_EXCL              openat.creat_excl_existing_eexist; with O_TMPFILE
//                       openat.tmpfile_excl_not_linkable
//   O_TRUNC             openat.trunc_discards_data, trunc_with_rdonly_truncates
//   O_APPEND            openat.append_writes_at_end, append_pwrite_appends
//   O_NONBLOCK (FIFO)   openat.fifo_nonblock_reader_opens,
//                       fifo_nonblock_writer_no_reader_enxio, fifo_data_eagain_eof
//                       (without it: openat.fifo_blocking_opens_meet)
//   O_DIRECTORY         openat.directory_on_file_enotdir, directory_on_directory
//   O_NOFOLLOW          openat.nofollow_symlink_eloop, nofollow_follows_prefix
//   O_CLOEXEC           openat.cloexec_sets_fd_flag
//   O_PATH              openat.path_fd_no_io_ebadf, path_nofollow_opens_symlink
//   O_TMPFILE           openat.tmpfile_unnamed, tmpfile_linkable
//   O_DSYNC, O_SYNC     openat.sync_write_leaves_no_dirty_page (here)
//   O_NOATIME           openat.noatime_keeps_atime,
//                       openat.noatime_needs_ownership_eperm (here)
//   O_NOCTTY            openat.noctty_no_controlling_terminal (here)
//   O_LARGEFILE         openat.largefile_implied_on_64_bit (here)
// openat2(2) RESOLVE_*
//   NO_SYMLINKS, BENEATH, IN_ROOT  openat2.resolve_restrictions
//   NO_XDEV             openat2.resolve_no_xdev (here)
//   NO_MAGICLINKS       openat2.resolve_no_magiclinks (here)
//   CACHED              openat2.resolve_cached (here)
// newfstatat(2)  AT_SYMLINK_NOFOLLOW newfstatat.symlink_follow_and_nofollow;
//                AT_EMPTY_PATH newfstatat.empty_path_stats_dirfd
// statx(2)       AT_SYMLINK_NOFOLLOW statx.file_types; AT_EMPTY_PATH
//                statx.empty_path_stats_dirfd; each STATX_* bit of
//                STATX_BASIC_STATS statx.mask_bit_reported (here);
//                STATX_MNT_ID name_to_handle_at.stable_handle_and_mount_id;
//                STATX_MNT_ID_UNIQUE the statmount tests (mount/statmount.cpp)
// fchownat(2)    AT_SYMLINK_NOFOLLOW fchownat.symlink_follow_and_nofollow (with
//                CAP_CHOWN), fchownat.nofollow_changes_link_not_target (here,
//                any caller); AT_EMPTY_PATH fchownat.empty_path_changes_fd
// utimensat(2)   AT_SYMLINK_NOFOLLOW utimensat.symlink_nofollow; AT_EMPTY_PATH
//                utimensat.null_path_is_futimens
// fchmodat2(2)   AT_SYMLINK_NOFOLLOW fchmodat2.nofollow_on_symlink_eopnotsupp,
//                flags_on_non_symlinks; AT_EMPTY_PATH fchmodat2.flags_on_non_symlinks
// linkat(2)      AT_SYMLINK_FOLLOW linkat.symlink_follow_flag; AT_EMPTY_PATH
//                linkat.empty_path_own_open_file
// unlinkat(2)    AT_REMOVEDIR unlinkat.removedir_empty (without it:
//                unlinkat.directory_without_flag_eisdir)
// faccessat2(2)  AT_EACCESS faccessat2.eaccess_uses_effective_uid (another
//                user), faccessat2.eaccess_uses_effective_capabilities (here,
//                uid 0); AT_SYMLINK_NOFOLLOW faccessat2.symlink_nofollow;
//                AT_EMPTY_PATH faccessat2.empty_path_checks_fd
// name_to_handle_at(2)  AT_SYMLINK_FOLLOW name_to_handle_at.symlink_follow;
//                AT_EMPTY_PATH name_to_handle_at.empty_path_is_dirfd;
//                AT_HANDLE_FID name_to_handle_at.handle_fid_without_export_ops,
//                AT_HANDLE_MNT_ID_UNIQUE name_to_handle_at.mnt_id_unique,
//                AT_HANDLE_CONNECTABLE name_to_handle_at.connectable_handle (here)
// renameat2(2)   RENAME_NOREPLACE renameat2.noreplace; RENAME_EXCHANGE
//                renameat2.exchange_swaps; RENAME_WHITEOUT
//                renameat2.whiteout_leaves_whiteout (here)
// fallocate(2)   mode 0 fallocate.allocates_and_extends; KEEP_SIZE
//                fallocate.keep_size, fallocate.zero_range_past_eof (here);
//                PUNCH_HOLE fallocate.punch_hole_zeroes_range; ZERO_RANGE
//                fallocate.zero_range; COLLAPSE_RANGE
//                fallocate.collapse_range_removes_blocks (here); INSERT_RANGE
//                fallocate.insert_range_shifts_blocks (here)
// copy_file_range(2)  defines no flag: copy_file_range.nonzero_flags_einval
// lseek(2)       SEEK_SET/CUR/END lseek.whence_arithmetic; SEEK_DATA/SEEK_HOLE
//                lseek.seek_data_hole_written_file, seek_data_hole_sparse_file
// fcntl(2) F_SETFL  O_APPEND fcntl.setfl_append_toggles; O_NONBLOCK
//                fcntl.setfl_nonblock_toggles; O_ASYNC fcntl.o_async_signals_input;
//                O_NOATIME fcntl.setfl_noatime_keeps_atime,
//                fcntl.setfl_noatime_needs_ownership_eperm (here); O_DSYNC and
//                O_SYNC, which it cannot change: fcntl.setfl_cannot_change_sync_flags
//                (here)
// flock(2)       LOCK_SH flock.shared_locks_coexist; LOCK_EX, LOCK_NB
//                flock.exclusive_conflicts_between_processes; LOCK_UN
//                flock.per_open_file_description; without LOCK_NB
//                flock.blocking_waits_for_release (here)
// fcntl(2) locks F_RDLCK fcntl.read_locks_shared; F_WRLCK
//                fcntl.setlk_conflict_between_processes; F_UNLCK
//                fcntl.unlock_splits_range; F_SETLKW fcntl.setlkw_waits_for_release
// umask(2)       on openat openat.creat_mode_masked_by_umask, creat
//                creat.new_file_mode_masked_by_umask, mkdirat
//                umask.applies_to_mkdirat, mknodat umask.applies_to_mknodat, not
//                on symlinks umask.not_applied_to_symlinks; on openat2, O_TMPFILE
//                and a bound AF_UNIX socket umask.applies_to_linux_creations (here)
//
// Left out, and why:
// - O_DIRECT: whether and with what alignment a file system does direct I/O
//   is its own (tmpfs takes any alignment, ext4 refuses an unaligned one).
// - O_ASYNC at open: Linux ignores it there (open(2) BUGS); fcntl_async.cpp
//   covers it through F_SETFL.
// - AT_NO_AUTOMOUNT (fstatat, statx, name_to_handle_at): needs an automount
//   point, which a machine may not have; Linux's stat never triggers one of
//   the last component anyway.
// - AT_STATX_FORCE_SYNC/AT_STATX_DONT_SYNC: they differ from the default only
//   on network file systems (statx.bad_arguments_einval checks they exclude
//   each other).
// - STATX_BTIME, STATX_DIOALIGN and the newer statx bits: reported or not per
//   file system.
// - FALLOC_FL_UNSHARE_RANGE (only shared extents, reflinks, show it),
//   FALLOC_FL_NO_HIDE_STALE (reserved), FALLOC_FL_WRITE_ZEROES (Linux 6.17:
//   needs a device with unmapping write-zeroes; ext4 on virtio and tmpfs here
//   say EOPNOTSUPP, so no test of it could be checked).
// - The AT_* flags of execveat (proc), open_tree/move_mount/mount_setattr
//   (mount), the xattr *at calls (xattr) and file_getattr/file_setattr
//   (file_attr.cpp, whose AT_SYMLINK_NOFOLLOW is per file system) belong to
//   other families.
#include "rt/sys_admin.hpp"
#include "rt/sys_cachestat.hpp"
#include "rt/sys_cred.hpp"
#include "rt/sys_mount.hpp"
#include "rt/sys_net.hpp"
#include "rt/sys_proc.hpp"
#include "rt/sys_resource.hpp"
#include "tests/common/common_util.hpp"
#include "tests/common/pty_util.hpp"
#include "tests/fs/fs_util.hpp"

namespace {

// ---------------------------------------------------------------------------
// Synchronous writes, seen in the page cache (cachestat).

constexpr usize kSyncLen = 8192;

void write_pages(int fd) {
    static char buf[kSyncLen];
    fs::fill(buf, kSyncLen - 1, 'w');
    ASSERT_RET(sys::pwrite64(fd, buf, kSyncLen, 0), long(kSyncLen));
}

// The dirty pages of fd's file (and those under writeback, in *writeback).
u64 dirty_pages(int fd, u64* writeback = nullptr) {
    cachestat_range all{0, 0};
    struct cachestat cs {};
    long r = sys::cachestat(fd, &all, &cs, 0);
    if (r == -ENOSYS)
        kc::skip_unimplemented("cachestat",
                               "cachestat: not implemented (ENOSYS; Linux 6.5+), needed to see "
                               "which pages a write left dirty");
    ASSERT_RET(r, 0);
    if (writeback) *writeback = cs.nr_writeback;
    return cs.nr_dirty;
}

// "f", open O_RDWR: a plain write to it left dirty pages, which fsync then
// cleaned. Skips where the scratch file system shows no dirty page after a
// plain write: a synchronous write cannot be told from a plain one there.
int plain_write_dirties_or_skip() {
    int fd = fs::create("f");
    kc::Fd guard(fd);
    common::skip_on_overlayfs(fd, "cachestat needs the file's own page cache");
    bool dirtied = false;
    // Background writeback may clean the pages at any moment: try again.
    for (int i = 0; i < 3 && !dirtied; ++i) {
        write_pages(fd);
        dirtied = dirty_pages(fd) > 0;
    }
    if (!dirtied)
        kc::skip(
            "the scratch file system shows no dirty page after a plain write (tmpfs keeps none "
            "that cachestat counts): a synchronous write looks the same");
    ASSERT_OK(sys::fsync(fd));
    if (dirty_pages(fd) != 0) kc::skip("the scratch file system keeps pages dirty after fsync");
    return guard.release();
}

// ---------------------------------------------------------------------------
// Access times.

// Sets atime 1000 and mtime 2000 on fd's file (an atime older than the
// mtime, which even a relatime mount updates on the next read), reads a byte
// through fd, and returns the atime then.
i64 atime_after_read(int fd) {
    timespec t[2] = {{1000, 0}, {2000, 0}};
    ASSERT_OK(sys::utimensat(fd, nullptr, t, 0));
    char c;
    ASSERT_RET(sys::pread64(fd, &c, 1, 0), 1);
    return fs::fst(fd).st_atime_sec;
}

// "f" with data; skips unless a plain read of it updates its atime.
void reads_update_atime_or_skip() {
    fs::touch("f", "atime");
    kc::Fd fd(fs::open("f", O_RDONLY));
    if (atime_after_read(fd) == 1000)
        kc::skip(
            "the scratch mount does not update access times (noatime): "
            "O_NOATIME changes nothing there");
}

// "f" (mode 0644) given to kc::other_uid(): this process's uid no longer
// owns it. Needs CAP_CHOWN and another mapped uid.
void give_f_away() {
    kc::require_ns_cap(CAP_CHOWN);
    u32 other = kc::other_uid();
    fs::touch("f", "x", 0644);
    ASSERT_OK(sys::fchownat(fs::D(), "f", other, ~0u, 0));
}

// In a child without capabilities (the same uid, so it may still search the
// scratch directory and read "f", but does not own "f"): O_NOATIME by open
// (*arg false) or by F_SETFL (true) is refused with EPERM.
void noatime_as_non_owner(void* arg) {
    bool setfl = *static_cast<bool*>(arg);
    ASSERT_TRUE(kc::drop_capabilities());
    if (!setfl) {
        long r = sys::openat(fs::D(), "f", O_RDONLY | O_NOATIME | O_CLOEXEC);
        if (r >= 0) sys::close(int(r));
        EXPECT_ERR(r, EPERM);
    }
    kc::Fd fd(sys::openat(fs::D(), "f", O_RDONLY | O_CLOEXEC));
    ASSERT_OK(fd.get());
    if (setfl) {
        EXPECT_ERR(sys::fcntl(fd, F_SETFL, O_NOATIME), EPERM);
        EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_NOATIME, 0);
    }
}

// With CAP_FOWNER (over the file's owner, which is mapped) O_NOATIME is
// allowed on another's file: open it so, or set it by F_SETFL.
void noatime_as_privileged(bool setfl) {
    if (!kc::ns_cap_usable(CAP_FOWNER)) return;
    kc::Fd fd(fs::open("f", O_RDONLY | (setfl ? 0 : O_NOATIME)));
    if (setfl) EXPECT_RET(sys::fcntl(fd, F_SETFL, O_NOATIME), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_NOATIME, O_NOATIME);
}

}  // namespace

// open(2) O_DSYNC, O_SYNC: "write operations on the file will complete
// according to the requirements of synchronized I/O data integrity
// completion": when write returns, the data is on the device, so none of the
// pages it wrote is dirty or under writeback (cachestat), where a plain write
// left them dirty. F_GETFL reports the flag (O_SYNC includes O_DSYNC's bit).
struct SyncRow {
    const char* label;
    int flags;
};
constexpr SyncRow kSyncFlags[] = {{"o_dsync", O_DSYNC}, {"o_sync", O_SYNC}};
TEST_P(openat, sync_write_leaves_no_dirty_page, POSITIVE, LINUX, kSyncFlags,
       .flags = kc::NEEDS_SCRATCH) {
    kc::Fd plain(plain_write_dirties_or_skip());
    kc::Fd fd(fs::open("f", O_RDWR | row.flags));
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_SYNC, row.flags);
    write_pages(fd);
    u64 writeback = ~0ull;
    EXPECT_EQ(dirty_pages(fd, &writeback), 0u);
    EXPECT_EQ(writeback, 0u);
}

// fcntl(2) F_SETFL: "On Linux, this command can change only the O_APPEND,
// O_ASYNC, O_DIRECT, O_NOATIME, and O_NONBLOCK flags": O_SYNC (and O_DSYNC)
// is neither set on a plain descriptor nor cleared from a synchronous one.
TEST(fcntl, setfl_cannot_change_sync_flags, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    kc::Fd plain(fs::open("f", O_RDWR)), sync(fs::open("f", O_RDWR | O_SYNC));
    EXPECT_RET(sys::fcntl(plain, F_SETFL, O_SYNC), 0);
    EXPECT_EQ(sys::fcntl(plain, F_GETFL) & O_SYNC, 0);
    EXPECT_RET(sys::fcntl(sync, F_SETFL, 0), 0);
    EXPECT_EQ(sys::fcntl(sync, F_GETFL) & O_SYNC, O_SYNC);
}

// open(2) O_NOATIME: "Do not update the file last access time (st_atime in
// the inode) when the file is read(2)": a read through a plain descriptor
// moves the atime (skipped on a mount that never does), one through an
// O_NOATIME descriptor leaves it.
TEST(openat, noatime_keeps_atime, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    reads_update_atime_or_skip();
    kc::Fd fd(fs::open("f", O_RDONLY | O_NOATIME));
    EXPECT_EQ(atime_after_read(fd), 1000);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_NOATIME, O_NOATIME);
}

// fcntl(2) F_SETFL O_NOATIME: set on a descriptor, reads through it leave the
// atime; cleared again, they move it.
TEST(fcntl, setfl_noatime_keeps_atime, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    reads_update_atime_or_skip();
    kc::Fd fd(fs::open("f", O_RDONLY));
    EXPECT_RET(sys::fcntl(fd, F_SETFL, O_NOATIME), 0);
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_NOATIME, O_NOATIME);
    EXPECT_EQ(atime_after_read(fd), 1000);
    EXPECT_RET(sys::fcntl(fd, F_SETFL, 0), 0);
    EXPECT_NE(atime_after_read(fd), 1000);
}

// open(2) EPERM: "The O_NOATIME flag was specified, but the effective user ID
// of the caller did not match the owner of the file and the caller was not
// privileged" (CAP_FOWNER): refused in a child without capabilities on a
// file given to another user, allowed with CAP_FOWNER.
TEST(openat, noatime_needs_ownership_eperm, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    give_f_away();
    bool setfl = false;
    EXPECT_CHILD_OK(kc::spawn(noatime_as_non_owner, &setfl));
    noatime_as_privileged(setfl);
}

// fcntl(2) EPERM: F_SETFL O_NOATIME obeys the same rule as open's.
TEST(fcntl, setfl_noatime_needs_ownership_eperm, NEGATIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    give_f_away();
    bool setfl = true;
    EXPECT_CHILD_OK(kc::spawn(noatime_as_non_owner, &setfl));
    noatime_as_privileged(setfl);
}

namespace {
// A session leader without a controlling terminal opens a terminal with
// O_NOCTTY, then another without it.
void open_terminals_in_new_session(void*) {
    // Closing a master hangs its terminal up: SIGHUP to this leader.
    arch::KSigaction ign = arch::make_sigaction(SIG_IGN, 0, 0);
    ASSERT_OK(sys::rt_sigaction(SIGHUP, &ign, nullptr));
    ASSERT_EQ(sys::setsid(), sys::getpid());
    int m = -1, s = -1;
    ASSERT_TRUE(common::open_pty(m, s, O_NOCTTY));
    int sid = 0;
    EXPECT_ERR(sys::ioctl(s, TIOCGSID, long(&sid)), ENOTTY);  // not this session's terminal
    long tty = sys::openat(AT_FDCWD, "/dev/tty", O_RDWR | O_CLOEXEC);
    if (tty >= 0) sys::close(int(tty));
    EXPECT_ERR(tty, ENXIO);  // no controlling terminal
    int m2 = -1, s2 = -1;
    ASSERT_TRUE(common::open_pty(m2, s2, 0));
    EXPECT_RET(sys::ioctl(s2, TIOCGSID, long(&sid)), 0);
    EXPECT_EQ(sid, sys::getpid());
    sys::close(s2);
    sys::close(m2);
    sys::close(s);
    sys::close(m);
}
}  // namespace

// open(2) O_NOCTTY: "If pathname refers to a terminal device ... it will not
// become the process's controlling terminal even if the process does not
// have one": a new session leader opening a pseudo-terminal's slave with
// O_NOCTTY has no controlling terminal after it (/dev/tty ENXIO, TIOCGSID
// ENOTTY), and opening another slave without it makes that one its terminal.
// LINUX: pseudo-terminals (posix_openpt) are XSI, outside the 1003.13 profiles.
TEST(openat, noctty_no_controlling_terminal, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    common::require_pty();
    EXPECT_CHILD_OK(kc::spawn(open_terminals_in_new_session, nullptr));
}

// open(2) O_LARGEFILE: "Allow files whose sizes cannot be represented in an
// off_t (but can be represented in an off64_t) to be opened". On 64-bit ABIs
// Linux sets it on every open (force_o_largefile): F_GETFL shows it though
// it was not asked for, and a 5 GiB file opened without it is read past
// 4 GiB (a 32-bit ABI would say EOVERFLOW).
TEST(openat, largefile_implied_on_64_bit, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    constexpr long k5G = 5l << 30;
    rlimit64 fsize{};
    ASSERT_OK(sys::prlimit64(0, RLIMIT_FSIZE, nullptr, &fsize));
    if (fsize.rlim_cur <= u64(k5G)) kc::skip("needs RLIMIT_FSIZE above 5 GiB");
    {
        kc::Fd w(fs::create("f"));
        long r = sys::pwrite64(w, "L", 1, k5G);
        if (r == -EFBIG) kc::skip("the file system's maximum file size is below 5 GiB");
        ASSERT_RET(r, 1);
    }
    kc::Fd fd(sys::openat(fs::D(), "f", O_RDONLY | O_CLOEXEC));
    ASSERT_OK(fd.get());
    EXPECT_EQ(sys::fcntl(fd, F_GETFL) & O_LARGEFILE, O_LARGEFILE);
    EXPECT_RET(sys::lseek(fd, 0, SEEK_END), k5G + 1);
    char c = 0;
    EXPECT_RET(sys::pread64(fd, &c, 1, k5G), 1);
    EXPECT_EQ(c, 'L');
}

namespace {
// openat2(dirfd, path) with these flags and resolve bits: the inode number of
// what it opened (then closed), or -errno.
long opened_ino(int dirfd, const char* path, u64 flags, u64 resolve) {
    open_how how{flags | O_CLOEXEC, 0, resolve};
    long fd = sys::openat2(dirfd, path, &how, sizeof how);
    if (fd == -ENOSYS)
        kc::skip_unimplemented("openat2", "openat2: not implemented (ENOSYS; Linux 5.6+)");
    if (fd < 0) return fd;
    arch::Stat s{};
    long r = sys::fstat(int(fd), &s);
    sys::close(int(fd));
    return r < 0 ? r : long(s.st_ino);
}
}  // namespace

// openat2(2) RESOLVE_NO_XDEV: "Disallow traversal of mount points during path
// resolution": from "/" into /proc (a mount of its own) and out of it by
// ".." fail with EXDEV, and work without the flag; a path within one mount
// resolves with it.
TEST(openat2, resolve_no_xdev, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    arch::Stat root{}, proc{};
    if (sys::newfstatat(AT_FDCWD, "/", &root, 0) != 0 ||
        sys::newfstatat(AT_FDCWD, "/proc", &proc, 0) != 0 || root.st_dev == proc.st_dev)
        kc::skip("needs /proc mounted: a mount point below / to cross");
    kc::Fd rootfd(sys::openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    kc::Fd procfd(sys::openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_OK(rootfd.get());
    ASSERT_OK(procfd.get());
    EXPECT_ERR(opened_ino(rootfd, "proc", O_PATH, RESOLVE_NO_XDEV), EXDEV);
    EXPECT_ERR(opened_ino(procfd, "..", O_PATH, RESOLVE_NO_XDEV), EXDEV);
    EXPECT_EQ(opened_ino(rootfd, "proc", O_PATH, 0), long(proc.st_ino));
    EXPECT_EQ(opened_ino(procfd, "..", O_PATH, 0), long(root.st_ino));
    fs::mkdir("d");
    fs::touch("d/f");
    EXPECT_EQ(opened_ino(fs::D(), "d/../d/f", O_RDONLY, RESOLVE_NO_XDEV),
              long(fs::st("d/f").st_ino));
}

// openat2(2) RESOLVE_NO_MAGICLINKS: "Disallow all magic-link resolution":
// /proc/self/fd/N as the last component or inside the path is ELOOP, and
// opens the file without the flag; a plain symlink is still followed; "If
// the trailing component ... is a magic link ... and how.flags contains both
// O_PATH and O_NOFOLLOW, then an O_PATH file descriptor referencing the
// magic link will be returned".
TEST(openat2, resolve_no_magiclinks, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    arch::Stat s{};
    if (sys::newfstatat(AT_FDCWD, "/proc/self/fd", &s, 0) != 0)
        kc::skip("needs /proc: its /proc/self/fd entries are the magic links");
    fs::touch("f", "magic");
    fs::symlink("f", "link");
    long ino = long(fs::st("f").st_ino);
    kc::Fd fd(fs::open("f", O_RDONLY));
    char last[48], inside[48];
    rt::Fmt(last, sizeof last).s("/proc/self/fd/").d(fd).cstr();
    rt::Fmt(inside, sizeof inside).s("/proc/self/fd/").d(fs::D()).s("/f").cstr();
    EXPECT_ERR(opened_ino(AT_FDCWD, last, O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP);
    EXPECT_ERR(opened_ino(AT_FDCWD, inside, O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP);
    EXPECT_EQ(opened_ino(AT_FDCWD, last, O_RDONLY, 0), ino);
    EXPECT_EQ(opened_ino(AT_FDCWD, inside, O_RDONLY, 0), ino);
    EXPECT_EQ(opened_ino(fs::D(), "link", O_RDONLY, RESOLVE_NO_MAGICLINKS), ino);
    open_how how{u64(O_PATH | O_NOFOLLOW | O_CLOEXEC), 0, RESOLVE_NO_MAGICLINKS};
    kc::Fd link(sys::openat2(AT_FDCWD, last, &how, sizeof how));
    ASSERT_OK(link.get());
    EXPECT_EQ(fs::fst(link).st_mode & S_IFMT, S_IFLNK);
}

// openat2(2) RESOLVE_CACHED: "Make the open operation fail unless all path
// components are already present in the kernel's lookup cache ... fails with
// the error EAGAIN". Linux also refuses at once, with EAGAIN, an open that
// would create or truncate (O_CREAT, O_TRUNC, O_TMPFILE; the man page does
// not say so): nothing is created or truncated, while the same opens without
// the flag work. A path just looked up opens with it.
TEST(openat2, resolve_cached, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f", "data");
    long r = opened_ino(fs::D(), "new", O_RDWR | O_CREAT, RESOLVE_CACHED);
    if (r == -EINVAL && kc::linux_before(5, 12)) kc::skip("RESOLVE_CACHED came in Linux 5.12");
    EXPECT_ERR(r, EAGAIN);
    EXPECT_EQ(fs::exists("new"), false);
    EXPECT_ERR(opened_ino(fs::D(), "f", O_RDWR | O_TRUNC, RESOLVE_CACHED), EAGAIN);
    EXPECT_EQ(fs::st("f").st_size, 4);
    EXPECT_ERR(opened_ino(fs::D(), ".", O_TMPFILE | O_RDWR, RESOLVE_CACHED), EAGAIN);
    EXPECT_GT(opened_ino(fs::D(), "new", O_RDWR | O_CREAT, 0), 0);
    EXPECT_TRUE(fs::exists("new"));
    EXPECT_GT(opened_ino(fs::D(), "f", O_RDWR | O_TRUNC, 0), 0);
    EXPECT_EQ(fs::st("f").st_size, 0);
    // A lookup that meets a rename or a mount change on its way must drop
    // out of the cache walk (EAGAIN): asked again, it succeeds.
    long ino = long(fs::st("f").st_ino);
    for (int i = 0; i < 3 && (r = opened_ino(fs::D(), "f", O_RDONLY, RESOLVE_CACHED)) == -EAGAIN;
         ++i) {
    }
    if (r == -EAGAIN)
        kc::skip("the scratch file system revalidates every lookup (RESOLVE_CACHED: EAGAIN)");
    EXPECT_EQ(r, ino);
}

// renameat2(2) RENAME_WHITEOUT: "create a whiteout object at the source of
// the rename at the same time as performing the rename": the old name is
// then a character device 0:0 with mode 0, and the new name holds the file;
// the same rename without the flag leaves no old name. Linux needs no
// privilege for it since 5.8 (the man page still asks for CAP_MKNOD).
// Skipped where the file system has no whiteouts (EINVAL: overlayfs, FAT).
TEST(renameat2, whiteout_leaves_whiteout, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("a", "A");
    long r = sys::renameat2(fs::D(), "a", fs::D(), "b", RENAME_WHITEOUT);
    if (r == -EINVAL)
        kc::skip("the scratch file system has no whiteouts (RENAME_WHITEOUT: EINVAL)");
    if (r == -EPERM && kc::linux_before(5, 8))
        kc::skip("RENAME_WHITEOUT needs CAP_MKNOD before Linux 5.8");
    ASSERT_RET(r, 0);
    arch::Stat w = fs::st("a");
    EXPECT_EQ(w.st_mode, S_IFCHR);
    EXPECT_EQ(w.st_rdev, 0u);
    char buf[4];
    EXPECT_RET(fs::slurp("b", buf, sizeof buf), 1);
    EXPECT_RET(sys::renameat2(fs::D(), "b", fs::D(), "c", 0), 0);
    EXPECT_EQ(fs::exists("b"), false);
}

namespace {
// Units of collapse and insert: a multiple of every common block size.
constexpr long kUnit = 64 * 1024;

// "f" with one kUnit of each letter of `letters`, open O_RDWR.
int units_file(const char* letters) {
    int fd = fs::create("f");
    static char buf[kUnit];
    for (long i = 0; letters[i]; ++i) {
        for (long k = 0; k < kUnit; ++k) buf[k] = letters[i];
        ASSERT_RET(sys::pwrite64(fd, buf, kUnit, i * kUnit), kUnit);
    }
    return fd;
}
// The letter at the start and at the end of each unit of fd's file, which
// must hold that many units and no more: "abc" for units a, b, c; '0' for
// a unit of zeros.
bool units_are(int fd, const char* want) {
    long n = long(rt::strlen(want));
    if (fs::fsize(fd) != n * kUnit) return false;
    for (long i = 0; i < n; ++i) {
        char c[2] = {1, 1};
        if (sys::pread64(fd, c, 1, i * kUnit) != 1) return false;
        if (sys::pread64(fd, c + 1, 1, i * kUnit + kUnit - 1) != 1) return false;
        char w = want[i] == '0' ? 0 : want[i];
        if (c[0] != w || c[1] != w) return false;
    }
    return true;
}
long fallocate_or_skip(int fd, int mode, long off, long len, const char* what) {
    long r = sys::fallocate(fd, mode, off, len);
    if (r == -EOPNOTSUPP) kc::skip(what);
    return r;
}
}  // namespace

// fallocate(2) FALLOC_FL_ZERO_RANGE past the end of the file: the range reads
// as zeros and the size grows to its end; with FALLOC_FL_KEEP_SIZE "the file
// size will not be changed even if offset+len is greater than the file size".
struct ZeroRow {
    const char* label;
    int mode;
    long size;
};
constexpr ZeroRow kZeroPastEof[] = {
    {"zero_range", FALLOC_FL_ZERO_RANGE, 8192},
    {"zero_range_keep_size", FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 100},
};
TEST_P(fallocate, zero_range_past_eof, POSITIVE, LINUX, kZeroPastEof, .flags = kc::NEEDS_SCRATCH) {
    char data[101];
    kc::Fd fd(fs::create("f", fs::fill(data, 100, 'x')));
    ASSERT_RET(fallocate_or_skip(fd, row.mode, 50, 8192 - 50,
                                 "the scratch file system lacks FALLOC_FL_ZERO_RANGE"),
               0);
    EXPECT_EQ(fs::fsize(fd), row.size);
    char buf[100];
    ASSERT_RET(sys::pread64(fd, buf, 100, 0), 100);
    EXPECT_EQ(buf[49], 'x');
    int nonzero = 0;
    for (int i = 50; i < 100; ++i) nonzero += buf[i] != 0;
    EXPECT_EQ(nonzero, 0);
}

// fallocate(2) FALLOC_FL_COLLAPSE_RANGE: "the specified range will be
// removed from the file, without leaving a hole ... the contents of the file
// starting at the location offset+len will be appended at the location
// offset, and the file will be len bytes smaller". Skipped where the file
// system lacks the mode (tmpfs).
TEST(fallocate, collapse_range_removes_blocks, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(units_file("abcd"));
    ASSERT_RET(fallocate_or_skip(fd, FALLOC_FL_COLLAPSE_RANGE, kUnit, kUnit,
                                 "the scratch file system lacks FALLOC_FL_COLLAPSE_RANGE (tmpfs)"),
               0);
    EXPECT_TRUE(units_are(fd, "acd"));
}

// fallocate(2) FALLOC_FL_INSERT_RANGE: "the file size will be increased by
// inserting a hole within the file size without overwriting any existing
// data. The hole will start at offset and have a length of len bytes".
// Skipped where the file system lacks the mode (tmpfs).
TEST(fallocate, insert_range_shifts_blocks, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(units_file("abc"));
    ASSERT_RET(fallocate_or_skip(fd, FALLOC_FL_INSERT_RANGE, kUnit, kUnit,
                                 "the scratch file system lacks FALLOC_FL_INSERT_RANGE (tmpfs)"),
               0);
    EXPECT_TRUE(units_are(fd, "a0bc"));
}

namespace {
struct FlockWait {
    int ready_wr;     // the child writes a byte here before it blocks
    int released_rd;  // non-blocking; the parent writes a byte before unlocking
};
void wait_for_flock(void* arg) {
    auto* w = static_cast<FlockWait*>(arg);
    kc::Fd f(fs::open("f", O_RDWR));
    EXPECT_ERR(sys::flock(f, LOCK_EX | LOCK_NB), EWOULDBLOCK);  // at once with LOCK_NB
    ASSERT_RET(sys::write(w->ready_wr, "r", 1), 1);
    EXPECT_RET(sys::flock(f, LOCK_EX), 0);
    // The lock came only after the parent released it, which it announced
    // first: a call that did not wait finds nothing here.
    char c;
    EXPECT_RET(sys::read(w->released_rd, &c, 1), 1);
}
// Waits (about a second at most) until process pid sleeps, in the call that
// should block it; without /proc, 20 ms. A child that has not blocked yet
// only makes the test weaker, never fail.
void wait_until_asleep(long pid) {
    for (int i = 0; i < 1000; ++i) {
        char st = common::proc_state(pid);
        if (st == 0) {
            common::sleep_ms(20);
            return;
        }
        if (st == 'S' || st == 'D' || st == 'Z') return;
        common::sleep_ms(1);
    }
}
}  // namespace

// flock(2): without LOCK_NB, "an incompatible lock is held by another
// process" makes the call block until the lock is released; with it the same
// request fails at once with EWOULDBLOCK. The child, refused with LOCK_NB,
// then waits in flock(LOCK_EX) and gets the lock only after the parent
// unlocks.
TEST(flock, blocking_waits_for_release, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    kc::Fd fd(fs::create("f", "lock"));
    ASSERT_OK(sys::flock(fd, LOCK_EX));
    kc::Pipe ready(O_CLOEXEC), released(O_CLOEXEC | O_NONBLOCK);
    ASSERT_OK(ready.r);
    ASSERT_OK(released.r);
    FlockWait w{ready.wr, released.rd};
    long pid = kc::spawn(wait_for_flock, &w);
    ASSERT_GT(pid, 0);
    ready.wr.reset();  // a child that dies early ends the read below
    char c;
    EXPECT_RET(sys::read(ready.rd, &c, 1), 1);
    wait_until_asleep(pid);
    ASSERT_RET(sys::write(released.wr, "u", 1), 1);
    ASSERT_OK(sys::flock(fd, LOCK_UN));
    EXPECT_CHILD_OK(pid);
}

namespace {
// The field of mask bit `bit` in x, and what fstat (s) says of it.
struct Field {
    u64 got, want;
};
u64 ns(i64 sec, i64 nsec) { return u64(sec * 1000000000 + nsec); }
Field field_of(u32 bit, const struct statx& x, const arch::Stat& s) {
    const statx_timestamp &a = x.stx_atime, &m = x.stx_mtime, &c = x.stx_ctime;
    if (bit == STATX_TYPE) return {u64(x.stx_mode & S_IFMT), u64(s.st_mode & S_IFMT)};
    if (bit == STATX_MODE) return {u64(x.stx_mode & 07777), u64(s.st_mode & 07777)};
    if (bit == STATX_NLINK) return {u64(x.stx_nlink), u64(s.st_nlink)};
    if (bit == STATX_UID) return {u64(x.stx_uid), u64(s.st_uid)};
    if (bit == STATX_GID) return {u64(x.stx_gid), u64(s.st_gid)};
    if (bit == STATX_ATIME) return {ns(a.tv_sec, a.tv_nsec), ns(s.st_atime_sec, s.st_atime_nsec)};
    if (bit == STATX_MTIME) return {ns(m.tv_sec, m.tv_nsec), ns(s.st_mtime_sec, s.st_mtime_nsec)};
    if (bit == STATX_CTIME) return {ns(c.tv_sec, c.tv_nsec), ns(s.st_ctime_sec, s.st_ctime_nsec)};
    if (bit == STATX_INO) return {x.stx_ino, u64(s.st_ino)};
    if (bit == STATX_SIZE) return {x.stx_size, u64(s.st_size)};
    if (bit == STATX_BLOCKS) return {x.stx_blocks, u64(s.st_blocks)};
    return {1, 0};  // a bit without a field here
}
}  // namespace

// statx(2) mask: "the mask argument ... tell[s] the kernel which fields the
// caller is interested in" and stx_mask "indicate[s] which fields have been
// filled in": each bit of STATX_BASIC_STATS asked alone comes back in
// stx_mask, with the value fstat reports. (Linux may fill more than asked;
// on file systems with multigrain timestamps, Linux 6.13+, it leaves
// STATX_MTIME and STATX_CTIME out when neither was asked.)
struct MaskRow {
    const char* label;
    u32 bit;
};
constexpr MaskRow kMaskBits[] = {
    {"stx_type", STATX_TYPE},   {"stx_mode", STATX_MODE},     {"stx_nlink", STATX_NLINK},
    {"stx_uid", STATX_UID},     {"stx_gid", STATX_GID},       {"stx_atime", STATX_ATIME},
    {"stx_mtime", STATX_MTIME}, {"stx_ctime", STATX_CTIME},   {"stx_ino", STATX_INO},
    {"stx_size", STATX_SIZE},   {"stx_blocks", STATX_BLOCKS},
};
TEST_P(statx, mask_bit_reported, POSITIVE, LINUX, kMaskBits, .flags = kc::NEEDS_SCRATCH) {
    kc::Fd fd(fs::create("f", "0123456789", 0751));
    timespec t[2] = {{1111, 222}, {3333, 444}};
    ASSERT_OK(sys::utimensat(fd, nullptr, t, 0));
    arch::Stat s = fs::fst(fd);
    struct statx x;
    common::fill_bytes(&x, 0xee, sizeof x);
    ASSERT_OK(sys::statx(fs::D(), "f", 0, row.bit, &x));
    EXPECT_EQ(x.stx_mask & row.bit, row.bit);
    Field f = field_of(row.bit, x, s);
    EXPECT_EQ(f.got, f.want);
}

namespace {
// In a child: clears the effective capabilities, keeping the permitted
// ones, then asks about fd's file (mode 0000) by faccessat2.
void access_with_permitted_capabilities(void* arg) {
    int fd = *static_cast<int*>(arg);
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
    ASSERT_OK(sys::capget(&h, d));
    for (auto& e : d) e.effective = 0;
    ASSERT_OK(sys::capset(&h, d));
    EXPECT_RET(sys::faccessat2(fd, "", R_OK, AT_EMPTY_PATH), 0);
    EXPECT_ERR(sys::faccessat2(fd, "", R_OK, AT_EMPTY_PATH | AT_EACCESS), EACCES);
}
}  // namespace

// faccessat(2) AT_EACCESS: "Perform access checks using the effective user
// and group IDs", and so the effective capabilities: without the flag a
// caller whose real uid is 0 is checked with its permitted capabilities
// (access_override_creds in fs/open.c; capabilities(7)). A uid-0 child that
// cleared its effective set but keeps CAP_DAC_OVERRIDE (or
// CAP_DAC_READ_SEARCH) permitted may read a mode-0 file by the plain check,
// and not with AT_EACCESS.
TEST(faccessat2, eaccess_uses_effective_capabilities, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    // The kernel's rule, not a guess of privilege: the permitted set stands
    // in for the effective one only when the real uid is 0 in this namespace.
    if (sys::getuid() != 0 || !privilege::dac_override(true))
        kc::skip(
            "needs real uid 0 with CAP_DAC_OVERRIDE or CAP_DAC_READ_SEARCH (access(2) checks "
            "uid 0 with its permitted capabilities)");
    kc::Fd fd(fs::create("f", nullptr, 0));
    int f = fd;
    EXPECT_CHILD_OK(kc::spawn(access_with_permitted_capabilities, &f));
}

namespace {
// Repeats fchownat(name, -1, -1, flags) until the ctime of `watched` moves,
// for up to ~100 ms (timestamps may be one clock tick coarse); true when it
// did.
bool chown_moves_ctime(const char* name, int flags, const char* watched) {
    arch::Stat a = fs::st(watched);
    for (int i = 0; i < 50; ++i) {
        if (sys::fchownat(fs::D(), name, ~0u, ~0u, flags) != 0) return false;
        arch::Stat b = fs::st(watched);
        if (!fs::same_time(a.st_ctime_sec, a.st_ctime_nsec, b.st_ctime_sec, b.st_ctime_nsec))
            return true;
        common::sleep_ms(2);
    }
    return false;
}
bool same_ctime(const arch::Stat& a, const arch::Stat& b) {
    return fs::same_time(a.st_ctime_sec, a.st_ctime_nsec, b.st_ctime_sec, b.st_ctime_nsec);
}
}  // namespace

// fchownat(2) AT_SYMLINK_NOFOLLOW: "If pathname is a symbolic link, do not
// dereference it: instead operate on the link itself". Seen without any
// privilege through ctime, which a chown marks for update even when no id
// changes (POSIX chown): with the flag the link's ctime moves and the
// target's stays; without it, the reverse.
TEST(fchownat, nofollow_changes_link_not_target, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::symlink("f", "link");
    arch::Stat target = fs::st("f");
    EXPECT_TRUE(chown_moves_ctime("link", AT_SYMLINK_NOFOLLOW, "link"));
    EXPECT_TRUE(same_ctime(fs::st("f"), target));
    arch::Stat link = fs::st("link");
    EXPECT_TRUE(chown_moves_ctime("link", 0, "f"));
    EXPECT_TRUE(same_ctime(fs::st("link"), link));
}

namespace {
struct CreateRow {
    const char* label;
    int kind;  // 0 openat2 O_CREAT, 1 O_TMPFILE, 2 bind of an AF_UNIX socket
};
// Under umask 027, creates "f" (or an unnamed file) with mode 0777 and
// returns its permission bits.
u32 mode_created_under_umask(const CreateRow& row) {
    sys::umask(027);
    if (row.kind == 2) {
        kc::Fd sock(sys::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        ASSERT_OK(sock.get());
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        const char* p = kc::scratch_path("f");
        for (usize i = 0; p[i]; ++i) a.sun_path[i] = p[i];
        ASSERT_OK(sys::bind(sock, &a, int(sizeof a)));
        arch::Stat s = fs::st("f");
        EXPECT_EQ(s.st_mode & S_IFMT, S_IFSOCK);
        return s.st_mode & 07777;
    }
    long fd;
    if (row.kind == 0) {
        open_how how{u64(O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC), 0777, 0};
        fd = sys::openat2(fs::D(), "f", &how, sizeof how);
    } else {
        fd = sys::openat(fs::D(), ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0777);
    }
    ASSERT_OK(fd);
    kc::Fd guard(fd);
    return fs::fst(guard).st_mode & 07777;
}
void create_under_umask(void* arg) {
    EXPECT_EQ(mode_created_under_umask(*static_cast<const CreateRow*>(arg)), 0750u);
}
}  // namespace

// umask(2): "The umask is used by open(2), mkdir(2), and other system calls
// that create files to modify the permissions placed on newly created files
// or directories": also by openat2, by an O_TMPFILE open and by the bind of
// an AF_UNIX socket (unix(7): the socket file's permissions are those of the
// process umask). In a child, so that the harness keeps its mask.
constexpr CreateRow kCreations[] = {{"openat2", 0}, {"o_tmpfile", 1}, {"bind_af_unix", 2}};
TEST_P(umask, applies_to_linux_creations, POSITIVE, LINUX, kCreations,
       .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    if (row.kind == 1) {
        long fd = sys::openat(fs::D(), ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd == -EOPNOTSUPP || fd == -EISDIR) kc::skip("O_TMPFILE not supported here");
        ASSERT_OK(fd);
        sys::close(int(fd));
    }
    if (row.kind == 2 && rt::strlen(kc::scratch_path("f")) >= sizeof(sockaddr_un{}.sun_path))
        kc::skip("the scratch path is too long for an AF_UNIX socket address");
    EXPECT_CHILD_OK(kc::spawn(create_under_umask, const_cast<CreateRow*>(&row)));
}

namespace {
// name_to_handle_at(dirfd, path) into fh (room for the largest handle), the
// mount id into *mnt (8 bytes zeroed first: an int without
// AT_HANDLE_MNT_ID_UNIQUE, a u64 with it).
long handle_of(int dirfd, const char* path, file_handle* fh, u64* mnt, int flags) {
    fh->handle_bytes = MAX_HANDLE_SZ;
    *mnt = 0;
    long r = sys::name_to_handle_at(dirfd, path, fh, reinterpret_cast<int*>(mnt), flags);
    if (r == -ENOSYS)
        kc::skip_unimplemented("name_to_handle_at",
                               "name_to_handle_at: not implemented (ENOSYS; Linux 2.6.39+)");
    return r;
}
bool same_handle(const file_handle& a, const file_handle& b) {
    return a.handle_bytes == b.handle_bytes && a.handle_type == b.handle_type &&
           __builtin_memcmp(a.f_handle, b.f_handle, a.handle_bytes) == 0;
}
}  // namespace

// name_to_handle_at(2) AT_HANDLE_FID (fs/fhandle.c, Linux 6.5; for file
// systems without export operations since 6.7): a handle "for
// identification", which need not open the file: /proc exports no handles
// (EOPNOTSUPP without the flag) but gives one with it, the same on each
// call and another for another file.
TEST(name_to_handle_at, handle_fid_without_export_ops, POSITIVE, LINUX) {
    if (kc::linux_before(6, 7))
        kc::skip("handles for identification of any file system came in Linux 6.7");
    arch::Stat s{};
    if (sys::newfstatat(AT_FDCWD, "/proc/version", &s, 0) != 0)
        kc::skip("needs /proc: a file system that exports no file handles");
    file_handle a{}, b{}, c{};
    u64 mnt;
    EXPECT_ERR(handle_of(AT_FDCWD, "/proc/version", &a, &mnt, 0), EOPNOTSUPP);
    ASSERT_RET(handle_of(AT_FDCWD, "/proc/version", &a, &mnt, AT_HANDLE_FID), 0);
    ASSERT_RET(handle_of(AT_FDCWD, "/proc/version", &b, &mnt, AT_HANDLE_FID), 0);
    ASSERT_RET(handle_of(AT_FDCWD, "/proc", &c, &mnt, AT_HANDLE_FID), 0);
    EXPECT_TRUE(same_handle(a, b));
    EXPECT_EQ(same_handle(a, c), false);
}

// name_to_handle_at(2) AT_HANDLE_MNT_ID_UNIQUE (fs/fhandle.c, Linux 6.12):
// the mount id written is the 64-bit one statx reports for
// STATX_MNT_ID_UNIQUE; without the flag it is the reusable int of
// STATX_MNT_ID.
TEST(name_to_handle_at, mnt_id_unique, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    struct statx old {
    }, unique{};
    ASSERT_OK(sys::statx(fs::D(), "f", 0, STATX_MNT_ID, &old));
    ASSERT_OK(sys::statx(fs::D(), "f", 0, STATX_MNT_ID_UNIQUE, &unique));
    if (!(unique.stx_mask & STATX_MNT_ID_UNIQUE))
        kc::skip("statx reports no unique mount id (Linux 6.8+)");
    ASSERT_TRUE(old.stx_mask & STATX_MNT_ID);
    if (old.stx_mnt_id == unique.stx_mnt_id)
        kc::skip("the two mount ids of the scratch mount agree");
    file_handle fh{};
    u64 mnt = 0;
    long r = handle_of(fs::D(), "f", &fh, &mnt, AT_HANDLE_MNT_ID_UNIQUE);
    if (r == -EINVAL && kc::linux_before(6, 12))
        kc::skip("AT_HANDLE_MNT_ID_UNIQUE came in Linux 6.12");
    if (r == -EOPNOTSUPP) kc::skip("the scratch file system does not export file handles");
    ASSERT_RET(r, 0);
    EXPECT_EQ(mnt, unique.stx_mnt_id);
    ASSERT_RET(handle_of(fs::D(), "f", &fh, &mnt, 0), 0);
    int id;
    __builtin_memcpy(&id, &mnt, sizeof id);
    EXPECT_EQ(u64(id), old.stx_mnt_id);
    EXPECT_EQ(mnt >> 32, 0u);  // an int, no more
}

// name_to_handle_at(2) AT_HANDLE_CONNECTABLE (fs/fhandle.c, Linux 6.13): a
// handle from which the file can be reconnected to its path: for a file it
// also encodes the parent (longer), and handle_type carries
// FILEID_IS_CONNECTABLE (and FILEID_IS_DIR for a directory); without the
// flag neither bit is set. Skipped where the file system cannot encode a
// parent (tmpfs).
TEST(name_to_handle_at, connectable_handle, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    fs::touch("f");
    fs::mkdir("d");
    constexpr int kBits = FILEID_IS_CONNECTABLE | FILEID_IS_DIR;
    file_handle plain{}, conn{};
    u64 mnt;
    long r = handle_of(fs::D(), "f", &conn, &mnt, AT_HANDLE_CONNECTABLE);
    if (r == -EINVAL && kc::linux_before(6, 13))
        kc::skip("AT_HANDLE_CONNECTABLE came in Linux 6.13");
    if (r == -EOPNOTSUPP)
        kc::skip("the scratch file system cannot encode connectable file handles");
    ASSERT_RET(r, 0);
    ASSERT_RET(handle_of(fs::D(), "f", &plain, &mnt, 0), 0);
    EXPECT_EQ(conn.handle_type & kBits, FILEID_IS_CONNECTABLE);
    EXPECT_EQ(plain.handle_type & kBits, 0);
    EXPECT_GT(conn.handle_bytes, plain.handle_bytes);
    ASSERT_RET(handle_of(fs::D(), "d", &conn, &mnt, AT_HANDLE_CONNECTABLE), 0);
    ASSERT_RET(handle_of(fs::D(), "d", &plain, &mnt, 0), 0);
    EXPECT_EQ(conn.handle_type & kBits, kBits);
    EXPECT_EQ(plain.handle_type & kBits, 0);
}
