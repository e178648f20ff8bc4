// SPDX-License-Identifier: MIT
// Files and file systems beyond rt/sys.hpp (which has openat, mkdirat,
// unlinkat, getdents64 and fstat): opening and creating, size and space,
// synchronisation and advice, metadata (stat, statx, statfs, access, modes,
// owners, times), names and directories, locks, mounts. File types, open
// flags and *at flags are in rt/types.hpp.
//
// Every type here has the same layout on x86-64, aarch64 and riscv64 (64-bit
// asm-generic definitions); struct stat, whose layout differs, is arch::Stat.
// Legacy calls that aarch64 and riscv64 lack (open, creat, stat, mkdir,
// utime, futimesat, ...) have nr::NAME == -1 there: their tests use
// REQUIRE_NR.
#pragma once

#include "rt/sys.hpp"

// access(2) modes.
inline constexpr int F_OK = 0, X_OK = 1, W_OK = 2, R_OK = 4;
// renameat2(2).
inline constexpr unsigned RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
// fallocate(2).
inline constexpr int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
inline constexpr int FALLOC_FL_COLLAPSE_RANGE = 8, FALLOC_FL_ZERO_RANGE = 0x10;
inline constexpr int FALLOC_FL_INSERT_RANGE = 0x20;
// sync_file_range(2).
inline constexpr unsigned SYNC_FILE_RANGE_WAIT_BEFORE = 1, SYNC_FILE_RANGE_WRITE = 2;
inline constexpr unsigned SYNC_FILE_RANGE_WAIT_AFTER = 4;
// posix_fadvise(2) advice (asm-generic values; s390 alone differs).
inline constexpr int POSIX_FADV_NORMAL = 0, POSIX_FADV_RANDOM = 1, POSIX_FADV_SEQUENTIAL = 2;
inline constexpr int POSIX_FADV_WILLNEED = 3, POSIX_FADV_DONTNEED = 4, POSIX_FADV_NOREUSE = 5;
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
inline constexpr u32 STATX_MNT_ID = 0x1000;  // reported whether asked or not
inline constexpr u32 STATX__RESERVED = 0x80000000u;
// statfs(2) f_flags bits.
inline constexpr long ST_NOEXEC = 8;
// umount2(2) flags and mount(2) flags.
inline constexpr int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;
inline constexpr unsigned long MS_RDONLY = 1;

// Limits of Linux path resolution.
inline constexpr int NAME_MAX = 255, PATH_MAX = 4096, MAXSYMLINKS = 40;

// struct statx (include/uapi/linux/stat.h); fields past stx_mnt_id unused here.
struct statx_timestamp {
    i64 tv_sec;
    u32 tv_nsec;
    i32 reserved;
};
struct statx {
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
    statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    u32 stx_rdev_major, stx_rdev_minor;
    u32 stx_dev_major, stx_dev_minor;
    u64 stx_mnt_id;
    u64 spare[13];
};
static_assert(sizeof(struct statx) == 256);
static_assert(__builtin_offsetof(struct statx, stx_mtime) == 112);

// struct statfs for 64-bit architectures (asm-generic/statfs.h; x86-64's
// is the same).
struct statfs {
    long f_type;
    long f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    int f_fsid[2];
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};
static_assert(sizeof(struct statfs) == 120);
// statfs f_type values (linux/magic.h) the tests look for.
inline constexpr long TMPFS_MAGIC = 0x01021994, RAMFS_MAGIC = 0x858458f6;
inline constexpr long OVERLAYFS_SUPER_MAGIC = 0x794c7630;

// struct flock for 64-bit architectures (asm-generic/fcntl.h).
struct flock {
    short l_type;
    short l_whence;
    long l_start;
    long l_len;
    int l_pid;
};
static_assert(sizeof(struct flock) == 32);

// struct open_how (include/uapi/linux/openat2.h).
struct open_how {
    u64 flags;
    u64 mode;
    u64 resolve;
};
static_assert(sizeof(open_how) == 24);

// struct linux_dirent64 header: d_ino, d_off, d_reclen, d_type, then the name.
struct linux_dirent64 {
    u64 d_ino;
    i64 d_off;
    u16 d_reclen;
    u8 d_type;
    char d_name[1];
};
static_assert(__builtin_offsetof(linux_dirent64, d_name) == 19);

// struct utimbuf (linux/utime.h): two longs, the same on every 64-bit arch.
struct utimbuf {
    long actime;
    long modtime;
};
static_assert(sizeof(utimbuf) == 16);

namespace sys {

// Opening and creating.

// int open(const char *pathname, int flags, mode_t mode);
inline long open(const char* path, int flags, int mode = 0) {
    return syscall3(nr::open, L(path), flags, mode);
}
// int creat(const char *pathname, mode_t mode);
inline long creat(const char* path, int mode) { return syscall2(nr::creat, L(path), mode); }
// long openat2(int dirfd, const char *pathname, struct open_how *how, size_t size);
inline long openat2(int dirfd, const char* path, const open_how* how, usize size) {
    return syscall4(nr::openat2, dirfd, L(path), L(how), L(size));
}
// int mknodat(int dirfd, const char *pathname, mode_t mode, dev_t dev);
inline long mknodat(int dirfd, const char* path, unsigned mode, unsigned dev) {
    return syscall4(nr::mknodat, dirfd, L(path), mode, dev);
}
// int mknod(const char *pathname, mode_t mode, dev_t dev);
inline long mknod(const char* path, unsigned mode, unsigned dev) {
    return syscall3(nr::mknod, L(path), mode, dev);
}
// mode_t umask(mode_t mask);
inline long umask(unsigned mask) { return syscall1(nr::umask, mask); }

// Size, space, synchronisation and advice.

// int ftruncate(int fd, off_t length);
inline long ftruncate(int fd, long len) { return syscall2(nr::ftruncate, fd, len); }
// int truncate(const char *path, off_t length);
inline long truncate(const char* path, long len) { return syscall2(nr::truncate, L(path), len); }
// int fallocate(int fd, int mode, off_t offset, off_t len);
inline long fallocate(int fd, int mode, long off, long len) {
    return syscall4(nr::fallocate, fd, mode, off, len);
}
// int fsync(int fd);
inline long fsync(int fd) { return syscall1(nr::fsync, fd); }
// int fdatasync(int fd);
inline long fdatasync(int fd) { return syscall1(nr::fdatasync, fd); }
// void sync(void);
inline long sync() { return syscall0(nr::sync); }
// int syncfs(int fd);
inline long syncfs(int fd) { return syscall1(nr::syncfs, fd); }
// int sync_file_range(int fd, off_t offset, off_t nbytes, unsigned int flags);
inline long sync_file_range(int fd, long off, long n, unsigned flags) {
    return syscall4(nr::sync_file_range, fd, off, n, flags);
}
// ssize_t copy_file_range(int in, off_t *off_in, int out, off_t *off_out, size_t n, unsigned f);
inline long copy_file_range(int in, long* off_in, int out, long* off_out, usize len,
                            unsigned flags) {
    return syscall6(nr::copy_file_range, in, L(off_in), out, L(off_out), L(len), flags);
}
// int posix_fadvise(int fd, off_t offset, off_t len, int advice);
inline long fadvise64(int fd, long off, long len, long advice) {
    return syscall4(nr::fadvise64, fd, off, len, advice);
}
// ssize_t readahead(int fd, off_t offset, size_t count);
inline long readahead(int fd, long off, long count) {
    return syscall3(nr::readahead, fd, off, count);
}

// Metadata.

// int fstatat(int dirfd, const char *pathname, struct stat *statbuf, int flags);
inline long newfstatat(int dirfd, const char* path, arch::Stat* st, int flags) {
    return syscall4(nr::newfstatat, dirfd, L(path), L(st), flags);
}
// int stat(const char *pathname, struct stat *statbuf);
inline long stat(const char* path, arch::Stat* st) { return syscall2(nr::stat, L(path), L(st)); }
// int lstat(const char *pathname, struct stat *statbuf);
inline long lstat(const char* path, arch::Stat* st) { return syscall2(nr::lstat, L(path), L(st)); }
// int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *statxbuf);
inline long statx(int dirfd, const char* path, int flags, unsigned mask, struct statx* st) {
    return syscall5(nr::statx, dirfd, L(path), flags, mask, L(st));
}
// int statfs(const char *path, struct statfs *buf);
inline long statfs(const char* path, struct statfs* st) {
    return syscall2(nr::statfs, L(path), L(st));
}
// int fstatfs(int fd, struct statfs *buf);
inline long fstatfs(int fd, struct statfs* st) { return syscall2(nr::fstatfs, fd, L(st)); }
// int faccessat(int dirfd, const char *pathname, int mode);
inline long faccessat(int dirfd, const char* path, int mode) {
    return syscall3(nr::faccessat, dirfd, L(path), mode);
}
// int faccessat2(int dirfd, const char *pathname, int mode, int flags);
inline long faccessat2(int dirfd, const char* path, int mode, int flags) {
    return syscall4(nr::faccessat2, dirfd, L(path), mode, flags);
}
// int access(const char *pathname, int mode);
inline long access(const char* path, int mode) { return syscall2(nr::access, L(path), mode); }
// int fchmod(int fd, mode_t mode);
inline long fchmod(int fd, unsigned mode) { return syscall2(nr::fchmod, fd, mode); }
// int fchmodat(int dirfd, const char *pathname, mode_t mode);
inline long fchmodat(int dirfd, const char* path, unsigned mode) {
    return syscall3(nr::fchmodat, dirfd, L(path), mode);
}
// int fchmodat2(int dirfd, const char *pathname, mode_t mode, unsigned int flags);
inline long fchmodat2(int dirfd, const char* path, unsigned mode, int flags) {
    return syscall4(nr::fchmodat2, dirfd, L(path), mode, flags);
}
// int chmod(const char *pathname, mode_t mode);
inline long chmod(const char* path, unsigned mode) { return syscall2(nr::chmod, L(path), mode); }
// int fchown(int fd, uid_t owner, gid_t group);
inline long fchown(int fd, u32 uid, u32 gid) { return syscall3(nr::fchown, fd, uid, gid); }
// int fchownat(int dirfd, const char *pathname, uid_t owner, gid_t group, int flags);
inline long fchownat(int dirfd, const char* path, u32 uid, u32 gid, int flags) {
    return syscall5(nr::fchownat, dirfd, L(path), uid, gid, flags);
}
// int chown(const char *pathname, uid_t owner, gid_t group);
inline long chown(const char* path, u32 uid, u32 gid) {
    return syscall3(nr::chown, L(path), uid, gid);
}
// int lchown(const char *pathname, uid_t owner, gid_t group);
inline long lchown(const char* path, u32 uid, u32 gid) {
    return syscall3(nr::lchown, L(path), uid, gid);
}
// int utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags);
inline long utimensat(int dirfd, const char* path, const timespec* ts, int flags) {
    return syscall4(nr::utimensat, dirfd, L(path), L(ts), flags);
}
// int utimes(const char *filename, const struct timeval times[2]);
inline long utimes(const char* path, const timeval* tv) {
    return syscall2(nr::utimes, L(path), L(tv));
}
// int utime(const char *filename, const struct utimbuf *times);
inline long utime(const char* path, const utimbuf* times) {
    return syscall2(nr::utime, L(path), L(times));
}
// int futimesat(int dirfd, const char *pathname, const struct timeval times[2]);
inline long futimesat(int dirfd, const char* path, const timeval* tv) {
    return syscall3(nr::futimesat, dirfd, L(path), L(tv));
}

// Names and directories.

// int mkdir(const char *pathname, mode_t mode);
inline long mkdir(const char* path, int mode) { return syscall2(nr::mkdir, L(path), mode); }
// int rmdir(const char *pathname);
inline long rmdir(const char* path) { return syscall1(nr::rmdir, L(path)); }
// int unlink(const char *pathname);
inline long unlink(const char* path) { return syscall1(nr::unlink, L(path)); }
// int renameat2(int olddir, const char *oldpath, int newdir, const char *newpath, unsigned flags);
inline long renameat2(int olddir, const char* oldp, int newdir, const char* newp, unsigned flags) {
    return syscall5(nr::renameat2, olddir, L(oldp), newdir, L(newp), flags);
}
// int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
inline long renameat(int olddir, const char* oldp, int newdir, const char* newp) {
    return syscall4(nr::renameat, olddir, L(oldp), newdir, L(newp));
}
// int rename(const char *oldpath, const char *newpath);
inline long rename(const char* oldp, const char* newp) {
    return syscall2(nr::rename, L(oldp), L(newp));
}
// int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
inline long linkat(int olddir, const char* oldp, int newdir, const char* newp, int flags) {
    return syscall5(nr::linkat, olddir, L(oldp), newdir, L(newp), flags);
}
// int link(const char *oldpath, const char *newpath);
inline long link(const char* oldp, const char* newp) {
    return syscall2(nr::link, L(oldp), L(newp));
}
// int symlinkat(const char *target, int newdirfd, const char *linkpath);
inline long symlinkat(const char* target, int dirfd, const char* path) {
    return syscall3(nr::symlinkat, L(target), dirfd, L(path));
}
// int symlink(const char *target, const char *linkpath);
inline long symlink(const char* target, const char* path) {
    return syscall2(nr::symlink, L(target), L(path));
}
// ssize_t readlinkat(int dirfd, const char *pathname, char *buf, size_t bufsiz);
inline long readlinkat(int dirfd, const char* path, char* buf, usize size) {
    return syscall4(nr::readlinkat, dirfd, L(path), L(buf), L(size));
}
// ssize_t readlink(const char *pathname, char *buf, size_t bufsiz);
inline long readlink(const char* path, char* buf, usize size) {
    return syscall3(nr::readlink, L(path), L(buf), L(size));
}
// long getdents(unsigned int fd, struct linux_dirent *dirp, unsigned int count);
inline long getdents(int fd, void* buf, unsigned n) {
    return syscall3(nr::getdents, fd, L(buf), n);
}
// int chdir(const char *path);
inline long chdir(const char* path) { return syscall1(nr::chdir, L(path)); }
// int fchdir(int fd);
inline long fchdir(int fd) { return syscall1(nr::fchdir, fd); }
// char *getcwd(char *buf, size_t size);
// The system call returns the length of the path, NUL included.
inline long getcwd(char* buf, usize size) { return syscall2(nr::getcwd, L(buf), L(size)); }

// Locks.

// int flock(int fd, int op);
inline long flock(int fd, int op) { return syscall2(nr::flock, fd, op); }
// int fcntl(int fd, int cmd, struct flock *lock);
// F_GETLK, F_SETLK, F_SETLKW and the F_OFD_* commands.
inline long fcntl_lock(int fd, int cmd, struct flock* fl) {
    return syscall3(nr::fcntl, fd, cmd, L(fl));
}

// Mounts.

// int mount(const char *source, const char *target, const char *filesystemtype,
//           unsigned long mountflags, const void *data);
inline long mount(const char* src, const char* target, const char* type, unsigned long flags,
                  const void* data) {
    return syscall5(nr::mount, L(src), L(target), L(type), L(flags), L(data));
}
// int umount2(const char *target, int flags);
inline long umount2(const char* target, long flags) {
    return syscall2(nr::umount2, L(target), flags);
}

}  // namespace sys
