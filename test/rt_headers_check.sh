#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rt_headers_check.sh SOURCE_DIR ARCH CXX [FLAG...]
# The one system-call layer (src/rt/) holds together: every rt header
# compiles alone, and all of them compile in one translation unit (in name
# order and in reverse), with the suite's freestanding flags for ARCH and
# that architecture's compiler. A wrapper, struct or constant defined in two
# headers, or a header that needs another it does not include, fails here.
# Exit 77 (CTest: skipped) when CXX is not installed (a cross compiler).
set -u
src=$1 arch=$2 cxx=$3
shift 3
if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "rt_headers_check: no $cxx: the rt headers are not checked for $arch"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
compile() {  # compile NAME: $tmp/NAME.cpp
    if ! "$cxx" "$@" -I"$src/src" -fsyntax-only -x c++ "$tmp/$name.cpp" 2>"$tmp/$name.log"; then
        echo "FAIL ($arch): $what" >&2
        head -20 "$tmp/$name.log" >&2
        fail=1
    fi
}
# A name wrapped twice with different parameters would compile as an overload.
dups=$(cat "$src"/src/rt/*.hpp | grep -o 'inline [a-z0-9_:]* \+[a-zA-Z0-9_]*(' |
    sed 's/($//; s/.* //' | sort | uniq -d)
if [ -n "$dups" ]; then
    echo "FAIL: functions defined more than once in src/rt: $dups" >&2
    fail=1
fi
headers=()
for h in "$src"/src/rt/*.hpp; do headers+=("rt/${h##*/}"); done
[ "${#headers[@]}" -gt 0 ] || { echo "rt_headers_check: no headers in $src/src/rt" >&2; exit 1; }
for h in "${headers[@]}"; do
    name=alone_$(basename "$h" .hpp) what="$h alone"
    printf '#include "%s"\n' "$h" >"$tmp/$name.cpp"
    compile "$@"
done
name=all what="all ${#headers[@]} headers in one translation unit"
printf '#include "%s"\n' "${headers[@]}" >"$tmp/$name.cpp"
compile "$@"
name=all_reversed what="all headers in one translation unit, in reverse order"
for ((i = ${#headers[@]} - 1; i >= 0; i--)); do printf '#include "%s"\n' "${headers[$i]}"; done \
    >"$tmp/$name.cpp"
compile "$@"
[ "$fail" -eq 0 ] && echo "rt_headers_check: ${#headers[@]} rt headers compile alone and together ($arch, $cxx)"
exit "$fail"
