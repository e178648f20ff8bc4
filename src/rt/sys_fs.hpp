// Raw wrappers and kernel types for the file-system area (files, directories,
// names, metadata, locks). Same conventions as rt/sys.hpp: the kernel's result
// is returned unchanged, -errno on failure. openat, mkdirat, unlinkat,
// getdents64 and fstat live in rt/sys.hpp.
//
// Every type here has the same layout on x86-64, aarch64 and riscv64 (64-bit
// asm-generic definitions); struct stat, whose layout differs, is arch::Stat.
// Legacy calls that aarch64 and riscv64 lack (open, creat, stat, mkdir, ...)
// have nr::NAME == -1 there: their tests use REQUIRE_NR. Constants live in
// namespace fs so that they cannot clash with other areas' headers.
#pragma once

#include "rt/sys.hpp"

namespace fs {

// File types and permission bits (<linux/stat.h>).
inline constexpr u32 S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000;
inline constexpr u32 S_IFREG = 0100000, S_IFBLK = 060000, S_IFDIR = 040000;
inline constexpr u32 S_IFCHR = 020000, S_IFIFO = 010000;
inline constexpr u32 S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000;

// access(2) modes and *at flags beyond rt/types.hpp.
inline constexpr int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;
inline constexpr int AT_EACCESS = 0x200, AT_NO_AUTOMOUNT = 0x800;
inline constexpr int AT_STATX_FORCE_SYNC = 0x2000, AT_STATX_DONT_SYNC = 0x4000;

// O_TMPFILE is __O_TMPFILE (the same bit everywhere) plus O_DIRECTORY.
inline constexpr int O_TMPFILE = 020000000 | O_DIRECTORY;

// renameat2(2).
inline constexpr unsigned RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
// fallocate(2).
inline constexpr int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
inline constexpr int FALLOC_FL_COLLAPSE_RANGE = 8, FALLOC_FL_ZERO_RANGE = 0x10;
inline constexpr int FALLOC_FL_INSERT_RANGE = 0x20;
// sync_file_range(2).
inline constexpr unsigned SYNC_FILE_RANGE_WAIT_BEFORE = 1, SYNC_FILE_RANGE_WRITE = 2;
inline constexpr unsigned SYNC_FILE_RANGE_WAIT_AFTER = 4;
// close_range(2).
inline constexpr unsigned CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
// flock(2) and fcntl(2) record locks.
inline constexpr int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
inline constexpr short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
// utimensat(2) special tv_nsec values.
inline constexpr i64 UTIME_NOW = (1l << 30) - 1, UTIME_OMIT = (1l << 30) - 2;
// getdents64 d_type values.
inline constexpr u8 DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6;
inline constexpr u8 DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;
// openat2(2) resolve flags.
inline constexpr u64 RESOLVE_NO_XDEV = 1, RESOLVE_NO_MAGICLINKS = 2, RESOLVE_NO_SYMLINKS = 4;
inline constexpr u64 RESOLVE_BENEATH = 8, RESOLVE_IN_ROOT = 0x10, RESOLVE_CACHED = 0x20;
// statx(2) mask bits.
inline constexpr u32 STATX_TYPE = 1, STATX_MODE = 2, STATX_NLINK = 4, STATX_UID = 8;
inline constexpr u32 STATX_GID = 0x10, STATX_ATIME = 0x20, STATX_MTIME = 0x40;
inline constexpr u32 STATX_CTIME = 0x80, STATX_INO = 0x100, STATX_SIZE = 0x200;
inline constexpr u32 STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800;
inline constexpr u32 STATX__RESERVED = 0x80000000u;

// Limits of Linux path resolution.
inline constexpr int NAME_MAX = 255, PATH_MAX = 4096, MAXSYMLINKS = 40;

// struct statx (include/uapi/linux/stat.h); fields past stx_mnt_id unused here.
struct StatxTimestamp {
    i64 tv_sec;
    u32 tv_nsec;
    i32 reserved;
};
struct Statx {
    u32 stx_mask;
    u32 stx_blksize;
    u64 stx_attributes;
    u32 stx_nlink;
    u32 stx_uid;
    u32 stx_gid;
    u16 stx_mode;
    u16 spare0;
    u64 stx_ino;
    u64 stx_size;
    u64 stx_blocks;
    u64 stx_attributes_mask;
    StatxTimestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor;
    u32 stx_dev_major, stx_dev_minor;
    u64 stx_mnt_id;
    u64 spare[13];
};
static_assert(sizeof(Statx) == 256);
static_assert(__builtin_offsetof(Statx, stx_mtime) == 112);

// struct statfs for 64-bit architectures (asm-generic/statfs.h).
struct Statfs {
    long f_type;
    long f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};
static_assert(sizeof(Statfs) == 120);

// struct flock for 64-bit architectures (asm-generic/fcntl.h).
struct Flock {
    short l_type;
    short l_whence;
    long l_start;
    long l_len;
    int l_pid;
};
static_assert(sizeof(Flock) == 32);

// struct open_how (include/uapi/linux/openat2.h).
struct OpenHow {
    u64 flags;
    u64 mode;
    u64 resolve;
};
static_assert(sizeof(OpenHow) == 24);

// struct linux_dirent64 header: d_ino, d_off, d_reclen, d_type, then the name.
struct Dirent64 {
    u64 d_ino;
    i64 d_off;
    u16 d_reclen;
    u8 d_type;
    char d_name[1];
};
static_assert(__builtin_offsetof(Dirent64, d_name) == 19);

}  // namespace fs

namespace nr {
// Numbers from 424 on are shared by every architecture (the unified table),
// so this one needs no per-arch entry: fchmodat2 appeared in Linux 6.6.
inline constexpr long fchmodat2_unified = 452;
}  // namespace nr

namespace sys {

// Opening and creating.
inline long open(const char* path, int flags, int mode = 0) {
    return syscall3(nr::open, L(path), flags, mode);
}
inline long creat(const char* path, int mode) { return syscall2(nr::creat, L(path), mode); }
inline long openat2(int dirfd, const char* path, const fs::OpenHow* how, usize size) {
    return syscall4(nr::openat2, dirfd, L(path), L(how), L(size));
}
inline long mknodat(int dirfd, const char* path, unsigned mode, unsigned dev) {
    return syscall4(nr::mknodat, dirfd, L(path), mode, dev);
}
inline long mknod(const char* path, unsigned mode, unsigned dev) {
    return syscall3(nr::mknod, L(path), mode, dev);
}
inline long umask(unsigned mask) { return syscall1(nr::umask, mask); }

// Size, space and synchronisation.
inline long ftruncate(int fd, long len) { return syscall2(nr::ftruncate, fd, len); }
inline long truncate(const char* path, long len) { return syscall2(nr::truncate, L(path), len); }
inline long fallocate(int fd, int mode, long off, long len) {
    return syscall4(nr::fallocate, fd, mode, off, len);
}
inline long fsync(int fd) { return syscall1(nr::fsync, fd); }
inline long fdatasync(int fd) { return syscall1(nr::fdatasync, fd); }
inline long syncfs(int fd) { return syscall1(nr::syncfs, fd); }
inline long sync_file_range(int fd, long off, long n, unsigned flags) {
    return syscall4(nr::sync_file_range, fd, off, n, flags);
}
inline long copy_file_range(int in, long* off_in, int out, long* off_out, usize len,
                            unsigned flags) {
    return syscall6(nr::copy_file_range, in, L(off_in), out, L(off_out), L(len), flags);
}

// Metadata.
inline long newfstatat(int dirfd, const char* path, arch::Stat* st, int flags) {
    return syscall4(nr::newfstatat, dirfd, L(path), L(st), flags);
}
inline long stat(const char* path, arch::Stat* st) { return syscall2(nr::stat, L(path), L(st)); }
inline long lstat(const char* path, arch::Stat* st) { return syscall2(nr::lstat, L(path), L(st)); }
inline long statx(int dirfd, const char* path, int flags, unsigned mask, fs::Statx* st) {
    return syscall5(nr::statx, dirfd, L(path), flags, mask, L(st));
}
inline long statfs(const char* path, fs::Statfs* st) {
    return syscall2(nr::statfs, L(path), L(st));
}
inline long fstatfs(int fd, fs::Statfs* st) { return syscall2(nr::fstatfs, fd, L(st)); }
inline long faccessat(int dirfd, const char* path, int mode) {
    return syscall3(nr::faccessat, dirfd, L(path), mode);
}
inline long faccessat2(int dirfd, const char* path, int mode, int flags) {
    return syscall4(nr::faccessat2, dirfd, L(path), mode, flags);
}
inline long access(const char* path, int mode) { return syscall2(nr::access, L(path), mode); }
inline long fchmod(int fd, unsigned mode) { return syscall2(nr::fchmod, fd, mode); }
inline long fchmodat(int dirfd, const char* path, unsigned mode) {
    return syscall3(nr::fchmodat, dirfd, L(path), mode);
}
inline long fchmodat2(int dirfd, const char* path, unsigned mode, int flags) {
    return syscall4(nr::fchmodat2_unified, dirfd, L(path), mode, flags);
}
inline long chmod(const char* path, unsigned mode) { return syscall2(nr::chmod, L(path), mode); }
inline long fchown(int fd, u32 uid, u32 gid) { return syscall3(nr::fchown, fd, uid, gid); }
inline long fchownat(int dirfd, const char* path, u32 uid, u32 gid, int flags) {
    return syscall5(nr::fchownat, dirfd, L(path), uid, gid, flags);
}
inline long chown(const char* path, u32 uid, u32 gid) {
    return syscall3(nr::chown, L(path), uid, gid);
}
inline long lchown(const char* path, u32 uid, u32 gid) {
    return syscall3(nr::lchown, L(path), uid, gid);
}
inline long utimensat(int dirfd, const char* path, const timespec* ts, int flags) {
    return syscall4(nr::utimensat, dirfd, L(path), L(ts), flags);
}
inline long utimes(const char* path, const timeval* tv) {
    return syscall2(nr::utimes, L(path), L(tv));
}

// Names and directories.
inline long mkdir(const char* path, int mode) { return syscall2(nr::mkdir, L(path), mode); }
inline long rmdir(const char* path) { return syscall1(nr::rmdir, L(path)); }
inline long unlink(const char* path) { return syscall1(nr::unlink, L(path)); }
inline long renameat2(int olddir, const char* oldp, int newdir, const char* newp, unsigned flags) {
    return syscall5(nr::renameat2, olddir, L(oldp), newdir, L(newp), flags);
}
inline long renameat(int olddir, const char* oldp, int newdir, const char* newp) {
    return syscall4(nr::renameat, olddir, L(oldp), newdir, L(newp));
}
inline long rename(const char* oldp, const char* newp) {
    return syscall2(nr::rename, L(oldp), L(newp));
}
inline long linkat(int olddir, const char* oldp, int newdir, const char* newp, int flags) {
    return syscall5(nr::linkat, olddir, L(oldp), newdir, L(newp), flags);
}
inline long link(const char* oldp, const char* newp) {
    return syscall2(nr::link, L(oldp), L(newp));
}
inline long symlinkat(const char* target, int dirfd, const char* path) {
    return syscall3(nr::symlinkat, L(target), dirfd, L(path));
}
inline long symlink(const char* target, const char* path) {
    return syscall2(nr::symlink, L(target), L(path));
}
inline long readlinkat(int dirfd, const char* path, char* buf, int size) {
    return syscall4(nr::readlinkat, dirfd, L(path), L(buf), size);
}
inline long readlink(const char* path, char* buf, int size) {
    return syscall3(nr::readlink, L(path), L(buf), size);
}
inline long getdents(int fd, void* buf, unsigned n) {
    return syscall3(nr::getdents, fd, L(buf), n);
}
inline long chdir(const char* path) { return syscall1(nr::chdir, L(path)); }
inline long fchdir(int fd) { return syscall1(nr::fchdir, fd); }
inline long getcwd(char* buf, usize size) { return syscall2(nr::getcwd, L(buf), L(size)); }

// Locks.
inline long flock(int fd, int op) { return syscall2(nr::flock, fd, op); }
inline long fcntl_lock(int fd, int cmd, fs::Flock* fl) {
    return syscall3(nr::fcntl, fd, cmd, L(fl));
}

// Credentials, for children that give up root to test permission checks.
inline long setresuid(u32 r, u32 e, u32 s) { return syscall3(nr::setresuid, r, e, s); }
inline long setresgid(u32 r, u32 e, u32 s) { return syscall3(nr::setresgid, r, e, s); }
inline long setgroups(usize n, const u32* list) { return syscall2(nr::setgroups, L(n), L(list)); }

}  // namespace sys
