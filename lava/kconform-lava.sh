#!/bin/sh
# SPDX-License-Identifier: MIT
# kconform in a LAVA test shell: each test of the suite becomes a LAVA test
# case. POSIX sh and awk only (dash, busybox), as on a lab's boards.
#
#   kconform-lava.sh parse [FILE]
#       Reads the suite's results (--format=jsonl or --format=tap, from FILE
#       or standard input, as they come) and calls, for each test,
#           lava-test-case NAME --result pass|fail|skip
#       then once `lava-test-case kconform-run --result pass|fail`: pass when
#       every selected test reported and the run reached its summary.
#   kconform-lava.sh run
#       Finds the suite (below), runs it with --format=jsonl and reports its
#       results as they come, as `parse` does. The suite's output is kept in
#       $KCONFORM_RESULTS (default ./kconform-results.jsonl).
#
# Which binary `run` uses, first found:
#   KCONFORM_BIN     a path on the device
#   KCONFORM_URL     fetched with wget or curl; @ARCH@ in it becomes the
#                    device's architecture (x86_64, aarch64, riscv64)
#   kconform-ARCH    on PATH (the Debian package installs it in /usr/bin)
# KCONFORM_SHA256, if set, must be the fetched file's SHA-256.
# KCONFORM_OPTS reaches the suite as its own option variable (for example
# "--profile=PSE52 --timeout-scale=3 -v"); with -v each test's start is shown.
#
# Names: a LAVA test case name must be one word without '=' (LAVA reads the
# signal as KEY=VALUE words), and is used in URLs, so the ID's '/' (before a
# table row) becomes '.' and every character other than A-Z a-z 0-9 . _ -
# becomes '_': dup.bad_fd_ebadf/fd=-1 -> dup.bad_fd_ebadf.fd_-1. Names are
# cut at 100 characters; a name that would repeat gets a suffix _2, _3...
# Results: PASS -> pass, SKIP -> skip, FAIL, TIMEOUT and CRASH -> fail (the
# outcome and the message are printed above the call).
# Without lava-test-case on PATH (outside LAVA), the calls are printed.
#
# Exit status: 0 when the run was complete, 1 when it was not (or no suite
# was found), 2 for a usage error.
set -u
suite=

usage() {
    echo "usage: kconform-lava.sh parse [FILE] | kconform-lava.sh run" >&2
    exit 2
}

# Results on standard input -> "case NAME RESULT" and "note TEXT" lines.
# $1, if given, is a file holding the suite's exit status at the end: a
# status other than 0 or 1 (2 a usage error, 3 results not written, above
# 128 a signal) fails kconform-run.
to_cases() {
    awk -v status_file="${1:-}" '
    function safe(id,    s, n) {
        s = id
        sub(/\//, ".", s)
        gsub(/[^A-Za-z0-9._-]/, "_", s)
        if (s == "") s = "unnamed"
        if (length(s) > 100) s = substr(s, 1, 100)
        if (s in used) {
            n = 2
            while ((substr(s, 1, 95) "_" n) in used) n++
            s = substr(s, 1, 95) "_" n
        }
        used[s] = 1
        return s
    }
    function result(outcome) {
        if (outcome == "PASS") return "pass"
        if (outcome == "SKIP") return "skip"
        if (outcome == "FAIL" || outcome == "TIMEOUT" || outcome == "CRASH") return "fail"
        return "unknown"
    }
    # The string value of "key" in a JSON object on one line; ids and
    # outcomes need no unescaping, messages are shown as they are.
    function field(line, key,    rest, i, c, v) {
        if (!match(line, "\"" key "\":\"")) return ""
        rest = substr(line, RSTART + RLENGTH)
        v = ""
        for (i = 1; i <= length(rest); i++) {
            c = substr(rest, i, 1)
            if (c == "\\") { v = v substr(rest, i, 2); i++; continue }
            if (c == "\"") break
            v = v c
        }
        return v
    }
    function number(line, key) {
        if (!match(line, "\"" key "\":[0-9]+")) return -1
        return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3) + 0
    }
    function report(id, outcome, message,    name) {
        name = safe(id)
        if (outcome != "PASS" && outcome != "SKIP") {
            print "note " id ": " outcome (message != "" ? ": " message : "")
        }
        print "case " name " " result(outcome)
        seen++
        fflush()
    }
    BEGIN { seen = 0; planned = -1; ended = 0 }
    { sub(/\r$/, "") }  # a serial console may add carriage returns
    # JSON Lines
    /^\{"type":"run"[,}]/ { planned = number($0, "selected"); next }
    /^\{"type":"start"[,}]/ { print "note RUN " field($0, "id"); fflush(); next }
    /^\{"type":"test"[,}]/ { report(field($0, "id"), field($0, "outcome"), field($0, "message")); next }
    /^\{"type":"summary"[,}]/ { ended = 1; next }
    # TAP: "ok 3 - ID", "ok 4 - ID # SKIP reason", "not ok 5 - ID" followed
    # by YAML diagnostics that give the outcome (FAIL, TIMEOUT or CRASH).
    /^1\.\.[0-9]+/ { planned = substr($0, 4) + 0; next }
    /^# RUN / { print "note RUN " substr($0, 7); fflush(); next }
    /^# SUMMARY: / { ended = 1; next }
    /^(not )?ok [0-9]+ - / {
        line = $0
        failed = (line ~ /^not /)
        sub(/^(not )?ok [0-9]+ - /, "", line)
        if (!failed && match(line, / # SKIP( |$)/)) {
            report(substr(line, 1, RSTART - 1), "SKIP", "")
        } else if (!failed) {
            report(line, "PASS", "")
        } else {
            tap_id = line
            tap_message = ""
            tap_outcome = "FAIL"
            in_yaml = 1
        }
        next
    }
    in_yaml && /^  outcome: / { tap_outcome = substr($0, 12); next }
    in_yaml && /^    / { tap_message = tap_message (tap_message == "" ? "" : "\\n") substr($0, 5); next }
    in_yaml && /^  \.\.\.$/ { report(tap_id, tap_outcome, tap_message); in_yaml = 0; next }
    in_yaml && /^  / { next }
    in_yaml { report(tap_id, tap_outcome, tap_message); in_yaml = 0 }
    END {
        if (in_yaml) report(tap_id, tap_outcome, tap_message)
        complete = ended && planned >= 0 && seen == planned
        if (planned < 0 && seen == 0) print "note no kconform results in the input"
        else if (!ended || seen != planned)
            print "note the run is incomplete: " seen " of " (planned < 0 ? "?" : planned) \
                  " selected tests reported" (ended ? "" : ", and no summary")
        if (status_file != "") {
            status = "?"
            getline status < status_file
            if (status != "0" && status != "1") {
                print "note kconform exited with status " status
                complete = 0
            }
        }
        print "case kconform-run " (complete ? "pass" : "fail")
    }'
}

# "case"/"note" lines -> lava-test-case calls (or printed calls outside LAVA).
# Exit status 0 when kconform-run passed.
report_cases() {
    in_lava=0
    command -v lava-test-case >/dev/null 2>&1 && in_lava=1
    complete=1
    while IFS= read -r line; do
        case $line in
            "case "*)
                set -f
                # shellcheck disable=SC2086  # NAME and RESULT are single words
                set -- $line
                set +f
                if [ "$in_lava" -eq 1 ]; then
                    lava-test-case "$2" --result "$3"
                else
                    echo "lava-test-case $2 --result $3"
                fi
                [ "$2 $3" = "kconform-run fail" ] && complete=0
                ;;
            "note "*) printf '%s\n' "${line#note }" ;;
        esac
    done
    [ "$complete" -eq 1 ]
}

parse() {
    to_cases | report_cases
}

# The device's architecture, as the suite's binaries are named.
device_arch() {
    case $(uname -m) in
        x86_64 | amd64) echo x86_64 ;;
        aarch64 | arm64) echo aarch64 ;;
        riscv64) echo riscv64 ;;
        *) uname -m ;;
    esac
}

# Reports the suite as not run and stops.
not_run() {
    echo "kconform-lava: $*" >&2
    echo "case kconform-run fail" | report_cases
    exit 1
}

find_suite() {
    arch=$(device_arch)
    if [ -n "${KCONFORM_BIN:-}" ]; then
        [ -x "$KCONFORM_BIN" ] || not_run "KCONFORM_BIN=$KCONFORM_BIN is not an executable file"
        suite=$KCONFORM_BIN
    elif [ -n "${KCONFORM_URL:-}" ]; then
        url=$(printf '%s\n' "$KCONFORM_URL" | sed "s/@ARCH@/$arch/g")
        suite=$PWD/kconform-$arch
        echo "kconform-lava: fetching $url"
        if command -v wget >/dev/null 2>&1; then
            wget -q -O "$suite" "$url" || not_run "wget could not fetch $url"
        elif command -v curl >/dev/null 2>&1; then
            curl -fsSL -o "$suite" "$url" || not_run "curl could not fetch $url"
        else
            not_run "neither wget nor curl is here to fetch $url"
        fi
        if [ -n "${KCONFORM_SHA256:-}" ]; then
            command -v sha256sum >/dev/null 2>&1 || not_run "no sha256sum to check KCONFORM_SHA256"
            sum=$(sha256sum "$suite" | cut -d ' ' -f 1)
            [ "$sum" = "$KCONFORM_SHA256" ] ||
                not_run "$url has SHA-256 $sum, not KCONFORM_SHA256=$KCONFORM_SHA256"
        fi
        chmod +x "$suite"
    elif command -v "kconform-$arch" >/dev/null 2>&1; then
        suite=$(command -v "kconform-$arch")
    else
        not_run "no suite: set KCONFORM_BIN or KCONFORM_URL, or install kconform-$arch on PATH"
    fi
}

run() {
    find_suite
    results=${KCONFORM_RESULTS:-$PWD/kconform-results.jsonl}
    status=$results.status
    rm -f "$status"
    echo "kconform-lava: $suite --format=jsonl (KCONFORM_OPTS=${KCONFORM_OPTS:-}), results in $results"
    [ -n "${KCONFORM_OPTS:-}" ] && export KCONFORM_OPTS
    # Reported while the suite runs: if the kernel dies, what came before is
    # already in LAVA. The suite's exit status goes through a file (POSIX sh
    # has no pipefail); it is written before the pipe ends.
    { "$suite" --format=jsonl; echo "$?" >"$status"; } | tee "$results" | to_cases "$status" |
        report_cases
    ok=$?
    rm -f "$status"
    return "$ok"
}

case "${1:-}" in
    parse)
        [ $# -le 2 ] || usage
        if [ $# -eq 2 ]; then
            [ -r "$2" ] || { echo "kconform-lava: cannot read $2" >&2; exit 2; }
            parse <"$2"
        else
            parse
        fi
        ;;
    run)
        [ $# -eq 1 ] || usage
        run
        ;;
    *) usage ;;
esac
