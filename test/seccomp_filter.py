#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""seccomp_filter.py NR_HPP OUT: a container-like seccomp filter (a classic
BPF program, as bwrap --seccomp reads it) for the reference-environment
check (test/environments.sh).

It refuses what a container runtime's default profile refuses without extra
capabilities (Docker's and Podman's: administration, namespaces, keyrings,
NUMA policy, other processes' memory, io_uring, the mount API, ...) with
EPERM, clone with a namespace flag with EPERM, and clone3 and a handful of
calls newer than such profiles with ENOSYS, the errno runtimes give calls
they do not know. Other architectures' system calls (i386 on x86-64) are
allowed. The suite must report every test it cannot run there as SKIP.
"""
import re
import struct
import sys

EPERM = """acct add_key bpf clock_adjtime clock_settime delete_module finit_module
fanotify_init fsconfig fsmount fsopen fspick get_mempolicy init_module io_uring_enter
io_uring_register io_uring_setup ioperm iopl kcmp kexec_file_load kexec_load keyctl
lookup_dcookie mbind migrate_pages modify_ldt mount mount_setattr move_mount move_pages
name_to_handle_at open_by_handle_at open_tree perf_event_open pivot_root
process_vm_readv process_vm_writev quotactl reboot request_key set_mempolicy
set_mempolicy_home_node setdomainname sethostname setns settimeofday swapoff swapon
syslog sysfs umount2 unshare uselib userfaultfd ustat vhangup""".split()
ENOSYS = """clone3 cachestat futex_wait futex_wake futex_requeue listmount statmount
lsm_get_self_attr lsm_list_modules lsm_set_self_attr map_shadow_stack memfd_secret
mseal""".split()
CLONE_NAMESPACES = 0x7E020080  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME

AUDIT_ARCH_X86_64 = 0xC000003E
LD_W_ABS, JEQ_K, JSET_K, RET_K = 0x20, 0x15, 0x45, 0x06
ALLOW, ERRNO = 0x7FFF0000, 0x00050000


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: seccomp_filter.py NR_HPP OUT")
    nr = {}
    with open(sys.argv[1]) as f:
        for line in f:
            m = re.match(r"inline constexpr long (\w+) = (\d+);", line)
            if m:
                nr[m.group(1)] = int(m.group(2))
    unknown = [n for n in EPERM + ENOSYS + ["clone"] if n not in nr]
    if unknown:
        sys.exit("seccomp_filter.py: not in %s: %s" % (sys.argv[1], " ".join(unknown)))
    prog = [(LD_W_ABS, 0, 0, 4), (JEQ_K, 1, 0, AUDIT_ARCH_X86_64), (RET_K, 0, 0, ALLOW),
            (LD_W_ABS, 0, 0, 0)]
    for names, errno in ((EPERM, 1), (ENOSYS, 38)):
        for n in names:
            prog += [(JEQ_K, 0, 1, nr[n]), (RET_K, 0, 0, ERRNO | errno)]
    # clone(flags, ...): the low 32 bits of the first argument at offset 16.
    prog += [(JEQ_K, 0, 3, nr["clone"]), (LD_W_ABS, 0, 0, 16), (JSET_K, 0, 1, CLONE_NAMESPACES),
             (RET_K, 0, 0, ERRNO | 1), (RET_K, 0, 0, ALLOW)]
    with open(sys.argv[2], "wb") as f:
        f.write(b"".join(struct.pack("<HBBI", *i) for i in prog))


if __name__ == "__main__":
    main()
