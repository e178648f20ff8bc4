#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# target_check.sh BUILD_DIR SOURCE_DIR TARGET
# Runs the suite on TARGET with kconform-run and checks the result against the
# native reference run (the oracle) and expect/TARGET.txt: a new divergence
# fails, and so does an entry of the file that no longer matches one.
# The reference itself: TARGET=native, which must pass outright.
# Exit 77 (CTest: skipped) when the target's tool is missing outside CI; in
# CI (CI=true) a missing tool is a failure.
set -u
build=$1 src=$2 target=$3
out=$build/results
mkdir -p "$out"
run=$build/tools/kconform-run
cmp=$build/tools/kconform-compare

"$run" "$target" --out="$out/$target.jsonl"
rc=$?
if [ "$rc" -eq 2 ]; then
    if [ "${CI:-}" = true ]; then
        echo "target_check: $target could not be set up in CI" >&2
        exit 1
    fi
    echo "target_check: $target is not available here (see above): skipped" >&2
    exit 77
fi
if [ "$target" = native ]; then
    [ "$rc" -eq 0 ] || "$cmp" "$out/native.jsonl" | sed -n '/failing on the reference/,$p'
    exit "$rc"
fi
[ -f "$out/native.jsonl" ] || { echo "target_check: no native reference run" >&2; exit 1; }
"$cmp" --check --expect="$src/expect/$target.txt" "$out/native.jsonl" "$out/$target.jsonl"
