// SPDX-License-Identifier: MIT
// Helpers shared by the fd I/O and pipe tests; see fd_common.hpp. No tests.
#include "tests/fd/fd_common.hpp"

#include "rt/sys_resource.hpp"

// The checks below are not in the running test's own source file: name this
// file in their messages (test.hpp's KC_FILE assumes a header or the test's
// file).
#undef KC_FILE
#define KC_FILE __FILE__

namespace fd {

constexpr BadFd kBadFds[7] = {
    {"fd=-1", BAD_LITERAL, -1},
    {"fd=INT_MIN", BAD_LITERAL, INT_MIN},
    {"fd=AT_FDCWD", BAD_LITERAL, AT_FDCWD},
    {"fd=closed", BAD_CLOSED, 0},
    {"fd=INT_MAX", BAD_LITERAL, INT_MAX},
    {"fd=RLIMIT_NOFILE", BAD_LIMIT, 0},
    {"fd=RLIMIT_NOFILE-1", BAD_BELOW_LIMIT, 0},
};
constexpr BadFd kBadNewFds[5] = {
    {"fd=-1", BAD_LITERAL, -1},
    {"fd=INT_MIN", BAD_LITERAL, INT_MIN},
    {"fd=AT_FDCWD", BAD_LITERAL, AT_FDCWD},
    {"fd=INT_MAX", BAD_LITERAL, INT_MAX},
    {"fd=RLIMIT_NOFILE", BAD_LIMIT, 0},
};

constexpr BadAddr kBadSrcAddrs[4] = {
    {"buf=NULL", ADDR_LITERAL, 0},
    {"buf=0x1", ADDR_LITERAL, 1},
    {"buf=kernel", ADDR_LITERAL, 0xffff800000000000ul},
    {"buf=PROT_NONE", ADDR_PROT_NONE, 0},
};
constexpr BadAddr kBadDstAddrs[5] = {
    {"buf=NULL", ADDR_LITERAL, 0},
    {"buf=0x1", ADDR_LITERAL, 1},
    {"buf=kernel", ADDR_LITERAL, 0xffff800000000000ul},
    {"buf=PROT_NONE", ADDR_PROT_NONE, 0},
    {"buf=read-only", ADDR_READONLY, 0},
};

namespace {
void* g_none_page;
const char kReadOnly[64] = "read-only data: the kernel must not write here";
}  // namespace

bool is_open(int fd) { return sys::fcntl(fd, F_GETFD) >= 0; }

int lowest_free_from(int start) {
    int fd = start;
    while (is_open(fd)) ++fd;
    return fd;
}

int lowest_free() { return lowest_free_from(0); }

int nofile_soft() {
    rlimit64 r{};
    if (sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &r) != 0) {
        kc::skip("prlimit64(RLIMIT_NOFILE) cannot read the limit");
    }
    return r.rlim_cur > u64(INT_MAX) ? INT_MAX : int(r.rlim_cur);
}

int bad_fd(const BadFd& row) {
    switch (row.kind) {
        case BAD_LITERAL:
            return row.fd;
        case BAD_CLOSED: {
            // A number that was open a moment ago (a kernel may keep stale
            // state for it); without pipes (PSE51), the lowest unused one.
            int fds[2];
            if (sys::pipe2(fds, O_CLOEXEC) != 0) return lowest_free();
            close_pair(fds);
            return fds[0];
        }
        case BAD_LIMIT:
            return nofile_soft();
        case BAD_BELOW_LIMIT: {
            int fd = nofile_soft() - 1;
            if (is_open(fd)) kc::skip("the fd just below RLIMIT_NOFILE is open");
            return fd;
        }
    }
    return -1;
}

void with_nofile_limit(u64 limit, int fd, void (*fn)(int fd, int limit)) {
    u64 soft = u64(nofile_soft());
    if (limit == kSmallLimit) {
        limit = u64(lowest_free()) + 32;
        if (limit > soft) limit = soft;
        if (limit == 0 || is_open(int(limit - 1))) kc::skip("no small RLIMIT_NOFILE to test at");
    }
    rlimit64 saved{};
    if (limit > soft || sys::prlimit64(0, RLIMIT_NOFILE, nullptr, &saved) != 0) {
        kc::skip("cannot lower RLIMIT_NOFILE");
    }
    rlimit64 nv{limit, saved.rlim_max};
    if (sys::prlimit64(0, RLIMIT_NOFILE, &nv, nullptr) != 0) kc::skip("cannot lower RLIMIT_NOFILE");
    fn(fd, int(limit));
    EXPECT_OK(sys::prlimit64(0, RLIMIT_NOFILE, &saved, nullptr));
}

void make_pipe(int fds[2], int flags) { ASSERT_OK(sys::pipe2(fds, flags)); }

void make_fds(int fds[2]) {
    if (sys::pipe2(fds, 0) == 0) return;
    fds[0] = scratch_file("fds", nullptr, 0, O_RDWR);
    fds[1] = scratch_file("fds", nullptr, 0, O_RDWR);
    sys::fcntl(fds[0], F_SETFD, 0);
    sys::fcntl(fds[1], F_SETFD, 0);
}

void close_pair(const int fds[2]) {
    EXPECT_OK(sys::close(fds[0]));
    EXPECT_OK(sys::close(fds[1]));
}

int scratch_file(const char* name, const void* data, usize n, int flags) {
    int dir = kc::scratch_fd();
    long fd = sys::openat(dir, name, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_OK(fd);
    if (n) EXPECT_RET(write_full(int(fd), data, n), long(n));
    sys::close(int(fd));
    fd = sys::openat(dir, name, flags | O_CLOEXEC);
    ASSERT_OK(fd);
    return int(fd);
}

long file_size(int fd) {
    arch::Stat st{};
    long r = sys::fstat(fd, &st);
    return r < 0 ? r : st.st_size;
}

long read_full(int fd, void* buf, usize n) {
    usize done = 0;
    while (done < n) {
        long r = sys::read(fd, static_cast<u8*>(buf) + done, n - done);
        if (r == -EINTR) continue;
        if (r < 0) return done ? long(done) : r;
        if (r == 0) break;
        done += usize(r);
    }
    return long(done);
}

long write_full(int fd, const void* buf, usize n) {
    usize done = 0;
    while (done < n) {
        long r = sys::write(fd, static_cast<const u8*>(buf) + done, n - done);
        if (r == -EINTR) continue;
        if (r <= 0) return done ? long(done) : r;
        done += usize(r);
    }
    return long(done);
}

void fill_pattern(u8* p, usize n, u64 start) {
    for (usize i = 0; i < n; ++i) p[i] = pattern(start + i);
}

usize check_pattern(const u8* p, usize n, u64 start) {
    usize i = 0;
    while (i < n && p[i] == pattern(start + i)) ++i;
    return i;
}

long pipe_page() {
    int p[2];
    make_pipe(p, O_CLOEXEC);
    long page = sys::fcntl(p[0], F_SETPIPE_SZ, 1);
    close_pair(p);
    ASSERT_GE(page, long(PIPE_BUF));
    return page;
}

long fill_nonblocking(int fd) {
    u8 buf[PIPE_BUF];
    long total = 0;
    for (;;) {
        fill_pattern(buf, sizeof buf, u64(total));
        long r = sys::write(fd, buf, sizeof buf);
        if (r <= 0) return r == -EAGAIN ? total : r;
        total += r;
    }
}

long write_pattern(int fd, u64 start, usize n) {
    u8 buf[4096];
    usize done = 0;
    while (done < n) {
        usize k = n - done < sizeof buf ? n - done : sizeof buf;
        fill_pattern(buf, k, start + done);
        long r = write_full(fd, buf, k);
        if (r < 0) return done ? long(done) : r;
        done += usize(r);
        if (usize(r) < k) break;
    }
    return long(done);
}

long read_pattern(int fd, u64 start, usize n, usize* bad) {
    u8 buf[4096];
    usize done = 0;
    *bad = n;
    while (done < n) {
        usize k = n - done < sizeof buf ? n - done : sizeof buf;
        long r = read_full(fd, buf, k);
        if (r < 0) return done ? long(done) : r;
        usize ok = check_pattern(buf, usize(r), start + done);
        if (ok < usize(r) && *bad == n) *bad = done + ok;
        done += usize(r);
        if (usize(r) < k) break;
    }
    return long(done);
}

void* bad_addr(const BadAddr& row) {
    switch (row.kind) {
        case ADDR_LITERAL:
            return reinterpret_cast<void*>(row.addr);
        case ADDR_PROT_NONE: {
            long p = sys::mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            ASSERT_OK(p);
            g_none_page = reinterpret_cast<void*>(p);
            return g_none_page;
        }
        case ADDR_READONLY:
            return const_cast<char*>(kReadOnly);
    }
    return nullptr;
}

void release_bad_addr() {
    if (g_none_page) sys::munmap(g_none_page, 4096);
    g_none_page = nullptr;
}

}  // namespace fd
