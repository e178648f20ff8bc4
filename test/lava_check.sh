#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# lava_check.sh SOURCE_DIR SUITE SELFTEST
# The LAVA test definition (lava/kconform.yaml) parses as YAML with the keys
# LAVA requires, and runs as LAVA runs it: its parameters as shell variables,
# then its steps under `set -e` in the definition's directory, with a
# lava-test-case on PATH that records each call and rejects a name LAVA
# would not take. Each test of a real run must give one call, with its
# result, in order, and kconform-run must pass; and lava/kconform-lava.sh
# must give the same calls from TAP as from JSON Lines, report FAIL, TIMEOUT
# and CRASH (from the self-test binary) as fail, a cut-off run as incomplete,
# and a missing, unfetchable or mismatching binary as kconform-run fail.
# Under busybox (sh, awk and the rest) too, when it is installed.
set -euo pipefail
src=$(cd "$1" && pwd)
suite=$2
selftest=$3
tmp=$(mktemp -d)
server=
cleanup() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }
lava=$src/lava/kconform-lava.sh
# Debian's python3-yaml belongs to /usr/bin/python3, whatever is first in PATH.
py=/usr/bin/python3
[ -x "$py" ] || py=python3

# --- the definition as YAML ---
"$py" - "$src/lava/kconform.yaml" "$src" <<'EOF' || fail=1
import os, sys, yaml
path, src = sys.argv[1], sys.argv[2]
d = yaml.safe_load(open(path))
problems = []
meta = d.get("metadata") or {}
if meta.get("format") != "Lava-Test Test Definition 1.0":
    problems.append("metadata.format is not 'Lava-Test Test Definition 1.0'")
for key in ("name", "description"):
    if not isinstance(meta.get(key), str) or not meta[key].strip():
        problems.append("metadata.%s is missing or empty" % key)
steps = (d.get("run") or {}).get("steps")
if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
    problems.append("run.steps is not a list of commands")
params = d.get("params") or {}
for key in ("KCONFORM_BIN", "KCONFORM_URL", "KCONFORM_SHA256", "KCONFORM_OPTS"):
    if key not in params:
        problems.append("params has no %s" % key)
for step in steps or []:
    for word in step.split():
        if word.startswith("./"):
            f = os.path.join(src, word[2:])
            if not (os.path.isfile(f) and os.access(f, os.X_OK)):
                problems.append("step '%s': %s is not an executable file" % (step, word))
for p in problems:
    print("FAIL: %s: %s" % (path, p), file=sys.stderr)
sys.exit(1 if problems else 0)
EOF

# A lava-test-case that records its calls, and refuses what LAVA would not
# take: a name with characters outside A-Z a-z 0-9 . _ - (LAVA splits its
# signal at spaces and '='), over 100 characters, or a result LAVA does not know.
mkdir -p "$tmp/bin"
cat >"$tmp/bin/lava-test-case" <<'EOF'
#!/bin/sh
if [ $# -ne 3 ] || [ "$2" != --result ]; then
    echo "BAD-ARGS $*" >>"$LAVA_CALLS"; exit 1
fi
case $3 in pass | fail | skip | unknown) ;; *) echo "BAD-RESULT $*" >>"$LAVA_CALLS"; exit 1 ;; esac
if [ "${#1}" -gt 100 ] || [ -z "$1" ] || [ -n "$(printf '%s' "$1" | tr -d 'A-Za-z0-9._-')" ]; then
    echo "BAD-NAME $*" >>"$LAVA_CALLS"; exit 1
fi
echo "$1 $3" >>"$LAVA_CALLS"
EOF
chmod +x "$tmp/bin/lava-test-case"

# The calls a JSON Lines run must give: each test's ID made LAVA-safe the
# way README and kconform-lava.sh say, with its result, then kconform-run.
expected_calls() {  # expected_calls JSONL [RUN_VERDICT]
    "$py" - "$1" "${2:-pass}" <<'EOF'
import json, re, sys
result = {"PASS": "pass", "SKIP": "skip", "FAIL": "fail", "TIMEOUT": "fail", "CRASH": "fail"}
for line in open(sys.argv[1]):
    if line.startswith("{"):
        o = json.loads(line)
        if o.get("type") == "test":
            name = re.sub(r"[^A-Za-z0-9._-]", "_", o["id"].replace("/", ".", 1))
            print(name, result[o["outcome"]])
print("kconform-run", sys.argv[2])
EOF
}

# run.sh as LAVA writes it: parameters (the definition's, then the job's),
# set -e, cd to the definition's repository, the steps, the end signal.
make_run_sh() {  # make_run_sh DIR NAME=VALUE...
    local dir=$1
    shift
    "$py" - "$src/lava/kconform.yaml" "$@" >"$dir/run.sh" <<'EOF'
import shlex, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
params = dict(d.get("params") or {})
params.update(a.split("=", 1) for a in sys.argv[2:])
print("###default parameters from test definition###")
for k, v in params.items():
    print("%s=%s" % (k, shlex.quote(str(v))))
print("set -e")
print("set -x")
print("export TESTRUN_ID=0_kconform")
print("cd \"$(dirname \"$0\")/repo\"")
print("set +x")
print('echo "<LAVA_SIGNAL_STARTRUN $TESTRUN_ID 1234>"')
for step in d["run"]["steps"]:
    print(step)
print('echo "<LAVA_SIGNAL_ENDRUN $TESTRUN_ID 1234>"')
EOF
    mkdir -p "$dir/repo/lava"
    cp "$src/lava/kconform.yaml" "$src/lava/kconform-lava.sh" "$dir/repo/lava/"
}

# lava_run NAME SHELL PATH NAME=VALUE...: runs the definition; the calls
# land in $tmp/NAME/calls, the output in $tmp/NAME/log.
lava_run() {
    local name=$1 shell=$2 path=$3 dir=$tmp/$1
    shift 3
    mkdir -p "$dir"
    make_run_sh "$dir" "$@"
    : >"$dir/calls"
    (cd "$dir" && env -i PATH="$path" LAVA_CALLS="$dir/calls" TMPDIR="$dir" HOME="$dir" \
        $shell run.sh >"$dir/log" 2>&1) || true
}

same_calls() {  # same_calls WHAT EXPECTED ACTUAL
    if ! diff -u "$2" "$3" >"$tmp/diff"; then
        bad "$1: the lava-test-case calls differ from the run's results:"$'\n'"$(head -n 40 "$tmp/diff")"
        return 1
    fi
}

ended() {  # ended NAME: the steps finished (set -e did not stop them)
    grep -q '<LAVA_SIGNAL_ENDRUN' "$tmp/$1/log"
}

# --- a real run through the definition, with dash ---
"$suite" --format=jsonl --filter='dup.*' >"$tmp/dup.jsonl" || true
expected_calls "$tmp/dup.jsonl" >"$tmp/dup.expected"
tests=$(grep -c '"type":"test"' "$tmp/dup.jsonl" || true)
[ "$tests" -gt 0 ] || bad "the reference run of dup.* has no tests"
lava_run dash sh "$tmp/bin:$PATH" KCONFORM_BIN="$suite" KCONFORM_OPTS='--filter=dup.*'
ended dash || bad "the definition's steps did not finish:"$'\n'"$(tail -n 20 "$tmp/dash/log")"
same_calls "definition under sh, dup.*" "$tmp/dup.expected" "$tmp/dash/calls" &&
    echo "ok: the definition reports $tests dup.* tests as $tests test cases, and kconform-run pass"
[ "$(grep -c '"type":"test"' "$tmp/dash/repo/kconform-results.jsonl" 2>/dev/null)" = "$tests" ] ||
    bad "the run's results were not kept in kconform-results.jsonl"

# --- every outcome, from JSON Lines and from TAP: the self-test binary ---
"$selftest" --format=jsonl --timeout=300 >"$tmp/self.jsonl" || true
"$selftest" --format=tap --timeout=300 >"$tmp/self.tap" || true
expected_calls "$tmp/self.jsonl" >"$tmp/self.expected"
for outcome in PASS FAIL SKIP TIMEOUT CRASH; do
    grep -q "\"outcome\":\"$outcome\"" "$tmp/self.jsonl" || bad "the self-test run has no $outcome"
done
for format in jsonl tap; do
    : >"$tmp/calls"
    rc=0
    PATH="$tmp/bin:$PATH" LAVA_CALLS="$tmp/calls" "$lava" parse "$tmp/self.$format" >"$tmp/out" || rc=$?
    same_calls "parse of the self-test run ($format)" "$tmp/self.expected" "$tmp/calls" &&
        [ "$rc" -eq 0 ] && echo "ok: $format: pass, fail (FAIL, TIMEOUT, CRASH) and skip as LAVA results"
    [ "$rc" -eq 0 ] || bad "parse of a complete $format run exited with $rc"
    grep -q 'selftest.crash_segv: CRASH: the test process was killed by SIGSEGV' "$tmp/out" ||
        bad "parse ($format) does not show a failure's outcome and message"
done

# --- a run cut off by a dying kernel: what came is reported, kconform-run fails ---
grep -v '"type":"summary"' "$tmp/self.jsonl" | sed -n '1,10p' >"$tmp/cut.jsonl"  # sed: no SIGPIPE
expected_calls "$tmp/cut.jsonl" fail >"$tmp/cut.expected"
sed -nE '1,/^(not )?ok 6 /p' "$tmp/self.tap" >"$tmp/cut.tap"
for format in jsonl tap; do
    : >"$tmp/calls"
    rc=0
    PATH="$tmp/bin:$PATH" LAVA_CALLS="$tmp/calls" "$lava" parse "$tmp/cut.$format" >"$tmp/out" || rc=$?
    [ "$format" = tap ] && { head -n 6 "$tmp/self.expected"; echo "kconform-run fail"; } >"$tmp/cut.expected"
    same_calls "parse of a cut-off $format run" "$tmp/cut.expected" "$tmp/calls" && [ "$rc" -eq 1 ] &&
        echo "ok: $format: a cut-off run reports what came and kconform-run fail (exit 1)"
    [ "$rc" -eq 1 ] || bad "parse of a cut-off $format run exited with $rc, not 1"
done

# --- names LAVA would refuse or repeat ---
long=$(printf 'x%.0s' $(seq 1 120))
{
    echo '{"type":"run","selected":4}'
    echo '{"type":"test","id":"a.b/v=1","outcome":"PASS","message":""}'
    echo '{"type":"test","id":"a.b/v_1","outcome":"PASS","message":""}'
    echo '{"type":"test","id":"a.c/x<<63 y|z","outcome":"SKIP","message":"no"}'
    echo "{\"type\":\"test\",\"id\":\"g.$long\",\"outcome\":\"FAIL\",\"message\":\"m\"}"
    echo '{"type":"summary"}'
} >"$tmp/names.jsonl"
printf '%s\n' "a.b.v_1 pass" "a.b.v_1_2 pass" "a.c.x__63_y_z skip" "g.${long:0:98} fail" \
    "kconform-run pass" >"$tmp/names.expected"
: >"$tmp/calls"
PATH="$tmp/bin:$PATH" LAVA_CALLS="$tmp/calls" "$lava" parse "$tmp/names.jsonl" >/dev/null || true
same_calls "names: repeats get a suffix, long ones are cut" "$tmp/names.expected" "$tmp/calls" &&
    echo "ok: names are LAVA-safe, unique and at most 100 characters"

# --- fetching the binary: by URL with @ARCH@ and a checksum, and failures ---
case $(uname -m) in x86_64 | amd64) arch=x86_64 ;; aarch64 | arm64) arch=aarch64 ;; *) arch=$(uname -m) ;; esac
mkdir -p "$tmp/www"
cp "$suite" "$tmp/www/kconform-$arch"
sum=$(sha256sum "$suite" | cut -d ' ' -f 1)
"$py" - "$tmp/www" >"$tmp/port" 2>/dev/null <<'EOF' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
EOF
server=$!
for _ in $(seq 1 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
url="http://127.0.0.1:$port/kconform-@ARCH@"
lava_run url sh "$tmp/bin:$PATH" KCONFORM_URL="$url" KCONFORM_SHA256="$sum" KCONFORM_OPTS='--filter=dup.*'
ended url && same_calls "fetched by URL" "$tmp/dup.expected" "$tmp/url/calls" &&
    echo "ok: fetched from $url (@ARCH@ = $arch) with its SHA-256, the same results"
ended url || bad "the run with KCONFORM_URL did not finish:"$'\n'"$(tail -n 20 "$tmp/url/log")"

not_run() {  # not_run NAME WHY NAME=VALUE...: kconform-run fail, and the steps stop
    local name=$1 why=$2
    shift 2
    lava_run "$name" sh "$tmp/bin:$PATH" "$@"
    if [ "$(cat "$tmp/$name/calls")" != "kconform-run fail" ] || ended "$name"; then
        bad "$why: expected only 'kconform-run fail' and the steps to stop; calls:"$'\n'"$(cat "$tmp/$name/calls")"
    else
        echo "ok: $why: kconform-run fail ($(grep 'kconform-lava: ' "$tmp/$name/log" | tail -n 1 | cut -c 16-90))"
    fi
}
not_run checksum "a fetched binary with the wrong SHA-256" KCONFORM_URL="$url" KCONFORM_SHA256=0123
not_run missing "KCONFORM_BIN not there" KCONFORM_BIN=/nonexistent/kconform
not_run unfetchable "an unfetchable URL" KCONFORM_URL="http://127.0.0.1:$port/nothing-here"
# A usage error (exit status 2): no test runs, kconform-run fails.
lava_run usage sh "$tmp/bin:$PATH" KCONFORM_BIN="$suite" KCONFORM_OPTS='--no-such-option'
if [ "$(cat "$tmp/usage/calls")" = "kconform-run fail" ] && grep -q 'exited with status 2' "$tmp/usage/log"; then
    echo "ok: a bad KCONFORM_OPTS (exit status 2) is kconform-run fail"
else
    bad "a bad KCONFORM_OPTS: calls: $(cat "$tmp/usage/calls")"
fi

# --- the same definition with busybox alone (sh, awk, sed, wget...) ---
if bb=$(command -v busybox); then
    mkdir -p "$tmp/bb"
    for applet in $("$bb" --list); do ln -sf "$bb" "$tmp/bb/$applet"; done
    lava_run busybox "$bb sh" "$tmp/bin:$tmp/bb" KCONFORM_URL="$url" KCONFORM_SHA256="$sum" \
        KCONFORM_OPTS='--filter=dup.*'
    ended busybox && same_calls "the definition under busybox" "$tmp/dup.expected" "$tmp/busybox/calls" &&
        echo "ok: under busybox alone (sh, awk, wget, sha256sum), the same calls"
    ended busybox || bad "under busybox the steps did not finish:"$'\n'"$(tail -n 20 "$tmp/busybox/log")"
else
    echo "note: no busybox here; the definition was not tried with busybox's sh and awk"
fi
exit "$fail"
