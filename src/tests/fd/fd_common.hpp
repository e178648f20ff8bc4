// SPDX-License-Identifier: MIT
// Helpers shared by the fd I/O and pipe tests (src/tests/fd, src/tests/pipe):
// the bad-descriptor table, fd-table probes, a lowered RLIMIT_NOFILE, scratch
// files and a data pattern. Defined once in fd_common.cpp to keep the binary
// small.
#pragma once

#include "harness/test.hpp"

namespace fd {

// Descriptor numbers that refer to no open file. `fd` is used as is for
// BAD_LITERAL; the others are computed when the row runs (see bad_fd()).
enum BadKind : int { BAD_LITERAL, BAD_CLOSED, BAD_LIMIT, BAD_BELOW_LIMIT };
struct BadFd {
    const char* label;
    BadKind kind;
    int fd;
};
extern const BadFd kBadFds[7];
// The same for a *new* descriptor number (dup2/dup3 newfd): values no fd can
// ever have. A closed or an unused in-range number is a valid newfd.
extern const BadFd kBadNewFds[5];
// The row's descriptor: a just-closed fd, the soft RLIMIT_NOFILE, or the
// highest number below it (skips if that one happens to be open).
int bad_fd(const BadFd& row);

bool is_open(int fd);
int lowest_free();                // the lowest fd number not in use
int lowest_free_from(int start);  // the lowest unused fd number >= start
// The soft RLIMIT_NOFILE, capped at INT_MAX; skips if it cannot be read.
int nofile_soft();

// Runs fn(fd, limit) with the soft RLIMIT_NOFILE lowered to `limit`, then
// restores it (also in --isolate=none); skips the test if it cannot lower
// it. Only EXPECT_* in fn: an ASSERT would leave before the restore.
// kSmallLimit asks for a small limit whose number limit-1 is free (lowest
// free + 32), so that "limit - 1" is usable without growing the fd table to
// the real, possibly huge, limit.
inline constexpr u64 kSmallLimit = ~0ull;
void with_nofile_limit(u64 limit, int fd, void (*fn)(int fd, int limit));

// pipe2(fds, flags) or end the test.
void make_pipe(int fds[2], int flags = 0);
// Two open descriptors, FD_CLOEXEC clear, for tests of descriptor handling
// (PSE52) that need no pipe semantics: a pipe, or where pipes are missing a
// scratch file opened twice (O_RDWR). Ends or skips the test otherwise.
void make_fds(int fds[2]);
void close_pair(const int fds[2]);

// Creates scratch file `name` holding n bytes of `data`, then opens it again
// with `flags` (| O_CLOEXEC); returns the fd or ends the test.
int scratch_file(const char* name, const void* data, usize n, int flags);
// File size by fstat, or the error.
long file_size(int fd);

// Reads until n bytes, EOF or an error; returns the count, or the error if
// nothing was read.
long read_full(int fd, void* buf, usize n);
long write_full(int fd, const void* buf, usize n);

// The smallest pipe capacity (F_SETPIPE_SZ 1): the page size on Linux.
// Ends the test if it cannot be measured.
long pipe_page();

// Fills the O_NONBLOCK pipe write end fd with pattern bytes (from stream
// index 0) in PIPE_BUF chunks until EAGAIN; returns the count, or an error.
long fill_nonblocking(int fd);

// Writes n bytes of pattern (from stream index start) in chunks of at most
// 4096 bytes; returns the count written, or the error if nothing was.
long write_pattern(int fd, u64 start, usize n);
// Reads n bytes (until EOF) in chunks and checks them against the pattern;
// returns the count read, or the error. *bad gets the index of the first
// wrong byte, or n.
long read_pattern(int fd, u64 start, usize n, usize* bad);

// A byte pattern with no short period: byte i of a stream.
inline u8 pattern(u64 i) { return u8((u32(i) * 2654435761u) >> 24 ^ u32(i >> 11)); }
void fill_pattern(u8* p, usize n, u64 start);
// Index of the first byte that differs from the pattern, or n.
usize check_pattern(const u8* p, usize n, u64 start);

// Address rows for EFAULT tests: a literal address, or a sentinel resolved by
// bad_addr(): an inaccessible (PROT_NONE) page or read-only data.
enum AddrKind : int { ADDR_LITERAL, ADDR_PROT_NONE, ADDR_READONLY };
struct BadAddr {
    const char* label;
    AddrKind kind;
    unsigned long addr;
};
extern const BadAddr kBadSrcAddrs[4];  // the kernel cannot read from these
extern const BadAddr kBadDstAddrs[5];  // ...cannot write to these (+ read-only data)
void* bad_addr(const BadAddr& row);
void release_bad_addr();  // unmaps the PROT_NONE page, if any

}  // namespace fd
