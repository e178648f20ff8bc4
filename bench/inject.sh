#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole fault catalogue against the suite: prints each fault, the tests
# that caught it and the detection rate, and writes docs/fault-detection.md.
#   bench/inject.sh [BUILD_DIR]      (takes several minutes)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
"$build/tools/kconform-inject" --markdown="$root/docs/fault-detection.body.md" \
    "$build/kconform-x86_64" | tee "$build/inject.log"
{
    echo "# Fault detection"
    echo
    echo "Measured with \`bench/inject.sh\` (tools/inject/): each fault of the catalogue"
    echo "(tools/inject/faults.cpp) models one real class of kernel bug; the suite runs"
    echo "once per fault under a ptrace tracer that injects it into the test processes."
    echo "A fault is detected when a test that passes without it does not pass with it."
    echo
    cat "$root/docs/fault-detection.body.md"
} > "$root/docs/fault-detection.md"
rm -f "$root/docs/fault-detection.body.md"
