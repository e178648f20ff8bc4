#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# package_check.sh BUILD_DIR SOURCE_DIR SUITE
# The release packages as ./kc dist makes them (cpack in the build
# directory): the .deb, unpacked into a scratch root (never the real
# system), must hold the suite for every architecture built, runnable, and
# the host tools, the man page, the expect files, the LAVA definition and the
# docs; the .tar.gz must hold the same files.
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
suite=$3
arch=${suite##*/kconform-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

if ! cpack --config "$build/CPackConfig.cmake" -G 'DEB;TGZ' -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    echo "FAIL: cpack" >&2
    exit 1
fi
debs=("$tmp"/pkg/*.deb)
tgzs=("$tmp"/pkg/*.tar.gz)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ] || [ ${#tgzs[@]} -ne 1 ] || [ ! -f "${tgzs[0]}" ]; then
    echo "FAIL: cpack did not make one .deb and one .tar.gz:" "$tmp"/pkg/* >&2
    exit 1
fi
deb=${debs[0]}
tgz=${tgzs[0]}

# --- the control fields ---
version=$("$suite" --version | awk '{ print $2 }')
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = kconform ] || bad "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || bad "Version: $(field Version), the suite says $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || bad "Architecture: $(field Architecture)"
case $(field Depends) in *libstdc++6*) ;; *) bad "Depends does not name libstdc++6 (the host tools): $(field Depends)" ;; esac
[ -n "$(field Maintainer)" ] || bad "no Maintainer"

# --- unpacked into a scratch root ---
root=$tmp/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin
count_line() { "$@" --list | tail -n 1; }
want=$(count_line "$suite")
if ! [[ $want =~ ^#\ ([0-9]+)\ of\ ([0-9]+)\ registered\ tests\ selected$ ]] ||
    [ "${BASH_REMATCH[1]}" -eq 0 ]; then
    bad "the build's suite lists no tests: '$want'"
fi
for prog in "kconform-$arch" kconform; do
    if [ ! -x "$bin/$prog" ]; then
        bad "the package has no usr/bin/$prog"
        continue
    fi
    got=$(count_line "$bin/$prog")
    [ "$got" = "$want" ] || bad "usr/bin/$prog --list ends with '$got', not '$want'"
done
cmp -s "$bin/kconform-$arch" "$build/kconform-$arch.stripped" ||
    bad "usr/bin/kconform-$arch is not the stripped suite of the build"
[ "$fail" -eq 0 ] && echo "ok: the .deb's kconform-$arch and kconform run: '$want'"

# The other architectures the build made, runnable under qemu-user if here.
for cross in "$build"/cross-*/kconform-*.stripped; do
    [ -f "$cross" ] || continue
    a=${cross##*/kconform-}
    a=${a%.stripped}
    if [ ! -f "$bin/kconform-$a" ] || ! cmp -s "$bin/kconform-$a" "$cross"; then
        bad "usr/bin/kconform-$a is missing or not the build's ($cross)"
    elif command -v "qemu-$a" >/dev/null; then
        got=$(count_line "qemu-$a" "$bin/kconform-$a")
        if [[ $got =~ ^#\ [0-9]+\ of\ [0-9]+\ registered\ tests\ selected$ ]]; then
            echo "ok: the .deb's kconform-$a runs under qemu-$a: '$got'"
        else
            bad "qemu-$a usr/bin/kconform-$a --list ends with '$got'"
        fi
    else
        echo "ok: the .deb holds kconform-$a (no qemu-$a here to run it)"
    fi
done

# --- the host tools work from the package (their libraries resolve) ---
"$bin/kconform" --format=jsonl --filter='dup.*' >"$tmp/run.jsonl" || true
if "$bin/kconform-compare" "$tmp/run.jsonl" "$tmp/run.jsonl" >"$tmp/compare.txt" 2>&1; then
    echo "ok: usr/bin/kconform-compare compares a run made with the packaged suite"
else
    bad "usr/bin/kconform-compare failed:"$'\n'"$(head -n 20 "$tmp/compare.txt")"
fi
if "$bin/kconform-initramfs" "$bin/kconform" "$tmp/init.cpio" >/dev/null 2>&1 && [ -s "$tmp/init.cpio" ]; then
    echo "ok: usr/bin/kconform-initramfs makes an initramfs from the packaged suite"
else
    bad "usr/bin/kconform-initramfs failed"
fi
# kconform-run, installed, finds the suite installed next to it (no build
# tree around it): the native one, and each other one qemu-user here runs.
run_installed() {  # run_installed TARGET ARCH
    local log=$tmp/run-$1.log out=$tmp/run-$1.jsonl status=0 line
    "$bin/kconform-run" "$1" --out="$out" -- --filter='dup.*' >"$log" 2>&1 || status=$?
    line=$(grep '^{"type":"target",' "$out" 2>/dev/null || true)
    # 0 or 1: the run completed (1: with failures, the target's business here).
    if [ "$status" -gt 1 ]; then
        bad "usr/bin/kconform-run $1 exited with status $status:"$'\n'"$(head -n 20 "$log")"
    elif [[ $line != *"$bin/kconform-$2 --format=jsonl"* ]]; then
        bad "usr/bin/kconform-run $1 did not run usr/bin/kconform-$2: '$line'"
    else
        echo "ok: usr/bin/kconform-run $1 runs the packaged usr/bin/kconform-$2"
    fi
}
if [ ! -x "$bin/kconform-run" ]; then
    bad "the package has no usr/bin/kconform-run"
else
    if [ "$arch" = x86_64 ]; then run_installed native "$arch"; fi  # native: kconform-x86_64
    for cross in "$build"/cross-*/kconform-*.stripped; do
        [ -f "$cross" ] || continue
        a=${cross##*/kconform-}
        a=${a%.stripped}
        # kconform-run's qemu-ARCH targets run /usr/bin/qemu-ARCH.
        if [ -x "/usr/bin/qemu-$a" ]; then run_installed "qemu-$a" "$a"; fi
    done
fi

# --- the man page, the expect files, the LAVA definition, the docs ---
page=$root/usr/share/man/man1/kconform.1
if [ -f "$page" ]; then
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l -E UTF-8 "$page" 2>&1 >/dev/null) || true
    if [ -z "$warnings" ]; then
        echo "ok: usr/share/man/man1/kconform.1 renders without warnings"
    else
        bad "man --warnings on the packaged page:"$'\n'"$warnings"
    fi
else
    bad "the package has no usr/share/man/man1/kconform.1"
fi
(cd "$src/expect" && ls ./*.txt) >"$tmp/expect.src"
(cd "$root/usr/share/kconform/expect" 2>/dev/null && ls ./*.txt) >"$tmp/expect.pkg" || true
if diff -u "$tmp/expect.src" "$tmp/expect.pkg" >"$tmp/diff"; then
    cmp -s "$src/expect/qemu-aarch64.txt" "$root/usr/share/kconform/expect/qemu-aarch64.txt" ||
        bad "usr/share/kconform/expect/qemu-aarch64.txt differs from expect/"
    echo "ok: usr/share/kconform/expect/ holds the $(wc -l <"$tmp/expect.src") expect files"
else
    bad "usr/share/kconform/expect/ is not expect/:"$'\n'"$(cat "$tmp/diff")"
fi
for f in share/kconform/lava/kconform.yaml share/kconform/lava/kconform-lava.sh \
         share/doc/kconform/LICENSE share/doc/kconform/README.md share/doc/kconform/writing-tests.md; do
    [ -f "$root/usr/$f" ] || bad "the package has no usr/$f"
done
[ -x "$root/usr/share/kconform/lava/kconform-lava.sh" ] || bad "kconform-lava.sh is not executable in the package"

# --- the .tar.gz: the same files, under one top directory ---
(cd "$root/usr" && find . ! -type d | sed 's|^\./||' | sort) >"$tmp/deb.files"
tar -tzf "$tgz" | grep -v '/$' | sed 's|^[^/]*/||' | sort >"$tmp/tgz.files"
if diff -u "$tmp/deb.files" "$tmp/tgz.files" >"$tmp/diff"; then
    echo "ok: the .tar.gz holds the same $(wc -l <"$tmp/deb.files") files as the .deb"
else
    bad "the .tar.gz and the .deb differ:"$'\n'"$(cat "$tmp/diff")"
fi
exit "$fail"
