// SPDX-License-Identifier: MIT
// Guards shared by the kernel AIO tests (src/tests/aio) and the
// vectored-I/O-with-flags tests (fd/preadv2.cpp, pipe/vmsplice.cpp): an AIO
// context that outlives no test.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_aio.hpp"

namespace aio {

using kc::Fd;

// An AIO context. In a process of its own (fork mode) the test leaves it to
// the process's exit: io_destroy waits for an RCU grace period (some 30 ms),
// and the exit does that after the result is in, while the next test runs.
// In-process, the cleanup list destroys it.
struct Ctx {
    u64 id = 0;
    long r;
    explicit Ctx(unsigned nr) : r(sys::io_setup(nr, &id)) {
        if (id && !kc::process_per_test()) kc::defer(destroy, long(id));
    }
    operator u64() const { return id; }
    static void destroy(long id, long) { sys::io_destroy(u64(id)); }
};

}  // namespace aio
