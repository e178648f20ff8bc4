#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The reference run must be clean wherever Linux runs (issue 10): the whole
# suite in each environment below must report every test, with 0 FAIL,
# 0 TIMEOUT, 0 CRASH and no process left behind. Environments run side by
# side; each gets its own copy of the binary, so `pgrep` finds exactly the
# processes that run left.
#
#   test/environments.sh BINARY [NAME...]     (default: every environment)
#
# Prints one line per environment (outcome counts, skips) and, for a bad
# one, its failing IDs; exit status 1 when any environment is bad, 77 when
# none could run here. KC_ENV_JOBS sets how many run at once (default 2:
# each run already has --jobs=auto, four test processes per CPU, and the
# timing tests of nice-19, SCHED_IDLE or nproc-8 must not wait behind
# several whole suites).
set -u
bin=${1:?usage: environments.sh BINARY [NAME...]}
shift
bin=$(readlink -f "$bin")
[ -x "$bin" ] || { echo "environments.sh: $bin is not executable" >&2; exit 2; }
# Not under /tmp: bubblewrap mounts a fresh /tmp over it.
work=$(mktemp -d "${KC_ENV_DIR:-/var/tmp}/kc-env.XXXXXX")
chmod 755 "$work"
trap 'pkill -KILL -f "$work/" 2>/dev/null; rm -rf "$work"' EXIT

# Docker's default capability set (moby's defaults).
docker_caps=-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap
docker_caps=$docker_caps,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# A container runtime's kind of seccomp filter (test/seccomp_filter.py), on fd 9.
filter=$work/seccomp.bpf
here=$(cd "$(dirname "$0")" && pwd)
bwrap_base=(bwrap --unshare-all --dev-bind / / --proc /proc --tmpfs /tmp)

# NAME | REQUIRES (programs) | COMMAND PREFIX (words; BIN and OUT are substituted later)
environments() {
    cat <<'EOF'
userns-root|unshare|unshare -r
userns-pidns|unshare|unshare -r -m -p -f --mount-proc
userns-unmapped|unshare|unshare -U
bwrap|bwrap|@bwrap
bwrap-uid1000|bwrap|@bwrap --uid 1000 --gid 1000
seccomp|bwrap python3|@bwrap @seccomp
overlayfs|unshare|@overlay
docker-caps|setpriv|setpriv --inh-caps=-all --bounding-set=@docker_caps
nofile-64|prlimit|prlimit --nofile=64
memlock-0|prlimit|prlimit --memlock=0
as-64m|prlimit|prlimit --as=67108864
stack-64k|prlimit|prlimit --stack=65536
nproc-8|setpriv prlimit|setpriv --reuid=61000 --regid=61000 --clear-groups prlimit --nproc=8
nobody|setpriv|@nobody
nice-19|nice|nice -n 19
sched-idle|chrt|chrt -i 0
starved|chrt taskset nice|@starved
one-cpu|taskset|taskset -c 0
fds-closed|sh|@closed
strace|strace|strace -f -qq -o /dev/null
EOF
}

# Runs one environment: writes $work/NAME.jsonl and $work/NAME.verdict.
run_env() {
    local name=$1 prefix=$2 copy=$work/$name/kconform out=$work/$name.jsonl
    mkdir -p "$work/$name"
    chmod 755 "$work/$name"
    cp "$bin" "$copy"
    local words=() w
    for w in $prefix; do
        case $w in
        @bwrap) words+=("${bwrap_base[@]}") ;;
        @nobody) words+=("${nobody[@]}") ;;
        --bounding-set=@docker_caps) words+=("--bounding-set=$docker_caps") ;;
        @closed) ;;
        @seccomp) words+=(--seccomp 9) ;;
        *) words+=("$w") ;;
        esac
    done
    : >"$out"
    chmod 666 "$out"
    if [ "$prefix" = @overlay ]; then
        # Scratch files on overlayfs, a container's root file system: a
        # user and mount namespace of its own mounts one, TMPDIR points there.
        local ov=$work/$name/ov
        mkdir -p "$ov/lower" "$ov/upper" "$ov/work" "$ov/merged"
        (cd /tmp && timeout 300 unshare -rm sh -c \
            'mount -t overlay overlay -o "lowerdir=$1/lower,upperdir=$1/upper,workdir=$1/work" "$1/merged" &&
             TMPDIR=$1/merged && export TMPDIR && shift && exec "$@"' \
            sh "$ov" "$copy" --format=jsonl >"$out" 2>"$work/$name.err" </dev/null)
    elif [[ $prefix == *@seccomp* ]]; then
        (cd /tmp && timeout 300 "${words[@]}" "$copy" --format=jsonl >"$out" 2>"$work/$name.err" </dev/null 9<"$filter")
    elif [ "$prefix" = @starved ]; then
        # A loaded machine: SCHED_IDLE on one CPU that a busy nice-19 loop
        # shares, so the suite gets about a sixth of it and waits for it
        # the rest of the time (run delays of seconds; Linux then fires no
        # CPU-time timers of the starved threads).
        local cpu
        cpu=$(taskset -pc $$ | sed 's/.*: *//; s/[-,].*//')
        taskset -c "$cpu" nice -n 19 sh -c 'while :; do :; done' "$work/$name/busy" &
        local busy=$!
        (cd /tmp && timeout 300 taskset -c "$cpu" chrt -i 0 "$copy" --format=jsonl >"$out" 2>"$work/$name.err" </dev/null)
        local rc=$?
        kill "$busy"
        wait "$busy" 2>/dev/null
        (exit $rc)
    elif [ "$prefix" = @closed ]; then
        # What /init gets without /dev/console: no fds 0, 1 and 2 at all.
        (cd /tmp && timeout 300 "$copy" --format=jsonl --output="$out" <&- >&- 2>&-)
    else
        (cd /tmp && timeout 300 "${words[@]}" "$copy" --format=jsonl >"$out" 2>"$work/$name.err" </dev/null)
    fi
    local status=$?
    sleep 0.2
    local left
    left=$(pgrep -f "$copy" | wc -l)
    pkill -KILL -f "$copy" 2>/dev/null
    local tests bad skips done
    tests=$(grep -c '"type":"test"' "$out")
    bad=$(grep '"type":"test"' "$out" | grep -cE '"outcome":"(FAIL|TIMEOUT|CRASH)"')
    skips=$(grep '"type":"test"' "$out" | grep -c '"outcome":"SKIP"')
    done=$(grep -c '"type":"summary"' "$out")
    local selected
    selected=$(sed -n 's/.*"type":"run".*"selected":\([0-9]*\).*/\1/p' "$out" | head -1)
    local verdict=ok
    if [ "$done" != 1 ] || [ "${selected:-x}" != "$tests" ] || [ "$bad" != 0 ] || [ "$left" != 0 ]; then
        verdict=BAD
    fi
    printf '%-16s %-4s exit=%-3s tests=%s/%s bad=%s skipped=%s processes_left=%s\n' \
        "$name" "$verdict" "$status" "$tests" "${selected:-?}" "$bad" "$skips" "$left" >"$work/$name.verdict"
    if [ "$verdict" = BAD ]; then
        grep '"type":"test"' "$out" | grep -E '"outcome":"(FAIL|TIMEOUT|CRASH)"' |
            sed 's/.*"id":"\([^"]*\)".*"outcome":"\([A-Z]*\)".*"message":"\(.\{0,160\}\).*/    \2 \1: \3/' \
                >>"$work/$name.verdict"
        [ "$done" = 1 ] || { echo "    the run did not finish (no summary record); stderr:"; sed 's/^/    /' "$work/$name.err" 2>/dev/null | tail -5; } >>"$work/$name.verdict"
    fi
}

have_all() {
    local p
    for p in $1; do command -v "$p" >/dev/null || return 1; done
}

jobs=${KC_ENV_JOBS:-2}
ran=0
want=" $* "
while IFS='|' read -r name needs prefix; do
    [ $# -eq 0 ] || [[ $want == *" $name "* ]] || continue
    if ! have_all "$needs"; then
        echo "$name: skipped, needs $needs" >"$work/$name.verdict"
        continue
    fi
    # A namespace the machine refuses is a property of the machine, not a failure.
    case $prefix in
    unshare*) unshare ${prefix#unshare} true 2>/dev/null || { echo "$name: skipped, this machine refuses '$prefix'" >"$work/$name.verdict"; continue; } ;;
    @bwrap*) "${bwrap_base[@]}" true 2>/dev/null || { echo "$name: skipped, bwrap --unshare-all does not work here" >"$work/$name.verdict"; continue; } ;;
    esac
    if [ "$prefix" = @overlay ]; then
        probe=$(mktemp -d "$work/overlay-probe.XXXXXX")
        mkdir -p "$probe/l" "$probe/u" "$probe/w" "$probe/m"
        unshare -rm mount -t overlay overlay -o "lowerdir=$probe/l,upperdir=$probe/u,workdir=$probe/w" "$probe/m" 2>/dev/null ||
            { echo "$name: skipped, this machine refuses an overlayfs mount in a user namespace" >"$work/$name.verdict"; continue; }
    fi
    if [[ $prefix == *@seccomp* ]] && [ ! -s "$filter" ]; then
        [ "$(uname -m)" = x86_64 ] || { echo "$name: skipped, the filter is written for x86-64" >"$work/$name.verdict"; continue; }
        python3 "$here/seccomp_filter.py" "$here/../src/arch/x86_64/nr.hpp" "$here/../src/harness/check.cpp" "$filter" || { echo "$name BAD  the filter could not be made" >"$work/$name.verdict"; continue; }
    fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
    run_env "$name" "$prefix" &
    ran=$((ran + 1))
done < <(environments)
wait

bad=0
for v in "$work"/*.verdict; do
    [ -e "$v" ] || continue
    cat "$v"
    grep -q ' BAD ' "$v" && bad=1
done
[ "$ran" -gt 0 ] || exit 77
exit $bad
