// SPDX-License-Identifier: MIT
// kconform-inject: measures how many deliberately injected kernel faults the
// suite detects, the way mutation testing measures unit tests.
//
//   kconform-inject --list
//   kconform-inject [--fault=GLOB]... [--timeout=MS] [--min-rate=PCT]
//                   [--markdown=FILE] BINARY
//
// Runs BINARY (a kconform suite, fork isolation, without the ptrace and
// seccomp tests, which the tracer's own ptrace and seccomp use would change)
// once under the tracer with
// no fault, checks that this run is identical in outcomes to a run without
// the tracer (transparency), then once per fault. A fault is detected when a
// test that passed without it does not pass with it. Every run must complete
// and report every test. Exit status: 0 when every run completed with every
// test and the detection rate reached --min-rate (default 0), 1 otherwise,
// 2 on usage errors.
#include <fnmatch.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "faults.hpp"
#include "process.hpp"
#include "results.hpp"
#include "tracer.hpp"

namespace {

using Outcomes = std::map<std::string, kcr::Outcome>;

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "kconform-inject: " << why << "\n"
              << "usage: kconform-inject --list\n"
              << "       kconform-inject [--fault=GLOB]... [--timeout=MS] [--min-rate=PCT]\n"
              << "                       [--markdown=FILE] [--keep=DIR] BINARY\n"
              << "  --keep=DIR   write the output of each fault's run to DIR/NAME.jsonl\n";
    std::exit(2);
}

struct Run {
    bool parsed = false, complete = false;
    std::string error;
    kcr::RunFile file;
    Outcomes outcomes;
    double seconds = 0;
};

Run parse(const std::string& out, double seconds) {
    Run r;
    r.seconds = seconds;
    try {
        r.file = kcr::parse_run(out);
        r.parsed = true;
        for (auto& t : r.file.tests) r.outcomes[t.id] = t.outcome;
        r.complete =
            r.file.has_summary && std::to_string(r.file.tests.size()) == r.file.run["selected"];
    } catch (const kcr::ParseError& e) {
        r.error = e.what();
    }
    return r;
}

std::string fmt(double v, int prec = 1) {
    std::ostringstream o;
    o << std::fixed << std::setprecision(prec) << v;
    return o.str();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> globs;
    std::string binary, markdown, keep;
    long timeout_ms = 5000;  // per test; tracing slows signal-heavy tests
    double min_rate = 0;
    bool list = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        try {
            if (a == "--list")
                list = true;
            else if (a.rfind("--fault=", 0) == 0)
                globs.push_back(a.substr(8));
            else if (a.rfind("--timeout=", 0) == 0)
                timeout_ms = std::stol(a.substr(10));
            else if (a.rfind("--min-rate=", 0) == 0)
                min_rate = std::stod(a.substr(11));
            else if (a.rfind("--markdown=", 0) == 0)
                markdown = a.substr(11);
            else if (a.rfind("--keep=", 0) == 0 && a.size() > 7)
                keep = a.substr(7);
            else if (a.rfind("-", 0) == 0)
                usage("unknown option '" + a + "'");
            else if (binary.empty())
                binary = a;
            else
                usage("more than one binary given");
        } catch (const std::exception&) {
            usage("bad value in '" + a + "'");
        }
    }
    if (timeout_ms < 100) usage("--timeout must be at least 100 ms");
    auto all = kfi::catalogue();
    std::vector<kfi::Fault> chosen;
    for (auto& f : all) {
        bool want = globs.empty();
        for (auto& g : globs) want |= fnmatch(g.c_str(), f.name.c_str(), 0) == 0;
        if (want) chosen.push_back(f);
    }
    if (list) {
        for (auto& f : chosen)
            std::cout << std::left << std::setw(36) << f.name << f.bug_class << "\n";
        std::cout << "# " << chosen.size() << " faults\n";
        return 0;
    }
    if (binary.empty()) usage("no binary given");
    if (chosen.empty()) usage("no fault matches");

    // The tracer is the suite's ptrace tracer and installs a seccomp filter,
    // so the suite's own ptrace and seccomp tests cannot run under it.
    std::vector<std::string> cmd = {binary,
                                    "--format=jsonl",
                                    "--isolate=fork",
                                    "--timeout=" + std::to_string(timeout_ms),
                                    "--filter=-ptrace.*",
                                    "--filter=-seccomp.*",
                                    "--filter=-prctl.set_seccomp*"};
    // Transparency: the tracer without a fault changes no outcome.
    auto native_p = run_process(cmd, {}, 600);
    Run native = parse(native_p.out, native_p.seconds);
    auto base_p = kfi::run_traced(cmd, nullptr, 600);
    Run base = parse(base_p.out, base_p.seconds);
    if (!native.complete || !base.complete) {
        std::cerr << "kconform-inject: the " << (native.complete ? "traced" : "native")
                  << " run without a fault did not complete: " << base.error << native.error
                  << "\n";
        return 1;
    }
    // Tests that need to be untraced say so and skip under the tracer (they
    // cannot see a fault either way): not a change the tracer makes.
    std::set<std::string> untraced;
    for (auto& t : base.file.tests)
        if (t.outcome == kcr::Outcome::Skip &&
            t.message.find("needs no tracer") != std::string::npos)
            untraced.insert(t.id);
    size_t differ = 0;
    for (auto& [id, o] : native.outcomes)
        if (base.outcomes[id] != o && !untraced.count(id)) {
            ++differ;
            std::cerr << "kconform-inject: not transparent: " << id << " " << kcr::outcome_name(o)
                      << " natively, " << kcr::outcome_name(base.outcomes[id]) << " traced\n";
        }
    std::cout << "transparency: " << (differ ? "FAILED" : "ok") << " (" << native.outcomes.size()
              << " tests; native " << fmt(native.seconds, 2) << " s, traced without fault "
              << fmt(base.seconds, 2) << " s)" << std::endl;

    size_t detected = 0, incomplete = 0;
    std::vector<std::string> sections;                            // in catalogue order
    std::map<std::string, std::pair<size_t, size_t>> by_section;  // detected, faults
    std::ostringstream md;
    md << "| fault | models | detected | caught by | run |\n|---|---|---|---|---|\n";
    for (auto& f : chosen) {
        auto p = kfi::run_traced(cmd, &f, 900);
        if (!keep.empty()) {
            std::ofstream(keep + "/" + f.name + ".jsonl") << p.out;
        }
        Run r = parse(p.out, p.seconds);
        std::vector<std::string> caught;
        for (auto& [id, o] : base.outcomes) {
            if (o != kcr::Outcome::Pass) continue;
            auto it = r.outcomes.find(id);
            if (it == r.outcomes.end() || it->second != kcr::Outcome::Pass) caught.push_back(id);
        }
        bool all_reported = r.complete && r.outcomes.size() == base.outcomes.size();
        if (!all_reported) ++incomplete;
        if (!caught.empty()) ++detected;
        if (!by_section.count(f.section)) sections.push_back(f.section);
        auto& [sec_detected, sec_faults] = by_section[f.section];
        sec_detected += !caught.empty();
        ++sec_faults;
        std::string list_text;
        for (size_t i = 0; i < caught.size() && i < 3; ++i)
            list_text += (i ? ", " : "") + caught[i];
        if (caught.size() > 3) list_text += ", +" + std::to_string(caught.size() - 3) + " more";
        std::string run_text =
            all_reported ? "complete" : "INCOMPLETE" + (r.error.empty() ? "" : ": " + r.error);
        std::cout << std::left << std::setw(36) << f.name
                  << (caught.empty() ? "MISSED  " : "detected") << " " << std::setw(4)
                  << caught.size() << " tests  " << fmt(p.seconds, 1) << " s  " << run_text
                  << (list_text.empty() ? "" : "  [" + list_text + "]") << std::endl;
        md << "| `" << f.name << "` | " << f.bug_class << " | "
           << (caught.empty() ? "**no**" : "yes") << " | " << caught.size()
           << (list_text.empty() ? "" : ": " + list_text) << " | " << run_text << " |\n";
    }
    double rate = 100.0 * double(detected) / double(chosen.size());
    std::cout << "detection rate: " << detected << "/" << chosen.size() << " = " << fmt(rate)
              << "%; runs that lost a test: " << incomplete
              << "; tracer overhead: " << fmt(base.seconds / native.seconds, 2) << "x\n";
    if (!markdown.empty()) {
        std::ofstream os(markdown);
        os << "Detection rate: **" << detected << "/" << chosen.size() << " = " << fmt(rate)
           << "%**. Runs that lost a test: " << incomplete
           << ". Tracer overhead without a fault: " << fmt(base.seconds, 2) << " s traced vs "
           << fmt(native.seconds, 2) << " s native.\n\n"
           << "| section of the catalogue | faults | detected | rate |\n|---|---|---|---|\n";
        for (auto& sec : sections) {
            auto [d, n] = by_section[sec];
            os << "| " << sec << " | " << n << " | " << d << " | "
               << fmt(100.0 * double(d) / double(n)) << "% |\n";
        }
        os << "\n" << md.str();
    }
    return differ || incomplete || rate < min_rate ? 1 : 0;
}
