#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""kcidb_check.py COMPARE SELFTEST SOURCE_DIR

kconform-compare --format=kcidb as KernelCI's database takes it: every report
must validate against KCIDB's I/O schema v4 (test/kcidb-v4.schema.json, with
python3-jsonschema) and say what the run said: statuses, waived known
divergences, MISS for tests a run that died did not report, n/a system
calls, a lab's own origin and build, stable IDs.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

compare, selftest, src = sys.argv[1:4]
corpus = os.path.join(src, "test", "corpus", "results")
native = os.path.join(corpus, "seed-native.jsonl")
with open(os.path.join(src, "test", "kcidb-v4.schema.json")) as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
tmp = tempfile.mkdtemp(prefix="kc-kcidb.")
failures = []


def check(what, ok):
    if not ok:
        failures.append(what)


def kcidb(name, *args):
    """Runs kconform-compare, validates its JSON against the schema."""
    p = subprocess.run([compare, "--format=kcidb", *args], capture_output=True)
    if p.returncode != 0:
        sys.exit(f"kcidb_check: {name}: kconform-compare failed ({p.returncode}): {p.stderr}")
    data = json.loads(p.stdout.decode("utf-8"))  # strict UTF-8
    for e in validator.iter_errors(data):
        check(f"{name}: schema: {'/'.join(map(str, e.absolute_path))}: {e.message}", False)
    ids = [t["id"] for t in data.get("tests", [])]
    check(f"{name}: test IDs are unique", len(ids) == len(set(ids)))
    return data, p.stdout


def tests(data):
    """{kconform test ID (or "kconform" for the suite): test object}"""
    return {t["misc"].get("kconform_id", t["path"]): t for t in data["tests"]}


def write(name, lines):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.write(b"\n".join(lines))
    return path


# 1. The corpus's native run: a checkout and a build (the kernel, by uname),
# every test under it with its path, and the suite node.
data, raw = kcidb("native", native)
check("native: version 4.2", data["version"] == {"major": 4, "minor": 2})
check("native: one checkout, one build",
      len(data["checkouts"]) == 1 and len(data["builds"]) == 1
      and data["builds"][0]["checkout_id"] == data["checkouts"][0]["id"])
check("native: architecture", data["builds"][0].get("architecture") == "x86_64")
t = tests(data)
check("native: 19 tests and the suite", len(t) == 20)
check("native: every test on the build", all(x["build_id"] == data["builds"][0]["id"]
                                             for x in data["tests"]))
check("native: origin kconform", all(x["origin"] == "kconform" and x["id"].startswith("kconform:")
                                     for x in data["tests"]))
r = t.get("read.bad_fd_ebadf/fd=INT_MIN", {})
check(f"native: a row's path: {r.get('path')}", r.get("path") == "kconform.read.bad_fd_ebadf.fd_INT_MIN")
check("native: duration in seconds", r.get("duration") == 0.000109)
check("native: all PASS", all(x["status"] == "PASS" for x in data["tests"]))
check("native: the suite node carries the run", t["kconform"]["misc"].get("arch") == "x86_64"
      and t["kconform"]["misc"].get("target.target") == "native")
again = subprocess.run([compare, "--format=kcidb", native], capture_output=True).stdout
check("native: the same run gives the same IDs", again == raw)

# 2. The self-test: TIMEOUT and CRASH are FAIL, the outcome kept in misc.
st = os.path.join(tmp, "selftest.jsonl")
with open(st, "w") as f:
    subprocess.run([selftest, "--format=jsonl"], stdout=f)
data, _ = kcidb("selftest", st)
t = tests(data)
hang, crash, skip = t["selftest.hang_loop"], t["selftest.crash_segv"], t["selftest.skip_reason"]
check("selftest: TIMEOUT is FAIL", hang["status"] == "FAIL"
      and hang["misc"]["kconform_outcome"] == "TIMEOUT" and hang["log_excerpt"].startswith("TIMEOUT: "))
check("selftest: CRASH is FAIL", crash["status"] == "FAIL" and crash["misc"]["kconform_outcome"] == "CRASH")
check("selftest: SKIP", skip["status"] == "SKIP" and "skipped on purpose" in skip["log_excerpt"])
check("selftest: the suite fails", t["kconform"]["status"] == "FAIL")

# 3. Known divergences are waived, with the entry's reason.
ex = os.path.join(tmp, "selftest.txt")
with open(ex, "w") as f:
    f.write("selftest.hang_* TIMEOUT hangs on purpose\n")
data, _ = kcidb("expect", "--expect=" + ex, st)
t = tests(data)
check("expect: known hang waived", t["selftest.hang_loop"].get("waived") is True
      and "hangs on purpose" in t["selftest.hang_loop"]["misc"]["expect"])
check("expect: unknown crash not waived", "waived" not in t["selftest.crash_segv"])

# 4. Against a reference: what the run never reported is MISS.
b = os.path.join(tmp, "b.jsonl")
with open(b, "w") as f:
    subprocess.run([selftest, "--format=jsonl", "--isolate=none", "--filter=-*hang*",
                    "--filter=-selftest.exit_early"], stdout=f)
data, _ = kcidb("reference", st, b)
t = tests(data)
check("reference: missing tests are MISS",
      t["selftest.hang_loop"]["status"] == "MISS" and "duration" not in t["selftest.hang_loop"])
check("reference: the reference's outcome in misc",
      t["selftest.hang_loop"]["misc"]["reference_outcome"] == "TIMEOUT")

# 5. A lab's own origin and build: no checkout or build of ours.
data, _ = kcidb("lab", "--origin=my_lab", "--build-id=maestro:1234", native)
check("lab: only tests", "checkouts" not in data and "builds" not in data)
check("lab: on the lab's build, in its origin",
      all(x["build_id"] == "maestro:1234" and x["origin"] == "my_lab"
          and x["id"].startswith("my_lab:") for x in data["tests"]))
for bad in ("--origin=My-Lab", "--build-id=nocolon"):
    p = subprocess.run([compare, "--format=kcidb", bad, native], capture_output=True, text=True)
    check(f"{bad}: refused with exit 2 and a reason",
          p.returncode == 2 and "KCIDB" in p.stderr and p.stdout == "")

# 6. A system call the architecture does not have: SKIP, marked n/a.
with open(native, "rb") as f:
    lines = f.read().split(b"\n")
lines[0] = lines[0].replace(b'"arch":"x86_64"', b'"arch":"aarch64"')
lines[1] = lines[1].replace(b'"outcome":"PASS"', b'"outcome":"SKIP"').replace(
    b'"message":""', b'"message":"no close system call on aarch64"')
data, _ = kcidb("n/a", write("aarch64.jsonl", lines))
c = tests(data)["close.negative_fd_ebadf"]
check("n/a: SKIP with not_on_arch", c["status"] == "SKIP" and c["misc"].get("not_on_arch") is True)
check("n/a: architecture", data["builds"][0]["architecture"] == "aarch64")

# 7. Bytes JSON must escape or cannot hold, and a message past log_excerpt's
# 16384 characters.
lines = open(native, "rb").read().split(b"\n")
lines[1] = lines[1].replace(b'"outcome":"PASS"', b'"outcome":"FAIL"').replace(
    b'"message":""', b'"message":"bell\\u0007 \\"q\\" \\\\ \xff end ' + b"\xc3\xa9" * 20000 + b'"')
data, _ = kcidb("odd", write("odd.jsonl", lines))
log = tests(data)["close.negative_fd_ebadf"]["log_excerpt"]
check(f"odd: escaped and cut to 16384 characters ({len(log)})",
      log.startswith('FAIL: bell\x07 "q" \\ \ufffd end') and len(log) == 16384)

for f in failures:
    print("kcidb_check: " + f, file=sys.stderr)
if not failures:
    print("kcidb_check: every report validates against KCIDB schema v4 and says what the run said")
sys.exit(1 if failures else 0)
