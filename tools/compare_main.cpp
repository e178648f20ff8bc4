// SPDX-License-Identifier: MIT
// kconform-compare: the conformance gap between a reference run and targets.
//   kconform-compare [--format=text|markdown|html] [--summary|--full]
//                    [--expect=FILE|--expect-dir=DIR] [--out=FILE] REF.jsonl RUN.jsonl...
//   kconform-compare --format=junit|kcidb [--expect=FILE|--expect-dir=DIR]
//                    [--origin=NAME] [--build-id=ID] [--out=FILE] [REF.jsonl] RUN.jsonl
//   kconform-compare --check --expect=FILE REF.jsonl RUN.jsonl
// The first file is the reference (normally Linux). --check exits 1 when the
// run differs from the reference in a way the expectation file does not
// list, or when an entry of the file no longer matches a divergence.
// JUnit and KCIDB describe one run: alone, every test of it should pass;
// after a reference, it is judged as --check judges it. Known divergences
// (--expect) become skipped testcases (JUnit) and waived tests (KCIDB).
// --expect-dir=DIR reads DIR/TARGET.txt for each target that has one.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compare.hpp"

namespace {
[[noreturn]] void usage(const std::string& why) {
    std::cerr << "kconform-compare: " << why << "\n"
              << "usage: kconform-compare [--format=text|markdown|html] [--summary|--full]\n"
                 "           [--expect=FILE|--expect-dir=DIR] [--out=FILE] REF RUN...\n"
                 "       kconform-compare --format=junit|kcidb [--expect=FILE|--expect-dir=DIR]\n"
                 "           [--origin=NAME] [--build-id=ORIGIN:ID] [--out=FILE] [REF] RUN\n"
                 "       kconform-compare --check --expect=FILE REF RUN\n";
    std::exit(2);
}

bool starts(const std::string& s, const char* prefix, std::string* rest = nullptr) {
    std::string p = prefix;
    if (s.rfind(p, 0) != 0) return false;
    if (rest) *rest = s.substr(p.size());
    return true;
}
}  // namespace

int main(int argc, char** argv) {
    kcc::ReportOptions opts;
    std::string out, expect, expect_dir, format = "text";
    bool check = false, summary = false, full = false, origin = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i], v;
        if (starts(a, "--format=", &format))
            continue;
        else if (starts(a, "--out=", &v))
            out = v;
        else if (starts(a, "--expect=", &v))
            expect = v;
        else if (starts(a, "--expect-dir=", &v))
            expect_dir = v;
        else if (starts(a, "--origin=", &v))
            opts.origin = v, origin = true;
        else if (starts(a, "--build-id=", &v))
            opts.build_id = v;
        else if (a == "--summary")
            summary = true;
        else if (a == "--full")
            full = true;
        else if (a == "--check")
            check = true;
        else if (a.rfind("-", 0) == 0)
            usage("unknown option '" + a + "'");
        else
            files.push_back(a);
    }
    if (format == "text")
        opts.format = kcc::Format::Text;
    else if (format == "markdown")
        opts.format = kcc::Format::Markdown;
    else if (format == "html")
        opts.format = kcc::Format::Html;
    else if (format == "junit")
        opts.format = kcc::Format::Junit;
    else if (format == "kcidb")
        opts.format = kcc::Format::Kcidb;
    else
        usage("unknown format '" + format + "'");
    bool one_run = opts.format == kcc::Format::Junit || opts.format == kcc::Format::Kcidb;
    if (summary && full) usage("--summary and --full exclude each other");
    if ((summary || full) && opts.format != kcc::Format::Text)
        usage("--summary and --full apply to --format=text");
    if ((origin || !opts.build_id.empty()) && opts.format != kcc::Format::Kcidb)
        usage("--origin and --build-id apply to --format=kcidb");
    if (!expect.empty() && !expect_dir.empty()) usage("give --expect or --expect-dir, not both");
    if (files.empty()) usage("no result files given");
    if (check && files.size() != 2) usage("--check takes a reference and one run");
    if (one_run && files.size() > 2) usage("--format=" + format + " takes RUN or REF RUN");
    try {
        std::vector<kcc::Run> runs;
        for (auto& f : files) runs.push_back(kcc::load_run(f));
        // Expectations belong to target runs: every run but the reference,
        // and with one file for JUnit or KCIDB, that run.
        size_t first_target = one_run && runs.size() == 1 ? 0 : 1;
        opts.expect.resize(runs.size());
        if (!expect.empty()) {
            if (runs.size() - first_target != 1)
                usage("--expect=FILE is for one target run; give --expect-dir=DIR for several");
            opts.expect.back() = kcc::load_expectations(expect);
        }
        if (!expect_dir.empty()) {
            if (!std::filesystem::is_directory(expect_dir))
                usage("--expect-dir: " + expect_dir + " is not a directory");
            for (size_t i = first_target; i < runs.size(); ++i) {
                auto path = std::filesystem::path(expect_dir) / (runs[i].label + ".txt");
                if (std::filesystem::exists(path)) opts.expect[i] = kcc::load_expectations(path);
            }
        }
        if (check) {
            auto res = kcc::check(runs[0], runs[1], opts.expect[1].entries);
            const std::string& src = opts.expect[1].source;
            for (auto& u : res.unexpected) std::cout << "UNEXPECTED " << u << "\n";
            for (auto& s : res.stale)
                std::cout << "STALE " << (src.empty() ? "" : src + " ") << s << "\n";
            std::cout << runs[1].label << " vs " << runs[0].label << ": "
                      << (res.ok() ? "as expected" : "differs from the expectations") << " ("
                      << res.unexpected.size() << " unexpected, " << res.stale.size()
                      << " stale)\n";
            return res.ok() ? 0 : 1;
        }
        // More than one target: per-group counts and new divergences only,
        // unless --full asks for the whole listing.
        opts.summary = summary || (!full && runs.size() > 2);
        // Whole, or not at all: an option the format rejects leaves no
        // half-written file for a CI step to pick up.
        std::ostringstream report;
        kcc::write_report(report, runs, opts);
        if (out.empty()) {
            std::cout << report.str();
        } else {
            std::ofstream os(out, std::ios::trunc);
            os << report.str();
            os.close();
            if (!os) {
                std::cerr << "kconform-compare: error writing " << out << "\n";
                return 2;
            }
        }
    } catch (const kcr::ParseError& e) {
        std::cerr << "kconform-compare: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
