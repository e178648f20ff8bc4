#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# manpage_check.sh MANPAGE SUITE_BINARY
# The manual page renders without a warning from man --warnings (groff's
# warnings go to standard error), names every option the binary's --help
# lists, and carries the binary's version.
set -euo pipefail
page=$1
suite=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 MANWIDTH=80

fail=0
rc=0
man --warnings -l -E UTF-8 "$page" >"$tmp/page.txt" 2>"$tmp/warnings" || rc=$?
if [ "$rc" -ne 0 ] || [ -s "$tmp/warnings" ]; then
    echo "FAIL: man --warnings -l -E UTF-8 $page (exit $rc):" >&2
    cat "$tmp/warnings" >&2
    fail=1
fi

# Rendered wide, so that no option is broken across lines; a hyphen may
# come out as U+2010 or U+2212, so fold both to '-'.
MANWIDTH=200 man -l -E UTF-8 "$page" 2>/dev/null | sed 's/\xe2\x80\x90/-/g; s/\xe2\x88\x92/-/g' >"$tmp/wide.txt"
# The options are the first words of the usage lines that begin with '-'
# ("  -v, --verbose   ...").
"$suite" --help | awk '/^  -/ { print $1; if ($1 ~ /,$/) print $2 }' |
    sed 's/,$//; s/=.*//' >"$tmp/options"
[ -s "$tmp/options" ] || { echo "FAIL: no options found in $suite --help" >&2; fail=1; }
while read -r opt; do
    if ! grep -qe "$opt\\b" "$tmp/wide.txt"; then
        echo "FAIL: $page does not mention $opt (from $suite --help)" >&2
        fail=1
    fi
done <"$tmp/options"

# "kconform 0.1.0 (x86_64)" -> the page's .TH must say "kconform 0.1.0".
version=$("$suite" --version | awk '{ print $1 " " $2 }')
if ! grep -q "^\\.TH .*\"$version\"" "$page"; then
    echo "FAIL: the .TH line of $page does not carry \"$version\" ($suite --version)" >&2
    fail=1
fi

[ "$fail" -eq 0 ] && echo "ok: $page renders without warnings, names $(wc -l <"$tmp/options") options, version $version"
exit "$fail"
