// SPDX-License-Identifier: MIT
// Guards shared by the kernel AIO tests (src/tests/aio) and the
// vectored-I/O-with-flags tests (fd/preadv2.cpp, pipe/vmsplice.cpp): a
// descriptor and an AIO context released at scope end.
#pragma once

#include "harness/test.hpp"
#include "rt/sys_aio.hpp"

namespace aio {

// Closes an fd at scope end.
struct Fd {
    long fd;
    explicit Fd(long f) : fd(f) {}
    [[gnu::noinline]] ~Fd() {
        if (fd >= 0) sys::close(int(fd));
    }
    operator int() const { return int(fd); }
};
// Destroys an AIO context at scope end.
struct Ctx {
    u64 id = 0;
    long r;
    explicit Ctx(unsigned nr) : r(sys::io_setup(nr, &id)) {}
    [[gnu::noinline]] ~Ctx() {
        if (id) sys::io_destroy(id);
    }
    operator u64() const { return id; }
};

}  // namespace aio
