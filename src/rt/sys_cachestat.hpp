// SPDX-License-Identifier: MIT
// cachestat(2) (Linux 6.5, mm/filemap.c, linux/mman.h): page-cache
// statistics of a range of a file. The structs are the same on every
// architecture.
#pragma once

#include "rt/sys.hpp"

// The byte range to query; len 0 means "to the end of the file".
struct cachestat_range {
    u64 off;
    u64 len;
};
// Page counts in the range.
struct cachestat {
    u64 nr_cache;
    u64 nr_dirty;
    u64 nr_writeback;
    u64 nr_evicted;
    u64 nr_recently_evicted;
};
static_assert(sizeof(cachestat) == 40);

namespace sys {

// int cachestat(unsigned int fd, struct cachestat_range *cstat_range,
//               struct cachestat *cstat, unsigned int flags);
inline long cachestat(int fd, const cachestat_range* range, struct cachestat* cs, u32 flags) {
    return syscall4(nr::cachestat, fd, L(range), L(cs), long(flags));
}

}  // namespace sys
