#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Determinism: runs the suite N times in each of six ways (root and uid
# 65534; fork isolation with --jobs=1 and --jobs=auto, and in-process
# isolation) and lists every test that did not pass (or skip) in any run,
# with how often.
#   bench/repeat.sh [N] [BINARY] [SUITE OPTIONS...]      (default N=100)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100}
bin=${2:-$root/build/kconform-x86_64}
shift 2 2>/dev/null || shift $#
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "repeat: N must be a positive integer" >&2; exit 2; }
[ -x "$bin" ] || { echo "repeat: $bin is not executable" >&2; exit 2; }
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
cp "$bin" "$tmp/kconform" && chmod 755 "$tmp/kconform"

ways=("root fork 1" "root fork auto" "root none 1")
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    ways+=("nobody fork 1" "nobody fork auto" "nobody none 1")
fi
status=0
for way in "${ways[@]}"; do
    read -r who mode jobs <<<"$way"
    prefix=()
    [ "$who" = nobody ] && prefix=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    : > "$tmp/bad"
    start=$(date +%s.%N)
    for i in $(seq "$n"); do
        "${prefix[@]}" "$tmp/kconform" --isolate="$mode" --jobs="$jobs" --format=jsonl "$@" > "$tmp/out" 2>&1
        grep '"type":"test"' "$tmp/out" | grep -v '"outcome":"PASS"' | grep -v '"outcome":"SKIP"' |
            sed 's/.*"id":"\([^"]*\)".*"outcome":"\([A-Z]*\)".*/\1 \2/' >> "$tmp/bad"
        grep -q '"type":"summary"' "$tmp/out" || echo "RUN-INCOMPLETE run $i" >> "$tmp/bad"
    done
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    if [ -s "$tmp/bad" ]; then
        status=1
        echo "$who/$mode/jobs=$jobs: $n runs in ${secs}s; not passing:"
        sort "$tmp/bad" | uniq -c | sort -rn | head -40
    else
        echo "$who/$mode/jobs=$jobs: $n runs in ${secs}s: every test passed or skipped every time"
    fi
done
exit "$status"
