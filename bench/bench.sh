#!/usr/bin/env bash
# Size and speed of the suite: stripped bytes, bytes per test, and median
# wall time and peak RSS of a full native run over several runs.
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

for i in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/t$i" "$bin" >/dev/null 2>&1 || true
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
wall=$(cat "$tmp"/t* | awk '{print $1}' | median)
rss=$(cat "$tmp"/t* | awk '{print $2}' | median)

printf 'binary           %s\n' "$bin"
printf 'tests            %s in %s groups\n' "$tests" "$groups"
printf 'stripped size    %s bytes\n' "$size"
printf 'bytes per test   %s\n' "$((size / tests))"
printf 'wall time        %s s (median of %s runs)\n' "$wall" "$runs"
printf 'peak RSS         %s KiB (median)\n' "$rss"
