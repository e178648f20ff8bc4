#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# kernel_check.sh BUILD_DIR SOURCE_DIR
# Your own kernel in one command (issue 17): boots Debian's x86-64 kernel as
# `./kc run --kernel=IMAGE --accel=tcg` does (kconform-run's vm target: the
# architecture and the result's name read from the image), and checks the
# outcomes against the native run and expect/vm-x86_64.txt as
# target_check.sh checks vm-x86_64. TCG is forced here; target_vm-x86_64
# takes the KVM probe's path, so both stay tested, and each prints the
# accelerator it used. The whole suite runs (about 30 s under TCG with two
# vCPUs), so that every entry of expect/vm-x86_64.txt is seen. Bad input must
# end with status 2 and a message.
# Exit 77 (CTest: skipped) without the kernel or QEMU outside CI.
set -u
build=$1 src=$2
run=$build/tools/kconform-run
cmp=$build/tools/kconform-compare
out=$build/results/kernel
mkdir -p "$out"
fail=0

image=$(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' 2>/dev/null | sort -V | tail -n 1)
if [ -z "$image" ] || [ ! -x /usr/bin/qemu-system-x86_64 ]; then
    echo "kernel_check: no /boot/vmlinuz-*-amd64 or no qemu-system-x86_64" >&2
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi

# bad_input WANTED-MESSAGE ARGS...: status 2 and the message, at once.
bad_input() {
    local want=$1 msg rc=0
    shift
    msg=$("$run" "$@" 2>&1 >/dev/null) || rc=$?
    if [ "$rc" -ne 2 ] || [[ $msg != *"$want"* ]]; then
        echo "FAIL: kconform-run $* -> status $rc, '$msg' (wanted 2 and '$want')" >&2
        fail=1
    fi
}
bad_input "no readable kernel image" vm --kernel=/nonexistent/bzImage
bad_input "cannot tell the architecture" vm --kernel="$0"
bad_input "unknown --arch 'sparc'" vm --kernel="$image" --arch=sparc
bad_input "is a kernel for x86_64, not aarch64" vm --kernel="$image" --arch=aarch64
bad_input "--smp wants a whole number" vm --kernel="$image" --smp=two
bad_input "--mem wants a whole number" vm --kernel="$image" --mem=1G
bad_input "--accel wants auto, kvm or tcg" vm --kernel="$image" --accel=hvf
bad_input "needs a kernel image" vm
spec=$("$run" vm --kernel="$image" --dry-run)
if [ "$spec" != "$(basename "$image") x86_64" ]; then
    echo "FAIL: --dry-run says '$spec', not '$(basename "$image") x86_64'" >&2
    fail=1
fi

"$run" native --out="$out/native.jsonl" || fail=1
rc=0
"$run" vm --kernel="$image" --accel=tcg --timeout=600 --out="$out/kernel.jsonl" ||
    rc=$?
[ "$rc" -eq 2 ] && exit 1
accel=$(grep -o '"accel":"[a-z]*"' "$out/kernel.jsonl" | cut -d'"' -f4)
echo "kernel_check: $(basename "$image") ran under ${accel:-?}"
[ "$accel" = tcg ] || { echo "FAIL: --accel=tcg ran under '$accel'" >&2; fail=1; }
"$cmp" --check --expect="$src/expect/vm-x86_64.txt" "$out/native.jsonl" "$out/kernel.jsonl" || fail=1
[ "$fail" -eq 0 ] && echo "ok: $(grep -c '"type":"test"' "$out/kernel.jsonl") tests on $(basename "$image") as on vm-x86_64"
exit "$fail"
