// SPDX-License-Identifier: MIT
// kconform-run's virtual machines: a kernel image booted in QEMU with the
// suite as /init. What the image says about itself (its architecture, an
// x86 image's release), the QEMU command for each guest architecture, and
// the choice of accelerator: KVM only when the guest matches the host and
// a short probe boot proves that it works, TCG otherwise.
#pragma once

#include <string>
#include <vector>

namespace kcvm {

// One guest architecture: the QEMU that runs it and its defaults.
struct GuestArch {
    const char* name;       // x86_64, aarch64, riscv64: as in kconform-<name>
    const char* qemu;       // /usr/bin/qemu-system-...
    const char* package;    // the Debian package that holds it
    const char* console;    // the kernel's console device
    int smp, mem_mb;        // the vm-<name> target's machine
    int tcg_timeout_scale;  // per-test deadlines are this much longer under TCG
};

// nullptr for an architecture kconform-run cannot boot.
const GuestArch* find_arch(const std::string& name);
std::string arch_names();  // "x86_64, aarch64 or riscv64"

// What the first bytes of a kernel image say: the architecture (from an x86
// boot header, an arm64 or RISC-V Image header, an EFI (PE) header or ELF),
// and for x86 the release string. `arch` is empty and `why` says what the
// file is when it cannot be told.
struct ImageInfo {
    std::string arch, release, why;
};
ImageInfo inspect_image(const std::string& path);

// A result name from the image's file name: vmlinuz-6.1.0-57-amd64 stays,
// a generic name (bzImage, Image, vmlinux, ...) becomes linux-RELEASE or
// linux-ARCH. Characters outside [A-Za-z0-9._+-] become '_'.
std::string name_from_image(const std::string& path, const ImageInfo& info);
bool valid_name(const std::string& name);

struct Machine {
    const GuestArch* arch = nullptr;
    std::string kernel, initrd;
    int smp = 1, mem_mb = 256;
};

// The QEMU command line that boots `m` under `accel` ("kvm" or "tcg") and
// passes `init_args` to /init.
std::vector<std::string> qemu_command(const Machine& m, const std::string& accel,
                                      const std::string& init_args);

// The accelerator to use: `requested` is auto, kvm or tcg. For auto, KVM
// only when the guest is the host's architecture, /dev/kvm opens and a
// probe boot of this machine (the suite selecting no test, then powering
// off) ends with the suite's summary within `probe_s` seconds. `note` says
// why, for the first line of output and the result file.
struct AccelChoice {
    std::string accel, note;
};
AccelChoice choose_accel(const Machine& m, const std::string& requested, double probe_s = 25);

}  // namespace kcvm
