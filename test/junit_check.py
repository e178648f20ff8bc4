#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""junit_check.py COMPARE SELFTEST SOURCE_DIR

kconform-compare --format=junit as CI systems read it: every report must
validate against the JUnit schema (test/junit.xsd, with xmllint) and read back
through a real JUnit consumer (python3-junitparser) with the outcomes, skips,
known divergences and run metadata it was given. Inputs: the corpus's native
run (test/corpus/results), a run of the harness self-test (which fails, hangs
and crashes on purpose), that run against a reference, and a run that died.
"""
import os
import subprocess
import sys
import tempfile

from junitparser import Error, Failure, JUnitXml, Skipped

compare, selftest, src = sys.argv[1:4]
corpus = os.path.join(src, "test", "corpus", "results")
xsd = os.path.join(src, "test", "junit.xsd")
tmp = tempfile.mkdtemp(prefix="kc-junit.")
failures = []


def check(what, ok):
    if not ok:
        failures.append(what)


def source_line(path, text):
    """The number of the one line of SOURCE_DIR/path holding text."""
    with open(os.path.join(src, path)) as f:
        hits = [n for n, line in enumerate(f, 1) if text in line]
    if len(hits) != 1:
        sys.exit(f"junit_check: {text!r} is on {len(hits)} lines of {path}, not 1")
    return hits[0]


def junit(name, *args):
    """Runs kconform-compare, validates its XML and parses it."""
    out = os.path.join(tmp, name + ".xml")
    p = subprocess.run([compare, "--format=junit", "--out=" + out, *args],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"junit_check: {name}: kconform-compare failed ({p.returncode}): {p.stderr}")
    v = subprocess.run(["xmllint", "--noout", "--schema", xsd, out], capture_output=True, text=True)
    check(f"{name}: xmllint --schema junit.xsd: {v.stderr.strip()}", v.returncode == 0)
    return JUnitXml.fromfile(out)


def cases(xml):
    """{test ID: (testcase, its suite)}"""
    return {f"{c.classname}.{c.name}": (c, s) for s in xml for c in s}


def result(case):
    return case.result[0] if case.result else None


def counts_agree(name, xml):
    """A suite's attributes count what it holds, and the totals add up."""
    total = 0
    for s in xml:
        n = list(s)
        total += len(n)
        check(f"{name}: suite {s.name}: tests={s.tests}, {len(n)} testcases", s.tests == len(n))
        fails = sum(isinstance(result(c), Failure) for c in n)
        skips = sum(isinstance(result(c), Skipped) for c in n)
        check(f"{name}: suite {s.name}: failures={s.failures}, counted {fails}", s.failures == fails)
        check(f"{name}: suite {s.name}: skipped={s.skipped}, counted {skips}", s.skipped == skips)
        check(f"{name}: suite {s.name}: every classname is the group",
              all(c.classname == s.name for c in n))
    check(f"{name}: testsuites tests={xml.tests}, {total} testcases", xml.tests == total)


def props(suite):
    return {p.name: p.value for p in suite.properties()}


# 1. The corpus's native run alone: every test passes; metadata as properties.
xml = junit("native", os.path.join(corpus, "seed-native.jsonl"))
counts_agree("native", xml)
c = cases(xml)
check("native: 19 testcases", len(c) == 19)
check("native: one suite per system call", sorted(s.name for s in xml) == ["close", "read", "write"])
check("native: no failures", xml.failures == 0 and xml.errors == 0)
check("native: a row label stays in the name",
      "read.bad_fd_ebadf/fd=INT_MIN" in c and c["read.bad_fd_ebadf/fd=INT_MIN"][0].time == 0.000109)
p = props(next(iter(xml)))
check(f"native: run metadata: {p}", p.get("arch") == "x86_64" and p.get("target") == "native"
      and p.get("release") == "6.18.44-fc-v669" and p.get("kconform") == "0.1.0")

# 2. The self-test alone: FAIL, TIMEOUT and CRASH fail with their outcome as
# the type; SKIP is skipped with its reason.
st = os.path.join(tmp, "selftest.jsonl")
with open(st, "w") as f:
    subprocess.run([selftest, "--format=jsonl"], stdout=f)
xml = junit("selftest", st)
counts_agree("selftest", xml)
c = cases(xml)
types = {i: result(k).type for i, (k, _) in c.items() if isinstance(result(k), Failure)}
check(f"selftest: failure types {types}",
      types.get("selftest.fail_expect") == "FAIL" and types.get("selftest.hang_loop") == "TIMEOUT"
      and types.get("selftest.crash_segv") == "CRASH")
# The assertion's line, read from the source: licence and comment lines above
# it move it, and the message must still name that line.
line = source_line("test/selftest/selftest.cpp", "EXPECT_ERR(sys::close(-1), EINVAL)")
check("selftest: the failure message is the test's, with its source line",
      result(c["selftest.fail_expect"][0]).message.startswith(
          f"test/selftest/selftest.cpp:{line} sys::close(-1): expected -EINVAL, got -EBADF"))
check("selftest: multi-line message kept whole in the text",
      result(c["selftest.leak_fd"][0]).text.count("\n") >= 1)
sk = result(c["selftest.skip_reason"][0])
check("selftest: SKIP is skipped with its reason",
      isinstance(sk, Skipped) and sk.message == "skipped on purpose")
check("selftest: PASS passes", result(c["selftest.pass"][0]) is None)

# 3. With an expectation file: known divergences are skipped with their reason
# (the job stays green for them), a stale entry is noted, the rest still fail.
ex = os.path.join(tmp, "selftest.txt")
with open(ex, "w") as f:
    f.write("# known\nselftest.fail_expect FAIL closes a bad fd on purpose\n"
            "selftest.hang_* TIMEOUT hangs on purpose\nselftest.pass FAIL fixed since\n")
xml = junit("expect", "--expect=" + ex, st)
counts_agree("expect", xml)
c = cases(xml)
k = result(c["selftest.fail_expect"][0])
check(f"expect: known FAIL is skipped with the reason: {k}",
      isinstance(k, Skipped) and "closes a bad fd on purpose" in k.message
      and "selftest.txt:2" in k.message)
check("expect: both hangs known", all(isinstance(result(c[i][0]), Skipped)
                                      for i in ("selftest.hang_loop", "selftest.hang_syscall")))
check("expect: an unlisted crash still fails", isinstance(result(c["selftest.crash_segv"][0]), Failure))
check("expect: stale entry noted in system-out",
      "stale" in (c["selftest.pass"][0].system_out or ""))
check("expect: the file is a property", props(next(iter(xml))).get("expect") == ex)

# 4. Against a reference: only divergences fail; a test failing on both is not
# one. The run without the hanging tests and exit_early misses three.
b = os.path.join(tmp, "b.jsonl")
with open(b, "w") as f:
    subprocess.run([selftest, "--format=jsonl", "--isolate=none", "--filter=-*hang*",
                    "--filter=-selftest.exit_early"], stdout=f)
xml = junit("reference", st, b)
counts_agree("reference", xml)
c = cases(xml)
fails = {i: result(k).type for i, (k, _) in c.items() if isinstance(result(k), Failure)}
check(f"reference: the three missing tests fail as MISSING: {fails}",
      {i for i, t in fails.items() if t == "MISSING"} ==
      {"selftest.hang_loop", "selftest.hang_syscall", "selftest.exit_early"})
both = result(c["selftest.fail_assert_stops"][0])
check("reference: failing on both is skipped, not failed",
      isinstance(both, Skipped) and "on the reference" in both.message)
check("reference: the reference is a property", "reference" in props(next(iter(xml))))

# 5. A run that died: an error testcase says so.
cut = os.path.join(tmp, "cut.jsonl")
with open(os.path.join(corpus, "seed-native.jsonl")) as f, open(cut, "w") as o:
    o.writelines(f.readlines()[:8])
xml = junit("incomplete", cut)
c = cases(xml)
e = result(c["kconform.run_complete"][0]) if "kconform.run_complete" in c else None
check("incomplete: an error names the reason",
      isinstance(e, Error) and "did not complete" in e.message and xml.errors == 1)

# 6. Bytes no XML may hold (control characters, broken UTF-8) in a message.
odd = os.path.join(tmp, "odd.jsonl")
with open(os.path.join(corpus, "seed-native.jsonl"), "rb") as f:
    lines = f.read().split(b"\n")
lines[1] = lines[1].replace(b'"outcome":"PASS"', b'"outcome":"FAIL"').replace(
    b'"message":""', b'"message":"bell\\u0007 <&> \\"q\\" \xff\xfe end"')
with open(odd, "wb") as f:
    f.write(b"\n".join(lines))
xml = junit("odd", odd)
m = result(cases(xml)["close.negative_fd_ebadf"][0]).message
check(f"odd: message escaped, not lost: {m!r}", "<&>" in m and '"q"' in m and "end" in m)

for f in failures:
    print("junit_check: " + f, file=sys.stderr)
if not failures:
    print("junit_check: every report validates (junit.xsd) and reads back (junitparser)")
sys.exit(1 if failures else 0)
