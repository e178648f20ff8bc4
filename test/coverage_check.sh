#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# coverage_check.sh BUILD_DIR SOURCE_DIR [MARKDOWN]
# Every system call of each ABI's table has tests (5 or more, or a reason in
# src/arch/nr-coverage.txt): tools/coverage.py over each binary's listing.
# The cross binaries are listed under qemu-user when it is installed. With
# MARKDOWN, also writes the coverage page there (docs/coverage.md).
set -u
build=$1 src=$2 md=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=()
"$build/kconform-x86_64" --list --format=jsonl > "$tmp/x86_64.jsonl" || exit 1
runs+=("x86_64=$tmp/x86_64.jsonl")
for arch in aarch64 riscv64; do
    bin=$build/cross-$arch/kconform-$arch
    qemu=$(command -v "qemu-$arch" || true)
    if [ -x "$bin" ] && [ -n "$qemu" ]; then
        "$qemu" "$bin" --list --format=jsonl > "$tmp/$arch.jsonl" || exit 1
        runs+=("$arch=$tmp/$arch.jsonl")
    else
        echo "coverage_check: $arch not listed (no cross binary or qemu-$arch)" >&2
    fi
done
python3 "$src/tools/coverage.py" --check ${md:+--markdown="$md"} "${runs[@]}"
