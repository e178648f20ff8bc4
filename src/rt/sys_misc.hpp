// Raw wrappers, kernel types and small helpers for the credentials area
// (src/tests/cred: set*id, groups, capabilities, cred-related prctl) and the
// miscellaneous system calls (src/tests/misc: getrandom, sysinfo,
// personality, ioctl basics, fadvise/readahead/sync, process_vm_*, kcmp,
// membarrier, rseq, robust lists, UTS names, unshare, syslog, acct, swap and
// mount permission checks). Same conventions as rt/sys.hpp: the kernel's
// result is returned unchanged, -errno on failure.
//
// Every layout and value here is the same on x86-64, aarch64 and riscv64
// (asm-generic ioctl numbers, 64-bit struct sysinfo, struct rseq). Constants
// and structs live in namespace km so that they never collide with another
// area's header; tests say `using namespace km;`.
#pragma once

#include "rt/sys.hpp"

namespace km {

// Credentials.
inline constexpr u32 kNobody = 65534;      // the overflow uid/gid, and setpriv's default
inline constexpr u32 kNoId = 0xffffffffu;  // (uid_t)-1: "leave unchanged" for setre*/setres*
inline constexpr int NGROUPS_MAX = 65536;

// capget(2)/capset(2) (linux/capability.h).
struct CapHeader {
    u32 version;
    int pid;
};
struct CapData {
    u32 effective, permitted, inheritable;
};
static_assert(sizeof(CapHeader) == 8 && sizeof(CapData) == 12);
inline constexpr u32 CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;
inline constexpr int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_KILL = 5, CAP_SETGID = 6;
inline constexpr int CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_SYS_ADMIN = 21, CAP_SYSLOG = 34;

// prctl(2) options of the credentials area (linux/prctl.h, linux/securebits.h).
inline constexpr int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4;
inline constexpr int PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8;
inline constexpr int PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24;
inline constexpr int PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28;
inline constexpr int PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;
inline constexpr int PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_IS_SET = 1, PR_CAP_AMBIENT_RAISE = 2;
inline constexpr int PR_CAP_AMBIENT_LOWER = 3, PR_CAP_AMBIENT_CLEAR_ALL = 4;
inline constexpr long SECBIT_NOROOT = 1, SECBIT_KEEP_CAPS = 16, SECBIT_KEEP_CAPS_LOCKED = 32;

// getrandom(2).
inline constexpr unsigned GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

// sysinfo(2): the 64-bit layout (the 20-byte padding tail is empty there).
struct Sysinfo {
    long uptime;
    unsigned long loads[3];
    unsigned long totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    unsigned short procs, pad;
    unsigned long totalhigh, freehigh;
    unsigned mem_unit;
};
static_assert(sizeof(Sysinfo) == 112);

// personality(2) (linux/personality.h).
inline constexpr unsigned long PER_QUERY = 0xffffffff, PER_LINUX = 0;
inline constexpr unsigned long ADDR_NO_RANDOMIZE = 0x0040000, READ_IMPLIES_EXEC = 0x0400000;
inline constexpr unsigned long UNAME26 = 0x0020000;

// ioctl(2) requests of the generic tty/file layer (asm-generic/ioctls.h,
// linux/fs.h): the same numbers on the three architectures.
inline constexpr unsigned long TCGETS = 0x5401, TIOCGWINSZ = 0x5413, FIONREAD = 0x541B;
inline constexpr unsigned long FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;
inline constexpr unsigned long FIOASYNC = 0x5452, FIOQSIZE = 0x5460, FIGETBSZ = 2;
inline constexpr int O_ASYNC = 020000;

// posix_fadvise(2) advice (asm-generic values; s390 alone differs).
inline constexpr int POSIX_FADV_NORMAL = 0, POSIX_FADV_RANDOM = 1, POSIX_FADV_SEQUENTIAL = 2;
inline constexpr int POSIX_FADV_WILLNEED = 3, POSIX_FADV_DONTNEED = 4, POSIX_FADV_NOREUSE = 5;

// kcmp(2) types.
inline constexpr int KCMP_FILE = 0, KCMP_VM = 1, KCMP_FILES = 2, KCMP_FS = 3, KCMP_SIGHAND = 4;
inline constexpr int KCMP_IO = 5, KCMP_SYSVSEM = 6, KCMP_EPOLL_TFD = 7, KCMP_TYPES = 8;

// membarrier(2) commands (linux/membarrier.h).
inline constexpr int MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL = 1;
inline constexpr int MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2;
inline constexpr int MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64;
inline constexpr int MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 128;
inline constexpr int MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256;
inline constexpr int MEMBARRIER_CMD_GET_REGISTRATIONS = 512;

// rseq(2): the original 32-byte, 32-byte-aligned area (linux/rseq.h). The
// signature is only compared when a critical section aborts, so any value
// works for registration; this is x86's RSEQ_SIG.
struct alignas(32) Rseq {
    u32 cpu_id_start;
    u32 cpu_id;
    u64 rseq_cs;
    u32 flags;
    u32 node_id;
    u32 mm_cid;
};
static_assert(sizeof(Rseq) == 32);
inline constexpr u32 kRseqSig = 0x53053053;
inline constexpr int RSEQ_FLAG_UNREGISTER = 1;
inline constexpr u32 RSEQ_CPU_ID_UNINITIALIZED = 0xffffffffu;

// set_robust_list(2): struct robust_list_head.
struct RobustHead {
    void* next;
    long futex_offset;
    void* list_op_pending;
};
static_assert(sizeof(RobustHead) == 24);

// syslog(2) actions.
inline constexpr int SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2;
inline constexpr int SYSLOG_ACTION_READ_ALL = 3, SYSLOG_ACTION_READ_CLEAR = 4;
inline constexpr int SYSLOG_ACTION_CLEAR = 5, SYSLOG_ACTION_CONSOLE_OFF = 6;
inline constexpr int SYSLOG_ACTION_CONSOLE_ON = 7, SYSLOG_ACTION_CONSOLE_LEVEL = 8;
inline constexpr int SYSLOG_ACTION_SIZE_UNREAD = 9, SYSLOG_ACTION_SIZE_BUFFER = 10;

// Namespace flags of unshare(2) beyond rt/types.hpp.
inline constexpr long CLONE_NEWTIME = 0x80, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000;
inline constexpr long CLONE_NEWCGROUP = 0x02000000, CLONE_NEWUTS = 0x04000000;
inline constexpr long CLONE_NEWIPC = 0x08000000, CLONE_NEWUSER = 0x10000000;
inline constexpr long CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000;
inline constexpr long CLONE_IO = 0x80000000L;

// umount2(2) flags, mount(2) flags, swapon(2) flags.
inline constexpr int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;
inline constexpr unsigned long MS_RDONLY = 1;
inline constexpr int SWAP_FLAG_PREFER = 0x8000, SWAP_FLAG_DISCARD = 0x10000;

// A user-space address that is never mapped (the first page), and one in the
// kernel half (non-canonical or kernel on all three architectures); the
// integer forms are for constexpr tables.
inline constexpr u64 kBadAddr = 8, kKernelAddr = 0xffff800000000000ull;
inline void* const kBadPtr = reinterpret_cast<void*>(kBadAddr);
inline void* const kKernelPtr = reinterpret_cast<void*>(kKernelAddr);

}  // namespace km

namespace sys {

// Credentials.
inline long setuid(u32 id) { return syscall1(nr::setuid, id); }
inline long setgid(u32 id) { return syscall1(nr::setgid, id); }
inline long setreuid(u32 r, u32 e) { return syscall2(nr::setreuid, r, e); }
inline long setregid(u32 r, u32 e) { return syscall2(nr::setregid, r, e); }
inline long setresuid(u32 r, u32 e, u32 s) { return syscall3(nr::setresuid, r, e, s); }
inline long setresgid(u32 r, u32 e, u32 s) { return syscall3(nr::setresgid, r, e, s); }
inline long getresuid(u32* r, u32* e, u32* s) { return syscall3(nr::getresuid, L(r), L(e), L(s)); }
inline long getresgid(u32* r, u32* e, u32* s) { return syscall3(nr::getresgid, L(r), L(e), L(s)); }
inline long setfsuid(u32 id) { return syscall1(nr::setfsuid, id); }
inline long setfsgid(u32 id) { return syscall1(nr::setfsgid, id); }
inline long getgroups(int n, u32* list) { return syscall2(nr::getgroups, n, L(list)); }
inline long setgroups(long n, const u32* list) { return syscall2(nr::setgroups, n, L(list)); }
inline long capget(km::CapHeader* h, km::CapData* d) { return syscall2(nr::capget, L(h), L(d)); }
inline long capset(km::CapHeader* h, const km::CapData* d) {
    return syscall2(nr::capset, L(h), L(d));
}

// Miscellaneous.
inline long getrandom(void* buf, usize n, unsigned flags) {
    return syscall3(nr::getrandom, L(buf), L(n), flags);
}
inline long sysinfo(km::Sysinfo* si) { return syscall1(nr::sysinfo, L(si)); }
inline long personality(unsigned long p) { return syscall1(nr::personality, L(p)); }
inline long sync() { return syscall0(nr::sync); }
inline long syncfs(int fd) { return syscall1(nr::syncfs, fd); }
inline long fadvise64(int fd, long off, long len, long advice) {
    return syscall4(nr::fadvise64, fd, off, len, advice);
}
inline long readahead(int fd, long off, long count) {
    return syscall3(nr::readahead, fd, off, count);
}
inline long process_vm_readv(int pid, const iovec* l, unsigned long ln, const iovec* r,
                             unsigned long rn, unsigned long flags) {
    return syscall6(nr::process_vm_readv, pid, L(l), L(ln), L(r), L(rn), L(flags));
}
inline long process_vm_writev(int pid, const iovec* l, unsigned long ln, const iovec* r,
                              unsigned long rn, unsigned long flags) {
    return syscall6(nr::process_vm_writev, pid, L(l), L(ln), L(r), L(rn), L(flags));
}
inline long kcmp(int pid1, int pid2, int type, unsigned long a, unsigned long b) {
    return syscall5(nr::kcmp, pid1, pid2, type, L(a), L(b));
}
inline long membarrier(int cmd, unsigned flags, int cpu) {
    return syscall3(nr::membarrier, cmd, flags, cpu);
}
inline long rseq(void* area, u32 len, int flags, u32 sig) {
    return syscall4(nr::rseq, L(area), len, flags, sig);
}
inline long set_robust_list(void* head, usize len) {
    return syscall2(nr::set_robust_list, L(head), L(len));
}
inline long get_robust_list(int pid, void** head, usize* len) {
    return syscall3(nr::get_robust_list, pid, L(head), L(len));
}
inline long sethostname(const char* name, long len) {
    return syscall2(nr::sethostname, L(name), len);
}
inline long setdomainname(const char* name, long len) {
    return syscall2(nr::setdomainname, L(name), len);
}
inline long unshare(long flags) { return syscall1(nr::unshare, flags); }
inline long syslog(int type, char* buf, long len) {
    return syscall3(nr::syslog, type, L(buf), len);
}
inline long acct(const char* path) { return syscall1(nr::acct, L(path)); }
inline long swapon(const char* path, long flags) { return syscall2(nr::swapon, L(path), flags); }
inline long swapoff(const char* path) { return syscall1(nr::swapoff, L(path)); }
inline long mount(const char* src, const char* target, const char* type, unsigned long flags,
                  const void* data) {
    return syscall5(nr::mount, L(src), L(target), L(type), L(flags), L(data));
}
inline long umount2(const char* target, long flags) {
    return syscall2(nr::umount2, L(target), flags);
}

}  // namespace sys

// Helpers shared by the credentials and misc tests. They run in the test
// process or in the children it creates.
namespace km {

inline void fill(void* p, u8 v, usize n) {
    u8* b = static_cast<u8*>(p);
    for (usize i = 0; i < n; ++i) b[i] = v;
}

// The calling process's effective/permitted/inheritable sets, 64 bits each.
struct Caps {
    u64 eff, prm, inh;
};
inline bool get_caps(int pid, Caps* c) {
    CapHeader h{CAP_V3, pid};
    CapData d[2] = {};
    if (sys::capget(&h, d) != 0) return false;
    c->eff = d[0].effective | u64(d[1].effective) << 32;
    c->prm = d[0].permitted | u64(d[1].permitted) << 32;
    c->inh = d[0].inheritable | u64(d[1].inheritable) << 32;
    return true;
}
inline long set_caps(const Caps& c) {
    CapHeader h{CAP_V3, 0};
    CapData d[2] = {{u32(c.eff), u32(c.prm), u32(c.inh)},
                    {u32(c.eff >> 32), u32(c.prm >> 32), u32(c.inh >> 32)}};
    return sys::capset(&h, d);
}
inline constexpr u64 capbit(int cap) { return 1ull << cap; }
// True when the calling process has `cap` in its effective set.
inline bool has_cap(int cap) {
    Caps c{};
    return get_caps(0, &c) && (c.eff & capbit(cap));
}

// In a child: replaces the process image with this binary run as the exec
// helper named by `arg` ("--exec-helper=NAME"); exits 127 if execve failed.
[[noreturn]] inline void exec_helper(const char* self, const char* arg) {
    const char* argv[] = {self, arg, nullptr};
    const char* envp[] = {nullptr};
    sys::syscall3(nr::execve, sys::L(argv[0]), sys::L(argv), sys::L(envp));
    sys::exit_group(127);
}

}  // namespace km
