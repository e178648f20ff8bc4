#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# html_check.sh BUILD_DIR: renders kconform-compare's HTML matrix in headless
# Chromium and checks what the browser built: the score table, one run per
# column, coloured and outlined cells, collapsible groups; the summary heat
# maps at the top of the page, n/a for a system call an architecture does not
# have, and a drill-down: a click on a heat-map cell shows that call's tests
# with the run's column marked. Screenshots (build/html/report.png, the top
# of the page, and build/html/drill.png, after a click) are kept for a person
# to look at.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/html
rm -rf "$dir" && mkdir -p "$dir"
st=$build/kconform-selftest-x86_64
cmp=$build/tools/kconform-compare
# Two runs that differ: the selftest as it is, and without its hanging tests.
"$st" --format=jsonl > "$dir/a.jsonl" || true
"$st" --format=jsonl --isolate=none --filter='-*hang*' --filter=-selftest.exit_early > "$dir/b.jsonl" || true
"$cmp" --format=html --out="$dir/report.html" "$dir/a.jsonl" "$dir/b.jsonl"
# Three runs of the corpus's native sample (close, read, write): as it is;
# "t", where one read test fails; "arm", an aarch64 run without write(2),
# whose tests SKIP as the harness's REQUIRE_NR says.
seed=$src/test/corpus/results/seed-native.jsonl
cp "$seed" "$dir/native.jsonl"
sed -e '/"id":"read.count_zero_returns_zero"/s/"outcome":"PASS"/"outcome":"FAIL"/' \
    -e 's/"target":"native"/"target":"t"/' "$seed" > "$dir/t.jsonl"
sed -e 's/"arch":"x86_64"/"arch":"aarch64"/' -e 's/"target":"native"/"target":"arm"/' \
    -e '/"group":"write"/{s/"outcome":"PASS"/"outcome":"SKIP"/;s/"message":""/"message":"no write system call on aarch64"/}' \
    "$seed" > "$dir/arm.jsonl"
"$cmp" --format=html --out="$dir/drill.html" "$dir/native.jsonl" "$dir/t.jsonl" "$dir/arm.jsonl"
# The page as the browser leaves it, then a real click on the heat-map cell
# of close(2) on arm, then "show all": each state written into the page.
probe() {
    cat <<'EOF'
<script>
window.addEventListener('load', function () {
  var out = [], q = function (s) { return document.querySelector(s); };
  function state(tag) {
    var shown = [], open = [];
    document.querySelectorAll('details[data-group]').forEach(function (d) {
      if (!d.hidden) shown.push(d.dataset.group);
      if (!d.hidden && d.open) open.push(d.dataset.group);
    });
    out.push(tag + '.shown=' + shown.join(','), tag + '.open=' + open.join(','),
             tag + '.focus=' + document.querySelectorAll('td.focus').length,
             tag + '.note=' + (q('#drill').hidden ? '' : q('#drill').textContent));
  }
  var heat = q('#heat-syscall').getBoundingClientRect(), first = q('details').getBoundingClientRect();
  out.push('heat.top=' + Math.round(heat.top), 'heat.above_tests=' + (heat.bottom <= first.top),
           'viewport=' + window.innerHeight, 'heat.cells=' + document.querySelectorAll('#heat-syscall td.h').length);
  var cell = q('#heat-syscall td.h[data-group="read"][data-run="1"]');
  out.push('cell.read.t=' + cell.textContent, 'cell.read.t.outline=' + getComputedStyle(cell).outlineStyle,
           'cell.read.t.background=' + getComputedStyle(cell).backgroundColor);
  out.push('cell.write.arm=' + q('#heat-syscall td.h[data-group="write"][data-run="2"]').textContent);
  state('load');
  q('#heat-syscall td.h[data-group="close"][data-run="2"]').click();
  state('click');
  if (location.hash === '#clicked') return;  // the screenshot: the page after the click
  q('#show-all').click();
  state('all');
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = '\n' + out.join('\n') + '\n';
  document.body.appendChild(pre);
});
</script>
EOF
}
cat "$dir/drill.html" <(probe) > "$dir/drill-probe.html"

command -v chromium >/dev/null || { echo "html_check: chromium is not installed" >&2; exit 1; }
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$dir/profile" --window-size=1200,900)
timeout 120 chromium "${flags[@]}" --dump-dom "file://$dir/report.html" > "$dir/dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --screenshot="$dir/report.png" "file://$dir/report.html" >/dev/null 2>&1
timeout 120 chromium "${flags[@]}" --virtual-time-budget=5000 --dump-dom \
    "file://$dir/drill-probe.html" > "$dir/drill-dom.html" 2>/dev/null
timeout 120 chromium "${flags[@]}" --virtual-time-budget=5000 --screenshot="$dir/drill.png" \
    "file://$dir/drill-probe.html#clicked" >/dev/null 2>&1

fail=0
check() { # description, expected, actual
    if [ "$2" != "$3" ]; then echo "html_check: $1: expected '$2', got '$3'" >&2; fail=1; fi
}
check "runs in the score table" 2 "$(grep -o '<tr><td>[ab]</td><td class="n">' "$dir/dom.html" | wc -l)"
tests=$(grep -c '"type":"test"' "$dir/a.jsonl")  # b runs a subset of them
check "test rows (one per test of a)" "$tests" "$(grep -o '<tr><td><code>selftest\.' "$dir/dom.html" | wc -l)"
check "cells outlined as diverging (two hangs and exit_early missing in b)" 3 "$(grep -o 'class="MISSING div"' "$dir/dom.html" | wc -l)"
check "TIMEOUT cells" 2 "$(grep -o 'class="TIMEOUT"' "$dir/dom.html" | wc -l)"
check "collapsible groups" 1 "$(grep -o '<details open="" data-group="selftest"' "$dir/dom.html" | wc -l)"
# The assertion's line, read from the source (licence and comment lines above
# it move it): the message on the cell must name that line.
sel=$src/test/selftest/selftest.cpp
line=$(grep -nF 'EXPECT_ERR(sys::close(-1), EINVAL)' "$sel" | cut -d: -f1 || true)
if ! [[ $line =~ ^[0-9]+$ ]]; then
    echo "html_check: not one line of $sel holds EXPECT_ERR(sys::close(-1), EINVAL): '$line'" >&2
    fail=1
elif ! grep -qF "title=\"test/selftest/selftest.cpp:$line sys::close(-1): expected -EINVAL, got -EBADF" "$dir/dom.html"; then
    echo "html_check: failure message not on its cell" >&2
    fail=1
fi
# The overview first: the summary section, with the heat maps, before any test.
check "summary before the tests" 1 "$(tr -d '\n' < "$dir/dom.html" | grep -o '<section id="summary">.*id="heat-syscall".*</section>.*<details' | wc -l)"
check "heat-map cell of selftest on b (3 new divergences)" 1 "$(grep -o '<td class="h hd" data-group="selftest" data-run="1"' "$dir/dom.html" | wc -l)"
size=$(stat -c %s "$dir/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] || { echo "html_check: no usable screenshot ($size bytes)" >&2; fail=1; }

# What the browser measured and did (drill-probe.html).
val() { sed -n "s/^$1=//p" "$dir/drill-dom.html"; }
[ -n "$(val heat.top)" ] || { echo "html_check: the probe script did not run" >&2; exit 1; }
[ "$(val heat.top)" -lt "$(val viewport)" ] ||
    { echo "html_check: heat map not in the first screen (top $(val heat.top) px)" >&2; fail=1; }
check "heat map above the test tables" true "$(val heat.above_tests)"
check "heat-map cells (3 calls x 3 runs)" 9 "$(val heat.cells)"
check "read on t: 7 of 8 pass" 87% "$(val cell.read.t)"
check "read on t: outlined as a new divergence" solid "$(val cell.read.t.outline)"
case "$(val cell.read.t.background)" in
    rgb\(*) ;;
    *) echo "html_check: read on t: not coloured ($(val cell.read.t.background))" >&2; fail=1 ;;
esac
check "write on arm: n/a" "n/a" "$(val cell.write.arm)"
check "groups open on load (only read diverges; write is n/a, not a divergence)" read "$(val load.open)"
check "after a click on close x arm: only close shown" close "$(val click.shown)"
check "after a click on close x arm: close opened" close "$(val click.open)"
check "after a click on close x arm: arm's cell of its one test marked" 1 "$(val click.focus)"
check "after a click: says what it shows" "Showing system call close on arm. show all" "$(val click.note)"
check "show all: every group back" close,read,write "$(val all.shown)"
check "n/a test cells (write's 10 tests on arm), not outlined" 10 "$(grep -o '<td class="NA" title="no write system call on aarch64">n/a</td>' "$dir/drill-dom.html" | wc -l)"
size=$(stat -c %s "$dir/drill.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] || { echo "html_check: no usable drill-down screenshot ($size bytes)" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "html_check: page renders as expected; screenshots $dir/report.png, $dir/drill.png"
exit "$fail"
