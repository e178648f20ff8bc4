// SPDX-License-Identifier: MIT
// The fault catalogue: each fault models one real class of kernel bug.
#pragma once

#include <vector>

#include "tracer.hpp"

namespace kfi {

// Every fault, freshly made (faults keep per-run state such as counters).
std::vector<Fault> catalogue();

}  // namespace kfi
