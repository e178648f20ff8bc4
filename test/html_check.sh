#!/usr/bin/env bash
# html_check.sh BUILD_DIR: renders kconform-compare's HTML matrix in headless
# Chromium and checks what the browser built: the score table, one run per
# column, coloured and outlined cells, collapsible groups; and that a
# screenshot (build/html/report.png, kept for a person to look at) is made.
set -euo pipefail
build=$(cd "$1" && pwd)
dir=$build/html
rm -rf "$dir" && mkdir -p "$dir"
st=$build/kconform-selftest-x86_64
# Two runs that differ: the selftest as it is, and without its hanging tests.
"$st" --format=jsonl > "$dir/a.jsonl" || true
"$st" --format=jsonl --isolate=none --filter='-*hang*' --filter=-selftest.exit_early > "$dir/b.jsonl" || true
"$build/tools/kconform-compare" --format=html --out="$dir/report.html" "$dir/a.jsonl" "$dir/b.jsonl"

command -v chromium >/dev/null || { echo "html_check: chromium is not installed" >&2; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$dir/profile" --window-size=1200,900)
timeout 120 chromium "${flags[@]}" --dump-dom "file://$dir/report.html" > "$dir/dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --screenshot="$dir/report.png" "file://$dir/report.html" >/dev/null 2>&1

fail=0
check() { # description, expected count, actual count
    if [ "$2" != "$3" ]; then echo "html_check: $1: expected $2, got $3" >&2; fail=1; fi
}
check "runs in the score table" 2 "$(grep -o '<tr><td>[ab]</td><td class="n">' "$dir/dom.html" | wc -l)"
check "test rows (18 tests)" 18 "$(grep -o '<tr><td><code>selftest\.' "$dir/dom.html" | wc -l)"
check "cells outlined as diverging (two hangs and exit_early missing in b)" 3 "$(grep -o 'class="MISSING div"' "$dir/dom.html" | wc -l)"
check "TIMEOUT cells" 2 "$(grep -o 'class="TIMEOUT"' "$dir/dom.html" | wc -l)"
check "collapsible groups" 1 "$(grep -o '<details open="" data-group="selftest">' "$dir/dom.html" | wc -l)"
grep -q 'title="test/selftest/selftest.cpp:9 sys::close(-1): expected -EINVAL, got -EBADF' "$dir/dom.html" ||
    { echo "html_check: failure message not on its cell" >&2; fail=1; }
size=$(stat -c %s "$dir/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] || { echo "html_check: no usable screenshot ($size bytes)" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "html_check: page renders as expected; screenshot $dir/report.png"
exit "$fail"
