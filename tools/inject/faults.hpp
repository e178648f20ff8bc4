// SPDX-License-Identifier: MIT
// The fault catalogue: each fault models one real class of kernel bug.
#pragma once

#include <vector>

#include "tracer.hpp"

namespace kfi {

// Every fault, freshly made (faults keep per-run state such as counters).
std::vector<Fault> catalogue();

// The subtle faults (issue 12): flags accepted then ignored, wrong fields of
// returned structs, lost or mislabelled signals, partial wake-ups, off-by-one
// lengths, missing permission checks. Appended to `f`.
void add_subtle_faults(std::vector<Fault>& f);
// More of the same classes over further calls (faults_deeper.cpp).
void add_deeper_faults(std::vector<Fault>& f);
// Process life (exec, wait, kill) and the arguments that shape what a call
// creates or reports: modes, offsets, priorities, CPU masks
// (faults_process.cpp).
void add_process_faults(std::vector<Fault>& f);

}  // namespace kfi
