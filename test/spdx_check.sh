#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# spdx_check.sh SOURCE_DIR
# Every source file of the project names its licence in an SPDX line within
# its first three lines (tools/add-spdx.sh decides what a source file is, and
# adds the lines). First, on scratch files, that add-spdx.sh puts the line in
# each file's comment syntax and in the right place, leaves other files
# alone, and changes nothing when run twice.
set -euo pipefail
src=$(cd "$1" && pwd)
tool=$src/tools/add-spdx.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# --- add-spdx.sh on a scratch tree (not a git work tree: the find path) ---
s=$tmp/tree
mkdir -p "$s/src" "$s/test/corpus" "$s/build" "$s/docs" "$s/.ci"
printf '// what this file covers\nint x;\n' >"$s/src/a.cpp"
printf '#pragma once\n' >"$s/src/b.hpp"
printf '// entry\n    .text\n' >"$s/src/c.S"
printf '/* pool */\nSECTIONS {}\n' >"$s/src/d.ld"
printf '#!/bin/sh\necho hi\n' >"$s/run.sh"
chmod 755 "$s/run.sh"
printf 'project(x)\n' >"$s/CMakeLists.txt"
printf 'set(A 1)\n' >"$s/x.cmake"
printf '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(1)\n' >"$s/p.py"
printf "'\\\\\" t\n.TH X 1\n" >"$s/docs/t.1"
printf '.TH Y 1\n' >"$s/docs/y.1"
printf '#!/usr/bin/env bash\ntrue\n' >"$s/.ci/run"
printf '#!/bin/sh\nexit 0' >"$s/tool"  # no extension, no final newline
: >"$s/empty.sh"
printf 'metadata:\n  name: x\n' >"$s/def.yaml"
printf '#!not a script\n' >"$s/test/corpus/input1"
printf 'plain text\n' >"$s/notes.txt"
printf '// SPDX-License-Identifier: Apache-2.0\nint y;\n' >"$s/src/other.cpp"
printf 'int z;\n' >"$s/build/generated.cpp"

"$tool" "$s" >"$tmp/add1.log"
expect() {  # expect FILE CONTENT: the file's bytes, as printf reads them
    local want
    want=$(printf "$2"; echo .)
    [ "$(cat "$s/$1"; echo .)" = "$want" ] || bad "add-spdx.sh made $1:"$'\n'"$(cat "$s/$1")"
}
expect src/a.cpp '// SPDX-License-Identifier: MIT\n// what this file covers\nint x;\n'
expect src/b.hpp '// SPDX-License-Identifier: MIT\n#pragma once\n'
expect src/c.S '// SPDX-License-Identifier: MIT\n// entry\n    .text\n'
expect src/d.ld '/* SPDX-License-Identifier: MIT */\n/* pool */\nSECTIONS {}\n'
expect run.sh '#!/bin/sh\n# SPDX-License-Identifier: MIT\necho hi\n'
expect CMakeLists.txt '# SPDX-License-Identifier: MIT\nproject(x)\n'
expect x.cmake '# SPDX-License-Identifier: MIT\nset(A 1)\n'
expect p.py '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# SPDX-License-Identifier: MIT\nprint(1)\n'
expect docs/t.1 "'\\\\\" t\n.\\\\\" SPDX-License-Identifier: MIT\n.TH X 1\n"
expect docs/y.1 '.\\" SPDX-License-Identifier: MIT\n.TH Y 1\n'
expect .ci/run '#!/usr/bin/env bash\n# SPDX-License-Identifier: MIT\ntrue\n'
expect tool '#!/bin/sh\n# SPDX-License-Identifier: MIT\nexit 0\n'
expect empty.sh '# SPDX-License-Identifier: MIT\n'
expect def.yaml '# SPDX-License-Identifier: MIT\nmetadata:\n  name: x\n'
expect test/corpus/input1 '#!not a script\n'
expect notes.txt 'plain text\n'
expect src/other.cpp '// SPDX-License-Identifier: Apache-2.0\nint y;\n'
expect build/generated.cpp 'int z;\n'
[ -x "$s/run.sh" ] || bad "add-spdx.sh lost the mode of run.sh"
[ "$(grep -c '^added: ' "$tmp/add1.log")" -eq 14 ] ||
    bad "add-spdx.sh should have added 14 lines:"$'\n'"$(cat "$tmp/add1.log")"
(cd "$s" && find . -type f -exec md5sum {} + | sort) >"$tmp/sums1"
"$tool" "$s" >"$tmp/add2.log"
(cd "$s" && find . -type f -exec md5sum {} + | sort) >"$tmp/sums2"
cmp -s "$tmp/sums1" "$tmp/sums2" && [ ! -s "$tmp/add2.log" ] ||
    bad "a second run of add-spdx.sh changed files: $(cat "$tmp/add2.log")"
"$tool" --check "$s" >/dev/null || bad "add-spdx.sh --check fails on the tree it completed"
[ "$fail" -eq 0 ] && echo "ok: add-spdx.sh adds the line in each syntax, once"

# --- the project's own sources ---
if "$tool" --check "$src" >"$tmp/missing" 2>"$tmp/summary"; then
    cat "$tmp/missing"
else
    bad "$(cat "$tmp/summary")"
    sed 's/^/  /' "$tmp/missing" >&2
fi
exit "$fail"
