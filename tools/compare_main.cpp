// kconform-compare: the conformance gap between a reference run and targets.
//   kconform-compare [--format=text|markdown|html] [--out=FILE] REF.jsonl RUN.jsonl...
//   kconform-compare --check --expect=FILE REF.jsonl RUN.jsonl
// The first file is the reference (normally Linux). --check exits 1 when the
// run differs from the reference in a way the expectation file does not
// list, or when an entry of the file no longer matches a divergence.
#include <fstream>
#include <iostream>
#include <sstream>

#include "compare.hpp"

namespace {
[[noreturn]] void usage(const std::string& why) {
    std::cerr << "kconform-compare: " << why << "\n"
              << "usage: kconform-compare [--format=text|markdown|html] [--out=FILE] REF RUN...\n"
              << "       kconform-compare --check --expect=FILE REF RUN\n";
    std::exit(2);
}
}  // namespace

int main(int argc, char** argv) {
    kcc::Format format = kcc::Format::Text;
    std::string out, expect;
    bool check = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--format=text") format = kcc::Format::Text;
        else if (a == "--format=markdown") format = kcc::Format::Markdown;
        else if (a == "--format=html") format = kcc::Format::Html;
        else if (a.rfind("--out=", 0) == 0) out = a.substr(6);
        else if (a.rfind("--expect=", 0) == 0) expect = a.substr(9);
        else if (a == "--check") check = true;
        else if (a.rfind("-", 0) == 0) usage("unknown option '" + a + "'");
        else files.push_back(a);
    }
    try {
        std::vector<kcc::Run> runs;
        for (auto& f : files) runs.push_back(kcc::load_run(f));
        if (check) {
            if (runs.size() != 2) usage("--check takes a reference and one run");
            std::vector<kcc::Expectation> ex;
            if (!expect.empty()) {
                std::ifstream in(expect);
                if (!in) usage("cannot read " + expect);
                std::stringstream ss;
                ss << in.rdbuf();
                try {
                    ex = kcc::parse_expectations(ss.str());
                } catch (const kcr::ParseError& e) {
                    throw kcr::ParseError(expect + ": " + e.what());
                }
            }
            auto res = kcc::check(runs[0], runs[1], ex);
            for (auto& u : res.unexpected) std::cout << "UNEXPECTED " << u << "\n";
            for (auto& s : res.stale) std::cout << "STALE " << (expect.empty() ? "" : expect + " ") << s << "\n";
            std::cout << runs[1].label << " vs " << runs[0].label << ": "
                      << (res.ok() ? "as expected" : "differs from the expectations") << " ("
                      << res.unexpected.size() << " unexpected, " << res.stale.size()
                      << " stale)\n";
            return res.ok() ? 0 : 1;
        }
        if (runs.empty()) usage("no result files given");
        if (out.empty()) {
            kcc::write_report(std::cout, runs, format);
        } else {
            std::ofstream os(out, std::ios::trunc);
            kcc::write_report(os, runs, format);
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
