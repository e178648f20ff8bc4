#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""seccomp_filter.py NR_HPP CHECK_CPP OUT: a container-like seccomp filter (a
classic BPF program, as bwrap --seccomp reads it) for the reference-
environment check (test/environments.sh).

It refuses exactly the calls the harness knows a container runtime's default
profile (Docker's, Podman's) refuses, read from the harness's own lists
(kFilteredEperm and kFilteredEnosys in src/harness/check.cpp): the first with
EPERM (clone only with a namespace flag, as the profiles do), the second with
ENOSYS, the errno runtimes give calls they do not know. Other architectures'
system calls (i386 on x86-64) are allowed. The suite must report every test
it cannot run there as SKIP.
"""
import re
import struct
import sys

CLONE_NAMESPACES = 0x7E020080  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME

AUDIT_ARCH_X86_64 = 0xC000003E
LD_W_ABS, JEQ_K, JSET_K, RET_K = 0x20, 0x15, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000


def harness_list(text, name):
    """The names in `const char NAME[] = " a b" " c ";` (adjacent literals)."""
    m = re.search(r"const char %s\[\] =((?:\s*\"[^\"]*\")+);" % name, text)
    if not m:
        sys.exit("seccomp_filter.py: no list %s in the harness" % name)
    return "".join(re.findall(r"\"([^\"]*)\"", m.group(1))).split()


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: seccomp_filter.py NR_HPP CHECK_CPP OUT")
    nr = {}
    with open(sys.argv[1]) as f:
        for line in f:
            m = re.match(r"inline constexpr long (\w+) = (\d+);", line)
            if m:
                nr[m.group(1)] = int(m.group(2))
    with open(sys.argv[2]) as f:
        check = f.read()
    eperm = [n for n in harness_list(check, "kFilteredEperm") if n != "clone"]
    enosys = harness_list(check, "kFilteredEnosys")
    unknown = [n for n in eperm + enosys + ["clone"] if n not in nr]
    if unknown:
        sys.exit("seccomp_filter.py: not in %s: %s" % (sys.argv[1], " ".join(unknown)))
    prog = [(LD_W_ABS, 0, 0, 4), (JEQ_K, 1, 0, AUDIT_ARCH_X86_64), (RET_K, 0, 0, ALLOW),
            (LD_W_ABS, 0, 0, 0)]
    for names, errno in ((eperm, 1), (enosys, 38)):
        for n in names:
            prog += [(JEQ_K, 0, 1, nr[n]), (RET_K, 0, 0, ERRNO | errno)]
    # clone(flags, ...): the low 32 bits of the first argument at offset 16.
    prog += [(JEQ_K, 0, 3, nr["clone"]), (LD_W_ABS, 0, 0, 16), (JSET_K, 0, 1, CLONE_NAMESPACES),
             (RET_K, 0, 0, ERRNO | 1), (RET_K, 0, 0, ALLOW)]
    with open(sys.argv[3], "wb") as f:
        f.write(b"".join(struct.pack("<HBBI", *i) for i in prog))


if __name__ == "__main__":
    main()
