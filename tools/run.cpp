// SPDX-License-Identifier: MIT
// kconform-run TARGET [--binary=PATH] [--out=FILE] [--timeout=SECONDS]
//              [--kernel=PATH] [-- SUITE OPTIONS...]
//
// Runs a kconform binary on one target and writes a JSON Lines result file:
// the suite's own lines (console noise and CRLF removed) followed by a
// {"type":"target",...} line with what the binary cannot know: the target,
// the emulator or kernel used, the wall time, how the run ended, and
// "complete": false when it died before its summary (every line received
// before that is kept).
//
// Exit status: 0 the run completed with no failure, 1 it completed with
// failures, 3 it did not complete, 2 usage or set-up error.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "initramfs.hpp"
#include "process.hpp"
#include "results.hpp"

namespace fs = std::filesystem;

namespace {

enum class Kind { Direct, Init };

struct Target {
    const char* name;
    const char* arch;  // the binary it runs: kconform-<arch>
    Kind kind;
    double timeout_s;
    const char* about;
    // Passed as --timeout-scale unless the suite options give one: targets
    // so slow that per-test deadlines meant for a real kernel are too short.
    int timeout_scale = 1;
    // Passed as --jobs unless the suite options give one (0: the suite's
    // auto): targets that spend CPU on every system call gain nothing from
    // more jobs than cores, and the timing tests beside them suffer.
    int jobs = 0;
};

const Target kTargets[] = {
    {"native", "x86_64", Kind::Direct, 120, "this machine's kernel"},
    {"qemu-x86_64", "x86_64", Kind::Direct, 300, "qemu-user, x86-64"},
    {"qemu-aarch64", "aarch64", Kind::Direct, 300, "qemu-user, aarch64"},
    {"qemu-riscv64", "riscv64", Kind::Direct, 300, "qemu-user, riscv64"},
    // A ptrace round trip per system call and page fault: loops of 10,000
    // calls take 4-10 s, against 10 s deadlines.
    {"gvisor", "x86_64", Kind::Direct, 600, "gVisor runsc, ptrace platform", 2, 2},
    // valgrind translates every block and forks a copy of its own large
    // address space: fork-heavy tests take 20-100x native time. The none
    // tool: the system-call layer under test is valgrind's core, the same for
    // every tool, and memcheck would add 2.5x the time and its own argument
    // scans (2^32 pollfds) that never end.
    {"valgrind", "x86_64", Kind::Direct, 900, "valgrind, none tool", 3, 2},
    {"uml", "x86_64", Kind::Init, 300, "User-mode Linux, binary as /init"},
    {"vm-x86_64", "x86_64", Kind::Init, 900, "QEMU x86-64 VM (TCG), binary as /init"},
    // One vCPU: with two, a 10 ms SO_RCVTIMEO expired after 8.8 ms of
    // CLOCK_MONOTONIC (the vCPUs' clocks disagree under TCG). Emulated
    // aarch64 runs the 10,000-round loops at a tenth of native speed, and
    // two jobs share the one vCPU: deadlines are doubled.
    {"vm-aarch64", "aarch64", Kind::Init, 900, "QEMU aarch64 VM (TCG), binary as /init", 2},
};

// The usage text: to stdout with status 0 for --help, else to stderr with 2.
[[noreturn]] void usage(const std::string& why) {
    std::ostream& o = why.empty() ? std::cout : std::cerr;
    if (!why.empty()) o << "kconform-run: " << why << "\n";
    o << "usage: kconform-run TARGET [--binary=PATH] [--out=FILE] [--timeout=SECONDS]\n"
      << "                    [--kernel=PATH] [-- SUITE OPTIONS...]\ntargets:\n";
    for (auto& t : kTargets)
        o << "  " << t.name << std::string(14 - std::string(t.name).size(), ' ') << t.about << "\n";
    std::exit(why.empty() ? 0 : 2);
}

std::string first_line(const std::vector<std::string>& argv) {
    auto p = run_process(argv, {}, 30);
    std::string s = p.out.empty() ? p.err : p.out;
    return s.substr(0, s.find('\n'));
}

std::string json_escape(const std::string& s) {
    std::string o;
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') {
            o += '\\';
            o += char(c);
        } else if (c < 0x20) {
            char b[8];
            std::snprintf(b, sizeof b, "\\u%04x", c);
            o += b;
        } else {
            o += char(c);
        }
    }
    return o;
}

// vm-aarch64: the kernel ./kc fetched into the build tree; vm-x86_64: the
// newest /boot/vmlinuz-*-amd64. Empty when there is none.
std::string default_kernel(const Target& t, const fs::path& build_dir) {
    if (std::string(t.name) == "vm-aarch64") {
        fs::path k = build_dir / "vm-aarch64" / "vmlinuz";
        return fs::exists(k) ? k.string() : std::string();
    }
    if (std::string(t.name) != "vm-x86_64") return {};
    std::vector<std::string> found;
    std::error_code ec;
    for (auto& e : fs::directory_iterator("/boot", ec)) {
        std::string n = e.path().filename().string();
        if (n.rfind("vmlinuz-", 0) == 0 && n.find("amd64") != std::string::npos)
            found.push_back(e.path().string());
    }
    std::sort(found.begin(), found.end());
    return found.empty() ? std::string() : found.back();
}

// Where to look for the suite binary when --binary does not say, in order:
// in the build directory this tool was built in, the native binary at its
// top and the others in cross-<arch>/; after `cmake --install`
// (cmake/install.cmake), next to this tool in <prefix>/bin.
std::vector<fs::path> binary_places(const fs::path& self_dir, const std::string& arch) {
    const std::string file = "kconform-" + arch;
    const fs::path top = self_dir.parent_path();
    return {top / file, top / ("cross-" + arch) / file, self_dir / file};
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) usage("no target given");
    std::string name = argv[1];
    if (name == "--help" || name == "-h") usage("");
    const Target* target = nullptr;
    for (auto& t : kTargets)
        if (name == t.name) target = &t;
    if (!target) usage("unknown target '" + name + "'");

    fs::path self_dir = fs::canonical("/proc/self/exe").parent_path();
    std::string binary, out, kernel;
    double timeout_s = target->timeout_s;
    std::vector<std::string> suite_opts;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--") {
            suite_opts.assign(argv + i + 1, argv + argc);
            break;
        } else if (a.rfind("--binary=", 0) == 0) {
            binary = a.substr(9);
        } else if (a.rfind("--out=", 0) == 0) {
            out = a.substr(6);
        } else if (a.rfind("--kernel=", 0) == 0) {
            kernel = a.substr(9);
        } else if (a.rfind("--timeout=", 0) == 0) {
            try {
                size_t used = 0;
                timeout_s = std::stod(a.substr(10), &used);
                if (used != a.size() - 10 || !(timeout_s > 0)) throw std::invalid_argument("");
            } catch (const std::exception&) {
                usage("--timeout wants a positive number of seconds");
            }
        } else {
            usage("unknown option '" + a + "'");
        }
    }
    for (auto& o : suite_opts) {
        if (o.find(' ') != std::string::npos && target->kind == Kind::Init)
            usage("suite options cannot contain spaces on a kernel command line: '" + o + "'");
        if (o.rfind("--format", 0) == 0 || o == "--list" || o == "--help" || o == "-h")
            usage("'" + o + "' is not a run option: the runner sets the format");
    }
    if (binary.empty()) {
        auto places = binary_places(self_dir, target->arch);
        for (auto& p : places)
            if (fs::exists(p)) {
                binary = p.string();
                break;
            }
        if (binary.empty()) {
            std::cerr << "kconform-run: no binary at ";
            for (size_t i = 0; i < places.size(); ++i)
                std::cerr << (i == 0                  ? ""
                              : i + 1 < places.size() ? ", "
                                                      : " or ")
                          << places[i].string();
            std::cerr << " (build it, or give --binary)\n";
            return 2;
        }
    }
    if (!fs::exists(binary)) {
        std::cerr << "kconform-run: no binary at " << binary << " (build it, or give --binary)\n";
        return 2;
    }
    binary = fs::absolute(binary).string();
    if (out.empty()) out = "out/" + name + ".jsonl";
    if (fs::path(out).has_parent_path()) fs::create_directories(fs::path(out).parent_path());

    std::vector<std::string> opts = {"--format=jsonl"};
    bool scale_given = std::any_of(suite_opts.begin(), suite_opts.end(), [](const std::string& o) {
        return o.rfind("--timeout-scale=", 0) == 0;
    });
    if (target->timeout_scale > 1 && !scale_given)
        opts.push_back("--timeout-scale=" + std::to_string(target->timeout_scale));
    bool jobs_given = std::any_of(suite_opts.begin(), suite_opts.end(),
                                  [](const std::string& o) { return o.rfind("--jobs=", 0) == 0; });
    if (target->jobs > 0 && !jobs_given) opts.push_back("--jobs=" + std::to_string(target->jobs));
    opts.insert(opts.end(), suite_opts.begin(), suite_opts.end());

    // The command, and the tool whose version the result records.
    std::vector<std::string> cmd, version_cmd;
    std::string tmpdir, initrd;
    if (target->kind == Kind::Init) {
        char tmpl[] = "/tmp/kconform-run-XXXXXX";
        if (!mkdtemp(tmpl)) {
            std::cerr << "kconform-run: mkdtemp failed\n";
            return 2;
        }
        tmpdir = tmpl;
        initrd = tmpdir + "/initramfs.cpio";
        try {
            kci::write_initramfs(binary, initrd);
        } catch (const std::exception& e) {
            std::cerr << "kconform-run: " << e.what() << "\n";
            return 2;
        }
        opts.push_back("--poweroff");
    }
    std::string init_args;
    for (auto& o : opts) init_args += " " + o;
    if (name == "native") {
        cmd = {binary};
        version_cmd = {"/bin/uname", "-sr"};
    } else if (name.rfind("qemu-", 0) == 0) {
        cmd = {"/usr/bin/" + name, binary};
        version_cmd = {cmd[0], "--version"};
    } else if (name == "gvisor") {
        cmd = {"/usr/bin/runsc", "--network=none"};
        if (geteuid() != 0) cmd.push_back("--rootless");
        cmd.insert(cmd.end(), {"do", binary});
        version_cmd = {"/usr/bin/runsc", "--version"};
    } else if (name == "valgrind") {
        cmd = {"/usr/bin/valgrind", "--tool=none", "-q", binary};
        version_cmd = {"/usr/bin/valgrind", "--version"};
    } else if (name == "uml") {
        cmd = {"/usr/bin/linux.uml",
               "mem=128M",
               "initrd=" + initrd,
               "ubd0=/dev/null",
               "con0=fd:0,fd:1",
               "con=null",
               "quiet",
               "--"};
        cmd.insert(cmd.end(), opts.begin(), opts.end());
        version_cmd = {"/usr/bin/linux.uml", "--version"};
    } else if (name == "vm-x86_64" || name == "vm-aarch64") {
        if (kernel.empty()) kernel = default_kernel(*target, self_dir.parent_path());
        if (kernel.empty() || !fs::exists(kernel)) {
            std::cerr << "kconform-run: " << name << " needs a kernel image (--kernel=PATH)\n";
            return 2;
        }
        if (name == "vm-x86_64") {
            // -M pc, not microvm: under TCG the kernel's PIT calibration of
            // the TSC fails now and then on microvm, and boot then hangs
            // before any output (half of the boots on this machine). Two
            // vCPUs: multi-threaded TCG runs the suite's parallel jobs
            // (--jobs=auto: twice the guest's CPUs) on both host cores.
            cmd = {"/usr/bin/qemu-system-x86_64",
                   "-accel",
                   "tcg",
                   "-M",
                   "pc",
                   "-smp",
                   "2",
                   "-m",
                   "256",
                   "-nodefaults",
                   "-display",
                   "none",
                   "-serial",
                   "stdio",
                   "-no-reboot",
                   "-kernel",
                   kernel,
                   "-initrd",
                   initrd,
                   "-append",
                   "console=ttyS0 quiet panic=-1 --" + init_args};
        } else {
            cmd = {"/usr/bin/qemu-system-aarch64",
                   "-M",
                   "virt",
                   "-cpu",
                   "cortex-a57",
                   "-m",
                   "256",
                   "-nographic",
                   "-no-reboot",
                   "-kernel",
                   kernel,
                   "-initrd",
                   initrd,
                   "-append",
                   "console=ttyAMA0 quiet panic=-1 --" + init_args};
        }
        version_cmd = {cmd[0], "--version"};
    }
    if (target->kind == Kind::Direct) cmd.insert(cmd.end(), opts.begin(), opts.end());
    if (!fs::exists(cmd[0]) && cmd[0] != binary) {
        std::cerr << "kconform-run: " << cmd[0] << " is not installed\n";
        return 2;
    }
    std::string tool = first_line(version_cmd);
    if (!kernel.empty()) tool += " + " + kernel;

    auto proc = run_process(cmd, {}, timeout_s);
    if (!tmpdir.empty()) fs::remove_all(tmpdir);

    // Keep the suite's JSON lines; drop console noise around them.
    std::ofstream os(out, std::ios::trunc);
    std::istringstream in(proc.out);
    size_t kept = 0, noise = 0;
    bool complete = false;
    std::string kept_text;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        size_t at = line.find("{\"type\":");
        if (at == std::string::npos) {
            noise += !line.empty();
            continue;
        }
        line.erase(0, at);
        try {
            auto obj = kcr::parse_json_object(line);
            if (obj["type"] == "summary") complete = true;
        } catch (const kcr::ParseError&) {
            ++noise;
            continue;
        }
        kept_text += line + "\n";
        ++kept;
    }
    os << kept_text;
    std::string reason;
    if (!complete) {
        if (proc.timed_out)
            reason = "timed out after " + std::to_string(int(timeout_s)) + " s";
        else if (proc.signal)
            reason = "the target was killed by signal " + std::to_string(proc.signal);
        else
            reason = "no summary: the target ended (exit status " + std::to_string(proc.exit_code) +
                     ") mid-run";
    }
    std::string command;
    for (auto& c : cmd) command += (command.empty() ? "" : " ") + c;
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.3f", proc.seconds);
    os << "{\"type\":\"target\",\"target\":\"" << name << "\",\"tool\":\"" << json_escape(tool)
       << "\",\"command\":\"" << json_escape(command) << "\",\"wall_s\":" << wall
       << ",\"exit_status\":" << proc.exit_code << ",\"signal\":" << proc.signal
       << ",\"timed_out\":" << (proc.timed_out ? "true" : "false")
       << ",\"complete\":" << (complete ? "true" : "false") << ",\"noise_lines\":" << noise
       << ",\"reason\":\"" << json_escape(reason) << "\"}\n";
    os.close();
    if (!os) {
        std::cerr << "kconform-run: error writing " << out << "\n";
        return 2;
    }

    long long failed = 0;
    try {
        auto run = kcr::parse_run(kept_text + "", false);
        failed = run.failed;
        std::cerr << "kconform-run: " << name << ": " << run.tests.size() << " results, "
                  << run.passed << " passed, " << run.failed << " failed, " << run.skipped
                  << " skipped";
    } catch (const kcr::ParseError& e) {
        std::cerr << "kconform-run: " << name << ": no usable output (" << e.what() << ")";
    }
    std::cerr << (complete ? "" : "; INCOMPLETE: " + reason) << "; " << wall << " s -> " << out
              << "\n";
    if (!complete && !proc.err.empty())
        std::cerr << "stderr of the target (last 2000 bytes):\n"
                  << proc.err.substr(proc.err.size() > 2000 ? proc.err.size() - 2000 : 0) << "\n";
    return !complete ? 3 : failed ? 1 : 0;
}
