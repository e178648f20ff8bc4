// SPDX-License-Identifier: MIT
// close_range(2): closing a range of descriptors, CLOSE_RANGE_CLOEXEC and
// CLOSE_RANGE_UNSHARE, argument checks. The tests work on descriptors placed
// at 400 and above, far from the harness's own (raising RLIMIT_NOFILE's soft
// limit to reach them, or skipping where the hard limit is lower).
// Left out: the effect of CLOSE_RANGE_UNSHARE on a table shared with another
// thread (covered by the clone tests of the process area).
#include "tests/fs/fs_util.hpp"

namespace {

constexpr int kBase = 400;

// Puts copies of a pipe end at kBase + each offset in `at` (ascending),
// after making sure that RLIMIT_NOFILE lets them exist.
void place(const int* at, int n) {
    kc::require_fds(kBase + at[n - 1] + 1);
    int p[2];
    ASSERT_OK(sys::pipe2(p, 0));
    for (int i = 0; i < n; ++i) ASSERT_OK(sys::dup3(p[0], kBase + at[i], 0));
    sys::close(p[0]);
    sys::close(p[1]);
}
bool is_open(int fd) { return sys::fcntl(fd, F_GETFD) >= 0; }
void close_all(int first, int last) {
    for (int fd = first; fd <= last; ++fd) sys::close(fd);
}

}  // namespace

// close_range(2): closes every open descriptor in [first, last] and none
// outside it.
TEST(close_range, closes_inclusive_range, POSITIVE, LINUX) {
    const int at[] = {0, 1, 2, 3, 4};
    place(at, 5);
    EXPECT_RET(sys::close_range(kBase + 1, kBase + 3, 0), 0);
    EXPECT_TRUE(is_open(kBase));
    EXPECT_EQ(is_open(kBase + 1) || is_open(kBase + 2) || is_open(kBase + 3), false);
    EXPECT_TRUE(is_open(kBase + 4));
    close_all(kBase, kBase + 4);
}

// close_range(2): first == last closes exactly that descriptor.
TEST(close_range, single_descriptor, BOUNDARY, LINUX) {
    const int at[] = {0, 1};
    place(at, 2);
    EXPECT_RET(sys::close_range(kBase + 1, kBase + 1, 0), 0);
    EXPECT_TRUE(is_open(kBase));
    EXPECT_EQ(is_open(kBase + 1), false);
    close_all(kBase, kBase + 1);
}

// close_range(2): last = ~0U closes everything from first up; holes and the
// end of the table are no error.
TEST(close_range, open_ended_range, BOUNDARY, LINUX) {
    const int at[] = {10, 20, 200};
    place(at, 3);
    EXPECT_RET(sys::close_range(kBase + 10, ~0u, 0), 0);
    EXPECT_EQ(is_open(kBase + 10) || is_open(kBase + 20) || is_open(kBase + 200), false);
}

// close_range(2): a range with no open descriptor, or beyond the table, succeeds.
struct EmptyRange {
    const char* label;
    unsigned first, last;
};
constexpr EmptyRange kEmpty[] = {
    {"nothing_open", 700, 710},
    {"beyond_table", 0x7ffffff0u, 0x7fffffffu},
    {"uint_max_only", ~0u, ~0u},
};
TEST_P(close_range, empty_range_ok, BOUNDARY, LINUX, kEmpty) {
    EXPECT_RET(sys::close_range(row.first, row.last, 0), 0);
}

// close_range(2) CLOSE_RANGE_CLOEXEC: the descriptors stay open with
// FD_CLOEXEC set; those outside the range keep their flags.
TEST(close_range, cloexec_flag_marks_range, POSITIVE, LINUX) {
    const int at[] = {0, 1, 2};
    place(at, 3);
    EXPECT_RET(sys::close_range(kBase + 1, kBase + 2, CLOSE_RANGE_CLOEXEC), 0);
    EXPECT_RET(sys::fcntl(kBase, F_GETFD), 0);
    EXPECT_RET(sys::fcntl(kBase + 1, F_GETFD), FD_CLOEXEC);
    EXPECT_RET(sys::fcntl(kBase + 2, F_GETFD), FD_CLOEXEC);
    close_all(kBase, kBase + 2);
}

// close_range(2) CLOSE_RANGE_UNSHARE: with an unshared table it acts like a
// plain close_range (alone, and together with CLOSE_RANGE_CLOEXEC).
TEST(close_range, unshare_flag, POSITIVE, LINUX) {
    const int at[] = {0, 1};
    place(at, 2);
    EXPECT_RET(sys::close_range(kBase, kBase, CLOSE_RANGE_UNSHARE), 0);
    EXPECT_EQ(is_open(kBase), false);
    EXPECT_RET(sys::close_range(kBase + 1, kBase + 1, CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC),
               0);
    EXPECT_RET(sys::fcntl(kBase + 1, F_GETFD), FD_CLOEXEC);
    close_all(kBase, kBase + 1);
}

// close_range(2) EINVAL: first > last, or flags outside UNSHARE|CLOEXEC;
// nothing is closed.
struct BadRange {
    const char* label;
    unsigned first, last, flags;
};
constexpr BadRange kBad[] = {
    {"first_above_last", kBase + 1, kBase, 0},
    {"first_uint_max_last_0", ~0u, 0, 0},
    {"flag_bit_0", kBase, kBase, 1},
    {"flag_bit_3", kBase, kBase, 8},
    {"flag_bit_31", kBase, kBase, 0x80000000u},
    {"all_flags", kBase, kBase, ~0u},
};
TEST_P(close_range, bad_arguments_einval, NEGATIVE, LINUX, kBad) {
    const int at[] = {0, 1};
    place(at, 2);
    EXPECT_ERR(sys::close_range(row.first, row.last, row.flags), EINVAL);
    EXPECT_TRUE(is_open(kBase) && is_open(kBase + 1));
    EXPECT_RET(sys::fcntl(kBase, F_GETFD), 0);
    close_all(kBase, kBase + 1);
}
