// SPDX-License-Identifier: MIT
// fsync(2), fdatasync(2), syncfs(2), sync_file_range(2): success on files
// and directories (with the data still intact afterwards), and the exact
// errors for bad descriptors, special files and bad arguments.
// sync(2) (in fadvise.cpp too): success for any caller, with data, sizes,
// renames and unlinked-but-open files intact afterwards, and its unused
// argument registers ignored. It flushes every file system of the host,
// which harms nothing: it only writes dirty data out earlier.
// Left out: durability itself (it cannot be observed without a crash).
#include "tests/fs/fs_util.hpp"

namespace {

struct FdKind {
    const char* label;
    int kind;  // 0 file rw, 1 file read-only, 2 directory
};
constexpr FdKind kSyncable[] = {{"file_rdwr", 0}, {"file_rdonly", 1}, {"directory", 2}};

int open_kind(int kind) {
    fs::touch("f", "payload");
    if (kind == 0) return fs::open("f", O_RDWR);
    if (kind == 1) return fs::open("f", O_RDONLY);
    return fs::open(".", O_RDONLY | O_DIRECTORY);
}

using SyncCall = long (*)(int);
void check_syncs(int kind, SyncCall call) {
    int fd = open_kind(kind);
    if (kind == 0) ASSERT_RET(sys::pwrite64(fd, "PAY", 3, 0), 3);
    EXPECT_RET(call(fd), 0);
    char buf[8];
    EXPECT_RET(fs::slurp("f", buf, sizeof buf), 7);
    EXPECT_MEM_EQ(buf, kind == 0 ? "PAYload" : "payload", 7);
    sys::close(fd);
}

// Bad descriptors: -1, a closed number, an O_PATH descriptor (EBADF), and a
// pipe, which cannot be synchronised (EINVAL).
struct BadSync {
    const char* label;
    int kind;  // 0 fd -1, 1 closed, 2 O_PATH, 3 pipe
    int err;
};
constexpr BadSync kBadSync[] = {
    {"fd_minus_1", 0, EBADF},
    {"fd_not_open", 1, EBADF},
    {"path_fd", 2, EBADF},
    {"pipe_einval", 3, EINVAL},
};
void check_bad_sync(const BadSync& row, SyncCall call) {
    int fd = row.kind == 0 ? -1 : 777, p[2] = {-1, -1};
    if (row.kind == 2) fd = fs::open(".", O_PATH);
    if (row.kind == 3) {
        ASSERT_OK(sys::pipe2(p, 0));
        fd = p[1];
    }
    EXPECT_ERR(call(fd), row.err);
    if (row.kind == 2) sys::close(fd);
    sys::close(p[0]);
    sys::close(p[1]);
}

}  // namespace

// fsync(2): succeeds on a file (also read-only) and a directory; the data
// written before it reads back intact.
TEST_P(fsync, syncs, POSITIVE, PSE52, kSyncable, .flags = kc::NEEDS_SCRATCH) {
    check_syncs(row.kind, sys::fsync);
}

// fsync(2) EBADF for invalid (or O_PATH, Linux) descriptors; EINVAL for a
// special file that does not support synchronisation.
TEST_P(fsync, bad_descriptor, NEGATIVE, PSE52, kBadSync, .flags = kc::NEEDS_SCRATCH) {
    check_bad_sync(row, sys::fsync);
}

// fdatasync(2): like fsync for data.
TEST_P(fdatasync, syncs, POSITIVE, PSE52, kSyncable, .flags = kc::NEEDS_SCRATCH) {
    check_syncs(row.kind, sys::fdatasync);
}

// fdatasync(2): the errors of fsync.
TEST_P(fdatasync, bad_descriptor, NEGATIVE, PSE52, kBadSync, .flags = kc::NEEDS_SCRATCH) {
    check_bad_sync(row, sys::fdatasync);
}

// syncfs(2): syncs the file system holding the descriptor's file.
TEST(syncfs, syncs_scratch_file_system, POSITIVE, LINUX, .flags = kc::NEEDS_SCRATCH) {
    check_syncs(0, sys::syncfs);
}

// syncfs(2) EBADF: not an open descriptor.
TEST(syncfs, bad_fd_ebadf, NEGATIVE, LINUX) {
    EXPECT_ERR(sys::syncfs(-1), EBADF);
    EXPECT_ERR(sys::syncfs(777), EBADF);
}

// sync_file_range(2): each flag combination, and nbytes 0 (to the end of the
// file), succeed on a regular file and leave the data intact.
struct SfrRow {
    const char* label;
    unsigned flags;
    long off, n;
};
constexpr SfrRow kSfrOk[] = {
    {"flags_none", 0, 0, 4096},
    {"write", SYNC_FILE_RANGE_WRITE, 0, 4096},
    {"wait_before_write_wait_after",
     SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER, 0, 4096},
    {"nbytes_0_to_eof", SYNC_FILE_RANGE_WRITE, 0, 0},
    {"range_past_eof", SYNC_FILE_RANGE_WRITE, 1 << 20, 4096},
};
TEST_P(sync_file_range, syncs_range, POSITIVE, LINUX, kSfrOk, .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "payload");
    EXPECT_RET(sys::sync_file_range(fd, row.off, row.n, row.flags), 0);
    char buf[8];
    EXPECT_RET(sys::pread64(fd, buf, 8, 0), 7);
    EXPECT_EQ(fs::fsize(fd), 7);
    sys::close(fd);
}

// sync_file_range(2) EINVAL: unknown flag bits, a negative offset or length,
// or a range that overflows.
constexpr SfrRow kSfrBad[] = {
    {"flag_bit_3", 8, 0, 4096},
    {"flag_bit_31", 0x80000000u, 0, 4096},
    {"offset_minus_1", SYNC_FILE_RANGE_WRITE, -1, 4096},
    {"nbytes_minus_1", SYNC_FILE_RANGE_WRITE, 0, -1},
    {"end_overflows", SYNC_FILE_RANGE_WRITE, LONG_MAX - 10, 4096},
};
TEST_P(sync_file_range, bad_arguments_einval, NEGATIVE, LINUX, kSfrBad,
       .flags = kc::NEEDS_SCRATCH) {
    int fd = fs::create("f", "payload");
    EXPECT_ERR(sys::sync_file_range(fd, row.off, row.n, row.flags), EINVAL);
    sys::close(fd);
}

// sync_file_range(2): ESPIPE on a pipe, EBADF on a bad descriptor.
TEST(sync_file_range, bad_descriptor, NEGATIVE, LINUX) {
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    EXPECT_ERR(sys::sync_file_range(p[1], 0, 0, SYNC_FILE_RANGE_WRITE), ESPIPE);
    sys::close(p[0]);
    sys::close(p[1]);
    EXPECT_ERR(sys::sync_file_range(-1, 0, 0, SYNC_FILE_RANGE_WRITE), EBADF);
}

// sync(2) takes no arguments: whatever the argument registers hold is
// ignored (an emulator that forwards them to another call gets this wrong).
TEST(sync, ignores_argument_registers, BOUNDARY, LINUX, .flags = kc::SLOW) {
    EXPECT_RET(arch::syscall3(nr::sync, -1, 8, long(0x8000000000000000ul)), 0);
}

// sync(2) needs no privilege: a child without capabilities (as another user
// when there is one) succeeds.
TEST(sync, unprivileged_caller_succeeds, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    EXPECT_CHILD_OK(kc::spawn(
        [](void*) {
            // kc::become_other_user() drops the capabilities too.
            if (kc::other_user_available())
                ASSERT_TRUE(kc::become_other_user());
            else
                ASSERT_TRUE(kc::drop_capabilities());
            EXPECT_RET(sys::sync(), 0);
        },
        nullptr));
}

// sync(2) from two processes at once: both return 0.
TEST(sync, concurrent_callers_succeed, POSITIVE, LINUX, .flags = kc::NEEDS_FORK | kc::SLOW) {
    long pid = kc::spawn([](void*) { EXPECT_RET(sys::sync(), 0); }, nullptr);
    EXPECT_RET(sys::sync(), 0);
    EXPECT_CHILD_OK(pid);
}

// sync(2) leaves the namespace as it was: a renamed file has its new name
// and its size; an unlinked file still open keeps its data.
TEST(sync, metadata_and_open_unlinked_intact, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    fs::touch("a", "renamed");
    int fd = fs::create("gone", "still here");
    ASSERT_OK(sys::renameat2(fs::D(), "a", fs::D(), "b", 0));
    ASSERT_OK(sys::unlinkat(fs::D(), "gone", 0));
    EXPECT_RET(sys::sync(), 0);
    EXPECT_EQ(fs::exists("a"), false);
    EXPECT_EQ(fs::st("b").st_size, 7);
    char buf[16];
    EXPECT_RET(sys::pread64(fd, buf, sizeof buf, 0), 10);
    EXPECT_MEM_EQ(buf, "still here", 10);
    EXPECT_EQ(fs::fst(fd).st_nlink, 0);
    sys::close(fd);
}

// sync(2) with a file's dirty data in the page cache: the data written
// before it reads back through another descriptor, and st_blocks shows it
// allocated (the file is not sparse: every byte was written).
TEST(sync, written_data_allocated_and_readable, POSITIVE, LINUX,
     .flags = kc::NEEDS_SCRATCH | kc::SLOW) {
    int fd = fs::create("f");
    char block[4096];
    for (usize i = 0; i < sizeof block; ++i) block[i] = char(i * 7);
    ASSERT_RET(sys::pwrite64(fd, block, sizeof block, 0), long(sizeof block));
    EXPECT_RET(sys::sync(), 0);
    char back[4096];
    EXPECT_RET(fs::slurp("f", back, sizeof back), long(sizeof back));
    EXPECT_MEM_EQ(back, block, sizeof block);
    EXPECT_GT(fs::fst(fd).st_blocks, 0);
    sys::close(fd);
}
