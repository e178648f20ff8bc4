#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole fault catalogue against the suite: prints each fault, the tests
# that caught it and the detection rate, and writes docs/fault-detection.md.
#   bench/inject.sh [BUILD_DIR] [SHARDS]      (takes many minutes)
# SHARDS > 1 splits the catalogue into that many kconform-inject processes
# run side by side (every SHARDS-th fault each), for a machine where one
# process would take too long; their reports are merged into one page.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shards=${2:-1}
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "inject: SHARDS must be a positive integer" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/tools/kconform-inject" --list | grep -v '^#' | awk '{print $1}' > "$tmp/faults"
pids=()
for ((k = 0; k < shards; k++)); do
    args=()
    while read -r name; do args+=("--fault=$name"); done < <(awk -v n="$shards" -v k="$k" \
        '(NR - 1) % n == k' "$tmp/faults")
    "$build/tools/kconform-inject" --markdown="$tmp/shard$k.md" "${args[@]}" \
        "$build/kconform-x86_64" > "$tmp/shard$k.log" 2>&1 &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
cat "$tmp"/shard*.log | tee "$build/inject.log"
python3 "$root/bench/inject_merge.py" "$tmp/faults" "$tmp"/shard*.md \
    > "$root/docs/fault-detection.body.md"
{
    echo "# Fault detection"
    echo
    echo "Measured with \`bench/inject.sh\` (tools/inject/): each fault of the catalogue"
    echo "(tools/inject/faults.cpp, faults_subtle.cpp, faults_deeper.cpp, faults_process.cpp) models one real class of kernel"
    echo "bug; the suite runs once per fault under a ptrace tracer that injects it into"
    echo "the test processes. A fault is detected when a test that passes without it"
    echo "does not pass with it."
    echo
    echo "Run of $(date -u +%F) on Linux $(uname -r) ($(uname -m)), $shards shard(s)."
    echo "Transparency (the traced run without a fault matches a native run):"
    grep '^transparency' "$tmp"/shard*.log | sed 's/^.*transparency: /- /'
    echo
    cat "$root/docs/fault-detection.body.md"
} > "$root/docs/fault-detection.md"
rm -f "$root/docs/fault-detection.body.md"
exit $status
