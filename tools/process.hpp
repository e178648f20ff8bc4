// SPDX-License-Identifier: MIT
// Runs a program with arguments and environment additions, capturing its
// output, with a deadline (the whole process group is killed when it passes).
#pragma once

#include <string>
#include <vector>

struct ProcessResult {
    int exit_code = -1;  // -1 when killed by a signal
    int signal = 0;
    bool timed_out = false;
    bool silent = false;  // killed: no output at all within first_output_s
    double seconds = 0;
    std::string out;
    std::string err;
};

// first_output_s > 0: the process is killed (and `silent` set) when it has
// written nothing to stdout by then.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env = {}, double timeout_s = 120,
                          double first_output_s = 0);

// A private 0755 copy of a binary that uid 65534 can run (the build tree may
// sit below a directory it cannot enter). Removed by the destructor.
class PublicCopy {
   public:
    explicit PublicCopy(const std::string& binary);
    ~PublicCopy();
    PublicCopy(const PublicCopy&) = delete;
    PublicCopy& operator=(const PublicCopy&) = delete;
    const std::string& path() const { return path_; }

   private:
    std::string dir_, path_;
};

bool have_program(const std::string& name);
