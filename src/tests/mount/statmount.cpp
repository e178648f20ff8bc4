// SPDX-License-Identifier: MIT
// statmount(2), listmount(2) (Linux 6.8): the fields of a tmpfs this test
// mounted (ids as statx(STATX_MNT_ID_UNIQUE) reports them, the parent, the
// superblock's magic and device, the type, mount point and root strings,
// the attributes set by mount_setattr, the propagation), the mount this
// run's scratch directory is on (no privilege needed); the child mounts
// listed in order, continued after an id, limited by the count, reversed;
// request, flag, buffer and id checks.
// Left out: STATMOUNT_* fields of Linux 6.10+ (mount options, subtype,
// source, id maps), mnt_ns_id requests for other namespaces, peer groups.
#include "rt/fmt.hpp"
#include "tests/mount/mount_util.hpp"

namespace {

using mounts::point;

constexpr u32 kFlags = kc::NEEDS_FORK | kc::NEEDS_SCRATCH;

struct Buf {
    alignas(8) char b[1024];
    struct statmount* sm() {
        return reinterpret_cast<struct statmount*>(b);
    }
};

long stat_mnt(u64 id, u64 mask, Buf& buf, usize size = sizeof(Buf)) {
    mnt_id_req req{MNT_ID_REQ_SIZE_VER0, 0, id, mask, 0};
    return sys::statmount(&req, buf.sm(), size, 0);
}

long list(u64 id, u64 last, u64* ids, usize n, unsigned flags = 0) {
    mnt_id_req req{MNT_ID_REQ_SIZE_VER0, 0, id, last, 0};
    return sys::listmount(&req, ids, n, flags);
}

// The device numbers of st_dev (the kernel's new_encode_dev layout).
u32 dev_major(u64 d) { return u32(((d >> 8) & 0xfff) | ((d >> 32) & ~0xfffu)); }
u32 dev_minor(u64 d) { return u32((d & 0xff) | ((d >> 12) & ~0xffu)); }

// The mount of the scratch directory, outside a private namespace (in one,
// scratch_fd() is still on the mount of the namespace it was opened in).
u64 scratch_mnt() { return mounts::mnt_id("", kc::scratch_fd(), AT_EMPTY_PATH); }

// A directory descriptor above 2 (0 in mnt_ns_fd means none, and fds 0-2
// may be closed, so that the scratch directory's may be 0).
long dir_fd() { return sys::fcntl(kc::scratch_fd(), F_DUPFD_CLOEXEC, 3); }

struct Req {
    const char* label;
    u32 size;
    bool dir_as_ns_fd;  // mnt_ns_fd: an open descriptor that is no namespace
    u64 id;             // 0: the scratch directory's mount
    unsigned flags;
    int err;
};

}  // namespace

// ---------------------------------------------------------------------------
// statmount(2)

// statmount(2) of a tmpfs mounted on scratch/m: mnt_id is the id statx
// gave, mnt_parent_id the scratch directory's mount, sb_magic TMPFS_MAGIC,
// sb_dev the st_dev of the mount point, fs_type "tmpfs", mnt_root "/",
// mnt_point the path of m (as getcwd shows it); the mask reports what was
// filled and size what was used.
TEST(statmount, tmpfs_fields, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_statmount();
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        u64 id = mounts::mnt_id(m);
        arch::Stat st{};
        ASSERT_RET(sys::newfstatat(AT_FDCWD, m, &st, 0), 0);
        char cwd[512];
        ASSERT_RET(sys::chdir(m), 0);
        ASSERT_GT(sys::getcwd(cwd, sizeof cwd), 0);
        constexpr u64 kMask = STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC | STATMOUNT_FS_TYPE |
                              STATMOUNT_MNT_ROOT | STATMOUNT_MNT_POINT;
        Buf buf;
        ASSERT_RET(stat_mnt(id, kMask, buf), 0);
        struct statmount& s = *buf.sm();
        EXPECT_EQ(s.mask & kMask, kMask);
        EXPECT_GT(s.size, sizeof s);
        EXPECT_LE(s.size, sizeof buf);
        EXPECT_EQ(s.mnt_id, id);
        EXPECT_EQ(s.mnt_parent_id, mounts::mnt_id(kc::scratch_path(".")));
        EXPECT_EQ(s.sb_magic, u64(TMPFS_MAGIC));
        EXPECT_EQ(s.sb_dev_major, dev_major(st.st_dev));
        EXPECT_EQ(s.sb_dev_minor, dev_minor(st.st_dev));
        EXPECT_TRUE(rt::streq(s.str + s.fs_type, "tmpfs"));
        EXPECT_TRUE(rt::streq(s.str + s.mnt_root, "/"));
        EXPECT_TRUE(rt::streq(s.str + s.mnt_point, cwd));
    });
}

// statmount(2) mnt_attr: the MOUNT_ATTR_* bits mount_setattr set, and
// mnt_propagation MS_PRIVATE (what the namespace was made).
TEST(statmount, mnt_attr_after_setattr, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_statmount();
    mounts::require_mount_setattr();
    mounts::in_private_ns([](void*) {
        const char* m = point("m");
        mounts::tmpfs_at(m);
        constexpr u64 kAttr = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID;
        u64 id = mounts::mnt_id(m);
        Buf buf;
        ASSERT_RET(stat_mnt(id, STATMOUNT_MNT_BASIC, buf), 0);
        EXPECT_EQ(buf.sm()->mnt_attr & kAttr, 0u);
        mount_attr a{kAttr, 0, 0, 0};
        ASSERT_RET(sys::mount_setattr(AT_FDCWD, m, 0, &a, sizeof a), 0);
        ASSERT_RET(stat_mnt(id, STATMOUNT_MNT_BASIC, buf), 0);
        EXPECT_EQ(buf.sm()->mnt_attr & kAttr, kAttr);
        EXPECT_EQ(buf.sm()->mnt_propagation, MS_PRIVATE);
    });
}

// statmount(2) needs no privilege for a mount the caller can reach: the one
// its scratch directory is on has that id and the directory's st_dev.
TEST(statmount, own_mount_unprivileged, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_statmount();
    mounts::unprivileged([](void*) {
        u64 id = scratch_mnt();
        arch::Stat st{};
        ASSERT_RET(sys::fstat(kc::scratch_fd(), &st), 0);
        Buf buf;
        ASSERT_RET(stat_mnt(id, STATMOUNT_SB_BASIC | STATMOUNT_MNT_BASIC, buf), 0);
        EXPECT_EQ(buf.sm()->mnt_id, id);
        EXPECT_NE(buf.sm()->mnt_parent_id, 0u);
        EXPECT_EQ(buf.sm()->sb_dev_major, dev_major(st.st_dev));
        EXPECT_EQ(buf.sm()->sb_dev_minor, dev_minor(st.st_dev));
    });
}

constexpr Req kBadStatReqs[] = {
    {"size=0", 0, false, 0, 0, EINVAL},
    {"size=16", 16, false, 0, 0, EINVAL},
    {"size=8192", 8192, false, 0, 0, E2BIG},
    {"mnt_ns_fd=dir", MNT_ID_REQ_SIZE_VER0, true, 0, 0, EINVAL},
    {"mnt_id=1", MNT_ID_REQ_SIZE_VER0, false, 1, 0, EINVAL},
    {"mnt_id=2^31", MNT_ID_REQ_SIZE_VER0, false, 1ull << 31, 0, EINVAL},
    {"mnt_id=2^62", MNT_ID_REQ_SIZE_VER0, false, 1ull << 62, 0, ENOENT},
    {"flags=0x80000000", MNT_ID_REQ_SIZE_VER0, false, 0, 0x80000000u, EINVAL},
};
// statmount(2) request checks: EINVAL for a request smaller than
// MNT_ID_REQ_SIZE_VER0, a flag, an old-style (reused, 32-bit) mount id -
// unique ids start above 2^31 - or an open descriptor that is no mount
// namespace in mnt_ns_fd (the spare field before Linux 6.18, which had to
// be 0: EINVAL either way); E2BIG for a request larger than a page (read
// no further); ENOENT for an id no mount has.
TEST_P(statmount, bad_request, NEGATIVE, LINUX, kBadStatReqs, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_statmount();
    kc::Fd dir(row.dir_as_ns_fd ? dir_fd() : -1);
    u32 ns_fd = dir.ok() ? u32(dir.get()) : 0;
    mnt_id_req req{row.size, ns_fd, row.id ? row.id : scratch_mnt(), STATMOUNT_MNT_BASIC, 0};
    Buf buf;
    EXPECT_ERR(sys::statmount(&req, buf.sm(), sizeof buf, row.flags), row.err);
}

// statmount(2) EOVERFLOW: the buffer has no room for the strings asked for
// (fs_type) after the fixed part; without strings that size is enough.
TEST(statmount, small_buffer_eoverflow, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_statmount();
    u64 id = scratch_mnt();
    Buf buf;
    EXPECT_ERR(stat_mnt(id, STATMOUNT_FS_TYPE, buf, sizeof(struct statmount)), EOVERFLOW);
    EXPECT_RET(stat_mnt(id, STATMOUNT_MNT_BASIC, buf, sizeof(struct statmount)), 0);
    EXPECT_EQ(buf.sm()->mnt_id, id);
}

// statmount(2) EFAULT: the request or the buffer is not in the address space.
TEST(statmount, bad_pointer_efault, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_statmount();
    mnt_id_req req{MNT_ID_REQ_SIZE_VER0, 0, scratch_mnt(), STATMOUNT_MNT_BASIC, 0};
    Buf buf;
    auto* bad = reinterpret_cast<struct statmount*>(8);
    EXPECT_ERR(sys::statmount(reinterpret_cast<mnt_id_req*>(8), buf.sm(), sizeof buf, 0), EFAULT);
    EXPECT_ERR(sys::statmount(&req, bad, sizeof buf, 0), EFAULT);
}

// ---------------------------------------------------------------------------
// listmount(2)

namespace {

// In the child: scratch/m a tmpfs with tmpfs submounts m/a and m/b, made in
// that order; ids[0..2] are m, a, b.
void three_mounts(u64 ids[3]) {
    const char* m = point("m");
    mounts::tmpfs_at(m);
    ids[0] = mounts::mnt_id(m);
    const char* a = point("m/a");
    mounts::tmpfs_at(a);
    ids[1] = mounts::mnt_id(a);
    const char* b = point("m/b");
    mounts::tmpfs_at(b);
    ids[2] = mounts::mnt_id(b);
}

}  // namespace

// listmount(2): the mounts below the one given, in ascending id order (ids
// of later mounts are larger); LSMT_ROOT lists the namespace from its root,
// which includes the new ones.
TEST(listmount, lists_submounts, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_listmount();
    mounts::in_private_ns([](void*) {
        u64 id[3];
        three_mounts(id);
        EXPECT_LT(id[1], id[2]);
        u64 got[4] = {};
        ASSERT_RET(list(id[0], 0, got, 4), 2);
        EXPECT_EQ(got[0], id[1]);
        EXPECT_EQ(got[1], id[2]);
        u64 all[512];
        long n = list(LSMT_ROOT, 0, all, 512);
        ASSERT_GT(n, 0);
        int found = 0;
        for (long i = 0; i < n; ++i) found += all[i] == id[0];
        EXPECT_EQ(found, 1);
    });
}

// listmount(2) param: the listing continues after that id; nr_mnt_ids
// limits the count returned; zero asks for none.
TEST(listmount, continue_and_limit, BOUNDARY, LINUX, .flags = kFlags) {
    mounts::require_listmount();
    mounts::in_private_ns([](void*) {
        u64 id[3];
        three_mounts(id);
        u64 got[4] = {};
        EXPECT_RET(list(id[0], id[1], got, 4), 1);
        EXPECT_EQ(got[0], id[2]);
        EXPECT_RET(list(id[0], id[2], got, 4), 0);
        got[0] = 0;
        EXPECT_RET(list(id[0], 0, got, 1), 1);
        EXPECT_EQ(got[0], id[1]);
        EXPECT_RET(list(id[0], 0, got, 0), 0);
        EXPECT_RET(list(id[1], 0, got, 4), 0);  // a leaf
    });
}

// listmount(2) LISTMOUNT_REVERSE (Linux 6.11): later mounts first.
TEST(listmount, reverse_order, POSITIVE, LINUX, .flags = kFlags) {
    mounts::require_listmount();
    mounts::in_private_ns([](void*) {
        u64 id[3];
        three_mounts(id);
        u64 got[4] = {};
        ASSERT_RET(list(id[0], 0, got, 4, LISTMOUNT_REVERSE), 2);
        EXPECT_EQ(got[0], id[2]);
        EXPECT_EQ(got[1], id[1]);
        EXPECT_RET(list(id[0], id[2], got, 4, LISTMOUNT_REVERSE), 1);
        EXPECT_EQ(got[0], id[1]);
    });
}

constexpr Req kBadListReqs[] = {
    {"size=16", 16, false, 0, 0, EINVAL},
    {"mnt_ns_fd=dir", MNT_ID_REQ_SIZE_VER0, true, 0, 0, EINVAL},
    {"mnt_id=2^62", MNT_ID_REQ_SIZE_VER0, false, 1ull << 62, 0, ENOENT},
    {"flags=2", MNT_ID_REQ_SIZE_VER0, false, 0, 2, EINVAL},
    {"flags=0x80000000", MNT_ID_REQ_SIZE_VER0, false, 0, 0x80000000u, EINVAL},
};
// listmount(2) request checks: EINVAL for a short request, a descriptor
// that is no mount namespace in mnt_ns_fd (spare before Linux 6.18), an
// unknown flag; ENOENT for an id no mount has.
TEST_P(listmount, bad_request, NEGATIVE, LINUX, kBadListReqs, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_listmount();
    kc::Fd dir(row.dir_as_ns_fd ? dir_fd() : -1);
    u32 ns_fd = dir.ok() ? u32(dir.get()) : 0;
    mnt_id_req req{row.size, ns_fd, row.id ? row.id : scratch_mnt(), 0, 0};
    u64 got[4];
    EXPECT_ERR(sys::listmount(&req, got, 4, row.flags), row.err);
}

// listmount(2) EINVAL: param (the last id listed) must be 0 or a unique
// mount id, which are above 2^31; EFAULT for an unwritable id array.
TEST(listmount, bad_param_and_buffer, NEGATIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    mounts::require_listmount();
    u64 got[4];
    EXPECT_ERR(list(LSMT_ROOT, 1, got, 4), EINVAL);
    EXPECT_ERR(list(LSMT_ROOT, 0, reinterpret_cast<u64*>(8), 4), EFAULT);
}
