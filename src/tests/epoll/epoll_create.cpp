// SPDX-License-Identifier: MIT
// epoll_create(2) and epoll_create1(2): size and flag validation, the
// close-on-exec flag, and a create/close leak check.
// Left out: the per-user epoll limits (fs.epoll.max_user_watches applies to
// watches, not instances; exhausting RLIMIT_NOFILE is the fd area's job).
#include "harness/test.hpp"
#include "tests/common/multiplex_util.hpp"

using namespace multiplex;

struct Size {
    const char* label;
    int size;
};
constexpr Size kGoodSizes[] = {{"size=1", 1}, {"size=INT_MAX", INT_MAX}};
// epoll_create(2): any positive size is accepted (it is only a hint since
// Linux 2.6.8); the fd is an epoll instance without close-on-exec.
TEST_P(epoll_create, positive_size_ok, POSITIVE, LINUX, kGoodSizes) {
    REQUIRE_NR(epoll_create);
    kc::Fd ep(sys::epoll_create(row.size));
    ASSERT_OK(ep.get());
    EXPECT_RET(sys::fcntl(ep, F_GETFD), 0);
    // It really is an epoll fd: epoll_pwait accepts it.
    EpollEvent ev{};
    EXPECT_RET(ewait(ep, &ev, 1), 0);
}

constexpr Size kBadSizes[] = {{"size=0", 0}, {"size=-1", -1}, {"size=INT_MIN", INT_MIN}};
// epoll_create(2): EINVAL "size is not positive".
TEST_P(epoll_create, nonpositive_size_einval, NEGATIVE, LINUX, kBadSizes) {
    REQUIRE_NR(epoll_create);
    EXPECT_ERR(sys::epoll_create(row.size), EINVAL);
}

struct Flags {
    const char* label;
    int flags;
};
constexpr Flags kGoodFlags[] = {{"flags=0", 0}, {"flags=EPOLL_CLOEXEC", EPOLL_CLOEXEC}};
// epoll_create1(2): EPOLL_CLOEXEC sets FD_CLOEXEC; 0 leaves it clear.
TEST_P(epoll_create1, cloexec_flag, POSITIVE, LINUX, kGoodFlags) {
    kc::Fd ep(sys::epoll_create1(row.flags));
    ASSERT_OK(ep.get());
    EXPECT_RET(sys::fcntl(ep, F_GETFD), row.flags ? FD_CLOEXEC : 0);
    EXPECT_RET(sys::fcntl(ep, F_GETFL) & O_ACCMODE, O_RDWR);
}

constexpr Flags kBadFlags[] = {{"flags=O_NONBLOCK", O_NONBLOCK},
                               {"flags=1", 1},
                               {"flags=EPOLL_CLOEXEC|1", EPOLL_CLOEXEC | 1},
                               {"flags=INT_MIN", INT_MIN},
                               {"flags=-1", -1}};
// epoll_create1(2): EINVAL "Invalid value specified in flags" (only
// EPOLL_CLOEXEC is defined).
TEST_P(epoll_create1, bad_flags_einval, NEGATIVE, LINUX, kBadFlags) {
    EXPECT_ERR(sys::epoll_create1(row.flags), EINVAL);
}

// epoll_create1(2): 10,000 instances created and closed leak nothing: each
// gets the same (lowest free) fd and the next create still works.
TEST(epoll_create1, create_close_10000_no_leak, BOUNDARY, LINUX, .flags = kc::SLOW) {
    long first = sys::epoll_create1(0);
    ASSERT_OK(first);
    sys::close(int(first));
    int bad = 0;
    for (int i = 0; i < 10000; ++i) {
        long fd = sys::epoll_create1(EPOLL_CLOEXEC);
        if (fd != first) ++bad;
        if (fd >= 0) sys::close(int(fd));
    }
    EXPECT_EQ(bad, 0);
    kc::Fd ep(sys::epoll_create1(0));
    EXPECT_RET(ep.get(), first);
    EpollEvent ev{};
    EXPECT_RET(ewait(ep, &ev, 1), 0);
}
