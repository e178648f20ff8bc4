#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate the system-call number tables from the kernel's own UAPI headers.

    tools/gen-nr.py [--check] [--out-dir=DIR]

Sources (facts, not code):
  x86-64   <asm/unistd_64.h> of linux-libc-dev (arch/x86/entry/syscalls/syscall_64.tbl)
  generic  <asm/unistd.h> of Debian's aarch64 and riscv64 cross toolchains, which
           include <asm-generic/unistd.h> (include/uapi/asm-generic/unistd.h)
  newer    src/arch/nr-newer.txt: the calls added after the headers' kernel, up to
           Linux 6.18, copied by hand from the kernel's tables (that file names them)

Writes src/arch/x86_64/nr.hpp and src/arch/generic/nr.hpp (aarch64 and riscv64
share the generic table; their differences are #if blocks). With --check it
writes nothing and exits 1 when a committed table differs from what it would
write (a CTest runs it).
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADERS = {
    "x86_64": ("gcc", "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
    "aarch64": ("aarch64-linux-gnu-gcc", "/usr/aarch64-linux-gnu/include/asm/unistd.h"),
    "riscv64": ("riscv64-linux-gnu-gcc", "/usr/riscv64-linux-gnu/include/asm/unistd.h"),
}
# Names that UAPI headers define as __NR_ macros but that are not system calls.
NOT_CALLS = {"syscalls", "arch_specific_syscall"}


def fail(msg):
    print(f"gen-nr: {msg}", file=sys.stderr)
    sys.exit(2)


def macros(arch):
    """The __NR_name = number pairs the arch's header defines, evaluated."""
    cc, header = HEADERS[arch]
    if not os.path.exists(header):
        fail(f"{header} is missing (install linux-libc-dev and the {arch} cross toolchain)")
    with tempfile.NamedTemporaryFile("w", suffix=".c") as src:
        src.write(f'#include "{header}"\n')
        src.flush()
        # The header alone with the cross compiler's predefines (__LP64__ etc.).
        cmd = [cc, "-E", "-dM", "-I", os.path.dirname(os.path.dirname(header)), src.name]
        try:
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            fail(f"cannot run {cc}: {e}")
    raw = {}
    for line in out.splitlines():
        m = re.match(r"#define __(NR(?:3264)?_\w+) (.+)$", line)
        if m:
            raw[m.group(1)] = m.group(2).strip()
    values = {}

    def value(name, depth=0):
        if name in values:
            return values[name]
        if depth > 20 or name not in raw:
            raise KeyError(name)
        expr = re.sub(r"__(NR(?:3264)?_\w+)", lambda m: str(value(m.group(1), depth + 1)), raw[name])
        if not re.fullmatch(r"[\d\s()+]+", expr):
            raise KeyError(name)
        values[name] = eval(expr)  # digits, spaces, parentheses and + only
        return values[name]

    table = {}
    for key in raw:
        # __NR3264_x are the generic header's internal names; the __NR_x it maps
        # them to (__NR_fstat, __NR_newfstatat) are the calls.
        name = key[3:]
        if not key.startswith("NR_") or name in NOT_CALLS:
            continue
        try:
            table[name] = value(key)
        except KeyError:
            pass
    return table


def newer():
    """(arch set, number, name) rows of src/arch/nr-newer.txt."""
    rows = []
    path = os.path.join(ROOT, "src/arch/nr-newer.txt")
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 3 or not parts[1].isdigit():
                fail(f"{path}:{n}: expected 'ARCHES NUMBER NAME'")
            arches = set(parts[0].split(",")) if parts[0] != "all" else set(HEADERS)
            rows.append((arches, int(parts[1]), parts[2]))
    return rows


def tables():
    out = {}
    extra = newer()
    for arch in HEADERS:
        t = macros(arch)
        for arches, number, name in extra:
            if arch not in arches:
                continue
            if name in t and t[name] != number:
                fail(f"{arch}: {name} is {t[name]} in the header, {number} in nr-newer.txt")
            if name not in t and number in t.values():
                fail(f"{arch}: {number} ({name}) is already {[k for k, v in t.items() if v == number]}")
            t[name] = number
        out[arch] = t
    return out


def lines(table):
    return [f"inline constexpr long {name} = {num};" for name, num in sorted(table.items(), key=lambda kv: (kv[1], kv[0]))]


def x86_64_file(t, others):
    # Calls only other ABIs have (riscv_flush_icache) are -1 here, so that
    # tests of them compile everywhere and skip (REQUIRE_NR).
    absent = sorted(k for k in others if k not in t)
    body = "\n".join(lines(t) + [f"inline constexpr long {k} = -1;" for k in absent])
    return f"""// SPDX-License-Identifier: MIT
// x86-64 system call numbers (arch/x86/entry/syscalls/syscall_64.tbl, "common" and "64"
// ABIs) up to Linux 6.18. Generated by tools/gen-nr.py from the UAPI header
// <asm/unistd_64.h> and src/arch/nr-newer.txt; do not edit (CTest nr_tables checks it).
#pragma once

namespace nr {{
{body}
}}  // namespace nr
"""


def generic_file(tabs):
    a, r, x = tabs["aarch64"], tabs["riscv64"], tabs["x86_64"]
    common = {k: v for k, v in a.items() if r.get(k) == v}
    only_a = {k: v for k, v in a.items() if k not in common}
    only_r = {k: v for k, v in r.items() if k not in common}

    def missing(own):
        return sorted(k for k in set(x) | set(a) | set(r) if k not in own)

    parts = [
        "// SPDX-License-Identifier: MIT",
        "// aarch64 and riscv64 system call numbers: the generic table",
        "// (include/uapi/asm-generic/unistd.h) as each architecture configures it, up to",
        "// Linux 6.18. Generated by tools/gen-nr.py from the UAPI headers of Debian's cross",
        "// toolchains and src/arch/nr-newer.txt; do not edit (CTest nr_tables checks it).",
        "//",
        "// Calls that another ABI has and an architecture lacks are -1: tests of them",
        "// start with REQUIRE_NR(name) and are reported as SKIP there.",
        "#pragma once",
        "",
        "#if !defined(__aarch64__) && !defined(__riscv)",
        "#error \"arch/generic/nr.hpp is for aarch64 and riscv64\"",
        "#endif",
        "",
        "namespace nr {",
    ]
    parts += lines(common)
    parts.append("")
    for macro, own, only in (("__aarch64__", a, only_a), ("__riscv", r, only_r)):
        parts.append(f"#if defined({macro})")
        parts += lines(only)
        parts += [f"inline constexpr long {k} = -1;" for k in missing(own)]
        parts.append(f"#endif  // {macro}")
    parts.append("}  // namespace nr")
    return "\n".join(parts) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    out_dir = ROOT
    for arg in sys.argv[1:]:
        if arg.startswith("--out-dir="):
            out_dir = arg.split("=", 1)[1]
        elif arg != "--check":
            fail(f"unknown argument {arg!r} (usage: gen-nr.py [--check] [--out-dir=DIR])")
    tabs = tables()
    files = {
        "src/arch/x86_64/nr.hpp": x86_64_file(tabs["x86_64"], set(tabs["aarch64"]) | set(tabs["riscv64"])),
        "src/arch/generic/nr.hpp": generic_file(tabs),
    }
    differ = False
    for rel, text in files.items():
        path = os.path.join(out_dir, rel)
        if check:
            try:
                with open(path) as f:
                    old = f.read()
            except OSError:
                old = None
            if old != text:
                print(f"gen-nr: {rel} differs from what tools/gen-nr.py generates", file=sys.stderr)
                differ = True
        else:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
    if check and not differ:
        print(f"gen-nr: tables match ({len(tabs['x86_64'])} x86-64, {len(tabs['aarch64'])} aarch64, "
              f"{len(tabs['riscv64'])} riscv64 calls)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
