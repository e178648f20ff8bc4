# SPDX-License-Identifier: MIT
"""Merges the markdown reports of several kconform-inject runs (shards of the
catalogue) into one: the totals, the per-section table and the fault rows in
catalogue order.
    inject_merge.py FAULT_LIST SHARD.md...
FAULT_LIST holds the catalogue's fault names, one a line, in order."""
import re
import sys


def main():
    order = [line.strip() for line in open(sys.argv[1]) if line.strip()]
    rows, sections, section_order = {}, {}, []
    lost, traced, native = 0, [], []
    for path in sys.argv[2:]:
        text = open(path).read()
        m = re.search(r"Runs that lost a test: (\d+)\. Tracer overhead without a fault: "
                      r"([\d.]+) s traced vs ([\d.]+) s native", text)
        if not m:
            sys.exit(f"inject_merge: {path}: no totals line")
        lost += int(m.group(1))
        traced.append(float(m.group(2)))
        native.append(float(m.group(3)))
        for line in text.splitlines():
            fault = re.match(r"\| `([^`]+)` \|", line)
            sec = re.match(r"\| (.+?) \| (\d+) \| (\d+) \| [\d.]+% \|$", line)
            if fault:
                rows[fault.group(1)] = line
            elif sec and not line.startswith("| section"):
                name = sec.group(1)
                if name not in sections:
                    sections[name] = [0, 0]
                    section_order.append(name)
                sections[name][0] += int(sec.group(2))
                sections[name][1] += int(sec.group(3))
    missing = [f for f in order if f not in rows]
    if missing:
        sys.exit("inject_merge: no result for " + ", ".join(missing))
    detected = sum(1 for f in order if "| yes |" in rows[f])
    n = len(order)
    print(f"Detection rate: **{detected}/{n} = {100.0 * detected / n:.1f}%**. "
          f"Runs that lost a test: {lost}. Tracer overhead without a fault: "
          + ", ".join(f"{t:.2f} s traced vs {v:.2f} s native" for t, v in zip(traced, native))
          + ".\n")
    print("| section of the catalogue | faults | detected | rate |\n|---|---|---|---|")
    for name in section_order:
        faults, det = sections[name]
        print(f"| {name} | {faults} | {det} | {100.0 * det / faults:.1f}% |")
    print("\n| fault | models | detected | caught by | run |\n|---|---|---|---|---|")
    for f in order:
        print(rows[f])


if __name__ == "__main__":
    main()
