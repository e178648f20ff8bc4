#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every C++ file of the project is as clang-format writes it, under the
# project's .clang-format, with the clang-format of Debian 12 (version 14,
# the one ./kc installs): another version formats some constructs
# differently, so it skips (77) rather than fail.
#   test/format_check.sh SOURCE_DIR
set -u
src=${1:?usage: format_check.sh SOURCE_DIR}
cd "$src" || exit 2
command -v clang-format >/dev/null || { echo "clang-format is not installed"; exit 77; }
version=$(clang-format --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
[ "$version" = 14 ] || { echo "clang-format $version, not 14: skipped"; exit 77; }
bad=0
while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "not clang-formatted: $f (clang-format -i $f)"
        bad=1
    fi
done < <(find src tools test -name '*.cpp' -o -name '*.hpp' | sort)
[ $bad = 0 ] && echo "every C++ file is clang-formatted"
exit $bad
