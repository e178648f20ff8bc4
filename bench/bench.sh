#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Size and speed of the suite: stripped bytes, bytes per test, and the
# median wall time, CPU time (user + system) and peak RSS of a full native
# run over several runs, with --jobs=auto (the default) and --jobs=1.
#   bench/bench.sh BINARY [RUNS]   (./kc bench builds and calls this)
set -euo pipefail
bin=${1:?usage: bench.sh BINARY [RUNS]}
runs=${2:-11}
[ -x "$bin" ] || { echo "bench: $bin is not an executable" >&2; exit 2; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive integer" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

strip -s -o "$tmp/stripped" "$bin"
size=$(stat -c %s "$tmp/stripped")
tests=$("$bin" --list | tail -1 | awk '{print $4}')
groups=$("$bin" --list | grep -v '^#' | cut -d. -f1 | sort -u | wc -l)

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# Runs alternate between the two job settings, so that a change in the
# machine's load hits both alike.
for i in $(seq "$runs"); do
    for jobs in auto 1; do
        /usr/bin/time -f '%e %U %S %M' -o "$tmp/t.$jobs.$i" "$bin" --jobs=$jobs >/dev/null 2>&1 || true
    done
done
# The median of an awk expression over the runs with --jobs=$1.
stat() { cat "$tmp"/t."$1".* | awk "{ print $2 }" | median; }
wall_auto=$(stat auto '$1') wall_1=$(stat 1 '$1')
cpu_auto=$(stat auto '$2 + $3') cpu_1=$(stat 1 '$2 + $3')
rss_auto=$(stat auto '$4')
jobs_auto=$("$bin" --format=jsonl --filter=nothing | sed -n 's/.*"jobs":\([0-9]*\).*/\1/p')

printf 'binary           %s\n' "$bin"
printf 'tests            %s in %s groups\n' "$tests" "$groups"
printf 'stripped size    %s bytes\n' "$size"
printf 'bytes per test   %s\n' "$((size / tests))"
printf 'wall time        %s s with --jobs=auto (%s jobs), %s s with --jobs=1 (medians of %s runs)\n' \
    "$wall_auto" "$jobs_auto" "$wall_1" "$runs"
printf 'CPU time         %s s with --jobs=auto, %s s with --jobs=1 (user + system)\n' "$cpu_auto" "$cpu_1"
printf 'speed-up         %s\n' "$(awk -v a="$wall_auto" -v b="$wall_1" 'BEGIN { printf "%.2fx", b / a }')"
printf 'peak RSS         %s KiB (median, --jobs=auto; the largest process)\n' "$rss_auto"
