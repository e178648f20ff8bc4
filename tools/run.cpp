// SPDX-License-Identifier: MIT
// kconform-run TARGET [--binary=PATH] [--out=FILE] [--name=NAME] [--timeout=SECONDS]
//              [--kernel=IMAGE] [--arch=ARCH] [--smp=N] [--mem=MB]
//              [--accel=auto|kvm|tcg] [--dry-run] [-- SUITE OPTIONS...]
//
// Runs a kconform binary on one target and writes a JSON Lines result file:
// the suite's own lines (console noise and CRLF removed) followed by a
// {"type":"target",...} line with what the binary cannot know: the target,
// the emulator or kernel used, a VM's accelerator, the wall time, how the
// run ended, and "complete": false when it died before its summary. Every
// line received before that is kept; the whole console is kept beside the
// result file (NAME.console.txt), and the reason names a kernel panic and
// the tests that were running (a booted suite runs with -v, which announces
// each test before it starts).
//
// The vm target boots any kernel image (--kernel) in QEMU with the suite as
// /init; vm-x86_64, vm-aarch64 and vm-riscv64 are the same with a default
// kernel and architecture. A VM uses KVM when the guest is the host's
// architecture and a probe boot under KVM works (run_vm.hpp), TCG
// otherwise, and says which on the first line of output.
//
// Exit status: 0 the run completed with no failure, 1 it completed with
// failures, 3 it did not complete, 2 usage or set-up error.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "initramfs.hpp"
#include "process.hpp"
#include "results.hpp"
#include "run_vm.hpp"

namespace fs = std::filesystem;

namespace {

// Direct: the binary runs as a program. Init: it boots as /init of User-mode
// Linux. Vm: it boots as /init of a kernel in QEMU.
enum class Kind { Direct, Init, Vm };

struct Target {
    const char* name;
    const char* arch;  // the binary it runs, kconform-<arch>; for vm, the image's
    Kind kind;
    double timeout_s;
    const char* about;
    // Passed as --timeout-scale unless the suite options give one: targets
    // so slow that per-test deadlines meant for a real kernel are too short.
    // A VM under TCG takes its architecture's (run_vm.cpp).
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
    // Every page-table change is a host mmap or mprotect: mprotect's 10,000
    // split-merge cycles took 2.9 s on a quiet machine and over 10 s beside
    // the other CI jobs.
    {"uml", "x86_64", Kind::Init, 300, "User-mode Linux, binary as /init", 2},
    {"vm-x86_64", "x86_64", Kind::Vm, 900, "QEMU x86-64 VM, Debian's kernel, binary as /init"},
    {"vm-aarch64", "aarch64", Kind::Vm, 900, "QEMU aarch64 VM, Debian's arm64 kernel"},
    {"vm-riscv64", "riscv64", Kind::Vm, 900, "QEMU riscv64 VM (needs --kernel)"},
    {"vm", nullptr, Kind::Vm, 900, "QEMU VM booting --kernel=IMAGE (your kernel)"},
};

// The usage text: to stdout with status 0 for --help, else to stderr with 2.
[[noreturn]] void usage(const std::string& why) {
    std::ostream& o = why.empty() ? std::cout : std::cerr;
    if (!why.empty()) o << "kconform-run: " << why << "\n";
    o << "usage: kconform-run TARGET [--binary=PATH] [--out=FILE] [--name=NAME]\n"
      << "                    [--timeout=SECONDS] [-- SUITE OPTIONS...]\n"
      << "       kconform-run vm|vm-ARCH [--kernel=IMAGE] [--arch="
      << "x86_64|aarch64|riscv64]\n"
      << "                    [--smp=N] [--mem=MB] [--accel=auto|kvm|tcg] [--dry-run] [...]\n"
      << "targets:\n";
    for (auto& t : kTargets)
        o << "  " << t.name << std::string(14 - std::string(t.name).size(), ' ') << t.about << "\n";
    std::exit(why.empty() ? 0 : 2);
}

// A bad value or a set-up error: the reason, status 2.
[[noreturn]] void setup_error(const std::string& why) {
    std::cerr << "kconform-run: " << why << "\n";
    std::exit(2);
}

// What the command line asks for.
struct Options {
    std::string binary, out, name, kernel, arch, accel = "auto";
    double timeout_s = 0;     // 0: the target's
    int smp = 0, mem_mb = 0;  // 0: the architecture's
    bool dry_run = false;
    std::vector<std::string> suite_opts;
};

double positive_seconds(const std::string& opt, const std::string& v) {
    try {
        size_t used = 0;
        double s = std::stod(v, &used);
        if (used == v.size() && s > 0) return s;
    } catch (const std::exception&) {
    }
    setup_error(opt + " wants a positive number of seconds, not '" + v + "'");
}

int whole_number(const std::string& opt, const std::string& v, int min, int max) {
    bool digits = !v.empty() && v.size() < 9 &&
                  std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    int n = digits ? std::stoi(v) : -1;
    if (n < min || n > max)
        setup_error(opt + " wants a whole number from " + std::to_string(min) + " to " +
                    std::to_string(max) + ", not '" + v + "'");
    return n;
}

Options parse_options(int argc, char** argv, const Target& target) {
    Options o;
    bool vm_option = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const size_t eq = a.find('=');
        const std::string key = a.substr(0, eq),
                          v = eq == std::string::npos ? "" : a.substr(eq + 1);
        const bool vm_key = key == "--kernel" || key == "--arch" || key == "--smp" ||
                            key == "--mem" || key == "--accel";
        if (eq == std::string::npos && a != "--" && a != "--dry-run") {
            if (vm_key || key == "--binary" || key == "--out" || key == "--name" ||
                key == "--timeout")
                setup_error("'" + a + "' wants a value: " + a + "=...");
            usage("unknown option '" + a + "'");
        }
        vm_option |= vm_key;
        if (a == "--") {
            o.suite_opts.assign(argv + i + 1, argv + argc);
            break;
        } else if (a == "--dry-run") {
            o.dry_run = true;
        } else if (key == "--binary") {
            o.binary = v;
        } else if (key == "--out") {
            o.out = v;
        } else if (key == "--name") {
            if (!kcvm::valid_name(v)) setup_error("--name wants letters, digits and ._+- only");
            o.name = v;
        } else if (key == "--kernel") {
            o.kernel = v;
        } else if (key == "--arch") {
            if (!kcvm::find_arch(v))
                setup_error("unknown --arch '" + v + "': give " + kcvm::arch_names());
            o.arch = v;
        } else if (key == "--smp") {
            o.smp = whole_number(key, v, 1, 64);
        } else if (key == "--mem") {
            o.mem_mb = whole_number(key, v, 64, 65536);
        } else if (key == "--accel") {
            if (v != "auto" && v != "kvm" && v != "tcg")
                setup_error("--accel wants auto, kvm or tcg, not '" + v + "'");
            o.accel = v;
        } else if (key == "--timeout") {
            o.timeout_s = positive_seconds(key, v);
        } else {
            usage("unknown option '" + a + "'");
        }
    }
    if (vm_option && target.kind != Kind::Vm)
        setup_error("--kernel, --arch, --smp, --mem and --accel are for the vm targets");
    if (target.arch && !o.arch.empty() && o.arch != target.arch)
        setup_error(std::string(target.name) + " boots " + target.arch + " kernels, not " + o.arch +
                    " (the vm target boots any)");
    for (auto& s : o.suite_opts) {
        if (s.find(' ') != std::string::npos && target.kind != Kind::Direct)
            setup_error("suite options cannot contain spaces on a kernel command line: '" + s +
                        "'");
        if (s.rfind("--format", 0) == 0 || s == "--list" || s == "--help" || s == "-h")
            setup_error("'" + s + "' is not a run option: the runner sets the format");
    }
    return o;
}

// vm-aarch64 (and vm-riscv64): the kernel ./kc fetched into the build tree,
// build/vm-<arch>/vmlinuz; vm-x86_64: the newest /boot/vmlinuz-*-amd64.
// Empty when there is none.
std::string default_kernel(const Target& t, const fs::path& build_dir) {
    if (!t.arch || t.kind != Kind::Vm) return {};
    if (std::string(t.arch) != "x86_64") {
        fs::path k = build_dir / t.name / "vmlinuz";
        return fs::exists(k) ? k.string() : std::string();
    }
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

// A VM's machine from the options: the kernel image, its architecture
// (--arch, the target's, or the image's own header; they must agree), and
// the result name (--name, the target's, or the image's).
kcvm::Machine resolve_vm(const Target& t, Options& o, const fs::path& build_dir) {
    kcvm::Machine m;
    m.kernel = o.kernel.empty() ? default_kernel(t, build_dir) : o.kernel;
    if (m.kernel.empty())
        setup_error(std::string(t.name) + " needs a kernel image: --kernel=IMAGE");
    if (!fs::is_regular_file(m.kernel) || access(m.kernel.c_str(), R_OK) != 0)
        setup_error("no readable kernel image at " + m.kernel);
    m.kernel = fs::absolute(m.kernel).string();
    kcvm::ImageInfo info = kcvm::inspect_image(m.kernel);
    std::string arch = !o.arch.empty() ? o.arch : t.arch ? t.arch : info.arch;
    if (arch.empty())
        setup_error("cannot tell the architecture of " + m.kernel + " (" + info.why +
                    "): give --arch=" + "x86_64|aarch64|riscv64");
    if (!info.arch.empty() && info.arch != arch)
        setup_error(m.kernel + " is a kernel for " + info.arch + ", not " + arch);
    m.arch = kcvm::find_arch(arch);
    m.smp = o.smp ? o.smp : m.arch->smp;
    m.mem_mb = o.mem_mb ? o.mem_mb : m.arch->mem_mb;
    if (o.name.empty()) o.name = t.arch ? t.name : kcvm::name_from_image(m.kernel, info);
    return m;
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

std::string find_binary(const std::string& given, const fs::path& self_dir,
                        const std::string& arch) {
    if (!given.empty()) {
        if (!fs::exists(given))
            setup_error("no binary at " + given + " (build it, or give --binary)");
        return fs::absolute(given).string();
    }
    auto places = binary_places(self_dir, arch);
    for (auto& p : places)
        if (fs::exists(p)) return p.string();
    std::string where;
    for (size_t i = 0; i < places.size(); ++i)
        where += (i == 0 ? "" : i + 1 < places.size() ? ", " : " or ") + places[i].string();
    setup_error("no binary at " + where + " (build it, or give --binary)");
}

bool has_option(const std::vector<std::string>& opts, const std::string& prefix) {
    return std::any_of(opts.begin(), opts.end(),
                       [&](const std::string& o) { return o.rfind(prefix, 0) == 0; });
}

// The suite's options: JSON Lines, the target's deadline scale and jobs
// unless given, and for a booted suite -v (a panic then still shows which
// tests were running) and --poweroff.
std::vector<std::string> suite_options(const Options& o, Kind kind, int scale, int jobs) {
    std::vector<std::string> opts = {"--format=jsonl"};
    if (scale > 1 && !has_option(o.suite_opts, "--timeout-scale="))
        opts.push_back("--timeout-scale=" + std::to_string(scale));
    if (jobs > 0 && !has_option(o.suite_opts, "--jobs="))
        opts.push_back("--jobs=" + std::to_string(jobs));
    if (kind != Kind::Direct && !has_option(o.suite_opts, "-v") &&
        !has_option(o.suite_opts, "--verbose"))
        opts.push_back("-v");
    opts.insert(opts.end(), o.suite_opts.begin(), o.suite_opts.end());
    if (kind != Kind::Direct) opts.push_back("--poweroff");
    return opts;
}

// A scratch directory holding the initramfs, removed with this object.
class Initramfs {
   public:
    explicit Initramfs(const std::string& binary) {
        char tmpl[] = "/tmp/kconform-run-XXXXXX";
        if (!mkdtemp(tmpl)) setup_error("mkdtemp failed");
        dir_ = tmpl;
        path_ = dir_ + "/initramfs.cpio";
        try {
            kci::write_initramfs(binary, path_);
        } catch (const std::exception& e) {
            setup_error(e.what());
        }
    }
    ~Initramfs() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    Initramfs(const Initramfs&) = delete;
    Initramfs& operator=(const Initramfs&) = delete;
    const std::string& path() const { return path_; }

   private:
    std::string dir_, path_;
};

// The command that runs the suite on the target, and the one that prints
// the version of the tool the result records.
struct Command {
    std::vector<std::string> argv, version;
};

Command make_command(const Target& t, const std::string& binary,
                     const std::vector<std::string>& opts, const std::string& initrd,
                     const kcvm::Machine& vm, const std::string& accel) {
    const std::string name = t.name;
    Command c;
    if (t.kind == Kind::Vm) {
        std::string init_args;
        for (auto& s : opts) init_args += " " + s;
        c.argv = kcvm::qemu_command(vm, accel, init_args);
        c.version = {c.argv[0], "--version"};
        return c;
    }
    if (name == "native") {
        c.argv = {binary};
        c.version = {"/bin/uname", "-sr"};
    } else if (name.rfind("qemu-", 0) == 0) {
        c.argv = {"/usr/bin/" + name, binary};
    } else if (name == "gvisor") {
        c.argv = {"/usr/bin/runsc", "--network=none"};
        if (geteuid() != 0) c.argv.push_back("--rootless");
        c.argv.insert(c.argv.end(), {"do", binary});
    } else if (name == "valgrind") {
        c.argv = {"/usr/bin/valgrind", "--tool=none", "-q", binary};
    } else if (name == "uml") {
        c.argv = {"/usr/bin/linux.uml",
                  "mem=128M",
                  "initrd=" + initrd,
                  "ubd0=/dev/null",
                  "con0=fd:0,fd:1",
                  "con=null",
                  "quiet",
                  "--"};
    }
    if (c.version.empty()) c.version = {c.argv[0], "--version"};
    c.argv.insert(c.argv.end(), opts.begin(), opts.end());
    return c;
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

std::string joined(const std::vector<std::string>& words) {
    std::string s;
    for (auto& w : words) s += (s.empty() ? "" : " ") + w;
    return s;
}

// The suite's JSON lines in the output, console noise around them dropped.
struct Kept {
    std::string text;
    size_t noise = 0;
    bool complete = false;
    std::vector<std::string> running;  // started (-v) and never reported
    std::string panic;                 // the kernel's panic line, if any
};

Kept keep_suite_lines(const std::string& output) {
    Kept k;
    std::istringstream in(output);
    std::vector<std::string> started;
    std::set<std::string> ended;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        size_t at = line.find("{\"type\":");
        if (at == std::string::npos) {
            k.noise += !line.empty();
            if (k.panic.empty() && line.find("Kernel panic") != std::string::npos)
                k.panic = line.substr(line.find("Kernel panic"));
            continue;
        }
        line.erase(0, at);
        try {
            auto obj = kcr::parse_json_object(line);
            if (obj["type"] == "summary") k.complete = true;
            if (obj["type"] == "start") started.push_back(obj["id"]);
            if (obj["type"] == "test") ended.insert(obj["id"]);
        } catch (const kcr::ParseError&) {
            ++k.noise;
            continue;
        }
        k.text += line + "\n";
    }
    for (auto& id : started)
        if (!ended.count(id)) k.running.push_back(id);
    return k;
}

std::string seconds(double s) {
    char b[32];
    std::snprintf(b, sizeof b, s == double(long(s)) ? "%.0f" : "%.3f", s);
    return b;
}

std::string incomplete_reason(const Kept& k, const ProcessResult& p, double timeout_s) {
    std::string r;
    if (!k.panic.empty())
        r = k.panic;
    else if (p.silent)
        r = "no output at all in the first minutes, twice";
    else if (p.timed_out)
        r = "timed out after " + seconds(timeout_s) + " s";
    else if (p.signal)
        r = "the target was killed by signal " + std::to_string(p.signal);
    else
        r = "no summary: the target ended (exit status " + std::to_string(p.exit_code) +
            ") mid-run";
    if (!k.running.empty()) {
        r += "; running: ";
        for (size_t i = 0; i < k.running.size() && i < 8; ++i) r += (i ? ", " : "") + k.running[i];
        if (k.running.size() > 8) r += ", ...";
    }
    return r;
}

// NAME.console.txt beside NAME.jsonl: everything the target printed, kept
// for a run that died (and removed after one that completed).
fs::path console_path(const std::string& out) {
    fs::path p(out);
    return p.replace_extension(".console.txt");
}

// The result file: the suite's lines, then the target line. Empty text
// fields (a VM's, for another target) are left out.
void write_results(const std::string& out, const Kept& kept, const ProcessResult& p,
                   const std::vector<std::pair<std::string, std::string>>& about,
                   const std::string& reason) {
    std::ofstream os(out, std::ios::trunc);
    os << kept.text << "{\"type\":\"target\"";
    for (auto& [key, value] : about)
        if (!value.empty()) os << ",\"" << key << "\":\"" << json_escape(value) << "\"";
    char wall[32];
    std::snprintf(wall, sizeof wall, "%.3f", p.seconds);
    os << ",\"wall_s\":" << wall << ",\"exit_status\":" << p.exit_code << ",\"signal\":" << p.signal
       << ",\"timed_out\":" << (p.timed_out ? "true" : "false")
       << ",\"complete\":" << (kept.complete ? "true" : "false")
       << ",\"noise_lines\":" << kept.noise << ",\"reason\":\"" << json_escape(reason) << "\"}\n";
    os.close();
    if (!os) setup_error("error writing " + out);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) usage("no target given");
    std::string target_name = argv[1];
    if (target_name == "--help" || target_name == "-h") usage("");
    const Target* target = nullptr;
    for (auto& t : kTargets)
        if (target_name == t.name) target = &t;
    if (!target) usage("unknown target '" + target_name + "'");
    Options o = parse_options(argc, argv, *target);

    const fs::path self_dir = fs::canonical("/proc/self/exe").parent_path();
    kcvm::Machine vm;
    if (target->kind == Kind::Vm) vm = resolve_vm(*target, o, self_dir.parent_path());
    if (o.name.empty()) o.name = target->name;
    const std::string arch = vm.arch ? vm.arch->name : target->arch;
    const std::string binary = find_binary(o.binary, self_dir, arch);
    if (o.dry_run) {
        std::cout << o.name << " " << arch << "\n";
        return 0;
    }
    const std::string qemu = vm.arch ? vm.arch->qemu : "";
    if (!qemu.empty() && !fs::exists(qemu))
        setup_error(qemu + " is not installed (Debian package " + vm.arch->package + ")");
    const std::string name = o.name;
    const std::string out = o.out.empty() ? "out/" + name + ".jsonl" : o.out;
    if (fs::path(out).has_parent_path()) fs::create_directories(fs::path(out).parent_path());
    const double timeout_s = o.timeout_s > 0 ? o.timeout_s : target->timeout_s;

    std::optional<Initramfs> initrd;
    if (target->kind != Kind::Direct) initrd.emplace(binary);
    kcvm::AccelChoice accel;
    int scale = target->timeout_scale;
    if (vm.arch) {
        vm.initrd = initrd->path();
        accel = kcvm::choose_accel(vm, o.accel);
        if (accel.accel == "tcg") scale = vm.arch->tcg_timeout_scale;
        std::cerr << "kconform-run: " << name << ": " << arch << " kernel " << vm.kernel << ", "
                  << accel.note << std::endl;
    }
    const auto opts = suite_options(o, target->kind, scale, target->jobs);

    const Command cmd =
        make_command(*target, binary, opts, initrd ? initrd->path() : "", vm, accel.accel);
    if (!fs::exists(cmd.argv[0]) && cmd.argv[0] != binary)
        setup_error(cmd.argv[0] + " is not installed");
    std::string tool = first_line(cmd.version);
    if (vm.arch) tool += " + " + vm.kernel;

    // A VM that prints nothing at all in its first minutes is retried once:
    // QEMU under TCG has (rarely) sat silent for the whole deadline on a
    // boot that works the next time.
    const double first_output_s = vm.arch ? 180 : 0;
    auto proc = run_process(cmd.argv, {}, timeout_s, first_output_s);
    if (proc.silent) {
        std::cerr << "kconform-run: " << name << ": no output in " << seconds(first_output_s)
                  << " s; booting once more" << std::endl;
        proc = run_process(cmd.argv, {}, timeout_s, first_output_s);
    }
    initrd.reset();

    const Kept kept = keep_suite_lines(proc.out);
    const std::string reason = kept.complete ? "" : incomplete_reason(kept, proc, timeout_s);
    std::error_code ec;
    fs::remove(console_path(out), ec);
    if (!kept.complete && target->kind != Kind::Direct)
        std::ofstream(console_path(out), std::ios::binary) << proc.out;

    write_results(out, kept, proc,
                  {{"target", name},
                   {"tool", tool},
                   {"command", joined(cmd.argv)},
                   {"kernel", vm.kernel},
                   {"accel", accel.accel},
                   {"accel_note", accel.note}},
                  reason);

    long long failed = 0;
    try {
        auto run = kcr::parse_run(kept.text, false);
        failed = run.failed;
        std::cerr << "kconform-run: " << name << ": " << run.tests.size() << " results, "
                  << run.passed << " passed, " << run.failed << " failed, " << run.skipped
                  << " skipped";
    } catch (const kcr::ParseError& e) {
        std::cerr << "kconform-run: " << name << ": no usable output (" << e.what() << ")";
    }
    std::cerr << (kept.complete ? "" : "; INCOMPLETE: " + reason) << "; " << seconds(proc.seconds)
              << " s -> " << out << "\n";
    if (!kept.complete && target->kind != Kind::Direct)
        std::cerr << "kconform-run: the whole console: " << console_path(out).string() << "\n";
    if (!kept.complete && !proc.err.empty())
        std::cerr << "stderr of the target (last 2000 bytes):\n"
                  << proc.err.substr(proc.err.size() > 2000 ? proc.err.size() - 2000 : 0) << "\n";
    return !kept.complete ? 3 : failed ? 1 : 0;
}
