// SPDX-License-Identifier: MIT
// Process start-up: the portable half of _start.
#pragma once

namespace rt {

struct StartInfo {
    int argc;
    char** argv;
    char** envp;
    unsigned long* auxv;
};

// Value of environment variable `name`, or nullptr.
const char* getenv(const char* name);

// Expands the packed pool (src/rt/unpack.cpp) and makes it read-only; must run
// before any string literal or other constant is read. Exits with status 125
// if the pool is corrupt.
void unpack_pool();

}  // namespace rt

// Defined by the program (the harness): returns the exit status.
int kc_main(const rt::StartInfo& info);
