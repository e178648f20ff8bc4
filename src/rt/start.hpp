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

}  // namespace rt

// Defined by the program (the harness): returns the exit status.
int kc_main(const rt::StartInfo& info);
