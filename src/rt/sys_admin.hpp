// SPDX-License-Identifier: MIT
// Administration calls beyond rt/sys_system.hpp: the clock discipline
// (adjtimex, clock_adjtime), performance counters (perf_event_open), eBPF
// (bpf), disk quotas (quotactl, quotactl_fd), kernel modules (init_module,
// finit_module, delete_module), kexec (kexec_load, kexec_file_load), the
// other reboot(2) magic numbers, file handles (name_to_handle_at,
// open_by_handle_at),
// and the legacy vhangup, sysfs and ustat. Only the parts the tests use are
// declared: the first fields of struct perf_event_attr and union bpf_attr
// (the kernel takes a size and zero-fills the rest).
//
// The layouts are the 64-bit ones, the same on x86-64, aarch64 and riscv64;
// the numbers come from the kernel's UAPI headers (linux/timex.h,
// linux/perf_event.h, linux/bpf.h, linux/quota.h, linux/module.h,
// linux/kexec.h, linux/reboot.h, linux/fcntl.h, linux/acct.h). Calls an
// architecture lacks (sysfs, ustat, kexec_file_load on some) have
// nr::NAME == -1 there.
#pragma once

#include "rt/sys.hpp"

// adjtimex(2), clock_adjtime(2): struct timex of 64-bit Linux (208 bytes).
struct timex {
    unsigned modes;
    long offset, freq, maxerror, esterror;
    int status;
    long constant, precision, tolerance;
    timeval time;
    long tick, ppsfreq, jitter;
    int shift;
    long stabil, jitcnt, calcnt, errcnt, stbcnt;
    int tai;
    int reserved[11];
};
static_assert(sizeof(timex) == 208);
static_assert(__builtin_offsetof(timex, tick) == 88);
static_assert(__builtin_offsetof(timex, tai) == 160);
// timex.modes bits.
inline constexpr unsigned ADJ_OFFSET = 0x0001, ADJ_FREQUENCY = 0x0002, ADJ_MAXERROR = 0x0004;
inline constexpr unsigned ADJ_ESTERROR = 0x0008, ADJ_STATUS = 0x0010, ADJ_TIMECONST = 0x0020;
inline constexpr unsigned ADJ_TAI = 0x0080, ADJ_SETOFFSET = 0x0100, ADJ_MICRO = 0x1000;
inline constexpr unsigned ADJ_NANO = 0x2000, ADJ_TICK = 0x4000;
inline constexpr unsigned ADJ_OFFSET_SINGLESHOT = 0x8001, ADJ_OFFSET_SS_READ = 0xa001;
// timex.status bits used here.
inline constexpr int STA_PLL = 0x0001, STA_UNSYNC = 0x0040, STA_NANO = 0x2000;
// Clock states (the result of adjtimex).
inline constexpr int TIME_OK = 0, TIME_INS = 1, TIME_DEL = 2, TIME_OOP = 3, TIME_WAIT = 4;
inline constexpr int TIME_ERROR = 5;

// perf_event_open(2): the first fields of struct perf_event_attr
// (PERF_ATTR_SIZE_VER1, 72 bytes); `flags` holds the bit fields
// (disabled, inherit, pinned, exclusive, exclude_user, exclude_kernel, ...).
struct perf_event_attr {
    u32 type;
    u32 size;
    u64 config;
    u64 sample_period;
    u64 sample_type;
    u64 read_format;
    u64 flags;
    u32 wakeup_events;
    u32 bp_type;
    u64 config1;
    u64 config2;
};
static_assert(sizeof(perf_event_attr) == 72);
inline constexpr u32 PERF_ATTR_SIZE_VER0 = 64, PERF_ATTR_SIZE_VER1 = 72;
inline constexpr u32 PERF_TYPE_HARDWARE = 0, PERF_TYPE_SOFTWARE = 1, PERF_TYPE_TRACEPOINT = 2;
inline constexpr u64 PERF_COUNT_SW_CPU_CLOCK = 0, PERF_COUNT_SW_TASK_CLOCK = 1;
inline constexpr u64 PERF_COUNT_SW_DUMMY = 9;
// perf_event_attr.flags bits.
inline constexpr u64 PERF_ATTR_DISABLED = 1ull << 0, PERF_ATTR_EXCLUDE_KERNEL = 1ull << 5;
inline constexpr u64 PERF_ATTR_EXCLUDE_HV = 1ull << 6;
// perf_event_open flags.
inline constexpr unsigned long PERF_FLAG_FD_NO_GROUP = 1, PERF_FLAG_FD_OUTPUT = 2;
inline constexpr unsigned long PERF_FLAG_PID_CGROUP = 4, PERF_FLAG_FD_CLOEXEC = 8;
// ioctl(2) on a perf event fd: _IO('$', 0), _IO('$', 1), _IO('$', 3).
inline constexpr unsigned long PERF_EVENT_IOC_ENABLE = 0x2400, PERF_EVENT_IOC_DISABLE = 0x2401;
inline constexpr unsigned long PERF_EVENT_IOC_RESET = 0x2403;

// bpf(2): commands, map types, update flags, and the two members of union
// bpf_attr the tests use (map creation; element access), padded to 72 bytes.
inline constexpr int BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2;
inline constexpr int BPF_MAP_DELETE_ELEM = 3, BPF_MAP_GET_NEXT_KEY = 4;
inline constexpr u32 BPF_MAP_TYPE_UNSPEC = 0, BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2;
inline constexpr u64 BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2;
union bpf_attr {
    struct {
        u32 map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
        char map_name[16];
    } map;
    struct {
        u32 map_fd;
        u32 pad;
        u64 key;
        u64 value;  // or next_key
        u64 flags;
    } elem;
    u8 bytes[72];
};
static_assert(sizeof(bpf_attr) == 72);

// quotactl(2): QCMD(cmd, type) = cmd << 8 | type.
inline constexpr unsigned QCMD(unsigned cmd, unsigned type) { return cmd << 8 | (type & 0xff); }
inline constexpr unsigned Q_SYNC = 0x800001, Q_QUOTAON = 0x800002, Q_QUOTAOFF = 0x800003;
inline constexpr unsigned Q_GETFMT = 0x800004, Q_GETINFO = 0x800005, Q_SETINFO = 0x800006;
inline constexpr unsigned Q_GETQUOTA = 0x800007, Q_SETQUOTA = 0x800008;
inline constexpr unsigned USRQUOTA = 0, GRPQUOTA = 1, PRJQUOTA = 2, MAXQUOTAS = 3;
inline constexpr u32 QFMT_VFS_OLD = 1, QFMT_VFS_V0 = 2, QFMT_VFS_V1 = 4;

// Modules: finit_module(2) flags; MODULE_NAME_LEN (64 - sizeof(long)).
inline constexpr int MODULE_INIT_IGNORE_MODVERSIONS = 1, MODULE_INIT_IGNORE_VERMAGIC = 2;
inline constexpr int MODULE_INIT_COMPRESSED_FILE = 4;
inline constexpr int MODULE_NAME_LEN = 56;

// kexec_load(2), kexec_file_load(2).
inline constexpr unsigned long KEXEC_ON_CRASH = 1, KEXEC_PRESERVE_CONTEXT = 2;
inline constexpr unsigned long KEXEC_ARCH_MASK = 0xffff0000ul, KEXEC_SEGMENT_MAX = 16;
inline constexpr unsigned long KEXEC_FILE_UNLOAD = 1, KEXEC_FILE_ON_CRASH = 2;
inline constexpr unsigned long KEXEC_FILE_NO_INITRAMFS = 4;
struct kexec_segment {
    const void* buf;
    usize bufsz;
    const void* mem;
    usize memsz;
};

// reboot(2): the other accepted second magic numbers (LINUX_REBOOT_MAGIC1
// and MAGIC2 are in rt/types.hpp).
inline constexpr unsigned LINUX_REBOOT_MAGIC2A = 85072278, LINUX_REBOOT_MAGIC2B = 369367448;
inline constexpr unsigned LINUX_REBOOT_MAGIC2C = 537993216;

// name_to_handle_at(2), open_by_handle_at(2): struct file_handle with room
// for the largest handle (MAX_HANDLE_SZ bytes).
inline constexpr u32 MAX_HANDLE_SZ = 128;
struct file_handle {
    u32 handle_bytes;
    int handle_type;
    u8 f_handle[MAX_HANDLE_SZ];
};
inline constexpr int AT_HANDLE_FID = 0x200;
// name_to_handle_at(2) flags of Linux 6.12 (MNT_ID_UNIQUE: mount_id is a u64)
// and 6.13, and the bits CONNECTABLE sets in handle_type (linux/exportfs.h).
inline constexpr int AT_HANDLE_MNT_ID_UNIQUE = 1, AT_HANDLE_CONNECTABLE = 2;
inline constexpr int FILEID_IS_CONNECTABLE = 0x10000, FILEID_IS_DIR = 0x20000;

// ustat(2): struct ustat of 64-bit Linux (f_tinode is an unsigned long).
struct ustat {
    int f_tfree;
    unsigned long f_tinode;
    char f_fname[6];
    char f_fpack[6];
};
static_assert(sizeof(ustat) == 32);

// acct(2): the version-3 record the kernel appends for each exiting process
// (CONFIG_BSD_PROCESS_ACCT_V3); comp_t times are 16-bit floats.
struct acct_v3 {
    char ac_flag;
    char ac_version;
    u16 ac_tty;
    u32 ac_exitcode, ac_uid, ac_gid, ac_pid, ac_ppid, ac_btime;
    float ac_etime;
    u16 ac_utime, ac_stime, ac_mem, ac_io, ac_rw, ac_minflt, ac_majflt, ac_swaps;
    char ac_comm[16];
};
static_assert(sizeof(acct_v3) == 64);
inline constexpr char AFORK = 0x01, ASU = 0x02, ACORE = 0x08, AXSIG = 0x10;
inline constexpr char ACCT_VERSION = 3;

namespace sys {

// int adjtimex(struct timex *buf);
inline long adjtimex(timex* tx) { return syscall1(nr::adjtimex, L(tx)); }
// int clock_adjtime(clockid_t clk_id, struct timex *buf);
inline long clock_adjtime(int clk, timex* tx) { return syscall2(nr::clock_adjtime, clk, L(tx)); }
// int perf_event_open(struct perf_event_attr *attr, pid_t pid, int cpu, int group_fd,
//                     unsigned long flags);
inline long perf_event_open(const void* attr, int pid, int cpu, int group_fd, unsigned long flags) {
    return syscall5(nr::perf_event_open, L(attr), pid, cpu, group_fd, L(flags));
}
// int bpf(int cmd, union bpf_attr *attr, unsigned int size);
inline long bpf(int cmd, const void* attr, unsigned size) {
    return syscall3(nr::bpf, cmd, L(attr), size);
}
// int quotactl(int cmd, const char *special, int id, caddr_t addr);
inline long quotactl(unsigned cmd, const char* special, int id, void* addr) {
    return syscall4(nr::quotactl, cmd, L(special), id, L(addr));
}
// int quotactl_fd(unsigned int fd, unsigned int cmd, int id, void *addr);
inline long quotactl_fd(int fd, unsigned cmd, int id, void* addr) {
    return syscall4(nr::quotactl_fd, fd, cmd, id, L(addr));
}
// int init_module(void *module_image, unsigned long len, const char *param_values);
inline long init_module(const void* image, unsigned long len, const char* params) {
    return syscall3(nr::init_module, L(image), L(len), L(params));
}
// int finit_module(int fd, const char *param_values, int flags);
inline long finit_module(int fd, const char* params, int flags) {
    return syscall3(nr::finit_module, fd, L(params), flags);
}
// int delete_module(const char *name, unsigned int flags);
inline long delete_module(const char* name, unsigned flags) {
    return syscall2(nr::delete_module, L(name), flags);
}
// long kexec_load(unsigned long entry, unsigned long nr_segments,
//                 struct kexec_segment *segments, unsigned long flags);
inline long kexec_load(unsigned long entry, unsigned long nsegs, const kexec_segment* segs,
                       unsigned long flags) {
    return syscall4(nr::kexec_load, L(entry), L(nsegs), L(segs), L(flags));
}
// long kexec_file_load(int kernel_fd, int initrd_fd, unsigned long cmdline_len,
//                      const char *cmdline, unsigned long flags);
inline long kexec_file_load(int kernel_fd, int initrd_fd, unsigned long cmdline_len,
                            const char* cmdline, unsigned long flags) {
    return syscall5(nr::kexec_file_load, kernel_fd, initrd_fd, L(cmdline_len), L(cmdline),
                    L(flags));
}
// int name_to_handle_at(int dirfd, const char *pathname, struct file_handle *handle,
//                       int *mount_id, int flags);
inline long name_to_handle_at(int dirfd, const char* path, file_handle* fh, int* mount_id,
                              int flags) {
    return syscall5(nr::name_to_handle_at, dirfd, L(path), L(fh), L(mount_id), flags);
}
// int open_by_handle_at(int mount_fd, struct file_handle *handle, int flags);
inline long open_by_handle_at(int mount_fd, const file_handle* fh, int flags) {
    return syscall3(nr::open_by_handle_at, mount_fd, L(fh), flags);
}
// int vhangup(void);
inline long vhangup() { return syscall0(nr::vhangup); }
// int sysfs(int option, ...): 1 (const char *fsname), 2 (unsigned fs_index, char *buf), 3 ().
inline long sysfs(int option, long arg1 = 0, long arg2 = 0) {
    return syscall3(nr::sysfs, option, arg1, arg2);
}
// int ustat(dev_t dev, struct ustat *ubuf);
inline long ustat(unsigned dev, struct ustat* ubuf) { return syscall2(nr::ustat, dev, L(ubuf)); }

}  // namespace sys
