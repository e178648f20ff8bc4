// SPDX-License-Identifier: MIT
#include "run_vm.hpp"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "process.hpp"

namespace kcvm {

namespace {

// One vCPU on aarch64: with two, a 10 ms SO_RCVTIMEO expired after 8.8 ms
// of CLOCK_MONOTONIC (the vCPUs' clocks disagree under TCG). Emulated
// aarch64 runs the 10,000-round loops at a tenth of native speed, and two
// jobs share the one vCPU: deadlines are doubled. riscv64 is emulated the
// same way and gets the same machine. x86-64 under TCG (two vCPUs) doubles
// them too: beside the other CI jobs, its 10,000-round mprotect and mremap
// loops took over 10 s (1.2 s on a quiet host).
const GuestArch kArches[] = {
    {"x86_64", "/usr/bin/qemu-system-x86_64", "qemu-system-x86", "ttyS0", 2, 256, 2},
    {"aarch64", "/usr/bin/qemu-system-aarch64", "qemu-system-arm", "ttyAMA0", 1, 256, 2},
    {"riscv64", "/usr/bin/qemu-system-riscv64", "qemu-system-misc", "ttyS0", 1, 256, 2},
};

uint32_t le(const std::string& b, size_t at, int bytes) {
    uint32_t v = 0;
    if (at + size_t(bytes) > b.size()) return 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | uint8_t(b[at + size_t(i)]);
    return v;
}

bool has(const std::string& b, size_t at, std::string_view s) {
    return at + s.size() <= b.size() && b.compare(at, s.size(), s) == 0;
}

std::string elf_arch(const std::string& b) {
    if (uint8_t(b[4]) != 2) return {};  // ELFCLASS64
    switch (le(b, 18, 2)) {             // e_machine
        case 62:
            return "x86_64";  // EM_X86_64
        case 183:
            return "aarch64";  // EM_AARCH64
        case 243:
            return "riscv64";  // EM_RISCV
    }
    return {};
}

// An EFI application (x86 bzImage, arm64 or RISC-V EFI zboot image): the
// machine field of its PE header.
std::string pe_arch(const std::string& b) {
    uint32_t pe = le(b, 0x3c, 4);
    if (!has(b, pe, std::string_view("PE\0\0", 4))) return {};
    switch (le(b, pe + 4, 2)) {
        case 0x8664:
            return "x86_64";
        case 0xaa64:
            return "aarch64";
        case 0x5064:
            return "riscv64";
    }
    return {};
}

// The x86 boot protocol (Documentation/arch/x86/boot.rst): "HdrS" at 0x202,
// the protocol version at 0x206, the release string at 0x200 plus the
// pointer at 0x20e, XLF_KERNEL_64 in xloadflags (0x236) since 2.12.
void x86_header(const std::string& b, ImageInfo& info) {
    if (le(b, 0x206, 2) >= 0x20c && !(le(b, 0x236, 2) & 1)) {
        info.why = "a 32-bit x86 kernel (kconform-run boots x86_64 kernels)";
        return;
    }
    info.arch = "x86_64";
    if (uint32_t p = le(b, 0x20e, 2); p && 0x200 + p < b.size()) {
        std::string s = b.substr(0x200 + p, 64);
        info.release = s.substr(0, s.find_first_of(std::string(" \0", 2)));
    }
}

const char* const kGenericNames[] = {"bzImage",     "zImage",   "Image",   "Image.gz",
                                     "Image.efi",   "vmlinux",  "vmlinuz", "vmlinuz.efi",
                                     "vmlinux.efi", "Image.bin"};

bool dev_kvm_opens(std::string& why) {
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        why = std::string("/dev/kvm: ") + std::strerror(errno);
        return false;
    }
    close(fd);
    return true;
}

std::string host_arch() {
    utsname u{};
    uname(&u);
    return u.machine;
}

// The first line of QEMU's standard error, which names what went wrong.
std::string first_line_of(const std::string& s) {
    std::string l = s.substr(0, s.find('\n'));
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.pop_back();
    return l;
}

}  // namespace

const GuestArch* find_arch(const std::string& name) {
    for (auto& a : kArches)
        if (name == a.name) return &a;
    return nullptr;
}

std::string arch_names() { return "x86_64, aarch64 or riscv64"; }

ImageInfo inspect_image(const std::string& path) {
    ImageInfo info;
    std::ifstream in(path, std::ios::binary);
    std::string b(65536, '\0');
    in.read(b.data(), std::streamsize(b.size()));
    b.resize(size_t(in.gcount()));
    if (b.size() < 0x240) {
        info.why = "too short to be a kernel image";
    } else if (has(b, 0,
                   "\x7f"
                   "ELF")) {
        info.arch = elf_arch(b);
        if (info.arch.empty()) info.why = "an ELF file for another machine";
    } else if (has(b, 0x202, "HdrS")) {
        x86_header(b, info);
    } else if (le(b, 0x38, 4) == 0x644d5241) {  // "ARM\x64": arm64 Image
        info.arch = "aarch64";
    } else if (le(b, 0x38, 4) == 0x05435352 || has(b, 0x30, "RISCV")) {  // RISC-V Image
        info.arch = "riscv64";
    } else if (has(b, 0, "MZ")) {
        info.arch = pe_arch(b);
        if (info.arch.empty()) info.why = "an EFI image for another machine";
    } else if (has(b, 0, "\x1f\x8b")) {
        info.why = "a gzip-compressed file: its header cannot be read";
    } else {
        info.why = "no x86 boot header, arm64 or RISC-V Image header, EFI or ELF header";
    }
    return info;
}

std::string name_from_image(const std::string& path, const ImageInfo& info) {
    std::string name = std::filesystem::path(path).filename().string();
    for (const char* g : kGenericNames)
        if (name == g) name = "linux-" + (info.release.empty() ? info.arch : info.release);
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("._+-", c)) c = '_';
    return name;
}

bool valid_name(const std::string& name) {
    if (name.empty() || name[0] == '.' || name[0] == '-') return false;
    for (unsigned char c : name)
        if (!std::isalnum(c) && !std::strchr("._+-", c)) return false;
    return true;
}

std::vector<std::string> qemu_command(const Machine& m, const std::string& accel,
                                      const std::string& init_args) {
    const std::string arch = m.arch->name;
    std::vector<std::string> cmd = {m.arch->qemu, "-accel", accel};
    // -M pc, not microvm, on x86-64: under TCG the kernel's PIT calibration
    // of the TSC fails now and then on microvm, and boot then hangs before
    // any output (half of the boots on this machine).
    cmd.insert(cmd.end(), {"-M", arch == "x86_64" ? "pc" : "virt"});
    // KVM runs the host's own CPU model (the only one that boots under
    // every KVM); TCG emulates QEMU's default model, a Cortex-A57 on arm64.
    if (accel == "kvm")
        cmd.insert(cmd.end(), {"-cpu", "host"});
    else if (arch == "aarch64")
        cmd.insert(cmd.end(), {"-cpu", "cortex-a57"});
    cmd.insert(cmd.end(), {"-smp", std::to_string(m.smp), "-m", std::to_string(m.mem_mb)});
    if (arch == "x86_64")
        cmd.insert(cmd.end(), {"-nodefaults", "-display", "none", "-serial", "stdio"});
    else
        cmd.push_back("-nographic");
    cmd.insert(cmd.end(), {"-no-reboot", "-kernel", m.kernel, "-initrd", m.initrd, "-append",
                           std::string("console=") + m.arch->console +
                               " quiet loglevel=1 panic=-1 --" + init_args});
    return cmd;
}

AccelChoice choose_accel(const Machine& m, const std::string& requested, double probe_s) {
    if (requested == "tcg") return {"tcg", "TCG (--accel=tcg)"};
    if (requested == "kvm") return {"kvm", "KVM (--accel=kvm, not probed)"};
    const std::string host = host_arch();
    if (host != m.arch->name)
        return {"tcg", "TCG: the guest is " + std::string(m.arch->name) + ", the host " + host};
    std::string why;
    if (!dev_kvm_opens(why)) return {"tcg", "TCG: " + why};
    // The suite selects no test, prints its header and summary and powers
    // off: a boot that works under KVM takes a few seconds.
    auto probe = run_process(
        qemu_command(m, "kvm", " --format=jsonl --filter=kconform-run.kvm-probe --poweroff"), {},
        probe_s);
    if (probe.out.find("{\"type\":\"summary\"") != std::string::npos && probe.exit_code == 0)
        return {"kvm", "KVM (a probe boot under KVM reached the suite)"};
    if (probe.timed_out)
        why = "no result from the suite within " + std::to_string(int(probe_s)) + " s";
    else if (!probe.err.empty())
        why = first_line_of(probe.err);
    else
        why = "QEMU ended (status " + std::to_string(probe.exit_code) +
              ") before the suite's summary";
    return {"tcg", "TCG: a probe boot under KVM failed: " + why};
}

}  // namespace kcvm
