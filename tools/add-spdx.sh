#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Puts an SPDX licence line at the top of every source file of the project
# that has none, in the file's own comment syntax:
#   // SPDX-License-Identifier: MIT      C++ and assembler (.cpp .hpp .c .h .S)
#   /* SPDX-License-Identifier: MIT */   linker scripts (.ld)
#   .\" SPDX-License-Identifier: MIT     manual pages (.1 ... .8)
#   # SPDX-License-Identifier: MIT       shell, CMake, Python, YAML, TAP
#                                        scripts (.t), and any file that
#                                        starts with #!
# The line goes first, or after a #! line, a Python coding line or a roff
# preprocessor line ('\" t), which must stay where they are. A file that
# already names a licence in its first three lines is left alone, so running
# it twice changes nothing.
#   tools/add-spdx.sh [SOURCE_DIR]          add the missing lines
#   tools/add-spdx.sh --check [SOURCE_DIR]  list files without one; exit 1 if any
#   tools/add-spdx.sh --list [SOURCE_DIR]   list every source file and its syntax
# The files are those git knows (tracked, or new and not ignored); outside a
# git work tree, every file below SOURCE_DIR except build*/, out/ and dist/.
set -euo pipefail
license=MIT
mode=add
case "${1:-}" in
    --check | --list) mode=${1#--}; shift ;;
    -h | --help) awk 'NR > 1 && /^# SPDX-License-Identifier:/ { next }
        NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "add-spdx: unknown option '$1'" >&2; exit 2 ;;
esac
[ $# -le 1 ] || { echo "usage: add-spdx.sh [--check|--list] [SOURCE_DIR]" >&2; exit 2; }
src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"

list_files() {
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files -z --cached --others --exclude-standard
    else
        find . \( -name .git -o -name 'build*' -o -name out -o -name dist \) -prune -o \
            -type f -printf '%P\0'
    fi
}

# The comment syntax of a source file, or nothing for a file that is not one.
syntax_of() {
    local f=$1
    case "$f" in
        */corpus/* | corpus/*) return ;;  # fuzzing inputs: data
        *.cpp | *.hpp | *.c | *.h | *.S) echo slashes ;;
        *.ld) echo block ;;
        *.[1-8]) echo roff ;;
        *.sh | *.cmake | CMakeLists.txt | */CMakeLists.txt | *.py | *.t | *.yaml | *.yml | kc | .ci/run)
            echo hash ;;
        *) [ "$(head -c 2 "$f")" = '#!' ] && echo hash ;;
    esac
    return 0
}

comment_line() {
    case "$1" in
        slashes) echo "// SPDX-License-Identifier: $license" ;;
        block) echo "/* SPDX-License-Identifier: $license */" ;;
        roff) echo ".\\\" SPDX-License-Identifier: $license" ;;
        hash) echo "# SPDX-License-Identifier: $license" ;;
    esac
}

# (awk alone: `head | grep -q` may die of SIGPIPE under pipefail.)
has_spdx() {
    awk 'NR <= 3 && /SPDX-License-Identifier: *[^ ]/ { found = 1; exit }
         NR >= 3 { exit }
         END { exit !found }' "$1"
}

# How many first lines must stay first.
keep_lines() {
    local f=$1 n=0 first second
    first=$(sed -n 1p "$f")
    second=$(sed -n 2p "$f")
    case "$first" in
        '#!'*) n=1 ;;
        "'\\\""*) n=1 ;;  # roff: '\" names the preprocessors, on line 1 only
    esac
    # PEP 263: a coding declaration counts on line 1 or 2 only.
    if [ "$n" -eq 1 ] && [[ $second =~ ^[[:space:]]*#.*coding[:=] ]]; then
        n=2
    elif [ "$n" -eq 0 ] && [[ $first =~ ^[[:space:]]*#.*coding[:=] ]]; then
        n=1
    fi
    echo "$n"
}

add_line() {
    local f=$1 line=$2 n tmp
    n=$(keep_lines "$f")
    tmp=$(mktemp)
    SPDX_LINE=$line awk -v n="$n" '
        NR == n + 1 { print ENVIRON["SPDX_LINE"]; done = 1 }
        { print }
        END { if (!done) print ENVIRON["SPDX_LINE"] }' "$f" >"$tmp"
    cat "$tmp" >"$f"  # in place: keeps the file's mode
    rm -f "$tmp"
}

missing=0 total=0
while IFS= read -r -d '' f; do
    if [ ! -f "$f" ] || [ -L "$f" ]; then continue; fi
    syntax=$(syntax_of "$f")
    [ -n "$syntax" ] || continue
    total=$((total + 1))
    case "$mode" in
        list) echo "$syntax $f" ;;
        check) has_spdx "$f" || { echo "$f"; missing=$((missing + 1)); } ;;
        add) has_spdx "$f" || { add_line "$f" "$(comment_line "$syntax")"; echo "added: $f"; } ;;
    esac
done < <(list_files)

if [ "$mode" = check ]; then
    if [ "$missing" -gt 0 ]; then
        echo "add-spdx: $missing of $total source files have no SPDX-License-Identifier line" \
             "in their first 3 lines (tools/add-spdx.sh adds them)" >&2
        exit 1
    fi
    echo "add-spdx: all $total source files carry an SPDX-License-Identifier line"
fi
