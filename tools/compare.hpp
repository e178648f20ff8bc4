// SPDX-License-Identifier: MIT
// Comparing result files: a reference run (Linux, the oracle) against one or
// more target runs, and target runs against their expectation files.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "results.hpp"

namespace kcc {

struct Run {
    std::string label;  // the runner's target name, else the file's stem
    kcr::RunFile file;
    const kcr::TestResult* find(const std::string& id) const;
};

// Loads a result file; throws kcr::ParseError naming the file.
Run load_run(const std::string& path);

// One row of the matrix: a test ID and its outcome in each run (nullopt:
// not reported, e.g. the target died first).
struct Row {
    std::string id, group, profile, category;
    std::vector<std::optional<kcr::Outcome>> outcome;
    std::vector<std::string> message;
    std::vector<long long> duration_us;
    std::string area;               // the folder of the test's source file, when runs name it
    std::vector<bool> not_on_arch;  // SKIP: the run's architecture has no such system call
    std::string name() const;       // the ID without "group."
};
// Rows in the reference's order, then IDs only targets reported.
std::vector<Row> build_matrix(const std::vector<Run>& runs);

// expect/<target>.txt: one known divergence per line,
//   ID-OR-GLOB  OUTCOME  reason...
// OUTCOME is PASS, FAIL, SKIP, TIMEOUT, CRASH or MISSING (not reported), or
// a set of them joined by '|' (FAIL|PASS) for a nondeterministic divergence:
// any outcome in the set is accepted, and one that equals the reference's
// (normally PASS) keeps the entry alive. The reason of such an entry says what
// is nondeterministic. '#' starts a comment line. Every entry needs a reason.
struct Expectation {
    std::string pattern;
    std::vector<std::optional<kcr::Outcome>> outcomes;  // nullopt: MISSING; 2+: flaky
    std::string reason;
    int line = 0;
    bool allows(const std::optional<kcr::Outcome>& o) const;
    bool flaky() const { return outcomes.size() > 1; }
    std::string outcome_text() const;  // as written: FAIL, FAIL|PASS
};
std::vector<Expectation> parse_expectations(const std::string& text);  // throws ParseError

struct CheckResult {
    std::vector<std::string> unexpected;  // outcomes neither the reference nor an entry explains
    std::vector<std::string> stale;       // entries that no longer describe a divergence
    bool ok() const { return unexpected.empty() && stale.empty(); }
};
// Target vs reference + expectations. When the target's architecture differs
// from the reference's, a SKIP reading "no NAME system call on ARCH" is by
// design (test IDs are the same on every architecture), not a divergence.
CheckResult check(const Run& reference, const Run& target, const std::vector<Expectation>& ex);

// Reads an expectation file; throws ParseError naming the file and line.
struct Expectations {
    std::string source;  // the file, for messages
    std::vector<Expectation> entries;
};
Expectations load_expectations(const std::string& path);

// A SKIP that reads "no NAME system call on ARCH" with the run's own ARCH:
// the harness's REQUIRE_NR text (src/harness/test.hpp). Shown as n/a.
bool not_on_arch(const std::optional<kcr::Outcome>& o, const std::string& message,
                 const std::string& arch);

enum class Format { Text, Markdown, Html, Junit, Kcidb };
struct ReportOptions {
    Format format = Format::Text;
    // Text: per-group counts and the new divergences only (the default for
    // more than one target); otherwise every divergence.
    bool summary = false;
    // Known divergences, by run index (0, the reference, has none); a run
    // past the end or with no entries has no expectations.
    std::vector<Expectations> expect;
    std::string origin = "kconform";  // KCIDB: the submitting CI system
    std::string build_id;             // KCIDB: attach the tests to this build
};
// Text, Markdown and HTML: runs[0] is the reference, the rest are targets.
// JUnit and KCIDB describe one run: runs = {RUN} judges it on its own (every
// test should pass), runs = {REF, RUN} judges it against the reference, as
// --check does. Throws ParseError for options the format cannot honour.
void write_report(std::ostream& os, const std::vector<Run>& runs, const ReportOptions& opts);
inline void write_report(std::ostream& os, const std::vector<Run>& runs, Format format) {
    ReportOptions opts;
    opts.format = format;
    write_report(os, runs, opts);
}

}  // namespace kcc
