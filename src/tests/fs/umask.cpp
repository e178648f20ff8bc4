// SPDX-License-Identifier: MIT
// umask(2): returns the previous mask, keeps only the permission bits,
// applies to mkdirat and mknodat (and not to symlinks), and is inherited by
// a child. Every test changes the mask in a child process, so the harness's
// own mask is never touched. The open(2) side is in open.cpp.
// Left out: default ACLs of the parent directory, which replace the umask.
#include "tests/fs/fs_util.hpp"

namespace {

void run_child(void (*fn)(void*), void* arg = nullptr) {
    fs::D();
    EXPECT_CHILD_OK(kc::spawn(fn, arg));
}

}  // namespace

// umask(2): "the previous value of the mask is returned"; a round trip
// restores it.
TEST(umask, returns_previous_mask, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            sys::umask(022);
            EXPECT_RET(sys::umask(077), 022);
            EXPECT_RET(sys::umask(0), 077);
            EXPECT_RET(sys::umask(0777), 0);
            EXPECT_RET(sys::umask(022), 0777);
        },
        nullptr));
}

// umask(2): "only the file permission bits of cmask are used" (mask & 0777).
struct MaskRow {
    const char* label;
    unsigned mask;
    long want;
};
constexpr MaskRow kMasks[] = {
    {"mask_07777", 07777, 0777},
    {"mask_01022", 01022, 022},
    {"mask_all_ones", ~0u, 0777},
    {"mask_0x10000", 0x10000, 0},
};
TEST_P(umask, keeps_permission_bits_only, BOUNDARY, PSE54, kMasks, .flags = kc::NEEDS_FORK) {
    EXPECT_CHILD_OK(kc::spawn(
        [](void* arg) {
            auto& r = *static_cast<const MaskRow*>(arg);
            sys::umask(r.mask);
            EXPECT_RET(sys::umask(0), r.want);
        },
        const_cast<MaskRow*>(&row)));
}

// mkdir(2): "The file permission bits of the new directory shall be
// initialized from mode ... modified by the process' file mode creation mask".
TEST(umask, applies_to_mkdirat, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    run_child([](void*) {
        sys::umask(027);
        ASSERT_OK(sys::mkdirat(fs::D(), "d", 0777));
        EXPECT_EQ(fs::st("d").st_mode & 07777, 0750);
    });
}

// mknod(2)/mkfifo(3): the FIFO's permission bits are masked too.
TEST(umask, applies_to_mknodat, POSITIVE, PSE54, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    run_child([](void*) {
        sys::umask(0222);
        ASSERT_OK(sys::mknodat(fs::D(), "fifo", S_IFIFO | 0666, 0));
        EXPECT_EQ(fs::st("fifo").st_mode, S_IFIFO | 0444);
    });
}

// symlink(7): on Linux the permissions of a symlink are always 0777; the
// umask does not apply.
TEST(umask, not_applied_to_symlinks, BOUNDARY, LINUX, .flags = kc::NEEDS_SCRATCH | kc::NEEDS_FORK) {
    run_child([](void*) {
        sys::umask(0777);
        fs::symlink("target", "link");
        EXPECT_EQ(fs::st("link").st_mode, S_IFLNK | 0777);
    });
}

// fork(2): the child inherits the file mode creation mask.
TEST(umask, inherited_by_child, POSITIVE, PSE54, .flags = kc::NEEDS_FORK) {
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            sys::umask(0314);
            EXPECT_CHILD_OK(kc::spawn([](void*) { EXPECT_RET(sys::umask(0), 0314); }, nullptr));
            EXPECT_RET(sys::umask(0), 0314);  // the grandchild's change stayed there
        },
        nullptr));
}
