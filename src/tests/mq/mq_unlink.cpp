// SPDX-License-Identifier: MIT
// mq_unlink(2), name rules beyond those in mq_open.cpp (which holds the
// first mq_unlink tests and is full): the NAME_MAX boundary, and names that
// are not a single plain component ('/' inside, "." and "..") refused with
// EACCES, as the message-queue file system looks the name up in its root
// directory without walking a path.
// Not covered: unlink semantics and permissions (mq_open.cpp).
#include "tests/mq/mq_util.hpp"

namespace {

struct Len {
    const char* label;
    int len;
    int err;
};
constexpr Len kLens[] = {{"len=255", 255, ENOENT}, {"len=256", 256, ENAMETOOLONG}};

struct BadName {
    const char* label;
    const char* name;
};
constexpr BadName kBadNames[] = {{"slash_inside", "kc-mq/inner"}, {"dot", "."}, {"dotdot", ".."}};

}  // namespace

// mq_unlink(2), mq_overview(7): a name holds up to NAME_MAX (255) bytes: a
// 255-byte name that names no queue is ENOENT, one byte more ENAMETOOLONG.
TEST_P(mq_unlink, name_max_boundary, BOUNDARY, LINUX, kLens) {
    char name[257];
    for (int i = 0; i < row.len; ++i) name[i] = 'n';
    name[row.len] = 0;
    EXPECT_ERR(mq::check(sys::mq_unlink(name)), row.err);
}

// mq_unlink(2) EACCES (mq_overview(7): a name is "/somename" and "consists
// of ... characters none of which are slashes"): Linux refuses a name with
// '/' inside, "." and ".." with EACCES; none is looked up as a path.
TEST_P(mq_unlink, not_one_component_eacces, NEGATIVE, LINUX, kBadNames) {
    EXPECT_ERR(mq::check(sys::mq_unlink(row.name)), EACCES);
}
