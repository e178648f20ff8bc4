// SPDX-License-Identifier: MIT
// System V shared memory: shmget(2), shmat(2), shmdt(2), shmctl(2).
// Covers creation (sizes, limits, zero fill, IPC_PRIVATE), attach/detach
// and data persistence, aliasing of two attachments, sharing with a child,
// SHM_RDONLY (a write faults), addresses (SHMLBA alignment, SHM_RND,
// SHM_REMAP), shmdt of addresses that are not attachments, IPC_STAT counts
// and pids, IPC_RMID while attached, IPC_SET/IPC_INFO/SHM_STAT, permissions
// by euid, and leak tests (create/remove across kernel.shmmni, attach/detach
// across a lowered RLIMIT_AS).
// Profile: XSI IPC is not part of the PSE51-PSE53 profiles, so every test is
// LINUX. Not covered: fixed keys (other suite instances share the key
// space), SHM_LOCK/SHM_UNLOCK (memory locking limits), SHM_HUGETLB, SHMMNI
// and SHMALL exhaustion (system-wide), SHM_EXEC.
#include "tests/common/common_util.hpp"
#include "tests/sysv/sysv_util.hpp"

namespace {

using sysv::Shm;

// Attaches; returns the address or nullptr (recording a failure).
u8* attach(int id, const void* addr = nullptr, int flg = 0) {
    long r = sys::shmat(id, addr, flg);
    if (!EXPECT_OK(r)) return nullptr;
    return reinterpret_cast<u8*>(r);
}
u64 nattch(int id) { return sysv::shm_stat(id).shm_nattch; }
// A free, SHMLBA-aligned range of `pages` pages (reserved, then released).
uptr free_range(usize pages) {
    usize pg = mm::page_size();
    long r = sys::mmap(nullptr, pages * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r < 0) return 0;
    sys::munmap(reinterpret_cast<void*>(r), pages * pg);
    return uptr(r);
}

}  // namespace

// shmget(2): IPC_PRIVATE always makes a new segment, with or without
// IPC_CREAT|IPC_EXCL; the ids differ.
struct GetFlags {
    const char* label;
    int flags;
};
constexpr GetFlags kGetFlags[] = {
    {"flags=0", 0}, {"IPC_CREAT", IPC_CREAT}, {"IPC_CREAT|IPC_EXCL", IPC_CREAT | IPC_EXCL}};
TEST_P(shmget, private_always_creates, POSITIVE, LINUX, kGetFlags) {
    Shm a;
    long b = sys::shmget(IPC_PRIVATE, 4096, row.flags | 0600);
    EXPECT_OK(a.id);
    EXPECT_OK(b);
    EXPECT_NE(b, a.id);
    if (b >= 0) EXPECT_OK(sys::shmctl(int(b), IPC_RMID, nullptr));
}

// shmget(2): size below SHMMIN (1) or above SHMMAX is EINVAL.
struct BadSize {
    const char* label;
    usize size;  // 1: SHMMAX + 1
};
constexpr BadSize kBadSizes[] = {{"0", 0}, {"SIZE_MAX", ~usize(0)}, {"shmmax+1", 1}};
TEST_P(shmget, size_invalid_einval, BOUNDARY, LINUX, kBadSizes) {
    usize size = row.size;
    if (size == 1) {
        shminfo64 si{};
        sysv::need(sys::shmctl(0, IPC_INFO, &si), "no System V shared memory");
        if (si.shmmax == ~u64(0)) kc::skip("SHMMAX is the largest size_t");
        size = si.shmmax + 1;
    }
    long r =
        sysv::need(sys::shmget(IPC_PRIVATE, size, IPC_CREAT | 0600), "no System V shared memory");
    EXPECT_ERR(r, EINVAL);
    if (r >= 0) sys::shmctl(int(r), IPC_RMID, nullptr);
}

// shmget(2): shm_segsz is the size asked for (not rounded), the memory is
// zero-filled and usable up to the end of the last page.
struct Size {
    const char* label;
    usize size;
};
constexpr Size kSizes[] = {
    {"1", 1}, {"4095", 4095}, {"4096", 4096}, {"4097", 4097}, {"65537", 65537}};
TEST_P(shmget, size_and_zero_fill, BOUNDARY, LINUX, kSizes) {
    Shm s(row.size);
    shmid64_ds d = sysv::shm_stat(s.id);
    EXPECT_EQ(d.shm_segsz, row.size);
    EXPECT_EQ(d.shm_nattch, 0);
    EXPECT_EQ(d.shm_cpid, sys::getpid());
    EXPECT_EQ(d.shm_lpid, 0);
    EXPECT_EQ(d.shm_atime, 0);
    EXPECT_EQ(d.shm_perm.mode & 0777, 0600);
    EXPECT_EQ(d.shm_perm.cuid, sys::geteuid());
    u8* p = attach(s.id);
    if (!p) return;
    usize pg = mm::page_size();
    usize end = (row.size + pg - 1) & ~(pg - 1);
    u8 any = 0;
    for (usize i = 0; i < end; ++i) any |= p[i];
    EXPECT_EQ(any, 0);
    p[end - 1] = 0x5a;  // the rounded-up tail is mapped
    EXPECT_OK(sys::shmdt(p));
}

// Leak test: segments created and removed; one more still works. A segment
// that IPC_RMID failed to free keeps its id, and ids are limited system-wide
// by kernel.shmmni (4096 by default): the loop crosses it by 64 (ENOSPC on a
// leak). A larger shmmni is crossed up to the old count, 10,000, kept in the
// ID; 10,000 when it cannot be read.
TEST(shmget, create_remove_10000, BOUNDARY, LINUX, .flags = kc::SLOW) {
    long rounds = common::proc_number("/proc/sys/kernel/shmmni");
    rounds = rounds < 0 || rounds + 64 > 10000 ? 10000 : rounds + 64;
    for (long i = 0; i < rounds; ++i) {
        long id = sysv::new_shm(4096);
        if (id < 0 || sys::shmctl(int(id), IPC_RMID, nullptr) != 0) {
            ADD_FAILURE("create or remove failed");
            return;
        }
    }
    Shm s;
    u8* p = attach(s.id);
    if (p) EXPECT_OK(sys::shmdt(p));
}

// Leak test: one segment attached and detached again and again; nattch is
// back to 0 and the data written on the first pass is still there. Each
// attachment maps the segment into the address space: the loop crosses
// RLIMIT_AS, lowered to 256 KiB above what the process maps
// (common::limit_vm_room), four times over, so an attachment that shmdt
// leaves mapped fails shmat with ENOMEM within 64 of its 256 rounds. (The ID
// keeps its old count, 10,000, which crossed no limit.)
TEST(shmat, attach_detach_10000, BOUNDARY, LINUX) {
    Shm s;
    common::limit_vm_room(RLIMIT_AS, common::kVmLeakRoom);
    constexpr int kRounds = int(4 * common::kVmLeakRoom / 4096);
    for (int i = 0; i < kRounds; ++i) {
        long r = sys::shmat(s.id, nullptr, 0);
        if (r < 0) {
            EXPECT_OK(r);
            return;
        }
        u8* p = reinterpret_cast<u8*>(r);
        if (i == 0) p[100] = 0x77;
        if (p[100] != 0x77 || sys::shmdt(p) != 0) {
            ADD_FAILURE("data lost or shmdt failed");
            return;
        }
    }
    EXPECT_EQ(nattch(s.id), 0);
}

// shmat(2)/shmdt(2): data written through one attachment is there after
// detaching and attaching again.
TEST(shmat, write_detach_reattach_sees_data, POSITIVE, LINUX) {
    Shm s(8192);
    u8* p = attach(s.id);
    if (!p) return;
    for (int i = 0; i < 8192; ++i) p[i] = u8(i * 13 + 1);
    EXPECT_OK(sys::shmdt(p));
    u8* q = attach(s.id);
    if (!q) return;
    bool same = true;
    for (int i = 0; i < 8192; ++i) same &= q[i] == u8(i * 13 + 1);
    EXPECT_TRUE(same);
    EXPECT_OK(sys::shmdt(q));
}

// shmat(2): two attachments of one segment are different addresses of the
// same memory; nattch counts both.
TEST(shmat, two_attachments_alias, POSITIVE, LINUX) {
    Shm s;
    u8* a = attach(s.id);
    u8* b = attach(s.id);
    if (a && b) {
        EXPECT_NE(long(a), long(b));
        EXPECT_EQ(nattch(s.id), 2);
        a[10] = 1;
        EXPECT_EQ(b[10], 1);
        b[4095] = 2;
        EXPECT_EQ(a[4095], 2);
    }
    if (a) EXPECT_OK(sys::shmdt(a));
    if (b) EXPECT_OK(sys::shmdt(b));
}

// shmat(2), fork(2): the attachment is inherited (nattch counts the child's)
// and shared: the child sees the parent's writes and the parent the
// child's; the child's exit detaches it.
static void child_rw(void* arg) {
    auto* p = static_cast<volatile u32*>(arg);
    EXPECT_EQ(p[0], 0xfeedu);
    p[1] = 0xbeefu;
}
TEST(shmat, child_shares_attachment, POSITIVE, LINUX, .flags = kc::NEEDS_FORK) {
    Shm s;
    u8* p = attach(s.id);
    if (!p) return;
    auto* w = reinterpret_cast<volatile u32*>(p);
    w[0] = 0xfeed;
    long pid = kc::spawn(child_rw, p);
    EXPECT_OK(pid);
    if (pid >= 0) {
        EXPECT_CHILD_OK(pid);
        EXPECT_EQ(w[1], 0xbeefu);
    }
    EXPECT_EQ(nattch(s.id), 1);
    EXPECT_OK(sys::shmdt(p));
}

// shmat(2) SHM_RDONLY: a write to a read-only attachment raises SIGSEGV;
// shmdt(2): an access after detaching raises SIGSEGV. (In a child.)
struct Fault {
    const char* label;
    int flg;
    bool detach;
};
constexpr Fault kFaults[] = {{"rdonly_write", SHM_RDONLY, false}, {"read_after_shmdt", 0, true}};
static const Fault* g_fault;
static void fault_child(void* arg) {
    auto* p = static_cast<volatile u8*>(arg);
    proc::no_core();
    proc::default_signal(SIGSEGV);
    if (g_fault->detach) {
        sys::shmdt(const_cast<u8*>(p));
        (void)p[0];
    } else {
        p[0] = 1;
    }
    sys::exit_group(3);
}
TEST_P(shmat, access_faults_sigsegv, NEGATIVE, LINUX, kFaults, .flags = kc::NEEDS_FORK) {
    Shm s;
    u8* p = attach(s.id, nullptr, row.flg);
    if (!p) return;
    EXPECT_EQ(p[0], 0);  // readable
    g_fault = &row;
    long pid = kc::spawn(fault_child, p);
    EXPECT_OK(pid);
    if (pid >= 0) {
        int st = kc::wait_status(pid);
        EXPECT_EQ(st & 0x7f, SIGSEGV);
    }
    EXPECT_OK(sys::shmdt(p));
}

// shmat(2): shmaddr not a multiple of SHMLBA (the page size on x86-64,
// aarch64, riscv64) is EINVAL without SHM_RND; with SHM_RND it is rounded
// down to SHMLBA.
struct Off {
    const char* label;
    usize off;
};
constexpr Off kOffs[] = {{"1", 1}, {"123", 123}, {"2048", 2048}, {"4095", 4095}};
TEST_P(shmat, unaligned_addr_einval_or_rounded, BOUNDARY, LINUX, kOffs) {
    Shm s;
    uptr base = free_range(4);
    if (!EXPECT_NE(base, 0)) return;
    usize pg = mm::page_size();
    auto* addr = reinterpret_cast<void*>(base + pg + row.off % pg);
    EXPECT_ERR(sys::shmat(s.id, addr, 0), EINVAL);
    u8* p = attach(s.id, addr, SHM_RND);
    if (!p) return;
    EXPECT_EQ(uptr(p), base + pg);
    EXPECT_OK(sys::shmdt(p));
}

// shmat(2): an aligned shmaddr is used as is; over an existing mapping it
// is EINVAL unless SHM_REMAP (Linux) is given; SHM_REMAP with a null
// address is EINVAL.
TEST(shmat, fixed_addr_and_shm_remap, BOUNDARY, LINUX) {
    Shm s;
    u8* a = attach(s.id);
    if (!a) return;
    a[0] = 9;
    uptr base = free_range(4);
    u8* b = attach(s.id, reinterpret_cast<void*>(base + mm::page_size()));
    if (b) {
        EXPECT_EQ(uptr(b), base + mm::page_size());
        EXPECT_EQ(b[0], 9);
        EXPECT_ERR(sys::shmat(s.id, a, 0), EINVAL);
        EXPECT_RET(sys::shmat(s.id, a, SHM_REMAP), long(a));  // replaces it in place
        EXPECT_EQ(nattch(s.id), 2);
        EXPECT_OK(sys::shmdt(b));
    }
    EXPECT_ERR(sys::shmat(s.id, nullptr, SHM_REMAP), EINVAL);
    EXPECT_OK(sys::shmdt(a));
}

// shmat(2): an id that names no segment (negative, or removed and not
// attached) is EINVAL.
TEST(shmat, bad_or_removed_id_einval, NEGATIVE, LINUX) {
    long id = sysv::new_shm(4096);
    ASSERT_OK(id);
    ASSERT_OK(sys::shmctl(int(id), IPC_RMID, nullptr));
    EXPECT_ERR(sys::shmat(int(id), nullptr, 0), EINVAL);
    EXPECT_ERR(sys::shmat(-1, nullptr, 0), EINVAL);
    shmid64_ds d;
    EXPECT_ERR(sys::shmctl(int(id), IPC_STAT, &d), EINVAL);
    EXPECT_ERR(sys::shmctl(int(id), IPC_RMID, nullptr), EINVAL);
}

// shmctl(2) IPC_RMID while attached: the segment lives on until the last
// detach (SHM_DEST is set in the mode, the key becomes IPC_PRIVATE), the
// mapping keeps working, and Linux still lets it be attached by id; after
// the last shmdt the id is gone (EINVAL).
TEST(shmctl, rmid_while_attached_keeps_mapping, POSITIVE, LINUX) {
    long id = sysv::new_shm(4096);
    ASSERT_OK(id);
    long r = sys::shmat(int(id), nullptr, 0);
    if (r < 0) sys::shmctl(int(id), IPC_RMID, nullptr);
    ASSERT_OK(r);
    u8* p = reinterpret_cast<u8*>(r);
    p[5] = 55;
    EXPECT_OK(sys::shmctl(int(id), IPC_RMID, nullptr));
    shmid64_ds d = sysv::shm_stat(int(id));
    EXPECT_EQ(d.shm_nattch, 1);
    EXPECT_EQ(d.shm_perm.mode & 01000, 01000);  // SHM_DEST
    EXPECT_EQ(p[5], 55);
    p[6] = 66;
    long r2 = sys::shmat(int(id), nullptr, 0);
    EXPECT_OK(r2);
    if (r2 >= 0) {
        EXPECT_EQ(reinterpret_cast<u8*>(r2)[6], 66);
        EXPECT_OK(sys::shmdt(reinterpret_cast<void*>(r2)));
    }
    EXPECT_OK(sys::shmdt(p));
    EXPECT_ERR(sys::shmctl(int(id), IPC_STAT, &d), EINVAL);
}

// shmdt(2): an address that is not the start of an attachment is EINVAL
// (a stack address, a private mapping, an unaligned or inner address of an
// attachment, null).
struct NotAttached {
    const char* label;
    int what;
};
constexpr NotAttached kNotAttached[] = {
    {"stack", 0}, {"anon_mmap", 1}, {"unaligned_in_segment", 2}, {"null", 3}, {"detached", 4}};
TEST_P(shmdt, not_attached_einval, NEGATIVE, LINUX, kNotAttached) {
    Shm s(8192);
    u8* p = attach(s.id);
    if (!p) return;
    long m = sys::mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_OK(m);
    char local[8];
    void* addr = row.what == 0   ? static_cast<void*>(local)
                 : row.what == 1 ? reinterpret_cast<void*>(m)
                 : row.what == 2 ? static_cast<void*>(p + 8)
                                 : nullptr;
    if (row.what == 4) {
        EXPECT_OK(sys::shmdt(p));
        addr = p;
    }
    EXPECT_ERR(sys::shmdt(addr), EINVAL);
    EXPECT_EQ(nattch(s.id), row.what == 4 ? 0 : 1);
    if (row.what != 4) EXPECT_OK(sys::shmdt(p));
    if (m >= 0) sys::munmap(reinterpret_cast<void*>(m), 4096);
}

// shmctl(2) IPC_STAT: nattch counts attachments up and down; lpid is the
// last shmat/shmdt caller; atime/dtime are set by them.
TEST(shmctl, ipc_stat_nattch_and_pids, POSITIVE, LINUX) {
    Shm s;
    u8* a = attach(s.id);
    shmid64_ds d = sysv::shm_stat(s.id);
    EXPECT_EQ(d.shm_nattch, 1);
    EXPECT_EQ(d.shm_lpid, sys::getpid());
    EXPECT_EQ(d.shm_cpid, sys::getpid());
    EXPECT_GT(d.shm_atime, 0);
    EXPECT_EQ(d.shm_dtime, 0);
    u8* b = attach(s.id, nullptr, SHM_RDONLY);
    EXPECT_EQ(nattch(s.id), 2);
    if (b) EXPECT_OK(sys::shmdt(b));
    EXPECT_EQ(nattch(s.id), 1);
    if (a) EXPECT_OK(sys::shmdt(a));
    d = sysv::shm_stat(s.id);
    EXPECT_EQ(d.shm_nattch, 0);
    EXPECT_GT(d.shm_dtime, 0);
}

// shmctl(2) IPC_SET: the mode's permission bits change; a bad buffer is
// EFAULT for IPC_STAT and IPC_SET. Where this process's ids are unmapped in
// its user namespace, IPC_STAT reads the owner back as the overflow id, and
// IPC_SET rejects that id with EINVAL, changing nothing (ipc_update_perm).
TEST(shmctl, ipc_set_mode_and_efault, POSITIVE, LINUX) {
    Shm s;
    shmid64_ds d = sysv::shm_stat(s.id);
    d.shm_perm.mode = 0640;
    bool mapped = kc::own_ids_mapped();
    if (mapped) {
        EXPECT_OK(sys::shmctl(s.id, IPC_SET, &d));
    } else {
        EXPECT_ERR(sys::shmctl(s.id, IPC_SET, &d), EINVAL);
    }
    EXPECT_EQ(sysv::shm_stat(s.id).shm_perm.mode & 0777, mapped ? 0640 : 0600);
    EXPECT_ERR(sys::shmctl(s.id, IPC_STAT, reinterpret_cast<void*>(8)), EFAULT);
    EXPECT_ERR(sys::shmctl(s.id, IPC_SET, reinterpret_cast<void*>(8)), EFAULT);
}

// shmctl(2): an unknown command is EINVAL.
constexpr sysv::Cmd kBadCmds[] = {{"-1", -1}, {"4", 4}, {"10", 10}, {"16", 16}, {"1000", 1000}};
TEST_P(shmctl, bad_cmd_einval, NEGATIVE, LINUX, kBadCmds) {
    Shm s;
    shmid64_ds d{};
    EXPECT_ERR(sys::shmctl(s.id, row.cmd, &d), EINVAL);
}

// shmctl(2) IPC_INFO and SHM_STAT: the limits (SHMMIN is 1 on Linux) and,
// by index (id mod 32768), the segment's full id.
TEST(shmctl, ipc_info_and_shm_stat, POSITIVE, LINUX) {
    Shm s(12345);
    shminfo64 si{};
    EXPECT_GE(sys::shmctl(0, IPC_INFO, &si), s.id & 0x7fff);
    EXPECT_EQ(si.shmmin, 1);
    EXPECT_TRUE(si.shmmax >= 12345);  // unsigned: the default is near 2^64
    shmid64_ds d{};
    EXPECT_RET(sys::shmctl(s.id & 0x7fff, SHM_STAT, &d), s.id);
    EXPECT_EQ(d.shm_segsz, 12345);
}

// svipc(7): shmat needs read (SHM_RDONLY) or read and write permission,
// else EACCES for a caller without CAP_IPC_OWNER over the IPC namespace,
// even the owner: the attach runs in an unprivileged child that owns the
// segment (sysv::hand_over). A caller with the capability (this process,
// when it has it) is permitted.
struct Access {
    const char* label;
    int mode;
    int flg;
    bool ok;  // for a caller without CAP_IPC_OWNER
};
constexpr Access kAccess[] = {{"mode0_rw", 0, 0, false},
                              {"mode0_rdonly", 0, SHM_RDONLY, false},
                              {"mode0400_rw", 0400, 0, false},
                              {"mode0400_rdonly", 0400, SHM_RDONLY, true},
                              {"mode0200_rw", 0200, 0, false}};
struct AccessArg {
    const Access* row;
    int id;
};
static void shmat_owner_child(void* arg) {
    const AccessArg& a = *static_cast<const AccessArg*>(arg);
    sysv::become_denied();
    long r = sys::shmat(a.id, nullptr, a.row->flg);
    if (a.row->ok) {
        EXPECT_OK(r);
    } else {
        EXPECT_ERR(r, EACCES);
    }
    if (r >= 0) EXPECT_OK(sys::shmdt(reinterpret_cast<void*>(r)));
}
TEST_P(shmat, permission_by_euid, NEGATIVE, LINUX, kAccess, .flags = kc::NEEDS_FORK) {
    sysv::need_denial();
    Shm s(4096, sysv::denial_mode(row.mode));
    ASSERT_OK(s.id);
    sysv::hand_over(sysv::SHM, s.id, row.mode);
    AccessArg a{&row, s.id};
    long pid = kc::spawn(shmat_owner_child, &a);
    ASSERT_OK(pid);
    EXPECT_CHILD_OK(pid);
    if (!sysv::ipc_owner()) return;
    long r = sys::shmat(s.id, nullptr, row.flg);
    EXPECT_OK(r);
    if (r >= 0) sys::shmdt(reinterpret_cast<void*>(r));
}

// svipc(7): another user (kc::other_uid(), without capabilities, in a
// child) may not attach a 0600 segment (EACCES) nor remove it (EPERM).
static void other_user_shm(void* arg) {
    int id = int(long(arg));
    if (!kc::become_other_user()) {
        ADD_FAILURE("cannot become the other user");
        return;
    }
    EXPECT_ERR(sys::shmat(id, nullptr, SHM_RDONLY), EACCES);
    shmid64_ds d;
    EXPECT_ERR(sys::shmctl(id, IPC_STAT, &d), EACCES);
    EXPECT_ERR(sys::shmctl(id, IPC_RMID, nullptr), EPERM);
}
TEST(shmctl, other_user_denied, NEGATIVE, LINUX, .flags = kc::NEEDS_FORK) {
    kc::require_other_user();
    Shm s;
    long pid = kc::spawn(other_user_shm, reinterpret_cast<void*>(long(s.id)));
    EXPECT_OK(pid);
    if (pid >= 0) EXPECT_CHILD_OK(pid);
    EXPECT_EQ(sysv::shm_stat(s.id).shm_segsz, 4096);
}
